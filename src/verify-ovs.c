/*
 * verify-ovs: inputs from OVS and the kernel, database output, and the two
 * front ends of the verification report.  See verify-ovs.h.
 *
 * OVS's datapath flows come from the running ovs-vswitchd, through the OVS
 * library's unixctl client ("dpctl/dump-dps", then "dpctl/dump-flows -m DP"
 * per datapath), not from our own dpif: a separate process that opens the
 * datapath sees only the kernel datapath's flows, while flows that
 * ovs-vswitchd put into tc are known only to ovs-vswitchd's offload
 * provider (see dpflows.h).
 */
#include <config.h>

#include "verify-ovs.h"

#include "appctl.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "daemon.h"
#include "dirs.h"
#include "jsonrpc.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/poll-loop.h"
#include "openvswitch/vlog.h"
#include "ovsdb-idl.h"
#include "smap.h"
#include "timeval.h"
#include "unixctl.h"
#include "util.h"
#include "lib/vswitch-idl.h"
#include "ovsview.h"
#include "src/offload-idl.h"
#include "dpflows.h"
#include "evidence.h"
#include "tcdump.h"
#include "verify-json.h"

VLOG_DEFINE_THIS_MODULE(verify);

void
verify_data_init(struct verify_data *d)
{
    memset(d, 0, sizeof *d);
    vfy_flows_init(&d->flows);
    vfy_filters_init(&d->filters);
    vfy_filters_init(&d->prev);
    vfy_devs_init(&d->devs);
}

void
verify_data_destroy(struct verify_data *d)
{
    if (!d) {
        return;
    }
    vfy_report_destroy(&d->report);
    vfy_flows_destroy(&d->flows);
    vfy_filters_destroy(&d->filters);
    vfy_filters_destroy(&d->prev);
    vfy_devs_destroy(&d->devs);
    for (size_t i = 0; i < d->n_tunnels; i++) {
        free(d->tunnels[i].dst);
        free(d->tunnels[i].route_dev);
    }
    free(d->tunnels);
    free(d->config.tc_policy);
    memset(d, 0, sizeof *d);
}

/* Returns the unixctl socket path for 'target' (default ovs-vswitchd). */
static char *
vswitchd_socket(const char *target)
{
    return appctl_socket_path(target ? target : "ovs-vswitchd");
}

static int
vswitchd_call(struct jsonrpc *client, const char *command, int argc,
              char *argv[], char **result, char **errorp)
{
    char *err = NULL;
    int error = unixctl_client_transact(client, command, argc, argv, result,
                                        &err);
    if (error) {
        *errorp = xasprintf("%s: %s", command, ovs_strerror(error));
        return error;
    }
    if (err) {
        *errorp = xasprintf("%s: %s", command, err);
        free(err);
        free(*result);
        *result = NULL;
        return EPROTO;
    }
    return 0;
}

static void
record_file(const char *dir, const char *name, const void *data, size_t len)
{
    if (!dir) {
        return;
    }
    char *path = xasprintf("%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    if (f) {
        fwrite(data, 1, len, f);
        fclose(f);
    } else {
        VLOG_WARN("%s: could not record (%s)", path, ovs_strerror(errno));
    }
    free(path);
}

/* Fetches the flows of every datapath.  Sets '*kernel' if one of them is a
 * kernel ("system") datapath. */
static int
collect_flows(const struct verify_options *opts, struct verify_data *d,
              bool *kernel, char **errorp)
{
    struct jsonrpc *client;
    char *path = vswitchd_socket(opts->vswitchd);
    char *dps = NULL;
    int error;

    *kernel = false;
    if (!path) {
        *errorp = xasprintf("%s: cannot find its pidfile in %s",
                            opts->vswitchd ? opts->vswitchd : "ovs-vswitchd",
                            ovs_rundir());
        return ENOENT;
    }
    error = unixctl_client_create(path, &client);
    if (error) {
        *errorp = xasprintf("%s: cannot connect (%s)", path,
                            ovs_strerror(error));
        free(path);
        return error;
    }
    free(path);

    error = vswitchd_call(client, "dpctl/dump-dps", 0, NULL, &dps, errorp);
    for (char *save = NULL, *dp = error ? NULL : strtok_r(dps, "\n", &save);
         dp; dp = strtok_r(NULL, "\n", &save)) {
        char *argv[] = { "-m", dp };
        char *text = NULL;

        if (!strncmp(dp, "system@", 7)) {
            *kernel = true;
        }
        error = vswitchd_call(client, "dpctl/dump-flows", 2, argv, &text,
                              errorp);
        if (!error) {
            char *name = xasprintf("flows-%s.txt", dp);
            record_file(opts->record_dir, name, text, strlen(text));
            free(name);
            error = dpflows_parse(text, dp, &d->flows, errorp);
        }
        free(text);
        if (error) {
            break;
        }
    }
    free(dps);
    jsonrpc_close(client);
    return error;
}

/* Dumps tc on every probed device into 'fs', each shared block once. */
static int
collect_filters(const struct verify_options *opts, struct verify_data *d,
                struct vfy_filters *fs, const char *tag, char **errorp)
{
    uint32_t *blocks = NULL;
    size_t n_blocks = 0;
    int error = 0;

    for (size_t i = 0; i < d->devs.n; i++) {
        struct vfy_dev *dev = &d->devs.d[i];
        uint8_t *raw = NULL;
        size_t raw_len = 0, raw_alloc = 0;
        size_t first = fs->n;

        if (!dev->exists) {
            continue;
        }
        error = tcdump_dump(dev->ifindex, 0, dev->name, fs, errorp,
                            opts->record_dir ? &raw : NULL, &raw_len,
                            &raw_alloc);
        if (!error && raw) {
            char *name = xasprintf("tc%s-%s.bin", tag, dev->name);
            record_file(opts->record_dir, name, raw, raw_len);
            free(name);
        }
        free(raw);
        if (error) {
            char *e = xasprintf("%s: tc dump failed: %s", dev->name,
                                *errorp ? *errorp : "");
            free(*errorp);
            *errorp = e;
            break;
        }

        /* A shared block shows up on each member: keep it once. */
        size_t j = first;
        for (size_t k = first; k < fs->n; k++) {
            struct vfy_filter *f = &fs->f[k];
            bool dup = false;

            if (f->block) {
                dev->block = f->block;
                for (size_t b = 0; b < n_blocks; b++) {
                    dup = dup || blocks[b] == f->block;
                }
            }
            if (dup) {
                free(f->dev);
                free(f->actions);
            } else {
                fs->f[j++] = *f;
            }
        }
        fs->n = j;
        if (dev->block) {
            bool known = false;
            for (size_t b = 0; b < n_blocks; b++) {
                known = known || blocks[b] == dev->block;
            }
            if (!known) {
                blocks = xrealloc(blocks, (n_blocks + 1) * sizeof *blocks);
                blocks[n_blocks++] = dev->block;
            }
        }
    }
    free(blocks);
    return error;
}

static void
add_dev(struct verify_data *d, const char *name, const char *bridge)
{
    struct vfy_dev *dev = vfy_devs_add(&d->devs, name);

    if (bridge && !dev->bridge) {
        dev->bridge = xstrdup(bridge);
    }
}

int
verify_collect(const struct ovsview *view, const struct verify_options *opts,
               struct verify_data *d, char **errorp)
{
    struct shash_node *bn, *pn, *in;
    bool kernel;
    int error;

    *errorp = NULL;
    d->config.hw_offload = smap_get_bool(&view->other_config, "hw-offload",
                                         false);
    d->config.tc_policy = nullable_xstrdup(smap_get(&view->other_config,
                                                    "tc-policy"));

    error = collect_flows(opts, d, &kernel, errorp);
    if (error) {
        return error;
    }

    /* The devices: every interface of every bridge, and every in_port. */
    SHASH_FOR_EACH (bn, &view->bridges) {
        const struct ovsview_bridge *br = bn->data;
        SHASH_FOR_EACH (pn, &br->ports) {
            const struct ovsview_port *port = pn->data;
            SHASH_FOR_EACH (in, &port->ifaces) {
                add_dev(d, in->name, br->name);
            }
        }
    }
    for (size_t i = 0; i < d->flows.n; i++) {
        if (d->flows.f[i].in_port) {
            add_dev(d, d->flows.f[i].in_port, NULL);
        }
    }
    size_t n_devs = d->devs.n;
    for (size_t i = 0; kernel && i < n_devs; i++) {
        evidence_probe_dev(&d->devs.d[i]);
        /* Bond members need evidence too; their bridge is the bond's. */
        for (size_t j = 0; j < d->devs.d[i].n_lower; j++) {
            const char *member = d->devs.d[i].lower[j];

            if (!vfy_devs_find(&d->devs, member)) {
                evidence_probe_dev(vfy_devs_add(&d->devs, member));
            }
        }
    }

    /* Tunnel destinations. */
    for (size_t i = 0; kernel && i < d->flows.n; i++) {
        char *dst = vfy_flow_tunnel_dst(&d->flows.f[i]);
        bool known = false;

        for (size_t j = 0; dst && j < d->n_tunnels; j++) {
            known = known || !strcmp(d->tunnels[j].dst, dst);
        }
        if (!dst || known) {
            free(dst);
            continue;
        }
        d->tunnels = xrealloc(d->tunnels,
                              (d->n_tunnels + 1) * sizeof *d->tunnels);
        struct vfy_tunnel *t = &d->tunnels[d->n_tunnels++];
        memset(t, 0, sizeof *t);
        t->dst = dst;
        evidence_probe_tunnel(t);
    }

    error = collect_filters(opts, d, &d->filters, "", errorp);
    if (error) {
        return error;
    }
    if (opts->record_dir) {
        char *buf = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&buf, &len);
        vfy_evidence_write(f, &d->devs, &d->config, d->tunnels,
                           d->n_tunnels);
        fclose(f);
        record_file(opts->record_dir, "evidence.txt", buf, len);
        free(buf);
    }

    struct vfy_input input = {
        .flows = &d->flows,
        .filters = &d->filters,
        .devs = &d->devs,
        .tunnels = d->tunnels,
        .n_tunnels = d->n_tunnels,
        .config = d->config,
        .bridge = opts->bridge,
        .time_ms = time_wall_msec(),
    };
    vfy_join(&input, &d->report);

    /* Software counters that still grow on in_hw flows: dump again. */
    if (opts->resample_ms > 0 && d->report.counts[VFY_IN_HW]) {
        xnanosleep((long long int) opts->resample_ms * 1000 * 1000);
        d->prev = d->filters;
        vfy_filters_init(&d->filters);
        error = collect_filters(opts, d, &d->filters, "-2", errorp);
        if (error) {
            return error;
        }
        vfy_report_destroy(&d->report);
        input.filters = &d->filters;
        input.prev_filters = &d->prev;
        vfy_join(&input, &d->report);
    }
    return 0;
}

void
verify_publish(const struct vfy_report *r, const char *error,
               struct ovsdb_idl *idl, struct ovsdb_idl_txn *txn)
{
    const struct offrec_global *g = offrec_global_first(idl);
    struct offrec_verify_report *vr = offrec_verify_report_insert(txn);

    if (!g) {
        g = offrec_global_insert(txn);
    }
    offrec_verify_report_set_time(vr, r ? r->time_ms : time_wall_msec());
    if (r && r->bridge) {
        offrec_verify_report_set_bridge(vr, r->bridge);
    }
    if (!r) {
        offrec_verify_report_set_status(vr, 2);
        offrec_verify_report_set_error(vr, error ? error : "unknown error");
        offrec_global_set_last_verify(g, vr);
        return;
    }
    offrec_verify_report_set_status(vr, vfy_report_status(r));

    const char *keys[VFY_N_VERDICTS + 3];
    int64_t values[VFY_N_VERDICTS + 3];
    size_t n = 0;
    keys[n] = "flows";
    values[n++] = r->n_flows;
    for (int v = 0; v < VFY_N_VERDICTS; v++) {
        keys[n] = vfy_verdict_name(v);
        values[n++] = r->counts[v];
    }
    keys[n] = "sw_growing";
    values[n++] = r->n_sw_growing;

    struct offrec_flow_verdict **rows = xmalloc(
        VERIFY_MAX_DB_ROWS * sizeof *rows);
    size_t n_rows = 0, omitted = 0;
    for (size_t i = 0; i < r->n_entries; i++) {
        const struct vfy_entry *e = &r->entries[i];

        if (e->verdict == VFY_IN_HW && !e->sw_growing) {
            continue;
        }
        if (n_rows >= VERIFY_MAX_DB_ROWS) {
            omitted++;
            continue;
        }
        struct offrec_flow_verdict *fv = offrec_flow_verdict_insert(txn);
        offrec_flow_verdict_set_ufid(fv, e->ufid);
        offrec_flow_verdict_set_bridge(fv, e->bridge ? e->bridge : "");
        offrec_flow_verdict_set_in_port(fv, e->in_port ? e->in_port : "");
        offrec_flow_verdict_set_verdict(fv, vfy_verdict_name(e->verdict));
        offrec_flow_verdict_set_in_hw_count(fv, e->in_hw_count);
        const char *ckeys[] = { "hw_packets", "hw_bytes", "sw_packets",
                                "sw_bytes", "ovs_packets", "ovs_bytes" };
        int64_t cvalues[] = { e->hw_packets, e->hw_bytes, e->sw_packets,
                              e->sw_bytes,
                              e->flow ? e->flow->packets : 0,
                              e->flow ? e->flow->bytes : 0 };
        offrec_flow_verdict_set_counters(fv, ckeys, cvalues,
                                         e->flow ? 6 : 4);
        const char **reasons = xmalloc((e->n_reasons + 1) * sizeof *reasons);
        for (size_t j = 0; j < e->n_reasons; j++) {
            reasons[j] = xasprintf("%s: %s", e->reasons[j].code,
                                   e->reasons[j].text);
        }
        offrec_flow_verdict_set_reasons(fv, reasons, e->n_reasons);
        for (size_t j = 0; j < e->n_reasons; j++) {
            free(CONST_CAST(char *, reasons[j]));
        }
        free(reasons);
        if (e->flow) {
            offrec_flow_verdict_set_match(fv, e->flow->match);
            offrec_flow_verdict_set_actions(fv, e->flow->actions);
        }
        rows[n_rows++] = fv;
    }
    keys[n] = "rows_omitted";
    values[n++] = omitted;
    offrec_verify_report_set_summary(vr, keys, values, n);
    offrec_verify_report_set_flows(vr, rows, n_rows);
    free(rows);
    offrec_global_set_last_verify(g, vr);
}

/* Renders 'd''s report, or 'error'. */
static char *
verify_render(const struct verify_data *d, bool json, bool pretty)
{
    return (json
            ? vfy_report_json(&d->report, pretty)
            : vfy_report_text_string(&d->report));
}

/* "ovs-offloadctl verify". */

static bool
idl_wait_ready(struct ovsdb_idl *idl, long long int deadline)
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

int
verify_command(int argc, char *argv[], const char *db, bool json,
               bool pretty)
{
    enum { OPT_BRIDGE = UCHAR_MAX + 1, OPT_WATCH, OPT_FORMAT, OPT_PRETTY,
           OPT_VSWITCHD, OPT_RECORD, OPT_NO_DB, OPT_RESAMPLE };
    static const struct option long_options[] = {
        {"bridge", required_argument, NULL, OPT_BRIDGE},
        {"watch", required_argument, NULL, OPT_WATCH},
        {"format", required_argument, NULL, OPT_FORMAT},
        {"pretty", no_argument, NULL, OPT_PRETTY},
        {"vswitchd", required_argument, NULL, OPT_VSWITCHD},
        {"record", required_argument, NULL, OPT_RECORD},
        {"no-db", no_argument, NULL, OPT_NO_DB},
        {"resample", required_argument, NULL, OPT_RESAMPLE},
        {NULL, 0, NULL, 0},
    };
    struct verify_options opts = { .resample_ms = 1000 };
    bool write_db = true;
    int watch = 0;

    optind = 1;
    for (;;) {
        int c = getopt_long(argc, argv, "+", long_options, NULL);
        if (c == -1) {
            break;
        }
        switch (c) {
        case OPT_BRIDGE:
            opts.bridge = optarg;
            break;
        case OPT_WATCH:
            if (!str_to_int(optarg, 10, &watch) || watch <= 0) {
                fprintf(stderr, "verify: --watch needs a positive number of "
                        "seconds\n");
                return 2;
            }
            break;
        case OPT_FORMAT:
            if (!strcmp(optarg, "json")) {
                json = true;
            } else if (!strcmp(optarg, "table")) {
                json = false;
            } else {
                fprintf(stderr, "verify: --format is table or json\n");
                return 2;
            }
            break;
        case OPT_PRETTY:
            pretty = true;
            break;
        case OPT_VSWITCHD:
            opts.vswitchd = optarg;
            break;
        case OPT_RECORD:
            opts.record_dir = optarg;
            if (mkdir(optarg, 0755) && errno != EEXIST) {
                fprintf(stderr, "verify: %s: %s\n", optarg,
                        ovs_strerror(errno));
                return 2;
            }
            break;
        case OPT_NO_DB:
            write_db = false;
            break;
        case OPT_RESAMPLE:
            if (!str_to_int(optarg, 10, &opts.resample_ms)
                || opts.resample_ms < 0) {
                fprintf(stderr, "verify: --resample needs milliseconds\n");
                return 2;
            }
            break;
        case '?':
        default:
            return 2;
        }
    }
    if (optind != argc) {
        fprintf(stderr, "verify: unexpected argument \"%s\"\n", argv[optind]);
        return 2;
    }

    struct ovsdb_idl *ovs_idl = ovsdb_idl_create(db, &ovsrec_idl_class,
                                                 false, true);
    ovsview_register(ovs_idl);
    struct ovsdb_idl *off_idl = (write_db
                                 ? ovsdb_idl_create(db, &offrec_idl_class,
                                                    true, true)
                                 : NULL);
    long long int deadline = time_msec() + 10000;
    int status = 2;

    if (!idl_wait_ready(ovs_idl, deadline)) {
        fprintf(stderr, "verify: %s: cannot read the Open_vSwitch database\n",
                db);
        goto out;
    }
    if (off_idl && !idl_wait_ready(off_idl, time_msec() + 3000)) {
        fprintf(stderr, "verify: %s: no OVS_Offload database, the report "
                "is not saved\n", db);
        ovsdb_idl_destroy(off_idl);
        off_idl = NULL;
    }

    for (;;) {
        struct ovsview view;
        struct verify_data d;
        char *error = NULL;

        ovsdb_idl_run(ovs_idl);
        ovsview_init(&view);
        ovsview_build(&view, ovs_idl);
        verify_data_init(&d);
        if (verify_collect(&view, &opts, &d, &error)) {
            fprintf(stderr, "verify: %s\n", error);
            status = 2;
        } else {
            char *s = verify_render(&d, json, pretty);
            fputs(s, stdout);
            if (json || s[0] == '\0' || s[strlen(s) - 1] != '\n') {
                putchar('\n');
            }
            fflush(stdout);
            free(s);
            status = vfy_report_status(&d.report);
        }
        if (off_idl) {
            struct ovsdb_idl_txn *txn;

            ovsdb_idl_run(off_idl);
            txn = ovsdb_idl_txn_create(off_idl);
            ovsdb_idl_txn_add_comment(txn, "ovs-offloadctl verify");
            verify_publish(error ? NULL : &d.report, error, off_idl, txn);
            enum ovsdb_idl_txn_status ts = ovsdb_idl_txn_commit_block(txn);
            if (ts != TXN_SUCCESS && ts != TXN_UNCHANGED) {
                fprintf(stderr, "verify: saving the report failed (%s)\n",
                        ovsdb_idl_txn_status_to_string(ts));
            }
            ovsdb_idl_txn_destroy(txn);
        }
        free(error);
        verify_data_destroy(&d);
        ovsview_destroy(&view);
        if (!watch) {
            break;
        }
        xsleep(watch);
    }

out:
    ovsdb_idl_destroy(ovs_idl);
    ovsdb_idl_destroy(off_idl);
    return status;
}

/* "offload/verify". */

char *
verify_unixctl(const struct ovsview *view, int argc, const char *argv[],
               struct ovsdb_idl *idl, struct ovsdb_idl_txn *txn, int *status)
{
    struct verify_options opts = { .resample_ms = 0 };
    struct verify_data d;
    bool json = false;
    char *error = NULL;
    char *reply;

    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--format=json") || !strcmp(argv[i], "json")) {
            json = true;
        } else if (!strncmp(argv[i], "--bridge=", 9)) {
            opts.bridge = argv[i] + 9;
        } else if (!strcmp(argv[i], "--format=table")) {
            json = false;
        } else {
            *status = 2;
            return xasprintf("unknown argument \"%s\" (usage: offload/verify "
                             "[--format=json|table] [--bridge=BR])", argv[i]);
        }
    }

    verify_data_init(&d);
    if (verify_collect(view, &opts, &d, &error)) {
        reply = xasprintf("verify failed: %s", error);
        *status = 2;
    } else {
        reply = verify_render(&d, json, false);
        *status = vfy_report_status(&d.report);
    }
    if (txn) {
        verify_publish(error ? NULL : &d.report, error, idl, txn);
    }
    free(error);
    verify_data_destroy(&d);
    return reply;
}
