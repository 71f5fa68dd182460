/* session.h - run one student program under observation: stdin a pipe only
 * the grader writes, stdout a pseudo-terminal, stderr a pipe; detect each
 * pause without races, snapshot /proc there, answer with one newline. A
 * run is a state machine driven by poll, so that runs can share a loop. */
#ifndef MMGRADE_SESSION_H
#define MMGRADE_SESSION_H

#include <stdbool.h>
#include <stddef.h>
#include <poll.h>
#include <stdint.h>
#include <sys/types.h>

#include "procfs.h"
#include "sandbox.h"
#include "shimlog.h"

/* What a run of student code may use (docs/grader.md, "Limits"); a field
 * at 0 sets no limit. Children inherit them: ps, sh, anything it starts. */
struct run_limits {
    double cpu_s;           /* RLIMIT_CPU: a spinning loop gets SIGXCPU, then SIGKILL */
    uint64_t memory_bytes;  /* RLIMIT_AS */
    uint64_t file_bytes;    /* RLIMIT_FSIZE: no file larger */
    uint64_t open_files;    /* RLIMIT_NOFILE */
    size_t output_bytes;    /* stdout and stderr kept each; past it the run is stopped */
    uint64_t processes;     /* RLIMIT_NPROC, only as the sandbox's own user (it
                             * counts every process of the user) */
};

struct run_spec {
    const char *init;          /* mminit, the run's first process (it starts the
                                * program, reaps and ends what it leaves);
                                * NULL: the program is the first */
    const char *decoy;         /* the name of mminit's decoy, or NULL for none */
    const char *program;       /* path of the binary */
    const char *const *args;   /* arguments after argv[0], NULL-terminated */
    const char *workdir;       /* the run's scratch folder */
    const char *shim;          /* mmshim.so, or NULL not to preload it */
    bool stdin_eof;            /* stdin at end-of-file from the start */
    bool inject_mmap_failure;
    long ballast_kib;
    const char *valgrind_log;  /* run under valgrind, report to this file */
    const char *valgrind;      /* valgrind's path, with valgrind_log */
    double timeout_s;
    bool count_zero_pages;     /* at pauses, count own pages that hold only zeros */
    const struct run_limits *limits; /* NULL: none */
    const struct sandbox *sandbox;   /* NULL: none */
};

/* The pages of one of the program's own mappings, seen at a pause. */
struct residency {
    uint64_t start, end;
    size_t own, total;
    size_t own_zero;        /* own pages holding only zeros (count_zero_pages) */
};

struct pause_snapshot {
    size_t out_offset;      /* bytes of stdout printed before the pause */
    size_t calls_before;    /* program mmap/munmap calls made before it */
    bool status_ok, maps_ok;
    struct proc_status status;
    struct maps maps;
    struct residency *residency;
    size_t nresidency;
};

struct run_result {
    bool started;
    bool exited;             /* exited normally: exit_code is valid */
    int exit_code;
    int term_signal;         /* killed by this signal, or 0 */
    bool timed_out;
    bool output_capped;
    bool pauses_capped;
    char *out;               /* stdout as printed, "\r\n" left as is */
    size_t out_len;
    char *err;
    size_t err_len;
    struct shim_call *calls; /* the program's own calls (its PID only); owned */
    size_t ncalls;
    struct pause_snapshot *pauses;
    size_t npauses;
    pid_t pid;               /* the program, as the grader sees it */
    pid_t self_pid;          /* the program, as it sees itself (its PID namespace's) */
    pid_t parent_pid;        /* its parent (mminit), as the program sees it; 0 unknown */
    pid_t decoy_pids[2];     /* the decoys of its name, as the program sees them; 0 none */
    double seconds;
    char error[256];         /* why it could not be run, when !started */
    char activity[160];      /* timed out: what the program was doing then
                              * ("sleeping in nanosleep", "running on the CPU") */
};

/* A run under way; see session_run for the whole of one. */
struct session;

/* Starts spec's run and returns it, or NULL when it could not be started
 * (result->error says why; result is then final). */
struct session *session_start(const struct run_spec *spec, struct run_result *result);
/* The descriptors the run waits on (at most max), and in *timeout_ms how
 * long it may wait before it must look at /proc again: a blocked read
 * raises no event. */
size_t session_pollfds(const struct session *s, struct pollfd *fds, size_t max, int *timeout_ms);
/* Moves the run on: reads what arrived, reaps the program when it ended,
 * answers a pause. True when the run is over (ended, timed out, capped). */
bool session_step(struct session *s);
/* Ends the run: kills what is left of it, completes its result, frees s. */
void session_finish(struct session *s);

/* Runs spec to its end (or its time limit) and fills *result. Then every
 * process it left behind is killed, daemons included (see reaper.h). */
void session_run(const struct run_spec *spec, struct run_result *result);
/* Runs specs[0, n) side by side, each as session_run would, results[i]
 * spec i's: independent runs are mostly waiting (for a pause to be seen,
 * for ps), so that n of them take about as long as the longest. */
void session_run_all(const struct run_spec *const *specs, struct run_result *const *results, size_t n);
void session_result_free(struct run_result *result);
/* How the run ended, for feedback: "exited with status 1", "was killed by
 * signal 11 (Segmentation fault)", "was still running after the time
 * limit and was killed", ... Returns buf. */
const char *session_describe_end(const struct run_result *r, char *buf, size_t cap);
/* Seconds on the monotonic clock. */
double session_now(void);

#endif
