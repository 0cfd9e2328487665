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
#include "validate.h"
#include "worker.h"
#include "lib/vswitch-idl.h"

VLOG_DEFINE_THIS_MODULE(apply);

#define BACKOFF_MIN_MS 1000
#define BACKOFF_MAX_MS 60000

struct apply_backoff {
    long long int next;         /* Do not retry before this time. */
    int delay;                  /* Current delay, ms. */
    bool seen;                  /* Still planned in this round. */
    char *error;                /* Issue 13 (vf status): the action's last
                                 * failure, "ACTION failed: TEXT". */
};

static void
apply_backoff_free(struct apply_backoff *bo)
{
    if (bo) {
        free(bo->error);
        free(bo);
    }
}

void
apply_init(struct apply *a)
{
    shash_init(&a->backoff);
    shash_init(&a->step_times);
    shash_init(&a->errors);
    a->next_retry = LLONG_MAX;
    a->job = NULL;
    a->thread = NULL;
}

void
apply_destroy(struct apply *a)
{
    if (a) {
        struct shash_node *node;

        if (a->job) {
            /* Exiting: the kernel call will finish without us. */
            worker_abandon(a->thread, NULL);
            a->job = NULL;
        }

        SHASH_FOR_EACH (node, &a->backoff) {
            apply_backoff_free(node->data);
        }
        shash_destroy(&a->backoff);
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

/* mlx5 refuses an eswitch mode change while the eswitch has users, e.g.
 * offloaded tc rules: "Can't change mode, E-Switch is busy" (EBUSY, from
 * mlx5_esw_try_lock()).  Says what to do about it. */
static void
apply_explain_eswitch_error(const struct plan_action *pa, int error,
                            char **errp)
{
    if (*errp && strstr(*errp, "E-Switch is busy")) {
        char *msg = xasprintf("%s; the eswitch of %s has users (offloaded tc "
                              "rules, e.g. of a running ovs-vswitchd with "
                              "hw-offload): remove them (stop ovs-vswitchd "
                              "or take the uplink out of its bridges, "
                              "\"tc filter del\" on the uplink and "
                              "representors), the change is retried",
                              *errp ? *errp : ovs_strerror(error),
                              pa->target);
        free(*errp);
        *errp = msg;
    }
}

/* What an action changes in memory before its kernel call, in the main
 * thread: remembered before anything changes, so that a daemon killed
 * right after still knows.  Returns true if the action has no kernel
 * call. */
static bool
apply_pre(const struct plan_action *pa, struct plan_memory *mem,
          long long int now)
{
    switch (pa->op) {
    case PLAN_REMEMBER_CHANNELS:
        /* A new count to restore after the coming eswitch change: what
         * was stored and restored before is over. */
        smap_replace_nocopy(&mem->channels_pending, pa->target,
                            xasprintf("%lld", pa->n));
        smap_remove(&mem->channels, pa->target);
        smap_remove(&mem->channels_restored, pa->target);
        return true;
    case PLAN_CHANNELS_RESTORED:
        smap_replace_nocopy(&mem->channels_restored, pa->target,
                            xasprintf("%lld", pa->n));
        return true;
    case PLAN_VF_FORGET:
        smap_remove(&mem->vf_before, pa->target);
        return true;
    case PLAN_VDPA_FORGET:
        smap_remove(&mem->vdpas_created, pa->target);
        return true;
    case PLAN_VDPA_ADD:
    case PLAN_VDPA_DEL:
        /* Ownership is recorded after a creation succeeded (apply_post):
         * a daemon killed in between forgets a device it created, and
         * so never deletes it, rather than ever owning one it did not
         * create. */
        return false;
    case PLAN_VF_SET: {
        /* Remembered before the change, as autoprobe is. */
        const char *before = smap_get(&pa->options, "before");
        const char *key = smap_get(&pa->options, "key");
        if (before && key && !smap_get(&mem->vf_before, key)) {
            smap_add(&mem->vf_before, key, before);
        }
        return false;
    }
    case PLAN_WAIT:
        if (!smap_get(&mem->wait_since, pa->target)) {
            smap_add_format(&mem->wait_since, pa->target, "%lld", now);
        }
        return true;
    case PLAN_AUTOPROBE: {
        const char *before = smap_get(&pa->options, "before");
        if (before && !smap_get(&mem->autoprobe_before, pa->target)) {
            smap_add(&mem->autoprobe_before, pa->target, before);
        }
        return false;
    }
    case PLAN_NUMVFS:
    case PLAN_ESWITCH:
    case PLAN_CHANNELS:
    case PLAN_FEATURE:
    case PLAN_BIND_VF:
    case PLAN_VF_DRIVER:
    case PLAN_MTU:
    case PLAN_BOND_CREATE:
    case PLAN_SET_MASTER:
    case PLAN_LINK_UP:
    case PLAN_DELETE_LINK:
    case PLAN_RELEASE_DP_PORT:
    case PLAN_PORT_ADD:
    case PLAN_PORT_DEL:
    case PLAN_HW_OFFLOAD:
    default:
        return false;
    }
}

/* The kernel call of one action: no memory, no logging of results, so
 * that it can run in the worker thread.  Returns 0 or a positive errno
 * with '*errp' set. */
static int
apply_hw_call(const struct plan_action *pa, struct hw *hw, char **errp)
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
        if (error) {
            apply_explain_eswitch_error(pa, error, errp);
        }
        break;
    case PLAN_CHANNELS:
        error = hw_set_channels(hw, pa->target, pa->n, errp);
        break;
    case PLAN_FEATURE:
        error = hw_set_feature(hw, pa->target, pa->arg, pa->n != 0, errp);
        break;
    case PLAN_AUTOPROBE:
        split_dev(pa->target, &bus, &dev);
        error = hw_set_autoprobe(hw, bus, dev, pa->n != 0, errp);
        free(bus);
        free(dev);
        break;
    case PLAN_VF_DRIVER:
        split_dev(smap_get_def(&pa->options, "pf", ""), &bus, &dev);
        error = hw_set_vf_driver(hw, bus, dev, pa->target, pa->arg, errp);
        free(bus);
        free(dev);
        break;
    case PLAN_VF_SET: {
        static const enum hw_vf_setting all[] = {
            HW_VF_MAC, HW_VF_VLAN, HW_VF_SPOOFCHK, HW_VF_TRUST,
            HW_VF_LINK_STATE,
        };
        struct hw_vf_config c;
        size_t i;

        hw_vf_config_from_memory(smap_get(&pa->options, "want"), pa->n, &c);
        for (i = 0; i < ARRAY_SIZE(all); i++) {
            if (!strcmp(pa->arg, hw_vf_setting_to_string(all[i]))) {
                break;
            }
        }
        if (i == ARRAY_SIZE(all)) {
            *errp = xasprintf("%s: unknown VF setting %s", pa->target,
                              pa->arg);
            error = EINVAL;
            break;
        }
        const char *port = smap_get(&pa->options, "devlink-port");
        if (all[i] == HW_VF_MAC && port) {
            /* Switchdev mode: the port function's hw_addr. */
            unsigned long long index;
            char *msg = validate_uint("devlink port", port, 0, UINT32_MAX,
                                      &index);
            if (msg) {
                *errp = msg;
                error = EINVAL;
                break;
            }
            split_dev(smap_get_def(&pa->options, "devlink-dev", ""), &bus,
                      &dev);
            error = hw_set_port_hw_addr(hw, bus, dev, index, c.mac, errp);
            free(bus);
            free(dev);
            break;
        }
        error = hw_set_vf(hw, pa->target, &c, all[i], errp);
        break;
    }
    case PLAN_BIND_VF:
        split_dev(smap_get_def(&pa->options, "pf", ""), &bus, &dev);
        error = hw_bind_vf(hw, bus, dev, pa->target, pa->arg, errp);
        free(bus);
        free(dev);
        break;
    case PLAN_MTU:
        error = hw_set_mtu(hw, pa->target, pa->n, errp);
        break;
    case PLAN_BOND_CREATE:
        error = hw_create_bond(hw, pa->target, pa->arg, pa->n, errp);
        break;
    case PLAN_SET_MASTER:
        /* The back end takes the link down and up around the change, and
         * leaves it as it was if the change fails. */
        error = hw_set_master(hw, pa->target, pa->arg, errp);
        break;
    case PLAN_LINK_UP:
        error = hw_set_up(hw, pa->target, true, errp);
        break;
    case PLAN_DELETE_LINK:
        error = hw_delete_link(hw, pa->target, errp);
        break;
    case PLAN_RELEASE_DP_PORT:
        error = hw_release_dp_port(hw, pa->arg, pa->target, errp);
        break;
    case PLAN_VDPA_ADD:
        error = hw_create_vdpa(hw, pa->target, pa->arg,
                               smap_get(&pa->options, "mac"), pa->n, errp);
        break;
    case PLAN_VDPA_DEL:
        error = hw_delete_vdpa(hw, pa->target, errp);
        break;
    case PLAN_VDPA_FORGET:
    case PLAN_REMEMBER_CHANNELS:
    case PLAN_CHANNELS_RESTORED:
    case PLAN_WAIT:
    case PLAN_PORT_ADD:
    case PLAN_PORT_DEL:
    case PLAN_HW_OFFLOAD:
    case PLAN_VF_FORGET:
    default:
        OVS_NOT_REACHED();
    }
    return error;
}

/* What a successful kernel call changes in memory, in the main thread. */
static void
apply_post(const struct plan_action *pa, struct plan_memory *mem)
{
    switch (pa->op) {
    case PLAN_CHANNELS:
        smap_replace_nocopy(&mem->channels_restored, pa->target,
                            xasprintf("%lld", pa->n));
        break;
    case PLAN_AUTOPROBE:
        if (!smap_get(&pa->options, "before")) {
            smap_remove(&mem->autoprobe_before, pa->target);
        }
        break;
    case PLAN_BOND_CREATE:
        /* The only bonds the daemon ever deletes. */
        smap_replace(&mem->bonds_created, pa->target,
                     pa->bridge ? pa->bridge : "");
        break;
    case PLAN_DELETE_LINK:
        smap_remove(&mem->bonds_created, pa->target);
        break;
    case PLAN_RELEASE_DP_PORT: {
        /* When, so that the next release waits for ovs-vswitchd's answer
         * to this one. */
        const char *key = smap_get(&pa->options, "key");
        if (key) {
            smap_replace_nocopy(&mem->wait_since, key,
                                xasprintf("%lld", pa->n));
        }
        break;
    }
    case PLAN_VDPA_ADD:
        /* The only vDPA devices the daemon ever deletes. */
        smap_replace(&mem->vdpas_created, pa->target,
                     pa->bridge ? pa->bridge : "");
        break;
    case PLAN_VDPA_DEL:
        smap_remove(&mem->vdpas_created, pa->target);
        break;
    case PLAN_VDPA_FORGET:
    case PLAN_NUMVFS:
    case PLAN_ESWITCH:
    case PLAN_FEATURE:
    case PLAN_BIND_VF:
    case PLAN_MTU:
    case PLAN_SET_MASTER:
    case PLAN_LINK_UP:
    case PLAN_REMEMBER_CHANNELS:
    case PLAN_CHANNELS_RESTORED:
    case PLAN_WAIT:
    case PLAN_PORT_ADD:
    case PLAN_PORT_DEL:
    case PLAN_HW_OFFLOAD:
    case PLAN_VF_SET:
    case PLAN_VF_FORGET:
    case PLAN_VF_DRIVER:
    default:
        break;
    }
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
    case PLAN_CHANNELS_RESTORED:
    case PLAN_FEATURE:
    case PLAN_AUTOPROBE:
    case PLAN_BIND_VF:
    case PLAN_CHANNELS:
    case PLAN_MTU:
    case PLAN_BOND_CREATE:
    case PLAN_SET_MASTER:
    case PLAN_LINK_UP:
    case PLAN_DELETE_LINK:
    case PLAN_RELEASE_DP_PORT:
    case PLAN_WAIT:
    case PLAN_VF_SET:
    case PLAN_VF_FORGET:
    case PLAN_VF_DRIVER:
    case PLAN_VDPA_ADD:
    case PLAN_VDPA_DEL:
    case PLAN_VDPA_FORGET:
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

/* One kernel action of a job: a copy of the planned action, its result. */
struct apply_item {
    struct plan_action pa;
    char *key;
    int error;
    char *msg;
    bool skipped;               /* An earlier action of its bridge failed. */
};

/* The kernel actions of one round, carried out in order (in the worker
 * thread, or inline), and what finishing the round needs. */
struct apply_job {
    struct apply_item *items;
    size_t n;
    struct hw *hw;
    struct sset failed_bridges; /* Bridges stopped at submission. */
    struct sset waits;          /* The plan's waits. */
    struct sset planned;        /* Bridges with planned actions. */
    long long int started;      /* time_msec() at submission. */
};

static void
apply_job_destroy(struct apply_job *job)
{
    if (job) {
        for (size_t i = 0; i < job->n; i++) {
            struct apply_item *it = &job->items[i];
            free(it->pa.bridge);
            free(it->pa.target);
            free(it->pa.arg);
            free(it->pa.reason);
            smap_destroy(&it->pa.options);
            free(it->key);
            free(it->msg);
        }
        free(job->items);
        sset_destroy(&job->failed_bridges);
        sset_destroy(&job->waits);
        sset_destroy(&job->planned);
        free(job);
    }
}

/* Runs the job's kernel calls in order; the first failure of a bridge
 * skips the rest of that bridge's actions (order matters). */
static void
apply_job_run(void *job_)
{
    struct apply_job *job = job_;
    struct sset failed = SSET_INITIALIZER(&failed);

    for (size_t i = 0; i < job->n; i++) {
        struct apply_item *it = &job->items[i];
        const char *bridge = it->pa.bridge ? it->pa.bridge : "";

        if (sset_contains(&failed, bridge)) {
            it->skipped = true;
            continue;
        }
        it->error = apply_hw_call(&it->pa, job->hw, &it->msg);
        if (it->error) {
            sset_add(&failed, bridge);
        }
    }
    sset_destroy(&failed);
}

/* Collects the results of 'job' in the main thread: memory, step times,
 * backoff, errors.  Returns true if the kernel may have changed. */
static bool
apply_job_complete(struct apply *a, struct apply_job *job,
                   struct plan_memory *mem, long long int now,
                   long long int wall_now)
{
    struct shash_node *node;
    bool changed = false;

    for (size_t i = 0; i < job->n; i++) {
        struct apply_item *it = &job->items[i];
        const char *bridge = it->pa.bridge ? it->pa.bridge : "";
        struct apply_backoff *bo = shash_find_data(&a->backoff, it->key);

        if (it->skipped) {
            continue;
        }
        if (it->error) {
            const char *text = it->msg ? it->msg : ovs_strerror(it->error);

            if (!bo) {
                bo = xzalloc(sizeof *bo);
                bo->seen = true;
                bo->delay = BACKOFF_MIN_MS;
                shash_add(&a->backoff, it->key, bo);
            } else {
                bo->delay = MIN(bo->delay * 2, BACKOFF_MAX_MS);
            }
            bo->next = now + bo->delay;
            a->next_retry = MIN(a->next_retry, bo->next);
            VLOG_WARN("%s: %s failed: %s; retrying in %d s", bridge,
                      it->key + strlen(bridge) + 1, text, bo->delay / 1000);
            free(bo->error);
            bo->error = xasprintf("%s failed: %s",
                                  it->key + strlen(bridge) + 1, text);
            free(shash_replace(&a->errors, bridge, xstrdup(bo->error)));
            sset_add(&job->failed_bridges, bridge);
        } else {
            if (bo) {
                shash_find_and_delete(&a->backoff, it->key);
                apply_backoff_free(bo);
            }
            apply_post(&it->pa, mem);
            record_step(a, &it->pa, wall_now);
            free(shash_find_and_delete(&a->errors, bridge));
        }
        changed = true;
    }

    /* Forget backoff of actions no longer planned, and the start of waits
     * that are over. */
    SHASH_FOR_EACH_SAFE (node, &a->backoff) {
        struct apply_backoff *bo = node->data;
        if (!bo->seen) {
            apply_backoff_free(bo);
            shash_delete(&a->backoff, node);
        }
    }
    struct smap_node *sn;
    SMAP_FOR_EACH_SAFE (sn, &mem->wait_since) {
        if (!sset_contains(&job->waits, sn->key)) {
            smap_remove_node(&mem->wait_since, sn);
        }
    }

    /* A bridge with no failure and no planned kernel action of its own
     * has no current error. */
    SHASH_FOR_EACH_SAFE (node, &a->errors) {
        if (!sset_contains(&job->failed_bridges, node->name)
            && !sset_contains(&job->planned, node->name)) {
            free(node->data);
            shash_delete(&a->errors, node);
        }
    }
    return changed;
}

/* Carries out 'plan'.  'now' is monotonic time (deadlines, backoff),
 * 'wall_now' wall-clock time (step timestamps for people).  Open_vSwitch
 * changes go into 'ovs_txn' at once.  The kernel actions run inline, or,
 * if 'async', in a worker thread: apply_busy() is then true until
 * apply_poll() collected them, and the caller must not use 'hw'
 * meanwhile.  Returns true if the kernel may have changed, so the caller
 * should observe it again. */
bool
apply_run(struct apply *a, const struct plan *plan, struct plan_memory *mem,
          struct hw *hw, const struct ovsdb_idl *ovs_idl,
          struct ovsdb_idl_txn *ovs_txn, long long int now,
          long long int wall_now, bool async)
{
    struct apply_job *job = xzalloc(sizeof *job);
    struct shash_node *node;
    size_t allocated = 0;
    bool changed = false;

    ovs_assert(!a->job);
    job->hw = hw;
    job->started = now;
    sset_init(&job->failed_bridges);
    sset_clone(&job->waits, &plan->waits);
    sset_init(&job->planned);

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

        if (pa->bridge) {
            sset_add(&job->planned, pa->bridge);
        }
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
        if (sset_contains(&job->failed_bridges, bridge)
            || (bo && now < bo->next)) {
            if (bo) {
                a->next_retry = MIN(a->next_retry, bo->next);
            }
            sset_add(&job->failed_bridges, bridge);
            free(key);
            continue;
        }

        if (pa->op != PLAN_WAIT) {
            VLOG_INFO("%s: %s (because %s)", bridge,
                      key + strlen(bridge) + 1, pa->reason);
        }
        bool new_wait = (pa->op == PLAN_WAIT
                         && !smap_get(&mem->wait_since, pa->target));
        if (apply_pre(pa, mem, now)) {
            /* Memory only. */
            if (pa->op != PLAN_WAIT || new_wait) {
                record_step(a, pa, wall_now);
            }
            changed = changed || pa->op != PLAN_WAIT;
            free(key);
            continue;
        }

        if (job->n >= allocated) {
            job->items = x2nrealloc(job->items, &allocated,
                                    sizeof *job->items);
            for (size_t j = 0; j < job->n; j++) {
                hmap_moved(&job->items[j].pa.options.map);
            }
        }
        struct apply_item *it = &job->items[job->n++];
        memset(it, 0, sizeof *it);
        it->pa = *pa;
        it->pa.bridge = nullable_xstrdup(pa->bridge);
        it->pa.target = xstrdup(pa->target);
        it->pa.arg = nullable_xstrdup(pa->arg);
        it->pa.reason = xstrdup(pa->reason);
        smap_clone(&it->pa.options, &pa->options);
        it->key = key;
    }

    if (job->n && async) {
        a->job = job;
        a->thread = worker_start("apply", apply_job_run, job);
        return changed;
    }
    apply_job_run(job);
    changed = apply_job_complete(a, job, mem, now, wall_now) || changed;
    apply_job_destroy(job);
    return changed;
}

/* Issue 13 (vf status): the last failure of planned action 'pa' ("ACTION
 * failed: TEXT"), while it keeps failing (it is retried with backoff), or
 * NULL. */
const char *
apply_action_error(const struct apply *a, const struct plan_action *pa)
{
    char *key = action_key(pa);
    const struct apply_backoff *bo = shash_find_data(&a->backoff, key);

    free(key);
    return bo ? bo->error : NULL;
}

/* True while kernel actions run in the worker thread. */
bool
apply_busy(const struct apply *a)
{
    return a->job != NULL;
}

/* The actions in flight, one per line ("BRIDGE: ACTION"), and how long
 * they have been running, for status; NULL if none. */
char *
apply_describe_busy(const struct apply *a, long long int now)
{
    struct ds s = DS_EMPTY_INITIALIZER;

    if (!a->job) {
        return NULL;
    }
    ds_put_format(&s, "%zu kernel actions running for %lld ms",
                  a->job->n, now - a->job->started);
    return ds_steal_cstr(&s);
}

/* Collects the results of the kernel actions in flight, if they are done.
 * Returns true if they were (the kernel may have changed). */
bool
apply_poll(struct apply *a, struct plan_memory *mem, long long int now,
           long long int wall_now)
{
    if (!a->job || !worker_is_done(a->thread)) {
        return false;
    }
    worker_finish(a->thread);
    a->thread = NULL;
    apply_job_complete(a, a->job, mem, now, wall_now);
    apply_job_destroy(a->job);
    a->job = NULL;
    return true;
}

void
apply_wait(const struct apply *a)
{
    if (a->job) {
        worker_wait(a->thread);
    } else if (a->next_retry != LLONG_MAX) {
        poll_timer_wait_until(a->next_retry);
    }
}
