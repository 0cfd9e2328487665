#!/bin/bash
# Lab self-test (b): a Linux active-backup bond over two ports, added to an
# OVS bridge, carries traffic and fails over.  The bond's two veths lead into
# namespace h2, which bonds its ends too; h1 is a plain port of the bridge.
# Key step (LAB_BREAK=enslave skips it): enslaving the ports to the bond.
. "$LAB_INTEGRATION/lib.sh"

lab_step "modules and OVS"
lab_modules
lab_start_ovs
lab_check "add-br br0" ovs-vsctl add-br br0

lab_step "h1: plain bridge port"
lab_host h1 10.0.0.1
lab_check "add-port br0 h1" ovs-vsctl add-port br0 h1

lab_step "h2: bond0 over veths bb1/bb2 in the namespace, ba1/ba2 in the root"
ip netns add h2
ip link add ba1 type veth peer name bb1 netns h2
ip link add ba2 type veth peer name bb2 netns h2
ip -n h2 link add bond0 type bond mode active-backup miimon 100
ip -n h2 link set bb1 master bond0
ip -n h2 link set bb2 master bond0
ip -n h2 addr add 10.0.0.2/24 dev bond0
ip -n h2 link set bond0 up
ip -n h2 link set lo up

lab_step "root namespace: bond0 (active-backup) over ba1 + ba2, added to br0"
lab_check "create bond0" ip link add bond0 type bond mode active-backup miimon 100
if ! lab_break enslave; then
    lab_check "enslave ba1" ip link set ba1 master bond0
    lab_check "enslave ba2" ip link set ba2 master bond0
fi
ip link set ba1 up
ip link set ba2 up
lab_check "bond0 up" ip link set bond0 up
lab_check "add-port br0 bond0" ovs-vsctl add-port br0 bond0
lab_check_grep "bond0 has ofport" '^[1-9][0-9]*$' ovs-vsctl get interface bond0 ofport
lab_check_grep "OVS sees bond0 as a bonding device" 'driver_name="?bonding' \
    ovs-vsctl get interface bond0 status
# Give miimon time to pick an active slave (asserted after the traffic check,
# so that a missing bond shows up as missing traffic).
for _ in $(seq 50); do
    grep -Eq 'Currently Active Slave: ba[12]' /proc/net/bonding/bond0 && break
    sleep 0.2
done

lab_step "traffic h1 -> h2 through the bond"
lab_check "ping h1 -> 10.0.0.2" lab_ping h1 10.0.0.2
lab_check_grep "bond0 has an active slave" 'Currently Active Slave: ba[12]' \
    cat /proc/net/bonding/bond0
lab_check_grep "datapath flow in from bond0" 'in_port\(bond0\)' ovs-appctl dpctl/dump-flows -m

lab_step "failover: take the active slave down"
active=$(sed -n 's/^Currently Active Slave: //p' /proc/net/bonding/bond0)
case $active in ba1) other=ba2 ;; *) other=ba1 ;; esac
ip link set "$active" down
lab_wait 10 "bond0 fails over to $other" \
    grep -q "Currently Active Slave: $other" /proc/net/bonding/bond0
lab_check "ping h1 -> 10.0.0.2 after failover" lab_ping h1 10.0.0.2
lab_check_upcalls
lab_step "done"
