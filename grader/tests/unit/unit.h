/* unit.h - cmocka, with checks that print what a test got and what it
 * expected, and the expression they were about. */
#ifndef MMGRADE_UNIT_H
#define MMGRADE_UNIT_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#define EXPECT_LONG(got, want)                                                                                 \
    do {                                                                                                       \
        long long got_ = (long long)(got), want_ = (long long)(want);                                          \
        if (got_ != want_)                                                                                     \
            fail_msg("%s\n  got:      %lld\n  expected: %lld", #got, got_, want_);                             \
    } while (0)

#define EXPECT_HEX(got, want)                                                                                  \
    do {                                                                                                       \
        unsigned long long got_ = (unsigned long long)(got), want_ = (unsigned long long)(want);               \
        if (got_ != want_)                                                                                     \
            fail_msg("%s\n  got:      0x%llx\n  expected: 0x%llx", #got, got_, want_);                         \
    } while (0)

#define EXPECT_TRUE(cond)                                                                                      \
    do {                                                                                                       \
        if (!(cond))                                                                                           \
            fail_msg("%s\n  got:      false\n  expected: true", #cond);                                        \
    } while (0)

#define EXPECT_FALSE(cond)                                                                                     \
    do {                                                                                                       \
        if (cond)                                                                                              \
            fail_msg("%s\n  got:      true\n  expected: false", #cond);                                        \
    } while (0)

#define EXPECT_STR(got, want)                                                                                  \
    do {                                                                                                       \
        const char *got_ = (got), *want_ = (want);                                                             \
        if (!got_ || strcmp(got_, want_) != 0)                                                                 \
            fail_msg("%s\n  got:      \"%s\"\n  expected: \"%s\"", #got, got_ ? got_ : "(null)", want_);       \
    } while (0)

/* got contains want somewhere. */
#define EXPECT_CONTAINS(got, want)                                                                             \
    do {                                                                                                       \
        const char *got_ = (got), *want_ = (want);                                                             \
        if (!got_ || !strstr(got_, want_))                                                                     \
            fail_msg("%s\n  got:      \"%s\"\n  expected it to contain: \"%s\"", #got, got_ ? got_ : "(null)", \
                     want_);                                                                                   \
    } while (0)

#endif
