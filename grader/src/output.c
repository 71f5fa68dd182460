/* output.c - find the stages, the measurements and the Mapped line in
 * what a program printed, however students word and space them. */
#define _GNU_SOURCE
#include "output.h"

#include "text.h"

#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LINE_MAX_BYTES 512
#define MAX_COLUMNS 16

static const char *const stage_names[STAGE_COUNT] = {
    "Initial", "After mmap", "After writing to memory", "After munmap"};

const char *output_stage_name(enum stage stage)
{
    return stage_names[stage];
}

/* A stage header is a short line such as "[After mmap]", "=== After
 * mmap() ===", "Stage 2: after mmap" or "Initial state:"; a line with a
 * number in it other than a stage number is output, not a header. */
int output_stage_of_line(const char *line)
{
    char norm[LINE_MAX_BYTES];
    const char *p = norm;

    text_normalise(line, norm, sizeof norm);
    if (strlen(norm) > 48)
        return -1;
    if (strncmp(p, "stage ", 6) == 0) {
        p += 6;
        while (isdigit((unsigned char)*p))
            p++;
        while (*p == ' ')
            p++;
    }
    if (strpbrk(p, "0123456789"))
        return -1;
    if (strncmp(p, "initial", 7) == 0 || strncmp(p, "before mmap", 11) == 0)
        return STAGE_INITIAL;
    if (strncmp(p, "after ", 6) != 0)
        return -1;
    p += 6;
    if (strstr(p, "munmap") || strstr(p, "unmap"))
        return STAGE_AFTER_MUNMAP;
    if (strstr(p, "writ") || strstr(p, "touch") || strstr(p, "memset") || strstr(p, "access"))
        return STAGE_AFTER_WRITE;
    if (strstr(p, "mmap") || strstr(p, "map"))
        return STAGE_AFTER_MMAP;
    return -1;
}

static int split_words(char *line, char **words, int max)
{
    int n = 0;

    for (char *tok = strtok(line, " \t"); tok && n < max; tok = strtok(NULL, " \t"))
        words[n++] = tok;
    return n;
}

bool output_parse_ps_header(const char *line, int *pid_col, int *vsz_col, int *rss_col)
{
    char copy[LINE_MAX_BYTES], *words[MAX_COLUMNS];
    int n;

    snprintf(copy, sizeof copy, "%s", line);
    n = split_words(copy, words, MAX_COLUMNS);
    *pid_col = *vsz_col = *rss_col = -1;
    for (int i = 0; i < n; i++) {
        if (strcasecmp(words[i], "PID") == 0)
            *pid_col = i;
        else if (strcasecmp(words[i], "VSZ") == 0 || strcasecmp(words[i], "VSZ(KiB)") == 0)
            *vsz_col = i;
        else if (strcasecmp(words[i], "RSS") == 0 || strcasecmp(words[i], "RSS(KiB)") == 0)
            *rss_col = i;
    }
    return *vsz_col >= 0 && *rss_col >= 0;
}

static bool parse_long(const char *word, long *out)
{
    char *end;

    *out = strtol(word, &end, 10);
    return end != word && *end == '\0' && *out >= 0;
}

/* Parses the row that should follow a header; false when it is not one. */
static bool parse_ps_row(const char *line, int pid_col, int vsz_col, int rss_col, struct ps_row *row)
{
    char copy[LINE_MAX_BYTES], *words[MAX_COLUMNS];
    int n;

    snprintf(copy, sizeof copy, "%s", line);
    n = split_words(copy, words, MAX_COLUMNS);
    if (vsz_col >= n || rss_col >= n || pid_col >= n)
        return false;
    if (!parse_long(words[vsz_col], &row->vsz_kib) || !parse_long(words[rss_col], &row->rss_kib))
        return false;
    row->has_pid = pid_col >= 0 && parse_long(words[pid_col], &row->pid);
    row->found = true;
    return true;
}

/* The number after word in line ("VSZ: 2476 kB", "vsz=2476"), as a whole
 * word, or -1. */
static long number_after(const char *line, const char *word)
{
    size_t n = strlen(word);

    for (const char *p = strcasestr(line, word); p; p = strcasestr(p + 1, word)) {
        const char *q = p + n;
        char *end;
        long v;

        if ((p > line && isalnum((unsigned char)p[-1])) || isalnum((unsigned char)*q))
            continue;
        while (*q == ' ' || *q == '\t' || *q == ':' || *q == '=')
            q++;
        v = strtol(q, &end, 10);
        if (end > q && isdigit((unsigned char)*q))
            return v;
    }
    return -1;
}

/* What is being read of the output: a table's header just seen, a VmSize
 * line waiting for its VmRSS. */
struct measure_scan {
    int pid_col, vsz_col, rss_col;
    struct measurement *table; /* the table taking rows, or NULL */
    struct measurement status; /* a status pair being put together */
    int status_lines;          /* lines since its first part; 0: none */
};

static struct measurement *new_measurement(struct program_output *out)
{
    return out->nmeas < MAX_MEASUREMENTS ? &out->meas[out->nmeas++] : NULL;
}

/* Takes line (which ends at end in the output, and starts at start) as
 * part of a measurement, if it is one. */
static void scan_measurement(struct program_output *out, struct measure_scan *m, const char *line, size_t start,
                             size_t end)
{
    struct ps_row row = {0};
    struct measurement *x;
    long vsz, rss;

    if (m->table && parse_ps_row(line, m->pid_col, m->vsz_col, m->rss_col, &row)) {
        if (m->table->rows == 0) {
            m->table->vsz_kib = row.vsz_kib;
            m->table->rss_kib = row.rss_kib;
            m->table->has_pid = row.has_pid;
        }
        if (m->table->rows < MAX_ROWS)
            m->table->pids[m->table->rows++] = row.pid;
        m->table->end = end;
        return;
    }
    if (m->table && m->table->rows == 0)
        out->nmeas--; /* a header with no row under it measured nothing */
    m->table = NULL;
    if (output_parse_ps_header(line, &m->pid_col, &m->vsz_col, &m->rss_col)) {
        if ((m->table = new_measurement(out)))
            *m->table = (struct measurement){.kind = MEASURE_TABLE, .start = start, .end = end};
        return;
    }
    if (m->status_lines && ++m->status_lines > 8)
        m->status_lines = 0; /* VmSize and VmRSS too far apart to be one reading */
    vsz = strncmp(line, "VmSize:", 7) == 0 ? number_after(line, "VmSize") : -1;
    rss = strncmp(line, "VmRSS:", 6) == 0 ? number_after(line, "VmRSS") : -1;
    if (vsz >= 0 || rss >= 0) {
        if (!m->status_lines)
            m->status = (struct measurement){.kind = MEASURE_STATUS, .vsz_kib = -1, .rss_kib = -1, .start = start};
        m->status_lines = m->status_lines ? m->status_lines : 1;
        m->status.vsz_kib = vsz >= 0 ? vsz : m->status.vsz_kib;
        m->status.rss_kib = rss >= 0 ? rss : m->status.rss_kib;
        m->status.end = end;
        if (m->status.vsz_kib >= 0 && m->status.rss_kib >= 0 && (x = new_measurement(out))) {
            *x = m->status;
            m->status_lines = 0;
        }
        return;
    }
    if ((vsz = number_after(line, "vsz")) >= 0 && (rss = number_after(line, "rss")) >= 0 && (x = new_measurement(out)))
        *x = (struct measurement){.kind = MEASURE_INLINE, .vsz_kib = vsz, .rss_kib = rss, .start = start, .end = end};
}

/* The stage of a line that is a header, or that ends in one in brackets
 * after other text: a prompt a program printed with no newline and no
 * flush comes out after its pause, in front of the next header, as on a
 * terminal ("...press Enter: [After writing to memory]"). -1 otherwise. */
static int stage_of_line(const char *line)
{
    int stage = output_stage_of_line(line);
    const char *bracket = strrchr(line, '['), *close = bracket ? strchr(bracket, ']') : NULL;

    if (stage < 0 && bracket && bracket != line && close && close[1 + strspn(close + 1, " \t\r")] == '\0')
        stage = output_stage_of_line(bracket);
    return stage;
}

/* The stage headers, and the first table after each. */
static void scan_stage(struct program_output *out, int *current, int *last, bool *header_seen, int cols[3],
                       const char *line, size_t end)
{
    int stage = stage_of_line(line);

    if (stage >= 0) {
        if (!out->stage_found[stage]) {
            if (stage < *last)
                out->in_order = false;
            out->stage_found[stage] = true;
            *last = stage;
        }
        *current = stage;
        *header_seen = false;
        return;
    }
    if (*current < 0 || out->table[*current].found)
        return;
    if (!*header_seen)
        *header_seen = output_parse_ps_header(line, &cols[0], &cols[1], &cols[2]);
    else if (parse_ps_row(line, cols[0], cols[1], cols[2], &out->table[*current]))
        out->table[*current].offset = end;
}

void output_parse(const char *text, size_t len, struct program_output *out)
{
    char line[LINE_MAX_BYTES];
    int current = -1, last_stage = -1, cols[3] = {-1, -1, -1};
    bool header_seen = false;
    struct measure_scan m = {0};
    size_t at = 0, start = 0;
    unsigned long long bytes, addr;

    memset(out, 0, sizeof *out);
    out->in_order = true;
    for (; text_next_line(text, len, &at, line, sizeof line); start = at) {
        /* NUL bytes would cut the line short; so be it, it is not ours. */
        text_trim_end(line);
        scan_measurement(out, &m, line, start, at);
        /* anywhere in the line: a prompt printed with read(2) pauses and
         * no newline is flushed in front of it */
        const char *mapped = strcasestr(line, "mapped ");
        if (mapped && sscanf(mapped + 7, "%llu bytes at 0x%llx", &bytes, &addr) == 2) {
            out->mapped_found = true;
            out->mapped_bytes = bytes;
            out->mapped_addr = addr;
        } else if (strncmp(line, "Read back: ", 11) == 0 && !out->read_back_found) {
            out->read_back_found = true;
            snprintf(out->read_back, sizeof out->read_back, "%.127s", line + 11);
        } else {
            scan_stage(out, &current, &last_stage, &header_seen, cols, line, at);
        }
    }
    if (m.table && m.table->rows == 0)
        out->nmeas--;
}

bool output_find_ps_row(const char *text, size_t len, long pid, struct ps_row *row)
{
    char line[LINE_MAX_BYTES];
    int pid_col = -1, vsz_col = -1, rss_col = -1;
    bool header_seen = false;
    size_t at = 0;

    memset(row, 0, sizeof *row);
    while (text_next_line(text, len, &at, line, sizeof line)) {
        struct ps_row candidate = {0};
        int p, v, r;

        if (output_parse_ps_header(line, &p, &v, &r)) {
            pid_col = p;
            vsz_col = v;
            rss_col = r;
            header_seen = pid_col >= 0;
            continue;
        }
        if (header_seen && parse_ps_row(line, pid_col, vsz_col, rss_col, &candidate) && candidate.has_pid &&
            candidate.pid == pid) {
            *row = candidate;
            row->offset = at;
            return true;
        }
    }
    return false;
}
