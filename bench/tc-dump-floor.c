/*
 * tc-dump-floor: the floor of a tc filter dump, for bench/verify-bench.sh.
 *
 *   tc-dump-floor HOOK...          HOOK: DEV (its ingress) or DEV:egress
 *   tc-dump-floor --file FILE
 *
 * Dumps the tc filters of each hook (every chain, every priority) with
 * bare libmnl, walks each message's
 * attributes once and discards them.  Prints one line: the number of
 * filter messages and bytes received.  Nothing is parsed further, so its
 * time is what any tool that reads the same filters from the kernel must
 * at least spend.  With --file, walks the messages of a recorded dump
 * (concatenated RTM_NEWTFILTER messages, as tests/test-verify gen writes)
 * the same way: the offline floor.
 */
#include <errno.h>
#include <net/if.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <libmnl/libmnl.h>
#include <linux/pkt_sched.h>
#include <linux/rtnetlink.h>

struct count {
    unsigned long long msgs, attrs, bytes;
};

static int
attr_cb(const struct nlattr *attr, void *c_)
{
    struct count *c = c_;

    (void) attr;
    c->attrs++;
    return MNL_CB_OK;
}

static int
msg_cb(const struct nlmsghdr *nlh, void *c_)
{
    struct count *c = c_;

    if (nlh->nlmsg_type == RTM_NEWTFILTER) {
        c->msgs++;
        mnl_attr_parse(nlh, sizeof(struct tcmsg), attr_cb, c);
    }
    return MNL_CB_OK;
}

static int
dump(struct mnl_socket *nl, unsigned int ifindex, uint32_t parent,
     uint32_t seq, char *buf, size_t bufsize, struct count *c)
{
    char req[MNL_SOCKET_BUFFER_SIZE];
    struct nlmsghdr *nlh = mnl_nlmsg_put_header(req);
    struct tcmsg *tcm;
    unsigned int portid = mnl_socket_get_portid(nl);
    int ret;

    nlh->nlmsg_type = RTM_GETTFILTER;
    nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
    nlh->nlmsg_seq = seq;
    tcm = mnl_nlmsg_put_extra_header(nlh, sizeof *tcm);
    tcm->tcm_family = AF_UNSPEC;
    tcm->tcm_ifindex = ifindex;
    tcm->tcm_parent = parent;
    if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0) {
        perror("mnl_socket_sendto");
        return -1;
    }
    for (;;) {
        ssize_t n = mnl_socket_recvfrom(nl, buf, bufsize);
        if (n < 0) {
            perror("mnl_socket_recvfrom");
            return -1;
        }
        c->bytes += n;
        ret = mnl_cb_run(buf, n, seq, portid, msg_cb, c);
        if (ret <= MNL_CB_STOP) {
            if (ret < 0 && errno != EINVAL && errno != ENOENT) {
                perror("dump");
                return -1;
            }
            return 0;
        }
    }
}

int
main(int argc, char *argv[])
{
    size_t bufsize = 32768;     /* As ovs-offloadctl's nlsock. */
    struct count c = { 0, 0, 0 };
    struct mnl_socket *nl;
    char *buf;
    uint32_t seq = time(NULL);

    if (argc < 2) {
        fprintf(stderr, "usage: %s DEV[:egress]... | --file FILE\n", argv[0]);
        return 2;
    }
    if (argc == 3 && !strcmp(argv[1], "--file")) {
        FILE *f = fopen(argv[2], "rb");
        long len;

        if (!f || fseek(f, 0, SEEK_END) || (len = ftell(f)) < 0
            || fseek(f, 0, SEEK_SET)) {
            perror(argv[2]);
            return 1;
        }
        buf = malloc(len ? len : 1);
        if (!buf || fread(buf, 1, len, f) != (size_t) len) {
            perror(argv[2]);
            return 1;
        }
        fclose(f);
        c.bytes = len;
        if (mnl_cb_run(buf, len, 0, 0, msg_cb, &c) < 0) {
            perror(argv[2]);
            return 1;
        }
        printf("%llu filters, %llu attributes, %llu bytes\n",
               c.msgs, c.attrs, c.bytes);
        free(buf);
        return 0;
    }
    nl = mnl_socket_open(NETLINK_ROUTE);
    if (!nl || mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
        perror("mnl_socket");
        return 1;
    }
    buf = malloc(bufsize);
    for (int i = 1; i < argc; i++) {
        char *colon = strchr(argv[i], ':');
        int egress = 0;

        if (colon) {
            if (strcmp(colon, ":egress")) {
                fprintf(stderr, "%s: expected DEV or DEV:egress\n", argv[i]);
                return 2;
            }
            *colon = '\0';
            egress = 1;
        }
        unsigned int ifindex = if_nametoindex(argv[i]);
        if (!ifindex) {
            fprintf(stderr, "%s: no such device\n", argv[i]);
            return 1;
        }
        if (dump(nl, ifindex,
                 TC_H_MAKE(TC_H_CLSACT, egress ? TC_H_MIN_EGRESS
                                               : TC_H_MIN_INGRESS),
                 ++seq, buf, bufsize, &c)) {
            return 1;
        }
    }
    printf("%llu filters, %llu attributes, %llu bytes\n",
           c.msgs, c.attrs, c.bytes);
    free(buf);
    mnl_socket_close(nl);
    return 0;
}
