#!/bin/bash
# The controller brings up the seed's "approach 3" on netdevsim: a bridge
# declared with two uplinks, an active-backup bond, 4 VFs, MTUs and a VXLAN
# port ends up with the bond, every representor and the VXLAN port, with
# those MTUs, in the mlx5 order (the recorded step times prove it); traffic
# crosses the bridge between two namespaces; the OVS_Offload rows say
# converged.  Then offload-num-vfs 4 -> 2 goes through 0 (netdevsim in
# Linux 6.1 also drops back to legacy mode when its VFs go to 0, which the
# controller then undoes), and a channel count changed behind the daemon's
# back is restored.
# lab-timeout: 400
. "$LAB_INTEGRATION/lib.sh"
. "$LAB_INTEGRATION/offload.sh"

lab_need_bin ovs-offloadd ovs-offloadctl
lab_step "setup: netdevsim10 with 2 ports and 4 queues, OVS, fake LAG file"
lab_modules
lab_nsim_new 10 2 4
lab_start_ovs
offload_fake_lag netdevsim10 active
offload_start_daemon

lab_host h1 10.0.0.1
lab_host h2 10.0.0.2

lab_step "declare the intent (and two ports of the user's own)"
offload_seed_bridge br0 n10p1,n10p2 -- add-port br0 h1 -- add-port br0 h2
offload_wait_state br0 converged 180

lab_step "the bridge"
ovs-vsctl list-ports br0
ports=$(ovs-vsctl list-ports br0 | tr '\n' ' ')
lab_check_eq "bond, 4 representors, vxlan0 + 2 of the user's" 8 \
    "$(ovs-vsctl list-ports br0 | wc -l)"
lab_check_grep "bond is a port" '(^| )bond-br0 ' echo "$ports"
lab_check_grep "vxlan0 is a port" '(^| )vxlan0 ' echo "$ports"
lab_check_eq "vxlan0 settings" \
    '{key="42", local_ip="192.168.9.2", remote_ip="192.168.9.1"}' \
    "$(ovs-vsctl get Interface vxlan0 options)"
reps=$(offload_reps netdevsim10)
lab_check_eq "4 representors found by devlink" 4 "$(echo $reps | wc -w)"
for r in $reps; do
    lab_check_grep "representor $r is a port" "(^| )$r " echo "$ports"
    lab_check_eq "representor $r owned" ovs-offloadd \
        "$(ovs-vsctl get Port $r external_ids:offload-owner)"
    lab_check_eq "representor $r MTU" 9000 "$(cat /sys/class/net/$r/mtu)"
done
lab_check_eq "h1 left as the user's" "" \
    "$(ovs-vsctl get Port h1 external_ids:offload-owner 2>/dev/null)"

lab_step "the kernel"
lab_check_grep "switchdev" 'mode switchdev' devlink dev eswitch show netdevsim/netdevsim10
lab_check_eq "4 VFs" 4 "$(cat /sys/bus/netdevsim/devices/netdevsim10/sriov_numvfs)"
lab_check_grep "bond mode" '^active-backup' cat /sys/class/net/bond-br0/bonding/mode
lab_check_grep "bond miimon" '^100$' cat /sys/class/net/bond-br0/bonding/miimon
lab_check_grep "bond members" 'n10p1.*n10p2|n10p2.*n10p1' cat /sys/class/net/bond-br0/bonding/slaves
for l in n10p1 n10p2 bond-br0; do
    lab_check_eq "$l MTU" 9080 "$(cat /sys/class/net/$l/mtu)"
done
lab_check_eq "hw-offload set" '"true"' \
    "$(ovs-vsctl get Open_vSwitch . other_config:hw-offload)"

lab_step "traffic crosses the bridge"
lab_check "ping h1 -> h2" lab_ping h1 10.0.0.2
lab_check "ping h2 -> h1" lab_ping h2 10.0.0.1

lab_step "OVS_Offload says converged"
ovs-offloadctl show
lab_check_eq "uplinks ok" "ok ok" \
    "$(ovs-offloadctl --bare --columns=state list Uplink | grep . | tr '\n' ' ' | sed 's/ $//')"
lab_check_eq "bond ok" ok "$(ovs-offloadctl get Bond bond-br0 state)"
lab_check_eq "4 representors ok" 4 \
    "$(ovs-offloadctl --bare --columns=state list Representor | grep -c '^ok$')"
lab_check_eq "tunnel ok" ok "$(ovs-offloadctl get Tunnel vxlan0 state)"
# The channel count is restored (recorded) once after the eswitch change,
# hw-tc-offload turned on, and the MTU set once per device in the bond step
# (the bond's MTU first, the PFs follow it as they join).
offload_check_step_order n10p1 eswitch channels tc-offload bond vfs reps ports vxlan
lab_check_eq "channels remembered" '"4"' \
    "$(ovs-offloadctl get Uplink n10p1 evidence:channels_before)"

lab_step "offload-num-vfs 4 -> 2 goes through 0"
ovs-vsctl set Bridge br0 external_ids:offload-num-vfs=2
# The daemon publishes the intent it read with the state it planned from it.
lab_wait 120 "br0 converged on the new intent" ovs-offloadctl --timeout=120 \
    wait-until Bridge br0 'intent:offload-num-vfs="2"' state=converged
lab_check_eq "2 VFs" 2 "$(cat /sys/bus/netdevsim/devices/netdevsim10/sriov_numvfs)"
lab_check_grep "still switchdev" 'mode switchdev' devlink dev eswitch show netdevsim/netdevsim10
lab_check_grep "through 0, then 2" \
    'set-numvfs netdevsim/netdevsim10 0 .*going through 0' \
    grep 'set-numvfs' "$LAB_OUT/ovs-offloadd.log"
lab_check_grep "then 2" 'set-numvfs netdevsim/netdevsim10 2 ' \
    grep 'set-numvfs' "$LAB_OUT/ovs-offloadd.log"
lab_check_eq "2 representor ports remain" 2 \
    "$(ovs-vsctl list-ports br0 | grep -c -v -e bond-br0 -e vxlan0 -e '^h[12]$')"
lab_check_eq "2 representor rows" 2 \
    "$(ovs-offloadctl --bare --columns=name list Representor | grep -c .)"

lab_step "an operator's channel count is left alone once channels were restored"
# Channels are restored once after each eswitch change, then they are the
# operator's: a later "ethtool -L" is not reverted.
before=$(grep -c 'set-channels n10p1 ' "$LAB_OUT/ovs-offloadd.log")
ethtool -L n10p1 combined 1
# A change to the bridge makes the daemon observe and plan again.
ovs-vsctl set Bridge br0 external_ids:lab-poke=1
offload_wait_state br0 converged 60
lab_check_eq "n10p1 keeps the operator's 1 combined channel" 1 \
    "$(ethtool -l n10p1 | sed -n '/Current/,$p' | sed -n 's/^Combined:[[:space:]]*//p')"
lab_check_eq "no set-channels after the operator's change" "$before" \
    "$(grep -c 'set-channels n10p1 ' "$LAB_OUT/ovs-offloadd.log")"
offload_stop_daemon
