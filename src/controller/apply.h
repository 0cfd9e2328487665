/*
 * apply: carries out a plan, idempotently.
 *
 * Kernel actions go through the hardware interface, in plan order; the
 * first failure of a bridge stops that bridge's remaining kernel actions
 * for this round (order matters), is recorded with its error text, and the
 * same action is retried with exponential backoff (1 s doubling to 60 s),
 * never in a tight loop.  Open_vSwitch changes of the whole plan go into
 * the one IDL transaction the caller passes.  Every action is safe to
 * repeat: the planner only plans what differs, and the back ends treat
 * "already so" as success.
 */
#ifndef APPLY_H
#define APPLY_H 1

#include <stdbool.h>
#include "openvswitch/shash.h"

struct hw;
struct ovsdb_idl;
struct ovsdb_idl_txn;
struct plan;
struct plan_action;
struct plan_memory;

struct apply_job;
struct worker_job;

struct apply {
    struct apply_job *job;      /* Kernel actions in flight, or NULL. */
    struct worker_job *thread;  /* Its worker. */
    struct shash backoff;       /* Action key -> struct apply_backoff. */
    struct shash step_times;    /* Bridge -> struct smap: step -> ms. */
    struct shash errors;        /* Bridge -> char *: last failed action. */
    long long int next_retry;   /* Earliest backoff expiry, LLONG_MAX. */
};

void apply_init(struct apply *);
void apply_destroy(struct apply *);
bool apply_run(struct apply *, const struct plan *, struct plan_memory *,
               struct hw *, const struct ovsdb_idl *ovs_idl,
               struct ovsdb_idl_txn *ovs_txn, long long int now,
               long long int wall_now, bool async);
bool apply_busy(const struct apply *);
bool apply_poll(struct apply *, struct plan_memory *, long long int now,
                long long int wall_now);
const char *apply_action_error(const struct apply *,
                              const struct plan_action *);
char *apply_describe_busy(const struct apply *, long long int now);
void apply_wait(const struct apply *);

#endif /* apply.h */
