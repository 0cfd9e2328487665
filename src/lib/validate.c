/*
 * validate: checks on untrusted names and numbers.  See validate.h.
 */
#include <config.h>

#include "validate.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "openvswitch/dynamic-string.h"
#include "util.h"

/* Quotes 's' for an error message: at most 64 characters, non-printable
 * bytes escaped, so that hostile input cannot forge log lines. */
static char *
quote(const char *s)
{
    struct ds ds = DS_EMPTY_INITIALIZER;
    size_t i;

    ds_put_char(&ds, '"');
    for (i = 0; s[i] && i < 64; i++) {
        unsigned char c = s[i];
        if (c == '"' || c == '\\') {
            ds_put_format(&ds, "\\%c", c);
        } else if (isprint(c)) {
            ds_put_char(&ds, c);
        } else {
            ds_put_format(&ds, "\\x%02x", c);
        }
    }
    ds_put_char(&ds, '"');
    if (s[i]) {
        ds_put_cstr(&ds, "...");
    }
    return ds_steal_cstr(&ds);
}

static char * OVS_PRINTF_FORMAT(3, 4)
invalid(const char *field, const char *value, const char *format, ...)
{
    char *q = quote(value);
    char *why;
    char *msg;
    va_list args;

    va_start(args, format);
    why = xvasprintf(format, args);
    va_end(args);
    msg = xasprintf("%s: %s is not valid: %s", field, q, why);
    free(why);
    free(q);
    return msg;
}

/* A Linux network interface name: 1 to 15 bytes of printable ASCII other
 * than '/', ':' and white space, and not "." or "..". */
char *
validate_ifname(const char *field, const char *name)
{
    size_t len = strlen(name);

    if (!len) {
        return invalid(field, name, "an interface name may not be empty");
    }
    if (len > VALIDATE_IFNAME_MAX) {
        return invalid(field, name, "an interface name has at most %d "
                       "characters", VALIDATE_IFNAME_MAX);
    }
    if (!strcmp(name, ".") || !strcmp(name, "..")) {
        return invalid(field, name, "\".\" and \"..\" are not interface "
                       "names");
    }
    for (const char *p = name; *p; p++) {
        unsigned char c = *p;
        if (c == '/' || c == ':' || !isgraph(c) || c >= 0x80) {
            return invalid(field, name, "an interface name may not contain "
                           "'/', ':', white space or non-ASCII characters");
        }
    }
    return NULL;
}

static bool
is_hex_n(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (!isxdigit((unsigned char) s[i])) {
            return false;
        }
    }
    return true;
}

/* Returns true if 's' is a full PCI address DDDD:BB:DD.F (hex, device at
 * most 0x1f, function at most 7). */
bool
validate_is_pci_addr(const char *s)
{
    if (strlen(s) != 12 || s[4] != ':' || s[7] != ':' || s[10] != '.'
        || !is_hex_n(s, 4) || !is_hex_n(s + 5, 2) || !is_hex_n(s + 8, 2)
        || s[11] < '0' || s[11] > '7') {
        return false;
    }
    return strtol(s + 8, NULL, 16) <= 0x1f;
}

/* Lower-cases PCI address 'addr' (already valid) in place: "0000:03:0A.0"
 * is "0000:03:0a.0" in sysfs and devlink. */
void
validate_pci_addr_normalize(char *addr)
{
    for (char *p = addr; *p; p++) {
        *p = tolower((unsigned char) *p);
    }
}

char *
validate_pci_addr(const char *field, const char *addr)
{
    return (validate_is_pci_addr(addr)
            ? NULL
            : invalid(field, addr, "expected a PCI address like "
                      "0000:03:00.0"));
}

/* A device name on a bus, as it appears under /sys/bus/BUS/devices: 1 to 64
 * characters of [A-Za-z0-9:._-], not "." or "..". */
char *
validate_dev_name(const char *field, const char *name)
{
    size_t len = strlen(name);

    if (!len || len > 64) {
        return invalid(field, name, "a device name has 1 to 64 characters");
    }
    if (!strcmp(name, ".") || !strcmp(name, "..")) {
        return invalid(field, name, "\".\" and \"..\" are not device names");
    }
    for (const char *p = name; *p; p++) {
        unsigned char c = *p;
        if (!isalnum(c) && c != ':' && c != '.' && c != '_' && c != '-') {
            return invalid(field, name, "a device name has only letters, "
                           "digits, ':', '.', '_' and '-'");
        }
    }
    return NULL;
}

/* A decimal number between 'min' and 'max' inclusive, with no sign, no
 * leading or trailing junk. */
char *
validate_uint(const char *field, const char *s, unsigned long long min,
              unsigned long long max, unsigned long long *valuep)
{
    unsigned long long value;
    char *end;

    if (!isdigit((unsigned char) s[0])) {
        return invalid(field, s, "expected a number from %llu to %llu",
                       min, max);
    }
    errno = 0;
    value = strtoull(s, &end, 10);
    if (*end || errno) {
        return invalid(field, s, "expected a number from %llu to %llu",
                       min, max);
    }
    if (value < min || value > max) {
        return invalid(field, s, "out of range %llu to %llu", min, max);
    }
    if (valuep) {
        *valuep = value;
    }
    return NULL;
}

/* An IPv4 or IPv6 address, without prefix length. */
char *
validate_ip(const char *field, const char *s, bool *is_ipv6)
{
    struct in6_addr a6;
    struct in_addr a4;

    if (inet_pton(AF_INET, s, &a4) == 1) {
        if (is_ipv6) {
            *is_ipv6 = false;
        }
        return NULL;
    }
    if (inet_pton(AF_INET6, s, &a6) == 1) {
        if (is_ipv6) {
            *is_ipv6 = true;
        }
        return NULL;
    }
    return invalid(field, s, "expected an IPv4 or IPv6 address");
}

/* One of the null-terminated 'choices'. */
char *
validate_one_of(const char *field, const char *s, const char *const *choices)
{
    struct ds list = DS_EMPTY_INITIALIZER;
    char *error;

    for (size_t i = 0; choices[i]; i++) {
        if (!strcmp(s, choices[i])) {
            ds_destroy(&list);
            return NULL;
        }
        ds_put_format(&list, "%s%s", i ? ", " : "", choices[i]);
    }
    error = invalid(field, s, "expected one of: %s", ds_cstr(&list));
    ds_destroy(&list);
    return error;
}

/* An active OVSDB remote: "unix:FILE", or "tcp:HOST:PORT" or
 * "ssl:HOST:PORT" where HOST is an IPv4 address, a bracketed IPv6 address
 * or a host name, and PORT is 1 to 65535. */
char *
validate_remote(const char *field, const char *remote)
{
    const char *expect = "expected unix:FILE, tcp:HOST:PORT or ssl:HOST:PORT";

    if (!strncmp(remote, "unix:", 5)) {
        return (remote[5]
                ? NULL
                : invalid(field, remote, "%s (FILE is empty)", expect));
    }
    if (strncmp(remote, "tcp:", 4) && strncmp(remote, "ssl:", 4)) {
        return invalid(field, remote, "%s", expect);
    }

    const char *host = remote + 4;
    const char *port;
    char *error = NULL;

    if (host[0] == '[') {
        const char *end = strchr(host, ']');
        char *addr;

        if (!end || end[1] != ':') {
            return invalid(field, remote, "%s ([IPv6]:PORT)", expect);
        }
        addr = xmemdup0(host + 1, end - host - 1);
        error = validate_ip(field, addr, NULL);
        free(addr);
        if (error) {
            free(error);
            return invalid(field, remote, "%s (bad IPv6 address)", expect);
        }
        port = end + 2;
    } else {
        const char *colon = strrchr(host, ':');

        if (!colon || colon == host) {
            return invalid(field, remote, "%s (HOST:PORT)", expect);
        }
        for (const char *p = host; p < colon; p++) {
            if (!isalnum((unsigned char) *p) && *p != '.' && *p != '-') {
                return invalid(field, remote, "%s (bad host name)", expect);
            }
        }
        /* All digits and dots must be a valid IPv4 address. */
        if (strspn(host, "0123456789.") == (size_t) (colon - host)) {
            char *addr = xmemdup0(host, colon - host);
            struct in_addr a4;
            bool ok = inet_pton(AF_INET, addr, &a4) == 1;
            free(addr);
            if (!ok) {
                return invalid(field, remote, "%s (bad IPv4 address)",
                               expect);
            }
        }
        port = colon + 1;
    }
    error = validate_uint(field, port, 1, 65535, NULL);
    if (error) {
        free(error);
        return invalid(field, remote, "%s (PORT is 1 to 65535)", expect);
    }
    return NULL;
}
