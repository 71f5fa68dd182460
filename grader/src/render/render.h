/* render.h - render a grade report in one of its formats: text for
 * people, Gradescope JSON, Markdown for CI summaries, JUnit XML for CI
 * test reporters, GitHub Classroom's runner result. Renderers only
 * format: a new format is a new file. */
#ifndef MMGRADE_RENDER_H
#define MMGRADE_RENDER_H

#include <stdbool.h>
#include <stdio.h>

#include "../result.h"

enum format { FORMAT_TEXT, FORMAT_JSON, FORMAT_MARKDOWN, FORMAT_JUNIT, FORMAT_CLASSROOM, FORMAT_COUNT };

/* "text", "json", ... by format. */
extern const char *const format_names[FORMAT_COUNT];
/* The format called name; false when there is none. */
bool format_parse(const char *name, enum format *out);

/* Writes r to out in format f (colour: text only); false when it could
 * not be built or written. */
bool render(enum format f, const struct grade_report *r, FILE *out, bool colour);

bool render_text(const struct grade_report *r, FILE *out, bool colour);
/* A Gradescope results.json. */
bool render_json(const struct grade_report *r, FILE *out);
/* Markdown for a CI job summary: tables, and each failure's feedback. */
bool render_markdown(const struct grade_report *r, FILE *out);
/* JUnit XML: a testsuite per task, a testcase per check. */
bool render_junit(const struct grade_report *r, FILE *out);
/* GitHub Classroom's grading reporter's runner result, base64, one line. */
bool render_classroom(const struct grade_report *r, FILE *out);

#endif
