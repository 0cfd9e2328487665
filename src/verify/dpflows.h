/*
 * dpflows: parses the text of "ovs-appctl dpctl/dump-flows -m" into
 * 'struct vfy_flow's.
 *
 * The verifier reads the kernel datapath through the OVS library (dpif) and
 * tc through its own dumps; it asks ovs-vswitchd, and parses this text,
 * only for what only ovs-vswitchd knows: the flows of userspace (netdev)
 * datapaths, and, when asked, which tc filters belong to live flows.
 */
#ifndef DPFLOWS_H
#define DPFLOWS_H 1

#include "verify-model.h"

void vfy_flows_init(struct vfy_flows *);
void vfy_flows_destroy(struct vfy_flows *);

/* Parses 'text' (NUL-terminated, one flow per line) and appends the flows to
 * 'out' with 'datapath' as their datapath name.  Lines that are empty or do
 * not look like flows (e.g. a "system@ovs-system:" heading) are skipped;
 * lines that look like flows but do not parse are skipped too, counted in
 * 'out->n_unknown_lines' (the first kept in 'out->first_unknown').  Returns
 * 0 and sets '*errorp', if nonnull, to NULL. */
int dpflows_parse(const char *text, const char *datapath,
                  struct vfy_flows *out, char **errorp);

#endif /* dpflows.h */
