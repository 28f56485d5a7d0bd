#!/usr/bin/env python3
"""Stand-in backends for retmpl's examples and end-to-end tests (stdlib only).

    backends.py [--tcp-echo] NAME=PORT [NAME=PORT ...]

HTTP mode (default): every path answers 200 with the text "NAME\\n"
(`/health` too, for haproxy's httpchk). Keep-alive, HTTP/1.1.
TCP echo mode (`--tcp-echo`, standing in for MySQL): each line a client
sends is answered with "NAME: LINE".

All listeners run in one process on 127.0.0.1. It prints "READY" once every
port is bound, and exits on SIGTERM/SIGINT or, with --exit-on-stdin-eof,
when stdin closes (so a test runner that dies cannot leave it behind).
"""
import argparse
import os
import http.server
import signal
import socketserver
import sys
import threading


def http_handler(name):
    body = (name + "\n").encode()

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True

        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", str(len(body)))
            self.send_header("X-Backend", name)
            self.end_headers()
            self.wfile.write(body)

        do_HEAD = do_GET

        def log_message(self, *args):
            pass

    return Handler


def echo_handler(name):
    class Handler(socketserver.StreamRequestHandler):
        disable_nagle_algorithm = True

        def handle(self):
            for line in self.rfile:
                self.wfile.write(f"{name}: {line.decode(errors='replace').rstrip()}\n".encode())
                self.wfile.flush()

    return Handler


class HTTPServer(http.server.ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 256


class TCPServer(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 256


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tcp-echo", action="store_true", help="line echo servers instead of HTTP")
    parser.add_argument("--exit-on-stdin-eof", action="store_true")
    parser.add_argument("backends", nargs="+", metavar="NAME=PORT")
    args = parser.parse_args()

    servers = []
    for spec in args.backends:
        name, _, port = spec.rpartition("=")
        if not name or not port.isdigit():
            parser.error(f"expected NAME=PORT, got {spec!r}")
        if args.tcp_echo:
            server = TCPServer(("127.0.0.1", int(port)), echo_handler(name))
        else:
            server = HTTPServer(("127.0.0.1", int(port)), http_handler(name))
        servers.append(server)
        threading.Thread(target=server.serve_forever, daemon=True).start()

    done = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: done.set())
    signal.signal(signal.SIGINT, lambda *_: done.set())
    if args.exit_on_stdin_eof:
        def watch_stdin():
            sys.stdin.buffer.read()
            done.set()
        threading.Thread(target=watch_stdin, daemon=True).start()
    print("READY", flush=True)
    done.wait()
    for server in servers:
        server.server_close()
    sys.stdout.flush()
    os._exit(0)  # a daemon thread may still hold stdin


if __name__ == "__main__":
    main()
