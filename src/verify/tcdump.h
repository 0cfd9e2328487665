/*
 * tcdump: the kernel's tc filters and clsact/ingress qdiscs, dumped over
 * rtnetlink (through nlsock) and parsed into 'struct vfy_filter's.
 *
 * The parser works on a buffer of netlink messages, exactly as a dump
 * returns them, so that recorded dumps can be replayed in tests and fed to
 * a fuzzer.  It validates every length before reading and returns an error
 * string for a malformed message instead of reading past the buffer.
 * Attributes of types it does not know are counted and skipped.
 */
#ifndef TCDUMP_H
#define TCDUMP_H 1

#include <stddef.h>
#include <stdint.h>
#include "verify-model.h"

struct nlmsghdr;
struct nlsock;

void vfy_filters_init(struct vfy_filters *);
void vfy_filters_destroy(struct vfy_filters *);

/* Returns the copy of 'name' that 'fs' keeps for its filters' 'dev' (made
 * the first time), or NULL if 'name' is NULL.  A dump's filters share one
 * name rather than each having its own. */
const char *vfy_filters_name(struct vfy_filters *fs, const char *name);

/* Parses the 'len' bytes at 'buf' (one or more netlink messages) and appends
 * each RTM_NEWTFILTER to 'out'.  NLMSG_DONE ends the parse; NLMSG_NOOP and
 * messages of other types are skipped.  Returns 0 on success, otherwise a
 * positive errno value with '*errorp' set to a malloc()'d description (the
 * caller frees it); filters parsed before the error stay in 'out'. */
int tcdump_parse(const void *buf, size_t len, struct vfy_filters *out,
                 char **errorp);

/* Parses one RTM_NEWTFILTER message, whose length has been checked. */
int tcdump_parse_msg(const struct nlmsghdr *, struct vfy_filters *out,
                     char **errorp);

/* What an RTM_NEWQDISC says about a device's ingress side. */
struct tcdump_qdisc {
    uint32_t ifindex;
    bool clsact;                /* "clsact" (else "ingress"). */
    uint32_t ingress_block;     /* TCA_INGRESS_BLOCK, 0 if not shared. */
    uint32_t egress_block;      /* TCA_EGRESS_BLOCK, 0 if not shared. */
};

/* Parses RTM_NEWQDISC 'nlh'.  Returns 1 and fills '*q' for an ingress or
 * clsact qdisc, 0 for another qdisc, or a negative value if the message is
 * malformed. */
int tcdump_parse_qdisc(const struct nlmsghdr *, struct tcdump_qdisc *q);

/* A buffer that collects the raw messages of dumps, for "--record". */
struct tcdump_raw {
    uint8_t *data;
    size_t len, allocated;
};

/* Dumps every filter of every chain and priority of one hook: the ingress
 * (or egress, if 'egress') of the device with 'ifindex', or shared block
 * 'block' if nonzero.  Appends them to 'out', named 'dev_name' (or "block
 * N").  Appends the raw messages to 'raw' if nonnull.  Returns 0 or a
 * positive errno value with '*errorp' set. */
int tcdump_dump(struct nlsock *, uint32_t ifindex, uint32_t block,
                bool egress, const char *dev_name, struct vfy_filters *out,
                struct tcdump_raw *raw, char **errorp);

/* Dumps the qdiscs of every device and calls 'cb' for each ingress or
 * clsact qdisc.  Returns 0 or a positive errno value with '*errorp'. */
int tcdump_dump_qdiscs(struct nlsock *,
                       void (*cb)(const struct tcdump_qdisc *, void *aux),
                       void *aux, char **errorp);

/* Converts a 16-byte tc action cookie that OVS wrote into the ufid it came
 * from, in the text form OVS prints.  OVS copies its 128-bit ufid into the
 * cookie as raw memory, i.e. as four 32-bit words in host byte order, and
 * prints it from those words, so the conversion depends on the host's byte
 * order exactly as OVS's does. */
void tcdump_cookie_to_ufid(const uint8_t cookie[16],
                           char ufid[VFY_UFID_LEN]);

/* Returns the ufid of the first 16-byte cookie among 'f''s actions in
 * 'ufid', or false if there is none. */
bool tcdump_filter_ufid(const struct vfy_filter *f, char ufid[VFY_UFID_LEN]);

/* Sums 'f''s statistics.  OVS puts every statistic a flow has in the first
 * action that reports any, and tc counts a packet in each action it passes,
 * so this takes the first action with statistics. */
void tcdump_filter_stats(const struct vfy_filter *f,
                         uint64_t *hw_packets, uint64_t *hw_bytes,
                         uint64_t *sw_packets, uint64_t *sw_bytes);

/* "verify --probe": adds filter 'f' again, hardware only (skip_sw), at
 * 'chain' and 'prio' of the same device or block, records the kernel's
 * answer in 'f->probed', 'f->probe_error' and 'f->probe_msg' (the extended
 * ack), and deletes the probe whatever the answer.  The probe takes the
 * filter's keys, masks and actions from the kernel (a get request), drops
 * the statistics and flags, and shares the filter's actions (same action
 * indexes).  Returns 0 if the probe was made, or a positive errno value with
 * '*errorp' set if it could not be. */
int tcdump_probe(struct nlsock *, struct vfy_filter *f, uint32_t chain,
                 uint32_t prio, char **errorp);

/* The probe request for the RTM_NEWTFILTER message 'msg' of filter 'f', in
 * 'buf' of NLSOCK_BUFSIZE bytes, or NULL.  Exposed for tests. */
struct nlmsghdr *tcdump_probe_request(void *buf, const struct nlmsghdr *msg,
                                      const struct vfy_filter *f,
                                      uint32_t chain, uint32_t prio);

#endif /* tcdump.h */
