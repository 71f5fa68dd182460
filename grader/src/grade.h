/* grade.h - grade a submission: for each task asked for, its runner
 * (build and run a program, run a script, read a report), then the rubric's
 * points. What is the same for every submission of a class is the config;
 * what is one submission's is its task run. */
#ifndef MMGRADE_GRADE_H
#define MMGRADE_GRADE_H

#include <stdbool.h>
#include <stdint.h>

#include "result.h"
#include "rubric.h"
#include "session.h"
#include "submission.h"
#include "tasks/catalog.h"

struct grade_config {
    const char *gcc;          /* path of the compiler */
    const char *valgrind;     /* path of valgrind, or NULL when absent */
    const char *bash;         /* path of bash, which runs analyse.sh */
    const char *shellcheck;   /* path of shellcheck, or NULL when absent */
    const char *shim;         /* path of mmshim.so */
    const char *init;         /* path of mminit, every run's first process */
    const char *target;       /* path of mmtarget, the live process of 2.5 */
    double timeout_s;         /* per run of student code */
    double submission_s;      /* for all of a submission's runs; 0: no limit */
    struct run_limits limits; /* per run of student code, the compiler included */
    bool verbose;             /* say on stderr what is run, as it is run */
    const struct sandbox *sandbox; /* bwrap and the user to run as; NULL: unconfined */
    const char *isolation;    /* its name, for reports */
    bool read_allocates;      /* a read of a fresh private page gives it memory of its own */
    bool read_fault_forced;   /* ... as MMGRADE_READ_FAULT said, not as probed */
    const struct rubric *rubric;
};

/* One submission's grading under way: where its runs go, when its time is
 * up, its hidden sizes. */
struct task_run {
    const struct grade_config *cfg;
    const char *scratch;      /* a private folder for builds and runs */
    double deadline;          /* CLOCK_MONOTONIC seconds when the submission's time is up */
    uint64_t small_size, large_size;
};

/* How long a run may take: want, or what is left of the submission's time
 * when that is less (0 or less: none left, the run is not started). */
double grade_run_timeout(const struct task_run *run, double want);

#define RUN_LIST_MAX 48

/* The runs of every task of a submission, made side by side once all
 * tasks have added theirs (session_run_all). */
struct run_list {
    const struct run_spec *specs[RUN_LIST_MAX];
    struct run_result *results[RUN_LIST_MAX];
    size_t n;
};

/* Adds spec's run, its result into r; false when the list is full. */
bool run_list_add(struct run_list *l, const struct run_spec *spec, struct run_result *r);

/* A task graded in two halves: its start does what must come first (a
 * build, the target of 2.5) and adds its runs to a run list; its finish,
 * once the list has run, judges them into t and frees the job. */
struct program_job;
struct program_job *program_task_start(const struct task_run *run, enum task_id task, const char *source,
                                       struct task_result *t, struct run_list *runs);
void program_task_finish(struct program_job *job);
struct script_job;
struct script_job *script_task_start(const struct task_run *run, const char *path, struct task_result *t,
                                     struct run_list *runs);
void script_task_finish(struct script_job *job);

/* Grades tasks[0, ntasks) of sub into report (whose tasks it fills, scored
 * with cfg's rubric), each task's runs in a folder below scratch_root.
 * False, with why in err, when the environment let it down. */
bool grade_submission(const struct grade_config *cfg, const struct submission *sub, const enum task_id *tasks,
                      size_t ntasks, const char *scratch_root, struct grade_report *report, char *err, size_t cap);

#endif
