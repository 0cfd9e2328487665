#!/bin/bash
# Issue 6 in the kernel lab: "ovs-offloadctl verify" against OVS with
# hw-offload on a bridge with two veth-attached namespaces and netdevsim
# PF/representors.  After traffic, every datapath flow that
# "dpctl/dump-flows -m" lists is reported in_tc_software_only, with the
# reason naming its in_port's missing hw-tc-offload; a filter added by hand
# is an orphan; with hw-offload off every flow is not_in_tc.  The raw dumps
# are recorded into $LAB_OUT/rec-* for the offline tests.
# lab-timeout: 400
. "$LAB_INTEGRATION/lib.sh"

lab_need_bin ovs-offloadctl
PY=/usr/bin/python3

# jq-like helper: prints a Python expression over the JSON report in $1.
jv() { "$PY" -c "import json,sys; r=json.load(open('$1')); print($2)"; }

lab_step "modules, netdevsim 10 with 2 VFs in switchdev"
lab_modules
lab_nsim_new 10 1
lab_nsim_vfs 10 2
lab_nsim_switchdev 10
for dev in n10p1 n10pf0vf0 n10pf0vf1; do
    ethtool -K "$dev" hw-tc-offload on
    ip link set "$dev" up
done

lab_step "OVS with hw-offload=true"
lab_start_ovs --hw-offload max-idle=60000
lab_host h1 10.0.0.1
lab_host h2 10.0.0.2
lab_check "bridge br0 with h1, h2, n10p1, n10pf0vf0, n10pf0vf1" \
    ovs-vsctl add-br br0 -- add-port br0 h1 -- add-port br0 h2 \
        -- add-port br0 n10p1 -- add-port br0 n10pf0vf0 -- add-port br0 n10pf0vf1
lab_check "ping h1 -> 10.0.0.2" lab_ping h1 10.0.0.2 5

lab_step "verify (hw-offload on)"
ovs-appctl dpctl/dump-flows -m > "$LAB_OUT/dump-flows-m.txt"
ovs-appctl dpctl/dump-flows type=offloaded > "$LAB_OUT/dump-flows-offloaded.txt"
ovs-appctl dpctl/dump-flows -m type=tc > "$LAB_OUT/dump-flows-tc.txt"
for d in h1 h2; do
    tc -s filter show dev $d ingress > "$LAB_OUT/tc-s-$d.txt"
    ethtool -k $d | grep hw-tc-offload > "$LAB_OUT/ethtool-$d.txt"
done
ethtool -k n10pf0vf0 | grep hw-tc-offload > "$LAB_OUT/ethtool-n10pf0vf0.txt"
ovs-offloadctl verify > "$LAB_OUT/verify-hw.txt"
echo "exit status $?" >> "$LAB_OUT/verify-hw.txt"
ovs-offloadctl verify --format=json --pretty --resample=0 --record "$LAB_OUT/rec-hw" \
    > "$LAB_OUT/verify-hw.json"
rc=$?
cat "$LAB_OUT/verify-hw.txt"
lab_check_eq "verify exits 1 (flows not in hardware)" 1 "$rc"

# The flows verify saw: the dump-flows -m text it fetched (recorded), and
# an independent dump taken just before (flows only come and stay here,
# max-idle is 60 s).
n_dp=$(grep -c '^ufid:' "$LAB_OUT/rec-hw/flows-system@ovs-system.txt")
n_before=$(grep -c '^ufid:' "$LAB_OUT/dump-flows-m.txt")
n_off=$(grep -c 'actions:' "$LAB_OUT/dump-flows-offloaded.txt")
n_tc=$(grep -c 'actions:' "$LAB_OUT/dump-flows-tc.txt")
echo "dpctl/dump-flows -m: $n_before flows before, $n_dp during verify; type=tc: $n_tc; type=offloaded: $n_off"
lab_check "there are datapath flows" test "$n_dp" -gt 0
lab_check_eq "report lists every dump-flows -m flow" "$n_dp" \
    "$(jv "$LAB_OUT/verify-hw.json" "r['summary']['flows']")"
lab_check_eq "every ufid of the earlier dump-flows -m is in the report" "$n_before" \
    "$(jv "$LAB_OUT/verify-hw.json" "len(set(l[5:41] for l in open('$LAB_OUT/dump-flows-m.txt') if l.startswith('ufid:')) & set(f['ufid'] for f in r['flows']))")"
lab_check_eq "all of them in_tc_software_only" "$n_dp" \
    "$(jv "$LAB_OUT/verify-hw.json" "r['summary']['in_tc_software_only']")"
lab_check_eq "each names its in_port's missing hw-tc-offload" "$n_dp" \
    "$(jv "$LAB_OUT/verify-hw.json" "sum(1 for f in r['flows'] if any(x['code']=='no_hw_tc_offload' and f['in_port'] in x['text'] for x in f['reasons']))")"
lab_check_grep "veth h1 has hw-tc-offload off [fixed]" 'off \[fixed\]' cat "$LAB_OUT/ethtool-h1.txt"
# Dumped one after the other: flows only come, so every ufid of the first
# dump must be in the type=tc one (which may hold a newer flow or two).
grep -o '^ufid:[^,]*' "$LAB_OUT/dump-flows-tc.txt" | sort > "$LAB_OUT/ufids-tc.txt"
lab_check_eq "OVS type=tc lists the flows of the earlier dump" "" \
    "$(grep -o '^ufid:[^,]*' "$LAB_OUT/dump-flows-m.txt" | sort \
       | comm -23 - "$LAB_OUT/ufids-tc.txt")"
# OVS counts a flow as offloaded only if tc's flags are in_hw or undefined;
# on 6.1 the kernel always sets not_in_hw, so type=offloaded is empty here.
lab_check_eq "dpctl/dump-flows type=offloaded is empty on 6.1 (not_in_hw)" 0 "$n_off"
lab_check_eq "no orphans yet" 0 "$(jv "$LAB_OUT/verify-hw.json" "r['summary']['orphans']")"
lab_check_grep "summary row in OVS_Offload" 'in_tc_software_only=' \
    ovs-offloadctl --columns=summary list Verify_Report

lab_step "offload/verify through ovs-offloadd"
ovs-offloadd --detach --no-chdir --pidfile --log-file="$LAB_OUT/ovs-offloadd.log"
lab_wait 20 "ovs-offloadd answers" ovs-appctl -t ovs-offloadd version
ovs-appctl -t ovs-offloadd offload/verify > "$LAB_OUT/offload-verify.txt"
head -2 "$LAB_OUT/offload-verify.txt"
lab_check_grep "offload/verify reports software-only flows" ' [1-9][0-9]* software-only' \
    head -1 "$LAB_OUT/offload-verify.txt"
ovs-appctl -t ovs-offloadd exit

lab_step "orphan filter added by hand"
lab_check "tc filter add (no cookie)" tc filter add dev h1 ingress protocol ip prio 100 \
    flower dst_ip 192.0.2.1 action drop
ovs-offloadctl verify --format=json --pretty --resample=0 --record "$LAB_OUT/rec-orphan" \
    > "$LAB_OUT/verify-orphan.json"
lab_check_eq "one orphan" 1 "$(jv "$LAB_OUT/verify-orphan.json" "r['summary']['orphans']")"
lab_check_eq "orphan on h1 pref 100" "h1 100 no_ovs_cookie" \
    "$(jv "$LAB_OUT/verify-orphan.json" "' '.join([r['orphans'][0]['in_port'], str(r['orphans'][0]['filters'][0]['prio']), r['orphans'][0]['reasons'][0]['code']])")"
ovs-offloadctl verify --resample=0 | tail -4

lab_step "hw-offload off: restart OVS without it"
lab_stop_ovs
lab_start_ovs max-idle=60000
lab_check "bridge br0 again" \
    ovs-vsctl add-br br0 -- add-port br0 h1 -- add-port br0 h2 \
        -- add-port br0 n10p1 -- add-port br0 n10pf0vf0 -- add-port br0 n10pf0vf1
tc filter del dev h1 ingress 2>/dev/null
lab_check "ping h1 -> 10.0.0.2" lab_ping h1 10.0.0.2 5
ovs-appctl dpctl/dump-flows -m > "$LAB_OUT/dump-flows-m-sw.txt"
ovs-offloadctl verify --resample=0 > "$LAB_OUT/verify-sw.txt"
ovs-offloadctl verify --format=json --pretty --resample=0 --record "$LAB_OUT/rec-sw" \
    > "$LAB_OUT/verify-sw.json"
cat "$LAB_OUT/verify-sw.txt"
n_dp=$(grep -c '^ufid:' "$LAB_OUT/rec-sw/flows-system@ovs-system.txt")
lab_check "there are datapath flows" test "$n_dp" -gt 0
lab_check_eq "all flows not_in_tc" "$n_dp" \
    "$(jv "$LAB_OUT/verify-sw.json" "r['summary']['not_in_tc']")"
lab_check_eq "each says hw-offload is off" "$n_dp" \
    "$(jv "$LAB_OUT/verify-sw.json" "sum(1 for f in r['flows'] if f['reasons'][0]['code']=='hw_offload_disabled')")"
lab_step "done"
