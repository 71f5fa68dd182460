/* session.c - run one student program under observation: stdin a pipe only
 * the grader writes, stdout a pseudo-terminal, stderr a pipe; detect each
 * pause without races, snapshot /proc there, answer with one newline. */
#define _GNU_SOURCE
#include "session.h"

#include <errno.h>
#include <fcntl.h>
#include <pty.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "reaper.h"
#include "text.h"
#include "xalloc.h"

#define LOG_FD 63               /* where the child finds the shim's log pipe */
#define INFO_FD 62              /* where bwrap writes its first process's PID */
#define REPORT_FD 61            /* where mminit says the program's PID and end */
#define ACK_FD 60               /* where the shim waits for the grader's byte */
#define INFO_CAP 4096
#define MAX_PAUSES 64           /* then stdin is closed: EOF ends the loop */
#define POLL_MIN_MS 1
#define POLL_MAX_MS 8

/* What the program writes, and where the grader reads it. */
enum channel_id { CH_OUT, CH_ERR, CH_LOG, CH_INFO, CH_REPORT, CH_COUNT };

struct channel {
    int fd;           /* -1 once closed */
    struct bytes buf; /* CH_LOG's bytes go to the shim log instead */
};

struct session {
    const struct run_spec *spec;
    struct run_result *res;
    struct sandbox sandbox;     /* spec's, with mminit visible in it */
    struct launch launch;
    pid_t pid;                  /* the grader's child (bwrap, mminit or the program); negated once reaped */
    pid_t first;                /* the run's first process (mminit); 0 until bwrap says */
    pid_t obs;                  /* the program itself; 0 until known */
    long log_pid;               /* the program's PID as it sees it (the shim logs that); 0 until known */
    struct channel ch[CH_COUNT];
    int feed, ack, pidfd;
    dev_t feed_dev;
    ino_t feed_ino;
    bool have_written, ended;
    int end_status;             /* mminit's "ended" line: the program's wait status */
    uint64_t syscr_at_write;
    struct strvec argv, env;    /* the program's; the plan points into them */
    struct shimlog log;
    struct shim_calls calls;
    size_t pauses_cap;
    long page_size;
    double started, deadline;
    int wait_ms;
};

double session_now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Reads what channel k has now into buf (the log's into a buffer of its
 * own); closes it at end-of-file or error (a pty master reads EIO once
 * every slave is closed). */
static void channel_drain(struct session *s, enum channel_id k, struct bytes *buf)
{
    struct channel *c = &s->ch[k];
    char chunk[8192];

    while (c->fd >= 0) {
        ssize_t n = read(c->fd, chunk, sizeof chunk);

        if (n > 0)
            bytes_append(buf, chunk, (size_t)n);
        else if (n < 0 && errno == EINTR)
            continue;
        else if (n < 0 && errno == EAGAIN)
            return;
        else {
            close(c->fd);
            c->fd = -1;
        }
    }
}

/* mminit's first process, once bwrap named it ({"child-pid": N}). */
static void learn_first_pid(struct session *s)
{
    const char *at = s->ch[CH_INFO].buf.data ? strstr(s->ch[CH_INFO].buf.data, "\"child-pid\":") : NULL;
    long pid;

    if (s->first == 0 && at && sscanf(at, "\"child-pid\": %ld", &pid) == 1 && pid > 0)
        s->first = (pid_t)pid;
}

/* The host PID of the child of the run's first process that has nspid as
 * its innermost PID, or 0: mminit names its program by the PID it has in
 * its own namespace. */
static pid_t find_child(pid_t parent, long nspid)
{
    char name[64], *text;
    pid_t found = 0;

    snprintf(name, sizeof name, "task/%ld/children", (long)parent);
    text = proc_read(parent, name, 4096, NULL);
    for (char *p = text, *end; text && !found; p = end) {
        long pid = strtol(p, &end, 10);
        struct proc_status st;

        if (end == p)
            break;
        if (status_read((pid_t)pid, &st) && st.nspid == nspid)
            found = (pid_t)pid;
    }
    free(text);
    return found;
}

/* mminit's lines: "started NSPID", then "ended STATUS". */
static void read_report(struct session *s)
{
    const char *text = s->ch[CH_REPORT].buf.data, *at;
    long nspid;

    if (!text)
        return;
    if (s->log_pid == 0 && (at = strstr(text, "started ")) && sscanf(at, "started %ld", &nspid) == 1 && nspid > 0)
        s->log_pid = s->res->self_pid = (pid_t)nspid;
    if (!s->ended && (at = strstr(text, "ended ")) && sscanf(at, "ended %d", &s->end_status) == 1)
        s->ended = true;
    if (!s->res->parent_pid && (at = strstr(text, "self ")) && sscanf(at, "self %ld", &nspid) == 1)
        s->res->parent_pid = (pid_t)nspid;
    at = text;
    for (size_t k = 0; k < 2 && (at = strstr(at, "decoy ")); k++, at++)
        if (sscanf(at, "decoy %ld", &nspid) == 1)
            s->res->decoy_pids[k] = (pid_t)nspid;
    if (!s->spec->init && s->obs == 0 && s->first > 0) {
        /* no mminit: the first process is the program, PID 1 of its own
         * namespace or the host's PID */
        s->obs = s->res->pid = s->first;
        s->log_pid = s->res->self_pid = s->launch.via_bwrap && s->spec->sandbox->own_pid_ns ? 1 : s->first;
    }
    if (s->obs == 0 && s->log_pid != 0 && s->first > 0)
        s->obs = s->res->pid = find_child(s->first, s->log_pid);
}

/* The log's new lines become calls, placed after all the program printed
 * before them: the shim waits for our byte after each mmap and munmap, so
 * what it printed before the call is already in the terminal; then it may
 * go on. */
static void take_log(struct session *s, struct bytes *fresh)
{
    size_t waiting = shimlog_feed(&s->log, fresh->data ? fresh->data : "", fresh->len, s->res->npauses,
                                  s->ch[CH_OUT].buf.len);

    for (; waiting > 0 && s->ack >= 0; waiting--)
        if (write(s->ack, "\n", 1) != 1)
            break;
    if (s->log_pid != 0)
        shimlog_take(&s->log, s->log_pid, &s->calls);
}

static void drain_all(struct session *s)
{
    struct bytes fresh = {0};

    channel_drain(s, CH_INFO, &s->ch[CH_INFO].buf);
    channel_drain(s, CH_REPORT, &s->ch[CH_REPORT].buf);
    learn_first_pid(s);
    read_report(s);
    /* the log first, then stdout: all printed before a logged call is there */
    channel_drain(s, CH_LOG, &fresh);
    channel_drain(s, CH_OUT, &s->ch[CH_OUT].buf);
    channel_drain(s, CH_ERR, &s->ch[CH_ERR].buf);
    take_log(s, &fresh);
    bytes_free(&fresh);
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
    const struct shim_calls *calls = &s->calls;
    size_t cap = 0;

    for (size_t i = 0; i < calls->count; i++) {
        const struct shim_call *c = &calls->items[i];
        uint64_t page = (uint64_t)s->page_size, start = c->ret, end = start + (c->len + page - 1) / page * page;
        struct page_counts counts;
        bool gone = false;

        if (c->kind != SHIM_MMAP || !c->ok || c->len == 0)
            continue;
        for (size_t j = i + 1; j < calls->count; j++) {
            const struct shim_call *u = &calls->items[j];

            gone |= shimlog_unmapped(u) && u->addr <= start && u->addr + u->len >= end;
        }
        if (gone || !pagemap_count_own(s->obs, start, end, s->page_size, s->spec->count_zero_pages, &counts))
            continue;
        xgrow(&p->residency, &cap, p->nresidency + 1, sizeof *p->residency);
        p->residency[p->nresidency++] = (struct residency){.start = start, .end = end, .own = counts.own,
                                                          .total = counts.total, .own_zero = counts.own_zero};
    }
}

static void take_pause(struct session *s)
{
    struct run_result *r = s->res;
    struct bytes *out = &s->ch[CH_OUT].buf;
    struct pause_snapshot *p;

    drain_all(s);
    xgrow(&r->pauses, &s->pauses_cap, r->npauses + 1, sizeof *r->pauses);
    p = &r->pauses[r->npauses];
    memset(p, 0, sizeof *p);
    /* A terminal echoes the Enter that ends a pause: a prompt printed
     * without a newline ends its line there, as the student saw it. */
    if (out->len > 0 && out->data[out->len - 1] != '\n')
        bytes_append(out, "\r\n", 2);
    p->out_offset = out->len;
    p->calls_before = s->calls.count;
    p->status_ok = status_read(s->obs, &p->status);
    p->maps_ok = maps_read(s->obs, &p->maps);
    snapshot_residency(s, p);
    r->npauses++;
}

static void answer_pause(struct session *s)
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

/* The run's argv: mminit, which starts the program with the variables of
 * the program alone (the shim's, which mminit and valgrind must not load);
 * the program, or valgrind running it. */
static void run_argv(const struct run_spec *spec, struct strvec *argv, struct strvec *env)
{
    if (spec->shim && !spec->valgrind_log) {
        strvec_pushf(env, "LD_PRELOAD=%s", spec->shim);
        strvec_pushf(env, "MMSHIM_LOG_FD=%d", LOG_FD);
        strvec_pushf(env, "MMSHIM_ACK_FD=%d", ACK_FD);
        if (spec->inject_mmap_failure)
            strvec_push(env, "MMSHIM_FAIL_MMAP=1");
        if (spec->ballast_kib > 0)
            strvec_pushf(env, "MMSHIM_BALLAST_KIB=%ld", spec->ballast_kib);
    }
    if (spec->init) {
        strvec_push(argv, spec->init);
        strvec_push(argv, "--report");
        strvec_pushf(argv, "%d", REPORT_FD);
        if (spec->decoy) {
            strvec_push(argv, "--decoy");
            strvec_push(argv, spec->decoy);
        }
        for (size_t i = 0; i < env->count; i++) {
            strvec_push(argv, "--env");
            strvec_push(argv, env->items[i]);
        }
        strvec_push(argv, "--");
    }
    if (spec->valgrind_log) {
        strvec_push(argv, spec->valgrind);
        strvec_push(argv, "--leak-check=full");
        strvec_push(argv, "--show-leak-kinds=definite,indirect");
        strvec_pushf(argv, "--log-file=%s", spec->valgrind_log);
    }
    strvec_push(argv, spec->program);
    for (size_t a = 0; spec->args && spec->args[a]; a++)
        strvec_push(argv, spec->args[a]);
}

static void set_limit(int resource, uint64_t value)
{
    struct rlimit rl = {value, value};

    if (value)
        setrlimit(resource, &rl);
}

static void child_limit(const struct run_limits *l, bool own_user)
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
    /* enforced once the program runs as a user who runs nothing else */
    if (own_user)
        set_limit(RLIMIT_NPROC, l->processes);
}

/* The pipes of a run, each with the descriptor number the child has its
 * end at; the terminal is stdout's. */
enum run_pipe { P_IN, P_OUT, P_ERR, P_LOG, P_INFO, P_REPORT, P_ACK, P_COUNT };

static const int child_number[P_COUNT] = {0, 1, 2, LOG_FD, INFO_FD, REPORT_FD, ACK_FD};
#define CHILD_FD_CEILING 64 /* above every number of child_number */

struct run_fds {
    int parent[P_COUNT], child[P_COUNT]; /* -1: no such pipe in this run */
};

/* In the forked child: its descriptors, its folder, its user, its limits,
 * then the plan's exec. Nothing here allocates. */
__attribute__((noreturn)) static void child_exec(const struct session *s, const struct run_fds *f)
{
    const struct launch *l = &s->launch;

    int moved[P_COUNT];

    setsid();
    /* Above every number placed below first: with runs side by side, a
     * pipe of this run may already sit at 61, and placing another there
     * first would close it. The copies close on exec. */
    for (int k = 0; k < P_COUNT; k++)
        if ((moved[k] = f->child[k] >= 0 ? fcntl(f->child[k], F_DUPFD_CLOEXEC, CHILD_FD_CEILING) : -1) < 0 &&
            f->child[k] >= 0)
            _exit(126);
    for (int k = 0; k < P_COUNT; k++)
        if (moved[k] >= 0 && dup2(moved[k], child_number[k]) < 0)
            _exit(126);
    if (chdir(s->spec->workdir) != 0)
        _exit(126);
    /* The grader is a subreaper for its own sake, not the program's. */
    prctl(PR_SET_CHILD_SUBREAPER, 0);
    if (!launch_enter(l))
        _exit(126);
    /* Last: a sanitized grader holds far more address space than the limit. */
    child_limit(s->spec->limits, l->own_user);
    execve(l->path, l->argv.items, l->envp.items);
    /* stderr is the run's own pipe: the reason reaches the feedback */
    dprintf(STDERR_FILENO, "mmgrade: cannot run %s: %s\n", l->path, strerror(errno));
    _exit(127);
}

static void close_fds(const int *fds, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (fds[i] >= 0)
            close(fds[i]);
}

/* A pipe of the run: its reading end is the parent's when the child writes. */
static bool open_pipe(struct run_fds *f, enum run_pipe k, bool child_writes)
{
    int ends[2];

    if (pipe2(ends, O_CLOEXEC) != 0)
        return false;
    f->parent[k] = ends[child_writes ? 0 : 1];
    f->child[k] = ends[child_writes ? 1 : 0];
    return true;
}

static bool open_fds(struct session *s, struct run_fds *f)
{
    bool shim = s->spec->shim && !s->spec->valgrind_log;
    struct termios tio;

    if (openpty(&f->parent[P_OUT], &f->child[P_OUT], NULL, NULL, NULL) != 0) {
        snprintf(s->res->error, sizeof s->res->error, "cannot open a pseudo-terminal: %s", strerror(errno));
        return false;
    }
    fcntl(f->parent[P_OUT], F_SETFD, FD_CLOEXEC);
    fcntl(f->child[P_OUT], F_SETFD, FD_CLOEXEC);
    /* No "\n" to "\r\n" translation: the program's lines come out as printed. */
    if (tcgetattr(f->child[P_OUT], &tio) == 0) {
        tio.c_oflag &= ~(tcflag_t)OPOST;
        tcsetattr(f->child[P_OUT], TCSANOW, &tio);
    }
    if (s->spec->stdin_eof)
        f->child[P_IN] = open("/dev/null", O_RDONLY | O_CLOEXEC);
    if ((s->spec->stdin_eof ? f->child[P_IN] < 0 : !open_pipe(f, P_IN, false)) || !open_pipe(f, P_ERR, true) ||
        (shim && (!open_pipe(f, P_LOG, true) || !open_pipe(f, P_ACK, false))) ||
        (s->launch.via_bwrap && !open_pipe(f, P_INFO, true)) || (s->spec->init && !open_pipe(f, P_REPORT, true))) {
        snprintf(s->res->error, sizeof s->res->error, "cannot make a pipe: %s", strerror(errno));
        return false;
    }
    return true;
}

/* The parent's ends become the session's channels, non-blocking: a
 * program must not be able to block the grader. */
static void keep_parent_ends(struct session *s, struct run_fds *f)
{
    static const enum run_pipe read_from[CH_COUNT] = {[CH_OUT] = P_OUT, [CH_ERR] = P_ERR, [CH_LOG] = P_LOG,
                                                      [CH_INFO] = P_INFO, [CH_REPORT] = P_REPORT};
    struct stat st;

    for (int k = 0; k < CH_COUNT; k++) {
        s->ch[k].fd = f->parent[read_from[k]];
        if (s->ch[k].fd >= 0)
            fcntl(s->ch[k].fd, F_SETFL, O_NONBLOCK);
    }
    s->feed = f->parent[P_IN];
    s->ack = f->parent[P_ACK];
    if (s->feed >= 0) {
        fcntl(s->feed, F_SETFL, O_NONBLOCK);
        if (fstat(s->feed, &st) == 0) {
            s->feed_dev = st.st_dev;
            s->feed_ino = st.st_ino;
        }
    }
    if (s->ack >= 0)
        fcntl(s->ack, F_SETFL, O_NONBLOCK);
    close_fds(f->child, P_COUNT);
}

/* The sandbox the run is launched in: the spec's, with mminit visible. */
static const struct sandbox *run_sandbox(struct session *s)
{
    size_t n = 0;

    if (!s->spec->sandbox)
        return NULL;
    s->sandbox = *s->spec->sandbox;
    while (n < SANDBOX_MAX_RO_PATHS && s->sandbox.ro_paths[n])
        n++;
    if (s->spec->init && n < SANDBOX_MAX_RO_PATHS)
        s->sandbox.ro_paths[n] = s->spec->init;
    return &s->sandbox;
}

static bool fork_program(struct session *s)
{
    struct run_fds f;
    char *const base_env[] = {"PATH=/usr/local/bin:/usr/bin:/bin", "LC_ALL=C", "TERM=dumb", NULL};

    memset(&f, -1, sizeof f);
    run_argv(s->spec, &s->argv, &s->env);
    /* without mminit, the program takes its variables straight */
    sandbox_launch(run_sandbox(s), s->spec->workdir, s->argv.items, base_env, s->spec->init ? NULL : s->env.items,
                   INFO_FD, &s->launch);
    if (!open_fds(s, &f)) {
        close_fds(f.parent, P_COUNT);
        close_fds(f.child, P_COUNT);
        return false;
    }
    s->pid = fork();
    if (s->pid < 0) {
        snprintf(s->res->error, sizeof s->res->error, "cannot fork: %s", strerror(errno));
        close_fds(f.parent, P_COUNT);
        close_fds(f.child, P_COUNT);
        return false;
    }
    if (s->pid == 0)
        child_exec(s, &f);
    keep_parent_ends(s, &f);
    return true;
}

struct session *session_start(const struct run_spec *spec, struct run_result *res)
{
    struct session *s = xcalloc(1, sizeof *s);

    memset(res, 0, sizeof *res);
    s->spec = spec;
    s->res = res;
    s->feed = s->ack = s->pidfd = -1;
    for (int k = 0; k < CH_COUNT; k++)
        s->ch[k].fd = -1;
    s->ch[CH_INFO].buf.limit = s->ch[CH_REPORT].buf.limit = INFO_CAP;
    if (spec->limits)
        s->ch[CH_OUT].buf.limit = s->ch[CH_ERR].buf.limit = spec->limits->output_bytes;
    s->page_size = sysconf(_SC_PAGESIZE);
    s->started = session_now();
    s->deadline = s->started + spec->timeout_s;
    s->wait_ms = POLL_MIN_MS;
    if (spec->timeout_s <= 0)
        snprintf(res->error, sizeof res->error, "the submission's time was used up before this run");
    if (spec->timeout_s <= 0 || !fork_program(s)) {
        session_finish(s);
        return NULL;
    }
    reaper_keep(s->pid);
    s->pidfd = (int)syscall(SYS_pidfd_open, s->pid, 0);
    if (!s->launch.via_bwrap)
        s->first = s->pid;
    res->started = true;
    return s;
}

size_t session_pollfds(const struct session *s, struct pollfd *fds, size_t max, int *timeout_ms)
{
    double left = s->deadline - session_now();
    size_t n = 0;

    for (int k = 0; k < CH_COUNT && n < max; k++)
        if (s->ch[k].fd >= 0)
            fds[n++] = (struct pollfd){.fd = s->ch[k].fd, .events = POLLIN};
    if (s->pidfd >= 0 && n < max)
        fds[n++] = (struct pollfd){.fd = s->pidfd, .events = POLLIN};
    *timeout_ms = left * 1000 < s->wait_ms ? (int)(left * 1000) + 1 : s->wait_ms;
    if (*timeout_ms < 0)
        *timeout_ms = 0;
    return n;
}

/* How the run ended: as mminit saw the program end, or else as the
 * grader's child ended (bwrap exits 128 + N for a program killed by N). */
static void reap(struct session *s, int status)
{
    struct run_result *r = s->res;
    bool from_bwrap = !s->ended && s->launch.via_bwrap;

    drain_all(s);
    if (s->ended)
        status = s->end_status;
    if (WIFEXITED(status)) {
        r->exited = true;
        r->exit_code = WEXITSTATUS(status);
        if (from_bwrap && r->exit_code > 128 && r->exit_code < 128 + NSIG) {
            r->exited = false;
            r->term_signal = r->exit_code - 128;
            r->exit_code = 0;
        }
    } else if (WIFSIGNALED(status)) {
        r->term_signal = WTERMSIG(status);
    }
    reaper_release(s->pid);
    s->pid = -s->pid; /* reaped: never signal that number again */
}

/* What the program was doing when its time ran out, for feedback. */
static void note_activity(struct session *s)
{
    static const struct {
        long nr;
        const char *what;
    } calls[] = {
        {SYS_nanosleep, "sleeping (sleep, usleep or nanosleep)"},
        {SYS_clock_nanosleep, "sleeping (sleep, usleep or nanosleep)"},
        {SYS_wait4, "waiting for a child process to end"},
        {SYS_waitid, "waiting for a child process to end"},
        {SYS_rt_sigsuspend, "waiting for a signal (pause or sigsuspend)"},
        {SYS_ppoll, "waiting in poll or select"},
        {SYS_pselect6, "waiting in poll or select"},
        {SYS_futex, "waiting on a lock (futex)"},
#ifdef SYS_pause
        {SYS_pause, "waiting for a signal (pause or sigsuspend)"},
#endif
#ifdef SYS_poll
        {SYS_poll, "waiting in poll or select"},
#endif
#ifdef SYS_select
        {SYS_select, "waiting in poll or select"},
#endif
    };
    struct run_result *r = s->res;
    unsigned long arg0;
    long nr = s->obs > 0 ? syscall_read_blocked(s->obs, &arg0) : -2;

    if (nr == -1 || (nr == -2 && s->obs > 0 && stat_read_state(s->obs) == 'R'))
        snprintf(r->activity, sizeof r->activity, "running on the CPU, in a loop that did not end");
    else if (nr == SYS_read && arg0 == 0)
        snprintf(r->activity, sizeof r->activity, "waiting to read its standard input");
    else if (nr == SYS_read)
        snprintf(r->activity, sizeof r->activity, "blocked reading file descriptor %lu, not its standard input", arg0);
    for (size_t i = 0; nr >= 0 && r->activity[0] == '\0' && i < sizeof calls / sizeof calls[0]; i++)
        if (calls[i].nr == nr)
            snprintf(r->activity, sizeof r->activity, "%s", calls[i].what);
    if (r->activity[0] == '\0' && nr >= 0)
        snprintf(r->activity, sizeof r->activity, "blocked in system call %ld", nr);
}

bool session_step(struct session *s)
{
    size_t before = s->ch[CH_OUT].buf.len + s->ch[CH_ERR].buf.len + s->calls.count;
    int status;

    drain_all(s);
    if (s->ch[CH_OUT].buf.capped || s->ch[CH_ERR].buf.capped) {
        s->res->output_capped = true;
        return true;
    }
    if (waitpid(s->pid, &status, WNOHANG) == s->pid) {
        reap(s, status);
        return true;
    }
    if (session_now() >= s->deadline) {
        s->res->timed_out = true;
        note_activity(s);
        return true;
    }
    if (session_is_paused(s)) {
        take_pause(s);
        answer_pause(s);
        s->wait_ms = POLL_MIN_MS;
        return false;
    }
    /* nothing happened: look at /proc less often, up to POLL_MAX_MS */
    if (s->ch[CH_OUT].buf.len + s->ch[CH_ERR].buf.len + s->calls.count != before)
        s->wait_ms = POLL_MIN_MS;
    else if (s->wait_ms < POLL_MAX_MS)
        s->wait_ms *= 2;
    return false;
}

void session_finish(struct session *s)
{
    struct run_result *r = s->res;
    int status;

    if (s->pid > 0) {
        kill(-s->pid, SIGKILL);
        kill(s->pid, SIGKILL);
        if (waitpid(s->pid, &status, 0) == s->pid)
            reap(s, status);
    }
    /* Whatever the program started (ps, a shell) goes with it, and what
     * left its process group too. */
    if (s->pid < 0)
        kill(s->pid, SIGKILL);
    if (r->started)
        reaper_kill_strays();
    drain_all(s);
    for (int k = 0; k < CH_COUNT; k++)
        close_fds(&s->ch[k].fd, 1);
    close_fds((int[]){s->feed, s->ack, s->pidfd}, 3);
    r->out = s->ch[CH_OUT].buf.data ? s->ch[CH_OUT].buf.data : xstrdup("");
    r->out_len = s->ch[CH_OUT].buf.len;
    r->err = s->ch[CH_ERR].buf.data ? s->ch[CH_ERR].buf.data : xstrdup("");
    r->err_len = s->ch[CH_ERR].buf.len;
    r->calls = s->calls.items;
    r->ncalls = s->calls.count;
    r->seconds = session_now() - s->started;
    if (r->started && s->spec->init && !r->parent_pid) {
        /* mminit never said "self": the grader's own process did not run,
         * and nothing of the student's was observed */
        r->started = false;
        snprintf(r->error, sizeof r->error, "the grader's mminit did not start: %.200s", r->err_len ? r->err : "no message");
        text_trim_end(r->error);
    }
    bytes_free(&s->ch[CH_INFO].buf);
    bytes_free(&s->ch[CH_REPORT].buf);
    shimlog_free(&s->log);
    launch_free(&s->launch);
    strvec_free(&s->argv);
    strvec_free(&s->env);
    free(s);
}

void session_run(const struct run_spec *spec, struct run_result *res)
{
    struct session *s = session_start(spec, res);
    struct pollfd fds[CH_COUNT + 1];
    int timeout_ms;

    if (!s)
        return;
    while (!session_step(s)) {
        size_t n = session_pollfds(s, fds, CH_COUNT + 1, &timeout_ms);

        poll(fds, n, timeout_ms);
    }
    session_finish(s);
}

const char *session_describe_end(const struct run_result *r, char *buf, size_t cap)
{
    if (!r->started)
        snprintf(buf, cap, "could not be started: %.200s", r->error);
    else if (r->timed_out && r->activity[0])
        snprintf(buf, cap, "was still running after the time limit, %.120s, and was killed", r->activity);
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
    for (size_t i = 0; i < r->ncalls; i++)
        shim_call_free(&r->calls[i]);
    free(r->calls);
    free(r->out);
    free(r->err);
    memset(r, 0, sizeof *r);
}

#define RUN_ALL_MAX 48 /* a submission's runs: 3 + 11 + 11 for the programs, 9 for the script */

void session_run_all(const struct run_spec *const *specs, struct run_result *const *results, size_t n)
{
    struct session *live[RUN_ALL_MAX];
    size_t active = 0;

    for (size_t i = 0; i < n; i += RUN_ALL_MAX) { /* more than that: in rounds */
        for (size_t k = i; k < n && k < i + RUN_ALL_MAX; k++)
            if ((live[active] = session_start(specs[k], results[k])))
                active++;
        while (active > 0) {
            struct pollfd fds[RUN_ALL_MAX * (CH_COUNT + 1)];
            size_t nfds = 0, first[RUN_ALL_MAX], count[RUN_ALL_MAX], kept = 0;
            double due[RUN_ALL_MAX];
            int timeout = POLL_MAX_MS;

            for (size_t k = 0; k < active; k++) {
                int t;

                first[k] = nfds;
                count[k] = session_pollfds(live[k], fds + nfds, sizeof fds / sizeof fds[0] - nfds, &t);
                nfds += count[k];
                due[k] = session_now() + t / 1000.0;
                timeout = t < timeout ? t : timeout;
            }
            poll(fds, nfds, timeout);
            for (size_t k = 0; k < active; k++) {
                /* each run is looked at when it has news or its own wait is up */
                bool woken = session_now() >= due[k];

                for (size_t f = first[k]; f < first[k] + count[k]; f++)
                    woken |= fds[f].revents != 0;
                if (woken && session_step(live[k]))
                    session_finish(live[k]);
                else
                    live[kept++] = live[k];
            }
            active = kept;
        }
    }
}
