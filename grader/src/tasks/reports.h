/* reports.h - the checks of the students' reports (REPORT.md of tasks
 * 2.1-2.4): complete, consistent with itself and with the kernel, and
 * naming the ideas the questions ask about. Pure functions over text. */
#ifndef MMGRADE_REPORTS_H
#define MMGRADE_REPORTS_H

#include <stddef.h>

#include "../mdreport.h"
#include "../result.h"

/* The lines [begin, end) of a report that belong to one task. */
struct report_part {
    const struct md_report *md;
    size_t begin, end;
};

/* The part of r about task: in a report of several tasks (a flat upload's
 * REPORT.md), the section under a top heading naming the task; else all. */
struct report_part report_part_of(const struct md_report *r, const char *task);

/* No placeholder left from the template, no empty table cell, every
 * heading of the template present. */
void judge_report_complete(const struct report_part *p, const struct md_report *tmpl, struct check_result *c);
/* Task 2.3: the stage tables, maps excerpts and stated sizes agree with
 * each other and with how the kernel behaves. */
void judge_report_consistent(const struct report_part *p, struct check_result *c);
/* Task 2.4: each question answered in sentences that name its ideas; the
 * answers are quoted in the feedback for the instructor. */
void judge_report_concepts(const struct report_part *p, const struct md_report *tmpl, struct check_result *c);

/* Judges text (NULL: no report) as t's task's REPORT.md: adds the task's
 * report checks to t. The one entry point, for the grader, the tests and
 * the fuzzer alike. */
void judge_report_text(const char *text, size_t len, struct task_result *t);
/* Reads the REPORT.md at path (NULL: absent) and judges it into t. */
void grade_report_file(const char *path, struct task_result *t);

#endif
