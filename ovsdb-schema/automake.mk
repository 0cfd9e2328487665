dist_pkgdata_DATA += ovsdb-schema/ovs-offload.ovsschema
EXTRA_DIST += \
	ovsdb-schema/ovs-offload-idl.ann \
	ovsdb-schema/ovs-offload.md

ovsdb-schema/ovs-offload.ovsidl: ovsdb-schema/ovs-offload.ovsschema \
		ovsdb-schema/ovs-offload-idl.ann
	$(AM_V_GEN)$(MKDIR_P) ovsdb-schema && \
	$(OVSDB_IDLC) annotate $(srcdir)/ovsdb-schema/ovs-offload.ovsschema \
	    $(srcdir)/ovsdb-schema/ovs-offload-idl.ann > $@.tmp && mv $@.tmp $@

src/lib/offload-idl.h: ovsdb-schema/ovs-offload.ovsidl
	$(AM_V_GEN)$(MKDIR_P) src/lib && \
	$(OVSDB_IDLC) c-idl-header $< > $@.tmp && mv $@.tmp $@

src/lib/offload-idl.c: ovsdb-schema/ovs-offload.ovsidl src/lib/offload-idl.h
	$(AM_V_GEN)$(OVSDB_IDLC) c-idl-source $< > $@.tmp && mv $@.tmp $@

BUILT_SOURCES += src/lib/offload-idl.h src/lib/offload-idl.c
CLEANFILES += ovsdb-schema/ovs-offload.ovsidl src/lib/offload-idl.h \
	src/lib/offload-idl.c
