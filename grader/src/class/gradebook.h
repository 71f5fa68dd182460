/* gradebook.h - a class's grades: each student's results.json read back
 * from a batch's folder, the instructor's overrides applied, and the class
 * written out as a CSV an LMS imports, a Markdown summary and an HTML
 * report. The same code reads one batch or the shards of several. */
#ifndef MMGRADE_GRADEBOOK_H
#define MMGRADE_GRADEBOOK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "overrides.h"

#define GRADEBOOK_MAX_CHECKS 64
#define GRADEBOOK_MAX_TASKS 5

struct gradebook_check {
    char task[8], id[32], title[160];
    double max;
    size_t passed, graded; /* students who passed it, of those graded */
};

enum cell_status { CELL_ABSENT, CELL_PASSED, CELL_FAILED, CELL_NOT_RUN };

struct gradebook_cell {
    enum cell_status status;
    double points;
    char *feedback;
    const struct override *override; /* applied to it, or NULL */
    double graded_points;            /* before the override */
};

struct gradebook_student {
    char *id;
    bool graded;
    char *error;                     /* why it could not be graded */
    double score, max;               /* the checks', overrides applied */
    double task_score[GRADEBOOK_MAX_TASKS];
    const struct override *manual;   /* points graded by hand, or NULL */
    uint64_t seed, small_size, large_size;
    struct gradebook_cell cells[GRADEBOOK_MAX_CHECKS];
};

struct gradebook {
    struct gradebook_check checks[GRADEBOOK_MAX_CHECKS];
    size_t nchecks;
    char tasks[GRADEBOOK_MAX_TASKS][8]; /* the tasks graded, in order */
    size_t ntasks;
    double max;                          /* the checks' points in all */
    struct gradebook_student *students;
    size_t count, cap;
};

/* Adds the student id from its folder in a batch's output: results.json
 * when it was graded, else error.txt says why not. False, with why in err,
 * when results.json is there but not one mmgrade writes. */
bool gradebook_add(struct gradebook *g, const char *id, const char *dir, char *err, size_t cap);
/* Sorts the students by id and applies o (NULL: none) to them. */
void gradebook_finish(struct gradebook *g, const struct overrides *o);
/* A student's total: the checks' points and the manual ones. */
double gradebook_total(const struct gradebook_student *s);
/* The median of the graded students' totals (the mean of the two middle
 * ones for an even count); 0 when none was graded. */
double gradebook_median(const struct gradebook *g);
/* The graded students' lowest, highest and mean totals; false when none
 * was graded. */
bool gradebook_range(const struct gradebook *g, double *low, double *high, double *mean);
/* How many students were graded. */
size_t gradebook_graded(const struct gradebook *g);
void gradebook_free(struct gradebook *g);

/* The class in each output, g a struct gradebook (files_write_whole's
 * writers). */
bool gradebook_write_csv(const void *g, FILE *out);
bool gradebook_write_markdown(const void *g, FILE *out);
bool gradebook_write_html(const void *g, FILE *out);

#endif
