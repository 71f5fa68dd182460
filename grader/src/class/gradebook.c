/* gradebook.c - read a class's results back, apply the overrides, and
 * write the class as CSV and Markdown (the HTML report is html.c's). */
#define _GNU_SOURCE
#include "gradebook.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "../files.h"
#include "../text.h"
#include "../xalloc.h"

#define RESULTS_MAX_BYTES (16u << 20)

/* The column of task/id, made when new; -1 when the gradebook is full. */
static int check_column(struct gradebook *g, const char *task, const char *id, const char *title, double max)
{
    size_t t;

    for (size_t i = 0; i < g->nchecks; i++)
        if (strcmp(g->checks[i].task, task) == 0 && strcmp(g->checks[i].id, id) == 0)
            return (int)i;
    if (g->nchecks == GRADEBOOK_MAX_CHECKS)
        return -1;
    struct gradebook_check *c = &g->checks[g->nchecks];
    snprintf(c->task, sizeof c->task, "%s", task);
    snprintf(c->id, sizeof c->id, "%s", id);
    snprintf(c->title, sizeof c->title, "%s", title);
    c->max = max;
    g->max += max;
    for (t = 0; t < g->ntasks && strcmp(g->tasks[t], task) != 0; t++)
        ;
    if (t == g->ntasks && t < GRADEBOOK_MAX_TASKS)
        snprintf(g->tasks[g->ntasks++], sizeof g->tasks[0], "%s", task);
    return (int)g->nchecks++;
}

static struct gradebook_student *new_student(struct gradebook *g, const char *id)
{
    if (g->count == g->cap) {
        g->cap = g->cap ? 2 * g->cap : 64;
        g->students = xrealloc(g->students, g->cap * sizeof *g->students);
    }
    struct gradebook_student *s = &g->students[g->count++];
    memset(s, 0, sizeof *s);
    s->id = xstrdup(id);
    return s;
}

static const char *json_string(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

    return cJSON_IsString(v) ? v->valuestring : NULL;
}

static double json_number(const cJSON *o, const char *key, bool *ok)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

    *ok &= cJSON_IsNumber(v);
    return cJSON_IsNumber(v) ? v->valuedouble : 0;
}

/* One test of results.json into its cell; false when it is not one
 * mmgrade writes. */
static bool add_test(struct gradebook *g, struct gradebook_student *s, const cJSON *test)
{
    const cJSON *extra = cJSON_GetObjectItemCaseSensitive(test, "extra_data");
    const char *task = json_string(extra, "task"), *id = json_string(extra, "check"),
               *status = json_string(extra, "status"), *name = json_string(test, "name"),
               *title = name && strstr(name, ": ") ? strstr(name, ": ") + 2 : "";
    bool ok = task && id && status;
    double points = json_number(test, "score", &ok), max = json_number(test, "max_score", &ok);
    int col;

    if (!ok || (col = check_column(g, task, id, title, max)) < 0)
        return false;
    s->cells[col] = (struct gradebook_cell){
        .status = strcmp(status, "passed") == 0 ? CELL_PASSED : strcmp(status, "failed") == 0 ? CELL_FAILED : CELL_NOT_RUN,
        .points = points,
        .graded_points = points,
        .feedback = xstrdup(json_string(test, "output") ? json_string(test, "output") : ""),
    };
    s->seed = (uint64_t)json_number(extra, "seed", &ok);
    s->small_size = (uint64_t)json_number(extra, "small_size", &ok);
    s->large_size = (uint64_t)json_number(extra, "large_size", &ok);
    return true;
}

bool gradebook_add(struct gradebook *g, const char *id, const char *dir, char *err, size_t cap)
{
    char path[PATH_MAX];
    char *text;
    cJSON *root, *tests, *test;
    struct gradebook_student *s;

    snprintf(path, sizeof path, "%s/results.json", dir);
    if (!(text = files_read(path, RESULTS_MAX_BYTES, NULL))) {
        snprintf(path, sizeof path, "%s/error.txt", dir);
        s = new_student(g, id);
        s->error = files_read(path, 4096, NULL);
        if (!s->error)
            s->error = xstrdup("it was not graded (no results.json, no error.txt)");
        s->error[strcspn(s->error, "\n")] = '\0'; /* its first line says why */
        return true;
    }
    root = cJSON_Parse(text);
    free(text);
    tests = cJSON_GetObjectItemCaseSensitive(root, "tests");
    if (!cJSON_IsArray(tests)) {
        snprintf(err, cap, "'%s' is not a results.json that mmgrade writes", path);
        cJSON_Delete(root);
        return false;
    }
    s = new_student(g, id);
    s->graded = true;
    cJSON_ArrayForEach(test, tests)
    {
        if (!add_test(g, s, test)) {
            snprintf(err, cap, "'%s' holds a test that mmgrade does not write, or more than %d checks", path,
                     GRADEBOOK_MAX_CHECKS);
            cJSON_Delete(root);
            return false;
        }
    }
    cJSON_Delete(root);
    return true;
}

static int by_id(const void *a, const void *b)
{
    return strcmp(((const struct gradebook_student *)a)->id, ((const struct gradebook_student *)b)->id);
}

static void apply_override(struct gradebook *g, struct gradebook_student *s, const struct override *o)
{
    if (!o->task) {
        s->manual = o;
        return;
    }
    for (size_t c = 0; c < g->nchecks; c++) {
        struct gradebook_cell *cell = &s->cells[c];

        if (strcmp(g->checks[c].task, o->task) != 0 || strcmp(g->checks[c].id, o->check) != 0 ||
            cell->status == CELL_ABSENT)
            continue;
        cell->override = o;
        cell->points = o->points;
        cell->status = o->set_status ? (o->pass ? CELL_PASSED : CELL_FAILED)
                                     : o->points >= g->checks[c].max ? CELL_PASSED : CELL_FAILED;
    }
}

void gradebook_finish(struct gradebook *g, const struct overrides *o)
{
    qsort(g->students, g->count, sizeof *g->students, by_id);
    for (size_t i = 0; i < g->count; i++) {
        struct gradebook_student *s = &g->students[i];

        for (size_t k = 0; o && k < o->count; k++)
            if (strcmp(o->items[k].student, s->id) == 0 && s->graded)
                apply_override(g, s, &o->items[k]);
        s->score = s->max = 0;
        memset(s->task_score, 0, sizeof s->task_score);
        for (size_t c = 0; c < g->nchecks; c++) {
            size_t t;

            if (s->cells[c].status == CELL_ABSENT)
                continue;
            s->score += s->cells[c].points;
            s->max += g->checks[c].max;
            for (t = 0; t < g->ntasks && strcmp(g->tasks[t], g->checks[c].task) != 0; t++)
                ;
            s->task_score[t] += s->cells[c].points;
            g->checks[c].graded++;
            g->checks[c].passed += s->cells[c].status == CELL_PASSED;
        }
    }
}

double gradebook_total(const struct gradebook_student *s)
{
    return s->score + (s->manual ? s->manual->points : 0);
}

static int by_value(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return (x > y) - (x < y);
}

double gradebook_median(const struct gradebook *g)
{
    double *totals = xcalloc(g->count + 1, sizeof *totals), median = 0;
    size_t n = 0;

    for (size_t i = 0; i < g->count; i++)
        if (g->students[i].graded)
            totals[n++] = gradebook_total(&g->students[i]);
    qsort(totals, n, sizeof *totals, by_value);
    if (n)
        median = n % 2 ? totals[n / 2] : (totals[n / 2 - 1] + totals[n / 2]) / 2;
    free(totals);
    return median;
}

void gradebook_free(struct gradebook *g)
{
    for (size_t i = 0; i < g->count; i++) {
        for (size_t c = 0; c < g->nchecks; c++)
            free(g->students[i].cells[c].feedback);
        free(g->students[i].id);
        free(g->students[i].error);
    }
    free(g->students);
    memset(g, 0, sizeof *g);
}

/* A CSV field (RFC 4180): quoted when it holds a comma, a quote or a line
 * end, quotes doubled. A leading =, +, - or @ is kept from spreadsheets'
 * formulas by a quote mark in front (a student's folder may be named so). */
static void put_csv(FILE *out, const char *field, bool last)
{
    bool quote = strpbrk(field, ",\"\r\n") != NULL;
    bool formula = strchr("=+-@", field[0]) && field[0] != '\0';

    if (quote || formula)
        fputc('"', out);
    if (formula)
        fputc('\'', out);
    for (const char *p = field; *p; p++) {
        if (*p == '"')
            fputc('"', out);
        fputc(*p, out);
    }
    if (quote || formula)
        fputc('"', out);
    fputc(last ? '\n' : ',', out);
}

static void put_csv_number(FILE *out, double n, bool last)
{
    fprintf(out, "%.10g%c", n, last ? '\n' : ',');
}

/* "2.3/lazy=4 (reason); manual=6 (reason)" for the overrides column. */
static char *overrides_note(const struct gradebook *g, const struct gradebook_student *s)
{
    char *note = xstrdup(""), *next;

    for (size_t c = 0; c < g->nchecks; c++) {
        const struct override *o = s->cells[c].override;

        if (!o)
            continue;
        next = xasprintf("%s%s%s/%s=%g (%s)", note, note[0] ? "; " : "", o->task, o->check, o->points, o->reason);
        free(note);
        note = next;
    }
    if (s->manual) {
        next = xasprintf("%s%smanual=%g (%s)", note, note[0] ? "; " : "", s->manual->points, s->manual->reason);
        free(note);
        note = next;
    }
    return note;
}

bool gradebook_write_csv(const void *book, FILE *out)
{
    const struct gradebook *g = book;
    char head[64];

    put_csv(out, "student", false);
    put_csv(out, "total", false);
    put_csv(out, "max", false);
    put_csv(out, "manual", false);
    for (size_t t = 0; t < g->ntasks; t++)
        put_csv(out, g->tasks[t], false);
    for (size_t c = 0; c < g->nchecks; c++) {
        snprintf(head, sizeof head, "%s/%s", g->checks[c].task, g->checks[c].id);
        put_csv(out, head, false);
    }
    put_csv(out, "seed", false);
    put_csv(out, "small_size", false);
    put_csv(out, "large_size", false);
    put_csv(out, "status", false);
    put_csv(out, "overrides", true);
    for (size_t i = 0; i < g->count; i++) {
        const struct gradebook_student *s = &g->students[i];
        char *note = overrides_note(g, s), *status;

        put_csv(out, s->id, false);
        put_csv_number(out, gradebook_total(s), false);
        put_csv_number(out, g->max, false);
        if (s->manual)
            put_csv_number(out, s->manual->points, false);
        else
            put_csv(out, "", false);
        for (size_t t = 0; t < g->ntasks; t++)
            if (s->graded)
                put_csv_number(out, s->task_score[t], false);
            else
                put_csv(out, "", false);
        for (size_t c = 0; c < g->nchecks; c++)
            if (s->cells[c].status == CELL_ABSENT)
                put_csv(out, "", false);
            else
                put_csv_number(out, s->cells[c].points, false);
        for (int k = 0; k < 3; k++)
            if (s->graded)
                put_csv_number(out, (double)(k == 0 ? s->seed : k == 1 ? s->small_size : s->large_size), false);
            else
                put_csv(out, "", false);
        status = s->graded ? xstrdup("graded") : xasprintf("not graded: %s", s->error);
        put_csv(out, status, false);
        put_csv(out, note, true);
        free(status);
        free(note);
    }
    return !ferror(out);
}

/* text in Markdown, as itself: the marks that make emphasis, code,
 * links, HTML, entities or a table's cells escaped (as CommonMark allows),
 * line ends as spaces, so that no student's folder name makes any; the
 * rest left as typed, for the summary is also read raw. */
static void put_md(FILE *out, const char *text)
{
    for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
        if (*p == '\n' || *p == '\r' || *p == '\t')
            fputc(' ', out);
        else if (*p && strchr("\\`*_[]<>|&!~#", *p))
            fprintf(out, "\\%c", *p);
        else
            fputc(*p, out);
    }
}

bool gradebook_range(const struct gradebook *g, double *low, double *high, double *mean)
{
    size_t n = 0;

    *low = 1e300;
    *high = -1e300;
    *mean = 0;
    for (size_t i = 0; i < g->count; i++) {
        double t = gradebook_total(&g->students[i]);

        if (!g->students[i].graded)
            continue;
        n++;
        *mean += t;
        *low = t < *low ? t : *low;
        *high = t > *high ? t : *high;
    }
    if (n)
        *mean /= (double)n;
    return n > 0;
}

size_t gradebook_graded(const struct gradebook *g)
{
    size_t n = 0;

    for (size_t i = 0; i < g->count; i++)
        n += g->students[i].graded;
    return n;
}

/* A row per student: total, each task's, the checks failed. */
static void put_md_students(const struct gradebook *g, FILE *out)
{
    fprintf(out, "\n## Students\n\n| student | total |");
    for (size_t t = 0; t < g->ntasks; t++)
        fprintf(out, " %s |", g->tasks[t]);
    fprintf(out, " failed checks |\n|---|---:|");
    for (size_t t = 0; t < g->ntasks; t++)
        fprintf(out, "---:|");
    fprintf(out, "---|\n");
    for (size_t i = 0; i < g->count; i++) {
        const struct gradebook_student *s = &g->students[i];
        bool first = true;

        fprintf(out, "| ");
        put_md(out, s->id);
        if (!s->graded) {
            fprintf(out, " | not graded |");
            for (size_t t = 0; t < g->ntasks; t++)
                fprintf(out, " |");
            fprintf(out, " |\n");
            continue;
        }
        fprintf(out, " | %g |", gradebook_total(s));
        for (size_t t = 0; t < g->ntasks; t++)
            fprintf(out, " %g |", s->task_score[t]);
        for (size_t c = 0; c < g->nchecks; c++)
            if (s->cells[c].status == CELL_FAILED || s->cells[c].status == CELL_NOT_RUN) {
                fprintf(out, "%s`%s/%s`", first ? " " : ", ", g->checks[c].task, g->checks[c].id);
                first = false;
            }
        fprintf(out, " |\n");
    }
}

/* The students not graded and why, then every override. */
static void put_md_exceptions(const struct gradebook *g, size_t graded, FILE *out)
{
    if (graded < g->count) {
        fprintf(out, "\n## Not graded\n\n");
        for (size_t i = 0; i < g->count; i++)
            if (!g->students[i].graded) {
                fprintf(out, "- ");
                put_md(out, g->students[i].id);
                fprintf(out, ": ");
                put_md(out, g->students[i].error);
                fprintf(out, "\n");
            }
    }
    bool heading = false;
    for (size_t i = 0; i < g->count; i++) {
        const struct gradebook_student *s = &g->students[i];

        for (size_t c = 0; c <= g->nchecks; c++) {
            const struct override *o = c < g->nchecks ? s->cells[c].override : s->manual;

            if (!o)
                continue;
            if (!heading)
                fprintf(out, "\n## Overrides\n\n");
            heading = true;
            fprintf(out, "- ");
            put_md(out, s->id);
            if (c < g->nchecks)
                fprintf(out, ", %s/%s: %g → %g points: ", o->task, o->check, s->cells[c].graded_points, o->points);
            else
                fprintf(out, ", manual: %g points: ", o->points);
            put_md(out, o->reason);
            fprintf(out, "\n");
        }
    }
}

bool gradebook_write_markdown(const void *book, FILE *out)
{
    const struct gradebook *g = book;
    double low, high, mean;
    size_t graded = gradebook_graded(g);

    fprintf(out, "# Class grades\n\n%zu student%s: %zu graded, %zu not graded. Points out of %g", g->count,
            g->count == 1 ? "" : "s", graded, g->count - graded, g->max);
    fprintf(out, " (totals include the points an instructor gave by hand).\n\n");
    if (gradebook_range(g, &low, &high, &mean))
        fprintf(out, "| | total |\n|---|---:|\n| mean | %.1f |\n| median | %g |\n| lowest | %g |\n| highest | %g |\n\n",
                mean, gradebook_median(g), low, high);
    fprintf(out, "## Checks\n\n| check | points | passed |\n|---|---:|---:|\n");
    for (size_t c = 0; c < g->nchecks; c++) {
        const struct gradebook_check *k = &g->checks[c];

        fprintf(out, "| %s `%s`: ", k->task, k->id);
        put_md(out, k->title);
        fprintf(out, " | %g | %zu of %zu", k->max, k->passed, k->graded);
        if (k->graded)
            fprintf(out, " (%.0f %%)", 100.0 * (double)k->passed / (double)k->graded);
        fprintf(out, " |\n");
    }
    put_md_students(g, out);
    put_md_exceptions(g, graded, out);
    return !ferror(out);
}
