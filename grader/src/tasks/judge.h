/* judge.h - the checks of tasks 2.1-2.3 as pure functions over what the
 * scenarios recorded: no process is run here, so each verdict can be
 * tested on recorded or hand-made observations. */
#ifndef MMGRADE_JUDGE_H
#define MMGRADE_JUDGE_H

#include <stdbool.h>
#include <stdint.h>

#include "../output.h"
#include "../result.h"
#include "../session.h"

#define BALLAST_KIB (16 * 1024)  /* mapped into the program before main */
#define HONEST_TOLERANCE_KIB 512 /* stdio buffers, heap creation, fault-around */
#define RSS_AT_MMAP_SLACK_KIB 1024
/* A table printed while system() runs ps may count the ~36 KiB stack glibc's
 * posix_spawn maps for a moment: VSZ readings of one run differ by that much
 * without the program mapping anything. Only the large size is exact. */
#define VSZ_NOISE_KIB 64

/* The contract's invalid arguments, one scenario each. */
#define JUDGE_NBAD 5
extern const char *const judge_bad_args[JUDGE_NBAD][3];

/* Everything the scenarios of one program recorded. */
struct observations {
    const char *task;        /* "2.1", "2.2" or "2.3" */
    const char *program;     /* the binary's name, for "Try:" lines */
    const char *shim;        /* mmshim.so's path, for "Reproduce:" lines */
    uint64_t page;
    uint64_t small_size, large_size;
    struct run_result def, small, large, fail, eof, vg, bad[JUDGE_NBAD];
    struct program_output out_def, out_small, out_large;
    bool read_allocates;     /* this kernel gives a page only read memory of its own */
    bool read_fault_forced;  /* ... as MMGRADE_READ_FAULT said, not as probed */
    bool vg_ran;
    char *vg_log;            /* valgrind's report, NULL when it left none */
};

/* The lab's mapping in a run: the program's own successful anonymous mmap
 * whose length is size in whole pages, or else the largest; NULL if none. */
const struct shim_call *judge_find_mapping(const struct run_result *r, uint64_t size, uint64_t page);

void judge_runs(const struct observations *o, struct check_result *c);
void judge_stages(const struct observations *o, struct check_result *c);
void judge_honest(const struct observations *o, struct check_result *c);
void judge_vsz_grows(const struct observations *o, struct check_result *c);
void judge_rss_order(const struct observations *o, struct check_result *c);
/* pauses, lazy, resident and region judge the same pause snapshots. */
void judge_pause_family(const struct observations *o, struct check_result *pauses, struct check_result *lazy,
                        struct check_result *resident, struct check_result *region);
void judge_munmap(const struct observations *o, struct check_result *c);
void judge_mmap_failure(const struct observations *o, struct check_result *c);
void judge_size_arg(const struct observations *o, struct check_result *c);
void judge_valgrind(const struct observations *o, struct check_result *c);
void judge_maps_page(const struct observations *o, struct check_result *c);
void judge_uses_memory(const struct observations *o, struct check_result *c);
/* The per-stage timeline of the large-size run, for the text report. */
void judge_timeline(const struct observations *o, struct task_result *t);

#endif
