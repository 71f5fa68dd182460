/* files.h - the file operations grading needs: read a small file whole,
 * copy a student's file into a run's folder, remove a folder and all it
 * holds, make folders, write a file whole or not at all. */
#ifndef MMGRADE_FILES_H
#define MMGRADE_FILES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

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
/* Makes a fresh folder "/var/tmp/NAME.XXXXXX" (else in /tmp, where a
 * script's own /tmp cannot be watched) into out, of cap bytes; false with
 * errno set when neither can be made. */
bool files_make_scratch(const char *name, char *out, size_t cap);
/* Writes path whole or not at all: write(ctx, f) into "PATH.part", which
 * then replaces path, so that a reader never sees half of it. False with
 * errno set (the part removed) when it could not be. */
bool files_write_whole(const char *path, bool (*write)(const void *ctx, FILE *f), const void *ctx);
/* files_write_whole of text (a NUL-terminated string). */
bool files_write_text(const char *path, const char *text);

#endif
