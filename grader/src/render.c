/* render.c - render a grade report from the one result model: text for
 * people, Gradescope JSON, Markdown for CI summaries, JUnit XML for CI
 * test reporters. */
#define _GNU_SOURCE
#include "render.h"

#include <stdarg.h>
#include <string.h>

#include <cjson/cJSON.h>
#include <libxml/xmlwriter.h>

static const char *status_word(enum check_status s)
{
    return s == CHECK_PASSED ? "passed" : s == CHECK_FAILED ? "failed" : "not run";
}

static double task_score(const struct task_result *t, double *max)
{
    double score = 0, total = 0;

    for (size_t i = 0; i < t->nchecks; i++) {
        score += t->checks[i].points;
        total += t->checks[i].max_points;
    }
    *max = total;
    return score;
}

static const char *read_fault_text(const struct grade_report *r)
{
    return r->read_allocates ? "allocates a page" : "maps the shared zero page";
}

static const char *incomplete_note(const struct grade_report *r)
{
    return r->incomplete ? " (incomplete: some checks were not run)" : "";
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

void render_text(const struct grade_report *r, FILE *out, bool colour)
{
    const char *green = colour ? "\033[32m" : "", *red = colour ? "\033[31m" : "",
               *yellow = colour ? "\033[33m" : "", *reset = colour ? "\033[0m" : "";
    double max, score = report_score(r, &max);

    fprintf(out, "mmgrade: %s (seed %llu, sizes %llu and %llu bytes)\n", r->submission,
            (unsigned long long)r->seed, (unsigned long long)r->small_size, (unsigned long long)r->large_size);
    fprintf(out, "isolation: %s\n", r->isolation ? r->isolation : "none");
    fprintf(out, "kernel: a read of a fresh page %s (%s)\n", read_fault_text(r),
            r->read_fault_forced ? "MMGRADE_READ_FAULT" : "probed");
    for (size_t t = 0; t < r->ntasks; t++) {
        const struct task_result *task = &r->tasks[t];
        double tm, ts = task_score(task, &tm);

        fprintf(out, "\nTask %s%s  %g/%g\n", task->task, task->missing ? " (missing: its files were not found)" : "", ts, tm);
        for (size_t i = 0; i < task->nchecks; i++) {
            const struct check_result *c = &task->checks[i];
            const char *col = c->status == CHECK_PASSED ? green : c->status == CHECK_FAILED ? red : yellow;

            fprintf(out, "  %s%-7s%s %-17s %4g/%-3g %s\n", col, status_word(c->status), reset, c->id, c->points,
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

            if ((c->status != CHECK_PASSED || r->verbose) && c->feedback) {
                fprintf(out, "\n  %s%s %s%s:\n", c->status == CHECK_PASSED ? green : c->status == CHECK_FAILED ? red : yellow,
                        c->task, c->id, reset);
                put_indented(out, "    ", c->feedback);
            }
        }
    }
    fprintf(out, "\nTotal: %g/%g%s\n", score, max, incomplete_note(r));
}

bool render_json(const struct grade_report *r, FILE *out)
{
    cJSON *root = cJSON_CreateObject(), *tests = cJSON_AddArrayToObject(root, "tests");
    double max, score = report_score(r, &max);
    char summary[256], *text;

    snprintf(summary, sizeof summary, "%g/%g%s", score, max, incomplete_note(r));
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
            /* Gradescope knows only passed and failed; extra_data keeps "not run" */
            cJSON_AddStringToObject(test, "status", c->status == CHECK_PASSED ? "passed" : "failed");
            cJSON_AddStringToObject(test, "output", c->feedback ? c->feedback : "");
            cJSON_AddStringToObject(test, "visibility", c->visibility);
            extra = cJSON_AddObjectToObject(test, "extra_data");
            cJSON_AddStringToObject(extra, "task", c->task);
            cJSON_AddStringToObject(extra, "check", c->id);
            cJSON_AddStringToObject(extra, "status", status_word(c->status));
            cJSON_AddNumberToObject(extra, "seed", (double)r->seed);
            cJSON_AddNumberToObject(extra, "small_size", (double)r->small_size);
            cJSON_AddNumberToObject(extra, "large_size", (double)r->large_size);
            cJSON_AddStringToObject(extra, "isolation", r->isolation ? r->isolation : "none");
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

bool render_markdown(const struct grade_report *r, FILE *out)
{
    double max, score = report_score(r, &max);

    fprintf(out, "## mmgrade: %g/%g%s\n\n", score, max, incomplete_note(r));
    fprintf(out, "Submission `%s`, seed %llu, hidden sizes %llu and %llu bytes; isolation: %s; a read of a fresh "
                 "page %s.\n", r->submission,
            (unsigned long long)r->seed, (unsigned long long)r->small_size, (unsigned long long)r->large_size,
            r->isolation ? r->isolation : "none", read_fault_text(r));
    for (size_t t = 0; t < r->ntasks; t++) {
        const struct task_result *task = &r->tasks[t];
        double tm, ts = task_score(task, &tm);

        fprintf(out, "\n### Task %s: %g/%g%s\n\n", task->task, ts, tm, task->missing ? " (missing: its files were not found)" : "");
        fprintf(out, "| | Check | Points | What it checks |\n|---|---|---:|---|\n");
        for (size_t i = 0; i < task->nchecks; i++) {
            const struct check_result *c = &task->checks[i];

            fprintf(out, "| %s | `%s` | %g/%g | %s |\n", status_icon(c->status), c->id, c->points, c->max_points, c->title);
        }
        if (task->ntimeline) {
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
    return !ferror(out);
}

static int junit_count(const struct task_result *t, enum check_status s)
{
    int n = 0;

    for (size_t i = 0; i < t->nchecks; i++)
        n += t->checks[i].status == s;
    return n;
}

static int junit_attr(xmlTextWriterPtr w, const char *name, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int junit_attr(xmlTextWriterPtr w, const char *name, const char *fmt, ...)
{
    char value[512];
    va_list ap;

    size_t n;

    va_start(ap, fmt);
    vsnprintf(value, sizeof value, fmt, ap);
    va_end(ap);
    /* a cut may have split a UTF-8 sequence at the end: drop its bytes */
    n = strlen(value);
    for (size_t back = 1; back <= 4 && back <= n; back++) {
        unsigned char b = (unsigned char)value[n - back];

        if ((b & 0xc0) == 0x80)
            continue;
        if (b >= 0xc0 && back < (b >= 0xf0 ? 4u : b >= 0xe0 ? 3u : 2u))
            value[n - back] = '\0';
        break;
    }
    return xmlTextWriterWriteAttribute(w, BAD_CAST name, BAD_CAST value);
}

/* One <testsuite> per task, one <testcase> per check: the layout that
 * CI test reporters (GitHub, GitLab, Jenkins) read. */
bool render_junit(const struct grade_report *r, FILE *out)
{
    xmlBufferPtr buf = xmlBufferCreate();
    xmlTextWriterPtr w = buf ? xmlNewTextWriterMemory(buf, 0) : NULL;
    double max, score = report_score(r, &max);
    int failures = 0, skipped = 0, total = 0, rc = 0;
    bool ok;

    if (!w) {
        xmlBufferFree(buf);
        return false;
    }
    for (size_t t = 0; t < r->ntasks; t++) {
        failures += junit_count(&r->tasks[t], CHECK_FAILED);
        skipped += junit_count(&r->tasks[t], CHECK_NOT_RUN);
        total += (int)r->tasks[t].nchecks;
    }
    xmlTextWriterSetIndent(w, 1);
    rc |= xmlTextWriterStartDocument(w, NULL, "UTF-8", NULL) < 0;
    rc |= xmlTextWriterStartElement(w, BAD_CAST "testsuites") < 0;
    rc |= junit_attr(w, "name", "mmgrade %s: %g/%g", r->submission, score, max) < 0;
    rc |= junit_attr(w, "tests", "%d", total) < 0;
    rc |= junit_attr(w, "failures", "%d", failures) < 0;
    rc |= junit_attr(w, "skipped", "%d", skipped) < 0;
    rc |= junit_attr(w, "time", "%.3f", r->seconds) < 0;
    rc |= xmlTextWriterStartElement(w, BAD_CAST "properties") < 0;
    rc |= xmlTextWriterStartElement(w, BAD_CAST "property") < 0;
    rc |= junit_attr(w, "name", "isolation") < 0;
    rc |= junit_attr(w, "value", "%s", r->isolation ? r->isolation : "none") < 0;
    rc |= xmlTextWriterEndElement(w) < 0;
    rc |= xmlTextWriterEndElement(w) < 0;
    for (size_t t = 0; t < r->ntasks; t++) {
        const struct task_result *task = &r->tasks[t];
        double tm, ts = task_score(task, &tm);

        rc |= xmlTextWriterStartElement(w, BAD_CAST "testsuite") < 0;
        rc |= junit_attr(w, "name", "task %s", task->task) < 0;
        rc |= junit_attr(w, "tests", "%zu", task->nchecks) < 0;
        rc |= junit_attr(w, "failures", "%d", junit_count(task, CHECK_FAILED)) < 0;
        rc |= junit_attr(w, "skipped", "%d", junit_count(task, CHECK_NOT_RUN)) < 0;
        rc |= xmlTextWriterStartElement(w, BAD_CAST "properties") < 0;
        rc |= xmlTextWriterStartElement(w, BAD_CAST "property") < 0;
        rc |= junit_attr(w, "name", "score") < 0;
        rc |= junit_attr(w, "value", "%g/%g", ts, tm) < 0;
        rc |= xmlTextWriterEndElement(w) < 0;
        rc |= xmlTextWriterEndElement(w) < 0;
        for (size_t i = 0; i < task->nchecks; i++) {
            const struct check_result *c = &task->checks[i];
            const char *feedback = c->feedback ? c->feedback : "";

            rc |= xmlTextWriterStartElement(w, BAD_CAST "testcase") < 0;
            rc |= junit_attr(w, "classname", "mmgrade.%s", c->task) < 0;
            rc |= junit_attr(w, "name", "%s: %s (%g/%g)", c->id, c->title, c->points, c->max_points) < 0;
            if (c->status == CHECK_FAILED) {
                rc |= xmlTextWriterStartElement(w, BAD_CAST "failure") < 0;
                rc |= junit_attr(w, "message", "%.200s", c->title) < 0;
                rc |= xmlTextWriterWriteString(w, BAD_CAST feedback) < 0;
                rc |= xmlTextWriterEndElement(w) < 0;
            } else if (c->status == CHECK_NOT_RUN) {
                rc |= xmlTextWriterStartElement(w, BAD_CAST "skipped") < 0;
                rc |= junit_attr(w, "message", "%.400s", feedback) < 0;
                rc |= xmlTextWriterEndElement(w) < 0;
            } else {
                rc |= xmlTextWriterWriteElement(w, BAD_CAST "system-out", BAD_CAST feedback) < 0;
            }
            rc |= xmlTextWriterEndElement(w) < 0;
        }
        rc |= xmlTextWriterEndElement(w) < 0;
    }
    rc |= xmlTextWriterEndDocument(w) < 0;
    xmlFreeTextWriter(w);
    ok = rc == 0 && fputs((const char *)xmlBufferContent(buf), out) >= 0;
    xmlBufferFree(buf);
    return ok;
}
