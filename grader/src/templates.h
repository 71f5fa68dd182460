/* templates.h - the report templates students were given, compiled into
 * the grader from labs/TASK-NAME/REPORT.md (their one source). */
#ifndef MMGRADE_TEMPLATES_H
#define MMGRADE_TEMPLATES_H

/* The template of task's REPORT.md, or NULL when the task has none. */
const char *template_report(const char *task);

#endif
