#!/bin/bash
# Lab self-test (c): with other_config:hw-offload=true, OVS puts datapath
# flows into tc: after a ping between two namespaces through the bridge, the
# ingress of the namespace's port holds flower filters (not_in_hw: veth has no
# hardware) and dpctl/dump-flows -m shows dp:tc.  netdevsim PF and
# representors on the same bridge get the linux_tc flow API.
# Key step (LAB_BREAK=hw-offload skips it): hw-offload=true.
. "$LAB_INTEGRATION/lib.sh"

lab_step "modules, netdevsim 10 with 2 VFs in switchdev"
lab_modules
lab_nsim_new 10 1
lab_nsim_vfs 10 2
lab_nsim_switchdev 10
for dev in n10p1 n10pf0vf0 n10pf0vf1; do
    ethtool -K "$dev" hw-tc-offload on
    ip link set "$dev" up
done

lab_step "OVS"
if lab_break hw-offload; then
    lab_start_ovs max-idle=60000
else
    lab_start_ovs --hw-offload max-idle=60000
fi
lab_host h1 10.0.0.1
lab_host h2 10.0.0.2
lab_check "bridge br0 with h1, h2, n10p1, n10pf0vf0, n10pf0vf1" \
    ovs-vsctl add-br br0 -- add-port br0 h1 -- add-port br0 h2 \
        -- add-port br0 n10p1 -- add-port br0 n10pf0vf0 -- add-port br0 n10pf0vf1

lab_step "traffic h1 <-> h2"
lab_check "ping h1 -> 10.0.0.2" lab_ping h1 10.0.0.2

lab_step "flows are in tc"
lab_check_grep "flower filter on h1 ingress" 'filter protocol .* flower' \
    tc filter show dev h1 ingress
lab_check_grep "flower filters are not_in_hw (software tc)" 'not_in_hw' \
    tc filter show dev h1 ingress
lab_check_grep "filter on h1 redirects to h2 and counted packets" \
    'mirred \(Egress Redirect to device h2\)' tc -s filter show dev h1 ingress
lab_check_grep "tc action statistics count packets" 'Sent [0-9]+ bytes [1-9][0-9]* pkt' \
    tc -s filter show dev h1 ingress
lab_check_grep "dpctl/dump-flows -m shows dp:tc flows from h1" 'in_port\(h1\).*dp:tc' \
    ovs-appctl dpctl/dump-flows -m
lab_check_nogrep "no flow from h1 in the OVS kernel datapath" 'in_port\(h1\)' \
    ovs-appctl dpctl/dump-flows -m type=ovs
lab_check_grep "hw-offload is on" '"true"' \
    ovs-vsctl get Open_vSwitch . other_config:hw-offload
lab_check_grep "netdevsim representor uses the linux_tc flow API" \
    "n10pf0vf0: Assigned flow API 'linux_tc'" cat "$OVS_LOGDIR/ovs-vswitchd.log"
lab_step "done"
