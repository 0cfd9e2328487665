/*
 * verify: the join of OVS flows, tc filters and device evidence, and the
 * table renderer.  See verify.h.
 */
#include <config.h>

#include "verify.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "hash.h"
#include "lanes.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/hmap.h"
#include "tcdump.h"
#include "util.h"
#include "validate.h"
#include "verify-catalogue.h"

static bool bridge_selected(const struct vfy_input *, const char *bridge);

#define vfy_xmalloc xmalloc
#define vfy_xrealloc xrealloc
#define vfy_xstrdup nullable_xstrdup

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
    shash_init(&ds->index);
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
            if (d->tunnel_bridges) {
                sset_destroy(d->tunnel_bridges);
                free(d->tunnel_bridges);
            }
        }
        free(ds->d);
        shash_destroy(&ds->index);
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
        ds->d = x2nrealloc(ds->d, &ds->allocated, sizeof *ds->d);
    }
    d = &ds->d[ds->n++];
    memset(d, 0, sizeof *d);
    d->name = xstrdup(name);
    shash_add(&ds->index, name, (void *) (uintptr_t) ds->n);
    return d;
}

void
vfy_dev_add_tunnel_bridge(struct vfy_dev *d, const char *bridge)
{
    if (!d->tunnel_bridges) {
        d->tunnel_bridges = xmalloc(sizeof *d->tunnel_bridges);
        sset_init(d->tunnel_bridges);
    }
    sset_add(d->tunnel_bridges, bridge);
}

struct vfy_dev *
vfy_devs_find(const struct vfy_devs *ds, const char *name)
{
    if (!ds || !name) {
        return NULL;
    }
    uintptr_t idx = (uintptr_t) shash_find_data(&ds->index, name);
    return idx ? &ds->d[idx - 1] : NULL;
}

/* Shared blocks, by index, for the join. */
struct block_node {
    struct hmap_node node;
    uint32_t block;
    const struct vfy_dev *dev;  /* The first device found with it. */
};

static void
blocks_build(struct hmap *blocks, const struct vfy_devs *ds)
{
    hmap_init(blocks);
    for (size_t i = 0; ds && i < ds->n; i++) {
        const struct vfy_dev *d = &ds->d[i];
        uint32_t ids[2] = { d->block, d->egress_block };

        for (int j = 0; j < 2; j++) {
            struct block_node *b;
            bool found = false;

            if (!ids[j]) {
                continue;
            }
            HMAP_FOR_EACH_WITH_HASH (b, node, hash_int(ids[j], 0), blocks) {
                found = found || b->block == ids[j];
            }
            /* A bond's block is shared with its members: prefer the bond,
             * which names the members. */
            if (!found) {
                b = xmalloc(sizeof *b);
                b->block = ids[j];
                b->dev = d;
                hmap_insert(blocks, &b->node, hash_int(ids[j], 0));
            } else if (d->n_lower) {
                HMAP_FOR_EACH_WITH_HASH (b, node, hash_int(ids[j], 0),
                                         blocks) {
                    if (b->block == ids[j] && !b->dev->n_lower) {
                        b->dev = d;
                    }
                }
            }
        }
    }
}

static void
blocks_destroy(struct hmap *blocks)
{
    struct block_node *b;

    HMAP_FOR_EACH_POP (b, node, blocks) {
        free(b);
    }
    hmap_destroy(blocks);
}

static const struct vfy_dev *
blocks_find(const struct hmap *blocks, uint32_t block)
{
    const struct block_node *b;

    HMAP_FOR_EACH_WITH_HASH (b, node, hash_int(block, 0), blocks) {
        if (b->block == block) {
            return b->dev;
        }
    }
    return NULL;
}

/* Reasons. */

/* Returns room for one more reason of 'e'.  The array grows to the next
 * power of two when its count reaches one (its size follows from the
 * count), so that most entries take a single allocation. */
static struct vfy_reason *
entry_new_reason(struct vfy_entry *e)
{
    size_t n = e->n_reasons;

    if (e->reasons_borrowed) {
        /* Copy on write: the entry's own array, whose texts stay the
         * report's. */
        size_t size = 2;
        struct vfy_reason *copy;

        while (size < n + 1) {
            size *= 2;
        }
        copy = vfy_xmalloc(size * sizeof *copy);
        for (size_t i = 0; i < n; i++) {
            copy[i] = e->reasons[i];
            copy[i].shared = true;
        }
        e->reasons = copy;
        e->reasons_borrowed = false;
    } else if (!n || (n >= 2 && !(n & (n - 1)))) {
        e->reasons = vfy_xrealloc(e->reasons,
                                  (n ? 2 * n : 2) * sizeof *e->reasons);
    }
    return &e->reasons[e->n_reasons++];
}

static void OVS_PRINTF_FORMAT(3, 4)
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
    text = xvasprintf(format, args);
    va_end(args);

    struct vfy_reason *reason = entry_new_reason(e);
    reason->code = code;
    reason->text = text;
    reason->shared = false;
}

/* Adds a reason whose text the report owns (see explain_dev_cached()). */
static void
add_shared_reason(struct vfy_entry *e, const struct vfy_reason *reason)
{
    for (size_t i = 0; i < e->n_reasons; i++) {
        if (!strcmp(e->reasons[i].code, reason->code)) {
            return;
        }
    }
    struct vfy_reason *copy = entry_new_reason(e);
    *copy = *reason;
    copy->shared = true;
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

/* A remembered lookup by name: the name looked up last and the answer.
 * Names repeat from one entry to the next (the filters of one device), and
 * comparing with the last one costs less than hashing it again. */
struct name_memo {
    const char *name;           /* NULL if none yet. */
    const void *value;
};

static inline bool
name_memo_hit(const struct name_memo *m, const char *name)
{
    return m->name && (m->name == name || !strcmp(m->name, name));
}

/* What the entries of one report share. */
struct vfy_join_pool {
    struct sset names;          /* Bridge and port names of entries. */
    struct hmap dev_reasons;    /* struct dev_reasons, by device. */

    /* The entries' arrays of filters, carved out of large blocks that are
     * freed together (rather than one allocation per entry). */
    void **blocks;
    size_t n_blocks, allocated_blocks;
    char *free_space;           /* In the last block. */
    size_t n_free;

    /* During vfy_join() only: the last lookups of devices (by name), of
     * entries' bridge and port names, and of explain_dev_cached(). */
    struct name_memo dev_memo, bridge_memo, port_memo;
    struct dev_reasons *last_dev_reasons;
};

/* The reasons explain_dev() gives for one device, computed once per report
 * rather than formatted again for each of its (maybe 100,000) flows. */
struct dev_reasons {
    struct hmap_node node;
    const struct vfy_dev *d;
    const char *of;
    struct vfy_entry scratch;   /* Only 'reasons' and 'n_reasons'. */
};

static void
pool_init(struct vfy_report *r)
{
    r->pool = xzalloc(sizeof *r->pool);
    sset_init(&r->pool->names);
    hmap_init(&r->pool->dev_reasons);
}

/* Returns room for 'n' filter pointers that lives as long as the pool. */
static const struct vfy_filter **
pool_filter_array(struct vfy_join_pool *pool, size_t n)
{
    size_t size = n * sizeof(const struct vfy_filter *);

    if (size > pool->n_free) {
        size_t block = MAX(size, 65536);

        if (pool->n_blocks >= pool->allocated_blocks) {
            pool->blocks = x2nrealloc(pool->blocks, &pool->allocated_blocks,
                                      sizeof *pool->blocks);
        }
        pool->free_space = pool->blocks[pool->n_blocks++] = xmalloc(block);
        pool->n_free = block;
    }
    void *p = pool->free_space;
    pool->free_space += size;
    pool->n_free -= size;
    return p;
}

/* vfy_devs_find(ds, name), remembering the last answer. */
static const struct vfy_dev *
pool_find_dev(struct vfy_join_pool *pool, const struct vfy_devs *ds,
              const char *name)
{
    if (!ds || !name) {
        return NULL;
    }
    if (!name_memo_hit(&pool->dev_memo, name)) {
        pool->dev_memo.name = name;
        pool->dev_memo.value = vfy_devs_find(ds, name);
    }
    return pool->dev_memo.value;
}

static void
pool_destroy(struct vfy_join_pool *pool)
{
    struct dev_reasons *dr;

    if (!pool) {
        return;
    }
    HMAP_FOR_EACH_POP (dr, node, &pool->dev_reasons) {
        for (size_t i = 0; i < dr->scratch.n_reasons; i++) {
            free(dr->scratch.reasons[i].text);
        }
        free(dr->scratch.reasons);
        free(dr);
    }
    hmap_destroy(&pool->dev_reasons);
    sset_destroy(&pool->names);
    for (size_t i = 0; i < pool->n_blocks; i++) {
        free(pool->blocks[i]);
    }
    free(pool->blocks);
    free(pool);
}

/* Returns the report's copy of 's' (one per distinct string), or NULL.
 * 'memo' remembers the last one. */
static char *
pool_name(struct vfy_report *r, struct name_memo *memo, const char *s)
{
    struct sset_node *node;

    if (!s) {
        return NULL;
    }
    if (name_memo_hit(memo, s)) {
        return CONST_CAST(char *, memo->value);
    }
    node = sset_find(&r->pool->names, s);
    if (!node) {
        node = sset_add(&r->pool->names, s);
    }
    memo->name = s;
    memo->value = node->name;
    return node->name;
}

/* The device a filter was dumped from. */
static const struct vfy_dev *
filter_dev(struct vfy_report *r, const struct vfy_input *in,
           const struct hmap *blocks, const struct vfy_filter *f)
{
    return (f->block
            ? blocks_find(blocks, f->block)
            : pool_find_dev(r->pool, in->devs, f->dev));
}

/* explain_dev(e, d, of), with the texts shared by every entry of 'r' that
 * asks about the same device: the same reasons, in the same order, as
 * explain_dev() itself would add to 'e'. */
static void
explain_dev_cached(struct vfy_report *r, struct vfy_entry *e,
                   const struct vfy_dev *d, const char *of)
{
    struct dev_reasons *dr = r->pool->last_dev_reasons;
    uint32_t hash;

    if (dr && dr->d == d && dr->of == of) {
        goto found;
    }
    hash = hash_pointer(d, hash_pointer(of, 0));
    HMAP_FOR_EACH_WITH_HASH (dr, node, hash, &r->pool->dev_reasons) {
        if (dr->d == d && dr->of == of) {
            goto found;
        }
    }
    dr = xzalloc(sizeof *dr);
    dr->d = d;
    dr->of = of;
    explain_dev(&dr->scratch, d, of);
    hmap_insert(&r->pool->dev_reasons, &dr->node, hash);

found:
    r->pool->last_dev_reasons = dr;
    if (!e->n_reasons && dr->scratch.n_reasons) {
        /* The same reasons, in the same order, without a copy for each of
         * the (maybe 100,000) entries that have only these. */
        e->reasons = dr->scratch.reasons;
        e->n_reasons = dr->scratch.n_reasons;
        e->reasons_borrowed = true;
        return;
    }
    for (size_t i = 0; i < dr->scratch.n_reasons; i++) {
        add_shared_reason(e, &dr->scratch.reasons[i]);
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
explain_miss(struct vfy_report *r, struct vfy_entry *e,
             const struct vfy_input *in, const struct vfy_flow *flow)
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
    const struct vfy_dev *d = pool_find_dev(r->pool, in->devs, port);
    if (flow && !d && port) {
        add_reason(e, "unknown_device", "in_port %s is not an interface "
                   "the tool inspected", port);
    }
    if (d) {
        explain_dev_cached(r, e, d, NULL);
        for (size_t i = 0; i < d->n_lower; i++) {
            const struct vfy_dev *m = vfy_devs_find(in->devs, d->lower[i]);
            if (m) {
                explain_dev_cached(r, e, m, d->name);
            }
        }
    }
    if (flow) {
        explain_actions(e, flow);
        explain_tunnel(e, in, flow);
    }
}


/* Findings about the datapath as a whole. */

const char *
vfy_severity_name(enum vfy_severity s)
{
    return s == VFY_ERROR ? "error" : s == VFY_WARN ? "warning" : "info";
}

static void OVS_PRINTF_FORMAT(5, 6)
add_finding(struct vfy_report *r, size_t *allocated, enum vfy_severity sev,
            const char *code, const char *evidence_fmt, ...)
{
    va_list args;

    if (r->n_findings >= *allocated) {
        r->findings = x2nrealloc(r->findings, allocated, sizeof *r->findings);
    }
    struct vfy_finding *f = &r->findings[r->n_findings++];
    f->severity = sev;
    f->code = code;
    f->text = NULL;
    va_start(args, evidence_fmt);
    f->evidence = xvasprintf(evidence_fmt, args);
    va_end(args);
}

/* Sets the text of the last finding. */
static void OVS_PRINTF_FORMAT(2, 3)
finding_text(struct vfy_report *r, const char *format, ...)
{
    va_list args;

    va_start(args, format);
    r->findings[r->n_findings - 1].text = xvasprintf(format, args);
    va_end(args);
}

/* Whether device 'd' matters to the report: in the selected bridge (or any
 * bridge, without --bridge). */
static bool
dev_selected(const struct vfy_input *in, const struct vfy_dev *d)
{
    return d->bridge && bridge_selected(in, d->bridge);
}

static void
vfy_findings(const struct vfy_input *in, const struct hmap *blocks,
             struct vfy_report *r)
{
    const struct vfy_config *c = &in->config;
    size_t allocated = 0;

    /* The tc-policy in force decides what OVS asks tc for. */
    const char *policy = c->tc_policy ? c->tc_policy : "none";
    add_finding(r, &allocated,
                !strcmp(policy, "skip_hw") && c->hw_offload ? VFY_WARN
                : VFY_INFO, "tc_policy",
                "other_config:hw-offload=%s, other_config:tc-policy=%s%s",
                c->hw_offload ? "true" : "false", policy,
                c->tc_policy ? "" : " (not set: OVS's default, none)");
    finding_text(r, "%s", !c->hw_offload
                 ? "OVS does not use tc at all: every flow stays in the "
                   "kernel datapath"
                 : !strcmp(policy, "skip_hw")
                 ? "OVS asks tc for software only (skip_hw): nothing can "
                   "reach hardware; set tc-policy to none or skip_sw"
                 : !strcmp(policy, "skip_sw")
                 ? "OVS asks for hardware only (skip_sw): a flow that "
                   "hardware refuses stays in the kernel datapath (dp:ovs)"
                 : "OVS asks for hardware and software (none): a flow that "
                   "hardware refuses stays in tc in software, and OVS drops "
                   "the kernel's reason (use verify --probe to see it)");

    /* Upcalls lost: packets that missed the datapath and never reached
     * ovs-vswitchd. */
    for (size_t i = 0; i < in->n_dpstats; i++) {
        const struct vfy_dpstats *st = &in->dpstats[i];

        if (st->lost) {
            add_finding(r, &allocated, VFY_ERROR, "upcalls_lost",
                        "%s: lookups hit:%"PRIu64" missed:%"PRIu64
                        " lost:%"PRIu64, st->name, st->hit, st->missed,
                        st->lost);
            finding_text(r, "%"PRIu64" of %"PRIu64" upcalls were lost: "
                         "packets that missed every flow were dropped "
                         "before ovs-vswitchd could install one.  A lost "
                         "count equal to the missed count means no handler "
                         "listens (e.g. OVS 3.1 started in the first 10 s "
                         "of uptime counts 0 CPUs: restart ovs-vswitchd); a "
                         "growing part means handlers are overloaded",
                         st->lost, st->missed);
        }
    }

    for (size_t i = 0; in->devs && i < in->devs->n; i++) {
        const struct vfy_dev *d = &in->devs->d[i];

        if (!d->exists || !dev_selected(in, d)) {
            continue;
        }
        if (c->hw_offload && d->ingress_qdisc == VFY_NO) {
            add_finding(r, &allocated, VFY_ERROR, "no_ingress_qdisc",
                        "%s (ifindex %"PRIu32"): no ingress or clsact qdisc "
                        "in the qdisc dump", d->name, d->ifindex);
            finding_text(r, "%s is in bridge %s with hw-offload on, but has "
                         "no ingress qdisc: no tc flow can be added there "
                         "(deleted by hand, or OVS failed to add it: see "
                         "ovs-vswitchd.log; re-adding the port recreates "
                         "it)", d->name, d->bridge);
        }
        if (d->hw_tc_feature == VFY_YES && d->hw_tc_on == VFY_NO) {
            add_finding(r, &allocated, c->hw_offload ? VFY_ERROR : VFY_INFO,
                        "hw_tc_offload_off", "ethtool features of %s: "
                        "hw-tc-offload: off (changeable)", d->name);
            finding_text(r, "hardware offload of tc is off on %s: every tc "
                         "filter there stays in software (ethtool -K %s "
                         "hw-tc-offload on)", d->name, d->name);
        }
        if (d->n_lower && !d->block) {
            add_finding(r, &allocated, VFY_WARN, "bond_no_shared_block",
                        "%s has lower devices %s%s and its ingress qdisc "
                        "has no shared block", d->name, d->lower[0],
                        d->n_lower > 1 ? ",..." : "");
            finding_text(r, "%s is a bond without a shared tc block: mlx5 "
                         "offloads a bond's flows only through a block "
                         "shared with its members (OVS 3.1 does not set one "
                         "up by itself; LAG offload needs both ports in "
                         "switchdev and the bond created before the ports "
                         "join OVS)", d->name);
        }
        if (d->eswitch_mode && !strcmp(d->eswitch_mode, "legacy")) {
            add_finding(r, &allocated, VFY_ERROR, "eswitch_legacy",
                        "devlink eswitch mode of %s's device: legacy",
                        d->name);
            finding_text(r, "the eswitch behind %s is in legacy mode: no "
                         "flow can be offloaded (devlink dev eswitch set "
                         "... mode switchdev, with its VFs unbound)",
                         d->name);
        }
    }

    /* Encap flows whose neighbour is unresolved: mlx5 keeps such rules on
     * a slow path until the neighbour resolves. */
    for (size_t i = 0; i < in->n_tunnels; i++) {
        const struct vfy_tunnel *t = &in->tunnels[i];
        size_t n_encap = 0;

        if (t->neigh != VFY_NO && t->route != VFY_NO) {
            continue;
        }
        for (size_t j = 0; j < r->n_entries; j++) {
            const struct vfy_flow *flow = r->entries[j].flow;
            char *dst;

            if (!flow || !flow->actions
                || (!strstr(flow->actions, "tnl_push(")
                    && !strstr(flow->actions, "set(tunnel("))) {
                continue;
            }
            dst = vfy_flow_tunnel_dst(flow);
            n_encap += dst && !strcmp(dst, t->dst);
            free(dst);
        }
        if (n_encap) {
            add_finding(r, &allocated, VFY_WARN, "encap_neigh_unresolved",
                        "%s: route=%s via %s, neighbour=%s; %"PRIuSIZE
                        " encap flows", t->dst,
                        t->route == VFY_YES ? "yes" : "no",
                        t->route_dev ? t->route_dev : "-",
                        t->neigh == VFY_YES ? "valid" : "unresolved",
                        n_encap);
            finding_text(r, "flows that encapsulate to %s have no resolved "
                         "neighbour: mlx5 keeps such a rule on a slow path "
                         "(in software) until the neighbour resolves "
                         "(ping %s, or check the route)", t->dst, t->dst);
        }
    }

    /* OVS's offloaded:yes on a flow whose filter is not in hardware. */
    size_t n_false = 0;
    const char *example = NULL;
    for (size_t j = 0; j < r->n_entries; j++) {
        const struct vfy_entry *e = &r->entries[j];

        if (e->flow && e->flow->offloaded && !e->flow->offload_partial
            && e->verdict == VFY_TC_SW_ONLY) {
            n_false++;
            example = example ? example : e->ufid;
        }
    }
    if (n_false) {
        add_finding(r, &allocated, VFY_WARN, "ovs_offloaded_false_positive",
                    "%"PRIuSIZE" flows: OVS says offloaded:yes, the tc "
                    "filter is not in_hw (first: ufid %s)", n_false,
                    example);
        finding_text(r, "OVS reports these flows as offloaded because tc "
                     "accepted them, not because hardware did: trust the "
                     "filter's in_hw flag");
    }
    (void) blocks;
}

/* Filters sorted by ufid, for the join. */
/* A filter by the ufid of its cookie.  A ufid in OVS's canonical text
 * (36 characters, lowercase hex digits, dashes at 8, 13, 18 and 23) also
 * has its 128 bits as two integers, in the order of the text: compared
 * that way, the order and the equalities are those of strcmp(). */
struct ufid_key {
    uint64_t hi, lo;
    bool canonical;
};

struct keyed_filter {
    struct ufid_key key;
    const struct vfy_filter *f;  /* Its index: f - filters->f. */
};

static struct ufid_key
ufid_key(const char *ufid)
{
    /* Hex digit values + 1 (0: not a lowercase hex digit). */
    static const uint8_t digit[256] = {
        ['0'] = 1, 2, 3, 4, 5, 6, 7, 8, 9, 10,
        ['a'] = 11, 12, 13, 14, 15, 16,
    };
    static const uint8_t at[32] = {
        0, 1, 2, 3, 4, 5, 6, 7, 9, 10, 11, 12, 14, 15, 16, 17,
        19, 20, 21, 22, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35,
    };
    const unsigned char *u = (const unsigned char *) ufid;
    struct ufid_key k = { 0, 0, false };
    uint8_t all = 1;

    if (strnlen(ufid, VFY_UFID_LEN) != VFY_UFID_LEN - 1) {
        return k;
    }
    for (int i = 0; i < 16; i++) {
        uint8_t a = digit[u[at[i]]], b = digit[u[at[i + 16]]];

        all &= a && b;
        k.hi = (k.hi << 4) | (a - 1);
        k.lo = (k.lo << 4) | (b - 1);
    }
    k.canonical = (all && u[8] == '-' && u[13] == '-' && u[18] == '-'
                   && u[23] == '-');
    return k;
}

/* strcmp(a, b), faster when both are canonical. */
static int
compare_ufids(const struct ufid_key *ka, const char *a,
              const struct ufid_key *kb, const char *b)
{
    if (ka->canonical && kb->canonical) {
        return (ka->hi != kb->hi ? (ka->hi < kb->hi ? -1 : 1)
                : ka->lo != kb->lo ? (ka->lo < kb->lo ? -1 : 1)
                : 0);
    }
    return strcmp(a, b);
}

/* Orders keyed filters by ufid, then by index. */
static inline bool
keyed_less(const struct keyed_filter *a, const struct keyed_filter *b)
{
    int c = compare_ufids(&a->key, a->f->ufid, &b->key, b->f->ufid);
    return c ? c < 0 : a->f < b->f;
}

/* Sorts the 'n' keyed filters in 'k' by keyed_less(): a merge sort, with
 * the comparison inline rather than through qsort()'s callback. */
static void
merge_sort_keyed(struct keyed_filter *k, size_t n)
{
    struct keyed_filter *tmp, *src = k, *dst;

    if (n < 2) {
        return;
    }
    /* Runs of 8, by insertion. */
    for (size_t lo = 0; lo < n; lo += 8) {
        size_t hi = MIN(lo + 8, n);

        for (size_t i = lo + 1; i < hi; i++) {
            struct keyed_filter x = k[i];
            size_t j = i;

            while (j > lo && keyed_less(&x, &k[j - 1])) {
                k[j] = k[j - 1];
                j--;
            }
            k[j] = x;
        }
    }
    tmp = dst = vfy_xmalloc(n * sizeof *tmp);
    for (size_t width = 8; width < n; width *= 2) {
        for (size_t lo = 0; lo < n; lo += 2 * width) {
            size_t mid = MIN(lo + width, n), hi = MIN(lo + 2 * width, n);
            size_t i = lo, j = mid, o = lo;

            while (i < mid && j < hi) {
                dst[o++] = keyed_less(&src[j], &src[i]) ? src[j++] : src[i++];
            }
            while (i < mid) {
                dst[o++] = src[i++];
            }
            while (j < hi) {
                dst[o++] = src[j++];
            }
        }
        struct keyed_filter *t = src;
        src = dst;
        dst = t;
    }
    if (src != k) {
        memcpy(k, src, n * sizeof *k);
    }
    free(tmp);
}

static bool
same_ufid(const struct keyed_filter *a, const struct keyed_filter *b)
{
    return !compare_ufids(&a->key, a->f->ufid, &b->key, b->f->ufid);
}

/* Sorts the 'n' keyed filters in 'k', all with canonical keys, by
 * keyed_less(): first into buckets by the top bits of their ufids (in
 * order: the buckets' order is that of keyed_less()), then each bucket by
 * merge_sort_keyed().  Random ufids spread evenly, so that the buckets are
 * small; a bucket that is not is only slower. */
static void
sort_keyed(struct keyed_filter *k, size_t n)
{
    enum { BUCKET_BITS = 12, N_BUCKETS = 1 << BUCKET_BITS };

    if (n < 4 * N_BUCKETS) {
        merge_sort_keyed(k, n);
        return;
    }

    size_t *start = xcalloc(N_BUCKETS + 1, sizeof *start);
    struct keyed_filter *tmp = vfy_xmalloc(n * sizeof *tmp);

    for (size_t i = 0; i < n; i++) {
        start[(k[i].key.hi >> (64 - BUCKET_BITS)) + 1]++;
    }
    for (size_t b = 0; b < N_BUCKETS; b++) {
        start[b + 1] += start[b];
    }
    /* 'start[b]' now counts the filters before bucket b; the scatter
     * moves it to the end of bucket b, i.e. the start of bucket b + 1. */
    for (size_t i = 0; i < n; i++) {
        tmp[start[k[i].key.hi >> (64 - BUCKET_BITS)]++] = k[i];
    }
    for (size_t b = 0, first = 0; b < N_BUCKETS; first = start[b++]) {
        merge_sort_keyed(tmp + first, start[b] - first);
    }
    memcpy(k, tmp, n * sizeof *k);
    free(tmp);
    free(start);
}

static struct keyed_filter *
key_filters(const struct vfy_filters *fs, size_t *n)
{
    struct keyed_filter *k = vfy_xmalloc((fs ? fs->n : 0) * sizeof *k);

    *n = 0;
    for (size_t i = 0; fs && i < fs->n; i++) {
        const struct vfy_filter *f = &fs->f[i];

        if (f->ufid[0]) {
            struct keyed_filter *kf = k + *n;

            /* The parser's text of a cookie is canonical. */
            kf->key.hi = f->ufid_bits[0];
            kf->key.lo = f->ufid_bits[1];
            kf->key.canonical = true;
            kf->f = f;
            (*n)++;
        }
    }
    sort_keyed(k, *n);
    return k;
}

/* Returns the first index in 'k' whose ufid is 'ufid', or 'n'. */
static size_t
find_keyed(const struct keyed_filter *k, size_t n, const char *ufid)
{
    struct ufid_key key = ufid_key(ufid);
    size_t lo = 0, hi = n;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (compare_ufids(&k[mid].key, k[mid].f->ufid, &key, ufid) < 0) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    return (lo < n && !compare_ufids(&k[lo].key, k[lo].f->ufid, &key, ufid)
            ? lo : n);
}

static bool
filter_in_hw(const struct vfy_filter *f)
{
    return ((f->has_flags && (f->flags & VFY_TC_IN_HW))
            || (f->has_in_hw_count && f->in_hw_count > 0));
}

/* Adds filter 'f' to 'e', whose array of filters entry_new_filters() made
 * large enough. */
static void
entry_add_filter(struct vfy_entry *e, const struct vfy_filter *f)
{
    uint64_t hp, hb, sp, sb;

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
judge(struct vfy_report *r, struct vfy_entry *e, const struct vfy_input *in,
      const struct hmap *blocks)
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
            const struct vfy_dev *d = filter_dev(r, in, blocks, f);

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
    /* Names are the report's (pool_name()): equal names, one pointer. */
    c = (a->bridge == b->bridge ? 0
         : strcmp(a->bridge ? a->bridge : "", b->bridge ? b->bridge : ""));
    if (!c) {
        c = (a->in_port == b->in_port ? 0
             : strcmp(a->in_port ? a->in_port : "",
                      b->in_port ? b->in_port : ""));
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

/* Whether 'entries' are in the order compare_entries() gives them: then
 * sorting would leave them as they are (entries that compare equal in the
 * order they came, as glibc's qsort(), a merge sort, leaves them). */
static bool
entries_sorted(const struct vfy_entry *entries, size_t n)
{
    for (size_t i = 1; i < n; i++) {
        if (compare_entries(&entries[i - 1], &entries[i]) > 0) {
            return false;
        }
    }
    return true;
}

/* The bridge a flow with in_port device 'd' belongs to: the device's, or,
 * for a tunnel device (vxlan_sys_4789) that is in no bridge, the bridge
 * asked for if it has a port of that type, or the only such bridge. */
static const char *
flow_bridge(const struct vfy_input *in, const struct vfy_dev *d)
{
    if (!d) {
        return NULL;
    } else if (d->bridge) {
        return d->bridge;
    } else if (!d->tunnel_bridges) {
        return NULL;
    } else if (in->bridge && sset_contains(d->tunnel_bridges, in->bridge)) {
        return in->bridge;
    } else if (sset_count(d->tunnel_bridges) == 1) {
        return SSET_FIRST(d->tunnel_bridges);
    }
    return NULL;
}

static bool
bridge_selected(const struct vfy_input *in, const char *bridge)
{
    return !in->bridge || (bridge && !strcmp(bridge, in->bridge));
}

/* Software counters that grow on an in_hw flow. */
static void
check_growing(struct vfy_report *r, struct vfy_entry *e,
              const struct keyed_filter *prev, size_t n_prev)
{
    if (e->verdict != VFY_IN_HW || !n_prev || !e->ufid[0]) {
        return;
    }
    uint64_t before = 0;
    size_t first = find_keyed(prev, n_prev, e->ufid);
    for (size_t j = first;
         j < n_prev && same_ufid(&prev[j], &prev[first]); j++) {
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

/* The kernel's own reason, from "verify --probe". */
static void
explain_probe(struct vfy_entry *e)
{
    for (size_t i = 0; i < e->n_filters; i++) {
        const struct vfy_filter *f = e->filters[i];

        if (!f->probed || filter_in_hw(f)) {
            continue;
        }
        if (!f->probe_error) {
            add_reason(e, "probe_accepted", "hardware accepted the same "
                       "filter added again with skip_sw: it is not in "
                       "hardware because of when or how it was added (for "
                       "example before hw-tc-offload was turned on); "
                       "flushing the datapath flows (ovs-appctl "
                       "dpctl/del-flows) makes OVS add it again");
            continue;
        }
        const struct vfy_catalogue_entry *c
            = vfy_catalogue_lookup(f->probe_msg);
        if (c) {
            add_reason(e, "kernel_extack", "the kernel refused it in "
                       "hardware: \"%s\" (%s). Meaning: %s Fix: %s",
                       f->probe_msg, ovs_strerror(f->probe_error),
                       c->meaning, c->fix);
        } else {
            add_reason(e, "kernel_extack", "the kernel refused it in "
                       "hardware: \"%s\" (%s)",
                       f->probe_msg ? f->probe_msg : "no extended ack",
                       ovs_strerror(f->probe_error));
        }
    }
}

static struct vfy_entry *
new_entry(struct vfy_report *r, const char *ufid, const char *bridge,
          const char *in_port)
{
    struct vfy_entry *e = &r->entries[r->n_entries++];

    memset(e, 0, sizeof *e);
    e->ufid = ufid ? ufid : "";
    e->bridge = pool_name(r, &r->pool->bridge_memo, bridge);
    e->in_port = pool_name(r, &r->pool->port_memo, in_port);
    return e;
}

/* Makes room in 'e' for 'n' filters. */
static void
entry_new_filters(struct vfy_report *r, struct vfy_entry *e, size_t n)
{
    e->filters = n ? pool_filter_array(r->pool, n) : NULL;
}

/* The name a filter's flow has as its in_port: the device, or, for a shared
 * block, the device that holds the block (a bond rather than a member). */
static const char *
filter_port(const struct vfy_filter *f, const struct vfy_dev *d)
{
    return f->block && d ? d->name : f->dev ? f->dev : d ? d->name : NULL;
}

void
vfy_join(const struct vfy_input *in, struct vfy_report *r)
{
    size_t n_keyed, n_prev;
    struct keyed_filter *keyed = key_filters(in->filters, &n_keyed);
    struct keyed_filter *prev = key_filters(in->prev_filters, &n_prev);
    size_t n_all = in->filters ? in->filters->n : 0;
    bool *used = xcalloc(n_all ? n_all : 1, sizeof *used);
    struct hmap blocks;
    size_t allocated;

    blocks_build(&blocks, in->devs);
    memset(r, 0, sizeof *r);
    r->config.hw_offload = in->config.hw_offload;
    r->config.tc_policy = nullable_xstrdup(in->config.tc_policy);
    pool_init(r);
    r->bridge = in->bridge;
    r->time_ms = in->time_ms;
    r->sources = in->sources;
    r->n_unknown_attrs = in->filters ? in->filters->n_unknown_attrs : 0;
    r->n_unknown_lines = in->flows ? in->flows->n_unknown_lines : 0;
    allocated = (in->flows ? in->flows->n : 0) + n_all;
    r->entries = xmalloc(MAX(allocated, 1) * sizeof *r->entries);

    /* One entry per OVS flow. */
    for (size_t i = 0; in->flows && i < in->flows->n; i++) {
        const struct vfy_flow *flow = &in->flows->f[i];
        const struct vfy_dev *d = pool_find_dev(r->pool, in->devs,
                                                flow->in_port);
        const char *bridge = flow_bridge(in, d);

        if (!bridge_selected(in, bridge)) {
            continue;
        }
        struct vfy_entry *e = new_entry(r, flow->ufid, bridge,
                                        flow->in_port);
        e->flow = flow;
        if (flow->ufid[0]) {
            size_t first = find_keyed(keyed, n_keyed, flow->ufid);
            size_t end = first;

            while (end < n_keyed && same_ufid(&keyed[end], &keyed[first])) {
                end++;
            }
            entry_new_filters(r, e, end - first);
            for (size_t j = first; j < end; j++) {
                entry_add_filter(e, keyed[j].f);
                used[keyed[j].f - in->filters->f] = true;
            }
        }
        judge(r, e, in, &blocks);
        check_growing(r, e, prev, n_prev);
        if (e->verdict != VFY_IN_HW) {
            explain_probe(e);
            explain_miss(r, e, in, flow);
        }
        r->n_flows++;
        r->counts[e->verdict]++;
    }

    /* With the kernel as the source, a tc filter with an OVS cookie is the
     * flow that ovs-vswitchd put into tc (OVS's dp:tc flows are not in the
     * kernel datapath), unless the check against ovs-vswitchd says that no
     * live flow has its ufid.  Filters of one ufid are adjacent in
     * 'keyed'. */
    size_t j = 0;
    while (in->tc_flows && j < n_keyed) {
        size_t k = j;

        while (k < n_keyed && same_ufid(&keyed[k], &keyed[j])) {
            k++;
        }
        if (used[keyed[j].f - in->filters->f]
            || (in->live_ufids
                && !sset_contains(in->live_ufids, keyed[j].f->ufid))) {
            j = k;
            continue;
        }
        const struct vfy_filter *f = keyed[j].f;
        const struct vfy_dev *d = filter_dev(r, in, &blocks, f);
        const char *bridge = flow_bridge(in, d);

        if (!bridge_selected(in, bridge)) {
            j = k;
            continue;
        }
        struct vfy_entry *e = new_entry(r, keyed[j].f->ufid, bridge,
                                        filter_port(f, d));
        entry_new_filters(r, e, k - j);
        for (; j < k; j++) {
            entry_add_filter(e, keyed[j].f);
            used[keyed[j].f - in->filters->f] = true;
        }
        judge(r, e, in, &blocks);
        check_growing(r, e, prev, n_prev);
        if (e->verdict != VFY_IN_HW) {
            explain_probe(e);
            explain_miss(r, e, in, NULL);
        }
        r->n_flows++;
        r->counts[e->verdict]++;
    }

    /* Orphans: filters that no flow claimed. */
    for (size_t i = 0; i < n_all; i++) {
        const struct vfy_filter *f = &in->filters->f[i];

        if (used[i]) {
            continue;
        }
        const struct vfy_dev *d = filter_dev(r, in, &blocks, f);
        if (in->bridge && (!d || !d->bridge || strcmp(d->bridge,
                                                       in->bridge))) {
            continue;
        }
        struct vfy_entry *e = new_entry(r, f->ufid, d ? d->bridge : NULL,
                                        f->dev ? f->dev : d ? d->name : NULL);
        entry_new_filters(r, e, 1);
        entry_add_filter(e, f);
        e->verdict = VFY_ORPHAN;
        explain_probe(e);
        if (e->ufid[0]) {
            add_reason(e, "no_ovs_flow", "the cookie names ufid %s, which "
                       "OVS does not list", e->ufid);
        } else {
            add_reason(e, "no_ovs_cookie", "the filter has no OVS ufid "
                       "cookie (added outside OVS)");
        }
        r->counts[VFY_ORPHAN]++;
    }

    /* The entries are often in order already (the filters of one device,
     * by ufid): qsort() would only confirm it, at a cost. */
    if (!entries_sorted(r->entries, r->n_entries)) {
        qsort(r->entries, r->n_entries, sizeof *r->entries, compare_entries);
    }
    vfy_findings(in, &blocks, r);
    r->pool->dev_memo.name = NULL;
    r->pool->bridge_memo.name = r->pool->port_memo.name = NULL;
    r->pool->last_dev_reasons = NULL;
    blocks_destroy(&blocks);
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
        /* 'e->filters' is the pool's, and so are borrowed reasons. */
        if (e->reasons_borrowed) {
            continue;
        }
        for (size_t j = 0; j < e->n_reasons; j++) {
            if (!e->reasons[j].shared) {
                free(e->reasons[j].text);
            }
        }
        free(e->reasons);
    }
    free(r->entries);
    for (size_t i = 0; i < r->n_findings; i++) {
        free(r->findings[i].text);
        free(r->findings[i].evidence);
    }
    free(r->findings);
    free(r->config.tc_policy);
    pool_destroy(r->pool);
    memset(r, 0, sizeof *r);
}

/* Text. */

/* The table's rows go into a buffer that is written out every 64 kB, and
 * their fields are formatted here rather than by fprintf(), which parsed
 * its format again for each of (maybe 100,000) rows.  The text is the
 * same as that of the formats quoted at each row. */
struct tw {
    FILE *out;
    char *buf, *pos, *end;
};

static void
tw_grow(struct tw *w, size_t n)
{
    size_t len = w->pos - w->buf;
    size_t size = MAX(2 * (size_t) (w->end - w->buf), len + n);

    w->buf = xrealloc(w->buf, size);
    w->pos = w->buf + len;
    w->end = w->buf + size;
}

static inline char *
tw_put_uninit(struct tw *w, size_t n)
{
    if (OVS_UNLIKELY(w->end - w->pos < n)) {
        tw_grow(w, n);
    }
    char *p = w->pos;
    w->pos += n;
    return p;
}

static inline void
tw_put(struct tw *w, const char *s, size_t n)
{
    memcpy(tw_put_uninit(w, n), s, n);
}

static inline void
tw_cstr(struct tw *w, const char *s)
{
    tw_put(w, s, strlen(s));
}

static void
tw_flush(struct tw *w, size_t at_least)
{
    size_t len = w->pos - w->buf;

    if (len >= at_least) {
        fwrite(w->buf, 1, len, w->out);
        w->pos = w->buf;
    }
}

/* 's' and spaces up to 'width' ("%-*s"), or 's' preceded by them if
 * 'right' ("%*s"). */
static void
tw_pad(struct tw *w, const char *s, size_t n, size_t width, bool right)
{
    size_t pad = n < width ? width - n : 0;
    char *p = tw_put_uninit(w, n + pad);

    if (right) {
        memset(p, ' ', pad);
        memcpy(p + pad, s, n);
    } else {
        memcpy(p, s, n);
        memset(p + n, ' ', pad);
    }
}

/* Writes 'v' in decimal into the end of 'tmp' (24 bytes), returns where it
 * starts. */
static char *
tw_format_u64(char tmp[24], uint64_t v)
{
    char *p = tmp + 24;

    do {
        *--p = '0' + v % 10;
        v /= 10;
    } while (v);
    return p;
}

/* "%*"PRIu64 with 'width', or "%"PRIu64 if 'width' is 0. */
static void
tw_u64(struct tw *w, uint64_t v, size_t width)
{
    char tmp[24];
    char *s = tw_format_u64(tmp, v);

    tw_pad(w, s, tmp + 24 - s, width, true);
}

/* "%"PRIx32. */
static void
tw_hex32(struct tw *w, uint32_t v)
{
    static const char digits[] = "0123456789abcdef";
    char tmp[8];
    char *p = tmp + 8;

    do {
        *--p = digits[v & 0xf];
        v >>= 4;
    } while (v);
    tw_put(w, p, tmp + 8 - p);
}

/* The filter's flags as "skip_hw,in_hw", or "no-flags". */
static void
tw_flags(struct tw *w, const struct vfy_filter *f)
{
    static const struct { uint32_t bit; const char *name; } names[] = {
        { VFY_TC_SKIP_HW, "skip_hw" },
        { VFY_TC_SKIP_SW, "skip_sw" },
        { VFY_TC_IN_HW, "in_hw" },
        { VFY_TC_NOT_IN_HW, "not_in_hw" },
    };
    bool any = false;

    if (!f->has_flags) {
        tw_cstr(w, "no-flags");
        return;
    }
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
        if (f->flags & names[i].bit) {
            if (any) {
                tw_put(w, ",", 1);
            }
            tw_cstr(w, names[i].name);
            any = true;
        }
    }
}

static void
text_entry(struct tw *w, const struct vfy_entry *e)
{
    const char *s;

    /* "%-36s  %-8s %-12s %-19s %5"PRIu32" %10"PRIu64" %10"PRIu64" %10s\n"
     * of the ufid, bridge, port, verdict, in_hw_count, hardware and
     * software packets, OVS's packets (each "-" if unknown). */
    s = e->ufid[0] ? e->ufid : "-";
    tw_pad(w, s, strlen(s), 36, false);
    tw_put(w, "  ", 2);
    s = e->bridge ? e->bridge : "-";
    tw_pad(w, s, strlen(s), 8, false);
    tw_put(w, " ", 1);
    s = e->in_port ? e->in_port : "-";
    tw_pad(w, s, strlen(s), 12, false);
    tw_put(w, " ", 1);
    s = vfy_verdict_name(e->verdict);
    tw_pad(w, s, strlen(s), 19, false);
    tw_put(w, " ", 1);
    tw_u64(w, e->in_hw_count, 5);
    tw_put(w, " ", 1);
    tw_u64(w, e->hw_packets, 10);
    tw_put(w, " ", 1);
    tw_u64(w, e->sw_packets, 10);
    tw_put(w, " ", 1);
    if (e->flow) {
        tw_u64(w, e->flow->packets, 10);
    } else {
        tw_pad(w, "-", 1, 10, true);
    }
    tw_put(w, "\n", 1);

    for (size_t j = 0; j < e->n_filters; j++) {
        const struct vfy_filter *f = e->filters[j];

        /* "    tc: %s%s%s chain %"PRIu32" pref %"PRIu32" handle 0x%"PRIx32
         * " %s %s\n" of the device, " HOOK" unless a block, chain, prio,
         * handle, kind and flags. */
        tw_put(w, "    tc: ", 8);
        tw_cstr(w, f->dev ? f->dev : "?");
        if (f->hook != VFY_HOOK_BLOCK) {
            tw_put(w, " ", 1);
            tw_cstr(w, vfy_hook_name(f->hook));
        }
        tw_put(w, " chain ", 7);
        tw_u64(w, f->chain, 0);
        tw_put(w, " pref ", 6);
        tw_u64(w, f->prio, 0);
        tw_put(w, " handle 0x", 10);
        tw_hex32(w, f->handle);
        tw_put(w, " ", 1);
        tw_cstr(w, f->kind);
        tw_put(w, " ", 1);
        tw_flags(w, f);
        tw_put(w, "\n", 1);
    }
    for (size_t j = 0; j < e->n_reasons; j++) {
        /* "    reason: %s: %s\n". */
        tw_put(w, "    reason: ", 12);
        tw_cstr(w, e->reasons[j].code);
        tw_put(w, ": ", 2);
        tw_cstr(w, e->reasons[j].text);
        tw_put(w, "\n", 1);
    }
}

/* The table's rows in lanes (see lanes.h), chunks of TW_CHUNK entries. */
#define TW_CHUNK 1024

struct text_lane {
    const struct vfy_report *r;
    struct tw w;
};

static void
text_lane_render(void *l_, size_t begin, size_t end, const char **textp,
                 size_t *lenp)
{
    struct text_lane *l = l_;

    l->w.pos = l->w.buf;
    for (size_t i = begin; i < end; i++) {
        text_entry(&l->w, &l->r->entries[i]);
    }
    *textp = l->w.buf;
    *lenp = l->w.pos - l->w.buf;
}

static void
text_lane_write(void *out, const char *text, size_t len)
{
    fwrite(text, 1, len, out);
}

void
vfy_report_text_lanes(const struct vfy_report *r, FILE *out, size_t n_lanes)
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
    if (r->sources && !sset_is_empty(r->sources)) {
        const char *src;

        SSET_FOR_EACH (src, r->sources) {
            fprintf(out, "source: %s\n", src);
        }
    }
    if (r->n_unknown_attrs || r->n_unknown_lines) {
        fprintf(out, "skipped: %"PRIuSIZE" unknown tc attributes, "
                "%"PRIuSIZE" unknown dump-flows lines\n", r->n_unknown_attrs,
                r->n_unknown_lines);
    }
    for (size_t i = 0; i < r->n_findings; i++) {
        const struct vfy_finding *f = &r->findings[i];

        fprintf(out, "finding: %s %s: %s\n    evidence: %s\n",
                vfy_severity_name(f->severity), f->code, f->text,
                f->evidence);
    }
    if (!r->n_entries) {
        return;
    }
    fprintf(out, "\n%-36s  %-8s %-12s %-19s %5s %10s %10s %10s\n",
            "UFID", "BRIDGE", "IN_PORT", "VERDICT", "HWCNT", "HW_PKTS",
            "SW_PKTS", "OVS_PKTS");

    if (n_lanes > 1 && r->n_entries >= 2 * TW_CHUNK) {
        struct text_lane lanes[LANES_MAX];
        void *states[LANES_MAX];

        fflush(out);
        n_lanes = MIN(n_lanes, LANES_MAX);
        for (size_t i = 0; i < n_lanes; i++) {
            lanes[i].r = r;
            lanes[i].w = (struct tw) { .out = out };
            states[i] = &lanes[i];
        }
        lanes_run(r->n_entries, TW_CHUNK, states, n_lanes, text_lane_render,
                  text_lane_write, out);
        for (size_t i = 0; i < n_lanes; i++) {
            free(lanes[i].w.buf);
        }
        return;
    }

    struct tw w = { .out = out };
    for (size_t i = 0; i < r->n_entries; i++) {
        text_entry(&w, &r->entries[i]);
        tw_flush(&w, 65536);
    }
    tw_flush(&w, 0);
    free(w.buf);
}

void
vfy_report_text(const struct vfy_report *r, FILE *out)
{
    vfy_report_text_lanes(r, out, lanes_count());
}

char *
vfy_report_text_string(const struct vfy_report *r)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);

    ovs_assert(f);
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
vfy_evidence_init(struct vfy_evidence *ev)
{
    memset(ev, 0, sizeof *ev);
    vfy_devs_init(&ev->devs);
}

void
vfy_evidence_destroy(struct vfy_evidence *ev)
{
    if (!ev) {
        return;
    }
    vfy_devs_destroy(&ev->devs);
    for (size_t i = 0; i < ev->n_tunnels; i++) {
        free(ev->tunnels[i].dst);
        free(ev->tunnels[i].route_dev);
    }
    free(ev->tunnels);
    for (size_t i = 0; i < ev->n_dpstats; i++) {
        free(ev->dpstats[i].name);
    }
    free(ev->dpstats);
    free(ev->config.tc_policy);
    memset(ev, 0, sizeof *ev);
}

static const char *
qdisc_name(const struct vfy_dev *d)
{
    return (d->ingress_qdisc == VFY_YES ? (d->clsact ? "clsact" : "ingress")
            : d->ingress_qdisc == VFY_NO ? "no" : "?");
}

void
vfy_evidence_write(FILE *f, const struct vfy_evidence *ev)
{
    const struct vfy_config *c = &ev->config;

    fprintf(f, "config hw_offload=%s tc_policy=%s\n",
            c->hw_offload ? "true" : "false", or_dash(c->tc_policy));
    for (size_t i = 0; i < ev->devs.n; i++) {
        const struct vfy_dev *d = &ev->devs.d[i];
        const char *br;

        fprintf(f, "dev %s bridge=%s exists=%s ifindex=%"PRIu32" driver=%s "
                "hw_tc=%s hw_tc_on=%s switch_id=%s eswitch=%s block=%"PRIu32
                " egress_block=%"PRIu32" qdisc=%s lower=", d->name,
                or_dash(d->bridge), d->exists ? "yes" : "no", d->ifindex,
                or_dash(d->driver), tristate_name(d->hw_tc_feature),
                tristate_name(d->hw_tc_on), or_dash(d->switch_id),
                or_dash(d->eswitch_mode), d->block, d->egress_block,
                qdisc_name(d));
        for (size_t j = 0; j < d->n_lower; j++) {
            fprintf(f, "%s%s", j ? "," : "", d->lower[j]);
        }
        fprintf(f, "%s tunnel_bridges=", d->n_lower ? "" : "-");
        size_t j = 0;
        if (d->tunnel_bridges) {
            SSET_FOR_EACH (br, d->tunnel_bridges) {
                fprintf(f, "%s%s", j++ ? "," : "", br);
            }
        }
        fprintf(f, "%s\n", j ? "" : "-");
    }
    for (size_t i = 0; i < ev->n_tunnels; i++) {
        const struct vfy_tunnel *t = &ev->tunnels[i];
        fprintf(f, "tunnel %s route=%s route_dev=%s neigh=%s\n", t->dst,
                tristate_name(t->route), or_dash(t->route_dev),
                tristate_name(t->neigh));
    }
    for (size_t i = 0; i < ev->n_dpstats; i++) {
        const struct vfy_dpstats *st = &ev->dpstats[i];
        fprintf(f, "datapath %s hit=%"PRIu64" missed=%"PRIu64" lost=%"PRIu64
                "\n", st->name, st->hit, st->missed, st->lost);
    }
}

static char *
dash_or_dup(const char *s)
{
    return strcmp(s, "-") ? xstrdup(s) : NULL;
}

static bool
parse_u32_value(const char *s, uint32_t *v)
{
    unsigned long long int x;

    return str_to_ullong(s, 10, &x) && x <= UINT32_MAX && (*v = x, true);
}

static void
parse_list(char *v, void (*add)(void *aux, const char *), void *aux)
{
    char *save = NULL;

    if (!strcmp(v, "-")) {
        return;
    }
    for (char *m = strtok_r(v, ",", &save); m;
         m = strtok_r(NULL, ",", &save)) {
        add(aux, m);
    }
}

static void
add_lower(void *d_, const char *name)
{
    struct vfy_dev *d = d_;

    d->lower = xrealloc(d->lower, (d->n_lower + 1) * sizeof *d->lower);
    d->lower[d->n_lower++] = xstrdup(name);
}

static void
add_tunnel_bridge(void *d_, const char *name)
{
    vfy_dev_add_tunnel_bridge(d_, name);
}

static bool
dev_kv(struct vfy_dev *d, const char *k, char *v)
{
    if (!strcmp(k, "bridge")) {
        free(d->bridge);
        d->bridge = dash_or_dup(v);
    } else if (!strcmp(k, "exists")) {
        d->exists = !strcmp(v, "yes");
    } else if (!strcmp(k, "ifindex")) {
        return parse_u32_value(v, &d->ifindex);
    } else if (!strcmp(k, "driver")) {
        free(d->driver);
        d->driver = dash_or_dup(v);
    } else if (!strcmp(k, "hw_tc")) {
        d->hw_tc_feature = tristate_parse(v);
    } else if (!strcmp(k, "hw_tc_on")) {
        d->hw_tc_on = tristate_parse(v);
    } else if (!strcmp(k, "switch_id")) {
        free(d->switch_id);
        d->switch_id = dash_or_dup(v);
    } else if (!strcmp(k, "eswitch")) {
        free(d->eswitch_mode);
        d->eswitch_mode = dash_or_dup(v);
    } else if (!strcmp(k, "block")) {
        return parse_u32_value(v, &d->block);
    } else if (!strcmp(k, "egress_block")) {
        return parse_u32_value(v, &d->egress_block);
    } else if (!strcmp(k, "qdisc")) {
        d->ingress_qdisc = (!strcmp(v, "no") ? VFY_NO
                            : !strcmp(v, "?") ? VFY_UNKNOWN : VFY_YES);
        d->clsact = !strcmp(v, "clsact");
    } else if (!strcmp(k, "lower")) {
        parse_list(v, add_lower, d);
    } else if (!strcmp(k, "tunnel_bridges")) {
        parse_list(v, add_tunnel_bridge, d);
    }
    return true;
}

int
vfy_evidence_read(FILE *f, struct vfy_evidence *ev, char **errorp)
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
        char *name = (strcmp(word, "config")
                      ? strtok_r(NULL, " \t\n", &save) : NULL);
        struct vfy_dev *d = NULL;
        struct vfy_tunnel *t = NULL;
        struct vfy_dpstats *st = NULL;

        if (!strcmp(word, "dev") && name) {
            char *bad = validate_ifname("dev", name);
            if (bad) {
                free(bad);
                goto error;
            }
            d = vfy_devs_add(&ev->devs, name);
        } else if (!strcmp(word, "tunnel") && name) {
            ev->tunnels = xrealloc(ev->tunnels, (ev->n_tunnels + 1)
                                                * sizeof *ev->tunnels);
            t = &ev->tunnels[ev->n_tunnels++];
            memset(t, 0, sizeof *t);
            t->dst = xstrdup(name);
        } else if (!strcmp(word, "datapath") && name) {
            ev->dpstats = xrealloc(ev->dpstats, (ev->n_dpstats + 1)
                                                * sizeof *ev->dpstats);
            st = &ev->dpstats[ev->n_dpstats++];
            memset(st, 0, sizeof *st);
            st->name = xstrdup(name);
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
            if (d) {
                if (!dev_kv(d, kv, v)) {
                    goto error;
                }
            } else if (t) {
                if (!strcmp(kv, "route")) {
                    t->route = tristate_parse(v);
                } else if (!strcmp(kv, "route_dev")) {
                    t->route_dev = dash_or_dup(v);
                } else if (!strcmp(kv, "neigh")) {
                    t->neigh = tristate_parse(v);
                }
            } else if (st) {
                uint64_t *p = (!strcmp(kv, "hit") ? &st->hit
                               : !strcmp(kv, "missed") ? &st->missed
                               : !strcmp(kv, "lost") ? &st->lost : NULL);
                unsigned long long int x;
                if (p) {
                    if (!str_to_ullong(v, 10, &x)) {
                        goto error;
                    }
                    *p = x;
                }
            } else if (!strcmp(kv, "hw_offload")) {
                ev->config.hw_offload = !strcmp(v, "true");
            } else if (!strcmp(kv, "tc_policy")) {
                free(ev->config.tc_policy);
                ev->config.tc_policy = dash_or_dup(v);
            }
        }
    }
    return 0;

error:
    if (errorp) {
        free(*errorp);
        *errorp = xasprintf("evidence line %d is malformed", lineno);
    }
    return EINVAL;
}
