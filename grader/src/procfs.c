/* procfs.c - read a process's /proc files: status, maps, pagemap, mem, io,
 * syscall, stat. Parses only; never judges. */
#define _GNU_SOURCE
#include "procfs.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "files.h"
#include "text.h"
#include "xalloc.h"

#define MAPS_MAX_BYTES (4u << 20)
#define SMALL_MAX_BYTES (64u << 10)

/* pagemap entry bits, Documentation/admin-guide/mm/pagemap.rst */
#define PM_PRESENT (1ULL << 63)
#define PM_SWAPPED (1ULL << 62)
#define PM_EXCLUSIVE (1ULL << 56)

char *proc_read(pid_t pid, const char *name, size_t max, size_t *len)
{
    char path[64];

    snprintf(path, sizeof path, "/proc/%ld/%s", (long)pid, name);
    return files_read(path, max, len);
}

bool maps_parse_line(const char *line, struct maps_region *out)
{
    unsigned long long start, end, offset, inode;
    unsigned major, minor;
    char perms[5];
    int name_at = 0;

    memset(out, 0, sizeof *out);
    /* start-end perms offset major:minor inode [name] */
    if (sscanf(line, "%llx-%llx %4s %llx %x:%x %llu %n", &start, &end, perms, &offset, &major,
               &minor, &inode, &name_at) != 7)
        return false;
    if (end <= start || strlen(perms) != 4)
        return false;
    out->start = start;
    out->end = end;
    memcpy(out->perms, perms, sizeof perms);
    out->offset = offset;
    out->dev_major = major;
    out->dev_minor = minor;
    out->inode = inode;
    if (name_at > 0) {
        size_t n = strcspn(line + name_at, "\n");

        if (strchr(line, '\n') && strchr(line, '\n') < line + name_at)
            n = 0; /* the line ended before any name */

        if (n >= sizeof out->name)
            n = sizeof out->name - 1;
        memcpy(out->name, line + name_at, n);
        out->name[n] = '\0';
    }
    return true;
}

bool maps_parse(const char *text, struct maps *out)
{
    size_t cap = 0, at = 0, len = strlen(text);
    /* One line at a time: sscanf's whitespace would run on into the next. */
    char line[512];

    out->count = 0;
    out->regions = NULL;
    while (text_next_line(text, len, &at, line, sizeof line)) {
        xgrow(&out->regions, &cap, out->count + 1, sizeof *out->regions);
        if (!maps_parse_line(line, &out->regions[out->count])) {
            maps_free(out);
            return false;
        }
        out->count++;
    }
    return true;
}

bool maps_read(pid_t pid, struct maps *out)
{
    char *text = proc_read(pid, "maps", MAPS_MAX_BYTES, NULL);
    bool ok;

    if (!text)
        return false;
    ok = maps_parse(text, out);
    free(text);
    return ok;
}

void maps_free(struct maps *maps)
{
    free(maps->regions);
    maps->regions = NULL;
    maps->count = 0;
}

bool maps_region_is_anon_private_rw(const struct maps_region *r)
{
    return r->inode == 0 && r->dev_major == 0 && r->dev_minor == 0 && strcmp(r->perms, "rw-p") == 0 &&
           (r->name[0] == '\0' || strncmp(r->name, "[anon:", 6) == 0);
}

bool maps_covers_anon_rw(const struct maps *maps, uint64_t start, uint64_t end)
{
    uint64_t at = start;

    /* maps lists regions in address order: walk them, extending coverage. */
    for (size_t i = 0; i < maps->count && at < end; i++) {
        const struct maps_region *r = &maps->regions[i];

        if (r->end <= at)
            continue;
        if (r->start > at || !maps_region_is_anon_private_rw(r))
            return false;
        at = r->end;
    }
    return at >= end;
}

const struct maps_region *maps_find(const struct maps *maps, uint64_t addr)
{
    for (size_t i = 0; i < maps->count; i++)
        if (maps->regions[i].start <= addr && addr < maps->regions[i].end)
            return &maps->regions[i];
    return NULL;
}

bool status_parse(const char *text, struct proc_status *out)
{
    bool size = false, rss = false, nspid = false;
    const char *line = text;

    memset(out, 0, sizeof *out);
    while (line && *line) {
        if (sscanf(line, "VmSize: %ld kB", &out->vm_size_kib) == 1)
            size = true;
        else if (sscanf(line, "VmRSS: %ld kB", &out->vm_rss_kib) == 1)
            rss = true;
        else if (strncmp(line, "NSpid:", 6) == 0) {
            /* One PID per nested namespace, outermost first: the last is
             * the PID the process itself sees. */
            const char *p = line + 6;
            char *end;

            for (;;) {
                long v = strtol(p, &end, 10);

                if (end == p)
                    break;
                out->nspid = v;
                nspid = true;
                p = end;
            }
        }
        line = strchr(line, '\n');
        if (line)
            line++;
    }
    return size && rss && nspid;
}

bool status_read(pid_t pid, struct proc_status *out)
{
    char *text = proc_read(pid, "status", SMALL_MAX_BYTES, NULL);
    bool ok;

    if (!text)
        return false;
    ok = status_parse(text, out);
    free(text);
    return ok;
}

/* True when the n bytes at p are all zero. */
static bool bytes_are_zero(const unsigned char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i])
            return false;
    return true;
}

/* Adds to *zero the pages of the run [addr, addr + npages pages) that hold
 * only zero bytes, read from /proc/PID/mem (mem_fd). Only present pages are
 * read: reading an absent one would fault it in. */
static bool count_zero_pages(int mem_fd, uint64_t addr, size_t npages, long page_size, unsigned char *buf,
                             size_t cap, size_t *zero)
{
    size_t per_read = cap / (size_t)page_size;

    while (npages > 0) {
        size_t n = npages < per_read ? npages : per_read, want = n * (size_t)page_size;
        ssize_t got = pread(mem_fd, buf, want, (off_t)addr);

        if (got != (ssize_t)want)
            return false;
        for (size_t i = 0; i < n; i++)
            *zero += bytes_are_zero(buf + i * (size_t)page_size, (size_t)page_size);
        addr += want;
        npages -= n;
    }
    return true;
}

bool pagemap_count_own(pid_t pid, uint64_t start, uint64_t end, long page_size, bool count_zero,
                       struct page_counts *out)
{
    char path[64];
    uint64_t entries[512];
    uint64_t first = start / (uint64_t)page_size;
    uint64_t last = (end + (uint64_t)page_size - 1) / (uint64_t)page_size;
    size_t cap = 512 * (size_t)page_size;
    unsigned char *buf = NULL;
    int fd, mem_fd = -1;
    bool ok = true;

    memset(out, 0, sizeof *out);
    out->total = (size_t)(last - first);
    snprintf(path, sizeof path, "/proc/%ld/pagemap", (long)pid);
    fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return false;
    if (count_zero) {
        snprintf(path, sizeof path, "/proc/%ld/mem", (long)pid);
        mem_fd = open(path, O_RDONLY | O_CLOEXEC);
        buf = xmalloc(cap);
        ok = mem_fd >= 0;
    }
    for (uint64_t page = first; ok && page < last;) {
        size_t want = last - page < 512 ? (size_t)(last - page) : 512;
        ssize_t got = pread(fd, entries, want * sizeof entries[0], (off_t)(page * sizeof entries[0]));
        size_t n, run = 0;

        if (got <= 0 || got % (ssize_t)sizeof entries[0]) {
            ok = false;
            break;
        }
        n = (size_t)got / sizeof entries[0];
        for (size_t i = 0; i <= n && ok; i++) {
            uint64_t e = i < n ? entries[i] : 0;
            bool present_own = (e & PM_PRESENT) && (e & PM_EXCLUSIVE);

            if (i < n && (present_own || (e & PM_SWAPPED)))
                out->own++;
            /* a swapped page is not read back in: it counts as written */
            if (i < n && present_own) {
                run++;
                continue;
            }
            if (count_zero && run > 0)
                ok = count_zero_pages(mem_fd, (page + i - run) * (uint64_t)page_size, run, page_size, buf, cap,
                                      &out->own_zero);
            run = 0;
        }
        page += n;
    }
    free(buf);
    if (mem_fd >= 0)
        close(mem_fd);
    close(fd);
    return ok;
}

bool io_read_syscr(pid_t pid, uint64_t *syscr)
{
    char *text = proc_read(pid, "io", SMALL_MAX_BYTES, NULL), *at;
    bool ok = false;

    if (!text)
        return false;
    at = strstr(text, "syscr:");
    if (at)
        ok = sscanf(at, "syscr: %" SCNu64, syscr) == 1;
    free(text);
    return ok;
}

long syscall_read_blocked(pid_t pid, unsigned long *arg0)
{
    char *text = proc_read(pid, "syscall", 4096, NULL);
    long nr = -2;

    *arg0 = 0;
    if (!text)
        return -2;
    /* "nr arg0 ... sp pc" while blocked; "running" otherwise. The number
     * comes from this build's own headers, so it is right on aarch64 too. */
    if (sscanf(text, "%ld 0x%lx", &nr, arg0) != 2)
        nr = strncmp(text, "running", 7) == 0 ? -1 : -2;
    free(text);
    return nr;
}

bool syscall_is_read_of(pid_t pid, int fd)
{
    unsigned long arg0;

    return syscall_read_blocked(pid, &arg0) == SYS_read && arg0 == (unsigned long)fd;
}

/* The state letter and the parent of /proc/PID/stat; false on error. */
static bool stat_read(pid_t pid, char *state, long *ppid)
{
    char *text = proc_read(pid, "stat", 4096, NULL), *paren;
    bool ok;

    if (!text)
        return false;
    /* "pid (comm) state ppid ...": the command name may hold spaces and
     * ')', so the fields follow the last ')'. */
    paren = strrchr(text, ')');
    ok = paren && sscanf(paren + 1, " %c %ld", state, ppid) == 2;
    free(text);
    return ok;
}

char stat_read_state(pid_t pid)
{
    char state;
    long ppid;

    return stat_read(pid, &state, &ppid) ? state : 0;
}

long stat_read_ppid(pid_t pid)
{
    char state;
    long ppid;

    return stat_read(pid, &state, &ppid) ? ppid : -1;
}
