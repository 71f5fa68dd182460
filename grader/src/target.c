/* target.c - start and stop the grader's own live process (mmtarget), the
 * process task 2.5's script is run on. */
#define _GNU_SOURCE
#include "target.h"

#include "reaper.h"
#include "session.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

bool target_start(const char *path, const struct sandbox *sb, const char *workdir, double timeout_s, struct target *t,
                  char *err, size_t cap)
{
    int in[2], out[2];
    char line[128];
    size_t used = 0;
    double deadline = session_now() + timeout_s;

    memset(t, 0, sizeof *t);
    t->pid = t->child = -1;
    t->feed = -1;
    if (pipe2(in, O_CLOEXEC) != 0 || pipe2(out, O_CLOEXEC) != 0) {
        snprintf(err, cap, "pipe: %s", strerror(errno));
        return false;
    }
    /* built before the fork: the child only drops privileges and execs */
    char *argv[] = {(char *)path, NULL}, *envp[] = {"PATH=/usr/local/bin:/usr/bin:/bin", "LC_ALL=C", NULL};
    struct launch launch;
    sandbox_launch(sb, workdir, argv, envp, NULL, -1, &launch);
    t->child = fork();
    if (t->child == 0) {
        setsid();
        dup2(in[0], STDIN_FILENO);
        dup2(out[1], STDOUT_FILENO);
        if (!launch_enter(&launch))
            _exit(126);
        execve(launch.path, launch.argv.items, launch.envp.items);
        _exit(127);
    }
    launch_free(&launch);
    close(in[0]);
    close(out[1]);
    t->feed = in[1];
    reaper_keep(t->child); /* the script's runs must not kill it */
    if (t->child < 0) {
        snprintf(err, cap, "fork: %s", strerror(errno));
        close(out[0]);
        target_stop(t);
        return false;
    }
    /* Event-driven: the line comes when the mapping is written. */
    while (!memchr(line, '\n', used)) {
        struct pollfd pfd = {.fd = out[0], .events = POLLIN};
        double left = deadline - session_now();
        ssize_t n;

        if (left <= 0 || poll(&pfd, 1, (int)(left * 1000) + 1) <= 0 || used + 1 >= sizeof line ||
            (n = read(out[0], line + used, sizeof line - 1 - used)) <= 0) {
            snprintf(err, cap, "%s did not report its mapping", path);
            close(out[0]);
            target_stop(t);
            return false;
        }
        used += (size_t)n;
    }
    line[used] = '\0';
    close(out[0]);
    long pid;
    if (sscanf(line, "ready %ld %" SCNx64 " %" SCNu64, &pid, &t->addr, &t->len) != 3 || pid <= 0) {
        snprintf(err, cap, "%s reported \"%.40s\"", path, line);
        target_stop(t);
        return false;
    }
    t->pid = (pid_t)pid;
    return true;
}

void target_stop(struct target *t)
{
    if (t->feed >= 0)
        close(t->feed);
    t->feed = -1;
    if (t->child > 0) {
        kill(-t->child, SIGKILL);
        kill(t->child, SIGKILL);
        while (waitpid(t->child, NULL, 0) < 0 && errno == EINTR)
            ;
    }
    reaper_release(t->child);
    /* sandboxed, the target itself is bwrap's child: the strays go too */
    reaper_kill_strays();
    t->pid = t->child = -1;
}
