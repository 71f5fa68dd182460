/* result.c - the result model: one verdict per check, with its feedback
 * and the measurements behind it, per task and per submission. */
#define _GNU_SOURCE
#include "result.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tasks/catalog.h"
#include "text.h"
#include "xalloc.h"

struct check_result *result_add(struct task_result *t, const char *id)
{
    const struct task_def *task = catalog_task(t->task);
    struct check_result *c;

    /* a check the catalog does not list is a bug in the grader */
    if (t->nchecks == MAX_CHECKS || !task || !catalog_check(catalog_task_id(task), id))
        abort();
    c = &t->checks[t->nchecks++];
    memset(c, 0, sizeof *c);
    c->task = t->task;
    c->id = id;
    c->status = CHECK_FAILED;
    return c;
}

static void check_vnote(struct check_result *c, const char *fmt, va_list ap)
{
    char *raw = xvasprintf(fmt, ap), *line;

    /* Feedback quotes student output: keep every renderer's text valid
     * UTF-8 with no terminal escapes in it. */
    line = text_clean(raw);
    free(raw);
    raw = c->feedback;
    c->feedback = xasprintf("%s%s%s", raw ? raw : "", raw ? "\n" : "", line);
    free(raw);
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
    va_start(ap, fmt);
    check_vnote(c, fmt, ap);
    va_end(ap);
}

void check_fail(struct check_result *c, const char *fmt, ...)
{
    va_list ap;

    c->status = CHECK_FAILED;
    va_start(ap, fmt);
    check_vnote(c, fmt, ap);
    va_end(ap);
}

void check_not_run(struct check_result *c, const char *fmt, ...)
{
    va_list ap;

    c->status = CHECK_NOT_RUN;
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

double result_score(const struct check_result *checks, size_t n, double *max)
{
    double score = 0, total = 0;

    for (size_t i = 0; i < n; i++) {
        score += checks[i].points;
        total += checks[i].max_points;
    }
    if (max)
        *max = total;
    return score;
}

double result_task_score(const struct task_result *t, double *max)
{
    return result_score(t->checks, t->nchecks, max);
}

double result_report_score(const struct grade_report *r, double *max)
{
    double score = 0, total = 0, task_max;

    for (size_t t = 0; t < r->ntasks; t++) {
        score += result_task_score(&r->tasks[t], &task_max);
        total += task_max;
    }
    if (max)
        *max = total;
    return score;
}

void task_result_free(struct task_result *t)
{
    for (size_t i = 0; i < t->nchecks; i++) {
        free(t->checks[i].feedback);
        free(t->checks[i].file);
        cJSON_Delete(t->checks[i].observed);
    }
    t->nchecks = 0;
}

void report_free(struct grade_report *r)
{
    for (size_t t = 0; t < r->ntasks; t++)
        task_result_free(&r->tasks[t]);
    free(r->note);
    r->note = NULL;
}

void result_fail_rest(struct task_result *t, const char *why)
{
    enum task_id task = catalog_task_id(catalog_task(t->task));

    for (size_t k = 0; k < catalog_check_count; k++) {
        bool present = false;

        if (catalog_checks[k].task != task)
            continue;
        for (size_t i = 0; i < t->nchecks; i++)
            present |= strcmp(t->checks[i].id, catalog_checks[k].id) == 0;
        if (!present)
            check_fail(result_add(t, catalog_checks[k].id), "%s", why);
    }
}

static size_t catalog_rank(const char *task, const char *id)
{
    const struct check_def *c = catalog_check(catalog_task_id(catalog_task(task)), id);

    return (size_t)(c - catalog_checks);
}

void result_sort(struct task_result *t)
{
    /* insertion sort: a dozen checks, already nearly in order */
    for (size_t i = 1; i < t->nchecks; i++) {
        struct check_result c = t->checks[i];
        size_t rank = catalog_rank(t->task, c.id), k = i;

        for (; k > 0 && catalog_rank(t->task, t->checks[k - 1].id) > rank; k--)
            t->checks[k] = t->checks[k - 1];
        t->checks[k] = c;
    }
}
