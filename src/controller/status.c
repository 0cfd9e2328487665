/*
 * status: writes the daemon's observed state into the OVS_Offload database.
 * See status.h.
 */
#include <config.h>

#include "status.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "apply.h"
#include "openvswitch/dynamic-string.h"
#include "ovsdb-idl.h"
#include "plan.h"
#include "util.h"
#include "offload-idl.h"

void
status_init(struct status *st)
{
    smap_init(&st->daemon);
    st->ovs_connected = false;
    smap_init(&st->hw_offload);
    shash_init(&st->bridges);
}

static void
status_bridge_destroy(struct status_bridge *br)
{
    free(br->name);
    free(br->step);
    free(br->error);
    sset_destroy(&br->warnings);
    smap_destroy(&br->intent);
    smap_destroy(&br->ports);
    smap_destroy(&br->rep_ports);
    free(br);
}

void
status_destroy(struct status *st)
{
    if (st) {
        struct shash_node *node;

        SHASH_FOR_EACH (node, &st->bridges) {
            status_bridge_destroy(node->data);
        }
        shash_destroy(&st->bridges);
        smap_destroy(&st->daemon);
        smap_destroy(&st->hw_offload);
    }
}

struct status_bridge *
status_add_bridge(struct status *st, const char *name)
{
    struct status_bridge *br = shash_find_data(&st->bridges, name);

    if (!br) {
        br = xzalloc(sizeof *br);
        br->name = xstrdup(name);
        br->state = "unmanaged";
        br->step = xstrdup("");
        sset_init(&br->warnings);
        smap_init(&br->intent);
        smap_init(&br->ports);
        smap_init(&br->rep_ports);
        shash_add(&st->bridges, name, br);
    }
    return br;
}

void
status_register(struct ovsdb_idl *idl)
{
    /* The daemon owns the whole OVS_Offload database and writes every
     * column of it; it must not be alerted by its own writes. */
    ovsdb_idl_omit_alert(idl, &offrec_global_col_daemon);
    ovsdb_idl_omit_alert(idl, &offrec_global_col_ovs_connected);
    ovsdb_idl_omit_alert(idl, &offrec_global_col_hw_offload);
    ovsdb_idl_omit_alert(idl, &offrec_bridge_col_updated);
}

static bool
str_eq(const char *a, const char *b)
{
    return a == b || (a && b && !strcmp(a, b));
}

static bool
sset_eq_array(const struct sset *set, char **array, size_t n)
{
    if (sset_count(set) != n) {
        return false;
    }
    for (size_t i = 0; i < n; i++) {
        if (!sset_contains(set, array[i])) {
            return false;
        }
    }
    return true;
}

static void
status_publish_bridge(const struct status_bridge *br,
                      const struct offrec_bridge *row,
                      struct ovsdb_idl_txn *txn, long long int now_ms)
{
    bool changed = false;

    if (!row) {
        row = offrec_bridge_insert(txn);
        offrec_bridge_set_name(row, br->name);
        changed = true;
    }
    if (row->managed != br->managed) {
        offrec_bridge_set_managed(row, br->managed);
        changed = true;
    }
    if (!str_eq(row->state, br->state)) {
        offrec_bridge_set_state(row, br->state);
        changed = true;
    }
    if (!str_eq(row->step, br->step)) {
        offrec_bridge_set_step(row, br->step);
        changed = true;
    }
    if (!str_eq(row->error, br->error)) {
        offrec_bridge_set_error(row, br->error);
        changed = true;
    }
    if (!sset_eq_array(&br->warnings, row->warnings, row->n_warnings)) {
        const char **w = sset_array(&br->warnings);
        offrec_bridge_set_warnings(row, w, sset_count(&br->warnings));
        free(w);
        changed = true;
    }
    if (!smap_equal(&row->intent, &br->intent)) {
        offrec_bridge_set_intent(row, &br->intent);
        changed = true;
    }
    if (!smap_equal(&row->ports, &br->ports)) {
        offrec_bridge_set_ports(row, &br->ports);
        changed = true;
    }
    if (!smap_equal(&row->rep_ports, &br->rep_ports)) {
        offrec_bridge_set_rep_ports(row, &br->rep_ports);
        changed = true;
    }
    if (changed) {
        offrec_bridge_set_updated(row, now_ms);
    }
}

/* Makes the OVS_Offload database in 'idl' reflect 'st', within 'txn'. */
void
status_publish(const struct status *st, struct ovsdb_idl *idl,
               struct ovsdb_idl_txn *txn, long long int now_ms)
{
    const struct offrec_global *global = offrec_global_first(idl);
    const struct offrec_bridge *row;
    struct shash seen = SHASH_INITIALIZER(&seen);

    if (!global) {
        global = offrec_global_insert(txn);
    }
    if (!smap_equal(&global->daemon, &st->daemon)) {
        offrec_global_set_daemon(global, &st->daemon);
    }
    if (global->ovs_connected != st->ovs_connected) {
        offrec_global_set_ovs_connected(global, st->ovs_connected);
    }
    if (!smap_equal(&global->hw_offload, &st->hw_offload)) {
        offrec_global_set_hw_offload(global, &st->hw_offload);
    }

    OFFREC_BRIDGE_FOR_EACH_SAFE (row, idl) {
        const struct status_bridge *br = shash_find_data(&st->bridges,
                                                         row->name);
        if (!br || !shash_add_once(&seen, row->name, row)) {
            /* Gone, or a duplicate name. */
            offrec_bridge_delete(row);
        } else {
            status_publish_bridge(br, row, txn, now_ms);
        }
    }

    struct shash_node *node;
    SHASH_FOR_EACH (node, &st->bridges) {
        if (!shash_find(&seen, node->name)) {
            status_publish_bridge(node->data, NULL, txn, now_ms);
        }
    }
    shash_destroy(&seen);
}

/* Uplink, Bond, Representor, Tunnel and VF rows: one per object of the
 * plan's managed bridges, matched by name; rows of objects no longer
 * planned are deleted. */

static void
publish_uplink(const struct plan_object *o, const struct offrec_uplink *row,
               const struct apply *apply, const struct plan_memory *mem,
               const struct plan_bridge *pb, struct ovsdb_idl_txn *txn)
{
    const struct smap *times = shash_find_data(&apply->step_times, o->bridge);
    struct smap evidence = SMAP_INITIALIZER(&evidence);
    const char *channels = smap_get(&mem->channels, o->name);

    if (!channels) {
        channels = smap_get(&mem->channels_pending, o->name);
    }

    if (!row) {
        row = offrec_uplink_insert(txn);
        offrec_uplink_set_name(row, o->name);
    }
    if (!str_eq(row->bridge, o->bridge)) {
        offrec_uplink_set_bridge(row, o->bridge);
    }
    if (!str_eq(row->pci, o->parent)) {
        offrec_uplink_set_pci(row, o->parent);
    }
    if (!str_eq(row->state, o->state)) {
        offrec_uplink_set_state(row, o->state);
    }
    if (!str_eq(row->step, pb->step)) {
        offrec_uplink_set_step(row, pb->step);
    }
    if (!str_eq(row->error, o->error)) {
        offrec_uplink_set_error(row, o->error);
    }
    if (!smap_equal(&row->desired, &o->desired)) {
        offrec_uplink_set_desired(row, &o->desired);
    }
    if (!smap_equal(&row->observed, &o->observed)) {
        offrec_uplink_set_observed(row, &o->observed);
    }
    if (channels) {
        smap_add(&evidence, "channels_before", channels);
    }
    /* Issue 11 (ctrl): restored once, then the operator's; and the
     * sriov_drivers_autoprobe value to restore for this uplink's device. */
    const char *restored = smap_get(&mem->channels_restored, o->name);
    const char *device = smap_get(&o->observed, "device");
    const char *autoprobe = (device ? smap_get(&mem->autoprobe_before,
                                               device) : NULL);
    if (restored) {
        smap_add(&evidence, "channels_restored", restored);
    }
    if (autoprobe) {
        smap_add(&evidence, "autoprobe_before", autoprobe);
        smap_add(&evidence, "autoprobe_device", device);
    }
    if (!smap_equal(&row->evidence, &evidence)) {
        offrec_uplink_set_evidence(row, &evidence);
    }
    smap_destroy(&evidence);

    /* step_times is a string-to-integer map. */
    size_t n = times ? smap_count(times) : 0;
    const char **keys = xmalloc(MAX(n, 1) * sizeof *keys);
    int64_t *values = xmalloc(MAX(n, 1) * sizeof *values);
    bool same = n == row->n_step_times;
    struct smap_node *node;
    size_t i = 0;

    if (times) {
        SMAP_FOR_EACH (node, times) {
            keys[i] = node->key;
            values[i] = strtoll(node->value, NULL, 10);
            bool found = false;
            for (size_t j = 0; j < row->n_step_times; j++) {
                if (!strcmp(row->key_step_times[j], keys[i])
                    && row->value_step_times[j] == values[i]) {
                    found = true;
                }
            }
            same = same && found;
            i++;
        }
    }
    if (!same) {
        offrec_uplink_set_step_times(row, keys, values, n);
    }
    free(keys);
    free(values);
}

static void
publish_bond(const struct plan_object *o, const struct offrec_bond *row,
             const struct plan_bridge *pb, struct ovsdb_idl_txn *txn)
{
    const char *mode = smap_get_def(&o->desired, "mode", "");
    struct sset members = SSET_INITIALIZER(&members);
    struct shash_node *node;

    if (!row) {
        row = offrec_bond_insert(txn);
        offrec_bond_set_name(row, o->name);
    }
    if (!str_eq(row->bridge, o->bridge)) {
        offrec_bond_set_bridge(row, o->bridge);
    }
    if (!str_eq(row->mode, mode)) {
        offrec_bond_set_mode(row, mode);
    }
    SHASH_FOR_EACH (node, &pb->uplinks) {
        sset_add(&members, node->name);
    }
    if (!sset_eq_array(&members, row->members, row->n_members)) {
        const char **array = sset_array(&members);
        offrec_bond_set_members(row, array, sset_count(&members));
        free(array);
    }
    sset_destroy(&members);

    /* The LAG state of the bond's devices, from the uplinks. */
    const char *lag = NULL;
    SHASH_FOR_EACH (node, &pb->uplinks) {
        const struct plan_object *u = node->data;
        lag = lag ? lag : smap_get(&u->observed, "lag");
    }
    if (!str_eq(row->lag_state, lag)) {
        offrec_bond_set_lag_state(row, lag);
    }
    if (!str_eq(row->state, o->state)) {
        offrec_bond_set_state(row, o->state);
    }
    if (!str_eq(row->error, o->error)) {
        offrec_bond_set_error(row, o->error);
    }
    if (!smap_equal(&row->desired, &o->desired)) {
        offrec_bond_set_desired(row, &o->desired);
    }
    if (!smap_equal(&row->observed, &o->observed)) {
        offrec_bond_set_observed(row, &o->observed);
    }
}

static void
publish_rep(const struct plan_object *o, const struct offrec_representor *row,
            struct ovsdb_idl_txn *txn)
{
    const char *pf = o->parent ? o->parent : "";

    if (!row) {
        row = offrec_representor_insert(txn);
        offrec_representor_set_name(row, o->name);
    }
    if (!str_eq(row->bridge, o->bridge)) {
        offrec_representor_set_bridge(row, o->bridge);
    }
    if (!str_eq(row->pf, pf)) {
        offrec_representor_set_pf(row, pf);
    }
    if (row->vf != MAX(o->vf, 0)) {
        offrec_representor_set_vf(row, MAX(o->vf, 0));
    }
    if (!str_eq(row->state, o->state)) {
        offrec_representor_set_state(row, o->state);
    }
    if (!str_eq(row->error, o->error)) {
        offrec_representor_set_error(row, o->error);
    }
    if (!smap_equal(&row->observed, &o->observed)) {
        offrec_representor_set_observed(row, &o->observed);
    }
}

static void
publish_tunnel(const struct plan_object *o, const struct offrec_tunnel *row,
               struct ovsdb_idl_txn *txn)
{
    if (!row) {
        row = offrec_tunnel_insert(txn);
        offrec_tunnel_set_name(row, o->name);
        offrec_tunnel_set_type(row, "vxlan");
    }
    if (!str_eq(row->bridge, o->bridge)) {
        offrec_tunnel_set_bridge(row, o->bridge);
    }
    if (!smap_equal(&row->options, &o->desired)) {
        offrec_tunnel_set_options(row, &o->desired);
    }
    if (!str_eq(row->state, o->state)) {
        offrec_tunnel_set_state(row, o->state);
    }
    if (!str_eq(row->error, o->error)) {
        offrec_tunnel_set_error(row, o->error);
    }
}

/* Issue 13 (vf status): optional integer and boolean columns. */
static bool
opt_int_eq(const int64_t *have, size_t n, const int64_t *want, size_t n_want)
{
    return n == n_want && (!n || *have == *want);
}

static bool
opt_bool_eq(const bool *have, size_t n, const bool *want, size_t n_want)
{
    return n == n_want && (!n || *have == *want);
}

static const char *
vf_link_state_string(int link_state)
{
    switch (link_state) {
    case 0: return "auto";      /* IFLA_VF_LINK_STATE_AUTO. */
    case 1: return "enable";
    case 2: return "disable";
    default: return NULL;
    }
}

static const char *
vf_vlan_proto_string(int proto)
{
    return (proto == 0x8100 ? "802.1Q" : proto == 0x88a8 ? "802.1ad"
            : NULL);
}

/* One VF row: the values the kernel reports (those it does not report, or
 * reports out of the columns' ranges, are left empty), the plan's state,
 * and the failure of one of the VF's actions, which makes it "error". */
static void
publish_vf(const struct plan *plan, const struct plan_vf *pv,
           const struct apply *apply, const struct offrec_vf *row,
           struct ovsdb_idl_txn *txn)
{
    const struct hw_vf_config *c = pv->has_config ? &pv->config : NULL;
    const char *state = pv->state;
    const char *error = pv->error;

    for (size_t i = 0; i < pv->n_actions; i++) {
        const char *e = apply_action_error(apply,
                                           &plan->actions[pv->actions[i]]);
        if (e) {
            state = "error";
            error = e;
            break;
        }
    }

    if (!row) {
        row = offrec_vf_insert(txn);
        offrec_vf_set_name(row, pv->name);
    }
    if (!str_eq(row->bridge, pv->bridge)) {
        offrec_vf_set_bridge(row, pv->bridge);
    }
    if (!str_eq(row->label, pv->label)) {
        offrec_vf_set_label(row, pv->label);
    }
    if (!str_eq(row->pf, pv->pf)) {
        offrec_vf_set_pf(row, pv->pf);
    }
    if (row->vf != pv->vf) {
        offrec_vf_set_vf(row, pv->vf);
    }
    if (!str_eq(row->pci, pv->pci)) {
        offrec_vf_set_pci(row, pv->pci);
    }
    if (!str_eq(row->representor, pv->representor)) {
        offrec_vf_set_representor(row, pv->representor);
    }
    if (!str_eq(row->driver, pv->driver)) {
        offrec_vf_set_driver(row, pv->driver);
    }

    const char *mac = c && c->mac[0] ? c->mac : NULL;
    if (!str_eq(row->mac, mac)) {
        offrec_vf_set_mac(row, mac);
    }
    int64_t vlan = c ? c->vlan : -1;
    size_t n_vlan = vlan >= 0 && vlan <= 4095;
    if (!opt_int_eq(row->vlan, row->n_vlan, &vlan, n_vlan)) {
        offrec_vf_set_vlan(row, &vlan, n_vlan);
    }
    int64_t qos = c ? c->qos : -1;
    size_t n_qos = qos >= 0 && qos <= 7;
    if (!opt_int_eq(row->qos, row->n_qos, &qos, n_qos)) {
        offrec_vf_set_qos(row, &qos, n_qos);
    }
    const char *proto = c ? vf_vlan_proto_string(c->vlan_proto) : NULL;
    if (!str_eq(row->vlan_protocol, proto)) {
        offrec_vf_set_vlan_protocol(row, proto);
    }
    bool trust = c && c->trust > 0;
    size_t n_trust = c && c->trust >= 0;
    if (!opt_bool_eq(row->trust, row->n_trust, &trust, n_trust)) {
        offrec_vf_set_trust(row, &trust, n_trust);
    }
    bool spoofchk = c && c->spoofchk > 0;
    size_t n_spoofchk = c && c->spoofchk >= 0;
    if (!opt_bool_eq(row->spoofchk, row->n_spoofchk, &spoofchk,
                     n_spoofchk)) {
        offrec_vf_set_spoofchk(row, &spoofchk, n_spoofchk);
    }
    const char *link_state = c ? vf_link_state_string(c->link_state) : NULL;
    if (!str_eq(row->link_state, link_state)) {
        offrec_vf_set_link_state(row, link_state);
    }
    if (!str_eq(row->vdpa, pv->vdpa)) {
        offrec_vf_set_vdpa(row, pv->vdpa);
    }
    if (!str_eq(row->vhost, pv->vhost)) {
        offrec_vf_set_vhost(row, pv->vhost);
    }
    if (!str_eq(row->state, state)) {
        offrec_vf_set_state(row, state);
    }
    if (!str_eq(row->error, error)) {
        offrec_vf_set_error(row, error);
    }
}

/* Finds the object named 'name' among 'table' (an offsetof into struct
 * plan_bridge) of the plan's bridges, and its bridge. */
static const struct plan_object *
find_object(const struct plan *plan, size_t table, const char *name,
            const struct plan_bridge **pbp)
{
    struct shash_node *node;

    SHASH_FOR_EACH (node, &plan->bridges) {
        const struct plan_bridge *pb = node->data;
        const struct shash *objects = (const struct shash *)
                                      ((const char *) pb + table);
        const struct plan_object *o = shash_find_data(objects, name);
        if (o) {
            *pbp = pb;
            return o;
        }
    }
    return NULL;
}

/* Writes 'created' ("KEY=BRIDGE,...", sorted) into Global.external_ids
 * key 'key', if it differs; an empty map removes the key. */
static void
publish_created(const struct offrec_global *global, const char *key,
                const struct smap *created)
{
    const struct smap_node **nodes = smap_sort(created);
    struct ds list = DS_EMPTY_INITIALIZER;

    for (size_t i = 0; i < smap_count(created); i++) {
        ds_put_format(&list, "%s%s=%s", i ? "," : "", nodes[i]->key,
                      nodes[i]->value);
    }
    free(nodes);
    const char *old = smap_get(&global->external_ids, key);
    if (list.length && !str_eq(old, ds_cstr(&list))) {
        offrec_global_update_external_ids_setkey(global, key,
                                                 ds_cstr(&list));
    } else if (!list.length && old) {
        offrec_global_update_external_ids_delkey(global, key);
    }
    ds_destroy(&list);
}

/* Reads back what publish_created() wrote. */
static void
load_created(const struct offrec_global *global, const char *key,
             struct smap *created)
{
    const char *value = global ? smap_get(&global->external_ids, key) : NULL;

    if (value) {
        char *copy = xstrdup(value), *save = NULL;

        for (char *tok = strtok_r(copy, ",", &save); tok;
             tok = strtok_r(NULL, ",", &save)) {
            char *eq = strchr(tok, '=');
            if (eq) {
                *eq = '\0';
                smap_replace(created, tok, eq + 1);
            }
        }
        free(copy);
    }
}

void
status_publish_objects(const struct plan *plan, const struct apply *apply,
                       const struct plan_memory *mem, struct ovsdb_idl *idl,
                       struct ovsdb_idl_txn *txn)
{
    struct sset seen = SSET_INITIALIZER(&seen);
    const struct plan_bridge *pb;
    const struct plan_object *o;
    struct shash_node *bn, *on;

    /* Issue 11 (ctrl): the bonds the daemon created, in
     * Global.external_ids:created-bonds ("BOND=BRIDGE,..."), since Bond
     * rows go with their bridge's intent and teardown comes after.
     * Issue 13 (vdpa): the vDPA devices it created, likewise in
     * created-vdpas ("NAME=BRIDGE,..."): they outlive their intent until
     * they are deleted. */
    const struct offrec_global *global = offrec_global_first(idl);
    if (global) {
        publish_created(global, "created-bonds", &mem->bonds_created);
        publish_created(global, "created-vdpas", &mem->vdpas_created);
    }

    /* Uplinks. */
    const struct offrec_uplink *u;
    OFFREC_UPLINK_FOR_EACH_SAFE (u, idl) {
        o = find_object(plan, offsetof(struct plan_bridge, uplinks), u->name,
                        &pb);
        if (!o || !sset_add(&seen, u->name)) {
            offrec_uplink_delete(u);
        } else {
            publish_uplink(o, u, apply, mem, pb, txn);
        }
    }
    SHASH_FOR_EACH (bn, &plan->bridges) {
        pb = bn->data;
        SHASH_FOR_EACH (on, &pb->uplinks) {
            if (!sset_contains(&seen, on->name)) {
                publish_uplink(on->data, NULL, apply, mem, pb, txn);
            }
        }
    }
    sset_clear(&seen);

    /* Bonds. */
    const struct offrec_bond *bond;
    OFFREC_BOND_FOR_EACH_SAFE (bond, idl) {
        o = find_object(plan, offsetof(struct plan_bridge, bonds), bond->name,
                        &pb);
        if (!o || !sset_add(&seen, bond->name)) {
            offrec_bond_delete(bond);
        } else {
            publish_bond(o, bond, pb, txn);
        }
    }
    SHASH_FOR_EACH (bn, &plan->bridges) {
        pb = bn->data;
        SHASH_FOR_EACH (on, &pb->bonds) {
            if (!sset_contains(&seen, on->name)) {
                publish_bond(on->data, NULL, pb, txn);
            }
        }
    }
    sset_clear(&seen);

    /* Representors. */
    const struct offrec_representor *rep;
    OFFREC_REPRESENTOR_FOR_EACH_SAFE (rep, idl) {
        o = find_object(plan, offsetof(struct plan_bridge, reps), rep->name,
                        &pb);
        if (!o || !sset_add(&seen, rep->name)) {
            offrec_representor_delete(rep);
        } else {
            publish_rep(o, rep, txn);
        }
    }
    SHASH_FOR_EACH (bn, &plan->bridges) {
        pb = bn->data;
        SHASH_FOR_EACH (on, &pb->reps) {
            if (!sset_contains(&seen, on->name)) {
                publish_rep(on->data, NULL, txn);
            }
        }
    }
    sset_clear(&seen);

    /* Tunnels. */
    const struct offrec_tunnel *tun;
    OFFREC_TUNNEL_FOR_EACH_SAFE (tun, idl) {
        o = find_object(plan, offsetof(struct plan_bridge, tunnels),
                        tun->name, &pb);
        if (!o || !sset_add(&seen, tun->name)) {
            offrec_tunnel_delete(tun);
        } else {
            publish_tunnel(o, tun, txn);
        }
    }
    SHASH_FOR_EACH (bn, &plan->bridges) {
        pb = bn->data;
        SHASH_FOR_EACH (on, &pb->tunnels) {
            if (!sset_contains(&seen, on->name)) {
                publish_tunnel(on->data, NULL, txn);
            }
        }
    }
    sset_clear(&seen);

    /* Issue 13: VFs the intent names.  A row whose VF no longer is (or
     * whose name is a duplicate) goes.  A server with an older schema
     * (no VF table, "old-schema") would refuse the whole transaction:
     * none then. */
    if (!ovsdb_idl_server_has_table(idl, &offrec_table_vf)) {
        sset_destroy(&seen);
        return;
    }
    const struct offrec_vf *vfrow;
    OFFREC_VF_FOR_EACH_SAFE (vfrow, idl) {
        const struct plan_vf *pv = NULL;

        SHASH_FOR_EACH (bn, &plan->bridges) {
            pb = bn->data;
            pv = pv ? pv : shash_find_data(&pb->vfs, vfrow->name);
        }
        if (!pv || !sset_add(&seen, vfrow->name)) {
            offrec_vf_delete(vfrow);
        } else {
            publish_vf(plan, pv, apply, vfrow, txn);
        }
    }
    SHASH_FOR_EACH (bn, &plan->bridges) {
        pb = bn->data;
        SHASH_FOR_EACH (on, &pb->vfs) {
            if (!sset_contains(&seen, on->name)) {
                publish_vf(plan, on->data, apply, NULL, txn);
            }
        }
    }
    sset_destroy(&seen);
}

/* Takes into 'mem' the channel counts stored in Uplink rows: what is there
 * is durable, and no longer pending. */
void
status_sync_channels(const struct ovsdb_idl *idl, struct plan_memory *mem)
{
    const struct offrec_uplink *u;

    OFFREC_UPLINK_FOR_EACH (u, idl) {
        const char *channels = smap_get(&u->evidence, "channels_before");
        const char *pending = smap_get(&mem->channels_pending, u->name);

        /* A pending count that differs is newer than the row. */
        if (channels && (!pending || !strcmp(pending, channels))) {
            smap_replace(&mem->channels, u->name, channels);
            smap_remove(&mem->channels_pending, u->name);
        }
    }
}

/* Reads back what a previous run of the daemon remembered: channel counts
 * from before an eswitch mode change, step timestamps, each managed
 * bridge's last intent (for offload-teardown) and its representor ports
 * (their OpenFlow port numbers). */
void
status_load_memory(const struct ovsdb_idl *idl, struct plan_memory *mem,
                   struct apply *apply)
{
    const struct offrec_uplink *u;
    const struct offrec_bridge *br;

    status_sync_channels(idl, mem);
    OFFREC_UPLINK_FOR_EACH (u, idl) {
        const char *restored = smap_get(&u->evidence, "channels_restored");
        const char *ap = smap_get(&u->evidence, "autoprobe_before");
        const char *ap_dev = smap_get(&u->evidence, "autoprobe_device");

        if (restored) {
            smap_replace(&mem->channels_restored, u->name, restored);
        }
        if (ap && ap_dev) {
            smap_replace(&mem->autoprobe_before, ap_dev, ap);
        }
    }
    const struct offrec_global *global = offrec_global_first(idl);
    load_created(global, "created-bonds", &mem->bonds_created);
    load_created(global, "created-vdpas", &mem->vdpas_created);
    OFFREC_UPLINK_FOR_EACH (u, idl) {
        if (u->n_step_times && !shash_find(&apply->step_times, u->bridge)) {
            struct smap *times = xmalloc(sizeof *times);

            smap_init(times);
            for (size_t i = 0; i < u->n_step_times; i++) {
                smap_add_format(times, u->key_step_times[i], "%"PRId64,
                                u->value_step_times[i]);
            }
            shash_add(&apply->step_times, u->bridge, times);
        }
    }
    OFFREC_BRIDGE_FOR_EACH (br, idl) {
        if (br->managed && !smap_is_empty(&br->intent)
            && !shash_find(&mem->intents, br->name)) {
            struct smap *intent = xmalloc(sizeof *intent);
            smap_clone(intent, &br->intent);
            shash_add(&mem->intents, br->name, intent);
        }
        if (br->managed && !shash_find(&mem->rep_ports, br->name)) {
            plan_memory_set_rep_ports(mem, br->name, &br->rep_ports);
        }
    }
}
