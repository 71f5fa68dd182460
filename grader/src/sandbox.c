/* sandbox.c - where student code runs: bubblewrap's options generated from
 * a table of rules, and the launch plan that starts one program. */
#define _GNU_SOURCE
#include "sandbox.h"

#include <grp.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "xalloc.h"

/* When a rule applies. */
enum rule_when {
    WHEN_ALWAYS,
    WHEN_OWN_USER_NS, /* not root: bwrap makes an unprivileged user namespace */
    WHEN_PID_NS,      /* the program gets a PID namespace of its own */
    WHEN_HOST_PID_NS, /* it shares the host's, and sees its /proc */
    WHEN_PRIVATE_TMP, /* its /tmp is an empty one of its own (no tmp_dir) */
};

enum rule_kind {
    RULE_ARGS, /* args as they are */
    RULE_TOP,  /* a top-level folder: mirrored as a link where it is one
                * (merged /usr, Debian 12), bound read-only where it is a
                * folder, left out where it does not exist */
};

struct bwrap_rule {
    enum rule_when when;
    enum rule_kind kind;
    const char *args[4]; /* NULL-ended */
};

static const struct bwrap_rule bwrap_rules[] = {
    {WHEN_OWN_USER_NS, RULE_ARGS, {"--unshare-user"}},
    {WHEN_ALWAYS, RULE_ARGS, {"--unshare-net"}},
    {WHEN_ALWAYS, RULE_ARGS, {"--unshare-ipc"}},
    {WHEN_ALWAYS, RULE_ARGS, {"--unshare-uts"}},
    {WHEN_ALWAYS, RULE_ARGS, {"--unshare-cgroup-try"}},
    {WHEN_ALWAYS, RULE_ARGS, {"--die-with-parent"}},
    {WHEN_ALWAYS, RULE_ARGS, {"--new-session"}},
    {WHEN_ALWAYS, RULE_ARGS, {"--ro-bind", "/usr", "/usr"}},
    {WHEN_ALWAYS, RULE_ARGS, {"--ro-bind", "/etc", "/etc"}},
    {WHEN_ALWAYS, RULE_ARGS, {"--dev", "/dev"}},
    {WHEN_PRIVATE_TMP, RULE_ARGS, {"--perms", "1777", "--tmpfs", "/tmp"}},
    {WHEN_ALWAYS, RULE_ARGS, {"--setenv", "HOME", "/tmp"}},
    {WHEN_ALWAYS, RULE_TOP, {"/bin"}},
    {WHEN_ALWAYS, RULE_TOP, {"/sbin"}},
    {WHEN_ALWAYS, RULE_TOP, {"/lib"}},
    {WHEN_ALWAYS, RULE_TOP, {"/lib64"}},
    {WHEN_ALWAYS, RULE_TOP, {"/lib32"}},
    /* PID 1 of its namespace: when it ends, all it started ends */
    {WHEN_PID_NS, RULE_ARGS, {"--unshare-pid", "--as-pid-1"}},
    {WHEN_PID_NS, RULE_ARGS, {"--proc", "/proc"}},
    {WHEN_HOST_PID_NS, RULE_ARGS, {"--ro-bind", "/proc", "/proc"}},
};

bool sandbox_shares_user_ns(const struct sandbox *sb)
{
    return sb && sb->uid != (uid_t)-1;
}

static bool rule_applies(const struct sandbox *sb, enum rule_when when)
{
    switch (when) {
    case WHEN_OWN_USER_NS:
        return !sandbox_shares_user_ns(sb);
    case WHEN_PID_NS:
        return sb->own_pid_ns;
    case WHEN_HOST_PID_NS:
        return !sb->own_pid_ns;
    case WHEN_PRIVATE_TMP:
        return !sb->tmp_dir;
    default:
        return true;
    }
}

static void add_top(struct strvec *v, const char *top)
{
    char target[256];
    struct stat st;
    ssize_t len;

    if (lstat(top, &st) != 0)
        return;
    if (S_ISLNK(st.st_mode) && (len = readlink(top, target, sizeof target - 1)) > 0) {
        target[len] = '\0';
        strvec_push(v, "--symlink");
        strvec_push_owned(v, xstrdup(target));
    } else {
        strvec_push(v, "--ro-bind");
        strvec_push(v, top);
    }
    strvec_push(v, top);
}

/* bwrap makes the folders above a mount point 0700, which the sandbox's
 * user could not cross: each parent of path gets made 0755 first. */
static void add_parents(struct strvec *v, const char *path)
{
    for (const char *slash = strchr(path + 1, '/'); slash; slash = strchr(slash + 1, '/')) {
        char *parent = xstrndup(path, (size_t)(slash - path));

        if (strcmp(parent, "/tmp") == 0) {
            free(parent);
            continue;
        }
        strvec_push(v, "--perms");
        strvec_push(v, "0755");
        strvec_push(v, "--dir");
        strvec_push_owned(v, parent);
    }
}

static void add_bwrap_rules(struct strvec *v, const struct sandbox *sb, const char *workdir, int info_fd)
{
    for (size_t i = 0; i < sizeof bwrap_rules / sizeof bwrap_rules[0]; i++) {
        const struct bwrap_rule *r = &bwrap_rules[i];

        if (!rule_applies(sb, r->when))
            continue;
        if (r->kind == RULE_TOP)
            add_top(v, r->args[0]);
        else
            for (size_t k = 0; k < 4 && r->args[k]; k++)
                strvec_push(v, r->args[k]);
    }
    if (sb->tmp_dir) { /* a folder the grader looks into afterwards */
        strvec_push(v, "--bind");
        strvec_push(v, sb->tmp_dir);
        strvec_push(v, "/tmp");
    }
    for (size_t i = 0; i < SANDBOX_MAX_RO_PATHS && sb->ro_paths[i]; i++) {
        add_parents(v, sb->ro_paths[i]);
        strvec_push(v, "--ro-bind");
        strvec_push(v, sb->ro_paths[i]);
        strvec_push(v, sb->ro_paths[i]);
    }
    add_parents(v, workdir);
    strvec_push(v, "--bind");
    strvec_push(v, workdir);
    strvec_push(v, workdir);
    strvec_push(v, "--chdir");
    strvec_push(v, workdir);
    if (info_fd >= 0) {
        strvec_push(v, "--info-fd");
        strvec_pushf(v, "%d", info_fd);
    }
}

/* After bwrap's "--": the program, with the variables meant for it alone. */
static void add_program(struct strvec *v, const struct sandbox *sb, char *const *argv, char *const *program_env)
{
    if (sandbox_shares_user_ns(sb)) {
        strvec_push(v, sb->setpriv);
        strvec_pushf(v, "--reuid=%ld", (long)sb->uid);
        strvec_pushf(v, "--regid=%ld", (long)sb->gid);
        strvec_push(v, "--clear-groups");
        strvec_push(v, "--inh-caps=-all");
        strvec_push(v, "--bounding-set=-all");
        strvec_push(v, "--no-new-privs");
        strvec_push(v, "--");
        /* the shim's variables reach the program, not setpriv: it would
         * load the shim and take them out of the environment */
        if (program_env && program_env[0]) {
            strvec_push(v, "env");
            strvec_push_all(v, program_env);
        }
    }
    strvec_push_all(v, argv);
}

void sandbox_launch(const struct sandbox *sb, const char *workdir, char *const *argv, char *const *base_env,
                    char *const *program_env, int info_fd, struct launch *out)
{
    memset(out, 0, sizeof *out);
    strvec_push_all(&out->envp, base_env);
    if (!sb || !sb->bwrap) { /* the program itself, as the user sb names */
        out->path = argv[0];
        strvec_push_all(&out->argv, argv);
        strvec_push_all(&out->envp, program_env);
        out->drop_user = sandbox_shares_user_ns(sb);
        out->own_user = out->drop_user;
        out->uid = sb ? sb->uid : (uid_t)-1;
        out->gid = sb ? sb->gid : (gid_t)-1;
        out->private_tmp = out->drop_user ? sb->tmp_dir : NULL;
        return;
    }
    out->path = sb->bwrap;
    out->via_bwrap = true;
    out->own_user = sandbox_shares_user_ns(sb);
    strvec_push(&out->argv, sb->bwrap);
    add_bwrap_rules(&out->argv, sb, workdir, info_fd);
    /* without setpriv in between, bwrap gives the program its variables */
    for (size_t i = 0; !sandbox_shares_user_ns(sb) && program_env && program_env[i]; i++) {
        const char *eq = strchr(program_env[i], '=');

        if (!eq)
            continue;
        strvec_push(&out->argv, "--setenv");
        strvec_push_owned(&out->argv, xstrndup(program_env[i], (size_t)(eq - program_env[i])));
        strvec_push(&out->argv, eq + 1);
    }
    strvec_push(&out->argv, "--");
    add_program(&out->argv, sb, argv, program_env);
}

void launch_free(struct launch *l)
{
    strvec_free(&l->argv);
    strvec_free(&l->envp);
}

bool launch_enter(const struct launch *l)
{
    if (l->private_tmp && (unshare(CLONE_NEWNS) != 0 || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0 ||
                           mount(l->private_tmp, "/tmp", NULL, MS_BIND, NULL) != 0))
        return false;
    if (!l->drop_user)
        return true;
    return setgroups(0, NULL) == 0 && setresgid(l->gid, l->gid, l->gid) == 0 && setresuid(l->uid, l->uid, l->uid) == 0;
}
