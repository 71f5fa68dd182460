#!/usr/bin/env bash
# Summary: show the memory of a running process: its ps row, its memory map
#          and how much of each anonymous region is resident.
# Usage: analyse.sh PID
#        analyse.sh --help
set -euo pipefail

readonly PROG=analyse.sh

print_usage() {
  printf 'usage: %s PID\n' "$PROG"
}

print_help() {
  print_usage
  cat <<'HELP'

Shows, for the process PID:
  1. its ps row (PID, VSZ and RSS in KiB, command),
  2. its memory map, the lines of /proc/PID/maps as the kernel prints them,
  3. a summary of its anonymous regions: size and resident KiB from
     /proc/PID/smaps.

Exit status: 0 on success, 1 when the process does not exist or cannot be
read, 2 when the arguments are wrong.
HELP
}

die() {
  printf '%s: %s\n' "$PROG" "$*" >&2
  exit 1
}

# Reads smaps on stdin; prints one line per anonymous region: range, perms, size, rss.
# A region is anonymous when its inode is 0 (heap, stack and plain mmap);
# the kernel's own [vvar], [vdso] and [vsyscall] pages are left out.
summarise_anonymous() {
  awk '
    /^[0-9a-f]+-[0-9a-f]+ / {
      range = $1; perms = $2; name = $6
      anon = ($5 == "0" && name !~ /^\[v/)
      next
    }
    anon && $1 == "Size:" { size = $2 }
    anon && $1 == "Rss:" {
      line = sprintf("%-33s %s %10d %10d", range, perms, size, $2)
      print (name == "" ? line : line "  " name)
      total_size += size; total_rss += $2
    }
    END { printf "%-33s %4s %10d %10d\n", "total", "", total_size, total_rss }
  '
}

main() {
  if [[ $# -eq 1 && ( $1 == --help || $1 == -h ) ]]; then
    print_help
    return 0
  fi
  if [[ $# -ne 1 || ! $1 =~ ^[0-9]+$ ]]; then
    print_usage >&2
    exit 2
  fi
  local pid=$1 maps smaps
  [[ -d /proc/$pid ]] || die "no process with PID $pid"
  # Read maps once, before anything else: a test with -r can say yes and
  # the read still be refused (another user's process), and the process
  # may exit at any moment.
  maps=$(cat "/proc/$pid/maps" 2>/dev/null) ||
    die "cannot read /proc/$pid/maps (not your process, or it has exited)"
  [[ -n $maps ]] || die "process $pid has no memory map (a kernel thread?)"

  echo "== ps =="
  ps -o pid,vsz,rss,comm -p "$pid" || die "process $pid has exited"
  echo
  echo "== /proc/$pid/maps =="
  printf '%s\n' "$maps"
  echo
  echo "== anonymous regions (KiB) =="
  smaps=$(cat "/proc/$pid/smaps" 2>/dev/null) ||
    die "cannot read /proc/$pid/smaps (it has exited)"
  printf '%-33s %4s %10s %10s  %s\n' "range" "perm" "size" "resident" "name"
  summarise_anonymous <<<"$smaps"
}

main "$@"
