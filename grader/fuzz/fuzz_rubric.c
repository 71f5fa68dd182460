/* fuzz_rubric.c - libFuzzer harness: an instructor's rubric file, and the
 * cleaning of feedback text. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "result.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1), *secret = NULL, err[256], *clean;

    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    /* a rubric that applies changes the table for later inputs: harmless */
    rubric_apply(text, &secret, err, sizeof err);
    free(secret);
    clean = result_clean_text(text);
    free(clean);
    free(text);
    return 0;
}
