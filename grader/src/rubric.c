/* rubric.c - the grading policy: the points and visibility of each check
 * and what compiler warnings cost, from the catalog's defaults and an
 * instructor's rubric file. */
#define _GNU_SOURCE
#include "rubric.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "tasks/catalog.h"
#include "xalloc.h"

static const char *const visibilities[] = {"hidden", "after_due_date", "after_published", "visible", NULL};

void rubric_init(struct rubric *r)
{
    memset(r, 0, sizeof *r);
    for (size_t i = 0; i < catalog_check_count && r->count < RUBRIC_MAX; i++) {
        const struct check_def *c = &catalog_checks[i];

        r->entries[r->count++] = (struct rubric_entry){catalog_tasks[c->task].id, c->id, c->title, c->points,
                                                       "visible", 0};
    }
}

const struct rubric_entry *rubric_find(const struct rubric *r, const char *task, const char *check)
{
    for (size_t i = 0; i < r->count; i++)
        if (strcmp(r->entries[i].task, task) == 0 && strcmp(r->entries[i].check, check) == 0)
            return &r->entries[i];
    return NULL;
}

char *rubric_print(const struct rubric *r)
{
    cJSON *root = cJSON_CreateObject(), *checks = cJSON_AddObjectToObject(root, "checks");
    char *text;

    for (size_t i = 0; i < r->count; i++) {
        const struct rubric_entry *e = &r->entries[i];
        cJSON *task = cJSON_GetObjectItemCaseSensitive(checks, e->task), *check;

        if (!task)
            task = cJSON_AddObjectToObject(checks, e->task);
        check = cJSON_AddObjectToObject(task, e->check);
        cJSON_AddNumberToObject(check, "points", e->points);
        cJSON_AddStringToObject(check, "visibility", e->visibility);
        if (strcmp(e->check, "build") == 0)
            cJSON_AddNumberToObject(check, "warning_penalty", e->warning_penalty);
    }
    text = cJSON_Print(root);
    cJSON_Delete(root);
    if (!text)
        abort();
    return text;
}

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
static bool apply_check(struct rubric_entry *e, const cJSON *settings, char *err, size_t cap)
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

/* "checks": {"2.3": {"lazy": {...}}} */
static bool apply_checks(struct rubric *r, const cJSON *checks, char *err, size_t cap)
{
    const cJSON *task, *check;

    if (!cJSON_IsObject(checks))
        return rubric_error(err, cap, "checks must be an object: {\"2.3\": {\"lazy\": {\"points\": 4}}}");
    cJSON_ArrayForEach(task, checks) {
        if (!cJSON_IsObject(task))
            return rubric_error(err, cap, "checks.%.20s: must be an object of checks", task->string);
        cJSON_ArrayForEach(check, task) {
            struct rubric_entry *e = (struct rubric_entry *)rubric_find(r, task->string, check->string);

            if (!e)
                return rubric_error(err, cap, "unknown check '%.20s %.40s'", task->string, check->string);
            if (!apply_check(e, check, err, cap))
                return false;
        }
    }
    return true;
}

bool rubric_apply(struct rubric *r, const char *text, char **secret, char *err, size_t cap)
{
    cJSON *root = cJSON_Parse(text);
    const cJSON *item;
    struct rubric changed = *r; /* all or nothing */
    bool ok = true;

    *secret = NULL;
    if (!cJSON_IsObject(root)) {
        cJSON_Delete(root);
        return rubric_error(err, cap, "not a JSON object");
    }
    cJSON_ArrayForEach(item, root) {
        if (strcmp(item->string, "secret") == 0 && (!cJSON_IsString(item) || item->valuestring[0] == '\0'))
            ok = rubric_error(err, cap, "secret must be a non-empty string");
        else if (strcmp(item->string, "secret") == 0) {
            free(*secret);
            *secret = xstrdup(item->valuestring);
        } else if (strcmp(item->string, "checks") == 0)
            ok = apply_checks(&changed, item, err, cap);
        else
            ok = rubric_error(err, cap, "unknown key '%.60s' (the keys are secret and checks)", item->string);
        if (!ok)
            break;
    }
    cJSON_Delete(root);
    if (!ok) {
        free(*secret);
        *secret = NULL;
        return false;
    }
    *r = changed;
    return true;
}

void rubric_score(const struct rubric *r, struct task_result *t)
{
    for (size_t i = 0; i < t->nchecks; i++) {
        struct check_result *c = &t->checks[i];
        const struct rubric_entry *e = rubric_find(r, c->task, c->id);

        if (!e)
            abort(); /* rubric_init lists every check of the catalog */
        c->title = e->title;
        c->visibility = e->visibility;
        c->max_points = e->points;
        c->points = c->status != CHECK_PASSED ? 0
                    : c->warned && e->warning_penalty > 0
                        ? (e->points > e->warning_penalty ? e->points - e->warning_penalty : 0)
                        : e->points;
    }
}
