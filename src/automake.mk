# Programs and the library they share.

noinst_LTLIBRARIES += src/libovsoffload.la
src_libovsoffload_la_SOURCES = \
	src/ovsview.c src/ovsview.h \
	src/status.c src/status.h \
	src/dbjson.c src/dbjson.h \
	src/hw.c src/hw.h \
	src/hw-fake.c \
	src/hw-linux.c \
	src/nlsock.c src/nlsock.h \
	src/sysfs.c src/sysfs.h \
	src/devlink.c src/devlink.h \
	src/rtnl.c src/rtnl.h \
	src/ethtool-nl.c src/ethtool-nl.h \
	src/intent.c src/intent.h src/intent-vf.c \
	src/rtnl-vf.c src/rtnl-vf.h src/hw-vf.c src/sysfs-vf.c src/sysfs-vf.h \
	src/vmconfig.c src/vmconfig.h \
	src/plan.c src/plan.h \
	src/apply.c src/apply.h \
	src/worker.c src/worker.h \
	src/appctl.c src/appctl.h \
	src/validate.c src/validate.h \
	src/dbcheck.c src/dbcheck.h \
	src/audit.c src/audit.h \
	src/audit-probe.c src/audit-probe.h \
	src/audit-ovs.c src/audit-ovs.h
nodist_src_libovsoffload_la_SOURCES = \
	src/offload-idl.c src/offload-idl.h
src_libovsoffload_la_LIBADD = $(OVS_LIBS) $(MNL_LIBS) $(JSONC_LIBS)

sbin_PROGRAMS += src/ovs-offloadd
src_ovs_offloadd_SOURCES = src/ovs-offloadd.c
src_ovs_offloadd_LDADD = src/libovsoffload.la

bin_PROGRAMS += src/ovs-offloadctl
src_ovs_offloadctl_SOURCES = src/ovs-offloadctl.c
src_ovs_offloadctl_LDADD = src/libovsoffload.la
