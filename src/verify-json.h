/*
 * verify-json: renders a verification report as JSON with json-c.
 *
 * Built without any Open vSwitch header (json-c and libopenvswitch both
 * define json_object_put()), in its own convenience library.
 */
#ifndef VERIFY_JSON_H
#define VERIFY_JSON_H 1

#include <stdbool.h>
#include "verify-model.h"

/* Returns the report as a malloc()'d JSON text (one line, or indented if
 * 'pretty'), without a trailing new-line. */
char *vfy_report_json(const struct vfy_report *, bool pretty);

#endif /* verify-json.h */
