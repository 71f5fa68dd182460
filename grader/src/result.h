/* result.h - the result model: one verdict per check, with its points,
 * feedback and the measurements behind it; and the default rubric. */
#ifndef MMGRADE_RESULT_H
#define MMGRADE_RESULT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

enum check_status { CHECK_PASSED, CHECK_FAILED, CHECK_NOT_RUN };

struct check_result {
    const char *task, *id, *title;
    double points, max_points;
    const char *visibility; /* Gradescope's: hidden, after_due_date, ... */
    enum check_status status;
    char *feedback;   /* expected, observed, how to reproduce */
    cJSON *observed;  /* the measurements behind the verdict */
};

#define MAX_CHECKS 24

struct stage_view {   /* one row of the per-stage timeline */
    const char *label;
    long vsz_kib, rss_kib;      /* as /proc/PID/status said at a pause, or printed */
    long own_pages, total_pages; /* the mapping's resident pages; -1 unknown */
};

struct task_result {
    const char *task;  /* "2.1" ... */
    bool missing;      /* its files are absent */
    struct check_result checks[MAX_CHECKS];
    size_t nchecks;
    struct stage_view timeline[8];
    size_t ntimeline;
};

struct grade_report {
    const char *submission;
    struct task_result tasks[5];
    size_t ntasks;
    uint64_t seed;
    uint64_t small_size, large_size;
    double seconds;
    bool incomplete;   /* a check was not run */
    bool verbose;      /* show the feedback of passed checks too */
    const char *isolation; /* how student code was confined */
    bool read_allocates;   /* on this kernel a read of a fresh page allocates it */
    bool read_fault_forced; /* ... said by MMGRADE_READ_FAULT, not probed */
};

/* Adds the rubric's check id of task to t, not yet judged (failed, 0). */
struct check_result *result_add(struct task_result *t, const char *id);
void check_pass(struct check_result *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void check_fail(struct check_result *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void check_not_run(struct check_result *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Appends a line to the check's feedback. */
void check_note(struct check_result *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
cJSON *check_observed(struct check_result *c);
/* A malloc'd copy of text that is valid UTF-8 with no control character
 * but newline and tab: U+FFFD stands for each byte that was not. */
char *result_clean_text(const char *text);

/* Puts t's checks in the rubric's order. */
void result_sort(struct task_result *t);
/* Adds every check of t's task not yet in t, failed with why. */
void result_fail_rest(struct task_result *t, const char *why);

double report_score(const struct grade_report *r, double *max);
/* Frees what t's checks hold; t may be filled again. */
void task_result_free(struct task_result *t);
void report_free(struct grade_report *r);

/* The points of task/check; the rubric lives in result.c. */
bool rubric_lookup(const char *task, const char *check, const char **title, double *points);
/* The ids of task's checks in the rubric's order; returns their count. */
size_t rubric_check_ids(const char *task, const char **ids, size_t max);
/* Points the build check loses when the compiler warned (0 by default). */
double rubric_warning_penalty(const char *task);
/* Applies an instructor's rubric (JSON text, docs/rubric.md) over the
 * defaults; *secret gets its seed secret or NULL. False, with why in err,
 * on anything it does not know: a typo must not grade silently. */
bool rubric_apply(const char *text, char **secret, char *err, size_t cap);
/* The rubric in force as a rubric file (JSON, no secret); free with free(). */
char *rubric_print(void);
/* Task ids in the rubric's order; NULL-terminated. */
extern const char *const rubric_tasks[];

#endif
