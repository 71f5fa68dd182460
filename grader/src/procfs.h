/* procfs.h - read a process's /proc files: status, maps, pagemap, mem, io,
 * syscall, stat. Parses only; never judges. */
#ifndef MMGRADE_PROCFS_H
#define MMGRADE_PROCFS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* One line of /proc/PID/maps. */
struct maps_region {
    uint64_t start, end;
    char perms[5];
    uint64_t offset;
    unsigned dev_major, dev_minor;
    uint64_t inode;
    char name[128]; /* path or [heap]/[stack]/...; "" when anonymous */
};

struct maps {
    struct maps_region *regions;
    size_t count;
};

struct proc_status {
    long vm_size_kib; /* VSZ as ps prints it */
    long vm_rss_kib;  /* RSS as ps prints it */
    long nspid;       /* the PID as the process sees itself (last NSpid) */
};

/* Parses one maps line; false when it is not one. */
bool maps_parse_line(const char *line, struct maps_region *out);
/* Parses the whole text of a maps file; false on a malformed line. */
bool maps_parse(const char *text, struct maps *out);
bool maps_read(pid_t pid, struct maps *out);
void maps_free(struct maps *maps);
/* The region is anonymous (no device, inode or file; "[anon:NAME]" is one
 * a program named), private and rw-: what an mmap of MAP_PRIVATE |
 * MAP_ANONYMOUS with PROT_READ | PROT_WRITE makes. */
bool maps_region_is_anon_private_rw(const struct maps_region *r);
/* True when every byte of [start, end) lies in anonymous private rw-
 * regions (inode 0, no file), however the kernel split or merged them. */
bool maps_covers_anon_rw(const struct maps *maps, uint64_t start, uint64_t end);
/* The region that contains addr, or NULL. */
const struct maps_region *maps_find(const struct maps *maps, uint64_t addr);

bool status_parse(const char *text, struct proc_status *out);
bool status_read(pid_t pid, struct proc_status *out);

/* What pagemap says of the pages of a range. */
struct page_counts {
    size_t total;
    size_t own;      /* backed by memory of the process's own: present and
                      * exclusively mapped, or swapped */
    size_t own_zero; /* of the present ones, those holding only zero bytes
                      * (counted only when asked) */
};

/* Counts the pages of [start, end) backed by memory of the process's own.
 * On most kernels a page only read maps the shared zero page: present but
 * not exclusive, not counted. On some (pvm_no_zero_page, s390 with KVM) a
 * read fault allocates a zero-filled page of the process's own, which only
 * its content tells from a written one: count_zero reads each own page
 * from /proc/PID/mem to count those that hold only zeros. */
bool pagemap_count_own(pid_t pid, uint64_t start, uint64_t end, long page_size, bool count_zero,
                       struct page_counts *out);

/* Reads the "syscr" counter of /proc/PID/io (completed read syscalls). */
bool io_read_syscr(pid_t pid, uint64_t *syscr);
/* True when /proc/PID/syscall shows the task blocked in read(fd, ...). */
bool syscall_is_read_of(pid_t pid, int fd);
/* The system call the task is blocked in, from /proc/PID/syscall, and its
 * first argument: -1 when it is running, -2 when the file cannot be read. */
long syscall_read_blocked(pid_t pid, unsigned long *arg0);
/* The state letter of /proc/PID/stat ('S', 'R', 'D', 'Z', 't', ...), 0 on error. */
char stat_read_state(pid_t pid);
/* The parent's PID from /proc/PID/stat, -1 on error. */
long stat_read_ppid(pid_t pid);

/* Reads /proc/PID/name whole, at most max bytes, into a NUL-terminated
 * malloc'd buffer: the one way every /proc/PID file is read. NULL on error. */
char *proc_read(pid_t pid, const char *name, size_t max, size_t *len);

#endif
