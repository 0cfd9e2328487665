/*
 * evidence: reads what the kernel says about a device's ability to offload
 * tc flower filters (driver, hw-tc-offload, phys_switch_id, the devlink
 * eswitch mode, bond members) and about tunnel destinations (route and
 * neighbour), through the project's kernel access layer: rtnetlink,
 * devlink and ethtool netlink over nlsock, and sysfs under the configured
 * root with the validated path builders.  Small, read-only requests; the
 * join never calls them, so tests supply the same facts as data.
 */
#ifndef EVIDENCE_H
#define EVIDENCE_H 1

#include <stdint.h>
#include "verify-model.h"
#include "verify.h"

struct nlsock;

struct evidence {
    struct nlsock *rtnl;        /* NETLINK_ROUTE request socket. */
    struct nlsock *genl;        /* NETLINK_GENERIC request socket. */
    uint16_t devlink_family;    /* 0 if the kernel has no devlink. */
    uint16_t ethtool_family;    /* 0 if it has no ethtool netlink. */
    char *sysfs_root;           /* "/sys" unless configured. */
};

/* Opens the sockets.  Returns 0 or a positive errno value with '*errp'. */
int evidence_open(struct evidence *, const char *sysfs_root, char **errp);
void evidence_close(struct evidence *);

/* Fills in everything but 'name' and 'bridge' of 'd' from the running
 * kernel.  Facts that cannot be read stay unknown.  A name that is not a
 * valid interface name is looked at no further. */
void evidence_probe_dev(struct evidence *, struct vfy_dev *d);

/* Fills in 'route', 'route_dev' and 'neigh' of 't' for 't->dst'. */
void evidence_probe_tunnel(struct evidence *, struct vfy_tunnel *t);

#endif /* evidence.h */
