# The test suite: GNU Autotest, with the Open vSwitch tree's ovs-macros.at
# (included from that tree, not copied) and our own macros.

noinst_PROGRAMS += tests/test-plan
tests_test_plan_SOURCES = tests/test-plan.c
tests_test_plan_LDADD = src/libovsoffload.la

TESTSUITE_AT = \
	tests/testsuite.at \
	tests/ovs-offload-macros.at \
	tests/daemon.at \
	tests/ctl.at \
	tests/plan.at \
	tests/reconcile.at
EXTRA_DIST += $(TESTSUITE_AT) tests/atlocal.in tests/wedged-unixctl.py \
	tests/quiet/wrapper.sh tests/quiet/ovs-vsctl tests/quiet/ovs-appctl \
	tests/quiet/ovsdb-client tests/quiet/ovs-offloadctl
TESTSUITE = $(builddir)/tests/testsuite
AUTOTEST = $(AUTOM4TE) -l autotest
DISTCLEANFILES = tests/atconfig tests/atlocal

tests/package.m4: $(top_srcdir)/configure.ac
	$(AM_V_GEN){ \
	  echo '# Signature of the current package.'; \
	  echo 'm4_define([AT_PACKAGE_NAME],      [$(PACKAGE_NAME)])'; \
	  echo 'm4_define([AT_PACKAGE_TARNAME],   [$(PACKAGE_TARNAME)])'; \
	  echo 'm4_define([AT_PACKAGE_VERSION],   [$(PACKAGE_VERSION)])'; \
	  echo 'm4_define([AT_PACKAGE_STRING],    [$(PACKAGE_STRING)])'; \
	  echo 'm4_define([AT_PACKAGE_BUGREPORT], [$(PACKAGE_BUGREPORT)])'; \
	} > $@

$(TESTSUITE): tests/package.m4 $(TESTSUITE_AT)
	$(AM_V_GEN)$(AUTOTEST) -I tests -I '$(srcdir)/tests' -I '$(srcdir)' \
	    -I '$(OVS_SRCDIR)' -o $@.tmp $(srcdir)/tests/testsuite.at && \
	mv $@.tmp $@

# tests/quiet comes first: the OVS client programs run with -vtimeval:off
# there (see tests/quiet/wrapper.sh).
AUTOTEST_QUIET = $(abs_top_srcdir)/tests/quiet
AUTOTEST_PATH = $(AUTOTEST_QUIET):$(abs_top_builddir)/src:$(abs_top_builddir)/tests

check-local: tests/atconfig tests/atlocal $(TESTSUITE) $(bin_PROGRAMS) \
		$(sbin_PROGRAMS) $(noinst_PROGRAMS)
	$(SHELL) '$(TESTSUITE)' -C tests AUTOTEST_PATH='$(AUTOTEST_PATH)' \
	    $(TESTSUITEFLAGS)

clean-local:
	test ! -f '$(TESTSUITE)' || $(SHELL) '$(TESTSUITE)' -C tests --clean
	rm -f $(TESTSUITE) tests/package.m4

# Unit tests and lab diagnostics of the Linux hardware back end.
TESTSUITE_AT += tests/hw.at
noinst_PROGRAMS += tests/test-hw
tests_test_hw_SOURCES = tests/test-hw.c
tests_test_hw_LDADD = src/libovsoffload.la

# The NIC tuning audit.
TESTSUITE_AT += tests/audit.at
noinst_PROGRAMS += tests/test-audit
tests_test_audit_SOURCES = tests/test-audit.c
tests_test_audit_LDADD = src/libovsoffload.la
# The fuzz target of the kernel access layer's netlink parsers (link,
# devlink, ethtool), run over the parser tests' messages by the standalone
# driver in "make check"; build it with libFuzzer with "make fuzz-netlink"
# (needs clang).
noinst_PROGRAMS += tests/fuzz-netlink-run
tests_fuzz_netlink_run_SOURCES = tests/fuzz-netlink.c tests/fuzz-driver.c \
	tests/fuzz-netlink.h
tests_fuzz_netlink_run_CPPFLAGS = $(AM_CPPFLAGS) $(MNL_CFLAGS)
tests_fuzz_netlink_run_LDADD = src/libovsoffload.la

FUZZ_NETLINK_SRCS = tests/fuzz-netlink.c src/kernel/rtnl.c \
	src/kernel/devlink.c src/kernel/ethtool-nl.c src/kernel/nlsock.c \
	src/lib/validate.c src/kernel/sysfs.c src/kernel/ovsdp.c
fuzz-netlink: $(FUZZ_NETLINK_SRCS)
	$(LIBTOOL) --mode=link $(FUZZ_CC) -g -O1 \
	    -fsanitize=fuzzer,address,undefined -DHAVE_CONFIG_H -I. \
	    $(AM_CPPFLAGS) $(addprefix $(top_srcdir)/,$(FUZZ_NETLINK_SRCS)) \
	    $(OVS_LIBS) $(MNL_LIBS) -o $@
CLEANFILES += fuzz-netlink
.PHONY: fuzz-netlink

# Issue 13: per-VF intent (VF settings, binding, vDPA).
TESTSUITE_AT += tests/vf.at
noinst_PROGRAMS += tests/test-intent
tests_test_intent_SOURCES = tests/test-intent.c
tests_test_intent_LDADD = src/libovsoffload.la
EXTRA_DIST += tests/data/malformed-intents.txt tests/data/malformed-intents.hw
noinst_PROGRAMS += tests/test-vf
tests_test_vf_SOURCES = tests/test-vf.c
tests_test_vf_LDADD = src/libovsoffload.la
