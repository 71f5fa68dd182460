/* render.c - pick a renderer by format, and what the renderers say alike. */
#include "render.h"

#include <string.h>

#include "common.h"

const char *const format_names[FORMAT_COUNT] = {"text", "json", "markdown", "junit", "classroom"};

bool format_parse(const char *name, enum format *out)
{
    for (int f = 0; f < FORMAT_COUNT; f++)
        if (strcmp(name, format_names[f]) == 0) {
            *out = (enum format)f;
            return true;
        }
    return false;
}

bool render(enum format f, const struct grade_report *r, FILE *out, bool colour)
{
    switch (f) {
    case FORMAT_JSON:
        return render_json(r, out);
    case FORMAT_MARKDOWN:
        return render_markdown(r, out);
    case FORMAT_JUNIT:
        return render_junit(r, out);
    case FORMAT_CLASSROOM:
        return render_classroom(r, out);
    default:
        return render_text(r, out, colour);
    }
}

const char *render_status_word(enum check_status s)
{
    return s == CHECK_PASSED ? "passed" : s == CHECK_FAILED ? "failed" : "not run";
}

const char *render_read_fault(const struct grade_report *r)
{
    return r->read_allocates ? "allocates a page" : "maps the shared zero page";
}

const char *render_incomplete_note(const struct grade_report *r)
{
    return r->incomplete ? " (incomplete: some checks were not run)" : "";
}

const char *render_isolation(const struct grade_report *r)
{
    return r->isolation ? r->isolation : "none";
}
