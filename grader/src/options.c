/* options.c - what the grade command is told: its options as a table,
 * their values checked, and what the environment adds. */
#define _GNU_SOURCE
#include "options.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void options_init(struct options *o)
{
    *o = (struct options){.timeout_s = 10, .submission_s = 600, .isolation = WISH_AUTO, .read_fault = -1,
                          .limits = {.memory_bytes = 2048ull << 20, .file_bytes = 64ull << 20, .open_files = 256,
                                     .output_bytes = 1u << 20, .processes = 4096}};
}

enum option_id {
    OPT_TASK, OPT_FORMAT, OPT_OUTPUT, OPT_RESULTS, OPT_RUBRIC, OPT_SEED, OPT_TIMEOUT, OPT_LIMIT, OPT_ISOLATION, OPT_REQUIRE_ALL,
    OPT_VERBOSE, OPT_PRINT_RUBRIC,
};

static const struct cli_option grade_options[] = {
    {OPT_TASK, "task", 0, "T", NULL, true, "grade task T only (2.1 to 2.5); may be repeated"},
    {OPT_FORMAT, "format", 0, "F", "text|json|markdown|junit|classroom", false,
     "text (the default), json (a Gradescope results.json),\nmarkdown (a CI job summary), junit (JUnit XML) or\n"
     "classroom (GitHub Classroom's reporter: base64 JSON)"},
    {OPT_OUTPUT, "output", 0, "FILE", NULL, false, "write the report to FILE instead of stdout"},
    {OPT_RESULTS, "results", 0, "DIR", NULL, false,
     "also write the report in every format into DIR (made\nif absent): results.json, feedback.txt, summary.md,\n"
     "junit.xml, classroom.txt"},
    {OPT_RUBRIC, "rubric", 0, "FILE", NULL, false,
     "points, visibility and the seed's secret from a JSON\nfile (docs/rubric.md); unknown keys are an error"},
    {OPT_SEED, "seed", 0, "N", NULL, false, "draw the hidden sizes from N instead of from the\nsubmission and the secret"},
    {OPT_TIMEOUT, "timeout", 0, "S", "SECONDS", false,
     "wall-clock limit per run of student code (default 10;\nruns under valgrind get three times as long)"},
    {OPT_LIMIT, "limit", 0, "NAME=N", NULL, true,
     "a limit on student code (0: none; docs/grader.md):\ncpu (seconds, default the timeout), memory (MiB of\n"
     "address space, default 2048), file (MiB, 64), files\n(open, 256), output (KiB of stdout and of stderr,\n"
     "1024), processes (4096, of nobody in all), submission\n(seconds for all its runs, 600)"},
    {OPT_ISOLATION, "isolation", 0, "L", "auto|sandbox|none", false,
     "auto (the default: the strongest that still observes),\nsandbox (bwrap, or exit 3) or none (limits only)"},
    {OPT_REQUIRE_ALL, "require-all", 0, NULL, NULL, false,
     "exit 3 when a check could not be run (valgrind or\nshellcheck absent)"},
    {OPT_VERBOSE, "verbose", 0, NULL, NULL, false, "say on stderr what is run; show every check's feedback"},
    {OPT_PRINT_RUBRIC, "print-rubric", 0, NULL, NULL, false,
     "print the rubric in force (the defaults, or with\n--rubric the file applied) as a rubric file, and exit"},
};

const struct cli_command grade_command = {
    .operands = "SUBMISSION",
    .options = grade_options,
    .noptions = sizeof grade_options / sizeof grade_options[0],
    .about = "Grades the mmap lab's tasks: the programs of 2.1-2.3 by building them and\n"
             "watching them run, the script of 2.5 on a live process of its own, and\n"
             "the reports (REPORT.md) of 2.1-2.4.\n"
             "\n"
             "SUBMISSION  a folder in the labs layout (2.1-*/mmap_basics.c, 2.2-*/mmap_demo.c,\n"
             "            2.3-*/mmap_demo.c, 2.4-*/REPORT.md, 2.5-*/analyse.sh, each task's\n"
             "            REPORT.md beside its program) or a flat upload (mmap_basics.c,\n"
             "            mmap_demo.c, analyse.sh, REPORT.md at its top; a flat mmap_demo.c\n"
             "            is graded for 2.2 and 2.3), or either one folder down, or a .zip\n"
             "            of either (or a folder holding only that .zip)\n",
    .after = "A class at once: mmgrade batch --help; shards joined: mmgrade merge --help.\n"
             "Exit status: 0 graded (whatever the score); 2 usage error; 3 the\n"
             "environment cannot grade (no gcc, no /proc, no shim), or --require-all\n"
             "and a check was not run.\n"
             "Environment: MMGRADE_SECRET, the instructor's secret mixed into the seed\n"
             "(a rubric's secret wins); NO_COLOR, no colour in text output;\n"
             "MMGRADE_READ_FAULT=allocates|zero-page, what a read of a fresh page does\n"
             "on this kernel, instead of what the start-up probe finds.\n"
             "See docs/grader.md.\n",
};


/* "memory=512": sets one of the limits; false when NAME or N is not one. */
bool options_parse_limit(const char *text, struct options *o)
{
    /* each limit, and where its value goes: a number of what it counts,
     * times scale (MiB and KiB to bytes) */
    const struct {
        const char *name;
        double scale;
        double *seconds;
        uint64_t *count;
        size_t *size;
    } limits[] = {
        {"cpu", 1, &o->limits.cpu_s, NULL, NULL},
        {"memory", 1048576, NULL, &o->limits.memory_bytes, NULL},
        {"file", 1048576, NULL, &o->limits.file_bytes, NULL},
        {"files", 1, NULL, &o->limits.open_files, NULL},
        {"output", 1024, NULL, NULL, &o->limits.output_bytes},
        {"processes", 1, NULL, &o->limits.processes, NULL},
        {"submission", 1, &o->submission_s, NULL, NULL},
    };
    const char *eq = strchr(text, '=');
    double n;

    if (!eq || !cli_number(eq + 1, 0, 1e9, false, &n))
        return false;
    for (size_t k = 0; k < sizeof limits / sizeof limits[0]; k++) {
        if ((size_t)(eq - text) != strlen(limits[k].name) || strncmp(text, limits[k].name, (size_t)(eq - text)) != 0)
            continue;
        if (limits[k].seconds)
            *limits[k].seconds = n;
        else if (limits[k].count)
            *limits[k].count = (uint64_t)(n * limits[k].scale);
        else
            *limits[k].size = (size_t)(n * limits[k].scale);
        o->cpu_set |= limits[k].seconds == &o->limits.cpu_s;
        return true;
    }
    return false;
}

static bool add_task(const char *name, struct options *o)
{
    const struct task_def *t = catalog_task(name);

    if (!t)
        return cli_complain("unknown task '%s': the tasks are 2.1, 2.2, 2.3, 2.4 and 2.5", name);
    if (!o->named[catalog_task_id(t)])
        o->tasks[o->ntasks++] = catalog_task_id(t);
    o->named[catalog_task_id(t)] = true;
    return true;
}

bool options_take(int id, const char *value, void *ctx)
{
    struct options *o = ctx;
    double n;

    switch ((enum option_id)id) {
    case OPT_TASK:
        return add_task(value, o);
    case OPT_FORMAT:
        if (!format_parse(value, &o->format))
            return cli_complain("unknown format '%s': use text, json, markdown, junit or classroom", value);
        return true;
    case OPT_OUTPUT:
        o->output = value;
        return true;
    case OPT_RESULTS:
        o->results = value;
        return true;
    case OPT_RUBRIC:
        o->rubric = value;
        return true;
    case OPT_SEED:
        if (!cli_number(value, 0, 4294967295.0, true, &n))
            return cli_complain("bad seed '%s': a number from 0 to 4294967295", value);
        o->seed.fixed = true;
        o->seed.seed = (uint64_t)n;
        return true;
    case OPT_TIMEOUT:
        if (!cli_number(value, 1e-9, 3600, false, &o->timeout_s))
            return cli_complain("bad timeout '%s': seconds, more than 0 and at most 3600", value);
        return true;
    case OPT_LIMIT:
        if (!options_parse_limit(value, o))
            return cli_complain("bad limit '%s': NAME=N, NAME one of cpu, memory, file, files, output, processes, submission",
                value);
        return true;
    case OPT_ISOLATION:
        if (strcmp(value, "auto") && strcmp(value, "sandbox") && strcmp(value, "none"))
            return cli_complain("unknown isolation '%s': use auto, sandbox or none", value);
        o->isolation = value[0] == 'a' ? WISH_AUTO : value[0] == 's' ? WISH_SANDBOX : WISH_NONE;
        return true;
    default:
        o->require_all |= id == OPT_REQUIRE_ALL;
        o->verbose |= id == OPT_VERBOSE;
        o->print_rubric |= id == OPT_PRINT_RUBRIC;
        return true;
    }
}

bool options_take_named(const char *name, const char *value, struct options *o)
{
    for (size_t i = 0; i < sizeof grade_options / sizeof grade_options[0]; i++)
        if (strcmp(grade_options[i].name, name) == 0)
            return options_take(grade_options[i].id, value, o);
    return cli_complain("no option --%s", name);
}

bool options_finish(struct options *o)
{
    const char *forced = getenv("MMGRADE_READ_FAULT");

    for (int k = 0; o->ntasks == 0 && k < TASK_COUNT; k++)
        o->tasks[k] = (enum task_id)k;
    o->ntasks = o->ntasks ? o->ntasks : TASK_COUNT;
    /* a task asked for alone may be a flat folder of its own: not all five */
    if (o->ntasks == TASK_COUNT)
        memset(o->named, 0, sizeof o->named);
    if (!o->cpu_set)
        o->limits.cpu_s = o->timeout_s;
    o->read_fault = -1;
    if (forced && strcmp(forced, "allocates") == 0)
        o->read_fault = 1;
    else if (forced && strcmp(forced, "zero-page") == 0)
        o->read_fault = 0;
    else if (forced && forced[0] && strcmp(forced, "probe") != 0)
        return cli_complain("bad MMGRADE_READ_FAULT '%s': allocates, zero-page or probe", forced);
    return true;
}
