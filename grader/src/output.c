/* output.c - find the stages, ps-style tables and pause lines in what a
 * program printed, however students word and space them. */
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

void output_parse(const char *text, size_t len, struct program_output *out)
{
    char line[LINE_MAX_BYTES];
    int current = -1, last_stage = -1, pid_col = -1, vsz_col = -1, rss_col = -1;
    bool header_seen = false;
    size_t at = 0;

    memset(out, 0, sizeof *out);
    out->in_order = true;
    while (text_next_line(text, len, &at, line, sizeof line)) {
        size_t end = at; /* where the line ends in the output */
        int stage;
        unsigned long long bytes, addr;

        text_trim_end(line);
        /* NUL bytes would cut the line short; so be it, it is not ours. */
        if ((stage = output_stage_of_line(line)) >= 0) {
            if (!out->stage_found[stage]) {
                if (stage < last_stage)
                    out->in_order = false;
                out->stage_found[stage] = true;
                last_stage = stage;
            }
            current = stage;
            header_seen = false;
            continue;
        }
        /* anywhere in the line: a prompt printed with read(2) pauses and
         * no newline is flushed in front of it */
        const char *mapped = strcasestr(line, "mapped ");
        if (mapped && sscanf(mapped + 7, "%llu bytes at 0x%llx", &bytes, &addr) == 2) {
            out->mapped_found = true;
            out->mapped_bytes = bytes;
            out->mapped_addr = addr;
            continue;
        }
        if (strncmp(line, "Read back: ", 11) == 0 && !out->read_back_found) {
            out->read_back_found = true;
            snprintf(out->read_back, sizeof out->read_back, "%.127s", line + 11);
            continue;
        }
        if (current < 0 || out->table[current].found)
            continue;
        if (!header_seen) {
            header_seen = output_parse_ps_header(line, &pid_col, &vsz_col, &rss_col);
        } else if (parse_ps_row(line, pid_col, vsz_col, rss_col, &out->table[current])) {
            out->table[current].offset = end;
        }
    }
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
