/* sandbox.h - where student code runs: a sandbox described as data, and
 * the launch plan that starts one program in it (bubblewrap's options
 * generated from a table of rules, the user to drop to, the environment). */
#ifndef MMGRADE_SANDBOX_H
#define MMGRADE_SANDBOX_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "strvec.h"

#define SANDBOX_MAX_RO_PATHS 4

/* A bubblewrap sandbox: own mount, network, IPC and UTS namespaces; the
 * system read-only, the run's folder the only place it may write, a private
 * /tmp. When the grader is root, bwrap runs privileged (no user namespace)
 * and setpriv drops to uid inside: the program is then a plain unprivileged
 * process of the host's user namespace, which the grader, and a script of
 * the same uid, may observe. Otherwise bwrap makes a user namespace, and
 * two sandboxes cannot read each other's /proc files. */
struct sandbox {
    const char *bwrap;          /* path of bwrap; NULL: no sandbox, only another user */
    const char *setpriv;        /* path of setpriv, which drops to uid inside */
    uid_t uid;                  /* (uid_t)-1: the grader's own */
    gid_t gid;
    bool own_pid_ns;            /* a PID namespace of its own: all it starts ends with it */
    const char *tmp_dir;        /* its /tmp: this folder of the grader's; NULL: a private empty one */
    const char *ro_paths[SANDBOX_MAX_RO_PATHS]; /* also visible, read-only (the shim, the target); NULL-ended */
};

/* How to start one program: built by the grader before it forks, so that
 * the child only has to drop privileges, set limits and exec. */
struct launch {
    const char *path;      /* what the child execs */
    struct strvec argv;
    struct strvec envp;
    bool drop_user;        /* the child itself drops to uid/gid (no bwrap) */
    uid_t uid;
    gid_t gid;
    bool via_bwrap;        /* bwrap exits 128 + N for a program killed by signal N,
                            * and writes the program's PID to info_fd */
    bool own_user;         /* the program runs as a user that runs nothing else:
                            * a process limit counts its processes alone */
    const char *private_tmp; /* without bwrap: bind this folder on /tmp in a
                              * mount namespace of the child's own (root only) */
};

/* The plan that runs argv (argv[0]: the program's path) in workdir under
 * sb (NULL: as the grader's own child). base_env is the environment of
 * every process started; program_env goes to the program alone (bwrap and
 * setpriv run without it). info_fd >= 0 asks bwrap for the program's PID. */
void sandbox_launch(const struct sandbox *sb, const char *workdir, char *const *argv, char *const *base_env,
                    char *const *program_env, int info_fd, struct launch *out);
void launch_free(struct launch *l);

/* True when processes in two sandboxes like sb may read each other's /proc
 * files (they share a user namespace): task 2.5's script and its target. */
bool sandbox_shares_user_ns(const struct sandbox *sb);
/* In a forked child about to exec: gives it the plan's /tmp, then drops to
 * the plan's user for good; false when either fails. */
bool launch_enter(const struct launch *l);

#endif
