/*
 * verify-model: the data of the offload verification report.
 *
 * Every module of "verify" shares these types: the tc dump parser fills
 * 'struct vfy_filter's, the datapath flow sources (dpif, or dump-flows
 * text) fill 'struct vfy_flow's, the evidence probes fill 'struct
 * vfy_dev's, and the join (verify.c) turns all of them into a 'struct
 * vfy_report' that the text, JSON and database renderers read.
 */
#ifndef VERIFY_MODEL_H
#define VERIFY_MODEL_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "openvswitch/shash.h"
#include "sset.h"

/* The textual form of a ufid, as OVS prints it: 36 characters and NUL. */
#define VFY_UFID_LEN 37

/* Flower flags (linux/pkt_cls.h TCA_CLS_FLAGS_*), repeated here so that
 * renderers need no kernel header. */
#define VFY_TC_SKIP_HW   (1u << 0)
#define VFY_TC_SKIP_SW   (1u << 1)
#define VFY_TC_IN_HW     (1u << 2)
#define VFY_TC_NOT_IN_HW (1u << 3)

/* One tc action of a filter. */
struct vfy_action {
    char kind[16];              /* "mirred", "gact", "ct", ... */
    uint8_t cookie[16];         /* TCA_ACT_COOKIE, if 'cookie_len'. */
    size_t cookie_len;
    uint64_t bytes, packets;    /* Total (hardware + software). */
    uint64_t hw_bytes, hw_packets;
    bool has_stats;             /* TCA_STATS_BASIC was present. */
    bool has_hw_stats;          /* TCA_STATS_BASIC_HW was present. */
};

/* Where a filter hangs. */
enum vfy_hook {
    VFY_HOOK_INGRESS,           /* clsact/ingress qdisc, ingress. */
    VFY_HOOK_EGRESS,            /* clsact qdisc, egress. */
    VFY_HOOK_BLOCK,             /* A shared block ("block N"). */
    VFY_HOOK_OTHER,             /* Another parent (a classful qdisc). */
};

const char *vfy_hook_name(enum vfy_hook);

/* One tc filter, from an RTM_NEWTFILTER message. */
struct vfy_filter {
    const char *dev;            /* Device name, or "block N" (one of the
                                 * array's 'names'); may be NULL until the
                                 * caller names 'ifindex'. */
    uint32_t ifindex;           /* 0 for a shared block. */
    uint32_t block;             /* Shared block index, 0 if none. */
    enum vfy_hook hook;
    uint32_t parent, chain, prio, handle;
    uint16_t protocol;          /* Host byte order (e.g. 0x0800). */
    char kind[16];              /* "flower", "u32", ... */
    bool has_flags;
    uint32_t flags;             /* VFY_TC_*. */
    bool has_in_hw_count;
    uint32_t in_hw_count;       /* TCA_FLOWER_IN_HW_COUNT. */
    struct vfy_action *actions;         /* The array's (see 'blocks'). */
    size_t n_actions;
    char ufid[VFY_UFID_LEN];    /* From the first 16-byte cookie, or "". */
    uint64_t ufid_bits[2];      /* If 'ufid[0]': its 32 hex digits as two
                                 * numbers, the first 16 digits and the
                                 * last 16, so that comparing them orders
                                 * ufids as strcmp() of 'ufid' does. */

    /* "verify --probe": the kernel's answer to the same filter added again
     * with skip_sw.  'probe_error' is 0 if not probed or if hardware took
     * the probe, otherwise an errno value with 'probe_msg' the extended
     * ack text (or NULL if the kernel gave none). */
    bool probed;
    int probe_error;
    char *probe_msg;
};

/* A growable array of filters. */
struct vfy_filters {
    struct vfy_filter *f;
    size_t n, allocated;
    size_t n_unknown_attrs;     /* Attributes of types the parser does not
                                 * know (newer kernels), skipped. */
    char **names;               /* The filters' 'dev' names, each once
                                 * (vfy_filters_name()). */
    size_t n_names;
    void **blocks;              /* The filters' actions, carved out of these
                                 * large blocks rather than allocated one
                                 * filter at a time. */
    size_t n_blocks;
    char *free_space;           /* In the last block. */
    size_t n_free;
};

/* One OVS datapath flow, as "dpctl/dump-flows -m" shows it. */
struct vfy_flow {
    char ufid[VFY_UFID_LEN];    /* "" if the line had none. */
    char *datapath;             /* "system@ovs-system", ... */
    char *in_port;              /* Port name from in_port(...), or NULL. */
    char *match;                /* Everything before the statistics. */
    char *actions;              /* Everything after "actions:". */
    uint64_t packets, bytes;
    char dp[8];                 /* "ovs", "tc", "dpdk", or "". */
    bool offloaded;             /* "offloaded:yes" or "offloaded:partial". */
    bool offload_partial;       /* "offloaded:partial". */
};

struct vfy_flows {
    struct vfy_flow *f;
    size_t n, allocated;
    size_t n_unknown_lines;     /* Lines that looked like flows but did not
                                 * parse, skipped. */
    char *first_unknown;        /* The first of them (shortened), or NULL. */
};

/* A tri-state for evidence the tool may fail to read. */
enum vfy_tristate {
    VFY_UNKNOWN,
    VFY_NO,
    VFY_YES,
};

/* What the tool could learn about one network device. */
struct vfy_dev {
    char *name;
    char *bridge;               /* OVS bridge that holds it, or NULL. */
    bool exists;                /* Present in the kernel. */
    uint32_t ifindex;
    char *driver;               /* ethtool driver name, or NULL. */
    enum vfy_tristate hw_tc_feature;    /* hw-tc-offload exists and is
                                         * not fixed off. */
    enum vfy_tristate hw_tc_on;         /* hw-tc-offload is on. */
    char *switch_id;            /* phys_switch_id, or NULL if none. */
    char *eswitch_mode;         /* "switchdev", "legacy", or NULL. */
    uint32_t block;             /* Shared ingress block, 0 if none. */
    uint32_t egress_block;      /* Shared egress block, 0 if none. */
    enum vfy_tristate ingress_qdisc;    /* Has an ingress or clsact qdisc. */
    bool clsact;                /* The qdisc is clsact (has egress). */
    size_t n_lower;             /* Number of lower devices (bond members). */
    char **lower;               /* Their names. */
    struct sset *tunnel_bridges;        /* For a tunnel device
                                         * (vxlan_sys_4789): the bridges
                                         * with a port of its type, or
                                         * NULL. */
};

struct vfy_devs {
    struct vfy_dev *d;
    size_t n, allocated;
    struct shash index;         /* Name -> index + 1 (cast to a pointer). */
};

/* The statistics of one datapath (dpif_get_dp_stats()). */
struct vfy_dpstats {
    char *name;                 /* "system@ovs-system". */
    uint64_t hit, missed, lost;
};

/* OVS configuration that decides whether flows may reach hardware. */
struct vfy_config {
    bool hw_offload;            /* other_config:hw-offload=true. */
    char *tc_policy;            /* other_config:tc-policy, or NULL. */
};

enum vfy_verdict {
    VFY_IN_HW,                  /* Every tc filter of the flow is in_hw. */
    VFY_TC_SW_ONLY,             /* In tc, but in software only. */
    VFY_NOT_IN_TC,              /* Only in the kernel (or userspace) dp. */
    VFY_PARTIAL,                /* Some filters or members in hardware. */
    VFY_ORPHAN,                 /* A tc filter that matches no OVS flow. */
    VFY_N_VERDICTS
};

/* A likely reason for a miss: a stable code for scripts and a sentence
 * for people. */
struct vfy_reason {
    const char *code;
    char *text;
    bool shared;                /* 'text' belongs to the report (the same
                                 * reason for many entries), not to the
                                 * entry. */
};

/* A finding about the datapath as a whole, with the evidence behind it. */
enum vfy_severity {
    VFY_INFO,
    VFY_WARN,
    VFY_ERROR,
};

struct vfy_finding {
    enum vfy_severity severity;
    const char *code;
    char *text;                 /* What is wrong, and what to do. */
    char *evidence;             /* What the tool saw. */
};

const char *vfy_severity_name(enum vfy_severity);

/* One row of the report: an OVS flow, or an orphan filter. */
struct vfy_entry {
    enum vfy_verdict verdict;
    const char *ufid;           /* The flow's, or for orphans the filter's
                                 * (from the cookie), or "": the input's
                                 * text, never NULL. */
    char *bridge;               /* NULL if unknown. */
    char *in_port;              /* Orphans: the device of the filter. */
    const struct vfy_flow *flow;        /* NULL for orphans. */
    const struct vfy_filter **filters;  /* The filters found. */
    size_t n_filters;
    uint32_t in_hw_count;       /* Largest over the filters. */
    uint64_t hw_packets, hw_bytes;
    uint64_t sw_packets, sw_bytes;
    bool sw_growing;            /* in_hw, but software counters grew. */
    bool reasons_borrowed;      /* 'reasons' is an array the report owns
                                 * (the reasons of a device, for every entry
                                 * that has those and no others). */
    struct vfy_reason *reasons;
    size_t n_reasons;
};

struct vfy_report {
    struct vfy_config config;   /* Copied from the input. */
    const char *bridge;         /* Only flows of this bridge, if nonnull. */
    struct vfy_entry *entries;  /* Flows first (sorted), then orphans. */
    size_t n_entries;
    size_t n_flows;             /* Entries that are OVS flows. */
    size_t counts[VFY_N_VERDICTS];
    size_t n_sw_growing;
    long long int time_ms;      /* Wall-clock time of the report. */
    struct vfy_finding *findings;
    size_t n_findings;
    const struct sset *sources; /* Where the inputs came from, or NULL. */
    size_t n_unknown_attrs;     /* Skipped tc attributes. */
    size_t n_unknown_lines;     /* Skipped dump-flows lines. */

    /* What entries share (their bridge and port names, the reasons that
     * depend only on a device); verify.c's, freed with the report. */
    struct vfy_join_pool *pool;
};

/* The report's exit status: 0 if every flow is in hardware (and none of
 * them still counts in software), 1 otherwise, as ovs-offloadctl returns. */
int vfy_report_status(const struct vfy_report *);

const char *vfy_verdict_name(enum vfy_verdict);

#endif /* verify-model.h */
