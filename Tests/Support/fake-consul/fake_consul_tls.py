#!/usr/bin/env python3
"""The fake Consul behind TLS, for HTTPS client tests.

    fake_consul_tls.py --cert server.pem --key server.key [--client-ca ca.pem]

With --client-ca the server requires a client certificate signed by that CA
(Consul's verify_incoming). Prints `LISTENING <port>`, exits on stdin EOF.
`GET /_fake/stats` gains `tls_connections`: TCP connections accepted so far.
"""
import argparse
import os
import select
import ssl
import sys
import threading

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fake_consul  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--cert", required=True)
    ap.add_argument("--key", required=True)
    ap.add_argument("--client-ca")
    args = ap.parse_args()

    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(args.cert, args.key)
    if args.client_ca:
        context.load_verify_locations(args.client_ca)
        context.verify_mode = ssl.CERT_REQUIRED

    fake = fake_consul.FakeConsul(jitter=False)
    accepted = [0]

    def client_gone(self) -> bool:
        # A parked request's client sends nothing more: readable means it left.
        # (MSG_PEEK, which the plain server uses, is refused on TLS sockets.)
        try:
            readable, _, _ = select.select([self.connection], [], [], 0)
            return bool(readable)
        except (OSError, ValueError):
            return True

    class TLSServer(fake_consul.Server):
        def get_request(self):
            sock, addr = self.socket.accept()
            accepted[0] += 1
            # The handshake runs in the handler's thread, on its first read.
            return context.wrap_socket(sock, server_side=True, do_handshake_on_connect=False), addr

        def handle_error(self, request, client_address):
            pass  # failed handshakes are what several tests provoke

    handler = type("TLSHandler", (fake_consul.Handler,), {"fake": fake, "_client_gone": client_gone})
    server = TLSServer(("127.0.0.1", 0), handler)

    snapshot = fake.stats_snapshot
    fake.stats_snapshot = lambda: dict(snapshot(), tls_connections=accepted[0])

    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True).start()
    print(f"LISTENING {server.server_address[1]}", flush=True)
    while os.read(0, 4096):
        pass
    with fake.cond:
        fake.shutting_down = True
        fake.cond.notify_all()
    server.shutdown()
    server.server_close()
    return 0


if __name__ == "__main__":
    code = main()
    sys.stdout.flush()
    os._exit(code)
