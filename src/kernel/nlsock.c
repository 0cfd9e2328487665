/*
 * nlsock: netlink request/response helpers over libmnl.  See nlsock.h.
 */
#include <config.h>

#include "nlsock.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>

#include "openvswitch/dynamic-string.h"
#include "openvswitch/vlog.h"
#include "ovs-rcu.h"
#include "ovs-thread.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(nlsock);

const char nlsock_hex_pairs[513] =
    "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
    "202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f"
    "404142434445464748494a4b4c4d4e4f505152535455565758595a5b5c5d5e5f"
    "606162636465666768696a6b6c6d6e6f707172737475767778797a7b7c7d7e7f"
    "808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f"
    "a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf"
    "c0c1c2c3c4c5c6c7c8c9cacbcccdcecfd0d1d2d3d4d5d6d7d8d9dadbdcdddedf"
    "e0e1e2e3e4e5e6e7e8e9eaebecedeeeff0f1f2f3f4f5f6f7f8f9fafbfcfdfeff";

void
nlsock_put_hex(char *dst, const uint8_t *bytes, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        memcpy(dst + 2 * i, &nlsock_hex_pairs[2 * bytes[i]], 2);
    }
}

struct nlsock {
    struct mnl_socket *mnl;
    uint32_t portid;
    uint32_t seq;
    char *buf;                  /* NLSOCK_BUFSIZE bytes, for replies. */
    unsigned long long int n_requests;  /* nlsock_transact() calls. */
};

/* Receive buffer of a monitor socket (bytes). */
#define NLSOCK_MONITOR_RCVBUF (4 * 1024 * 1024)

/* Longest extended-ack text we pass on; the kernel's are one line. */
#define NLSOCK_EXT_MSG_MAX 256

/* Opens a socket on netlink 'bus' (NETLINK_ROUTE, NETLINK_GENERIC),
 * subscribed to the multicast 'groups' bit mask (0 for a request socket). */
int
nlsock_open(int bus, unsigned int groups, bool nonblocking,
            struct nlsock **sockp, char **errp)
{
    struct nlsock *sock;
    struct mnl_socket *mnl;
    int one = 1;
    int error;

    *sockp = NULL;
    mnl = mnl_socket_open(bus);
    if (!mnl) {
        error = errno;
        *errp = xasprintf("netlink: cannot open a socket (%s)",
                          ovs_strerror(error));
        return error;
    }
    /* Extended acks are an improvement, not a requirement: kernels before
     * 4.12 do not know the options. */
    if (mnl_socket_setsockopt(mnl, NETLINK_EXT_ACK, &one, sizeof one)) {
        VLOG_DBG("NETLINK_EXT_ACK: %s", ovs_strerror(errno));
    }
    if (mnl_socket_setsockopt(mnl, NETLINK_CAP_ACK, &one, sizeof one)) {
        VLOG_DBG("NETLINK_CAP_ACK: %s", ovs_strerror(errno));
    }
    if (mnl_socket_bind(mnl, groups, MNL_SOCKET_AUTOPID)) {
        error = errno;
        mnl_socket_close(mnl);
        *errp = xasprintf("netlink: cannot bind a socket (%s)",
                          ovs_strerror(error));
        return error;
    }
    if (nonblocking) {
        int fd = mnl_socket_get_fd(mnl);
        int flags = fcntl(fd, F_GETFL);
        int rcvbuf = NLSOCK_MONITOR_RCVBUF;

        /* A monitor: room for a burst (a PF creating 127 VFs sends
         * hundreds of link notifications in a moment; the default buffer
         * holds about 150, and an overflow costs a full re-dump).  Past
         * net.core.rmem_max only with CAP_NET_ADMIN; either is best
         * effort. */
        if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf,
                       sizeof rcvbuf)
            && setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf,
                          sizeof rcvbuf)) {
            VLOG_DBG("SO_RCVBUF: %s", ovs_strerror(errno));
        }

        if (flags < 0 || fcntl(fd, F_SETFL, flags | O_NONBLOCK) < 0) {
            error = errno;
            mnl_socket_close(mnl);
            *errp = xasprintf("netlink: cannot make a socket non-blocking "
                              "(%s)", ovs_strerror(error));
            return error;
        }
    }

    sock = xzalloc(sizeof *sock);
    sock->mnl = mnl;
    sock->portid = mnl_socket_get_portid(mnl);
    sock->seq = time(NULL);
    sock->buf = xmalloc(NLSOCK_BUFSIZE);
    *sockp = sock;
    return 0;
}

void
nlsock_close(struct nlsock *sock)
{
    if (sock) {
        mnl_socket_close(sock->mnl);
        free(sock->buf);
        free(sock);
    }
}

int
nlsock_fd(const struct nlsock *sock)
{
    return mnl_socket_get_fd(sock->mnl);
}

/* Starts a request of 'type' in 'buf' (NLSOCK_REQSIZE bytes). */
struct nlmsghdr *
nlsock_start(void *buf, uint16_t type, uint16_t flags)
{
    struct nlmsghdr *nlh;

    memset(buf, 0, NLSOCK_REQSIZE);
    nlh = mnl_nlmsg_put_header(buf);

    nlh->nlmsg_type = type;
    nlh->nlmsg_flags = NLM_F_REQUEST | flags;
    return nlh;
}

/* Starts a generic netlink request for command 'cmd' of 'family'. */
struct nlmsghdr *
nlsock_genl_start(void *buf, uint16_t family, uint8_t cmd, uint8_t version,
                  uint16_t flags)
{
    struct nlmsghdr *nlh = nlsock_start(buf, family, flags);
    struct genlmsghdr *genl = mnl_nlmsg_put_extra_header(nlh, sizeof *genl);

    genl->cmd = cmd;
    genl->version = version;
    return nlh;
}

/* Returns a copy of the extended-ack text 'msg' of 'len' bytes fit for a
 * log line: printable ASCII only, no trailing new-line, bounded. */
static char *
nlsock_clean_ext_msg(const char *msg, size_t len)
{
    struct ds ds = DS_EMPTY_INITIALIZER;

    while (len > 0 && (msg[len - 1] == '\n' || msg[len - 1] == ' ')) {
        len--;
    }
    for (size_t i = 0; i < len && i < NLSOCK_EXT_MSG_MAX; i++) {
        unsigned char c = msg[i];
        ds_put_char(&ds, isprint(c) ? c : '?');
    }
    return ds_steal_cstr(&ds);
}

/* Looks for NLMSGERR_ATTR_MSG among the attributes in the 'len' bytes at
 * 'p'.  Returns 0 (storing the text or NULL in '*ext_msgp') or EPROTO if
 * the attributes are malformed. */
static int
nlsock_parse_ack_tlvs(const char *p, size_t len, char **ext_msgp)
{
    while (len >= sizeof(struct nlattr)) {
        const struct nlattr *attr = (const struct nlattr *) p;
        size_t attr_len = attr->nla_len;
        size_t aligned = MNL_ALIGN(attr_len);

        if (attr_len < sizeof *attr || attr_len > len) {
            return EPROTO;
        }
        if (mnl_attr_get_type(attr) == NLMSGERR_ATTR_MSG) {
            const char *s = nlsock_attr_str(attr, SIZE_MAX);
            if (!s) {
                return EPROTO;
            }
            free(*ext_msgp);
            *ext_msgp = nlsock_clean_ext_msg(s, strlen(s));
        }
        if (aligned >= len) {
            break;
        }
        p += aligned;
        len -= aligned;
    }
    return 0;
}

/* Parses the NLMSG_ERROR message 'nlh': stores the kernel's error as a
 * positive errno value (0 for an ACK) in '*kernel_errorp' and its extended
 * ack text, if any, in '*ext_msgp' (malloc'd, or NULL).  Returns 0, or
 * EPROTO if the message is malformed. */
int
nlsock_parse_nlmsgerr(const struct nlmsghdr *nlh, int *kernel_errorp,
                      char **ext_msgp)
{
    const struct nlmsgerr *err;
    size_t payload_len, offset;

    *kernel_errorp = 0;
    *ext_msgp = NULL;
    if (nlh->nlmsg_len < NLMSG_HDRLEN + sizeof *err) {
        return EPROTO;
    }
    payload_len = nlh->nlmsg_len - NLMSG_HDRLEN;
    err = mnl_nlmsg_get_payload(nlh);
    if (err->error > 0 || err->error < -4095) {
        return EPROTO;
    }
    *kernel_errorp = -err->error;

    if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS)) {
        return 0;
    }
    offset = sizeof *err;
    if (!(nlh->nlmsg_flags & NLM_F_CAPPED)) {
        /* The whole request is echoed: skip its payload. */
        if (err->msg.nlmsg_len < NLMSG_HDRLEN
            || err->msg.nlmsg_len - NLMSG_HDRLEN > payload_len - offset) {
            return EPROTO;
        }
        offset += err->msg.nlmsg_len - NLMSG_HDRLEN;
    }
    offset = MNL_ALIGN(offset);
    if (offset >= payload_len) {
        return 0;
    }
    return nlsock_parse_ack_tlvs((const char *) err + offset,
                                 payload_len - offset, ext_msgp);
}

/* Parses the payload of NLMSG_DONE 'nlh' like nlsock_parse_nlmsgerr().  An
 * empty payload (old kernels) is success. */
static int
nlsock_parse_done(const struct nlmsghdr *nlh, int *kernel_errorp,
                  char **ext_msgp)
{
    size_t payload_len = nlh->nlmsg_len - NLMSG_HDRLEN;
    int32_t error;

    *kernel_errorp = 0;
    *ext_msgp = NULL;
    if (payload_len < sizeof error) {
        return 0;
    }
    memcpy(&error, mnl_nlmsg_get_payload(nlh), sizeof error);
    if (error > 0 || error < -4095) {
        return EPROTO;
    }
    *kernel_errorp = -error;
    if ((nlh->nlmsg_flags & NLM_F_ACK_TLVS)
        && payload_len > MNL_ALIGN(sizeof error)) {
        const char *tlvs = mnl_nlmsg_get_payload(nlh);

        tlvs += MNL_ALIGN(sizeof error);
        return nlsock_parse_ack_tlvs(tlvs,
                                     payload_len - MNL_ALIGN(sizeof error),
                                     ext_msgp);
    }
    return 0;
}

/* Returns "WHAT: EXT_MSG (STRERROR)" or "WHAT: STRERROR".  When EXT_MSG
 * already starts with the last ": "-separated part of WHAT (the kernel
 * prefixes some messages with its module name, "devlink: ..."), that part
 * is not repeated. */
char *
nlsock_format_error(const char *what, int error, const char *ext_msg)
{
    if (ext_msg && ext_msg[0]) {
        const char *sep = strrchr(what, ':');
        const char *tail = sep && sep[1] == ' ' ? sep + 2 : what;
        size_t tail_len = strlen(tail);
        int what_len = strlen(what);

        if (tail_len && !strncmp(ext_msg, tail, tail_len)
            && !strncmp(ext_msg + tail_len, ": ", 2)) {
            what_len -= tail_len;
            while (what_len > 0 && (what[what_len - 1] == ' '
                                    || what[what_len - 1] == ':')) {
                what_len--;
            }
            return (what_len
                    ? xasprintf("%.*s: %s (%s)", what_len, what, ext_msg,
                                ovs_strerror(error))
                    : xasprintf("%s (%s)", ext_msg, ovs_strerror(error)));
        }
        return xasprintf("%s: %s (%s)", what, ext_msg, ovs_strerror(error));
    }
    return xasprintf("%s: %s", what, ovs_strerror(error));
}

/* Processes the 'len' bytes of netlink messages in 'buf', received for the
 * request with sequence number 'seq' on a socket with port id 'portid'.
 * Messages for other requests (left over from an earlier request that
 * failed half-way) are skipped. */
enum nlsock_parse_result
nlsock_parse(const void *buf, size_t len, uint32_t seq, uint32_t portid,
             mnl_cb_t data_cb, void *aux, const char *what, int *errorp,
             char **errp)
{
    const struct nlmsghdr *nlh = buf;
    int ilen = len;

    *errorp = 0;
    if (len > INT32_MAX) {
        goto malformed;
    }
    for (; ilen > 0; nlh = mnl_nlmsg_next(nlh, &ilen)) {
        char *ext_msg = NULL;
        int kernel_error;

        if (!mnl_nlmsg_ok(nlh, ilen)) {
            goto malformed;
        }
        if (nlh->nlmsg_seq != seq || (nlh->nlmsg_pid && portid
                                      && nlh->nlmsg_pid != portid)) {
            VLOG_DBG("%s: skipping a stale message (seq %"PRIu32", "
                     "expected %"PRIu32")", what, nlh->nlmsg_seq, seq);
            continue;
        }
        switch (nlh->nlmsg_type) {
        case NLMSG_NOOP:
            continue;

        case NLMSG_ERROR:
        case NLMSG_DONE:
            if ((nlh->nlmsg_type == NLMSG_ERROR
                 ? nlsock_parse_nlmsgerr(nlh, &kernel_error, &ext_msg)
                 : nlsock_parse_done(nlh, &kernel_error, &ext_msg))) {
                free(ext_msg);
                goto malformed;
            }
            if (kernel_error) {
                *errorp = kernel_error;
                *errp = nlsock_format_error(what, kernel_error, ext_msg);
                free(ext_msg);
                return NLSOCK_ERROR;
            }
            if (ext_msg) {
                VLOG_INFO("%s: kernel warning: %s", what, ext_msg);
                free(ext_msg);
            }
            return NLSOCK_DONE;

        case NLMSG_OVERRUN:
            *errorp = ENOBUFS;
            *errp = xasprintf("%s: the kernel's reply overran the buffer",
                              what);
            return NLSOCK_ERROR;

        default:
            if (nlh->nlmsg_type < NLMSG_MIN_TYPE) {
                continue;
            }
            if (nlh->nlmsg_flags & NLM_F_DUMP_INTR) {
                /* The rest of the dump stays queued; its sequence number
                 * makes the next request skip it. */
                *errorp = EAGAIN;
                *errp = xasprintf("%s: dump interrupted by a concurrent "
                                  "change", what);
                return NLSOCK_ERROR;
            }
            if (data_cb && data_cb(nlh, aux) == MNL_CB_ERROR) {
                *errorp = EPROTO;
                *errp = xasprintf("%s: malformed or unexpected reply from "
                                  "the kernel", what);
                return NLSOCK_ERROR;
            }
            break;
        }
    }
    return NLSOCK_MORE;

malformed:
    *errorp = EPROTO;
    *errp = xasprintf("%s: truncated or malformed netlink message", what);
    return NLSOCK_ERROR;
}

/* True if the 'n' bytes in 'buf' hold the end (NLMSG_DONE or NLMSG_ERROR)
 * of the reply to request 'seq'. */
static bool
nlsock_has_end(const void *buf, ssize_t n, uint32_t seq)
{
    const struct nlmsghdr *nlh = buf;
    int len;

    for (len = n; mnl_nlmsg_ok(nlh, len); nlh = mnl_nlmsg_next(nlh, &len)) {
        if (nlh->nlmsg_seq == seq
            && (nlh->nlmsg_type == NLMSG_DONE
                || nlh->nlmsg_type == NLMSG_ERROR)) {
            return true;
        }
    }
    return false;
}

/* Reads and discards the rest of the reply to request 'seq' on 'sock' (of
 * which the 'n' bytes in its buffer were received last), up to its end.
 * Needed after a dump the kernel marked interrupted: the kernel goes on
 * with a dump only as its messages are read, and until it has finished,
 * another dump request on the socket fails with EBUSY. */
static void
nlsock_finish_dump(struct nlsock *sock, ssize_t n, uint32_t seq)
{
    while (!nlsock_has_end(sock->buf, n, seq)) {
        n = mnl_socket_recvfrom(sock->mnl, sock->buf, NLSOCK_BUFSIZE);
        if (n < 0 && errno != EINTR) {
            return;
        }
    }
}

/* Sends 'request' on 'sock' with the next sequence number (stored in
 * '*seqp') and NLM_F_ACK. */
static int
nlsock_send(struct nlsock *sock, struct nlmsghdr *request, const char *what,
            uint32_t *seqp, char **errp)
{
    *seqp = ++sock->seq;
    sock->n_requests++;
    request->nlmsg_seq = *seqp;
    request->nlmsg_flags |= NLM_F_ACK;
    if (mnl_socket_sendto(sock->mnl, request, request->nlmsg_len) < 0) {
        int error = errno;

        *errp = xasprintf("%s: send failed (%s)", what, ovs_strerror(error));
        return error;
    }
    return 0;
}

/* Sends 'request' on 'sock' and processes the reply: each data message goes
 * to 'data_cb' (if nonnull) with 'aux'.  Returns 0 or a positive errno
 * value with '*errp' set (see nlsock.h). */
int
nlsock_transact(struct nlsock *sock, struct nlmsghdr *request,
                mnl_cb_t data_cb, void *aux, const char *what, char **errp)
{
    uint32_t seq;
    int error = nlsock_send(sock, request, what, &seq, errp);

    if (error) {
        return error;
    }
    for (;;) {
        ssize_t n = mnl_socket_recvfrom(sock->mnl, sock->buf,
                                        NLSOCK_BUFSIZE);
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            error = errno;
            *errp = xasprintf("%s: receive failed (%s)", what,
                              ovs_strerror(error));
            return error;
        }
        switch (nlsock_parse(sock->buf, n, seq, sock->portid, data_cb, aux,
                             what, &error, errp)) {
        case NLSOCK_MORE:
            break;
        case NLSOCK_DONE:
            return 0;
        case NLSOCK_ERROR:
        default:
            if (error == EAGAIN) {
                /* An interrupted dump: finish it, so that a retry can. */
                nlsock_finish_dump(sock, n, seq);
            }
            return error;
        }
    }
}

/* Dumps received in a thread of their own.
 *
 * A dump costs the kernel as much as the messages cost us to parse: the
 * kernel builds each batch of messages when its reader asks for it, in the
 * reader's recvmsg().  With a second thread asking, the kernel builds the
 * next batches while this one parses: on two cores, the dump and its
 * parsing overlap.  The receiver fills a ring of NLSOCK_RING buffers and
 * stops at the end of the reply (NLMSG_DONE or NLMSG_ERROR of its
 * request), or at a receive error; the parser takes the buffers in order.
 * After a parse error the parser still takes (and drops) the rest, so that
 * the receiver reads the reply to its end and the socket is ready for the
 * next request, as nlsock_finish_dump() leaves it. */
#define NLSOCK_RING 8

struct nlsock_pipe {
    struct nlsock *sock;
    uint32_t seq;
    char *bufs[NLSOCK_RING];

    struct ovs_mutex mutex;
    pthread_cond_t cond;        /* Signalled at each change of the below. */
    ssize_t lens[NLSOCK_RING] OVS_GUARDED;
    size_t head OVS_GUARDED;    /* Buffers taken by the parser... */
    size_t tail OVS_GUARDED;    /* ...and filled by the receiver. */
    bool ended OVS_GUARDED;     /* The receiver has stopped. */
    int recv_error OVS_GUARDED; /* Its errno value, if it stopped on one. */
};

static void *
nlsock_pipe_receiver(void *p_)
{
    struct nlsock_pipe *p = p_;
    bool end = false;
    int error = 0;

    /* It touches nothing that RCU protects. */
    ovsrcu_quiesce_start();
    while (!end && !error) {
        ovs_mutex_lock(&p->mutex);
        while (p->tail - p->head >= NLSOCK_RING) {
            ovs_mutex_cond_wait(&p->cond, &p->mutex);
        }
        size_t slot = p->tail % NLSOCK_RING;
        ovs_mutex_unlock(&p->mutex);

        ssize_t n = mnl_socket_recvfrom(p->sock->mnl, p->bufs[slot],
                                        NLSOCK_BUFSIZE);
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            error = errno;
        } else {
            end = nlsock_has_end(p->bufs[slot], n, p->seq);
        }

        ovs_mutex_lock(&p->mutex);
        if (!error) {
            p->lens[slot] = n;
            p->tail++;
        }
        p->ended = end || error;
        p->recv_error = error;
        xpthread_cond_broadcast(&p->cond);
        ovs_mutex_unlock(&p->mutex);
    }
    return NULL;
}

/* As nlsock_transact(), for a dump request: the reply is received by a
 * second thread while this one parses it (see above).  On one core it
 * gains nothing and costs a thread switch per buffer (32 kB, about 200 tc
 * filters); it is used there too, so that one code path serves every
 * machine. */
int
nlsock_transact_dump(struct nlsock *sock, struct nlmsghdr *request,
                     mnl_cb_t data_cb, void *aux, const char *what,
                     char **errp)
{
    uint32_t seq;
    int error = nlsock_send(sock, request, what, &seq, errp);

    if (error) {
        return error;
    }

    struct nlsock_pipe p = { .sock = sock, .seq = seq };
    for (size_t i = 0; i < NLSOCK_RING; i++) {
        p.bufs[i] = xmalloc(NLSOCK_BUFSIZE);
    }
    ovs_mutex_init(&p.mutex);
    xpthread_cond_init(&p.cond, NULL);
    pthread_t receiver = ovs_thread_create("nlsock_dump",
                                           nlsock_pipe_receiver, &p);

    bool done = false;
    for (;;) {
        ovs_mutex_lock(&p.mutex);
        while (p.head == p.tail && !p.ended) {
            ovs_mutex_cond_wait(&p.cond, &p.mutex);
        }
        if (p.head == p.tail) {
            int recv_error = p.recv_error;

            ovs_mutex_unlock(&p.mutex);
            if (!done && !error) {
                error = recv_error ? recv_error : EPROTO;
                *errp = (recv_error
                         ? xasprintf("%s: receive failed (%s)", what,
                                     ovs_strerror(recv_error))
                         : xasprintf("%s: the reply ended early", what));
            }
            break;
        }
        size_t slot = p.head % NLSOCK_RING;
        ssize_t n = p.lens[slot];
        ovs_mutex_unlock(&p.mutex);

        if (!done && !error) {
            switch (nlsock_parse(p.bufs[slot], n, seq, sock->portid, data_cb,
                                 aux, what, &error, errp)) {
            case NLSOCK_MORE:
                break;
            case NLSOCK_DONE:
                done = true;
                break;
            case NLSOCK_ERROR:
            default:
                break;
            }
        }

        ovs_mutex_lock(&p.mutex);
        p.head++;
        xpthread_cond_broadcast(&p.cond);
        ovs_mutex_unlock(&p.mutex);
    }

    xpthread_join(receiver, NULL);
    xpthread_cond_destroy(&p.cond);
    ovs_mutex_destroy(&p.mutex);
    for (size_t i = 0; i < NLSOCK_RING; i++) {
        free(p.bufs[i]);
    }
    return error;
}

/* Generic netlink family resolution. */

static int
nlsock_family_cb(const struct nlmsghdr *nlh, void *id_)
{
    const struct nlattr *tb[CTRL_ATTR_MAX + 1];
    uint16_t *id = id_;

    if (nlsock_parse_attrs(nlh, sizeof(struct genlmsghdr), tb, CTRL_ATTR_MAX)
        || !tb[CTRL_ATTR_FAMILY_ID]
        || !nlsock_attr_u16(tb[CTRL_ATTR_FAMILY_ID], id)) {
        return MNL_CB_ERROR;
    }
    return MNL_CB_OK;
}

/* Stores in '*idp' the id of the generic netlink family 'name' ("devlink",
 * "ethtool").  Returns ENOENT if the kernel does not have it. */
int
nlsock_genl_family(struct nlsock *sock, const char *name, uint16_t *idp,
                   char **errp)
{
    char buf[NLSOCK_REQSIZE];
    struct nlmsghdr *nlh = nlsock_genl_start(buf, GENL_ID_CTRL,
                                             CTRL_CMD_GETFAMILY, 1, 0);
    char *what = xasprintf("genl family %s", name);
    int error;

    *idp = 0;
    mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, name);
    error = nlsock_transact(sock, nlh, nlsock_family_cb, idp, what, errp);
    free(what);
    if (!error && !*idp) {
        *errp = xasprintf("genl family %s: no id in the reply", name);
        error = EPROTO;
    }
    return error;
}

/* Attributes. */

/* Returns the string in 'attr' if it is null-terminated within the
 * attribute and has at most 'max_len' characters, otherwise NULL. */
const char *
nlsock_attr_str(const struct nlattr *attr, size_t max_len)
{
    const char *s = mnl_attr_get_payload(attr);
    size_t len = mnl_attr_get_payload_len(attr);
    const char *nul = len ? memchr(s, '\0', len) : NULL;

    return nul && nul - s <= max_len ? s : NULL;
}

bool
nlsock_attr_u8(const struct nlattr *attr, uint8_t *value)
{
    if (mnl_attr_get_payload_len(attr) != sizeof *value) {
        return false;
    }
    *value = mnl_attr_get_u8(attr);
    return true;
}

bool
nlsock_attr_u16(const struct nlattr *attr, uint16_t *value)
{
    if (mnl_attr_get_payload_len(attr) != sizeof *value) {
        return false;
    }
    *value = mnl_attr_get_u16(attr);
    return true;
}

bool
nlsock_attr_u32(const struct nlattr *attr, uint32_t *value)
{
    if (mnl_attr_get_payload_len(attr) != sizeof *value) {
        return false;
    }
    *value = mnl_attr_get_u32(attr);
    return true;
}

/* Calls 'cb' for each attribute in the 'len' bytes at 'p', stopping at the
 * first nonzero return value, which it returns.  Returns EPROTO if an
 * attribute overruns the buffer. */
int
nlsock_attr_iter(const void *p_, size_t len,
                 int (*cb)(const struct nlattr *, void *aux), void *aux)
{
    const char *p = p_;

    while (len > 0) {
        const struct nlattr *attr = (const struct nlattr *) p;
        size_t aligned;
        int error;

        if (len < sizeof *attr || attr->nla_len < sizeof *attr
            || attr->nla_len > len) {
            return EPROTO;
        }
        error = cb(attr, aux);
        if (error) {
            return error;
        }
        aligned = MNL_ALIGN(attr->nla_len);
        if (aligned >= len) {
            break;
        }
        p += aligned;
        len -= aligned;
    }
    return 0;
}

/* Fills 'tb[0..max]' from the 'len' bytes of attributes at 'p' (later
 * duplicates win; types above 'max' are ignored).  Returns 0, or EPROTO if
 * an attribute overruns the buffer. */
static int
nlsock_parse_attr_buf(const char *p, size_t len, const struct nlattr **tb,
                      unsigned int max)
{
    memset(tb, 0, (max + 1) * sizeof *tb);
    while (len > 0) {
        const struct nlattr *attr = (const struct nlattr *) p;
        size_t aligned;
        uint16_t type;

        if (len < sizeof *attr || attr->nla_len < sizeof *attr
            || attr->nla_len > len) {
            return EPROTO;
        }
        type = mnl_attr_get_type(attr);
        if (type <= max) {
            tb[type] = attr;
        }
        aligned = MNL_ALIGN(attr->nla_len);
        if (aligned >= len) {
            break;
        }
        p += aligned;
        len -= aligned;
    }
    return 0;
}

/* Parses the attributes of 'nlh' that follow its 'offset' bytes of fixed
 * header (struct genlmsghdr, struct ifinfomsg). */
int
nlsock_parse_attrs(const struct nlmsghdr *nlh, size_t offset,
                   const struct nlattr **tb, unsigned int max)
{
    size_t payload_len = mnl_nlmsg_get_payload_len(nlh);

    offset = MNL_ALIGN(offset);
    if (offset > payload_len) {
        memset(tb, 0, (max + 1) * sizeof *tb);
        return EPROTO;
    }
    return nlsock_parse_attr_buf((const char *) mnl_nlmsg_get_payload(nlh)
                                 + offset, payload_len - offset, tb, max);
}

/* Parses the attributes nested in 'attr'. */
int
nlsock_parse_nested(const struct nlattr *attr, const struct nlattr **tb,
                    unsigned int max)
{
    return nlsock_parse_attr_buf(mnl_attr_get_payload(attr),
                                 mnl_attr_get_payload_len(attr), tb, max);
}

/* Model (issue 10): subscriptions and notification reading. */

/* Number of requests sent on 'sock' so far. */
unsigned long long int
nlsock_n_requests(const struct nlsock *sock)
{
    return sock->n_requests;
}

struct nlsock_group_lookup {
    const char *name;
    uint32_t id;
};

static int
nlsock_group_cb(const struct nlattr *attr, void *lookup_)
{
    struct nlsock_group_lookup *lookup = lookup_;
    const struct nlattr *tb[CTRL_ATTR_MCAST_GRP_MAX + 1];
    const char *name;
    uint32_t id;

    if (nlsock_parse_nested(attr, tb, CTRL_ATTR_MCAST_GRP_MAX)
        || !tb[CTRL_ATTR_MCAST_GRP_NAME] || !tb[CTRL_ATTR_MCAST_GRP_ID]) {
        return 0;
    }
    name = nlsock_attr_str(tb[CTRL_ATTR_MCAST_GRP_NAME], GENL_NAMSIZ);
    if (name && !strcmp(name, lookup->name)
        && nlsock_attr_u32(tb[CTRL_ATTR_MCAST_GRP_ID], &id)) {
        lookup->id = id;
    }
    return 0;
}

static int
nlsock_family_groups_cb(const struct nlmsghdr *nlh, void *lookup)
{
    const struct nlattr *tb[CTRL_ATTR_MAX + 1];

    if (nlsock_parse_attrs(nlh, sizeof(struct genlmsghdr), tb, CTRL_ATTR_MAX)
        || !tb[CTRL_ATTR_MCAST_GROUPS]) {
        return MNL_CB_OK;
    }
    nlsock_attr_iter(mnl_attr_get_payload(tb[CTRL_ATTR_MCAST_GROUPS]),
                     mnl_attr_get_payload_len(tb[CTRL_ATTR_MCAST_GROUPS]),
                     nlsock_group_cb, lookup);
    return MNL_CB_OK;
}

/* Subscribes 'sock' to the multicast group 'group' of generic netlink
 * family 'family' ("devlink" "config", "ethtool" "monitor"), resolved over
 * 'ctrl' (a request socket).  Returns ENOENT if the family or the group
 * does not exist. */
int
nlsock_genl_join(struct nlsock *ctrl, struct nlsock *sock, const char *family,
                 const char *group, char **errp)
{
    char buf[NLSOCK_REQSIZE];
    struct nlmsghdr *nlh = nlsock_genl_start(buf, GENL_ID_CTRL,
                                             CTRL_CMD_GETFAMILY, 1, 0);
    struct nlsock_group_lookup lookup = { .name = group, .id = 0 };
    char *what = xasprintf("genl family %s", family);
    int error;

    mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, family);
    error = nlsock_transact(ctrl, nlh, nlsock_family_groups_cb, &lookup,
                            what, errp);
    free(what);
    if (error) {
        return error;
    }
    if (!lookup.id) {
        *errp = xasprintf("genl family %s has no multicast group \"%s\"",
                          family, group);
        return ENOENT;
    }
    if (mnl_socket_setsockopt(sock->mnl, NETLINK_ADD_MEMBERSHIP, &lookup.id,
                              sizeof lookup.id)) {
        error = errno;
        *errp = xasprintf("genl family %s: cannot join group %s (%s)",
                          family, group, ovs_strerror(error));
        return error;
    }
    return 0;
}

/* Reads everything queued on the non-blocking subscription socket 'sock'
 * and passes each notification to 'cb' with 'aux'.  Returns the number of
 * notifications read, or -1 if the kernel dropped some (ENOBUFS): then the
 * subscriber's model is stale and needs a full dump. */
int
nlsock_recv_notifications(struct nlsock *sock,
                          void (*cb)(const struct nlmsghdr *, void *aux),
                          void *aux)
{
    int count = 0;

    for (;;) {
        ssize_t n = mnl_socket_recvfrom(sock->mnl, sock->buf,
                                        NLSOCK_BUFSIZE);
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            return errno == ENOBUFS ? -1 : count;
        }
        if (n == 0) {
            return count;
        }

        const struct nlmsghdr *nlh = (const struct nlmsghdr *) sock->buf;
        int len = n;

        for (; mnl_nlmsg_ok(nlh, len); nlh = mnl_nlmsg_next(nlh, &len)) {
            if (nlh->nlmsg_type >= NLMSG_MIN_TYPE) {
                cb(nlh, aux);
                count++;
            }
        }
    }
}
