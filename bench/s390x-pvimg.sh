#!/bin/sh
# Benchmark (not a test): s390-pvimg on a large input, the bundled
# default's kernel and a 1 GiB initrd (files on /dev/shm, so that the disk
# is not measured), next to the anchor measured in the same run: OpenSSL's
# single-core AES-256-XTS encryption plus SHA-512 of 4 KiB blocks
# (openssl speed), combined as one pass: 1 / (1/xts + 1/sha512).
# Prints the builder's MB/s, its peak RSS (goal: at most 32 MiB whatever
# the input) and the ratio (goal: at least 0.80).
#
# Usage: bench/s390x-pvimg.sh   (after make; PVIMG_BENCH_MIB, default 1024)
# SPDX-License-Identifier: GPL-2.0-or-later
set -eu
cd "$(dirname "$0")/.."
top=$(pwd)
build=${BUILD:-$top/build}
pvimg=$build/qemu/tools/s390-pvimg
mib=${PVIMG_BENCH_MIB:-1024}
[ -x "$pvimg" ] || { echo "run make first" >&2; exit 1; }
"$top/build-aux/debian-guest.sh" "$top/.cache/guest" >/dev/null
d=/dev/shm
[ -d "$d" ] && [ -w "$d" ] || d=${TMPDIR:-/tmp}
w=$(mktemp -d "$d/s390x-pvimg-bench.XXXXXX")
trap 'rm -rf "$w"' EXIT

openssl ecparam -name secp521r1 -genkey -noout -out "$w/host.key"
openssl req -x509 -new -key "$w/host.key" -nodes -days 1 \
    -subj "/CN=s390-pvimg benchmark" -out "$w/host.crt" 2>/dev/null
head -c $((mib * 1024 * 1024)) /dev/urandom >"$w/initrd"
echo "console=ttysclp0" >"$w/parm"

speed() {
    openssl speed -seconds 3 -bytes 4096 -evp "$1" 2>/dev/null |
        awk -v alg="$2" '$1 == alg { v = $NF; sub(/k$/, "", v); print v * 1000 / 1e6 }'
}
xts=$(speed aes-256-xts AES-256-XTS)
sha=$(speed sha512 sha512)

best=""
for run in 1 2 3; do
    rm -f "$w/out.img"
    /usr/bin/time -f '%e %M' -o "$w/time" "$pvimg" --no-verify \
        -k "$w/host.crt" -i "$top/.cache/guest/vmlinuz" -r "$w/initrd" \
        -p "$w/parm" -o "$w/out.img"
    set -- $(cat "$w/time")
    size=$(stat -c %s "$w/out.img")
    echo "run $run: $(echo "$size $1" | awk '{ printf "%.1f", $1 / $2 / 1e6 }') MB/s, peak RSS $(($2 / 1024)) MiB"
    best=$(printf '%s\n%s %s\n' "$best" "$1" "$2" | sed '/^$/d' | sort -n | head -n 1)
done
set -- $best
awk -v t="$1" -v rss="$2" -v size="$size" -v x="$xts" -v s="$sha" 'BEGIN {
    mbs = size / t / 1e6
    anchor = 1 / (1 / x + 1 / s)
    printf "image %.0f MiB (1 GiB initrd): best %.1f MB/s, peak RSS %d MiB (goal <= 32)\n", size / 1048576, mbs, rss / 1024
    printf "openssl speed (1 core, 4 KiB): AES-256-XTS %.1f MB/s, SHA-512 %.1f MB/s; anchor %.1f MB/s\n", x, s, anchor
    printf "ratio %.2f (goal >= 0.80)\n", mbs / anchor
}'
