/*
 * hw-fake: an in-memory model of an mlx5-like NIC, for tests.
 *
 * The model behaves the way the controller must cope with on real
 * hardware, so that host tests exercise the same sequencing as the lab:
 *   - sriov_numvfs cannot change from one non-zero value to another (EBUSY);
 *   - the eswitch mode cannot change while VFs exist ("bad resource state");
 *   - switching to switchdev drops each uplink's combined channels to 1;
 *   - in switchdev mode each VF has a representor link (phys_port_name
 *     "pfXvfY", the device's phys_switch_id), which disappears with it;
 *   - the mlx5 LAG state is whatever the test last set;
 *   - an eswitch mode change re-creates the uplink netdev, with
 *     hw-tc-offload off (the daemon must turn it on again, as NVIDIA's
 *     procedure does after every switchdev transition);
 *   - each VF is a PCI function ("vf" lines) that binds to the PF's driver
 *     when it is created, unless sriov_drivers_autoprobe is 0 (the
 *     netdevsim model has no autoprobe file and no VF functions);
 *   - enslaving a link to a bond gives it the bond's MTU (bond_enslave);
 *   - creating a link that exists is EEXIST;
 *   - "hw-fake/delay OP MS" makes operation OP take MS milliseconds (it
 *     runs in the daemon's worker thread, which is the point).
 *
 * It is configured from a file ("--hw=fake:FILE") of lines:
 *
 *   device BUS/NAME [driver=D] [fw=V] [totalvfs=N] [numvfs=N]
 *                   [mode=legacy|switchdev] [model=mlx5|netdevsim]
 *                   [lag=STATE|none] [pfnum=N] [switch_id=HEX]
 *                   [autoprobe=0|1|none] [noreps=VF,...] [kernel-names]
 *   link NAME [device=BUS/NAME] [port=PHYS_PORT_NAME] [mtu=N] [vf=N]
 *             [controller=N] [channels=CUR/MAX] [kind=KIND] [master=NAME]
 *             [up] [hw-tc-offload] [bond-mode=MODE] [unsettled]
 *   vf BUS/NAME N [driver=DRIVER|none]
 *   vfcfg BUS/NAME N [mac=MAC] [vlan=N] [qos=N] [proto=802.1Q|802.1ad]
 *                    [spoofchk=0|1] [trust=0|1] [state=0|1|2]
 *   vdpa NAME mgmtdev=MGMTDEV [mac=MAC] [max_vqp=N]
 *   fail OP [ERRNO [MESSAGE]]
 *
 * Issue 13 (vdpa): "vdpa" lines are vDPA devices (created by the daemon,
 * or by hand: hw-fake/add-vdpa; hw-fake/del-vdpa deletes one).  The
 * management devices are "vdpasim_net" and "pci/ADDRESS" of every VF
 * function of the model; each device gets /dev/vhost-vdpa-N (N the
 * lowest free number), as vhost_vdpa gives it.  "fail vdpa-add", "fail
 * vdpa-del" make the kernel refuse; "fail vdpa-dump" makes the vdpa dump
 * fail (the snapshot is incomplete).
 *
 * "noreps" lists VFs whose devlink port exists without a netdev (a
 * representor that is absent for a while: being renamed, re-registered).
 * A link with "controller" > 0 is the representor of an external
 * controller's VF (BlueField's host, "c1pf0vfN"): the device's VF count
 * does not make it come or go.  "fail" is what hw-fake/fail does.
 * With "kernel-names", new representors come as mlx5's do: named
 * "eth<N>" by the kernel and unsettled, until udev (hw-fake/rename)
 * renames them.  "unsettled" is a link udev has not finished with
 * (hw-fake/settle finishes it; hw-fake/rename renames it, as udev would,
 * and fails with EBUSY, as the kernel does, if the link is up).
 *
 * and changed at run time through unixctl commands (hw-fake/...).
 *
 * Like real hardware, the model outlives the daemon: every change is
 * written back to FILE (and each operation appended to FILE.ops), so that a
 * daemon killed and restarted finds the NIC as its predecessor left it.
 */
#include <config.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "hw.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/thread.h"
#include "openvswitch/poll-loop.h"
#include "openvswitch/vlog.h"
#include "sset.h"
#include "unixctl.h"
#include "util.h"
#include "validate.h"

VLOG_DEFINE_THIS_MODULE(hw_fake);

struct fake_dev {
    char *bus, *name;
    char *driver, *fw;
    char *mode;                 /* "legacy" or "switchdev". */
    int total_vfs, num_vfs;
    char *lag;                  /* NULL: no LAG state file. */
    int pfnum;
    char *switch_id;
    bool kernel_names;          /* New representors are "eth<N>". */
    struct sset noreps;         /* VF numbers (strings) whose representor
                                 * netdev is absent. */
    bool nsim;                  /* Behaves like netdevsim in Linux 6.1: the
                                 * eswitch mode may change while VFs exist,
                                 * and removing all VFs puts the eswitch
                                 * back in legacy mode. */
    int autoprobe;              /* sriov_drivers_autoprobe, -1: none. */
    bool old_kernel;            /* mlx5 on older kernels: devlink eswitch
                                 * get/set is EOPNOTSUPP while there are no
                                 * VFs ("kernel=old"). */
    char **vf_drivers;          /* Per VF (num_vfs of them): bound driver
                                 * or NULL.  NULL array for netdevsim. */
    struct hw_vf_config *vfcfg; /* Issue 13: per VF (num_vfs of them), the
                                 * settings the PF reports. */
};

struct fake_link {
    char *name;
    char *kind;
    struct fake_dev *dev;       /* Parent device or NULL. */
    char *port;                 /* phys_port_name or NULL. */
    char *master;
    unsigned int mtu;
    bool up;
    bool hw_tc_offload;
    bool has_channels;
    unsigned int channels, max_channels;
    int vf;                     /* VF number if a representor, else -1. */
    char *bond_mode;            /* Bonds: the mode, or NULL. */
    unsigned int controller;    /* > 0: an external controller's VF. */
    bool unsettled;             /* udev has not finished with it. */
};

/* Issue 13 (vdpa): a vDPA device. */
struct fake_vdpa {
    char *mgmtdev;
    char mac[18];               /* "" for the device's default. */
    unsigned int max_vqp;       /* 0: the default (1). */
    int vhost;                  /* N of /dev/vhost-vdpa-N. */
};

struct hw_fake {
    struct hw up;
    char *file;                 /* Where the model is saved, or NULL. */
    struct shash devs;          /* "bus/name" -> struct fake_dev. */
    struct shash links;         /* Name -> struct fake_link. */
    bool changed;
    int next_eth;               /* N of the next kernel name "eth<N>". */
    struct shash failures;      /* Operation name -> "ERRNO message". */
    struct ds ops;              /* Log of operations, for tests. */
    struct shash delays;        /* Operation name -> "MS". */
    struct shash vdpas;         /* Issue 13: name -> struct fake_vdpa. */
};

static struct hw_fake *the_fake;   /* For the unixctl commands. */

/* The model is changed by operations in the daemon's worker thread and by
 * the tests' unixctl commands in the main thread: every entry point takes
 * this lock. */
static struct ovs_mutex fake_mutex = OVS_MUTEX_INITIALIZER;

/* "hw-fake/delay OP MS": sleeps outside the lock, so that the main thread
 * can go on; only ever in the worker thread of the daemon (or in a test
 * program). */
static void
fake_delay(struct hw_fake *f, const char *op)
{
    const char *ms;
    int n = 0;

    ovs_mutex_lock(&fake_mutex);
    ms = shash_find_data(&f->delays, op);
    n = ms ? atoi(ms) : 0;
    ovs_mutex_unlock(&fake_mutex);
    if (n > 0) {
        xnanosleep((uint64_t) n * 1000 * 1000);
    }
}

/* VF functions of 'd': their number follows num_vfs; new ones bind to the
 * PF's driver unless autoprobe is off. */
/* Issue 13: VF settings follow num_vfs; new VFs start with the kernel's
 * defaults (zero MAC, no VLAN, spoof checking and trust off, link state
 * auto, as netdevsim and mlx5 have them). */
static void
fake_sync_vfcfg(struct fake_dev *d, int old_n)
{
    d->vfcfg = xrealloc(d->vfcfg, MAX(d->num_vfs, 1) * sizeof *d->vfcfg);
    for (int i = old_n; i < d->num_vfs; i++) {
        hw_vf_config_init(&d->vfcfg[i], i);
        ovs_strlcpy(d->vfcfg[i].mac, "00:00:00:00:00:00",
                    sizeof d->vfcfg[i].mac);
        d->vfcfg[i].vlan_proto = 0x8100;
        d->vfcfg[i].spoofchk = 0;
        d->vfcfg[i].trust = 0;
        d->vfcfg[i].link_state = 0;
    }
}

static void
fake_sync_vfs(struct fake_dev *d, int old_n)
{
    fake_sync_vfcfg(d, MIN(old_n, d->num_vfs));
    if (d->nsim) {
        return;
    }
    for (int i = d->num_vfs; i < old_n; i++) {
        free(d->vf_drivers[i]);
    }
    d->vf_drivers = xrealloc(d->vf_drivers,
                             MAX(d->num_vfs, 1) * sizeof *d->vf_drivers);
    for (int i = old_n; i < d->num_vfs; i++) {
        d->vf_drivers[i] = d->autoprobe ? xstrdup(d->driver) : NULL;
    }
}

/* The PCI address the fake gives VF 'vf' of 'd'. */
static char *
fake_vf_pci(const struct fake_dev *d, int vf)
{
    unsigned int dom, bus, slot, fn;

    if (sscanf(d->name, "%x:%x:%x.%x", &dom, &bus, &slot, &fn) != 4) {
        dom = bus = 0;
    }
    return xasprintf("%04x:%02x:%02x.%x", dom, (bus + 0x10 + d->pfnum) & 0xff,
                     vf / 8, vf % 8);
}

static struct hw_fake *
hw_fake_cast(const struct hw *hw)
{
    return CONTAINER_OF(hw, struct hw_fake, up);
}

static struct fake_link *
fake_add_link(struct hw_fake *f, const char *name)
{
    struct fake_link *l = shash_find_data(&f->links, name);

    if (!l) {
        l = xzalloc(sizeof *l);
        l->name = xstrdup(name);
        l->kind = xstrdup("");
        l->mtu = 1500;
        l->vf = -1;
        shash_add(&f->links, name, l);
    }
    f->changed = true;
    return l;
}

static void
fake_del_link(struct hw_fake *f, const char *name)
{
    /* 'name' may be the key of the node that shash_find_and_delete() frees
     * (hw_fake_close() passes node->name), so compare with l->name. */
    struct fake_link *l = shash_find_and_delete(&f->links, name);
    struct shash_node *node;

    if (l) {
        SHASH_FOR_EACH (node, &f->links) {
            struct fake_link *m = node->data;
            if (m->master && !strcmp(m->master, l->name)) {
                free(m->master);
                m->master = NULL;
            }
        }
        free(l->name);
        free(l->kind);
        free(l->port);
        free(l->master);
        free(l->bond_mode);
        free(l);
        f->changed = true;
    }
}

/* Returns the name the fake gives to the representor of VF 'vf' of 'dev':
 * the uplink's name plus "r<vf>" when that fits, like mlx5's udev names
 * (enp3s0f0np0 -> enp3s0f0r0 is close enough), else "rep<pfnum>_<vf>". */
static char *
fake_rep_name(const struct hw_fake *f, const struct fake_dev *dev, int vf)
{
    struct shash_node *node;

    SHASH_FOR_EACH (node, &f->links) {
        const struct fake_link *l = node->data;
        if (l->dev == dev && l->vf < 0 && l->port && l->port[0] == 'p'
            && strlen(l->name) + 1 + 3 <= VALIDATE_IFNAME_MAX) {
            return xasprintf("%sr%d", l->name, vf);
        }
    }
    return xasprintf("rep%d_%d", dev->pfnum, vf);
}

static bool
fake_dev_norep(const struct fake_dev *dev, int vf)
{
    char s[16];

    snprintf(s, sizeof s, "%d", vf);
    return sset_contains(&dev->noreps, s);
}

/* Makes the representors of 'dev' match its mode and VF count. */
static void
fake_sync_reps(struct hw_fake *f, struct fake_dev *dev)
{
    struct shash_node *node;
    bool want = !strcmp(dev->mode, "switchdev");

    SHASH_FOR_EACH_SAFE (node, &f->links) {
        struct fake_link *l = node->data;
        if (l->dev == dev && l->vf >= 0 && !l->controller
            && (!want || l->vf >= dev->num_vfs)) {
            fake_del_link(f, l->name);
        }
    }
    if (!want) {
        return;
    }
    for (int vf = 0; vf < dev->num_vfs; vf++) {
        bool found = false;

        SHASH_FOR_EACH (node, &f->links) {
            const struct fake_link *l = node->data;
            found = found || (l->dev == dev && l->vf == vf
                              && !l->controller);
        }
        if (!found && !fake_dev_norep(dev, vf)) {
            char *name = fake_rep_name(f, dev, vf);

            while (dev->kernel_names) {
                free(name);
                name = xasprintf("eth%d", f->next_eth++);
                if (!shash_find(&f->links, name)) {
                    break;
                }
            }
            struct fake_link *l = fake_add_link(f, name);

            l->unsettled = dev->kernel_names;
            l->dev = dev;
            l->vf = vf;
            l->port = xasprintf("pf%dvf%d", dev->pfnum, vf);
            l->has_channels = true;
            l->channels = l->max_channels = 1;
            l->hw_tc_offload = true;
            free(name);
        }
    }
}

/* Failure injection: returns the errno to fail operation 'op' with and
 * sets '*errp', or 0. */
static int
fake_check_failure(struct hw_fake *f, const char *op, const char *object,
                   char **errp)
{
    const char *spec = shash_find_data(&f->failures, op);
    int error;
    int n;

    if (!spec) {
        return 0;
    }
    if (sscanf(spec, "%d %n", &error, &n) != 1 || error <= 0) {
        error = EIO;
        n = 0;
    }
    *errp = xasprintf("%s: %s", object, spec[n] ? spec + n
                      : ovs_strerror(error));
    return error;
}

static void fake_save(struct hw_fake *);
static void
fake_log_op(struct hw_fake *f, const char *format, ...)
    OVS_PRINTF_FORMAT(2, 3);

static void
fake_log_op(struct hw_fake *f, const char *format, ...)
{
    va_list args;

    size_t start = f->ops.length;

    va_start(args, format);
    ds_put_format_valist(&f->ops, format, args);
    va_end(args);
    ds_put_char(&f->ops, '\n');
    if (f->file) {
        char *name = xasprintf("%s.ops", f->file);
        FILE *file = fopen(name, "a");
        if (file) {
            fputs(&f->ops.string[start], file);
            fclose(file);
        }
        free(name);
    }
    fake_save(f);
}

/* Writes the model back to its file, in the configuration format. */
static void
fake_save(struct hw_fake *f)
{
    struct ds s = DS_EMPTY_INITIALIZER;
    const struct shash_node **nodes;
    char *tmp;
    FILE *file;

    if (!f->file) {
        return;
    }
    /* Devices in pfnum order, so that a reload numbers them the same. */
    for (int pf = 0; pf < 256; pf++) {
        struct shash_node *node;
        SHASH_FOR_EACH (node, &f->devs) {
            const struct fake_dev *d = node->data;
            if (d->pfnum != pf) {
                continue;
            }
            ds_put_format(&s, "device %s/%s driver=%s fw=%s totalvfs=%d "
                          "numvfs=%d mode=%s lag=%s pfnum=%d switch_id=%s "
                          "model=%s",
                          d->bus, d->name, d->driver, d->fw, d->total_vfs,
                          d->num_vfs, d->mode, d->lag ? d->lag : "none",
                          d->pfnum, d->switch_id,
                          d->nsim ? "netdevsim" : "mlx5");
            if (d->autoprobe >= 0) {
                ds_put_format(&s, " autoprobe=%d", d->autoprobe);
            }
            if (d->old_kernel) {
                ds_put_cstr(&s, " kernel=old");
            }
            ds_put_char(&s, '\n');
            if (d->kernel_names) {
                ds_chomp(&s, '\n');
                ds_put_cstr(&s, " kernel-names\n");
            }
            if (!sset_is_empty(&d->noreps)) {
                const char *vf;
                size_t k = 0;

                ds_chomp(&s, '\n');
                ds_put_cstr(&s, " noreps=");
                SSET_FOR_EACH (vf, &d->noreps) {
                    ds_put_format(&s, "%s%s", k++ ? "," : "", vf);
                }
                ds_put_char(&s, '\n');
            }
            for (int vf = 0; d->vf_drivers && vf < d->num_vfs; vf++) {
                ds_put_format(&s, "vf %s/%s %d driver=%s\n", d->bus, d->name,
                              vf, (d->vf_drivers[vf] ? d->vf_drivers[vf]
                                   : "none"));
            }
            for (int vf = 0; vf < d->num_vfs; vf++) {
                const struct hw_vf_config *c = &d->vfcfg[vf];
                ds_put_format(&s, "vfcfg %s/%s %d mac=%s vlan=%d qos=%d "
                              "proto=%s spoofchk=%d trust=%d state=%d\n",
                              d->bus, d->name, vf, c->mac, c->vlan, c->qos,
                              c->vlan_proto == 0x88a8 ? "802.1ad" : "802.1Q",
                              c->spoofchk, c->trust, c->link_state);
            }
        }
    }
    nodes = shash_sort(&f->links);
    for (size_t i = 0; i < shash_count(&f->links); i++) {
        const struct fake_link *l = nodes[i]->data;

        ds_put_format(&s, "link %s mtu=%u", l->name, l->mtu);
        if (l->kind[0]) {
            ds_put_format(&s, " kind=%s", l->kind);
        }
        if (l->dev) {
            ds_put_format(&s, " device=%s/%s", l->dev->bus, l->dev->name);
        }
        if (l->port) {
            ds_put_format(&s, " port=%s", l->port);
        }
        if (l->vf >= 0) {
            ds_put_format(&s, " vf=%d", l->vf);
        }
        if (l->controller) {
            ds_put_format(&s, " controller=%u", l->controller);
        }
        if (l->has_channels) {
            ds_put_format(&s, " channels=%u/%u", l->channels,
                          l->max_channels);
        }
        if (l->up) {
            ds_put_cstr(&s, " up");
        }
        if (l->hw_tc_offload) {
            ds_put_cstr(&s, " hw-tc-offload");
        }
        if (l->bond_mode) {
            ds_put_format(&s, " bond-mode=%s", l->bond_mode);
        }
        if (l->unsettled) {
            ds_put_cstr(&s, " unsettled");
        }
        ds_put_char(&s, '\n');
    }
    /* Issue 13 (vdpa). */
    const struct shash_node **vn = shash_sort(&f->vdpas);
    for (size_t i = 0; i < shash_count(&f->vdpas); i++) {
        const struct fake_vdpa *v = vn[i]->data;

        ds_put_format(&s, "vdpa %s mgmtdev=%s", vn[i]->name, v->mgmtdev);
        if (v->mac[0]) {
            ds_put_format(&s, " mac=%s", v->mac);
        }
        if (v->max_vqp) {
            ds_put_format(&s, " max_vqp=%u", v->max_vqp);
        }
        ds_put_char(&s, '\n');
    }
    free(vn);
    /* Masters last: they must exist when the line is read back. */
    for (size_t i = 0; i < shash_count(&f->links); i++) {
        const struct fake_link *l = nodes[i]->data;
        if (l->master) {
            ds_put_format(&s, "link %s master=%s\n", l->name, l->master);
        }
    }
    free(nodes);

    tmp = xasprintf("%s.tmp", f->file);
    file = fopen(tmp, "w");
    if (file) {
        fputs(ds_cstr(&s), file);
        fclose(file);
        rename(tmp, f->file);
    }
    free(tmp);
    ds_destroy(&s);
}

/* Issue 13 (vdpa): is 'mgmtdev' a management device of the model? */
static bool
fake_vdpa_mgmtdev_exists(const struct hw_fake *f, const char *mgmtdev)
{
    struct shash_node *node;

    if (!strcmp(mgmtdev, "vdpasim_net")) {
        return true;
    }
    if (strncmp(mgmtdev, "pci/", 4)) {
        return false;
    }
    SHASH_FOR_EACH (node, &f->devs) {
        const struct fake_dev *d = node->data;

        for (int vf = 0; d->vf_drivers && vf < d->num_vfs; vf++) {
            char *pci = fake_vf_pci(d, vf);
            bool match = !strcmp(pci, mgmtdev + 4);

            free(pci);
            if (match) {
                return true;
            }
        }
    }
    return false;
}

/* Adds vDPA device 'name', as the kernel does (EEXIST, ENODEV for an
 * unknown management device). */
static int
fake_vdpa_add(struct hw_fake *f, const char *name, const char *mgmtdev,
              const char *mac, unsigned int max_vqp, char **errp)
{
    struct shash_node *node;
    struct fake_vdpa *v;
    int vhost = 0;

    if (shash_find(&f->vdpas, name)) {
        *errp = xasprintf("vdpa: dev add %s mgmtdev %s: File exists", name,
                          mgmtdev);
        return EEXIST;
    }
    if (!fake_vdpa_mgmtdev_exists(f, mgmtdev)) {
        *errp = xasprintf("vdpa: dev add %s mgmtdev %s: No such device",
                          name, mgmtdev);
        return ENODEV;
    }
    bool used = true;
    while (used) {
        used = false;
        SHASH_FOR_EACH (node, &f->vdpas) {
            const struct fake_vdpa *o = node->data;
            if (o->vhost == vhost) {
                used = true;
                vhost++;
            }
        }
    }
    v = xzalloc(sizeof *v);
    v->mgmtdev = xstrdup(mgmtdev);
    if (mac) {
        ovs_strlcpy(v->mac, mac, sizeof v->mac);
    }
    v->max_vqp = max_vqp;
    v->vhost = vhost;
    shash_add(&f->vdpas, name, v);
    return 0;
}

static void
fake_vdpa_free(struct fake_vdpa *v)
{
    if (v) {
        free(v->mgmtdev);
        free(v);
    }
}

/* Configuration file. */

static char *
fake_parse_kv(const char *tok, const char *key)
{
    size_t n = strlen(key);
    return (!strncmp(tok, key, n) && tok[n] == '=') ? (char *) tok + n + 1
                                                    : NULL;
}

static char *
fake_parse_line(struct hw_fake *f, char *line)
{
    char *save = NULL;
    char *what = strtok_r(line, " \t\n", &save);
    char *name;

    if (!what || what[0] == '#') {
        return NULL;
    }
    name = strtok_r(NULL, " \t\n", &save);
    if (!name) {
        return xasprintf("\"%s\" needs a name", what);
    }
    if (!strcmp(what, "device")) {
        struct fake_dev *d = xzalloc(sizeof *d);
        char *slash = strchr(name, '/');

        if (!slash) {
            free(d);
            return xasprintf("device \"%s\" is not BUS/NAME", name);
        }
        d->bus = xmemdup0(name, slash - name);
        d->name = xstrdup(slash + 1);
        d->mode = xstrdup("legacy");
        d->driver = xstrdup("mlx5_core");
        d->fw = xstrdup("16.35.4554");
        d->total_vfs = 8;
        d->lag = NULL;
        d->pfnum = shash_count(&f->devs);
        d->switch_id = xasprintf("%016x", 0x5a000000u + d->pfnum);
        d->autoprobe = 1;
        sset_init(&d->noreps);
        shash_add(&f->devs, name, d);
        for (char *t = strtok_r(NULL, " \t\n", &save); t;
             t = strtok_r(NULL, " \t\n", &save)) {
            char *v;
            if ((v = fake_parse_kv(t, "driver"))) {
                free(d->driver);
                d->driver = xstrdup(v);
            } else if ((v = fake_parse_kv(t, "fw"))) {
                free(d->fw);
                d->fw = xstrdup(v);
            } else if ((v = fake_parse_kv(t, "totalvfs"))) {
                d->total_vfs = atoi(v);
            } else if ((v = fake_parse_kv(t, "numvfs"))) {
                d->num_vfs = atoi(v);
            } else if ((v = fake_parse_kv(t, "mode"))) {
                free(d->mode);
                d->mode = xstrdup(v);
            } else if ((v = fake_parse_kv(t, "lag"))) {
                free(d->lag);
                d->lag = strcmp(v, "none") ? xstrdup(v) : NULL;
            } else if ((v = fake_parse_kv(t, "pfnum"))) {
                d->pfnum = atoi(v);
            } else if ((v = fake_parse_kv(t, "switch_id"))) {
                free(d->switch_id);
                d->switch_id = xstrdup(v);
            } else if ((v = fake_parse_kv(t, "model"))) {
                d->nsim = !strcmp(v, "netdevsim");
                if (d->nsim) {
                    d->autoprobe = -1;
                }
            } else if ((v = fake_parse_kv(t, "kernel"))) {
                d->old_kernel = !strcmp(v, "old");
            } else if ((v = fake_parse_kv(t, "autoprobe"))) {
                d->autoprobe = !strcmp(v, "none") ? -1 : atoi(v) != 0;
            } else if (!strcmp(t, "kernel-names")) {
                d->kernel_names = true;
            } else if ((v = fake_parse_kv(t, "noreps"))) {
                char *copy = xstrdup(v), *vsave = NULL;
                for (char *vf = strtok_r(copy, ",", &vsave); vf;
                     vf = strtok_r(NULL, ",", &vsave)) {
                    sset_add(&d->noreps, vf);
                }
                free(copy);
            } else {
                return xasprintf("device %s: unknown setting \"%s\"", name, t);
            }
        }
        fake_sync_vfs(d, 0);
        return NULL;
    } else if (!strcmp(what, "link")) {
        struct fake_link *l = fake_add_link(f, name);

        for (char *t = strtok_r(NULL, " \t\n", &save); t;
             t = strtok_r(NULL, " \t\n", &save)) {
            char *v;
            if ((v = fake_parse_kv(t, "device"))) {
                l->dev = shash_find_data(&f->devs, v);
                if (!l->dev) {
                    return xasprintf("link %s: unknown device %s", name, v);
                }
            } else if ((v = fake_parse_kv(t, "port"))) {
                free(l->port);
                l->port = xstrdup(v);
            } else if ((v = fake_parse_kv(t, "mtu"))) {
                l->mtu = atoi(v);
            } else if ((v = fake_parse_kv(t, "vf"))) {
                l->vf = atoi(v);
            } else if ((v = fake_parse_kv(t, "controller"))) {
                l->controller = atoi(v);
            } else if ((v = fake_parse_kv(t, "master"))) {
                free(l->master);
                l->master = xstrdup(v);
            } else if ((v = fake_parse_kv(t, "kind"))) {
                free(l->kind);
                l->kind = xstrdup(v);
            } else if ((v = fake_parse_kv(t, "channels"))) {
                if (sscanf(v, "%u/%u", &l->channels, &l->max_channels) != 2) {
                    return xasprintf("link %s: bad channels \"%s\"", name, v);
                }
                l->has_channels = true;
            } else if (!strcmp(t, "up")) {
                l->up = true;
            } else if (!strcmp(t, "hw-tc-offload")) {
                l->hw_tc_offload = true;
            } else if ((v = fake_parse_kv(t, "bond-mode"))) {
                free(l->bond_mode);
                l->bond_mode = xstrdup(v);
            } else if (!strcmp(t, "unsettled")) {
                l->unsettled = true;
            } else {
                return xasprintf("link %s: unknown setting \"%s\"", name, t);
            }
        }
        return NULL;
    } else if (!strcmp(what, "vf")) {
        struct fake_dev *d = shash_find_data(&f->devs, name);
        char *num = strtok_r(NULL, " \t\n", &save);
        int vf = num ? atoi(num) : -1;

        if (!d || !d->vf_drivers || vf < 0 || vf >= d->num_vfs) {
            return xasprintf("vf %s %s: no such VF", name, num ? num : "");
        }
        for (char *t = strtok_r(NULL, " \t\n", &save); t;
             t = strtok_r(NULL, " \t\n", &save)) {
            char *v = fake_parse_kv(t, "driver");
            if (!v) {
                return xasprintf("vf %s %d: unknown setting \"%s\"", name,
                                 vf, t);
            }
            free(d->vf_drivers[vf]);
            d->vf_drivers[vf] = strcmp(v, "none") ? xstrdup(v) : NULL;
        }
        f->changed = true;
        return NULL;
    }
    if (!strcmp(what, "vfcfg")) {
        struct fake_dev *d = shash_find_data(&f->devs, name);
        char *num = strtok_r(NULL, " \t\n", &save);
        int vf = num ? atoi(num) : -1;

        if (!d || vf < 0 || vf >= d->num_vfs) {
            return xasprintf("vfcfg %s %s: no such VF", name,
                             num ? num : "");
        }
        struct hw_vf_config *c = &d->vfcfg[vf];
        for (char *t = strtok_r(NULL, " \t\n", &save); t;
             t = strtok_r(NULL, " \t\n", &save)) {
            char *v;
            if ((v = fake_parse_kv(t, "mac"))) {
                ovs_strlcpy(c->mac, v, sizeof c->mac);
            } else if ((v = fake_parse_kv(t, "vlan"))) {
                c->vlan = atoi(v);
            } else if ((v = fake_parse_kv(t, "qos"))) {
                c->qos = atoi(v);
            } else if ((v = fake_parse_kv(t, "proto"))) {
                c->vlan_proto = !strcmp(v, "802.1ad") ? 0x88a8 : 0x8100;
            } else if ((v = fake_parse_kv(t, "spoofchk"))) {
                c->spoofchk = atoi(v);
            } else if ((v = fake_parse_kv(t, "trust"))) {
                c->trust = atoi(v);
            } else if ((v = fake_parse_kv(t, "state"))) {
                c->link_state = atoi(v);
            } else {
                return xasprintf("vfcfg %s %d: unknown setting \"%s\"",
                                 name, vf, t);
            }
        }
        f->changed = true;
        return NULL;
    }
    if (!strcmp(what, "vdpa")) {
        char *mgmtdev = NULL, *mac = NULL;
        unsigned int max_vqp = 0;

        for (char *t = strtok_r(NULL, " \t\n", &save); t;
             t = strtok_r(NULL, " \t\n", &save)) {
            char *v;
            if ((v = fake_parse_kv(t, "mgmtdev"))) {
                mgmtdev = v;
            } else if ((v = fake_parse_kv(t, "mac"))) {
                mac = v;
            } else if ((v = fake_parse_kv(t, "max_vqp"))) {
                max_vqp = atoi(v);
            } else {
                return xasprintf("vdpa %s: unknown setting \"%s\"", name, t);
            }
        }
        if (!mgmtdev) {
            return xasprintf("vdpa %s: mgmtdev=MGMTDEV is required", name);
        }
        char *error = NULL;
        if (fake_vdpa_add(f, name, mgmtdev, mac, max_vqp, &error)) {
            return error;
        }
        f->changed = true;
        return NULL;
    }
    if (!strcmp(what, "fail")) {
        char *rest = strtok_r(NULL, "\n", &save);

        free(shash_find_and_delete(&f->failures, name));
        shash_add(&f->failures, name, xstrdup(rest ? rest : ""));
        return NULL;
    }
    return xasprintf("unknown line type \"%s\"", what);
}

static void hw_fake_register_unixctl(void);

static int
hw_fake_open(const char *args, const struct hw_options *options OVS_UNUSED,
             struct hw **hwp, char **errp)
{
    struct hw_fake *f = xzalloc(sizeof *f);

    shash_init(&f->devs);
    shash_init(&f->links);
    shash_init(&f->failures);
    shash_init(&f->delays);
    shash_init(&f->vdpas);
    ds_init(&f->ops);
    f->changed = true;
    f->next_eth = 10;

    if (args && args[0]) {
        FILE *file = fopen(args, "r");
        char line[1024];
        int lineno = 0;

        if (!file) {
            *errp = xasprintf("--hw=fake:%s: cannot open (%s)", args,
                              ovs_strerror(errno));
            free(f);
            return errno;
        }
        while (fgets(line, sizeof line, file)) {
            char *error = fake_parse_line(f, line);
            lineno++;
            if (error) {
                *errp = xasprintf("--hw=fake:%s:%d: %s", args, lineno, error);
                free(error);
                fclose(file);
                return EINVAL;
            }
        }
        fclose(file);
    }
    struct shash_node *node;
    SHASH_FOR_EACH (node, &f->devs) {
        fake_sync_reps(f, node->data);
    }

    f->file = args && args[0] ? xstrdup(args) : NULL;
    the_fake = f;
    hw_fake_register_unixctl();
    *hwp = &f->up;
    return 0;
}

static void
hw_fake_close(struct hw *hw)
{
    struct hw_fake *f = hw_fake_cast(hw);
    struct shash_node *node;

    SHASH_FOR_EACH_SAFE (node, &f->links) {
        fake_del_link(f, node->name);
    }
    shash_destroy(&f->links);
    SHASH_FOR_EACH (node, &f->devs) {
        struct fake_dev *d = node->data;
        free(d->bus);
        free(d->name);
        free(d->driver);
        free(d->fw);
        free(d->mode);
        free(d->lag);
        free(d->switch_id);
        for (int i = 0; d->vf_drivers && i < d->num_vfs; i++) {
            free(d->vf_drivers[i]);
        }
        free(d->vf_drivers);
        free(d->vfcfg);
        sset_destroy(&d->noreps);
        free(d);
    }
    shash_destroy(&f->devs);
    shash_destroy_free_data(&f->failures);
    shash_destroy_free_data(&f->delays);
    SHASH_FOR_EACH (node, &f->vdpas) {
        fake_vdpa_free(node->data);
    }
    shash_destroy(&f->vdpas);
    ds_destroy(&f->ops);
    free(f->file);
    if (the_fake == f) {
        the_fake = NULL;
    }
    free(f);
}

static bool
hw_fake_run__(struct hw *hw)
{
    struct hw_fake *f = hw_fake_cast(hw);
    bool changed = f->changed;

    if (changed) {
        fake_save(f);
    }
    f->changed = false;
    return changed;
}

static void
hw_fake_wait__(struct hw *hw)
{
    if (hw_fake_cast(hw)->changed) {
        poll_immediate_wake();
    }
}

static int
hw_fake_observe__(struct hw *hw, struct hw_snapshot *snap,
                char **errp OVS_UNUSED)
{
    struct hw_fake *f = hw_fake_cast(hw);
    struct shash_node *node;
    int ifindex = 1;
    char *port_dump_error = NULL;

    /* "hw-fake/fail port-dump": the devlink port dump fails, as
     * hw-linux.c reports it: devices without ports, model incomplete. */
    if (fake_check_failure(f, "port-dump", "devlink: port dump",
                           &port_dump_error)) {
        hw_snapshot_set_incomplete(snap, "%s", port_dump_error);
        free(port_dump_error);
    }

    SHASH_FOR_EACH (node, &f->devs) {
        const struct fake_dev *d = node->data;
        struct hw_device *hd = hw_snapshot_add_device(snap, d->bus, d->name);
        struct shash_node *ln;

        hd->driver = xstrdup(d->driver);
        hd->fw_version = xstrdup(d->fw);
        hd->eswitch_mode = (d->old_kernel && !d->num_vfs ? NULL
                            : xstrdup(d->mode));
        hd->total_vfs = d->total_vfs;
        hd->num_vfs = d->num_vfs;
        hd->lag_state = nullable_xstrdup(d->lag);
        hd->ctrl.autoprobe = d->autoprobe;
        if (d->vf_drivers && d->num_vfs > 0) {
            hd->ctrl.vfs = xcalloc(d->num_vfs, sizeof *hd->ctrl.vfs);
            hd->ctrl.n_vfs = d->num_vfs;
            for (int vf = 0; vf < d->num_vfs; vf++) {
                hd->ctrl.vfs[vf].vfnum = vf;
                hd->ctrl.vfs[vf].pci = fake_vf_pci(d, vf);
                hd->ctrl.vfs[vf].driver = nullable_xstrdup(d->vf_drivers[vf]);
            }
        }
        SHASH_FOR_EACH (ln, &f->links) {
            const struct fake_link *l = ln->data;
            struct hw_port *p;

            if (l->dev != d || snap->incomplete) {
                continue;
            }
            hd->ports = xrealloc(hd->ports,
                                 (hd->n_ports + 1) * sizeof *hd->ports);
            p = &hd->ports[hd->n_ports];
            memset(p, 0, sizeof *p);
            p->index = (l->vf < 0 ? hd->n_ports
                        : 128 + 1024 * l->controller + l->vf);
            p->flavour = l->vf >= 0 ? HW_PORT_PCI_VF : HW_PORT_PHYSICAL;
            p->pfnum = d->pfnum;
            p->vfnum = l->vf;
            p->netdev = xstrdup(l->name);
            p->controller = l->controller;
            p->external = l->controller > 0;
            hd->n_ports++;
        }
        /* Devlink ports of VFs whose representor netdev is absent. */
        for (int vf = 0; !snap->incomplete && !strcmp(d->mode, "switchdev")
                         && vf < d->num_vfs; vf++) {
            if (fake_dev_norep(d, vf)) {
                struct hw_port *p;

                hd->ports = xrealloc(hd->ports,
                                     (hd->n_ports + 1) * sizeof *hd->ports);
                p = &hd->ports[hd->n_ports++];
                memset(p, 0, sizeof *p);
                p->index = 128 + vf;
                p->flavour = HW_PORT_PCI_VF;
                p->pfnum = d->pfnum;
                p->vfnum = vf;
            }
        }
    }

    /* Issue 13 (vdpa): "hw-fake/fail vdpa-dump": the vdpa dump fails, as
     * hw-linux.c reports it: no devices, model incomplete. */
    char *vdpa_dump_error = NULL;
    if (fake_check_failure(f, "vdpa-dump", "vdpa: device dump",
                           &vdpa_dump_error)) {
        hw_snapshot_set_incomplete(snap, "%s", vdpa_dump_error);
        free(vdpa_dump_error);
    } else {
        SHASH_FOR_EACH (node, &f->vdpas) {
            const struct fake_vdpa *fv = node->data;
            struct hw_vdpa *v = hw_snapshot_add_vdpa(snap, node->name);

            v->mgmtdev = xstrdup(fv->mgmtdev);
            ovs_strlcpy(v->mac, fv->mac[0] ? fv->mac : "00:00:00:00:00:00",
                        sizeof v->mac);
            v->max_vqp = fv->max_vqp ? fv->max_vqp : 1;
            v->vhost = xasprintf("/dev/vhost-vdpa-%d", fv->vhost);
        }
    }

    SHASH_FOR_EACH (node, &f->links) {
        const struct fake_link *l = node->data;
        struct hw_link *hl = hw_snapshot_add_link(snap, l->name);

        hl->ifindex = ifindex++;
        free(hl->kind);
        hl->kind = xstrdup(l->kind);
        hl->master = nullable_xstrdup(l->master);
        hl->mtu = l->mtu;
        hl->admin_up = l->up;
        hl->oper_up = l->up;
        hl->phys_port_name = nullable_xstrdup(l->port);
        hl->hw_tc_offload = l->hw_tc_offload;
        hl->settled = !l->unsettled;
        hl->has_channels = l->has_channels;
        hl->channels.combined = l->channels;
        hl->channels.max_combined = l->max_channels;
        hl->ctrl.bond_mode = nullable_xstrdup(l->bond_mode);
        if (l->dev) {
            hl->phys_switch_id = xstrdup(l->dev->switch_id);
            hl->bus = xstrdup(l->dev->bus);
            hl->dev = xstrdup(l->dev->name);
            hl->driver = xstrdup(l->dev->driver);
        }
        /* Issue 13: a PF with VFs reports their settings. */
        if (l->dev && l->vf < 0 && l->dev->num_vfs > 0) {
            hl->vfs.valid = true;
            hl->vfs.n = l->dev->num_vfs;
            hl->vfs.configs = xmemdup(l->dev->vfcfg, hl->vfs.n
                                      * sizeof *hl->vfs.configs);
        }
    }
    return 0;
}

static struct fake_dev *
fake_find_dev(struct hw_fake *f, const char *bus, const char *dev,
              char **errp)
{
    char *key = xasprintf("%s/%s", bus, dev);
    struct fake_dev *d = shash_find_data(&f->devs, key);

    if (!d) {
        *errp = xasprintf("%s: no such devlink device", key);
    }
    free(key);
    return d;
}

static struct fake_link *
fake_find_link(struct hw_fake *f, const char *name, char **errp)
{
    struct fake_link *l = shash_find_data(&f->links, name);

    if (!l) {
        *errp = xasprintf("%s: no such network device", name);
    }
    return l;
}

static int
hw_fake_set_eswitch_mode__(struct hw *hw, const char *bus, const char *dev,
                         const char *mode, char **errp)
{
    struct hw_fake *f = hw_fake_cast(hw);
    struct fake_dev *d = fake_find_dev(f, bus, dev, errp);
    struct shash_node *node;
    int error;

    if (!d) {
        return ENODEV;
    }
    if (d->old_kernel && !d->num_vfs) {
        *errp = xasprintf("%s/%s: eswitch: Operation not supported", bus,
                          dev);
        return EOPNOTSUPP;
    }
    if (!strcmp(d->mode, mode)) {
        return 0;
    }
    error = fake_check_failure(f, "eswitch", dev, errp);
    if (error) {
        return error;
    }
    if (d->num_vfs && !d->nsim) {
        *errp = xasprintf("%s/%s: cannot change the eswitch mode while %d "
                          "VFs exist (bad resource state)", bus, dev,
                          d->num_vfs);
        return EBUSY;
    }
    free(d->mode);
    d->mode = xstrdup(mode);
    SHASH_FOR_EACH (node, &f->links) {
        struct fake_link *l = node->data;
        if (l->dev == d && l->vf < 0 && !d->nsim) {
            l->hw_tc_offload = false;
        }
    }
    if (!strcmp(mode, "switchdev") && !d->nsim) {
        /* What mlx5 does to its uplinks' channels. */
        SHASH_FOR_EACH (node, &f->links) {
            struct fake_link *l = node->data;
            if (l->dev == d && l->vf < 0 && l->has_channels) {
                l->channels = 1;
            }
        }
    }
    fake_sync_reps(f, d);
    fake_log_op(f, "eswitch %s/%s %s", bus, dev, mode);
    f->changed = true;
    return 0;
}

static int
hw_fake_set_num_vfs__(struct hw *hw, const char *bus, const char *dev, int n,
                    char **errp)
{
    struct hw_fake *f = hw_fake_cast(hw);
    struct fake_dev *d = fake_find_dev(f, bus, dev, errp);
    int error;

    if (!d) {
        return ENODEV;
    }
    if (d->num_vfs == n) {
        return 0;
    }
    error = fake_check_failure(f, "numvfs", dev, errp);
    if (error) {
        return error;
    }
    if (d->num_vfs && n) {
        *errp = xasprintf("%s/%s: sriov_numvfs: cannot change from %d to %d "
                          "(write 0 first)", bus, dev, d->num_vfs, n);
        return EBUSY;
    }
    if (n > d->total_vfs) {
        *errp = xasprintf("%s/%s: sriov_numvfs: %d exceeds sriov_totalvfs %d",
                          bus, dev, n, d->total_vfs);
        return ERANGE;
    }
    int old_n = d->num_vfs;
    d->num_vfs = n;
    fake_sync_vfs(d, old_n);
    if (!n && d->nsim) {
        free(d->mode);
        d->mode = xstrdup("legacy");
    }
    fake_sync_reps(f, d);
    /* Issue 13 (vdpa): a VF that goes takes its vDPA devices with it. */
    struct shash_node *vn;
    SHASH_FOR_EACH_SAFE (vn, &f->vdpas) {
        struct fake_vdpa *v = vn->data;
        if (!fake_vdpa_mgmtdev_exists(f, v->mgmtdev)) {
            fake_vdpa_free(v);
            shash_delete(&f->vdpas, vn);
        }
    }
    fake_log_op(f, "numvfs %s/%s %d", bus, dev, n);
    f->changed = true;
    return 0;
}

static int
hw_fake_get_channels__(struct hw *hw, const char *ifname,
                     struct hw_channels *ch, char **errp)
{
    struct fake_link *l = fake_find_link(hw_fake_cast(hw), ifname, errp);

    if (!l) {
        return ENODEV;
    }
    if (!l->has_channels) {
        *errp = xasprintf("%s: channels not supported", ifname);
        return EOPNOTSUPP;
    }
    ch->combined = l->channels;
    ch->max_combined = l->max_channels;
    return 0;
}

static int
hw_fake_set_channels__(struct hw *hw, const char *ifname, unsigned int n,
                     char **errp)
{
    struct hw_fake *f = hw_fake_cast(hw);
    struct fake_link *l = fake_find_link(f, ifname, errp);

    if (!l) {
        return ENODEV;
    }
    if (!l->has_channels) {
        *errp = xasprintf("%s: channels not supported", ifname);
        return EOPNOTSUPP;
    }
    if (l->channels == n) {
        return 0;
    }
    if (n > l->max_channels || !n) {
        *errp = xasprintf("%s: requested channel count %u exceeds maximum "
                          "%u", ifname, n, l->max_channels);
        return EINVAL;
    }
    l->channels = n;
    fake_log_op(f, "channels %s %u", ifname, n);
    f->changed = true;
    return 0;
}

static int
hw_fake_set_mtu__(struct hw *hw, const char *ifname, unsigned int mtu,
                char **errp)
{
    struct hw_fake *f = hw_fake_cast(hw);
    struct fake_link *l = fake_find_link(f, ifname, errp);
    struct shash_node *node;
    int error;

    if (!l) {
        return ENODEV;
    }
    if (l->mtu == mtu) {
        return 0;
    }
    error = fake_check_failure(f, "mtu", ifname, errp);
    if (error) {
        return error;
    }
    l->mtu = mtu;
    if (!strcmp(l->kind, "bond")) {
        /* A bond passes its MTU on to its members, as Linux does. */
        SHASH_FOR_EACH (node, &f->links) {
            struct fake_link *m = node->data;
            if (m->master && !strcmp(m->master, ifname)) {
                m->mtu = mtu;
            }
        }
    }
    fake_log_op(f, "mtu %s %u", ifname, mtu);
    f->changed = true;
    return 0;
}

static int
hw_fake_set_up__(struct hw *hw, const char *ifname, bool up, char **errp)
{
    struct hw_fake *f = hw_fake_cast(hw);
    struct fake_link *l = fake_find_link(f, ifname, errp);

    if (!l) {
        return ENODEV;
    }
    if (l->up != up) {
        l->up = up;
        fake_log_op(f, "%s %s", up ? "up" : "down", ifname);
        f->changed = true;
    }
    return 0;
}

static int
hw_fake_create_bond__(struct hw *hw, const char *name, const char *mode,
                    unsigned int miimon, char **errp)
{
    struct hw_fake *f = hw_fake_cast(hw);
    struct fake_link *l = shash_find_data(&f->links, name);
    int error;

    if (l) {
        *errp = xasprintf("%s: create bond: File exists", name);
        return EEXIST;
    }
    error = fake_check_failure(f, "bond", name, errp);
    if (error) {
        return error;
    }
    l = fake_add_link(f, name);
    free(l->kind);
    l->kind = xstrdup("bond");
    l->bond_mode = xstrdup(mode);
    fake_log_op(f, "bond %s mode=%s miimon=%u", name, mode, miimon);
    return 0;
}

static int
hw_fake_set_master__(struct hw *hw, const char *ifname, const char *master,
                   char **errp)
{
    struct hw_fake *f = hw_fake_cast(hw);
    struct fake_link *l = fake_find_link(f, ifname, errp);
    struct fake_link *m;
    int error;

    if (!l) {
        return ENODEV;
    }
    m = master ? shash_find_data(&f->links, master) : NULL;
    if (master && !m) {
        *errp = xasprintf("%s: no such master %s", ifname, master);
        return ENODEV;
    }
    if ((!master && !l->master)
        || (master && l->master && !strcmp(master, l->master))) {
        return 0;
    }
    error = fake_check_failure(f, "master", ifname, errp);
    if (error) {
        return error;
    }
    if (m && !strcmp(m->kind, "bond")) {
        /* bond_enslave() gives the new slave the bond's MTU. */
        l->mtu = m->mtu;
    }
    free(l->master);
    l->master = nullable_xstrdup(master);
    fake_log_op(f, "master %s %s", ifname, master ? master : "-");
    f->changed = true;
    return 0;
}

static int
hw_fake_delete_link__(struct hw *hw, const char *ifname,
                      char **errp OVS_UNUSED)
{
    struct hw_fake *f = hw_fake_cast(hw);

    if (shash_find(&f->links, ifname)) {
        fake_del_link(f, ifname);
        fake_log_op(f, "delete %s", ifname);
    }
    return 0;
}

static int
hw_fake_release_dp_port__(struct hw *hw, const char *datapath,
                          const char *ifname, char **errp)
{
    struct hw_fake *f = hw_fake_cast(hw);
    struct fake_link *l = fake_find_link(f, ifname, errp);

    if (!l) {
        return ENODEV;
    }
    if (l->master && !strcmp(l->master, datapath)) {
        free(l->master);
        l->master = NULL;
        fake_log_op(f, "release-dp-port %s %s", datapath, ifname);
        f->changed = true;
    }
    return 0;
}

/* Issue 11 (ctrl) operations. */

static int
hw_fake_set_feature__(struct hw *hw, const char *ifname, const char *feature,
                      bool on, char **errp)
{
    struct hw_fake *f = hw_fake_cast(hw);
    struct fake_link *l = fake_find_link(f, ifname, errp);
    int error;

    if (!l) {
        return ENODEV;
    }
    if (strcmp(feature, "hw-tc-offload") || !l->dev) {
        *errp = xasprintf("%s: feature %s cannot be changed", ifname,
                          feature);
        return EOPNOTSUPP;
    }
    if (l->hw_tc_offload == on) {
        return 0;
    }
    error = fake_check_failure(f, "feature", ifname, errp);
    if (error) {
        return error;
    }
    l->hw_tc_offload = on;
    fake_log_op(f, "feature %s %s %s", ifname, feature, on ? "on" : "off");
    f->changed = true;
    return 0;
}

static int
hw_fake_set_autoprobe__(struct hw *hw, const char *bus, const char *dev,
                        bool on, char **errp)
{
    struct hw_fake *f = hw_fake_cast(hw);
    struct fake_dev *d = fake_find_dev(f, bus, dev, errp);

    if (!d) {
        return ENODEV;
    }
    if (d->autoprobe < 0) {
        *errp = xasprintf("%s/%s: no sriov_drivers_autoprobe", bus, dev);
        return EOPNOTSUPP;
    }
    if (d->autoprobe == on) {
        return 0;
    }
    d->autoprobe = on;
    fake_log_op(f, "autoprobe %s/%s %d", bus, dev, on);
    f->changed = true;
    return 0;
}

static int
hw_fake_bind_vf__(struct hw *hw, const char *bus, const char *dev,
                  const char *vf_pci, const char *driver, char **errp)
{
    struct hw_fake *f = hw_fake_cast(hw);
    struct fake_dev *d = fake_find_dev(f, bus, dev, errp);
    int error;

    if (!d) {
        return ENODEV;
    }
    for (int vf = 0; d->vf_drivers && vf < d->num_vfs; vf++) {
        char *pci = fake_vf_pci(d, vf);
        bool match = !strcmp(pci, vf_pci);

        free(pci);
        if (!match) {
            continue;
        }
        if (d->vf_drivers[vf]) {
            if (!strcmp(d->vf_drivers[vf], driver)) {
                return 0;
            }
            *errp = xasprintf("%s: bound to %s, not %s", vf_pci,
                              d->vf_drivers[vf], driver);
            return EBUSY;
        }
        error = fake_check_failure(f, "bind", vf_pci, errp);
        if (error) {
            return error;
        }
        d->vf_drivers[vf] = xstrdup(driver);
        fake_log_op(f, "bind %s %s", vf_pci, driver);
        f->changed = true;
        return 0;
    }
    *errp = xasprintf("%s/%s: no VF %s", bus, dev, vf_pci);
    return ENODEV;
}

/* Entry points: the model's lock around each operation, and the delay
 * knob before it. */

#define FAKE_LOCKED(CALL)                       \
    ovs_mutex_lock(&fake_mutex);                \
    int retval_ = CALL;                         \
    ovs_mutex_unlock(&fake_mutex);              \
    return retval_

/* Issue 13: one VF setting, on a PF link of the model.  "fail vf-SETTING
 * ERRNO MESSAGE" (hw-fake/fail) makes the kernel refuse it. */
static int
hw_fake_set_vf__(struct hw *hw, const char *pf, const struct hw_vf_config *c,
                 enum hw_vf_setting setting, char **errp)
{
    struct hw_fake *f = hw_fake_cast(hw);
    struct fake_link *l = fake_find_link(f, pf, errp);
    struct hw_vf_config *cur;
    char *op;
    int error;

    if (!l) {
        return ENODEV;
    }
    if (!l->dev || l->vf >= 0 || c->vf < 0 || c->vf >= l->dev->num_vfs) {
        *errp = xasprintf("%s: no VF %d", pf, c->vf);
        return EINVAL;
    }
    op = xasprintf("vf-%s", hw_vf_setting_to_string(setting));
    error = fake_check_failure(f, op, pf, errp);
    free(op);
    if (error) {
        return error;
    }
    cur = &l->dev->vfcfg[c->vf];
    switch (setting) {
    case HW_VF_MAC:
        ovs_strlcpy(cur->mac, c->mac, sizeof cur->mac);
        fake_log_op(f, "vf %s %d mac %s", pf, c->vf, c->mac);
        break;
    case HW_VF_VLAN:
        cur->vlan = c->vlan;
        cur->qos = c->qos;
        cur->vlan_proto = c->vlan_proto ? c->vlan_proto : 0x8100;
        fake_log_op(f, "vf %s %d vlan %d qos %d proto %s", pf, c->vf,
                    c->vlan, c->qos,
                    cur->vlan_proto == 0x88a8 ? "802.1ad" : "802.1Q");
        break;
    case HW_VF_SPOOFCHK:
        cur->spoofchk = c->spoofchk;
        fake_log_op(f, "vf %s %d spoofchk %d", pf, c->vf, c->spoofchk);
        break;
    case HW_VF_TRUST:
        cur->trust = c->trust;
        fake_log_op(f, "vf %s %d trust %d", pf, c->vf, c->trust);
        break;
    case HW_VF_LINK_STATE:
        cur->link_state = c->link_state;
        fake_log_op(f, "vf %s %d state %d", pf, c->vf, c->link_state);
        break;
    default:
        *errp = xasprintf("%s: unknown VF setting", pf);
        return EINVAL;
    }
    f->changed = true;
    return 0;
}

/* Issue 13: a VF to 'driver' (NULL: none), from any driver.  "fail
 * vf-driver ERRNO MESSAGE" makes it fail; a driver named "absent" is not
 * loaded. */
static int
hw_fake_set_vf_driver__(struct hw *hw, const char *bus, const char *dev,
                        const char *vf_pci, const char *driver, char **errp)
{
    struct hw_fake *f = hw_fake_cast(hw);
    struct fake_dev *d = fake_find_dev(f, bus, dev, errp);
    int error;

    if (!d) {
        return ENODEV;
    }
    for (int vf = 0; d->vf_drivers && vf < d->num_vfs; vf++) {
        char *pci = fake_vf_pci(d, vf);
        bool match = !strcmp(pci, vf_pci);

        free(pci);
        if (!match) {
            continue;
        }
        if (driver ? (d->vf_drivers[vf]
                      && !strcmp(d->vf_drivers[vf], driver))
            : !d->vf_drivers[vf]) {
            return 0;
        }
        if (driver && !strcmp(driver, "absent")) {
            *errp = xasprintf("VF %s of %s: driver %s is not loaded", vf_pci,
                              dev, driver);
            return ENOENT;
        }
        error = fake_check_failure(f, "vf-driver", vf_pci, errp);
        if (error) {
            return error;
        }
        free(d->vf_drivers[vf]);
        d->vf_drivers[vf] = nullable_xstrdup(driver);
        fake_log_op(f, "vf-driver %s %s", vf_pci, driver ? driver : "none");
        f->changed = true;
        return 0;
    }
    *errp = xasprintf("%s is not a VF of %s/%s", vf_pci, bus, dev);
    return EINVAL;
}

/* Issue 13 (vdpa). */
static int
hw_fake_create_vdpa__(struct hw *hw, const char *name, const char *mgmtdev,
                      const char *mac, unsigned int max_vqp, char **errp)
{
    struct hw_fake *f = hw_fake_cast(hw);
    char *object = xasprintf("vdpa: dev add %s mgmtdev %s", name, mgmtdev);
    int error = fake_check_failure(f, "vdpa-add", object, errp);

    free(object);
    if (!error) {
        error = fake_vdpa_add(f, name, mgmtdev, mac, max_vqp, errp);
    }
    if (!error) {
        struct ds op = DS_EMPTY_INITIALIZER;

        ds_put_format(&op, "vdpa-add %s mgmtdev=%s", name, mgmtdev);
        if (mac) {
            ds_put_format(&op, " mac=%s", mac);
        }
        if (max_vqp) {
            ds_put_format(&op, " max_vqp=%u", max_vqp);
        }
        fake_log_op(f, "%s", ds_cstr(&op));
        ds_destroy(&op);
        f->changed = true;
    }
    return error;
}

static int
hw_fake_delete_vdpa__(struct hw *hw, const char *name, char **errp)
{
    struct hw_fake *f = hw_fake_cast(hw);
    char *object;
    int error;

    if (!shash_find(&f->vdpas, name)) {
        return 0;
    }
    object = xasprintf("vdpa: dev del %s", name);
    error = fake_check_failure(f, "vdpa-del", object, errp);
    free(object);
    if (!error) {
        fake_vdpa_free(shash_find_and_delete(&f->vdpas, name));
        fake_log_op(f, "vdpa-del %s", name);
        f->changed = true;
    }
    return error;
}

static int
hw_fake_create_vdpa(struct hw *hw, const char *name, const char *mgmtdev,
                    const char *mac, unsigned int max_vqp, char **errp)
{
    fake_delay(hw_fake_cast(hw), "vdpa-add");
    FAKE_LOCKED(hw_fake_create_vdpa__(hw, name, mgmtdev, mac, max_vqp, errp));
}

static int
hw_fake_delete_vdpa(struct hw *hw, const char *name, char **errp)
{
    fake_delay(hw_fake_cast(hw), "vdpa-del");
    FAKE_LOCKED(hw_fake_delete_vdpa__(hw, name, errp));
}

static bool
hw_fake_run(struct hw *hw)
{
    FAKE_LOCKED(hw_fake_run__(hw));
}

static void
hw_fake_wait(struct hw *hw)
{
    ovs_mutex_lock(&fake_mutex);
    hw_fake_wait__(hw);
    ovs_mutex_unlock(&fake_mutex);
}

static int
hw_fake_observe(struct hw *hw, struct hw_snapshot *snap, char **errp)
{
    fake_delay(hw_fake_cast(hw), "observe");
    FAKE_LOCKED(hw_fake_observe__(hw, snap, errp));
}

static int
hw_fake_set_vf(struct hw *hw, const char *pf, const struct hw_vf_config *c,
               enum hw_vf_setting setting, char **errp)
{
    fake_delay(hw_fake_cast(hw), "vf");
    FAKE_LOCKED(hw_fake_set_vf__(hw, pf, c, setting, errp));
}

/* Issue 13: a VF's MAC through its devlink port function, as switchdev
 * mode sets it.  The fake's VF ports are numbered 128 + VF (local host);
 * "fail port-hw-addr ERRNO MESSAGE" makes the kernel refuse it. */
static int
hw_fake_set_port_hw_addr__(struct hw *hw, const char *bus, const char *dev,
                           unsigned int port, const char *mac, char **errp)
{
    struct hw_fake *f = hw_fake_cast(hw);
    struct fake_dev *d = fake_find_dev(f, bus, dev, errp);
    int vf = (int) port - 128;
    int error;

    if (!d) {
        return ENODEV;
    }
    if (strcmp(d->mode, "switchdev") || vf < 0 || vf >= d->num_vfs) {
        *errp = xasprintf("%s/%s/%u: no such port function", bus, dev, port);
        return ENODEV;
    }
    char *object = xasprintf("%s/%s/%u", bus, dev, port);
    error = fake_check_failure(f, "port-hw-addr", object, errp);
    free(object);
    if (error) {
        return error;
    }
    ovs_strlcpy(d->vfcfg[vf].mac, mac, sizeof d->vfcfg[vf].mac);
    fake_log_op(f, "port-fn %s/%s/%u hw_addr %s", bus, dev, port, mac);
    f->changed = true;
    return 0;
}

static int
hw_fake_set_port_hw_addr(struct hw *hw, const char *bus, const char *dev,
                         unsigned int port, const char *mac, char **errp)
{
    FAKE_LOCKED(hw_fake_set_port_hw_addr__(hw, bus, dev, port, mac, errp));
}

static int
hw_fake_set_vf_driver(struct hw *hw, const char *bus, const char *dev,
                      const char *vf_pci, const char *driver, char **errp)
{
    fake_delay(hw_fake_cast(hw), "vf-driver");
    FAKE_LOCKED(hw_fake_set_vf_driver__(hw, bus, dev, vf_pci, driver, errp));
}

static int
hw_fake_set_eswitch_mode(struct hw *hw, const char *bus, const char *dev,
                         const char *mode, char **errp)
{
    fake_delay(hw_fake_cast(hw), "eswitch");
    FAKE_LOCKED(hw_fake_set_eswitch_mode__(hw, bus, dev, mode, errp));
}

static int
hw_fake_set_num_vfs(struct hw *hw, const char *bus, const char *dev, int n,
                    char **errp)
{
    fake_delay(hw_fake_cast(hw), "numvfs");
    FAKE_LOCKED(hw_fake_set_num_vfs__(hw, bus, dev, n, errp));
}

static int
hw_fake_get_channels(struct hw *hw, const char *ifname,
                     struct hw_channels *ch, char **errp)
{
    FAKE_LOCKED(hw_fake_get_channels__(hw, ifname, ch, errp));
}

static int
hw_fake_set_channels(struct hw *hw, const char *ifname, unsigned int n,
                     char **errp)
{
    fake_delay(hw_fake_cast(hw), "channels");
    FAKE_LOCKED(hw_fake_set_channels__(hw, ifname, n, errp));
}

static int
hw_fake_set_mtu(struct hw *hw, const char *ifname, unsigned int mtu,
                char **errp)
{
    fake_delay(hw_fake_cast(hw), "mtu");
    FAKE_LOCKED(hw_fake_set_mtu__(hw, ifname, mtu, errp));
}

static int
hw_fake_set_up(struct hw *hw, const char *ifname, bool up, char **errp)
{
    FAKE_LOCKED(hw_fake_set_up__(hw, ifname, up, errp));
}

static int
hw_fake_create_bond(struct hw *hw, const char *name, const char *mode,
                    unsigned int miimon, char **errp)
{
    FAKE_LOCKED(hw_fake_create_bond__(hw, name, mode, miimon, errp));
}

static int
hw_fake_set_master(struct hw *hw, const char *ifname, const char *master,
                   char **errp)
{
    fake_delay(hw_fake_cast(hw), "master");
    FAKE_LOCKED(hw_fake_set_master__(hw, ifname, master, errp));
}

static int
hw_fake_delete_link(struct hw *hw, const char *ifname, char **errp)
{
    FAKE_LOCKED(hw_fake_delete_link__(hw, ifname, errp));
}

static int
hw_fake_release_dp_port(struct hw *hw, const char *datapath,
                        const char *ifname, char **errp)
{
    FAKE_LOCKED(hw_fake_release_dp_port__(hw, datapath, ifname, errp));
}

static int
hw_fake_set_feature(struct hw *hw, const char *ifname, const char *feature,
                    bool on, char **errp)
{
    FAKE_LOCKED(hw_fake_set_feature__(hw, ifname, feature, on, errp));
}

static int
hw_fake_set_autoprobe(struct hw *hw, const char *bus, const char *dev,
                      bool on, char **errp)
{
    FAKE_LOCKED(hw_fake_set_autoprobe__(hw, bus, dev, on, errp));
}

static int
hw_fake_bind_vf(struct hw *hw, const char *bus, const char *dev,
                const char *vf_pci, const char *driver, char **errp)
{
    fake_delay(hw_fake_cast(hw), "bind");
    FAKE_LOCKED(hw_fake_bind_vf__(hw, bus, dev, vf_pci, driver, errp));
}

/* unixctl commands, for tests.  Each runs under the model's lock. */

/* Parses one configuration line made of "WHAT" and the arguments. */
static void
fake_unixctl_line(struct unixctl_conn *conn, const char *what, int argc,
                  const char *argv[])
{
    struct ds line = DS_EMPTY_INITIALIZER;
    char *error;

    ds_put_cstr(&line, what);
    for (int i = 1; i < argc; i++) {
        ds_put_format(&line, " %s", argv[i]);
    }
    ovs_mutex_lock(&fake_mutex);
    if (!the_fake) {
        error = xstrdup("no fake hardware");
    } else {
        error = fake_parse_line(the_fake, ds_cstr(&line));
        fake_save(the_fake);
    }
    ovs_mutex_unlock(&fake_mutex);
    ds_destroy(&line);
    if (error) {
        unixctl_command_reply_error(conn, error);
        free(error);
    } else {
        unixctl_command_reply(conn, NULL);
    }
}

static void
fake_unixctl_add_link(struct unixctl_conn *conn, int argc, const char *argv[],
                      void *aux OVS_UNUSED)
{
    fake_unixctl_line(conn, "link", argc, argv);
}

/* "hw-fake/vf BUS/DEV N driver=D|none": a VF bound or unbound by someone
 * else (a VM's vfio-pci). */
static void
fake_unixctl_vf(struct unixctl_conn *conn, int argc, const char *argv[],
                void *aux OVS_UNUSED)
{
    fake_unixctl_line(conn, "vf", argc, argv);
}

/* Issue 13 (vdpa): "hw-fake/add-vdpa NAME mgmtdev=M [mac=MAC]
 * [max_vqp=N]": a vDPA device created by hand ("vdpa dev add"). */
static void
fake_unixctl_add_vdpa(struct unixctl_conn *conn, int argc, const char *argv[],
                      void *aux OVS_UNUSED)
{
    fake_unixctl_line(conn, "vdpa", argc, argv);
}

static void
fake_unixctl_del_vdpa(struct unixctl_conn *conn, int argc OVS_UNUSED,
                      const char *argv[], void *aux OVS_UNUSED)
{
    struct fake_vdpa *v;

    ovs_mutex_lock(&fake_mutex);
    v = the_fake ? shash_find_and_delete(&the_fake->vdpas, argv[1]) : NULL;
    if (v) {
        fake_vdpa_free(v);
        the_fake->changed = true;
        fake_save(the_fake);
    }
    ovs_mutex_unlock(&fake_mutex);
    if (!v) {
        unixctl_command_reply_error(conn, "no such vdpa device");
    } else {
        unixctl_command_reply(conn, NULL);
    }
}

static void
fake_unixctl_del_link(struct unixctl_conn *conn, int argc OVS_UNUSED,
                      const char *argv[], void *aux OVS_UNUSED)
{
    bool found;

    ovs_mutex_lock(&fake_mutex);
    found = the_fake && shash_find(&the_fake->links, argv[1]);
    if (found) {
        fake_del_link(the_fake, argv[1]);
        fake_save(the_fake);
    }
    ovs_mutex_unlock(&fake_mutex);
    if (!found) {
        unixctl_command_reply_error(conn, "no such link");
    } else {
        unixctl_command_reply(conn, NULL);
    }
}

static void
fake_unixctl_settle(struct unixctl_conn *conn, int argc OVS_UNUSED,
                    const char *argv[], void *aux OVS_UNUSED)
{
    struct fake_link *l;

    ovs_mutex_lock(&fake_mutex);
    l = the_fake ? shash_find_data(&the_fake->links, argv[1]) : NULL;
    if (!l) {
        ovs_mutex_unlock(&fake_mutex);
        unixctl_command_reply_error(conn, "no such link");
        return;
    }
    l->unsettled = false;
    the_fake->changed = true;
    fake_save(the_fake);
    ovs_mutex_unlock(&fake_mutex);
    unixctl_command_reply(conn, NULL);
}

/* hw-fake/rename OLD NEW [down-first]: what udev does to a representor;
 * the kernel refuses to rename a link that is up, unless "down-first"
 * (what a person does: down, rename, up). */
static void
fake_unixctl_rename(struct unixctl_conn *conn, int argc, const char *argv[],
                    void *aux OVS_UNUSED)
{
    struct fake_link *l;
    struct shash_node *node;
    char *error;

    ovs_mutex_lock(&fake_mutex);
    l = the_fake ? shash_find_data(&the_fake->links, argv[1]) : NULL;
    if (!l) {
        ovs_mutex_unlock(&fake_mutex);
        unixctl_command_reply_error(conn, "no such link");
        return;
    }
    error = validate_ifname("new name", argv[2]);
    if (!error && shash_find(&the_fake->links, argv[2])) {
        error = xasprintf("%s: File exists", argv[2]);
    }
    if (!error && l->up && (argc < 4 || strcmp(argv[3], "down-first"))) {
        error = xasprintf("%s: cannot rename a link that is up (Device or "
                          "resource busy)", argv[1]);
    }
    if (error) {
        ovs_mutex_unlock(&fake_mutex);
        unixctl_command_reply_error(conn, error);
        free(error);
        return;
    }
    shash_find_and_delete(&the_fake->links, argv[1]);
    SHASH_FOR_EACH (node, &the_fake->links) {
        struct fake_link *m = node->data;
        if (m->master && !strcmp(m->master, l->name)) {
            free(m->master);
            m->master = xstrdup(argv[2]);
        }
    }
    fake_log_op(the_fake, "rename %s %s", l->name, argv[2]);
    free(l->name);
    l->name = xstrdup(argv[2]);
    l->unsettled = false;
    shash_add(&the_fake->links, l->name, l);
    the_fake->changed = true;
    fake_save(the_fake);
    ovs_mutex_unlock(&fake_mutex);
    unixctl_command_reply(conn, NULL);
}

static bool
hw_fake_set_lag__(struct hw *hw, const char *key, const char *state)
{
    struct hw_fake *f;
    struct fake_dev *d;

    if (hw->class != &hw_fake_class) {
        return false;
    }
    f = hw_fake_cast(hw);
    d = shash_find_data(&f->devs, key);
    if (!d) {
        return false;
    }
    free(d->lag);
    d->lag = strcmp(state, "none") ? xstrdup(state) : NULL;
    f->changed = true;
    return true;
}

bool
hw_fake_set_lag(struct hw *hw, const char *key, const char *state)
{
    bool ok;

    ovs_mutex_lock(&fake_mutex);
    ok = hw_fake_set_lag__(hw, key, state);
    ovs_mutex_unlock(&fake_mutex);
    return ok;
}

static void
fake_unixctl_set_lag(struct unixctl_conn *conn, int argc OVS_UNUSED,
                     const char *argv[], void *aux OVS_UNUSED)
{
    bool ok;

    ovs_mutex_lock(&fake_mutex);
    ok = the_fake && hw_fake_set_lag__(&the_fake->up, argv[1], argv[2]);
    if (ok) {
        fake_save(the_fake);
    }
    ovs_mutex_unlock(&fake_mutex);
    if (!ok) {
        unixctl_command_reply_error(conn, "no such device");
    } else {
        unixctl_command_reply(conn, NULL);
    }
}

/* "hw-fake/fail OP [MSG]" and "hw-fake/delay OP [MS]": set or clear. */
static void
fake_unixctl_knob(struct unixctl_conn *conn, int argc, const char *argv[],
                  void *which_)
{
    const char *which = which_;

    ovs_mutex_lock(&fake_mutex);
    if (the_fake) {
        struct shash *knobs = (!strcmp(which, "fail") ? &the_fake->failures
                               : &the_fake->delays);
        free(shash_find_and_delete(knobs, argv[1]));
        if (argc > 2) {
            shash_add(knobs, argv[1], xstrdup(argv[2]));
        }
        /* Failures of observation show at the next observation. */
        the_fake->changed = true;
    }
    ovs_mutex_unlock(&fake_mutex);
    if (!the_fake) {
        unixctl_command_reply_error(conn, "no fake hardware");
    } else {
        unixctl_command_reply(conn, NULL);
    }
}

static void
fake_unixctl_show(struct unixctl_conn *conn, int argc OVS_UNUSED,
                  const char *argv[] OVS_UNUSED, void *aux OVS_UNUSED)
{
    struct hw_snapshot snap;
    struct ds s = DS_EMPTY_INITIALIZER;
    char *error = NULL;

    hw_snapshot_init(&snap);
    ovs_mutex_lock(&fake_mutex);
    if (the_fake) {
        hw_fake_observe__(&the_fake->up, &snap, &error);
    }
    ovs_mutex_unlock(&fake_mutex);
    hw_snapshot_format(&snap, &s);
    hw_snapshot_destroy(&snap);
    unixctl_command_reply(conn, ds_cstr(&s));
    ds_destroy(&s);
}

static void
fake_unixctl_ops(struct unixctl_conn *conn, int argc OVS_UNUSED,
                 const char *argv[] OVS_UNUSED, void *aux OVS_UNUSED)
{
    char *ops;

    ovs_mutex_lock(&fake_mutex);
    ops = xstrdup(the_fake ? ds_cstr(&the_fake->ops) : "");
    ovs_mutex_unlock(&fake_mutex);
    unixctl_command_reply(conn, ops);
    free(ops);
}

static void
hw_fake_register_unixctl(void)
{
    static bool registered;

    if (!registered) {
        registered = true;
        unixctl_command_register("hw-fake/add-link", "NAME [KEY=VALUE]...",
                                 1, 10, fake_unixctl_add_link, NULL);
        unixctl_command_register("hw-fake/del-link", "NAME", 1, 1,
                                 fake_unixctl_del_link, NULL);
        unixctl_command_register("hw-fake/vf", "BUS/DEV N driver=D|none",
                                 3, 3, fake_unixctl_vf, NULL);
        unixctl_command_register("hw-fake/set-lag", "BUS/DEV STATE|none",
                                 2, 2, fake_unixctl_set_lag, NULL);
        unixctl_command_register("hw-fake/fail", "OP [\"ERRNO MESSAGE\"]",
                                 1, 2, fake_unixctl_knob, "fail");
        unixctl_command_register("hw-fake/delay", "OP [MS]",
                                 1, 2, fake_unixctl_knob, "delay");
        unixctl_command_register("hw-fake/settle", "NAME", 1, 1,
                                 fake_unixctl_settle, NULL);
        unixctl_command_register("hw-fake/rename", "OLD NEW [down-first]",
                                 2, 3, fake_unixctl_rename, NULL);
        unixctl_command_register("hw-fake/show", "", 0, 0,
                                 fake_unixctl_show, NULL);
        unixctl_command_register("hw-fake/ops", "", 0, 0,
                                 fake_unixctl_ops, NULL);
        unixctl_command_register("hw-fake/add-vdpa",
                                 "NAME mgmtdev=M [mac=MAC] [max_vqp=N]",
                                 2, 4, fake_unixctl_add_vdpa, NULL);
        unixctl_command_register("hw-fake/del-vdpa", "NAME", 1, 1,
                                 fake_unixctl_del_vdpa, NULL);
    }
}

const struct hw_class hw_fake_class = {
    .type = "fake",
    .open = hw_fake_open,
    .close = hw_fake_close,
    .run = hw_fake_run,
    .wait = hw_fake_wait,
    .observe = hw_fake_observe,
    .set_eswitch_mode = hw_fake_set_eswitch_mode,
    .set_num_vfs = hw_fake_set_num_vfs,
    .get_channels = hw_fake_get_channels,
    .set_channels = hw_fake_set_channels,
    .set_mtu = hw_fake_set_mtu,
    .set_up = hw_fake_set_up,
    .create_bond = hw_fake_create_bond,
    .set_master = hw_fake_set_master,
    .delete_link = hw_fake_delete_link,
    .release_dp_port = hw_fake_release_dp_port,
    .set_feature = hw_fake_set_feature,
    .set_autoprobe = hw_fake_set_autoprobe,
    .bind_vf = hw_fake_bind_vf,
    .set_vf = hw_fake_set_vf,
    .set_port_hw_addr = hw_fake_set_port_hw_addr,
    .set_vf_driver = hw_fake_set_vf_driver,
    .create_vdpa = hw_fake_create_vdpa,
    .delete_vdpa = hw_fake_delete_vdpa,
};
