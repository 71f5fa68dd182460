/* submission.h - what a student handed in: which task files it holds and
 * where (a folder per task or a flat upload, maybe one folder down, maybe
 * in a .zip), and the hidden sizes drawn for it from the seed. */
#ifndef MMGRADE_SUBMISSION_H
#define MMGRADE_SUBMISSION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tasks/catalog.h"

struct submission {
    char *shown;                  /* its path, cleaned for reports */
    char *note;                   /* where its files were found, when elsewhere than at its top */
    char *unpacked;               /* the folder a .zip was unpacked into (removed with it) */
    char *root;                   /* the folder its task files were found in (a real path) */
    bool labs_layout;             /* a folder per task ("2.3-memory-usage/") */
    char *files[TASK_COUNT];      /* each task's file, NULL when absent */
    char *reports[TASK_COUNT];    /* each program's REPORT.md, NULL when absent */
    uint64_t seed;
    uint64_t small_size, large_size;
};

/* How the sizes are drawn. */
struct seed_source {
    const char *secret; /* the instructor's, mixed with the sources; NULL: none */
    bool fixed;         /* use seed as it is */
    uint64_t seed;
};

/* Finds the task files of path: a folder (its files may be one folder
 * down, as a downloaded archive unpacks) or a .zip (unpacked into a folder
 * of its own, safely: no path out of it, sizes capped). named[] says which
 * tasks were asked for by name (such a task may be a flat folder of its
 * own, as the handouts grade a task's folder). False, with why in err,
 * when path is neither, or the zip cannot be unpacked. */
bool submission_open(const char *path, const bool named[TASK_COUNT], const struct seed_source *seed,
                     struct submission *out, char *err, size_t cap);
void submission_free(struct submission *s);

/* The hidden sizes of a seed: the small one never a page multiple, the
 * large one 64 MiB plus 1 to 4000 bytes. */
void submission_sizes(uint64_t seed, long page, uint64_t *small, uint64_t *large);

#endif
