#!/usr/bin/env python3
"""An edit storm against a running ovs-offloadd (issue 11).

usage: edit-storm.py EDITS SEED [REPORT-FILE]

Expects ovsdb-server, ovs-vswitchd and ovs-offloadd running (OVS_RUNDIR
set) and bridge br0 managed with the seed intent (bond, 2 VFs per PF,
VXLAN).  Makes EDITS random edits, one ovs-vsctl transaction each,
interleaved with the daemon's work:
  - add and delete the user's own ports (on br0 and on an unmanaged
    bridge br-user),
  - change unrelated columns (other_config, external_ids:note, mtu_request
    of the user's interfaces),
  - set and clear offload keys (offload-rep-mtu, offload-vxlan),
  - delete ports the daemon owns.
It keeps its own model of what the user's rows should be.  Then it waits
for br0 to converge and reports: the number of edits, the user's rows
(ports without the owner mark) whose state differs from the user's last
edit or that the daemon touched (a "del-port" of a user port in its log),
and the time from the last edit until br0 converged on the final intent.
Exit status 0 if 0 user rows were touched and br0 converged on it.
"""
import random
import subprocess
import sys
import time

OWNER = "offload-owner"


def vsctl(*args):
    return subprocess.run(["ovs-vsctl", "--timeout=30"] + list(args),
                          capture_output=True, text=True, check=True).stdout


def get(*args):
    return subprocess.run(list(args), capture_output=True,
                          text=True).stdout.strip()


def ports_with_owner():
    out = vsctl("--format=csv", "--data=bare", "--no-headings",
                "--columns=name,external_ids", "list", "Port")
    owned, user = set(), set()
    for line in out.splitlines():
        name, _, ids = line.partition(",")
        (owned if OWNER in ids else user).add(name.strip('"'))
    return owned, user


def port_state(name):
    note = get("ovs-vsctl", "--if-exists", "get", "Port", name,
               "external_ids:note").strip('"') or None
    mtu = get("ovs-vsctl", "get", "Interface", name, "mtu_request")
    return {"bridge": get("ovs-vsctl", "port-to-br", name), "note": note,
            "mtu": None if mtu in ("[]", "") else mtu}


def main():
    edits = int(sys.argv[1])
    rnd = random.Random(int(sys.argv[2]))
    report = sys.argv[3] if len(sys.argv) > 3 else None
    vsctl("--may-exist", "add-br", "br-user", "--", "set", "Bridge",
          "br-user", "datapath_type=dummy")
    user = {}           # port -> {"bridge", "note", "mtu"}
    _, before = ports_with_owner()
    for name in before:  # The user's rows from before: unchanged.
        user[name] = port_state(name)
    intent = {"offload-rep-mtu": "9000",
              "offload-vxlan": "remote_ip=192.168.9.1,key=42"}
    counts = {}
    for i in range(edits):
        kind = rnd.choice(["add", "add", "del", "col", "col", "key",
                           "owned"])
        if kind == "del" and not any(n.startswith("u") for n in user):
            kind = "add"
        if kind == "add":
            name = "u%d" % rnd.randrange(40)
            if name in user:
                kind = "col"
            else:
                br = rnd.choice(["br0", "br-user"])
                vsctl("add-port", br, name, "--", "set", "Interface", name,
                      "type=dummy")
                user[name] = {"bridge": br, "note": None, "mtu": None}
        if kind == "del":
            name = rnd.choice(sorted(n for n in user if n.startswith("u"))
                              or [None])
            if name is None:
                continue
            vsctl("del-port", name)
            del user[name]
        if kind == "col":
            names = sorted(n for n in user if n.startswith("u"))
            if not names:
                continue
            name = rnd.choice(names)
            if rnd.random() < 0.5:
                note = "n%d" % i
                vsctl("set", "Port", name, "external_ids:note=" + note)
                user[name]["note"] = note
            else:
                mtu = rnd.choice(["1500", "9000"])
                vsctl("set", "Interface", name, "mtu_request=" + mtu)
                user[name]["mtu"] = mtu
            vsctl("set", "Bridge", "br0", "other_config:storm=%d" % i)
        if kind == "key":
            key = rnd.choice(sorted(intent))
            if rnd.random() < 0.4:
                vsctl("remove", "Bridge", "br0", "external_ids", key)
                intent[key] = None
            else:
                value = ("9000" if key == "offload-rep-mtu"
                         else "remote_ip=192.168.9.%d,key=42"
                         % rnd.randrange(1, 9))
                vsctl("set", "Bridge", "br0",
                      "external_ids:%s=%s" % (key, value))
                intent[key] = value
        if kind == "owned":
            owned, _ = ports_with_owner()
            if owned:
                vsctl("--if-exists", "del-port", rnd.choice(sorted(owned)))
        counts[kind] = counts.get(kind, 0) + 1
    t_last = time.monotonic()

    # Wait for br0 to converge on the final intent.
    want = {"bond-br0", "enp3s0f0np0r0", "enp3s0f0np0r1", "enp3s0f1np1r0",
            "enp3s0f1np1r1"}
    if intent["offload-vxlan"]:
        want.add("vxlan0")
    converged = None
    while time.monotonic() - t_last < 120:
        state = get("ovs-offloadctl", "get", "Bridge", "br0", "state")
        owned, _ = ports_with_owner()
        if state == "converged" and owned == want:
            converged = time.monotonic() - t_last
            break
        time.sleep(0.1)

    # The user's rows: exactly as the user left them.
    owned, user_now = ports_with_owner()
    touched = []
    for name in sorted(set(user) | user_now):
        if name not in user:
            touched.append("%s exists, the user deleted it" % name)
            continue
        if name not in user_now:
            touched.append("%s is gone" % name)
            continue
        now = port_state(name)
        m = user[name]
        br, note, mtu = now["bridge"], now["note"], now["mtu"]
        if (br, note, mtu) != (m["bridge"], m["note"], m["mtu"]):
            touched.append("%s: %r, the user left %r"
                           % (name, (br, note, mtu),
                              (m["bridge"], m["note"], m["mtu"])))
    log = open(get("sh", "-c", "echo $OVS_RUNDIR") + "/ovs-offloadd.log").read()
    for name in user:
        if (": del-port %s " % name) in log or (
                ": del-port %s\n" % name) in log:
            touched.append("%s: the daemon deleted it (log)" % name)
    lines = [
        "edits: %d (%s)" % (edits, ", ".join("%s %d" % kv
                                            for kv in sorted(counts.items()))),
        "user ports at the end: %d" % len(user),
        "user rows touched: %d" % len(touched),
    ] + ["  " + t for t in touched] + [
        "converged on the final intent: %s" % (
            "%.2f s after the last edit" % converged if converged is not None
            else "NO (within 120 s)"),
        "final intent: offload-rep-mtu=%s offload-vxlan=%s" % (
            intent["offload-rep-mtu"], intent["offload-vxlan"]),
    ]
    text = "\n".join(lines) + "\n"
    sys.stdout.write(text)
    if report:
        with open(report, "w") as f:
            f.write(text)
    return 0 if not touched and converged is not None else 1


if __name__ == "__main__":
    sys.exit(main())
