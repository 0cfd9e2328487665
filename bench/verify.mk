# "make bench-verify": the verification benchmark (see the script; the live
# comparison runs in the kernel lab).
EXTRA_DIST += bench/verify-bench.sh

# Its helpers: the floor (a bare libmnl tc filter dump, discarded) and the
# traffic that makes ovs-vswitchd install one datapath flow per frame.
noinst_PROGRAMS += bench/tc-dump-floor bench/frame-gen
bench_tc_dump_floor_SOURCES = bench/tc-dump-floor.c
bench_tc_dump_floor_LDADD = $(MNL_LIBS)
# Plain system headers (not the OVS tree's include/linux).
bench_tc_dump_floor_CPPFLAGS = $(MNL_CFLAGS)
bench_frame_gen_SOURCES = bench/frame-gen.c
bench_frame_gen_CPPFLAGS =

bench-verify: tests/test-verify bench/tc-dump-floor bench/frame-gen
	$(SHELL) $(srcdir)/bench/verify-bench.sh
.PHONY: bench-verify
