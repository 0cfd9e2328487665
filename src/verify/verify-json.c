/*
 * verify-json: JSON rendering of a verification report.  See verify.h.
 *
 * The text is written as it is produced, one entry at a time, so memory
 * stays that of one entry whatever the number of flows (a tree of JSON
 * objects for 100,000 flows would take hundreds of megabytes).
 *
 * Shape (every key always present; counters are integers):
 *
 *   {"status": 0|1,
 *    "time_ms": N,
 *    "bridge": "br0" | null,
 *    "config": {"hw_offload": bool, "tc_policy": "none" | ...},
 *    "sources": ["..."],
 *    "skipped": {"tc_attributes": N, "dump_flows_lines": N},
 *    "summary": {"flows", "in_hw", "in_tc_software_only", "not_in_tc",
 *                "partial", "orphans", "sw_growing"},
 *    "findings": [{"severity", "code", "text", "evidence"}],
 *    "flows": [ENTRY...],
 *    "orphans": [ENTRY...]}
 *
 * ENTRY: {"ufid", "bridge", "in_port", "verdict", "in_hw_count",
 *         "hw": {"packets", "bytes"}, "sw": {"packets", "bytes"},
 *         "sw_growing": bool,
 *         "ovs": {"datapath", "dp", "offloaded", "packets", "bytes",
 *                 "match", "actions"} | null,
 *         "filters": [{"dev", "hook", "chain", "prio", "handle",
 *                      "protocol", "kind", "flags": [...],
 *                      "in_hw_count" | null,
 *                      "actions": [{"kind", "cookie" | null}],
 *                      "probe": {"error", "extack"} | null}],
 *         "reasons": [{"code", "text"}]}
 */
#include <config.h>

#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "compiler.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/json.h"
#include "lanes.h"
#include "sset.h"
#include "nlsock.h"
#include "tcdump.h"
#include "util.h"
#include "verify.h"

/* The text goes into 'buf', which jw_flush() writes out between entries:
 * one write per 64 kB rather than a stdio call per token.  The writer keeps
 * its own buffer (rather than a struct ds) so that appending a token is a
 * bounds check and a memcpy, inline: a report of 100,000 flows is about 75
 * MB of JSON. */
struct jw {
    FILE *out;
    bool pretty;
    int depth;
    bool first;                 /* No member written yet at this level. */
    char *buf;                  /* Text not yet written out... */
    char *pos;                  /* ...ends here... */
    char *end;                  /* ...and the buffer here. */

    /* The "reasons" member as last written for a borrowed reasons array
     * (the one a device's flows share, see verify-model.h): the next
     * entry with the same array gets a copy of the text. */
    const struct vfy_reason *memo_reasons;
    size_t memo_n;
    int memo_depth;
    struct ds memo_text;
};

static void
jw_grow(struct jw *w, size_t n)
{
    size_t len = w->pos - w->buf;
    size_t size = MAX(2 * (size_t) (w->end - w->buf), len + n);

    w->buf = xrealloc(w->buf, size);
    w->pos = w->buf + len;
    w->end = w->buf + size;
}

/* Returns room for 'n' more bytes at the end of the buffer, and counts
 * them as written. */
static inline char *
jw_put_uninit(struct jw *w, size_t n)
{
    if (OVS_UNLIKELY(w->end - w->pos < n)) {
        jw_grow(w, n);
    }
    char *p = w->pos;
    w->pos += n;
    return p;
}

static inline void
jw_put(struct jw *w, const char *s, size_t n)
{
    memcpy(jw_put_uninit(w, n), s, n);
}

static inline void
jw_put_char(struct jw *w, char c)
{
    *jw_put_uninit(w, 1) = c;
}

static void
jw_put_cstr(struct jw *w, const char *s)
{
    jw_put(w, s, strlen(s));
}

static void
jw_flush(struct jw *w, size_t at_least)
{
    size_t len = w->pos - w->buf;

    if (len >= at_least) {
        fwrite(w->buf, 1, len, w->out);
        w->pos = w->buf;
    }
}

static void
jw_newline(struct jw *w)
{
    if (w->pretty) {
        char *p = jw_put_uninit(w, 1 + 2 * w->depth);
        p[0] = '\n';
        memset(p + 1, ' ', 2 * w->depth);
    }
}

/* A newline and the indentation of the deepest level that jw_key() and
 * jw_close() write in one piece (the report nests 7 levels deep; deeper
 * levels take jw_newline()). */
#define JW_INDENT_MAX 32
static const char jw_indent_text[JW_INDENT_MAX + 1] =
    "\n                               ";


/* Bytes that a JSON string cannot hold as they are (as OVS's
 * json_serialize_string() decides): controls, '"' and '\\'. */
static const bool jw_special[256] = {
    [0 ... 31] = true, ['"'] = true, ['\\'] = true,
};

/* Whether the 8 bytes in 'x' hold a control character, '"' or '\\'.  The
 * "has a byte below N" test ((x - N...) & ~x & 0x80...) is exact about
 * whether there is one (not about where), and a byte equal to C is a zero
 * byte of x ^ C.... */
static inline bool
jw_word_special(uint64_t x)
{
    const uint64_t ones = UINT64_C(0x0101010101010101);
    const uint64_t highs = UINT64_C(0x8080808080808080);
    uint64_t q = x ^ (ones * '"');
    uint64_t b = x ^ (ones * '\\');

    return (((x - ones * 0x20) & ~x) | ((q - ones) & ~q)
            | ((b - ones) & ~b)) & highs;
}

#ifdef __SSE2__
/* Whether the 16 bytes at 'p' hold a control character, '"' or '\\' (a
 * byte x is below 0x20 exactly when min(x, 0x1f) == x). */
static inline bool
jw_block_special(const unsigned char *p)
{
    __m128i x = _mm_loadu_si128((const __m128i *) p);
    __m128i m = _mm_or_si128(
        _mm_cmpeq_epi8(_mm_min_epu8(x, _mm_set1_epi8(0x1f)), x),
        _mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8('"')),
                     _mm_cmpeq_epi8(x, _mm_set1_epi8('\\'))));

    return _mm_movemask_epi8(m);
}
#endif

static inline ALWAYS_INLINE size_t
jw_plain_len(const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *) s;
    size_t i = 0;
    uint64_t x;

    /* Whole blocks from the start, then one more that ends at the end (it
     * may overlap the last one checked, whose bytes are plain).  Where a
     * block has a byte to escape, the loop at the end finds it. */
#ifdef __SSE2__
    if (len >= 16) {
        for (; i + 16 <= len; i += 16) {
            if (jw_block_special(p + i)) {
                goto find;
            }
        }
        if (i == len || !jw_block_special(p + len - 16)) {
            return len;
        }
        goto find;
    }
#endif
    if (len >= 8) {
        for (; i + 8 <= len; i += 8) {
            memcpy(&x, p + i, sizeof x);
            if (jw_word_special(x)) {
                goto find;
            }
        }
        if (i < len) {
            memcpy(&x, p + len - 8, sizeof x);
        }
    } else if (len >= 4) {
        /* Two 4-byte halves that together cover the string. */
        uint32_t a, b;

        memcpy(&a, p, sizeof a);
        memcpy(&b, p + len - sizeof b, sizeof b);
        x = a | (uint64_t) b << 32;
    } else if (len) {
        /* Bytes 0, len / 2 and len - 1 cover 1 to 3 bytes; 'a' fills. */
        x = (UINT64_C(0x6161616161000000) | p[0] | p[len / 2] << 8
             | p[len - 1] << 16);
    } else {
        return 0;
    }
    if (i == len || !jw_word_special(x)) {
        return len;
    }

find:
    while (i < len && !jw_special[p[i]]) {
        i++;
    }
    return i;
}

size_t
vfy_json_plain_len(const char *s, size_t len)
{
    return jw_plain_len(s, len);
}

/* Writes 's' as a JSON string.  Strings with nothing to escape (all but a
 * few) are copied in one piece; the others go through the OVS library's
 * json_string_escape(), which writes the same text for the former. */
static void
jw_string(struct jw *w, const char *s)
{
    if (!s) {
        jw_put(w, "null", 4);
        return;
    }

    size_t len = strlen(s);
    if (jw_plain_len(s, len) < len) {
        struct ds ds = DS_EMPTY_INITIALIZER;

        json_string_escape(s, &ds);
        jw_put(w, ds.string, ds.length);
        ds_destroy(&ds);
        return;
    }
    char *out = jw_put_uninit(w, len + 2);
    out[0] = '"';
    memcpy(out + 1, s, len);
    out[len + 1] = '"';
}

/* Writes 'v', 10 or more, in decimal (as "%"PRIu64), two digits at a
 * time, from the last, straight into the buffer. */
static void
jw_put_u64__(struct jw *w, uint64_t v)
{
    static const char pairs[201] =
        "00010203040506070809101112131415161718192021222324252627282930313233"
        "34353637383940414243444546474849505152535455565758596061626364656667"
        "68697071727374757677787980818283848586878889909192939495969798"
        "99";
    int n = 2;

    for (uint64_t t = v / 100; t; t /= 10) {
        n++;
    }

    char *p = jw_put_uninit(w, n) + n;
    while (v >= 100) {
        unsigned int r = v % 100;

        v /= 100;
        p -= 2;
        memcpy(p, pairs + 2 * r, 2);
    }
    if (v >= 10) {
        memcpy(p - 2, pairs + 2 * v, 2);
    } else {
        p[-1] = '0' + v;
    }
}

/* Writes 'v' in decimal (as "%"PRIu64): inline for one digit (counters
 * are often 0). */
static inline void
jw_put_u64(struct jw *w, uint64_t v)
{
    if (v < 10) {
        jw_put_char(w, '0' + v);
    } else {
        jw_put_u64__(w, v);
    }
}

/* Starts a member ("key": ) of an object, or an element of an array if
 * 'key' is NULL.  Keys are this file's literals, none of which needs
 * escaping; inlined, their strlen() is a constant. */
static inline ALWAYS_INLINE void
jw_key(struct jw *w, const char *key)
{
    if (!w->pretty && !key) {
        if (!w->first) {
            jw_put_char(w, ',');
        }
        w->first = false;
        return;
    } else if (!w->pretty) {
        /* One line: the comma (written always, kept unless this is the
         * first member) and the key in one piece. */
        size_t len = strlen(key);
        bool first = w->first;
        char *p = jw_put_uninit(w, len + 4);

        w->pos -= first;
        w->first = false;
        p[0] = ',';
        p += !first;
        p[0] = '"';
        memcpy(p + 1, key, len);
        p[len + 1] = '"';
        p[len + 2] = ':';
        return;
    }
    if (OVS_LIKELY(2 * w->depth < JW_INDENT_MAX)) {
        /* In one piece: the comma (written always, kept unless this is
         * the first member), the newline and indentation, the key.  The
         * room asked for covers the most that this writes. */
        size_t len = key ? strlen(key) : 0;
        bool first = w->first, pretty = w->pretty;
        size_t indent = pretty ? 1 + 2 * w->depth : 0;
        char *p = jw_put_uninit(w, 1 + JW_INDENT_MAX + len + 4);

        p[0] = ',';
        p += !first;
        if (pretty) {
            memcpy(p, jw_indent_text, JW_INDENT_MAX);
            p += indent;
        }
        if (key) {
            p[0] = '"';
            memcpy(p + 1, key, len);
            p[len + 1] = '"';
            p[len + 2] = ':';
            p[len + 3] = ' ';
            p += len + 3 + pretty;
        }
        w->pos = p;
        w->first = false;
        return;
    }
    if (!w->first) {
        jw_put_char(w, ',');
    }
    w->first = false;
    jw_newline(w);
    if (key) {
        size_t len = strlen(key);
        char *p = jw_put_uninit(w, len + 3 + w->pretty);

        p[0] = '"';
        memcpy(p + 1, key, len);
        p[len + 1] = '"';
        p[len + 2] = ':';
        if (w->pretty) {
            p[len + 3] = ' ';
        }
    }
}

static inline ALWAYS_INLINE void
jw_open(struct jw *w, const char *key, char c)
{
    if (key || w->depth) {
        jw_key(w, key);
    }
    jw_put_char(w, c);
    w->depth++;
    w->first = true;
}

static inline ALWAYS_INLINE void
jw_close(struct jw *w, char c)
{
    w->depth--;
    if (w->pretty && !w->first) {
        if (OVS_LIKELY(2 * w->depth < JW_INDENT_MAX)) {
            size_t indent = 1 + 2 * w->depth;
            char *p = jw_put_uninit(w, JW_INDENT_MAX + 1);

            memcpy(p, jw_indent_text, JW_INDENT_MAX);
            p[indent] = c;
            w->pos = p + indent + 1;
            w->first = false;
            return;
        }
        jw_newline(w);
    }
    jw_put_char(w, c);
    w->first = false;
}

static inline ALWAYS_INLINE void
jw_str(struct jw *w, const char *key, const char *s)
{
    jw_key(w, key);
    jw_string(w, s);
}

/* Writes "key": "s" for a string 's' of this program's own that needs no
 * escaping (a verdict, hook, flag, severity or reason code: literals of
 * the verify modules), without looking for bytes to escape. */
static inline ALWAYS_INLINE void
jw_plain_str(struct jw *w, const char *key, const char *s)
{
    size_t len = strlen(s);

    jw_key(w, key);
    char *out = jw_put_uninit(w, len + 2);
    out[0] = '"';
    memcpy(out + 1, s, len);
    out[len + 1] = '"';
}

static inline ALWAYS_INLINE void
jw_u64(struct jw *w, const char *key, uint64_t v)
{
    jw_key(w, key);
    jw_put_u64(w, v);
}

static inline ALWAYS_INLINE void
jw_bool(struct jw *w, const char *key, bool b)
{
    jw_key(w, key);
    jw_put_cstr(w, b ? "true" : "false");
}

static inline ALWAYS_INLINE void
jw_null(struct jw *w, const char *key)
{
    jw_key(w, key);
    jw_put(w, "null", 4);
}

static void
jw_counters(struct jw *w, const char *key, uint64_t packets, uint64_t bytes)
{
    jw_open(w, key, '{');
    jw_u64(w, "packets", packets);
    jw_u64(w, "bytes", bytes);
    jw_close(w, '}');
}

static void
filter_json(struct jw *w, const struct vfy_filter *f)
{
    static const struct { uint32_t bit; const char *name; } names[] = {
        { VFY_TC_SKIP_HW, "skip_hw" },
        { VFY_TC_SKIP_SW, "skip_sw" },
        { VFY_TC_IN_HW, "in_hw" },
        { VFY_TC_NOT_IN_HW, "not_in_hw" },
    };

    jw_open(w, NULL, '{');
    jw_str(w, "dev", f->dev);
    jw_plain_str(w, "hook", vfy_hook_name(f->hook));
    jw_u64(w, "chain", f->chain);
    jw_u64(w, "prio", f->prio);
    jw_u64(w, "handle", f->handle);
    jw_u64(w, "protocol", f->protocol);
    jw_str(w, "kind", f->kind);
    jw_open(w, "flags", '[');
    for (size_t i = 0; f->has_flags && i < ARRAY_SIZE(names); i++) {
        if (f->flags & names[i].bit) {
            jw_plain_str(w, NULL, names[i].name);
        }
    }
    jw_close(w, ']');
    if (f->has_in_hw_count) {
        jw_u64(w, "in_hw_count", f->in_hw_count);
    } else {
        jw_null(w, "in_hw_count");
    }
    jw_open(w, "actions", '[');
    for (size_t i = 0; i < f->n_actions; i++) {
        const struct vfy_action *a = &f->actions[i];

        jw_open(w, NULL, '{');
        jw_str(w, "kind", a->kind);
        if (a->cookie_len) {
            /* Hex digits, written in place: nothing to escape. */
            char *out;

            jw_key(w, "cookie");
            out = jw_put_uninit(w, 2 * a->cookie_len + 2);
            *out++ = '"';
            nlsock_put_hex(out, a->cookie, a->cookie_len);
            out[2 * a->cookie_len] = '"';
        } else {
            jw_null(w, "cookie");
        }
        jw_close(w, '}');
    }
    jw_close(w, ']');
    if (f->probed) {
        jw_open(w, "probe", '{');
        jw_str(w, "error", f->probe_error ? ovs_strerror(f->probe_error)
                                          : NULL);
        jw_str(w, "extack", f->probe_msg);
        jw_close(w, '}');
    } else {
        jw_null(w, "probe");
    }
    jw_close(w, '}');
}

/* Writes the "reasons" member of 'e' (never its first member).  A
 * borrowed array is the same, text and all, for every flow of its device:
 * it is formatted once and copied after that. */
static void
entry_reasons_json(struct jw *w, const struct vfy_entry *e)
{
    bool memo = e->reasons_borrowed && e->n_reasons;

    if (memo && w->memo_reasons == e->reasons && w->memo_n == e->n_reasons
        && w->memo_depth == w->depth) {
        jw_put(w, w->memo_text.string, w->memo_text.length);
        return;
    }

    size_t start = w->pos - w->buf;
    jw_open(w, "reasons", '[');
    for (size_t i = 0; i < e->n_reasons; i++) {
        jw_open(w, NULL, '{');
        jw_plain_str(w, "code", e->reasons[i].code);
        jw_str(w, "text", e->reasons[i].text);
        jw_close(w, '}');
    }
    jw_close(w, ']');
    if (memo) {
        w->memo_reasons = e->reasons;
        w->memo_n = e->n_reasons;
        w->memo_depth = w->depth;
        ds_clear(&w->memo_text);
        ds_put_buffer(&w->memo_text, w->buf + start,
                      (w->pos - w->buf) - start);
    }
}

/* Writes the member "key": 'ufid', null for "".  A ufid of 36 characters
 * is hex digits and dashes (each source of them checks or formats them so)
 * and goes in one copy; anything else takes jw_string(). */
static inline void
jw_ufid(struct jw *w, const char *key, const char *ufid)
{
    jw_key(w, key);
    if (!ufid[0]) {
        jw_put(w, "null", 4);
        return;
    } else if (OVS_UNLIKELY(strnlen(ufid, VFY_UFID_LEN) != VFY_UFID_LEN - 1)) {
        jw_string(w, ufid);
        return;
    }

    char *out = jw_put_uninit(w, VFY_UFID_LEN + 1);
    out[0] = '"';
    memcpy(out + 1, ufid, VFY_UFID_LEN - 1);
    out[VFY_UFID_LEN] = '"';
}

static void
entry_json(struct jw *w, const struct vfy_entry *e)
{
    jw_open(w, NULL, '{');
    jw_ufid(w, "ufid", e->ufid);
    jw_str(w, "bridge", e->bridge);
    jw_str(w, "in_port", e->in_port);
    jw_plain_str(w, "verdict", vfy_verdict_name(e->verdict));
    jw_u64(w, "in_hw_count", e->in_hw_count);
    jw_counters(w, "hw", e->hw_packets, e->hw_bytes);
    jw_counters(w, "sw", e->sw_packets, e->sw_bytes);
    jw_bool(w, "sw_growing", e->sw_growing);
    if (e->flow) {
        const struct vfy_flow *f = e->flow;

        jw_open(w, "ovs", '{');
        jw_str(w, "datapath", f->datapath);
        jw_str(w, "dp", f->dp);
        jw_plain_str(w, "offloaded", (f->offload_partial ? "partial"
                                      : f->offloaded ? "yes" : "no"));
        jw_u64(w, "packets", f->packets);
        jw_u64(w, "bytes", f->bytes);
        jw_str(w, "match", f->match);
        jw_str(w, "actions", f->actions);
        jw_close(w, '}');
    } else {
        jw_null(w, "ovs");
    }
    jw_open(w, "filters", '[');
    for (size_t i = 0; i < e->n_filters; i++) {
        filter_json(w, e->filters[i]);
    }
    jw_close(w, ']');
    entry_reasons_json(w, e);
    jw_close(w, '}');
}

/* Rendering in lanes (see lanes.h): chunks of JW_CHUNK entries.  Each
 * chunk is written as if entries came before it (a comma before each
 * entry); the writer drops the comma of the first entry of the array.  The
 * text is the same, byte for byte, as one lane's. */
#define JW_CHUNK 1024

struct jw_lane {
    const struct vfy_report *r;
    bool orphans;               /* The pass: orphans, or flows. */
    struct jw w;                /* Its own buffer (and memo). */
};

static void
jw_lane_render(void *l_, size_t begin, size_t end, const char **textp,
               size_t *lenp)
{
    struct jw_lane *l = l_;

    l->w.pos = l->w.buf;
    for (size_t i = begin; i < end; i++) {
        const struct vfy_entry *e = &l->r->entries[i];

        if ((e->verdict == VFY_ORPHAN) == l->orphans) {
            l->w.first = false;
            entry_json(&l->w, e);
        }
    }
    *textp = l->w.buf;
    *lenp = l->w.pos - l->w.buf;
}

struct jw_lanes_out {
    FILE *out;
    bool any;                   /* An entry has been written. */
};

static void
jw_lane_write(void *o_, const char *text, size_t len)
{
    struct jw_lanes_out *o = o_;

    if (len) {
        size_t skip = !o->any;  /* The comma, always the first byte. */

        fwrite(text + skip, 1, len - skip, o->out);
        o->any = true;
    }
}

/* Renders the entries of one pass (flows or orphans) in 'n_lanes' lanes,
 * 'w' at the depth of the array, its buffer written out.  Returns true if
 * it wrote at least one entry. */
static bool
lanes_render(struct jw *w, const struct vfy_report *r, bool orphans,
             size_t n_lanes)
{
    struct jw_lane lanes[LANES_MAX];
    void *states[LANES_MAX];
    struct jw_lanes_out o = { .out = w->out };

    n_lanes = MIN(n_lanes, LANES_MAX);
    for (size_t i = 0; i < n_lanes; i++) {
        struct jw_lane *l = &lanes[i];

        memset(l, 0, sizeof *l);
        l->r = r;
        l->orphans = orphans;
        l->w.out = w->out;
        l->w.pretty = w->pretty;
        l->w.depth = w->depth;
        ds_init(&l->w.memo_text);
        states[i] = l;
    }
    lanes_run(r->n_entries, JW_CHUNK, states, n_lanes, jw_lane_render,
              jw_lane_write, &o);
    for (size_t i = 0; i < n_lanes; i++) {
        free(lanes[i].w.buf);
        ds_destroy(&lanes[i].w.memo_text);
    }
    return o.any;
}

/* The number of lanes vfy_report_json() renders in. */
size_t
vfy_json_lanes(void)
{
    return lanes_count();
}

void
vfy_report_json_lanes(const struct vfy_report *r, bool pretty, FILE *out,
                      size_t n_lanes)
{
    struct jw w = { .out = out, .pretty = pretty, .first = true,
                    .memo_text = DS_EMPTY_INITIALIZER };

    jw_open(&w, NULL, '{');
    jw_u64(&w, "status", vfy_report_status(r));
    jw_key(&w, "time_ms");
    if (r->time_ms < 0) {
        jw_put_char(&w, '-');
    }
    jw_put_u64(&w, r->time_ms < 0 ? -(uint64_t) r->time_ms : r->time_ms);
    jw_str(&w, "bridge", r->bridge);
    jw_open(&w, "config", '{');
    jw_bool(&w, "hw_offload", r->config.hw_offload);
    jw_str(&w, "tc_policy", r->config.tc_policy ? r->config.tc_policy
                                                : "none");
    jw_close(&w, '}');
    jw_open(&w, "sources", '[');
    if (r->sources) {
        const char *src;

        SSET_FOR_EACH (src, r->sources) {
            jw_str(&w, NULL, src);
        }
    }
    jw_close(&w, ']');
    jw_open(&w, "skipped", '{');
    jw_u64(&w, "tc_attributes", r->n_unknown_attrs);
    jw_u64(&w, "dump_flows_lines", r->n_unknown_lines);
    jw_close(&w, '}');
    jw_open(&w, "summary", '{');
    jw_u64(&w, "flows", r->n_flows);
    for (int v = 0; v < VFY_N_VERDICTS; v++) {
        jw_u64(&w, v == VFY_ORPHAN ? "orphans" : vfy_verdict_name(v),
               r->counts[v]);
    }
    jw_u64(&w, "sw_growing", r->n_sw_growing);
    jw_close(&w, '}');
    jw_open(&w, "findings", '[');
    for (size_t i = 0; i < r->n_findings; i++) {
        const struct vfy_finding *f = &r->findings[i];

        jw_open(&w, NULL, '{');
        jw_plain_str(&w, "severity", vfy_severity_name(f->severity));
        jw_plain_str(&w, "code", f->code);
        jw_str(&w, "text", f->text);
        jw_str(&w, "evidence", f->evidence);
        jw_close(&w, '}');
    }
    jw_close(&w, ']');
    for (int pass = 0; pass < 2; pass++) {
        jw_open(&w, pass ? "orphans" : "flows", '[');
        if (n_lanes > 1 && r->n_entries >= 2 * JW_CHUNK) {
            jw_flush(&w, 0);
            w.first = !lanes_render(&w, r, pass == 1, n_lanes);
        } else {
            for (size_t i = 0; i < r->n_entries; i++) {
                const struct vfy_entry *e = &r->entries[i];

                if ((e->verdict == VFY_ORPHAN) == (pass == 1)) {
                    entry_json(&w, e);
                    jw_flush(&w, 65536);
                }
            }
        }
        jw_close(&w, ']');
    }
    jw_close(&w, '}');
    jw_flush(&w, 0);
    free(w.buf);
    ds_destroy(&w.memo_text);
}

void
vfy_report_json(const struct vfy_report *r, bool pretty, FILE *out)
{
    vfy_report_json_lanes(r, pretty, out, vfy_json_lanes());
}
