/* reports.c - the checks of the students' reports (REPORT.md of tasks
 * 2.1-2.4). Reports are Markdown typed by people: spacing, alignment,
 * units and extra prose vary, so everything is read leniently and every
 * problem is quoted with its line number rather than guessed around. */
#define _GNU_SOURCE
#include "reports.h"

#include <ctype.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../files.h"
#include "../output.h"
#include "../procfs.h"
#include "../handouts.h"
#include "../text.h"
#include "tolerances.h"

#define REPORT_MAX_BYTES (512u << 10)
#define MAX_PROBLEMS 10
#define QUOTE_CHARS 90
#define ANSWER_CHARS 900
#define MIN_ANSWER_WORDS 12

/* Problems found in a report, each with the line it is on. */
struct problems {
    char *text[MAX_PROBLEMS];
    size_t count, more;
};

static void problem(struct problems *p, size_t line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void problem(struct problems *p, size_t line, const char *fmt, ...)
{
    char *msg = NULL;
    va_list ap;

    if (p->count == MAX_PROBLEMS) {
        p->more++;
        return;
    }
    va_start(ap, fmt);
    if (vasprintf(&msg, fmt, ap) < 0)
        msg = NULL;
    va_end(ap);
    if (!msg)
        return;
    if (line && asprintf(&p->text[p->count], "line %zu: %s", line, msg) >= 0)
        p->count++;
    else if (!line)
        p->text[p->count++] = strdup(msg);
    free(msg);
}

/* Passes c, or fails it listing the problems under what was expected. */
static void problems_verdict(struct problems *p, struct check_result *c, const char *expected, const char *passed,
                             const char *try)
{
    if (p->count == 0) {
        check_pass(c, "%s", passed);
        return;
    }
    check_fail(c, "Expected: %s\nObserved:", expected);
    for (size_t i = 0; i < p->count; i++) {
        check_note(c, "  %s", p->text[i]);
        free(p->text[i]);
    }
    if (p->more)
        check_note(c, "  ... and %zu more", p->more);
    check_note(c, "Try: %s", try);
    cJSON_AddNumberToObject(check_observed(c), "problems", (double)(p->count + p->more));
}

/* text cut to QUOTE_CHARS, for quoting in feedback. */
static const char *quote(const char *text, char *buf, size_t cap)
{
    while (*text == ' ' || *text == '\t')
        text++;
    snprintf(buf, cap, "%.*s%s", QUOTE_CHARS, text, strlen(text) > QUOTE_CHARS ? "..." : "");
    return buf;
}

/* True when text holds the words of needle (both normalised) in order, as
 * whole words: " 2 3 " in " task 2 3 report ". */
static bool has_words(const char *text, const char *needle)
{
    char t[512], n[128], padded_t[520], padded_n[136];

    text_normalise(text, t, sizeof t);
    text_normalise(needle, n, sizeof n);
    snprintf(padded_t, sizeof padded_t, " %s ", t);
    snprintf(padded_n, sizeof padded_n, " %s ", n);
    return strstr(padded_t, padded_n) != NULL;
}

struct report_part report_part_of(const struct md_report *r, const char *task)
{
    struct report_part all = {r, 0, r->count}, mine = {r, 0, 0};
    bool several = false;
    static const char *const tasks[] = {"2.1", "2.2", "2.3", "2.4", "2.5"};

    for (size_t i = 0; i < r->count; i++) {
        const struct md_line *l = &r->lines[i];

        if (l->kind != MD_HEADING || l->level != 1)
            continue;
        for (size_t k = 0; k < sizeof tasks / sizeof tasks[0]; k++)
            if (has_words(l->text, tasks[k])) {
                several |= strcmp(tasks[k], task) != 0;
                if (strcmp(tasks[k], task) == 0 && mine.end == 0) {
                    mine.begin = i;
                    mine.end = md_section_end(r, i);
                }
            }
    }
    return several ? mine : all;
}

/* The heading of part p whose title contains wanted's words; SIZE_MAX if none. */
static size_t part_find_heading(const struct report_part *p, const char *wanted)
{
    size_t h = md_find_heading(p->md, wanted, p->begin);

    return h < p->end ? h : SIZE_MAX;
}

void judge_report_complete(const struct report_part *p, const struct md_report *tmpl, struct check_result *c)
{
    struct problems found = {0};
    char q[QUOTE_CHARS + 8];

    if (p->begin == p->end) {
        check_fail(c, "Expected: the task's report.\nObserved: REPORT.md has no part for this task (a top heading "
                      "naming it, as in the template's first line).");
        return;
    }
    for (size_t i = 0; tmpl && i < tmpl->count; i++) {
        const struct md_line *t = &tmpl->lines[i];

        if (t->kind == MD_HEADING && t->level >= 2 && part_find_heading(p, t->text) == SIZE_MAX)
            problem(&found, 0, "the heading \"%s\" of the template is missing", t->text);
    }
    for (size_t i = p->begin; i < p->end; i++) {
        const struct md_line *l = &p->md->lines[i];

        if (strstr(l->text, "TODO"))
            problem(&found, l->number, "a TODO is left: \"%s\"", quote(l->text, q, sizeof q));
        if (l->kind == MD_TABLE_ROW)
            for (size_t k = 0; k < l->ncells; k++)
                if (l->cells[k][0] == '\0')
                    problem(&found, l->number, "the table's cell in column %zu is empty", k + 1);
    }
    problems_verdict(&found, c, "every heading of the template, no TODO left, no empty table cell.",
                     "Every heading of the template is there, with no TODO and no empty table cell.",
                     "fill in every TODO and every table cell; keep the template's headings.");
}

/* Reads a quantity such as "2476", "65,536 kB", "0x3000 bytes", "64 MiB"
 * or "1.5 MB" at text; unit_default multiplies a number with no unit.
 * *whole_kib says whether it was a whole number of KiB as written. */
static bool parse_quantity(const char *text, uint64_t unit_default, double *bytes, bool *whole_kib, const char **end)
{
    const char *p = text;
    double value = 0, unit = (double)unit_default;
    bool fraction = false, digits = false;

    if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X') && isxdigit((unsigned char)p[2])) {
        char *stop;

        value = (double)strtoull(p + 2, &stop, 16);
        p = stop;
        unit = 1; /* an address difference: bytes */
        digits = true;
    } else {
        for (; isdigit((unsigned char)*p) || (*p == ',' && digits && isdigit((unsigned char)p[1])); p++)
            if (*p != ',') {
                value = value * 10 + (*p - '0');
                digits = true;
            }
        if (*p == '.' && isdigit((unsigned char)p[1])) {
            double scale = 0.1;

            fraction = true;
            for (p++; isdigit((unsigned char)*p); p++, scale /= 10)
                value += (*p - '0') * scale;
        }
    }
    if (!digits)
        return false;
    const char *u = p;
    while (*u == ' ' || *u == '\t')
        u++;
    static const struct {
        const char *word;
        double factor;
    } units[] = {{"bytes", 1}, {"byte", 1}, {"kib", 1024}, {"kb", 1024}, {"mib", 1048576}, {"mb", 1048576},
                 {"gib", 1073741824}, {"gb", 1073741824}, {"b", 1}, {"k", 1024}, {"m", 1048576}};
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++) {
        size_t n = strlen(units[i].word);

        if (strncasecmp(u, units[i].word, n) == 0 && !isalpha((unsigned char)u[n])) {
            unit = units[i].factor;
            p = u + n;
            break;
        }
    }
    *bytes = value * unit;
    if (whole_kib)
        *whole_kib = !fraction && unit == 1024;
    if (end)
        *end = p;
    return true;
}

/* A table of the report: its header's columns and where its rows are. */
struct stage_table {
    size_t header;               /* line index of the header row */
    int vsz_col, rss_col, stage_col;
    size_t row_line[STAGE_COUNT];/* 0: the row is absent */
    double vsz[STAGE_COUNT], rss[STAGE_COUNT]; /* KiB */
    bool known[STAGE_COUNT];
};

static int column_named(const struct md_line *header, const char *name)
{
    for (size_t k = 0; k < header->ncells; k++)
        if (strcasestr(header->cells[k], name))
            return (int)k;
    return -1;
}

/* The size the table is about, in KiB, from its section's heading
 * ("64 MiB (67108864 bytes)", "default size (4096 bytes)"); 0 if unstated. */
static double table_mapping_kib(const struct report_part *p, size_t header)
{
    size_t h = p->md->lines[header].section;
    double kib = 0;

    if (h == SIZE_MAX)
        return 0;
    for (const char *s = p->md->lines[h].text; *s; s++) {
        double bytes;
        const char *end;

        if (isdigit((unsigned char)*s) && (s == p->md->lines[h].text || !isalnum((unsigned char)s[-1])) &&
            parse_quantity(s, 0, &bytes, NULL, &end) && bytes > 0) {
            kib = bytes / 1024;
            s = end - 1;
        }
    }
    return kib;
}

/* The handout's sample whose stage tables t copies (three stages or more
 * with the same VSZ and RSS), or NULL: numbers of a real run are never
 * the same to the KiB on two machines, let alone in every stage. */
static const struct handout_sample *copied_sample(const struct stage_table *t)
{
    for (size_t i = 0; i < handout_sample_count; i++) {
        struct program_output out;
        int same = 0;

        output_parse(handout_samples[i].text, strlen(handout_samples[i].text), &out);
        for (int s = 0; s < STAGE_COUNT; s++)
            same += t->known[s] && out.table[s].found && out.table[s].vsz_kib == (long)t->vsz[s] &&
                    out.table[s].rss_kib == (long)t->rss[s];
        if (same >= 3)
            return &handout_samples[i];
    }
    return NULL;
}

/* Judges one stage table; false when none of its VSZ and RSS cells is
 * filled in yet (nothing to judge: the template as handed out). */
static bool judge_stage_table(const struct report_part *p, struct stage_table *t, struct problems *found)
{
    double mapping = table_mapping_kib(p, t->header), page_kib = 4;
    bool typed = false;
    char q[QUOTE_CHARS + 8];

    for (size_t i = t->header + 2; i < p->end && p->md->lines[i].kind == MD_TABLE_ROW; i++) {
        const struct md_line *row = &p->md->lines[i];
        int stage;

        if ((size_t)t->stage_col >= row->ncells || (stage = output_stage_of_line(row->cells[t->stage_col])) < 0)
            continue;
        t->row_line[stage] = row->number;
        t->known[stage] = true;
        for (int k = 0; k < 2; k++) {
            int col = k == 0 ? t->vsz_col : t->rss_col;
            double bytes;
            bool whole;
            const char *end;

            if ((size_t)col >= row->ncells || row->cells[col][0] == '\0' || strstr(row->cells[col], "TODO")) {
                t->known[stage] = false; /* report_complete says so */
                continue;
            }
            typed = true;
            if (!parse_quantity(row->cells[col], 1024, &bytes, &whole, &end) || *end != '\0' || !whole) {
                problem(found, row->number, "%s \"%s\" is not a whole number of KiB", k == 0 ? "VSZ" : "RSS",
                        quote(row->cells[col], q, sizeof q));
                t->known[stage] = false;
                continue;
            }
            (k == 0 ? t->vsz : t->rss)[stage] = bytes / 1024;
        }
    }
    const struct handout_sample *copied = copied_sample(t);
    if (copied)
        problem(found, p->md->lines[t->header].number,
                "the table's numbers are those of the handout's sample output (`%s`), not of a run of your own",
                copied->command);
    if (!t->known[STAGE_INITIAL] || !t->known[STAGE_AFTER_MMAP] || !t->known[STAGE_AFTER_WRITE])
        return typed;
    if (mapping == 0 && t->vsz[STAGE_AFTER_MMAP] - t->vsz[STAGE_INITIAL] >= 32768)
        mapping = 65536;
    mapping = mapping > 0 ? ceil(mapping / page_kib) * page_kib : page_kib;
    /* a ps run through system() may count posix_spawn's stack in one
     * reading and not the next, whatever the size: the student copied that */
    if (t->vsz[STAGE_AFTER_MMAP] + VSZ_NOISE_KIB < t->vsz[STAGE_INITIAL] + mapping)
        problem(found, t->row_line[STAGE_AFTER_MMAP],
                "VSZ after mmap (%.0f) is not at least VSZ initial (%.0f) plus the %.0f KiB mapped",
                t->vsz[STAGE_AFTER_MMAP], t->vsz[STAGE_INITIAL], mapping);
    if (t->rss[STAGE_AFTER_WRITE] < t->rss[STAGE_AFTER_MMAP])
        problem(found, t->row_line[STAGE_AFTER_WRITE], "RSS after writing (%.0f) is below RSS after mmap (%.0f)",
                t->rss[STAGE_AFTER_WRITE], t->rss[STAGE_AFTER_MMAP]);
    if (mapping < LARGE_MAPPING_KIB)
        return typed;
    if (t->rss[STAGE_AFTER_MMAP] - t->rss[STAGE_INITIAL] > RSS_AT_MMAP_SLACK_KIB)
        problem(found, t->row_line[STAGE_AFTER_MMAP],
                "RSS rose by %.0f KiB at mmap, before any page was written: that contradicts lazy allocation",
                t->rss[STAGE_AFTER_MMAP] - t->rss[STAGE_INITIAL]);
    double step = t->rss[STAGE_AFTER_WRITE] - t->rss[STAGE_AFTER_MMAP];
    if (step < 0.9 * mapping || step > 1.1 * mapping + RSS_AT_MMAP_SLACK_KIB)
        problem(found, t->row_line[STAGE_AFTER_WRITE],
                "RSS rose by %.0f KiB when the %.0f KiB mapping was written: expected about as much", step, mapping);
    return typed;
}

static bool is_smaps_field(const char *line)
{
    const char *p = line;

    while (isalpha((unsigned char)*p) || *p == '_')
        p++;
    return p > line && *p == ':' && isupper((unsigned char)line[0]);
}

/* Lines of a maps excerpt that are not maps lines yet belong there. */
static bool is_excerpt_aside(const char *line)
{
    return *line == '\0' || *line == '$' || *line == '#' || strncmp(line, "...", 3) == 0 ||
           strncmp(line, "\xe2\x80\xa6", 3) == 0 || strstr(line, "TODO") || is_smaps_field(line);
}

static void judge_maps_excerpts(const struct report_part *p, struct problems *found)
{
    size_t lines = 0, anon_rw = 0;
    char q[QUOTE_CHARS + 8];

    for (size_t i = p->begin; i < p->end; i++) {
        const struct md_line *l = &p->md->lines[i];
        const char *text = l->text;
        struct maps_region region;

        if (l->kind != MD_CODE || l->section == SIZE_MAX || !has_words(p->md->lines[l->section].text, "maps"))
            continue;
        while (*text == ' ' || *text == '\t')
            text++;
        if (is_excerpt_aside(text))
            continue;
        if (!maps_parse_line(text, &region)) {
            problem(found, l->number, "not a /proc/PID/maps line: \"%s\"", quote(text, q, sizeof q));
            continue;
        }
        lines++;
        anon_rw += maps_region_is_anon_private_rw(&region);
    }
    if (lines > 0 && anon_rw == 0)
        problem(found, 0, "no line of the maps excerpts is an anonymous rw-p mapping (inode 0, no name)");
}

/* An address range "7f70be6ae000-7f70be6b1000" starting at s. */
static bool parse_range(const char *s, uint64_t *start, uint64_t *end, const char **after)
{
    char *stop;

    if (!isxdigit((unsigned char)*s))
        return false;
    *start = strtoull(s, &stop, 16);
    if (stop - s < 4 || *stop != '-' || !isxdigit((unsigned char)stop[1]))
        return false;
    s = stop + 1;
    *end = strtoull(s, &stop, 16);
    if (stop - s < 4 || *end <= *start || isalnum((unsigned char)*stop))
        return false;
    *after = stop;
    return true;
}

static const char *skip_blanks(const char *p)
{
    while (*p == ' ')
        p++;
    return p;
}

/* "0xA - 0xB = C" at s (a minus sign may be U+2212): A, B and C in bytes. */
static bool parse_subtraction(const char *s, uint64_t *a, uint64_t *b, double *claimed)
{
    char *stop;
    const char *t;

    if (s[0] != '0' || s[1] != 'x')
        return false;
    *a = strtoull(s + 2, &stop, 16);
    t = skip_blanks(stop);
    if (*t == '-')
        t++;
    else if (strncmp(t, "\xe2\x88\x92", 3) == 0)
        t += 3;
    else
        return false;
    t = skip_blanks(t);
    if (t[0] != '0' || t[1] != 'x')
        return false;
    *b = strtoull(t + 2, &stop, 16);
    t = skip_blanks(stop);
    if (*t != '=')
        return false;
    return parse_quantity(skip_blanks(t + 1), 1, claimed, NULL, NULL);
}

/* The address ranges a report has named so far in a section: the last one
 * (what "spans N" after it is about), and the last maps line (what a
 * "Size:" or "Rss:" is about, as smaps prints them under their line). */
struct named_ranges {
    bool have_last, have_line;
    uint64_t last_start, last_end, line_start, line_end;
};

/* A size or Rss label at s ("Size: 12 kB", "Rss of this line: 8 kB",
 * "spans 12 KiB"): its value in bytes and where it ends; false when s is
 * not one. */
static bool parse_size_label(const char *s, bool *rss, bool *spans, double *bytes, const char **after)
{
    bool size_label = strncasecmp(s, "size", 4) == 0 && !isalpha((unsigned char)s[4]);
    const char *t, *next;

    *spans = strncasecmp(s, "spans ", 6) == 0;
    *rss = strncasecmp(s, "rss", 3) == 0 && !isalpha((unsigned char)s[3]);
    if (!size_label && !*spans && !*rss)
        return false;
    t = s + (*spans ? 6 : size_label ? 4 : 3);
    /* "Size:", "Size =", "Rss of this line:"; a label, not prose */
    if (!*spans) {
        const char *colon = strpbrk(t, ":=");

        if (!colon || colon - t > 20)
            return false;
        t = colon + 1;
    }
    while (*t == ' ' || *t == '*' || *t == '`')
        t++;
    if (!parse_quantity(t, *spans ? 1 : 1024, bytes, NULL, after))
        return false;
    for (next = *after; *next == ' ';)
        next++;
    /* "spans 0xA - 0xB = C": the arithmetic is checked as such */
    return *next != '-' && strncmp(next, "\xe2\x88\x92", 3) != 0;
}

/* Notes the range at s ("7f70be6ae000-7f70be6b1000"), and whether it starts
 * a maps line (perms, offset, device, inode after it); false when s does not
 * start one. */
static bool note_range(const char *s, struct named_ranges *n, const char **after)
{
    struct maps_region region;
    uint64_t a, b;

    if (!parse_range(s, &a, &b, after))
        return false;
    n->have_last = true;
    n->last_start = a;
    n->last_end = b;
    if (maps_parse_line(s, &region)) {
        n->have_line = true;
        n->line_start = a;
        n->line_end = b;
    }
    return true;
}

/* "0x7f9008bd1000 - 0x7f9008bce000 = 0x3000 bytes": the arithmetic holds. */
static void check_subtraction(const char *s, const struct md_line *l, struct problems *found)
{
    char q[QUOTE_CHARS + 8];
    uint64_t x, y, diff;
    double bytes;

    if (!parse_subtraction(s, &x, &y, &bytes))
        return;
    diff = x > y ? x - y : y - x;
    if ((uint64_t)bytes != diff)
        problem(found, l->number, "0x%" PRIx64 " - 0x%" PRIx64 " is 0x%" PRIx64 " (%" PRIu64 " bytes), not what is written: \"%s\"",
                x, y, diff, diff, quote(l->text, q, sizeof q));
}

/* A size stated at s, of the range it belongs to: "spans N" the last range
 * named; "Size:" and "Rss:" the maps line they are under (in a code block)
 * or on, else the last maps line quoted (a range named in prose is a part
 * of a line, whose Rss is the line's). */
static void check_size_label(const char *s, const struct md_line *l, const struct named_ranges *n,
                             struct problems *found, const char **after)
{
    char q[QUOTE_CHARS + 8];
    const char *end_of_label;
    bool rss, spans;
    double bytes;
    uint64_t start, end;

    if (!parse_size_label(s, &rss, &spans, &bytes, &end_of_label))
        return;
    *after = end_of_label;
    if (spans ? !n->have_last : !n->have_line)
        return; /* a size with no range it could be of: not a claim to check */
    start = spans ? n->last_start : n->line_start;
    end = spans ? n->last_end : n->line_end;
    if (rss && bytes > (double)(end - start))
        problem(found, l->number, "Rss of %.0f KiB is more than the %" PRIu64 " KiB of the line %" PRIx64 "-%" PRIx64,
                bytes / 1024, (end - start) / 1024, start, end);
    else if (!rss && (uint64_t)bytes != end - start)
        problem(found, l->number, "the range %" PRIx64 "-%" PRIx64 " spans %" PRIu64 " KiB, not the size written: \"%s\"",
                start, end, (end - start) / 1024, quote(l->text, q, sizeof q));
}

/* Sizes stated for an address range must be that range's size, and the
 * arithmetic "0xA - 0xB = C" must hold. A size said of something else ("my
 * 4 KiB mapping lies in this 12 KiB line") is not a claim about the range,
 * and is left alone. */
static void judge_stated_sizes(const struct report_part *p, struct problems *found)
{
    struct named_ranges n = {0};
    size_t section = SIZE_MAX;

    for (size_t i = p->begin; i < p->end; i++) {
        const struct md_line *l = &p->md->lines[i];

        if (l->section != section || l->kind == MD_HEADING) {
            section = l->section;
            memset(&n, 0, sizeof n);
        }
        for (const char *s = l->text; *s; s++) {
            const char *after = NULL;

            if (s != l->text && isalnum((unsigned char)s[-1]))
                continue;
            if (note_range(s, &n, &after)) {
                s = after - 1;
                continue;
            }
            check_subtraction(s, l, found);
            check_size_label(s, l, &n, found, &after);
            if (after)
                s = after - 1;
        }
    }
}

void judge_report_consistent(const struct report_part *p, struct check_result *c)
{
    struct problems found = {0};
    size_t tables = 0, filled = 0;

    for (size_t i = p->begin; i + 1 < p->end; i++) {
        const struct md_line *l = &p->md->lines[i];
        struct stage_table t = {.header = i};

        if (l->kind != MD_TABLE_ROW || p->md->lines[i + 1].kind != MD_TABLE_RULE)
            continue;
        t.vsz_col = column_named(l, "vsz");
        t.rss_col = column_named(l, "rss");
        t.stage_col = column_named(l, "stage");
        if (t.vsz_col < 0 || t.rss_col < 0)
            continue;
        if (t.stage_col < 0)
            t.stage_col = 0;
        filled += judge_stage_table(p, &t, &found);
        tables++;
    }
    if (tables > 0 && filled == 0) {
        /* the template as handed out: agreeing with nothing is no merit */
        check_fail(c, "Precondition failed: no stage table has its numbers filled in yet (see `report_complete`).");
        return;
    }
    if (tables == 0)
        problem(&found, 0, "no stage table (a table with Stage, VSZ and RSS columns)");
    judge_maps_excerpts(p, &found);
    judge_stated_sizes(p, &found);
    cJSON_AddNumberToObject(check_observed(c), "stage_tables", (double)tables);
    problems_verdict(&found, c,
                     "stage tables in whole KiB in which VSZ grows by the mapping at mmap and RSS by the pages written "
                     "(and not before); maps excerpts that are maps lines, one of them anonymous rw-p; sizes that match "
                     "the address ranges they are stated for.",
                     "The tables, the maps excerpts and the sizes stated agree with each other and with lazy allocation.",
                     "recheck each quoted line against your own run; the range's size is its end minus its start.");
    if (c->status == CHECK_FAILED)
        check_note(c, "Reproduce: ./mmap_demo 67108864, and at each pause: grep -A 4 '^START-' /proc/PID/smaps (the "
                      "line of your mapping, its Size: and Rss:)");
}

/* What each 2.4 question asks about, by the words of its template
 * heading (docs/grader.md lists them). */
static const struct {
    const char *heading;     /* words of the template's heading */
    const char *any[6];      /* the answer names one of these */
    const char *also_any[6]; /* and, when set, one of these */
    bool number;             /* and cites a number */
    const char *ideas;       /* for the feedback */
} concepts[] = {
    {"lazy allocation", {"lazy", "lazily", "demand", NULL}, {NULL}, false, "lazy allocation or demand paging"},
    {"page faults", {"fault", NULL}, {NULL}, false, "the page fault"},
    {"vsz versus rss", {"virtual", NULL}, {"resident", "physical", "ram", "in memory", NULL}, false,
     "virtual and resident size"},
    {"numbers that moved", {NULL}, {NULL}, true, "a number from your tables"},
};

/* True when the normalised answer holds one of words (or words is empty). */
static bool names_one_of(const char *answer, const char *const *words)
{
    char norm[ANSWER_CHARS * 2];

    if (!words[0])
        return true;
    text_normalise(answer, norm, sizeof norm);
    for (; *words; words++)
        if (strstr(norm, *words))
            return true;
    return false;
}

static size_t count_words(const char *text)
{
    size_t n = 0;
    bool in_word = false;

    for (; *text; text++) {
        bool letter = isalnum((unsigned char)*text) || (unsigned char)*text >= 0x80;

        n += letter && !in_word;
        in_word = letter;
    }
    return n;
}

/* Whether a student's line repeats a line of the template's question. */
static bool is_template_line(const struct md_report *tmpl, size_t th, const char *line)
{
    char a[512], b[512];

    text_normalise(line, a, sizeof a);
    if (a[0] == '\0')
        return true;
    for (size_t i = th + 1; i < md_section_end(tmpl, th); i++) {
        text_normalise(tmpl->lines[i].text, b, sizeof b);
        if (strcmp(a, b) == 0)
            return true;
    }
    return false;
}

void judge_report_concepts(const struct report_part *p, const struct md_report *tmpl, struct check_result *c)
{
    struct problems found = {0};
    cJSON *answers = cJSON_AddObjectToObject(check_observed(c), "answers");
    char *all = NULL;
    size_t question = 0;

    for (size_t th = 0; tmpl && th < tmpl->count; th++) {
        const struct md_line *t = &tmpl->lines[th];
        char answer[ANSWER_CHARS + 1] = "", *joined = NULL;
        size_t used = 0, sh;

        if (t->kind != MD_HEADING || t->level != 2)
            continue;
        question++;
        sh = part_find_heading(p, t->text);
        if (sh == SIZE_MAX) {
            problem(&found, 0, "question %zu (\"%s\") has no section with its heading", question, t->text);
            continue;
        }
        for (size_t i = sh + 1; i < md_section_end(p->md, sh); i++) {
            const struct md_line *l = &p->md->lines[i];

            if (l->kind == MD_FENCE || l->kind == MD_BLANK || is_template_line(tmpl, th, l->text))
                continue;
            used += (size_t)snprintf(answer + used, sizeof answer - used, "%s%s", used ? " " : "", l->text);
            if (used >= sizeof answer - 1)
                break;
        }
        cJSON_AddStringToObject(answers, t->text, answer);
        if (asprintf(&joined, "%s%s%s:\n  %s", all ? all : "", all ? "\n" : "", t->text, answer[0] ? answer : "(no answer)") >= 0) {
            free(all);
            all = joined;
        }
        size_t words = count_words(answer);
        if (strstr(answer, "TODO") || words < MIN_ANSWER_WORDS || !strpbrk(answer, ".!?")) {
            problem(&found, p->md->lines[sh].number, "question %zu is not answered in sentences (%zu words)", question,
                    words);
            continue;
        }
        for (size_t k = 0; k < sizeof concepts / sizeof concepts[0]; k++)
            if (has_words(t->text, concepts[k].heading) &&
                (!names_one_of(answer, concepts[k].any) || !names_one_of(answer, concepts[k].also_any) ||
                 (concepts[k].number && !strpbrk(answer, "0123456789"))))
                problem(&found, p->md->lines[sh].number, "the answer to question %zu does not name %s", question,
                        concepts[k].ideas);
    }
    problems_verdict(&found, c, "each question answered in sentences that name what it asks about.",
                     "Each question is answered in sentences that name what it asks about.",
                     "answer each question in your own sentences, with the terms of the lab (see docs/concepts.md).");
    check_note(c, "\nThe answers, for the instructor:\n%s", all ? all : "(none)");
    free(all);
}

/* Fails t's report checks: the report is not there to judge. */
static void fail_report(struct task_result *t, const char *why)
{
    check_fail(result_add(t, "report_complete"), "%s", why);
    if (strcmp(t->task, "2.3") == 0)
        check_fail(result_add(t, "report_consistent"), "Precondition failed: %s", why);
    if (strcmp(t->task, "2.4") == 0)
        check_fail(result_add(t, "report_concepts"), "Precondition failed: %s", why);
}

void judge_report_text(const char *text, size_t len, struct task_result *t)
{
    struct md_report student = {0}, tmpl = {0};
    const char *tmpl_text = template_report(t->task);

    if (!text) {
        fail_report(t, "No REPORT.md was found for this task.");
        return;
    }
    md_parse(text, len, &student);
    if (tmpl_text)
        md_parse(tmpl_text, strlen(tmpl_text), &tmpl);
    struct report_part part = report_part_of(&student, t->task);
    judge_report_complete(&part, tmpl_text ? &tmpl : NULL, result_add(t, "report_complete"));
    if (strcmp(t->task, "2.3") == 0)
        judge_report_consistent(&part, result_add(t, "report_consistent"));
    if (strcmp(t->task, "2.4") == 0)
        judge_report_concepts(&part, tmpl_text ? &tmpl : NULL, result_add(t, "report_concepts"));
    md_free(&student);
    md_free(&tmpl);
}

void grade_report_file(const char *path, struct task_result *t)
{
    size_t len = 0;
    char *text = path ? files_read(path, REPORT_MAX_BYTES, &len) : NULL;

    if (path && !text)
        fail_report(t, "REPORT.md could not be read.");
    else
        judge_report_text(text, len, t);
    free(text);
}
