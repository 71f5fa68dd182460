/* mmap_basics.c - task 2.1 reference: map one page, use it, unmap it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#define PAGE_BYTES 4096

static const char message[] = "Hello from a page of my own!";

int main(void)
{
    /* NULL: let the kernel pick the address; -1 and 0: no file behind it. */
    char *page = mmap(NULL, PAGE_BYTES, PROT_READ | PROT_WRITE,
                      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (page == MAP_FAILED) {            /* never NULL: mmap fails with MAP_FAILED */
        perror("mmap");
        return EXIT_FAILURE;
    }
    printf("Mapped %d bytes at %p\n", PAGE_BYTES, (void *)page);

    memcpy(page, message, sizeof message);
    printf("Read back: %s\n", page);

    if (munmap(page, PAGE_BYTES) == -1) {
        perror("munmap");
        return EXIT_FAILURE;
    }
    printf("Unmapped.\n");
    return EXIT_SUCCESS;
}
