/* program_judge.h - the checks of tasks 2.1-2.3 as pure functions over
 * what the scenarios recorded: no process is run here, so each verdict can
 * be tested on recorded or hand-made observations. */
#ifndef MMGRADE_PROGRAM_JUDGE_H
#define MMGRADE_PROGRAM_JUDGE_H

#include <stdbool.h>
#include <stdint.h>

#include "../output.h"
#include "../result.h"
#include "../session.h"
#include "catalog.h"
#include "tolerances.h"

/* Everything the scenarios of one program recorded. */
struct observations {
    enum task_id task;       /* TASK_2_1, TASK_2_2 or TASK_2_3 */
    const char *program;     /* the binary's name, for "Reproduce:" lines */
    const char *shim;        /* mmshim.so's path, for "Reproduce:" lines */
    uint64_t page;
    uint64_t small_size, large_size;
    bool read_allocates;     /* this kernel gives a page only read memory of its own */
    bool read_fault_forced;  /* ... as MMGRADE_READ_FAULT said, not as probed */
    struct run_result runs[SCENARIO_COUNT];
    bool ran[SCENARIO_COUNT];           /* valgrind's run is not when it is absent */
    struct program_output out[SCENARIO_COUNT]; /* of the sized runs: default, small, large */
    char *vg_log;            /* valgrind's report, NULL when it left none */
};

/* Adds every check of o's task that its runs decide (all but build and the
 * report's) to t, judged, and the timeline of the large-size run: the one
 * entry point, for the grader and for the tests alike. */
void judge_program_task(const struct observations *o, struct task_result *t);

#endif
