/* test_options.c - the grade command's options: each value checked as
 * --help says, the limits, the environment, and a help that lists every
 * option of the table. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>

#include "options.h"
#include "unit.h"

static struct options o;

static int set_up(void **state)
{
    (void)state;
    options_init(&o);
    unsetenv("MMGRADE_READ_FAULT");
    return 0;
}

/* Takes --name value as the command line would. */
static bool take(const char *name, const char *value)
{
    for (size_t i = 0; i < grade_command.noptions; i++)
        if (strcmp(grade_command.options[i].name, name) == 0)
            return options_take(grade_command.options[i].id, value, &o);
    fail_msg("no option --%s in the table", name);
    return false;
}

static void sets_each_limit_and_refuses_what_is_not_one(void **state)
{
    (void)state;
    EXPECT_TRUE(options_parse_limit("memory=512", &o));
    EXPECT_LONG(o.limits.memory_bytes, 512ull << 20);
    EXPECT_TRUE(options_parse_limit("cpu=2.5", &o));
    EXPECT_TRUE(o.limits.cpu_s == 2.5 && o.cpu_set);
    EXPECT_TRUE(options_parse_limit("file=1", &o));
    EXPECT_LONG(o.limits.file_bytes, 1u << 20);
    EXPECT_TRUE(options_parse_limit("files=16", &o));
    EXPECT_LONG(o.limits.open_files, 16);
    EXPECT_TRUE(options_parse_limit("output=64", &o));
    EXPECT_LONG(o.limits.output_bytes, 64 * 1024);
    EXPECT_TRUE(options_parse_limit("processes=0", &o));
    EXPECT_LONG(o.limits.processes, 0);
    EXPECT_TRUE(options_parse_limit("submission=30", &o));
    EXPECT_TRUE(o.submission_s == 30);
    EXPECT_FALSE(options_parse_limit("mem=512", &o));    /* no such limit */
    EXPECT_FALSE(options_parse_limit("memoryx=5", &o));
    EXPECT_FALSE(options_parse_limit("memory", &o));     /* no value */
    EXPECT_FALSE(options_parse_limit("memory=", &o));
    EXPECT_FALSE(options_parse_limit("memory=-1", &o));
    EXPECT_FALSE(options_parse_limit("memory=12k", &o));
    EXPECT_FALSE(options_parse_limit("memory=1e10", &o)); /* above 1e9 */
}

static void checks_every_value_it_takes(void **state)
{
    (void)state;
    EXPECT_TRUE(take("task", "2.3"));
    EXPECT_TRUE(take("task", "2.3")); /* asked twice, graded once */
    EXPECT_TRUE(take("task", "2.1"));
    EXPECT_LONG(o.ntasks, 2);
    EXPECT_FALSE(take("task", "2.9"));
    EXPECT_TRUE(take("format", "markdown"));
    EXPECT_LONG(o.format, FORMAT_MARKDOWN);
    EXPECT_FALSE(take("format", "html"));
    EXPECT_TRUE(take("seed", "4294967295"));
    EXPECT_LONG(o.seed.seed, 4294967295u);
    EXPECT_FALSE(take("seed", "4294967296"));
    EXPECT_FALSE(take("seed", "1.5"));
    EXPECT_FALSE(take("seed", "-1"));
    EXPECT_TRUE(take("timeout", "0.5"));
    EXPECT_FALSE(take("timeout", "0"));
    EXPECT_FALSE(take("timeout", "3601"));
    EXPECT_TRUE(take("isolation", "sandbox"));
    EXPECT_LONG(o.isolation, WISH_SANDBOX);
    EXPECT_FALSE(take("isolation", "docker"));
    EXPECT_FALSE(take("limit", "cpus=1"));
}

static void completes_the_options_from_the_environment(void **state)
{
    (void)state;
    EXPECT_TRUE(take("timeout", "4"));
    EXPECT_TRUE(options_finish(&o));
    EXPECT_LONG(o.ntasks, TASK_COUNT); /* no --task: every task */
    EXPECT_TRUE(o.limits.cpu_s == 4);  /* the CPU limit follows the timeout */
    EXPECT_LONG(o.read_fault, -1);
    setenv("MMGRADE_READ_FAULT", "allocates", 1);
    EXPECT_TRUE(options_finish(&o));
    EXPECT_LONG(o.read_fault, 1);
    setenv("MMGRADE_READ_FAULT", "sometimes", 1);
    EXPECT_FALSE(options_finish(&o));
}

static void lists_every_option_of_its_table_in_its_help(void **state)
{
    char *text = NULL, want[64];
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);

    (void)state;
    cli_help(&grade_command, out);
    fclose(out);
    for (size_t i = 0; i < grade_command.noptions; i++) {
        snprintf(want, sizeof want, "  --%s", grade_command.options[i].name);
        EXPECT_CONTAINS(text, want);
        snprintf(want, sizeof want, "[--%s", grade_command.options[i].name);
        EXPECT_CONTAINS(text, want);
    }
    EXPECT_CONTAINS(text, "usage: mmgrade [--task T]... [--format text|json|markdown|junit|classroom]");
    EXPECT_CONTAINS(text, "[--limit NAME=N]...");
    EXPECT_CONTAINS(text, "  -h, --help       this help\n");
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(sets_each_limit_and_refuses_what_is_not_one, set_up),
        cmocka_unit_test_setup(checks_every_value_it_takes, set_up),
        cmocka_unit_test_setup(completes_the_options_from_the_environment, set_up),
        cmocka_unit_test_setup(lists_every_option_of_its_table_in_its_help, set_up),
    };

    return cmocka_run_group_tests_name("options", tests, NULL, NULL);
}
