/* test_sandbox.c - the launch plans the sandbox's rules make: what runs,
 * with which options, as which user, with which environment. */
#include <stdlib.h>
#include <unistd.h>

#include "sandbox.h"
#include "unit.h"

static char *const argv[] = {"/scratch/2.3/mmap_demo", "4096", NULL};
static char *const base_env[] = {"PATH=/usr/bin:/bin", "LC_ALL=C", NULL};
static char *const shim_env[] = {"LD_PRELOAD=/kit/lib/mmshim.so", "MMSHIM_LOG_FD=63", NULL};

/* The index of the first of n consecutive arguments equal to want, or -1. */
static int find_args(const struct launch *l, const char *const *want, size_t n)
{
    for (size_t i = 0; i + n <= l->argv.count; i++) {
        size_t k = 0;

        while (k < n && strcmp(l->argv.items[i + k], want[k]) == 0)
            k++;
        if (k == n)
            return (int)i;
    }
    return -1;
}

#define EXPECT_ARGS(l, ...)                                                                                    \
    do {                                                                                                       \
        const char *want_[] = {__VA_ARGS__};                                                                   \
        if (find_args(l, want_, sizeof want_ / sizeof want_[0]) < 0)                                            \
            fail_msg("launch argv lacks %s ...", want_[0]);                                                    \
    } while (0)
#define REFUTE_ARGS(l, ...)                                                                                    \
    do {                                                                                                       \
        const char *want_[] = {__VA_ARGS__};                                                                   \
        if (find_args(l, want_, sizeof want_ / sizeof want_[0]) >= 0)                                           \
            fail_msg("launch argv has %s, which it should not", want_[0]);                                     \
    } while (0)

static void runs_the_program_itself_without_a_sandbox(void **state)
{
    struct launch l;

    (void)state;
    sandbox_launch(NULL, "/scratch/2.3", argv, base_env, shim_env, 62, &l);
    EXPECT_STR(l.path, "/scratch/2.3/mmap_demo");
    EXPECT_LONG(l.argv.count, 2);
    EXPECT_STR(l.argv.items[1], "4096");
    EXPECT_TRUE(l.argv.items[2] == NULL);
    /* the shim's variables go straight into its environment */
    EXPECT_LONG(l.envp.count, 4);
    EXPECT_STR(l.envp.items[2], "LD_PRELOAD=/kit/lib/mmshim.so");
    EXPECT_FALSE(l.drop_user);
    EXPECT_FALSE(l.via_bwrap);
    EXPECT_TRUE(launch_enter(&l)); /* nothing to drop, no /tmp to give */
    launch_free(&l);
}

static void drops_to_nobody_itself_without_bwrap(void **state)
{
    struct sandbox sb = {.uid = 65534, .gid = 65534};
    struct launch l;

    (void)state;
    sandbox_launch(&sb, "/scratch/2.3", argv, base_env, shim_env, 62, &l);
    EXPECT_STR(l.path, "/scratch/2.3/mmap_demo");
    EXPECT_TRUE(l.drop_user);
    EXPECT_LONG(l.uid, 65534);
    EXPECT_TRUE(l.own_user); /* nobody runs nothing else: a process limit fits */
    launch_free(&l);
}

static void confines_as_nobody_through_bwrap_and_setpriv_when_root(void **state)
{
    struct sandbox sb = {.bwrap = "/usr/bin/bwrap", .setpriv = "/usr/bin/setpriv", .uid = 65534, .gid = 65534,
                         .own_pid_ns = true, .ro_paths = {"/kit/lib/mmshim.so"}};
    struct launch l;

    (void)state;
    sandbox_launch(&sb, "/tmp/mmgrade.x/2.3", argv, base_env, shim_env, 62, &l);
    EXPECT_STR(l.path, "/usr/bin/bwrap");
    EXPECT_TRUE(l.via_bwrap);
    EXPECT_FALSE(l.drop_user); /* setpriv does, inside */
    REFUTE_ARGS(&l, "--unshare-user"); /* privileged bwrap: the host's user namespace */
    EXPECT_ARGS(&l, "--unshare-net");
    EXPECT_ARGS(&l, "--ro-bind", "/usr", "/usr");
    EXPECT_ARGS(&l, "--unshare-pid", "--as-pid-1");
    EXPECT_ARGS(&l, "--proc", "/proc");
    REFUTE_ARGS(&l, "--ro-bind", "/proc", "/proc");
    /* the shim's folders made crossable, the shim bound read-only */
    EXPECT_ARGS(&l, "--perms", "0755", "--dir", "/kit");
    EXPECT_ARGS(&l, "--perms", "0755", "--dir", "/kit/lib");
    EXPECT_ARGS(&l, "--ro-bind", "/kit/lib/mmshim.so", "/kit/lib/mmshim.so");
    /* /tmp is the sandbox's own: never made a folder of */
    REFUTE_ARGS(&l, "--dir", "/tmp");
    EXPECT_ARGS(&l, "--bind", "/tmp/mmgrade.x/2.3", "/tmp/mmgrade.x/2.3");
    EXPECT_ARGS(&l, "--info-fd", "62");
    EXPECT_ARGS(&l, "--", "/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups");
    /* setpriv must not load the shim: env hands its variables to the program */
    EXPECT_ARGS(&l, "--no-new-privs", "--", "env", "LD_PRELOAD=/kit/lib/mmshim.so", "MMSHIM_LOG_FD=63",
                "/scratch/2.3/mmap_demo", "4096");
    EXPECT_LONG(l.envp.count, 2);
    launch_free(&l);
}

static void gives_the_program_its_variables_through_bwrap_in_a_user_namespace(void **state)
{
    struct sandbox sb = {.bwrap = "/usr/bin/bwrap", .uid = (uid_t)-1, .gid = (gid_t)-1};
    struct launch l;

    (void)state;
    sandbox_launch(&sb, "/tmp/mmgrade.x/2.5/work", argv, base_env, shim_env, -1, &l);
    EXPECT_ARGS(&l, "--unshare-user");
    /* the host's PID namespace, and its /proc, read-only */
    EXPECT_ARGS(&l, "--ro-bind", "/proc", "/proc");
    REFUTE_ARGS(&l, "--unshare-pid");
    REFUTE_ARGS(&l, "--info-fd");
    EXPECT_ARGS(&l, "--setenv", "LD_PRELOAD", "/kit/lib/mmshim.so");
    EXPECT_ARGS(&l, "--setenv", "MMSHIM_LOG_FD", "63");
    EXPECT_ARGS(&l, "--", "/scratch/2.3/mmap_demo", "4096");
    REFUTE_ARGS(&l, "/usr/bin/setpriv");
    EXPECT_FALSE(l.own_user);
    launch_free(&l);
}

static void mirrors_the_top_folders_as_this_machine_has_them(void **state)
{
    struct sandbox sb = {.bwrap = "/usr/bin/bwrap", .uid = (uid_t)-1, .gid = (gid_t)-1};
    char target[256];
    ssize_t n = readlink("/bin", target, sizeof target - 1);
    struct launch l;

    (void)state;
    sandbox_launch(&sb, "/tmp/w", argv, base_env, NULL, -1, &l);
    if (n > 0) { /* merged /usr: /bin is a link */
        target[n] = '\0';
        EXPECT_ARGS(&l, "--symlink", target, "/bin");
    } else {
        EXPECT_ARGS(&l, "--ro-bind", "/bin", "/bin");
    }
    launch_free(&l);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(runs_the_program_itself_without_a_sandbox),
        cmocka_unit_test(drops_to_nobody_itself_without_bwrap),
        cmocka_unit_test(confines_as_nobody_through_bwrap_and_setpriv_when_root),
        cmocka_unit_test(gives_the_program_its_variables_through_bwrap_in_a_user_namespace),
        cmocka_unit_test(mirrors_the_top_folders_as_this_machine_has_them),
    };

    return cmocka_run_group_tests_name("sandbox", tests, NULL, NULL);
}
