/* fuzz_procfs.c - libFuzzer harness: /proc/PID/maps and status parsers on
 * arbitrary text. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "procfs.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    struct maps maps;
    struct maps_region region;
    struct proc_status status;

    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    maps_parse_line(text, &region);
    if (maps_parse(text, &maps)) {
        maps_covers_anon_rw(&maps, 0x1000, 0x7fffffffffff);
        if (maps.count)
            maps_find(&maps, maps.regions[0].start);
    }
    maps_free(&maps);
    status_parse(text, &status);
    free(text);
    return 0;
}
