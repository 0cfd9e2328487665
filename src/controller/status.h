/*
 * status: publishes what ovs-offloadd observed and did into the OVS_Offload
 * database.
 *
 * The caller fills a 'struct status' (plain values) and status_publish()
 * makes the database match it within one transaction, touching only rows
 * and columns whose values differ, so that an unchanged model causes no
 * database traffic.
 */
#ifndef STATUS_H
#define STATUS_H 1

#include <stdbool.h>
#include <stdint.h>
#include "openvswitch/shash.h"
#include "smap.h"
#include "sset.h"

struct ovsdb_idl;
struct ovsdb_idl_txn;
struct plan;
struct plan_memory;
struct apply;

struct status_bridge {
    char *name;
    bool managed;
    const char *state;          /* One of the Bridge.state enum values. */
    char *step;
    char *error;                /* NULL if none. */
    struct sset warnings;
    struct smap intent;         /* The offload-* keys from external_ids. */
    struct smap ports;          /* Port name -> "owned" or "user". */
    struct smap rep_ports;      /* Model (issue 10): Bridge.rep_ports, see
                                 * plan_memory.rep_ports. */
};

struct status {
    struct smap daemon;         /* Global.daemon. */
    bool ovs_connected;
    struct smap hw_offload;     /* Global.hw_offload. */
    struct shash bridges;       /* Name -> struct status_bridge. */
};

void status_init(struct status *);
void status_destroy(struct status *);
struct status_bridge *status_add_bridge(struct status *, const char *name);

void status_register(struct ovsdb_idl *);
void status_publish(const struct status *, struct ovsdb_idl *,
                    struct ovsdb_idl_txn *, long long int now_ms);
void status_publish_objects(const struct plan *, const struct apply *,
                            const struct plan_memory *, struct ovsdb_idl *,
                            struct ovsdb_idl_txn *);
void status_sync_channels(const struct ovsdb_idl *, struct plan_memory *);
void status_load_memory(const struct ovsdb_idl *, struct plan_memory *,
                        struct apply *);

#endif /* status.h */
