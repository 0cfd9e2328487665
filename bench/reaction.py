#!/usr/bin/env python3
"""Reaction latency of ovs-offloadd: p50/p99 over many events.

usage: reaction.py DB-SOCKET DAEMON-CTL-SOCKET BRIDGE DEVICE N PORT...

DEVICE "-" skips the representor events (the Linux back end of the kernel
lab has no hw-fake/add-link): only the deletions are measured.

Two kinds of event, N of each, measured against baselines taken in the
same run over the same sockets:

  rep: a representor appears ("hw-fake/add-link" of an external
       controller's representor c1pf0vfK on DEVICE, a new one each time),
       until the daemon's Port row of that name is in the database (seen in
       an OVSDB monitor update).  Baseline: the round trip of the
       add-link request itself (the unixctl request that makes it appear).
  del: a user deletes an owned port (one OVSDB transaction removing PORT
       from BRIDGE, cycling over the PORTs), until the daemon has put a
       Port of that name back (monitor update).  Baseline: the round trip
       of that delete transaction (the bare ovsdb transaction).

Each latency is measured from just before the trigger is sent to the
monitor update that shows the correction.  It prints, for each kind, the
count, p50, p99 and max, the baseline's p50 and p99, and the ratios.  It
asserts nothing about times (the figures are for people); it fails only if
an event is not corrected within 10 s.
"""
import json
import socket
import sys
import time


class JsonRpc:
    """A minimal JSON-RPC stream client (ovsdb-server, unixctl)."""

    def __init__(self, path):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.connect(path)
        self.buf = ""
        self.decoder = json.JSONDecoder()
        self.next_id = 0
        self.replies = {}
        self.notifications = []

    def send(self, method, params):
        self.next_id += 1
        msg = {"method": method, "params": params, "id": self.next_id}
        self.sock.sendall(json.dumps(msg).encode())
        return self.next_id

    def _read(self, timeout):
        self.sock.settimeout(timeout)
        try:
            chunk = self.sock.recv(1 << 20)
        except socket.timeout:
            return False
        if not chunk:
            raise RuntimeError("connection closed")
        self.buf += chunk.decode()
        while True:
            self.buf = self.buf.lstrip()
            if not self.buf:
                break
            try:
                msg, end = self.decoder.raw_decode(self.buf)
            except ValueError:
                break
            self.buf = self.buf[end:]
            now = time.monotonic()
            if msg.get("method") == "echo":
                reply = {"result": msg["params"], "error": None,
                         "id": msg["id"]}
                self.sock.sendall(json.dumps(reply).encode())
            elif msg.get("method") is not None:
                self.notifications.append((now, msg))
            else:
                self.replies[msg["id"]] = (now, msg)
        return True

    def wait_reply(self, rid, timeout=10.0):
        deadline = time.monotonic() + timeout
        while rid not in self.replies:
            left = deadline - time.monotonic()
            if left <= 0:
                raise RuntimeError("no reply to request %d" % rid)
            self._read(left)
        t, msg = self.replies.pop(rid)
        if msg.get("error") is not None:
            raise RuntimeError("request failed: %r" % msg)
        return t, msg["result"]

    def poll(self, timeout):
        self._read(timeout)


class Monitor:
    """Port name -> uuid, maintained from an OVSDB monitor."""

    def __init__(self, db):
        self.db = db
        self.ports = {}
        self.bridge_uuid = None
        rid = db.send("monitor", ["Open_vSwitch", "bench",
                                  {"Port": {"columns": ["name"]},
                                   "Bridge": {"columns": ["name"]}}])
        _, result = db.wait_reply(rid)
        self.apply(result)

    def apply(self, update):
        """Applies a table-updates object; returns the names inserted."""
        inserted = []
        for uuid, row in update.get("Port", {}).items():
            new = row.get("new")
            old = row.get("old")
            if new is not None:
                name = new.get("name", old["name"] if old else None)
                if self.ports.get(name) != uuid:
                    inserted.append(name)
                self.ports[name] = uuid
            elif old is not None and self.ports.get(old["name"]) == uuid:
                del self.ports[old["name"]]
        for uuid, row in update.get("Bridge", {}).items():
            if row.get("new") is not None:
                self.bridge_names = getattr(self, "bridge_names", {})
                self.bridge_names[row["new"]["name"]] = uuid
        return inserted

    def wait_insert(self, name, timeout=10.0):
        """Waits for a monitor update inserting a Port named 'name'; returns
        the time the update arrived."""
        deadline = time.monotonic() + timeout
        while True:
            while self.db.notifications:
                t, msg = self.db.notifications.pop(0)
                if msg["method"] == "update":
                    if name in self.apply(msg["params"][1]):
                        return t
            left = deadline - time.monotonic()
            if left <= 0:
                raise RuntimeError("%s was not re-added within %.0f s"
                                   % (name, timeout))
            self.db.poll(left)

    def drain(self, seconds):
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            self.db.poll(max(0.0, end - time.monotonic()))
            while self.db.notifications:
                _, msg = self.db.notifications.pop(0)
                if msg["method"] == "update":
                    self.apply(msg["params"][1])


def pct(values, p):
    v = sorted(values)
    k = min(len(v) - 1, max(0, int(round(p / 100.0 * len(v) + 0.5)) - 1))
    return v[k]


def report(kind, lat, base):
    print("%s: %d events: p50 %.2f ms, p99 %.2f ms, max %.2f ms"
          % (kind, len(lat), pct(lat, 50), pct(lat, 99), max(lat)))
    print("%s baseline: p50 %.2f ms, p99 %.2f ms; ratio p50 %.1fx, p99 %.1fx"
          % (kind, pct(base, 50), pct(base, 99),
             pct(lat, 50) / pct(base, 50), pct(lat, 99) / pct(base, 99)))


def main():
    db_path, ctl_path, bridge, device = sys.argv[1:5]
    n = int(sys.argv[5])
    ports = sys.argv[6:]
    db = JsonRpc(db_path)
    ctl = JsonRpc(ctl_path)
    mon = Monitor(db)
    br_uuid = mon.bridge_names[bridge]

    # rep: a new external controller representor each time.
    rep_lat, rep_base = [], []
    for k in range(n if device != "-" else 0):
        name = "c1pf0vf%d" % k
        t0 = time.monotonic()
        rid = ctl.send("hw-fake/add-link",
                       [name, "device=" + device, "port=" + name,
                        "vf=%d" % k, "controller=1"])
        t1, _ = ctl.wait_reply(rid)
        t2 = mon.wait_insert(name)
        rep_base.append((t1 - t0) * 1000.0)
        rep_lat.append((t2 - t0) * 1000.0)

    # del: a user deletes an owned port.
    del_lat, del_base = [], []
    for k in range(n):
        name = ports[k % len(ports)]
        uuid = mon.ports[name]
        t0 = time.monotonic()
        rid = db.send("transact", [
            "Open_vSwitch",
            {"op": "mutate", "table": "Bridge",
             "where": [["_uuid", "==", ["uuid", br_uuid]]],
             "mutations": [["ports", "delete", ["uuid", uuid]]]}])
        t1, result = db.wait_reply(rid)
        if any("error" in r for r in result if r):
            raise RuntimeError("delete failed: %r" % result)
        t2 = mon.wait_insert(name)
        del_base.append((t1 - t0) * 1000.0)
        del_lat.append((t2 - t0) * 1000.0)

    if rep_lat:
        report("rep appears", rep_lat, rep_base)
    report("port deleted", del_lat, del_base)


if __name__ == "__main__":
    main()
