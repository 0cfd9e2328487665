# Helpers for the scenarios that install the Debian package (pkg-*) in the
# guest's overlay root.  Source after lib.sh.  The guest has no systemd:
# the units' command lines are run the way systemd runs them.

PKG_UNIT_DIR=/lib/systemd/system

# pkg_deb DIR [HOW]: sets PKG_DEB to the .deb in $LAB_TOP/.pkg/DIR (built
# on the host by build-aux/deb.sh HOW), or skips the scenario.
pkg_deb() {
    PKG_DEB=$(ls "$LAB_TOP/.pkg/$1"/ovs-offload_*.deb 2>/dev/null | head -n 1)
    [ -n "$PKG_DEB" ] || lab_skip "no package in $LAB_TOP/.pkg/$1: build it" \
                                  "on the host first with build-aux/deb.sh${2:+ $2}" \
                                  "(or run CHECK_DEB=yes build-aux/check.sh)"
}

# pkg_prepare: the installed programs first in PATH (not the worktree's
# src/), Open vSwitch's system directories, a fresh OVS state.
pkg_prepare() {
    export PATH=/usr/sbin:/usr/bin:/sbin:/bin
    export OVS_RUNDIR=/var/run/openvswitch OVS_LOGDIR=/var/log/openvswitch
    # A fresh system: not the host's own conf.db (the overlay hides it).
    rm -f /etc/openvswitch/conf.db /var/lib/openvswitch/conf.db
    # man-db's trigger would index every manual page over 9p.
    rm -f /var/lib/man-db/auto-update
    trap pkg_save_logs EXIT
}

pkg_save_logs() {
    mkdir -p "$LAB_OUT/logs"
    cp /var/log/openvswitch/*.log /var/log/ovs-offload/*.log \
        "$LAB_OUT/logs/" 2>/dev/null
    return 0
}

# pkg_dpkg_i DEB LOG: dpkg -i, its output also in $LAB_OUT/LOG.
pkg_dpkg_i() {
    lab_step "dpkg -i $(basename "$1")"
    dpkg -i "$1" > "$LAB_OUT/$2" 2>&1 \
        || lab_fail "dpkg -i $1 failed" "$(tail -n 30 "$LAB_OUT/$2")"
    cat "$LAB_OUT/$2"
}

# pkg_unit_cmd UNIT KEY: the command line of KEY= (ExecStart, ExecStop) in
# the installed UNIT, continuation lines joined.
pkg_unit_cmd() {
    # (A sed range would run on past a one-line KEY= to the next line
    # that ends without a backslash: ExecStop= took ExecReload= with it.)
    awk -v key="$2=" '
        !on && index($0, key) == 1 { on = 1; $0 = substr($0, length(key) + 1) }
        on { more = sub(/\\$/, ""); printf "%s ", $0; if (!more) exit }
    ' "$PKG_UNIT_DIR/$1"
}

# pkg_run_unit UNIT KEY: runs it with the unit's EnvironmentFile= read
# first, its $VARIABLES split at whitespace, as systemd does.
pkg_run_unit() {
    local env cmd
    env=$(sed -n 's/^EnvironmentFile=-\{0,1\}//p' "$PKG_UNIT_DIR/$1")
    cmd=$(pkg_unit_cmd "$1" "$2")
    echo "  $1 $2=$cmd"
    (set -a; [ -z "$env" ] || [ ! -f "$env" ] || . "$env"; set +a
     eval "$cmd")
}

# pkg_start_ovs: ovsdb-server, then ovs-vswitchd, as their units do.
pkg_start_ovs() {
    lab_step "ovsdb-server as ovsdb-server.service starts it (ovs-ctl, \$OVS_CTL_OPTS)"
    lsmod | grep -q '^openvswitch ' || lab_modules openvswitch
    pkg_run_unit ovsdb-server.service ExecStart \
        || lab_fail "ovs-ctl start (ovsdb-server) failed"
    lab_check_grep "OVS_Offload served" '^OVS_Offload$' ovsdb-client list-dbs
    lab_step "ovs-vswitchd as ovs-vswitchd.service starts it"
    lab_wait_cpu_count_settled
    pkg_run_unit ovs-vswitchd.service ExecStart \
        || lab_fail "ovs-ctl start (ovs-vswitchd) failed"
    lab_wait 60 "ovs-vswitchd up" ovs-appctl -t ovs-vswitchd version
}

# pkg_restart_ovsdb: "systemctl restart ovsdb-server" without systemd: the
# unit's ExecStop=, then ExecStart=.
pkg_restart_ovsdb() {
    lab_step "ovsdb-server restarted through ovs-ctl (the unit's ExecStop=, ExecStart=)"
    pkg_run_unit ovsdb-server.service ExecStop \
        || lab_fail "ovs-ctl stop (ovsdb-server) failed"
    lab_check_fails "ovsdb-server gone" ovsdb-client --timeout=2 list-dbs
    pkg_run_unit ovsdb-server.service ExecStart \
        || lab_fail "ovs-ctl start (ovsdb-server) failed"
    lab_check_grep "OVS_Offload still served" '^OVS_Offload$' ovsdb-client list-dbs
}

# pkg_start_offloadd: ovs-offloadd as ovs-offloadd.service starts it;
# PKG_PIDFILE is its PIDFile=.
pkg_start_offloadd() {
    lab_step "ovs-offloadd as ovs-offloadd.service starts it (options from /etc/default/ovs-offloadd)"
    pkg_run_unit ovs-offloadd.service ExecStart \
        || lab_fail "ovs-offloadd (the unit's ExecStart=) failed"
    PKG_PIDFILE=$(sed -n 's/^PIDFile=//p' "$PKG_UNIT_DIR/ovs-offloadd.service")
    lab_check "PIDFile= $PKG_PIDFILE names ovs-offloadd" \
        sh -c "kill -0 \$(cat $PKG_PIDFILE) && grep -q ovs-offloadd /proc/\$(cat $PKG_PIDFILE)/cmdline"
    lab_wait 60 "ovs-offloadd connected" \
        sh -c 'test "$(ovs-offloadctl get Global . ovs_connected)" = true'
}

pkg_stop_all() {
    lab_step "stop"
    ovs-appctl -t ovs-offloadd exit
    pkg_run_unit ovs-vswitchd.service ExecStop
    pkg_run_unit ovsdb-server.service ExecStop
}
