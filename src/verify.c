/*
 * verify: the join of OVS flows, tc filters and device evidence, and the
 * table renderer.  See verify.h.
 */
#include "verify.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "tcdump.h"

static void *
vfy_xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p) {
        abort();
    }
    return p;
}

static void *
vfy_xrealloc(void *p, size_t n)
{
    p = realloc(p, n ? n : 1);
    if (!p) {
        abort();
    }
    return p;
}

static char *
vfy_xstrdup(const char *s)
{
    return s ? strcpy(vfy_xmalloc(strlen(s) + 1), s) : NULL;
}

const char *
vfy_verdict_name(enum vfy_verdict v)
{
    switch (v) {
    case VFY_IN_HW: return "in_hw";
    case VFY_TC_SW_ONLY: return "in_tc_software_only";
    case VFY_NOT_IN_TC: return "not_in_tc";
    case VFY_PARTIAL: return "partial";
    case VFY_ORPHAN: return "orphan";
    case VFY_N_VERDICTS:
    default: return "?";
    }
}

int
vfy_report_status(const struct vfy_report *r)
{
    return (r->counts[VFY_IN_HW] == r->n_flows && !r->n_sw_growing) ? 0 : 1;
}

/* Devices. */

void
vfy_devs_init(struct vfy_devs *ds)
{
    ds->d = NULL;
    ds->n = ds->allocated = 0;
}

void
vfy_devs_destroy(struct vfy_devs *ds)
{
    if (ds) {
        for (size_t i = 0; i < ds->n; i++) {
            struct vfy_dev *d = &ds->d[i];
            free(d->name);
            free(d->bridge);
            free(d->driver);
            free(d->switch_id);
            free(d->eswitch_mode);
            for (size_t j = 0; j < d->n_lower; j++) {
                free(d->lower[j]);
            }
            free(d->lower);
        }
        free(ds->d);
        vfy_devs_init(ds);
    }
}

struct vfy_dev *
vfy_devs_add(struct vfy_devs *ds, const char *name)
{
    struct vfy_dev *d = vfy_devs_find(ds, name);

    if (d) {
        return d;
    }
    if (ds->n >= ds->allocated) {
        ds->allocated = ds->allocated ? 2 * ds->allocated : 16;
        ds->d = vfy_xrealloc(ds->d, ds->allocated * sizeof *ds->d);
    }
    d = &ds->d[ds->n++];
    memset(d, 0, sizeof *d);
    d->name = vfy_xstrdup(name);
    return d;
}

struct vfy_dev *
vfy_devs_find(const struct vfy_devs *ds, const char *name)
{
    for (size_t i = 0; ds && name && i < ds->n; i++) {
        if (!strcmp(ds->d[i].name, name)) {
            return &ds->d[i];
        }
    }
    return NULL;
}

static const struct vfy_dev *
vfy_devs_find_block(const struct vfy_devs *ds, uint32_t block)
{
    for (size_t i = 0; ds && i < ds->n; i++) {
        if (ds->d[i].block == block) {
            return &ds->d[i];
        }
    }
    return NULL;
}

/* The device a filter was dumped from. */
static const struct vfy_dev *
filter_dev(const struct vfy_input *in, const struct vfy_filter *f)
{
    return (f->block
            ? vfy_devs_find_block(in->devs, f->block)
            : vfy_devs_find(in->devs, f->dev));
}

/* Reasons. */

static void
add_reason(struct vfy_entry *e, const char *code, const char *format, ...)
{
    va_list args;
    char *text;

    for (size_t i = 0; i < e->n_reasons; i++) {
        if (!strcmp(e->reasons[i].code, code)) {
            return;             /* One reason per code is enough. */
        }
    }
    va_start(args, format);
    if (vasprintf(&text, format, args) < 0) {
        abort();
    }
    va_end(args);
    e->reasons = vfy_xrealloc(e->reasons,
                              (e->n_reasons + 1) * sizeof *e->reasons);
    e->reasons[e->n_reasons].code = code;
    e->reasons[e->n_reasons].text = text;
    e->n_reasons++;
}

/* Evidence about one device (or a bond member 'of'). */
static void
explain_dev(struct vfy_entry *e, const struct vfy_dev *d, const char *of)
{
    char prefix[128];

    if (of) {
        snprintf(prefix, sizeof prefix, "%s member ", of);
    } else {
        prefix[0] = '\0';
    }
    if (!d->exists) {
        add_reason(e, "no_kernel_device", "%s%s is not a kernel network "
                   "device (no tc there)", prefix, d->name);
        return;
    }
    if (d->hw_tc_feature == VFY_NO) {
        add_reason(e, "no_hw_tc_offload", "%s%s (driver %s) has no "
                   "hw-tc-offload feature (ethtool -k)", prefix, d->name,
                   d->driver ? d->driver : "unknown");
    } else if (d->hw_tc_on == VFY_NO) {
        add_reason(e, "hw_tc_offload_off", "hw-tc-offload is off on %s%s "
                   "(ethtool -K %s hw-tc-offload on)", prefix, d->name,
                   d->name);
    }
    if (d->n_lower) {
        return;                 /* The members tell. */
    }
    if (!d->switch_id) {
        add_reason(e, "not_switch_port", "%s%s (driver %s) is not a "
                   "representor or PF of an offload-capable switch (no "
                   "phys_switch_id)", prefix, d->name,
                   d->driver ? d->driver : "unknown");
    } else if (d->eswitch_mode && !strcmp(d->eswitch_mode, "legacy")) {
        add_reason(e, "eswitch_legacy", "the eswitch of %s%s is in legacy "
                   "mode, not switchdev", prefix, d->name);
    }
}

/* Actions (and matches) that tc offload commonly cannot put in hardware,
 * with the OVS action text that reveals them. */
static const struct {
    const char *needle;
    const char *what;
} risky_actions[] = {
    { "ct(", "connection tracking (ct)" },
    { "recirc(", "recirculation" },
    { "check_pkt_len(", "check_pkt_len" },
    { "meter(", "a meter" },
    { "userspace(", "a userspace action" },
    { "sample(", "sampling" },
    { "trunc(", "truncation" },
    { "clone(", "clone" },
    { "push_nsh(", "NSH" },
};

static void
explain_actions(struct vfy_entry *e, const struct vfy_flow *flow)
{
    for (size_t i = 0; i < sizeof risky_actions / sizeof *risky_actions;
         i++) {
        if (flow->actions && strstr(flow->actions, risky_actions[i].needle)) {
            add_reason(e, "unsupported_action", "the flow uses %s, which "
                       "the driver may not offload", risky_actions[i].what);
        }
    }
}

char *
vfy_flow_tunnel_dst(const struct vfy_flow *flow)
{
    const char *p = NULL;

    if (flow->match && (p = strstr(flow->match, "tunnel(")) != NULL) {
        /* Received from a tunnel: the remote end is the outer source. */
        p = strstr(p, "src=");
    } else if (flow->actions && (p = strstr(flow->actions, "tnl_push(")) ) {
        p = strstr(p, "dst=");
    } else if (flow->actions
               && (p = strstr(flow->actions, "set(tunnel(")) != NULL) {
        p = strstr(p, "dst=");
    }
    if (!p) {
        return NULL;
    }
    p += 4;
    size_t n = strcspn(p, ",)/");
    if (n && !strchr("0123456789abcdefABCDEF:", p[0])) {
        return NULL;
    }
    if (!n || n > 63) {
        return NULL;
    }
    char *s = vfy_xmalloc(n + 1);
    memcpy(s, p, n);
    s[n] = '\0';
    return s;
}

static void
explain_tunnel(struct vfy_entry *e, const struct vfy_input *in,
               const struct vfy_flow *flow)
{
    char *dst = vfy_flow_tunnel_dst(flow);

    if (!dst) {
        return;
    }
    for (size_t i = 0; i < in->n_tunnels; i++) {
        const struct vfy_tunnel *t = &in->tunnels[i];

        if (!strcmp(t->dst, dst)) {
            if (t->route == VFY_NO) {
                add_reason(e, "tunnel_no_route", "no route to tunnel "
                           "destination %s", dst);
            } else if (t->neigh == VFY_NO) {
                add_reason(e, "tunnel_no_neigh", "no valid neighbour for "
                           "tunnel destination %s via %s", dst,
                           t->route_dev ? t->route_dev : "?");
            }
        }
    }
    free(dst);
}

static void
explain_miss(struct vfy_entry *e, const struct vfy_input *in,
             const struct vfy_flow *flow)
{
    const struct vfy_config *c = &in->config;

    if (!c->hw_offload) {
        add_reason(e, "hw_offload_disabled", "other_config:hw-offload is "
                   "not true, so OVS does not use tc");
    } else if (c->tc_policy && !strcmp(c->tc_policy, "skip_hw")) {
        add_reason(e, "tc_policy_skip_hw", "other_config:tc-policy is "
                   "skip_hw: OVS asks tc for software only");
    }
    if (flow && e->verdict == VFY_NOT_IN_TC && c->hw_offload) {
        if (!strcmp(flow->dp, "tc")) {
            add_reason(e, "filter_not_found", "OVS reports dp:tc, but no "
                       "dumped tc filter carries this ufid");
        } else if (!strcmp(flow->dp, "ovs")) {
            add_reason(e, "kernel_datapath", "OVS kept the flow in its "
                       "own datapath (dp:ovs): tc refused it or could not "
                       "express it%s",
                       c->tc_policy && !strcmp(c->tc_policy, "skip_sw")
                       ? " (tc-policy=skip_sw)" : "");
        }
    }

    const char *port = flow ? flow->in_port : e->in_port;
    const struct vfy_dev *d = in->devs ? vfy_devs_find(in->devs, port) : NULL;
    if (flow && !d && port) {
        add_reason(e, "unknown_device", "in_port %s is not an interface "
                   "the tool inspected", port);
    }
    if (d) {
        explain_dev(e, d, NULL);
        for (size_t i = 0; i < d->n_lower; i++) {
            const struct vfy_dev *m = vfy_devs_find(in->devs, d->lower[i]);
            if (m) {
                explain_dev(e, m, d->name);
            }
        }
    }
    if (flow) {
        explain_actions(e, flow);
        explain_tunnel(e, in, flow);
    }
}

/* Filters sorted by ufid, for the join. */
struct keyed_filter {
    char ufid[VFY_UFID_LEN];
    const struct vfy_filter *f;
    size_t idx;
};

static int
compare_keyed(const void *a_, const void *b_)
{
    const struct keyed_filter *a = a_, *b = b_;
    int c = strcmp(a->ufid, b->ufid);
    return c ? c : (a->idx < b->idx ? -1 : a->idx > b->idx);
}

static struct keyed_filter *
key_filters(const struct vfy_filters *fs, size_t *n)
{
    struct keyed_filter *k = vfy_xmalloc((fs ? fs->n : 0) * sizeof *k);

    *n = 0;
    for (size_t i = 0; fs && i < fs->n; i++) {
        if (tcdump_filter_ufid(&fs->f[i], k[*n].ufid)) {
            k[*n].f = &fs->f[i];
            k[*n].idx = i;
            (*n)++;
        }
    }
    qsort(k, *n, sizeof *k, compare_keyed);
    return k;
}

/* Returns the first index in 'k' whose ufid is 'ufid', or 'n'. */
static size_t
find_keyed(const struct keyed_filter *k, size_t n, const char *ufid)
{
    size_t lo = 0, hi = n;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(k[mid].ufid, ufid) < 0) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    return lo < n && !strcmp(k[lo].ufid, ufid) ? lo : n;
}

static bool
filter_in_hw(const struct vfy_filter *f)
{
    return ((f->has_flags && (f->flags & VFY_TC_IN_HW))
            || (f->has_in_hw_count && f->in_hw_count > 0));
}

static void
entry_add_filter(struct vfy_entry *e, const struct vfy_filter *f)
{
    uint64_t hp, hb, sp, sb;

    e->filters = vfy_xrealloc(e->filters,
                              (e->n_filters + 1) * sizeof *e->filters);
    e->filters[e->n_filters++] = f;
    if (f->has_in_hw_count && f->in_hw_count > e->in_hw_count) {
        e->in_hw_count = f->in_hw_count;
    }
    tcdump_filter_stats(f, &hp, &hb, &sp, &sb);
    e->hw_packets += hp;
    e->hw_bytes += hb;
    e->sw_packets += sp;
    e->sw_bytes += sb;
}

/* Decides the verdict of an entry from its filters. */
static void
judge(struct vfy_entry *e, const struct vfy_input *in)
{
    size_t n_hw = 0;

    for (size_t i = 0; i < e->n_filters; i++) {
        n_hw += filter_in_hw(e->filters[i]);
    }
    if (!e->n_filters) {
        e->verdict = VFY_NOT_IN_TC;
    } else if (n_hw == e->n_filters) {
        e->verdict = VFY_IN_HW;
    } else if (n_hw) {
        e->verdict = VFY_PARTIAL;
        add_reason(e, "some_filters_not_in_hw", "%zu of the flow's %zu tc "
                   "filters are in hardware", n_hw, e->n_filters);
    } else {
        e->verdict = VFY_TC_SW_ONLY;
    }

    /* A filter on a bond (or its shared block) belongs in hardware once per
     * member. */
    if (e->verdict == VFY_IN_HW) {
        for (size_t i = 0; i < e->n_filters; i++) {
            const struct vfy_filter *f = e->filters[i];
            const struct vfy_dev *d = filter_dev(in, f);

            if (d && d->n_lower > 1 && f->has_in_hw_count
                && f->in_hw_count < d->n_lower) {
                e->verdict = VFY_PARTIAL;
                add_reason(e, "partial_in_hw_count", "in_hw_count %"PRIu32
                           " on %s, which has %zu members", f->in_hw_count,
                           d->name, d->n_lower);
            }
        }
    }
    if (e->flow && e->flow->offload_partial) {
        e->verdict = VFY_PARTIAL;
        add_reason(e, "ovs_partial_offload", "OVS reports offloaded:partial"
                   " (hardware classifies, software executes)");
    }
}

static int
compare_entries(const void *a_, const void *b_)
{
    const struct vfy_entry *a = a_, *b = b_;
    int c;

    if ((a->verdict == VFY_ORPHAN) != (b->verdict == VFY_ORPHAN)) {
        return a->verdict == VFY_ORPHAN ? 1 : -1;
    }
    c = strcmp(a->bridge ? a->bridge : "", b->bridge ? b->bridge : "");
    if (!c) {
        c = strcmp(a->in_port ? a->in_port : "", b->in_port ? b->in_port : "");
    }
    if (!c) {
        c = strcmp(a->ufid, b->ufid);
    }
    if (!c && a->n_filters && b->n_filters) {
        const struct vfy_filter *fa = a->filters[0], *fb = b->filters[0];
        c = (fa->chain != fb->chain ? (fa->chain < fb->chain ? -1 : 1)
             : fa->prio != fb->prio ? (fa->prio < fb->prio ? -1 : 1)
             : fa->handle != fb->handle ? (fa->handle < fb->handle ? -1 : 1)
             : 0);
    }
    return c;
}

void
vfy_join(const struct vfy_input *in, struct vfy_report *r)
{
    size_t n_keyed, n_prev;
    struct keyed_filter *keyed = key_filters(in->filters, &n_keyed);
    struct keyed_filter *prev = key_filters(in->prev_filters, &n_prev);
    size_t n_all = in->filters ? in->filters->n : 0;
    bool *used = calloc(n_all ? n_all : 1, sizeof *used);
    size_t allocated;

    if (!used) {
        abort();
    }
    memset(r, 0, sizeof *r);
    r->config.hw_offload = in->config.hw_offload;
    r->config.tc_policy = vfy_xstrdup(in->config.tc_policy);
    r->bridge = in->bridge;
    r->time_ms = in->time_ms;
    allocated = (in->flows ? in->flows->n : 0) + n_all;
    r->entries = vfy_xmalloc(allocated * sizeof *r->entries);

    /* One entry per OVS flow. */
    for (size_t i = 0; in->flows && i < in->flows->n; i++) {
        const struct vfy_flow *flow = &in->flows->f[i];
        const struct vfy_dev *d = vfy_devs_find(in->devs, flow->in_port);
        const char *bridge = d ? d->bridge : NULL;

        if (in->bridge && (!bridge || strcmp(bridge, in->bridge))) {
            continue;
        }
        struct vfy_entry *e = &r->entries[r->n_entries++];
        memset(e, 0, sizeof *e);
        e->flow = flow;
        memcpy(e->ufid, flow->ufid, sizeof e->ufid);
        e->bridge = vfy_xstrdup(bridge);
        e->in_port = vfy_xstrdup(flow->in_port);
        if (flow->ufid[0]) {
            for (size_t j = find_keyed(keyed, n_keyed, flow->ufid);
                 j < n_keyed && !strcmp(keyed[j].ufid, flow->ufid); j++) {
                entry_add_filter(e, keyed[j].f);
                used[keyed[j].idx] = true;
            }
        }
        judge(e, in);

        /* Software counters that grow on an in_hw flow. */
        if (e->verdict == VFY_IN_HW && n_prev && flow->ufid[0]) {
            uint64_t before = 0;
            for (size_t j = find_keyed(prev, n_prev, flow->ufid);
                 j < n_prev && !strcmp(prev[j].ufid, flow->ufid); j++) {
                uint64_t hp, hb, sp, sb;
                tcdump_filter_stats(prev[j].f, &hp, &hb, &sp, &sb);
                before += sp;
            }
            if (e->sw_packets > before) {
                e->sw_growing = true;
                r->n_sw_growing++;
                add_reason(e, "sw_counters_growing", "in hardware, but its "
                           "software counters grew by %"PRIu64" packets",
                           e->sw_packets - before);
            }
        }
        if (e->verdict != VFY_IN_HW) {
            explain_miss(e, in, flow);
        }
        r->n_flows++;
        r->counts[e->verdict]++;
    }

    /* Orphans: filters that no reported flow claimed. */
    for (size_t i = 0; i < n_all; i++) {
        const struct vfy_filter *f = &in->filters->f[i];
        const struct vfy_dev *d = filter_dev(in, f);

        if (used[i]) {
            continue;
        }
        if (in->bridge && (!d || !d->bridge || strcmp(d->bridge,
                                                       in->bridge))) {
            continue;
        }
        struct vfy_entry *e = &r->entries[r->n_entries++];
        memset(e, 0, sizeof *e);
        tcdump_filter_ufid(f, e->ufid);
        e->bridge = vfy_xstrdup(d ? d->bridge : NULL);
        e->in_port = vfy_xstrdup(f->dev ? f->dev : d ? d->name : NULL);
        entry_add_filter(e, f);
        e->verdict = VFY_ORPHAN;
        if (e->ufid[0]) {
            add_reason(e, "no_ovs_flow", "the cookie names ufid %s, which "
                       "OVS does not list", e->ufid);
        } else {
            add_reason(e, "no_ovs_cookie", "the filter has no OVS ufid "
                       "cookie (added outside OVS)");
        }
        r->counts[VFY_ORPHAN]++;
    }

    qsort(r->entries, r->n_entries, sizeof *r->entries, compare_entries);
    free(keyed);
    free(prev);
    free(used);
}

void
vfy_report_destroy(struct vfy_report *r)
{
    if (!r) {
        return;
    }
    for (size_t i = 0; i < r->n_entries; i++) {
        struct vfy_entry *e = &r->entries[i];
        free(e->bridge);
        free(e->in_port);
        free(e->filters);
        for (size_t j = 0; j < e->n_reasons; j++) {
            free(e->reasons[j].text);
        }
        free(e->reasons);
    }
    free(r->entries);
    free(r->config.tc_policy);
    memset(r, 0, sizeof *r);
}

/* Text. */

static void
format_flags(const struct vfy_filter *f, char *buf, size_t size)
{
    static const struct { uint32_t bit; const char *name; } names[] = {
        { VFY_TC_SKIP_HW, "skip_hw" },
        { VFY_TC_SKIP_SW, "skip_sw" },
        { VFY_TC_IN_HW, "in_hw" },
        { VFY_TC_NOT_IN_HW, "not_in_hw" },
    };
    size_t len = 0;

    buf[0] = '\0';
    if (!f->has_flags) {
        snprintf(buf, size, "no-flags");
        return;
    }
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
        if (f->flags & names[i].bit) {
            len += snprintf(buf + len, len < size ? size - len : 0, "%s%s",
                            len ? "," : "", names[i].name);
        }
    }
}

void
vfy_report_text(const struct vfy_report *r, FILE *out)
{
    fprintf(out, "Offload verification%s%s: %zu flows, %zu in hardware, "
            "%zu software-only, %zu not in tc, %zu partial, %zu orphan "
            "filters",
            r->bridge ? " of bridge " : "", r->bridge ? r->bridge : "",
            r->n_flows, r->counts[VFY_IN_HW], r->counts[VFY_TC_SW_ONLY],
            r->counts[VFY_NOT_IN_TC], r->counts[VFY_PARTIAL],
            r->counts[VFY_ORPHAN]);
    if (r->n_sw_growing) {
        fprintf(out, ", %zu in hardware with growing software counters",
                r->n_sw_growing);
    }
    fprintf(out, "\nhw-offload=%s tc-policy=%s\n",
            r->config.hw_offload ? "true" : "false",
            r->config.tc_policy ? r->config.tc_policy : "none");
    if (!r->n_entries) {
        return;
    }
    fprintf(out, "\n%-36s  %-8s %-12s %-19s %5s %10s %10s %10s\n",
            "UFID", "BRIDGE", "IN_PORT", "VERDICT", "HWCNT", "HW_PKTS",
            "SW_PKTS", "OVS_PKTS");
    for (size_t i = 0; i < r->n_entries; i++) {
        const struct vfy_entry *e = &r->entries[i];
        char ovs_pkts[24];

        if (e->flow) {
            snprintf(ovs_pkts, sizeof ovs_pkts, "%"PRIu64, e->flow->packets);
        } else {
            snprintf(ovs_pkts, sizeof ovs_pkts, "-");
        }
        fprintf(out, "%-36s  %-8s %-12s %-19s %5"PRIu32" %10"PRIu64
                " %10"PRIu64" %10s\n",
                e->ufid[0] ? e->ufid : "-", e->bridge ? e->bridge : "-",
                e->in_port ? e->in_port : "-", vfy_verdict_name(e->verdict),
                e->in_hw_count, e->hw_packets, e->sw_packets, ovs_pkts);
        for (size_t j = 0; j < e->n_filters; j++) {
            const struct vfy_filter *f = e->filters[j];
            char flags[64];

            format_flags(f, flags, sizeof flags);
            fprintf(out, "    tc: %s ingress chain %"PRIu32" pref %"PRIu32
                    " handle 0x%"PRIx32" %s %s\n", f->dev ? f->dev : "?",
                    f->chain, f->prio, f->handle, f->kind, flags);
        }
        for (size_t j = 0; j < e->n_reasons; j++) {
            fprintf(out, "    reason: %s: %s\n", e->reasons[j].code,
                    e->reasons[j].text);
        }
    }
}

char *
vfy_report_text_string(const struct vfy_report *r)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);

    if (!f) {
        abort();
    }
    vfy_report_text(r, f);
    fclose(f);
    return buf;
}

/* Evidence as text. */

static const char *
tristate_name(enum vfy_tristate t)
{
    return t == VFY_YES ? "yes" : t == VFY_NO ? "no" : "?";
}

static enum vfy_tristate
tristate_parse(const char *s)
{
    return !strcmp(s, "yes") ? VFY_YES : !strcmp(s, "no") ? VFY_NO
           : VFY_UNKNOWN;
}

static const char *
or_dash(const char *s)
{
    return s && *s ? s : "-";
}

void
vfy_evidence_write(FILE *f, const struct vfy_devs *devs,
                   const struct vfy_config *c,
                   const struct vfy_tunnel *tunnels, size_t n_tunnels)
{
    fprintf(f, "config hw_offload=%s tc_policy=%s\n",
            c->hw_offload ? "true" : "false", or_dash(c->tc_policy));
    for (size_t i = 0; devs && i < devs->n; i++) {
        const struct vfy_dev *d = &devs->d[i];

        fprintf(f, "dev %s bridge=%s exists=%s ifindex=%"PRIu32" driver=%s "
                "hw_tc=%s hw_tc_on=%s switch_id=%s eswitch=%s block=%"PRIu32
                " lower=", d->name, or_dash(d->bridge),
                d->exists ? "yes" : "no", d->ifindex, or_dash(d->driver),
                tristate_name(d->hw_tc_feature), tristate_name(d->hw_tc_on),
                or_dash(d->switch_id), or_dash(d->eswitch_mode), d->block);
        for (size_t j = 0; j < d->n_lower; j++) {
            fprintf(f, "%s%s", j ? "," : "", d->lower[j]);
        }
        fprintf(f, "%s\n", d->n_lower ? "" : "-");
    }
    for (size_t i = 0; i < n_tunnels; i++) {
        const struct vfy_tunnel *t = &tunnels[i];
        fprintf(f, "tunnel %s route=%s route_dev=%s neigh=%s\n", t->dst,
                tristate_name(t->route), or_dash(t->route_dev),
                tristate_name(t->neigh));
    }
}

static char *
dash_or_dup(const char *s)
{
    return strcmp(s, "-") ? vfy_xstrdup(s) : NULL;
}

int
vfy_evidence_read(FILE *f, struct vfy_devs *devs, struct vfy_config *c,
                  struct vfy_tunnel **tunnels, size_t *n_tunnels,
                  char **errorp)
{
    char line[4096];
    int lineno = 0;

    while (fgets(line, sizeof line, f)) {
        char *save = NULL;
        char *word = strtok_r(line, " \t\n", &save);
        lineno++;

        if (!word || word[0] == '#') {
            continue;
        }
        char *name = strcmp(word, "config") ? strtok_r(NULL, " \t\n", &save)
                                            : NULL;
        struct vfy_dev *d = NULL;
        struct vfy_tunnel *t = NULL;

        if (!strcmp(word, "dev") && name) {
            d = vfy_devs_add(devs, name);
        } else if (!strcmp(word, "tunnel") && name) {
            *tunnels = vfy_xrealloc(*tunnels,
                                    (*n_tunnels + 1) * sizeof **tunnels);
            t = &(*tunnels)[(*n_tunnels)++];
            memset(t, 0, sizeof *t);
            t->dst = vfy_xstrdup(name);
        } else if (strcmp(word, "config")) {
            goto error;
        }
        for (char *kv = strtok_r(NULL, " \t\n", &save); kv;
             kv = strtok_r(NULL, " \t\n", &save)) {
            char *v = strchr(kv, '=');
            if (!v) {
                goto error;
            }
            *v++ = '\0';
            if (!d && !t) {
                if (!strcmp(kv, "hw_offload")) {
                    c->hw_offload = !strcmp(v, "true");
                } else if (!strcmp(kv, "tc_policy")) {
                    free(c->tc_policy);
                    c->tc_policy = dash_or_dup(v);
                }
            } else if (t) {
                if (!strcmp(kv, "route")) {
                    t->route = tristate_parse(v);
                } else if (!strcmp(kv, "route_dev")) {
                    t->route_dev = dash_or_dup(v);
                } else if (!strcmp(kv, "neigh")) {
                    t->neigh = tristate_parse(v);
                }
            } else if (!strcmp(kv, "bridge")) {
                free(d->bridge);
                d->bridge = dash_or_dup(v);
            } else if (!strcmp(kv, "exists")) {
                d->exists = !strcmp(v, "yes");
            } else if (!strcmp(kv, "ifindex")) {
                d->ifindex = strtoul(v, NULL, 10);
            } else if (!strcmp(kv, "driver")) {
                free(d->driver);
                d->driver = dash_or_dup(v);
            } else if (!strcmp(kv, "hw_tc")) {
                d->hw_tc_feature = tristate_parse(v);
            } else if (!strcmp(kv, "hw_tc_on")) {
                d->hw_tc_on = tristate_parse(v);
            } else if (!strcmp(kv, "switch_id")) {
                free(d->switch_id);
                d->switch_id = dash_or_dup(v);
            } else if (!strcmp(kv, "eswitch")) {
                free(d->eswitch_mode);
                d->eswitch_mode = dash_or_dup(v);
            } else if (!strcmp(kv, "block")) {
                d->block = strtoul(v, NULL, 10);
            } else if (!strcmp(kv, "lower") && strcmp(v, "-")) {
                char *s2 = NULL;
                for (char *m = strtok_r(v, ",", &s2); m;
                     m = strtok_r(NULL, ",", &s2)) {
                    d->lower = vfy_xrealloc(d->lower, (d->n_lower + 1)
                                                      * sizeof *d->lower);
                    d->lower[d->n_lower++] = vfy_xstrdup(m);
                }
            }
        }
    }
    return 0;

error:
    if (errorp) {
        free(*errorp);
        if (asprintf(errorp, "evidence line %d is malformed", lineno) < 0) {
            *errorp = NULL;
        }
    }
    return EINVAL;
}
