/* session.c - run one student program under observation: stdin a pipe only
 * the grader writes, stdout a pseudo-terminal, stderr a pipe; detect each
 * pause without races, snapshot /proc there, answer with one newline. */
#define _GNU_SOURCE
#include "session.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#define LOG_FD 63               /* where the child finds the shim's log pipe */
#define INFO_FD 62              /* where bwrap writes the sandboxed program's PID */
#define OUTPUT_CAP (1u << 20)   /* bytes kept of stdout, and of stderr, by default */
#define MAX_PAUSES 64           /* then stdin is closed: EOF ends the loop */
#define POLL_MIN_MS 1
#define POLL_MAX_MS 8

struct buffer {
    char *data;
    size_t len, cap;
    bool capped;
    size_t limit;
};

struct session {
    const struct run_spec *spec;
    struct run_result *res;
    pid_t pid;                  /* the grader's child: the program, or bwrap */
    pid_t obs;                  /* the program itself; 0 until bwrap says */
    long log_pid;               /* the program's PID as it sees it (the shim logs that) */
    int pty, err, log, feed, pidfd, info;
    dev_t feed_dev;
    ino_t feed_ino;
    bool have_written;
    uint64_t syscr_at_write;
    struct buffer out, errbuf, logbuf, infobuf;
    size_t log_parsed;
    long page_size;
};

double session_now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void buffer_append(struct buffer *b, const char *data, size_t n)
{
    size_t limit = b->limit ? b->limit : OUTPUT_CAP;

    if (b->len + n > limit) {
        b->capped = true;
        n = limit - b->len;
    }
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 4096;
        char *bigger;

        while (cap < b->len + n + 1)
            cap *= 2;
        bigger = realloc(b->data, cap);
        if (!bigger) {
            b->capped = true;
            return;
        }
        b->data = bigger;
        b->cap = cap;
    }
    memcpy(b->data + b->len, data, n);
    b->len += n;
    b->data[b->len] = '\0';
}

/* Reads what fd has now; returns false at end-of-file or error (a pty
 * master reads EIO once every slave is closed). */
static bool drain(int fd, struct buffer *b)
{
    char chunk[8192];

    for (;;) {
        ssize_t n = read(fd, chunk, sizeof chunk);

        if (n > 0) {
            buffer_append(b, chunk, (size_t)n);
            continue;
        }
        if (n < 0 && errno == EINTR)
            continue;
        return n < 0 && errno == EAGAIN;
    }
}

static void session_parse_log(struct session *s)
{
    struct run_result *r = s->res;

    if (s->log_pid == 0)
        return; /* whose lines are the program's is not known yet */
    while (s->log_parsed < s->logbuf.len) {
        char *line = s->logbuf.data + s->log_parsed;
        char *nl = memchr(line, '\n', s->logbuf.len - s->log_parsed);
        struct shim_call call;

        if (!nl)
            break;
        *nl = '\0';
        s->log_parsed = (size_t)(nl - s->logbuf.data) + 1;
        /* Only the program itself: a forked child's calls are its own. */
        if (!shimlog_parse_line(line, &call) || call.pid != s->log_pid)
            continue;
        if (call.kind == SHIM_RETURN) {
            shimlog_apply_return(r->calls, r->ncalls, &call);
            continue;
        }
        call.pauses_before = r->npauses;
        struct shim_call *bigger = realloc(r->calls, (r->ncalls + 1) * sizeof *bigger);
        if (!bigger)
            continue;
        r->calls = bigger;
        r->calls[r->ncalls++] = call;
    }
}

static void drain_all(struct session *s)
{
    if (s->pty >= 0 && !drain(s->pty, &s->out)) {
        close(s->pty);
        s->pty = -1;
    }
    if (s->err >= 0 && !drain(s->err, &s->errbuf)) {
        close(s->err);
        s->err = -1;
    }
    if (s->log >= 0 && !drain(s->log, &s->logbuf)) {
        close(s->log);
        s->log = -1;
    }
    if (s->info >= 0 && !drain(s->info, &s->infobuf)) {
        close(s->info);
        s->info = -1;
    }
    if (s->obs == 0 && s->infobuf.data) {
        const char *at = strstr(s->infobuf.data, "\"child-pid\":");
        long pid;

        if (at && sscanf(at, "\"child-pid\": %ld", &pid) == 1 && pid > 0) {
            s->obs = s->res->pid = (pid_t)pid;
            /* PID 1 of its own namespace, or the host's PID: as it sees itself */
            s->log_pid = s->spec->sandbox->own_pid_ns ? 1 : pid;
            s->res->self_pid = (pid_t)s->log_pid;
        }
    }
    session_parse_log(s);
}

/* The handshake of shared/notes linux-facts 1.4 plus 11.1: the task is
 * blocked reading fd 0, its fd 0 is still our pipe, the read that took our
 * previous newline has completed (syscr counts completed reads), and
 * nothing we wrote is left unread. Only then can it not move on without us. */
static bool session_is_paused(struct session *s)
{
    char path[64];
    struct stat st;
    uint64_t syscr;
    int unread = -1;

    if (s->feed < 0 || s->obs <= 0)
        return false;
    if (!syscall_is_read_of(s->obs, 0) || stat_read_state(s->obs) != 'S')
        return false;
    snprintf(path, sizeof path, "/proc/%ld/fd/0", (long)s->obs);
    if (stat(path, &st) != 0 || st.st_dev != s->feed_dev || st.st_ino != s->feed_ino)
        return false;
    if (!io_read_syscr(s->obs, &syscr))
        return false;
    if (s->have_written && syscr <= s->syscr_at_write)
        return false;
    if (ioctl(s->feed, FIONREAD, &unread) != 0 || unread != 0)
        return false;
    /* Re-check the first condition: the task may have woken in between. */
    return syscall_is_read_of(s->obs, 0) && stat_read_state(s->obs) == 'S';
}

/* Each successful mmap of the program whose range no later munmap removed
 * whole is measured: its own pages, by pagemap. */
static void snapshot_residency(struct session *s, struct pause_snapshot *p)
{
    struct run_result *r = s->res;

    for (size_t i = 0; i < r->ncalls; i++) {
        const struct shim_call *c = &r->calls[i];
        uint64_t start = c->ret, end;
        bool gone = false;

        if (c->kind != SHIM_MMAP || !c->ok || c->len == 0)
            continue;
        end = start + ((c->len + (uint64_t)s->page_size - 1) / (uint64_t)s->page_size) * (uint64_t)s->page_size;
        for (size_t j = i + 1; j < r->ncalls; j++) {
            const struct shim_call *u = &r->calls[j];

            if (shimlog_unmapped(u) && u->addr <= start && u->addr + u->len >= end)
                gone = true;
        }
        if (gone)
            continue;
        struct residency *bigger = realloc(p->residency, (p->nresidency + 1) * sizeof *bigger);
        if (!bigger)
            return;
        p->residency = bigger;
        struct residency *res = &p->residency[p->nresidency];
        struct page_counts counts;
        res->start = start;
        res->end = end;
        if (pagemap_count_own(s->obs, start, end, s->page_size, s->spec->count_zero_pages, &counts)) {
            res->own = counts.own;
            res->total = counts.total;
            res->own_zero = counts.own_zero;
            p->nresidency++;
        }
    }
}

static void session_take_pause(struct session *s)
{
    struct run_result *r = s->res;
    struct pause_snapshot *bigger = realloc(r->pauses, (r->npauses + 1) * sizeof *bigger);
    struct pause_snapshot *p;

    if (!bigger)
        return;
    r->pauses = bigger;
    p = &r->pauses[r->npauses];
    memset(p, 0, sizeof *p);
    drain_all(s);
    /* A terminal echoes the Enter that ends a pause: a prompt printed
     * without a newline ends its line there, as the student saw it. */
    if (s->out.len > 0 && s->out.data[s->out.len - 1] != '\n')
        buffer_append(&s->out, "\r\n", 2);
    p->out_offset = s->out.len;
    p->calls_before = r->ncalls;
    p->status_ok = status_read(s->obs, &p->status);
    p->maps_ok = maps_read(s->obs, &p->maps);
    snapshot_residency(s, p);
    r->npauses++;
}

static void session_answer(struct session *s)
{
    uint64_t syscr = 0;

    io_read_syscr(s->obs, &syscr);
    s->syscr_at_write = syscr;
    s->have_written = true;
    /* One newline per pause: two at once could both land in one stdio
     * buffer, and the second pause would never block. */
    if (write(s->feed, "\n", 1) != 1 || s->res->npauses >= MAX_PAUSES) {
        s->res->pauses_capped = s->res->npauses >= MAX_PAUSES;
        close(s->feed);
        s->feed = -1;
    }
}

static char **session_build_argv(const struct run_spec *spec, char *logfile_arg)
{
    size_t nargs = 0, i = 0;
    char **argv;

    while (spec->args && spec->args[nargs])
        nargs++;
    argv = calloc(nargs + 8, sizeof *argv);
    if (!argv)
        return NULL;
    if (spec->valgrind_log) {
        argv[i++] = "valgrind";
        argv[i++] = "--leak-check=full";
        argv[i++] = "--show-leak-kinds=definite,indirect";
        argv[i++] = logfile_arg;
    }
    argv[i++] = (char *)spec->program;
    for (size_t a = 0; a < nargs; a++)
        argv[i++] = (char *)spec->args[a];
    return argv;
}

static void set_limit(int resource, uint64_t value)
{
    struct rlimit rl = {value, value};

    if (value)
        setrlimit(resource, &rl);
}

static void child_limit(const struct run_limits *l, const struct sandbox *sb)
{
    set_limit(RLIMIT_CORE, 0); /* nothing to gain from a core file, much to fill */
    if (!l)
        return;
    if (l->cpu_s > 0) {
        /* SIGXCPU at the soft limit, SIGKILL a second later */
        struct rlimit rl = {(rlim_t)(l->cpu_s + 0.999), (rlim_t)(l->cpu_s + 1.999)};

        setrlimit(RLIMIT_CPU, &rl);
    }
    set_limit(RLIMIT_AS, l->memory_bytes);
    set_limit(RLIMIT_FSIZE, l->file_bytes);
    set_limit(RLIMIT_NOFILE, l->open_files);
    /* enforced once the program runs as the sandbox's user, who runs
     * nothing else */
    if (sandbox_shares_user_ns(sb))
        set_limit(RLIMIT_NPROC, l->processes);
}

static void child_exec(const struct run_spec *spec, int in, int out, int err, int log, int info)
{
    char logfd[48], ballast[48], preload[4200], logfile_arg[4200];
    char *envp[12], *shim_env[4];
    size_t e = 0, nshim = 0;
    char **argv;

    setsid();
    if (dup2(in, 0) < 0 || dup2(out, 1) < 0 || dup2(err, 2) < 0 || (log >= 0 && dup2(log, LOG_FD) < 0) ||
        (info >= 0 && dup2(info, INFO_FD) < 0))
        _exit(126);
    if (chdir(spec->workdir) != 0)
        _exit(126);
    /* The grader is a subreaper for its own sake, not the program's. */
    prctl(PR_SET_CHILD_SUBREAPER, 0);
    snprintf(logfile_arg, sizeof logfile_arg, "--log-file=%s", spec->valgrind_log ? spec->valgrind_log : "");
    argv = session_build_argv(spec, logfile_arg);
    if (!argv)
        _exit(126);
    envp[e++] = "PATH=/usr/local/bin:/usr/bin:/bin";
    envp[e++] = "LC_ALL=C";
    envp[e++] = "TERM=dumb";
    if (spec->shim && !spec->valgrind_log) {
        snprintf(preload, sizeof preload, "LD_PRELOAD=%s", spec->shim);
        snprintf(logfd, sizeof logfd, "MMSHIM_LOG_FD=%d", LOG_FD);
        shim_env[nshim++] = preload;
        shim_env[nshim++] = logfd;
        if (spec->inject_mmap_failure)
            shim_env[nshim++] = "MMSHIM_FAIL_MMAP=1";
        if (spec->ballast_kib > 0) {
            snprintf(ballast, sizeof ballast, "MMSHIM_BALLAST_KIB=%ld", spec->ballast_kib);
            shim_env[nshim++] = ballast;
        }
    }
    if (!sandbox_uses_bwrap(spec->sandbox))
        for (size_t i = 0; i < nshim; i++)
            envp[e++] = shim_env[i];
    envp[e] = NULL;
    if (sandbox_uses_bwrap(spec->sandbox) &&
        !(argv = sandbox_command(spec->sandbox, spec->workdir, argv, shim_env, nshim, INFO_FD)))
        _exit(126);
    if (!sandbox_drop_privileges(spec->sandbox))
        _exit(126);
    /* Last: nothing may allocate after it (a sanitized grader holds far
     * more address space than the limit). */
    child_limit(spec->limits, spec->sandbox);
    if (sandbox_uses_bwrap(spec->sandbox))
        execve(spec->sandbox->bwrap, argv, envp);
    else if (spec->valgrind_log)
        execve(spec->valgrind, argv, envp);
    else
        execve(spec->program, argv, envp);
    /* stderr is the run's own pipe: the reason reaches the feedback */
    dprintf(STDERR_FILENO, "mmgrade: cannot run %s: %s\n", argv[0], strerror(errno));
    _exit(127);
}

static bool session_start(struct session *s)
{
    const struct run_spec *spec = s->spec;
    int in[2] = {-1, -1}, errp[2] = {-1, -1}, logp[2] = {-1, -1}, infop[2] = {-1, -1}, master = -1, slave = -1;
    struct termios tio;
    struct stat st;

    if (openpty(&master, &slave, NULL, NULL, NULL) != 0) {
        snprintf(s->res->error, sizeof s->res->error, "cannot open a pseudo-terminal: %s", strerror(errno));
        return false;
    }
    /* No "\n" to "\r\n" translation: the program's lines come out as printed. */
    if (tcgetattr(slave, &tio) == 0) {
        tio.c_oflag &= ~(tcflag_t)OPOST;
        tcsetattr(slave, TCSANOW, &tio);
    }
    if (pipe2(errp, O_CLOEXEC) != 0 || pipe2(logp, O_CLOEXEC) != 0 ||
        (sandbox_uses_bwrap(spec->sandbox) && pipe2(infop, O_CLOEXEC) != 0)) {
        snprintf(s->res->error, sizeof s->res->error, "cannot make a pipe: %s", strerror(errno));
        return false;
    }
    if (spec->stdin_eof) {
        in[0] = open("/dev/null", O_RDONLY | O_CLOEXEC);
    } else if (pipe2(in, O_CLOEXEC) != 0) {
        snprintf(s->res->error, sizeof s->res->error, "cannot make a pipe: %s", strerror(errno));
        return false;
    }
    fcntl(master, F_SETFD, FD_CLOEXEC);
    fcntl(slave, F_SETFD, FD_CLOEXEC);
    s->pid = fork();
    if (s->pid < 0) {
        snprintf(s->res->error, sizeof s->res->error, "cannot fork: %s", strerror(errno));
        return false;
    }
    if (s->pid == 0)
        child_exec(spec, in[0], slave, errp[1], logp[1], infop[1]);
    close(slave);
    close(errp[1]);
    close(logp[1]);
    if (infop[1] >= 0)
        close(infop[1]);
    s->info = infop[0];
    if (s->info >= 0)
        fcntl(s->info, F_SETFL, O_NONBLOCK);
    close(in[0]);
    s->pty = master;
    s->err = errp[0];
    s->log = logp[0];
    s->feed = in[1];
    fcntl(s->pty, F_SETFL, O_NONBLOCK);
    fcntl(s->err, F_SETFL, O_NONBLOCK);
    fcntl(s->log, F_SETFL, O_NONBLOCK);
    if (s->feed >= 0) {
        /* A program must not be able to block the grader by not reading. */
        fcntl(s->feed, F_SETFL, O_NONBLOCK);
        if (fstat(s->feed, &st) == 0) {
            s->feed_dev = st.st_dev;
            s->feed_ino = st.st_ino;
        }
    }
    s->pidfd = (int)syscall(SYS_pidfd_open, s->pid, 0);
    if (!sandbox_uses_bwrap(spec->sandbox)) {
        s->obs = s->res->pid = s->res->self_pid = s->pid;
        s->log_pid = s->pid;
    }
    s->res->started = true;
    return true;
}

static void session_reap(struct session *s, int status)
{
    if (WIFEXITED(status)) {
        s->res->exited = true;
        s->res->exit_code = WEXITSTATUS(status);
        /* bwrap exits 128 + N when the program was killed by signal N */
        if (sandbox_uses_bwrap(s->spec->sandbox) && s->res->exit_code > 128 && s->res->exit_code < 128 + NSIG) {
            s->res->exited = false;
            s->res->term_signal = s->res->exit_code - 128;
            s->res->exit_code = 0;
        }
    } else if (WIFSIGNALED(status)) {
        s->res->term_signal = WTERMSIG(status);
    }
}

void session_run(const struct run_spec *spec, struct run_result *res)
{
    struct session s = {.spec = spec, .res = res, .pty = -1, .err = -1, .log = -1, .feed = -1, .pidfd = -1,
                        .info = -1};
    double start = session_now(), deadline = start + spec->timeout_s;
    int wait_ms = POLL_MIN_MS, status;
    bool done = false;

    memset(res, 0, sizeof *res);
    s.page_size = sysconf(_SC_PAGESIZE);
    if (spec->limits)
        s.out.limit = s.errbuf.limit = spec->limits->output_bytes;
    if (spec->timeout_s <= 0) {
        snprintf(res->error, sizeof res->error, "the submission's time was used up before this run");
        goto out;
    }
    signal(SIGPIPE, SIG_IGN);
    if (!session_start(&s))
        goto out;
    while (!done) {
        struct pollfd fds[5];
        nfds_t n = 0;
        double left = deadline - session_now();
        size_t before = s.out.len + s.errbuf.len + s.logbuf.len;

        if (left <= 0) {
            res->timed_out = true;
            break;
        }
        if (s.pty >= 0)
            fds[n++] = (struct pollfd){.fd = s.pty, .events = POLLIN};
        if (s.err >= 0)
            fds[n++] = (struct pollfd){.fd = s.err, .events = POLLIN};
        if (s.log >= 0)
            fds[n++] = (struct pollfd){.fd = s.log, .events = POLLIN};
        if (s.pidfd >= 0)
            fds[n++] = (struct pollfd){.fd = s.pidfd, .events = POLLIN};
        if (s.info >= 0)
            fds[n++] = (struct pollfd){.fd = s.info, .events = POLLIN};
        /* The pause check must poll /proc (a blocked read raises no event),
         * so the wait is short, and grows while nothing happens. */
        poll(fds, n, left * 1000 < wait_ms ? (int)(left * 1000) + 1 : wait_ms);
        drain_all(&s);
        if (s.out.capped || s.errbuf.capped) {
            res->output_capped = true;
            break;
        }
        if (waitpid(s.pid, &status, WNOHANG) == s.pid) {
            session_reap(&s, status);
            s.pid = -s.pid; /* reaped: never signal that number again */
            done = true;
            break;
        }
        if (session_is_paused(&s)) {
            session_take_pause(&s);
            session_answer(&s);
            wait_ms = POLL_MIN_MS;
            continue;
        }
        if (s.out.len + s.errbuf.len + s.logbuf.len != before)
            wait_ms = POLL_MIN_MS;
        else if (wait_ms < POLL_MAX_MS)
            wait_ms *= 2;
    }
    if (!done && s.pid > 0) {
        kill(-s.pid, SIGKILL);
        kill(s.pid, SIGKILL);
        if (waitpid(s.pid, &status, 0) == s.pid)
            session_reap(&s, status);
        s.pid = -s.pid;
    }
    /* Whatever the program started (ps, a shell) goes with it, and what
     * left its process group too. */
    if (s.pid < 0)
        kill(s.pid, SIGKILL);
    session_kill_strays();
    drain_all(&s);
out:
    if (s.pty >= 0)
        close(s.pty);
    if (s.err >= 0)
        close(s.err);
    if (s.log >= 0)
        close(s.log);
    if (s.feed >= 0)
        close(s.feed);
    if (s.pidfd >= 0)
        close(s.pidfd);
    if (s.info >= 0)
        close(s.info);
    free(s.infobuf.data);
    res->out = s.out.data ? s.out.data : strdup("");
    res->out_len = s.out.len;
    res->err = s.errbuf.data ? s.errbuf.data : strdup("");
    res->err_len = s.errbuf.len;
    free(s.logbuf.data);
    res->seconds = session_now() - start;
}

const char *session_describe_end(const struct run_result *r, char *buf, size_t cap)
{
    if (!r->started)
        snprintf(buf, cap, "could not be started: %.200s", r->error);
    else if (r->timed_out)
        snprintf(buf, cap, "was still running after the time limit and was killed");
    else if (r->output_capped)
        snprintf(buf, cap, "printed more than its output limit (--limit output) and was stopped");
    else if (r->exited)
        snprintf(buf, cap, "exited with status %d", r->exit_code);
    else
        snprintf(buf, cap, "was killed by signal %d (%s)", r->term_signal, strsignal(r->term_signal));
    return buf;
}

void session_result_free(struct run_result *r)
{
    for (size_t i = 0; i < r->npauses; i++) {
        maps_free(&r->pauses[i].maps);
        free(r->pauses[i].residency);
    }
    free(r->pauses);
    free(r->calls);
    free(r->out);
    free(r->err);
    memset(r, 0, sizeof *r);
}

static pid_t spared;

void session_become_subreaper(void)
{
    prctl(PR_SET_CHILD_SUBREAPER, 1);
}

void session_spare(pid_t pid)
{
    spared = pid;
}

/* The grader's children but the spared one, read from /proc/PID/stat
 * (field 4, the parent), at most max. */
static size_t list_children(pid_t *out, size_t max)
{
    DIR *proc = opendir("/proc");
    struct dirent *e;
    pid_t self = getpid();
    size_t n = 0;

    while (proc && (e = readdir(proc)) && n < max) {
        long pid = strtol(e->d_name, NULL, 10);

        if (pid > 0 && pid != spared && stat_read_ppid((pid_t)pid) == self)
            out[n++] = (pid_t)pid;
    }
    if (proc)
        closedir(proc);
    return n;
}

void session_kill_strays(void)
{
    pid_t children[256];
    size_t n;

    /* Killing a process hands its children to the grader (a subreaper):
     * go round until no child is left. Each round kills what exists, so a
     * fork loop cannot outrun it for long. */
    for (int round = 0; round < 1000 && (n = list_children(children, 256)) > 0; round++) {
        for (size_t i = 0; i < n; i++)
            kill(children[i], SIGKILL);
        for (size_t i = 0; i < n; i++)
            while (waitpid(children[i], NULL, 0) < 0 && errno == EINTR)
                ;
    }
}
