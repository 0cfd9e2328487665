#!/bin/sh
# Brings a fresh Debian 12 machine (root) to the point where ovs-offload is
# built: installs the Debian packages it needs (only those missing), builds
# the Open vSwitch libraries from Debian's openvswitch-source (cached in
# .ovs/), then configures and builds ovs-offload itself.
#
# Usage: build-aux/setup.sh
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"

packages="autoconf automake libtool pkg-config make gcc python3
          libmnl-dev libjson-c-dev openvswitch-source openvswitch-switch
          openvswitch-common iproute2"

missing=
for p in $packages; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null \
            | grep -q 'install ok installed'; then
        missing="$missing $p"
    fi
done
if [ -n "$missing" ]; then
    echo "setup: installing$missing"
    if [ "$(id -u)" != 0 ]; then
        echo "setup: these Debian packages are missing and installing them" \
             "needs root:$missing" >&2
        exit 1
    fi
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q > /dev/null
    # The daemons of openvswitch-switch are only used as programs by the
    # tests, each under its own run directory; keep the package's own
    # service from starting where the package manager would start it.
    apt-get install -y -q --no-install-recommends $missing > /dev/null
fi

echo "setup: Open vSwitch tree (cached in .ovs/)"
ovs=$(build-aux/ovs-tree.sh)

if [ ! -x configure ] || [ configure.ac -nt configure ] \
   || [ -n "$(find . -name automake.mk -newer configure | head -n 1)" ] \
   || [ Makefile.am -nt configure ]; then
    echo "setup: bootstrapping the build system"
    build-aux/bootstrap.sh
fi
if [ ! -f Makefile ] || [ configure -nt Makefile ]; then
    echo "setup: configuring"
    ./configure --quiet --with-ovs-source="$ovs" --with-ovs-build="$ovs" \
        --enable-silent-rules
fi
echo "setup: building"
make -s -j"$(nproc 2>/dev/null || echo 2)"
