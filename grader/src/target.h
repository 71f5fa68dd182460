/* target.h - start and stop the grader's own live process (mmtarget), the
 * process task 2.5's script is run on. */
#ifndef MMGRADE_TARGET_H
#define MMGRADE_TARGET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "sandbox.h"

struct target {
    pid_t pid;            /* the target itself */
    pid_t child;          /* the grader's child: the target, or bwrap around it */
    int feed;             /* its stdin: closing it lets it exit */
    uint64_t addr, len;   /* the anonymous mapping it wrote */
};

/* Starts path (in sb when not NULL, with workdir as its folder) and waits,
 * at most timeout_s, for it to report its mapping. False, with why in err,
 * when it does not. */
bool target_start(const char *path, const struct sandbox *sb, const char *workdir, double timeout_s, struct target *t,
                  char *err, size_t cap);
/* Ends the target and reaps it. */
void target_stop(struct target *t);

#endif
