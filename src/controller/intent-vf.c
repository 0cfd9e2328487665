/*
 * intent-vf: the per-VF keys of a bridge (issue 13).
 *
 *   external_ids:offload-vf-LABEL="vf=N[-M][,pf=UPLINK][,OPTION=VALUE]..."
 *
 * LABEL (1 to 32 of [A-Za-z0-9_.]) only names the entry, in errors and
 * status.  The options:
 *
 *   vf=N or N-M        VF number(s) of the PF (required)
 *   pf=UPLINK          the PF, as written in offload-uplinks (required when
 *                      the bridge has more than one uplink)
 *   driver=D           vfio-pci, default (the PF's driver) or none
 *   mac=MAC            the VF's MAC (one VF only)
 *   vlan=N             0 to 4094, legacy eswitch mode only (0: none)
 *   qos=N              0 to 7, with vlan
 *   proto=P            802.1Q or 802.1ad, with vlan
 *   trust=on|off, spoofchk=on|off
 *   state=auto|enable|disable   the VF's link state
 *   vdpa=NAME          a vDPA device on the VF (switchdev mode, one VF)
 *   vdpa_mac=MAC, max_vqp=N (1 to 256), vdpa_mgmtdev=MGMTDEV (default: the
 *                      VF's PCI function, "pci/ADDRESS")
 *
 * Parsing is part of intent_parse_bridge(): all or nothing, every error
 * names the key, the option and the value.
 */
#include <config.h>

#include "intent.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "openvswitch/dynamic-string.h"
#include "smap.h"
#include "sset.h"
#include "util.h"
#include "validate.h"

#define INTENT_VF_LABEL_MAX 32
#define INTENT_VF_MAX 1023
#define INTENT_VDPA_NAME_MAX 31     /* VDPA name buffer of the kernel is
                                     * larger; keep it printable and short. */
#define INTENT_MAX_VQP 256

static const char *const vf_drivers[] = {
    "vfio-pci", "default", "none", NULL
};
static const char *const on_off[] = { "on", "off", NULL };
static const char *const vf_states[] = {
    "auto", "enable", "disable", NULL
};
static const char *const vlan_protos[] = { "802.1Q", "802.1ad", NULL };

const char *
intent_vf_driver_to_string(enum intent_vf_driver d)
{
    switch (d) {
    case INTENT_VF_DRIVER_VFIO: return "vfio-pci";
    case INTENT_VF_DRIVER_DEFAULT: return "default";
    case INTENT_VF_DRIVER_NONE: return "none";
    case INTENT_VF_DRIVER_UNSET:
    default: return "";
    }
}

const char *
intent_vf_state_to_string(int s)
{
    return (s == INTENT_VF_STATE_ENABLE ? "enable"
            : s == INTENT_VF_STATE_DISABLE ? "disable" : "auto");
}

void
intent_vfs_destroy(struct intent_bridge *ib)
{
    for (size_t i = 0; i < ib->n_vfs; i++) {
        struct intent_vf *v = &ib->vfs[i];
        free(v->label);
        free(v->mac);
        free(v->vdpa);
        free(v->vdpa_mac);
        free(v->vdpa_mgmtdev);
    }
    free(ib->vfs);
    ib->vfs = NULL;
    ib->n_vfs = 0;
}

/* The entry of 'ib' for VF 'vf' of uplink 'uplink', or NULL. */
const struct intent_vf *
intent_find_vf(const struct intent_bridge *ib, size_t uplink, int vf)
{
    for (size_t i = 0; i < ib->n_vfs; i++) {
        const struct intent_vf *v = &ib->vfs[i];
        if (v->uplink == uplink && vf >= v->vf_first && vf <= v->vf_last) {
            return v;
        }
    }
    return NULL;
}

static char *
vf_range_string(const struct intent_vf *v)
{
    return (v->vf_first == v->vf_last ? xasprintf("%d", v->vf_first)
            : xasprintf("%d-%d", v->vf_first, v->vf_last));
}

static char * OVS_PRINTF_FORMAT(3, 4)
vf_invalid(const char *field, const char *value, const char *format, ...)
{
    struct ds s = DS_EMPTY_INITIALIZER;
    va_list args;

    ds_put_format(&s, "%s: \"%s\" is not valid: ", field, value);
    va_start(args, format);
    ds_put_format_valist(&s, format, args);
    va_end(args);
    return ds_steal_cstr(&s);
}

/* A unicast, non-zero MAC address "xx:xx:xx:xx:xx:xx", lower-cased into
 * '*macp'. */
static char *
parse_mac(const char *field, const char *s, char **macp)
{
    unsigned int b[6];
    int n = 0;

    if (strlen(s) != 17
        || sscanf(s, "%2x:%2x:%2x:%2x:%2x:%2x%n", &b[0], &b[1], &b[2],
                  &b[3], &b[4], &b[5], &n) != 6 || n != 17) {
        return vf_invalid(field, s, "expected a MAC address like "
                          "52:54:00:12:34:56");
    }
    for (int i = 0; i < 17; i++) {
        if (i % 3 == 2 ? s[i] != ':' : !isxdigit((unsigned char) s[i])) {
            return vf_invalid(field, s, "expected a MAC address like "
                              "52:54:00:12:34:56");
        }
    }
    if (b[0] & 1) {
        return vf_invalid(field, s, "a multicast address cannot be a VF's "
                          "address");
    }
    if (!(b[0] | b[1] | b[2] | b[3] | b[4] | b[5])) {
        return vf_invalid(field, s, "the all-zero address is not an "
                          "address (leave the option out instead)");
    }
    free(*macp);
    *macp = xasprintf("%02x:%02x:%02x:%02x:%02x:%02x",
                      b[0], b[1], b[2], b[3], b[4], b[5]);
    return NULL;
}

static char *
parse_int_opt(const char *field, const char *s, int min, int max, int *vp)
{
    unsigned long long n;
    char *error = validate_uint(field, s, min, max, &n);

    if (!error) {
        *vp = n;
    }
    return error;
}

static char *
parse_on_off(const char *field, const char *s, int *vp)
{
    char *error = validate_one_of(field, s, on_off);

    if (!error) {
        *vp = !strcmp(s, "on");
    }
    return error;
}

/* "N" or "N-M". */
static char *
parse_vf_range(const char *field, const char *s, int *first, int *last)
{
    const char *dash = strchr(s, '-');
    char *a, *error;

    if (!dash) {
        if (!isdigit((unsigned char) s[0])) {
            return vf_invalid(field, s, "expected a VF number N or a range "
                              "N-M (0 to %d)", INTENT_VF_MAX);
        }
        error = parse_int_opt(field, s, 0, INTENT_VF_MAX, first);
        *last = *first;
        return error;
    }
    a = xmemdup0(s, dash - s);
    error = parse_int_opt(field, a, 0, INTENT_VF_MAX, first);
    free(a);
    if (error) {
        free(error);
        return vf_invalid(field, s, "expected a VF number N or a range N-M "
                          "(0 to %d)", INTENT_VF_MAX);
    }
    error = parse_int_opt(field, dash + 1, 0, INTENT_VF_MAX, last);
    if (error) {
        free(error);
        return vf_invalid(field, s, "expected a VF number N or a range N-M "
                          "(0 to %d)", INTENT_VF_MAX);
    }
    if (*last < *first) {
        return vf_invalid(field, s, "the range is empty (%d > %d)",
                          *first, *last);
    }
    return NULL;
}

/* A vDPA device name or management device name: printable, no '/' except
 * one in "BUS/NAME" when 'allow_bus' is true, no "..". */
static char *
parse_vdpa_name(const char *field, const char *s, bool allow_bus,
                char **namep)
{
    size_t len = strlen(s);
    int slashes = 0;

    if (!len || len > INTENT_VDPA_NAME_MAX + (allow_bus ? 16 : 0)) {
        return vf_invalid(field, s, "expected 1 to %d characters",
                          INTENT_VDPA_NAME_MAX + (allow_bus ? 16 : 0));
    }
    for (const char *p = s; *p; p++) {
        if (*p == '/') {
            slashes++;
        } else if (!isalnum((unsigned char) *p) && !strchr("_-.:", *p)) {
            return vf_invalid(field, s, "'%c' is not allowed (letters, "
                              "digits, '_', '-', '.'%s)", *p,
                              allow_bus ? ", ':' and one '/'" : ", ':'");
        }
    }
    if (strstr(s, "..") || slashes > (allow_bus ? 1 : 0)
        || s[0] == '/' || s[len - 1] == '/' || s[0] == '.') {
        return vf_invalid(field, s, "expected %s",
                          allow_bus ? "NAME or BUS/NAME" : "a plain name");
    }
    free(*namep);
    *namep = xstrdup(s);
    return NULL;
}

static char *
parse_label(const char *key, const char *label, const char *value)
{
    size_t len = strlen(label);

    if (!len || len > INTENT_VF_LABEL_MAX) {
        return xasprintf("external_ids:%s: the label after \"%s\" must have "
                         "1 to %d characters (value \"%s\")", key,
                         INTENT_VF_PREFIX, INTENT_VF_LABEL_MAX, value);
    }
    for (const char *p = label; *p; p++) {
        if (!isalnum((unsigned char) *p) && *p != '_' && *p != '.') {
            return xasprintf("external_ids:%s: '%c' is not allowed in the "
                             "label (letters, digits, '_' and '.'; value "
                             "\"%s\")", key, *p, value);
        }
    }
    return NULL;
}

/* Parses one "offload-vf-LABEL" value into 'v'. */
static char *
parse_vf_entry(const char *key, const char *value,
               const struct intent_bridge *ib, struct intent_vf *v)
{
    char *copy = xstrdup(value);
    char *save = NULL;
    char *error = NULL;
    const char *pf = NULL;
    struct ds field = DS_EMPTY_INITIALIZER;
    bool have_vf = false;
    struct sset seen = SSET_INITIALIZER(&seen);

    v->vlan = v->qos = -1;
    v->trust = v->spoofchk = v->link_state = -1;
    if (!value[0]) {
        error = xasprintf("external_ids:%s: \"\" is not valid: expected "
                          "vf=N[,OPTION=VALUE]...", key);
        goto out;
    }
    for (char *tok = strtok_r(copy, ",", &save); tok && !error;
         tok = strtok_r(NULL, ",", &save)) {
        char *eq = strchr(tok, '=');
        const char *val;
        const char *f;

        if (!eq) {
            error = xasprintf("external_ids:%s: \"%s\" is not OPTION=VALUE",
                              key, tok);
            break;
        }
        *eq = '\0';
        val = eq + 1;
        ds_clear(&field);
        ds_put_format(&field, "external_ids:%s %s", key, tok);
        f = ds_cstr(&field);
        if (!sset_add(&seen, tok)) {
            error = xasprintf("%s: given twice (\"%s\")", f, val);
            break;
        }
        if (!strcmp(tok, "vf")) {
            error = parse_vf_range(f, val, &v->vf_first, &v->vf_last);
            have_vf = true;
        } else if (!strcmp(tok, "pf")) {
            pf = value + (val - copy);
        } else if (!strcmp(tok, "driver")) {
            error = validate_one_of(f, val, vf_drivers);
            if (!error) {
                v->driver = (!strcmp(val, "vfio-pci") ? INTENT_VF_DRIVER_VFIO
                             : !strcmp(val, "default")
                             ? INTENT_VF_DRIVER_DEFAULT
                             : INTENT_VF_DRIVER_NONE);
            }
        } else if (!strcmp(tok, "mac")) {
            error = parse_mac(f, val, &v->mac);
        } else if (!strcmp(tok, "vlan")) {
            error = parse_int_opt(f, val, 0, 4094, &v->vlan);
        } else if (!strcmp(tok, "qos")) {
            error = parse_int_opt(f, val, 0, 7, &v->qos);
        } else if (!strcmp(tok, "proto")) {
            error = validate_one_of(f, val, vlan_protos);
            if (!error) {
                v->vlan_proto = !strcmp(val, "802.1ad") ? 0x88a8 : 0x8100;
            }
        } else if (!strcmp(tok, "trust")) {
            error = parse_on_off(f, val, &v->trust);
        } else if (!strcmp(tok, "spoofchk")) {
            error = parse_on_off(f, val, &v->spoofchk);
        } else if (!strcmp(tok, "state")) {
            error = validate_one_of(f, val, vf_states);
            if (!error) {
                v->link_state = (!strcmp(val, "enable")
                                 ? INTENT_VF_STATE_ENABLE
                                 : !strcmp(val, "disable")
                                 ? INTENT_VF_STATE_DISABLE
                                 : INTENT_VF_STATE_AUTO);
            }
        } else if (!strcmp(tok, "vdpa")) {
            error = parse_vdpa_name(f, val, false, &v->vdpa);
        } else if (!strcmp(tok, "vdpa_mac")) {
            error = parse_mac(f, val, &v->vdpa_mac);
        } else if (!strcmp(tok, "max_vqp")) {
            error = parse_int_opt(f, val, 1, INTENT_MAX_VQP, &v->max_vqp);
        } else if (!strcmp(tok, "vdpa_mgmtdev")) {
            error = parse_vdpa_name(f, val, true, &v->vdpa_mgmtdev);
        } else {
            error = xasprintf("external_ids:%s: unknown option \"%s\" "
                              "(value \"%s\"; expected vf, pf, driver, mac, "
                              "vlan, qos, proto, trust, spoofchk, state, "
                              "vdpa, vdpa_mac, max_vqp or vdpa_mgmtdev)",
                              key, tok, val);
        }
    }
    if (error) {
        goto out;
    }

    if (!have_vf) {
        error = xasprintf("external_ids:%s: \"%s\" is not valid: vf=N is "
                          "required", key, value);
        goto out;
    }

    /* Which PF. */
    if (pf) {
        char *pf_copy = xmemdup0(pf, strcspn(pf, ","));
        bool found = false;

        if (validate_is_pci_addr(pf_copy)) {
            validate_pci_addr_normalize(pf_copy);
        }
        for (size_t i = 0; i < ib->n_uplinks; i++) {
            if (!strcmp(ib->uplinks[i].spec, pf_copy)) {
                v->uplink = i;
                found = true;
            }
        }
        if (!found) {
            error = xasprintf("external_ids:%s pf: \"%s\" is not one of the "
                              "bridge's offload-uplinks", key, pf_copy);
        }
        free(pf_copy);
        if (error) {
            goto out;
        }
    } else if (ib->n_uplinks > 1) {
        error = xasprintf("external_ids:%s: \"%s\" is not valid: pf=UPLINK "
                          "is required with %zu uplinks", key, value,
                          ib->n_uplinks);
        goto out;
    }

    /* Consistency. */
    const char *f0 = key;
    int nvfs = ib->uplinks[v->uplink].num_vfs;
    if (nvfs >= 0 && v->vf_last >= nvfs) {
        char *r = vf_range_string(v);
        error = xasprintf("external_ids:%s vf: \"%s\" is not valid: "
                          "offload-num-vfs gives %s %d VFs%s", f0, r,
                          ib->uplinks[v->uplink].spec, nvfs,
                          nvfs ? "" : " (none)");
        free(r);
    } else if (v->vf_first != v->vf_last && (v->mac || v->vdpa)) {
        error = xasprintf("external_ids:%s vf: \"%d-%d\" is not valid: %s "
                          "is for one VF, not a range", f0, v->vf_first,
                          v->vf_last, v->mac ? "mac" : "vdpa");
    } else if (v->qos >= 0 && v->vlan < 0) {
        error = xasprintf("external_ids:%s qos: \"%d\" is not valid: it "
                          "needs vlan=N", f0, v->qos);
    } else if (v->vlan_proto && v->vlan < 0) {
        error = xasprintf("external_ids:%s proto: \"%s\" is not valid: it "
                          "needs vlan=N", f0,
                          v->vlan_proto == 0x88a8 ? "802.1ad" : "802.1Q");
    } else if (v->vlan >= 0 && strcmp(ib->eswitch, "legacy")) {
        error = xasprintf("external_ids:%s vlan: \"%d\" is not valid in "
                          "switchdev mode: VLANs of a switchdev VF are "
                          "OVS's (set tag=%d on the port of the VF's "
                          "representor), or use offload-eswitch=legacy",
                          f0, v->vlan, v->vlan);
    } else if (v->max_vqp && !v->vdpa) {
        error = xasprintf("external_ids:%s max_vqp: \"%d\" is not valid: "
                          "it needs vdpa=NAME", f0, v->max_vqp);
    } else if ((v->vdpa_mac || v->vdpa_mgmtdev) && !v->vdpa) {
        error = xasprintf("external_ids:%s %s: \"%s\" is not valid: it "
                          "needs vdpa=NAME", f0,
                          v->vdpa_mac ? "vdpa_mac" : "vdpa_mgmtdev",
                          v->vdpa_mac ? v->vdpa_mac : v->vdpa_mgmtdev);
    } else if (v->vdpa && strcmp(ib->eswitch, "switchdev")) {
        error = xasprintf("external_ids:%s vdpa: \"%s\" is not valid in "
                          "legacy mode: a vDPA device needs the eswitch in "
                          "switchdev mode", f0, v->vdpa);
    } else if (v->vdpa && (v->driver == INTENT_VF_DRIVER_VFIO
                           || v->driver == INTENT_VF_DRIVER_NONE)) {
        error = xasprintf("external_ids:%s driver: \"%s\" is not valid "
                          "with vdpa=%s: a vDPA device needs the VF on its "
                          "default driver", f0,
                          intent_vf_driver_to_string(v->driver), v->vdpa);
    }
    if (error) {
        goto out;
    }

out:
    ds_destroy(&field);
    sset_destroy(&seen);
    free(copy);
    return error;
}

static int
compare_vf_labels(const void *a_, const void *b_)
{
    const struct intent_vf *a = a_, *b = b_;
    return strcmp(a->label, b->label);
}

/* Parses every "offload-vf-LABEL" key of 'external_ids' into 'ib', whose
 * uplinks and eswitch mode are already parsed. */
char *
intent_parse_vfs(const struct smap *external_ids, struct intent_bridge *ib)
{
    const struct smap_node **nodes = smap_sort(external_ids);
    size_t n = smap_count(external_ids);
    size_t prefix = strlen(INTENT_VF_PREFIX);
    char *error = NULL;

    for (size_t i = 0; i < n && !error; i++) {
        const char *key = nodes[i]->key;
        struct intent_vf *v;

        if (strncmp(key, INTENT_VF_PREFIX, prefix)) {
            continue;
        }
        error = parse_label(key, key + prefix, nodes[i]->value);
        if (error) {
            break;
        }
        ib->vfs = xrealloc(ib->vfs, (ib->n_vfs + 1) * sizeof *ib->vfs);
        v = &ib->vfs[ib->n_vfs++];
        memset(v, 0, sizeof *v);
        v->label = xstrdup(key + prefix);
        error = parse_vf_entry(key, nodes[i]->value, ib, v);
    }

    /* A VF is named at most once; a vDPA name and a MAC at most once. */
    for (size_t i = 0; i < ib->n_vfs && !error; i++) {
        const struct intent_vf *a = &ib->vfs[i];
        for (size_t j = i + 1; j < ib->n_vfs && !error; j++) {
            const struct intent_vf *b = &ib->vfs[j];

            if (a->uplink == b->uplink && a->vf_first <= b->vf_last
                && b->vf_first <= a->vf_last) {
                char *r = vf_range_string(b);
                error = xasprintf("external_ids:%s%s vf: \"%s\" is not "
                                  "valid: VF %d of %s is also named by "
                                  "external_ids:%s%s", INTENT_VF_PREFIX,
                                  b->label, r, MAX(a->vf_first, b->vf_first),
                                  ib->uplinks[b->uplink].spec,
                                  INTENT_VF_PREFIX, a->label);
                free(r);
            } else if (a->vdpa && b->vdpa && !strcmp(a->vdpa, b->vdpa)) {
                error = xasprintf("external_ids:%s%s vdpa: \"%s\" is also "
                                  "the vDPA device of external_ids:%s%s",
                                  INTENT_VF_PREFIX, b->label, b->vdpa,
                                  INTENT_VF_PREFIX, a->label);
            } else if (a->mac && b->mac && !strcmp(a->mac, b->mac)) {
                error = xasprintf("external_ids:%s%s mac: \"%s\" is also "
                                  "the MAC of external_ids:%s%s",
                                  INTENT_VF_PREFIX, b->label, b->mac,
                                  INTENT_VF_PREFIX, a->label);
            }
        }
    }
    if (!error && ib->n_vfs > 1) {
        qsort(ib->vfs, ib->n_vfs, sizeof *ib->vfs, compare_vf_labels);
    }
    free(nodes);
    return error;
}
