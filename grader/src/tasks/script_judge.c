/* script_judge.c - the checks of task 2.5 (analyse.sh), judged from its
 * recorded runs only: what was expected, what was observed, what to try. */
#define _GNU_SOURCE
#include "script_judge.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "../output.h"
#include "../text.h"
#include "tolerances.h"

#define MAX_LISTED 10

const char *const script_usage_names[SCRIPT_USAGE_CASES] = {"no argument", "two arguments", "the PID abc"};

/* A refusal: a message on stderr and a non-zero exit, in time. */
static bool refused(const struct run_result *r)
{
    return r->started && r->exited && r->exit_code != 0 && r->err_len > 0;
}

/* A run the grader could not start says nothing of the script: c is not
 * run, saying why. */
static bool grader_ran(const struct run_result *r, const char *what, struct check_result *c)
{
    if (!r->started)
        check_not_run(c, "The grader could not run %s (%s): this check was not run.", what, r->error);
    return r->started;
}

static void judge_script_shellcheck(const struct script_observations *o, struct check_result *c)
{
    cJSON *root, *comments, *item;
    int findings;
    size_t listed = 0;

    if (!o->shellcheck_ran) {
        check_not_run(c, "shellcheck is not installed here: this check was not run (apt-get install shellcheck).");
        return;
    }
    if (!grader_ran(&o->shellcheck, "shellcheck", c))
        return;
    root = o->shellcheck.out ? cJSON_Parse(o->shellcheck.out) : NULL;
    comments = cJSON_GetObjectItemCaseSensitive(root, "comments");
    if (!cJSON_IsArray(comments)) {
        check_fail(c, "Expected: shellcheck reads the script.\nObserved: it could not: %.300s", o->shellcheck.err);
        cJSON_Delete(root);
        return;
    }
    findings = cJSON_GetArraySize(comments);
    cJSON_AddStringToObject(check_observed(c), "shellcheck_version", o->shellcheck_version);
    cJSON_AddNumberToObject(check_observed(c), "findings", findings);
    if (findings == 0) {
        check_pass(c, "shellcheck %s: no findings.", o->shellcheck_version);
        cJSON_Delete(root);
        return;
    }
    check_fail(c, "Expected: no shellcheck findings (default severity, style).\nObserved: %d finding(s), shellcheck %s:",
               findings, o->shellcheck_version);
    cJSON_ArrayForEach(item, comments) {
        const cJSON *line = cJSON_GetObjectItemCaseSensitive(item, "line"),
                    *code = cJSON_GetObjectItemCaseSensitive(item, "code"),
                    *level = cJSON_GetObjectItemCaseSensitive(item, "level"),
                    *message = cJSON_GetObjectItemCaseSensitive(item, "message");

        if (listed++ == MAX_LISTED) {
            check_note(c, "  ... and %d more", findings - MAX_LISTED);
            break;
        }
        check_note(c, "  line %d: SC%d (%s): %s", cJSON_IsNumber(line) ? line->valueint : 0,
                   cJSON_IsNumber(code) ? code->valueint : 0, cJSON_IsString(level) ? level->valuestring : "?",
                   cJSON_IsString(message) ? message->valuestring : "");
    }
    check_note(c, "Try: shellcheck %s, and look each code up at https://www.shellcheck.net/wiki/", o->script);
    cJSON_Delete(root);
}

static void judge_script_usage(const struct script_observations *o, struct check_result *c)
{
    char why[256];

    for (int i = 0; i < SCRIPT_USAGE_CASES; i++) {
        const struct run_result *r = &o->usage[i];

        if (!grader_ran(r, "the script", c))
            return;
        if (refused(r))
            continue;
        session_describe_end(r, why, sizeof why);
        check_fail(c, "Expected: with %s, a usage message on stderr and a non-zero exit.\nObserved: it %s; stderr: "
                      "\"%.200s\".\nReproduce: bash %s %s; echo \"exit status $?\"",
                   script_usage_names[i], why, r->err ? r->err : "", o->script,
                   /* two live PIDs of the student's own: their shell's */
                   o->usage_args[i][1][0] ? "$$ $$" : o->usage_args[i][0]);
        return;
    }
    check_pass(c, "Refused no argument, two arguments and a PID that is not a number, each with a message on stderr.");
}

static void judge_script_bad_pid(const struct script_observations *o, struct check_result *c)
{
    char why[256], err[300];

    if (!grader_ran(&o->bad, "the script", c) || (o->unreadable_pid && !grader_ran(&o->unreadable, "the script", c)))
        return;
    if (refused(&o->bad) && (!o->unreadable_pid || refused(&o->unreadable))) {
        check_pass(c, "Refused PID %ld (above pid_max) with exit status %d and: \"%s\"%s", o->bad_pid,
                   o->bad.exit_code, text_quote(o->bad.err, 200, err, sizeof err),
                   o->unreadable_pid ? "; and a process whose maps it could not read, as well"
                                     : " (a process it cannot read was not tried: it runs as the grader's user here)");
        return;
    }
    if (refused(&o->bad)) {
        session_describe_end(&o->unreadable, why, sizeof why);
        check_fail(c, "Expected: for PID %ld, a process of root's whose files the script may not read (it runs as "
                      "nobody: /proc/%ld/maps gives \"Permission denied\"), a message on stderr and a non-zero exit.\n"
                      "Observed: it %s; stderr: \"%s\".\n"
                      "Try: check that each read works: if ! maps=$(cat \"/proc/$1/maps\"); then ...; exit 1; fi\n"
                      "Reproduce: sudo -u nobody bash %s 1; echo \"exit status $?\"",
                   o->unreadable_pid, o->unreadable_pid, why, text_quote(o->unreadable.err, 200, err, sizeof err),
                   o->script);
        return;
    }
    session_describe_end(&o->bad, why, sizeof why);
    check_fail(c, "Expected: for PID %ld, which no process can have (it is above /proc/sys/kernel/pid_max), a message "
                  "on stderr and a non-zero exit.\nObserved: it %s; stderr: \"%s\".\n"
                  "Try: check that /proc/$1 exists before reading it.\nReproduce: bash %s %ld; echo \"exit status $?\"",
               o->bad_pid, why, text_quote(o->bad.err, 200, err, sizeof err), o->script, o->bad_pid);
}

static bool maps_has_line(const char *maps, const char *wanted)
{
    char line[512];
    size_t at = 0, len = strlen(maps);

    while (text_next_line(maps, len, &at, line, sizeof line)) {
        /* a maps line's padding is not part of what it says */
        text_trim_end(line);
        if (strcmp(line, wanted) == 0)
            return true;
    }
    return false;
}

void judge_script_live(const struct script_observations *o, struct check_result *c)
{
    char why[256], err[400], line[512], first_foreign[160] = "";
    struct ps_row row;
    size_t maps_lines = 0, foreign = 0;
    bool covered = false;
    cJSON *obs = check_observed(c);

    if (!o->target_ok) {
        check_not_run(c, "The grader's own target process could not be started (%s): this check was not run.",
                      o->target_error);
        return;
    }
    if (!grader_ran(&o->live, "the script", c))
        return;
    cJSON_AddNumberToObject(obs, "target_pid", (double)o->target_pid);
    if (!o->live.started || !o->live.exited || o->live.exit_code != 0) {
        session_describe_end(&o->live, why, sizeof why);
        check_fail(c, "Expected: `bash %s PID` on a live process exits 0.\nObserved: it %s; stderr: \"%s\".",
                   o->script, why, text_quote(o->live.err, 300, err, sizeof err));
        return;
    }
    if (!o->status_ok || !o->maps) {
        check_not_run(c, "The target's /proc files could not be read after the script ran: this check was not run.");
        return;
    }
    cJSON_AddNumberToObject(obs, "status_vsz_kib", (double)o->status.vm_size_kib);
    cJSON_AddNumberToObject(obs, "status_rss_kib", (double)o->status.vm_rss_kib);
    if (!output_find_ps_row(o->live.out, o->live.out_len, o->target_pid, &row)) {
        check_fail(c, "Expected: a ps table (a header with PID, VSZ and RSS, then a row) for PID %ld.\nObserved: no row "
                      "for that PID in the output:\n%.1200s\nTry: ps -o pid,vsz,rss,comm -p \"$1\"",
                   o->target_pid, o->live.out);
        return;
    }
    cJSON_AddNumberToObject(obs, "printed_vsz_kib", (double)row.vsz_kib);
    cJSON_AddNumberToObject(obs, "printed_rss_kib", (double)row.rss_kib);
    if (labs(row.vsz_kib - o->status.vm_size_kib) > HONEST_TOLERANCE_KIB ||
        labs(row.rss_kib - o->status.vm_rss_kib) > HONEST_TOLERANCE_KIB) {
        check_fail(c, "Expected: the row's VSZ and RSS within %d KiB of /proc/%ld/status.\nObserved: printed VSZ %ld RSS "
                      "%ld, status VmSize %ld VmRSS %ld.",
                   HONEST_TOLERANCE_KIB, o->target_pid, row.vsz_kib, row.rss_kib, o->status.vm_size_kib,
                   o->status.vm_rss_kib);
        return;
    }
    for (size_t at = 0; text_next_line(o->live.out, o->live.out_len, &at, line, sizeof line);) {
        struct maps_region region;

        text_trim_end(line);
        if (!maps_parse_line(line, &region))
            continue;
        maps_lines++;
        if (!maps_has_line(o->maps, line)) {
            if (foreign++ == 0)
                snprintf(first_foreign, sizeof first_foreign, " (first: \"%.120s\")", line);
            continue;
        }
        covered |= region.start <= o->target_addr && o->target_addr + o->target_len <= region.end &&
                   maps_region_is_anon_private_rw(&region);
    }
    cJSON_AddNumberToObject(obs, "maps_lines", (double)maps_lines);
    if (maps_lines == 0 || foreign > 0 || !covered) {
        check_fail(c, "Expected: lines of /proc/%ld/maps, verbatim, among them the rw-p line that covers the target's "
                      "%" PRIu64 "-byte anonymous mapping at 0x%" PRIx64 ".\nObserved: %zu maps line(s), %zu not "
                      "verbatim%s; %s.\nTry: cat \"/proc/$1/maps\" (or grep it: keep each line whole).",
                   o->target_pid, o->target_len, o->target_addr, maps_lines, foreign, first_foreign,
                   covered ? "the mapping's line among them" : "the mapping's line not among them");
    } else {
        check_pass(c, "On PID %ld: its ps row (VSZ %ld, RSS %ld KiB, as /proc said) and %zu maps lines, verbatim, "
                      "including its mapping's.",
                   o->target_pid, row.vsz_kib, row.rss_kib, maps_lines);
    }
}

static void judge_script_writes_nothing(const struct script_observations *o, struct check_result *c)
{
    if (o->nwritten + o->ntmp_written == 0) {
        check_pass(c, "It wrote no file, in its folder%s.", o->tmp_watched ? " nor in /tmp" : " (/tmp was not watched: "
                                                                                            "no sandbox here)");
        return;
    }
    check_fail(c, "Expected: no file written (the contract: it only prints).\nObserved:");
    for (size_t i = 0; i < o->nwritten; i++)
        check_note(c, "  %s, in the folder it ran in", o->written[i]);
    for (size_t i = 0; i < o->ntmp_written; i++)
        check_note(c, "  /tmp/%s", o->tmp_written[i]);
    check_note(c, "Try: print what you read (cat, grep) instead of saving it; the files were removed.");
    check_note(c, "Reproduce: cd \"$(mktemp -d)\" && bash %s $$ && ls -A . && ls -lt /tmp | head", o->script);
}

void judge_script_task(const struct script_observations *o, struct task_result *t)
{
    judge_script_shellcheck(o, result_add(t, "shellcheck"));
    judge_script_usage(o, result_add(t, "usage"));
    judge_script_bad_pid(o, result_add(t, "bad_pid"));
    judge_script_live(o, result_add(t, "live"));
    judge_script_writes_nothing(o, result_add(t, "writes_nothing"));
}
