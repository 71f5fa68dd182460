/* render.h - render a grade report: text for people, JSON for Gradescope. */
#ifndef MMGRADE_RENDER_H
#define MMGRADE_RENDER_H

#include <stdbool.h>
#include <stdio.h>

#include "result.h"

void render_text(const struct grade_report *r, FILE *out, bool colour);
/* A Gradescope results.json; false when it cannot be built. */
bool render_json(const struct grade_report *r, FILE *out);

#endif
