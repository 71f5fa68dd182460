/* isolation.c - choose how student code is confined: probe each candidate
 * level with the grader's own target, strongest first, and keep the first
 * under which a paused program can still be observed. */
#define _GNU_SOURCE
#include "isolation.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "files.h"
#include "session.h"

#define PROBE_TIMEOUT_S 5

const char *isolation_name(enum isolation level)
{
    switch (level) {
    case ISOLATION_SANDBOX_NOBODY:
        return "bwrap sandbox, as nobody";
    case ISOLATION_SANDBOX:
        return "bwrap sandbox, as the grader's user";
    case ISOLATION_NOBODY:
        return "no sandbox, as nobody";
    default:
        return "none (limits only)";
    }
}

static const char *const tokens[] = {
    [ISOLATION_SANDBOX_NOBODY] = "sandbox-nobody", [ISOLATION_SANDBOX] = "sandbox",
    [ISOLATION_NOBODY] = "nobody",                 [ISOLATION_NONE] = "none",
};

const char *isolation_describe(const struct isolation_choice *c, char *buf, size_t cap)
{
    snprintf(buf, cap, "%s %s", tokens[c->level], c->read_allocates ? "allocates" : "zero-page");
    return buf;
}

/* The target's regions, from its line "ready PID ADDR LEN read ADDR LEN
 * ADDR LEN ...": written, a few pages only read, a 2 MiB piece only read. */
struct probe_regions {
    unsigned long long written, read_page, read_huge;
};

static const struct residency *residency_at(const struct pause_snapshot *p, uint64_t start)
{
    for (size_t i = 0; p && i < p->nresidency; i++)
        if (p->residency[i].start == start)
            return &p->residency[i];
    return NULL;
}

/* Why the probe run r does not show what every check of a paused program
 * needs, or "" when it does; *read_allocates from the regions only read. */
static void probe_verdict(const struct run_result *r, const char *target, bool *read_allocates, char *why,
                          size_t cap)
{
    const struct pause_snapshot *p = r->npauses > 0 ? &r->pauses[0] : NULL;
    const char *ready = strstr(r->out, "ready ");
    struct probe_regions at;
    unsigned long long pid, len, read_len, huge_len;
    bool located = ready && sscanf(ready, "ready %llu %llx %llu read %llx %llu %llx %llu", &pid, &at.written, &len,
                                   &at.read_page, &read_len, &at.read_huge, &huge_len) == 7;
    const struct residency *w = located ? residency_at(p, at.written) : NULL,
                           *rp = located ? residency_at(p, at.read_page) : NULL,
                           *rh = located ? residency_at(p, at.read_huge) : NULL;
    int err_len = (int)(r->err_len < 200 ? r->err_len : 200);
    char end[256];

    while (err_len > 0 && isspace((unsigned char)r->err[err_len - 1]))
        err_len--;
    session_describe_end(r, end, sizeof end);
    why[0] = '\0';
    if (!r->started) /* the reason, stderr's included, is in end */
        snprintf(why, cap, "its probe program %s %s", target, end);
    else if (r->npauses == 0 && r->exited && r->exit_code >= 126)
        snprintf(why, cap, "its probe program %s %s%s%.*s", target, end, err_len ? ": " : "", err_len, r->err);
    else if (!p)
        snprintf(why, cap, "its probe program %s without being seen to wait for input: /proc/PID/syscall or "
                           "/proc/PID/io is not readable (Yama ptrace_scope 2 or 3, /proc mounted with hidepid) or "
                           "not the kernel's (an emulator such as qemu-user)", end);
    else if (!p->status_ok || !p->maps_ok)
        snprintf(why, cap, "/proc/PID/status or /proc/PID/maps of its probe program is not readable");
    else if (!w || !rp || !rh)
        snprintf(why, cap, "its probe program's regions were not found in its output, or /proc/PID/pagemap or "
                           "/proc/PID/mem of its pages could not be read");
    else if (w->total == 0 || w->own != w->total || w->own_zero != 0)
        snprintf(why, cap, "/proc/PID/pagemap does not show the pages its probe program wrote as present");
    else if (rp->own_zero != rp->own || rh->own_zero != rh->own)
        snprintf(why, cap, "/proc/PID/mem does not show the pages its probe program only read as zeros");
    else
        *read_allocates = rp->own > 0 || rh->own > 0;
}

/* True when, under sb (NULL: none), the grader sees a pause of its own
 * target and reads its status, maps, pagemap and memory there: what every
 * check of a paused program needs. */
static bool observation_works(const struct sandbox *sb, const struct isolation_tools *tools, bool *read_allocates,
                              char *why, size_t cap)
{
    char dir[PATH_MAX];
    struct sandbox probe;
    struct run_result r;

    snprintf(dir, sizeof dir, "%s/probe", tools->scratch_root);
    mkdir(dir, 0700);
    if (sb) {
        probe = *sb;
        probe.own_pid_ns = true;
        probe.ro_paths[0] = tools->target;
        probe.ro_paths[1] = tools->shim;
        if (sandbox_shares_user_ns(&probe) && chown(dir, probe.uid, probe.gid) != 0) {
            snprintf(why, cap, "cannot hand the probe's folder to the sandbox's user: %s", strerror(errno));
            return false;
        }
    }
    struct run_spec spec = {.init = tools->init, .program = tools->target, .workdir = dir, .shim = tools->shim,
                            .timeout_s = PROBE_TIMEOUT_S, .count_zero_pages = true, .sandbox = sb ? &probe : NULL};
    session_run(&spec, &r);
    probe_verdict(&r, tools->target, read_allocates, why, cap);
    session_result_free(&r);
    files_remove_tree(dir);
    return why[0] == '\0';
}

/* The candidates, strongest first, and whether wish allows each. */
static bool candidate(enum isolation level, enum isolation_wish wish, const struct isolation_tools *tools,
                      struct sandbox *sb)
{
    bool root = geteuid() == 0;

    memset(sb, 0, sizeof *sb);
    sb->uid = (uid_t)-1;
    sb->gid = (gid_t)-1;
    switch (level) {
    case ISOLATION_SANDBOX_NOBODY:
        sb->bwrap = tools->bwrap;
        sb->setpriv = tools->setpriv;
        sb->uid = sb->gid = 65534; /* nobody */
        return wish != WISH_NONE && tools->bwrap && tools->setpriv && root;
    case ISOLATION_SANDBOX:
        sb->bwrap = tools->bwrap;
        return wish != WISH_NONE && tools->bwrap;
    case ISOLATION_NOBODY:
        /* no sandbox to be had: as root, another user is still worth having */
        sb->uid = sb->gid = 65534;
        return wish == WISH_AUTO && root;
    default:
        /* as root, "none" would run student code as root: only when asked */
        return wish == WISH_NONE || (wish == WISH_AUTO && !root);
    }
}

bool isolation_assume(const char *words, enum isolation_wish wish, const struct isolation_tools *tools,
                      struct isolation_choice *out)
{
    char level[32], fault[32], tail;

    memset(out, 0, sizeof *out);
    if (sscanf(words, "%31s %31s %c", level, fault, &tail) != 2 ||
        (strcmp(fault, "allocates") != 0 && strcmp(fault, "zero-page") != 0))
        return false;
    for (size_t i = 0; i < sizeof tokens / sizeof tokens[0]; i++)
        if (strcmp(level, tokens[i]) == 0 && candidate((enum isolation)i, wish, tools, &out->sandbox)) {
            out->level = (enum isolation)i;
            out->read_allocates = fault[0] == 'a';
            return true;
        }
    return false;
}

bool isolation_choose(enum isolation_wish wish, const struct isolation_tools *tools, struct isolation_choice *out,
                      char *why, size_t cap)
{
    static const enum isolation levels[] = {ISOLATION_SANDBOX_NOBODY, ISOLATION_SANDBOX, ISOLATION_NOBODY,
                                            ISOLATION_NONE};

    memset(out, 0, sizeof *out);
    snprintf(why, cap, "bwrap is not installed");
    for (size_t i = 0; i < sizeof levels / sizeof levels[0]; i++) {
        if (!candidate(levels[i], wish, tools, &out->sandbox))
            continue;
        /* without a target nothing can be probed: only "none" is taken on trust */
        if (!tools->target ? levels[i] == ISOLATION_NONE
                           : observation_works(levels[i] == ISOLATION_NONE ? NULL : &out->sandbox, tools,
                                               &out->read_allocates, why, cap)) {
            out->level = levels[i];
            return true;
        }
    }
    return false;
}
