#!/bin/bash
# Run lab scenarios, each in its own VM, and summarise.
#
# Usage: integration/run-lab.sh [SCENARIO...]
#
#   SCENARIO  a name (lab-bond), a file name (lab-bond.sh), a glob on names
#             ('lab-*', 'ctl-*') or a path to a script.  Default: $LAB_SCENARIOS
#             (space separated, same forms) or else every
#             integration/scenarios/*.sh, in sorted order.
#
# Every scenario runs once on each kernel of LAB_KERNELS (default "6.1 6.12":
# Debian 12's and Debian 13's; LAB_KERNELS=6.12 picks one), kernel by kernel.
#
# Output: per kernel, a line naming it ("kernel 6.1: linux-image-... VERSION
# (...; known good)", or "NEWER than the last known-good ..." when the package
# is newer than the one in integration/known-good-kernels), then one line per
# scenario, "PASS: name [6.1] (Ns)", "SKIP: name [6.1] (Ns): reason" (the
# scenario exited 77, see lab_skip) or "FAIL: name [6.1] (Ns)" (preceded by
# the tail of its log); at the end one summary line per kernel and as the
# last line "N passed, N failed" (", N skipped" when some were).  Exit status
# 0 iff no scenario failed.
#
# Environment: LAB_KERNELS; LAB_SKIP_SETUP=1 skips integration/lab-setup.sh;
# VM_TIMEOUT, VM_MEM, VM_SMP, LAB_DIR and LAB_* are passed on (see run-vm.sh).
# KVER pins a kernel in lab-setup.sh only.  A scenario may set its own time
# limit with a line "# lab-timeout: SECONDS" (VM_TIMEOUT in the environment
# wins).  Per-scenario output: $LAB_DIR/out/KERNEL/NAME/ (console.log, rc, ovs/
# logs, ...) and $LAB_DIR/out/KERNEL/NAME.log.
set -uo pipefail
LAB_PROG=run-lab
. "$(dirname "$0")/lab-common.sh"

t_all=$(lab_now_ms)
sdir=$LAB_SCRIPTS/scenarios

case ${1:-} in
    -h|--help) sed -n '2,28p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
esac

sel=("$@")
if [ ${#sel[@]} -eq 0 ] && [ -n "${LAB_SCENARIOS:-}" ]; then
    read -r -a sel <<< "$LAB_SCENARIOS"
fi

all=()
for f in "$sdir"/*.sh; do
    [ -f "$f" ] && all+=("$f")
done

scenarios=()
add_scenario() {
    local f=$1 x
    for x in "${scenarios[@]+"${scenarios[@]}"}"; do
        [ "$x" = "$f" ] && return 0
    done
    scenarios+=("$f")
}
if [ ${#sel[@]} -eq 0 ]; then
    scenarios=("${all[@]+"${all[@]}"}")
else
    for p in "${sel[@]}"; do
        if [ -f "$p" ] && [[ $p == */* ]]; then
            add_scenario "$(cd "$(dirname "$p")" && pwd -P)/$(basename "$p")"
            continue
        fi
        p=${p%.sh}
        found=0
        for f in "${all[@]+"${all[@]}"}"; do
            n=$(basename "$f" .sh)
            # shellcheck disable=SC2053
            if [[ $n == $p ]]; then
                add_scenario "$f"
                found=1
            fi
        done
        [ $found = 1 ] || { echo "run-lab: no scenario matches '$p' in $sdir" >&2; exit 2; }
    done
fi
if [ ${#scenarios[@]} -eq 0 ]; then
    echo "run-lab: no scenarios in $sdir" >&2
    echo "0 passed, 0 failed"
    exit 0
fi

mkdir -p "$LAB_DIR/out"
lab_check_kernels
known_good_file=$LAB_SCRIPTS/known-good-kernels

# known_good SERIES: the last known-good package version of SERIES.
known_good() {
    [ -f "$known_good_file" ] || return 0
    awk -v s="$1" '$1 == s { v = $2 } END { if (v != "") print v }' "$known_good_file"
}

# kernel_verdict SERIES VERSION: how VERSION compares with the known-good one.
kernel_verdict() {
    local good; good=$(known_good "$1")
    if [ -z "$good" ]; then
        echo "no known-good version of $1 in integration/known-good-kernels"
    elif [ "$2" = "$good" ]; then
        echo "known good"
    elif dpkg --compare-versions "$2" gt "$good" 2>/dev/null; then
        echo "NEWER than the last known-good $good (integration/known-good-kernels)"
    else
        echo "older than the last known-good $good"
    fi
}

passed=0 failed=0 skipped=0
summary=()
for k in $LAB_KERNELS; do
    kp=0 kf=0 ks=0
    t_k=$(lab_now_ms)
    if [ "${LAB_SKIP_SETUP:-0}" != 1 ]; then
        t0=$(lab_now_ms)
        if LAB_KERNELS=$k "$LAB_SCRIPTS/lab-setup.sh" >"$LAB_DIR/lab-setup-$k.log" 2>&1; then
            echo "lab-setup $k: ok ($(lab_elapsed "$t0")s; $(grep -o 'reused from cache:.*' "$LAB_DIR/lab-setup-$k.log" || echo 'built from scratch'))"
        else
            echo "lab-setup $k: FAILED ($(lab_elapsed "$t0")s); log: $LAB_DIR/lab-setup-$k.log"
            tail -n 20 "$LAB_DIR/lab-setup-$k.log" | sed 's/^/  | /'
            echo "FAIL: all ${#scenarios[@]} scenarios [$k] (no kernel)"
            failed=$((failed + ${#scenarios[@]}))
            summary+=("kernel $k: lab-setup failed, ${#scenarios[@]} scenarios not run")
            continue
        fi
    fi
    envf=$(LAB_KERNEL=$k KVER='' lab_kernel_env_file)
    if [ ! -f "$envf" ]; then
        echo "FAIL: all ${#scenarios[@]} scenarios [$k] (no kernel cache $envf; run LAB_KERNELS=$k integration/lab-setup.sh)"
        failed=$((failed + ${#scenarios[@]}))
        summary+=("kernel $k: not set up, ${#scenarios[@]} scenarios not run")
        continue
    fi
    kver=$(sed -n 's/^KVER=//p' "$envf") krel=$(sed -n 's/^KREL=//p' "$envf")
    verdict=$(kernel_verdict "$k" "$kver")
    echo "kernel $k: linux-image-$krel $kver ($(lab_series_distro "$k") $(lab_series_suite "$k"); $verdict)"
    mkdir -p "$LAB_DIR/out/$k"
    for f in "${scenarios[@]}"; do
        name=$(basename "$f" .sh)
        out=$LAB_DIR/out/$k/$name
        log=$out.log
        t0=$(lab_now_ms)
        tmo=${VM_TIMEOUT:-$(sed -n 's/^# lab-timeout: *\([0-9][0-9]*\).*/\1/p' "$f" | head -n1)}
        LAB_KERNEL=$k KVER='' VM_TIMEOUT=${tmo:-300} VM_OUT="$out" \
            "$LAB_SCRIPTS/run-vm.sh" "$f" >"$log" 2>&1
        rc=$?
        secs=$(( ($(lab_now_ms) - t0 + 500) / 1000 ))
        if [ $rc = 0 ]; then
            echo "PASS: $name [$k] (${secs}s)"
            kp=$((kp + 1))
        elif [ $rc = 77 ]; then
            echo "SKIP: $name [$k] (${secs}s): $(head -n1 "$out/skipped" 2>/dev/null || echo 'no reason given')"
            ks=$((ks + 1))
        else
            case $rc in
                124) why="timed out" ;;
                125) why="VM produced no result (boot failure or crash)" ;;
                126) why="harness error" ;;
                *) why="exit status $rc" ;;
            esac
            echo "  | $name [$k]: $why; console: $out/console.log"
            grep -v '^\s*$' "$log" | tr -d '\r' | tail -n "${LAB_TAIL:-30}" | sed 's/^/  | /'
            echo "FAIL: $name [$k] (${secs}s)"
            kf=$((kf + 1))
        fi
    done
    line="kernel $k (linux-image-$krel $kver): $kp passed, $kf failed"
    [ $ks -gt 0 ] && line+=", $ks skipped"
    line+=" in $(lab_elapsed "$t_k")s"
    case $verdict in
        NEWER*)
            if [ $kf -gt 0 ]; then
                line+="; this kernel is $verdict: suspect the kernel first (compare with KVER=$(known_good "$k"))"
            else
                line+="; $kver is newer than the known-good list: after a full green run, record it with: sed -i 's/^$k .*/$k $kver $(date +%F)/' integration/known-good-kernels"
            fi
            ;;
    esac
    summary+=("$line")
    passed=$((passed + kp)) failed=$((failed + kf)) skipped=$((skipped + ks))
done
for line in "${summary[@]+"${summary[@]}"}"; do
    echo "run-lab: $line"
done
echo "run-lab: total $(lab_elapsed "$t_all")s"
if [ $skipped -gt 0 ]; then
    echo "$passed passed, $failed failed, $skipped skipped"
else
    echo "$passed passed, $failed failed"
fi
[ $failed = 0 ]
