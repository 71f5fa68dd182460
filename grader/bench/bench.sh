#!/usr/bin/env bash
# Summary: measure mmgrade against the work it does and against the way
#          course graders commonly drive such programs: five ratios, each
#          measured side by side in one run (absolute times on a shared
#          machine are noise), with the targets of docs/performance.md.
# Usage: bench.sh [--class N] [--habit N] [--timeout S] [--sleep S] BUILD_DIR
#   --class N    students in the class for the scaling and memory figures
#                (default 60: copies of the reference and of 2.3 fixtures)
#   --habit N    students of that class the sleep habit is timed on
#                (default 10; it takes about 9 s a student)
#   --timeout S  mmgrade's time limit per run for the hang figure (default 2)
#   --sleep S    the habit's sleep before each Enter (default 1; the smoke
#                test takes less, and its figure 3 means nothing)
#   BUILD_DIR    the kit's build (build/bin/mmgrade, build/lib/mmshim.so)
set -euo pipefail

readonly PROG=bench.sh
KIT_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
readonly KIT_ROOT
readonly FIXTURES=$KIT_ROOT/grader/tests/fixtures
# 2.3 fixtures that end by themselves (the hang figure has its own)
readonly CLASS_FIXTURES=(read-no-prompt scanf-popen read-before-pause scratch-buffer maps-file-page prompt-after-pause
  no-pauses short-munmap first-page-only valgrind-leak missing-stage wrong-address null-check atoi-size
  syntax-error ps-parent one-pause status-lines two-enter-pause vmpeak-after-munmap)
readonly BUILD_FLAGS=(-std=gnu11 -Wall -Wextra -g -O0)

die() {
  printf '%s: %s\n' "$PROG" "$*" >&2
  exit 1
}

now() {
  printf '%s' "$EPOCHREALTIME"
}

# seconds_since T0: wall seconds from T0 (an EPOCHREALTIME) to now.
seconds_since() {
  awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.3f", b - a }'
}

# timed COMMAND...: runs COMMAND, output discarded; prints its wall seconds.
timed() {
  local t0
  t0=$(now)
  "$@" >/dev/null 2>&1 || true
  seconds_since "$t0"
}

ratio() {
  awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'
}

# direct_program SOURCE NAME MODE: the runs mmgrade makes of a program,
# run directly one after another; prints "TOTAL PATH" seconds: the build
# and every run, and the build and the longest run. MODE: basics (2.1's
# runs) or demo (2.2's and 2.3's).
# Stdin holds the newlines the pauses take, already there: no waiting.
# shellcheck disable=SC2016 # each bash -c expands its own arguments ($2 split on purpose: "4096 8192")
direct_program() {
  local source=$1 name=$2 mode=$3 dir t total max arg
  dir=$(mktemp -d "$WORK/direct.XXXXXX")
  t=$(timed gcc "${BUILD_FLAGS[@]}" -o "$dir/$name" "$source")
  local build=$t
  total=$t max=0
  local -a runs=("default" "fail" "valgrind")
  [[ $mode == demo ]] && runs+=("4102" "67108865" "eof" "abc" "12abc" "0" "-5" "4096 8192")
  for arg in "${runs[@]}"; do
    case $arg in
      default) t=$(cd "$dir" && timed bash -c 'printf "\n\n\n" | ./"$1"' _ "$name") ;;
      fail) t=$(cd "$dir" && timed env LD_PRELOAD="$SHIM" MMSHIM_FAIL_MMAP=1 "./$name") ;;
      valgrind) t=$(cd "$dir" && timed bash -c 'printf "\n\n\n" | valgrind --leak-check=full ./"$1"' _ "$name") ;;
      eof) t=$(cd "$dir" && timed bash -c './"$1" </dev/null' _ "$name") ;;
      *) t=$(cd "$dir" && timed bash -c 'printf "\n\n\n" | ./"$1" $2' _ "$name" "$arg") ;;
    esac
    total=$(awk -v a="$total" -v b="$t" 'BEGIN { print a + b }')
    max=$(awk -v a="$max" -v b="$t" 'BEGIN { print (b > a ? b : a) }')
  done
  echo "$total $(awk -v a="$build" -v b="$max" 'BEGIN { print a + b }')"
}

# direct_script SCRIPT: shellcheck and the runs of task 2.5, one after
# another, on a target process of the grader's own; prints "total max".
direct_script() {
  local script=$1 total=0 max=0 t target pid
  local -a cases=("" "1 1" "abc" "4194305")
  t=$(timed shellcheck -f json1 "$script")
  total=$t max=$t
  target=$(mktemp -u "$WORK/target.XXXXXX")
  mkfifo "$target"
  # a process of the grader's own that waits, as mmtarget does
  cat "$target" >/dev/null &
  pid=$!
  cases+=("$pid")
  for arg in "${cases[@]}"; do
    # shellcheck disable=SC2086 # each case is its own words
    t=$(timed bash "$script" $arg)
    total=$(awk -v a="$total" -v b="$t" 'BEGIN { print a + b }')
    max=$(awk -v a="$max" -v b="$t" 'BEGIN { print (b > a ? b : a) }')
  done
  kill "$pid" 2>/dev/null || true
  echo "$total $max"
}

# habit SOURCE: one student's 2.3 program driven as course graders often
# drive it: build, then each run fed Enter after fixed sleeps.
habit() {
  local source=$1 dir arg
  dir=$(mktemp -d "$WORK/habit.XXXXXX")
  gcc "${BUILD_FLAGS[@]}" -o "$dir/mmap_demo" "$source" 2>/dev/null || return 0
  cd "$dir"
  for arg in "" 4102 67108865; do
    # shellcheck disable=SC2086 # no argument, or one
    (sleep "$HABIT_SLEEP"; echo; sleep "$HABIT_SLEEP"; echo) | timeout 10 ./mmap_demo $arg >/dev/null 2>&1 || true
  done
  timeout 10 ./mmap_demo </dev/null >/dev/null 2>&1 || true
  for arg in abc 12abc 0 -5 "4096 8192"; do
    # shellcheck disable=SC2086 # "4096 8192" is two arguments
    timeout 10 ./mmap_demo $arg >/dev/null 2>&1 || true
  done
  LD_PRELOAD=$SHIM MMSHIM_FAIL_MMAP=1 timeout 10 ./mmap_demo >/dev/null 2>&1 || true
  (sleep "$HABIT_SLEEP"; echo; sleep "$HABIT_SLEEP"; echo) | timeout 30 valgrind --leak-check=full ./mmap_demo >/dev/null 2>&1 ||
    true
  cd - >/dev/null
}

# make_class DIR N: N students, each a 2.3 submission of its own folder.
make_class() {
  local dir=$1 n=$2 i fixture
  mkdir -p "$dir"
  for ((i = 0; i < n; i++)); do
    if ((i % 4 == 0)); then
      ln -s "$KIT_ROOT/solutions/2.3-memory-usage" "$dir/$(printf 's%03d-reference' "$i")"
    else
      fixture=${CLASS_FIXTURES[i % ${#CLASS_FIXTURES[@]}]}
      ln -s "$FIXTURES/mmgrade/$fixture" "$dir/$(printf 's%03d-%s' "$i" "$fixture")"
    fi
  done
}

# peak_rss_of_mmgrade COMMAND...: runs COMMAND while sampling the resident
# high-water mark (VmHWM) of every process called mmgrade, every 10 ms;
# prints the highest, in KiB.
peak_rss_of_mmgrade() {
  local peak_file=$WORK/peak sampler
  echo 0 >"$peak_file"
  (
    peak=0
    while :; do
      for status in /proc/[0-9]*/status; do
        { read -r _ comm <"$status"; } 2>/dev/null || continue
        [[ $comm == mmgrade ]] || continue
        hwm=$(awk '/^VmHWM:/ { print $2 }' "$status" 2>/dev/null || true)
        if [[ -n $hwm ]] && ((hwm > peak)); then
          peak=$hwm
          echo "$peak" >"$peak_file"
        fi
      done
      sleep 0.01
    done
  ) &
  sampler=$!
  "$@" >/dev/null 2>&1 || true
  kill "$sampler" 2>/dev/null || true
  wait "$sampler" 2>/dev/null || true
  cat "$peak_file"
}

figure() {
  # NAME VALUE TARGET VERDICT
  printf '%-44s %10s   target %-20s %s\n' "$1" "$2" "$3" "$4"
}

meets() {
  awk -v v="$1" -v op="$2" -v t="$3" 'BEGIN { ok = (op == "<=" ? v <= t : v >= t); print (ok ? "met" : "NOT MET") }'
}

main() {
  local class_n=60 habit_n=10 timeout=2 build
  HABIT_SLEEP=1
  while (($# > 1)); do
    case $1 in
      --class) class_n=$2 ;;
      --habit) habit_n=$2 ;;
      --timeout) timeout=$2 ;;
      --sleep) HABIT_SLEEP=$2 ;;
      *) die "unknown option '$1'" ;;
    esac
    shift 2
  done
  (($# == 1)) || die "usage: $PROG [--class N] [--habit N] [--timeout S] [--sleep S] BUILD_DIR"
  build=$(cd "$1" && pwd)
  MMGRADE=$build/bin/mmgrade SHIM=$build/lib/mmshim.so
  [[ -x $MMGRADE && -f $SHIM ]] || die "no built grader in '$1' (cmake --workflow --preset test)"
  WORK=$(mktemp -d /var/tmp/mmgrade-bench.XXXXXX)
  trap 'rm -rf "$WORK"' EXIT
  printf 'machine: %s, %s cores, Linux %s; isolation: %s\n' "$(uname -m)" "$(nproc)" "$(uname -r)" \
    "$("$MMGRADE" --task 2.4 --format json "$KIT_ROOT/solutions" | jq -r '.tests[0].extra_data.isolation')"

  # 1. overhead: the reference, graded, against the same work run directly
  local t_grade sum=0 critical=0 pair
  t_grade=$(timed "$MMGRADE" --seed 7 "$KIT_ROOT/solutions")
  for pair in "2.1-mmap-basics/mmap_basics.c mmap_basics basics" "2.2-mmap-demo/mmap_demo.c mmap_demo demo" \
    "2.3-memory-usage/mmap_demo.c mmap_demo demo"; do
    read -r src name mode <<<"$pair"
    read -r total max < <(direct_program "$KIT_ROOT/solutions/$src" "$name" "$mode")
    sum=$(awk -v a="$sum" -v b="$total" 'BEGIN { print a + b }')
    critical=$(awk -v a="$critical" -v b="$max" 'BEGIN { print a + b }')
  done
  read -r total max < <(direct_script "$KIT_ROOT/solutions/2.5-analyse-script/analyse.sh")
  sum=$(awk -v a="$sum" -v b="$total" 'BEGIN { print a + b }')
  critical=$(awk -v a="$critical" -v b="$max" 'BEGIN { print a + b }')
  printf '\nreference, 5 tasks: mmgrade %.2f s; the same runs directly, one after another %.2f s, longest of each task %.2f s\n' \
    "$t_grade" "$sum" "$critical"
  local overhead
  overhead=$(ratio "$t_grade" "$sum")
  figure "1. overhead: mmgrade / serial sum" "$overhead" "<= 0.80 (overlapping)" "$(meets "$overhead" "<=" 0.80)"
  figure "   mmgrade / longest run of each task" "$(ratio "$t_grade" "$critical")" "(for reading)" ""

  # 2. scaling: a class, one at a time and two at a time
  local t1 t2 efficiency
  make_class "$WORK/class" "$class_n"
  t1=$(timed "$MMGRADE" batch --jobs 1 --task 2.3 --seed 7 --out "$WORK/out1" "$WORK/class")
  t2=$(timed "$MMGRADE" batch --jobs 2 --task 2.3 --seed 7 --out "$WORK/out2" "$WORK/class")
  efficiency=$(awk -v a="$t1" -v b="$t2" 'BEGIN { printf "%.2f", a / (2 * b) }')
  printf '\nclass of %d (task 2.3): --jobs 1 %.1f s, --jobs 2 %.1f s\n' "$class_n" "$t1" "$t2"
  figure "2. scaling: efficiency at --jobs 2" "$efficiency" ">= 0.85" "$(meets "$efficiency" ">=" 0.85)"

  # 3. against the sleep habit, on the first students of the same class
  local t_habit t_ours student i=0
  mkdir -p "$WORK/sample"
  for student in "$WORK/class"/*; do
    ((i++ < habit_n)) || break
    ln -s "$(readlink "$student")" "$WORK/sample/$(basename "$student")"
  done
  t_habit=$(now)
  for student in "$WORK/sample"/*; do habit "$student/mmap_demo.c"; done
  t_habit=$(seconds_since "$t_habit")
  t_ours=$(timed "$MMGRADE" batch --jobs 1 --task 2.3 --seed 7 --out "$WORK/out3" "$WORK/sample")
  local t_ref_ours t_ref_habit
  t_ref_ours=$(timed "$MMGRADE" --task 2.3 --seed 7 "$KIT_ROOT/solutions")
  t_ref_habit=$(now)
  habit "$KIT_ROOT/solutions/2.3-memory-usage/mmap_demo.c"
  t_ref_habit=$(seconds_since "$t_ref_habit")
  printf '\nsleep habit: %d students %.1f s, mmgrade (--jobs 1) %.1f s; the reference 2.3: habit %.1f s, mmgrade %.2f s\n' \
    "$habit_n" "$t_habit" "$t_ours" "$t_ref_habit" "$t_ref_ours"
  local vs_habit
  vs_habit=$(ratio "$t_ref_ours" "$t_ref_habit")
  figure "3. a correct 2.3 program: mmgrade / habit" "$vs_habit" "<= 0.20" "$(meets "$vs_habit" "<=" 0.20)"
  figure "   the class sample: mmgrade / habit" "$(ratio "$t_ours" "$t_habit")" "(for reading)" ""

  # 4. a program that never returns
  local t_hang longest hang
  t_hang=$(timed "$MMGRADE" --task 2.3 --seed 7 --timeout "$timeout" "$FIXTURES/hostile/spin")
  longest=$(awk -v t="$timeout" 'BEGIN { print 3 * t }') # memcheck's limit
  hang=$(ratio "$t_hang" "$longest")
  printf '\nnever returns (hostile/spin, --timeout %s): %.1f s; the longest single limit (memcheck) %s s\n' \
    "$timeout" "$t_hang" "$longest"
  figure "4. hang: wall / longest single limit" "$hang" "<= 1.50" "$(meets "$hang" "<=" 1.50)"

  # 5. memory: mmgrade's own peak during a batch
  local peak
  peak=$(peak_rss_of_mmgrade "$MMGRADE" batch --jobs 2 --task 2.3 --seed 7 --force --out "$WORK/out2" "$WORK/class")
  figure "5. memory: mmgrade's peak RSS (MiB)" "$(awk -v k="$peak" 'BEGIN { printf "%.1f", k / 1024 }')" "<= 16" \
    "$(meets "$(awk -v k="$peak" 'BEGIN { print k / 1024 }')" "<=" 16)"
}

main "$@"
