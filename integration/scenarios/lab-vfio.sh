#!/bin/bash
# Lab self-test: real PCI SR-IOV VFs bound to vfio-pci.  QEMU 7.2's emulated
# NVMe controller can be an SR-IOV PF (sriov_max_vfs; it needs an NVMe
# subsystem device, a q35 machine and a PCIe root port); an emulated Intel
# IOMMU puts every device in an IOMMU group, so vfio-pci gives a VF its
# /dev/vfio/<group>.  The NVMe PF keeps its nvme driver; the VFs are created
# through sriov_numvfs with sriov_drivers_autoprobe off, and one is bound to
# vfio-pci with driver_override + drivers_probe, as one does with mlx5 VFs.
# Key step (LAB_BREAK=sriov skips it): writing sriov_numvfs.
# lab-timeout: 300
# lab-machine: q35
# lab-kernel-args: intel_iommu=on
# lab-qemu-args: -device intel-iommu
# lab-qemu-args: -device pcie-root-port,id=rp1,bus=pcie.0,chassis=1
# lab-qemu-args: -device nvme-subsys,id=nvs0,nqn=nqn.2026-12.org.ovs-offload:lab
# lab-qemu-args: -device nvme,serial=lab0,bus=rp1,subsys=nvs0,sriov_max_vfs=2,sriov_vq_flexible=4,sriov_vi_flexible=2
. "$LAB_INTEGRATION/lib.sh"

lab_step "modules: nvme (the PF's driver), vfio-pci"
lab_modules nvme vfio-pci
lab_check "IOMMU groups exist (intel_iommu=on)" test -n "$(ls /sys/kernel/iommu_groups)"

pf=
for d in /sys/bus/pci/devices/*; do
    [ "$(cat "$d/vendor"):$(cat "$d/device")" = 0x1b36:0x0010 ] && [ -e "$d/sriov_totalvfs" ] && pf=$(basename "$d")
done
[ -n "$pf" ] || lab_fail "no SR-IOV capable NVMe (1b36:0010 with sriov_totalvfs)" "$(ls /sys/bus/pci/devices)"
P=/sys/bus/pci/devices/$pf
echo "  PF $pf, driver $(basename "$(readlink "$P/driver")"), iommu group $(basename "$(readlink "$P/iommu_group")")"
lab_check_eq "PF sriov_totalvfs" 2 "$(cat "$P/sriov_totalvfs")"
lab_wait 30 "PF is bound to nvme" sh -c "[ \"\$(basename \"\$(readlink $P/driver)\")\" = nvme ]"

lab_step "2 VFs through sriov_numvfs"
echo 0 > "$P/sriov_drivers_autoprobe" || lab_fail "cannot clear sriov_drivers_autoprobe"
if ! lab_break sriov; then
    echo 2 > "$P/sriov_numvfs" || lab_fail "echo 2 > $P/sriov_numvfs failed" "$(dmesg | tail -n 5)"
fi
lab_check_eq "sriov_numvfs" 2 "$(cat "$P/sriov_numvfs")"
lab_wait 20 "virtfn0 and virtfn1 exist" test -e "$P/virtfn1"
vf=$(basename "$(readlink -f "$P/virtfn0")")
V=/sys/bus/pci/devices/$vf
lab_check_eq "VF $vf's physfn is the PF" "$pf" "$(basename "$(readlink -f "$V/physfn")")"
lab_check "VF $vf has no driver yet (autoprobe off)" test ! -e "$V/driver"
group=$(basename "$(readlink "$V/iommu_group")")
case $group in ''|*[!0-9]*) lab_fail "VF $vf has no IOMMU group" ;; esac
echo "  VF $vf: $(cat "$V/vendor"):$(cat "$V/device"), IOMMU group $group"

lab_step "bind VF $vf to vfio-pci"
echo vfio-pci > "$V/driver_override" || lab_fail "cannot set driver_override"
echo "$vf" > /sys/bus/pci/drivers_probe || lab_fail "drivers_probe $vf failed" "$(dmesg | tail -n 5)"
lab_check_eq "VF driver" vfio-pci "$(basename "$(readlink "$V/driver")")"
lab_wait 20 "/dev/vfio/$group is a character device" test -c "/dev/vfio/$group"
lab_check "/dev/vfio/vfio exists" test -c /dev/vfio/vfio
echo "LAB OK: VF $vf of NVMe PF $pf bound to vfio-pci: /dev/vfio/$group"

lab_step "unbind, remove the VFs"
echo "$vf" > /sys/bus/pci/drivers/vfio-pci/unbind || lab_fail "unbind failed"
echo 0 > "$P/sriov_numvfs" || lab_fail "sriov_numvfs=0 failed"
lab_check "VFs are gone" test ! -e "$P/virtfn0"
