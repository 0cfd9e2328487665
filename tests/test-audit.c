/*
 * test-audit: unit tests of the tuning audit (run by tests/audit.at).
 *
 *   test-audit parse      sysfs parsers of the audit (link speeds, CPU
 *                         lists, masks) and the PCIe ceiling arithmetic
 *   test-audit nl         canned ethtool netlink replies (rings, features)
 *                         through the parsers and into the audit's checks
 */
#include <config.h>

#undef NDEBUG
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/ethtool_netlink.h>
#include <linux/genetlink.h>
#include <libmnl/libmnl.h>

#include "audit.h"
#include "ethtool-nl.h"
#include "openvswitch/dynamic-string.h"
#include "sysfs.h"
#include "util.h"

static void
report(const char *name, char *error, const char *value)
{
    if (error) {
        printf("%s: error %s\n", name, error);
        free(error);
    } else {
        printf("%s: ok%s%s\n", name, value ? " " : "", value ? value : "");
    }
}

static void
test_parse(void)
{
    static const char *const speeds[] = {
        "2.5 GT/s PCIe\n", "5.0 GT/s PCIe\n", "8.0 GT/s PCIe\n",
        "16.0 GT/s PCIe\n", "32.0 GT/s PCIe\n", "64.0 GT/s PCIe\n",
        "2.5 GT/s\n", "Unknown\n", "8.0 GT/s PCIe extra\n", "0.0 GT/s\n",
        "8 GT/s\n",
    };
    static const char *const lists[] = {
        "0-3\n", "0,2,4-5\n", "\n", "3-1\n", "0-3,x\n", "0-4096\n",
        "1,1,1\n",
    };
    static const struct { int speed, width; } links[] = {
        { 25, 1 }, { 25, 16 }, { 50, 8 }, { 80, 4 }, { 80, 16 },
        { 160, 4 }, { 160, 16 }, { 320, 8 }, { 640, 4 }, { 0, 4 },
    };
    char value[64];

    for (size_t i = 0; i < ARRAY_SIZE(speeds); i++) {
        int tenths = -1;
        char *error = sysfs_parse_link_speed(speeds[i], &tenths);
        char name[64];

        snprintf(name, sizeof name, "speed \"%.*s\"",
                 (int) strcspn(speeds[i], "\n"), speeds[i]);
        snprintf(value, sizeof value, "%d", tenths);
        report(name, error, value);
    }
    for (size_t i = 0; i < ARRAY_SIZE(lists); i++) {
        struct sysfs_cpuset set;
        int count = -1;
        char *error = sysfs_parse_cpulist(lists[i], &set, &count);
        char name[64];

        snprintf(name, sizeof name, "cpulist \"%.*s\"",
                 (int) strcspn(lists[i], "\n"), lists[i]);
        snprintf(value, sizeof value, "%d", count);
        report(name, error, value);
    }
    printf("mask 00000000,00000000: %s\n",
           sysfs_mask_is_zero("00000000,00000000\n") ? "zero" : "set");
    printf("mask 00000000,00000010: %s\n",
           sysfs_mask_is_zero("00000000,00000010\n") ? "zero" : "set");
    for (size_t i = 0; i < ARRAY_SIZE(links); i++) {
        printf("ceiling %d.%d GT/s x%d: %lld Mb/s\n", links[i].speed / 10,
               links[i].speed % 10, links[i].width,
               audit_pcie_ceiling(links[i].speed, links[i].width));
    }
}

static struct nlmsghdr *
genl_msg(char *buf)
{
    struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
    struct genlmsghdr *genl = mnl_nlmsg_put_extra_header(nlh, sizeof *genl);

    nlh->nlmsg_type = 0x15;
    genl->cmd = ETHTOOL_MSG_RINGS_GET_REPLY;
    return nlh;
}

static struct nlmsghdr *
rings_msg(char *buf, uint32_t rx, uint32_t rx_max, uint32_t tx,
          uint32_t tx_max)
{
    struct nlmsghdr *nlh = genl_msg(buf);
    struct nlattr *hdr = mnl_attr_nest_start(nlh, ETHTOOL_A_RINGS_HEADER);

    mnl_attr_put_strz(nlh, ETHTOOL_A_HEADER_DEV_NAME, "p0");
    mnl_attr_nest_end(nlh, hdr);
    mnl_attr_put_u32(nlh, ETHTOOL_A_RINGS_RX_MAX, rx_max);
    mnl_attr_put_u32(nlh, ETHTOOL_A_RINGS_RX, rx);
    mnl_attr_put_u32(nlh, ETHTOOL_A_RINGS_TX_MAX, tx_max);
    mnl_attr_put_u32(nlh, ETHTOOL_A_RINGS_TX, tx);
    return nlh;
}

/* A bitset attribute 'type' listing 'names' (a list, as the kernel sends
 * "hw" and "active"). */
static void
put_bitset(struct nlmsghdr *nlh, uint16_t type, const char *const *names,
           size_t n)
{
    struct nlattr *set = mnl_attr_nest_start(nlh, type);
    struct nlattr *bits;

    mnl_attr_put(nlh, ETHTOOL_A_BITSET_NOMASK, 0, NULL);
    mnl_attr_put_u32(nlh, ETHTOOL_A_BITSET_SIZE, 64);
    bits = mnl_attr_nest_start(nlh, ETHTOOL_A_BITSET_BITS);
    for (size_t i = 0; i < n; i++) {
        struct nlattr *bit = mnl_attr_nest_start(nlh,
                                                 ETHTOOL_A_BITSET_BITS_BIT);
        mnl_attr_put_u32(nlh, ETHTOOL_A_BITSET_BIT_INDEX, i);
        mnl_attr_put_strz(nlh, ETHTOOL_A_BITSET_BIT_NAME, names[i]);
        mnl_attr_nest_end(nlh, bit);
    }
    mnl_attr_nest_end(nlh, bits);
    mnl_attr_nest_end(nlh, set);
}

/* Runs the audit on a device with only rings and features known and prints
 * the two entries. */
static void
audit_rings_features(const char *name, const struct ethtool_nl_rings *rings,
                     const bool *changeable, const bool *active)
{
    struct audit_host host;
    struct audit_dev dev;
    struct audit_report r;

    audit_host_init(&host);
    audit_dev_init(&dev, "p0");
    if (rings) {
        dev.has_rings = true;
        dev.rx = rings->rx;
        dev.rx_max = rings->rx_max;
        dev.tx = rings->tx;
        dev.tx_max = rings->tx_max;
    }
    if (changeable) {
        dev.has_features = true;
        memcpy(dev.feature_changeable, changeable,
               sizeof dev.feature_changeable);
        memcpy(dev.feature_active, active, sizeof dev.feature_active);
    }
    audit_report_init(&r);
    audit_check(&host, &dev, 1, &r);
    for (size_t i = 0; i < r.n; i++) {
        const struct audit_entry *e = &r.entries[i];
        if (!strcmp(e->check, "rings")
            || !strcmp(e->check, "offload-features")) {
            printf("%s: %s %s: %s\n", name, e->check,
                   e->status == AUDIT_FINDING ? "finding"
                   : e->status == AUDIT_OK ? "ok" : "unknown", e->found);
            if (e->fix) {
                printf("%s:   fix: %s\n", name, e->fix);
            }
        }
    }
    audit_report_destroy(&r);
    audit_dev_destroy(&dev);
    audit_host_destroy(&host);
}

static void
test_nl(void)
{
    struct ethtool_nl_rings rings;
    bool changeable[AUDIT_N_FEATURES], active[AUDIT_N_FEATURES];
    char buf[4096];
    char value[128];
    struct nlmsghdr *nlh;
    char *error;

    /* The field report's TX ring: 170 of 2560. */
    error = ethtool_nl_parse_rings(rings_msg(buf, 1024, 8192, 170, 2560),
                                   &rings);
    snprintf(value, sizeof value, "rx %u/%u tx %u/%u", rings.rx,
             rings.rx_max, rings.tx, rings.tx_max);
    report("rings", error, error ? NULL : value);
    audit_rings_features("rings-low", &rings, NULL, NULL);

    error = ethtool_nl_parse_rings(rings_msg(buf, 8192, 8192, 8192, 8192),
                                   &rings);
    report("rings-max", error, error ? NULL : "parsed");
    audit_rings_features("rings-max", &rings, NULL, NULL);

    /* netdevsim in Linux 6.1: maxima 4096, sizes 0. */
    error = ethtool_nl_parse_rings(rings_msg(buf, 0, 4096, 0, 4096), &rings);
    report("rings-netdevsim", error, error ? NULL : "parsed");
    audit_rings_features("rings-netdevsim", &rings, NULL, NULL);

    report("rings-over-max",
           ethtool_nl_parse_rings(rings_msg(buf, 9000, 8192, 1, 2), &rings),
           NULL);
    report("rings-none", ethtool_nl_parse_rings(genl_msg(buf), &rings),
           NULL);
    nlh = genl_msg(buf);
    mnl_attr_put_u8(nlh, ETHTOOL_A_RINGS_RX_MAX, 1);
    report("rings-short-attr", ethtool_nl_parse_rings(nlh, &rings), NULL);
    nlh = genl_msg(buf);
    nlh->nlmsg_len += 3;        /* A truncated attribute header. */
    report("rings-truncated", ethtool_nl_parse_rings(nlh, &rings), NULL);

    /* Features: mlx5-like, everything changeable; GRO, TSO and
     * hw-tc-offload off. */
    static const char *const hw[] = {
        "tx-tcp-segmentation", "tx-generic-segmentation", "rx-gro",
        "rx-checksum", "tx-checksum-ip-generic", "hw-tc-offload",
    };
    static const char *const on[] = {
        "tx-generic-segmentation", "rx-checksum", "tx-checksum-ip-generic",
        "tx-scatter-gather",
    };
    nlh = genl_msg(buf);
    put_bitset(nlh, ETHTOOL_A_FEATURES_HW, hw, ARRAY_SIZE(hw));
    put_bitset(nlh, ETHTOOL_A_FEATURES_ACTIVE, on, ARRAY_SIZE(on));
    error = ethtool_nl_parse_features(nlh, audit_feature_names,
                                      AUDIT_N_FEATURES, changeable, active);
    if (!error) {
        struct ds s = DS_EMPTY_INITIALIZER;
        for (size_t i = 0; i < AUDIT_N_FEATURES; i++) {
            ds_put_format(&s, " %s=%s%s", audit_feature_names[i],
                          changeable[i] ? "c" : "-", active[i] ? "a" : "-");
        }
        report("features", NULL, ds_cstr(&s));
        ds_destroy(&s);
    } else {
        report("features", error, NULL);
    }
    audit_rings_features("features-off", NULL, changeable, active);

    /* All on. */
    nlh = genl_msg(buf);
    put_bitset(nlh, ETHTOOL_A_FEATURES_HW, hw, ARRAY_SIZE(hw));
    put_bitset(nlh, ETHTOOL_A_FEATURES_ACTIVE, hw, ARRAY_SIZE(hw));
    report("features-all-on",
           ethtool_nl_parse_features(nlh, audit_feature_names,
                                     AUDIT_N_FEATURES, changeable, active),
           NULL);
    audit_rings_features("features-all-on", NULL, changeable, active);

    /* Off but fixed (not in "hw"): nothing to fix. */
    nlh = genl_msg(buf);
    put_bitset(nlh, ETHTOOL_A_FEATURES_HW, NULL, 0);
    put_bitset(nlh, ETHTOOL_A_FEATURES_ACTIVE, on, 1);
    report("features-fixed",
           ethtool_nl_parse_features(nlh, audit_feature_names,
                                     AUDIT_N_FEATURES, changeable, active),
           NULL);
    audit_rings_features("features-fixed", NULL, changeable, active);

    nlh = genl_msg(buf);
    put_bitset(nlh, ETHTOOL_A_FEATURES_ACTIVE, on, 1);
    report("features-no-hw",
           ethtool_nl_parse_features(nlh, audit_feature_names,
                                     AUDIT_N_FEATURES, changeable, active),
           NULL);
    nlh = genl_msg(buf);
    {
        struct nlattr *set = mnl_attr_nest_start(nlh, ETHTOOL_A_FEATURES_HW);
        mnl_attr_put_u32(nlh, ETHTOOL_A_BITSET_VALUE, 0xff);
        mnl_attr_nest_end(nlh, set);
    }
    put_bitset(nlh, ETHTOOL_A_FEATURES_ACTIVE, on, 1);
    report("features-compact",
           ethtool_nl_parse_features(nlh, audit_feature_names,
                                     AUDIT_N_FEATURES, changeable, active),
           NULL);

    audit_rings_features("nothing-known", NULL, NULL, NULL);
}

int
main(int argc, char *argv[])
{
    set_program_name(argv[0]);
    if (argc == 2 && !strcmp(argv[1], "parse")) {
        test_parse();
    } else if (argc == 2 && !strcmp(argv[1], "nl")) {
        test_nl();
    } else {
        ovs_fatal(0, "usage: test-audit parse|nl");
    }
    return 0;
}
