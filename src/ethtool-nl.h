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

#endif /* ethtool-nl.h */
