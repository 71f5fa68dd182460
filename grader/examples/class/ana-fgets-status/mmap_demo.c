/* A correct program written differently from the reference: it measures
 * itself through /proc/self/status, pauses with fgets, pauses three times,
 * and prints the size rounded up to pages. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static void stage(const char *name)
{
    char line[256];
    long vsz = -1, rss = -1;
    FILE *f = fopen("/proc/self/status", "r");

    if (!f)
        return;
    while (fgets(line, sizeof line, f)) {
        sscanf(line, "VmSize: %ld", &vsz);
        sscanf(line, "VmRSS: %ld", &rss);
    }
    fclose(f);
    printf("=== %s ===\n  PID    VSZ   RSS COMMAND\n%5d %6ld %5ld mmap_demo\n", name, (int)getpid(), vsz, rss);
}

static void hold(void)
{
    char buf[64];

    printf("[Pause] look at /proc/%d/maps and press Enter\n", (int)getpid());
    fflush(stdout);
    if (!fgets(buf, sizeof buf, stdin))
        return;
}

int main(int argc, char *argv[])
{
    size_t size = 4096, page = (size_t)sysconf(_SC_PAGESIZE);
    char *end;

    if (argc > 2) {
        fprintf(stderr, "usage: %s [SIZE]\n", argv[0]);
        return 2;
    }
    if (argc == 2) {
        long v = strtol(argv[1], &end, 10);
        if (*argv[1] == '\0' || *end != '\0' || v <= 0) {
            fprintf(stderr, "usage: %s [SIZE]\n", argv[0]);
            return 2;
        }
        size = (size_t)v;
    }
    size = (size + page - 1) / page * page;
    hold();
    stage("Initial");
    unsigned char *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) {
        perror("mmap failed");
        return 1;
    }
    printf("Mapped %zu bytes at %p\n", size, (void *)p);
    stage("After mmap()");
    if (p[0] != 0)   /* a read: the zero page, still lazy */
        return 3;
    hold();
    for (size_t i = 0; i < size; i += page)
        p[i] = 1;
    stage("After writing");
    hold();
    if (munmap(p, size) != 0) {
        perror("munmap");
        return 1;
    }
    stage("After munmap()");
    puts("Memory successfully unmapped.");
    return 0;
}
