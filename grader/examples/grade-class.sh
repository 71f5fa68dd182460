#!/usr/bin/env bash
# Summary: grade every submission of a class folder with mmgrade and print a
#          scoreboard: score, and the checks each one failed.
# Usage: grade-class.sh [--task T]... MMGRADE CLASS_DIR [REFERENCE]
#   --task T    grade task T only (passed on to mmgrade); may be repeated
#   REFERENCE   a submission graded first and marked "(reference)"
set -euo pipefail

readonly PROG=grade-class.sh

die() {
  printf '%s: %s\n' "$PROG" "$*" >&2
  exit 1
}

main() {
  local -a options=()
  while [[ ${1:-} == --task ]]; do
    [[ $# -ge 2 ]] || break
    options+=(--task "$2")
    shift 2
  done
  [[ $# -eq 2 || $# -eq 3 ]] || { printf 'usage: %s [--task T]... MMGRADE CLASS_DIR [REFERENCE]\n' "$PROG" >&2; exit 2; }
  local mmgrade=$1 class=$2
  shift 2
  [[ -x $mmgrade ]] || die "no mmgrade at $mmgrade: build the kit first"
  [[ -d $class ]] || die "no class folder at $class"
  command -v jq >/dev/null || die "jq is not installed (apt-get install jq)"

  local submission name
  WORK=$(mktemp -d)
  trap 'rm -rf "$WORK"' EXIT
  printf '%-24s %9s  %s\n' "submission" "score" "failed checks"
  for submission in "$@" "$class"/*/; do
    submission=${submission%/}
    name=$(basename "$submission")
    [[ $submission == "$class"/* ]] || name="$name (reference)"
    "$mmgrade" "${options[@]}" --format json --output "$WORK/result.json" "$submission" ||
      die "mmgrade could not grade $submission"
    jq -r --arg name "$name" '
      ([.tests[] | select(.status == "failed") | .extra_data | "\(.task)/\(.check)"] | join(" ")) as $failed
      | ([.tests[].max_score] | add) as $max
      | [$name, "\(.score)/\($max)", (if $failed == "" then "-" else $failed end)] | @tsv' "$WORK/result.json" |
      awk -F'\t' '{ printf "%-24s %9s  %s\n", $1, $2, $3 }'
  done
}

main "$@"
