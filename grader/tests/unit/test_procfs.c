/* test_procfs.c - the /proc parsers on real and malformed text. */
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "files.h"
#include "procfs.h"
#include "unit.h"

static void parses_an_anonymous_maps_line(void **state)
{
    struct maps_region r;

    (void)state;
    EXPECT_TRUE(maps_parse_line("7f70be6ae000-7f70be6b1000 rw-p 00000000 00:00 0 \n", &r));
    EXPECT_HEX(r.start, 0x7f70be6ae000);
    EXPECT_HEX(r.end, 0x7f70be6b1000);
    EXPECT_STR(r.perms, "rw-p");
    EXPECT_LONG(r.inode, 0);
    EXPECT_STR(r.name, "");
}

static void keeps_spaces_and_deleted_in_a_path(void **state)
{
    struct maps_region r;

    (void)state;
    EXPECT_TRUE(maps_parse_line("55d0c2a00000-55d0c2a01000 r-xp 00001000 fd:01 1311 /home/a b/prog (deleted)", &r));
    EXPECT_STR(r.name, "/home/a b/prog (deleted)");
    EXPECT_HEX(r.offset, 0x1000);
    EXPECT_LONG(r.dev_major, 0xfd);
    EXPECT_LONG(r.dev_minor, 1);
    EXPECT_LONG(r.inode, 1311);
}

static void cuts_a_long_name_to_its_buffer(void **state)
{
    char line[400];
    struct maps_region r;

    (void)state;
    memset(line, 'x', sizeof line);
    memcpy(line, "1000-2000 rw-p 00000000 00:00 0   /", 35);
    line[sizeof line - 1] = '\0';
    EXPECT_TRUE(maps_parse_line(line, &r));
    EXPECT_LONG(strlen(r.name), sizeof r.name - 1);
}

static void rejects_malformed_maps_lines(void **state)
{
    static const char *const bad[] = {
        "",
        "hello world",
        "2000-1000 rw-p 00000000 00:00 0",      /* end before start */
        "1000-1000 rw-p 00000000 00:00 0",      /* empty */
        "1000-2000 rw-p 00000000 00:00",        /* no inode */
        "1000-2000 rw 00000000 00:00 0",        /* short perms */
        "1000-2000 rw-pp 00000000 00:00 0",     /* long perms */
        "zz00-2000 rw-p 00000000 00:00 0",
    };
    struct maps_region r;

    (void)state;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (maps_parse_line(bad[i], &r))
            fail_msg("maps_parse_line(\"%s\")\n  got:      true\n  expected: false", bad[i]);
}

static void parses_a_maps_file_and_rejects_one_bad_line(void **state)
{
    struct maps m;

    (void)state;
    EXPECT_TRUE(maps_parse("1000-2000 r--p 00000000 fd:01 7 /bin/x\n2000-5000 rw-p 00000000 00:00 0 \n"
                           "7ffc0000-7ffc1000 rw-p 00000000 00:00 0                          [stack]\n",
                           &m));
    EXPECT_LONG(m.count, 3);
    EXPECT_STR(m.regions[2].name, "[stack]");
    EXPECT_TRUE(maps_find(&m, 0x4fff) == &m.regions[1]);
    EXPECT_TRUE(maps_find(&m, 0x5000) == NULL);
    maps_free(&m);
    EXPECT_FALSE(maps_parse("1000-2000 r--p 00000000 fd:01 7 /bin/x\nnot a maps line\n", &m));
    maps_free(&m);
}

/* The kernel merges a new anonymous mapping with an adjacent one of the
 * same flags, or splits it: coverage is judged by interval, not by line. */
static void covers_a_range_merged_with_a_neighbour_or_split(void **state)
{
    struct maps merged, split, gap, file, readonly, shared, named;

    (void)state;
    EXPECT_TRUE(maps_parse("1000-9000 rw-p 00000000 00:00 0 \n", &merged));
    EXPECT_TRUE(maps_covers_anon_rw(&merged, 0x3000, 0x5000));
    EXPECT_TRUE(maps_parse("1000-3000 rw-p 00000000 00:00 0 \n3000-6000 rw-p 00000000 00:00 0 [anon:x]\n", &split));
    EXPECT_TRUE(maps_covers_anon_rw(&split, 0x2000, 0x6000));
    EXPECT_FALSE(maps_covers_anon_rw(&split, 0x2000, 0x7000));
    EXPECT_TRUE(maps_parse("1000-3000 rw-p 00000000 00:00 0 \n4000-6000 rw-p 00000000 00:00 0 \n", &gap));
    EXPECT_FALSE(maps_covers_anon_rw(&gap, 0x2000, 0x5000));
    EXPECT_TRUE(maps_parse("1000-3000 rw-p 00000000 fd:01 42 /tmp/f\n", &file));
    EXPECT_FALSE(maps_covers_anon_rw(&file, 0x1000, 0x2000));
    EXPECT_TRUE(maps_parse("1000-3000 r--p 00000000 00:00 0 \n", &readonly));
    EXPECT_FALSE(maps_covers_anon_rw(&readonly, 0x1000, 0x2000));
    EXPECT_TRUE(maps_parse("1000-3000 rw-s 00000000 00:01 9 /dev/zero (deleted)\n", &shared));
    EXPECT_FALSE(maps_covers_anon_rw(&shared, 0x1000, 0x2000));
    EXPECT_TRUE(maps_parse("1000-3000 rw-p 00000000 00:00 0 [heap]\n", &named));
    EXPECT_FALSE(maps_covers_anon_rw(&named, 0x1000, 0x2000));
    maps_free(&merged);
    maps_free(&split);
    maps_free(&gap);
    maps_free(&file);
    maps_free(&readonly);
    maps_free(&shared);
    maps_free(&named);
}

static void reads_sizes_and_the_innermost_pid_from_status(void **state)
{
    struct proc_status s;

    (void)state;
    EXPECT_TRUE(status_parse("Name:\tmmap_demo\nPid:\t4321\nNSpid:\t4321\t17\t3\nVmPeak:\t   70000 kB\n"
                             "VmSize:\t   68036 kB\nVmRSS:\t    1572 kB\n",
                             &s));
    EXPECT_LONG(s.vm_size_kib, 68036);
    EXPECT_LONG(s.vm_rss_kib, 1572);
    EXPECT_LONG(s.nspid, 3);
}

static void rejects_a_status_without_memory_lines(void **state)
{
    struct proc_status s;

    (void)state;
    /* a zombie or a kernel thread has no VmSize */
    EXPECT_FALSE(status_parse("Name:\tkthreadd\nPid:\t2\nNSpid:\t2\n", &s));
    EXPECT_FALSE(status_parse("", &s));
    EXPECT_FALSE(status_parse("VmSize:\tlots kB\nVmRSS:\t1 kB\nNSpid:\t5\n", &s));
}

static void reads_its_own_status(void **state)
{
    struct proc_status s;

    (void)state;
    EXPECT_TRUE(status_read(getpid(), &s));
    EXPECT_TRUE(s.vm_size_kib > 0 && s.vm_rss_kib > 0);
    EXPECT_FALSE(status_read(0, &s));
}

static void slurps_no_more_than_asked(void **state)
{
    size_t len = 0;
    char *text = files_read("/proc/self/maps", 100, &len);

    (void)state;
    EXPECT_TRUE(text != NULL);
    EXPECT_LONG(len, 100);
    EXPECT_LONG(strlen(text), 100);
    free(text);
    EXPECT_TRUE(files_read("/nonexistent/file", 100, &len) == NULL);
}

static void counts_own_pages_and_those_holding_only_zeros(void **state)
{
    long page = sysconf(_SC_PAGESIZE);
    volatile char *p = mmap(NULL, 6 * (size_t)page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    struct page_counts counts, plain;
    size_t read_allocated;
    char sink = 0;

    (void)state;
    EXPECT_TRUE(p != MAP_FAILED);
    /* pages 0-1 written with data, 2 written with zeros, 3 only read, 4-5 untouched */
    p[0] = 'A';
    p[page] = 'B';
    p[2 * page] = 0;
    sink = p[3 * page];
    (void)sink;
    EXPECT_TRUE(pagemap_count_own(getpid(), (uint64_t)(uintptr_t)p, (uint64_t)(uintptr_t)p + 6 * (uint64_t)page, page,
                                  true, &counts));
    /* the read page counts only on a kernel where a read allocates */
    read_allocated = counts.own - 3;
    EXPECT_LONG(counts.total, 6);
    EXPECT_TRUE(read_allocated <= 1);
    EXPECT_LONG(counts.own_zero, 1 + read_allocated);
    EXPECT_TRUE(pagemap_count_own(getpid(), (uint64_t)(uintptr_t)p, (uint64_t)(uintptr_t)p + 6 * (uint64_t)page, page,
                                  false, &plain));
    EXPECT_LONG(plain.own, counts.own);
    EXPECT_LONG(plain.own_zero, 0);
    /* reading the pages did not fault the untouched ones in */
    EXPECT_TRUE(pagemap_count_own(getpid(), (uint64_t)(uintptr_t)p + 4 * (uint64_t)page,
                                  (uint64_t)(uintptr_t)p + 6 * (uint64_t)page, page, true, &counts));
    EXPECT_LONG(counts.own, 0);
    munmap((void *)p, 6 * (size_t)page);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(parses_an_anonymous_maps_line),
        cmocka_unit_test(keeps_spaces_and_deleted_in_a_path),
        cmocka_unit_test(cuts_a_long_name_to_its_buffer),
        cmocka_unit_test(rejects_malformed_maps_lines),
        cmocka_unit_test(parses_a_maps_file_and_rejects_one_bad_line),
        cmocka_unit_test(covers_a_range_merged_with_a_neighbour_or_split),
        cmocka_unit_test(reads_sizes_and_the_innermost_pid_from_status),
        cmocka_unit_test(rejects_a_status_without_memory_lines),
        cmocka_unit_test(reads_its_own_status),
        cmocka_unit_test(slurps_no_more_than_asked),
        cmocka_unit_test(counts_own_pages_and_those_holding_only_zeros),
    };

    return cmocka_run_group_tests_name("procfs", tests, NULL, NULL);
}
