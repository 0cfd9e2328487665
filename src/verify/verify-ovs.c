/*
 * verify-ovs: inputs from the kernel and OVS, database output, and the two
 * front ends of the verification report.  See verify-ovs.h.
 *
 * The kernel is the source:
 *
 *   - flows that stayed in the kernel datapath come from the datapath
 *     itself, through the OVS library's netlink dpif (dpif_flow_dump() of
 *     the datapath's own flows; this process enables no offload provider,
 *     so the dump does not go through tc);
 *   - flows in tc come from the tc dumps: OVS's dp:tc flows are exactly the
 *     tc filters that carry an OVS ufid cookie;
 *   - ovs-vswitchd is asked only for what only it knows: the flows of
 *     userspace datapaths, and, with --check-vswitchd, its list of tc
 *     flows, so that a cookie-bearing filter that belongs to no live flow
 *     shows as an orphan.  Each round trip is bounded by a timeout.
 *
 * The report lists the sources it used.
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
#include <linux/netlink.h>

#include "daemon.h"
#include "dirs.h"
#include "dpif.h"
#include "jsonrpc.h"
#include "odp-util.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/json.h"
#include "openvswitch/poll-loop.h"
#include "openvswitch/vlog.h"
#include "ovsdb-idl.h"
#include "ovsdp.h"
#include "smap.h"
#include "timeval.h"
#include "unixctl.h"
#include "util.h"
#include "lib/vswitch-idl.h"
#include "nlsock.h"
#include "ovsview.h"
#include "offload-idl.h"
#include "dpflows.h"
#include "evidence.h"
#include "stream.h"
#include "tcdump.h"

VLOG_DEFINE_THIS_MODULE(verify);

void
verify_data_init(struct verify_data *d)
{
    memset(d, 0, sizeof *d);
    vfy_flows_init(&d->flows);
    vfy_filters_init(&d->filters);
    vfy_filters_init(&d->prev);
    vfy_evidence_init(&d->ev);
    sset_init(&d->sources);
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
    vfy_evidence_destroy(&d->ev);
    sset_destroy(&d->sources);
    memset(d, 0, sizeof *d);
}

static void OVS_PRINTF_FORMAT(2, 3)
add_source(struct verify_data *d, const char *format, ...)
{
    va_list args;

    va_start(args, format);
    char *s = xvasprintf(format, args);
    va_end(args);
    sset_add_and_free(&d->sources, s);
}

/* ovs-vswitchd, over its unixctl socket, with a deadline. */

struct vswitchd {
    struct jsonrpc *rpc;
    char *target;
    long long int deadline;
};

static void vswitchd_close(struct vswitchd *);

static int
vswitchd_open(struct vswitchd *v, const char *target, int timeout_ms,
              char **errorp)
{
    char *path = appctl_socket_path(target ? target : "ovs-vswitchd");
    struct stream *stream;
    int error;

    memset(v, 0, sizeof *v);
    v->target = xstrdup(target ? target : "ovs-vswitchd");
    v->deadline = time_msec() + timeout_ms;
    if (!path) {
        *errorp = xasprintf("%s: cannot find its pidfile in %s", v->target,
                            ovs_rundir());
        vswitchd_close(v);
        return ENOENT;
    }
    char *name = xasprintf("unix:%s", path);
    error = stream_open_block(stream_open(name, &stream, DSCP_DEFAULT),
                              timeout_ms, &stream);
    free(name);
    if (error) {
        *errorp = xasprintf("%s: cannot connect (%s)", path,
                            ovs_strerror(error));
        free(path);
        vswitchd_close(v);
        return error;
    }
    free(path);
    v->rpc = jsonrpc_open(stream);
    return 0;
}

static void
vswitchd_close(struct vswitchd *v)
{
    jsonrpc_close(v->rpc);
    free(v->target);
    memset(v, 0, sizeof *v);
}

/* Runs unixctl 'command' with 'argv', waiting at most until the deadline
 * that vswitchd_open() set.  Stores the reply in '*result'. */
static int
vswitchd_call(struct vswitchd *v, const char *command, int argc,
              const char *argv[], char **result, char **errorp)
{
    struct json **params = xmalloc(MAX(argc, 1) * sizeof *params);
    struct jsonrpc_msg *request, *reply = NULL;
    int error;

    *result = NULL;
    for (int i = 0; i < argc; i++) {
        params[i] = json_string_create(argv[i]);
    }
    request = jsonrpc_create_request(command,
                                     json_array_create(params, argc), NULL);
    struct json *id = json_clone(request->id);
    error = jsonrpc_send(v->rpc, request);
    while (!error) {
        error = jsonrpc_recv(v->rpc, &reply);
        if (error == EAGAIN) {
            if (time_msec() >= v->deadline) {
                error = ETIMEDOUT;
                break;
            }
            jsonrpc_run(v->rpc);
            jsonrpc_wait(v->rpc);
            jsonrpc_recv_wait(v->rpc);
            poll_timer_wait_until(v->deadline);
            poll_block();
            error = 0;
            continue;
        }
        if (!error && reply->type == JSONRPC_REPLY
            && json_equal(reply->id, id)) {
            break;
        }
        jsonrpc_msg_destroy(reply);
        reply = NULL;
    }
    json_destroy(id);
    if (error) {
        *errorp = xasprintf("%s: %s: %s", v->target, command,
                            error == ETIMEDOUT ? "no reply in time"
                                               : ovs_strerror(error));
        return error;
    }
    if (reply->error) {
        *errorp = xasprintf("%s: %s: %s", v->target, command,
                            reply->error->type == JSON_STRING
                            ? json_string(reply->error) : "error");
        jsonrpc_msg_destroy(reply);
        return EPROTO;
    }
    *result = xstrdup(reply->result && reply->result->type == JSON_STRING
                      ? json_string(reply->result) : "");
    jsonrpc_msg_destroy(reply);
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

/* The kernel datapath, through the netlink dpif. */

static void
add_dpstats(struct verify_data *d, const char *full, uint64_t hit,
            uint64_t missed, uint64_t lost)
{
    struct vfy_evidence *ev = &d->ev;

    ev->dpstats = xrealloc(ev->dpstats, (ev->n_dpstats + 1)
                                        * sizeof *ev->dpstats);
    struct vfy_dpstats *st = &ev->dpstats[ev->n_dpstats++];
    st->name = xstrdup(full);
    st->hit = hit;
    st->missed = missed;
    st->lost = lost;
}

/* Dumps the flows of kernel datapath 'name' into 'd' (as "dump-flows -m"
 * would print them, so that one parser reads both), and its statistics. */
static int
collect_dpif(struct verify_data *d, const char *name,
             const struct verify_options *opts, char **errorp)
{
    struct dpif_flow_dump_types types = { .ovs_flows = true,
                                          .netdev_flows = false };
    struct dpif_port_dump port_dump;
    struct dpif_port dpif_port;
    struct hmap portno_names = HMAP_INITIALIZER(&portno_names);
    struct dpif_dp_stats stats;
    struct dpif *dpif;
    struct ds text = DS_EMPTY_INITIALIZER;
    size_t n = 0;
    int error;

    error = dpif_open(name, "system", &dpif);
    if (error) {
        *errorp = xasprintf("system@%s: cannot open the datapath (%s)", name,
                            ovs_strerror(error));
        return error;
    }
    char *full = xasprintf("system@%s", name);
    if (!dpif_get_dp_stats(dpif, &stats)) {
        add_dpstats(d, full, stats.n_hit, stats.n_missed, stats.n_lost);
    }
    DPIF_PORT_FOR_EACH (&dpif_port, &port_dump, dpif) {
        odp_portno_names_set(&portno_names, dpif_port.port_no,
                             dpif_port.name);
    }

    struct dpif_flow_dump *dump = dpif_flow_dump_create(dpif, false, &types);
    struct dpif_flow_dump_thread *thread = dpif_flow_dump_thread_create(dump);
    struct dpif_flow flows[64];
    int k;
    while ((k = dpif_flow_dump_next(thread, flows, ARRAY_SIZE(flows))) > 0) {
        for (int i = 0; i < k; i++) {
            const struct dpif_flow *f = &flows[i];

            if (f->ufid_present) {
                odp_format_ufid(&f->ufid, &text);
                ds_put_cstr(&text, ", ");
            }
            odp_flow_format(f->key, f->key_len, f->mask, f->mask_len,
                            &portno_names, &text, false);
            ds_put_format(&text, ", packets:%"PRIu64", bytes:%"PRIu64
                          ", used:never, dp:ovs, actions:",
                          f->stats.n_packets, f->stats.n_bytes);
            format_odp_actions(&text, f->actions, f->actions_len,
                               &portno_names);
            ds_put_char(&text, '\n');
            n++;
        }
    }
    dpif_flow_dump_thread_destroy(thread);
    error = dpif_flow_dump_destroy(dump);
    odp_portno_names_destroy(&portno_names);
    hmap_destroy(&portno_names);
    dpif_close(dpif);
    if (error) {
        *errorp = xasprintf("%s: flow dump failed (%s)", full,
                            ovs_strerror(error));
    } else {
        char *rec = xasprintf("flows-%s.txt", full);
        record_file(opts->record_dir, rec, ds_cstr(&text), text.length);
        free(rec);
        dpflows_parse(ds_cstr(&text), full, &d->flows, NULL);
        add_source(d, "kernel datapath %s: %"PRIuSIZE" flows and its "
                   "statistics, through the netlink dpif", full, n);
    }
    free(full);
    ds_destroy(&text);
    return error;
}

/* Reads kernel datapath 'name' through the netlink dpif.  On success, sets
 * '*kernel' and adds "system@<name>" to 'kernel_dps' (read here, so
 * ovs-vswitchd is not asked for its flows); on failure, the report's
 * sources say why. */
static void
collect_kernel_dp(struct verify_data *d, const char *name,
                  const struct verify_options *opts, bool *kernel,
                  struct sset *kernel_dps)
{
    char *e = NULL;

    if (collect_dpif(d, name, opts, &e)) {
        add_source(d, "kernel datapath system@%s: %s", name, e);
        free(e);
    } else {
        *kernel = true;
        sset_add_and_free(kernel_dps, xasprintf("system@%s", name));
    }
}

/* Stores in '*dpsp' and '*np' the kernel's datapaths (none if it has no
 * openvswitch module).  Returns 0, or a positive errno value if the list
 * could not be had. */
static int
list_kernel_dps(struct ovsdp_dp **dpsp, size_t *np)
{
    struct nlsock *genl;
    char *err = NULL;
    int error;

    *dpsp = NULL;
    *np = 0;
    error = nlsock_open(NETLINK_GENERIC, 0, false, &genl, &err);
    if (!error) {
        error = ovsdp_list(genl, dpsp, np, &err);
        nlsock_close(genl);
    }
    free(err);
    return error;
}

/* Whether the kernel has the openvswitch datapath's netlink family. */
static bool
kernel_has_ovs_family(void)
{
    struct nlsock *genl;
    uint16_t id = 0;
    char *err = NULL;

    if (nlsock_open(NETLINK_GENERIC, 0, false, &genl, &err)) {
        free(err);
        return false;
    }
    if (nlsock_genl_family(genl, "ovs_datapath", &id, &err)) {
        free(err);
        id = 0;
    }
    nlsock_close(genl);
    return id != 0;
}

/* Asks ovs-vswitchd for the flows of datapath 'dp' ("type=tc" for the tc
 * flows of a kernel datapath, with --check-vswitchd). */
static int
collect_vswitchd_flows(struct verify_data *d, struct vswitchd *v,
                       const char *dp, bool tc_only,
                       const struct verify_options *opts, char **errorp)
{
    const char *argv[] = { "-m", "type=tc", dp };
    char *text;
    size_t before = d->flows.n;
    int error;

    error = (tc_only
             ? vswitchd_call(v, "dpctl/dump-flows", 3, argv, &text, errorp)
             : vswitchd_call(v, "dpctl/dump-flows", 2,
                             (const char *[]) { "-m", dp }, &text, errorp));
    if (error) {
        return error;
    }
    char *name = xasprintf("flows-%s%s.txt", dp, tc_only ? "-tc" : "");
    record_file(opts->record_dir, name, text, strlen(text));
    free(name);
    dpflows_parse(text, dp, &d->flows, NULL);
    free(text);
    add_source(d, "ovs-vswitchd: dpctl/dump-flows -m%s %s: %"PRIuSIZE
               " flows", tc_only ? " type=tc" : "", dp, d->flows.n - before);
    return 0;
}

/* Every datapath's flows.  Sets '*tc_flows' if the tc filters with OVS
 * cookies count as OVS's tc flows (they were not listed by ovs-vswitchd). */
static int
collect_flows(const struct verify_options *opts, struct verify_data *d,
              bool *kernel, bool *tc_flows, char **errorp)
{
    struct sset names = SSET_INITIALIZER(&names);
    struct sset kernel_dps = SSET_INITIALIZER(&kernel_dps);
    struct vswitchd v;
    char *dps = NULL;
    const char *name;
    char *verr = NULL;
    int verror;
    int error = 0;

    *kernel = false;
    *tc_flows = !opts->check_vswitchd;

    /* Kernel datapaths, straight from the kernel: their list and
     * statistics from the "ovs_datapath" family, then the flows of those
     * that have any through the netlink dpif.  The dpif is not opened for
     * a datapath without flows (all of them in tc, with hw-offload): the
     * library's first open probes for out-of-tree tunnel modules by
     * creating a geneve device, which makes the kernel run modprobe. */
    struct ovsdp_dp *kdps = NULL;
    size_t n_kdps = 0;
    if (!list_kernel_dps(&kdps, &n_kdps)) {
        for (size_t i = 0; i < n_kdps; i++) {
            const struct ovsdp_dp *dp = &kdps[i];
            char *full = xasprintf("system@%s", dp->name);

            if (!dp->n_flows) {
                add_dpstats(d, full, dp->n_hit, dp->n_missed, dp->n_lost);
                char *rec = xasprintf("flows-%s.txt", full);
                record_file(opts->record_dir, rec, "", 0);
                free(rec);
                add_source(d, "kernel datapath %s: 0 flows and its "
                           "statistics, through the ovs_datapath family",
                           full);
                *kernel = true;
                sset_add(&kernel_dps, full);
            } else {
                collect_kernel_dp(d, dp->name, opts, kernel, &kernel_dps);
            }
            free(full);
        }
    } else if (kernel_has_ovs_family()
               && !dp_enumerate_names("system", &names)) {
        /* (The family's list failed: the dpif library's.) */
        SSET_FOR_EACH (name, &names) {
            collect_kernel_dp(d, name, opts, kernel, &kernel_dps);
        }
    }
    free(kdps);
    sset_destroy(&names);

    /* ovs-vswitchd: the datapaths it has; userspace ones through it. */
    verror = vswitchd_open(&v, opts->vswitchd, opts->vswitchd_timeout_ms,
                           &verr);
    if (verror) {
        goto no_vswitchd;
    }
    verror = vswitchd_call(&v, "dpctl/dump-dps", 0, NULL, &dps, &verr);
    if (verror) {
        vswitchd_close(&v);
        goto no_vswitchd;
    }
    for (char *save = NULL, *dp = strtok_r(dps, "\n", &save);
         !error && dp; dp = strtok_r(NULL, "\n", &save)) {
        if (!strncmp(dp, "system@", 7)) {
            *kernel = true;
            if (sset_contains(&kernel_dps, dp)) {
                if (opts->check_vswitchd) {
                    error = collect_vswitchd_flows(d, &v, dp, true, opts,
                                                   errorp);
                }
                continue;
            }
            /* Not readable here (no permission?): ask ovs-vswitchd. */
            *tc_flows = false;
        }
        error = collect_vswitchd_flows(d, &v, dp, false, opts, errorp);
    }
    free(dps);
    vswitchd_close(&v);
    sset_destroy(&kernel_dps);
    return error;

no_vswitchd:
    sset_destroy(&kernel_dps);
    if (!*kernel) {
        /* ETIMEDOUT (a wedged ovs-vswitchd) stays one, for the caller. */
        *errorp = verr;
        return verror == ETIMEDOUT ? ETIMEDOUT : ENOENT;
    }
    /* The kernel told us everything but userspace datapaths. */
    add_source(d, "ovs-vswitchd: not asked (%s)", verr);
    free(verr);
    if (opts->check_vswitchd) {
        *errorp = xstrdup("--check-vswitchd: ovs-vswitchd is not "
                          "reachable");
        return ENOENT;
    }
    return 0;
}

/* tc: the qdiscs first, then each hook of each device, and each shared block
 * once. */

static void
qdisc_cb(const struct tcdump_qdisc *q, void *d_)
{
    struct verify_data *d = d_;

    for (size_t i = 0; i < d->ev.devs.n; i++) {
        struct vfy_dev *dev = &d->ev.devs.d[i];

        if (dev->exists && dev->ifindex == q->ifindex) {
            dev->ingress_qdisc = VFY_YES;
            dev->clsact = q->clsact;
            dev->block = q->ingress_block;
            dev->egress_block = q->egress_block;
        }
    }
}

static int
collect_filters(const struct verify_options *opts, struct verify_data *d,
                struct nlsock *rtnl, struct vfy_filters *fs, const char *tag,
                char **errorp)
{
    struct sset blocks = SSET_INITIALIZER(&blocks);
    struct tcdump_raw raw = { NULL, 0, 0 };
    struct tcdump_raw *rawp = opts->record_dir ? &raw : NULL;
    size_t n_hooks = 0, n_devs = 0;
    int error = 0;

    for (size_t i = 0; i < d->ev.devs.n; i++) {
        struct vfy_dev *dev = &d->ev.devs.d[i];

        if (dev->exists) {
            dev->ingress_qdisc = VFY_NO;
        }
    }
    error = tcdump_dump_qdiscs(rtnl, qdisc_cb, d, errorp);
    for (size_t i = 0; !error && i < d->ev.devs.n; i++) {
        struct vfy_dev *dev = &d->ev.devs.d[i];
        uint32_t hooks_block[2] = { dev->block, dev->egress_block };

        if (!dev->exists || dev->ingress_qdisc != VFY_YES) {
            continue;
        }
        n_devs++;
        raw.len = 0;
        for (int egress = 0; !error && egress < 2; egress++) {
            uint32_t block = hooks_block[egress];

            if (egress && !dev->clsact) {
                break;
            }
            if (block) {
                char *key = xasprintf("%"PRIu32, block);
                bool seen = !sset_add(&blocks, key);
                free(key);
                if (seen) {
                    continue;
                }
            }
            error = tcdump_dump(rtnl, dev->ifindex, block, egress, dev->name,
                                fs, rawp, errorp);
            n_hooks++;
        }
        if (!error && rawp && raw.len) {
            char *name = xasprintf("tc%s-%s.bin", tag, dev->name);
            record_file(opts->record_dir, name, raw.data, raw.len);
            free(name);
        }
    }
    free(raw.data);
    if (!error && !*tag) {
        add_source(d, "tc: rtnetlink qdisc dump and filter dumps of %"
                   PRIuSIZE" hooks on %"PRIuSIZE" devices (%"PRIuSIZE
                   " shared blocks, all chains): %"PRIuSIZE" filters",
                   n_hooks, n_devs, sset_count(&blocks), fs->n);
    }
    sset_destroy(&blocks);
    return error;
}

static void
add_dev(struct verify_data *d, const char *name, const char *bridge)
{
    struct vfy_dev *dev = vfy_devs_add(&d->ev.devs, name);

    if (bridge && !dev->bridge) {
        dev->bridge = xstrdup(bridge);
    }
}

/* The kernel device of an OVS tunnel port: OVS creates one per type and
 * UDP port ("vxlan_sys_4789"), outside any bridge.  Decap flows have it as
 * their in_port, and their tc filters hang on its ingress. */
static void
add_tunnel_dev(struct verify_data *d, const struct ovsview_iface *iface,
               const char *bridge)
{
    static const struct { const char *type, *prefix; int port; } tunnels[] = {
        { "vxlan", "vxlan_sys_", 4789 },
        { "geneve", "genev_sys_", 6081 },
    };

    for (size_t i = 0; i < ARRAY_SIZE(tunnels); i++) {
        if (!strcmp(iface->type, tunnels[i].type)) {
            int port = tunnels[i].port;
            const char *s = smap_get(&iface->options, "dst_port");

            if (s && (!str_to_int(s, 10, &port) || port <= 0
                      || port > 65535)) {
                continue;
            }
            char *name = xasprintf("%s%d", tunnels[i].prefix, port);
            struct vfy_dev *dev = vfy_devs_add(&d->ev.devs, name);
            vfy_dev_add_tunnel_bridge(dev, bridge);
            free(name);
        }
    }
}

/* Probes every filter that is not in hardware.  Each probe goes into a
 * chain no packet reaches: one past the highest chain the device (or
 * block) has, unless --probe-chain says otherwise. */
static void
probe_filters(const struct verify_options *opts, struct verify_data *d,
              struct nlsock *rtnl)
{
    size_t n = 0, failed = 0;
    char *first_error = NULL;

    for (size_t i = 0; i < d->filters.n; i++) {
        struct vfy_filter *f = &d->filters.f[i];
        uint32_t chain = 0;

        if ((f->has_flags && (f->flags & VFY_TC_IN_HW))
            || (f->has_in_hw_count && f->in_hw_count)
            || strcmp(f->kind, "flower")) {
            continue;
        }
        if (opts->probe_chain >= 0) {
            chain = opts->probe_chain;
        } else {
            for (size_t j = 0; j < d->filters.n; j++) {
                const struct vfy_filter *g = &d->filters.f[j];
                if (g->ifindex == f->ifindex && g->block == f->block
                    && g->parent == f->parent && g->chain >= chain) {
                    chain = g->chain + 1;
                }
            }
        }
        char *err = NULL;
        if (tcdump_probe(rtnl, f, chain, f->prio, &err)) {
            failed++;
            if (!first_error) {
                first_error = err;
                err = NULL;
            }
        }
        free(err);
        n++;
    }
    add_source(d, "probe: %"PRIuSIZE" filters not in hardware added again "
               "with skip_sw and deleted%s%s%s", n - failed,
               failed ? " (some could not be probed: " : "",
               failed ? first_error : "", failed ? ")" : "");
    free(first_error);
}

int
verify_collect(const struct ovsview *view, const struct verify_options *opts,
               struct verify_data *d, char **errorp)
{
    struct shash_node *bn, *pn, *in;
    struct evidence ev;
    bool kernel, tc_flows;
    int error;

    *errorp = NULL;
    d->ev.config.hw_offload = smap_get_bool(&view->other_config,
                                            "hw-offload", false);
    d->ev.config.tc_policy = nullable_xstrdup(smap_get(&view->other_config,
                                                       "tc-policy"));

    error = collect_flows(opts, d, &kernel, &tc_flows, errorp);
    if (error) {
        return error;
    }

    /* The devices: every interface of every bridge, the kernel devices of
     * tunnel ports, and every in_port. */
    SHASH_FOR_EACH (bn, &view->bridges) {
        const struct ovsview_bridge *br = bn->data;
        SHASH_FOR_EACH (pn, &br->ports) {
            const struct ovsview_port *port = pn->data;
            SHASH_FOR_EACH (in, &port->ifaces) {
                add_dev(d, in->name, br->name);
                add_tunnel_dev(d, in->data, br->name);
            }
        }
    }
    for (size_t i = 0; i < d->flows.n; i++) {
        if (d->flows.f[i].in_port) {
            add_dev(d, d->flows.f[i].in_port, NULL);
        }
    }
    if (!kernel) {
        goto join;
    }

    error = evidence_open(&ev, opts->sysfs_root, errorp);
    if (error) {
        return error;
    }
    size_t n_devs = d->ev.devs.n;
    for (size_t i = 0; i < n_devs; i++) {
        evidence_probe_dev(&ev, &d->ev.devs.d[i]);
        /* Bond members need evidence too; their bridge is the bond's. */
        for (size_t j = 0; j < d->ev.devs.d[i].n_lower; j++) {
            const char *member = d->ev.devs.d[i].lower[j];

            if (!vfy_devs_find(&d->ev.devs, member)) {
                evidence_probe_dev(&ev, vfy_devs_add(&d->ev.devs, member));
            }
        }
    }

    /* Tunnel destinations. */
    for (size_t i = 0; i < d->flows.n; i++) {
        char *dst = vfy_flow_tunnel_dst(&d->flows.f[i]);
        bool known = false;

        for (size_t j = 0; dst && j < d->ev.n_tunnels; j++) {
            known = known || !strcmp(d->ev.tunnels[j].dst, dst);
        }
        if (!dst || known) {
            free(dst);
            continue;
        }
        d->ev.tunnels = xrealloc(d->ev.tunnels, (d->ev.n_tunnels + 1)
                                                * sizeof *d->ev.tunnels);
        struct vfy_tunnel *t = &d->ev.tunnels[d->ev.n_tunnels++];
        memset(t, 0, sizeof *t);
        t->dst = dst;
        evidence_probe_tunnel(&ev, t);
    }

    error = collect_filters(opts, d, ev.rtnl, &d->filters, "", errorp);
    if (!error && opts->probe) {
        probe_filters(opts, d, ev.rtnl);
    }
    if (error) {
        evidence_close(&ev);
        return error;
    }
    if (opts->record_dir) {
        char *buf = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&buf, &len);
        vfy_evidence_write(f, &d->ev);
        fclose(f);
        record_file(opts->record_dir, "evidence.txt", buf, len);
        free(buf);
    }

join:;
    struct vfy_input input = {
        .flows = &d->flows,
        .filters = &d->filters,
        .devs = &d->ev.devs,
        .tunnels = d->ev.tunnels,
        .n_tunnels = d->ev.n_tunnels,
        .config = d->ev.config,
        .bridge = opts->bridge,
        .time_ms = time_wall_msec(),
        .tc_flows = tc_flows,
        .dpstats = d->ev.dpstats,
        .n_dpstats = d->ev.n_dpstats,
        .sources = &d->sources,
    };
    vfy_join(&input, &d->report);

    /* Software counters that still grow on in_hw flows: dump again. */
    if (kernel && opts->resample_ms > 0 && d->report.counts[VFY_IN_HW]) {
        xnanosleep((long long int) opts->resample_ms * 1000 * 1000);
        d->prev = d->filters;
        vfy_filters_init(&d->filters);
        error = collect_filters(opts, d, ev.rtnl, &d->filters, "-2", errorp);
        if (!error) {
            vfy_report_destroy(&d->report);
            input.filters = &d->filters;
            input.prev_filters = &d->prev;
            vfy_join(&input, &d->report);
        }
    }
    if (kernel) {
        evidence_close(&ev);
    }
    return error;
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

void
verify_render(const struct verify_data *d, bool json, bool pretty,
              FILE *out)
{
    if (json) {
        vfy_report_json(&d->report, pretty, out);
        fputc('\n', out);
    } else {
        vfy_report_text(&d->report, out);
    }
}

char *
verify_render_string(const struct verify_data *d, bool json, bool pretty)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);

    ovs_assert(f);
    verify_render(d, json, pretty, f);
    fclose(f);
    /* The unixctl reply carries no trailing new-line of its own. */
    if (json && len && buf[len - 1] == '\n') {
        buf[len - 1] = '\0';
    }
    return buf;
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
           OPT_VSWITCHD, OPT_RECORD, OPT_NO_DB, OPT_RESAMPLE, OPT_PROBE,
           OPT_PROBE_CHAIN, OPT_CHECK_VSWITCHD, OPT_SYSFS_ROOT,
           OPT_TIMEOUT };
    static const struct option long_options[] = {
        {"bridge", required_argument, NULL, OPT_BRIDGE},
        {"watch", required_argument, NULL, OPT_WATCH},
        {"format", required_argument, NULL, OPT_FORMAT},
        {"pretty", no_argument, NULL, OPT_PRETTY},
        {"vswitchd", required_argument, NULL, OPT_VSWITCHD},
        {"record", required_argument, NULL, OPT_RECORD},
        {"no-db", no_argument, NULL, OPT_NO_DB},
        {"resample", required_argument, NULL, OPT_RESAMPLE},
        {"probe", no_argument, NULL, OPT_PROBE},
        {"probe-chain", required_argument, NULL, OPT_PROBE_CHAIN},
        {"check-vswitchd", no_argument, NULL, OPT_CHECK_VSWITCHD},
        {"sysfs-root", required_argument, NULL, OPT_SYSFS_ROOT},
        {"vswitchd-timeout", required_argument, NULL, OPT_TIMEOUT},
        {NULL, 0, NULL, 0},
    };
    struct verify_options opts = VERIFY_OPTIONS_DEFAULT;
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
        case OPT_PROBE:
            opts.probe = true;
            break;
        case OPT_PROBE_CHAIN:
            if (!str_to_int(optarg, 10, &opts.probe_chain)
                || opts.probe_chain < 0) {
                fprintf(stderr, "verify: --probe-chain needs a chain number "
                        "(\"%s\")\n", optarg);
                return 2;
            }
            break;
        case OPT_CHECK_VSWITCHD:
            opts.check_vswitchd = true;
            break;
        case OPT_SYSFS_ROOT:
            opts.sysfs_root = optarg;
            break;
        case OPT_TIMEOUT:
            if (!str_to_int(optarg, 10, &opts.vswitchd_timeout_ms)
                || opts.vswitchd_timeout_ms <= 0) {
                fprintf(stderr, "verify: --vswitchd-timeout needs a positive "
                        "number of milliseconds (\"%s\")\n", optarg);
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
            verify_render(&d, json, pretty, stdout);
            fflush(stdout);
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
verify_unixctl(const struct ovsview *view,
               const struct verify_options *defaults, int argc,
               const char *argv[], struct ovsdb_idl *idl,
               struct ovsdb_idl_txn *txn, int *status)
{
    struct verify_options opts = VERIFY_OPTIONS_DEFAULT;
    struct verify_data d;

    if (defaults) {
        opts = *defaults;
    }
    opts.resample_ms = 0;       /* No sleeping in the daemon. */
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
        reply = verify_render_string(&d, json, false);
        *status = vfy_report_status(&d.report);
    }
    if (txn) {
        verify_publish(error ? NULL : &d.report, error, idl, txn);
    }
    free(error);
    verify_data_destroy(&d);
    return reply;
}
