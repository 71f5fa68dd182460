/* cli.h - the command line as tables: each command's options, with their
 * help beside them, from which both getopt_long's parsing and --help are
 * made, so that the two cannot drift apart; and the one check of every
 * number given on it. */
#ifndef MMGRADE_CLI_H
#define MMGRADE_CLI_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct cli_option {
    int id;              /* what cli_parse hands back */
    const char *name;    /* --name */
    char letter;         /* -l, or 0 */
    const char *value;   /* the value's name in the option list ("N"), NULL: a flag */
    const char *choices; /* the value in the synopsis ("text|json"), NULL: value */
    bool repeats;        /* may be given again: "[--task T]..." */
    const char *help;    /* its lines, "\n" between them */
};

struct cli_command {
    const char *name;     /* "batch"; NULL: the command run without a name */
    const char *operands; /* "SUBMISSION", NULL: none */
    const struct cli_option *options;
    size_t noptions;
    const char *about;    /* what it does, before the option list */
    const char *after;    /* exit status, environment, ..., after it */
};

/* The synopsis line(s) of cmd: "mmgrade [--task T]... SUBMISSION",
 * wrapped as --help shows them, each line starting with prefix (the first)
 * or as many spaces. */
void cli_synopsis(const struct cli_command *cmd, const char *prefix, FILE *out);
/* cmd's whole help: synopsis, about, options, after. */
void cli_help(const struct cli_command *cmd, FILE *out);
/* Reads argv's options as cmd's table says, calling handle for each;
 * returns the index of the first operand, or -1 after saying what is wrong
 * on stderr (an unknown option, a missing value, or handle's false). */
int cli_parse(const struct cli_command *cmd, int argc, char **argv,
              bool (*handle)(int id, const char *value, void *ctx), void *ctx);

/* Says "mmgrade: " and what is wrong on stderr; false, for the caller to
 * return. */
bool cli_complain(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void cli_vcomplain(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));

/* The number text says, when it is one from min to max (whole, when
 * whole); false otherwise. */
bool cli_number(const char *text, double min, double max, bool whole, double *out);

#endif
