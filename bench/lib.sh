# Set-up shared by the host benchmarks: a userspace OVS (ovs-vswitchd
# --enable-dummy=override, so no real interface is touched), the
# OVS_Offload database and ovs-offloadd on the fake back end, all in a
# private directory removed on exit.  Source it from a benchmark after
# "set -eu"; BENCH_KEEP=1 keeps the directory.

bench_top=$(cd "$(dirname "$0")/.." && pwd)
bench_dir=$(mktemp -d /tmp/ovs-offload-bench.XXXXXX)
export OVS_RUNDIR=$bench_dir OVS_LOGDIR=$bench_dir OVS_DBDIR=$bench_dir
export OVS_SYSCONFDIR=$bench_dir
PATH=$bench_top/src:$PATH

bench_cleanup () {
    for p in ovs-offloadd ovs-vswitchd ovsdb-server; do
        [ -f "$bench_dir/$p.pid" ] && kill "$(cat "$bench_dir/$p.pid")" 2>/dev/null
    done
    if [ "${BENCH_KEEP:-0}" = 1 ]; then
        echo "kept $bench_dir"
    else
        rm -rf "$bench_dir"
    fi
}
trap bench_cleanup EXIT

bench_now_ms () {
    echo $(( $(date +%s%N) / 1000000 ))
}

# bench_start_ovs: ovsdb-server (Open_vSwitch and OVS_Offload) and a
# userspace ovs-vswitchd, in $bench_dir (the current directory after).
bench_start_ovs () {
    cd "$bench_dir"
    ovsdb-tool create conf.db "$bench_top/.ovs/src/vswitchd/vswitch.ovsschema"
    ovsdb-tool create offload.db "$bench_top/ovsdb-schema/ovs-offload.ovsschema"
    ovsdb-server --detach --no-chdir --pidfile --log-file \
        --remote=punix:"$bench_dir"/db.sock conf.db offload.db
    ovs-vsctl --no-wait init
    ovs-vswitchd --enable-dummy=override --disable-system --detach \
        --no-chdir --pidfile --log-file
}

# bench_start_offloadd TOTALVFS [ARGS]: the fake hardware (one PF p0 in
# switchdev mode that can have TOTALVFS VFs) and ovs-offloadd on it.
bench_start_offloadd () {
    cat > hw.conf <<EOF2
device pci/0000:03:00.0 totalvfs=$1 mode=switchdev lag=none
link p0 device=pci/0000:03:00.0 port=p0 up
EOF2
    shift
    ovs-offloadd --detach --no-chdir --pidfile --log-file --hw=fake:hw.conf "$@"
}
