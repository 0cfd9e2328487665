# Tests of the offload verification report.  Included from Makefile.am
# after tests/automake.mk.

TESTSUITE_AT += tests/verify.at
EXTRA_DIST += $(wildcard $(srcdir)/tests/data/verify/*.* \
	$(srcdir)/tests/data/verify/*/*)

# test-verify: parser, join and renderer unit tests on recorded data.
noinst_PROGRAMS += tests/test-verify
tests_test_verify_SOURCES = tests/test-verify.c
tests_test_verify_LDADD = src/libovsoffload.la

# The tc dump parser's fuzz target, run over its corpus by a standalone
# driver in "make check"; build it with libFuzzer with
# "make fuzz-tcdump" (needs clang).
noinst_PROGRAMS += tests/fuzz-tcdump-run
tests_fuzz_tcdump_run_SOURCES = tests/fuzz-tcdump.c tests/fuzz-driver.c
tests_fuzz_tcdump_run_LDADD = src/libovsoffload.la

FUZZ_CC = clang
fuzz-tcdump: tests/fuzz-tcdump.c src/libovsoffload.la
	$(LIBTOOL) --mode=link $(FUZZ_CC) -g -O1 \
	    -fsanitize=fuzzer,address,undefined $(AM_CPPFLAGS) \
	    $(top_srcdir)/tests/fuzz-tcdump.c src/libovsoffload.la \
	    $(LIBS) -o $@
CLEANFILES += fuzz-tcdump
.PHONY: fuzz-tcdump
