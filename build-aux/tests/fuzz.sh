# The s390x PV fuzzers (libFuzzer with ASan and UBSan): the IPL block
# parser, the software Ultravisor's set-secure-configuration with unpack
# and verify sequences, the protected guest's UV calls, diag 308
# subcodes 8/9/10 over guest memory, "s390-pvimg info" and what
# "s390-pvattest verify" does with an answer file.  Each runs a bounded number of executions on the
# checked-in seeds and what it found before; any crash fails the test.
# 'make fuzz FUZZ_SECONDS=N' runs them for longer.
# SPDX-License-Identifier: GPL-2.0-or-later
. "$TOP/build-aux/tests/lib.sh"

# The fuzzers are sanitizer builds of their own (clang's runtime), linked
# against a plain build's libraries: not against the sanitizer build's.
if grep -q fsanitize=address "$BUILD/qemu/build.ninja" 2>/dev/null; then
    echo "skip: the fuzzers run from the plain build, not from $BUILD"
    exit 77
fi

"$TOP/build-aux/fuzz.sh" "$TOP" "$BUILD" runs "${PV_FUZZ_RUNS:-20000}" ||
    fail "a fuzzer found a crash"
