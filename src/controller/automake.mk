# The controller, ovs-offloadd: intent, the pure planner, apply, status,
# and the one hardware interface (hw.h) with its Linux and fake back ends.
# The daemon's main loop (ovs-offloadd.c) is listed in src/automake.mk.
src_libovsoffload_la_SOURCES += \
	src/controller/intent.c src/controller/intent.h \
	src/controller/intent-vf.c \
	src/controller/plan.c src/controller/plan.h \
	src/controller/apply.c src/controller/apply.h \
	src/controller/status.c src/controller/status.h \
	src/controller/hw.c src/controller/hw.h \
	src/controller/hw-fake.c \
	src/controller/hw-linux.c \
	src/controller/hw-vf.c
