/* render.c - render a grade report: text for people, JSON for Gradescope. */
#define _GNU_SOURCE
#include "render.h"

#include <string.h>

#include <cjson/cJSON.h>

static const char *status_word(enum check_status s)
{
    return s == CHECK_PASSED ? "passed" : s == CHECK_FAILED ? "failed" : "not run";
}

void render_text(const struct grade_report *r, FILE *out, bool colour)
{
    const char *green = colour ? "\033[32m" : "", *red = colour ? "\033[31m" : "",
               *yellow = colour ? "\033[33m" : "", *reset = colour ? "\033[0m" : "";
    double max, score = report_score(r, &max);

    fprintf(out, "mmgrade: %s (seed %llu, sizes %llu and %llu bytes)\n", r->submission,
            (unsigned long long)r->seed, (unsigned long long)r->small_size, (unsigned long long)r->large_size);
    for (size_t t = 0; t < r->ntasks; t++) {
        const struct task_result *task = &r->tasks[t];
        double ts = 0, tm = 0;

        for (size_t i = 0; i < task->nchecks; i++) {
            ts += task->checks[i].points;
            tm += task->checks[i].max_points;
        }
        fprintf(out, "\nTask %s%s  %g/%g\n", task->task, task->missing ? " (missing: its files were not found)" : "", ts, tm);
        for (size_t i = 0; i < task->nchecks; i++) {
            const struct check_result *c = &task->checks[i];
            const char *col = c->status == CHECK_PASSED ? green : c->status == CHECK_FAILED ? red : yellow;

            fprintf(out, "  %s%-7s%s %-13s %4g/%-3g %s\n", col, status_word(c->status), reset, c->id, c->points,
                    c->max_points, c->title);
        }
        if (task->ntimeline) {
            fprintf(out, "  timeline (large size):  %-24s %9s %9s %s\n", "stage", "VSZ KiB", "RSS KiB", "mapping resident");
            for (size_t i = 0; i < task->ntimeline; i++) {
                const struct stage_view *v = &task->timeline[i];
                char res[48] = "";

                if (v->total_pages >= 0)
                    snprintf(res, sizeof res, "%ld/%ld pages", v->own_pages, v->total_pages);
                fprintf(out, "                          %-24s %9ld %9ld %s\n", v->label, v->vsz_kib, v->rss_kib, res);
            }
        }
        for (size_t i = 0; i < task->nchecks; i++) {
            const struct check_result *c = &task->checks[i];

            if (c->status != CHECK_PASSED && c->feedback) {
                fprintf(out, "\n  %s%s %s%s:\n", c->status == CHECK_FAILED ? red : yellow, c->task, c->id, reset);
                for (const char *line = c->feedback; line && *line;) {
                    const char *nl = strchr(line, '\n');
                    int n = nl ? (int)(nl - line) : (int)strlen(line);

                    fprintf(out, "    %.*s\n", n, line);
                    line = nl ? nl + 1 : NULL;
                }
            }
        }
    }
    fprintf(out, "\nTotal: %g/%g%s\n", score, max, r->incomplete ? " (incomplete: some checks were not run)" : "");
}

bool render_json(const struct grade_report *r, FILE *out)
{
    cJSON *root = cJSON_CreateObject(), *tests = cJSON_AddArrayToObject(root, "tests");
    double max, score = report_score(r, &max);
    char summary[256], *text;

    snprintf(summary, sizeof summary, "%g/%g%s", score, max, r->incomplete ? " (incomplete: some checks were not run)" : "");
    cJSON_AddNumberToObject(root, "score", score);
    cJSON_AddNumberToObject(root, "execution_time", (int)(r->seconds + 0.5));
    cJSON_AddStringToObject(root, "output", summary);
    cJSON_AddStringToObject(root, "visibility", "visible");
    for (size_t t = 0; t < r->ntasks; t++)
        for (size_t i = 0; i < r->tasks[t].nchecks; i++) {
            const struct check_result *c = &r->tasks[t].checks[i];
            cJSON *test = cJSON_CreateObject(), *extra;
            char name[160];

            snprintf(name, sizeof name, "%s %s: %s", c->task, c->id, c->title);
            cJSON_AddStringToObject(test, "name", name);
            cJSON_AddNumberToObject(test, "score", c->points);
            cJSON_AddNumberToObject(test, "max_score", c->max_points);
            cJSON_AddStringToObject(test, "status", c->status == CHECK_PASSED ? "passed" : "failed");
            cJSON_AddStringToObject(test, "output", c->feedback ? c->feedback : "");
            cJSON_AddStringToObject(test, "visibility", "visible");
            extra = cJSON_AddObjectToObject(test, "extra_data");
            cJSON_AddStringToObject(extra, "task", c->task);
            cJSON_AddStringToObject(extra, "check", c->id);
            cJSON_AddStringToObject(extra, "status", status_word(c->status));
            cJSON_AddNumberToObject(extra, "seed", (double)r->seed);
            cJSON_AddNumberToObject(extra, "small_size", (double)r->small_size);
            cJSON_AddNumberToObject(extra, "large_size", (double)r->large_size);
            cJSON_AddItemToObject(extra, "observed", c->observed ? cJSON_Duplicate(c->observed, 1) : cJSON_CreateObject());
            cJSON_AddItemToArray(tests, test);
        }
    text = cJSON_Print(root);
    cJSON_Delete(root);
    if (!text)
        return false;
    fprintf(out, "%s\n", text);
    cJSON_free(text);
    return true;
}
