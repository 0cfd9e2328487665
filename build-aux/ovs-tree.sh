#!/bin/sh
# Unpack and build the parts of the Open vSwitch source tree that
# ovs-offload links against: libopenvswitch, libovsdb, the generated IDL
# headers and ovsdb-idlc.  Debian ships no -dev package for these, so the
# tree comes from Debian's openvswitch-source package, which carries the
# same version as the installed openvswitch-switch.
#
# Usage: build-aux/ovs-tree.sh [DIR]      (default: .ovs under the top dir)
#
# The result is cached: a second run with an unchanged tarball does nothing.
# Prints the source/build directory on its last line.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
dir=${1:-$top/.ovs}
tarball=${OVS_TARBALL:-/usr/src/openvswitch/openvswitch.tar.gz}

if [ ! -r "$tarball" ]; then
    echo "ovs-tree: $tarball not found; install the openvswitch-source" \
         "package (apt-get install openvswitch-source)" >&2
    exit 1
fi

stamp=$dir/.ovs-offload-stamp
# The cache key covers the tarball and this script (its configure flags).
want=$(cat "$tarball" "$0" | cksum | cut -d' ' -f1)
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
    echo "$dir/src"
    exit 0
fi

rm -rf "$dir"
mkdir -p "$dir"
tar -xzf "$tarball" -C "$dir"
mv "$dir/openvswitch" "$dir/src"
cd "$dir/src"

jobs=$(nproc 2>/dev/null || echo 2)
# libopenvswitch and json-c both define a global json_object_put(), with
# different signatures; a program linking both would call the wrong one.
# Renaming OVS's copy keeps the two apart (ovs-offload's code that uses the
# OVS headers is compiled with the same definition; see Makefile.am).
# The directories match Debian's packages, so that the compiled-in default
# database socket is the system's (/var/run/openvswitch/db.sock).
./configure --quiet --disable-ssl --enable-silent-rules \
    --prefix=/usr --localstatedir=/var --sysconfdir=/etc \
    CPPFLAGS="-Djson_object_put=ovs_json_object_put" CFLAGS="-g -O2" > "$dir/configure.log" 2>&1 || {
    tail -n 30 "$dir/configure.log" >&2
    echo "ovs-tree: configuring Open vSwitch failed (log: $dir/configure.log)" >&2
    exit 1
}
# Generated headers (odp-netlink.h, the IDLs, ...) come first: the
# library objects include them but do not depend on them.
printf 'ovs-offload-print-built:\n\t@echo $(BUILT_SOURCES)\n' > "$dir/print.mk"
built=$(make -s -f Makefile -f "$dir/print.mk" ovs-offload-print-built)
{ make -j"$jobs" $built &&
  make -j"$jobs" lib/libopenvswitch.la ovsdb/libovsdb.la ovsdb/ovsdb-idlc; } > "$dir/make.log" 2>&1 || {
    tail -n 30 "$dir/make.log" >&2
    echo "ovs-tree: building Open vSwitch failed (log: $dir/make.log)" >&2
    exit 1
}
echo "$want" > "$stamp"
echo "$dir/src"
