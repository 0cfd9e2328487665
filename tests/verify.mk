# Tests of the offload verification report.  Included from Makefile.am
# after tests/automake.mk.

TESTSUITE_AT += tests/verify.at
EXTRA_DIST += $(wildcard $(srcdir)/tests/data/verify/*.* \
	$(srcdir)/tests/data/verify/*/*)

# test-verify: parser, join and renderer unit tests on recorded data.
noinst_PROGRAMS += tests/test-verify
tests_test_verify_SOURCES = tests/test-verify.c
tests_test_verify_CPPFLAGS = -D_GNU_SOURCE $(JSONC_CPPFLAGS) $(MNL_CFLAGS)
tests_test_verify_LDADD = src/libovsoffload.la

# The tc dump parser's fuzz target, run over its corpus by a standalone
# driver in "make check"; build it with libFuzzer with
# "make fuzz-tcdump" (needs clang).
noinst_PROGRAMS += tests/fuzz-tcdump-run
tests_fuzz_tcdump_run_SOURCES = tests/fuzz-tcdump.c tests/fuzz-driver.c \
	src/tcdump.c
tests_fuzz_tcdump_run_CPPFLAGS = -D_GNU_SOURCE -I$(top_srcdir)/src $(MNL_CFLAGS)
tests_fuzz_tcdump_run_LDADD = $(MNL_LIBS)

FUZZ_CC = clang
fuzz-tcdump: tests/fuzz-tcdump.c src/tcdump.c
	$(FUZZ_CC) -g -O1 -fsanitize=fuzzer,address,undefined -D_GNU_SOURCE \
	    -I$(top_srcdir)/src $(MNL_CFLAGS) \
	    $(top_srcdir)/tests/fuzz-tcdump.c $(top_srcdir)/src/tcdump.c \
	    $(MNL_LIBS) -o $@
CLEANFILES += fuzz-tcdump
.PHONY: fuzz-tcdump
