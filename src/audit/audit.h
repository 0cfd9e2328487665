/*
 * audit: the NIC tuning audit.  Every setting that caps a ConnectX link's
 * throughput, found, explained and fixable.
 *
 * audit_check() is a pure function (no I/O, no logging, no globals) from
 * observed facts (struct audit_host, struct audit_dev: gathered by
 * audit-probe.c from the kernel access layer, or written by tests) to a
 * report: one entry per check and device, each with the value found, the
 * value expected, why it matters (with the effect measured in the field
 * reports, where there is one) and the exact command that fixes it.  An
 * entry whose status is AUDIT_FINDING is a finding; AUDIT_OK entries carry
 * the facts that were checked (the PCIe link, the NUMA node, the firmware)
 * and AUDIT_UNKNOWN ones say what could not be read.
 *
 * Nothing here changes anything: the fixes are text.
 */
#ifndef AUDIT_H
#define AUDIT_H 1

#include <stdbool.h>
#include <stddef.h>

struct ds;
struct json;

/* Host-wide facts.  A value that could not be read is -1 / NULL. */
struct audit_host {
    int n_cpus;                 /* Online CPUs. */
    int n_numa_nodes;           /* Online NUMA nodes. */
    long long int rmem_max;     /* net.core.rmem_max. */
    long long int wmem_max;     /* net.core.wmem_max. */
    long long int tcp_rmem_max; /* Third field of net.ipv4.tcp_rmem. */
    long long int tcp_wmem_max; /* Third field of net.ipv4.tcp_wmem. */
    char *tcp_rmem;             /* The three fields as read, or NULL. */
    char *tcp_wmem;
    long long int netdev_max_backlog;
    char *congestion_control;   /* net.ipv4.tcp_congestion_control. */
    char *available_cc;         /* tcp_available_congestion_control. */
};

/* The offload features the audit checks, by ethtool name. */
enum audit_feature {
    AUDIT_F_TSO,                /* tx-tcp-segmentation. */
    AUDIT_F_GSO,                /* tx-generic-segmentation. */
    AUDIT_F_GRO,                /* rx-gro. */
    AUDIT_F_RXCSUM,             /* rx-checksum. */
    AUDIT_F_TXCSUM,             /* tx-checksum-ip-generic. */
    AUDIT_F_TXCSUM4,            /* tx-checksum-ipv4. */
    AUDIT_F_TXCSUM6,            /* tx-checksum-ipv6. */
    AUDIT_F_HW_TC,              /* hw-tc-offload. */
    AUDIT_N_FEATURES
};

/* The ethtool name of each feature, for ETHTOOL_MSG_FEATURES_GET. */
extern const char *const audit_feature_names[AUDIT_N_FEATURES];

/* A representor of the device (for the MTU path). */
struct audit_rep {
    char *name;
    unsigned int mtu;
};

/* Facts about one device (a PF netdev).  Every group has a 'has_' flag:
 * false means "could not be read", and the check is reported unknown. */
struct audit_dev {
    char *name;                 /* Netdev. */
    char *bus;                  /* "pci", "netdevsim", or NULL. */
    char *dev;                  /* "0000:03:00.0", or NULL. */
    char *driver;
    char *pci;                  /* The PCI function under it (its device,
                                 * or an ancestor of it), or NULL. */

    /* PCIe link (PCI devices only); speeds in tenths of GT/s (80 = 8.0
     * GT/s). */
    bool has_pcie;
    int pcie_cur_speed, pcie_max_speed;
    int pcie_cur_width, pcie_max_width;
    char *pcie_port;            /* The port above (the slot), or NULL. */
    int pcie_port_max_speed, pcie_port_max_width;
    int port_speed;             /* Mb/s from sysfs "speed", -1 unknown. */

    /* Channels. */
    bool has_channels;
    unsigned int combined, max_combined;
    int channels_before;        /* Uplink.evidence channels_before, or
                                 * -1. */

    /* Rings. */
    bool has_rings;
    unsigned int rx, rx_max, tx, tx_max;

    /* Features: 'changeable' is the "hw" bitset, 'active' the active
     * one. */
    bool has_features;
    bool feature_changeable[AUDIT_N_FEATURES];
    bool feature_active[AUDIT_N_FEATURES];

    /* Transmit queues and their XPS maps. */
    bool has_xps;
    int n_tx_queues;
    int n_xps_set;              /* Queues with a non-zero xps_cpus. */

    /* MTU path. */
    unsigned int mtu;
    char *master;               /* Bond (or bridge) the PF is in, or
                                 * NULL. */
    char *master_kind;          /* "bond", ... */
    unsigned int master_mtu;
    struct audit_rep *reps;
    size_t n_reps;
    bool vxlan;                 /* A VXLAN device exists on the host. */
    int desired_mtu;            /* offload-mtu, -1 if not declared. */

    /* NUMA and IRQs. */
    bool has_numa;
    int numa_node;              /* -1: the platform does not say. */
    char *local_cpus;           /* local_cpulist, or NULL. */
    char *local_cpu_words;      /* The same CPUs, space-separated ("0 1 2
                                 * 3"), or NULL. */
    int n_local_cpus;           /* 0 if unknown. */
    bool has_irqs;
    int n_irqs;                 /* MSI(-X) vectors of the device. */
    int n_irq_cpus;             /* Distinct CPUs their affinities allow. */
    int n_irq_remote;           /* Vectors allowed no CPU of the NIC's own
                                 * node. */

    /* Firmware and SR-IOV. */
    char *fw_version;
    int total_vfs;              /* -1 unknown. */
    int desired_vfs;            /* offload-num-vfs, -1 if not declared. */
};

enum audit_status {
    AUDIT_OK,
    AUDIT_FINDING,
    AUDIT_UNKNOWN,
};

struct audit_entry {
    char *device;               /* Netdev, or "host". */
    char *check;                /* "pcie-link", "channels", ... */
    enum audit_status status;
    char *found;
    char *expected;
    char *why;                  /* NULL for OK and unknown entries. */
    char *fix;                  /* NULL for OK and unknown entries. */
};

struct audit_report {
    struct audit_entry *entries;
    size_t n, allocated;
    size_t n_findings;
};

void audit_host_init(struct audit_host *);
void audit_host_destroy(struct audit_host *);
void audit_dev_init(struct audit_dev *, const char *name);
void audit_dev_destroy(struct audit_dev *);
void audit_dev_add_rep(struct audit_dev *, const char *name,
                       unsigned int mtu);

void audit_report_init(struct audit_report *);
void audit_report_destroy(struct audit_report *);

/* The pure audit. */
void audit_check(const struct audit_host *, const struct audit_dev *devs,
                 size_t n_devs, struct audit_report *);

/* PCIe bandwidth ceiling in Mb/s of 'width' lanes at 'speed' tenths of
 * GT/s, after the line encoding (8b/10b up to 5 GT/s, 128b/130b for 8 to
 * 32 GT/s, none for 64 GT/s FLIT mode).  0 if unknown. */
long long int audit_pcie_ceiling(int speed, int width);

/* Renderers. */
void audit_report_table(const struct audit_report *, bool all,
                        struct ds *);
struct json *audit_report_json(const struct audit_report *);

#endif /* audit.h */
