/* fuzz_output.c - libFuzzer harness: what a student's program printed
 * (stages, ps tables, the Mapped line), as bytes. */
#include <stdint.h>
#include <stdlib.h>

#include "output.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct program_output out;
    struct ps_row row;

    output_parse((const char *)data, size, &out);
    output_find_ps_row((const char *)data, size, 4242, &row);
    return 0;
}
