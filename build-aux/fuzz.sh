#!/bin/sh
# Build and run the s390x PV fuzzers (libFuzzer, with AddressSanitizer and
# UndefinedBehaviorSanitizer) from tests/fuzz/s390x-pv/.
#
#   fuzz.sh TOP BUILD runs N      each fuzzer for N executions (make check)
#   fuzz.sh TOP BUILD time SECS   each fuzzer for SECS seconds (make fuzz)
#
# The fuzzers are compiled with clang, with the flags QEMU's build gave our
# unit tests, and linked against that build's libraries; they go to
# BUILD/fuzz, their corpora (the checked-in seeds plus what they find) to
# BUILD/fuzz/corpus, crashes to BUILD/fuzz/crash-*.  Exit status 1 when a
# fuzzer finds a crash.
#
# SPDX-License-Identifier: GPL-2.0-or-later
set -eu

top=$(cd "$1" && pwd)
build=$(cd "$2" && pwd)
mode=$3
amount=$4
qbuild=$build/qemu
out=$build/fuzz
src=$build/src
seeds=$top/tests/fuzz/s390x-pv/corpus
TARGETS="iplb uv uvc diag308 pvimg-info pvattest-verify pvattest-check pvdump"

die() {
    echo "fuzz: $*" >&2
    exit 1
}

command -v clang >/dev/null 2>&1 ||
    die "clang not found: run 'sudo build-aux/install-deps.sh'"
[ -f "$qbuild/compile_commands.json" ] || die "no QEMU build in $qbuild: run make"
mkdir -p "$out"

# The unit tests' compile flags and link arguments, for clang.
python3 - "$qbuild" "$out/flags" "$out/link" <<'PYEOF'
import json, shlex, sys
qbuild, flags_out, link_out = sys.argv[1:4]
cmd = None
for e in json.load(open(qbuild + "/compile_commands.json")):
    if e["file"].endswith("tests/unit/test-s390x-pv-sw.c"):
        cmd = shlex.split(e["command"])
if cmd is None:
    sys.exit("fuzz: the PV unit tests are not in the QEMU build")
flags, skip = [], False
for a in cmd[1:]:
    if skip:
        skip = False
        continue
    if a in ("-MQ", "-MF", "-o"):
        skip = True
        continue
    if a in ("-c", "-MD") or a.endswith(".c"):
        continue
    # gcc's own warnings; clang's are enough
    if a in ("-Wold-style-declaration", "-Wimplicit-fallthrough=2",
             "-Wno-psabi", "-fdiagnostics-color=auto", "-O2"):
        continue
    # hardening flags of QEMU 10.0 that clang 14 does not take
    if a.startswith(("-fzero-call-used-regs", "-ftrivial-auto-var-init")):
        continue
    flags.append(a)
open(flags_out, "w").write(" ".join(shlex.quote(f) for f in flags))
link = None
lines = open(qbuild + "/build.ninja").read().split("\n")
for i, l in enumerate(lines):
    if l.startswith("build tests/unit/test-s390x-pv-sw: c_LINKER"):
        link = lines[i + 1].split("=", 1)[1]
        # QEMU 10.0 links the objects of its internal libraries (QOM,
        # crypto, ...) directly; the test's own objects are not wanted.
        inputs = l.split("c_LINKER", 1)[1].split("|")[0].split()
        objs = [o for o in inputs if o.startswith("lib") and o.endswith(".o")]
        link = " ".join(objs) + " " + link
if link is None:
    sys.exit("fuzz: no link line for the PV unit tests")
link = link.replace("-Wl,--no-undefined", "").replace("-pie", "")
open(link_out, "w").write(link)
PYEOF

SAN="-fsanitize=address,undefined -fno-sanitize-recover=undefined"
CFLAGS="$(cat "$out/flags") -O1 -g -fno-omit-frame-pointer \
    -Wno-unknown-warning-option -Wno-unused-command-line-argument \
    -I$src/tests/fuzz/s390x-pv $SAN"

# Our PV code, with coverage for the fuzzer; then one binary per target.
objs=""
: >"$out/build.log"
for f in pv-diag pv-iplb pv-se pv-sw pv-sw-secrets pv-req pv-uv pv-dump; do
    o=$out/$f.o
    if [ ! -f "$o" ] || [ "$src/hw/s390x/$f.c" -nt "$o" ] ||
       [ "$out/flags" -nt "$o" ]; then
        # shellcheck disable=SC2086
        (cd "$qbuild" && clang $CFLAGS -fsanitize=fuzzer-no-link \
            -c "$src/hw/s390x/$f.c" -o "$o") >>"$out/build.log" 2>&1 ||
            die "cannot compile $f.c: see $out/build.log"
    fi
    objs="$objs $o"
done
for t in $TARGETS; do
    case $t in
    pvimg-info) c=$src/tests/fuzz/s390x-pv/fuzz-s390x-pvimg-info.c ;;
    pvdump) c=$src/tests/fuzz/s390x-pv/fuzz-s390x-pvdump.c ;;
    pvattest-verify|pvattest-check)
        c=$src/tests/fuzz/s390x-pv/fuzz-s390x-$t.c ;;
    *) c=$src/tests/fuzz/s390x-pv/fuzz-s390x-pv-$t.c ;;
    esac
    bin=$out/fuzz-s390x-pv-$t
    if [ ! -x "$bin" ] || [ "$c" -nt "$bin" ] ||
       [ "$src/tools/s390-pvimg/s390-pvimg.c" -nt "$bin" ] ||
       [ "$src/tools/s390-pvattest/s390-pvattest.c" -nt "$bin" ] ||
       [ "$src/tools/s390-pvdump/s390-pvdump.c" -nt "$bin" ] ||
       [ "$src/tools/s390-pv-common/pv-tool.c" -nt "$bin" ] ||
       [ "$src/tools/s390-pv-common/uvdev.c" -nt "$bin" ] ||
       [ -n "$(find $objs -newer "$bin")" ]; then
        # shellcheck disable=SC2086
        (cd "$qbuild" && clang $CFLAGS -Wno-unused-function \
            -fsanitize=fuzzer -o "$bin" "$c" $objs $(cat "$out/link")) \
            >>"$out/build.log" 2>&1 ||
            die "cannot build $bin: see $out/build.log"
    fi
done

# Run each on its corpus: the checked-in seeds, then what it found before.
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
failed=""
for t in $TARGETS; do
    bin=$out/fuzz-s390x-pv-$t
    corpus=$out/corpus/$t
    mkdir -p "$corpus"
    case $mode in
    runs) limit="-runs=$amount" ;;
    time) limit="-max_total_time=$amount" ;;
    *) die "unknown mode '$mode' (runs N or time SECONDS)" ;;
    esac
    log=$out/$t.log
    case $t in
    iplb) max=4096 ;;
    pvimg-info) max=90000 ;;
    *) max=20000 ;;
    esac
    if "$bin" "$limit" -max_len=$max -timeout=20 -print_final_stats=1 \
            -artifact_prefix="$out/crash-$t-" "$corpus" "$seeds/$t" \
            >"$log" 2>&1; then
        execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
        echo "fuzz: $t: ${execs:-?} executions, no crash"
    else
        echo "fuzz: $t: CRASH, see $log and $out/crash-$t-*"
        grep -E 'ERROR|runtime error|SUMMARY|Assertion' "$log" | head -n 5
        failed="$failed $t"
    fi
done
[ -z "$failed" ] || die "crashes in:$failed"
