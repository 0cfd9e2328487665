# The offload verification report ("ovs-offloadctl verify",
# "offload/verify").  Included from Makefile.am after src/automake.mk.
#
# It uses the project's kernel access layer (nlsock, devlink, ethtool-nl,
# rtnl, sysfs) and the OVS library like the rest of libovsoffload; its JSON
# is written as a stream, without json-c.
src_libovsoffload_la_SOURCES += \
	src/verify-model.h \
	src/tcdump.c src/tcdump.h \
	src/dpflows.c src/dpflows.h \
	src/evidence.c src/evidence.h \
	src/verify.c src/verify.h \
	src/verify-catalogue.c src/verify-catalogue.h \
	src/verify-json.c \
	src/verify-ovs.c src/verify-ovs.h
