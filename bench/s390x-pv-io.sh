#!/bin/sh
# Benchmark (not a test): what isolation costs a protected guest's I/O.
# The PV-aware test kernel (build-aux/pv-kernel.sh) reads a 256 MiB
# virtio-blk disk with dd (1 MiB blocks, O_DIRECT) inside the guest:
#   plain      not protected (-kernel/-initrd/-append), the anchor
#   isolated   protected, isolation on (the default): every device access
#              goes through the per-device IOMMU view, the data through
#              SWIOTLB bounce buffers
#   open       protected, isolation=off (the host sees everything)
# and prints the guest's own MB/s (median of BENCH_RUNS runs, default 3)
# with the ratio to the plain run.  The bounce buffering is the guest's
# (Linux shares its SWIOTLB pool), so "open" shows what is the guest's
# and "isolated" what the view adds on top.
#
# Usage: bench/s390x-pv-io.sh (after make)
# SPDX-License-Identifier: GPL-2.0-or-later
set -eu
cd "$(dirname "$0")/.."
top=$(pwd)
build=${BUILD:-$top/build}
qemu=$build/qemu/qemu-system-s390x
pvimg=$build/qemu/tools/s390-pvimg
runs=${BENCH_RUNS:-3}
[ -x "$qemu" ] && [ -x "$pvimg" ] || { echo "run make first" >&2; exit 1; }

bz=$("$top/build-aux/pv-kernel.sh" "$top/.cache/pv-kernel")
"$top/build-aux/debian-guest.sh" "$top/.cache/guest" >/dev/null
w=$(mktemp -d)
trap 'rm -rf "$w"' EXIT

mkdir -p "$w/root/bin" "$w/root/proc" "$w/root/sys" "$w/root/dev"
cp "$top/.cache/guest/busybox" "$w/root/bin/busybox"
cat >"$w/root/init" <<'EOF'
#!/bin/busybox sh
bb=/bin/busybox
$bb mount -t proc proc /proc
$bb mount -t devtmpfs dev /dev
s=$($bb cut -d' ' -f1 /proc/uptime)
$bb dd if=/dev/vda of=/dev/null bs=1M iflag=direct 2>/dev/null
e=$($bb cut -d' ' -f1 /proc/uptime)
echo "IO-RESULT $s $e"
$bb poweroff -f
EOF
chmod 755 "$w/root/init" "$w/root/bin/busybox"
(cd "$w/root" && find . | cpio -o -H newc --quiet | gzip -1) >"$w/initrd"
openssl ecparam -name secp521r1 -genkey -noout -out "$w/host.key"
openssl req -x509 -new -key "$w/host.key" -nodes -days 1 \
    -subj "/CN=s390x PV IO benchmark" -out "$w/host.crt" 2>/dev/null
echo "console=ttysclp0 quiet" >"$w/parm"
"$pvimg" --no-verify -k "$w/host.crt" -i "$bz" -r "$w/initrd" \
    -p "$w/parm" -o "$w/secure.img" >/dev/null
truncate -s 256M "$w/disk.img"
mb=256

# one KIND: the guest's MB/s
one() {
    case $1 in
    plain)
        set -- -kernel "$bz" -initrd "$w/initrd" \
            -append "console=ttysclp0 quiet"
        ;;
    isolated)
        set -- -machine confidential-guest-support=pv0 \
            -object s390-pv-guest,id=pv0,host-key="$w/host.key" \
            -kernel "$w/secure.img"
        ;;
    open)
        set -- -machine confidential-guest-support=pv0 \
            -object s390-pv-guest,id=pv0,host-key="$w/host.key",isolation=off \
            -kernel "$w/secure.img"
        ;;
    esac
    "$qemu" -M s390-ccw-virtio -accel tcg -cpu max -m 1G -nographic \
        -nodefaults -serial none -device sclpconsole,chardev=con0 \
        -chardev file,id=con0,path="$w/con" \
        -drive file="$w/disk.img",if=none,id=d0,format=raw,cache=unsafe \
        -device virtio-blk-ccw,drive=d0 "$@" </dev/null >/dev/null 2>&1
    tr -d '\r' <"$w/con" | sed -n 's/^IO-RESULT \([0-9.]*\) \([0-9.]*\)$/\1 \2/p' |
        awk -v mb=$mb '{ printf "%.1f\n", mb / ($2 - $1) }'
}

median() {
    sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}

echo "guest dd of a ${mb} MiB virtio-blk disk, 1 MiB blocks, O_DIRECT; median of $runs"
: >"$w/plain" ; : >"$w/isolated" ; : >"$w/open"
i=0
while [ $i -lt "$runs" ]; do
    for k in plain isolated open; do
        one $k >>"$w/$k"
    done
    i=$((i + 1))
done
base=$(median <"$w/plain")
printf "%-10s %8s MB/s  (anchor)\n" plain "$base"
for k in open isolated; do
    v=$(median <"$w/$k")
    printf "%-10s %8s MB/s  ratio %s\n" "$k" "$v" \
        "$(awk -v a="$v" -v b="$base" 'BEGIN { printf "%.2f", a / b }')"
done
