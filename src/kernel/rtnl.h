/*
 * rtnl: the rtnetlink requests of the Linux hardware back end: link dump
 * and lookup, bond creation, enslaving, MTU, up/down, deletion.
 *
 * Links are named in requests by IFLA_IFNAME (the kernel looks them up by
 * name when ifi_index is 0), after validate_ifname().  Functions return 0 or
 * a positive errno value, with '*errp' naming the link and carrying the
 * kernel's extended-ack text.  rtnl_parse_link() is the pure parser behind
 * the dump, exposed for tests.
 */
#ifndef RTNL_H
#define RTNL_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <net/if.h>

struct nlmsghdr;
struct nlsock;

struct rtnl_link {
    char name[IF_NAMESIZE];
    int ifindex;
    char *kind;                 /* IFLA_INFO_KIND or "". */
    int master;                 /* IFLA_MASTER ifindex, 0 if none. */
    unsigned int mtu;
    unsigned int flags;         /* IFF_*. */
    int operstate;              /* IF_OPER_*, -1 if absent. */
    char *phys_port_name;       /* NULL if absent. */
    char *phys_switch_id;       /* Lower-case hex, NULL if absent. */
    int bond_mode;              /* Bonds: IFLA_BOND_MODE, else -1. */
};

char *rtnl_parse_link(const struct nlmsghdr *, struct rtnl_link *);
void rtnl_link_destroy(struct rtnl_link *);
bool rtnl_link_oper_up(const struct rtnl_link *);

int rtnl_dump_links(struct nlsock *, struct rtnl_link **, size_t *n,
                    char **errp);
void rtnl_links_free(struct rtnl_link *, size_t n);
int rtnl_get_link(struct nlsock *, const char *name, struct rtnl_link *,
                  char **errp);

int rtnl_bond_mode_from_string(const char *);
const char *rtnl_bond_mode_to_string(int mode);
int rtnl_create_bond(struct nlsock *, const char *name, const char *mode,
                     unsigned int miimon, char **errp);
int rtnl_set_master(struct nlsock *, const char *name, const char *master,
                    char **errp);
int rtnl_set_mtu(struct nlsock *, const char *name, unsigned int mtu,
                 char **errp);
int rtnl_set_up(struct nlsock *, const char *name, bool up, char **errp);
int rtnl_delete_link(struct nlsock *, const char *name, char **errp);

#endif /* rtnl.h */
