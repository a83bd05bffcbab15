# Helpers for the build-machinery tests (sourced).
# SPDX-License-Identifier: GPL-2.0-or-later

: "${TOP:?}" "${BUILD:?}"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

fail() {
    echo "FAIL: $*"
    exit 1
}

# expect_error WANT-SUBSTRING CMD...: CMD must exit 1, print nothing on
# stdout and exactly one line on stderr containing WANT-SUBSTRING.
expect_error() {
    want=$1
    shift
    "$@" >"$T/out" 2>"$T/err"
    rc=$?
    [ $rc = 1 ] || fail "'$*' exited $rc, want 1 (stderr: $(cat "$T/err"))"
    [ ! -s "$T/out" ] || fail "'$*' printed on stdout: $(cat "$T/out")"
    lines=$(wc -l <"$T/err")
    [ "$lines" = 1 ] || fail "'$*' printed $lines lines on stderr, want 1: $(cat "$T/err")"
    grep -qF -- "$want" "$T/err" || fail "'$*' said '$(cat "$T/err")', want '$want'"
    echo "ok: $(cat "$T/err")"
}

# no_merged_tree DIR: a failed configure left nothing a make would build.
no_merged_tree() {
    for f in src src.tmp qemu config.stamp config.mak; do
        [ ! -e "$1/$f" ] || fail "$1/$f left behind after a failed configure"
    done
}
