/* program_judge.c - the checks of tasks 2.1-2.3, judged from recorded runs
 * only: what was expected, what was observed, and what to try. */
#define _GNU_SOURCE
#include "program_judge.h"

#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

/* The runs that pass SIZE (or none: 4096), in the order they are judged. */
static const enum scenario sized[] = {SCENARIO_DEFAULT, SCENARIO_SMALL, SCENARIO_LARGE};
#define NSIZED (sizeof sized / sizeof sized[0])

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

const struct shim_call *judge_find_mapping(const struct run_result *r, uint64_t size, uint64_t page)
{
    const struct shim_call *best = NULL;

    for (size_t i = 0; i < r->ncalls; i++) {
        const struct shim_call *c = &r->calls[i];

        if (c->kind != SHIM_MMAP || !c->ok || !(c->flags & MAP_ANONYMOUS))
            continue;
        if (round_up(c->len, page) == round_up(size, page))
            return c;
        if (!best || c->len > best->len)
            best = c;
    }
    return best;
}

/* The index of the first successful munmap that touches the mapping, or
 * r->ncalls when there is none. */
static size_t find_unmap_index(const struct run_result *r, const struct shim_call *m, uint64_t page)
{
    uint64_t end = m->ret + round_up(m->len, page);

    for (size_t i = (size_t)(m - r->calls) + 1; i < r->ncalls; i++) {
        const struct shim_call *c = &r->calls[i];

        if (shimlog_unmapped(c) && c->addr < end && c->addr + round_up(c->len, page) > m->ret)
            return i;
    }
    return r->ncalls;
}

/* One sized run as the pause checks see it: its mapping, and pauses 1 and
 * 2, the first and last pause while the mapping exists. */
struct mapping_view {
    const struct run_result *run;
    const struct shim_call *m; /* NULL: no mapping */
    uint64_t end;
    const struct pause_snapshot *p1, *p2;
    size_t count;              /* pauses while it exists */
};

static void view_mapping(const struct observations *o, enum scenario sc, struct mapping_view *v)
{
    const struct run_result *r = &o->runs[sc];

    memset(v, 0, sizeof *v);
    v->run = r;
    v->m = judge_find_mapping(r, size_of(o, sc), o->page);
    if (!v->m)
        return;
    v->end = v->m->ret + round_up(v->m->len, o->page);
    size_t mapped_at = (size_t)(v->m - r->calls), unmapped_at = find_unmap_index(r, v->m, o->page);
    for (size_t i = 0; i < r->npauses; i++) {
        const struct pause_snapshot *p = &r->pauses[i];

        if (p->calls_before > mapped_at && p->calls_before <= unmapped_at) {
            if (!v->p1)
                v->p1 = p;
            v->p2 = p;
            v->count++;
        }
    }
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

static void judge_runs(const struct observations *o, struct check_result *c)
{
    const struct run_result *def = &o->runs[SCENARIO_DEFAULT], *eof = &o->runs[SCENARIO_EOF];
    char why[256];

    if (!run_ok(def)) {
        check_fail(c, "Expected: `./%s` exits with status 0%s.\nObserved: it %s.\nstderr: %.500s", o->program,
                   o->task == TASK_2_3 ? ", given Enter at each pause" : "", session_describe_end(def, why, sizeof why),
                   def->err);
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

    for (int s = 0; s < STAGE_COUNT; s++) {
        if (!p->stage_found[s]) {
            check_fail(c, "Expected: a `[%s]` line, then its ps table.\nObserved: no line for that stage in the output:\n%.1500s",
                       output_stage_name(s), o->runs[SCENARIO_DEFAULT].out);
            return;
        }
        if (!p->table[s].found) {
            check_fail(c, "Expected: after `[%s]`, a ps header (with VSZ and RSS) and one numeric row.\n"
                          "Observed: no such table after that line.\nTry: ps -o pid,vsz,rss,comm -p <your pid>",
                       output_stage_name(s));
            return;
        }
    }
    if (!p->in_order) {
        check_fail(c, "Expected: the stages in the order Initial, After mmap, After writing, After munmap.\nObserved: another order.");
        return;
    }
    check_pass(c, "All four stages, in order, each with a table.");
}

/* Every table carries the PID the program has as it sees itself. */
static bool honest_pids(const struct observations *o, struct check_result *c)
{
    const struct run_result *def = &o->runs[SCENARIO_DEFAULT];
    const struct program_output *p = &o->out[SCENARIO_DEFAULT];
    /* NSpid when a pause let us read it, or else what the session knows
     * of its PID namespace */
    long own_pid = def->npauses > 0 && def->pauses[0].status_ok ? def->pauses[0].status.nspid : (long)def->self_pid;

    for (int st = 0; st < STAGE_COUNT; st++) {
        const struct ps_row *row = &p->table[st];

        if (!row->found)
            continue;
        if (!row->has_pid) {
            check_fail(c, "Expected: the table's PID column.\nObserved: a table without one after [%s].", output_stage_name(st));
            return false;
        }
        if (row->pid != own_pid) {
            check_fail(c, "Expected: the table after [%s] is the program's own (PID %ld).\nObserved: PID %ld.\n"
                          "Try: ps -p with getpid(), not a PID found by name.",
                       output_stage_name(st), own_pid, row->pid);
            return false;
        }
    }
    return true;
}

/* At each pause, the table printed just before it agrees with /proc. */
static bool honest_at_pauses(const struct observations *o, struct check_result *c)
{
    const struct run_result *def = &o->runs[SCENARIO_DEFAULT];
    const struct program_output *p = &o->out[SCENARIO_DEFAULT];

    for (size_t i = 0; i < def->npauses; i++) {
        const struct pause_snapshot *ps = &def->pauses[i];
        const struct ps_row *last = NULL;

        for (int st = 0; st < STAGE_COUNT; st++)
            if (p->table[st].found && p->table[st].offset <= ps->out_offset)
                last = &p->table[st];
        if (!last || !ps->status_ok)
            continue;
        if (labs(last->vsz_kib - ps->status.vm_size_kib) > HONEST_TOLERANCE_KIB ||
            labs(last->rss_kib - ps->status.vm_rss_kib) > HONEST_TOLERANCE_KIB) {
            check_fail(c, "Expected: the table printed before pause %zu within %d KiB of /proc/PID/status at the pause.\n"
                          "Observed: printed VSZ %ld RSS %ld, status VmSize %ld VmRSS %ld.\n"
                          "Try: measure your own process at that moment (ps -p <getpid()> or /proc/self/status).",
                       i + 1, HONEST_TOLERANCE_KIB, last->vsz_kib, last->rss_kib, ps->status.vm_size_kib,
                       ps->status.vm_rss_kib);
            note_reproduce(c, o, SCENARIO_DEFAULT,
                           ", and at the pause compare your table with: grep -E 'VmSize|VmRSS' /proc/PID/status");
            return false;
        }
    }
    return true;
}

static void judge_honest(const struct observations *o, struct check_result *c)
{
    const struct program_output *p = &o->out[SCENARIO_DEFAULT], *s = &o->out[SCENARIO_SMALL];
    cJSON *obs = check_observed(c);

    if (!p->table[STAGE_INITIAL].found || !s->table[STAGE_INITIAL].found) {
        check_fail(c, "Precondition failed: no [Initial] table to judge (see `stages`).");
        return;
    }
    if (!honest_pids(o, c) || !honest_at_pauses(o, c))
        return;
    /* The grader mapped BALLAST_KIB into the small-size run before main:
     * genuine numbers move by as much. */
    long dv = s->table[STAGE_INITIAL].vsz_kib - p->table[STAGE_INITIAL].vsz_kib;
    long dr = s->table[STAGE_INITIAL].rss_kib - p->table[STAGE_INITIAL].rss_kib;
    cJSON_AddNumberToObject(obs, "ballast_kib", BALLAST_KIB);
    cJSON_AddNumberToObject(obs, "initial_vsz_delta_kib", (double)dv);
    cJSON_AddNumberToObject(obs, "initial_rss_delta_kib", (double)dr);
    if (labs(dv - BALLAST_KIB) > HONEST_TOLERANCE_KIB || labs(dr - BALLAST_KIB) > HONEST_TOLERANCE_KIB) {
        check_fail(c, "Expected: with %d KiB more memory in the process (the grader added it before main), the [Initial] "
                      "table moves by about as much.\nObserved: VSZ moved by %ld KiB, RSS by %ld KiB.\n"
                      "Try: print numbers measured at run time, not numbers typed in.",
                   BALLAST_KIB, dv, dr);
        return;
    }
    check_pass(c, "The tables carry the program's own PID, agree with /proc/PID/status at the pauses, and moved by "
                  "%ld/%ld KiB when the grader added %d KiB.", dv, dr, BALLAST_KIB);
}

static void judge_vsz_grows(const struct observations *o, struct check_result *c)
{
    for (size_t i = 0; i < NSIZED; i++) {
        const struct program_output *out = &o->out[sized[i]];
        const struct ps_row *a = &out->table[STAGE_INITIAL], *b = &out->table[STAGE_AFTER_MMAP];
        uint64_t size = size_of(o, sized[i]);
        const struct shim_call *m = judge_find_mapping(&o->runs[sized[i]], size, o->page);
        long want;

        if (!a->found || !b->found || !m) {
            check_fail(c, "Precondition failed: no Initial and After mmap tables, or no mapping, with SIZE %" PRIu64 ".", size);
            return;
        }
        /* a table printed through system("ps") may count posix_spawn's
         * stack in one reading and not the next, whatever the size */
        want = (long)(round_up(m->len, o->page) / 1024);
        if (b->vsz_kib - a->vsz_kib < want - VSZ_NOISE_KIB) {
            check_fail(c, "Expected: with SIZE %" PRIu64 ", VSZ after mmap %ld KiB (the mapping) above the initial VSZ, "
                          "give or take %d KiB of measuring noise.\n"
                          "Observed: %ld -> %ld KiB.",
                       size, want, VSZ_NOISE_KIB, a->vsz_kib, b->vsz_kib);
            note_reproduce(c, o, sized[i], NULL);
            return;
        }
    }
    check_pass(c, "VSZ grew by at least the mapping in every size.");
}

/* KiB of the large run's mapping that were only read by pause 1, on a
 * kernel where that gives them memory (0 elsewhere, or without a pause 1). */
static long read_kib_at_pause1(const struct observations *o)
{
    struct mapping_view v;
    const struct residency *res;

    if (!o->read_allocates)
        return 0;
    view_mapping(o, SCENARIO_LARGE, &v);
    if (!v.m || !(res = residency_of(v.p1, v.m)))
        return 0;
    return (long)((res->own - written_pages(o, res, v.m)) * o->page / 1024);
}

static void judge_rss_order(const struct observations *o, struct check_result *c)
{
    const struct program_output *p = &o->out[SCENARIO_LARGE];
    const struct ps_row *a = &p->table[STAGE_INITIAL], *b = &p->table[STAGE_AFTER_MMAP], *w = &p->table[STAGE_AFTER_WRITE];
    long size_kib = (long)(o->large_size / 1024);

    if (!a->found || !b->found || !w->found) {
        check_fail(c, "Precondition failed: the %" PRIu64 "-byte run printed no Initial, After mmap and After writing tables.", o->large_size);
        return;
    }
    /* Where a read allocates, the pages the program only read before
     * pause 1 (zero-filled, seen there) may already count at [After mmap]:
     * they move RSS from the write step to the mmap step. */
    long read_kib = read_kib_at_pause1(o);
    note_read_fault(o, c);
    cJSON_AddNumberToObject(check_observed(c), "read_before_pause1_kib", (double)read_kib);
    if (b->rss_kib - a->rss_kib > RSS_AT_MMAP_SLACK_KIB + read_kib) {
        check_fail(c, "Expected: with SIZE %" PRIu64 ", RSS after mmap within %ld KiB of the initial RSS (no page written "
                      "yet%s).\nObserved: %ld -> %ld KiB.\nTry: do not write to the mapping (nor use MAP_POPULATE) before "
                      "the [After mmap] table.",
                   o->large_size, RSS_AT_MMAP_SLACK_KIB + read_kib, read_kib ? ", plus the pages it only read" : "",
                   a->rss_kib, b->rss_kib);
        note_reproduce(c, o, SCENARIO_LARGE, NULL);
        return;
    }
    if (w->rss_kib - b->rss_kib < size_kib * 9 / 10 - read_kib) {
        check_fail(c, "Expected: with SIZE %" PRIu64 ", RSS after writing at least %ld KiB (90%% of the size%s) above RSS "
                      "after mmap.\nObserved: %ld -> %ld KiB.\nTry: write to every page of the mapping.",
                   o->large_size, size_kib * 9 / 10 - read_kib, read_kib ? ", less the pages read before" : "",
                   b->rss_kib, w->rss_kib);
        note_reproduce(c, o, SCENARIO_LARGE, NULL);
        return;
    }
    check_pass(c, "With %" PRIu64 " bytes: RSS %ld -> %ld at mmap, -> %ld after writing.", o->large_size, a->rss_kib, b->rss_kib, w->rss_kib);
}

/* At that pause, smaps' Rss of the region holding the mapping is what
 * the student can see of its residency. */
static void note_smaps(struct check_result *c, const struct observations *o, enum scenario sc,
                       const struct pause_snapshot *p, const struct shim_call *m, const char *which)
{
    const struct maps_region *region = p->maps_ok ? maps_find(&p->maps, m->ret) : NULL;
    char then[160];

    snprintf(then, sizeof then, ", and at the %s pause: grep -A 4 '^%" PRIx64 "-' /proc/PID/smaps (its Rss: line)", which,
             region ? region->start : m->ret);
    note_reproduce(c, o, sc, then);
}

/* The views of every sized run, or false when one has no mapping or no
 * two pauses while it exists: then c fails, as pauses itself (is_pauses)
 * or as a check that needs them. */
static bool view_pauses(const struct observations *o, struct mapping_view *views, struct check_result *c,
                        bool is_pauses)
{
    for (size_t i = 0; i < nsized(o); i++) {
        uint64_t size = size_of(o, sized[i]);

        view_mapping(o, sized[i], &views[i]);
        if (!views[i].m) {
            check_fail(c, "Precondition failed: no successful anonymous mmap call by the program with SIZE %" PRIu64 ".",
                       size);
            return false;
        }
        if (views[i].count >= 2)
            continue;
        if (!is_pauses) {
            check_fail(c, "Precondition failed: no pause while the mapping exists (see `pauses`).");
            return false;
        }
        check_fail(c, "Expected: at least two pauses (blocked reading a line from stdin) while the mapping exists.\n"
                      "Observed: %zu such pause(s) with SIZE %" PRIu64 " (%zu pauses in all).\n"
                      "Try: pause with getchar() after the [After mmap] table and after the [After writing] table.",
                   views[i].count, size, views[i].run->npauses);
        note_reproduce(c, o, sized[i], ": it should stop and wait, twice, until you press Enter");
        return false;
    }
    return true;
}

static void judge_pauses(const struct observations *o, struct check_result *c)
{
    struct mapping_view views[NSIZED];

    if (view_pauses(o, views, c, true))
        check_pass(c, "Two or more pauses while the mapping existed, in every size; each answered with one Enter.");
}

static void fail_lazy(const struct observations *o, struct check_result *c, const struct mapping_view *v,
                      const struct residency *r1, uint64_t size)
{
    /* the kernel faults every page in at mmap for these */
    bool populated = v->m->flags & (MAP_POPULATE | MAP_LOCKED);
    const char *try = populated ? "drop MAP_POPULATE and MAP_LOCKED from mmap's flags: they fault every page in at once."
                                : "do not write to the mapping before the first pause (reading it is fine).";

    if (o->read_allocates && r1)
        check_fail(c, "Expected: at pause 1, no page of the mapping %" PRIx64 "-%" PRIx64 " written.\n"
                      "Observed: %zu of %zu pages resident (SIZE %" PRIu64 "), %zu of them holding data other than "
                      "zeros%s.\nTry: %s",
                   v->m->ret, v->end, r1->own, r1->total, size, written_pages(o, r1, v->m),
                   populated ? ", or faulted in by MAP_POPULATE or MAP_LOCKED" : "", try);
    else
        check_fail(c, "Expected: at pause 1, no page of the mapping %" PRIx64 "-%" PRIx64 " backed by memory of its own.\n"
                      "Observed: %zu of %zu pages resident (SIZE %" PRIu64 ").\nTry: %s",
                   v->m->ret, v->end, r1 ? r1->own : 0, r1 ? r1->total : 0, size, try);
}

/* The first sized run whose mapping's residency at pause k (1 or 2) is not
 * what ok wants, or -1 when every one is; views get every run's view. */
static int first_unlike(const struct observations *o, const struct mapping_view *views, int k,
                        bool (*ok)(const struct observations *o, const struct residency *res, const struct shim_call *m))
{
    for (size_t i = 0; i < nsized(o); i++) {
        const struct residency *res = residency_of(k == 1 ? views[i].p1 : views[i].p2, views[i].m);

        if (!res || !ok(o, res, views[i].m))
            return (int)i;
    }
    return -1;
}

static bool nothing_written(const struct observations *o, const struct residency *res, const struct shim_call *m)
{
    return written_pages(o, res, m) == 0;
}

static bool all_resident(const struct observations *o, const struct residency *res, const struct shim_call *m)
{
    (void)o;
    (void)m;
    return res->own == res->total;
}

static void judge_lazy(const struct observations *o, struct check_result *c)
{
    struct mapping_view views[NSIZED];
    int bad;

    note_read_fault(o, c);
    if (!view_pauses(o, views, c, false))
        return;
    if ((bad = first_unlike(o, views, 1, nothing_written)) >= 0) {
        fail_lazy(o, c, &views[bad], residency_of(views[bad].p1, views[bad].m), size_of(o, sized[bad]));
        note_smaps(c, o, sized[bad], views[bad].p1, views[bad].m, "first");
    } else if (o->read_allocates) {
        check_pass(c, "At pause 1, no page of the mapping was written, in every size (on this kernel a read gives a "
                      "page memory too: pages holding only zeros count as read).");
    } else {
        check_pass(c, "At pause 1, none of the mapping's pages was resident, in every size.");
    }
}

static void judge_resident(const struct observations *o, struct check_result *c)
{
    struct mapping_view views[NSIZED];
    const struct residency *r2;
    int bad;

    note_read_fault(o, c);
    if (!view_pauses(o, views, c, false))
        return;
    if ((bad = first_unlike(o, views, 2, all_resident)) < 0) {
        check_pass(c, "At pause 2, all of the mapping's pages were resident, in every size.");
        return;
    }
    r2 = residency_of(views[bad].p2, views[bad].m);
    check_fail(c, "Expected: at pause 2, every page of the mapping resident.\n"
                  "Observed: %zu of %zu pages (SIZE %" PRIu64 ").\nTry: write to every page%s.",
               r2 ? r2->own : 0, r2 ? r2->total : 0, size_of(o, sized[bad]),
               o->read_allocates ? "" : " (a read is not enough: it maps the kernel's shared zero page)");
    note_smaps(c, o, sized[bad], views[bad].p2, views[bad].m, "second");
}

static void judge_region(const struct observations *o, struct check_result *c)
{
    struct mapping_view views[NSIZED];

    if (!view_pauses(o, views, c, false))
        return;
    for (size_t i = 0; i < nsized(o); i++) {
        const struct mapping_view *v = &views[i];
        const struct pause_snapshot *both[] = {v->p1, v->p2};
        const struct program_output *out = &o->out[sized[i]];

        for (int k = 0; k < 2; k++)
            if (!both[k]->maps_ok || !maps_covers_anon_rw(&both[k]->maps, v->m->ret, v->end)) {
                check_fail(c, "Expected: at pause %d, /proc/PID/maps covers %" PRIx64 "-%" PRIx64
                              " with anonymous private rw-p regions.\nObserved: it does not (SIZE %" PRIu64 ").",
                           k + 1, v->m->ret, v->end, size_of(o, sized[i]));
                note_reproduce(c, o, sized[i], ", and at the pause: cat /proc/PID/maps");
                return;
            }
        if (!out->mapped_found || out->mapped_addr < v->m->ret || out->mapped_addr >= v->end) {
            check_fail(c, "Expected: a `Mapped N bytes at 0x...` line whose address lies in %" PRIx64 "-%" PRIx64 ".\n"
                          "Observed: %s.",
                       v->m->ret, v->end, out->mapped_found ? "an address outside it" : "no such line");
            note_reproduce(c, o, sized[i], ", and at the pause compare the printed address with /proc/PID/maps");
            return;
        }
    }
    check_pass(c, "maps covered the mapping at both pauses, and the printed address was in it.");
}

/* The pages outside [start, end) of a run a munmap found mapped. */
static struct shim_range outside_of(const struct shim_range *run, uint64_t start, uint64_t end)
{
    return run->start < start ? (struct shim_range){run->start, run->end < start ? run->end : start}
                              : (struct shim_range){run->start > end ? run->start : end, run->end};
}

/* munmap: the program's own munmap calls remove every page of the mapping
 * and no mapped page outside it. */
static bool munmap_removes_exactly(const struct observations *o, enum scenario sc, struct check_result *c)
{
    const struct run_result *r = &o->runs[sc];
    const uint64_t page = o->page, size = size_of(o, sc);
    const struct shim_call *m = judge_find_mapping(r, size, page);
    uint64_t start, end, covered_to;
    bool progress = true;

    if (!m) {
        check_fail(c, "Precondition failed: no successful mmap call by the program (SIZE %" PRIu64 ").", size);
        return false;
    }
    start = m->ret;
    end = start + round_up(m->len, page);
    for (size_t i = 0; i < r->ncalls; i++) {
        const struct shim_call *u = &r->calls[i];

        for (size_t k = 0; shimlog_unmapped(u) && k < u->nmapped; k++)
            if (u->mapped[k].start < start || u->mapped[k].end > end) {
                /* name only the pages outside: a run may hold the mapping too */
                struct shim_range outside = outside_of(&u->mapped[k], start, end);

                check_fail(c, "Expected: munmap removes the mapping %" PRIx64 "-%" PRIx64 " and nothing else.\n"
                              "Observed: munmap(0x%" PRIx64 ", %" PRIu64 ") also removed mapped pages %" PRIx64 "-%" PRIx64
                              "%s.\nTry: pass munmap the address mmap returned and the same length.",
                           start, end, u->addr, u->len, outside.start, outside.end,
                           u->returned ? "" : ", and the program died before munmap returned (it had unmapped code it was running)");
                note_reproduce_with(c, o, sc, "strace -e trace=mmap,munmap ", NULL);
                return false;
            }
    }
    /* Coverage by the union of successful calls, in any order. */
    covered_to = start;
    while (progress && covered_to < end) {
        progress = false;
        for (size_t i = 0; i < r->ncalls; i++) {
            const struct shim_call *u = &r->calls[i];
            uint64_t ue = u->addr + round_up(u->len, page);

            if (shimlog_unmapped(u) && u->addr <= covered_to && ue > covered_to) {
                covered_to = ue;
                progress = true;
            }
        }
    }
    if (covered_to < end) {
        check_fail(c, "Expected: munmap of the whole mapping %" PRIx64 "-%" PRIx64 " (SIZE %" PRIu64 ").\n"
                      "Observed: %s.\nTry: munmap(ptr, size) before the program ends, and check its result.",
                   start, end, size, covered_to == start ? "no munmap call removed it" : "only part of it was removed");
        note_reproduce_with(c, o, sc, "strace -e trace=mmap,munmap ", NULL);
        return false;
    }
    return true;
}

static void judge_munmap(const struct observations *o, struct check_result *c)
{
    for (size_t i = 0; i < nsized(o); i++)
        if (!munmap_removes_exactly(o, sized[i], c))
            return;
    check_pass(c, "munmap removed exactly the mapping's pages%s.", o->task != TASK_2_1 ? ", in every size" : "");
}

static void judge_mmap_failure(const struct observations *o, struct check_result *c)
{
    const struct run_result *r = &o->runs[SCENARIO_FAIL];
    char why[256];

    if (!r->started || r->timed_out || !r->exited || r->exit_code == 0 || r->err_len == 0) {
        check_fail(c, "Expected: when mmap fails (the grader made it return MAP_FAILED with ENOMEM), a message on stderr and a "
                      "non-zero exit.\nObserved: the program %s; stderr: \"%.300s\".\n"
                      "Try: if (ptr == MAP_FAILED) { perror(\"mmap\"); return 1; } -- not == NULL.",
                   session_describe_end(r, why, sizeof why), r->err);
        note_reproduce(c, o, SCENARIO_FAIL, NULL);
        return;
    }
    check_pass(c, "With mmap failing, it exited %d and said on stderr: %.200s", r->exit_code, r->err);
}

static void judge_size_arg(const struct observations *o, struct check_result *c)
{
    static const enum scenario hidden[] = {SCENARIO_SMALL, SCENARIO_LARGE};
    char why[256], cmd[64];

    for (size_t i = 0; i < 2; i++) {
        uint64_t size = size_of(o, hidden[i]);
        const struct shim_call *m = judge_find_mapping(&o->runs[hidden[i]], size, o->page);

        if (!m || round_up(m->len, o->page) != round_up(size, o->page)) {
            check_fail(c, "Expected: `./mmap_demo %" PRIu64 "` maps %" PRIu64 " bytes (or that rounded up to pages).\n"
                          "Observed: %s.",
                       size, size, m ? "a mapping of another length" : "no mapping at all");
            note_reproduce_with(c, o, hidden[i], "strace -e trace=mmap ", NULL);
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
        snprintf(cmd, sizeof cmd, "%s%s%s", args[0], args[1] ? " " : "", args[1] ? args[1] : "");
        check_fail(c, "Expected: `./mmap_demo %s` is rejected before mapping: usage on stderr, non-zero exit.\n"
                      "Observed: it %s%s; stderr: \"%.200s\".",
                   cmd, session_describe_end(r, why, sizeof why), mapped ? ", after mapping memory" : "", r->err);
        note_reproduce(c, o, (enum scenario)sc, NULL);
        return;
    }
    check_pass(c, "Mapped %" PRIu64 " and %" PRIu64 " bytes as asked; rejected abc, 12abc, 0, -5 and two arguments.",
               o->small_size, o->large_size);
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
    errors = o->vg_log ? valgrind_number(o->vg_log, "ERROR SUMMARY:") : -1;
    if (errors < 0) {
        check_fail(c, "Expected: valgrind runs the program to the end.\nObserved: no valgrind summary; the run %s.",
                   session_describe_end(&o->runs[SCENARIO_VALGRIND], why, sizeof why));
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
    if (errors != 0 || definite != 0 || indirect != 0)
        check_fail(c, "Expected: no memcheck errors, nothing definitely or indirectly lost.\nObserved: %ld errors, %ld bytes "
                      "definitely and %ld indirectly lost.\nTry: valgrind --leak-check=full ./%s",
                   errors, definite, indirect, o->program);
    else
        check_pass(c, "memcheck: no errors, no leaks.");
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

        check_fail(c, "Expected: mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0).\n"
                      "Observed: mmap(0x%" PRIx64 ", %" PRIu64 ", prot 0x%x, flags 0x%x, %d, %" PRIu64 ").",
                   m->addr, m->len, m->prot, m->flags, m->fd, m->offset);
    } else {
        check_fail(c, "Expected: a call to mmap.\nObserved: the program made none.");
    }
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
    const struct shim_call *m = judge_find_mapping(def, 4096, o->page), *held = last_content(def, m);
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

/* The per-stage timeline of the large-size run, for the reports. */
static void judge_timeline(const struct observations *o, struct task_result *t)
{
    static const char *const labels[] = {"pause 1 (/proc)", "pause 2 (/proc)", "pause 3 (/proc)", "pause 4 (/proc)"};
    const struct run_result *r = &o->runs[SCENARIO_LARGE];
    const struct program_output *p = &o->out[SCENARIO_LARGE];
    const struct shim_call *m = judge_find_mapping(r, o->large_size, o->page);

    for (int s = 0; s < STAGE_COUNT && t->ntimeline < MAX_TIMELINE; s++)
        if (p->table[s].found)
            t->timeline[t->ntimeline++] = (struct stage_view){output_stage_name(s), p->table[s].vsz_kib,
                                                              p->table[s].rss_kib, -1, -1};
    for (size_t i = 0; m && i < r->npauses && i < 4 && t->ntimeline < MAX_TIMELINE; i++) {
        const struct residency *res = residency_of(&r->pauses[i], m);

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
    {"runs", judge_runs},         {"maps_page", judge_maps_page},   {"uses_memory", judge_uses_memory},
    {"stages", judge_stages},     {"pauses", judge_pauses},         {"honest", judge_honest},
    {"vsz_grows", judge_vsz_grows}, {"rss_order", judge_rss_order}, {"lazy", judge_lazy},
    {"resident", judge_resident}, {"region", judge_region},         {"munmap", judge_munmap},
    {"mmap_failure", judge_mmap_failure}, {"size_arg", judge_size_arg}, {"valgrind", judge_valgrind},
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
