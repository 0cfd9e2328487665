/*
 * vmconfig: the QEMU arguments and libvirt XML that hand a VF (vfio-pci) or
 * a vDPA device (/dev/vhost-vdpa-N) to a virtual machine (issue 13).  Pure:
 * validated input in, text out.
 */
#ifndef VMCONFIG_H
#define VMCONFIG_H 1

struct ds;

char *vmconfig_vfio(const char *pci, const char *id, struct ds *);
char *vmconfig_vdpa(const char *vhostdev, int max_vqp, const char *mac,
                    const char *id, struct ds *);
int vmconfig_command(int argc, char *argv[]);

#endif /* vmconfig.h */
