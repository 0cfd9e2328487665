/*
 * verify-ovs: gathers the inputs of the offload verification report from a
 * running Open vSwitch and the kernel, and publishes the result into the
 * OVS_Offload database.  Shared by "ovs-offloadctl verify" and the
 * daemon's "offload/verify" command.
 */
#ifndef VERIFY_OVS_H
#define VERIFY_OVS_H 1

#include <stdbool.h>
#include "verify.h"

struct ovsdb_idl;
struct ovsdb_idl_txn;
struct ovsview;

struct verify_options {
    const char *bridge;         /* Only this bridge, if nonnull. */
    const char *vswitchd;       /* unixctl target: a socket path, or a
                                 * daemon name in OVS_RUNDIR (default
                                 * "ovs-vswitchd"). */
    const char *record_dir;     /* Write the raw inputs there, if nonnull. */
    int resample_ms;            /* If positive and some flow is in_hw, dump
                                 * tc again after this long to see software
                                 * counters grow. */
};

/* The inputs and the report, which points into them. */
struct verify_data {
    struct vfy_flows flows;
    struct vfy_filters filters;
    struct vfy_filters prev;
    struct vfy_devs devs;
    struct vfy_tunnel *tunnels;
    size_t n_tunnels;
    struct vfy_config config;
    struct vfy_report report;
};

void verify_data_init(struct verify_data *);
void verify_data_destroy(struct verify_data *);

/* Gathers everything and joins it into 'data->report'.  Returns 0, or a
 * positive errno value with '*errorp' set to a malloc()'d message. */
int verify_collect(const struct ovsview *, const struct verify_options *,
                   struct verify_data *, char **errorp);

/* Writes a Verify_Report row (and Flow_Verdict rows for the entries that
 * are not in hardware, at most VERIFY_MAX_DB_ROWS) in 'txn' and points
 * Global.last_verify at it.  'r' is NULL if the report failed with
 * 'error'. */
#define VERIFY_MAX_DB_ROWS 1000
void verify_publish(const struct vfy_report *r, const char *error,
                    struct ovsdb_idl *, struct ovsdb_idl_txn *);

/* "ovs-offloadctl verify": 'argv[0]' is "verify".  Returns the exit status
 * (0, 1, or 2). */
int verify_command(int argc, char *argv[], const char *db, bool json,
                   bool pretty);

/* The daemon's "offload/verify [--format=json] [--bridge=BR]": returns the
 * reply (malloc()'d) and sets '*status' to the report's exit status (2 on
 * error).  Publishes into 'txn', if nonnull. */
char *verify_unixctl(const struct ovsview *, int argc, const char *argv[],
                     struct ovsdb_idl *, struct ovsdb_idl_txn *,
                     int *status);

#endif /* verify-ovs.h */
