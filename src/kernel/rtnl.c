/*
 * rtnl: rtnetlink link requests.  See rtnl.h.
 */
#include <config.h>

#include "rtnl.h"

#include <ctype.h>
#include <errno.h>
#include <string.h>
#include <linux/if_bonding.h>
#include <linux/if_link.h>
#include <linux/if.h>
#include <linux/rtnetlink.h>

#include "nlsock.h"
#include "openvswitch/vlog.h"
#include "util.h"
#include "validate.h"

VLOG_DEFINE_THIS_MODULE(rtnl);

/* Longest IFLA_INFO_KIND and IFLA_PHYS_PORT_NAME we accept. */
#define RTNL_KIND_MAX 32
#define RTNL_PORT_NAME_MAX 32
/* MAX_PHYS_ITEM_ID_LEN in the kernel. */
#define RTNL_SWITCH_ID_MAX 32

static bool
rtnl_is_word(const char *s)
{
    for (; *s; s++) {
        if (!isgraph((unsigned char) *s)) {
            return false;
        }
    }
    return true;
}

void
rtnl_link_destroy(struct rtnl_link *link)
{
    if (link) {
        free(link->kind);
        free(link->phys_port_name);
        free(link->phys_switch_id);
        link->kind = link->phys_port_name = link->phys_switch_id = NULL;
    }
}

/* True if the link is operationally up: IF_OPER_UP, or no RFC 2863 state
 * (IF_OPER_UNKNOWN, as for loopback or dummy) but IFF_RUNNING. */
bool
rtnl_link_oper_up(const struct rtnl_link *link)
{
    return (link->operstate == IF_OPER_UP
            || ((link->operstate == IF_OPER_UNKNOWN || link->operstate < 0)
                && (link->flags & IFF_RUNNING)));
}

/* Parses an RTM_NEWLINK message into 'link' (to be freed with
 * rtnl_link_destroy() on success). */
char *
rtnl_parse_link(const struct nlmsghdr *nlh, struct rtnl_link *link)
{
    const struct nlattr *tb[IFLA_MAX + 1];
    const struct ifinfomsg *ifi;
    const char *name;
    uint32_t u32;
    uint8_t u8;
    char *error;

    memset(link, 0, sizeof *link);
    link->operstate = -1;
    link->bond_mode = -1;
    if (nlh->nlmsg_type != RTM_NEWLINK
        || mnl_nlmsg_get_payload_len(nlh) < sizeof *ifi) {
        return xstrdup("rtnetlink: not a link message");
    }
    ifi = mnl_nlmsg_get_payload(nlh);
    if (ifi->ifi_index <= 0) {
        return xasprintf("rtnetlink: bad ifindex %d", ifi->ifi_index);
    }
    if (nlsock_parse_attrs(nlh, sizeof *ifi, tb, IFLA_MAX)) {
        return xasprintf("rtnetlink: link %d: malformed attributes",
                         ifi->ifi_index);
    }
    if (!tb[IFLA_IFNAME]
        || !(name = nlsock_attr_str(tb[IFLA_IFNAME], VALIDATE_IFNAME_MAX))) {
        return xasprintf("rtnetlink: link %d: missing or bad name",
                         ifi->ifi_index);
    }
    error = validate_ifname("rtnetlink link name", name);
    if (error) {
        return error;
    }
    ovs_strlcpy(link->name, name, sizeof link->name);
    link->ifindex = ifi->ifi_index;
    link->flags = ifi->ifi_flags;

    if (tb[IFLA_MTU]) {
        if (!nlsock_attr_u32(tb[IFLA_MTU], &u32)) {
            goto bad_attr;
        }
        link->mtu = u32;
    }
    if (tb[IFLA_MASTER]) {
        if (!nlsock_attr_u32(tb[IFLA_MASTER], &u32) || u32 > INT32_MAX) {
            goto bad_attr;
        }
        link->master = u32;
    }
    if (tb[IFLA_OPERSTATE]) {
        if (!nlsock_attr_u8(tb[IFLA_OPERSTATE], &u8)) {
            goto bad_attr;
        }
        link->operstate = u8;
    }
    if (tb[IFLA_LINKINFO]) {
        const struct nlattr *info[IFLA_INFO_MAX + 1];
        const char *kind;

        if (nlsock_parse_nested(tb[IFLA_LINKINFO], info, IFLA_INFO_MAX)) {
            goto bad_attr;
        }
        if (info[IFLA_INFO_KIND]) {
            kind = nlsock_attr_str(info[IFLA_INFO_KIND], RTNL_KIND_MAX);
            if (!kind || !rtnl_is_word(kind)) {
                goto bad_attr;
            }
            link->kind = xstrdup(kind);
        }
        if (link->kind && !strcmp(link->kind, "bond")
            && info[IFLA_INFO_DATA]) {
            const struct nlattr *bond[IFLA_BOND_MAX + 1];

            if (!nlsock_parse_nested(info[IFLA_INFO_DATA], bond,
                                     IFLA_BOND_MAX)
                && bond[IFLA_BOND_MODE]
                && nlsock_attr_u8(bond[IFLA_BOND_MODE], &u8)) {
                link->bond_mode = u8;
            }
        }
    }
    if (tb[IFLA_PHYS_PORT_NAME]) {
        const char *pn = nlsock_attr_str(tb[IFLA_PHYS_PORT_NAME],
                                         RTNL_PORT_NAME_MAX);
        if (!pn || !pn[0] || !rtnl_is_word(pn)) {
            goto bad_attr;
        }
        link->phys_port_name = xstrdup(pn);
    }
    if (tb[IFLA_PHYS_SWITCH_ID]) {
        size_t len = mnl_attr_get_payload_len(tb[IFLA_PHYS_SWITCH_ID]);
        const uint8_t *id = mnl_attr_get_payload(tb[IFLA_PHYS_SWITCH_ID]);
        char *hex;

        if (!len || len > RTNL_SWITCH_ID_MAX) {
            goto bad_attr;
        }
        hex = xmalloc(2 * len + 1);
        nlsock_put_hex(hex, id, len);
        hex[2 * len] = '\0';
        link->phys_switch_id = hex;
    }
    if (!link->kind) {
        link->kind = xstrdup("");
    }
    return NULL;

bad_attr:
    rtnl_link_destroy(link);
    return xasprintf("rtnetlink: link %s: malformed attribute", link->name);
}

void
rtnl_links_free(struct rtnl_link *links, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        rtnl_link_destroy(&links[i]);
    }
    free(links);
}

struct rtnl_dump {
    struct rtnl_link *links;
    size_t n, allocated;
};

static int
rtnl_dump_cb(const struct nlmsghdr *nlh, void *d_)
{
    static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 5);
    struct rtnl_dump *d = d_;
    struct rtnl_link link;
    char *error;

    error = rtnl_parse_link(nlh, &link);
    if (error) {
        /* One odd link must not hide all the others. */
        VLOG_WARN_RL(&rl, "skipping link: %s", error);
        free(error);
        return MNL_CB_OK;
    }
    if (d->n >= d->allocated) {
        d->links = x2nrealloc(d->links, &d->allocated, sizeof *d->links);
    }
    d->links[d->n++] = link;
    return MNL_CB_OK;
}

static struct nlmsghdr *
rtnl_link_request(void *buf, uint16_t type, uint16_t flags,
                  const char *name)
{
    struct nlmsghdr *nlh = nlsock_start(buf, type, flags);
    struct ifinfomsg *ifi = mnl_nlmsg_put_extra_header(nlh, sizeof *ifi);

    ifi->ifi_family = AF_UNSPEC;
    if (name) {
        mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
    }
    return nlh;
}

/* Dumps all links (RTM_GETLINK, without statistics). */
int
rtnl_dump_links(struct nlsock *sock, struct rtnl_link **linksp, size_t *np,
                char **errp)
{
    char buf[NLSOCK_REQSIZE];
    struct nlmsghdr *nlh = rtnl_link_request(buf, RTM_GETLINK, NLM_F_DUMP,
                                             NULL);
    struct rtnl_dump d = { .links = NULL };
    int error;

    mnl_attr_put_u32(nlh, IFLA_EXT_MASK, RTEXT_FILTER_SKIP_STATS);
    error = nlsock_transact(sock, nlh, rtnl_dump_cb, &d,
                            "rtnetlink: link dump", errp);
    if (error) {
        rtnl_links_free(d.links, d.n);
        d.links = NULL;
        d.n = 0;
    }
    *linksp = d.links;
    *np = d.n;
    return error;
}

struct rtnl_get {
    struct rtnl_link *link;
    bool found;
    char *error;
};

static int
rtnl_get_cb(const struct nlmsghdr *nlh, void *g_)
{
    struct rtnl_get *g = g_;

    if (g->found) {
        return MNL_CB_OK;
    }
    g->error = rtnl_parse_link(nlh, g->link);
    if (g->error) {
        return MNL_CB_ERROR;
    }
    g->found = true;
    return MNL_CB_OK;
}

static int
rtnl_check_name(const char *name, char **errp)
{
    char *error = validate_ifname("interface", name);

    if (error) {
        *errp = error;
        return EINVAL;
    }
    return 0;
}

/* Looks up the link 'name'.  Returns ENODEV if there is none. */
int
rtnl_get_link(struct nlsock *sock, const char *name, struct rtnl_link *link,
              char **errp)
{
    char buf[NLSOCK_REQSIZE];
    struct rtnl_get g = { .link = link };
    struct nlmsghdr *nlh;
    char *what;
    int error;

    memset(link, 0, sizeof *link);
    error = rtnl_check_name(name, errp);
    if (error) {
        return error;
    }
    nlh = rtnl_link_request(buf, RTM_GETLINK, 0, name);
    mnl_attr_put_u32(nlh, IFLA_EXT_MASK, RTEXT_FILTER_SKIP_STATS);
    what = xasprintf("%s: rtnetlink", name);
    error = nlsock_transact(sock, nlh, rtnl_get_cb, &g, what, errp);
    if (!error && !g.found) {
        *errp = xasprintf("%s: no link in the reply", what);
        error = EPROTO;
    }
    if (error) {
        if (g.error) {
            free(*errp);
            *errp = g.error;
        }
        if (g.found) {
            rtnl_link_destroy(link);
        }
        if (error == ENODEV) {
            free(*errp);
            *errp = xasprintf("%s: no such network device", name);
        }
    }
    free(what);
    return error;
}

static const struct {
    const char *name;
    int mode;
} rtnl_bond_modes[] = {
        { "balance-rr", BOND_MODE_ROUNDROBIN },
        { "active-backup", BOND_MODE_ACTIVEBACKUP },
        { "balance-xor", BOND_MODE_XOR },
        { "broadcast", BOND_MODE_BROADCAST },
        { "802.3ad", BOND_MODE_8023AD },
        { "balance-tlb", BOND_MODE_TLB },
        { "balance-alb", BOND_MODE_ALB },
};

/* Returns the bonding mode number for 'mode', or -1. */
int
rtnl_bond_mode_from_string(const char *mode)
{
    for (size_t i = 0; i < ARRAY_SIZE(rtnl_bond_modes); i++) {
        if (!strcmp(mode, rtnl_bond_modes[i].name)) {
            return rtnl_bond_modes[i].mode;
        }
    }
    return -1;
}

/* Returns the name of bonding mode number 'mode', or NULL. */
const char *
rtnl_bond_mode_to_string(int mode)
{
    for (size_t i = 0; i < ARRAY_SIZE(rtnl_bond_modes); i++) {
        if (rtnl_bond_modes[i].mode == mode) {
            return rtnl_bond_modes[i].name;
        }
    }
    return NULL;
}

/* Sends a request that expects no data back. */
static int
rtnl_simple(struct nlsock *sock, struct nlmsghdr *nlh, const char *what,
            char **errp)
{
    return nlsock_transact(sock, nlh, NULL, NULL, what, errp);
}

/* Creates bond 'name' with 'mode' and 'miimon' (ms).  A link of that name
 * that exists already is EEXIST: the controller never adopts a bond it did
 * not create (it would delete it on teardown). */
int
rtnl_create_bond(struct nlsock *sock, const char *name, const char *mode,
                 unsigned int miimon, char **errp)
{
    char buf[NLSOCK_REQSIZE];
    int mode_nr = rtnl_bond_mode_from_string(mode);
    struct nlattr *linkinfo, *data;
    struct nlmsghdr *nlh;
    char *what;
    int error;

    error = rtnl_check_name(name, errp);
    if (error) {
        return error;
    }
    if (mode_nr < 0) {
        *errp = xasprintf("%s: unknown bond mode \"%s\"", name, mode);
        return EINVAL;
    }
    nlh = rtnl_link_request(buf, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL,
                            name);
    linkinfo = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
    mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "bond");
    data = mnl_attr_nest_start(nlh, IFLA_INFO_DATA);
    mnl_attr_put_u8(nlh, IFLA_BOND_MODE, mode_nr);
    mnl_attr_put_u32(nlh, IFLA_BOND_MIIMON, miimon);
    mnl_attr_nest_end(nlh, data);
    mnl_attr_nest_end(nlh, linkinfo);

    what = xasprintf("%s: create bond: rtnetlink", name);
    error = rtnl_simple(sock, nlh, what, errp);
    free(what);
    if (error == EEXIST) {
        struct rtnl_link link;
        char *get_err = NULL;
        char *kind = NULL;

        if (!rtnl_get_link(sock, name, &link, &get_err)) {
            kind = xstrdup(link.kind);
            rtnl_link_destroy(&link);
        }
        free(get_err);
        free(*errp);
        *errp = xasprintf("%s: create bond: a link of that name exists "
                          "already (kind \"%s\"); ovs-offloadd never adopts "
                          "one", name, kind ? kind : "?");
        free(kind);
    }
    return error;
}

static int
rtnl_setlink(struct nlsock *sock, const char *name, int master,
             unsigned int mtu, int up, const char *op, char **errp)
{
    char buf[NLSOCK_REQSIZE];
    struct nlmsghdr *nlh = rtnl_link_request(buf, RTM_SETLINK, 0, name);
    struct ifinfomsg *ifi = mnl_nlmsg_get_payload(nlh);
    char *what;
    int error;

    if (master >= 0) {
        mnl_attr_put_u32(nlh, IFLA_MASTER, master);
    }
    if (mtu) {
        mnl_attr_put_u32(nlh, IFLA_MTU, mtu);
    }
    if (up >= 0) {
        ifi->ifi_change = IFF_UP;
        ifi->ifi_flags = up ? IFF_UP : 0;
    }
    what = xasprintf("%s: %s: rtnetlink", name, op);
    error = rtnl_simple(sock, nlh, what, errp);
    free(what);
    if (error == ENODEV) {
        free(*errp);
        *errp = xasprintf("%s: no such network device", name);
    }
    return error;
}

int
rtnl_set_mtu(struct nlsock *sock, const char *name, unsigned int mtu,
             char **errp)
{
    int error = rtnl_check_name(name, errp);

    if (!error && (!mtu || mtu > INT32_MAX)) {
        *errp = xasprintf("%s: %u is not an MTU", name, mtu);
        error = EINVAL;
    }
    if (!error) {
        char op[32];

        snprintf(op, sizeof op, "set MTU %u", mtu);
        error = rtnl_setlink(sock, name, -1, mtu, -1, op, errp);
    }
    return error;
}

int
rtnl_set_up(struct nlsock *sock, const char *name, bool up, char **errp)
{
    int error = rtnl_check_name(name, errp);

    return error ? error : rtnl_setlink(sock, name, -1, 0, up,
                                        up ? "set up" : "set down", errp);
}

/* Makes 'master' the master of link 'name', or releases 'name' from its
 * master if 'master' is NULL.  Enslaving takes the link down first, as the
 * bonding driver wants, and up again afterwards; a released link gets back
 * the administrative state it had. */
int
rtnl_set_master(struct nlsock *sock, const char *name, const char *master,
                char **errp)
{
    struct rtnl_link link, m;
    bool was_up;
    char *op;
    int error;

    error = rtnl_get_link(sock, name, &link, errp);
    if (error) {
        return error;
    }
    was_up = (link.flags & IFF_UP) != 0;
    rtnl_link_destroy(&link);

    if (!master) {
        if (!link.master) {
            return 0;
        }
        error = rtnl_setlink(sock, name, 0, 0, -1, "release from master",
                             errp);
        if (!error && was_up) {
            error = rtnl_setlink(sock, name, -1, 0, 1, "set up", errp);
        }
        return error;
    }

    error = rtnl_get_link(sock, master, &m, errp);
    if (error) {
        if (error == ENODEV) {
            free(*errp);
            *errp = xasprintf("%s: no such master %s", name, master);
        }
        return error;
    }
    rtnl_link_destroy(&m);
    if (link.master == m.ifindex) {
        return 0;
    }
    if (was_up) {
        error = rtnl_setlink(sock, name, -1, 0, 0, "set down", errp);
        if (error) {
            return error;
        }
    }
    op = xasprintf("set master %s", master);
    error = rtnl_setlink(sock, name, m.ifindex, 0, -1, op, errp);
    free(op);
    if (!error) {
        error = rtnl_setlink(sock, name, -1, 0, 1, "set up", errp);
    } else if (was_up) {
        /* Leave the link as we found it. */
        char *up_err = NULL;
        rtnl_setlink(sock, name, -1, 0, 1, "set up", &up_err);
        free(up_err);
    }
    return error;
}

/* Deletes link 'name'; a link that does not exist is success. */
int
rtnl_delete_link(struct nlsock *sock, const char *name, char **errp)
{
    char buf[NLSOCK_REQSIZE];
    struct nlmsghdr *nlh;
    char *what;
    int error;

    error = rtnl_check_name(name, errp);
    if (error) {
        return error;
    }
    nlh = rtnl_link_request(buf, RTM_DELLINK, 0, name);
    what = xasprintf("%s: delete: rtnetlink", name);
    error = rtnl_simple(sock, nlh, what, errp);
    free(what);
    if (error == ENODEV) {
        free(*errp);
        *errp = NULL;
        error = 0;
    }
    return error;
}
