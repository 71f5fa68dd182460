/* mmshim.c - preloaded into a student's program: logs its own mmap/munmap
 * calls to the grader, injects an mmap failure, and adds ballast.
 *
 * Only calls that go through the dynamic linker reach these wrappers: the
 * program's own calls do, glibc's internal ones (malloc, stdio, the stack
 * that system() maps for posix_spawn) and ld.so's do not. So what is logged
 * is what the student wrote, whatever else the process maps.
 *
 * Environment, read once and then removed so that sh and ps started by the
 * program do not load the shim:
 *   MMSHIM_LOG_FD=N        write one line per call to fd N (a pipe)
 *   MMSHIM_ACK_FD=N        after an mmap or munmap line, wait for one byte
 *                          on fd N: the grader reads what the program
 *                          printed before the call, and then lets it go on
 *   MMSHIM_FAIL_MMAP=1     every mmap of the program fails with ENOMEM
 *   MMSHIM_BALLAST_KIB=N   map and touch N KiB before main() runs
 *
 * Log lines (numbers in hex, lengths and errno in decimal):
 *   mmap PID ADDR LEN PROT FLAGS FD OFF = RET ERRNO [injected]
 *   munmap PID ADDR LEN mapped START-END,... head HEX
 *   returned PID RET ERRNO
 *   alive PID ADDR LEN head HEX
 * The munmap line is written before the call, "returned" after it: a
 * munmap that also removes the code the program runs (libc's, the shim's)
 * kills it before it returns, and the grader still learns what it asked.
 * "mapped" lists the pages of the range that were mapped just before the
 * call (up to MAX_RANGES runs, then "+"; "-" for none), and "head" is what
 * ADDR held before the call: its first page for a range of two pages or
 * less (the lab's page, whatever the program put where), else its first
 * HEAD_BYTES; hex-encoded, trailing zero bytes left out, "-" when
 * unreadable or all zero. At exit, an "alive" line tells the same of each
 * mapping the program made and never unmapped.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/uio.h>
#include <unistd.h>

#define MAX_RANGES 8
#define MAX_SCAN_PAGES (1UL << 20)
#define HEAD_BYTES 64
#define PAGE_HEAD_BYTES 4096 /* a whole page, for ranges of two pages or less */
#define MAX_LIVE 256         /* mappings remembered for the exit report */

typedef void *(*mmap_fn)(void *, size_t, int, int, int, off_t);
typedef int (*munmap_fn)(void *, size_t);

static int log_fd = -1, ack_fd = -1;
static int fail_mmap;
static struct {
    unsigned long addr;
    size_t len;
} live[MAX_LIVE];
static mmap_fn real_mmap;
static munmap_fn real_munmap;

/* Writes one log line; with wait, then waits for the grader's byte. */
static void shim_write(const char *line, size_t len, int wait)
{
    ssize_t n;
    char byte;

    if (log_fd < 0)
        return;
    /* The grader drains the pipe while it waits; a full pipe loses a line
     * rather than blocking the program (the fd is non-blocking). */
    while ((n = write(log_fd, line, len)) < 0 && errno == EINTR)
        ;
    if (!wait || ack_fd < 0 || n != (ssize_t)len)
        return;
    while ((n = read(ack_fd, &byte, 1)) < 0 && errno == EINTR)
        ;
    if (n != 1)
        ack_fd = -1; /* the grader is gone: wait no more */
}

static void shim_resolve(void)
{
    if (!real_mmap)
        real_mmap = (mmap_fn)dlsym(RTLD_NEXT, "mmap");
    if (!real_munmap)
        real_munmap = (munmap_fn)dlsym(RTLD_NEXT, "munmap");
}

__attribute__((constructor)) static void shim_init(void)
{
    const char *fd_text = getenv("MMSHIM_LOG_FD"), *ack_text = getenv("MMSHIM_ACK_FD");
    const char *fail_text = getenv("MMSHIM_FAIL_MMAP");
    const char *ballast_text = getenv("MMSHIM_BALLAST_KIB");
    int saved_errno = errno;

    shim_resolve();
    if (fd_text) {
        log_fd = atoi(fd_text);
        if (fcntl(log_fd, F_SETFD, FD_CLOEXEC) == -1)
            log_fd = -1;
        else
            fcntl(log_fd, F_SETFL, fcntl(log_fd, F_GETFL) | O_NONBLOCK);
    }
    if (ack_text) {
        ack_fd = atoi(ack_text);
        if (fcntl(ack_fd, F_SETFD, FD_CLOEXEC) == -1)
            ack_fd = -1;
    }
    fail_mmap = fail_text && strcmp(fail_text, "1") == 0;
    if (ballast_text && real_mmap) {
        size_t bytes = strtoul(ballast_text, NULL, 10) * 1024;
        char *ballast = bytes ? real_mmap(NULL, bytes, PROT_READ | PROT_WRITE,
                                          MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)
                              : MAP_FAILED;
        if (ballast != MAP_FAILED)
            memset(ballast, 0x5a, bytes);
    }
    /* stdin is the grader's pipe, so stdio would buffer it fully; on the
     * terminal of an interactive run it is line-buffered, and glibc then
     * flushes a line-buffered stdout before each read from it: a prompt
     * without a newline shows before the program waits, as the student saw. */
    setvbuf(stdin, NULL, _IOLBF, BUFSIZ);
    unsetenv("MMSHIM_LOG_FD");
    unsetenv("MMSHIM_ACK_FD");
    unsetenv("MMSHIM_FAIL_MMAP");
    unsetenv("MMSHIM_BALLAST_KIB");
    unsetenv("LD_PRELOAD");
    errno = saved_errno;
}

/* Remembers a mapping of the program's, for the exit report. */
static void live_add(void *addr, size_t len)
{
    for (int i = 0; i < MAX_LIVE; i++)
        if (live[i].len == 0) {
            live[i].addr = (unsigned long)addr;
            live[i].len = len;
            return;
        }
}

/* Forgets what munmap(addr, len) removed: a mapping that starts in it (a
 * part unmapped is still reported, from its start, if its start stays). */
static void live_remove(void *addr, size_t len)
{
    unsigned long start = (unsigned long)addr, end = start + len;

    for (int i = 0; i < MAX_LIVE; i++)
        if (live[i].len && live[i].addr >= start && live[i].addr < end)
            live[i].len = 0;
}

static void *shim_mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
    char line[192];
    void *ret;
    int err, n;

    shim_resolve();
    if (fail_mmap) {
        ret = MAP_FAILED;
        err = ENOMEM;
    } else {
        errno = 0;
        ret = real_mmap(addr, len, prot, flags, fd, off);
        err = ret == MAP_FAILED ? errno : 0;
    }
    if (ret != MAP_FAILED)
        live_add(ret, len);
    n = snprintf(line, sizeof line, "mmap %ld %lx %zu %x %x %d %llx = %lx %d%s\n",
                 (long)getpid(), (unsigned long)addr, len, prot, flags, fd,
                 (unsigned long long)off, (unsigned long)ret, err,
                 fail_mmap ? " injected" : "");
    if (n > 0 && (size_t)n < sizeof line)
        shim_write(line, (size_t)n, 1);
    errno = err;
    return ret;
}

void *mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
    return shim_mmap(addr, len, prot, flags, fd, off);
}

void *mmap64(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
    return shim_mmap(addr, len, prot, flags, fd, off);
}

/* Appends the mapped runs of [start, start + len) to out: mincore() fails
 * with ENOMEM on a page that is not mapped, and succeeds on one that is,
 * resident or not. */
static size_t shim_mapped_runs(unsigned long start, size_t len, char *out, size_t cap)
{
    long page = sysconf(_SC_PAGESIZE);
    unsigned long first = start & ~((unsigned long)page - 1);
    unsigned long pages = (start + len - first + (unsigned long)page - 1) / (unsigned long)page;
    unsigned long run_start = 0, i;
    size_t used = 0;
    int in_run = 0, runs = 0, n;
    unsigned char vec;

    if (len == 0 || pages > MAX_SCAN_PAGES)
        return (size_t)snprintf(out, cap, "?");
    for (i = 0; i <= pages; i++) {
        unsigned long at = first + i * (unsigned long)page;
        int mapped = i < pages && mincore((void *)at, (size_t)page, &vec) == 0;

        if (mapped && !in_run) {
            run_start = at;
            in_run = 1;
        } else if (!mapped && in_run) {
            in_run = 0;
            if (++runs > MAX_RANGES) {
                n = snprintf(out + used, cap - used, "+");
                return used + (n > 0 ? (size_t)n : 0);
            }
            n = snprintf(out + used, cap - used, "%s%lx-%lx", runs > 1 ? "," : "", run_start, at);
            if (n < 0 || (size_t)n >= cap - used)
                return used;
            used += (size_t)n;
        }
    }
    if (runs == 0)
        used = (size_t)snprintf(out, cap, "-");
    return used;
}

/* Hex-encodes what addr holds: its first page when len is two pages or
 * less, else its first HEAD_BYTES; trailing zero bytes left out.
 * process_vm_readv on our own PID fails with EFAULT, rather than crashing,
 * where the memory is not readable. */
static void shim_head(void *addr, size_t len, char *out, size_t cap)
{
    static unsigned char bytes[PAGE_HEAD_BYTES];
    size_t want = len <= 2 * PAGE_HEAD_BYTES ? PAGE_HEAD_BYTES : HEAD_BYTES;
    struct iovec local = {bytes, sizeof bytes}, remote = {addr, len < want ? len : want};
    ssize_t got = process_vm_readv(getpid(), &local, 1, &remote, 1, 0);
    size_t used = 0;

    while (got > 0 && bytes[got - 1] == 0)
        got--;
    for (ssize_t i = 0; i < got && used + 3 <= cap; i++)
        used += (size_t)snprintf(out + used, cap - used, "%02x", bytes[i]);
    if (used == 0)
        snprintf(out, cap, "-");
}

int munmap(void *addr, size_t len)
{
    static char line[2 * PAGE_HEAD_BYTES + 512], head[2 * PAGE_HEAD_BYTES + 1];
    char runs[320];
    int ret, err;
    int n;

    shim_resolve();
    shim_mapped_runs((unsigned long)addr, len, runs, sizeof runs);
    shim_head(addr, len, head, sizeof head);
    n = snprintf(line, sizeof line, "munmap %ld %lx %zu mapped %s head %s\n",
                 (long)getpid(), (unsigned long)addr, len, runs, head);
    if (n > 0 && (size_t)n < sizeof line)
        shim_write(line, (size_t)n, 1);
    errno = 0;
    ret = real_munmap(addr, len);
    err = ret == -1 ? errno : 0;
    if (ret == 0)
        live_remove(addr, len);
    n = snprintf(line, sizeof line, "returned %ld %d %d\n", (long)getpid(), ret, err);
    if (n > 0 && (size_t)n < sizeof line)
        shim_write(line, (size_t)n, 0);
    errno = err;
    return ret;
}

/* At exit: what each mapping the program never unmapped holds. */
__attribute__((destructor)) static void shim_exit(void)
{
    static char line[2 * PAGE_HEAD_BYTES + 128], head[2 * PAGE_HEAD_BYTES + 1];

    for (int i = 0; i < MAX_LIVE; i++) {
        int n;

        if (live[i].len == 0)
            continue;
        shim_head((void *)live[i].addr, live[i].len, head, sizeof head);
        n = snprintf(line, sizeof line, "alive %ld %lx %zu head %s\n", (long)getpid(), live[i].addr, live[i].len,
                     head);
        if (n > 0 && (size_t)n < sizeof line)
            shim_write(line, (size_t)n, 0);
    }
}
