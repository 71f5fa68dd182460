/* json.c - the report as a Gradescope results.json: the score, and one
 * test per check with its points, status, feedback and visibility; what
 * Gradescope has no field for goes in extra_data. */
#include "render.h"

#include <stdio.h>

#include <cjson/cJSON.h>

#include "common.h"

static cJSON *check_test(const struct grade_report *r, const struct check_result *c)
{
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
    cJSON_AddStringToObject(extra, "status", render_status_word(c->status));
    cJSON_AddNumberToObject(extra, "seed", (double)r->seed);
    cJSON_AddNumberToObject(extra, "small_size", (double)r->small_size);
    cJSON_AddNumberToObject(extra, "large_size", (double)r->large_size);
    cJSON_AddStringToObject(extra, "isolation", render_isolation(r));
    if (c->file)
        cJSON_AddStringToObject(extra, "file", c->file);
    if (c->line > 0)
        cJSON_AddNumberToObject(extra, "line", (double)c->line);
    cJSON_AddItemToObject(extra, "observed", c->observed ? cJSON_Duplicate(c->observed, 1) : cJSON_CreateObject());
    return test;
}

bool render_json(const struct grade_report *r, FILE *out)
{
    cJSON *root = cJSON_CreateObject(), *tests = cJSON_AddArrayToObject(root, "tests");
    double max, score = result_report_score(r, &max);
    char summary[256], *text;

    snprintf(summary, sizeof summary, "%g/%g%s%s%.180s", score, max, render_incomplete_note(r), r->note ? "; " : "",
             r->note ? r->note : "");
    cJSON_AddNumberToObject(root, "score", score);
    cJSON_AddNumberToObject(root, "execution_time", (int)(r->seconds + 0.5));
    cJSON_AddStringToObject(root, "output", summary);
    /* the feedback is plain text (quoting student output, which Markdown
     * or Gradescope's default HTML would render) */
    cJSON_AddStringToObject(root, "output_format", "text");
    cJSON_AddStringToObject(root, "test_output_format", "text");
    cJSON_AddStringToObject(root, "visibility", "visible");
    for (size_t t = 0; t < r->ntasks; t++)
        for (size_t i = 0; i < r->tasks[t].nchecks; i++)
            cJSON_AddItemToArray(tests, check_test(r, &r->tasks[t].checks[i]));
    text = cJSON_Print(root);
    cJSON_Delete(root);
    if (!text)
        return false;
    fprintf(out, "%s\n", text);
    cJSON_free(text);
    return !ferror(out);
}
