/* test_reports.c - the report checks on reports written as students do:
 * what is flagged, with its line, and what is tolerated. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>

#include "handouts.h"
#include "tasks/reports.h"
#include "unit.h"

static struct task_result task;
static struct md_report student, tmpl;

static void reset(void)
{
    task_result_free(&task);
    memset(&task, 0, sizeof task);
    md_free(&student);
    md_free(&tmpl);
}

/* Judges text as task's report, through the grader's own entry point;
 * returns check id. */
static const struct check_result *judge(const char *task_id, const char *id, const char *text)
{
    reset();
    task.task = task_id;
    judge_report_text(text, strlen(text), &task);
    for (size_t i = 0; i < task.nchecks; i++)
        if (strcmp(task.checks[i].id, id) == 0)
            return &task.checks[i];
    fail_msg("judge_report_text(%s) gave no %s check", task_id, id);
    return NULL;
}

static int teardown(void **state)
{
    (void)state;
    reset();
    return 0;
}

/* A 2.3 report's stage table under heading, with rows of VSZ and RSS. */
static char *stage_report(const char *heading, const long v[4], const long r[4], const char *unit, const char *after)
{
    char *text = NULL;

    if (asprintf(&text,
                 "# Task 2.3 report\n\n## %s\n\n| Stage | VSZ | RSS | note |\n|---|---:|---:|---|\n"
                 "| Initial | %ld%s | %ld%s | x |\n| After mmap | %ld%s | %ld%s | x |\n"
                 "| After writing to memory | %ld%s | %ld%s | x |\n| After munmap | %ld%s | %ld%s | x |\n\n"
                 "## /proc/PID/maps at pause 1\n\n```\n7f70be600000-7f70c2600000 rw-p 00000000 00:00 0\n```\n%s",
                 heading, v[0], unit, r[0], unit, v[1], unit, r[1], unit, v[2], unit, r[2], unit, v[3], unit, r[3],
                 unit, after) < 0)
        abort();
    return text;
}

static void judge_stages(const char *heading, const long v[4], const long r[4], const char *unit, const char *after,
                         enum check_status want, const char *want_text)
{
    char *text = stage_report(heading, v, r, unit, after);
    const struct check_result *c = judge("2.3", "report_consistent", text);

    if (c->status != want)
        fail_msg("report_consistent\n  got:      %s\n  expected: %s\n  feedback: %s\n  report:\n%s",
                 c->status == CHECK_PASSED ? "passed" : "failed", want == CHECK_PASSED ? "passed" : "failed",
                 c->feedback, text);
    if (want_text)
        EXPECT_CONTAINS(c->feedback, want_text);
    free(text);
}

static const long vsz64[4] = {2476, 68012, 68012, 2476}, rss64[4] = {1620, 1620, 67160, 1624};

static void passes_a_table_of_someone_else_s_machine_in_any_kib_spelling(void **state)
{
    const long v[4] = {9000, 74536, 74536, 9000}, r[4] = {3000, 3004, 68544, 3010};

    (void)state;
    judge_stages("Stage table, 64 MiB (67108864 bytes)", v, r, "", "", CHECK_PASSED, NULL);
    judge_stages("Stage table, 64 MiB (67108864 bytes)", v, r, " kB", "", CHECK_PASSED, NULL);
    judge_stages("Stage table, 64 MiB (67108864 bytes)", v, r, "KiB", "", CHECK_PASSED, NULL);
}

static void flags_a_table_that_contradicts_lazy_allocation(void **state)
{
    const long r[4] = {1620, 67156, 67160, 1624};

    (void)state;
    judge_stages("Stage table, 64 MiB (67108864 bytes)", vsz64, r, "", "", CHECK_FAILED,
                 "line 8: RSS rose by 65536 KiB at mmap, before any page was written");
}

static void flags_vsz_that_does_not_grow_by_the_mapping(void **state)
{
    const long v[4] = {2476, 2480, 2480, 2476}, r[4] = {1540, 1540, 1604, 1600};

    (void)state;
    judge_stages("Stage table, default size (4096 bytes)", v, r, "", "", CHECK_PASSED, NULL);
    judge_stages("Stage table, 64 MiB (67108864 bytes)", v, r, "", "", CHECK_FAILED,
                 "VSZ after mmap (2480) is not at least VSZ initial (2476) plus the 65536 KiB mapped");
}

static void accepts_a_table_that_caught_posix_spawn_s_stack_at_any_size(void **state)
{
    const long v[4] = {2512, 68012, 68012, 2476};

    (void)state;
    judge_stages("Stage table, 64 MiB (67108864 bytes)", v, rss64, "", "", CHECK_PASSED, NULL);
}

static void flags_numbers_that_are_not_whole_kib(void **state)
{
    (void)state;
    judge_stages("Stage table, 64 MiB", vsz64, rss64, " MB", "", CHECK_FAILED, "VSZ \"2476 MB\" is not a whole number of KiB");
}

static void flags_a_line_of_a_maps_excerpt_that_is_not_one(void **state)
{
    (void)state;
    judge_stages("Stage table, 64 MiB", vsz64, rss64, "", "```\n$ cat /proc/42/maps\n7f70be6ae000 rw-p anonymous\n```\n",
                 CHECK_FAILED, "not a /proc/PID/maps line: \"7f70be6ae000 rw-p anonymous\"");
}

static void flags_a_size_stated_for_a_range_it_does_not_span(void **state)
{
    (void)state;
    judge_stages("Stage table, 64 MiB", vsz64, rss64, "",
                 "\n7f70be6ae000-7f70be6b1000 rw-p 00000000 00:00 0 Size: 4 KB\n", CHECK_FAILED,
                 "the range 7f70be6ae000-7f70be6b1000 spans 12 KiB, not the size written");
    judge_stages("Stage table, 64 MiB", vsz64, rss64, "",
                 "\n```\n7f70be6ae000-7f70be6b1000 rw-p 00000000 00:00 0\nSize:                 12 kB\nRss:                   4 kB\n```\n",
                 CHECK_PASSED, NULL);
    judge_stages("Stage table, 64 MiB", vsz64, rss64, "",
                 "\n```\n7f70be6ae000-7f70be6b1000 rw-p 00000000 00:00 0\nRss:                  16 kB\n```\n", CHECK_FAILED,
                 "Rss of 16 KiB is more than the 12 KiB of the line 7f70be6ae000-7f70be6b1000");
    judge_stages("Stage table, 64 MiB", vsz64, rss64, "", "\nIt spans 0x7f70be6b1000 - 0x7f70be6ae000 = 0x2000 bytes.\n",
                 CHECK_FAILED, "is 0x3000 (12288 bytes), not what is written");
}

static void flags_a_table_that_copies_the_handout_s_sample(void **state)
{
    static const long v[4] = {2476, 68012, 68012, 2476}, r[4] = {1436, 1436, 66976, 1440};

    (void)state;
    judge_stages("Stage table, 64 MiB", v, r, "", "", CHECK_FAILED,
                 "the table's numbers are those of the handout's sample output (`./mmap_demo 67108864`)");
}

static void leaves_sizes_said_of_something_else_alone(void **state)
{
    (void)state;
    /* the Rss of the quoted line, said next to the page the student named
     * in it: a claim about the line, which holds */
    judge_stages("Stage table, 64 MiB", vsz64, rss64, "",
                 "\n## maps at pause 2\n\n```\n7f70be6ae000-7f70be6b1000 rw-p 00000000 00:00 0\n```\n\nMy 4096 "
                 "bytes are the first page (7f70be6ae000-7f70be6af000) of this line, which had Rss: 8 kB.\n",
                 CHECK_PASSED, NULL);
    judge_stages("Stage table, 64 MiB", vsz64, rss64, "",
                 "\nMy 4 KiB mapping lies inside this 12 KiB line: 7f70be6ae000-7f70be6b1000, whose size I work out as "
                 "0x7f70be6b1000 - 0x7f70be6ae000 = 0x3000 bytes = 12 KiB. The range spans 12 KiB.\n",
                 CHECK_PASSED, NULL);
}

static void takes_a_task_s_part_of_a_report_of_several_tasks(void **state)
{
    const struct check_result *c;

    (void)state;
    c = judge("2.1", "report_complete", "# Task 2.1 report\nTODO\n# Task 2.3 report\nall done\n");
    EXPECT_CONTAINS(c->feedback, "line 2: a TODO is left");
    c = judge("2.3", "report_consistent", "# Task 2.1 report\nTODO\n# Task 2.3 report\nall done\n");
    EXPECT_CONTAINS(c->feedback, "no stage table");
    c = judge("2.2", "report_complete", "# Task 2.1 report\n# Task 2.3 report\n");
    EXPECT_CONTAINS(c->feedback, "REPORT.md has no part for this task");
}

static void lists_missing_headings_todos_and_empty_cells(void **state)
{
    const struct check_result *c;

    (void)state;
    c = judge("2.2", "report_complete",
              "# Task 2.2\n## Run with the default size\n| a | |\n## Run with 64 MiB\nTODO: later\n");
    EXPECT_LONG(c->status, CHECK_FAILED);
    EXPECT_CONTAINS(c->feedback, "the heading \"A bad argument\" of the template is missing");
    EXPECT_CONTAINS(c->feedback, "line 3: the table's cell in column 2 is empty");
    EXPECT_CONTAINS(c->feedback, "line 5: a TODO is left: \"TODO: later\"");
}

static const char answers_2_4[] =
    "# Task 2.4 report\n\n## 1. Lazy allocation\n\nAfter `mmap`, VSZ grew but RSS did not. What did `mmap` give your process,\n"
    "and what did it not give it yet?\n\nThe kernel reserved addresses only; pages come on demand when first touched, "
    "which is lazy allocation.\n\n## 2. Page faults\n\nEach first write trapped into the kernel as a page fault, and the "
    "kernel mapped a zeroed frame there.\n\n## 3. VSZ versus RSS\n\nVSZ is the virtual size of all mappings while RSS is "
    "the resident part, held in physical memory right now.\n\n## 4. Numbers that moved by other amounts\n\n"
    "RSS rose by 64 KiB for one page, because the library was faulted in around the page we missed.\n";

static void passes_answers_that_name_their_ideas_and_quotes_them(void **state)
{
    const struct check_result *c;

    (void)state;
    c = judge("2.4", "report_concepts", answers_2_4);
    EXPECT_LONG(c->status, CHECK_PASSED);
    EXPECT_CONTAINS(c->feedback, "1. Lazy allocation:\n  The kernel reserved addresses only");
    /* the template's question is not part of the answer */
    EXPECT_FALSE(strstr(c->feedback, "What did `mmap` give your process") != NULL);
}

static void flags_an_answer_without_its_idea_or_not_in_sentences(void **state)
{
    char *text = strdup(answers_2_4);
    const struct check_result *c;

    (void)state;
    memcpy(strstr(text, "virtual size"), "total   size", 12);
    memcpy(strstr(text, "page fault"), "page trap ", 10);
    c = judge("2.4", "report_concepts", text);
    EXPECT_CONTAINS(c->feedback, "the answer to question 2 does not name the page fault");
    EXPECT_CONTAINS(c->feedback, "the answer to question 3 does not name virtual and resident size");
    free(text);
    c = judge("2.4", "report_concepts", "# Task 2.4\n## 1. Lazy allocation\nlazy\n");
    EXPECT_CONTAINS(c->feedback, "question 1 is not answered in sentences (1 words)");
    EXPECT_CONTAINS(c->feedback, "question 2 (\"2. Page faults\") has no section with its heading");
}

static void gives_the_template_as_handed_out_no_consistency_point(void **state)
{
    const struct check_result *c = judge("2.3", "report_consistent", template_report("2.3"));

    (void)state;
    EXPECT_STR(c->feedback, "Precondition failed: no stage table has its numbers filled in yet (see `report_complete`).");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(passes_a_table_of_someone_else_s_machine_in_any_kib_spelling, teardown),
        cmocka_unit_test_teardown(flags_a_table_that_contradicts_lazy_allocation, teardown),
        cmocka_unit_test_teardown(flags_vsz_that_does_not_grow_by_the_mapping, teardown),
        cmocka_unit_test_teardown(accepts_a_table_that_caught_posix_spawn_s_stack_at_any_size, teardown),
        cmocka_unit_test_teardown(flags_numbers_that_are_not_whole_kib, teardown),
        cmocka_unit_test_teardown(flags_a_line_of_a_maps_excerpt_that_is_not_one, teardown),
        cmocka_unit_test_teardown(flags_a_size_stated_for_a_range_it_does_not_span, teardown),
        cmocka_unit_test_teardown(flags_a_table_that_copies_the_handout_s_sample, teardown),
        cmocka_unit_test_teardown(leaves_sizes_said_of_something_else_alone, teardown),
        cmocka_unit_test_teardown(takes_a_task_s_part_of_a_report_of_several_tasks, teardown),
        cmocka_unit_test_teardown(lists_missing_headings_todos_and_empty_cells, teardown),
        cmocka_unit_test_teardown(gives_the_template_as_handed_out_no_consistency_point, teardown),
        cmocka_unit_test_teardown(passes_answers_that_name_their_ideas_and_quotes_them, teardown),
        cmocka_unit_test_teardown(flags_an_answer_without_its_idea_or_not_in_sentences, teardown),
    };

    return cmocka_run_group_tests_name("reports", tests, NULL, NULL);
}
