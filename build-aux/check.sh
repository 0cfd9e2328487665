#!/bin/sh
# Runs the whole ovs-offload test suite on a fresh Debian 12 machine (root):
# sets up and builds (build-aux/setup.sh), runs the host test suite
# (Autotest: unit tests and tests against real ovsdb-server/ovs-vswitchd in
# userspace), then the kernel lab scenarios (integration/run-lab.sh: a real
# Debian kernel under QEMU).  Ends with one line: "N passed, N failed".
#
# Usage: build-aux/check.sh [--host-only | --lab-only]
# Environment: TESTSUITEFLAGS (extra Autotest flags), LAB_SCENARIOS.
set -u

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"

run_host=yes
run_lab=yes
case "${1:-}" in
    --host-only) run_lab=no ;;
    --lab-only) run_host=no ;;
    "") ;;
    *) echo "usage: $0 [--host-only | --lab-only]" >&2; exit 2 ;;
esac

passed=0
failed=0
skipped=0

if ! build-aux/setup.sh; then
    echo "check: set-up or build failed"
    echo "0 passed, 1 failed"
    exit 1
fi

if [ $run_host = yes ]; then
    log=$top/tests/check.out
    start=$(date +%s)
    make -s check TESTSUITEFLAGS="-j$(nproc 2>/dev/null || echo 2) \
        ${TESTSUITEFLAGS:-}" > "$log" 2>&1
    cat "$log"
    # Autotest prints one line per test: "  N: name   ok|FAILED (...)|
    # skipped (...)|expected failure".
    p=$(grep -Ec '^ *[0-9]+: .* (ok|expected failure)$' "$log")
    f=$(grep -Ec '^ *[0-9]+: .* (FAILED \(.*\)|UNEXPECTED PASS)$' "$log")
    s=$(grep -Ec '^ *[0-9]+: .* skipped \(.*\)$' "$log")
    if [ "$p" -eq 0 ] && [ "$f" -eq 0 ]; then
        echo "check: the host test suite ran no test"
        f=1
    fi
    echo "check: host suite: $p passed, $f failed, $s skipped" \
         "in $(( $(date +%s) - start )) s"
    passed=$((passed + p)); failed=$((failed + f)); skipped=$((skipped + s))
fi

if [ $run_lab = yes ]; then
    if [ -x integration/run-lab.sh ]; then
        log=$top/tests/lab.out
        start=$(date +%s)
        integration/run-lab.sh > "$log" 2>&1
        rc=$?
        cat "$log"
        last=$(tail -n 1 "$log")
        p=$(echo "$last" | sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed.*/\1/p')
        f=$(echo "$last" | sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed.*/\2/p')
        s=$(echo "$last" | sed -n 's/^.* failed, \([0-9]*\) skipped$/\1/p')
        if [ -z "$p" ] || [ -z "$f" ]; then
            echo "check: the kernel lab did not report its results (rc $rc)"
            p=0; f=1
        elif [ $rc -ne 0 ] && [ "$f" -eq 0 ]; then
            f=1
        fi
        echo "check: kernel lab: $p passed, $f failed, ${s:-0} skipped" \
             "in $(( $(date +%s) - start )) s"
        passed=$((passed + p)); failed=$((failed + f))
        skipped=$((skipped + ${s:-0}))
    else
        echo "check: no kernel lab (integration/run-lab.sh) to run"
        failed=$((failed + 1))
    fi
fi

if [ $skipped -gt 0 ]; then
    echo "$passed passed, $failed failed, $skipped skipped"
else
    echo "$passed passed, $failed failed"
fi
[ $failed -eq 0 ]
