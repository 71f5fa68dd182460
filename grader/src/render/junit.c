/* junit.c - the report as JUnit XML, the layout CI test reporters (GitHub,
 * GitLab, Jenkins) read: a <testsuite> per task, a <testcase> per check. */
#define _GNU_SOURCE
#include "render.h"

#include <stdarg.h>
#include <string.h>

#include <libxml/xmlwriter.h>

#include "../text.h"
#include "common.h"

static int count_status(const struct task_result *t, enum check_status s)
{
    int n = 0;

    for (size_t i = 0; i < t->nchecks; i++)
        n += t->checks[i].status == s;
    return n;
}

/* Writes attribute name, printf-formatted and cut to 511 bytes; true when
 * the writer failed. */
static bool attr(xmlTextWriterPtr w, const char *name, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static bool attr(xmlTextWriterPtr w, const char *name, const char *fmt, ...)
{
    char value[512];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(value, sizeof value, fmt, ap);
    va_end(ap);
    text_utf8_trim_cut(value); /* a cut may have split a UTF-8 sequence */
    return xmlTextWriterWriteAttribute(w, BAD_CAST name, BAD_CAST value) < 0;
}

/* <properties><property name= value=/></properties> */
static bool property(xmlTextWriterPtr w, const char *name, const char *value)
{
    bool failed = xmlTextWriterStartElement(w, BAD_CAST "properties") < 0;

    failed |= xmlTextWriterStartElement(w, BAD_CAST "property") < 0;
    failed |= attr(w, "name", "%s", name);
    failed |= attr(w, "value", "%s", value);
    failed |= xmlTextWriterEndElement(w) < 0;
    failed |= xmlTextWriterEndElement(w) < 0;
    return failed;
}

static bool testcase(xmlTextWriterPtr w, const struct check_result *c)
{
    const char *feedback = c->feedback ? c->feedback : "";
    bool failed = xmlTextWriterStartElement(w, BAD_CAST "testcase") < 0;

    failed |= attr(w, "classname", "mmgrade.%s", c->task);
    failed |= attr(w, "name", "%s: %s (%g/%g)", c->id, c->title, c->points, c->max_points);
    if (c->status == CHECK_FAILED) {
        failed |= xmlTextWriterStartElement(w, BAD_CAST "failure") < 0;
        failed |= attr(w, "message", "%.200s", c->title);
        failed |= xmlTextWriterWriteString(w, BAD_CAST feedback) < 0;
        failed |= xmlTextWriterEndElement(w) < 0;
    } else if (c->status == CHECK_NOT_RUN) {
        failed |= xmlTextWriterStartElement(w, BAD_CAST "skipped") < 0;
        failed |= attr(w, "message", "%.400s", feedback);
        failed |= xmlTextWriterEndElement(w) < 0;
    } else {
        failed |= xmlTextWriterWriteElement(w, BAD_CAST "system-out", BAD_CAST feedback) < 0;
    }
    return failed | (xmlTextWriterEndElement(w) < 0);
}

static bool testsuite(xmlTextWriterPtr w, const struct task_result *task)
{
    double tm, ts = result_task_score(task, &tm);
    char score[64];
    bool failed = xmlTextWriterStartElement(w, BAD_CAST "testsuite") < 0;

    failed |= attr(w, "name", "task %s", task->task);
    failed |= attr(w, "tests", "%zu", task->nchecks);
    failed |= attr(w, "failures", "%d", count_status(task, CHECK_FAILED));
    failed |= attr(w, "skipped", "%d", count_status(task, CHECK_NOT_RUN));
    snprintf(score, sizeof score, "%g/%g", ts, tm);
    failed |= property(w, "score", score);
    for (size_t i = 0; i < task->nchecks; i++)
        failed |= testcase(w, &task->checks[i]);
    return failed | (xmlTextWriterEndElement(w) < 0);
}

bool render_junit(const struct grade_report *r, FILE *out)
{
    xmlBufferPtr buf = xmlBufferCreate();
    xmlTextWriterPtr w = buf ? xmlNewTextWriterMemory(buf, 0) : NULL;
    double max, score = result_report_score(r, &max);
    int failures = 0, skipped = 0, total = 0;
    bool failed, ok;

    if (!w) {
        xmlBufferFree(buf);
        return false;
    }
    for (size_t t = 0; t < r->ntasks; t++) {
        failures += count_status(&r->tasks[t], CHECK_FAILED);
        skipped += count_status(&r->tasks[t], CHECK_NOT_RUN);
        total += (int)r->tasks[t].nchecks;
    }
    xmlTextWriterSetIndent(w, 1);
    failed = xmlTextWriterStartDocument(w, NULL, "UTF-8", NULL) < 0;
    failed |= xmlTextWriterStartElement(w, BAD_CAST "testsuites") < 0;
    failed |= attr(w, "name", "mmgrade %s: %g/%g", r->submission, score, max);
    failed |= attr(w, "tests", "%d", total);
    failed |= attr(w, "failures", "%d", failures);
    failed |= attr(w, "skipped", "%d", skipped);
    failed |= attr(w, "time", "%.3f", r->seconds);
    failed |= property(w, "isolation", render_isolation(r));
    for (size_t t = 0; t < r->ntasks; t++)
        failed |= testsuite(w, &r->tasks[t]);
    failed |= xmlTextWriterEndDocument(w) < 0;
    xmlFreeTextWriter(w);
    ok = !failed && fputs((const char *)xmlBufferContent(buf), out) >= 0;
    xmlBufferFree(buf);
    return ok;
}
