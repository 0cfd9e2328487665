#!/bin/bash
# Issues 6 and 12 in the kernel lab: "ovs-offloadctl verify" against OVS
# with hw-offload on a bridge with two veth-attached namespaces, netdevsim
# PF/representors, an IP on the bridge's internal port (its flows are in tc
# on the internal port's egress) and a VXLAN port to a namespace (decap
# flows on vxlan_sys_4789).  The report, built from the kernel (netlink
# dpif and tc dumps), has exactly the flows "dpctl/dump-flows -m" lists, by
# ufid; a filter added by hand is an orphan, and "--probe" records the
# kernel's extended ack for it and leaves no probe behind; with hw-offload
# off every flow is not_in_tc.  The raw dumps are recorded into
# $LAB_OUT/rec-* for the offline tests.
# lab-timeout: 600
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
lab_start_ovs --hw-offload max-idle=600000
lab_host h1 10.0.0.1
lab_host h2 10.0.0.2
lab_check "bridge br0 with h1, h2, n10p1, n10pf0vf0, n10pf0vf1" \
    ovs-vsctl add-br br0 -- add-port br0 h1 -- add-port br0 h2 \
        -- add-port br0 n10p1 -- add-port br0 n10pf0vf0 -- add-port br0 n10pf0vf1
lab_check "ping h1 -> 10.0.0.2" lab_ping h1 10.0.0.2 5

lab_step "internal port br0 10.0.0.254: its flows go to tc on egress"
lab_check "address on br0" ip addr add 10.0.0.254/24 dev br0
ip link set br0 up
sysctl -qw net.ipv6.conf.br0.disable_ipv6=1 2>/dev/null
lab_check "ping br0 -> 10.0.0.1" busybox ping -c 5 -W 2 -w 20 10.0.0.1

lab_step "VXLAN port vx1 to namespace remote (10.0.0.3 behind VNI 42)"
lab_host remote 192.168.50.2/24 ul0
lab_check "address on ul0" ip addr add 192.168.50.1/24 dev ul0
lab_check "underlay reachable" lab_ping remote 192.168.50.1 1
lab_check "remote vx0" ip -n remote link add vx0 type vxlan id 42 \
    local 192.168.50.2 remote 192.168.50.1 dstport 4789
ip -n remote addr add 10.0.0.3/24 dev vx0
ip -n remote link set vx0 up
lab_check "add vxlan port vx1" ovs-vsctl add-port br0 vx1 -- set interface vx1 \
    type=vxlan options:remote_ip=192.168.50.2 options:key=42
lab_check "ping h1 -> 10.0.0.3 (through VXLAN)" lab_ping h1 10.0.0.3 5

lab_step "verify (hw-offload on)"
# Traffic again right before the dumps: on a loaded TCG guest the
# revalidator may have retired flows of the first pings meanwhile.
lab_check "ping h1 -> 10.0.0.2" lab_ping h1 10.0.0.2 2
lab_check "ping br0 -> 10.0.0.1" busybox ping -c 2 -W 2 -w 20 10.0.0.1
lab_check "ping h1 -> 10.0.0.3 (through VXLAN)" lab_ping h1 10.0.0.3 2
ovs-appctl dpctl/dump-flows -m > "$LAB_OUT/dump-flows-m.txt"
ovs-appctl dpctl/dump-flows type=offloaded > "$LAB_OUT/dump-flows-offloaded.txt"
ovs-appctl dpctl/dump-flows -m type=tc > "$LAB_OUT/dump-flows-tc.txt"
for d in h1 h2; do
    tc -s filter show dev $d ingress > "$LAB_OUT/tc-s-$d.txt"
    ethtool -k $d | grep hw-tc-offload > "$LAB_OUT/ethtool-$d.txt"
done
tc -s filter show dev br0 egress > "$LAB_OUT/tc-s-br0-egress.txt"
tc -s filter show dev vxlan_sys_4789 ingress > "$LAB_OUT/tc-s-vxlan.txt"
ethtool -k n10pf0vf0 | grep hw-tc-offload > "$LAB_OUT/ethtool-n10pf0vf0.txt"
ovs-offloadctl verify > "$LAB_OUT/verify-hw.txt"
echo "exit status $?" >> "$LAB_OUT/verify-hw.txt"
ovs-offloadctl verify --format=json --pretty --resample=0 --record "$LAB_OUT/rec-hw" \
    > "$LAB_OUT/verify-hw.json"
rc=$?
ovs-appctl dpctl/dump-flows -m > "$LAB_OUT/dump-flows-m-after.txt"
cat "$LAB_OUT/verify-hw.txt"
lab_check_eq "verify exits 1 (flows not in hardware)" 1 "$rc"

# Flows only come and stay here (max-idle is 600 s): every ufid of the dump
# before is in the report, and every ufid of the report is in the dump
# after.
ufids() { grep -o '^ufid:[0-9a-f-]*' "$1" | cut -c6- | sort -u; }
ufids "$LAB_OUT/dump-flows-m.txt" > "$LAB_OUT/ufids-before.txt"
ufids "$LAB_OUT/dump-flows-m-after.txt" > "$LAB_OUT/ufids-after.txt"
jv "$LAB_OUT/verify-hw.json" "'\n'.join(sorted(set(f['ufid'] for f in r['flows'])))" \
    > "$LAB_OUT/ufids-report.txt"
n_before=$(wc -l < "$LAB_OUT/ufids-before.txt")
n_report=$(wc -l < "$LAB_OUT/ufids-report.txt")
n_off=$(grep -c 'actions:' "$LAB_OUT/dump-flows-offloaded.txt")
echo "dpctl/dump-flows -m: $n_before flows before, $(wc -l < "$LAB_OUT/ufids-after.txt") after; report: $n_report"
lab_check "there are datapath flows" test "$n_before" -gt 0
lab_check_eq "every ufid of dump-flows -m before is in the report" "" \
    "$(comm -23 "$LAB_OUT/ufids-before.txt" "$LAB_OUT/ufids-report.txt")"
lab_check_eq "every ufid of the report is in dump-flows -m after" "" \
    "$(comm -13 "$LAB_OUT/ufids-after.txt" "$LAB_OUT/ufids-report.txt")"
lab_check_eq "report flows = its distinct ufids" "$n_report" \
    "$(jv "$LAB_OUT/verify-hw.json" "r['summary']['flows']")"
lab_check_grep "sources: kernel datapath, its flows through the netlink dpif (or none, as its ovs_datapath statistics say)" \
    'kernel datapath system@ovs-system: ([0-9]+ flows and its statistics, through the netlink dpif|0 flows and its statistics, through the ovs_datapath family)' \
    jv "$LAB_OUT/verify-hw.json" "'\n'.join(r['sources'])"
lab_check_grep "sources: tc dumps" 'tc: rtnetlink qdisc dump' \
    jv "$LAB_OUT/verify-hw.json" "'\n'.join(r['sources'])"
lab_check_eq "veth flows in_tc_software_only, naming the missing hw-tc-offload" "ok" \
    "$(jv "$LAB_OUT/verify-hw.json" "'ok' if all(f['verdict']=='in_tc_software_only' and any(x['code']=='no_hw_tc_offload' and f['in_port'] in x['text'] for x in f['reasons']) for f in r['flows'] if f['in_port'] in ('h1','h2')) and any(f['in_port'] in ('h1','h2') for f in r['flows']) else 'bad'")"
lab_check_grep "veth h1 has hw-tc-offload off [fixed]" 'off \[fixed\]' cat "$LAB_OUT/ethtool-h1.txt"

# The internal port's flows: in tc on br0's egress, with in_port br0.
lab_check_grep "tc has filters on br0 egress" 'flower' cat "$LAB_OUT/tc-s-br0-egress.txt"
lab_check_grep "dump-flows -m has in_port(br0) flows" 'in_port\(br0\)' cat "$LAB_OUT/dump-flows-m.txt"
lab_check_eq "report: the in_port(br0) flows of dump-flows -m, on br0 egress" "" \
    "$(grep 'in_port(br0)' "$LAB_OUT/dump-flows-m.txt" | grep -o '^ufid:[0-9a-f-]*' | cut -c6- | sort \
       | comm -23 - <(jv "$LAB_OUT/verify-hw.json" "'\n'.join(sorted(f['ufid'] for f in r['flows'] if f['in_port']=='br0' and f['filters'] and f['filters'][0]['hook']=='egress'))"))"

# VXLAN decap flows: in_port vxlan_sys_4789, kept under --bridge=br0.
lab_check_grep "dump-flows -m has decap flows" 'in_port\(vxlan_sys_4789\)' cat "$LAB_OUT/dump-flows-m.txt"
ovs-offloadctl verify --format=json --resample=0 --bridge=br0 > "$LAB_OUT/verify-hw-br0.json"
lab_check_eq "report --bridge=br0: every decap flow of dump-flows -m" "" \
    "$(grep 'in_port(vxlan_sys_4789)' "$LAB_OUT/dump-flows-m.txt" | grep -o '^ufid:[0-9a-f-]*' | cut -c6- | sort \
       | comm -23 - <(jv "$LAB_OUT/verify-hw-br0.json" "'\n'.join(sorted(f['ufid'] for f in r['flows'] if f['in_port']=='vxlan_sys_4789' and f['bridge']=='br0'))"))"

# OVS counts a flow as offloaded only if tc's flags are in_hw or undefined;
# on 6.1 the kernel always sets not_in_hw, so type=offloaded is empty here.
lab_check_eq "dpctl/dump-flows type=offloaded is empty on 6.1 (not_in_hw)" 0 "$n_off"
lab_check_eq "no orphans yet" 0 "$(jv "$LAB_OUT/verify-hw.json" "r['summary']['orphans']")"
lab_check_eq "no upcall lost: no upcalls_lost finding" "" \
    "$(jv "$LAB_OUT/verify-hw.json" "' '.join(f['code'] for f in r['findings'] if f['code']=='upcalls_lost')")"
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

lab_step "--probe: the kernel's own reason, and no probe left behind"
# Fresh traffic, so that the veth flows have fresh counters.
lab_check "ping h1 -> 10.0.0.2" lab_ping h1 10.0.0.2 3
lab_check "tc filter add on n10pf0vf0 (software, no cookie)" tc filter add dev n10pf0vf0 \
    ingress protocol ip prio 100 flower dst_ip 192.0.2.9 action drop
tc_all() {
    for d in h1 h2 n10p1 n10pf0vf0 n10pf0vf1 vxlan_sys_4789; do
        echo "== $d ingress"; tc filter show dev $d ingress
    done
    echo "== br0 egress"; tc filter show dev br0 egress
}
tc_all > "$LAB_OUT/tc-before-probe.txt"
ovs-offloadctl verify --probe --format=json --pretty --resample=0 \
    > "$LAB_OUT/verify-probe.json"
tc_all > "$LAB_OUT/tc-after-probe.txt"
ovs-offloadctl verify --probe --resample=0 > "$LAB_OUT/verify-probe.txt"
tc_all > "$LAB_OUT/tc-after-probe2.txt"
grep -B1 -A3 'n10pf0vf0' "$LAB_OUT/verify-probe.txt" | head -20
lab_check_eq "probe extack on n10pf0vf0" "netdevsim: only offload of BPF classifiers supported" \
    "$(jv "$LAB_OUT/verify-probe.json" "[f['filters'][0]['probe']['extack'] for f in r['orphans'] if f['in_port']=='n10pf0vf0'][0]")"
lab_check_grep "the reason quotes the kernel and the catalogue" \
    'kernel_extack: the kernel refused it in hardware: "netdevsim: only offload of BPF classifiers supported" \(Operation not supported\)\. Meaning:' \
    cat "$LAB_OUT/verify-probe.txt"
lab_check_grep "sources: probes" '^source: probe: [1-9]' cat "$LAB_OUT/verify-probe.txt"
# OVS's own flows on the veths: the kernel refuses skip_sw there with no
# extended ack (veth has no tc offload at all).
lab_check_eq "probed OVS flows on h1/h2 say so" "ok" \
    "$(jv "$LAB_OUT/verify-probe.json" "'ok' if [f for f in r['flows'] if f['in_port'] in ('h1','h2')] and all(f['filters'][0]['probe'] and any(x['code']=='kernel_extack' for x in f['reasons']) for f in r['flows'] if f['in_port'] in ('h1','h2')) else 'bad'")"
# A probe is a skip_sw copy in a chain of its own.  OVS may install or
# expire flows of its own between the dumps (an ARP refresh), so compare
# what a probe would leave: the skip_sw filters and the chains in use.
probe_residue() {
    echo "skip_sw: $(grep -c 'skip_sw' "$1")"
    grep -o 'chain [0-9]*' "$1" | sort -u
}
lab_check_eq "no probe filter left" "$(probe_residue "$LAB_OUT/tc-before-probe.txt")" \
    "$(probe_residue "$LAB_OUT/tc-after-probe.txt")"
lab_check_eq "no probe filter left (second run)" \
    "$(probe_residue "$LAB_OUT/tc-before-probe.txt")" \
    "$(probe_residue "$LAB_OUT/tc-after-probe2.txt")"
lab_check_nogrep "no chain other than 0 anywhere" 'chain [1-9]' cat "$LAB_OUT/tc-after-probe2.txt"

lab_step "hw-offload off: restart OVS without it"
lab_stop_ovs
lab_start_ovs max-idle=600000
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
lab_check_eq "the netlink dpif lists the flows of dump-flows -m" "" \
    "$(ufids "$LAB_OUT/dump-flows-m-sw.txt" | comm -23 - <(ufids "$LAB_OUT/rec-sw/flows-system@ovs-system.txt"))"
lab_check "there are datapath flows" test "$n_dp" -gt 0
lab_check_eq "all flows not_in_tc" "$n_dp" \
    "$(jv "$LAB_OUT/verify-sw.json" "r['summary']['not_in_tc']")"
lab_check_eq "each says hw-offload is off" "$n_dp" \
    "$(jv "$LAB_OUT/verify-sw.json" "sum(1 for f in r['flows'] if f['reasons'][0]['code']=='hw_offload_disabled')")"
lab_step "done"
