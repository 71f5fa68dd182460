/* shimlog.c - read what mmshim logs of a program's own mmap and munmap
 * calls: one line a call, arriving in pieces through a pipe. */
#define _GNU_SOURCE
#include "shimlog.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "xalloc.h"

static bool shimlog_parse_runs(const char *text, struct shim_call *out)
{
    const char *p = text;

    if (strcmp(text, "-") == 0)
        return true;
    if (strcmp(text, "?") == 0) {
        out->mapped_unknown = true;
        return true;
    }
    while (*p) {
        unsigned long long start, end;
        int used = 0;

        if (sscanf(p, "%llx-%llx%n", &start, &end, &used) != 2 || end <= start ||
            out->nmapped == SHIM_MAX_RUNS)
            return false;
        out->mapped[out->nmapped++] = (struct shim_range){start, end};
        p += used;
        if (*p == '+') { /* more runs than mmshim lists */
            out->mapped_unknown = true;
            return true;
        }
        if (*p == ',')
            p++;
        else if (*p)
            return false;
    }
    return true;
}

static void shimlog_decode_head(const char *hex, char *out, size_t cap)
{
    size_t n = 0;

    if (strcmp(hex, "-") != 0)
        for (; hex[0] && hex[1] && n + 1 < cap; hex += 2) {
            unsigned byte;

            if (sscanf(hex, "%2x", &byte) != 1)
                break;
            out[n++] = (char)byte;
        }
    out[n] = '\0';
}

bool shimlog_parse_line(const char *line, struct shim_call *out)
{
    unsigned long long addr, len, off, ret;
    char tail[16] = "", runs[400], head[140];
    int used = 0;

    memset(out, 0, sizeof *out);
    if (strncmp(line, "mmap ", 5) == 0) {
        out->kind = SHIM_MMAP;
        if (sscanf(line, "mmap %ld %llx %llu %x %x %d %llx = %llx %d%n", &out->pid, &addr, &len,
                   &out->prot, &out->flags, &out->fd, &off, &ret, &out->err, &used) != 9)
            return false;
        sscanf(line + used, " %15s", tail);
        out->injected = strcmp(tail, "injected") == 0;
        out->offset = off;
        out->ok = ret != (unsigned long long)(uintptr_t)MAP_FAILED;
        out->returned = true;
    } else if (strncmp(line, "munmap ", 7) == 0) {
        out->kind = SHIM_MUNMAP;
        if (sscanf(line, "munmap %ld %llx %llu mapped %399s head %139s", &out->pid, &addr, &len, runs, head) != 5)
            return false;
        if (!shimlog_parse_runs(runs, out))
            return false;
        shimlog_decode_head(head, out->head, sizeof out->head);
        ret = 0;
        out->returned = false;
        out->ok = false; /* until its result comes */
    } else if (strncmp(line, "returned ", 9) == 0) {
        int r;

        out->kind = SHIM_RETURN;
        if (sscanf(line, "returned %ld %d %d%n", &out->pid, &r, &out->err, &used) != 3 || line[used] != '\0')
            return false;
        addr = len = 0;
        ret = (unsigned long long)(long long)r;
        out->ok = r == 0;
        out->returned = true;
    } else {
        return false;
    }
    out->addr = addr;
    out->len = len;
    out->ret = ret;
    return true;
}

bool shimlog_apply_return(struct shim_call *calls, size_t ncalls, const struct shim_call *result)
{
    for (size_t i = ncalls; i-- > 0;) {
        struct shim_call *c = &calls[i];

        if (c->pid != result->pid || c->returned)
            continue;
        c->returned = true;
        c->ret = result->ret;
        c->err = result->err;
        c->ok = result->ok;
        return true;
    }
    return false;
}

bool shimlog_unmapped(const struct shim_call *c)
{
    return c->kind == SHIM_MUNMAP && (c->ok || !c->returned);
}

void shimlog_feed(struct shimlog *log, const char *data, size_t n)
{
    bytes_append(&log->pending, data, n);
}

void shimlog_take(struct shimlog *log, long pid, size_t pauses, struct shim_calls *calls)
{
    struct bytes *b = &log->pending;
    size_t used = 0;

    while (used < b->len) {
        char *line = b->data + used, *nl = memchr(line, '\n', b->len - used);
        struct shim_call call;

        if (!nl)
            break;
        *nl = '\0';
        used = (size_t)(nl - b->data) + 1;
        if (!shimlog_parse_line(line, &call) || call.pid != pid)
            continue;
        if (call.kind == SHIM_RETURN) {
            shimlog_apply_return(calls->items, calls->count, &call);
            continue;
        }
        if (calls->count == SHIMLOG_MAX_CALLS)
            continue;
        call.pauses_before = pauses;
        xgrow(&calls->items, &calls->cap, calls->count + 1, sizeof *calls->items);
        calls->items[calls->count++] = call;
    }
    bytes_consume(b, used);
}

void shimlog_free(struct shimlog *log)
{
    bytes_free(&log->pending);
}

void shim_calls_free(struct shim_calls *calls)
{
    free(calls->items);
    memset(calls, 0, sizeof *calls);
}
