/*
 * verify: joins OVS's datapath flows with the kernel's tc filters and the
 * evidence about devices into a report of verdicts and reasons.
 *
 * vfy_join() is a pure function of its inputs (no I/O, no logging), so tests
 * drive it with recorded dumps.  The report points into the inputs
 * ('flows', 'filters'), which must outlive it.
 *
 * vfy_join() also derives the datapath health findings (upcalls lost, a
 * port without its ingress qdisc, hw-tc-offload off, the tc-policy, OVS's
 * false "offloaded:yes", a bond without a shared block, an unresolved
 * encap neighbour, a legacy eswitch), each with the evidence it rests on.
 */
#ifndef VERIFY_H
#define VERIFY_H 1

#include <stdio.h>
#include "verify-model.h"

/* A tunnel destination a flow sends to or receives from, and whether the
 * kernel has a route and a neighbour for it (offload needs both). */
struct vfy_tunnel {
    char *dst;                  /* IP address as text. */
    enum vfy_tristate route;
    char *route_dev;            /* Output device of the route, or NULL. */
    enum vfy_tristate neigh;    /* Valid neighbour entry for the next hop. */
};

struct vfy_input {
    const struct vfy_flows *flows;
    const struct vfy_filters *filters;
    const struct vfy_filters *prev_filters;  /* An earlier dump, to see
                                              * software counters grow, or
                                              * NULL. */
    const struct vfy_devs *devs;
    const struct vfy_tunnel *tunnels;
    size_t n_tunnels;
    struct vfy_config config;
    const char *bridge;         /* Only this bridge, if nonnull. */
    long long int time_ms;

    /* With the kernel as the source of flows, the tc filters that carry an
     * OVS cookie are OVS's dp:tc flows ('tc_flows'); if 'live_ufids' is
     * nonnull (ovs-vswitchd was asked), only those whose ufid it lists,
     * the others being orphans. */
    bool tc_flows;
    const struct sset *live_ufids;

    const struct vfy_dpstats *dpstats;  /* Kernel datapath statistics. */
    size_t n_dpstats;
    const struct sset *sources;         /* Copied into the report. */
};

void vfy_join(const struct vfy_input *, struct vfy_report *);
void vfy_report_destroy(struct vfy_report *);

/* Device list helpers. */
void vfy_devs_init(struct vfy_devs *);
void vfy_devs_destroy(struct vfy_devs *);
struct vfy_dev *vfy_devs_add(struct vfy_devs *, const char *name);
struct vfy_dev *vfy_devs_find(const struct vfy_devs *, const char *name);
void vfy_dev_add_tunnel_bridge(struct vfy_dev *, const char *bridge);

/* Returns the remote tunnel endpoint of a flow: the outer source of its
 * match ("tunnel(...src=") or the destination in its actions
 * ("tnl_push(..." or "set(tunnel(...dst="), as a malloc()'d string, or NULL
 * if the flow is not a tunnel flow. */
char *vfy_flow_tunnel_dst(const struct vfy_flow *);

/* Writes the evidence as text, one fact set per line:
 *
 *   config hw_offload=true|false tc_policy=POLICY|-
 *   dev NAME bridge=BR|- exists=yes|no ifindex=N driver=D|- hw_tc=yes|no|?
 *       hw_tc_on=yes|no|? switch_id=ID|- eswitch=MODE|- block=N
 *       egress_block=N qdisc=ingress|clsact|no|? lower=A,B|-
 *       tunnel_bridges=BR,...|-
 *   tunnel DST route=yes|no|? route_dev=DEV|- neigh=yes|no|?
 *   datapath NAME hit=N missed=N lost=N
 *
 * (each "dev" on one line), so that recorded runs can be replayed.  The
 * reader ignores keys it does not know and takes missing ones as
 * unknown. */
struct vfy_evidence {
    struct vfy_devs devs;
    struct vfy_config config;
    struct vfy_tunnel *tunnels;
    size_t n_tunnels;
    struct vfy_dpstats *dpstats;
    size_t n_dpstats;
};

void vfy_evidence_init(struct vfy_evidence *);
void vfy_evidence_destroy(struct vfy_evidence *);
void vfy_evidence_write(FILE *, const struct vfy_evidence *);

/* Reads what vfy_evidence_write() wrote, appending to 'ev'.  Returns 0, or
 * EINVAL with '*errorp' set. */
int vfy_evidence_read(FILE *, struct vfy_evidence *, char **errorp);

/* Renders the report as JSON into 'out', one entry at a time (memory does
 * not grow with the number of flows).  One line, or indented if
 * 'pretty'. */
void vfy_report_json(const struct vfy_report *, bool pretty, FILE *out);
void vfy_report_json_lanes(const struct vfy_report *, bool pretty,
                           FILE *out, size_t n_lanes);
size_t vfy_json_lanes(void);

/* Returns how many of the 'len' bytes at 's' a JSON string holds as they
 * are, from the start: the length of the prefix without a control
 * character, '"' or '\\'.  Exposed for tests. */
size_t vfy_json_plain_len(const char *s, size_t len);

/* Renders the report as a table for people into 'out'. */
void vfy_report_text(const struct vfy_report *, FILE *out);
void vfy_report_text_lanes(const struct vfy_report *, FILE *out,
                           size_t n_lanes);

/* Same, into a malloc()'d string. */
char *vfy_report_text_string(const struct vfy_report *);

#endif /* verify.h */
