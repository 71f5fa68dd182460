/* mmtarget.c - the live process that task 2.5's analyse.sh is graded on,
 * and that the grader's start-up probe observes: a program of the grader's
 * own, so that a submission never runs, nor reads, a reference solution.
 * It maps anonymous memory, writes every page, maps two more regions it
 * only reads, says where on stdout, and waits until its stdin is closed. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define HUGE_ALIGN (2u << 20) /* a PMD-sized transparent huge page on x86-64 and 4 KiB-page aarch64 */

/* Reads one byte of each page of [p, p + len): on most kernels a read of a
 * fresh private page maps the shared zero page; on some it allocates. */
static unsigned read_pages(const volatile char *p, size_t len, size_t step)
{
    unsigned sum = 0;

    for (size_t i = 0; i < len; i += step)
        sum += (unsigned char)p[i];
    return sum;
}

int main(void)
{
    long page = sysconf(_SC_PAGESIZE);
    size_t len = (1u << 20) + (size_t)page; /* not a power of two: easy to tell apart */
    size_t read_len = 2 * (size_t)page, huge_len = 2 * HUGE_ALIGN;
    char *region = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    char *read_only = mmap(NULL, read_len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    /* Where transparent huge pages are on for every mapping and the huge
     * zero page is off, a read of an aligned huge page allocates 2 MiB. */
    char *huge = mmap(NULL, huge_len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    char byte;

    if (region == MAP_FAILED || read_only == MAP_FAILED || huge == MAP_FAILED) {
        perror("mmtarget: mmap");
        return 1;
    }
    memset(region, 0x5a, len);
    char *aligned = (char *)(((uintptr_t)huge + HUGE_ALIGN - 1) & ~(uintptr_t)(HUGE_ALIGN - 1));
    unsigned sum = read_pages(read_only, read_len, (size_t)page) + read_pages(aligned, 1, 1);
    /* its own PID too: sandboxed, the grader's child is bwrap, not this.
     * Then the regions only read, which hold zeros (sum is 0). */
    printf("ready %ld %p %zu read %p %zu %p %zu %u\n", (long)getpid(), (void *)region, len, (void *)read_only,
           read_len, (void *)huge, huge_len, sum);
    if (fflush(stdout) != 0)
        return 1;
    while (read(STDIN_FILENO, &byte, 1) > 0)
        ;
    munmap(region, len);
    munmap(read_only, read_len);
    munmap(huge, huge_len);
    return 0;
}
