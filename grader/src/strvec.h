/* strvec.h - a growing, NULL-terminated list of strings: an argv or an
 * environment being built, with the strings it made itself freed with it. */
#ifndef MMGRADE_STRVEC_H
#define MMGRADE_STRVEC_H

#include <stddef.h>

struct strvec {
    char **items; /* NULL-terminated once anything was pushed */
    size_t count, cap;
    char **owned; /* strings made for it, freed with it */
    size_t nowned, owned_cap;
};

/* Appends text, which must outlive the list. */
void strvec_push(struct strvec *v, const char *text);
/* Appends a string the list keeps and frees. */
void strvec_push_owned(struct strvec *v, char *text);
/* Appends a printf-formatted string the list keeps. */
void strvec_pushf(struct strvec *v, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Appends every string of a NULL-terminated array (NULL: none). */
void strvec_push_all(struct strvec *v, char *const *items);
void strvec_free(struct strvec *v);

#endif
