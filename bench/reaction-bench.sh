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

n=${1:-200}
. "$(dirname "$0")/lib.sh"
top=$bench_top dir=$bench_dir

bench_start_ovs
bench_start_offloadd 4
ovs-vsctl add-br br0 -- set Bridge br0 datapath_type=dummy \
    external_ids:offload-uplinks=p0 external_ids:offload-num-vfs=4
ovs-offloadctl --timeout=60 wait-until Bridge br0 state=converged

python3 "$top/bench/reaction.py" "$dir/db.sock" \
    "$dir/ovs-offloadd.$(cat ovs-offloadd.pid).ctl" br0 pci/0000:03:00.0 \
    "$n" p0r0 p0r1 p0r2 p0r3
ovs-offloadctl --timeout=60 wait-until Bridge br0 state=converged
echo "ports on br0: $(ovs-vsctl list-ports br0 | wc -l)"
