/* markdown.c - the report as Markdown for a CI job summary: the score, a
 * table of checks per task with the timeline, each failure's feedback in
 * a collapsed block. */
#include "render.h"

#include <string.h>

#include "common.h"

/* A code fence longer than any run of backticks in text, so that no
 * student output can close it early. */
static void fence_for(const char *text, char *fence, size_t cap)
{
    size_t longest = 0, run = 0, n;

    for (const char *p = text; *p; p++) {
        run = *p == '`' ? run + 1 : 0;
        if (run > longest)
            longest = run;
    }
    n = longest < 3 ? 3 : longest + 1;
    if (n >= cap)
        n = cap - 1;
    memset(fence, '`', n);
    fence[n] = '\0';
}

static const char *status_icon(enum check_status s)
{
    return s == CHECK_PASSED ? "✅" : s == CHECK_FAILED ? "❌" : "⚠️";
}

static void put_timeline(FILE *out, const struct task_result *task)
{
    if (!task->ntimeline)
        return;
    fprintf(out, "\nWhat the grader saw with the large size:\n\n"
                 "| Stage | VSZ (KiB) | RSS (KiB) | Mapping resident |\n|---|---:|---:|---:|\n");
    for (size_t i = 0; i < task->ntimeline; i++) {
        const struct stage_view *v = &task->timeline[i];

        fprintf(out, "| %s | %ld | %ld | ", v->label, v->vsz_kib, v->rss_kib);
        if (v->total_pages >= 0)
            fprintf(out, "%ld/%ld pages |\n", v->own_pages, v->total_pages);
        else
            fprintf(out, " |\n");
    }
}

static void put_task(FILE *out, const struct task_result *task)
{
    double tm, ts = result_task_score(task, &tm);

    fprintf(out, "\n### Task %s: %g/%g%s\n\n", task->task, ts, tm, task->missing ? " (missing: its files were not found)" : "");
    fprintf(out, "| | Check | Points | What it checks |\n|---|---|---:|---|\n");
    for (size_t i = 0; i < task->nchecks; i++) {
        const struct check_result *c = &task->checks[i];

        fprintf(out, "| %s | `%s` | %g/%g | %s |\n", status_icon(c->status), c->id, c->points, c->max_points, c->title);
    }
    put_timeline(out, task);
    for (size_t i = 0; i < task->nchecks; i++) {
        const struct check_result *c = &task->checks[i];
        char fence[64];

        if (c->status == CHECK_PASSED || !c->feedback)
            continue;
        fence_for(c->feedback, fence, sizeof fence);
        fprintf(out, "\n<details><summary>%s %s <code>%s</code>: %s</summary>\n\n%stext\n%s\n%s\n\n</details>\n",
                status_icon(c->status), c->task, c->id, c->title, fence, c->feedback, fence);
    }
}

bool render_markdown(const struct grade_report *r, FILE *out)
{
    double max, score = result_report_score(r, &max);

    fprintf(out, "## mmgrade: %g/%g%s\n\n", score, max, render_incomplete_note(r));
    fprintf(out, "Submission `%s`, seed %llu, hidden sizes %llu and %llu bytes; isolation: %s; a read of a fresh "
                 "page %s.\n",
            r->submission, (unsigned long long)r->seed, (unsigned long long)r->small_size,
            (unsigned long long)r->large_size, render_isolation(r), render_read_fault(r));
    if (r->note)
        fprintf(out, "\n%s\n", r->note);
    for (size_t t = 0; t < r->ntasks; t++)
        put_task(out, &r->tasks[t]);
    return !ferror(out);
}
