/* test_judge.c - every check of tasks 2.1-2.3 on hand-made observations:
 * a correct run passes everything, and each mistake fails exactly the
 * checks it should, saying what was expected and what was observed. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>

#include "tasks/program_judge.h"
#include "unit.h"

#define PAGE 4096u
#define PID 4242
#define BASE_VSZ 2496
#define BASE_RSS 1572

/* The storage behind one hand-made run. */
struct fake_run {
    struct shim_call calls[6];
    struct pause_snapshot pauses[4];
    struct residency res[4];
    struct maps_region regions[4][2];
};

static struct fake_run fakes[3];
static struct observations obs;
static struct task_result judged;

static uint64_t pages_of(uint64_t size)
{
    return (size + PAGE - 1) / PAGE;
}

static void add_pause(struct run_result *r, struct fake_run *f, size_t out_offset, size_t calls_before, uint64_t addr,
                      uint64_t size, long vsz, long rss, size_t own)
{
    size_t i = r->npauses++;
    struct pause_snapshot *p = &f->pauses[i];

    memset(p, 0, sizeof *p);
    p->out_offset = out_offset;
    p->calls_before = calls_before;
    p->status_ok = p->maps_ok = true;
    p->status = (struct proc_status){vsz, rss, PID};
    f->regions[i][0] = (struct maps_region){.start = 0x1000, .end = 0x2000, .perms = "r--p", .inode = 7};
    f->regions[i][1] = (struct maps_region){.start = addr, .end = addr + pages_of(size) * PAGE, .perms = "rw-p"};
    p->maps = (struct maps){f->regions[i], 2};
    f->res[i] = (struct residency){.start = addr, .end = addr + pages_of(size) * PAGE, .own = own, .total = pages_of(size)};
    p->residency = &f->res[i];
    p->nresidency = 1;
}

/* A correct run of the reference with SIZE size and extra KiB of ballast. */
static void fake_good_run(struct run_result *r, struct fake_run *f, struct program_output *out, uint64_t size,
                          uint64_t addr, long extra)
{
    long kib = (long)(pages_of(size) * PAGE / 1024), vsz = BASE_VSZ + extra, rss = BASE_RSS + extra;
    const long vszs[] = {vsz, vsz + kib, vsz + kib, vsz}, rsss[] = {rss, rss, rss + kib, rss + kib};

    memset(r, 0, sizeof *r);
    memset(f, 0, sizeof *f);
    r->started = r->exited = true;
    r->pid = r->self_pid = PID;
    r->out = "";
    r->err = "";
    f->calls[0] = (struct shim_call){.kind = SHIM_MMAP, .pid = PID, .len = size, .prot = PROT_READ | PROT_WRITE,
                                     .flags = MAP_PRIVATE | MAP_ANONYMOUS, .fd = -1, .ret = addr, .ok = true,
                                     .returned = true};
    f->calls[1] = (struct shim_call){.kind = SHIM_MUNMAP, .pid = PID, .addr = addr, .len = size, .ok = true,
                                     .returned = true, .nmapped = 1,
                                     .content = (unsigned char *)"AAAA", .content_len = 4};
    f->calls[1].mapped[0] = (struct shim_range){addr, addr + pages_of(size) * PAGE};
    r->calls = f->calls;
    r->ncalls = 2;
    r->pauses = f->pauses;
    add_pause(r, f, 180, 1, addr, size, vszs[1], rsss[1], 0);
    add_pause(r, f, 280, 1, addr, size, vszs[2], rsss[2], pages_of(size));

    memset(out, 0, sizeof *out);
    out->in_order = true;
    for (int s = 0; s < STAGE_COUNT; s++) {
        out->stage_found[s] = true;
        out->table[s] = (struct ps_row){true, true, PID, vszs[s], rsss[s], (size_t)(s * 100 + 50)};
    }
    out->mapped_found = true;
    out->mapped_bytes = size;
    out->mapped_addr = addr;
}

static void set_up_good_observations(const char *task)
{
    memset(&obs, 0, sizeof obs);
    obs.task = catalog_task_id(catalog_task(task));
    obs.program = catalog_task(task)->program;
    obs.page = PAGE;
    obs.small_size = 9240;
    obs.large_size = (64u << 20) + 77;
    fake_good_run(&obs.runs[SCENARIO_DEFAULT], &fakes[0], &obs.out[SCENARIO_DEFAULT], 4096, 0x7f0000000000, 0);
    fake_good_run(&obs.runs[SCENARIO_SMALL], &fakes[1], &obs.out[SCENARIO_SMALL], obs.small_size, 0x7f1000000000, BALLAST_KIB);
    fake_good_run(&obs.runs[SCENARIO_LARGE], &fakes[2], &obs.out[SCENARIO_LARGE], obs.large_size, 0x7f2000000000, 0);
    obs.runs[SCENARIO_EOF] = obs.runs[SCENARIO_DEFAULT];
    obs.runs[SCENARIO_FAIL] = (struct run_result){.started = true, .exited = true, .exit_code = 1, .pid = PID, .out = "",
                                   .err = "mmap: Cannot allocate memory\n", .err_len = 29};
    for (size_t i = 0; i <= SCENARIO_BAD_LAST - SCENARIO_BAD_FIRST; i++)
        obs.runs[SCENARIO_BAD_FIRST + i] = (struct run_result){.started = true, .exited = true, .exit_code = 2, .pid = PID, .out = "",
                                         .err = "usage: mmap_demo [SIZE]\n", .err_len = 24};
    obs.ran[SCENARIO_VALGRIND] = true;
    obs.vg_log = "==1== ERROR SUMMARY: 0 errors from 0 contexts (suppressed: 0 from 0)\n"
                 "==1== All heap blocks were freed -- no leaks are possible\n";
    if (strcmp(task, "2.1") == 0) {
        strcpy(obs.out[SCENARIO_DEFAULT].read_back, "AAAA");
        obs.out[SCENARIO_DEFAULT].read_back_found = true;
    }
}

static void free_judged(void)
{
    task_result_free(&judged);
    memset(&judged, 0, sizeof judged);
}

/* Judges obs through the grader's own entry point; returns the failed
 * and not-run check ids, in rubric order, separated by spaces. */
static const char *judge_failures(void)
{
    static char failed[256];

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
    fakes[1].res[0].own = 1;
    EXPECT_STR(judge_failures(), "lazy");
    EXPECT_CONTAINS(feedback_of("lazy"), "Observed: 1 of 3 pages resident (SIZE 9240)");
    EXPECT_CONTAINS(feedback_of("lazy"), "Reproduce: ./mmap_demo 9240, and at the first pause: grep -A 4 '^7f1000000000-'");
    EXPECT_CONTAINS(feedback_of("lazy"), "Try: do not write to the mapping before the first pause (reading it is fine).");
    /* MAP_POPULATE faults the pages in without a write: say so */
    set_up_good_observations("2.3");
    fakes[1].res[0].own = 3;
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
    fakes[2].res[0].own = fakes[2].res[0].own_zero = 16385;
    obs.out[SCENARIO_LARGE].table[STAGE_AFTER_MMAP].rss_kib += 65540;
    fakes[2].pauses[0].status.vm_rss_kib += 65540;
    EXPECT_STR(judge_failures(), "");
    EXPECT_CONTAINS(feedback_of("lazy"), "pages holding only zeros count as read");
    /* where a read maps the shared zero page, the same pages were written */
    obs.read_allocates = false;
    EXPECT_STR(judge_failures(), "rss_order lazy");
    EXPECT_CONTAINS(feedback_of("lazy"), "Observed: 16385 of 16385 pages resident");
    /* a page holding data was written, whatever the kernel */
    obs.read_allocates = true;
    fakes[2].res[0].own_zero -= 1;
    EXPECT_STR(judge_failures(), "lazy");
    EXPECT_CONTAINS(feedback_of("lazy"), "Observed: 16385 of 16385 pages resident (SIZE 67108941), 1 of them holding data");
    /* MAP_POPULATE faulted every page in at mmap: zeros, but not read */
    fakes[2].res[0].own_zero = 16385;
    fakes[2].calls[0].flags |= MAP_POPULATE;
    EXPECT_STR(judge_failures(), "rss_order lazy");
    EXPECT_CONTAINS(feedback_of("lazy"), "Try: drop MAP_POPULATE and MAP_LOCKED");
}

static void fails_resident_when_a_page_was_never_written(void **state)
{
    (void)state;
    set_up_good_observations("2.3");
    fakes[2].res[1].own -= 1;
    EXPECT_STR(judge_failures(), "resident");
    EXPECT_CONTAINS(feedback_of("resident"), "16384 of 16385 pages");
}

static void fails_the_pause_family_with_one_pause_and_says_why(void **state)
{
    (void)state;
    set_up_good_observations("2.3");
    obs.runs[SCENARIO_DEFAULT].npauses = 1;
    EXPECT_STR(judge_failures(), "pauses lazy resident region");
    EXPECT_CONTAINS(feedback_of("pauses"), "Observed: 1 such pause(s) with SIZE 4096");
    EXPECT_CONTAINS(feedback_of("lazy"), "Precondition failed: no pause while the mapping exists");
}

static void ignores_extra_pauses_before_the_mapping(void **state)
{
    (void)state;
    set_up_good_observations("2.3");
    /* a pause before mmap: the first one while the mapping exists is pause 1 */
    fakes[0].pauses[2] = fakes[0].pauses[1];
    fakes[0].pauses[1] = fakes[0].pauses[0];
    fakes[0].res[2] = fakes[0].res[1];
    fakes[0].pauses[2].residency = &fakes[0].res[2];
    fakes[0].pauses[0] = (struct pause_snapshot){.out_offset = 10, .calls_before = 0, .status_ok = true,
                                                 .status = {BASE_VSZ, BASE_RSS, PID}};
    obs.runs[SCENARIO_DEFAULT].npauses = 3;
    EXPECT_STR(judge_failures(), "");
}

static void fails_region_when_maps_does_not_cover_the_mapping(void **state)
{
    (void)state;
    set_up_good_observations("2.3");
    fakes[0].regions[1][1].perms[1] = '-'; /* mprotect'ed read-only before pause 2 */
    EXPECT_STR(judge_failures(), "region");
    EXPECT_CONTAINS(feedback_of("region"), "at pause 2");
}

static void fails_region_when_the_printed_address_is_elsewhere(void **state)
{
    (void)state;
    set_up_good_observations("2.3");
    obs.out[SCENARIO_LARGE].mapped_addr = 0x1234;
    EXPECT_STR(judge_failures(), "region");
    EXPECT_CONTAINS(feedback_of("region"), "an address outside it");
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
    obs.runs[SCENARIO_LARGE].ncalls = 3;
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
    obs.runs[SCENARIO_SMALL].ncalls = 1;
    EXPECT_STR(judge_failures(), "munmap");
    EXPECT_CONTAINS(feedback_of("munmap"), "no munmap call removed it");
    set_up_good_observations("2.3");
    fakes[2].calls[1].len = 4096; /* munmap(ptr, 4096) of a 64 MiB mapping */
    EXPECT_STR(judge_failures(), "munmap");
    EXPECT_CONTAINS(feedback_of("munmap"), "only part of it was removed");
}

static void fails_honest_on_numbers_that_do_not_move_with_the_ballast(void **state)
{
    (void)state;
    set_up_good_observations("2.3");
    obs.out[SCENARIO_SMALL].table[STAGE_INITIAL].vsz_kib = BASE_VSZ;
    obs.out[SCENARIO_SMALL].table[STAGE_INITIAL].rss_kib = BASE_RSS;
    EXPECT_STR(judge_failures(), "honest");
    EXPECT_CONTAINS(feedback_of("honest"), "VSZ moved by 0 KiB, RSS by 0 KiB");
}

static void fails_honest_on_another_process_s_pid(void **state)
{
    (void)state;
    set_up_good_observations("2.3");
    obs.out[SCENARIO_DEFAULT].table[STAGE_AFTER_MUNMAP].pid = PID - 1; /* ps of the parent shell */
    EXPECT_STR(judge_failures(), "honest");
    EXPECT_CONTAINS(feedback_of("honest"), "Observed: PID 4241");
}

static void allows_honest_numbers_stdio_s_buffers_apart(void **state)
{
    (void)state;
    set_up_good_observations("2.3");
    fakes[0].pauses[0].status.vm_rss_kib += HONEST_TOLERANCE_KIB;
    EXPECT_STR(judge_failures(), "");
    fakes[0].pauses[0].status.vm_rss_kib += 1;
    EXPECT_STR(judge_failures(), "honest");
    EXPECT_CONTAINS(feedback_of("honest"), "within 512 KiB of /proc/PID/status at the pause");
}

static void fails_rss_order_when_pages_were_touched_before_the_table(void **state)
{
    (void)state;
    set_up_good_observations("2.2");
    obs.out[SCENARIO_LARGE].table[STAGE_AFTER_MMAP].rss_kib += RSS_AT_MMAP_SLACK_KIB + 1;
    EXPECT_STR(judge_failures(), "rss_order");
    set_up_good_observations("2.2");
    obs.out[SCENARIO_LARGE].table[STAGE_AFTER_WRITE].rss_kib = BASE_RSS + 1000; /* wrote one page in sixteen */
    EXPECT_STR(judge_failures(), "rss_order");
    EXPECT_CONTAINS(feedback_of("rss_order"), "90% of the size");
}

static void fails_vsz_grows_when_the_table_ignores_the_mapping(void **state)
{
    (void)state;
    set_up_good_observations("2.2");
    /* every size allows for posix_spawn's stack in one reading: under load,
     * the 64 MiB run of a correct program showed [Initial] 36 KiB high */
    obs.out[SCENARIO_SMALL].table[STAGE_INITIAL].vsz_kib += 36;
    obs.out[SCENARIO_LARGE].table[STAGE_INITIAL].vsz_kib += 36;
    EXPECT_STR(judge_failures(), "");
    obs.out[SCENARIO_SMALL].table[STAGE_AFTER_MMAP].vsz_kib = obs.out[SCENARIO_SMALL].table[STAGE_INITIAL].vsz_kib - 60;
    EXPECT_STR(judge_failures(), "vsz_grows");
    EXPECT_CONTAINS(feedback_of("vsz_grows"), "VSZ after mmap 12 KiB (the mapping) above the initial VSZ, give or take 64 KiB");
    set_up_good_observations("2.2");
    obs.out[SCENARIO_LARGE].table[STAGE_AFTER_MMAP].vsz_kib -= VSZ_NOISE_KIB + 4;
    EXPECT_STR(judge_failures(), "vsz_grows");
    EXPECT_CONTAINS(feedback_of("vsz_grows"), "with SIZE 67108941, VSZ after mmap 65540 KiB (the mapping) above the initial VSZ");
}

static void accepts_a_size_rounded_up_and_fails_one_ignored(void **state)
{
    (void)state;
    set_up_good_observations("2.3");
    fakes[1].calls[0].len = 3 * PAGE;
    EXPECT_STR(judge_failures(), "");
    fakes[1].calls[0].len = PAGE; /* mapped 4096 whatever SIZE said */
    fakes[1].calls[1].len = PAGE;
    EXPECT_TRUE(strstr(judge_failures(), "size_arg") != NULL);
    EXPECT_CONTAINS(feedback_of("size_arg"), "a mapping of another length");
}

static void fails_size_arg_when_a_bad_argument_is_mapped(void **state)
{
    (void)state;
    set_up_good_observations("2.2");
    obs.runs[SCENARIO_BAD_FIRST + 1] = obs.runs[SCENARIO_DEFAULT]; /* "12abc" read as 12 */
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

static void fails_runs_on_a_timeout_and_on_eof(void **state)
{
    (void)state;
    set_up_good_observations("2.3");
    obs.runs[SCENARIO_EOF].timed_out = true;
    obs.runs[SCENARIO_EOF].exited = false;
    obs.runs[SCENARIO_EOF].term_signal = SIGKILL;
    EXPECT_STR(judge_failures(), "runs");
    EXPECT_CONTAINS(feedback_of("runs"), "still running after the time limit");
}

static void fails_stages_naming_the_missing_one(void **state)
{
    (void)state;
    set_up_good_observations("2.2");
    obs.out[SCENARIO_DEFAULT].stage_found[STAGE_AFTER_WRITE] = false;
    EXPECT_STR(judge_failures(), "stages");
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
    EXPECT_CONTAINS(feedback_of("maps_page"), "flags 0x21");
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
    obs.runs[SCENARIO_DEFAULT].ncalls = 1;
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
        cmocka_unit_test_teardown(fails_the_pause_family_with_one_pause_and_says_why, teardown),
        cmocka_unit_test_teardown(ignores_extra_pauses_before_the_mapping, teardown),
        cmocka_unit_test_teardown(fails_region_when_maps_does_not_cover_the_mapping, teardown),
        cmocka_unit_test_teardown(fails_region_when_the_printed_address_is_elsewhere, teardown),
        cmocka_unit_test_teardown(judges_munmap_by_the_pages_it_removed, teardown),
        cmocka_unit_test_teardown(fails_munmap_that_removes_a_neighbour, teardown),
        cmocka_unit_test_teardown(fails_munmap_that_the_program_died_in_for_what_it_removed, teardown),
        cmocka_unit_test_teardown(fails_munmap_that_is_missing_or_partial, teardown),
        cmocka_unit_test_teardown(fails_honest_on_numbers_that_do_not_move_with_the_ballast, teardown),
        cmocka_unit_test_teardown(fails_honest_on_another_process_s_pid, teardown),
        cmocka_unit_test_teardown(allows_honest_numbers_stdio_s_buffers_apart, teardown),
        cmocka_unit_test_teardown(fails_rss_order_when_pages_were_touched_before_the_table, teardown),
        cmocka_unit_test_teardown(fails_vsz_grows_when_the_table_ignores_the_mapping, teardown),
        cmocka_unit_test_teardown(accepts_a_size_rounded_up_and_fails_one_ignored, teardown),
        cmocka_unit_test_teardown(fails_size_arg_when_a_bad_argument_is_mapped, teardown),
        cmocka_unit_test_teardown(fails_mmap_failure_on_a_crash_or_a_silent_exit, teardown),
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
