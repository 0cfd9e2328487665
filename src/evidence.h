/*
 * evidence: reads what the kernel says about a device's ability to offload
 * tc flower filters (ethtool features and driver, phys_switch_id, devlink
 * eswitch mode, bond members) and about tunnel destinations (route and
 * neighbour).  Small, read-only probes; the join never calls them, so tests
 * supply the same facts as data.
 *
 * Uses no Open vSwitch header (see verify-model.h).
 */
#ifndef EVIDENCE_H
#define EVIDENCE_H 1

#include "verify-model.h"
#include "verify.h"

/* Fills in everything but 'name' and 'bridge' of 'd' from the running
 * kernel.  Facts that cannot be read stay unknown. */
void evidence_probe_dev(struct vfy_dev *d);

/* Fills in 'route', 'route_dev' and 'neigh' of 't' for 't->dst'. */
void evidence_probe_tunnel(struct vfy_tunnel *t);

#endif /* evidence.h */
