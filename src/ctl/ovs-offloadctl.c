/*
 * ovs-offloadctl: the command-line interface to ovs-offload's OVS_Offload
 * database.
 *
 * Built on the Open vSwitch tree's db-ctl-base, so that the generic
 * database commands (list, find, get, set, wait-until, ...) work on every
 * OVS_Offload table, plus commands of its own: "show" summarizes what
 * ovs-offloadd observed, in text or JSON.
 */
#include <config.h>

#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "command-line.h"
#include "daemon.h"
#include "jsonrpc.h"
#include "unixctl.h"
#include "db-ctl-base.h"
#include "dirs.h"
#include "fatal-signal.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/poll-loop.h"
#include "openvswitch/shash.h"
#include "openvswitch/vlog.h"
#include "ovsdb-data.h"
#include "ovsdb-idl.h"
#include "ovsdb-idl-provider.h"
#include "stream.h"
#include "table.h"
#include "timeval.h"
#include "util.h"
#include "uuid.h"
#include "openvswitch/json.h"
#include "appctl.h"
#include "dbjson.h"
#include "validate.h"
#include "offload-idl.h"
#include "verify-ovs.h"
#include "vmconfig.h"
#include "audit-ovs.h"

VLOG_DEFINE_THIS_MODULE(ovs_offloadctl);

static const char *db;              /* --db. */
static bool oneline;                /* --oneline. */
static bool dry_run;                /* --dry-run. */
static int timeout;                 /* --timeout, in seconds. */
static struct table_style table_style = TABLE_STYLE_DEFAULT;

static struct ovsdb_idl *the_idl;
static struct ovsdb_idl_txn *the_idl_txn;

static const struct ctl_table_class ctl_classes[OFFREC_N_TABLES] = {
    [OFFREC_TABLE_BRIDGE].row_ids = {{&offrec_bridge_col_name, NULL, NULL}},
    [OFFREC_TABLE_UPLINK].row_ids = {{&offrec_uplink_col_name, NULL, NULL}},
    [OFFREC_TABLE_BOND].row_ids = {{&offrec_bond_col_name, NULL, NULL}},
    [OFFREC_TABLE_REPRESENTOR].row_ids
        = {{&offrec_representor_col_name, NULL, NULL}},
    [OFFREC_TABLE_TUNNEL].row_ids = {{&offrec_tunnel_col_name, NULL, NULL}},
    [OFFREC_TABLE_VF].row_ids = {{&offrec_vf_col_name, NULL, NULL}},
};

OVS_NO_RETURN static void offloadctl_exit(int status);
OVS_NO_RETURN static void usage(void);
static void parse_options(int argc, char *argv[], struct shash *local);
static int run_daemon_command(const char *command);
static void run_prerequisites(struct ctl_command *, size_t n,
                              struct ovsdb_idl *);
static bool do_commands(struct ctl_command *, size_t n, struct ovsdb_idl *);
static int find_verify(int argc, char *argv[]);
static int find_command_word(int argc, char *argv[], const char *word);

int
main(int argc, char *argv[])
{
    struct ctl_command *commands;
    struct shash local_options;
    unsigned int seqno;
    size_t n_commands;
    char *error;

    ovs_set_program_name(argv[0], OVSO_VERSION);
    fatal_ignore_sigpipe();
    vlog_set_levels(NULL, VLF_CONSOLE, VLL_WARN);
    vlog_set_levels_from_string_assert("reconnect:warn");

    ctl_init__(&offrec_idl_class, ctl_classes, NULL, offloadctl_exit);
    extern const struct ctl_command_syntax offloadctl_commands[];
    ctl_register_commands(offloadctl_commands);

    shash_init(&local_options);

    /* "verify" takes options after the command word and reads more than
     * the OVS_Offload database, so it runs outside db-ctl-base. */
    int verify_idx = find_verify(argc, argv);
    if (verify_idx) {
        parse_options(verify_idx, argv, &local_options);
        exit(verify_command(argc - verify_idx, argv + verify_idx, db,
                            table_style.format == TF_JSON,
                            table_style.json_flags & JSSF_PRETTY));
    }
    /* "audit" too: it reads the kernel, and the database only for the
     * managed uplinks. */
    int audit_idx = find_command_word(argc, argv, "audit");
    if (audit_idx) {
        parse_options(audit_idx, argv, &local_options);
        exit(audit_command(argc - audit_idx, argv + audit_idx, db,
                           table_style.format == TF_JSON,
                           table_style.json_flags & JSSF_PRETTY));
    }
    /* Issue 13: "vm-config" prints QEMU arguments and libvirt XML; it
     * needs no database. */
    int vm_idx = find_command_word(argc, argv, "vm-config");
    if (vm_idx) {
        parse_options(vm_idx, argv, &local_options);
        exit(vmconfig_command(argc - vm_idx, argv + vm_idx));
    }
    parse_options(argc, argv, &local_options);
    if (optind < argc && !strcmp(argv[optind], "plan")) {
        if (argc - optind != 1) {
            ctl_fatal("'plan' takes no arguments");
        }
        return run_daemon_command("offload/plan");
    }
    error = ctl_parse_commands(argc - optind, argv + optind, &local_options,
                               &commands, &n_commands);
    if (error) {
        ctl_fatal("%s", error);
    }

    if (timeout) {
        time_alarm(timeout);
    }

    /* Connect without retrying: an unreachable database is an error the
     * user should hear about at once, not a hang. */
    the_idl = ovsdb_idl_create(db, &offrec_idl_class, false, false);
    ovsdb_idl_set_leader_only(the_idl, false);
    run_prerequisites(commands, n_commands, the_idl);

    seqno = ovsdb_idl_get_seqno(the_idl);
    for (;;) {
        ovsdb_idl_run(the_idl);
        if (!ovsdb_idl_is_alive(the_idl)) {
            int retval = ovsdb_idl_get_last_error(the_idl);
            ctl_fatal("%s: database connection failed (%s)",
                      db, ovs_retval_to_string(retval));
        }

        if (seqno != ovsdb_idl_get_seqno(the_idl)) {
            seqno = ovsdb_idl_get_seqno(the_idl);
            if (do_commands(commands, n_commands, the_idl)) {
                break;
            }
        }

        if (seqno == ovsdb_idl_get_seqno(the_idl)) {
            ovsdb_idl_wait(the_idl);
            poll_block();
        }
    }

    for (size_t i = 0; i < n_commands; i++) {
        struct ctl_command *c = &commands[i];

        shash_destroy_free_data(&c->options);
        ds_destroy(&c->output);
        table_destroy(c->table);
        free(c->table);
    }
    free(commands);
    ovsdb_idl_destroy(the_idl);
    shash_destroy_free_data(&local_options);
    return EXIT_SUCCESS;
}

static void
offloadctl_exit(int status)
{
    if (the_idl_txn) {
        ovsdb_idl_txn_abort(the_idl_txn);
        ovsdb_idl_txn_destroy(the_idl_txn);
    }
    ovsdb_idl_destroy(the_idl);
    exit(status);
}

/* Runs 'command' in the running ovs-offloadd (found through its pidfile in
 * the run directory) and prints its reply.  Returns the exit status. */
static int
run_daemon_command(const char *command)
{
    char *socket_name = appctl_socket_path("ovs-offloadd");
    struct jsonrpc *client;
    char *result, *err;
    int error;

    if (!socket_name) {
        ctl_fatal("cannot find a running ovs-offloadd (no live pidfile in "
                  "%s)", ovs_rundir());
    }
    error = unixctl_client_create(socket_name, &client);
    if (error) {
        ctl_fatal("%s: cannot connect to ovs-offloadd (%s)", socket_name,
                  ovs_strerror(error));
    }
    error = unixctl_client_transact(client, command, 0, NULL, &result, &err);
    if (error) {
        ctl_fatal("%s: transaction error (%s)", socket_name,
                  ovs_strerror(error));
    }
    if (err) {
        fprintf(stderr, "%s: %s", program_name, err);
        error = 2;
    } else if (result) {
        fputs(result, stdout);
    }
    free(result);
    free(err);
    jsonrpc_close(client);
    free(socket_name);
    return error ? EXIT_FAILURE : EXIT_SUCCESS;
}

static void
parse_options(int argc, char *argv[], struct shash *local_options)
{
    enum {
        OPT_DB = UCHAR_MAX + 1,
        OPT_ONELINE,
        OPT_DRY_RUN,
        OPT_LOCAL,
        OPT_COMMANDS,
        OPT_OPTIONS,
        VLOG_OPTION_ENUMS,
        TABLE_OPTION_ENUMS,
    };
    static const struct option global_long_options[] = {
        {"db", required_argument, NULL, OPT_DB},
        {"oneline", no_argument, NULL, OPT_ONELINE},
        {"dry-run", no_argument, NULL, OPT_DRY_RUN},
        {"timeout", required_argument, NULL, 't'},
        {"help", no_argument, NULL, 'h'},
        {"commands", no_argument, NULL, OPT_COMMANDS},
        {"options", no_argument, NULL, OPT_OPTIONS},
        {"version", no_argument, NULL, 'V'},
        VLOG_LONG_OPTIONS,
        TABLE_LONG_OPTIONS,
        {NULL, 0, NULL, 0},
    };
    const size_t n_global = ARRAY_SIZE(global_long_options) - 1;
    struct option *options;
    size_t n_options, allocated;
    char *short_options;

    /* Command-specific options (--if-exists, --columns, ...) are accepted
     * before the command and handed to ctl_parse_commands(). */
    n_options = n_global;
    allocated = n_global + 1;
    options = xmemdup(global_long_options, sizeof global_long_options);
    ctl_add_cmd_options(&options, &n_options, &allocated, OPT_LOCAL);
    /* "+": stop at the first command, so that "--" separates commands. */
    char *tmp = ovs_cmdl_long_options_to_short_options(options);
    short_options = xasprintf("+%s", tmp);
    free(tmp);

    for (;;) {
        int idx;
        int c = getopt_long(argc, argv, short_options, options, &idx);
        if (c == -1) {
            break;
        }

        switch (c) {
        case OPT_DB:
            db = optarg;
            break;

        case OPT_ONELINE:
            oneline = true;
            break;

        case OPT_DRY_RUN:
            dry_run = true;
            break;

        case OPT_LOCAL:
            if (shash_find(local_options, options[idx].name)) {
                ctl_fatal("'%s' option specified multiple times",
                          options[idx].name);
            }
            shash_add_nocopy(local_options,
                             xasprintf("--%s", options[idx].name),
                             nullable_xstrdup(optarg));
            break;

        case 't':
            if (!str_to_int(optarg, 10, &timeout) || timeout < 0) {
                ctl_fatal("--timeout: \"%s\" is not a non-negative number "
                          "of seconds", optarg);
            }
            break;

        case 'h':
            usage();

        case OPT_COMMANDS:
            ctl_print_commands();
            /* fall through */

        case OPT_OPTIONS:
            ctl_print_options(global_long_options);
            /* fall through */

        case 'V':
            printf("%s (ovs-offload) %s\n", program_name, OVSO_VERSION);
            exit(EXIT_SUCCESS);

        VLOG_OPTION_HANDLERS
        TABLE_OPTION_HANDLERS(&table_style)

        case '?':
            exit(EXIT_FAILURE);

        default:
            OVS_NOT_REACHED();
        }
    }
    free(short_options);
    /* ctl_add_cmd_options() allocated the names of the options it added. */
    for (size_t i = n_global; options[i].name; i++) {
        free(CONST_CAST(char *, options[i].name));
    }
    free(options);

    if (!db) {
        db = ctl_default_db();
    }
    char *error = validate_remote("--db", db);
    if (error) {
        ctl_fatal("%s", error);
    }
}

static void
usage(void)
{
    printf("%s: ovs-offload status and report utility\n"
           "usage: %s [OPTIONS] COMMAND [ARG...]\n"
           "\n"
           "Commands:\n"
           "  show                        summarize observed state\n"
           "  plan                        what ovs-offloadd would do now, "
           "and why\n"
           "  verify [--bridge=BR] [--format=table|json] [--watch=SECS]\n"
           "         [--probe] [--check-vswitchd] [--sysfs-root=DIR]\n"
           "                              report where each datapath flow "
           "runs\n"
           "                              (--probe re-adds filters that are "
           "not in\n"
           "                              hardware with skip_sw for a moment: "
           "see the\n"
           "                              man page)\n"
           "  audit [--format=table|json] [--all] [DEVICE...]\n"
           "                              find NIC settings that cap "
           "throughput (read-only;\n"
           "                              exit 0: none, 1: findings, 2: "
           "error)\n"
           "  vm-config vfio PCI-ADDRESS [--id=ID]\n"
           "  vm-config vdpa /dev/vhost-vdpa-N [--max-vqp=N] [--mac=MAC] "
           "[--id=ID]\n"
           "                              QEMU arguments and libvirt XML "
           "that attach\n"
           "                              a VF or a vDPA device to a VM\n"
           "\n"
           "%s"
           "%s"
           "\n"
           "Options:\n"
           "  --db=DATABASE               connect to DATABASE (default: %s)\n"
           "  -t, --timeout=SECS          give up after SECS seconds\n"
           "  --oneline                   print exactly one line of output "
           "per command\n"
           "  --dry-run                   do not commit changes\n"
           "  -f, --format=FORMAT         table, list (default), json, csv, "
           "html\n"
           "  -h, --help                  display this help message\n"
           "  -V, --version               display version information\n",
           program_name, program_name, ctl_get_db_cmd_usage(),
           ctl_list_db_tables_usage(), ctl_default_db());
    vlog_usage();
    exit(EXIT_SUCCESS);
}

static void
run_prerequisites(struct ctl_command *commands, size_t n_commands,
                  struct ovsdb_idl *idl)
{
    for (size_t i = 0; i < n_commands; i++) {
        struct ctl_command *c = &commands[i];

        if (c->syntax->prerequisites) {
            struct ctl_context ctx;

            ds_init(&c->output);
            c->table = NULL;
            ctl_context_init(&ctx, c, idl, NULL, NULL, NULL);
            (c->syntax->prerequisites)(&ctx);
            if (ctx.error) {
                ctl_fatal("%s", ctx.error);
            }
            ctl_context_done(&ctx, c);
            ovs_assert(!c->output.string);
            ovs_assert(!c->table);
        }
    }
}

/* Runs the commands once against the current database contents.  Returns
 * true when done, false to try again after the database changes. */
static bool
do_commands(struct ctl_command *commands, size_t n_commands,
            struct ovsdb_idl *idl)
{
    struct ovsdb_symbol_table *symtab;
    enum ovsdb_idl_txn_status status;
    struct ctl_context ctx;

    the_idl_txn = ovsdb_idl_txn_create(idl);
    if (dry_run) {
        ovsdb_idl_txn_set_dry_run(the_idl_txn);
    }
    ovsdb_idl_txn_add_comment(the_idl_txn, "ovs-offloadctl");

    symtab = ovsdb_symbol_table_create();
    for (size_t i = 0; i < n_commands; i++) {
        struct ctl_command *c = &commands[i];

        ds_init(&c->output);
        c->table = NULL;
        ctl_context_init(&ctx, c, idl, the_idl_txn, symtab, NULL);
        (c->syntax->run)(&ctx);
        if (ctx.error) {
            ctl_fatal("%s", ctx.error);
        }
        ctl_context_done_command(&ctx, c);
        if (ctx.try_again) {
            ctl_context_done(&ctx, NULL);
            goto try_again;
        }
    }
    ctl_context_done(&ctx, NULL);

    struct shash_node *node;
    SHASH_FOR_EACH (node, &symtab->sh) {
        struct ovsdb_symbol *symbol = node->data;
        if (!symbol->created) {
            ctl_fatal("row id \"%s\" is referenced but never created (e.g. "
                      "with \"-- --id=%s create ...\")",
                      node->name, node->name);
        }
    }

    status = ovsdb_idl_txn_commit_block(the_idl_txn);
    if (status == TXN_UNCHANGED || status == TXN_SUCCESS) {
        for (size_t i = 0; i < n_commands; i++) {
            struct ctl_command *c = &commands[i];
            if (c->syntax->postprocess) {
                ctl_context_init(&ctx, c, idl, the_idl_txn, symtab, NULL);
                (c->syntax->postprocess)(&ctx);
                if (ctx.error) {
                    ctl_fatal("%s", ctx.error);
                }
                ctl_context_done(&ctx, c);
            }
        }
    }

    switch (status) {
    case TXN_UNCOMMITTED:
    case TXN_INCOMPLETE:
        OVS_NOT_REACHED();

    case TXN_ABORTED:
        ctl_fatal("transaction aborted");

    case TXN_UNCHANGED:
    case TXN_SUCCESS:
        break;

    case TXN_TRY_AGAIN:
        goto try_again;

    case TXN_ERROR:
        ctl_fatal("transaction error: %s",
                  ovsdb_idl_txn_get_error(the_idl_txn));

    case TXN_NOT_LOCKED:
        ctl_fatal("database not locked");

    default:
        OVS_NOT_REACHED();
    }
    ovsdb_symbol_table_destroy(symtab);

    for (size_t i = 0; i < n_commands; i++) {
        struct ctl_command *c = &commands[i];
        struct ds *ds = &c->output;

        if (c->table) {
            table_print(c->table, &table_style);
        } else if (oneline) {
            ds_chomp(ds, '\n');
            for (size_t j = 0; j < ds->length; j++) {
                int ch = ds->string[j];
                if (ch == '\n') {
                    fputs("\\n", stdout);
                } else if (ch == '\\') {
                    fputs("\\\\", stdout);
                } else {
                    putchar(ch);
                }
            }
            putchar('\n');
        } else {
            fputs(ds_cstr(ds), stdout);
        }
    }
    ovsdb_idl_txn_destroy(the_idl_txn);
    the_idl_txn = NULL;
    return true;

try_again:
    ovsdb_symbol_table_destroy(symtab);
    for (size_t i = 0; i < n_commands; i++) {
        struct ctl_command *c = &commands[i];
        ds_destroy(&c->output);
        table_destroy(c->table);
        free(c->table);
        c->table = NULL;
    }
    ovsdb_idl_txn_abort(the_idl_txn);
    ovsdb_idl_txn_destroy(the_idl_txn);
    the_idl_txn = NULL;
    return false;
}

/* Returns the index of the "verify" command word in 'argv', or 0. */
static int
find_verify(int argc, char *argv[])
{
    static const char *const with_arg[] = {
        "--db", "-t", "--timeout", "-f", "--format", "-d", "--data",
        "--columns",
    };

    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--")) {
            return 0;
        }
        if (argv[i][0] != '-') {
            bool is_value = false;

            for (size_t j = 0; j < ARRAY_SIZE(with_arg); j++) {
                is_value = is_value || !strcmp(argv[i - 1], with_arg[j]);
            }
            if (!is_value) {
                return strcmp(argv[i], "verify") ? 0 : i;
            }
        }
    }
    return 0;
}

/* Returns the index of command word 'word' in 'argv' if it is the first
 * non-option argument, or 0. */
static int
find_command_word(int argc, char *argv[], const char *word)
{
    static const char *const with_arg[] = {
        "--db", "-t", "--timeout", "-f", "--format", "-d", "--data",
        "--columns",
    };

    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--")) {
            return 0;
        }
        if (argv[i][0] != '-') {
            bool is_value = false;

            for (size_t j = 0; j < ARRAY_SIZE(with_arg); j++) {
                is_value = is_value || !strcmp(argv[i - 1], with_arg[j]);
            }
            if (!is_value) {
                return strcmp(argv[i], word) ? 0 : i;
            }
        }
    }
    return 0;
}

/* "show". */

static void
pre_all_tables(struct ctl_context *ctx)
{
    for (size_t i = 0; i < offrec_idl_class.n_tables; i++) {
        const struct ovsdb_idl_table_class *tc = &offrec_idl_class.tables[i];

        ovsdb_idl_add_table(ctx->idl, tc);
        for (size_t j = 0; j < tc->n_columns; j++) {
            ovsdb_idl_add_column(ctx->idl, &tc->columns[j]);
        }
    }
}

/* Returns a JSON array of every row of 'tc', sorted by name (VF rows by
 * PF, then VF number). */
static struct json *
show_table(struct ovsdb_idl *idl, const struct ovsdb_idl_table_class *tc)
{
    struct shash rows = SHASH_INITIALIZER(&rows);
    const struct ovsdb_idl_row *row;
    struct json *array = json_array_create_empty();

    for (row = ovsdb_idl_first_row(idl, tc); row;
         row = ovsdb_idl_next_row(row)) {
        struct json *obj = dbjson_row(row);
        const struct json *name = shash_find_data(json_object(obj), "name");
        char *key;

        if (tc == &offrec_table_vf) {
            const struct offrec_vf *vf = CONTAINER_OF(row, struct offrec_vf,
                                                     header_);
            key = xasprintf("%s/%010"PRId64"/"UUID_FMT, vf->pf, vf->vf,
                            UUID_ARGS(&row->uuid));
        } else {
            key = xasprintf("%s/"UUID_FMT,
                            name && name->type == JSON_STRING
                            ? json_string(name) : "",
                            UUID_ARGS(&row->uuid));
        }
        shash_add_nocopy(&rows, key, obj);
    }

    const struct shash_node **sorted = shash_sort(&rows);
    for (size_t i = 0; i < shash_count(&rows); i++) {
        json_array_add(array, sorted[i]->data);
    }
    free(sorted);
    shash_destroy(&rows);
    return array;
}

/* Builds the model of "show": one object, rendered as JSON or as text. */
static struct json *
show_model(struct ovsdb_idl *idl)
{
    const struct offrec_global *global = offrec_global_first(idl);
    struct json *model = json_object_create();

    json_object_put(model, "global", (global
                                      ? dbjson_row(&global->header_)
                                      : json_null_create()));
    json_object_put(model, "bridges", show_table(idl, &offrec_table_bridge));
    json_object_put(model, "uplinks", show_table(idl, &offrec_table_uplink));
    json_object_put(model, "bonds", show_table(idl, &offrec_table_bond));
    json_object_put(model, "representors",
                    show_table(idl, &offrec_table_representor));
    json_object_put(model, "tunnels", show_table(idl, &offrec_table_tunnel));
    json_object_put(model, "vfs", show_table(idl, &offrec_table_vf));
    if (global && global->last_verify) {
        json_object_put(model, "last_verify",
                        dbjson_row(&global->last_verify->header_));
    }
    return model;
}

static void
cmd_show(struct ctl_context *ctx)
{
    struct json *model = show_model(ctx->idl);

    if (table_style.format == TF_JSON) {
        json_to_ds(model, JSSF_SORT | (table_style.json_flags & JSSF_PRETTY),
                   &ctx->output);
        ds_put_char(&ctx->output, '\n');
    } else {
        dbjson_format_text(model, 0, &ctx->output);
    }
    json_destroy(model);
}

const struct ctl_command_syntax offloadctl_commands[] = {
    {"show", 0, 0, "", pre_all_tables, cmd_show, NULL, "", RO},
    {NULL, 0, 0, NULL, NULL, NULL, NULL, NULL, RO},
};
