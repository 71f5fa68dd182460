/* result.c - the result model: one verdict per check, with its points,
 * feedback and the measurements behind it; and the default rubric. */
#define _GNU_SOURCE
#include "result.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct rubric_entry {
    const char *task, *check, *title;
    double points;
};

/* The default rubric: 100 points over the kit (docs/rubric.md). */
static const struct rubric_entry rubric[] = {
    {"2.1", "build", "compiles with the build line", 2},
    {"2.1", "runs", "runs to the end and exits 0", 2},
    {"2.1", "maps_page", "mmap is called with the contract's arguments", 3},
    {"2.1", "uses_memory", "the message is written into the page and read back", 2},
    {"2.1", "munmap", "munmap removes the page, and nothing else", 3},
    {"2.1", "mmap_failure", "a failed mmap is reported on stderr, exit non-zero", 2},
    {"2.1", "valgrind", "valgrind reports no errors and no leaks", 1},

    {"2.2", "build", "compiles with the build line", 1},
    {"2.2", "runs", "runs to the end and exits 0", 2},
    {"2.2", "stages", "the four stages, each with its ps table", 3},
    {"2.2", "honest", "the tables are the process's own measurements", 3},
    {"2.2", "vsz_grows", "VSZ grows by the mapping after mmap", 2},
    {"2.2", "rss_order", "RSS grows when pages are written, not at mmap", 2},
    {"2.2", "munmap", "munmap removes the whole mapping, and nothing else", 2},
    {"2.2", "mmap_failure", "a failed mmap is reported on stderr, exit non-zero", 2},
    {"2.2", "size_arg", "SIZE is honoured, bad arguments rejected", 2},
    {"2.2", "valgrind", "valgrind reports no errors and no leaks", 1},

    {"2.3", "build", "compiles with the build line", 1},
    {"2.3", "runs", "runs to the end, with Enter and with stdin at EOF", 2},
    {"2.3", "stages", "the four stages, each with its ps table", 2},
    {"2.3", "pauses", "pauses twice while the mapping exists", 4},
    {"2.3", "honest", "the tables are the process's own measurements", 3},
    {"2.3", "vsz_grows", "VSZ grows by the mapping after mmap", 1},
    {"2.3", "rss_order", "RSS grows when pages are written, not at mmap", 2},
    {"2.3", "lazy", "no page of the mapping is resident at pause 1", 4},
    {"2.3", "resident", "every page of the mapping is resident at pause 2", 3},
    {"2.3", "region", "maps shows the mapping, and the printed address is in it", 3},
    {"2.3", "munmap", "munmap removes the whole mapping, and nothing else", 2},
    {"2.3", "mmap_failure", "a failed mmap is reported on stderr, exit non-zero", 1},
    {"2.3", "size_arg", "SIZE is honoured, bad arguments rejected", 1},
    {"2.3", "valgrind", "valgrind reports no errors and no leaks", 1},
};

const char *const rubric_tasks[] = {"2.1", "2.2", "2.3", NULL};

bool rubric_lookup(const char *task, const char *check, const char **title, double *points)
{
    for (size_t i = 0; i < sizeof rubric / sizeof rubric[0]; i++)
        if (strcmp(rubric[i].task, task) == 0 && strcmp(rubric[i].check, check) == 0) {
            *title = rubric[i].title;
            *points = rubric[i].points;
            return true;
        }
    return false;
}

struct check_result *result_add(struct task_result *t, const char *id)
{
    struct check_result *c;

    if (t->nchecks == MAX_CHECKS)
        abort();
    c = &t->checks[t->nchecks++];
    memset(c, 0, sizeof *c);
    c->task = t->task;
    c->id = id;
    if (!rubric_lookup(t->task, id, &c->title, &c->max_points))
        abort(); /* a check without a rubric line is a bug in the grader */
    c->status = CHECK_FAILED;
    return c;
}

static void check_vnote(struct check_result *c, const char *fmt, va_list ap)
{
    char *line = NULL, *joined = NULL;

    if (vasprintf(&line, fmt, ap) < 0)
        return;
    if (asprintf(&joined, "%s%s%s", c->feedback ? c->feedback : "", c->feedback ? "\n" : "", line) >= 0) {
        free(c->feedback);
        c->feedback = joined;
    }
    free(line);
}

void check_note(struct check_result *c, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    check_vnote(c, fmt, ap);
    va_end(ap);
}

void check_pass(struct check_result *c, const char *fmt, ...)
{
    va_list ap;

    c->status = CHECK_PASSED;
    c->points = c->max_points;
    va_start(ap, fmt);
    check_vnote(c, fmt, ap);
    va_end(ap);
}

void check_fail(struct check_result *c, const char *fmt, ...)
{
    va_list ap;

    c->status = CHECK_FAILED;
    c->points = 0;
    va_start(ap, fmt);
    check_vnote(c, fmt, ap);
    va_end(ap);
}

void check_not_run(struct check_result *c, const char *fmt, ...)
{
    va_list ap;

    c->status = CHECK_NOT_RUN;
    c->points = 0;
    va_start(ap, fmt);
    check_vnote(c, fmt, ap);
    va_end(ap);
}

cJSON *check_observed(struct check_result *c)
{
    if (!c->observed)
        c->observed = cJSON_CreateObject();
    return c->observed;
}

double report_score(const struct grade_report *r, double *max)
{
    double score = 0, total = 0;

    for (size_t t = 0; t < r->ntasks; t++)
        for (size_t i = 0; i < r->tasks[t].nchecks; i++) {
            score += r->tasks[t].checks[i].points;
            total += r->tasks[t].checks[i].max_points;
        }
    if (max)
        *max = total;
    return score;
}

void report_free(struct grade_report *r)
{
    for (size_t t = 0; t < r->ntasks; t++)
        for (size_t i = 0; i < r->tasks[t].nchecks; i++) {
            free(r->tasks[t].checks[i].feedback);
            cJSON_Delete(r->tasks[t].checks[i].observed);
        }
}
