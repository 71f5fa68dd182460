/* bytes.c - a growing, NUL-terminated buffer of bytes with a limit. */
#include "bytes.h"

#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

void bytes_append(struct bytes *b, const char *data, size_t n)
{
    size_t limit = b->limit ? b->limit : BYTES_DEFAULT_LIMIT;

    if (b->len + n > limit) {
        b->capped = true;
        n = limit - b->len;
    }
    xgrow(&b->data, &b->cap, b->len + n + 1, 1);
    memcpy(b->data + b->len, data, n);
    b->len += n;
    b->data[b->len] = '\0';
}

void bytes_consume(struct bytes *b, size_t n)
{
    if (n == 0)
        return;
    memmove(b->data, b->data + n, b->len - n);
    b->len -= n;
    b->data[b->len] = '\0';
}

void bytes_free(struct bytes *b)
{
    free(b->data);
    memset(b, 0, sizeof *b);
}
