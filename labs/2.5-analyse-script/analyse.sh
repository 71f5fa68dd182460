#!/usr/bin/env bash
# Summary: show the memory of a running process: its ps row and its memory map.
# Usage: bash analyse.sh PID
#
# Contract (docs/contract.md, task 2.5):
#   prints the `ps -o pid,vsz,rss,comm` table for PID, then the lines of
#   /proc/PID/maps verbatim. Wrong arguments: usage on stderr, exit 2.
#   No such process, or unreadable: a message on stderr, exit 1.
#   Writes no files; shellcheck-clean.
set -euo pipefail

readonly PROG=analyse.sh

print_usage() {
  printf 'usage: %s PID\n' "$PROG"
}

die() {
  printf '%s: %s\n' "$PROG" "$*" >&2
  exit 1
}

main() {
  # TODO: when there is not exactly one argument, or it is not made of
  #       digits only ([[ $1 =~ ^[0-9]+$ ]]), print the usage on stderr
  #       and exit 2.
  local pid=${1:-}

  [[ -d /proc/$pid ]] || die "no process with PID $pid"

  # TODO: print the ps table: ps -o pid,vsz,rss,comm -p "$pid"

  # TODO: print /proc/$pid/maps; if it cannot be read, call die with a
  #       message that says so.
}

main "$@"
