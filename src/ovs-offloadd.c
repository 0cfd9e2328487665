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
 * Structure: one event loop.  Each iteration runs both IDLs, rebuilds the
 * value snapshot of the Open_vSwitch database when it changed, publishes
 * status, serves unixctl, then waits on everything in poll_block().
 */
#include <config.h>

#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "command-line.h"
#include "daemon.h"
#include "dirs.h"
#include "fatal-signal.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/poll-loop.h"
#include "openvswitch/vlog.h"
#include "ovsdb-idl.h"
#include "socket-util.h"
#include "stream.h"
#include "timeval.h"
#include "unixctl.h"
#include "util.h"
#include "lib/vswitch-idl.h"
#include "src/offload-idl.h"
#include "ovsview.h"
#include "status.h"
#include "validate.h"
#include "verify-ovs.h"

VLOG_DEFINE_THIS_MODULE(ovs_offloadd);

static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 20);

/* Command-line settings. */
static char *ovs_remote;        /* Open_vSwitch database. */
static char *offload_remote;    /* OVS_Offload database. */
static char *unixctl_path;

/* Everything the event loop carries from one iteration to the next. */
struct offloadd {
    struct ovsdb_idl_loop ovs_loop;
    struct ovsdb_idl_loop off_loop;
    unsigned int ovs_seqno;     /* Last Open_vSwitch IDL seqno seen. */
    bool ovs_was_connected;
    bool off_was_connected;
    struct ovsview *view;       /* Latest Open_vSwitch snapshot. */
    bool exiting;
};

static void parse_options(int argc, char *argv[]);
OVS_NO_RETURN static void usage(void);
static void offloadd_unixctl_exit(struct unixctl_conn *, int argc,
                                  const char *argv[], void *offloadd);
static void offloadd_unixctl_show(struct unixctl_conn *, int argc,
                                  const char *argv[], void *offloadd);
static void offloadd_unixctl_verify(struct unixctl_conn *, int argc,
                                    const char *argv[], void *offloadd);

static void
log_connection(const char *what, const char *remote,
               const struct ovsdb_idl *idl, bool *was_connected)
{
    bool connected = ovsdb_idl_is_connected(idl);

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

/* Builds the status model from the current snapshot. */
static void
offloadd_fill_status(const struct offloadd *d, struct status *st)
{
    struct shash_node *node;

    smap_add(&st->daemon, "version", OVSO_VERSION);
    smap_add_format(&st->daemon, "pid", "%ld", (long int) getpid());
    smap_add(&st->daemon, "ovs_remote", ovs_remote);
    st->ovs_connected = d->view->connected;

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
        br->managed = smap_get(&vbr->external_ids, "offload-uplinks") != NULL;
        br->state = br->managed ? "pending" : "unmanaged";
        SHASH_FOR_EACH (pn, &vbr->ports) {
            const struct ovsview_port *port = pn->data;
            smap_add(&br->ports, port->name, port->owned ? "owned" : "user");
        }
    }
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

    log_connection("Open_vSwitch", ovs_remote, ovs_idl,
                   &d->ovs_was_connected);
    log_connection("OVS_Offload", offload_remote, off_idl,
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
    }
    (void) ovs_txn;

    if (off_txn && ovsdb_idl_has_ever_connected(off_idl)) {
        struct status st;

        status_init(&st);
        offloadd_fill_status(d, &st);
        status_publish(&st, off_idl, off_txn, time_wall_msec());
        status_destroy(&st);
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
    d.ovs_loop = (struct ovsdb_idl_loop) OVSDB_IDL_LOOP_INITIALIZER(
        ovsdb_idl_create(ovs_remote, &ovsrec_idl_class, false, true));
    ovsview_register(d.ovs_loop.idl);
    d.off_loop = (struct ovsdb_idl_loop) OVSDB_IDL_LOOP_INITIALIZER(
        ovsdb_idl_create(offload_remote, &offrec_idl_class, true, true));
    status_register(d.off_loop.idl);
    d.ovs_seqno = ovsdb_idl_get_seqno(d.ovs_loop.idl);

    unixctl_command_register("exit", "", 0, 0, offloadd_unixctl_exit, &d);
    unixctl_command_register("offload/show", "", 0, 0,
                             offloadd_unixctl_show, &d);
    unixctl_command_register("offload/verify",
                             "[--format=table|json] [--bridge=BR]", 0, 2,
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
    ovsdb_idl_loop_destroy(&d.ovs_loop);
    ovsdb_idl_loop_destroy(&d.off_loop);
    ovsview_destroy(d.view);
    free(d.view);
    service_stop();
    free(ovs_remote);
    free(offload_remote);
    free(unixctl_path);
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

    ovsview_format(d->view, &s);
    unixctl_command_reply(conn, ds_cstr(&s));
    ds_destroy(&s);
}

/* "offload/verify": the per-flow offload report (see verify-ovs.h).  It
 * runs to completion in the handler: a tc dump and a dump-flows round trip
 * to ovs-vswitchd.  The summary goes into the loop's open OVS_Offload
 * transaction, which offloadd_wait() commits. */
static void
offloadd_unixctl_verify(struct unixctl_conn *conn, int argc,
                        const char *argv[], void *d_)
{
    struct offloadd *d = d_;
    int status;
    char *reply = verify_unixctl(d->view, argc, argv, d->off_loop.idl,
                                 d->off_loop.open_txn, &status);

    if (status == 2) {
        unixctl_command_reply_error(conn, reply);
    } else {
        unixctl_command_reply(conn, reply);
    }
    free(reply);
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
        VLOG_OPTION_ENUMS,
        DAEMON_OPTION_ENUMS,
    };
    static const struct option long_options[] = {
        {"db", required_argument, NULL, 'd'},
        {"offload-db", required_argument, NULL, OPT_OFFLOAD_DB},
        {"unixctl", required_argument, NULL, OPT_UNIXCTL},
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
            abort();
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
           "Other options:\n"
           "  --unixctl=SOCKET        override default control socket name\n"
           "  -h, --help              display this help message\n"
           "  -V, --version           display version information\n",
           program_name, program_name, ovs_rundir());
    daemon_usage();
    vlog_usage();
    exit(EXIT_SUCCESS);
}
