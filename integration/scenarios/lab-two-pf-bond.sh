#!/bin/bash
# Lab self-test: the two PFs of a bond are two netdevsim devices, that is two
# devlink instances with one physical port each, as mlx5 has one devlink
# instance (and one eswitch) per PF.  netdevsim10 and netdevsim11 each get 2
# VFs in switchdev mode; bond0 (active-backup) over their PF ports n10p1 and
# n11p1 is a port of the OVS bridge br0, with h1 and two representors.
# Where netdevsim can link ports like cables (6.12; see lab_nsim_can_link),
# the PF ports are cabled to a third netdevsim device, "the switch", whose two
# ports are bonded in namespace tor (10.0.0.2): h1 pings it through bond0 and
# again after a failover.  6.1's netdevsim cannot carry packets, so there the
# traffic part is not run (the log says so).
# Key step (LAB_BREAK=enslave skips it): enslaving the PF ports to bond0.
# lab-timeout: 480
. "$LAB_INTEGRATION/lib.sh"

lab_step "modules"
lab_modules
lab_mount_debugfs

lab_step "two PFs: netdevsim10 and netdevsim11, one port and 2 VFs each, switchdev"
lab_nsim_pf_pair 10 11 2
lab_check_eq "two devlink instances" "netdevsim/netdevsim10 netdevsim/netdevsim11" \
    "$(devlink dev show | grep -o '^netdevsim/netdevsim1[01]' | sort | tr '\n' ' ' | sed 's/ $//')"
for id in 10 11; do
    lab_check_eq "netdevsim$id has exactly one physical port" 1 \
        "$(devlink port show | grep -c "^netdevsim/netdevsim$id/.*flavour physical")"
    lab_check_grep "netdevsim$id: physical port is n${id}p1" \
        "^netdevsim/netdevsim$id/0: type eth netdev n${id}p1 flavour physical port 1" devlink port show
    lab_check_grep "netdevsim$id eswitch in switchdev mode" 'mode switchdev' \
        devlink dev eswitch show "netdevsim/netdevsim$id"
    for vf in 0 1; do
        lab_check_grep "netdevsim$id: representor n${id}pf0vf$vf, devlink port $((128 + vf))" \
            "^netdevsim/netdevsim$id/$((128 + vf)): type eth netdev n${id}pf0vf$vf flavour pcivf" \
            devlink port show
    done
    lab_check_eq "n${id}pf0vf0 is on n${id}p1's eswitch" \
        "$(cat "/sys/class/net/n${id}p1/phys_switch_id")" "$(cat "/sys/class/net/n${id}pf0vf0/phys_switch_id")"
done
sw10=$(cat /sys/class/net/n10p1/phys_switch_id) sw11=$(cat /sys/class/net/n11p1/phys_switch_id)
[ -n "$sw10" ] && [ "$sw10" != "$sw11" ] \
    || lab_fail "the two PFs should have two eswitches (phys_switch_id $sw10 / $sw11)"
echo "  ok: two eswitches (phys_switch_id $sw10, $sw11)"

link=0
if lab_nsim_can_link; then
    link=1
    lab_step "cable both PF ports to 'the switch' (netdevsim20, bonded in netns tor)"
    lab_nsim_new 20 2
    ip netns add tor
    for p in n20p1 n20p2; do
        lab_check "move $p into netns tor" ip link set dev "$p" netns tor
    done
    lab_nsim_link n10p1 n20p1 tor
    lab_nsim_link n11p1 n20p2 tor
    ip -n tor link add tor0 type bond mode active-backup miimon 100
    ip -n tor link set n20p1 master tor0
    ip -n tor link set n20p2 master tor0
    ip -n tor addr add 10.0.0.2/24 dev tor0
    ip -n tor link set tor0 up
    ip -n tor link set lo up
    ip netns exec tor sysctl -qw net.ipv6.conf.all.disable_ipv6=1
else
    echo "  note: netdevsim of $(uname -r) has no link_device: the PF ports carry no packets, traffic part not run"
fi

lab_step "bond0 (active-backup) over the two PFs"
if lab_break enslave; then
    lab_check "create bond0" ip link add bond0 type bond mode active-backup miimon 100
    ip link set bond0 up
else
    lab_nsim_bond bond0 10 11
fi
sysctl -qw net.ipv6.conf.bond0.disable_ipv6=1
lab_check_grep "bond0 has slave n10p1" 'Slave Interface: n10p1' cat /proc/net/bonding/bond0
lab_check_grep "bond0 has slave n11p1" 'Slave Interface: n11p1' cat /proc/net/bonding/bond0
lab_wait 20 "n10p1 is the active slave" \
    grep -q 'Currently Active Slave: n10p1' /proc/net/bonding/bond0
lab_check_eq "n10p1's master is bond0" bond0 "$(basename "$(readlink /sys/class/net/n10p1/master)")"
lab_check_eq "n11p1's master is bond0" bond0 "$(basename "$(readlink /sys/class/net/n11p1/master)")"

lab_step "OVS: br0 with h1, bond0 and a representor of each PF"
lab_start_ovs --hw-offload
lab_host h1 10.0.0.1
lab_check "add-br br0" ovs-vsctl add-br br0
for p in h1 bond0 n10pf0vf0 n11pf0vf0; do
    lab_check "add-port br0 $p" ovs-vsctl add-port br0 "$p"
done
for p in bond0 n10pf0vf0 n11pf0vf0; do
    lab_check_eq "Interface $p has no error" "[]" "$(ovs-vsctl get Interface "$p" error)"
    lab_wait 30 "Interface $p has an ofport" \
        sh -c "[ \"\$(ovs-vsctl get Interface $p ofport)\" -gt 0 ]"
    lab_wait 30 "$p: flow API linux_tc" \
        grep -q "$p: Assigned flow API 'linux_tc'" "$OVS_LOGDIR/ovs-vswitchd.log"
done

if [ $link = 1 ]; then
    lab_step "traffic: h1 -> 10.0.0.2 through bond0 and the cable of PF 10"
    lab_wait 20 "n10p1 has carrier" grep -qx 1 /sys/class/net/n10p1/carrier
    # netdevsim counts a transmitted packet only once it reached the peer
    # (and counts no received packets at all): the TX counters of both ends
    # of the cable prove the path.
    tx0=$(cat /sys/class/net/n10p1/statistics/tx_packets)
    lab_check "ping h1 -> 10.0.0.2" lab_ping h1 10.0.0.2
    lab_check_grep "datapath flow in from bond0" 'in_port\(bond0\)' \
        ovs-appctl dpctl/dump-flows -m
    lab_check_upcalls
    tx1=$(cat /sys/class/net/n10p1/statistics/tx_packets)
    rtx=$(ip netns exec tor cat /sys/class/net/n20p1/statistics/tx_packets)
    [ "$tx1" -gt "$tx0" ] || lab_fail "PF port n10p1 delivered nothing to the switch (tx_packets $tx0 -> $tx1)"
    [ "$rtx" -gt 0 ] || lab_fail "the switch's port n20p1 delivered nothing back (tx_packets 0)"
    echo "  ok: over the cable n10p1 <-> n20p1: n10p1 sent $((tx1 - tx0)) packets, n20p1 sent $rtx"
fi

lab_step "failover: PF port n10p1 down"
ip link set dev n10p1 down
lab_wait 20 "n11p1 becomes the active slave" \
    grep -q 'Currently Active Slave: n11p1' /proc/net/bonding/bond0
if [ $link = 1 ]; then
    lab_wait 20 "the switch fails over to n20p2" \
        ip netns exec tor grep -q 'Currently Active Slave: n20p2' /proc/net/bonding/tor0
    tx0=$(cat /sys/class/net/n11p1/statistics/tx_packets)
    lab_check "ping h1 -> 10.0.0.2 after failover" lab_ping h1 10.0.0.2
    tx1=$(cat /sys/class/net/n11p1/statistics/tx_packets)
    rtx=$(ip netns exec tor cat /sys/class/net/n20p2/statistics/tx_packets)
    [ "$tx1" -gt "$tx0" ] || lab_fail "after failover n11p1 delivered nothing (tx_packets $tx0 -> $tx1)"
    [ "$rtx" -gt 0 ] || lab_fail "after failover the switch's port n20p2 delivered nothing back"
    echo "  ok: over the cable n11p1 <-> n20p2: n11p1 sent $((tx1 - tx0)) packets, n20p2 sent $rtx"
    echo "LAB OK: two PFs (two devlink instances) bonded; traffic through both cables"
else
    echo "LAB OK: two PFs (two devlink instances) bonded; failover to n11p1 (no traffic on this kernel)"
fi
lab_stop_ovs
