/* render.h - render a grade report: text, Gradescope JSON, Markdown, JUnit. */
#ifndef MMGRADE_RENDER_H
#define MMGRADE_RENDER_H

#include <stdbool.h>
#include <stdio.h>

#include "result.h"

void render_text(const struct grade_report *r, FILE *out, bool colour);
/* A Gradescope results.json; false when it cannot be built. */
bool render_json(const struct grade_report *r, FILE *out);
/* Markdown for a CI job summary: tables, and each failure's feedback. */
bool render_markdown(const struct grade_report *r, FILE *out);
/* JUnit XML: a testsuite per task, a testcase per check. */
bool render_junit(const struct grade_report *r, FILE *out);

#endif
