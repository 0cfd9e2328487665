#!/bin/bash
# Issue 12 in the kernel lab: the "upcalls_lost" finding.  Upcalls are lost
# when nobody reads them: OVS 3.1 started in the first 10 s of uptime opens
# no handler at all (integration/lib.sh, lab_wait_cpu_count_settled), but
# the guest does not always reach a scenario that early on a loaded host.
# So this stops ovs-vswitchd (SIGSTOP) and sends packets that all miss, so
# that the upcall socket overflows and the kernel counts them lost; then
# "ovs-offloadctl verify" must report the finding with the datapath's own
# counters as evidence, equal to what ovs-dpctl shows.
# lab-timeout: 300
. "$LAB_INTEGRATION/lib.sh"

lab_need_bin ovs-offloadctl
PY=/usr/bin/python3
jv() { "$PY" -c "import json,sys; r=json.load(open('$1')); print($2)"; }

lab_step "modules, OVS, bridge with h1 and h2"
lab_modules
lab_start_ovs
lab_host h1 10.0.0.1
lab_host h2 10.0.0.2
lab_check "bridge br0 with h1, h2" ovs-vsctl add-br br0 -- add-port br0 h1 -- add-port br0 h2
# No traffic before: no flow exists, so every packet below misses.  A
# static neighbour entry lets h1 send without ARP.
mac=$(ip -n h2 -o link show eth0 | grep -o 'link/ether [0-9a-f:]*' | cut -d' ' -f2)
lab_check "static neighbour 10.0.0.2 ($mac) in h1" \
    ip -n h1 neigh replace 10.0.0.2 lladdr "$mac" dev eth0 nud permanent

lab_step "ovs-vswitchd stopped: 20000 packets that miss every flow"
pid=$(cat /run/openvswitch/ovs-vswitchd.pid)
kill -STOP "$pid"
ip netns exec h1 "$PY" -c '
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for i in range(20000):
    s.sendto(b"x" * 64, ("10.0.0.2", 1024 + i % 60000))
' 2>&1 | tail -2
ovs-dpctl show | grep lookups | tee "$LAB_OUT/dpctl-show.txt"
kill -CONT "$pid"
lost=$(grep -o 'lost:[0-9]*' "$LAB_OUT/dpctl-show.txt" | cut -d: -f2)
lab_check "the datapath lost upcalls (lost:$lost)" test "${lost:-0}" -gt 0

lab_step "verify reports it, with the datapath's counters"
ovs-offloadctl verify --resample=0 > "$LAB_OUT/verify.txt"
ovs-offloadctl verify --resample=0 --format=json > "$LAB_OUT/verify.json"
grep -A1 'upcalls_lost' "$LAB_OUT/verify.txt"
lab_check_grep "text: finding error upcalls_lost" '^finding: error upcalls_lost: ' \
    cat "$LAB_OUT/verify.txt"
# Counters may grow between the two commands (ARP retries): compare the
# JSON's with a second ovs-dpctl after it.
ovs-dpctl show | grep lookups > "$LAB_OUT/dpctl-show2.txt"
lost2=$(grep -o 'lost:[0-9]*' "$LAB_OUT/dpctl-show2.txt" | cut -d: -f2)
ev=$(jv "$LAB_OUT/verify.json" "[f['evidence'] for f in r['findings'] if f['code']=='upcalls_lost'][0]")
echo "evidence: $ev"
n=$(echo "$ev" | sed -n 's/.* lost:\([0-9]*\).*/\1/p')
lab_check "evidence lost:$n between ovs-dpctl's $lost and $lost2" \
    test "${n:-0}" -ge "$lost" -a "${n:-0}" -le "$lost2"
lab_check_grep "evidence names the kernel datapath" '^system@ovs-system: lookups hit:' echo "$ev"
lab_step "done"
