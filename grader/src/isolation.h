/* isolation.h - choose how student code is confined: the strongest level
 * under which the grader can still observe a paused program, found by
 * probing each candidate with the grader's own target; and what the
 * kernel does on a read of a fresh page, found by the same probe. */
#ifndef MMGRADE_ISOLATION_H
#define MMGRADE_ISOLATION_H

#include <stdbool.h>
#include <stddef.h>

#include "sandbox.h"

/* The confinement student code gets, strongest first. */
enum isolation {
    ISOLATION_SANDBOX_NOBODY, /* sandboxed, as nobody (the grader is root) */
    ISOLATION_SANDBOX,        /* sandboxed, as the grader's user */
    ISOLATION_NOBODY,         /* not sandboxed, as nobody (the grader is root) */
    ISOLATION_NONE,           /* the grader's child, limits only */
};

/* What --isolation asks for. */
enum isolation_wish { WISH_AUTO, WISH_SANDBOX, WISH_NONE };

/* The tools the probe needs, found on PATH and beside mmgrade. */
struct isolation_tools {
    const char *bwrap, *setpriv; /* NULL when absent */
    const char *target, *shim;   /* mmtarget and mmshim.so; target NULL: cannot probe */
    const char *init;            /* mminit */
    const char *scratch_root;    /* where the probe runs (the sandbox's user must reach it) */
};

struct isolation_choice {
    enum isolation level;
    struct sandbox sandbox;  /* the level's: bwrap and the user (unused for ISOLATION_NONE) */
    bool read_allocates;     /* on this kernel a read of a fresh private page gives it memory */
};

/* "bwrap sandbox, as nobody", ... for reports. */
const char *isolation_name(enum isolation level);
/* What a probe found, as words ("sandbox-nobody zero-page"): a batch
 * probes once and hands it to each grading in MMGRADE_PROBED. Into buf. */
const char *isolation_describe(const struct isolation_choice *c, char *buf, size_t cap);
/* Takes what isolation_describe wrote, without probing again, when wish
 * allows that level and its tools are here; false otherwise. */
bool isolation_assume(const char *words, enum isolation_wish wish, const struct isolation_tools *tools,
                      struct isolation_choice *out);
/* Probes the levels wish allows, strongest first, and fills *out with the
 * first under which observation works; false, with what the last probe
 * saw in why, when none does. */
bool isolation_choose(enum isolation_wish wish, const struct isolation_tools *tools, struct isolation_choice *out,
                      char *why, size_t cap);

#endif
