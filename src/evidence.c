/*
 * evidence: kernel probes for the verification report.  See evidence.h.
 */
#include "evidence.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <libmnl/libmnl.h>
#include <linux/devlink.h>
#include <linux/ethtool.h>
#include <linux/genetlink.h>
#include <linux/neighbour.h>
#include <linux/rtnetlink.h>
#include <linux/sockios.h>

/* Reads the first line of sysfs file 'dev'/'attr' into a malloc()'d string,
 * or returns NULL. */
static char *
sysfs_read(const char *dev, const char *attr)
{
    char path[PATH_MAX];
    char buf[256];
    FILE *f;

    snprintf(path, sizeof path, "/sys/class/net/%s/%s", dev, attr);
    f = fopen(path, "r");
    if (!f) {
        return NULL;
    }
    if (!fgets(buf, sizeof buf, f)) {
        fclose(f);
        return NULL;
    }
    fclose(f);
    buf[strcspn(buf, "\n")] = '\0';
    return buf[0] ? strdup(buf) : NULL;
}

/* Returns the last path component of the target of symlink 'dev'/'attr'. */
static char *
sysfs_link_base(const char *dev, const char *attr)
{
    char path[PATH_MAX], target[PATH_MAX];
    ssize_t n;

    snprintf(path, sizeof path, "/sys/class/net/%s/%s", dev, attr);
    n = readlink(path, target, sizeof target - 1);
    if (n <= 0) {
        return NULL;
    }
    target[n] = '\0';
    const char *slash = strrchr(target, '/');
    return strdup(slash ? slash + 1 : target);
}

static int
ethtool_ioctl(int fd, const char *name, void *cmd)
{
    struct ifreq ifr;

    memset(&ifr, 0, sizeof ifr);
    snprintf(ifr.ifr_name, sizeof ifr.ifr_name, "%s", name);
    ifr.ifr_data = cmd;
    return ioctl(fd, SIOCETHTOOL, &ifr) < 0 ? errno : 0;
}

/* Finds the "hw-tc-offload" feature of 'd' through the ethtool ioctl's
 * feature strings (bit positions differ between kernels). */
static void
probe_ethtool(struct vfy_dev *d)
{
    int fd = socket(AF_INET, SOCK_DGRAM, 0);

    if (fd < 0) {
        return;
    }

    struct ethtool_drvinfo drv;
    memset(&drv, 0, sizeof drv);
    drv.cmd = ETHTOOL_GDRVINFO;
    if (!ethtool_ioctl(fd, d->name, &drv)) {
        drv.driver[sizeof drv.driver - 1] = '\0';
        free(d->driver);
        d->driver = strdup(drv.driver);
    }

    struct {
        struct ethtool_sset_info hdr;
        uint32_t data[1];
    } sset;
    memset(&sset, 0, sizeof sset);
    sset.hdr.cmd = ETHTOOL_GSSET_INFO;
    sset.hdr.sset_mask = 1ULL << ETH_SS_FEATURES;
    if (ethtool_ioctl(fd, d->name, &sset) || !sset.hdr.sset_mask) {
        goto out;
    }
    uint32_t n = sset.data[0];
    if (!n || n > 1024) {
        goto out;
    }

    struct ethtool_gstrings *strings = calloc(1, sizeof *strings
                                                 + n * ETH_GSTRING_LEN);
    if (!strings) {
        goto out;
    }
    strings->cmd = ETHTOOL_GSTRINGS;
    strings->string_set = ETH_SS_FEATURES;
    strings->len = n;
    int bit = -1;
    if (!ethtool_ioctl(fd, d->name, strings)) {
        for (uint32_t i = 0; i < n; i++) {
            const char *s = (const char *) strings->data + i * ETH_GSTRING_LEN;
            if (!strncmp(s, "hw-tc-offload", ETH_GSTRING_LEN)) {
                bit = i;
                break;
            }
        }
    }
    free(strings);
    if (bit < 0) {
        d->hw_tc_feature = VFY_NO;
        d->hw_tc_on = VFY_NO;
        goto out;
    }

    uint32_t blocks = (n + 31) / 32;
    struct ethtool_gfeatures *gf = calloc(1, sizeof *gf
                                             + blocks * sizeof gf->features[0]);
    if (!gf) {
        goto out;
    }
    gf->cmd = ETHTOOL_GFEATURES;
    gf->size = blocks;
    if (!ethtool_ioctl(fd, d->name, gf)) {
        uint32_t mask = 1u << (bit % 32);
        const struct ethtool_get_features_block *b = &gf->features[bit / 32];
        bool active = (b->active & mask) != 0;
        bool changeable = (b->available & mask) != 0;

        d->hw_tc_on = active ? VFY_YES : VFY_NO;
        d->hw_tc_feature = (active || changeable) ? VFY_YES : VFY_NO;
    }
    free(gf);

out:
    close(fd);
}

/* Sends 'nlh' on a new netlink socket of 'proto' and runs 'cb' on each
 * reply.  Returns 0 or a positive errno value. */
static int
nl_talk(int proto, struct nlmsghdr *nlh, mnl_cb_t cb, void *data)
{
    char buf[16384];
    struct mnl_socket *nl = mnl_socket_open(proto);
    int error = 0;

    if (!nl) {
        return errno;
    }
    if (mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
        error = errno;
        goto out;
    }
    unsigned int portid = mnl_socket_get_portid(nl);
    nlh->nlmsg_seq = time(NULL);
    if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0) {
        error = errno;
        goto out;
    }
    for (;;) {
        ssize_t n = mnl_socket_recvfrom(nl, buf, sizeof buf);
        if (n < 0) {
            error = errno;
            break;
        }
        int ret = mnl_cb_run(buf, n, nlh->nlmsg_seq, portid, cb, data);
        if (ret < 0) {
            error = errno ? errno : EPROTO;
            break;
        } else if (ret == MNL_CB_STOP) {
            break;
        }
    }
out:
    mnl_socket_close(nl);
    return error;
}

static int
genl_family_cb(const struct nlmsghdr *nlh, void *id_)
{
    uint16_t *id = id_;
    struct nlattr *attr;

    mnl_attr_for_each (attr, nlh, sizeof(struct genlmsghdr)) {
        if (mnl_attr_get_type(attr) == CTRL_ATTR_FAMILY_ID
            && mnl_attr_validate(attr, MNL_TYPE_U16) >= 0) {
            *id = mnl_attr_get_u16(attr);
        }
    }
    return MNL_CB_OK;
}

static int
eswitch_cb(const struct nlmsghdr *nlh, void *mode_)
{
    int *mode = mode_;
    struct nlattr *attr;

    mnl_attr_for_each (attr, nlh, sizeof(struct genlmsghdr)) {
        if (mnl_attr_get_type(attr) == DEVLINK_ATTR_ESWITCH_MODE
            && mnl_attr_validate(attr, MNL_TYPE_U16) >= 0) {
            *mode = mnl_attr_get_u16(attr);
        }
    }
    return MNL_CB_OK;
}

/* Asks devlink for the eswitch mode of the device that 'd' belongs to
 * (named by its sysfs "device" and its bus). */
static void
probe_eswitch(struct vfy_dev *d)
{
    char *dev = sysfs_link_base(d->name, "device");
    char *bus = sysfs_link_base(d->name, "device/subsystem");
    char buf[MNL_SOCKET_BUFFER_SIZE];
    struct nlmsghdr *nlh;
    struct genlmsghdr *g;
    uint16_t family = 0;
    int mode = -1;

    if (!dev || !bus) {
        goto out;
    }
    nlh = mnl_nlmsg_put_header(buf);
    nlh->nlmsg_type = GENL_ID_CTRL;
    nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
    g = mnl_nlmsg_put_extra_header(nlh, sizeof *g);
    g->cmd = CTRL_CMD_GETFAMILY;
    g->version = 1;
    mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, DEVLINK_GENL_NAME);
    if (nl_talk(NETLINK_GENERIC, nlh, genl_family_cb, &family) || !family) {
        goto out;
    }

    nlh = mnl_nlmsg_put_header(buf);
    nlh->nlmsg_type = family;
    nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
    g = mnl_nlmsg_put_extra_header(nlh, sizeof *g);
    g->cmd = DEVLINK_CMD_ESWITCH_GET;
    g->version = DEVLINK_GENL_VERSION;
    mnl_attr_put_strz(nlh, DEVLINK_ATTR_BUS_NAME, bus);
    mnl_attr_put_strz(nlh, DEVLINK_ATTR_DEV_NAME, dev);
    if (!nl_talk(NETLINK_GENERIC, nlh, eswitch_cb, &mode) && mode >= 0) {
        free(d->eswitch_mode);
        d->eswitch_mode = strdup(mode == DEVLINK_ESWITCH_MODE_SWITCHDEV
                                 ? "switchdev" : "legacy");
    }
out:
    free(dev);
    free(bus);
}

static void
probe_lower(struct vfy_dev *d)
{
    char path[PATH_MAX];
    struct dirent *de;
    DIR *dir;

    snprintf(path, sizeof path, "/sys/class/net/%s", d->name);
    dir = opendir(path);
    if (!dir) {
        return;
    }
    while ((de = readdir(dir)) != NULL) {
        if (!strncmp(de->d_name, "lower_", 6) && de->d_name[6]) {
            d->lower = realloc(d->lower, (d->n_lower + 1) * sizeof *d->lower);
            if (!d->lower) {
                abort();
            }
            d->lower[d->n_lower++] = strdup(de->d_name + 6);
        }
    }
    closedir(dir);
}

void
evidence_probe_dev(struct vfy_dev *d)
{
    d->ifindex = if_nametoindex(d->name);
    d->exists = d->ifindex != 0;
    if (!d->exists) {
        return;
    }
    probe_ethtool(d);
    free(d->switch_id);
    d->switch_id = sysfs_read(d->name, "phys_switch_id");
    probe_eswitch(d);
    probe_lower(d);
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
    struct nlattr *attr;

    if (nlh->nlmsg_type != RTM_NEWROUTE) {
        return MNL_CB_OK;
    }
    mnl_attr_for_each (attr, nlh, sizeof(struct rtmsg)) {
        int type = mnl_attr_get_type(attr);
        if (type == RTA_OIF && mnl_attr_validate(attr, MNL_TYPE_U32) >= 0) {
            r->oif = mnl_attr_get_u32(attr);
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
evidence_probe_tunnel(struct vfy_tunnel *t)
{
    char buf[MNL_SOCKET_BUFFER_SIZE];
    uint8_t addr[16];
    int family, alen;

    if (inet_pton(AF_INET, t->dst, addr) == 1) {
        family = AF_INET;
        alen = 4;
    } else if (inet_pton(AF_INET6, t->dst, addr) == 1) {
        family = AF_INET6;
        alen = 16;
    } else {
        return;
    }

    struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
    nlh->nlmsg_type = RTM_GETROUTE;
    nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
    struct rtmsg *rtm = mnl_nlmsg_put_extra_header(nlh, sizeof *rtm);
    rtm->rtm_family = family;
    rtm->rtm_dst_len = alen * 8;
    mnl_attr_put(nlh, RTA_DST, alen, addr);

    struct route_reply r;
    memset(&r, 0, sizeof r);
    int error = nl_talk(NETLINK_ROUTE, nlh, route_cb, &r);
    if (error || !r.oif) {
        t->route = error == ENETUNREACH || error == EHOSTUNREACH || !error
                   ? VFY_NO : VFY_UNKNOWN;
        return;
    }
    t->route = VFY_YES;
    char name[IF_NAMESIZE];
    if (if_indextoname(r.oif, name)) {
        free(t->route_dev);
        t->route_dev = strdup(name);
    }

    nlh = mnl_nlmsg_put_header(buf);
    nlh->nlmsg_type = RTM_GETNEIGH;
    nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
    struct ndmsg *ndm = mnl_nlmsg_put_extra_header(nlh, sizeof *ndm);
    ndm->ndm_family = family;
    ndm->ndm_ifindex = r.oif;
    mnl_attr_put(nlh, NDA_DST, alen, r.gw_len == (size_t) alen ? r.gw : addr);
    uint16_t state = 0;
    error = nl_talk(NETLINK_ROUTE, nlh, neigh_cb, &state);
    if (error == ENOENT) {
        t->neigh = VFY_NO;
    } else if (!error) {
        t->neigh = (state & (NUD_REACHABLE | NUD_STALE | NUD_DELAY
                             | NUD_PROBE | NUD_PERMANENT | NUD_NOARP))
                   ? VFY_YES : VFY_NO;
    }
}
