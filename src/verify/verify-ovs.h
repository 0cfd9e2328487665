/*
 * verify-ovs: gathers the inputs of the offload verification report from a
 * running Open vSwitch and the kernel, and publishes the result into the
 * OVS_Offload database.  Shared by "ovs-offloadctl verify" and the
 * daemon's "offload/verify" command.
 */
#ifndef VERIFY_OVS_H
#define VERIFY_OVS_H 1

#include <stdbool.h>
#include <stdio.h>
#include "sset.h"
#include "verify.h"

struct ovsdb_idl;
struct ovsdb_idl_txn;
struct ovsview;

struct verify_options {
    const char *bridge;         /* Only this bridge, if nonnull. */
    const char *vswitchd;       /* unixctl target: a socket path, or a
                                 * daemon name in OVS_RUNDIR (default
                                 * "ovs-vswitchd"). */
    int vswitchd_timeout_ms;    /* Bound on the ovs-vswitchd round trips. */
    bool check_vswitchd;        /* Ask ovs-vswitchd which tc filters belong
                                 * to live flows. */
    const char *record_dir;     /* Write the raw inputs there, if nonnull. */
    const char *sysfs_root;     /* NULL for "/sys". */
    int resample_ms;            /* If positive and some flow is in_hw, dump
                                 * tc again after this long to see software
                                 * counters grow. */
    bool probe;                 /* "--probe": add each filter that is not in
                                 * hardware again with skip_sw, record the
                                 * kernel's extended ack, delete it. */
    int probe_chain;            /* Chain for the probes, or -1: one past the
                                 * device's highest chain. */
};

#define VERIFY_OPTIONS_DEFAULT {                \
    .vswitchd_timeout_ms = 5000,                \
    .resample_ms = 1000,                        \
    .probe_chain = -1,                          \
}

/* The inputs and the report, which points into them. */
struct verify_data {
    struct vfy_flows flows;
    struct vfy_filters filters;
    struct vfy_filters prev;
    struct vfy_evidence ev;     /* Devices, tunnels, config, dp stats. */
    struct sset sources;        /* What the inputs came from. */
    struct vfy_report report;
};

void verify_data_init(struct verify_data *);
void verify_data_destroy(struct verify_data *);

/* Gathers everything and joins it into 'data->report'.  Returns 0, or a
 * positive errno value with '*errorp' set to a malloc()'d message.
 *
 * It uses no global state and touches neither 'view' nor any IDL, so a
 * worker thread can run it on a copy of the view (ovsview_clone()) while
 * the main loop goes on; its only waits are kernel requests and the
 * ovs-vswitchd round trips, each bounded by 'vswitchd_timeout_ms' (and,
 * in the CLI only, the --resample sleep); ETIMEDOUT means one of those
 * round trips ran out of time.  Rendering (verify_render()) and
 * publishing (verify_publish()) then happen on the main thread. */
int verify_collect(const struct ovsview *, const struct verify_options *,
                   struct verify_data *, char **errorp);

/* Writes the report as a table or JSON to 'out', streaming the entries. */
void verify_render(const struct verify_data *, bool json, bool pretty,
                   FILE *out);
char *verify_render_string(const struct verify_data *, bool json,
                           bool pretty);

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
char *verify_unixctl(const struct ovsview *,
                     const struct verify_options *defaults, int argc,
                     const char *argv[], struct ovsdb_idl *,
                     struct ovsdb_idl_txn *, int *status);

#endif /* verify-ovs.h */
