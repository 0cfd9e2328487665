#!/bin/bash
# Reaction latency on the Linux back end (issue 10): netdevsim10 with 4
# VFs in switchdev mode on a converged bridge, real ovs-vswitchd (kernel
# datapath); then bench/reaction.py deletes an owned representor port N
# times (LAB_REACTION_N, default 200), one OVSDB transaction each, cycling
# over the 4 representors, and measures until the daemon's Port of that
# name is back in the database, against the round trip of the deletion
# itself in the same run.  Printed, not asserted (a figure, as the
# benchmarks' are).  The other event of bench/reaction-bench.sh, a
# representor appearing, needs the fake back end's hw-fake/add-link and is
# measured on the host only.
# lab-timeout: 600
. "$LAB_INTEGRATION/lib.sh"
. "$LAB_INTEGRATION/offload.sh"

N=${LAB_REACTION_N:-200}
lab_need_bin ovs-offloadd ovs-offloadctl
lab_step "setup: netdevsim10 (1 port), OVS, ovs-offloadd, br0 with 4 VFs"
lab_modules
lab_nsim_new 10 1
lab_start_ovs
offload_start_daemon
ovs-vsctl add-br br0 -- set Bridge br0 external_ids:offload-uplinks=n10p1 \
    external_ids:offload-num-vfs=4
offload_wait_state br0 converged 180
reps=$(offload_reps netdevsim10 | tr '\n' ' ')
lab_check_eq "4 representors" 4 "$(echo $reps | wc -w)"
lab_check_eq "ports on br0" 5 "$(ovs-vsctl list-ports br0 | wc -l)"

lab_step "$N deletions of an owned representor port"
pid=$(cat "$OVS_RUNDIR/ovs-offloadd.pid")
python3 "$LAB_TOP/bench/reaction.py" "$OVS_RUNDIR/db.sock" \
    "$OVS_RUNDIR/ovs-offloadd.$pid.ctl" br0 - "$N" $reps \
    > "$LAB_OUT/reaction.txt" 2>&1 \
    || lab_fail "reaction.py" "$(tail "$LAB_OUT/reaction.txt")"
sed 's/^/LAB FIGURE: /' "$LAB_OUT/reaction.txt"
offload_wait_state br0 converged 60
lab_check_eq "ports on br0 afterwards" 5 "$(ovs-vsctl list-ports br0 | wc -l)"
lab_step "done"
