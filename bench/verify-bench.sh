#!/bin/bash
# Benchmark of "ovs-offloadctl verify" against the tools people use today,
# on the same data in the same run:
#
#   ours:     ovs-offloadctl verify --format=json   (dump-flows -m from
#             ovs-vswitchd + tc dump of every port + join + render)
#   baseline: tc -s -j filter show dev DEV ingress + ovs-appctl
#             dpctl/dump-flows -m
#
# It needs a kernel with openvswitch and cls_flower, so run it in the lab:
#
#   VM_TIMEOUT=1800 integration/run-vm.sh bench/verify-bench.sh
#   (N=100000 by default; VERIFY_BENCH_N, VERIFY_BENCH_RUNS=1 change it.
#   Under TCG, 100k filters take ~230 s to add, and each side ~200 s.)
#
# On a host without them it measures only the offline part (parser + join
# + JSON of N generated filters and flows, tests/test-verify gen).
# lab-timeout: 1800
N=${VERIFY_BENCH_N:-100000}
TOP=${LAB_TOP:-$(cd "$(dirname "$0")/.." && pwd)}
TV=$TOP/tests/test-verify
work=$(mktemp -d /run/verify-bench.XXXXXX 2>/dev/null || mktemp -d)
trap 'rm -rf "$work"' EXIT

# measure LABEL CMD...: runs CMD with output to a file in $work, prints
# "LABEL: S.ss s, RSS KB" and sets $secs and $kb.
measure() {
    local label=$1; shift
    /usr/bin/time -f '%e %M' -o "$work/time" "$@" > "$work/out" 2>/dev/null
    tail -1 "$work/time" > "$work/time1"
    read secs kb < "$work/time1"
    printf '%-44s %7.2f s %9d KB max RSS  (%d bytes out)\n' "$label" "$secs" "$kb" \
        "$(wc -c < "$work/out")"
}

echo "== offline: parse + join + JSON of $N generated filters and flows"
"$TV" gen "$N" "$work/gen.bin" "$work/gen-flows.txt"
printf 'config hw_offload=true tc_policy=none\ndev v1 bridge=br0 exists=yes ifindex=5 driver=veth hw_tc=no hw_tc_on=no switch_id=- eswitch=- block=0 lower=-\n' > "$work/gen-ev.txt"
measure "test-verify report --json ($N)" "$TV" report --json "$work/gen-flows.txt" "$work/gen-ev.txt" "$work/gen.bin@v1"
python3 -c "import json; r=json.load(open('$work/out')); print('  report:', r['summary'])" 2>/dev/null

if ! { modprobe -q openvswitch && modprobe -q cls_flower && modprobe -q sch_ingress \
       && modprobe -q act_gact; } 2>/dev/null; then
    echo "no openvswitch/cls_flower here: run it in the lab for the live comparison"
    exit 0
fi

echo "== live: $N flower filters on a veth that is an OVS port (hw-offload=true)"
. "$LAB_INTEGRATION/lib.sh"
lab_modules >/dev/null
lab_start_ovs --hw-offload max-idle=600000 >/dev/null
lab_host h1 10.0.0.1 >/dev/null
lab_host h2 10.0.0.2 >/dev/null
ovs-vsctl add-br br0 -- add-port br0 h1 -- add-port br0 h2
lab_ping h1 10.0.0.2 3 >/dev/null || echo "ping failed"
# N extra filters in the same form OVS writes (a 16-byte cookie), at a
# priority OVS does not use; verify reports them as orphans.
awk -v n="$N" 'BEGIN { for (i = 0; i < n; i++)
    printf "filter add dev h1 ingress protocol ip prio 1000 handle %d flower skip_hw dst_ip %d.%d.%d.%d action gact drop cookie %032x\n",
        i + 1, 10 + int(i / 16777216), int(i / 65536) % 256, int(i / 256) % 256, i % 256, i }' > "$work/batch"
/usr/bin/time -f '  tc -b: %e s' tc -b "$work/batch"
n_flows=$(ovs-appctl dpctl/dump-flows -m | grep -c '^ufid:')
echo "  $(tc filter show dev h1 ingress | grep -c '^filter.*handle') filters on h1, $n_flows datapath flows"

for run in $(seq 1 "${VERIFY_BENCH_RUNS:-1}"); do
    echo "-- run $run"
    measure "baseline: tc -s -j filter show dev h1 ingress" tc -s -j filter show dev h1 ingress
    t1=$secs; k1=$kb
    measure "baseline: tc -s -j filter show dev h2 ingress" tc -s -j filter show dev h2 ingress
    t1=$(echo "$t1 + $secs" | bc); k1=$(( k1 > kb ? k1 : kb ))
    measure "baseline: ovs-appctl dpctl/dump-flows -m" ovs-appctl dpctl/dump-flows -m
    tb=$(echo "$t1 + $secs" | bc); kb_base=$(( k1 > kb ? k1 : kb ))
    measure "ours: ovs-offloadctl verify --format=json" \
        ovs-offloadctl verify --format=json --resample=0 --no-db
    python3 -c "import json; r=json.load(open('$work/out')); print('  report:', r['summary'])" 2>/dev/null
    echo "  baseline total $tb s (max RSS $kb_base KB); ours $secs s (max RSS $kb KB); ratio ours/baseline time $(echo "scale=2; $secs / $tb" | bc), memory $(echo "scale=2; $kb / $kb_base" | bc)"
done
lab_stop_ovs
