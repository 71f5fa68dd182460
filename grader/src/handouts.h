/* handouts.h - what students were given, compiled into the grader from
 * labs/ (their one source): each task's report template, and the sample
 * outputs of the handouts, which a report must not pass off as its own. */
#ifndef MMGRADE_HANDOUTS_H
#define MMGRADE_HANDOUTS_H

#include <stddef.h>

/* The template of task's REPORT.md, or NULL when the task has none. */
const char *template_report(const char *task);

struct handout_sample {
    const char *task;    /* "2.3" */
    const char *command; /* what printed it: "./mmap_demo 67108864" */
    const char *text;    /* what it printed */
};

/* The sample outputs of the handouts of 2.1-2.3, and their count. */
extern const struct handout_sample handout_samples[];
extern const size_t handout_sample_count;

#endif
