/* grade.h - grade one task of a submission: build or copy it once, run
 * each scenario once, then judge every check from what was observed. */
#ifndef MMGRADE_GRADE_H
#define MMGRADE_GRADE_H

#include <stdbool.h>
#include <stdint.h>

#include "result.h"
#include "session.h"

struct grade_config {
    const char *gcc;        /* path of the compiler */
    const char *valgrind;   /* path of valgrind, or NULL when absent */
    const char *bash;       /* path of bash, which runs analyse.sh */
    const char *shellcheck; /* path of shellcheck, or NULL when absent */
    const char *shim;       /* path of mmshim.so */
    const char *target;     /* path of mmtarget, the live process of 2.5 */
    const char *scratch;    /* a private folder for builds and runs */
    double timeout_s;       /* per run of student code */
    struct run_limits limits; /* per run of student code, the compiler included */
    double deadline;        /* CLOCK_MONOTONIC seconds when the submission's time is up */
    uint64_t small_size, large_size;
    bool verbose;           /* say on stderr what is run, as it is run */
    const struct sandbox *sandbox; /* bwrap and the user to run as; NULL: unconfined */
    bool read_allocates;    /* a read of a fresh private page gives it memory of its own */
    bool read_fault_forced; /* ... as MMGRADE_READ_FAULT said, not as probed */
};

/* How long a run may take: want, or what is left of the submission's time
 * when that is less (0 or less: none left, the run is not started). */
static inline double grade_run_timeout(const struct grade_config *cfg, double want)
{
    double left = cfg->deadline - session_now();

    return left < want ? left : want;
}

/* Grades task "2.1", "2.2" or "2.3" from source into t. */
void grade_c_task(const struct grade_config *cfg, const char *task, const char *source, struct task_result *t);

/* Grades task 2.5's script at path into t. */
void grade_script_task(const struct grade_config *cfg, const char *path, struct task_result *t);

#endif
