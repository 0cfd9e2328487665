/*
 * ovsview: a value snapshot of what the Open_vSwitch database holds about
 * bridges, ports and interfaces.
 *
 * The snapshot is plain data (no IDL pointers), so that the planner can be
 * a pure function of it and tests can build one by hand.
 */
#ifndef OVSVIEW_H
#define OVSVIEW_H 1

#include <stdbool.h>
#include <stdint.h>
#include "openvswitch/shash.h"
#include "smap.h"

struct ovsdb_idl;
struct ds;

/* The value that marks a Port or Interface as created by ovs-offloadd, in
 * its external_ids column under OVSVIEW_OWNER_KEY. */
#define OVSVIEW_OWNER_KEY "offload-owner"
#define OVSVIEW_OWNER_VALUE "ovs-offloadd"

struct ovsview_iface {
    char *name;
    char *type;                 /* "" for a system interface. */
    struct smap options;
    struct smap external_ids;
    int64_t ofport;             /* -1 if not assigned (yet). */
    int64_t mtu;                /* 0 if unknown. */
    int64_t mtu_request;        /* 0 if not requested. */
    char *error;                /* NULL if none. */
};

struct ovsview_port {
    char *name;
    bool owned;                 /* external_ids:offload-owner=ovs-offloadd. */
    struct smap external_ids;
    struct shash ifaces;        /* Interface name -> struct ovsview_iface. */
};

struct ovsview_bridge {
    char *name;
    struct smap external_ids;
    struct shash ports;         /* Port name -> struct ovsview_port. */
};

struct ovsview {
    bool connected;             /* Whether the snapshot reflects a live DB. */
    struct smap other_config;   /* Open_vSwitch row's other_config. */
    struct smap external_ids;   /* Open_vSwitch row's external_ids. */
    struct shash bridges;       /* Bridge name -> struct ovsview_bridge. */
};

void ovsview_init(struct ovsview *);
void ovsview_destroy(struct ovsview *);
void ovsview_clone(struct ovsview *dst, const struct ovsview *src);
void ovsview_build(struct ovsview *, const struct ovsdb_idl *);
void ovsview_register(struct ovsdb_idl *);

struct ovsview_bridge *ovsview_add_bridge(struct ovsview *,
                                          const char *name);
struct ovsview_port *ovsview_add_port(struct ovsview_bridge *,
                                      const char *name, bool owned);
void ovsview_del_port(struct ovsview_bridge *, const char *name);
struct ovsview_iface *ovsview_add_iface(struct ovsview_port *,
                                        const char *name, const char *type);
const struct ovsview_port *ovsview_find_port(const struct ovsview *,
                                             const char *port_name,
                                             const char **bridge_name);

void ovsview_diff(const struct ovsview *old, const struct ovsview *new,
                  struct ds *changes);
void ovsview_format(const struct ovsview *, struct ds *);

#endif /* ovsview.h */
