/*
 * lanes: ordered rendering of a long list on several threads.  See
 * lanes.h.
 */
#include <config.h>

#include "lanes.h"

#include <pthread.h>
#include <string.h>

#include "ovs-rcu.h"
#include "ovs-thread.h"
#include "util.h"

struct lane {
    void *state;
    size_t index;
    size_t n_lanes, n_items, chunk;
    lanes_render_func *render;
    pthread_t thread;

    struct ovs_mutex mutex;
    pthread_cond_t cond;
    bool full OVS_GUARDED;      /* A chunk's text awaits writing... */
    const char *text OVS_GUARDED;       /* ...this one. */
    size_t len OVS_GUARDED;
};

static void
lane_render(struct lane *l, size_t c, const char **textp, size_t *lenp)
{
    size_t begin = c * l->chunk;

    l->render(l->state, begin, MIN(begin + l->chunk, l->n_items), textp,
              lenp);
}

static void *
lane_main(void *l_)
{
    struct lane *l = l_;
    size_t n_chunks = DIV_ROUND_UP(l->n_items, l->chunk);

    /* It reads what it renders and holds no RCU references. */
    ovsrcu_quiesce_start();
    for (size_t c = l->index; c < n_chunks; c += l->n_lanes) {
        const char *text;
        size_t len;

        lane_render(l, c, &text, &len);
        ovs_mutex_lock(&l->mutex);
        l->text = text;
        l->len = len;
        l->full = true;
        xpthread_cond_signal(&l->cond);
        while (l->full) {
            ovs_mutex_cond_wait(&l->cond, &l->mutex);
        }
        ovs_mutex_unlock(&l->mutex);
    }
    return NULL;
}

void
lanes_run(size_t n_items, size_t chunk, void *states[], size_t n_lanes,
          lanes_render_func *render, lanes_write_func *write_cb, void *aux)
{
    struct lane lanes[LANES_MAX];
    size_t n_chunks;

    ovs_assert(chunk > 0 && n_lanes > 0);
    n_chunks = DIV_ROUND_UP(n_items, chunk);
    n_lanes = MIN(MIN(n_lanes, LANES_MAX), MAX(n_chunks, 1));
    for (size_t i = 0; i < n_lanes; i++) {
        struct lane *l = &lanes[i];

        memset(l, 0, sizeof *l);
        l->state = states[i];
        l->index = i;
        l->n_lanes = n_lanes;
        l->n_items = n_items;
        l->chunk = chunk;
        l->render = render;
        ovs_mutex_init(&l->mutex);
        xpthread_cond_init(&l->cond, NULL);
        if (i) {
            l->thread = ovs_thread_create("render", lane_main, l);
        }
    }

    for (size_t c = 0; c < n_chunks; c++) {
        struct lane *l = &lanes[c % n_lanes];
        const char *text;
        size_t len;

        if (!l->index) {
            lane_render(l, c, &text, &len);
            write_cb(aux, text, len);
            continue;
        }
        ovs_mutex_lock(&l->mutex);
        while (!l->full) {
            ovs_mutex_cond_wait(&l->cond, &l->mutex);
        }
        write_cb(aux, l->text, l->len);
        l->full = false;
        xpthread_cond_signal(&l->cond);
        ovs_mutex_unlock(&l->mutex);
    }

    for (size_t i = 0; i < n_lanes; i++) {
        struct lane *l = &lanes[i];

        if (i) {
            xpthread_join(l->thread, NULL);
        }
        xpthread_cond_destroy(&l->cond);
        ovs_mutex_destroy(&l->mutex);
    }
}

size_t
lanes_count(void)
{
    int n = count_cpu_cores();

    return n > 1 ? MIN(n, LANES_MAX) : 1;
}
