/*
 * ethtool-nl: ethtool generic netlink requests.  See ethtool-nl.h.
 */
#include <config.h>

#include "ethtool-nl.h"

#include <errno.h>
#include <string.h>
#include <linux/ethtool_netlink.h>
#include <linux/genetlink.h>

#include "hw.h"
#include "nlsock.h"
#include "util.h"
#include "validate.h"

/* ETH_GSTRING_LEN, the longest feature name plus its null. */
#define ETHTOOL_NL_NAME_MAX 31

static struct nlmsghdr *
ethtool_nl_request(void *buf, uint16_t family, uint8_t cmd,
                   uint16_t header_type, const char *ifname)
{
    struct nlmsghdr *nlh = nlsock_genl_start(buf, family, cmd,
                                             ETHTOOL_GENL_VERSION, 0);
    struct nlattr *header = mnl_attr_nest_start(nlh, header_type);

    mnl_attr_put_strz(nlh, ETHTOOL_A_HEADER_DEV_NAME, ifname);
    mnl_attr_nest_end(nlh, header);
    return nlh;
}

static int
ethtool_nl_check_name(const char *ifname, char **errp)
{
    char *error = validate_ifname("interface", ifname);

    if (error) {
        *errp = error;
        return EINVAL;
    }
    return 0;
}

/* Parses an ETHTOOL_MSG_CHANNELS_GET_REPLY.  A device without combined
 * channels (the kernel omits both attributes when the maximum is 0) is an
 * error. */
char *
ethtool_nl_parse_channels(const struct nlmsghdr *nlh, struct hw_channels *ch)
{
    const struct nlattr *tb[ETHTOOL_A_CHANNELS_MAX + 1];
    uint32_t max, count;

    if (nlsock_parse_attrs(nlh, sizeof(struct genlmsghdr), tb,
                           ETHTOOL_A_CHANNELS_MAX)) {
        return xstrdup("ethtool: malformed channels message");
    }
    if (!tb[ETHTOOL_A_CHANNELS_COMBINED_MAX]
        || !tb[ETHTOOL_A_CHANNELS_COMBINED_COUNT]) {
        return xstrdup("ethtool: no combined channels");
    }
    if (!nlsock_attr_u32(tb[ETHTOOL_A_CHANNELS_COMBINED_MAX], &max)
        || !nlsock_attr_u32(tb[ETHTOOL_A_CHANNELS_COMBINED_COUNT], &count)
        || count > max) {
        return xstrdup("ethtool: bad combined channel attributes");
    }
    ch->max_combined = max;
    ch->combined = count;
    return NULL;
}

struct ethtool_nl_channels {
    struct hw_channels *ch;
    bool found;
    char *error;
};

static int
ethtool_nl_channels_cb(const struct nlmsghdr *nlh, void *c_)
{
    struct ethtool_nl_channels *c = c_;

    c->error = ethtool_nl_parse_channels(nlh, c->ch);
    if (c->error) {
        return MNL_CB_ERROR;
    }
    c->found = true;
    return MNL_CB_OK;
}

/* Reads the combined channel count and maximum of 'ifname'.  Returns
 * EOPNOTSUPP if the device has no (combined) channels. */
int
ethtool_nl_get_channels(struct nlsock *sock, uint16_t family,
                        const char *ifname, struct hw_channels *ch,
                        char **errp)
{
    char buf[NLSOCK_REQSIZE];
    struct ethtool_nl_channels c = { .ch = ch };
    struct nlmsghdr *nlh;
    char *what;
    int error;

    memset(ch, 0, sizeof *ch);
    error = ethtool_nl_check_name(ifname, errp);
    if (error) {
        return error;
    }
    if (!family) {
        *errp = xasprintf("%s: channels: the kernel has no ethtool netlink "
                          "interface", ifname);
        return EOPNOTSUPP;
    }
    nlh = ethtool_nl_request(buf, family, ETHTOOL_MSG_CHANNELS_GET,
                             ETHTOOL_A_CHANNELS_HEADER, ifname);
    what = xasprintf("%s: channels: ethtool", ifname);
    error = nlsock_transact(sock, nlh, ethtool_nl_channels_cb, &c, what,
                            errp);
    if (!error && !c.found) {
        *errp = xasprintf("%s: no reply", what);
        error = EPROTO;
    }
    if (error && c.error) {
        free(*errp);
        *errp = xasprintf("%s: %s", ifname, c.error);
        if (!strcmp(c.error, "ethtool: no combined channels")) {
            error = EOPNOTSUPP;
        }
    }
    free(c.error);
    free(what);
    return error;
}

/* Sets the combined channel count of 'ifname'. */
int
ethtool_nl_set_channels(struct nlsock *sock, uint16_t family,
                        const char *ifname, unsigned int combined,
                        char **errp)
{
    char buf[NLSOCK_REQSIZE];
    struct nlmsghdr *nlh;
    char *what;
    int error;

    error = ethtool_nl_check_name(ifname, errp);
    if (error) {
        return error;
    }
    if (!family) {
        *errp = xasprintf("%s: channels: the kernel has no ethtool netlink "
                          "interface", ifname);
        return EOPNOTSUPP;
    }
    nlh = ethtool_nl_request(buf, family, ETHTOOL_MSG_CHANNELS_SET,
                             ETHTOOL_A_CHANNELS_HEADER, ifname);
    mnl_attr_put_u32(nlh, ETHTOOL_A_CHANNELS_COMBINED_COUNT, combined);
    what = xasprintf("%s: set combined channels to %u: ethtool", ifname,
                     combined);
    error = nlsock_transact(sock, nlh, NULL, NULL, what, errp);
    free(what);
    return error;
}

struct ethtool_nl_bit {
    const char *feature;
    bool nomask;
    bool found;
    bool active;
    bool malformed;
};

static int
ethtool_nl_bit_cb(const struct nlattr *attr, void *b_)
{
    const struct nlattr *tb[ETHTOOL_A_BITSET_BIT_MAX + 1];
    struct ethtool_nl_bit *b = b_;
    const char *name;

    if (mnl_attr_get_type(attr) != ETHTOOL_A_BITSET_BITS_BIT) {
        return 0;
    }
    if (nlsock_parse_nested(attr, tb, ETHTOOL_A_BITSET_BIT_MAX)
        || !tb[ETHTOOL_A_BITSET_BIT_NAME]
        || !(name = nlsock_attr_str(tb[ETHTOOL_A_BITSET_BIT_NAME],
                                    ETHTOOL_NL_NAME_MAX))) {
        b->malformed = true;
        return EPROTO;
    }
    if (!strcmp(name, b->feature)) {
        b->found = true;
        b->active = b->nomask || tb[ETHTOOL_A_BITSET_BIT_VALUE];
    }
    return 0;
}

/* Parses an ETHTOOL_MSG_FEATURES_GET_REPLY in verbose form and stores in
 * '*activep' whether feature 'feature' is active.  In the "active" bitset,
 * which the kernel sends as a list (ETHTOOL_A_BITSET_NOMASK), a bit is
 * listed only if it is set; with a mask, the VALUE flag tells. */
/* Looks for bit 'feature' in the verbose bitset 'attr': stores in
 * '*foundp' whether the bitset names it and in '*setp' whether it is set. */
static char *
ethtool_nl_parse_bitset(const struct nlattr *attr, const char *feature,
                        bool *foundp, bool *setp)
{
    const struct nlattr *bs[ETHTOOL_A_BITSET_MAX + 1];
    struct ethtool_nl_bit b = { .feature = feature };

    *foundp = *setp = false;
    if (nlsock_parse_nested(attr, bs, ETHTOOL_A_BITSET_MAX)) {
        return xstrdup("ethtool: malformed features message");
    }
    if (!bs[ETHTOOL_A_BITSET_BITS]) {
        if (bs[ETHTOOL_A_BITSET_VALUE]) {
            return xstrdup("ethtool: compact feature bitset without names");
        }
        return NULL;            /* An empty list: nothing is set. */
    }
    b.nomask = bs[ETHTOOL_A_BITSET_NOMASK] != NULL;
    if (nlsock_attr_iter(mnl_attr_get_payload(bs[ETHTOOL_A_BITSET_BITS]),
                         mnl_attr_get_payload_len(bs[ETHTOOL_A_BITSET_BITS]),
                         ethtool_nl_bit_cb, &b)) {
        return xstrdup("ethtool: malformed feature bit");
    }
    *foundp = b.found;
    *setp = b.found && b.active;
    return NULL;
}

char *
ethtool_nl_parse_feature(const struct nlmsghdr *nlh, const char *feature,
                         bool *activep)
{
    bool changeable;

    return ethtool_nl_parse_feature_info(nlh, feature, &changeable, activep);
}

/* Like ethtool_nl_parse_feature(), and also stores in '*changeablep'
 * whether the device lets the feature be changed (ETHTOOL_A_FEATURES_HW:
 * "ethtool -k" shows it without "[fixed]"). */
char *
ethtool_nl_parse_feature_info(const struct nlmsghdr *nlh,
                              const char *feature, bool *changeablep,
                              bool *activep)
{
    const struct nlattr *tb[ETHTOOL_A_FEATURES_MAX + 1];
    bool found;
    char *error;

    *activep = *changeablep = false;
    if (nlsock_parse_attrs(nlh, sizeof(struct genlmsghdr), tb,
                           ETHTOOL_A_FEATURES_MAX)
        || !tb[ETHTOOL_A_FEATURES_ACTIVE]) {
        return xstrdup("ethtool: malformed features message");
    }
    error = ethtool_nl_parse_bitset(tb[ETHTOOL_A_FEATURES_ACTIVE], feature,
                                    &found, activep);
    if (!error && tb[ETHTOOL_A_FEATURES_HW]) {
        error = ethtool_nl_parse_bitset(tb[ETHTOOL_A_FEATURES_HW], feature,
                                        &found, changeablep);
    }
    return error;
}

struct ethtool_nl_feature {
    const char *feature;
    bool *changeablep;
    bool *activep;
    char *error;
};

static int
ethtool_nl_feature_cb(const struct nlmsghdr *nlh, void *f_)
{
    struct ethtool_nl_feature *f = f_;

    f->error = ethtool_nl_parse_feature_info(nlh, f->feature,
                                             f->changeablep, f->activep);
    return f->error ? MNL_CB_ERROR : MNL_CB_OK;
}

/* Stores in '*activep' whether feature 'feature' ("hw-tc-offload") of
 * 'ifname' is active. */
int
ethtool_nl_get_feature_info(struct nlsock *sock, uint16_t family,
                            const char *ifname, const char *feature,
                            bool *changeablep, bool *activep, char **errp)
{
    char buf[NLSOCK_REQSIZE];
    struct ethtool_nl_feature f = { .feature = feature,
                                    .changeablep = changeablep,
                                    .activep = activep };
    struct nlmsghdr *nlh;
    char *what;
    int error;

    *activep = *changeablep = false;
    error = ethtool_nl_check_name(ifname, errp);
    if (error) {
        return error;
    }
    if (!family) {
        *errp = xasprintf("%s: features: the kernel has no ethtool netlink "
                          "interface", ifname);
        return EOPNOTSUPP;
    }
    nlh = ethtool_nl_request(buf, family, ETHTOOL_MSG_FEATURES_GET,
                             ETHTOOL_A_FEATURES_HEADER, ifname);
    what = xasprintf("%s: features: ethtool", ifname);
    error = nlsock_transact(sock, nlh, ethtool_nl_feature_cb, &f, what,
                            errp);
    if (error && f.error) {
        free(*errp);
        *errp = xasprintf("%s: %s", ifname, f.error);
    }
    free(f.error);
    free(what);
    return error;
}

/* Rings. */

/* Parses an ETHTOOL_MSG_RINGS_GET_REPLY.  A device that reports no RX or
 * no TX ring (both attributes absent) has 0 for it. */
char *
ethtool_nl_parse_rings(const struct nlmsghdr *nlh,
                       struct ethtool_nl_rings *rings)
{
    const struct nlattr *tb[ETHTOOL_A_RINGS_MAX + 1];
    static const int attrs[] = {
        ETHTOOL_A_RINGS_RX, ETHTOOL_A_RINGS_RX_MAX,
        ETHTOOL_A_RINGS_TX, ETHTOOL_A_RINGS_TX_MAX,
    };
    uint32_t v[4] = { 0, 0, 0, 0 };

    memset(rings, 0, sizeof *rings);
    if (nlsock_parse_attrs(nlh, sizeof(struct genlmsghdr), tb,
                           ETHTOOL_A_RINGS_MAX)) {
        return xstrdup("ethtool: malformed rings message");
    }
    for (size_t i = 0; i < ARRAY_SIZE(attrs); i++) {
        if (tb[attrs[i]] && !nlsock_attr_u32(tb[attrs[i]], &v[i])) {
            return xstrdup("ethtool: bad ring attribute");
        }
    }
    if (!v[1] && !v[3]) {
        return xstrdup("ethtool: no rings");
    }
    if (v[0] > v[1] || v[2] > v[3]) {
        return xstrdup("ethtool: ring size above its maximum");
    }
    rings->rx = v[0];
    rings->rx_max = v[1];
    rings->tx = v[2];
    rings->tx_max = v[3];
    return NULL;
}

struct ethtool_nl_rings_ctx {
    struct ethtool_nl_rings *rings;
    bool found;
    char *error;
};

static int
ethtool_nl_rings_cb(const struct nlmsghdr *nlh, void *c_)
{
    struct ethtool_nl_rings_ctx *c = c_;

    c->error = ethtool_nl_parse_rings(nlh, c->rings);
    if (c->error) {
        return MNL_CB_ERROR;
    }
    c->found = true;
    return MNL_CB_OK;
}

/* Reads the RX and TX ring sizes and maxima of 'ifname'. */
int
ethtool_nl_get_rings(struct nlsock *sock, uint16_t family, const char *ifname,
                     struct ethtool_nl_rings *rings, char **errp)
{
    char buf[NLSOCK_REQSIZE];
    struct ethtool_nl_rings_ctx c = { .rings = rings };
    struct nlmsghdr *nlh;
    char *what;
    int error;

    memset(rings, 0, sizeof *rings);
    error = ethtool_nl_check_name(ifname, errp);
    if (error) {
        return error;
    }
    if (!family) {
        *errp = xasprintf("%s: rings: the kernel has no ethtool netlink "
                          "interface", ifname);
        return EOPNOTSUPP;
    }
    nlh = ethtool_nl_request(buf, family, ETHTOOL_MSG_RINGS_GET,
                             ETHTOOL_A_RINGS_HEADER, ifname);
    what = xasprintf("%s: rings: ethtool", ifname);
    error = nlsock_transact(sock, nlh, ethtool_nl_rings_cb, &c, what, errp);
    if (!error && !c.found) {
        *errp = xasprintf("%s: no reply", what);
        error = EPROTO;
    }
    if (error && c.error) {
        free(*errp);
        *errp = xasprintf("%s: %s", ifname, c.error);
        if (!strcmp(c.error, "ethtool: no rings")) {
            error = EOPNOTSUPP;
        }
    }
    free(c.error);
    free(what);
    return error;
}

/* Several features. */

struct ethtool_nl_bits {
    const char *const *names;
    size_t n;
    bool nomask;
    bool *out;
};

static int
ethtool_nl_bits_cb(const struct nlattr *attr, void *b_)
{
    const struct nlattr *tb[ETHTOOL_A_BITSET_BIT_MAX + 1];
    struct ethtool_nl_bits *b = b_;
    const char *name;

    if (mnl_attr_get_type(attr) != ETHTOOL_A_BITSET_BITS_BIT) {
        return 0;
    }
    if (nlsock_parse_nested(attr, tb, ETHTOOL_A_BITSET_BIT_MAX)
        || !tb[ETHTOOL_A_BITSET_BIT_NAME]
        || !(name = nlsock_attr_str(tb[ETHTOOL_A_BITSET_BIT_NAME],
                                    ETHTOOL_NL_NAME_MAX))) {
        return EPROTO;
    }
    for (size_t i = 0; i < b->n; i++) {
        if (!strcmp(name, b->names[i])) {
            b->out[i] = b->nomask || tb[ETHTOOL_A_BITSET_BIT_VALUE];
        }
    }
    return 0;
}

/* Reads the verbose bitset 'attr' into out[i] for each of 'names'. */
static char *
ethtool_nl_parse_bitset_names(const struct nlattr *attr,
                              const char *const *names, size_t n, bool *out)
{
    const struct nlattr *bs[ETHTOOL_A_BITSET_MAX + 1];
    struct ethtool_nl_bits b = { .names = names, .n = n, .out = out };

    memset(out, 0, n * sizeof *out);
    if (!attr) {
        return xstrdup("ethtool: malformed features message");
    }
    if (nlsock_parse_nested(attr, bs, ETHTOOL_A_BITSET_MAX)) {
        return xstrdup("ethtool: malformed features message");
    }
    if (!bs[ETHTOOL_A_BITSET_BITS]) {
        if (bs[ETHTOOL_A_BITSET_VALUE]) {
            return xstrdup("ethtool: compact feature bitset without names");
        }
        return NULL;
    }
    b.nomask = bs[ETHTOOL_A_BITSET_NOMASK] != NULL;
    if (nlsock_attr_iter(mnl_attr_get_payload(bs[ETHTOOL_A_BITSET_BITS]),
                         mnl_attr_get_payload_len(bs[ETHTOOL_A_BITSET_BITS]),
                         ethtool_nl_bits_cb, &b)) {
        memset(out, 0, n * sizeof *out);
        return xstrdup("ethtool: malformed feature bit");
    }
    return NULL;
}

/* Parses an ETHTOOL_MSG_FEATURES_GET_REPLY: for each of 'names', whether
 * the kernel lists it as changeable ("hw") and as active. */
char *
ethtool_nl_parse_features(const struct nlmsghdr *nlh,
                          const char *const *names, size_t n,
                          bool *changeable, bool *active)
{
    const struct nlattr *tb[ETHTOOL_A_FEATURES_MAX + 1];
    char *error;

    memset(changeable, 0, n * sizeof *changeable);
    memset(active, 0, n * sizeof *active);
    if (nlsock_parse_attrs(nlh, sizeof(struct genlmsghdr), tb,
                           ETHTOOL_A_FEATURES_MAX)) {
        return xstrdup("ethtool: malformed features message");
    }
    error = ethtool_nl_parse_bitset_names(tb[ETHTOOL_A_FEATURES_HW], names,
                                          n, changeable);
    if (!error) {
        error = ethtool_nl_parse_bitset_names(tb[ETHTOOL_A_FEATURES_ACTIVE],
                                              names, n, active);
    }
    if (error) {
        memset(changeable, 0, n * sizeof *changeable);
        memset(active, 0, n * sizeof *active);
    }
    return error;
}

struct ethtool_nl_features_ctx {
    const char *const *names;
    size_t n;
    bool *changeable, *active;
    bool found;
    char *error;
};

static int
ethtool_nl_features_cb(const struct nlmsghdr *nlh, void *f_)
{
    struct ethtool_nl_features_ctx *f = f_;

    f->error = ethtool_nl_parse_features(nlh, f->names, f->n, f->changeable,
                                         f->active);
    f->found = !f->error;
    return f->error ? MNL_CB_ERROR : MNL_CB_OK;
}

int
ethtool_nl_get_features(struct nlsock *sock, uint16_t family,
                        const char *ifname, const char *const *names,
                        size_t n, bool *changeable, bool *active,
                        char **errp)
{
    char buf[NLSOCK_REQSIZE];
    struct ethtool_nl_features_ctx f = {
        .names = names, .n = n, .changeable = changeable, .active = active,
    };
    struct nlmsghdr *nlh;
    char *what;
    int error;

    memset(changeable, 0, n * sizeof *changeable);
    memset(active, 0, n * sizeof *active);
    error = ethtool_nl_check_name(ifname, errp);
    if (error) {
        return error;
    }
    if (!family) {
        *errp = xasprintf("%s: features: the kernel has no ethtool netlink "
                          "interface", ifname);
        return EOPNOTSUPP;
    }
    nlh = ethtool_nl_request(buf, family, ETHTOOL_MSG_FEATURES_GET,
                             ETHTOOL_A_FEATURES_HEADER, ifname);
    what = xasprintf("%s: features: ethtool", ifname);
    error = nlsock_transact(sock, nlh, ethtool_nl_features_cb, &f, what,
                            errp);
    if (!error && !f.found) {
        *errp = xasprintf("%s: no reply", what);
        error = EPROTO;
    }
    if (error && f.error) {
        free(*errp);
        *errp = xasprintf("%s: %s", ifname, f.error);
    }
    free(f.error);
    free(what);
    return error;
}

/* Issue 11 (ctrl): turns feature 'feature' ("hw-tc-offload") of 'ifname'
 * on or off with ETHTOOL_MSG_FEATURES_SET, a verbose bitset that names
 * the one bit it changes. */
int
ethtool_nl_set_feature(struct nlsock *sock, uint16_t family,
                       const char *ifname, const char *feature, bool on,
                       char **errp)
{
    char buf[NLSOCK_REQSIZE];
    struct nlattr *wanted, *bits, *bit;
    struct nlmsghdr *nlh;
    char *what;
    int error;

    error = ethtool_nl_check_name(ifname, errp);
    if (error) {
        return error;
    }
    if (strlen(feature) > ETHTOOL_NL_NAME_MAX) {
        *errp = xasprintf("%s: feature name \"%s\" is too long", ifname,
                          feature);
        return EINVAL;
    }
    if (!family) {
        *errp = xasprintf("%s: features: the kernel has no ethtool netlink "
                          "interface", ifname);
        return EOPNOTSUPP;
    }
    nlh = ethtool_nl_request(buf, family, ETHTOOL_MSG_FEATURES_SET,
                             ETHTOOL_A_FEATURES_HEADER, ifname);
    wanted = mnl_attr_nest_start(nlh, ETHTOOL_A_FEATURES_WANTED);
    bits = mnl_attr_nest_start(nlh, ETHTOOL_A_BITSET_BITS);
    bit = mnl_attr_nest_start(nlh, ETHTOOL_A_BITSET_BITS_BIT);
    mnl_attr_put_strz(nlh, ETHTOOL_A_BITSET_BIT_NAME, feature);
    if (on) {
        mnl_attr_put(nlh, ETHTOOL_A_BITSET_BIT_VALUE, 0, NULL);
    }
    mnl_attr_nest_end(nlh, bit);
    mnl_attr_nest_end(nlh, bits);
    mnl_attr_nest_end(nlh, wanted);
    what = xasprintf("%s: set %s %s: ethtool", ifname, feature,
                     on ? "on" : "off");
    error = nlsock_transact(sock, nlh, NULL, NULL, what, errp);
    free(what);
    return error;
}

int
ethtool_nl_get_feature(struct nlsock *sock, uint16_t family,
                       const char *ifname, const char *feature,
                       bool *activep, char **errp)
{
    bool changeable;

    return ethtool_nl_get_feature_info(sock, family, ifname, feature,
                                       &changeable, activep, errp);
}
