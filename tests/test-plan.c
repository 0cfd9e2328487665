/*
 * test-plan: runs the planner on a described situation and prints the
 * plan, for golden tests.
 *
 * usage: test-plan [--converge] [--lag-active-at=SECS] HW-FILE OVS-FILE
 *
 * With --then-remove=BRIDGE:KEY (and --converge), once converged the
 * hardware is printed, KEY is removed from BRIDGE's external_ids, and the
 * rounds go on until converged again.
 *
 * With --converge, the plan is carried out round after round (kernel
 * actions on the fake hardware through apply, Open_vSwitch actions on the
 * in-memory database, the clock advancing one second a round), printing
 * each round, until nothing is left to do or 40 rounds passed.  With
 * --lag-active-at, every fake device's LAG state turns "active" at that
 * time.
 *
 * HW-FILE describes the kernel in the fake hardware back end's format (see
 * src/hw-fake.c).  OVS-FILE describes the Open_vSwitch database, what the
 * controller remembers, and the time, one item per line:
 *
 *   ovs KEY=VALUE...          Open_vSwitch row: external_ids:K=V or
 *                             other_config:K=V
 *   bridge NAME [K=V]...      a bridge and its external_ids
 *   port BRIDGE NAME [owned] [type=T] [ofport=N] [option:K=V]...
 *        [error=TEXT]          (TEXT: the rest of the line; ovs-vswitchd's
 *                               Interface error)
 *   memory channels LINK N
 *   memory rep BRIDGE ID PORT OFPORT
 *   memory wait KEY SINCE_MS
 *   memory intent BRIDGE K=V...
 *   memory channels-restored LINK N
 *   memory autoprobe BUS/DEV VALUE
 *   memory bond BOND BRIDGE   (a bond the daemon created)
 *   memory vdpa NAME BRIDGE   (a vDPA device the daemon created)
 *   now MS
 */
#include <config.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "apply.h"
#include "hw.h"
#include "openvswitch/dynamic-string.h"
#include "ovsview.h"
#include "plan.h"
#include "util.h"
#include "openvswitch/vlog.h"

static void
parse_kv_into(char *tok, struct smap *map)
{
    char *eq = strchr(tok, '=');

    if (!eq) {
        ovs_fatal(0, "\"%s\" is not KEY=VALUE", tok);
    }
    *eq = '\0';
    smap_replace(map, tok, eq + 1);
}

static int64_t last_ofport = 100;

/* Carries out the Open_vSwitch actions of 'plan' on 'view'. */
static void
apply_to_view(const struct plan *plan, struct ovsview *view)
{
    for (size_t i = 0; i < plan->n_actions; i++) {
        const struct plan_action *a = &plan->actions[i];
        struct ovsview_bridge *br = (a->bridge
                                     ? shash_find_data(&view->bridges,
                                                       a->bridge)
                                     : NULL);

        if (a->op == PLAN_PORT_ADD && br) {
            struct ovsview_port *port = ovsview_add_port(br, a->target, true);
            struct ovsview_iface *iface = ovsview_add_iface(port, a->target,
                                                            a->arg);

            /* Like ovs-vswitchd: the requested number, else the next. */
            iface->ofport = a->n > 0 ? a->n : ++last_ofport;
            smap_replace(&port->external_ids, OVSVIEW_OWNER_KEY,
                         OVSVIEW_OWNER_VALUE);
            smap_clone(&iface->options, &a->options);
        } else if (a->op == PLAN_PORT_DEL && br) {
            struct ovsview_port *port = shash_find_data(&br->ports,
                                                        a->target);
            if (port && port->owned) {
                ovsview_del_port(br, a->target);
            }
        } else if (a->op == PLAN_HW_OFFLOAD) {
            smap_replace(&view->other_config, "hw-offload", a->arg);
        }
    }
}

/* Prints what the plan remembers of each bridge's representor ports, and
 * the identity of each representor, if any. */
static void
print_rep_memory(const struct plan *plan)
{
    const struct shash_node **bridges = shash_sort(&plan->bridges);

    for (size_t i = 0; i < shash_count(&plan->bridges); i++) {
        const struct plan_bridge *pb = bridges[i]->data;
        const struct smap_node **reps = smap_sort(&pb->rep_ports);

        for (size_t j = 0; j < smap_count(&pb->rep_ports); j++) {
            printf("remember %s %s %s\n", pb->name, reps[j]->key,
                   reps[j]->value);
        }
        free(reps);

        const struct shash_node **objs = shash_sort(&pb->reps);
        for (size_t j = 0; j < shash_count(&pb->reps); j++) {
            const struct plan_object *o = objs[j]->data;
            const char *c = smap_get(&o->observed, "controller");

            printf("representor %s %s vf=%lld pfnum=%s%s%s\n", pb->name,
                   o->name, o->vf, smap_get_def(&o->observed, "pfnum", "-"),
                   c ? " controller=" : "", c ? c : "");
        }
        free(objs);
    }
    free(bridges);
}

int
main(int argc, char *argv[])
{
    struct ovsview view;
    struct plan_memory mem;
    struct hw_snapshot snap;
    struct plan plan;
    struct hw *hw;
    struct ds out = DS_EMPTY_INITIALIZER;
    long long int now = 0;
    char line[4096];
    char *error;
    FILE *file;

    long long int lag_active_at = -1;
    bool converge = false;
    const char *then_remove = NULL;

    set_program_name(argv[0]);
    vlog_set_levels(NULL, VLF_ANY_DESTINATION, VLL_OFF);
    while (argc > 1 && !strncmp(argv[1], "--", 2)) {
        if (!strcmp(argv[1], "--converge")) {
            converge = true;
        } else if (!strncmp(argv[1], "--then-remove=", 14)) {
            /* Issue 13: after converging, removes BRIDGE's external_ids KEY
             * ("BRIDGE:KEY") and converges again. */
            then_remove = argv[1] + 14;
        } else if (!strncmp(argv[1], "--lag-active-at=", 16)) {
            lag_active_at = atoll(argv[1] + 16) * 1000;
        } else {
            ovs_fatal(0, "unknown option %s", argv[1]);
        }
        argc--;
        argv++;
    }
    if (argc != 3) {
        ovs_fatal(0, "usage: %s [--converge] HW-FILE OVS-FILE", argv[0]);
    }

    /* The fake back end writes its state back to its file: work on a
     * copy, in the current directory. */
    FILE *in = fopen(argv[1], "r");
    FILE *copy = fopen("test-plan.hw", "w");
    int c;

    if (!in || !copy) {
        ovs_fatal(errno, "cannot copy %s to test-plan.hw", argv[1]);
    }
    while ((c = getc(in)) != EOF) {
        putc(c, copy);
    }
    fclose(in);
    fclose(copy);
    unlink("test-plan.hw.ops");
    char *spec = xstrdup("fake:test-plan.hw");
    if (hw_open(spec, NULL, &hw, &error)) {
        ovs_fatal(0, "%s", error);
    }
    free(spec);
    hw_snapshot_init(&snap);
    if (hw_observe(hw, &snap, &error)) {
        ovs_fatal(0, "%s", error);
    }

    ovsview_init(&view);
    view.connected = true;
    plan_memory_init(&mem);
    file = fopen(argv[2], "r");
    if (!file) {
        ovs_fatal(errno, "%s", argv[2]);
    }
    while (fgets(line, sizeof line, file)) {
        char *save = NULL;
        char *what = strtok_r(line, " \t\n", &save);
        char *tok;

        if (!what || what[0] == '#') {
            continue;
        } else if (!strcmp(what, "ovs")) {
            while ((tok = strtok_r(NULL, " \t\n", &save))) {
                if (!strncmp(tok, "external_ids:", 13)) {
                    parse_kv_into(tok + 13, &view.external_ids);
                } else if (!strncmp(tok, "other_config:", 13)) {
                    parse_kv_into(tok + 13, &view.other_config);
                } else {
                    ovs_fatal(0, "ovs: bad item \"%s\"", tok);
                }
            }
        } else if (!strcmp(what, "bridge")) {
            struct ovsview_bridge *br;

            br = ovsview_add_bridge(&view, strtok_r(NULL, " \t\n", &save));
            while ((tok = strtok_r(NULL, " \t\n", &save))) {
                parse_kv_into(tok, &br->external_ids);
            }
        } else if (!strcmp(what, "port")) {
            char *bname = strtok_r(NULL, " \t\n", &save);
            char *pname = strtok_r(NULL, " \t\n", &save);
            struct ovsview_bridge *br = shash_find_data(&view.bridges, bname);
            struct ovsview_port *port;
            struct ovsview_iface *iface;

            if (!br || !pname) {
                ovs_fatal(0, "port: unknown bridge or missing name");
            }
            port = ovsview_add_port(br, pname, false);
            iface = ovsview_add_iface(port, pname, "");
            while ((tok = strtok_r(NULL, " \t\n", &save))) {
                if (!strcmp(tok, "owned")) {
                    port->owned = true;
                    smap_replace(&port->external_ids, OVSVIEW_OWNER_KEY,
                                 OVSVIEW_OWNER_VALUE);
                } else if (!strncmp(tok, "type=", 5)) {
                    free(iface->type);
                    iface->type = xstrdup(tok + 5);
                } else if (!strncmp(tok, "ofport=", 7)) {
                    iface->ofport = atoll(tok + 7);
                } else if (!strncmp(tok, "option:", 7)) {
                    parse_kv_into(tok + 7, &iface->options);
                } else if (!strncmp(tok, "error=", 6)) {
                    char *text = xasprintf("%s %s", tok + 6,
                                           save ? save : "");

                    text[strcspn(text, "\n")] = '\0';
                    while (*text && text[strlen(text) - 1] == ' ') {
                        text[strlen(text) - 1] = '\0';
                    }
                    free(iface->error);
                    iface->error = text;
                    break;
                } else {
                    ovs_fatal(0, "port: bad item \"%s\"", tok);
                }
            }
        } else if (!strcmp(what, "memory")) {
            char *kind = strtok_r(NULL, " \t\n", &save);
            char *a = strtok_r(NULL, " \t\n", &save);
            char *b = strtok_r(NULL, " \t\n", &save);

            if (!kind || !a) {
                ovs_fatal(0, "memory: missing arguments");
            }
            if (!strcmp(kind, "channels") && b) {
                smap_replace(&mem.channels, a, b);
            } else if (!strcmp(kind, "channels-restored") && b) {
                smap_replace(&mem.channels_restored, a, b);
            } else if (!strcmp(kind, "autoprobe") && b) {
                smap_replace(&mem.autoprobe_before, a, b);
            } else if (!strcmp(kind, "bond") && b) {
                smap_replace(&mem.bonds_created, a, b);
            } else if (!strcmp(kind, "vdpa") && b) {
                smap_replace(&mem.vdpas_created, a, b);
            } else if (!strcmp(kind, "wait") && b) {
                smap_replace(&mem.wait_since, a, b);
            } else if (!strcmp(kind, "rep") && b) {
                char *port = strtok_r(NULL, " \t\n", &save);
                char *ofport = strtok_r(NULL, " \t\n", &save);
                struct smap *ports = shash_find_data(&mem.rep_ports, a);

                if (!port || !ofport) {
                    ovs_fatal(0, "memory rep: BRIDGE ID PORT OFPORT");
                }
                if (!ports) {
                    ports = xmalloc(sizeof *ports);
                    smap_init(ports);
                    shash_add(&mem.rep_ports, a, ports);
                }
                smap_add_format(ports, b, "%s %s", port, ofport);
            } else if (!strcmp(kind, "intent")) {
                struct smap *intent = xmalloc(sizeof *intent);
                smap_init(intent);
                for (tok = b; tok; tok = strtok_r(NULL, " \t\n", &save)) {
                    parse_kv_into(tok, intent);
                }
                shash_add(&mem.intents, a, intent);
            } else {
                ovs_fatal(0, "memory: bad kind \"%s\"", kind);
            }
        } else if (!strcmp(what, "now")) {
            now = strtoll(strtok_r(NULL, " \t\n", &save), NULL, 10);
        } else {
            ovs_fatal(0, "unknown line \"%s\"", what);
        }
    }
    fclose(file);

    if (!converge) {
        plan_init(&plan);
        plan_compute(&view, &snap, &mem, now, &plan);
        plan_format(&plan, &out);
        fputs(ds_cstr(&out), stdout);
        print_rep_memory(&plan);
        plan_destroy(&plan);
    } else {
        struct apply apply;

        apply_init(&apply);
        for (int round = 1; round <= 80; round++, now += 1000) {
            bool done;

            if (lag_active_at >= 0 && now >= lag_active_at) {
                struct shash_node *node;
                SHASH_FOR_EACH (node, &snap.devices) {
                    hw_fake_set_lag(hw, node->name, "active");
                }
                lag_active_at = -1;
            }
            if (hw_observe(hw, &snap, &error)) {
                ovs_fatal(0, "%s", error);
            }
            struct shash_node *node;

            plan_init(&plan);
            plan_compute(&view, &snap, &mem, now, &plan);
            ds_clear(&out);
            plan_format(&plan, &out);
            printf("--- round %d (t=%llds)\n%s", round, now / 1000,
                   ds_cstr(&out));
            done = !plan.n_actions;
            apply_run(&apply, &plan, &mem, hw, NULL, NULL, now, now, false);
            /* No database here: what is remembered is stored at once. */
            struct smap_node *kv;
            SMAP_FOR_EACH (kv, &mem.channels_pending) {
                smap_replace(&mem.channels, kv->key, kv->value);
            }
            smap_clear(&mem.channels_pending);
            apply_to_view(&plan, &view);
            SHASH_FOR_EACH (node, &plan.bridges) {
                const struct plan_bridge *pb = node->data;
                plan_memory_set_rep_ports(&mem, pb->name, pb->managed
                                          ? &pb->rep_ports : NULL);
            }
            plan_destroy(&plan);
            if (done && then_remove) {
                char *spec_ = xstrdup(then_remove);
                char *colon = strchr(spec_, ':');
                struct ovsview_bridge *br;

                if (!colon) {
                    ovs_fatal(0, "--then-remove=BRIDGE:KEY");
                }
                *colon = '\0';
                br = shash_find_data(&view.bridges, spec_);
                if (br) {
                    smap_remove(&br->external_ids, colon + 1);
                }
                printf("--- hardware\n");
                hw_observe(hw, &snap, &error);
                ds_clear(&out);
                hw_snapshot_format(&snap, &out);
                fputs(ds_cstr(&out), stdout);
                printf("--- removed %s external_ids:%s\n", spec_, colon + 1);
                free(spec_);
                then_remove = NULL;
                continue;
            }
            if (done) {
                break;
            }
        }
        printf("--- hardware\n");
        hw_observe(hw, &snap, &error);
        ds_clear(&out);
        hw_snapshot_format(&snap, &out);
        fputs(ds_cstr(&out), stdout);
        apply_destroy(&apply);
    }

    ds_destroy(&out);
    plan_memory_destroy(&mem);
    ovsview_destroy(&view);
    hw_snapshot_destroy(&snap);
    hw_close(hw);
    return 0;
}
