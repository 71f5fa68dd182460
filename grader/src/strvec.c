/* strvec.c - a growing, NULL-terminated list of strings: an argv or an
 * environment being built, with the strings it made itself freed with it. */
#define _GNU_SOURCE
#include "strvec.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

void strvec_push(struct strvec *v, const char *text)
{
    xgrow(&v->items, &v->cap, v->count + 2, sizeof *v->items);
    v->items[v->count++] = (char *)text;
    v->items[v->count] = NULL;
}

void strvec_push_owned(struct strvec *v, char *text)
{
    xgrow(&v->owned, &v->owned_cap, v->nowned + 1, sizeof *v->owned);
    v->owned[v->nowned++] = text;
    strvec_push(v, text);
}

void strvec_pushf(struct strvec *v, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    strvec_push_owned(v, xvasprintf(fmt, ap));
    va_end(ap);
}

void strvec_push_all(struct strvec *v, char *const *items)
{
    for (size_t i = 0; items && items[i]; i++)
        strvec_push(v, items[i]);
}

void strvec_free(struct strvec *v)
{
    for (size_t i = 0; i < v->nowned; i++)
        free(v->owned[i]);
    free(v->owned);
    free(v->items);
    memset(v, 0, sizeof *v);
}
