/*
 * plan: from intent and observations to an ordered list of actions.
 * See plan.h for the contract: pure, deterministic, no logging.
 */
#include <config.h>

#include "plan.h"

#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "hw.h"
#include "intent.h"
#include "openvswitch/dynamic-string.h"
#include "ovsview.h"
#include "sort.h"
#include "util.h"

/* The order each profile brings hardware up in. */
/* mlx5 (Linux >= 5.16-ish; verified on 6.1): the eswitch mode changes with
 * no VFs.  For bonded PFs, the VF-LAG order: VFs are created with
 * sriov_drivers_autoprobe=0 and bound only once the LAG is active ("Make
 * sure all VFs are unbound prior to VF LAG activation", mlx5 lag.c). */
static const enum plan_step mlx5_profile[] = {
    STEP_PREFLIGHT, STEP_VFS_ZERO, STEP_ESWITCH, STEP_CHANNELS,
    STEP_TC_OFFLOAD, STEP_MTU, STEP_BOND, STEP_AUTOPROBE_OFF, STEP_VFS,
    STEP_LAG_WAIT, STEP_VF_BIND, STEP_AUTOPROBE_RESTORE, STEP_REPS_WAIT,
    STEP_REPS, STEP_PORTS, STEP_VXLAN, STEP_VF_SETTINGS, STEP_VF_DRIVER,
    STEP_VDPA,
};
/* Older kernels (mlx5 answering eswitch get/set with EOPNOTSUPP while
 * SR-IOV is off): VFs first, kept unbound for the mode change. */
static const enum plan_step vfs_first_profile[] = {
    STEP_PREFLIGHT, STEP_AUTOPROBE_OFF, STEP_VFS, STEP_ESWITCH,
    STEP_CHANNELS, STEP_TC_OFFLOAD, STEP_MTU, STEP_BOND, STEP_LAG_WAIT,
    STEP_VF_BIND, STEP_AUTOPROBE_RESTORE, STEP_REPS_WAIT, STEP_REPS,
    STEP_PORTS, STEP_VXLAN, STEP_VF_SETTINGS, STEP_VF_DRIVER, STEP_VDPA,
};

/* How long a representor may take to appear after VFs were created. */
#define PLAN_REPS_TIMEOUT_MS 30000

/* Bytes of VXLAN encapsulation: outer Ethernet is not counted in the MTU;
 * outer IPv4 (20) or IPv6 (40) + UDP (8) + VXLAN (8) + inner Ethernet
 * (14). */
#define VXLAN_OVERHEAD_V4 50
#define VXLAN_OVERHEAD_V6 70

const char *
plan_op_to_string(enum plan_op op)
{
    switch (op) {
    case PLAN_NUMVFS: return "set-numvfs";
    case PLAN_ESWITCH: return "set-eswitch";
    case PLAN_REMEMBER_CHANNELS: return "remember-channels";
    case PLAN_CHANNELS: return "set-channels";
    case PLAN_MTU: return "set-mtu";
    case PLAN_BOND_CREATE: return "create-bond";
    case PLAN_SET_MASTER: return "set-master";
    case PLAN_LINK_UP: return "link-up";
    case PLAN_DELETE_LINK: return "delete-link";
    case PLAN_RELEASE_DP_PORT: return "release-dp-port";
    case PLAN_WAIT: return "wait";
    case PLAN_PORT_ADD: return "add-port";
    case PLAN_PORT_DEL: return "del-port";
    case PLAN_HW_OFFLOAD: return "set-hw-offload";
    case PLAN_CHANNELS_RESTORED: return "channels-restored";
    case PLAN_FEATURE: return "set-feature";
    case PLAN_AUTOPROBE: return "set-autoprobe";
    case PLAN_BIND_VF: return "bind-vf";
    case PLAN_VF_SET: return "set-vf";
    case PLAN_VF_FORGET: return "vf-restored";
    case PLAN_VF_DRIVER: return "set-vf-driver";
    case PLAN_VDPA_ADD: return "add-vdpa";
    case PLAN_VDPA_DEL: return "del-vdpa";
    case PLAN_VDPA_FORGET: return "vdpa-gone";
    default: return "?";
    }
}

const char *
plan_step_to_string(enum plan_step step)
{
    switch (step) {
    case STEP_PREFLIGHT: return "preflight";
    case STEP_VFS_ZERO: return "vfs-zero";
    case STEP_ESWITCH: return "eswitch";
    case STEP_CHANNELS: return "channels";
    case STEP_TC_OFFLOAD: return "tc-offload";
    case STEP_MTU: return "mtu";
    case STEP_BOND: return "bond";
    case STEP_LAG_WAIT: return "lag-wait";
    case STEP_AUTOPROBE_OFF: return "autoprobe-off";
    case STEP_VFS: return "vfs";
    case STEP_VF_BIND: return "vf-bind";
    case STEP_AUTOPROBE_RESTORE: return "autoprobe-restore";
    case STEP_REPS_WAIT: return "reps-wait";
    case STEP_REPS: return "reps";
    case STEP_PORTS: return "ports";
    case STEP_VXLAN: return "vxlan";
    case STEP_VF_SETTINGS: return "vf-settings";
    case STEP_VF_DRIVER: return "vf-driver";
    case STEP_VDPA: return "vdpa";
    case STEP_TEARDOWN: return "teardown";
    case STEP_CLEANUP: return "cleanup";
    case STEP_GLOBAL: return "global";
    default: return "?";
    }
}

/* Memory. */

void
plan_memory_init(struct plan_memory *mem)
{
    smap_init(&mem->channels);
    smap_init(&mem->channels_pending);
    smap_init(&mem->wait_since);
    shash_init(&mem->intents);
    smap_init(&mem->channels_restored);
    smap_init(&mem->autoprobe_before);
    smap_init(&mem->bonds_created);
    smap_init(&mem->vf_before);
    smap_init(&mem->vdpas_created);
    shash_init(&mem->rep_ports);
}

void
plan_memory_destroy(struct plan_memory *mem)
{
    if (mem) {
        struct shash_node *node;

        smap_destroy(&mem->channels);
        smap_destroy(&mem->channels_pending);
        smap_destroy(&mem->wait_since);
        smap_destroy(&mem->channels_restored);
        smap_destroy(&mem->autoprobe_before);
        smap_destroy(&mem->bonds_created);
        smap_destroy(&mem->vf_before);
        smap_destroy(&mem->vdpas_created);
        SHASH_FOR_EACH (node, &mem->intents) {
            smap_destroy(node->data);
            free(node->data);
        }
        shash_destroy(&mem->intents);
        SHASH_FOR_EACH (node, &mem->rep_ports) {
            smap_destroy(node->data);
            free(node->data);
        }
        shash_destroy(&mem->rep_ports);
    }
}

/* Model (issue 10): replaces what 'mem' remembers of the representor ports
 * of 'bridge' by 'ports' (NULL or empty: forgets them). */
void
plan_memory_set_rep_ports(struct plan_memory *mem, const char *bridge,
                          const struct smap *ports)
{
    struct smap *old = shash_find_and_delete(&mem->rep_ports, bridge);

    if (old) {
        smap_destroy(old);
        free(old);
    }
    if (ports && !smap_is_empty(ports)) {
        struct smap *copy = xmalloc(sizeof *copy);

        smap_clone(copy, ports);
        shash_add(&mem->rep_ports, bridge, copy);
    }
}

/* Plans. */

void
plan_init(struct plan *plan)
{
    memset(plan, 0, sizeof *plan);
    shash_init(&plan->bridges);
    smap_init(&plan->hw_offload);
    sset_init(&plan->waits);
    plan->next_deadline = LLONG_MAX;
}

static void
plan_object_destroy(struct plan_object *o)
{
    free(o->name);
    free(o->bridge);
    free(o->state);
    free(o->error);
    free(o->parent);
    smap_destroy(&o->desired);
    smap_destroy(&o->observed);
    free(o);
}

static void
plan_vfs_destroy(struct shash *vfs)
{
    struct shash_node *node;

    SHASH_FOR_EACH (node, vfs) {
        struct plan_vf *pv = node->data;

        free(pv->name);
        free(pv->bridge);
        free(pv->label);
        free(pv->pf);
        free(pv->pci);
        free(pv->representor);
        free(pv->driver);
        free(pv->vdpa);
        free(pv->vhost);
        free(pv->state);
        free(pv->error);
        free(pv->actions);
        free(pv);
    }
    shash_destroy(vfs);
}

static void
plan_objects_destroy(struct shash *objects)
{
    struct shash_node *node;

    SHASH_FOR_EACH (node, objects) {
        plan_object_destroy(node->data);
    }
    shash_destroy(objects);
}

void
plan_destroy(struct plan *plan)
{
    if (plan) {
        struct shash_node *node;

        for (size_t i = 0; i < plan->n_actions; i++) {
            struct plan_action *a = &plan->actions[i];
            free(a->bridge);
            free(a->target);
            free(a->arg);
            free(a->reason);
            smap_destroy(&a->options);
        }
        free(plan->actions);
        SHASH_FOR_EACH (node, &plan->bridges) {
            struct plan_bridge *pb = node->data;
            free(pb->name);
            free(pb->step);
            free(pb->error);
            sset_destroy(&pb->warnings);
            plan_objects_destroy(&pb->uplinks);
            plan_objects_destroy(&pb->bonds);
            plan_objects_destroy(&pb->reps);
            plan_objects_destroy(&pb->tunnels);
            smap_destroy(&pb->rep_ports);
            plan_vfs_destroy(&pb->vfs);
            free(pb);
        }
        shash_destroy(&plan->bridges);
        smap_destroy(&plan->hw_offload);
        sset_destroy(&plan->waits);
    }
}

static struct plan_action * OVS_PRINTF_FORMAT(7, 8)
plan_add(struct plan *plan, enum plan_op op, enum plan_step step,
         const char *bridge, const char *target, long long int n,
         const char *reason, ...)
{
    struct plan_action *a;
    va_list args;

    if (plan->n_actions >= plan->allocated_actions) {
        plan->actions = x2nrealloc(plan->actions, &plan->allocated_actions,
                                   sizeof *plan->actions);
        /* The smaps moved with the array: fix their self-references. */
        for (size_t i = 0; i < plan->n_actions; i++) {
            hmap_moved(&plan->actions[i].options.map);
        }
    }
    a = &plan->actions[plan->n_actions++];
    memset(a, 0, sizeof *a);
    a->op = op;
    a->step = step;
    a->bridge = nullable_xstrdup(bridge);
    a->target = xstrdup(target);
    a->n = n;
    smap_init(&a->options);
    va_start(args, reason);
    a->reason = xvasprintf(reason, args);
    va_end(args);
    return a;
}

static struct plan_bridge *
plan_bridge_create(struct plan *plan, const char *name)
{
    struct plan_bridge *pb = xzalloc(sizeof *pb);

    pb->name = xstrdup(name);
    pb->state = "unmanaged";
    pb->step = xstrdup("");
    sset_init(&pb->warnings);
    shash_init(&pb->uplinks);
    shash_init(&pb->bonds);
    shash_init(&pb->reps);
    shash_init(&pb->tunnels);
    smap_init(&pb->rep_ports);
    shash_init(&pb->vfs);
    shash_add(&plan->bridges, name, pb);
    return pb;
}

static struct plan_object *
plan_object_add(struct shash *objects, const char *name, const char *bridge)
{
    struct plan_object *o = shash_find_data(objects, name);

    if (!o) {
        o = xzalloc(sizeof *o);
        o->name = xstrdup(name);
        o->bridge = xstrdup(bridge);
        o->state = xstrdup("pending");
        o->vf = -1;
        smap_init(&o->desired);
        smap_init(&o->observed);
        shash_add(objects, name, o);
    }
    return o;
}

/* Iterates over the members of an sset in sorted order, so that plans and
 * messages do not depend on hash order. */
#define SSET_FOR_EACH_SORTED(NAME, I, ARRAY, SSET)                      \
    for (const char **ARRAY = sset_sort(SSET), **ARRAY##_once_ = ARRAY; \
         ARRAY##_once_; free(ARRAY), ARRAY##_once_ = NULL)              \
        for (size_t I = 0; I < sset_count(SSET)                         \
                           && ((NAME) = ARRAY[I], true); I++)

/* Context of one computation. */

struct plan_ctx {
    const struct ovsview *ovs;
    const struct hw_snapshot *hw;
    const struct plan_memory *mem;
    long long int now;
    struct plan *plan;
};

/* One device (PF function) a managed bridge uses. */
struct dev_want {
    const struct hw_device *dev;
    char *key;                  /* "BUS/NAME". */
    int num_vfs;                /* -1: leave as is. */
    struct sset uplinks;        /* Uplink link names on this device. */
};

struct bridge_ctx {
    struct plan_ctx *p;
    const struct intent_bridge *ib;
    const struct ovsview_bridge *vbr;
    struct plan_bridge *pb;
    const struct hw_link **links;   /* Resolved uplinks, in intent order. */
    size_t n_links;
    struct dev_want *devs;
    size_t n_devs;
    struct sset reps;               /* Existing representor link names. */
    struct smap rep_ids;            /* Model (issue 10): representor link
                                     * name -> representor id. */
    char *error;                    /* First error, stops the walk. */
    bool waiting;                   /* A WAIT was planned. */
    bool ovs_refused;               /* ovs-vswitchd reports an error on an
                                     * interface of a port the bridge
                                     * wants: not converged until it has
                                     * added it. */
    uint64_t steps_run;             /* 1 << step, for each step walked. */
};

static void OVS_PRINTF_FORMAT(2, 3)
bridge_error(struct bridge_ctx *b, const char *format, ...)
{
    if (!b->error) {
        va_list args;

        va_start(args, format);
        b->error = xvasprintf(format, args);
        va_end(args);
    }
}

/* If 's' starts with 'prefix' followed by at least one digit, returns what
 * follows the digits, otherwise NULL. */
static const char *
skip_prefixed_number(const char *s, const char *prefix)
{
    size_t len = strlen(prefix);
    const char *p;

    if (strncmp(s, prefix, len) || !isdigit((unsigned char) s[len])) {
        return NULL;
    }
    for (p = s + len; isdigit((unsigned char) *p); p++) {
        continue;
    }
    return p;
}

/* Whether 'name' is a VF representor's phys_port_name: "pf<N>vf<M>", or
 * "c<C>pf<N>vf<M>" for another controller's (a BlueField host's).  Called
 * for every link in every round, so no sscanf(). */
static bool
is_rep_port_name(const char *name)
{
    const char *p = name;

    if (!p) {
        return false;
    }
    if (*p == 'c') {
        p = skip_prefixed_number(p, "c");
    }
    p = p ? skip_prefixed_number(p, "pf") : NULL;
    p = p ? skip_prefixed_number(p, "vf") : NULL;
    return p && !*p;
}

static const struct hw_link *
resolve_uplink(const struct plan_ctx *p, const struct intent_uplink *u)
{
    struct shash_node *node;

    if (!u->is_pci) {
        const struct hw_link *link = hw_snapshot_find_link(p->hw, u->spec);
        return link && !is_rep_port_name(link->phys_port_name) ? link : NULL;
    }

    /* A PCI function's uplink is its devlink port of flavour "physical";
     * failing devlink ports, a non-representor netdev of that device. */
    const struct hw_device *dev = hw_snapshot_find_device(p->hw, "pci",
                                                          u->spec);
    if (dev) {
        for (size_t i = 0; i < dev->n_ports; i++) {
            const struct hw_port *port = &dev->ports[i];
            if (port->flavour == HW_PORT_PHYSICAL && port->netdev) {
                const struct hw_link *link;
                link = hw_snapshot_find_link(p->hw, port->netdev);
                if (link) {
                    return link;
                }
            }
        }
    }
    SHASH_FOR_EACH (node, &p->hw->links) {
        const struct hw_link *link = node->data;
        if (link->bus && !strcmp(link->bus, "pci") && link->dev
            && !strcmp(link->dev, u->spec)
            && !is_rep_port_name(link->phys_port_name)) {
            return link;
        }
    }
    return NULL;
}

static const char *
uplink_name(const struct bridge_ctx *b, size_t i)
{
    return b->links[i] ? b->links[i]->name : b->ib->uplinks[i].spec;
}

/* Resolves the bridge's uplinks and the devices beneath them.  Returns
 * false (with b->error or a waiting state set) if the walk cannot start. */
static bool
bridge_resolve(struct bridge_ctx *b)
{
    const struct intent_bridge *ib = b->ib;
    struct sset missing = SSET_INITIALIZER(&missing);

    b->n_links = ib->n_uplinks;
    b->links = xcalloc(ib->n_uplinks, sizeof *b->links);
    /* At most one device per uplink; allocated once, since a dev_want
     * holds an sset that must not move. */
    b->devs = xcalloc(ib->n_uplinks, sizeof *b->devs);
    for (size_t i = 0; i < ib->n_uplinks; i++) {
        const struct intent_uplink *u = &ib->uplinks[i];
        const struct hw_link *link = resolve_uplink(b->p, u);

        b->links[i] = link;
        if (!link) {
            sset_add(&missing, u->spec);
            continue;
        }

        const struct hw_device *dev = (link->bus && link->dev
                                       ? hw_snapshot_find_device(
                                           b->p->hw, link->bus, link->dev)
                                       : NULL);
        struct dev_want *dw = NULL;

        if (!dev) {
            if (u->num_vfs > 0) {
                bridge_error(b, "uplink %s has no devlink device, so it "
                             "cannot have VFs (external_ids:offload-num-vfs)",
                             link->name);
            }
            continue;
        }
        for (size_t j = 0; j < b->n_devs; j++) {
            if (b->devs[j].dev == dev) {
                dw = &b->devs[j];
            }
        }
        if (!dw) {
            dw = &b->devs[b->n_devs++];
            dw->dev = dev;
            dw->key = xasprintf("%s/%s", dev->bus, dev->name);
            dw->num_vfs = -1;
            sset_init(&dw->uplinks);
        }
        sset_add(&dw->uplinks, link->name);
        if (u->num_vfs >= 0) {
            if (dw->num_vfs >= 0 && dw->num_vfs != u->num_vfs) {
                bridge_error(b, "uplinks on device %s ask for %d and %d VFs "
                             "(external_ids:offload-num-vfs); the device has "
                             "one VF count", dw->key, dw->num_vfs,
                             u->num_vfs);
            }
            dw->num_vfs = u->num_vfs;
        }
    }

    if (!sset_is_empty(&missing)) {
        struct ds s = DS_EMPTY_INITIALIZER;
        const char *name;

        SSET_FOR_EACH_SORTED (name, k, sorted, &missing) {
            ds_put_format(&s, "%s%s", s.length ? ", " : "", name);
        }
        sset_add_and_free(&b->pb->warnings,
                          xasprintf("uplink not found: %s", ds_cstr(&s)));
        ds_destroy(&s);
        b->waiting = true;
        free(b->pb->step);
        b->pb->step = xstrdup("uplinks");
    }
    sset_destroy(&missing);
    return !b->error && !b->waiting;
}

/* Representors of 'dw' that exist now, by VF number ('reps[vf]' NULL if
 * missing): the netdev of each devlink port of flavour pcivf, checked
 * against the link's phys_port_name and phys_switch_id. */
static bool
rep_port_is_external(const struct hw_port *port)
{
    return port->external || port->controller;
}

/* The devlink port of flavour pcivf of VF 'vf' of 'dev' on the local host
 * (not a BlueField external host's), or NULL. */
static const struct hw_port *
dev_local_vf_port(const struct hw_device *dev, int vf)
{
    for (size_t i = 0; i < dev->n_ports; i++) {
        const struct hw_port *port = &dev->ports[i];

        if (port->flavour == HW_PORT_PCI_VF && port->vfnum == vf
            && !rep_port_is_external(port)) {
            return port;
        }
    }
    return NULL;
}

/* The phys_switch_id of the uplinks of 'dw', or NULL. */
static const char *
dev_switch_id(const struct bridge_ctx *b, const struct dev_want *dw)
{
    const char *switch_id = NULL;
    const char *uplink;

    SSET_FOR_EACH (uplink, &dw->uplinks) {
        const struct hw_link *l = hw_snapshot_find_link(b->p->hw, uplink);
        if (l && l->phys_switch_id) {
            switch_id = l->phys_switch_id;
        }
    }
    return switch_id;
}

/* The representor link of devlink port 'port', if it exists and is on the
 * switch 'switch_id' (NULL: any). */
static const struct hw_link *
rep_link(const struct bridge_ctx *b, const struct hw_port *port,
         const char *switch_id)
{
    const struct hw_link *link = hw_snapshot_find_link(b->p->hw,
                                                       port->netdev);

    /* A representor counts only once udev has finished with it: it is
     * never brought up or added to OVS under a name udev may change. */
    return (link && link->settled && is_rep_port_name(link->phys_port_name)
            && (!switch_id || (link->phys_switch_id
                               && !strcmp(link->phys_switch_id, switch_id)))
            ? link : NULL);
}

static const struct hw_link **
find_reps(const struct bridge_ctx *b, const struct dev_want *dw, int n)
{
    const struct hw_link **reps = xcalloc(MAX(n, 1), sizeof *reps);
    const char *switch_id = dev_switch_id(b, dw);

    for (size_t i = 0; i < dw->dev->n_ports; i++) {
        const struct hw_port *port = &dw->dev->ports[i];
        const struct hw_link *link;

        if (port->flavour != HW_PORT_PCI_VF || !port->netdev
            || port->vfnum < 0 || port->vfnum >= n
            || rep_port_is_external(port)) {
            continue;
        }
        link = rep_link(b, port, switch_id);
        if (link) {
            reps[port->vfnum] = link;
        }
    }
    return reps;
}

/* Model (issue 10): representor identity.  A representor is the devlink
 * port (device, controller, PF number, VF number) devlink reports; its
 * netdev name is only where it is now. */
static char *
rep_id(const struct dev_want *dw, const struct hw_port *port)
{
    return (rep_port_is_external(port)
            ? xasprintf("%s/c%upf%dvf%d", dw->key, port->controller,
                        port->pfnum, port->vfnum)
            : xasprintf("%s/pf%dvf%d", dw->key, port->pfnum, port->vfnum));
}

/* Adds to b->reps and b->rep_ids the representors of 'dw' that exist now:
 * those of the device's own VFs below 'n', and every representor of an
 * external controller's VFs (BlueField's host functions, "c1pf0vfN",
 * whose VF count the host sets). */
static void
collect_reps(struct bridge_ctx *b, const struct dev_want *dw, int n)
{
    const char *switch_id = dev_switch_id(b, dw);

    for (size_t i = 0; i < dw->dev->n_ports; i++) {
        const struct hw_port *port = &dw->dev->ports[i];
        const struct hw_link *link;

        if (port->flavour != HW_PORT_PCI_VF || !port->netdev
            || port->vfnum < 0
            || (!rep_port_is_external(port) && port->vfnum >= n)) {
            continue;
        }
        link = rep_link(b, port, switch_id);
        if (link) {
            sset_add(&b->reps, link->name);
            smap_replace_nocopy(&b->rep_ids, link->name, rep_id(dw, port));
        }
    }
}

static long long int rep_memory_ofport(const struct bridge_ctx *,
                                       const char *id);

/* The VF count a device has or will have once the plan is done. */
static int
dev_target_vfs(const struct dev_want *dw)
{
    return dw->num_vfs >= 0 ? dw->num_vfs : MAX(dw->dev->num_vfs, 0);
}

/* Steps.  Each returns true if the walk may go on to the next step. */

static bool
dev_is_mlx5(const struct hw_device *dev)
{
    return dev->driver && !strcmp(dev->driver, "mlx5_core");
}

/* The driver VFs of 'dev' bind to by default: the PF's. */
static const char *
dev_vf_driver(const struct hw_device *dev)
{
    return dev->driver ? dev->driver : "mlx5_core";
}

/* Whether VFs are to be created unbound (sriov_drivers_autoprobe=0) and
 * bound later: for VF-LAG (bonded PFs), and for the vfs-first order (the
 * eswitch mode changes while they exist). */
static bool
wants_unbound_vfs(const struct bridge_ctx *b)
{
    return (b->ib->bond_mode
            || (b->ib->order == INTENT_ORDER_VFS_FIRST
                && !strcmp(b->ib->eswitch, "switchdev")));
}

/* Appends to 'users' the VFs of 'dw' that someone else uses: a user port on
 * the VF's representor, or the VF bound to another driver than the PF's
 * (vfio-pci: a VM holds it) or overridden to one. */
static void
dev_vf_users(const struct plan_ctx *p, const struct dev_want *dw,
             const struct hw_link **reps, struct ds *users)
{
    const struct hw_device *dev = dw->dev;
    const char *def = dev_vf_driver(dev);

    for (int vf = 0; vf < dev->num_vfs; vf++) {
        const struct hw_vf *f = hw_device_find_vf(dev, vf);
        const struct ovsview_port *port;
        const char *br;

        if (reps && reps[vf]) {
            port = ovsview_find_port(p->ovs, reps[vf]->name, &br);
            if (port && !port->owned) {
                ds_put_format(users, "%s%s (bridge %s)",
                              users->length ? ", " : "", port->name, br);
            }
        }
        if (f && f->driver && strcmp(f->driver, def)) {
            ds_put_format(users, "%sVF %d (%s) bound to %s",
                          users->length ? ", " : "", vf,
                          f->pci ? f->pci : "?", f->driver);
        } else if (f && f->driver_override
                   && strcmp(f->driver_override, def)) {
            ds_put_format(users, "%sVF %d (%s) with driver_override %s",
                          users->length ? ", " : "", vf,
                          f->pci ? f->pci : "?", f->driver_override);
        }
    }
}

/* Refuses an uplink that already has a master other than the bridge's own
 * bond (or, without a bond, the OVS datapath). */
static void
preflight_master(struct bridge_ctx *b, const struct hw_link *l)
{
    const struct hw_link *m;
    const char *kind, *what;

    if (!l->master) {
        return;
    }
    if (b->ib->bond_mode && !strcmp(l->master, b->ib->bond_name)) {
        return;
    }
    m = hw_snapshot_find_link(b->p->hw, l->master);
    kind = m ? m->kind : "";
    if (!strcmp(kind, "openvswitch")) {
        if (!b->ib->bond_mode) {
            return;             /* The uplink is a port: the ports step. */
        }
        what = "a port of an OVS bridge";
    } else if (!strcmp(kind, "bond")) {
        what = "a member of bond";
    } else if (!strcmp(kind, "bridge")) {
        what = "a port of Linux bridge";
    } else {
        what = "enslaved to";
    }
    bridge_error(b, "uplink %s is already %s %s (master %s, kind \"%s\"): "
                 "ovs-offloadd does not take an uplink from another master; "
                 "release it first (ip link set %s nomaster, or "
                 "ovs-vsctl del-port)", l->name, what,
                 !strcmp(kind, "openvswitch") ? "(datapath)" : l->master,
                 l->master, kind[0] ? kind : "?", l->name);
}

static bool
step_preflight(struct bridge_ctx *b)
{
    const struct intent_bridge *ib = b->ib;

    for (size_t i = 0; i < b->n_links; i++) {
        if (b->links[i]) {
            preflight_master(b, b->links[i]);
        }
    }
    if (ib->bond_mode) {
        const struct hw_link *bond = hw_snapshot_find_link(b->p->hw,
                                                           ib->bond_name);
        if (bond && !strcmp(bond->kind, "bond") && bond->ctrl.bond_mode
            && strcmp(bond->ctrl.bond_mode, ib->bond_mode)) {
            bridge_error(b, "bond %s exists with mode %s, "
                         "external_ids:offload-bond asks for %s: not "
                         "adopting it (delete it, or choose another "
                         "external_ids:offload-bond-name)", ib->bond_name,
                         bond->ctrl.bond_mode, ib->bond_mode);
        } else if (bond && !strcmp(bond->kind, "bond")
                   && !smap_get(&b->p->mem->bonds_created, ib->bond_name)) {
            sset_add_and_free(&b->pb->warnings,
                              xasprintf("bond %s was not created by "
                                        "ovs-offloadd: it is used, and "
                                        "never deleted", ib->bond_name));
        }
    }

    for (size_t i = 0; i < b->n_devs; i++) {
        const struct dev_want *dw = &b->devs[i];
        const struct hw_device *dev = dw->dev;

        if (dw->num_vfs > 0 && dev->total_vfs >= 0
            && dw->num_vfs > dev->total_vfs) {
            bridge_error(b, "external_ids:offload-num-vfs: %d exceeds the "
                         "%d VFs device %s supports (sriov_totalvfs)",
                         dw->num_vfs, dev->total_vfs, dw->key);
        }
        if (!dev->eswitch_mode && !strcmp(ib->eswitch, "switchdev")) {
            if (dev_is_mlx5(dev) && dev->num_vfs <= 0) {
                /* mlx5 on older kernels answers eswitch get/set with
                 * EOPNOTSUPP while SR-IOV is off. */
                if (ib->order != INTENT_ORDER_VFS_FIRST) {
                    bridge_error(b, "device %s (mlx5_core) answers devlink "
                                 "eswitch get with EOPNOTSUPP while it has "
                                 "no VFs, as mlx5 does on older kernels: "
                                 "set external_ids:offload-order=vfs-first "
                                 "(VFs first, then switchdev)", dw->key);
                }
            } else {
                bridge_error(b, "device %s has no devlink eswitch, so it "
                             "cannot be put in switchdev mode "
                             "(external_ids:offload-eswitch)", dw->key);
            }
        }
        /* Fail closed: with a bond intended on an mlx5 PF, VFs wait for
         * the LAG; a LAG state that cannot be read is not "no LAG". */
        if (ib->bond_mode && dev_is_mlx5(dev) && !dev->lag_state
            && ib->lag_check) {
            bridge_error(b, "cannot read the mlx5 LAG state of %s "
                         "(debugfs mlx5/%s/lag/state is missing: debugfs "
                         "not mounted, kernel lockdown, or a kernel "
                         "without it): mount debugfs (mount -t debugfs "
                         "none /sys/kernel/debug), or set "
                         "external_ids:offload-lag-check=false to create "
                         "VFs without waiting for the LAG", dw->key,
                         dev->name);
        }

        /* Refuse to pull VFs from under users unless forced. */
        bool mode_change = (dev->eswitch_mode
                            && strcmp(dev->eswitch_mode, ib->eswitch));
        bool vf_change = dw->num_vfs >= 0 && dev->num_vfs > 0
                         && dw->num_vfs != dev->num_vfs;
        if ((mode_change || vf_change) && dev->num_vfs > 0 && !ib->force) {
            const struct hw_link **reps = find_reps(b, dw, dev->num_vfs);
            struct ds users = DS_EMPTY_INITIALIZER;

            dev_vf_users(b->p, dw, reps, &users);
            if (users.length) {
                bridge_error(b, "refusing to change %s of %s while its VFs "
                             "are in use: %s (set "
                             "external_ids:offload-force=true to override)",
                             mode_change ? "the eswitch mode" : "the VF count",
                             dw->key, ds_cstr(&users));
            }
            ds_destroy(&users);
            free(reps);
        }
    }
    return !b->error;
}

static bool
step_vfs_zero(struct bridge_ctx *b)
{
    bool done = true;

    for (size_t i = 0; i < b->n_devs; i++) {
        const struct hw_device *dev = b->devs[i].dev;

        if (dev->eswitch_mode && strcmp(dev->eswitch_mode, b->ib->eswitch)
            && dev->num_vfs > 0) {
            plan_add(b->p->plan, PLAN_NUMVFS, STEP_VFS_ZERO, b->ib->bridge,
                     b->devs[i].key, 0, "%d VFs exist and the eswitch mode "
                     "must change from %s to %s: VFs go first",
                     dev->num_vfs, dev->eswitch_mode, b->ib->eswitch);
            done = false;
        }
    }
    return done;
}

static bool
step_eswitch(struct bridge_ctx *b)
{
    bool done = true;

    for (size_t i = 0; i < b->n_devs; i++) {
        const struct dev_want *dw = &b->devs[i];
        const struct hw_device *dev = dw->dev;
        const char *uplink;

        if (!dev->eswitch_mode || !strcmp(dev->eswitch_mode,
                                          b->ib->eswitch)) {
            continue;
        }
        /* The channel count must be stored durably before the mode change
         * that may reset it, so that a daemon killed in between still
         * restores it. */
        bool unsaved = false;
        if (!strcmp(b->ib->eswitch, "switchdev")) {
            SSET_FOR_EACH_SORTED (uplink, k, sorted, &dw->uplinks) {
                const struct hw_link *l = hw_snapshot_find_link(b->p->hw,
                                                                uplink);
                const char *stored = (l ? smap_get(&b->p->mem->channels,
                                                   l->name) : NULL);
                const char *pending = (l ? smap_get(
                                           &b->p->mem->channels_pending,
                                           l->name) : NULL);
                /* Remember the count of now (an operator may have changed
                 * it since the last eswitch change), stored, with no mark
                 * of an earlier restoration left. */
                if (l && l->has_channels && l->channels.combined > 1
                    && (!stored
                        || strtoul(stored, NULL, 10) != l->channels.combined
                        || smap_get(&b->p->mem->channels_restored,
                                    l->name))) {
                    unsaved = true;
                    if (!pending || strtoul(pending, NULL, 10)
                                    != l->channels.combined) {
                        plan_add(b->p->plan, PLAN_REMEMBER_CHANNELS,
                                 STEP_ESWITCH, b->ib->bridge, l->name,
                                 l->channels.combined, "switchdev mode may "
                                 "reset the channel count; keep %u to "
                                 "restore it", l->channels.combined);
                    }
                }
            }
        }
        done = false;
        if (unsaved) {
            continue;
        }
        plan_add(b->p->plan, PLAN_ESWITCH, STEP_ESWITCH, b->ib->bridge,
                 dw->key, 0, "eswitch mode is %s, intent is %s",
                 dev->eswitch_mode, b->ib->eswitch)->arg
            = xstrdup(b->ib->eswitch);
    }
    return done;
}

/* The channel count from before an eswitch change is restored once after
 * it, then left to the operator (a later "ethtool -L" stays);
 * external_ids:offload-channels is declared intent and always holds. */
static bool
step_channels(struct bridge_ctx *b)
{
    bool done = true;

    for (size_t i = 0; i < b->n_links; i++) {
        const struct hw_link *l = b->links[i];
        unsigned long long want;
        const char *mem;

        if (!l || !l->has_channels) {
            continue;
        }
        mem = smap_get(&b->p->mem->channels, l->name);
        if (b->ib->channels >= 0) {
            want = b->ib->channels;
        } else if (mem && !smap_get(&b->p->mem->channels_restored,
                                    l->name)) {
            want = strtoull(mem, NULL, 10);
        } else {
            continue;
        }
        if (l->channels.max_combined && want > l->channels.max_combined) {
            sset_add_and_free(&b->pb->warnings,
                              xasprintf("%s supports at most %u channels, "
                                        "not %llu", l->name,
                                        l->channels.max_combined, want));
            want = l->channels.max_combined;
        }
        if (want && l->channels.combined != want) {
            plan_add(b->p->plan, PLAN_CHANNELS, STEP_CHANNELS, b->ib->bridge,
                     l->name, want, "%s has %u combined channels, %s %llu",
                     l->name, l->channels.combined,
                     b->ib->channels >= 0
                     ? "external_ids:offload-channels asks for"
                     : "it had before the eswitch mode change:", want);
            done = false;
        } else if (b->ib->channels < 0 && want) {
            /* Nothing to restore (the driver kept the count): from now on
             * the count is the operator's. */
            plan_add(b->p->plan, PLAN_CHANNELS_RESTORED, STEP_CHANNELS,
                     b->ib->bridge, l->name, want, "%s has its %llu channels "
                     "from before the eswitch mode change", l->name, want);
        }
    }
    return done;
}

/* NVIDIA's procedure turns hw-tc-offload on for the PFs after every
 * switchdev transition (the uplink netdev is re-created). */
static bool
step_tc_offload(struct bridge_ctx *b)
{
    bool done = true;

    if (strcmp(b->ib->eswitch, "switchdev")) {
        return true;
    }
    for (size_t i = 0; i < b->n_links; i++) {
        const struct hw_link *l = b->links[i];

        if (l && l->bus && !l->hw_tc_offload) {
            plan_add(b->p->plan, PLAN_FEATURE, STEP_TC_OFFLOAD, b->ib->bridge,
                     l->name, 1, "hw-tc-offload is off on uplink %s: tc "
                     "flower rules would not reach the eswitch", l->name)->arg
                = xstrdup("hw-tc-offload");
            done = false;
        }
    }
    return done;
}

static bool
step_mtu(struct bridge_ctx *b)
{
    bool done = true;

    /* With a bond, the PFs take the bond's MTU when they are enslaved
     * (bond_enslave()): setting it on them first would change it twice. */
    if (!b->ib->mtu || b->ib->bond_mode) {
        return true;
    }
    for (size_t i = 0; i < b->n_links; i++) {
        const struct hw_link *l = b->links[i];

        if (l && l->mtu != b->ib->mtu) {
            plan_add(b->p->plan, PLAN_MTU, STEP_MTU, b->ib->bridge, l->name,
                     b->ib->mtu, "MTU is %u, external_ids:offload-mtu is %u",
                     l->mtu, b->ib->mtu);
            done = false;
        }
    }
    return done;
}

static bool
step_bond(struct bridge_ctx *b)
{
    const struct intent_bridge *ib = b->ib;
    const struct hw_link *bond;
    bool done = true;

    if (!ib->bond_mode) {
        for (size_t i = 0; i < b->n_links; i++) {
            const struct hw_link *l = b->links[i];
            if (l && !l->admin_up) {
                plan_add(b->p->plan, PLAN_LINK_UP, STEP_BOND, ib->bridge,
                         l->name, 0, "uplink %s is down", l->name);
                done = false;
            }
        }
        return done;
    }

    bond = hw_snapshot_find_link(b->p->hw, ib->bond_name);
    if (bond && strcmp(bond->kind, "bond")) {
        bridge_error(b, "%s exists and is not a bond (kind \"%s\"); choose "
                     "another external_ids:offload-bond-name",
                     ib->bond_name, bond->kind[0] ? bond->kind : "none");
        return false;
    }
    if (!bond) {
        plan_add(b->p->plan, PLAN_BOND_CREATE, STEP_BOND, ib->bridge,
                 ib->bond_name, 100, "external_ids:offload-bond=%s and no "
                 "bond %s exists", ib->bond_mode, ib->bond_name)->arg
            = xstrdup(ib->bond_mode);
        done = false;
    }
    if (ib->mtu && (!bond || bond->mtu != ib->mtu)) {
        char have[16];

        snprintf(have, sizeof have, "%u", bond ? bond->mtu : 0);
        plan_add(b->p->plan, PLAN_MTU, STEP_BOND, ib->bridge, ib->bond_name,
                 ib->mtu, "bond MTU is %s, external_ids:offload-mtu is %u "
                 "(set before enslaving: the PFs take it as they join)",
                 bond ? have : "not set yet", ib->mtu);
        done = false;
    }
    for (size_t i = 0; i < b->n_links; i++) {
        const struct hw_link *l = b->links[i];

        if (l && (!l->master || strcmp(l->master, ib->bond_name))) {
            plan_add(b->p->plan, PLAN_SET_MASTER, STEP_BOND, ib->bridge,
                     l->name, 0, "%s is %s%s, it belongs in bond %s",
                     l->name, l->master ? "enslaved to " : "not enslaved",
                     l->master ? l->master : "", ib->bond_name)->arg
                = xstrdup(ib->bond_name);
            done = false;
        }
    }
    if (!bond || !bond->admin_up) {
        plan_add(b->p->plan, PLAN_LINK_UP, STEP_BOND, ib->bridge,
                 ib->bond_name, 0, "bond %s is down", ib->bond_name);
        done = false;
    }
    return done;
}

/* Plans a WAIT for 'key' or, once its deadline passed, an error.  Takes
 * ownership of 'key' and 'what'.  Returns false: the walk stops here. */
static bool
plan_wait(struct bridge_ctx *b, enum plan_step step, char *key,
          long long int timeout_ms, char *what)
{
    const char *since = smap_get(&b->p->mem->wait_since, key);
    long long int start = since ? strtoll(since, NULL, 10) : b->p->now;
    long long int deadline = start + timeout_ms;

    sset_add(&b->p->plan->waits, key);
    if (b->p->now >= deadline) {
        bridge_error(b, "timed out after %lld s waiting for %s",
                     timeout_ms / 1000, what);
    } else {
        plan_add(b->p->plan, PLAN_WAIT, step, b->ib->bridge, key, deadline,
                 "waiting for %s (%lld s left)", what,
                 (deadline - b->p->now + 999) / 1000);
        b->p->plan->next_deadline = MIN(b->p->plan->next_deadline, deadline);
        b->waiting = true;
    }
    free(key);
    free(what);
    return false;
}

/* Whether the LAG of 'dw' is what VF creation or binding waits for: an
 * mlx5 LAG state file that does not read "active" (an unreadable one on
 * mlx5 is an error in preflight, unless offload-lag-check=false). */
static bool
lag_pending(const struct bridge_ctx *b, const struct dev_want *dw)
{
    const char *state = dw->dev->lag_state;

    return b->ib->bond_mode && state && strcmp(state, "active");
}

/* sriov_drivers_autoprobe=0 before VF creation, so that VFs stay unbound
 * until the LAG is active; the value before is remembered and restored by
 * STEP_AUTOPROBE_RESTORE. */
static bool
step_autoprobe_off(struct bridge_ctx *b)
{
    bool done = true;

    if (!wants_unbound_vfs(b)) {
        return true;
    }
    for (size_t i = 0; i < b->n_devs; i++) {
        const struct dev_want *dw = &b->devs[i];
        const struct hw_device *dev = dw->dev;

        if (dw->num_vfs > 0 && dev->num_vfs != dw->num_vfs
            && dev->ctrl.autoprobe == 1) {
            struct plan_action *a;

            a = plan_add(b->p->plan, PLAN_AUTOPROBE, STEP_AUTOPROBE_OFF,
                         b->ib->bridge, dw->key, 0, "%s: VFs must be created "
                         "unbound and bound only %s",
                         dw->key, b->ib->bond_mode
                         ? "once the LAG is active (mlx5: \"all VFs unbound "
                           "prior to VF LAG activation\")"
                         : "after the eswitch mode change");
            smap_add(&a->options, "before", "1");
            done = false;
        }
    }
    return done;
}

static bool
step_lag_wait(struct bridge_ctx *b)
{
    if (!b->ib->bond_mode) {
        return true;
    }
    for (size_t i = 0; i < b->n_devs; i++) {
        const struct dev_want *dw = &b->devs[i];
        const char *state = dw->dev->lag_state;

        if (!state) {
            sset_add_and_free(&b->pb->warnings,
                              dev_is_mlx5(dw->dev)
                              ? xasprintf("%s: the mlx5 LAG state cannot be "
                                          "read and "
                                          "external_ids:offload-lag-check="
                                          "false: not waiting for it",
                                          dw->key)
                              : xasprintf("%s has no mlx5 LAG state file: "
                                          "not an mlx5 LAG, not waiting for "
                                          "it", dw->key));
        } else if (strcmp(state, "active")) {
            bool unbound = dw->dev->ctrl.autoprobe == 0;
            return plan_wait(b, STEP_LAG_WAIT,
                             xasprintf("lag:%s", dw->key),
                             b->ib->lag_timeout_ms,
                             xasprintf("the LAG state of %s to be \"active\" "
                                       "(it is \"%s\") before %s VFs",
                                       dw->key, state,
                                       unbound ? "binding" : "creating"));
        }
    }
    return true;
}

static bool
step_vfs(struct bridge_ctx *b)
{
    bool done = true;

    for (size_t i = 0; i < b->n_devs; i++) {
        const struct dev_want *dw = &b->devs[i];
        int have = dw->dev->num_vfs;

        if (dw->num_vfs < 0 || have == dw->num_vfs) {
            continue;
        }
        /* VFs that would bind at once (no sriov_drivers_autoprobe to keep
         * them unbound) are created only once the LAG is active. */
        if (dw->num_vfs > 0 && lag_pending(b, dw)
            && dw->dev->ctrl.autoprobe != 0) {
            continue;
        }
        /* Devices of the vfs-first profile create representors only when
         * the eswitch enters switchdev mode: VFs change in legacy mode. */
        if (b->ib->order == INTENT_ORDER_VFS_FIRST && dw->dev->eswitch_mode
            && !strcmp(dw->dev->eswitch_mode, "switchdev")) {
            plan_add(b->p->plan, PLAN_ESWITCH, STEP_VFS, b->ib->bridge,
                     dw->key, 0, "the VF count changes from %d to %d and "
                     "offload-order=vfs-first changes VFs in legacy mode",
                     MAX(have, 0), dw->num_vfs)->arg = xstrdup("legacy");
            done = false;
            continue;
        }
        if (have > 0 && dw->num_vfs > 0) {
            plan_add(b->p->plan, PLAN_NUMVFS, STEP_VFS, b->ib->bridge,
                     dw->key, 0, "sriov_numvfs cannot change from %d to %d "
                     "directly: going through 0", have, dw->num_vfs);
        }
        plan_add(b->p->plan, PLAN_NUMVFS, STEP_VFS, b->ib->bridge, dw->key,
                 dw->num_vfs, "device has %d VFs, "
                 "external_ids:offload-num-vfs wants %d%s", MAX(have, 0),
                 dw->num_vfs, (dw->num_vfs > 0 && dw->dev->ctrl.autoprobe == 0
                               ? " (created unbound)" : ""));
        done = false;
    }
    return done;
}

/* Issue 13: the intent entry of VF 'vf' of device 'dw', or NULL. */
static const struct intent_vf *
dev_intent_vf(const struct bridge_ctx *b, const struct dev_want *dw, int vf)
{
    for (size_t i = 0; i < b->n_links; i++) {
        if (b->links[i] && sset_contains(&dw->uplinks, b->links[i]->name)) {
            const struct intent_vf *iv = intent_find_vf(b->ib, i, vf);
            if (iv) {
                return iv;
            }
        }
    }
    return NULL;
}

/* Binds the VFs the daemon kept unbound (it turned autoprobe off), to the
 * PF's driver, once the LAG (if any) is active. */
static bool
step_vf_bind(struct bridge_ctx *b)
{
    bool done = true;

    if (!wants_unbound_vfs(b)) {
        return true;
    }
    for (size_t i = 0; i < b->n_devs; i++) {
        const struct dev_want *dw = &b->devs[i];
        const struct hw_device *dev = dw->dev;

        if (!smap_get(&b->p->mem->autoprobe_before, dw->key)) {
            continue;           /* Not ours to bind. */
        }
        for (size_t j = 0; j < dev->ctrl.n_vfs; j++) {
            const struct hw_vf *vf = &dev->ctrl.vfs[j];
            struct plan_action *a;

            if (vf->driver || vf->driver_override || !vf->pci
                || vf->vfnum >= dev->num_vfs) {
                continue;
            }
            /* Issue 13: the vf-driver step binds the VFs the intent
             * gives another driver (or none). */
            const struct intent_vf *iv = dev_intent_vf(b, dw, vf->vfnum);
            if (iv && iv->driver != INTENT_VF_DRIVER_UNSET
                && iv->driver != INTENT_VF_DRIVER_DEFAULT) {
                continue;
            }
            a = plan_add(b->p->plan, PLAN_BIND_VF, STEP_VF_BIND,
                         b->ib->bridge, vf->pci, 0, "VF %d of %s is unbound "
                         "and %s", vf->vfnum, dw->key,
                         b->ib->bond_mode ? "the LAG is active"
                         : "the eswitch is in its mode");
            a->arg = xstrdup(dev_vf_driver(dev));
            smap_add(&a->options, "pf", dw->key);
            done = false;
        }
    }
    return done;
}

static bool
step_autoprobe_restore(struct bridge_ctx *b)
{
    bool done = true;

    for (size_t i = 0; i < b->n_devs; i++) {
        const struct dev_want *dw = &b->devs[i];
        const char *before = smap_get(&b->p->mem->autoprobe_before, dw->key);

        if (before) {
            plan_add(b->p->plan, PLAN_AUTOPROBE, STEP_AUTOPROBE_RESTORE,
                     b->ib->bridge, dw->key, atoi(before), "the VFs of %s "
                     "are bound: sriov_drivers_autoprobe back to %s",
                     dw->key, before);
            done = false;
        }
    }
    return done;
}

static bool
step_reps_wait(struct bridge_ctx *b)
{
    if (strcmp(b->ib->eswitch, "switchdev")) {
        return true;
    }
    for (size_t i = 0; i < b->n_devs; i++) {
        const struct dev_want *dw = &b->devs[i];
        int n = MAX(dw->dev->num_vfs, 0);
        const struct hw_link **reps = find_reps(b, dw, n);
        int missing = -1;

        for (int vf = 0; vf < n; vf++) {
            if (!reps[vf]) {
                missing = vf;
                break;
            }
        }
        free(reps);
        if (missing >= 0) {
            return plan_wait(b, STEP_REPS_WAIT,
                             xasprintf("reps:%s", dw->key),
                             PLAN_REPS_TIMEOUT_MS,
                             xasprintf("the representor of VF %d of %s",
                                       missing, dw->key));
        }
    }
    return true;
}

/* The representors' MTU, hw-tc-offload and link come before they are
 * ports: a flow that ovs-vswitchd puts in tc before hw-tc-offload is on
 * stays in software, and bringing a representor up after ovs-vswitchd has
 * added it makes ovs-vswitchd work through a link change per port.  (At
 * 254 representors in the lab, up first and up after the port adds each
 * ranged over 2.1-4.7x the floor under TCG: no clear winner by time.) */
static bool
step_reps(struct bridge_ctx *b)
{
    bool done = true;
    const char *name;

    SSET_FOR_EACH_SORTED (name, k, sorted, &b->reps) {
        const struct hw_link *l = hw_snapshot_find_link(b->p->hw, name);

        if (b->ib->rep_mtu && l->mtu != b->ib->rep_mtu) {
            plan_add(b->p->plan, PLAN_MTU, STEP_REPS, b->ib->bridge, name,
                     b->ib->rep_mtu, "representor MTU is %u, "
                     "external_ids:offload-rep-mtu is %u", l->mtu,
                     b->ib->rep_mtu);
            done = false;
        }
        if (!l->hw_tc_offload) {
            plan_add(b->p->plan, PLAN_FEATURE, STEP_REPS, b->ib->bridge,
                     name, 1, "hw-tc-offload is off on representor %s",
                     name)->arg = xstrdup("hw-tc-offload");
            done = false;
        }
        if (!l->admin_up) {
            plan_add(b->p->plan, PLAN_LINK_UP, STEP_REPS, b->ib->bridge,
                     name, 0, "representor %s is down", name);
            done = false;
        }
    }
    return done;
}

/* The ports the bridge should have from the controller: uplink(s) or bond,
 * existing representors, the VXLAN port.  Values are port types. */
static void
desired_ports(const struct bridge_ctx *b, struct smap *ports)
{
    const char *name;

    if (b->ib->bond_mode) {
        smap_replace(ports, b->ib->bond_name, "");
    } else {
        for (size_t i = 0; i < b->n_links; i++) {
            if (b->links[i]) {
                smap_replace(ports, b->links[i]->name, "");
            }
        }
    }
    SSET_FOR_EACH (name, &b->reps) {
        smap_replace(ports, name, "");
    }
    if (b->ib->vxlan.enabled) {
        smap_replace(ports, b->ib->vxlan.name, "vxlan");
    }
}

/* For an owned port 'name' whose interface ovs-vswitchd reports an error
 * on: releases the hold of kernel datapath 'datapath' (the master of the
 * device, NULL if the device has none) on it (see step_ports()), at most
 * once per PLAN_DP_RELEASE_MS.  Until ovs-vswitchd has answered a release
 * (its answer is the interface's error going, which takes one of its
 * reconfigurations), the datapath may already hold the device again under
 * the vport ovs-vswitchd has just made for it, which must stay: so the time
 * of the last release is remembered for as long as the error lasts,
 * whether the datapath holds the device at the moment or not.  Returns
 * true if it planned anything. */
static bool
plan_release_dp_port(struct bridge_ctx *b, const char *name,
                     const char *datapath)
{
    struct plan_ctx *p = b->p;
    char *key = xasprintf("dp-release:%s/%s", b->ib->bridge, name);
    const char *since = smap_get(&p->mem->wait_since, key);
    long long int deadline = (since ? strtoll(since, NULL, 10)
                              + PLAN_DP_RELEASE_MS : 0);
    bool planned = datapath != NULL;

    if (since) {
        sset_add(&p->plan->waits, key);
    }
    if (!datapath) {
        /* Not held: nothing to release. */
    } else if (p->now >= deadline) {
        sset_add(&p->plan->waits, key);
        struct plan_action *a;

        a = plan_add(p->plan, PLAN_RELEASE_DP_PORT, STEP_PORTS,
                     b->ib->bridge, name, p->now, "%s is still a port of "
                     "kernel datapath %s although ovs-vswitchd has no port "
                     "for it (renamed while it was one?)", name, datapath);
        a->arg = xstrdup(datapath);
        smap_add(&a->options, "key", key);
    } else {
        plan_add(p->plan, PLAN_WAIT, STEP_PORTS, b->ib->bridge, key,
                 deadline, "the vport of %s was released; waiting for "
                 "ovs-vswitchd to add it again", name);
        p->plan->next_deadline = MIN(p->plan->next_deadline, deadline);
        b->waiting = true;
    }
    free(key);
    return planned;
}

static bool
step_ports(struct bridge_ctx *b)
{
    struct smap want = SMAP_INITIALIZER(&want);
    const struct smap_node **nodes;
    bool done = true;

    desired_ports(b, &want);
    if (b->ib->vxlan.enabled) {
        smap_remove(&want, b->ib->vxlan.name);
    }
    nodes = smap_sort(&want);
    for (size_t i = 0; i < smap_count(&want); i++) {
        const char *name = nodes[i]->key;
        const char *other;
        const struct ovsview_port *port = ovsview_find_port(b->p->ovs, name,
                                                            &other);
        if (!port) {
            const char *id = smap_get(&b->rep_ids, name);

            plan_add(b->p->plan, PLAN_PORT_ADD, STEP_PORTS, b->ib->bridge,
                     name, id ? rep_memory_ofport(b, id) : 0,
                     "%s belongs on bridge %s",
                     sset_contains(&b->reps, name) ? "representor"
                     : b->ib->bond_mode ? "bond" : "uplink",
                     b->ib->bridge)->arg = xstrdup("");
            done = false;
        } else if (strcmp(other, b->ib->bridge)) {
            sset_add_and_free(&b->pb->warnings,
                              xasprintf("%s is a port of bridge %s; not "
                                        "moving it", name, other));
        } else {
            const struct ovsview_iface *iface = shash_find_data(&port->ifaces,
                                                                name);
            if (iface && iface->error) {
                /* ovs-vswitchd retries the interface on each
                 * reconfiguration, and its answer arrives as a database
                 * update.  One cause it does not repair: the device is
                 * still linked to the kernel datapath because it was
                 * renamed while it was a port (the datapath's vport
                 * follows the device, ovs-vswitchd forgets it, and adding
                 * the new name fails with EEXIST).  That vport is what
                 * is left of an owned port: release it. */
                const struct hw_link *l = hw_snapshot_find_link(b->p->hw,
                                                                name);
                const struct hw_link *m = (l && l->master
                                           ? hw_snapshot_find_link(
                                               b->p->hw, l->master)
                                           : NULL);

                sset_add_and_free(&b->pb->warnings,
                                  xasprintf("ovs-vswitchd has not added %s: "
                                            "%s", name, iface->error));
                b->ovs_refused = true;
                if (port->owned) {
                    done = !plan_release_dp_port(
                        b, name, (m && !strcmp(m->kind, "openvswitch")
                                  ? m->name : NULL)) && done;
                }
            }
        }
    }
    free(nodes);
    smap_destroy(&want);
    return done;
}

static void
vxlan_options(const struct intent_vxlan *vx, struct smap *options)
{
    smap_add(options, "remote_ip", vx->remote_ip);
    if (vx->local_ip) {
        smap_add(options, "local_ip", vx->local_ip);
    }
    smap_add(options, "key", vx->key);
    if (vx->dst_port) {
        smap_add_format(options, "dst_port", "%d", vx->dst_port);
    }
}

static bool
step_vxlan(struct bridge_ctx *b)
{
    const struct intent_vxlan *vx = &b->ib->vxlan;
    const struct ovsview_port *port;
    const struct ovsview_iface *iface;
    struct plan_object *t;
    struct smap options;
    const char *other;
    bool done = true;

    if (!vx->enabled) {
        return true;
    }
    smap_init(&options);
    vxlan_options(vx, &options);
    t = plan_object_add(&b->pb->tunnels, vx->name, b->ib->bridge);
    smap_clone(&t->desired, &options);

    port = ovsview_find_port(b->p->ovs, vx->name, &other);
    iface = port ? shash_find_data(&port->ifaces, vx->name) : NULL;
    if (port && strcmp(other, b->ib->bridge)) {
        sset_add_and_free(&b->pb->warnings,
                          xasprintf("%s is a port of bridge %s; not moving "
                                    "it", vx->name, other));
    } else if (port && !port->owned) {
        sset_add_and_free(&b->pb->warnings,
                          xasprintf("%s was added by a user; leaving it as "
                                    "it is", vx->name));
    } else if (!port || !iface || strcmp(iface->type, "vxlan")
               || !smap_equal(&iface->options, &options)) {
        if (port) {
            plan_add(b->p->plan, PLAN_PORT_DEL, STEP_VXLAN, b->ib->bridge,
                     vx->name, 0, "its settings differ from "
                     "external_ids:offload-vxlan");
        }
        struct plan_action *a = plan_add(b->p->plan, PLAN_PORT_ADD,
                                         STEP_VXLAN, b->ib->bridge, vx->name,
                                         0, "external_ids:offload-vxlan");
        a->arg = xstrdup("vxlan");
        smap_clone(&a->options, &options);
        done = false;
    }
    if (iface && iface->error) {
        free(t->error);
        t->error = xstrdup(iface->error);
    }
    smap_destroy(&options);
    return done;
}

/* Issue 13 (vf): the settings of the VFs the intent names (MAC, VLAN with
 * QoS and protocol, spoof checking, trust, link state), through the PF.
 * The first change to a VF remembers what it had before ("before"); a VF
 * the intent no longer names (or a setting it no longer gives) gets that
 * back, and is then forgotten. */
static bool
vf_differs(const struct hw_vf_config *want, const struct hw_vf_config *have,
           enum hw_vf_setting s)
{
    switch (s) {
    case HW_VF_MAC:
        return want->mac[0] && strcasecmp(want->mac, have->mac);
    case HW_VF_VLAN:
        return (want->vlan != have->vlan
                || (want->vlan && (want->qos != have->qos
                                   || (have->vlan_proto
                                       && want->vlan_proto
                                          != have->vlan_proto))));
    case HW_VF_SPOOFCHK:
        return want->spoofchk >= 0 && want->spoofchk != have->spoofchk;
    case HW_VF_TRUST:
        return want->trust >= 0 && want->trust != have->trust;
    case HW_VF_LINK_STATE:
        return want->link_state >= 0 && want->link_state != have->link_state;
    default:
        return false;
    }
}

static bool
vf_unreported(const struct hw_vf_config *have, enum hw_vf_setting s)
{
    return ((s == HW_VF_MAC && !have->mac[0])
            || (s == HW_VF_SPOOFCHK && have->spoofchk < 0)
            || (s == HW_VF_TRUST && have->trust < 0)
            || (s == HW_VF_LINK_STATE && have->link_state < 0));
}

/* In switchdev mode a VF's MAC is its devlink port function's hw_addr
 * ("devlink port function set PORT hw_addr MAC"), not the PF's IFLA_VF_MAC:
 * 'a' (a set-vf of the MAC) gets the port, the local host's pcivf port of
 * VF 'vf' of 'dw'.  (The VF's settings, that MAC included, are still read
 * back from the PF's IFLA_VFINFO_LIST, which mlx5 fills from the same
 * vport in both modes.) */
static void
vf_mac_through_devlink(const struct dev_want *dw, int vf,
                       struct plan_action *a)
{
    const struct hw_device *dev = dw->dev;
    const struct hw_port *port;

    if (!dev->eswitch_mode || strcmp(dev->eswitch_mode, "switchdev")) {
        return;
    }
    port = dev_local_vf_port(dev, vf);
    if (port) {
        smap_add(&a->options, "devlink-dev", dw->key);
        smap_add_format(&a->options, "devlink-port", "%u", port->index);
    }
}

static bool
step_vf_settings(struct bridge_ctx *b)
{
    static const enum hw_vf_setting settings[] = {
        HW_VF_MAC, HW_VF_VLAN, HW_VF_SPOOFCHK, HW_VF_TRUST, HW_VF_LINK_STATE,
    };
    const struct intent_bridge *ib = b->ib;
    bool done = true;

    for (size_t i = 0; i < b->n_links; i++) {
        const struct hw_link *l = b->links[i];
        const struct dev_want *dw = NULL;

        for (size_t j = 0; l && j < b->n_devs; j++) {
            if (sset_contains(&b->devs[j].uplinks, l->name)) {
                dw = &b->devs[j];
            }
        }
        if (!dw) {
            continue;
        }
        /* Named VFs that do not exist. */
        for (size_t k = 0; k < ib->n_vfs; k++) {
            const struct intent_vf *iv = &ib->vfs[k];
            if (iv->uplink == i && iv->vf_last >= MAX(dw->dev->num_vfs, 0)) {
                sset_add_and_free(&b->pb->warnings, xasprintf(
                                      "external_ids:%s%s: %s has %d VFs, "
                                      "not VF %d", INTENT_VF_PREFIX,
                                      iv->label, l->name,
                                      MAX(dw->dev->num_vfs, 0),
                                      iv->vf_last));
            }
        }
        for (int vf = 0; vf < dw->dev->num_vfs; vf++) {
            const struct intent_vf *iv = intent_find_vf(ib, i, vf);
            char *key = xasprintf("%s/vf%d", dw->key, vf);
            const char *before = smap_get(&b->p->mem->vf_before, key);
            const struct hw_vf_config *have = hw_link_find_vf_config(l, vf);
            struct hw_vf_config want;
            bool changes = false;

            if (!iv && !before) {
                free(key);
                continue;
            }
            if (!have) {
                sset_add_and_free(&b->pb->warnings, xasprintf(
                                      "%s reports no settings for its VF %d "
                                      "(IFLA_VFINFO_LIST)%s", l->name, vf,
                                      l->vfs.valid ? "" : ": it could not "
                                      "be read"));
                free(key);
                continue;
            }
            /* What the VF should have: as before the daemon changed it,
             * or as it is; then what the intent says. */
            if (!before || !hw_vf_config_from_memory(before, vf, &want)) {
                hw_vf_config_init(&want, vf);
            }
            if (iv && iv->mac) {
                ovs_strlcpy(want.mac, iv->mac, sizeof want.mac);
            }
            if (iv && iv->vlan >= 0) {
                want.vlan = iv->vlan;
                want.qos = iv->vlan ? MAX(iv->qos, 0) : 0;
                want.vlan_proto = iv->vlan_proto ? iv->vlan_proto : 0x8100;
            } else if (!before) {
                want.vlan = have->vlan;
                want.qos = have->qos;
                want.vlan_proto = have->vlan_proto;
            }
            if (iv && iv->spoofchk >= 0) {
                want.spoofchk = iv->spoofchk;
            }
            if (iv && iv->trust >= 0) {
                want.trust = iv->trust;
            }
            if (iv && iv->link_state >= 0) {
                want.link_state = iv->link_state;
            }

            char *want_s = hw_vf_config_to_memory(&want);
            for (size_t s = 0; s < ARRAY_SIZE(settings); s++) {
                struct plan_action *a;

                if (!vf_differs(&want, have, settings[s])) {
                    continue;
                }
                if (vf_unreported(have, settings[s])) {
                    sset_add_and_free(&b->pb->warnings, xasprintf(
                                          "%s does not report the %s of its "
                                          "VF %d: not setting it", l->name,
                                          hw_vf_setting_to_string(
                                              settings[s]), vf));
                    continue;
                }
                a = plan_add(b->p->plan, PLAN_VF_SET, STEP_VF_SETTINGS,
                             ib->bridge, l->name, vf, "%s of VF %d of %s is "
                             "not as %s", hw_vf_setting_to_string(
                                 settings[s]), vf, l->name,
                             iv ? "external_ids:" INTENT_VF_PREFIX
                             : "it was before the daemon changed it");
                if (iv) {
                    char *r = a->reason;
                    a->reason = xasprintf("%s%s wants", r, iv->label);
                    free(r);
                }
                a->arg = xstrdup(hw_vf_setting_to_string(settings[s]));
                smap_add(&a->options, "want", want_s);
                smap_add(&a->options, "key", key);
                if (settings[s] == HW_VF_MAC) {
                    vf_mac_through_devlink(dw, vf, a);
                }
                if (!before) {
                    char *have_s = hw_vf_config_to_memory(have);
                    smap_add(&a->options, "before", have_s);
                    free(have_s);
                }
                changes = true;
            }
            free(want_s);
            if (changes) {
                done = false;
            } else if (!iv && before) {
                plan_add(b->p->plan, PLAN_VF_FORGET, STEP_VF_SETTINGS,
                         ib->bridge, key, vf, "VF %d of %s has its settings "
                         "from before the daemon changed them, and no "
                         "intent names it", vf, l->name);
                done = false;
            }
            free(key);
        }
    }
    return done;
}

/* Issue 13 (vf): the VFs the intent gives a driver ("vfio-pci", the PF's,
 * or none) are bound to it, through driver_override and drivers_probe.
 * Only the VFs the intent names; never one bound to a driver whose
 * representor carries a user's port, unless offload-force=true; on bonded
 * PFs this step comes after the LAG wait in the profile (VF-LAG order). */
static bool
step_vf_driver(struct bridge_ctx *b)
{
    const struct intent_bridge *ib = b->ib;
    bool done = true;

    for (size_t k = 0; k < ib->n_vfs; k++) {
        const struct intent_vf *iv = &ib->vfs[k];
        const struct hw_link *l = b->links[iv->uplink];
        const struct dev_want *dw = NULL;

        if (iv->driver == INTENT_VF_DRIVER_UNSET || !l) {
            continue;
        }
        for (size_t j = 0; j < b->n_devs; j++) {
            if (sset_contains(&b->devs[j].uplinks, l->name)) {
                dw = &b->devs[j];
            }
        }
        if (!dw) {
            continue;
        }
        if (strcmp(dw->dev->bus, "pci")) {
            sset_add_and_free(&b->pb->warnings, xasprintf(
                                  "external_ids:%s%s driver: the VFs of %s "
                                  "have no PCI function to bind",
                                  INTENT_VF_PREFIX, iv->label, dw->key));
            continue;
        }
        for (int vf = iv->vf_first; vf <= iv->vf_last; vf++) {
            const struct hw_vf *f = hw_device_find_vf(dw->dev, vf);
            const char *want = (iv->driver == INTENT_VF_DRIVER_VFIO
                                ? "vfio-pci"
                                : iv->driver == INTENT_VF_DRIVER_DEFAULT
                                ? dev_vf_driver(dw->dev) : NULL);
            struct plan_action *a;

            if (!f || !f->pci || vf >= dw->dev->num_vfs) {
                continue;       /* Warned about by vf-settings. */
            }
            if (want ? f->driver && !strcmp(f->driver, want) : !f->driver) {
                continue;
            }
            /* A user's port on the VF's representor: the VF is in use. */
            const char *user = NULL, *user_br = NULL;
            const struct hw_port *port = dev_local_vf_port(dw->dev, vf);
            const struct ovsview_port *op;

            if (port && port->netdev
                && (op = ovsview_find_port(b->p->ovs, port->netdev,
                                           &user_br))
                && !op->owned) {
                user = op->name;
            }
            /* Binding an unbound VF takes it from nobody. */
            if (user && f->driver && !ib->force) {
                sset_add_and_free(&b->pb->warnings, xasprintf(
                                      "not binding VF %d (%s) of %s to %s: "
                                      "its representor carries port %s "
                                      "(bridge %s) of the user's; set "
                                      "external_ids:offload-force=true to "
                                      "bind it anyway", vf, f->pci, dw->key,
                                      want ? want : "no driver", user,
                                      user_br));
                continue;
            }
            a = plan_add(b->p->plan, PLAN_VF_DRIVER, STEP_VF_DRIVER,
                         ib->bridge, f->pci, vf, "VF %d of %s is bound to %s "
                         "and external_ids:%s%s wants %s", vf, dw->key,
                         f->driver ? f->driver : "no driver",
                         INTENT_VF_PREFIX, iv->label,
                         want ? want : "no driver");
            a->arg = nullable_xstrdup(want);
            smap_add(&a->options, "pf", dw->key);
            done = false;
        }
    }
    return done;
}

/* Issue 13 (vdpa): the management device of the vDPA device of 'iv': the
 * intent's, or the VF's own PCI function ("pci/ADDRESS").  NULL (and a
 * warning) if there is none yet. */
static char *
vdpa_mgmtdev(struct bridge_ctx *b, const struct intent_vf *iv)
{
    const struct hw_link *l = b->links[iv->uplink];
    const struct dev_want *dw = NULL;
    const struct hw_vf *f;

    if (iv->vdpa_mgmtdev) {
        return xstrdup(iv->vdpa_mgmtdev);
    }
    for (size_t j = 0; l && j < b->n_devs; j++) {
        if (sset_contains(&b->devs[j].uplinks, l->name)) {
            dw = &b->devs[j];
        }
    }
    f = dw ? hw_device_find_vf(dw->dev, iv->vf_first) : NULL;
    if (!f || !f->pci || iv->vf_first >= dw->dev->num_vfs) {
        sset_add_and_free(&b->pb->warnings, xasprintf(
                              "external_ids:%s%s vdpa: VF %d of %s has no "
                              "PCI function to be the management device of "
                              "%s; set vdpa_mgmtdev=MGMTDEV",
                              INTENT_VF_PREFIX, iv->label, iv->vf_first,
                              dw ? dw->key : "the uplink", iv->vdpa));
        return NULL;
    }
    return xasprintf("pci/%s", f->pci);
}

/* Issue 13 (vdpa): how an existing vDPA device differs from what the
 * intent wants, or NULL if it does not.  What the kernel does not report
 * (a MAC, max_vqp) and what the intent leaves to the device are not
 * compared. */
static char *
vdpa_differs(const struct hw_vdpa *v, const char *mgmtdev,
             const struct intent_vf *iv)
{
    if (!v->mgmtdev || strcmp(v->mgmtdev, mgmtdev)) {
        return xasprintf("management device %s, not %s",
                         v->mgmtdev ? v->mgmtdev : "unknown", mgmtdev);
    }
    if (iv->vdpa_mac && v->mac[0] && strcmp(v->mac, iv->vdpa_mac)) {
        return xasprintf("MAC %s, not %s", v->mac, iv->vdpa_mac);
    }
    /* Linux reports max_vqp 1 for a device without VIRTIO_NET_F_MQ,
     * whatever was asked: 1 is not compared, or such a device would be
     * recreated at every round. */
    if (iv->max_vqp && v->max_vqp > 1 && v->max_vqp != iv->max_vqp) {
        return xasprintf("max_vqp %u, not %d", v->max_vqp, iv->max_vqp);
    }
    return NULL;
}

static void
plan_vdpa_add(struct bridge_ctx *b, const struct intent_vf *iv,
              const char *mgmtdev, const char *why)
{
    struct plan_action *a;

    a = plan_add(b->p->plan, PLAN_VDPA_ADD, STEP_VDPA, b->ib->bridge,
                 iv->vdpa, iv->max_vqp, "external_ids:%s%s wants vDPA device "
                 "%s on VF %d %s", INTENT_VF_PREFIX, iv->label, iv->vdpa,
                 iv->vf_first, why);
    a->arg = xstrdup(mgmtdev);
    if (iv->vdpa_mac) {
        smap_add(&a->options, "mac", iv->vdpa_mac);
    }
}

/* Issue 13 (vdpa): creates the vDPA devices the intent names that are
 * missing; one that exists with other settings is recreated if the daemon
 * created it, else it is an error (never adopted, never deleted).  One
 * that exists as wanted but that the daemon did not create is used, with a
 * warning. */
static bool
step_vdpa(struct bridge_ctx *b)
{
    const struct intent_bridge *ib = b->ib;
    bool done = true;

    for (size_t k = 0; k < ib->n_vfs; k++) {
        const struct intent_vf *iv = &ib->vfs[k];
        const struct hw_vdpa *v;
        char *mgmtdev, *diff;

        if (!iv->vdpa || !b->links[iv->uplink]) {
            continue;
        }
        mgmtdev = vdpa_mgmtdev(b, iv);
        if (!mgmtdev) {
            continue;
        }
        v = hw_snapshot_find_vdpa(b->p->hw, iv->vdpa);
        bool owned = smap_get(&b->p->mem->vdpas_created, iv->vdpa) != NULL;
        if (!v && b->p->hw->incomplete) {
            /* Missing, or not seen: the dump that would show it failed. */
            sset_add_and_free(&b->pb->warnings, xasprintf(
                                  "not creating vDPA device %s yet: the "
                                  "kernel's state is incomplete (%s)",
                                  iv->vdpa, b->p->hw->incomplete));
            b->waiting = true;
            done = false;
        } else if (!v) {
            plan_vdpa_add(b, iv, mgmtdev, "and it does not exist");
            done = false;
        } else if ((diff = vdpa_differs(v, mgmtdev, iv)) != NULL) {
            if (owned) {
                plan_add(b->p->plan, PLAN_VDPA_DEL, STEP_VDPA, ib->bridge,
                         iv->vdpa, 0, "vDPA device %s has %s: recreating "
                         "it", iv->vdpa, diff);
                plan_vdpa_add(b, iv, mgmtdev, "as the intent has it");
                done = false;
            } else {
                bridge_error(b, "vDPA device %s exists with %s "
                             "(external_ids:%s%s), and ovs-offloadd did not "
                             "create it: not changing it (delete it, or "
                             "choose another vdpa=NAME)", iv->vdpa, diff,
                             INTENT_VF_PREFIX, iv->label);
                done = false;
            }
            free(diff);
        } else if (!owned) {
            sset_add_and_free(&b->pb->warnings,
                              xasprintf("vDPA device %s was not created by "
                                        "ovs-offloadd: it is used, and "
                                        "never deleted", iv->vdpa));
        }
        free(mgmtdev);
    }
    return done;
}

/* Issue 13 (vdpa): the vDPA devices the daemon created that no valid
 * intent names any more are deleted (or forgotten, if they are gone), and
 * only from a complete snapshot: a failed dump must not look like a
 * device that went away.  A device whose bridge's intent does not parse
 * is kept (nothing is done from a broken intent). */
static void
plan_vdpa_cleanup(struct plan_ctx *p, const struct shash_node **bridges,
                  const struct intent_bridge *intents, char **errors,
                  size_t n, struct smap *warnings)
{
    const struct smap_node **owned = smap_sort(&p->mem->vdpas_created);

    for (size_t i = 0; i < smap_count(&p->mem->vdpas_created); i++) {
        const char *name = owned[i]->key, *bridge = owned[i]->value;
        bool wanted = false;

        for (size_t j = 0; j < n && !wanted; j++) {
            const struct ovsview_bridge *vbr = bridges[j]->data;

            if (!intent_is_managed(&vbr->external_ids)) {
                continue;
            }
            if (errors[j]) {
                wanted = !strcmp(vbr->name, bridge);
                continue;
            }
            for (size_t k = 0; k < intents[j].n_vfs; k++) {
                const char *want = intents[j].vfs[k].vdpa;
                wanted = wanted || (want && !strcmp(want, name));
            }
        }
        if (wanted) {
            continue;
        }
        bool exists = hw_snapshot_find_vdpa(p->hw, name) != NULL;
        if (p->hw->incomplete) {
            smap_add_nocopy(warnings, xstrdup(bridge), xasprintf(
                                "not deleting vDPA device %s yet: the "
                                "kernel's state is incomplete (%s)",
                                name, p->hw->incomplete));
            continue;
        }
        plan_add(p->plan, exists ? PLAN_VDPA_DEL : PLAN_VDPA_FORGET,
                 STEP_CLEANUP, bridge, name, 0, exists
                 ? "no intent names vDPA device %s any more, and "
                   "ovs-offloadd created it"
                 : "vDPA device %s, which ovs-offloadd created, is gone and "
                   "no intent names it", name);
    }
    free(owned);
}

static bool
bridge_run_step(struct bridge_ctx *b, enum plan_step step)
{
    switch (step) {
    case STEP_PREFLIGHT: return step_preflight(b);
    case STEP_VFS_ZERO: return step_vfs_zero(b);
    case STEP_ESWITCH: return step_eswitch(b);
    case STEP_CHANNELS: return step_channels(b);
    case STEP_TC_OFFLOAD: return step_tc_offload(b);
    case STEP_MTU: return step_mtu(b);
    case STEP_BOND: return step_bond(b);
    case STEP_LAG_WAIT: return step_lag_wait(b);
    case STEP_AUTOPROBE_OFF: return step_autoprobe_off(b);
    case STEP_VFS: return step_vfs(b);
    case STEP_VF_BIND: return step_vf_bind(b);
    case STEP_AUTOPROBE_RESTORE: return step_autoprobe_restore(b);
    case STEP_REPS_WAIT: return step_reps_wait(b);
    case STEP_REPS: return step_reps(b);
    case STEP_PORTS: return step_ports(b);
    case STEP_VXLAN: return step_vxlan(b);
    case STEP_VF_SETTINGS: return step_vf_settings(b);
    case STEP_VF_DRIVER: return step_vf_driver(b);
    case STEP_VDPA: return step_vdpa(b);
    case STEP_TEARDOWN:
    case STEP_CLEANUP:
    case STEP_GLOBAL:
    default:
        return true;
    }
}

/* Deletes the owned ports of 'vbr' that are not in 'want' (NULL: all). */
static void
plan_cleanup_ports(struct plan_ctx *p, const struct ovsview_bridge *vbr,
                   const struct smap *want, const char *why)
{
    const struct shash_node **ports = shash_sort(&vbr->ports);

    for (size_t i = 0; i < shash_count(&vbr->ports); i++) {
        const struct ovsview_port *port = ports[i]->data;

        if (port->owned && (!want || !smap_get(want, port->name))) {
            plan_add(p->plan, PLAN_PORT_DEL, STEP_CLEANUP, vbr->name,
                     port->name, 0, "%s", why);
        }
    }
    free(ports);
}

/* Model (issue 10): representor-port deletion rules. */

/* Splits a remembered "PORT OFPORT" value.  Returns false if it does not
 * parse (the value comes from a database: it is checked). */
static bool
rep_memory_parse(const char *value, char **portp, long long int *ofportp)
{
    const char *space = strrchr(value, ' ');
    char *end;

    if (!space || space == value) {
        return false;
    }
    *ofportp = strtoll(space + 1, &end, 10);
    if (*end || *ofportp < 0 || *ofportp > 65279) {
        return false;
    }
    *portp = xmemdup0(value, space - value);
    return true;
}

/* Splits representor id "BUS/DEV/pfPvfV" or "BUS/DEV/cCpfPvfV" into the
 * device key and the VF number.  Returns false if it does not parse. */
static bool
rep_id_parse(const char *id, char **keyp, int *vfp, bool *externalp)
{
    const char *slash = strrchr(id, '/');
    unsigned int c, pf, vf;
    int n = 0;

    if (!slash) {
        return false;
    }
    if (sscanf(slash + 1, "pf%uvf%u%n", &pf, &vf, &n) == 2 && !slash[1 + n]) {
        *externalp = false;
    } else if (n = 0, (sscanf(slash + 1, "c%upf%uvf%u%n", &c, &pf, &vf, &n)
                       == 3 && !slash[1 + n])) {
        *externalp = true;
    } else {
        return false;
    }
    if (vf > INT_MAX) {
        return false;
    }
    *keyp = xmemdup0(id, slash - id);
    *vfp = vf;
    return true;
}

static const struct smap *
rep_memory(const struct bridge_ctx *b)
{
    return shash_find_data(&b->p->mem->rep_ports, b->ib->bridge);
}

/* The remembered representor id of owned port 'port', or NULL. */
static const char *
rep_memory_find_port(const struct bridge_ctx *b, const char *port,
                     long long int *ofportp)
{
    const struct smap *mem = rep_memory(b);
    const struct smap_node *node;

    if (mem) {
        SMAP_FOR_EACH (node, mem) {
            char *name;

            if (rep_memory_parse(node->value, &name, ofportp)) {
                bool match = !strcmp(name, port);

                free(name);
                if (match) {
                    return node->key;
                }
            }
        }
    }
    return NULL;
}

/* The remembered OpenFlow port number of representor 'id', 0 if none. */
static long long int
rep_memory_ofport(const struct bridge_ctx *b, const char *id)
{
    const struct smap *mem = rep_memory(b);
    const char *value = mem ? smap_get(mem, id) : NULL;
    long long int ofport = 0;
    char *name;

    if (value && rep_memory_parse(value, &name, &ofport)) {
        free(name);
        return ofport;
    }
    return 0;
}

/* The link name under which representor 'id' exists now, or NULL. */
static const char *
rep_current_name(const struct bridge_ctx *b, const char *id)
{
    const struct smap_node *node;

    SMAP_FOR_EACH (node, &b->rep_ids) {
        if (!strcmp(node->value, id)) {
            return node->key;
        }
    }
    return NULL;
}

static const struct dev_want *
find_dev_want(const struct bridge_ctx *b, const char *key)
{
    for (size_t i = 0; i < b->n_devs; i++) {
        if (!strcmp(b->devs[i].key, key)) {
            return &b->devs[i];
        }
    }
    return NULL;
}

/* Whether the devlink port of representor 'id' exists on 'dw'. */
static bool
rep_port_exists(const struct dev_want *dw, const char *id)
{
    for (size_t i = 0; i < dw->dev->n_ports; i++) {
        const struct hw_port *port = &dw->dev->ports[i];

        if (port->flavour == HW_PORT_PCI_VF && port->vfnum >= 0) {
            char *pid = rep_id(dw, port);
            bool match = !strcmp(pid, id);

            free(pid);
            if (match) {
                return true;
            }
        }
    }
    return false;
}

/* Whether representor 'id' is still wanted by the bridge: its device is
 * one of the bridge's and its VF exists, or will once the plan is done.
 * '*why' says why not. */
static bool
rep_wanted(const struct bridge_ctx *b, const char *id, bool vf_now,
           char **why)
{
    const struct dev_want *dw;
    bool external;
    char *key;
    int vf;

    *why = NULL;
    if (!rep_id_parse(id, &key, &vf, &external)) {
        *why = xstrdup("its remembered identity does not parse");
        return false;
    }
    dw = find_dev_want(b, key);
    if (!dw) {
        *why = xasprintf("device %s is no longer an uplink's", key);
    } else if (vf_now && (!dw->dev->eswitch_mode
                          || strcmp(dw->dev->eswitch_mode, "switchdev"))) {
        *why = xasprintf("device %s is not in switchdev mode", key);
    } else if (external) {
        if (vf_now && !rep_port_exists(dw, id)) {
            *why = xasprintf("devlink no longer has port %s", id);
        }
    } else if (vf >= dev_target_vfs(dw)) {
        *why = xasprintf("the VF count of %s is lowered to %d",
                         key, dev_target_vfs(dw));
    } else if (vf_now && vf >= MAX(dw->dev->num_vfs, 0)) {
        *why = xasprintf("VF %d of %s no longer exists (%d VFs)", vf, key,
                         MAX(dw->dev->num_vfs, 0));
    }
    free(key);
    return !*why;
}

/* Deletes the owned ports of a managed bridge that are not in 'want',
 * except that a port that served a representor is deleted only from a
 * complete model, and only when:
 *
 *   - the representor now has another name (the port is re-pointed: the
 *     new name is added with the same OpenFlow port number), or
 *
 *   - its VF is gone or no longer wanted (the VF count was lowered), or
 *
 *   - the representor has been absent for PLAN_REP_GRACE_MS although its
 *     VF exists: a WAIT with that deadline is planned meanwhile. */
static void
plan_cleanup_managed_ports(struct bridge_ctx *b, const struct smap *want)
{
    struct plan_ctx *p = b->p;
    const struct shash_node **ports = shash_sort(&b->vbr->ports);
    struct ds kept = DS_EMPTY_INITIALIZER;

    for (size_t i = 0; i < shash_count(&b->vbr->ports); i++) {
        const struct ovsview_port *port = ports[i]->data;
        long long int ofport;
        const char *id, *now;
        char *why;

        if (!port->owned || smap_get(want, port->name)) {
            continue;
        }
        if (p->hw->incomplete) {
            ds_put_format(&kept, "%s%s", kept.length ? ", " : "",
                          port->name);
            continue;
        }
        id = rep_memory_find_port(b, port->name, &ofport);
        if (!id) {
            plan_add(p->plan, PLAN_PORT_DEL, STEP_CLEANUP, b->ib->bridge,
                     port->name, 0, "not wanted by the bridge's intent or "
                     "no longer present");
            continue;
        }
        now = rep_current_name(b, id);
        if (now) {
            plan_add(p->plan, PLAN_PORT_DEL, STEP_CLEANUP, b->ib->bridge,
                     port->name, 0, "representor %s is now %s", id, now);
        } else if (!rep_wanted(b, id, true, &why)) {
            plan_add(p->plan, PLAN_PORT_DEL, STEP_CLEANUP, b->ib->bridge,
                     port->name, 0, "representor %s is gone: %s", id, why);
            free(why);
        } else {
            char *key = xasprintf("rep-gone:%s/%s", b->ib->bridge,
                                  port->name);
            const char *since = smap_get(&p->mem->wait_since, key);
            long long int start = since ? strtoll(since, NULL, 10) : p->now;
            long long int deadline = start + PLAN_REP_GRACE_MS;

            sset_add(&p->plan->waits, key);
            if (p->now >= deadline) {
                plan_add(p->plan, PLAN_PORT_DEL, STEP_CLEANUP, b->ib->bridge,
                         port->name, 0, "representor %s has been absent "
                         "for %d s although its VF exists", id,
                         PLAN_REP_GRACE_MS / 1000);
            } else {
                plan_add(p->plan, PLAN_WAIT, STEP_CLEANUP, b->ib->bridge,
                         key, deadline, "representor %s of port %s is "
                         "absent; keeping the port for %lld s more", id,
                         port->name, (deadline - p->now + 999) / 1000);
                p->plan->next_deadline = MIN(p->plan->next_deadline,
                                             deadline);
                b->waiting = true;
            }
            free(key);
        }
    }
    if (kept.length) {
        sset_add_and_free(&b->pb->warnings,
                          xasprintf("the kernel model is incomplete (%s): "
                                    "not deleting owned ports %s",
                                    p->hw->incomplete, ds_cstr(&kept)));
    }
    ds_destroy(&kept);
    free(ports);
}

/* What plan_memory.rep_ports should hold for the bridge after this plan:
 * every representor present now, with the OpenFlow port number of its
 * port (or the one remembered), and what was remembered of representors
 * that are absent but still wanted. */
static void
bridge_rep_memory(struct bridge_ctx *b)
{
    const struct smap *mem = rep_memory(b);
    const struct smap_node *node;

    SMAP_FOR_EACH (node, &b->rep_ids) {
        const struct ovsview_port *port = shash_find_data(&b->vbr->ports,
                                                          node->key);
        const struct ovsview_iface *iface = (port
                                             ? shash_find_data(&port->ifaces,
                                                               node->key)
                                             : NULL);
        long long int ofport = (iface && iface->ofport > 0
                                ? iface->ofport
                                : rep_memory_ofport(b, node->value));

        smap_add_format(&b->pb->rep_ports, node->value, "%s %lld",
                        node->key, ofport);
    }
    if (mem && !b->p->hw->incomplete) {
        SMAP_FOR_EACH (node, mem) {
            char *why = NULL;

            if (!smap_get(&b->pb->rep_ports, node->key)
                && rep_wanted(b, node->key, false, &why)) {
                smap_add(&b->pb->rep_ports, node->key, node->value);
            }
            free(why);
        }
    } else if (mem) {
        /* An incomplete model proves nothing gone: keep it all. */
        SMAP_FOR_EACH (node, mem) {
            if (!smap_get(&b->pb->rep_ports, node->key)) {
                smap_add(&b->pb->rep_ports, node->key, node->value);
            }
        }
    }
}

/* Fills the status objects of a managed bridge from the snapshot. */
static void
bridge_fill_status(struct bridge_ctx *b)
{
    const struct intent_bridge *ib = b->ib;
    const char *name;

    for (size_t i = 0; i < b->n_links; i++) {
        const struct hw_link *l = b->links[i];
        struct plan_object *o = plan_object_add(&b->pb->uplinks,
                                                uplink_name(b, i), ib->bridge);
        const struct hw_device *dev = NULL;

        if (ib->uplinks[i].is_pci) {
            o->parent = xstrdup(ib->uplinks[i].spec);
        }
        smap_add(&o->desired, "eswitch", ib->eswitch);
        if (ib->uplinks[i].num_vfs >= 0) {
            smap_add_format(&o->desired, "num_vfs", "%d",
                            ib->uplinks[i].num_vfs);
        }
        if (ib->mtu) {
            smap_add_format(&o->desired, "mtu", "%u", ib->mtu);
        }
        if (!l) {
            free(o->state);
            o->state = xstrdup("waiting");
            continue;
        }
        smap_add_format(&o->observed, "mtu", "%u", l->mtu);
        if (l->has_channels) {
            smap_add_format(&o->observed, "channels", "%u/%u",
                            l->channels.combined, l->channels.max_combined);
        }
        if (l->master) {
            smap_add(&o->observed, "master", l->master);
        }
        if (l->bus && l->dev) {
            dev = hw_snapshot_find_device(b->p->hw, l->bus, l->dev);
            smap_add_format(&o->observed, "device", "%s/%s", l->bus, l->dev);
        }
        if (dev) {
            if (dev->eswitch_mode) {
                smap_add(&o->observed, "eswitch", dev->eswitch_mode);
            }
            smap_add_format(&o->observed, "num_vfs", "%d", dev->num_vfs);
            smap_add_format(&o->observed, "total_vfs", "%d", dev->total_vfs);
            if (dev->driver) {
                smap_add(&o->observed, "driver", dev->driver);
            }
            if (dev->fw_version) {
                smap_add(&o->observed, "firmware", dev->fw_version);
            }
            smap_add(&o->observed, "lag", (dev->lag_state ? dev->lag_state
                                           : "none"));
        }
    }

    if (ib->bond_mode) {
        struct plan_object *o = plan_object_add(&b->pb->bonds, ib->bond_name,
                                                ib->bridge);
        const struct hw_link *bond = hw_snapshot_find_link(b->p->hw,
                                                           ib->bond_name);
        smap_add(&o->desired, "mode", ib->bond_mode);
        smap_add(&o->desired, "miimon", "100");
        if (ib->mtu) {
            smap_add_format(&o->desired, "mtu", "%u", ib->mtu);
        }
        if (bond) {
            smap_add_format(&o->observed, "mtu", "%u", bond->mtu);
            smap_add(&o->observed, "up", bond->admin_up ? "true" : "false");
        }
    }

    /* Identity from devlink's numbers, never from the name: each
     * representor's VF port, the first one found (a hash, not a scan per
     * representor: 254 representors are 65,000 comparisons). */
    struct shash vf_ports = SHASH_INITIALIZER(&vf_ports);
    struct shash dev_keys = SHASH_INITIALIZER(&dev_keys);
    for (size_t i = 0; i < b->n_devs; i++) {
        for (size_t j = 0; j < b->devs[i].dev->n_ports; j++) {
            const struct hw_port *port = &b->devs[i].dev->ports[j];

            if (port->netdev && port->flavour == HW_PORT_PCI_VF
                && sset_contains(&b->reps, port->netdev)
                && shash_add_once(&vf_ports, port->netdev, port)) {
                shash_add(&dev_keys, port->netdev, b->devs[i].key);
            }
        }
    }
    SSET_FOR_EACH (name, &b->reps) {
        const struct hw_link *l = hw_snapshot_find_link(b->p->hw, name);
        struct plan_object *o = plan_object_add(&b->pb->reps, name,
                                                ib->bridge);
        const struct hw_port *port = shash_find_data(&vf_ports, name);

        if (port && !o->parent) {
            o->parent = xstrdup(shash_find_data(&dev_keys, name));
            o->vf = port->vfnum;
            smap_add_format(&o->observed, "pfnum", "%d", port->pfnum);
            if (rep_port_is_external(port)) {
                smap_add_format(&o->observed, "controller", "%u",
                                port->controller);
            }
        }
        if (ib->rep_mtu) {
            smap_add_format(&o->desired, "mtu", "%u", ib->rep_mtu);
        }
        smap_add_format(&o->observed, "mtu", "%u", l->mtu);
        if (l->phys_port_name) {
            smap_add(&o->observed, "phys_port_name", l->phys_port_name);
        }
        if (l->phys_switch_id) {
            smap_add(&o->observed, "phys_switch_id", l->phys_switch_id);
        }
    }
    shash_destroy(&vf_ports);
    shash_destroy(&dev_keys);

    /* Issue 13 (vdpa): the vDPA device of a VF, on its representor. */
    for (size_t k = 0; k < ib->n_vfs; k++) {
        const struct intent_vf *iv = &ib->vfs[k];
        const struct hw_link *ul = b->links[iv->uplink];
        struct shash_node *node;

        if (!iv->vdpa || !ul) {
            continue;
        }
        SHASH_FOR_EACH (node, &b->pb->reps) {
            struct plan_object *o = node->data;
            const struct dev_want *dw = o->parent ? find_dev_want(b, o->parent)
                                                  : NULL;
            const struct hw_vdpa *v;

            if (!dw || !sset_contains(&dw->uplinks, ul->name)
                || o->vf != iv->vf_first) {
                continue;
            }
            v = hw_snapshot_find_vdpa(b->p->hw, iv->vdpa);
            if (v) {
                smap_add(&o->observed, "vdpa", v->name);
                if (v->mgmtdev) {
                    smap_add(&o->observed, "vdpa_mgmtdev", v->mgmtdev);
                }
                if (v->mac[0]) {
                    smap_add(&o->observed, "vdpa_mac", v->mac);
                }
                if (v->max_vqp) {
                    smap_add_format(&o->observed, "vdpa_max_vqp", "%u",
                                    v->max_vqp);
                }
                if (v->vhost) {
                    smap_add(&o->observed, "vdpa_vhost", v->vhost);
                }
            }
        }
    }

    /* VXLAN headroom: the representor MTU plus encapsulation must fit in
     * the uplink MTU. */
    if (ib->vxlan.enabled) {
        unsigned int overhead = (ib->vxlan.ipv6 ? VXLAN_OVERHEAD_V6
                                 : VXLAN_OVERHEAD_V4);
        unsigned int up_mtu = ib->mtu;
        unsigned int rep_mtu = ib->rep_mtu;

        if (!up_mtu && b->n_links && b->links[0]) {
            up_mtu = b->links[0]->mtu;
        }
        if (!rep_mtu && !sset_is_empty(&b->reps)) {
            const struct hw_link *l = hw_snapshot_find_link(
                b->p->hw, SSET_FIRST(&b->reps));
            rep_mtu = l->mtu;
        }
        if (up_mtu && rep_mtu && rep_mtu + overhead > up_mtu) {
            sset_add_and_free(&b->pb->warnings,
                              xasprintf("VXLAN headroom: representor MTU %u "
                                        "+ %u bytes of VXLAN over IPv%d = %u "
                                        "exceeds the uplink MTU %u",
                                        rep_mtu, overhead,
                                        ib->vxlan.ipv6 ? 6 : 4,
                                        rep_mtu + overhead, up_mtu));
        }
    }
}

/* Issue 13 (vf status): the device beneath uplink link 'l', or NULL. */
static const struct dev_want *
bridge_find_dev(const struct bridge_ctx *b, const struct hw_link *l)
{
    for (size_t j = 0; l && j < b->n_devs; j++) {
        if (sset_contains(&b->devs[j].uplinks, l->name)) {
            return &b->devs[j];
        }
    }
    return NULL;
}

/* Issue 13 (vf status): whether 'a' acts on VF 'vf' of uplink 'l' (whose
 * device is 'dw', whose PCI function is 'pci', whose intended vDPA device
 * is 'vdpa', or NULL). */
static bool
action_is_for_vf(const struct plan_action *a, const struct hw_link *l,
                 const struct dev_want *dw, const char *pci, int vf,
                 const char *vdpa)
{
    switch (a->op) {
    case PLAN_VDPA_ADD:
    case PLAN_VDPA_DEL:
        return vdpa && !strcmp(a->target, vdpa);
    case PLAN_VF_SET:
        return l && a->n == vf && !strcmp(a->target, l->name);
    case PLAN_VF_DRIVER:
        return (dw && a->n == vf
                && !strcmp(smap_get_def(&a->options, "pf", ""), dw->key));
    case PLAN_BIND_VF:
        return pci && !strcmp(a->target, pci);
    case PLAN_VF_FORGET:
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
    case PLAN_PORT_ADD:
    case PLAN_PORT_DEL:
    case PLAN_HW_OFFLOAD:
    case PLAN_CHANNELS_RESTORED:
    case PLAN_FEATURE:
    case PLAN_AUTOPROBE:
    case PLAN_RELEASE_DP_PORT:
    case PLAN_VDPA_FORGET:
    default:
        return false;
    }
}

/* Issue 13 (vf status): one plan_vf per VF the intent names, with what the
 * snapshot has of it and a state: that of the bridge while the walk has
 * not yet reached (or passed) the VF's steps or the bridge failed,
 * "pending" while actions are planned for it, "error" when it does not
 * exist once the walk is past it, else "ok".  'first_action' is the
 * bridge's first action in the plan.  (Errors of the actions themselves
 * are the apply side's: status.c adds them.) */
static void
bridge_fill_vfs(struct bridge_ctx *b, size_t first_action)
{
    const struct intent_bridge *ib = b->ib;
    const struct plan *plan = b->p->plan;
    struct plan_bridge *pb = b->pb;

    for (size_t k = 0; k < ib->n_vfs; k++) {
        const struct intent_vf *iv = &ib->vfs[k];
        const struct hw_link *l = (iv->uplink < b->n_links
                                   ? b->links[iv->uplink] : NULL);
        const struct dev_want *dw = bridge_find_dev(b, l);
        const char *pf = (iv->uplink < b->n_links ? uplink_name(b, iv->uplink)
                          : ib->uplinks[iv->uplink].spec);
        uint64_t steps = UINT64_C(1) << STEP_VF_SETTINGS;

        if (iv->driver != INTENT_VF_DRIVER_UNSET) {
            steps |= UINT64_C(1) << STEP_VF_DRIVER;
        }
        for (int vf = iv->vf_first; vf <= iv->vf_last; vf++) {
            char *name = xasprintf("%s/vf%d", pf, vf);

            if (intent_find_vf(ib, iv->uplink, vf) != iv
                || shash_find(&pb->vfs, name)) {
                free(name);
                continue;
            }

            struct plan_vf *pv = xzalloc(sizeof *pv);
            pv->name = name;
            pv->bridge = xstrdup(ib->bridge);
            pv->label = xstrdup(iv->label);
            pv->pf = xstrdup(pf);
            pv->vf = vf;
            hw_vf_config_init(&pv->config, vf);
            shash_add(&pb->vfs, name, pv);

            const struct hw_vf_config *cfg = (l ? hw_link_find_vf_config(l,
                                                                         vf)
                                              : NULL);
            if (cfg) {
                pv->has_config = true;
                pv->config = *cfg;
            }
            bool exists = dw && vf < dw->dev->num_vfs;
            if (dw && exists) {
                const struct hw_vf *f = hw_device_find_vf(dw->dev, vf);
                if (f) {
                    pv->pci = nullable_xstrdup(f->pci);
                    pv->driver = nullable_xstrdup(f->driver);
                }
                const struct hw_port *port = dev_local_vf_port(dw->dev, vf);
                if (port && port->netdev) {
                    pv->representor = xstrdup(port->netdev);
                }
            }
            const struct hw_vdpa *vdpa = (iv->vdpa
                                          ? hw_snapshot_find_vdpa(b->p->hw,
                                                                  iv->vdpa)
                                          : NULL);
            if (vdpa) {
                pv->vdpa = xstrdup(vdpa->name);
                pv->vhost = nullable_xstrdup(vdpa->vhost);
            }

            for (size_t i = first_action; i < plan->n_actions; i++) {
                if (action_is_for_vf(&plan->actions[i], l, dw, pv->pci, vf,
                                     iv->vdpa)) {
                    pv->actions = xrealloc(pv->actions,
                                           (pv->n_actions + 1)
                                           * sizeof *pv->actions);
                    pv->actions[pv->n_actions++] = i;
                }
            }

            if (!strcmp(pb->state, "error") || !strcmp(pb->state, "conflict")
                || (b->steps_run & steps) != steps) {
                pv->state = xstrdup(!strcmp(pb->state, "converged") ? "ok"
                                    : pb->state);
            } else if (pv->n_actions) {
                pv->state = xstrdup("pending");
            } else if (!exists) {
                pv->state = xstrdup("error");
                pv->error = xasprintf("%s has %d VFs, not VF %d", pf,
                                      dw ? MAX(dw->dev->num_vfs, 0) : 0, vf);
            } else {
                pv->state = xstrdup("ok");
            }
        }
    }
}

/* Model (issue 10): destructive actions (lowering a VF count, changing an
 * eswitch mode, deleting a link) need a complete model.  Drops those among
 * the actions from 'first' on, and says so in 'pb'.  Returns true if it
 * dropped any. */
static bool
plan_drop_destructive(struct plan_ctx *p, size_t first,
                      struct plan_bridge *pb)
{
    struct plan *plan = p->plan;
    struct sset dropped_devs = SSET_INITIALIZER(&dropped_devs);
    struct ds dropped = DS_EMPTY_INITIALIZER;
    size_t keep = first;

    for (size_t i = first; i < plan->n_actions; i++) {
        struct plan_action *a = &plan->actions[i];
        const struct hw_device *dev = shash_find_data(&p->hw->devices,
                                                      a->target);
        bool drop = false;

        switch (a->op) {
        case PLAN_NUMVFS:
            /* N -> 0 -> M: once the lowering goes, so does the rest. */
            drop = (!dev || a->n < dev->num_vfs
                    || sset_contains(&dropped_devs, a->target));
            if (drop) {
                sset_add(&dropped_devs, a->target);
            }
            break;
        case PLAN_ESWITCH:
        case PLAN_DELETE_LINK:
        case PLAN_RELEASE_DP_PORT:
        case PLAN_VDPA_FORGET:
            drop = true;
            break;
        case PLAN_VDPA_DEL:
            /* A recreation goes with its deletion. */
            drop = true;
            sset_add(&dropped_devs, a->target);
            break;
        case PLAN_VDPA_ADD:
            drop = sset_contains(&dropped_devs, a->target);
            break;
        case PLAN_REMEMBER_CHANNELS:
        case PLAN_CHANNELS:
        case PLAN_MTU:
        case PLAN_BOND_CREATE:
        case PLAN_SET_MASTER:
        case PLAN_LINK_UP:
        case PLAN_WAIT:
        case PLAN_PORT_ADD:
        case PLAN_PORT_DEL:
        case PLAN_HW_OFFLOAD:
        case PLAN_CHANNELS_RESTORED:
        case PLAN_FEATURE:
        case PLAN_AUTOPROBE:
        case PLAN_BIND_VF:
        case PLAN_VF_SET:
        case PLAN_VF_FORGET:
        case PLAN_VF_DRIVER:
        default:
            break;
        }
        if (drop) {
            ds_put_format(&dropped, "%s", dropped.length ? "; " : "");
            plan_format_action(a, &dropped);
            free(a->bridge);
            free(a->target);
            free(a->arg);
            free(a->reason);
            smap_destroy(&a->options);
        } else {
            plan->actions[keep] = *a;
            hmap_moved(&plan->actions[keep].options.map);
            keep++;
        }
    }
    plan->n_actions = keep;
    sset_destroy(&dropped_devs);
    if (!dropped.length) {
        ds_destroy(&dropped);
        return false;
    }
    sset_add_and_free(&pb->warnings,
                      xasprintf("the kernel model is incomplete (%s): not "
                                "planning %s", p->hw->incomplete,
                                ds_cstr(&dropped)));
    /* Observe again while waiting for a complete model. */
    sset_add(&plan->waits, "model-complete");
    ds_destroy(&dropped);
    return true;
}

/* Plans one managed bridge whose intent parsed.  'conflict' is non-NULL if
 * another bridge claims one of its uplinks. */
static void
plan_managed_bridge(struct plan_ctx *p, const struct intent_bridge *ib,
                    const struct ovsview_bridge *vbr, const char *conflict)
{
    struct plan_bridge *pb = plan_bridge_create(p->plan, ib->bridge);
    struct bridge_ctx b = {
        .p = p, .ib = ib, .vbr = vbr, .pb = pb,
        .reps = SSET_INITIALIZER(&b.reps),
        .rep_ids = SMAP_INITIALIZER(&b.rep_ids),
    };
    const enum plan_step *profile;
    size_t n_steps;
    size_t first_action = p->plan->n_actions;
    bool stopped = false;       /* The walk stopped before the last step. */

    pb->managed = true;
    if (conflict) {
        pb->state = "conflict";
        pb->error = xstrdup(conflict);
        goto out;
    }

    if (bridge_resolve(&b)) {
        /* Existing representors of every device, in switchdev mode. */
        if (!strcmp(ib->eswitch, "switchdev")) {
            for (size_t i = 0; i < b.n_devs; i++) {
                const struct dev_want *dw = &b.devs[i];

                collect_reps(&b, dw, MIN(MAX(dw->dev->num_vfs, 0),
                                         dev_target_vfs(dw)));
            }
        }

        /* Owned ports nobody wants go first. */
        struct smap want = SMAP_INITIALIZER(&want);
        desired_ports(&b, &want);
        plan_cleanup_managed_ports(&b, &want);
        smap_destroy(&want);

        if (ib->order == INTENT_ORDER_VFS_FIRST) {
            profile = vfs_first_profile;
            n_steps = ARRAY_SIZE(vfs_first_profile);
        } else {
            profile = mlx5_profile;
            n_steps = ARRAY_SIZE(mlx5_profile);
        }
        for (size_t i = 0; i < n_steps; i++) {
            b.steps_run |= UINT64_C(1) << profile[i];
            if (!bridge_run_step(&b, profile[i])) {
                free(pb->step);
                pb->step = xstrdup(plan_step_to_string(profile[i]));
                stopped = true;
                break;
            }
        }
        /* Every step is satisfied but some planned what does not hold
         * back the next (a representor going up): the last of them is the
         * one in progress. */
        for (size_t i = p->plan->n_actions; !stopped && i > first_action;
             i--) {
            enum plan_step step = p->plan->actions[i - 1].step;

            if (step != STEP_CLEANUP && step != STEP_GLOBAL
                && step != STEP_TEARDOWN) {
                free(pb->step);
                pb->step = xstrdup(plan_step_to_string(step));
                break;
            }
        }
    }
    bridge_fill_status(&b);
    bridge_rep_memory(&b);
    if (p->hw->incomplete && plan_drop_destructive(p, first_action, pb)) {
        b.waiting = true;
    }

    if (b.error) {
        pb->state = "error";
        pb->error = b.error;
        b.error = NULL;
        /* An error stops the bridge: drop what this bridge planned beyond
         * the clean-up of stale ports. */
        size_t keep = first_action;
        for (size_t i = first_action; i < p->plan->n_actions; i++) {
            struct plan_action *a = &p->plan->actions[i];
            if (a->step == STEP_CLEANUP) {
                p->plan->actions[keep] = *a;
                hmap_moved(&p->plan->actions[keep].options.map);
                keep++;
            } else {
                free(a->bridge);
                free(a->target);
                free(a->arg);
                free(a->reason);
                smap_destroy(&a->options);
            }
        }
        p->plan->n_actions = keep;
    } else if (b.waiting) {
        pb->state = "waiting";
    } else if (p->plan->n_actions > first_action || stopped
               || b.ovs_refused) {
        /* Converged only once every step is satisfied: a step may stop the
         * walk with nothing to do yet (e.g. until a remembered value is
         * stored). */
        pb->state = "pending";
    } else {
        pb->state = "converged";
        free(pb->step);
        pb->step = xstrdup("");
    }

    /* Objects share the bridge's state unless they know better. */
    struct shash *tables[] = { &pb->uplinks, &pb->bonds, &pb->reps,
                               &pb->tunnels };
    for (size_t t = 0; t < ARRAY_SIZE(tables); t++) {
        struct shash_node *node;
        SHASH_FOR_EACH (node, tables[t]) {
            struct plan_object *o = node->data;
            if (!strcmp(o->state, "pending")) {
                free(o->state);
                o->state = xstrdup(!strcmp(pb->state, "converged") ? "ok"
                                   : pb->state);
            }
        }
    }
    bridge_fill_vfs(&b, first_action);

out:
    for (size_t i = 0; i < b.n_devs; i++) {
        free(b.devs[i].key);
        sset_destroy(&b.devs[i].uplinks);
    }
    free(b.devs);
    free(b.links);
    free(b.error);
    sset_destroy(&b.reps);
    smap_destroy(&b.rep_ids);
}

/* Plans undoing the hardware a bridge's former intent set up, for
 * offload-teardown=true: the bond is deleted if the daemon created it, VFs
 * removed and the eswitch put back in legacy mode, unless the VFs are in
 * use (a user port on a representor, a VF bound to another driver such as
 * vfio-pci) and 'force' is false. */
static void
plan_teardown(struct plan_ctx *p, const char *bridge,
              const struct smap *former, bool force, struct plan_bridge *pb)
{
    struct intent_bridge ib;
    char *error = intent_parse_bridge(bridge, former, &ib);
    size_t first = p->plan->n_actions;

    if (error) {
        free(error);
        return;
    }
    if (ib.bond_mode && hw_snapshot_find_link(p->hw, ib.bond_name)) {
        if (smap_get(&p->mem->bonds_created, ib.bond_name)) {
            plan_add(p->plan, PLAN_DELETE_LINK, STEP_TEARDOWN, bridge,
                     ib.bond_name, 0, "offload-teardown=true: removing the "
                     "bond the controller created");
        } else {
            sset_add_and_free(&pb->warnings,
                              xasprintf("offload-teardown: keeping bond %s: "
                                        "ovs-offloadd did not create it",
                                        ib.bond_name));
        }
    }
    for (size_t i = 0; i < ib.n_uplinks; i++) {
        const struct hw_link *l = resolve_uplink(p, &ib.uplinks[i]);
        const struct hw_device *dev;
        char *key;

        if (!l || !l->bus || !l->dev) {
            continue;
        }
        dev = hw_snapshot_find_device(p->hw, l->bus, l->dev);
        if (!dev) {
            continue;
        }
        key = xasprintf("%s/%s", dev->bus, dev->name);
        bool dup = false;
        for (size_t j = first; j < p->plan->n_actions; j++) {
            const struct plan_action *a = &p->plan->actions[j];
            dup = dup || (a->step == STEP_TEARDOWN && !strcmp(a->target, key));
        }
        if (dup) {
            free(key);
            continue;
        }
        if (dev->num_vfs > 0 && !force) {
            struct dev_want dw = { .dev = dev, .key = key };
            const struct hw_link **reps = xcalloc(dev->num_vfs,
                                                  sizeof *reps);
            struct ds users = DS_EMPTY_INITIALIZER;

            /* Representors of this device, by devlink port. */
            for (size_t j = 0; j < dev->n_ports; j++) {
                const struct hw_port *port = &dev->ports[j];
                if (port->flavour == HW_PORT_PCI_VF && port->netdev
                    && port->vfnum >= 0 && port->vfnum < dev->num_vfs) {
                    reps[port->vfnum] = hw_snapshot_find_link(p->hw,
                                                              port->netdev);
                }
            }
            dev_vf_users(p, &dw, reps, &users);
            free(reps);
            if (users.length) {
                sset_add_and_free(&pb->warnings, xasprintf(
                                      "offload-teardown: keeping the VFs "
                                      "and eswitch mode of %s, its VFs are "
                                      "in use: %s (set "
                                      "external_ids:offload-force=true to "
                                      "remove them anyway)", key,
                                      ds_cstr(&users)));
                ds_destroy(&users);
                free(key);
                continue;
            }
            ds_destroy(&users);
        }
        if (dev->num_vfs > 0) {
            plan_add(p->plan, PLAN_NUMVFS, STEP_TEARDOWN, bridge, key, 0,
                     "offload-teardown=true: removing VFs");
        }
        if (dev->eswitch_mode && strcmp(dev->eswitch_mode, "legacy")) {
            plan_add(p->plan, PLAN_ESWITCH, STEP_TEARDOWN, bridge, key, 0,
                     "offload-teardown=true: back to legacy mode")->arg
                = xstrdup("legacy");
        }
        free(key);
    }
    if (pb && p->hw->incomplete) {
        plan_drop_destructive(p, first, pb);
    }
    if (pb && p->plan->n_actions > first) {
        free(pb->step);
        pb->step = xstrdup("teardown");
    }
    intent_bridge_destroy(&ib);
}

static void
plan_hw_offload(struct plan_ctx *p, bool any_managed)
{
    enum intent_hw_offload mode;
    char *error = intent_parse_hw_offload(&p->ovs->external_ids, &mode);
    const char *configured = smap_get_def(&p->ovs->other_config,
                                          "hw-offload", "false");
    const char *want = NULL;

    smap_add(&p->plan->hw_offload, "mode",
             intent_hw_offload_to_string(mode));
    smap_add(&p->plan->hw_offload, "configured", configured);
    if (error) {
        smap_add_nocopy(&p->plan->hw_offload, "error", error);
        return;
    }
    switch (mode) {
    case INTENT_HW_OFFLOAD_AUTO:
        want = any_managed ? "true" : NULL;
        break;
    case INTENT_HW_OFFLOAD_TRUE:
        want = "true";
        break;
    case INTENT_HW_OFFLOAD_FALSE:
        want = "false";
        break;
    case INTENT_HW_OFFLOAD_MANUAL:
    default:
        break;
    }
    if (want) {
        smap_add(&p->plan->hw_offload, "desired", want);
        if (strcmp(configured, want)) {
            plan_add(p->plan, PLAN_HW_OFFLOAD, STEP_GLOBAL, NULL,
                     "other_config:hw-offload", 0, "hw-offload is %s, "
                     "offload-hw-offload=%s wants %s", configured,
                     intent_hw_offload_to_string(mode), want)->arg
                = xstrdup(want);
        }
    }
}

/* Computes into 'plan' (initialized by the caller) what to do now. */
void
plan_compute(const struct ovsview *ovs, const struct hw_snapshot *hw,
             const struct plan_memory *mem, long long int now,
             struct plan *plan)
{
    struct plan_ctx p = { ovs, hw, mem, now, plan };
    const struct shash_node **bridges = shash_sort(&ovs->bridges);
    size_t n = shash_count(&ovs->bridges);
    struct intent_bridge *intents = xcalloc(MAX(n, 1), sizeof *intents);
    char **errors = xcalloc(MAX(n, 1), sizeof *errors);
    struct shash claims = SHASH_INITIALIZER(&claims);
    bool any_managed = false;

    /* Parse every managed bridge's intent, and note which bridge claims
     * which uplink. */
    for (size_t i = 0; i < n; i++) {
        const struct ovsview_bridge *vbr = bridges[i]->data;

        if (!intent_is_managed(&vbr->external_ids)) {
            continue;
        }
        errors[i] = intent_parse_bridge(vbr->name, &vbr->external_ids,
                                        &intents[i]);
        if (errors[i]) {
            continue;
        }
        for (size_t j = 0; j < intents[i].n_uplinks; j++) {
            const struct hw_link *l = resolve_uplink(&p,
                                                     &intents[i].uplinks[j]);
            const char *key = l ? l->name : intents[i].uplinks[j].spec;
            struct sset *who = shash_find_data(&claims, key);

            if (!who) {
                who = xmalloc(sizeof *who);
                sset_init(who);
                shash_add(&claims, key, who);
            }
            sset_add(who, vbr->name);
        }
    }

    /* Issue 13 (vdpa): owned vDPA devices nobody wants go first. */
    struct smap vdpa_warnings = SMAP_INITIALIZER(&vdpa_warnings);
    plan_vdpa_cleanup(&p, bridges, intents, errors, n, &vdpa_warnings);

    for (size_t i = 0; i < n; i++) {
        const struct ovsview_bridge *vbr = bridges[i]->data;

        if (!intent_is_managed(&vbr->external_ids)) {
            const struct smap *former = shash_find_data(&mem->intents,
                                                        vbr->name);
            struct plan_bridge *pb = plan_bridge_create(plan, vbr->name);

            plan_cleanup_ports(&p, vbr, NULL, "the bridge is no longer "
                               "managed (no external_ids:offload-uplinks)");
            if (former && smap_get_bool(&vbr->external_ids,
                                        "offload-teardown", false)) {
                plan_teardown(&p, vbr->name, former,
                              smap_get_bool(&vbr->external_ids,
                                            "offload-force", false), pb);
            }
            continue;
        }
        if (errors[i]) {
            struct plan_bridge *pb = plan_bridge_create(plan, vbr->name);
            pb->managed = true;
            pb->state = "error";
            pb->error = errors[i];
            errors[i] = NULL;
            continue;
        }

        /* A bridge whose uplink another bridge also claims is in conflict:
         * neither changes anything. */
        struct ds conflict = DS_EMPTY_INITIALIZER;
        for (size_t j = 0; j < intents[i].n_uplinks; j++) {
            const struct hw_link *l = resolve_uplink(&p,
                                                     &intents[i].uplinks[j]);
            const char *key = l ? l->name : intents[i].uplinks[j].spec;
            const struct sset *who = shash_find_data(&claims, key);
            const char *other;

            SSET_FOR_EACH_SORTED (other, k, sorted, who) {
                if (strcmp(other, vbr->name)) {
                    ds_put_format(&conflict, "%suplink %s is also claimed "
                                  "by bridge %s", conflict.length ? "; " : "",
                                  key, other);
                }
            }
        }
        plan_managed_bridge(&p, &intents[i], vbr,
                            conflict.length ? ds_cstr(&conflict) : NULL);
        any_managed = any_managed || !conflict.length;
        ds_destroy(&conflict);
    }

    plan_hw_offload(&p, any_managed);

    struct smap_node *wn;
    SMAP_FOR_EACH (wn, &vdpa_warnings) {
        struct plan_bridge *pb = shash_find_data(&plan->bridges, wn->key);
        if (pb) {
            sset_add(&pb->warnings, wn->value);
        }
    }
    smap_destroy(&vdpa_warnings);

    struct shash_node *node;
    SHASH_FOR_EACH (node, &claims) {
        sset_destroy(node->data);
        free(node->data);
    }
    shash_destroy(&claims);
    for (size_t i = 0; i < n; i++) {
        intent_bridge_destroy(&intents[i]);
        free(errors[i]);
    }
    free(intents);
    free(errors);
    free(bridges);
}

void
plan_format_action(const struct plan_action *a, struct ds *out)
{
    ds_put_format(out, "%s %s", plan_op_to_string(a->op), a->target);
    switch (a->op) {
    case PLAN_NUMVFS:
    case PLAN_CHANNELS:
    case PLAN_MTU:
    case PLAN_REMEMBER_CHANNELS:
    case PLAN_CHANNELS_RESTORED:
    case PLAN_AUTOPROBE:
        ds_put_format(out, " %lld", a->n);
        break;
    case PLAN_FEATURE:
        ds_put_format(out, " %s %s", a->arg, a->n ? "on" : "off");
        break;
    case PLAN_BIND_VF:
        ds_put_format(out, " %s (VF of %s)", a->arg,
                      smap_get_def(&a->options, "pf", "?"));
        break;
    case PLAN_VF_SET: {
        static const enum hw_vf_setting all[] = {
            HW_VF_MAC, HW_VF_VLAN, HW_VF_SPOOFCHK, HW_VF_TRUST,
            HW_VF_LINK_STATE,
        };
        struct hw_vf_config c;

        hw_vf_config_from_memory(smap_get(&a->options, "want"), a->n, &c);
        ds_put_format(out, " vf %lld %s ", a->n, a->arg);
        for (size_t i = 0; i < ARRAY_SIZE(all); i++) {
            if (!strcmp(a->arg, hw_vf_setting_to_string(all[i]))) {
                hw_vf_setting_format(&c, all[i], out);
            }
        }
        if (smap_get(&a->options, "devlink-port")) {
            ds_put_format(out, " (port function %s/%s hw_addr)",
                          smap_get_def(&a->options, "devlink-dev", "?"),
                          smap_get(&a->options, "devlink-port"));
        }
        break;
    }
    case PLAN_VF_FORGET:
        break;
    case PLAN_VDPA_ADD:
        ds_put_format(out, " mgmtdev=%s", a->arg);
        if (smap_get(&a->options, "mac")) {
            ds_put_format(out, " mac=%s", smap_get(&a->options, "mac"));
        }
        if (a->n) {
            ds_put_format(out, " max_vqp=%lld", a->n);
        }
        break;
    case PLAN_VDPA_DEL:
    case PLAN_VDPA_FORGET:
        break;
    case PLAN_VF_DRIVER:
        ds_put_format(out, " %s (VF %lld of %s)", a->arg ? a->arg : "none",
                      a->n, smap_get_def(&a->options, "pf", "?"));
        break;
    case PLAN_ESWITCH:
    case PLAN_SET_MASTER:
    case PLAN_HW_OFFLOAD:
    case PLAN_RELEASE_DP_PORT:
        ds_put_format(out, " %s", a->arg);
        break;
    case PLAN_BOND_CREATE:
        ds_put_format(out, " mode=%s miimon=%lld", a->arg, a->n);
        break;
    case PLAN_PORT_ADD:
        if (a->arg && a->arg[0]) {
            ds_put_format(out, " type=%s", a->arg);
        }
        if (a->n > 0) {
            ds_put_format(out, " ofport_request=%lld", a->n);
        }
        if (!smap_is_empty(&a->options)) {
            const struct smap_node **opts = smap_sort(&a->options);
            for (size_t i = 0; i < smap_count(&a->options); i++) {
                ds_put_format(out, " options:%s=%s", opts[i]->key,
                              opts[i]->value);
            }
            free(opts);
        }
        break;
    case PLAN_WAIT:
    case PLAN_LINK_UP:
    case PLAN_DELETE_LINK:
    case PLAN_PORT_DEL:
    default:
        break;
    }
}

/* Appends the deterministic text form of 'plan': the actions in order, then
 * each bridge's state. */
void
plan_format(const struct plan *plan, struct ds *out)
{
    const struct shash_node **bridges;

    for (size_t i = 0; i < plan->n_actions; i++) {
        const struct plan_action *a = &plan->actions[i];

        ds_put_format(out, "%zu. [%s%s%s] ", i + 1,
                      a->bridge ? a->bridge : "", a->bridge ? " " : "",
                      plan_step_to_string(a->step));
        plan_format_action(a, out);
        ds_put_format(out, "\n     because %s\n", a->reason);
    }
    if (!plan->n_actions) {
        ds_put_cstr(out, "no actions\n");
    }

    bridges = shash_sort(&plan->bridges);
    for (size_t i = 0; i < shash_count(&plan->bridges); i++) {
        const struct plan_bridge *pb = bridges[i]->data;
        const char *w;

        ds_put_format(out, "bridge %s: %s", pb->name, pb->state);
        if (pb->step[0]) {
            ds_put_format(out, " (step %s)", pb->step);
        }
        ds_put_char(out, '\n');
        if (pb->error) {
            ds_put_format(out, "    error: %s\n", pb->error);
        }
        SSET_FOR_EACH_SORTED (w, k, sorted, &pb->warnings) {
            ds_put_format(out, "    warning: %s\n", w);
        }
    }
    free(bridges);
    if (smap_get(&plan->hw_offload, "error")) {
        ds_put_format(out, "hw-offload: error: %s\n",
                      smap_get(&plan->hw_offload, "error"));
    }
}
