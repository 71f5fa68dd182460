/* mdreport.c - read a student's Markdown report line by line: headings,
 * table rows and their cells, fenced code blocks, prose. */
#define _GNU_SOURCE
#include "mdreport.h"

#include "text.h"
#include "xalloc.h"

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *skip_spaces(const char *p)
{
    while (*p == ' ' || *p == '\t')
        p++;
    return p;
}

/* "```", "~~~~" (after up to three spaces): the fence's character and length. */
static size_t fence_length(const char *line, char *ch)
{
    const char *p = line;
    size_t n = 0;

    for (int i = 0; i < 3 && *p == ' '; i++)
        p++;
    if (*p != '`' && *p != '~')
        return 0;
    *ch = *p;
    while (p[n] == *ch)
        n++;
    return n >= 3 ? n : 0;
}

static bool is_rule_cell(const char *cell)
{
    bool dash = false;

    for (const char *p = cell; *p; p++) {
        if (*p == '-')
            dash = true;
        else if (*p != ':' && *p != ' ' && *p != '\t')
            return false;
    }
    return dash;
}

/* Splits "| a | b \\| c |" into trimmed cells; "\\|" is a literal bar. */
static void split_cells(const char *line, struct md_line *out)
{
    const char *p = skip_spaces(line);
    char *cell = xmalloc(strlen(p) + 1);

    out->cells = xcalloc(MD_MAX_CELLS, sizeof *out->cells);
    if (*p == '|')
        p++;
    while (*p && out->ncells < MD_MAX_CELLS) {
        size_t n = 0;

        p = skip_spaces(p);
        while (*p && !(*p == '|' && (n == 0 || cell[n - 1] != '\\')))
            cell[n++] = *p++;
        /* "\\|" was kept as two bytes: make it one bar */
        for (size_t i = 0; i + 1 < n; i++)
            if (cell[i] == '\\' && cell[i + 1] == '|')
                memmove(cell + i, cell + i + 1, n-- - i - 1);
        while (n > 0 && (cell[n - 1] == ' ' || cell[n - 1] == '\t'))
            n--;
        cell[n] = '\0';
        if (*p == '\0' && n == 0)
            break; /* nothing after the closing bar */
        out->cells[out->ncells++] = xstrdup(cell);
        if (*p == '|')
            p++;
    }
    free(cell);
}

/* "## Title ##": a heading of level 2 titled "Title"; false when the #s
 * are not followed by a space (#hashtag). */
static bool parse_heading(struct md_line *l)
{
    int level = (int)strspn(l->text, "#");
    const char *title = l->text + level;
    char *end;

    if (level > 6 || (*title != ' ' && *title != '\0'))
        return false;
    l->kind = MD_HEADING;
    l->level = level;
    title = skip_spaces(title);
    memmove(l->text, title, strlen(title) + 1);
    /* a closing run of #s is not part of the title */
    end = l->text + strlen(l->text);
    while (end > l->text && (end[-1] == ' ' || end[-1] == '#'))
        *--end = '\0';
    return true;
}

/* What l is, outside a fenced block. */
static void classify(struct md_line *l)
{
    if (*skip_spaces(l->text) == '\0') {
        l->kind = MD_BLANK;
    } else if (l->text[0] == '#' && parse_heading(l)) {
        /* parse_heading set it */
    } else if (*skip_spaces(l->text) == '|') {
        bool rule = true;

        split_cells(l->text, l);
        for (size_t i = 0; i < l->ncells; i++)
            rule &= is_rule_cell(l->cells[i]);
        l->kind = l->ncells > 0 && rule ? MD_TABLE_RULE : MD_TABLE_ROW;
    } else {
        l->kind = MD_TEXT;
    }
}

void md_parse(const char *text, size_t len, struct md_report *out)
{
    size_t at = 0, cap = 0, section = SIZE_MAX, fence_len = 0, n;
    const char *start;
    char fence_ch = 0, ch;

    out->lines = NULL;
    out->count = 0;
    while (text_line_span(text, len, &at, &start, &n)) {
        struct md_line *l;

        xgrow(&out->lines, &cap, out->count + 1, sizeof *out->lines);
        l = &out->lines[out->count++];
        memset(l, 0, sizeof *l);
        l->number = out->count;
        if (n > 0 && start[n - 1] == '\r')
            n--;
        /* a NUL byte ends the line early: the rest is not prose */
        l->text = xstrndup(start, n);
        if (fence_len) {
            size_t closing = fence_length(l->text, &ch);
            bool closes = closing >= fence_len && ch == fence_ch &&
                          *skip_spaces(l->text + strspn(l->text, " ") + closing) == '\0';

            l->kind = closes ? MD_FENCE : MD_CODE;
            fence_len = closes ? 0 : fence_len;
        } else if ((fence_len = fence_length(l->text, &fence_ch))) {
            l->kind = MD_FENCE;
        } else {
            classify(l);
        }
        if (l->kind == MD_HEADING)
            section = out->count - 1;
        l->section = section;
    }
}

void md_free(struct md_report *r)
{
    for (size_t i = 0; i < r->count; i++) {
        for (size_t k = 0; k < r->lines[i].ncells; k++)
            free(r->lines[i].cells[k]);
        free(r->lines[i].cells);
        free(r->lines[i].text);
    }
    free(r->lines);
    r->lines = NULL;
    r->count = 0;
}

const char *md_skip_numbering(const char *title)
{
    const char *p = title;

    /* "1.", "2)", "Q3:" numbering is the student's to change */
    while (*p == ' ')
        p++;
    if ((p[0] == 'Q' || p[0] == 'q') && isdigit((unsigned char)p[1]))
        p++;
    if (isdigit((unsigned char)*p)) {
        const char *q = p;

        while (isdigit((unsigned char)*q))
            q++;
        if ((*q == '.' || *q == ')' || *q == ':') && !isdigit((unsigned char)q[1]))
            return q + 1;
    }
    return title;
}

size_t md_find_heading(const struct md_report *r, const char *wanted, size_t from)
{
    char want[256], have[256];

    text_normalise(md_skip_numbering(wanted), want, sizeof want);
    for (size_t i = from; i < r->count; i++) {
        if (r->lines[i].kind != MD_HEADING)
            continue;
        text_normalise(md_skip_numbering(r->lines[i].text), have, sizeof have);
        if (strstr(have, want))
            return i;
    }
    return SIZE_MAX;
}

size_t md_section_end(const struct md_report *r, size_t h)
{
    for (size_t i = h + 1; i < r->count; i++)
        if (r->lines[i].kind == MD_HEADING && r->lines[i].level <= r->lines[h].level)
            return i;
    return r->count;
}
