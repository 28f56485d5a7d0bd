#!/usr/bin/env python3
"""Runs a command in a process group of its own and ends the whole group
when this guard's stdin closes (stdlib only).

    guard.py [--grace 5] -- COMMAND [ARG ...]

A test holds the write end of the guard's stdin: when the test finishes, or
dies, the pipe closes and the guard sends SIGTERM to the command's process
group (haproxy's workers, nginx's workers, a reload script's children), then
SIGKILL after --grace seconds. SIGTERM/SIGINT to the guard do the same.
When the command exits by itself, the rest of its group is ended too and the
guard exits with the command's status (128+N for signal N).
"""
import argparse
import os
import signal
import subprocess
import sys
import threading
import time


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--grace", type=float, default=5.0)
    parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args()
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error("no command")

    # A parent's worker thread (libdispatch's, say) may spawn us with signals
    # blocked; the mask is inherited, so SIGTERM would never reach the command.
    signal.pthread_sigmask(signal.SIG_SETMASK, [])
    child = subprocess.Popen(command, stdin=subprocess.DEVNULL, start_new_session=True)
    stop = threading.Event()

    def end_group():
        try:
            os.killpg(child.pid, signal.SIGTERM)
        except ProcessLookupError:
            return
        deadline = time.monotonic() + args.grace
        while time.monotonic() < deadline:
            try:
                os.killpg(child.pid, 0)
            except ProcessLookupError:
                return
            if child.poll() is None:
                time.sleep(0.05)
            else:
                # The leader is reaped; the group may still have members.
                time.sleep(0.05)
        try:
            os.killpg(child.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass

    def watch_stdin():
        try:
            while os.read(0, 4096):
                pass
        except OSError:
            pass
        stop.set()

    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    threading.Thread(target=watch_stdin, daemon=True).start()
    threading.Thread(target=lambda: (child.wait(), stop.set()), daemon=True).start()
    stop.wait()
    end_group()
    status = child.wait()
    sys.stdout.flush()
    os._exit(128 - status if status < 0 else status)


if __name__ == "__main__":
    main()
