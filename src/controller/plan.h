/*
 * plan: the pure heart of ovs-offloadd.
 *
 * plan_compute() maps (intent in the Open_vSwitch database, a snapshot of
 * the kernel, what the controller remembers, the time) to an ordered list
 * of actions, each with the step of the sequence it belongs to and the
 * reason it exists, plus the status every object should show.  It does no
 * I/O, never logs, and uses no globals: the same inputs always give the
 * same plan, which is what the golden tests and "offload/plan" (a dry run)
 * rely on.
 *
 * Sequencing.  The hardware of a bridge is brought up in an order that is
 * data: a profile is an array of steps (plan_profiles[]), walked in order;
 * the walk stops at the first step that is not yet satisfied by the
 * snapshot, after planning that step's actions.  The next iteration, after
 * the actions ran and the kernel was observed again, continues from there.
 * Waiting (for the mlx5 LAG to turn active, for representors to appear) is
 * a step that plans a WAIT with a deadline, never a sleep; past the
 * deadline it becomes an error.
 *
 * Deletions of ports the controller owns come before everything else, so
 * that a representor that went away never leaves a stale port behind.
 */
#ifndef PLAN_H
#define PLAN_H 1

#include <stdbool.h>
#include <stdint.h>
#include "openvswitch/shash.h"
#include "smap.h"
#include "sset.h"
#include "hw.h"

struct ds;
struct hw_snapshot;
struct ovsview;

enum plan_op {
    PLAN_NUMVFS,                /* target=BUS/DEV, n=VFs. */
    PLAN_ESWITCH,               /* target=BUS/DEV, arg=mode. */
    PLAN_REMEMBER_CHANNELS,     /* target=link, n=combined channels. */
    PLAN_CHANNELS,              /* target=link, n=combined channels. */
    PLAN_MTU,                   /* target=link, n=MTU. */
    PLAN_BOND_CREATE,           /* target=bond, arg=mode. */
    PLAN_SET_MASTER,            /* target=link, arg=master. */
    PLAN_LINK_UP,               /* target=link. */
    PLAN_DELETE_LINK,           /* target=link. */
    PLAN_RELEASE_DP_PORT,       /* target=link, arg=datapath: the vport
                                 * left behind by a rename (ovsdp.h). */
    PLAN_WAIT,                  /* target=what, n=deadline (ms). */
    PLAN_PORT_ADD,              /* target=port, arg=type, options,
                                 * n=ofport_request (0: none). */
    PLAN_PORT_DEL,              /* target=port. */
    PLAN_HW_OFFLOAD,            /* arg="true"/"false". */
    PLAN_CHANNELS_RESTORED,     /* target=link, n=channels: the count from
                                 * before the eswitch change is back; from
                                 * now on it is the operator's. */
    PLAN_FEATURE,               /* target=link, arg=feature, n=1 on/0 off. */
    PLAN_AUTOPROBE,             /* target=BUS/DEV, n=0/1; options:before is
                                 * the value to restore later. */
    PLAN_BIND_VF,               /* target=VF PCI address, arg=driver;
                                 * options:pf=BUS/DEV. */
    /* Issue 13 (vf). */
    PLAN_VF_SET,                /* target=PF link, n=VF, arg=setting
                                 * ("mac", "vlan", ...); options: the VF's
                                 * wanted settings (hw_vf_config_to_memory()
                                 * in "want"), "key" (BUS/DEV/vfN) and, on
                                 * the first change, "before". */
    PLAN_VF_FORGET,             /* target=BUS/DEV/vfN: the VF is back as it
                                 * was before the daemon changed it. */
    PLAN_VF_DRIVER,             /* target=VF PCI address, arg=driver or NULL
                                 * for none, n=VF; options:pf=BUS/DEV. */
    /* Issue 13 (vdpa). */
    PLAN_VDPA_ADD,              /* target=vDPA device, arg=management
                                 * device, n=max_vqp (0: default);
                                 * options:mac if given. */
    PLAN_VDPA_DEL,              /* target=vDPA device the daemon created. */
    PLAN_VDPA_FORGET,           /* target=vDPA device the daemon created that
                                 * is gone and no longer wanted: memory
                                 * only. */
};

/* Steps of the hardware sequence, and the OVS steps after it. */
enum plan_step {
    STEP_PREFLIGHT,             /* Device, driver, firmware, totalvfs. */
    STEP_VFS_ZERO,              /* Remove VFs before an eswitch change. */
    STEP_ESWITCH,               /* devlink eswitch mode. */
    STEP_CHANNELS,              /* Restore combined channels. */
    STEP_TC_OFFLOAD,            /* hw-tc-offload on for the PFs. */
    STEP_MTU,                   /* Uplink MTU. */
    STEP_BOND,                  /* Linux bond over the uplinks. */
    STEP_LAG_WAIT,              /* mlx5 LAG state "active". */
    STEP_AUTOPROBE_OFF,         /* sriov_drivers_autoprobe=0: VFs stay
                                 * unbound until the LAG is active. */
    STEP_VFS,                   /* Create VFs. */
    STEP_VF_BIND,               /* Bind the VFs the daemon kept unbound. */
    STEP_AUTOPROBE_RESTORE,     /* sriov_drivers_autoprobe as it was. */
    STEP_REPS_WAIT,             /* Representors appear. */
    STEP_REPS,                  /* Representor MTU, link up. */
    STEP_PORTS,                 /* OVS ports for uplink(s), reps. */
    STEP_VXLAN,                 /* The VXLAN port. */
    STEP_VF_SETTINGS,           /* Issue 13: VF MAC, VLAN, trust, ... */
    STEP_VF_DRIVER,             /* Issue 13: VFs to the intent's driver. */
    STEP_VDPA,                  /* Issue 13: vDPA devices on the VFs. */
    STEP_TEARDOWN,              /* Undoing hardware on offload-teardown. */
    STEP_CLEANUP,               /* Removing owned ports nobody wants. */
    STEP_GLOBAL,                /* Open_vSwitch-wide settings. */
};

struct plan_action {
    enum plan_op op;
    enum plan_step step;
    char *bridge;               /* Bridge the action serves, or NULL. */
    char *target;
    char *arg;                  /* NULL if unused. */
    long long int n;
    struct smap options;        /* Interface options for PORT_ADD. */
    char *reason;
};

/* What the controller remembers between iterations (and, through the
 * OVS_Offload database, across restarts). */
struct plan_memory {
    struct smap channels;       /* Link -> combined channels seen before the
                                 * eswitch mode change, as stored durably
                                 * (in OVS_Offload). */
    struct smap channels_pending;   /* Same, remembered but not yet known
                                     * to be stored. */
    struct smap wait_since;     /* Wait key -> time (ms) it started. */
    struct shash intents;       /* Bridge -> struct smap: the offload-* keys
                                 * last applied, for teardown. */

    /* Issue 11 (ctrl): stored in OVS_Offload, read back at start-up. */
    struct smap channels_restored;  /* Link -> count restored after the last
                                     * eswitch change (then the operator's:
                                     * never enforced again). */
    struct smap autoprobe_before;   /* "BUS/DEV" -> sriov_drivers_autoprobe
                                     * before the daemon turned it off. */
    struct smap bonds_created;      /* Bond -> bridge: bonds the daemon
                                     * created (the only ones it deletes). */
    /* Model (issue 10): the representor ports of each managed bridge, as
     * stored in OVS_Offload Bridge.rep_ports.  Bridge -> struct smap:
     * representor id ("BUS/DEV/pfPvfV", "BUS/DEV/cCpfPvfV", from devlink's
     * numbers) -> "PORT OFPORT" (OFPORT 0 while unknown).  It tells which
     * owned port served which representor after the representor went
     * away, and which OpenFlow port number to ask for when the port is
     * added again. */
    struct shash rep_ports;

    /* Issue 13 (vf): "BUS/DEV/vfN" -> the VF's settings before the daemon
     * first changed them (hw_vf_config_to_memory()), restored when the
     * intent no longer names them. */
    struct smap vf_before;

    /* Issue 13 (vdpa): vDPA device -> bridge, the devices the daemon
     * created (stored in OVS_Offload Global.external_ids:created-vdpas):
     * the only ones it ever deletes or recreates. */
    struct smap vdpas_created;
};

/* Model (issue 10): how long the representor of an existing VF may be
 * absent before the controller deletes the owned port that served it. */
#define PLAN_REP_GRACE_MS 10000

/* Issue 10: how long after releasing the kernel datapath's hold on a
 * renamed port's device the controller waits for ovs-vswitchd to add it
 * before it releases again. */
#define PLAN_DP_RELEASE_MS 5000

/* Status of one managed uplink, bond, representor or tunnel. */
struct plan_object {
    char *name;
    char *bridge;
    char *state;                /* "ok", "pending", "waiting", "error". */
    char *error;                /* NULL if none. */
    struct smap desired;
    struct smap observed;
    long long int vf;           /* Representors: VF number. */
    char *parent;               /* Representors: uplink; uplinks: PCI. */
};

/* Issue 13 (vf status): one VF that the intent names, with what the
 * kernel reports of it (the snapshot) and where the plan is with it. */
struct plan_vf {
    char *name;                 /* "UPLINK/vfN". */
    char *bridge;
    char *label;                /* LABEL of "offload-vf-LABEL". */
    char *pf;                   /* The uplink's name. */
    int vf;
    char *pci;                  /* The VF's PCI address, NULL if unknown. */
    char *representor;          /* Its representor's netdev, or NULL. */
    char *driver;               /* Its bound driver, or NULL. */
    bool has_config;            /* The PF reports the VF's settings: */
    struct hw_vf_config config; /* ...these. */
    char *vdpa;                 /* The intent's vDPA device, if the kernel
                                 * has it, else NULL. */
    char *vhost;                /* Its vhost-vdpa device, or NULL. */
    char *state;                /* "ok", "pending", "waiting", "error",
                                 * "conflict". */
    char *error;                /* NULL if none. */
    size_t *actions;            /* Indexes into plan.actions of the actions
                                 * planned for this VF. */
    size_t n_actions;
};

struct plan_bridge {
    char *name;
    bool managed;
    const char *state;          /* Bridge.state enum value. */
    char *step;                 /* Current step name, "" when converged. */
    char *error;
    struct sset warnings;
    struct shash uplinks;       /* Name -> struct plan_object. */
    struct shash bonds;
    struct shash reps;
    struct shash tunnels;

    /* Model (issue 10): what plan_memory.rep_ports should hold for this
     * bridge after this plan (managed bridges only). */
    struct smap rep_ports;

    /* Issue 13 (vf status): name -> struct plan_vf, for managed bridges
     * whose intent parsed. */
    struct shash vfs;
};

struct plan {
    struct plan_action *actions;
    size_t n_actions, allocated_actions;
    struct shash bridges;       /* Name -> struct plan_bridge. */
    struct smap hw_offload;     /* Global.hw_offload status. */
    long long int next_deadline;    /* Earliest WAIT deadline, LLONG_MAX if
                                     * none. */
    struct sset waits;          /* Keys of waits in progress or timed out:
                                 * the memory of their start is kept. */
};

void plan_memory_init(struct plan_memory *);
void plan_memory_destroy(struct plan_memory *);

void plan_init(struct plan *);
void plan_destroy(struct plan *);
void plan_compute(const struct ovsview *, const struct hw_snapshot *,
                  const struct plan_memory *, long long int now,
                  struct plan *);
void plan_format(const struct plan *, struct ds *);
void plan_format_action(const struct plan_action *, struct ds *);

void plan_memory_set_rep_ports(struct plan_memory *, const char *bridge,
                               const struct smap *);

const char *plan_op_to_string(enum plan_op);
const char *plan_step_to_string(enum plan_step);

#endif /* plan.h */
