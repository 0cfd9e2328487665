/*
 * vmconfig: QEMU arguments and libvirt XML for a VF or a vDPA device.
 * See vmconfig.h.
 */
#include <config.h>

#include "vmconfig.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "openvswitch/dynamic-string.h"
#include "util.h"
#include "validate.h"

#define VMCONFIG_MAX_VQP 256

/* A QEMU/libvirt id: letters, digits, '_', '-', '.'; starts with a
 * letter. */
static char *
check_id(const char *id)
{
    size_t len = strlen(id);

    if (!len || len > 32 || !isalpha((unsigned char) id[0])) {
        return xasprintf("--id: \"%s\" is not valid: 1 to 32 characters, "
                         "starting with a letter", id);
    }
    for (const char *p = id; *p; p++) {
        if (!isalnum((unsigned char) *p) && !strchr("_-.", *p)) {
            return xasprintf("--id: \"%s\" is not valid: '%c' is not "
                             "allowed", id, *p);
        }
    }
    return NULL;
}

static char *
check_mac(const char *mac)
{
    unsigned int b[6];
    int n = 0;

    if (strlen(mac) != 17
        || sscanf(mac, "%2x:%2x:%2x:%2x:%2x:%2x%n", &b[0], &b[1], &b[2],
                  &b[3], &b[4], &b[5], &n) != 6 || n != 17 || (b[0] & 1)) {
        return xasprintf("--mac: \"%s\" is not valid: expected a unicast "
                         "MAC address like 52:54:00:12:34:56", mac);
    }
    return NULL;
}

/* VF 'pci' ("0000:03:00.2"), bound to vfio-pci. */
char *
vmconfig_vfio(const char *pci, const char *id, struct ds *out)
{
    unsigned int dom, bus, slot, fn;
    char *error = validate_pci_addr("PCI address", pci);

    if (!error && id) {
        error = check_id(id);
    }
    if (error) {
        return error;
    }
    sscanf(pci, "%x:%x:%x.%x", &dom, &bus, &slot, &fn);
    ds_put_format(out, "# QEMU (the VF must be bound to vfio-pci)\n"
                  "-device vfio-pci,host=%04x:%02x:%02x.%x%s%s\n",
                  dom, bus, slot, fn, id ? ",id=" : "", id ? id : "");
    ds_put_format(out, "# libvirt (in <devices>, or virsh attach-device "
                  "DOMAIN FILE); managed='no': ovs-offloadd binds it\n"
                  "<hostdev mode='subsystem' type='pci' managed='no'>\n"
                  "  <source>\n"
                  "    <address domain='0x%04x' bus='0x%02x' slot='0x%02x' "
                  "function='0x%x'/>\n"
                  "  </source>\n", dom, bus, slot, fn);
    if (id) {
        ds_put_format(out, "  <alias name='ua-%s'/>\n", id);
    }
    ds_put_cstr(out, "</hostdev>\n");
    return NULL;
}

/* vDPA device 'vhostdev' ("/dev/vhost-vdpa-0") with 'max_vqp' queue pairs
 * (0: one) and guest MAC 'mac' (NULL: the device's). */
char *
vmconfig_vdpa(const char *vhostdev, int max_vqp, const char *mac,
              const char *id, struct ds *out)
{
    unsigned int n;
    int len = 0;
    char *error = NULL;

    if (sscanf(vhostdev, "/dev/vhost-vdpa-%u%n", &n, &len) != 1
        || vhostdev[len] || !isdigit((unsigned char) vhostdev[16])) {
        return xasprintf("vhost device: \"%s\" is not valid: expected "
                         "/dev/vhost-vdpa-N", vhostdev);
    }
    if (max_vqp < 0 || max_vqp > VMCONFIG_MAX_VQP) {
        return xasprintf("--max-vqp: \"%d\" is not valid: out of range 1 "
                         "to %d", max_vqp, VMCONFIG_MAX_VQP);
    }
    if (mac) {
        error = check_mac(mac);
    }
    if (!error && id) {
        error = check_id(id);
    }
    if (error) {
        return error;
    }

    int qp = max_vqp ? max_vqp : 1;
    char *nid = xstrdup(id ? id : "vdpa0");

    ds_put_format(out, "# QEMU\n-netdev type=vhost-vdpa,vhostdev=%s,id=%s",
                  vhostdev, nid);
    if (qp > 1) {
        ds_put_format(out, ",queues=%d", qp);
    }
    ds_put_format(out, " -device virtio-net-pci,netdev=%s", nid);
    if (mac) {
        ds_put_format(out, ",mac=%s", mac);
    }
    if (qp > 1) {
        /* One vector per queue (rx and tx of each pair), one for the
         * control queue and one for configuration changes. */
        ds_put_format(out, ",mq=on,vectors=%d", 2 * qp + 2);
    }
    ds_put_char(out, '\n');
    ds_put_format(out, "# libvirt (in <devices>, or virsh attach-device "
                  "DOMAIN FILE)\n"
                  "<interface type='vdpa'>\n"
                  "  <source dev='%s'/>\n", vhostdev);
    if (mac) {
        ds_put_format(out, "  <mac address='%s'/>\n", mac);
    }
    ds_put_cstr(out, "  <model type='virtio'/>\n");
    if (qp > 1) {
        ds_put_format(out, "  <driver queues='%d'/>\n", qp);
    }
    if (id) {
        ds_put_format(out, "  <alias name='ua-%s'/>\n", id);
    }
    ds_put_cstr(out, "</interface>\n");
    free(nid);
    return NULL;
}

/* "vm-config vfio PCI [--id=ID]" or "vm-config vdpa /dev/vhost-vdpa-N
 * [--max-vqp=N] [--mac=MAC] [--id=ID]".  argv[0] is "vm-config". */
int
vmconfig_command(int argc, char *argv[])
{
    const char *kind = NULL, *dev = NULL, *mac = NULL, *id = NULL;
    int max_vqp = 0;
    struct ds out = DS_EMPTY_INITIALIZER;
    char *error = NULL;

    for (int i = 1; i < argc && !error; i++) {
        const char *a = argv[i];

        if (!strncmp(a, "--max-vqp=", 10)) {
            unsigned long long n;
            error = validate_uint("--max-vqp", a + 10, 1, VMCONFIG_MAX_VQP,
                                  &n);
            max_vqp = error ? 0 : n;
        } else if (!strncmp(a, "--mac=", 6)) {
            mac = a + 6;
        } else if (!strncmp(a, "--id=", 5)) {
            id = a + 5;
        } else if (a[0] == '-') {
            error = xasprintf("vm-config: unknown option %s", a);
        } else if (!kind) {
            kind = a;
        } else if (!dev) {
            dev = a;
        } else {
            error = xasprintf("vm-config: too many arguments (%s)", a);
        }
    }
    if (!error && (!kind || !dev)) {
        error = xstrdup("usage: vm-config vfio PCI-ADDRESS [--id=ID] | "
                        "vm-config vdpa /dev/vhost-vdpa-N [--max-vqp=N] "
                        "[--mac=MAC] [--id=ID]");
    }
    if (!error) {
        if (!strcmp(kind, "vfio")) {
            error = (max_vqp || mac
                     ? xstrdup("vm-config vfio: --max-vqp and --mac are for "
                               "vdpa (a VF's MAC is offload-vf-LABEL mac=)")
                     : vmconfig_vfio(dev, id, &out));
        } else if (!strcmp(kind, "vdpa")) {
            error = vmconfig_vdpa(dev, max_vqp, mac, id, &out);
        } else {
            error = xasprintf("vm-config: \"%s\" is not vfio or vdpa", kind);
        }
    }
    if (error) {
        fprintf(stderr, "ovs-offloadctl: %s\n", error);
        free(error);
        ds_destroy(&out);
        return 1;
    }
    fputs(ds_cstr(&out), stdout);
    ds_destroy(&out);
    return 0;
}
