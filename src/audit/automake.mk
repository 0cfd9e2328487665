# The NIC tuning audit: the pure checks, the facts gathered from a hardware
# snapshot, and its OVS_Offload side.
src_libovsoffload_la_SOURCES += \
	src/audit/audit.c src/audit/audit.h \
	src/audit/audit-probe.c src/audit/audit-probe.h \
	src/audit/audit-ovs.c src/audit/audit-ovs.h
