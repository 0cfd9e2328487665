#!/usr/bin/env python3
"""Measures how fast a daemon's unixctl server answers while it works.

usage: responsive.py SOCKET UNTIL-CMD [TIMEOUT-S] [REPORT-FILE]

Every 20 ms sends the unixctl "version" request over SOCKET (JSON-RPC,
as ovs-appctl does, without forking a process) and times the answer.
Every second runs `ovs-offloadctl get Global . ovs_connected` (the
daemon's view of its Open_vSwitch IDL) and the shell command UNTIL-CMD;
stops when UNTIL-CMD succeeds or after TIMEOUT-S seconds.  Prints (and
writes to REPORT-FILE) the number of requests, the maximum and median
answer time, how long it ran, whether the IDL was always connected and
whether UNTIL-CMD succeeded.  It asserts nothing about times: the figures
are for people; a request that is not answered within 5 s is a failure.
"""
import json
import socket
import statistics
import subprocess
import sys
import time


def request(sock, n):
    msg = json.dumps({"method": "version", "params": [], "id": n})
    t0 = time.monotonic()
    sock.sendall(msg.encode())
    buf = b""
    while True:
        chunk = sock.recv(65536)
        if not chunk:
            raise RuntimeError("connection closed")
        buf += chunk
        try:
            reply = json.loads(buf.decode())
            break
        except ValueError:
            continue
    if reply.get("id") != n or reply.get("error") is not None:
        raise RuntimeError("bad reply %r" % reply)
    return (time.monotonic() - t0) * 1000.0


def main():
    path, until = sys.argv[1], sys.argv[2]
    timeout = float(sys.argv[3]) if len(sys.argv) > 3 else 120.0
    report = sys.argv[4] if len(sys.argv) > 4 else None
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.settimeout(5.0)
    sock.connect(path)
    times, connected, done = [], [], False
    start = time.monotonic()
    next_check = start
    n = 0
    while time.monotonic() - start < timeout:
        n += 1
        times.append(request(sock, n))
        if n == 1 and report:
            open(report + ".started", "w").close()
        now = time.monotonic()
        if now >= next_check:
            next_check = now + 1.0
            out = subprocess.run(["ovs-offloadctl", "get", "Global", ".",
                                  "ovs_connected"], capture_output=True,
                                 text=True)
            connected.append(out.stdout.strip() == "true")
            if subprocess.run(until, shell=True).returncode == 0:
                done = True
                break
        time.sleep(0.02)
    lines = [
        "requests: %d" % len(times),
        "max answer: %.1f ms" % max(times),
        "median answer: %.1f ms" % statistics.median(times),
        "ran: %.1f s" % (time.monotonic() - start),
        "idl always connected: %s (%d checks)" % (all(connected),
                                                    len(connected)),
        "until-cmd succeeded: %s" % done,
    ]
    text = "\n".join(lines) + "\n"
    sys.stdout.write(text)
    if report:
        with open(report, "w") as f:
            f.write(text)
    return 0 if done and all(connected) else 1


if __name__ == "__main__":
    sys.exit(main())
