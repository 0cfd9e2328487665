#!/bin/bash
# Issue 12 in the kernel lab: the "upcalls_lost" finding.  OVS 3.1 counts 0
# CPUs during the first 10 s of uptime and then opens no upcall handler, so
# every packet that misses the datapath is lost (integration/lib.sh,
# lab_wait_cpu_count_settled).  LAB_OVS_EARLY=1 starts ovs-vswitchd at once
# to reproduce that; "ovs-offloadctl verify" must report the finding with
# the datapath's own counters as evidence, equal to what ovs-dpctl shows.
# lab-timeout: 300
. "$LAB_INTEGRATION/lib.sh"

lab_need_bin ovs-offloadctl
PY=/usr/bin/python3
jv() { "$PY" -c "import json,sys; r=json.load(open('$1')); print($2)"; }

up=$(cut -d' ' -f1 /proc/uptime)
echo "uptime at start: $up s"
lab_step "modules, OVS started before 10 s of uptime (LAB_OVS_EARLY=1)"
lab_modules
export LAB_OVS_EARLY=1
lab_start_ovs
up=$(cut -d' ' -f1 /proc/uptime)
echo "uptime after ovs-vswitchd started: $up s"
lab_check "OVS started in the first 10 s of uptime (uptime $up)" test "${up%.*}" -lt 10
lab_host h1 10.0.0.1
lab_host h2 10.0.0.2
lab_check "bridge br0 with h1, h2" ovs-vsctl add-br br0 -- add-port br0 h1 -- add-port br0 h2
# Replies cannot come: no handler installs a flow.  The pings only make
# upcalls.
lab_ping h1 10.0.0.2 3 > /dev/null 2>&1
ovs-dpctl show | grep lookups | tee "$LAB_OUT/dpctl-show.txt"
lost=$(grep -o 'lost:[0-9]*' "$LAB_OUT/dpctl-show.txt" | cut -d: -f2)
missed=$(grep -o 'missed:[0-9]*' "$LAB_OUT/dpctl-show.txt" | cut -d: -f2)
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
