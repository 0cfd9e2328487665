#!/bin/sh
# Runs the whole ovs-offload test suite on a fresh Debian 12 machine (root):
# sets up and builds (build-aux/setup.sh), runs the host test suite
# (Autotest: unit tests and tests against real ovsdb-server/ovs-vswitchd in
# userspace), then the kernel lab scenarios (integration/run-lab.sh: real
# Debian kernels under QEMU, each scenario on Debian 12's 6.1 and Debian 13's
# 6.12).  Ends with one line: "N passed, N failed" (", N skipped" when a test
# or scenario was skipped, e.g. the vDPA self-test on 6.1).
# With CHECK_DEB=yes it builds, before the lab, the Debian packages that
# the pkg-* scenarios install (build-aux/deb.sh --upgrade-test); without
# them those scenarios report SKIP (the default: it adds two package
# builds and four VM runs).
# Environment: TESTSUITEFLAGS (extra Autotest flags), LAB_SCENARIOS,
# LAB_KERNELS (default "6.1 6.12"), CHECK_SANITIZE, CHECK_DEB.
#
# Usage: build-aux/check.sh [--host-only | --lab-only]
# The host suite runs twice: as built, and built with ASan/UBSan
# (build-aux/sanitize.sh; CHECK_SANITIZE=no skips that run).
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
    # A failed test keeps its directory: show the end of its log, so that
    # a CI run that only keeps this output still says why.
    for d in tests/testsuite.dir/[0-9]*; do
        [ -f "$d/testsuite.log" ] || continue
        echo "check: ---- $d/testsuite.log (last 80 lines) ----"
        tail -n 80 "$d/testsuite.log"
    done
    echo "check: host suite: $p passed, $f failed, $s skipped" \
         "in $(( $(date +%s) - start )) s"
    passed=$((passed + p)); failed=$((failed + f)); skipped=$((skipped + s))
fi

if [ $run_host = yes ] && [ "${CHECK_SANITIZE:-yes}" != no ]; then
    # The same host suite, built with ASan and UBSan in a copy of the tree;
    # any sanitizer report fails it.
    log=$top/tests/sanitize.out
    start=$(date +%s)
    build-aux/sanitize.sh > "$log" 2>&1
    rc=$?
    cat "$log"
    last=$(grep '^sanitize: host suite:' "$log" | tail -n 1)
    p=$(echo "$last" | sed -n 's/.*: \([0-9]*\) passed, .*/\1/p')
    f=$(echo "$last" | sed -n 's/.* passed, \([0-9]*\) failed.*/\1/p')
    n=$(echo "$last" | sed -n 's/.* \([0-9]*\) reports$/\1/p')
    sk=$(echo "$last" | sed -n 's/.* failed, \([0-9]*\) skipped.*/\1/p')
    if [ -z "$p" ] || [ -z "$f" ] || [ -z "$n" ]; then
        echo "check: the sanitizer build did not report its results (rc $rc)"
        p=0; f=1; n=0
    elif [ "$n" -gt 0 ] || { [ $rc -ne 0 ] && [ "$f" -eq 0 ]; }; then
        f=$((f + 1))
    fi
    echo "check: host suite with ASan/UBSan: $p passed, $f failed," \
         "$n sanitizer reports in $(( $(date +%s) - start )) s"
    passed=$((passed + p)); failed=$((failed + f))
    skipped=$((skipped + ${sk:-0}))
fi

if [ $run_lab = yes ] && [ "${CHECK_DEB:-no}" = yes ]; then
    # The Debian packages that the pkg-install and pkg-upgrade scenarios
    # install in the guest (.pkg/v1, .pkg/upgrade), built from HEAD in a
    # scratch copy with the Open vSwitch tree that set-up built (.ovs/) and
    # without the package build's own run of the host suite (it ran above).
    log=$top/tests/deb.out
    start=$(date +%s)
    DEB_OVS_TREE=$top/.ovs DEB_BUILD_OPTIONS="nocheck ${DEB_BUILD_OPTIONS:-}" \
        build-aux/deb.sh --upgrade-test > "$log" 2>&1
    rc=$?
    cat "$log"
    if [ $rc -eq 0 ]; then
        echo "check: Debian packages: 1 passed (built, lintian without" \
             "errors) in $(( $(date +%s) - start )) s"
        passed=$((passed + 1))
    else
        echo "check: Debian packages: build or lintian failed (rc $rc) in" \
             "$(( $(date +%s) - start )) s; the pkg-* scenarios will skip"
        failed=$((failed + 1))
    fi
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
        s=$(echo "$last" | sed -n 's/^[0-9]* passed, [0-9]* failed, \([0-9]*\) skipped$/\1/p')
        if [ -z "$p" ] || [ -z "$f" ]; then
            echo "check: the kernel lab did not report its results (rc $rc)"
            p=0; f=1
        elif [ $rc -ne 0 ] && [ "$f" -eq 0 ]; then
            f=1
        fi
        echo "check: kernel lab: $p passed, $f failed, ${s:-0} skipped" \
             "in $(( $(date +%s) - start )) s"
        passed=$((passed + p)); failed=$((failed + f)); skipped=$((skipped + ${s:-0}))
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
