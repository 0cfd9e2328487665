/*
 * worker: runs one job in a thread of its own, off the event loop.
 *
 * The main loop starts a job with worker_start(), registers its wake-up
 * with worker_wait() and, once worker_is_done() says so, collects it with
 * worker_finish().  A job the main loop stops waiting for (a timeout) is
 * given up with worker_abandon(): its thread then frees the job's data
 * when the blocking call it is in finally returns.  Completion is signalled
 * through a latch, so poll_block() wakes up for it.
 *
 * A job must not touch what the main loop uses meanwhile (IDLs, unixctl):
 * it works on its own copies, and the main loop keeps off what the job
 * uses (for kernel actions: the hardware back end) until it is done.
 */
#ifndef WORKER_H
#define WORKER_H 1

#include <stdbool.h>

struct worker_job;

struct worker_job *worker_start(const char *name, void (*run)(void *aux),
                                void *aux);
bool worker_is_done(struct worker_job *);
void worker_wait(const struct worker_job *);
void worker_finish(struct worker_job *);
void worker_abandon(struct worker_job *, void (*free_aux)(void *aux));

#endif /* worker.h */
