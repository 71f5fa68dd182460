/* options.h - what the grade command is told: its options as a table (from
 * which cli.c makes the parsing and --help), their values checked, and what
 * the environment adds. */
#ifndef MMGRADE_OPTIONS_H
#define MMGRADE_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>

#include "cli.h"
#include "isolation.h"
#include "render/render.h"
#include "session.h"
#include "submission.h"
#include "tasks/catalog.h"

struct options {
    bool named[TASK_COUNT];   /* asked for by --task */
    enum task_id tasks[TASK_COUNT];
    size_t ntasks;
    enum format format;
    const char *output, *rubric;
    const char *results;      /* --results: a folder for every format */
    struct seed_source seed;
    double timeout_s, submission_s;
    struct run_limits limits;
    bool cpu_set;             /* --limit cpu=N; else the timeout */
    enum isolation_wish isolation;
    bool require_all, verbose, print_rubric;
    int read_fault;           /* MMGRADE_READ_FAULT: -1 to probe, else 1 allocates, 0 maps the zero page */
};

extern const struct cli_command grade_command;

/* The defaults: every limit of docs/grader.md, all tasks (once parsed). */
void options_init(struct options *o);
/* Takes one option of grade_command (cli_parse's handler); false, saying
 * why on stderr, when its value is not one it takes. */
bool options_take(int id, const char *value, void *o);
/* After parsing: no --task is every task; the environment's variables.
 * False, saying why on stderr, when one of them is wrong. */
bool options_finish(struct options *o);
/* Takes the grade command's option called name (no "--"), as
 * options_take does: batch checks what it passes on to each grading. */
bool options_take_named(const char *name, const char *value, struct options *o);
/* "memory=512": sets one of the limits; false when NAME or N is not one. */
bool options_parse_limit(const char *text, struct options *o);

#endif
