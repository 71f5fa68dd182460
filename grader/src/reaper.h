/* reaper.h - what the grader does for its whole life about processes it
 * did not mean to keep: it adopts the orphans of student code and kills
 * every child it has but the ones it keeps (each run's first process, the
 * live target). */
#ifndef MMGRADE_REAPER_H
#define MMGRADE_REAPER_H

#include <sys/types.h>

/* Makes orphans of the grader's descendants its children rather than
 * init's, so that a double-forked daemon can still be found and killed.
 * Call once, early. */
void reaper_adopt_orphans(void);
/* A child of the grader's own that reaper_kill_strays must leave alone
 * until reaper_release: a run under way, the live target. */
void reaper_keep(pid_t pid);
void reaper_release(pid_t pid);
/* Kills every child of the grader's but the kept ones, and theirs, until
 * none is left: what a run left behind after its first process ended. */
void reaper_kill_strays(void);

#endif
