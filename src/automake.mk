# The programs and the library they share.  The library's sources live in
# one directory per layer, each with its own fragment (included from
# Makefile.am after this one):
#
#   src/lib/         validation, OVSDB helpers, worker threads, appctl
#   src/kernel/      the kernel access layer: netlink (rtnetlink, devlink,
#                    ethtool), sysfs and debugfs
#   src/controller/  ovs-offloadd: intent, plan, apply, status and the
#                    hardware interface with its Linux and fake back ends
#   src/audit/       the NIC tuning audit
#   src/verify/      the offload verification report
#   src/ctl/         ovs-offloadctl
#
# A layer uses only the layers listed above it; docs/design.md names the
# exceptions.

noinst_LTLIBRARIES += src/libovsoffload.la
src_libovsoffload_la_SOURCES =
nodist_src_libovsoffload_la_SOURCES = \
	src/lib/offload-idl.c src/lib/offload-idl.h
src_libovsoffload_la_LIBADD = $(OVS_LIBS) $(MNL_LIBS) $(JSONC_LIBS)

sbin_PROGRAMS += src/ovs-offloadd
src_ovs_offloadd_SOURCES = src/controller/ovs-offloadd.c
src_ovs_offloadd_LDADD = src/libovsoffload.la

bin_PROGRAMS += src/ovs-offloadctl
src_ovs_offloadctl_SOURCES = src/ctl/ovs-offloadctl.c
src_ovs_offloadctl_LDADD = src/libovsoffload.la
