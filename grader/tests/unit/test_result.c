/* test_result.c - the result model: clean feedback text, the rubric and
 * an instructor's rubric file. */
#include <stdlib.h>

#include "result.h"
#include "unit.h"

static void expect_clean(const char *in, const char *want)
{
    char *got = result_clean_text(in);

    if (strcmp(got, want) != 0)
        fail_msg("result_clean_text(\"%s\")\n  got:      \"%s\"\n  expected: \"%s\"", in, got, want);
    free(got);
}

static void keeps_valid_utf8_and_replaces_everything_else(void **state)
{
    (void)state;
    expect_clean("plain\ttext\nline two", "plain\ttext\nline two");
    expect_clean("r\xc3\xa9sum\xc3\xa9 \xe2\x9c\x85 \xf0\x9f\x98\x80", "r\xc3\xa9sum\xc3\xa9 \xe2\x9c\x85 \xf0\x9f\x98\x80");
    expect_clean("line\r\n", "line\n");
    expect_clean("\x1b[2Jcleared", "\xef\xbf\xbd[2Jcleared");
    expect_clean("bad \xff byte", "bad \xef\xbf\xbd byte");
    expect_clean("cut \xe2\x9c", "cut \xef\xbf\xbd\xef\xbf\xbd");
    expect_clean("overlong \xc0\xaf", "overlong \xef\xbf\xbd\xef\xbf\xbd");
    expect_clean("surrogate \xed\xa0\x80", "surrogate \xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
    expect_clean("del \x7f", "del \xef\xbf\xbd");
}

static void cleans_feedback_as_it_is_written(void **state)
{
    struct task_result t = {.task = "2.3"};
    struct check_result *c = result_add(&t, "runs");

    (void)state;
    check_fail(c, "stderr: %s", "\x1b[31mred\xff");
    EXPECT_STR(c->feedback, "stderr: \xef\xbf\xbd[31mred\xef\xbf\xbd");
    check_note(c, "Try: %s", "again");
    EXPECT_STR(c->feedback, "stderr: \xef\xbf\xbd[31mred\xef\xbf\xbd\nTry: again");
    free(c->feedback);
}

static void gives_a_passed_check_its_points_and_a_failed_one_none(void **state)
{
    struct task_result t = {.task = "2.3"};
    struct check_result *lazy = result_add(&t, "lazy"), *resident = result_add(&t, "resident");

    (void)state;
    check_pass(lazy, "ok");
    check_fail(resident, "no");
    EXPECT_LONG(lazy->points, 4);
    EXPECT_LONG(resident->points, 0);
    EXPECT_LONG(resident->max_points, 3);
    EXPECT_STR(lazy->visibility, "visible");
    free(lazy->feedback);
    free(resident->feedback);
}

static void gives_the_checks_92_of_the_100_points(void **state)
{
    double total = 0, points;
    const char *ids[MAX_CHECKS], *title;

    (void)state;
    for (size_t t = 0; rubric_tasks[t]; t++) {
        size_t n = rubric_check_ids(rubric_tasks[t], ids, MAX_CHECKS);

        for (size_t i = 0; i < n; i++) {
            EXPECT_TRUE(rubric_lookup(rubric_tasks[t], ids[i], &title, &points));
            total += points;
        }
    }
    /* the other 8 of the kit's 100 are the instructor's (docs/rubric.md) */
    EXPECT_LONG(total, 92);
}

static void expect_rubric_error(const char *text, const char *want)
{
    char err[256] = "", *secret = NULL;

    if (rubric_apply(text, &secret, err, sizeof err))
        fail_msg("rubric_apply(%s)\n  got:      true\n  expected: false (%s)", text, want);
    if (!strstr(err, want))
        fail_msg("rubric_apply(%s)\n  got:      \"%s\"\n  expected it to contain: \"%s\"", text, err, want);
    EXPECT_TRUE(secret == NULL);
}

static void rejects_a_rubric_it_does_not_understand(void **state)
{
    (void)state;
    expect_rubric_error("not json", "not a JSON object");
    expect_rubric_error("[1, 2]", "not a JSON object");
    expect_rubric_error("{\"sekret\": \"x\"}", "unknown key 'sekret'");
    expect_rubric_error("{\"secret\": \"\"}", "secret must be a non-empty string");
    expect_rubric_error("{\"checks\": []}", "checks must be an object");
    expect_rubric_error("{\"checks\": {\"2.3\": {\"lazzy\": {\"points\": 1}}}}", "unknown check '2.3 lazzy'");
    expect_rubric_error("{\"checks\": {\"2.9\": {\"lazy\": {\"points\": 1}}}}", "unknown check '2.9 lazy'");
    expect_rubric_error("{\"checks\": {\"2.3\": {\"lazy\": {\"points\": -1}}}}", "points must be a number");
    expect_rubric_error("{\"checks\": {\"2.3\": {\"lazy\": {\"points\": \"4\"}}}}", "points must be a number");
    expect_rubric_error("{\"checks\": {\"2.3\": {\"lazy\": {\"visibility\": \"secret\"}}}}", "visibility must be");
    expect_rubric_error("{\"checks\": {\"2.3\": {\"lazy\": {\"warning_penalty\": 1}}}}", "unknown setting 'warning_penalty'");
}

/* Runs last: it changes the rubric for the rest of the process. */
static void applies_points_visibility_penalty_and_secret(void **state)
{
    char err[256] = "", *secret = NULL;
    struct task_result t = {.task = "2.3"};
    struct check_result *c;

    (void)state;
    EXPECT_TRUE(rubric_apply("{\"secret\": \"s3cret\", \"checks\": {\"2.3\": {\"lazy\": {\"points\": 6, "
                             "\"visibility\": \"after_published\"}, \"build\": {\"warning_penalty\": 0.5}}}}",
                             &secret, err, sizeof err));
    EXPECT_STR(err, "");
    EXPECT_STR(secret, "s3cret");
    c = result_add(&t, "lazy");
    EXPECT_LONG(c->max_points, 6);
    EXPECT_STR(c->visibility, "after_published");
    EXPECT_TRUE(rubric_warning_penalty("2.3") == 0.5);
    EXPECT_TRUE(rubric_warning_penalty("2.1") == 0);
    free(secret);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(keeps_valid_utf8_and_replaces_everything_else),
        cmocka_unit_test(cleans_feedback_as_it_is_written),
        cmocka_unit_test(gives_a_passed_check_its_points_and_a_failed_one_none),
        cmocka_unit_test(gives_the_checks_92_of_the_100_points),
        cmocka_unit_test(rejects_a_rubric_it_does_not_understand),
        cmocka_unit_test(applies_points_visibility_penalty_and_secret),
    };

    return cmocka_run_group_tests_name("result", tests, NULL, NULL);
}
