/*
 * hw: the one interface between ovs-offloadd and the NIC beneath OVS.
 *
 * Everything the controller reads from or does to the kernel (devlink,
 * sysfs, the mlx5 LAG state in debugfs, rtnetlink, ethtool) goes through a
 * 'struct hw', whose class is either the Linux back end (hw-linux.c, used
 * in production and in the kernel lab) or the fake one (hw-fake.c, an
 * in-memory model of an mlx5-like NIC used by host tests).
 *
 * Reading: hw_observe() fills a 'struct hw_snapshot', a plain-value copy of
 * the links and devlink devices the controller may care about.  The
 * planner works only from snapshots.
 *
 * Writing: every operation is idempotent (setting what is already set
 * succeeds without effect), returns 0 or a positive errno value, and on
 * failure stores in '*errp' a malloc'd message that names the object and
 * carries the kernel's extended-ack text when there was one.
 *
 * Events: hw_run() and hw_wait() hook the back end into the event loop;
 * hw_run() returns true when something may have changed since the last
 * hw_observe() (a link appeared or went away, a state file changed), so
 * the controller observes again.
 *
 * All names that reach a back end must have been validated by the caller
 * (validate.h); back ends check them again before building a path or a
 * netlink message, and refuse what does not pass.
 */
#ifndef HW_H
#define HW_H 1

#include <stdbool.h>
#include <stdint.h>
#include "openvswitch/compiler.h"
#include "openvswitch/shash.h"

struct ds;
struct hw;

/* ethtool channel counts. */
struct hw_channels {
    unsigned int max_combined;
    unsigned int combined;
};

/* --- Issue 11 (ctrl) snapshot additions: kept apart for merging. --- */

/* What the action side needs to know about a link beyond the above. */
struct hw_link_ctrl {
    char *bond_mode;            /* For kind "bond": "active-backup",
                                 * "balance-xor", "802.3ad", ... or NULL if
                                 * unknown. */
};

/* One VF PCI function of a PF, from sysfs "virtfnN". */
struct hw_vf {
    int vfnum;
    char *pci;                  /* "0000:03:00.2". */
    char *driver;               /* Bound driver ("mlx5_core", "vfio-pci") or
                                 * NULL if unbound. */
    char *driver_override;      /* Content of driver_override, or NULL. */
};

/* SR-IOV facts of a PCI PF used to order VF creation and driver binding
 * (VF-LAG: "all VFs unbound prior to VF LAG activation"). */
struct hw_device_ctrl {
    int autoprobe;              /* sriov_drivers_autoprobe: 0, 1, or -1 if
                                 * the device has no such file (netdevsim,
                                 * non-PCI). */
    struct hw_vf *vfs;          /* Sorted by vfnum. */
    size_t n_vfs;
};

/* --- End of issue 11 snapshot additions. --- */

/* --- Issue 13 (vf): the VF settings a PF reports (IFLA_VFINFO_LIST). --- */

/* One VF's settings, as the PF's driver reports them; -1 (or "") for what
 * it does not report. */
struct hw_vf_config {
    int vf;
    char mac[18];               /* "52:54:00:12:34:56", "" if unreported. */
    int vlan;                   /* 0: none. */
    int qos;
    int vlan_proto;             /* 0x8100, 0x88a8; 0 if unreported. */
    int spoofchk;               /* 1, 0, or -1. */
    int trust;
    int link_state;             /* IFLA_VF_LINK_STATE_*, or -1. */
};

/* What to change with hw_set_vf(): one of these per call, so that an error
 * names the setting. */
enum hw_vf_setting {
    HW_VF_MAC,
    HW_VF_VLAN,                 /* vlan, qos and vlan_proto together. */
    HW_VF_SPOOFCHK,
    HW_VF_TRUST,
    HW_VF_LINK_STATE,
};

struct hw_link_vfs {
    bool valid;                 /* The PF was asked and answered. */
    struct hw_vf_config *configs;   /* Sorted by vf. */
    size_t n;
};

/* --- End of issue 13 snapshot additions. --- */

/* A network interface, as rtnetlink and sysfs describe it. */
struct hw_link {
    char *name;
    int ifindex;
    char *kind;                 /* IFLA_INFO_KIND ("bond", "veth", ...) or
                                 * "" for a device without one (a NIC). */
    char *master;               /* Name of the master (bond, bridge) or
                                 * NULL. */
    unsigned int mtu;
    bool admin_up;              /* IFF_UP. */
    bool oper_up;               /* IF_OPER_UP (or unknown-but-running). */
    char *phys_port_name;       /* "p0", "pf0vf3", ... or NULL. */
    char *phys_switch_id;       /* Hex string, or NULL. */
    char *bus;                  /* Parent device's bus ("pci", "netdevsim")
                                 * or NULL for a virtual device. */
    char *dev;                  /* Parent device's name on that bus
                                 * ("0000:03:00.0", "netdevsim10"), or
                                 * NULL. */
    char *driver;               /* Parent device's driver, or NULL. */
    bool hw_tc_offload;         /* ethtool feature hw-tc-offload is on. */
    bool has_channels;          /* 'channels' was read (ethtool). */
    struct hw_channels channels;
    struct hw_link_ctrl ctrl;   /* Issue 11 additions, see below. */

    /* Model (issue 10): false while udev may still rename the link (see
     * "Links and udev" in docs/design.md).  A representor counts only once
     * it is settled. */
    bool settled;

    /* Issue 13 (vf): the VF settings of a PF that has VFs. */
    struct hw_link_vfs vfs;
};

/* A devlink port. */
enum hw_port_flavour {
    HW_PORT_OTHER,
    HW_PORT_PHYSICAL,           /* Uplink (PF's physical port). */
    HW_PORT_PCI_PF,             /* PF representor. */
    HW_PORT_PCI_VF,             /* VF representor. */
    HW_PORT_PCI_SF,             /* SF representor. */
};

struct hw_port {
    unsigned int index;
    enum hw_port_flavour flavour;
    int pfnum;                  /* -1 if not applicable. */
    int vfnum;                  /* -1 if not applicable. */
    char *netdev;               /* NULL if the port has no netdev (yet). */
    /* Model (issue 10): the controller of the function, as devlink reports
     * it (DEVLINK_ATTR_PORT_CONTROLLER_NUMBER; 0 for the local host, 1 and
     * up for BlueField's external host functions "c1pf0vfN"). */
    unsigned int controller;
    bool external;              /* DEVLINK_ATTR_PORT_EXTERNAL. */
};

/* A devlink device ("pci/0000:03:00.0", "netdevsim/netdevsim10"), with what
 * sysfs and debugfs say about the SR-IOV and LAG state of its function. */
struct hw_device {
    char *bus;                  /* "pci", "netdevsim". */
    char *name;                 /* "0000:03:00.0", "netdevsim10". */
    char *driver;               /* From devlink info, or NULL. */
    char *fw_version;           /* From devlink info, or NULL. */
    char *eswitch_mode;         /* "legacy", "switchdev" or NULL if the
                                 * device has no eswitch (EOPNOTSUPP). */
    int total_vfs;              /* sriov_totalvfs, -1 if unknown. */
    int num_vfs;                /* sriov_numvfs, -1 if unknown. */
    char *lag_state;            /* Content of the mlx5 debugfs file
                                 * "lag/state" ("active", "disabled", ...)
                                 * or NULL if there is no such file. */
    struct hw_port *ports;
    size_t n_ports;
    struct hw_device_ctrl ctrl; /* Issue 11 additions, see above. */
};

/* Issue 13 (vdpa): one vDPA device, as the vdpa generic netlink family
 * reports it. */
struct hw_vdpa {
    char *name;                 /* "vdpa0". */
    char *mgmtdev;              /* "pci/0000:03:00.2", "vdpasim_net". */
    char mac[18];               /* "52:54:00:cb:45:11", "" if unreported. */
    unsigned int max_vqp;       /* 0 if unreported. */
    char *vhost;                /* "/dev/vhost-vdpa-0", NULL if no
                                 * vhost_vdpa device is bound to it. */
};

struct hw_snapshot {
    struct shash links;         /* Name -> struct hw_link. */
    struct shash devices;       /* "bus/name" -> struct hw_device. */
    struct shash vdpas;         /* Name -> struct hw_vdpa (issue 13). */

    /* Model (issue 10): NULL if the snapshot is complete, else why it is
     * not (a failed or interrupted dump).  The planner plans nothing
     * destructive from an incomplete snapshot. */
    char *incomplete;

    /* Model (issue 10): the netlink requests this observation took (0 for
     * the fake), and whether it had to dump everything (at start, or after
     * lost notifications) rather than update its model. */
    unsigned int n_requests;
    bool full_dump;
};

/* Where the Linux back end finds sysfs and debugfs; tests point them at
 * scratch trees. */
struct hw_options {
    const char *sysfs_root;     /* Default "/sys". */
    const char *debugfs_root;   /* Default "/sys/kernel/debug". */
    const char *udev_root;      /* Model (issue 10): default "/run/udev". */
};

struct hw_class {
    const char *type;           /* "linux", "fake". */

    /* Opens a back end.  'args' is what followed "TYPE:" in --hw (may be
     * NULL).  Returns 0 or a positive errno, with '*errp' set. */
    int (*open)(const char *args, const struct hw_options *,
                struct hw **hwp, char **errp);
    void (*close)(struct hw *);

    bool (*run)(struct hw *);
    void (*wait)(struct hw *);

    int (*observe)(struct hw *, struct hw_snapshot *, char **errp);

    int (*set_eswitch_mode)(struct hw *, const char *bus, const char *dev,
                            const char *mode, char **errp);
    int (*set_num_vfs)(struct hw *, const char *bus, const char *dev,
                       int n, char **errp);
    int (*get_channels)(struct hw *, const char *ifname,
                        struct hw_channels *, char **errp);
    int (*set_channels)(struct hw *, const char *ifname,
                        unsigned int combined, char **errp);
    int (*set_mtu)(struct hw *, const char *ifname, unsigned int mtu,
                   char **errp);
    int (*set_up)(struct hw *, const char *ifname, bool up, char **errp);
    /* Creates a bond; a link of that name that exists already is EEXIST
     * (the controller never adopts a bond: it deletes only what it
     * created). */
    int (*create_bond)(struct hw *, const char *name, const char *mode,
                       unsigned int miimon, char **errp);
    int (*set_master)(struct hw *, const char *ifname, const char *master,
                      char **errp);
    int (*delete_link)(struct hw *, const char *ifname, char **errp);

    /* Deletes the vport of kernel datapath 'datapath' ("ovs-system") that
     * the kernel now names 'ifname': what remains of a port whose device
     * was renamed while it was in the datapath (see src/kernel/ovsdp.h). */
    int (*release_dp_port)(struct hw *, const char *datapath,
                           const char *ifname, char **errp);

    /* --- Issue 11 (ctrl) operations: kept apart for merging. ---
     *
     * set_feature: ethtool feature 'feature' ("hw-tc-offload") on or off.
     * set_autoprobe: sriov_drivers_autoprobe of PCI device 'dev'.
     * bind_vf: binds VF 'vf_pci' of PF 'dev' to 'driver' (also while
     *   autoprobe is off: through driver_override and drivers_probe, then
     *   clears driver_override).  A VF bound to 'driver' already is
     *   success; one bound to another driver is EBUSY. */
    int (*set_feature)(struct hw *, const char *ifname, const char *feature,
                       bool on, char **errp);
    int (*set_autoprobe)(struct hw *, const char *bus, const char *dev,
                         bool on, char **errp);
    int (*bind_vf)(struct hw *, const char *bus, const char *dev,
                   const char *vf_pci, const char *driver, char **errp);
    /* --- End of issue 11 operations. --- */

    /* Issue 13 (vf): sets 'setting' of VF 'cfg->vf' of PF link 'pf' to
     * what 'cfg' has for it (rtnetlink IFLA_VF_* on the PF). */
    int (*set_vf)(struct hw *, const char *pf, const struct hw_vf_config *cfg,
                  enum hw_vf_setting setting, char **errp);
    /* Issue 13 (vf): sets the MAC of the function behind devlink port
     * 'port' of 'bus'/'dev' (port function hw_addr), as switchdev mode
     * does; NULL if the back end cannot. */
    int (*set_port_hw_addr)(struct hw *, const char *bus, const char *dev,
                            unsigned int port, const char *mac, char **errp);
    /* Issue 13 (vf): binds VF 'vf_pci' of PF 'dev' to 'driver' (NULL: no
     * driver), unbinding it from the one it has (driver_override +
     * drivers_probe, never new_id). */
    int (*set_vf_driver)(struct hw *, const char *bus, const char *dev,
                         const char *vf_pci, const char *driver,
                         char **errp);

    /* Issue 13 (vdpa): creates vDPA device 'name' on management device
     * 'mgmtdev' ("pci/0000:03:00.2", "vdpasim_net"), with MAC 'mac' (NULL:
     * the device's default) and 'max_vqp' queue pairs (0: the default).
     * A device of that name that exists already is EEXIST: the controller
     * never adopts one.  delete_vdpa: a device that does not exist is
     * success. */
    int (*create_vdpa)(struct hw *, const char *name, const char *mgmtdev,
                       const char *mac, unsigned int max_vqp, char **errp);
    int (*delete_vdpa)(struct hw *, const char *name, char **errp);
};

struct hw {
    const struct hw_class *class;
};

extern const struct hw_class hw_linux_class;
extern const struct hw_class hw_fake_class;

int hw_open(const char *spec, const struct hw_options *, struct hw **,
            char **errp);
void hw_close(struct hw *);
bool hw_run(struct hw *);
void hw_wait(struct hw *);
int hw_observe(struct hw *, struct hw_snapshot *, char **errp);
int hw_set_eswitch_mode(struct hw *, const char *bus, const char *dev,
                        const char *mode, char **errp);
int hw_set_num_vfs(struct hw *, const char *bus, const char *dev, int n,
                   char **errp);
int hw_get_channels(struct hw *, const char *ifname, struct hw_channels *,
                    char **errp);
int hw_set_channels(struct hw *, const char *ifname, unsigned int combined,
                    char **errp);
int hw_set_mtu(struct hw *, const char *ifname, unsigned int mtu,
               char **errp);
int hw_set_up(struct hw *, const char *ifname, bool up, char **errp);
int hw_create_bond(struct hw *, const char *name, const char *mode,
                   unsigned int miimon, char **errp);
int hw_set_master(struct hw *, const char *ifname, const char *master,
                  char **errp);
int hw_delete_link(struct hw *, const char *ifname, char **errp);
int hw_release_dp_port(struct hw *, const char *datapath, const char *ifname,
                       char **errp);

/* Issue 11 (ctrl) operations, see struct hw_class. */
int hw_set_feature(struct hw *, const char *ifname, const char *feature,
                   bool on, char **errp);
int hw_set_autoprobe(struct hw *, const char *bus, const char *dev, bool on,
                     char **errp);
int hw_bind_vf(struct hw *, const char *bus, const char *dev,
               const char *vf_pci, const char *driver, char **errp);
const struct hw_vf *hw_device_find_vf(const struct hw_device *, int vfnum);

/* Issue 13 (vf), in hw-vf.c. */
int hw_set_vf(struct hw *, const char *pf, const struct hw_vf_config *,
              enum hw_vf_setting, char **errp);
int hw_set_port_hw_addr(struct hw *, const char *bus, const char *dev,
                        unsigned int port, const char *mac, char **errp);
int hw_set_vf_driver(struct hw *, const char *bus, const char *dev,
                     const char *vf_pci, const char *driver, char **errp);
const char *hw_vf_setting_to_string(enum hw_vf_setting);

/* Issue 13 (vdpa), see struct hw_class. */
int hw_create_vdpa(struct hw *, const char *name, const char *mgmtdev,
                   const char *mac, unsigned int max_vqp, char **errp);
int hw_delete_vdpa(struct hw *, const char *name, char **errp);
void hw_vf_config_init(struct hw_vf_config *, int vf);
const struct hw_vf_config *hw_link_find_vf_config(const struct hw_link *,
                                                  int vf);
void hw_link_vfs_clone(struct hw_link_vfs *dst, const struct hw_link_vfs *);
void hw_link_vfs_destroy(struct hw_link_vfs *);
void hw_vf_config_format(const struct hw_vf_config *, struct ds *);
void hw_vf_setting_format(const struct hw_vf_config *, enum hw_vf_setting,
                          struct ds *);
char *hw_vf_config_to_memory(const struct hw_vf_config *);
bool hw_vf_config_from_memory(const char *, int vf, struct hw_vf_config *);

void hw_snapshot_init(struct hw_snapshot *);
void hw_snapshot_destroy(struct hw_snapshot *);
void hw_snapshot_clone(struct hw_snapshot *dst, const struct hw_snapshot *);
struct hw_link *hw_snapshot_add_link(struct hw_snapshot *, const char *name);
struct hw_device *hw_snapshot_add_device(struct hw_snapshot *,
                                         const char *bus, const char *name);
const struct hw_device *hw_snapshot_find_device(const struct hw_snapshot *,
                                                const char *bus,
                                                const char *name);
struct hw_vdpa *hw_snapshot_add_vdpa(struct hw_snapshot *, const char *name);
const struct hw_vdpa *hw_snapshot_find_vdpa(const struct hw_snapshot *,
                                            const char *name);
const struct hw_link *hw_snapshot_find_link(const struct hw_snapshot *,
                                            const char *name);
void hw_snapshot_format(const struct hw_snapshot *, struct ds *);
void hw_snapshot_set_incomplete(struct hw_snapshot *, const char *format,
                                ...) OVS_PRINTF_FORMAT(2, 3);

const char *hw_port_flavour_to_string(enum hw_port_flavour);

/* For tests: sets the mlx5 LAG state ("none" for no state file) of device
 * 'key' ("BUS/NAME") of a fake back end.  Returns false if 'hw' is not fake
 * or has no such device. */
bool hw_fake_set_lag(struct hw *, const char *key, const char *state);

#endif /* hw.h */
