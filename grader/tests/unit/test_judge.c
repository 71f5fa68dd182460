/* test_judge.c - every check of tasks 2.1-2.3 on hand-made runs: what the
 * program printed (read by the grader's own output parser), the calls the
 * shim saw and the pauses. A correct run passes everything, and each
 * mistake fails exactly the checks it should, saying what was expected,
 * what was observed and what to try. */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>

#include "tasks/program_judge.h"
#include "unit.h"

#define PAGE 4096u
#define PID 4242
#define DECOY 4241
#define PARENT 4240
#define BASE_VSZ 2496
#define BASE_RSS 1572
#define MAX_FAKE_PAUSES 8

/* One hand-made run: what it printed, as numbers; what the grader saw. */
struct fake_run {
    uint64_t size, addr;
    long vsz[STAGE_COUNT], rss[STAGE_COUNT]; /* each table's numbers */
    long pid[STAGE_COUNT];                   /* each table's PID, 0: no PID column */
    bool status_lines;                       /* VmSize:/VmRSS: lines instead of tables */
    uint64_t printed;                        /* the Mapped line's address */
    bool prompts;                            /* a [Pause] line before each pause */
    size_t npauses;                          /* pauses while mapped, one after each of the middle tables */
    size_t enters[2];                        /* Enters each pause took (1: a pause) */
    size_t own[2];                           /* the mapping's own pages at each pause */
    size_t own_zero[2];                      /* ... of which hold only zeros */
    struct shim_call calls[8];
    size_t ncalls, lab;                      /* lab: calls up to the lab's mmap */
    struct pause_snapshot pauses[MAX_FAKE_PAUSES];
    struct residency res[MAX_FAKE_PAUSES];
    struct maps_region regions[MAX_FAKE_PAUSES][2];
    char text[4096];
};

static struct fake_run fakes[3];
static struct observations obs;
static struct task_result judged;

static const enum scenario sized[] = {SCENARIO_DEFAULT, SCENARIO_SMALL, SCENARIO_LARGE};

static uint64_t pages_of(uint64_t size)
{
    return (size + PAGE - 1) / PAGE;
}

/* Appends a table of stage s, as ps prints it, or VmSize/VmRSS lines. */
static void print_table(struct fake_run *f, int s)
{
    size_t n = strlen(f->text);

    if (f->status_lines)
        snprintf(f->text + n, sizeof f->text - n, "VmSize:\t%8ld kB\nVmRSS:\t%8ld kB\n", f->vsz[s], f->rss[s]);
    else if (f->pid[s])
        snprintf(f->text + n, sizeof f->text - n, "    PID    VSZ   RSS COMMAND\n%7ld %6ld %5ld mmap_demo\n", f->pid[s],
                 f->vsz[s], f->rss[s]);
    else
        snprintf(f->text + n, sizeof f->text - n, "   VSZ   RSS\n%6ld %5ld\n", f->vsz[s], f->rss[s]);
}

static void print(struct fake_run *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void print(struct fake_run *f, const char *fmt, ...)
{
    size_t n = strlen(f->text);
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(f->text + n, sizeof f->text - n, fmt, ap);
    va_end(ap);
}

/* The pause after stage s: its prompt, then what the grader saw there. */
static void pause_after(struct fake_run *f, struct run_result *r, size_t k, int s)
{
    for (size_t e = 0; e < f->enters[k] && r->npauses < MAX_FAKE_PAUSES; e++) {
        size_t i = r->npauses++;
        struct pause_snapshot *p = &f->pauses[i];

        if (e == 0 && f->prompts)
            print(f, "[Pause] Inspect /proc/%d/maps, then press Enter to continue...\n", PID);
        memset(p, 0, sizeof *p);
        p->out_offset = strlen(f->text);
        p->calls_before = f->lab;
        p->status_ok = p->maps_ok = true;
        p->status = (struct proc_status){f->vsz[s], f->rss[s], PID};
        f->regions[i][0] = (struct maps_region){.start = 0x1000, .end = 0x2000, .perms = "r--p", .inode = 7};
        f->regions[i][1] = (struct maps_region){.start = f->addr, .end = f->addr + pages_of(f->size) * PAGE, .perms = "rw-p"};
        p->maps = (struct maps){f->regions[i], 2};
        f->res[i] = (struct residency){.start = f->addr, .end = f->addr + pages_of(f->size) * PAGE, .own = f->own[k],
                                       .total = pages_of(f->size), .own_zero = f->own_zero[k]};
        p->residency = &f->res[i];
        p->nresidency = 1;
    }
}

/* Places the lab's mmap and munmap (the calls at its address) at offset
 * at of the output. */
static void place_calls(struct fake_run *f, enum shim_kind kind, size_t at)
{
    uint64_t end = f->addr + pages_of(f->size) * PAGE;

    for (size_t i = 0; i < f->ncalls; i++) {
        const struct shim_call *c = &f->calls[i];

        if (c->kind == kind && (kind == SHIM_MMAP ? c->ret == f->addr : c->addr < end && c->addr + c->len > f->addr))
            f->calls[i].out_offset = at;
    }
}

/* Prints the run as the program would have, and places the calls and the
 * pauses in it: what the session would have recorded. */
static void render(struct fake_run *f, struct run_result *r, struct program_output *out)
{
    f->text[0] = '\0';
    r->npauses = 0;
    r->pauses = f->pauses;
    /* the pause calls_before counts the mmap calls made by then */
    for (size_t i = 0; i < f->ncalls; i++)
        if (f->calls[i].kind == SHIM_MMAP && f->calls[i].ret == f->addr)
            f->lab = i + 1;
    if (obs.task == TASK_2_1) {
        place_calls(f, SHIM_MMAP, 0);
        print(f, "Mapped 4096 bytes at 0x%llx\nRead back: AAAA\n", (unsigned long long)f->printed);
        place_calls(f, SHIM_MUNMAP, strlen(f->text));
        print(f, "Unmapped.\n");
    } else {
        print(f, "[Initial]\n");
        print_table(f, STAGE_INITIAL);
        place_calls(f, SHIM_MMAP, strlen(f->text));
        print(f, "Mapped %llu bytes at 0x%llx\n[After mmap]\n", (unsigned long long)f->size, (unsigned long long)f->printed);
        print_table(f, STAGE_AFTER_MMAP);
        if (f->npauses > 0)
            pause_after(f, r, 0, STAGE_AFTER_MMAP);
        print(f, "[After writing to memory]\n");
        print_table(f, STAGE_AFTER_WRITE);
        if (f->npauses > 1)
            pause_after(f, r, 1, STAGE_AFTER_WRITE);
        place_calls(f, SHIM_MUNMAP, strlen(f->text));
        print(f, "[After munmap]\n");
        print_table(f, STAGE_AFTER_MUNMAP);
        print(f, "Memory successfully unmapped.\n");
    }
    r->out = f->text;
    r->out_len = strlen(f->text);
    r->calls = f->calls;
    r->ncalls = f->ncalls;
    output_parse(r->out, r->out_len, out);
}

/* A correct run with SIZE size at addr, extra KiB of ballast. */
static void fake_good_run(struct fake_run *f, uint64_t size, uint64_t addr, long extra)
{
    long kib = (long)(pages_of(size) * PAGE / 1024), vsz = BASE_VSZ + extra, rss = BASE_RSS + extra;

    memset(f, 0, sizeof *f);
    *f = (struct fake_run){.size = size, .addr = addr, .vsz = {vsz, vsz + kib, vsz + kib, vsz},
                           .rss = {rss, rss, rss + kib, rss + kib}, .pid = {PID, PID, PID, PID}, .printed = addr,
                           .prompts = true, .npauses = strcmp(catalog_tasks[obs.task].id, "2.3") == 0 ? 2 : 0,
                           .enters = {1, 1}, .own = {0, pages_of(size)}, .ncalls = 2};
    f->calls[0] = (struct shim_call){.kind = SHIM_MMAP, .pid = PID, .len = size, .prot = PROT_READ | PROT_WRITE,
                                     .flags = MAP_PRIVATE | MAP_ANONYMOUS, .fd = -1, .ret = addr, .ok = true,
                                     .returned = true};
    f->calls[1] = (struct shim_call){.kind = SHIM_MUNMAP, .pid = PID, .addr = addr, .len = size, .ok = true,
                                     .returned = true, .nmapped = 1, .content = (unsigned char *)"AAAA",
                                     .content_len = 4};
    f->calls[1].mapped[0] = (struct shim_range){addr, addr + pages_of(size) * PAGE};
}

static void set_up_good_observations(const char *task)
{
    static const uint64_t addrs[] = {0x7f0000000000, 0x7f1000000000, 0x7f2000000000};

    memset(&obs, 0, sizeof obs);
    obs.task = catalog_task_id(catalog_task(task));
    obs.program = catalog_task(task)->program;
    obs.page = PAGE;
    obs.small_size = 9240;
    obs.large_size = (64u << 20) + 77;
    fake_good_run(&fakes[0], 4096, addrs[0], 0);
    fake_good_run(&fakes[1], obs.small_size, addrs[1], BALLAST_KIB);
    fake_good_run(&fakes[2], obs.large_size, addrs[2], 0);
    for (int i = 0; i < 3; i++)
        obs.runs[sized[i]] = (struct run_result){.started = true, .exited = true, .pid = PID, .self_pid = PID,
                                                 .parent_pid = PARENT, .decoy_pids = {DECOY, DECOY + 2}, .err = ""};
    obs.runs[SCENARIO_EOF] = obs.runs[SCENARIO_DEFAULT];
    obs.runs[SCENARIO_FAIL] = (struct run_result){.started = true, .exited = true, .exit_code = 1, .pid = PID, .out = "",
                                                  .err = "mmap: Cannot allocate memory\n", .err_len = 29};
    for (int sc = SCENARIO_BAD_FIRST; sc <= SCENARIO_BAD_LAST; sc++)
        obs.runs[sc] = (struct run_result){.started = true, .exited = true, .exit_code = 2, .pid = PID, .out = "",
                                           .err = "usage: mmap_demo [SIZE]\n", .err_len = 24};
    obs.ran[SCENARIO_VALGRIND] = true;
    obs.vg_log = "==1== ERROR SUMMARY: 0 errors from 0 contexts (suppressed: 0 from 0)\n"
                 "==1== All heap blocks were freed -- no leaks are possible\n";
}

static void free_judged(void)
{
    task_result_free(&judged);
    memset(&judged, 0, sizeof judged);
}

/* Renders the runs and judges them through the grader's own entry point;
 * returns the failed and not-run check ids, in rubric order. */
static const char *judge_failures(void)
{
    static char failed[256];

    for (int i = 0; i < 3; i++)
        render(&fakes[i], &obs.runs[sized[i]], &obs.out[sized[i]]);
    free_judged();
    judged.task = catalog_tasks[obs.task].id;
    judge_program_task(&obs, &judged);
    failed[0] = '\0';
    for (size_t i = 0; i < judged.nchecks; i++)
        if (judged.checks[i].status != CHECK_PASSED)
            snprintf(failed + strlen(failed), sizeof failed - strlen(failed), "%s%s", failed[0] ? " " : "",
                     judged.checks[i].id);
    return failed;
}

static const char *feedback_of(const char *id)
{
    for (size_t i = 0; i < judged.nchecks; i++)
        if (strcmp(judged.checks[i].id, id) == 0)
            return judged.checks[i].feedback;
    return NULL;
}

static enum check_status status_of(const char *id)
{
    for (size_t i = 0; i < judged.nchecks; i++)
        if (strcmp(judged.checks[i].id, id) == 0)
            return judged.checks[i].status;
    fail_msg("no check %s was judged", id);
    return CHECK_NOT_RUN;
}

/* Judges again what judge_failures rendered, after a test changed it. */
static void judge_again(void)
{
    free_judged();
    judged.task = catalog_tasks[obs.task].id;
    judge_program_task(&obs, &judged);
}

static int teardown(void **state)
{
    (void)state;
    free_judged();
    return 0;
}

static void passes_a_correct_run_of_2_3_on_every_check(void **state)
{
    (void)state;
    set_up_good_observations("2.3");
    EXPECT_STR(judge_failures(), "");
}

static void passes_a_correct_run_of_2_1_and_2_2(void **state)
{
    (void)state;
    set_up_good_observations("2.1");
    EXPECT_STR(judge_failures(), "");
    set_up_good_observations("2.2");
    EXPECT_STR(judge_failures(), "");
}

static void fails_lazy_when_a_page_is_resident_at_pause_1(void **state)
{
    (void)state;
    set_up_good_observations("2.3");
    fakes[1].own[0] = 1;
    EXPECT_STR(judge_failures(), "lazy");
    EXPECT_CONTAINS(feedback_of("lazy"), "Observed: 1 of 3 pages resident (SIZE 9240)");
    EXPECT_CONTAINS(feedback_of("lazy"), "Reproduce: ./mmap_demo 9240, and at the first pause: grep -A 4 '^7f1000000000-'");
    EXPECT_CONTAINS(feedback_of("lazy"), "Try: do not write to the mapping before the first pause (reading it is fine).");
    /* MAP_POPULATE faults the pages in without a write: say so */
    set_up_good_observations("2.3");
    fakes[1].own[0] = 3;
    fakes[1].calls[0].flags |= MAP_POPULATE;
    EXPECT_STR(judge_failures(), "lazy");
    EXPECT_CONTAINS(feedback_of("lazy"), "Try: drop MAP_POPULATE and MAP_LOCKED from mmap's flags");
}

static void judges_lazy_by_content_where_a_read_allocates(void **state)
{
    (void)state;
    set_up_good_observations("2.3");
    obs.read_allocates = true;
    /* the large run read every page before its [After mmap] table: on this
     * kernel each page got memory of its own, and holds zeros */
    fakes[2].own[0] = fakes[2].own_zero[0] = 16385;
    fakes[2].rss[STAGE_AFTER_MMAP] += 65540;
    fakes[2].rss[STAGE_AFTER_WRITE] = fakes[2].rss[STAGE_AFTER_MMAP] + 8;
    EXPECT_STR(judge_failures(), "");
    EXPECT_CONTAINS(feedback_of("lazy"), "pages holding only zeros count as read");
    /* where a read maps the shared zero page, the same pages were written */
    obs.read_allocates = false;
    EXPECT_STR(judge_failures(), "rss_order lazy");
    EXPECT_CONTAINS(feedback_of("lazy"), "Observed: 16385 of 16385 pages resident");
    /* a page holding data was written, whatever the kernel */
    obs.read_allocates = true;
    fakes[2].own_zero[0] -= 1;
    EXPECT_STR(judge_failures(), "lazy");
    EXPECT_CONTAINS(feedback_of("lazy"), "Observed: 16385 of 16385 pages resident (SIZE 67108941), 1 of them holding data");
    /* MAP_POPULATE faulted every page in at mmap: zeros, but not read */
    fakes[2].own_zero[0] = 16385;
    fakes[2].calls[0].flags |= MAP_POPULATE;
    EXPECT_STR(judge_failures(), "rss_order lazy");
    EXPECT_CONTAINS(feedback_of("lazy"), "Try: drop MAP_POPULATE and MAP_LOCKED");
}

static void fails_resident_when_a_page_was_never_written(void **state)
{
    (void)state;
    set_up_good_observations("2.3");
    fakes[2].own[1] -= 1;
    EXPECT_STR(judge_failures(), "resident");
    EXPECT_CONTAINS(feedback_of("resident"), "16384 of 16385 pages");
}

static void judges_lazy_at_the_one_pause_and_names_pauses_for_the_rest(void **state)
{
    (void)state;
    /* one pause, after mmap, none after the write */
    set_up_good_observations("2.3");
    fakes[0].npauses = 1;
    EXPECT_STR(judge_failures(), "pauses resident");
    EXPECT_CONTAINS(feedback_of("pauses"), "Observed: with SIZE 4096, one pause while the mapping existed, none after "
                                           "the write (1 pause in all).");
    EXPECT_STR(feedback_of("resident"), "Precondition failed: with SIZE 4096, no pause after the first while the "
                                        "mapping existed: nothing shows it written (see `pauses`).");
    /* none at all: lazy, resident and region cannot look */
    fakes[0].npauses = 0;
    EXPECT_STR(judge_failures(), "pauses lazy resident region");
    EXPECT_CONTAINS(feedback_of("pauses"), "no pause while the mapping existed");
    EXPECT_CONTAINS(feedback_of("lazy"), "(see `pauses`)");
}

static void tells_a_pause_that_ate_every_enter_from_two_pauses(void **state)
{
    (void)state;
    /* scanf("%d"): pause 1 took 63 Enters, then stdin was closed */
    set_up_good_observations("2.3");
    fakes[0].enters[0] = MAX_FAKE_PAUSES;
    fakes[0].npauses = 1;
    obs.runs[SCENARIO_DEFAULT].pauses_capped = true;
    EXPECT_STR(judge_failures(), "pauses resident");
    EXPECT_CONTAINS(feedback_of("pauses"), "pause 1 took 8 Enters in one read loop and never returned on a newline");
    EXPECT_CONTAINS(feedback_of("resident"), "Precondition failed");
}

static void ignores_extra_pauses_before_the_mapping(void **state)
{
    (void)state;
    set_up_good_observations("2.3");
    /* a pause before mmap, then the two: pause 1 is the first while mapped */
    fakes[0].pauses[0] = (struct pause_snapshot){0};
    EXPECT_STR(judge_failures(), "");
}

static void fails_a_pause_that_goes_on_only_after_two_enters(void **state)
{
    (void)state;
    set_up_good_observations("2.3");
    for (int i = 0; i < 3; i++)
        fakes[i].enters[0] = 2; /* fgets twice: two lines read at pause 1 */
    EXPECT_STR(judge_failures(), "pauses");
    EXPECT_CONTAINS(feedback_of("pauses"), "pause 1 went on only after 2 Enters, printing and calling nothing in "
                                           "between: it read 2 lines");
}

static void fails_region_when_maps_does_not_cover_the_mapping(void **state)
{
    (void)state;
    set_up_good_observations("2.3");
    judge_failures();
    fakes[0].regions[1][1].perms[1] = '-'; /* mprotect'ed read-only before pause 2 */
    judge_again();
    EXPECT_LONG(status_of("region"), CHECK_FAILED);
    EXPECT_CONTAINS(feedback_of("region"), "at pause 2");
}

static void fails_region_when_the_printed_address_is_elsewhere(void **state)
{
    (void)state;
    set_up_good_observations("2.3");
    fakes[2].printed = 0x1234;
    EXPECT_STR(judge_failures(), "region");
    EXPECT_CONTAINS(feedback_of("region"), "Observed: 0x1234, in another region.");
}

static void fails_address_on_the_address_of_the_pointer(void **state)
{
    (void)state;
    set_up_good_observations("2.2");
    fakes[0].printed = 0x7ffc12345678;
    EXPECT_STR(judge_failures(), "address");
    EXPECT_CONTAINS(feedback_of("address"), "Expected: the address mmap returned, 0x7f0000000000");
    EXPECT_CONTAINS(feedback_of("address"), "Observed: 0x7ffc12345678, outside the mapping");
    EXPECT_CONTAINS(feedback_of("address"), "not the address of the variable holding it (&ptr)");
    set_up_good_observations("2.1");
    fakes[0].printed = 0x7ffc12345678;
    EXPECT_STR(judge_failures(), "address");
}

static void judges_munmap_by_the_pages_it_removed(void **state)
{
    (void)state;
    set_up_good_observations("2.3");
    /* a length past the end that found nothing mapped there is harmless */
    fakes[1].calls[1].len = 3 * PAGE + 1;
    EXPECT_STR(judge_failures(), "");
    /* two calls, each half of the mapping, the upper half first */
    set_up_good_observations("2.3");
    fakes[2].calls[2] = fakes[2].calls[1];
    fakes[2].calls[1].addr = 0x7f2000000000 + 8192 * PAGE;
    fakes[2].calls[1].len = 8193 * PAGE;
    fakes[2].calls[2].len = 8192 * PAGE;
    fakes[2].ncalls = 3;
    EXPECT_STR(judge_failures(), "");
}

static void fails_munmap_that_removes_a_neighbour(void **state)
{
    (void)state;
    set_up_good_observations("2.3");
    fakes[0].calls[1].len = 2 * PAGE;
    fakes[0].calls[1].nmapped = 2;
    fakes[0].calls[1].mapped[1] = (struct shim_range){0x7f0000001000, 0x7f0000002000};
    EXPECT_STR(judge_failures(), "munmap");
    EXPECT_CONTAINS(feedback_of("munmap"), "also removed mapped pages 7f0000001000-7f0000002000");
}

static void lets_the_program_unmap_a_second_mapping_of_its_own(void **state)
{
    (void)state;
    set_up_good_observations("2.3");
    /* a page of a file, mapped and unmapped beside the lab's mapping: its
     * munmap removes pages outside the mapping, but the program's own */
    fakes[0].calls[2] = (struct shim_call){.kind = SHIM_MMAP, .pid = PID, .len = PAGE, .prot = PROT_READ,
                                           .flags = MAP_PRIVATE, .fd = 3, .ret = 0x7f0000005000, .ok = true,
                                           .returned = true};
    fakes[0].calls[3] = (struct shim_call){.kind = SHIM_MUNMAP, .pid = PID, .addr = 0x7f0000005000, .len = PAGE,
                                           .ok = true, .returned = true, .nmapped = 1};
    fakes[0].calls[3].mapped[0] = (struct shim_range){0x7f0000005000, 0x7f0000006000};
    fakes[0].ncalls = 4;
    EXPECT_STR(judge_failures(), "");
}

static void takes_the_mapping_the_program_names_not_a_scratch_buffer_of_its_size(void **state)
{
    (void)state;
    set_up_good_observations("2.3");
    /* a scratch page mapped before the lab's mapping of the same size,
     * written at once, and unmapped at the end */
    for (int k = 2; k > 0; k--)
        fakes[0].calls[k] = fakes[0].calls[k - 1];
    fakes[0].calls[0].ret = 0x7f0000008000;
    fakes[0].calls[3] = (struct shim_call){.kind = SHIM_MUNMAP, .pid = PID, .addr = 0x7f0000008000, .len = PAGE,
                                           .ok = true, .returned = true, .nmapped = 1};
    fakes[0].calls[3].mapped[0] = (struct shim_range){0x7f0000008000, 0x7f0000009000};
    fakes[0].ncalls = 4;
    EXPECT_STR(judge_failures(), "");
}

static void fails_munmap_that_the_program_died_in_for_what_it_removed(void **state)
{
    (void)state;
    set_up_good_observations("2.3");
    /* munmap(ptr, size + 2 pages) took libc's first pages with it: the
     * program died before the call returned, so no result came */
    fakes[0].calls[1].len = 3 * PAGE;
    fakes[0].calls[1].returned = false;
    fakes[0].calls[1].ok = false;
    /* one run of pages: the mapping and the two above it; only those two are named */
    fakes[0].calls[1].mapped[0] = (struct shim_range){0x7f0000000000, 0x7f0000003000};
    EXPECT_STR(judge_failures(), "munmap");
    EXPECT_CONTAINS(feedback_of("munmap"), "also removed mapped pages 7f0000001000-7f0000003000, and the program died "
                                           "before munmap returned");
}

static void fails_munmap_that_is_missing_or_partial(void **state)
{
    (void)state;
    set_up_good_observations("2.3");
    fakes[1].ncalls = 1;
    EXPECT_STR(judge_failures(), "munmap");
    EXPECT_CONTAINS(feedback_of("munmap"), "no munmap call removed it");
    set_up_good_observations("2.3");
    fakes[2].calls[1].len = 4096; /* munmap(ptr, 4096) of a 64 MiB mapping */
    EXPECT_STR(judge_failures(), "munmap");
    EXPECT_CONTAINS(feedback_of("munmap"), "Observed: only 7f2000000000-7f2000001000 was removed (4096 bytes)");
}

static void says_the_run_was_stopped_when_it_never_reached_munmap(void **state)
{
    struct run_result *def = &obs.runs[SCENARIO_DEFAULT];

    (void)state;
    /* sleep(20) for its second pause: killed at the time limit */
    set_up_good_observations("2.3");
    fakes[0].npauses = 1;
    fakes[0].ncalls = 1;
    def->exited = false;
    def->timed_out = true;
    def->term_signal = SIGKILL;
    snprintf(def->activity, sizeof def->activity, "sleeping (sleep, usleep or nanosleep)");
    EXPECT_STR(judge_failures(), "runs pauses resident munmap");
    EXPECT_CONTAINS(feedback_of("runs"), "was still running after the time limit, sleeping (sleep, usleep or "
                                         "nanosleep), and was killed");
    EXPECT_CONTAINS(feedback_of("pauses"), "one pause while the mapping existed, none after the write (1 pause in "
                                           "all); at the time limit it was sleeping");
    EXPECT_STR(feedback_of("munmap"), "Precondition failed: with SIZE 4096, the run was stopped at the time limit "
                                      "while the program was sleeping (sleep, usleep or nanosleep), before it unmapped "
                                      "the mapping (see `runs`).");
}

static void fails_honest_on_numbers_that_do_not_move_with_the_ballast(void **state)
{
    (void)state;
    set_up_good_observations("2.3");
    fakes[1].vsz[STAGE_INITIAL] = BASE_VSZ;
    fakes[1].rss[STAGE_INITIAL] = BASE_RSS;
    fakes[1].vsz[STAGE_AFTER_MMAP] = BASE_VSZ + 12; /* and vsz_grows still sees the mapping */
    /* numbers that are no measurement: the growth checks cannot judge them */
    EXPECT_STR(judge_failures(), "honest vsz_grows rss_order");
    EXPECT_CONTAINS(feedback_of("honest"), "VSZ moved by 0 KiB, RSS by 0 KiB");
    EXPECT_STR(feedback_of("vsz_grows"), "Precondition failed: the numbers printed are not measurements of the "
                                         "process itself (see `honest`).");
}

static void fails_honest_on_a_table_after_munmap_that_still_counts_the_mapping(void **state)
{
    (void)state;
    /* VSZ from VmPeak: right until the munmap, 64 MiB too high after it */
    set_up_good_observations("2.3");
    fakes[2].vsz[STAGE_AFTER_MUNMAP] = fakes[2].vsz[STAGE_AFTER_WRITE];
    EXPECT_STR(judge_failures(), "honest");
    EXPECT_CONTAINS(feedback_of("honest"), "VSZ printed after the munmap");
    EXPECT_CONTAINS(feedback_of("honest"), "VmSize (not VmPeak, the highest VSZ so far)");
}

static void fails_honest_on_another_process_s_pid_and_names_it(void **state)
{
    (void)state;
    set_up_good_observations("2.3");
    fakes[0].pid[STAGE_AFTER_MUNMAP] = PARENT; /* ps of the parent */
    EXPECT_STR(judge_failures(), "honest");
    EXPECT_CONTAINS(feedback_of("honest"), "Observed: a table of PID 4240, your program's parent (getppid())");
    /* by name: the decoy, in every table */
    set_up_good_observations("2.3");
    for (int i = 0; i < 3; i++)
        for (int s = 0; s < STAGE_COUNT; s++)
            fakes[i].pid[s] = DECOY;
    EXPECT_STR(judge_failures(), "honest vsz_grows rss_order");
    EXPECT_CONTAINS(feedback_of("honest"), "PID 4241, the grader's decoy");
    EXPECT_CONTAINS(feedback_of("vsz_grows"), "Precondition failed: with SIZE 4096, the table printed before the mmap "
                                              "is another process's (see `honest`).");
}

static void judges_numbers_without_a_pid_column_or_from_status_lines(void **state)
{
    (void)state;
    /* ps -o vsz,rss: no PID column, the numbers are the program's */
    set_up_good_observations("2.2");
    for (int i = 0; i < 3; i++)
        memset(fakes[i].pid, 0, sizeof fakes[i].pid);
    EXPECT_STR(judge_failures(), "");
    /* VmSize:/VmRSS: lines: not the contract's table (stages), but numbers */
    set_up_good_observations("2.3");
    for (int i = 0; i < 3; i++)
        fakes[i].status_lines = true;
    EXPECT_STR(judge_failures(), "stages");
    /* and numbers typed in still fail */
    fakes[1].vsz[STAGE_INITIAL] = BASE_VSZ;
    fakes[1].rss[STAGE_INITIAL] = BASE_RSS;
    fakes[1].vsz[STAGE_AFTER_MMAP] = BASE_VSZ + 12;
    EXPECT_STR(judge_failures(), "stages honest vsz_grows rss_order");
}

static void allows_honest_numbers_stdio_s_buffers_apart(void **state)
{
    (void)state;
    set_up_good_observations("2.3");
    judge_failures();
    fakes[0].pauses[0].status.vm_rss_kib += HONEST_TOLERANCE_KIB;
    judge_again();
    EXPECT_LONG(status_of("honest"), CHECK_PASSED);
    fakes[0].pauses[0].status.vm_rss_kib += 1;
    judge_again();
    EXPECT_LONG(status_of("honest"), CHECK_FAILED);
    EXPECT_CONTAINS(feedback_of("honest"), "within 512 KiB of /proc/PID/status at the pause");
}

static void fails_rss_order_when_pages_were_touched_before_the_table(void **state)
{
    (void)state;
    set_up_good_observations("2.2");
    fakes[2].rss[STAGE_AFTER_MMAP] += RSS_AT_MMAP_SLACK_KIB + 1;
    EXPECT_STR(judge_failures(), "rss_order");
    set_up_good_observations("2.2");
    fakes[2].rss[STAGE_AFTER_WRITE] = BASE_RSS + 1000; /* wrote one page in sixteen */
    EXPECT_STR(judge_failures(), "rss_order");
    EXPECT_CONTAINS(feedback_of("rss_order"), "90% of the mapping");
}

static void fails_vsz_grows_when_the_table_ignores_the_mapping(void **state)
{
    (void)state;
    set_up_good_observations("2.2");
    /* every size allows for posix_spawn's stack in one reading: under load,
     * the 64 MiB run of a correct program showed [Initial] 36 KiB high */
    fakes[1].vsz[STAGE_INITIAL] += 36;
    fakes[2].vsz[STAGE_INITIAL] += 36;
    EXPECT_STR(judge_failures(), "");
    fakes[1].vsz[STAGE_AFTER_MMAP] = fakes[1].vsz[STAGE_INITIAL] - 60;
    EXPECT_STR(judge_failures(), "vsz_grows");
    EXPECT_CONTAINS(feedback_of("vsz_grows"), "VSZ after mmap 12 KiB (the mapping) above the initial VSZ, give or take 64 KiB");
    set_up_good_observations("2.2");
    fakes[2].vsz[STAGE_AFTER_MMAP] -= VSZ_NOISE_KIB + 4;
    EXPECT_STR(judge_failures(), "vsz_grows");
    EXPECT_CONTAINS(feedback_of("vsz_grows"), "with SIZE 67108941, VSZ after mmap 65540 KiB (the mapping) above the initial VSZ");
}

static void accepts_a_size_rounded_up_and_fails_one_ignored_alone(void **state)
{
    (void)state;
    set_up_good_observations("2.3");
    fakes[1].calls[0].len = 3 * PAGE;
    EXPECT_STR(judge_failures(), "");
    /* 4096 whatever SIZE said: size_arg, and rss_order cannot judge RSS
     * steps of one page */
    set_up_good_observations("2.3");
    for (int i = 1; i < 3; i++) {
        fakes[i].calls[0].len = fakes[i].calls[1].len = PAGE;
        fakes[i].calls[1].mapped[0].end = fakes[i].addr + PAGE;
        fakes[i].size = PAGE;
        fakes[i].own[1] = 1;
        fakes[i].vsz[STAGE_AFTER_MMAP] = fakes[i].vsz[STAGE_AFTER_WRITE] = fakes[i].vsz[STAGE_INITIAL] + 4;
        fakes[i].rss[STAGE_AFTER_WRITE] = fakes[i].rss[STAGE_AFTER_MUNMAP] = fakes[i].rss[STAGE_INITIAL] + 4;
    }
    EXPECT_STR(judge_failures(), "rss_order size_arg");
    EXPECT_CONTAINS(feedback_of("size_arg"), "Observed: a mapping of 4096 bytes.");
    EXPECT_CONTAINS(feedback_of("rss_order"), "Precondition failed: the 67108941-byte run mapped far less (see `size_arg`)");
}

static void judges_the_pauses_of_the_runs_that_made_their_mapping(void **state)
{
    (void)state;
    /* "usage" for any argument: the hidden sizes map nothing */
    set_up_good_observations("2.3");
    for (int i = 1; i < 3; i++) {
        fakes[i].ncalls = 0;
        fakes[i].npauses = 0;
    }
    EXPECT_STR(judge_failures(), "honest rss_order size_arg");
    EXPECT_CONTAINS(feedback_of("size_arg"), "Observed: no mapping at all");
    EXPECT_CONTAINS(feedback_of("honest"), "Precondition failed: `./mmap_demo 9240` made no mapping");
}

static void fails_size_arg_when_a_bad_argument_is_mapped(void **state)
{
    (void)state;
    set_up_good_observations("2.2");
    obs.runs[SCENARIO_BAD_FIRST + 1] = obs.runs[SCENARIO_DEFAULT]; /* "12abc" read as 12 */
    judge_failures();
    obs.runs[SCENARIO_BAD_FIRST + 1] = obs.runs[SCENARIO_DEFAULT];
    EXPECT_STR(judge_failures(), "size_arg");
    EXPECT_CONTAINS(feedback_of("size_arg"), "`./mmap_demo 12abc` is rejected before mapping");
    EXPECT_CONTAINS(feedback_of("size_arg"), "Reproduce: ./mmap_demo 12abc; echo \"exit status $?\"");
}

static void fails_mmap_failure_on_a_crash_or_a_silent_exit(void **state)
{
    (void)state;
    set_up_good_observations("2.3");
    obs.runs[SCENARIO_FAIL] = (struct run_result){.started = true, .term_signal = SIGSEGV, .out = "", .err = ""};
    EXPECT_STR(judge_failures(), "mmap_failure");
    EXPECT_CONTAINS(feedback_of("mmap_failure"), "was killed by signal 11");
    obs.runs[SCENARIO_FAIL] = (struct run_result){.started = true, .exited = true, .exit_code = 1, .out = "", .err = ""};
    EXPECT_STR(judge_failures(), "mmap_failure");
}

static void gives_no_mmap_point_to_a_program_that_maps_nothing(void **state)
{
    (void)state;
    /* the 2.1 starter: exits 0, maps nothing */
    set_up_good_observations("2.1");
    fakes[0].ncalls = 0;
    EXPECT_STR(judge_failures(), "maps_page address uses_memory munmap mmap_failure valgrind");
    EXPECT_CONTAINS(feedback_of("mmap_failure"), "Precondition failed: `./mmap_basics` maps nothing");
    EXPECT_CONTAINS(feedback_of("valgrind"), "(see `maps_page`)");
}

static void fails_runs_on_a_timeout_and_on_eof(void **state)
{
    (void)state;
    set_up_good_observations("2.3");
    obs.runs[SCENARIO_EOF].timed_out = true;
    obs.runs[SCENARIO_EOF].exited = false;
    obs.runs[SCENARIO_EOF].term_signal = SIGKILL;
    snprintf(obs.runs[SCENARIO_EOF].activity, 64, "running on the CPU, in a loop that did not end");
    EXPECT_STR(judge_failures(), "runs");
    EXPECT_CONTAINS(feedback_of("runs"), "still running after the time limit, running on the CPU, in a loop that "
                                         "did not end, and was killed");
}

static void fails_stages_naming_the_missing_one(void **state)
{
    (void)state;
    set_up_good_observations("2.2");
    judge_failures();
    obs.out[SCENARIO_DEFAULT].stage_found[STAGE_AFTER_WRITE] = false;
    judge_again();
    EXPECT_LONG(status_of("stages"), CHECK_FAILED);
    EXPECT_CONTAINS(feedback_of("stages"), "a `[After writing to memory]` line");
}

static void reads_valgrind_s_summary_with_thousands_separators(void **state)
{
    (void)state;
    set_up_good_observations("2.3");
    obs.vg_log = "==7== definitely lost: 4,096 bytes in 1 blocks\n==7== indirectly lost: 0 bytes in 0 blocks\n"
                 "==7== ERROR SUMMARY: 1,024 errors from 2 contexts (suppressed: 0 from 0)\n";
    EXPECT_STR(judge_failures(), "valgrind");
    EXPECT_CONTAINS(feedback_of("valgrind"), "1024 errors, 4096 bytes definitely");
    EXPECT_CONTAINS(feedback_of("valgrind"), "Reproduce: valgrind --leak-check=full ./mmap_demo");
    obs.ran[SCENARIO_VALGRIND] = false;
    EXPECT_STR(judge_failures(), "valgrind");
    EXPECT_LONG(judged.checks[judged.nchecks - 1].status, CHECK_NOT_RUN);
}

static void fails_maps_page_on_other_arguments(void **state)
{
    (void)state;
    set_up_good_observations("2.1");
    fakes[0].calls[0].flags = MAP_SHARED | MAP_ANONYMOUS;
    EXPECT_STR(judge_failures(), "maps_page");
    EXPECT_CONTAINS(feedback_of("maps_page"), "MAP_SHARED | MAP_ANONYMOUS");
}

static void fails_uses_memory_when_the_page_never_held_the_message(void **state)
{
    (void)state;
    set_up_good_observations("2.1");
    fakes[0].calls[1].content = NULL;
    fakes[0].calls[1].content_len = 0;
    EXPECT_STR(judge_failures(), "uses_memory");
    EXPECT_CONTAINS(feedback_of("uses_memory"),
                    "Observed: the page held \"\" (only zero bytes); the program printed \"AAAA\".");
    EXPECT_CONTAINS(feedback_of("uses_memory"), "Reproduce: ./mmap_basics");
}

static void finds_the_message_anywhere_in_the_page_even_never_unmapped(void **state)
{
    (void)state;
    set_up_good_observations("2.1");
    /* behind a header of the program's own, with zero bytes in it */
    fakes[0].calls[1].content = (unsigned char *)"PA\0\0\x01\0\0\0AAAA";
    fakes[0].calls[1].content_len = 12;
    EXPECT_STR(judge_failures(), "");
    /* never unmapped: what the page held at exit (munmap fails, alone) */
    fakes[0].calls[1].kind = SHIM_ALIVE;
    EXPECT_STR(judge_failures(), "munmap");
    EXPECT_CONTAINS(feedback_of("uses_memory"), "when it was left at exit");
    /* the program died before either */
    fakes[0].ncalls = 1;
    EXPECT_STR(judge_failures(), "uses_memory munmap");
    EXPECT_CONTAINS(feedback_of("uses_memory"), "(the program died before munmap or exit)");
}

static void draws_the_timeline_of_the_large_run(void **state)
{
    (void)state;
    set_up_good_observations("2.3");
    EXPECT_STR(judge_failures(), "");
    EXPECT_LONG(judged.ntimeline, 6);
    EXPECT_STR(judged.timeline[0].label, "Initial");
    EXPECT_LONG(judged.timeline[0].total_pages, -1); /* printed: residency unknown */
    EXPECT_LONG(judged.timeline[1].vsz_kib, BASE_VSZ + 65540);
    EXPECT_STR(judged.timeline[4].label, "pause 1 (/proc)");
    EXPECT_LONG(judged.timeline[4].own_pages, 0);
    EXPECT_STR(judged.timeline[5].label, "pause 2 (/proc)");
    EXPECT_LONG(judged.timeline[5].own_pages, 16385);
    EXPECT_LONG(judged.timeline[5].total_pages, 16385);
    EXPECT_LONG(judged.timeline[5].rss_kib, BASE_RSS + 65540);
    set_up_good_observations("2.1");
    EXPECT_STR(judge_failures(), "");
    EXPECT_LONG(judged.ntimeline, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(passes_a_correct_run_of_2_3_on_every_check, teardown),
        cmocka_unit_test_teardown(passes_a_correct_run_of_2_1_and_2_2, teardown),
        cmocka_unit_test_teardown(fails_lazy_when_a_page_is_resident_at_pause_1, teardown),
        cmocka_unit_test_teardown(judges_lazy_by_content_where_a_read_allocates, teardown),
        cmocka_unit_test_teardown(fails_resident_when_a_page_was_never_written, teardown),
        cmocka_unit_test_teardown(judges_lazy_at_the_one_pause_and_names_pauses_for_the_rest, teardown),
        cmocka_unit_test_teardown(tells_a_pause_that_ate_every_enter_from_two_pauses, teardown),
        cmocka_unit_test_teardown(ignores_extra_pauses_before_the_mapping, teardown),
        cmocka_unit_test_teardown(fails_a_pause_that_goes_on_only_after_two_enters, teardown),
        cmocka_unit_test_teardown(fails_region_when_maps_does_not_cover_the_mapping, teardown),
        cmocka_unit_test_teardown(fails_region_when_the_printed_address_is_elsewhere, teardown),
        cmocka_unit_test_teardown(fails_address_on_the_address_of_the_pointer, teardown),
        cmocka_unit_test_teardown(judges_munmap_by_the_pages_it_removed, teardown),
        cmocka_unit_test_teardown(fails_munmap_that_removes_a_neighbour, teardown),
        cmocka_unit_test_teardown(lets_the_program_unmap_a_second_mapping_of_its_own, teardown),
        cmocka_unit_test_teardown(takes_the_mapping_the_program_names_not_a_scratch_buffer_of_its_size, teardown),
        cmocka_unit_test_teardown(fails_munmap_that_the_program_died_in_for_what_it_removed, teardown),
        cmocka_unit_test_teardown(fails_munmap_that_is_missing_or_partial, teardown),
        cmocka_unit_test_teardown(says_the_run_was_stopped_when_it_never_reached_munmap, teardown),
        cmocka_unit_test_teardown(fails_honest_on_numbers_that_do_not_move_with_the_ballast, teardown),
        cmocka_unit_test_teardown(fails_honest_on_a_table_after_munmap_that_still_counts_the_mapping, teardown),
        cmocka_unit_test_teardown(fails_honest_on_another_process_s_pid_and_names_it, teardown),
        cmocka_unit_test_teardown(judges_numbers_without_a_pid_column_or_from_status_lines, teardown),
        cmocka_unit_test_teardown(allows_honest_numbers_stdio_s_buffers_apart, teardown),
        cmocka_unit_test_teardown(fails_rss_order_when_pages_were_touched_before_the_table, teardown),
        cmocka_unit_test_teardown(fails_vsz_grows_when_the_table_ignores_the_mapping, teardown),
        cmocka_unit_test_teardown(accepts_a_size_rounded_up_and_fails_one_ignored_alone, teardown),
        cmocka_unit_test_teardown(judges_the_pauses_of_the_runs_that_made_their_mapping, teardown),
        cmocka_unit_test_teardown(fails_size_arg_when_a_bad_argument_is_mapped, teardown),
        cmocka_unit_test_teardown(fails_mmap_failure_on_a_crash_or_a_silent_exit, teardown),
        cmocka_unit_test_teardown(gives_no_mmap_point_to_a_program_that_maps_nothing, teardown),
        cmocka_unit_test_teardown(fails_runs_on_a_timeout_and_on_eof, teardown),
        cmocka_unit_test_teardown(fails_stages_naming_the_missing_one, teardown),
        cmocka_unit_test_teardown(reads_valgrind_s_summary_with_thousands_separators, teardown),
        cmocka_unit_test_teardown(fails_maps_page_on_other_arguments, teardown),
        cmocka_unit_test_teardown(fails_uses_memory_when_the_page_never_held_the_message, teardown),
        cmocka_unit_test_teardown(finds_the_message_anywhere_in_the_page_even_never_unmapped, teardown),
        cmocka_unit_test_teardown(draws_the_timeline_of_the_large_run, teardown),
    };

    return cmocka_run_group_tests_name("judge", tests, NULL, NULL);
}
