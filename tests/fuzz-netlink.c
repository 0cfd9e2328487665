/*
 * fuzz-netlink: libFuzzer target for the netlink parsers of the kernel
 * access layer: links (rtnetlink), devlink devices, ports, info and
 * eswitch, ethtool channels and features, vDPA devices and their
 * configuration, kernel datapath vports.  The first byte of an input
 * chooses the parser (fuzz-netlink.h); the rest is a buffer of netlink
 * messages, each handed to the parser the way libmnl's callbacks would
 * (only messages that fit in the buffer).  A parser must return an error
 * or a result for any input, never crash or read out of bounds.
 *
 * "make check" runs it without libFuzzer through fuzz-driver.c, over the
 * messages of the parser unit tests (test-hw parsers with
 * TEST_HW_CORPUS=DIR), with every truncation and byte corruption.  A longer
 * run with libFuzzer: "make fuzz-netlink && ./fuzz-netlink CORPUS-DIR"
 * (see tests/verify.mk).
 */
#include <config.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <libmnl/libmnl.h>

#include "devlink.h"
#include "ethtool-nl.h"
#include "fuzz-netlink.h"
#include "hw.h"
#include "openvswitch/vlog.h"
#include "ovsdp.h"
#include "rtnl.h"
#include "util.h"
#include "vdpa.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
fuzz_one(enum fuzz_netlink_parser parser, const struct nlmsghdr *nlh)
{
    struct devlink_port_info pi;
    struct devlink_dev_id id;
    struct rtnl_link link;
    struct hw_channels ch;
    struct hw_vdpa vdpa;
    char *a = NULL, *b = NULL;
    char *error = NULL;
    bool active;

    switch (parser) {
    case FUZZ_NL_LINK:
        error = rtnl_parse_link(nlh, &link);
        if (!error) {
            rtnl_link_destroy(&link);
        }
        break;
    case FUZZ_NL_DEVLINK_DEV:
        error = devlink_parse_dev(nlh, &id);
        if (!error) {
            devlink_dev_ids_free(xmemdup(&id, sizeof id), 1);
        }
        break;
    case FUZZ_NL_DEVLINK_PORT:
        error = devlink_parse_port(nlh, &pi);
        if (!error) {
            free(pi.warning);
            devlink_ports_free(xmemdup(&pi, sizeof pi), 1);
        }
        break;
    case FUZZ_NL_DEVLINK_INFO:
        error = devlink_parse_info(nlh, &a, &b);
        break;
    case FUZZ_NL_DEVLINK_ESWITCH:
        error = devlink_parse_eswitch(nlh, &a);
        break;
    case FUZZ_NL_ETHTOOL_CHANNELS:
        error = ethtool_nl_parse_channels(nlh, &ch);
        break;
    case FUZZ_NL_ETHTOOL_FEATURE:
        error = ethtool_nl_parse_feature(nlh, "hw-tc-offload", &active);
        break;
    case FUZZ_NL_OVS_VPORT: {
        uint32_t port_no;

        ovsdp_parse_vport(nlh, "vmrep1", &port_no);
        break;
    }
    case FUZZ_NL_VDPA_DEV:
        error = vdpa_parse_dev(nlh, &vdpa);
        vdpa_clear(&vdpa);
        break;
    case FUZZ_NL_VDPA_CONFIG:
        error = vdpa_parse_config(nlh, &vdpa);
        vdpa_clear(&vdpa);
        break;
    case FUZZ_NL_OVS_DP: {
        struct ovsdp_dp dp;

        ovsdp_parse_dp(nlh, &dp);
        break;
    }
    case FUZZ_NL_N_PARSERS:
    default:
        break;
    }
    if (error) {
        free(a);
        free(b);
        a = b = NULL;
        if (!error[0]) {
            ovs_abort(0, "a parser error without a message");
        }
    }
    free(a);
    free(b);
    free(error);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static bool quiet;
    int len;

    if (!quiet) {
        vlog_set_levels(NULL, VLF_ANY_DESTINATION, VLL_OFF);
        quiet = true;
    }
    if (!size || size > 65536) {
        return 0;
    }
    /* An aligned, exactly sized copy, as a socket buffer would be. */
    len = size - 1;
    void *buf = xmalloc(len ? len : 1);
    memcpy(buf, data + 1, len);

    /* libmnl's mnl_nlmsg_ok() takes an nlmsg_len of 2 GB or more for a
     * negative length, so the length is also checked as unsigned. */
    const struct nlmsghdr *nlh = buf;
    while (mnl_nlmsg_ok(nlh, len) && nlh->nlmsg_len <= (uint32_t) len) {
        fuzz_one(data[0] % FUZZ_NL_N_PARSERS, nlh);
        nlh = mnl_nlmsg_next(nlh, &len);
    }
    free(buf);
    return 0;
}
