#!/bin/bash
# Prepare the kernel lab: Debian kernels with out-of-tree netdevsim (and, on a
# kernel that has vDPA, vringh + vdpa_sim + vdpa_sim_net) and a tiny busybox
# initramfs, cached under $LAB_DIR (default: <top>/.lab).
#
# Usage: integration/lab-setup.sh [--initrd-only]
#
# Environment:
#   LAB_KERNELS  kernel series to prepare, in order (default "6.1 6.12"):
#                6.1  = Debian 12 (bookworm), from the system's apt sources;
#                6.12 = Debian 13 (trixie), from a private apt list under
#                       $LAB_DIR/apt/trixie (the system's sources are untouched)
#   KVER   pins the Debian package version of the kernel of its series, e.g.
#          6.1.192-3 or 6.12.118-1 (default: the version that the candidate of
#          linux-headers-amd64 in that suite depends on)
#   KABI   pins the kernel ABI of its series likewise, e.g. 6.1.0-57 or
#          6.12.118+deb13 (default: derived from KVER)
#   LAB_DEBIAN_MIRROR, LAB_DEBIAN_SECURITY_MIRROR  archive URLs for private
#          lists (default: the system's debian and debian-security URIs, else
#          http://deb.debian.org/debian and http://deb.debian.org/debian-security)
#   LAB_DIR  cache directory (default: <top>/.lab)
#
# With --initrd-only, only the initramfs of the kernel selected by KVER or
# LAB_KERNEL (default: the first of LAB_KERNELS) is rebuilt.
#
# Nothing is installed on the host except missing build/run tools; the kernel
# packages are fetched with "apt-get download" and unpacked with "dpkg-deb -x".
# Writes $LAB_DIR/current-SERIES (the package version in use) and
# $LAB_DIR/k/VERSION/kernel.env for each series.
set -euo pipefail
LAB_PROG=lab-setup
. "$(dirname "$0")/lab-common.sh"
export DEBIAN_FRONTEND=noninteractive LC_ALL=C

t_start=$(lab_now_ms)
initrd_only=0
case ${1:-} in
    --initrd-only) initrd_only=1 ;;
    -h|--help) sed -n '2,29p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    '') ;;
    *) lab_die "unknown argument: $1" ;;
esac
lab_check_kernels

# ---------------------------------------------------------------------------
# Host tools.  Install only what is missing (needs root and apt).
ensure_host_tools() {
    local missing=() p
    need_cmd() { command -v "$1" >/dev/null 2>&1 || missing+=("$2"); }
    need_pkg() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'ok installed' || missing+=("$1"); }
    need_cmd qemu-system-x86_64 qemu-system-x86
    need_pkg busybox-static
    need_pkg udev           # systemd-udevd in the guest (lab_start_udev)
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
    need_pkg debian-archive-keyring
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
# apt, for one suite at a time.  APT_O holds the options that point apt at the
# suite's package lists: empty for the system's own sources (bookworm), or a
# private sources list, lists and cache directory under $LAB_DIR/apt/SUITE.
APT_O=()
APT_LISTS=/var/lib/apt/lists
apt_updated=0

# system_uri PATTERN DEFAULT: the first URI of the system's apt sources that
# ends in PATTERN (e.g. /debian), else DEFAULT.
system_uri() {
    local u
    u=$( { sed -n 's/^URIs:[[:space:]]*//p' /etc/apt/sources.list.d/*.sources 2>/dev/null | tr ' ' '\n'
           sed -n 's/^deb[[:space:]]\{1,\}\(\[[^]]*\][[:space:]]\{1,\}\)\{0,1\}\([^[:space:]]*\).*/\2/p' \
               /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null
         } | grep -E "$1/?\$" | head -n1)
    printf '%s\n' "${u:-$2}"
}

# use_suite SUITE: set APT_O/APT_LISTS for SUITE.
use_suite() {
    local suite=$1
    apt_updated=0
    if [ "$suite" = bookworm ]; then
        APT_O=() APT_LISTS=/var/lib/apt/lists
        return 0
    fi
    local d=$LAB_DIR/apt/$suite mirror sec kr=/usr/share/keyrings/debian-archive-keyring.gpg
    mirror=${LAB_DEBIAN_MIRROR:-$(system_uri /debian http://deb.debian.org/debian)}
    sec=${LAB_DEBIAN_SECURITY_MIRROR:-$(system_uri /debian-security http://deb.debian.org/debian-security)}
    [ -f "$kr" ] || lab_die "$kr missing (install debian-archive-keyring)"
    mkdir -p "$d/lists/partial" "$d/cache/archives/partial"
    {
        echo "# Written by lab-setup.sh: $suite, for the lab kernel only."
        echo "deb [signed-by=$kr] $mirror $suite main"
        echo "deb [signed-by=$kr] $mirror $suite-updates main"
        echo "deb [signed-by=$kr] $sec $suite-security main"
    } > "$d/sources.list.tmp"
    mv "$d/sources.list.tmp" "$d/sources.list"
    APT_O=(-o "Dir::Etc::SourceList=$d/sources.list" -o Dir::Etc::SourceParts=/dev/null
           -o "Dir::State::Lists=$d/lists" -o "Dir::Cache=$d/cache"
           -o Dir::State::status=/dev/null)
    APT_LISTS=$d/lists
}

apt_update_quiet() {
    [ $apt_updated = 1 ] && return 0
    lab_log "apt-get update ($SUITE)"
    apt-get "${APT_O[@]}" update -qq >/dev/null 2>&1 && apt_updated=1
}

# Version of linux-headers-amd64's candidate.
candidate_meta() {
    apt-cache "${APT_O[@]}" policy linux-headers-amd64 2>/dev/null | awk '/Candidate:/ { print $2 }'
}

# ABI (e.g. 6.1.0-56) that linux-headers-amd64=VERSION depends on.
abi_of_meta() {
    apt-cache "${APT_O[@]}" show "linux-headers-amd64=$1" 2>/dev/null \
        | sed -n 's/^Depends:.*linux-headers-\([0-9][^ ,]*\)-amd64.*/\1/p' | head -n1
}

# Candidate version of linux-headers-ABI-amd64.
version_of_abi() {
    apt-cache "${APT_O[@]}" policy "linux-headers-$1-amd64" 2>/dev/null | awk '/Candidate:/ { print $2 }'
}

# pkg_depends PKG=VERSION-or-PKG: the package names PKG depends on (first
# alternative of each, without version constraints).
pkg_depends() {
    apt-cache "${APT_O[@]}" show "$1" 2>/dev/null | sed -n '/^Depends:/{s/^Depends://p;q}' \
        | tr ',' '\n' | sed 's/|.*//; s/(.*)//; s/:any//; s/[[:space:]]//g' | grep -v '^$' || true
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
            if [ -f "$LAB_DIR/current-$SERIES" ] && [ -z "${KVER:-}${KABI:-}" ]; then
                KVER=$(cat "$LAB_DIR/current-$SERIES")
                lab_log "apt-get update failed; reusing cached kernel $KVER"
                return 0
            fi
            lab_die "apt-get update ($SUITE) failed and no cached $SERIES kernel is available"
        fi
    done
    if [ -z "${KVER:-}" ] || [ -z "${KABI:-}" ]; then
        lab_die "cannot determine the $SERIES kernel version ($SUITE): KVER='${KVER:-}' KABI='${KABI:-}'" \
            "(package linux-headers-amd64 or linux-headers-${KABI:-<abi>}-amd64 not found;" \
            "set both KVER and KABI, e.g. KVER=6.1.192-3 KABI=6.1.0-57)"
    fi
}

# ---------------------------------------------------------------------------
# Download one package at an exact version (or the candidate if VERSION is
# empty) into $DEBS (reused when present).  Prints the .deb's path.
fetch_deb() {
    local pkg=$1 ver=${2:-} f spec
    spec=$pkg${ver:+=$ver}
    if [ -n "$ver" ]; then
        f=$(ls "$DEBS/${pkg}_${ver//:/%3a}_"*.deb 2>/dev/null | head -n1 || true)
        if [ -n "$f" ]; then
            printf '%s\n' "$f"
            return 0
        fi
    fi
    rm -rf "$DEBS/.new"; mkdir -p "$DEBS/.new"
    if ! (cd "$DEBS/.new" && apt-get "${APT_O[@]}" download -q "$spec" >"$DEBS/.download.log" 2>&1); then
        # The lists may be stale: refresh once and retry.
        if [ $apt_updated = 0 ] && apt_update_quiet \
           && (cd "$DEBS/.new" && apt-get "${APT_O[@]}" download -q "$spec" >"$DEBS/.download.log" 2>&1); then
            :
        else
            grep -E '^(E|W):' "$DEBS/.download.log" | grep -v unsandboxed >&2 || true
            lab_die "package $spec not found in the $SUITE repositories" \
                "(old kernel ABIs disappear from the mirror: unset KVER/KABI or pick a current version)"
        fi
    fi
    f=$(ls "$DEBS/.new/"*.deb 2>/dev/null | head -n1 || true)
    [ -n "$f" ] || lab_die "apt-get download $spec produced no .deb"
    mv "$f" "$DEBS/"
    rmdir "$DEBS/.new" 2>/dev/null || true
    f=$DEBS/$(basename "$f")
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
    local m path order=() builtin=()
    for m in virtio_pci 9pnet_virtio 9p overlay; do
        while read -r kw path _; do
            if [ "$kw" = builtin ]; then
                builtin+=("$path.ko")
                continue
            fi
            [ "$kw" = insmod ] || continue
            # busybox insmod wants plain .ko files: decompress (6.12 ships .ko.xz).
            local b; b=$(basename "$path")
            b=${b%.xz}; b=${b%.zst}
            case " ${order[*]-} " in *" $b "*) continue ;; esac
            case $path in
                *.ko.xz) xz -dc "$path" > "$ir/modules/$b" || lab_die "cannot decompress $path" ;;
                *.ko.zst) zstd -qdc "$path" > "$ir/modules/$b" || lab_die "cannot decompress $path (zstd)" ;;
                *) cp "$path" "$ir/modules/$b" ;;
            esac
            order+=("$b")
        done < <(modprobe -d "$KROOT" -S "$KREL" --show-depends "$m" 2>/dev/null \
                 || lab_die "module $m not found in $KROOT")
    done
    for m in virtio_pci.ko 9pnet_virtio.ko 9p.ko overlay.ko; do
        case " ${order[*]-} ${builtin[*]-} " in
            *" $m "*) ;;
            *) lab_die "initramfs: module $m not found in $KROOT" ;;
        esac
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
# Kernel headers: make an out-of-tree module build work with this host's tools.

# kconfig_unset SYM...: drop CONFIG_SYM from the private headers tree's
# auto.conf (make) and autoconf.h (C).  Only for options that change code
# generation, never the layout of a structure shared with the kernel.
kconfig_unset() {
    local h=$HDIR s
    for s in "$@"; do
        sed -i "/^CONFIG_$s=/d" "$h/include/config/auto.conf"
        sed -i "/^#define CONFIG_$s /d" "$h/include/generated/autoconf.h"
    done
}

kconfig_is_set() {
    grep -q "^CONFIG_$1=" "$HDIR/include/config/auto.conf"
}

# prepare_compiler: choose CC for the module build.  The headers name the
# compiler the kernel was built with (CONFIG_CC_VERSION_TEXT); when this host
# lacks it (trixie's kernel is built with gcc-14, Debian 12 has gcc-12), use
# gcc-12 and re-derive the compiler-dependent options that the kernel's
# Kconfig would have chosen for gcc-12, so that no gcc-14-only flag is used.
# The module ABI (struct layouts, Module.symvers CRCs) does not depend on them.
prepare_compiler() {
    local cc
    cc=$(sed -n 's/^CONFIG_CC_VERSION_TEXT="\{0,1\}\([^ "]*\).*/\1/p' "$HDIR/include/config/auto.conf")
    adjusted=()
    if [ -n "$cc" ] && command -v "$cc" >/dev/null 2>&1; then
        KCC=$cc
    else
        KCC=gcc-12
        command -v "$KCC" >/dev/null 2>&1 || lab_die "no $cc and no gcc-12 to build modules for $KREL"
        local v; v=$("$KCC" -dumpfullversion)
        local n; n=$(echo "$v" | awk -F. '{ printf "%d%02d%02d", $1, $2, $3 }')
        if kconfig_is_set CC_HAS_MIN_FUNCTION_ALIGNMENT \
           && ! echo 'int x;' | "$KCC" -fmin-function-alignment=16 -x c -c -o /dev/null - 2>/dev/null; then
            # The kernel then uses -falign-functions=N instead.
            kconfig_unset CC_HAS_MIN_FUNCTION_ALIGNMENT
            adjusted+=("CC_HAS_MIN_FUNCTION_ALIGNMENT (gcc-14 flag)")
        fi
        # init/Kconfig: GCC_ASM_GOTO_OUTPUT_BROKEN for gcc < 11.5, 12.0-12.3, 13.0-13.2.
        if kconfig_is_set CC_HAS_ASM_GOTO_OUTPUT \
           && { [ "$n" -lt 110500 ] || { [ "$n" -ge 120000 ] && [ "$n" -lt 120400 ]; } \
                || { [ "$n" -ge 130000 ] && [ "$n" -lt 130300 ]; }; }; then
            kconfig_unset CC_HAS_ASM_GOTO_OUTPUT CC_HAS_ASM_GOTO_TIED_OUTPUT
            adjusted+=("CC_HAS_ASM_GOTO_OUTPUT (broken in gcc $v)")
        fi
        lab_log "kernel built with ${cc:-?}, not on this host: building modules with $KCC $v${adjusted[*]:+; unset for gcc $v: ${adjusted[*]}}"
    fi
    KMAKE_VARS=()
    if kconfig_is_set DEBUG_INFO_BTF_MODULES && ! command -v pahole >/dev/null 2>&1; then
        # No BTF for the lab's modules (it needs pahole); they load without
        # it.  Only make's copy is overridden: autoconf.h must keep it, since
        # struct module has BTF fields under this option, and a module whose
        # struct module differs from the kernel's fails to load ("x86/modules:
        # Invalid relocation target, existing value is nonzero").
        KMAKE_VARS+=(CONFIG_DEBUG_INFO_BTF_MODULES=)
    fi
}

# prepare_kbuild_tools: the linux-kbuild binaries (fixdep, modpost, objtool,
# ...) of a newer suite may need a newer glibc than this host's (trixie's need
# GLIBC_2.38, Debian 12 has 2.36).  Such binaries are run with the suite's own
# libc and libraries, unpacked into $HROOT/sysroot (not installed): the binary
# is renamed NAME.bin and NAME becomes a wrapper that runs it through the
# sysroot's dynamic loader.
prepare_kbuild_tools() {
    local kb=$1 f bad=()
    while IFS= read -r f; do
        case $f in *.bin) continue ;; esac     # Already wrapped.
        head -c 4 "$f" | grep -q 'ELF' || continue
        # ldd's whole output first: with pipefail, "ldd | grep -q" fails
        # whenever grep exits before ldd has written everything (SIGPIPE),
        # and the binary was then taken for one that runs.
        local out
        out=$(ldd "$f" </dev/null 2>&1 || true)
        case $out in
            *"not found"*) bad+=("$f") ;;
        esac
    done < <(find "$HROOT/usr/lib/$kb" -type f -perm -u+x)
    [ ${#bad[@]} -gt 0 ] || return 0
    # Libraries: the kbuild package's dependencies and theirs.
    local libs=() p q
    for p in $(pkg_depends "$kb=$KVER"); do
        case $p in lib*|zlib*) libs+=("$p") ;; esac
        for q in $(pkg_depends "$p"); do
            case $q in lib*|zlib*) libs+=("$q") ;; esac
        done
    done
    mapfile -t libs < <(printf '%s\n' "${libs[@]}" | sort -u)
    local sysroot=$HROOT/sysroot deb
    mkdir -p "$sysroot"
    for p in "${libs[@]}"; do
        deb=$(fetch_deb "$p" "")
        dpkg-deb -x "$deb" "$sysroot" || lab_die "cannot unpack $deb"
        rm -f "$deb"
    done
    local ld=$sysroot/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2
    [ -e "$ld" ] || ld=$sysroot/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2
    [ -e "$ld" ] || lab_die "no dynamic loader in the $SUITE libc6 package"
    for f in "${bad[@]}"; do
        mv "$f" "$f.bin"
        printf '#!/bin/sh\n# lab-setup.sh: %s needs a newer glibc than the host'"'"'s.\nexec %q --library-path %q %q "$@"\n' \
            "$(basename "$f")" "$ld" "$sysroot/usr/lib/x86_64-linux-gnu:$sysroot/lib/x86_64-linux-gnu" "$f.bin" > "$f"
        chmod 755 "$f"
    done
    lab_log "kbuild tools run with $SUITE's libc (${libs[*]}): $(for f in "${bad[@]}"; do printf '%s ' "${f#$HROOT/usr/lib/$kb/}"; done)"
}

# ---------------------------------------------------------------------------
# Out-of-tree modules: which ones this kernel needs.
#   netdevsim                       always (Debian does not build it)
#   vringh vdpa_sim vdpa_sim_net    when the kernel has CONFIG_VDPA but no
#                                   simulator (vringh only if not built)
# Sets EXTRA_MODS (module names) and EXTRA_NOTES (what is missing and why).
plan_extra_modules() {
    local cfg=$KROOT/boot/config-$KREL
    [ -f "$cfg" ] || lab_die "no $cfg in the image package"
    EXTRA_MODS="netdevsim" EXTRA_NOTES=""
    if grep -q '^CONFIG_VDPA=[ym]' "$cfg"; then
        if grep -q '^CONFIG_VDPA_SIM_NET=[ym]' "$cfg"; then
            EXTRA_NOTES="vdpa_sim_net is part of the kernel"
        else
            grep -q '^CONFIG_VHOST_RING=[ym]' "$cfg" || EXTRA_MODS+=" vringh"
            EXTRA_MODS+=" vdpa_sim vdpa_sim_net"
        fi
        grep -q '^CONFIG_VHOST_VDPA=[ym]' "$cfg" || EXTRA_NOTES+="${EXTRA_NOTES:+; }no vhost_vdpa (CONFIG_VHOST_VDPA is not set)"
    else
        EXTRA_NOTES="no vDPA (CONFIG_VDPA is not set)"
    fi
}

# Source paths (in linux-source) of the planned modules.
extra_sources() {
    local m
    for m in $EXTRA_MODS; do
        case $m in
            netdevsim) echo drivers/net/netdevsim ;;
            vringh) echo drivers/vhost/vringh.c ;;
            vdpa_sim) echo drivers/vdpa/vdpa_sim/vdpa_sim.c; echo drivers/vdpa/vdpa_sim/vdpa_sim.h ;;
            vdpa_sim_net) echo drivers/vdpa/vdpa_sim/vdpa_sim_net.c ;;
        esac
    done
}

# build_extra_modules SRC_DEB: extract the sources and build them.
build_extra_modules() {
    local src=$1 kb_series=$2 t0 paths=() p
    t0=$(lab_now_ms)
    mapfile -t paths < <(extra_sources)
    local xd=$KDIR/mod-src
    rm -rf "$xd" "$KDIR/mod-build"
    mkdir -p "$xd"
    lab_log "extracting $(extra_sources | tr '\n' ' ')from $(basename "$src")"
    dpkg-deb --fsys-tarfile "$src" \
        | tar -xO "./usr/src/linux-source-$kb_series.tar.xz" \
        | tar -xJ -C "$xd" "${paths[@]/#/linux-source-$kb_series/}" \
        || lab_die "cannot extract ${paths[*]} from $src"
    lab_log "extracted module sources in $(lab_elapsed "$t0") s; building with $KCC"
    local t1; t1=$(lab_now_ms)
    local s=$xd/linux-source-$kb_series b=$KDIR/mod-build
    mkdir -p "$b/netdevsim"
    local builds=("netdevsim:CONFIG_NETDEVSIM=m")
    cp -r "$s/drivers/net/netdevsim/." "$b/netdevsim/"
    case " $EXTRA_MODS " in
        *" vdpa_sim "*)
            mkdir -p "$b/vdpa"
            cp "$s"/drivers/vdpa/vdpa_sim/vdpa_sim* "$b/vdpa/"
            local objs="vdpa_sim.o vdpa_sim_net.o"
            case " $EXTRA_MODS " in *" vringh "*) cp "$s/drivers/vhost/vringh.c" "$b/vdpa/"; objs="vringh.o $objs" ;; esac
            printf '# Written by lab-setup.sh.\nobj-m := %s\n' "$objs" > "$b/vdpa/Kbuild"
            builds+=("vdpa:")
            ;;
    esac
    rm -rf "$xd"
    local one dir var
    : > "$KDIR/mod-build.log"
    for one in "${builds[@]}"; do
        dir=${one%%:*} var=${one#*:}
        # shellcheck disable=SC2086
        if ! make -C "$HDIR" M="$b/$dir" CC="$KCC" $var "${KMAKE_VARS[@]+"${KMAKE_VARS[@]}"}" \
                -j"$(nproc)" modules \
                >>"$KDIR/mod-build.log" 2>&1; then
            tail -n 30 "$KDIR/mod-build.log" >&2
            lab_die "building $dir failed (full log: $KDIR/mod-build.log)"
        fi
    done
    rm -rf "$KDIR/extra.tmp"
    mkdir -p "$KDIR/extra.tmp"
    local m f
    for m in $EXTRA_MODS; do
        f=$(ls "$b"/*/"$m.ko" 2>/dev/null | head -n1 || true)
        [ -n "$f" ] || lab_die "the build produced no $m.ko (log: $KDIR/mod-build.log)"
        strip --strip-debug -o "$KDIR/extra.tmp/$m.ko" "$f"
    done
    rm -rf "$KDIR/extra" "$b"
    mv "$KDIR/extra.tmp" "$KDIR/extra"
    lab_log "built $(cd "$KDIR/extra" && echo *.ko) in $(lab_elapsed "$t1") s ($(modinfo -F vermagic "$KDIR/extra/netdevsim.ko"))"
}

# ---------------------------------------------------------------------------
# setup_series SERIES: fetch, build and cache one kernel.
setup_series() {
    SERIES=$1 SUITE=$(lab_series_suite "$1")
    use_suite "$SUITE"
    local t_series; t_series=$(lab_now_ms)
    # KVER/KABI pin the kernel of their own series only.
    KVER='' KABI=''
    [ -n "$user_kver" ] && [ "$(lab_series_of "$user_kver")" = "$SERIES" ] && KVER=$user_kver
    [ -n "$user_kabi" ] && [ "$(lab_series_of "$user_kabi")" = "$SERIES" ] && KABI=$user_kabi
    local pin="$KVER/$KABI"
    if [ "$SUITE" != bookworm ] && ! ls "$APT_LISTS"/*_Packages* >/dev/null 2>&1; then
        apt_update_quiet || lab_die "apt-get update of the private $SUITE lists failed (is a Debian mirror reachable?)"
    fi
    # apt-cache takes ~1 s per query: remember the resolution for unchanged
    # package lists.
    local rfile=$LAB_DIR/resolved-$SERIES resolve_key
    resolve_key=$( (stat -c '%n %s %Y' "$APT_LISTS"/*_Packages* 2>/dev/null; echo "$pin") \
                   | sha256sum | cut -c1-32)
    if [ -f "$rfile" ] && [ "$(sed -n 1p "$rfile")" = "$resolve_key" ]; then
        KVER=$(sed -n 2p "$rfile") KABI=$(sed -n 3p "$rfile")
    else
        resolve_version
    fi
    if [ ! -f "$LAB_DIR/k/$KVER/kernel.env" ] && [ $apt_updated = 0 ]; then
        # Not cached: refresh the package lists before downloading, and
        # re-select the version unless it was pinned.
        if apt_update_quiet && [ "$pin" = / ]; then
            KVER='' KABI=''
            resolve_version
        fi
    fi
    [ "$(lab_series_of "$KVER")" = "$SERIES" ] \
        || lab_die "$SUITE's kernel $KVER is not of series $SERIES"

    KDIR="$LAB_DIR/k/$KVER"
    if [ -f "$KDIR/kernel.env" ]; then
        . "$KDIR/kernel.env"            # sets KABI/KREL/KROOT/... of the cached entry
    fi
    KREL="$KABI-amd64"
    KROOT="$KDIR/kroot"
    HROOT="$KDIR/hroot"
    HDIR="$HROOT/usr/src/linux-headers-$KREL"
    DEBS="$LAB_DIR/debs"
    local kb_series; kb_series=$(lab_series_of "$KABI")
    mkdir -p "$KDIR" "$DEBS"
    reused=()
    lab_log "kernel $SERIES ($(lab_series_distro "$SERIES") $SUITE): linux-image-$KREL $KVER (cache: $KDIR)"

    # 1. Kernel image and modules.
    local t0 deb
    if [ -f "$KDIR/.kroot.ok" ]; then
        reused+=("kernel image+modules")
    else
        t0=$(lab_now_ms)
        deb=$(fetch_deb "linux-image-$KREL" "$KVER")
        rm -rf "$KROOT"
        mkdir -p "$KROOT"
        dpkg-deb -x "$deb" "$KROOT" || lab_die "cannot unpack $deb"
        [ -f "$KROOT/boot/vmlinuz-$KREL" ] || lab_die "no vmlinuz-$KREL in $deb"
        # trixie's packages install modules under /usr/lib/modules (merged
        # /usr); depmod -b and modprobe -d look under /lib/modules.
        if [ ! -e "$KROOT/lib" ] && [ -d "$KROOT/usr/lib/modules" ]; then
            ln -s usr/lib "$KROOT/lib"
        fi
        [ -d "$KROOT/lib/modules/$KREL/kernel" ] || lab_die "no lib/modules/$KREL/kernel in $deb"
        # Drop module trees the lab never loads (sound, GPU, media, wireless,
        # ...) to keep the cache small; the remaining tree is self-contained.
        local d
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

    plan_extra_modules
    # Cache layout of older lab-setup versions: netdevsim.ko next to kroot.
    if [ ! -d "$KDIR/extra" ] && [ -f "$KDIR/netdevsim.ko" ] && [ "$EXTRA_MODS" = netdevsim ]; then
        mkdir -p "$KDIR/extra" && mv "$KDIR/netdevsim.ko" "$KDIR/extra/"
    fi
    local have_extra=1 m
    for m in $EXTRA_MODS; do
        [ -f "$KDIR/extra/$m.ko" ] || have_extra=0
    done

    # 2. Headers (arch + common) and kbuild, unpacked side by side; only
    #    needed to build the modules, and deleted afterwards.
    if [ $have_extra = 1 ]; then
        :
    elif [ -f "$KDIR/.hroot.ok" ]; then
        # Checked again: a cache made before the SIGPIPE fix below may have
        # tools left unwrapped.
        prepare_kbuild_tools "$(cat "$KDIR/.hroot.ok")"
        reused+=("kernel headers")
    else
        t0=$(lab_now_ms)
        rm -rf "$HROOT"
        mkdir -p "$HROOT"
        local kbuild p
        kbuild=$(pkg_depends "linux-headers-$KREL=$KVER" | grep '^linux-kbuild-' | head -n1 || true)
        [ -n "$kbuild" ] || kbuild=linux-kbuild-$kb_series
        for p in "linux-headers-$KREL" "linux-headers-$KABI-common" "$kbuild"; do
            deb=$(fetch_deb "$p" "$KVER")
            dpkg-deb -x "$deb" "$HROOT" || lab_die "cannot unpack $deb"
        done
        # The arch Makefile includes the common one by absolute path.
        [ -f "$HDIR/Makefile" ] || lab_die "no $HDIR/Makefile in the headers package"
        sed -i "s#^include /usr/src/#include $HROOT/usr/src/#" "$HDIR/Makefile"
        prepare_kbuild_tools "$kbuild"
        printf '%s\n' "$kbuild" > "$KDIR/.hroot.ok"
        lab_log "unpacked headers in $(lab_elapsed "$t0") s"
    fi

    # 3. netdevsim (and the vDPA simulator), built out of tree from
    #    linux-source against the headers, whose Module.symvers gives the
    #    symbol CRCs (CONFIG_MODVERSIONS).
    if [ $have_extra = 1 ]; then
        reused+=("$(cd "$KDIR/extra" && echo *.ko)")
    else
        prepare_compiler
        local src
        src=$(fetch_deb "linux-source-$kb_series" "$KVER")
        build_extra_modules "$src" "$kb_series"
        rm -rf "$HROOT" "$KDIR/.hroot.ok"
        rm -f "$KDIR/.depmod.ok"
    fi

    # 4. Install the modules into the module tree and run depmod on the host
    #    (running it in the guest over 9p under TCG takes minutes).
    local inst=1
    for m in $EXTRA_MODS; do
        cmp -s "$KDIR/extra/$m.ko" "$KROOT/lib/modules/$KREL/extra/$m.ko" || inst=0
    done
    if [ -f "$KDIR/.depmod.ok" ] && [ $inst = 1 ]; then
        reused+=("depmod")
    else
        rm -rf "$KROOT/lib/modules/$KREL/extra"
        mkdir -p "$KROOT/lib/modules/$KREL/extra"
        cp "$KDIR"/extra/*.ko "$KROOT/lib/modules/$KREL/extra/"
        depmod -b "$KROOT" "$KREL" || lab_die "depmod failed"
        touch "$KDIR/.depmod.ok"
    fi

    # 5. Initramfs.
    build_initrd

    cat > "$KDIR/kernel.env.tmp" <<EOT
KSERIES=$SERIES
KSUITE=$SUITE
KVER=$KVER
KABI=$KABI
KREL=$KREL
KDIR=$KDIR
KROOT=$KROOT
VMLINUZ=$KROOT/boot/vmlinuz-$KREL
INITRD=$KDIR/initrd.img
MODULES_DIR=$KROOT/lib/modules
KEXTRA_MODULES="$EXTRA_MODS"
KEXTRA_NOTES="$EXTRA_NOTES"
EOT
    mv "$KDIR/kernel.env.tmp" "$KDIR/kernel.env"
    printf '%s\n' "$KVER" > "$LAB_DIR/current-$SERIES"
    resolve_key=$( (stat -c '%n %s %Y' "$APT_LISTS"/*_Packages* 2>/dev/null; echo "$pin") \
                   | sha256sum | cut -c1-32)
    printf '%s\n%s\n%s\n' "$resolve_key" "$KVER" "$KABI" > "$rfile"
    # Everything needed is unpacked: drop this version's downloads.
    rm -f "$DEBS"/*_"${KVER//:/%3a}"_*.deb

    if [ ${#reused[@]} -gt 0 ]; then
        lab_log "reused from cache: ${reused[*]}"
    fi
    lab_log "ready: kernel $SERIES = linux-image-$KREL $KVER in $(lab_elapsed "$t_series") s; out-of-tree modules: $EXTRA_MODS${EXTRA_NOTES:+ ($EXTRA_NOTES)}; cache $KDIR ($(du -sm "$KDIR" | cut -f1) MB)"
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
for series in $LAB_KERNELS; do
    setup_series "$series"
done
# One line per kernel, for the record (run-lab.sh and the scenario logs name
# the kernel too).
for series in $LAB_KERNELS; do
    # shellcheck source=/dev/null
    . "$LAB_DIR/k/$(cat "$LAB_DIR/current-$series")/kernel.env"
    lab_log "kernel $series: linux-image-$KREL $KVER"
done
lab_log "all ready in $(lab_elapsed "$t_start") s"
