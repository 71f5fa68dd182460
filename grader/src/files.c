/* files.c - the file operations grading needs: read a small file whole,
 * copy a student's file into a run's folder, remove a folder and all it
 * holds, make folders, write a file whole or not at all. */
#define _GNU_SOURCE
#include "files.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "xalloc.h"

char *files_read(const char *path, size_t max, size_t *len)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    size_t used = 0, cap = max < 4096 ? max : 4096;
    char *buf;

    if (fd < 0)
        return NULL;
    buf = xmalloc(cap + 1);
    for (;;) {
        ssize_t n;

        if (used == cap) {
            if (cap >= max)
                break;
            cap = cap * 2 > max ? max : cap * 2;
            buf = xrealloc(buf, cap + 1);
        }
        n = read(fd, buf + used, cap - used);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            int saved = errno;

            free(buf);
            close(fd);
            errno = saved;
            return NULL;
        }
        if (n == 0)
            break;
        used += (size_t)n;
    }
    close(fd);
    buf[used] = '\0';
    if (len)
        *len = used;
    return buf;
}

bool files_copy(const char *from, const char *to, size_t max)
{
    size_t len = 0;
    char *text = files_read(from, max + 1, &len);
    FILE *out = text && len <= max ? fopen(to, "w") : NULL;
    bool ok = out && fwrite(text, 1, len, out) == len;

    if (out && fclose(out) != 0)
        ok = false;
    free(text);
    return ok;
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    remove(path);
    return 0;
}

void files_remove_tree(const char *path)
{
    nftw(path, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

bool files_make_dirs(const char *path)
{
    char buf[PATH_MAX];
    struct stat st;

    if (snprintf(buf, sizeof buf, "%s", path) >= (int)sizeof buf) {
        errno = ENAMETOOLONG;
        return false;
    }
    for (char *p = buf + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(buf, 0755) != 0 && errno != EEXIST)
            return false;
        *p = '/';
    }
    if (mkdir(buf, 0755) != 0 && errno != EEXIST)
        return false;
    if (stat(buf, &st) != 0 || !S_ISDIR(st.st_mode)) {
        errno = ENOTDIR;
        return false;
    }
    return true;
}

bool files_make_scratch(const char *name, char *out, size_t cap)
{
    if (snprintf(out, cap, "/var/tmp/%s.XXXXXX", name) >= (int)cap) {
        errno = ENAMETOOLONG;
        return false;
    }
    if (mkdtemp(out))
        return true;
    snprintf(out, cap, "/tmp/%s.XXXXXX", name);
    return mkdtemp(out) != NULL;
}

bool files_write_whole(const char *path, bool (*write)(const void *ctx, FILE *f), const void *ctx)
{
    char tmp[PATH_MAX + 8];
    FILE *f;
    bool ok;
    int saved;

    if (snprintf(tmp, sizeof tmp, "%s.part", path) >= (int)sizeof tmp) {
        errno = ENAMETOOLONG;
        return false;
    }
    if (!(f = fopen(tmp, "w")))
        return false;
    ok = write(ctx, f);
    ok = fclose(f) == 0 && ok && rename(tmp, path) == 0;
    if (!ok) {
        saved = errno;
        unlink(tmp);
        errno = saved;
    }
    return ok;
}

static bool write_string(const void *text, FILE *f)
{
    return fputs(text, f) >= 0;
}

bool files_write_text(const char *path, const char *text)
{
    return files_write_whole(path, write_string, text);
}
