# The offload verification report ("ovs-offloadctl verify",
# "offload/verify").  Included from Makefile.am after src/automake.mk.

# The OVS-facing part: unixctl, Open_vSwitch view, OVS_Offload rows.
src_libovsoffload_la_SOURCES += \
	src/verify-ovs.c src/verify-ovs.h

# The plain-C part: tc dump parser, dump-flows parser, kernel evidence, the
# join and its renderers.  It includes no OVS header (the OVS tree ships
# its own linux/*.h, and json-c clashes with libopenvswitch, see
# Makefile.am), so it has its own preprocessor flags; its objects join
# libovsoffload.
noinst_LTLIBRARIES += src/libverify.la
src_libverify_la_SOURCES = \
	src/verify-model.h \
	src/tcdump.c src/tcdump.h \
	src/dpflows.c src/dpflows.h \
	src/evidence.c src/evidence.h \
	src/verify.c src/verify.h \
	src/verify-json.c src/verify-json.h
src_libverify_la_CPPFLAGS = -D_GNU_SOURCE $(JSONC_CPPFLAGS) $(MNL_CFLAGS)
src_libovsoffload_la_LIBADD += src/libverify.la
