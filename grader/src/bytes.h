/* bytes.h - a growing, NUL-terminated buffer of bytes with a limit: what a
 * program prints, what the shim logs, kept up to a cap. */
#ifndef MMGRADE_BYTES_H
#define MMGRADE_BYTES_H

#include <stdbool.h>
#include <stddef.h>

struct bytes {
    char *data;   /* NUL-terminated once anything was added */
    size_t len, cap;
    size_t limit; /* bytes kept at most; 0: BYTES_DEFAULT_LIMIT */
    bool capped;  /* more came than the limit: the rest was dropped */
};

#define BYTES_DEFAULT_LIMIT (1u << 20)

/* Appends data[0, n), as much of it as the limit lets in. */
void bytes_append(struct bytes *b, const char *data, size_t n);
/* Drops the first n bytes. */
void bytes_consume(struct bytes *b, size_t n);
void bytes_free(struct bytes *b);

#endif
