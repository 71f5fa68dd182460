/* common.h - what the renderers say alike: a status's word, the kernel's
 * read fault, the note of an incomplete grading. */
#ifndef MMGRADE_RENDER_COMMON_H
#define MMGRADE_RENDER_COMMON_H

#include "../result.h"

/* "passed", "failed", "not run". */
const char *render_status_word(enum check_status s);
/* What a read of a fresh page does on the grading machine. */
const char *render_read_fault(const struct grade_report *r);
/* " (incomplete: some checks were not run)", or "". */
const char *render_incomplete_note(const struct grade_report *r);
const char *render_isolation(const struct grade_report *r);

#endif
