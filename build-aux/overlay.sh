#!/bin/sh
# Copy our in-tree files into the merged tree.  A file is copied only when
# its content differs, so unchanged files keep their timestamps and ninja
# rebuilds just what was edited.  Prints the files it copied.
#
# Usage: overlay.sh TOP DEST
#
# SPDX-License-Identifier: GPL-2.0-or-later
set -eu

top=$1
dest=$2

# The directories that hold our files at their QEMU in-tree paths.
DIRS="hw include target docs tests pc-bios qapi tools"

cd "$top"
for d in $DIRS; do
    [ -d "$d" ] || continue
    if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
        # Tracked files plus new files not yet added (but not ignored ones).
        git ls-files --cached --others --exclude-standard -- "$d"
    else
        find "$d" -type f
    fi
done | while read -r f; do
    [ -f "$f" ] || continue
    if ! cmp -s "$f" "$dest/$f"; then
        mkdir -p "$dest/$(dirname "$f")"
        # Replace, never write through: the base tree may be hard-linked.
        rm -f "$dest/$f"
        cp "$f" "$dest/$f"
        echo "$f"
    fi
done
