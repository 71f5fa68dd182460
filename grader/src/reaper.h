/* reaper.h - what the grader does for its whole life about processes it
 * did not mean to keep: it adopts the orphans of student code and kills
 * every such process, but the ones it spares. */
#ifndef MMGRADE_REAPER_H
#define MMGRADE_REAPER_H

#include <sys/types.h>

/* Makes orphans of the grader's descendants its children rather than
 * init's, so that a double-forked daemon can still be found and killed.
 * Call once, early. */
void reaper_adopt_orphans(void);
/* Kills every child of the grader's but the spared, and theirs, until none
 * is left. */
void reaper_kill_strays(void);
/* A process of the grader's own (a live target) that reaper_kill_strays
 * must leave alone; 0 to spare none. */
void reaper_spare(pid_t pid);

#endif
