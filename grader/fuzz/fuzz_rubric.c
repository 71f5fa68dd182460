/* fuzz_rubric.c - libFuzzer harness: an instructor's rubric file, and the
 * cleaning of feedback text. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "rubric.h"
#include "text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1), *secret = NULL, err[256], *clean;

    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    struct rubric rubric;

    rubric_init(&rubric);
    rubric_apply(&rubric, text, &secret, err, sizeof err);
    free(secret);
    clean = text_clean(text);
    free(clean);
    free(text);
    return 0;
}
