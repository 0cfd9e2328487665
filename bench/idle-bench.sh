#!/bin/sh
# Benchmark: an idle ovs-offloadd.  Converges br0 (one PF, 4 VFs in
# switchdev mode, on the fake back end, with a userspace OVS), lets it
# settle, then counts over IDLE seconds in which nothing changes the
# voluntary context switches of every thread of ovs-offloadd (each is a
# wake-up: poll_block() returning, or a blocking call) and its resident
# set size.  The same figures for ovsdb-server and ovs-vswitchd, idle in
# the same run, are the baseline.  Targets (issue 10): at most 2 context
# switches per minute, RSS under 16 MB.
#
# The window starts SETTLE seconds after convergence (default 15): by then
# the daemon's own follow-ups of its last status write are over (the audit
# 50 ms after an observation, the OVS_Offload database check at most every
# 10 s after a change of that database).
#
# Usage: bench/idle-bench.sh [IDLE [SETTLE]]   (seconds, default 60 and 15)
set -eu

idle=${1:-60}
settle=${2:-15}
. "$(dirname "$0")/lib.sh"

# ctxsw PID: voluntary context switches of all of PID's threads.
ctxsw () {
    cat /proc/"$1"/task/*/status 2>/dev/null \
        | awk '/^voluntary_ctxt_switches:/ { n += $2 } END { print n + 0 }'
}
rss_kb () {
    awk '/^VmRSS:/ { print $2 }' /proc/"$1"/status
}

bench_start_ovs
bench_start_offloadd 4
ovs-vsctl add-br br0 -- set Bridge br0 datapath_type=dummy \
    external_ids:offload-uplinks=p0 external_ids:offload-num-vfs=4
ovs-offloadctl --timeout=60 wait-until Bridge br0 state=converged
sleep "$settle"

set -- ovs-offloadd ovsdb-server ovs-vswitchd
for p; do
    eval "pid_$(echo $p | tr - _)=$(cat "$p.pid")"
done
for p; do
    pid=$(cat "$p.pid")
    eval "c0_$(echo $p | tr - _)=$(ctxsw "$pid")"
done
sleep "$idle"
echo "idle ${idle} s from ${settle} s after br0 (p0, 4 representors) converged:"
for p; do
    v=$(echo $p | tr - _)
    pid=$(cat "$p.pid")
    eval "c0=\$c0_$v"
    c1=$(ctxsw "$pid")
    printf '  %-13s %6d voluntary context switches, RSS %6d kB, %s threads\n' \
        "$p" $((c1 - c0)) "$(rss_kb "$pid")" \
        "$(ls /proc/"$pid"/task | wc -l)"
    eval "d_$v=$((c1 - c0))"
done
echo "  ratio ovs-offloadd / ovsdb-server: $(awk -v a="$d_ovs_offloadd" -v b="$d_ovsdb_server" 'BEGIN { printf "%.2f", b ? a / b : a }')"
echo "  ratio ovs-offloadd / ovs-vswitchd: $(awk -v a="$d_ovs_offloadd" -v b="$d_ovs_vswitchd" 'BEGIN { printf "%.2f", b ? a / b : a }')"
ovs-offloadctl get Bridge br0 state
