/* output.h - find the stages, the measurements (ps tables, VmSize and
 * VmRSS lines, "VSZ ... RSS ..." lines) and the Mapped line in what a
 * program printed, however students word and space them. */
#ifndef MMGRADE_OUTPUT_H
#define MMGRADE_OUTPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum stage { STAGE_INITIAL, STAGE_AFTER_MMAP, STAGE_AFTER_WRITE, STAGE_AFTER_MUNMAP, STAGE_COUNT };

struct ps_row {
    bool found;
    bool has_pid;
    long pid, vsz_kib, rss_kib;
    size_t offset; /* where the row ends in the output */
};

#define MAX_MEASUREMENTS 32
#define MAX_ROWS 64 /* a search by name lists every process of the name on the machine */

enum measure_kind {
    MEASURE_TABLE,  /* a ps-style table: a header with VSZ and RSS, then rows */
    MEASURE_STATUS, /* VmSize: and VmRSS: lines, as /proc/PID/status has them */
    MEASURE_INLINE, /* one line naming VSZ and RSS, each with its number */
};

/* One reading of VSZ and RSS the program printed. */
struct measurement {
    enum measure_kind kind;
    long vsz_kib, rss_kib;  /* its first row's */
    bool has_pid;           /* a table with a PID column */
    long pids[MAX_ROWS];    /* each row's PID, with has_pid */
    size_t rows;            /* a table's rows: more than one, more than one process */
    size_t start, end;      /* where it is in the output */
};

struct program_output {
    bool stage_found[STAGE_COUNT];
    bool in_order;              /* the stages found came in this order */
    struct ps_row table[STAGE_COUNT];
    bool mapped_found;          /* a "Mapped N bytes at 0x..." line */
    uint64_t mapped_bytes, mapped_addr;
    bool read_back_found;       /* task 2.1's "Read back: ..." line */
    char read_back[128];
    struct measurement meas[MAX_MEASUREMENTS]; /* in the order printed */
    size_t nmeas;
};

/* Classifies a line as a stage header; -1 when it is not one. */
int output_stage_of_line(const char *line);
/* Parses a ps header line: the column indexes of PID, VSZ and RSS (-1 when
 * absent); false when it has no VSZ and RSS columns. */
bool output_parse_ps_header(const char *line, int *pid_col, int *vsz_col, int *rss_col);
void output_parse(const char *text, size_t len, struct program_output *out);
/* Finds, anywhere in text, a ps header with PID, VSZ and RSS columns
 * followed (not necessarily at once) by a row for pid. */
bool output_find_ps_row(const char *text, size_t len, long pid, struct ps_row *row);
const char *output_stage_name(enum stage stage);

#endif
