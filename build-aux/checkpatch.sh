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
        if [ "$1" != --file ] && maintainers_covered "$1" "$out"; then
            return
        fi
        echo "$out"
        bad=$((bad + 1))
    fi
}

# maintainers_covered PATCH OUTPUT: the only complaint is checkpatch's
# guess "does MAINTAINERS need updating?" (it cannot read MAINTAINERS with
# --no-tree), and every file the patch adds or deletes is under a
# directory that the merged tree's MAINTAINERS names with F: already.
maintainers_covered() {
    echo "$2" | grep -v -e 'does MAINTAINERS need updating' \
                      -e '^total: 0 errors, 1 warnings' | grep -q . && return 1
    python3 - "$1" "$src/MAINTAINERS" <<'PY'
import re, sys
dirs = [l[3:].strip() for l in open(sys.argv[2], errors="replace")
        if l.startswith("F:\t") or l.startswith("F: ")]
dirs = [d for d in dirs if d.endswith("/")]
moved = set()
old = None
for l in open(sys.argv[1], errors="replace"):
    if l.startswith("--- "):
        old = l[4:].strip()
    elif l.startswith("+++ ") and old is not None:
        new = l[4:].strip()
        if new == "/dev/null" and old.startswith("a/"):
            moved.add(old[2:])
        elif old == "/dev/null" and new.startswith("b/"):
            moved.add(new[2:])
        old = None
sys.exit(0 if moved and all(any(f.startswith(d) for d in dirs)
                            for f in moved) else 1)
PY
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
