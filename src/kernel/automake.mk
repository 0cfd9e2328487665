# The kernel access layer, used by the controller, the audit and the
# verifier alike: one netlink helper (nlsock) under rtnetlink, devlink and
# ethtool netlink, and the sysfs/debugfs files under the configured roots.
src_libovsoffload_la_SOURCES += \
	src/kernel/nlsock.c src/kernel/nlsock.h \
	src/kernel/rtnl.c src/kernel/rtnl.h \
	src/kernel/rtnl-vf.c src/kernel/rtnl-vf.h \
	src/kernel/devlink.c src/kernel/devlink.h \
	src/kernel/ethtool-nl.c src/kernel/ethtool-nl.h \
	src/kernel/sysfs.c src/kernel/sysfs.h \
	src/kernel/sysfs-vf.c src/kernel/sysfs-vf.h \
	src/kernel/ovsdp.c src/kernel/ovsdp.h \
	src/kernel/vdpa.c src/kernel/vdpa.h
