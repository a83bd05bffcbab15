# Without network access to the archive, ./configure says so in one line.
# SPDX-License-Identifier: GPL-2.0-or-later
. "$TOP/build-aux/tests/lib.sh"

if ! unshare -n true 2>/dev/null; then
    echo "unshare -n is not permitted here (needs root)"
    exit 77
fi
expect_error "from the Debian archive (no network?" \
    unshare -n "$TOP/configure" --cache-dir="$T/cache" --build-dir="$T/build"
no_merged_tree "$T/build"
