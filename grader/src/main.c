/* main.c - mmgrade's command line: read the options, grade the submission
 * with them, write the report; or print the rubric in force. */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "class/batch.h"
#include "cli.h"
#include "files.h"
#include "grade.h"
#include "isolation.h"
#include "options.h"
#include "reaper.h"
#include "toolbox.h"
#include "render/render.h"
#include "rubric.h"

#define EXIT_USAGE 2
#define EXIT_ENVIRONMENT 3
#define RUBRIC_MAX_BYTES (1u << 20)

__attribute__((format(printf, 2, 3), noreturn)) static void die(int status, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    cli_vcomplain(fmt, ap);
    va_end(ap);
    exit(status);
}

/* The rubric in force: the defaults, with the instructor's file applied;
 * exits 2 saying what is wrong with the file. */
static void load_rubric(const char *path, struct rubric *r, char **secret)
{
    char err[256], *text;

    rubric_init(r);
    *secret = NULL;
    if (!path)
        return;
    if (!(text = files_read(path, RUBRIC_MAX_BYTES, NULL)))
        die(EXIT_USAGE, "cannot read the rubric '%s': %s", path, strerror(errno));
    if (!rubric_apply(r, text, secret, err, sizeof err)) {
        free(text);
        die(EXIT_USAGE, "bad rubric '%s': %s", path, err);
    }
    free(text);
}

/* The config every task of the submission is graded with. */
static void configure(const struct options *o, const struct toolbox *tb, const struct rubric *rubric,
                      struct grade_config *cfg)
{
    *cfg = (struct grade_config){.gcc = tb->gcc, .valgrind = tb->valgrind, .bash = tb->bash,
                                 .shellcheck = tb->shellcheck, .shim = tb->shim, .init = tb->init, .target = tb->target,
                                 .timeout_s = o->timeout_s, .submission_s = o->submission_s, .limits = o->limits,
                                 .verbose = o->verbose, .rubric = rubric};
}

/* The strongest isolation o allows under which the grader observes, and
 * what the kernel does on a read; exit 3 when there is none. */
static void choose_isolation(const struct options *o, const struct toolbox *tb, const char *scratch,
                             struct isolation_choice *choice, struct grade_config *cfg)
{
    struct isolation_tools tools = {tb->bwrap, tb->setpriv, tb->target, tb->shim, tb->init, scratch};
    const char *probed = getenv("MMGRADE_PROBED"); /* a batch probed once for all its gradings */
    double started = session_now();
    char why[512];

    if (probed && *probed) {
        if (!isolation_assume(probed, o->isolation, &tools, choice))
            die(EXIT_USAGE, "bad MMGRADE_PROBED '%s': not a level this grader may use here", probed);
    } else if (!isolation_choose(o->isolation, &tools, choice, why, sizeof why)) {
        files_remove_tree(scratch);
        die(EXIT_ENVIRONMENT, "cannot grade: %s: %s",
            o->isolation == WISH_SANDBOX ? "no sandbox under which the grader can observe student programs (is bwrap "
                                           "installed? may it make user namespaces?)"
            : o->isolation == WISH_AUTO && geteuid() == 0
                ? "as root, no level that runs student code as another user can observe it (--isolation none would "
                  "run it as root, with limits only)"
                : "the grader cannot observe its own child processes",
            why);
    }
    cfg->sandbox = choice->level == ISOLATION_NONE ? NULL : &choice->sandbox;
    cfg->isolation = isolation_name(choice->level);
    cfg->read_allocates = o->read_fault >= 0 ? o->read_fault == 1 : choice->read_allocates;
    cfg->read_fault_forced = o->read_fault >= 0;
    if (o->verbose)
        fprintf(stderr, "mmgrade: isolation: %s\nmmgrade: a read of a fresh page %s (%s)\nmmgrade: probe: %.2f s\n",
                cfg->isolation, cfg->read_allocates ? "allocates a page" : "maps the shared zero page",
                cfg->read_fault_forced ? "MMGRADE_READ_FAULT" : probed ? "probed once by the batch" : "probe",
                session_now() - started);
}

/* --results DIR: every format, each in a file of its own. */
static const struct {
    enum format format;
    const char *name;
} results_files[] = {
    {FORMAT_JSON, "results.json"}, {FORMAT_TEXT, "feedback.txt"}, {FORMAT_MARKDOWN, "summary.md"},
    {FORMAT_JUNIT, "junit.xml"},   {FORMAT_CLASSROOM, "classroom.txt"},
};

/* One file of --results: the report in one format. */
struct results_file {
    enum format format;
    const struct grade_report *report;
};

static bool write_results_file(const void *ctx, FILE *f)
{
    const struct results_file *r = ctx;

    return render(r->format, r->report, f, false);
}

/* Writes each of results_files into dir, each whole or not at all: a
 * batch that reads them never sees half of one. False when one cannot be
 * written. */
static bool write_results(const char *dir, const struct grade_report *report)
{
    for (size_t i = 0; i < sizeof results_files / sizeof results_files[0]; i++) {
        struct results_file file = {results_files[i].format, report};
        char path[PATH_MAX];

        snprintf(path, sizeof path, "%s/%s", dir, results_files[i].name);
        if (!files_write_whole(path, write_results_file, &file))
            return false;
    }
    return true;
}

/* Writes the report where o says; exit 3 when it cannot be written. */
static void write_report(const struct options *o, FILE *out, const struct grade_report *report)
{
    bool written = render(o->format, report, out, !o->output && isatty(1) && !getenv("NO_COLOR"));

    if (fflush(out) != 0 || ferror(out) || (out != stdout && fclose(out) != 0))
        written = false;
    if (!written)
        die(EXIT_ENVIRONMENT, "cannot write the report to '%s': the disk is full or the file is not writable",
            o->output ? o->output : "standard output");
    if (o->results && !write_results(o->results, report))
        die(EXIT_ENVIRONMENT, "cannot write the results into '%s': %s", o->results, strerror(errno));
}

/* What a grading made on disk, removed however it ends: die() exits. */
static struct submission *opened;
static char *scratch_made;

static void remove_made(void)
{
    if (scratch_made)
        files_remove_tree(scratch_made);
    if (opened)
        submission_free(opened);
}

static int grade(struct options *o, const char *path)
{
    struct grade_report report = {0};
    struct isolation_choice choice;
    struct grade_config cfg;
    struct submission sub;
    struct rubric rubric;
    struct toolbox tb;
    char err[512], *secret, scratch[PATH_MAX];
    FILE *out;

    load_rubric(o->rubric, &rubric, &secret);
    o->seed.secret = secret ? secret : getenv("MMGRADE_SECRET");
    if (!submission_open(path, o->named, &o->seed, &sub, err, sizeof err))
        die(EXIT_USAGE, "%s", err);
    opened = &sub;
    atexit(remove_made);
    if (!(out = o->output ? fopen(o->output, "w") : stdout)) /* before grading: a bad path costs no time */
        die(EXIT_USAGE, "cannot write '%s': %s", o->output, strerror(errno));
    if (o->results && (!files_make_dirs(o->results) || access(o->results, W_OK) != 0))
        die(EXIT_USAGE, "cannot write into '%s': %s", o->results, strerror(errno));
    if (!toolbox_find(&tb, err, sizeof err))
        die(EXIT_ENVIRONMENT, "cannot grade: %s", err);
    configure(o, &tb, &rubric, &cfg);
    /* not in /tmp: a script's /tmp is a folder of the grader's, bound there */
    if (!files_make_scratch("mmgrade", scratch, sizeof scratch))
        die(EXIT_ENVIRONMENT, "cannot make a scratch folder in /var/tmp or /tmp: %s", strerror(errno));
    scratch_made = scratch;
    chmod(scratch, 0711); /* the sandbox's user must reach its own folders below it */
    choose_isolation(o, &tb, scratch, &choice, &cfg);
    bool graded = grade_submission(&cfg, &sub, o->tasks, o->ntasks, scratch, &report, err, sizeof err);
    files_remove_tree(scratch);
    scratch_made = NULL;
    if (!graded)
        die(EXIT_ENVIRONMENT, "%s", err);
    write_report(o, out, &report);
    if (o->require_all && report.incomplete)
        die(EXIT_ENVIRONMENT, "grading is incomplete: some checks were not run (--require-all)");
    report_free(&report);
    submission_free(&sub);
    opened = NULL;
    toolbox_free(&tb);
    free(secret);
    return 0;
}

static int print_rubric(const struct options *o)
{
    struct rubric rubric;
    char *secret, *text;

    load_rubric(o->rubric, &rubric, &secret);
    text = rubric_print(&rubric);
    puts(text);
    free(text);
    free(secret);
    return 0;
}

int main(int argc, char **argv)
{
    struct options o;
    int first;

    if (argc > 1 && strcmp(argv[1], "batch") == 0)
        return batch_main(argc - 1, argv + 1);
    if (argc > 1 && strcmp(argv[1], "merge") == 0)
        return merge_main(argc - 1, argv + 1);
    options_init(&o);
    if ((first = cli_parse(&grade_command, argc, argv, options_take, &o)) < 0 || !options_finish(&o))
        return EXIT_USAGE;
    if (o.print_rubric && first != argc)
        die(EXIT_USAGE, "--print-rubric takes no SUBMISSION: it prints the rubric and grades nothing");
    if (o.print_rubric)
        return print_rubric(&o);
    if (first != argc - 1) {
        cli_synopsis(&grade_command, "usage: ", stderr);
        return EXIT_USAGE;
    }
    /* the grader's own bookkeeping: orphans of student code are its to
     * kill, and a program that closed its stdin must not kill it */
    reaper_adopt_orphans();
    signal(SIGPIPE, SIG_IGN);
    return grade(&o, argv[first]);
}
