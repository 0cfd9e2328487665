/*
 * dbjson: OVSDB IDL rows as plain JSON values.  See dbjson.h.
 */
#include <config.h>

#include "dbjson.h"

#include "openvswitch/dynamic-string.h"
#include "openvswitch/json.h"
#include "openvswitch/shash.h"
#include "ovsdb-data.h"
#include "ovsdb-idl.h"
#include "ovsdb-idl-provider.h"
#include "ovsdb-types.h"
#include "util.h"
#include "uuid.h"

static struct json *
dbjson_atom(const union ovsdb_atom *atom, enum ovsdb_atomic_type type)
{
    switch (type) {
    case OVSDB_TYPE_INTEGER:
        return json_integer_create(atom->integer);
    case OVSDB_TYPE_REAL:
        return json_real_create(atom->real);
    case OVSDB_TYPE_BOOLEAN:
        return json_boolean_create(atom->boolean);
    case OVSDB_TYPE_STRING:
        return json_string_create(atom->s->string);
    case OVSDB_TYPE_UUID:
        return json_string_create_nocopy(
            xasprintf(UUID_FMT, UUID_ARGS(&atom->uuid)));
    case OVSDB_TYPE_VOID:
    case OVSDB_N_TYPES:
    default:
        return json_null_create();
    }
}

/* Returns a new JSON value for 'datum' of 'type': a scalar for a column with
 * at most one value (null if empty), an array for a set, an object for a
 * map (non-string keys are written in their OVSDB text form). */
struct json *
dbjson_datum(const struct ovsdb_datum *datum, const struct ovsdb_type *type)
{
    if (ovsdb_type_is_map(type)) {
        struct json *obj = json_object_create();
        struct ds key = DS_EMPTY_INITIALIZER;

        for (size_t i = 0; i < datum->n; i++) {
            ds_clear(&key);
            if (type->key.type == OVSDB_TYPE_STRING) {
                ds_put_cstr(&key, datum->keys[i].s->string);
            } else {
                ovsdb_atom_to_string(&datum->keys[i], type->key.type, &key);
            }
            json_object_put(obj, ds_cstr(&key),
                            dbjson_atom(&datum->values[i], type->value.type));
        }
        ds_destroy(&key);
        return obj;
    } else if (type->n_max == 1) {
        return (datum->n
                ? dbjson_atom(&datum->keys[0], type->key.type)
                : json_null_create());
    } else {
        struct json *array = json_array_create_empty();

        for (size_t i = 0; i < datum->n; i++) {
            json_array_add(array, dbjson_atom(&datum->keys[i],
                                              type->key.type));
        }
        return array;
    }
}

/* Returns a new JSON object with one member per column of 'row'.  Reference
 * columns are left out: the caller nests referenced rows where they
 * belong. */
struct json *
dbjson_row(const struct ovsdb_idl_row *row)
{
    const struct ovsdb_idl_table_class *tc = row->table->class_;
    struct json *obj = json_object_create();

    for (size_t i = 0; i < tc->n_columns; i++) {
        const struct ovsdb_idl_column *col = &tc->columns[i];

        if (col->type.key.type == OVSDB_TYPE_UUID
            && col->type.key.uuid.refTableName) {
            continue;
        }
        json_object_put(obj, col->name,
                        dbjson_datum(ovsdb_idl_read(row, col), &col->type));
    }
    return obj;
}

static void
dbjson_format_scalar(const struct json *v, struct ds *out)
{
    if (v->type == JSON_STRING) {
        const char *s = json_string(v);
        ds_put_cstr(out, s[0] ? s : "\"\"");
    } else {
        json_to_ds(v, 0, out);
    }
}

static bool
dbjson_is_empty(const struct json *v)
{
    return (v->type == JSON_NULL
            || (v->type == JSON_OBJECT && shash_is_empty(json_object(v)))
            || (v->type == JSON_ARRAY && !json_array(v)->n));
}

static bool
dbjson_is_flat(const struct json *object)
{
    struct shash_node *node;

    SHASH_FOR_EACH (node, json_object(object)) {
        const struct json *v = node->data;
        if (v->type == JSON_OBJECT || v->type == JSON_ARRAY) {
            return false;
        }
    }
    return true;
}

/* Renders 'object' for people, members sorted by name: "name: value" lines
 * indented by 'indent' spaces; an object of scalars on one line as
 * "name: k=v k=v"; nested objects and arrays of objects further indented;
 * empty values left out. */
void
dbjson_format_text(const struct json *object, int indent, struct ds *out)
{
    const struct shash_node **members = shash_sort(json_object(object));
    size_t n = shash_count(json_object(object));

    for (size_t i = 0; i < n; i++) {
        const struct json *v = members[i]->data;

        if (dbjson_is_empty(v)) {
            continue;
        }
        ds_put_char_multiple(out, ' ', indent);
        ds_put_format(out, "%s:", members[i]->name);
        if (v->type == JSON_OBJECT && dbjson_is_flat(v)) {
            const struct shash_node **kv = shash_sort(json_object(v));
            size_t n_kv = shash_count(json_object(v));

            for (size_t j = 0; j < n_kv; j++) {
                ds_put_format(out, " %s=", kv[j]->name);
                dbjson_format_scalar(kv[j]->data, out);
            }
            free(kv);
            ds_put_char(out, '\n');
        } else if (v->type == JSON_OBJECT) {
            ds_put_char(out, '\n');
            dbjson_format_text(v, indent + 4, out);
        } else if (v->type == JSON_ARRAY) {
            const struct json_array *a = json_array(v);

            if (a->elems[0]->type == JSON_OBJECT) {
                ds_put_char(out, '\n');
                for (size_t j = 0; j < a->n; j++) {
                    if (j) {
                        ds_put_char(out, '\n');
                    }
                    dbjson_format_text(a->elems[j], indent + 4, out);
                }
            } else {
                for (size_t j = 0; j < a->n; j++) {
                    ds_put_char(out, j ? ',' : ' ');
                    dbjson_format_scalar(a->elems[j], out);
                }
                ds_put_char(out, '\n');
            }
        } else {
            ds_put_char(out, ' ');
            dbjson_format_scalar(v, out);
            ds_put_char(out, '\n');
        }
    }
    free(members);
}
