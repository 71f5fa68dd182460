#!/usr/bin/env bats
# Every shell script in the tree passes shellcheck at its default severity.

load helper

@test "every shell script in the tree is shellcheck-clean" {
  local -a scripts=()
  local file
  # Fixtures under */fixtures/ are student submissions, some broken on
  # purpose; the grader's own tests judge those.
  while IFS= read -r -d '' file; do
    case $file in
      *.sh | *.bash | *.bats) scripts+=("$file") ;;
      *) head -c 64 "$file" | grep -qE '^#!.*(bash|/sh)' && scripts+=("$file") ;;
    esac
  done < <(find "$KIT_ROOT" \( -path "$KIT_ROOT/.git" -o -path "$KIT_ROOT/build*" -o -path '*/fixtures' \) -prune \
    -o -type f \( -name '*.sh' -o -name '*.bash' -o -name '*.bats' -o -path '*/.ci/*' -o -perm -u+x \) -print0)
  ((${#scripts[@]} >= 5)) || fail "found only ${#scripts[@]} scripts: ${scripts[*]}"
  run shellcheck -x "${scripts[@]}"
  assert_success
}
