/* program_task.c - tasks 2.1, 2.2 and 2.3: build the program once, run
 * each of its scenarios once, and hand the recorded runs to the checks
 * (program_judge.c). */
#define _GNU_SOURCE
#include "../grade.h"

#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../files.h"
#include "../xalloc.h"
#include "program_judge.h"

#define VALGRIND_LOG_MAX (1u << 20)
#define SOURCE_MAX_BYTES (4u << 20)
#define COMPILER_TIME_FACTOR 3 /* the compiler, and memcheck, get this many times a run's time */
#define QUICK_RUN_S 3          /* a run that should end at once (a bad argument, mmap failing) */

struct program_env {
    const struct task_run *run;
    char binary[PATH_MAX];
    struct sandbox sandbox; /* the program's: a PID namespace of its own, the shim visible */
};

/* One scenario's run under way, and what its spec points at. */
struct scenario_run {
    enum scenario sc;
    struct session *session;
    struct run_spec spec;
    struct run_limits limits;
    const char *args[3];
    char size[32], dir[PATH_MAX], binary[PATH_MAX + 64], vg_log[PATH_MAX + 16];
};

/* Prepares run r of scenario sc in a folder of its own (a program may
 * write files where it runs, and the runs overlap): the binary linked
 * there, the folder given to the sandbox's user. False when it cannot be. */
static bool prepare_scenario(const struct program_env *env, const struct observations *o, enum scenario sc,
                             struct scenario_run *r)
{
    const struct grade_config *cfg = env->run->cfg;
    const struct scenario_def *d = &catalog_scenarios[sc];
    /* memcheck runs a program some 20-50 times slower */
    double factor = d->valgrind ? COMPILER_TIME_FACTOR : 1, limit = cfg->timeout_s * factor;

    if (d->quick && limit > QUICK_RUN_S)
        limit = QUICK_RUN_S;
    memset(r, 0, sizeof *r);
    r->sc = sc;
    snprintf(r->dir, sizeof r->dir, "%s/run-%d", env->run->scratch, (int)sc);
    snprintf(r->binary, sizeof r->binary, "%s/%s", r->dir, o->program);
    snprintf(r->vg_log, sizeof r->vg_log, "%s/valgrind.log", r->dir);
    if (mkdir(r->dir, 0700) != 0 || link(env->binary, r->binary) != 0 ||
        (cfg->sandbox && sandbox_shares_user_ns(cfg->sandbox) &&
         chown(r->dir, cfg->sandbox->uid, cfg->sandbox->gid) != 0))
        return false;
    catalog_scenario_args(sc, o->small_size, o->large_size, r->size, sizeof r->size, r->args);
    r->limits = cfg->limits;
    r->limits.cpu_s *= factor;
    r->spec = (struct run_spec){.init = cfg->init,
                                .decoy = o->program,
                                .program = r->binary,
                                .args = r->args,
                                .workdir = r->dir,
                                .shim = cfg->shim,
                                .stdin_eof = d->stdin_eof,
                                .inject_mmap_failure = d->inject_failure,
                                .ballast_kib = d->ballast ? BALLAST_KIB : 0,
                                .valgrind_log = d->valgrind ? r->vg_log : NULL,
                                .valgrind = cfg->valgrind,
                                .timeout_s = grade_run_timeout(env->run, limit),
                                .count_zero_pages = cfg->read_allocates,
                                .limits = &r->limits,
                                .sandbox = cfg->sandbox ? &env->sandbox : NULL};
    return true;
}

static void start_scenario(const struct program_env *env, struct observations *o, struct scenario_run *r)
{
    const struct grade_config *cfg = env->run->cfg;
    char cmd[PATH_MAX + 160];

    if (cfg->verbose) {
        catalog_scenario_command(r->sc, env->binary, o->small_size, o->large_size, cfg->shim, cmd, sizeof cmd);
        fprintf(stderr, "mmgrade: running %s (%s)\n", cmd, catalog_scenarios[r->sc].name);
    }
    o->ran[r->sc] = true;
    r->session = session_start(&r->spec, &o->runs[r->sc]);
}

static void end_scenario(const struct program_env *env, struct observations *o, struct scenario_run *r)
{
    if (r->session)
        session_finish(r->session);
    r->session = NULL;
    if (catalog_scenarios[r->sc].valgrind)
        o->vg_log = files_read(r->vg_log, VALGRIND_LOG_MAX, NULL);
    if (r->sc <= SCENARIO_LARGE)
        output_parse(o->runs[r->sc].out, o->runs[r->sc].out_len, &o->out[r->sc]);
    if (env->run->cfg->verbose)
        fprintf(stderr, "mmgrade:   %s: %.2f s, %zu pause(s), %zu mmap/munmap call(s)\n", catalog_scenarios[r->sc].name,
                o->runs[r->sc].seconds, o->runs[r->sc].npauses, o->runs[r->sc].ncalls);
}

/* The scenarios task runs, longest first, so that the overlap is greatest:
 * memcheck, then the runs that pause, then the ones that end at once. */
static size_t scenario_order(const struct grade_config *cfg, enum task_id task, enum scenario *order)
{
    static const enum scenario by_length[] = {SCENARIO_VALGRIND, SCENARIO_DEFAULT, SCENARIO_LARGE, SCENARIO_SMALL,
                                              SCENARIO_EOF, SCENARIO_FAIL, SCENARIO_BAD_FIRST, SCENARIO_BAD_FIRST + 1,
                                              SCENARIO_BAD_FIRST + 2, SCENARIO_BAD_FIRST + 3, SCENARIO_BAD_FIRST + 4};
    size_t n = 0;

    for (size_t i = 0; i < sizeof by_length / sizeof by_length[0]; i++)
        if (catalog_runs(task, by_length[i]) && !(catalog_scenarios[by_length[i]].valgrind && !cfg->valgrind))
            order[n++] = by_length[i];
    return n;
}

/* Runs the task's scenarios all at once: they are independent, and most
 * of a run is waiting (for a pause to be seen, for ps), so that a program
 * that never returns costs its longest time limit (memcheck's), not the
 * sum of eleven. Memcheck's run is not cut short when the default run
 * timed out: a program that sleeps 20 s ends within its 30 s, and passes. */
static void run_scenarios(const struct program_env *env, struct observations *o)
{
    enum scenario order[SCENARIO_COUNT];
    struct scenario_run runs[SCENARIO_COUNT];
    size_t n = scenario_order(env->run->cfg, o->task, order), next = 0, active = 0;
    struct scenario_run *live[SCENARIO_COUNT];

    while (next < n || active > 0) {
        struct pollfd fds[SCENARIO_COUNT * 8];
        size_t nfds = 0;
        int timeout = 1000;

        for (; next < n; next++) {
            struct scenario_run *r = &runs[next];

            if (!prepare_scenario(env, o, order[next], r)) {
                snprintf(o->runs[order[next]].error, sizeof o->runs[order[next]].error,
                         "cannot prepare its folder: %s", strerror(errno));
                o->ran[order[next]] = true;
                continue;
            }
            start_scenario(env, o, r);
            if (!r->session)
                end_scenario(env, o, r);
            else
                live[active++] = r;
        }
        size_t first[SCENARIO_COUNT], count[SCENARIO_COUNT];
        double due[SCENARIO_COUNT];
        for (size_t k = 0; k < active; k++) {
            int t;

            first[k] = nfds;
            count[k] = session_pollfds(live[k]->session, fds + nfds, sizeof fds / sizeof fds[0] - nfds, &t);
            nfds += count[k];
            due[k] = session_now() + t / 1000.0;
            timeout = t < timeout ? t : timeout;
        }
        if (active)
            poll(fds, nfds, timeout);
        size_t kept = 0;
        for (size_t k = 0; k < active; k++) {
            struct scenario_run *r = live[k];
            bool woken = session_now() >= due[k];

            /* each run is looked at when it has news or its own wait is up */
            for (size_t f = first[k]; f < first[k] + count[k]; f++)
                woken |= fds[f].revents != 0;
            if (!woken || !session_step(r->session)) {
                live[kept++] = r;
                continue;
            }
            end_scenario(env, o, r);
        }
        active = kept;
    }
}

/* Passes or fails c by how the compiler ran. */
static bool judge_build(const struct task_run *run, const struct run_result *r, const char *name, const char *source,
                        bool built, struct check_result *c)
{
    const struct rubric_entry *e = rubric_find(run->cfg->rubric, c->task, "build");
    double penalty = e ? e->warning_penalty : 0;

    if (built) {
        c->warned = r->err_len > 0;
        if (r->err_len && penalty > 0)
            check_pass(c, "Compiled, with warnings (the rubric takes %g point(s) for them):\n%.2000s", penalty, r->err);
        else if (r->err_len)
            check_pass(c, "Compiled, with warnings (they cost nothing):\n%.2000s", r->err);
        else
            check_pass(c, "Compiled with `gcc %s` and no warning.", KIT_BUILD_FLAGS);
        return true;
    }
    check_fail(c, "Expected: `gcc %s -o %s %s` to succeed.\nObserved: the compiler %s. Its first messages:\n%.2000s\n"
                  "Try: build with that command and fix the first error first.",
               KIT_BUILD_FLAGS, name, source,
               r->timed_out                              ? "ran out of time"
               : !r->started                             ? "could not be started"
               : !r->exited && r->term_signal == SIGXCPU ? "ran out of CPU time"
               : !r->exited                              ? "was killed (out of memory or time)"
                                                         : "failed",
               r->err ? r->err : "");
    return false;
}

static bool build_program(struct program_env *env, const char *source, const char *name, struct check_result *c)
{
    const struct task_run *run = env->run;
    const struct grade_config *cfg = run->cfg;
    struct strvec args = {0};
    char flags[] = KIT_BUILD_FLAGS, copy[PATH_MAX + 8];
    struct run_result r;
    bool built;

    /* The compiler runs confined like the program: it sees a copy of the
     * source in the run's folder, nothing of the submission's. */
    snprintf(copy, sizeof copy, "%s/%s.c", run->scratch, name);
    if (!files_copy(source, copy, SOURCE_MAX_BYTES)) {
        check_fail(c, "Expected: the source to be readable, 4 MiB at most.\nObserved: it could not be copied for building.");
        return false;
    }
    snprintf(env->binary, sizeof env->binary, "%s/%s", run->scratch, name);
    for (char *tok = strtok(flags, " "); tok; tok = strtok(NULL, " "))
        strvec_push(&args, tok);
    /* relative names, run in the folder: messages read "mmap_demo.c:12:5" */
    strvec_push(&args, "-o");
    strvec_push(&args, name);
    strvec_pushf(&args, "%s.c", name);
    /* A source can make the compiler spin or swell (#include "/dev/zero"):
     * it runs under the same limits, with more time. */
    struct run_limits limits = cfg->limits;
    limits.cpu_s *= COMPILER_TIME_FACTOR;
    struct run_spec spec = {.init = cfg->init, .program = cfg->gcc, .args = (const char *const *)args.items, .workdir = run->scratch,
                            .stdin_eof = true, .timeout_s = grade_run_timeout(run, cfg->timeout_s * COMPILER_TIME_FACTOR),
                            .limits = &limits, .sandbox = cfg->sandbox ? &env->sandbox : NULL};
    if (cfg->verbose)
        fprintf(stderr, "mmgrade: gcc %s -o %s %s\n", KIT_BUILD_FLAGS, env->binary, source);
    session_run(&spec, &r);
    built = r.started && r.exited && r.exit_code == 0 && access(env->binary, X_OK) == 0;
    built = judge_build(run, &r, name, source, built, c);
    session_result_free(&r);
    strvec_free(&args);
    return built;
}

static void free_observations(struct observations *o)
{
    for (int sc = 0; sc < SCENARIO_COUNT; sc++)
        session_result_free(&o->runs[sc]);
    free(o->vg_log);
    free(o);
}

void grade_program_task(const struct task_run *run, enum task_id task, const char *source, struct task_result *t)
{
    const struct grade_config *cfg = run->cfg;
    struct observations *o = xcalloc(1, sizeof *o);
    struct program_env env = {.run = run};

    if (cfg->sandbox) {
        env.sandbox = *cfg->sandbox;
        env.sandbox.own_pid_ns = true;
        env.sandbox.ro_paths[0] = cfg->shim;
    }
    o->task = task;
    o->program = catalog_tasks[task].program;
    o->shim = cfg->shim;
    o->page = (uint64_t)sysconf(_SC_PAGESIZE);
    o->small_size = run->small_size;
    o->large_size = run->large_size;
    o->read_allocates = cfg->read_allocates;
    o->read_fault_forced = cfg->read_fault_forced;
    if (!build_program(&env, source, o->program, result_add(t, "build"))) {
        result_fail_rest(t, "Precondition failed: the program did not build (see `build`).");
        free_observations(o);
        return;
    }
    run_scenarios(&env, o);
    judge_program_task(o, t);
    free_observations(o);
}
