/*
 * lanes: ordered rendering of a long list on several threads.
 *
 * The items 0..n-1 are cut into chunks.  Lane L renders chunks L, L + n,
 * L + 2n... (n lanes) into text of its own, and the calling thread, which is
 * lane 0, writes the chunks out in order: each lane has at most one chunk
 * waiting, so memory stays that of n chunks whatever the number of items,
 * and the output is what one lane would write.  The renderers must only
 * read what they render from (nothing changes it meanwhile), and write
 * only their own lane's state.
 */
#ifndef LANES_H
#define LANES_H 1

#include <stddef.h>

/* Renders items [begin, end) with lane state 'lane', replacing its previous
 * text; sets '*textp' and '*lenp' to the text, which stays valid until the
 * lane renders again. */
typedef void lanes_render_func(void *lane, size_t begin, size_t end,
                               const char **textp, size_t *lenp);

/* Called, on the calling thread, with each chunk's text in order. */
typedef void lanes_write_func(void *aux, const char *text, size_t len);

#define LANES_MAX 4

void lanes_run(size_t n_items, size_t chunk, void *lanes[], size_t n_lanes,
               lanes_render_func *, lanes_write_func *, void *aux);

/* How many lanes are worth having here: one per CPU core this process may
 * run on, at most LANES_MAX. */
size_t lanes_count(void);

#endif /* lanes.h */
