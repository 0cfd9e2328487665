/*
 * sysfs-vf: VF driver binding through sysfs.  See sysfs-vf.h.
 */
#include <config.h>

#include "sysfs-vf.h"

#include <errno.h>
#include <limits.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sysfs.h"
#include "util.h"
#include "validate.h"

/* The last component of the link ROOT/bus/pci/devices/DEV/LEAF, NULL if
 * there is none.  Returns 0 or a positive errno. */
static int
vf_link_name(const char *root, const char *dev, const char *leaf,
             char **namep, char **errp)
{
    char buf[PATH_MAX];
    char *path, *msg;
    ssize_t n;

    *namep = NULL;
    msg = sysfs_path(&path, root, "bus", "pci", "devices", dev, leaf, NULL);
    if (msg) {
        *errp = msg;
        return EINVAL;
    }
    n = readlink(path, buf, sizeof buf - 1);
    if (n < 0) {
        int error = errno;
        free(path);
        if (error == ENOENT || error == ENOTDIR) {
            return 0;
        }
        *errp = xasprintf("%s/%s: cannot read link (%s)", dev, leaf,
                          ovs_strerror(error));
        return error;
    }
    buf[n] = '\0';
    free(path);
    msg = sysfs_check_component(sysfs_basename(buf));
    if (msg) {
        *errp = xasprintf("%s/%s: %s", dev, leaf, msg);
        free(msg);
        return EINVAL;
    }
    *namep = xstrdup(sysfs_basename(buf));
    return 0;
}

/* Makes VF 'vf' (a PCI address) of PCI PF 'pf' bound to 'driver', or to no
 * driver if 'driver' is NULL: unbinds it from the driver it has, then (with
 * a driver) writes driver_override and asks the PCI bus to probe it
 * (drivers_probe).  Never new_id: that would bind every device with the
 * VF's vendor and device ID.  The override stays for vfio-pci (so that
 * nothing binds the VF back behind the VM's back) and is cleared for any
 * other driver.  A driver that is not loaded is ENOENT, with a message
 * that says to load it.  Bound as wanted already: 0, nothing written. */
int
sysfs_set_vf_driver(const char *root, const char *pf, const char *vf,
                    const char *driver, char **errp)
{
    char *physfn = NULL, *current = NULL;
    char *path = NULL;
    char *msg = validate_pci_addr("PF", pf);
    int error = 0;

    if (!msg) {
        msg = validate_pci_addr("VF", vf);
    }
    if (!msg && driver) {
        msg = sysfs_check_component(driver);
    }
    if (msg) {
        *errp = msg;
        return EINVAL;
    }
    error = vf_link_name(root, vf, "physfn", &physfn, errp);
    if (!error && (!physfn || strcmp(physfn, pf))) {
        *errp = xasprintf("%s is not a VF of %s", vf, pf);
        error = EINVAL;
    }
    if (!error) {
        error = vf_link_name(root, vf, "driver", &current, errp);
    }
    if (error) {
        goto out;
    }
    if (driver ? current && !strcmp(current, driver) : !current) {
        goto out;
    }

    /* The driver must be there before the VF leaves its current one. */
    if (driver) {
        struct stat st;

        sysfs_path(&path, root, "bus", "pci", "drivers", driver, NULL);
        if (stat(path, &st)) {
            *errp = xasprintf("VF %s of %s: driver %s is not loaded (no "
                              "/sys/bus/pci/drivers/%s): modprobe %s", vf, pf,
                              driver, driver, driver);
            error = ENOENT;
            goto out;
        }
        free(path);
        path = NULL;
    }
    if (current) {
        sysfs_path(&path, root, "bus", "pci", "devices", vf, "driver",
                   "unbind", NULL);
        error = sysfs_write_file(path, vf, errp);
        free(path);
        path = NULL;
        if (error) {
            goto out;
        }
    }
    sysfs_path(&path, root, "bus", "pci", "devices", vf, "driver_override",
               NULL);
    error = sysfs_write_file(path, driver ? driver : "\n", errp);
    if (!error && driver) {
        char *probe, *ignore = NULL;

        sysfs_path(&probe, root, "bus", "pci", "drivers_probe", NULL);
        error = sysfs_write_file(probe, vf, errp);
        free(probe);
        if (strcmp(driver, "vfio-pci")) {
            sysfs_write_file(path, "\n", &ignore);
            free(ignore);
        }
    }
    if (!error) {
        free(current);
        error = vf_link_name(root, vf, "driver", &current, errp);
        if (!error && (driver ? !current || strcmp(current, driver)
                       : current != NULL)) {
            *errp = xasprintf("VF %s of %s: bound to %s, not %s, after "
                              "drivers_probe", vf, pf,
                              current ? current : "no driver",
                              driver ? driver : "none");
            error = EIO;
        }
    }

out:
    free(path);
    free(physfn);
    free(current);
    return error;
}
