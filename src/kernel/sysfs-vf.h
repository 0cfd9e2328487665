/*
 * sysfs-vf: binding a VF to the driver the intent names (issue 13).
 */
#ifndef SYSFS_VF_H
#define SYSFS_VF_H 1

int sysfs_set_vf_driver(const char *root, const char *pf, const char *vf,
                        const char *driver, char **errp);

#endif /* sysfs-vf.h */
