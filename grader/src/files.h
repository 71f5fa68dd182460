/* files.h - the few file operations grading needs: copy a student's file
 * into a run's folder, remove a folder and all it holds. */
#ifndef MMGRADE_FILES_H
#define MMGRADE_FILES_H

#include <stdbool.h>
#include <stddef.h>

/* Copies at most max bytes of from to to (mode 0644); false on any error,
 * or when from is larger. */
bool files_copy(const char *from, const char *to, size_t max);
/* Removes path and everything below it, links not followed. */
void files_remove_tree(const char *path);

#endif
