/* text.c - text as people and programs type it: lines, words compared
 * case and punctuation aside, and bytes made safe to quote. */
#include "text.h"

#include <ctype.h>
#include <string.h>

#include "xalloc.h"

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

size_t text_utf8_length(const unsigned char *p, size_t n)
{
    size_t len = p[0] < 0x80                   ? 1
                 : p[0] >= 0xc2 && p[0] <= 0xdf ? 2
                 : p[0] >= 0xe0 && p[0] <= 0xef ? 3
                 : p[0] >= 0xf0 && p[0] <= 0xf4 ? 4
                                                : 0;

    if (len == 0 || len > n)
        return 0;
    for (size_t i = 1; i < len; i++)
        if ((p[i] & 0xc0) != 0x80)
            return 0;
    /* overlong three- and four-byte forms, surrogates, beyond U+10FFFF */
    if ((p[0] == 0xe0 && p[1] < 0xa0) || (p[0] == 0xed && p[1] >= 0xa0) || (p[0] == 0xf0 && p[1] < 0x90) ||
        (p[0] == 0xf4 && p[1] >= 0x90))
        return 0;
    return len;
}

void text_utf8_trim_cut(char *text)
{
    size_t n = strlen(text);

    for (size_t back = 1; back <= 4 && back <= n; back++) {
        unsigned char b = (unsigned char)text[n - back];

        if ((b & 0xc0) == 0x80)
            continue;
        if (b >= 0xc0 && back < (b >= 0xf0 ? 4u : b >= 0xe0 ? 3u : 2u))
            text[n - back] = '\0';
        break;
    }
}

char *text_clean(const char *text)
{
    const unsigned char *p = (const unsigned char *)text;
    size_t n = strlen(text), used = 0;
    char *out = xmalloc(3 * n + 1); /* each byte becomes at most U+FFFD */

    while (n > 0) {
        size_t len = text_utf8_length(p, n);

        if (len == 1 && p[0] == '\r') {
            /* a pty turns "\n" into "\r\n": drop the "\r" */
        } else if (len == 1 && (p[0] >= 0x20 || p[0] == '\n' || p[0] == '\t') && p[0] != 0x7f) {
            out[used++] = (char)p[0];
        } else if (len > 1) {
            memcpy(out + used, p, len);
            used += len;
        } else {
            memcpy(out + used, "\xef\xbf\xbd", 3); /* U+FFFD for a control byte or broken UTF-8 */
            used += 3;
        }
        len = len ? len : 1;
        p += len;
        n -= len;
    }
    out[used] = '\0';
    return out;
}

bool text_line_span(const char *text, size_t len, size_t *at, const char **start, size_t *n)
{
    const char *nl;

    if (*at >= len)
        return false;
    *start = text + *at;
    nl = memchr(*start, '\n', len - *at);
    *n = nl ? (size_t)(nl - *start) : len - *at;
    *at += *n + (nl ? 1 : 0);
    return true;
}

bool text_next_line(const char *text, size_t len, size_t *at, char *line, size_t cap)
{
    const char *start;
    size_t n;

    if (!text_line_span(text, len, at, &start, &n))
        return false;
    if (n >= cap)
        n = cap - 1;
    memcpy(line, start, n);
    line[n] = '\0';
    return true;
}

void text_trim_end(char *line)
{
    size_t n = strlen(line);

    while (n > 0 && (line[n - 1] == ' ' || line[n - 1] == '\t' || line[n - 1] == '\r'))
        line[--n] = '\0';
}

const char *text_quote(const char *text, size_t max, char *out, size_t cap)
{
    size_t n = text ? strlen(text) : 0, used = 0, i;

    while (n > 0 && strchr(" \t\r\n", text[n - 1]))
        n--;
    /* room kept for an escape pair, "..." and the NUL */
    for (i = 0; i < n && i < max && used + 6 <= cap; i++) {
        if (text[i] == '\n' || text[i] == '"') {
            out[used++] = '\\';
            out[used++] = text[i] == '\n' ? 'n' : '"';
        } else {
            out[used++] = text[i];
        }
    }
    out[used] = '\0';
    if (i < n) {
        text_utf8_trim_cut(out);
        strcat(out, "...");
    }
    return out;
}
