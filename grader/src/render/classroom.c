/* classroom.c - the report as GitHub Classroom's grading reporter reads a
 * runner's result: base64 of {version, status, max_score, tests[]}, one
 * line, for a step output ("<ID>_RESULTS" in the reporter's environment). */
#include "render.h"

#include <stdint.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "common.h"

static void put_base64(const unsigned char *data, size_t n, FILE *out)
{
    static const char digits[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

    for (size_t i = 0; i < n; i += 3) {
        uint32_t v = (uint32_t)data[i] << 16 | (i + 1 < n ? (uint32_t)data[i + 1] << 8 : 0) |
                     (i + 2 < n ? data[i + 2] : 0);

        fputc(digits[v >> 18 & 63], out);
        fputc(digits[v >> 12 & 63], out);
        fputc(i + 1 < n ? digits[v >> 6 & 63] : '=', out);
        fputc(i + 2 < n ? digits[v & 63] : '=', out);
    }
}

static cJSON *check_test(const struct check_result *c)
{
    cJSON *test = cJSON_CreateObject();
    char name[160], code[64];

    snprintf(name, sizeof name, "%s %s: %s", c->task, c->id, c->title);
    snprintf(code, sizeof code, "%s/%s", c->task, c->id);
    cJSON_AddStringToObject(test, "name", name);
    /* the reporter counts "pass"; a check not run is no pass */
    cJSON_AddStringToObject(test, "status", c->status == CHECK_PASSED ? "pass" : "fail");
    cJSON_AddNumberToObject(test, "score", c->points);
    cJSON_AddNumberToObject(test, "max_score", c->max_points);
    cJSON_AddStringToObject(test, "message", c->status == CHECK_PASSED ? "" : c->feedback ? c->feedback : "");
    cJSON_AddStringToObject(test, "test_code", code);
    if (c->file)
        cJSON_AddStringToObject(test, "filename", c->file);
    if (c->line > 0)
        cJSON_AddNumberToObject(test, "line_no", (double)c->line);
    return test;
}

bool render_classroom(const struct grade_report *r, FILE *out)
{
    cJSON *root = cJSON_CreateObject(), *tests;
    double max;
    char *text;

    result_report_score(r, &max);
    cJSON_AddNumberToObject(root, "version", 1);
    /* "pass" once graded, whatever the score: the reporter fails the job
     * on "fail", and a low score is the student's news, not a broken build */
    cJSON_AddStringToObject(root, "status", "pass");
    cJSON_AddNumberToObject(root, "max_score", max);
    tests = cJSON_AddArrayToObject(root, "tests");
    for (size_t t = 0; t < r->ntasks; t++)
        for (size_t i = 0; i < r->tasks[t].nchecks; i++)
            cJSON_AddItemToArray(tests, check_test(&r->tasks[t].checks[i]));
    text = cJSON_PrintUnformatted(root);
    cJSON_Delete(root);
    if (!text)
        return false;
    put_base64((const unsigned char *)text, strlen(text), out);
    fputc('\n', out);
    cJSON_free(text);
    return !ferror(out);
}
