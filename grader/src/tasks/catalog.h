/* catalog.h - what the lab is made of, as tables every part of the
 * grader reads: the tasks (their files and kinds), the checks of each task
 * (their ids, titles and default points: the rubric's defaults), and the
 * scenarios a program is run in (and the command that shows each by hand). */
#ifndef MMGRADE_CATALOG_H
#define MMGRADE_CATALOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum task_id { TASK_2_1, TASK_2_2, TASK_2_3, TASK_2_4, TASK_2_5, TASK_COUNT };

enum task_kind {
    TASK_PROGRAM, /* a C program, built and run (2.1-2.3), with a report beside it */
    TASK_REPORT,  /* a report only (2.4) */
    TASK_SCRIPT,  /* analyse.sh, run on a live process (2.5) */
};

struct task_def {
    const char *id;           /* "2.1" */
    enum task_kind kind;
    const char *file, *alias; /* the file that must be there; alias: a spelling accepted too */
    const char *program;      /* TASK_PROGRAM: the binary's name */
    bool flat;                /* found at the top of a flat upload */
    bool has_report;          /* a REPORT.md beside the file */
};

extern const struct task_def catalog_tasks[TASK_COUNT];

/* The task called name ("2.3"), or NULL. */
const struct task_def *catalog_task(const char *name);
enum task_id catalog_task_id(const struct task_def *task);

struct check_def {
    enum task_id task;
    const char *id, *title;
    double points; /* by default; an instructor's rubric file changes it */
};

/* Every check, in the rubric's order: tasks in order, each task's checks in
 * the order its report lists them. */
extern const struct check_def catalog_checks[];
extern const size_t catalog_check_count;
/* The check id of task, or NULL. */
const struct check_def *catalog_check(enum task_id task, const char *id);

enum scenario {
    SCENARIO_DEFAULT,  /* no argument, Enter at each pause */
    SCENARIO_SMALL,    /* the small hidden size, with ballast mapped before main */
    SCENARIO_LARGE,    /* the large hidden size */
    SCENARIO_FAIL,     /* every mmap of the program fails */
    SCENARIO_EOF,      /* stdin at end-of-file from the start */
    SCENARIO_VALGRIND, /* under memcheck */
    SCENARIO_BAD_FIRST,
    SCENARIO_BAD_LAST = SCENARIO_BAD_FIRST + 4, /* the contract's five invalid arguments */
    SCENARIO_COUNT
};

enum scenario_size { SIZE_NONE, SIZE_SMALL, SIZE_LARGE };

struct scenario_def {
    const char *name;        /* for --verbose */
    enum scenario_size size; /* the SIZE argument it passes */
    const char *args[3];     /* or these fixed arguments, NULL-ended */
    bool stdin_eof, inject_failure, ballast, valgrind;
    bool all_tasks;          /* task 2.1 runs it too (2.1 takes no argument) */
};

extern const struct scenario_def catalog_scenarios[SCENARIO_COUNT];

/* Whether task runs scenario sc. */
bool catalog_runs(enum task_id task, enum scenario sc);
/* The arguments scenario sc passes, NULL-ended, SIZE written into size_buf. */
void catalog_scenario_args(enum scenario sc, uint64_t small, uint64_t large, char *size_buf, size_t cap,
                           const char *args[3]);
/* The shell command that runs scenario sc of program by hand, as the
 * student would: "./mmap_demo 9240", "./mmap_demo < /dev/null", ... */
void catalog_scenario_command(enum scenario sc, const char *program, uint64_t small, uint64_t large,
                              const char *shim, char *buf, size_t cap);

#endif
