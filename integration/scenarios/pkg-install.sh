#!/bin/bash
# The Debian package, installed and running: dpkg -i of the .deb that
# build-aux/deb.sh built (.pkg/v1/), whose postinst runs "ovs-offload-db
# setup" and whose unit "systemd-analyze verify" finds clean; ovsdb-server
# started the way ovsdb-server.service starts it
# (ovs-ctl with $OVS_CTL_OPTS from /etc/default/openvswitch-switch), then
# ovs-vswitchd the way ovs-vswitchd.service does, then ovs-offloadd with
# the ExecStart= of the installed ovs-offloadd.service and
# $OVS_OFFLOADD_OPTS from /etc/default/ovs-offloadd.  The seed topology
# (as in recon-seed) converges; after ovsdb-server is restarted through
# ovs-ctl (the unit's ExecStop= then ExecStart=) OVS_Offload is still
# served, with its rows, and the daemon carries on (a new intent
# converges).  The guest has no systemd: the units' command lines are run
# as systemd would run them.  Everything runs from the installed paths.
# lab-timeout: 1500
. "$LAB_INTEGRATION/lib.sh"
. "$LAB_INTEGRATION/offload.sh"
. "$LAB_INTEGRATION/pkg.sh"

pkg_deb v1
deb=$PKG_DEB
pkg_prepare

lab_step "setup: netdevsim10 (2 ports, 4 queues), fake LAG, clean OVS state"
lab_modules
lab_nsim_new 10 2 4
offload_fake_lag netdevsim10 active

pkg_dpkg_i "$deb" dpkg-i.log
lab_check_grep "postinst created the database" \
    'ovs-offload-db: created /var/lib/ovs-offload/ovs-offload.db' \
    cat "$LAB_OUT/dpkg-i.log"
lab_check_grep "installed" '^ii +ovs-offload ' dpkg -l ovs-offload
for f in /usr/sbin/ovs-offloadd /usr/bin/ovs-offloadctl /usr/sbin/ovs-offload-db \
         $PKG_UNIT_DIR/ovs-offloadd.service /etc/default/ovs-offloadd \
         /etc/logrotate.d/ovs-offload /usr/share/ovs-offload/ovs-offload.ovsschema; do
    lab_check "installed: $f" test -e "$f"
done
lab_check_grep "OVS_CTL_OPTS has the database" \
    '^OVS_CTL_OPTS="--extra-dbs=/var/lib/ovs-offload/ovs-offload.db"$' \
    cat /etc/default/openvswitch-switch
lab_check_grep "conffiles" '/etc/default/ovs-offloadd' \
    dpkg-query -W -f='${Conffiles}' ovs-offload

lab_step "systemd-analyze verify of the installed unit (offline: no systemd in the guest)"
verify=$(systemd-analyze verify ovs-offloadd.service 2>&1)
echo "$verify" > "$LAB_OUT/systemd-analyze.txt"
lab_check_eq "systemd-analyze verify ovs-offloadd.service: no finding" "" "$verify"

lab_step "the maintainer script's set-up again (idempotent)"
lab_check_grep "setup twice: nothing to do" 'has the installed schema' \
    ovs-offload-db setup
lab_check_eq "one OVS_CTL_OPTS line" 1 \
    "$(grep -c '^OVS_CTL_OPTS=' /etc/default/openvswitch-switch)"

pkg_start_ovs
lab_check_grep "ovsdb-server was given the file" \
    'ovsdb-server .*/var/lib/ovs-offload/ovs-offload.db' ps -o args= -C ovsdb-server
lab_check "status: file, registration and server all there" ovs-offload-db status

lab_step "options for ovs-offloadd in /etc/default/ovs-offloadd: the fake LAG's debugfs"
sed -i 's|^OVS_OFFLOADD_OPTS=.*|OVS_OFFLOADD_OPTS="--debugfs-root=/run/fake-debugfs"|' \
    /etc/default/ovs-offloadd
pkg_start_offloadd
pidfile=$PKG_PIDFILE
lab_check_grep "the installed binary with the unit's options" \
    '^/usr/sbin/ovs-offloadd .*--log-file=/var/log/ovs-offload/ovs-offloadd.log.*--debugfs-root=/run/fake-debugfs' \
    sh -c "tr '\\0' ' ' < /proc/\$(cat $pidfile)/cmdline"
lab_check_grep "offload/show: database ok" '^OVS_Offload database: ok: served' \
    ovs-appctl -t ovs-offloadd offload/show

lab_host h1 10.0.0.1
lab_host h2 10.0.0.2

lab_step "the seed topology"
offload_seed_bridge br0 n10p1,n10p2 -- add-port br0 h1 -- add-port br0 h2
offload_wait_state br0 converged 300
lab_check_eq "bond, 4 representors, vxlan0 + 2 of the user's" 8 \
    "$(ovs-vsctl list-ports br0 | wc -l)"
# Under TCG on a loaded host the first packet can be lost to the flow
# set-up (RTTs of 600-800 ms, 6 s OVS poll intervals seen): traffic must
# cross the bridge within the deadline.  recon-seed checks traffic itself.
lab_wait 60 "traffic crosses br0 (ping h1 -> h2)" lab_ping h1 10.0.0.2 1
ovs-offloadctl show | tee "$LAB_OUT/show-before.txt"
lab_check_grep "ovs-offloadctl show: br0" '^    name: br0$' cat "$LAB_OUT/show-before.txt"
lab_check_grep "ovs-offloadctl show: converged" '^    state: converged$' \
    cat "$LAB_OUT/show-before.txt"
uuid_before=$(ovsdb-client dump OVS_Offload Bridge _uuid name | grep br0)
echo "  Bridge row before: $uuid_before"

pkg_restart_ovsdb
lab_check_eq "the Bridge row kept (same UUID)" "$uuid_before" \
    "$(ovsdb-client dump OVS_Offload Bridge _uuid name | grep br0)"
lab_wait 60 "the daemon reconnected to OVS_Offload" \
    sh -c "test \$(grep -c 'connected to OVS_Offload database' /var/log/ovs-offload/ovs-offloadd.log) -ge 2"
lab_check "the daemon is the same process" kill -0 "$(cat "$pidfile")"
lab_wait 60 "offload/show: database ok again" \
    sh -c "ovs-appctl -t ovs-offloadd offload/show | grep -q '^OVS_Offload database: ok: served'"

lab_step "the daemon carries on: a new intent converges"
ovs-vsctl set Bridge br0 external_ids:offload-rep-mtu=8000
lab_wait 180 "br0 converged on rep-mtu 8000" ovs-offloadctl --timeout=180 \
    wait-until Bridge br0 'intent:offload-rep-mtu="8000"' state=converged
for r in $(offload_reps netdevsim10); do
    lab_check_eq "representor $r MTU" 8000 "$(cat /sys/class/net/$r/mtu)"
done
ovs-offloadctl show

pkg_stop_all
