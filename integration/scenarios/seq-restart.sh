#!/bin/bash
# Restarting the daemon at every step (kill -9, then start) still converges,
# with nothing created twice: the daemon is killed as soon as the bridge
# reaches each new step, and started again.
# lab-timeout: 500
. "$LAB_INTEGRATION/lib.sh"
. "$LAB_INTEGRATION/offload.sh"

lab_need_bin ovs-offloadd ovs-offloadctl
lab_step "setup: netdevsim10 with 2 ports and 4 queues"
lab_modules
lab_nsim_new 10 2 4
lab_start_ovs
offload_fake_lag netdevsim10 active
offload_start_daemon

ovs-vsctl add-br br0 -- set Bridge br0 external_ids:offload-uplinks=n10p1,n10p2 \
    external_ids:offload-bond=active-backup external_ids:offload-num-vfs=4 \
    external_ids:offload-mtu=9080 external_ids:offload-rep-mtu=9000

lab_step "kill -9 at every step"
seen=' '
kills=0
deadline=$(( $(date +%s) + 240 ))
while :; do
    state=$(ovs-offloadctl get Bridge br0 state 2>/dev/null)
    step=$(ovs-offloadctl get Bridge br0 step 2>/dev/null)
    [ "$state" = converged ] && break
    [ "$(date +%s)" -lt "$deadline" ] || lab_fail "no convergence in 240 s (state $state, step $step)"
    if [ -n "$step" ] && [ "$step" != '""' ] && ! echo "$seen" | grep -q " $step "; then
        seen="$seen$step "
        kill -9 "$(cat /run/openvswitch/ovs-offloadd.pid)"
        kills=$((kills + 1))
        echo "  killed at step $step ($state)"
        rm -f /run/openvswitch/ovs-offloadd.pid
        mv "$LAB_OUT/ovs-offloadd.log" "$LAB_OUT/ovs-offloadd.log.$kills"
        offload_start_daemon
    fi
    sleep 0.2
done
cat "$LAB_OUT"/ovs-offloadd.log.* "$LAB_OUT/ovs-offloadd.log" > "$LAB_OUT/all.log"
echo "  killed $kills times, at steps:$seen"
lab_check "killed at 3 steps or more" test "$kills" -ge 3

lab_step "converged, nothing created twice"
lab_check_eq "4 VFs" 4 "$(cat /sys/bus/netdevsim/devices/netdevsim10/sriov_numvfs)"
lab_check_eq "switchdev" switchdev \
    "$(devlink dev eswitch show netdevsim/netdevsim10 | grep -o 'mode [a-z]*' | cut -d' ' -f2)"
lab_check_eq "ports" 5 "$(ovs-vsctl list-ports br0 | wc -l)"
for a in 'set-eswitch netdevsim/netdevsim10 switchdev' 'create-bond bond-br0' \
         'set-numvfs netdevsim/netdevsim10 4' 'set-master n10p1 bond-br0' \
         'add-port bond-br0 '; do
    lab_check_eq "'$a' done once" 1 "$(grep -c "|apply|INFO|br0: $a" "$LAB_OUT/all.log")"
done
offload_stop_daemon
