/*
 * fuzz-tcdump: libFuzzer target for the tc dump parser.  The parser must
 * return an error for any malformed input, never crash or read out of
 * bounds.  Build with "make fuzz-tcdump" (clang, -fsanitize=fuzzer); the
 * test suite runs the same function over the recorded .bin dumps through
 * fuzz-driver.c.
 */
#include <config.h>

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include "tcdump.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct vfy_filters fs;
    char *error = NULL;

    vfy_filters_init(&fs);
    int retval = tcdump_parse(data, size, &fs, &error);
    if (retval && !error) {
        ovs_abort(0, "error %d without a message", retval);
    }
    for (size_t i = 0; i < fs.n; i++) {
        char ufid[VFY_UFID_LEN];
        uint64_t a, b, c, d;

        tcdump_filter_ufid(&fs.f[i], ufid);
        tcdump_filter_stats(&fs.f[i], &a, &b, &c, &d);
    }
    free(error);
    vfy_filters_destroy(&fs);
    return 0;
}
