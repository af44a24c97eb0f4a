#!/bin/sh
# Seed the fuzz corpora from the test fixtures and examples (fuzz/corpus is
# git-ignored: generated, never committed). Run from anywhere.
set -eu
fuzz=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$fuzz")
mkdir -p "$fuzz/corpus/parse" "$fuzz/corpus/roundtrip" "$fuzz/corpus/new"
find "$root/tests/fixtures" "$root/examples" -type f -iname '*.mif' | while read -r file; do
    name=$(printf '%s' "$file" | sed "s|^$root/||; s|/|_|g")
    cp "$file" "$fuzz/corpus/parse/$name"
    # roundtrip: the first byte picks the format options (0 = canonical).
    { printf '\000'; cat "$file"; } > "$fuzz/corpus/roundtrip/$name"
done
# new: the argument lists of the `mif new` fixtures, as raw bytes.
for file in "$root"/tests/fixtures/status/new/*.args; do
    cp "$file" "$fuzz/corpus/new/$(basename "$file")"
done
echo "seeded: $(ls "$fuzz/corpus/parse" | wc -l) parse, $(ls "$fuzz/corpus/roundtrip" | wc -l) roundtrip, $(ls "$fuzz/corpus/new" | wc -l) new"
