/*
 * vdpa: the "vdpa" generic netlink family (Linux 5.12 and later, with
 * CONFIG_VDPA): the vDPA devices, their management device, MAC and
 * max_vqp, and creating and deleting them.
 *
 * The family has no multicast group: the Linux back end dumps the devices
 * (VDPA_CMD_DEV_GET) at every observation, and their network configuration
 * (VDPA_CMD_DEV_CONFIG_GET, where the kernel reports the MAC and max_vqp)
 * only when there is a device.
 *
 * Every request function returns 0 or a positive errno value and on
 * failure stores in '*errp' a message naming the device, with the
 * kernel's extended-ack text ("vdpa: vdpa0: dev add: vdpa: Some provided
 * attributes are not supported (Operation not supported)").
 *
 * The vdpa_parse_*() functions are the pure message parsers, exposed for
 * tests and the netlink fuzz target: they check every attribute's size,
 * string termination and name, and return a malloc'd error for what does
 * not pass.
 */
#ifndef VDPA_H
#define VDPA_H 1

#include <stddef.h>
#include <stdint.h>

#include "hw.h"

struct nlmsghdr;
struct nlsock;
struct shash;

/* The longest vDPA device name accepted from the kernel or for a request
 * (the kernel's own limit is a device name; keep it a plain, short
 * directory entry name). */
#define VDPA_NAME_MAX 64

char *vdpa_check_name(const char *field, const char *name);
char *vdpa_check_mgmtdev(const char *field, const char *mgmtdev);

/* Dumps the vDPA devices into 'vdpas' (name -> struct hw_vdpa, whose
 * 'vhost' is left NULL).  Entries that do not parse are skipped and
 * counted in '*n_skipped', with the first one's reason in '*warningp'
 * (malloc'd, or NULL). */
int vdpa_list(struct nlsock *, uint16_t family, struct shash *vdpas,
              size_t *n_skipped, char **warningp, char **errp);
void vdpa_list_clear(struct shash *vdpas);

/* Creates vDPA device 'name' on management device 'mgmtdev' ("BUS/NAME" or
 * "NAME"), with MAC 'mac' (NULL: the device's default) and 'max_vqp'
 * queue pairs (0: the device's default). */
int vdpa_dev_new(struct nlsock *, uint16_t family, const char *name,
                 const char *mgmtdev, const char *mac, unsigned int max_vqp,
                 char **errp);
/* Deletes vDPA device 'name'.  A device that does not exist is ENODEV. */
int vdpa_dev_del(struct nlsock *, uint16_t family, const char *name,
                 char **errp);

/* Parsers, for tests.  vdpa_parse_dev() fills 'v' (name, mgmtdev);
 * vdpa_parse_config() the name, MAC and max_vqp of 'v'. */
char *vdpa_parse_dev(const struct nlmsghdr *, struct hw_vdpa *v);
char *vdpa_parse_config(const struct nlmsghdr *, struct hw_vdpa *v);
void vdpa_clear(struct hw_vdpa *);

#endif /* vdpa.h */
