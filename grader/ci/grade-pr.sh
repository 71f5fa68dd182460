#!/usr/bin/env bash
# Summary: grade a student repository's labs/ in a GitHub Actions job: the
#          report as the job summary, an annotation on the file and line of
#          each failed check, the result GitHub Classroom's reporter reads as
#          a step output, and the results folder for an artifact.
# Usage: bash grader/ci/grade-pr.sh   (in a job, from the repository's root)
#
# It fails (non-zero) only when grading could not happen, or when the score
# is below MMLAB_MIN_SCORE: never for a low score by itself. docs/ci.md
# (in the kit) says how the student workflow uses it.
#
# Environment (a runner sets GITHUB_*, RUNNER_TEMP; each may be unset):
#   MMGRADE          the grader (default: build/bin/mmgrade)
#   MMLAB_LABS       the folder graded (default: labs)
#   MMLAB_TASKS      the tasks to grade, e.g. "2.1 2.3" (default: all five)
#   MMLAB_MIN_SCORE  fail when the score is below this number (default: none)
#   MMLAB_RESULTS    the results folder (default: $RUNNER_TEMP/mmgrade-results)
#   GITHUB_WORKSPACE the repository's root (default: the current folder)
#   GITHUB_STEP_SUMMARY, GITHUB_OUTPUT  the files the report and outputs go to
# Step outputs: result (base64, for the Classroom reporter), score, max-score.
# Exit status: 0 graded; 1 below MMLAB_MIN_SCORE; 2 a bad setting or
# mmgrade's usage error; 3 no grader, or mmgrade could not grade.
set -euo pipefail

readonly PROG=grade-pr.sh
# GitHub shows this many annotations of each kind for a step, the rest only
# in the log; and takes a job summary of at most 1 MiB per step.
readonly SHOWN_ANNOTATIONS=10
readonly SUMMARY_LIMIT=$((1024 * 1024))
# Characters of a check's feedback an annotation carries.
readonly MESSAGE_LIMIT=1000

# escape DATA: DATA as a workflow command's message (GitHub's escaping).
escape() {
  local s=$1
  s=${s//'%'/%25}
  s=${s//$'\r'/%0D}
  printf '%s' "${s//$'\n'/%0A}"
}

# fail STATUS MESSAGE: an error annotation saying MESSAGE (on stdout, where
# GitHub reads workflow commands); exits STATUS.
fail() {
  printf '::error title=mmgrade::%s\n' "$(escape "$PROG: $2")"
  exit "$1"
}

# annotations PREFIX RESULTS_JSON: one workflow command a line: an error for
# each failed check, a warning for each check failed only for another's sake
# ("Precondition failed:") or not run; files named PREFIX + extra_data.file,
# or not named when PREFIX is "-" (the folder graded is outside the
# repository, where GitHub has no file to show).
annotations() {
  jq -r --arg prefix "$1" --argjson limit "$MESSAGE_LIMIT" '
    def data: gsub("%"; "%25") | gsub("\r"; "%0D") | gsub("\n"; "%0A");
    def property: data | gsub(":"; "%3A") | gsub(","; "%2C");
    # whole lines up to $limit characters (or the first $limit characters)
    def cut: if length <= $limit then .
      else (reduce split("\n")[] as $line ({text: null, full: false};
              if .full then .
              elif ((.text // "") | length) + ($line | length) + 1 > $limit then .full = true
              else .text = (if .text == null then $line else .text + "\n" + $line end) end)
            | .text // "") as $lines
        | (if $lines == "" then .[0:$limit] else $lines end)
          + "\n… (cut: the job summary and feedback.txt have the whole feedback)"
      end;
    [.tests[] | select(.extra_data.status != "passed")
      | .level = (if .extra_data.status == "failed" and ((.output // "") | startswith("Precondition failed:") | not)
                  then "error" else "warning" end)]
    | (map(select(.level == "error")) + map(select(.level == "warning")))[]
    | "::\(.level) "
      + ([(.extra_data.file // empty | select($prefix != "-") | "file=" + ($prefix + . | property)),
          (.extra_data.line // empty | "line=\(.)"),
          "title=" + (if .extra_data.status == "not run" then "\(.name) (not run)"
                      else "\(.name) (\(.score)/\(.max_score))" end | property)] | join(","))
      + "::" + ((.output // "" | if . == "" then "failed" else . end) | cut | data)' "$2"
}

# short_summary RESULTS_JSON: the score, each task's, and what failed.
short_summary() {
  jq -r '
    "mmgrade: \(.score)/\([.tests[].max_score] | add) points ("
      + ([.tests | group_by(.extra_data.task)[]
          | "task \(.[0].extra_data.task) \([.[].score] | add)/\([.[].max_score] | add)"] | join(", ")) + ")",
    "mmgrade: \([.tests[] | select(.extra_data.status == "failed")] | length) checks failed, \([.tests[] | select(.extra_data.status == "not run")] | length) not run, \([.tests[] | select(.extra_data.status == "passed")] | length) passed"' "$1"
}

# labs_prefix ROOT LABS: LABS relative to ROOT with a trailing slash ("labs/"),
# nothing when LABS is ROOT, "-" when LABS lies outside ROOT.
labs_prefix() {
  local relative
  relative=$(realpath -m --relative-to="$1" "$2")
  case $relative in
    .) ;;
    .. | ../*) printf -- - ;;
    *) printf '%s/' "$relative" ;;
  esac
}

# grade MMGRADE RESULTS LABS TASK...: runs the grader, its report folded in
# the log and its text kept from being read as workflow commands (it quotes
# what student programs print); fails as it does when it cannot grade.
grade() {
  local mmgrade=$1 results=$2 labs=$3 task token status=0
  shift 3
  local -a args=()
  for task in "$@"; do args+=(--task "$task"); done
  token=$(cat /proc/sys/kernel/random/uuid)
  echo "::group::mmgrade's report"
  echo "::stop-commands::$token"
  "$mmgrade" "${args[@]}" --results "$results" "$labs" 2>"$results/stderr.txt" || status=$?
  cat "$results/stderr.txt" >&2
  echo "::$token::"
  echo "::endgroup::"
  if ((status != 0)); then
    fail "$status" "mmgrade could not grade $labs (exit status $status): $(tail -n 5 "$results/stderr.txt")"
  fi
  [[ -s $results/results.json && -s $results/classroom.txt ]] ||
    fail 3 "mmgrade exited 0 but left no results.json or classroom.txt in $results"
}

# publish RESULTS: the job summary and the step outputs, when the runner
# gave their files.
publish() {
  local results=$1 score max
  if [[ -n ${GITHUB_STEP_SUMMARY:-} ]]; then
    if (($(stat -c %s "$results/summary.md") < SUMMARY_LIMIT)); then
      cat "$results/summary.md" >>"$GITHUB_STEP_SUMMARY"
    else
      printf '## mmgrade\n\nThe report is too long for a job summary: see feedback.txt in the artifact.\n' \
        >>"$GITHUB_STEP_SUMMARY"
    fi
  fi
  if [[ -n ${GITHUB_OUTPUT:-} ]]; then
    score=$(jq '.score' "$results/results.json")
    max=$(jq '[.tests[].max_score] | add' "$results/results.json")
    printf 'result=%s\nscore=%s\nmax-score=%s\n' "$(tr -d '\n' <"$results/classroom.txt")" "$score" "$max" \
      >>"$GITHUB_OUTPUT"
  fi
}

main() {
  local root=${GITHUB_WORKSPACE:-$PWD} labs results mmgrade min=${MMLAB_MIN_SCORE:-} score notes
  local task_list=${MMLAB_TASKS:-}
  local -a tasks
  cd "$root"
  mmgrade=${MMGRADE:-build/bin/mmgrade}
  labs=${MMLAB_LABS:-labs}
  results=${MMLAB_RESULTS:-${RUNNER_TEMP:-${TMPDIR:-/tmp}}/mmgrade-results}
  read -r -a tasks <<<"${task_list//,/ }"
  [[ -z $min || $min =~ ^[0-9]+([.][0-9]+)?$ ]] || fail 2 "MMLAB_MIN_SCORE must be a number of points, not '$min'"
  [[ -d $labs ]] || fail 2 "no folder $labs to grade in $root (MMLAB_LABS)"
  [[ -x $mmgrade ]] ||
    fail 3 "no grader at $mmgrade: build it first (cmake -S . -B build -DKIT_TESTS=OFF && cmake --build build --target mmgrade), or set MMGRADE"
  mkdir -p "$results"
  rm -f "$results"/{results.json,feedback.txt,summary.md,junit.xml,classroom.txt,stderr.txt}

  grade "$mmgrade" "$results" "$labs" "${tasks[@]}"
  publish "$results"
  notes=$(annotations "$(labs_prefix "$root" "$labs")" "$results/results.json")
  [[ -z $notes ]] || printf '%s\n' "$notes"
  short_summary "$results/results.json"
  if (($(grep -c '^::error ' <<<"$notes") > SHOWN_ANNOTATIONS || $(grep -c '^::warning ' <<<"$notes") > SHOWN_ANNOTATIONS)); then
    echo "mmgrade: GitHub shows the first $SHOWN_ANNOTATIONS annotations of each kind; the job summary has every check"
  fi
  echo "mmgrade: results.json, junit.xml, feedback.txt and summary.md are in $results"

  [[ -n $min ]] || return 0
  score=$(jq '.score' "$results/results.json")
  if jq -e --arg min "$min" '.score < ($min | tonumber)' "$results/results.json" >/dev/null; then
    fail 1 "the score, $score, is below the minimum of $min points this assignment asks (MMLAB_MIN_SCORE)"
  fi
  echo "mmgrade: the score, $score, reaches the minimum of $min points (MMLAB_MIN_SCORE)"
}

main "$@"
