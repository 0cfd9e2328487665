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

# lab_kernel_env_file [KVER]: path of the kernel.env describing a built kernel
# cache entry.  Without KVER (and without $KVER in the environment) the entry
# selected by the last successful lab-setup.sh run (LAB_DIR/current) is used.
lab_kernel_env_file() {
    local v=${1:-${KVER:-}}
    if [ -n "$v" ]; then
        printf '%s\n' "$LAB_DIR/k/$v/kernel.env"
    elif [ -f "$LAB_DIR/current" ]; then
        printf '%s\n' "$LAB_DIR/k/$(cat "$LAB_DIR/current")/kernel.env"
    else
        printf '%s\n' "$LAB_DIR/k/NONE/kernel.env"
    fi
}

# Hash of the files baked into the initramfs; the initramfs is rebuilt when it
# changes.
lab_initrd_key() {
    cat "$LAB_SCRIPTS/guest-init.sh" | sha256sum | cut -c1-16
}
