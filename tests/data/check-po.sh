#!/usr/bin/env bash
# The translations are complete: po/POTFILES.in lists every file with
# translatable strings, and every language in po/LINGUAS translates every
# string of a freshly extracted .pot, with no fuzzy entry and valid formats.
# Usage: check-po.sh SOURCE_ROOT
# Fix a failure with build-aux/update-po, then translate what it reports.
set -euo pipefail

srcdir=$(realpath "${1:-$(dirname "${BASH_SOURCE[0]}")/../..}")
cd "$srcdir"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failed=0

# 1. po/POTFILES.in: sorted, every listed file exists, no file is missing.
grep -v '^#' po/POTFILES.in | sed '/^[[:space:]]*$/d' > "$tmp/listed"
build-aux/potfiles > "$tmp/wanted"
while read -r file; do
  if [[ ! -f "$file" ]]; then
    echo "po/POTFILES.in lists $file, which does not exist"
    failed=1
  fi
done < "$tmp/listed"
if ! LC_ALL=C sort -c "$tmp/listed" 2>/dev/null; then
  echo "po/POTFILES.in is not sorted (LC_ALL=C sort)"
  failed=1
fi
missing=$(LC_ALL=C comm -13 <(LC_ALL=C sort "$tmp/listed") "$tmp/wanted")
if [[ -n "$missing" ]]; then
  echo "These files have translatable strings but are not in po/POTFILES.in:"
  sed 's/^/  /' <<< "$missing"
  failed=1
fi

# 2. A fresh .pot from the sources (only the listed files that exist).
while read -r file; do
  if [[ -f "$file" ]]; then
    echo "$file"
  fi
done < "$tmp/listed" > "$tmp/POTFILES"
build-aux/make-pot "$tmp/leadkeeper.pot" "$tmp/POTFILES"

# 3. Every language: valid, complete, nothing fuzzy.
for lang in $(grep -v '^#' po/LINGUAS); do
  po=po/$lang.po
  if [[ ! -f "$po" ]]; then
    echo "$lang: $po does not exist (run build-aux/update-po)"
    failed=1
    continue
  fi
  if ! msgfmt --check --output-file=/dev/null "$po"; then
    echo "$lang: msgfmt --check fails on $po (see above)"
    failed=1
  fi
  msgmerge --quiet --no-fuzzy-matching --output-file="$tmp/$lang.po" "$po" "$tmp/leadkeeper.pot"
  for kind in untranslated only-fuzzy; do
    msgattrib --no-obsolete --"$kind" --no-wrap "$tmp/$lang.po" > "$tmp/$lang.$kind"
    # When anything is left, the output starts with the header entry: not a string.
    count=$(grep -c '^msgid ' "$tmp/$lang.$kind" || true)
    if (( count > 1 )); then
      case $kind in
        untranslated) what="not translated" ;;
        only-fuzzy) what="fuzzy (check the translation, then remove the fuzzy flag)" ;;
      esac
      echo "$lang: $((count - 1)) strings are $what in $po:"
      awk 'BEGIN { RS = ""; ORS = "\n\n" } NR > 1' "$tmp/$lang.$kind" | sed 's/^/    /'
      failed=1
    fi
  done
done

if (( failed )); then
  echo "Run build-aux/update-po, translate the strings above in po/<lang>.po, and run this test again."
  exit 1
fi
echo "translations complete: $(grep -c '^msgid' "$tmp/leadkeeper.pot") entries (with the header) in $(wc -l < "$tmp/POTFILES") files, languages: $(grep -v '^#' po/LINGUAS | xargs)"
