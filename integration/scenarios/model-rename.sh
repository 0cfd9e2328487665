#!/bin/bash
# Representor names and the kernel model (issue 10), on the seed's topology
# ("approach 3": two uplinks in an active-backup bond, 4 VFs, MTUs, VXLAN).
#   - The bridge converges with the representors' final names: with udev
#     running (LAB_UDEV=1), udev's names (eni10npf0vfN), the kernel's
#     eth<N> names before them recorded from the uevents; 0 OVS ports are
#     named eth<N> then.  Without udev, the kernel's names after the settle
#     deadline.
# (A representor renamed by a user while the bridge is converged is not in
# this scenario yet: on the kernel datapath, ovs-vswitchd refuses the
# re-pointed port, "could not add network device NEW to ofproto (File
# exists)"; see the issue 10 report.)
# lab-timeout: 600
. "$LAB_INTEGRATION/lib.sh"
. "$LAB_INTEGRATION/offload.sh"

lab_need_bin ovs-offloadd ovs-offloadctl
lab_step "setup: netdevsim10 with 2 ports and 4 queues, OVS, fake LAG file"
lab_modules
udev=0
if pgrep -x systemd-udevd > /dev/null; then
    udev=1
    mon=/run/model-udev-monitor.log
    export SYSTEMD_IGNORE_CHROOT=1
    udevadm monitor --kernel --property --subsystem-match=net > "$mon" 2>&1 &
    sleep 1
fi
echo "  udev running: $udev"
lab_nsim_new 10 2 4
lab_start_ovs
offload_fake_lag netdevsim10 active
offload_start_daemon

lab_step "the seed's intent"
ovs-vsctl add-br br0 -- set Bridge br0 \
    external_ids:offload-uplinks=n10p1,n10p2 \
    external_ids:offload-bond=active-backup \
    external_ids:offload-num-vfs=4 \
    external_ids:offload-mtu=9080 external_ids:offload-rep-mtu=9000 \
    external_ids:offload-vxlan=remote_ip=192.168.9.1,local_ip=192.168.9.2,key=42
offload_wait_state br0 converged 300
[ $udev = 1 ] && lab_udev_settle
offload_wait_state br0 converged 120
reps=$(offload_reps netdevsim10 | tr '\n' ' ')
echo "  representors (devlink): $reps"
lab_check_eq "4 representors" 4 "$(echo $reps | wc -w)"
for r in $reps; do
    lab_check "representor $r is a port of br0" ovs-vsctl port-to-br "$r"
done
ports=$(ovs-vsctl list-ports br0 | tr '\n' ' ')
echo "  ports of br0: $ports"
if [ $udev = 1 ]; then
    lab_check_eq "no OVS port named eth<N>" 0 \
        "$(ovs-vsctl --bare --columns=name list Interface | grep -c '^eth[0-9]*$')"
    for r in $reps; do
        old=$(awk -v n="$r" '/^KERNEL\[/ { act = $2 } /^INTERFACE=/ { i = substr($0, 11) }
            /^DEVPATH_OLD=/ { o = substr($0, 13); sub(/.*\//, "", o) }
            /^$/ { if (act == "move" && i == n) print o; act = i = o = "" }' "$mon" | tail -n1)
        case $old in
            eth[0-9]*) echo "LAB FIGURE: representor named $old by the kernel, $r by udev; the port is $r" ;;
            *) lab_fail "no uevent eth<N> -> $r" "$(tail -n 40 "$mon")" ;;
        esac
        case $r in
            eni10npf0vf[0-9]*) ;;
            *) lab_fail "representor $r does not carry udev's name" ;;
        esac
    done
    lab_check_eq "the daemon never brought up or added an eth<N>" 0 \
        "$(grep -cE '(link-up|add-port|set-mtu) eth[0-9]' "$LAB_OUT/ovs-offloadd.log")"
fi

lab_step "done"
