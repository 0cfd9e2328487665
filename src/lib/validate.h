/*
 * validate: checks for values that come from OVSDB, the command line or the
 * kernel before they reach a sysfs path, a netlink message or a plan.
 *
 * Every function is pure.  On success it returns NULL (and stores the
 * parsed value, if any); on failure it returns a malloc'd message that
 * names 'field' (e.g. "external_ids:offload-mtu") and quotes the value.
 */
#ifndef VALIDATE_H
#define VALIDATE_H 1

#include <stdbool.h>
#include <stdint.h>

struct in6_addr;

/* Maximum interface name length, without the terminating null. */
#define VALIDATE_IFNAME_MAX 15

char *validate_ifname(const char *field, const char *name);
char *validate_pci_addr(const char *field, const char *addr);
char *validate_dev_name(const char *field, const char *name);
char *validate_uint(const char *field, const char *s, unsigned long long min,
                    unsigned long long max, unsigned long long *valuep);
char *validate_ip(const char *field, const char *s, bool *is_ipv6);
char *validate_one_of(const char *field, const char *s,
                      const char *const *choices);

char *validate_remote(const char *field, const char *remote);

bool validate_is_pci_addr(const char *s);
void validate_pci_addr_normalize(char *addr);

#endif /* validate.h */
