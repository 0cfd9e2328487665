/*
 * fuzz-netlink: which parser of the kernel access layer an input of the
 * netlink fuzz target is for (its first byte); the rest of the input is a
 * buffer of netlink messages.
 */
#ifndef FUZZ_NETLINK_H
#define FUZZ_NETLINK_H 1

enum fuzz_netlink_parser {
    FUZZ_NL_LINK,               /* rtnl_parse_link(). */
    FUZZ_NL_DEVLINK_DEV,        /* devlink_parse_dev(). */
    FUZZ_NL_DEVLINK_PORT,       /* devlink_parse_port(). */
    FUZZ_NL_DEVLINK_INFO,       /* devlink_parse_info(). */
    FUZZ_NL_DEVLINK_ESWITCH,    /* devlink_parse_eswitch(). */
    FUZZ_NL_ETHTOOL_CHANNELS,   /* ethtool_nl_parse_channels(). */
    FUZZ_NL_ETHTOOL_FEATURE,    /* ethtool_nl_parse_feature(). */
    FUZZ_NL_OVS_VPORT,          /* ovsdp_parse_vport(). */
    FUZZ_NL_VDPA_DEV,           /* vdpa_parse_dev(). */
    FUZZ_NL_VDPA_CONFIG,        /* vdpa_parse_config(). */
    FUZZ_NL_OVS_DP,             /* ovsdp_parse_dp(). */
    FUZZ_NL_N_PARSERS
};

#endif /* fuzz-netlink.h */
