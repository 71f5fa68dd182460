/* batch.c - mmgrade batch and mmgrade merge: list a class, grade a shard
 * of it N students at a time (each a child mmgrade of its own, so that
 * nothing one submission does reaches the others), keep every student's
 * results as they come, and write the gradebook from them. */
#define _GNU_SOURCE
#include "batch.h"

#include <dirent.h>
#include <stdarg.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "../files.h"
#include "../isolation.h"
#include "../options.h"
#include "../rubric.h"
#include "../session.h"
#include "../strvec.h"
#include "../text.h"
#include "../toolbox.h"
#include "../xalloc.h"
#include "gradebook.h"
#include "overrides.h"

#define EXIT_UNGRADED 1
#define EXIT_USAGE 2
#define EXIT_ENVIRONMENT 3
#define MAX_JOBS 64
#define WATCHDOG_SLACK_S 120 /* beyond the submission's own limit: a grader that hangs */
#define OPTIONS_FILE "batch-options.txt"
#define STUDENTS_DIR "students"

enum batch_option {
    B_JOBS, B_OUT, B_SHARD, B_FORCE, B_OVERRIDES, B_TASK, B_RUBRIC, B_SEED, B_TIMEOUT, B_LIMIT, B_ISOLATION,
};

static const struct cli_option batch_options[] = {
    {B_JOBS, "jobs", 'j', "N", NULL, false, "grade N students at a time (default: the number of CPUs)"},
    {B_OUT, "out", 'o', "DIR", NULL, false,
     "where the grades go (made if absent): students/ID/ (each\nstudent's results and feedback), grades.csv, summary.md,\n"
     "report.html"},
    {B_SHARD, "shard", 0, "K/N", NULL, false, "grade only the K-th of N shares of the class (by a hash\nof each name), "
                                               "for a job array; mmgrade merge joins them"},
    {B_FORCE, "force", 0, NULL, NULL, false, "grade again the students DIR already holds grades of"},
    {B_OVERRIDES, "overrides", 0, "FILE", NULL, false,
     "the instructor's decisions, applied to the gradebook:\n\"STUDENT CHECK|manual POINTS|pass|fail REASON\" a line"},
    {B_TASK, "task", 0, "T", NULL, true, "grade task T only; may be repeated (as mmgrade)"},
    {B_RUBRIC, "rubric", 0, "FILE", NULL, false, "the rubric file (as mmgrade)"},
    {B_SEED, "seed", 0, "N", NULL, false, "the seed of every student's sizes (as mmgrade)"},
    {B_TIMEOUT, "timeout", 0, "S", "SECONDS", false, "the limit per run of student code (as mmgrade)"},
    {B_LIMIT, "limit", 0, "NAME=N", NULL, true, "a limit on student code (as mmgrade)"},
    {B_ISOLATION, "isolation", 0, "L", "auto|sandbox|none", false, "how student code is confined (as mmgrade)"},
};

const struct cli_command batch_command = {
    .name = "batch",
    .operands = "CLASS_DIR",
    .options = batch_options,
    .noptions = sizeof batch_options / sizeof batch_options[0],
    .about = "Grades a class: every entry of CLASS_DIR (a folder or a .zip per student,\n"
             "named by the student's id) as mmgrade grades one submission, N at a time.\n"
             "One student's failure (no build, a hang, a crash of the grader) is\n"
             "recorded and the class goes on. Rerun, it grades only the students not\n"
             "graded yet.\n",
    .after = "Exit status: 0 every student graded; 1 some could not be (the gradebook\n"
             "says why); 2 usage error; 3 the environment cannot grade.\n"
             "See docs/instructor-guide.md.\n",
};

enum merge_option { M_OUT, M_OVERRIDES };

static const struct cli_option merge_options[] = {
    {M_OUT, "out", 'o', "DIR", NULL, false, "where the joined grades go (made if absent)"},
    {M_OVERRIDES, "overrides", 0, "FILE", NULL, false, "the instructor's decisions (as mmgrade batch)"},
};

const struct cli_command merge_command = {
    .name = "merge",
    .operands = "DIR...",
    .options = merge_options,
    .noptions = sizeof merge_options / sizeof merge_options[0],
    .about = "Joins the outputs of mmgrade batch --shard runs (each DIR an --out of one)\n"
             "into one: the students' results, grades.csv, summary.md and report.html,\n"
             "as grading the class unsharded writes them.\n",
    .after = "Exit status: 0 joined; 2 usage error (a DIR that is no batch output,\n"
             "shards graded with other options, a student in two shards).\n",
};

struct student {
    char *id, *path; /* path NULL: not a folder nor a .zip */
};

struct batch {
    struct options grade;      /* the grading options, checked as mmgrade checks them */
    struct strvec forward;     /* ... and as the children are given them */
    long jobs;
    const char *out, *class_dir, *overrides_path;
    unsigned shard_k, shard_n; /* 0/0: the whole class */
    bool force;
    struct student *students;
    size_t count;
    char **ids;                /* the students graded here (the shard's) */
    size_t *todo;              /* ... of them, those to grade now */
    struct overrides overrides;
};

/* The batch under way: file-static, so that what it holds stays reachable
 * (never a leak) when fail() exits in the middle. */
static struct batch batch;

static void batch_free(struct batch *b)
{
    for (size_t i = 0; i < b->count; i++) {
        free(b->students[i].id);
        free(b->students[i].path);
    }
    free(b->students);
    free(b->ids);
    free(b->todo);
    overrides_free(&b->overrides);
    strvec_free(&b->forward);
    memset(b, 0, sizeof *b);
}

__attribute__((format(printf, 2, 3), noreturn)) static void fail(int status, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    cli_vcomplain(fmt, ap);
    va_end(ap);
    exit(status);
}

static bool batch_take(int id, const char *value, void *ctx)
{
    static const char *const forwarded[] = {[B_TASK] = "--task", [B_RUBRIC] = "--rubric", [B_SEED] = "--seed",
                                            [B_TIMEOUT] = "--timeout", [B_LIMIT] = "--limit",
                                            [B_ISOLATION] = "--isolation"};
    static const char *const grade_names[] = {[B_TASK] = "task", [B_RUBRIC] = "rubric", [B_SEED] = "seed",
                                              [B_TIMEOUT] = "timeout", [B_LIMIT] = "limit",
                                              [B_ISOLATION] = "isolation"};
    struct batch *b = ctx;
    double n;
    char tail;

    switch ((enum batch_option)id) {
    case B_JOBS:
        if (!cli_number(value, 1, MAX_JOBS, true, &n))
            return cli_complain("bad --jobs '%s': a number from 1 to %d", value, MAX_JOBS);
        b->jobs = (long)n;
        return true;
    case B_OUT:
        b->out = value;
        return true;
    case B_SHARD:
        if (sscanf(value, "%u/%u%c", &b->shard_k, &b->shard_n, &tail) != 2 || b->shard_n == 0 || b->shard_k == 0 ||
            b->shard_k > b->shard_n)
            return cli_complain("bad --shard '%s': K/N, 1 <= K <= N (1/4 to 4/4 for four shares)", value);
        return true;
    case B_FORCE:
        b->force = true;
        return true;
    case B_OVERRIDES:
        b->overrides_path = value;
        return true;
    default:
        /* checked by the grade command's own rules, then passed on as is */
        if (!options_take_named(grade_names[id], value, &b->grade))
            return false;
        strvec_push(&b->forward, forwarded[id]);
        strvec_push(&b->forward, value);
        return true;
    }
}

/* A student's id from its entry's name: the name, ".zip" aside, made
 * printable (a folder's name is any bytes but "/"): valid UTF-8, no
 * control character. */
static char *student_id(const char *name)
{
    size_t n = strlen(name);
    char *raw = n > 4 && strcmp(name + n - 4, ".zip") == 0 ? xstrndup(name, n - 4) : xstrdup(name);
    char *id = text_clean(raw);

    for (char *p = id; *p; p++)
        if (*p == '\n' || *p == '\t')
            *p = '?';
    free(raw);
    return id;
}

/* Every entry of the class folder, hidden ones aside, sorted by name;
 * exits 2 on a folder that cannot be read, is empty, or holds two
 * entries of one student. */
static void list_class(struct batch *b)
{
    struct dirent **names;
    int n = scandir(b->class_dir, &names, NULL, alphasort);
    struct stat st;

    if (n < 0)
        fail(EXIT_USAGE, "cannot read the class folder '%s': %s", b->class_dir, strerror(errno));
    b->students = xcalloc((size_t)n + 1, sizeof *b->students);
    for (int i = 0; i < n; i++) {
        char *path = xasprintf("%s/%s", b->class_dir, names[i]->d_name);
        size_t len = strlen(names[i]->d_name);
        bool zip = len > 4 && strcmp(names[i]->d_name + len - 4, ".zip") == 0;

        if (names[i]->d_name[0] != '.') {
            struct student *s = &b->students[b->count++];

            s->id = student_id(names[i]->d_name);
            s->path = stat(path, &st) == 0 && (S_ISDIR(st.st_mode) || (zip && S_ISREG(st.st_mode))) ? path : NULL;
            if (!s->path)
                free(path);
            for (size_t k = 0; k + 1 < b->count; k++)
                if (strcmp(b->students[k].id, s->id) == 0)
                    fail(EXIT_USAGE, "the class folder holds two submissions of '%s' (a folder and a .zip?)", s->id);
        } else {
            free(path);
        }
        free(names[i]);
    }
    free(names);
    if (b->count == 0)
        fail(EXIT_USAGE, "the class folder '%s' is empty: one folder or .zip per student", b->class_dir);
}

/* Whether id falls in the shard: FNV-1a of the id, so that a student
 * stays in its shard whatever else the class holds. */
static bool in_shard(const struct batch *b, const char *id)
{
    uint64_t h = 14695981039346656037ULL;

    if (b->shard_n == 0)
        return true;
    for (const unsigned char *p = (const unsigned char *)id; *p; p++)
        h = (h ^ *p) * 1099511628211ULL;
    return h % b->shard_n == b->shard_k - 1;
}

/* The options the grades in out were made with, one a line. */
static char *options_text(const struct strvec *forward)
{
    char *text = xstrdup(""), *next;

    for (size_t i = 0; i < forward->count; i++) {
        next = xasprintf("%s%s\n", text, forward->items[i]);
        free(text);
        text = next;
    }
    return text;
}

/* The folder out, made, with its options file agreeing with these
 * options: grades made with other ones are not mixed in unless --force
 * (which grades everyone again). Exits 2 when it cannot be. */
static void prepare_out(struct batch *b)
{
    char path[PATH_MAX], *want, *had;

    snprintf(path, sizeof path, "%s/%s", b->out, STUDENTS_DIR);
    if (!files_make_dirs(path) || access(b->out, W_OK) != 0)
        fail(EXIT_USAGE, "cannot write into '%s': %s", b->out, strerror(errno));
    want = options_text(&b->forward);
    snprintf(path, sizeof path, "%s/%s", b->out, OPTIONS_FILE);
    had = files_read(path, 65536, NULL);
    bool other = had && strcmp(had, want) != 0 && !b->force;
    bool written = !other && files_write_text(path, want);
    free(had);
    free(want);
    if (other)
        fail(EXIT_USAGE, "'%s' holds grades made with other options (%s): --force grades everyone again with these",
             b->out, OPTIONS_FILE);
    if (!written)
        fail(EXIT_USAGE, "cannot write '%s': %s", path, strerror(errno));
}

/* What the grader probed, once for the class: each child takes it from
 * MMGRADE_PROBED instead of probing again. */
static void probe_once(const struct batch *b)
{
    struct toolbox tb;
    struct isolation_choice choice;
    char why[512], scratch[PATH_MAX];

    if (!toolbox_find(&tb, why, sizeof why))
        fail(EXIT_ENVIRONMENT, "cannot grade: %s", why);
    if (!files_make_scratch("mmgrade", scratch, sizeof scratch))
        fail(EXIT_ENVIRONMENT, "cannot make a scratch folder in /var/tmp or /tmp: %s", strerror(errno));
    chmod(scratch, 0711);
    struct isolation_tools tools = {tb.bwrap, tb.setpriv, tb.target, tb.shim, tb.init, scratch};
    bool found = isolation_choose(b->grade.isolation, &tools, &choice, why, sizeof why);
    files_remove_tree(scratch);
    toolbox_free(&tb);
    if (!found)
        fail(EXIT_ENVIRONMENT, "cannot grade: the grader cannot observe student programs here: %s", why);
    setenv("MMGRADE_PROBED", isolation_describe(&choice, why, sizeof why), 1);
}

struct job {
    pid_t pid;
    int pidfd;
    size_t student;
    double started, deadline;
};

struct progress {
    size_t total, done, graded, failed;
    double started;
    bool tty;
    const char *current;
};

static void dir_of(const struct batch *b, const char *id, const char *suffix, char *path, size_t cap)
{
    snprintf(path, cap, "%s/%s/%s%s", b->out, STUDENTS_DIR, id, suffix);
}

/* Starts the child mmgrade that grades student i into its ".part" folder. */
static bool start_job(const struct batch *b, size_t i, struct job *j)
{
    char part[PATH_MAX], log[PATH_MAX + 16];
    struct strvec argv = {0};
    int fd;

    dir_of(b, b->students[i].id, ".part", part, sizeof part);
    files_remove_tree(part);
    if (!files_make_dirs(part))
        return false;
    snprintf(log, sizeof log, "%s/grader.log", part);
    if ((fd = open(log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644)) < 0)
        return false;
    strvec_push(&argv, "mmgrade");
    for (size_t k = 0; k < b->forward.count; k++)
        strvec_push(&argv, b->forward.items[k]);
    strvec_push(&argv, "--results");
    strvec_push(&argv, part);
    strvec_push(&argv, b->students[i].path);
    j->pid = fork();
    if (j->pid == 0) {
        int null = open("/dev/null", O_RDWR);

        dup2(null, STDIN_FILENO);
        dup2(null, STDOUT_FILENO); /* the text report is in feedback.txt */
        dup2(fd, STDERR_FILENO);
        execv("/proc/self/exe", argv.items);
        dprintf(STDERR_FILENO, "mmgrade: cannot run itself: %s\n", strerror(errno));
        _exit(127);
    }
    close(fd);
    strvec_free(&argv);
    if (j->pid < 0)
        return false;
    j->pidfd = (int)syscall(SYS_pidfd_open, j->pid, 0);
    j->student = i;
    j->started = session_now();
    j->deadline = j->started + (b->grade.submission_s > 0 ? b->grade.submission_s : 3600) + WATCHDOG_SLACK_S;
    return true;
}

/* The last line of the child's stderr, for "why it was not graded". */
static char *last_line(const char *path)
{
    char *text = files_read(path, 1u << 20, NULL), *line;
    size_t n;

    if (!text)
        return xstrdup("");
    n = strlen(text);
    while (n > 0 && text[n - 1] == '\n')
        text[--n] = '\0';
    line = strrchr(text, '\n');
    line = xstrdup(line ? line + 1 : text);
    free(text);
    return line;
}

/* The child of j ended with status (or was stopped by the watchdog): its
 * ".part" folder becomes the student's, with error.txt when it did not
 * grade. Returns the student's score, or -1 when not graded. */
static double finish_job(const struct batch *b, const struct job *j, int status, bool overdue)
{
    char part[PATH_MAX], final[PATH_MAX], old[PATH_MAX], path[PATH_MAX + 16], *why = NULL;
    double score = -1;

    dir_of(b, b->students[j->student].id, ".part", part, sizeof part);
    dir_of(b, b->students[j->student].id, "", final, sizeof final);
    dir_of(b, b->students[j->student].id, ".old", old, sizeof old);
    snprintf(path, sizeof path, "%s/grader.log", part);
    if (overdue)
        why = xasprintf("the grader did not finish in %.0f s, and was stopped", j->deadline - j->started);
    else if (WIFSIGNALED(status))
        why = xasprintf("the grader was killed by signal %d (%s)", WTERMSIG(status), strsignal(WTERMSIG(status)));
    else if (WEXITSTATUS(status) != 0) {
        char *line = last_line(path);

        why = xasprintf("the grader exited %d: %s", WEXITSTATUS(status), line);
        free(line);
    }
    snprintf(path, sizeof path, "%s/results.json", part);
    if (!why) {
        cJSON *root = NULL;
        char *text = files_read(path, 16u << 20, NULL);
        const cJSON *s = (root = text ? cJSON_Parse(text) : NULL) ? cJSON_GetObjectItemCaseSensitive(root, "score") : NULL;

        if (cJSON_IsNumber(s))
            score = s->valuedouble;
        else
            why = xstrdup("the grader wrote no results");
        cJSON_Delete(root);
        free(text);
    }
    if (why) {
        char *line = xasprintf("%s\n", why);

        unlink(path); /* a student is graded whole or not at all */
        snprintf(path, sizeof path, "%s/error.txt", part);
        files_write_text(path, line);
        free(line);
        free(why);
    }
    files_remove_tree(old);
    rename(final, old);
    rename(part, final);
    files_remove_tree(old);
    return score;
}

static void show_progress(const struct progress *p, const char *id, double score)
{
    double elapsed = session_now() - p->started;
    double left = p->done ? elapsed / (double)p->done * (double)(p->total - p->done) : 0;

    if (!p->tty) {
        if (id && score >= 0)
            fprintf(stderr, "mmgrade: %zu/%zu %s: %g\n", p->done, p->total, id, score);
        else if (id)
            fprintf(stderr, "mmgrade: %zu/%zu %s: not graded\n", p->done, p->total, id);
        return;
    }
    char bar[31];
    size_t filled = p->total ? 30 * p->done / p->total : 30;

    memset(bar, '#', filled);
    memset(bar + filled, '.', 30 - filled);
    bar[30] = '\0';
    fprintf(stderr, "\r\033[K[%s] %zu/%zu  %.30s  %d:%02d elapsed", bar, p->done, p->total,
            p->current ? p->current : "", (int)elapsed / 60, (int)elapsed % 60);
    if (p->done && p->done < p->total)
        fprintf(stderr, ", about %d:%02d left", (int)left / 60, (int)left % 60);
}

/* Grades the students of todo[0, n), b->jobs at a time. */
static void run_jobs(const struct batch *b, const size_t *todo, size_t n, struct progress *p)
{
    struct job jobs[MAX_JOBS];
    size_t running = 0, next = 0;

    while (next < n || running > 0) {
        while (next < n && running < (size_t)b->jobs) {
            if (!start_job(b, todo[next], &jobs[running]))
                fail(EXIT_ENVIRONMENT, "cannot start grading '%s': %s", b->students[todo[next]].id, strerror(errno));
            p->current = b->students[todo[next++]].id;
            running++;
        }
        struct pollfd fds[MAX_JOBS];
        double soonest = 1e300;
        for (size_t k = 0; k < running; k++) {
            fds[k] = (struct pollfd){.fd = jobs[k].pidfd, .events = POLLIN};
            soonest = jobs[k].deadline < soonest ? jobs[k].deadline : soonest;
        }
        /* on a terminal the clock is redrawn each second; else only the
         * watchdog wakes us, short of a child ending */
        double wait_s = soonest - session_now();
        if (p->tty && wait_s > 1)
            wait_s = 1;
        poll(fds, running, wait_s > 0 ? (int)(wait_s * 1000) + 1 : 0);
        for (size_t k = 0; k < running; k++) {
            int status = 0;
            bool overdue = session_now() >= jobs[k].deadline;
            pid_t done = waitpid(jobs[k].pid, &status, WNOHANG);

            if (done == 0 && overdue) {
                kill(jobs[k].pid, SIGKILL);
                waitpid(jobs[k].pid, &status, 0);
            }
            if (done == 0 && !overdue)
                continue;
            double score = finish_job(b, &jobs[k], status, overdue && done == 0);
            p->done++;
            p->graded += score >= 0;
            p->failed += score < 0;
            show_progress(p, b->students[jobs[k].student].id, score);
            close(jobs[k].pidfd);
            jobs[k--] = jobs[--running];
        }
        show_progress(p, NULL, 0);
    }
    if (p->tty)
        fputc('\n', stderr);
}

/* Reads the students of ids[0, n) back from out into a gradebook, applies
 * the overrides, and writes grades.csv, summary.md and report.html. */
static void write_gradebook(const char *out, char *const *ids, size_t n, const struct overrides *o)
{
    static const struct {
        const char *name;
        bool (*write)(const void *, FILE *);
    } files[] = {{"grades.csv", gradebook_write_csv},
                 {"summary.md", gradebook_write_markdown},
                 {"report.html", gradebook_write_html}};
    struct gradebook g = {0};
    char dir[PATH_MAX], err[PATH_MAX + 128];

    for (size_t i = 0; i < n; i++) {
        snprintf(dir, sizeof dir, "%s/%s/%s", out, STUDENTS_DIR, ids[i]);
        if (!gradebook_add(&g, ids[i], dir, err, sizeof err))
            fail(EXIT_ENVIRONMENT, "%s", err);
    }
    gradebook_finish(&g, o);
    for (size_t f = 0; f < sizeof files / sizeof files[0]; f++) {
        snprintf(dir, sizeof dir, "%s/%s", out, files[f].name);
        if (!files_write_whole(dir, files[f].write, &g))
            fail(EXIT_ENVIRONMENT, "cannot write '%s': %s", dir, strerror(errno));
    }
    gradebook_free(&g);
}

/* The overrides file at path, checked against the rubric the class is
 * graded with and the students names[0, n); exits 2 on a bad one. */
static void load_overrides(const char *path, const char *rubric_path, char *const *names, size_t n,
                           struct overrides *o)
{
    struct rubric r;
    char err[512], *secret = NULL, *text = NULL;
    const char *unknown;

    memset(o, 0, sizeof *o);
    if (!path)
        return;
    rubric_init(&r);
    if (rubric_path) {
        bool read = (text = files_read(rubric_path, 1u << 20, NULL)) && rubric_apply(&r, text, &secret, err, sizeof err);

        free(text);
        free(secret);
        if (!read)
            fail(EXIT_USAGE, "cannot read the rubric '%s' the overrides are checked against", rubric_path);
    }
    if (!overrides_load(path, &r, o, err, sizeof err))
        fail(EXIT_USAGE, "bad overrides %s", err);
    if ((unknown = overrides_unknown_student(o, names, n)))
        fail(EXIT_USAGE, "bad overrides '%s': no student '%s' in the class", path, unknown);
}

int batch_main(int argc, char **argv)
{
    struct batch *b = &batch;
    struct progress p = {.tty = isatty(STDERR_FILENO), .started = session_now()};
    char path[PATH_MAX];
    size_t ntodo = 0, nids = 0, before = 0;
    int first;

    b->jobs = sysconf(_SC_NPROCESSORS_ONLN);
    options_init(&b->grade);
    if ((first = cli_parse(&batch_command, argc, argv, batch_take, b)) < 0 || !options_finish(&b->grade))
        return EXIT_USAGE;
    if (first != argc - 1) {
        cli_synopsis(&batch_command, "usage: ", stderr);
        return EXIT_USAGE;
    }
    if (!b->out)
        fail(EXIT_USAGE, "batch needs --out DIR: the folder the grades go into");
    b->class_dir = argv[first];
    b->jobs = b->jobs < 1 ? 1 : b->jobs > MAX_JOBS ? MAX_JOBS : b->jobs;
    list_class(b);
    b->ids = xcalloc(b->count + 1, sizeof *b->ids);
    for (size_t i = 0; i < b->count; i++)
        b->ids[i] = b->students[i].id;
    /* every student is a name an override may use, in whichever shard */
    load_overrides(b->overrides_path, b->grade.rubric, b->ids, b->count, &b->overrides);
    prepare_out(b);
    b->todo = xcalloc(b->count + 1, sizeof *b->todo);
    for (size_t i = 0; i < b->count; i++) {
        if (!in_shard(b, b->students[i].id))
            continue;
        b->ids[nids++] = b->students[i].id;
        dir_of(b, b->students[i].id, "/results.json", path, sizeof path);
        if (!b->students[i].path) {
            dir_of(b, b->students[i].id, "", path, sizeof path);
            files_remove_tree(path);
            files_make_dirs(path);
            strcat(path, "/error.txt");
            files_write_text(path, "not a folder nor a .zip: nothing to grade\n");
        } else if (b->force || access(path, R_OK) != 0) {
            b->todo[ntodo++] = i;
        } else {
            before++;
        }
    }
    p.total = ntodo;
    if (before)
        fprintf(stderr, "mmgrade: %zu of %zu students to grade (%zu graded before: --force grades them again)\n",
                ntodo, nids, before);
    if (ntodo > 0) {
        probe_once(b);
        run_jobs(b, b->todo, ntodo, &p);
    }
    write_gradebook(b->out, b->ids, nids, &b->overrides);
    size_t ungraded = 0;
    for (size_t i = 0; i < nids; i++) {
        dir_of(b, b->ids[i], "/results.json", path, sizeof path);
        ungraded += access(path, R_OK) != 0;
    }
    fprintf(stderr, "mmgrade: %zu students graded, %zu not graded; %s/report.html\n", nids - ungraded, ungraded, b->out);
    batch_free(b);
    return ungraded ? EXIT_UNGRADED : 0;
}

struct merge {
    const char *out, *overrides_path;
    /* what it made, file-static as batch's is: reachable when fail() exits */
    char *out_real, *options, *text, *real, *rubric;
    char **ids;
    size_t n;
    struct overrides overrides;
};

static struct merge merging;

static bool merge_take(int id, const char *value, void *ctx)
{
    struct merge *m = ctx;

    if (id == M_OUT)
        m->out = value;
    else
        m->overrides_path = value;
    return true;
}

/* Copies the files of folder from (its results, feedback, log) into to. */
static bool copy_student(const char *from, const char *to)
{
    DIR *dir = opendir(from);
    struct dirent *e;
    bool ok = dir && files_make_dirs(to);

    while (ok && (e = readdir(dir))) {
        char a[PATH_MAX + 256], b[PATH_MAX + 256];

        if (e->d_type != DT_REG)
            continue;
        snprintf(a, sizeof a, "%s/%s", from, e->d_name);
        snprintf(b, sizeof b, "%s/%s", to, e->d_name);
        ok = files_copy(a, b, 64u << 20);
    }
    if (dir)
        closedir(dir);
    return ok;
}

/* The value that follows name in a batch's options text, or NULL. */
static char *option_value(const char *text, const char *name)
{
    size_t n = strlen(name);

    for (const char *p = text; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL)
        if (strncmp(p, name, n) == 0 && p[n] == '\n') {
            const char *v = p + n + 1;

            return xstrndup(v, strcspn(v, "\n"));
        }
    return NULL;
}

/* Adds the students of batch output dir to ids, copying each into out;
 * exits 2 on one already there from another shard. */
static void merge_dir(const char *dir, const char *out, char ***ids, size_t *n)
{
    char from[PATH_MAX], to[PATH_MAX];
    struct dirent **names;
    int count;

    snprintf(from, sizeof from, "%s/%s", dir, STUDENTS_DIR);
    if ((count = scandir(from, &names, NULL, alphasort)) < 0)
        fail(EXIT_USAGE, "cannot read '%s': %s", from, strerror(errno));
    for (int i = 0; i < count; i++) {
        const char *name = names[i]->d_name;
        size_t len = strlen(name);

        if (name[0] != '.' && !(len > 5 && strcmp(name + len - 5, ".part") == 0) &&
            !(len > 4 && strcmp(name + len - 4, ".old") == 0)) {
            for (size_t k = 0; k < *n; k++)
                if (strcmp((*ids)[k], name) == 0)
                    fail(EXIT_USAGE, "'%s' is in two of the folders merged: shards of one class never share a student",
                         name);
            snprintf(from, sizeof from, "%s/%s/%s", dir, STUDENTS_DIR, name);
            snprintf(to, sizeof to, "%s/%s/%s", out, STUDENTS_DIR, name);
            files_remove_tree(to);
            if (!copy_student(from, to))
                fail(EXIT_ENVIRONMENT, "cannot copy '%s' into '%s': %s", from, to, strerror(errno));
            *ids = xrealloc(*ids, (*n + 2) * sizeof **ids);
            (*ids)[(*n)++] = xstrdup(name);
        }
        free(names[i]);
    }
    free(names);
}

/* Checks each of dirs[0, n) is a batch output graded with the same
 * options as the first, and none is out; keeps the options in m. */
static void check_shards(struct merge *m, char *const *dirs, int n)
{
    char path[PATH_MAX];

    for (int i = 0; i < n; i++) {
        m->real = realpath(dirs[i], NULL);
        snprintf(path, sizeof path, "%s/%s", dirs[i], OPTIONS_FILE);
        if (!(m->text = files_read(path, 65536, NULL)))
            fail(EXIT_USAGE, "'%s' is not an output of mmgrade batch (no %s)", dirs[i], OPTIONS_FILE);
        if (m->real && strcmp(m->real, m->out_real) == 0)
            fail(EXIT_USAGE, "--out '%s' is one of the folders merged: merge into a folder of its own", m->out);
        if (m->options && strcmp(m->options, m->text) != 0)
            fail(EXIT_USAGE, "'%s' was graded with other options than '%s' (%s): grades of different runs do not merge",
                 dirs[i], dirs[0], OPTIONS_FILE);
        free(m->options);
        free(m->real);
        m->options = m->text;
        m->text = m->real = NULL;
    }
}

int merge_main(int argc, char **argv)
{
    struct merge *m = &merging;
    char path[PATH_MAX];
    int first;

    if ((first = cli_parse(&merge_command, argc, argv, merge_take, m)) < 0)
        return EXIT_USAGE;
    if (first >= argc || !m->out) {
        cli_synopsis(&merge_command, "usage: ", stderr);
        return EXIT_USAGE;
    }
    if (!(m->out_real = files_make_dirs(m->out) ? realpath(m->out, NULL) : NULL))
        fail(EXIT_USAGE, "cannot write into '%s': %s", m->out, strerror(errno));
    check_shards(m, argv + first, argc - first);
    snprintf(path, sizeof path, "%s/%s", m->out, STUDENTS_DIR);
    if (!files_make_dirs(path))
        fail(EXIT_USAGE, "cannot write into '%s': %s", m->out, strerror(errno));
    for (int i = first; i < argc; i++)
        merge_dir(argv[i], m->out, &m->ids, &m->n);
    m->rubric = option_value(m->options, "--rubric");
    load_overrides(m->overrides_path, m->rubric, m->ids, m->n, &m->overrides);
    snprintf(path, sizeof path, "%s/%s", m->out, OPTIONS_FILE);
    if (!files_write_text(path, m->options))
        fail(EXIT_ENVIRONMENT, "cannot write '%s': %s", path, strerror(errno));
    write_gradebook(m->out, m->ids, m->n, &m->overrides);
    fprintf(stderr, "mmgrade: merged %zu students from %d folders into %s\n", m->n, argc - first, m->out);
    overrides_free(&m->overrides);
    for (size_t i = 0; i < m->n; i++)
        free(m->ids[i]);
    free(m->ids);
    free(m->options);
    free(m->rubric);
    free(m->out_real);
    return 0;
}
