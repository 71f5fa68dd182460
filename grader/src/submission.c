/* submission.c - what a student handed in: which task files it holds and
 * where, and the hidden sizes drawn for it from the seed. */
#define _GNU_SOURCE
#include "submission.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "files.h"
#include "text.h"

#define SOURCE_SEED_BYTES (1u << 20) /* of each source, mixed into the seed */

/* True when the submission is in the labs layout: a folder per task. */
static bool is_labs_layout(const char *path)
{
    DIR *dir = opendir(path);
    struct dirent *e;
    bool layout = false;

    while (dir && (e = readdir(dir)))
        layout |= strncmp(e->d_name, "2.", 2) == 0 && isdigit((unsigned char)e->d_name[2]) && e->d_type == DT_DIR;
    if (dir)
        closedir(dir);
    return layout;
}

/* The task's file called name: in the labs layout, in the folder named
 * "TASK-..."; in a flat upload, at the top when flat. NULL when absent. */
static char *locate_file(const char *root, bool layout, const char *task, const char *name, bool flat)
{
    size_t tlen = strlen(task);
    char path[PATH_MAX];
    struct dirent *e;
    DIR *dir;
    char *found = NULL;

    if (!name)
        return NULL;
    if (!layout) {
        snprintf(path, sizeof path, "%s/%s", root, name);
        return flat && access(path, R_OK) == 0 ? realpath(path, NULL) : NULL;
    }
    dir = opendir(root);
    while (dir && !found && (e = readdir(dir))) {
        if (strncmp(e->d_name, task, tlen) != 0 || (e->d_name[tlen] != '-' && e->d_name[tlen] != '\0'))
            continue;
        snprintf(path, sizeof path, "%s/%s/%s", root, e->d_name, name);
        if (access(path, R_OK) == 0)
            found = realpath(path, NULL);
    }
    if (dir)
        closedir(dir);
    return found;
}

static uint64_t fnv1a(uint64_t h, const void *data, size_t n)
{
    const unsigned char *p = data;

    for (size_t i = 0; i < n; i++) {
        h ^= p[i];
        h *= 1099511628211ULL;
    }
    return h;
}

/* The secret and the C sources together: sizes differ between students,
 * and a student cannot predict them without the secret. */
static uint64_t seed_from(const char *secret, char *const *files)
{
    uint64_t h = 14695981039346656037ULL;

    if (secret)
        h = fnv1a(h, secret, strlen(secret));
    for (int k = TASK_2_1; k <= TASK_2_3; k++) {
        size_t len = 0;
        char *text = files[k] ? files_read(files[k], SOURCE_SEED_BYTES, &len) : NULL;

        if (text)
            h = fnv1a(h, text, len);
        free(text);
    }
    return h & 0xffffffffu;
}

void submission_sizes(uint64_t seed, long page, uint64_t *small, uint64_t *large)
{
    *small = 4097 + seed % 61440;
    if (*small % (uint64_t)page == 0)
        (*small)++;
    *large = (64u << 20) + 1 + (seed >> 16) % 4000;
}

bool submission_open(const char *path, const bool named[TASK_COUNT], const struct seed_source *seed,
                     struct submission *out, char *err, size_t cap)
{
    struct stat st;

    memset(out, 0, sizeof *out);
    if (stat(path, &st) != 0 || !S_ISDIR(st.st_mode)) {
        snprintf(err, cap, "cannot grade '%s': not a folder", path);
        return false;
    }
    out->shown = text_clean(path); /* a folder name is not always UTF-8 */
    out->labs_layout = is_labs_layout(path);
    for (int k = 0; k < TASK_COUNT; k++) {
        const struct task_def *t = &catalog_tasks[k];
        bool flat = t->flat || named[k];

        out->files[k] = locate_file(path, out->labs_layout, t->id, t->file, flat);
        if (!out->files[k])
            out->files[k] = locate_file(path, out->labs_layout, t->id, t->alias, flat);
        out->reports[k] = t->has_report ? locate_file(path, out->labs_layout, t->id, "REPORT.md", flat) : NULL;
    }
    out->seed = seed->fixed ? seed->seed : seed_from(seed->secret, out->files);
    submission_sizes(out->seed, sysconf(_SC_PAGESIZE), &out->small_size, &out->large_size);
    return true;
}

void submission_free(struct submission *s)
{
    for (int k = 0; k < TASK_COUNT; k++) {
        free(s->files[k]);
        free(s->reports[k]);
    }
    free(s->shown);
    memset(s, 0, sizeof *s);
}
