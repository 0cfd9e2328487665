/*
 * hw-vf: the VF settings part of the hardware interface (issue 13), shared
 * by the back ends.  See hw.h.
 */
#include <config.h>

#include "hw.h"

#include <errno.h>
#include <string.h>

#include "openvswitch/dynamic-string.h"
#include "util.h"

int
hw_set_vf(struct hw *hw, const char *pf, const struct hw_vf_config *cfg,
          enum hw_vf_setting setting, char **errp)
{
    *errp = NULL;
    if (!hw->class->set_vf) {
        *errp = xasprintf("%s: VF settings are not supported by the %s "
                          "back end", pf, hw->class->type);
        return EOPNOTSUPP;
    }
    return hw->class->set_vf(hw, pf, cfg, setting, errp);
}

int
hw_set_port_hw_addr(struct hw *hw, const char *bus, const char *dev,
                    unsigned int port, const char *mac, char **errp)
{
    *errp = NULL;
    if (!hw->class->set_port_hw_addr) {
        *errp = xasprintf("%s/%s/%u: the %s back end cannot set a port "
                          "function's hw_addr", bus, dev, port,
                          hw->class->type);
        return EOPNOTSUPP;
    }
    return hw->class->set_port_hw_addr(hw, bus, dev, port, mac, errp);
}

int
hw_set_vf_driver(struct hw *hw, const char *bus, const char *dev,
                 const char *vf_pci, const char *driver, char **errp)
{
    *errp = NULL;
    if (!hw->class->set_vf_driver) {
        *errp = xasprintf("%s: VF driver binding is not supported by the %s "
                          "back end", vf_pci, hw->class->type);
        return EOPNOTSUPP;
    }
    return hw->class->set_vf_driver(hw, bus, dev, vf_pci, driver, errp);
}

const char *
hw_vf_setting_to_string(enum hw_vf_setting s)
{
    switch (s) {
    case HW_VF_MAC: return "mac";
    case HW_VF_VLAN: return "vlan";
    case HW_VF_SPOOFCHK: return "spoofchk";
    case HW_VF_TRUST: return "trust";
    case HW_VF_LINK_STATE: return "state";
    default: return "?";
    }
}

void
hw_vf_config_init(struct hw_vf_config *c, int vf)
{
    memset(c, 0, sizeof *c);
    c->vf = vf;
    c->spoofchk = c->trust = c->link_state = -1;
}

const struct hw_vf_config *
hw_link_find_vf_config(const struct hw_link *l, int vf)
{
    for (size_t i = 0; l && i < l->vfs.n; i++) {
        if (l->vfs.configs[i].vf == vf) {
            return &l->vfs.configs[i];
        }
    }
    return NULL;
}

void
hw_link_vfs_clone(struct hw_link_vfs *dst, const struct hw_link_vfs *src)
{
    dst->valid = src->valid;
    dst->n = src->n;
    dst->configs = (src->n ? xmemdup(src->configs,
                                     src->n * sizeof *src->configs)
                    : NULL);
}

void
hw_link_vfs_destroy(struct hw_link_vfs *vfs)
{
    free(vfs->configs);
    memset(vfs, 0, sizeof *vfs);
}

static const char *
tri(int v, const char *on, const char *off)
{
    return v < 0 ? "?" : v ? on : off;
}

/* "vf 1 mac 52:54:00:12:34:56 vlan 40 qos 3 proto 802.1Q spoofchk off
 * trust on state auto", the words of "ip link show". */
void
hw_vf_config_format(const struct hw_vf_config *c, struct ds *out)
{
    ds_put_format(out, "vf %d mac %s", c->vf, c->mac[0] ? c->mac : "?");
    if (c->vlan) {
        ds_put_format(out, " vlan %d qos %d proto %s", c->vlan, c->qos,
                      c->vlan_proto == 0x88a8 ? "802.1ad" : "802.1Q");
    }
    ds_put_format(out, " spoofchk %s trust %s state %s",
                  tri(c->spoofchk, "on", "off"), tri(c->trust, "on", "off"),
                  (c->link_state < 0 ? "?"
                   : c->link_state == 1 ? "enable"
                   : c->link_state == 2 ? "disable" : "auto"));
}

/* The compact text form of a VF's settings kept in memory ("before"):
 * "MAC VLAN QOS PROTO SPOOFCHK TRUST STATE". */
char *
hw_vf_config_to_memory(const struct hw_vf_config *c)
{
    return xasprintf("%s %d %d %d %d %d %d", c->mac[0] ? c->mac : "-",
                     c->vlan, c->qos, c->vlan_proto, c->spoofchk, c->trust,
                     c->link_state);
}

bool
hw_vf_config_from_memory(const char *s, int vf, struct hw_vf_config *c)
{
    char mac[18];
    int n = 0;

    hw_vf_config_init(c, vf);
    if (!s || sscanf(s, "%17s %d %d %d %d %d %d%n", mac, &c->vlan, &c->qos,
                     &c->vlan_proto, &c->spoofchk, &c->trust,
                     &c->link_state, &n) != 7 || s[n]) {
        hw_vf_config_init(c, vf);
        return false;
    }
    if (strcmp(mac, "-")) {
        ovs_strlcpy(c->mac, mac, sizeof c->mac);
    }
    return true;
}

/* The value of 'setting' in 'c', as "ip link" words. */
void
hw_vf_setting_format(const struct hw_vf_config *c, enum hw_vf_setting s,
                     struct ds *out)
{
    switch (s) {
    case HW_VF_MAC:
        ds_put_cstr(out, c->mac);
        break;
    case HW_VF_VLAN:
        ds_put_format(out, "%d qos %d proto %s", c->vlan, c->qos,
                      c->vlan_proto == 0x88a8 ? "802.1ad" : "802.1Q");
        break;
    case HW_VF_SPOOFCHK:
        ds_put_cstr(out, tri(c->spoofchk, "on", "off"));
        break;
    case HW_VF_TRUST:
        ds_put_cstr(out, tri(c->trust, "on", "off"));
        break;
    case HW_VF_LINK_STATE:
        ds_put_cstr(out, (c->link_state < 0 ? "?"
                          : c->link_state == 1 ? "enable"
                          : c->link_state == 2 ? "disable" : "auto"));
        break;
    default:
        ds_put_cstr(out, "?");
    }
}
