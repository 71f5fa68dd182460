/* xalloc.c - memory the grader gets or stops for: an allocation that
 * fails prints why and aborts. */
#define _GNU_SOURCE
#include "xalloc.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

__attribute__((noreturn)) static void xalloc_fail(size_t size)
{
    fprintf(stderr, "mmgrade: out of memory: cannot allocate %zu bytes\n", size);
    abort();
}

void *xmalloc(size_t size)
{
    void *p = malloc(size ? size : 1);

    if (!p)
        xalloc_fail(size);
    return p;
}

void *xcalloc(size_t count, size_t size)
{
    void *p = calloc(count ? count : 1, size ? size : 1);

    if (!p)
        xalloc_fail(count * size);
    return p;
}

void *xrealloc(void *ptr, size_t size)
{
    void *p = realloc(ptr, size ? size : 1);

    if (!p)
        xalloc_fail(size);
    return p;
}

char *xstrdup(const char *text)
{
    char *copy = strdup(text);

    if (!copy)
        xalloc_fail(strlen(text) + 1);
    return copy;
}

char *xstrndup(const char *text, size_t max)
{
    char *copy = strndup(text, max);

    if (!copy)
        xalloc_fail(strnlen(text, max) + 1);
    return copy;
}

char *xvasprintf(const char *fmt, va_list ap)
{
    char *text;

    if (vasprintf(&text, fmt, ap) < 0)
        xalloc_fail(strlen(fmt));
    return text;
}

char *xasprintf(const char *fmt, ...)
{
    va_list ap;
    char *text;

    va_start(ap, fmt);
    text = xvasprintf(fmt, ap);
    va_end(ap);
    return text;
}

void xgrow(void *items, size_t *cap, size_t want, size_t size)
{
    void **array = items;
    size_t n = *cap ? *cap : 8;

    if (want <= *cap)
        return;
    while (n < want)
        n *= 2;
    if (n > SIZE_MAX / size)
        xalloc_fail(SIZE_MAX);
    *array = xrealloc(*array, n * size);
    *cap = n;
}
