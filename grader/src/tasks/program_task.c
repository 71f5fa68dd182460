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

struct program_env {
    const struct task_run *run;
    char binary[PATH_MAX];
    struct sandbox sandbox; /* the program's: a PID namespace of its own, the shim visible */
};

/* One scenario's run under way, and what its spec points at. */
struct scenario_run {
    enum scenario sc;
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

    memset(r, 0, sizeof *r);
    r->sc = sc;
    snprintf(r->dir, sizeof r->dir, "%s/run-%d", env->run->scratch, (int)sc);
    snprintf(r->binary, sizeof r->binary, "%s/run-%d/%s", env->run->scratch, (int)sc, o->program);
    snprintf(r->vg_log, sizeof r->vg_log, "%s/run-%d/valgrind.log", env->run->scratch, (int)sc);
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

static void end_scenario(const struct program_env *env, struct observations *o, struct scenario_run *r)
{
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

/* The job of one program task: what its runs point at lives here until
 * its finish. */
struct program_job {
    struct program_env env;
    struct observations *o;
    struct task_result *t;
    bool built;
    struct scenario_run runs[SCENARIO_COUNT];
    size_t nruns;
};

/* Adds the task's scenarios to the run list, all to be run at once: a
 * program that never returns costs its longest time limit (memcheck's),
 * not the sum of eleven. Memcheck's run is not cut short when the
 * default run timed out: a program that sleeps 20 s ends within its 30 s,
 * and passes. */
static void add_scenarios(struct program_job *job, struct run_list *list)
{
    const struct program_env *env = &job->env;
    struct observations *o = job->o;
    enum scenario order[SCENARIO_COUNT];
    size_t n = scenario_order(env->run->cfg, o->task, order);
    char cmd[PATH_MAX + 160];

    for (size_t i = 0; i < n; i++) {
        struct scenario_run *r = &job->runs[job->nruns];

        o->ran[order[i]] = true;
        if (!prepare_scenario(env, o, order[i], r) || !run_list_add(list, &r->spec, &o->runs[order[i]])) {
            snprintf(o->runs[order[i]].error, sizeof o->runs[order[i]].error, "cannot prepare its run: %s",
                     errno ? strerror(errno) : "too many runs");
            continue;
        }
        job->nruns++;
        if (env->run->cfg->verbose) {
            catalog_scenario_command(order[i], o->program, o->small_size, o->large_size, env->run->cfg->shim, cmd,
                                     sizeof cmd);
            fprintf(stderr, "mmgrade: running %s (%s)\n", cmd, catalog_scenarios[order[i]].name);
        }
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
    if (cfg->verbose)
        fprintf(stderr, "mmgrade:   build: %.2f s\n", r.seconds);
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

struct program_job *program_task_start(const struct task_run *run, enum task_id task, const char *source,
                                       struct task_result *t, struct run_list *runs)
{
    const struct grade_config *cfg = run->cfg;
    struct program_job *job = xcalloc(1, sizeof *job);
    struct observations *o = job->o = xcalloc(1, sizeof *o);

    job->env.run = run;
    job->t = t;
    if (cfg->sandbox) {
        job->env.sandbox = *cfg->sandbox;
        job->env.sandbox.own_pid_ns = true;
        job->env.sandbox.ro_paths[0] = cfg->shim;
    }
    o->task = task;
    o->program = catalog_tasks[task].program;
    o->shim = cfg->shim;
    o->page = (uint64_t)sysconf(_SC_PAGESIZE);
    o->small_size = run->small_size;
    o->large_size = run->large_size;
    o->read_allocates = cfg->read_allocates;
    o->read_fault_forced = cfg->read_fault_forced;
    job->built = build_program(&job->env, source, o->program, result_add(t, "build"));
    if (job->built)
        add_scenarios(job, runs);
    return job;
}

void program_task_finish(struct program_job *job)
{
    if (!job->built) {
        result_fail_rest(job->t, "Precondition failed: the program did not build (see `build`).");
    } else {
        for (size_t i = 0; i < job->nruns; i++)
            end_scenario(&job->env, job->o, &job->runs[i]);
        judge_program_task(job->o, job->t);
    }
    free_observations(job->o);
    free(job);
}
