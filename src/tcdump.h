/*
 * tcdump: reads the kernel's tc filters over rtnetlink (libmnl) and parses
 * them into 'struct vfy_filter's.
 *
 * The parser works on a buffer of netlink messages, exactly as a dump
 * returns them, so that recorded dumps can be replayed in tests and fed to
 * a fuzzer.  It validates every length before reading and returns an error
 * string for a malformed message instead of reading past the buffer.
 *
 * Uses no Open vSwitch header (see verify-model.h).
 */
#ifndef TCDUMP_H
#define TCDUMP_H 1

#include <stddef.h>
#include <stdint.h>
#include "verify-model.h"

void vfy_filters_init(struct vfy_filters *);
void vfy_filters_destroy(struct vfy_filters *);

/* Parses the 'len' bytes at 'buf' (one or more netlink messages) and appends
 * each RTM_NEWTFILTER to 'out'.  NLMSG_DONE ends the parse; NLMSG_NOOP and
 * messages of other types are skipped.  Returns 0 on success, otherwise a
 * positive errno value with '*errorp' set to a malloc()'d description (the
 * caller frees it); filters parsed before the error stay in 'out'. */
int tcdump_parse(const void *buf, size_t len, struct vfy_filters *out,
                 char **errorp);

/* Dumps every filter of every chain and priority on the ingress of the
 * device with 'ifindex' (or of shared block 'block', if nonzero) from the
 * running kernel and appends them to 'out', named 'dev_name'.  If 'raw' is
 * nonnull, appends the raw messages received to it (for recording dumps);
 * '*raw_len' is its length and '*raw_alloc' its allocated size.  Returns 0
 * or a positive errno value with '*errorp' set. */
int tcdump_dump(uint32_t ifindex, uint32_t block, const char *dev_name,
                struct vfy_filters *out, char **errorp,
                uint8_t **raw, size_t *raw_len, size_t *raw_alloc);

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

#endif /* tcdump.h */
