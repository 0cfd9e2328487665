/*
 * hw: dispatch to the hardware back ends, and the snapshot value type.
 * See hw.h.
 */
#include <config.h>

#include "hw.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "openvswitch/dynamic-string.h"
#include "sort.h"
#include "util.h"

static const struct hw_class *const hw_classes[] = {
    &hw_linux_class,
    &hw_fake_class,
};

/* Opens the back end named by 'spec': "linux" or "fake[:ARGS]". */
int
hw_open(const char *spec, const struct hw_options *options, struct hw **hwp,
        char **errp)
{
    const char *colon = strchr(spec, ':');
    size_t len = colon ? colon - spec : strlen(spec);

    *hwp = NULL;
    *errp = NULL;
    for (size_t i = 0; i < ARRAY_SIZE(hw_classes); i++) {
        const struct hw_class *class = hw_classes[i];

        if (strlen(class->type) == len && !strncmp(class->type, spec, len)) {
            int error = class->open(colon ? colon + 1 : NULL, options, hwp,
                                    errp);
            if (!error) {
                (*hwp)->class = class;
            }
            return error;
        }
    }
    *errp = xasprintf("--hw: unknown hardware back end \"%s\" (expected "
                      "\"linux\" or \"fake:FILE\")", spec);
    return EINVAL;
}

void
hw_close(struct hw *hw)
{
    if (hw) {
        hw->class->close(hw);
    }
}

bool
hw_run(struct hw *hw)
{
    return hw->class->run(hw);
}

void
hw_wait(struct hw *hw)
{
    hw->class->wait(hw);
}

int
hw_observe(struct hw *hw, struct hw_snapshot *snap, char **errp)
{
    *errp = NULL;
    hw_snapshot_destroy(snap);
    hw_snapshot_init(snap);
    return hw->class->observe(hw, snap, errp);
}

int
hw_set_eswitch_mode(struct hw *hw, const char *bus, const char *dev,
                    const char *mode, char **errp)
{
    *errp = NULL;
    return hw->class->set_eswitch_mode(hw, bus, dev, mode, errp);
}

int
hw_set_num_vfs(struct hw *hw, const char *bus, const char *dev, int n,
               char **errp)
{
    *errp = NULL;
    return hw->class->set_num_vfs(hw, bus, dev, n, errp);
}

int
hw_get_channels(struct hw *hw, const char *ifname, struct hw_channels *ch,
                char **errp)
{
    *errp = NULL;
    return hw->class->get_channels(hw, ifname, ch, errp);
}

int
hw_set_channels(struct hw *hw, const char *ifname, unsigned int combined,
                char **errp)
{
    *errp = NULL;
    return hw->class->set_channels(hw, ifname, combined, errp);
}

int
hw_set_mtu(struct hw *hw, const char *ifname, unsigned int mtu, char **errp)
{
    *errp = NULL;
    return hw->class->set_mtu(hw, ifname, mtu, errp);
}

int
hw_set_up(struct hw *hw, const char *ifname, bool up, char **errp)
{
    *errp = NULL;
    return hw->class->set_up(hw, ifname, up, errp);
}

int
hw_create_bond(struct hw *hw, const char *name, const char *mode,
               unsigned int miimon, char **errp)
{
    *errp = NULL;
    return hw->class->create_bond(hw, name, mode, miimon, errp);
}

int
hw_set_master(struct hw *hw, const char *ifname, const char *master,
              char **errp)
{
    *errp = NULL;
    return hw->class->set_master(hw, ifname, master, errp);
}

int
hw_delete_link(struct hw *hw, const char *ifname, char **errp)
{
    *errp = NULL;
    return hw->class->delete_link(hw, ifname, errp);
}

int
hw_release_dp_port(struct hw *hw, const char *datapath, const char *ifname,
                   char **errp)
{
    *errp = NULL;
    return hw->class->release_dp_port(hw, datapath, ifname, errp);
}

/* Issue 13 (vdpa). */

int
hw_create_vdpa(struct hw *hw, const char *name, const char *mgmtdev,
               const char *mac, unsigned int max_vqp, char **errp)
{
    *errp = NULL;
    if (!hw->class->create_vdpa) {
        *errp = xasprintf("vdpa device %s: vDPA is not supported by the %s "
                          "back end", name, hw->class->type);
        return EOPNOTSUPP;
    }
    return hw->class->create_vdpa(hw, name, mgmtdev, mac, max_vqp, errp);
}

int
hw_delete_vdpa(struct hw *hw, const char *name, char **errp)
{
    *errp = NULL;
    if (!hw->class->delete_vdpa) {
        *errp = xasprintf("vdpa device %s: vDPA is not supported by the %s "
                          "back end", name, hw->class->type);
        return EOPNOTSUPP;
    }
    return hw->class->delete_vdpa(hw, name, errp);
}

/* Issue 11 (ctrl) operations. */

int
hw_set_feature(struct hw *hw, const char *ifname, const char *feature,
               bool on, char **errp)
{
    *errp = NULL;
    return hw->class->set_feature(hw, ifname, feature, on, errp);
}

int
hw_set_autoprobe(struct hw *hw, const char *bus, const char *dev, bool on,
                 char **errp)
{
    *errp = NULL;
    return hw->class->set_autoprobe(hw, bus, dev, on, errp);
}

int
hw_bind_vf(struct hw *hw, const char *bus, const char *dev,
           const char *vf_pci, const char *driver, char **errp)
{
    *errp = NULL;
    return hw->class->bind_vf(hw, bus, dev, vf_pci, driver, errp);
}

const struct hw_vf *
hw_device_find_vf(const struct hw_device *dev, int vfnum)
{
    for (size_t i = 0; i < dev->ctrl.n_vfs; i++) {
        if (dev->ctrl.vfs[i].vfnum == vfnum) {
            return &dev->ctrl.vfs[i];
        }
    }
    return NULL;
}

/* Snapshots. */

void
hw_snapshot_init(struct hw_snapshot *snap)
{
    shash_init(&snap->links);
    shash_init(&snap->devices);
    shash_init(&snap->vdpas);
    snap->incomplete = NULL;
    snap->n_requests = 0;
    snap->full_dump = false;
}

/* Marks 'snap' incomplete; the first reason is kept. */
void
hw_snapshot_set_incomplete(struct hw_snapshot *snap, const char *format, ...)
{
    if (!snap->incomplete) {
        va_list args;

        va_start(args, format);
        snap->incomplete = xvasprintf(format, args);
        va_end(args);
    }
}

static void
hw_link_destroy(struct hw_link *link)
{
    free(link->name);
    free(link->kind);
    free(link->master);
    free(link->phys_port_name);
    free(link->phys_switch_id);
    free(link->bus);
    free(link->dev);
    free(link->driver);
    free(link->ctrl.bond_mode);
    hw_link_vfs_destroy(&link->vfs);
    free(link);
}

static void
hw_device_destroy(struct hw_device *dev)
{
    free(dev->bus);
    free(dev->name);
    free(dev->driver);
    free(dev->fw_version);
    free(dev->eswitch_mode);
    free(dev->lag_state);
    for (size_t i = 0; i < dev->n_ports; i++) {
        free(dev->ports[i].netdev);
    }
    free(dev->ports);
    for (size_t i = 0; i < dev->ctrl.n_vfs; i++) {
        free(dev->ctrl.vfs[i].pci);
        free(dev->ctrl.vfs[i].driver);
        free(dev->ctrl.vfs[i].driver_override);
    }
    free(dev->ctrl.vfs);
    free(dev);
}

void
hw_snapshot_destroy(struct hw_snapshot *snap)
{
    if (snap) {
        struct shash_node *node;

        SHASH_FOR_EACH (node, &snap->links) {
            hw_link_destroy(node->data);
        }
        shash_destroy(&snap->links);
        SHASH_FOR_EACH (node, &snap->devices) {
            hw_device_destroy(node->data);
        }
        shash_destroy(&snap->devices);
        SHASH_FOR_EACH (node, &snap->vdpas) {
            struct hw_vdpa *v = node->data;

            free(v->name);
            free(v->mgmtdev);
            free(v->vhost);
            free(v);
        }
        shash_destroy(&snap->vdpas);
        free(snap->incomplete);
        snap->incomplete = NULL;
    }
}

/* Returns the vDPA device named 'name' in 'snap', adding an empty one if
 * there is none. */
struct hw_vdpa *
hw_snapshot_add_vdpa(struct hw_snapshot *snap, const char *name)
{
    struct hw_vdpa *v = shash_find_data(&snap->vdpas, name);

    if (!v) {
        v = xzalloc(sizeof *v);
        v->name = xstrdup(name);
        shash_add(&snap->vdpas, name, v);
    }
    return v;
}

const struct hw_vdpa *
hw_snapshot_find_vdpa(const struct hw_snapshot *snap, const char *name)
{
    return shash_find_data(&snap->vdpas, name);
}

/* Returns the link named 'name' in 'snap', adding an empty one (kind "")
 * if there is none. */
struct hw_link *
hw_snapshot_add_link(struct hw_snapshot *snap, const char *name)
{
    struct hw_link *link = shash_find_data(&snap->links, name);

    if (!link) {
        link = xzalloc(sizeof *link);
        link->name = xstrdup(name);
        link->kind = xstrdup("");
        link->settled = true;
        shash_add(&snap->links, name, link);
    }
    return link;
}

struct hw_device *
hw_snapshot_add_device(struct hw_snapshot *snap, const char *bus,
                       const char *name)
{
    char *key = xasprintf("%s/%s", bus, name);
    struct hw_device *dev = shash_find_data(&snap->devices, key);

    if (!dev) {
        dev = xzalloc(sizeof *dev);
        dev->bus = xstrdup(bus);
        dev->name = xstrdup(name);
        dev->total_vfs = -1;
        dev->num_vfs = -1;
        dev->ctrl.autoprobe = -1;
        shash_add_nocopy(&snap->devices, key, dev);
    } else {
        free(key);
    }
    return dev;
}

const struct hw_device *
hw_snapshot_find_device(const struct hw_snapshot *snap, const char *bus,
                        const char *name)
{
    char *key = xasprintf("%s/%s", bus, name);
    const struct hw_device *dev = shash_find_data(&snap->devices, key);

    free(key);
    return dev;
}

const struct hw_link *
hw_snapshot_find_link(const struct hw_snapshot *snap, const char *name)
{
    return shash_find_data(&snap->links, name);
}

void
hw_snapshot_clone(struct hw_snapshot *dst, const struct hw_snapshot *src)
{
    struct shash_node *node;

    hw_snapshot_init(dst);
    dst->incomplete = nullable_xstrdup(src->incomplete);
    SHASH_FOR_EACH (node, &src->links) {
        const struct hw_link *s = node->data;
        struct hw_link *d = hw_snapshot_add_link(dst, s->name);

        free(d->kind);
        d->kind = xstrdup(s->kind);
        d->ifindex = s->ifindex;
        d->master = nullable_xstrdup(s->master);
        d->mtu = s->mtu;
        d->admin_up = s->admin_up;
        d->oper_up = s->oper_up;
        d->phys_port_name = nullable_xstrdup(s->phys_port_name);
        d->phys_switch_id = nullable_xstrdup(s->phys_switch_id);
        d->bus = nullable_xstrdup(s->bus);
        d->dev = nullable_xstrdup(s->dev);
        d->driver = nullable_xstrdup(s->driver);
        d->hw_tc_offload = s->hw_tc_offload;
        d->has_channels = s->has_channels;
        d->channels = s->channels;
        d->ctrl.bond_mode = nullable_xstrdup(s->ctrl.bond_mode);
        d->settled = s->settled;
        hw_link_vfs_clone(&d->vfs, &s->vfs);
    }
    SHASH_FOR_EACH (node, &src->devices) {
        const struct hw_device *s = node->data;
        struct hw_device *d = hw_snapshot_add_device(dst, s->bus, s->name);

        d->driver = nullable_xstrdup(s->driver);
        d->fw_version = nullable_xstrdup(s->fw_version);
        d->eswitch_mode = nullable_xstrdup(s->eswitch_mode);
        d->total_vfs = s->total_vfs;
        d->num_vfs = s->num_vfs;
        d->lag_state = nullable_xstrdup(s->lag_state);
        d->n_ports = s->n_ports;
        d->ports = xmemdup(s->ports, s->n_ports * sizeof *s->ports);
        for (size_t i = 0; i < s->n_ports; i++) {
            d->ports[i].netdev = nullable_xstrdup(s->ports[i].netdev);
        }
        d->ctrl.autoprobe = s->ctrl.autoprobe;
        d->ctrl.n_vfs = s->ctrl.n_vfs;
        d->ctrl.vfs = xmemdup(s->ctrl.vfs,
                              s->ctrl.n_vfs * sizeof *s->ctrl.vfs);
        for (size_t i = 0; i < s->ctrl.n_vfs; i++) {
            struct hw_vf *vf = &d->ctrl.vfs[i];
            vf->pci = nullable_xstrdup(vf->pci);
            vf->driver = nullable_xstrdup(vf->driver);
            vf->driver_override = nullable_xstrdup(vf->driver_override);
        }
    }
    SHASH_FOR_EACH (node, &src->vdpas) {
        const struct hw_vdpa *s = node->data;
        struct hw_vdpa *d = hw_snapshot_add_vdpa(dst, s->name);

        d->mgmtdev = nullable_xstrdup(s->mgmtdev);
        memcpy(d->mac, s->mac, sizeof d->mac);
        d->max_vqp = s->max_vqp;
        d->vhost = nullable_xstrdup(s->vhost);
    }
}

const char *
hw_port_flavour_to_string(enum hw_port_flavour flavour)
{
    switch (flavour) {
    case HW_PORT_PHYSICAL:
        return "physical";
    case HW_PORT_PCI_PF:
        return "pcipf";
    case HW_PORT_PCI_VF:
        return "pcivf";
    case HW_PORT_PCI_SF:
        return "pcisf";
    case HW_PORT_OTHER:
    default:
        return "other";
    }
}

static int
hw_port_compare(const void *a_, const void *b_)
{
    const struct hw_port *a = a_;
    const struct hw_port *b = b_;

    return a->index < b->index ? -1 : a->index > b->index;
}

/* Appends to 'out' a deterministic rendering of 'snap' (sorted by name),
 * one object per line. */
void
hw_snapshot_format(const struct hw_snapshot *snap, struct ds *out)
{
    const struct shash_node **nodes = shash_sort(&snap->devices);
    size_t n = shash_count(&snap->devices);

    if (snap->incomplete) {
        ds_put_format(out, "incomplete: %s\n", snap->incomplete);
    }

    for (size_t i = 0; i < n; i++) {
        const struct hw_device *d = nodes[i]->data;

        ds_put_format(out, "device %s/%s driver=%s fw=%s eswitch=%s "
                      "vfs=%d/%d lag=%s\n", d->bus, d->name,
                      d->driver ? d->driver : "-",
                      d->fw_version ? d->fw_version : "-",
                      d->eswitch_mode ? d->eswitch_mode : "-",
                      d->num_vfs, d->total_vfs,
                      d->lag_state ? d->lag_state : "-");
        struct hw_port *ports = xmemdup(d->ports,
                                        d->n_ports * sizeof *d->ports);
        qsort(ports, d->n_ports, sizeof *ports, hw_port_compare);
        for (size_t j = 0; j < d->n_ports; j++) {
            const struct hw_port *p = &ports[j];
            ds_put_format(out, "    port %u %s ", p->index,
                          hw_port_flavour_to_string(p->flavour));
            if (p->controller || p->external) {
                ds_put_format(out, "controller=%u%s ", p->controller,
                              p->external ? " external" : "");
            }
            ds_put_format(out, "pf=%d vf=%d netdev=%s\n", p->pfnum,
                          p->vfnum, p->netdev ? p->netdev : "-");
        }
        free(ports);
        if (d->ctrl.autoprobe >= 0) {
            ds_put_format(out, "    autoprobe %d\n", d->ctrl.autoprobe);
        }
        for (size_t j = 0; j < d->ctrl.n_vfs; j++) {
            const struct hw_vf *vf = &d->ctrl.vfs[j];
            ds_put_format(out, "    vf %d %s driver=%s", vf->vfnum,
                          vf->pci ? vf->pci : "-",
                          vf->driver ? vf->driver : "-");
            if (vf->driver_override) {
                ds_put_format(out, " override=%s", vf->driver_override);
            }
            ds_put_char(out, '\n');
        }
    }
    free(nodes);

    nodes = shash_sort(&snap->links);
    n = shash_count(&snap->links);
    for (size_t i = 0; i < n; i++) {
        const struct hw_link *l = nodes[i]->data;

        ds_put_format(out, "link %s kind=%s mtu=%u %s%s", l->name,
                      l->kind[0] ? l->kind : "-", l->mtu,
                      l->admin_up ? "up" : "down",
                      l->oper_up ? ",running" : "");
        if (l->master) {
            ds_put_format(out, " master=%s", l->master);
        }
        if (l->ctrl.bond_mode) {
            ds_put_format(out, " mode=%s", l->ctrl.bond_mode);
        }
        if (l->phys_port_name) {
            ds_put_format(out, " port=%s", l->phys_port_name);
        }
        if (l->phys_switch_id) {
            ds_put_format(out, " switch=%s", l->phys_switch_id);
        }
        if (l->bus) {
            ds_put_format(out, " dev=%s/%s", l->bus, l->dev ? l->dev : "-");
        }
        if (l->has_channels) {
            ds_put_format(out, " channels=%u/%u", l->channels.combined,
                          l->channels.max_combined);
        }
        if (l->hw_tc_offload) {
            ds_put_cstr(out, " hw-tc-offload");
        }
        if (!l->settled) {
            ds_put_cstr(out, " unsettled");
        }
        ds_put_char(out, '\n');
        /* Issue 13: VFs whose settings are not all zero or off. */
        for (size_t j = 0; j < l->vfs.n; j++) {
            const struct hw_vf_config *c = &l->vfs.configs[j];
            if ((!c->mac[0] || !strcmp(c->mac, "00:00:00:00:00:00"))
                && !c->vlan && c->spoofchk <= 0 && c->trust <= 0
                && c->link_state <= 0) {
                continue;
            }
            ds_put_cstr(out, "    ");
            hw_vf_config_format(&l->vfs.configs[j], out);
            ds_put_char(out, '\n');
        }
    }
    free(nodes);

    /* Issue 13 (vdpa). */
    nodes = shash_sort(&snap->vdpas);
    n = shash_count(&snap->vdpas);
    for (size_t i = 0; i < n; i++) {
        const struct hw_vdpa *v = nodes[i]->data;

        ds_put_format(out, "vdpa %s mgmtdev=%s mac=%s max_vqp=%u vhost=%s\n",
                      v->name, v->mgmtdev ? v->mgmtdev : "-",
                      v->mac[0] ? v->mac : "-", v->max_vqp,
                      v->vhost ? v->vhost : "-");
    }
    free(nodes);
}
