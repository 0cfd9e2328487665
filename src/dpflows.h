/*
 * dpflows: parses the text of "ovs-appctl dpctl/dump-flows -m" into
 * 'struct vfy_flow's.
 *
 * Why text: a process of its own that opens the datapath through the OVS
 * library (dpif) sees the kernel datapath's flows but not those that
 * ovs-vswitchd's tc offload provider put into tc, because the provider's
 * ufid-to-filter map lives inside ovs-vswitchd ("ovs-dpctl dump-flows"
 * lists 0 flows while they are in tc).  Only ovs-vswitchd can dump both,
 * so verify asks it over its unixctl socket and parses the reply.
 *
 * Uses no Open vSwitch header (see verify-model.h).
 */
#ifndef DPFLOWS_H
#define DPFLOWS_H 1

#include "verify-model.h"

void vfy_flows_init(struct vfy_flows *);
void vfy_flows_destroy(struct vfy_flows *);

/* Parses 'text' (NUL-terminated, one flow per line) and appends the flows to
 * 'out' with 'datapath' as their datapath name.  Lines that are empty or do
 * not look like flows (e.g. a "system@ovs-system:" heading) are skipped.
 * Returns 0, or EINVAL with '*errorp' set to a malloc()'d message naming the
 * first malformed flow line. */
int dpflows_parse(const char *text, const char *datapath,
                  struct vfy_flows *out, char **errorp);

#endif /* dpflows.h */
