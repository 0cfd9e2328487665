#!/bin/sh
# The tests' copy of an OVS client program, first in their PATH under the
# program's own name (ovs-vsctl, ovs-appctl, ovsdb-client, ovs-offloadctl):
# runs the real one, the next of that name in PATH, with -vtimeval:off.
# On a loaded machine (the suite runs -j2 on 2 cores, then again under
# ASan) any of them may print timeval's "Unreasonably long 1002ms poll
# interval" warnings to stderr, which measure the machine's load, not a
# fault, and would fail every check that expects an empty stderr.  Open
# vSwitch's own tests pass -vtimeval:off in the same way.  Everything else
# the program prints is left as it is.
name=${0##*/}
self=$(readlink -f "$0")
IFS=:
for dir in $PATH; do
    cand=${dir:-.}/$name
    if [ -x "$cand" ] && [ ! -d "$cand" ] \
       && [ "$(readlink -f "$cand")" != "$self" ]; then
        unset IFS
        # By name, with its directory first in PATH: argv[0] (which the
        # program's messages start with) stays the plain name.
        PATH=${dir:-.}:$PATH
        export PATH
        exec "$name" -vtimeval:off "$@"
    fi
done
echo "$0: no $name in PATH after this wrapper" >&2
exit 127
