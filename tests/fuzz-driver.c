/*
 * fuzz-driver: runs LLVMFuzzerTestOneInput() on each file named on the
 * command line, and on every truncation and single-byte corruption of it,
 * without libFuzzer, so that "make check" exercises the fuzz target.
 */
#include <config.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
main(int argc, char *argv[])
{
    size_t runs = 0;

    for (int i = 1; i < argc; i++) {
        FILE *f = fopen(argv[i], "rb");
        uint8_t *buf, *copy;
        long len;

        if (!f || fseek(f, 0, SEEK_END) || (len = ftell(f)) < 0) {
            perror(argv[i]);
            return 1;
        }
        rewind(f);
        buf = xmalloc(len + 1);
        if (fread(buf, 1, len, f) != (size_t) len) {
            perror(argv[i]);
            return 1;
        }
        fclose(f);

        /* Every prefix, in an exactly sized copy so that any overread is
         * visible to a memory checker. */
        for (long n = 0; n <= len; n++) {
            copy = xmalloc(n ? n : 1);
            memcpy(copy, buf, n);
            LLVMFuzzerTestOneInput(copy, n);
            free(copy);
            runs++;
        }
        /* Every byte replaced by a few values that break lengths. */
        static const uint8_t values[] = { 0x00, 0x01, 0x03, 0x7f, 0xff };
        copy = xmalloc(len ? len : 1);
        for (long pos = 0; pos < len && pos < 4096; pos++) {
            for (size_t v = 0; v < sizeof values; v++) {
                memcpy(copy, buf, len);
                copy[pos] = values[v];
                LLVMFuzzerTestOneInput(copy, len);
                runs++;
            }
        }
        free(copy);
        free(buf);
    }
    printf("%zu inputs\n", runs);
    return 0;
}
