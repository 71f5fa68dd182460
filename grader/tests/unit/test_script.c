/* test_script.c - the checks of task 2.5 on hand-made runs of a script. */
#include <stdlib.h>

#include "tasks/script_judge.h"
#include "tasks/tolerances.h"
#include "unit.h"

#define TARGET 5150

static struct script_observations obs;
static struct task_result task;

static const char maps[] = "55d0a3f7f000-55d0a3f80000 r--p 00000000 fe:00 53 /build/lib/mmtarget\n"
                           "7f5141bbf000-7f5141cc3000 rw-p 00000000 00:00 0 \n"
                           "7ffc1000000-7ffc1021000 rw-p 00000000 00:00 0                          [stack]\n";

static void set_up_good_run(void)
{
    memset(&obs, 0, sizeof obs);
    obs.script = "analyse.sh";
    obs.target_ok = true;
    obs.target_pid = TARGET;
    obs.target_addr = 0x7f5141bc0000;
    obs.target_len = (1 << 20) + 4096;
    obs.status_ok = true;
    obs.status = (struct proc_status){3504, 2520, TARGET};
    obs.maps = (char *)maps;
    obs.live = (struct run_result){.started = true, .exited = true,
                                   .out = "== ps ==\r\n  PID    VSZ   RSS COMMAND\r\n 5150   3504  2520 mmtarget\r\n"
                                          "55d0a3f7f000-55d0a3f80000 r--p 00000000 fe:00 53 /build/lib/mmtarget\r\n"
                                          "7f5141bbf000-7f5141cc3000 rw-p 00000000 00:00 0\r\n"};
    obs.live.out_len = strlen(obs.live.out);
}

/* Judges obs through the grader's own entry point; returns check id. */
static const struct check_result *judge(const char *id)
{
    task_result_free(&task);
    memset(&task, 0, sizeof task);
    task.task = "2.5";
    judge_script_task(&obs, &task);
    for (size_t i = 0; i < task.nchecks; i++)
        if (strcmp(task.checks[i].id, id) == 0)
            return &task.checks[i];
    fail_msg("judge_script_task gave no %s check", id);
    return NULL;
}

static const struct check_result *judge_live(void)
{
    return judge("live");
}

static int teardown(void **state)
{
    (void)state;
    task_result_free(&task);
    memset(&task, 0, sizeof task);
    return 0;
}

static void passes_a_ps_row_and_verbatim_maps_lines_with_the_mapping_s(void **state)
{
    (void)state;
    set_up_good_run();
    EXPECT_LONG(judge_live()->status, CHECK_PASSED);
}

static void fails_a_maps_line_that_is_not_the_process_s(void **state)
{
    const struct check_result *c;

    (void)state;
    set_up_good_run();
    obs.live.out = " PID VSZ RSS\n 5150 3504 2520\n7f5141bbf000-7f5141cc3000 rw-p 00000000 00:00 0 [heap]\n";
    obs.live.out_len = strlen(obs.live.out);
    c = judge_live();
    EXPECT_LONG(c->status, CHECK_FAILED);
    EXPECT_CONTAINS(c->feedback, "1 maps line(s), 1 not verbatim (first: \"7f5141bbf000-7f5141cc3000 rw-p");
}

static void fails_when_the_mapping_s_line_is_left_out(void **state)
{
    const struct check_result *c;

    (void)state;
    set_up_good_run();
    obs.live.out = " PID VSZ RSS\n 5150 3504 2520\n55d0a3f7f000-55d0a3f80000 r--p 00000000 fe:00 53 /build/lib/mmtarget\n";
    obs.live.out_len = strlen(obs.live.out);
    c = judge_live();
    EXPECT_CONTAINS(c->feedback, "the mapping's line not among them");
}

static void fails_a_ps_row_of_another_process_or_other_numbers(void **state)
{
    const struct check_result *c;

    (void)state;
    set_up_good_run();
    obs.status.vm_rss_kib = 2520 + HONEST_TOLERANCE_KIB + 1;
    c = judge_live();
    EXPECT_CONTAINS(c->feedback, "Observed: printed VSZ 3504 RSS 2520, status VmSize 3504 VmRSS 3033");
    set_up_good_run();
    obs.target_pid = TARGET + 1;
    c = judge_live();
    EXPECT_CONTAINS(c->feedback, "no row for that PID in the output");
}

static void is_not_run_when_the_grader_s_own_target_failed(void **state)
{
    (void)state;
    set_up_good_run();
    obs.target_ok = false;
    strcpy(obs.target_error, "mmtarget not found");
    EXPECT_LONG(judge_live()->status, CHECK_NOT_RUN);
}

static void leaves_checks_not_run_when_the_grader_could_not_start_the_script(void **state)
{
    const struct check_result *c;

    (void)state;
    set_up_good_run();
    /* as when mminit could not be run: exit 127 and a message, which a
     * refusal looks like, yet says nothing of the script */
    obs.usage[0] = (struct run_result){.exited = true, .exit_code = 127, .err = "mmgrade: cannot run mminit", .err_len = 26};
    strcpy(obs.usage[0].error, "the grader's mminit did not start");
    c = judge("usage");
    EXPECT_LONG(c->status, CHECK_NOT_RUN);
    EXPECT_CONTAINS(c->feedback, "The grader could not run the script (the grader's mminit did not start)");
    obs.bad = obs.usage[0];
    EXPECT_LONG(judge("bad_pid")->status, CHECK_NOT_RUN);
}

static void lists_shellcheck_findings_from_its_json(void **state)
{
    const struct check_result *c;

    (void)state;
    memset(&obs, 0, sizeof obs);
    obs.script = "analyse.sh";
    obs.shellcheck_ran = true;
    obs.shellcheck.started = true;
    strcpy(obs.shellcheck_version, "0.9.0");
    obs.shellcheck.out = "{\"comments\":[{\"file\":\"analyse.sh\",\"line\":7,\"column\":4,\"level\":\"warning\","
                         "\"code\":2034,\"message\":\"x appears unused.\"}]}\r\n";
    c = judge("shellcheck");
    EXPECT_LONG(c->status, CHECK_FAILED);
    EXPECT_CONTAINS(c->feedback, "line 7: SC2034 (warning): x appears unused.");
    obs.shellcheck.out = "{\"comments\":[]}";
    EXPECT_LONG(judge("shellcheck")->status, CHECK_PASSED);
    obs.shellcheck.out = "not json";
    obs.shellcheck.err = "shellcheck: cannot parse";
    EXPECT_CONTAINS(judge("shellcheck")->feedback, "it could not: shellcheck: cannot parse");
    obs.shellcheck_ran = false;
    EXPECT_LONG(judge("shellcheck")->status, CHECK_NOT_RUN);
}

/* A refusal: usage on stderr, a non-zero status. */
static struct run_result refusal(void)
{
    return (struct run_result){.started = true, .exited = true, .exit_code = 2, .out = "",
                               .err = "usage: analyse.sh PID\n", .err_len = 22};
}

static void passes_usage_only_when_every_wrong_call_is_refused(void **state)
{
    const struct check_result *c;

    (void)state;
    set_up_good_run();
    for (int i = 0; i < SCRIPT_USAGE_CASES; i++)
        obs.usage[i] = refusal();
    strcpy(obs.usage_args[1][0], "5150");
    strcpy(obs.usage_args[1][1], "5150");
    strcpy(obs.usage_args[2][0], "abc");
    EXPECT_LONG(judge("usage")->status, CHECK_PASSED);
    /* the second argument ignored: the script ran on the first */
    obs.usage[1] = obs.live;
    c = judge("usage");
    EXPECT_LONG(c->status, CHECK_FAILED);
    EXPECT_CONTAINS(c->feedback, "Expected: with two arguments, a usage message on stderr and a non-zero exit.");
    EXPECT_CONTAINS(c->feedback, "Reproduce: bash analyse.sh $$ $$; echo \"exit status $?\"");
    /* a message on stdout, status 1: stderr is where usage belongs */
    obs.usage[1] = refusal();
    obs.usage[2] = (struct run_result){.started = true, .exited = true, .exit_code = 1, .out = "usage", .err = ""};
    c = judge("usage");
    EXPECT_CONTAINS(c->feedback, "with the PID abc");
    EXPECT_CONTAINS(c->feedback, "Reproduce: bash analyse.sh abc;");
}

static void passes_bad_pid_only_on_a_refusal_on_stderr(void **state)
{
    const struct check_result *c;

    (void)state;
    set_up_good_run();
    obs.bad_pid = 4194305;
    obs.bad = refusal();
    EXPECT_LONG(judge("bad_pid")->status, CHECK_PASSED);
    obs.bad = (struct run_result){.started = true, .exited = true, .exit_code = 0, .out = "no such process\n",
                                  .err = ""};
    c = judge("bad_pid");
    EXPECT_LONG(c->status, CHECK_FAILED);
    EXPECT_CONTAINS(c->feedback, "for PID 4194305, which no process can have");
    EXPECT_CONTAINS(c->feedback, "Observed: it exited with status 0");
}

static void fails_bad_pid_when_a_process_it_cannot_read_is_reported_as_fine(void **state)
{
    const struct check_result *c;

    (void)state;
    set_up_good_run();
    obs.bad_pid = 4194305;
    obs.bad = refusal();
    obs.unreadable_pid = 812;
    obs.unreadable = refusal();
    c = judge("bad_pid");
    EXPECT_LONG(c->status, CHECK_PASSED);
    EXPECT_CONTAINS(c->feedback, "and a process whose maps it could not read, as well");
    /* cat failed, the script went on: exit 0 */
    obs.unreadable = (struct run_result){.started = true, .exited = true, .exit_code = 0,
                                         .err = "cat: /proc/812/maps: Permission denied\n", .err_len = 40};
    c = judge("bad_pid");
    EXPECT_LONG(c->status, CHECK_FAILED);
    EXPECT_CONTAINS(c->feedback, "for PID 812, a process of root's whose files the script may not read");
    EXPECT_CONTAINS(c->feedback, "stderr: \"cat: /proc/812/maps: Permission denied\"");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(passes_a_ps_row_and_verbatim_maps_lines_with_the_mapping_s, teardown),
        cmocka_unit_test_teardown(fails_a_maps_line_that_is_not_the_process_s, teardown),
        cmocka_unit_test_teardown(fails_when_the_mapping_s_line_is_left_out, teardown),
        cmocka_unit_test_teardown(fails_a_ps_row_of_another_process_or_other_numbers, teardown),
        cmocka_unit_test_teardown(is_not_run_when_the_grader_s_own_target_failed, teardown),
        cmocka_unit_test_teardown(leaves_checks_not_run_when_the_grader_could_not_start_the_script, teardown),
        cmocka_unit_test_teardown(lists_shellcheck_findings_from_its_json, teardown),
        cmocka_unit_test_teardown(passes_usage_only_when_every_wrong_call_is_refused, teardown),
        cmocka_unit_test_teardown(passes_bad_pid_only_on_a_refusal_on_stderr, teardown),
        cmocka_unit_test_teardown(fails_bad_pid_when_a_process_it_cannot_read_is_reported_as_fine, teardown),
    };

    return cmocka_run_group_tests_name("script", tests, NULL, NULL);
}
