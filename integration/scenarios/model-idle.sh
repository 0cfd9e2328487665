#!/bin/bash
# An idle ovs-offloadd on the Linux back end (issue 10): the seed's
# approach 3 converges on netdevsim (bond, 4 representors, MTUs, VXLAN),
# then nothing changes for 60 s.  Printed, not asserted (a figure, as the
# benchmarks' are): the daemon's voluntary context switches over that
# minute, summed over its threads (each is a wake-up), and its RSS; the
# same for ovs-vswitchd, idle beside it, as the baseline.  Targets: at most
# 2 a minute, RSS under 16 MB.  The window starts 15 s after convergence,
# once the daemon's own follow-ups of its last status write are over.
# lab-timeout: 300
. "$LAB_INTEGRATION/lib.sh"
. "$LAB_INTEGRATION/offload.sh"

lab_need_bin ovs-offloadd ovs-offloadctl
lab_step "setup: netdevsim10 with 2 ports and 4 queues, OVS, fake LAG file"
lab_modules
lab_nsim_new 10 2 4
lab_start_ovs
offload_fake_lag netdevsim10 active
offload_start_daemon
offload_seed_bridge br0 n10p1,n10p2
offload_wait_state br0 converged 180

ctxsw() {
    cat /proc/"$1"/task/*/status 2>/dev/null \
        | awk '/^voluntary_ctxt_switches:/ { n += $2 } END { print n + 0 }'
}
rss_kb() { awk '/^VmRSS:/ { print $2 }' /proc/"$1"/status; }

lab_step "idle: 15 s to settle, then 60 s"
sleep 15
d=$(cat "$OVS_RUNDIR/ovs-offloadd.pid")
v=$(cat "$OVS_RUNDIR/ovs-vswitchd.pid")
d0=$(ctxsw "$d") v0=$(ctxsw "$v")
sleep 60
d1=$(ctxsw "$d") v1=$(ctxsw "$v")
lab_check_eq "br0 still converged" converged "$(ovs-offloadctl get Bridge br0 state)"
echo "LAB FIGURE: idle 60 s: ovs-offloadd $((d1 - d0)) voluntary context switches, RSS $(rss_kb "$d") kB ($(ls /proc/"$d"/task | wc -l) threads); ovs-vswitchd $((v1 - v0)), RSS $(rss_kb "$v") kB"
lab_step "done"
