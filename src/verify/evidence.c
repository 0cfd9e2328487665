/*
 * evidence: kernel facts for the verification report.  See evidence.h.
 */
#include <config.h>

#include "evidence.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <net/if.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <libmnl/libmnl.h>
#include <linux/neighbour.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>

#include "devlink.h"
#include "ethtool-nl.h"
#include "nlsock.h"
#include "openvswitch/vlog.h"
#include "rtnl.h"
#include "sysfs.h"
#include "util.h"
#include "validate.h"

VLOG_DEFINE_THIS_MODULE(evidence);

static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 20);

int
evidence_open(struct evidence *ev, const char *sysfs_root, char **errp)
{
    char *msg = NULL;
    int error;

    memset(ev, 0, sizeof *ev);
    ev->sysfs_root = xstrdup(sysfs_root ? sysfs_root : "/sys");
    msg = sysfs_check_root("sysfs root", ev->sysfs_root);
    if (msg) {
        *errp = msg;
        evidence_close(ev);
        return EINVAL;
    }
    error = nlsock_open(NETLINK_ROUTE, 0, false, &ev->rtnl, errp);
    if (!error) {
        error = nlsock_open(NETLINK_GENERIC, 0, false, &ev->genl, errp);
    }
    if (error) {
        evidence_close(ev);
        return error;
    }
    /* Either family may be missing (no devlink, an old kernel): the facts
     * it would give stay unknown. */
    if (nlsock_genl_family(ev->genl, "devlink", &ev->devlink_family, &msg)) {
        VLOG_DBG("%s", msg);
        free(msg);
        ev->devlink_family = 0;
    }
    msg = NULL;
    if (nlsock_genl_family(ev->genl, "ethtool", &ev->ethtool_family, &msg)) {
        VLOG_DBG("%s", msg);
        free(msg);
        ev->ethtool_family = 0;
    }
    return 0;
}

void
evidence_close(struct evidence *ev)
{
    if (ev) {
        nlsock_close(ev->rtnl);
        nlsock_close(ev->genl);
        free(ev->sysfs_root);
        memset(ev, 0, sizeof *ev);
    }
}

/* Reads the first word of the sysfs attribute 'attr' of interface 'name'
 * into a malloc()'d string, or returns NULL. */
static char *
evidence_sysfs_word(const struct evidence *ev, const char *name,
                    const char *attr)
{
    char *path = NULL, *content = NULL, *word = NULL, *msg;

    msg = sysfs_path(&path, ev->sysfs_root, "class", "net", name, attr,
                     (char *) NULL);
    if (!msg) {
        int error = sysfs_read_file(path, &content, &msg);
        if (!error) {
            msg = sysfs_parse_word(content, &word);
        }
    }
    free(msg);
    free(content);
    free(path);
    return word;
}

/* Appends the bond members (or other lower devices) of 'd', from the
 * "lower_*" links of its sysfs directory. */
static void
evidence_lower(const struct evidence *ev, struct vfy_dev *d)
{
    char *path = NULL;
    char *msg = sysfs_path(&path, ev->sysfs_root, "class", "net", d->name,
                           (char *) NULL);
    struct dirent *de;
    DIR *dir;

    if (msg) {
        free(msg);
        return;
    }
    dir = opendir(path);
    free(path);
    if (!dir) {
        return;
    }
    while ((de = readdir(dir)) != NULL) {
        const char *member = de->d_name + 6;
        char *bad;

        if (strncmp(de->d_name, "lower_", 6)) {
            continue;
        }
        bad = validate_ifname("lower device", member);
        if (bad) {
            VLOG_WARN_RL(&rl, "%s: skipping a lower device: %s", d->name,
                         bad);
            free(bad);
            continue;
        }
        d->lower = xrealloc(d->lower, (d->n_lower + 1) * sizeof *d->lower);
        d->lower[d->n_lower++] = xstrdup(member);
    }
    closedir(dir);
}

void
evidence_probe_dev(struct evidence *ev, struct vfy_dev *d)
{
    char *bus = NULL, *dev = NULL, *driver = NULL;
    struct rtnl_link link;
    char *msg;

    msg = validate_ifname("interface", d->name);
    if (msg) {
        /* Not a kernel name (a userspace port, say): nothing to ask. */
        free(msg);
        d->exists = false;
        return;
    }
    memset(&link, 0, sizeof link);
    if (rtnl_get_link(ev->rtnl, d->name, &link, &msg)) {
        free(msg);
        d->exists = false;
        return;
    }
    d->exists = true;
    d->ifindex = link.ifindex;
    free(d->switch_id);
    d->switch_id = link.phys_switch_id ? xstrdup(link.phys_switch_id) : NULL;

    /* The driver: the parent device's, or the link kind of a virtual
     * device (veth, vxlan, bond), as "ethtool -i" would name it. */
    if (!sysfs_get_link_device(ev->sysfs_root, d->name, &bus, &dev, &driver,
                               &msg)) {
        free(d->driver);
        d->driver = driver ? driver : NULL;
        driver = NULL;
    } else {
        free(msg);
    }
    if (!d->driver && link.kind && link.kind[0]) {
        d->driver = xstrdup(link.kind);
    }

    bool changeable, active;
    msg = NULL;
    if (ev->ethtool_family
        && !ethtool_nl_get_feature_info(ev->genl, ev->ethtool_family,
                                        d->name, "hw-tc-offload",
                                        &changeable, &active, &msg)) {
        d->hw_tc_on = active ? VFY_YES : VFY_NO;
        d->hw_tc_feature = active || changeable ? VFY_YES : VFY_NO;
    } else {
        free(msg);
    }

    if (bus && dev && ev->devlink_family) {
        char *mode = NULL;

        msg = NULL;
        if (!devlink_get_eswitch_mode(ev->genl, ev->devlink_family, bus, dev,
                                      &mode, &msg)) {
            free(d->eswitch_mode);
            d->eswitch_mode = mode;
        } else {
            free(msg);
        }
    }
    if (!d->switch_id) {
        d->switch_id = evidence_sysfs_word(ev, d->name, "phys_switch_id");
    }
    evidence_lower(ev, d);
    rtnl_link_destroy(&link);
    free(bus);
    free(dev);
    free(driver);
}

/* Tunnels. */

struct route_reply {
    uint32_t oif;
    uint8_t gw[16];
    size_t gw_len;
};

static int
route_cb(const struct nlmsghdr *nlh, void *r_)
{
    struct route_reply *r = r_;
    const struct nlattr *attr;

    if (nlh->nlmsg_type != RTM_NEWROUTE
        || mnl_nlmsg_get_payload_len(nlh) < sizeof(struct rtmsg)) {
        return MNL_CB_OK;
    }
    mnl_attr_for_each (attr, nlh, sizeof(struct rtmsg)) {
        int type = mnl_attr_get_type(attr);
        if (type == RTA_OIF) {
            nlsock_attr_u32(attr, &r->oif);
        } else if (type == RTA_GATEWAY
                   && mnl_attr_get_payload_len(attr) <= sizeof r->gw) {
            r->gw_len = mnl_attr_get_payload_len(attr);
            memcpy(r->gw, mnl_attr_get_payload(attr), r->gw_len);
        }
    }
    return MNL_CB_OK;
}

static int
neigh_cb(const struct nlmsghdr *nlh, void *state_)
{
    uint16_t *state = state_;

    if (nlh->nlmsg_type == RTM_NEWNEIGH
        && mnl_nlmsg_get_payload_len(nlh) >= sizeof(struct ndmsg)) {
        const struct ndmsg *ndm = mnl_nlmsg_get_payload(nlh);
        *state = ndm->ndm_state;
    }
    return MNL_CB_OK;
}

void
evidence_probe_tunnel(struct evidence *ev, struct vfy_tunnel *t)
{
    uint8_t buf[NLSOCK_REQSIZE];
    uint8_t addr[16];
    int family, alen;
    char *msg = NULL;

    if (inet_pton(AF_INET, t->dst, addr) == 1) {
        family = AF_INET;
        alen = 4;
    } else if (inet_pton(AF_INET6, t->dst, addr) == 1) {
        family = AF_INET6;
        alen = 16;
    } else {
        return;
    }

    struct nlmsghdr *nlh = nlsock_start(buf, RTM_GETROUTE, 0);
    struct rtmsg *rtm = mnl_nlmsg_put_extra_header(nlh, sizeof *rtm);
    rtm->rtm_family = family;
    rtm->rtm_dst_len = alen * 8;
    mnl_attr_put(nlh, RTA_DST, alen, addr);

    struct route_reply r;
    memset(&r, 0, sizeof r);
    int error = nlsock_transact(ev->rtnl, nlh, route_cb, &r, "route", &msg);
    free(msg);
    msg = NULL;
    if (error || !r.oif) {
        t->route = (error == ENETUNREACH || error == EHOSTUNREACH || !error
                    ? VFY_NO : VFY_UNKNOWN);
        return;
    }
    t->route = VFY_YES;
    char name[IF_NAMESIZE];
    if (if_indextoname(r.oif, name)) {
        free(t->route_dev);
        t->route_dev = xstrdup(name);
    }

    nlh = nlsock_start(buf, RTM_GETNEIGH, 0);
    struct ndmsg *ndm = mnl_nlmsg_put_extra_header(nlh, sizeof *ndm);
    ndm->ndm_family = family;
    ndm->ndm_ifindex = r.oif;
    mnl_attr_put(nlh, NDA_DST, alen, r.gw_len == (size_t) alen ? r.gw : addr);
    uint16_t state = 0;
    error = nlsock_transact(ev->rtnl, nlh, neigh_cb, &state, "neighbour",
                            &msg);
    free(msg);
    if (error == ENOENT) {
        t->neigh = VFY_NO;
    } else if (!error) {
        t->neigh = (state & (NUD_REACHABLE | NUD_STALE | NUD_DELAY
                             | NUD_PROBE | NUD_PERMANENT | NUD_NOARP)
                    ? VFY_YES : VFY_NO);
    }
}
