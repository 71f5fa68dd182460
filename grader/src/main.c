/* main.c - mmgrade's command line: find the task files of a submission,
 * grade each task, render the report. */
#define _GNU_SOURCE
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <libgen.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "files.h"
#include "grade.h"
#include "tasks/reports.h"
#include "procfs.h"
#include "render.h"
#include "result.h"

#define EXIT_USAGE 2
#define EXIT_ENVIRONMENT 3

static const char usage_text[] =
    "usage: mmgrade [--task T]... [--format text|json|markdown|junit] [--output FILE]\n"
    "               [--rubric FILE] [--seed N] [--timeout SECONDS] [--limit NAME=N]...\n"
    "               [--isolation auto|sandbox|none] [--require-all] [--verbose] SUBMISSION\n"
    "       mmgrade [--rubric FILE] --print-rubric\n"
    "\n"
    "Grades the mmap lab's tasks: the programs of 2.1-2.3 by building them and\n"
    "watching them run, the script of 2.5 on a live process of its own, and\n"
    "the reports (REPORT.md) of 2.1-2.4.\n"
    "\n"
    "SUBMISSION  a folder in the labs layout (2.1-*/mmap_basics.c, 2.2-*/mmap_demo.c,\n"
    "            2.3-*/mmap_demo.c, 2.4-*/REPORT.md, 2.5-*/analyse.sh, each task's\n"
    "            REPORT.md beside its program) or a flat upload (mmap_basics.c,\n"
    "            mmap_demo.c, analyse.sh, REPORT.md at its top; a flat mmap_demo.c\n"
    "            is task 2.3's unless --task 2.2 is asked for)\n"
    "\n"
    "  --task T         grade task T only (2.1 to 2.5); may be repeated\n"
    "  --format F       text (the default), json (a Gradescope results.json),\n"
    "                   markdown (a CI job summary) or junit (JUnit XML)\n"
    "  --output FILE    write the report to FILE instead of stdout\n"
    "  --rubric FILE    points, visibility and the seed's secret from a JSON\n"
    "                   file (docs/rubric.md); unknown keys are an error\n"
    "  --seed N         draw the hidden sizes from N instead of from the\n"
    "                   submission and the secret\n"
    "  --limit NAME=N   a limit on student code (0: none; docs/grader.md):\n"
    "                   cpu (seconds, default the timeout), memory (MiB of\n"
    "                   address space, default 2048), file (MiB, 64), files\n"
    "                   (open, 256), output (KiB of stdout and of stderr,\n"
    "                   1024), processes (256, as nobody only), submission\n"
    "                   (seconds for all its runs, 600)\n"
    "  --timeout S      wall-clock limit per run of student code (default 10;\n"
    "                   runs under valgrind get three times as long)\n"
    "  --require-all    exit 3 when a check could not be run (valgrind or\n"
    "                   shellcheck absent)\n"
    "  --isolation L    auto (the default: the strongest that still observes),\n"
    "                   sandbox (bwrap, or exit 3) or none (limits only)\n"
    "  --verbose        say on stderr what is run; show every check's feedback\n"
    "  --print-rubric   print the rubric in force (the defaults, or with\n"
    "                   --rubric the file applied) as a rubric file, and exit\n"
    "  -h, --help       this help\n"
    "\n"
    "Exit status: 0 graded (whatever the score); 2 usage error; 3 the\n"
    "environment cannot grade (no gcc, no /proc, no shim), or --require-all\n"
    "and a check was not run.\n"
    "Environment: MMGRADE_SECRET, the instructor's secret mixed into the seed\n"
    "(a rubric's secret wins); NO_COLOR, no colour in text output;\n"
    "MMGRADE_READ_FAULT=allocates|zero-page, what a read of a fresh page does\n"
    "on this kernel, instead of what the start-up probe finds.\n"
    "See docs/grader.md.\n";

__attribute__((format(printf, 2, 3), noreturn)) static void die(int status, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    fprintf(stderr, "mmgrade: ");
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, "\n");
    va_end(ap);
    exit(status);
}

/* The first executable called name on PATH, or NULL. */
static char *find_on_path(const char *name)
{
    const char *path = getenv("PATH");
    char *copy, *dir, *save = NULL, *found = NULL;

    if (!path)
        path = "/usr/bin:/bin";
    copy = strdup(path);
    for (dir = strtok_r(copy, ":", &save); dir && !found; dir = strtok_r(NULL, ":", &save)) {
        char candidate[PATH_MAX];

        snprintf(candidate, sizeof candidate, "%s/%s", dir, name);
        /* the real path: a link on PATH means nothing inside a sandbox */
        if (access(candidate, X_OK) == 0)
            found = realpath(candidate, NULL);
    }
    free(copy);
    return found;
}

/* What each task is made of: the file that must be there for the task to
 * be graded at all, and whether it has a report beside it. */
static const struct {
    const char *task, *file, *alias;  /* alias: a spelling to accept too */
    bool flat;                        /* may be at the top of a flat upload */
    bool report;
} task_files[] = {
    {"2.1", "mmap_basics.c", NULL, true, true},
    {"2.2", "mmap_demo.c", NULL, false, true}, /* a flat mmap_demo.c is task 2.3's */
    {"2.3", "mmap_demo.c", NULL, true, true},
    {"2.4", "REPORT.md", NULL, true, false},
    {"2.5", "analyse.sh", "analyze.sh", true, false},
};

static size_t task_index(const char *task)
{
    for (size_t i = 0; i < sizeof task_files / sizeof task_files[0]; i++)
        if (strcmp(task_files[i].task, task) == 0)
            return i;
    abort();
}

/* True when the submission is in the labs layout: a folder per task. */
static bool is_labs_layout(const char *submission)
{
    DIR *dir = opendir(submission);
    struct dirent *e;
    bool layout = false;

    while (dir && (e = readdir(dir)))
        layout |= strncmp(e->d_name, "2.", 2) == 0 && isdigit((unsigned char)e->d_name[2]) && e->d_type == DT_DIR;
    if (dir)
        closedir(dir);
    return layout;
}

/* The task's file called name: in the labs layout, in the folder named
 * "TASK-..."; in a flat upload, at the top when flat. NULL when absent. */
static char *locate_file(const char *submission, bool layout, const char *task, const char *name, bool flat)
{
    size_t tlen = strlen(task);
    char path[PATH_MAX];
    struct dirent *e;
    DIR *dir;

    if (!name)
        return NULL;
    if (!layout) {
        snprintf(path, sizeof path, "%s/%s", submission, name);
        return flat && access(path, R_OK) == 0 ? realpath(path, NULL) : NULL;
    }
    dir = opendir(submission);
    while (dir && (e = readdir(dir))) {
        if (strncmp(e->d_name, task, tlen) == 0 && (e->d_name[tlen] == '-' || e->d_name[tlen] == '\0')) {
            snprintf(path, sizeof path, "%s/%s/%s", submission, e->d_name, name);
            if (access(path, R_OK) == 0) {
                closedir(dir);
                return realpath(path, NULL);
            }
        }
    }
    if (dir)
        closedir(dir);
    return NULL;
}

static uint64_t fnv1a(uint64_t h, const void *data, size_t n)
{
    const unsigned char *p = data;

    for (size_t i = 0; i < n; i++) {
        h ^= p[i];
        h *= 1099511628211ULL;
    }
    return h;
}

/* The secret and the sources together: sizes differ between students, and
 * a student cannot predict them without the secret. */
static uint64_t seed_from(const char *secret, char *const *sources, size_t n)
{
    uint64_t h = 14695981039346656037ULL;

    if (secret)
        h = fnv1a(h, secret, strlen(secret));
    for (size_t i = 0; i < n; i++) {
        size_t len = 0;
        char *text = sources[i] ? proc_slurp(sources[i], 1 << 20, &len) : NULL;

        if (text)
            h = fnv1a(h, text, len);
        free(text);
    }
    return h & 0xffffffffu;
}

/* "memory=512": sets one of the limits; false when NAME or N is not one. */
static bool parse_limit(const char *text, struct run_limits *l, double *submission_s, bool *cpu_set)
{
    const char *eq = strchr(text, '=');
    char *end;
    double n;

    if (!eq || eq[1] == '\0')
        return false;
    errno = 0;
    n = strtod(eq + 1, &end);
    if (errno || *end || n < 0 || n > 1e9)
        return false;
#define IS(name) ((size_t)(eq - text) == strlen(name) && strncmp(text, name, strlen(name)) == 0)
    if (IS("cpu")) {
        l->cpu_s = n;
        *cpu_set = true;
    } else if (IS("memory")) {
        l->memory_bytes = (uint64_t)(n * 1048576);
    } else if (IS("file")) {
        l->file_bytes = (uint64_t)(n * 1048576);
    } else if (IS("files")) {
        l->open_files = (uint64_t)n;
    } else if (IS("output")) {
        l->output_bytes = (size_t)(n * 1024);
    } else if (IS("processes")) {
        l->processes = (uint64_t)n;
    } else if (IS("submission")) {
        *submission_s = n;
    } else {
        return false;
    }
#undef IS
    return true;
}

/* Applies the instructor's rubric file or exits 2 saying what is wrong. */
static void load_rubric(const char *path, char **secret)
{
    char err[256], *text = proc_slurp(path, 1 << 20, NULL);

    if (!text) {
        fprintf(stderr, "mmgrade: cannot read the rubric '%s': %s\n", path, strerror(errno));
        exit(EXIT_USAGE);
    }
    if (!rubric_apply(text, secret, err, sizeof err)) {
        fprintf(stderr, "mmgrade: bad rubric '%s': %s\n", path, err);
        free(text);
        exit(EXIT_USAGE);
    }
    free(text);
}

/* The residency the probe saw of its region at start, or NULL. */
static const struct residency *probe_residency(const struct pause_snapshot *p, uint64_t start)
{
    for (size_t i = 0; p && i < p->nresidency; i++)
        if (p->residency[i].start == start)
            return &p->residency[i];
    return NULL;
}

/* True when, under sb (NULL: none), the grader sees a pause of its own
 * target and reads its status, maps and pagemap there: what every check
 * of a paused program needs. *read_allocates tells whether a page the
 * target only read was backed by memory of its own (see pagemap_count_own). */
static bool observation_works(const struct sandbox *sb, const char *target, const char *shim, const char *scratch_root,
                              bool *read_allocates, char *why, size_t cap)
{
    char dir[PATH_MAX], end[256];
    struct sandbox probe;
    struct run_result r;
    unsigned long long pid, addr, len, read_addr, read_len, huge_addr, huge_len;

    snprintf(dir, sizeof dir, "%s/probe", scratch_root);
    mkdir(dir, 0700);
    if (sb) {
        probe = *sb;
        probe.own_pid_ns = true;
        probe.ro_paths[0] = target;
        probe.ro_paths[1] = shim;
        if (probe.uid != (uid_t)-1 && chown(dir, probe.uid, probe.gid) != 0) {
            snprintf(why, cap, "cannot hand the probe's folder to the sandbox's user: %s", strerror(errno));
            return false;
        }
    }
    struct run_spec spec = {.program = target, .workdir = dir, .shim = shim, .timeout_s = 5, .count_zero_pages = true,
                            .sandbox = sb ? &probe : NULL};
    session_run(&spec, &r);
    const struct pause_snapshot *p = r.npauses > 0 ? &r.pauses[0] : NULL;
    const char *ready = r.out ? strstr(r.out, "ready ") : NULL;
    bool located = ready && sscanf(ready, "ready %llu %llx %llu read %llx %llu %llx %llu", &pid, &addr, &len, &read_addr,
                                   &read_len, &huge_addr, &huge_len) == 7;
    const struct residency *written = located ? probe_residency(p, addr) : NULL,
                           *read_page = located ? probe_residency(p, read_addr) : NULL,
                           *read_huge = located ? probe_residency(p, huge_addr) : NULL;
    /* the target wrote its whole mapping before it waits */
    int err_len = (int)(r.err_len < 200 ? r.err_len : 200);
    while (err_len > 0 && isspace((unsigned char)r.err[err_len - 1]))
        err_len--;
    session_describe_end(&r, end, sizeof end);
    if (!r.started || (r.npauses == 0 && r.exited && r.exit_code >= 126))
        snprintf(why, cap, "its probe program %s %s%s%.*s", target, end, err_len ? ": " : "", err_len, r.err);
    else if (!p)
        snprintf(why, cap, "its probe program %s without being seen to wait for input: /proc/PID/syscall or "
                           "/proc/PID/io is not readable (Yama ptrace_scope 2 or 3, /proc mounted with hidepid) or "
                           "not the kernel's (an emulator such as qemu-user)", end);
    else if (!p->status_ok || !p->maps_ok)
        snprintf(why, cap, "/proc/PID/status or /proc/PID/maps of its probe program is not readable");
    else if (!written || !read_page || !read_huge)
        snprintf(why, cap, "its probe program's regions were not found in its output, or /proc/PID/pagemap or "
                           "/proc/PID/mem of its pages could not be read");
    else if (written->total == 0 || written->own != written->total || written->own_zero != 0)
        snprintf(why, cap, "/proc/PID/pagemap does not show the pages its probe program wrote as present");
    else if (read_page->own_zero != read_page->own || read_huge->own_zero != read_huge->own)
        snprintf(why, cap, "/proc/PID/mem does not show the pages its probe program only read as zeros");
    else
        why[0] = '\0';
    if (why[0] == '\0')
        *read_allocates = read_page->own > 0 || read_huge->own > 0;
    session_result_free(&r);
    files_remove_tree(dir);
    return why[0] == '\0';
}

/* The strongest isolation asked for under which observation works: as
 * nobody in a sandbox when root, else in a sandbox as oneself, else none;
 * -1 when none that was asked for works. */
static enum isolation choose_isolation(const char *wanted, const char *target, const char *shim,
                                       const char *scratch_root, struct sandbox *box, bool verbose,
                                       bool *read_allocates, char *why, size_t cap)
{
    char *bwrap = strcmp(wanted, "none") ? find_on_path("bwrap") : NULL;
    static char bwrap_path[PATH_MAX];
    enum isolation level = (enum isolation)-1;

    memset(box, 0, sizeof *box);
    if (bwrap && target) {
        snprintf(bwrap_path, sizeof bwrap_path, "%s", bwrap);
        box->bwrap = bwrap_path;
        box->uid = (uid_t)-1;
        box->gid = (gid_t)-1;
        static char setpriv_path[PATH_MAX];
        char *setpriv = find_on_path("setpriv");

        if (geteuid() == 0 && setpriv) {
            snprintf(setpriv_path, sizeof setpriv_path, "%s", setpriv);
            box->setpriv = setpriv_path;
            box->uid = 65534; /* nobody */
            box->gid = 65534;
            if (observation_works(box, target, shim, scratch_root, read_allocates, why, cap))
                level = ISOLATION_SANDBOX_NOBODY;
            else
                box->uid = box->gid = (uid_t)-1;
        }
        free(setpriv);
        if ((int)level < 0 && observation_works(box, target, shim, scratch_root, read_allocates, why, cap))
            level = ISOLATION_SANDBOX;
    }
    free(bwrap);
    /* no sandbox to be had: as root, another user is still worth having */
    if ((int)level < 0 && strcmp(wanted, "auto") == 0 && geteuid() == 0 && target) {
        memset(box, 0, sizeof *box);
        box->uid = 65534;
        box->gid = 65534;
        if (observation_works(box, target, shim, scratch_root, read_allocates, why, cap))
            level = ISOLATION_NOBODY;
    }
    if ((int)level < 0 && strcmp(wanted, "sandbox") != 0 && (!target || observation_works(NULL, target, shim, scratch_root, read_allocates, why, cap)))
        level = ISOLATION_NONE;
    if (verbose && (int)level >= 0)
        fprintf(stderr, "mmgrade: isolation: %s\n", isolation_name(level));
    return level;
}

/* A helper program built beside the shim (build/lib), or NULL. */
static char *find_beside_shim(const char *shim, const char *name)
{
    char dir[PATH_MAX], path[PATH_MAX + 64];

    snprintf(dir, sizeof dir, "%s", shim);
    snprintf(path, sizeof path, "%s/%s", dirname(dir), name);
    return access(path, X_OK) == 0 ? strdup(path) : NULL;
}

static char *find_shim(void)
{
    const char *env = getenv("MMGRADE_SHIM");
    char exe[PATH_MAX], path[PATH_MAX + 32];
    ssize_t n;

    if (env)
        return access(env, R_OK) == 0 ? strdup(env) : NULL;
    n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0)
        return NULL;
    exe[n] = '\0';
    /* build/bin/mmgrade finds build/lib/mmshim.so */
    snprintf(path, sizeof path, "%s/../lib/mmshim.so", dirname(exe));
    return access(path, R_OK) == 0 ? realpath(path, NULL) : NULL;
}

int main(int argc, char **argv)
{
    static const struct option options[] = {
        {"task", required_argument, NULL, 't'},    {"format", required_argument, NULL, 'f'},
        {"output", required_argument, NULL, 'o'},  {"seed", required_argument, NULL, 's'},
        {"timeout", required_argument, NULL, 'T'}, {"require-all", no_argument, NULL, 'r'},
        {"limit", required_argument, NULL, 'L'},
        {"rubric", required_argument, NULL, 'R'},  {"verbose", no_argument, NULL, 'v'},
        {"print-rubric", no_argument, NULL, 'P'},  {"isolation", required_argument, NULL, 'I'},
        {"help", no_argument, NULL, 'h'},          {NULL, 0, NULL, 0}};
    const char *tasks[5], *format = "text", *output = NULL, *rubric_path = NULL;
    size_t ntasks = 0;
    bool require_all = false, have_seed = false, verbose = false, print_rubric = false;
    uint64_t seed = 0;
    double timeout = 10, submission_s = 600;
    struct run_limits limits = {.memory_bytes = 2048ull << 20, .file_bytes = 64ull << 20, .open_files = 256,
                                .output_bytes = 1u << 20, .processes = 256};
    bool cpu_set = false;
    const char *isolation = "auto";
    int opt;

    while ((opt = getopt_long(argc, argv, "h", options, NULL)) != -1) {
        char *end;

        switch (opt) {
        case 't':
        {
            size_t k = 0;

            while (rubric_tasks[k] && strcmp(rubric_tasks[k], optarg) != 0)
                k++;
            if (!rubric_tasks[k])
                die(EXIT_USAGE, "unknown task '%s': the tasks are 2.1, 2.2, 2.3, 2.4 and 2.5", optarg);
            bool seen = false;
            for (size_t i = 0; i < ntasks; i++)
                seen |= tasks[i] == rubric_tasks[k];
            if (!seen)
                tasks[ntasks++] = rubric_tasks[k];
            break;
        }
        case 'f':
            if (strcmp(optarg, "text") && strcmp(optarg, "json") && strcmp(optarg, "markdown") && strcmp(optarg, "junit"))
                die(EXIT_USAGE, "unknown format '%s': use text, json, markdown or junit", optarg);
            format = optarg;
            break;
        case 'o':
            output = optarg;
            break;
        case 's':
            errno = 0;
            seed = strtoull(optarg, &end, 10);
            if (errno || *end || end == optarg || seed > 0xffffffffu)
                die(EXIT_USAGE, "bad seed '%s': a number from 0 to 4294967295", optarg);
            have_seed = true;
            break;
        case 'T':
            timeout = strtod(optarg, &end);
            if (*end || end == optarg || timeout <= 0 || timeout > 3600)
                die(EXIT_USAGE, "bad timeout '%s': seconds, more than 0 and at most 3600", optarg);
            break;
        case 'r':
            require_all = true;
            break;
        case 'L':
            if (!parse_limit(optarg, &limits, &submission_s, &cpu_set))
                die(EXIT_USAGE, "bad limit '%s': NAME=N, NAME one of cpu, memory, file, files, output, processes, submission",
                    optarg);
            break;
        case 'R':
            rubric_path = optarg;
            break;
        case 'v':
            verbose = true;
            break;
        case 'P':
            print_rubric = true;
            break;
        case 'I':
            if (strcmp(optarg, "auto") && strcmp(optarg, "sandbox") && strcmp(optarg, "none"))
                die(EXIT_USAGE, "unknown isolation '%s': use auto, sandbox or none", optarg);
            isolation = optarg;
            break;
        case 'h':
            fputs(usage_text, stdout);
            return 0;
        default:
            fputs(usage_text, stderr);
            return EXIT_USAGE;
        }
    }
    if (print_rubric && optind == argc) {
        char *secret = NULL, *text;

        if (rubric_path)
            load_rubric(rubric_path, &secret);
        free(secret);
        text = rubric_print();
        puts(text);
        free(text);
        return 0;
    }
    if (optind != argc - 1) {
        fputs(usage_text, stderr);
        return EXIT_USAGE;
    }
    const char *submission = argv[optind];
    struct stat st;
    if (stat(submission, &st) != 0 || !S_ISDIR(st.st_mode))
        die(EXIT_USAGE, "cannot grade '%s': not a folder", submission);
    if (ntasks == 0)
        for (; rubric_tasks[ntasks]; ntasks++)
            tasks[ntasks] = rubric_tasks[ntasks];
    /* Orphans of student code become the grader's to kill, not init's. */
    session_become_subreaper();
    /* Before grading, so that a bad path costs no time. */
    FILE *out = output ? fopen(output, "w") : stdout;
    if (!out) {
        fprintf(stderr, "mmgrade: cannot write '%s': %s\n", output, strerror(errno));
        return EXIT_USAGE;
    }
    /* MMGRADE_READ_FAULT: -1 to probe, else what a read does (1: allocates) */
    const char *forced = getenv("MMGRADE_READ_FAULT");
    int read_fault = -1;
    if (forced && strcmp(forced, "allocates") == 0)
        read_fault = 1;
    else if (forced && strcmp(forced, "zero-page") == 0)
        read_fault = 0;
    else if (forced && forced[0] && strcmp(forced, "probe") != 0)
        die(EXIT_USAGE, "bad MMGRADE_READ_FAULT '%s': allocates, zero-page or probe", forced);
    char *secret = NULL;
    if (rubric_path)
        load_rubric(rubric_path, &secret);
    if (!secret && getenv("MMGRADE_SECRET"))
        secret = strdup(getenv("MMGRADE_SECRET"));

    /* The environment: what grading cannot do without. */
    struct proc_status self;
    if (!status_read(getpid(), &self))
        die(EXIT_ENVIRONMENT, "cannot grade: %s", "/proc is not mounted or not readable");
    char *gcc = find_on_path("gcc"), *bash = find_on_path("bash"), *shim = find_shim();
    if (!gcc)
        die(EXIT_ENVIRONMENT, "cannot grade: %s", "gcc is not installed (apt-get install gcc)");
    if (!bash)
        die(EXIT_ENVIRONMENT, "cannot grade: %s", "bash is not installed (apt-get install bash)");
    if (!shim)
        die(EXIT_ENVIRONMENT, "cannot grade: %s", "mmshim.so not found beside mmgrade (build/lib) nor in MMGRADE_SHIM");
    char *valgrind = find_on_path("valgrind"), *shellcheck = find_on_path("shellcheck"),
         *target = find_beside_shim(shim, "mmtarget");
    if (!cpu_set)
        limits.cpu_s = timeout;
    struct grade_config cfg = {.gcc = gcc, .bash = bash, .shim = shim, .valgrind = valgrind, .shellcheck = shellcheck,
                               .target = target, .timeout_s = timeout, .limits = limits, .verbose = verbose,
                               .deadline = submission_s > 0 ? session_now() + submission_s : 1e300};

    /* Each task's file and report; the C sources seed the hidden sizes,
     * whichever tasks are graded this time. */
    enum { NTASKS = sizeof task_files / sizeof task_files[0] };
    char *files[NTASKS], *reports[NTASKS];
    bool layout = is_labs_layout(submission);
    for (size_t k = 0; k < NTASKS; k++) {
        /* A task asked for by name may be a flat folder of its own: the
         * handouts run `mmgrade --task 2.2 .` in 2.2-mmap-demo/. */
        bool asked = false;
        for (size_t i = 0; i < ntasks && ntasks < NTASKS; i++)
            asked |= strcmp(tasks[i], task_files[k].task) == 0;
        bool flat = task_files[k].flat || asked;
        files[k] = locate_file(submission, layout, task_files[k].task, task_files[k].file, flat);
        if (!files[k])
            files[k] = locate_file(submission, layout, task_files[k].task, task_files[k].alias, flat);
        reports[k] = task_files[k].report ? locate_file(submission, layout, task_files[k].task, "REPORT.md", flat) : NULL;
    }
    if (!have_seed)
        seed = seed_from(secret, files, 3);
    free(secret);
    long page = sysconf(_SC_PAGESIZE);
    cfg.small_size = 4097 + seed % 61440;
    if (cfg.small_size % (uint64_t)page == 0)
        cfg.small_size++;
    cfg.large_size = (64u << 20) + 1 + (seed >> 16) % 4000;

    char scratch_root[] = "/tmp/mmgrade.XXXXXX";
    if (!mkdtemp(scratch_root))
        die(EXIT_ENVIRONMENT, "cannot make a scratch folder in /tmp: %s", strerror(errno));
    /* The sandbox's user must reach its own folders below this one. */
    chmod(scratch_root, 0711);
    struct sandbox box;
    char why[512] = "";
    bool read_allocates = false;
    enum isolation level =
        choose_isolation(isolation, target, shim, scratch_root, &box, verbose, &read_allocates, why, sizeof why);
    if ((int)level < 0) {
        files_remove_tree(scratch_root);
        die(EXIT_ENVIRONMENT, "cannot grade: %s: %s",
            strcmp(isolation, "sandbox") == 0
                ? "no sandbox under which the grader can observe student programs (is bwrap installed? may it make "
                  "user namespaces?)"
                : "the grader cannot observe its own child processes",
            why[0] ? why : "bwrap is not installed");
    }
    cfg.sandbox = level == ISOLATION_NONE ? NULL : &box;
    /* What the probe found, unless a test or an instructor says otherwise. */
    if (read_fault >= 0)
        read_allocates = read_fault;
    cfg.read_allocates = read_allocates;
    cfg.read_fault_forced = read_fault >= 0;
    if (verbose)
        fprintf(stderr, "mmgrade: a read of a fresh page %s (%s)\n",
                read_allocates ? "allocates a page" : "maps the shared zero page",
                cfg.read_fault_forced ? "MMGRADE_READ_FAULT" : "probe");

    char *shown = result_clean_text(submission); /* a folder name is not always UTF-8 */
    struct grade_report report = {.submission = shown, .seed = seed, .small_size = cfg.small_size,
                                  .large_size = cfg.large_size, .verbose = verbose,
                                  .isolation = isolation_name(level), .read_allocates = read_allocates,
                                  .read_fault_forced = cfg.read_fault_forced};
    double t0 = session_now();
    for (size_t i = 0; i < ntasks; i++) {
        struct task_result *t = &report.tasks[report.ntasks++];
        char scratch[PATH_MAX];

        size_t k = task_index(tasks[i]);

        t->task = tasks[i];
        snprintf(scratch, sizeof scratch, "%s/%s", scratch_root, tasks[i]);
        if (!files[k]) {
            t->missing = true;
            continue;
        }
        mkdir(scratch, 0700);
        if (cfg.sandbox && box.uid != (uid_t)-1 && chown(scratch, box.uid, box.gid) != 0)
            die(EXIT_ENVIRONMENT, "cannot give the sandbox's user its folder: %s", strerror(errno));
        cfg.scratch = scratch;
        if (strcmp(tasks[i], "2.4") == 0) {
            grade_report(tasks[i], files[k], t);
        } else if (strcmp(tasks[i], "2.5") == 0) {
            grade_script_task(&cfg, files[k], t);
        } else {
            /* the report first: a failed build fails only the program's checks */
            grade_report(tasks[i], reports[k], t);
            grade_c_task(&cfg, tasks[i], files[k], t);
            result_sort(t);
        }
    }
    report.seconds = session_now() - t0;
    files_remove_tree(scratch_root);

    /* A missing task still shows its points: every check failed, 0. */
    for (size_t i = 0; i < report.ntasks; i++)
        if (report.tasks[i].missing) {
            char why[160];

            snprintf(why, sizeof why, "The task's file was not found in the submission (%s).",
                     task_files[task_index(report.tasks[i].task)].file);
            result_fail_rest(&report.tasks[i], why);
        }
    for (size_t t = 0; t < report.ntasks; t++)
        for (size_t i = 0; i < report.tasks[t].nchecks; i++)
            report.incomplete |= report.tasks[t].checks[i].status == CHECK_NOT_RUN;

    bool written = true;
    if (strcmp(format, "json") == 0)
        written = render_json(&report, out);
    else if (strcmp(format, "markdown") == 0)
        written = render_markdown(&report, out);
    else if (strcmp(format, "junit") == 0)
        written = render_junit(&report, out);
    else
        render_text(&report, out, !output && isatty(1) && !getenv("NO_COLOR"));
    if (fflush(out) != 0 || ferror(out) || (out != stdout && fclose(out) != 0))
        written = false;
    if (!written)
        die(EXIT_ENVIRONMENT, "cannot write the report to '%s': the disk is full or the file is not writable",
            output ? output : "standard output");
    int status = require_all && report.incomplete ? EXIT_ENVIRONMENT : 0;
    if (status)
        fprintf(stderr, "mmgrade: grading is incomplete: some checks were not run (--require-all)\n");
    report_free(&report);
    free(shown);
    free(gcc);
    free(bash);
    free(shim);
    free(valgrind);
    free(shellcheck);
    free(target);
    for (size_t k = 0; k < NTASKS; k++) {
        free(files[k]);
        free(reports[k]);
    }
    return status;
}
