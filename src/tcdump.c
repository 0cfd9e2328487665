/*
 * tcdump: tc filter dump over rtnetlink and its parser.  See tcdump.h.
 *
 * The parser never trusts a length: every netlink message and attribute is
 * checked against the bytes that remain before it is read, scalars are read
 * with memcpy() (recorded buffers need not be aligned), and a message or
 * attribute that overruns its container is an error, not a silent stop.
 */
#include "tcdump.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <libmnl/libmnl.h>
#include <linux/gen_stats.h>
#include <linux/netlink.h>
#include <linux/pkt_cls.h>
#include <linux/pkt_sched.h>
#include <linux/rtnetlink.h>
#include <arpa/inet.h>

#ifndef TCM_IFINDEX_MAGIC_BLOCK
#define TCM_IFINDEX_MAGIC_BLOCK 0xFFFFFFFFU
#endif

/* Attribute types above these are ignored (newer kernels may add some). */
#define TCDUMP_MAX_ATTR 64

static void *
tcdump_xrealloc(void *p, size_t size)
{
    p = realloc(p, size);
    if (!p) {
        abort();
    }
    return p;
}

static int
tcdump_error(char **errorp, int error, const char *format, ...)
{
    if (errorp) {
        va_list args;
        char *s = NULL;

        va_start(args, format);
        if (vasprintf(&s, format, args) < 0) {
            s = NULL;
        }
        va_end(args);
        free(*errorp);
        *errorp = s;
    }
    return error;
}

void
vfy_filters_init(struct vfy_filters *fs)
{
    fs->f = NULL;
    fs->n = fs->allocated = 0;
}

void
vfy_filters_destroy(struct vfy_filters *fs)
{
    if (fs) {
        for (size_t i = 0; i < fs->n; i++) {
            free(fs->f[i].dev);
            free(fs->f[i].actions);
        }
        free(fs->f);
        vfy_filters_init(fs);
    }
}

static struct vfy_filter *
vfy_filters_add(struct vfy_filters *fs)
{
    if (fs->n >= fs->allocated) {
        fs->allocated = fs->allocated ? 2 * fs->allocated : 64;
        fs->f = tcdump_xrealloc(fs->f, fs->allocated * sizeof *fs->f);
    }
    struct vfy_filter *f = &fs->f[fs->n++];
    memset(f, 0, sizeof *f);
    return f;
}

/* Splits the attributes in the 'len' bytes at 'data' into 'tb' (indexed by
 * type, 'max' included; later duplicates win, types above 'max' are
 * skipped).  Fails if an attribute is shorter than its header or overruns
 * 'len'. */
static int
tcdump_attrs(const void *data, size_t len, const struct nlattr **tb, int max,
             const char *where, char **errorp)
{
    const uint8_t *p = data;
    size_t left = len;

    memset(tb, 0, (max + 1) * sizeof *tb);
    while (left > 0) {
        struct nlattr hdr;

        if (left < sizeof hdr) {
            return tcdump_error(errorp, EPROTO, "%s: %zu trailing bytes, too "
                                "short for an attribute", where, left);
        }
        memcpy(&hdr, p, sizeof hdr);
        if (hdr.nla_len < sizeof hdr || hdr.nla_len > left) {
            return tcdump_error(errorp, EPROTO, "%s: attribute type %u has "
                                "length %u but %zu bytes remain", where,
                                hdr.nla_type & NLA_TYPE_MASK, hdr.nla_len,
                                left);
        }
        int type = hdr.nla_type & NLA_TYPE_MASK;
        if (type <= max) {
            tb[type] = (const struct nlattr *) p;
        }
        size_t step = MNL_ALIGN(hdr.nla_len);
        if (step > left) {
            step = left;        /* The last attribute may be unpadded. */
        }
        p += step;
        left -= step;
    }
    return 0;
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
    snprintf(dst, size, "%s", s);
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

static int
tcdump_parse_action(const struct nlattr *nest, struct vfy_action *act,
                    char **errorp)
{
    const struct nlattr *tb[TCA_ACT_MAX + 1];
    int error;

    error = tcdump_attrs(attr_data(nest), attr_len(nest), tb, TCA_ACT_MAX,
                         "action", errorp);
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
        const struct nlattr *st[TCA_STATS_MAX + 1];

        error = tcdump_attrs(attr_data(tb[TCA_ACT_STATS]),
                             attr_len(tb[TCA_ACT_STATS]), st, TCA_STATS_MAX,
                             "TCA_ACT_STATS", errorp);
        if (error) {
            return error;
        }
        if (st[TCA_STATS_BASIC]) {
            error = attr_basic_stats(st[TCA_STATS_BASIC], &act->bytes,
                                     &act->packets, "TCA_STATS_BASIC",
                                     errorp);
            if (error) {
                return error;
            }
            act->has_stats = true;
        }
        if (st[TCA_STATS_BASIC_HW]) {
            error = attr_basic_stats(st[TCA_STATS_BASIC_HW], &act->hw_bytes,
                                     &act->hw_packets, "TCA_STATS_BASIC_HW",
                                     errorp);
            if (error) {
                return error;
            }
            act->has_hw_stats = true;
        }
    }
    return 0;
}

/* Parses TCA_FLOWER_ACT (or another classifier's action list): nested
 * attributes whose types are the action order, 1..TCA_ACT_MAX_PRIO. */
static int
tcdump_parse_actions(const struct nlattr *list, struct vfy_filter *f,
                     char **errorp)
{
    const struct nlattr *tb[TCA_ACT_MAX_PRIO + 1];
    int error;

    error = tcdump_attrs(attr_data(list), attr_len(list), tb,
                         TCA_ACT_MAX_PRIO, "action list", errorp);
    if (error) {
        return error;
    }
    for (int i = 1; i <= TCA_ACT_MAX_PRIO; i++) {
        if (tb[i]) {
            struct vfy_action act;

            memset(&act, 0, sizeof act);
            error = tcdump_parse_action(tb[i], &act, errorp);
            if (error) {
                return error;
            }
            f->actions = tcdump_xrealloc(f->actions, (f->n_actions + 1)
                                                     * sizeof *f->actions);
            f->actions[f->n_actions++] = act;
        }
    }
    return 0;
}

static int
tcdump_parse_flower(const struct nlattr *options, struct vfy_filter *f,
                    char **errorp)
{
    const struct nlattr *tb[TCA_FLOWER_MAX + 1];
    int error;

    error = tcdump_attrs(attr_data(options), attr_len(options), tb,
                         TCA_FLOWER_MAX, "TCA_OPTIONS (flower)", errorp);
    if (error) {
        return error;
    }
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
        error = tcdump_parse_actions(tb[TCA_FLOWER_ACT], f, errorp);
    }
    return error;
}

static int
tcdump_parse_filter(const struct nlmsghdr *nlh, size_t payload,
                    struct vfy_filters *out, char **errorp)
{
    const struct nlattr *tb[TCDUMP_MAX_ATTR + 1];
    struct tcmsg tcm;
    int error;

    if (payload < sizeof tcm) {
        return tcdump_error(errorp, EPROTO, "RTM_NEWTFILTER: %zu byte "
                            "payload is shorter than struct tcmsg", payload);
    }
    memcpy(&tcm, (const uint8_t *) nlh + NLMSG_HDRLEN, sizeof tcm);
    size_t hdr = NLMSG_ALIGN(sizeof tcm);
    if (hdr > payload) {
        hdr = payload;
    }
    error = tcdump_attrs((const uint8_t *) nlh + NLMSG_HDRLEN + hdr,
                         payload - hdr, tb, TCDUMP_MAX_ATTR,
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
    } else {
        f->ifindex = tcm.tcm_ifindex;
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
        error = tcdump_parse_flower(tb[TCA_OPTIONS], f, errorp);
    }
    if (error) {
        /* Drop the half-parsed filter. */
        free(f->actions);
        out->n--;
    }
    return error;
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
                                    strerror(e));
            }
        } else if (nlh.nlmsg_type == RTM_NEWTFILTER) {
            /* Work on an aligned copy, for the header and attributes. */
            int error;
            void *copy = tcdump_xrealloc(NULL, nlh.nlmsg_len);

            memcpy(copy, p, nlh.nlmsg_len);
            error = tcdump_parse_filter(copy, payload, out, errorp);
            free(copy);
            if (error) {
                return error;
            }
        }
        size_t step = NLMSG_ALIGN(nlh.nlmsg_len);
        if (step > left) {
            step = left;
        }
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
tcdump_append_raw(uint8_t **raw, size_t *raw_len, size_t *raw_alloc,
                  const void *data, size_t len)
{
    if (*raw_len + len > *raw_alloc) {
        *raw_alloc = 2 * (*raw_len + len);
        *raw = tcdump_xrealloc(*raw, *raw_alloc);
    }
    memcpy(*raw + *raw_len, data, len);
    *raw_len += len;
}

int
tcdump_dump(uint32_t ifindex, uint32_t block, const char *dev_name,
            struct vfy_filters *out, char **errorp,
            uint8_t **raw, size_t *raw_len, size_t *raw_alloc)
{
    size_t bufsize = MNL_SOCKET_BUFFER_SIZE > 32768
                     ? MNL_SOCKET_BUFFER_SIZE : 32768;
    uint8_t *buf = tcdump_xrealloc(NULL, bufsize);
    struct mnl_socket *nl;
    struct nlmsghdr *nlh;
    struct tcmsg *tcm;
    size_t first = out->n;
    uint32_t seq, portid;
    int error = 0;

    nl = mnl_socket_open(NETLINK_ROUTE);
    if (!nl) {
        free(buf);
        return tcdump_error(errorp, errno, "netlink socket: %s",
                            strerror(errno));
    }
    if (mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
        error = tcdump_error(errorp, errno, "netlink bind: %s",
                             strerror(errno));
        goto out;
    }
    portid = mnl_socket_get_portid(nl);

    nlh = mnl_nlmsg_put_header(buf);
    nlh->nlmsg_type = RTM_GETTFILTER;
    nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
    nlh->nlmsg_seq = seq = time(NULL);
    tcm = mnl_nlmsg_put_extra_header(nlh, sizeof *tcm);
    tcm->tcm_family = AF_UNSPEC;
    if (block) {
        tcm->tcm_ifindex = TCM_IFINDEX_MAGIC_BLOCK;
        tcm->tcm_block_index = block;
    } else {
        tcm->tcm_ifindex = ifindex;
        tcm->tcm_parent = TC_H_MAKE(TC_H_CLSACT, TC_H_MIN_INGRESS);
    }
    /* tcm_info 0: every priority and protocol; no TCA_CHAIN: every chain. */

    if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0) {
        error = tcdump_error(errorp, errno, "netlink send: %s",
                             strerror(errno));
        goto out;
    }

    for (;;) {
        ssize_t n = mnl_socket_recvfrom(nl, buf, bufsize);
        bool done;

        if (n < 0) {
            error = tcdump_error(errorp, errno, "netlink receive: %s",
                                 strerror(errno));
            break;
        }
        if (raw) {
            tcdump_append_raw(raw, raw_len, raw_alloc, buf, n);
        }
        /* Ignore replies that are not ours (another request's leftovers). */
        struct nlmsghdr h;
        if (n >= (ssize_t) sizeof h) {
            memcpy(&h, buf, sizeof h);
            if (h.nlmsg_seq != seq || (h.nlmsg_pid && h.nlmsg_pid != portid)) {
                continue;
            }
        }
        error = tcdump_parse__(buf, n, out, errorp, &done);
        if (error || done || n == 0) {
            break;
        }
    }

    for (size_t i = first; i < out->n; i++) {
        struct vfy_filter *f = &out->f[i];
        char name[32];

        if (f->block) {
            snprintf(name, sizeof name, "block %u", f->block);
            f->dev = strdup(name);
        } else {
            f->dev = strdup(dev_name ? dev_name : "?");
        }
    }

out:
    mnl_socket_close(nl);
    free(buf);
    return error;
}

void
tcdump_cookie_to_ufid(const uint8_t cookie[16], char ufid[VFY_UFID_LEN])
{
    uint32_t w[4];

    memcpy(w, cookie, sizeof w);
    snprintf(ufid, VFY_UFID_LEN, "%08x-%04x-%04x-%04x-%04x%08x",
             w[0], w[1] >> 16, w[1] & 0xffff, w[2] >> 16, w[2] & 0xffff,
             w[3]);
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
