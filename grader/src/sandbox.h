/* sandbox.h - where student code runs: the bubblewrap command line that
 * confines it, and the choice of the strongest confinement under which the
 * grader can still observe it. */
#ifndef MMGRADE_SANDBOX_H
#define MMGRADE_SANDBOX_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

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
    bool own_pid_ns;            /* the program is PID 1 of a PID namespace of its own */
    const char *ro_paths[4];    /* also visible, read-only (the shim, the target); NULL-ended */
};

/* The confinement student code gets, strongest first. */
enum isolation {
    ISOLATION_SANDBOX_NOBODY,   /* sandboxed, as nobody (the grader is root) */
    ISOLATION_SANDBOX,          /* sandboxed, as the grader's user */
    ISOLATION_NOBODY,           /* not sandboxed, as nobody (the grader is root) */
    ISOLATION_NONE,             /* the grader's child, limits only */
};

/* "bwrap sandbox, as nobody", ... for reports. */
const char *isolation_name(enum isolation level);

/* bwrap's command line around argv: the sandbox, then argv; env holds
 * NAME=VALUE pairs for the program alone (so bwrap itself runs plain);
 * info_fd >= 0 asks bwrap to write the program's PID there as JSON. NULL
 * when memory runs out. Meant for a forked child about to exec. */
char **sandbox_command(const struct sandbox *sb, const char *workdir, char *const *argv, char *const *env, size_t nenv,
                       int info_fd);
/* True when processes in two sandboxes like sb may read each other's /proc
 * files (they share a user namespace): task 2.5's script and its target. */
bool sandbox_shares_user_ns(const struct sandbox *sb);
/* True when sb runs the program through bwrap. */
bool sandbox_uses_bwrap(const struct sandbox *sb);
/* Without bwrap, drops to sb's user for good (in a forked child about to
 * exec); true when there is nothing to drop. */
bool sandbox_drop_privileges(const struct sandbox *sb);

#endif
