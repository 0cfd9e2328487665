#!/bin/bash
# VF creation waits for the mlx5 LAG: on bridge br0 the (fake) LAG state
# reads "inactive" for 5 s, then "active", and the VFs are created only
# after it turned; on bridge br1 it never turns, and the bridge ends in a
# clear timeout error with no VFs created.
# lab-timeout: 400
. "$LAB_INTEGRATION/lib.sh"
. "$LAB_INTEGRATION/offload.sh"

lab_need_bin ovs-offloadd ovs-offloadctl
lab_step "setup: netdevsim10 and netdevsim11, 2 ports each"
lab_modules
lab_nsim_new 10 2
lab_nsim_new 11 2
lab_start_ovs
offload_fake_lag netdevsim10 inactive
offload_fake_lag netdevsim11 inactive
offload_start_daemon

lab_step "declare two bonded bridges with VFs"
ovs-vsctl add-br br0 -- set Bridge br0 external_ids:offload-uplinks=n10p1,n10p2 \
    external_ids:offload-bond=active-backup external_ids:offload-num-vfs=2
ovs-vsctl add-br br1 -- set Bridge br1 external_ids:offload-uplinks=n11p1,n11p2 \
    external_ids:offload-bond=active-backup external_ids:offload-num-vfs=2 \
    external_ids:offload-lag-timeout=8
offload_wait_state br0 waiting 60
lab_check_eq "br0 waits for the LAG" lag-wait "$(ovs-offloadctl get Bridge br0 step)"
lab_check "br0: the bond exists already" test -d /sys/class/net/bond-br0/bonding
lab_check_eq "br0: no VFs yet" 0 "$(cat /sys/bus/netdevsim/devices/netdevsim10/sriov_numvfs)"

lab_step "the LAG turns active 5 s later"
sleep 5
lab_check_eq "br0: still no VFs after 5 s" 0 \
    "$(cat /sys/bus/netdevsim/devices/netdevsim10/sriov_numvfs)"
active_at=$(date +%s%3N)
echo active > "$OFFLOAD_DEBUGFS/mlx5/netdevsim10/lag/state"
offload_wait_state br0 converged 60
lab_check_eq "br0: 2 VFs" 2 "$(cat /sys/bus/netdevsim/devices/netdevsim10/sriov_numvfs)"
t=$(ovs-offloadctl get Uplink n10p1 step_times)
echo "  step_times: $t (LAG active at $active_at)"
lag=$(echo "$t" | grep -o '\blag-wait=[0-9]*' | cut -d= -f2)
vfs=$(echo "$t" | grep -o '\bvfs=[0-9]*' | cut -d= -f2)
lab_check "waiting started before the LAG turned" test "$lag" -lt "$active_at"
lab_check "VFs created after the LAG turned" test "$vfs" -ge "$active_at"

lab_step "br1: the LAG never turns active"
offload_wait_state br1 error 60
err=$(ovs-offloadctl get Bridge br1 error)
echo "  error: $err"
lab_check_grep "timeout error" 'timed out after 8 s waiting for the LAG state of netdevsim/netdevsim11' echo "$err"
lab_check_eq "br1: no VFs" 0 "$(cat /sys/bus/netdevsim/devices/netdevsim11/sriov_numvfs)"
lab_check_grep "logged" 'bridge br1: error: timed out' cat "$LAB_OUT/ovs-offloadd.log"
offload_stop_daemon
