#!/bin/bash
# Benchmark of "ovs-offloadctl verify", against a floor and against the
# tools people use today, on the same data in the same run.
#
# Offline (any host): N generated flower filters with OVS cookies, as the
# kernel dumps them (tests/test-verify gen).
#   floor:  bench/tc-dump-floor --file: libmnl walks the same messages
#   ours:   test-verify report --json --tc-flows: parse + ufid join + JSON,
#           the path "ovs-offloadctl verify" takes (flows from the tc
#           cookies)
#   also:   the same flows given as "dump-flows -m" text (the
#           --check-vswitchd path), and the table renderer
#   Times are CPU seconds (user + system), which a loaded machine does not
#   inflate, and wall seconds.
#
# Live (in the kernel lab, needs openvswitch and cls_flower):
#
#   make && VM_MEM=4096 VM_TIMEOUT=7200 LAB_KERNEL=6.1 \
#       integration/run-vm.sh bench/verify-bench.sh
#
#   ovs-vswitchd (hw-offload=true) installs N datapath flows itself: frames
#   from namespace h1 (bench/frame-gen), each to its own destination MAC,
#   and an OpenFlow rule that matches dl_dst exactly, so that every
#   megaflow is exact on dl_dst; tc takes them (veth: software only).  In
#   the same run:
#   (a) floor: bench/tc-dump-floor, a bare libmnl dump of the same hooks
#       (ingress and egress of h1, h2, br0), discarded
#   (b) users: tc -s -j filter show dev h1|h2 ingress + ovs-appctl
#       dpctl/dump-flows -m
#   (c) ours:  ovs-offloadctl verify --format=json --no-db --resample=0
#   and prints (c)/(a), (b)/(c) and the peak RSS of (c).
#
#   Revalidators are paused before the first frame (ovs-appctl
#   revalidator/pause): ovs-vswitchd scales its flow limit down when a
#   revalidation dump takes more than 2 s (ofproto-dpif-upcall.c), which
#   tens of thousands of tc flows under TCG always do, and then deletes
#   flows (max-idle drops to 100 ms above the limit).  The handler still
#   installs each flow; they stay ovs-vswitchd's (ukeys, cookies = ufids).
#
# Environment: VERIFY_BENCH_N (default 100000), VERIFY_BENCH_CHUNK (frames
# per round, 5000), VERIFY_BENCH_PPS (frame rate, 1500),
# VERIFY_BENCH_POINTS (flow counts at which (a) and (c) are also measured,
# for the curve; default "10000 30000 60000"), VERIFY_BENCH_INSTALL_S
# (give up installing after this many seconds, 3600; then it measures the
# count it reached), VERIFY_BENCH_PROFILE=1 (strace -c and callgrind of
# ours at the first point, into $LAB_OUT).  In the lab, give them as
# LAB_VERIFY_BENCH_* (only LAB_* variables reach the guest).
# lab-timeout: 7200
# In the lab only LAB_* variables reach the guest: LAB_VERIFY_BENCH_N=...
for v in N CHUNK PPS POINTS INSTALL_S RUNS OFFLINE PROFILE; do
    eval "[ -n \"\${LAB_VERIFY_BENCH_$v+x}\" ] && [ -z \"\${VERIFY_BENCH_$v+x}\" ] \
        && VERIFY_BENCH_$v=\$LAB_VERIFY_BENCH_$v"
done
N=${VERIFY_BENCH_N:-100000}
TOP=${LAB_TOP:-$(cd "$(dirname "$0")/.." && pwd)}
TV=$TOP/tests/test-verify
FLOOR=$TOP/bench/tc-dump-floor
GEN=$TOP/bench/frame-gen
work=$(mktemp -d /run/verify-bench.XXXXXX 2>/dev/null || mktemp -d)
trap 'rm -rf "$work"' EXIT
for b in "$TV" "$FLOOR" "$GEN"; do
    [ -x "$b" ] || { echo "$b missing: run make first"; exit 2; }
done

# measure LABEL CMD...: runs CMD with output to $work/out and prints
# "LABEL: wall s, cpu s, RSS KB"; sets $secs (wall), $cpu and $kb.
measure() {
    local label=$1; shift
    /usr/bin/time -f '%e %U %S %M' -o "$work/time" "$@" > "$work/out" 2>"$work/err"
    tail -1 "$work/time" > "$work/time1"
    local u s
    read secs u s kb < "$work/time1"
    cpu=$(echo "$u + $s" | bc)
    printf '  %-52s %8.2f s wall %7.2f s cpu (%.2f user) %8d KB RSS (%d bytes out)\n' \
        "$label" "$secs" "$cpu" "$u" "$kb" "$(wc -c < "$work/out")"
}
ratio() { echo "scale=2; $1 / ($2 + 0.001)" | bc; }

echo "== offline: $N generated filters with OVS cookies"
"$TV" gen "$N" "$work/gen.bin" "$work/gen-flows.txt"
: > "$work/none.txt"
printf 'config hw_offload=true tc_policy=none\ndev v1 bridge=br0 exists=yes ifindex=5 driver=veth hw_tc=no hw_tc_on=no switch_id=- eswitch=- block=0 lower=-\n' > "$work/gen-ev.txt"
measure "floor: tc-dump-floor --file (libmnl walk)" "$FLOOR" --file "$work/gen.bin"
f_cpu=$cpu
measure "ours: parse + join + JSON (--tc-flows)" \
    "$TV" report --json --compact --tc-flows "$work/none.txt" "$work/gen-ev.txt" "$work/gen.bin@v1"
o_cpu=$cpu
python3 -c "import json; r=json.load(open('$work/out')); print('    report:', r['summary'])" 2>/dev/null
measure "ours: parse + join + table (--tc-flows)" \
    "$TV" report --tc-flows "$work/none.txt" "$work/gen-ev.txt" "$work/gen.bin@v1"
measure "ours: + dump-flows -m text of the flows, JSON" \
    "$TV" report --json --compact "$work/gen-flows.txt" "$work/gen-ev.txt" "$work/gen.bin@v1"
echo "  offline: ours $o_cpu s cpu (target <= 0.5 s), floor $f_cpu s; ours/floor $(ratio "$o_cpu" "$f_cpu")"

if [ "${VERIFY_BENCH_OFFLINE:-0}" = 1 ] \
   || ! { modprobe -q openvswitch && modprobe -q cls_flower && modprobe -q sch_ingress \
          && modprobe -q act_mirred; } 2>/dev/null; then
    echo "no openvswitch/cls_flower here: run it in the lab for the live comparison"
    exit 0
fi

echo "== live: $N datapath flows installed by ovs-vswitchd (hw-offload=true)"
. "$LAB_INTEGRATION/lib.sh"
lab_modules >/dev/null
lab_start_ovs --hw-offload max-idle=3600000 flow-limit=$((2 * N)) >/dev/null
lab_host h1 10.0.0.1 >/dev/null
lab_host h2 10.0.0.2 >/dev/null
ovs-vsctl add-br br0 -- add-port br0 h1 -- add-port br0 h2 \
    || lab_fail "cannot add br0"
# Every megaflow exact on dl_dst: the rule below makes the classifier look
# at the whole destination MAC of every frame.
ovs-ofctl del-flows br0
ovs-ofctl add-flow br0 "priority=100,dl_dst=02:00:00:00:00:00,actions=drop"
ovs-ofctl add-flow br0 "priority=10,in_port=h1,actions=output:h2"
ovs-appctl upcall/set-flow-limit $((2 * N)) >/dev/null

# The flows ovs-vswitchd holds: its ukeys, per revalidator ("N: (keys K)"
# lines of upcall/show; its "flows: (current)" counts only the kernel
# datapath's own flows).
n_flows() {
    ovs-appctl upcall/show | sed -n 's/.*(keys \([0-9]*\)).*/\1/p' \
        | awk '{ s += $1 } END { print s + 0 }'
}
# settle: waits until the flow count stops moving (the handler drains its
# queue), prints it.
settle() {
    local prev=-1 cur
    cur=$(n_flows)
    while [ "$cur" != "$prev" ]; do
        prev=$cur
        sleep 2
        cur=$(n_flows)
    done
    echo "$cur"
}

# measure_ours_floor LABEL: (a) and (c) at the current count.
measure_ours_floor() {
    # The hooks ours dumps: ingress where there is an ingress or clsact
    # qdisc, egress where it is clsact.
    local hooks=() dev q
    for dev in h1 h2 br0 ovs-system; do
        q=$(tc qdisc show dev "$dev" 2>/dev/null)
        case $q in *"qdisc ingress"*|*"qdisc clsact"*) hooks+=("$dev") ;; esac
        case $q in *"qdisc clsact"*) hooks+=("$dev:egress") ;; esac
    done
    measure "(a) floor: tc-dump-floor ${hooks[*]}" "$FLOOR" "${hooks[@]}"
    echo "      $(cat "$work/out")"
    a=$secs; a_cpu=$cpu
    measure "(c) ours: ovs-offloadctl verify --format=json" \
        ovs-offloadctl verify --format=json --resample=0 --no-db
    c=$secs; c_kb=$kb
    # What the CPUs allow: (c) cannot take less wall time than its CPU
    # time spread over every CPU, nor less than the floor's own dump.
    local ncpu bound
    ncpu=$(nproc)
    bound=$(echo "scale=2; x = $cpu / $ncpu; if (x < $a) x = $a; x" | bc)
    echo "      (c)'s CPU $cpu s on $ncpu CPUs: no faster than $bound s," \
         "(c)/(a) >= $(ratio "$bound" "$a") (the floor's CPU $a_cpu s)"
    if [ "${VERIFY_BENCH_PROFILE:-0}" = 1 ] && [ -z "$profiled" ]; then
        profiled=1
        strace -c -f -o "$LAB_OUT/verify-strace.txt" ovs-offloadctl verify \
            --format=json --resample=0 --no-db > /dev/null
        valgrind --tool=callgrind --callgrind-out-file="$LAB_OUT/verify.callgrind" \
            ovs-offloadctl verify --format=json --resample=0 --no-db \
            > /dev/null 2>&1
        callgrind_annotate --inclusive=yes "$LAB_OUT/verify.callgrind" \
            2>/dev/null | head -80 > "$LAB_OUT/verify-callgrind.txt"
        echo "      profile: $LAB_OUT/verify-strace.txt, verify-callgrind.txt"
    fi
    python3 -c "import json; r=json.load(open('$work/out')); print('      report:', r['summary'], '; sources:', r['sources'])" 2>/dev/null
    measure "(c) ours: ovs-offloadctl verify (table)" \
        ovs-offloadctl verify --resample=0 --no-db
    ct=$secs; ct_kb=$kb
    echo "  $1: (c)/(a) = $(ratio "$c" "$a") (target <= 1.3), RSS $c_kb KB; table: (c)/(a) = $(ratio "$ct" "$a"), RSS $ct_kb KB"
}

# The fixed part of (c), before any flow: connecting to ovsdb-server,
# opening the datapath, the devices' evidence, the empty dumps.
measure "(c) ours at 0 flows (its fixed cost)" \
    ovs-offloadctl verify --format=json --resample=0 --no-db

chunk=${VERIFY_BENCH_CHUNK:-5000}
pps=${VERIFY_BENCH_PPS:-1500}
points=" ${VERIFY_BENCH_POINTS-10000 30000 60000} "
limit=${VERIFY_BENCH_INSTALL_S:-3600}
# Revalidators paused from the start (see the top of this file): the
# handler still installs every flow (flow limit 2N), nothing retires them.
ovs-appctl revalidator/pause >/dev/null
t0=$(date +%s)
first=0 n=0
echo "-- installing: frames in rounds of $chunk at $pps/s (each round sent up to 3 times)"
while [ "$first" -lt "$N" ]; do
    cnt=$(( N - first < chunk ? N - first : chunk ))
    for pass in 1 2 3; do
        ip netns exec h1 "$GEN" eth0 "$first" "$cnt" "$pps" > /dev/null
        n=$(settle)
        [ "$n" -ge $(( first + cnt )) ] && break
    done
    first=$(( first + cnt ))
    el=$(( $(date +%s) - t0 ))
    echo "  ${el} s: $n flows after $first frames ($pass passes; lost upcalls: $(ovs-dpctl show | sed -n 's/.*lost:\([0-9]*\).*/\1/p'))"
    for p in $points; do
        if [ "$first" -eq "$p" ]; then
            measure_ours_floor "at $n flows"
        fi
    done
    if [ "$el" -gt "$limit" ]; then
        echo "  giving up installing after $el s (VERIFY_BENCH_INSTALL_S=$limit)"
        break
    fi
done
n=$(n_flows)
n_tc=$(tc filter show dev h1 ingress | grep -c 'cookie')
echo "  $n datapath flows (upcall/show), $n_tc tc filters with a cookie on h1, in $(( $(date +%s) - t0 )) s"
ovs-appctl dpctl/dump-flows -m > "$work/dpctl.txt"
echo "  dpctl/dump-flows -m: $(grep -c '^ufid:' "$work/dpctl.txt") flows, $(grep -c 'dp:tc' "$work/dpctl.txt") dp:tc"

for run in $(seq 1 "${VERIFY_BENCH_RUNS:-1}"); do
    echo "-- run $run at $n flows"
    measure_ours_floor "at $n flows"
    measure "(b) tc -s -j filter show dev h1 ingress" tc -s -j filter show dev h1 ingress
    b=$secs; b_kb=$kb
    measure "(b) tc -s -j filter show dev h2 ingress" tc -s -j filter show dev h2 ingress
    b=$(echo "$b + $secs" | bc); b_kb=$(( b_kb > kb ? b_kb : kb ))
    measure "(b) ovs-appctl dpctl/dump-flows -m" ovs-appctl dpctl/dump-flows -m
    b=$(echo "$b + $secs" | bc); b_kb=$(( b_kb > kb ? b_kb : kb ))
    echo "  (a) $a s; (b) $b s (max RSS $b_kb KB); (c) $c s (max RSS $c_kb KB)"
    echo "  ratios, JSON:  (c)/(a) = $(ratio "$c" "$a") (target <= 1.3); (b)/(c) = $(ratio "$b" "$c") (target >= 10); RSS (c) $(( c_kb / 1024 )) MB (target <= 64)"
    echo "  ratios, table: (c)/(a) = $(ratio "$ct" "$a"); (b)/(c) = $(ratio "$b" "$ct"); RSS (c) $(( ct_kb / 1024 )) MB"
done
ovs-appctl revalidator/resume >/dev/null
lab_stop_ovs
