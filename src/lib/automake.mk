# Shared helpers: validation of untrusted values, the OVSDB helpers (the
# Open_vSwitch snapshot, rows as JSON, the OVS_Offload server check), worker
# threads and finding an OVS daemon's control socket.
src_libovsoffload_la_SOURCES += \
	src/lib/validate.c src/lib/validate.h \
	src/lib/ovsview.c src/lib/ovsview.h \
	src/lib/dbjson.c src/lib/dbjson.h \
	src/lib/dbcheck.c src/lib/dbcheck.h \
	src/lib/worker.c src/lib/worker.h \
	src/lib/appctl.c src/lib/appctl.h
