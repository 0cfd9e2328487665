/*
 * tcdump: tc filter dump over rtnetlink and its parser.  See tcdump.h.
 *
 * The parser never trusts a length: every netlink message and attribute is
 * checked against the bytes that remain before it is read, scalars are read
 * with memcpy() (recorded buffers need not be aligned), and a message or
 * attribute that overruns its container is an error, not a silent stop.
 */
#include <config.h>

#include "tcdump.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libmnl/libmnl.h>
#include <linux/gen_stats.h>
#include <linux/netlink.h>
#include <linux/pkt_cls.h>
#include <linux/pkt_sched.h>
#include <linux/rtnetlink.h>
#include <arpa/inet.h>

#include "nlsock.h"
#include "util.h"

#ifndef TCM_IFINDEX_MAGIC_BLOCK
#define TCM_IFINDEX_MAGIC_BLOCK 0xFFFFFFFFU
#endif

static int OVS_PRINTF_FORMAT(3, 4)
tcdump_error(char **errorp, int error, const char *format, ...)
{
    if (errorp) {
        va_list args;

        va_start(args, format);
        free(*errorp);
        *errorp = xvasprintf(format, args);
        va_end(args);
    }
    return error;
}

const char *
vfy_hook_name(enum vfy_hook hook)
{
    switch (hook) {
    case VFY_HOOK_INGRESS: return "ingress";
    case VFY_HOOK_EGRESS: return "egress";
    case VFY_HOOK_BLOCK: return "block";
    case VFY_HOOK_OTHER:
    default: return "other";
    }
}

void
vfy_filters_init(struct vfy_filters *fs)
{
    fs->f = NULL;
    fs->n = fs->allocated = 0;
    fs->n_unknown_attrs = 0;
    fs->names = NULL;
    fs->n_names = 0;
    fs->blocks = NULL;
    fs->n_blocks = 0;
    fs->free_space = NULL;
    fs->n_free = 0;
}

void
vfy_filters_destroy(struct vfy_filters *fs)
{
    if (fs) {
        for (size_t i = 0; i < fs->n; i++) {
            free(fs->f[i].probe_msg);
        }
        free(fs->f);
        for (size_t i = 0; i < fs->n_blocks; i++) {
            free(fs->blocks[i]);
        }
        free(fs->blocks);
        for (size_t i = 0; i < fs->n_names; i++) {
            free(fs->names[i]);
        }
        free(fs->names);
        vfy_filters_init(fs);
    }
}

const char *
vfy_filters_name(struct vfy_filters *fs, const char *name)
{
    if (!name) {
        return NULL;
    }
    /* The names are those of the devices dumped: a few. */
    for (size_t i = fs->n_names; i > 0; i--) {
        if (!strcmp(fs->names[i - 1], name)) {
            return fs->names[i - 1];
        }
    }
    fs->names = xrealloc(fs->names, (fs->n_names + 1) * sizeof *fs->names);
    fs->names[fs->n_names] = xstrdup(name);
    return fs->names[fs->n_names++];
}

/* Returns room for 'n' actions, zeroed, that lives as long as 'fs'. */
static struct vfy_action *
vfy_filters_new_actions(struct vfy_filters *fs, size_t n)
{
    size_t size = n * sizeof(struct vfy_action);

    if (size > fs->n_free) {
        size_t block = MAX(size, 65536);

        fs->blocks = xrealloc(fs->blocks,
                              (fs->n_blocks + 1) * sizeof *fs->blocks);
        fs->free_space = fs->blocks[fs->n_blocks++] = xmalloc(block);
        fs->n_free = block;
    }
    struct vfy_action *actions = (struct vfy_action *) fs->free_space;
    fs->free_space += size;
    fs->n_free -= size;
    memset(actions, 0, size);
    return actions;
}

static struct vfy_filter *
vfy_filters_add(struct vfy_filters *fs)
{
    if (fs->n >= fs->allocated) {
        fs->f = x2nrealloc(fs->f, &fs->allocated, sizeof *fs->f);
    }
    struct vfy_filter *f = &fs->f[fs->n++];
    memset(f, 0, sizeof *f);
    return f;
}

/* Steps over the next attribute of the '*left' bytes at '*p': sets '*a' to
 * it and '*type' to its type, or '*a' to NULL at the end, and returns 0.
 * Fails if the attribute is shorter than its header or overruns
 * '*left'. */
static inline int
tcdump_next_attr(const uint8_t **p, size_t *left, const struct nlattr **a,
                 int *type, const char *where, char **errorp)
{
    struct nlattr hdr;

    *a = NULL;
    *type = 0;
    if (!*left) {
        return 0;
    }
    if (*left < sizeof hdr) {
        return tcdump_error(errorp, EPROTO, "%s: %zu trailing bytes, too "
                            "short for an attribute", where, *left);
    }
    memcpy(&hdr, *p, sizeof hdr);
    if (hdr.nla_len < sizeof hdr || hdr.nla_len > *left) {
        return tcdump_error(errorp, EPROTO, "%s: attribute type %u has "
                            "length %u but %zu bytes remain", where,
                            hdr.nla_type & NLA_TYPE_MASK, hdr.nla_len,
                            *left);
    }
    *a = (const struct nlattr *) *p;
    *type = hdr.nla_type & NLA_TYPE_MASK;

    size_t step = MNL_ALIGN(hdr.nla_len);
    if (step > *left) {
        step = *left;           /* The last attribute may be unpadded. */
    }
    *p += step;
    *left -= step;
    return 0;
}

/* Splits the attributes in the 'len' bytes at 'data' into 'tb' (indexed by
 * type, 'max' included; later duplicates win, types above 'max' are
 * skipped and counted in '*unknown').  Fails if an attribute is shorter
 * than its header or overruns 'len'.  If 'present' is nonnull ('max' below
 * 64), sets bit N of '*present' for each type N found. */
static int
tcdump_attrs__(const void *data, size_t len, const struct nlattr **tb,
               int max, uint64_t *present, size_t *unknown,
               const char *where, char **errorp)
{
    const uint8_t *p = data;
    size_t left = len;
    uint64_t found = 0;

    memset(tb, 0, (max + 1) * sizeof *tb);
    for (;;) {
        const struct nlattr *a;
        int type;
        int error = tcdump_next_attr(&p, &left, &a, &type, where, errorp);

        if (error) {
            return error;
        } else if (!a) {
            break;
        } else if (type <= max) {
            tb[type] = a;
            found |= UINT64_C(1) << (type & 63);
        } else {
            (*unknown)++;
        }
    }
    if (present) {
        *present = found;
    }
    return 0;
}

static int
tcdump_attrs(const void *data, size_t len, const struct nlattr **tb, int max,
             size_t *unknown, const char *where, char **errorp)
{
    return tcdump_attrs__(data, len, tb, max, NULL, unknown, where, errorp);
}

static size_t
attr_len(const struct nlattr *a)
{
    uint16_t len;

    memcpy(&len, &a->nla_len, sizeof len);
    return len - MNL_ATTR_HDRLEN;
}

static const void *
attr_data(const struct nlattr *a)
{
    return (const uint8_t *) a + MNL_ATTR_HDRLEN;
}

static int
attr_u32(const struct nlattr *a, uint32_t *v, const char *name,
         char **errorp)
{
    if (attr_len(a) < sizeof *v) {
        return tcdump_error(errorp, EPROTO, "%s: %zu bytes, expected 4",
                            name, attr_len(a));
    }
    memcpy(v, attr_data(a), sizeof *v);
    return 0;
}

static int
attr_string(const struct nlattr *a, char *dst, size_t size,
            const char *name, char **errorp)
{
    size_t len = attr_len(a);
    const char *s = attr_data(a);
    const char *nul = memchr(s, '\0', len);

    if (!nul) {
        return tcdump_error(errorp, EPROTO, "%s: string is not terminated",
                            name);
    }
    /* As snprintf(dst, size, "%s", s), without the format parsing. */
    size_t n = MIN((size_t) (nul - s), size - 1);
    memcpy(dst, s, n);
    dst[n] = '\0';
    return 0;
}

/* Reads a struct gnet_stats_basic (16 bytes from the kernel; the first 12
 * are meaningful). */
static int
attr_basic_stats(const struct nlattr *a, uint64_t *bytes, uint64_t *packets,
                 const char *name, char **errorp)
{
    uint32_t pkts;

    if (attr_len(a) < sizeof *bytes + sizeof pkts) {
        return tcdump_error(errorp, EPROTO, "%s: %zu bytes, expected at "
                            "least 12", name, attr_len(a));
    }
    memcpy(bytes, attr_data(a), sizeof *bytes);
    memcpy(&pkts, (const uint8_t *) attr_data(a) + sizeof *bytes,
           sizeof pkts);
    *packets = pkts;
    return 0;
}

/* Reads TCA_ACT_STATS in order: the kernel follows TCA_STATS_BASIC (or
 * TCA_STATS_BASIC_HW), whose packet count has 32 bits, by TCA_STATS_PKT64
 * with the full count when it does not fit, so a TCA_STATS_PKT64 belongs to
 * the basic counters just before it. */
static int
tcdump_parse_stats(const struct nlattr *nest, struct vfy_action *act,
                   size_t *unknown, char **errorp)
{
    const uint8_t *p = attr_data(nest);
    size_t left = attr_len(nest);
    uint64_t *last = NULL;
    int error;

    while (left > 0) {
        const struct nlattr *a = (const struct nlattr *) p;
        struct nlattr hdr;

        if (left < sizeof hdr) {
            return tcdump_error(errorp, EPROTO, "TCA_ACT_STATS: %zu trailing "
                                "bytes, too short for an attribute", left);
        }
        memcpy(&hdr, p, sizeof hdr);
        if (hdr.nla_len < sizeof hdr || hdr.nla_len > left) {
            return tcdump_error(errorp, EPROTO, "TCA_ACT_STATS: attribute "
                                "type %u has length %u but %zu bytes remain",
                                hdr.nla_type & NLA_TYPE_MASK, hdr.nla_len,
                                left);
        }
        int type = hdr.nla_type & NLA_TYPE_MASK;
        if (type == TCA_STATS_BASIC) {
            error = attr_basic_stats(a, &act->bytes, &act->packets,
                                     "TCA_STATS_BASIC", errorp);
            act->has_stats = true;
            last = &act->packets;
        } else if (type == TCA_STATS_BASIC_HW) {
            error = attr_basic_stats(a, &act->hw_bytes, &act->hw_packets,
                                     "TCA_STATS_BASIC_HW", errorp);
            act->has_hw_stats = true;
            last = &act->hw_packets;
        } else if (type == TCA_STATS_PKT64) {
            if (attr_len(a) < sizeof(uint64_t)) {
                return tcdump_error(errorp, EPROTO, "TCA_STATS_PKT64: %zu "
                                    "bytes, expected 8", attr_len(a));
            }
            if (last) {
                memcpy(last, attr_data(a), sizeof *last);
            }
        } else if (type > TCA_STATS_MAX) {
            (*unknown)++;
        }
        if (error) {
            return error;
        }
        size_t step = MIN(MNL_ALIGN(hdr.nla_len), left);
        p += step;
        left -= step;
    }
    return 0;
}

static int
tcdump_parse_action(const struct nlattr *nest, struct vfy_action *act,
                    size_t *unknown, char **errorp)
{
    const struct nlattr *tb[TCA_ACT_MAX + 1];
    int error;

    error = tcdump_attrs(attr_data(nest), attr_len(nest), tb, TCA_ACT_MAX,
                         unknown, "action", errorp);
    if (error) {
        return error;
    }
    if (!tb[TCA_ACT_KIND]) {
        return tcdump_error(errorp, EPROTO, "action without TCA_ACT_KIND");
    }
    error = attr_string(tb[TCA_ACT_KIND], act->kind, sizeof act->kind,
                        "TCA_ACT_KIND", errorp);
    if (error) {
        return error;
    }
    if (tb[TCA_ACT_COOKIE]) {
        size_t len = attr_len(tb[TCA_ACT_COOKIE]);

        if (len > sizeof act->cookie) {
            return tcdump_error(errorp, EPROTO, "TCA_ACT_COOKIE: %zu bytes, "
                                "at most %zu allowed", len,
                                sizeof act->cookie);
        }
        memcpy(act->cookie, attr_data(tb[TCA_ACT_COOKIE]), len);
        act->cookie_len = len;
    }
    if (tb[TCA_ACT_STATS]) {
        error = tcdump_parse_stats(tb[TCA_ACT_STATS], act, unknown, errorp);
    }
    return error;
}

/* Parses TCA_FLOWER_ACT (or another classifier's action list): nested
 * attributes whose types are the action order, 1..TCA_ACT_MAX_PRIO. */
static int
tcdump_parse_actions(const struct nlattr *list, struct vfy_filters *fs,
                     struct vfy_filter *f, size_t *unknown, char **errorp)
{
    const struct nlattr *tb[TCA_ACT_MAX_PRIO + 1];
    uint64_t present;
    int error;

    BUILD_ASSERT_DECL(TCA_ACT_MAX_PRIO < 64);
    error = tcdump_attrs__(attr_data(list), attr_len(list), tb,
                           TCA_ACT_MAX_PRIO, &present, unknown,
                           "action list", errorp);
    if (error) {
        return error;
    }
    present &= ~UINT64_C(1);    /* Type 0 is no action. */
    if (!present) {
        return 0;
    }
    /* The actions in order of their types (bits of 'present'). */
    f->actions = vfy_filters_new_actions(fs, count_1bits(present));
    for (; present; present = zero_rightmost_1bit(present)) {
        int i = raw_ctz(present);

        error = tcdump_parse_action(tb[i], &f->actions[f->n_actions],
                                    unknown, errorp);
        if (error) {
            return error;
        }
        f->n_actions++;
    }
    return 0;
}

static int
tcdump_parse_flower(const struct nlattr *options, struct vfy_filters *fs,
                    struct vfy_filter *f, size_t *unknown, char **errorp)
{
    /* Only three of flower's many attributes matter here: no table of
     * all of them (as tcdump_attrs() would make), the same checks. */
    const struct nlattr *tb[TCA_FLOWER_MAX + 1];
    const uint8_t *p = attr_data(options);
    size_t left = attr_len(options);

    tb[TCA_FLOWER_FLAGS] = tb[TCA_FLOWER_IN_HW_COUNT] = NULL;
    tb[TCA_FLOWER_ACT] = NULL;
    for (;;) {
        const struct nlattr *a;
        int type;
        int error = tcdump_next_attr(&p, &left, &a, &type,
                                     "TCA_OPTIONS (flower)", errorp);

        if (error) {
            return error;
        } else if (!a) {
            break;
        } else if (type == TCA_FLOWER_FLAGS || type == TCA_FLOWER_ACT
                   || type == TCA_FLOWER_IN_HW_COUNT) {
            tb[type] = a;       /* Later duplicates win. */
        } else if (type > TCA_FLOWER_MAX) {
            (*unknown)++;
        }
    }

    int error = 0;
    if (tb[TCA_FLOWER_FLAGS]) {
        error = attr_u32(tb[TCA_FLOWER_FLAGS], &f->flags, "TCA_FLOWER_FLAGS",
                         errorp);
        if (error) {
            return error;
        }
        f->has_flags = true;
    }
    if (tb[TCA_FLOWER_IN_HW_COUNT]) {
        error = attr_u32(tb[TCA_FLOWER_IN_HW_COUNT], &f->in_hw_count,
                         "TCA_FLOWER_IN_HW_COUNT", errorp);
        if (error) {
            return error;
        }
        f->has_in_hw_count = true;
    }
    if (tb[TCA_FLOWER_ACT]) {
        error = tcdump_parse_actions(tb[TCA_FLOWER_ACT], fs, f, unknown,
                                     errorp);
    }
    return error;
}

static int
tcdump_parse_filter(const struct nlmsghdr *nlh, size_t payload,
                    struct vfy_filters *out, char **errorp)
{
    const struct nlattr *tb[TCA_MAX + 1];
    size_t unknown = 0;
    struct tcmsg tcm;
    int error;

    if (payload < sizeof tcm) {
        return tcdump_error(errorp, EPROTO, "RTM_NEWTFILTER: %zu byte "
                            "payload is shorter than struct tcmsg", payload);
    }
    memcpy(&tcm, (const uint8_t *) nlh + NLMSG_HDRLEN, sizeof tcm);
    size_t hdr = MIN(NLMSG_ALIGN(sizeof tcm), payload);
    error = tcdump_attrs((const uint8_t *) nlh + NLMSG_HDRLEN + hdr,
                         payload - hdr, tb, TCA_MAX, &unknown,
                         "RTM_NEWTFILTER", errorp);
    if (error) {
        return error;
    }

    /* For each priority, a dump first describes the classifier instance
     * itself (iproute2's "filter protocol ip pref 2 flower chain 0" line):
     * no handle and no options.  It is not a filter. */
    if (!tcm.tcm_handle && !tb[TCA_OPTIONS]) {
        return 0;
    }

    struct vfy_filter *f = vfy_filters_add(out);
    if (tcm.tcm_ifindex == (int) TCM_IFINDEX_MAGIC_BLOCK) {
        f->block = tcm.tcm_block_index;
        f->hook = VFY_HOOK_BLOCK;
    } else {
        f->ifindex = tcm.tcm_ifindex;
        f->hook = (tcm.tcm_parent == TC_H_MAKE(TC_H_CLSACT, TC_H_MIN_EGRESS)
                   ? VFY_HOOK_EGRESS
                   : TC_H_MAJ(tcm.tcm_parent) == TC_H_MAJ(TC_H_CLSACT)
                   ? VFY_HOOK_INGRESS
                   : VFY_HOOK_OTHER);
    }
    f->parent = tcm.tcm_parent;
    f->handle = tcm.tcm_handle;
    f->prio = TC_H_MAJ(tcm.tcm_info) >> 16;
    f->protocol = ntohs(TC_H_MIN(tcm.tcm_info));

    if (tb[TCA_KIND]) {
        error = attr_string(tb[TCA_KIND], f->kind, sizeof f->kind,
                            "TCA_KIND", errorp);
    }
    if (!error && tb[TCA_CHAIN]) {
        error = attr_u32(tb[TCA_CHAIN], &f->chain, "TCA_CHAIN", errorp);
    }
    if (!error && tb[TCA_OPTIONS] && !strcmp(f->kind, "flower")) {
        error = tcdump_parse_flower(tb[TCA_OPTIONS], out, f, &unknown,
                                    errorp);
    }
    if (error) {
        /* Drop the half-parsed filter (its actions stay unused in the
         * array's blocks). */
        out->n--;
        return error;
    }
    for (size_t i = 0; i < f->n_actions; i++) {
        if (f->actions[i].cookie_len == 16) {
            uint32_t w[4];

            /* The text shows the words in order, each in full. */
            memcpy(w, f->actions[i].cookie, sizeof w);
            tcdump_cookie_to_ufid(f->actions[i].cookie, f->ufid);
            f->ufid_bits[0] = (uint64_t) w[0] << 32 | w[1];
            f->ufid_bits[1] = (uint64_t) w[2] << 32 | w[3];
            break;
        }
    }
    out->n_unknown_attrs += unknown;
    return 0;
}

int
tcdump_parse_msg(const struct nlmsghdr *nlh, struct vfy_filters *out,
                 char **errorp)
{
    return tcdump_parse_filter(nlh, nlh->nlmsg_len - NLMSG_HDRLEN, out,
                               errorp);
}

/* Parses netlink messages; sets '*done' on NLMSG_DONE. */
static int
tcdump_parse__(const void *buf, size_t len, struct vfy_filters *out,
               char **errorp, bool *done)
{
    const uint8_t *p = buf;
    size_t left = len;

    *done = false;
    if (!buf && len) {
        return tcdump_error(errorp, EINVAL, "null buffer");
    }
    while (left > 0) {
        struct nlmsghdr nlh;

        if (left < sizeof nlh) {
            return tcdump_error(errorp, EPROTO, "%zu trailing bytes, too "
                                "short for a netlink message header", left);
        }
        memcpy(&nlh, p, sizeof nlh);
        if (nlh.nlmsg_len < sizeof nlh || nlh.nlmsg_len > left) {
            return tcdump_error(errorp, EPROTO, "netlink message type %u "
                                "has length %u but %zu bytes remain",
                                nlh.nlmsg_type, nlh.nlmsg_len, left);
        }
        size_t payload = nlh.nlmsg_len - NLMSG_HDRLEN;

        if (nlh.nlmsg_type == NLMSG_DONE) {
            *done = true;
            return 0;
        } else if (nlh.nlmsg_type == NLMSG_ERROR) {
            struct nlmsgerr err;

            if (payload < sizeof err.error) {
                return tcdump_error(errorp, EPROTO, "truncated NLMSG_ERROR");
            }
            memcpy(&err.error, p + NLMSG_HDRLEN, sizeof err.error);
            if (err.error) {
                int e = err.error < 0 ? -err.error : err.error;
                return tcdump_error(errorp, e, "kernel replied: %s",
                                    ovs_strerror(e));
            }
        } else if (nlh.nlmsg_type == RTM_NEWTFILTER) {
            /* Work on an aligned copy, for the header and attributes, if
             * the buffer is not aligned. */
            bool aligned = !((uintptr_t) p % NLMSG_ALIGNTO);
            void *copy = aligned ? NULL : xmemdup(p, nlh.nlmsg_len);
            int error = tcdump_parse_filter(aligned ? (const void *) p : copy,
                                            payload, out, errorp);
            free(copy);
            if (error) {
                return error;
            }
        }
        size_t step = MIN(NLMSG_ALIGN(nlh.nlmsg_len), left);
        p += step;
        left -= step;
    }
    return 0;
}

int
tcdump_parse(const void *buf, size_t len, struct vfy_filters *out,
             char **errorp)
{
    bool done;

    return tcdump_parse__(buf, len, out, errorp, &done);
}

static void
tcdump_append_raw(struct tcdump_raw *raw, const void *data, size_t len)
{
    if (raw->len + len > raw->allocated) {
        raw->allocated = 2 * (raw->len + len);
        raw->data = xrealloc(raw->data, raw->allocated);
    }
    memcpy(raw->data + raw->len, data, len);
    raw->len += len;
}

struct tcdump_aux {
    struct vfy_filters *out;
    struct tcdump_raw *raw;
    char *error;
    int errno_;
};

static int
tcdump_filter_cb(const struct nlmsghdr *nlh, void *aux_)
{
    struct tcdump_aux *aux = aux_;

    if (aux->raw) {
        tcdump_append_raw(aux->raw, nlh, NLMSG_ALIGN(nlh->nlmsg_len));
    }
    if (nlh->nlmsg_type != RTM_NEWTFILTER) {
        return MNL_CB_OK;
    }
    aux->errno_ = tcdump_parse_msg(nlh, aux->out, &aux->error);
    return aux->errno_ ? MNL_CB_ERROR : MNL_CB_OK;
}

int
tcdump_dump(struct nlsock *sock, uint32_t ifindex, uint32_t block,
            bool egress, const char *dev_name, struct vfy_filters *out,
            struct tcdump_raw *raw, char **errorp)
{
    uint8_t buf[NLSOCK_REQSIZE];
    struct nlmsghdr *nlh = nlsock_start(buf, RTM_GETTFILTER, NLM_F_DUMP);
    struct tcmsg *tcm = mnl_nlmsg_put_extra_header(nlh, sizeof *tcm);
    struct tcdump_aux aux = { .out = out, .raw = raw };
    size_t first = out->n;
    char *what;
    int error;

    tcm->tcm_family = AF_UNSPEC;
    if (block) {
        tcm->tcm_ifindex = TCM_IFINDEX_MAGIC_BLOCK;
        tcm->tcm_block_index = block;
        what = xasprintf("tc filter dump of block %"PRIu32, block);
    } else {
        tcm->tcm_ifindex = ifindex;
        tcm->tcm_parent = TC_H_MAKE(TC_H_CLSACT, egress ? TC_H_MIN_EGRESS
                                                         : TC_H_MIN_INGRESS);
        what = xasprintf("tc filter dump of %s %s", dev_name,
                         egress ? "egress" : "ingress");
    }
    /* tcm_info 0: every priority and protocol; no TCA_CHAIN: every chain. */
    error = nlsock_transact_dump(sock, nlh, tcdump_filter_cb, &aux, what,
                                 errorp);
    if (error && aux.error) {
        free(*errorp);
        *errorp = xasprintf("%s: %s", what, aux.error);
        error = aux.errno_;
    }
    free(aux.error);
    free(what);

    const char *name = vfy_filters_name(out, dev_name ? dev_name : "?");
    for (size_t i = first; i < out->n; i++) {
        struct vfy_filter *f = &out->f[i];

        if (f->block) {
            char block_name[32];

            snprintf(block_name, sizeof block_name, "block %"PRIu32,
                     f->block);
            f->dev = vfy_filters_name(out, block_name);
        } else {
            f->dev = name;
        }
    }
    return error;
}

int
tcdump_parse_qdisc(const struct nlmsghdr *nlh, struct tcdump_qdisc *q)
{
    const struct nlattr *tb[TCA_MAX + 1];
    size_t unknown = 0;
    char *error = NULL;
    struct tcmsg tcm;
    char kind[16];

    memset(q, 0, sizeof *q);
    if (nlh->nlmsg_type != RTM_NEWQDISC) {
        return 0;
    }
    if (nlh->nlmsg_len < NLMSG_HDRLEN + sizeof tcm) {
        return -1;
    }
    memcpy(&tcm, mnl_nlmsg_get_payload(nlh), sizeof tcm);
    size_t payload = nlh->nlmsg_len - NLMSG_HDRLEN;
    size_t hdr = MIN(NLMSG_ALIGN(sizeof tcm), payload);
    if (tcdump_attrs((const uint8_t *) nlh + NLMSG_HDRLEN + hdr,
                     payload - hdr, tb, TCA_MAX, &unknown, "RTM_NEWQDISC",
                     &error)) {
        free(error);
        return -1;
    }
    if (!tb[TCA_KIND]
        || attr_string(tb[TCA_KIND], kind, sizeof kind, "TCA_KIND",
                       &error)) {
        free(error);
        return tb[TCA_KIND] ? -1 : 0;
    }
    if (strcmp(kind, "clsact") && strcmp(kind, "ingress")) {
        return 0;
    }
    q->ifindex = tcm.tcm_ifindex;
    q->clsact = !strcmp(kind, "clsact");
    if (tb[TCA_INGRESS_BLOCK]
        && attr_u32(tb[TCA_INGRESS_BLOCK], &q->ingress_block,
                    "TCA_INGRESS_BLOCK", &error)) {
        free(error);
        return -1;
    }
    if (tb[TCA_EGRESS_BLOCK]
        && attr_u32(tb[TCA_EGRESS_BLOCK], &q->egress_block,
                    "TCA_EGRESS_BLOCK", &error)) {
        free(error);
        return -1;
    }
    return 1;
}

struct tcdump_qdisc_aux {
    void (*cb)(const struct tcdump_qdisc *, void *aux);
    void *aux;
};

static int
tcdump_qdisc_cb(const struct nlmsghdr *nlh, void *aux_)
{
    struct tcdump_qdisc_aux *aux = aux_;
    struct tcdump_qdisc q;
    int retval = tcdump_parse_qdisc(nlh, &q);

    if (retval > 0) {
        aux->cb(&q, aux->aux);
    }
    return retval < 0 ? MNL_CB_ERROR : MNL_CB_OK;
}

int
tcdump_dump_qdiscs(struct nlsock *sock,
                   void (*cb)(const struct tcdump_qdisc *, void *aux),
                   void *aux, char **errorp)
{
    uint8_t buf[NLSOCK_REQSIZE];
    struct nlmsghdr *nlh = nlsock_start(buf, RTM_GETQDISC, NLM_F_DUMP);
    struct tcmsg *tcm = mnl_nlmsg_put_extra_header(nlh, sizeof *tcm);
    struct tcdump_qdisc_aux qa = { cb, aux };

    tcm->tcm_family = AF_UNSPEC;
    return nlsock_transact(sock, nlh, tcdump_qdisc_cb, &qa,
                           "tc qdisc dump", errorp);
}

/* Writes the 2 * 'n' hex digits of the 'n' low bytes of 'v' at 'dst'. */
static inline void
tcdump_put_hex(char *dst, uint32_t v, int n)
{
    for (int i = 0; i < n; i++) {
        memcpy(dst + 2 * i, &nlsock_hex_pairs[2 * ((v >> (8 * (n - 1 - i)))
                                                   & 0xff)], 2);
    }
}

void
tcdump_cookie_to_ufid(const uint8_t cookie[16], char ufid[VFY_UFID_LEN])
{
    /* As snprintf("%08x-%04x-%04x-%04x-%04x%08x") of the four host-order
     * words (OVS's ufid text), without snprintf(): it is on the path of
     * every filter of a dump. */
    uint32_t w[4];

    memcpy(w, cookie, sizeof w);
    tcdump_put_hex(ufid, w[0], 4);
    ufid[8] = '-';
    tcdump_put_hex(ufid + 9, w[1] >> 16, 2);
    ufid[13] = '-';
    tcdump_put_hex(ufid + 14, w[1], 2);
    ufid[18] = '-';
    tcdump_put_hex(ufid + 19, w[2] >> 16, 2);
    ufid[23] = '-';
    tcdump_put_hex(ufid + 24, w[2], 2);
    tcdump_put_hex(ufid + 28, w[3], 4);
    ufid[36] = '\0';
}

bool
tcdump_filter_ufid(const struct vfy_filter *f, char ufid[VFY_UFID_LEN])
{
    for (size_t i = 0; i < f->n_actions; i++) {
        if (f->actions[i].cookie_len == 16) {
            tcdump_cookie_to_ufid(f->actions[i].cookie, ufid);
            return true;
        }
    }
    ufid[0] = '\0';
    return false;
}

void
tcdump_filter_stats(const struct vfy_filter *f,
                    uint64_t *hw_packets, uint64_t *hw_bytes,
                    uint64_t *sw_packets, uint64_t *sw_bytes)
{
    *hw_packets = *hw_bytes = *sw_packets = *sw_bytes = 0;
    for (size_t i = 0; i < f->n_actions; i++) {
        const struct vfy_action *a = &f->actions[i];

        if (a->has_stats) {
            uint64_t hp = a->has_hw_stats ? a->hw_packets : 0;
            uint64_t hb = a->has_hw_stats ? a->hw_bytes : 0;

            /* The basic counters are the total; the hardware ones are the
             * part of it that hardware reported. */
            *hw_packets = hp;
            *hw_bytes = hb;
            *sw_packets = a->packets > hp ? a->packets - hp : 0;
            *sw_bytes = a->bytes > hb ? a->bytes - hb : 0;
            return;
        }
    }
}

/* Probing: the same filter again, hardware only. */

struct tcdump_get_aux {
    uint8_t *msg;               /* Copy of the RTM_NEWTFILTER reply. */
    size_t len;
};

static int
tcdump_get_cb(const struct nlmsghdr *nlh, void *aux_)
{
    struct tcdump_get_aux *aux = aux_;

    if (nlh->nlmsg_type == RTM_NEWTFILTER && !aux->msg) {
        aux->msg = xmemdup(nlh, nlh->nlmsg_len);
        aux->len = nlh->nlmsg_len;
    }
    return MNL_CB_OK;
}

/* Fills the tcmsg of a request about filter 'f'. */
static struct tcmsg *
tcdump_put_tcmsg(struct nlmsghdr *nlh, const struct vfy_filter *f,
                 uint32_t prio, uint32_t handle)
{
    struct tcmsg *tcm = mnl_nlmsg_put_extra_header(nlh, sizeof *tcm);

    tcm->tcm_family = AF_UNSPEC;
    if (f->block) {
        tcm->tcm_ifindex = TCM_IFINDEX_MAGIC_BLOCK;
        tcm->tcm_block_index = f->block;
    } else {
        tcm->tcm_ifindex = f->ifindex;
        tcm->tcm_parent = f->parent;
    }
    tcm->tcm_handle = handle;
    tcm->tcm_info = TC_H_MAKE(prio << 16, htons(f->protocol));
    return tcm;
}

/* Copies the attributes of the action nest 'act' that describe the action
 * (not its statistics) into 'nlh'. */
static void
tcdump_copy_action(struct nlmsghdr *nlh, const struct nlattr *act)
{
    const struct nlattr *a;
    struct nlattr *nest = mnl_attr_nest_start(nlh, mnl_attr_get_type(act));

    mnl_attr_for_each_nested (a, act) {
        switch (mnl_attr_get_type(a)) {
        case TCA_ACT_KIND:
        case TCA_ACT_OPTIONS:
        case TCA_ACT_COOKIE:
        case TCA_ACT_FLAGS:
        case TCA_ACT_HW_STATS:
            mnl_attr_put(nlh, mnl_attr_get_type(a),
                         mnl_attr_get_payload_len(a),
                         mnl_attr_get_payload(a));
            break;
        default:
            break;
        }
    }
    mnl_attr_nest_end(nlh, nest);
}

/* Builds in 'buf' (NLSOCK_BUFSIZE bytes) an RTM_NEWTFILTER request that adds
 * the flower filter in the RTM_NEWTFILTER message 'msg' again at 'chain' and
 * 'prio', with skip_sw.  Returns NULL if 'msg' is not a flower filter this
 * can copy. */
struct nlmsghdr *
tcdump_probe_request(void *buf, const struct nlmsghdr *msg,
                     const struct vfy_filter *f, uint32_t chain,
                     uint32_t prio)
{
    const struct nlattr *tb[TCA_MAX + 1];
    size_t unknown = 0;
    char *error = NULL;
    size_t hdr = NLMSG_ALIGN(sizeof(struct tcmsg));

    if (msg->nlmsg_len < NLMSG_HDRLEN + hdr
        || tcdump_attrs((const uint8_t *) msg + NLMSG_HDRLEN + hdr,
                        msg->nlmsg_len - NLMSG_HDRLEN - hdr, tb, TCA_MAX,
                        &unknown, "RTM_NEWTFILTER", &error)
        || !tb[TCA_OPTIONS] || strcmp(f->kind, "flower")) {
        free(error);
        return NULL;
    }
    memset(buf, 0, NLSOCK_BUFSIZE);
    struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
    nlh->nlmsg_type = RTM_NEWTFILTER;
    nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_CREATE | NLM_F_EXCL;
    tcdump_put_tcmsg(nlh, f, prio, 0);
    mnl_attr_put_strz(nlh, TCA_KIND, "flower");
    mnl_attr_put_u32(nlh, TCA_CHAIN, chain);

    struct nlattr *opts = mnl_attr_nest_start(nlh, TCA_OPTIONS);
    const struct nlattr *a;
    mnl_attr_for_each_nested (a, tb[TCA_OPTIONS]) {
        int type = mnl_attr_get_type(a);

        if (type == TCA_FLOWER_FLAGS || type == TCA_FLOWER_IN_HW_COUNT) {
            continue;
        } else if (type == TCA_FLOWER_ACT) {
            const struct nlattr *act;
            struct nlattr *acts = mnl_attr_nest_start(nlh, TCA_FLOWER_ACT);

            mnl_attr_for_each_nested (act, a) {
                tcdump_copy_action(nlh, act);
            }
            mnl_attr_nest_end(nlh, acts);
        } else {
            mnl_attr_put(nlh, type, mnl_attr_get_payload_len(a),
                         mnl_attr_get_payload(a));
        }
    }
    mnl_attr_put_u32(nlh, TCA_FLOWER_FLAGS, TCA_CLS_FLAGS_SKIP_SW);
    mnl_attr_nest_end(nlh, opts);
    return nlh;
}

/* Returns the kernel's extended-ack text out of 'errmsg', which nlsock
 * formatted as "WHAT: TEXT (STRERROR)", or NULL if it has none. */
static char *
tcdump_extack(const char *what, int error, const char *errmsg)
{
    size_t wlen = strlen(what);
    const char *text = errmsg;
    char *suffix = xasprintf(" (%s)", ovs_strerror(error));
    size_t slen = strlen(suffix);
    char *ext = NULL;

    if (!strncmp(text, what, wlen) && !strncmp(text + wlen, ": ", 2)) {
        text += wlen + 2;
    }
    size_t len = strlen(text);
    if (len > slen && !strcmp(text + len - slen, suffix)) {
        ext = xmemdup0(text, len - slen);
    }
    free(suffix);
    return ext;
}

static void
tcdump_probe_delete(struct nlsock *sock, const struct vfy_filter *f,
                    uint32_t chain, uint32_t prio)
{
    uint8_t buf[NLSOCK_REQSIZE];
    struct nlmsghdr *nlh = nlsock_start(buf, RTM_DELTFILTER, 0);
    char *err = NULL;

    tcdump_put_tcmsg(nlh, f, prio, 0);
    mnl_attr_put_strz(nlh, TCA_KIND, "flower");
    mnl_attr_put_u32(nlh, TCA_CHAIN, chain);
    /* ENOENT: the kernel did not keep an empty classifier. */
    nlsock_transact(sock, nlh, NULL, NULL, "tc probe delete", &err);
    free(err);
}

int
tcdump_probe(struct nlsock *sock, struct vfy_filter *f, uint32_t chain,
             uint32_t prio, char **errorp)
{
    uint8_t req[NLSOCK_REQSIZE];
    struct nlmsghdr *nlh = nlsock_start(req, RTM_GETTFILTER, 0);
    struct tcdump_get_aux aux = { NULL, 0 };
    const char *what = "tc probe";
    char *err = NULL;
    int error;

    /* The filter's full message (keys, masks, actions), as the kernel has
     * it now. */
    tcdump_put_tcmsg(nlh, f, f->prio, f->handle);
    mnl_attr_put_strz(nlh, TCA_KIND, f->kind);
    mnl_attr_put_u32(nlh, TCA_CHAIN, f->chain);
    error = nlsock_transact(sock, nlh, tcdump_get_cb, &aux, "tc get filter",
                            errorp);
    if (error) {
        free(aux.msg);
        return error;
    }
    if (!aux.msg) {
        *errorp = xstrdup("tc get filter: no filter in the reply");
        return ENOENT;
    }

    uint8_t *buf = xmalloc(NLSOCK_BUFSIZE);
    struct nlmsghdr *probe = tcdump_probe_request(buf, (void *) aux.msg, f,
                                                  chain, prio);
    free(aux.msg);
    if (!probe) {
        free(buf);
        *errorp = xasprintf("tc probe: %s filters are not probed", f->kind);
        return EOPNOTSUPP;
    }
    error = nlsock_transact(sock, probe, NULL, NULL, what, &err);
    free(buf);
    f->probed = true;
    f->probe_error = error;
    free(f->probe_msg);
    f->probe_msg = error ? tcdump_extack(what, error, err) : NULL;
    free(err);
    /* Whether hardware took it or not, nothing of the probe stays. */
    tcdump_probe_delete(sock, f, chain, prio);
    return 0;
}
