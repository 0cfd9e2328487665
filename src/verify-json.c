/*
 * verify-json: JSON rendering of a verification report.  See verify-json.h.
 *
 * Shape (every key always present; counters are integers):
 *
 *   {"status": 0|1,
 *    "time_ms": N,
 *    "bridge": "br0" | null,
 *    "config": {"hw_offload": bool, "tc_policy": "none" | ...},
 *    "summary": {"flows", "in_hw", "in_tc_software_only", "not_in_tc",
 *                "partial", "orphans", "sw_growing"},
 *    "flows": [ENTRY...],
 *    "orphans": [ENTRY...]}
 *
 * ENTRY: {"ufid", "bridge", "in_port", "verdict", "in_hw_count",
 *         "hw": {"packets", "bytes"}, "sw": {"packets", "bytes"},
 *         "sw_growing": bool,
 *         "ovs": {"datapath", "dp", "offloaded", "packets", "bytes",
 *                 "match", "actions"} | null,
 *         "filters": [{"dev", "chain", "prio", "handle", "protocol",
 *                      "kind", "flags": [...], "in_hw_count" | null,
 *                      "actions": [{"kind", "cookie" | null}]}],
 *         "reasons": [{"code", "text"}]}
 */
#include "verify-json.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <json-c/json.h>

static json_object *
str_or_null(const char *s)
{
    return s ? json_object_new_string(s) : NULL;
}

static json_object *
counters(uint64_t packets, uint64_t bytes)
{
    json_object *o = json_object_new_object();

    json_object_object_add(o, "packets", json_object_new_int64(packets));
    json_object_object_add(o, "bytes", json_object_new_int64(bytes));
    return o;
}

static json_object *
filter_json(const struct vfy_filter *f)
{
    static const struct { uint32_t bit; const char *name; } names[] = {
        { VFY_TC_SKIP_HW, "skip_hw" },
        { VFY_TC_SKIP_SW, "skip_sw" },
        { VFY_TC_IN_HW, "in_hw" },
        { VFY_TC_NOT_IN_HW, "not_in_hw" },
    };
    json_object *o = json_object_new_object();
    json_object *flags = json_object_new_array();
    json_object *acts = json_object_new_array();

    json_object_object_add(o, "dev", str_or_null(f->dev));
    json_object_object_add(o, "chain", json_object_new_int64(f->chain));
    json_object_object_add(o, "prio", json_object_new_int64(f->prio));
    json_object_object_add(o, "handle", json_object_new_int64(f->handle));
    json_object_object_add(o, "protocol", json_object_new_int(f->protocol));
    json_object_object_add(o, "kind", json_object_new_string(f->kind));
    for (size_t i = 0; f->has_flags && i < sizeof names / sizeof *names;
         i++) {
        if (f->flags & names[i].bit) {
            json_object_array_add(flags,
                                  json_object_new_string(names[i].name));
        }
    }
    json_object_object_add(o, "flags", flags);
    json_object_object_add(o, "in_hw_count",
                           f->has_in_hw_count
                           ? json_object_new_int64(f->in_hw_count) : NULL);
    for (size_t i = 0; i < f->n_actions; i++) {
        const struct vfy_action *a = &f->actions[i];
        json_object *ao = json_object_new_object();
        char hex[2 * sizeof a->cookie + 1];

        json_object_object_add(ao, "kind", json_object_new_string(a->kind));
        for (size_t j = 0; j < a->cookie_len; j++) {
            snprintf(&hex[2 * j], 3, "%02x", a->cookie[j]);
        }
        json_object_object_add(ao, "cookie", a->cookie_len
                               ? json_object_new_string_len(
                                     hex, 2 * a->cookie_len)
                               : NULL);
        json_object_array_add(acts, ao);
    }
    json_object_object_add(o, "actions", acts);
    return o;
}

static json_object *
entry_json(const struct vfy_entry *e)
{
    json_object *o = json_object_new_object();
    json_object *filters = json_object_new_array();
    json_object *reasons = json_object_new_array();

    json_object_object_add(o, "ufid", e->ufid[0]
                           ? json_object_new_string(e->ufid) : NULL);
    json_object_object_add(o, "bridge", str_or_null(e->bridge));
    json_object_object_add(o, "in_port", str_or_null(e->in_port));
    json_object_object_add(o, "verdict",
                           json_object_new_string(
                               vfy_verdict_name(e->verdict)));
    json_object_object_add(o, "in_hw_count",
                           json_object_new_int64(e->in_hw_count));
    json_object_object_add(o, "hw", counters(e->hw_packets, e->hw_bytes));
    json_object_object_add(o, "sw", counters(e->sw_packets, e->sw_bytes));
    json_object_object_add(o, "sw_growing",
                           json_object_new_boolean(e->sw_growing));
    if (e->flow) {
        const struct vfy_flow *f = e->flow;
        json_object *ovs = json_object_new_object();

        json_object_object_add(ovs, "datapath", str_or_null(f->datapath));
        json_object_object_add(ovs, "dp", json_object_new_string(f->dp));
        json_object_object_add(ovs, "offloaded",
                               json_object_new_string(
                                   f->offload_partial ? "partial"
                                   : f->offloaded ? "yes" : "no"));
        json_object_object_add(ovs, "packets",
                               json_object_new_int64(f->packets));
        json_object_object_add(ovs, "bytes", json_object_new_int64(f->bytes));
        json_object_object_add(ovs, "match", str_or_null(f->match));
        json_object_object_add(ovs, "actions", str_or_null(f->actions));
        json_object_object_add(o, "ovs", ovs);
    } else {
        json_object_object_add(o, "ovs", NULL);
    }
    for (size_t i = 0; i < e->n_filters; i++) {
        json_object_array_add(filters, filter_json(e->filters[i]));
    }
    json_object_object_add(o, "filters", filters);
    for (size_t i = 0; i < e->n_reasons; i++) {
        json_object *ro = json_object_new_object();
        json_object_object_add(ro, "code",
                               json_object_new_string(e->reasons[i].code));
        json_object_object_add(ro, "text",
                               json_object_new_string(e->reasons[i].text));
        json_object_array_add(reasons, ro);
    }
    json_object_object_add(o, "reasons", reasons);
    return o;
}

char *
vfy_report_json(const struct vfy_report *r, bool pretty)
{
    json_object *root = json_object_new_object();
    json_object *config = json_object_new_object();
    json_object *summary = json_object_new_object();

    json_object_object_add(root, "status",
                           json_object_new_int(vfy_report_status(r)));
    json_object_object_add(root, "time_ms", json_object_new_int64(r->time_ms));
    json_object_object_add(root, "bridge", str_or_null(r->bridge));
    json_object_object_add(config, "hw_offload",
                           json_object_new_boolean(r->config.hw_offload));
    json_object_object_add(config, "tc_policy",
                           json_object_new_string(r->config.tc_policy
                                                  ? r->config.tc_policy
                                                  : "none"));
    json_object_object_add(root, "config", config);

    json_object_object_add(summary, "flows",
                           json_object_new_int64(r->n_flows));
    for (int v = 0; v < VFY_N_VERDICTS; v++) {
        json_object_object_add(summary, v == VFY_ORPHAN ? "orphans"
                               : vfy_verdict_name(v),
                               json_object_new_int64(r->counts[v]));
    }
    json_object_object_add(summary, "sw_growing",
                           json_object_new_int64(r->n_sw_growing));
    json_object_object_add(root, "summary", summary);

    /* The entries are rendered one at a time into the text, so that memory
     * stays proportional to one entry's objects, not the whole report's
     * (100,000 flows would otherwise take over a gigabyte of json-c
     * objects). */
    json_object_object_add(root, "flows",
                           json_object_new_string("@@VFY-FLOWS@@"));
    json_object_object_add(root, "orphans",
                           json_object_new_string("@@VFY-ORPHANS@@"));
    int flags = ((pretty ? JSON_C_TO_STRING_PRETTY : JSON_C_TO_STRING_PLAIN)
                 | JSON_C_TO_STRING_NOSLASHESCAPE);
    const char *head = json_object_to_json_string_ext(root, flags);
    const char *markers[2] = { "\"@@VFY-FLOWS@@\"", "\"@@VFY-ORPHANS@@\"" };
    char *s = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&s, &len);

    if (!out) {
        abort();
    }
    /* Replace each placeholder string by the array of its entries. */
    const char *from = head;
    for (int pass = 0; pass < 2; pass++) {
        const char *at = strstr(from, markers[pass]);
        bool first = true;

        if (!at) {
            abort();
        }
        fwrite(from, 1, at - from, out);
        fputc('[', out);
        for (size_t i = 0; i < r->n_entries; i++) {
            const struct vfy_entry *e = &r->entries[i];

            if ((e->verdict == VFY_ORPHAN) != (pass == 1)) {
                continue;
            }
            json_object *o = entry_json(e);
            fprintf(out, "%s%s", first ? "" : ",",
                    json_object_to_json_string_ext(o, flags));
            json_object_put(o);
            first = false;
        }
        fputc(']', out);
        from = at + strlen(markers[pass]);
    }
    fputs(from, out);
    fclose(out);
    json_object_put(root);
    return s;
}
