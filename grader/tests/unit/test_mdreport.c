/* test_mdreport.c - reading Markdown reports as students type them. */
#include <stdint.h>

#include "mdreport.h"
#include "text.h"
#include "unit.h"

static void parse(const char *text, struct md_report *r)
{
    md_parse(text, strlen(text), r);
}

static void tells_headings_tables_code_and_prose_apart(void **state)
{
    struct md_report r;

    (void)state;
    parse("# Title #\n\n## 1. Lazy allocation\ntext\n| a | b |\n|:--|--:|\n```\n# not a heading\n| nor | a row |\n```\n", &r);
    EXPECT_LONG(r.count, 10);
    EXPECT_LONG(r.lines[0].kind, MD_HEADING);
    EXPECT_STR(r.lines[0].text, "Title");
    EXPECT_LONG(r.lines[2].level, 2);
    EXPECT_LONG(r.lines[3].kind, MD_TEXT);
    EXPECT_LONG(r.lines[4].kind, MD_TABLE_ROW);
    EXPECT_LONG(r.lines[5].kind, MD_TABLE_RULE);
    EXPECT_LONG(r.lines[6].kind, MD_FENCE);
    EXPECT_LONG(r.lines[7].kind, MD_CODE);
    EXPECT_LONG(r.lines[8].kind, MD_CODE);
    EXPECT_LONG(r.lines[9].kind, MD_FENCE);
    EXPECT_LONG(r.lines[3].section, 2);
    EXPECT_LONG(r.lines[3].number, 4);
    md_free(&r);
}

static void splits_cells_keeping_empty_ones_and_escaped_bars(void **state)
{
    struct md_report r;

    (void)state;
    parse("|  Stage | VSZ (KiB) |  | a \\| b |\nStage | no leading bar\n", &r);
    EXPECT_LONG(r.lines[0].ncells, 4);
    EXPECT_STR(r.lines[0].cells[0], "Stage");
    EXPECT_STR(r.lines[0].cells[1], "VSZ (KiB)");
    EXPECT_STR(r.lines[0].cells[2], "");
    EXPECT_STR(r.lines[0].cells[3], "a | b");
    EXPECT_LONG(r.lines[1].kind, MD_TEXT);
    md_free(&r);
}

static void closes_a_fence_only_with_its_own_kind_and_length(void **state)
{
    struct md_report r;

    (void)state;
    parse("````\n```\n~~~\n````\nafter\n", &r);
    EXPECT_LONG(r.lines[1].kind, MD_CODE);
    EXPECT_LONG(r.lines[2].kind, MD_CODE);
    EXPECT_LONG(r.lines[3].kind, MD_FENCE);
    EXPECT_LONG(r.lines[4].kind, MD_TEXT);
    md_free(&r);
}

static void finds_headings_by_their_words_whatever_the_numbering(void **state)
{
    struct md_report r;
    char norm[64];

    (void)state;
    parse("# Report\n## Q2) Page Faults!\n### 3. VSZ versus RSS (my answer)\n", &r);
    EXPECT_LONG(md_find_heading(&r, "2. Page faults", 0), 1);
    EXPECT_LONG(md_find_heading(&r, "3. VSZ versus RSS", 0), 2);
    EXPECT_TRUE(md_find_heading(&r, "Lazy allocation", 0) == SIZE_MAX);
    EXPECT_LONG(md_section_end(&r, 1), 3);
    EXPECT_LONG(md_section_end(&r, 0), 3);
    text_normalise(md_skip_numbering("  12. `/proc/PID/maps` at pause 1"), norm, sizeof norm);
    EXPECT_STR(norm, "proc pid maps at pause 1");
    EXPECT_STR(md_skip_numbering("2.3 report"), "2.3 report");
    md_free(&r);
}

static void keeps_line_numbers_through_crlf_and_a_missing_last_newline(void **state)
{
    struct md_report r;

    (void)state;
    parse("a\r\n\r\n| x |\r\nlast", &r);
    EXPECT_LONG(r.count, 4);
    EXPECT_STR(r.lines[0].text, "a");
    EXPECT_LONG(r.lines[1].kind, MD_BLANK);
    EXPECT_STR(r.lines[2].cells[0], "x");
    EXPECT_STR(r.lines[3].text, "last");
    EXPECT_LONG(r.lines[3].number, 4);
    md_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(tells_headings_tables_code_and_prose_apart),
        cmocka_unit_test(splits_cells_keeping_empty_ones_and_escaped_bars),
        cmocka_unit_test(closes_a_fence_only_with_its_own_kind_and_length),
        cmocka_unit_test(finds_headings_by_their_words_whatever_the_numbering),
        cmocka_unit_test(keeps_line_numbers_through_crlf_and_a_missing_last_newline),
    };

    return cmocka_run_group_tests_name("mdreport", tests, NULL, NULL);
}
