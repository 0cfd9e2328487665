# Helpers for scenarios that run ovs-offloadd in the kernel lab.  Source after
# lib.sh.

# offload_fake_lag DEV STATE: the mlx5 LAG state file of devlink device DEV
# ("netdevsim10"), in a fake debugfs tree that scenarios control (netdevsim
# has no LAG).
offload_fake_lag() {
    OFFLOAD_DEBUGFS=${OFFLOAD_DEBUGFS:-/run/fake-debugfs}
    mkdir -p "$OFFLOAD_DEBUGFS/mlx5/$1/lag"
    echo "$2" > "$OFFLOAD_DEBUGFS/mlx5/$1/lag/state"
}

# offload_start_daemon [ARGS]: ovs-offloadd on the Linux back end, logging
# into $LAB_OUT.
offload_start_daemon() {
    OFFLOAD_DEBUGFS=${OFFLOAD_DEBUGFS:-/run/fake-debugfs}
    mkdir -p "$OFFLOAD_DEBUGFS"
    ovs-offloadd --db="$LAB_OVSDB" --hw=linux --debugfs-root="$OFFLOAD_DEBUGFS" \
        --detach --no-chdir --pidfile --log-file="$LAB_OUT/ovs-offloadd.log" \
        -vconsole:off "$@" || lab_fail "ovs-offloadd failed to start"
    lab_wait 30 "ovs-offloadd connected" \
        sh -c 'test "$(ovs-offloadctl get Global . ovs_connected)" = true'
}

# offload_seed_bridge BRIDGE UPLINK,UPLINK [OVS-VSCTL-ARGS...]: declares the
# seed's approach 3 (sriov-connectx5-ovs-switchdev.txt) on BRIDGE: the two
# uplinks in an active-backup bond, 4 VFs, MTU 9080 on the uplinks and 9000
# on the representors, a VXLAN port; the rest of the arguments go to the
# same ovs-vsctl call ("-- add-port BRIDGE h1", say).
offload_seed_bridge() {
    local br=$1 uplinks=$2
    shift 2
    ovs-vsctl add-br "$br" -- set Bridge "$br" \
        external_ids:offload-uplinks="$uplinks" \
        external_ids:offload-bond=active-backup \
        external_ids:offload-num-vfs=4 \
        external_ids:offload-mtu=9080 external_ids:offload-rep-mtu=9000 \
        external_ids:offload-vxlan=remote_ip=192.168.9.1,local_ip=192.168.9.2,key=42 \
        "$@"
}

offload_stop_daemon() {
    ovs-appctl -t ovs-offloadd exit 2>/dev/null
    return 0
}

# offload_wait_state BRIDGE STATE [SECONDS]
offload_wait_state() {
    lab_wait "${3:-120}" "bridge $1 $2" \
        ovs-offloadctl --timeout="${3:-120}" wait-until Bridge "$1" state="$2"
}

# offload_reps DEV: the representor netdevs of devlink device DEV, from
# devlink (flavour pcivf), in VF order.
offload_reps() {
    devlink port show | sed -n "s|^netdevsim/$1/[0-9]*: type eth netdev \([^ ]*\) flavour pcivf .* vfnum \([0-9]*\).*|\2 \1|p" \
        | sort -n | cut -d' ' -f2
}

# offload_check_step_order UPLINK STEP...: the Uplink row's step_times are
# in the given order.
offload_check_step_order() {
    local uplink=$1; shift
    local times prev=0 prev_step='' t s
    times=$(ovs-offloadctl get Uplink "$uplink" step_times)
    echo "  step_times of $uplink: $times"
    for s in "$@"; do
        t=$(echo "$times" | grep -o "\b$s=[0-9]*" | cut -d= -f2)
        [ -n "$t" ] || lab_fail "step $s has no recorded time" "$times"
        [ "$t" -ge "$prev" ] || lab_fail "step $s ($t) before $prev_step ($prev)" "$times"
        prev=$t prev_step=$s
    done
    echo "  ok: steps in order: $*"
}
