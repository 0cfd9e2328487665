/*
 * devlink: devlink generic netlink requests.  See devlink.h.
 */
#include <config.h>

#include "devlink.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <string.h>
#include <linux/devlink.h>
#include <linux/genetlink.h>

#include "nlsock.h"
#include "packets.h"
#include "openvswitch/vlog.h"
#include "sysfs.h"
#include "util.h"
#include "validate.h"

VLOG_DEFINE_THIS_MODULE(devlink);

static struct vlog_rate_limit devlink_rl = VLOG_RATE_LIMIT_INIT(5, 20);

/* Longest firmware version string we keep. */
#define DEVLINK_FW_MAX 64

const char *
devlink_eswitch_mode_to_string(unsigned int mode)
{
    switch (mode) {
    case DEVLINK_ESWITCH_MODE_LEGACY:
        return "legacy";
    case DEVLINK_ESWITCH_MODE_SWITCHDEV:
        return "switchdev";
    default:
        return NULL;
    }
}

/* Returns the devlink value of eswitch 'mode', or -1 if it is unknown. */
int
devlink_eswitch_mode_from_string(const char *mode)
{
    return (!strcmp(mode, "legacy") ? DEVLINK_ESWITCH_MODE_LEGACY
            : !strcmp(mode, "switchdev") ? DEVLINK_ESWITCH_MODE_SWITCHDEV
            : -1);
}

/* Returns true if 's' is a printable ASCII string. */
static bool
devlink_is_printable(const char *s)
{
    for (; *s; s++) {
        if (!isprint((unsigned char) *s)) {
            return false;
        }
    }
    return true;
}

/* Parses the device handle (DEVLINK_ATTR_BUS_NAME, DEVLINK_ATTR_DEV_NAME)
 * in 'tb' into malloc'd '*busp' and '*devp'. */
static char *
devlink_parse_handle(const struct nlattr **tb, char **busp, char **devp)
{
    const char *bus, *dev;
    char *error;

    *busp = *devp = NULL;
    if (!tb[DEVLINK_ATTR_BUS_NAME] || !tb[DEVLINK_ATTR_DEV_NAME]) {
        return xstrdup("devlink: message without a device handle");
    }
    bus = nlsock_attr_str(tb[DEVLINK_ATTR_BUS_NAME], 32);
    dev = nlsock_attr_str(tb[DEVLINK_ATTR_DEV_NAME], 64);
    if (!bus || !dev) {
        return xstrdup("devlink: bad bus or device name attribute");
    }
    error = sysfs_check_bus("devlink bus name", bus);
    if (!error) {
        error = validate_dev_name("devlink device name", dev);
    }
    if (error) {
        return error;
    }
    *busp = xstrdup(bus);
    *devp = xstrdup(dev);
    return NULL;
}

char *
devlink_parse_dev(const struct nlmsghdr *nlh, struct devlink_dev_id *id)
{
    const struct nlattr *tb[DEVLINK_ATTR_MAX + 1];

    id->bus = id->name = NULL;
    if (nlsock_parse_attrs(nlh, sizeof(struct genlmsghdr), tb,
                           DEVLINK_ATTR_MAX)) {
        return xstrdup("devlink: malformed device message");
    }
    return devlink_parse_handle(tb, &id->bus, &id->name);
}

struct devlink_info_ctx {
    char *driver;
    char *fw;
    int fw_rank;                /* Lower is better; INT_MAX: none yet. */
    char *error;
};

/* Ranks a running version name as the device's firmware version: mlx5
 * reports "fw.version" (and "fw"), netdevsim "fw.mgmt". */
static int
devlink_fw_rank(const char *name)
{
    return (!strcmp(name, "fw.version") ? 0
            : !strcmp(name, "fw") ? 1
            : !strcmp(name, "fw.mgmt") ? 2
            : !strncmp(name, "fw", 2) ? 3
            : -1);
}

static int
devlink_info_attr_cb(const struct nlattr *attr, void *ctx_)
{
    struct devlink_info_ctx *ctx = ctx_;
    uint16_t type = mnl_attr_get_type(attr);

    if (type == DEVLINK_ATTR_INFO_DRIVER_NAME) {
        const char *driver = nlsock_attr_str(attr, 64);
        char *error = driver ? sysfs_check_component(driver) : NULL;

        if (!driver || error) {
            free(error);
            ctx->error = xstrdup("devlink: bad driver name attribute");
            return EPROTO;
        }
        free(ctx->driver);
        ctx->driver = xstrdup(driver);
    } else if (type == DEVLINK_ATTR_INFO_VERSION_RUNNING) {
        const struct nlattr *tb[DEVLINK_ATTR_MAX + 1];
        const char *name, *value;
        int rank;

        if (nlsock_parse_nested(attr, tb, DEVLINK_ATTR_MAX)
            || !tb[DEVLINK_ATTR_INFO_VERSION_NAME]
            || !tb[DEVLINK_ATTR_INFO_VERSION_VALUE]) {
            ctx->error = xstrdup("devlink: malformed running version");
            return EPROTO;
        }
        name = nlsock_attr_str(tb[DEVLINK_ATTR_INFO_VERSION_NAME], 64);
        value = nlsock_attr_str(tb[DEVLINK_ATTR_INFO_VERSION_VALUE],
                                DEVLINK_FW_MAX);
        if (!name || !value || !devlink_is_printable(value)) {
            /* A strange version string is not worth failing for. */
            return 0;
        }
        rank = devlink_fw_rank(name);
        if (rank >= 0 && rank < ctx->fw_rank) {
            free(ctx->fw);
            ctx->fw = xstrdup(value);
            ctx->fw_rank = rank;
        }
    }
    return 0;
}

/* Parses a DEVLINK_CMD_INFO_GET reply into the driver name and the running
 * firmware version (either may be NULL if absent). */
char *
devlink_parse_info(const struct nlmsghdr *nlh, char **driverp, char **fwp)
{
    struct devlink_info_ctx ctx = { .fw_rank = INT_MAX };
    size_t offset = MNL_ALIGN(sizeof(struct genlmsghdr));
    size_t len = mnl_nlmsg_get_payload_len(nlh);
    int error;

    *driverp = *fwp = NULL;
    if (len < offset) {
        return xstrdup("devlink: truncated info message");
    }
    error = nlsock_attr_iter((const char *) mnl_nlmsg_get_payload(nlh)
                             + offset, len - offset, devlink_info_attr_cb,
                             &ctx);
    if (error) {
        free(ctx.driver);
        free(ctx.fw);
        return ctx.error ? ctx.error
                         : xstrdup("devlink: malformed info message");
    }
    *driverp = ctx.driver;
    *fwp = ctx.fw;
    return NULL;
}

char *
devlink_parse_eswitch(const struct nlmsghdr *nlh, char **modep)
{
    const struct nlattr *tb[DEVLINK_ATTR_MAX + 1];
    const char *name;
    uint16_t mode;

    *modep = NULL;
    if (nlsock_parse_attrs(nlh, sizeof(struct genlmsghdr), tb,
                           DEVLINK_ATTR_MAX)
        || !tb[DEVLINK_ATTR_ESWITCH_MODE]
        || !nlsock_attr_u16(tb[DEVLINK_ATTR_ESWITCH_MODE], &mode)) {
        return xstrdup("devlink: eswitch reply without a valid mode");
    }
    name = devlink_eswitch_mode_to_string(mode);
    *modep = name ? xstrdup(name) : xasprintf("mode%u", mode);
    return NULL;
}

static enum hw_port_flavour
devlink_flavour(uint16_t flavour)
{
    switch (flavour) {
    case DEVLINK_PORT_FLAVOUR_PHYSICAL:
        return HW_PORT_PHYSICAL;
    case DEVLINK_PORT_FLAVOUR_PCI_PF:
        return HW_PORT_PCI_PF;
    case DEVLINK_PORT_FLAVOUR_PCI_VF:
        return HW_PORT_PCI_VF;
    case DEVLINK_PORT_FLAVOUR_PCI_SF:
        return HW_PORT_PCI_SF;
    default:
        return HW_PORT_OTHER;
    }
}

char *
devlink_parse_port(const struct nlmsghdr *nlh, struct devlink_port_info *pi)
{
    const struct nlattr *tb[DEVLINK_ATTR_MAX + 1];
    uint32_t index;
    uint16_t u16;
    char *error;

    memset(pi, 0, sizeof *pi);
    pi->port.pfnum = pi->port.vfnum = -1;
    if (nlsock_parse_attrs(nlh, sizeof(struct genlmsghdr), tb,
                           DEVLINK_ATTR_MAX)) {
        return xstrdup("devlink: malformed port message");
    }
    error = devlink_parse_handle(tb, &pi->bus, &pi->dev);
    if (error) {
        return error;
    }
    if (!tb[DEVLINK_ATTR_PORT_INDEX]
        || !nlsock_attr_u32(tb[DEVLINK_ATTR_PORT_INDEX], &index)) {
        error = xstrdup("devlink: port message without a valid index");
        goto error;
    }
    pi->port.index = index;
    pi->port.flavour = HW_PORT_OTHER;
    if (tb[DEVLINK_ATTR_PORT_FLAVOUR]) {
        if (!nlsock_attr_u16(tb[DEVLINK_ATTR_PORT_FLAVOUR], &u16)) {
            error = xstrdup("devlink: bad port flavour attribute");
            goto error;
        }
        pi->port.flavour = devlink_flavour(u16);
    }
    if (tb[DEVLINK_ATTR_PORT_PCI_PF_NUMBER]) {
        if (!nlsock_attr_u16(tb[DEVLINK_ATTR_PORT_PCI_PF_NUMBER], &u16)) {
            error = xstrdup("devlink: bad PF number attribute");
            goto error;
        }
        pi->port.pfnum = u16;
    }
    if (tb[DEVLINK_ATTR_PORT_PCI_VF_NUMBER]) {
        if (!nlsock_attr_u16(tb[DEVLINK_ATTR_PORT_PCI_VF_NUMBER], &u16)) {
            error = xstrdup("devlink: bad VF number attribute");
            goto error;
        }
        pi->port.vfnum = u16;
    }
    if (tb[DEVLINK_ATTR_PORT_CONTROLLER_NUMBER]) {
        uint32_t u32;

        if (!nlsock_attr_u32(tb[DEVLINK_ATTR_PORT_CONTROLLER_NUMBER], &u32)) {
            error = xstrdup("devlink: bad controller number attribute");
            goto error;
        }
        pi->port.controller = u32;
    }
    if (tb[DEVLINK_ATTR_PORT_EXTERNAL]) {
        uint8_t u8;

        if (!nlsock_attr_u8(tb[DEVLINK_ATTR_PORT_EXTERNAL], &u8)) {
            error = xstrdup("devlink: bad external attribute");
            goto error;
        }
        pi->port.external = u8 != 0;
    }
    if (tb[DEVLINK_ATTR_PORT_NETDEV_IFINDEX]) {
        uint32_t u32;

        if (!nlsock_attr_u32(tb[DEVLINK_ATTR_PORT_NETDEV_IFINDEX], &u32)
            || u32 > INT_MAX) {
            error = xstrdup("devlink: bad port netdev ifindex attribute");
            goto error;
        }
        pi->netdev_ifindex = u32;
    }
    if (tb[DEVLINK_ATTR_PORT_NETDEV_NAME]) {
        const char *name = nlsock_attr_str(tb[DEVLINK_ATTR_PORT_NETDEV_NAME],
                                           VALIDATE_IFNAME_MAX);
        char *bad = (name ? validate_ifname("devlink port netdev", name)
                     : xstrdup("devlink: bad port netdev name attribute"));

        /* A netdev name the controller cannot use does not make the port
         * unknown: the port stays, without a netdev, and the caller is
         * told why. */
        if (bad) {
            pi->warning = xasprintf("%s/%s port %u: %s", pi->bus, pi->dev,
                                    index, bad);
            free(bad);
        } else {
            pi->port.netdev = xstrdup(name);
        }
    }
    return NULL;

error:
    free(pi->bus);
    free(pi->dev);
    memset(pi, 0, sizeof *pi);
    return error;
}

/* Requests. */

static struct nlmsghdr *
devlink_request(void *buf, uint16_t family, uint8_t cmd, uint16_t flags,
                const char *bus, const char *dev)
{
    struct nlmsghdr *nlh = nlsock_genl_start(buf, family, cmd,
                                             DEVLINK_GENL_VERSION, flags);
    if (bus) {
        mnl_attr_put_strz(nlh, DEVLINK_ATTR_BUS_NAME, bus);
        mnl_attr_put_strz(nlh, DEVLINK_ATTR_DEV_NAME, dev);
    }
    return nlh;
}

/* Checks 'bus' and 'dev' before they go into a request or a sysfs path.
 * Returns 0, or EINVAL with '*errp' naming the bad value. */
int
devlink_check_handle(const char *bus, const char *dev, char **errp)
{
    char *error = sysfs_check_bus("bus", bus);

    if (!error) {
        error = validate_dev_name("device", dev);
    }
    if (error) {
        *errp = error;
        return EINVAL;
    }
    return 0;
}

struct devlink_collect {
    void *array;
    size_t n, allocated;
    char *error;
    size_t n_skipped;           /* Port entries that did not parse. */
};

static int
devlink_dev_cb(const struct nlmsghdr *nlh, void *c_)
{
    struct devlink_collect *c = c_;
    struct devlink_dev_id id;
    struct devlink_dev_id *ids;

    c->error = devlink_parse_dev(nlh, &id);
    if (c->error) {
        return MNL_CB_ERROR;
    }
    if (c->n >= c->allocated) {
        c->array = x2nrealloc(c->array, &c->allocated, sizeof id);
    }
    ids = c->array;
    ids[c->n++] = id;
    return MNL_CB_OK;
}

/* Replaces the generic "malformed reply" in '*errp' by the parser's more
 * precise message, if there is one. */
static void
devlink_take_parse_error(char **errp, char **parse_error, const char *what)
{
    if (*parse_error) {
        free(*errp);
        *errp = xasprintf("%s: %s", what, *parse_error);
        free(*parse_error);
        *parse_error = NULL;
    }
}

void
devlink_dev_ids_free(struct devlink_dev_id *ids, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(ids[i].bus);
        free(ids[i].name);
    }
    free(ids);
}

/* Lists the devlink devices (DEVLINK_CMD_GET dump). */
int
devlink_list_devices(struct nlsock *sock, uint16_t family,
                     struct devlink_dev_id **idsp, size_t *np, char **errp)
{
    char buf[NLSOCK_REQSIZE];
    struct nlmsghdr *nlh = devlink_request(buf, family, DEVLINK_CMD_GET,
                                           NLM_F_DUMP, NULL, NULL);
    struct devlink_collect c = { .array = NULL };
    int error;

    error = nlsock_transact(sock, nlh, devlink_dev_cb, &c,
                            "devlink: device dump", errp);
    if (error) {
        devlink_take_parse_error(errp, &c.error, "devlink: device dump");
        devlink_dev_ids_free(c.array, c.n);
        *idsp = NULL;
        *np = 0;
        return error;
    }
    *idsp = c.array;
    *np = c.n;
    return 0;
}

struct devlink_info_reply {
    char *driver, *fw;
    char *error;
};

static int
devlink_info_cb(const struct nlmsghdr *nlh, void *r_)
{
    struct devlink_info_reply *r = r_;

    free(r->driver);
    free(r->fw);
    r->error = devlink_parse_info(nlh, &r->driver, &r->fw);
    return r->error ? MNL_CB_ERROR : MNL_CB_OK;
}

/* Gets the driver name and running firmware version of a device
 * (DEVLINK_CMD_INFO_GET); either may come back NULL. */
int
devlink_get_info(struct nlsock *sock, uint16_t family, const char *bus,
                 const char *dev, char **driverp, char **fwp, char **errp)
{
    char buf[NLSOCK_REQSIZE];
    struct devlink_info_reply r = { .driver = NULL };
    struct nlmsghdr *nlh;
    char *what;
    int error;

    *driverp = *fwp = NULL;
    error = devlink_check_handle(bus, dev, errp);
    if (error) {
        return error;
    }
    nlh = devlink_request(buf, family, DEVLINK_CMD_INFO_GET, 0, bus, dev);
    what = xasprintf("%s/%s: info: devlink", bus, dev);
    error = nlsock_transact(sock, nlh, devlink_info_cb, &r, what, errp);
    if (error) {
        devlink_take_parse_error(errp, &r.error, what);
        free(r.driver);
        free(r.fw);
    } else {
        *driverp = r.driver;
        *fwp = r.fw;
    }
    free(what);
    return error;
}

struct devlink_eswitch_reply {
    char *mode;
    char *error;
};

static int
devlink_eswitch_cb(const struct nlmsghdr *nlh, void *r_)
{
    struct devlink_eswitch_reply *r = r_;

    free(r->mode);
    r->error = devlink_parse_eswitch(nlh, &r->mode);
    return r->error ? MNL_CB_ERROR : MNL_CB_OK;
}

/* Gets the eswitch mode of a device ("legacy", "switchdev").  Returns
 * EOPNOTSUPP if the device has no eswitch. */
int
devlink_get_eswitch_mode(struct nlsock *sock, uint16_t family,
                         const char *bus, const char *dev, char **modep,
                         char **errp)
{
    char buf[NLSOCK_REQSIZE];
    struct devlink_eswitch_reply r = { .mode = NULL };
    struct nlmsghdr *nlh;
    char *what;
    int error;

    *modep = NULL;
    error = devlink_check_handle(bus, dev, errp);
    if (error) {
        return error;
    }
    nlh = devlink_request(buf, family, DEVLINK_CMD_ESWITCH_GET, 0, bus, dev);
    what = xasprintf("%s/%s: eswitch mode: devlink", bus, dev);
    error = nlsock_transact(sock, nlh, devlink_eswitch_cb, &r, what, errp);
    if (!error && !r.mode) {
        *errp = xasprintf("%s: no reply", what);
        error = EPROTO;
    }
    if (error) {
        devlink_take_parse_error(errp, &r.error, what);
        free(r.mode);
    } else {
        *modep = r.mode;
    }
    free(what);
    return error;
}

/* Sets the eswitch mode of a device (DEVLINK_CMD_ESWITCH_SET).  This does
 * not check the current mode: see hw-linux.c for idempotency. */
int
devlink_set_eswitch_mode(struct nlsock *sock, uint16_t family,
                         const char *bus, const char *dev, const char *mode,
                         char **errp)
{
    char buf[NLSOCK_REQSIZE];
    int value = devlink_eswitch_mode_from_string(mode);
    struct nlmsghdr *nlh;
    char *what;
    int error;

    error = devlink_check_handle(bus, dev, errp);
    if (error) {
        return error;
    }
    if (value < 0) {
        *errp = xasprintf("%s/%s: unknown eswitch mode \"%s\" (expected "
                          "legacy or switchdev)", bus, dev, mode);
        return EINVAL;
    }
    nlh = devlink_request(buf, family, DEVLINK_CMD_ESWITCH_SET, 0, bus, dev);
    mnl_attr_put_u16(nlh, DEVLINK_ATTR_ESWITCH_MODE, value);
    what = xasprintf("%s/%s: eswitch mode %s: devlink", bus, dev, mode);
    error = nlsock_transact(sock, nlh, NULL, NULL, what, errp);
    free(what);
    return error;
}

int
devlink_port_set_hw_addr(struct nlsock *sock, uint16_t family,
                         const char *bus, const char *dev, unsigned int index,
                         const char *mac, char **errp)
{
    char buf[NLSOCK_REQSIZE];
    struct nlmsghdr *nlh;
    struct nlattr *fn;
    struct eth_addr ea;
    char *what;
    int error;

    error = devlink_check_handle(bus, dev, errp);
    if (error) {
        return error;
    }
    if (!mac || !eth_addr_from_string(mac, &ea)) {
        *errp = xasprintf("%s/%s/%u: \"%s\" is not a MAC address", bus, dev,
                          index, mac ? mac : "");
        return EINVAL;
    }
    nlh = devlink_request(buf, family, DEVLINK_CMD_PORT_SET, 0, bus, dev);
    mnl_attr_put_u32(nlh, DEVLINK_ATTR_PORT_INDEX, index);
    fn = mnl_attr_nest_start(nlh, DEVLINK_ATTR_PORT_FUNCTION);
    mnl_attr_put(nlh, DEVLINK_PORT_FUNCTION_ATTR_HW_ADDR, sizeof ea.ea, ea.ea);
    mnl_attr_nest_end(nlh, fn);
    what = xasprintf("%s/%s/%u: port function hw_addr %s: devlink", bus, dev,
                     index, mac);
    error = nlsock_transact(sock, nlh, NULL, NULL, what, errp);
    free(what);
    return error;
}

static int
devlink_port_cb(const struct nlmsghdr *nlh, void *c_)
{
    struct devlink_collect *c = c_;
    struct devlink_port_info pi;
    struct devlink_port_info *ports;

    char *error = devlink_parse_port(nlh, &pi);

    /* One bad entry does not spoil the dump: it is skipped (or kept
     * without its netdev), counted and reported. */
    if (error || pi.warning) {
        VLOG_WARN_RL(&devlink_rl, "skipping a devlink port entry: %s",
                     error ? error : pi.warning);
        c->n_skipped += error != NULL;
        free(error);
        free(pi.warning);
        pi.warning = NULL;
        if (error) {
            return MNL_CB_OK;
        }
    }
    if (c->n >= c->allocated) {
        c->array = x2nrealloc(c->array, &c->allocated, sizeof pi);
    }
    ports = c->array;
    ports[c->n++] = pi;
    return MNL_CB_OK;
}

void
devlink_ports_free(struct devlink_port_info *ports, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(ports[i].bus);
        free(ports[i].dev);
        free(ports[i].port.netdev);
    }
    free(ports);
}

/* Lists the ports of all devlink devices (DEVLINK_CMD_PORT_GET dump; a 6.1
 * kernel does not filter port dumps by device). */
int
devlink_list_ports(struct nlsock *sock, uint16_t family,
                   struct devlink_port_info **portsp, size_t *np,
                   size_t *n_skippedp, char **errp)
{
    char buf[NLSOCK_REQSIZE];
    struct nlmsghdr *nlh = devlink_request(buf, family, DEVLINK_CMD_PORT_GET,
                                           NLM_F_DUMP, NULL, NULL);
    struct devlink_collect c = { .array = NULL };
    int error;

    error = nlsock_transact(sock, nlh, devlink_port_cb, &c,
                            "devlink: port dump", errp);
    if (error) {
        devlink_take_parse_error(errp, &c.error, "devlink: port dump");
        devlink_ports_free(c.array, c.n);
        *portsp = NULL;
        *np = 0;
        *n_skippedp = c.n_skipped;
        return error;
    }
    *portsp = c.array;
    *np = c.n;
    *n_skippedp = c.n_skipped;
    return 0;
}
