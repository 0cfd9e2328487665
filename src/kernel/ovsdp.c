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
