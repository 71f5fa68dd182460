/* files.h - the file operations grading needs: read a small file whole,
 * copy a student's file into a run's folder, remove a folder and all it
 * holds. */
#ifndef MMGRADE_FILES_H
#define MMGRADE_FILES_H

#include <stdbool.h>
#include <stddef.h>

/* Reads at most max bytes of path into a NUL-terminated malloc'd buffer
 * (*len, when not NULL, gets their number); NULL when it cannot be opened
 * or read, with errno saying why. */
char *files_read(const char *path, size_t max, size_t *len);
/* Copies at most max bytes of from to to (mode 0644); false on any error,
 * or when from is larger. */
bool files_copy(const char *from, const char *to, size_t max);
/* Removes path and everything below it, links not followed. */
void files_remove_tree(const char *path);
/* Makes folder path and the folders above it (0755), as mkdir -p; false
 * with errno set when one cannot be made. */
bool files_make_dirs(const char *path);

#endif
