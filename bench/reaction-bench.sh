#!/bin/sh
# Benchmark: reaction latency of ovs-offloadd on the fake back end.
#
# Sets up a userspace OVS (ovs-vswitchd --enable-dummy=override) and the
# fake hardware (one PF, 4 VFs in switchdev mode), lets ovs-offloadd
# converge br0, then runs bench/reaction.py: N representors appearing (an
# external controller's, one after another) and N deletions of an owned
# representor port by a user, each until the daemon has corrected the
# bridge, with p50/p99 against the round trip of the trigger itself
# (unixctl request, OVSDB transaction) measured in the same run.
#
# Usage: bench/reaction-bench.sh [N]   (events of each kind, default 200)
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
n=${1:-200}
dir=$(mktemp -d /tmp/ovs-offload-bench.XXXXXX)
export OVS_RUNDIR=$dir OVS_LOGDIR=$dir OVS_DBDIR=$dir OVS_SYSCONFDIR=$dir
PATH=$top/src:$PATH
schema=$top/.ovs/src/vswitchd/vswitch.ovsschema

cleanup () {
    for p in ovs-offloadd ovs-vswitchd ovsdb-server; do
        [ -f "$dir/$p.pid" ] && kill "$(cat "$dir/$p.pid")" 2>/dev/null
    done
    [ "${BENCH_KEEP:-0}" = 1 ] && echo "kept $dir" || rm -rf "$dir"
}
trap cleanup EXIT

cd "$dir"
ovsdb-tool create conf.db "$schema"
ovsdb-tool create offload.db "$top/ovsdb-schema/ovs-offload.ovsschema"
ovsdb-server --detach --no-chdir --pidfile --log-file \
    --remote=punix:$dir/db.sock conf.db offload.db
ovs-vsctl --no-wait init
ovs-vswitchd --enable-dummy=override --disable-system --detach --no-chdir \
    --pidfile --log-file
cat > hw.conf <<EOF2
device pci/0000:03:00.0 totalvfs=4 mode=switchdev lag=none
link p0 device=pci/0000:03:00.0 port=p0 up
EOF2
ovs-offloadd --detach --no-chdir --pidfile --log-file --hw=fake:hw.conf
ovs-vsctl add-br br0 -- set Bridge br0 datapath_type=dummy \
    external_ids:offload-uplinks=p0 external_ids:offload-num-vfs=4
ovs-offloadctl --timeout=60 wait-until Bridge br0 state=converged

python3 "$top/bench/reaction.py" "$dir/db.sock" \
    "$dir/ovs-offloadd.$(cat ovs-offloadd.pid).ctl" br0 pci/0000:03:00.0 \
    "$n" p0r0 p0r1 p0r2 p0r3
ovs-offloadctl --timeout=60 wait-until Bridge br0 state=converged
echo "ports on br0: $(ovs-vsctl list-ports br0 | wc -l)"
