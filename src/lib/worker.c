/*
 * worker: one job, one thread.  See worker.h.
 */
#include <config.h>

#include "worker.h"

#include <pthread.h>

#include "latch.h"
#include "openvswitch/thread.h"
#include "ovs-rcu.h"
#include "ovs-thread.h"
#include "util.h"

struct worker_job {
    pthread_t thread;
    struct latch done;
    struct ovs_mutex mutex;
    bool finished OVS_GUARDED;      /* run() returned. */
    bool abandoned OVS_GUARDED;     /* Nobody waits for it any more. */
    void (*run)(void *aux);
    void (*free_aux)(void *aux);
    void *aux;
};

static void
worker_job_free(struct worker_job *job)
{
    latch_destroy(&job->done);
    ovs_mutex_destroy(&job->mutex);
    free(job);
}

static void *
worker_main(void *job_)
{
    struct worker_job *job = job_;
    bool abandoned;

    /* The job blocks in the kernel or on a socket: it holds no RCU
     * references and must not hold up grace periods meanwhile. */
    ovsrcu_quiesce_start();
    job->run(job->aux);

    ovs_mutex_lock(&job->mutex);
    job->finished = true;
    abandoned = job->abandoned;
    if (!abandoned) {
        latch_set(&job->done);
    }
    ovs_mutex_unlock(&job->mutex);

    if (abandoned) {
        if (job->free_aux) {
            job->free_aux(job->aux);
        }
        worker_job_free(job);
    }
    return NULL;
}

/* Starts 'run(aux)' in a new thread called 'name'. */
struct worker_job *
worker_start(const char *name, void (*run)(void *aux), void *aux)
{
    struct worker_job *job = xzalloc(sizeof *job);

    latch_init(&job->done);
    ovs_mutex_init(&job->mutex);
    job->run = run;
    job->aux = aux;
    job->thread = ovs_thread_create(name, worker_main, job);
    return job;
}

bool
worker_is_done(struct worker_job *job)
{
    return latch_is_set(&job->done);
}

void
worker_wait(const struct worker_job *job)
{
    latch_wait(&job->done);
}

/* Joins a job that is done and frees it (not its 'aux'). */
void
worker_finish(struct worker_job *job)
{
    xpthread_join(job->thread, NULL);
    worker_job_free(job);
}

/* Gives up waiting for 'job': 'free_aux(aux)' is called (now, or by the
 * job's thread when it returns) and the job is freed. */
void
worker_abandon(struct worker_job *job, void (*free_aux)(void *aux))
{
    bool finished;

    ovs_mutex_lock(&job->mutex);
    finished = job->finished;
    if (!finished) {
        job->abandoned = true;
        job->free_aux = free_aux;
        pthread_detach(job->thread);
    }
    ovs_mutex_unlock(&job->mutex);

    if (finished) {
        void *aux = job->aux;
        worker_finish(job);
        if (free_aux) {
            free_aux(aux);
        }
    }
}
