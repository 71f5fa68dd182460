/* test_render.c - every renderer on one hand-made report: text with its
 * timeline, Gradescope JSON, Markdown and JUnit XML, each read back as its
 * readers would read it. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>

#include <cjson/cJSON.h>
#include <libxml/parser.h>
#include <libxml/xpath.h>

#include "render/render.h"
#include "rubric.h"
#include "unit.h"

static struct grade_report report;

/* Two tasks: 2.3 with a timeline, one check passed and one failed with
 * feedback holding a code fence; 2.5 with a check not run. */
static int set_up(void **state)
{
    struct task_result *t23 = &report.tasks[0], *t25 = &report.tasks[1];
    struct rubric rubric;

    (void)state;
    memset(&report, 0, sizeof report);
    report = (struct grade_report){.submission = "students/ana", .seed = 7, .small_size = 9240,
                                   .large_size = 67108941, .seconds = 1.5, .isolation = "bwrap sandbox, as nobody",
                                   .ntasks = 2};
    t23->task = "2.3";
    t25->task = "2.5";
    check_pass(result_add(t23, "runs"), "Exited 0.");
    check_fail(result_add(t23, "lazy"), "Expected: lazy.\nObserved: ```4 pages```.");
    cJSON_AddNumberToObject(check_observed(&t23->checks[1]), "own_pages", 4);
    check_not_run(result_add(t25, "shellcheck"), "shellcheck is not installed here.");
    t23->timeline[0] = (struct stage_view){"Initial", 2496, 1552, -1, -1};
    t23->timeline[1] = (struct stage_view){"pause 2 (/proc)", 68036, 67096, 16385, 16385};
    t23->ntimeline = 2;
    rubric_init(&rubric);
    rubric_score(&rubric, t23);
    rubric_score(&rubric, t25);
    report.incomplete = true;
    return 0;
}

static int tear_down(void **state)
{
    (void)state;
    report_free(&report);
    return 0;
}

static char *rendered(enum format f, bool colour)
{
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);

    EXPECT_TRUE(render(f, &report, out, colour));
    fclose(out);
    return text;
}

static void writes_text_with_scores_timeline_and_failed_feedback(void **state)
{
    char *text = rendered(FORMAT_TEXT, false);

    (void)state;
    EXPECT_CONTAINS(text, "mmgrade: students/ana (seed 7, sizes 9240 and 67108941 bytes)\n");
    EXPECT_CONTAINS(text, "isolation: bwrap sandbox, as nobody\n");
    EXPECT_CONTAINS(text, "kernel: a read of a fresh page maps the shared zero page (probed)\n");
    EXPECT_CONTAINS(text, "\nTask 2.3  2/6\n");
    EXPECT_CONTAINS(text, "  failed  lazy                 0/4   no page of the mapping is resident at pause 1\n");
    EXPECT_CONTAINS(text, "  timeline (large size):  stage ");
    EXPECT_CONTAINS(text, "                          Initial                       2496      1552 \n");
    EXPECT_CONTAINS(text, "                          pause 2 (/proc)              68036     67096 16385/16385 pages\n");
    EXPECT_CONTAINS(text, "\n  2.3 lazy:\n    Expected: lazy.\n    Observed: ```4 pages```.\n");
    EXPECT_CONTAINS(text, "  not run shellcheck           0/4 ");
    EXPECT_CONTAINS(text, "\nTotal: 2/10 (incomplete: some checks were not run)\n");
    EXPECT_FALSE(strstr(text, "Exited 0.")); /* passed feedback only with --verbose */
    EXPECT_FALSE(strstr(text, "\033["));
    free(text);
    report.verbose = true;
    text = rendered(FORMAT_TEXT, true);
    EXPECT_CONTAINS(text, "Exited 0.");
    EXPECT_CONTAINS(text, "\033[31mfailed \033[0m lazy");
    free(text);
}

static void writes_json_gradescope_reads(void **state)
{
    char *text = rendered(FORMAT_JSON, false);
    cJSON *root = cJSON_Parse(text), *tests = cJSON_GetObjectItem(root, "tests"), *lazy, *sc;

    (void)state;
    EXPECT_TRUE(root != NULL);
    EXPECT_LONG(cJSON_GetObjectItem(root, "score")->valuedouble, 2);
    EXPECT_STR(cJSON_GetObjectItem(root, "output")->valuestring, "2/10 (incomplete: some checks were not run)");
    EXPECT_LONG(cJSON_GetArraySize(tests), 3);
    lazy = cJSON_GetArrayItem(tests, 1);
    EXPECT_STR(cJSON_GetObjectItem(lazy, "name")->valuestring, "2.3 lazy: no page of the mapping is resident at pause 1");
    EXPECT_STR(cJSON_GetObjectItem(lazy, "status")->valuestring, "failed");
    EXPECT_LONG(cJSON_GetObjectItem(lazy, "max_score")->valuedouble, 4);
    EXPECT_STR(cJSON_GetObjectItem(lazy, "visibility")->valuestring, "visible");
    EXPECT_LONG(cJSON_GetObjectItem(cJSON_GetObjectItem(cJSON_GetObjectItem(lazy, "extra_data"), "observed"),
                                    "own_pages")->valuedouble, 4);
    sc = cJSON_GetArrayItem(tests, 2);
    /* Gradescope knows passed and failed; extra_data keeps "not run" */
    EXPECT_STR(cJSON_GetObjectItem(sc, "status")->valuestring, "failed");
    EXPECT_STR(cJSON_GetObjectItem(cJSON_GetObjectItem(sc, "extra_data"), "status")->valuestring, "not run");
    EXPECT_LONG(cJSON_GetObjectItem(cJSON_GetObjectItem(sc, "extra_data"), "seed")->valuedouble, 7);
    cJSON_Delete(root);
    free(text);
}

static void writes_markdown_with_a_fence_no_feedback_can_close(void **state)
{
    char *text = rendered(FORMAT_MARKDOWN, false);

    (void)state;
    EXPECT_CONTAINS(text, "## mmgrade: 2/10 (incomplete: some checks were not run)\n");
    EXPECT_CONTAINS(text, "### Task 2.3: 2/6\n");
    EXPECT_CONTAINS(text, "| ❌ | `lazy` | 0/4 | no page of the mapping is resident at pause 1 |\n");
    EXPECT_CONTAINS(text, "| pause 2 (/proc) | 68036 | 67096 | 16385/16385 pages |\n");
    EXPECT_CONTAINS(text, "| Initial | 2496 | 1552 |  |\n");
    /* the feedback holds ```: its fence is four long */
    EXPECT_CONTAINS(text, "````text\nExpected: lazy.\nObserved: ```4 pages```.\n````\n");
    EXPECT_CONTAINS(text, "| ⚠️ | `shellcheck` | 0/4 |");
    free(text);
}

static double xpath_number(xmlDocPtr doc, const char *expr)
{
    xmlXPathContextPtr ctx = xmlXPathNewContext(doc);
    xmlXPathObjectPtr value = xmlXPathEvalExpression(BAD_CAST expr, ctx);
    double n = value ? xmlXPathCastToNumber(value) : -1;

    xmlXPathFreeObject(value);
    xmlXPathFreeContext(ctx);
    return n;
}

static void writes_junit_a_ci_reporter_reads(void **state)
{
    char *text = rendered(FORMAT_JUNIT, false);
    xmlDocPtr doc = xmlReadMemory(text, (int)strlen(text), "junit.xml", NULL, XML_PARSE_NONET);

    (void)state;
    EXPECT_TRUE(doc != NULL);
    EXPECT_LONG(xpath_number(doc, "number(/testsuites/@tests)"), 3);
    EXPECT_LONG(xpath_number(doc, "number(/testsuites/@failures)"), 1);
    EXPECT_LONG(xpath_number(doc, "number(/testsuites/@skipped)"), 1);
    EXPECT_LONG(xpath_number(doc, "count(//testsuite)"), 2);
    EXPECT_LONG(xpath_number(doc, "count(//testcase[@classname='mmgrade.2.3']/failure)"), 1);
    EXPECT_LONG(xpath_number(doc, "count(//testcase/skipped)"), 1);
    EXPECT_LONG(xpath_number(doc, "count(//testsuite[@name='task 2.3']/properties/property[@name='score' and "
                                  "@value='2/6'])"), 1);
    xmlFreeDoc(doc);
    free(text);
}

static void knows_its_formats_by_name(void **state)
{
    enum format f;

    (void)state;
    EXPECT_TRUE(format_parse("junit", &f));
    EXPECT_LONG(f, FORMAT_JUNIT);
    EXPECT_FALSE(format_parse("xml", &f));
    for (int i = 0; i < FORMAT_COUNT; i++)
        EXPECT_TRUE(format_parse(format_names[i], &f) && f == (enum format)i);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(writes_text_with_scores_timeline_and_failed_feedback, set_up, tear_down),
        cmocka_unit_test_setup_teardown(writes_json_gradescope_reads, set_up, tear_down),
        cmocka_unit_test_setup_teardown(writes_markdown_with_a_fence_no_feedback_can_close, set_up, tear_down),
        cmocka_unit_test_setup_teardown(writes_junit_a_ci_reporter_reads, set_up, tear_down),
        cmocka_unit_test(knows_its_formats_by_name),
    };

    return cmocka_run_group_tests_name("render", tests, NULL, NULL);
}
