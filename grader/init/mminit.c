/* mminit.c - the first process of every run of student code: it starts the
 * program (and, beside it, a decoy of the same name), says what PID the
 * program has and how it ended, reaps what the program leaves behind and
 * kills it at the end. The program is never PID 1 of its namespace: its
 * parent exists, its signals act as they would anywhere, and it is found
 * by name only together with the decoy, as on a shared machine.
 *
 * Usage: mminit [--report FD] [--decoy NAME] [--env NAME=VALUE]... -- PROGRAM [ARG...]
 *   --env NAME=VALUE  a variable for the program alone (the shim's: mminit
 *                 must not load the shim itself)
 *   --report FD   write "self PID" (mminit's own PID) and "decoy PID" first,
 *                 "started PID" once the program is forked and "ended
 *                 STATUS" (the raw wait status) once it ended, one line
 *                 each, to FD; PIDs as the program sees them
 *   --decoy NAME  start two processes called NAME (their command name,
 *                 argv[0] "./NAME") that only wait, each holding 128 MiB
 *                 of address space it never touches: a table of them is
 *                 never the program's. One is started before the program,
 *                 one after it (the program waits until it is ready), so
 *                 that a search by name finds a decoy whether it takes
 *                 the lowest PID or the highest (pidof -s).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#define DECOY_ENV "MMINIT_DECOY"
#define READY_ENV "MMINIT_DECOY_READY" /* the descriptor a decoy says it is ready on */
#define DECOY_RESERVE (128u << 20)
#define MAX_CHILDREN 256
#define MAX_ENV 16

/* The decoy: its name set, its descriptors closed (it must hold no pipe
 * of the grader's open), waiting until killed. */
__attribute__((noreturn)) static void be_decoy(const char *name)
{
    sigset_t none;

    const char *ready = getenv(READY_ENV);

    prctl(PR_SET_NAME, name);
    mmap(NULL, DECOY_RESERVE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (ready && write(atoi(ready), "r", 1) != 1) /* named and reserved: as ps will see it */
        _exit(1);
    unsetenv(DECOY_ENV);
    unsetenv(READY_ENV);
    for (int fd = 0; fd < 1024; fd++)
        close(fd);
    if (open("/dev/null", O_RDWR) == 0) {
        dup2(0, 1);
        dup2(0, 2);
    }
    sigemptyset(&none);
    for (;;)
        sigsuspend(&none);
}

/* Starts a decoy: this program again, as "./NAME", told by its
 * environment what it is; returns once it is named and holds its reserve
 * (or could not be). */
static pid_t start_decoy(const char *name)
{
    char argv0[64], fd[16], byte;
    int ready[2];
    pid_t pid;

    if (pipe2(ready, O_CLOEXEC) != 0)
        return -1;
    snprintf(argv0, sizeof argv0, "./%s", name);
    pid = fork();
    if (pid == 0) {
        char *argv[] = {argv0, NULL};

        snprintf(fd, sizeof fd, "%d", dup(ready[1])); /* the copy survives exec */
        setenv(DECOY_ENV, name, 1);
        setenv(READY_ENV, fd, 1);
        execv("/proc/self/exe", argv);
        _exit(127);
    }
    close(ready[1]);
    while (pid > 0 && read(ready[0], &byte, 1) < 0 && errno == EINTR)
        ;
    close(ready[0]);
    return pid;
}

static void announce_decoy(int report, const char *name)
{
    pid_t pid = start_decoy(name);

    if (report >= 0 && pid > 0)
        dprintf(report, "decoy %ld\n", (long)pid);
}

/* Kills every child (and, as a subreaper, every orphan that became one)
 * until none is left. */
static void kill_children(void)
{
    for (int round = 0; round < 1000; round++) {
        char path[64], buf[4096];
        pid_t pids[MAX_CHILDREN];
        size_t n = 0;
        ssize_t len;
        int fd;

        snprintf(path, sizeof path, "/proc/self/task/%ld/children", (long)getpid());
        if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
            break;
        len = read(fd, buf, sizeof buf - 1);
        close(fd);
        buf[len > 0 ? len : 0] = '\0';
        for (char *p = buf, *end; n < MAX_CHILDREN; p = end) {
            long pid = strtol(p, &end, 10);

            if (end == p)
                break;
            pids[n++] = (pid_t)pid;
        }
        if (n == 0)
            break;
        for (size_t i = 0; i < n; i++)
            kill(pids[i], SIGKILL);
        while (waitpid(-1, NULL, WNOHANG) > 0)
            ;
        for (size_t i = 0; i < n; i++)
            waitpid(pids[i], NULL, 0);
    }
}

int main(int argc, char **argv)
{
    const char *decoy = getenv(DECOY_ENV);
    char *env[MAX_ENV];
    int report = -1, status = 0, i = 1, nenv = 0, gate[2];
    pid_t program, pid;

    if (decoy)
        be_decoy(decoy);
    for (; i < argc && strcmp(argv[i], "--") != 0; i++) {
        if (strcmp(argv[i], "--report") == 0 && i + 1 < argc)
            report = atoi(argv[++i]);
        else if (strcmp(argv[i], "--decoy") == 0 && i + 1 < argc)
            decoy = argv[++i];
        else if (strcmp(argv[i], "--env") == 0 && i + 1 < argc && strchr(argv[i + 1], '=') && nenv < MAX_ENV)
            env[nenv++] = argv[++i];
        else
            break;
    }
    if (i + 1 >= argc || strcmp(argv[i], "--") != 0) {
        fprintf(stderr, "usage: mminit [--report FD] [--decoy NAME] [--env NAME=VALUE]... -- PROGRAM [ARG...]\n");
        return 2;
    }
    if (report >= 0)
        fcntl(report, F_SETFD, FD_CLOEXEC);
    /* orphans of the program become ours to reap and kill */
    prctl(PR_SET_CHILD_SUBREAPER, 1);
    if (report >= 0)
        dprintf(report, "self %ld\n", (long)getpid());
    if (decoy)
        announce_decoy(report, decoy);
    if (pipe2(gate, O_CLOEXEC) != 0)
        return 126;
    program = fork();
    if (program == 0) {
        char byte;

        /* held until the second decoy is ready: the gate's end-of-file */
        close(gate[1]);
        while (read(gate[0], &byte, 1) < 0 && errno == EINTR)
            ;
        for (int k = 0; k < nenv; k++)
            putenv(env[k]);
        /* a path runs as it is (no shell for a file that is not a
         * program); a bare name ("env") is looked up on PATH */
        if (strchr(argv[i + 1], '/'))
            execv(argv[i + 1], argv + i + 1);
        else
            execvp(argv[i + 1], argv + i + 1);
        fprintf(stderr, "mmgrade: cannot run %s: %s\n", argv[i + 1], strerror(errno));
        _exit(127);
    }
    close(gate[0]);
    if (program < 0)
        return 126;
    if (decoy)
        announce_decoy(report, decoy);
    close(gate[1]);
    if (report >= 0)
        dprintf(report, "started %ld\n", (long)program);
    while ((pid = waitpid(-1, &status, 0)) != program)
        if (pid < 0 && errno != EINTR)
            break;
    if (report >= 0 && pid == program)
        dprintf(report, "ended %d\n", status);
    kill_children();
    return 0;
}
