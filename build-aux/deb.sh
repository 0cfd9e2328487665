#!/bin/sh
# Builds the Debian package (debian/, dh) from the committed tree (HEAD),
# in a scratch copy: "dpkg-buildpackage -b -us -uc", which also builds the
# Open vSwitch libraries from openvswitch-source inside that build tree and
# runs the host test suite; then lintian.  Installs the build dependencies
# that are missing (root).
#
# Usage: build-aux/deb.sh [--upgrade-test] [--keep]
#
#   --upgrade-test  also build a second version (VERSION+schema2) from a
#                   copy whose OVS_Offload schema has one more column
#                   (Global:upgrade_test) and the next minor schema
#                   version; the lab scenario pkg-upgrade installs it over
#                   the first.  The real ovsdb-schema/ is not touched.
#   --keep          keep the scratch build directories
#
# DEB_OVS_TREE=DIR: start each build with a copy of DIR, an Open vSwitch
# tree that build-aux/ovs-tree.sh built (a package build's debian/ovs-tree),
# as debian/ovs-tree, and without dpkg-buildpackage's pre-clean, which would
# delete it; ovs-tree.sh's cache stamp (the tarball and the script) decides
# whether it is reused.  The second build of --upgrade-test always reuses
# the first one's tree this way.
#
# Output: .pkg/v1/ovs-offload_VERSION_ARCH.deb (and .pkg/upgrade/ for the
# second version), with build.log and lintian.txt next to each; one line
# per build with its time and lintian summary.  Exit status 1 if a build
# failed or lintian reported an error.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
out=${DEB_OUT:-$top/.pkg}
upgrade=no
keep=no
for arg; do
    case $arg in
        --upgrade-test) upgrade=yes ;;
        --keep) keep=yes ;;
        -h|--help) sed -n '2,/^set -eu/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
        *) echo "deb: unknown argument $arg (use --help)" >&2; exit 2 ;;
    esac
done

# Build dependencies (debian/control) and the tools.
packages="debhelper dpkg-dev fakeroot lintian autoconf automake libtool
          pkgconf python3 libmnl-dev libjson-c-dev openvswitch-source
          openvswitch-switch openvswitch-common gcc make git"
missing=
for p in $packages; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null \
        | grep -q 'install ok installed' || missing="$missing $p"
done
if [ -n "$missing" ]; then
    [ "$(id -u)" = 0 ] || { echo "deb: missing packages (root needed):$missing" >&2; exit 1; }
    echo "deb: installing$missing"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q > /dev/null
    apt-get install -y -q --no-install-recommends $missing > /dev/null
fi

if [ -n "$(git -C "$top" status --porcelain --untracked-files=no)" ]; then
    echo "deb: note: uncommitted changes are not in the package (it is built from HEAD)"
fi

work=$(mktemp -d /tmp/ovs-offload-deb.XXXXXX)
[ $keep = yes ] || trap 'rm -rf "$work"' EXIT
rm -rf "$out"
mkdir -p "$out"

# build NAME DIR: dpkg-buildpackage in DIR, .debs to $out/NAME.
build() {
    name=$1 dir=$2
    t0=$(date +%s)
    echo "deb: building $name in $dir (dpkg-buildpackage -b -us -uc)"
    preclean=
    if [ -n "${3:-}" ]; then
        cp -a "$3" "$dir/debian/ovs-tree"
        preclean=--no-pre-clean
        echo "deb: $name starts from a copy of the Open vSwitch tree $3"
    fi
    (cd "$dir" && dpkg-checkbuilddeps && \
     DEB_BUILD_OPTIONS="parallel=$(nproc 2>/dev/null || echo 2) ${DEB_BUILD_OPTIONS:-}" \
     dpkg-buildpackage -b -us -uc $preclean) > "$work/$name.log" 2>&1 || {
        tail -n 40 "$work/$name.log" >&2
        echo "deb: dpkg-buildpackage failed for $name (log: $work/$name.log)" >&2
        trap - EXIT
        exit 1
    }
    secs=$(( $(date +%s) - t0 ))
    mkdir -p "$out/$name"
    changes=$(ls "$dir"/../*.changes)
    cp "$dir"/../*.deb "$out/$name/"
    cp "$work/$name.log" "$out/$name/build.log"
    lintian --tag-display-limit 0 "$changes" > "$out/$name/lintian.txt" 2>&1 || :
    e=$(grep -c '^E: ' "$out/$name/lintian.txt" || :)
    w=$(grep -c '^W: ' "$out/$name/lintian.txt" || :)
    i=$(grep -c '^I: ' "$out/$name/lintian.txt" || :)
    echo "deb: $name: $(cd "$out/$name" && echo *.deb) built in ${secs} s;" \
         "lintian: $e errors, $w warnings, $i info"
    [ "$e" = 0 ] || { cat "$out/$name/lintian.txt"; lint_failed=yes; }
}
lint_failed=no

version=$(dpkg-parsechangelog -l "$top/debian/changelog" -S Version)
v1=$work/v1/ovs-offload-$version
mkdir -p "$v1"
git -C "$top" archive HEAD | tar -x -C "$v1"
build v1 "$v1" "${DEB_OVS_TREE:-}"

if [ $upgrade = yes ]; then
    v2=$work/v2/ovs-offload-$version
    mkdir -p "$v2"
    git -C "$top" archive HEAD | tar -x -C "$v2"
    schema=$v2/ovsdb-schema/ovs-offload.ovsschema
    old=$(sed -n 's/^ *"version": "\([0-9.]*\)",$/\1/p' "$schema" | head -n 1)
    new=$(echo "$old" | awk -F. '{ print $1 "." $2 + 1 ".0" }')
    python3 - "$schema" "$new" <<'EOF'
import json, sys
path, version = sys.argv[1], sys.argv[2]
schema = json.load(open(path))
schema["version"] = version
schema["tables"]["Global"]["columns"]["upgrade_test"] = {
    "type": {"key": "string", "min": 0, "max": 1}}
json.dump(schema, open(path, "w"), indent=1)
EOF
    { printf 'ovs-offload (%s+schema2) unstable; urgency=medium\n\n' "$version"
      printf '  * Upgrade test: OVS_Offload schema %s -> %s, new column\n' "$old" "$new"
      printf '    Global:upgrade_test.\n\n'
      printf ' -- ovs-offload developers <ovs-offload@example.org>  %s\n\n' "$(date -R)"
      cat "$v2/debian/changelog"; } > "$v2/debian/changelog.new"
    mv "$v2/debian/changelog.new" "$v2/debian/changelog"
    echo "deb: upgrade test: schema $old -> $new with Global:upgrade_test"
    # The golden tests list the schema's columns: this build skips them
    # (the first one ran them on the real schema).
    DEB_BUILD_OPTIONS="nocheck ${DEB_BUILD_OPTIONS:-}" \
        build upgrade "$v2" "$v1/debian/ovs-tree"
fi

[ $keep = no ] || echo "deb: build directories kept in $work"
ls -l "$out"/*/*.deb
[ $lint_failed = no ]
