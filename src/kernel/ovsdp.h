/*
 * ovsdp: the kernel datapath's vports, through the "ovs_vport" generic
 * netlink family, for the one repair ovs-vswitchd does not make by itself;
 * and a datapath's statistics, through "ovs_datapath", for the verifier.
 *
 * When a netdev that is a port of the kernel datapath is renamed, the
 * datapath keeps its vport (it follows the device) but can no longer find
 * it by name, and ovs-vswitchd forgets the port.  Adding the device under
 * its new name then fails with EEXIST ("could not add network device ...
 * (File exists)"): the device is still linked to the datapath.  The vport
 * can still be found by a dump, which reports the device's current name,
 * and deleted by its port number.
 */
#ifndef OVSDP_H
#define OVSDP_H 1

#include <stddef.h>
#include <stdint.h>

struct nlmsghdr;
struct nlsock;

/* Returns in '*port_nop' the port number of the vport of the datapath with
 * ifindex 'dp_ifindex' that the kernel names 'name'.  Returns 0, ENOENT if
 * there is none (or the kernel has no openvswitch datapath), or another
 * positive errno value with '*errp' set. */
int ovsdp_find_vport(struct nlsock *, int dp_ifindex, const char *name,
                     uint32_t *port_nop, char **errp);

/* Deletes vport 'port_no' of the datapath with ifindex 'dp_ifindex'. */
int ovsdp_del_vport(struct nlsock *, int dp_ifindex, uint32_t port_no,
                    char **errp);

/* The pure half of ovsdp_find_vport(), for tests: whether 'nlh' (one vport
 * message) describes a vport named 'name', and its port number. */
int ovsdp_parse_vport(const struct nlmsghdr *nlh, const char *name,
                      uint32_t *port_nop);

/* A kernel datapath and its statistics (OVS_DP_ATTR_STATS). */
struct ovsdp_dp {
    char name[16];              /* IFNAMSIZ: "ovs-system". */
    uint64_t n_hit, n_missed, n_lost;
    uint64_t n_flows;           /* Flows in the kernel datapath now. */
};

/* Stores in '*dpsp' (malloc'd) and '*np' the kernel's datapaths, through
 * the "ovs_datapath" generic netlink family.  Returns 0 (none if the kernel
 * has no openvswitch family), or a positive errno value with '*errp'
 * set. */
int ovsdp_list(struct nlsock *, struct ovsdp_dp **dpsp, size_t *np,
               char **errp);

/* The pure half of ovsdp_list(), for tests: the datapath in 'nlh' (one
 * datapath message).  Returns 0, or EPROTO if it is malformed (no name, a
 * name of IFNAMSIZ or more, no statistics). */
int ovsdp_parse_dp(const struct nlmsghdr *nlh, struct ovsdp_dp *);

#endif /* ovsdp.h */
