/* submission.c - what a student handed in: which task files it holds and
 * where (maybe one folder down, maybe in a .zip), and the hidden sizes
 * drawn for it from the seed. */
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

#include <archive.h>
#include <archive_entry.h>

#include "files.h"
#include "text.h"
#include "xalloc.h"

#define SOURCE_SEED_BYTES (1u << 20) /* of each source, mixed into the seed */
#define ZIP_MAX_BYTES (64u << 20)     /* unpacked, in all */
#define ZIP_MAX_ENTRIES 4096

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

/* Whether an entry's name stays inside the folder it is unpacked in. */
static bool safe_entry_name(const char *name)
{
    if (name[0] == '/' || name[0] == '\0')
        return false;
    for (const char *p = name; *p;) {
        size_t n = strcspn(p, "/");

        if (n == 2 && strncmp(p, "..", 2) == 0)
            return false;
        p += n + (p[n] == '/');
    }
    return true;
}

/* Copies the entry's data, counting it against *budget; false when the
 * budget runs out or a block cannot be copied. */
static bool copy_entry(struct archive *in, struct archive *out, size_t *budget)
{
    const void *block;
    size_t size;
    la_int64_t offset;
    int r;

    while ((r = archive_read_data_block(in, &block, &size, &offset)) == ARCHIVE_OK) {
        if (size > *budget || archive_write_data_block(out, block, size, offset) != ARCHIVE_OK)
            return false;
        *budget -= size;
    }
    return r == ARCHIVE_EOF;
}

/* Unpacks the zip at path into dir: its regular files and folders only,
 * every one inside dir, ZIP_MAX_BYTES and ZIP_MAX_ENTRIES at most. */
static bool unpack_zip(const char *path, const char *dir, char *why, size_t cap)
{
    struct archive *in = archive_read_new(), *out = archive_write_disk_new();
    struct archive_entry *e;
    size_t budget = ZIP_MAX_BYTES, entries = 0;
    bool ok = true;
    int r;

    archive_read_support_format_zip(in);
    /* each entry's path is made absolute below dir after safe_entry_name */
    archive_write_disk_set_options(out, ARCHIVE_EXTRACT_SECURE_NODOTDOT | ARCHIVE_EXTRACT_SECURE_SYMLINKS);
    if (archive_read_open_filename(in, path, 65536) != ARCHIVE_OK) {
        snprintf(why, cap, "cannot read the zip '%s': %s", path, archive_error_string(in));
        ok = false;
    }
    while (ok && (r = archive_read_next_header(in, &e)) == ARCHIVE_OK) {
        char target[PATH_MAX];
        mode_t type = archive_entry_filetype(e);

        if (++entries > ZIP_MAX_ENTRIES || !safe_entry_name(archive_entry_pathname(e))) {
            snprintf(why, cap, "cannot unpack the zip '%s': %s", path,
                     entries > ZIP_MAX_ENTRIES ? "too many entries" : "an entry's path leads out of it");
            ok = false;
            break;
        }
        if (type != AE_IFREG && type != AE_IFDIR)
            continue; /* links, devices: nothing a submission needs */
        if (snprintf(target, sizeof target, "%s/%s", dir, archive_entry_pathname(e)) >= (int)sizeof target) {
            snprintf(why, cap, "cannot unpack the zip '%s': an entry's path is too long", path);
            ok = false;
            break;
        }
        archive_entry_set_pathname(e, target);
        archive_entry_set_perm(e, type == AE_IFDIR ? 0755 : 0644);
        if (archive_write_header(out, e) != ARCHIVE_OK || (type == AE_IFREG && !copy_entry(in, out, &budget))) {
            snprintf(why, cap, "cannot unpack the zip '%s': %s", path,
                     budget == 0 ? "more than 64 MiB unpacked" : archive_error_string(out));
            ok = false;
        }
    }
    if (ok && r != ARCHIVE_EOF) {
        snprintf(why, cap, "cannot unpack the zip '%s': %s", path, archive_error_string(in));
        ok = false;
    }
    archive_read_free(in);
    archive_write_free(out);
    return ok;
}

/* Whether folder dir holds what a submission holds: a task's folder
 * ("2.3-memory-usage") or a task's file at its top. */
static bool holds_tasks(const char *dir)
{
    char path[PATH_MAX];

    if (is_labs_layout(dir))
        return true;
    for (int k = 0; k < TASK_COUNT; k++) {
        const char *names[] = {catalog_tasks[k].file, catalog_tasks[k].alias};

        for (int i = 0; i < 2; i++) {
            snprintf(path, sizeof path, "%s/%s", dir, names[i] ? names[i] : "");
            if (names[i] && access(path, R_OK) == 0)
                return true;
        }
    }
    return false;
}

/* The folder whose tasks are graded: root, or else the first folder in it
 * (by name; hidden ones and a zip tool's __MACOSX aside) that holds tasks,
 * as a downloaded zip of a repository unpacks ("mmlab-main/"); NULL when
 * none holds any (then root, with nothing in it, is graded). */
static char *tasks_folder(const char *root, char **note)
{
    struct dirent **names;
    char *found = NULL, path[PATH_MAX];
    int n;

    if (holds_tasks(root))
        return xstrdup(root);
    n = scandir(root, &names, NULL, alphasort);
    for (int i = 0; i < n; i++) {
        snprintf(path, sizeof path, "%s/%s", root, names[i]->d_name);
        if (!found && names[i]->d_name[0] != '.' && strcmp(names[i]->d_name, "__MACOSX") != 0 &&
            names[i]->d_type == DT_DIR && holds_tasks(path)) {
            found = xstrdup(path);
            *note = xasprintf("graded the folder '%s/' inside the submission, where its tasks are", names[i]->d_name);
        }
        free(names[i]);
    }
    if (n >= 0)
        free(names);
    return found ? found : xstrdup(root);
}

/* A .zip to grade: path itself, or the only file of folder path when it
 * is one; NULL when there is none. */
static char *zip_of(const char *path)
{
    struct dirent **names;
    char *zip = NULL;
    int n, files = 0;
    size_t len = strlen(path);
    struct stat st;

    if (stat(path, &st) == 0 && S_ISREG(st.st_mode))
        return len > 4 && strcmp(path + len - 4, ".zip") == 0 ? xstrdup(path) : NULL;
    if ((n = scandir(path, &names, NULL, alphasort)) < 0)
        return NULL;
    for (int i = 0; i < n; i++) {
        size_t nlen = strlen(names[i]->d_name);

        if (names[i]->d_name[0] != '.') {
            files++;
            if (nlen > 4 && strcmp(names[i]->d_name + nlen - 4, ".zip") == 0 && !zip)
                zip = xasprintf("%s/%s", path, names[i]->d_name);
        }
        free(names[i]);
    }
    free(names);
    if (files != 1) {
        free(zip);
        return NULL;
    }
    return zip;
}

/* The folder to look for tasks in: path, or the zip it is (or holds)
 * unpacked into out->unpacked. */
static bool unpacked_root(const char *path, struct submission *out, char **root, char *err, size_t cap)
{
    char *zip = zip_of(path), dir[PATH_MAX];
    struct stat st;

    if (!zip) {
        if (stat(path, &st) != 0 || !S_ISDIR(st.st_mode)) {
            snprintf(err, cap, "cannot grade '%s': not a folder, nor a .zip", path);
            return false;
        }
        *root = xstrdup(path);
        return true;
    }
    if (!files_make_scratch("mmgrade-zip", dir, sizeof dir)) {
        snprintf(err, cap, "cannot make a folder to unpack '%s' into: %s", zip, strerror(errno));
        free(zip);
        return false;
    }
    out->unpacked = xstrdup(dir);
    if (!unpack_zip(zip, dir, err, cap)) {
        free(zip);
        return false;
    }
    out->note = xasprintf("unpacked %s", strrchr(zip, '/') ? strrchr(zip, '/') + 1 : zip);
    free(zip);
    *root = xstrdup(dir);
    return true;
}

bool submission_open(const char *path, const bool named[TASK_COUNT], const struct seed_source *seed,
                     struct submission *out, char *err, size_t cap)
{
    char *root, *found, *where = NULL;

    memset(out, 0, sizeof *out);
    out->shown = text_clean(path); /* a folder name is not always UTF-8 */
    if (!unpacked_root(path, out, &root, err, cap)) {
        submission_free(out); /* and what was unpacked before it failed */
        return false;
    }
    found = tasks_folder(root, &where);
    free(root);
    if (where) {
        char *both = out->note ? xasprintf("%s; %s", out->note, where) : where;

        if (both != where)
            free(where);
        free(out->note);
        out->note = both;
    }
    out->labs_layout = is_labs_layout(found);
    for (int k = 0; k < TASK_COUNT; k++) {
        const struct task_def *t = &catalog_tasks[k];
        bool flat = t->flat || named[k];

        out->files[k] = locate_file(found, out->labs_layout, t->id, t->file, flat);
        if (!out->files[k])
            out->files[k] = locate_file(found, out->labs_layout, t->id, t->alias, flat);
        out->reports[k] = t->has_report ? locate_file(found, out->labs_layout, t->id, "REPORT.md", flat) : NULL;
    }
    out->root = realpath(found, NULL);
    free(found);
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
    if (s->unpacked)
        files_remove_tree(s->unpacked);
    free(s->unpacked);
    free(s->root);
    free(s->note);
    free(s->shown);
    memset(s, 0, sizeof *s);
}
