/*
 * rtnl-vf: VF settings over rtnetlink.  See rtnl-vf.h.
 */
#include <config.h>

#include "rtnl-vf.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <linux/if_link.h>
#include <linux/if_ether.h>
#include <linux/rtnetlink.h>

#include "nlsock.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/vlog.h"
#include "util.h"
#include "validate.h"

VLOG_DEFINE_THIS_MODULE(rtnl_vf);

/* More VFs than any PF has (PCI SR-IOV allows 65535; mlx5 127 per PF). */
#define RTNL_VF_MAX 4096

static int
compare_vf(const void *a_, const void *b_)
{
    const struct hw_vf_config *a = a_, *b = b_;
    return a->vf < b->vf ? -1 : a->vf > b->vf;
}

/* Parses one IFLA_VF_INFO nest into 'c'.  Returns false if malformed. */
static bool
parse_vf_info(const struct nlattr *attr, struct hw_vf_config *c)
{
    const struct nlattr *tb[IFLA_VF_MAX + 1];
    bool have_vf = false;
    uint32_t vf = 0;

    if (mnl_attr_get_type(attr) != IFLA_VF_INFO
        || nlsock_parse_nested(attr, tb, IFLA_VF_MAX)) {
        return false;
    }
    hw_vf_config_init(c, -1);
    /* Every IFLA_VF_* payload starts with the VF number: they must
     * agree. */
#define VF_PAYLOAD(ATTR, TYPE, VAR)                                     \
    const TYPE *VAR = NULL;                                             \
    if (tb[ATTR]) {                                                     \
        if (mnl_attr_get_payload_len(tb[ATTR]) < sizeof *VAR) {        \
            return false;                                               \
        }                                                               \
        VAR = mnl_attr_get_payload(tb[ATTR]);                           \
        if (have_vf && VAR->vf != vf) {                                 \
            return false;                                               \
        }                                                               \
        vf = VAR->vf;                                                   \
        have_vf = true;                                                 \
    }
    VF_PAYLOAD(IFLA_VF_MAC, struct ifla_vf_mac, mac);
    VF_PAYLOAD(IFLA_VF_VLAN, struct ifla_vf_vlan, vlan);
    VF_PAYLOAD(IFLA_VF_SPOOFCHK, struct ifla_vf_spoofchk, spoofchk);
    VF_PAYLOAD(IFLA_VF_TRUST, struct ifla_vf_trust, trust);
    VF_PAYLOAD(IFLA_VF_LINK_STATE, struct ifla_vf_link_state, state);
#undef VF_PAYLOAD
    if (!have_vf || vf >= RTNL_VF_MAX) {
        return false;
    }
    c->vf = vf;
    if (mac) {
        snprintf(c->mac, sizeof c->mac, "%02x:%02x:%02x:%02x:%02x:%02x",
                 mac->mac[0], mac->mac[1], mac->mac[2], mac->mac[3],
                 mac->mac[4], mac->mac[5]);
    }
    if (vlan) {
        if (vlan->vlan > 4095 || vlan->qos > 7) {
            return false;
        }
        c->vlan = vlan->vlan;
        c->qos = vlan->qos;
        c->vlan_proto = 0x8100;
    }
    /* The VLAN list, when there, has the protocol. */
    if (tb[IFLA_VF_VLAN_LIST]) {
        const struct nlattr *list = tb[IFLA_VF_VLAN_LIST];
        const struct nlattr *item;

        mnl_attr_for_each_nested (item, list) {
            const struct ifla_vf_vlan_info *vi;

            if (mnl_attr_get_type(item) != IFLA_VF_VLAN_INFO
                || mnl_attr_get_payload_len(item) < sizeof *vi) {
                return false;
            }
            vi = mnl_attr_get_payload(item);
            if (vi->vf != vf || vi->vlan > 4095 || vi->qos > 7) {
                return false;
            }
            c->vlan = vi->vlan;
            c->qos = vi->qos;
            c->vlan_proto = ntohs(vi->vlan_proto);
            break;              /* The kernel reports one entry. */
        }
    }
    /* The kernel reports -1 (as u32) for what the driver leaves unset. */
    if (spoofchk && spoofchk->setting != (uint32_t) -1) {
        c->spoofchk = spoofchk->setting != 0;
    }
    if (trust && trust->setting != (uint32_t) -1) {
        c->trust = trust->setting != 0;
    }
    if (state) {
        if (state->link_state > IFLA_VF_LINK_STATE_DISABLE) {
            return false;
        }
        c->link_state = state->link_state;
    }
    return true;
}

/* Parses the IFLA_VFINFO_LIST of RTM_NEWLINK message 'nlh' into 'vfs'
 * (which the caller destroys).  A link without the list has no VFs (or a
 * driver without VF settings): 'vfs' valid and empty. */
char *
rtnl_parse_vfinfo(const struct nlmsghdr *nlh, struct hw_link_vfs *vfs)
{
    const struct nlattr *tb[IFLA_MAX + 1];
    const struct ifinfomsg *ifi;
    const struct nlattr *item;
    size_t allocated = 0;

    memset(vfs, 0, sizeof *vfs);
    if (nlh->nlmsg_type != RTM_NEWLINK
        || mnl_nlmsg_get_payload_len(nlh) < sizeof *ifi) {
        return xstrdup("rtnetlink: not a link message");
    }
    ifi = mnl_nlmsg_get_payload(nlh);
    if (nlsock_parse_attrs(nlh, sizeof *ifi, tb, IFLA_MAX)) {
        return xasprintf("rtnetlink: link %d: malformed attributes",
                         ifi->ifi_index);
    }
    vfs->valid = true;
    if (!tb[IFLA_VFINFO_LIST]) {
        return NULL;
    }
    mnl_attr_for_each_nested (item, tb[IFLA_VFINFO_LIST]) {
        struct hw_vf_config c;

        if (!parse_vf_info(item, &c)) {
            goto bad;
        }
        for (size_t i = 0; i < vfs->n; i++) {
            if (vfs->configs[i].vf == c.vf) {
                goto bad;
            }
        }
        if (vfs->n >= RTNL_VF_MAX) {
            goto bad;
        }
        if (vfs->n >= allocated) {
            vfs->configs = x2nrealloc(vfs->configs, &allocated,
                                      sizeof *vfs->configs);
        }
        vfs->configs[vfs->n++] = c;
    }
    if (vfs->n) {
        qsort(vfs->configs, vfs->n, sizeof *vfs->configs, compare_vf);
    }
    return NULL;

bad:
    hw_link_vfs_destroy(vfs);
    return xasprintf("rtnetlink: link %d: malformed VF information",
                     ifi->ifi_index);
}

struct rtnl_vf_get {
    struct hw_link_vfs *vfs;
    bool found;
    char *error;
};

static int
rtnl_vf_get_cb(const struct nlmsghdr *nlh, void *g_)
{
    struct rtnl_vf_get *g = g_;

    if (g->found) {
        return MNL_CB_OK;
    }
    g->error = rtnl_parse_vfinfo(nlh, g->vfs);
    if (g->error) {
        return MNL_CB_ERROR;
    }
    g->found = true;
    return MNL_CB_OK;
}

static struct nlmsghdr *
rtnl_vf_request(void *buf, uint16_t type, const char *name)
{
    struct nlmsghdr *nlh = nlsock_start(buf, type, 0);
    struct ifinfomsg *ifi = mnl_nlmsg_put_extra_header(nlh, sizeof *ifi);

    ifi->ifi_family = AF_UNSPEC;
    mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
    return nlh;
}

static int
rtnl_vf_check_name(const char *name, char **errp)
{
    char *error = validate_ifname("interface", name);

    if (error) {
        *errp = error;
        return EINVAL;
    }
    return 0;
}

/* Reads the VF settings of PF link 'pf' into 'vfs'. */
int
rtnl_get_vfs(struct nlsock *sock, const char *pf, struct hw_link_vfs *vfs,
             char **errp)
{
    char buf[NLSOCK_REQSIZE];
    struct rtnl_vf_get g = { .vfs = vfs };
    struct nlmsghdr *nlh;
    char *what;
    int error;

    memset(vfs, 0, sizeof *vfs);
    error = rtnl_vf_check_name(pf, errp);
    if (error) {
        return error;
    }
    nlh = rtnl_vf_request(buf, RTM_GETLINK, pf);
    mnl_attr_put_u32(nlh, IFLA_EXT_MASK,
                     RTEXT_FILTER_VF | RTEXT_FILTER_SKIP_STATS);
    what = xasprintf("%s: VF information: rtnetlink", pf);
    error = nlsock_transact(sock, nlh, rtnl_vf_get_cb, &g, what, errp);
    if (!error && !g.found) {
        *errp = xasprintf("%s: no link in the reply", what);
        error = EPROTO;
    }
    if (error) {
        if (g.error) {
            free(*errp);
            *errp = g.error;
            g.error = NULL;
        }
        hw_link_vfs_destroy(vfs);
    }
    free(g.error);
    free(what);
    return error;
}

static bool
parse_mac(const char *s, uint8_t mac[6])
{
    unsigned int b[6];
    int n = 0;

    if (sscanf(s, "%2x:%2x:%2x:%2x:%2x:%2x%n", &b[0], &b[1], &b[2], &b[3],
               &b[4], &b[5], &n) != 6 || s[n]) {
        return false;
    }
    for (int i = 0; i < 6; i++) {
        mac[i] = b[i];
    }
    return true;
}

/* Sets 'setting' of VF 'c->vf' of PF 'pf' to the value in 'c'. */
int
rtnl_set_vf(struct nlsock *sock, const char *pf,
            const struct hw_vf_config *c, enum hw_vf_setting setting,
            char **errp)
{
    char buf[NLSOCK_REQSIZE];
    struct nlattr *list, *info;
    struct nlmsghdr *nlh;
    struct ds what = DS_EMPTY_INITIALIZER;
    int error;

    error = rtnl_vf_check_name(pf, errp);
    if (error) {
        return error;
    }
    if (c->vf < 0 || c->vf >= RTNL_VF_MAX) {
        *errp = xasprintf("%s: %d is not a VF number", pf, c->vf);
        return EINVAL;
    }
    nlh = rtnl_vf_request(buf, RTM_SETLINK, pf);
    list = mnl_attr_nest_start(nlh, IFLA_VFINFO_LIST);
    info = mnl_attr_nest_start(nlh, IFLA_VF_INFO);
    ds_put_format(&what, "%s: set VF %d ", pf, c->vf);
    switch (setting) {
    case HW_VF_MAC: {
        struct ifla_vf_mac m = { .vf = c->vf };

        if (!parse_mac(c->mac, m.mac)) {
            *errp = xasprintf("%s: VF %d: \"%s\" is not a MAC address", pf,
                              c->vf, c->mac);
            ds_destroy(&what);
            return EINVAL;
        }
        mnl_attr_put(nlh, IFLA_VF_MAC, sizeof m, &m);
        ds_put_format(&what, "mac %s", c->mac);
        break;
    }
    case HW_VF_VLAN: {
        struct ifla_vf_vlan_info vi = {
            .vf = c->vf, .vlan = c->vlan, .qos = c->qos,
            .vlan_proto = htons(c->vlan_proto ? c->vlan_proto : ETH_P_8021Q),
        };
        struct nlattr *vl;

        if (c->vlan < 0 || c->vlan > 4095 || c->qos < 0 || c->qos > 7) {
            *errp = xasprintf("%s: VF %d: bad VLAN %d qos %d", pf, c->vf,
                              c->vlan, c->qos);
            ds_destroy(&what);
            return EINVAL;
        }
        vl = mnl_attr_nest_start(nlh, IFLA_VF_VLAN_LIST);
        mnl_attr_put(nlh, IFLA_VF_VLAN_INFO, sizeof vi, &vi);
        mnl_attr_nest_end(nlh, vl);
        ds_put_format(&what, "vlan %d qos %d proto %s", c->vlan, c->qos,
                      c->vlan_proto == 0x88a8 ? "802.1ad" : "802.1Q");
        break;
    }
    case HW_VF_SPOOFCHK: {
        struct ifla_vf_spoofchk sc = { .vf = c->vf, .setting = c->spoofchk };
        mnl_attr_put(nlh, IFLA_VF_SPOOFCHK, sizeof sc, &sc);
        ds_put_format(&what, "spoofchk %s", c->spoofchk ? "on" : "off");
        break;
    }
    case HW_VF_TRUST: {
        struct ifla_vf_trust t = { .vf = c->vf, .setting = c->trust };
        mnl_attr_put(nlh, IFLA_VF_TRUST, sizeof t, &t);
        ds_put_format(&what, "trust %s", c->trust ? "on" : "off");
        break;
    }
    case HW_VF_LINK_STATE: {
        struct ifla_vf_link_state ls = {
            .vf = c->vf, .link_state = c->link_state,
        };
        if (c->link_state < 0 || c->link_state > IFLA_VF_LINK_STATE_DISABLE) {
            *errp = xasprintf("%s: VF %d: bad link state %d", pf, c->vf,
                              c->link_state);
            ds_destroy(&what);
            return EINVAL;
        }
        mnl_attr_put(nlh, IFLA_VF_LINK_STATE, sizeof ls, &ls);
        ds_put_format(&what, "state %s",
                      (c->link_state == IFLA_VF_LINK_STATE_ENABLE ? "enable"
                       : c->link_state == IFLA_VF_LINK_STATE_DISABLE
                       ? "disable" : "auto"));
        break;
    }
    default:
        ds_destroy(&what);
        *errp = xasprintf("%s: unknown VF setting", pf);
        return EINVAL;
    }
    mnl_attr_nest_end(nlh, info);
    mnl_attr_nest_end(nlh, list);
    ds_put_cstr(&what, ": rtnetlink");
    error = nlsock_transact(sock, nlh, NULL, NULL, ds_cstr(&what), errp);
    if (error == ENODEV) {
        free(*errp);
        *errp = xasprintf("%s: no such network device", pf);
    }
    ds_destroy(&what);
    return error;
}

/* Whether 'name' is a representor's phys_port_name ("pf0vf1",
 * "c1pf0vf1"). */
static bool
is_rep_name(const char *name)
{
    return name && (strstr(name, "vf") != NULL);
}

/* Fills in the VF settings of every PF link of 'snap' whose device has
 * VFs.  A PF that cannot be read keeps 'vfs.valid' false (logged). */
void
rtnl_observe_vfs(struct nlsock *sock, struct hw_snapshot *snap)
{
    static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 20);
    struct shash_node *node;

    SHASH_FOR_EACH (node, &snap->links) {
        struct hw_link *l = node->data;
        const struct hw_device *dev;
        char *error = NULL;

        if (!l->bus || !l->dev || is_rep_name(l->phys_port_name)) {
            continue;
        }
        dev = hw_snapshot_find_device(snap, l->bus, l->dev);
        if (!dev || dev->num_vfs <= 0) {
            continue;
        }
        hw_link_vfs_destroy(&l->vfs);
        if (rtnl_get_vfs(sock, l->name, &l->vfs, &error)) {
            VLOG_WARN_RL(&rl, "%s", error);
            free(error);
        }
    }
}
