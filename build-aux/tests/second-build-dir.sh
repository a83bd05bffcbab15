# A build directory other than build/ is a first-class citizen, and the
# second one is the sanitizer job: configured with AddressSanitizer and
# UndefinedBehaviorSanitizer, built, and every test run against it with
# 'make -C DIR check' (the form that needs no variable).  Afterwards that
# run passed, no sanitizer reported anything, and both build directories
# are intact.
# SPDX-License-Identifier: GPL-2.0-or-later
. "$TOP/build-aux/tests/lib.sh"

if [ -n "${PV_CHECK_SECOND_BUILD:-}" ] ||
   grep -q fsanitize=address "$BUILD/qemu/build.ninja" 2>/dev/null; then
    echo "skip: this is the sanitizer build's own make check"
    exit 77
fi
second=${PV_SECOND_BUILD:-$BUILD-asan}

# What a build directory looks like: its key files, sizes and times.
snapshot() {
    for f in config.stamp config.mak Makefile src/VERSION \
             src/hw/s390x/pv-machine.c qemu/build.ninja \
             qemu/qemu-system-s390x qemu/tools/s390-pvimg; do
        [ -e "$1/$f" ] || continue
        stat -c '%n %s %Y' "$1/$f"
    done
    ls "$1/src" | wc -l
}
snapshot "$BUILD" >"$T/first.before"

# Nothing of the make that runs us reaches these makes.
clean() {
    env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL -u MAKEOVERRIDES -u BUILD "$@"
}

# 1. configure and build it, as the README says
clean "$TOP/configure" --build-dir="$second" -- --enable-asan --enable-ubsan \
        --with-coroutine=sigaltstack \
        >"$T/configure.log" 2>&1 ||
    fail "configure --build-dir=$second: $(tail -n 5 "$T/configure.log")"
grep -q "make -C $second" "$T/configure.log" ||
    fail "configure did not say how to use $second: $(cat "$T/configure.log")"
echo "ok: configured $second"
clean make -C "$TOP" BUILD="$second" >"$second/build.log" 2>&1 ||
    fail "make BUILD=$second failed: $(tail -n 20 "$second/build.log")"
[ -x "$second/qemu/qemu-system-s390x" ] || fail "no QEMU in $second"
grep -q fsanitize=address "$second/qemu/build.ninja" ||
    fail "$second is not a sanitizer build"
echo "ok: built $second (with -fsanitize=address,undefined)"

# 2. every test against it.  The sanitizers write what they find into
# files of their own, so that every QEMU's standard error stays what the
# tests expect; a finding also stops the process.  Leaks at exit are
# QEMU's own business (the base tree frees little at exit).
logs=$second/sanitizer-logs
rm -rf "$logs"
mkdir -p "$logs"
PV_CHECK_SECOND_BUILD=1 \
ASAN_OPTIONS=detect_leaks=0:abort_on_error=1:log_path=$logs/asan \
UBSAN_OPTIONS=halt_on_error=1:abort_on_error=1:print_stacktrace=1:log_path=$logs/ubsan \
    clean make --no-print-directory -C "$second" check >"$second/check.log" 2>&1
rc=$?
summary=$(grep -E "^[0-9]+ passed, [0-9]+ failed" "$second/check.log" | tail -n 1)
echo "make -C $second check: $summary"
[ $rc = 0 ] || fail "make -C $second check failed: $(grep -E '^FAIL|failed:' "$second/check.log" | head -n 20)"
echo "$summary" | grep -Eq '^[1-9][0-9]* passed, 0 failed' ||
    fail "unexpected summary '$summary'"
grep -q '^ok   .*s390x-pv-tcg-test' "$second/check.log" ||
    fail "the PV qtests did not run under the sanitizers"
# Anything but ASan's two notes about coroutine stacks (which it cannot
# follow) is a report.
reports=$(cat "$logs"/* 2>/dev/null |
          grep -v -e 'WARNING: ASan is ignoring requested __asan_handle_no_return' \
                  -e 'WARNING: ASan doesn.t fully support makecontext' \
                  -e '^False positive error reports may follow' \
                  -e '^For details see https://github.com/google/sanitizers' |
          grep -v '^ *$' || true)
[ -z "$reports" ] || fail "sanitizer reports: $(echo "$reports" | head -n 40)"
if grep -rlE 'runtime error:|ERROR: AddressSanitizer' \
        "$second/test-logs" "$second/qemu/meson-logs" >"$T/reports" 2>/dev/null; then
    fail "sanitizer reports in: $(cat "$T/reports")"
fi
echo "ok: no sanitizer report ($(ls "$logs" | wc -l) processes noted only ASan's coroutine warnings)"

# 3. both build directories intact
snapshot "$BUILD" >"$T/first.after"
cmp -s "$T/first.before" "$T/first.after" ||
    fail "$BUILD changed: $(diff "$T/first.before" "$T/first.after")"
for f in config.stamp src qemu/qemu-system-s390x qemu/build.ninja; do
    [ -e "$second/$f" ] || fail "$second/$f is gone after its make check"
done
echo "ok: $BUILD and $second intact"
