/*
 * ovsview: value snapshot of the Open_vSwitch database's bridges, ports
 * and interfaces.  See ovsview.h.
 */
#include <config.h>

#include "ovsview.h"

#include "openvswitch/dynamic-string.h"
#include "ovsdb-idl.h"
#include "sort.h"
#include "util.h"
#include "lib/vswitch-idl.h"

void
ovsview_init(struct ovsview *view)
{
    view->connected = false;
    smap_init(&view->other_config);
    smap_init(&view->external_ids);
    shash_init(&view->bridges);
}

static void
ovsview_iface_destroy(struct ovsview_iface *iface)
{
    free(iface->name);
    free(iface->type);
    smap_destroy(&iface->options);
    smap_destroy(&iface->external_ids);
    free(iface->error);
    free(iface);
}

static void
ovsview_port_destroy(struct ovsview_port *port)
{
    struct shash_node *node;

    SHASH_FOR_EACH (node, &port->ifaces) {
        ovsview_iface_destroy(node->data);
    }
    shash_destroy(&port->ifaces);
    smap_destroy(&port->external_ids);
    free(port->name);
    free(port);
}

static void
ovsview_bridge_destroy(struct ovsview_bridge *br)
{
    struct shash_node *node;

    SHASH_FOR_EACH (node, &br->ports) {
        ovsview_port_destroy(node->data);
    }
    shash_destroy(&br->ports);
    smap_destroy(&br->external_ids);
    free(br->name);
    free(br);
}

void
ovsview_destroy(struct ovsview *view)
{
    if (view) {
        struct shash_node *node;

        SHASH_FOR_EACH (node, &view->bridges) {
            ovsview_bridge_destroy(node->data);
        }
        shash_destroy(&view->bridges);
        smap_destroy(&view->other_config);
        smap_destroy(&view->external_ids);
    }
}

struct ovsview_bridge *
ovsview_add_bridge(struct ovsview *view, const char *name)
{
    struct ovsview_bridge *br = xzalloc(sizeof *br);

    br->name = xstrdup(name);
    smap_init(&br->external_ids);
    shash_init(&br->ports);
    if (!shash_add_once(&view->bridges, name, br)) {
        ovsview_bridge_destroy(br);
        br = shash_find_data(&view->bridges, name);
    }
    return br;
}

struct ovsview_port *
ovsview_add_port(struct ovsview_bridge *br, const char *name, bool owned)
{
    struct ovsview_port *port = xzalloc(sizeof *port);

    port->name = xstrdup(name);
    port->owned = owned;
    smap_init(&port->external_ids);
    shash_init(&port->ifaces);
    if (!shash_add_once(&br->ports, name, port)) {
        ovsview_port_destroy(port);
        port = shash_find_data(&br->ports, name);
    }
    return port;
}

/* Removes port 'name', if any, from 'br' and frees it. */
void
ovsview_del_port(struct ovsview_bridge *br, const char *name)
{
    struct ovsview_port *port = shash_find_and_delete(&br->ports, name);

    if (port) {
        ovsview_port_destroy(port);
    }
}

struct ovsview_iface *
ovsview_add_iface(struct ovsview_port *port, const char *name,
                  const char *type)
{
    struct ovsview_iface *iface = xzalloc(sizeof *iface);

    iface->name = xstrdup(name);
    iface->type = xstrdup(type ? type : "");
    smap_init(&iface->options);
    smap_init(&iface->external_ids);
    iface->ofport = -1;
    if (!shash_add_once(&port->ifaces, name, iface)) {
        ovsview_iface_destroy(iface);
        iface = shash_find_data(&port->ifaces, name);
    }
    return iface;
}

const struct ovsview_port *
ovsview_find_port(const struct ovsview *view, const char *port_name,
                  const char **bridge_name)
{
    struct shash_node *node;

    SHASH_FOR_EACH (node, &view->bridges) {
        const struct ovsview_bridge *br = node->data;
        const struct ovsview_port *port = shash_find_data(&br->ports,
                                                          port_name);
        if (port) {
            if (bridge_name) {
                *bridge_name = br->name;
            }
            return port;
        }
    }
    return NULL;
}

void
ovsview_clone(struct ovsview *dst, const struct ovsview *src)
{
    struct shash_node *bn;

    ovsview_init(dst);
    dst->connected = src->connected;
    smap_clone(&dst->other_config, &src->other_config);
    smap_clone(&dst->external_ids, &src->external_ids);
    SHASH_FOR_EACH (bn, &src->bridges) {
        const struct ovsview_bridge *sbr = bn->data;
        struct ovsview_bridge *dbr = ovsview_add_bridge(dst, sbr->name);
        struct shash_node *pn;

        smap_clone(&dbr->external_ids, &sbr->external_ids);
        SHASH_FOR_EACH (pn, &sbr->ports) {
            const struct ovsview_port *sp = pn->data;
            struct ovsview_port *dp = ovsview_add_port(dbr, sp->name,
                                                       sp->owned);
            struct shash_node *in;

            smap_clone(&dp->external_ids, &sp->external_ids);
            SHASH_FOR_EACH (in, &sp->ifaces) {
                const struct ovsview_iface *si = in->data;
                struct ovsview_iface *di = ovsview_add_iface(dp, si->name,
                                                             si->type);
                smap_clone(&di->options, &si->options);
                smap_clone(&di->external_ids, &si->external_ids);
                di->ofport = si->ofport;
                di->mtu = si->mtu;
                di->mtu_request = si->mtu_request;
                di->error = nullable_xstrdup(si->error);
            }
        }
    }
}

static bool
ovsview_is_owned(const struct smap *external_ids)
{
    const char *owner = smap_get(external_ids, OVSVIEW_OWNER_KEY);
    return owner && !strcmp(owner, OVSVIEW_OWNER_VALUE);
}

/* Registers with 'idl' the tables and columns ovsview_build() reads, so that
 * the IDL monitors nothing else. */
void
ovsview_register(struct ovsdb_idl *idl)
{
    ovsdb_idl_add_table(idl, &ovsrec_table_open_vswitch);
    ovsdb_idl_add_column(idl, &ovsrec_open_vswitch_col_bridges);
    ovsdb_idl_add_column(idl, &ovsrec_open_vswitch_col_other_config);
    ovsdb_idl_add_column(idl, &ovsrec_open_vswitch_col_external_ids);

    ovsdb_idl_add_table(idl, &ovsrec_table_bridge);
    ovsdb_idl_add_column(idl, &ovsrec_bridge_col_name);
    ovsdb_idl_add_column(idl, &ovsrec_bridge_col_ports);
    ovsdb_idl_add_column(idl, &ovsrec_bridge_col_external_ids);

    ovsdb_idl_add_table(idl, &ovsrec_table_port);
    ovsdb_idl_add_column(idl, &ovsrec_port_col_name);
    ovsdb_idl_add_column(idl, &ovsrec_port_col_interfaces);
    ovsdb_idl_add_column(idl, &ovsrec_port_col_external_ids);

    ovsdb_idl_add_table(idl, &ovsrec_table_interface);
    ovsdb_idl_add_column(idl, &ovsrec_interface_col_name);
    ovsdb_idl_add_column(idl, &ovsrec_interface_col_type);
    ovsdb_idl_add_column(idl, &ovsrec_interface_col_options);
    ovsdb_idl_add_column(idl, &ovsrec_interface_col_external_ids);
    ovsdb_idl_add_column(idl, &ovsrec_interface_col_ofport);
    ovsdb_idl_add_column(idl, &ovsrec_interface_col_ofport_request);
    ovsdb_idl_add_column(idl, &ovsrec_interface_col_mtu);
    ovsdb_idl_add_column(idl, &ovsrec_interface_col_mtu_request);
    ovsdb_idl_add_column(idl, &ovsrec_interface_col_error);
}

/* Replaces the contents of 'view' by what 'idl' holds now. */
void
ovsview_build(struct ovsview *view, const struct ovsdb_idl *idl)
{
    const struct ovsrec_open_vswitch *ovs;
    const struct ovsrec_bridge *bridge;

    ovsview_destroy(view);
    ovsview_init(view);
    view->connected = ovsdb_idl_is_connected(idl)
                      && ovsdb_idl_has_ever_connected(idl);

    ovs = ovsrec_open_vswitch_first(idl);
    if (ovs) {
        smap_clone(&view->other_config, &ovs->other_config);
        smap_clone(&view->external_ids, &ovs->external_ids);
    }

    OVSREC_BRIDGE_FOR_EACH (bridge, idl) {
        struct ovsview_bridge *br = ovsview_add_bridge(view, bridge->name);

        smap_clone(&br->external_ids, &bridge->external_ids);
        for (size_t i = 0; i < bridge->n_ports; i++) {
            const struct ovsrec_port *p = bridge->ports[i];
            struct ovsview_port *port;

            port = ovsview_add_port(br, p->name,
                                    ovsview_is_owned(&p->external_ids));
            smap_clone(&port->external_ids, &p->external_ids);
            for (size_t j = 0; j < p->n_interfaces; j++) {
                const struct ovsrec_interface *ifc = p->interfaces[j];
                struct ovsview_iface *iface;

                iface = ovsview_add_iface(port, ifc->name, ifc->type);
                smap_clone(&iface->options, &ifc->options);
                smap_clone(&iface->external_ids, &ifc->external_ids);
                iface->ofport = ifc->n_ofport ? ifc->ofport[0] : -1;
                iface->mtu = ifc->n_mtu ? ifc->mtu[0] : 0;
                iface->mtu_request = (ifc->n_mtu_request
                                      ? ifc->mtu_request[0] : 0);
                iface->error = nullable_xstrdup(ifc->error);
            }
        }
    }
}

/* Appends to 'changes' one line for each bridge or port that is in one of
 * 'old' and 'new' but not the other, in sorted order. */
void
ovsview_diff(const struct ovsview *old, const struct ovsview *new,
             struct ds *changes)
{
    const struct shash_node **nodes;
    size_t n;

    nodes = shash_sort(&old->bridges);
    n = shash_count(&old->bridges);
    for (size_t i = 0; i < n; i++) {
        if (!shash_find(&new->bridges, nodes[i]->name)) {
            ds_put_format(changes, "bridge %s removed\n", nodes[i]->name);
        }
    }
    free(nodes);

    nodes = shash_sort(&new->bridges);
    n = shash_count(&new->bridges);
    for (size_t i = 0; i < n; i++) {
        const struct ovsview_bridge *nbr = nodes[i]->data;
        const struct ovsview_bridge *obr = shash_find_data(&old->bridges,
                                                           nbr->name);
        const struct shash_node **ports;
        size_t n_ports;

        if (!obr) {
            ds_put_format(changes, "bridge %s added\n", nbr->name);
        } else {
            ports = shash_sort(&obr->ports);
            n_ports = shash_count(&obr->ports);
            for (size_t j = 0; j < n_ports; j++) {
                if (!shash_find(&nbr->ports, ports[j]->name)) {
                    ds_put_format(changes, "port %s removed from bridge %s\n",
                                  ports[j]->name, nbr->name);
                }
            }
            free(ports);
        }

        ports = shash_sort(&nbr->ports);
        n_ports = shash_count(&nbr->ports);
        for (size_t j = 0; j < n_ports; j++) {
            if (!obr || !shash_find(&obr->ports, ports[j]->name)) {
                ds_put_format(changes, "port %s added to bridge %s\n",
                              ports[j]->name, nbr->name);
            }
        }
        free(ports);
    }
    free(nodes);
}

/* Appends a human-readable rendering of 'view' to 'out', sorted by name. */
void
ovsview_format(const struct ovsview *view, struct ds *out)
{
    const struct shash_node **bridges = shash_sort(&view->bridges);
    size_t n = shash_count(&view->bridges);

    ds_put_format(out, "Open_vSwitch database: %s\n",
                  view->connected ? "connected" : "not connected");
    for (size_t i = 0; i < n; i++) {
        const struct ovsview_bridge *br = bridges[i]->data;
        const struct shash_node **ports = shash_sort(&br->ports);
        size_t n_ports = shash_count(&br->ports);
        const char *uplinks = smap_get(&br->external_ids, "offload-uplinks");

        ds_put_format(out, "bridge %s%s\n", br->name,
                      uplinks ? " (managed)" : "");
        for (size_t j = 0; j < n_ports; j++) {
            const struct ovsview_port *port = ports[j]->data;
            const struct shash_node **ifaces = shash_sort(&port->ifaces);
            size_t n_ifaces = shash_count(&port->ifaces);

            ds_put_format(out, "    port %s%s\n", port->name,
                          port->owned ? " (owned)" : "");
            for (size_t k = 0; k < n_ifaces; k++) {
                const struct ovsview_iface *iface = ifaces[k]->data;

                ds_put_format(out, "        interface %s", iface->name);
                if (iface->type[0]) {
                    ds_put_format(out, " type=%s", iface->type);
                }
                if (iface->ofport >= 0) {
                    ds_put_format(out, " ofport=%"PRId64, iface->ofport);
                }
                if (iface->mtu) {
                    ds_put_format(out, " mtu=%"PRId64, iface->mtu);
                }
                if (iface->error) {
                    ds_put_format(out, " error=\"%s\"", iface->error);
                }
                ds_put_char(out, '\n');
            }
            free(ifaces);
        }
        free(ports);
    }
    free(bridges);
}
