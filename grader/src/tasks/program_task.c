/* program_task.c - tasks 2.1, 2.2 and 2.3: build the program once, run
 * each of its scenarios once, and hand the recorded runs to the checks
 * (program_judge.c). */
#define _GNU_SOURCE
#include "../grade.h"

#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

static void run_scenario(const struct program_env *env, struct observations *o, enum scenario sc)
{
    const struct grade_config *cfg = env->run->cfg;
    const struct scenario_def *d = &catalog_scenarios[sc];
    char size[32], vg_log[PATH_MAX], cmd[PATH_MAX + 160];
    const char *args[3];
    struct run_limits limits = cfg->limits;
    /* memcheck runs a program some 20-50 times slower */
    double factor = d->valgrind ? COMPILER_TIME_FACTOR : 1;

    catalog_scenario_args(sc, o->small_size, o->large_size, size, sizeof size, args);
    snprintf(vg_log, sizeof vg_log, "%s/valgrind.log", env->run->scratch);
    limits.cpu_s *= factor;
    struct run_spec spec = {.init = cfg->init,
                            .decoy = o->program,
                            .program = env->binary,
                            .args = args,
                            .workdir = env->run->scratch,
                            .shim = cfg->shim,
                            .stdin_eof = d->stdin_eof,
                            .inject_mmap_failure = d->inject_failure,
                            .ballast_kib = d->ballast ? BALLAST_KIB : 0,
                            .valgrind_log = d->valgrind ? vg_log : NULL,
                            .valgrind = cfg->valgrind,
                            .timeout_s = grade_run_timeout(env->run, cfg->timeout_s * factor),
                            .count_zero_pages = cfg->read_allocates,
                            .limits = &limits,
                            .sandbox = cfg->sandbox ? &env->sandbox : NULL};

    if (cfg->verbose) {
        catalog_scenario_command(sc, env->binary, o->small_size, o->large_size, cfg->shim, cmd, sizeof cmd);
        fprintf(stderr, "mmgrade: running %s (%s)\n", cmd, d->name);
    }
    session_run(&spec, &o->runs[sc]);
    o->ran[sc] = true;
    if (d->valgrind)
        o->vg_log = files_read(vg_log, VALGRIND_LOG_MAX, NULL);
    if (cfg->verbose)
        fprintf(stderr, "mmgrade:   %.2f s, %zu pause(s), %zu mmap/munmap call(s)\n", o->runs[sc].seconds,
                o->runs[sc].npauses, o->runs[sc].ncalls);
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
    for (int sc = 0; sc < SCENARIO_COUNT; sc++) {
        if (!catalog_runs(task, (enum scenario)sc) || (catalog_scenarios[sc].valgrind && !cfg->valgrind))
            continue;
        run_scenario(&env, o, (enum scenario)sc);
        if (sc <= SCENARIO_LARGE)
            output_parse(o->runs[sc].out, o->runs[sc].out_len, &o->out[sc]);
    }
    judge_program_task(o, t);
    free_observations(o);
}
