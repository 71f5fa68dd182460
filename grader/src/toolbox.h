/* toolbox.h - the programs grading runs, found once: the compiler, bash,
 * valgrind, shellcheck, bubblewrap and setpriv on PATH, and the grader's
 * own mmshim.so, mminit and mmtarget beside mmgrade. */
#ifndef MMGRADE_TOOLBOX_H
#define MMGRADE_TOOLBOX_H

#include <stdbool.h>
#include <stddef.h>

struct toolbox {
    char *gcc, *bash, *shim, *init;           /* needed: grading stops without them */
    char *valgrind, *shellcheck, *target;     /* without them, their checks are not run */
    char *bwrap, *setpriv;                    /* without them, no sandbox */
};

/* Finds every tool; false, with what is missing (and how to get it) in
 * why, when grading cannot do without it. */
bool toolbox_find(struct toolbox *tb, char *why, size_t cap);
void toolbox_free(struct toolbox *tb);

#endif
