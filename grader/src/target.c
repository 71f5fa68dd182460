/* target.c - start and stop the grader's own live process (mmtarget), the
 * process task 2.5's script is run on. */
#define _GNU_SOURCE
#include "target.h"

#include "session.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

bool target_start(const char *path, double timeout_s, struct target *t, char *err, size_t cap)
{
    int in[2], out[2];
    char line[128];
    size_t used = 0;
    double deadline = now() + timeout_s;

    memset(t, 0, sizeof *t);
    t->pid = -1;
    t->feed = -1;
    if (pipe2(in, O_CLOEXEC) != 0 || pipe2(out, O_CLOEXEC) != 0) {
        snprintf(err, cap, "pipe: %s", strerror(errno));
        return false;
    }
    t->pid = fork();
    if (t->pid == 0) {
        setsid();
        dup2(in[0], STDIN_FILENO);
        dup2(out[1], STDOUT_FILENO);
        execl(path, path, (char *)NULL);
        _exit(127);
    }
    close(in[0]);
    close(out[1]);
    t->feed = in[1];
    session_spare(t->pid > 0 ? t->pid : 0); /* the script's runs must not kill it */
    if (t->pid < 0) {
        snprintf(err, cap, "fork: %s", strerror(errno));
        close(out[0]);
        target_stop(t);
        return false;
    }
    /* Event-driven: the line comes when the mapping is written. */
    while (!memchr(line, '\n', used)) {
        struct pollfd pfd = {.fd = out[0], .events = POLLIN};
        double left = deadline - now();
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
    if (sscanf(line, "ready %" SCNx64 " %" SCNu64, &t->addr, &t->len) != 2) {
        snprintf(err, cap, "%s reported \"%.40s\"", path, line);
        target_stop(t);
        return false;
    }
    return true;
}

void target_stop(struct target *t)
{
    if (t->feed >= 0)
        close(t->feed);
    t->feed = -1;
    if (t->pid > 0) {
        kill(-t->pid, SIGKILL);
        kill(t->pid, SIGKILL);
        while (waitpid(t->pid, NULL, 0) < 0 && errno == EINTR)
            ;
    }
    session_spare(0);
    t->pid = -1;
}
