/* test_shimlog.c - the parser of mmshim's log lines. */
#include <stdio.h>
#include <sys/mman.h>

#include "shimlog.h"
#include "unit.h"

static void parses_a_successful_mmap(void **state)
{
    struct shim_call c;

    (void)state;
    EXPECT_TRUE(shimlog_parse_line("mmap 4242 0 4096 3 22 -1 0 = 7f1e2a3b4000 0", &c));
    EXPECT_LONG(c.kind, SHIM_MMAP);
    EXPECT_LONG(c.pid, 4242);
    EXPECT_HEX(c.addr, 0);
    EXPECT_LONG(c.len, 4096);
    EXPECT_LONG(c.prot, PROT_READ | PROT_WRITE);
    EXPECT_LONG(c.flags, MAP_PRIVATE | MAP_ANONYMOUS);
    EXPECT_LONG(c.fd, -1);
    EXPECT_HEX(c.ret, 0x7f1e2a3b4000);
    EXPECT_TRUE(c.ok);
    EXPECT_FALSE(c.injected);
}

static void parses_an_injected_failure(void **state)
{
    struct shim_call c;

    (void)state;
    EXPECT_TRUE(shimlog_parse_line("mmap 7 0 4096 3 22 -1 0 = ffffffffffffffff 12 injected", &c));
    EXPECT_FALSE(c.ok);
    EXPECT_TRUE(c.injected);
    EXPECT_LONG(c.err, 12);
}

static void parses_a_munmap_with_its_runs_and_text(void **state)
{
    struct shim_call c;

    (void)state;
    EXPECT_TRUE(shimlog_parse_line("munmap 9 7f0000001000 8192 = 0 0 mapped 7f0000001000-7f0000002000,"
                                   "7f0000002000-7f0000003000 head 48656c6c6f",
                                   &c));
    EXPECT_LONG(c.kind, SHIM_MUNMAP);
    EXPECT_TRUE(c.ok);
    EXPECT_LONG(c.nmapped, 2);
    EXPECT_HEX(c.mapped[1].start, 0x7f0000002000);
    EXPECT_HEX(c.mapped[1].end, 0x7f0000003000);
    EXPECT_FALSE(c.mapped_unknown);
    EXPECT_STR(c.head, "Hello");
}

static void marks_runs_it_could_not_list_as_unknown(void **state)
{
    struct shim_call c;

    (void)state;
    EXPECT_TRUE(shimlog_parse_line("munmap 9 1000 4096 = 0 0 mapped ? head -", &c));
    EXPECT_TRUE(c.mapped_unknown);
    EXPECT_STR(c.head, "");
    EXPECT_TRUE(shimlog_parse_line("munmap 9 1000 4096 = 0 0 mapped 1000-2000+ head -", &c));
    EXPECT_TRUE(c.mapped_unknown);
    EXPECT_LONG(c.nmapped, 1);
    EXPECT_TRUE(shimlog_parse_line("munmap 9 1000 4096 = -1 22 mapped - head -", &c));
    EXPECT_FALSE(c.ok);
    EXPECT_LONG(c.nmapped, 0);
}

static void rejects_malformed_lines(void **state)
{
    static const char *const bad[] = {
        "",
        "mmap",
        "mmap 1 0 4096 3 22 -1 0 7f0000000000 0",           /* no "=" */
        "mmap x 0 4096 3 22 -1 0 = 7f0000000000 0",
        "munmap 9 1000 4096 = 0 0 mapped 2000-1000 head -", /* run ends before it starts */
        "munmap 9 1000 4096 = 0 0 mapped 1000-2000;3000-4000 head -",
        "munmap 9 1000 4096 = 0 0 mapped 1000-2000 tail -",
        "brk 9 1000",
    };
    struct shim_call c;

    (void)state;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (shimlog_parse_line(bad[i], &c))
            fail_msg("shimlog_parse_line(\"%s\")\n  got:      true\n  expected: false", bad[i]);
}

static void rejects_more_runs_than_it_can_hold(void **state)
{
    char line[512] = "munmap 9 0 65536 = 0 0 mapped ";
    struct shim_call c;

    (void)state;
    for (int i = 0; i <= SHIM_MAX_RUNS; i++)
        snprintf(line + strlen(line), sizeof line - strlen(line), "%s%x-%x", i ? "," : "", (i + 1) * 0x2000,
                 (i + 1) * 0x2000 + 0x1000);
    strcat(line, " head -");
    EXPECT_FALSE(shimlog_parse_line(line, &c));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(parses_a_successful_mmap),
        cmocka_unit_test(parses_an_injected_failure),
        cmocka_unit_test(parses_a_munmap_with_its_runs_and_text),
        cmocka_unit_test(marks_runs_it_could_not_list_as_unknown),
        cmocka_unit_test(rejects_malformed_lines),
        cmocka_unit_test(rejects_more_runs_than_it_can_hold),
    };

    return cmocka_run_group_tests_name("shimlog", tests, NULL, NULL);
}
