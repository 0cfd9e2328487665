dnl Autoconf checks for ovs-offload.
dnl
dnl OVSO_CHECK_OVS
dnl
dnl Locates the Open vSwitch source and build trees that ovs-offload
dnl compiles and links against.  Installed Open vSwitch packages carry only
dnl the public headers under include/openvswitch, while the daemon needs the
dnl library's internal API (the OVSDB IDL, unixctl, daemon, db-ctl-base), so a
dnl configured and built source tree is required, as for OVN.
AC_DEFUN([OVSO_CHECK_OVS], [
  AC_ARG_WITH([ovs-source],
    [AS_HELP_STRING([--with-ovs-source=DIR],
                    [Open vSwitch source tree (default: .ovs/src, as made by
                     build-aux/ovs-tree.sh)])],
    [OVS_SRCDIR=$withval], [OVS_SRCDIR=$srcdir/.ovs/src])
  AC_ARG_WITH([ovs-build],
    [AS_HELP_STRING([--with-ovs-build=DIR],
                    [Open vSwitch build tree (default: the source tree)])],
    [OVS_BUILDDIR=$withval], [OVS_BUILDDIR=$OVS_SRCDIR])

  AC_MSG_CHECKING([for an Open vSwitch source tree])
  OVS_SRCDIR=`cd "$OVS_SRCDIR" 2>/dev/null && pwd`
  if test -z "$OVS_SRCDIR" || test ! -f "$OVS_SRCDIR/lib/ovsdb-idl.h"; then
    AC_MSG_RESULT([no])
    AC_MSG_ERROR([no Open vSwitch source tree found: pass --with-ovs-source=DIR,
or run build-aux/ovs-tree.sh, which unpacks and builds the one in Debian's
openvswitch-source package into .ovs/src])
  fi
  AC_MSG_RESULT([$OVS_SRCDIR])

  AC_MSG_CHECKING([for an Open vSwitch build tree])
  OVS_BUILDDIR=`cd "$OVS_BUILDDIR" 2>/dev/null && pwd`
  if test -z "$OVS_BUILDDIR" \
     || test ! -f "$OVS_BUILDDIR/lib/libopenvswitch.la" \
     || test ! -f "$OVS_BUILDDIR/ovsdb/libovsdb.la" \
     || test ! -f "$OVS_BUILDDIR/lib/vswitch-idl.h" \
     || test ! -f "$OVS_BUILDDIR/config.h"; then
    AC_MSG_RESULT([no])
    AC_MSG_ERROR([$OVS_BUILDDIR is not a built Open vSwitch tree (it needs
lib/libopenvswitch.la, ovsdb/libovsdb.la, lib/vswitch-idl.h and config.h):
pass --with-ovs-build=DIR or run build-aux/ovs-tree.sh])
  fi
  AC_MSG_RESULT([$OVS_BUILDDIR])

  AC_MSG_CHECKING([whether Open vSwitch's json_object_put is renamed])
  if grep -q ovs_json_object_put "$OVS_BUILDDIR/lib/.libs/libopenvswitch.a" \
       2>/dev/null; then
    AC_MSG_RESULT([yes])
  else
    AC_MSG_RESULT([no])
    AC_MSG_ERROR([$OVS_BUILDDIR was not built with
CPPFLAGS=-Djson_object_put=ovs_json_object_put: libopenvswitch and json-c
would both define json_object_put().  Build the tree with
build-aux/ovs-tree.sh, or configure it with that CPPFLAGS])
  fi

  AC_MSG_CHECKING([Open vSwitch version])
  OVS_VERSION=`sed -n 's/^#define PACKAGE_VERSION "\(.*\)"$/\1/p' \
               "$OVS_BUILDDIR/config.h"`
  AC_MSG_RESULT([$OVS_VERSION])

  AC_SUBST([OVS_SRCDIR])
  AC_SUBST([OVS_BUILDDIR])
  AC_SUBST([OVS_VERSION])
])

dnl OVSO_SERVICE_DIRS
dnl
dnl Where the service files go, and the Open vSwitch directories that the
dnl database set-up script works with (those of Debian's openvswitch-switch
dnl by default; OVS_DBDIR and OVS_RUNDIR in the environment still override
dnl them at run time, as for the OVS tools).
AC_DEFUN([OVSO_SERVICE_DIRS], [
  AC_ARG_WITH([systemdsystemunitdir],
    [AS_HELP_STRING([--with-systemdsystemunitdir=DIR],
                    [systemd unit directory (default: PREFIX/lib/systemd/system;
                     Debian: /lib/systemd/system)])],
    [systemdunitdir=$withval], [systemdunitdir='${prefix}/lib/systemd/system'])
  AC_ARG_WITH([ovs-dbdir],
    [AS_HELP_STRING([--with-ovs-dbdir=DIR],
                    [where ovsdb-server's databases are (default: /etc/openvswitch)])],
    [OVS_DBDIR=$withval], [OVS_DBDIR=/etc/openvswitch])
  AC_ARG_WITH([ovs-rundir],
    [AS_HELP_STRING([--with-ovs-rundir=DIR],
                    [Open vSwitch's run directory (default: /var/run/openvswitch)])],
    [OVS_RUNDIR=$withval], [OVS_RUNDIR=/var/run/openvswitch])
  AC_ARG_WITH([ovs-defaults],
    [AS_HELP_STRING([--with-ovs-defaults=FILE],
                    [ovs-ctl's options file, with OVS_CTL_OPTS
                     (default: /etc/default/openvswitch-switch)])],
    [OVS_DEFAULTS=$withval], [OVS_DEFAULTS=/etc/default/openvswitch-switch])
  dnl The OVS_Offload database is state, like Debian's conf.db (which
  dnl /etc/openvswitch only links to): it lives under /var/lib.
  OVSO_LOGDIR='${localstatedir}/log/ovs-offload'
  OVSO_DBDIR='${localstatedir}/lib/ovs-offload'
  AC_SUBST([OVSO_DBDIR])
  AC_SUBST([systemdunitdir])
  AC_SUBST([OVS_DBDIR])
  AC_SUBST([OVS_RUNDIR])
  AC_SUBST([OVS_DEFAULTS])
  AC_SUBST([OVSO_LOGDIR])
])
