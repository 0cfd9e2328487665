/*
 * ovsdp: the kernel datapath's vports (see ovsdp.h).
 */
#include <config.h>

#include "ovsdp.h"

#include <errno.h>
#include <net/if.h>
#include <string.h>
#include <linux/genetlink.h>

/* The OVS tree's copy of the datapath's uapi header comes first in the
 * include path; it needs OVS's port number types. */
#include "openvswitch/types.h"
#include <linux/openvswitch.h>

#include "nlsock.h"
#include "util.h"
#include "validate.h"

struct ovsdp_find {
    const char *name;
    uint32_t port_no;
    bool found;
};

/* Returns 0 and sets '*port_nop' if 'nlh' is a vport message for 'name',
 * ENOENT if it is another vport's, EPROTO if it is malformed. */
int
ovsdp_parse_vport(const struct nlmsghdr *nlh, const char *name,
                  uint32_t *port_nop)
{
    const struct nlattr *tb[OVS_VPORT_ATTR_MAX + 1];
    const char *vname;
    uint32_t port_no;

    if (nlsock_parse_attrs(nlh, GENL_HDRLEN + sizeof(struct ovs_header), tb,
                           OVS_VPORT_ATTR_MAX)) {
        return EPROTO;
    }
    vname = (tb[OVS_VPORT_ATTR_NAME]
             ? nlsock_attr_str(tb[OVS_VPORT_ATTR_NAME], IFNAMSIZ - 1)
             : NULL);
    if (!vname || !tb[OVS_VPORT_ATTR_PORT_NO]
        || !nlsock_attr_u32(tb[OVS_VPORT_ATTR_PORT_NO], &port_no)) {
        return EPROTO;
    }
    if (strcmp(vname, name)) {
        return ENOENT;
    }
    *port_nop = port_no;
    return 0;
}

static int
ovsdp_find_cb(const struct nlmsghdr *nlh, void *find_)
{
    struct ovsdp_find *find = find_;
    uint32_t port_no;

    /* A malformed entry is skipped: it cannot be the one asked for. */
    if (!find->found && !ovsdp_parse_vport(nlh, find->name, &port_no)) {
        find->port_no = port_no;
        find->found = true;
    }
    return MNL_CB_OK;
}

static struct nlmsghdr *
ovsdp_start(void *buf, uint16_t family, uint8_t cmd, uint16_t flags,
            int dp_ifindex)
{
    struct nlmsghdr *nlh = nlsock_genl_start(buf, family, cmd,
                                             OVS_VPORT_VERSION, flags);
    struct ovs_header *oh = mnl_nlmsg_put_extra_header(nlh, sizeof *oh);

    oh->dp_ifindex = dp_ifindex;
    return nlh;
}

static int
ovsdp_family(struct nlsock *sock, uint16_t *familyp, char **errp)
{
    int error = nlsock_genl_family(sock, OVS_VPORT_FAMILY, familyp, errp);

    if (error == ENOENT) {
        free(*errp);
        *errp = NULL;
    }
    return error;
}

int
ovsdp_find_vport(struct nlsock *sock, int dp_ifindex, const char *name,
                 uint32_t *port_nop, char **errp)
{
    struct ovsdp_find find = { .name = name };
    char buf[NLSOCK_REQSIZE];
    struct nlmsghdr *nlh;
    uint16_t family;
    int error;

    *errp = NULL;
    error = ovsdp_family(sock, &family, errp);
    if (error) {
        return error;
    }
    nlh = ovsdp_start(buf, family, OVS_VPORT_CMD_GET, NLM_F_DUMP, dp_ifindex);
    error = nlsock_transact(sock, nlh, ovsdp_find_cb, &find, "ovs_vport",
                            errp);
    if (error) {
        return error;
    }
    if (!find.found) {
        return ENOENT;
    }
    *port_nop = find.port_no;
    return 0;
}

int
ovsdp_del_vport(struct nlsock *sock, int dp_ifindex, uint32_t port_no,
                char **errp)
{
    char buf[NLSOCK_REQSIZE];
    struct nlmsghdr *nlh;
    uint16_t family;
    int error;

    *errp = NULL;
    error = ovsdp_family(sock, &family, errp);
    if (error) {
        if (error == ENOENT) {
            *errp = xstrdup("ovs_vport: the kernel has no openvswitch "
                            "datapath");
        }
        return error;
    }
    nlh = ovsdp_start(buf, family, OVS_VPORT_CMD_DEL, 0, dp_ifindex);
    mnl_attr_put_u32(nlh, OVS_VPORT_ATTR_PORT_NO, port_no);
    return nlsock_transact(sock, nlh, NULL, NULL, "ovs_vport", errp);
}

/* Datapaths. */

int
ovsdp_parse_dp(const struct nlmsghdr *nlh, struct ovsdp_dp *dp)
{
    const struct nlattr *tb[OVS_DP_ATTR_MAX + 1];
    struct ovs_dp_stats raw;
    const char *name;

    memset(dp, 0, sizeof *dp);
    if (nlsock_parse_attrs(nlh, GENL_HDRLEN + sizeof(struct ovs_header), tb,
                           OVS_DP_ATTR_MAX)
        || !tb[OVS_DP_ATTR_NAME] || !tb[OVS_DP_ATTR_STATS]
        || mnl_attr_get_payload_len(tb[OVS_DP_ATTR_STATS]) < sizeof raw) {
        return EPROTO;
    }
    /* The name goes into file names and messages: a network device's
     * name (the datapath's own device), nothing else. */
    name = nlsock_attr_str(tb[OVS_DP_ATTR_NAME], sizeof dp->name - 1);
    char *msg = name ? validate_ifname("datapath", name) : NULL;
    if (!name || msg) {
        free(msg);
        return EPROTO;
    }
    strcpy(dp->name, name);
    /* The kernel's u64s are only 4-byte aligned in the message. */
    memcpy(&raw, mnl_attr_get_payload(tb[OVS_DP_ATTR_STATS]), sizeof raw);
    dp->n_hit = raw.n_hit;
    dp->n_missed = raw.n_missed;
    dp->n_lost = raw.n_lost;
    dp->n_flows = raw.n_flows;
    return 0;
}

struct ovsdp_list_aux {
    struct ovsdp_dp *dps;
    size_t n, allocated;
};

static int
ovsdp_list_cb(const struct nlmsghdr *nlh, void *aux_)
{
    struct ovsdp_list_aux *aux = aux_;
    struct ovsdp_dp dp;

    if (ovsdp_parse_dp(nlh, &dp)) {
        return MNL_CB_ERROR;
    }
    if (aux->n >= aux->allocated) {
        aux->dps = x2nrealloc(aux->dps, &aux->allocated, sizeof *aux->dps);
    }
    aux->dps[aux->n++] = dp;
    return MNL_CB_OK;
}

int
ovsdp_list(struct nlsock *sock, struct ovsdp_dp **dpsp, size_t *np,
           char **errp)
{
    struct ovsdp_list_aux aux = { NULL, 0, 0 };
    char buf[NLSOCK_REQSIZE];
    struct nlmsghdr *nlh;
    uint16_t family;
    int error;

    *errp = NULL;
    *dpsp = NULL;
    *np = 0;
    error = nlsock_genl_family(sock, OVS_DATAPATH_FAMILY, &family, errp);
    if (error) {
        if (error == ENOENT) {
            free(*errp);
            *errp = NULL;
            error = 0;
        }
        return error;
    }
    nlh = nlsock_genl_start(buf, family, OVS_DP_CMD_GET, OVS_DATAPATH_VERSION,
                            NLM_F_DUMP);
    struct ovs_header *oh = mnl_nlmsg_put_extra_header(nlh, sizeof *oh);
    oh->dp_ifindex = 0;
    error = nlsock_transact(sock, nlh, ovsdp_list_cb, &aux, "ovs_datapath",
                            errp);
    if (error) {
        free(aux.dps);
        return error;
    }
    *dpsp = aux.dps;
    *np = aux.n;
    return 0;
}
