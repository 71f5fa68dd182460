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
    if (shimlog_parse_line(line, &call))
        shim_call_free(&call);
    free(line);
    for (size_t at = 0; at < size; at += 5) {
        /* the pauses and the output so far, as the session passes them */
        shimlog_feed(&log, (const char *)data + at, size - at < 5 ? size - at : 5, at / 64, at);
        shimlog_take(&log, 9, &calls);
    }
    shimlog_free(&log);
    shim_calls_free(&calls);
    return 0;
}
