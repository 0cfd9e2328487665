#!/bin/bash
# Renames, as on a ConnectX host (issue 10).  systemd-udevd runs with
# Debian's rules, so the kernel registers every port and representor as
# eth<N> and udev renames it a moment later (eni<ID>np<N>,
# eni<ID>npf0vf<N>).  The seed's approach 3 (bond of both PFs, 4 VFs, MTUs,
# VXLAN) converges with the final udev names: the kernel's names and udev's
# are recorded from the uevents, and no OVS port carries an eth<N> name.
# Then a representor is renamed while the bridge is converged: the port is
# re-pointed to the new name with the same OpenFlow port number, no other
# owned port is deleted, and every other OpenFlow port number is unchanged.
# lab-timeout: 600
. "$LAB_INTEGRATION/lib.sh"
. "$LAB_INTEGRATION/offload.sh"

lab_need_bin ovs-offloadd ovs-offloadctl
lab_step "setup: udev, then netdevsim10 with 2 ports and 4 queues (udev names them)"
lab_modules
lab_mount_debugfs
lab_start_udev
mon=/run/model-rename-uevents.log
udevadm monitor --kernel --property --subsystem-match=net > "$mon" 2>&1 &
mon_pid=$!
sleep 1
echo "10 2 4" > /sys/bus/netdevsim/new_device || lab_fail "netdevsim new_device failed"
lab_nsim_wait_netdevs 10 2
lab_udev_settle
pfs=$(lab_nsim_netdevs 10 | sort | tr '\n' ' ')
lab_check_eq "udev named the ports" "eni10np1 eni10np2 " "$pfs"
lab_start_ovs
offload_fake_lag netdevsim10 active
offload_start_daemon

# The move uevents: "KERNEL-NAME -> UDEV-NAME" for every renamed netdev.
renames() {
    awk '/^KERNEL\[/ { act = $2 } /^INTERFACE=/ { i = substr($0, 11) }
        /^DEVPATH_OLD=/ { o = substr($0, 13); sub(/.*\//, "", o) }
        /^$/ { if (act == "move") print o " -> " i; act = i = o = "" }' "$mon"
}

lab_step "declare the seed's approach 3 on the udev names"
offload_seed_bridge br0 eni10np1,eni10np2
offload_wait_state br0 converged 240
lab_udev_settle

lab_step "names: the kernel's, then udev's"
renames | sed 's/^/    /'
reps=$(offload_reps netdevsim10)
lab_check_eq "4 representors" 4 "$(echo $reps | wc -w)"
n=0
for r in $reps; do
    lab_check_eq "representor $n has its udev name" "eni10npf0vf$n" "$r"
    from=$(renames | sed -n "s/^\(eth[0-9]*\) -> $r\$/\1/p" | tail -n1)
    [ -n "$from" ] || lab_fail "no uevent shows $r renamed from eth<N>" "$(renames)"
    echo "  ok: $r was registered as $from"
    n=$((n + 1))
done
ports=$(ovs-vsctl list-ports br0 | tr '\n' ' ')
echo "  ports of br0: $ports"
for r in $reps; do
    lab_check_grep "representor $r is a port" "(^| )$r " echo "$ports"
done
lab_check_eq "bond, 4 representors, vxlan0" 6 "$(echo $ports | wc -w)"
lab_check_eq "OVS ports named eth<N>" 0 \
    "$(ovs-vsctl --bare --columns=name list Interface | grep -c '^eth[0-9]')"

# ofports: "NAME OFPORT" of every Interface of br0 but the bridge's own.
ofports() {
    for p in $(ovs-vsctl list-ports br0); do
        echo "$p $(ovs-vsctl get Interface "$p" ofport)"
    done | sort
}
before=$(ofports)
echo "  OpenFlow ports before:"; echo "$before" | sed 's/^/    /'
r1=eni10npf0vf1
old_ofport=$(ovs-vsctl get Interface "$r1" ofport)
dels_before=$(grep -c ': del-port ' "$LAB_OUT/ovs-offloadd.log" || true)

lab_step "rename $r1 to vmrep1 while br0 is converged"
# The daemon keeps representors up and the kernel refuses to rename a link
# that is up: down, rename and up in one ip process, retried.
for _ in 1 2 3 4 5; do
    printf 'link set dev %s down\nlink set dev %s name vmrep1\nlink set dev vmrep1 up\n' \
        "$r1" "$r1" | ip -force -batch - 2>/dev/null
    ip link show dev vmrep1 > /dev/null 2>&1 && break
    sleep 0.5
done
ip link show dev vmrep1 > /dev/null 2>&1 || lab_fail "cannot rename $r1"
t0=$(date +%s%N)
lab_wait 60 "port vmrep1 on br0 with an OpenFlow port" \
    sh -c '[ "$(ovs-vsctl get Interface vmrep1 ofport 2>/dev/null)" -gt 0 ] 2>/dev/null'
echo "LAB FIGURE: rename to vmrep1 in OVS with an OpenFlow port after $(( ($(date +%s%N) - t0) / 1000000 )) ms"
offload_wait_state br0 converged 120
after=$(ofports)
echo "  OpenFlow ports after:"; echo "$after" | sed 's/^/    /'
lab_check_eq "vmrep1 keeps $r1's OpenFlow port" "$old_ofport" \
    "$(ovs-vsctl get Interface vmrep1 ofport)"
lab_check_eq "every other OpenFlow port unchanged" \
    "$(echo "$before" | grep -v "^$r1 ")" "$(echo "$after" | grep -v '^vmrep1 ')"
lab_check_eq "vmrep1 owned" ovs-offloadd \
    "$(ovs-vsctl get Port vmrep1 external_ids:offload-owner)"
lab_check_fails "no port $r1 left" ovs-vsctl get Port "$r1" name
dels=$(grep ': del-port ' "$LAB_OUT/ovs-offloadd.log" | tail -n +$((dels_before + 1)))
echo "  port deletions since the rename:"; echo "$dels" | sed 's/^/    /'
lab_check_eq "one owned port deleted, the renamed one" 1 "$(echo "$dels" | grep -c .)"
lab_check_grep "deleted because it was renamed" "$r1.*is now vmrep1" echo "$dels"
# On the kernel datapath, ovs-vswitchd cannot add the new name at first:
# the datapath still holds the device under its old vport.  The daemon
# releases that vport, and ovs-vswitchd's next try succeeds.
grep 'could not add network device' "$OVS_LOGDIR/ovs-vswitchd.log" | sed 's/^/    vswitchd: /'
grep 'release-dp-port\|deleting vport' "$LAB_OUT/ovs-offloadd.log" | sed 's/^/    offloadd: /'
lab_check_eq "the datapath's hold released once (a second release would remove ovs-vswitchd's new vport)" 1 \
    "$(grep -c 'deleting vport' "$LAB_OUT/ovs-offloadd.log")"
lab_check_eq "Interface vmrep1 has no error" "" \
    "$(ovs-vsctl --bare get Interface vmrep1 error 2>/dev/null | tr -d '[]')"
lab_check_grep "vmrep1 is a port of the datapath" 'vmrep1' ovs-dpctl show
kill "$mon_pid" 2>/dev/null
lab_step "done"
