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
#include <string.h>
#include <unistd.h>

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
        ds_put_format(&path, "/%s", c);
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
