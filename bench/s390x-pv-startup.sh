#!/bin/sh
# Benchmark (not a test): QEMU's start-up to the QMP greeting with the
# s390-pv-guest object (software Ultravisor, host key loading included)
# against the same machine without it, under TCG, runs alternating.
# Prints both medians and the ratio (goal: at most 1.02).
#
# Usage: bench/s390x-pv-startup.sh   (after make; BENCH_RUNS, default 60)
# SPDX-License-Identifier: GPL-2.0-or-later
set -eu
cd "$(dirname "$0")/.."
build=${BUILD:-$(pwd)/build}
qemu=$build/qemu/qemu-system-s390x
runs=${BENCH_RUNS:-60}
[ -x "$qemu" ] || { echo "run make first" >&2; exit 1; }
w=$(mktemp -d)
trap 'rm -rf "$w"' EXIT
openssl ecparam -name secp521r1 -genkey -noout -out "$w/host.key"

python3 - "$qemu" "$w/host.key" "$runs" <<'EOF'
import statistics, subprocess, sys, time

qemu, key, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])
base = [qemu, "-accel", "tcg", "-cpu", "max", "-m", "512", "-S",
        "-display", "none", "-nodefaults", "-qmp", "stdio"]
configs = {
    "plain": base + ["-M", "s390-ccw-virtio"],
    "PV": base + ["-M", "s390-ccw-virtio,confidential-guest-support=pv0",
                  "-object", "s390-pv-guest,id=pv0,host-key=" + key],
}

def start(argv):
    """Seconds from exec to the QMP greeting."""
    t = time.monotonic()
    p = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                         stderr=subprocess.DEVNULL)
    line = p.stdout.readline()
    d = time.monotonic() - t
    if b'"QMP"' not in line:
        sys.exit("no QMP greeting from: " + " ".join(argv))
    p.stdin.write(b'{"execute": "qmp_capabilities"}\n'
                  b'{"execute": "quit"}\n')
    p.stdin.close()
    p.wait()
    return d

times = {k: [] for k in configs}
for _ in range(2):                      # warm the page cache
    for argv in configs.values():
        start(argv)
for _ in range(runs):
    for k, argv in configs.items():
        times[k].append(start(argv))
p = statistics.median(times["plain"]) * 1000
v = statistics.median(times["PV"]) * 1000
print("start-up to the QMP greeting, median of %d: plain %.1f ms, "
      "with s390-pv-guest %.1f ms, ratio %.3f (goal <= 1.02)"
      % (runs, p, v, v / p))
EOF
