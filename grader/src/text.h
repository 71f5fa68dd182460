/* text.h - text as people and programs type it: lines, words compared
 * case and punctuation aside, and bytes made safe to quote (valid UTF-8,
 * no control characters). */
#ifndef MMGRADE_TEXT_H
#define MMGRADE_TEXT_H

#include <stdbool.h>
#include <stddef.h>

/* Lower-cases text into out, keeping letters, digits and non-ASCII bytes
 * and turning every other run into one space, none at either end. */
void text_normalise(const char *text, char *out, size_t cap);

/* The length of the valid UTF-8 sequence at p (at most n bytes), or 0. */
size_t text_utf8_length(const unsigned char *p, size_t n);
/* Drops the bytes of a UTF-8 sequence that a cut left unfinished at the
 * end of text. */
void text_utf8_trim_cut(char *text);
/* A malloc'd copy of text that is valid UTF-8 with no control character
 * but newline and tab: U+FFFD stands for each byte that was not, and a
 * "\r" (a terminal's line end) is dropped. */
char *text_clean(const char *text);

/* The line that starts at *at in text[0, len): where it starts and how
 * long it is without its "\n"; moves *at past it. False when no line is
 * left. Every line of the grader is split here. */
bool text_line_span(const char *text, size_t len, size_t *at, const char **start, size_t *n);
/* Copies the line that starts at *at in text[0, len) into line, without
 * its "\n", cut to cap - 1 bytes, and moves *at past it; false when no
 * line is left. A NUL byte ends what is copied, not the line. */
bool text_next_line(const char *text, size_t len, size_t *at, char *line, size_t cap);
/* Removes trailing spaces, tabs and "\r" from line. */
void text_trim_end(char *line);
/* text (NULL is "") as one line to quote between double quotes in
 * feedback: trailing white space dropped, each newline written "\n", a
 * double quote "\"", cut after max bytes with "..." (never inside a UTF-8
 * sequence). Into out, of cap bytes; returns out. */
const char *text_quote(const char *text, size_t max, char *out, size_t cap);

#endif
