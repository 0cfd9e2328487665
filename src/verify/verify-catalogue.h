/*
 * verify-catalogue: what the kernel's extended-ack messages for a tc flower
 * filter refused by hardware mean, and what to do about them.
 *
 * The messages are those of the mlx5 driver (en_tc.c, en/tc_ct.c, the
 * en/tc_tun files and the action files under en/tc/act), of net/sched
 * (cls_api.c, cls_flower.c) and of netdevsim, as Linux 6.1 words them; the
 * meanings and fixes are ours.
 * "verify --probe" looks each probe's extended ack up here.
 */
#ifndef VERIFY_CATALOGUE_H
#define VERIFY_CATALOGUE_H 1

#include <stddef.h>

struct vfy_catalogue_entry {
    const char *message;        /* The kernel's text, without the module
                                 * prefix ("mlx5_core: "). */
    const char *source;         /* Where the kernel says it. */
    const char *meaning;
    const char *fix;
};

/* Returns the entry whose message 'extack' contains (module prefix or not),
 * or NULL. */
const struct vfy_catalogue_entry *vfy_catalogue_lookup(const char *extack);

/* The whole catalogue, for tests and documentation. */
const struct vfy_catalogue_entry *vfy_catalogue(size_t *n);

#endif /* verify-catalogue.h */
