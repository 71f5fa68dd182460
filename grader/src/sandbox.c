/* sandbox.c - where student code runs: the bubblewrap command line that
 * confines it, and the names of the confinement levels. */
#define _GNU_SOURCE
#include "sandbox.h"

#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define SANDBOX_MAX_ARGS 320 /* bwrap's own, before the program's */

const char *isolation_name(enum isolation level)
{
    switch (level) {
    case ISOLATION_SANDBOX_NOBODY:
        return "bwrap sandbox, as nobody";
    case ISOLATION_SANDBOX:
        return "bwrap sandbox, as the grader's user";
    case ISOLATION_NOBODY:
        return "no sandbox, as nobody";
    default:
        return "none (limits only)";
    }
}

/* bwrap makes the folders above a mount point 0700, which the sandbox's
 * user could not cross: each parent of path gets made 0755 first. */
static size_t add_parents(char **out, size_t n, const char *path)
{
    for (const char *slash = strchr(path + 1, '/'); slash && n < SANDBOX_MAX_ARGS - 16; slash = strchr(slash + 1, '/')) {
        char *parent = strndup(path, (size_t)(slash - path));

        if (!parent)
            break;
        if (strcmp(parent, "/tmp") == 0) {
            free(parent);
            continue;
        }
        out[n++] = "--perms";
        out[n++] = "0755";
        out[n++] = "--dir";
        out[n++] = parent;
    }
    return n;
}

char **sandbox_command(const struct sandbox *sb, const char *workdir, char *const *argv, char *const *env, size_t nenv,
                       int info_fd)
{
    static const char *const fixed[] = {
        "--unshare-net", "--unshare-ipc", "--unshare-uts", "--unshare-cgroup-try",
        "--die-with-parent", "--new-session",
        "--ro-bind", "/usr", "/usr", "--ro-bind", "/etc", "/etc", "--dev", "/dev", "--perms", "1777", "--tmpfs", "/tmp",
        "--setenv", "HOME", "/tmp"};
    /* merged /usr (Debian 12) has these as links; elsewhere they are folders */
    static const char *const tops[] = {"/bin", "/sbin", "/lib", "/lib64", "/lib32"};
    static char targets[5][64], info[16];
    size_t nargv = 0, n = 0;
    char **out;

    while (argv[nargv])
        nargv++;
    out = calloc(nargv + SANDBOX_MAX_ARGS + 3 * nenv, sizeof *out);
    if (!out)
        return NULL;
    if (!sb->bwrap) { /* the program itself, with its variables */
        if (nenv > 0) {
            out[n++] = "/usr/bin/env";
            for (size_t i = 0; i < nenv; i++)
                out[n++] = env[i];
        }
        for (size_t i = 0; i < nargv; i++)
            out[n++] = argv[i];
        return out;
    }
    out[n++] = (char *)sb->bwrap;
    if (!sandbox_shares_user_ns(sb))
        out[n++] = "--unshare-user";
    for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++)
        out[n++] = (char *)fixed[i];
    for (size_t i = 0; i < sizeof tops / sizeof tops[0]; i++) {
        struct stat st;
        ssize_t len;

        if (lstat(tops[i], &st) != 0)
            continue;
        if (S_ISLNK(st.st_mode) && (len = readlink(tops[i], targets[i], sizeof targets[i] - 1)) > 0) {
            targets[i][len] = '\0';
            out[n++] = "--symlink";
            out[n++] = targets[i];
        } else {
            out[n++] = "--ro-bind";
            out[n++] = (char *)tops[i];
        }
        out[n++] = (char *)tops[i];
    }
    if (sb->own_pid_ns) {
        /* PID 1 of its namespace: when it ends, all it started ends */
        out[n++] = "--unshare-pid";
        out[n++] = "--as-pid-1";
        out[n++] = "--proc";
        out[n++] = "/proc";
    } else {
        out[n++] = "--ro-bind";
        out[n++] = "/proc";
        out[n++] = "/proc";
    }
    for (size_t i = 0; i < sizeof sb->ro_paths / sizeof sb->ro_paths[0] && sb->ro_paths[i]; i++) {
        n = add_parents(out, n, sb->ro_paths[i]);
        out[n++] = "--ro-bind";
        out[n++] = (char *)sb->ro_paths[i];
        out[n++] = (char *)sb->ro_paths[i];
    }
    n = add_parents(out, n, workdir);
    out[n++] = "--bind";
    out[n++] = (char *)workdir;
    out[n++] = (char *)workdir;
    out[n++] = "--chdir";
    out[n++] = (char *)workdir;
    if (info_fd >= 0) {
        snprintf(info, sizeof info, "%d", info_fd);
        out[n++] = "--info-fd";
        out[n++] = info;
    }
    /* without setpriv in between, bwrap gives the program its variables */
    for (size_t i = 0; i < nenv && !sandbox_shares_user_ns(sb); i++) {
        char *eq = strchr(env[i], '=');

        if (!eq)
            continue;
        out[n++] = "--setenv";
        out[n++] = strndup(env[i], (size_t)(eq - env[i]));
        out[n++] = eq + 1;
    }
    out[n++] = "--";
    if (sandbox_shares_user_ns(sb)) {
        static char reuid[32], regid[32];

        snprintf(reuid, sizeof reuid, "--reuid=%ld", (long)sb->uid);
        snprintf(regid, sizeof regid, "--regid=%ld", (long)sb->gid);
        out[n++] = (char *)sb->setpriv;
        out[n++] = reuid;
        out[n++] = regid;
        out[n++] = "--clear-groups";
        out[n++] = "--inh-caps=-all";
        out[n++] = "--bounding-set=-all";
        out[n++] = "--no-new-privs";
        out[n++] = "--";
        /* the shim's variables reach the program, not setpriv: it would
         * load the shim and take them out of the environment */
        if (nenv > 0) {
            out[n++] = "env";
            for (size_t i = 0; i < nenv; i++)
                out[n++] = env[i];
        }
    }
    for (size_t i = 0; i < nargv; i++)
        out[n++] = argv[i];
    out[n] = NULL;
    return out;
}

bool sandbox_shares_user_ns(const struct sandbox *sb)
{
    return sb && sb->uid != (uid_t)-1;
}

bool sandbox_uses_bwrap(const struct sandbox *sb)
{
    return sb && sb->bwrap;
}

bool sandbox_drop_privileges(const struct sandbox *sb)
{
    if (!sb || sb->bwrap || sb->uid == (uid_t)-1)
        return true;
    return setgroups(0, NULL) == 0 && setresgid(sb->gid, sb->gid, sb->gid) == 0 &&
           setresuid(sb->uid, sb->uid, sb->uid) == 0;
}
