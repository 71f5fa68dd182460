/* grade.c - grade a submission: for each task asked for, its runner, then
 * the rubric's points; the runs of each task in a scratch folder of its
 * own, within the submission's time. */
#define _GNU_SOURCE
#include "grade.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tasks/reports.h"
#include "xalloc.h"

double grade_run_timeout(const struct task_run *run, double want)
{
    double left = run->deadline - session_now();

    return left < want ? left : want;
}

/* The task's own folder below scratch_root, which the sandbox's user must
 * be able to write; false when it cannot be handed over. */
static bool make_scratch(const struct grade_config *cfg, const char *scratch_root, const char *task, char *path,
                         size_t cap)
{
    snprintf(path, cap, "%s/%s", scratch_root, task);
    mkdir(path, 0700);
    return !sandbox_shares_user_ns(cfg->sandbox) || chown(path, cfg->sandbox->uid, cfg->sandbox->gid) == 0;
}

/* path relative to the submission's root, for CI annotations; NULL when
 * there is no path. */
static char *relative_path(const struct submission *sub, const char *path)
{
    size_t n = sub->root ? strlen(sub->root) : 0;

    if (!path)
        return NULL;
    if (n && strncmp(path, sub->root, n) == 0 && path[n] == '/')
        return xstrdup(path + n + 1);
    return xstrdup(strrchr(path, '/') ? strrchr(path, '/') + 1 : path);
}

/* The line a check's feedback points at: gcc's "FILE:LINE:" for the file
 * called base, else the first "line N:" (reports, shellcheck); 0 if none. */
static long feedback_line(const char *feedback, const char *base)
{
    size_t blen = base ? strlen(base) : 0;
    const char *p;
    long line;
    int used;

    if (!feedback)
        return 0;
    for (p = feedback; blen && (p = strstr(p, base)); p += blen)
        if (sscanf(p + blen, ":%ld:%n", &line, &used) == 1 && used > 0 && line > 0)
            return line;
    for (p = feedback; (p = strstr(p, "line ")); p += 5)
        if (sscanf(p + 5, "%ld%n", &line, &used) == 1 && p[5 + used] == ':' && line > 0)
            return line;
    return 0;
}

/* Which file of the submission each check of t concerns, and where. */
static void locate_checks(const struct submission *sub, enum task_id task, struct task_result *t)
{
    const char *program = sub->files[task];
    const char *report = catalog_tasks[task].kind == TASK_REPORT ? program : sub->reports[task];

    for (size_t i = 0; i < t->nchecks; i++) {
        struct check_result *c = &t->checks[i];
        const char *path = strncmp(c->id, "report_", 7) == 0 ? report : program;

        c->file = relative_path(sub, path);
        c->line = c->file ? feedback_line(c->feedback, strrchr(c->file, '/') ? strrchr(c->file, '/') + 1 : c->file)
                          : 0;
    }
}

bool run_list_add(struct run_list *l, const struct run_spec *spec, struct run_result *r)
{
    if (l->n == RUN_LIST_MAX)
        return false;
    l->specs[l->n] = spec;
    l->results[l->n++] = r;
    return true;
}

/* A task under way: its job, whichever kind. */
struct task_job {
    struct program_job *program;
    struct script_job *script;
};

/* Starts task's grading into t: reports are read at once, programs are
 * built and scripts set up, their runs added to runs. */
static void start_task(const struct task_run *run, enum task_id task, const struct submission *sub,
                       struct task_result *t, struct run_list *runs, struct task_job *job)
{
    switch (catalog_tasks[task].kind) {
    case TASK_REPORT:
        grade_report_file(sub->files[task], t);
        break;
    case TASK_SCRIPT:
        job->script = script_task_start(run, sub->files[task], t, runs);
        break;
    case TASK_PROGRAM:
        /* the report first: a failed build fails only the program's checks */
        grade_report_file(sub->reports[task], t);
        job->program = program_task_start(run, task, sub->files[task], t, runs);
        break;
    }
}

static void finish_task(struct task_job *job)
{
    if (job->program)
        program_task_finish(job->program);
    if (job->script)
        script_task_finish(job->script);
}

bool grade_submission(const struct grade_config *cfg, const struct submission *sub, const enum task_id *tasks,
                      size_t ntasks, const char *scratch_root, struct grade_report *report, char *err, size_t cap)
{
    double start = session_now();
    struct task_run runs[TASK_COUNT];
    struct task_job jobs[TASK_COUNT] = {0};
    char scratch[TASK_COUNT][PATH_MAX];
    struct run_list *list = xcalloc(1, sizeof *list);

    report->submission = sub->shown;
    report->note = sub->note ? xstrdup(sub->note) : NULL;
    report->seed = sub->seed;
    report->small_size = sub->small_size;
    report->large_size = sub->large_size;
    report->verbose = cfg->verbose;
    report->isolation = cfg->isolation;
    report->read_allocates = cfg->read_allocates;
    report->read_fault_forced = cfg->read_fault_forced;
    /* Every task's runs are made at once: they are independent, and most
     * of their time is waiting; a task's own order (build, then runs, then
     * judging) is kept by its start and its finish. */
    for (size_t i = 0; i < ntasks; i++) {
        struct task_result *t = &report->tasks[report->ntasks++];

        t->task = catalog_tasks[tasks[i]].id;
        runs[i] = (struct task_run){.cfg = cfg,
                                    .scratch = scratch[i],
                                    .deadline = cfg->submission_s > 0 ? start + cfg->submission_s : 1e300,
                                    .small_size = sub->small_size,
                                    .large_size = sub->large_size};
        if (!sub->files[tasks[i]]) {
            char why[160];

            t->missing = true;
            snprintf(why, sizeof why, "The task's file was not found in the submission (%s).",
                     catalog_tasks[tasks[i]].file);
            result_fail_rest(t, why);
        } else if (!make_scratch(cfg, scratch_root, t->task, scratch[i], sizeof scratch[i])) {
            snprintf(err, cap, "cannot give the sandbox's user its folder: %s", strerror(errno));
            free(list);
            return false;
        } else {
            start_task(&runs[i], tasks[i], sub, t, list, &jobs[i]);
        }
    }
    double started = session_now();
    session_run_all(list->specs, list->results, list->n);
    if (cfg->verbose)
        fprintf(stderr, "mmgrade: %zu runs side by side: %.2f s\n", list->n, session_now() - started);
    for (size_t i = 0; i < ntasks; i++) {
        struct task_result *t = &report->tasks[i];

        finish_task(&jobs[i]);
        result_sort(t);
        locate_checks(sub, tasks[i], t);
        rubric_score(cfg->rubric, t);
        for (size_t k = 0; k < t->nchecks; k++)
            report->incomplete |= t->checks[k].status == CHECK_NOT_RUN;
    }
    free(list);
    report->seconds = session_now() - start;
    return true;
}
