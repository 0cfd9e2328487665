/*
 * ethtool-nl: the ethtool generic netlink requests of the Linux hardware
 * back end: combined channel counts (get, set) and the state of one
 * feature ("hw-tc-offload") by name.
 *
 * Features are read with ETHTOOL_MSG_FEATURES_GET in the verbose bitset
 * format, in which the kernel names every bit it reports: that is one
 * request on a family we already use, where the ioctl interface would need
 * ETHTOOL_GSSET_INFO, ETHTOOL_GSTRINGS and ETHTOOL_GFEATURES and a string
 * table search, on an ioctl socket.
 *
 * Functions return 0 or a positive errno value, with '*errp' naming the
 * interface and carrying the kernel's extended-ack text.  The parsers are
 * exposed for tests.
 */
#ifndef ETHTOOL_NL_H
#define ETHTOOL_NL_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct hw_channels;
struct nlmsghdr;
struct nlsock;

int ethtool_nl_get_channels(struct nlsock *, uint16_t family,
                            const char *ifname, struct hw_channels *,
                            char **errp);
int ethtool_nl_set_channels(struct nlsock *, uint16_t family,
                            const char *ifname, unsigned int combined,
                            char **errp);
int ethtool_nl_get_feature(struct nlsock *, uint16_t family,
                           const char *ifname, const char *feature,
                           bool *activep, char **errp);
int ethtool_nl_set_feature(struct nlsock *, uint16_t family,
                           const char *ifname, const char *feature, bool on,
                           char **errp);
int ethtool_nl_get_feature_info(struct nlsock *, uint16_t family,
                                const char *ifname, const char *feature,
                                bool *changeablep, bool *activep,
                                char **errp);

char *ethtool_nl_parse_channels(const struct nlmsghdr *,
                                struct hw_channels *);
char *ethtool_nl_parse_feature(const struct nlmsghdr *, const char *feature,
                               bool *activep);
char *ethtool_nl_parse_feature_info(const struct nlmsghdr *,
                                    const char *feature, bool *changeablep,
                                    bool *activep);

/* For the tuning audit: ring sizes, and the state of several features at
 * once ('changeable' from the "hw" bitset, 'active' from the active one;
 * a name the kernel does not list is neither). */
struct ethtool_nl_rings {
    uint32_t rx, rx_max, tx, tx_max;
};
int ethtool_nl_get_rings(struct nlsock *, uint16_t family,
                         const char *ifname, struct ethtool_nl_rings *,
                         char **errp);
int ethtool_nl_get_features(struct nlsock *, uint16_t family,
                            const char *ifname, const char *const *names,
                            size_t n, bool *changeable, bool *active,
                            char **errp);
char *ethtool_nl_parse_rings(const struct nlmsghdr *,
                             struct ethtool_nl_rings *);
char *ethtool_nl_parse_features(const struct nlmsghdr *,
                                const char *const *names, size_t n,
                                bool *changeable, bool *active);

#endif /* ethtool-nl.h */
