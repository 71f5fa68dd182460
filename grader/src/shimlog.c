/* shimlog.c - read what mmshim logs of a program's own mmap and munmap
 * calls: one line a call, arriving in pieces through a pipe. */
#define _GNU_SOURCE
#include "shimlog.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "xalloc.h"

#define LINE_MAX_HEX 8192 /* a page, hex-encoded */

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

        if (sscanf(p, "%llx-%llx%n", &start, &end, &used) != 2 || end <= start || out->nmapped == SHIM_MAX_RUNS)
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

/* The bytes of a hex "head" ("-": none); false when it is not hex. */
static bool decode_head(const char *hex, struct shim_call *out)
{
    size_t n = strlen(hex);

    if (strcmp(hex, "-") == 0)
        return true;
    if (n % 2 || n > LINE_MAX_HEX || strspn(hex, "0123456789abcdefABCDEF") != n)
        return false;
    out->content = xmalloc(n / 2 + 1);
    for (size_t i = 0; i < n / 2; i++) {
        unsigned byte;

        if (sscanf(hex + 2 * i, "%2x", &byte) != 1)
            return false;
        out->content[i] = (unsigned char)byte;
    }
    out->content_len = n / 2;
    out->content[out->content_len] = '\0';
    return true;
}

/* "munmap PID ADDR LEN mapped RUNS head HEX" and "alive PID ADDR LEN head HEX" */
static bool parse_range_line(const char *line, struct shim_call *out, unsigned long long *addr,
                             unsigned long long *len)
{
    static char runs[400], head[LINE_MAX_HEX + 2];
    bool alive = out->kind == SHIM_ALIVE;
    int used = 0;

    if (alive ? sscanf(line, "alive %ld %llx %llu head %8193s%n", &out->pid, addr, len, head, &used) != 4
              : sscanf(line, "munmap %ld %llx %llu mapped %399s head %8193s%n", &out->pid, addr, len, runs, head,
                       &used) != 5)
        return false;
    if (line[used] != '\0' || (!alive && !shimlog_parse_runs(runs, out)) || !decode_head(head, out)) {
        shim_call_free(out);
        return false;
    }
    out->returned = alive;
    out->ok = false; /* a munmap: until its result comes */
    return true;
}

bool shimlog_parse_line(const char *line, struct shim_call *out)
{
    unsigned long long addr = 0, len = 0, off, ret = 0;
    char tail[16] = "";
    int used = 0, r;

    memset(out, 0, sizeof *out);
    if (strncmp(line, "mmap ", 5) == 0) {
        out->kind = SHIM_MMAP;
        if (sscanf(line, "mmap %ld %llx %llu %x %x %d %llx = %llx %d%n", &out->pid, &addr, &len, &out->prot,
                   &out->flags, &out->fd, &off, &ret, &out->err, &used) != 9)
            return false;
        sscanf(line + used, " %15s", tail);
        out->injected = strcmp(tail, "injected") == 0;
        out->offset = off;
        out->ok = ret != (unsigned long long)(uintptr_t)MAP_FAILED;
        out->returned = true;
    } else if (strncmp(line, "munmap ", 7) == 0 || strncmp(line, "alive ", 6) == 0) {
        out->kind = line[0] == 'a' ? SHIM_ALIVE : SHIM_MUNMAP;
        if (!parse_range_line(line, out, &addr, &len))
            return false;
    } else if (strncmp(line, "returned ", 9) == 0) {
        out->kind = SHIM_RETURN;
        if (sscanf(line, "returned %ld %d %d%n", &out->pid, &r, &out->err, &used) != 3 || line[used] != '\0')
            return false;
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

size_t shimlog_feed(struct shimlog *log, const char *data, size_t n, size_t pauses, size_t out_offset)
{
    struct bytes *b = &log->pending;
    size_t used = 0, waiting = 0;

    bytes_append(b, data, n);
    while (used < b->len) {
        char *line = b->data + used, *nl = memchr(line, '\n', b->len - used);
        struct shim_call call;

        if (!nl)
            break;
        *nl = '\0';
        used = (size_t)(nl - b->data) + 1;
        /* the shim waits after every mmap and munmap line it wrote */
        waiting += strncmp(line, "mmap ", 5) == 0 || strncmp(line, "munmap ", 7) == 0;
        if (!shimlog_parse_line(line, &call))
            continue;
        if (log->parsed.count == SHIMLOG_MAX_CALLS) {
            shim_call_free(&call);
            continue;
        }
        call.pauses_before = pauses;
        call.out_offset = out_offset;
        xgrow(&log->parsed.items, &log->parsed.cap, log->parsed.count + 1, sizeof call);
        log->parsed.items[log->parsed.count++] = call;
    }
    bytes_consume(b, used);
    return waiting;
}

void shimlog_take(struct shimlog *log, long pid, struct shim_calls *calls)
{
    for (size_t i = 0; i < log->parsed.count; i++) {
        struct shim_call *call = &log->parsed.items[i];

        if (call->pid == pid && call->kind == SHIM_RETURN)
            shimlog_apply_return(calls->items, calls->count, call);
        if (call->pid != pid || call->kind == SHIM_RETURN || calls->count == SHIMLOG_MAX_CALLS) {
            shim_call_free(call);
            continue;
        }
        xgrow(&calls->items, &calls->cap, calls->count + 1, sizeof *call);
        calls->items[calls->count++] = *call;
    }
    log->parsed.count = 0;
}

void shimlog_free(struct shimlog *log)
{
    bytes_free(&log->pending);
    shim_calls_free(&log->parsed);
}

void shim_call_free(struct shim_call *c)
{
    free(c->content);
    c->content = NULL;
    c->content_len = 0;
}

void shim_calls_free(struct shim_calls *calls)
{
    for (size_t i = 0; i < calls->count; i++)
        shim_call_free(&calls->items[i]);
    free(calls->items);
    memset(calls, 0, sizeof *calls);
}
