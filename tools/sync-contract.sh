#!/usr/bin/env bash
# Summary: copy each task's contract from docs/contract.md into the handouts,
#          so that there is one source for it.
# Usage: tools/sync-contract.sh          rewrite the copies in labs/*/README.md
#        tools/sync-contract.sh --check  fail (exit 1) when a copy differs
#
# A copy is the text between "<!-- contract:ID begin -->" and
# "<!-- contract:ID end -->"; the same markers delimit the source.
set -euo pipefail

readonly PROG=sync-contract.sh
KIT_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
readonly CONTRACT=$KIT_ROOT/docs/contract.md

# render HANDOUT: prints HANDOUT with every contract block replaced by the
# source's; a block whose ID the source lacks is an error.
render() {
  awk -v handout="$1" '
    FNR == NR {
      if (match($0, /^<!-- contract:[^ ]+ begin -->$/)) { id = substr($0, 15, length($0) - 24); text[id] = ""; inside = 1; next }
      if ($0 ~ /^<!-- contract:[^ ]+ end -->$/) { inside = 0; next }
      if (inside) text[id] = text[id] $0 "\n"
      next
    }
    match($0, /^<!-- contract:[^ ]+ begin -->$/) {
      id = substr($0, 15, length($0) - 24)
      if (!(id in text)) { printf "%s: %s names contract:%s, which docs/contract.md lacks\n", "sync-contract.sh", handout, id > "/dev/stderr"; bad = 1 }
      print; printf "%s", text[id]; skipping = 1; next
    }
    /^<!-- contract:[^ ]+ end -->$/ { skipping = 0 }
    !skipping { print }
    END { exit bad }
  ' "$CONTRACT" "$1"
}

main() {
  local check=0 file status=0 fresh
  case ${1:-} in
    --check) check=1 ;;
    "") ;;
    *) printf 'usage: %s [--check]\n' "$PROG" >&2; exit 2 ;;
  esac
  for file in "$KIT_ROOT"/labs/2.*/README.md; do
    fresh=$(render "$file") || { status=1; continue; }
    if ((check)); then
      if ! diff -u --label "${file#"$KIT_ROOT"/}" --label docs/contract.md "$file" <(printf '%s\n' "$fresh") >&2; then
        printf '%s: the contract in %s differs from docs/contract.md; run tools/sync-contract.sh\n' \
          "$PROG" "${file#"$KIT_ROOT"/}" >&2
        status=1
      fi
    else
      printf '%s\n' "$fresh" >"$file"
    fi
  done
  return "$status"
}

main "$@"
