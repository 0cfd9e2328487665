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
