/* script_task.c - task 2.5: run analyse.sh through shellcheck, with wrong
 * arguments, with a PID no process can have, and on the grader's own live
 * target; then hand the recorded runs to the checks (script_judge.c). */
#define _GNU_SOURCE
#include "../grade.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include "../files.h"
#include "../procfs.h"
#include "../xalloc.h"
#include "../target.h"
#include "script_judge.h"

#define SCRIPT_MAX_BYTES (256u << 10)

/* Runs `bash script args...` in workdir, stdin at end-of-file. */
static void run_script(const struct task_run *run, const struct sandbox *sb, const char *script,
                       const char *workdir, const char *const *args, struct run_result *r)
{
    const struct grade_config *cfg = run->cfg;
    const char *argv[5] = {script, NULL};
    size_t n = 1;

    for (; args && args[n - 1] && n < 4; n++)
        argv[n] = args[n - 1];
    argv[n] = NULL;
    struct run_spec spec = {.init = cfg->init, .program = cfg->bash, .args = argv, .workdir = workdir, .stdin_eof = true,
                            .timeout_s = grade_run_timeout(run, cfg->timeout_s), .limits = &cfg->limits,
                            .sandbox = sb};
    if (cfg->verbose)
        fprintf(stderr, "mmgrade: bash %s%s%s%s%s\n", script, argv[1] ? " " : "", argv[1] ? argv[1] : "",
                argv[1] && argv[2] ? " " : "", argv[1] && argv[2] ? argv[2] : "");
    session_run(&spec, r);
}

static long read_pid_max(void)
{
    char *text = files_read("/proc/sys/kernel/pid_max", 64, NULL);
    long max = text ? strtol(text, NULL, 10) : 0;

    free(text);
    return max > 0 ? max : 4194304; /* the kernel's ceiling (PID_MAX_LIMIT on 64-bit) */
}

static void run_shellcheck(const struct task_run *run, const struct sandbox *sb, const char *script,
                           struct script_observations *o)
{
    const struct grade_config *cfg = run->cfg;
    const char *version_args[] = {"--version", NULL}, *check_args[] = {"-f", "json1", script, NULL};
    struct run_result version;
    struct run_spec spec = {.init = cfg->init, .program = cfg->shellcheck, .args = version_args, .workdir = run->scratch,
                            .stdin_eof = true, .timeout_s = grade_run_timeout(run, cfg->timeout_s * 3),
                            .limits = &cfg->limits, .sandbox = sb};
    const char *at;

    session_run(&spec, &version);
    if (version.out && (at = strstr(version.out, "version: ")))
        sscanf(at, "version: %31s", o->shellcheck_version);
    session_result_free(&version);
    spec.args = check_args;
    session_run(&spec, &o->shellcheck);
    o->shellcheck_ran = true;
}

/* Runs the script on the live target t (started beforehand, so that the
 * usage runs can name a process the script may read). */
static void run_live(const struct task_run *run, const struct sandbox *sb, const char *script,
                     const char *workdir, const struct target *t, struct script_observations *o)
{
    char pid[32];
    const char *args[] = {pid, NULL};

    o->target_pid = t->pid;
    o->target_addr = t->addr;
    o->target_len = t->len;
    snprintf(pid, sizeof pid, "%ld", (long)t->pid);
    run_script(run, sb, script, workdir, args, &o->live);
    /* The target sits blocked in read: what the script saw is still so. */
    o->status_ok = status_read(t->pid, &o->status);
    o->maps = proc_read(t->pid, "maps", 4u << 20, NULL);
}

/* Whether inner, a path inside the sandbox, is one of the bound paths or
 * a folder above one: bwrap makes those as mount points. */
static bool is_mount_point(const char *inner, const char *const *bound)
{
    size_t len = strlen(inner);

    for (size_t i = 0; bound[i]; i++)
        if (strncmp(bound[i], inner, len) == 0 && (bound[i][len] == '\0' || bound[i][len] == '/'))
            return true;
    return false;
}

/* Whether host path (inner inside the sandbox) holds nothing but what bwrap
 * made for the paths it bound there: folders, and empty files where a file
 * was bound. A kit checked out under /tmp has its files bound below the
 * sandbox's /tmp, which is the folder the grader looks into. */
static bool only_mount_points(const char *path, const char *inner, const char *const *bound)
{
    struct stat st;
    struct dirent *e;
    DIR *dir;
    bool only = true;

    if (!is_mount_point(inner, bound) || lstat(path, &st) != 0)
        return false;
    if (S_ISREG(st.st_mode))
        return st.st_size == 0;
    if (!S_ISDIR(st.st_mode) || !(dir = opendir(path)))
        return false;
    while (only && (e = readdir(dir))) {
        char *child, *child_inner;

        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        child = xasprintf("%s/%s", path, e->d_name);
        child_inner = xasprintf("%s/%s", inner, e->d_name);
        only = only_mount_points(child, child_inner, bound);
        free(child);
        free(child_inner);
    }
    closedir(dir);
    return only;
}

/* Notes what the runs left in folder dir_path (the sandbox's inner, NULL
 * when it is no mount of one), in names[], then removes it. */
static void collect_written(const char *dir_path, const char *inner, const char *const *bound, char **names,
                            size_t *n)
{
    DIR *dir = opendir(dir_path);
    struct dirent *e;

    while (dir && (e = readdir(dir))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..") || *n >= SCRIPT_MAX_FILES)
            continue;
        if (inner) {
            char *path = xasprintf("%s/%s", dir_path, e->d_name), *in = xasprintf("%s/%s", inner, e->d_name);
            bool made = only_mount_points(path, in, bound);

            free(path);
            free(in);
            if (made)
                continue;
        }
        names[(*n)++] = xstrdup(e->d_name);
    }
    if (dir)
        closedir(dir);
    files_remove_tree(dir_path);
}

/* A folder of the runs', given to the sandbox's user. */
static bool make_run_dir(const struct grade_config *cfg, const char *path, mode_t mode)
{
    return mkdir(path, mode) == 0 && chmod(path, mode) == 0 &&
           (!sandbox_shares_user_ns(cfg->sandbox) || chown(path, cfg->sandbox->uid, cfg->sandbox->gid) == 0);
}

static void free_observations(struct script_observations *o)
{
    session_result_free(&o->shellcheck);
    for (int i = 0; i < SCRIPT_USAGE_CASES; i++)
        session_result_free(&o->usage[i]);
    session_result_free(&o->bad);
    session_result_free(&o->unreadable);
    session_result_free(&o->live);
    free(o->maps);
    for (size_t i = 0; i < o->nwritten; i++)
        free(o->written[i]);
    for (size_t i = 0; i < o->ntmp_written; i++)
        free(o->tmp_written[i]);
}

static bool under_tmp(const char *path)
{
    return path && strncmp(path, "/tmp/", 5) == 0;
}

/* The calls the script must refuse: wrong arguments (two of them the
 * live PID readable), a PID no process has, and, when it runs as another
 * user, one whose maps it may not read (the grader's own, root's). */
static void run_wrong_calls(const struct task_run *run, const struct sandbox *box, const char *script,
                            const char *workdir, long readable_pid, struct script_observations *o)
{
    char bad[32], unreadable[32];
    const char *bad_args[] = {bad, NULL}, *unreadable_args[] = {unreadable, NULL};

    snprintf(o->usage_args[1][0], sizeof o->usage_args[1][0], "%ld", readable_pid);
    snprintf(o->usage_args[1][1], sizeof o->usage_args[1][1], "%s", o->usage_args[1][0]);
    snprintf(o->usage_args[2][0], sizeof o->usage_args[2][0], "abc");
    for (int i = 0; i < SCRIPT_USAGE_CASES; i++) {
        const char *args[3] = {NULL};

        for (int k = 0, n = 0; k < 2; k++)
            if (o->usage_args[i][k][0])
                args[n++] = o->usage_args[i][k];
        run_script(run, box, script, workdir, args, &o->usage[i]);
    }
    o->bad_pid = read_pid_max() + 1;
    snprintf(bad, sizeof bad, "%ld", o->bad_pid);
    run_script(run, box, script, workdir, bad_args, &o->bad);
    if (box && sandbox_shares_user_ns(box)) {
        o->unreadable_pid = (long)getpid();
        snprintf(unreadable, sizeof unreadable, "%ld", o->unreadable_pid);
        run_script(run, box, script, workdir, unreadable_args, &o->unreadable);
    }
}

void grade_script_task(const struct task_run *run, const char *source, struct task_result *t)
{
    const struct grade_config *cfg = run->cfg;
    struct script_observations *o = xcalloc(1, sizeof *o);
    char script[PATH_MAX], workdir[PATH_MAX], tmpdir[PATH_MAX];

    o->script = strrchr(source, '/') ? strrchr(source, '/') + 1 : source;
    /* The script runs from a copy beside an empty folder of its own: what
     * it writes lands there and is reported, never kept. */
    snprintf(script, sizeof script, "%s/%s", run->scratch, o->script);
    snprintf(workdir, sizeof workdir, "%s/work", run->scratch);
    snprintf(tmpdir, sizeof tmpdir, "%s/tmp", run->scratch);
    if (!files_copy(source, script, SCRIPT_MAX_BYTES) || !make_run_dir(cfg, workdir, 0700) ||
        !make_run_dir(cfg, tmpdir, 01777)) {
        result_fail_rest(t, "The script could not be read or copied for grading (256 KiB at most).");
        free(o);
        return;
    }
    /* The script and its target share the host's PID namespace and the
     * same user, so that the script can read what it must. */
    struct sandbox sb = cfg->sandbox ? *cfg->sandbox : (struct sandbox){0};
    sb.own_pid_ns = false;
    sb.ro_paths[0] = script;
    sb.ro_paths[1] = cfg->target;
    /* Two sandboxes with user namespaces of their own cannot read each
     * other's /proc files: then the script runs with limits only. */
    const struct sandbox *box = sandbox_shares_user_ns(cfg->sandbox) ? &sb : NULL;
    /* its /tmp is a folder of ours, to see what it wrote there: bwrap binds
     * it, or (as nobody without bwrap) a mount namespace of its own */
    o->tmp_watched = box != NULL && !under_tmp(tmpdir);
    /* without bwrap nothing can be bound back over that /tmp: a kit that
     * lives under /tmp would vanish from the script's view */
    if (box && !box->bwrap && (under_tmp(cfg->init) || under_tmp(cfg->target)))
        o->tmp_watched = false;
    sb.tmp_dir = o->tmp_watched ? tmpdir : NULL;
    if (cfg->shellcheck)
        run_shellcheck(run, box, script, o);
    struct target target;
    if (!cfg->target)
        snprintf(o->target_error, sizeof o->target_error, "mmtarget not found beside mmgrade (build/lib)");
    else
        o->target_ok = target_start(cfg->target, box, workdir, cfg->timeout_s, &target, o->target_error,
                                    sizeof o->target_error);
    run_wrong_calls(run, box, script, workdir, o->target_ok ? (long)target.pid : (long)getpid(), o);
    if (o->target_ok) {
        run_live(run, box, script, workdir, &target, o);
        target_stop(&target);
    }
    const char *bound[4] = {script}; /* what the sandbox bound, where it bound them */
    size_t nbound = 1;
    if (cfg->target)
        bound[nbound++] = cfg->target;
    if (cfg->init)
        bound[nbound++] = cfg->init;
    collect_written(workdir, NULL, bound, o->written, &o->nwritten);
    collect_written(tmpdir, box && box->bwrap ? "/tmp" : NULL, bound, o->tmp_written, &o->ntmp_written);

    judge_script_task(o, t);
    free_observations(o);
    free(o);
}
