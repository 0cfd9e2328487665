#!/bin/bash
# Issue 13: in switchdev mode a VF's MAC goes through its devlink port
# function (DEVLINK_CMD_PORT_SET, hw_addr), as on mlx5, not the PF's
# IFLA_VF_MAC.  netdevsim has no port function hw_addr, so the kernel
# refuses: the scenario shows that the daemon's request reaches devlink's
# port function handler for the VF's pcivf port (the kernel's own extended
# ack, the same as iproute2's for "devlink port function set ... hw_addr"),
# that the refusal is the bridge's error, and that the PF's VF MAC is left
# alone.
# lab-timeout: 300
. "$LAB_INTEGRATION/lib.sh"
. "$LAB_INTEGRATION/offload.sh"

lab_need_bin ovs-offloadd ovs-offloadctl
lab_step "setup: netdevsim10 with 1 port, OVS, the daemon"
lab_modules
lab_nsim_new 10 1 4
lab_start_ovs
offload_start_daemon

lab_step "intent: switchdev, 2 VFs, a MAC for VF 1"
lab_check "set the intent" ovs-vsctl add-br br0 -- set Bridge br0 \
    external_ids:offload-uplinks=n10p1 external_ids:offload-num-vfs=2 \
    'external_ids:offload-vf-vm1="vf=1,mac=52:54:00:12:34:56"'
lab_wait 120 "the MAC's refusal is the bridge's error" \
    sh -c 'ovs-offloadctl get Bridge br0 error | grep -q "hw_addr"'
err=$(ovs-offloadctl get Bridge br0 error)
echo "  Bridge.error: $err"
port=$(devlink port show | sed -n 's|^\(netdevsim/netdevsim10/[0-9]*\): .*flavour pcivf .*vfnum 1\b.*|\1|p')
[ -n "$port" ] || lab_fail "no pcivf port of VF 1" "$(devlink port show)"
echo "  VF 1's devlink port: $port"
lab_check_grep "the request named VF 1's port" "port function $port hw_addr" echo "$err"
iproute=$(devlink port function set "$port" hw_addr 52:54:00:12:34:56 2>&1 || true)
echo "  iproute2: $iproute"
kmsg=$(echo "$iproute" | sed -n 's/^Error: \(.*\)\.$/\1/p; s/^Error: \(.*\)$/\1/p' | head -n1)
[ -n "$kmsg" ] || lab_fail "iproute2 printed no kernel error" "$iproute"
lab_check_grep "the daemon got the kernel's own message ($kmsg)" "$kmsg" echo "$err"
lab_check_grep "VF 1's MAC not set through the PF" 'vf 1 .*link/ether 00:00:00:00:00:00' \
    ip link show dev n10p1
lab_check_fails "no IFLA_VF_MAC in the daemon's log" \
    grep -q 'VF 1 mac set to' "$LAB_OUT/ovs-offloadd.log"
lab_step "done"
