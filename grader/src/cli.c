/* cli.c - the command line as tables: getopt_long's parsing and --help,
 * both made from each command's options. */
#define _GNU_SOURCE
#include "cli.h"

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

#define HELP_WIDTH 80
#define OPTION_COLUMN 19 /* where an option's help starts */

/* One synopsis item: "[--task T]...". */
static void option_item(const struct cli_option *o, char *buf, size_t cap)
{
    const char *value = o->choices ? o->choices : o->value;

    snprintf(buf, cap, "[--%s%s%s]%s", o->name, value ? " " : "", value ? value : "", o->repeats ? "..." : "");
}

void cli_synopsis(const struct cli_command *cmd, const char *prefix, FILE *out)
{
    char item[128], head[64];
    size_t col, indent;

    snprintf(head, sizeof head, "%smmgrade%s%s", prefix, cmd->name ? " " : "", cmd->name ? cmd->name : "");
    fputs(head, out);
    col = indent = strlen(head);
    for (size_t i = 0; i <= cmd->noptions; i++) {
        if (i < cmd->noptions)
            option_item(&cmd->options[i], item, sizeof item);
        else if (cmd->operands)
            snprintf(item, sizeof item, "%s", cmd->operands);
        else
            break;
        if (col + 1 + strlen(item) > HELP_WIDTH) {
            fprintf(out, "\n%*s", (int)indent, "");
            col = indent;
        }
        col += (size_t)fprintf(out, " %s", item);
    }
    fputc('\n', out);
}

static void option_help(const struct cli_option *o, FILE *out)
{
    char head[64];
    const char *line = o->help;

    if (o->letter)
        snprintf(head, sizeof head, "  -%c, --%s%s%s", o->letter, o->name, o->value ? " " : "", o->value ? o->value : "");
    else
        snprintf(head, sizeof head, "  --%s%s%s", o->name, o->value ? " " : "", o->value ? o->value : "");
    for (bool first = true; line; first = false) {
        const char *nl = strchr(line, '\n');
        int n = nl ? (int)(nl - line) : (int)strlen(line);

        if (first && strlen(head) + 1 < OPTION_COLUMN)
            fprintf(out, "%-*s%.*s\n", OPTION_COLUMN, head, n, line);
        else if (first)
            fprintf(out, "%s\n%*s%.*s\n", head, OPTION_COLUMN, "", n, line);
        else
            fprintf(out, "%*s%.*s\n", OPTION_COLUMN, "", n, line);
        line = nl ? nl + 1 : NULL;
    }
}

void cli_help(const struct cli_command *cmd, FILE *out)
{
    cli_synopsis(cmd, "usage: ", out);
    if (cmd->about)
        fprintf(out, "\n%s", cmd->about);
    fputc('\n', out);
    for (size_t i = 0; i < cmd->noptions; i++)
        option_help(&cmd->options[i], out);
    option_help(&(struct cli_option){.name = "help", .letter = 'h', .help = "this help"}, out);
    if (cmd->after)
        fprintf(out, "\n%s", cmd->after);
}

int cli_parse(const struct cli_command *cmd, int argc, char **argv,
              bool (*handle)(int id, const char *value, void *ctx), void *ctx)
{
    struct option *longs = xcalloc(cmd->noptions + 2, sizeof *longs);
    char shorts[64] = "+h";
    size_t ns = 2;
    int opt, index = -1;

    for (size_t i = 0; i < cmd->noptions; i++) {
        const struct cli_option *o = &cmd->options[i];

        longs[i] = (struct option){o->name, o->value ? required_argument : no_argument, NULL, (int)i + 256};
        if (o->letter && ns + 3 < sizeof shorts) {
            shorts[ns++] = o->letter;
            if (o->value)
                shorts[ns++] = ':';
        }
    }
    longs[cmd->noptions] = (struct option){"help", no_argument, NULL, 'h'};
    shorts[ns] = '\0';
    optind = 1;
    while ((opt = getopt_long(argc, argv, shorts, longs, NULL)) != -1) {
        const struct cli_option *o = NULL;

        if (opt == 'h') {
            cli_help(cmd, stdout);
            exit(0);
        }
        for (size_t i = 0; i < cmd->noptions; i++)
            if (opt == (int)i + 256 || (cmd->options[i].letter && opt == cmd->options[i].letter))
                o = &cmd->options[i];
        if (!o || !handle(o->id, optarg, ctx)) {
            if (!o)
                cli_synopsis(cmd, "usage: ", stderr);
            free(longs);
            return -1;
        }
    }
    index = optind;
    free(longs);
    return index;
}

bool cli_number(const char *text, double min, double max, bool whole, double *out)
{
    char *end;
    double n;

    errno = 0;
    n = strtod(text, &end);
    if (errno || end == text || *end || isnan(n) || n < min || n > max || (whole && n != floor(n)))
        return false;
    *out = n;
    return true;
}

void cli_vcomplain(const char *fmt, va_list ap)
{
    fprintf(stderr, "mmgrade: ");
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
}

bool cli_complain(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    cli_vcomplain(fmt, ap);
    va_end(ap);
    return false;
}
