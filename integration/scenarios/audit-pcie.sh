#!/bin/bash
# The tuning audit reports a PCIe link, its maximum and the bandwidth
# ceiling computed from them: a q35 VM with a virtio-net NIC that
# advertises a 100 Gb/s port, behind a pcie-root-port narrowed to
# 8 GT/s x4.  QEMU 7.2 gives the endpoint a 2.5 GT/s x1 link (current and
# maximum; it does not model wider endpoint links) and the root port its
# 8 GT/s x4 maximum, so the audit must find: the link and its maximum, the
# slot's maximum (31.5 Gb/s after 128b/130b), and the ceiling of the
# current link (2.0 Gb/s after 8b/10b) under the 100 Gb/s port.
# lab-timeout: 300
# lab-machine: q35
# lab-qemu-args: -device pcie-root-port,id=rp1,bus=pcie.0,chassis=1,x-speed=8,x-width=4
# lab-qemu-args: -device virtio-net-pci,bus=rp1,id=nic1,mac=52:54:00:00:0b:01,speed=100000,duplex=full
. "$LAB_INTEGRATION/lib.sh"

lab_need_bin ovs-offloadctl
lab_step "virtio-net behind the narrowed root port"
lab_modules virtio_net
nic=
for d in /sys/bus/pci/devices/*; do
    if [ "$(cat "$d/vendor")" = 0x1af4 ] && [ "$(cat "$d/device")" = 0x1041 ]; then
        nic=$(basename "$d")
    fi
done
[ -n "$nic" ] || lab_fail "no virtio-net 1.0 (1af4:1041) on the PCI bus" "$(ls /sys/bus/pci/devices)"
port=$(basename "$(dirname "$(readlink -f "/sys/bus/pci/devices/$nic")")")
# The netdev hangs off the virtio device, a child of the PCI function.
lab_wait 30 "virtio-net has a netdev" sh -c "ls /sys/bus/pci/devices/$nic/virtio*/net | grep -q ."
netdev=$(ls /sys/bus/pci/devices/$nic/virtio*/net | head -n1)
ip link set dev "$netdev" up
lab_wait 10 "port speed 100000 Mb/s" grep -qx 100000 "/sys/class/net/$netdev/speed"
for d in "$nic" "$port"; do
    echo "  $d: current $(cat /sys/bus/pci/devices/$d/current_link_speed) x$(cat /sys/bus/pci/devices/$d/current_link_width)," \
         "max $(cat /sys/bus/pci/devices/$d/max_link_speed) x$(cat /sys/bus/pci/devices/$d/max_link_width)"
done

lab_step "ovs-offloadctl audit $netdev (table)"
rc=0
ovs-offloadctl audit --no-db --all "$netdev" > "$LAB_OUT/audit.txt" || rc=$?
cat "$LAB_OUT/audit.txt"
lab_check_eq "exit status 1 (findings)" 1 "$rc"
lab_check_grep "the link, its maximum, the slot" \
    "^ok +$netdev +pcie-link +2\.5 GT/s \(Gen1\) x1, ceiling 2\.0 Gb/s; device maximum 2\.5 GT/s \(Gen1\) x1; slot \(port $port\) maximum 8\.0 GT/s \(Gen3\) x4, ceiling 31\.5 Gb/s" \
    cat "$LAB_OUT/audit.txt"
lab_check_grep "the ceiling under the 100 Gb/s port" \
    "^finding +$netdev +pcie-ceiling +PCIe 2\.5 GT/s \(Gen1\) x1 carries at most 2\.0 Gb/s" \
    cat "$LAB_OUT/audit.txt"
lab_check_grep "expected" "expected: at least the port speed, 100 Gb/s" \
    cat "$LAB_OUT/audit.txt"

lab_step "the same by PCI address, as JSON"
rc=0
ovs-offloadctl audit --no-db --format=json "$nic" > "$LAB_OUT/audit.json" || rc=$?
lab_check_eq "exit status 1 (findings)" 1 "$rc"
lab_check "JSON parses, pcie-ceiling is a finding" python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))
e = [x for x in r["entries"] if x["check"] == "pcie-ceiling"]
assert len(e) == 1 and e[0]["status"] == "finding", e
assert r["findings"] == sum(x["status"] == "finding" for x in r["entries"])
print(e[0]["found"], "|", e[0]["expected"])
' "$LAB_OUT/audit.json"
