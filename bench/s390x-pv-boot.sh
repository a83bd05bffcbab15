#!/bin/sh
# Benchmark (not a test): a protected boot against a plain boot of the same
# guest, the bundled default (Debian 13's s390x kernel, a busybox initrd,
# a command line), at several memory sizes.  The plain boot gets
# -kernel/-initrd/-append; the protected one the Secure Execution image
# of the same three, under TCG with the software Ultravisor.  Both end
# right after the guest prints its userspace marker (the init powers
# off), so the wall time of the QEMU process is the time to that marker.
# The second anchor is the same plain boot on Debian's stock
# qemu-system-s390x 10.0 (bookworm-backports, /usr/bin; STOCK_QEMU=...).
#
# The runs alternate (stock, plain, protected, stock, ...); the script
# prints the median wall time and peak RSS of each, the time ratios
# protected/plain, plain/stock and protected/stock, and the extra peak RSS
# of the protected boot next to its budget (64 MiB plus the image size).
#
# Usage: bench/s390x-pv-boot.sh [SIZES] (after make; default
#        "512M 2G 8G"; BENCH_RUNS runs of each, default 5)
# SPDX-License-Identifier: GPL-2.0-or-later
set -eu
cd "$(dirname "$0")/.."
top=$(pwd)
build=${BUILD:-$top/build}
qemu=$build/qemu/qemu-system-s390x
pvimg=$build/qemu/tools/s390-pvimg
stock=${STOCK_QEMU:-/usr/bin/qemu-system-s390x}
sizes=${1:-512M 2G 8G}
runs=${BENCH_RUNS:-5}
[ -x "$qemu" ] && [ -x "$pvimg" ] || { echo "run make first" >&2; exit 1; }

"$top/build-aux/debian-guest.sh" "$top/.cache/guest13" --debian13 >/dev/null
g=$top/.cache/guest13
if [ -x "$stock" ]; then
    echo "stock anchor: $("$stock" -version | head -n 1)"
else
    echo "stock anchor: $stock not installed (build-aux/install-deps.sh)"
    stock=""
fi
w=$(mktemp -d)
trap 'rm -rf "$w"' EXIT

openssl ecparam -name secp521r1 -genkey -noout -out "$w/host.key"
openssl req -x509 -new -key "$w/host.key" -nodes -days 1 \
    -subj "/CN=s390x PV boot benchmark" -out "$w/host.crt" 2>/dev/null
cmdline="console=ttysclp0 panic=-1 guest.marker=bench"
echo "$cmdline" >"$w/parm"
"$pvimg" --no-verify -k "$w/host.crt" -i "$g/vmlinuz" -r "$g/initrd.img" \
    -p "$w/parm" -o "$w/secure.img"
img_kib=$(( $(stat -c %s "$w/secure.img") / 1024 ))

# one boot: prints "SECONDS MAXRSS_KIB"; fails unless the marker came
boot() {
    mem=$1
    shift
    /usr/bin/time -f '%e %M' -o "$w/time" timeout 600 "${BIN:-$qemu}" \
        -M s390-ccw-virtio"$MACHINE_OPTS" -accel tcg -cpu max -m "$mem" \
        -nographic -no-reboot -nodefaults -serial none \
        -device sclpconsole,chardev=con0 -chardev file,id=con0,path="$w/con" \
        "$@" </dev/null >/dev/null 2>&1 || true
    grep -q 'GUEST-USERSPACE-OK initrd=busybox marker=bench' "$w/con" || {
        echo "boot without the userspace marker: $(tail -n 5 "$w/con")" >&2
        exit 1
    }
    tail -n 1 "$w/time"
}

median() {
    sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}

ratio() {
    echo "$1 $2" | awk '{ if ($2 > 0) printf "%.2f", $1 / $2; else print "n/a" }'
}

printf '%-6s %8s %8s %8s %7s %7s %7s %10s %10s %10s %10s\n' "-m" "stock s" \
    "plain s" "PV s" "PV/pl" "pl/st" "PV/st" "plain RSS" "PV RSS" \
    "extra RSS" "budget"
for mem in $sizes; do
    : >"$w/stock"
    : >"$w/plain"
    : >"$w/pv"
    i=0
    while [ $i -lt "$runs" ]; do
        if [ -n "$stock" ]; then
            BIN=$stock MACHINE_OPTS="" boot "$mem" -kernel "$g/vmlinuz" \
                -initrd "$g/initrd.img" -append "$cmdline" >>"$w/stock"
        fi
        MACHINE_OPTS="" boot "$mem" -kernel "$g/vmlinuz" \
            -initrd "$g/initrd.img" -append "$cmdline" >>"$w/plain"
        MACHINE_OPTS=",confidential-guest-support=pv0" boot "$mem" \
            -object s390-pv-guest,id=pv0,host-key="$w/host.key" \
            -kernel "$w/secure.img" >>"$w/pv"
        i=$((i + 1))
    done
    st=$(cut -d' ' -f1 "$w/stock" | median)
    pt=$(cut -d' ' -f1 "$w/plain" | median)
    vt=$(cut -d' ' -f1 "$w/pv" | median)
    pr=$(cut -d' ' -f2 "$w/plain" | median)
    vr=$(cut -d' ' -f2 "$w/pv" | median)
    printf '%-6s %8s %8s %8s %7s %7s %7s %6s MiB %6s MiB %6s MiB %6s MiB\n' \
        "$mem" "${st:-n/a}" "$pt" "$vt" "$(ratio "$vt" "$pt")" \
        "$(ratio "$pt" "${st:-0}")" "$(ratio "$vt" "${st:-0}")" \
        $((pr / 1024)) $((vr / 1024)) $(((vr - pr) / 1024)) \
        $(((65536 + img_kib) / 1024))
done
echo "($runs runs each, medians; goals: PV/plain <= 1.10, plain/stock <= 1.00,"
echo " PV/stock <= 1.10, extra RSS <= budget)"
