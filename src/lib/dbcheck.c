/*
 * dbcheck: is the OVS_Offload database served, and with which schema?
 * See dbcheck.h.
 */
#include <config.h>

#include "dbcheck.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "openvswitch/dynamic-string.h"
#include "jsonrpc.h"
#include "openvswitch/json.h"
#include "openvswitch/poll-loop.h"
#include "openvswitch/shash.h"
#include "sset.h"
#include "timeval.h"
#include "util.h"

/* While the database is served, the server is asked again this often
 * (a running ovsdb-server can drop a database: ovsdb-server/remove-db);
 * while it is not, more often. */
#define DBCHECK_SERVED_MS 10000
#define DBCHECK_MISSING_MS 2000

struct dbcheck {
    struct jsonrpc_session *session;
    char *remote;
    char *db_name;
    char *want_version;         /* The schema version this program has. */
    unsigned int conn_seqno;    /* Session seqno when last asked. */
    struct json *request_id;    /* Outstanding request, or NULL. */
    bool asked_schema;          /* The request is get_schema, not
                                 * list_dbs. */
    long long int next_query;   /* LLONG_MAX: only on dbcheck_recheck(). */
    long long int last_answer;  /* When the last answer came. */
    enum dbcheck_state state;
    char *text;                 /* dbcheck_describe(). */
};

struct dbcheck *
dbcheck_create(const char *remote, const char *db_name,
               const char *want_version)
{
    struct dbcheck *dc = xzalloc(sizeof *dc);

    dc->remote = xstrdup(remote);
    dc->db_name = xstrdup(db_name);
    dc->want_version = xstrdup(want_version);
    dc->session = jsonrpc_session_open(remote, true);
    dc->conn_seqno = jsonrpc_session_get_seqno(dc->session);
    dc->state = DBCHECK_CONNECTING;
    dc->text = xasprintf("no answer yet from an ovsdb-server at %s", remote);
    return dc;
}

void
dbcheck_destroy(struct dbcheck *dc)
{
    if (dc) {
        jsonrpc_session_close(dc->session);
        json_destroy(dc->request_id);
        free(dc->remote);
        free(dc->db_name);
        free(dc->want_version);
        free(dc->text);
        free(dc);
    }
}

/* Compares dotted version numbers "X.Y.Z": negative, 0 or positive as 'a'
 * is older than, equal to or newer than 'b'. */
int
dbcheck_compare_versions(const char *a, const char *b)
{
    for (;;) {
        char *ea, *eb;
        unsigned long int na = strtoul(a, &ea, 10);
        unsigned long int nb = strtoul(b, &eb, 10);

        if (na != nb) {
            return na < nb ? -1 : 1;
        }
        if (*ea != '.' || *eb != '.') {
            return (*ea == '.') - (*eb == '.');
        }
        a = ea + 1;
        b = eb + 1;
    }
}

static void
dbcheck_set(struct dbcheck *dc, enum dbcheck_state state, char *text,
            bool *changed)
{
    if (state != dc->state || strcmp(text, dc->text)) {
        *changed = true;
    }
    dc->state = state;
    free(dc->text);
    dc->text = text;
}

static void
dbcheck_send(struct dbcheck *dc, const char *method, struct json *params)
{
    struct jsonrpc_msg *msg = jsonrpc_create_request(method, params, NULL);

    json_destroy(dc->request_id);
    dc->request_id = json_clone(msg->id);
    dc->asked_schema = !strcmp(method, "get_schema");
    jsonrpc_session_send(dc->session, msg);
}

/* The reply to "list_dbs": asks for the schema if the database is there. */
static void
dbcheck_got_dbs(struct dbcheck *dc, const struct json *result,
                bool *changed)
{
    struct sset names = SSET_INITIALIZER(&names);
    bool found = false;

    if (result->type == JSON_ARRAY) {
        for (size_t i = 0; i < result->array.n; i++) {
            const struct json *name = result->array.elems[i];
            if (name->type == JSON_STRING) {
                if (!strcmp(json_string(name), dc->db_name)) {
                    found = true;
                }
                if (json_string(name)[0] != '_') {
                    sset_add(&names, json_string(name));
                }
            }
        }
    }

    if (found) {
        dbcheck_send(dc, "get_schema", json_array_create_1(
                         json_string_create(dc->db_name)));
    } else {
        struct ds s = DS_EMPTY_INITIALIZER;
        const char **list = sset_sort(&names);

        ds_put_format(&s, "the ovsdb-server at %s does not serve the %s "
                      "database (it serves: ", dc->remote, dc->db_name);
        for (size_t i = 0; list[i]; i++) {
            ds_put_format(&s, "%s%s", i ? ", " : "", list[i]);
        }
        ds_put_format(&s, "%s); run \"ovs-offload-db setup\" to create it "
                      "and have ovsdb-server serve it", list[0] ? "" : "none");
        free(list);
        dbcheck_set(dc, DBCHECK_MISSING, ds_steal_cstr(&s), changed);
    }
    sset_destroy(&names);
}

/* The reply to "get_schema". */
static void
dbcheck_got_schema(struct dbcheck *dc, const struct json *result,
                   bool *changed)
{
    const struct json *v = (result->type == JSON_OBJECT
                            ? shash_find_data(json_object(result), "version")
                            : NULL);
    const char *version = v && v->type == JSON_STRING ? json_string(v) : NULL;

    if (!version) {
        dbcheck_set(dc, DBCHECK_OK,
                    xasprintf("served by the ovsdb-server at %s (schema "
                              "version unknown)", dc->remote), changed);
    } else if (dbcheck_compare_versions(version, dc->want_version) < 0) {
        dbcheck_set(dc, DBCHECK_OLD_SCHEMA,
                    xasprintf("the ovsdb-server at %s serves %s with schema "
                              "%s, older than this program's %s; run "
                              "\"ovs-offload-db setup\" to convert it",
                              dc->remote, dc->db_name, version,
                              dc->want_version), changed);
    } else {
        dbcheck_set(dc, DBCHECK_OK,
                    xasprintf("served by the ovsdb-server at %s (schema %s)",
                              dc->remote, version), changed);
    }
}

bool
dbcheck_run(struct dbcheck *dc)
{
    long long int now = time_msec();
    bool changed = false;

    jsonrpc_session_run(dc->session);

    unsigned int seqno = jsonrpc_session_get_seqno(dc->session);
    if (seqno != dc->conn_seqno) {
        /* Connected again, or lost: a new server, ask again. */
        dc->conn_seqno = seqno;
        json_destroy(dc->request_id);
        dc->request_id = NULL;
        dc->next_query = now;
    }
    if (!jsonrpc_session_is_connected(dc->session)) {
        int error = jsonrpc_session_get_last_error(dc->session);
        dbcheck_set(dc, DBCHECK_CONNECTING,
                    (error
                     ? xasprintf("cannot reach an ovsdb-server at %s (%s)",
                                 dc->remote, ovs_retval_to_string(error))
                     : xasprintf("no answer yet from an ovsdb-server at %s",
                                 dc->remote)), &changed);
        return changed;
    }

    for (int i = 0; i < 10; i++) {
        struct jsonrpc_msg *msg = jsonrpc_session_recv(dc->session);
        if (!msg) {
            break;
        }
        if ((msg->type == JSONRPC_REPLY || msg->type == JSONRPC_ERROR)
            && dc->request_id && json_equal(msg->id, dc->request_id)) {
            json_destroy(dc->request_id);
            dc->request_id = NULL;
            if (msg->type == JSONRPC_ERROR) {
                char *error = json_to_string(msg->error, 0);
                dbcheck_set(dc, DBCHECK_MISSING,
                            xasprintf("the ovsdb-server at %s answered %s "
                                      "with an error: %s", dc->remote,
                                      dc->asked_schema ? "get_schema"
                                      : "list_dbs", error), &changed);
                free(error);
            } else if (dc->asked_schema) {
                dbcheck_got_schema(dc, msg->result, &changed);
            } else {
                dbcheck_got_dbs(dc, msg->result, &changed);
            }
            if (!dc->request_id) {
                /* Served: ask again on a new connection or when told
                 * (dbcheck_recheck()), so that an idle daemon sleeps;
                 * missing: poll until it is there. */
                dc->last_answer = now;
                dc->next_query = (dbcheck_is_served(dc) ? LLONG_MAX
                                  : now + DBCHECK_MISSING_MS);
            }
        }
        jsonrpc_msg_destroy(msg);
    }

    if (!dc->request_id && now >= dc->next_query) {
        dbcheck_send(dc, "list_dbs", json_array_create_empty());
    }
    return changed;
}

/* Asks the server again soon (at most once per DBCHECK_SERVED_MS while
 * the database is served): the caller saw something that may mean the
 * database went or its schema changed (its IDL reloaded). */
void
dbcheck_recheck(struct dbcheck *dc)
{
    if (!dc->request_id && dc->next_query == LLONG_MAX) {
        dc->next_query = MAX(time_msec(),
                             dc->last_answer + DBCHECK_SERVED_MS);
    }
}

void
dbcheck_wait(struct dbcheck *dc)
{
    jsonrpc_session_wait(dc->session);
    jsonrpc_session_recv_wait(dc->session);
    if (!dc->request_id && jsonrpc_session_is_connected(dc->session)
        && dc->next_query != LLONG_MAX) {
        poll_timer_wait_until(dc->next_query);
    }
}

enum dbcheck_state
dbcheck_get_state(const struct dbcheck *dc)
{
    return dc->state;
}

const char *
dbcheck_state_name(enum dbcheck_state state)
{
    switch (state) {
    case DBCHECK_CONNECTING:
        return "connecting";
    case DBCHECK_MISSING:
        return "missing";
    case DBCHECK_OLD_SCHEMA:
        return "old-schema";
    case DBCHECK_OK:
        return "ok";
    }
    OVS_NOT_REACHED();
}

bool
dbcheck_is_served(const struct dbcheck *dc)
{
    return dc->state == DBCHECK_OK || dc->state == DBCHECK_OLD_SCHEMA;
}

const char *
dbcheck_describe(const struct dbcheck *dc)
{
    return dc->text;
}
