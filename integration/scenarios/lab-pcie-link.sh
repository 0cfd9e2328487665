#!/bin/bash
# Lab self-test: per-scenario VM hardware (the lab-machine and lab-qemu-args
# headers of run-vm.sh).  The VM is a q35 machine with a PCIe root port whose
# link is narrowed to 8 GT/s x4 and an emulated e1000e NIC behind it.
#
# What QEMU 7.2 shows the guest (measured): the root port has
# max_link_speed "8.0 GT/s PCIe" / max_link_width 4 and, with the e1000e
# attached, current_link_speed "2.5 GT/s PCIe" / current_link_width 1; the
# e1000e itself always reports 2.5 GT/s x1 as both max and current (QEMU
# does not model wider endpoint links).  So a narrowed link is visible on
# the port above the device, not on the device.
# lab-timeout: 240
# lab-machine: q35
# lab-qemu-args: -device pcie-root-port,id=rp1,bus=pcie.0,chassis=1,x-speed=8,x-width=4
# lab-qemu-args: -device e1000e,bus=rp1,id=nic1,mac=52:54:00:00:0a:01
. "$LAB_INTEGRATION/lib.sh"

lab_step "machine"
lab_check_eq "LAB_MACHINE" q35 "$LAB_MACHINE"
# 8086:29c0 is the q35 (MCH) host bridge; the default pc machine has 8086:1237.
lab_check_eq "host bridge is q35's" "0x8086 0x29c0" \
    "$(cat /sys/bus/pci/devices/0000:00:00.0/vendor /sys/bus/pci/devices/0000:00:00.0/device | tr '\n' ' ' | sed 's/ $//')"

lab_step "e1000e behind the narrowed root port"
lab_modules e1000e
nic=
for d in /sys/bus/pci/devices/*; do
    if [ "$(cat "$d/vendor")" = 0x8086 ] && [ "$(cat "$d/device")" = 0x10d3 ]; then
        nic=$(basename "$d")
    fi
done
[ -n "$nic" ] || lab_fail "no e1000e (8086:10d3) on the PCI bus" "$(ls /sys/bus/pci/devices)"
port=$(basename "$(dirname "$(readlink -f "/sys/bus/pci/devices/$nic")")")
echo "  e1000e $nic, upstream port $port"
lab_check_eq "upstream port is a QEMU pcie-root-port (1b36:000c)" "0x1b36 0x000c" \
    "$(cat "/sys/bus/pci/devices/$port/vendor" "/sys/bus/pci/devices/$port/device" | tr '\n' ' ' | sed 's/ $//')"
lab_wait 20 "e1000e has a netdev" ls "/sys/bus/pci/devices/$nic/net"
netdev=$(ls "/sys/bus/pci/devices/$nic/net" | head -n1)
lab_check_eq "netdev MAC" 52:54:00:00:0a:01 "$(cat "/sys/class/net/$netdev/address")"

lab_step "link attributes"
link() { cat "/sys/bus/pci/devices/$1/$2"; }
for d in "$port" "$nic"; do
    echo "  $d: current $(link "$d" current_link_speed) x$(link "$d" current_link_width)," \
         "max $(link "$d" max_link_speed) x$(link "$d" max_link_width)"
done
lab_check_eq "root port max_link_speed (x-speed=8)" "8.0 GT/s PCIe" "$(link "$port" max_link_speed)"
lab_check_eq "root port max_link_width (x-width=4)" 4 "$(link "$port" max_link_width)"
lab_check_eq "root port current_link_speed (negotiated with e1000e)" "2.5 GT/s PCIe" \
    "$(link "$port" current_link_speed)"
lab_check_eq "root port current_link_width" 1 "$(link "$port" current_link_width)"
lab_check_eq "e1000e max_link_speed" "2.5 GT/s PCIe" "$(link "$nic" max_link_speed)"
lab_check_eq "e1000e current_link_width" 1 "$(link "$nic" current_link_width)"
lab_check_eq "netdev's device is the e1000e" "$nic" \
    "$(basename "$(readlink -f "/sys/class/net/$netdev/device")")"
echo "LAB OK: root port $port runs at $(link "$port" current_link_speed) x$(link "$port" current_link_width) of $(link "$port" max_link_speed) x$(link "$port" max_link_width)"
