/* text.c - the text report, for people: per task a table of checks, the
 * timeline of the large-size run, and the feedback of each failed check. */
#include "render.h"

#include <string.h>

#include "common.h"

struct palette {
    const char *green, *red, *yellow, *reset;
};

static const char *status_colour(const struct palette *p, enum check_status s)
{
    return s == CHECK_PASSED ? p->green : s == CHECK_FAILED ? p->red : p->yellow;
}

/* Writes text with prefix before each of its lines. */
static void put_indented(FILE *out, const char *prefix, const char *text)
{
    for (const char *line = text; line && *line;) {
        const char *nl = strchr(line, '\n');
        int n = nl ? (int)(nl - line) : (int)strlen(line);

        fprintf(out, "%s%.*s\n", prefix, n, line);
        line = nl ? nl + 1 : NULL;
    }
}

static void put_timeline(FILE *out, const struct task_result *task)
{
    if (!task->ntimeline)
        return;
    fprintf(out, "  timeline (large size):  %-24s %9s %9s %s\n", "stage", "VSZ KiB", "RSS KiB", "mapping resident");
    for (size_t i = 0; i < task->ntimeline; i++) {
        const struct stage_view *v = &task->timeline[i];
        char res[48] = "";

        if (v->total_pages >= 0)
            snprintf(res, sizeof res, "%ld/%ld pages", v->own_pages, v->total_pages);
        fprintf(out, "                          %-24s %9ld %9ld %s\n", v->label, v->vsz_kib, v->rss_kib, res);
    }
}

static void put_task(FILE *out, const struct grade_report *r, const struct task_result *task, const struct palette *p)
{
    double tm, ts = result_task_score(task, &tm);

    fprintf(out, "\nTask %s%s  %g/%g\n", task->task, task->missing ? " (missing: its files were not found)" : "", ts, tm);
    for (size_t i = 0; i < task->nchecks; i++) {
        const struct check_result *c = &task->checks[i];

        fprintf(out, "  %s%-7s%s %-17s %4g/%-3g %s\n", status_colour(p, c->status), render_status_word(c->status),
                p->reset, c->id, c->points, c->max_points, c->title);
    }
    put_timeline(out, task);
    for (size_t i = 0; i < task->nchecks; i++) {
        const struct check_result *c = &task->checks[i];

        if ((c->status != CHECK_PASSED || r->verbose) && c->feedback) {
            fprintf(out, "\n  %s%s %s%s:\n", status_colour(p, c->status), c->task, c->id, p->reset);
            put_indented(out, "    ", c->feedback);
        }
    }
}

bool render_text(const struct grade_report *r, FILE *out, bool colour)
{
    static const struct palette plain = {"", "", "", ""}, ansi = {"\033[32m", "\033[31m", "\033[33m", "\033[0m"};
    double max, score = result_report_score(r, &max);

    fprintf(out, "mmgrade: %s (seed %llu, sizes %llu and %llu bytes)\n", r->submission, (unsigned long long)r->seed,
            (unsigned long long)r->small_size, (unsigned long long)r->large_size);
    if (r->note)
        fprintf(out, "note: %s\n", r->note);
    fprintf(out, "isolation: %s\n", render_isolation(r));
    fprintf(out, "kernel: a read of a fresh page %s (%s)\n", render_read_fault(r),
            r->read_fault_forced ? "MMGRADE_READ_FAULT" : "probed");
    for (size_t t = 0; t < r->ntasks; t++)
        put_task(out, r, &r->tasks[t], colour ? &ansi : &plain);
    fprintf(out, "\nTotal: %g/%g%s\n", score, max, render_incomplete_note(r));
    return !ferror(out);
}
