#!/usr/bin/env python3
"""A bounded HTTP load generator that counts every failure (stdlib only).

    load.py --port PORT [--host HOST] [--path /] [--connections 4] [--rate R]
            [--close] [--max-seconds 170] [--exit-on-stdin-eof]

Each of --connections threads sends GET requests one after another on a
keep-alive HTTP/1.1 connection to 127.0.0.1:PORT (a new connection per
request with --close), with Host: HOST. --rate caps the total requests per
second. It runs until SIGTERM/SIGINT, --max-seconds, or (with
--exit-on-stdin-eof) stdin's end, then
prints one JSON line:

    {"requests": N, "ok": N2xx, "status": {"200": n, "503": n},
     "maintenance": n, "errors": {"ConnectionResetError": n}, "backends": {"web-1": n},
     "seconds": S, "first_error": "..."}

"maintenance" counts 503 answers carrying the maintenance page; "errors"
counts requests that got no HTTP response (refused, reset, closed, timed
out): a failed request is never retried. "backends" counts the first line of
2xx bodies (the stand-in backends answer with their name). It prints
"STARTED" as soon as the first response (of any kind) has arrived.
"""
import argparse
import http.client
import json
import os
import signal
import sys
import threading
import time


class Counters:
    def __init__(self):
        self.lock = threading.Lock()
        self.requests = 0
        self.ok = 0
        self.maintenance = 0
        self.status = {}
        self.errors = {}
        self.backends = {}
        self.first_error = None
        self.max_latency = 0.0
        self.in_flight = {}  # thread -> start time of its current request
        self.started = threading.Event()

    def answer(self, status, body, latency):
        with self.lock:
            self.max_latency = max(self.max_latency, latency)
            self.requests += 1
            self.status[str(status)] = self.status.get(str(status), 0) + 1
            if 200 <= status < 300:
                self.ok += 1
                name = body.split(b"\n", 1)[0].decode(errors="replace")
                self.backends[name] = self.backends.get(name, 0) + 1
            elif status == 503 and b"Maintenance" in body:
                self.maintenance += 1
        self.started.set()

    def error(self, exc):
        kind = type(exc).__name__
        with self.lock:
            self.requests += 1
            self.errors[kind] = self.errors.get(kind, 0) + 1
            if self.first_error is None:
                self.first_error = f"{time.time():.3f} {kind}: {exc}"
        self.started.set()


class Pacer:
    """Hands out request slots at most `rate` per second (None: unlimited)."""

    def __init__(self, rate):
        self.interval = 1.0 / rate if rate else 0.0
        self.lock = threading.Lock()
        self.next = time.monotonic()

    def wait(self):
        if not self.interval:
            return
        with self.lock:
            now = time.monotonic()
            slot = max(self.next, now)
            self.next = slot + self.interval
        if slot > now:
            time.sleep(slot - now)


def worker(args, counters, pacer, stop):
    connection = None
    headers = {"Host": args.host}
    if args.close:
        headers["Connection"] = "close"
    while not stop.is_set():
        pacer.wait()
        if stop.is_set():
            break
        try:
            if connection is None:
                connection = http.client.HTTPConnection("127.0.0.1", args.port, timeout=args.timeout)
            began = time.monotonic()
            counters.in_flight[threading.get_ident()] = began
            connection.request("GET", args.path, headers=headers)
            response = connection.getresponse()
            body = response.read()
            counters.answer(response.status, body, time.monotonic() - began)
            if args.close or response.will_close:
                connection.close()
                connection = None
        except (OSError, http.client.HTTPException) as exc:
            counters.error(exc)
            if connection is not None:
                connection.close()
            connection = None
        finally:
            counters.in_flight.pop(threading.get_ident(), None)
    if connection is not None:
        connection.close()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--host", default="localhost")
    parser.add_argument("--path", default="/")
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--rate", type=float, default=None, help="total requests per second (default: as fast as possible)")
    parser.add_argument("--close", action="store_true", help="one connection per request")
    parser.add_argument("--timeout", type=float, default=10.0)
    parser.add_argument("--max-seconds", type=float, default=170.0)
    parser.add_argument("--exit-on-stdin-eof", action="store_true")
    args = parser.parse_args()

    counters = Counters()
    stop = threading.Event()
    pacer = Pacer(args.rate)
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())

    def watch_stdin():
        sys.stdin.buffer.read()
        stop.set()

    if args.exit_on_stdin_eof:
        threading.Thread(target=watch_stdin, daemon=True).start()
    began = time.monotonic()
    threads = [threading.Thread(target=worker, args=(args, counters, pacer, stop)) for _ in range(args.connections)]
    for t in threads:
        t.start()
    if counters.started.wait(timeout=min(10.0, args.max_seconds)):
        print("STARTED", flush=True)
    stop.wait(timeout=max(0.0, args.max_seconds - (time.monotonic() - began)))
    stop.set()
    give_up = time.monotonic() + 1.0  # requests still unanswered by then are reported
    for t in threads:
        t.join(timeout=max(0.0, give_up - time.monotonic()))
    now = time.monotonic()
    with counters.lock:
        stalled = sorted(round(now - began, 3) for began in counters.in_flight.values())
        print(json.dumps({
            "requests": counters.requests, "ok": counters.ok, "status": counters.status,
            "maintenance": counters.maintenance, "errors": counters.errors, "backends": counters.backends,
            "seconds": round(time.monotonic() - began, 3), "first_error": counters.first_error,
            "max_latency_ms": round(counters.max_latency * 1000, 1), "unanswered_at_stop": stalled,
        }, sort_keys=True), flush=True)
    os._exit(0)  # the stdin thread may still be blocked in read


if __name__ == "__main__":
    main()
