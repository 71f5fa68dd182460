/* xalloc.h - memory the grader gets or stops for: an allocation that
 * fails prints why and aborts, so that no caller drops a shim call, a
 * pause or a line of feedback and goes on to a wrong grade. */
#ifndef MMGRADE_XALLOC_H
#define MMGRADE_XALLOC_H

#include <stdarg.h>
#include <stddef.h>

void *xmalloc(size_t size);
void *xcalloc(size_t count, size_t size);
void *xrealloc(void *ptr, size_t size);
char *xstrdup(const char *text);
char *xstrndup(const char *text, size_t max);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
char *xvasprintf(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));
/* Makes room in *items (an array of *cap elements of size bytes each) for
 * at least want elements, doubling. */
void xgrow(void *items, size_t *cap, size_t want, size_t size);

#endif
