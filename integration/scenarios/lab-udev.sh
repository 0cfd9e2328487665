#!/bin/bash
# Lab self-test: systemd-udevd runs in the guest with Debian's rules and
# renames netdevsim ports and representors after they appear, as on real
# hardware: the kernel creates eth<N>, udev renames it to its "path" name
# (eni<ID>np<N> for a port, eni<ID>npf0vf<N> for a representor).  The names
# before and after come from the kernel's own uevents (add: INTERFACE=eth<N>;
# move: INTERFACE=<new>, DEVPATH_OLD=.../net/eth<N>), recorded with udevadm
# monitor.
# Key step (LAB_BREAK=udev skips it): starting systemd-udevd.
# lab-timeout: 420
. "$LAB_INTEGRATION/lib.sh"

lab_step "modules"
lab_modules netdevsim
lab_mount_debugfs
if ! lab_break udev; then
    lab_start_udev
fi

mon=/run/lab-udev-monitor.log
export SYSTEMD_IGNORE_CHROOT=1      # udevadm monitor refuses to run in a chroot otherwise
udevadm monitor --kernel --property --subsystem-match=net > "$mon" 2>&1 &
mon_pid=$!
sleep 1

# renamed_from NAME: the kernel's original name of the netdev now called NAME
# (from the move uevent), or nothing.
renamed_from() {
    awk -v n="$1" '/^KERNEL\[/ { act = $2 } /^INTERFACE=/ { i = substr($0, 11) }
        /^DEVPATH_OLD=/ { o = substr($0, 13); sub(/.*\//, "", o) }
        /^$/ { if (act == "move" && i == n) print o; act = i = o = "" }' "$mon" | tail -n1
}
# added_as NAME: true if the kernel announced a netdev named NAME (add uevent).
added_as() {
    awk -v n="$1" '/^KERNEL\[/ { act = $2 } /^INTERFACE=/ { i = substr($0, 11) }
        /^$/ { if (act == "add" && i == n) f = 1; act = i = "" } END { exit !f }' "$mon"
}

lab_step "netdevsim device 10 with one port, created through sysfs"
echo "10 1 1" > /sys/bus/netdevsim/new_device || lab_fail "new_device failed"
lab_wait 30 "netdevsim10 has its port" test -n "$(lab_nsim_netdevs 10)"
lab_udev_settle
port=$(lab_nsim_netdevs 10)
lab_check_eq "PF port renamed by udev to its path name" eni10np1 "$port"
before=$(renamed_from eni10np1)
case $before in
    eth[0-9]*) echo "  ok: the kernel named it $before" ;;
    *) lab_fail "no move uevent eth<N> -> eni10np1" "$(cat "$mon")" ;;
esac
lab_check "add uevent for $before" added_as "$before"
lab_check_eq "name_assign_type of eni10np1 is 4 (NET_NAME_RENAMED)" 4 \
    "$(cat /sys/class/net/eni10np1/name_assign_type)"
lab_check_grep "udev database: ID_NET_NAME_PATH=eni10np1" '^E: ID_NET_NAME_PATH=eni10np1$' \
    udevadm info /sys/class/net/eni10np1

lab_step "2 VFs, switchdev: representors appear as eth<N> and are renamed"
echo 2 > /sys/bus/netdevsim/devices/netdevsim10/sriov_numvfs || lab_fail "sriov_numvfs=2 failed"
lab_check "devlink eswitch switchdev" devlink dev eswitch set netdevsim/netdevsim10 mode switchdev
lab_wait 30 "3 netdevs (PF + 2 representors)" \
    test "$(lab_nsim_netdevs 10 | wc -l)" -ge 3
lab_udev_settle
for vf in 0 1; do
    rep=eni10npf0vf$vf
    lab_check "representor $rep exists" ip link show dev "$rep"
    lab_check_eq "$rep phys_port_name" "pf0vf$vf" "$(cat "/sys/class/net/$rep/phys_port_name")"
    old=$(renamed_from "$rep")
    case $old in
        eth[0-9]*) ;;
        *) lab_fail "no move uevent eth<N> -> $rep" "$(cat "$mon")" ;;
    esac
    lab_check "add uevent for $old" added_as "$old"
    lab_check_eq "$rep name_assign_type (NET_NAME_RENAMED)" 4 "$(cat "/sys/class/net/$rep/name_assign_type")"
    echo "LAB OK: representor of VF $vf renamed by udev: $old -> $rep"
done
lab_check_grep "devlink port 128 shows the udev name" \
    'netdevsim/netdevsim10/128: type eth netdev eni10npf0vf0 flavour pcivf' devlink port show

lab_step "a name given by userspace is kept (udev's keep policy)"
lab_check "rename eni10npf0vf1 -> rep1" ip link set dev eni10npf0vf1 name rep1
lab_udev_settle
lab_check "rep1 keeps its name" ip link show dev rep1

lab_step "back to legacy: representors go away"
lab_check "devlink eswitch legacy" devlink dev eswitch set netdevsim/netdevsim10 mode legacy
lab_udev_settle
lab_wait 30 "only the PF port is left" test "$(lab_nsim_netdevs 10)" = eni10np1
kill "$mon_pid" 2>/dev/null
echo 10 > /sys/bus/netdevsim/del_device
