#!/bin/bash
# Lab self-test (d): an OVS VXLAN port carries traffic.  Bridge br0 has h1
# (10.0.0.1) and vxlan port vx1 (VNI 42, remote 192.168.50.2).  The underlay
# is a veth from the root namespace (192.168.50.1, ul0) into namespace
# "remote" (192.168.50.2), where a kernel vxlan device (VNI 42) holds
# 10.0.0.2.
# Key step (LAB_BREAK=vxlan-port skips it): adding the vxlan port.
. "$LAB_INTEGRATION/lib.sh"

lab_step "modules and OVS"
lab_modules
lab_start_ovs
lab_host h1 10.0.0.1
lab_check "add-br br0 with h1" ovs-vsctl add-br br0 -- add-port br0 h1

lab_step "underlay: ul0 192.168.50.1 <-> remote/eth0 192.168.50.2"
lab_host remote 192.168.50.2/24 ul0
lab_check "address on ul0" ip addr add 192.168.50.1/24 dev ul0
lab_check "underlay reachable" lab_ping remote 192.168.50.1 1

lab_step "remote: kernel vxlan vx0 (VNI 42) with 10.0.0.2"
lab_check "create vx0" ip -n remote link add vx0 type vxlan id 42 \
    local 192.168.50.2 remote 192.168.50.1 dstport 4789
ip -n remote addr add 10.0.0.2/24 dev vx0
ip -n remote link set vx0 up

if ! lab_break vxlan-port; then
    lab_check "add vxlan port vx1" ovs-vsctl add-port br0 vx1 -- set interface vx1 \
        type=vxlan options:remote_ip=192.168.50.2 options:key=42
    lab_check_grep "vx1 has ofport" '^[1-9][0-9]*$' ovs-vsctl get interface vx1 ofport
fi

lab_step "traffic over the tunnel"
lab_check "ping h1 -> 10.0.0.2 (through VXLAN)" lab_ping h1 10.0.0.2
lab_check "kernel datapath tunnel device exists" ip link show dev vxlan_sys_4789
lab_check_grep "encap flow sets tunnel id 42" 'set\(tunnel\(tun_id=0x2a' \
    ovs-appctl dpctl/dump-flows -m
lab_check_grep "decap flow matches tunnel id 42" 'tunnel\(tun_id=0x2a' \
    ovs-appctl dpctl/dump-flows -m
rx=$(ip netns exec remote cat /sys/class/net/vx0/statistics/rx_packets)
lab_check "remote vx0 received packets (rx_packets=$rx)" test "${rx:-0}" -gt 0
lab_step "done"
