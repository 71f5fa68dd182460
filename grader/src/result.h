/* result.h - the result model: one verdict per check, with its feedback
 * and the measurements behind it, per task and per submission. Points and
 * titles come from the rubric (rubric.h), applied once judging is done. */
#ifndef MMGRADE_RESULT_H
#define MMGRADE_RESULT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

enum check_status { CHECK_PASSED, CHECK_FAILED, CHECK_NOT_RUN };

struct check_result {
    const char *task, *id;
    enum check_status status;
    char *feedback;   /* expected, observed, what to try, how to reproduce */
    cJSON *observed;  /* the measurements behind the verdict */
    bool warned;      /* passed, with compiler warnings (the rubric may charge for them) */
    char *file;       /* the file it concerns, relative to the submission; NULL: none */
    long line;        /* the line of file it points at; 0: none */
    /* From the rubric, by rubric_score: */
    const char *title, *visibility;
    double points, max_points;
};

#define MAX_CHECKS 24
#define MAX_TIMELINE 8

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
    struct stage_view timeline[MAX_TIMELINE];
    size_t ntimeline;
};

struct grade_report {
    const char *submission;
    char *note;            /* where the task files were found, when not where expected */
    struct task_result tasks[5];
    size_t ntasks;
    uint64_t seed;
    uint64_t small_size, large_size;
    double seconds;
    bool incomplete;       /* a check was not run */
    bool verbose;          /* show the feedback of passed checks too */
    const char *isolation; /* how student code was confined */
    bool read_allocates;   /* on this kernel a read of a fresh page allocates it */
    bool read_fault_forced; /* ... said by MMGRADE_READ_FAULT, not probed */
};

/* Adds check id of t's task to t, not yet judged (failed); the catalog
 * must list it. */
struct check_result *result_add(struct task_result *t, const char *id);
void check_pass(struct check_result *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void check_fail(struct check_result *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void check_not_run(struct check_result *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Appends a line to the check's feedback. */
void check_note(struct check_result *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
cJSON *check_observed(struct check_result *c);

/* Puts t's checks in the catalog's order. */
void result_sort(struct task_result *t);
/* Adds every check of t's task not yet in t, failed with why. */
void result_fail_rest(struct task_result *t, const char *why);
/* The points of n checks, and in *max (when not NULL) what they were worth:
 * the one sum every total is made with. */
double result_score(const struct check_result *checks, size_t n, double *max);
double result_task_score(const struct task_result *t, double *max);
double result_report_score(const struct grade_report *r, double *max);
/* Frees what t's checks hold; t may be filled again. */
void task_result_free(struct task_result *t);
void report_free(struct grade_report *r);

#endif
