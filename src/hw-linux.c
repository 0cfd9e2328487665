/*
 * hw-linux: the Linux back end of the hardware interface (see hw.h).
 *
 * It talks to the kernel only through netlink (rtnl.c for links,
 * devlink.c for devices, ports and the eswitch, ethtool-nl.c for channels
 * and features, all over nlsock.c) and through sysfs and debugfs files
 * (sysfs.c: SR-IOV VF counts, the mlx5 LAG state, a link's parent device).
 * It never runs ip, devlink or ethtool.
 *
 * Events.  A non-blocking rtnetlink socket subscribed to RTNLGRP_LINK is
 * registered with the poll loop: any link notification (a representor
 * appearing when VFs are created in switchdev mode, a bond member
 * changing, an MTU change) makes hw_run() return true.  Some facts have no
 * notification at all: sysfs sriov_numvfs, the mlx5 debugfs LAG state
 * (which turns "active" some time after a bond forms) and, on 6.1, the
 * eswitch mode.  They are read again only while a step waits on them: the
 * daemon then observes on a deadline (WAIT_REOBSERVE_MS); the back end's
 * own changes make it observe at once.  There is no periodic
 * re-observation: an idle daemon does not wake up.
 */
#include <config.h>

#include <errno.h>
#include <poll.h>
#include <string.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>

#include "devlink.h"
#include "ethtool-nl.h"
#include "hash.h"
#include "hw.h"
#include "openvswitch/hmap.h"
#include "nlsock.h"
#include "openvswitch/poll-loop.h"
#include "openvswitch/vlog.h"
#include "rtnl.h"
#include "rtnl-vf.h"
#include "sysfs-vf.h"
#include "openvswitch/dynamic-string.h"
#include "sysfs.h"
#include "timeval.h"
#include "util.h"
#include "validate.h"

VLOG_DEFINE_THIS_MODULE(hw_linux);

/* Model (issue 10): where udev does not run, how long a link named by the
 * kernel ("eth<N>") settles before it counts; where udev runs, how often
 * its database is looked at again while a link waits for it (udev writes
 * its database without a netlink notification when it does not rename). */
#define HW_LINUX_SETTLE_MS 1000
#define HW_LINUX_UDEV_RECHECK_MS 100

/* Model (issue 10): when a link waiting to settle was first seen. */
struct hw_linux_seen {
    struct hmap_node node;
    int ifindex;
    long long int since;
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
    bool changed;
};

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
    if (error) {
        hw_linux_close(&hl->up);
        return error;
    }
    *hwp = &hl->up;
    return 0;
}

static bool
hw_linux_run(struct hw *hw)
{
    struct hw_linux *hl = hw_linux_cast(hw);
    long long int now = time_msec();
    int n = nlsock_drain(hl->monitor);
    bool changed;

    if (n) {
        /* n < 0: notifications were lost; anything may have changed. */
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
    poll_timer_wait_until(hl->next_settle);
    if (hl->changed) {
        poll_immediate_wake();
    }
}

/* Observation. */

/* Ifindex -> name of the links of one dump, so that finding each link's
 * master costs O(1), not a scan of the dump. */
struct hw_linux_ifindex {
    struct hmap_node node;
    int ifindex;
    const char *name;
};

static struct hw_linux_ifindex *
hw_linux_index_links(const struct rtnl_link *links, size_t n,
                     struct hmap *index)
{
    struct hw_linux_ifindex *entries = xcalloc(MAX(n, 1), sizeof *entries);

    hmap_init(index);
    hmap_reserve(index, n);
    for (size_t i = 0; i < n; i++) {
        entries[i].ifindex = links[i].ifindex;
        entries[i].name = links[i].name;
        hmap_insert(index, &entries[i].node, hash_int(links[i].ifindex, 0));
    }
    return entries;
}

static const char *
hw_linux_ifindex_name(const struct hmap *index, int ifindex)
{
    const struct hw_linux_ifindex *e;

    HMAP_FOR_EACH_WITH_HASH (e, node, hash_int(ifindex, 0), index) {
        if (e->ifindex == ifindex) {
            return e->name;
        }
    }
    return NULL;
}

/* The ethtool facts of a link that has a parent device. */
static void
hw_linux_observe_ethtool(struct hw_linux *hl, struct hw_link *link)
{
    char *error = NULL;
    int retval;

    retval = ethtool_nl_get_channels(hl->genl, hl->ethtool_family,
                                     link->name, &link->channels, &error);
    if (!retval) {
        link->has_channels = true;
    } else if (retval != EOPNOTSUPP) {
        VLOG_DBG_RL(&rl, "%s", error);
    }
    free(error);
    error = NULL;

    if (ethtool_nl_get_feature(hl->genl, hl->ethtool_family, link->name,
                               "hw-tc-offload", &link->hw_tc_offload,
                               &error)) {
        VLOG_DBG_RL(&rl, "%s", error);
    }
    free(error);
}

/* Model (issue 10): decides whether udev has finished with 'link' (the
 * rule is sysfs_link_settle()'s), and when to look again if not.  Only
 * links with a phys_port_name (representors, uplinks) are checked: the
 * others are never brought up or added by the controller as representors.
 * 'seen' receives the links still waiting. */
static void
hw_linux_settle(struct hw_linux *hl, struct hw_link *link, struct hmap *seen,
                long long int now)
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
        s->since = now;
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

static int
hw_linux_observe_links(struct hw_linux *hl, struct hw_snapshot *snap,
                       char **errp)
{
    struct rtnl_link *links;
    size_t n;
    int error;

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

    struct hmap index;
    struct hw_linux_ifindex *entries = hw_linux_index_links(links, n,
                                                            &index);
    struct hmap seen = HMAP_INITIALIZER(&seen);
    long long int now = time_msec();
    struct hw_linux_seen *s;

    hl->next_settle = LLONG_MAX;

    for (size_t i = 0; i < n; i++) {
        const struct rtnl_link *rl_ = &links[i];
        struct hw_link *link = hw_snapshot_add_link(snap, rl_->name);
        char *msg = NULL;

        link->ifindex = rl_->ifindex;
        free(link->kind);
        link->kind = xstrdup(rl_->kind);
        if (rl_->master) {
            link->master = nullable_xstrdup(
                hw_linux_ifindex_name(&index, rl_->master));
        }
        link->mtu = rl_->mtu;
        link->admin_up = (rl_->flags & IFF_UP) != 0;
        link->oper_up = rtnl_link_oper_up(rl_);
        link->phys_port_name = nullable_xstrdup(rl_->phys_port_name);
        link->phys_switch_id = nullable_xstrdup(rl_->phys_switch_id);
        link->ctrl.bond_mode = nullable_xstrdup(
            rtnl_bond_mode_to_string(rl_->bond_mode));

        if (sysfs_get_link_device(hl->sysfs_root, link->name, &link->bus,
                                  &link->dev, &link->driver, &msg)) {
            VLOG_WARN_RL(&rl, "%s", msg);
            free(msg);
        }
        if (link->bus) {
            hw_linux_observe_ethtool(hl, link);
        }
        hw_linux_settle(hl, link, &seen, now);
    }
    /* Forget the links that went away; keep those still waiting. */
    HMAP_FOR_EACH_POP (s, node, &hl->seen) {
        free(s);
    }
    hmap_swap(&hl->seen, &seen);
    hmap_destroy(&seen);
    hmap_destroy(&index);
    free(entries);
    rtnl_links_free(links, n);
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
                        struct hw_device *dev)
{
    char *error = NULL;
    int retval;

    if (devlink_get_info(hl->genl, hl->devlink_family, dev->bus, dev->name,
                         &dev->driver, &dev->fw_version, &error)) {
        VLOG_DBG_RL(&rl, "%s", error);
        free(error);
        error = NULL;
    }

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
hw_linux_observe_devices(struct hw_linux *hl, struct hw_snapshot *snap,
                         char **errp)
{
    struct devlink_port_info *ports;
    struct devlink_dev_id *ids;
    size_t n_ids, n_ports, n_skipped;
    char *msg = NULL;
    int error;

    if (!hl->devlink_family) {
        return 0;
    }
    error = devlink_list_devices(hl->genl, hl->devlink_family, &ids, &n_ids,
                                 errp);
    if (error) {
        return error;
    }
    for (size_t i = 0; i < n_ids; i++) {
        hw_linux_observe_device(
            hl, snap, hw_snapshot_add_device(snap, ids[i].bus, ids[i].name));
    }
    devlink_dev_ids_free(ids, n_ids);

    if (devlink_list_ports(hl->genl, hl->devlink_family, &ports, &n_ports,
                           &n_skipped, &msg)) {
        /* Devices without ports are still worth reporting, but a model
         * without them must not be acted on as if no representor existed:
         * it is incomplete. */
        VLOG_WARN_RL(&rl, "%s", msg);
        hw_snapshot_set_incomplete(snap, "%s", msg);
        free(msg);
        return 0;
    }
    for (size_t i = 0; i < n_ports; i++) {
        struct hw_device *dev;
        char *key = xasprintf("%s/%s", ports[i].bus, ports[i].dev);

        dev = shash_find_data(&snap->devices, key);
        free(key);
        if (dev) {
            dev->ports = xrealloc(dev->ports,
                                  (dev->n_ports + 1) * sizeof *dev->ports);
            dev->ports[dev->n_ports++] = ports[i].port;
            ports[i].port.netdev = NULL;    /* Now owned by 'dev'. */
        }
    }
    devlink_ports_free(ports, n_ports);
    return 0;
}

static int
hw_linux_observe(struct hw *hw, struct hw_snapshot *snap, char **errp)
{
    struct hw_linux *hl = hw_linux_cast(hw);
    int error;

    error = hw_linux_observe_links(hl, snap, errp);
    if (!error) {
        error = hw_linux_observe_devices(hl, snap, errp);
    }
    if (!error) {
        rtnl_observe_vfs(hl->rtnl, snap);   /* Issue 13. */
    }
    return error;
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
    struct rtnl_link link;
    int error;

    error = rtnl_get_link(hl->rtnl, ifname, &link, errp);
    if (error) {
        return error;
    }
    rtnl_link_destroy(&link);
    if (((link.flags & IFF_UP) != 0) == up) {
        return 0;
    }
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

/* Issue 11 (ctrl) operations. */

static int
hw_linux_set_feature(struct hw *hw, const char *ifname, const char *feature,
                     bool on, char **errp)
{
    struct hw_linux *hl = hw_linux_cast(hw);
    bool active;
    int error;

    error = ethtool_nl_get_feature(hl->genl, hl->ethtool_family, ifname,
                                   feature, &active, errp);
    if (error || active == on) {
        return error;
    }
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
    .set_feature = hw_linux_set_feature,
    .set_autoprobe = hw_linux_set_autoprobe,
    .bind_vf = hw_linux_bind_vf,
    .set_vf = hw_linux_set_vf,
    .set_vf_driver = hw_linux_set_vf_driver,
};
