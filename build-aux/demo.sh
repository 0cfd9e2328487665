#!/bin/sh
# The main job: builds everything (build-aux/setup.sh), prepares the kernel
# lab (integration/lab-setup.sh, cached in .lab/), then boots the lab VM on
# integration/demo.sh: ovs-offloadd converges a demo topology on a netdevsim
# NIC, traffic crosses the bridge, and ovs-offloadctl prints the
# verification report.  Run as root on Debian 12.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"

build-aux/setup.sh
integration/lab-setup.sh
out=$top/.lab/out/demo
mkdir -p "$out"
rc=0
VM_OUT=$out integration/run-vm.sh integration/demo.sh > "$out.log" 2>&1 || rc=$?
# The scenario's own output, without the kernel's boot messages.
grep -v '^\[ *[0-9.]*\]' "$out/console.log" | sed -n '/^lab: running/,$p'
echo
if [ "$rc" = 0 ]; then
    echo "demo: done (logs in $out)"
else
    echo "demo: FAILED with status $rc (logs in $out, $out.log)"
fi
exit "$rc"
