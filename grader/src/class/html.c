/* html.c - a class's grades as one self-contained HTML page (well-formed
 * XML too, so that a parser can hold it to its escaping): a histogram
 * of totals and a bar per check (inline SVG and CSS, nothing fetched), the
 * students that could not be graded and why, and each student's failed
 * checks with their feedback. Every text from a submission is escaped. */
#include "gradebook.h"

#include <math.h>
#include <string.h>

#define HISTOGRAM_BINS 10

static void put_html(FILE *out, const char *text)
{
    for (const char *p = text; *p; p++)
        switch (*p) {
        case '&':
            fputs("&amp;", out);
            break;
        case '<':
            fputs("&lt;", out);
            break;
        case '>':
            fputs("&gt;", out);
            break;
        case '"':
            fputs("&quot;", out);
            break;
        case '\'':
            fputs("&#39;", out);
            break;
        default:
            fputc(*p, out);
        }
}

static const char style[] =
    "body{font:15px/1.45 system-ui,-apple-system,'Segoe UI',sans-serif;color:#1d1d1f;max-width:1100px;"
    "margin:1.5em auto;padding:0 1em}"
    "h1{font-size:1.6em;margin:.2em 0}h2{font-size:1.25em;margin:1.6em 0 .5em;border-bottom:1px solid #ddd}"
    "table{border-collapse:collapse;width:100%}th,td{padding:.3em .6em;border-bottom:1px solid #e6e6e6;"
    "text-align:left;vertical-align:top}td.n,th.n{text-align:right;font-variant-numeric:tabular-nums;"
    "white-space:nowrap}code{font-size:.92em}"
    ".bar{display:inline-block;width:220px;height:12px;background:#e4e4e7;border-radius:3px;vertical-align:middle}"
    ".bar span{display:block;height:100%;background:#2f855a;border-radius:3px}"
    ".low span{background:#c05621}"
    "details{border-bottom:1px solid #e6e6e6;padding:.35em 0}summary{cursor:pointer}"
    "summary .score{font-variant-numeric:tabular-nums;color:#555;margin-left:.6em}"
    "pre{white-space:pre-wrap;overflow-wrap:anywhere;background:#f5f5f7;padding:.6em .8em;border-radius:4px;"
    "font-size:12.5px;margin:.3em 0 .8em}"
    ".failed{color:#b42318}.override{color:#6941c6}.muted{color:#666}"
    "svg text{font:12px system-ui,sans-serif;fill:#444}";

static void put_histogram(const struct gradebook *g, FILE *out)
{
    size_t bins[HISTOGRAM_BINS] = {0}, most = 1;
    /* whole-point bins: 92 points make bins of 10, the last one short */
    double width = g->max > HISTOGRAM_BINS ? ceil(g->max / HISTOGRAM_BINS) : 1;
    const int w = 640, h = 180, left = 36, bottom = 26, bar = (w - left) / HISTOGRAM_BINS;

    for (size_t i = 0; i < g->count; i++) {
        double t;
        size_t b;

        if (!g->students[i].graded)
            continue;
        t = gradebook_total(&g->students[i]);
        b = t <= 0 ? 0 : (size_t)(t / width);
        bins[b >= HISTOGRAM_BINS ? HISTOGRAM_BINS - 1 : b]++;
    }
    for (int b = 0; b < HISTOGRAM_BINS; b++)
        most = bins[b] > most ? bins[b] : most;
    fprintf(out, "<svg role=\"img\" aria-label=\"histogram of totals\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\">",
            w, h + bottom, w, h + bottom);
    fprintf(out, "<text x=\"0\" y=\"12\">%zu</text><text x=\"0\" y=\"%d\">0</text>", most, h);
    for (int b = 0; b < HISTOGRAM_BINS; b++) {
        int bh = (int)((double)bins[b] * (h - 20) / (double)most);

        fprintf(out, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"#2f855a\"><title>%g to %g: %zu</title></rect>",
                left + b * bar + 2, h - bh, bar - 4, bh, b * width, (b + 1) * width, bins[b]);
        if (bins[b])
            fprintf(out, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%zu</text>", left + b * bar + bar / 2,
                    h - bh - 4, bins[b]);
        fprintf(out, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%g</text>", left + b * bar, h + 16, b * width);
    }
    fprintf(out, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%g</text>", w - 2, h + 16,
            width * HISTOGRAM_BINS);
    fprintf(out, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#999\"/></svg>\n", left, h, w, h);
}

static void put_checks(const struct gradebook *g, FILE *out)
{
    fprintf(out, "<h2>Checks</h2>\n<table><tr><th>check</th><th class=\"n\">points</th><th class=\"n\">passed</th>"
                 "<th></th></tr>\n");
    for (size_t c = 0; c < g->nchecks; c++) {
        const struct gradebook_check *k = &g->checks[c];
        double share = k->graded ? (double)k->passed / (double)k->graded : 0;

        fprintf(out, "<tr><td>%s <code>", k->task);
        put_html(out, k->id);
        fprintf(out, "</code>: ");
        put_html(out, k->title);
        fprintf(out, "</td><td class=\"n\">%g</td><td class=\"n\">%zu of %zu</td>"
                     "<td><span class=\"bar%s\" title=\"%.0f %%\"><span style=\"width:%.1f%%\"></span></span></td></tr>\n",
                k->max, k->passed, k->graded, share < 0.5 ? " low" : "", 100 * share, 100 * share);
    }
    fprintf(out, "</table>\n");
}

static double task_max(const struct gradebook *g, const char *task)
{
    double max = 0;

    for (size_t c = 0; c < g->nchecks; c++)
        if (strcmp(g->checks[c].task, task) == 0)
            max += g->checks[c].max;
    return max;
}

static void put_student(const struct gradebook *g, const struct gradebook_student *s, FILE *out)
{
    size_t failed = 0;

    for (size_t c = 0; c < g->nchecks; c++)
        failed += s->cells[c].status == CELL_FAILED || s->cells[c].status == CELL_NOT_RUN;
    fprintf(out, "<details id=\"student-");
    put_html(out, s->id);
    fprintf(out, "\"><summary><strong>");
    put_html(out, s->id);
    fprintf(out, "</strong><span class=\"score\">%g of %g", gradebook_total(s), g->max);
    for (size_t t = 0; t < g->ntasks; t++)
        fprintf(out, " · %s: %g", g->tasks[t], s->task_score[t]);
    fprintf(out, "</span> <span class=\"%s\">%zu failed</span></summary>\n", failed ? "failed" : "muted", failed);
    if (s->manual) {
        fprintf(out, "<p class=\"override\">Manual points: %g (", s->manual->points);
        put_html(out, s->manual->reason);
        fprintf(out, ")</p>\n");
    }
    for (size_t c = 0; c < g->nchecks; c++) {
        const struct gradebook_cell *cell = &s->cells[c];
        size_t same = 0, of_task = 0;

        /* a task all failed for one reason (its file absent) is said once */
        for (size_t k = 0; k < g->nchecks; k++)
            if (strcmp(g->checks[k].task, g->checks[c].task) == 0) {
                of_task++;
                same += s->cells[k].status == CELL_FAILED && !s->cells[k].override && cell->feedback &&
                        s->cells[k].feedback && strcmp(s->cells[k].feedback, cell->feedback) == 0;
            }
        if (same == of_task && of_task > 1) {
            if (c == 0 || strcmp(g->checks[c - 1].task, g->checks[c].task) != 0) {
                fprintf(out, "<p class=\"failed\">%s: every check failed, 0 of %g</p>\n<pre>", g->checks[c].task,
                        task_max(g, g->checks[c].task));
                put_html(out, cell->feedback);
                fprintf(out, "</pre>\n");
            }
            continue;
        }
        if (cell->override) {
            fprintf(out, "<p class=\"override\">%s <code>%s</code> overridden: %g → %g points (", g->checks[c].task,
                    g->checks[c].id, cell->graded_points, cell->points);
            put_html(out, cell->override->reason);
            fprintf(out, ")</p>\n");
        }
        if (cell->status != CELL_FAILED && cell->status != CELL_NOT_RUN)
            continue;
        fprintf(out, "<p class=\"failed\">%s <code>%s</code> %s, %g of %g</p>\n<pre>", g->checks[c].task,
                g->checks[c].id, cell->status == CELL_NOT_RUN ? "not run" : "failed", cell->points, g->checks[c].max);
        put_html(out, cell->feedback ? cell->feedback : "");
        fprintf(out, "</pre>\n");
    }
    fprintf(out, "</details>\n");
}

bool gradebook_write_html(const void *book, FILE *out)
{
    const struct gradebook *g = book;
    size_t graded = gradebook_graded(g);

    fprintf(out, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"/>"
                 "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\"/>"
                 "<title>Class grades</title><style>%s</style></head><body>\n",
            style);
    fprintf(out, "<h1>Class grades</h1>\n<p>%zu student%s: %zu graded, %zu not graded. Points out of %g; totals "
                 "include points given by hand.</p>\n",
            g->count, g->count == 1 ? "" : "s", graded, g->count - graded, g->max);
    fprintf(out, "<h2>Totals</h2>\n");
    double low, high, mean;
    if (gradebook_range(g, &low, &high, &mean))
        fprintf(out, "<p>Median %g, mean %.1f, lowest %g, highest %g.</p>\n", gradebook_median(g), mean, low, high);
    put_histogram(g, out);
    put_checks(g, out);
    if (graded < g->count) {
        fprintf(out, "<h2>Not graded</h2>\n<ul>\n");
        for (size_t i = 0; i < g->count; i++)
            if (!g->students[i].graded) {
                fprintf(out, "<li><strong>");
                put_html(out, g->students[i].id);
                fprintf(out, "</strong>: ");
                put_html(out, g->students[i].error);
                fprintf(out, "</li>\n");
            }
        fprintf(out, "</ul>\n");
    }
    fprintf(out, "<h2>Students</h2>\n");
    for (size_t i = 0; i < g->count; i++)
        if (g->students[i].graded)
            put_student(g, &g->students[i], out);
    fprintf(out, "</body></html>\n");
    return !ferror(out);
}
