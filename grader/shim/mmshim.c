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
 *   MMSHIM_FAIL_MMAP=1     every mmap of the program fails with ENOMEM
 *   MMSHIM_BALLAST_KIB=N   map and touch N KiB before main() runs
 *
 * Log lines (numbers in hex, lengths and errno in decimal):
 *   mmap PID ADDR LEN PROT FLAGS FD OFF = RET ERRNO [injected]
 *   munmap PID ADDR LEN mapped START-END,... head HEX
 *   returned PID RET ERRNO
 * The munmap line is written before the call, "returned" after it: a
 * munmap that also removes the code the program runs (libc's, the shim's)
 * kills it before it returns, and the grader still learns what it asked.
 * "mapped" lists the pages of the range that were mapped just before the
 * call (up to MAX_RANGES runs, then "+"; "-" for none), and "head" is the
 * text at ADDR before the call, up to its first NUL (at most HEAD_BYTES,
 * hex-encoded; "-" when unreadable or empty).
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

typedef void *(*mmap_fn)(void *, size_t, int, int, int, off_t);
typedef int (*munmap_fn)(void *, size_t);

static int log_fd = -1;
static int fail_mmap;
static mmap_fn real_mmap;
static munmap_fn real_munmap;

static void shim_write(const char *line, size_t len)
{
    if (log_fd < 0)
        return;
    /* The grader drains the pipe while it waits; a full pipe loses a line
     * rather than blocking the program (the fd is non-blocking). */
    while (write(log_fd, line, len) < 0 && errno == EINTR)
        ;
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
    const char *fd_text = getenv("MMSHIM_LOG_FD");
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
    unsetenv("MMSHIM_FAIL_MMAP");
    unsetenv("MMSHIM_BALLAST_KIB");
    unsetenv("LD_PRELOAD");
    errno = saved_errno;
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
    n = snprintf(line, sizeof line, "mmap %ld %lx %zu %x %x %d %llx = %lx %d%s\n",
                 (long)getpid(), (unsigned long)addr, len, prot, flags, fd,
                 (unsigned long long)off, (unsigned long)ret, err,
                 fail_mmap ? " injected" : "");
    if (n > 0 && (size_t)n < sizeof line)
        shim_write(line, (size_t)n);
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

/* Hex-encodes the text at addr, up to its first NUL. process_vm_readv on
 * our own PID fails with EFAULT, rather than crashing, where the memory is
 * not readable. */
static void shim_head(void *addr, size_t len, char *out, size_t cap)
{
    unsigned char bytes[HEAD_BYTES];
    struct iovec local = {bytes, sizeof bytes}, remote = {addr, len < sizeof bytes ? len : sizeof bytes};
    ssize_t got = process_vm_readv(getpid(), &local, 1, &remote, 1, 0);
    size_t used = 0;

    for (ssize_t i = 0; i < got && bytes[i] != '\0' && used + 3 <= cap; i++)
        used += (size_t)snprintf(out + used, cap - used, "%02x", bytes[i]);
    if (used == 0)
        snprintf(out, cap, "-");
}

int munmap(void *addr, size_t len)
{
    char line[640], runs[320], head[2 * HEAD_BYTES + 1];
    int ret, err;
    int n;

    shim_resolve();
    shim_mapped_runs((unsigned long)addr, len, runs, sizeof runs);
    shim_head(addr, len, head, sizeof head);
    n = snprintf(line, sizeof line, "munmap %ld %lx %zu mapped %s head %s\n",
                 (long)getpid(), (unsigned long)addr, len, runs, head);
    if (n > 0 && (size_t)n < sizeof line)
        shim_write(line, (size_t)n);
    errno = 0;
    ret = real_munmap(addr, len);
    err = ret == -1 ? errno : 0;
    n = snprintf(line, sizeof line, "returned %ld %d %d\n", (long)getpid(), ret, err);
    if (n > 0 && (size_t)n < sizeof line)
        shim_write(line, (size_t)n);
    errno = err;
    return ret;
}
