/*
 * test-verify: drives the verification modules on files, for the test
 * suite and the benchmark.
 *
 *   test-verify parse FILE...          tc dump(s) -> one line per filter
 *   test-verify flows FILE             dump-flows -m text -> fields
 *   test-verify ufid HEX               tc cookie -> ufid, as OVS prints it
 *   test-verify report [--json [--compact]] [--lanes=N] FLOWS EVIDENCE
 *                      [TC...] [--prev TC...]
 *                                      the report; exits with its status
 *   test-verify synth FILE [later]     writes synthetic filters (in_hw,
 *                                      bond block in_hw_count=2, hw stats)
 *   test-verify gen N TCFILE FLOWSFILE N flower filters with OVS cookies,
 *                                      and the matching dump-flows text
 *   test-verify truncate IN OUT N      first N bytes of IN into OUT
 *   test-verify catalogue [TEXT]       the extack catalogue, or one lookup
 *   test-verify probe-request FILE CHAIN PRIO
 *                                      the probe request for each filter of
 *                                      a recorded dump, as a summary
 *   test-verify synth-hooks FILE       egress, block, chain 7 and a 64-bit
 *                                      counter, plus an unknown attribute
 *   test-verify json-plain             checks the JSON renderer's test for
 *                                      strings that need no escaping
 *   test-verify dump-links [N]         dumps this host's links N times (10)
 *                                      through nlsock_transact() and through
 *                                      nlsock_transact_dump() (a receiver
 *                                      thread), alternately; prints whether
 *                                      every dump saw the same links
 */
#include <config.h>

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <libmnl/libmnl.h>
#include <linux/gen_stats.h>
#include <linux/pkt_cls.h>
#include <linux/pkt_sched.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>

#include "dpflows.h"
#include "openvswitch/dynamic-string.h"
#include "nlsock.h"
#include "tcdump.h"
#include "util.h"
#include "verify.h"
#include "verify-catalogue.h"

static void *
read_file(const char *name, size_t *len)
{
    FILE *f = fopen(name, "rb");
    size_t alloc = 65536;
    char *buf = xmalloc(alloc + 1);

    if (!f) {
        fprintf(stderr, "%s: %s\n", name, ovs_strerror(errno));
        exit(2);
    }
    *len = 0;
    for (;;) {
        size_t n = fread(buf + *len, 1, alloc - *len, f);
        *len += n;
        if (*len < alloc) {
            break;
        }
        alloc *= 2;
        buf = xrealloc(buf, alloc + 1);
    }
    fclose(f);
    *(buf + *len) = '\0';
    return buf;
}

static void
print_filter(const struct vfy_filter *f)
{
    printf("dev=%s ifindex=%"PRIu32" block=%"PRIu32" hook=%s chain=%"PRIu32
           " prio=%"PRIu32" handle=0x%"PRIx32" proto=0x%04x kind=%s flags=",
           f->dev ? f->dev : "-", f->ifindex, f->block,
           vfy_hook_name(f->hook), f->chain, f->prio, f->handle, f->protocol,
           f->kind);
    if (f->has_flags) {
        printf("0x%"PRIx32, f->flags);
    } else {
        printf("-");
    }
    if (f->has_in_hw_count) {
        printf(" in_hw_count=%"PRIu32, f->in_hw_count);
    }
    for (size_t i = 0; i < f->n_actions; i++) {
        const struct vfy_action *a = &f->actions[i];
        printf(" act%zu=%s", i + 1, a->kind);
        if (a->cookie_len) {
            printf(",cookie=");
            for (size_t j = 0; j < a->cookie_len; j++) {
                printf("%02x", a->cookie[j]);
            }
        }
        if (a->has_stats) {
            printf(",pkts=%"PRIu64",bytes=%"PRIu64, a->packets, a->bytes);
        }
        if (a->has_hw_stats) {
            printf(",hw_pkts=%"PRIu64",hw_bytes=%"PRIu64, a->hw_packets,
                   a->hw_bytes);
        }
    }
    char ufid[VFY_UFID_LEN];
    if (tcdump_filter_ufid(f, ufid)) {
        printf(" ufid=%s", ufid);
    }
    putchar('\n');
}

/* Parses tc dump files into 'fs'; file name "NAME@DEV" names the filters'
 * device DEV (recorded dumps carry only ifindexes). */
static int
parse_files(int n, char *names[], struct vfy_filters *fs, bool quiet)
{
    for (int i = 0; i < n; i++) {
        char *name = xstrdup(names[i]);
        char *at = strrchr(name, '@');
        const char *dev = NULL;
        size_t len, first = fs->n;
        char *error = NULL;

        if (at) {
            *at = '\0';
            dev = at + 1;
        }
        void *buf = read_file(name, &len);
        int retval = tcdump_parse(buf, len, fs, &error);
        free(buf);
        const char *dev_name = vfy_filters_name(fs, dev ? dev : "-");
        for (size_t j = first; j < fs->n; j++) {
            struct vfy_filter *f = &fs->f[j];

            if (f->block) {
                char *block_name = xasprintf("block %"PRIu32, f->block);
                f->dev = vfy_filters_name(fs, block_name);
                free(block_name);
            } else {
                f->dev = dev_name;
            }
        }
        if (retval) {
            printf("error: %s: %s (%s)\n", names[i], error,
                   ovs_strerror(retval));
            free(error);
            free(name);
            return retval;
        }
        free(name);
    }
    (void) quiet;
    return 0;
}

static int
cmd_parse(int argc, char *argv[])
{
    struct vfy_filters fs;

    vfy_filters_init(&fs);
    int retval = parse_files(argc, argv, &fs, false);
    for (size_t i = 0; i < fs.n; i++) {
        print_filter(&fs.f[i]);
    }
    if (fs.n_unknown_attrs) {
        printf("skipped %zu unknown attributes\n", fs.n_unknown_attrs);
    }
    vfy_filters_destroy(&fs);
    return retval ? 1 : 0;
}

static int
cmd_flows(int argc, char *argv[])
{
    struct vfy_flows fl;
    char *error = NULL;
    size_t len;

    if (argc != 1) {
        return 2;
    }
    vfy_flows_init(&fl);
    char *text = read_file(argv[0], &len);
    int retval = dpflows_parse(text, "dp", &fl, &error);
    for (size_t i = 0; i < fl.n; i++) {
        const struct vfy_flow *f = &fl.f[i];
        printf("ufid=%s in_port=%s packets=%"PRIu64" bytes=%"PRIu64
               " dp=%s offloaded=%s actions=%s\n",
               f->ufid[0] ? f->ufid : "-", f->in_port ? f->in_port : "-",
               f->packets, f->bytes, f->dp[0] ? f->dp : "-",
               f->offload_partial ? "partial" : f->offloaded ? "yes" : "no",
               f->actions);
    }
    if (retval) {
        printf("error: %s\n", error);
        free(error);
    }
    if (fl.n_unknown_lines) {
        printf("skipped %zu unknown lines, first %s\n", fl.n_unknown_lines,
               fl.first_unknown);
    }
    free(text);
    vfy_flows_destroy(&fl);
    return retval ? 1 : 0;
}

static int
cmd_ufid(int argc, char *argv[])
{
    uint8_t cookie[16];
    char ufid[VFY_UFID_LEN];

    if (argc != 1 || strlen(argv[0]) != 32) {
        return 2;
    }
    for (int i = 0; i < 16; i++) {
        unsigned int byte;
        if (sscanf(argv[0] + 2 * i, "%2x", &byte) != 1) {
            return 2;
        }
        cookie[i] = byte;
    }
    tcdump_cookie_to_ufid(cookie, ufid);
    printf("%s\n", ufid);
    return 0;
}

static int
cmd_report(int argc, char *argv[])
{
    bool json = false, tc_flows = false, pretty = true;
    size_t lanes = vfy_json_lanes();
    struct vfy_flows fl;
    struct vfy_filters fs, prev;
    struct vfy_evidence ev;
    struct sset sources = SSET_INITIALIZER(&sources);
    char *error = NULL;
    const char *bridge = NULL;
    size_t len;
    int i = 0;

    while (i < argc && !strncmp(argv[i], "--", 2)) {
        if (!strcmp(argv[i], "--json")) {
            json = true;
        } else if (!strcmp(argv[i], "--compact")) {
            /* One line, as "ovs-offloadctl verify --format=json". */
            pretty = false;
        } else if (!strcmp(argv[i], "--tc-flows")) {
            /* The kernel as the source: cookie filters are OVS flows. */
            tc_flows = true;
        } else if (!strncmp(argv[i], "--lanes=", 8)) {
            /* Rendered in N lanes (default: one per core). */
            lanes = strtoul(argv[i] + 8, NULL, 10);
        } else if (!strncmp(argv[i], "--bridge=", 9)) {
            bridge = argv[i] + 9;
        } else if (!strncmp(argv[i], "--probe=", 8)) {
            /* --probe=ERRNO:TEXT: as if every probe got this answer. */
            break;
        }
        i++;
    }
    const char *probe = NULL;
    while (i < argc && !strncmp(argv[i], "--probe=", 8)) {
        probe = argv[i++] + 8;
    }
    if (argc - i < 2) {
        return 2;
    }
    vfy_flows_init(&fl);
    vfy_filters_init(&fs);
    vfy_filters_init(&prev);
    vfy_evidence_init(&ev);

    char *text = read_file(argv[i], &len);
    dpflows_parse(text, "system@ovs-system", &fl, NULL);
    free(text);
    FILE *evf = fopen(argv[i + 1], "r");
    if (!evf || vfy_evidence_read(evf, &ev, &error)) {
        printf("error: %s\n", error ? error : ovs_strerror(errno));
        return 2;
    }
    fclose(evf);
    i += 2;
    int n_cur = 0;
    while (i + n_cur < argc && strcmp(argv[i + n_cur], "--prev")) {
        n_cur++;
    }
    if (parse_files(n_cur, argv + i, &fs, true)) {
        return 2;
    }
    i += n_cur;
    bool have_prev = i < argc;
    if (have_prev && parse_files(argc - i - 1, argv + i + 1, &prev, true)) {
        return 2;
    }
    /* Filters of a file without "@DEV" take their device's name from the
     * evidence, by ifindex. */
    for (size_t j = 0; j < fs.n; j++) {
        struct vfy_filter *f = &fs.f[j];

        for (size_t k = 0; !f->block && k < ev.devs.n; k++) {
            if (!strcmp(f->dev, "-") && ev.devs.d[k].ifindex == f->ifindex) {
                f->dev = vfy_filters_name(&fs, ev.devs.d[k].name);
            }
        }
    }
    if (probe) {
        int e = atoi(probe);
        const char *colon = strchr(probe, ':');

        for (size_t j = 0; j < fs.n; j++) {
            struct vfy_filter *f = &fs.f[j];
            if (!(f->has_flags && (f->flags & VFY_TC_IN_HW))) {
                f->probed = true;
                f->probe_error = e;
                f->probe_msg = colon && colon[1] ? xstrdup(colon + 1) : NULL;
            }
        }
    }
    sset_add(&sources, "test-verify: recorded files");

    struct vfy_input in = {
        .flows = &fl, .filters = &fs,
        .prev_filters = have_prev ? &prev : NULL,
        .devs = &ev.devs, .tunnels = ev.tunnels, .n_tunnels = ev.n_tunnels,
        .config = ev.config, .bridge = bridge, .time_ms = 0,
        .tc_flows = tc_flows, .dpstats = ev.dpstats,
        .n_dpstats = ev.n_dpstats, .sources = &sources,
    };
    struct vfy_report r;
    vfy_join(&in, &r);
    if (json) {
        vfy_report_json_lanes(&r, pretty, stdout, lanes);
        putchar('\n');
    } else {
        vfy_report_text_lanes(&r, stdout, lanes);
    }
    int status = vfy_report_status(&r);
    vfy_report_destroy(&r);
    vfy_flows_destroy(&fl);
    vfy_filters_destroy(&fs);
    vfy_filters_destroy(&prev);
    vfy_evidence_destroy(&ev);
    sset_destroy(&sources);
    return status;
}

/* Synthetic dumps. */

struct synth {
    uint32_t ifindex;           /* 0: use 'block'. */
    uint32_t block;
    uint32_t prio, handle, chain;
    bool flags_present;
    uint32_t flags;
    int in_hw_count;            /* -1: absent. */
    const uint8_t *cookie;
    uint64_t pkts, bytes;
    bool hw_stats;
    uint64_t hw_pkts, hw_bytes;
    bool egress;                /* On the clsact egress hook. */
    bool pkt64;                 /* Counters above 2^32 packets: the kernel
                                 * adds TCA_STATS_PKT64. */
    bool unknown_attr;          /* An attribute type no kernel has yet. */
};

static size_t
synth_filter(char *buf, const struct synth *s, uint32_t seq)
{
    struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
    struct tcmsg *tcm;
    struct nlattr *opts, *acts, *act, *stats;

    nlh->nlmsg_type = RTM_NEWTFILTER;
    nlh->nlmsg_flags = NLM_F_MULTI;
    nlh->nlmsg_seq = seq;
    tcm = mnl_nlmsg_put_extra_header(nlh, sizeof *tcm);
    tcm->tcm_family = AF_UNSPEC;
    if (s->ifindex) {
        tcm->tcm_ifindex = s->ifindex;
        tcm->tcm_parent = TC_H_MAKE(TC_H_CLSACT, s->egress ? TC_H_MIN_EGRESS
                                                           : TC_H_MIN_INGRESS);
    } else {
        tcm->tcm_ifindex = 0xffffffff;
        tcm->tcm_block_index = s->block;
    }
    tcm->tcm_handle = s->handle;
    tcm->tcm_info = TC_H_MAKE(s->prio << 16, htons(0x0800));
    mnl_attr_put_strz(nlh, TCA_KIND, "flower");
    mnl_attr_put_u32(nlh, TCA_CHAIN, s->chain);
    opts = mnl_attr_nest_start(nlh, TCA_OPTIONS);
    if (s->flags_present) {
        mnl_attr_put_u32(nlh, TCA_FLOWER_FLAGS, s->flags);
    }
    if (s->in_hw_count >= 0) {
        mnl_attr_put_u32(nlh, TCA_FLOWER_IN_HW_COUNT, s->in_hw_count);
    }
    mnl_attr_put_u16(nlh, TCA_FLOWER_KEY_ETH_TYPE, htons(0x0800));
    acts = mnl_attr_nest_start(nlh, TCA_FLOWER_ACT);
    act = mnl_attr_nest_start(nlh, 1);
    mnl_attr_put_strz(nlh, TCA_ACT_KIND, "mirred");
    if (s->cookie) {
        mnl_attr_put(nlh, TCA_ACT_COOKIE, 16, s->cookie);
    }
    stats = mnl_attr_nest_start(nlh, TCA_ACT_STATS);
    struct gnet_stats_basic b;
    memset(&b, 0, sizeof b);
    b.bytes = s->bytes;
    b.packets = s->pkts;        /* Truncated to 32 bits, as the kernel's. */
    mnl_attr_put(nlh, TCA_STATS_BASIC, sizeof b, &b);
    if (s->pkt64) {
        mnl_attr_put_u64(nlh, TCA_STATS_PKT64, s->pkts);
    }
    if (s->hw_stats) {
        b.bytes = s->hw_bytes;
        b.packets = s->hw_pkts;
        mnl_attr_put(nlh, TCA_STATS_BASIC_HW, sizeof b, &b);
        if (s->pkt64) {
            mnl_attr_put_u64(nlh, TCA_STATS_PKT64, s->hw_pkts);
        }
    }
    mnl_attr_nest_end(nlh, stats);
    mnl_attr_nest_end(nlh, act);
    mnl_attr_nest_end(nlh, acts);
    mnl_attr_nest_end(nlh, opts);
    if (s->unknown_attr) {
        mnl_attr_put_u32(nlh, 200, 42);
    }
    return nlh->nlmsg_len;
}

static size_t
synth_done(char *buf, uint32_t seq)
{
    struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
    int zero = 0;

    nlh->nlmsg_type = NLMSG_DONE;
    nlh->nlmsg_flags = NLM_F_MULTI;
    nlh->nlmsg_seq = seq;
    memcpy(mnl_nlmsg_put_extra_header(nlh, sizeof zero), &zero, sizeof zero);
    return nlh->nlmsg_len;
}

static void
ufid_to_cookie(const char *ufid, uint8_t cookie[16])
{
    unsigned int a, b, c, d, e, f;
    uint32_t w[4];

    sscanf(ufid, "%8x-%4x-%4x-%4x-%4x%8x", &a, &b, &c, &d, &e, &f);
    w[0] = a;
    w[1] = (b << 16) | c;
    w[2] = (d << 16) | e;
    w[3] = f;
    memcpy(cookie, w, 16);
}

static int
cmd_synth(int argc, char *argv[])
{
    /* Three flows of tests/data/verify/synth-flows.txt: one in_hw on a
     * representor with hardware counters, one on a bond's shared block
     * in_hw on both members, one on the block in_hw on one member only. */
    static const char *ufids[] = {
        "11111111-2222-3333-4444-555555555555",
        "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee",
        "01020304-0506-0708-090a-0b0c0d0e0f10",
    };
    char *buf = xzalloc(65536);
    size_t len = 0;
    uint8_t c0[16], c1[16], c2[16];

    if (argc != 1 && argc != 2) {
        return 2;
    }
    ufid_to_cookie(ufids[0], c0);
    ufid_to_cookie(ufids[1], c1);
    ufid_to_cookie(ufids[2], c2);
    struct synth s0 = { .ifindex = 7, .prio = 2, .handle = 1,
                        .flags_present = true, .flags = VFY_TC_IN_HW,
                        .in_hw_count = 1, .cookie = c0, .pkts = 1000,
                        .bytes = 98000, .hw_stats = true, .hw_pkts = 990,
                        .hw_bytes = 97020 };
    struct synth s1 = { .block = 10, .prio = 2, .handle = 1,
                        .flags_present = true,
                        .flags = VFY_TC_SKIP_SW | VFY_TC_IN_HW,
                        .in_hw_count = 2, .cookie = c1, .pkts = 500,
                        .bytes = 50000, .hw_stats = true, .hw_pkts = 500,
                        .hw_bytes = 50000 };
    struct synth s2 = { .block = 10, .prio = 2, .handle = 2,
                        .flags_present = true, .flags = VFY_TC_IN_HW,
                        .in_hw_count = 1, .cookie = c2, .pkts = 10,
                        .bytes = 1000, .hw_stats = true, .hw_pkts = 4,
                        .hw_bytes = 400 };
    if (argc == 2) {
        /* "later": 50 more packets in software on the in_hw flow. */
        s0.pkts += 50;
        s0.bytes += 4900;
    }
    len += synth_filter(buf + len, &s0, 1);
    len += synth_filter(buf + len, &s1, 1);
    len += synth_filter(buf + len, &s2, 1);
    len += synth_done(buf + len, 1);
    FILE *f = fopen(argv[0], "wb");
    fwrite(buf, 1, len, f);
    fclose(f);
    free(buf);
    return 0;
}

static int
cmd_gen(int argc, char *argv[])
{
    if (argc != 3) {
        return 2;
    }
    long n = atol(argv[0]);
    FILE *tc = fopen(argv[1], "wb");
    FILE *fl = fopen(argv[2], "w");
    char *buf = xmalloc(MNL_SOCKET_BUFFER_SIZE);

    if (!tc || !fl || !buf) {
        return 2;
    }
    for (long i = 0; i < n; i++) {
        char ufid[VFY_UFID_LEN];
        uint8_t cookie[16];

        snprintf(ufid, sizeof ufid, "%08lx-1111-2222-3333-%012lx",
                 (unsigned long) i * 2654435761ul % 0xffffffff,
                 (unsigned long) i & 0xffffffffffffUL);
        ufid_to_cookie(ufid, cookie);
        struct synth s = { .ifindex = 5, .prio = 2 + i % 8,
                           .handle = 1 + i / 8,
                           .flags_present = true, .flags = VFY_TC_NOT_IN_HW,
                           .in_hw_count = 0, .cookie = cookie,
                           .pkts = i, .bytes = 100 * i };
        size_t len = synth_filter(buf, &s, 1);
        fwrite(buf, 1, len, tc);
        fprintf(fl, "ufid:%s, recirc_id(0),dp_hash(0/0),skb_priority(0/0),"
                "in_port(v1),skb_mark(0/0),ct_state(0/0),ct_zone(0/0),"
                "ct_mark(0/0),ct_label(0/0),"
                "eth(src=02:00:00:%02lx:%02lx:%02lx,"
                "dst=16:e7:38:8a:d4:d1),eth_type(0x0800),ipv4(src=0.0.0.0/"
                "0.0.0.0,dst=0.0.0.0/0.0.0.0,proto=0/0,tos=0/0,ttl=0/0,"
                "frag=no), packets:%ld, bytes:%ld, used:2.761s, dp:tc, "
                "actions:v2\n", ufid, (i >> 16) & 0xff, (i >> 8) & 0xff,
                i & 0xff, i, 100 * i);
    }
    fwrite(buf, 1, synth_done(buf, 1), tc);
    fclose(tc);
    fclose(fl);
    free(buf);
    return 0;
}

static int
cmd_synth_hooks(int argc, char *argv[])
{
    static const char *ufids[] = {
        "22222222-0000-0000-0000-000000000001",
        "22222222-0000-0000-0000-000000000002",
        "22222222-0000-0000-0000-000000000003",
    };
    uint8_t c[3][16];
    char *buf = xzalloc(65536);
    size_t len = 0;

    if (argc != 1) {
        return 2;
    }
    for (int i = 0; i < 3; i++) {
        ufid_to_cookie(ufids[i], c[i]);
    }
    /* An internal port's flow on egress, software only. */
    struct synth s0 = { .ifindex = 9, .egress = true, .prio = 3, .handle = 1,
                        .flags_present = true, .flags = VFY_TC_NOT_IN_HW,
                        .in_hw_count = 0, .cookie = c[0], .pkts = 5,
                        .bytes = 500 };
    /* A recirculated flow in chain 7 of a bond's block, in hardware with
     * more than 2^32 packets, and an attribute from a newer kernel. */
    struct synth s1 = { .block = 20, .chain = 7, .prio = 4, .handle = 2,
                        .flags_present = true, .flags = VFY_TC_IN_HW,
                        .in_hw_count = 2, .cookie = c[1],
                        .pkts = 5000000000ULL, .bytes = 500000000000ULL,
                        .hw_stats = true, .hw_pkts = 4999999000ULL,
                        .hw_bytes = 499999900000ULL, .pkt64 = true,
                        .unknown_attr = true };
    /* A VXLAN decap flow on the tunnel device, software only. */
    struct synth s2 = { .ifindex = 11, .prio = 5, .handle = 3,
                        .flags_present = true, .flags = VFY_TC_NOT_IN_HW,
                        .in_hw_count = 0, .cookie = c[2], .pkts = 1,
                        .bytes = 100 };
    len += synth_filter(buf + len, &s0, 1);
    len += synth_filter(buf + len, &s1, 1);
    len += synth_filter(buf + len, &s2, 1);
    len += synth_done(buf + len, 1);
    FILE *f = fopen(argv[0], "wb");
    fwrite(buf, 1, len, f);
    fclose(f);
    free(buf);
    return 0;
}

static int
cmd_catalogue(int argc, char *argv[])
{
    if (argc == 1) {
        const struct vfy_catalogue_entry *e = vfy_catalogue_lookup(argv[0]);
        if (!e) {
            printf("not found\n");
            return 1;
        }
        printf("%s [%s]\nmeaning: %s\nfix: %s\n", e->message, e->source,
               e->meaning, e->fix);
        return 0;
    }
    size_t n;
    const struct vfy_catalogue_entry *c = vfy_catalogue(&n);
    for (size_t i = 0; i < n; i++) {
        printf("%s\t%s\n", c[i].source, c[i].message);
    }
    return 0;
}

/* Summarizes the attributes of a probe request. */
static void
print_probe(const struct nlmsghdr *nlh)
{
    const struct tcmsg *tcm = mnl_nlmsg_get_payload(nlh);
    const struct nlattr *a;

    printf("type=%u flags=0x%x ifindex=%d parent=0x%x prio=%u proto=0x%04x "
           "handle=%u", nlh->nlmsg_type, nlh->nlmsg_flags,
           tcm->tcm_ifindex, tcm->tcm_parent, TC_H_MAJ(tcm->tcm_info) >> 16,
           ntohs(TC_H_MIN(tcm->tcm_info)), tcm->tcm_handle);
    mnl_attr_for_each (a, nlh, sizeof *tcm) {
        int type = mnl_attr_get_type(a);
        if (type == TCA_KIND) {
            printf(" kind=%s", mnl_attr_get_str(a));
        } else if (type == TCA_CHAIN) {
            printf(" chain=%u", mnl_attr_get_u32(a));
        } else if (type == TCA_OPTIONS) {
            const struct nlattr *o;
            printf(" options:");
            mnl_attr_for_each_nested (o, a) {
                int ot = mnl_attr_get_type(o);
                if (ot == TCA_FLOWER_FLAGS) {
                    printf(" flags=0x%x", mnl_attr_get_u32(o));
                } else if (ot == TCA_FLOWER_ACT) {
                    const struct nlattr *act, *x;
                    mnl_attr_for_each_nested (act, o) {
                        printf(" act%u:", mnl_attr_get_type(act));
                        mnl_attr_for_each_nested (x, act) {
                            printf("%s%u", "+", mnl_attr_get_type(x));
                        }
                    }
                } else {
                    printf(" %u", ot);
                }
            }
        }
    }
    putchar('\n');
}

static int
cmd_probe_request(int argc, char *argv[])
{
    struct vfy_filters fs;
    char *error = NULL;
    size_t len;

    if (argc != 3) {
        return 2;
    }
    char *data = read_file(argv[0], &len);
    const struct nlmsghdr *nlh = (const void *) data;
    int left = len;
    void *buf = xmalloc(NLSOCK_BUFSIZE);

    vfy_filters_init(&fs);
    for (; mnl_nlmsg_ok(nlh, left); nlh = mnl_nlmsg_next(nlh, &left)) {
        if (nlh->nlmsg_type != RTM_NEWTFILTER) {
            continue;
        }
        size_t n = fs.n;
        void *copy = xmemdup(nlh, nlh->nlmsg_len);
        if (tcdump_parse_msg(copy, &fs, &error) || fs.n == n) {
            free(copy);
            continue;
        }
        struct nlmsghdr *req = tcdump_probe_request(buf, copy, &fs.f[n],
                                                    atoi(argv[1]),
                                                    atoi(argv[2]));
        if (req) {
            print_probe(req);
        } else {
            printf("no probe\n");
        }
        free(copy);
    }
    free(error);
    free(buf);
    free(data);
    vfy_filters_destroy(&fs);
    return 0;
}

static int
cmd_truncate(int argc, char *argv[])
{
    size_t len;

    if (argc != 3) {
        return 2;
    }
    char *buf = read_file(argv[0], &len);
    size_t n = strtoul(argv[2], NULL, 10);
    FILE *f = fopen(argv[1], "wb");
    fwrite(buf, 1, n < len ? n : len, f);
    fclose(f);
    free(buf);
    return 0;
}

struct dump_links_aux {
    struct ds names;
    size_t n;
};

static int
dump_links_cb(const struct nlmsghdr *nlh, void *aux_)
{
    struct dump_links_aux *aux = aux_;
    const struct ifinfomsg *ifi = mnl_nlmsg_get_payload(nlh);

    if (nlh->nlmsg_type == RTM_NEWLINK
        && nlh->nlmsg_len >= NLMSG_HDRLEN + sizeof *ifi) {
        ds_put_format(&aux->names, "%d ", ifi->ifi_index);
        aux->n++;
    }
    return MNL_CB_OK;
}

static int
cmd_dump_links(int argc, char *argv[])
{
    int rounds = argc > 0 ? atoi(argv[0]) : 10;
    struct dump_links_aux first = { DS_EMPTY_INITIALIZER, 0 };
    struct nlsock *sock;
    char *error = NULL;
    bool same = true;

    if (nlsock_open(NETLINK_ROUTE, 0, false, &sock, &error)) {
        fprintf(stderr, "%s\n", error);
        return 2;
    }
    for (int i = 0; i < 2 * rounds; i++) {
        struct dump_links_aux aux = { DS_EMPTY_INITIALIZER, 0 };
        uint8_t buf[NLSOCK_REQSIZE];
        struct nlmsghdr *nlh = nlsock_start(buf, RTM_GETLINK, NLM_F_DUMP);
        struct ifinfomsg *ifi = mnl_nlmsg_put_extra_header(nlh, sizeof *ifi);
        int err;

        ifi->ifi_family = AF_UNSPEC;
        err = (i % 2
               ? nlsock_transact_dump(sock, nlh, dump_links_cb, &aux,
                                      "link dump", &error)
               : nlsock_transact(sock, nlh, dump_links_cb, &aux,
                                 "link dump", &error));
        if (err) {
            fprintf(stderr, "%s\n", error);
            return 2;
        }
        if (!i) {
            first = aux;
            continue;
        }
        same = same && aux.n == first.n
               && !strcmp(ds_cstr(&aux.names), ds_cstr(&first.names));
        ds_destroy(&aux.names);
    }
    printf("%s links: %s\n", first.n ? "some" : "no",
           same ? "every dump the same" : "dumps differ");
    ds_destroy(&first.names);
    nlsock_close(sock);
    return same && first.n ? 0 : 1;
}

/* Checks vfy_json_plain_len() against the byte-by-byte definition: every
 * byte value at every position of strings of 0 to 40 bytes, the others
 * filler that needs no escaping (also bytes above 0x7f, which JSON strings
 * hold as they are).  Prints the first mismatch and fails, or prints the
 * number of cases. */
static int
cmd_json_plain(int argc, char *argv[] OVS_UNUSED)
{
    static const unsigned char filler[] = "a Z~\x7f\x80\xa2\xdc\xff#[]!";
    unsigned char buf[48];
    size_t n_cases = 0;

    if (argc) {
        return 2;
    }
    for (size_t len = 0; len <= 40; len++) {
        for (size_t at = 0; at <= len; at++) {
            for (int c = 1; c < 256; c++) {
                size_t expected = len;

                for (size_t i = 0; i < len; i++) {
                    buf[i] = filler[(i + c) % (sizeof filler - 1)];
                }
                if (at < len) {
                    buf[at] = c;
                    if (c < 0x20 || c == '"' || c == '\\') {
                        expected = at;
                    }
                }
                buf[len] = '\0';

                size_t got = vfy_json_plain_len((const char *) buf, len);
                if (got != expected) {
                    printf("length %zu, byte 0x%02x at %zu: %zu, expected "
                           "%zu\n", len, c, at, got, expected);
                    return 1;
                }
                n_cases++;
            }
        }
    }
    printf("%zu cases\n", n_cases);
    return 0;
}

int
main(int argc, char *argv[])
{
    static const struct {
        const char *name;
        int (*cb)(int argc, char *argv[]);
    } cmds[] = {
        { "parse", cmd_parse },
        { "flows", cmd_flows },
        { "ufid", cmd_ufid },
        { "report", cmd_report },
        { "synth", cmd_synth },
        { "gen", cmd_gen },
        { "truncate", cmd_truncate },
        { "synth-hooks", cmd_synth_hooks },
        { "catalogue", cmd_catalogue },
        { "probe-request", cmd_probe_request },
        { "json-plain", cmd_json_plain },
        { "dump-links", cmd_dump_links },
    };

    for (size_t i = 0; argc > 1 && i < sizeof cmds / sizeof *cmds; i++) {
        if (!strcmp(argv[1], cmds[i].name)) {
            return cmds[i].cb(argc - 2, argv + 2);
        }
    }
    fprintf(stderr, "usage: test-verify parse|flows|ufid|report|synth|gen|"
            "truncate ARGS (see the source)\n");
    return 2;
}
