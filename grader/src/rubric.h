/* rubric.h - the grading policy: the points and visibility of each check
 * and what compiler warnings cost. A value: the catalog's defaults, with
 * an instructor's rubric file applied (docs/rubric.md), passed to what
 * scores. */
#ifndef MMGRADE_RUBRIC_H
#define MMGRADE_RUBRIC_H

#include <stdbool.h>
#include <stddef.h>

#include "result.h"

#define RUBRIC_MAX 64

struct rubric_entry {
    const char *task, *check, *title;
    double points;
    const char *visibility;  /* Gradescope's: hidden, after_due_date, after_published, visible */
    double warning_penalty;  /* build only: points lost to warnings */
};

struct rubric {
    struct rubric_entry entries[RUBRIC_MAX];
    size_t count;
};

/* The catalog's defaults: 92 of the kit's 100 points. */
void rubric_init(struct rubric *r);
/* Applies an instructor's rubric (JSON text) over r; *secret gets its seed
 * secret or NULL. False, with why in err and r unchanged, on anything it
 * does not know: a typo must not grade silently. */
bool rubric_apply(struct rubric *r, const char *text, char **secret, char *err, size_t cap);
/* r as a rubric file (JSON, no secret); free with free(). */
char *rubric_print(const struct rubric *r);
const struct rubric_entry *rubric_find(const struct rubric *r, const char *task, const char *check);
/* Gives t's checks their titles, visibility and points: all of a check's
 * points when it passed (less the warning penalty when it warned), none
 * otherwise. */
void rubric_score(const struct rubric *r, struct task_result *t);

#endif
