/*
 * dbjson: converts OVSDB IDL rows into plain JSON values (the Open vSwitch
 * library's struct json), and renders such values as text for people.
 *
 * Scalars become JSON scalars, sets become arrays and maps become objects,
 * which is what scripts want; the OVSDB wire format (["map", ...]) is not.
 * The CLI builds one model this way and renders it either as JSON or as
 * text, so the two never disagree.
 */
#ifndef DBJSON_H
#define DBJSON_H 1

struct ds;
struct json;
struct ovsdb_datum;
struct ovsdb_idl_row;
struct ovsdb_type;

struct json *dbjson_datum(const struct ovsdb_datum *,
                          const struct ovsdb_type *);
struct json *dbjson_row(const struct ovsdb_idl_row *);
void dbjson_format_text(const struct json *object, int indent,
                        struct ds *out);

#endif /* dbjson.h */
