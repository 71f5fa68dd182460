/* mmtarget.c - the live process that task 2.5's analyse.sh is graded on:
 * a program of the grader's own, so that a submission never runs, nor
 * reads, a reference solution. It maps anonymous memory, writes every page,
 * says where on stdout, and waits until its stdin is closed. */
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

int main(void)
{
    long page = sysconf(_SC_PAGESIZE);
    size_t len = (1u << 20) + (size_t)page; /* not a power of two: easy to tell apart */
    char *region = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    char byte;

    if (region == MAP_FAILED) {
        perror("mmtarget: mmap");
        return 1;
    }
    memset(region, 0x5a, len);
    /* its own PID too: sandboxed, the grader's child is bwrap, not this */
    printf("ready %ld %p %zu\n", (long)getpid(), (void *)region, len);
    if (fflush(stdout) != 0)
        return 1;
    while (read(STDIN_FILENO, &byte, 1) > 0)
        ;
    munmap(region, len);
    return 0;
}
