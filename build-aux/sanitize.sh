#!/bin/sh
# Builds ovs-offload with AddressSanitizer and UndefinedBehaviorSanitizer in
# a copy of the source tree (.sanitize/, git-ignored) and runs the host test
# suite there.  Every sanitizer report, from any program of the suite, is
# written to a file under .sanitize/reports/, and any report fails the run,
# whatever exit status the test that triggered it expected.
#
# Usage: build-aux/sanitize.sh [AUTOTEST-FLAGS...]
# Needs build-aux/setup.sh to have run (the Open vSwitch tree in .ovs/).
# Prints "sanitize: host suite: N passed, N failed, N skipped, R reports".
set -u

top=$(cd "$(dirname "$0")/.." && pwd)
dir=$top/.sanitize
src=$dir/src
reports=$dir/reports
ovs=$top/.ovs/src

if [ ! -f "$ovs/lib/.libs/libopenvswitch.a" ] \
   && [ ! -f "$ovs/lib/libopenvswitch.la" ]; then
    echo "sanitize: no Open vSwitch build in $ovs; run build-aux/setup.sh"
    exit 1
fi

# A copy of the tracked (and new, not ignored) files, refreshed each run so
# that it matches the work tree; the build in it is incremental.  tar (an
# essential package, unlike cpio) keeps the files' times, so that make
# rebuilds only what changed.  A file that left the tree (deleted or
# moved) would stay in the copy, and objects whose recorded dependencies
# name it would not be rebuilt: then the copy starts over.
mkdir -p "$src"
(cd "$top" && git ls-files --cached --others --exclude-standard) \
    | sort > "$dir/files.new"
if [ -f "$dir/files" ] \
   && [ -n "$(comm -23 "$dir/files" "$dir/files.new" | head -n 1)" ]; then
    echo "sanitize: files left the tree since the last run: building afresh"
    rm -rf "$src"
    mkdir -p "$src"
fi
mv "$dir/files.new" "$dir/files"
(cd "$top" && git ls-files -z --cached --others --exclude-standard \
    | tar --null -T - --ignore-failed-read -cf -) \
    | tar -xf - -C "$src" || {
    echo "sanitize: cannot copy the source tree to $src"
    exit 1
}

flags="-g -O1 -fno-omit-frame-pointer -fsanitize=address,undefined"
flags="$flags -fno-sanitize-recover=all"
cd "$src" || exit 1
if [ ! -x configure ] || [ configure.ac -nt configure ] \
   || [ -n "$(find . -name automake.mk -newer configure | head -n 1)" ] \
   || [ Makefile.am -nt configure ]; then
    build-aux/bootstrap.sh || { echo "sanitize: bootstrap failed"; exit 1; }
fi
if [ ! -f Makefile ] || [ configure -nt Makefile ]; then
    ./configure --quiet --with-ovs-source="$ovs" --with-ovs-build="$ovs" \
        --enable-silent-rules CFLAGS="$flags" LDFLAGS="-fsanitize=address,undefined" \
        > "$dir/configure.log" 2>&1 || {
        echo "sanitize: configure failed"; tail -n 20 "$dir/configure.log"
        exit 1
    }
fi
if ! make -s -j"$(nproc 2>/dev/null || echo 2)" > "$dir/make.log" 2>&1; then
    echo "sanitize: build failed"
    tail -n 30 "$dir/make.log"
    exit 1
fi

rm -rf "$reports"
mkdir -p "$reports"
# log_path makes each process write its report to its own file, so reports
# from daemons and from commands whose failure a test expects still count.
# Leak checking is on: a leak is a report like any other.
ASAN_OPTIONS="log_path=$reports/asan:halt_on_error=1:detect_leaks=1"
ASAN_OPTIONS="$ASAN_OPTIONS:detect_stack_use_after_return=1"
# The Open vSwitch library is built without frame pointers: unwind slowly.
ASAN_OPTIONS="$ASAN_OPTIONS:fast_unwind_on_malloc=0:malloc_context_size=30"
UBSAN_OPTIONS="log_path=$reports/ubsan:halt_on_error=1:print_stacktrace=1"
export ASAN_OPTIONS UBSAN_OPTIONS
log=$dir/check.out
make -s check TESTSUITEFLAGS="-j$(nproc 2>/dev/null || echo 2) $*" \
    > "$log" 2>&1
p=$(grep -Ec '^ *[0-9]+: .* (ok|expected failure)$' "$log")
f=$(grep -Ec '^ *[0-9]+: .* (FAILED \(.*\)|UNEXPECTED PASS)$' "$log")
s=$(grep -Ec '^ *[0-9]+: .* skipped \(.*\)$' "$log")
n=$(find "$reports" -type f | wc -l)
grep -E '^ *[0-9]+: .* (FAILED|UNEXPECTED)' "$log"
for r in $(find "$reports" -type f | head -n 5); do
    echo "sanitize: report $r:"
    head -n 30 "$r" | sed 's/^/  | /'
done
echo "sanitize: host suite: $p passed, $f failed, $s skipped, $n reports"
[ "$p" -gt 0 ] && [ "$f" -eq 0 ] && [ "$n" -eq 0 ]
