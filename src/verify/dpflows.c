/*
 * dpflows: parser for "dpctl/dump-flows -m" output.  See dpflows.h.
 *
 * A line looks like:
 *
 *   ufid:UUID, MATCH, packets:N, bytes:N, used:T[, flags:F]
 *       [, offloaded:yes|partial][, dp:LAYER], actions:ACTIONS
 *       [, dp-extra-info:...]
 *
 * MATCH and ACTIONS contain commas but never ", " (comma and space), which
 * separates the top-level fields.
 */
#include <config.h>

#include "dpflows.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

void
vfy_flows_init(struct vfy_flows *fs)
{
    fs->f = NULL;
    fs->n = fs->allocated = 0;
    fs->n_unknown_lines = 0;
    fs->first_unknown = NULL;
}

void
vfy_flows_destroy(struct vfy_flows *fs)
{
    if (fs) {
        for (size_t i = 0; i < fs->n; i++) {
            free(fs->f[i].datapath);
            free(fs->f[i].in_port);
            free(fs->f[i].match);
            free(fs->f[i].actions);
        }
        free(fs->f);
        free(fs->first_unknown);
        vfy_flows_init(fs);
    }
}

static char *
dpflows_strndup(const char *s, size_t n)
{
    char *p = xmalloc(n + 1);

    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

static bool
parse_u64(const char *s, size_t n, uint64_t *v)
{
    char buf[32];
    char *end;

    if (!n || n >= sizeof buf || !isdigit((unsigned char) s[0])) {
        return false;
    }
    memcpy(buf, s, n);
    buf[n] = '\0';
    errno = 0;
    *v = strtoull(buf, &end, 10);
    return !errno && *end == '\0';
}

static bool
is_ufid(const char *s, size_t n)
{
    if (n != 36) {
        return false;
    }
    for (size_t i = 0; i < n; i++) {
        bool dash = i == 8 || i == 13 || i == 18 || i == 23;
        if (dash ? s[i] != '-' : !isxdigit((unsigned char) s[i])) {
            return false;
        }
    }
    return true;
}

/* Extracts the name inside "in_port(...)" in 'match', if any. */
static char *
find_in_port(const char *match)
{
    const char *p = match;

    while ((p = strstr(p, "in_port(")) != NULL) {
        /* Skip e.g. "tunnel(...,in_port(..." look-alikes: must start the
         * match or follow a comma. */
        if (p == match || *(p - 1) == ',') {
            const char *start = p + strlen("in_port(");
            const char *end = strchr(start, ')');

            if (end && end > start) {
                return dpflows_strndup(start, end - start);
            }
            return NULL;
        }
        p++;
    }
    return NULL;
}

static struct vfy_flow *
vfy_flows_add(struct vfy_flows *fs)
{
    if (fs->n >= fs->allocated) {
        fs->f = x2nrealloc(fs->f, &fs->allocated, sizeof *fs->f);
    }
    struct vfy_flow *f = &fs->f[fs->n++];
    memset(f, 0, sizeof *f);
    return f;
}

/* Parses one line of 'len' bytes.  Returns false if it is malformed. */
static bool
dpflows_parse_line(const char *line, size_t len, const char *datapath,
                   struct vfy_flows *out)
{
    const char *end = line + len;
    const char *p = line;
    const char *stats, *actions;
    struct vfy_flow flow;

    memset(&flow, 0, sizeof flow);
    if (len > 5 && !strncmp(p, "ufid:", 5)) {
        const char *comma = memchr(p, ',', len);
        if (!comma || !is_ufid(p + 5, comma - (p + 5))) {
            return false;
        }
        memcpy(flow.ufid, p + 5, 36);
        flow.ufid[36] = '\0';
        for (char *c = flow.ufid; *c; c++) {
            *c = tolower((unsigned char) *c);
        }
        p = comma + 1;
        while (p < end && *p == ' ') {
            p++;
        }
    }

    /* The statistics start at the first ", packets:". */
    stats = NULL;
    for (const char *q = p; q + 10 <= end; q++) {
        if (!strncmp(q, ", packets:", 10)) {
            stats = q;
            break;
        }
    }
    actions = NULL;
    for (const char *q = stats; q && q + 10 <= end; q++) {
        if (!strncmp(q, ", actions:", 10)) {
            actions = q;
            break;
        }
    }
    if (!stats || !actions) {
        return false;
    }

    /* Fields between the match and the actions. */
    const char *field = stats + 2;
    while (field < actions) {
        const char *fend = field;
        while (fend < actions && strncmp(fend, ", ", 2)) {
            fend++;
        }
        const char *colon = memchr(field, ':', fend - field);
        if (!colon) {
            return false;
        }
        size_t klen = colon - field;
        const char *v = colon + 1;
        size_t vlen = fend - v;

        if (klen == 7 && !strncmp(field, "packets", 7)) {
            if (!parse_u64(v, vlen, &flow.packets)) {
                return false;
            }
        } else if (klen == 5 && !strncmp(field, "bytes", 5)) {
            if (!parse_u64(v, vlen, &flow.bytes)) {
                return false;
            }
        } else if (klen == 9 && !strncmp(field, "offloaded", 9)) {
            flow.offloaded = true;
            flow.offload_partial = vlen == 7 && !strncmp(v, "partial", 7);
        } else if (klen == 2 && !strncmp(field, "dp", 2)) {
            if (vlen >= sizeof flow.dp) {
                return false;
            }
            memcpy(flow.dp, v, vlen);
            flow.dp[vlen] = '\0';
        }
        field = fend + 2;
    }

    /* The actions run to the end, or to ", dp-extra-info:". */
    const char *astart = actions + 10;
    const char *aend = end;
    for (const char *q = astart; q + 16 <= end; q++) {
        if (!strncmp(q, ", dp-extra-info:", 16)) {
            aend = q;
            break;
        }
    }

    struct vfy_flow *f = vfy_flows_add(out);
    *f = flow;
    f->datapath = dpflows_strndup(datapath ? datapath : "",
                                  datapath ? strlen(datapath) : 0);
    f->match = dpflows_strndup(p, stats - p);
    f->actions = dpflows_strndup(astart, aend - astart);
    f->in_port = find_in_port(f->match);
    return true;
}

int
dpflows_parse(const char *text, const char *datapath, struct vfy_flows *out,
              char **errorp)
{
    const char *line = text;
    int lineno = 0;

    while (line && *line) {
        const char *nl = strchr(line, '\n');
        size_t len = nl ? (size_t) (nl - line) : strlen(line);
        lineno++;

        while (len && (line[len - 1] == '\r' || line[len - 1] == ' ')) {
            len--;
        }
        /* Flow lines contain ", actions:"; headings and blank lines do
         * not. */
        bool is_flow = false;
        for (size_t i = 0; i + 10 <= len; i++) {
            if (!strncmp(line + i, ", actions:", 10)
                || !strncmp(line + i, ", packets:", 10)) {
                is_flow = true;
                break;
            }
        }
        if (is_flow && !dpflows_parse_line(line, len, datapath, out)) {
            /* A newer OVS may print something this parser does not know:
             * skip the line, count it and keep the first for the report. */
            if (!out->n_unknown_lines++) {
                int n = len > 60 ? 60 : (int) len;
                out->first_unknown = xasprintf("line %d: \"%.*s%s\"",
                                               lineno, n, line,
                                               len > 60 ? "..." : "");
            }
        }
        line = nl ? nl + 1 : NULL;
    }
    if (errorp) {
        *errorp = NULL;
    }
    return 0;
}
