/* mmap_basics.c - task 2.1 starter: map one page, use it, unmap it.
 *
 * Contract (docs/contract.md, task 2.1):
 *   prints "Mapped 4096 bytes at 0x...", then "Read back: <message>",
 *   then "Unmapped.", and exits 0. If mmap or munmap fails: perror naming
 *   the call, exit 1.
 * Build: gcc -std=gnu11 -Wall -Wextra -g -O0 -o mmap_basics mmap_basics.c
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#define PAGE_BYTES 4096

static const char message[] = "Hello from a page of my own!";

int main(void)
{
    char *page = MAP_FAILED;

    /* TODO: map one page: mmap(NULL, PAGE_BYTES, PROT_READ | PROT_WRITE,
     *       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), and store the result in page. */

    if (page == MAP_FAILED) {            /* mmap fails with MAP_FAILED, never NULL */
        perror("mmap");
        return EXIT_FAILURE;
    }
    printf("Mapped %d bytes at %p\n", PAGE_BYTES, (void *)page);

    /* TODO: copy message into the page (memcpy, including its final '\0'). */
    (void)message;

    printf("Read back: %s\n", page);

    /* TODO: unmap the page with munmap(page, PAGE_BYTES); on -1, call
     *       perror("munmap") and return EXIT_FAILURE. */

    printf("Unmapped.\n");
    return EXIT_SUCCESS;
}
