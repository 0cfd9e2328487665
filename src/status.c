/*
 * status: writes the daemon's observed state into the OVS_Offload database.
 * See status.h.
 */
#include <config.h>

#include "status.h"

#include "ovsdb-idl.h"
#include "util.h"
#include "src/offload-idl.h"

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
