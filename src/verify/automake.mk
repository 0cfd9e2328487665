# The offload verification report ("ovs-offloadctl verify",
# "offload/verify").
#
# It reads the kernel through src/kernel (nlsock, devlink, ethtool-nl, rtnl,
# sysfs) like the controller does.  The tc dump parser (tcdump) lives here
# because it fills the report's own types (verify-model.h); it sends its
# requests through nlsock.  The JSON is written as a stream, without json-c.
src_libovsoffload_la_SOURCES += \
	src/verify/verify-model.h \
	src/verify/tcdump.c src/verify/tcdump.h \
	src/verify/dpflows.c src/verify/dpflows.h \
	src/verify/evidence.c src/verify/evidence.h \
	src/verify/verify.c src/verify/verify.h \
	src/verify/verify-catalogue.c src/verify/verify-catalogue.h \
	src/verify/verify-json.c \
	src/verify/lanes.c src/verify/lanes.h \
	src/verify/verify-ovs.c src/verify/verify-ovs.h
