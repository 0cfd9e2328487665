/*
 * sysfs: the small files of sysfs and debugfs the Linux back end reads and
 * writes (SR-IOV VF counts, the mlx5 LAG state, a link's parent device and
 * driver), under roots that tests point at scratch trees.
 *
 * Every path is built by sysfs_path() from a root and a list of
 * components, each of which must be a single, plain directory entry name:
 * no '/', not "." or "..", not empty, printable ASCII, at most NAME_MAX
 * bytes; the whole path is at most PATH_MAX bytes.  The functions that take
 * a bus, device or interface name check it further (sysfs_check_bus(),
 * validate_dev_name(), validate_ifname()) before building anything.
 *
 * Functions return 0 or a positive errno value; on failure '*errp' is a
 * malloc'd message naming the file.
 */
#ifndef SYSFS_H
#define SYSFS_H 1

#include <stdbool.h>
#include <stddef.h>

/* Pure functions. */
char *sysfs_path(char **pathp, const char *root, ...)
    __attribute__((__sentinel__));
char *sysfs_check_root(const char *field, const char *root);
char *sysfs_check_bus(const char *field, const char *bus);
char *sysfs_check_component(const char *component);
char *sysfs_parse_int(const char *content, int max, int *valuep);
char *sysfs_parse_word(const char *content, char **wordp);
const char *sysfs_basename(const char *link_target);

/* File access. */
int sysfs_read_file(const char *path, char **contentp, char **errp);
int sysfs_write_file(const char *path, const char *content, char **errp);

int sysfs_get_vfs(const char *root, const char *debugfs_root,
                  const char *bus, const char *dev, int *totalp, int *nump,
                  char **errp);
int sysfs_set_num_vfs(const char *root, const char *bus, const char *dev,
                      int n, char **errp);
int sysfs_get_lag_state(const char *debugfs_root, const char *dev,
                        char **statep, char **errp);
int sysfs_get_link_device(const char *root, const char *ifname,
                          char **busp, char **devp, char **driverp,
                          char **errp);

/* Readers for the tuning audit (audit-probe.c).  Paths are built from the
 * root and validated components like every other; 'ifname' and 'dev' are
 * validated first. */

/* A CPU set read from a "0-3,8" list. */
#define SYSFS_MAX_CPUS 4096
struct sysfs_cpuset {
    unsigned long long int bits[SYSFS_MAX_CPUS / 64];
};
char *sysfs_parse_cpulist(const char *content, struct sysfs_cpuset *,
                          int *countp);
bool sysfs_cpuset_intersects(const struct sysfs_cpuset *,
                             const struct sysfs_cpuset *);
char *sysfs_parse_link_speed(const char *content, int *tenthsp);
char *sysfs_parse_long(const char *content, long long int *valuep);
bool sysfs_mask_is_zero(const char *content);

/* PCIe link of PCI function 'dev' (speeds in tenths of GT/s). */
struct sysfs_pcie_link {
    int cur_speed, max_speed;
    int cur_width, max_width;
    /* The port above the device (root or switch downstream port: the
     * slot), found through the device's sysfs path; port[0] is '\0' when
     * there is none or it has no link attributes. */
    char port[16];
    int port_max_speed, port_max_width;
};
int sysfs_get_pcie_link(const char *root, const char *dev,
                        struct sysfs_pcie_link *, char **errp);

/* The PCI function IFNAME sits on: its parent device or the nearest PCI
 * ancestor of it (a virtio device's PCI function), from the real path of
 * ROOT/class/net/IFNAME/device.  '*pcip' is NULL if there is none. */
int sysfs_get_pci_ancestor(const char *root, const char *ifname,
                           char **pcip, char **errp);

/* Reads the file ROOT/C1/.../Cn (null-terminated list) into '*contentp'. */
int sysfs_read_attr(char **contentp, char **errp, const char *root, ...)
    __attribute__((__sentinel__));

/* ROOT/class/net/IFNAME/queues: the number of tx-N queues and how many of
 * them have a non-zero xps_cpus. */
int sysfs_get_xps(const char *root, const char *ifname, int *n_txp,
                  int *n_setp, char **errp);

/* The MSI vectors of IFNAME's device (ROOT/class/net/IFNAME/device/
 * msi_irqs) and their affinities (PROC/irq/N/smp_affinity_list): the
 * number of vectors, of distinct CPUs, and of vectors that may run on no
 * CPU of 'local' (NULL: not counted). */
int sysfs_get_irqs(const char *root, const char *proc_root,
                   const char *ifname, const struct sysfs_cpuset *local,
                   int *n_irqsp, int *n_cpusp, int *n_remotep, char **errp);

/* Issue 11 (ctrl): sriov_drivers_autoprobe and VF drivers. */
struct hw_vf;
int sysfs_get_autoprobe(const char *root, const char *bus, const char *dev,
                        int *valuep, char **errp);
int sysfs_set_autoprobe(const char *root, const char *bus, const char *dev,
                        bool on, char **errp);
int sysfs_get_pci_vfs(const char *root, const char *dev, int num_vfs,
                      struct hw_vf **, size_t *n, char **errp);
int sysfs_bind_vf(const char *root, const char *pf, const char *vf,
                  const char *driver, char **errp);

/* Issue 13 (vdpa): "/dev/vhost-vdpa-N" of vDPA device 'name' (from
 * ROOT/bus/vdpa/devices/NAME/vhost-vdpa-N), NULL if none. */
int sysfs_get_vdpa_vhost(const char *root, const char *name, char **pathp,
                         char **errp);

/* Model (issue 10): has udev finished with a link?  See sysfs.c. */
#define SYSFS_NET_NAME_ENUM 1   /* name_assign_type of "eth<N>". */
enum sysfs_settle {
    SYSFS_SETTLED,              /* udev is done, or will not rename it. */
    SYSFS_WAIT_UDEV,            /* udev runs and has not finished. */
    SYSFS_WAIT_ENUM,            /* No udev; a kernel "eth<N>" name. */
};
enum sysfs_settle sysfs_link_settle(const char *sysfs_root,
                                    const char *udev_root,
                                    const char *ifname, int ifindex);

#endif /* sysfs.h */
