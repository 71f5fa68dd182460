#!/usr/bin/env bash
# Summary: keep the sample outputs in the handouts real: each is a run of a
#          reference solution.
# Usage: tools/samples.sh refresh BUILD_DIR   rewrite every sample from a fresh run
#        tools/samples.sh check BUILD_DIR     fail when a sample no longer has
#                                             the shape of a fresh run
#
# A sample is a fenced block right after a marker line in a handout:
#   <!-- sample: COMMAND -->
# COMMAND runs in BUILD_DIR/solutions/<the handout's folder>, with that
# folder's sources beside the binaries, stdin at end-of-file, and $TARGET set
# to the PID of a live process: the 2.3 reference paused at its second pause
# with 1 MiB mapped and written. "check" compares after masking what changes
# from run to run (numbers, addresses, maps lines, column alignment).
set -euo pipefail

readonly PROG=samples.sh
KIT_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

die() {
  printf '%s: %s\n' "$PROG" "$*" >&2
  exit 1
}

# Reads text on stdin; prints it with run-to-run noise masked.
mask() {
  sed -E -e 's/^[0-9a-f]+-[0-9a-f]+ .*/MAPS/' \
    -e 's/0x[0-9a-f]+/0xX/g' -e 's/[0-9]+/N/g' -e 's/[[:space:]]+/ /g' -e 's/^ //; s/ $//' | uniq
}

start_target() {
  local fifo=$WORK/stdin
  mkfifo "$fifo"
  cp "$BUILD/solutions/2.3-memory-usage/mmap_demo" "$WORK/mmap_demo"
  "$WORK/mmap_demo" 1048576 <"$fifo" >"$WORK/target.out" &
  TARGET=$!
  exec {FEED}>"$fifo"
  wait_pauses 1
  echo >&"$FEED"
  wait_pauses 2
}

wait_pauses() {
  local deadline=$((SECONDS + 10))
  local nr=
  until [[ $(grep -c '^\[Pause\]' "$WORK/target.out") -ge $1 ]] && read -r nr _ <"/proc/$TARGET/syscall" &&
    [[ $nr == "$SYS_READ" ]]; do
    ((SECONDS < deadline)) || die "the sample target did not reach pause $1"
    sleep 0.01
  done
}

# run_sample DIR COMMAND: prints the command's output (stdout and stderr).
run_sample() {
  local dir=$1 command=$2 run_dir=$WORK/run
  rm -rf "$run_dir"
  mkdir -p "$run_dir"
  cp -r "$KIT_ROOT/solutions/$dir/." "$run_dir/"
  if [[ -d $BUILD/solutions/$dir ]]; then
    find "$BUILD/solutions/$dir" -maxdepth 1 -type f -perm -u+x -exec cp {} "$run_dir/" \;
  fi
  (cd "$run_dir" && TARGET=$TARGET bash -c "$command" </dev/null 2>&1) || true
}

# process_handout FILE: refreshes or checks every sample of FILE.
process_handout() {
  local file=$1 dir line command='' in_block=0 skip=0 status=0
  dir=$(basename "$(dirname "$file")")
  local out=$WORK/new.md
  : >"$out"
  while IFS= read -r line || [[ -n $line ]]; do
    if ((skip)); then
      if [[ $line == '```' ]] && ((in_block)); then
        skip=0 in_block=0
        printf '%s\n' '```' >>"$out"
      elif [[ $line == '```'* ]]; then
        in_block=1
        printf '%s\n' "$line" >>"$out"
        printf '%s\n' "$FRESH" >>"$out"
      else
        printf '%s\n' "$line" >>"$WORK/old"
      fi
      continue
    fi
    printf '%s\n' "$line" >>"$out"
    if [[ $line =~ ^\<!--\ sample:\ (.*)\ --\>$ ]]; then
      command=${BASH_REMATCH[1]}
      FRESH=$(run_sample "$dir" "$command")
      : >"$WORK/old"
      skip=1
      SAMPLES=$((SAMPLES + 1))
    fi
    if ((!skip)) && [[ -n $command ]]; then
      if [[ $MODE == check ]] && ! diff <(mask <"$WORK/old") <(mask <<<"$FRESH") >"$WORK/diff"; then
        printf '%s: sample "%s" in %s differs from a fresh run (masked diff, < handout, > fresh):\n' \
          "$PROG" "$command" "${file#"$KIT_ROOT"/}" >&2
        cat "$WORK/diff" >&2
        status=1
      fi
      command=''
    fi
  done <"$file"
  if [[ $MODE == refresh ]]; then
    cp "$out" "$file"
  fi
  return "$status"
}

main() {
  [[ $# -eq 2 && ( $1 == refresh || $1 == check ) ]] || {
    printf 'usage: %s refresh|check BUILD_DIR\n' "$PROG" >&2
    exit 2
  }
  MODE=$1
  BUILD=$(cd "$2" && pwd) || die "no build folder $2"
  [[ -x $BUILD/solutions/2.3-memory-usage/mmap_demo ]] || die "build the kit first: cmake --workflow --preset test"
  # the number of read(2) in /proc/PID/syscall, as the build found it
  [[ -f $BUILD/kit-facts.sh ]] || die "no $BUILD/kit-facts.sh: configure the kit again"
  # shellcheck source=/dev/null # written by the configure step
  source "$BUILD/kit-facts.sh"
  SYS_READ=$KIT_SYS_READ
  [[ $SYS_READ =~ ^[0-9]+$ ]] || die "no KIT_SYS_READ in $BUILD/kit-facts.sh: configure the kit again"
  WORK=$(mktemp -d)
  FEED=''
  trap 'if [[ -n $FEED ]]; then exec {FEED}>&-; fi; rm -rf "$WORK"' EXIT
  start_target
  SAMPLES=0
  local file status=0
  for file in "$KIT_ROOT"/labs/2.*/README.md; do
    process_handout "$file" || status=1
  done
  ((SAMPLES > 0)) || die "no sample markers found in the handouts"
  printf '%s: %d samples %s\n' "$PROG" "$SAMPLES" "$([[ $MODE == refresh ]] && echo refreshed || echo checked)"
  return "$status"
}

main "$@"
