# Running it as a service: the OVS_Offload database set-up script, the
# systemd unit, its options file and the logrotate file.

sbin_SCRIPTS = src/ovs-offload-db
EXTRA_DIST += src/ovs-offload-db.in \
	src/systemd/ovs-offloadd.service.in \
	src/systemd/ovs-offloadd.default \
	src/systemd/ovs-offload.logrotate.in
CLEANFILES += src/ovs-offload-db src/systemd/ovs-offloadd.service \
	src/systemd/ovs-offload.logrotate

# Directories are substituted at make time, as the GNU Coding Standards
# ask (they may refer to ${prefix}).
edit = sed \
	-e 's|@VERSION[@]|$(PACKAGE_VERSION)|g' \
	-e 's|@pkgdatadir[@]|$(pkgdatadir)|g' \
	-e 's|@sbindir[@]|$(sbindir)|g' \
	-e 's|@sysconfdir[@]|$(sysconfdir)|g' \
	-e 's|@OVS_DBDIR[@]|$(OVS_DBDIR)|g' \
	-e 's|@OVS_RUNDIR[@]|$(OVS_RUNDIR)|g' \
	-e 's|@OVS_DEFAULTS[@]|$(OVS_DEFAULTS)|g' \
	-e 's|@OVSO_LOGDIR[@]|$(OVSO_LOGDIR)|g' \
	-e 's|@OVSO_DBDIR[@]|$(OVSO_DBDIR)|g'

src/ovs-offload-db: src/ovs-offload-db.in Makefile
	$(AM_V_GEN)$(MKDIR_P) src && $(edit) $(srcdir)/src/ovs-offload-db.in \
	    > $@.tmp && chmod +x $@.tmp && mv $@.tmp $@

src/systemd/ovs-offloadd.service: src/systemd/ovs-offloadd.service.in Makefile
	$(AM_V_GEN)$(MKDIR_P) src/systemd && \
	$(edit) $(srcdir)/src/systemd/ovs-offloadd.service.in > $@.tmp && \
	mv $@.tmp $@

src/systemd/ovs-offload.logrotate: src/systemd/ovs-offload.logrotate.in \
		Makefile
	$(AM_V_GEN)$(MKDIR_P) src/systemd && \
	$(edit) $(srcdir)/src/systemd/ovs-offload.logrotate.in > $@.tmp && \
	mv $@.tmp $@

systemdunit_DATA = src/systemd/ovs-offloadd.service
all-local: src/systemd/ovs-offload.logrotate

# /etc/default/ovs-offloadd and /etc/logrotate.d/ovs-offload: installed
# under names without a suffix.
install-data-local: src/systemd/ovs-offload.logrotate
	$(MKDIR_P) '$(DESTDIR)$(sysconfdir)/default' \
	    '$(DESTDIR)$(sysconfdir)/logrotate.d' '$(DESTDIR)$(OVSO_LOGDIR)' \
	    '$(DESTDIR)$(OVSO_DBDIR)'
	$(INSTALL_DATA) $(srcdir)/src/systemd/ovs-offloadd.default \
	    '$(DESTDIR)$(sysconfdir)/default/ovs-offloadd'
	$(INSTALL_DATA) src/systemd/ovs-offload.logrotate \
	    '$(DESTDIR)$(sysconfdir)/logrotate.d/ovs-offload'

uninstall-local:
	rm -f '$(DESTDIR)$(sysconfdir)/default/ovs-offloadd' \
	    '$(DESTDIR)$(sysconfdir)/logrotate.d/ovs-offload'
TESTSUITE_AT += tests/dbsetup.at
