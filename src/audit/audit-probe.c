/*
 * audit-probe: facts for the tuning audit.  See audit-probe.h.
 */
#include <config.h>

#include "audit-probe.h"

#include <errno.h>
#include <string.h>
#include <linux/netlink.h>

#include "audit.h"
#include "ethtool-nl.h"
#include "hw.h"
#include "nlsock.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/shash.h"
#include "openvswitch/vlog.h"
#include "sysfs.h"
#include "util.h"
#include "validate.h"

VLOG_DEFINE_THIS_MODULE(audit_probe);

static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 20);

struct audit_probe {
    char *sysfs_root;
    char *proc_root;
    struct nlsock *genl;        /* NULL without netlink. */
    uint16_t ethtool_family;    /* 0 if none. */
};

int
audit_probe_open(const char *sysfs_root, const char *proc_root,
                 bool netlink, struct audit_probe **pp, char **errp)
{
    struct audit_probe *p;
    char *msg;
    int error;

    *pp = NULL;
    sysfs_root = sysfs_root ? sysfs_root : "/sys";
    proc_root = proc_root ? proc_root : "/proc";
    msg = sysfs_check_root("sysfs root", sysfs_root);
    if (!msg) {
        msg = sysfs_check_root("proc root", proc_root);
    }
    if (msg) {
        *errp = msg;
        return EINVAL;
    }
    p = xzalloc(sizeof *p);
    p->sysfs_root = xstrdup(sysfs_root);
    p->proc_root = xstrdup(proc_root);
    if (netlink) {
        error = nlsock_open(NETLINK_GENERIC, 0, false, &p->genl, errp);
        if (!error) {
            error = nlsock_genl_family(p->genl, "ethtool",
                                       &p->ethtool_family, errp);
            if (error == ENOENT) {
                free(*errp);
                *errp = NULL;
                error = 0;
            }
        }
        if (error) {
            audit_probe_close(p);
            return error;
        }
    }
    *pp = p;
    return 0;
}

void
audit_probe_close(struct audit_probe *p)
{
    if (p) {
        nlsock_close(p->genl);
        free(p->sysfs_root);
        free(p->proc_root);
        free(p);
    }
}

/* Reads a number from the proc sysctl file net/A/B ("-1" if it cannot be
 * read). */
static long long int
read_sysctl_long(struct audit_probe *p, const char *dir, const char *name)
{
    char *content, *err = NULL, *msg;
    long long int v = -1;

    if (!sysfs_read_attr(&content, &err, p->proc_root, "sys", "net", dir,
                         name, (char *) NULL)) {
        msg = sysfs_parse_long(content, &v);
        if (msg) {
            VLOG_WARN_RL(&rl, "net.%s.%s: %s", dir, name, msg);
            free(msg);
            v = -1;
        }
        free(content);
    }
    free(err);
    return v;
}

/* Reads a sysctl's text, white space squeezed to single spaces, or NULL. */
static char *
read_sysctl_text(struct audit_probe *p, const char *dir, const char *name)
{
    char *content, *err = NULL;

    if (sysfs_read_attr(&content, &err, p->proc_root, "sys", "net", dir,
                        name, (char *) NULL)) {
        free(err);
        return NULL;
    }
    char *out = xmalloc(strlen(content) + 1), *q = out;
    for (const char *s = content; *s; s++) {
        if (*s == ' ' || *s == '\t' || *s == '\n') {
            if (q > out && q[-1] != ' ') {
                *q++ = ' ';
            }
        } else if (*s >= 0x20 && *s < 0x7f) {
            *q++ = *s;
        }
    }
    while (q > out && q[-1] == ' ') {
        q--;
    }
    *q = '\0';
    free(content);
    return out;
}

/* The third field of "tcp_rmem"/"tcp_wmem", or -1. */
static long long int
third_field(const char *text)
{
    long long int v[3];
    int n = 0;

    if (!text) {
        return -1;
    }
    const char *s = text;
    while (*s && n < 3) {
        char *end;
        if (*s < '0' || *s > '9') {
            return -1;
        }
        v[n++] = strtoll(s, &end, 10);
        s = end;
        while (*s == ' ') {
            s++;
        }
    }
    return n == 3 ? v[2] : -1;
}

static int
count_cpulist(struct audit_probe *p, const char *dir)
{
    struct sysfs_cpuset set;
    char *content, *err = NULL, *msg;
    int count = -1;

    if (!sysfs_read_attr(&content, &err, p->sysfs_root, "devices", "system",
                         dir, "online", (char *) NULL)) {
        msg = sysfs_parse_cpulist(content, &set, &count);
        if (msg) {
            free(msg);
            count = -1;
        }
        free(content);
    }
    free(err);
    return count;
}

void
audit_probe_host(struct audit_probe *p, struct audit_host *h)
{
    h->n_cpus = count_cpulist(p, "cpu");
    h->n_numa_nodes = count_cpulist(p, "node");
    if (h->n_numa_nodes < 0) {
        h->n_numa_nodes = 1;        /* A kernel without NUMA. */
    }
    h->rmem_max = read_sysctl_long(p, "core", "rmem_max");
    h->wmem_max = read_sysctl_long(p, "core", "wmem_max");
    h->netdev_max_backlog = read_sysctl_long(p, "core",
                                             "netdev_max_backlog");
    h->tcp_rmem = read_sysctl_text(p, "ipv4", "tcp_rmem");
    h->tcp_wmem = read_sysctl_text(p, "ipv4", "tcp_wmem");
    h->tcp_rmem_max = third_field(h->tcp_rmem);
    h->tcp_wmem_max = third_field(h->tcp_wmem);
    h->congestion_control = read_sysctl_text(p, "ipv4",
                                             "tcp_congestion_control");
    h->available_cc = read_sysctl_text(p, "ipv4",
                                       "tcp_available_congestion_control");
}

static void
probe_pcie(struct audit_probe *p, struct audit_dev *d)
{
    struct sysfs_pcie_link link;
    char *err = NULL;

    if (d->bus && !strcmp(d->bus, "pci") && d->dev) {
        d->pci = xstrdup(d->dev);
    } else if (sysfs_get_pci_ancestor(p->sysfs_root, d->name, &d->pci,
                                      &err)) {
        VLOG_DBG_RL(&rl, "%s", err);
        free(err);
        return;
    }
    if (!d->pci) {
        return;
    }
    if (sysfs_get_pcie_link(p->sysfs_root, d->pci, &link, &err)) {
        VLOG_DBG_RL(&rl, "%s", err);
        free(err);
        return;
    }
    d->has_pcie = true;
    d->pcie_cur_speed = link.cur_speed;
    d->pcie_max_speed = link.max_speed;
    d->pcie_cur_width = link.cur_width;
    d->pcie_max_width = link.max_width;
    if (link.port[0]) {
        d->pcie_port = xstrdup(link.port);
        d->pcie_port_max_speed = link.port_max_speed;
        d->pcie_port_max_width = link.port_max_width;
    }
}

/* Reads ROOT/class/net/IF/LEAF1[/LEAF2] as a number; false if it cannot. */
static bool
read_net_long(struct audit_probe *p, const char *ifname, const char *leaf1,
              const char *leaf2, long long int *v)
{
    char *content, *err = NULL, *msg;
    bool ok = false;

    if (!sysfs_read_attr(&content, &err, p->sysfs_root, "class", "net",
                         ifname, leaf1, leaf2, (char *) NULL)) {
        msg = sysfs_parse_long(content, v);
        ok = !msg;
        free(msg);
        free(content);
    }
    free(err);
    return ok;
}

static void
probe_numa_irqs(struct audit_probe *p, struct audit_dev *d)
{
    struct sysfs_cpuset local;
    bool have_local = false;
    long long int node;
    char *content, *err = NULL;

    if (read_net_long(p, d->name, "device", "numa_node", &node)) {
        d->has_numa = true;
        d->numa_node = node < 0 || node > 65535 ? -1 : node;
    }
    if (!sysfs_read_attr(&content, &err, p->sysfs_root, "class", "net",
                         d->name, "device", "local_cpulist",
                         (char *) NULL)) {
        int count;
        char *msg = sysfs_parse_cpulist(content, &local, &count);
        if (!msg && count > 0) {
            have_local = true;
            d->local_cpus = xstrdup(content);
            d->local_cpus[strcspn(d->local_cpus, "\n")] = '\0';
            d->n_local_cpus = count;
            if (count <= 256) {
                struct ds words = DS_EMPTY_INITIALIZER;
                for (int c = 0; c < SYSFS_MAX_CPUS; c++) {
                    if (local.bits[c / 64] & (1ULL << (c % 64))) {
                        ds_put_format(&words, "%s%d", words.length ? " " : "",
                                      c);
                    }
                }
                d->local_cpu_words = ds_steal_cstr(&words);
            }
        }
        free(msg);
        free(content);
    }
    free(err);
    err = NULL;

    if (!sysfs_get_irqs(p->sysfs_root, p->proc_root, d->name,
                        have_local ? &local : NULL, &d->n_irqs,
                        &d->n_irq_cpus, &d->n_irq_remote, &err)) {
        d->has_irqs = d->n_irqs > 0;
    } else {
        VLOG_DBG_RL(&rl, "%s", err);
        free(err);
    }
}

static void
probe_ethtool(struct audit_probe *p, struct audit_dev *d)
{
    struct ethtool_nl_rings rings;
    char *err = NULL;

    if (!p->genl) {
        return;
    }
    if (!ethtool_nl_get_rings(p->genl, p->ethtool_family, d->name, &rings,
                              &err)) {
        d->has_rings = true;
        d->rx = rings.rx;
        d->rx_max = rings.rx_max;
        d->tx = rings.tx;
        d->tx_max = rings.tx_max;
    } else {
        VLOG_DBG_RL(&rl, "%s", err);
        free(err);
        err = NULL;
    }
    if (!ethtool_nl_get_features(p->genl, p->ethtool_family, d->name,
                                 audit_feature_names, AUDIT_N_FEATURES,
                                 d->feature_changeable, d->feature_active,
                                 &err)) {
        d->has_features = true;
    } else {
        VLOG_DBG_RL(&rl, "%s", err);
        free(err);
    }
}

int
audit_probe_dev(struct audit_probe *p, const struct hw_snapshot *snap,
                struct audit_dev *d, char **errp)
{
    const struct hw_link *link = hw_snapshot_find_link(snap, d->name);
    const struct hw_device *dev;
    struct shash_node *node;
    char *err = NULL;
    long long int v;

    if (!link) {
        *errp = xasprintf("%s: no such network device", d->name);
        return ENODEV;
    }
    d->bus = nullable_xstrdup(link->bus);
    d->dev = nullable_xstrdup(link->dev);
    d->driver = nullable_xstrdup(link->driver);
    d->mtu = link->mtu;
    if (link->master) {
        const struct hw_link *m = hw_snapshot_find_link(snap, link->master);
        d->master = xstrdup(link->master);
        if (m) {
            d->master_kind = xstrdup(m->kind);
            d->master_mtu = m->mtu;
        }
    }
    if (link->has_channels) {
        d->has_channels = true;
        d->combined = link->channels.combined;
        d->max_combined = link->channels.max_combined;
    }
    SHASH_FOR_EACH (node, &snap->links) {
        const struct hw_link *l = node->data;
        if (l->kind && !strcmp(l->kind, "vxlan")) {
            d->vxlan = true;
        }
    }

    dev = link->bus && link->dev
          ? hw_snapshot_find_device(snap, link->bus, link->dev) : NULL;
    if (dev) {
        d->fw_version = nullable_xstrdup(dev->fw_version);
        d->total_vfs = dev->total_vfs;
        for (size_t i = 0; i < dev->n_ports; i++) {
            const struct hw_port *port = &dev->ports[i];
            const struct hw_link *rep;

            if (port->flavour == HW_PORT_PCI_VF && port->netdev
                && (rep = hw_snapshot_find_link(snap, port->netdev))) {
                audit_dev_add_rep(d, rep->name, rep->mtu);
            }
        }
    }

    if (read_net_long(p, d->name, "speed", NULL, &v) && v > 0
        && v < 100000000) {
        d->port_speed = v;
    }
    probe_pcie(p, d);
    if (!sysfs_get_xps(p->sysfs_root, d->name, &d->n_tx_queues,
                       &d->n_xps_set, &err)) {
        d->has_xps = d->n_tx_queues > 0;
    } else {
        VLOG_DBG_RL(&rl, "%s", err);
        free(err);
    }
    probe_numa_irqs(p, d);
    probe_ethtool(p, d);
    return 0;
}

char *
audit_resolve_device(struct audit_probe *p, const struct hw_snapshot *snap,
                     const char *arg, char **ifnamep)
{
    struct shash_node *node;

    *ifnamep = NULL;
    if (validate_is_pci_addr(arg)) {
        SHASH_FOR_EACH (node, &snap->links) {
            const struct hw_link *l = node->data;
            if (l->bus && !strcmp(l->bus, "pci") && l->dev
                && !strcmp(l->dev, arg) && !l->phys_port_name) {
                *ifnamep = xstrdup(l->name);
                return NULL;
            }
        }
        /* A PF with a physical port name ("p0"): its uplink. */
        SHASH_FOR_EACH (node, &snap->links) {
            const struct hw_link *l = node->data;
            if (l->bus && !strcmp(l->bus, "pci") && l->dev
                && !strcmp(l->dev, arg)
                && (!l->phys_port_name || l->phys_port_name[0] == 'p')
                && (!l->phys_port_name
                    || strncmp(l->phys_port_name, "pf", 2))) {
                *ifnamep = xstrdup(l->name);
                return NULL;
            }
        }
        /* A netdev on a child of the function (virtio). */
        SHASH_FOR_EACH (node, &snap->links) {
            const struct hw_link *l = node->data;
            char *pci = NULL, *err = NULL;

            if (l->bus && strcmp(l->bus, "pci")
                && !sysfs_get_pci_ancestor(p->sysfs_root, l->name, &pci,
                                           &err)
                && pci && !strcmp(pci, arg)) {
                free(pci);
                *ifnamep = xstrdup(l->name);
                return NULL;
            }
            free(pci);
            free(err);
        }
        return xasprintf("%s: no network device on that PCI function", arg);
    }
    char *error = validate_ifname("device", arg);
    if (error) {
        return error;
    }
    if (!hw_snapshot_find_link(snap, arg)) {
        return xasprintf("%s: no such network device", arg);
    }
    *ifnamep = xstrdup(arg);
    return NULL;
}

void
audit_run(struct audit_probe *p, const struct hw_snapshot *snap,
          const struct audit_target *targets, size_t n,
          struct audit_report *r, char **errp)
{
    struct audit_dev *devs = xcalloc(MAX(n, 1), sizeof *devs);
    struct audit_host host;
    size_t n_devs = 0;

    *errp = NULL;
    audit_host_init(&host);
    audit_probe_host(p, &host);
    for (size_t i = 0; i < n; i++) {
        struct audit_dev *d = &devs[n_devs];
        char *error = NULL;

        audit_dev_init(d, targets[i].name);
        d->channels_before = targets[i].channels_before;
        d->desired_vfs = targets[i].desired_vfs;
        d->desired_mtu = targets[i].desired_mtu;
        if (audit_probe_dev(p, snap, d, &error)) {
            if (!*errp) {
                *errp = error;
            } else {
                free(error);
            }
            audit_dev_destroy(d);
        } else {
            n_devs++;
        }
    }
    audit_check(&host, devs, n_devs, r);
    for (size_t i = 0; i < n_devs; i++) {
        audit_dev_destroy(&devs[i]);
    }
    free(devs);
    audit_host_destroy(&host);
}
