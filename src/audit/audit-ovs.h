/*
 * audit-ovs: the tuning audit's OVS_Offload side: the targets from the
 * Uplink rows, the Audit_Finding rows the daemon publishes, and the
 * "ovs-offloadctl audit" front end.
 */
#ifndef AUDIT_OVS_H
#define AUDIT_OVS_H 1

#include <stdbool.h>
#include <stddef.h>

struct audit_report;
struct audit_target;
struct ovsdb_idl;
struct ovsdb_idl_txn;
struct smap;

/* Fills '*targetsp' with one target per Uplink row of 'idl', sorted by
 * name, and 'bridges' with name -> bridge.  The names point into the IDL's
 * rows: use them before the next ovsdb_idl_run(). */
void audit_ovs_targets(const struct ovsdb_idl *, struct audit_target **,
                       size_t *n, struct smap *bridges);

/* Makes the Audit_Finding rows of 'idl' match the findings of 'r' (only
 * entries with status AUDIT_FINDING), writing only what differs.  'bridges'
 * maps a device to its bridge. */
void audit_ovs_publish(const struct audit_report *, const struct smap *bridges,
                       struct ovsdb_idl *, struct ovsdb_idl_txn *);

/* "ovs-offloadctl audit [OPTIONS] [DEVICE...]": argv[0] is "audit";
 * 'json' and 'pretty' are the global --format=json and --pretty.  Returns
 * the exit status: 0 no findings, 1 findings, 2 error. */
int audit_command(int argc, char *argv[], const char *db, bool json,
                  bool pretty);

#endif /* audit-ovs.h */
