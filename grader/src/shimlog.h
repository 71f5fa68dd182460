/* shimlog.h - read what mmshim logs of a program's own mmap and munmap
 * calls: one line a call, arriving in pieces through a pipe. */
#ifndef MMGRADE_SHIMLOG_H
#define MMGRADE_SHIMLOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bytes.h"

#define SHIM_MAX_RUNS 8

enum shim_kind { SHIM_MMAP, SHIM_MUNMAP, SHIM_RETURN, SHIM_ALIVE };

struct shim_range {
    uint64_t start, end;
};

struct shim_call {
    enum shim_kind kind;
    long pid;
    uint64_t addr, len;
    int prot, flags, fd;  /* mmap only */
    uint64_t offset;      /* mmap only */
    uint64_t ret;         /* mmap: the address or MAP_FAILED; munmap: 0 or -1 */
    int err;
    bool injected;        /* mmap failed because the grader made it */
    bool ok;              /* the call succeeded */
    bool returned;        /* false: the program died in the call (munmap) */
    struct shim_range mapped[SHIM_MAX_RUNS]; /* munmap: mapped runs before it */
    size_t nmapped;
    bool mapped_unknown;  /* munmap: runs not listed (too many, too long) */
    unsigned char *content; /* munmap, alive: what addr held (its first page, or
                             * its first bytes), trailing zeros left out; owned */
    size_t content_len;
    size_t pauses_before; /* pauses the grader saw before this call */
    size_t out_offset;    /* bytes of stdout the program had printed before it */
};

/* The calls of one program, in the order it made them. */
struct shim_calls {
    struct shim_call *items;
    size_t count, cap;
};

/* The log as it arrives: bytes in, whole lines parsed as they complete and
 * kept until they are taken (at most 1 MiB waits unparsed: past it, bytes
 * are dropped and pending.capped says so). */
struct shimlog {
    struct bytes pending;
    struct shim_calls parsed; /* every process's, not yet taken */
};

#define SHIMLOG_MAX_CALLS 100000     /* kept per program */

/* Takes n more bytes of the log; each line they complete becomes a call,
 * made after pauses pauses and out_offset bytes of stdout. Returns how many
 * of those lines were an mmap or a munmap: the shim waits for one byte of
 * answer after each. */
size_t shimlog_feed(struct shimlog *log, const char *data, size_t n, size_t pauses, size_t out_offset);
/* Moves the calls of pid parsed so far to calls, in order (a "returned"
 * line completes the call it answers); the calls of other PIDs (a forked
 * child's are its own) are dropped. */
void shimlog_take(struct shimlog *log, long pid, struct shim_calls *calls);
void shimlog_free(struct shimlog *log);
/* Frees what a call holds, and a list of calls. */
void shim_call_free(struct shim_call *c);
void shim_calls_free(struct shim_calls *calls);

/* Parses one log line; false when it is not a well-formed one. A munmap
 * line comes before its call and a SHIM_RETURN line after it; an alive line
 * at exit, for a mapping never unmapped. The call holds memory of its own
 * (shim_call_free). */
bool shimlog_parse_line(const char *line, struct shim_call *out);
/* Gives a SHIM_RETURN line's result to the last call of its PID still
 * waiting for one; false when none is. */
bool shimlog_apply_return(struct shim_call *calls, size_t ncalls, const struct shim_call *result);
/* Whether c is a munmap that took effect: it succeeded, or the program
 * died in it (the kernel unmaps before it returns to the program, so a
 * program that dies there died of what it unmapped). */
bool shimlog_unmapped(const struct shim_call *c);

#endif
