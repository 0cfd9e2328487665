#!/bin/bash
# Boot the lab VM (Debian kernel under QEMU TCG, host root over 9p with a tmpfs
# overlay) and run one scenario script inside it.
#
# Usage: integration/run-vm.sh [--shell] [SCENARIO [ARGS...]]
#
#   SCENARIO  host path of a bash script, run as "bash SCENARIO ARGS..." as root
#             in the guest with the environment described below.
#   --shell   interactive: serial console on this terminal (Ctrl-A x quits
#             QEMU); runs SCENARIO first if given, then a bash shell. No time
#             limit unless VM_TIMEOUT is set.
#
# Environment (host):
#   VM_TIMEOUT  seconds before QEMU is killed (default 300)
#   VM_MEM      guest memory in MB (default 2048)
#   VM_SMP      guest CPUs (default: the scenario's lab-smp header, else 1,
#               which is faster than 2 under TCG on a loaded host)
#   VM_OUT      output directory (default <top>/.lab/out/<scenario name>);
#               emptied first, then holds console.log, rc and scenario files
#   LAB_KERNEL  kernel series to boot: 6.1 (Debian 12) or 6.12 (Debian 13);
#               default: the first of LAB_KERNELS ("6.1 6.12"), i.e. 6.1
#   KVER        use this cached kernel (a package version) instead
#   VM_MACHINE  QEMU machine type (default: the scenario's lab-machine
#               header, else QEMU's default "pc")
#   VM_QEMU_ARGS  extra QEMU arguments, appended after the scenario's
#   VM_KERNEL_ARGS  extra guest kernel command-line words, likewise
#   LAB_*       every LAB_* variable is passed into the guest
#
# Scenario headers (comment lines anywhere in SCENARIO; several
# lab-qemu-args or lab-kernel-args lines add up, for lab-machine the last
# one counts):
#   # lab-machine: q35
#       QEMU machine type (-machine q35).  Letters, digits, '.', '-', '_'.
#   # lab-qemu-args: -device pcie-root-port,id=rp1,bus=pcie.0,chassis=1 ...
#       extra QEMU arguments, split on blanks (no quoting, no expansion;
#       no argument may contain a quote, '$', '`', '\' or ';').
#   # lab-kernel-args: intel_iommu=on
#       extra words for the guest kernel command line (same rules).
#   # lab-smp: 2            (guest CPUs; VM_SMP wins)
#   # lab-timeout: SECONDS  (read by run-lab.sh)
# The guest sees them as LAB_MACHINE, LAB_QEMU_ARGS and LAB_KERNEL_ARGS.
#
# Guest environment: LAB_TOP (project top dir), LAB_OUT (the output dir, same
# path as on the host, writable), LAB_SCENARIO, LAB_KREL (uname -r), LAB_KVER
# (Debian package version), LAB_KSERIES (6.1, 6.12), LAB_KSUITE (bookworm,
# trixie), LAB_KEXTRA_MODULES (out-of-tree modules built for it),
# LAB_KEXTRA_NOTES, LAB_MODULES_DIR, LAB_INTEGRATION (this directory), PATH
# with $LAB_TOP/src first.
#
# Exit status: the scenario's exit status (77: it skipped itself, see
# lab_skip in lib.sh); 124 if the VM timed out, 125 if the
# VM produced no result (boot failure, crash), 126 on a harness error (QEMU,
# 9p or the kernel cache missing).
set -uo pipefail
LAB_PROG=run-vm
. "$(dirname "$0")/lab-common.sh"
LAB_DIE_RC=126

shell=0
if [ "${1:-}" = --shell ]; then
    shell=1
    shift
fi
case ${1:-} in
    -h|--help) sed -n '2,51p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
esac
scenario=${1:-}
[ $# -gt 0 ] && shift
if [ -z "$scenario" ] && [ $shell = 0 ]; then
    lab_die "usage: run-vm.sh [--shell] SCENARIO [ARGS...]"
fi
if [ -n "$scenario" ]; then
    [ -f "$scenario" ] || lab_die "scenario not found: $scenario"
    scenario=$(cd "$(dirname "$scenario")" && pwd -P)/$(basename "$scenario")
fi
name=$(basename "${scenario:-shell}" .sh)

# --- preconditions -----------------------------------------------------------
QEMU=${QEMU:-qemu-system-x86_64}
command -v "$QEMU" >/dev/null 2>&1 \
    || lab_die "$QEMU not found in PATH (install qemu-system-x86, or run integration/lab-setup.sh as root)"
command -v timeout >/dev/null 2>&1 || lab_die "timeout(1) not found (coreutils)"
# The whole list first: with pipefail, "qemu | grep -q" fails whenever grep
# exits before qemu has written everything (SIGPIPE).
qemu_devices=$("$QEMU" -device help 2>/dev/null || true)
case $qemu_devices in
    *'"virtio-9p-pci"'*) ;;
    *) lab_die "$QEMU has no virtio-9p-pci device (9p/virtfs support is required)" ;;
esac
envf=$(lab_kernel_env_file)
if [ ! -f "$envf" ]; then
    if [ -n "${KVER:-}" ]; then
        lab_die "kernel cache missing: no kernel $KVER in $LAB_DIR/k; run KVER=$KVER integration/lab-setup.sh first"
    fi
    lab_die "kernel cache missing: no lab kernel ${LAB_KERNEL:-${LAB_KERNELS%% *}} in $LAB_DIR; run LAB_KERNELS=${LAB_KERNEL:-${LAB_KERNELS%% *}} integration/lab-setup.sh first"
fi
# shellcheck source=/dev/null
. "$envf"
for f in "$VMLINUZ" "$INITRD" "$MODULES_DIR/$KREL/modules.dep"; do
    [ -f "$f" ] || lab_die "kernel cache incomplete ($f missing); run integration/lab-setup.sh"
done
if [ "$(cat "$KDIR/initrd.key" 2>/dev/null)" != "$(lab_initrd_key)" ]; then
    lab_log "guest-init.sh changed: rebuilding the initramfs"
    "$LAB_SCRIPTS/lab-setup.sh" --initrd-only || lab_die "initramfs rebuild failed"
fi

VM_MEM=${VM_MEM:-2048}
if [ $shell = 1 ]; then
    VM_TIMEOUT=${VM_TIMEOUT:-0}
else
    VM_TIMEOUT=${VM_TIMEOUT:-300}
fi
out=${VM_OUT:-$LAB_DIR/out/$name}
mkdir -p "$out" || lab_die "cannot create $out"
out=$(cd "$out" && pwd -P)
case $out in
    *[[:space:]]*|*,*) lab_die "output directory path must not contain spaces or commas: $out" ;;
esac
case "$LAB_TOP$scenario" in
    *[[:space:]]*) lab_die "paths with spaces are not supported: $LAB_TOP $scenario" ;;
esac
# Start from an empty output directory; only ever empty one that is empty or
# was created by this script (marker file .lab-out).
lab_out_root=$(mkdir -p "$LAB_DIR/out" && cd "$LAB_DIR/out" && pwd -P)
if [ -n "$(ls -A "$out")" ] && [ ! -f "$out/.lab-out" ] && [[ $out != "$lab_out_root"/* ]]; then
    lab_die "output directory $out is not empty and is not a lab output directory (no .lab-out); choose another VM_OUT"
fi
find "$out" -mindepth 1 -delete 2>/dev/null
touch "$out/.lab-out"
mkdir -p "$out/.vm"

# --- guest environment and stage 2 --------------------------------------------
{
    echo "# Generated by run-vm.sh; sourced in the guest."
    printf 'export LAB_TOP=%q\n' "$LAB_TOP"
    printf 'export LAB_INTEGRATION=%q\n' "$LAB_SCRIPTS"
    printf 'export LAB_OUT=%q\n' "$out"
    printf 'export LAB_SCENARIO=%q\n' "$scenario"
    printf 'export LAB_NAME=%q\n' "$name"
    printf 'export LAB_KREL=%q\n' "$KREL"
    printf 'export LAB_MODULES_DIR=%q\n' "$MODULES_DIR"
    # The kernel, as lab-setup.sh recorded it (package version and series).
    printf 'export LAB_KVER=%q LAB_KSERIES=%q LAB_KSUITE=%q\n' "$KVER" "${KSERIES:-}" "${KSUITE:-}"
    printf 'export LAB_KEXTRA_MODULES=%q LAB_KEXTRA_NOTES=%q\n' "${KEXTRA_MODULES:-netdevsim}" "${KEXTRA_NOTES:-}"
    printf 'export PATH=%q\n' "$LAB_TOP/src:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
    echo 'export HOME=/root TERM=${TERM:-linux} LC_ALL=C'
    # Pass LAB_* from the host (except the ones set above).
    while IFS='=' read -r k _; do
        case $k in
            LAB_TOP|LAB_INTEGRATION|LAB_OUT|LAB_SCENARIO|LAB_NAME|LAB_KREL|LAB_MODULES_DIR|LAB_KVER|LAB_KSERIES|LAB_KSUITE|LAB_KEXTRA_MODULES|LAB_KEXTRA_NOTES|LAB_MACHINE|LAB_QEMU_ARGS|LAB_KERNEL_ARGS|LAB_DIR|LAB_SCRIPTS|LAB_PROG|LAB_DIE_RC) ;;
            LAB_*) printf 'export %s=%q\n' "$k" "${!k}" ;;
        esac
    done < <(env | grep -E '^LAB_[A-Za-z0-9_]*=')
    # Modules of the guest kernel, so modprobe works.
    printf 'mountpoint -q /lib/modules || { mkdir -p /lib/modules && mount --bind %q /lib/modules; }\n' "$MODULES_DIR"
    echo 'cd "$LAB_TOP"'
} > "$out/.vm/env.sh"
{
    echo "# Generated by run-vm.sh; run by the guest init with bash."
    printf '. %q\n' "$out/.vm/env.sh"
    if [ -n "$scenario" ]; then
        printf 'echo "lab: running %s"\n' "$name"
        printf 'exec bash %q' "$scenario"
        for a in "$@"; do printf ' %q' "$a"; done
        echo
    fi
} > "$out/.vm/stage2.sh"

# --- per-scenario VM hardware (headers) -----------------------------------------
# lab_header NAME: the values of every "# NAME: VALUE" line of the scenario,
# one per line.
lab_header() {
    [ -n "$scenario" ] || return 0
    sed -n "s/^# $1:[[:space:]]*\(.*[^[:space:]]\)[[:space:]]*\$/\1/p" "$scenario"
}
# check_words WHAT WORDS...: reject characters that would suggest shell
# quoting or expansion, which these headers do not do.
check_words() {
    local what=$1 w; shift
    for w in "$@"; do
        case $w in
            *[\'\"\$\`\\\;]*) lab_die "$name: $what: unsupported character in '$w' (arguments are split on blanks, without quoting or expansion)" ;;
        esac
    done
}
machine=${VM_MACHINE:-$(lab_header lab-machine | tail -n 1)}
case $machine in
    '') ;;
    *[!A-Za-z0-9._-]*) lab_die "$name: bad machine type '$machine' (lab-machine header or VM_MACHINE)" ;;
esac
VM_SMP=${VM_SMP:-$(lab_header lab-smp | tail -n 1)}
VM_SMP=${VM_SMP:-1}
case $VM_SMP in
    [1-8]) ;;
    *) lab_die "$name: bad CPU count '$VM_SMP' (lab-smp header or VM_SMP: 1 to 8)" ;;
esac
read -r -a extra_qemu <<< "$(lab_header lab-qemu-args | tr '\n' ' ') ${VM_QEMU_ARGS:-}"
read -r -a extra_kernel <<< "$(lab_header lab-kernel-args | tr '\n' ' ') ${VM_KERNEL_ARGS:-}"
check_words lab-qemu-args "${extra_qemu[@]+"${extra_qemu[@]}"}"
check_words lab-kernel-args "${extra_kernel[@]+"${extra_kernel[@]}"}"
for w in "${extra_kernel[@]+"${extra_kernel[@]}"}"; do
    case $w in
        labout=*|labshell=*|labcache=*|console=*) lab_die "$name: lab-kernel-args must not set $w (run-vm.sh owns it)" ;;
    esac
done
{
    printf 'export LAB_MACHINE=%q\n' "${machine:-pc}"
    printf 'export LAB_QEMU_ARGS=%q\n' "${extra_qemu[*]-}"
    printf 'export LAB_KERNEL_ARGS=%q\n' "${extra_kernel[*]-}"
} >> "$out/.vm/env.sh"

# --- QEMU ------------------------------------------------------------------
# no_timer_check: under TCG on a loaded host the kernel's IO-APIC timer
# check can miss its ticks and panic ("IO-APIC + timer doesn't work"); the
# check guards against broken chipsets, which QEMU's is not.
append="console=ttyS0 quiet loglevel=4 panic=-1 mitigations=off nokaslr"
append+=" no_timer_check"
append+=" labout=$out labshell=$shell labcache=${VM_9P_CACHE:-loose}"
[ ${#extra_kernel[@]} -gt 0 ] && append+=" ${extra_kernel[*]}"
qemu_args=(
    -accel tcg -cpu max -smp "$VM_SMP" -m "$VM_MEM"
    -nodefaults -no-user-config -display none -no-reboot -nic none
    -kernel "$VMLINUZ" -initrd "$INITRD" -append "$append"
    -fsdev "local,id=hostroot,path=/,security_model=none,readonly=on,multidevs=remap"
    -device "virtio-9p-pci,fsdev=hostroot,mount_tag=hostroot"
    -fsdev "local,id=labout,path=$out,security_model=none,multidevs=remap"
    -device "virtio-9p-pci,fsdev=labout,mount_tag=labout"
)
[ -n "$machine" ] && qemu_args=(-machine "$machine" "${qemu_args[@]}")
qemu_args+=("${extra_qemu[@]+"${extra_qemu[@]}"}")
if [ -n "$machine${extra_qemu[*]-}${extra_kernel[*]-}" ] && [ $shell = 0 ]; then
    lab_log "$name: machine ${machine:-pc}${extra_qemu[*]:+, extra QEMU arguments: ${extra_qemu[*]}}${extra_kernel[*]:+, kernel: ${extra_kernel[*]}}"
fi
if [ $shell = 1 ]; then
    # shellcheck disable=SC2054
    qemu_args+=(-chardev "stdio,id=con,mux=on,signal=off,logfile=$out/console.log"
                -serial chardev:con -mon chardev=con,mode=readline)
    echo "run-vm: interactive VM; Ctrl-A x quits QEMU, 'exit' in the guest powers off" >&2
else
    qemu_args+=(-serial "file:$out/console.log" -monitor none)
fi

[ $shell = 0 ] && lab_log "$name: kernel ${KSERIES:-?} = linux-image-$KREL $KVER"
t0=$(lab_now_ms)
if [ "$VM_TIMEOUT" -gt 0 ] 2>/dev/null; then
    if [ $shell = 1 ]; then
        timeout -k 10 --foreground "$VM_TIMEOUT" "$QEMU" "${qemu_args[@]}"
    else
        timeout -k 10 "$VM_TIMEOUT" "$QEMU" "${qemu_args[@]}" </dev/null >"$out/qemu.log" 2>&1
    fi
    qrc=$?
else
    "$QEMU" "${qemu_args[@]}"
    qrc=$?
fi
secs=$(lab_elapsed "$t0")

show_tail() {
    echo "---- last lines of $out/console.log ----" >&2
    tail -n "${LAB_TAIL:-40}" "$out/console.log" >&2 2>/dev/null
    if [ -s "$out/qemu.log" ]; then
        echo "---- $out/qemu.log ----" >&2
        tail -n 10 "$out/qemu.log" >&2
    fi
    echo "----" >&2
}

if [ -f "$out/rc" ]; then
    rc=$(cat "$out/rc")
    case $rc in ''|*[!0-9]*) rc=125 ;; esac
    if [ "$rc" = 77 ] && [ $shell = 0 ]; then
        lab_log "$name: skipped: $(head -n1 "$out/skipped" 2>/dev/null) (${secs} s)"
    elif [ "$rc" != 0 ] && [ $shell = 0 ]; then
        show_tail
        lab_log "$name: scenario failed with status $rc (${secs} s; console: $out/console.log)"
    fi
    exit "$rc"
fi
if [ $shell = 1 ] && [ -z "$scenario" ]; then
    exit 0
fi
if [ $qrc = 124 ] || [ $qrc = 137 ]; then
    show_tail
    lab_log "$name: TIMEOUT: the VM was killed after VM_TIMEOUT=${VM_TIMEOUT} s (console: $out/console.log)"
    exit 124
fi
show_tail
lab_log "$name: the VM exited (QEMU status $qrc) without a result after ${secs} s: boot failure or guest crash (console: $out/console.log)"
exit 125
