/* tolerances.h - how far apart two measurements may be and still agree:
 * the contract's tolerances, one place for every judge (docs/grader.md
 * says where each number comes from). */
#ifndef MMGRADE_TOLERANCES_H
#define MMGRADE_TOLERANCES_H

/* Mapped into the small-size run before main: genuine tables move by as much. */
#define BALLAST_KIB (16 * 1024)
/* A printed table against /proc at a pause: stdio buffers, heap creation,
 * fault-around and a program reading /proc/self/status through stdio. */
#define HONEST_TOLERANCE_KIB 512
/* RSS may rise this much at mmap without a page of the mapping written. */
#define RSS_AT_MMAP_SLACK_KIB 1024
/* A table printed while system() runs ps may count the ~36 KiB stack glibc's
 * posix_spawn maps for a moment: VSZ readings of one run differ by that much
 * without the program mapping anything. */
#define VSZ_NOISE_KIB 64
/* From this size of mapping on, a report's RSS steps are judged. */
#define LARGE_MAPPING_KIB 1024

#endif
