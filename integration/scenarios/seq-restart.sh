#!/bin/bash
# Restarting the daemon at every step (kill -9, then start) still converges,
# with nothing created twice.  The daemon starts paused and is told to apply
# exactly one round (one step of the sequence) with offload/step; then it is
# killed with SIGKILL and started again, until nothing is left to do.
# Then a devlink refusal (a rate node left over) reaches Bridge.error with the
# kernel's own message, and is retried with backoff until it goes away.
# lab-timeout: 600
. "$LAB_INTEGRATION/lib.sh"
. "$LAB_INTEGRATION/offload.sh"

lab_need_bin ovs-offloadd ovs-offloadctl
lab_step "setup: netdevsim10 with 2 ports and 4 queues"
lab_modules
lab_nsim_new 10 2 4
lab_start_ovs
offload_fake_lag netdevsim10 active
offload_start_daemon --paused

ovs-vsctl add-br br0 -- set Bridge br0 external_ids:offload-uplinks=n10p1,n10p2 \
    external_ids:offload-bond=active-backup external_ids:offload-num-vfs=4 \
    external_ids:offload-mtu=9080 external_ids:offload-rep-mtu=9000
lab_wait 30 "the daemon sees the intent" sh -c \
    'ovs-offloadctl get Bridge br0 intent | grep -q offload-uplinks'

lab_step "one step, kill -9, start again: until nothing is left"
kills=0
for round in $(seq 20); do
    plan=$(ovs-appctl -t ovs-offloadd offload/step) \
        || lab_fail "offload/step failed" "$plan"
    first=$(echo "$plan" | sed -n 's/^1\. //p')
    echo "  round $round applied: ${first:-nothing}"
    echo "$plan" | grep -q '^no actions$' && break
    # A wait (for representors to settle, for the LAG) changes nothing in
    # the kernel: killing the daemon there only starts the wait again.
    if echo "$first" | grep -q '\] wait '; then
        lab_wait 30 "the wait of round $round ends" sh -c \
            "! ovs-appctl -t ovs-offloadd offload/plan | grep -qxF '1. $first'"
        continue
    fi
    # Let the round's database changes commit (the kernel changes are done
    # when offload/step replies) before pulling the plug.
    lab_wait 30 "round $round visible" sh -c \
        "! ovs-appctl -t ovs-offloadd offload/plan | grep -qxF '1. $first'"
    kill -9 "$(cat /run/openvswitch/ovs-offloadd.pid)"
    kills=$((kills + 1))
    rm -f /run/openvswitch/ovs-offloadd.pid
    mv "$LAB_OUT/ovs-offloadd.log" "$LAB_OUT/ovs-offloadd.log.$kills"
    offload_start_daemon --paused
done
cat "$LAB_OUT"/ovs-offloadd.log.* "$LAB_OUT/ovs-offloadd.log" > "$LAB_OUT/all.log"
echo "  killed $kills times"
lab_check "killed at 6 steps or more" test "$kills" -ge 6
ovs-appctl -t ovs-offloadd offload/resume
offload_wait_state br0 converged 60

lab_step "converged, nothing done twice"
lab_check_eq "4 VFs" 4 "$(cat /sys/bus/netdevsim/devices/netdevsim10/sriov_numvfs)"
lab_check_grep "switchdev" 'mode switchdev' devlink dev eswitch show netdevsim/netdevsim10
lab_check_eq "bond, 4 representors" 5 "$(ovs-vsctl list-ports br0 | wc -l)"
lab_check_eq "one Port row per name" 6 "$(ovs-vsctl --bare --columns=name list Port | grep -c .)"
for a in 'set-eswitch netdevsim/netdevsim10 switchdev' 'create-bond bond-br0' \
         'set-numvfs netdevsim/netdevsim10 4' 'set-master n10p1 bond-br0' \
         'set-master n10p2 bond-br0' 'set-mtu bond-br0 9080' 'add-port bond-br0 '; do
    lab_check_eq "'$a' done once" 1 "$(grep -c "|apply|INFO|br0: $a" "$LAB_OUT/all.log")"
done

lab_step "a devlink refusal reaches status with the kernel's message"
# netdevsim refuses to leave switchdev mode while a rate node exists; with
# no VFs, the controller's change of mode is the first thing to meet it.
ovs-vsctl set Bridge br0 external_ids:offload-num-vfs=0
lab_wait 120 "converged with 0 VFs" ovs-offloadctl --timeout=120 wait-until \
    Bridge br0 'intent:offload-num-vfs="0"' state=converged
lab_check_grep "switchdev, 0 VFs" 'mode switchdev' devlink dev eswitch show netdevsim/netdevsim10
devlink port function rate add netdevsim/netdevsim10/grp1 \
    || lab_fail "cannot create a devlink rate node (setup)"
ovs-vsctl set Bridge br0 external_ids:offload-eswitch=legacy
lab_wait 90 "the kernel's refusal in Bridge.error" sh -c \
    'ovs-offloadctl get Bridge br0 error | grep -q "Rate node(s) exists"'
echo "  error: $(ovs-offloadctl get Bridge br0 error)"
lab_check_grep "logged with the retry" 'set-eswitch netdevsim/netdevsim10 legacy failed: .*Rate node\(s\) exists.*retrying in' \
    cat "$LAB_OUT/ovs-offloadd.log"
devlink port function rate del netdevsim/netdevsim10/grp1
lab_wait 120 "legacy once the rate node is gone" sh -c \
    'ovs-offloadctl get Bridge br0 state | grep -qx converged && devlink dev eswitch show netdevsim/netdevsim10 | grep -q "mode legacy"'
offload_stop_daemon
