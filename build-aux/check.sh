#!/bin/sh
# Run every test of the project and print one summary line
# "N passed, N failed" (", N skipped" when some were skipped).
# Exits non-zero when any test failed.
#
#   1. build-aux/tests/*.sh   tests of the build machinery itself
#   2. the base tree's s390x qtests (regression suite), and every test of
#      ours registered in the merged tree's meson suites
#
# Usage: check.sh TOP BUILD
#
# SPDX-License-Identifier: GPL-2.0-or-later
set -u

top=$1
build=$2
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

# --- 2. meson suites of the merged tree -----------------------------------
SUITES="qtest-s390x"
for s in $SUITES; do
    rm -f "$qbuild/meson-logs/testlog.json"
    make --no-print-directory -C "$qbuild" -j"$jobs" "check-$s" \
        MESON_TESTTHREADS="$jobs" >"$build/test-logs/$s.log" 2>&1
    if [ ! -s "$qbuild/meson-logs/testlog.json" ]; then
        echo "FAIL $s: the suite did not run, log $build/test-logs/$s.log:"
        tail -n 30 "$build/test-logs/$s.log" | sed 's/^/    /'
        fail=$((fail + 1))
        failed="$failed $s"
        continue
    fi
    counts=$(python3 - "$qbuild/meson-logs/testlog.json" <<'EOF'
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
EOF
)
    set -- $counts
    pass=$((pass + $1))
    fail=$((fail + $2))
    skip=$((skip + $3))
    if [ "$2" != 0 ]; then
        failed="$failed $s"
        grep -E '^(not ok|Bail out|ERROR|\*\*)' "$build/test-logs/$s.log" |
            head -n 20 | sed 's/^/    /'
    fi
done

[ -n "$failed" ] && echo "failed:$failed (logs in $build/test-logs)"
if [ "$skip" != 0 ]; then
    echo "$pass passed, $fail failed, $skip skipped"
else
    echo "$pass passed, $fail failed"
fi
[ "$fail" = 0 ]
