# shellcheck shell=bash
# Scenario helper library for the kernel lab.  Source it from a scenario:
#
#     . "$LAB_INTEGRATION/lib.sh"
#
# Runs inside the lab VM as root (bash).  run-vm.sh sets LAB_TOP, LAB_OUT,
# LAB_INTEGRATION, LAB_KREL, LAB_MODULES_DIR and LAB_NAME.  Scratch files
# belong in the guest's RAM (e.g. /run or mktemp -d); files meant for the host
# belong in $LAB_OUT.
#
# Assertions (lab_check*, lab_wait) print what they checked; on failure they
# print the command, its status and output, some diagnostics, and exit 1.

: "${LAB_TOP:?lib.sh must run inside the lab VM (LAB_TOP unset)}"
: "${LAB_OUT:=/run/lab-out}"
mkdir -p "$LAB_OUT"
LAB_T0=$(date +%s%N)

# ---------------------------------------------------------------------------
# Logging and assertions.

# lab_step TEXT...: log a scenario step with the time since the start.
lab_step() {
    local now; now=$(date +%s%N)
    local ms=$(( (now - LAB_T0) / 1000000 ))
    printf '== [%4d.%01ds] %s\n' $((ms / 1000)) $(((ms % 1000) / 100)) "$*"
}

# lab_diag: print the state that helps to understand a failure.
lab_diag() {
    echo "---- diagnostics ----"
    ip -br link 2>&1 | head -n 40
    if [ -n "${OVS_RUNDIR:-}" ] && [ -S "$OVS_RUNDIR/db.sock" ]; then
        ovs-vsctl --timeout=5 show 2>&1 | head -n 60
        ovs-appctl --timeout=5 dpctl/dump-flows -m 2>&1 | head -n 30
        [ -f "$OVS_LOGDIR/ovs-vswitchd.log" ] && tail -n 20 "$OVS_LOGDIR/ovs-vswitchd.log"
    fi
    echo "---------------------"
}

# lab_fail MESSAGE [DETAIL...]: report a failure and exit 1.
lab_fail() {
    local msg=$1; shift
    echo "LAB FAIL: $msg"
    local d
    for d in "$@"; do
        printf '%s\n' "$d" | sed 's/^/    /'
    done
    printf '%s\n' "$msg" >> "$LAB_OUT/failures"
    if [ "${LAB_NO_DIAG:-0}" != 1 ]; then
        lab_diag
        echo "LAB FAIL: $msg"       # again, so it is the last line of the log
    fi
    exit 1
}

# lab_skip REASON: the scenario cannot run here (e.g. an artifact it tests
# was not built); run-lab reports "SKIP: NAME (REASON)".  Exit status 77,
# as in Automake's test drivers.
lab_skip() {
    echo "LAB SKIP: $*"
    exit 77
}

# lab_check DESCRIPTION COMMAND [ARGS...]: COMMAND must succeed.
lab_check() {
    local desc=$1; shift
    local out rc
    out=$("$@" 2>&1) && { echo "  ok: $desc"; return 0; }
    rc=$?
    lab_fail "$desc" "command: $*" "exit status: $rc" "$(printf '%s\n' "$out" | tail -n 40)"
}

# lab_check_fails DESCRIPTION COMMAND [ARGS...]: COMMAND must fail.
lab_check_fails() {
    local desc=$1; shift
    local out
    if out=$("$@" 2>&1); then
        lab_fail "$desc" "command unexpectedly succeeded: $*" "$(printf '%s\n' "$out" | tail -n 40)"
    fi
    echo "  ok: $desc"
}

# lab_check_grep DESCRIPTION REGEX COMMAND [ARGS...]: COMMAND must succeed
# and its output must match the extended regular expression REGEX.
lab_check_grep() {
    local desc=$1 re=$2; shift 2
    local out rc=0
    out=$("$@" 2>&1) || rc=$?
    if [ $rc = 0 ] && printf '%s\n' "$out" | grep -Eq -- "$re"; then
        echo "  ok: $desc"
        return 0
    fi
    lab_fail "$desc" "command: $*" "exit status: $rc" "expected to match: $re" \
        "output:" "$(printf '%s\n' "$out" | head -n 60)"
}

# lab_check_nogrep DESCRIPTION REGEX COMMAND [ARGS...]: COMMAND must succeed
# and its output must not match REGEX.
lab_check_nogrep() {
    local desc=$1 re=$2; shift 2
    local out rc=0
    out=$("$@" 2>&1) || rc=$?
    if [ $rc = 0 ] && ! printf '%s\n' "$out" | grep -Eq -- "$re"; then
        echo "  ok: $desc"
        return 0
    fi
    lab_fail "$desc" "command: $*" "exit status: $rc" "expected NOT to match: $re" \
        "output:" "$(printf '%s\n' "$out" | head -n 60)"
}

# lab_check_eq DESCRIPTION EXPECTED ACTUAL
lab_check_eq() {
    if [ "$2" = "$3" ]; then
        echo "  ok: $1"
        return 0
    fi
    lab_fail "$1" "expected: $2" "actual:   $3"
}

# lab_wait SECONDS DESCRIPTION COMMAND [ARGS...]: poll COMMAND (every 0.2 s)
# until it succeeds; fail after SECONDS.
lab_wait() {
    local secs=$1 desc=$2; shift 2
    local deadline=$(( $(date +%s) + secs )) out
    while :; do
        out=$("$@" 2>&1) && { echo "  ok: $desc"; return 0; }
        [ "$(date +%s)" -ge "$deadline" ] && break
        sleep 0.2
    done
    lab_fail "$desc (not true after ${secs}s)" "command: $*" "$(printf '%s\n' "$out" | tail -n 40)"
}

# lab_break KEY: true if the scenario should skip its step KEY because LAB_BREAK
# (a comma or space separated list) names it.  Used to prove that a scenario
# fails when its key step is removed.
lab_break() {
    case ",${LAB_BREAK:-}," in
        *",$1,"*) echo "  LAB_BREAK: skipping step '$1'"; return 0 ;;
    esac
    case " ${LAB_BREAK:-} " in
        *" $1 "*) echo "  LAB_BREAK: skipping step '$1'"; return 0 ;;
    esac
    return 1
}

# lab_need_bin NAME...: fail unless every NAME is an executable under
# $LAB_TOP/src (the project's binaries, built on the host before the VM runs).
lab_need_bin() {
    local b
    for b in "$@"; do
        [ -x "$LAB_TOP/src/$b" ] \
            || lab_fail "$LAB_TOP/src/$b is missing: build the project on the host first (make)"
    done
}

# ---------------------------------------------------------------------------
# Kernel modules and debugfs.

LAB_DEFAULT_MODULES="openvswitch cls_flower act_mirred act_gact act_skbedit
    act_tunnel_key act_vlan act_pedit act_csum sch_ingress bonding veth vxlan
    psample netdevsim"

# lab_modules [MODULE...]: make the guest kernel's modules visible at
# /lib/modules and load MODULEs (default: the lab set, incl. netdevsim).
lab_modules() {
    if ! [ -f "/lib/modules/$(uname -r)/modules.dep" ]; then
        mkdir -p /lib/modules
        mount --bind "$LAB_MODULES_DIR" /lib/modules \
            || lab_fail "cannot bind-mount $LAB_MODULES_DIR on /lib/modules"
    fi
    local mods="$*"
    [ -n "$mods" ] || mods=$LAB_DEFAULT_MODULES
    # shellcheck disable=SC2086
    modprobe -a $mods 2>&1 || lab_fail "modprobe failed" "modules: $(echo $mods)"
}

lab_mount_debugfs() {
    mountpoint -q /sys/kernel/debug || mount -t debugfs none /sys/kernel/debug \
        || lab_fail "cannot mount debugfs"
}

# ---------------------------------------------------------------------------
# Open vSwitch.

# lab_wait_cpu_count_settled
#   Returns once the guest's monotonic clock has passed 10.5 s.  Open
#   vSwitch 3.1's count_cpu_cores() caches the CPU count and refreshes it
#   only when time_msec() (CLOCK_MONOTONIC, i.e. time since boot) minus its
#   last refresh, which starts at 0, reaches 10 s.  An ovs-vswitchd started
#   in the first 10 s of uptime therefore sees 0 CPUs, the kernel
#   datapath's per-CPU upcall dispatch gets an empty handler PID array and
#   every upcall of that datapath is lost for good (ovs-dpctl show:
#   "lost:N" with N = missed).  The guest boots in about 4 s, so the lab
#   waits; a real host whose ovs-vswitchd starts that early is hit the same
#   way (ovs-offloadctl verify reports it).  LAB_OVS_EARLY=1 skips the wait,
#   to reproduce the failure.
lab_wait_cpu_count_settled() {
    [ "${LAB_OVS_EARLY:-0}" = 1 ] && return 0
    local up i
    for i in $(seq 1 200); do
        up=$(cut -d' ' -f1 /proc/uptime)
        [ "${up%.*}" -ge 11 ] 2>/dev/null && return 0
        case $up in 10.[5-9]*) return 0 ;; esac
        sleep 0.1
    done
    lab_fail "uptime did not reach 10.5 s in 20 s (uptime $up)"
}

# lab_start_ovs [--hw-offload] [--tc-policy POLICY] [KEY=VALUE...]
#   Starts ovsdb-server (Open_vSwitch DB, plus the ovs-offload DB when
#   $LAB_TOP/ovsdb-schema/ovs-offload.ovsschema exists) on
#   unix:$OVS_RUNDIR/db.sock, sets other_config (hw-offload, tc-policy,
#   KEY=VALUE...) and starts ovs-vswitchd on the kernel datapath.
#   Exports OVS_RUNDIR, OVS_DBDIR, OVS_LOGDIR (= $LAB_OUT/ovs), OVS_PKGDATADIR,
#   OVS_SYSCONFDIR, LAB_OVSDB (the socket as an OVSDB remote) and, when the
#   second DB exists, LAB_OFFLOAD_DB (its database name).
lab_start_ovs() {
    local hw=false policy='' kv=()
    while [ $# -gt 0 ]; do
        case $1 in
            --hw-offload) hw=true ;;
            --tc-policy) policy=$2; shift ;;
            *=*) kv+=("other_config:$1") ;;
            *) lab_fail "lab_start_ovs: unknown argument $1" ;;
        esac
        shift
    done
    lsmod | grep -q '^openvswitch ' || lab_modules openvswitch
    export OVS_RUNDIR=/run/openvswitch
    export OVS_DBDIR=/run/openvswitch
    export OVS_SYSCONFDIR=/run/openvswitch/etc
    export OVS_LOGDIR=$LAB_OUT/ovs
    export OVS_PKGDATADIR=/usr/share/openvswitch
    export LAB_OVSDB=unix:$OVS_RUNDIR/db.sock
    mkdir -p "$OVS_RUNDIR" "$OVS_SYSCONFDIR" "$OVS_LOGDIR"
    rm -f "$OVS_DBDIR"/*.db
    ovsdb-tool create "$OVS_DBDIR/conf.db" "$OVS_PKGDATADIR/vswitch.ovsschema" \
        || lab_fail "ovsdb-tool create conf.db failed"
    local dbs=("$OVS_DBDIR/conf.db")
    local schema=$LAB_TOP/ovsdb-schema/ovs-offload.ovsschema
    if [ -f "$schema" ]; then
        LAB_OFFLOAD_DB=$(ovsdb-tool schema-name "$schema") \
            || lab_fail "ovsdb-tool schema-name $schema failed"
        export LAB_OFFLOAD_DB
        ovsdb-tool create "$OVS_DBDIR/ovs-offload.db" "$schema" \
            || lab_fail "ovsdb-tool create from $schema failed"
        dbs+=("$OVS_DBDIR/ovs-offload.db")
    fi
    ovsdb-server "${dbs[@]}" \
        --remote="punix:$OVS_RUNDIR/db.sock" \
        --remote=db:Open_vSwitch,Open_vSwitch,manager_options \
        --pidfile --detach --no-chdir -vconsole:off --log-file="$OVS_LOGDIR/ovsdb-server.log" \
        || lab_fail "ovsdb-server failed to start" "$(tail -n 20 "$OVS_LOGDIR/ovsdb-server.log" 2>/dev/null)"
    ovs-vsctl --no-wait init || lab_fail "ovs-vsctl init failed"
    local oc=("other_config:hw-offload=$hw")
    [ -n "$policy" ] && oc+=("other_config:tc-policy=$policy")
    ovs-vsctl --no-wait set Open_vSwitch . "${oc[@]}" "${kv[@]}" \
        || lab_fail "cannot set other_config ${oc[*]} ${kv[*]}"
    lab_wait_cpu_count_settled
    ovs-vswitchd "unix:$OVS_RUNDIR/db.sock" --pidfile --detach --no-chdir -vconsole:off \
        --log-file="$OVS_LOGDIR/ovs-vswitchd.log" \
        || lab_fail "ovs-vswitchd failed to start" "$(tail -n 20 "$OVS_LOGDIR/ovs-vswitchd.log" 2>/dev/null)"
    # Wait until vswitchd has applied the configuration.
    ovs-vsctl --timeout=60 set Open_vSwitch . external_ids:lab-ready=1 \
        || lab_fail "ovs-vswitchd did not apply the configuration in 60 s"
    lab_step "OVS started (hw-offload=$hw${policy:+ tc-policy=$policy}; db $LAB_OVSDB${LAB_OFFLOAD_DB:+, DBs Open_vSwitch + $LAB_OFFLOAD_DB})"
}

# lab_check_upcalls: asserts that no datapath lost an upcall ("lost:0" in
#   every "lookups:" line of ovs-dpctl show) and that at least one missed
#   upcall was counted, so that the check cannot pass on an idle datapath.
lab_check_upcalls() {
    local out
    out=$(ovs-dpctl show 2>&1)

    if ! echo "$out" | grep -q 'lookups:'; then
        lab_fail "ovs-dpctl show has no lookups line" "$out"
    elif echo "$out" | grep 'lookups:' | grep -vq 'lost:0$'; then
        lab_fail "upcalls lost: $(echo "$out" | grep lookups | tr -s ' ')" "$out"
    elif ! echo "$out" | grep 'lookups:' | grep -Eq 'missed:[1-9]'; then
        lab_fail "no upcall was counted (missed:0): the check saw no traffic" "$out"
    else
        echo "LAB OK: no upcall lost ($(echo "$out" | grep lookups | tr -s ' '))"
    fi
}

lab_stop_ovs() {
    [ -n "${OVS_RUNDIR:-}" ] || return 0
    ovs-appctl --timeout=20 -t ovs-vswitchd exit --cleanup 2>/dev/null
    ovs-appctl --timeout=20 -t ovsdb-server exit 2>/dev/null
    return 0
}

# ---------------------------------------------------------------------------
# netdevsim.  Devices are netdevsim/netdevsimID; their netdevs are renamed to
# n<ID><phys_port_name>: n10p1, n10p2, n10pf0vf0, ...  (there is no udev in the
# guest, so the kernel names them eth<N>).

lab_nsim_sysdir() { echo "/sys/bus/netdevsim/devices/netdevsim$1"; }

# lab_nsim_netdevs ID: names of the device's netdevs (PF ports + representors).
lab_nsim_netdevs() {
    ls "$(lab_nsim_sysdir "$1")/net" 2>/dev/null
}

# lab_nsim_new ID NPORTS [QUEUES]: create a device and name its ports n<ID>p<N>.
lab_nsim_new() {
    local id=$1 nports=$2 queues=${3:-1}
    [ -d /sys/bus/netdevsim ] || modprobe netdevsim || lab_fail "modprobe netdevsim failed"
    echo "$id $nports $queues" > /sys/bus/netdevsim/new_device \
        || lab_fail "netdevsim new_device '$id $nports $queues' failed"
    lab_nsim_wait_netdevs "$id" "$nports"
    lab_nsim_rename "$id"
}

# lab_nsim_wait_netdevs ID COUNT: wait until the device has COUNT netdevs.
lab_nsim_wait_netdevs() {
    local id=$1 count=$2 n=0
    for _ in $(seq 50); do
        n=$(lab_nsim_netdevs "$id" | wc -l)
        [ "$n" -ge "$count" ] && return 0
        sleep 0.1
    done
    lab_fail "netdevsim$id: expected $count netdevs, found $n"
}

# lab_nsim_rename ID: rename every netdev of the device to n<ID><phys_port_name>.
lab_nsim_rename() {
    local id=$1 dev ppn new up
    for dev in $(lab_nsim_netdevs "$id"); do
        ppn=$(cat "/sys/class/net/$dev/phys_port_name" 2>/dev/null) || continue
        [ -n "$ppn" ] || continue
        new=n$id$ppn
        [ "$dev" = "$new" ] && continue
        up=0
        ip link show dev "$dev" | grep -q '[<,]UP[,>]' && up=1
        [ $up = 1 ] && ip link set dev "$dev" down
        ip link set dev "$dev" name "$new" || lab_fail "cannot rename $dev to $new"
        [ $up = 1 ] && ip link set dev "$new" up
    done
}

# lab_nsim_vfs ID NUMVFS: set the number of VFs (raising max_vfs if needed).
lab_nsim_vfs() {
    local id=$1 n=$2 sys
    sys=$(lab_nsim_sysdir "$id")
    if [ "$n" -gt 4 ]; then
        lab_mount_debugfs
        echo "$n" > "/sys/kernel/debug/netdevsim/netdevsim$id/max_vfs" \
            || lab_fail "cannot raise netdevsim$id max_vfs to $n"
    fi
    if [ "$(cat "$sys/sriov_numvfs")" != 0 ] && [ "$n" != 0 ]; then
        echo 0 > "$sys/sriov_numvfs"
    fi
    echo "$n" > "$sys/sriov_numvfs" || lab_fail "cannot set netdevsim$id sriov_numvfs to $n"
}

# lab_nsim_switchdev ID: put the eswitch in switchdev mode and name the
# representors n<ID>pf0vf<N>.
lab_nsim_switchdev() {
    local id=$1
    devlink dev eswitch set "netdevsim/netdevsim$id" mode switchdev \
        || lab_fail "devlink eswitch set netdevsim/netdevsim$id mode switchdev failed"
    lab_nsim_reps_rename "$id"
}

# lab_nsim_reps_rename ID: wait for the representors of all VFs, then rename.
lab_nsim_reps_rename() {
    local id=$1 sys nports nvfs
    sys=$(lab_nsim_sysdir "$id")
    nvfs=$(cat "$sys/sriov_numvfs")
    nports=$(ls -d "$sys"/port* 2>/dev/null | wc -l)
    [ "$nports" -gt 0 ] || nports=$(devlink port show 2>/dev/null \
        | grep -c "^netdevsim/netdevsim$id/.*flavour physical")
    lab_nsim_wait_netdevs "$id" $((nports + nvfs))
    lab_nsim_rename "$id"
}

# ---------------------------------------------------------------------------
# Namespaces and traffic.

# lab_host NAME IP[/PREFIX] [HOSTIF]: network namespace NAME with interface
# eth0 holding IP (default prefix /24), connected by a veth pair to HOSTIF
# (default NAME) in the root namespace, which is left up and unaddressed, ready
# for ovs-vsctl add-port.
lab_host() {
    local ns=$1 ip=$2 hostif=${3:-$1}
    case $ip in */*) ;; *) ip=$ip/24 ;; esac
    ip netns add "$ns" || lab_fail "ip netns add $ns failed"
    ip link add "$hostif" type veth peer name eth0 netns "$ns" \
        || lab_fail "cannot create veth $hostif <-> $ns/eth0"
    ip -n "$ns" link set lo up
    ip -n "$ns" addr add "$ip" dev eth0
    ip -n "$ns" link set eth0 up
    ip link set "$hostif" up
    # No IPv6 router/neighbour chatter in the traffic checks.
    ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 2>/dev/null
    sysctl -qw "net.ipv6.conf.$hostif.disable_ipv6=1" 2>/dev/null
    return 0
}

# lab_ping NS IP [COUNT]: ping IP from namespace NS (busybox ping; there is
# no ping binary on the host).  Succeeds if replies came back.
lab_ping() {
    ip netns exec "$1" busybox ping -c "${3:-3}" -W 2 -w 20 "$2"
}
