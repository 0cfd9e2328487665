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
# Output: one line per scenario, "PASS: name (Ns)" or "FAIL: name (Ns)" (a
# failure is preceded by the tail of its log), and as the last line
# "N passed, N failed" (", N skipped" when a scenario exited 77: lab_skip).
# Exit status 0 iff no scenario failed.
#
# Environment: LAB_SKIP_SETUP=1 skips integration/lab-setup.sh; VM_TIMEOUT,
# VM_MEM, VM_SMP, KVER, LAB_DIR and LAB_* are passed on (see run-vm.sh).  A
# scenario may set its own time limit with a line "# lab-timeout: SECONDS"
# (VM_TIMEOUT in the environment wins).  Per-scenario output:
# $LAB_DIR/out/NAME/ (console.log, rc, ovs/ logs, ...) and $LAB_DIR/out/NAME.log.
set -uo pipefail
LAB_PROG=run-lab
. "$(dirname "$0")/lab-common.sh"

t_all=$(lab_now_ms)
sdir=$LAB_SCRIPTS/scenarios

case ${1:-} in
    -h|--help) sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
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
if [ "${LAB_SKIP_SETUP:-0}" != 1 ]; then
    t0=$(lab_now_ms)
    if "$LAB_SCRIPTS/lab-setup.sh" >"$LAB_DIR/lab-setup.log" 2>&1; then
        echo "lab-setup: ok ($(lab_elapsed "$t0")s; $(grep -o 'reused from cache:.*' "$LAB_DIR/lab-setup.log" || echo 'built from scratch'))"
    else
        echo "lab-setup: FAILED ($(lab_elapsed "$t0")s); log: $LAB_DIR/lab-setup.log"
        tail -n 20 "$LAB_DIR/lab-setup.log" | sed 's/^/  | /'
        echo "0 passed, ${#scenarios[@]} failed"
        exit 1
    fi
fi

passed=0 failed=0 skipped=0
for f in "${scenarios[@]}"; do
    name=$(basename "$f" .sh)
    log=$LAB_DIR/out/$name.log
    t0=$(lab_now_ms)
    tmo=${VM_TIMEOUT:-$(sed -n 's/^# lab-timeout: *\([0-9][0-9]*\).*/\1/p' "$f" | head -n1)}
    VM_TIMEOUT=${tmo:-300} VM_OUT="$LAB_DIR/out/$name" \
        "$LAB_SCRIPTS/run-vm.sh" "$f" >"$log" 2>&1
    rc=$?
    secs=$(( ($(lab_now_ms) - t0 + 500) / 1000 ))
    if [ $rc = 0 ]; then
        echo "PASS: $name (${secs}s)"
        passed=$((passed + 1))
    elif [ $rc = 77 ]; then
        echo "SKIP: $name (${secs}s): $(sed -n 's/^LAB SKIP: //p' "$log" | tr -d '\r' | tail -n 1)"
        skipped=$((skipped + 1))
    else
        case $rc in
            124) why="timed out" ;;
            125) why="VM produced no result (boot failure or crash)" ;;
            126) why="harness error" ;;
            *) why="exit status $rc" ;;
        esac
        echo "  | $name: $why; console: $LAB_DIR/out/$name/console.log"
        grep -v '^\s*$' "$log" | tr -d '\r' | tail -n "${LAB_TAIL:-30}" | sed 's/^/  | /'
        echo "FAIL: $name (${secs}s)"
        failed=$((failed + 1))
    fi
done
echo "run-lab: total $(lab_elapsed "$t_all")s"
if [ $skipped -gt 0 ]; then
    echo "$passed passed, $failed failed, $skipped skipped"
else
    echo "$passed passed, $failed failed"
fi
[ $failed = 0 ]
