/* mdreport.h - read a student's Markdown report line by line: headings,
 * table rows and their cells, fenced code blocks, prose. Tolerant of
 * spacing and alignment; never judges. */
#ifndef MMGRADE_MDREPORT_H
#define MMGRADE_MDREPORT_H

#include <stdbool.h>
#include <stddef.h>

enum md_kind {
    MD_BLANK,
    MD_HEADING,   /* "## Title": level and text */
    MD_TABLE_ROW, /* "| a | b |": cells */
    MD_TABLE_RULE,/* "|---|:--:|" */
    MD_FENCE,     /* an opening or closing ``` or ~~~ */
    MD_CODE,      /* a line inside a fenced block */
    MD_TEXT,
};

#define MD_MAX_CELLS 16

struct md_line {
    enum md_kind kind;
    size_t number;           /* 1-based, as an editor shows it */
    int level;               /* MD_HEADING */
    char *text;              /* the line, without its newline; heading: its title */
    size_t ncells;           /* MD_TABLE_ROW, MD_TABLE_RULE */
    char **cells;            /* trimmed; "\|" is a literal bar */
    size_t section;          /* index of the heading this line is under (a
                              * heading: its own), SIZE_MAX before any */
};

struct md_report {
    struct md_line *lines;
    size_t count;
};

/* Parses text (any bytes; at most a few MiB is sensible). */
void md_parse(const char *text, size_t len, struct md_report *out);
void md_free(struct md_report *r);

/* title past a leading "1.", "2)" or "Q3:" (not "2.3"): numbering is the
 * student's to change. */
const char *md_skip_numbering(const char *title);

/* The first heading whose normalised title contains the normalised
 * wanted title, numbering aside, at or after line index from; SIZE_MAX
 * when none. */
size_t md_find_heading(const struct md_report *r, const char *wanted, size_t from);

/* The index just past the section that starts at heading index h: the next
 * heading of the same or a higher level, or the end. */
size_t md_section_end(const struct md_report *r, size_t h);

#endif
