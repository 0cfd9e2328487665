#!/bin/sh
# Regenerates the build system (configure, Makefile.in) from configure.ac
# and the automake.mk fragments.
set -e
cd "$(dirname "$0")/.."
autoreconf --install --force > /dev/null
