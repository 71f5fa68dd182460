#!/usr/bin/env bash
# Summary: grade every submission of a class folder with mmgrade; print a
#          scoreboard, and write a gradebook (CSV) and a class report (HTML).
# Usage: grade-class.sh [--task T]... [--csv FILE] [--html FILE] MMGRADE CLASS_DIR [REFERENCE]
#   --task T     grade task T only (passed on to mmgrade); may be repeated
#   --csv FILE   write the gradebook: one row per submission, a column per check
#   --html FILE  write the class report: scores, and how the class did on each check
#   REFERENCE    a submission graded first and marked "(reference)"
set -euo pipefail

readonly PROG=grade-class.sh

die() {
  printf '%s: %s\n' "$PROG" "$*" >&2
  exit 1
}

usage() {
  printf 'usage: %s [--task T]... [--csv FILE] [--html FILE] MMGRADE CLASS_DIR [REFERENCE]\n' "$PROG" >&2
  exit 2
}

# gradebook RESULTS...: CSV of each results.json, named by its file.
gradebook() {
  jq -rs '
    (.[0].tests | map("\(.extra_data.task) \(.extra_data.check)")) as $checks
    | (["submission", "score", "max_score", "isolation"] + $checks | @csv),
      (.[] | . as $r
        | [$r.name, $r.score, ([$r.tests[].max_score] | add), $r.tests[0].extra_data.isolation]
          + [$checks[] as $c | ($r.tests[] | select("\(.extra_data.task) \(.extra_data.check)" == $c) | .score)]
        | @csv)' "$@"
}

# class_report RESULTS...: a self-contained HTML page of the class's results.
class_report() {
  jq -rs '
    def pct(a; b): if b == 0 then 0 else (100 * a / b | floor) end;
    (.[0].tests | map({key: "\(.extra_data.task) \(.extra_data.check)", name})) as $checks
    | (map(select(.reference | not))) as $class
    | ($class | length) as $n
    | ($class | map(.score) | sort) as $scores
    | ([.[0].tests[].max_score] | add) as $max
    | "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>mmlab: class report</title>
<style>
body{font:15px/1.4 system-ui,sans-serif;margin:2em auto;max-width:70em;color:#222}
h1{font-size:1.5em}h2{font-size:1.2em;margin-top:2em}
table{border-collapse:collapse;width:100%}td,th{padding:.25em .6em;border-bottom:1px solid #ddd;text-align:left}
td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.bar{background:#e8e8e8;height:1em;width:14em;position:relative}
.bar span{display:block;height:100%;background:#3a7bd5}
.bar.low span{background:#d9534f}
td.ok{color:#2e7d32}td.ko{color:#c62828;font-weight:bold}td.nr{color:#b26a00}
.matrix td,.matrix th{text-align:center;font-size:13px;padding:.2em}
.matrix th.check{writing-mode:vertical-rl;transform:rotate(180deg);height:9em;font-weight:normal}
.matrix td.name{text-align:left;white-space:nowrap}
</style></head><body>
<h1>Class report</h1>
<p>\($n) submission(s), graded by mmgrade out of \($max) points\(if $n > 0 then "; median \($scores[($n / 2 | floor)]),
lowest \($scores[0]), highest \($scores[-1])" else "" end). Isolation: \(.[0].tests[0].extra_data.isolation | @html).
The reference, if any, is listed but not counted.</p>
<h2>Scores</h2>
<table><tr><th>Submission</th><th>Score</th><th></th></tr>
\(map("<tr><td>\(.name | @html)</td><td class=\"num\">\(.score)/\($max)</td><td><div class=\"bar\(if pct(.score; $max) < 50 then " low" else "" end)\"><span style=\"width:\(pct(.score; $max))%\"></span></div></td></tr>") | join("\n"))
</table>
<h2>How the class did on each check</h2>
<table><tr><th>Task</th><th>Check</th><th>Passed</th><th></th></tr>
\([$checks[] as $c
    | [$class[] | .tests[] | select("\(.extra_data.task) \(.extra_data.check)" == $c.key)] as $all
    | ($all | map(select(.status == "passed")) | length) as $ok
    | ($c.key | split(" ")) as [$task, $check]
    | "<tr><td>\($task)</td><td title=\"\($c.name | @html)\">\($check)</td><td class=\"num\">\($ok)/\($all | length)</td><td><div class=\"bar\(if pct($ok; $all | length) < 50 then " low" else "" end)\"><span style=\"width:\(pct($ok; $all | length))%\"></span></div></td></tr>"]
  | join("\n"))
</table>
<h2>Each submission, check by check</h2>
<table class=\"matrix\"><tr><th></th>\($checks | map("<th class=\"check\">\(.key | @html)</th>") | join(""))</tr>
\(map(. as $r | "<tr><td class=\"name\">\($r.name | @html)</td>"
      + ([$checks[] as $c | $r.tests[] | select("\(.extra_data.task) \(.extra_data.check)" == $c.key)
          | if .extra_data.status == "passed" then "<td class=\"ok\" title=\"passed\">&#10003;</td>"
            elif .extra_data.status == "not run" then "<td class=\"nr\" title=\"not run\">?</td>"
            else "<td class=\"ko\" title=\"failed\">&#10007;</td>" end] | join(""))
      + "</tr>") | join("\n"))
</table>
</body></html>"' "$@"
}

main() {
  local -a options=()
  local csv="" html=""
  while [[ ${1:-} == --* ]]; do
    [[ $# -ge 2 ]] || usage
    case $1 in
      --task) options+=(--task "$2") ;;
      --csv) csv=$2 ;;
      --html) html=$2 ;;
      *) usage ;;
    esac
    shift 2
  done
  [[ $# -eq 2 || $# -eq 3 ]] || usage
  local mmgrade=$1 class=$2
  shift 2
  [[ -x $mmgrade ]] || die "no mmgrade at $mmgrade: build the kit first"
  [[ -d $class ]] || die "no class folder at $class"
  command -v jq >/dev/null || die "jq is not installed (apt-get install jq)"

  local submission name i=0
  local -a results=()
  WORK=$(mktemp -d)
  trap 'rm -rf "$WORK"' EXIT
  printf '%-24s %9s  %s\n' "submission" "score" "failed checks"
  for submission in "$@" "$class"/*/; do
    submission=${submission%/}
    name=$(basename "$submission")
    [[ $submission == "$class"/* ]] || name="$name (reference)"
    i=$((i + 1))
    "$mmgrade" "${options[@]}" --format json --output "$WORK/raw.json" "$submission" ||
      die "mmgrade could not grade $submission"
    jq --arg name "$name" --argjson reference "$([[ $submission == "$class"/* ]] && echo false || echo true)" \
      '. + {name: $name, reference: $reference}' "$WORK/raw.json" >"$WORK/$i.json"
    results+=("$WORK/$i.json")
    jq -r '
      ([.tests[] | select(.status == "failed") | .extra_data | "\(.task)/\(.check)"] | join(" ")) as $failed
      | ([.tests[].max_score] | add) as $max
      | [.name, "\(.score)/\($max)", (if $failed == "" then "-" else $failed end)] | @tsv' "$WORK/$i.json" |
      awk -F'\t' '{ printf "%-24s %9s  %s\n", $1, $2, $3 }'
  done
  if [[ -n $csv ]]; then
    gradebook "${results[@]}" >"$csv"
    printf '%s: gradebook written to %s\n' "$PROG" "$csv"
  fi
  if [[ -n $html ]]; then
    class_report "${results[@]}" >"$html"
    printf '%s: class report written to %s\n' "$PROG" "$html"
  fi
}

main "$@"
