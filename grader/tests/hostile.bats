#!/usr/bin/env bats
# Hostile submissions (fixtures/hostile/): each is graded to a verdict
# within its limits, harms nothing, and leaves no process behind; graded as
# this user and, when the suite runs as root, as the unprivileged nobody too.

load ../../tests/helper

FIXTURES="$BATS_TEST_DIRNAME/fixtures/hostile"

# identities: who grades: this user, and nobody when this user is root.
identities() {
  echo self
  if ((EUID == 0)); then echo nobody; fi
}

# as WHO COMMAND...: runs COMMAND as WHO.
as() {
  local who=$1
  shift
  if [[ $who == nobody ]]; then
    setpriv --reuid=65534 --regid=65534 --clear-groups "$@"
  else
    "$@"
  fi
}

# grade_as WHO FIXTURE [OPTION...]: grades FIXTURE as task 2.3 into
# $BATS_TEST_TMPDIR/WHO.json; the grader must exit 0.
grade_as() {
  local who=$1 fixture=$2
  shift 2
  as "$who" "$MMGRADE" --task 2.3 --seed 1 "$@" --format json "$FIXTURES/$fixture" >"$BATS_TEST_TMPDIR/$who.json"
}

# grade_each FIXTURE [OPTION...]: grade_as for every identity, side by
# side (each run of a hung fixture waits out its limit).
grade_each() {
  local who
  for who in $(identities); do
    grade_as "$who" "$@" &
  done
  wait
}

# check_of WHO CHECK: "STATUS<tab>feedback" of CHECK.
check_of() {
  jq -r --arg c "$2" '.tests[] | select(.extra_data.check == $c) | "\(.extra_data.status)\t\(.output)"' \
    "$BATS_TEST_TMPDIR/$1.json"
}

# nothing_named NAME: no process called NAME is alive.
nothing_named() {
  run pgrep -x "$1"
  assert_failure 1
}

@test "gives a program that spins before any output a verdict within its time limit" {
  local who
  grade_each spin --timeout 1 --limit submission=4
  for who in $(identities); do
    run check_of "$who" runs
    assert_output --regexp $'^failed\tExpected: `./mmap_demo` exits with status 0.*\nObserved: it (was still running after the time limit|was killed by signal)'
  done
}

@test "stops a program that floods stdout at its output limit" {
  local who
  grade_each flood --limit output=64
  for who in $(identities); do
    run check_of "$who" runs
    assert_output --partial "printed more than its output limit (--limit output) and was stopped"
  done
}

@test "kills the hundred children a program forks and leaves sleeping" {
  local who
  grade_each fork-hundred
  for who in $(identities); do
    # they were forked (stages quotes what the program printed) ...
    run check_of "$who" stages
    assert_output --partial "forked 100 sleepers"
    # ... and none is left
    nothing_named hostile-sleeper
  done
}

@test "kills a daemon that left the program's process group and session" {
  local who
  grade_each daemon
  for who in $(identities); do
    run check_of "$who" stages
    assert_output --partial "left a daemon running"
    nothing_named hostile-daemon
  done
}

@test "holds a program that allocates gigabytes to its memory limit" {
  local who
  grade_each gigabytes --limit memory=256
  for who in $(identities); do
    run check_of "$who" runs
    assert_output --partial "malloc failed after"
  done
}

@test "is not fooled by a program that blocks forever on a pipe of its own" {
  local who
  grade_each own-pipe-forever --timeout 1 --limit submission=3
  for who in $(identities); do
    run check_of "$who" pauses
    assert_output --regexp '^failed'
    refute_output --partial "Observed: 1 such pause"
  done
}

@test "keeps every format valid, and terminal escapes out, when a program prints garbage" {
  local who
  grade_each garbage
  for who in $(identities); do
    run check_of "$who" runs
    assert_output --partial $'\xef\xbf\xbd[2J'
    as "$who" "$MMGRADE" --task 2.3 --seed 1 --format junit "$FIXTURES/garbage" >"$BATS_TEST_TMPDIR/junit.xml"
    run xmllint --noout "$BATS_TEST_TMPDIR/junit.xml"
    assert_success
    run as "$who" "$MMGRADE" --task 2.3 --seed 1 "$FIXTURES/garbage"
    refute_output --partial $'\x1b'
  done
}

@test "fails the build of a source that makes the compiler read forever, within its limits" {
  local who
  grade_each compile-bomb --timeout 2
  for who in $(identities); do
    run check_of "$who" build
    assert_output --regexp $'^failed\tExpected: `gcc'
  done
}

# sandboxed WHO: the last grading as WHO ran student code in a sandbox.
sandboxed() {
  [[ $(jq -r '.tests[0].extra_data.isolation' "$BATS_TEST_TMPDIR/$1.json") == "bwrap sandbox"* ]]
}

# skip_unless_sandbox WHO: skips the test when WHO's gradings would run
# student code unconfined (no bwrap, or no user namespaces, as on hosts
# that restrict them): a fixture that kills every process it may must
# never run so.
skip_unless_sandbox() {
  as "$1" "$MMGRADE" --task 2.4 --format json "$KIT_ROOT/solutions" >"$BATS_TEST_TMPDIR/probe.json"
  [[ $(jq -r '.tests[0].extra_data.isolation' "$BATS_TEST_TMPDIR/probe.json") == "bwrap sandbox"* ]] ||
    skip "no sandbox here for $1: a fixture that kills every process it may must not run unconfined"
}

@test "survives a program that kills its parent, their parents and every process it may" {
  local who
  for who in $(identities); do
    skip_unless_sandbox "$who"
    grade_as "$who" kill-parent
    sandboxed "$who"
    run jq -r '.tests | length' "$BATS_TEST_TMPDIR/$who.json"
    assert_output 16
  done
}

@test "keeps a program from writing outside its folder, the host's /tmp included" {
  local who
  for who in $(identities); do
    skip_unless_sandbox "$who"
    rm -f /tmp/mmlab-hostile-escape /var/tmp/mmlab-hostile-escape
    grade_as "$who" write-outside
    sandboxed "$who"
    [[ ! -e /tmp/mmlab-hostile-escape ]]
    [[ ! -e /var/tmp/mmlab-hostile-escape ]]
  done
}

@test "runs student code as nobody, in a sandbox, when the grader is root" {
  ((EUID == 0)) || skip "only root can hand student code to another user"
  skip_unless_sandbox self
  grade_as self write-outside
  run jq -r '.tests[0].extra_data.isolation' "$BATS_TEST_TMPDIR/self.json"
  assert_output "bwrap sandbox, as nobody"
}
