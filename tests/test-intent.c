/*
 * test-intent: the table-driven suite of malformed intents.
 *
 * usage: test-intent HW-FILE TABLE
 *
 * Each line of TABLE is a case: "KEY=VALUE [KEY=VALUE]... | ERROR".  The
 * first KEY=VALUE is the one under test; the others complete the intent.
 * Every case starts from the intent offload-uplinks=p0 offload-num-vfs=4
 * (a case may override these keys).  For each case the program checks:
 *
 *   - intent_parse_bridge() fails with exactly ERROR;
 *   - ERROR names the key under test (its "external_ids:KEY") and quotes
 *     its value or a part of it ("...");
 *   - plan_compute(), on the kernel HW-FILE describes (fake back end),
 *     plans no action at all and puts the bridge in state "error" with the
 *     same message: nothing of the bridge is applied.
 *
 * It prints a line for every failed check and, last, "N cases, N failed";
 * the exit status is 1 if any check failed.
 */
#include <config.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "hw.h"
#include "intent.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/vlog.h"
#include "ovsview.h"
#include "plan.h"
#include "smap.h"
#include "util.h"

/* True if 'error' has a quoted string "X" with X a non-empty part of
 * 'value' (or "" for an empty value). */
static bool
names_value(const char *error, const char *value)
{
    const char *p = error;

    while ((p = strchr(p, '"'))) {
        const char *q = strchr(p + 1, '"');
        if (!q) {
            break;
        }
        char *x = xmemdup0(p + 1, q - p - 1);
        bool ok = (x[0] ? strstr(value, x) != NULL : !value[0]);
        free(x);
        if (ok) {
            return true;
        }
        p = q + 1;
    }
    return false;
}

static int
run_case(const struct hw_snapshot *snap, char *line, int lineno)
{
    char *bar = strstr(line, " | ");
    struct smap ids = SMAP_INITIALIZER(&ids);
    char *key = NULL, *value = NULL;
    char *save = NULL;
    int failed = 0;

    if (!bar) {
        ovs_fatal(0, "line %d: no \" | \"", lineno);
    }
    *bar = '\0';
    const char *expected = bar + 3;

    smap_add(&ids, "offload-uplinks", "p0");
    smap_add(&ids, "offload-num-vfs", "4");
    for (char *tok = strtok_r(line, " ", &save); tok;
         tok = strtok_r(NULL, " ", &save)) {
        char *eq = strchr(tok, '=');
        if (!eq) {
            ovs_fatal(0, "line %d: \"%s\" is not KEY=VALUE", lineno, tok);
        }
        *eq = '\0';
        if (!key) {
            key = tok;
            value = eq + 1;
        }
        smap_replace(&ids, tok, eq + 1);
    }
    if (!key) {
        ovs_fatal(0, "line %d: no KEY=VALUE", lineno);
    }

    /* The parser. */
    struct intent_bridge ib;
    char *error = intent_parse_bridge("br0", &ids, &ib);
    char *field = xasprintf("external_ids:%s", key);

    if (!error) {
        printf("line %d: %s=%s: accepted\n", lineno, key, value);
        intent_bridge_destroy(&ib);
        failed = 1;
        goto out;
    }
    if (strcmp(error, expected)) {
        printf("line %d: %s=%s:\n  expected: %s\n  got:      %s\n", lineno,
               key, value, expected, error);
        failed = 1;
    }
    if (!strstr(error, field) || !names_value(error, value)) {
        printf("line %d: \"%s\" does not name %s and its value \"%s\"\n",
               lineno, error, field, value);
        failed = 1;
    }

    /* The planner: nothing at all is planned for the bridge. */
    struct ovsview view;
    struct plan_memory mem;
    struct plan plan;

    ovsview_init(&view);
    view.connected = true;
    struct ovsview_bridge *br = ovsview_add_bridge(&view, "br0");
    smap_clone(&br->external_ids, &ids);
    plan_memory_init(&mem);
    plan_init(&plan);
    plan_compute(&view, snap, &mem, 0, &plan);

    const struct plan_bridge *pb = shash_find_data(&plan.bridges, "br0");
    if (plan.n_actions) {
        struct ds s = DS_EMPTY_INITIALIZER;
        plan_format(&plan, &s);
        printf("line %d: %s=%s: actions planned:\n%s", lineno, key, value,
               ds_cstr(&s));
        ds_destroy(&s);
        failed = 1;
    }
    if (!pb || strcmp(pb->state, "error") || !pb->error
        || strcmp(pb->error, error)) {
        printf("line %d: %s=%s: bridge state %s, error %s\n", lineno, key,
               value, pb ? pb->state : "(none)",
               pb && pb->error ? pb->error : "(none)");
        failed = 1;
    }
    plan_destroy(&plan);
    plan_memory_destroy(&mem);
    ovsview_destroy(&view);

out:
    free(field);
    free(error);
    smap_destroy(&ids);
    return failed;
}

int
main(int argc, char *argv[])
{
    struct hw_snapshot snap;
    struct hw *hw;
    char line[4096];
    char *error;
    int n = 0, failed = 0, lineno = 0;

    set_program_name(argv[0]);
    vlog_set_levels(NULL, VLF_ANY_DESTINATION, VLL_OFF);
    if (argc != 3) {
        ovs_fatal(0, "usage: %s HW-FILE TABLE", argv[0]);
    }

    /* The fake back end writes its state back: work on a copy. */
    FILE *in = fopen(argv[1], "r");
    FILE *copy = fopen("test-intent.hw", "w");
    int c;
    if (!in || !copy) {
        ovs_fatal(errno, "cannot copy %s", argv[1]);
    }
    while ((c = getc(in)) != EOF) {
        putc(c, copy);
    }
    fclose(in);
    fclose(copy);
    if (hw_open("fake:test-intent.hw", NULL, &hw, &error)) {
        ovs_fatal(0, "%s", error);
    }
    hw_snapshot_init(&snap);
    if (hw_observe(hw, &snap, &error)) {
        ovs_fatal(0, "%s", error);
    }

    FILE *table = fopen(argv[2], "r");
    if (!table) {
        ovs_fatal(errno, "%s", argv[2]);
    }
    while (fgets(line, sizeof line, table)) {
        lineno++;
        line[strcspn(line, "\n")] = '\0';
        if (!line[0] || line[0] == '#') {
            continue;
        }
        n++;
        failed += run_case(&snap, line, lineno);
    }
    fclose(table);
    printf("%d cases, %d failed\n", n, failed);
    hw_snapshot_destroy(&snap);
    hw_close(hw);
    return failed ? 1 : 0;
}
