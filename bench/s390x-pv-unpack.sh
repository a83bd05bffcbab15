#!/bin/sh
# Benchmark (not a test): the software Ultravisor's unpack + verify rate
# (set secure parameters, unpack and verify a 64 MiB component) next to
# the anchor measured in the same run on the same machine: OpenSSL's
# single-core AES-256-XTS decryption plus SHA-512 of 4 KiB blocks
# (openssl speed; the command-line tool only, OpenSSL is not linked into
# QEMU), combined as one pass over the data: 1 / (1/xts + 1/sha512).
#
# Usage: bench/s390x-pv-unpack.sh   (after make)
# SPDX-License-Identifier: GPL-2.0-or-later
set -eu
cd "$(dirname "$0")/.."
build=${BUILD:-$(pwd)/build}
ninja -C "$build/qemu" tests/bench/s390x-pv-unpack-bench >/dev/null

# openssl speed prints kB/s (1000 bytes) per block size; take 4096 bytes.
speed() {
    openssl speed -seconds 3 -bytes 4096 -evp "$1" 2>/dev/null |
        awk -v alg="$2" '$1 == alg { v = $NF; sub(/k$/, "", v); print v * 1000 / 1e6 }'
}
ours=$("$build/qemu/tests/bench/s390x-pv-unpack-bench")
xts=$(speed aes-256-xts AES-256-XTS)
sha=$(speed sha512 sha512)
ours2=$("$build/qemu/tests/bench/s390x-pv-unpack-bench")
echo "$ours"
echo "$ours2"
awk -v a="$(echo "$ours" | cut -d' ' -f2)" -v b="$(echo "$ours2" | cut -d' ' -f2)" \
    -v x="$xts" -v s="$sha" 'BEGIN {
    m = a > b ? a : b
    anchor = 1 / (1 / x + 1 / s)
    printf "openssl speed (1 core, 4 KiB): AES-256-XTS %.1f MB/s, SHA-512 %.1f MB/s\n", x, s
    printf "anchor, XTS decrypt + SHA-512 in one pass: %.1f MB/s\n", anchor
    printf "unpack+verify %.1f MB/s, ratio %.2f (goal >= 0.80)\n", m, m / anchor
}'
