/* script_judge.h - the checks of task 2.5 (analyse.sh) as pure functions
 * over what its runs recorded. */
#ifndef MMGRADE_SCRIPT_JUDGE_H
#define MMGRADE_SCRIPT_JUDGE_H

#include <stdbool.h>
#include <stdint.h>

#include "../procfs.h"
#include "../result.h"
#include "../session.h"

#define SCRIPT_USAGE_CASES 3
#define SCRIPT_MAX_FILES 8

/* The usage scenarios: no argument, two (each a live PID the script could
 * read: the target's), one that is not a number. */
extern const char *const script_usage_names[SCRIPT_USAGE_CASES];

struct script_observations {
    const char *script;           /* its file name as submitted */
    bool shellcheck_ran;
    struct run_result shellcheck; /* shellcheck -f json1 */
    char shellcheck_version[32];
    struct run_result usage[SCRIPT_USAGE_CASES];
    char usage_args[SCRIPT_USAGE_CASES][2][24]; /* "" when absent */
    long bad_pid;                 /* above pid_max: no process can have it */
    struct run_result bad;
    long unreadable_pid;          /* a process of root's, when the script runs as */
    struct run_result unreadable; /* another user: its maps cannot be read; 0: not tried */
    bool target_ok;               /* the grader's own target started */
    char target_error[256];
    long target_pid;
    uint64_t target_addr, target_len;
    struct run_result live;
    bool status_ok;               /* the target's status and maps as the */
    struct proc_status status;    /* script finished */
    char *maps;
    char *written[SCRIPT_MAX_FILES]; /* files the runs left in their folder, */
    size_t nwritten;
    char *tmp_written[SCRIPT_MAX_FILES]; /* ... and in /tmp */
    size_t ntmp_written;
    bool tmp_watched;             /* its /tmp was a folder of the grader's */
};

/* Adds task 2.5's checks to t, judged: the one entry point, for the
 * grader, the tests and the fuzzer alike. */
void judge_script_task(const struct script_observations *o, struct task_result *t);

#endif
