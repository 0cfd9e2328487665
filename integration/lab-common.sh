# shellcheck shell=bash
# Host-side helpers shared by lab-setup.sh, run-vm.sh and run-lab.sh.
# Sourced, not executed.

# Directory of the integration/ scripts and the project top directory
# (the parent of integration/), computed from this file's location so the
# lab works wherever the repository is cloned.
LAB_SCRIPTS=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
LAB_TOP=$(cd "$LAB_SCRIPTS/.." && pwd -P)

# Cache directory (downloads, extracted kernels, netdevsim, initramfs,
# per-run output).  Overridable for CI caches.
LAB_DIR=${LAB_DIR:-$LAB_TOP/.lab}

lab_log() { printf '%s: %s\n' "${LAB_PROG:-lab}" "$*" >&2; }
lab_die() { printf '%s: error: %s\n' "${LAB_PROG:-lab}" "$*" >&2; exit "${LAB_DIE_RC:-1}"; }

# lab_now_ms: wall clock in milliseconds.
lab_now_ms() { date +%s%3N; }

# lab_elapsed START_MS: seconds (one decimal) since START_MS.
lab_elapsed() {
    local d=$(( $(lab_now_ms) - $1 ))
    printf '%d.%d' $((d / 1000)) $(((d % 1000) / 100))
}

# Lab kernels.  A kernel is named by its series ("6.1", "6.12"); each series
# comes from one Debian suite.  LAB_KERNELS lists the series that lab-setup.sh
# prepares and run-lab.sh runs every scenario on, in order.
LAB_KERNELS=${LAB_KERNELS:-6.1 6.12}

# lab_series_suite SERIES: the Debian suite the series comes from.
lab_series_suite() {
    case $1 in
        6.1) echo bookworm ;;
        6.12) echo trixie ;;
        *) return 1 ;;
    esac
}

# lab_series_distro SERIES: "Debian 12" etc., for messages.
lab_series_distro() {
    case $1 in
        6.1) echo "Debian 12" ;;
        6.12) echo "Debian 13" ;;
        *) echo "Debian" ;;
    esac
}

# lab_series_of VERSION-OR-ABI: 6.1.192-3 -> 6.1, 6.12.118+deb13 -> 6.12.
lab_series_of() {
    printf '%s\n' "$1" | cut -d. -f1,2
}

# lab_check_kernels: every word of LAB_KERNELS must be a known series.
lab_check_kernels() {
    local k n=0
    for k in $LAB_KERNELS; do
        lab_series_suite "$k" >/dev/null \
            || lab_die "LAB_KERNELS: unknown kernel series '$k' (known: 6.1 = Debian 12, 6.12 = Debian 13)"
        n=$((n + 1))
    done
    [ $n -gt 0 ] || lab_die "LAB_KERNELS is empty"
}

# lab_kernel_env_file [KVER]: path of the kernel.env describing a built kernel
# cache entry.  Without KVER (and without $KVER in the environment) the entry
# that the last successful lab-setup.sh run prepared for series $LAB_KERNEL
# (default: the first of $LAB_KERNELS) is used (LAB_DIR/current-SERIES).
lab_kernel_env_file() {
    local v=${1:-${KVER:-}} series
    series=${LAB_KERNEL:-${LAB_KERNELS%% *}}
    if [ -n "$v" ]; then
        printf '%s\n' "$LAB_DIR/k/$v/kernel.env"
    elif [ -f "$LAB_DIR/current-$series" ]; then
        printf '%s\n' "$LAB_DIR/k/$(cat "$LAB_DIR/current-$series")/kernel.env"
    else
        printf '%s\n' "$LAB_DIR/k/NONE-$series/kernel.env"
    fi
}

# Hash of the files baked into the initramfs; the initramfs is rebuilt when it
# changes.
lab_initrd_key() {
    cat "$LAB_SCRIPTS/guest-init.sh" | sha256sum | cut -c1-16
}
