/*
 * ovs-offloadd: keeps Open vSwitch bridges and the NIC beneath them in the
 * shape their declared offload intent asks for, and reports what it sees
 * and does in the OVS_Offload database.
 *
 * The daemon is a client of two OVSDB databases: Open_vSwitch, where users
 * declare intent with ovs-vsctl and where the bridges live, and
 * OVS_Offload, the project's own database for observed state and reports.
 * Both are normally served by the system's ovsdb-server.
 *
 * Structure: one event loop.  Each iteration runs both IDLs and the
 * hardware back end; when anything changed (the Open_vSwitch database, a
 * kernel event, a retry or wait deadline) it observes (value snapshots of
 * the database and the kernel), plans (plan.c: pure), applies (apply.c:
 * idempotent, kernel first, database changes in one transaction), and
 * publishes status into OVS_Offload.  Then it serves unixctl and waits on
 * everything in poll_block().  Nothing sleeps: waiting for the mlx5 LAG or
 * for representors is a planned state with a deadline, re-observed on a
 * timer.
 */
#include <config.h>

#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "command-line.h"
#include "coverage.h"
#include "daemon.h"
#include "dirs.h"
#include "fatal-signal.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/poll-loop.h"
#include "openvswitch/vlog.h"
#include "ovsdb-idl.h"
#include "process.h"
#include "socket-util.h"
#include "stream.h"
#include "timeval.h"
#include "unixctl.h"
#include "util.h"
#include "lib/vswitch-idl.h"
#include "offload-idl.h"
#include "apply.h"
#include "dbcheck.h"
#include "hw.h"
#include "ovsview.h"
#include "plan.h"
#include "status.h"
#include "validate.h"
#include "verify-ovs.h"
#include "audit.h"
#include "audit-ovs.h"
#include "audit-probe.h"
#include "worker.h"
#include "openvswitch/list.h"

VLOG_DEFINE_THIS_MODULE(ovs_offloadd);

COVERAGE_DEFINE(offloadd_observe);
COVERAGE_DEFINE(offloadd_plan);

static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 20);

/* Command-line settings. */
static char *ovs_remote;        /* Open_vSwitch database. */
static char *offload_remote;    /* OVS_Offload database. */
static char *unixctl_path;
static char *hw_spec;           /* --hw. */
static bool start_paused;       /* --paused. */
static char *restart_cmd;       /* --vswitchd-restart-cmd. */
static long long int verify_timeout_ms = 30000;    /* --verify-timeout. */

/* --audit-interval: how often the tuning audit re-reads the facts that
 * raise no event (sysfs, sysctls, IRQ affinity); an observation of the
 * kernel, which a netlink notification starts, re-runs it anyway.  Once a
 * minute keeps an idle daemon asleep (issue 10: at most 2 wake-ups a
 * minute). */
static long long int audit_refresh_ms = 60000;
static struct hw_options hw_options;
static const char *proc_root = "/proc";  /* --proc-root, for the audit. */

/* While some bridge waits (LAG state, representors), the kernel is observed
 * again this often, since sysfs and debugfs changes raise no event. */
#define WAIT_REOBSERVE_MS 500

/* While changes stream in, the pause after a round, in multiples of the
 * time the round took (see 'next_plan').  At 254 representors under TCG
 * (one CPU), 1 left ovs-vswitchd half the CPU while it added the ports. */
#define OFFLOADD_PACE 3

/* Everything the event loop carries from one iteration to the next. */
struct offloadd {
    struct ovsdb_idl_loop ovs_loop;
    struct ovsdb_idl_loop off_loop;
    struct dbcheck *dbcheck;    /* Does the server have OVS_Offload? */
    unsigned int ovs_seqno;     /* Last Open_vSwitch IDL seqno seen. */
    unsigned int off_seqno;     /* Last OVS_Offload IDL seqno seen. */
    bool ovs_was_connected;
    bool off_was_connected;
    struct ovsview *view;       /* Latest Open_vSwitch snapshot. */
    struct hw *hw;              /* Hardware back end. */
    struct hw_snapshot snap;    /* Latest kernel snapshot. */
    bool snap_valid;
    bool reobserve;             /* Observe the kernel at the next chance. */
    long long int next_observe; /* Periodic re-observation, LLONG_MAX. */

    /* Pacing: while changes stream in (ovs-vswitchd adding 254 ports sends
     * a link notification and a database update for each), a round is
     * planned no sooner after the last than OFFLOADD_PACE times the last
     * one took, so that each round covers what arrived meanwhile and
     * rounds take at most 1 / (OFFLOADD_PACE + 1) of a CPU that
     * ovs-vswitchd may need.  What is not yet planned for: */
    bool hw_pending;            /* A kernel change. */
    bool ovs_pending;           /* A database change. */
    long long int next_plan;    /* No paced round before then. */
    unsigned int dbcheck_off_seqno; /* OVS_Offload IDL seqno dbcheck saw. */
    struct plan_memory mem;
    bool mem_loaded;            /* Read back from OVS_Offload yet? */
    struct plan plan;           /* Latest plan. */
    struct apply apply;
    struct shash bridge_states; /* Bridge -> last logged "state|error". */
    bool paused;                /* Observe and plan, but apply nothing. */

    /* ovs-vswitchd reads other_config:hw-offload when it starts; turning it
     * on also works live, turning it off does not.  When the daemon changes
     * it, it notes which ovs-vswitchd (pid) was running. */
    char *hw_offload_set;       /* Value the daemon last set, or NULL. */
    pid_t hw_offload_pid;       /* ovs-vswitchd's pid then, 0 if unknown. */
    struct process *restart;    /* --vswitchd-restart-cmd in progress. */
    pid_t restarted_pid;        /* The ovs-vswitchd the command restarted. */
    struct unixctl_conn *step_conn;  /* "offload/step" waiting for a round
                                      * of actions to be applied. */
    struct unixctl_conn **plan_conns;   /* "offload/plan" waiting for the
                                         * next fresh observation. */
    size_t n_plan_conns;
    struct ovs_list verifies;   /* "offload/verify" in flight. */
    bool exiting;

    /* The tuning audit of the managed uplinks (Audit_Finding rows): facts
     * re-read every --audit-interval, since some of them (sysfs, sysctls)
     * raise no event, and after each kernel observation. */
    struct audit_probe *audit_probe;
    long long int next_audit;
    unsigned int audit_snap_seq; /* Observations since the last audit. */
    unsigned int audit_off_seqno; /* OVS_Offload seqno at the last audit. */
    long long int audit_due;    /* Observation-triggered audit, LLONG_MAX. */
};

/* An observation makes the audit due this much later, not in the same
 * iteration: the audit reads dozens of files, and running it before the
 * iteration's Open_vSwitch transaction is committed would delay the
 * reaction to the change that caused the observation (issue 10). */
#define AUDIT_DEFER_MS 50

static void parse_options(int argc, char *argv[]);
OVS_NO_RETURN static void usage(void);
static void offloadd_unixctl_exit(struct unixctl_conn *, int argc,
                                  const char *argv[], void *offloadd);
static void offloadd_unixctl_show(struct unixctl_conn *, int argc,
                                  const char *argv[], void *offloadd);
static void offloadd_unixctl_plan(struct unixctl_conn *, int argc,
                                  const char *argv[], void *offloadd);
static void offloadd_unixctl_pause(struct unixctl_conn *, int argc,
                                   const char *argv[], void *offloadd);
static void offloadd_unixctl_resume(struct unixctl_conn *, int argc,
                                    const char *argv[], void *offloadd);
static void offloadd_unixctl_step(struct unixctl_conn *, int argc,
                                  const char *argv[], void *offloadd);
static void offloadd_unixctl_verify(struct unixctl_conn *, int argc,
                                    const char *argv[], void *offloadd);
static void offloadd_verify_poll(struct offloadd *);
static void offloadd_verify_wait(const struct offloadd *);
static void offloadd_answer_plans(struct offloadd *);

static void
log_connection(const char *what, const char *remote,
               const struct ovsdb_idl *idl, bool connected,
               bool *was_connected)
{
    if (connected != *was_connected) {
        if (connected) {
            VLOG_INFO("%s: connected to %s database", remote, what);
        } else {
            int error = ovsdb_idl_get_last_error(idl);
            VLOG_WARN("%s: connection to %s database lost or failed (%s); "
                      "retrying", remote, what,
                      error ? ovs_strerror(error) : "closed");
        }
        *was_connected = connected;
    }
}

/* The pid of the running ovs-vswitchd, from its pidfile, or 0.  (Quietly:
 * the pidfile is briefly absent while ovs-vswitchd restarts.) */
static pid_t
vswitchd_pid(void)
{
    char *pidfile = xasprintf("%s/ovs-vswitchd.pid", ovs_rundir());
    FILE *file = fopen(pidfile, "r");
    long int pid = 0;

    if (file) {
        if (fscanf(file, "%ld", &pid) != 1 || pid <= 0
            || (kill(pid, 0) && errno == ESRCH)) {
            pid = 0;
        }
        fclose(file);
    }
    free(pidfile);
    return pid;
}

/* Whether the running ovs-vswitchd has what the daemon set in
 * other_config:hw-offload: "active" (it has), "restart-required" (it was
 * turned off under this ovs-vswitchd, which only reads it at start-up), or
 * "unknown" (no pidfile to tell). */
static const char *
hw_offload_vswitchd_state(const struct offloadd *d)
{
    pid_t pid;

    if (!d->hw_offload_set || !strcmp(d->hw_offload_set, "true")) {
        return "active";
    }
    pid = vswitchd_pid();
    if (!pid || !d->hw_offload_pid) {
        return "unknown";
    }
    return pid == d->hw_offload_pid ? "restart-required" : "active";
}

/* Notes a change of other_config:hw-offload made by the plan. */
static void
offloadd_track_hw_offload(struct offloadd *d, bool applied)
{
    if (applied) {
        for (size_t i = 0; i < d->plan.n_actions; i++) {
            const struct plan_action *a = &d->plan.actions[i];
            if (a->op == PLAN_HW_OFFLOAD) {
                free(d->hw_offload_set);
                d->hw_offload_set = xstrdup(a->arg);
                d->hw_offload_pid = vswitchd_pid();
            }
        }
    }
}

/* Runs --vswitchd-restart-cmd once when ovs-vswitchd needs a restart for a
 * change of hw-offload, and notices when it finished. */
static void
offloadd_restart_run(struct offloadd *d)
{
    process_run();
    if (d->restart) {
        if (process_exited(d->restart)) {
            char *msg = process_status_msg(process_status(d->restart));
            VLOG_INFO("--vswitchd-restart-cmd finished: %s", msg);
            free(msg);
            process_destroy(d->restart);
            d->restart = NULL;
            /* A restart loses what it loses (channels, MTU...): look
             * again. */
            d->reobserve = true;
        }
    } else if (restart_cmd
               && !strcmp(hw_offload_vswitchd_state(d), "restart-required")
               && d->restarted_pid != d->hw_offload_pid) {
        char *argv[] = { "/bin/sh", "-c", restart_cmd, NULL };
        int error = process_start(argv, &d->restart);

        d->restarted_pid = d->hw_offload_pid;
        if (error) {
            VLOG_WARN("--vswitchd-restart-cmd: cannot start \"%s\": %s",
                      restart_cmd, ovs_strerror(error));
        } else {
            VLOG_INFO("hw-offload=%s needs an ovs-vswitchd restart: running "
                      "\"%s\"", d->hw_offload_set, restart_cmd);
        }
    }
}

/* Builds the status model from the current snapshot. */
static void
offloadd_fill_status(const struct offloadd *d, struct status *st)
{
    struct shash_node *node;

    smap_add(&st->daemon, "version", OVSO_VERSION);
    smap_add_format(&st->daemon, "pid", "%ld", (long int) getpid());
    smap_add(&st->daemon, "ovs_remote", ovs_remote);
    smap_add(&st->daemon, "paused", d->paused ? "true" : "false");
    st->ovs_connected = d->view->connected;
    smap_clone(&st->hw_offload, &d->plan.hw_offload);
    smap_add(&st->hw_offload, "vswitchd", hw_offload_vswitchd_state(d));

    SHASH_FOR_EACH (node, &d->view->bridges) {
        const struct ovsview_bridge *vbr = node->data;
        struct status_bridge *br = status_add_bridge(st, vbr->name);
        struct smap_node *kv;
        struct shash_node *pn;

        SMAP_FOR_EACH (kv, &vbr->external_ids) {
            if (!strncmp(kv->key, "offload-", 8)) {
                smap_add(&br->intent, kv->key, kv->value);
            }
        }
        const struct plan_bridge *pb = shash_find_data(&d->plan.bridges,
                                                       vbr->name);
        const char *error = shash_find_data(&d->apply.errors, vbr->name);

        br->managed = smap_get(&vbr->external_ids, "offload-uplinks") != NULL;
        br->state = br->managed ? "pending" : "unmanaged";
        if (pb) {
            const char *w;

            br->state = pb->state;
            free(br->step);
            br->step = xstrdup(pb->step);
            br->error = nullable_xstrdup(pb->error);
            SSET_FOR_EACH (w, &pb->warnings) {
                sset_add(&br->warnings, w);
            }
        }
        if (error && !br->error) {
            br->error = xstrdup(error);
            br->state = "error";
        }
        const struct smap *rep_ports = shash_find_data(&d->mem.rep_ports,
                                                       vbr->name);
        if (rep_ports) {
            smap_clone(&br->rep_ports, rep_ports);
        }
        SHASH_FOR_EACH (pn, &vbr->ports) {
            const struct ovsview_port *port = pn->data;
            smap_add(&br->ports, port->name, port->owned ? "owned" : "user");
        }
    }
}

/* Logs each bridge's state when it changes, and its error at WARN. */
static void
offloadd_log_states(struct offloadd *d)
{
    struct shash_node *node;

    SHASH_FOR_EACH (node, &d->plan.bridges) {
        const struct plan_bridge *pb = node->data;
        const char *error = pb->error;
        char *now = xasprintf("%s|%s", pb->state, error ? error : "");
        char *old = shash_find_data(&d->bridge_states, pb->name);

        if (!old || strcmp(old, now)) {
            if (error) {
                VLOG_WARN("bridge %s: %s: %s", pb->name, pb->state, error);
            } else if (pb->managed || old) {
                VLOG_INFO("bridge %s: %s%s%s", pb->name, pb->state,
                          pb->step[0] ? ", step " : "", pb->step);
            }
            free(shash_replace(&d->bridge_states, pb->name, now));
        } else {
            free(now);
        }
    }
    SHASH_FOR_EACH_SAFE (node, &d->bridge_states) {
        if (!shash_find(&d->plan.bridges, node->name)) {
            free(node->data);
            shash_delete(&d->bridge_states, node);
        }
    }
}

/* Answers the "offload/plan" requests waiting for a plan made from a
 * fresh observation (the one just computed). */
static void
offloadd_answer_plans(struct offloadd *d)
{
    if (d->n_plan_conns && !d->reobserve) {
        struct ds s = DS_EMPTY_INITIALIZER;

        plan_format(&d->plan, &s);
        for (size_t i = 0; i < d->n_plan_conns; i++) {
            unixctl_command_reply(d->plan_conns[i], ds_cstr(&s));
        }
        ds_destroy(&s);
        d->n_plan_conns = 0;
    }
}

/* Observes the kernel (if needed), plans, and applies. */
static void
offloadd_reconcile(struct offloadd *d, struct ovsdb_idl_txn *ovs_txn,
                   bool ovs_changed)
{
    long long int now = time_msec();
    bool hw_changed;
    char *error = NULL;

    /* Kernel actions run in the worker: the hardware back end is theirs
     * until they are collected. */
    if (apply_busy(&d->apply)) {
        if (!apply_poll(&d->apply, &d->mem, now, time_wall_msec())) {
            return;
        }
        d->reobserve = true;
    }
    d->hw_pending |= hw_run(d->hw);
    d->ovs_pending |= ovs_changed;
    if (now < d->next_plan && !d->reobserve && d->snap_valid
        && now < d->next_observe && now < d->apply.next_retry
        && now < d->plan.next_deadline && !d->n_plan_conns
        && !d->step_conn) {
        /* Only changes from outside: offloadd_wait() wakes the loop at
         * 'next_plan' for them. */
        return;
    }
    hw_changed = d->hw_pending;
    ovs_changed = d->ovs_pending;
    d->hw_pending = d->ovs_pending = false;

    if (hw_changed || d->reobserve || !d->snap_valid
        || now >= d->next_observe) {
        COVERAGE_INC(offloadd_observe);
        if (hw_observe(d->hw, &d->snap, &error)) {
            VLOG_WARN_RL(&rl, "observing the kernel failed: %s", error);
            free(error);
            return;
        }
        d->snap_valid = true;
        d->reobserve = false;
        d->audit_snap_seq++;
    } else if (!ovs_changed && now < d->apply.next_retry
               && now < d->plan.next_deadline) {
        return;
    }

    plan_destroy(&d->plan);
    plan_init(&d->plan);
    COVERAGE_INC(offloadd_plan);
    plan_compute(d->view, &d->snap, &d->mem, now, &d->plan);

    /* Paused, the daemon applies nothing, except one round for each
     * "offload/step" (which needs a database transaction to hand). */
    bool step = d->step_conn && ovs_txn;
    if (d->paused && !step) {
        offloadd_answer_plans(d);
        goto out;
    }
    offloadd_answer_plans(d);
    if (apply_run(&d->apply, &d->plan, &d->mem, d->hw, d->ovs_loop.idl,
                  ovs_txn, now, time_wall_msec(), true)) {
        /* The kernel changed under our own hands: look again now. */
        d->reobserve = true;
        poll_immediate_wake();
    }
    offloadd_track_hw_offload(d, ovs_txn != NULL);
    if (step) {
        struct ds s = DS_EMPTY_INITIALIZER;

        plan_format(&d->plan, &s);
        unixctl_command_reply(d->step_conn, ds_cstr(&s));
        ds_destroy(&s);
        d->step_conn = NULL;
    }

out:
    d->next_observe = (sset_is_empty(&d->plan.waits)
                       ? LLONG_MAX : now + WAIT_REOBSERVE_MS);

    /* Remember each managed bridge's intent, for offload-teardown, and its
     * representor ports. */
    struct shash_node *node;
    SHASH_FOR_EACH (node, &d->view->bridges) {
        const struct ovsview_bridge *vbr = node->data;
        const struct plan_bridge *pb = shash_find_data(&d->plan.bridges,
                                                       vbr->name);

        plan_memory_set_rep_ports(&d->mem, vbr->name,
                                  pb && pb->managed ? &pb->rep_ports : NULL);
        if (pb && pb->managed && strcmp(pb->state, "error")) {
            struct smap *intent = xmalloc(sizeof *intent);
            struct smap_node *kv;

            smap_init(intent);
            SMAP_FOR_EACH (kv, &vbr->external_ids) {
                if (!strncmp(kv->key, "offload-", 8)) {
                    smap_add(intent, kv->key, kv->value);
                }
            }
            struct smap *old = shash_replace(&d->mem.intents, vbr->name,
                                             intent);
            if (old) {
                smap_destroy(old);
                free(old);
            }
        }
    }
    offloadd_log_states(d);
    long long int end = time_msec();
    d->next_plan = end + OFFLOADD_PACE * (end - now);
}

/* Re-runs the tuning audit on the managed uplinks (the Uplink rows) and
 * makes the Audit_Finding rows match.  Read-only: nothing is applied. */
static void
offloadd_audit_run(struct offloadd *d, struct ovsdb_idl *off_idl,
                   struct ovsdb_idl_txn *off_txn)
{
    long long int now = time_msec();
    unsigned int seqno = ovsdb_idl_get_seqno(off_idl);

    if (!d->audit_probe || !d->snap_valid) {
        return;
    }
    if ((d->audit_snap_seq || seqno != d->audit_off_seqno)
        && d->audit_due == LLONG_MAX) {
        d->audit_due = now + AUDIT_DEFER_MS;
    }
    if (now < d->next_audit && now < d->audit_due) {
        return;
    }
    d->audit_off_seqno = seqno;
    d->audit_due = LLONG_MAX;
    d->next_audit = now + audit_refresh_ms;
    d->audit_snap_seq = 0;

    struct smap bridges = SMAP_INITIALIZER(&bridges);
    struct audit_report report;
    struct audit_target *targets;
    size_t n;
    char *error;

    audit_report_init(&report);
    audit_ovs_targets(off_idl, &targets, &n, &bridges);
    if (n) {
        audit_run(d->audit_probe, &d->snap, targets, n, &report, &error);
        if (error) {
            VLOG_DBG_RL(&rl, "audit: %s", error);
            free(error);
        }
    }
    VLOG_DBG("audit: %"PRIuSIZE" uplinks, %"PRIuSIZE" findings", n,
             report.n_findings);
    if (!n) {
        /* Nothing managed: wait for the next observation, no timer. */
        d->next_audit = LLONG_MAX;
    }
    audit_ovs_publish(&report, &bridges, off_idl, off_txn);
    audit_report_destroy(&report);
    free(targets);
    smap_destroy(&bridges);
}

static void
offloadd_run(struct offloadd *d)
{
    struct ovsdb_idl_txn *ovs_txn = ovsdb_idl_loop_run(&d->ovs_loop);
    struct ovsdb_idl_txn *off_txn = ovsdb_idl_loop_run(&d->off_loop);
    struct ovsdb_idl *ovs_idl = d->ovs_loop.idl;
    struct ovsdb_idl *off_idl = d->off_loop.idl;
    unsigned int seqno = ovsdb_idl_get_seqno(ovs_idl);
    bool connected = (ovsdb_idl_is_connected(ovs_idl)
                      && ovsdb_idl_has_ever_connected(ovs_idl));
    bool ovs_changed = false;

    /* A server without OVS_Offload accepts the connection, then the IDL
     * gives up and retries: dbcheck says what is missing, once.  It asks
     * the server again when the OVS_Offload IDL changes (its contents are
     * reloaded after an online schema conversion, and dropped when the
     * database goes), not on a timer. */
    unsigned int off_seqno = ovsdb_idl_get_seqno(off_idl);
    if (off_seqno != d->dbcheck_off_seqno) {
        d->dbcheck_off_seqno = off_seqno;
        dbcheck_recheck(d->dbcheck);
    }
    if (dbcheck_run(d->dbcheck)) {
        enum dbcheck_state state = dbcheck_get_state(d->dbcheck);
        enum vlog_level level = (state == DBCHECK_MISSING
                                 || state == DBCHECK_OLD_SCHEMA
                                 ? VLL_WARN : VLL_INFO);
        VLOG(level, "OVS_Offload database: %s: %s",
             dbcheck_state_name(state), dbcheck_describe(d->dbcheck));
    }
    log_connection("Open_vSwitch", ovs_remote, ovs_idl,
                   ovsdb_idl_is_connected(ovs_idl), &d->ovs_was_connected);
    log_connection("OVS_Offload", offload_remote, off_idl,
                   (ovsdb_idl_is_connected(off_idl)
                    && dbcheck_is_served(d->dbcheck)),
                   &d->off_was_connected);

    if (seqno != d->ovs_seqno || connected != d->view->connected) {
        struct ovsview *new = xmalloc(sizeof *new);
        struct ds changes = DS_EMPTY_INITIALIZER;

        ovsview_init(new);
        ovsview_build(new, ovs_idl);
        ovsview_diff(d->view, new, &changes);
        if (changes.length) {
            ds_chomp(&changes, '\n');
            VLOG_INFO("Open_vSwitch changes:\n%s", ds_cstr(&changes));
        }
        ds_destroy(&changes);
        ovsview_destroy(d->view);
        free(d->view);
        d->view = new;
        d->ovs_seqno = seqno;
        ovs_changed = true;
    }

    /* What a previous run remembered must be known before acting. */
    if (!d->mem_loaded && ovsdb_idl_has_ever_connected(off_idl)) {
        status_load_memory(off_idl, &d->mem, &d->apply);
        d->mem_loaded = true;
        ovs_changed = true;
    }

    if (d->mem_loaded && ovsdb_idl_get_seqno(off_idl) != d->off_seqno) {
        d->off_seqno = ovsdb_idl_get_seqno(off_idl);
        status_sync_channels(off_idl, &d->mem);
        ovs_changed = true;
    }

    offloadd_restart_run(d);
    offloadd_verify_poll(d);

    /* Act only on a live view of Open_vSwitch: a database that went away
     * must not look like one whose bridges were all deleted. */
    if (connected && d->mem_loaded) {
        offloadd_reconcile(d, ovs_txn, ovs_changed);
    }

    if (off_txn && ovsdb_idl_has_ever_connected(off_idl)) {
        struct status st;

        status_init(&st);
        offloadd_fill_status(d, &st);
        status_publish(&st, off_idl, off_txn, time_wall_msec());
        status_destroy(&st);
        status_publish_objects(&d->plan, &d->apply, &d->mem, off_idl,
                               off_txn);
        offloadd_audit_run(d, off_idl, off_txn);
    }
}

static void
offloadd_wait(struct offloadd *d)
{
    int retval;

    retval = ovsdb_idl_loop_commit_and_wait(&d->ovs_loop);
    if (!retval) {
        VLOG_WARN_RL(&rl, "Open_vSwitch transaction failed; will retry");
    }
    retval = ovsdb_idl_loop_commit_and_wait(&d->off_loop);
    if (!retval) {
        VLOG_WARN_RL(&rl, "OVS_Offload transaction failed; will retry");
    }
    dbcheck_wait(d->dbcheck);
    if (!apply_busy(&d->apply)) {
        hw_wait(d->hw);
    }
    apply_wait(&d->apply);
    offloadd_verify_wait(d);
    if (d->restart) {
        process_wait(d->restart);
    }
    if (strcmp(hw_offload_vswitchd_state(d), "active")) {
        /* Nothing announces an ovs-vswitchd restart: look again soon. */
        poll_timer_wait(1000);
    }
    if (d->plan.next_deadline != LLONG_MAX) {
        poll_timer_wait_until(d->plan.next_deadline);
    }
    if (d->next_observe != LLONG_MAX) {
        poll_timer_wait_until(d->next_observe);
    }
    if (d->hw_pending || d->ovs_pending) {
        poll_timer_wait_until(d->next_plan);
    }
    /* A deadline already past means the audit could not run in this
     * iteration (no OVS_Offload transaction to hand, or no snapshot yet):
     * what it waits for wakes the loop, and waiting on the past would
     * spin. */
    if (d->audit_probe && d->next_audit != LLONG_MAX
        && d->next_audit > time_msec()) {
        poll_timer_wait_until(d->next_audit);
    }
    if (d->audit_probe && d->audit_due != LLONG_MAX
        && d->audit_due > time_msec()) {
        poll_timer_wait_until(d->audit_due);
    }
}

int
main(int argc, char *argv[])
{
    struct unixctl_server *unixctl;
    struct offloadd d;
    int retval;

    ovs_set_program_name(argv[0], OVSO_VERSION);
    ovs_cmdl_proctitle_init(argc, argv);
    service_start(&argc, &argv);
    fatal_ignore_sigpipe();
    parse_options(argc, argv);

    daemonize_start(false);

    retval = unixctl_server_create(unixctl_path, &unixctl);
    if (retval) {
        ovs_fatal(retval, "could not create unixctl server at %s",
                  unixctl_path ? unixctl_path : "the default path");
    }

    memset(&d, 0, sizeof d);
    d.view = xmalloc(sizeof *d.view);
    ovsview_init(d.view);
    hw_snapshot_init(&d.snap);
    plan_memory_init(&d.mem);
    plan_init(&d.plan);
    apply_init(&d.apply);
    shash_init(&d.bridge_states);
    ovs_list_init(&d.verifies);
    d.next_observe = LLONG_MAX;
    d.audit_due = LLONG_MAX;
    char *hw_error;
    retval = hw_open(hw_spec, &hw_options, &d.hw, &hw_error);
    if (retval) {
        ovs_fatal(0, "%s", hw_error);
    }
    retval = audit_probe_open(hw_options.sysfs_root, proc_root,
                              !strcmp(d.hw->class->type, "linux"),
                              &d.audit_probe, &hw_error);
    if (retval) {
        ovs_fatal(0, "audit: %s", hw_error);
    }
    d.ovs_loop = (struct ovsdb_idl_loop) OVSDB_IDL_LOOP_INITIALIZER(
        ovsdb_idl_create(ovs_remote, &ovsrec_idl_class, false, true));
    ovsview_register(d.ovs_loop.idl);
    d.off_loop = (struct ovsdb_idl_loop) OVSDB_IDL_LOOP_INITIALIZER(
        ovsdb_idl_create(offload_remote, &offrec_idl_class, true, true));
    status_register(d.off_loop.idl);
    d.dbcheck = dbcheck_create(offload_remote, "OVS_Offload",
                               offrec_get_db_version());
    d.ovs_seqno = ovsdb_idl_get_seqno(d.ovs_loop.idl);

    unixctl_command_register("exit", "", 0, 0, offloadd_unixctl_exit, &d);
    unixctl_command_register("offload/show", "", 0, 0,
                             offloadd_unixctl_show, &d);
    unixctl_command_register("offload/plan", "", 0, 0,
                             offloadd_unixctl_plan, &d);
    unixctl_command_register("offload/pause", "", 0, 0,
                             offloadd_unixctl_pause, &d);
    unixctl_command_register("offload/resume", "", 0, 0,
                             offloadd_unixctl_resume, &d);
    unixctl_command_register("offload/step", "", 0, 0,
                             offloadd_unixctl_step, &d);
    d.paused = start_paused;
    unixctl_command_register("offload/verify",
                             "[--format=table|json] [--bridge=BR] "
                             "[--vswitchd=TARGET]", 0, 3,
                             offloadd_unixctl_verify, &d);

    daemonize_complete();
    VLOG_INFO("ovs-offloadd %s starting (Open_vSwitch at %s, OVS_Offload "
              "at %s)", OVSO_VERSION, ovs_remote, offload_remote);

    while (!d.exiting) {
        offloadd_run(&d);
        unixctl_server_run(unixctl);

        offloadd_wait(&d);
        unixctl_server_wait(unixctl);
        if (d.exiting) {
            poll_immediate_wake();
        }
        poll_block();
        if (should_service_stop()) {
            d.exiting = true;
        }
    }

    VLOG_INFO("ovs-offloadd exiting");
    unixctl_server_destroy(unixctl);
    free(d.plan_conns);
    ovsdb_idl_loop_destroy(&d.ovs_loop);
    ovsdb_idl_loop_destroy(&d.off_loop);
    dbcheck_destroy(d.dbcheck);
    ovsview_destroy(d.view);
    free(d.view);
    hw_close(d.hw);
    audit_probe_close(d.audit_probe);
    hw_snapshot_destroy(&d.snap);
    plan_destroy(&d.plan);
    plan_memory_destroy(&d.mem);
    apply_destroy(&d.apply);
    shash_destroy_free_data(&d.bridge_states);
    service_stop();
    free(ovs_remote);
    free(offload_remote);
    free(unixctl_path);
    free(hw_spec);
    free(restart_cmd);
    free(d.hw_offload_set);
    process_destroy(d.restart);
    return 0;
}

static void
offloadd_unixctl_exit(struct unixctl_conn *conn, int argc OVS_UNUSED,
                      const char *argv[] OVS_UNUSED, void *d_)
{
    struct offloadd *d = d_;

    d->exiting = true;
    unixctl_command_reply(conn, NULL);
}

static void
offloadd_unixctl_show(struct unixctl_conn *conn, int argc OVS_UNUSED,
                      const char *argv[] OVS_UNUSED, void *d_)
{
    struct offloadd *d = d_;
    struct ds s = DS_EMPTY_INITIALIZER;

    ds_put_format(&s, "OVS_Offload database: %s: %s\n",
                  dbcheck_state_name(dbcheck_get_state(d->dbcheck)),
                  dbcheck_describe(d->dbcheck));
    if (!d->mem_loaded) {
        ds_put_cstr(&s, "Not reconciling until the OVS_Offload database "
                    "is served.\n");
    }
    ovsview_format(d->view, &s);
    if (d->snap_valid) {
        ds_put_cstr(&s, "Kernel:\n");
        hw_snapshot_format(&d->snap, &s);
    }
    unixctl_command_reply(conn, ds_cstr(&s));
    ds_destroy(&s);
}

/* Maintenance: while paused, the daemon keeps observing, planning and
 * publishing status, but changes nothing. */
static void
offloadd_unixctl_pause(struct unixctl_conn *conn, int argc OVS_UNUSED,
                       const char *argv[] OVS_UNUSED, void *d_)
{
    struct offloadd *d = d_;

    d->paused = true;
    VLOG_INFO("paused: planning only, applying nothing");
    unixctl_command_reply(conn, NULL);
}

static void
offloadd_unixctl_resume(struct unixctl_conn *conn, int argc OVS_UNUSED,
                        const char *argv[] OVS_UNUSED, void *d_)
{
    struct offloadd *d = d_;

    d->paused = false;
    d->reobserve = true;
    VLOG_INFO("resumed");
    unixctl_command_reply(conn, NULL);
}

/* While paused: applies the current plan once (one step of the sequence)
 * and replies with that plan. */
static void
offloadd_unixctl_step(struct unixctl_conn *conn, int argc OVS_UNUSED,
                      const char *argv[] OVS_UNUSED, void *d_)
{
    struct offloadd *d = d_;

    if (!d->paused) {
        unixctl_command_reply_error(conn, "not paused (use offload/pause)");
    } else if (d->step_conn) {
        unixctl_command_reply_error(conn, "a step is already in progress");
    } else {
        d->step_conn = conn;
        d->reobserve = true;
        poll_immediate_wake();
    }
}

/* Dry run: what the daemon would do now, and why, without doing it.  The
 * reply comes from the loop, after the next observation of the kernel
 * (once kernel actions in flight are done), not from the handler. */
static void
offloadd_unixctl_plan(struct unixctl_conn *conn, int argc OVS_UNUSED,
                      const char *argv[] OVS_UNUSED, void *d_)
{
    struct offloadd *d = d_;

    d->plan_conns = xrealloc(d->plan_conns,
                             (d->n_plan_conns + 1) * sizeof *d->plan_conns);
    d->plan_conns[d->n_plan_conns++] = conn;
    d->reobserve = true;
    poll_immediate_wake();
}

/* "offload/verify": the per-flow offload report (see verify-ovs.h).
 * Gathering it (a dump-flows round trip to ovs-vswitchd, tc dumps) runs in
 * a worker thread on a copy of the Open_vSwitch view; the loop replies
 * when it is done, or with an error once --verify-timeout passed (a
 * wedged ovs-vswitchd), and publishes the summary into OVS_Offload. */
struct offloadd_verify {
    struct ovs_list node;       /* In struct offloadd's 'verifies'. */
    struct unixctl_conn *conn;
    struct worker_job *thread;
    long long int deadline;
    bool json;

    /* The worker's, until it is done. */
    struct ovsview view;
    char *bridge;
    char *vswitchd;
    struct verify_options opts;
    struct verify_data data;
    int error;
    char *error_msg;
};

static void
offloadd_verify_free(void *v_)
{
    struct offloadd_verify *v = v_;

    ovsview_destroy(&v->view);
    verify_data_destroy(&v->data);
    free(v->bridge);
    free(v->vswitchd);
    free(v->error_msg);
    free(v);
}

static void
offloadd_verify_run(void *v_)
{
    struct offloadd_verify *v = v_;

    v->error = verify_collect(&v->view, &v->opts, &v->data, &v->error_msg);
}

static void
offloadd_unixctl_verify(struct unixctl_conn *conn, int argc,
                        const char *argv[], void *d_)
{
    struct offloadd *d = d_;
    struct offloadd_verify *v = xzalloc(sizeof *v);

    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--format=json") || !strcmp(argv[i], "json")) {
            v->json = true;
        } else if (!strncmp(argv[i], "--bridge=", 9)) {
            free(v->bridge);
            v->bridge = xstrdup(argv[i] + 9);
        } else if (!strncmp(argv[i], "--vswitchd=", 11)) {
            free(v->vswitchd);
            v->vswitchd = xstrdup(argv[i] + 11);
        } else if (!strcmp(argv[i], "--format=table")) {
            v->json = false;
        } else {
            char *msg = xasprintf("unknown argument \"%s\" (usage: "
                                  "offload/verify [--format=json|table] "
                                  "[--bridge=BR] [--vswitchd=TARGET])",
                                  argv[i]);
            unixctl_command_reply_error(conn, msg);
            free(msg);
            free(v->bridge);
            free(v->vswitchd);
            free(v);
            return;
        }
    }
    v->conn = conn;
    v->opts = (struct verify_options) VERIFY_OPTIONS_DEFAULT;
    v->opts.sysfs_root = hw_options.sysfs_root;
    v->opts.vswitchd_timeout_ms = MIN(v->opts.vswitchd_timeout_ms,
                                      verify_timeout_ms);
    v->opts.bridge = v->bridge;
    v->opts.vswitchd = v->vswitchd;
    v->deadline = time_msec() + verify_timeout_ms;
    ovsview_init(&v->view);
    ovsview_build(&v->view, d->ovs_loop.idl);
    verify_data_init(&v->data);
    v->thread = worker_start("verify", offloadd_verify_run, v);
    ovs_list_push_back(&d->verifies, &v->node);
}

/* The error for a verification that ran out of time: the loop's
 * --verify-timeout deadline passed, or the worker's own bound on the
 * ovs-vswitchd round trips (never longer) did first.  The text is the same
 * whichever noticed it, however late a loaded machine woke the loop. */
static char *
offloadd_verify_timeout_msg(const struct offloadd_verify *v,
                            long long int ms)
{
    return xasprintf("verify failed: no answer within %lld ms from "
                     "ovs-vswitchd (%s) or the kernel; gave up waiting "
                     "(--verify-timeout)", ms,
                     v->vswitchd ? v->vswitchd : "ovs-vswitchd");
}

/* Replies 'reply' as an error to 'v' and publishes 'published' as the
 * verification's error into OVS_Offload (if a transaction is open). */
static void
offloadd_verify_fail(struct offloadd *d, struct offloadd_verify *v,
                     const char *reply, const char *published)
{
    unixctl_command_reply_error(v->conn, reply);
    if (d->off_loop.open_txn) {
        verify_publish(NULL, published, d->off_loop.idl,
                       d->off_loop.open_txn);
    }
}

/* Replies to the verifications that are done or out of time. */
static void
offloadd_verify_poll(struct offloadd *d)
{
    struct offloadd_verify *v;
    long long int now = time_msec();

    LIST_FOR_EACH_SAFE (v, node, &d->verifies) {
        if (worker_is_done(v->thread)) {
            ovs_list_remove(&v->node);
            worker_finish(v->thread);
            if (v->error == ETIMEDOUT) {
                char *msg = offloadd_verify_timeout_msg(
                    v, v->opts.vswitchd_timeout_ms);

                VLOG_WARN("offload/verify: %s (%s)", msg, v->error_msg);
                offloadd_verify_fail(d, v, msg, msg);
                free(msg);
            } else if (v->error) {
                char *reply = xasprintf("verify failed: %s", v->error_msg);

                offloadd_verify_fail(d, v, reply, v->error_msg);
                free(reply);
            } else {
                char *reply = verify_render_string(&v->data, v->json, false);

                unixctl_command_reply(v->conn, reply);
                if (d->off_loop.open_txn) {
                    verify_publish(&v->data.report, v->error_msg,
                                   d->off_loop.idl, d->off_loop.open_txn);
                }
                free(reply);
            }
            offloadd_verify_free(v);
        } else if (now >= v->deadline) {
            char *msg = offloadd_verify_timeout_msg(v, verify_timeout_ms);

            VLOG_WARN("offload/verify: %s", msg);
            offloadd_verify_fail(d, v, msg, msg);
            free(msg);
            ovs_list_remove(&v->node);
            worker_abandon(v->thread, offloadd_verify_free);
        }
    }
}

static void
offloadd_verify_wait(const struct offloadd *d)
{
    const struct offloadd_verify *v;

    LIST_FOR_EACH (v, node, &d->verifies) {
        worker_wait(v->thread);
        poll_timer_wait_until(v->deadline);
    }
}

/* Exits with one clear line if 'remote' (from 'option') is not a valid
 * active OVSDB remote. */
static void
check_remote(const char *option, const char *remote)
{
    char *error = validate_remote(option, remote);

    if (error) {
        ovs_fatal(0, "%s", error);
    }
}

static void
parse_options(int argc, char *argv[])
{
    enum {
        OPT_OFFLOAD_DB = UCHAR_MAX + 1,
        OPT_UNIXCTL,
        OPT_HW,
        OPT_PAUSED,
        OPT_RESTART_CMD,
        OPT_VERIFY_TIMEOUT,
        OPT_AUDIT_INTERVAL,
        OPT_SYSFS_ROOT,
        OPT_DEBUGFS_ROOT,
        OPT_PROC_ROOT,
        OPT_UDEV_ROOT,
        VLOG_OPTION_ENUMS,
        DAEMON_OPTION_ENUMS,
    };
    static const struct option long_options[] = {
        {"db", required_argument, NULL, 'd'},
        {"offload-db", required_argument, NULL, OPT_OFFLOAD_DB},
        {"unixctl", required_argument, NULL, OPT_UNIXCTL},
        {"hw", required_argument, NULL, OPT_HW},
        {"paused", no_argument, NULL, OPT_PAUSED},
        {"vswitchd-restart-cmd", required_argument, NULL, OPT_RESTART_CMD},
        {"verify-timeout", required_argument, NULL, OPT_VERIFY_TIMEOUT},
        {"audit-interval", required_argument, NULL, OPT_AUDIT_INTERVAL},
        {"sysfs-root", required_argument, NULL, OPT_SYSFS_ROOT},
        {"debugfs-root", required_argument, NULL, OPT_DEBUGFS_ROOT},
        {"proc-root", required_argument, NULL, OPT_PROC_ROOT},
        {"udev-root", required_argument, NULL, OPT_UDEV_ROOT},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        VLOG_LONG_OPTIONS,
        DAEMON_LONG_OPTIONS,
        {NULL, 0, NULL, 0},
    };
    char *short_options = ovs_cmdl_long_options_to_short_options(long_options);

    for (;;) {
        int c = getopt_long(argc, argv, short_options, long_options, NULL);
        if (c == -1) {
            break;
        }

        switch (c) {
        case 'd':
            free(ovs_remote);
            ovs_remote = xstrdup(optarg);
            break;

        case OPT_OFFLOAD_DB:
            free(offload_remote);
            offload_remote = xstrdup(optarg);
            break;

        case OPT_UNIXCTL:
            free(unixctl_path);
            unixctl_path = xstrdup(optarg);
            break;

        case OPT_HW:
            free(hw_spec);
            hw_spec = xstrdup(optarg);
            break;

        case OPT_PAUSED:
            start_paused = true;
            break;

        case OPT_RESTART_CMD:
            free(restart_cmd);
            restart_cmd = xstrdup(optarg);
            break;

        case OPT_VERIFY_TIMEOUT: {
            unsigned long long ms;
            char *msg = validate_uint("--verify-timeout", optarg, 1,
                                      3600 * 1000, &ms);
            if (msg) {
                ovs_fatal(0, "%s", msg);
            }
            verify_timeout_ms = ms;
            break;
        }

        case OPT_AUDIT_INTERVAL: {
            unsigned long long s;
            char *msg = validate_uint("--audit-interval", optarg, 1, 86400,
                                      &s);
            if (msg) {
                ovs_fatal(0, "%s", msg);
            }
            audit_refresh_ms = s * 1000;
            break;
        }

        case OPT_SYSFS_ROOT:
            hw_options.sysfs_root = optarg;
            break;

        case OPT_DEBUGFS_ROOT:
            hw_options.debugfs_root = optarg;
            break;

        case OPT_PROC_ROOT:
            proc_root = optarg;
            break;

        case OPT_UDEV_ROOT:
            hw_options.udev_root = optarg;
            break;

        case 'h':
            usage();

        case 'V':
            printf("%s (ovs-offload) %s, built against Open vSwitch %s\n",
                   program_name, OVSO_VERSION, OVSO_OVS_VERSION);
            exit(EXIT_SUCCESS);

        VLOG_OPTION_HANDLERS
        DAEMON_OPTION_HANDLERS

        case '?':
            /* getopt_long() already printed one line naming the option. */
            exit(EXIT_FAILURE);

        default:
            OVS_NOT_REACHED();
        }
    }
    free(short_options);

    if (optind < argc) {
        ovs_fatal(0, "unexpected argument \"%s\" (use --help for help)",
                  argv[optind]);
    }

    if (!ovs_remote) {
        ovs_remote = xasprintf("unix:%s/db.sock", ovs_rundir());
    }
    if (!offload_remote) {
        offload_remote = xstrdup(ovs_remote);
    }
    check_remote("--db", ovs_remote);
    check_remote("--offload-db", offload_remote);
    if (!hw_spec) {
        hw_spec = xstrdup("linux");
    }
    if (!hw_options.sysfs_root) {
        hw_options.sysfs_root = "/sys";
    }
    if (!hw_options.debugfs_root) {
        hw_options.debugfs_root = "/sys/kernel/debug";
    }
    if (!hw_options.udev_root) {
        hw_options.udev_root = "/run/udev";
    }
}

static void
usage(void)
{
    printf("%s: declared Open vSwitch hardware offload controller\n"
           "usage: %s [OPTIONS]\n"
           "\n"
           "Database options:\n"
           "  -d, --db=REMOTE         Open_vSwitch database "
           "(default: unix:%s/db.sock)\n"
           "  --offload-db=REMOTE     OVS_Offload database "
           "(default: same as --db)\n"
           "      REMOTE is unix:FILE, tcp:IP:PORT or ssl:IP:PORT\n"
           "\n"
           "Hardware options:\n"
           "  --hw=linux|fake:FILE    hardware back end (default: linux)\n"
           "  --sysfs-root=DIR        where sysfs is (default: /sys)\n"
           "  --debugfs-root=DIR      where debugfs is, for the mlx5 LAG "
           "state\n"
           "                          (default: /sys/kernel/debug)\n"
           "  --proc-root=DIR         where procfs is, for the tuning audit "
           "\n"
           "                          (default: /proc)\n"
           "  --udev-root=DIR         where udev keeps its database "
           "(default: /run/udev)\n"
           "  --paused                start paused: plan, apply nothing "
           "(offload/resume)\n"
           "  --vswitchd-restart-cmd=CMD  run CMD (with /bin/sh) when "
           "ovs-vswitchd\n"
           "                          must restart to drop hw-offload\n"
           "  --verify-timeout=MS     give up offload/verify after MS "
           "milliseconds\n"
           "                          (default 30000)\n"
           "  --audit-interval=SECS   re-read the tuning audit's facts "
           "every SECS\n"
           "                          seconds (default 60)\n"
           "\n"
           "Other options:\n"
           "  --unixctl=SOCKET        override default control socket name\n"
           "  -h, --help              display this help message\n"
           "  -V, --version           display version information\n",
           program_name, program_name, ovs_rundir());
    daemon_usage();
    vlog_usage();
    exit(EXIT_SUCCESS);
}
