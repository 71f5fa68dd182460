/* test_output.c - finding stages, ps tables and the Mapped line in what
 * students' programs print, worded and spaced their own way. */
#include "output.h"
#include "unit.h"

static void recognises_stage_headers_however_worded(void **state)
{
    static const struct {
        const char *line;
        int stage;
    } cases[] = {
        {"[Initial]", STAGE_INITIAL},
        {"Initial state:", STAGE_INITIAL},
        {"--- before mmap ---", STAGE_INITIAL},
        {"=== After mmap() ===", STAGE_AFTER_MMAP},
        {"Stage 2: after mmap", STAGE_AFTER_MMAP},
        {"[After mapping]", STAGE_AFTER_MMAP},
        {"[After writing to memory]", STAGE_AFTER_WRITE},
        {"AFTER WRITE:", STAGE_AFTER_WRITE},
        {"after touching the pages", STAGE_AFTER_WRITE},
        {"[After munmap]", STAGE_AFTER_MUNMAP},
        {"*** After unmapping ***", STAGE_AFTER_MUNMAP},
        {"Mapped 4096 bytes at 0x7f0000000000", -1},
        {"After 3 seconds", -1},
        {"[Pause] Inspect /proc/42/maps, then press Enter to continue...", -1},
        {"After the mmap call the kernel has reserved address space but not yet given us any pages at all", -1},
        {"", -1},
    };

    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int got = output_stage_of_line(cases[i].line);

        if (got != cases[i].stage)
            fail_msg("output_stage_of_line(\"%s\")\n  got:      %d\n  expected: %d", cases[i].line, got, cases[i].stage);
    }
}

static void finds_pid_vsz_and_rss_columns_in_a_ps_header(void **state)
{
    int pid, vsz, rss;

    (void)state;
    EXPECT_TRUE(output_parse_ps_header("    PID    VSZ   RSS COMMAND", &pid, &vsz, &rss));
    EXPECT_LONG(pid, 0);
    EXPECT_LONG(vsz, 1);
    EXPECT_LONG(rss, 2);
    EXPECT_TRUE(output_parse_ps_header("USER  PID %CPU %MEM    VSZ   RSS TTY STAT START TIME COMMAND", &pid, &vsz, &rss));
    EXPECT_LONG(pid, 1);
    EXPECT_LONG(vsz, 4);
    EXPECT_LONG(rss, 5);
    EXPECT_TRUE(output_parse_ps_header("vsz rss", &pid, &vsz, &rss));
    EXPECT_LONG(pid, -1);
    EXPECT_FALSE(output_parse_ps_header("PID COMMAND", &pid, &vsz, &rss));
    EXPECT_FALSE(output_parse_ps_header("VmSize: 2496 kB", &pid, &vsz, &rss));
}

/* What the reference prints on a pseudo-terminal: "\r\n" line ends. */
static const char reference_output[] =
    "[Initial]\r\n    PID    VSZ   RSS COMMAND\r\n   4242   2496  1572 mmap_demo\r\n"
    "Mapped 4096 bytes at 0x7f1e2a3b4000\r\n"
    "[After mmap]\r\n    PID    VSZ   RSS COMMAND\r\n   4242   2500  1572 mmap_demo\r\n"
    "[Pause] Inspect /proc/4242/maps, then press Enter to continue...\r\n"
    "[After writing to memory]\r\n    PID    VSZ   RSS COMMAND\r\n   4242   2500  1576 mmap_demo\r\n"
    "[Pause] Inspect /proc/4242/maps, then press Enter to continue...\r\n"
    "[After munmap]\r\n    PID    VSZ   RSS COMMAND\r\n   4242   2496  1576 mmap_demo\r\n"
    "Memory successfully unmapped.\r\n";

static void parses_the_reference_output(void **state)
{
    struct program_output o;

    (void)state;
    output_parse(reference_output, sizeof reference_output - 1, &o);
    for (int s = 0; s < STAGE_COUNT; s++) {
        if (!o.stage_found[s] || !o.table[s].found)
            fail_msg("stage %s\n  got:      found %d, table %d\n  expected: found 1, table 1", output_stage_name(s),
                     o.stage_found[s], o.table[s].found);
        EXPECT_LONG(o.table[s].pid, 4242);
    }
    EXPECT_TRUE(o.in_order);
    EXPECT_LONG(o.table[STAGE_AFTER_MMAP].vsz_kib, 2500);
    EXPECT_LONG(o.table[STAGE_AFTER_WRITE].rss_kib, 1576);
    EXPECT_TRUE(o.mapped_found);
    EXPECT_LONG(o.mapped_bytes, 4096);
    EXPECT_HEX(o.mapped_addr, 0x7f1e2a3b4000);
    /* the row ends before the first pause prompt */
    EXPECT_TRUE(o.table[STAGE_AFTER_MMAP].offset < (size_t)(strstr(reference_output, "[Pause]") - reference_output) + 1);
}

static void takes_only_the_first_table_of_a_stage(void **state)
{
    static const char text[] = "[Initial]\nPID VSZ RSS\n1 100 50\nPID VSZ RSS\n1 999 999\n";
    struct program_output o;

    (void)state;
    output_parse(text, sizeof text - 1, &o);
    EXPECT_LONG(o.table[STAGE_INITIAL].vsz_kib, 100);
}

static void finds_a_header_behind_a_prompt_that_came_out_late(void **state)
{
    /* read(2) behind "printf("...Enter: ")": the prompt leaves with the
     * next header's line, after the pause */
    static const char text[] = "[Pause] Inspect /proc/3/maps, then press Enter: [After writing to memory]\n"
                               "PID VSZ RSS\n3 2540 1472\n"
                               "I said [after mmap] here\n"
                               "[Pause] bracket [not a stage] then [After munmap]  \n";
    struct program_output o;

    (void)state;
    output_parse(text, sizeof text - 1, &o);
    EXPECT_TRUE(o.stage_found[STAGE_AFTER_WRITE]);
    EXPECT_LONG(o.table[STAGE_AFTER_WRITE].rss_kib, 1472);
    EXPECT_TRUE(o.stage_found[STAGE_AFTER_MUNMAP]);
    /* a label in brackets that does not end its line is no header */
    EXPECT_FALSE(o.stage_found[STAGE_AFTER_MMAP]);
}

static void finds_no_table_when_the_row_is_not_numeric(void **state)
{
    static const char text[] = "[After mmap]\nPID VSZ RSS\nerror: ps not found\n";
    struct program_output o;

    (void)state;
    output_parse(text, sizeof text - 1, &o);
    EXPECT_TRUE(o.stage_found[STAGE_AFTER_MMAP]);
    EXPECT_FALSE(o.table[STAGE_AFTER_MMAP].found);
}

static void notices_stages_out_of_order(void **state)
{
    static const char text[] = "[After mmap]\n[Initial]\n[After writing]\n[After munmap]\n";
    struct program_output o;

    (void)state;
    output_parse(text, sizeof text - 1, &o);
    EXPECT_FALSE(o.in_order);
}

static void finds_the_mapped_line_behind_an_unflushed_prompt(void **state)
{
    static const char text[] = "(enter) Mapped 8192 bytes at 0x7f00000a0000\n";
    struct program_output o;

    (void)state;
    output_parse(text, sizeof text - 1, &o);
    EXPECT_TRUE(o.mapped_found);
    EXPECT_LONG(o.mapped_bytes, 8192);
    EXPECT_HEX(o.mapped_addr, 0x7f00000a0000);
}

static void reads_the_read_back_line_of_task_2_1(void **state)
{
    static const char text[] = "Mapped 4096 bytes at 0x7f00000000\nRead back: Hello from mmap!\nRead back: again\n";
    struct program_output o;

    (void)state;
    output_parse(text, sizeof text - 1, &o);
    EXPECT_TRUE(o.read_back_found);
    EXPECT_STR(o.read_back, "Hello from mmap!");
}

static void survives_nul_bytes_and_lines_longer_than_its_buffer(void **state)
{
    static char text[4096];
    struct program_output o;

    (void)state;
    memset(text, 'x', sizeof text);
    memcpy(text + 1000, "\n[Initial]\nPID VSZ RSS\n1 10 20\n", 31);
    text[5] = '\0';
    output_parse(text, sizeof text, &o);
    EXPECT_TRUE(o.table[STAGE_INITIAL].found);
    EXPECT_LONG(o.table[STAGE_INITIAL].rss_kib, 20);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(recognises_stage_headers_however_worded),
        cmocka_unit_test(finds_pid_vsz_and_rss_columns_in_a_ps_header),
        cmocka_unit_test(parses_the_reference_output),
        cmocka_unit_test(takes_only_the_first_table_of_a_stage),
        cmocka_unit_test(finds_a_header_behind_a_prompt_that_came_out_late),
        cmocka_unit_test(finds_no_table_when_the_row_is_not_numeric),
        cmocka_unit_test(notices_stages_out_of_order),
        cmocka_unit_test(finds_the_mapped_line_behind_an_unflushed_prompt),
        cmocka_unit_test(reads_the_read_back_line_of_task_2_1),
        cmocka_unit_test(survives_nul_bytes_and_lines_longer_than_its_buffer),
    };

    return cmocka_run_group_tests_name("output", tests, NULL, NULL);
}
