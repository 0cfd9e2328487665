/*
 * dbcheck: whether the ovsdb-server that should serve the OVS_Offload
 * database does, and with which schema version.
 *
 * The OVS IDL only says "server does not have OVS_Offload database" at INFO
 * level and retries for ever; the daemon needs to say exactly what is
 * missing.  dbcheck asks the server itself, on a JSON-RPC session of its
 * own to the same remote ("list_dbs", then "get_schema"), on each new
 * connection, every few seconds while the database is missing, and when the
 * caller asks (dbcheck_recheck()), so it can tell "no server answers",
 * "the server serves A and B but not OVS_Offload", "OVS_Offload has an
 * older schema" and "served".
 */
#ifndef DBCHECK_H
#define DBCHECK_H 1

#include <stdbool.h>

struct dbcheck;

enum dbcheck_state {
    DBCHECK_CONNECTING,     /* No answer from the server yet. */
    DBCHECK_MISSING,        /* The server does not serve the database. */
    DBCHECK_OLD_SCHEMA,     /* Served, with an older schema version. */
    DBCHECK_OK,             /* Served, same or newer schema version. */
};

struct dbcheck *dbcheck_create(const char *remote, const char *db_name,
                               const char *want_version);
void dbcheck_destroy(struct dbcheck *);

/* Returns true if the state or its description changed. */
bool dbcheck_run(struct dbcheck *);
void dbcheck_wait(struct dbcheck *);
void dbcheck_recheck(struct dbcheck *);

enum dbcheck_state dbcheck_get_state(const struct dbcheck *);
const char *dbcheck_state_name(enum dbcheck_state);
bool dbcheck_is_served(const struct dbcheck *);

/* One sentence: what is there, what is missing, what to do. */
const char *dbcheck_describe(const struct dbcheck *);

int dbcheck_compare_versions(const char *a, const char *b);

#endif /* dbcheck.h */
