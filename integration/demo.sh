#!/bin/bash
# The main job, in the kernel lab: ovs-offloadd converges a demo topology
# (the seed's approach 3 on a netdevsim NIC: two uplinks in an active-backup
# bond, 4 VFs whose representors join the bridge, MTUs, a VXLAN port), two
# namespaces exchange traffic through the bridge, then the verification
# report says where every datapath flow lives.
# lab-timeout: 400
. "$LAB_INTEGRATION/lib.sh"
. "$LAB_INTEGRATION/offload.sh"

show() {
    echo
    echo "\$ $*"
    "$@" 2>&1 | sed 's/^/  /'
}

lab_need_bin ovs-offloadd ovs-offloadctl
lab_step "a NIC: netdevsim10, 2 ports, 4 queues (legacy mode, no VFs)"
lab_modules
lab_nsim_new 10 2 4
lab_start_ovs
offload_fake_lag netdevsim10 active
offload_start_daemon
lab_host h1 10.0.0.1
lab_host h2 10.0.0.2
for l in n10p1 n10p2; do ethtool -K $l hw-tc-offload on; done

lab_step "declare the intent with ovs-vsctl"
show ovs-vsctl add-br br0 -- set Bridge br0 \
    external_ids:offload-uplinks=n10p1,n10p2 \
    external_ids:offload-bond=active-backup external_ids:offload-num-vfs=4 \
    external_ids:offload-mtu=9080 external_ids:offload-rep-mtu=9000 \
    external_ids:offload-vxlan=remote_ip=192.168.9.1,local_ip=192.168.9.2,key=42 \
    -- add-port br0 h1 -- add-port br0 h2
offload_wait_state br0 converged 180

lab_step "what ovs-offloadd did"
show grep -h '|apply|INFO|' "$LAB_OUT/ovs-offloadd.log"
show ovs-offloadctl show
show ovs-offloadctl plan
show ovs-vsctl show
show devlink dev eswitch show netdevsim/netdevsim10
show devlink port show

lab_step "traffic between the namespaces, through the bridge"
lab_check "ping h1 -> h2" lab_ping h1 10.0.0.2
lab_check "ping h2 -> h1" lab_ping h2 10.0.0.1

lab_step "the verification report"
show ovs-appctl dpctl/dump-flows -m
show ovs-offloadctl verify
show ovs-offloadctl --format=json verify
offload_stop_daemon
exit 0
