/* catalog.c - what the lab is made of, as tables: the tasks, their checks
 * with titles and default points, and the scenarios programs run in. */
#define _GNU_SOURCE
#include "catalog.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

const struct task_def catalog_tasks[TASK_COUNT] = {
    [TASK_2_1] = {"2.1", TASK_PROGRAM, "mmap_basics.c", NULL, "mmap_basics", true, true},
    /* a flat mmap_demo.c serves both 2.2 and 2.3: a 2.3 program meets 2.2's contract */
    [TASK_2_2] = {"2.2", TASK_PROGRAM, "mmap_demo.c", NULL, "mmap_demo", true, true},
    [TASK_2_3] = {"2.3", TASK_PROGRAM, "mmap_demo.c", NULL, "mmap_demo", true, true},
    [TASK_2_4] = {"2.4", TASK_REPORT, "REPORT.md", NULL, NULL, true, false},
    [TASK_2_5] = {"2.5", TASK_SCRIPT, "analyse.sh", "analyze.sh", NULL, true, false},
};

const struct task_def *catalog_task(const char *name)
{
    for (size_t i = 0; i < TASK_COUNT; i++)
        if (strcmp(catalog_tasks[i].id, name) == 0)
            return &catalog_tasks[i];
    return NULL;
}

enum task_id catalog_task_id(const struct task_def *task)
{
    return (enum task_id)(task - catalog_tasks);
}

/* 92 of the kit's 100 points; the other 8, for the quality of task 2.4's
 * explanations, are the instructor's (docs/rubric.md). */
const struct check_def catalog_checks[] = {
    {TASK_2_1, "build", "compiles with the build line", 2},
    {TASK_2_1, "runs", "runs to the end and exits 0", 2},
    {TASK_2_1, "maps_page", "mmap is called with the contract's arguments", 2},
    {TASK_2_1, "address", "the address printed is the one mmap returned", 1},
    {TASK_2_1, "uses_memory", "the message is written into the page and read back", 2},
    {TASK_2_1, "munmap", "munmap removes the page, and nothing else", 2},
    {TASK_2_1, "mmap_failure", "a failed mmap is reported on stderr, exit non-zero", 2},
    {TASK_2_1, "valgrind", "valgrind reports no errors and no leaks", 1},
    {TASK_2_1, "report_complete", "the report is filled in", 1},

    {TASK_2_2, "build", "compiles with the build line", 1},
    {TASK_2_2, "runs", "runs to the end and exits 0", 2},
    {TASK_2_2, "stages", "the four stages, each with its ps table", 1},
    {TASK_2_2, "address", "the address printed is the one mmap returned", 1},
    {TASK_2_2, "honest", "the tables are the process's own measurements", 3},
    {TASK_2_2, "vsz_grows", "VSZ grows by the mapping after mmap", 2},
    {TASK_2_2, "rss_order", "RSS grows when pages are written, not at mmap", 2},
    {TASK_2_2, "munmap", "munmap removes the whole mapping, and nothing else", 2},
    {TASK_2_2, "mmap_failure", "a failed mmap is reported on stderr, exit non-zero", 2},
    {TASK_2_2, "size_arg", "SIZE is honoured, bad arguments rejected", 2},
    {TASK_2_2, "valgrind", "valgrind reports no errors and no leaks", 1},
    {TASK_2_2, "report_complete", "the report is filled in", 1},

    {TASK_2_3, "build", "compiles with the build line", 1},
    {TASK_2_3, "runs", "runs to the end, with Enter and with stdin at EOF", 2},
    {TASK_2_3, "stages", "the four stages, each with its ps table", 1},
    {TASK_2_3, "pauses", "pauses twice while the mapping exists", 3},
    {TASK_2_3, "honest", "the tables are the process's own measurements", 2},
    {TASK_2_3, "vsz_grows", "VSZ grows by the mapping after mmap", 1},
    {TASK_2_3, "rss_order", "RSS grows when pages are written, not at mmap", 2},
    {TASK_2_3, "lazy", "no page of the mapping is resident at pause 1", 4},
    {TASK_2_3, "resident", "every page of the mapping is resident at pause 2", 3},
    {TASK_2_3, "region", "maps shows the mapping, and the printed address is in it", 3},
    {TASK_2_3, "munmap", "munmap removes the whole mapping, and nothing else", 2},
    {TASK_2_3, "mmap_failure", "a failed mmap is reported on stderr, exit non-zero", 1},
    {TASK_2_3, "size_arg", "SIZE is honoured, bad arguments rejected", 1},
    {TASK_2_3, "valgrind", "valgrind reports no errors and no leaks", 1},
    {TASK_2_3, "report_complete", "the report is filled in", 1},
    {TASK_2_3, "report_consistent", "the report's numbers agree with each other and the kernel", 2},

    {TASK_2_4, "report_complete", "every question has an answer", 3},
    {TASK_2_4, "report_concepts", "the answers are sentences that name the ideas asked about", 4},

    {TASK_2_5, "shellcheck", "shellcheck finds nothing", 4},
    {TASK_2_5, "usage", "wrong arguments: a message on stderr, exit non-zero", 4},
    {TASK_2_5, "bad_pid", "a PID that does not exist or cannot be read: stderr, exit non-zero", 3},
    {TASK_2_5, "live", "on a live process: its ps table and its maps lines", 8},
    {TASK_2_5, "writes_nothing", "it writes no file, in its folder or in /tmp", 1},
};

const size_t catalog_check_count = sizeof catalog_checks / sizeof catalog_checks[0];

const struct check_def *catalog_check(enum task_id task, const char *id)
{
    for (size_t i = 0; i < catalog_check_count; i++)
        if (catalog_checks[i].task == task && strcmp(catalog_checks[i].id, id) == 0)
            return &catalog_checks[i];
    return NULL;
}

/* The contract's invalid arguments come last, one scenario each. */
const struct scenario_def catalog_scenarios[SCENARIO_COUNT] = {
    [SCENARIO_DEFAULT] = {.name = "default", .all_tasks = true},
    [SCENARIO_SMALL] = {.name = "small hidden size, with ballast", .size = SIZE_SMALL, .ballast = true},
    [SCENARIO_LARGE] = {.name = "large hidden size", .size = SIZE_LARGE},
    [SCENARIO_FAIL] = {.name = "mmap fails", .inject_failure = true, .all_tasks = true},
    [SCENARIO_EOF] = {.name = "stdin at end-of-file", .stdin_eof = true},
    [SCENARIO_VALGRIND] = {.name = "under valgrind", .valgrind = true, .all_tasks = true},
    [SCENARIO_BAD_FIRST + 0] = {.name = "bad argument", .args = {"abc"}},
    [SCENARIO_BAD_FIRST + 1] = {.name = "bad argument", .args = {"12abc"}},
    [SCENARIO_BAD_FIRST + 2] = {.name = "bad argument", .args = {"0"}},
    [SCENARIO_BAD_FIRST + 3] = {.name = "bad argument", .args = {"-5"}},
    [SCENARIO_BAD_FIRST + 4] = {.name = "bad argument", .args = {"4096", "8192"}},
};

bool catalog_runs(enum task_id task, enum scenario sc)
{
    return catalog_tasks[task].kind == TASK_PROGRAM && (task != TASK_2_1 || catalog_scenarios[sc].all_tasks);
}

void catalog_scenario_args(enum scenario sc, uint64_t small, uint64_t large, char *size_buf, size_t cap,
                           const char *args[3])
{
    const struct scenario_def *d = &catalog_scenarios[sc];

    memset(args, 0, 3 * sizeof *args);
    if (d->size != SIZE_NONE) {
        snprintf(size_buf, cap, "%" PRIu64, d->size == SIZE_SMALL ? small : large);
        args[0] = size_buf;
        return;
    }
    for (size_t i = 0; i < 2 && d->args[i]; i++)
        args[i] = d->args[i];
}

void catalog_scenario_command(enum scenario sc, const char *program, uint64_t small, uint64_t large,
                              const char *shim, char *buf, size_t cap)
{
    const struct scenario_def *d = &catalog_scenarios[sc];
    const char *args[3];
    char size[32];
    size_t n = 0;

    catalog_scenario_args(sc, small, large, size, sizeof size, args);
    if (d->inject_failure)
        n += (size_t)snprintf(buf + n, cap - n, "LD_PRELOAD=%s MMSHIM_FAIL_MMAP=1 ", shim ? shim : "mmshim.so");
    if (d->valgrind && n < cap)
        n += (size_t)snprintf(buf + n, cap - n, "valgrind --leak-check=full ");
    if (n < cap)
        n += (size_t)snprintf(buf + n, cap - n, "./%s", program);
    for (size_t i = 0; args[i] && n < cap; i++)
        n += (size_t)snprintf(buf + n, cap - n, " %s", args[i]);
    if (d->stdin_eof && n < cap)
        n += (size_t)snprintf(buf + n, cap - n, " < /dev/null");
    /* what such a run is judged by is its exit status */
    if ((d->inject_failure || sc >= SCENARIO_BAD_FIRST) && n < cap)
        snprintf(buf + n, cap - n, "; echo \"exit status $?\"");
}
