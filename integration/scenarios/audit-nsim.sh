#!/bin/bash
# The tuning audit on netdevsim.  ovs-offloadd converges a managed bridge
# on n10p1 (switchdev, 2 VFs; it stores the channel count from before the
# mode change, 4) and publishes its audit findings in OVS_Offload
# (Audit_Finding rows): netdevsim 6.1 reports rings of 0 with a maximum of
# 4096.  With the daemon stopped (it would restore the channels), the
# channel count drops to 1: "ovs-offloadctl audit" on the managed uplinks
# finds it against the count before switchdev, and the rings, each with
# its fix.  Running the fix it printed makes that finding go away.
# lab-timeout: 500
. "$LAB_INTEGRATION/lib.sh"
. "$LAB_INTEGRATION/offload.sh"

lab_need_bin ovs-offloadd ovs-offloadctl
lab_step "setup: netdevsim10 with 2 ports and 4 queues, OVS, the daemon"
lab_modules
lab_nsim_new 10 2 4
lab_start_ovs
offload_start_daemon
echo "  what netdevsim 6.1 supports:"
ethtool -g n10p1 | sed 's/^/    /'
ethtool -l n10p1 | sed 's/^/    /'

lab_step "a managed bridge on n10p1"
ovs-vsctl add-br br0 -- set Bridge br0 \
    external_ids:offload-uplinks=n10p1 external_ids:offload-num-vfs=2
offload_wait_state br0 converged 240
lab_check_eq "channels before switchdev remembered" '"4"' \
    "$(ovs-offloadctl get Uplink n10p1 evidence:channels_before)"

lab_step "the daemon publishes the findings in OVS_Offload"
lab_wait 60 "an Audit_Finding row for the rings of n10p1" sh -c \
    "ovs-offloadctl --bare --columns=check find Audit_Finding device=n10p1 | grep -qx rings"
ovs-offloadctl --columns=device,bridge,check,found,expected,fix list Audit_Finding \
    | tee "$LAB_OUT/audit-rows.txt"
lab_check_eq "rings row: bridge" br0 \
    "$(ovs-offloadctl --bare --columns=bridge find Audit_Finding device=n10p1 check=rings)"
lab_check_eq "rings row: fix" "ethtool -G n10p1 rx 4096 tx 4096" \
    "$(ovs-offloadctl --bare --columns=fix find Audit_Finding device=n10p1 check=rings)"
lab_check_eq "nothing applied: rings still 0" 0 \
    "$(ethtool -g n10p1 | sed -n '/Current/,$p' | awk '/^RX:/ {print $2}')"
offload_stop_daemon
lab_wait 30 "ovs-offloadd gone" sh -c '! ovs-appctl -t ovs-offloadd version >/dev/null 2>&1'

lab_step "channels drop to 1; ovs-offloadctl audit on the managed uplinks"
ethtool -L n10p1 combined 1
rc=0
ovs-offloadctl audit > "$LAB_OUT/audit-1.txt" || rc=$?
cat "$LAB_OUT/audit-1.txt"
lab_check_eq "exit status 1 (findings)" 1 "$rc"
lab_check_grep "channels found" '^finding +n10p1 +channels +1 combined \(maximum 4\)' \
    cat "$LAB_OUT/audit-1.txt"
lab_check_grep "against the count before switchdev" 'expected: 4 \(the count before switchdev\)' \
    cat "$LAB_OUT/audit-1.txt"
lab_check_grep "channels fix" '^    fix: ethtool -L n10p1 combined 4$' cat "$LAB_OUT/audit-1.txt"
lab_check_grep "rings found" '^finding +n10p1 +rings +rx 0 \(max 4096\), tx 0 \(max 4096\)' \
    cat "$LAB_OUT/audit-1.txt"
lab_check_grep "rings fix" '^    fix: ethtool -G n10p1 rx 4096 tx 4096$' cat "$LAB_OUT/audit-1.txt"

rc=0
ovs-offloadctl audit --format=json > "$LAB_OUT/audit-1.json" || rc=$?
lab_check_eq "JSON: exit status 1" 1 "$rc"
fix=$(python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))
assert r["findings"] == sum(e["status"] == "finding" for e in r["entries"])
print([e for e in r["entries"]
       if e["device"] == "n10p1" and e["check"] == "channels"][0]["fix"])
' "$LAB_OUT/audit-1.json") || lab_fail "the JSON output does not parse" "$(head -c 400 "$LAB_OUT/audit-1.json")"
lab_check_eq "JSON: the channels fix" "ethtool -L n10p1 combined 4" "$fix"

lab_step "run the fix it printed: $fix"
lab_check "fix" $fix
rc=0
ovs-offloadctl audit > "$LAB_OUT/audit-2.txt" || rc=$?
cat "$LAB_OUT/audit-2.txt"
lab_check_nogrep "the channels finding is gone" '^finding +n10p1 +channels' \
    cat "$LAB_OUT/audit-2.txt"
lab_check_grep "the rings finding is still there" '^finding +n10p1 +rings' \
    cat "$LAB_OUT/audit-2.txt"
ovs-offloadctl audit --all n10p1 | grep -E 'channels|rings'

lab_step "and the rings fix"
ethtool -G n10p1 rx 4096 tx 4096
rc=0
ovs-offloadctl audit --all n10p1 > "$LAB_OUT/audit-3.txt" || rc=$?
grep -E 'channels|rings' "$LAB_OUT/audit-3.txt"
lab_check_grep "rings ok" '^ok +n10p1 +rings +rx 4096 \(max 4096\), tx 4096 \(max 4096\)' \
    cat "$LAB_OUT/audit-3.txt"
