/*
 * sysfs: small sysfs and debugfs files.  See sysfs.h.
 */
#include <config.h>

#include "sysfs.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <dirent.h>

#include "hw.h"
#include "openvswitch/dynamic-string.h"
#include "util.h"
#include "validate.h"

/* The largest sysfs attribute we read: they are a line or two. */
#define SYSFS_MAX_FILE 4096

/* The longest word sysfs_parse_word() accepts. */
#define SYSFS_MAX_WORD 32

/* Returns NULL if 'c' is a single plain directory entry name, otherwise an
 * error message. */
char *
sysfs_check_component(const char *c)
{
    size_t len = strlen(c);

    if (!len) {
        return xstrdup("empty path component");
    }
    if (len > NAME_MAX) {
        return xasprintf("path component longer than %d bytes", NAME_MAX);
    }
    if (!strcmp(c, ".") || !strcmp(c, "..")) {
        return xasprintf("path component \"%s\" is not allowed", c);
    }
    for (const char *p = c; *p; p++) {
        unsigned char ch = *p;
        if (ch == '/' || !isgraph(ch) || ch >= 0x80) {
            return xstrdup("path component contains '/', white space or a "
                           "non-printable character");
        }
    }
    return NULL;
}

/* Returns NULL if 'root' is usable as a sysfs or debugfs root: absolute,
 * with no "." or ".." component and no unprintable characters. */
char *
sysfs_check_root(const char *field, const char *root)
{
    size_t len = strlen(root);

    if (root[0] != '/' || len >= PATH_MAX) {
        return xasprintf("%s: \"%s\" is not an absolute path", field, root);
    }
    for (const char *p = root; *p; p++) {
        unsigned char ch = *p;
        if (!isgraph(ch) || ch >= 0x80) {
            return xasprintf("%s: the path contains white space or a "
                             "non-printable character", field);
        }
        if (p[0] == '/' && p[1] == '.'
            && (p[2] == '/' || !p[2]
                || (p[2] == '.' && (p[3] == '/' || !p[3])))) {
            return xasprintf("%s: \"%s\" has a \".\" or \"..\" component",
                             field, root);
        }
    }
    return NULL;
}

/* A bus name as under /sys/bus: 1 to 32 lower-case letters, digits, '_'
 * and '-' ("pci", "netdevsim", "auxiliary"). */
char *
sysfs_check_bus(const char *field, const char *bus)
{
    size_t len = strlen(bus);

    if (!len || len > 32) {
        return xasprintf("%s: a bus name has 1 to 32 characters", field);
    }
    for (const char *p = bus; *p; p++) {
        if (!islower((unsigned char) *p) && !isdigit((unsigned char) *p)
            && *p != '_' && *p != '-') {
            return xasprintf("%s: a bus name has only lower-case letters, "
                             "digits, '_' and '-'", field);
        }
    }
    return NULL;
}

/* Builds in '*pathp' the path 'root'/C1/C2/.../Cn from the null-terminated
 * list of components that follows 'root'.  Returns NULL, or a malloc'd
 * error (and '*pathp' NULL) if the root or a component is unsafe or the
 * result is too long. */
char *
sysfs_path(char **pathp, const char *root, ...)
{
    struct ds path = DS_EMPTY_INITIALIZER;
    const char *c;
    char *error;
    va_list args;

    *pathp = NULL;
    error = sysfs_check_root("root", root);
    if (error) {
        return error;
    }
    ds_put_cstr(&path, root);
    while (path.length > 1 && path.string[path.length - 1] == '/') {
        path.length--;
    }
    if (path.length == 1) {
        path.length = 0;            /* Root "/". */
    }

    va_start(args, root);
    while ((c = va_arg(args, const char *)) != NULL) {
        error = sysfs_check_component(c);
        if (error) {
            break;
        }
        ds_put_char(&path, '/');
        ds_put_cstr(&path, c);
    }
    va_end(args);

    if (!error && path.length >= PATH_MAX) {
        error = xasprintf("path longer than %d bytes", PATH_MAX - 1);
    }
    if (error) {
        ds_destroy(&path);
        return error;
    }
    *pathp = ds_steal_cstr(&path);
    return NULL;
}

/* Parses a sysfs number: decimal digits and at most one trailing new-line,
 * from 0 to 'max'. */
char *
sysfs_parse_int(const char *content, int max, int *valuep)
{
    size_t n = strspn(content, "0123456789");
    long long int value = 0;

    if (!n || n > 10 || (content[n] && strcmp(content + n, "\n"))) {
        return xstrdup("expected a decimal number");
    }
    for (size_t i = 0; i < n; i++) {
        value = value * 10 + (content[i] - '0');
    }
    if (value > max) {
        return xasprintf("%lld exceeds the maximum %d", value, max);
    }
    *valuep = value;
    return NULL;
}

/* Parses a one-word state file ("active\n"): surrounding white space is
 * dropped, the word has 1 to SYSFS_MAX_WORD letters, digits, '_' or '-'.
 * Stores a malloc'd copy in '*wordp'. */
char *
sysfs_parse_word(const char *content, char **wordp)
{
    const char *start = content;
    const char *end;

    *wordp = NULL;
    while (*start == ' ' || *start == '\t' || *start == '\n') {
        start++;
    }
    end = start;
    while (isalnum((unsigned char) *end) || *end == '_' || *end == '-') {
        end++;
    }
    if (end == start || end - start > SYSFS_MAX_WORD) {
        return xasprintf("expected one word of 1 to %d characters",
                         SYSFS_MAX_WORD);
    }
    for (const char *p = end; *p; p++) {
        if (*p != ' ' && *p != '\t' && *p != '\n') {
            return xstrdup("expected one word");
        }
    }
    *wordp = xmemdup0(start, end - start);
    return NULL;
}

/* Returns the last component of a symbolic link's target. */
const char *
sysfs_basename(const char *target)
{
    const char *slash = strrchr(target, '/');
    return slash ? slash + 1 : target;
}

/* Reads the file at 'path' (at most SYSFS_MAX_FILE bytes) into a malloc'd,
 * null-terminated '*contentp'. */
int
sysfs_read_file(const char *path, char **contentp, char **errp)
{
    char *buf = xmalloc(SYSFS_MAX_FILE + 1);
    size_t len = 0;
    int error = 0;
    int fd;

    *contentp = NULL;
    fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0) {
        error = errno;
        *errp = xasprintf("%s: cannot open (%s)", path, ovs_strerror(error));
        free(buf);
        return error;
    }
    for (;;) {
        ssize_t n = read(fd, buf + len, SYSFS_MAX_FILE + 1 - len);
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            error = errno;
            *errp = xasprintf("%s: read failed (%s)", path,
                              ovs_strerror(error));
            break;
        } else if (n == 0) {
            break;
        }
        len += n;
        if (len > SYSFS_MAX_FILE) {
            error = EFBIG;
            *errp = xasprintf("%s: longer than %d bytes", path,
                              SYSFS_MAX_FILE);
            break;
        }
    }
    close(fd);
    if (error) {
        free(buf);
        return error;
    }
    buf[len] = '\0';
    if (strlen(buf) != len) {
        *errp = xasprintf("%s: contains a null byte", path);
        free(buf);
        return EINVAL;
    }
    *contentp = buf;
    return 0;
}

/* Writes 'content' to the existing file 'path' in one write(), as sysfs
 * attributes want. */
int
sysfs_write_file(const char *path, const char *content, char **errp)
{
    size_t len = strlen(content);
    ssize_t n;
    int error = 0;
    int fd;

    fd = open(path, O_WRONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0) {
        error = errno;
        *errp = xasprintf("%s: cannot open for writing (%s)", path,
                          ovs_strerror(error));
        return error;
    }
    do {
        n = write(fd, content, len);
    } while (n < 0 && errno == EINTR);
    if (n < 0) {
        error = errno;
    } else if (n != len) {
        error = EIO;
    }
    if (close(fd) && !error) {
        error = errno;
    }
    if (error) {
        *errp = xasprintf("%s: write failed (%s)", path, ovs_strerror(error));
    }
    return error;
}

/* Reads the number in the file at 'path' into '*valuep'; ENOENT leaves
 * '*valuep' alone and is returned without a message. */
static int
sysfs_read_int(const char *path, int *valuep, char **errp)
{
    char *content;
    char *error_msg;
    int error;

    error = sysfs_read_file(path, &content, errp);
    if (error) {
        if (error == ENOENT) {
            free(*errp);
            *errp = NULL;
        }
        return error;
    }
    error_msg = sysfs_parse_int(content, INT_MAX, valuep);
    free(content);
    if (error_msg) {
        *errp = xasprintf("%s: %s", path, error_msg);
        free(error_msg);
        return EINVAL;
    }
    return 0;
}

static char *
sysfs_check_bus_dev(const char *bus, const char *dev)
{
    char *error = sysfs_check_bus("bus", bus);
    return error ? error : validate_dev_name("device", dev);
}

/* Stores in '*totalp' and '*nump' the device's sriov_totalvfs and
 * sriov_numvfs, or -1 for a file that does not exist.  netdevsim has no
 * sriov_totalvfs; its limit is the debugfs file netdevsim/DEV/max_vfs,
 * used instead. */
int
sysfs_get_vfs(const char *root, const char *debugfs_root, const char *bus,
              const char *dev, int *totalp, int *nump, char **errp)
{
    char *path;
    char *msg;
    int error;

    *totalp = *nump = -1;
    msg = sysfs_check_bus_dev(bus, dev);
    if (!msg) {
        msg = sysfs_path(&path, root, "bus", bus, "devices", dev,
                         "sriov_numvfs", NULL);
    }
    if (msg) {
        *errp = xasprintf("%s/%s: %s", bus, dev, msg);
        free(msg);
        return EINVAL;
    }
    error = sysfs_read_int(path, nump, errp);
    free(path);
    if (error && error != ENOENT) {
        return error;
    }

    sysfs_path(&path, root, "bus", bus, "devices", dev, "sriov_totalvfs",
               NULL);
    error = sysfs_read_int(path, totalp, errp);
    free(path);
    if (error == ENOENT && !strcmp(bus, "netdevsim")) {
        msg = sysfs_path(&path, debugfs_root, "netdevsim", dev, "max_vfs",
                         NULL);
        if (msg) {
            *errp = xasprintf("%s/%s: %s", bus, dev, msg);
            free(msg);
            return EINVAL;
        }
        error = sysfs_read_int(path, totalp, errp);
        free(path);
    }
    return error == ENOENT ? 0 : error;
}

/* Writes 'n' to the device's sriov_numvfs.  Exactly that: going through 0
 * to change a non-zero count is the caller's decision. */
int
sysfs_set_num_vfs(const char *root, const char *bus, const char *dev, int n,
                  char **errp)
{
    char *path, *msg, *write_err = NULL;
    char value[16];
    int error;

    msg = sysfs_check_bus_dev(bus, dev);
    if (!msg && (n < 0 || n > 65535)) {
        msg = xasprintf("%d is not a VF count", n);
    }
    if (!msg) {
        msg = sysfs_path(&path, root, "bus", bus, "devices", dev,
                         "sriov_numvfs", NULL);
    }
    if (msg) {
        *errp = xasprintf("%s/%s: sriov_numvfs: %s", bus, dev, msg);
        free(msg);
        return EINVAL;
    }
    snprintf(value, sizeof value, "%d", n);
    error = sysfs_write_file(path, value, &write_err);
    if (error) {
        *errp = xasprintf("%s/%s: sriov_numvfs: cannot set to %d (%s%s)",
                          bus, dev, n, ovs_strerror(error),
                          error == EBUSY ? ": a non-zero count can only "
                          "change to 0" : "");
        free(write_err);
    }
    free(path);
    return error;
}

/* Reads the mlx5 LAG state of PCI function 'dev' from debugfs
 * (DEBUGFS/mlx5/DEV/lag/state).  A missing file is not an error:
 * '*statep' is then NULL. */
int
sysfs_get_lag_state(const char *debugfs_root, const char *dev,
                    char **statep, char **errp)
{
    char *path, *content, *msg;
    int error;

    *statep = NULL;
    msg = validate_dev_name("device", dev);
    if (!msg) {
        msg = sysfs_path(&path, debugfs_root, "mlx5", dev, "lag", "state",
                         NULL);
    }
    if (msg) {
        *errp = xasprintf("%s: LAG state: %s", dev, msg);
        free(msg);
        return EINVAL;
    }
    error = sysfs_read_file(path, &content, errp);
    if (error) {
        if (error == ENOENT || error == ENOTDIR) {
            free(*errp);
            *errp = NULL;
            error = 0;
        }
        free(path);
        return error;
    }
    msg = sysfs_parse_word(content, statep);
    free(content);
    if (msg) {
        *errp = xasprintf("%s: %s", path, msg);
        free(msg);
        error = EINVAL;
    }
    free(path);
    return error;
}

/* Reads the symbolic link 'path' into a malloc'd '*targetp'. */
static int
sysfs_readlink(const char *path, char **targetp)
{
    char buf[PATH_MAX];
    ssize_t n = readlink(path, buf, sizeof buf);

    *targetp = NULL;
    if (n < 0) {
        return errno;
    }
    if (n >= sizeof buf) {
        return ENAMETOOLONG;
    }
    *targetp = xmemdup0(buf, n);
    return 0;
}

/* Reads the last component of the target of the link
 * ROOT/class/net/IFNAME/LEAF... into '*namep' (NULL, with 0 returned, if the
 * link does not exist) and checks it with 'check'. */
static int
sysfs_link_name(const char *root, const char *ifname, const char *leaf1,
                const char *leaf2, char *(*check)(const char *field,
                                                  const char *name),
                char **namep, char **errp)
{
    char *path, *target, *msg;
    int error;

    *namep = NULL;
    msg = sysfs_path(&path, root, "class", "net", ifname, leaf1, leaf2,
                     NULL);
    if (msg) {
        *errp = xasprintf("%s: %s", ifname, msg);
        free(msg);
        return EINVAL;
    }
    error = sysfs_readlink(path, &target);
    if (error) {
        if (error == ENOENT || error == ENOTDIR) {
            error = 0;
        } else {
            *errp = xasprintf("%s: cannot read link (%s)", path,
                              ovs_strerror(error));
        }
        free(path);
        return error;
    }
    msg = check(path, sysfs_basename(target));
    if (msg) {
        *errp = msg;
        error = EINVAL;
    } else {
        *namep = xstrdup(sysfs_basename(target));
    }
    free(target);
    free(path);
    return error;
}

static char *
sysfs_check_driver(const char *field, const char *name)
{
    char *error = sysfs_check_component(name);

    if (error) {
        char *msg = xasprintf("%s: %s", field, error);
        free(error);
        return msg;
    }
    return NULL;
}

/* Finds the parent device of network interface 'ifname' through
 * ROOT/class/net/IFNAME/device: its bus (the "subsystem" link), its name
 * on that bus and its driver.  A virtual interface has none of them: all
 * three are then NULL and 0 is returned. */
int
sysfs_get_link_device(const char *root, const char *ifname, char **busp,
                      char **devp, char **driverp, char **errp)
{
    char *msg = validate_ifname("interface", ifname);
    int error;

    *busp = *devp = *driverp = NULL;
    if (msg) {
        *errp = msg;
        return EINVAL;
    }
    error = sysfs_link_name(root, ifname, "device", NULL, validate_dev_name,
                            devp, errp);
    if (error || !*devp) {
        return error;
    }
    error = sysfs_link_name(root, ifname, "device", "subsystem",
                            sysfs_check_bus, busp, errp);
    if (!error && !*busp) {
        *errp = xasprintf("%s: parent device %s has no subsystem link",
                          ifname, *devp);
        error = ENOENT;
    }
    if (!error) {
        error = sysfs_link_name(root, ifname, "device", "driver",
                                sysfs_check_driver, driverp, errp);
    }
    if (error) {
        free(*busp);
        free(*devp);
        free(*driverp);
        *busp = *devp = *driverp = NULL;
    }
    return error;
}

/* Readers for the tuning audit. */

/* Parses a CPU list ("0-3,8,10-11\n", or an empty line for none) into
 * 'set' and '*countp'. */
char *
sysfs_parse_cpulist(const char *content, struct sysfs_cpuset *set,
                    int *countp)
{
    const char *p = content;

    memset(set, 0, sizeof *set);
    *countp = 0;
    while (*p && *p != '\n') {
        long long int lo, hi;
        char *end;

        if (!isdigit((unsigned char) *p)) {
            return xstrdup("expected a CPU list");
        }
        lo = hi = strtoll(p, &end, 10);
        p = end;
        if (*p == '-') {
            p++;
            if (!isdigit((unsigned char) *p)) {
                return xstrdup("expected a CPU list");
            }
            hi = strtoll(p, &end, 10);
            p = end;
        }
        if (lo > hi || hi >= SYSFS_MAX_CPUS) {
            return xasprintf("CPU range %lld-%lld out of range", lo, hi);
        }
        for (long long int c = lo; c <= hi; c++) {
            unsigned long long int bit = 1ULL << (c % 64);
            if (!(set->bits[c / 64] & bit)) {
                set->bits[c / 64] |= bit;
                (*countp)++;
            }
        }
        if (*p == ',') {
            p++;
        } else if (*p && *p != '\n') {
            return xstrdup("expected a CPU list");
        }
    }
    if (*p == '\n' && p[1]) {
        return xstrdup("expected one line");
    }
    return NULL;
}

bool
sysfs_cpuset_intersects(const struct sysfs_cpuset *a,
                        const struct sysfs_cpuset *b)
{
    for (size_t i = 0; i < ARRAY_SIZE(a->bits); i++) {
        if (a->bits[i] & b->bits[i]) {
            return true;
        }
    }
    return false;
}

/* Parses a PCIe link speed file ("8.0 GT/s PCIe\n", "2.5 GT/s\n") into
 * tenths of GT/s.  "Unknown" (no link) is an error. */
char *
sysfs_parse_link_speed(const char *content, int *tenthsp)
{
    const char *p = content;
    int whole = 0, tenth = 0, n = 0;

    while (isdigit((unsigned char) *p) && n < 3) {
        whole = whole * 10 + (*p++ - '0');
        n++;
    }
    if (!n) {
        return xstrdup("expected a link speed in GT/s");
    }
    if (*p == '.') {
        p++;
        if (!isdigit((unsigned char) *p)) {
            return xstrdup("expected a link speed in GT/s");
        }
        tenth = *p++ - '0';
        while (isdigit((unsigned char) *p)) {
            p++;
        }
    }
    if (strncmp(p, " GT/s", 5)) {
        return xstrdup("expected a link speed in GT/s");
    }
    p += 5;
    if (*p && strcmp(p, "\n") && strcmp(p, " PCIe\n") && strcmp(p, " PCIe")) {
        return xstrdup("unexpected text after the link speed");
    }
    *tenthsp = whole * 10 + tenth;
    if (!*tenthsp) {
        return xstrdup("link speed 0");
    }
    return NULL;
}

/* Parses a signed decimal number with an optional trailing new-line. */
char *
sysfs_parse_long(const char *content, long long int *valuep)
{
    const char *p = content;
    bool neg = *p == '-';
    size_t n;
    long long int v = 0;

    if (neg) {
        p++;
    }
    n = strspn(p, "0123456789");
    if (!n || n > 18 || (p[n] && strcmp(p + n, "\n"))) {
        return xstrdup("expected a decimal number");
    }
    for (size_t i = 0; i < n; i++) {
        v = v * 10 + (p[i] - '0');
    }
    *valuep = neg ? -v : v;
    return NULL;
}

/* True if a hexadecimal CPU mask ("00000000,00000000\n") has no bit set. */
bool
sysfs_mask_is_zero(const char *content)
{
    for (const char *p = content; *p; p++) {
        if (isxdigit((unsigned char) *p) && *p != '0') {
            return false;
        }
    }
    return true;
}

/* Builds a path from 'root' and up to 8 components in 'args'. */
static char *
sysfs_vpath(char **pathp, const char *root, va_list args)
{
    const char *c[9];
    size_t n = 0;
    const char *arg;

    while ((arg = va_arg(args, const char *)) != NULL) {
        if (n >= 8) {
            *pathp = NULL;
            return xstrdup("too many path components");
        }
        c[n++] = arg;
    }
    while (n < 8) {
        c[n++] = NULL;
    }
    return sysfs_path(pathp, root, c[0], c[1], c[2], c[3], c[4], c[5], c[6],
                      c[7], (char *) NULL);
}

int
sysfs_read_attr(char **contentp, char **errp, const char *root, ...)
{
    char *path, *msg;
    va_list args;
    int error;

    *contentp = NULL;
    va_start(args, root);
    msg = sysfs_vpath(&path, root, args);
    va_end(args);
    if (msg) {
        *errp = msg;
        return EINVAL;
    }
    error = sysfs_read_file(path, contentp, errp);
    free(path);
    return error;
}

static int
sysfs_read_speed(const char *root, const char *dev, const char *leaf,
                 int *valuep, char **errp)
{
    char *content, *msg;
    int error = sysfs_read_attr(&content, errp, root, "bus", "pci",
                                "devices", dev, leaf, (char *) NULL);
    if (error) {
        return error;
    }
    msg = sysfs_parse_link_speed(content, valuep);
    free(content);
    if (msg) {
        *errp = xasprintf("%s: %s: %s", dev, leaf, msg);
        free(msg);
        return EINVAL;
    }
    return 0;
}

static int
sysfs_read_width(const char *root, const char *dev, const char *leaf,
                 int *valuep, char **errp)
{
    char *content, *msg;
    int error = sysfs_read_attr(&content, errp, root, "bus", "pci",
                                "devices", dev, leaf, (char *) NULL);
    if (error) {
        return error;
    }
    msg = sysfs_parse_int(content, 64, valuep);
    free(content);
    if (!msg && !*valuep) {
        msg = xstrdup("width 0");
    }
    if (msg) {
        *errp = xasprintf("%s: %s: %s", dev, leaf, msg);
        free(msg);
        return EINVAL;
    }
    return 0;
}

static int sysfs_readlink(const char *path, char **targetp);

/* Finds the PCI port above 'dev' (the parent directory in the device's
 * sysfs path, if it is a PCI function) and its maximum link. */
static void
sysfs_get_pcie_port(const char *root, const char *dev,
                    struct sysfs_pcie_link *link)
{
    char *path, *target, *msg, *err = NULL;
    char *slash;

    msg = sysfs_path(&path, root, "bus", "pci", "devices", dev, NULL);
    if (msg) {
        free(msg);
        return;
    }
    if (sysfs_readlink(path, &target)) {
        free(path);
        return;
    }
    free(path);
    slash = strrchr(target, '/');
    if (slash) {
        *slash = '\0';
        const char *parent = sysfs_basename(target);
        if (validate_is_pci_addr(parent) && strlen(parent) < sizeof link->port
            && !sysfs_read_speed(root, parent, "max_link_speed",
                                 &link->port_max_speed, &err)
            && !sysfs_read_width(root, parent, "max_link_width",
                                 &link->port_max_width, &err)) {
            ovs_strlcpy(link->port, parent, sizeof link->port);
        }
    }
    free(err);
    free(target);
}

int
sysfs_get_pcie_link(const char *root, const char *dev,
                    struct sysfs_pcie_link *link, char **errp)
{
    char *msg = validate_pci_addr("device", dev);
    int error;

    memset(link, 0, sizeof *link);
    if (msg) {
        *errp = msg;
        return EINVAL;
    }
    error = sysfs_read_speed(root, dev, "current_link_speed",
                             &link->cur_speed, errp);
    if (!error) {
        error = sysfs_read_speed(root, dev, "max_link_speed",
                                 &link->max_speed, errp);
    }
    if (!error) {
        error = sysfs_read_width(root, dev, "current_link_width",
                                 &link->cur_width, errp);
    }
    if (!error) {
        error = sysfs_read_width(root, dev, "max_link_width",
                                 &link->max_width, errp);
    }
    if (!error) {
        sysfs_get_pcie_port(root, dev, link);
    }
    return error;
}

/* Lists the entries of directory 'path' whose names start with 'prefix'
 * followed by decimal digits (all digits if 'prefix' is ""), as numbers,
 * sorted.  Returns 0 or an errno. */
static int
sysfs_list_numbered(const char *path, const char *prefix, int **numsp,
                    size_t *np)
{
    size_t plen = strlen(prefix);
    size_t n = 0, allocated = 0;
    int *nums = NULL;
    struct dirent *de;
    DIR *dir;

    *numsp = NULL;
    *np = 0;
    dir = opendir(path);
    if (!dir) {
        return errno;
    }
    while ((de = readdir(dir)) != NULL) {
        int v;
        char *msg;

        if (strncmp(de->d_name, prefix, plen)) {
            continue;
        }
        msg = sysfs_parse_int(de->d_name + plen, 1 << 24, &v);
        if (msg) {
            free(msg);
            continue;
        }
        if (n >= allocated) {
            nums = x2nrealloc(nums, &allocated, sizeof *nums);
        }
        nums[n++] = v;
    }
    closedir(dir);
    for (size_t i = 1; i < n; i++) {
        for (size_t j = i; j > 0 && nums[j - 1] > nums[j]; j--) {
            int t = nums[j];
            nums[j] = nums[j - 1];
            nums[j - 1] = t;
        }
    }
    *numsp = nums;
    *np = n;
    return 0;
}

int
sysfs_get_xps(const char *root, const char *ifname, int *n_txp, int *n_setp,
              char **errp)
{
    char *path, *msg = validate_ifname("interface", ifname);
    int *nums;
    size_t n;
    int error;

    *n_txp = *n_setp = 0;
    if (!msg) {
        msg = sysfs_path(&path, root, "class", "net", ifname, "queues",
                         NULL);
    }
    if (msg) {
        *errp = msg;
        return EINVAL;
    }
    error = sysfs_list_numbered(path, "tx-", &nums, &n);
    if (error) {
        *errp = xasprintf("%s: cannot list (%s)", path, ovs_strerror(error));
        free(path);
        return error;
    }
    for (size_t i = 0; i < n; i++) {
        char queue[32], *content, *err = NULL;

        snprintf(queue, sizeof queue, "tx-%d", nums[i]);
        if (!sysfs_read_attr(&content, &err, path, queue, "xps_cpus",
                             (char *) NULL)) {
            if (!sysfs_mask_is_zero(content)) {
                (*n_setp)++;
            }
            free(content);
        }
        free(err);          /* No XPS support: counts as unset. */
    }
    *n_txp = n;
    free(nums);
    free(path);
    return 0;
}

int
sysfs_get_irqs(const char *root, const char *proc_root, const char *ifname,
               const struct sysfs_cpuset *local, int *n_irqsp, int *n_cpusp,
               int *n_remotep, char **errp)
{
    char *path, *msg = validate_ifname("interface", ifname);
    struct sysfs_cpuset all;
    int *nums;
    size_t n;
    int error;

    *n_irqsp = *n_cpusp = *n_remotep = 0;
    if (!msg) {
        msg = sysfs_path(&path, root, "class", "net", ifname, "device",
                         "msi_irqs", NULL);
    }
    if (!msg) {
        msg = sysfs_check_root("proc root", proc_root);
        if (msg) {
            free(path);
        }
    }
    if (msg) {
        *errp = msg;
        return EINVAL;
    }
    error = sysfs_list_numbered(path, "", &nums, &n);
    if (error) {
        *errp = xasprintf("%s: cannot list (%s)", path, ovs_strerror(error));
        free(path);
        return error;
    }
    free(path);

    memset(&all, 0, sizeof all);
    for (size_t i = 0; i < n && !error; i++) {
        struct sysfs_cpuset cpus;
        char irq[16], *content;
        int count;

        snprintf(irq, sizeof irq, "%d", nums[i]);
        error = sysfs_read_attr(&content, errp, proc_root, "irq", irq,
                                "smp_affinity_list", (char *) NULL);
        if (error) {
            break;
        }
        msg = sysfs_parse_cpulist(content, &cpus, &count);
        free(content);
        if (msg) {
            *errp = xasprintf("irq %s: smp_affinity_list: %s", irq, msg);
            free(msg);
            error = EINVAL;
            break;
        }
        for (size_t j = 0; j < ARRAY_SIZE(all.bits); j++) {
            all.bits[j] |= cpus.bits[j];
        }
        if (local && !sysfs_cpuset_intersects(&cpus, local)) {
            (*n_remotep)++;
        }
    }
    free(nums);
    if (error) {
        *n_remotep = 0;
        return error;
    }
    for (size_t j = 0; j < ARRAY_SIZE(all.bits); j++) {
        *n_cpusp += __builtin_popcountll(all.bits[j]);
    }
    *n_irqsp = n;
    return 0;
}

int
sysfs_get_pci_ancestor(const char *root, const char *ifname, char **pcip,
                       char **errp)
{
    char *path, *msg = validate_ifname("interface", ifname);
    char *real;

    *pcip = NULL;
    if (!msg) {
        msg = sysfs_path(&path, root, "class", "net", ifname, "device",
                         NULL);
    }
    if (msg) {
        *errp = msg;
        return EINVAL;
    }
    real = realpath(path, NULL);
    free(path);
    if (!real) {
        int error = errno;
        if (error == ENOENT) {
            return 0;
        }
        *errp = xasprintf("%s: device: %s", ifname, ovs_strerror(error));
        return error;
    }
    for (char *slash = strrchr(real, '/'); slash;
         slash = strrchr(real, '/')) {
        if (validate_is_pci_addr(slash + 1)) {
            *pcip = xstrdup(slash + 1);
            break;
        }
        *slash = '\0';
    }
    free(real);
    return 0;
}

/* --- Issue 11 (ctrl): sriov_drivers_autoprobe and VF driver binding. --- */

/* Reads PCI device 'dev''s sriov_drivers_autoprobe into '*valuep' (0 or
 * 1), or -1 if the device has no such file (not a PCI PF). */
int
sysfs_get_autoprobe(const char *root, const char *bus, const char *dev,
                    int *valuep, char **errp)
{
    char *path, *msg;
    int error;

    *valuep = -1;
    msg = sysfs_check_bus_dev(bus, dev);
    if (!msg) {
        msg = sysfs_path(&path, root, "bus", bus, "devices", dev,
                         "sriov_drivers_autoprobe", NULL);
    }
    if (msg) {
        *errp = xasprintf("%s/%s: %s", bus, dev, msg);
        free(msg);
        return EINVAL;
    }
    error = sysfs_read_int(path, valuep, errp);
    free(path);
    if (!error && *valuep != 0 && *valuep != 1) {
        *errp = xasprintf("%s/%s: sriov_drivers_autoprobe is %d", bus, dev,
                          *valuep);
        *valuep = -1;
        return EINVAL;
    }
    return error == ENOENT ? 0 : error;
}

int
sysfs_set_autoprobe(const char *root, const char *bus, const char *dev,
                    bool on, char **errp)
{
    char *path, *msg, *write_err = NULL;
    int error;

    msg = sysfs_check_bus_dev(bus, dev);
    if (!msg) {
        msg = sysfs_path(&path, root, "bus", bus, "devices", dev,
                         "sriov_drivers_autoprobe", NULL);
    }
    if (msg) {
        *errp = xasprintf("%s/%s: sriov_drivers_autoprobe: %s", bus, dev,
                          msg);
        free(msg);
        return EINVAL;
    }
    error = sysfs_write_file(path, on ? "1" : "0", &write_err);
    if (error) {
        *errp = xasprintf("%s/%s: sriov_drivers_autoprobe: cannot set to %d "
                          "(%s)", bus, dev, on, ovs_strerror(error));
        free(write_err);
    }
    free(path);
    return error;
}

/* Reads the last component of the link ROOT/bus/pci/devices/DEV/LEAF into
 * '*namep', NULL if there is no such link. */
static int
sysfs_pci_link_name(const char *root, const char *dev, const char *leaf,
                    char **namep, char **errp)
{
    char *path, *target, *msg;
    int error;

    *namep = NULL;
    msg = sysfs_path(&path, root, "bus", "pci", "devices", dev, leaf, NULL);
    if (msg) {
        *errp = xasprintf("%s: %s", dev, msg);
        free(msg);
        return EINVAL;
    }
    error = sysfs_readlink(path, &target);
    if (error) {
        if (error == ENOENT || error == ENOTDIR) {
            error = 0;
        } else {
            *errp = xasprintf("%s: cannot read link (%s)", path,
                              ovs_strerror(error));
        }
        free(path);
        return error;
    }
    msg = sysfs_check_driver(path, sysfs_basename(target));
    if (msg) {
        *errp = msg;
        error = EINVAL;
    } else {
        *namep = xstrdup(sysfs_basename(target));
    }
    free(target);
    free(path);
    return error;
}

/* The VF functions of PCI PF 'dev' (links virtfn0, virtfn1, ...), with
 * their drivers and driver_override, up to 'num_vfs' of them. */
int
sysfs_get_pci_vfs(const char *root, const char *dev, int num_vfs,
                  struct hw_vf **vfsp, size_t *n_vfsp, char **errp)
{
    struct hw_vf *vfs = xcalloc(MAX(num_vfs, 1), sizeof *vfs);
    size_t n = 0;
    char *msg = validate_pci_addr("device", dev);

    *vfsp = NULL;
    *n_vfsp = 0;
    if (msg) {
        *errp = msg;
        free(vfs);
        return EINVAL;
    }
    for (int i = 0; i < num_vfs && i < 65536; i++) {
        char leaf[32];
        char *pci = NULL;
        int error;

        snprintf(leaf, sizeof leaf, "virtfn%d", i);
        error = sysfs_pci_link_name(root, dev, leaf, &pci, errp);
        if (error) {
            break;
        }
        if (!pci) {
            continue;
        }
        msg = validate_pci_addr("VF", pci);
        if (msg) {
            free(msg);
            free(pci);
            continue;
        }
        struct hw_vf *vf = &vfs[n++];
        char *content = NULL, *ignore = NULL;

        vf->vfnum = i;
        vf->pci = pci;
        sysfs_pci_link_name(root, pci, "driver", &vf->driver, &ignore);
        free(ignore);
        ignore = NULL;
        char *path;
        if (!sysfs_path(&path, root, "bus", "pci", "devices", pci,
                        "driver_override", NULL)) {
            if (!sysfs_read_file(path, &content, &ignore)) {
                char *word = NULL;
                char *bad = sysfs_parse_word(content, &word);
                if (!bad && word && strcmp(word, "(null)")) {
                    vf->driver_override = word;
                } else {
                    free(word);
                }
                free(bad);
            }
            free(path);
        }
        free(ignore);
        free(content);
    }
    *vfsp = vfs;
    *n_vfsp = n;
    return 0;
}

/* Binds VF 'vf' of PCI PF 'pf' to 'driver'.  While the PF's
 * sriov_drivers_autoprobe is 0 the PCI core probes a VF only for the driver
 * named in its driver_override (pci_device_can_probe()), so: write
 * driver_override, ask the bus to probe the VF (drivers_probe), clear
 * driver_override again.  A VF bound to 'driver' already is success; one
 * bound to another driver is EBUSY. */
int
sysfs_bind_vf(const char *root, const char *pf, const char *vf,
              const char *driver, char **errp)
{
    char *msg = validate_pci_addr("PF", pf);
    char *physfn = NULL, *current = NULL;
    char *override = NULL, *probe = NULL;
    char *write_err = NULL;
    int error;

    if (!msg) {
        msg = validate_pci_addr("VF", vf);
    }
    if (!msg) {
        msg = sysfs_check_driver("driver", driver);
    }
    if (msg) {
        *errp = msg;
        return EINVAL;
    }
    error = sysfs_pci_link_name(root, vf, "physfn", &physfn, errp);
    if (!error && (!physfn || strcmp(physfn, pf))) {
        *errp = xasprintf("%s is not a VF of %s", vf, pf);
        error = EINVAL;
    }
    if (!error) {
        error = sysfs_pci_link_name(root, vf, "driver", &current, errp);
    }
    if (!error && current) {
        if (strcmp(current, driver)) {
            *errp = xasprintf("VF %s of %s is bound to %s, not %s", vf, pf,
                              current, driver);
            error = EBUSY;
        }
        goto out;
    }
    if (!error) {
        sysfs_path(&override, root, "bus", "pci", "devices", vf,
                   "driver_override", NULL);
        sysfs_path(&probe, root, "bus", "pci", "drivers_probe", NULL);
        error = sysfs_write_file(override, driver, errp);
    }
    if (!error) {
        error = sysfs_write_file(probe, vf, &write_err);
        if (error) {
            *errp = xasprintf("VF %s of %s: binding to %s failed (%s)", vf,
                              pf, driver, ovs_strerror(error));
            free(write_err);
            write_err = NULL;
        }
        /* Leave no override behind, bound or not. */
        sysfs_write_file(override, "\n", &write_err);
        free(write_err);
    }
    if (!error) {
        error = sysfs_pci_link_name(root, vf, "driver", &current, errp);
        if (!error && (!current || strcmp(current, driver))) {
            *errp = xasprintf("VF %s of %s: still not bound to %s after "
                              "drivers_probe", vf, pf, driver);
            error = EIO;
        }
    }

out:
    free(physfn);
    free(current);
    free(override);
    free(probe);
    return error;
}

/* Model (issue 10): whether udev has finished with a link.
 *
 *   - Where udev runs ('udev_root'/control exists), a link counts once
 *     udev's database has it ('udev_root'/data/n<ifindex>): udev has run
 *     its rules, including a rename.
 *
 *   - Where udev does not run, a link counts at once unless the kernel
 *     named it by enumeration ("eth<N>": sysfs name_assign_type is
 *     NET_NAME_ENUM, 1, or cannot be read), in which case it counts once
 *     a short settle deadline passed (the caller's part).
 */
enum sysfs_settle
sysfs_link_settle(const char *sysfs_root, const char *udev_root,
                  const char *ifname, int ifindex)
{
    enum sysfs_settle settle = SYSFS_SETTLED;
    char *path = NULL;
    char *msg;

    msg = sysfs_path(&path, udev_root, "control", NULL);
    if (!msg && !access(path, F_OK)) {
        char db[32];

        free(path);
        snprintf(db, sizeof db, "n%d", ifindex);
        msg = sysfs_path(&path, udev_root, "data", db, NULL);
        settle = (!msg && !access(path, F_OK)
                  ? SYSFS_SETTLED : SYSFS_WAIT_UDEV);
    } else {
        char *error = NULL;
        int type = -1;

        free(path);
        path = NULL;
        free(msg);
        msg = validate_ifname("interface", ifname);
        if (!msg) {
            msg = sysfs_path(&path, sysfs_root, "class", "net", ifname,
                             "name_assign_type", NULL);
        }
        if (!msg && sysfs_read_int(path, &type, &error)) {
            type = -1;
        }
        free(error);
        settle = (type >= 0 && type != SYSFS_NET_NAME_ENUM
                  ? SYSFS_SETTLED : SYSFS_WAIT_ENUM);
    }
    free(msg);
    free(path);
    return settle;
}

/* Issue 13 (vdpa): the vhost_vdpa character device of vDPA device 'name',
 * from the entry "vhost-vdpa-N" of ROOT/bus/vdpa/devices/NAME: '*pathp' is
 * "/dev/vhost-vdpa-N", or NULL if vhost_vdpa is not bound to it (or the
 * device has gone). */
int
sysfs_get_vdpa_vhost(const char *root, const char *name, char **pathp,
                     char **errp)
{
    char *path, *msg;
    size_t n;
    int *nums;
    int error;

    *pathp = NULL;
    msg = sysfs_path(&path, root, "bus", "vdpa", "devices", name, NULL);
    if (msg) {
        *errp = xasprintf("vdpa device %s: %s", name, msg);
        free(msg);
        return EINVAL;
    }
    error = sysfs_list_numbered(path, "vhost-vdpa-", &nums, &n);
    free(path);
    if (error == ENOENT || error == ENOTDIR) {
        return 0;
    } else if (error) {
        *errp = xasprintf("vdpa device %s: cannot list its sysfs directory "
                          "(%s)", name, ovs_strerror(error));
        return error;
    }
    if (n) {
        *pathp = xasprintf("/dev/vhost-vdpa-%d", nums[0]);
    }
    free(nums);
    return 0;
}
