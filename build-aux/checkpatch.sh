#!/bin/sh
# Run the base tree's scripts/checkpatch.pl on every patch in patches/ and
# on every C, header and assembly file we carry at an in-tree path.
# Exits non-zero on any error or warning.
#
# Usage: checkpatch.sh TOP MERGED_SRC
#
# SPDX-License-Identifier: GPL-2.0-or-later
set -u

top=$1
src=$2
cp=$src/scripts/checkpatch.pl
[ -x "$cp" ] || [ -f "$cp" ] || {
    echo "checkpatch: $cp not found: run ./configure first" >&2
    exit 1
}

bad=0
n=0
check() {
    n=$((n + 1))
    if ! out=$(cd "$top" && perl "$cp" --no-tree --terse --strict "$@" 2>&1)
    then
        echo "$out"
        bad=$((bad + 1))
    fi
}

cd "$top"
for p in patches/*.patch; do
    [ -f "$p" ] && check "$p"
done
# Relative names: checkpatch applies its rules by path (tests/ ...).
for f in $(git ls-files --cached --others --exclude-standard -- \
               hw include target tests pc-bios tools | grep -E '\.(c|h|S|inc)$'); do
    check --file "$f"
done
echo "checkpatch: $n checked, $bad with problems"
[ "$bad" = 0 ]
