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

#define MAX_CALLS 10

/* The runs of task 2.5, made all at once (session_run_all): what each is,
 * and its arguments. */
struct calls {
    struct run_spec specs[MAX_CALLS];
    struct run_result *results[MAX_CALLS];
    const char *argv[MAX_CALLS][5];
    char words[MAX_CALLS][2][32];
    size_t n;
};

/* Adds `bash script ARG...` (args[0, nargs)) in workdir, stdin at
 * end-of-file, its result into r. */
static void add_script_call(struct calls *c, const struct task_run *run, const struct sandbox *sb, const char *script,
                            const char *workdir, const char *const *args, size_t nargs, struct run_result *r)
{
    const struct grade_config *cfg = run->cfg;
    const char **argv = c->argv[c->n];

    argv[0] = script;
    for (size_t k = 0; k < nargs && k < 2; k++)
        argv[k + 1] = strcpy(c->words[c->n][k], args[k]);
    argv[nargs < 2 ? nargs + 1 : 3] = NULL;
    c->specs[c->n] = (struct run_spec){.init = cfg->init, .program = cfg->bash, .args = argv, .workdir = workdir,
                                       .stdin_eof = true, .timeout_s = grade_run_timeout(run, cfg->timeout_s),
                                       .limits = &cfg->limits, .sandbox = sb};
    c->results[c->n++] = r;
    if (cfg->verbose)
        fprintf(stderr, "mmgrade: bash %s%s%s%s%s\n", script, nargs ? " " : "", nargs ? args[0] : "",
                nargs > 1 ? " " : "", nargs > 1 ? args[1] : "");
}

static long read_pid_max(void)
{
    char *text = files_read("/proc/sys/kernel/pid_max", 64, NULL);
    long max = text ? strtol(text, NULL, 10) : 0;

    free(text);
    return max > 0 ? max : 4194304; /* the kernel's ceiling (PID_MAX_LIMIT on 64-bit) */
}

/* Adds shellcheck's two runs: its version, then its verdict as JSON. */
static void add_shellcheck_calls(struct calls *c, const struct task_run *run, const struct sandbox *sb,
                                 const char *script, struct run_result *version, struct script_observations *o)
{
    const struct grade_config *cfg = run->cfg;

    for (int k = 0; k < 2; k++) {
        const char **argv = c->argv[c->n];

        argv[0] = k == 0 ? "--version" : "-f";
        argv[1] = k == 0 ? NULL : "json1";
        argv[2] = k == 0 ? NULL : script;
        argv[3] = NULL;
        c->specs[c->n] = (struct run_spec){.init = cfg->init, .program = cfg->shellcheck, .args = argv,
                                           .workdir = run->scratch, .stdin_eof = true,
                                           .timeout_s = grade_run_timeout(run, cfg->timeout_s * 3),
                                           .limits = &cfg->limits, .sandbox = sb};
        c->results[c->n++] = k == 0 ? version : &o->shellcheck;
    }
    o->shellcheck_ran = true;
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

/* Adds the calls the script must refuse: wrong arguments (two of them the
 * live PID, readable), a PID no process has, and, when it runs as another
 * user, one whose maps it may not read (the grader's own, root's). */
static void add_wrong_calls(struct calls *c, const struct task_run *run, const struct sandbox *box, const char *script,
                            const char *workdir, long readable_pid, struct script_observations *o)
{
    char pid[32];
    const char *args[2];

    snprintf(o->usage_args[1][0], sizeof o->usage_args[1][0], "%ld", readable_pid);
    snprintf(o->usage_args[1][1], sizeof o->usage_args[1][1], "%s", o->usage_args[1][0]);
    snprintf(o->usage_args[2][0], sizeof o->usage_args[2][0], "abc");
    for (int i = 0; i < SCRIPT_USAGE_CASES; i++) {
        size_t n = 0;

        for (int k = 0; k < 2; k++)
            if (o->usage_args[i][k][0])
                args[n++] = o->usage_args[i][k];
        add_script_call(c, run, box, script, workdir, args, n, &o->usage[i]);
    }
    o->bad_pid = read_pid_max() + 1;
    snprintf(pid, sizeof pid, "%ld", o->bad_pid);
    args[0] = pid;
    add_script_call(c, run, box, script, workdir, args, 1, &o->bad);
    if (box && sandbox_shares_user_ns(box)) {
        o->unreadable_pid = (long)getpid();
        snprintf(pid, sizeof pid, "%ld", o->unreadable_pid);
        add_script_call(c, run, box, script, workdir, args, 1, &o->unreadable);
    }
}

/* The job of task 2.5: the script's copy, its folders, its target, its
 * sandbox and its calls, kept until its finish. */
struct script_job {
    const struct task_run *run;
    struct task_result *t;
    struct script_observations *o;
    struct calls calls;
    struct run_result version;
    struct sandbox sb;
    const struct sandbox *box; /* &sb, or NULL: limits only */
    struct target target;
    char script[PATH_MAX], workdir[PATH_MAX], tmpdir[PATH_MAX];
};

/* Adds every call of the task to the run list: shellcheck, the calls the
 * script must refuse, and the script on the live target (which sits
 * blocked in read throughout, so that what the script saw is still so
 * when its status and maps are read, at the finish). */
static void add_calls(struct script_job *job, struct run_list *list)
{
    struct calls *c = &job->calls;
    struct script_observations *o = job->o;
    const char *args[1];
    char pid[32];

    if (job->run->cfg->shellcheck)
        add_shellcheck_calls(c, job->run, job->box, job->script, &job->version, o);
    add_wrong_calls(c, job->run, job->box, job->script, job->workdir,
                    o->target_ok ? (long)job->target.pid : (long)getpid(), o);
    if (o->target_ok) {
        o->target_pid = job->target.pid;
        o->target_addr = job->target.addr;
        o->target_len = job->target.len;
        snprintf(pid, sizeof pid, "%ld", (long)job->target.pid);
        args[0] = pid;
        add_script_call(c, job->run, job->box, job->script, job->workdir, args, 1, &o->live);
    }
    for (size_t i = 0; i < c->n; i++)
        if (!run_list_add(list, &c->specs[i], c->results[i]))
            snprintf(c->results[i]->error, sizeof c->results[i]->error, "too many runs at once");
}

struct script_job *script_task_start(const struct task_run *run, const char *source, struct task_result *t,
                                     struct run_list *runs)
{
    const struct grade_config *cfg = run->cfg;
    struct script_job *job = xcalloc(1, sizeof *job);
    struct script_observations *o = job->o = xcalloc(1, sizeof *o);

    job->run = run;
    job->t = t;
    o->script = strrchr(source, '/') ? strrchr(source, '/') + 1 : source;
    /* The script runs from a copy beside an empty folder of its own: what
     * it writes lands there and is reported, never kept. */
    snprintf(job->script, sizeof job->script, "%s/%s", run->scratch, o->script);
    snprintf(job->workdir, sizeof job->workdir, "%s/work", run->scratch);
    snprintf(job->tmpdir, sizeof job->tmpdir, "%s/tmp", run->scratch);
    if (!files_copy(source, job->script, SCRIPT_MAX_BYTES) || !make_run_dir(cfg, job->workdir, 0700) ||
        !make_run_dir(cfg, job->tmpdir, 01777)) {
        result_fail_rest(t, "The script could not be read or copied for grading (256 KiB at most).");
        free(o);
        free(job);
        return NULL;
    }
    /* The script and its target share the host's PID namespace and the
     * same user, so that the script can read what it must. */
    job->sb = cfg->sandbox ? *cfg->sandbox : (struct sandbox){0};
    job->sb.own_pid_ns = false;
    job->sb.ro_paths[0] = job->script;
    job->sb.ro_paths[1] = cfg->target;
    /* Two sandboxes with user namespaces of their own cannot read each
     * other's /proc files: then the script runs with limits only. */
    job->box = sandbox_shares_user_ns(cfg->sandbox) ? &job->sb : NULL;
    /* its /tmp is a folder of ours, to see what it wrote there: bwrap binds
     * it, or (as nobody without bwrap) a mount namespace of its own; without
     * bwrap nothing can be bound back over that /tmp, and a kit that lives
     * under /tmp would vanish from the script's view */
    o->tmp_watched = job->box != NULL && !under_tmp(job->tmpdir) &&
                     !(!job->box->bwrap && (under_tmp(cfg->init) || under_tmp(cfg->target)));
    job->sb.tmp_dir = o->tmp_watched ? job->tmpdir : NULL;
    if (!cfg->target)
        snprintf(o->target_error, sizeof o->target_error, "mmtarget not found beside mmgrade (build/lib)");
    else
        o->target_ok = target_start(cfg->target, job->box, job->workdir, cfg->timeout_s, &job->target,
                                    o->target_error, sizeof o->target_error);
    add_calls(job, runs);
    return job;
}

void script_task_finish(struct script_job *job)
{
    if (!job) /* its start failed the task already */
        return;
    const struct grade_config *cfg = job->run->cfg;
    struct script_observations *o = job->o;
    const char *at, *bound[4] = {job->script}; /* what the sandbox bound, where it bound them */
    size_t nbound = 1;

    if (job->version.out && (at = strstr(job->version.out, "version: ")))
        sscanf(at, "version: %31s", o->shellcheck_version);
    session_result_free(&job->version);
    if (o->target_ok) {
        o->status_ok = status_read(job->target.pid, &o->status);
        o->maps = proc_read(job->target.pid, "maps", 4u << 20, NULL);
        target_stop(&job->target);
    }
    if (cfg->target)
        bound[nbound++] = cfg->target;
    if (cfg->init)
        bound[nbound++] = cfg->init;
    collect_written(job->workdir, NULL, bound, o->written, &o->nwritten);
    collect_written(job->tmpdir, job->box && job->box->bwrap ? "/tmp" : NULL, bound, o->tmp_written,
                    &o->ntmp_written);
    judge_script_task(o, job->t);
    free_observations(o);
    free(o);
    free(job);
}
