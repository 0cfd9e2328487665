/*
 * audit-ovs: OVS_Offload side and command-line front end of the tuning
 * audit.  See audit-ovs.h.
 */
#include <config.h>

#include "audit-ovs.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "audit-probe.h"
#include "hw.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/json.h"
#include "openvswitch/poll-loop.h"
#include "openvswitch/shash.h"
#include "ovsdb-idl.h"
#include "smap.h"
#include "sysfs.h"
#include "timeval.h"
#include "util.h"
#include "offload-idl.h"

static int
smap_get_int_or(const struct smap *m, const char *key, int dflt)
{
    const char *s = smap_get(m, key);
    int v;

    return s && str_to_int(s, 10, &v) && v >= 0 ? v : dflt;
}

static int
compare_targets(const void *a_, const void *b_)
{
    const struct audit_target *a = a_, *b = b_;
    return strcmp(a->name, b->name);
}

void
audit_ovs_targets(const struct ovsdb_idl *idl, struct audit_target **tp,
                  size_t *np, struct smap *bridges)
{
    const struct offrec_uplink *u;
    size_t n = 0, allocated = 0;
    struct audit_target *t = NULL;

    OFFREC_UPLINK_FOR_EACH (u, idl) {
        if (n >= allocated) {
            t = x2nrealloc(t, &allocated, sizeof *t);
        }
        t[n].name = u->name;
        t[n].channels_before = smap_get_int_or(&u->evidence,
                                               "channels_before", -1);
        t[n].desired_vfs = smap_get_int_or(&u->desired, "num_vfs", -1);
        t[n].desired_mtu = smap_get_int_or(&u->desired, "mtu", -1);
        n++;
        if (bridges) {
            smap_replace(bridges, u->name, u->bridge);
        }
    }
    if (n) {
        qsort(t, n, sizeof *t, compare_targets);
    }
    *tp = t;
    *np = n;
}

static bool
str_eq(const char *a, const char *b)
{
    return !strcmp(a ? a : "", b ? b : "");
}

void
audit_ovs_publish(const struct audit_report *r, const struct smap *bridges,
                  struct ovsdb_idl *idl, struct ovsdb_idl_txn *txn)
{
    struct shash want = SHASH_INITIALIZER(&want);
    const struct offrec_audit_finding *row;

    for (size_t i = 0; i < r->n; i++) {
        const struct audit_entry *e = &r->entries[i];
        if (e->status == AUDIT_FINDING) {
            char *key = xasprintf("%s/%s", e->device, e->check);
            shash_replace(&want, key, e);
            free(key);
        }
    }

    OFFREC_AUDIT_FINDING_FOR_EACH_SAFE (row, idl) {
        char *key = xasprintf("%s/%s", row->device, row->check);
        const struct audit_entry *e = shash_find_and_delete(&want, key);

        free(key);
        if (!e) {
            offrec_audit_finding_delete(row);
            continue;
        }
        const char *bridge = smap_get(bridges, e->device);
        if (!str_eq(row->bridge, bridge)) {
            offrec_audit_finding_set_bridge(row, bridge ? bridge : "");
        }
        if (!str_eq(row->found, e->found)) {
            offrec_audit_finding_set_found(row, e->found);
        }
        if (!str_eq(row->expected, e->expected)) {
            offrec_audit_finding_set_expected(row, e->expected);
        }
        if (!str_eq(row->why, e->why)) {
            offrec_audit_finding_set_why(row, e->why);
        }
        if (!str_eq(row->fix, e->fix)) {
            offrec_audit_finding_set_fix(row, e->fix);
        }
    }

    struct shash_node *node;
    SHASH_FOR_EACH (node, &want) {
        const struct audit_entry *e = node->data;
        const char *bridge = smap_get(bridges, e->device);

        row = offrec_audit_finding_insert(txn);
        offrec_audit_finding_set_device(row, e->device);
        offrec_audit_finding_set_check(row, e->check);
        offrec_audit_finding_set_bridge(row, bridge ? bridge : "");
        offrec_audit_finding_set_found(row, e->found);
        offrec_audit_finding_set_expected(row, e->expected);
        offrec_audit_finding_set_why(row, e->why);
        offrec_audit_finding_set_fix(row, e->fix);
    }
    shash_destroy(&want);
}

/* Waits until 'idl' has its first contents.  False if the database cannot
 * be reached or has no such schema before 'deadline'. */
static bool
audit_idl_ready(struct ovsdb_idl *idl, long long int deadline)
{
    while (time_msec() < deadline) {
        ovsdb_idl_run(idl);
        if (ovsdb_idl_has_ever_connected(idl)
            && ovsdb_idl_get_seqno(idl) > 1) {
            return true;
        }
        if (!ovsdb_idl_is_alive(idl)) {
            return false;
        }
        ovsdb_idl_wait(idl);
        poll_timer_wait_until(deadline);
        poll_block();
    }
    return false;
}

static void
audit_usage_error(const char *msg)
{
    fprintf(stderr, "audit: %s (see \"ovs-offloadctl --help\")\n", msg);
}

int
audit_command(int argc, char *argv[], const char *db, bool json,
              bool pretty)
{
    enum { OPT_FORMAT = UCHAR_MAX + 1, OPT_PRETTY, OPT_ALL, OPT_SYSFS,
           OPT_PROC, OPT_DEBUGFS, OPT_HW, OPT_NO_DB };
    static const struct option long_options[] = {
        {"format", required_argument, NULL, OPT_FORMAT},
        {"pretty", no_argument, NULL, OPT_PRETTY},
        {"all", no_argument, NULL, OPT_ALL},
        {"sysfs-root", required_argument, NULL, OPT_SYSFS},
        {"proc-root", required_argument, NULL, OPT_PROC},
        {"debugfs-root", required_argument, NULL, OPT_DEBUGFS},
        {"hw", required_argument, NULL, OPT_HW},
        {"no-db", no_argument, NULL, OPT_NO_DB},
        {NULL, 0, NULL, 0},
    };
    struct hw_options hw_options = { .sysfs_root = "/sys",
                                     .debugfs_root = "/sys/kernel/debug" };
    const char *proc_root = "/proc";
    const char *hw_spec = "linux";
    bool all = false, use_db = true;
    struct audit_target *targets = NULL;
    struct smap bridges = SMAP_INITIALIZER(&bridges);
    struct ovsdb_idl *idl = NULL;
    struct audit_probe *probe = NULL;
    struct hw_snapshot snap;
    struct hw *hw = NULL;
    struct audit_report report;
    size_t n_targets = 0;
    char *error = NULL;
    int status = 2;

    optind = 0;             /* Re-initialize getopt: permute arguments. */
    for (;;) {
        int c = getopt_long(argc, argv, "", long_options, NULL);
        if (c == -1) {
            break;
        }
        switch (c) {
        case OPT_FORMAT:
            if (!strcmp(optarg, "json")) {
                json = true;
            } else if (!strcmp(optarg, "table")) {
                json = false;
            } else {
                audit_usage_error("--format is table or json");
                return 2;
            }
            break;
        case OPT_PRETTY:
            pretty = true;
            break;
        case OPT_ALL:
            all = true;
            break;
        case OPT_SYSFS:
            hw_options.sysfs_root = optarg;
            break;
        case OPT_PROC:
            proc_root = optarg;
            break;
        case OPT_DEBUGFS:
            hw_options.debugfs_root = optarg;
            break;
        case OPT_HW:
            hw_spec = optarg;
            break;
        case OPT_NO_DB:
            use_db = false;
            break;
        case '?':
        default:
            return 2;
        }
    }

    audit_report_init(&report);
    hw_snapshot_init(&snap);

    /* What the controller knows: the managed uplinks, their channel count
     * from before switchdev, their declared VFs and MTU.  Needed without
     * DEVICE arguments; useful with them. */
    if (use_db) {
        idl = ovsdb_idl_create(db, &offrec_idl_class, true, false);
        ovsdb_idl_set_leader_only(idl, false);
        if (!audit_idl_ready(idl, time_msec() + 5000)) {
            ovsdb_idl_destroy(idl);
            idl = NULL;
            if (optind == argc) {
                fprintf(stderr, "audit: %s: cannot read the OVS_Offload "
                        "database for the managed uplinks; name the "
                        "devices or give --no-db with them\n", db);
                goto out;
            }
        }
    } else if (optind == argc) {
        audit_usage_error("--no-db needs DEVICE arguments");
        goto out;
    }

    if (hw_open(hw_spec, &hw_options, &hw, &error)
        || hw_observe(hw, &snap, &error)) {
        fprintf(stderr, "audit: %s\n", error);
        goto out;
    }

    if (audit_probe_open(hw_options.sysfs_root, proc_root,
                         !strcmp(hw_spec, "linux"), &probe, &error)) {
        fprintf(stderr, "audit: %s\n", error);
        goto out;
    }

    struct audit_target *known = NULL;
    size_t n_known = 0;
    if (idl) {
        audit_ovs_targets(idl, &known, &n_known, &bridges);
    }
    if (optind == argc) {
        if (!n_known) {
            fprintf(stderr, "audit: no managed uplinks in OVS_Offload; "
                    "name the devices to audit\n");
            free(known);
            goto out;
        }
        targets = known;
        n_targets = n_known;
    } else {
        targets = xcalloc(argc - optind, sizeof *targets);
        for (int i = optind; i < argc; i++) {
            char *ifname;

            error = audit_resolve_device(probe, &snap, argv[i], &ifname);
            if (error) {
                fprintf(stderr, "audit: %s\n", error);
                for (size_t j = 0; j < n_targets; j++) {
                    free(CONST_CAST(char *, targets[j].name));
                }
                free(targets);
                free(known);
                goto out;
            }
            struct audit_target *t = &targets[n_targets++];
            t->name = ifname;
            t->channels_before = t->desired_vfs = t->desired_mtu = -1;
            for (size_t j = 0; j < n_known; j++) {
                if (!strcmp(known[j].name, ifname)) {
                    t->channels_before = known[j].channels_before;
                    t->desired_vfs = known[j].desired_vfs;
                    t->desired_mtu = known[j].desired_mtu;
                }
            }
        }
        free(known);
    }

    {
        audit_run(probe, &snap, targets, n_targets, &report, &error);
        if (error) {
            /* A managed uplink that is gone: audit the others. */
            fprintf(stderr, "audit: %s\n", error);
        }
        if (json) {
            struct json *j = audit_report_json(&report);
            char *s = json_to_string(j, pretty ? JSSF_PRETTY | JSSF_SORT
                                     : JSSF_SORT);
            puts(s);
            free(s);
            json_destroy(j);
            status = report.n_findings ? 1 : 0;
        } else {
            struct ds s = DS_EMPTY_INITIALIZER;
            audit_report_table(&report, all, &s);
            fputs(ds_cstr(&s), stdout);
            ds_destroy(&s);
            status = report.n_findings ? 1 : 0;
        }
    }
    if (optind != argc) {
        for (size_t j = 0; j < n_targets; j++) {
            free(CONST_CAST(char *, targets[j].name));
        }
    }
    free(targets);

out:
    free(error);
    audit_probe_close(probe);
    audit_report_destroy(&report);
    hw_snapshot_destroy(&snap);
    if (hw) {
        hw_close(hw);
    }
    ovsdb_idl_destroy(idl);
    smap_destroy(&bridges);
    return status;
}
