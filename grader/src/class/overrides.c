/* overrides.c - read an instructor's overrides file, one decision a line,
 * checked against the rubric before anything is graded. */
#define _GNU_SOURCE
#include "overrides.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../cli.h"
#include "../files.h"
#include "../text.h"
#include "../xalloc.h"

#define OVERRIDES_MAX_BYTES (4u << 20)
#define OVERRIDES_MAX_FIELD 256

/* The next blank-separated word of *p into word; false when none. */
static bool next_word(const char **p, char *word, size_t cap)
{
    size_t n;

    *p += strspn(*p, " \t");
    n = strcspn(*p, " \t");
    if (n == 0 || n >= cap)
        return false;
    memcpy(word, *p, n);
    word[n] = '\0';
    *p += n;
    return true;
}

/* Parses one line that is not blank nor a comment into o; false, with why
 * in err. */
static bool parse_line(const char *line, const struct rubric *r, struct override *o, char *err, size_t cap)
{
    char student[OVERRIDES_MAX_FIELD], target[OVERRIDES_MAX_FIELD], value[OVERRIDES_MAX_FIELD];
    const char *p = line, *slash;
    const struct rubric_entry *e = NULL;
    double max = 1e9;

    if (!next_word(&p, student, sizeof student) || !next_word(&p, target, sizeof target) ||
        !next_word(&p, value, sizeof value)) {
        snprintf(err, cap, "expected STUDENT TARGET VALUE REASON");
        return false;
    }
    p += strspn(p, " \t");
    if (*p == '\0') {
        snprintf(err, cap, "no reason given for %.100s's %.100s: say why, for the student and for later", student, target);
        return false;
    }
    if (strcmp(target, OVERRIDE_MANUAL) != 0) {
        char task[OVERRIDES_MAX_FIELD];

        if ((slash = strchr(target, '/')))
            snprintf(task, sizeof task, "%.*s", (int)(slash - target), target);
        if (!slash || !(e = rubric_find(r, task, slash + 1))) {
            snprintf(err, cap, "unknown target '%.100s': a check as TASK/CHECK (2.3/lazy, as docs/rubric.md lists them) "
                               "or 'manual'", target);
            return false;
        }
        max = e->points;
    }
    memset(o, 0, sizeof *o);
    if (strcmp(value, "pass") == 0 || strcmp(value, "fail") == 0) {
        if (!e) {
            snprintf(err, cap, "manual points are a number, not '%.100s'", value);
            return false;
        }
        o->set_status = true;
        o->pass = value[0] == 'p';
        o->points = o->pass ? max : 0;
    } else if (!cli_number(value, 0, max, false, &o->points)) {
        snprintf(err, cap, "bad value '%.100s' for %.100s: pass, fail, or points from 0 to %g", value, target, max);
        return false;
    }
    o->student = xstrdup(student);
    o->task = e ? xstrdup(e->task) : NULL;
    o->check = e ? xstrdup(e->check) : NULL;
    o->reason = xstrdup(p);
    text_trim_end(o->reason);
    return true;
}

bool overrides_load(const char *path, const struct rubric *r, struct overrides *out, char *err, size_t cap)
{
    size_t len = 0, at = 0, cap_items = 0;
    char *text = files_read(path, OVERRIDES_MAX_BYTES, &len), line[1024], why[512];
    long number = 0;

    memset(out, 0, sizeof *out);
    if (!text) {
        snprintf(err, cap, "cannot read '%s': %s", path, errno ? strerror(errno) : "too large");
        return false;
    }
    while (text_next_line(text, len, &at, line, sizeof line)) {
        char *hash = strchr(line, '#');
        struct override o;

        number++;
        if (hash)
            *hash = '\0';
        text_trim_end(line);
        if (line[strspn(line, " \t")] == '\0')
            continue;
        if (!parse_line(line, r, &o, why, sizeof why)) {
            snprintf(err, cap, "'%s' line %ld: %s", path, number, why);
            overrides_free(out);
            free(text);
            return false;
        }
        o.line = number;
        if (out->count == cap_items) {
            cap_items = cap_items ? 2 * cap_items : 16;
            out->items = xrealloc(out->items, cap_items * sizeof *out->items);
        }
        out->items[out->count++] = o;
    }
    free(text);
    return true;
}

const char *overrides_unknown_student(const struct overrides *o, char *const *names, size_t n)
{
    for (size_t i = 0; i < o->count; i++) {
        bool found = false;

        for (size_t k = 0; k < n && !found; k++)
            found = strcmp(o->items[i].student, names[k]) == 0;
        if (!found)
            return o->items[i].student;
    }
    return NULL;
}

void overrides_free(struct overrides *o)
{
    for (size_t i = 0; i < o->count; i++) {
        free(o->items[i].student);
        free(o->items[i].task);
        free(o->items[i].check);
        free(o->items[i].reason);
    }
    free(o->items);
    memset(o, 0, sizeof *o);
}
