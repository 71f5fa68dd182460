/* text.h - compare what people typed by its words: case, spacing and
 * punctuation aside. */
#ifndef MMGRADE_TEXT_H
#define MMGRADE_TEXT_H

#include <stddef.h>

/* Lower-cases text into out, keeping letters, digits and non-ASCII bytes
 * and turning every other run into one space, none at either end. */
void text_normalise(const char *text, char *out, size_t cap);

#endif
