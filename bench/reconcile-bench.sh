#!/bin/sh
# Benchmark: 254 representors onto a bridge.
#
# Measures, in one run, on the same userspace OVS (ovs-vswitchd
# --enable-dummy=override) and fake hardware:
#   A. ovs-offloadd: from setting the intent (offload-num-vfs=254) to the
#      bridge's OVS_Offload state "converged" (VFs created, 254
#      representors up and added as ports, one OVSDB transaction);
#   B. 254 separate "ovs-vsctl add-port" calls, each waiting for
#      ovs-vswitchd, as a person or a naive script would do;
#   C. one "ovs-vsctl" call adding the 254 ports in one transaction.
# and prints the times and the ratios A/B and A/C.
#
# Usage: bench/reconcile-bench.sh [N]   (N representors, default 254)
set -eu

n=${1:-254}
. "$(dirname "$0")/lib.sh"
top=$bench_top dir=$bench_dir

now_ms () {
    bench_now_ms
}

bench_start_ovs
bench_start_offloadd "$n"

# A: the controller.
ovs-vsctl add-br br0 -- set Bridge br0 datapath_type=dummy \
    external_ids:offload-uplinks=p0
ovs-offloadctl --timeout=60 wait-until Bridge br0 state=converged
start=$(now_ms)
ovs-vsctl set Bridge br0 external_ids:offload-num-vfs=$n
ovs-offloadctl --timeout=300 wait-until Bridge br0 state=converged
# Converged means every port is in the database; wait for ovs-vswitchd to
# have them too, as the baselines do.
ovs-vsctl --timeout=300 wait-until Interface p0r$((n - 1)) 'ofport>0'
a=$(( $(now_ms) - start ))
got=$(ovs-vsctl list-ports br0 | grep -c '^p0r')

# B: one ovs-vsctl call per port.
ovs-vsctl add-br br1 -- set Bridge br1 datapath_type=dummy
start=$(now_ms)
i=0
while [ $i -lt "$n" ]; do
    ovs-vsctl add-port br1 b$i -- set Interface b$i type=dummy
    i=$((i + 1))
done
b=$(( $(now_ms) - start ))

# C: one batched call.
ovs-vsctl add-br br2 -- set Bridge br2 datapath_type=dummy
args=
i=0
while [ $i -lt "$n" ]; do
    args="$args -- add-port br2 c$i -- set Interface c$i type=dummy"
    i=$((i + 1))
done
start=$(now_ms)
# shellcheck disable=SC2086
ovs-vsctl $args
c=$(( $(now_ms) - start ))

echo "representors wanted: $n, ports added by ovs-offloadd: $got"
echo "A ovs-offloadd, intent to converged:      $a ms"
echo "B $n x ovs-vsctl add-port:               $b ms"
echo "C 1 x ovs-vsctl with $n add-ports:        $c ms"
awk -v a="$a" -v b="$b" -v c="$c" 'BEGIN {
    printf "ratio A/B: %.3f (ovs-offloadd takes %.1f%% of the per-port time)\n",
           a / b, 100 * a / b
    printf "ratio A/C: %.3f\n", a / c
}'
[ "$got" -eq "$n" ]
