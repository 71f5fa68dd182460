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
    const char *visibility;  /* Gradescope's, "visible" by default */
    double warning_penalty;  /* build only: points lost to warnings */
};

/* The default rubric: 92 of the kit's 100 points (the other 8, for the
 * quality of task 2.4's explanations, are the instructor's: docs/rubric.md); an
 * instructor's rubric file changes points and visibility in place. */
#define RUBRIC(task, check, title, points) {task, check, title, points, "visible", 0}
static struct rubric_entry rubric[] = {
    RUBRIC("2.1", "build", "compiles with the build line", 2),
    RUBRIC("2.1", "runs", "runs to the end and exits 0", 2),
    RUBRIC("2.1", "maps_page", "mmap is called with the contract's arguments", 3),
    RUBRIC("2.1", "uses_memory", "the message is written into the page and read back", 2),
    RUBRIC("2.1", "munmap", "munmap removes the page, and nothing else", 2),
    RUBRIC("2.1", "mmap_failure", "a failed mmap is reported on stderr, exit non-zero", 2),
    RUBRIC("2.1", "valgrind", "valgrind reports no errors and no leaks", 1),
    RUBRIC("2.1", "report_complete", "the report is filled in", 1),

    RUBRIC("2.2", "build", "compiles with the build line", 1),
    RUBRIC("2.2", "runs", "runs to the end and exits 0", 2),
    RUBRIC("2.2", "stages", "the four stages, each with its ps table", 2),
    RUBRIC("2.2", "honest", "the tables are the process's own measurements", 3),
    RUBRIC("2.2", "vsz_grows", "VSZ grows by the mapping after mmap", 2),
    RUBRIC("2.2", "rss_order", "RSS grows when pages are written, not at mmap", 2),
    RUBRIC("2.2", "munmap", "munmap removes the whole mapping, and nothing else", 2),
    RUBRIC("2.2", "mmap_failure", "a failed mmap is reported on stderr, exit non-zero", 2),
    RUBRIC("2.2", "size_arg", "SIZE is honoured, bad arguments rejected", 2),
    RUBRIC("2.2", "valgrind", "valgrind reports no errors and no leaks", 1),
    RUBRIC("2.2", "report_complete", "the report is filled in", 1),

    RUBRIC("2.3", "build", "compiles with the build line", 1),
    RUBRIC("2.3", "runs", "runs to the end, with Enter and with stdin at EOF", 2),
    RUBRIC("2.3", "stages", "the four stages, each with its ps table", 1),
    RUBRIC("2.3", "pauses", "pauses twice while the mapping exists", 3),
    RUBRIC("2.3", "honest", "the tables are the process's own measurements", 2),
    RUBRIC("2.3", "vsz_grows", "VSZ grows by the mapping after mmap", 1),
    RUBRIC("2.3", "rss_order", "RSS grows when pages are written, not at mmap", 2),
    RUBRIC("2.3", "lazy", "no page of the mapping is resident at pause 1", 4),
    RUBRIC("2.3", "resident", "every page of the mapping is resident at pause 2", 3),
    RUBRIC("2.3", "region", "maps shows the mapping, and the printed address is in it", 3),
    RUBRIC("2.3", "munmap", "munmap removes the whole mapping, and nothing else", 2),
    RUBRIC("2.3", "mmap_failure", "a failed mmap is reported on stderr, exit non-zero", 1),
    RUBRIC("2.3", "size_arg", "SIZE is honoured, bad arguments rejected", 1),
    RUBRIC("2.3", "valgrind", "valgrind reports no errors and no leaks", 1),
    RUBRIC("2.3", "report_complete", "the report is filled in", 1),
    RUBRIC("2.3", "report_consistent", "the report's numbers agree with each other and the kernel", 2),

    RUBRIC("2.4", "report_complete", "every question has an answer", 3),
    RUBRIC("2.4", "report_concepts", "the answers are sentences that name the ideas asked about", 4),

    RUBRIC("2.5", "shellcheck", "shellcheck finds nothing", 4),
    RUBRIC("2.5", "usage", "wrong arguments: a message on stderr, exit non-zero", 4),
    RUBRIC("2.5", "bad_pid", "a PID that cannot exist: a message on stderr, exit non-zero", 3),
    RUBRIC("2.5", "live", "on a live process: its ps table and its maps lines", 9),
};

const char *const rubric_tasks[] = {"2.1", "2.2", "2.3", "2.4", "2.5", NULL};

#define RUBRIC_SIZE (sizeof rubric / sizeof rubric[0])

static struct rubric_entry *rubric_find(const char *task, const char *check)
{
    for (size_t i = 0; i < RUBRIC_SIZE; i++)
        if (strcmp(rubric[i].task, task) == 0 && strcmp(rubric[i].check, check) == 0)
            return &rubric[i];
    return NULL;
}

bool rubric_lookup(const char *task, const char *check, const char **title, double *points)
{
    const struct rubric_entry *e = rubric_find(task, check);

    if (!e)
        return false;
    *title = e->title;
    *points = e->points;
    return true;
}

size_t rubric_check_ids(const char *task, const char **ids, size_t max)
{
    size_t n = 0;

    for (size_t i = 0; i < RUBRIC_SIZE && n < max; i++)
        if (strcmp(rubric[i].task, task) == 0)
            ids[n++] = rubric[i].check;
    return n;
}

double rubric_warning_penalty(const char *task)
{
    const struct rubric_entry *e = rubric_find(task, "build");

    return e ? e->warning_penalty : 0;
}

char *rubric_print(void)
{
    cJSON *root = cJSON_CreateObject(), *checks = cJSON_AddObjectToObject(root, "checks");
    char *text;

    for (size_t i = 0; i < RUBRIC_SIZE; i++) {
        cJSON *task = cJSON_GetObjectItemCaseSensitive(checks, rubric[i].task), *check;

        if (!task)
            task = cJSON_AddObjectToObject(checks, rubric[i].task);
        check = cJSON_AddObjectToObject(task, rubric[i].check);
        cJSON_AddNumberToObject(check, "points", rubric[i].points);
        cJSON_AddStringToObject(check, "visibility", rubric[i].visibility);
        if (strcmp(rubric[i].check, "build") == 0)
            cJSON_AddNumberToObject(check, "warning_penalty", rubric[i].warning_penalty);
    }
    text = cJSON_Print(root);
    cJSON_Delete(root);
    return text;
}

static const char *const visibilities[] = {"hidden", "after_due_date", "after_published", "visible", NULL};

static bool rubric_error(char *err, size_t cap, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static bool rubric_error(char *err, size_t cap, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(err, cap, fmt, ap);
    va_end(ap);
    return false;
}

/* One check's settings: {"points": N, "visibility": V, "warning_penalty": N}. */
static bool rubric_apply_check(struct rubric_entry *e, const cJSON *settings, char *err, size_t cap)
{
    const cJSON *item;

    if (!cJSON_IsObject(settings))
        return rubric_error(err, cap, "%s %s: settings must be an object", e->task, e->check);
    cJSON_ArrayForEach(item, settings) {
        if (strcmp(item->string, "points") == 0) {
            if (!cJSON_IsNumber(item) || item->valuedouble < 0 || item->valuedouble > 1000)
                return rubric_error(err, cap, "%s %s: points must be a number from 0 to 1000", e->task, e->check);
            e->points = item->valuedouble;
        } else if (strcmp(item->string, "visibility") == 0) {
            size_t k = 0;

            while (visibilities[k] && !(cJSON_IsString(item) && strcmp(item->valuestring, visibilities[k]) == 0))
                k++;
            if (!visibilities[k])
                return rubric_error(err, cap, "%s %s: visibility must be hidden, after_due_date, after_published or visible",
                                    e->task, e->check);
            e->visibility = visibilities[k];
        } else if (strcmp(item->string, "warning_penalty") == 0 && strcmp(e->check, "build") == 0) {
            if (!cJSON_IsNumber(item) || item->valuedouble < 0)
                return rubric_error(err, cap, "%s %s: warning_penalty must be a number, 0 or more", e->task, e->check);
            e->warning_penalty = item->valuedouble;
        } else {
            return rubric_error(err, cap, "%s %s: unknown setting '%.60s'", e->task, e->check, item->string);
        }
    }
    return true;
}

bool rubric_apply(const char *text, char **secret, char *err, size_t cap)
{
    cJSON *root = cJSON_Parse(text);
    const cJSON *item;
    bool ok = true;
    struct rubric_entry saved[RUBRIC_SIZE];

    memcpy(saved, rubric, sizeof rubric); /* all or nothing */
    *secret = NULL;
    if (!cJSON_IsObject(root)) {
        cJSON_Delete(root);
        return rubric_error(err, cap, "not a JSON object");
    }
    cJSON_ArrayForEach(item, root) {
        if (strcmp(item->string, "secret") == 0) {
            if (!cJSON_IsString(item) || item->valuestring[0] == '\0') {
                ok = rubric_error(err, cap, "secret must be a non-empty string");
                break;
            }
            free(*secret);
            *secret = strdup(item->valuestring);
        } else if (strcmp(item->string, "checks") == 0) {
            const cJSON *task, *check;

            if (!cJSON_IsObject(item)) {
                ok = rubric_error(err, cap, "checks must be an object: {\"2.3\": {\"lazy\": {\"points\": 4}}}");
                break;
            }
            cJSON_ArrayForEach(task, item) {
                if (!cJSON_IsObject(task)) {
                    ok = rubric_error(err, cap, "checks.%.20s: must be an object of checks", task->string);
                    break;
                }
                cJSON_ArrayForEach(check, task) {
                    struct rubric_entry *e = rubric_find(task->string, check->string);

                    if (!e) {
                        ok = rubric_error(err, cap, "unknown check '%.20s %.40s'", task->string, check->string);
                        break;
                    }
                    if (!(ok = rubric_apply_check(e, check, err, cap)))
                        break;
                }
                if (!ok)
                    break;
            }
        } else {
            ok = rubric_error(err, cap, "unknown key '%.60s' (the keys are secret and checks)", item->string);
        }
        if (!ok)
            break;
    }
    cJSON_Delete(root);
    if (!ok) {
        memcpy(rubric, saved, sizeof rubric);
        free(*secret);
        *secret = NULL;
    }
    return ok;
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
    const struct rubric_entry *e = rubric_find(t->task, id);
    if (!e)
        abort(); /* a check without a rubric line is a bug in the grader */
    c->title = e->title;
    c->max_points = e->points;
    c->visibility = e->visibility;
    c->status = CHECK_FAILED;
    return c;
}

/* The length of the valid UTF-8 sequence at p (at most n bytes), or 0. */
static size_t utf8_sequence(const unsigned char *p, size_t n)
{
    size_t len = p[0] < 0x80 ? 1 : p[0] >= 0xc2 && p[0] <= 0xdf ? 2 : p[0] >= 0xe0 && p[0] <= 0xef ? 3
                                 : p[0] >= 0xf0 && p[0] <= 0xf4 ? 4 : 0;

    if (len == 0 || len > n)
        return 0;
    for (size_t i = 1; i < len; i++)
        if ((p[i] & 0xc0) != 0x80)
            return 0;
    /* overlong three- and four-byte forms, surrogates, beyond U+10FFFF */
    if ((p[0] == 0xe0 && p[1] < 0xa0) || (p[0] == 0xed && p[1] >= 0xa0) || (p[0] == 0xf0 && p[1] < 0x90) ||
        (p[0] == 0xf4 && p[1] >= 0x90))
        return 0;
    return len;
}

char *result_clean_text(const char *text)
{
    const unsigned char *p = (const unsigned char *)text;
    size_t n = strlen(text), used = 0;
    char *out = malloc(3 * n + 1); /* each byte becomes at most U+FFFD */

    if (!out)
        abort();
    while (n > 0) {
        size_t len = utf8_sequence(p, n);

        if (len == 1 && p[0] == '\r') {
            /* a pty turns "\n" into "\r\n": drop the "\r" */
        } else if (len == 1 && (p[0] >= 0x20 || p[0] == '\n' || p[0] == '\t') && p[0] != 0x7f) {
            out[used++] = (char)p[0];
        } else if (len > 1) {
            memcpy(out + used, p, len);
            used += len;
        } else {
            memcpy(out + used, "\xef\xbf\xbd", 3); /* U+FFFD for a control byte or broken UTF-8 */
            used += 3;
        }
        len = len ? len : 1;
        p += len;
        n -= len;
    }
    out[used] = '\0';
    return out;
}

static void check_vnote(struct check_result *c, const char *fmt, va_list ap)
{
    char *raw = NULL, *line, *joined = NULL;

    if (vasprintf(&raw, fmt, ap) < 0)
        return;
    /* Feedback quotes student output: keep every renderer's text valid
     * UTF-8 with no terminal escapes in it. */
    line = result_clean_text(raw);
    free(raw);
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

void task_result_free(struct task_result *t)
{
    for (size_t i = 0; i < t->nchecks; i++) {
        free(t->checks[i].feedback);
        cJSON_Delete(t->checks[i].observed);
    }
    t->nchecks = 0;
}

void report_free(struct grade_report *r)
{
    for (size_t t = 0; t < r->ntasks; t++)
        task_result_free(&r->tasks[t]);
}

void result_fail_rest(struct task_result *t, const char *why)
{
    const char *ids[MAX_CHECKS];
    size_t n = rubric_check_ids(t->task, ids, MAX_CHECKS);

    for (size_t k = 0; k < n; k++) {
        bool present = false;

        for (size_t i = 0; i < t->nchecks; i++)
            present |= strcmp(t->checks[i].id, ids[k]) == 0;
        if (!present)
            check_fail(result_add(t, ids[k]), "%s", why);
    }
}

static size_t rubric_rank(const char *task, const char *check)
{
    for (size_t i = 0; i < RUBRIC_SIZE; i++)
        if (strcmp(rubric[i].task, task) == 0 && strcmp(rubric[i].check, check) == 0)
            return i;
    return RUBRIC_SIZE;
}

void result_sort(struct task_result *t)
{
    /* insertion sort: a dozen checks, already nearly in order */
    for (size_t i = 1; i < t->nchecks; i++) {
        struct check_result c = t->checks[i];
        size_t rank = rubric_rank(t->task, c.id), k = i;

        for (; k > 0 && rubric_rank(t->task, t->checks[k - 1].id) > rank; k--)
            t->checks[k] = t->checks[k - 1];
        t->checks[k] = c;
    }
}
