/* test_result.c - the result model and the rubric: clean feedback text,
 * points from a rubric value, the scores, and an instructor's rubric file. */
#include <stdlib.h>

#include "result.h"
#include "rubric.h"
#include "text.h"
#include "unit.h"

static void expect_clean(const char *in, const char *want)
{
    char *got = text_clean(in);

    if (strcmp(got, want) != 0)
        fail_msg("text_clean(\"%s\")\n  got:      \"%s\"\n  expected: \"%s\"", in, got, want);
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

static void expect_quote(const char *in, size_t max, size_t cap, const char *want)
{
    char out[64];

    text_quote(in, max, out, cap);
    if (strcmp(out, want) != 0)
        fail_msg("text_quote(\"%s\", %zu, cap %zu)\n  got:      \"%s\"\n  expected: \"%s\"", in ? in : "(null)", max,
                 cap, out, want);
}

static void quotes_stderr_on_one_line_and_cuts_between_characters(void **state)
{
    (void)state;
    expect_quote("mmap: Cannot allocate memory\n", 300, 64, "mmap: Cannot allocate memory");
    expect_quote("usage: ./mmap_demo [SIZE]\nbad SIZE \"x\"\n\n", 300, 64,
                 "usage: ./mmap_demo [SIZE]\\nbad SIZE \\\"x\\\"");
    expect_quote(NULL, 300, 64, "");
    expect_quote("abcdefgh", 4, 64, "abcd...");
    expect_quote("ab\xc3\xa9", 3, 64, "ab...");   /* é cut in two: both bytes dropped */
    expect_quote("abcdefghijklmnop", 300, 10, "abcde..."); /* the buffer, not max, cuts */
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
    task_result_free(&t);
}

static void gives_a_passed_check_its_points_and_a_failed_one_none(void **state)
{
    struct task_result t = {.task = "2.3"};
    struct check_result *lazy = result_add(&t, "lazy"), *resident = result_add(&t, "resident");
    struct rubric rubric;
    double max;

    (void)state;
    rubric_init(&rubric);
    check_pass(lazy, "ok");
    check_fail(resident, "no");
    rubric_score(&rubric, &t);
    EXPECT_LONG(lazy->points, 4);
    EXPECT_LONG(resident->points, 0);
    EXPECT_LONG(resident->max_points, 3);
    EXPECT_STR(lazy->visibility, "visible");
    EXPECT_STR(lazy->title, "no page of the mapping is resident at pause 1");
    EXPECT_LONG(result_task_score(&t, &max), 4);
    EXPECT_LONG(max, 7);
    task_result_free(&t);
}

static void sums_a_report_of_several_tasks(void **state)
{
    struct grade_report r = {.ntasks = 2, .tasks = {{.task = "2.3"}, {.task = "2.5"}}};
    struct rubric rubric;
    double max;

    (void)state;
    rubric_init(&rubric);
    check_pass(result_add(&r.tasks[0], "lazy"), "ok");
    check_not_run(result_add(&r.tasks[1], "shellcheck"), "absent");
    check_pass(result_add(&r.tasks[1], "live"), "ok");
    rubric_score(&rubric, &r.tasks[0]);
    rubric_score(&rubric, &r.tasks[1]);
    EXPECT_LONG(result_report_score(&r, &max), 4 + 8);
    EXPECT_LONG(max, 4 + 4 + 8);
    report_free(&r);
}

static void gives_the_checks_92_of_the_100_points(void **state)
{
    struct rubric rubric;
    double total = 0;

    (void)state;
    rubric_init(&rubric);
    for (size_t i = 0; i < rubric.count; i++)
        total += rubric.entries[i].points;
    /* the other 8 of the kit's 100 are the instructor's (docs/rubric.md) */
    EXPECT_LONG(total, 92);
    EXPECT_LONG(rubric.count, 44);
}

static void expect_rubric_error(const char *text, const char *want)
{
    char err[256] = "", *secret = NULL;
    struct rubric rubric, before;

    rubric_init(&rubric);
    before = rubric;
    if (rubric_apply(&rubric, text, &secret, err, sizeof err))
        fail_msg("rubric_apply(%s)\n  got:      true\n  expected: false (%s)", text, want);
    if (!strstr(err, want))
        fail_msg("rubric_apply(%s)\n  got:      \"%s\"\n  expected it to contain: \"%s\"", text, err, want);
    EXPECT_TRUE(secret == NULL);
    /* all or nothing: a file with a mistake changes nothing */
    EXPECT_TRUE(memcmp(&rubric, &before, sizeof rubric) == 0);
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
    /* the first part applied, the second wrong: nothing of it stays */
    expect_rubric_error("{\"checks\": {\"2.3\": {\"lazy\": {\"points\": 9}, \"x\": {}}}}", "unknown check '2.3 x'");
}

static void applies_points_visibility_penalty_and_secret(void **state)
{
    char err[256] = "", *secret = NULL;
    struct task_result t = {.task = "2.3"};
    struct check_result *lazy, *build;
    struct rubric rubric;

    (void)state;
    rubric_init(&rubric);
    EXPECT_TRUE(rubric_apply(&rubric,
                             "{\"secret\": \"s3cret\", \"checks\": {\"2.3\": {\"lazy\": {\"points\": 6, "
                             "\"visibility\": \"after_published\"}, \"build\": {\"warning_penalty\": 0.5}}}}",
                             &secret, err, sizeof err));
    EXPECT_STR(err, "");
    EXPECT_STR(secret, "s3cret");
    lazy = result_add(&t, "lazy");
    build = result_add(&t, "build");
    check_pass(lazy, "ok");
    check_pass(build, "warned");
    build->warned = true;
    rubric_score(&rubric, &t);
    EXPECT_LONG(lazy->max_points, 6);
    EXPECT_STR(lazy->visibility, "after_published");
    EXPECT_TRUE(build->points == 0.5);
    EXPECT_TRUE(rubric_find(&rubric, "2.1", "build")->warning_penalty == 0);
    task_result_free(&t);
    free(secret);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(keeps_valid_utf8_and_replaces_everything_else),
        cmocka_unit_test(quotes_stderr_on_one_line_and_cuts_between_characters),
        cmocka_unit_test(cleans_feedback_as_it_is_written),
        cmocka_unit_test(gives_a_passed_check_its_points_and_a_failed_one_none),
        cmocka_unit_test(sums_a_report_of_several_tasks),
        cmocka_unit_test(gives_the_checks_92_of_the_100_points),
        cmocka_unit_test(rejects_a_rubric_it_does_not_understand),
        cmocka_unit_test(applies_points_visibility_penalty_and_secret),
    };

    return cmocka_run_group_tests_name("result", tests, NULL, NULL);
}
