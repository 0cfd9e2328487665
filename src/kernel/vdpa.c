/*
 * vdpa: vDPA devices over the "vdpa" generic netlink family.  See vdpa.h.
 */
#include <config.h>

#include "vdpa.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <linux/genetlink.h>
#include <linux/vdpa.h>

#include "nlsock.h"
#include "openvswitch/shash.h"
#include "sysfs.h"
#include "util.h"
#include "validate.h"

/* A vDPA device name: one plain directory entry name (it names a directory
 * under /sys/bus/vdpa/devices), at most VDPA_NAME_MAX characters, of
 * letters, digits, '_', '-', '.' and ':'. */
char *
vdpa_check_name(const char *field, const char *name)
{
    size_t len = strlen(name);
    char *error;

    if (!len || len > VDPA_NAME_MAX) {
        return xasprintf("%s: \"%s\" is not valid: a vDPA device name has 1 "
                         "to %d characters", field, name, VDPA_NAME_MAX);
    }
    for (const char *p = name; *p; p++) {
        if (!isalnum((unsigned char) *p) && !strchr("_-.:", *p)) {
            return xasprintf("%s: \"%s\" is not valid: a vDPA device name "
                             "has only letters, digits, '_', '-', '.' and "
                             "':'", field, name);
        }
    }
    error = sysfs_check_component(name);
    if (error) {
        char *msg = xasprintf("%s: \"%s\" is not valid: %s", field, name,
                              error);
        free(error);
        return msg;
    }
    return NULL;
}

/* A management device: "BUS/NAME" ("pci/0000:03:00.2") or "NAME"
 * ("vdpasim_net"). */
char *
vdpa_check_mgmtdev(const char *field, const char *mgmtdev)
{
    const char *slash = strchr(mgmtdev, '/');
    char *error = NULL;

    if (slash) {
        char *bus = xmemdup0(mgmtdev, slash - mgmtdev);
        error = sysfs_check_bus(field, bus);
        free(bus);
        if (!error) {
            error = validate_dev_name(field, slash + 1);
        }
    } else {
        error = validate_dev_name(field, mgmtdev);
    }
    return error;
}

void
vdpa_clear(struct hw_vdpa *v)
{
    free(v->name);
    free(v->mgmtdev);
    free(v->vhost);
    memset(v, 0, sizeof *v);
}

/* The device name of a vdpa message, validated, or NULL with '*errorp'. */
static const char *
vdpa_msg_name(const struct nlattr *tb[], char **errorp)
{
    const char *name;

    *errorp = NULL;
    if (!tb[VDPA_ATTR_DEV_NAME]) {
        *errorp = xstrdup("vdpa: message without a device name");
        return NULL;
    }
    name = nlsock_attr_str(tb[VDPA_ATTR_DEV_NAME], VDPA_NAME_MAX);
    if (!name) {
        *errorp = xstrdup("vdpa: bad device name attribute");
        return NULL;
    }
    *errorp = vdpa_check_name("vdpa device name", name);
    return *errorp ? NULL : name;
}

char *
vdpa_parse_dev(const struct nlmsghdr *nlh, struct hw_vdpa *v)
{
    const struct nlattr *tb[VDPA_ATTR_MAX + 1];
    const char *name, *bus = NULL, *dev;
    char *error;

    memset(v, 0, sizeof *v);
    if (nlh->nlmsg_len < NLMSG_HDRLEN + sizeof(struct genlmsghdr)
        || nlsock_parse_attrs(nlh, sizeof(struct genlmsghdr), tb,
                              VDPA_ATTR_MAX)) {
        return xstrdup("vdpa: malformed device message");
    }
    name = vdpa_msg_name(tb, &error);
    if (!name) {
        return error;
    }
    if (tb[VDPA_ATTR_MGMTDEV_BUS_NAME]) {
        bus = nlsock_attr_str(tb[VDPA_ATTR_MGMTDEV_BUS_NAME], 32);
        if (!bus) {
            return xasprintf("vdpa: %s: bad management bus attribute", name);
        }
    }
    dev = (tb[VDPA_ATTR_MGMTDEV_DEV_NAME]
           ? nlsock_attr_str(tb[VDPA_ATTR_MGMTDEV_DEV_NAME], 64) : NULL);
    if (!dev) {
        return xasprintf("vdpa: %s: missing or bad management device "
                         "attribute", name);
    }
    error = (bus ? sysfs_check_bus("vdpa management bus", bus) : NULL);
    if (!error) {
        error = validate_dev_name("vdpa management device", dev);
    }
    if (error) {
        return error;
    }
    v->name = xstrdup(name);
    v->mgmtdev = bus ? xasprintf("%s/%s", bus, dev) : xstrdup(dev);
    return NULL;
}

char *
vdpa_parse_config(const struct nlmsghdr *nlh, struct hw_vdpa *v)
{
    const struct nlattr *tb[VDPA_ATTR_MAX + 1];
    const struct nlattr *a;
    const char *name;
    char *error;

    memset(v, 0, sizeof *v);
    if (nlh->nlmsg_len < NLMSG_HDRLEN + sizeof(struct genlmsghdr)
        || nlsock_parse_attrs(nlh, sizeof(struct genlmsghdr), tb,
                              VDPA_ATTR_MAX)) {
        return xstrdup("vdpa: malformed config message");
    }
    name = vdpa_msg_name(tb, &error);
    if (!name) {
        return error;
    }
    a = tb[VDPA_ATTR_DEV_NET_CFG_MACADDR];
    if (a) {
        const uint8_t *m = mnl_attr_get_payload(a);

        if (mnl_attr_get_payload_len(a) != 6) {
            return xasprintf("vdpa: %s: bad MAC address attribute", name);
        }
        snprintf(v->mac, sizeof v->mac, "%02x:%02x:%02x:%02x:%02x:%02x",
                 m[0], m[1], m[2], m[3], m[4], m[5]);
    }
    a = tb[VDPA_ATTR_DEV_NET_CFG_MAX_VQP];
    if (a) {
        uint16_t n;

        if (!nlsock_attr_u16(a, &n)) {
            memset(v->mac, 0, sizeof v->mac);
            return xasprintf("vdpa: %s: bad max_vqp attribute", name);
        }
        v->max_vqp = n;
    }
    v->name = xstrdup(name);
    return NULL;
}

struct vdpa_dump {
    struct shash *vdpas;
    size_t n_skipped;
    char *warning;
};

static void
vdpa_skip(struct vdpa_dump *d, char *error)
{
    d->n_skipped++;
    if (!d->warning) {
        d->warning = error;
    } else {
        free(error);
    }
}

static int
vdpa_dev_cb(const struct nlmsghdr *nlh, void *d_)
{
    struct vdpa_dump *d = d_;
    struct hw_vdpa v;
    char *error = vdpa_parse_dev(nlh, &v);

    if (error) {
        vdpa_skip(d, error);
    } else if (shash_find(d->vdpas, v.name)) {
        vdpa_skip(d, xasprintf("vdpa: device %s listed twice", v.name));
        vdpa_clear(&v);
    } else {
        shash_add(d->vdpas, v.name, xmemdup(&v, sizeof v));
    }
    return MNL_CB_OK;
}

static int
vdpa_config_cb(const struct nlmsghdr *nlh, void *d_)
{
    struct vdpa_dump *d = d_;
    struct hw_vdpa c;
    char *error = vdpa_parse_config(nlh, &c);

    if (error) {
        vdpa_skip(d, error);
    } else {
        struct hw_vdpa *v = shash_find_data(d->vdpas, c.name);

        /* A device created between the two dumps is in neither. */
        if (v) {
            memcpy(v->mac, c.mac, sizeof v->mac);
            v->max_vqp = c.max_vqp;
        }
        vdpa_clear(&c);
    }
    return MNL_CB_OK;
}

void
vdpa_list_clear(struct shash *vdpas)
{
    struct shash_node *node;

    SHASH_FOR_EACH (node, vdpas) {
        vdpa_clear(node->data);
        free(node->data);
    }
    shash_clear(vdpas);
}

int
vdpa_list(struct nlsock *sock, uint16_t family, struct shash *vdpas,
          size_t *n_skipped, char **warningp, char **errp)
{
    char buf[NLSOCK_REQSIZE];
    struct vdpa_dump d = { .vdpas = vdpas };
    struct nlmsghdr *nlh;
    int error;

    *n_skipped = 0;
    *warningp = NULL;
    nlh = nlsock_genl_start(buf, family, VDPA_CMD_DEV_GET, VDPA_GENL_VERSION,
                            NLM_F_DUMP);
    error = nlsock_transact(sock, nlh, vdpa_dev_cb, &d, "vdpa: device dump",
                            errp);
    if (!error && !shash_is_empty(vdpas)) {
        char *msg = NULL;

        nlh = nlsock_genl_start(buf, family, VDPA_CMD_DEV_CONFIG_GET,
                                VDPA_GENL_VERSION, NLM_F_DUMP);
        if (nlsock_transact(sock, nlh, vdpa_config_cb, &d,
                            "vdpa: config dump", &msg)) {
            /* The devices are known; their MACs and max_vqp are not. */
            vdpa_skip(&d, msg);
        }
    }
    if (error) {
        vdpa_list_clear(vdpas);
        free(d.warning);
        return error;
    }
    *n_skipped = d.n_skipped;
    *warningp = d.warning;
    return 0;
}

static bool
vdpa_parse_mac(const char *s, uint8_t mac[6])
{
    unsigned int b[6];
    char end;

    if (sscanf(s, "%2x:%2x:%2x:%2x:%2x:%2x%c", &b[0], &b[1], &b[2], &b[3],
               &b[4], &b[5], &end) != 6 || strlen(s) != 17) {
        return false;
    }
    for (int i = 0; i < 6; i++) {
        mac[i] = b[i];
    }
    return true;
}

int
vdpa_dev_new(struct nlsock *sock, uint16_t family, const char *name,
             const char *mgmtdev, const char *mac, unsigned int max_vqp,
             char **errp)
{
    char buf[NLSOCK_REQSIZE];
    struct nlmsghdr *nlh;
    uint8_t mac_bytes[6];
    char *error, *what;
    int retval;

    error = vdpa_check_name("vdpa device name", name);
    if (!error) {
        error = vdpa_check_mgmtdev("vdpa management device", mgmtdev);
    }
    if (!error && mac && !vdpa_parse_mac(mac, mac_bytes)) {
        error = xasprintf("vdpa device %s: \"%s\" is not a MAC address",
                          name, mac);
    }
    if (!error && max_vqp > UINT16_MAX) {
        error = xasprintf("vdpa device %s: max_vqp %u is out of range",
                          name, max_vqp);
    }
    if (error) {
        *errp = error;
        return EINVAL;
    }

    nlh = nlsock_genl_start(buf, family, VDPA_CMD_DEV_NEW, VDPA_GENL_VERSION,
                            0);
    const char *slash = strchr(mgmtdev, '/');
    if (slash) {
        char *bus = xmemdup0(mgmtdev, slash - mgmtdev);
        mnl_attr_put_strz(nlh, VDPA_ATTR_MGMTDEV_BUS_NAME, bus);
        mnl_attr_put_strz(nlh, VDPA_ATTR_MGMTDEV_DEV_NAME, slash + 1);
        free(bus);
    } else {
        mnl_attr_put_strz(nlh, VDPA_ATTR_MGMTDEV_DEV_NAME, mgmtdev);
    }
    mnl_attr_put_strz(nlh, VDPA_ATTR_DEV_NAME, name);
    if (mac) {
        mnl_attr_put(nlh, VDPA_ATTR_DEV_NET_CFG_MACADDR, sizeof mac_bytes,
                     mac_bytes);
    }
    if (max_vqp) {
        mnl_attr_put_u16(nlh, VDPA_ATTR_DEV_NET_CFG_MAX_VQP, max_vqp);
    }
    what = xasprintf("vdpa: dev add %s mgmtdev %s", name, mgmtdev);
    retval = nlsock_transact(sock, nlh, NULL, NULL, what, errp);
    free(what);
    return retval;
}

int
vdpa_dev_del(struct nlsock *sock, uint16_t family, const char *name,
             char **errp)
{
    char buf[NLSOCK_REQSIZE];
    struct nlmsghdr *nlh;
    char *error, *what;
    int retval;

    error = vdpa_check_name("vdpa device name", name);
    if (error) {
        *errp = error;
        return EINVAL;
    }
    nlh = nlsock_genl_start(buf, family, VDPA_CMD_DEV_DEL, VDPA_GENL_VERSION,
                            0);
    mnl_attr_put_strz(nlh, VDPA_ATTR_DEV_NAME, name);
    what = xasprintf("vdpa: dev del %s", name);
    retval = nlsock_transact(sock, nlh, NULL, NULL, what, errp);
    free(what);
    return retval;
}
