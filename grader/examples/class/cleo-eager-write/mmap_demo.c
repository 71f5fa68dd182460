/* Writes the mapping before the first pause, so nothing stays lazy. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static void show(const char *stage)
{
    char cmd[64];
    printf("[%s]\n", stage);
    fflush(stdout);
    snprintf(cmd, sizeof cmd, "ps -o pid,vsz,rss,comm -p %d", getpid());
    system(cmd);
}

int main(int argc, char **argv)
{
    size_t size = 4096;
    if (argc > 2 || (argc == 2 && (size = strtoul(argv[1], NULL, 10)) == 0)) {
        fprintf(stderr, "usage: mmap_demo [SIZE]\n");
        return 2;
    }
    show("Initial");
    char *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) {
        perror("mmap");
        return 1;
    }
    printf("Mapped %zu bytes at %p\n", size, (void *)p);
    memset(p, 'A', size);
    show("After mmap");
    printf("[Pause] Press Enter...\n");
    getchar();
    show("After writing to memory");
    printf("[Pause] Press Enter...\n");
    getchar();
    munmap(p, size);
    show("After munmap");
    printf("Memory successfully unmapped.\n");
    return 0;
}
