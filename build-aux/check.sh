#!/bin/sh
# Run every test of the project and print one summary line
# "N passed, N failed" (", N skipped" when some were skipped).
# Exits non-zero when any test failed.
#
#   1. build-aux/tests/*.sh   tests of the build machinery itself
#   2. our unit tests, the base tree's s390x qtests (regression suite)
#      and our qtests, all registered in the merged tree's meson
#
# Usage: check.sh TOP BUILD
#
# SPDX-License-Identifier: GPL-2.0-or-later
set -u

top=$1
build=$2
# Nothing a make above us was given (BUILD=DIR, -j, a jobserver) reaches
# the tests: each test works only on $build or on its own scratch copies.
unset MAKEFLAGS MFLAGS MAKEOVERRIDES MAKELEVEL
qbuild=$build/qemu
jobs=$(nproc 2>/dev/null || echo 2)
pass=0
fail=0
skip=0
failed=""

# --- 1. our shell tests ---------------------------------------------------
for t in "$top"/build-aux/tests/*.sh; do
    [ -f "$t" ] || continue
    [ "$(basename "$t")" = lib.sh ] && continue
    name=build/$(basename "$t" .sh)
    log=$build/test-logs/$(basename "$t" .sh).log
    mkdir -p "$build/test-logs"
    if TOP="$top" BUILD="$build" sh "$t" >"$log" 2>&1; then
        echo "ok   $name"
        pass=$((pass + 1))
    else
        rc=$?
        if [ $rc = 77 ]; then
            echo "skip $name: $(tail -n 1 "$log")"
            skip=$((skip + 1))
        else
            echo "FAIL $name (exit $rc), log $log:"
            sed 's/^/    /' "$log" | tail -n 30
            fail=$((fail + 1))
            failed="$failed $name"
        fi
    fi
done

# --- 2. tests registered in the merged tree's meson -----------------------

# count_results LABEL LOG: add up meson's testlog.json of the last run
count_results() {
    label=$1
    log=$2
    if [ ! -s "$qbuild/meson-logs/testlog.json" ]; then
        echo "FAIL $label: the tests did not run, log $log:"
        tail -n 30 "$log" | sed 's/^/    /'
        fail=$((fail + 1))
        failed="$failed $label"
        return
    fi
    counts=$(python3 - "$qbuild/meson-logs/testlog.json" <<'PYEOF'
import json, sys
p = f = s = 0
for line in open(sys.argv[1]):
    line = line.strip()
    if not line:
        continue
    t = json.loads(line)
    r = t.get("result")
    name = t.get("name")
    if r in ("OK", "EXPECTEDFAIL"):
        p += 1
        print("ok   %s" % name, file=sys.stderr)
    elif r == "SKIP":
        s += 1
        print("skip %s" % name, file=sys.stderr)
    else:
        f += 1
        print("FAIL %s (%s)" % (name, r), file=sys.stderr)
print(p, f, s)
PYEOF
)
    set -- $counts
    pass=$((pass + $1))
    fail=$((fail + $2))
    skip=$((skip + $3))
    if [ "$2" != 0 ]; then
        failed="$failed $label"
        grep -E '^(not ok|Bail out|ERROR|\*\*)' "$log" |
            head -n 20 | sed 's/^/    /'
    fi
}

# Our unit tests (they need no guest): build them, then run them.
units=$(cd "$top/tests/unit" 2>/dev/null && ls test-s390x-pv-*.c 2>/dev/null |
        sed 's/\.c$//')
if [ -n "$units" ]; then
    log=$build/test-logs/unit.log
    rm -f "$qbuild/meson-logs/testlog.json"
    targets=$(for u in $units; do printf 'tests/unit/%s ' "$u"; done)
    # shellcheck disable=SC2086
    { ninja -C "$qbuild" $targets &&
      meson test -C "$qbuild" --no-rebuild --print-errorlogs $units; } \
        >"$log" 2>&1
    count_results unit "$log"
fi

# The s390x qtests: the base tree's, as a regression suite, and ours.
log=$build/test-logs/qtest-s390x.log
rm -f "$qbuild/meson-logs/testlog.json"
make --no-print-directory -C "$qbuild" -j"$jobs" check-qtest-s390x \
    MESON_TESTTHREADS="$jobs" >"$log" 2>&1
count_results qtest-s390x "$log"

[ -n "$failed" ] && echo "failed:$failed (logs in $build/test-logs)"
if [ "$skip" != 0 ]; then
    echo "$pass passed, $fail failed, $skip skipped"
else
    echo "$pass passed, $fail failed"
fi
[ "$fail" = 0 ]
