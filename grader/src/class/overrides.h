/* overrides.h - an instructor's decisions on a class, kept in a file that
 * every regrade applies: a check's points or status changed for one
 * student, or points graded by hand, each with its reason. */
#ifndef MMGRADE_OVERRIDES_H
#define MMGRADE_OVERRIDES_H

#include <stdbool.h>
#include <stddef.h>

#include "../rubric.h"

#define OVERRIDE_MANUAL "manual" /* the target of points graded by hand */

struct override {
    char *student;   /* the entry's name in the class folder, ".zip" aside */
    char *task;      /* "2.3"; NULL for manual points */
    char *check;     /* "lazy"; NULL for manual points */
    double points;   /* what the check (or the manual part) is given */
    bool set_status; /* "pass" or "fail": points are all or none */
    bool pass;
    char *reason;
    long line;       /* in the file, for messages */
};

struct overrides {
    struct override *items;
    size_t count;
};

/* Reads the overrides file at path against rubric r (every check named
 * must exist, every value be within its points). A line is
 * "STUDENT TARGET VALUE REASON...": TARGET a check ("2.3/lazy") or
 * "manual", VALUE points or "pass"/"fail", the reason required; "#" starts
 * a comment. False, with "line N: what is wrong" in err, when a line is
 * not one. */
bool overrides_load(const char *path, const struct rubric *r, struct overrides *out, char *err, size_t cap);
/* The first student named in o that is not among names[0, n), or NULL. */
const char *overrides_unknown_student(const struct overrides *o, char *const *names, size_t n);
void overrides_free(struct overrides *o);

#endif
