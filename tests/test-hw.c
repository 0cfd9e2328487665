/*
 * test-hw: unit tests of the Linux hardware back end's pure parts (run by
 * tests/hw.at) and a small diagnostic tool for the kernel lab.
 *
 * Unit tests (no kernel access):
 *   test-hw sysfs-path              path building, traversal attempts
 *   test-hw sysfs-parse             number and word parsers
 *   test-hw sysfs-vfs ROOT DEBUGFS BUS DEV
 *   test-hw sysfs-set-numvfs ROOT BUS DEV N
 *   test-hw sysfs-lag DEBUGFS DEV
 *   test-hw sysfs-link ROOT IFNAME
 *   test-hw nlmsg                   netlink replies, ACKs, extended acks
 *   test-hw parsers                 rtnetlink, devlink, ethtool parsers
 *
 * Lab commands (hw_open("linux", ...) against the running kernel):
 *   test-hw [--sysfs-root=DIR] [--debugfs-root=DIR] COMMAND...
 *     observe | eswitch BUS DEV MODE | numvfs BUS DEV N | channels IF [N]
 *     mtu IF N | up IF | down IF | bond NAME MODE [MIIMON]
 *     master IF BOND|- | delete IF | lag BUS DEV | events MS
 *     model MS    (issue 10: observes, then for MS milliseconds observes
 *                  again at each change, printing each observation's
 *                  netlink requests and time; at the end compares the
 *                  model's snapshot with a fresh back end's full dump)
 */
#include <config.h>

#undef NDEBUG
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/devlink.h>
#include <linux/ethtool_netlink.h>
#include <linux/genetlink.h>
#include <net/if.h>
#include <linux/if.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/vdpa.h>

#include "devlink.h"
#include "ethtool-nl.h"
#include "fuzz-netlink.h"
#include "hw.h"
#include "nlsock.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/poll-loop.h"
#include "openvswitch/vlog.h"
#include "openvswitch/types.h"
#include <linux/openvswitch.h>  /* OVS's copy: after openvswitch/types.h. */
#include "ovsdp.h"
#include "rtnl.h"
#include "sysfs.h"
#include "timeval.h"
#include "util.h"
#include "vdpa.h"

/* Prints "NAME: ok VALUE" or "NAME: error MSG" and frees 'error'. */
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

/* sysfs-path */

static void
test_sysfs_path(void)
{
    char long_name[300];
    char *path, *error;

    memset(long_name, 'a', sizeof long_name - 1);
    long_name[sizeof long_name - 1] = '\0';

    error = sysfs_path(&path, "/sys", "bus", "pci", "devices",
                       "0000:03:00.0", "sriov_numvfs", NULL);
    report("plain", error, path);
    free(path);
    error = sysfs_path(&path, "/tmp/scratch/", "class", "net", "eth0", NULL);
    report("trailing-slash-root", error, path);
    free(path);
    error = sysfs_path(&path, "/", "sys", NULL);
    report("slash-root", error, path);
    free(path);

    report("dotdot", sysfs_path(&path, "/sys", "bus", "..", "x", NULL),
           path);
    report("dot", sysfs_path(&path, "/sys", ".", NULL), path);
    report("slash", sysfs_path(&path, "/sys", "class", "net", "../../etc",
                               NULL), path);
    report("embedded-slash", sysfs_path(&path, "/sys", "a/b", NULL), path);
    report("empty", sysfs_path(&path, "/sys", "", NULL), path);
    report("overlong", sysfs_path(&path, "/sys", long_name, NULL), path);
    report("space", sysfs_path(&path, "/sys", "a b", NULL), path);
    report("control", sysfs_path(&path, "/sys", "a\nb", NULL), path);
    report("relative-root", sysfs_path(&path, "sys", "x", NULL), path);
    report("dotdot-root", sysfs_path(&path, "/sys/../etc", "x", NULL), path);
    report("dot-root", sysfs_path(&path, "/sys/./x", "y", NULL), path);
    error = sysfs_path(&path, "/tmp/.lab", "y", NULL);
    report("dotfile-root-ok", error, path);
    free(path);

    /* The long path limit. */
    {
        struct ds root = DS_EMPTY_INITIALIZER;

        ds_put_char(&root, '/');
        while (root.length < 4000) {
            ds_put_cstr(&root, "dir/");
        }
        long_name[200] = '\0';
        report("path-max", sysfs_path(&path, ds_cstr(&root), long_name,
                                      NULL), path);
        ds_destroy(&root);
    }

    report("bus-ok", sysfs_check_bus("bus", "netdevsim"), NULL);
    report("bus-dotdot", sysfs_check_bus("bus", ".."), NULL);
    report("bus-upper", sysfs_check_bus("bus", "PCI"), NULL);
    report("bus-empty", sysfs_check_bus("bus", ""), NULL);
}

/* sysfs-parse */

static void
test_sysfs_parse(void)
{
    static const char *const numbers[] = {
        "4\n", "0", "65535\n", "", "\n", "4\n\n", "-1\n", " 4\n", "4x",
        "99999999999\n", "0x10\n", "70000\n",
    };
    static const char *const words[] = {
        "active\n", "disabled", "  inactive \n", "", "\n", "two words\n",
        "act!ve\n", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n",
    };

    for (size_t i = 0; i < ARRAY_SIZE(numbers); i++) {
        char name[64], value[32];
        int v = -1;
        char *error = sysfs_parse_int(numbers[i], 65535, &v);
        struct ds q = DS_EMPTY_INITIALIZER;

        ds_put_cstr(&q, "int \"");
        for (const char *p = numbers[i]; *p; p++) {
            ds_put_cstr(&q, *p == '\n' ? "\\n" : (char[]) { *p, 0 });
        }
        ds_put_char(&q, '"');
        snprintf(name, sizeof name, "%s", ds_cstr(&q));
        snprintf(value, sizeof value, "%d", v);
        report(name, error, value);
        ds_destroy(&q);
    }
    for (size_t i = 0; i < ARRAY_SIZE(words); i++) {
        struct ds q = DS_EMPTY_INITIALIZER;
        char *word = NULL;
        char *error = sysfs_parse_word(words[i], &word);

        ds_put_cstr(&q, "word \"");
        for (const char *p = words[i]; *p; p++) {
            ds_put_cstr(&q, *p == '\n' ? "\\n" : (char[]) { *p, 0 });
        }
        ds_put_char(&q, '"');
        report(ds_cstr(&q), error, word);
        free(word);
        ds_destroy(&q);
    }
    printf("basename: %s %s\n", sysfs_basename("../../../netdevsim10"),
           sysfs_basename("mlx5_core"));
}

/* sysfs against a scratch tree. */

static int
run_sysfs_vfs(char *argv[])
{
    char *error = NULL;
    int total, num;
    int retval = sysfs_get_vfs(argv[0], argv[1], argv[2], argv[3], &total,
                               &num, &error);
    if (retval) {
        printf("error %d: %s\n", retval, error);
        free(error);
        return 1;
    }
    printf("total=%d num=%d\n", total, num);
    return 0;
}

static int
run_sysfs_set_numvfs(char *argv[])
{
    char *error = NULL;
    int retval = sysfs_set_num_vfs(argv[0], argv[1], argv[2], atoi(argv[3]),
                                   &error);
    if (retval) {
        printf("error %d: %s\n", retval, error);
        free(error);
        return 1;
    }
    printf("ok\n");
    return 0;
}

static int
run_sysfs_lag(char *argv[])
{
    char *error = NULL, *state;
    int retval = sysfs_get_lag_state(argv[0], argv[1], &state, &error);

    if (retval) {
        printf("error %d: %s\n", retval, error);
        free(error);
        return 1;
    }
    printf("lag=%s\n", state ? state : "(none)");
    free(state);
    return 0;
}

static int
run_sysfs_link(char *argv[])
{
    char *error = NULL, *bus, *dev, *driver;
    int retval = sysfs_get_link_device(argv[0], argv[1], &bus, &dev, &driver,
                                       &error);
    if (retval) {
        printf("error %d: %s\n", retval, error);
        free(error);
        return 1;
    }
    printf("bus=%s dev=%s driver=%s\n", bus ? bus : "(none)",
           dev ? dev : "(none)", driver ? driver : "(none)");
    free(bus);
    free(dev);
    free(driver);
    return 0;
}

/* Issue 13 (vdpa): a vDPA device's vhost_vdpa node. */
static int
run_sysfs_vdpa_vhost(char *argv[])
{
    char *error = NULL, *vhost;
    int retval = sysfs_get_vdpa_vhost(argv[0], argv[1], &vhost, &error);

    if (retval) {
        printf("error %d: %s\n", retval, error);
        free(error);
        return 1;
    }
    printf("vhost=%s\n", vhost ? vhost : "(none)");
    free(vhost);
    return 0;
}

/* Model (issue 10): has udev finished with a link? */
static int
run_sysfs_settle(char *argv[])
{
    static const char *const names[] = {
        [SYSFS_SETTLED] = "settled",
        [SYSFS_WAIT_UDEV] = "wait-udev",
        [SYSFS_WAIT_ENUM] = "wait-enum",
    };

    printf("%s\n", names[sysfs_link_settle(argv[0], argv[1], argv[2],
                                           atoi(argv[3]))]);
    return 0;
}

/* With TEST_HW_CORPUS=DIR, every message a parser test hands to a parser
 * is also written to DIR, as an input of the netlink fuzz target
 * (fuzz-netlink.c): the parser's number, then the message. */
static const struct nlmsghdr *
corpus_save(enum fuzz_netlink_parser parser, const struct nlmsghdr *nlh)
{
    static int n;
    const char *dir = getenv("TEST_HW_CORPUS");

    if (dir) {
        char *name = xasprintf("%s/%d-%03d.bin", dir, (int) parser, n++);
        FILE *f = fopen(name, "wb");
        uint8_t kind = parser;

        if (!f || fwrite(&kind, 1, 1, f) != 1
            || fwrite(nlh, 1, nlh->nlmsg_len, f) != nlh->nlmsg_len) {
            ovs_fatal(errno, "%s", name);
        }
        fclose(f);
        free(name);
    }
    return nlh;
}

/* The parser tests below call the parsers through these, which save each
 * message for the fuzz corpus first. */
#define rtnl_parse_link(NLH, ...) \
    (rtnl_parse_link)(corpus_save(FUZZ_NL_LINK, NLH), __VA_ARGS__)
#define devlink_parse_dev(NLH, ...) \
    (devlink_parse_dev)(corpus_save(FUZZ_NL_DEVLINK_DEV, NLH), __VA_ARGS__)
#define devlink_parse_port(NLH, ...) \
    (devlink_parse_port)(corpus_save(FUZZ_NL_DEVLINK_PORT, NLH), __VA_ARGS__)
#define devlink_parse_info(NLH, ...) \
    (devlink_parse_info)(corpus_save(FUZZ_NL_DEVLINK_INFO, NLH), __VA_ARGS__)
#define devlink_parse_eswitch(NLH, ...) \
    (devlink_parse_eswitch)(corpus_save(FUZZ_NL_DEVLINK_ESWITCH, NLH), \
                            __VA_ARGS__)
#define ethtool_nl_parse_channels(NLH, ...) \
    (ethtool_nl_parse_channels)(corpus_save(FUZZ_NL_ETHTOOL_CHANNELS, NLH), \
                                __VA_ARGS__)
#define ethtool_nl_parse_feature(NLH, ...) \
    (ethtool_nl_parse_feature)(corpus_save(FUZZ_NL_ETHTOOL_FEATURE, NLH), \
                               __VA_ARGS__)
#define ovsdp_parse_vport(NLH, ...) \
    (ovsdp_parse_vport)(corpus_save(FUZZ_NL_OVS_VPORT, NLH), __VA_ARGS__)
#define ovsdp_parse_dp(NLH, ...) \
    (ovsdp_parse_dp)(corpus_save(FUZZ_NL_OVS_DP, NLH), __VA_ARGS__)
#define vdpa_parse_dev(NLH, ...) \
    (vdpa_parse_dev)(corpus_save(FUZZ_NL_VDPA_DEV, NLH), __VA_ARGS__)
#define vdpa_parse_config(NLH, ...) \
    (vdpa_parse_config)(corpus_save(FUZZ_NL_VDPA_CONFIG, NLH), __VA_ARGS__)

/* nlmsg: canned netlink replies. */

#define SEQ 1000
#define PORTID 4242

static struct nlmsghdr *
put_msg(char **p, uint16_t type, uint16_t flags, uint32_t seq)
{
    struct nlmsghdr *nlh = mnl_nlmsg_put_header(*p);

    nlh->nlmsg_type = type;
    nlh->nlmsg_flags = flags;
    nlh->nlmsg_seq = seq;
    nlh->nlmsg_pid = PORTID;
    return nlh;
}

static void
end_msg(char **p, struct nlmsghdr *nlh)
{
    *p += MNL_ALIGN(nlh->nlmsg_len);
}

/* Appends an NLMSG_ERROR for 'error' (negative errno or 0), with the
 * request echoed (a 'req_payload'-byte request) unless 'capped', and with
 * extended-ack message 'msg' if nonnull. */
static struct nlmsghdr *
put_error(char **p, int error, bool capped, size_t req_payload,
          const char *msg, uint32_t seq)
{
    struct nlmsghdr *nlh = put_msg(p, NLMSG_ERROR, 0, seq);
    struct nlmsgerr *err;

    if (capped) {
        nlh->nlmsg_flags |= NLM_F_CAPPED;
    }
    err = mnl_nlmsg_put_extra_header(nlh, sizeof *err
                                     + (capped ? 0 : req_payload));
    err->error = error;
    err->msg.nlmsg_len = NLMSG_HDRLEN + (capped ? 0 : req_payload);
    err->msg.nlmsg_type = 0x10;
    err->msg.nlmsg_seq = seq;
    if (msg) {
        nlh->nlmsg_flags |= NLM_F_ACK_TLVS;
        mnl_attr_put_strz(nlh, NLMSGERR_ATTR_MSG, msg);
        mnl_attr_put_u32(nlh, NLMSGERR_ATTR_OFFS, 20);
    }
    return nlh;
}

static int
count_cb(const struct nlmsghdr *nlh OVS_UNUSED, void *count_)
{
    int *count = count_;
    (*count)++;
    return MNL_CB_OK;
}

static int
fail_cb(const struct nlmsghdr *nlh OVS_UNUSED, void *aux OVS_UNUSED)
{
    return MNL_CB_ERROR;
}

static void
parse_and_report(const char *name, const char *buf, size_t len,
                 mnl_cb_t cb)
{
    int count = 0, error = 0;
    char *msg = NULL;
    enum nlsock_parse_result r;

    r = nlsock_parse(buf, len, SEQ, PORTID, cb ? cb : count_cb, &count,
                     "devlink", &error, &msg);
    printf("%s: %s data=%d", name,
           r == NLSOCK_MORE ? "more" : r == NLSOCK_DONE ? "done" : "error",
           count);
    if (r == NLSOCK_ERROR) {
        printf(" errno=%s msg=%s", ovs_strerror(error), msg);
    }
    printf("\n");
    free(msg);
}

static void
test_nlmsg(void)
{
    char buf[8192];
    char *p;
    struct nlmsghdr *nlh;

    /* Two data messages then an ACK. */
    p = buf;
    end_msg(&p, put_msg(&p, 0x20, NLM_F_MULTI, SEQ));
    end_msg(&p, put_msg(&p, 0x20, NLM_F_MULTI, SEQ));
    end_msg(&p, put_error(&p, 0, true, 0, NULL, SEQ));
    parse_and_report("ack", buf, p - buf, NULL);

    /* Data without the end: more to read. */
    p = buf;
    end_msg(&p, put_msg(&p, 0x20, NLM_F_MULTI, SEQ));
    parse_and_report("partial", buf, p - buf, NULL);

    /* A stale message (earlier sequence number) is skipped. */
    p = buf;
    end_msg(&p, put_msg(&p, 0x20, 0, SEQ - 1));
    end_msg(&p, put_error(&p, -EBUSY, true, 0, "stale", SEQ - 1));
    end_msg(&p, put_msg(&p, NLMSG_DONE, NLM_F_MULTI, SEQ));
    parse_and_report("stale-skipped", buf, p - buf, NULL);

    /* Error with extended ack, capped. */
    p = buf;
    end_msg(&p, put_error(&p, -EBUSY, true, 0, "devlink: Rate node(s) "
                          "exists.", SEQ));
    parse_and_report("extack-capped", buf, p - buf, NULL);

    /* Error with extended ack after the full echoed request. */
    p = buf;
    end_msg(&p, put_error(&p, -EOPNOTSUPP, false, 36, "netdevsim: only "
                          "offload of BPF classifiers supported.", SEQ));
    parse_and_report("extack-echoed", buf, p - buf, NULL);

    /* Error without extended ack. */
    p = buf;
    end_msg(&p, put_error(&p, -ENODEV, true, 0, NULL, SEQ));
    parse_and_report("plain-error", buf, p - buf, NULL);

    /* An ACK with a warning is still success. */
    p = buf;
    end_msg(&p, put_error(&p, 0, true, 0, "just a warning", SEQ));
    parse_and_report("ack-warning", buf, p - buf, NULL);

    /* Extended ack with a new-line and control characters. */
    p = buf;
    end_msg(&p, put_error(&p, -EINVAL, true, 0, "bad\tthing\x1b[31m\n",
                          SEQ));
    parse_and_report("extack-sanitized", buf, p - buf, NULL);

    /* NLMSG_DONE carrying an error and an extended ack (dumps). */
    p = buf;
    nlh = put_msg(&p, NLMSG_DONE, NLM_F_MULTI | NLM_F_ACK_TLVS, SEQ);
    *(int32_t *) mnl_nlmsg_put_extra_header(nlh, sizeof(int32_t))
        = -EOPNOTSUPP;
    mnl_attr_put_strz(nlh, NLMSGERR_ATTR_MSG, "dump not supported");
    end_msg(&p, nlh);
    parse_and_report("done-error", buf, p - buf, NULL);

    /* NLMSG_DONE without payload (old kernels). */
    p = buf;
    end_msg(&p, put_msg(&p, NLMSG_DONE, NLM_F_MULTI, SEQ));
    parse_and_report("done-empty", buf, p - buf, NULL);

    /* An interrupted dump. */
    p = buf;
    end_msg(&p, put_msg(&p, 0x20, NLM_F_MULTI | NLM_F_DUMP_INTR, SEQ));
    parse_and_report("dump-intr", buf, p - buf, NULL);

    /* A callback that rejects the data. */
    p = buf;
    end_msg(&p, put_msg(&p, 0x20, 0, SEQ));
    end_msg(&p, put_error(&p, 0, true, 0, NULL, SEQ));
    parse_and_report("callback-error", buf, p - buf, fail_cb);

    /* Malformed: NLMSG_ERROR too short for struct nlmsgerr. */
    p = buf;
    nlh = put_msg(&p, NLMSG_ERROR, 0, SEQ);
    mnl_nlmsg_put_extra_header(nlh, 8);
    end_msg(&p, nlh);
    parse_and_report("short-nlmsgerr", buf, p - buf, NULL);

    /* Malformed: message longer than what was received. */
    p = buf;
    nlh = put_error(&p, -EBUSY, true, 0, "cut short", SEQ);
    end_msg(&p, nlh);
    parse_and_report("truncated-buffer", buf, nlh->nlmsg_len - 6, NULL);

    /* Malformed: trailing bytes that are not a message. */
    p = buf;
    end_msg(&p, put_msg(&p, 0x20, 0, SEQ));
    memset(p, 0, 8);
    parse_and_report("trailing-junk", buf, p - buf + 8, NULL);

    /* Malformed: an extended-ack attribute overrunning the message. */
    p = buf;
    nlh = put_error(&p, -EBUSY, true, 0, "overrun", SEQ);
    ((struct nlattr *) ((char *) mnl_nlmsg_get_payload(nlh)
                        + sizeof(struct nlmsgerr)))->nla_len = 200;
    end_msg(&p, nlh);
    parse_and_report("tlv-overrun", buf, p - buf, NULL);

    /* Malformed: an extended-ack string without its null. */
    p = buf;
    nlh = put_error(&p, -EBUSY, true, 0, NULL, SEQ);
    nlh->nlmsg_flags |= NLM_F_ACK_TLVS;
    mnl_attr_put(nlh, NLMSGERR_ATTR_MSG, 4, "abcd");
    end_msg(&p, nlh);
    parse_and_report("tlv-unterminated", buf, p - buf, NULL);

    /* Malformed: echoed request length larger than the message. */
    p = buf;
    nlh = put_error(&p, -EBUSY, false, 16, "x", SEQ);
    ((struct nlmsgerr *) mnl_nlmsg_get_payload(nlh))->msg.nlmsg_len = 4000;
    end_msg(&p, nlh);
    parse_and_report("echo-overrun", buf, p - buf, NULL);

    /* Malformed: positive error code. */
    p = buf;
    end_msg(&p, put_error(&p, 5, true, 0, NULL, SEQ));
    parse_and_report("positive-error", buf, p - buf, NULL);

    /* Error message formatting. */
    {
        char *s;

        s = nlsock_format_error("netdevsim/netdevsim10: eswitch mode "
                                "legacy: devlink", EBUSY,
                                "devlink: Rate node(s) exists.");
        printf("format: %s\n", s);
        free(s);
        s = nlsock_format_error("eth0: set combined channels to 8: ethtool",
                                EINVAL, "requested channel count exceeds "
                                "maximum");
        printf("format: %s\n", s);
        free(s);
        s = nlsock_format_error("devlink", EOPNOTSUPP, NULL);
        printf("format: %s\n", s);
        free(s);
        s = nlsock_format_error("devlink", EBUSY, "devlink: busy");
        printf("format: %s\n", s);
        free(s);
    }
}

/* parsers: rtnetlink, devlink, ethtool. */

static struct nlmsghdr *
link_msg(char *buf, const char *name)
{
    struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
    struct ifinfomsg *ifi;

    nlh->nlmsg_type = RTM_NEWLINK;
    ifi = mnl_nlmsg_put_extra_header(nlh, sizeof *ifi);
    ifi->ifi_index = 7;
    ifi->ifi_flags = IFF_UP | IFF_RUNNING;
    if (name) {
        mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
    }
    return nlh;
}

static void
report_link(const char *name, const struct nlmsghdr *nlh)
{
    struct rtnl_link link;
    char *error = rtnl_parse_link(nlh, &link);

    if (error) {
        report(name, error, NULL);
        return;
    }
    printf("%s: ok name=%s ifindex=%d kind=%s master=%d mtu=%u up=%d "
           "oper_up=%d port=%s switch=%s\n", name, link.name, link.ifindex,
           link.kind, link.master, link.mtu, (link.flags & IFF_UP) != 0,
           rtnl_link_oper_up(&link),
           link.phys_port_name ? link.phys_port_name : "-",
           link.phys_switch_id ? link.phys_switch_id : "-");
    rtnl_link_destroy(&link);
}

static void
test_rtnl_parsers(void)
{
    static const uint8_t switch_id[] = { 0x5a, 0x00, 0x10, 0xff };
    char buf[4096];
    struct nlmsghdr *nlh;
    struct nlattr *nest;

    nlh = link_msg(buf, "eth2");
    mnl_attr_put_u32(nlh, IFLA_MTU, 9080);
    mnl_attr_put_u32(nlh, IFLA_MASTER, 12);
    mnl_attr_put_u8(nlh, IFLA_OPERSTATE, IF_OPER_UP);
    mnl_attr_put_strz(nlh, IFLA_PHYS_PORT_NAME, "pf0vf3");
    mnl_attr_put(nlh, IFLA_PHYS_SWITCH_ID, sizeof switch_id, switch_id);
    report_link("link-rep", nlh);

    nlh = link_msg(buf, "bond0");
    mnl_attr_put_u32(nlh, IFLA_MTU, 1500);
    mnl_attr_put_u8(nlh, IFLA_OPERSTATE, IF_OPER_DOWN);
    nest = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
    mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "bond");
    mnl_attr_nest_end(nlh, nest);
    report_link("link-bond", nlh);

    nlh = link_msg(buf, "lo");
    mnl_attr_put_u8(nlh, IFLA_OPERSTATE, IF_OPER_UNKNOWN);
    report_link("link-unknown-running", nlh);

    report_link("link-no-name", link_msg(buf, NULL));
    report_link("link-long-name", link_msg(buf, "abcdefghijklmnop"));
    report_link("link-slash-name", link_msg(buf, "a/b"));

    nlh = link_msg(buf, NULL);
    mnl_attr_put(nlh, IFLA_IFNAME, 4, "eth0");      /* No null. */
    report_link("link-unterminated-name", nlh);

    nlh = link_msg(buf, "eth0");
    mnl_attr_put_u16(nlh, IFLA_MTU, 1500);
    report_link("link-short-mtu", nlh);

    nlh = link_msg(buf, "eth0");
    mnl_attr_put(nlh, IFLA_PHYS_SWITCH_ID, 0, NULL);
    report_link("link-empty-switch-id", nlh);

    nlh = link_msg(buf, "eth0");
    mnl_attr_put_u32(nlh, IFLA_MTU, 1500);
    ((struct nlattr *) ((char *) nlh + nlh->nlmsg_len - 8))->nla_len = 64;
    report_link("link-attr-overrun", nlh);

    nlh = link_msg(buf, "eth0");
    nest = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
    mnl_attr_put(nlh, IFLA_INFO_KIND, 3, "bon");
    mnl_attr_nest_end(nlh, nest);
    report_link("link-kind-unterminated", nlh);

    nlh = link_msg(buf, "eth0");
    nlh->nlmsg_len = NLMSG_HDRLEN + 4;
    report_link("link-short-ifinfomsg", nlh);

    nlh = link_msg(buf, "eth0");
    nlh->nlmsg_type = RTM_DELLINK;
    report_link("link-wrong-type", nlh);
}

static struct nlmsghdr *
genl_msg(char *buf)
{
    struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
    struct genlmsghdr *genl = mnl_nlmsg_put_extra_header(nlh, sizeof *genl);

    nlh->nlmsg_type = 0x15;
    genl->cmd = 1;
    return nlh;
}

static void
put_version(struct nlmsghdr *nlh, const char *name, const char *value)
{
    struct nlattr *nest = mnl_attr_nest_start(
        nlh, DEVLINK_ATTR_INFO_VERSION_RUNNING);
    mnl_attr_put_strz(nlh, DEVLINK_ATTR_INFO_VERSION_NAME, name);
    mnl_attr_put_strz(nlh, DEVLINK_ATTR_INFO_VERSION_VALUE, value);
    mnl_attr_nest_end(nlh, nest);
}

static void
report_port(const char *name, const struct nlmsghdr *nlh)
{
    struct devlink_port_info pi;
    char *error = devlink_parse_port(nlh, &pi);

    if (error) {
        report(name, error, NULL);
        return;
    }
    printf("%s: ok %s/%s index=%u flavour=%s pf=%d vf=%d netdev=%s", name,
           pi.bus, pi.dev, pi.port.index,
           hw_port_flavour_to_string(pi.port.flavour), pi.port.pfnum,
           pi.port.vfnum, pi.port.netdev ? pi.port.netdev : "-");
    if (pi.port.controller || pi.port.external) {
        printf(" controller=%u%s", pi.port.controller,
               pi.port.external ? " external" : "");
    }
    if (pi.warning) {
        printf(" warning=%s", pi.warning);
        free(pi.warning);
    }
    putchar('\n');
    devlink_ports_free(xmemdup(&pi, sizeof pi), 1);
}

static struct nlmsghdr *
port_msg(char *buf, const char *bus, const char *dev)
{
    struct nlmsghdr *nlh = genl_msg(buf);

    mnl_attr_put_strz(nlh, DEVLINK_ATTR_BUS_NAME, bus);
    mnl_attr_put_strz(nlh, DEVLINK_ATTR_DEV_NAME, dev);
    return nlh;
}

static void
test_devlink_parsers(void)
{
    struct devlink_dev_id id;
    char buf[4096];
    struct nlmsghdr *nlh;
    char *driver, *fw, *mode, *error;

    nlh = port_msg(buf, "netdevsim", "netdevsim10");
    error = devlink_parse_dev(nlh, &id);
    report("dev", error, id.bus ? id.bus : "-");
    report("dev", NULL, id.name ? id.name : "-");
    devlink_dev_ids_free(xmemdup(&id, sizeof id), 1);
    nlh = port_msg(buf, "..", "netdevsim10");
    report("dev-bad-bus", devlink_parse_dev(nlh, &id), NULL);
    nlh = port_msg(buf, "pci", "../../etc");
    report("dev-bad-name", devlink_parse_dev(nlh, &id), NULL);
    nlh = genl_msg(buf);
    mnl_attr_put_strz(nlh, DEVLINK_ATTR_BUS_NAME, "pci");
    report("dev-no-name", devlink_parse_dev(nlh, &id), NULL);

    nlh = port_msg(buf, "netdevsim", "netdevsim10");
    mnl_attr_put_u32(nlh, DEVLINK_ATTR_PORT_INDEX, 130);
    mnl_attr_put_u16(nlh, DEVLINK_ATTR_PORT_FLAVOUR,
                     DEVLINK_PORT_FLAVOUR_PCI_VF);
    mnl_attr_put_u16(nlh, DEVLINK_ATTR_PORT_PCI_PF_NUMBER, 0);
    mnl_attr_put_u16(nlh, DEVLINK_ATTR_PORT_PCI_VF_NUMBER, 2);
    mnl_attr_put_strz(nlh, DEVLINK_ATTR_PORT_NETDEV_NAME, "eth4");
    report_port("port-vf", nlh);

    /* A BlueField host VF representor, "c1pf0vf5": the numbers come from
     * the attributes, never from the name. */
    nlh = port_msg(buf, "pci", "0000:03:00.0");
    mnl_attr_put_u32(nlh, DEVLINK_ATTR_PORT_INDEX, 200);
    mnl_attr_put_u16(nlh, DEVLINK_ATTR_PORT_FLAVOUR,
                     DEVLINK_PORT_FLAVOUR_PCI_VF);
    mnl_attr_put_u16(nlh, DEVLINK_ATTR_PORT_PCI_PF_NUMBER, 0);
    mnl_attr_put_u16(nlh, DEVLINK_ATTR_PORT_PCI_VF_NUMBER, 5);
    mnl_attr_put_u8(nlh, DEVLINK_ATTR_PORT_EXTERNAL, 1);
    mnl_attr_put_u32(nlh, DEVLINK_ATTR_PORT_CONTROLLER_NUMBER, 1);
    mnl_attr_put_strz(nlh, DEVLINK_ATTR_PORT_NETDEV_NAME, "pf0hpf_x");
    report_port("port-bluefield-host-vf", nlh);

    nlh = port_msg(buf, "pci", "0000:03:00.0");
    mnl_attr_put_u32(nlh, DEVLINK_ATTR_PORT_INDEX, 201);
    mnl_attr_put_u8(nlh, DEVLINK_ATTR_PORT_EXTERNAL, 1);
    mnl_attr_put_u16(nlh, DEVLINK_ATTR_PORT_CONTROLLER_NUMBER, 1);
    report_port("port-controller-u16", nlh);

    nlh = port_msg(buf, "pci", "0000:03:00.0");
    mnl_attr_put_u32(nlh, DEVLINK_ATTR_PORT_INDEX, 65535);
    mnl_attr_put_u16(nlh, DEVLINK_ATTR_PORT_FLAVOUR,
                     DEVLINK_PORT_FLAVOUR_PHYSICAL);
    mnl_attr_put_u16(nlh, DEVLINK_ATTR_PORT_PCI_PF_NUMBER, 0);
    mnl_attr_put_strz(nlh, DEVLINK_ATTR_PORT_NETDEV_NAME, "enp3s0f0np0");
    report_port("port-physical", nlh);

    nlh = port_msg(buf, "pci", "0000:03:00.0");
    mnl_attr_put_u32(nlh, DEVLINK_ATTR_PORT_INDEX, 1);
    mnl_attr_put_u16(nlh, DEVLINK_ATTR_PORT_FLAVOUR,
                     DEVLINK_PORT_FLAVOUR_CPU);
    report_port("port-cpu-no-netdev", nlh);

    nlh = port_msg(buf, "netdevsim", "netdevsim10");
    mnl_attr_put_u16(nlh, DEVLINK_ATTR_PORT_FLAVOUR, 0);
    report_port("port-no-index", nlh);

    nlh = port_msg(buf, "netdevsim", "netdevsim10");
    mnl_attr_put_u32(nlh, DEVLINK_ATTR_PORT_INDEX, 1);
    mnl_attr_put_u32(nlh, DEVLINK_ATTR_PORT_FLAVOUR, 4);
    report_port("port-flavour-u32", nlh);

    nlh = port_msg(buf, "netdevsim", "netdevsim10");
    mnl_attr_put_u32(nlh, DEVLINK_ATTR_PORT_INDEX, 1);
    mnl_attr_put_strz(nlh, DEVLINK_ATTR_PORT_NETDEV_NAME, "..");
    report_port("port-bad-netdev", nlh);

    nlh = port_msg(buf, "netdevsim", "netdevsim10");
    mnl_attr_put_u32(nlh, DEVLINK_ATTR_PORT_INDEX, 1);
    nlh->nlmsg_len -= 2;
    report_port("port-truncated", nlh);

    nlh = port_msg(buf, "netdevsim", "netdevsim10");
    mnl_attr_put_strz(nlh, DEVLINK_ATTR_INFO_DRIVER_NAME, "netdevsim");
    put_version(nlh, "fw.mgmt", "10.20.30");
    error = devlink_parse_info(nlh, &driver, &fw);
    printf("info-nsim: %s driver=%s fw=%s\n", error ? error : "ok",
           driver ? driver : "-", fw ? fw : "-");
    free(driver);
    free(fw);

    nlh = port_msg(buf, "pci", "0000:03:00.0");
    mnl_attr_put_strz(nlh, DEVLINK_ATTR_INFO_DRIVER_NAME, "mlx5_core");
    put_version(nlh, "fw.psid", "MT_0000000080");
    put_version(nlh, "fw.version", "16.35.4554");
    put_version(nlh, "fw", "16.35.4554-x");
    error = devlink_parse_info(nlh, &driver, &fw);
    printf("info-mlx5: %s driver=%s fw=%s\n", error ? error : "ok",
           driver ? driver : "-", fw ? fw : "-");
    free(driver);
    free(fw);

    nlh = port_msg(buf, "pci", "0000:03:00.0");
    put_version(nlh, "fw.version", "bad\x01version");
    error = devlink_parse_info(nlh, &driver, &fw);
    printf("info-unprintable-fw: %s driver=%s fw=%s\n", error ? error : "ok",
           driver ? driver : "-", fw ? fw : "-");
    free(driver);
    free(fw);

    nlh = port_msg(buf, "pci", "0000:03:00.0");
    mnl_attr_put(nlh, DEVLINK_ATTR_INFO_DRIVER_NAME, 4, "mlx5");
    report("info-unterminated-driver", devlink_parse_info(nlh, &driver, &fw),
           NULL);

    nlh = port_msg(buf, "pci", "0000:03:00.0");
    {
        struct nlattr *nest = mnl_attr_nest_start(
            nlh, DEVLINK_ATTR_INFO_VERSION_RUNNING);
        mnl_attr_put_strz(nlh, DEVLINK_ATTR_INFO_VERSION_NAME, "fw");
        mnl_attr_nest_end(nlh, nest);
    }
    report("info-version-no-value", devlink_parse_info(nlh, &driver, &fw),
           NULL);

    nlh = port_msg(buf, "netdevsim", "netdevsim10");
    mnl_attr_put_u16(nlh, DEVLINK_ATTR_ESWITCH_MODE,
                     DEVLINK_ESWITCH_MODE_SWITCHDEV);
    error = devlink_parse_eswitch(nlh, &mode);
    report("eswitch", error, mode);
    free(mode);
    nlh = port_msg(buf, "netdevsim", "netdevsim10");
    mnl_attr_put_u16(nlh, DEVLINK_ATTR_ESWITCH_MODE, 7);
    error = devlink_parse_eswitch(nlh, &mode);
    report("eswitch-unknown", error, mode);
    free(mode);
    nlh = port_msg(buf, "netdevsim", "netdevsim10");
    mnl_attr_put_u8(nlh, DEVLINK_ATTR_ESWITCH_MODE, 1);
    report("eswitch-u8", devlink_parse_eswitch(nlh, &mode), NULL);
    nlh = port_msg(buf, "netdevsim", "netdevsim10");
    report("eswitch-missing", devlink_parse_eswitch(nlh, &mode), NULL);
}

/* A kernel datapath vport message: generic netlink and ovs_header, then
 * the port number and name if given. */
static struct nlmsghdr *
vport_msg(char *buf, int port_no, const char *name)
{
    struct nlmsghdr *nlh = genl_msg(buf);
    struct ovs_header *oh = mnl_nlmsg_put_extra_header(nlh, sizeof *oh);

    oh->dp_ifindex = 7;
    if (port_no >= 0) {
        mnl_attr_put_u32(nlh, OVS_VPORT_ATTR_PORT_NO, port_no);
    }
    mnl_attr_put_u32(nlh, OVS_VPORT_ATTR_TYPE, OVS_VPORT_TYPE_NETDEV);
    if (name) {
        mnl_attr_put_strz(nlh, OVS_VPORT_ATTR_NAME, name);
    }
    return nlh;
}

static void
report_vport(const char *test, const struct nlmsghdr *nlh)
{
    uint32_t port_no = 0;
    int error = ovsdp_parse_vport(nlh, "vmrep1", &port_no);

    printf("%s: %s", test, error ? ovs_strerror(error) : "ok");
    if (!error) {
        printf(" port %"PRIu32, port_no);
    }
    putchar('\n');
}

/* A kernel datapath message: generic netlink and ovs_header, then the name
 * and statistics if given (n_hit 7, n_missed 3, n_lost 2, n_flows 5, the
 * 4-byte alignment of netlink attributes). */
static struct nlmsghdr *
dp_msg(char *buf, const char *name, bool stats)
{
    struct nlmsghdr *nlh = genl_msg(buf);
    struct ovs_header *oh = mnl_nlmsg_put_extra_header(nlh, sizeof *oh);

    oh->dp_ifindex = 9;
    if (name) {
        mnl_attr_put_strz(nlh, OVS_DP_ATTR_NAME, name);
    }
    mnl_attr_put_u32(nlh, OVS_DP_ATTR_USER_FEATURES, 0);
    if (stats) {
        struct ovs_dp_stats st = { .n_hit = 7, .n_missed = 3, .n_lost = 2,
                                   .n_flows = 5 };
        mnl_attr_put(nlh, OVS_DP_ATTR_STATS, sizeof st, &st);
    }
    return nlh;
}

static void
report_dp(const char *test, const struct nlmsghdr *nlh)
{
    struct ovsdp_dp dp;
    int error = ovsdp_parse_dp(nlh, &dp);

    printf("%s: %s", test, error ? ovs_strerror(error) : "ok");
    if (!error) {
        printf(" %s hit %"PRIu64" missed %"PRIu64" lost %"PRIu64" flows %"
               PRIu64, dp.name, dp.n_hit, dp.n_missed, dp.n_lost,
               dp.n_flows);
    }
    putchar('\n');
}

static void
test_ovsdp_parsers(void)
{
    char buf[MNL_SOCKET_BUFFER_SIZE];
    struct nlmsghdr *nlh;

    report_vport("vport", vport_msg(buf, 2, "vmrep1"));
    report_vport("vport-other", vport_msg(buf, 3, "eni10npf0vf2"));
    report_vport("vport-no-port", vport_msg(buf, -1, "vmrep1"));
    report_vport("vport-no-name", vport_msg(buf, 2, NULL));
    report_vport("vport-long-name",
                 vport_msg(buf, 2, "a-name-longer-than-ifnamsiz"));
    nlh = genl_msg(buf);
    report_vport("vport-no-ovs-header", nlh);

    report_dp("dp", dp_msg(buf, "ovs-system", true));
    report_dp("dp-no-stats", dp_msg(buf, "ovs-system", false));
    report_dp("dp-no-name", dp_msg(buf, NULL, true));
    report_dp("dp-traversal", dp_msg(buf, "..", true));
    report_dp("dp-slash", dp_msg(buf, "a/b", true));
    report_dp("dp-long-name",
              dp_msg(buf, "a-name-longer-than-ifnamsiz", true));
    nlh = dp_msg(buf, "ovs-system", false);
    mnl_attr_put(nlh, OVS_DP_ATTR_STATS, 8, "12345678");
    report_dp("dp-short-stats", nlh);
    nlh = genl_msg(buf);
    report_dp("dp-no-ovs-header", nlh);
}

/* Issue 13 (vdpa): VDPA_CMD_DEV_GET and VDPA_CMD_DEV_CONFIG_GET replies,
 * as Linux 6.12 sends them. */
static struct nlmsghdr *
vdpa_msg(char *buf, const char *name)
{
    struct nlmsghdr *nlh = genl_msg(buf);

    if (name) {
        mnl_attr_put_strz(nlh, VDPA_ATTR_DEV_NAME, name);
    }
    return nlh;
}

static void
report_vdpa(const char *name, char *error, const struct hw_vdpa *v)
{
    char value[160];

    if (!error) {
        snprintf(value, sizeof value, "name=%s mgmtdev=%s mac=%s max_vqp=%u",
                 v->name, v->mgmtdev ? v->mgmtdev : "-",
                 v->mac[0] ? v->mac : "-", v->max_vqp);
    }
    report(name, error, error ? NULL : value);
}

static void
test_vdpa_parsers(void)
{
    static const uint8_t mac[6] = { 0x02, 0x00, 0x00, 0x00, 0x0a, 0x01 };
    struct nlmsghdr *nlh;
    struct hw_vdpa v;
    char buf[4096];
    char *error;

    /* vdpa_sim_net's management device has no bus. */
    nlh = vdpa_msg(buf, "vdpa0");
    mnl_attr_put_strz(nlh, VDPA_ATTR_MGMTDEV_DEV_NAME, "vdpasim_net");
    mnl_attr_put_u32(nlh, VDPA_ATTR_DEV_ID, 1);
    mnl_attr_put_u32(nlh, VDPA_ATTR_DEV_VENDOR_ID, 0);
    mnl_attr_put_u32(nlh, VDPA_ATTR_DEV_MAX_VQS, 3);
    mnl_attr_put_u16(nlh, VDPA_ATTR_DEV_MAX_VQ_SIZE, 256);
    error = vdpa_parse_dev(nlh, &v);
    report_vdpa("vdpa-dev-sim", error, &v);
    vdpa_clear(&v);

    /* A VF's PCI function. */
    nlh = vdpa_msg(buf, "vdpa1");
    mnl_attr_put_strz(nlh, VDPA_ATTR_MGMTDEV_BUS_NAME, "pci");
    mnl_attr_put_strz(nlh, VDPA_ATTR_MGMTDEV_DEV_NAME, "0000:03:00.2");
    error = vdpa_parse_dev(nlh, &v);
    report_vdpa("vdpa-dev-pci", error, &v);
    vdpa_clear(&v);

    nlh = vdpa_msg(buf, NULL);
    mnl_attr_put_strz(nlh, VDPA_ATTR_MGMTDEV_DEV_NAME, "vdpasim_net");
    report_vdpa("vdpa-dev-no-name", vdpa_parse_dev(nlh, &v), &v);

    nlh = vdpa_msg(buf, "../../etc");
    mnl_attr_put_strz(nlh, VDPA_ATTR_MGMTDEV_DEV_NAME, "vdpasim_net");
    report_vdpa("vdpa-dev-traversal", vdpa_parse_dev(nlh, &v), &v);

    nlh = genl_msg(buf);
    mnl_attr_put(nlh, VDPA_ATTR_DEV_NAME, 5, "vdpa0");
    report_vdpa("vdpa-dev-unterminated", vdpa_parse_dev(nlh, &v), &v);

    nlh = vdpa_msg(buf, "vdpa0");
    report_vdpa("vdpa-dev-no-mgmtdev", vdpa_parse_dev(nlh, &v), &v);

    nlh = vdpa_msg(buf, "vdpa0");
    mnl_attr_put_strz(nlh, VDPA_ATTR_MGMTDEV_BUS_NAME, "PCI bus");
    mnl_attr_put_strz(nlh, VDPA_ATTR_MGMTDEV_DEV_NAME, "0000:03:00.2");
    report_vdpa("vdpa-dev-bad-bus", vdpa_parse_dev(nlh, &v), &v);

    nlh = vdpa_msg(buf, "vdpa0");
    mnl_attr_put_strz(nlh, VDPA_ATTR_MGMTDEV_DEV_NAME, "a/b");
    report_vdpa("vdpa-dev-slash-mgmtdev", vdpa_parse_dev(nlh, &v), &v);

    nlh = vdpa_msg(buf, "vdpa0");
    mnl_attr_put_strz(nlh, VDPA_ATTR_MGMTDEV_DEV_NAME, "vdpasim_net");
    ((struct nlattr *) ((char *) nlh + NLMSG_HDRLEN
                        + sizeof(struct genlmsghdr)))->nla_len = 300;
    report_vdpa("vdpa-dev-overrun", vdpa_parse_dev(nlh, &v), &v);

    /* Configuration: the MAC, max_vqp (1 without VIRTIO_NET_F_MQ). */
    nlh = vdpa_msg(buf, "vdpa0");
    mnl_attr_put(nlh, VDPA_ATTR_DEV_NET_CFG_MACADDR, sizeof mac, mac);
    mnl_attr_put_u16(nlh, VDPA_ATTR_DEV_NET_STATUS, 1);
    mnl_attr_put_u16(nlh, VDPA_ATTR_DEV_NET_CFG_MAX_VQP, 1);
    mnl_attr_put_u16(nlh, VDPA_ATTR_DEV_NET_CFG_MTU, 1500);
    error = vdpa_parse_config(nlh, &v);
    report_vdpa("vdpa-config", error, &v);
    vdpa_clear(&v);

    nlh = vdpa_msg(buf, "vdpa0");
    error = vdpa_parse_config(nlh, &v);
    report_vdpa("vdpa-config-unreported", error, &v);
    vdpa_clear(&v);

    nlh = vdpa_msg(buf, "vdpa0");
    mnl_attr_put(nlh, VDPA_ATTR_DEV_NET_CFG_MACADDR, 4, mac);
    report_vdpa("vdpa-config-short-mac", vdpa_parse_config(nlh, &v), &v);

    nlh = vdpa_msg(buf, "vdpa0");
    mnl_attr_put_u32(nlh, VDPA_ATTR_DEV_NET_CFG_MAX_VQP, 4);
    report_vdpa("vdpa-config-vqp-u32", vdpa_parse_config(nlh, &v), &v);

    nlh = vdpa_msg(buf, NULL);
    mnl_attr_put(nlh, VDPA_ATTR_DEV_NET_CFG_MACADDR, sizeof mac, mac);
    report_vdpa("vdpa-config-no-name", vdpa_parse_config(nlh, &v), &v);
}

static void
put_bit(struct nlmsghdr *nlh, unsigned int index, const char *name,
        bool value)
{
    struct nlattr *bit = mnl_attr_nest_start(nlh, ETHTOOL_A_BITSET_BITS_BIT);

    mnl_attr_put_u32(nlh, ETHTOOL_A_BITSET_BIT_INDEX, index);
    mnl_attr_put_strz(nlh, ETHTOOL_A_BITSET_BIT_NAME, name);
    if (value) {
        mnl_attr_put(nlh, ETHTOOL_A_BITSET_BIT_VALUE, 0, NULL);
    }
    mnl_attr_nest_end(nlh, bit);
}

/* A features reply whose "active" set lists 'names' (with a mask if
 * 'mask', in which case odd entries are off). */
static struct nlmsghdr *
features_msg(char *buf, bool mask, const char *const *names, size_t n)
{
    struct nlmsghdr *nlh = genl_msg(buf);
    struct nlattr *set, *bits;

    set = mnl_attr_nest_start(nlh, ETHTOOL_A_FEATURES_ACTIVE);
    if (!mask) {
        mnl_attr_put(nlh, ETHTOOL_A_BITSET_NOMASK, 0, NULL);
    }
    mnl_attr_put_u32(nlh, ETHTOOL_A_BITSET_SIZE, 64);
    bits = mnl_attr_nest_start(nlh, ETHTOOL_A_BITSET_BITS);
    for (size_t i = 0; i < n; i++) {
        put_bit(nlh, 10 + i, names[i], !mask || !(i % 2));
    }
    mnl_attr_nest_end(nlh, bits);
    mnl_attr_nest_end(nlh, set);
    return nlh;
}

static void
report_feature(const char *name, const struct nlmsghdr *nlh)
{
    bool active;
    char *error = ethtool_nl_parse_feature(nlh, "hw-tc-offload", &active);

    report(name, error, error ? NULL : active ? "on" : "off");
}

static void
test_ethtool_parsers(void)
{
    static const char *const on[] = { "rx-checksum", "hw-tc-offload" };
    static const char *const off[] = { "rx-checksum", "tx-nocache-copy" };
    static const char *const masked[] = { "rx-checksum", "hw-tc-offload" };
    struct hw_channels ch;
    char buf[4096];
    struct nlmsghdr *nlh;
    char value[64];
    char *error;

    nlh = genl_msg(buf);
    mnl_attr_put_u32(nlh, ETHTOOL_A_CHANNELS_COMBINED_MAX, 4);
    mnl_attr_put_u32(nlh, ETHTOOL_A_CHANNELS_COMBINED_COUNT, 2);
    error = ethtool_nl_parse_channels(nlh, &ch);
    snprintf(value, sizeof value, "%u/%u", ch.combined, ch.max_combined);
    report("channels", error, error ? NULL : value);

    nlh = genl_msg(buf);
    mnl_attr_put_u32(nlh, ETHTOOL_A_CHANNELS_RX_MAX, 4);
    report("channels-none", ethtool_nl_parse_channels(nlh, &ch), NULL);

    nlh = genl_msg(buf);
    mnl_attr_put_u32(nlh, ETHTOOL_A_CHANNELS_COMBINED_MAX, 4);
    mnl_attr_put_u32(nlh, ETHTOOL_A_CHANNELS_COMBINED_COUNT, 9);
    report("channels-count-over-max", ethtool_nl_parse_channels(nlh, &ch),
           NULL);

    nlh = genl_msg(buf);
    mnl_attr_put_u32(nlh, ETHTOOL_A_CHANNELS_COMBINED_MAX, 4);
    mnl_attr_put_u8(nlh, ETHTOOL_A_CHANNELS_COMBINED_COUNT, 1);
    report("channels-short", ethtool_nl_parse_channels(nlh, &ch), NULL);

    report_feature("feature-on", features_msg(buf, false, on, 2));
    report_feature("feature-off", features_msg(buf, false, off, 2));
    report_feature("feature-masked-off", features_msg(buf, true, masked, 2));
    report_feature("feature-empty", features_msg(buf, false, NULL, 0));

    nlh = genl_msg(buf);
    {
        struct nlattr *set = mnl_attr_nest_start(nlh,
                                                 ETHTOOL_A_FEATURES_ACTIVE);
        mnl_attr_put_u32(nlh, ETHTOOL_A_BITSET_VALUE, 0xff);
        mnl_attr_nest_end(nlh, set);
    }
    report_feature("feature-compact", nlh);

    nlh = genl_msg(buf);
    {
        struct nlattr *set, *bits, *bit;

        set = mnl_attr_nest_start(nlh, ETHTOOL_A_FEATURES_ACTIVE);
        mnl_attr_put(nlh, ETHTOOL_A_BITSET_NOMASK, 0, NULL);
        bits = mnl_attr_nest_start(nlh, ETHTOOL_A_BITSET_BITS);
        bit = mnl_attr_nest_start(nlh, ETHTOOL_A_BITSET_BITS_BIT);
        mnl_attr_put(nlh, ETHTOOL_A_BITSET_BIT_NAME, 13, "hw-tc-offload");
        mnl_attr_nest_end(nlh, bit);
        mnl_attr_nest_end(nlh, bits);
        mnl_attr_nest_end(nlh, set);
    }
    report_feature("feature-unterminated-name", nlh);

    report_feature("feature-missing", genl_msg(buf));
}

/* Lab commands. */

static struct hw_options options;

static int
lab_result(const char *what, int error, char *msg)
{
    if (error) {
        printf("%s: error %d (%s): %s\n", what, error, ovs_strerror(error),
               msg ? msg : "(no message)");
        free(msg);
        return 1;
    }
    printf("%s: ok\n", what);
    return 0;
}

/* Model (issue 10): one observation, timed, with its netlink requests. */
static int
lab_model_observe(struct hw *hw, struct hw_snapshot *snap, int i)
{
    long long int start = time_msec();
    char *msg = NULL;
    int error;

    error = hw_observe(hw, snap, &msg);
    if (error) {
        return lab_result("observe", error, msg);
    }
    printf("observation %d: %s, %u netlink requests, %lld ms, %"PRIuSIZE
           " links, %s\n", i, snap->full_dump ? "full dump" : "from the model",
           snap->n_requests, time_msec() - start, shash_count(&snap->links),
           snap->incomplete ? "incomplete" : "complete");
    return 0;
}

/* Removes every occurrence of 'word' from 's'. */
static void
lab_model_strip(struct ds *s, const char *word)
{
    size_t len = strlen(word);
    char *p;

    while ((p = strstr(ds_cstr(s), word)) != NULL) {
        memmove(p, p + len, strlen(p + len) + 1);
        s->length -= len;
    }
}

static int
lab_model(struct hw *hw, int ms)
{
    struct ds a = DS_EMPTY_INITIALIZER, b = DS_EMPTY_INITIALIZER;
    struct hw_snapshot snap, fresh;
    long long int deadline = time_msec() + ms;
    struct hw *hw2;
    char *msg = NULL;
    int i = 1;
    int error;

    hw_snapshot_init(&snap);
    hw_snapshot_init(&fresh);
    hw_run(hw);
    error = lab_model_observe(hw, &snap, i++);
    while (!error && time_msec() < deadline) {
        if (hw_run(hw)) {
            error = lab_model_observe(hw, &snap, i++);
        }
        hw_wait(hw);
        poll_timer_wait_until(deadline);
        poll_block();
    }
    /* The model against a fresh dump.  A change that arrives while the
     * fresh dump runs (ovs-vswitchd following an MTU, say) makes the two
     * differ without the model being wrong: then both are taken again, up
     * to 5 times.  A model that is wrong stays wrong. */
    for (int attempt = 1; !error; attempt++) {
        error = lab_model_observe(hw, &snap, i++);
        if (error) {
            break;
        }
        error = hw_open("linux", &options, &hw2, &msg);
        if (error) {
            error = lab_result("open", error, msg);
            break;
        }
        hw_snapshot_destroy(&fresh);
        hw_snapshot_init(&fresh);
        error = hw_observe(hw2, &fresh, &msg);
        hw_close(hw2);
        if (error) {
            error = lab_result("observe", error, msg);
            break;
        }
        if (hw_run(hw) && attempt < 5) {
            printf("the kernel changed during the fresh dump: again\n");
            continue;
        }
        ds_clear(&a);
        ds_clear(&b);
        hw_snapshot_format(&snap, &a);
        hw_snapshot_format(&fresh, &b);
        /* Whether a link has settled is the back end's own timer (a link
         * named by the kernel settles a while after it was first seen),
         * not a kernel fact: a fresh back end starts it again. */
        lab_model_strip(&a, " unsettled");
        lab_model_strip(&b, " unsettled");
        if (strcmp(ds_cstr(&a), ds_cstr(&b))) {
            printf("model differs from a fresh dump\n--- model\n%s--- "
                   "fresh dump\n%s", ds_cstr(&a), ds_cstr(&b));
            error = 1;
        } else {
            printf("model = fresh dump (%"PRIuSIZE" links, %"PRIuSIZE
                   " devices)\n", shash_count(&snap.links),
                   shash_count(&snap.devices));
        }
        break;
    }
    ds_destroy(&a);
    ds_destroy(&b);
    hw_snapshot_destroy(&snap);
    hw_snapshot_destroy(&fresh);
    return error;
}

static int
lab_command(int argc, char *argv[])
{
    const char *cmd = argv[0];
    struct hw *hw;
    char *msg = NULL;
    int error;

    error = hw_open("linux", &options, &hw, &msg);
    if (error) {
        return lab_result("open", error, msg);
    }

#define NEED(N) \
    if (argc < (N) + 1) { \
        ovs_fatal(0, "%s: needs %d arguments", cmd, N); \
    }

    if (!strcmp(cmd, "observe")) {
        struct hw_snapshot snap;
        struct ds s = DS_EMPTY_INITIALIZER;

        hw_snapshot_init(&snap);
        error = hw_observe(hw, &snap, &msg);
        if (!error) {
            hw_snapshot_format(&snap, &s);
            fputs(ds_cstr(&s), stdout);
        }
        ds_destroy(&s);
        hw_snapshot_destroy(&snap);
        error = error ? lab_result(cmd, error, msg) : 0;
    } else if (!strcmp(cmd, "lag")) {
        struct hw_snapshot snap;
        const struct hw_device *dev;

        NEED(2);
        hw_snapshot_init(&snap);
        error = hw_observe(hw, &snap, &msg);
        if (!error) {
            dev = hw_snapshot_find_device(&snap, argv[1], argv[2]);
            if (dev) {
                printf("lag %s/%s: %s\n", argv[1], argv[2],
                       dev->lag_state ? dev->lag_state : "(none)");
            } else {
                printf("lag %s/%s: no such device\n", argv[1], argv[2]);
                error = ENODEV;
            }
        } else {
            error = lab_result(cmd, error, msg);
        }
        hw_snapshot_destroy(&snap);
    } else if (!strcmp(cmd, "eswitch")) {
        NEED(3);
        error = hw_set_eswitch_mode(hw, argv[1], argv[2], argv[3], &msg);
        error = lab_result(cmd, error, msg);
    } else if (!strcmp(cmd, "numvfs")) {
        NEED(3);
        error = hw_set_num_vfs(hw, argv[1], argv[2], atoi(argv[3]), &msg);
        error = lab_result(cmd, error, msg);
    } else if (!strcmp(cmd, "channels")) {
        NEED(1);
        if (argc > 2) {
            error = hw_set_channels(hw, argv[1], atoi(argv[2]), &msg);
            error = lab_result(cmd, error, msg);
        } else {
            struct hw_channels ch;

            error = hw_get_channels(hw, argv[1], &ch, &msg);
            if (!error) {
                printf("channels %s: combined %u max %u\n", argv[1],
                       ch.combined, ch.max_combined);
            } else {
                error = lab_result(cmd, error, msg);
            }
        }
    } else if (!strcmp(cmd, "mtu")) {
        NEED(2);
        error = hw_set_mtu(hw, argv[1], atoi(argv[2]), &msg);
        error = lab_result(cmd, error, msg);
    } else if (!strcmp(cmd, "up") || !strcmp(cmd, "down")) {
        NEED(1);
        error = hw_set_up(hw, argv[1], !strcmp(cmd, "up"), &msg);
        error = lab_result(cmd, error, msg);
    } else if (!strcmp(cmd, "bond")) {
        NEED(2);
        error = hw_create_bond(hw, argv[1], argv[2],
                               argc > 3 ? atoi(argv[3]) : 100, &msg);
        error = lab_result(cmd, error, msg);
    } else if (!strcmp(cmd, "master")) {
        NEED(2);
        error = hw_set_master(hw, argv[1],
                              strcmp(argv[2], "-") ? argv[2] : NULL, &msg);
        error = lab_result(cmd, error, msg);
    } else if (!strcmp(cmd, "delete")) {
        NEED(1);
        error = hw_delete_link(hw, argv[1], &msg);
        error = lab_result(cmd, error, msg);
    } else if (!strcmp(cmd, "events")) {
        /* Counts hw_run() wake-ups for N milliseconds, to show the event
         * loop integration: a link change in between must be seen. */
        long long int deadline;
        int n = 0;

        NEED(1);
        deadline = time_msec() + atoi(argv[1]);
        hw_run(hw);             /* The initial "everything changed". */
        while (time_msec() < deadline) {
            if (hw_run(hw)) {
                n++;
            }
            hw_wait(hw);
            poll_timer_wait_until(deadline);
            poll_block();
        }
        printf("events: %s\n", n ? "changed" : "none");
        error = 0;
    } else if (!strcmp(cmd, "model")) {
        NEED(1);
        error = lab_model(hw, atoi(argv[1]));
    } else {
        ovs_fatal(0, "unknown command %s", cmd);
    }
#undef NEED
    hw_close(hw);
    return error ? 1 : 0;
}

int
main(int argc, char *argv[])
{
    static const struct option long_options[] = {
        { "sysfs-root", required_argument, NULL, 's' },
        { "debugfs-root", required_argument, NULL, 'd' },
        { "verbose", no_argument, NULL, 'v' },
        { NULL, 0, NULL, 0 },
    };
    const char *cmd;

    set_program_name(argv[0]);
    vlog_set_levels(NULL, VLF_ANY_DESTINATION, VLL_WARN);
    for (;;) {
        int c = getopt_long(argc, argv, "+", long_options, NULL);
        if (c == -1) {
            break;
        }
        switch (c) {
        case 's':
            options.sysfs_root = optarg;
            break;
        case 'd':
            options.debugfs_root = optarg;
            break;
        case 'v':
            vlog_set_levels(NULL, VLF_ANY_DESTINATION, VLL_DBG);
            break;
        default:
            exit(2);
        }
    }
    argc -= optind;
    argv += optind;
    if (argc < 1) {
        ovs_fatal(0, "usage: test-hw [--sysfs-root=DIR] [--debugfs-root=DIR] "
                  "COMMAND [ARG...]");
    }
    cmd = argv[0];

    if (!strcmp(cmd, "sysfs-path")) {
        test_sysfs_path();
    } else if (!strcmp(cmd, "sysfs-parse")) {
        test_sysfs_parse();
    } else if (!strcmp(cmd, "sysfs-vfs") && argc == 5) {
        return run_sysfs_vfs(argv + 1);
    } else if (!strcmp(cmd, "sysfs-set-numvfs") && argc == 5) {
        return run_sysfs_set_numvfs(argv + 1);
    } else if (!strcmp(cmd, "sysfs-lag") && argc == 3) {
        return run_sysfs_lag(argv + 1);
    } else if (!strcmp(cmd, "sysfs-link") && argc == 3) {
        return run_sysfs_link(argv + 1);
    } else if (!strcmp(cmd, "sysfs-vdpa-vhost") && argc == 3) {
        return run_sysfs_vdpa_vhost(argv + 1);
    } else if (!strcmp(cmd, "sysfs-settle") && argc == 5) {
        return run_sysfs_settle(argv + 1);
    } else if (!strcmp(cmd, "nlmsg")) {
        test_nlmsg();
    } else if (!strcmp(cmd, "parsers")) {
        test_rtnl_parsers();
        test_devlink_parsers();
        test_ethtool_parsers();
        test_ovsdp_parsers();
        test_vdpa_parsers();
    } else {
        return lab_command(argc, argv);
    }
    return 0;
}
