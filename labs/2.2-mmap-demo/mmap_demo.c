/* mmap_demo.c - task 2.2 starter: map SIZE bytes and show VSZ/RSS at each stage.
 *
 * Contract (docs/contract.md, task 2.2), in order:
 *   [Initial] + table, "Mapped <N> bytes at 0x...", [After mmap] + table,
 *   write to every page, [After writing to memory] + table, munmap,
 *   [After munmap] + table, "Memory successfully unmapped.", exit 0.
 *   Bad arguments: usage on stderr, exit 2, before anything is mapped.
 * Build: gcc -std=gnu11 -Wall -Wextra -g -O0 -o mmap_demo mmap_demo.c
 */
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

/* Prints the stage header, then this process's own ps row. */
static void show_stage(const char *stage)
{
    char command[64];

    printf("[%s]\n", stage);
    /* ps writes straight to fd 1; without this flush our buffered text
     * would come out after it whenever stdout is a pipe or a file. */
    fflush(stdout);
    snprintf(command, sizeof command, "ps -o pid,vsz,rss,comm -p %ld", (long)getpid());
    if (system(command) != 0)
        fprintf(stderr, "mmap_demo: could not run: %s\n", command);
}

int main(int argc, char **argv)
{
    size_t size = DEFAULT_SIZE;
    char *region = MAP_FAILED;

    if (argc > 2 || (argc == 2 && parse_size(argv[1], &size) != 0)) {
        print_usage();
        return 2;
    }

    show_stage("Initial");

    /* TODO: map size bytes, private and anonymous, readable and writable,
     *       and store the result in region. */

    if (region == MAP_FAILED) {
        perror("mmap");
        return EXIT_FAILURE;
    }
    printf("Mapped %zu bytes at %p\n", size, (void *)region);
    show_stage("After mmap");

    /* TODO: write to every page of the mapping (memset is enough). */

    show_stage("After writing to memory");

    /* TODO: unmap the whole mapping; on -1, perror("munmap") and
     *       return EXIT_FAILURE. */

    show_stage("After munmap");
    printf("Memory successfully unmapped.\n");
    return EXIT_SUCCESS;
}
