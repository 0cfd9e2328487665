#!/bin/bash
# Issue 13: the Linux back end's VF driver binding (sysfs_set_vf_driver(),
# through tests/test-vf) on real PCI SR-IOV VFs: QEMU's emulated NVMe
# controller as the PF (see lab-vfio.sh for the machine).  The NVMe PF has
# no netdev, so the daemon cannot manage it as an uplink: this scenario
# drives the back end's binding function directly; the planner's use of it
# (only named VFs, user ports, LAG order) is covered by the host tests.
# Both VFs start on pci-stub (a driver "the user" chose); VF 0 goes to
# vfio-pci (unbind + driver_override + drivers_probe, no new_id) and gets
# its /dev/vfio/N, VF 1 keeps pci-stub; again is a no-op; then none; a
# driver that is not loaded and a VF of another PF are refused.
# lab-timeout: 300
# lab-machine: q35
# lab-kernel-args: intel_iommu=on no_timer_check
# lab-qemu-args: -device intel-iommu
# lab-qemu-args: -device pcie-root-port,id=rp1,bus=pcie.0,chassis=1
# lab-qemu-args: -device nvme-subsys,id=nvs0,nqn=nqn.2026-12.org.ovs-offload:lab
# lab-qemu-args: -device nvme,serial=lab0,bus=rp1,subsys=nvs0,sriov_max_vfs=2,sriov_vq_flexible=4,sriov_vi_flexible=2
. "$LAB_INTEGRATION/lib.sh"

TESTVF=$LAB_TOP/tests/test-vf
[ -x "$TESTVF" ] || lab_fail "$TESTVF is not built"

lab_step "modules: nvme, vfio-pci, pci-stub"
lab_modules nvme vfio-pci
modprobe pci-stub 2>/dev/null
lab_check "pci-stub driver present" test -d /sys/bus/pci/drivers/pci-stub

pf=
for d in /sys/bus/pci/devices/*; do
    [ "$(cat "$d/vendor"):$(cat "$d/device")" = 0x1b36:0x0010 ] && [ -e "$d/sriov_totalvfs" ] && pf=$(basename "$d")
done
[ -n "$pf" ] || lab_fail "no SR-IOV capable NVMe" "$(ls /sys/bus/pci/devices)"
P=/sys/bus/pci/devices/$pf
lab_wait 30 "PF is bound to nvme" sh -c "[ \"\$(basename \"\$(readlink $P/driver)\")\" = nvme ]"

lab_step "2 VFs (autoprobe off), both bound to pci-stub by hand"
echo 0 > "$P/sriov_drivers_autoprobe" || lab_fail "cannot clear sriov_drivers_autoprobe"
echo 2 > "$P/sriov_numvfs" || lab_fail "sriov_numvfs=2 failed"
lab_wait 20 "virtfn1 exists" test -e "$P/virtfn1"
vf0=$(basename "$(readlink -f "$P/virtfn0")")
vf1=$(basename "$(readlink -f "$P/virtfn1")")
drv() { local l; l=$(readlink "/sys/bus/pci/devices/$1/driver") && basename "$l" || echo none; }
for v in $vf0 $vf1; do
    echo pci-stub > "/sys/bus/pci/devices/$v/driver_override"
    echo "$v" > /sys/bus/pci/drivers_probe
    lab_check_eq "VF $v on pci-stub" pci-stub "$(drv $v)"
done
group=$(basename "$(readlink "/sys/bus/pci/devices/$vf0/iommu_group")")
echo "  PF $pf, VF 0 $vf0 (IOMMU group $group), VF 1 $vf1"
new_id_before=$(stat -c %Y /sys/bus/pci/drivers/vfio-pci/new_id)

lab_step "VF 0 to vfio-pci"
lab_check_grep "bind $vf0 vfio-pci" '^ok$' "$TESTVF" bind /sys "$pf" "$vf0" vfio-pci
lab_check_eq "VF 0 driver" vfio-pci "$(drv $vf0)"
lab_check_eq "VF 0 driver_override stays vfio-pci" vfio-pci "$(cat /sys/bus/pci/devices/$vf0/driver_override)"
lab_wait 20 "/dev/vfio/$group exists" test -c "/dev/vfio/$group"
ls -l /dev/vfio/
lab_check_eq "VF 1 (not named) keeps pci-stub" pci-stub "$(drv $vf1)"
lab_check_eq "vfio-pci new_id untouched" "$new_id_before" "$(stat -c %Y /sys/bus/pci/drivers/vfio-pci/new_id)"
lab_check_grep "again: no-op" '^ok$' "$TESTVF" bind /sys "$pf" "$vf0" vfio-pci
lab_check_eq "VF 0 still vfio-pci" vfio-pci "$(drv $vf0)"

lab_step "refusals"
lab_check_fails "a driver that is not loaded" "$TESTVF" bind /sys "$pf" "$vf0" nosuchdrv
"$TESTVF" bind /sys "$pf" "$vf0" nosuchdrv
lab_check_eq "VF 0 still vfio-pci after the refusal" vfio-pci "$(drv $vf0)"
other=$(ls /sys/bus/pci/devices | grep -v "^$pf$" | grep -v "^$vf0$" | head -1)
lab_check_fails "a VF of another PF" "$TESTVF" bind /sys "$other" "$vf0" vfio-pci
"$TESTVF" bind /sys "$other" "$vf0" vfio-pci

lab_step "VF 0 to no driver, then back to pci-stub"
lab_check_grep "unbind $vf0" '^ok$' "$TESTVF" bind /sys "$pf" "$vf0" none
lab_check_eq "VF 0 unbound" none "$(drv $vf0)"
lab_check_grep "bind $vf0 pci-stub" '^ok$' "$TESTVF" bind /sys "$pf" "$vf0" pci-stub
lab_check_eq "VF 0 on pci-stub" pci-stub "$(drv $vf0)"
lab_check_eq "override cleared for a driver other than vfio-pci" "(null)" "$(cat /sys/bus/pci/devices/$vf0/driver_override)"
lab_check_eq "VF 1 still pci-stub" pci-stub "$(drv $vf1)"
echo "LAB OK: VF $vf0 of NVMe PF $pf bound to vfio-pci (/dev/vfio/$group) and back, VF $vf1 untouched"
for v in $vf0 $vf1; do echo "$v" > "/sys/bus/pci/devices/$v/driver/unbind" 2>/dev/null; done
echo 0 > "$P/sriov_numvfs"
lab_step "done"
