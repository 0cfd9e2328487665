/*
 * devlink: the devlink generic netlink family, as the Linux hardware back
 * end uses it: device list, device info (driver, running firmware), eswitch
 * mode get/set, port dump.
 *
 * Every request function takes the generic netlink socket and the resolved
 * "devlink" family id, returns 0 or a positive errno value and on failure
 * stores in '*errp' a message that names the device and carries the
 * kernel's extended-ack text ("netdevsim/netdevsim10: eswitch mode legacy:
 * devlink: Rate node(s) exists. (Device or resource busy)").
 *
 * The devlink_parse_*() functions are the pure message parsers behind them,
 * exposed for tests; they check everything the kernel sends (attribute
 * sizes, string termination, names) and return a malloc'd error for what
 * does not pass.
 */
#ifndef DEVLINK_H
#define DEVLINK_H 1

#include <stddef.h>
#include <stdint.h>

#include "hw.h"

struct nlmsghdr;
struct nlsock;

struct devlink_dev_id {
    char *bus;
    char *name;
};

struct devlink_port_info {
    char *bus;                  /* Device the port belongs to. */
    char *dev;
    struct hw_port port;
    char *warning;              /* Set by devlink_parse_port() for a port
                                 * kept without its unusable netdev name;
                                 * the caller frees it. */
    int netdev_ifindex;         /* Model (issue 10): the port's netdev by
                                 * ifindex, 0 if absent (a rename keeps
                                 * it; 6.1 sends no port notification for
                                 * a rename). */
};

int devlink_check_handle(const char *bus, const char *dev, char **errp);
int devlink_list_devices(struct nlsock *, uint16_t family,
                         struct devlink_dev_id **, size_t *n, char **errp);
void devlink_dev_ids_free(struct devlink_dev_id *, size_t n);

int devlink_get_info(struct nlsock *, uint16_t family, const char *bus,
                     const char *dev, char **driverp, char **fwp,
                     char **errp);
int devlink_get_eswitch_mode(struct nlsock *, uint16_t family,
                             const char *bus, const char *dev, char **modep,
                             char **errp);
int devlink_set_eswitch_mode(struct nlsock *, uint16_t family,
                             const char *bus, const char *dev,
                             const char *mode, char **errp);

/* Issue 13: sets the hardware address of the function behind devlink port
 * 'index' of 'bus'/'dev' ("devlink port function set ... hw_addr MAC"), as
 * switchdev mode sets a VF's MAC. */
int devlink_port_set_hw_addr(struct nlsock *, uint16_t family,
                             const char *bus, const char *dev,
                             unsigned int index, const char *mac,
                             char **errp);

int devlink_list_ports(struct nlsock *, uint16_t family,
                       struct devlink_port_info **, size_t *n,
                       size_t *n_skipped, char **errp);
void devlink_ports_free(struct devlink_port_info *, size_t n);

/* Parsers, for tests. */
char *devlink_parse_dev(const struct nlmsghdr *, struct devlink_dev_id *);
char *devlink_parse_info(const struct nlmsghdr *, char **driverp,
                         char **fwp);
char *devlink_parse_eswitch(const struct nlmsghdr *, char **modep);
char *devlink_parse_port(const struct nlmsghdr *, struct devlink_port_info *);

const char *devlink_eswitch_mode_to_string(unsigned int mode);
int devlink_eswitch_mode_from_string(const char *);

#endif /* devlink.h */
