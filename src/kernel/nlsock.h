/*
 * nlsock: small request/response helpers over libmnl, shared by the
 * devlink, rtnetlink and ethtool modules of the Linux hardware back end.
 *
 * A 'struct nlsock' is one netlink socket opened with NETLINK_EXT_ACK and
 * NETLINK_CAP_ACK, so that the kernel's extended-ack message (the text
 * behind "Error: ..." in iproute2) comes back with every error and the
 * echoed request is not repeated in it.
 *
 * nlsock_transact() sends one request (always with NLM_F_ACK) and reads
 * until the matching ACK, error or NLMSG_DONE, passing every data message
 * with the request's sequence number to a callback.  Errors come back as a
 * positive errno value and a malloc'd message "WHAT: KERNEL TEXT (STRERROR)"
 * (or "WHAT: STRERROR" without extended ack), where WHAT is the string the
 * caller gave ("devlink", "rtnetlink", "ethtool").
 *
 * nlsock_parse() is the pure half of the receive path (one buffer of
 * messages in, callback calls and a verdict out), so that tests can feed
 * it canned and malformed messages.
 */
#ifndef NLSOCK_H
#define NLSOCK_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <libmnl/libmnl.h>

struct nlsock;

/* Size of the buffers nlsock uses for requests and replies.  Large enough
 * for a link dump message with all its attributes (the kernel sizes dump
 * messages to the reader's buffer, at most 32 kB by default). */
#define NLSOCK_BUFSIZE 32768

/* "00" to "ff": binary attributes (switch ids, tc action cookies) as
 * lower-case hex, without printf on the paths that parse every link or
 * filter of a dump. */
extern const char nlsock_hex_pairs[513];

/* Writes the 2 * 'n' lower-case hex digits of the 'n' bytes at 'bytes' at
 * 'dst' (no terminator). */
void nlsock_put_hex(char *dst, const uint8_t *bytes, size_t n);

int nlsock_open(int bus, unsigned int groups, bool nonblocking,
                struct nlsock **, char **errp);
void nlsock_close(struct nlsock *);
int nlsock_fd(const struct nlsock *);

/* Requests.  A request is built in a buffer of NLSOCK_REQSIZE bytes, which
 * nlsock_start() clears, so that no uninitialized padding goes to the
 * kernel. */
#define NLSOCK_REQSIZE 4096
struct nlmsghdr *nlsock_start(void *buf, uint16_t type, uint16_t flags);
struct nlmsghdr *nlsock_genl_start(void *buf, uint16_t family, uint8_t cmd,
                                   uint8_t version, uint16_t flags);
int nlsock_transact(struct nlsock *, struct nlmsghdr *request,
                    mnl_cb_t data_cb, void *aux, const char *what,
                    char **errp);
int nlsock_transact_dump(struct nlsock *, struct nlmsghdr *request,
                         mnl_cb_t data_cb, void *aux, const char *what,
                         char **errp);

/* Receive path, exposed for tests. */
enum nlsock_parse_result {
    NLSOCK_MORE,                /* Need more messages. */
    NLSOCK_DONE,                /* ACK or NLMSG_DONE seen, no error. */
    NLSOCK_ERROR,               /* '*errorp' and '*errp' set. */
};
enum nlsock_parse_result nlsock_parse(const void *buf, size_t len,
                                      uint32_t seq, uint32_t portid,
                                      mnl_cb_t data_cb, void *aux,
                                      const char *what, int *errorp,
                                      char **errp);
int nlsock_parse_nlmsgerr(const struct nlmsghdr *, int *kernel_errorp,
                          char **ext_msgp);
char *nlsock_format_error(const char *what, int error, const char *ext_msg);

/* Generic netlink. */
int nlsock_genl_family(struct nlsock *, const char *name, uint16_t *idp,
                       char **errp);

/* Attribute access with validation of the kernel's data. */
const char *nlsock_attr_str(const struct nlattr *, size_t max_len);
bool nlsock_attr_u8(const struct nlattr *, uint8_t *);
bool nlsock_attr_u16(const struct nlattr *, uint16_t *);
bool nlsock_attr_u32(const struct nlattr *, uint32_t *);
int nlsock_parse_attrs(const struct nlmsghdr *, size_t offset,
                       const struct nlattr **tb, unsigned int max);
int nlsock_attr_iter(const void *, size_t len,
                     int (*cb)(const struct nlattr *, void *aux), void *aux);
int nlsock_parse_nested(const struct nlattr *, const struct nlattr **tb,
                        unsigned int max);

/* Model (issue 10): request counts, generic netlink subscriptions, and
 * notifications passed one by one to a callback. */
unsigned long long int nlsock_n_requests(const struct nlsock *);
int nlsock_genl_join(struct nlsock *ctrl, struct nlsock *,
                     const char *family, const char *group, char **errp);
int nlsock_recv_notifications(struct nlsock *,
                              void (*cb)(const struct nlmsghdr *, void *aux),
                              void *aux);

#endif /* nlsock.h */
