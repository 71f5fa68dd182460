/* program_judge.c - the checks of tasks 2.1-2.3, judged from recorded runs
 * only: what was expected, what was observed, and what to try. One mistake
 * fails one check; a check that cannot be judged without what another
 * check found missing says "Precondition failed" and names that check. */
#define _GNU_SOURCE
#include "program_judge.h"

#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "../text.h"

#define MAX_GROUPS 8
#define ENTERS_IN_ONE_READ 3 /* a pause that takes this many Enters does not end on one */

/* The runs that pass SIZE (or none: 4096), in the order they are judged. */
static const enum scenario sized[] = {SCENARIO_DEFAULT, SCENARIO_SMALL, SCENARIO_LARGE};
#define NSIZED (sizeof sized / sizeof sized[0])

/* Pauses in a row at which the program had printed and called nothing
 * new: one read loop that took several Enters (scanf("%d") skips them). */
struct pause_group {
    const struct pause_snapshot *first, *last;
    size_t enters;
};

/* One sized run as the checks see it. */
struct run_view {
    enum scenario sc;
    const struct run_result *run;
    const struct program_output *out;
    uint64_t size;                 /* the SIZE asked */
    const struct shim_call *m;     /* the lab's mapping; NULL: none */
    uint64_t end;                  /* its end, in whole pages */
    const struct shim_call *unmap; /* the first munmap that touched it, or NULL */
    struct pause_group groups[MAX_GROUPS]; /* while the mapping exists */
    size_t ngroups;
    const struct measurement *stage[STAGE_COUNT]; /* placed by the program's own calls */
};

static uint64_t round_up(uint64_t n, uint64_t page)
{
    return (n + page - 1) / page * page;
}

static uint64_t size_of(const struct observations *o, enum scenario sc)
{
    return sc == SCENARIO_SMALL ? o->small_size : sc == SCENARIO_LARGE ? o->large_size : 4096;
}

/* How many sized runs the task has: 2.1 takes no SIZE. */
static size_t nsized(const struct observations *o)
{
    return o->task == TASK_2_1 ? 1 : NSIZED;
}

/* Whether the program's Mapped line names an address in call c's range. */
static bool names(const struct program_output *out, const struct shim_call *c, uint64_t page)
{
    return out && out->mapped_found && out->mapped_addr >= c->ret && out->mapped_addr < c->ret + round_up(c->len, page);
}

/* The lab's mapping in a run: among the program's own successful anonymous
 * mmaps of SIZE in whole pages, the one the Mapped line names, else the
 * last made (a scratch buffer of the same size comes first); failing
 * those, the one the Mapped line names, else the largest. */
static const struct shim_call *find_mapping(const struct run_result *r, const struct program_output *out,
                                            uint64_t size, uint64_t page)
{
    const struct shim_call *sized_one = NULL, *sized_named = NULL, *named = NULL, *largest = NULL;

    for (size_t i = 0; i < r->ncalls; i++) {
        const struct shim_call *c = &r->calls[i];

        if (c->kind != SHIM_MMAP || !c->ok || !(c->flags & MAP_ANONYMOUS))
            continue;
        if (round_up(c->len, page) == round_up(size, page)) {
            sized_one = c;
            sized_named = names(out, c, page) ? c : sized_named;
        }
        named = names(out, c, page) ? c : named;
        largest = !largest || c->len > largest->len ? c : largest;
    }
    return sized_named ? sized_named : sized_one ? sized_one : named ? named : largest;
}

/* The first successful munmap after m that touched it, or NULL. */
static const struct shim_call *find_unmap(const struct run_result *r, const struct shim_call *m, uint64_t page)
{
    uint64_t end = m->ret + round_up(m->len, page);

    for (size_t i = (size_t)(m - r->calls) + 1; i < r->ncalls; i++) {
        const struct shim_call *c = &r->calls[i];

        if (shimlog_unmapped(c) && c->addr < end && c->addr + round_up(c->len, page) > m->ret)
            return c;
    }
    return NULL;
}

/* The pauses while the mapping exists, in groups: a pause at which the
 * program had printed and called nothing since the last one is the same
 * read loop taking another Enter. */
static void group_pauses(struct run_view *v)
{
    const struct run_result *r = v->run;
    size_t mapped_at = (size_t)(v->m - r->calls), unmapped_at = v->unmap ? (size_t)(v->unmap - r->calls) : r->ncalls;

    for (size_t i = 0; i < r->npauses; i++) {
        const struct pause_snapshot *p = &r->pauses[i];
        struct pause_group *g = v->ngroups ? &v->groups[v->ngroups - 1] : NULL;

        if (p->calls_before <= mapped_at || p->calls_before > unmapped_at)
            continue;
        if (g && g->last == p - 1 && p->calls_before == g->last->calls_before && p->out_offset == g->last->out_offset) {
            g->last = p;
            g->enters++;
        } else if (v->ngroups < MAX_GROUPS) {
            v->groups[v->ngroups++] = (struct pause_group){p, p, 1};
        }
    }
}

/* The measurements the program printed, placed by its own calls: the last
 * before its mmap is Initial, the first after it After mmap, the last
 * before its munmap After writing, the first after it After munmap. */
static void place_measurements(const struct observations *o, struct run_view *v)
{
    size_t mmap_at = v->m->out_offset, unmap_at = v->unmap ? v->unmap->out_offset : SIZE_MAX, between = 0;

    for (size_t i = 0; i < v->out->nmeas; i++) {
        const struct measurement *x = &v->out->meas[i];

        if (x->end <= mmap_at) {
            v->stage[STAGE_INITIAL] = x;
        } else if (x->end <= unmap_at) {
            if (between++ == 0)
                v->stage[STAGE_AFTER_MMAP] = x;
            else
                v->stage[STAGE_AFTER_WRITE] = x;
        } else if (!v->stage[STAGE_AFTER_MUNMAP]) {
            v->stage[STAGE_AFTER_MUNMAP] = x;
        }
    }
    (void)o;
}

static void view_run(const struct observations *o, enum scenario sc, struct run_view *v)
{
    memset(v, 0, sizeof *v);
    v->sc = sc;
    v->run = &o->runs[sc];
    v->out = &o->out[sc];
    v->size = size_of(o, sc);
    v->m = find_mapping(v->run, v->out, v->size, o->page);
    if (!v->m)
        return;
    v->end = v->m->ret + round_up(v->m->len, o->page);
    v->unmap = find_unmap(v->run, v->m, o->page);
    group_pauses(v);
    place_measurements(o, v);
}

/* The views of the sized runs in which the program made its mapping; false
 * when it made none in any, and c then fails saying so. */
static bool view_mapped_runs(const struct observations *o, struct run_view *views, size_t *n, struct check_result *c)
{
    *n = 0;
    for (size_t i = 0; i < nsized(o); i++) {
        view_run(o, sized[i], &views[*n]);
        if (views[*n].m)
            (*n)++;
    }
    if (*n == 0)
        check_fail(c, "Precondition failed: the program made no anonymous mapping (no successful mmap of its own) "
                      "in any run (see `%s`).", o->task == TASK_2_1 ? "maps_page" : "size_arg");
    return *n > 0;
}

static const struct residency *residency_of(const struct pause_snapshot *p, const struct shim_call *m)
{
    for (size_t i = 0; p && i < p->nresidency; i++)
        if (p->residency[i].start == m->ret)
            return &p->residency[i];
    return NULL;
}

/* Pages of the mapping at p that the program wrote, as far as the kernel
 * lets the grader tell: on a kernel where a read allocates, an own page
 * that holds only zeros was read (or written with zeros, which cannot be
 * told apart), unless MAP_POPULATE or MAP_LOCKED faulted it in at mmap. */
static size_t written_pages(const struct observations *o, const struct residency *res, const struct shim_call *m)
{
    bool reads_count = o->read_allocates && !(m->flags & (MAP_POPULATE | MAP_LOCKED));

    return res->own - (reads_count && res->own_zero <= res->own ? res->own_zero : 0);
}

/* Records what the kernel does on a read of a fresh page, by which the
 * check's verdict was reached. */
static void note_read_fault(const struct observations *o, struct check_result *c)
{
    cJSON *obs = check_observed(c);

    cJSON_AddStringToObject(obs, "read_fault", o->read_allocates ? "allocates a page" : "maps the shared zero page");
    cJSON_AddStringToObject(obs, "read_fault_from", o->read_fault_forced ? "MMGRADE_READ_FAULT" : "probe");
}

/* Appends the command that shows scenario sc's run by hand, then what to
 * look at. */
static void note_reproduce_with(struct check_result *c, const struct observations *o, enum scenario sc,
                                const char *prefix, const char *then)
{
    char cmd[PATH_MAX + 160];

    catalog_scenario_command(sc, o->program, o->small_size, o->large_size, o->shim, cmd, sizeof cmd);
    check_note(c, "Reproduce: %s%s%s", prefix ? prefix : "", cmd, then ? then : "");
}

static void note_reproduce(struct check_result *c, const struct observations *o, enum scenario sc, const char *then)
{
    note_reproduce_with(c, o, sc, NULL, then);
}

static bool run_ok(const struct run_result *r)
{
    return r->started && r->exited && r->exit_code == 0;
}

/* ", while it was sleeping (...)" when the run timed out and what the
 * program was doing is known; "" else. */
static const char *while_doing(const struct run_result *r, char *buf, size_t cap)
{
    if (r->timed_out && r->activity[0])
        snprintf(buf, cap, "; at the time limit it was %s", r->activity);
    else
        buf[0] = '\0';
    return buf;
}

/* Why the rest of a run is missing, when the run did not end by itself:
 * fills why and returns true (the checks that needed the rest then fail
 * as a precondition of runs). */
static bool run_cut_short(const struct run_result *r, char *why, size_t cap)
{
    char end[256];

    if (r->exited)
        return false;
    if (r->timed_out)
        snprintf(why, cap, "the run was stopped at the time limit%s%s", r->activity[0] ? " while the program was " : "",
                 r->activity);
    else
        snprintf(why, cap, "the program %s", session_describe_end(r, end, sizeof end));
    return true;
}

static void judge_runs(const struct observations *o, struct check_result *c)
{
    const struct run_result *def = &o->runs[SCENARIO_DEFAULT], *eof = &o->runs[SCENARIO_EOF];
    char why[256];

    if (!run_ok(def)) {
        check_fail(c, "Expected: `./%s` exits with status 0%s.\nObserved: it %s.%s%.500s", o->program,
                   o->task == TASK_2_3 ? ", given Enter at each pause" : "", session_describe_end(def, why, sizeof why),
                   def->err_len ? "\nstderr: " : "", def->err);
        note_reproduce(c, o, SCENARIO_DEFAULT, "; echo \"exit status $?\"");
        return;
    }
    if (o->task != TASK_2_1 && !run_ok(eof)) {
        check_fail(c, "Expected: `./mmap_demo < /dev/null` (stdin at end-of-file) runs to the end and exits 0.\n"
                      "Observed: it %s.\nTry: end your pause loop on EOF as well as on '\\n'.",
                   session_describe_end(eof, why, sizeof why));
        note_reproduce(c, o, SCENARIO_EOF, "; echo \"exit status $?\"");
        return;
    }
    check_pass(c, "Exited 0 in %.2f s%s.", def->seconds, o->task != TASK_2_1 ? ", and again with stdin at end-of-file" : "");
}

static void judge_stages(const struct observations *o, struct check_result *c)
{
    const struct program_output *p = &o->out[SCENARIO_DEFAULT];
    const struct run_result *def = &o->runs[SCENARIO_DEFAULT];
    char why[512];

    for (int s = 0; s < STAGE_COUNT; s++) {
        if (!p->stage_found[s] && run_cut_short(def, why, sizeof why)) {
            check_fail(c, "Precondition failed: %s, before it printed `[%s]` (see `runs`).", why, output_stage_name(s));
            return;
        }
        if (!p->stage_found[s]) {
            check_fail(c, "Expected: a `[%s]` line, then its ps table.\nObserved: no line for that stage in the output:\n%.1500s",
                       output_stage_name(s), def->out);
            note_reproduce(c, o, SCENARIO_DEFAULT, NULL);
            return;
        }
        if (!p->table[s].found) {
            check_fail(c, "Expected: after `[%s]`, a ps header (with VSZ and RSS) and one numeric row.\n"
                          "Observed: no such table after that line.\nTry: ps -o pid,vsz,rss,comm -p <your pid>",
                       output_stage_name(s));
            note_reproduce(c, o, SCENARIO_DEFAULT, NULL);
            return;
        }
    }
    if (!p->in_order) {
        check_fail(c, "Expected: the stages in the order Initial, After mmap, After writing, After munmap.\nObserved: another order.");
        note_reproduce(c, o, SCENARIO_DEFAULT, NULL);
        return;
    }
    check_pass(c, "All four stages, in order, each with a table.");
}

static void judge_address(const struct observations *o, struct check_result *c)
{
    struct run_view v;

    view_run(o, SCENARIO_DEFAULT, &v);
    if (!v.m) {
        check_fail(c, "Precondition failed: the program made no mapping to print the address of (see `%s`).",
                   o->task == TASK_2_1 ? "maps_page" : "size_arg");
        return;
    }
    if (!v.out->mapped_found) {
        check_fail(c, "Expected: a line `Mapped %" PRIu64 " bytes at 0x%" PRIx64 "` (mmap returned 0x%" PRIx64 ").\n"
                      "Observed: no `Mapped N bytes at 0x...` line.\nTry: printf(\"Mapped %%zu bytes at %%p\\n\", size, "
                      "(void *)ptr);",
                   round_up(v.m->len, 1), v.m->ret, v.m->ret);
        note_reproduce(c, o, SCENARIO_DEFAULT, NULL);
        return;
    }
    if (v.out->mapped_addr < v.m->ret || v.out->mapped_addr >= v.end) {
        check_fail(c, "Expected: the address mmap returned, 0x%" PRIx64 ", after `Mapped ... bytes at`.\n"
                      "Observed: 0x%llx, outside the mapping %" PRIx64 "-%" PRIx64 ".\n"
                      "Try: print the pointer mmap returned (ptr), not the address of the variable holding it (&ptr).",
                   v.m->ret, (unsigned long long)v.out->mapped_addr, v.m->ret, v.end);
        note_reproduce(c, o, SCENARIO_DEFAULT, NULL);
        return;
    }
    check_pass(c, "Printed 0x%llx, which mmap returned.", (unsigned long long)v.out->mapped_addr);
}

/* Who a PID of another process is, as the program sees it. */
static const char *whose_pid(const struct run_result *r, long pid)
{
    if (pid == r->decoy_pids[0] || pid == r->decoy_pids[1])
        return "the grader's decoy: a process with your program's name that runs beside it, as a classmate's "
               "would on a shared machine. Measuring by name (ps -C, pidof, pgrep) finds it";
    if (pid == r->parent_pid)
        return "your program's parent (getppid()), not your program";
    return "another process";
}

/* Every table with a PID column is one row, the program's own. */
static bool honest_pids(const struct observations *o, struct check_result *c)
{
    const struct run_result *def = &o->runs[SCENARIO_DEFAULT];
    const struct program_output *p = &o->out[SCENARIO_DEFAULT];
    /* NSpid when a pause let us read it, or else what mminit said */
    long own = def->npauses > 0 && def->pauses[0].status_ok ? def->pauses[0].status.nspid : (long)def->self_pid;

    for (size_t i = 0; i < p->nmeas; i++) {
        const struct measurement *x = &p->meas[i];
        long other = -1;

        /* the decoy or the parent first: another row may be any process
         * of the machine with the program's name */
        for (size_t k = 0; x->has_pid && k < x->rows; k++)
            if (x->pids[k] != own && (other < 0 || x->pids[k] == def->decoy_pids[0] ||
                                      x->pids[k] == def->decoy_pids[1] || x->pids[k] == def->parent_pid))
                other = x->pids[k];
        if (other < 0)
            continue;
        check_fail(c, "Expected: each table is the program's own process (PID %ld), one row.\n"
                      "Observed: a table %s PID %ld, %s.\n"
                      "Try: ps -o pid,vsz,rss,comm -p <getpid()>, or read /proc/self/status.",
                   own, x->rows > 1 ? "of several processes, among them" : "of", other, whose_pid(def, other));
        note_reproduce(c, o, SCENARIO_DEFAULT, NULL);
        return false;
    }
    return true;
}

/* At each pause, the measurement printed last before it agrees with /proc. */
static bool honest_at_pauses(const struct observations *o, struct check_result *c)
{
    const struct run_result *def = &o->runs[SCENARIO_DEFAULT];
    const struct program_output *p = &o->out[SCENARIO_DEFAULT];

    for (size_t i = 0; i < def->npauses; i++) {
        const struct pause_snapshot *ps = &def->pauses[i];
        const struct measurement *last = NULL;

        for (size_t k = 0; k < p->nmeas && p->meas[k].end <= ps->out_offset; k++)
            last = &p->meas[k];
        if (!last || !ps->status_ok)
            continue;
        if (labs(last->vsz_kib - ps->status.vm_size_kib) > HONEST_TOLERANCE_KIB ||
            labs(last->rss_kib - ps->status.vm_rss_kib) > HONEST_TOLERANCE_KIB) {
            check_fail(c, "Expected: the numbers printed before pause %zu within %d KiB of /proc/PID/status at the pause.\n"
                          "Observed: printed VSZ %ld RSS %ld, status VmSize %ld VmRSS %ld.\n"
                          "Try: measure your own process at that moment (ps -p <getpid()> or /proc/self/status), "
                          "not another process found by name.",
                       i + 1, HONEST_TOLERANCE_KIB, last->vsz_kib, last->rss_kib, ps->status.vm_size_kib,
                       ps->status.vm_rss_kib);
            note_reproduce(c, o, SCENARIO_DEFAULT,
                           ", and at the pause compare your table with: grep -E 'VmSize|VmRSS' /proc/PID/status");
            return false;
        }
    }
    return true;
}

/* With the large size, the numbers printed after the munmap fall by the
 * mapping: a table of VmPeak, or of a moment before the munmap, does not. */
static bool honest_after_munmap(const struct observations *o, struct check_result *c)
{
    struct run_view v;
    long map_kib, drop;

    view_run(o, SCENARIO_LARGE, &v);
    if (!v.m || !v.unmap || !v.stage[STAGE_AFTER_WRITE] || !v.stage[STAGE_AFTER_MUNMAP] ||
        v.unmap->len < v.m->len)
        return true; /* munmap's own check says what is missing */
    map_kib = (long)(round_up(v.m->len, o->page) / 1024);
    drop = v.stage[STAGE_AFTER_WRITE]->vsz_kib - v.stage[STAGE_AFTER_MUNMAP]->vsz_kib;
    if (drop >= map_kib - HONEST_TOLERANCE_KIB)
        return true;
    check_fail(c, "Expected: with SIZE %" PRIu64 ", VSZ printed after the munmap %ld KiB below the one before it: the "
                  "mapping is gone.\nObserved: %ld -> %ld KiB, yet munmap removed the mapping.\n"
                  "Try: measure at that moment: VmSize (not VmPeak, the highest VSZ so far), or ps -p <getpid()> "
                  "after the munmap.",
               v.size, map_kib, v.stage[STAGE_AFTER_WRITE]->vsz_kib, v.stage[STAGE_AFTER_MUNMAP]->vsz_kib);
    note_reproduce(c, o, SCENARIO_LARGE, NULL);
    return false;
}

/* The grader mapped BALLAST_KIB into the small-size run before main:
 * genuine numbers printed before the mmap move by as much. True when they
 * do, or when there is nothing to compare. */
static bool honest_ballast(const struct observations *o, struct check_result *c)
{
    struct run_view def, small;

    view_run(o, SCENARIO_DEFAULT, &def);
    view_run(o, SCENARIO_SMALL, &small);
    if (!def.stage[STAGE_INITIAL] || !small.stage[STAGE_INITIAL])
        return true;
    long dv = small.stage[STAGE_INITIAL]->vsz_kib - def.stage[STAGE_INITIAL]->vsz_kib;
    long dr = small.stage[STAGE_INITIAL]->rss_kib - def.stage[STAGE_INITIAL]->rss_kib;
    cJSON *obs = check_observed(c);
    cJSON_AddNumberToObject(obs, "ballast_kib", BALLAST_KIB);
    cJSON_AddNumberToObject(obs, "initial_vsz_delta_kib", (double)dv);
    cJSON_AddNumberToObject(obs, "initial_rss_delta_kib", (double)dr);
    if (labs(dv - BALLAST_KIB) <= HONEST_TOLERANCE_KIB && labs(dr - BALLAST_KIB) <= HONEST_TOLERANCE_KIB)
        return true;
    check_fail(c, "Expected: with %d KiB more memory in the process (the grader added it before main), the "
                  "numbers printed before the mmap move by about as much.\nObserved: VSZ moved by %ld KiB, RSS by "
                  "%ld KiB.\nTry: print numbers measured at run time for your own process (getpid(), "
                  "/proc/self), not numbers typed in nor another process's found by name.",
               BALLAST_KIB, dv, dr);
    note_reproduce(c, o, SCENARIO_SMALL, NULL);
    return false;
}

/* Whether the numbers printed are the process's own as honest judges them:
 * the growth checks cannot judge numbers that are not (b_constants). */
static bool numbers_are_measured(const struct observations *o)
{
    struct check_result scratch = {.task = "", .id = ""};
    /* whose each table is, have_measurements judges table by table */
    bool measured = honest_at_pauses(o, &scratch) && honest_ballast(o, &scratch);

    free(scratch.feedback);
    cJSON_Delete(scratch.observed);
    return measured;
}

static void judge_honest(const struct observations *o, struct check_result *c)
{
    struct run_view def, small;
    cJSON *obs = check_observed(c);

    view_run(o, SCENARIO_DEFAULT, &def);
    view_run(o, SCENARIO_SMALL, &small);
    if (def.m && !small.m) {
        check_fail(c, "Precondition failed: `./mmap_demo %" PRIu64 "` made no mapping, so the grader cannot see "
                      "whether its numbers move with its memory (see `size_arg`).", o->small_size);
        return;
    }
    if (!def.stage[STAGE_INITIAL] || !small.stage[STAGE_INITIAL]) {
        check_fail(c, "Precondition failed: no VSZ and RSS printed before the mmap, with and without SIZE, to judge "
                      "(see `stages`).");
        return;
    }
    if (!honest_pids(o, c) || !honest_at_pauses(o, c) || !honest_after_munmap(o, c) || !honest_ballast(o, c))
        return;
    check_pass(c, "The tables are the program's own, agree with /proc/PID/status at the pauses, and moved by "
                  "%g/%g KiB when the grader added %d KiB.",
               cJSON_GetObjectItem(obs, "initial_vsz_delta_kib")->valuedouble,
               cJSON_GetObjectItem(obs, "initial_rss_delta_kib")->valuedouble, BALLAST_KIB);
}

/* Whether measurement x may be the program's own: no PID column, or one
 * row of its PID. */
static bool own_measurement(const struct run_view *v, const struct measurement *x)
{
    long own = v->run->npauses > 0 && v->run->pauses[0].status_ok ? v->run->pauses[0].status.nspid
                                                                   : (long)v->run->self_pid;

    return !x->has_pid || (x->rows == 1 && x->pids[0] == own);
}

/* The view's measurements at stages want[0, n): false, with c failed as a
 * precondition, when one is missing or another process's. */
static bool have_measurements(const struct run_view *v, const enum stage *want, size_t n, struct check_result *c)
{
    for (size_t i = 0; i < n; i++) {
        const struct measurement *x = v->stage[want[i]];

        if (!x) {
            check_fail(c, "Precondition failed: with SIZE %" PRIu64 ", no VSZ and RSS printed %s (see `stages`).",
                       v->size, want[i] == STAGE_INITIAL ? "before the mmap" : want[i] == STAGE_AFTER_MMAP ?
                       "after the mmap" : "after the mapping was written, before its munmap");
            return false;
        }
        if (!own_measurement(v, x)) {
            check_fail(c, "Precondition failed: with SIZE %" PRIu64 ", the table printed %s is another process's "
                          "(see `honest`).", v->size, want[i] == STAGE_INITIAL ? "before the mmap" : "after it");
            return false;
        }
    }
    return true;
}

/* False, with c failed as a precondition of honest, when the numbers
 * printed are not measurements of the process. */
static bool measured_or_say(const struct observations *o, struct check_result *c)
{
    if (numbers_are_measured(o))
        return true;
    check_fail(c, "Precondition failed: the numbers printed are not measurements of the process itself (see `honest`).");
    return false;
}

static void judge_vsz_grows(const struct observations *o, struct check_result *c)
{
    static const enum stage want[] = {STAGE_INITIAL, STAGE_AFTER_MMAP};
    struct run_view views[NSIZED];
    size_t n;

    if (!view_mapped_runs(o, views, &n, c) || !measured_or_say(o, c))
        return;
    for (size_t i = 0; i < n; i++) {
        const struct run_view *v = &views[i];
        long want_kib = (long)(round_up(v->m->len, o->page) / 1024), a, b;

        if (!have_measurements(v, want, 2, c))
            return;
        a = v->stage[STAGE_INITIAL]->vsz_kib;
        b = v->stage[STAGE_AFTER_MMAP]->vsz_kib;
        /* a table printed through system("ps") may count posix_spawn's
         * stack in one reading and not the next, whatever the size */
        if (b - a < want_kib - VSZ_NOISE_KIB) {
            check_fail(c, "Expected: with SIZE %" PRIu64 ", VSZ after mmap %ld KiB (the mapping) above the initial VSZ, "
                          "give or take %d KiB of measuring noise.\nObserved: %ld -> %ld KiB.",
                       v->size, want_kib, VSZ_NOISE_KIB, a, b);
            note_reproduce(c, o, v->sc, NULL);
            return;
        }
    }
    check_pass(c, "VSZ grew by at least the mapping in every size.");
}

/* KiB of the view's mapping that were only read by its first pause, on a
 * kernel where that gives them memory (0 elsewhere, or without a pause). */
static long read_kib_at_pause1(const struct observations *o, const struct run_view *v)
{
    const struct residency *res;

    if (!o->read_allocates || v->ngroups == 0 || !(res = residency_of(v->groups[0].first, v->m)))
        return 0;
    return (long)((res->own - written_pages(o, res, v->m)) * o->page / 1024);
}

static void judge_rss_order(const struct observations *o, struct check_result *c)
{
    static const enum stage want[] = {STAGE_INITIAL, STAGE_AFTER_MMAP, STAGE_AFTER_WRITE};
    struct run_view v;

    view_run(o, SCENARIO_LARGE, &v);
    note_read_fault(o, c);
    if (!v.m || v.m->len < LARGE_MAPPING_KIB * 1024) {
        check_fail(c, "Precondition failed: the %" PRIu64 "-byte run mapped %s (see `size_arg`): RSS steps need a "
                      "large mapping to stand out of the noise.", v.size, v.m ? "far less" : "nothing");
        return;
    }
    if (!have_measurements(&v, want, 3, c) || !measured_or_say(o, c))
        return;
    long size_kib = (long)(round_up(v.m->len, o->page) / 1024), a = v.stage[STAGE_INITIAL]->rss_kib,
         b = v.stage[STAGE_AFTER_MMAP]->rss_kib, w = v.stage[STAGE_AFTER_WRITE]->rss_kib;
    /* Where a read allocates, the pages the program only read before
     * pause 1 (zero-filled, seen there) may already count at [After mmap]:
     * they move RSS from the write step to the mmap step. */
    long read_kib = read_kib_at_pause1(o, &v);
    cJSON_AddNumberToObject(check_observed(c), "read_before_pause1_kib", (double)read_kib);
    if (b - a > RSS_AT_MMAP_SLACK_KIB + read_kib) {
        check_fail(c, "Expected: with SIZE %" PRIu64 ", RSS after mmap within %ld KiB of the initial RSS (no page written "
                      "yet%s).\nObserved: %ld -> %ld KiB.\nTry: do not write to the mapping (nor use MAP_POPULATE) before "
                      "the [After mmap] table.",
                   v.size, RSS_AT_MMAP_SLACK_KIB + read_kib, read_kib ? ", plus the pages it only read" : "", a, b);
        note_reproduce(c, o, SCENARIO_LARGE, NULL);
        return;
    }
    if (w - b < size_kib * 9 / 10 - read_kib) {
        check_fail(c, "Expected: with SIZE %" PRIu64 ", RSS after writing at least %ld KiB (90%% of the mapping%s) above "
                      "RSS after mmap.\nObserved: %ld -> %ld KiB.\nTry: write to every page of the mapping.",
                   v.size, size_kib * 9 / 10 - read_kib, read_kib ? ", less the pages read before" : "", b, w);
        note_reproduce(c, o, SCENARIO_LARGE, NULL);
        return;
    }
    check_pass(c, "With %" PRIu64 " bytes: RSS %ld -> %ld at mmap, -> %ld after writing.", v.size, a, b, w);
}

/* Fails c with what the pauses of a run that has fewer than two were. */
static void fail_pause_count(const struct observations *o, const struct run_view *v, struct check_result *c)
{
    char doing[200], ate[200] = "";

    if (v->ngroups == 1 && v->groups[0].enters >= ENTERS_IN_ONE_READ)
        snprintf(ate, sizeof ate, "; pause 1 took %zu Enters in one read loop and never returned on a newline "
                                  "(scanf(\"%%d\") and scanf(\" %%c\") skip newlines)", v->groups[0].enters);
    check_fail(c, "Expected: two pauses while the mapping exists, each a wait for one line of stdin (Enter): one "
                  "after the [After mmap] table, one after the [After writing] table.\n"
                  "Observed: with SIZE %" PRIu64 ", %s (%zu pause%s in all)%s%s.\n"
                  "Try: pause with getchar() or fgets() until a newline or EOF, at both places.",
               v->size,
               v->ngroups == 0 ? "no pause while the mapping existed"
                               : "one pause while the mapping existed, none after the write",
               v->run->npauses, v->run->npauses == 1 ? "" : "s", ate, while_doing(v->run, doing, sizeof doing));
    note_reproduce(c, o, v->sc, ": it should stop and wait, twice, until you press Enter");
}

static void judge_pauses(const struct observations *o, struct check_result *c)
{
    struct run_view views[NSIZED];
    size_t n;

    if (!view_mapped_runs(o, views, &n, c))
        return;
    for (size_t i = 0; i < n; i++)
        if (views[i].ngroups < 2) {
            fail_pause_count(o, &views[i], c);
            return;
        }
    for (size_t i = 0; i < n; i++)
        for (size_t g = 0; g < views[i].ngroups; g++) {
            if (views[i].groups[g].enters < 2)
                continue;
            check_fail(c, "Expected: each pause ends on one Enter (one line of stdin read).\n"
                          "Observed: with SIZE %" PRIu64 ", pause %zu went on only after %zu Enters, printing and "
                          "calling nothing in between: it read %zu lines.\n"
                          "Try: read one line per pause: a getchar() loop until a newline or EOF, or one fgets().",
                       views[i].size, g + 1, views[i].groups[g].enters, views[i].groups[g].enters);
            note_reproduce(c, o, views[i].sc, ": one Enter at each pause should be enough");
            return;
        }
    check_pass(c, "Two pauses or more while the mapping existed, in every size, each answered with one Enter.");
}

static void fail_lazy(const struct observations *o, struct check_result *c, const struct run_view *v,
                      const struct residency *r1)
{
    /* the kernel faults every page in at mmap for these */
    bool populated = v->m->flags & (MAP_POPULATE | MAP_LOCKED);
    const char *try = populated ? "drop MAP_POPULATE and MAP_LOCKED from mmap's flags: they fault every page in at once."
                                : "do not write to the mapping before the first pause (reading it is fine).";

    if (o->read_allocates && r1)
        check_fail(c, "Expected: at pause 1, no page of the mapping %" PRIx64 "-%" PRIx64 " written.\n"
                      "Observed: %zu of %zu pages resident (SIZE %" PRIu64 "), %zu of them holding data other than "
                      "zeros%s.\nTry: %s",
                   v->m->ret, v->end, r1->own, r1->total, v->size, written_pages(o, r1, v->m),
                   populated ? ", or faulted in by MAP_POPULATE or MAP_LOCKED" : "", try);
    else
        check_fail(c, "Expected: at pause 1, no page of the mapping %" PRIx64 "-%" PRIx64 " backed by memory of its own.\n"
                      "Observed: %zu of %zu pages resident (SIZE %" PRIu64 ").\nTry: %s",
                   v->m->ret, v->end, r1 ? r1->own : 0, r1 ? r1->total : 0, v->size, try);
}

/* At that pause, smaps' Rss of the region holding the mapping is what
 * the student can see of its residency. */
static void note_smaps(struct check_result *c, const struct observations *o, const struct run_view *v,
                       const struct pause_snapshot *p, const char *which)
{
    const struct maps_region *region = p->maps_ok ? maps_find(&p->maps, v->m->ret) : NULL;
    char then[160];

    snprintf(then, sizeof then, ", and at the %s pause: grep -A 4 '^%" PRIx64 "-' /proc/PID/smaps (its Rss: line)", which,
             region ? region->start : v->m->ret);
    note_reproduce(c, o, v->sc, then);
}

/* The mapped runs' views, when each has a pause group at which to look
 * (need: how many); else c fails as a precondition of pauses. */
static bool views_with_pauses(const struct observations *o, struct run_view *views, size_t *n, size_t need,
                              struct check_result *c)
{
    if (!view_mapped_runs(o, views, n, c))
        return false;
    for (size_t i = 0; i < *n; i++)
        if (views[i].ngroups < need) {
            check_fail(c, "Precondition failed: with SIZE %" PRIu64 ", %s (see `pauses`).", views[i].size,
                       need == 1 ? "no pause while the mapping existed, at which to look at it"
                                 : "no pause after the first while the mapping existed: nothing shows it written");
            return false;
        }
    return true;
}

static void judge_lazy(const struct observations *o, struct check_result *c)
{
    struct run_view views[NSIZED];
    size_t n;

    note_read_fault(o, c);
    if (!views_with_pauses(o, views, &n, 1, c))
        return;
    for (size_t i = 0; i < n; i++) {
        const struct pause_snapshot *p1 = views[i].groups[0].first;
        const struct residency *r1 = residency_of(p1, views[i].m);

        if (!r1 || written_pages(o, r1, views[i].m) != 0) {
            fail_lazy(o, c, &views[i], r1);
            note_smaps(c, o, &views[i], p1, "first");
            return;
        }
    }
    if (o->read_allocates)
        check_pass(c, "At pause 1, no page of the mapping was written, in every size (on this kernel a read gives a "
                      "page memory too: pages holding only zeros count as read).");
    else
        check_pass(c, "At pause 1, none of the mapping's pages was resident, in every size.");
}

static void judge_resident(const struct observations *o, struct check_result *c)
{
    struct run_view views[NSIZED];
    size_t n;

    note_read_fault(o, c);
    if (!views_with_pauses(o, views, &n, 2, c))
        return;
    for (size_t i = 0; i < n; i++) {
        const struct pause_snapshot *p2 = views[i].groups[views[i].ngroups - 1].last;
        const struct residency *r2 = residency_of(p2, views[i].m);

        if (!r2 || r2->own != r2->total) {
            check_fail(c, "Expected: at pause 2, every page of the mapping resident.\n"
                          "Observed: %zu of %zu pages (SIZE %" PRIu64 ").\nTry: write to every page%s.",
                       r2 ? r2->own : 0, r2 ? r2->total : 0, views[i].size,
                       o->read_allocates ? "" : " (a read is not enough: it maps the kernel's shared zero page)");
            note_smaps(c, o, &views[i], p2, "second");
            return;
        }
    }
    check_pass(c, "At pause 2, all of the mapping's pages were resident, in every size.");
}

static void judge_region(const struct observations *o, struct check_result *c)
{
    struct run_view views[NSIZED];
    size_t n;

    if (!views_with_pauses(o, views, &n, 1, c))
        return;
    for (size_t i = 0; i < n; i++) {
        const struct run_view *v = &views[i];
        const struct pause_snapshot *both[] = {v->groups[0].first, v->groups[v->ngroups - 1].last};

        for (int k = 0; k < (v->ngroups > 1 ? 2 : 1); k++)
            if (!both[k]->maps_ok || !maps_covers_anon_rw(&both[k]->maps, v->m->ret, v->end)) {
                check_fail(c, "Expected: at pause %d, /proc/PID/maps covers %" PRIx64 "-%" PRIx64
                              " with anonymous private rw-p regions.\nObserved: it does not (SIZE %" PRIu64 ").",
                           k + 1, v->m->ret, v->end, v->size);
                note_reproduce(c, o, v->sc, ", and at the pause: cat /proc/PID/maps");
                return;
            }
        if (!v->out->mapped_found || v->out->mapped_addr < v->m->ret || v->out->mapped_addr >= v->end) {
            const struct maps_region *at = v->out->mapped_found && both[0]->maps_ok
                                               ? maps_find(&both[0]->maps, v->out->mapped_addr) : NULL;
            char printed[256] = "no `Mapped N bytes at 0x...` line";

            if (v->out->mapped_found)
                snprintf(printed, sizeof printed, "0x%llx, %s%s%s", (unsigned long long)v->out->mapped_addr,
                         at ? "in " : "outside the mapping", at ? (at->name[0] ? at->name : "another region") : "",
                         at && strcmp(at->name, "[stack]") == 0 ? " (the address of a variable: &ptr, not ptr?)" : "");
            check_fail(c, "Expected: a `Mapped N bytes at 0x...` line whose address lies in %" PRIx64 "-%" PRIx64 ".\n"
                          "Observed: %s.\n"
                          "Try: print the pointer mmap returned with %%p: printf(\"Mapped %%zu bytes at %%p\\n\", size, "
                          "(void *)ptr);",
                       v->m->ret, v->end, printed);
            note_reproduce(c, o, v->sc, ", and at the pause compare the printed address with /proc/PID/maps");
            return;
        }
    }
    check_pass(c, "maps covered the mapping at its pauses, and the printed address was in it.");
}

/* The pages outside [start, end) of a run a munmap found mapped. */
static struct shim_range outside_of(const struct shim_range *run, uint64_t start, uint64_t end)
{
    return run->start < start ? (struct shim_range){run->start, run->end < start ? run->end : start}
                              : (struct shim_range){run->start > end ? run->start : end, run->end};
}

/* Whether every page of range lies in mappings the program made itself
 * (any kind) before call u: those are its own to unmap. */
static bool program_mapped(const struct run_result *r, const struct shim_call *u, struct shim_range range,
                           uint64_t page)
{
    uint64_t covered_to = range.start;
    bool progress = true;

    while (progress && covered_to < range.end) {
        progress = false;
        for (const struct shim_call *c = r->calls; c < u; c++)
            if (c->kind == SHIM_MMAP && c->ok && c->ret <= covered_to && c->ret + round_up(c->len, page) > covered_to) {
                covered_to = c->ret + round_up(c->len, page);
                progress = true;
            }
    }
    return covered_to >= range.end;
}

/* No munmap removed a page the program did not map itself. */
static bool unmaps_only_its_own(const struct observations *o, const struct run_view *v, struct check_result *c)
{
    const struct run_result *r = v->run;

    for (size_t i = 0; i < r->ncalls; i++) {
        const struct shim_call *u = &r->calls[i];

        for (size_t k = 0; shimlog_unmapped(u) && k < u->nmapped; k++) {
            struct shim_range outside = outside_of(&u->mapped[k], v->m->ret, v->end);

            if (outside.end <= outside.start || program_mapped(r, u, outside, o->page))
                continue;
            check_fail(c, "Expected: munmap removes the mapping %" PRIx64 "-%" PRIx64 " and no page the program did "
                          "not map itself.\nObserved: munmap(0x%" PRIx64 ", %" PRIu64 ") also removed mapped pages %"
                          PRIx64 "-%" PRIx64 "%s.\nTry: pass munmap the address mmap returned and the same length.",
                       v->m->ret, v->end, u->addr, u->len, outside.start, outside.end,
                       u->returned ? "" : ", and the program died before munmap returned (it had unmapped code it was running)");
            note_reproduce_with(c, o, v->sc, "strace -e trace=mmap,munmap ", NULL);
            return false;
        }
    }
    return true;
}

/* The program's own munmap calls remove every page of the mapping. */
static bool unmaps_it_all(const struct observations *o, const struct run_view *v, struct check_result *c)
{
    const struct run_result *r = v->run;
    uint64_t covered_to = v->m->ret;
    bool progress = true;
    char why[512];

    /* Coverage by the union of successful calls, in any order. */
    while (progress && covered_to < v->end) {
        progress = false;
        for (size_t i = 0; i < r->ncalls; i++) {
            const struct shim_call *u = &r->calls[i];
            uint64_t ue = u->addr + round_up(u->len, o->page);

            if (shimlog_unmapped(u) && u->addr <= covered_to && ue > covered_to) {
                covered_to = ue;
                progress = true;
            }
        }
    }
    if (covered_to >= v->end)
        return true;
    if (covered_to == v->m->ret && run_cut_short(r, why, sizeof why)) {
        check_fail(c, "Precondition failed: with SIZE %" PRIu64 ", %s, before it unmapped the mapping (see `runs`).",
                   v->size, why);
        return false;
    }
    if (covered_to == v->m->ret) {
        check_fail(c, "Expected: munmap of the whole mapping %" PRIx64 "-%" PRIx64 " (SIZE %" PRIu64 ").\n"
                      "Observed: no munmap call removed it.\n"
                      "Try: munmap(ptr, size) before the program ends, and check its result.",
                   v->m->ret, v->end, v->size);
    } else {
        check_fail(c, "Expected: munmap of the whole mapping %" PRIx64 "-%" PRIx64 " (SIZE %" PRIu64 ", %" PRIu64
                      " bytes mapped).\nObserved: only %" PRIx64 "-%" PRIx64 " was removed (%" PRIu64 " bytes); "
                      "%" PRIu64 " bytes stayed mapped.\n"
                      "Try: pass munmap the same length as mmap: munmap(ptr, size), not a part of it.",
                   v->m->ret, v->end, v->size, (uint64_t)v->m->len, v->m->ret, covered_to, covered_to - v->m->ret,
                   v->end - covered_to);
    }
    note_reproduce_with(c, o, v->sc, "strace -e trace=mmap,munmap ", NULL);
    return false;
}

static void judge_munmap(const struct observations *o, struct check_result *c)
{
    struct run_view views[NSIZED];
    size_t n;

    if (!view_mapped_runs(o, views, &n, c))
        return;
    for (size_t i = 0; i < n; i++)
        if (!unmaps_only_its_own(o, &views[i], c) || !unmaps_it_all(o, &views[i], c))
            return;
    check_pass(c, "munmap removed exactly the mapping's pages%s.", o->task != TASK_2_1 ? ", in every size" : "");
}

/* A check about mmap is worth nothing when the program maps nothing in its
 * normal run: then c fails, naming the check that says so. */
static bool maps_in_default_run(const struct observations *o, struct check_result *c)
{
    struct run_view v;

    view_run(o, SCENARIO_DEFAULT, &v);
    if (!v.m)
        check_fail(c, "Precondition failed: `./%s` maps nothing (no successful mmap of its own): there is nothing to "
                      "judge this by (see `%s`).",
                   o->program, o->task == TASK_2_1 ? "maps_page" : "size_arg");
    return v.m != NULL;
}

static void judge_mmap_failure(const struct observations *o, struct check_result *c)
{
    const struct run_result *r = &o->runs[SCENARIO_FAIL];
    char why[256], err[400];

    if (!maps_in_default_run(o, c))
        return;
    if (!r->started || r->timed_out || !r->exited || r->exit_code == 0 || r->err_len == 0) {
        check_fail(c, "Expected: when mmap fails (the grader made it return MAP_FAILED with ENOMEM), a message on stderr and a "
                      "non-zero exit.\nObserved: the program %s; stderr: \"%s\".\n"
                      "Try: if (ptr == MAP_FAILED) { perror(\"mmap\"); return 1; } -- not == NULL.",
                   session_describe_end(r, why, sizeof why), text_quote(r->err, 300, err, sizeof err));
        note_reproduce(c, o, SCENARIO_FAIL, NULL);
        return;
    }
    check_pass(c, "With mmap failing, it exited %d and said on stderr: \"%s\"", r->exit_code,
               text_quote(r->err, 200, err, sizeof err));
}

static void judge_size_arg(const struct observations *o, struct check_result *c)
{
    char why[256], cmd[64], err[300], out[200], mapped_len[64];

    for (size_t i = 0; i < NSIZED; i++) {
        struct run_view v;

        view_run(o, sized[i], &v);
        if (!v.m || round_up(v.m->len, o->page) != round_up(v.size, o->page)) {
            catalog_scenario_command(sized[i], o->program, o->small_size, o->large_size, o->shim, cmd, sizeof cmd);
            if (v.m)
                snprintf(mapped_len, sizeof mapped_len, "a mapping of %" PRIu64 " bytes", (uint64_t)v.m->len);
            check_fail(c, "Expected: `%s` maps %" PRIu64 " bytes (or that rounded up to pages).\nObserved: %s.", cmd,
                       v.size, v.m ? mapped_len : "no mapping at all");
            note_reproduce_with(c, o, sized[i], "strace -e trace=mmap ", NULL);
            return;
        }
    }
    for (int sc = SCENARIO_BAD_FIRST; sc <= SCENARIO_BAD_LAST; sc++) {
        const struct run_result *r = &o->runs[sc];
        const char *const *args = catalog_scenarios[sc].args;
        bool mapped = false;

        for (size_t k = 0; k < r->ncalls; k++)
            mapped |= r->calls[k].kind == SHIM_MMAP && r->calls[k].ok;
        if (r->exited && r->exit_code != 0 && r->err_len != 0 && !mapped)
            continue;
        /* a refusal said on the wrong stream, not a run that went on */
        bool usage_on_stdout = r->err_len == 0 && r->out_len && !mapped;
        snprintf(cmd, sizeof cmd, "%s%s%s", args[0], args[1] ? " " : "", args[1] ? args[1] : "");
        check_fail(c, "Expected: `./mmap_demo %s` is rejected before mapping: usage on stderr, non-zero exit.\n"
                      "Observed: it %s%s; stderr: \"%s\"%s%s%s.\n"
                      "Try: %s",
                   cmd, session_describe_end(r, why, sizeof why), mapped ? ", after mapping memory" : "",
                   text_quote(r->err, 200, err, sizeof err), usage_on_stdout ? "; stdout: \"" : "",
                   usage_on_stdout ? text_quote(r->out, 120, out, sizeof out) : "",
                   usage_on_stdout ? "\" (the usage goes to stderr: fprintf(stderr, ...))" : "",
                   r->exited && r->exit_code == 0
                       ? "parse SIZE with strtoull and check it all: errno, that the whole argument was digits (end "
                         "points at '\\0'), and that it is above 0; on a bad one print the usage to stderr and "
                         "return a non-zero status, before any mmap."
                       : "print the usage with fprintf(stderr, ...) and return a non-zero status, before any mmap.");
        note_reproduce(c, o, (enum scenario)sc, NULL);
        return;
    }
    check_pass(c, "Mapped 4096, %" PRIu64 " and %" PRIu64 " bytes as asked; rejected abc, 12abc, 0, -5 and two "
                  "arguments.", o->small_size, o->large_size);
}

/* The number after label in valgrind's report ("4,096" is 4096), or -1. */
static long valgrind_number(const char *log, const char *label)
{
    const char *at = strstr(log, label);
    long n = 0;
    bool digits = false;

    if (!at)
        return -1;
    for (at += strlen(label); *at == ' '; at++)
        ;
    for (; (*at >= '0' && *at <= '9') || (*at == ',' && digits); at++)
        if (*at != ',') {
            n = n * 10 + (*at - '0');
            digits = true;
        }
    return digits ? n : -1;
}

static void judge_valgrind(const struct observations *o, struct check_result *c)
{
    long errors, definite, indirect;
    char why[256];

    if (!o->ran[SCENARIO_VALGRIND]) {
        check_not_run(c, "valgrind is not installed here: this check was not run (apt-get install valgrind).");
        return;
    }
    if (!maps_in_default_run(o, c))
        return;
    errors = o->vg_log ? valgrind_number(o->vg_log, "ERROR SUMMARY:") : -1;
    if (errors < 0 && o->runs[SCENARIO_VALGRIND].timed_out && o->runs[SCENARIO_DEFAULT].timed_out) {
        check_fail(c, "Precondition failed: the program did not end within the time limit, under valgrind or not "
                      "(see `runs`).");
        return;
    }
    if (errors < 0) {
        check_fail(c, "Expected: valgrind runs the program to the end.\nObserved: no valgrind summary; the run %s.",
                   session_describe_end(&o->runs[SCENARIO_VALGRIND], why, sizeof why));
        note_reproduce(c, o, SCENARIO_VALGRIND, NULL);
        return;
    }
    /* "All heap blocks were freed" replaces the leak lines: none lost */
    definite = valgrind_number(o->vg_log, "definitely lost:");
    indirect = valgrind_number(o->vg_log, "indirectly lost:");
    definite = definite < 0 ? 0 : definite;
    indirect = indirect < 0 ? 0 : indirect;
    cJSON_AddNumberToObject(check_observed(c), "errors", (double)errors);
    cJSON_AddNumberToObject(check_observed(c), "definitely_lost_bytes", (double)definite);
    cJSON_AddNumberToObject(check_observed(c), "indirectly_lost_bytes", (double)indirect);
    if (errors != 0 || definite != 0 || indirect != 0) {
        check_fail(c, "Expected: no memcheck errors, nothing definitely or indirectly lost.\nObserved: %ld errors, %ld bytes "
                      "definitely and %ld indirectly lost.",
                   errors, definite, indirect);
        note_reproduce(c, o, SCENARIO_VALGRIND, NULL);
    } else {
        check_pass(c, "memcheck: no errors, no leaks.");
    }
}

static const struct bit_name {
    int bit;
    const char *name;
} prot_names[] = {{PROT_READ, "PROT_READ"}, {PROT_WRITE, "PROT_WRITE"}, {PROT_EXEC, "PROT_EXEC"}, {0, NULL}},
  flag_names[] = {{MAP_SHARED, "MAP_SHARED"},       {MAP_PRIVATE, "MAP_PRIVATE"},   {MAP_ANONYMOUS, "MAP_ANONYMOUS"},
                  {MAP_FIXED, "MAP_FIXED"},         {MAP_POPULATE, "MAP_POPULATE"}, {MAP_NORESERVE, "MAP_NORESERVE"},
                  {MAP_LOCKED, "MAP_LOCKED"},       {MAP_GROWSDOWN, "MAP_GROWSDOWN"}, {MAP_STACK, "MAP_STACK"},
                  {0, NULL}};

/* bits as "PROT_READ | PROT_WRITE" (what no name covers in hex); "PROT_NONE"
 * or "0" for none. Into buf. */
static const char *bits_named(int bits, const struct bit_name *names, char *buf, size_t cap)
{
    size_t used = 0;

    buf[0] = '\0';
    for (const struct bit_name *n = names; n->name; n++)
        if ((bits & n->bit) == n->bit && n->bit) {
            used += (size_t)snprintf(buf + used, used < cap ? cap - used : 0, "%s%s", used ? " | " : "", n->name);
            bits &= ~n->bit;
        }
    if (bits && used < cap)
        used += (size_t)snprintf(buf + used, cap - used, "%s0x%x", used ? " | " : "", bits);
    if (!used)
        snprintf(buf, cap, "%s", names == prot_names ? "PROT_NONE" : "0");
    return buf;
}

static void judge_maps_page(const struct observations *o, struct check_result *c)
{
    const struct run_result *def = &o->runs[SCENARIO_DEFAULT];

    for (size_t i = 0; i < def->ncalls; i++) {
        const struct shim_call *m = &def->calls[i];

        if (m->kind == SHIM_MMAP && m->addr == 0 && m->len == 4096 && m->prot == (PROT_READ | PROT_WRITE) &&
            m->flags == (MAP_PRIVATE | MAP_ANONYMOUS) && m->fd == -1 && m->offset == 0) {
            check_pass(c, "mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0).");
            return;
        }
    }
    if (def->ncalls && def->calls[0].kind == SHIM_MMAP) {
        const struct shim_call *m = &def->calls[0];

        char prot[96], flags[160];

        check_fail(c, "Expected: mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0).\n"
                      "Observed: mmap(%s, %" PRIu64 ", %s, %s, %d, %" PRIu64 ").\n"
                      "Try: pass exactly the contract's arguments: a private anonymous page, readable and writable.",
                   m->addr ? "an address" : "NULL", m->len, bits_named(m->prot, prot_names, prot, sizeof prot),
                   bits_named(m->flags, flag_names, flags, sizeof flags), m->fd, m->offset);
    } else {
        check_fail(c, "Expected: a call to mmap.\nObserved: the program made none.");
    }
    note_reproduce_with(c, o, SCENARIO_DEFAULT, "strace -e trace=mmap ", NULL);
}

/* What the mapping held when it was unmapped or, never unmapped, when
 * the program exited; NULL when neither was seen. */
static const struct shim_call *last_content(const struct run_result *r, const struct shim_call *m)
{
    const struct shim_call *found = NULL;

    for (size_t i = 0; m && i < r->ncalls; i++)
        if ((r->calls[i].kind == SHIM_MUNMAP || r->calls[i].kind == SHIM_ALIVE) && r->calls[i].addr == m->ret)
            found = &r->calls[i];
    return found;
}

/* content quoted for feedback: printable bytes, the others as '.', cut. */
static void quote_content(const struct shim_call *c, char *buf, size_t cap)
{
    size_t n = 0;

    for (size_t i = 0; c && i < c->content_len && n + 1 < cap && n < 64; i++)
        buf[n++] = c->content[i] >= 0x20 && c->content[i] < 0x7f ? (char)c->content[i] : '.';
    buf[n] = '\0';
}

static void judge_uses_memory(const struct observations *o, struct check_result *c)
{
    const struct run_result *def = &o->runs[SCENARIO_DEFAULT];
    const char *said = o->out[SCENARIO_DEFAULT].read_back;
    const struct shim_call *m = find_mapping(def, &o->out[SCENARIO_DEFAULT], 4096, o->page), *held = last_content(def, m);
    char quoted[80];

    if (!o->out[SCENARIO_DEFAULT].read_back_found || said[0] == '\0') {
        check_fail(c, "Expected: a line `Read back: <message>`.\nObserved: none.");
        note_reproduce(c, o, SCENARIO_DEFAULT, NULL);
        return;
    }
    if (!m) {
        check_fail(c, "Precondition failed: no page was mapped to hold the message (see `maps_page`).");
        return;
    }
    /* anywhere in the page: the contract leaves where to the student */
    if (!held || !held->content || !memmem(held->content, held->content_len, said, strlen(said))) {
        quote_content(held, quoted, sizeof quoted);
        check_fail(c, "Expected: the page holds the message printed after `Read back:` when it is %s.\n"
                      "Observed: the page held \"%s\"%s; the program printed \"%.64s\".\n"
                      "Try: write the message into the page (strcpy(page, ...)), print it from there, and leave it "
                      "there until munmap.",
                   held && held->kind == SHIM_ALIVE ? "left at exit (it was never unmapped)" : "unmapped", quoted,
                   !held ? " (the program died before munmap or exit)" : quoted[0] ? "" : " (only zero bytes)", said);
        note_reproduce(c, o, SCENARIO_DEFAULT, ", and look at the page in gdb before munmap: x/s page");
        return;
    }
    check_pass(c, "The page held \"%s\" when it was %s, and the program printed it back.", said,
               held->kind == SHIM_ALIVE ? "left at exit" : "unmapped");
}

/* The per-stage timeline of the large-size run, for the reports: what it
 * printed at each stage (placed by its own calls), then /proc and the
 * mapping's pages at each pause. */
static void judge_timeline(const struct observations *o, struct task_result *t)
{
    static const char *const labels[] = {"pause 1 (/proc)", "pause 2 (/proc)", "pause 3 (/proc)", "pause 4 (/proc)"};
    const struct run_result *r = &o->runs[SCENARIO_LARGE];
    struct run_view v;

    view_run(o, SCENARIO_LARGE, &v);
    for (int s = 0; v.m && s < STAGE_COUNT && t->ntimeline < MAX_TIMELINE; s++)
        if (v.stage[s])
            t->timeline[t->ntimeline++] = (struct stage_view){output_stage_name(s), v.stage[s]->vsz_kib,
                                                              v.stage[s]->rss_kib, -1, -1};
    for (size_t i = 0; v.m && i < r->npauses && i < 4 && t->ntimeline < MAX_TIMELINE; i++) {
        const struct residency *res = residency_of(&r->pauses[i], v.m);

        t->timeline[t->ntimeline++] = (struct stage_view){labels[i], r->pauses[i].status.vm_size_kib,
                                                          r->pauses[i].status.vm_rss_kib, res ? (long)res->own : -1,
                                                          res ? (long)res->total : -1};
    }
}

/* The judge of each check the runs decide, by the catalog's id. */
static const struct {
    const char *id;
    void (*judge)(const struct observations *o, struct check_result *c);
} program_judges[] = {
    {"runs", judge_runs},         {"maps_page", judge_maps_page},   {"address", judge_address},
    {"uses_memory", judge_uses_memory}, {"stages", judge_stages},   {"pauses", judge_pauses},
    {"honest", judge_honest},     {"vsz_grows", judge_vsz_grows},   {"rss_order", judge_rss_order},
    {"lazy", judge_lazy},         {"resident", judge_resident},     {"region", judge_region},
    {"munmap", judge_munmap},     {"mmap_failure", judge_mmap_failure}, {"size_arg", judge_size_arg},
    {"valgrind", judge_valgrind},
};

void judge_program_task(const struct observations *o, struct task_result *t)
{
    for (size_t i = 0; i < catalog_check_count; i++) {
        if (catalog_checks[i].task != o->task)
            continue;
        for (size_t k = 0; k < sizeof program_judges / sizeof program_judges[0]; k++)
            if (strcmp(program_judges[k].id, catalog_checks[i].id) == 0)
                program_judges[k].judge(o, result_add(t, catalog_checks[i].id));
    }
    if (o->task != TASK_2_1)
        judge_timeline(o, t);
}
