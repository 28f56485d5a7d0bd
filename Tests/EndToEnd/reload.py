#!/usr/bin/env python3
"""Reloads haproxy or nginx and returns only once the reload has taken effect
(stdlib only); retmpl runs it as a template's command.

    reload.py haproxy --master-socket SOCK [--stamp FILE] [--timeout 10]
    reload.py nginx --pid-file PID [--stamp FILE] [--timeout 10]

haproxy (master-worker, `haproxy -W -S SOCK`): asks the master CLI for
`reload` and waits until `show proc` shows the master's reload counter
moved and a fresh worker (0 reloads) running. The listening sockets pass
from the old worker to the new one, so no connection is refused.

nginx: sends SIGHUP to the master named in the pid file and waits until a
worker that was not there before is running (nginx starts new workers only
for a configuration it accepted) and every old worker has stopped accepting.

On success it appends "EPOCH_SECONDS reload-number" to --stamp, so a test
can measure change-to-reload latency and count reloads. Exit 1 when the
reload did not complete within --timeout.
"""
import argparse
import os
import signal
import socket
import sys
import time


def master_cli(path, command, timeout=3.0):
    s = socket.socket(socket.AF_UNIX)
    s.settimeout(timeout)
    try:
        s.connect(path)
        s.sendall(command.encode() + b"\n")
        s.shutdown(socket.SHUT_WR)  # non-interactive: the master answers and closes
        out = b""
        while True:
            data = s.recv(65536)
            if not data:
                return out.decode(errors="replace")
            out += data
    finally:
        s.close()


def haproxy_state(sock):
    """(master reloads, set of current workers with 0 reloads) from `show proc`."""
    reloads, fresh, section = None, set(), "master"
    for line in master_cli(sock, "show proc").splitlines():
        if line.startswith("# workers"):
            section = "workers"
        elif line.startswith("#"):
            section = "other"
        else:
            fields = line.split()
            if len(fields) >= 3 and fields[1] == "master":
                reloads = int(fields[2])
            elif len(fields) >= 3 and section == "workers" and fields[1] == "worker" and fields[2] == "0":
                fresh.add(fields[0])
    return reloads, fresh


def reload_haproxy(args, deadline):
    before, workers_before = haproxy_state(args.master_socket)
    if before is None:
        raise SystemExit("reload.py: no master in `show proc`")
    master_cli(args.master_socket, "reload")
    while time.monotonic() < deadline:
        try:
            reloads, fresh = haproxy_state(args.master_socket)
        except OSError:
            reloads, fresh = None, set()  # the master is re-executing itself
        if reloads is not None and reloads > before and fresh - workers_before:
            return reloads
        time.sleep(0.01)
    raise SystemExit(f"reload.py: haproxy did not finish reloading in {args.timeout}s")


def children(pid):
    found = set()
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    stat = f.read()
            except OSError:
                continue
            # pid (comm) state ppid ...; comm may hold spaces
            fields = stat[stat.rfind(")") + 2:].split()
            if len(fields) > 1 and fields[1] == str(pid):
                found.add(int(entry))
    return found


def worker_processes(pid):
    """nginx's live workers under `pid` (not those shutting down)."""
    result = set()
    for child in children(pid):
        try:
            with open(f"/proc/{child}/cmdline", "rb") as f:
                title = f.read()
        except OSError:
            continue
        if b"worker process" in title and b"shutting down" not in title:
            result.add(child)
    return result


def reload_nginx(args, deadline):
    with open(args.pid_file) as f:
        master = int(f.read().strip())
    before = worker_processes(master)
    os.kill(master, signal.SIGHUP)
    while time.monotonic() < deadline:
        live = worker_processes(master)
        # Done when a new worker runs and no old one still accepts (they
        # retitle themselves "shutting down" once their listeners are closed).
        if live - before and not (live & before):
            return None
        time.sleep(0.01)
    raise SystemExit(f"reload.py: nginx started no new worker in {args.timeout}s (configuration rejected? see its error log)")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("proxy", choices=["haproxy", "nginx"])
    parser.add_argument("--master-socket")
    parser.add_argument("--pid-file")
    parser.add_argument("--stamp")
    parser.add_argument("--timeout", type=float, default=10.0)
    args = parser.parse_args()
    deadline = time.monotonic() + args.timeout
    if args.proxy == "haproxy":
        if not args.master_socket:
            parser.error("haproxy needs --master-socket")
        number = reload_haproxy(args, deadline)
    else:
        if not args.pid_file:
            parser.error("nginx needs --pid-file")
        number = reload_nginx(args, deadline)
    if args.stamp:
        with open(args.stamp, "a") as f:
            f.write(f"{time.time():.6f} {number if number is not None else '-'}\n")


if __name__ == "__main__":
    try:
        main()
    except OSError as e:
        sys.exit(f"reload.py: {e}")
