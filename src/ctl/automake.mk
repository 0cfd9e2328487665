# ovs-offloadctl's own modules (its main is listed in src/automake.mk):
# the QEMU and libvirt snippets of "vm-config".
src_libovsoffload_la_SOURCES += \
	src/ctl/vmconfig.c src/ctl/vmconfig.h
