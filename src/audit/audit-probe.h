/*
 * audit-probe: gathers the facts of the tuning audit (audit.h) from a
 * hardware snapshot (hw.h: links, MTUs, masters, channels, devlink
 * devices, firmware, representors) and from the kernel access layer:
 * sysfs.c under the configured sysfs and proc roots (PCIe link, port
 * speed, NUMA node, XPS maps, IRQ affinities, CPUs, sysctls) and
 * ethtool-nl.c (rings, offload features).  Read-only.
 *
 * Facts that cannot be read are left unknown; nothing here fails a whole
 * audit but a device that does not exist.
 */
#ifndef AUDIT_PROBE_H
#define AUDIT_PROBE_H 1

#include <stdbool.h>
#include <stddef.h>

struct audit_dev;
struct audit_host;
struct audit_probe;
struct audit_report;
struct hw_snapshot;

/* 'netlink' false: do not ask the kernel's ethtool (the fake back end's
 * devices are not kernel devices). */
int audit_probe_open(const char *sysfs_root, const char *proc_root,
                     bool netlink, struct audit_probe **, char **errp);
void audit_probe_close(struct audit_probe *);

void audit_probe_host(struct audit_probe *, struct audit_host *);

/* Fills 'd' (initialized by the caller with audit_dev_init()) for netdev
 * 'd->name'.  Returns 0, or ENODEV if the snapshot has no such link. */
int audit_probe_dev(struct audit_probe *, const struct hw_snapshot *,
                    struct audit_dev *d, char **errp);

/* Resolves a device given on the command line (a netdev name or a PCI
 * address: the netdev whose parent device, or nearest PCI ancestor, it is)
 * to a netdev of 'snap'.  Returns a malloc'd error or NULL. */
char *audit_resolve_device(struct audit_probe *, const struct hw_snapshot *,
                           const char *arg, char **ifnamep);

/* A device to audit and what the controller knows of it (from its
 * OVS_Offload Uplink row; -1 for unknown). */
struct audit_target {
    const char *name;           /* Netdev. */
    int channels_before;        /* Uplink.evidence:channels_before. */
    int desired_vfs;            /* Uplink.desired:num_vfs. */
    int desired_mtu;            /* Uplink.desired:mtu. */
};

/* Probes the host and every target and runs the audit into 'r'.  A target
 * that does not exist is skipped, with the first such error in '*errp'
 * (NULL if none). */
void audit_run(struct audit_probe *, const struct hw_snapshot *,
               const struct audit_target *, size_t n,
               struct audit_report *r, char **errp);

#endif /* audit-probe.h */
