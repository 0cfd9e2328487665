/*
 * intent: parsing the offload-* keys.  See intent.h.
 */
#include <config.h>

#include "intent.h"

#include <string.h>

#include "openvswitch/dynamic-string.h"
#include "smap.h"
#include "sset.h"
#include "util.h"
#include "validate.h"

#define KEY(NAME) "external_ids:" NAME

static const char *const bond_modes[] = {
    "active-backup", "balance-xor", "802.3ad", NULL
};
static const char *const eswitch_modes[] = { "switchdev", "legacy", NULL };
static const char *const orders[] = { "mlx5", "vfs-first", NULL };
static const char *const booleans[] = { "true", "false", NULL };
static const char *const hw_offload_modes[] = {
    "auto", "true", "false", "manual", NULL
};

bool
intent_is_managed(const struct smap *external_ids)
{
    return smap_get(external_ids, "offload-uplinks") != NULL;
}

void
intent_bridge_destroy(struct intent_bridge *ib)
{
    if (ib) {
        free(ib->bridge);
        for (size_t i = 0; i < ib->n_uplinks; i++) {
            free(ib->uplinks[i].spec);
        }
        free(ib->uplinks);
        free(ib->bond_mode);
        free(ib->bond_name);
        free(ib->eswitch);
        free(ib->vxlan.name);
        free(ib->vxlan.remote_ip);
        free(ib->vxlan.local_ip);
        free(ib->vxlan.key);
        intent_vfs_destroy(ib);
        memset(ib, 0, sizeof *ib);
    }
}

static char *
parse_uplinks(const char *value, struct intent_bridge *ib)
{
    struct sset seen = SSET_INITIALIZER(&seen);
    char *copy = xstrdup(value);
    char *save = NULL;
    char *error = NULL;

    for (char *tok = strtok_r(copy, ",", &save); tok;
         tok = strtok_r(NULL, ",", &save)) {
        struct intent_uplink *u;
        bool is_pci = validate_is_pci_addr(tok);

        if (is_pci) {
            /* sysfs and devlink spell PCI addresses in lower case. */
            validate_pci_addr_normalize(tok);
        } else {
            error = validate_ifname(KEY("offload-uplinks"), tok);
            if (error) {
                free(error);
                error = xasprintf("%s: \"%s\" is not valid: expected a PCI "
                                  "address like 0000:03:00.0 or an interface "
                                  "name (1 to %d characters, no '/', ':' or "
                                  "white space)", KEY("offload-uplinks"),
                                  tok, VALIDATE_IFNAME_MAX);
                break;
            }
        }
        if (!sset_add(&seen, tok)) {
            error = xasprintf("%s: \"%s\" is listed twice",
                              KEY("offload-uplinks"), tok);
            break;
        }
        ib->uplinks = xrealloc(ib->uplinks,
                               (ib->n_uplinks + 1) * sizeof *ib->uplinks);
        u = &ib->uplinks[ib->n_uplinks++];
        u->spec = xstrdup(tok);
        u->is_pci = is_pci;
        u->num_vfs = -1;
    }
    if (!error && !ib->n_uplinks) {
        error = xasprintf("%s: \"%s\" is not valid: expected a "
                          "comma-separated list of PCI addresses or "
                          "interface names", KEY("offload-uplinks"), value);
    }
    sset_destroy(&seen);
    free(copy);
    return error;
}

#define MAX_VFS 1024

/* "N" for every uplink, or "SPEC=N,SPEC=N" per uplink. */
static char *
parse_num_vfs(const char *value, struct intent_bridge *ib)
{
    unsigned long long n;
    char *error;

    if (!strchr(value, '=')) {
        error = validate_uint(KEY("offload-num-vfs"), value, 0, MAX_VFS, &n);
        if (!error) {
            for (size_t i = 0; i < ib->n_uplinks; i++) {
                ib->uplinks[i].num_vfs = n;
            }
        }
        return error;
    }

    char *copy = xstrdup(value);
    char *save = NULL;

    error = NULL;
    for (char *tok = strtok_r(copy, ",", &save); tok && !error;
         tok = strtok_r(NULL, ",", &save)) {
        char *eq = strchr(tok, '=');
        struct intent_uplink *u = NULL;

        if (!eq) {
            error = xasprintf("%s: \"%s\" is not valid: expected N or "
                              "UPLINK=N,UPLINK=N", KEY("offload-num-vfs"),
                              value);
            break;
        }
        *eq = '\0';
        for (size_t i = 0; i < ib->n_uplinks; i++) {
            if (!strcmp(ib->uplinks[i].spec, tok)) {
                u = &ib->uplinks[i];
            }
        }
        if (!u) {
            error = xasprintf("%s: \"%s\" is not one of the bridge's "
                              "offload-uplinks", KEY("offload-num-vfs"), tok);
        } else if (u->num_vfs >= 0) {
            error = xasprintf("%s: \"%s\" is given twice",
                              KEY("offload-num-vfs"), tok);
        } else {
            error = validate_uint(KEY("offload-num-vfs"), eq + 1, 0,
                                  MAX_VFS, &n);
            if (!error) {
                u->num_vfs = n;
            }
        }
    }
    free(copy);
    return error;
}

static char *
parse_vxlan(const char *value, struct intent_vxlan *vx)
{
    const char *field = KEY("offload-vxlan");
    char *copy = xstrdup(value);
    char *save = NULL;
    char *error = NULL;

    vx->enabled = true;
    for (char *tok = strtok_r(copy, ",", &save); tok && !error;
         tok = strtok_r(NULL, ",", &save)) {
        char *eq = strchr(tok, '=');
        const char *v;
        char *sub;

        if (!eq) {
            error = xasprintf("%s: \"%s\" is not KEY=VALUE", field, tok);
            break;
        }
        *eq = '\0';
        v = eq + 1;
        sub = xasprintf("%s %s", field, tok);
        if (!strcmp(tok, "remote_ip") || !strcmp(tok, "local_ip")) {
            bool v6;
            char **dst = tok[0] == 'r' ? &vx->remote_ip : &vx->local_ip;

            error = validate_ip(sub, v, &v6);
            if (!error) {
                if (*dst) {
                    error = xasprintf("%s is given twice", sub);
                } else if ((vx->remote_ip || vx->local_ip) && v6 != vx->ipv6) {
                    error = xasprintf("%s: \"%s\" is not of the same address "
                                      "family as the other address", sub, v);
                } else {
                    *dst = xstrdup(v);
                    vx->ipv6 = v6;
                }
            }
        } else if (!strcmp(tok, "key")) {
            if (strcmp(v, "flow")) {
                error = validate_uint(sub, v, 0, (1 << 24) - 1, NULL);
            }
            if (!error) {
                free(vx->key);
                vx->key = xstrdup(v);
            }
        } else if (!strcmp(tok, "dst_port")) {
            unsigned long long port;

            error = validate_uint(sub, v, 1, 65535, &port);
            if (!error) {
                vx->dst_port = port;
            }
        } else if (!strcmp(tok, "name")) {
            error = validate_ifname(sub, v);
            if (!error) {
                free(vx->name);
                vx->name = xstrdup(v);
            }
        } else {
            error = xasprintf("%s: unknown option \"%s\" (expected remote_ip, "
                              "local_ip, key, dst_port or name)", field, tok);
        }
        free(sub);
    }
    if (!error && !vx->remote_ip) {
        error = xasprintf("%s: \"%s\" is not valid: remote_ip is required",
                          field, value);
    }
    if (!error && !vx->key) {
        error = xasprintf("%s: \"%s\" is not valid: key is required",
                          field, value);
    }
    if (!error && !vx->name) {
        vx->name = xstrdup("vxlan0");
    }
    free(copy);
    return error;
}

static char *
parse_bool(const char *field, const char *value, bool *b)
{
    char *error = validate_one_of(field, value, booleans);
    if (!error) {
        *b = !strcmp(value, "true");
    }
    return error;
}

static char *
parse_mtu(const char *field, const char *value, unsigned int *mtu)
{
    unsigned long long n;
    char *error = validate_uint(field, value, 68, 65535, &n);
    if (!error) {
        *mtu = n;
    }
    return error;
}

static const char *const known_keys[] = {
    "offload-uplinks", "offload-bond", "offload-bond-name", "offload-num-vfs",
    "offload-eswitch", "offload-mtu", "offload-rep-mtu", "offload-vxlan",
    "offload-channels", "offload-order", "offload-force",
    "offload-teardown", "offload-lag-timeout", "offload-lag-check", NULL
};

/* Parses the intent of bridge 'bridge' from its 'external_ids' into 'ib'.
 * Returns NULL on success, otherwise an error message naming the key and
 * value, in which case 'ib' is left empty. */
char *
intent_parse_bridge(const char *bridge, const struct smap *external_ids,
                    struct intent_bridge *ib)
{
    const char *v;
    char *error = NULL;

    memset(ib, 0, sizeof *ib);
    ib->bridge = xstrdup(bridge);
    ib->eswitch = xstrdup("switchdev");
    ib->channels = -1;
    ib->lag_timeout_ms = INTENT_LAG_TIMEOUT_DEFAULT_MS;

    /* Reject misspelt keys: a silently ignored "offload-num-vf" would be
     * worse than an error. */
    struct smap_node *node;
    SMAP_FOR_EACH (node, external_ids) {
        if (!strncmp(node->key, "offload-", 8)
            && strcmp(node->key, "offload-owner")) {
            bool known = !strncmp(node->key, INTENT_VF_PREFIX,
                                  strlen(INTENT_VF_PREFIX));
            for (size_t i = 0; known_keys[i]; i++) {
                known = known || !strcmp(node->key, known_keys[i]);
            }
            if (!known) {
                error = xasprintf("external_ids:%s: unknown key (value "
                                  "\"%s\")", node->key, node->value);
                goto out;
            }
        }
    }

    v = smap_get(external_ids, "offload-uplinks");
    if (!v) {
        error = xasprintf("%s: missing", KEY("offload-uplinks"));
        goto out;
    }
    error = parse_uplinks(v, ib);
    if (error) {
        goto out;
    }

    v = smap_get(external_ids, "offload-bond");
    if (v && strcmp(v, "none")) {
        error = validate_one_of(KEY("offload-bond"), v, bond_modes);
        if (error) {
            goto out;
        }
        ib->bond_mode = xstrdup(v);
        v = smap_get(external_ids, "offload-bond-name");
        if (v) {
            error = validate_ifname(KEY("offload-bond-name"), v);
            if (error) {
                goto out;
            }
            ib->bond_name = xstrdup(v);
        } else {
            ib->bond_name = xasprintf("bond-%s", bridge);
            if (strlen(ib->bond_name) > VALIDATE_IFNAME_MAX) {
                ib->bond_name[VALIDATE_IFNAME_MAX] = '\0';
            }
            error = validate_ifname("bond name derived from the bridge name",
                                    ib->bond_name);
            if (error) {
                goto out;
            }
        }
        if (ib->n_uplinks < 1) {
            error = xasprintf("%s: a bond needs at least one uplink",
                              KEY("offload-bond"));
            goto out;
        }
    } else if (smap_get(external_ids, "offload-bond-name")) {
        error = xasprintf("%s: \"%s\" is given without offload-bond",
                          KEY("offload-bond-name"),
                          smap_get(external_ids, "offload-bond-name"));
        goto out;
    }

    v = smap_get(external_ids, "offload-num-vfs");
    if (v) {
        error = parse_num_vfs(v, ib);
        if (error) {
            goto out;
        }
    }

    v = smap_get(external_ids, "offload-eswitch");
    if (v) {
        error = validate_one_of(KEY("offload-eswitch"), v, eswitch_modes);
        if (error) {
            goto out;
        }
        free(ib->eswitch);
        ib->eswitch = xstrdup(v);
    }

    v = smap_get(external_ids, "offload-mtu");
    if (v && (error = parse_mtu(KEY("offload-mtu"), v, &ib->mtu))) {
        goto out;
    }
    v = smap_get(external_ids, "offload-rep-mtu");
    if (v && (error = parse_mtu(KEY("offload-rep-mtu"), v, &ib->rep_mtu))) {
        goto out;
    }

    v = smap_get(external_ids, "offload-channels");
    if (v) {
        unsigned long long n;
        error = validate_uint(KEY("offload-channels"), v, 1, 1024, &n);
        if (error) {
            goto out;
        }
        ib->channels = n;
    }

    v = smap_get(external_ids, "offload-vxlan");
    if (v && (error = parse_vxlan(v, &ib->vxlan))) {
        goto out;
    }

    v = smap_get(external_ids, "offload-order");
    if (v) {
        error = validate_one_of(KEY("offload-order"), v, orders);
        if (error) {
            goto out;
        }
        ib->order = (!strcmp(v, "vfs-first")
                     ? INTENT_ORDER_VFS_FIRST : INTENT_ORDER_MLX5);
    }

    v = smap_get(external_ids, "offload-force");
    if (v && (error = parse_bool(KEY("offload-force"), v, &ib->force))) {
        goto out;
    }
    v = smap_get(external_ids, "offload-teardown");
    if (v && (error = parse_bool(KEY("offload-teardown"), v,
                                 &ib->teardown))) {
        goto out;
    }

    ib->lag_check = true;
    v = smap_get(external_ids, "offload-lag-check");
    if (v && (error = parse_bool(KEY("offload-lag-check"), v,
                                 &ib->lag_check))) {
        goto out;
    }

    v = smap_get(external_ids, "offload-lag-timeout");
    if (v) {
        unsigned long long secs;
        error = validate_uint(KEY("offload-lag-timeout"), v, 1, 3600, &secs);
        if (error) {
            goto out;
        }
        ib->lag_timeout_ms = secs * 1000;
    }

    error = intent_parse_vfs(external_ids, ib);

out:
    if (error) {
        intent_bridge_destroy(ib);
    }
    return error;
}

char *
intent_parse_hw_offload(const struct smap *ovs_external_ids,
                        enum intent_hw_offload *mode)
{
    const char *v = smap_get(ovs_external_ids, "offload-hw-offload");
    char *error;

    *mode = INTENT_HW_OFFLOAD_AUTO;
    if (!v) {
        return NULL;
    }
    error = validate_one_of("Open_vSwitch external_ids:offload-hw-offload",
                            v, hw_offload_modes);
    if (!error) {
        *mode = (!strcmp(v, "true") ? INTENT_HW_OFFLOAD_TRUE
                 : !strcmp(v, "false") ? INTENT_HW_OFFLOAD_FALSE
                 : !strcmp(v, "manual") ? INTENT_HW_OFFLOAD_MANUAL
                 : INTENT_HW_OFFLOAD_AUTO);
    }
    return error;
}

const char *
intent_hw_offload_to_string(enum intent_hw_offload mode)
{
    switch (mode) {
    case INTENT_HW_OFFLOAD_TRUE:
        return "true";
    case INTENT_HW_OFFLOAD_FALSE:
        return "false";
    case INTENT_HW_OFFLOAD_MANUAL:
        return "manual";
    case INTENT_HW_OFFLOAD_AUTO:
    default:
        return "auto";
    }
}

const char *
intent_order_to_string(enum intent_order order)
{
    return order == INTENT_ORDER_VFS_FIRST ? "vfs-first" : "mlx5";
}
