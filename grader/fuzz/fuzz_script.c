/* fuzz_script.c - libFuzzer harness: what analyse.sh printed, judged as
 * the live check judges it, and shellcheck's JSON. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tasks/script_judge.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct script_observations o = {0};
    struct task_result t = {.task = "2.5"};
    char *text = malloc(size + 1);

    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    o.script = "analyse.sh";
    o.target_ok = o.status_ok = true;
    o.target_pid = 4242;
    o.target_addr = 0x7f0000001000;
    o.target_len = 4096;
    o.status = (struct proc_status){2500, 1500, 4242};
    o.maps = "7f0000000000-7f0000010000 rw-p 00000000 00:00 0\n";
    o.live = (struct run_result){.started = true, .exited = true, .out = text, .out_len = size, .err = ""};
    o.shellcheck_ran = true;
    o.shellcheck = (struct run_result){.started = true, .exited = true, .out = text, .out_len = size, .err = ""};
    judge_script_task(&o, &t);
    task_result_free(&t);
    free(text);
    return 0;
}
