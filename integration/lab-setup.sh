#!/bin/bash
# Prepare the kernel lab: a Debian 12 kernel with an out-of-tree netdevsim and a
# tiny busybox initramfs, cached under $LAB_DIR (default: <top>/.lab).
#
# Usage: integration/lab-setup.sh [--initrd-only]
#
# Environment:
#   KVER   Debian package version of the kernel (default: the version the
#          candidate of linux-headers-amd64 depends on), e.g. 6.1.192-2
#   KABI   kernel ABI, e.g. 6.1.0-56 (default: derived from KVER)
#   LAB_DIR  cache directory (default: <top>/.lab)
#
# Nothing is installed on the host except missing build/run tools; the kernel
# packages are fetched with "apt-get download" and unpacked with "dpkg-deb -x".
set -euo pipefail
LAB_PROG=lab-setup
. "$(dirname "$0")/lab-common.sh"
export DEBIAN_FRONTEND=noninteractive LC_ALL=C

t_start=$(lab_now_ms)
initrd_only=0
case ${1:-} in
    --initrd-only) initrd_only=1 ;;
    -h|--help) sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    '') ;;
    *) lab_die "unknown argument: $1" ;;
esac

# ---------------------------------------------------------------------------
# Host tools.  Install only what is missing (needs root and apt).
ensure_host_tools() {
    local missing=() p
    need_cmd() { command -v "$1" >/dev/null 2>&1 || missing+=("$2"); }
    need_pkg() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'ok installed' || missing+=("$1"); }
    need_cmd qemu-system-x86_64 qemu-system-x86
    need_pkg busybox-static
    need_cmd cpio cpio
    need_cmd depmod kmod
    need_cmd ovs-vswitchd openvswitch-switch
    need_cmd tc iproute2
    need_cmd ethtool ethtool
    need_cmd xz xz-utils
    need_cmd gcc-12 gcc-12
    need_cmd make make
    need_cmd strip binutils
    need_pkg libelf1
    need_pkg libssl3
    [ ${#missing[@]} -eq 0 ] && return 0
    # Deduplicate.
    mapfile -t missing < <(printf '%s\n' "${missing[@]}" | sort -u)
    lab_log "installing missing host packages: ${missing[*]}"
    [ "$(id -u)" = 0 ] || lab_die "missing packages (${missing[*]}); run as root or install them"
    apt-get update -qq || lab_die "apt-get update failed"
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
        || lab_die "apt-get install ${missing[*]} failed"
}

# ---------------------------------------------------------------------------
# Version selection.
apt_updated=0
apt_update() {
    [ $apt_updated = 1 ] && return 0
    lab_log "apt-get update"
    apt-get update -qq || lab_die "apt-get update failed (is a Debian mirror reachable?)"
    apt_updated=1
}

# Version of linux-headers-amd64's candidate.
candidate_meta() {
    apt-cache policy linux-headers-amd64 2>/dev/null | awk '/Candidate:/ { print $2 }'
}

# ABI (e.g. 6.1.0-56) that linux-headers-amd64=VERSION depends on.
abi_of_meta() {
    apt-cache show "linux-headers-amd64=$1" 2>/dev/null \
        | sed -n 's/^Depends:.*linux-headers-\([0-9][^ ,]*\)-amd64.*/\1/p' | head -n1
}

# Candidate version of linux-headers-ABI-amd64.
version_of_abi() {
    apt-cache policy "linux-headers-$1-amd64" 2>/dev/null | awk '/Candidate:/ { print $2 }'
}

resolve_version() {
    if [ -n "${KVER:-}" ] && [ -f "$LAB_DIR/k/$KVER/kernel.env" ] && [ -z "${KABI:-}" ]; then
        return 0        # fully cached; no apt metadata needed
    fi
    local try
    for try in 1 2; do
        if [ -z "${KVER:-}" ] && [ -z "${KABI:-}" ]; then
            local meta; meta=$(candidate_meta)
            if [ -n "$meta" ] && [ "$meta" != "(none)" ]; then
                KABI=$(abi_of_meta "$meta")
                [ -n "$KABI" ] && KVER=$(version_of_abi "$KABI")
            fi
        elif [ -z "${KVER:-}" ]; then
            KVER=$(version_of_abi "$KABI")
            [ "$KVER" = "(none)" ] && KVER=
        elif [ -z "${KABI:-}" ]; then
            KABI=$(abi_of_meta "$KVER")
        fi
        if [ -n "${KVER:-}" ] && [ -n "${KABI:-}" ]; then
            break
        fi
        [ $try = 1 ] || break
        # Empty or stale package lists: refresh once, unless we are offline
        # and a cached kernel can be used.
        if ! apt_update_quiet; then
            if [ -f "$LAB_DIR/current" ] && [ -z "${KVER:-}${KABI:-}" ]; then
                KVER=$(cat "$LAB_DIR/current")
                lab_log "apt-get update failed; reusing cached kernel $KVER"
                return 0
            fi
            lab_die "apt-get update failed and no cached kernel is available"
        fi
    done
    if [ -z "${KVER:-}" ] || [ -z "${KABI:-}" ]; then
        lab_die "cannot determine the kernel version: KVER='${KVER:-}' KABI='${KABI:-}'" \
            "(package linux-headers-amd64 or linux-headers-${KABI:-<abi>}-amd64 not found;" \
            "set both KVER and KABI, e.g. KVER=6.1.192-2 KABI=6.1.0-56)"
    fi
}

apt_update_quiet() {
    [ $apt_updated = 1 ] && return 0
    lab_log "apt-get update"
    apt-get update -qq >/dev/null 2>&1 && apt_updated=1
}

# ---------------------------------------------------------------------------
# Download one package at an exact version into $DEBS (reused when present).
fetch_deb() {
    local pkg=$1 ver=$2 f
    f=$(ls "$DEBS/${pkg}_${ver//:/%3a}_"*.deb 2>/dev/null | head -n1 || true)
    if [ -n "$f" ]; then
        printf '%s\n' "$f"
        return 0
    fi
    if ! (cd "$DEBS" && apt-get download -q "$pkg=$ver" >"$DEBS/.download.log" 2>&1); then
        # The lists may be stale: refresh once and retry.
        if [ $apt_updated = 0 ] && apt_update_quiet \
           && (cd "$DEBS" && apt-get download -q "$pkg=$ver" >"$DEBS/.download.log" 2>&1); then
            :
        else
            grep -E '^(E|W):' "$DEBS/.download.log" | grep -v unsandboxed >&2 || true
            lab_die "package $pkg=$ver not found in the configured Debian repositories" \
                "(old kernel ABIs disappear from the mirror: unset KVER/KABI or pick a current version)"
        fi
    fi
    f=$(ls "$DEBS/${pkg}_${ver//:/%3a}_"*.deb 2>/dev/null | head -n1 || true)
    [ -n "$f" ] || lab_die "apt-get download $pkg=$ver produced no .deb"
    lab_log "downloaded $(basename "$f") ($(du -m "$f" | cut -f1) MB)"
    printf '%s\n' "$f"
}

# ---------------------------------------------------------------------------
# Build the initramfs: static busybox, the init script and the modules needed
# to mount the 9p root and the overlay, in dependency order.
build_initrd() {
    local key; key=$(lab_initrd_key)
    if [ -f "$KDIR/initrd.img" ] && [ "$(cat "$KDIR/initrd.key" 2>/dev/null)" = "$key" ]; then
        reused+=("initramfs")
        return 0
    fi
    local t0; t0=$(lab_now_ms)
    local ir="$KDIR/initrd.d"
    rm -rf "$ir"
    mkdir -p "$ir"/{bin,dev,proc,sys,modules}
    cp /bin/busybox "$ir/bin/busybox"
    file_is_static /bin/busybox || lab_die "/bin/busybox is not static (install busybox-static)"
    cp "$LAB_SCRIPTS/guest-init.sh" "$ir/init"
    chmod 755 "$ir/init" "$ir/bin/busybox"
    local m path order=()
    for m in virtio_pci 9pnet_virtio 9p overlay; do
        while read -r kw path _; do
            [ "$kw" = insmod ] || continue
            local b; b=$(basename "$path")
            case " ${order[*]-} " in *" $b "*) continue ;; esac
            cp "$path" "$ir/modules/$b"
            order+=("$b")
        done < <(modprobe -d "$KROOT" -S "$KREL" --show-depends "$m" 2>/dev/null \
                 || lab_die "module $m not found in $KROOT")
    done
    for m in virtio_pci.ko 9pnet_virtio.ko 9p.ko overlay.ko; do
        case " ${order[*]-} " in *" $m "*) ;; *) lab_die "initramfs: module $m not found in $KROOT" ;; esac
    done
    printf '%s\n' "${order[@]}" > "$ir/modules/order"
    (cd "$ir" && find . -print0 | cpio --null -o -H newc --quiet) | gzip -1 > "$KDIR/initrd.img.tmp"
    mv "$KDIR/initrd.img.tmp" "$KDIR/initrd.img"
    printf '%s\n' "$key" > "$KDIR/initrd.key"
    rm -rf "$ir"
    lab_log "built initramfs ($(du -k "$KDIR/initrd.img" | cut -f1) KB, modules: ${order[*]}) in $(lab_elapsed "$t0") s"
}

file_is_static() {
    ! ldd "$1" >/dev/null 2>&1
}

# ---------------------------------------------------------------------------
# Main.
if [ $initrd_only = 1 ]; then
    envf=$(lab_kernel_env_file)
    [ -f "$envf" ] || lab_die "no kernel cache ($envf); run integration/lab-setup.sh"
    # shellcheck source=/dev/null
    . "$envf"
    reused=()
    build_initrd
    exit 0
fi

ensure_host_tools
mkdir -p "$LAB_DIR"
user_kver=${KVER:-} user_kabi=${KABI:-}
# apt-cache takes ~1 s per query: remember the resolution for unchanged
# package lists.
resolve_key=$( (stat -c '%n %s %Y' /var/lib/apt/lists/*_Packages* 2>/dev/null
                echo "$user_kver/$user_kabi") | sha256sum | cut -c1-32)
if [ -f "$LAB_DIR/resolved" ] && [ "$(sed -n 1p "$LAB_DIR/resolved")" = "$resolve_key" ]; then
    KVER=$(sed -n 2p "$LAB_DIR/resolved") KABI=$(sed -n 3p "$LAB_DIR/resolved")
else
    resolve_version
fi
if [ ! -f "$LAB_DIR/k/$KVER/kernel.env" ] && [ $apt_updated = 0 ]; then
    # Not cached: refresh the package lists before downloading, and re-select
    # the version unless it was pinned.
    if apt_update_quiet && [ -z "$user_kver$user_kabi" ]; then
        KVER='' KABI=''
        resolve_version
    fi
fi

KDIR="$LAB_DIR/k/$KVER"
if [ -f "$KDIR/kernel.env" ]; then
    . "$KDIR/kernel.env"            # sets KABI/KREL/KROOT/... of the cached entry
fi
KREL="$KABI-amd64"
KROOT="$KDIR/kroot"
HROOT="$KDIR/hroot"
DEBS="$LAB_DIR/debs"
mkdir -p "$KDIR" "$DEBS"
reused=()
lab_log "kernel: linux-image-$KREL $KVER (cache: $KDIR)"

# 1. Kernel image and modules.
if [ -f "$KDIR/.kroot.ok" ]; then
    reused+=("kernel image+modules")
else
    t0=$(lab_now_ms)
    deb=$(fetch_deb "linux-image-$KREL" "$KVER")
    rm -rf "$KROOT"
    mkdir -p "$KROOT"
    dpkg-deb -x "$deb" "$KROOT" || lab_die "cannot unpack $deb"
    [ -f "$KROOT/boot/vmlinuz-$KREL" ] || lab_die "no vmlinuz-$KREL in $deb"
    # Drop module trees the lab never loads (sound, GPU, media, wireless, ...)
    # to keep the cache small; the remaining tree is self-contained.
    for d in sound drivers/gpu drivers/media drivers/staging drivers/infiniband \
             drivers/net/wireless drivers/bluetooth net/bluetooth drivers/iio \
             drivers/scsi drivers/usb drivers/input drivers/hid net/mac80211 \
             net/wireless drivers/net/usb drivers/net/can net/can; do
        rm -rf "$KROOT/lib/modules/$KREL/kernel/$d"
    done
    touch "$KDIR/.kroot.ok"
    rm -f "$KDIR/.depmod.ok"
    lab_log "unpacked kernel in $(lab_elapsed "$t0") s ($(du -sm "$KROOT" | cut -f1) MB)"
fi

# 2. Headers (arch + common) and kbuild, unpacked side by side; only needed
#    to build netdevsim, and deleted afterwards.
NSIM_KO="$KDIR/netdevsim.ko"
if [ -f "$NSIM_KO" ]; then
    :
elif [ -f "$KDIR/.hroot.ok" ]; then
    reused+=("kernel headers")
else
    t0=$(lab_now_ms)
    rm -rf "$HROOT"
    mkdir -p "$HROOT"
    kb_series=$(echo "$KABI" | cut -d. -f1,2)        # 6.1.0-56 -> 6.1
    for p in "linux-headers-$KREL" "linux-headers-$KABI-common" "linux-kbuild-$kb_series"; do
        deb=$(fetch_deb "$p" "$KVER")
        dpkg-deb -x "$deb" "$HROOT" || lab_die "cannot unpack $deb"
    done
    # The arch Makefile includes the common one by absolute path.
    mk="$HROOT/usr/src/linux-headers-$KREL/Makefile"
    [ -f "$mk" ] || lab_die "no $mk in the headers package"
    sed -i "s#^include /usr/src/#include $HROOT/usr/src/#" "$mk"
    touch "$KDIR/.hroot.ok"
    lab_log "unpacked headers in $(lab_elapsed "$t0") s"
fi

# 3. netdevsim, built out of tree from linux-source.
if [ -f "$NSIM_KO" ]; then
    reused+=("netdevsim.ko")
else
    t0=$(lab_now_ms)
    kb_series=$(echo "$KABI" | cut -d. -f1,2)
    src=$(fetch_deb "linux-source-$kb_series" "$KVER")
    nb="$KDIR/nsim-build"
    rm -rf "$nb" "$KDIR/nsim-src"
    mkdir -p "$KDIR/nsim-src"
    lab_log "extracting drivers/net/netdevsim from $(basename "$src")"
    dpkg-deb --fsys-tarfile "$src" \
        | tar -xO "./usr/src/linux-source-$kb_series.tar.xz" \
        | tar -xJ -C "$KDIR/nsim-src" "linux-source-$kb_series/drivers/net/netdevsim" \
        || lab_die "cannot extract drivers/net/netdevsim from $src"
    mv "$KDIR/nsim-src/linux-source-$kb_series/drivers/net/netdevsim" "$nb"
    rm -rf "$KDIR/nsim-src"
    lab_log "extracted netdevsim source in $(lab_elapsed "$t0") s; building"
    t1=$(lab_now_ms)
    if ! make -C "$HROOT/usr/src/linux-headers-$KREL" M="$nb" CONFIG_NETDEVSIM=m \
            -j"$(nproc)" modules >"$KDIR/nsim-build.log" 2>&1; then
        tail -n 30 "$KDIR/nsim-build.log" >&2
        lab_die "netdevsim build failed (full log: $KDIR/nsim-build.log)"
    fi
    [ -f "$nb/netdevsim.ko" ] || lab_die "netdevsim build produced no netdevsim.ko (log: $KDIR/nsim-build.log)"
    strip --strip-debug -o "$NSIM_KO.tmp" "$nb/netdevsim.ko"
    mv "$NSIM_KO.tmp" "$NSIM_KO"
    rm -rf "$nb" "$HROOT" "$KDIR/.hroot.ok"
    rm -f "$KDIR/.depmod.ok"
    lab_log "built netdevsim.ko in $(lab_elapsed "$t1") s ($(modinfo -F vermagic "$NSIM_KO"))"
fi

# 4. Install netdevsim into the module tree and run depmod on the host (running
#    it in the guest over 9p under TCG takes minutes).
if [ -f "$KDIR/.depmod.ok" ] && cmp -s "$NSIM_KO" "$KROOT/lib/modules/$KREL/extra/netdevsim.ko"; then
    reused+=("depmod")
else
    mkdir -p "$KROOT/lib/modules/$KREL/extra"
    cp "$NSIM_KO" "$KROOT/lib/modules/$KREL/extra/netdevsim.ko"
    depmod -b "$KROOT" "$KREL" || lab_die "depmod failed"
    touch "$KDIR/.depmod.ok"
fi

# 5. Initramfs.
build_initrd

cat > "$KDIR/kernel.env.tmp" <<EOT
KVER=$KVER
KABI=$KABI
KREL=$KREL
KDIR=$KDIR
KROOT=$KROOT
VMLINUZ=$KROOT/boot/vmlinuz-$KREL
INITRD=$KDIR/initrd.img
MODULES_DIR=$KROOT/lib/modules
EOT
mv "$KDIR/kernel.env.tmp" "$KDIR/kernel.env"
printf '%s\n' "$KVER" > "$LAB_DIR/current"
resolve_key=$( (stat -c '%n %s %Y' /var/lib/apt/lists/*_Packages* 2>/dev/null
                echo "$user_kver/$user_kabi") | sha256sum | cut -c1-32)
printf '%s\n%s\n%s\n' "$resolve_key" "$KVER" "$KABI" > "$LAB_DIR/resolved"
# Everything needed is unpacked: drop this version's downloads.
rm -f "$DEBS"/*_"${KVER//:/%3a}"_*.deb

if [ ${#reused[@]} -gt 0 ]; then
    lab_log "reused from cache: ${reused[*]}"
fi
lab_log "ready: kernel $KREL ($KVER) in $(lab_elapsed "$t_start") s; cache $KDIR ($(du -sm "$KDIR" | cut -f1) MB)"
