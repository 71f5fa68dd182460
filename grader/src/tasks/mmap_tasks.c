/* mmap_tasks.c - tasks 2.1, 2.2 and 2.3: build the program once, run each
 * scenario once, and hand the recorded runs to the checks (judge.c). */
#define _GNU_SOURCE
#include "../grade.h"

#include <inttypes.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../files.h"
#include "../procfs.h"
#include "judge.h"

#define VALGRIND_LOG_MAX (1u << 20)
#define SOURCE_MAX_BYTES (4u << 20)

struct scenario_env {
    const struct grade_config *cfg;
    char binary[PATH_MAX];
    struct sandbox sandbox; /* the program's: a PID namespace of its own, the shim visible */
};

static void run_program(const struct scenario_env *env, struct run_result *r, const char *const *args, bool stdin_eof,
                        bool inject, long ballast, const char *valgrind_log)
{
    const struct grade_config *cfg = env->cfg;
    struct run_spec spec = {.program = env->binary,
                            .args = args,
                            .workdir = cfg->scratch,
                            .shim = cfg->shim,
                            .stdin_eof = stdin_eof,
                            .inject_mmap_failure = inject,
                            .ballast_kib = ballast,
                            .valgrind_log = valgrind_log,
                            .valgrind = cfg->valgrind,
                            /* memcheck runs a program some 20-50 times slower */
                            .timeout_s = grade_run_timeout(cfg, valgrind_log ? cfg->timeout_s * 3 : cfg->timeout_s),
                            .count_zero_pages = cfg->read_allocates,
                            .limits = &cfg->limits,
                            .sandbox = cfg->sandbox ? &env->sandbox : NULL};
    struct run_limits under_valgrind = cfg->limits;

    if (valgrind_log) {
        under_valgrind.cpu_s *= 3;
        spec.limits = &under_valgrind;
    }

    if (cfg->verbose)
        fprintf(stderr, "mmgrade: running %s%s%s%s%s%s\n", env->binary, args && args[0] ? " " : "",
                args && args[0] ? args[0] : "", args && args[0] && args[1] ? " " : "",
                args && args[0] && args[1] ? args[1] : "",
                stdin_eof ? " < /dev/null" : inject ? " (mmap fails)" : valgrind_log ? " (under valgrind)" : "");
    session_run(&spec, r);
    if (cfg->verbose)
        fprintf(stderr, "mmgrade:   %.2f s, %zu pause(s), %zu mmap/munmap call(s)\n", r->seconds, r->npauses, r->ncalls);
}

static bool build_program(struct scenario_env *env, const char *source, const char *name, struct check_result *c)
{
    const struct grade_config *cfg = env->cfg;
    const char *args[16];
    char flags[] = KIT_BUILD_FLAGS;
    struct run_result r;
    size_t n = 0;

    /* The compiler runs confined like the program: it sees a copy of the
     * source in the run's folder, nothing of the submission's. */
    char copy[PATH_MAX + 8];
    snprintf(copy, sizeof copy, "%s/%s.c", cfg->scratch, name);
    if (!files_copy(source, copy, SOURCE_MAX_BYTES)) {
        check_fail(c, "Expected: the source to be readable, 4 MiB at most.\nObserved: it could not be copied for building.");
        return false;
    }
    snprintf(env->binary, sizeof env->binary, "%s/%s", cfg->scratch, name);
    for (char *tok = strtok(flags, " "); tok && n < 10; tok = strtok(NULL, " "))
        args[n++] = tok;
    /* relative names, run in the folder: messages read "mmap_demo.c:12:5" */
    char source_name[64];
    snprintf(source_name, sizeof source_name, "%s.c", name);
    args[n++] = "-o";
    args[n++] = name;
    args[n++] = source_name;
    args[n] = NULL;
    /* A source can make the compiler spin or swell (#include "/dev/zero"):
     * it runs under the same limits, with more time. */
    struct run_limits compile_limits = cfg->limits;
    compile_limits.cpu_s = compile_limits.cpu_s > 0 ? compile_limits.cpu_s * 3 : 0;
    struct run_spec spec = {.program = cfg->gcc, .args = args, .workdir = cfg->scratch, .stdin_eof = true,
                            .timeout_s = grade_run_timeout(cfg, cfg->timeout_s * 3), .limits = &compile_limits,
                            .sandbox = cfg->sandbox ? &env->sandbox : NULL};
    if (cfg->verbose)
        fprintf(stderr, "mmgrade: gcc %s -o %s %s\n", KIT_BUILD_FLAGS, env->binary, source);
    session_run(&spec, &r);
    if (r.started && r.exited && r.exit_code == 0 && access(env->binary, X_OK) == 0) {
        double penalty = rubric_warning_penalty(c->task);

        if (r.err_len && penalty > 0) {
            check_pass(c, "Compiled, with warnings (the rubric takes %g point(s) for them):\n%.2000s", penalty, r.err);
            c->points = c->max_points > penalty ? c->max_points - penalty : 0;
        } else if (r.err_len) {
            check_pass(c, "Compiled, with warnings (they cost nothing):\n%.2000s", r.err);
        } else {
            check_pass(c, "Compiled with `gcc %s` and no warning.", KIT_BUILD_FLAGS);
        }
        session_result_free(&r);
        return true;
    }
    check_fail(c, "Expected: `gcc %s -o %s %s` to succeed.\nObserved: the compiler %s. Its first messages:\n%.2000s\n"
                  "Try: build with that command and fix the first error first.",
               KIT_BUILD_FLAGS, name, source,
               r.timed_out                             ? "ran out of time"
               : !r.started                            ? "could not be started"
               : !r.exited && r.term_signal == SIGXCPU ? "ran out of CPU time"
               : !r.exited                             ? "was killed (out of memory or time)"
                                                       : "failed",
               r.err ? r.err : "");
    session_result_free(&r);
    return false;
}

static void run_scenarios(const struct scenario_env *env, struct observations *o)
{
    char small[32], large[32], vg_log[PATH_MAX];
    const char *small_args[] = {small, NULL}, *large_args[] = {large, NULL};

    snprintf(small, sizeof small, "%" PRIu64, o->small_size);
    snprintf(large, sizeof large, "%" PRIu64, o->large_size);
    run_program(env, &o->def, NULL, false, false, 0, NULL);
    output_parse(o->def.out, o->def.out_len, &o->out_def);
    run_program(env, &o->fail, NULL, false, true, 0, NULL);
    if (strcmp(o->task, "2.1") != 0) {
        run_program(env, &o->small, small_args, false, false, BALLAST_KIB, NULL);
        output_parse(o->small.out, o->small.out_len, &o->out_small);
        run_program(env, &o->large, large_args, false, false, 0, NULL);
        output_parse(o->large.out, o->large.out_len, &o->out_large);
        run_program(env, &o->eof, NULL, true, false, 0, NULL);
        for (size_t i = 0; i < JUDGE_NBAD; i++)
            run_program(env, &o->bad[i], judge_bad_args[i], false, false, 0, NULL);
    }
    if (env->cfg->valgrind) {
        snprintf(vg_log, sizeof vg_log, "%s/valgrind.log", env->cfg->scratch);
        run_program(env, &o->vg, NULL, false, false, 0, vg_log);
        o->vg_ran = true;
        o->vg_log = proc_slurp(vg_log, VALGRIND_LOG_MAX, NULL);
    }
}

static void free_observations(struct observations *o)
{
    struct run_result *all[] = {&o->def, &o->small, &o->large, &o->fail, &o->eof, &o->vg};

    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
        session_result_free(all[i]);
    for (size_t i = 0; i < JUDGE_NBAD; i++)
        session_result_free(&o->bad[i]);
    free(o->vg_log);
}

void grade_c_task(const struct grade_config *cfg, const char *task, const char *source, struct task_result *t)
{
    struct observations *o = calloc(1, sizeof *o);
    struct scenario_env env = {.cfg = cfg};

    if (cfg->sandbox) {
        env.sandbox = *cfg->sandbox;
        env.sandbox.own_pid_ns = true;
        env.sandbox.ro_paths[0] = cfg->shim;
    }
    bool is21 = strcmp(task, "2.1") == 0, is23 = strcmp(task, "2.3") == 0;
    struct check_result *build = result_add(t, "build");

    if (!o)
        abort();
    o->task = task;
    o->program = is21 ? "mmap_basics" : "mmap_demo";
    o->shim = cfg->shim;
    o->page = (uint64_t)sysconf(_SC_PAGESIZE);
    o->small_size = cfg->small_size;
    o->large_size = cfg->large_size;
    o->read_allocates = cfg->read_allocates;
    o->read_fault_forced = cfg->read_fault_forced;
    if (!build_program(&env, source, o->program, build)) {
        result_fail_rest(t, "Precondition failed: the program did not build (see `build`).");
        free(o);
        return;
    }
    run_scenarios(&env, o);
    judge_runs(o, result_add(t, "runs"));
    if (is21) {
        judge_maps_page(o, result_add(t, "maps_page"));
        judge_uses_memory(o, result_add(t, "uses_memory"));
    } else {
        judge_stages(o, result_add(t, "stages"));
        struct check_result *pauses = is23 ? result_add(t, "pauses") : NULL;
        judge_honest(o, result_add(t, "honest"));
        judge_vsz_grows(o, result_add(t, "vsz_grows"));
        judge_rss_order(o, result_add(t, "rss_order"));
        if (is23) {
            struct check_result *lazy = result_add(t, "lazy"), *resident = result_add(t, "resident"),
                                *region = result_add(t, "region");
            judge_pause_family(o, pauses, lazy, resident, region);
        }
        judge_timeline(o, t);
    }
    judge_munmap(o, result_add(t, "munmap"));
    judge_mmap_failure(o, result_add(t, "mmap_failure"));
    if (!is21)
        judge_size_arg(o, result_add(t, "size_arg"));
    judge_valgrind(o, result_add(t, "valgrind"));
    free_observations(o);
    free(o);
}
