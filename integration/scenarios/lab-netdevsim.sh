#!/bin/bash
# Lab self-test (a): netdevsim in switchdev mode with VFs and representors.
# Key step (LAB_BREAK=switchdev skips it): devlink eswitch mode switchdev.
. "$LAB_INTEGRATION/lib.sh"

lab_step "load modules"
lab_modules
lab_mount_debugfs

lab_step "netdevsim device 10: 2 ports, 4 queues"
lab_nsim_new 10 2 4
lab_check "PF port n10p1 exists" ip link show dev n10p1
lab_check_eq "n10p1 phys_port_name" p1 "$(cat /sys/class/net/n10p1/phys_port_name)"
lab_check_eq "n10p2 phys_port_name" p2 "$(cat /sys/class/net/n10p2/phys_port_name)"
lab_check_grep "devlink: PF ports have flavour physical" \
    'netdevsim/netdevsim10/0: type eth netdev n10p1 flavour physical port 1' devlink port show
lab_check_grep "ethtool: 4 combined channels" 'Combined:[[:space:]]+4' ethtool -l n10p1
lab_check_grep "eswitch starts in legacy mode" 'mode legacy' \
    devlink dev eswitch show netdevsim/netdevsim10

lab_step "4 VFs, then switchdev"
lab_nsim_vfs 10 4
lab_check_eq "sriov_numvfs" 4 "$(cat /sys/class/net/n10p1/device/sriov_numvfs)"
lab_check_grep "VF 3 listed on the PF" 'vf 3 ' ip link show dev n10p1
if ! lab_break switchdev; then
    lab_nsim_switchdev 10
fi
lab_check_grep "eswitch is in switchdev mode" 'mode switchdev' \
    devlink dev eswitch show netdevsim/netdevsim10

lab_step "representors"
swid=$(cat /sys/class/net/n10p1/phys_switch_id 2>/dev/null)
[ -n "$swid" ] || lab_fail "n10p1 has no phys_switch_id"
for vf in 0 1 2 3; do
    rep=n10pf0vf$vf
    lab_check "representor $rep exists" ip link show dev "$rep"
    lab_check_eq "$rep phys_port_name" "pf0vf$vf" "$(cat /sys/class/net/$rep/phys_port_name)"
    lab_check_eq "$rep phys_switch_id = PF's" "$swid" "$(cat /sys/class/net/$rep/phys_switch_id)"
    lab_check_grep "devlink port $((128 + vf)): $rep flavour pcivf vfnum $vf" \
        "netdevsim/netdevsim10/$((128 + vf)): type eth netdev $rep flavour pcivf controller 0 pfnum 0 vfnum $vf" \
        devlink port show
done
lab_check_eq "6 netdevs (2 PF ports + 4 representors)" 6 "$(lab_nsim_netdevs 10 | wc -l)"
lab_check_grep "representor driver is netdevsim" 'driver: netdevsim' ethtool -i n10pf0vf0
lab_check "VF MAC settable through the PF in switchdev mode" \
    ip link set dev n10p1 vf 0 mac 02:00:00:00:10:00

lab_step "back to legacy removes the representors"
lab_check "eswitch mode legacy" devlink dev eswitch set netdevsim/netdevsim10 mode legacy
lab_check_eq "2 netdevs in legacy mode" 2 "$(lab_nsim_netdevs 10 | wc -l)"
lab_step "done"
