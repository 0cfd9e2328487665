/*
 * hw-linux: the Linux back end of the hardware interface (see hw.h).
 *
 * It talks to the kernel only through netlink (rtnl.c for links,
 * devlink.c for devices, ports and the eswitch, ethtool-nl.c for channels
 * and features, all over nlsock.c) and through sysfs and debugfs files
 * (sysfs.c: SR-IOV VF counts, the mlx5 LAG state, a link's parent device).
 * It never runs ip, devlink or ethtool.
 *
 * The model (issue 10).  The links, the devlink devices and the devlink
 * ports are kept as the kernel's notifications leave them: one full dump
 * at start, then updates from RTNLGRP_LINK (rtnetlink) and from the devlink
 * "config" group (devices, ports); a full dump again only when the kernel
 * dropped notifications (ENOBUFS) or a dump failed.  What each link needs
 * besides its rtnetlink message (its parent device in sysfs, its ethtool
 * channels and hw-tc-offload, whether udev has finished with it) is read
 * when the link appears or is renamed, and again when ethtool's "monitor"
 * group says its settings changed.  A devlink port's netdev is found by
 * ifindex in the link model, so that a rename (for which 6.1 sends no
 * devlink notification) is followed.  Any applied notification makes
 * hw_run() return true.  An observation then costs, in netlink requests,
 * one eswitch get per devlink device (the eswitch mode has no
 * notification), plus what the new or renamed links need, plus (issue 13,
 * where the kernel has the "vdpa" family, which has no notifications) one
 * vDPA device dump, and one vDPA config dump when a device exists.
 *
 * Some facts have no notification at all: sysfs sriov_numvfs, the mlx5
 * debugfs LAG state (which turns "active" some time after a bond forms)
 * and the eswitch mode.  They are read at every observation, per devlink
 * device; while a step waits on them, the daemon observes on a deadline
 * (WAIT_REOBSERVE_MS); the back end's own changes make it observe at
 * once.  There is no periodic
 * re-observation: an idle daemon does not wake up.
 */
#include <config.h>

#include <errno.h>
#include <net/if.h>
#include <poll.h>
#include <string.h>
#include <linux/devlink.h>
#include <linux/ethtool_netlink.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/vdpa.h>
#include <stdlib.h>
#include <sys/socket.h>

#include "devlink.h"
#include "ethtool-nl.h"
#include "hash.h"
#include "hw.h"
#include "openvswitch/hmap.h"
#include "nlsock.h"
#include "ovsdp.h"
#include "openvswitch/poll-loop.h"
#include "openvswitch/vlog.h"
#include "rtnl.h"
#include "rtnl-vf.h"
#include "sysfs-vf.h"
#include "coverage.h"
#include "openvswitch/dynamic-string.h"
#include "sysfs.h"
#include "timeval.h"
#include "util.h"
#include "validate.h"
#include "vdpa.h"

VLOG_DEFINE_THIS_MODULE(hw_linux);

COVERAGE_DEFINE(hw_linux_link_ntf);
COVERAGE_DEFINE(hw_linux_link_dump);
COVERAGE_DEFINE(hw_linux_link_read);

/* Model (issue 10): where udev does not run, how long a link named by the
 * kernel ("eth<N>") settles before it counts; where udev runs, how often
 * its database is looked at again while a link waits for it (udev writes
 * its database without a netlink notification when it does not rename). */
#define HW_LINUX_SETTLE_MS 1000
#define HW_LINUX_UDEV_RECHECK_MS 100

/* Model (issue 10): how soon a failed devlink dump is tried again. */
#define HW_LINUX_DUMP_RETRY_MS 1000

/* Model (issue 10): when a link waiting to settle was first seen. */
struct hw_linux_seen {
    struct hmap_node node;
    int ifindex;
    long long int since;
};

/* Model (issue 10): one link as its latest RTM_NEWLINK described it, with
 * the facts read for it under its current name. */
struct hw_linux_link {
    struct hmap_node node;      /* In hw_linux.links, by ifindex. */
    struct rtnl_link rl;
    bool stale;                 /* Not (yet) in the dump being loaded. */
    bool read;                  /* The facts below are valid. */
    char *bus, *dev, *driver;   /* Parent device (sysfs), or NULLs. */
    bool has_channels;
    struct hw_channels channels;
    bool hw_tc_offload;
    bool settled;               /* Sticky until the link is renamed. */
    long long int appeared;     /* When the model got it, or its name. */
};

/* Model (issue 10): a devlink device, with its devlink info read once. */
struct hw_linux_dev {
    char *bus, *name;
    bool stale;
    bool info_read;
    char *driver, *fw_version;
};

/* Model (issue 10): a devlink port, keyed "bus/dev/index". */
struct hw_linux_port {
    struct devlink_port_info pi;
    bool stale;
};

struct hw_linux {
    struct hw up;
    char *sysfs_root;
    char *debugfs_root;
    char *udev_root;
    struct hmap seen;           /* Model (issue 10): struct hw_linux_seen,
                                 * links waiting to settle, by ifindex. */
    long long int next_settle;  /* Observe again then, LLONG_MAX: never. */
    struct nlsock *rtnl;        /* rtnetlink requests. */
    struct nlsock *genl;        /* devlink and ethtool requests. */
    struct nlsock *monitor;     /* RTNLGRP_LINK notifications. */
    uint16_t devlink_family;    /* 0 if the kernel has no devlink. */
    uint16_t ethtool_family;    /* 0 if the kernel has no ethtool netlink. */
    uint16_t vdpa_family;       /* Issue 13: 0 if the kernel has no vdpa
                                 * family (Linux 6.1 of Debian 12). */
    bool changed;

    /* Model (issue 10). */
    struct nlsock *genl_monitor;    /* devlink "config", ethtool "monitor";
                                     * NULL if neither can be joined. */
    bool devlink_events;        /* Joined devlink's "config" group. */
    bool ethtool_events;        /* Joined ethtool's "monitor" group. */
    struct hmap links;          /* struct hw_linux_link, by ifindex. */
    struct shash devs;          /* "bus/name" -> struct hw_linux_dev. */
    struct shash ports;         /* "bus/dev/index" -> hw_linux_port. */
    bool need_link_dump;        /* The link model is not trustworthy. */
    bool need_devlink_dump;     /* The device/port model is not. */
};

static void hw_linux_model_init(struct hw_linux *);
static void hw_linux_model_destroy(struct hw_linux *);
static void hw_linux_model_open(struct hw_linux *);
static bool hw_linux_model_sync(struct hw_linux *);
static void hw_linux_model_forget(struct hw_linux *, const char *ifname);

static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 20);

static struct hw_linux *
hw_linux_cast(const struct hw *hw)
{
    return CONTAINER_OF(hw, struct hw_linux, up);
}

static void
hw_linux_close(struct hw *hw)
{
    struct hw_linux *hl = hw_linux_cast(hw);

    nlsock_close(hl->rtnl);
    nlsock_close(hl->genl);
    nlsock_close(hl->monitor);
    hw_linux_model_destroy(hl);
    free(hl->sysfs_root);
    free(hl->debugfs_root);
    free(hl->udev_root);
    struct hw_linux_seen *seen;
    HMAP_FOR_EACH_POP (seen, node, &hl->seen) {
        free(seen);
    }
    hmap_destroy(&hl->seen);
    free(hl);
}

/* Resolves generic netlink family 'name'; a kernel without it gives 0. */
static int
hw_linux_family(struct hw_linux *hl, const char *name, uint16_t *idp,
                char **errp)
{
    int error = nlsock_genl_family(hl->genl, name, idp, errp);

    if (error == ENOENT) {
        VLOG_INFO("the kernel has no \"%s\" generic netlink family", name);
        free(*errp);
        *errp = NULL;
        *idp = 0;
        return 0;
    }
    return error;
}

static int
hw_linux_open(const char *args, const struct hw_options *options,
              struct hw **hwp, char **errp)
{
    const char *sysfs_root = (options && options->sysfs_root
                              ? options->sysfs_root : "/sys");
    const char *debugfs_root = (options && options->debugfs_root
                                ? options->debugfs_root
                                : "/sys/kernel/debug");
    struct hw_linux *hl;
    char *msg;
    int error;

    *hwp = NULL;
    if (args && args[0]) {
        *errp = xasprintf("--hw=linux takes no arguments (got \"%s\")",
                          args);
        return EINVAL;
    }
    msg = sysfs_check_root("sysfs root", sysfs_root);
    if (!msg) {
        msg = sysfs_check_root("debugfs root", debugfs_root);
    }
    if (!msg && options && options->udev_root) {
        msg = sysfs_check_root("udev root", options->udev_root);
    }
    if (msg) {
        *errp = msg;
        return EINVAL;
    }

    hl = xzalloc(sizeof *hl);
    hl->sysfs_root = xstrdup(sysfs_root);
    hl->debugfs_root = xstrdup(debugfs_root);
    hl->udev_root = xstrdup(options && options->udev_root
                            ? options->udev_root : "/run/udev");
    hmap_init(&hl->seen);
    hl->next_settle = LLONG_MAX;
    hl->changed = true;
    hw_linux_model_init(hl);

    error = nlsock_open(NETLINK_ROUTE, 0, false, &hl->rtnl, errp);
    if (!error) {
        error = nlsock_open(NETLINK_GENERIC, 0, false, &hl->genl, errp);
    }
    if (!error) {
        error = nlsock_open(NETLINK_ROUTE, RTMGRP_LINK, true, &hl->monitor,
                            errp);
    }
    if (!error) {
        error = hw_linux_family(hl, "devlink", &hl->devlink_family, errp);
    }
    if (!error) {
        error = hw_linux_family(hl, "ethtool", &hl->ethtool_family, errp);
    }
    if (!error) {
        error = hw_linux_family(hl, VDPA_GENL_NAME, &hl->vdpa_family, errp);
    }
    if (error) {
        hw_linux_close(&hl->up);
        return error;
    }
    hw_linux_model_open(hl);
    *hwp = &hl->up;
    return 0;
}

static bool
hw_linux_run(struct hw *hw)
{
    struct hw_linux *hl = hw_linux_cast(hw);
    long long int now = time_msec();
    bool changed;

    if (hw_linux_model_sync(hl)) {
        hl->changed = true;
    }
    if (now >= hl->next_settle) {
        hl->changed = true;
        hl->next_settle = LLONG_MAX;
    }
    changed = hl->changed;
    hl->changed = false;
    return changed;
}

static void
hw_linux_wait(struct hw *hw)
{
    struct hw_linux *hl = hw_linux_cast(hw);

    poll_fd_wait(nlsock_fd(hl->monitor), POLLIN);
    if (hl->genl_monitor) {
        poll_fd_wait(nlsock_fd(hl->genl_monitor), POLLIN);
    }
    poll_timer_wait_until(hl->next_settle);
    if (hl->changed) {
        poll_immediate_wake();
    }
}

/* Observation. */

/* Model (issue 10): the model's link of 'ifindex', or NULL. */
static struct hw_linux_link *
hw_linux_find_link(const struct hw_linux *hl, int ifindex)
{
    struct hw_linux_link *l;

    HMAP_FOR_EACH_WITH_HASH (l, node, hash_int(ifindex, 0), &hl->links) {
        if (l->rl.ifindex == ifindex) {
            return l;
        }
    }
    return NULL;
}

static void
hw_linux_link_unread(struct hw_linux_link *l)
{
    free(l->bus);
    free(l->dev);
    free(l->driver);
    l->bus = l->dev = l->driver = NULL;
    l->has_channels = false;
    l->hw_tc_offload = false;
    l->read = false;
}

static void
hw_linux_link_free(struct hw_linux_link *l)
{
    hw_linux_link_unread(l);
    rtnl_link_destroy(&l->rl);
    free(l);
}

/* Model (issue 10): takes 'link' (a parsed RTM_NEWLINK, now owned by the
 * model) into the model.  A new or renamed link has its facts read again
 * and settles again. */
static void
hw_linux_model_put_link(struct hw_linux *hl, struct rtnl_link *link)
{
    struct hw_linux_link *l = hw_linux_find_link(hl, link->ifindex);

    if (!l) {
        l = xzalloc(sizeof *l);
        hmap_insert(&hl->links, &l->node, hash_int(link->ifindex, 0));
        l->appeared = time_msec();
    } else {
        if (strcmp(l->rl.name, link->name)) {
            hw_linux_link_unread(l);
            l->settled = false;
            l->appeared = time_msec();
        }
        rtnl_link_destroy(&l->rl);
    }
    l->rl = *link;
    l->stale = false;
    memset(link, 0, sizeof *link);
}

static void
hw_linux_model_del_link(struct hw_linux *hl, int ifindex)
{
    struct hw_linux_link *l = hw_linux_find_link(hl, ifindex);

    if (l) {
        hmap_remove(&hl->links, &l->node);
        hw_linux_link_free(l);
    }
}

/* Model (issue 10): the facts of link 'l' that its rtnetlink message does
 * not carry: its parent device and, if it has one, its ethtool channels
 * and hw-tc-offload. */
static void
hw_linux_read_link(struct hw_linux *hl, struct hw_linux_link *l)
{
    char *error = NULL;
    int retval;

    COVERAGE_INC(hw_linux_link_read);
    hw_linux_link_unread(l);
    l->read = true;
    if (sysfs_get_link_device(hl->sysfs_root, l->rl.name, &l->bus, &l->dev,
                              &l->driver, &error)) {
        VLOG_WARN_RL(&rl, "%s", error);
        free(error);
        error = NULL;
    }
    if (!l->bus) {
        return;
    }
    retval = ethtool_nl_get_channels(hl->genl, hl->ethtool_family,
                                     l->rl.name, &l->channels, &error);
    if (!retval) {
        l->has_channels = true;
    } else if (retval != EOPNOTSUPP) {
        VLOG_DBG_RL(&rl, "%s", error);
    }
    free(error);
    error = NULL;

    if (ethtool_nl_get_feature(hl->genl, hl->ethtool_family, l->rl.name,
                               "hw-tc-offload", &l->hw_tc_offload, &error)) {
        VLOG_DBG_RL(&rl, "%s", error);
    }
    free(error);
}

/* Model (issue 10): decides whether udev has finished with 'link' (the
 * rule is sysfs_link_settle()'s), and when to look again if not.  Only
 * links with a phys_port_name (representors, uplinks) are checked: the
 * others are never brought up or added by the controller as representors.
 * 'seen' receives the links still waiting.  Without udev, the deadline
 * runs from 'appeared', when the model learned of the link under its name
 * (its notification, which may come well before the observation that
 * first looks at it: the daemon observes between its rounds). */
static void
hw_linux_settle(struct hw_linux *hl, struct hw_link *link, struct hmap *seen,
                long long int appeared, long long int now)
{
    enum sysfs_settle settle;
    struct hw_linux_seen *s;
    uint32_t hash = hash_int(link->ifindex, 0);

    link->settled = true;
    if (!link->phys_port_name) {
        return;
    }
    settle = sysfs_link_settle(hl->sysfs_root, hl->udev_root, link->name,
                               link->ifindex);
    if (settle == SYSFS_SETTLED) {
        return;
    }
    HMAP_FOR_EACH_WITH_HASH (s, node, hash, &hl->seen) {
        if (s->ifindex == link->ifindex) {
            break;
        }
    }
    if (s) {
        hmap_remove(&hl->seen, &s->node);
    } else {
        s = xmalloc(sizeof *s);
        s->ifindex = link->ifindex;
        s->since = appeared ? MIN(appeared, now) : now;
    }
    if (settle == SYSFS_WAIT_ENUM && now >= s->since + HW_LINUX_SETTLE_MS) {
        /* Settled by the deadline.  Keep the entry, so that the next
         * observation does not see the link as new and start over. */
        hmap_insert(seen, &s->node, hash);
        return;
    }
    link->settled = false;
    hmap_insert(seen, &s->node, hash);
    hl->next_settle = MIN(hl->next_settle,
                          (settle == SYSFS_WAIT_ENUM
                           ? s->since + HW_LINUX_SETTLE_MS
                           : now + HW_LINUX_UDEV_RECHECK_MS));
}

/* Model (issue 10): loads the whole link model from a link dump. */
static int
hw_linux_load_links(struct hw_linux *hl, char **errp)
{
    struct hw_linux_link *l;
    struct rtnl_link *links;
    size_t n;
    int error;

    COVERAGE_INC(hw_linux_link_dump);
    error = rtnl_dump_links(hl->rtnl, &links, &n, errp);
    if (error == EAGAIN) {
        /* The dump raced with a change; one more try. */
        free(*errp);
        *errp = NULL;
        error = rtnl_dump_links(hl->rtnl, &links, &n, errp);
    }
    if (error) {
        return error;
    }
    HMAP_FOR_EACH (l, node, &hl->links) {
        l->stale = true;
    }
    for (size_t i = 0; i < n; i++) {
        hw_linux_model_put_link(hl, &links[i]);
    }
    HMAP_FOR_EACH_SAFE (l, node, &hl->links) {
        if (l->stale) {
            hmap_remove(&hl->links, &l->node);
            hw_linux_link_free(l);
        }
    }
    rtnl_links_free(links, n);
    hl->need_link_dump = false;
    return 0;
}

/* Copies model link 'l' into the snapshot's 'link'. */
static void
hw_linux_fill_link(struct hw_linux *hl, const struct hw_linux_link *l,
                   struct hw_link *link)
{
    const struct rtnl_link *rl_ = &l->rl;

    link->ifindex = rl_->ifindex;
    free(link->kind);
    link->kind = xstrdup(rl_->kind);
    if (rl_->master) {
        const struct hw_linux_link *m = hw_linux_find_link(hl, rl_->master);

        link->master = m ? xstrdup(m->rl.name) : NULL;
    }
    link->mtu = rl_->mtu;
    link->admin_up = (rl_->flags & IFF_UP) != 0;
    link->oper_up = rtnl_link_oper_up(rl_);
    link->phys_port_name = nullable_xstrdup(rl_->phys_port_name);
    link->phys_switch_id = nullable_xstrdup(rl_->phys_switch_id);
    link->ctrl.bond_mode = nullable_xstrdup(
        rtnl_bond_mode_to_string(rl_->bond_mode));
    link->bus = nullable_xstrdup(l->bus);
    link->dev = nullable_xstrdup(l->dev);
    link->driver = nullable_xstrdup(l->driver);
    link->has_channels = l->has_channels;
    link->channels = l->channels;
    link->hw_tc_offload = l->hw_tc_offload;
}

static int
hw_linux_observe_links(struct hw_linux *hl, struct hw_snapshot *snap,
                       char **errp)
{
    if (hl->need_link_dump) {
        int error = hw_linux_load_links(hl, errp);

        if (error) {
            return error;
        }
        snap->full_dump = true;
        /* What changed during the dump is queued: apply it on top. */
        hw_linux_model_sync(hl);
    }

    struct hmap seen = HMAP_INITIALIZER(&seen);
    long long int now = time_msec();
    struct hw_linux_seen *s;
    struct hw_linux_link *l;

    hl->next_settle = LLONG_MAX;
    HMAP_FOR_EACH (l, node, &hl->links) {
        struct hw_link *link = hw_snapshot_add_link(snap, l->rl.name);

        if (!l->read) {
            hw_linux_read_link(hl, l);
        }
        hw_linux_fill_link(hl, l, link);
        if (l->settled) {
            link->settled = true;
        } else {
            hw_linux_settle(hl, link, &seen, l->appeared, now);
            l->settled = link->settled;
        }
    }
    /* Forget the links that went away or settled; keep those still
     * waiting. */
    HMAP_FOR_EACH_POP (s, node, &hl->seen) {
        free(s);
    }
    hmap_swap(&hl->seen, &seen);
    hmap_destroy(&seen);
    return 0;
}

/* Model (issue 10): devices and ports. */

static char *
hw_linux_port_key(const struct devlink_port_info *pi)
{
    return xasprintf("%s/%s/%u", pi->bus, pi->dev, pi->port.index);
}

static void
hw_linux_port_free(struct hw_linux_port *p)
{
    free(p->pi.bus);
    free(p->pi.dev);
    free(p->pi.port.netdev);
    free(p->pi.warning);
    free(p);
}

static void
hw_linux_dev_free(struct hw_linux_dev *d)
{
    free(d->bus);
    free(d->name);
    free(d->driver);
    free(d->fw_version);
    free(d);
}

/* Takes device 'bus'/'name' into the model (no-op if it is there). */
static void
hw_linux_model_put_dev(struct hw_linux *hl, const char *bus, const char *name)
{
    char *key = xasprintf("%s/%s", bus, name);
    struct hw_linux_dev *d = shash_find_data(&hl->devs, key);

    if (!d) {
        d = xzalloc(sizeof *d);
        d->bus = xstrdup(bus);
        d->name = xstrdup(name);
        shash_add_nocopy(&hl->devs, key, d);
    } else {
        free(key);
    }
    d->stale = false;
}

/* Removes device 'bus'/'name' and its ports from the model. */
static void
hw_linux_model_del_dev(struct hw_linux *hl, const char *bus, const char *name)
{
    char *key = xasprintf("%s/%s", bus, name);
    struct hw_linux_dev *d = shash_find_and_delete(&hl->devs, key);
    struct shash_node *node;

    if (d) {
        hw_linux_dev_free(d);
    }
    SHASH_FOR_EACH_SAFE (node, &hl->ports) {
        struct hw_linux_port *p = node->data;

        if (!strcmp(p->pi.bus, bus) && !strcmp(p->pi.dev, name)) {
            hw_linux_port_free(p);
            shash_delete(&hl->ports, node);
        }
    }
    free(key);
}

/* Takes port 'pi' (now owned by the model) into the model. */
static void
hw_linux_model_put_port(struct hw_linux *hl, struct devlink_port_info *pi)
{
    char *key = hw_linux_port_key(pi);
    struct hw_linux_port *p = xzalloc(sizeof *p);
    struct hw_linux_port *old;

    p->pi = *pi;
    memset(pi, 0, sizeof *pi);
    old = shash_replace_nocopy(&hl->ports, key, p);
    if (old) {
        hw_linux_port_free(old);
    }
}

static void
hw_linux_model_del_port(struct hw_linux *hl,
                        const struct devlink_port_info *pi)
{
    char *key = hw_linux_port_key(pi);
    struct hw_linux_port *p = shash_find_and_delete(&hl->ports, key);

    if (p) {
        hw_linux_port_free(p);
    }
    free(key);
}

/* Loads the whole device and port model from devlink dumps.  A failed
 * port dump leaves the devices without ports and the snapshot incomplete
 * (a model without them must not be acted on as if no representor
 * existed); the dump is tried again at the next observation. */
static int
hw_linux_load_devlink(struct hw_linux *hl, struct hw_snapshot *snap,
                      char **errp)
{
    struct devlink_port_info *ports;
    struct devlink_dev_id *ids;
    size_t n_ids, n_ports, n_skipped;
    struct shash_node *node;
    char *msg = NULL;
    int error;

    error = devlink_list_devices(hl->genl, hl->devlink_family, &ids, &n_ids,
                                 errp);
    if (error) {
        return error;
    }
    SHASH_FOR_EACH (node, &hl->devs) {
        struct hw_linux_dev *d = node->data;
        d->stale = true;
    }
    for (size_t i = 0; i < n_ids; i++) {
        hw_linux_model_put_dev(hl, ids[i].bus, ids[i].name);
    }
    devlink_dev_ids_free(ids, n_ids);
    SHASH_FOR_EACH_SAFE (node, &hl->devs) {
        struct hw_linux_dev *d = node->data;

        if (d->stale) {
            hw_linux_dev_free(d);
            shash_delete(&hl->devs, node);
        }
    }

    SHASH_FOR_EACH (node, &hl->ports) {
        hw_linux_port_free(node->data);
    }
    shash_clear(&hl->ports);
    if (devlink_list_ports(hl->genl, hl->devlink_family, &ports, &n_ports,
                           &n_skipped, &msg)) {
        VLOG_WARN_RL(&rl, "%s", msg);
        hw_snapshot_set_incomplete(snap, "%s", msg);
        free(msg);
        hl->next_settle = MIN(hl->next_settle,
                              time_msec() + HW_LINUX_DUMP_RETRY_MS);
        return 0;
    }
    for (size_t i = 0; i < n_ports; i++) {
        hw_linux_model_put_port(hl, &ports[i]);
    }
    devlink_ports_free(ports, n_ports);
    hl->need_devlink_dump = false;
    return 0;
}

/* Issue 11 (ctrl): what the VF-LAG order and teardown need to know about
 * a PCI PF: sriov_drivers_autoprobe, and each VF function's driver. */
static void
hw_linux_observe_sriov_ctrl(struct hw_linux *hl, struct hw_device *dev)
{
    char *error = NULL;

    if (strcmp(dev->bus, "pci")) {
        return;
    }
    if (sysfs_get_autoprobe(hl->sysfs_root, dev->bus, dev->name,
                            &dev->ctrl.autoprobe, &error)) {
        VLOG_WARN_RL(&rl, "%s", error);
        free(error);
        error = NULL;
    }
    if (dev->num_vfs > 0
        && sysfs_get_pci_vfs(hl->sysfs_root, dev->name, dev->num_vfs,
                             &dev->ctrl.vfs, &dev->ctrl.n_vfs, &error)) {
        VLOG_WARN_RL(&rl, "%s", error);
        free(error);
    }
}

static void
hw_linux_observe_device(struct hw_linux *hl, struct hw_snapshot *snap,
                        struct hw_linux_dev *d, struct hw_device *dev)
{
    char *error = NULL;
    int retval;

    /* Model (issue 10): the driver and the running firmware are read once
     * per device (a firmware query on mlx5); a reload re-creates the
     * devlink instance, which the model sees as a new device. */
    if (!d->info_read) {
        if (devlink_get_info(hl->genl, hl->devlink_family, dev->bus,
                             dev->name, &d->driver, &d->fw_version,
                             &error)) {
            VLOG_DBG_RL(&rl, "%s", error);
            free(error);
            error = NULL;
        } else {
            d->info_read = true;
        }
    }
    dev->driver = nullable_xstrdup(d->driver);
    dev->fw_version = nullable_xstrdup(d->fw_version);

    retval = devlink_get_eswitch_mode(hl->genl, hl->devlink_family, dev->bus,
                                      dev->name, &dev->eswitch_mode, &error);
    if (retval && retval != EOPNOTSUPP) {
        VLOG_WARN_RL(&rl, "%s", error);
        hw_snapshot_set_incomplete(snap, "%s", error);
    }
    free(error);
    error = NULL;

    if (sysfs_get_vfs(hl->sysfs_root, hl->debugfs_root, dev->bus, dev->name,
                      &dev->total_vfs, &dev->num_vfs, &error)) {
        VLOG_WARN_RL(&rl, "%s", error);
        hw_snapshot_set_incomplete(snap, "%s", error);
        free(error);
        error = NULL;
    }

    if (sysfs_get_lag_state(hl->debugfs_root, dev->name, &dev->lag_state,
                            &error)) {
        VLOG_WARN_RL(&rl, "%s", error);
        free(error);
    }
    hw_linux_observe_sriov_ctrl(hl, dev);
}

static int
hw_linux_port_cmp(const void *a_, const void *b_)
{
    const struct hw_port *a = a_, *b = b_;

    return a->index < b->index ? -1 : a->index > b->index;
}

/* Each device's ports in index order, as a dump gives them. */
static void
hw_linux_sort_ports(struct hw_snapshot *snap)
{
    struct shash_node *node;

    SHASH_FOR_EACH (node, &snap->devices) {
        struct hw_device *dev = node->data;

        if (dev->n_ports > 1) {
            qsort(dev->ports, dev->n_ports, sizeof *dev->ports,
                  hw_linux_port_cmp);
        }
    }
}

static int
hw_linux_observe_devices(struct hw_linux *hl, struct hw_snapshot *snap,
                         char **errp)
{
    struct shash_node *node;

    if (!hl->devlink_family) {
        return 0;
    }
    if (hl->need_devlink_dump) {
        int error = hw_linux_load_devlink(hl, snap, errp);

        if (error) {
            return error;
        }
        snap->full_dump = true;
        hw_linux_model_sync(hl);
    }
    SHASH_FOR_EACH (node, &hl->devs) {
        struct hw_linux_dev *d = node->data;

        hw_linux_observe_device(hl, snap, d,
                                hw_snapshot_add_device(snap, d->bus,
                                                       d->name));
    }
    if (hl->need_devlink_dump) {
        /* The port dump failed: devices without ports, incomplete. */
        return 0;
    }

    const struct shash_node **ports = shash_sort(&hl->ports);
    size_t n_ports = shash_count(&hl->ports);

    for (size_t i = 0; i < n_ports; i++) {
        const struct hw_linux_port *p = ports[i]->data;
        const struct hw_linux_link *l;
        struct hw_device *dev;
        char *key = xasprintf("%s/%s", p->pi.bus, p->pi.dev);

        dev = shash_find_data(&snap->devices, key);
        free(key);
        if (!dev) {
            continue;
        }
        dev->ports = xrealloc(dev->ports,
                              (dev->n_ports + 1) * sizeof *dev->ports);
        dev->ports[dev->n_ports] = p->pi.port;
        /* The netdev by ifindex, under its current name; devlink's name
         * only if the link model does not have it. */
        l = (p->pi.netdev_ifindex
             ? hw_linux_find_link(hl, p->pi.netdev_ifindex) : NULL);
        dev->ports[dev->n_ports].netdev = (l ? xstrdup(l->rl.name)
                                           : nullable_xstrdup(
                                               p->pi.port.netdev));
        dev->n_ports++;
    }
    free(ports);
    hw_linux_sort_ports(snap);
    return 0;
}

/* Issue 13 (vdpa): the vDPA devices (the family has no notifications:
 * one dump, plus one of their configuration when there is a device) and
 * their vhost_vdpa character devices (sysfs).  A kernel without the family
 * has no vDPA device; a failed dump makes the snapshot incomplete, so that
 * no device is deleted or forgotten because of it. */
static void
hw_linux_observe_vdpas(struct hw_linux *hl, struct hw_snapshot *snap)
{
    struct shash_node *node;
    char *warning = NULL;
    char *error = NULL;
    size_t n_skipped;

    if (!hl->vdpa_family) {
        return;
    }
    if (vdpa_list(hl->genl, hl->vdpa_family, &snap->vdpas, &n_skipped,
                  &warning, &error)) {
        VLOG_WARN_RL(&rl, "%s", error);
        hw_snapshot_set_incomplete(snap, "%s", error);
        free(error);
        return;
    }
    if (warning) {
        VLOG_WARN_RL(&rl, "%"PRIuSIZE" vdpa entries skipped: %s", n_skipped,
                     warning);
        free(warning);
    }
    SHASH_FOR_EACH (node, &snap->vdpas) {
        struct hw_vdpa *v = node->data;

        if (sysfs_get_vdpa_vhost(hl->sysfs_root, v->name, &v->vhost,
                                 &error)) {
            VLOG_WARN_RL(&rl, "%s", error);
            free(error);
            error = NULL;
        }
    }
}

static int
hw_linux_observe(struct hw *hw, struct hw_snapshot *snap, char **errp)
{
    struct hw_linux *hl = hw_linux_cast(hw);
    unsigned long long int before = (nlsock_n_requests(hl->rtnl)
                                     + nlsock_n_requests(hl->genl));
    int error;

    /* Notifications not yet read by hw_run() (an operation of our own
     * just now) go into the model first. */
    hw_linux_model_sync(hl);
    error = hw_linux_observe_links(hl, snap, errp);
    if (!error) {
        error = hw_linux_observe_devices(hl, snap, errp);
    }
    if (!error) {
        rtnl_observe_vfs(hl->rtnl, snap);   /* Issue 13. */
        hw_linux_observe_vdpas(hl, snap);   /* Issue 13 (vdpa). */
    }
    snap->n_requests = (nlsock_n_requests(hl->rtnl)
                        + nlsock_n_requests(hl->genl) - before);
    VLOG_DBG("observation: %u netlink requests (%s), %"PRIuSIZE" links, "
             "%"PRIuSIZE" devlink ports", snap->n_requests,
             snap->full_dump ? "full dump" : "from the model",
             hmap_count(&hl->links), shash_count(&hl->ports));
    return error;
}

/* Model (issue 10): notifications. */

static void
hw_linux_model_init(struct hw_linux *hl)
{
    hmap_init(&hl->links);
    shash_init(&hl->devs);
    shash_init(&hl->ports);
    hl->need_link_dump = true;
    hl->need_devlink_dump = true;
}

static void
hw_linux_model_destroy(struct hw_linux *hl)
{
    struct hw_linux_link *l;
    struct shash_node *node;

    nlsock_close(hl->genl_monitor);
    HMAP_FOR_EACH_POP (l, node, &hl->links) {
        hw_linux_link_free(l);
    }
    hmap_destroy(&hl->links);
    SHASH_FOR_EACH (node, &hl->devs) {
        hw_linux_dev_free(node->data);
    }
    shash_destroy(&hl->devs);
    SHASH_FOR_EACH (node, &hl->ports) {
        hw_linux_port_free(node->data);
    }
    shash_destroy(&hl->ports);
}

/* Subscribes to the devlink and ethtool notifications.  Without them the
 * model cannot be maintained for that part, which is then dumped at every
 * observation, as before the model. */
static void
hw_linux_model_open(struct hw_linux *hl)
{
    bool ethtool_events = false;
    char *error = NULL;

    if (!hl->devlink_family && !hl->ethtool_family) {
        return;
    }
    if (nlsock_open(NETLINK_GENERIC, 0, true, &hl->genl_monitor, &error)) {
        VLOG_WARN("%s: devlink and ethtool changes are read by dumps",
                  error);
        free(error);
        return;
    }
    if (hl->devlink_family
        && !nlsock_genl_join(hl->genl, hl->genl_monitor, "devlink",
                             "config", &error)) {
        hl->devlink_events = true;
    } else if (error) {
        VLOG_WARN("%s: devlink changes are read by dumps", error);
        free(error);
        error = NULL;
    }
    if (hl->ethtool_family
        && !nlsock_genl_join(hl->genl, hl->genl_monitor, "ethtool",
                             "monitor", &error)) {
        ethtool_events = true;
    } else if (error) {
        VLOG_WARN("%s: ethtool settings are read at every observation",
                  error);
        free(error);
    }
    hl->ethtool_events = ethtool_events;
}

static void
hw_linux_rtnl_notification(const struct nlmsghdr *nlh, void *hl_)
{
    struct hw_linux *hl = hl_;
    const struct ifinfomsg *ifi;

    if ((nlh->nlmsg_type != RTM_NEWLINK && nlh->nlmsg_type != RTM_DELLINK)
        || mnl_nlmsg_get_payload_len(nlh) < sizeof *ifi) {
        return;
    }
    COVERAGE_INC(hw_linux_link_ntf);
    ifi = mnl_nlmsg_get_payload(nlh);
    if (ifi->ifi_family != AF_UNSPEC) {
        /* AF_BRIDGE messages describe bridge ports, not links. */
        return;
    }
    if (nlh->nlmsg_type == RTM_DELLINK) {
        hw_linux_model_del_link(hl, ifi->ifi_index);
        return;
    }

    struct rtnl_link link;
    char *error = rtnl_parse_link(nlh, &link);

    if (error) {
        /* One bad link does not spoil the model: it is left out. */
        VLOG_WARN_RL(&rl, "skipping a link notification: %s", error);
        free(error);
        hw_linux_model_del_link(hl, ifi->ifi_index);
        return;
    }
    hw_linux_model_put_link(hl, &link);
}

/* An ethtool notification: the link it names has its facts read again. */
static void
hw_linux_ethtool_notification(struct hw_linux *hl, const struct nlmsghdr *nlh)
{
    const struct nlattr *tb[ETHTOOL_A_HEADER_MAX + 1];
    const struct nlattr *header[2];
    struct hw_linux_link *l;
    uint32_t ifindex;

    /* Every ETHTOOL_MSG_*_NTF has its request header as attribute 1. */
    if (!nlsock_parse_attrs(nlh, sizeof(struct genlmsghdr), header, 1)
        && header[1]
        && !nlsock_parse_nested(header[1], tb, ETHTOOL_A_HEADER_MAX)
        && tb[ETHTOOL_A_HEADER_DEV_INDEX]
        && nlsock_attr_u32(tb[ETHTOOL_A_HEADER_DEV_INDEX], &ifindex)) {
        l = hw_linux_find_link(hl, ifindex);
        if (l) {
            hw_linux_link_unread(l);
        }
        return;
    }
    HMAP_FOR_EACH (l, node, &hl->links) {
        hw_linux_link_unread(l);
    }
}

static void
hw_linux_devlink_notification(struct hw_linux *hl,
                              const struct nlmsghdr *nlh, uint8_t cmd)
{
    struct devlink_port_info pi;
    struct devlink_dev_id id;
    char *error;

    switch (cmd) {
    case DEVLINK_CMD_NEW:
    case DEVLINK_CMD_DEL:
        error = devlink_parse_dev(nlh, &id);
        if (error) {
            break;
        }
        if (cmd == DEVLINK_CMD_NEW) {
            hw_linux_model_put_dev(hl, id.bus, id.name);
        } else {
            hw_linux_model_del_dev(hl, id.bus, id.name);
        }
        free(id.bus);
        free(id.name);
        return;

    case DEVLINK_CMD_PORT_NEW:
    case DEVLINK_CMD_PORT_SET:
    case DEVLINK_CMD_PORT_DEL:
        error = devlink_parse_port(nlh, &pi);
        if (error) {
            break;
        }
        if (pi.warning) {
            VLOG_WARN_RL(&rl, "devlink port notification: %s", pi.warning);
            free(pi.warning);
            pi.warning = NULL;
        }
        if (cmd == DEVLINK_CMD_PORT_DEL) {
            hw_linux_model_del_port(hl, &pi);
            free(pi.bus);
            free(pi.dev);
            free(pi.port.netdev);
        } else {
            hw_linux_model_put_port(hl, &pi);
        }
        return;

    default:
        /* Other devlink objects (params, regions, health, ...). */
        return;
    }
    /* A notification the model cannot use: dump devlink again rather
     * than keep a model that may be wrong. */
    VLOG_WARN_RL(&rl, "devlink notification: %s; dumping devlink again",
                 error);
    free(error);
    hl->need_devlink_dump = true;
}

static void
hw_linux_genl_notification(const struct nlmsghdr *nlh, void *hl_)
{
    struct hw_linux *hl = hl_;
    const struct genlmsghdr *genl;

    if (mnl_nlmsg_get_payload_len(nlh) < sizeof *genl) {
        return;
    }
    genl = mnl_nlmsg_get_payload(nlh);
    if (hl->devlink_family && nlh->nlmsg_type == hl->devlink_family) {
        hw_linux_devlink_notification(hl, nlh, genl->cmd);
    } else if (hl->ethtool_family && nlh->nlmsg_type == hl->ethtool_family) {
        hw_linux_ethtool_notification(hl, nlh);
    }
}

/* Reads the queued notifications into the model.  Returns true if there
 * were any, or if some were lost (then the next observation dumps). */
static bool
hw_linux_model_sync(struct hw_linux *hl)
{
    bool changed = false;
    int n;

    n = nlsock_recv_notifications(hl->monitor, hw_linux_rtnl_notification,
                                  hl);
    if (n < 0) {
        VLOG_INFO("link notifications were lost: dumping the links again");
        hl->need_link_dump = true;
    }
    changed |= n != 0;
    if (hl->genl_monitor) {
        n = nlsock_recv_notifications(hl->genl_monitor,
                                      hw_linux_genl_notification, hl);
        if (n < 0) {
            VLOG_INFO("devlink or ethtool notifications were lost: dumping "
                      "them again");
            struct hw_linux_link *l;
            HMAP_FOR_EACH (l, node, &hl->links) {
                hw_linux_link_unread(l);
            }
            hl->need_devlink_dump = true;
        }
        changed |= n != 0;
    }
    if (!hl->devlink_events) {
        hl->need_devlink_dump = true;
    }
    if (!hl->ethtool_events) {
        struct hw_linux_link *l;
        HMAP_FOR_EACH (l, node, &hl->links) {
            if (l->bus) {
                hw_linux_link_unread(l);
            }
        }
    }
    return changed;
}

/* After an operation of our own on link 'ifname': read its facts again
 * (the notification says so too, where ethtool sends one). */
static void
hw_linux_model_forget(struct hw_linux *hl, const char *ifname)
{
    struct hw_linux_link *l;

    HMAP_FOR_EACH (l, node, &hl->links) {
        if (!strcmp(l->rl.name, ifname)) {
            hw_linux_link_unread(l);
        }
    }
}

/* Operations. */

static int
hw_linux_check_ifname(const char *ifname, char **errp)
{
    char *error = validate_ifname("interface", ifname);

    if (error) {
        *errp = error;
        return EINVAL;
    }
    return 0;
}

static int
hw_linux_set_eswitch_mode(struct hw *hw, const char *bus, const char *dev,
                          const char *mode, char **errp)
{
    static const char *const modes[] = { "legacy", "switchdev", NULL };
    struct hw_linux *hl = hw_linux_cast(hw);
    char *current = NULL;
    char *msg;
    int error;

    error = devlink_check_handle(bus, dev, errp);
    if (error) {
        return error;
    }
    msg = validate_one_of("eswitch mode", mode, modes);
    if (msg) {
        *errp = msg;
        return EINVAL;
    }
    if (!hl->devlink_family) {
        *errp = xasprintf("%s/%s: the kernel has no devlink", bus, dev);
        return EOPNOTSUPP;
    }
    error = devlink_get_eswitch_mode(hl->genl, hl->devlink_family, bus, dev,
                                     &current, errp);
    if (error) {
        return error;
    }
    if (!strcmp(current, mode)) {
        free(current);
        return 0;
    }
    free(current);
    error = devlink_set_eswitch_mode(hl->genl, hl->devlink_family, bus, dev,
                                     mode, errp);
    if (!error) {
        VLOG_INFO("%s/%s: eswitch mode set to %s", bus, dev, mode);
        hl->changed = true;
    }
    return error;
}

static int
hw_linux_set_num_vfs(struct hw *hw, const char *bus, const char *dev, int n,
                     char **errp)
{
    struct hw_linux *hl = hw_linux_cast(hw);
    int total, num;
    int error;

    error = devlink_check_handle(bus, dev, errp);
    if (error) {
        return error;
    }
    error = sysfs_get_vfs(hl->sysfs_root, hl->debugfs_root, bus, dev, &total,
                          &num, errp);
    if (error) {
        return error;
    }
    if (num < 0) {
        *errp = xasprintf("%s/%s: the device has no sriov_numvfs", bus, dev);
        return EOPNOTSUPP;
    }
    if (num == n) {
        return 0;
    }
    error = sysfs_set_num_vfs(hl->sysfs_root, bus, dev, n, errp);
    if (!error) {
        VLOG_INFO("%s/%s: sriov_numvfs set to %d (was %d)", bus, dev, n,
                  num);
        hl->changed = true;
    }
    return error;
}

static int
hw_linux_get_channels(struct hw *hw, const char *ifname,
                      struct hw_channels *ch, char **errp)
{
    struct hw_linux *hl = hw_linux_cast(hw);

    return ethtool_nl_get_channels(hl->genl, hl->ethtool_family, ifname, ch,
                                   errp);
}

static int
hw_linux_set_channels(struct hw *hw, const char *ifname,
                      unsigned int combined, char **errp)
{
    struct hw_linux *hl = hw_linux_cast(hw);
    struct hw_channels ch;
    int error;

    error = ethtool_nl_get_channels(hl->genl, hl->ethtool_family, ifname,
                                    &ch, errp);
    if (error || ch.combined == combined) {
        return error;
    }
    error = ethtool_nl_set_channels(hl->genl, hl->ethtool_family, ifname,
                                    combined, errp);
    if (!error) {
        VLOG_INFO("%s: combined channels set to %u (was %u)", ifname,
                  combined, ch.combined);
        hw_linux_model_forget(hl, ifname);
        hl->changed = true;
    }
    return error;
}

static int
hw_linux_set_mtu(struct hw *hw, const char *ifname, unsigned int mtu,
                 char **errp)
{
    struct hw_linux *hl = hw_linux_cast(hw);
    struct rtnl_link link;
    int error;

    error = rtnl_get_link(hl->rtnl, ifname, &link, errp);
    if (error) {
        return error;
    }
    rtnl_link_destroy(&link);
    if (link.mtu == mtu) {
        return 0;
    }
    error = rtnl_set_mtu(hl->rtnl, ifname, mtu, errp);
    if (!error) {
        VLOG_INFO("%s: MTU set to %u (was %u)", ifname, mtu, link.mtu);
    }
    return error;
}

static int
hw_linux_set_up(struct hw *hw, const char *ifname, bool up, char **errp)
{
    struct hw_linux *hl = hw_linux_cast(hw);
    int error;

    /* One request: the planner asks only for a change it observed to be
     * needed, and the kernel does nothing for a link already so. */
    error = rtnl_set_up(hl->rtnl, ifname, up, errp);
    if (!error) {
        VLOG_INFO("%s: set %s", ifname, up ? "up" : "down");
    }
    return error;
}

static int
hw_linux_create_bond(struct hw *hw, const char *name, const char *mode,
                     unsigned int miimon, char **errp)
{
    static const char *const modes[] = {
        "active-backup", "balance-xor", "802.3ad", NULL
    };
    struct hw_linux *hl = hw_linux_cast(hw);
    char *msg;
    int error;

    error = hw_linux_check_ifname(name, errp);
    if (error) {
        return error;
    }
    msg = validate_one_of("bond mode", mode, modes);
    if (msg) {
        *errp = msg;
        return EINVAL;
    }
    error = rtnl_create_bond(hl->rtnl, name, mode, miimon, errp);
    if (!error) {
        VLOG_INFO("%s: bond (mode %s, miimon %u) exists", name, mode,
                  miimon);
    }
    return error;
}

static int
hw_linux_set_master(struct hw *hw, const char *ifname, const char *master,
                    char **errp)
{
    struct hw_linux *hl = hw_linux_cast(hw);
    int error;

    error = hw_linux_check_ifname(ifname, errp);
    if (!error && master) {
        error = hw_linux_check_ifname(master, errp);
    }
    return error ? error : rtnl_set_master(hl->rtnl, ifname, master, errp);
}

static int
hw_linux_delete_link(struct hw *hw, const char *ifname, char **errp)
{
    struct hw_linux *hl = hw_linux_cast(hw);
    int error = hw_linux_check_ifname(ifname, errp);

    return error ? error : rtnl_delete_link(hl->rtnl, ifname, errp);
}

static int
hw_linux_release_dp_port(struct hw *hw, const char *datapath,
                         const char *ifname, char **errp)
{
    struct hw_linux *hl = hw_linux_cast(hw);
    unsigned int dp_ifindex;
    uint32_t port_no;
    int error;

    error = hw_linux_check_ifname(datapath, errp);
    if (!error) {
        error = hw_linux_check_ifname(ifname, errp);
    }
    if (error) {
        return error;
    }
    dp_ifindex = if_nametoindex(datapath);
    if (!dp_ifindex || dp_ifindex > INT_MAX) {
        *errp = xasprintf("%s: no such datapath device", datapath);
        return ENODEV;
    }
    error = ovsdp_find_vport(hl->genl, dp_ifindex, ifname, &port_no, errp);
    if (error == ENOENT && !*errp) {
        /* Gone already: ovs-vswitchd or somebody else repaired it. */
        return 0;
    }
    if (!error) {
        VLOG_INFO("%s: deleting vport %"PRIu32" of datapath %s, which %s "
                  "still holds", ifname, port_no, datapath, ifname);
        error = ovsdp_del_vport(hl->genl, dp_ifindex, port_no, errp);
    }
    return error;
}

/* Issue 13 (vdpa) operations.  A kernel that had no vdpa family at start
 * may have it now (the module loaded since): it is looked up again. */
static int
hw_linux_vdpa_family(struct hw_linux *hl, const char *name, char **errp)
{
    int error;

    if (hl->vdpa_family) {
        return 0;
    }
    error = nlsock_genl_family(hl->genl, VDPA_GENL_NAME, &hl->vdpa_family,
                               errp);
    if (error == ENOENT) {
        free(*errp);
        *errp = xasprintf("vdpa device %s: the kernel has no \"vdpa\" "
                          "generic netlink family (no vDPA support, or the "
                          "vdpa module is not loaded)", name);
    }
    return error;
}

static int
hw_linux_create_vdpa(struct hw *hw, const char *name, const char *mgmtdev,
                     const char *mac, unsigned int max_vqp, char **errp)
{
    struct hw_linux *hl = hw_linux_cast(hw);
    int error = hw_linux_vdpa_family(hl, name, errp);

    if (!error) {
        error = vdpa_dev_new(hl->genl, hl->vdpa_family, name, mgmtdev, mac,
                             max_vqp, errp);
    }
    if (!error) {
        hl->changed = true;
    }
    return error;
}

static int
hw_linux_delete_vdpa(struct hw *hw, const char *name, char **errp)
{
    struct hw_linux *hl = hw_linux_cast(hw);
    int error = hw_linux_vdpa_family(hl, name, errp);

    if (!error) {
        error = vdpa_dev_del(hl->genl, hl->vdpa_family, name, errp);
        if (error == ENODEV) {
            /* Gone already. */
            free(*errp);
            *errp = NULL;
            error = 0;
        }
    }
    if (!error) {
        hl->changed = true;
    }
    return error;
}

/* Issue 11 (ctrl) operations. */

static int
hw_linux_set_feature(struct hw *hw, const char *ifname, const char *feature,
                     bool on, char **errp)
{
    struct hw_linux *hl = hw_linux_cast(hw);
    bool active;
    int error;

    /* The planner asks only for a change it observed to be needed: set,
     * then read back (two requests, not three). */
    error = ethtool_nl_set_feature(hl->genl, hl->ethtool_family, ifname,
                                   feature, on, errp);
    if (!error) {
        /* The kernel may accept the request and keep the feature as it
         * was (a fixed feature): observe it back. */
        error = ethtool_nl_get_feature(hl->genl, hl->ethtool_family, ifname,
                                       feature, &active, errp);
        if (!error && active != on) {
            *errp = xasprintf("%s: %s is still %s after turning it %s (the "
                              "driver does not allow changing it)", ifname,
                              feature, active ? "on" : "off",
                              on ? "on" : "off");
            error = EOPNOTSUPP;
        }
    }
    if (!error) {
        VLOG_INFO("%s: %s %s", ifname, feature, on ? "on" : "off");
        hw_linux_model_forget(hl, ifname);
        hl->changed = true;
    }
    return error;
}

static int
hw_linux_set_autoprobe(struct hw *hw, const char *bus, const char *dev,
                       bool on, char **errp)
{
    struct hw_linux *hl = hw_linux_cast(hw);
    int value;
    int error;

    error = sysfs_get_autoprobe(hl->sysfs_root, bus, dev, &value, errp);
    if (!error && value < 0) {
        *errp = xasprintf("%s/%s: the device has no sriov_drivers_autoprobe",
                          bus, dev);
        error = EOPNOTSUPP;
    }
    if (error || value == on) {
        return error;
    }
    error = sysfs_set_autoprobe(hl->sysfs_root, bus, dev, on, errp);
    if (!error) {
        VLOG_INFO("%s/%s: sriov_drivers_autoprobe set to %d", bus, dev, on);
        hl->changed = true;
    }
    return error;
}

static int
hw_linux_bind_vf(struct hw *hw, const char *bus, const char *dev,
                 const char *vf_pci, const char *driver, char **errp)
{
    struct hw_linux *hl = hw_linux_cast(hw);
    int error;

    if (strcmp(bus, "pci")) {
        *errp = xasprintf("%s/%s: VFs of a %s device have no driver to bind",
                          bus, dev, bus);
        return EOPNOTSUPP;
    }
    error = sysfs_bind_vf(hl->sysfs_root, dev, vf_pci, driver, errp);
    if (!error) {
        VLOG_INFO("%s/%s: VF %s bound to %s", bus, dev, vf_pci, driver);
        hl->changed = true;
    }
    return error;
}

/* Issue 13 (vf): a VF's MAC in switchdev mode, through its devlink port
 * function. */
static int
hw_linux_set_port_hw_addr(struct hw *hw, const char *bus, const char *dev,
                          unsigned int port, const char *mac, char **errp)
{
    struct hw_linux *hl = hw_linux_cast(hw);
    int error;

    if (!hl->devlink_family) {
        *errp = xasprintf("%s/%s: the kernel has no devlink", bus, dev);
        return EOPNOTSUPP;
    }
    error = devlink_port_set_hw_addr(hl->genl, hl->devlink_family, bus, dev,
                                     port, mac, errp);
    if (!error) {
        VLOG_INFO("%s/%s/%u: port function hw_addr set to %s", bus, dev,
                  port, mac);
        hl->changed = true;
    }
    return error;
}

/* Issue 13 (vf): one VF setting on the PF. */
static int
hw_linux_set_vf(struct hw *hw, const char *pf, const struct hw_vf_config *c,
                enum hw_vf_setting setting, char **errp)
{
    struct hw_linux *hl = hw_linux_cast(hw);
    struct ds d = DS_EMPTY_INITIALIZER;
    int error = rtnl_set_vf(hl->rtnl, pf, c, setting, errp);

    if (!error) {
        hw_vf_setting_format(c, setting, &d);
        VLOG_INFO("%s: VF %d %s set to %s", pf, c->vf,
                  hw_vf_setting_to_string(setting), ds_cstr(&d));
        hl->changed = true;
    }
    ds_destroy(&d);
    return error;
}

/* Issue 13 (vf): a VF to the driver the intent names. */
static int
hw_linux_set_vf_driver(struct hw *hw, const char *bus, const char *dev,
                       const char *vf_pci, const char *driver, char **errp)
{
    struct hw_linux *hl = hw_linux_cast(hw);
    int error;

    if (strcmp(bus, "pci")) {
        *errp = xasprintf("%s/%s: VFs of a %s device have no PCI function "
                          "to bind", bus, dev, bus);
        return EOPNOTSUPP;
    }
    error = sysfs_set_vf_driver(hl->sysfs_root, dev, vf_pci, driver, errp);
    if (!error) {
        VLOG_INFO("%s/%s: VF %s bound to %s", bus, dev, vf_pci,
                  driver ? driver : "no driver");
        hl->changed = true;
    }
    return error;
}

const struct hw_class hw_linux_class = {
    .type = "linux",
    .open = hw_linux_open,
    .close = hw_linux_close,
    .run = hw_linux_run,
    .wait = hw_linux_wait,
    .observe = hw_linux_observe,
    .set_eswitch_mode = hw_linux_set_eswitch_mode,
    .set_num_vfs = hw_linux_set_num_vfs,
    .get_channels = hw_linux_get_channels,
    .set_channels = hw_linux_set_channels,
    .set_mtu = hw_linux_set_mtu,
    .set_up = hw_linux_set_up,
    .create_bond = hw_linux_create_bond,
    .set_master = hw_linux_set_master,
    .delete_link = hw_linux_delete_link,
    .release_dp_port = hw_linux_release_dp_port,
    .set_feature = hw_linux_set_feature,
    .set_autoprobe = hw_linux_set_autoprobe,
    .bind_vf = hw_linux_bind_vf,
    .set_vf = hw_linux_set_vf,
    .set_port_hw_addr = hw_linux_set_port_hw_addr,
    .set_vf_driver = hw_linux_set_vf_driver,
    .create_vdpa = hw_linux_create_vdpa,
    .delete_vdpa = hw_linux_delete_vdpa,
};
