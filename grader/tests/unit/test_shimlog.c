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
    EXPECT_TRUE(shimlog_parse_line("munmap 9 7f0000001000 8192 mapped 7f0000001000-7f0000002000,"
                                   "7f0000002000-7f0000003000 head 48656c6c6f",
                                   &c));
    EXPECT_LONG(c.kind, SHIM_MUNMAP);
    EXPECT_FALSE(c.returned); /* its result comes on the next line */
    EXPECT_FALSE(c.ok);
    EXPECT_LONG(c.nmapped, 2);
    EXPECT_HEX(c.mapped[1].start, 0x7f0000002000);
    EXPECT_HEX(c.mapped[1].end, 0x7f0000003000);
    EXPECT_FALSE(c.mapped_unknown);
    EXPECT_LONG(c.content_len, 5);
    EXPECT_STR((const char *)c.content, "Hello");
    shim_call_free(&c);
    /* a page's bytes, zeros inside them too: a message may be anywhere */
    EXPECT_TRUE(shimlog_parse_line("munmap 9 1000 4096 mapped 1000-2000 head 5041000048692100", &c));
    EXPECT_LONG(c.content_len, 8);
    EXPECT_TRUE(memcmp(c.content, "PA\0\0Hi!\0", 8) == 0);
    shim_call_free(&c);
    EXPECT_FALSE(shimlog_parse_line("munmap 9 1000 4096 mapped - head 4g", &c));  /* not hex */
    EXPECT_FALSE(shimlog_parse_line("munmap 9 1000 4096 mapped - head 414", &c)); /* half a byte */
}

static void parses_what_a_mapping_never_unmapped_held_at_exit(void **state)
{
    struct shim_call c;

    (void)state;
    EXPECT_TRUE(shimlog_parse_line("alive 9 7f0000001000 4096 head 6869", &c));
    EXPECT_LONG(c.kind, SHIM_ALIVE);
    EXPECT_HEX(c.addr, 0x7f0000001000);
    EXPECT_LONG(c.len, 4096);
    EXPECT_STR((const char *)c.content, "hi");
    EXPECT_FALSE(shimlog_unmapped(&c));
    shim_call_free(&c);
    EXPECT_FALSE(shimlog_parse_line("alive 9 7f0000001000 4096 head 6869 extra", &c));
}

static void marks_runs_it_could_not_list_as_unknown(void **state)
{
    struct shim_call c;

    (void)state;
    EXPECT_TRUE(shimlog_parse_line("munmap 9 1000 4096 mapped ? head -", &c));
    EXPECT_TRUE(c.mapped_unknown);
    EXPECT_LONG(c.content_len, 0);
    EXPECT_TRUE(shimlog_parse_line("munmap 9 1000 4096 mapped 1000-2000+ head -", &c));
    EXPECT_TRUE(c.mapped_unknown);
    EXPECT_LONG(c.nmapped, 1);
    EXPECT_TRUE(shimlog_parse_line("munmap 9 1000 4096 mapped - head -", &c));
    EXPECT_LONG(c.nmapped, 0);
}

/* The calls of PID 9 from the lines, fed to the log as the session feeds
 * it: in pieces of every size, a line split across two. */
static void parse_log(const char *const *lines, size_t nlines, struct shim_calls *calls)
{
    struct shimlog log = {0};
    char text[4096] = "";

    for (size_t i = 0; i < nlines; i++) {
        struct shim_call c;

        if (!shimlog_parse_line(lines[i], &c))
            fail_msg("shimlog_parse_line(\"%s\")\n  got:      false\n  expected: true", lines[i]);
        shim_call_free(&c);
        strcat(text, lines[i]);
        strcat(text, "\n");
    }
    memset(calls, 0, sizeof *calls);
    for (size_t at = 0, piece = 1; at < strlen(text); at += piece, piece = piece % 7 + 1) {
        size_t n = strlen(text) - at < piece ? strlen(text) - at : piece;

        shimlog_feed(&log, text + at, n, 0, 0);
        shimlog_take(&log, 9, calls);
    }
    shimlog_free(&log);
}

static void gives_each_munmap_the_result_that_follows_it(void **state)
{
    static const char *const log[] = {
        "mmap 9 0 4096 3 22 -1 0 = 7f0000001000 0",
        "munmap 9 7f0000001000 4096 mapped 7f0000001000-7f0000002000 head -",
        "returned 9 0 0",
        "munmap 9 7f0000001000 4096 mapped - head -",
        "returned 9 -1 22",
    };
    struct shim_calls calls;

    (void)state;
    parse_log(log, 5, &calls);
    EXPECT_LONG(calls.count, 3);
    EXPECT_TRUE(calls.items[1].returned);
    EXPECT_TRUE(calls.items[1].ok);
    EXPECT_TRUE(shimlog_unmapped(&calls.items[1]));
    EXPECT_TRUE(calls.items[2].returned);
    EXPECT_FALSE(calls.items[2].ok);
    EXPECT_LONG(calls.items[2].err, 22);
    EXPECT_HEX(calls.items[2].ret, (uint64_t)-1);
    EXPECT_FALSE(shimlog_unmapped(&calls.items[2]));
    shim_calls_free(&calls);
}

static void counts_a_munmap_the_program_died_in_as_done(void **state)
{
    static const char *const log[] = {
        "mmap 9 0 4096 3 22 -1 0 = 7f0000001000 0",
        "munmap 9 7f0000001000 12288 mapped 7f0000001000-7f0000004000 head -",
    };
    struct shim_call other = {.kind = SHIM_RETURN, .pid = 10};
    struct shim_calls calls;

    (void)state;
    parse_log(log, 2, &calls);
    EXPECT_LONG(calls.count, 2);
    EXPECT_FALSE(shimlog_apply_return(calls.items, 2, &other)); /* another process's result */
    EXPECT_FALSE(calls.items[1].returned);
    EXPECT_TRUE(shimlog_unmapped(&calls.items[1]));
    EXPECT_FALSE(shimlog_unmapped(&calls.items[0])); /* an mmap */
    shim_calls_free(&calls);
}

static void rejects_malformed_lines(void **state)
{
    static const char *const bad[] = {
        "",
        "mmap",
        "mmap 1 0 4096 3 22 -1 0 7f0000000000 0",           /* no "=" */
        "mmap x 0 4096 3 22 -1 0 = 7f0000000000 0",
        "munmap 9 1000 4096 mapped 2000-1000 head -", /* run ends before it starts */
        "munmap 9 1000 4096 mapped 1000-2000;3000-4000 head -",
        "munmap 9 1000 4096 mapped 1000-2000 tail -",
        "munmap 9 1000 4096 = 0 0 mapped - head -",    /* the result comes on a line of its own */
        "returned 9 0",
        "returned 9 0 0 junk",
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
    char line[512] = "munmap 9 0 65536 mapped ";
    struct shim_call c;

    (void)state;
    for (int i = 0; i <= SHIM_MAX_RUNS; i++)
        snprintf(line + strlen(line), sizeof line - strlen(line), "%s%x-%x", i ? "," : "", (i + 1) * 0x2000,
                 (i + 1) * 0x2000 + 0x1000);
    strcat(line, " head -");
    EXPECT_FALSE(shimlog_parse_line(line, &c));
}

static void keeps_only_the_program_s_own_calls_and_whole_lines(void **state)
{
    struct shimlog log = {0};
    struct shim_calls calls = {0};
    const char *text = "mmap 10 0 4096 3 22 -1 0 = 7f0000009000 0\n" /* a forked child's */
                       "garbage\n"
                       "mmap 9 0 4096 3 22 -1 0 = 7f0000001000 0\n"
                       "munmap 9 7f0000001000 4096 mapped - he";

    (void)state;
    /* the shim waits after both mmap lines, whoever wrote them */
    EXPECT_LONG(shimlog_feed(&log, text, strlen(text), 2, 120), 2);
    shimlog_take(&log, 9, &calls);
    EXPECT_LONG(calls.count, 1);
    EXPECT_HEX(calls.items[0].ret, 0x7f0000001000);
    EXPECT_LONG(calls.items[0].pauses_before, 2);
    EXPECT_LONG(calls.items[0].out_offset, 120);
    /* the unfinished line waits for the rest, and takes the offset and the
     * pauses of when it was whole */
    EXPECT_LONG(shimlog_feed(&log, "ad -\nreturned 9 0 0\n", 20, 3, 300), 1);
    shimlog_take(&log, 9, &calls);
    EXPECT_LONG(calls.count, 2);
    EXPECT_LONG(calls.items[1].kind, SHIM_MUNMAP);
    EXPECT_LONG(calls.items[1].pauses_before, 3);
    EXPECT_LONG(calls.items[1].out_offset, 300);
    EXPECT_TRUE(calls.items[1].ok); /* its result came */
    EXPECT_LONG(log.pending.len, 0);
    shimlog_free(&log);
    shim_calls_free(&calls);
}

static void keeps_lines_until_it_knows_whose_they_are(void **state)
{
    struct shimlog log = {0};
    struct shim_calls calls = {0};
    const char *text = "mmap 9 0 4096 3 22 -1 0 = 7f0000001000 0\n";

    (void)state;
    /* the program logged before the grader learnt its PID */
    EXPECT_LONG(shimlog_feed(&log, text, strlen(text), 0, 40), 1);
    EXPECT_LONG(log.parsed.count, 1);
    shimlog_take(&log, 9, &calls);
    EXPECT_LONG(calls.count, 1);
    EXPECT_LONG(calls.items[0].out_offset, 40);
    EXPECT_LONG(log.parsed.count, 0);
    shimlog_free(&log);
    shim_calls_free(&calls);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(keeps_only_the_program_s_own_calls_and_whole_lines),
        cmocka_unit_test(keeps_lines_until_it_knows_whose_they_are),
        cmocka_unit_test(parses_what_a_mapping_never_unmapped_held_at_exit),
        cmocka_unit_test(parses_a_successful_mmap),
        cmocka_unit_test(parses_an_injected_failure),
        cmocka_unit_test(parses_a_munmap_with_its_runs_and_text),
        cmocka_unit_test(marks_runs_it_could_not_list_as_unknown),
        cmocka_unit_test(gives_each_munmap_the_result_that_follows_it),
        cmocka_unit_test(counts_a_munmap_the_program_died_in_as_done),
        cmocka_unit_test(rejects_malformed_lines),
        cmocka_unit_test(rejects_more_runs_than_it_can_hold),
    };

    return cmocka_run_group_tests_name("shimlog", tests, NULL, NULL);
}
