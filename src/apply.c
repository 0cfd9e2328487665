/*
 * apply: executes plans.  See apply.h.
 */
#include <config.h>

#include "apply.h"

#include <errno.h>
#include <limits.h>
#include <string.h>

#include "hw.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/poll-loop.h"
#include "openvswitch/vlog.h"
#include "ovsdb-idl.h"
#include "ovsview.h"
#include "plan.h"
#include "smap.h"
#include "util.h"
#include "lib/vswitch-idl.h"

VLOG_DEFINE_THIS_MODULE(apply);

#define BACKOFF_MIN_MS 1000
#define BACKOFF_MAX_MS 60000

struct apply_backoff {
    long long int next;         /* Do not retry before this time. */
    int delay;                  /* Current delay, ms. */
    bool seen;                  /* Still planned in this round. */
};

void
apply_init(struct apply *a)
{
    shash_init(&a->backoff);
    shash_init(&a->step_times);
    shash_init(&a->errors);
    a->next_retry = LLONG_MAX;
}

void
apply_destroy(struct apply *a)
{
    if (a) {
        struct shash_node *node;

        shash_destroy_free_data(&a->backoff);
        SHASH_FOR_EACH (node, &a->step_times) {
            smap_destroy(node->data);
            free(node->data);
        }
        shash_destroy(&a->step_times);
        shash_destroy_free_data(&a->errors);
    }
}

static char *
action_key(const struct plan_action *pa)
{
    struct ds key = DS_EMPTY_INITIALIZER;

    ds_put_format(&key, "%s|", pa->bridge ? pa->bridge : "");
    plan_format_action(pa, &key);
    return ds_steal_cstr(&key);
}

static void
record_step(struct apply *a, const struct plan_action *pa,
            long long int wall_now)
{
    struct smap *times;

    if (!pa->bridge) {
        return;
    }
    times = shash_find_data(&a->step_times, pa->bridge);
    if (!times) {
        times = xmalloc(sizeof *times);
        smap_init(times);
        shash_add(&a->step_times, pa->bridge, times);
    }
    smap_replace_nocopy(times, plan_step_to_string(pa->step),
                        xasprintf("%lld", wall_now));
}

/* Splits "BUS/DEV" into its parts. */
static void
split_dev(const char *key, char **bus, char **dev)
{
    const char *slash = strchr(key, '/');

    *bus = xmemdup0(key, slash ? slash - key : strlen(key));
    *dev = xstrdup(slash ? slash + 1 : "");
}

/* Executes one kernel action.  Returns 0 or a positive errno with '*errp'
 * set. */
static int
apply_hw_action(const struct plan_action *pa, struct plan_memory *mem,
                struct hw *hw, long long int now, char **errp)
{
    char *bus, *dev;
    int error = 0;

    *errp = NULL;
    switch (pa->op) {
    case PLAN_NUMVFS:
        split_dev(pa->target, &bus, &dev);
        error = hw_set_num_vfs(hw, bus, dev, pa->n, errp);
        free(bus);
        free(dev);
        break;
    case PLAN_ESWITCH:
        split_dev(pa->target, &bus, &dev);
        error = hw_set_eswitch_mode(hw, bus, dev, pa->arg, errp);
        free(bus);
        free(dev);
        break;
    case PLAN_REMEMBER_CHANNELS:
        smap_replace_nocopy(&mem->channels_pending, pa->target,
                            xasprintf("%lld", pa->n));
        break;
    case PLAN_CHANNELS:
        error = hw_set_channels(hw, pa->target, pa->n, errp);
        break;
    case PLAN_MTU:
        error = hw_set_mtu(hw, pa->target, pa->n, errp);
        break;
    case PLAN_BOND_CREATE:
        error = hw_create_bond(hw, pa->target, pa->arg, pa->n, errp);
        break;
    case PLAN_SET_MASTER:
        /* Linux enslaves only links that are down. */
        error = hw_set_up(hw, pa->target, false, errp);
        if (!error) {
            error = hw_set_master(hw, pa->target, pa->arg, errp);
        }
        if (!error) {
            error = hw_set_up(hw, pa->target, true, errp);
        }
        break;
    case PLAN_LINK_UP:
        error = hw_set_up(hw, pa->target, true, errp);
        break;
    case PLAN_DELETE_LINK:
        error = hw_delete_link(hw, pa->target, errp);
        break;
    case PLAN_WAIT:
        if (!smap_get(&mem->wait_since, pa->target)) {
            smap_add_format(&mem->wait_since, pa->target, "%lld", now);
        }
        break;
    case PLAN_PORT_ADD:
    case PLAN_PORT_DEL:
    case PLAN_HW_OFFLOAD:
    default:
        OVS_NOT_REACHED();
    }
    return error;
}

static const struct ovsrec_bridge *
find_bridge(const struct ovsdb_idl *idl, const char *name)
{
    const struct ovsrec_bridge *br;

    OVSREC_BRIDGE_FOR_EACH (br, idl) {
        if (!strcmp(br->name, name)) {
            return br;
        }
    }
    return NULL;
}

static void
apply_ovs_action(const struct plan_action *pa, const struct ovsdb_idl *idl,
                 struct ovsdb_idl_txn *txn)
{
    const struct ovsrec_bridge *br = pa->bridge ? find_bridge(idl, pa->bridge)
                                                : NULL;
    struct smap owner = SMAP_INITIALIZER(&owner);

    smap_add(&owner, OVSVIEW_OWNER_KEY, OVSVIEW_OWNER_VALUE);
    switch (pa->op) {
    case PLAN_PORT_ADD: {
        struct ovsrec_interface *iface;
        struct ovsrec_port *port;

        if (!br) {
            break;
        }
        iface = ovsrec_interface_insert(txn);
        ovsrec_interface_set_name(iface, pa->target);
        ovsrec_interface_set_type(iface, pa->arg ? pa->arg : "");
        ovsrec_interface_set_options(iface, &pa->options);
        ovsrec_interface_set_external_ids(iface, &owner);
        if (pa->n > 0) {
            /* The OpenFlow port number the representor had before. */
            int64_t ofport = pa->n;
            ovsrec_interface_set_ofport_request(iface, &ofport, 1);
        }
        port = ovsrec_port_insert(txn);
        ovsrec_port_set_name(port, pa->target);
        ovsrec_port_set_interfaces(port, &iface, 1);
        ovsrec_port_set_external_ids(port, &owner);
        ovsrec_bridge_update_ports_addvalue(br, port);
        break;
    }
    case PLAN_PORT_DEL:
        if (!br) {
            break;
        }
        for (size_t i = 0; i < br->n_ports; i++) {
            const struct ovsrec_port *port = br->ports[i];
            const char *who = smap_get(&port->external_ids,
                                       OVSVIEW_OWNER_KEY);

            /* Never delete what the controller does not own. */
            if (!strcmp(port->name, pa->target) && who
                && !strcmp(who, OVSVIEW_OWNER_VALUE)) {
                ovsrec_bridge_update_ports_delvalue(br, port);
                ovsrec_port_delete(port);
            }
        }
        break;
    case PLAN_HW_OFFLOAD: {
        const struct ovsrec_open_vswitch *ovs = ovsrec_open_vswitch_first(idl);
        if (ovs) {
            ovsrec_open_vswitch_update_other_config_setkey(ovs, "hw-offload",
                                                           pa->arg);
        }
        break;
    }
    case PLAN_NUMVFS:
    case PLAN_ESWITCH:
    case PLAN_REMEMBER_CHANNELS:
    case PLAN_CHANNELS:
    case PLAN_MTU:
    case PLAN_BOND_CREATE:
    case PLAN_SET_MASTER:
    case PLAN_LINK_UP:
    case PLAN_DELETE_LINK:
    case PLAN_WAIT:
    default:
        OVS_NOT_REACHED();
    }
    smap_destroy(&owner);
}

static bool
is_ovs_op(enum plan_op op)
{
    return op == PLAN_PORT_ADD || op == PLAN_PORT_DEL
           || op == PLAN_HW_OFFLOAD;
}

/* Carries out 'plan'.  'now' is monotonic time (deadlines, backoff),
 * 'wall_now' wall-clock time (step timestamps for people).  Returns true if
 * the kernel may have changed, so the caller should observe it again. */
bool
apply_run(struct apply *a, const struct plan *plan, struct plan_memory *mem,
          struct hw *hw, const struct ovsdb_idl *ovs_idl,
          struct ovsdb_idl_txn *ovs_txn, long long int now,
          long long int wall_now)
{
    struct sset failed_bridges = SSET_INITIALIZER(&failed_bridges);
    struct shash_node *node;
    bool changed = false;

    SHASH_FOR_EACH (node, &a->backoff) {
        struct apply_backoff *bo = node->data;
        bo->seen = false;
    }
    a->next_retry = LLONG_MAX;

    for (size_t i = 0; i < plan->n_actions; i++) {
        const struct plan_action *pa = &plan->actions[i];
        const char *bridge = pa->bridge ? pa->bridge : "";
        char *key = action_key(pa);
        struct apply_backoff *bo = shash_find_data(&a->backoff, key);
        char *error_msg = NULL;
        int error;

        if (bo) {
            bo->seen = true;
        }
        if (is_ovs_op(pa->op)) {
            if (ovs_txn) {
                VLOG_INFO("%s: %s (because %s)", bridge[0] ? bridge : "ovs",
                          key + strlen(bridge) + 1, pa->reason);
                apply_ovs_action(pa, ovs_idl, ovs_txn);
                record_step(a, pa, wall_now);
            }
            free(key);
            continue;
        }
        if (sset_contains(&failed_bridges, bridge)
            || (bo && now < bo->next)) {
            if (bo) {
                a->next_retry = MIN(a->next_retry, bo->next);
            }
            sset_add(&failed_bridges, bridge);
            free(key);
            continue;
        }

        if (pa->op != PLAN_WAIT) {
            VLOG_INFO("%s: %s (because %s)", bridge,
                      key + strlen(bridge) + 1, pa->reason);
        }
        bool new_wait = (pa->op == PLAN_WAIT
                         && !smap_get(&mem->wait_since, pa->target));
        error = apply_hw_action(pa, mem, hw, now, &error_msg);
        if (error) {
            if (!bo) {
                bo = xzalloc(sizeof *bo);
                bo->seen = true;
                bo->delay = BACKOFF_MIN_MS;
                shash_add(&a->backoff, key, bo);
            } else {
                bo->delay = MIN(bo->delay * 2, BACKOFF_MAX_MS);
            }
            bo->next = now + bo->delay;
            a->next_retry = MIN(a->next_retry, bo->next);
            VLOG_WARN("%s: %s failed: %s; retrying in %d s", bridge,
                      key + strlen(bridge) + 1,
                      error_msg ? error_msg : ovs_strerror(error),
                      bo->delay / 1000);
            free(shash_replace(&a->errors, bridge, xasprintf(
                "%s failed: %s", key + strlen(bridge) + 1,
                error_msg ? error_msg : ovs_strerror(error))));
            sset_add(&failed_bridges, bridge);
            changed = true;
        } else {
            if (bo) {
                shash_find_and_delete(&a->backoff, key);
                free(bo);
            }
            if (pa->op != PLAN_WAIT || new_wait) {
                record_step(a, pa, wall_now);
            }
            free(shash_find_and_delete(&a->errors, bridge));
            changed = changed || pa->op != PLAN_WAIT;
        }
        free(error_msg);
        free(key);
    }

    /* Forget backoff of actions no longer planned, and the start of waits
     * that are over. */
    SHASH_FOR_EACH_SAFE (node, &a->backoff) {
        struct apply_backoff *bo = node->data;
        if (!bo->seen) {
            free(bo);
            shash_delete(&a->backoff, node);
        }
    }
    struct smap_node *sn;
    SMAP_FOR_EACH_SAFE (sn, &mem->wait_since) {
        if (!sset_contains(&plan->waits, sn->key)) {
            smap_remove_node(&mem->wait_since, sn);
        }
    }

    /* A bridge with no failure and no planned kernel action of its own
     * has no current error. */
    SHASH_FOR_EACH_SAFE (node, &a->errors) {
        if (!sset_contains(&failed_bridges, node->name)) {
            bool planned = false;
            for (size_t i = 0; i < plan->n_actions; i++) {
                const struct plan_action *pa = &plan->actions[i];
                planned = planned || (pa->bridge
                                      && !strcmp(pa->bridge, node->name));
            }
            if (!planned) {
                free(node->data);
                shash_delete(&a->errors, node);
            }
        }
    }
    sset_destroy(&failed_bridges);
    return changed;
}

void
apply_wait(const struct apply *a)
{
    if (a->next_retry != LLONG_MAX) {
        poll_timer_wait_until(a->next_retry);
    }
}
