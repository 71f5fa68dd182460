/* batch.h - a class at once: `mmgrade batch` grades every submission of a
 * class folder, N at a time, each exactly as `mmgrade` grades one, and
 * writes the gradebook; `mmgrade merge` joins the outputs of shards. */
#ifndef MMGRADE_BATCH_H
#define MMGRADE_BATCH_H

#include "../cli.h"

extern const struct cli_command batch_command, merge_command;

/* The commands, from their own argv ("batch" in argv[0]); each returns
 * the process's exit status. */
int batch_main(int argc, char **argv);
int merge_main(int argc, char **argv);

#endif
