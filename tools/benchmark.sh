#!/usr/bin/env bash
# Summary: measure how fast mmgrade grades and how much memory it takes:
#          the reference's five tasks, and the example class.
# Usage: tools/benchmark.sh [RUNS]   (after cmake --workflow --preset test)
#   RUNS  gradings of the reference to take the median of (default 5)
set -euo pipefail

readonly PROG=benchmark.sh
cd "$(dirname "${BASH_SOURCE[0]}")/.."
readonly MMGRADE=build/bin/mmgrade

die() {
  printf '%s: %s\n' "$PROG" "$*" >&2
  exit 1
}

# measure COMMAND...: "SECONDS PEAK_KIB" of one run of COMMAND (peak
# resident set of the largest process, GNU time's %M).
measure() {
  /usr/bin/time -f '%e %M' -o "$WORK/time" "$@" >/dev/null 2>&1 || die "failed: $*"
  cat "$WORK/time"
}

main() {
  local runs=${1:-5} i
  [[ $runs =~ ^[1-9][0-9]*$ ]] || die "RUNS must be a positive number"
  [[ -x $MMGRADE ]] || die "build the kit first: cmake --workflow --preset test"
  [[ -x /usr/bin/time ]] || die "GNU time is not installed (apt-get install time)"
  WORK=$(mktemp -d)
  trap 'rm -rf "$WORK"' EXIT

  for ((i = 0; i < runs; i++)); do
    measure "$MMGRADE" --seed 7 --format json solutions
  done >"$WORK/reference"
  printf 'machine: %s, %s cores, %s\n' "$(uname -m)" "$(nproc)" "$(uname -r)"
  printf 'isolation: %s\n' "$("$MMGRADE" --task 2.4 --format json solutions | jq -r '.tests[0].extra_data.isolation')"
  sort -n "$WORK/reference" | awk -v n="$runs" '
    NR == int((n + 1) / 2) { printf "reference, 5 tasks: median %.2f s of %d runs\n", $1, n }
    $2 > peak { peak = $2 } END { printf "peak RSS of any process of a grading: %d KiB (the 64 MiB run of the program)\n", peak }'
  read -r seconds _ < <(measure "$MMGRADE" batch --force --task 2.3 --out "$WORK/class" grader/examples/class)
  printf 'example class (4 submissions, task 2.3): %.2f s\n' "$seconds"
}

main "$@"
