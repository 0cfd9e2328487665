#!/bin/bash
# Package upgrade with a schema change: version 1 (.pkg/v1) installed and
# running with rows in OVS_Offload (the daemon's Global and Bridge rows and
# a value an admin wrote), then version 2 (.pkg/upgrade, from
# "build-aux/deb.sh --upgrade-test": the schema's next minor version with
# one more column, Global:upgrade_test) installed over it with dpkg -i.
# Its postinst converts the database online (the running ovsdb-server
# serves it): the same rows, same UUIDs and values, the new column, the new
# schema version; the daemon, restarted as the package's postinst would
# restart it, says so.  Then an ovsdb-server restart through ovs-ctl
# serves the converted database.
# lab-timeout: 1500
. "$LAB_INTEGRATION/lib.sh"
. "$LAB_INTEGRATION/pkg.sh"

pkg_deb upgrade --upgrade-test
v2=$PKG_DEB
pkg_deb v1 --upgrade-test
v1=$PKG_DEB
pkg_prepare

pkg_dpkg_i "$v1" dpkg-i-v1.log
lab_check_grep "v1 installed" '^ii +ovs-offload +[0-9.]+ ' dpkg -l ovs-offload
pkg_start_ovs
v1_schema=$(ovsdb-client get-schema-version OVS_Offload)
pkg_start_offloadd

lab_step "rows: the daemon's, and one an admin wrote"
ovs-vsctl add-br br0 -- add-br br1 -- set Bridge br1 \
    external_ids:offload-uplinks=0000:7f:00.0
lab_wait 60 "Bridge rows br0 and br1" \
    sh -c 'test "$(ovs-offloadctl --bare --columns=name list Bridge | grep -c .)" = 2'
lab_wait 60 "br1 waiting (no such PCI device: its uplink may appear)" \
    sh -c 'test "$(ovs-offloadctl get Bridge br1 state)" = waiting'
ovs-offloadctl set Global . external_ids:site=lab-v1 \
    || lab_fail "ovs-offloadctl set Global external_ids failed"
ovsdb-client dump OVS_Offload > "$LAB_OUT/rows-v1.txt" \
    || lab_fail "ovsdb-client dump failed"
ovsdb-client dump OVS_Offload Bridge _uuid name state managed > "$LAB_OUT/bridges-v1.txt"
ovsdb-client dump OVS_Offload Global _uuid external_ids > "$LAB_OUT/global-v1.txt"
echo "  rows before (schema $v1_schema):"
cat "$LAB_OUT/bridges-v1.txt" "$LAB_OUT/global-v1.txt" | sed 's/^/    /'

pkg_dpkg_i "$v2" dpkg-i-v2.log
lab_check_grep "v2 installed" '^ii +ovs-offload +[0-9.]+\+schema2 ' dpkg -l ovs-offload
lab_check_grep "postinst converted online" \
    "converted OVS_Offload from schema $v1_schema to [0-9.]+ \\(online" \
    cat "$LAB_OUT/dpkg-i-v2.log"
v2_schema=$(ovsdb-tool schema-version /usr/share/ovs-offload/ovs-offload.ovsschema)
lab_check_eq "served schema is the installed one" "$v2_schema" \
    "$(ovsdb-client get-schema-version OVS_Offload)"
lab_check_eq "the file has it too" "$v2_schema" \
    "$(ovsdb-tool db-version /var/lib/ovs-offload/ovs-offload.db)"

lab_step "rows after the conversion"
ovsdb-client dump OVS_Offload > "$LAB_OUT/rows-v2.txt"
ovsdb-client dump OVS_Offload Bridge _uuid name state managed > "$LAB_OUT/bridges-v2.txt"
ovsdb-client dump OVS_Offload Global _uuid external_ids > "$LAB_OUT/global-v2.txt"
echo "  rows after (schema $v2_schema):"
cat "$LAB_OUT/bridges-v2.txt" "$LAB_OUT/global-v2.txt" | sed 's/^/    /'
lab_check "Bridge rows kept: same UUIDs, names, states" \
    diff "$LAB_OUT/bridges-v1.txt" "$LAB_OUT/bridges-v2.txt"
lab_check "Global row kept: same UUID, the admin's external_ids" \
    diff "$LAB_OUT/global-v1.txt" "$LAB_OUT/global-v2.txt"
lab_check_grep "the admin's value" 'site=lab-v1' cat "$LAB_OUT/global-v2.txt"
lab_check_grep "the new column" 'upgrade_test' \
    ovsdb-client dump OVS_Offload Global upgrade_test
lab_check_fails "no such column before" grep -q upgrade_test "$LAB_OUT/rows-v1.txt"

lab_step "ovs-offloadd restarted as the postinst restarts the unit (v2 binary)"
ovs-appctl -t ovs-offloadd exit
lab_wait 30 "v1 daemon gone" sh -c "! kill -0 \$(cat $PKG_PIDFILE) 2>/dev/null"
pkg_start_offloadd
lab_wait 30 "v2 daemon: database ok with schema $v2_schema" \
    sh -c "ovs-appctl -t ovs-offloadd offload/show | grep -q '^OVS_Offload database: ok: .*(schema $v2_schema)'"
lab_check_eq "br1 row still the same" \
    "$(grep br1 "$LAB_OUT/bridges-v1.txt" | awk '{print $1}')" \
    "$(ovsdb-client dump OVS_Offload Bridge _uuid name | grep br1 | awk '{print $1}')"

pkg_restart_ovsdb
lab_check_eq "schema after the restart" "$v2_schema" \
    "$(ovsdb-client get-schema-version OVS_Offload)"
lab_check_grep "the admin's value after the restart" 'site=lab-v1' \
    ovsdb-client dump OVS_Offload Global external_ids
lab_wait 60 "the daemon reconnected" \
    sh -c "ovs-appctl -t ovs-offloadd offload/show | grep -q '^OVS_Offload database: ok'"
pkg_stop_all
