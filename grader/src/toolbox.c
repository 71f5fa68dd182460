/* toolbox.c - the programs grading runs, found once on PATH and beside
 * mmgrade. */
#define _GNU_SOURCE
#include "toolbox.h"

#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "procfs.h"
#include "xalloc.h"

/* The first executable called name on PATH, by its real path (a link on
 * PATH means nothing inside a sandbox), or NULL. */
static char *find_on_path(const char *name)
{
    const char *path = getenv("PATH");
    char *copy = xstrdup(path ? path : "/usr/bin:/bin"), *dir, *save = NULL, *found = NULL;

    for (dir = strtok_r(copy, ":", &save); dir && !found; dir = strtok_r(NULL, ":", &save)) {
        char candidate[PATH_MAX];

        snprintf(candidate, sizeof candidate, "%s/%s", dir, name);
        if (access(candidate, X_OK) == 0)
            found = realpath(candidate, NULL);
    }
    free(copy);
    return found;
}

/* mmshim.so: MMGRADE_SHIM, or build/lib beside build/bin/mmgrade. */
static char *find_shim(void)
{
    const char *env = getenv("MMGRADE_SHIM");
    char exe[PATH_MAX], path[PATH_MAX + 32];
    ssize_t n;

    if (env)
        return access(env, R_OK) == 0 ? xstrdup(env) : NULL;
    n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0)
        return NULL;
    exe[n] = '\0';
    snprintf(path, sizeof path, "%s/../lib/mmshim.so", dirname(exe));
    return access(path, R_OK) == 0 ? realpath(path, NULL) : NULL;
}

/* A helper program built beside the shim (build/lib), or NULL. */
static char *find_beside_shim(const char *shim, const char *name)
{
    char dir[PATH_MAX], path[PATH_MAX + 64];

    snprintf(dir, sizeof dir, "%s", shim);
    snprintf(path, sizeof path, "%s/%s", dirname(dir), name);
    return access(path, X_OK) == 0 ? xstrdup(path) : NULL;
}

bool toolbox_find(struct toolbox *tb, char *why, size_t cap)
{
    struct proc_status self;

    memset(tb, 0, sizeof *tb);
    if (!status_read(getpid(), &self))
        snprintf(why, cap, "/proc is not mounted or not readable");
    else if (!(tb->gcc = find_on_path("gcc")))
        snprintf(why, cap, "gcc is not installed (apt-get install gcc)");
    else if (!(tb->bash = find_on_path("bash")))
        snprintf(why, cap, "bash is not installed (apt-get install bash)");
    else if (!(tb->shim = find_shim()))
        snprintf(why, cap, "mmshim.so not found beside mmgrade (build/lib) nor in MMGRADE_SHIM");
    else if (!(tb->init = find_beside_shim(tb->shim, "mminit")))
        snprintf(why, cap, "mminit not found beside mmshim.so (%s)", tb->shim);
    else {
        tb->valgrind = find_on_path("valgrind");
        tb->shellcheck = find_on_path("shellcheck");
        tb->target = find_beside_shim(tb->shim, "mmtarget");
        tb->bwrap = find_on_path("bwrap");
        tb->setpriv = find_on_path("setpriv");
        return true;
    }
    toolbox_free(tb);
    return false;
}

void toolbox_free(struct toolbox *tb)
{
    char *all[] = {tb->gcc,        tb->bash,   tb->shim,  tb->init,   tb->valgrind,
                   tb->shellcheck, tb->target, tb->bwrap, tb->setpriv};

    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
        free(all[i]);
    memset(tb, 0, sizeof *tb);
}
