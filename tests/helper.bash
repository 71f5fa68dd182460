# helper.bash - shared setup for the kit's bats suites: assertion libraries,
# paths, and the few helpers that bats-assert does not provide.

bats_require_minimum_version 1.5.0
bats_load_library bats-support
bats_load_library bats-assert

: "${KIT_ROOT:?run the suites through ctest (cmake --workflow --preset test)}"
: "${KIT_BUILD:?run the suites through ctest}"
: "${KIT_SYS_READ:?run the suites through ctest}"

export SOLUTIONS="$KIT_BUILD/solutions"
export LABS="$KIT_BUILD/labs"

# kit_compile SOURCE OUTPUT [EXTRA_FLAG...]: the contract's build line.
kit_compile() {
  local source=$1 output=$2
  shift 2
  # shellcheck disable=SC2086 # KIT_CFLAGS is a list of flags
  gcc $KIT_CFLAGS "$@" -o "$output" "$source"
}

# wait_until SECONDS COMMAND...: polls COMMAND every 10 ms until it succeeds;
# fails when SECONDS pass first.
wait_until() {
  local deadline=$((SECONDS + $1))
  shift
  until "$@"; do
    ((SECONDS < deadline)) || return 1
    sleep 0.01
  done
}

# in_read PID: PID is blocked in read(2), by /proc/PID/syscall (whose first
# field is the syscall's number on this machine, from the build).
in_read() {
  local nr _
  read -r nr _ <"/proc/$1/syscall" && [[ $nr == "$KIT_SYS_READ" ]]
}

# count_lines PATTERN FILE: the number of lines of FILE matching PATTERN.
count_lines() {
  grep -c -e "$1" "$2" || true
}

# has_lines N PATTERN FILE: FILE has at least N lines matching PATTERN
# (for wait_until, which must re-count on every try).
has_lines() {
  (($(count_lines "$2" "$3") >= $1))
}

# reachable_by_nobody DIR: lets other users cross every folder from the run's
# scratch down to DIR (bats makes them 0700): as root the grader runs its
# own programs as nobody, who must reach a copy of them kept there.
reachable_by_nobody() {
  local dir=$1
  while [[ $dir == "$BATS_RUN_TMPDIR"* && $dir != / ]]; do
    chmod o+x "$dir"
    dir=$(dirname "$dir")
  done
  chmod o+x "$BATS_RUN_TMPDIR"
}
