/* text.c - compare what people typed by its words: case, spacing and
 * punctuation aside. */
#include "text.h"

#include <ctype.h>
#include <stdbool.h>

void text_normalise(const char *text, char *out, size_t cap)
{
    size_t n = 0;
    bool space = true;

    for (const char *p = text; *p && n + 2 < cap; p++) {
        unsigned char c = (unsigned char)*p;

        if (isalnum(c) || c >= 0x80) {
            out[n++] = (char)tolower(c);
            space = false;
        } else if (!space) {
            out[n++] = ' ';
            space = true;
        }
    }
    while (n > 0 && out[n - 1] == ' ')
        n--;
    out[n] = '\0';
}
