#!/bin/bash
# Issue 13 (vdpa): vDPA devices from intent, through the "vdpa" generic
# netlink family.  netdevsim10 goes to switchdev mode with 2 VFs (the
# daemon's own sequence); the intent gives VF 0 the vDPA device vdpa0 on
# the kernel's vDPA network simulator (vdpa_sim_net: netdevsim VFs have no
# PCI function to be a management device) with a MAC.  First with
# max_vqp=2, which vdpa_sim_net refuses: the kernel's extended ack reaches
# Bridge.error.  Then without it: "vdpa dev show" and "vdpa dev config
# show" read vdpa0 back with its MAC, vhost_vdpa gives it
# /dev/vhost-vdpa-0 and the daemon reports that path on the VF's
# Representor row and in its VF row.  A device made by hand (vdpa1) is
# left alone: removing the intent deletes vdpa0 only.  Debian 12's 6.1 has no vDPA: skipped.
# Key step (LAB_BREAK=vdpa-intent): the intent naming vdpa0.
# lab-timeout: 400
. "$LAB_INTEGRATION/lib.sh"
. "$LAB_INTEGRATION/offload.sh"

case " ${LAB_KEXTRA_MODULES:-} " in
    *" vdpa_sim_net "*) ;;
    *) lab_skip "kernel ${LAB_KSERIES:-?} ($LAB_KREL) has no vDPA: ${LAB_KEXTRA_NOTES:-vdpa_sim_net not built}" ;;
esac

lab_need_bin ovs-offloadd ovs-offloadctl
lab_step "setup: netdevsim10 with 1 port, vDPA simulator, OVS, the daemon"
lab_modules
lab_modules vdpa vdpa_sim_net vhost_vdpa
lab_check_grep "management device vdpasim_net" '^vdpasim_net:' vdpa mgmtdev show
lab_nsim_new 10 1 4
lab_start_ovs
offload_start_daemon

mac=02:00:00:00:0a:01
lab_step "intent with max_vqp=2: vdpa_sim_net refuses it, the kernel says why"
lab_check "set the intent" ovs-vsctl add-br br0 -- set Bridge br0 \
    external_ids:offload-uplinks=n10p1 external_ids:offload-num-vfs=2 \
    "external_ids:offload-vf-v0=\"vf=0,vdpa=vdpa0,vdpa_mgmtdev=vdpasim_net,vdpa_mac=$mac,max_vqp=2\""
offload_wait_state br0 error 180
err=$(ovs-offloadctl get Bridge br0 error)
echo "  Bridge.error: $err"
lab_check_grep "the kernel's extended ack in Bridge.error" \
    'add-vdpa vdpa0 mgmtdev=vdpasim_net .* failed: vdpa: dev add vdpa0 mgmtdev vdpasim_net: .+ \(Operation not supported\)' \
    echo "$err"
lab_check_fails "no vdpa0" vdpa dev show vdpa0

lab_step "intent without max_vqp"
if ! lab_break vdpa-intent; then
    lab_check "set the intent" ovs-vsctl set Bridge br0 \
        "external_ids:offload-vf-v0=\"vf=0,vdpa=vdpa0,vdpa_mgmtdev=vdpasim_net,vdpa_mac=$mac\""
fi
offload_wait_state br0 converged 120
grep -E 'add-vdpa|del-vdpa' "$LAB_OUT/ovs-offloadd.log"

lab_step "vdpa0 as the kernel has it"
vdpa dev show vdpa0
vdpa dev config show vdpa0
lab_check_grep "vdpa dev show: vdpa0 is a network device on vdpasim_net" \
    '^vdpa0: type network mgmtdev vdpasim_net' vdpa dev show vdpa0
lab_check_grep "vdpa dev config show: mac $mac" "mac $mac" vdpa dev config show vdpa0
lab_wait 20 "vdpa0 is bound to vhost_vdpa" \
    sh -c '[ "$(basename "$(readlink /sys/bus/vdpa/devices/vdpa0/driver)")" = vhost_vdpa ]'
lab_wait 20 "/dev/vhost-vdpa-0 is a character device" test -c /dev/vhost-vdpa-0
lab_check "vhost-vdpa-0 is vdpa0's" test -e /sys/bus/vdpa/devices/vdpa0/vhost-vdpa-0
rep=$(ovs-offloadctl --bare --columns=name find Representor vf=0)
lab_check_eq "the daemon reports vdpa0 on VF 0's representor ($rep)" vdpa0 \
    "$(ovs-offloadctl get Representor "$rep" observed:vdpa)"
vhost=$(ovs-offloadctl get Representor "$rep" observed:vdpa_vhost)
echo "  Representor $rep observed:vdpa_vhost=$vhost observed:vdpa_mac=$(ovs-offloadctl get Representor "$rep" observed:vdpa_mac)"
lab_check_eq "the daemon reports /dev/vhost-vdpa-0" '"/dev/vhost-vdpa-0"' "$vhost"
vfrow=$(ovs-offloadctl --bare --columns=name find VF vf=0)
lab_check_eq "VF 0's row ($vfrow) names vdpa0" vdpa0 "$(ovs-offloadctl get VF "$vfrow" vdpa)"
lab_check_eq "VF 0's row has /dev/vhost-vdpa-0" '"/dev/vhost-vdpa-0"' \
    "$(ovs-offloadctl get VF "$vfrow" vhost)"
lab_check_eq "the daemon owns vdpa0" '"vdpa0=br0"' \
    "$(ovs-offloadctl get Global . external_ids:created-vdpas)"

lab_step "a device made by hand: vdpa1"
lab_check "vdpa dev add name vdpa1 mgmtdev vdpasim_net" \
    vdpa dev add name vdpa1 mgmtdev vdpasim_net mac 02:00:00:00:0a:02
lab_step "a second round changes nothing"
lab_check_grep "offload/plan: no actions" '^no actions' ovs-appctl -t ovs-offloadd offload/plan
lab_check_eq "vdpa0 created once" 1 "$(grep -c "add-vdpa vdpa0 mgmtdev=vdpasim_net mac=$mac (because" "$LAB_OUT/ovs-offloadd.log")"

lab_step "remove the intent: vdpa0 goes, vdpa1 stays"
lab_check "remove offload-vf-v0" ovs-vsctl remove Bridge br0 external_ids offload-vf-v0
lab_wait 60 "vdpa0 deleted" sh -c '! vdpa dev show vdpa0 >/dev/null 2>&1'
offload_wait_state br0 converged 60
vdpa dev show
lab_check_grep "vdpa1 untouched" '^vdpa1: type network mgmtdev vdpasim_net' vdpa dev show vdpa1
lab_check_grep "vdpa1 keeps its MAC" 'mac 02:00:00:00:0a:02' vdpa dev config show vdpa1
lab_wait 20 "/dev/vhost-vdpa-0 is gone" sh -c '! test -e /dev/vhost-vdpa-0'
lab_check_nogrep "the daemon deleted nothing else" 'del-vdpa vdpa1' cat "$LAB_OUT/ovs-offloadd.log"
lab_wait 20 "the daemon owns no vDPA device" \
    sh -c 'test "$(ovs-offloadctl get Global . external_ids)" = "{}"'
grep -E 'add-vdpa|del-vdpa' "$LAB_OUT/ovs-offloadd.log"
lab_check "vdpa dev del vdpa1 (the user's own clean-up)" vdpa dev del vdpa1
offload_stop_daemon
lab_step "done"
echo "LAB OK: vdpa0 from intent on $(uname -r), mac $mac, /dev/vhost-vdpa-0; vdpa1 (by hand) kept"
