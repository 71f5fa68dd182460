/* fuzz_report.c - libFuzzer harness: a student's REPORT.md through the
 * Markdown reader and every report check. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mdreport.h"
#include "tasks/reports.h"
#include "templates.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct md_report tmpl23, tmpl24;
    static int ready;
    struct md_report student;
    struct task_result t = {.task = "2.3"}, u = {.task = "2.4"};

    if (!ready) {
        md_parse(template_report("2.3"), strlen(template_report("2.3")), &tmpl23);
        md_parse(template_report("2.4"), strlen(template_report("2.4")), &tmpl24);
        ready = 1;
    }
    if (md_parse((const char *)data, size, &student)) {
        struct report_part p23 = report_part_of(&student, "2.3"), p24 = report_part_of(&student, "2.4");

        judge_report_complete(&p23, &tmpl23, result_add(&t, "report_complete"));
        judge_report_consistent(&p23, result_add(&t, "report_consistent"));
        judge_report_concepts(&p24, &tmpl24, result_add(&u, "report_concepts"));
    }
    md_free(&student);
    task_result_free(&t);
    task_result_free(&u);
    return 0;
}
