#!/bin/bash
# Issue 13: legacy-mode VF settings from intent, on netdevsim VFs.  The
# controller creates 4 VFs in legacy mode and sets, through rtnetlink
# IFLA_VF_* on the PF, VF 1's MAC, VLAN 40 with QoS 3, trust and spoof
# checking, and VF 2's VLAN 41 (802.1ad) and link state; "ip link show"
# reads them back, VFs 0 and 3 are left alone.  Removing VF 1's intent
# gives it back what it had (netdevsim's defaults: zero MAC, no VLAN,
# spoof checking and trust off).  The OVS_Offload VF rows show what the
# kernel reports for VFs 1 and 2 (ovs-offloadctl list VF), and VF 1's row
# goes with its intent.
# lab-timeout: 300
. "$LAB_INTEGRATION/lib.sh"
. "$LAB_INTEGRATION/offload.sh"

lab_need_bin ovs-offloadd ovs-offloadctl
lab_step "setup: netdevsim10 with 1 port, OVS, the daemon"
lab_modules
lab_nsim_new 10 1 4
lab_start_ovs
offload_start_daemon

lab_step "intent: legacy mode, 4 VFs, settings on VFs 1 and 2"
lab_check "set the intent" ovs-vsctl add-br br0 -- set Bridge br0 \
    external_ids:offload-uplinks=n10p1 external_ids:offload-eswitch=legacy \
    external_ids:offload-num-vfs=4 \
    'external_ids:offload-vf-vm1="vf=1,mac=52:54:00:12:34:56,vlan=40,qos=3,trust=on,spoofchk=on"' \
    'external_ids:offload-vf-vm2="vf=2,vlan=41,proto=802.1ad,state=disable"'
offload_wait_state br0 converged 120

lab_step "read back with ip link show"
ip link show dev n10p1
vf() { ip link show dev n10p1 | grep -E "^ +vf $1 "; }
lab_check_eq "4 VFs" 4 "$(cat /sys/bus/netdevsim/devices/netdevsim10/sriov_numvfs)"
lab_check_grep "VF 1 MAC" 'link/ether 52:54:00:12:34:56' vf 1
lab_check_grep "VF 1 VLAN 40 with QoS 3" 'vlan 40, qos 3' vf 1
lab_check_grep "VF 1 spoof checking on" 'spoof checking on' vf 1
lab_check_grep "VF 1 trust on" 'trust on' vf 1
lab_check_grep "VF 2 VLAN 41, 802.1ad" 'vlan 41, vlan protocol 802.1ad' vf 2
lab_check_grep "VF 2 link state disable" 'link-state disable' vf 2
for n in 0 3; do
    lab_check_grep "VF $n untouched (zero MAC)" 'link/ether 00:00:00:00:00:00' vf $n
    lab_check_nogrep "VF $n untouched (no VLAN)" 'vlan' vf $n
    lab_check_grep "VF $n untouched (trust off)" 'trust off' vf $n
done
grep -E 'VF [0-9]+ [a-z]+ set' "$LAB_OUT/ovs-offloadd.log"

lab_step "OVS_Offload VF rows: what the kernel reports"
ovs-offloadctl list VF | tee "$LAB_OUT/vf-rows.txt"
vfrow() { ovs-offloadctl get VF "n10p1/vf$1" "$2"; }
lab_check_eq "VF rows for the VFs the intent names" "n10p1/vf1 n10p1/vf2" \
    "$(ovs-offloadctl --bare --columns=name list VF | sort | xargs)"
lab_check_eq "VF 1 row: vlan 40" 40 "$(vfrow 1 vlan)"
lab_check_eq "VF 1 row: qos 3" 3 "$(vfrow 1 qos)"
lab_check_eq "VF 1 row: trust" true "$(vfrow 1 trust)"
lab_check_eq "VF 1 row: spoofchk" true "$(vfrow 1 spoofchk)"
lab_check_eq "VF 1 row: MAC" '"52:54:00:12:34:56"' "$(vfrow 1 mac)"
lab_check_eq "VF 1 row: label" vm1 "$(vfrow 1 label)"
lab_check_eq "VF 1 row: state ok" ok "$(vfrow 1 state)"
lab_check_eq "VF 2 row: vlan 41" 41 "$(vfrow 2 vlan)"
lab_check_eq "VF 2 row: 802.1ad" '"802.1ad"' "$(vfrow 2 vlan_protocol)"
lab_check_eq "VF 2 row: link state disable" disable "$(vfrow 2 link_state)"

lab_step "remove VF 1's intent: VF 1 back to its defaults"
lab_check "remove offload-vf-vm1" ovs-vsctl remove Bridge br0 external_ids offload-vf-vm1
lab_wait 60 "VF 1 trust off again" sh -c "ip link show dev n10p1 | grep -E '^ +vf 1 ' | grep -q 'trust off'"
offload_wait_state br0 converged 60
lab_wait 30 "the daemon forgot VF 1" grep -q 'vf-restored netdevsim/netdevsim10/vf1' "$LAB_OUT/ovs-offloadd.log"
offload_wait_state br0 converged 60
ip link show dev n10p1
lab_check_grep "VF 1 zero MAC" 'link/ether 00:00:00:00:00:00' vf 1
lab_check_nogrep "VF 1 no VLAN" 'vlan' vf 1
lab_check_grep "VF 1 spoof checking off" 'spoof checking off' vf 1
lab_check_grep "VF 1 trust off" 'trust off' vf 1
lab_check_grep "VF 2 keeps VLAN 41, 802.1ad" 'vlan 41, vlan protocol 802.1ad' vf 2
lab_check_grep "VF 2 keeps link state disable" 'link-state disable' vf 2
lab_check_eq "VF 1's row gone with its intent" n10p1/vf2 \
    "$(ovs-offloadctl --bare --columns=name list VF | xargs)"
offload_stop_daemon
lab_step "done"
