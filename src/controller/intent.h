/*
 * intent: what the user declared, parsed from the Open_vSwitch database.
 *
 * Intent lives in external_ids, set with ovs-vsctl: the offload-* keys of a
 * Bridge row, and offload-hw-offload on the Open_vSwitch row.  Parsing is
 * pure and all-or-nothing: either every key of a bridge is valid and the
 * whole intent is returned, or the first problem is returned as a message
 * naming the key and the value, and nothing of that bridge's intent is
 * used.
 */
#ifndef INTENT_H
#define INTENT_H 1

#include <stdbool.h>
#include <stddef.h>
#include "openvswitch/compiler.h"

struct smap;

/* One uplink (PF), as named in offload-uplinks. */
struct intent_uplink {
    char *spec;                 /* As written: PCI address or netdev name. */
    bool is_pci;                /* 'spec' is a PCI address. */
    int num_vfs;                /* VFs wanted on this PF, -1 for "leave as
                                 * is". */
};

struct intent_vxlan {
    bool enabled;
    char *name;                 /* Port and interface name. */
    char *remote_ip;
    char *local_ip;             /* NULL if not given. */
    char *key;                  /* Decimal VNI or "flow". */
    int dst_port;               /* 0 for the default (4789). */
    bool ipv6;                  /* The underlay is IPv6. */
};

enum intent_order {
    INTENT_ORDER_MLX5,          /* VFs to 0, eswitch mode, channels, MTU,
                                 * bond, wait LAG, create VFs. */
    INTENT_ORDER_VFS_FIRST,     /* Create VFs before the eswitch mode. */
};

/* Issue 13: per-VF intent, from the keys "offload-vf-LABEL" (see
 * intent-vf.c and the README for the syntax). */
enum intent_vf_driver {
    INTENT_VF_DRIVER_UNSET,     /* Leave the binding as it is. */
    INTENT_VF_DRIVER_VFIO,      /* vfio-pci. */
    INTENT_VF_DRIVER_DEFAULT,   /* The PF's driver (mlx5_core). */
    INTENT_VF_DRIVER_NONE,      /* Unbound. */
};

/* Link state of a VF, as IFLA_VF_LINK_STATE has it. */
enum intent_vf_state {
    INTENT_VF_STATE_AUTO = 0,
    INTENT_VF_STATE_ENABLE = 1,
    INTENT_VF_STATE_DISABLE = 2,
};

struct intent_vf {
    char *label;                /* LABEL of "offload-vf-LABEL". */
    size_t uplink;              /* Index into intent_bridge.uplinks. */
    int vf_first, vf_last;      /* VF numbers, inclusive. */
    enum intent_vf_driver driver;
    char *mac;                  /* Lower-case "52:54:00:12:34:56" or NULL. */
    int vlan;                   /* 0 to 4094, -1 if not given. */
    int qos;                    /* 0 to 7, -1 if not given. */
    int vlan_proto;             /* 0x8100, 0x88a8, 0 if not given. */
    int trust;                  /* 1 on, 0 off, -1 not given. */
    int spoofchk;               /* Same. */
    int link_state;             /* enum intent_vf_state, -1 not given. */
    char *vdpa;                 /* vDPA device name, or NULL. */
    char *vdpa_mac;             /* Its MAC, or NULL. */
    int max_vqp;                /* 0 if not given. */
    char *vdpa_mgmtdev;         /* Management device ("pci/0000:03:00.2",
                                 * "vdpasim_net"), NULL: the VF's. */
};

struct intent_bridge {
    char *bridge;
    struct intent_uplink *uplinks;
    size_t n_uplinks;
    char *bond_mode;            /* NULL: each PF is its own bridge port. */
    char *bond_name;            /* Set iff 'bond_mode' is. */
    char *eswitch;              /* "switchdev" or "legacy". */
    unsigned int mtu;           /* PFs and bond; 0 to leave as is. */
    unsigned int rep_mtu;       /* Representors; 0 to leave as is. */
    int channels;               /* Combined channels to set on PFs after
                                 * the eswitch mode change, or -1 to restore
                                 * what was there before it. */
    struct intent_vxlan vxlan;
    enum intent_order order;
    bool force;                 /* offload-force=true. */
    bool teardown;              /* offload-teardown=true. */
    unsigned int lag_timeout_ms;
    bool lag_check;             /* offload-lag-check (default true): an
                                 * unreadable mlx5 LAG state is an error. */
    struct intent_vf *vfs;      /* Issue 13, sorted by label. */
    size_t n_vfs;
};

enum intent_hw_offload {
    INTENT_HW_OFFLOAD_AUTO,     /* true iff a managed bridge exists. */
    INTENT_HW_OFFLOAD_TRUE,
    INTENT_HW_OFFLOAD_FALSE,
    INTENT_HW_OFFLOAD_MANUAL,   /* Never touched. */
};

#define INTENT_LAG_TIMEOUT_DEFAULT_MS 30000

bool intent_is_managed(const struct smap *bridge_external_ids);
char *intent_parse_bridge(const char *bridge,
                          const struct smap *external_ids,
                          struct intent_bridge *)
    OVS_WARN_UNUSED_RESULT;
void intent_bridge_destroy(struct intent_bridge *);
char *intent_parse_hw_offload(const struct smap *ovs_external_ids,
                              enum intent_hw_offload *)
    OVS_WARN_UNUSED_RESULT;
const char *intent_hw_offload_to_string(enum intent_hw_offload);
const char *intent_order_to_string(enum intent_order);

/* Issue 13 (intent-vf.c). */
#define INTENT_VF_PREFIX "offload-vf-"
char *intent_parse_vfs(const struct smap *external_ids,
                       struct intent_bridge *) OVS_WARN_UNUSED_RESULT;
void intent_vfs_destroy(struct intent_bridge *);
const struct intent_vf *intent_find_vf(const struct intent_bridge *,
                                       size_t uplink, int vf);
const char *intent_vf_driver_to_string(enum intent_vf_driver);
const char *intent_vf_state_to_string(int link_state);

#endif /* intent.h */
