/* fuzz_shimlog.c - libFuzzer harness: the parser of mmshim's log lines. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "shimlog.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *line = malloc(size + 1);
    struct shim_call call;

    if (!line)
        return 0;
    memcpy(line, data, size);
    line[size] = '\0';
    shimlog_parse_line(line, &call);
    free(line);
    return 0;
}
