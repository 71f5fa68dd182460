/* fuzz_shimlog.c - libFuzzer harness: mmshim's log, as one line and as a
 * stream fed in pieces. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "shimlog.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *line = malloc(size + 1);
    struct shim_call call;
    struct shimlog log = {0};
    struct shim_calls calls = {0};

    if (!line)
        return 0;
    memcpy(line, data, size);
    line[size] = '\0';
    shimlog_parse_line(line, &call);
    free(line);
    for (size_t at = 0; at < size; at += 5) {
        shimlog_feed(&log, (const char *)data + at, size - at < 5 ? size - at : 5);
        shimlog_take(&log, 9, at, &calls);
    }
    shimlog_free(&log);
    shim_calls_free(&calls);
    return 0;
}
