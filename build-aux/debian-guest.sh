#!/bin/sh
# Fetch a Debian s390x kernel and busybox (apt-get download, never
# installed) and build a tiny initrd whose /init prints a marker that
# proves both the initrd and the kernel command line arrived.
#
# Usage: debian-guest.sh CACHEDIR [--debian13]
# Debian 12's kernel (6.1) by default; with --debian13, Debian 13's kernel
# (6.12, from bookworm-backports) and, decompressed in CACHEDIR/modules,
# the modules a guest needs for virtio-blk, virtio-net and /dev/uv.
# Leaves CACHEDIR/vmlinuz and CACHEDIR/initrd.img; prints nothing else on
# success but the two paths.
#
# SPDX-License-Identifier: GPL-2.0-or-later
set -eu

dir=$1
suite=bookworm
case "${2:-}" in
"") ;;
--debian13) suite=bookworm-backports ;;
*) echo "debian-guest: unknown option '$2'" >&2; exit 1 ;;
esac
# the modules of a Debian 13 guest, in the order they are loaded
MODULES="failover net_failover virtio_net virtio_blk uvdevice"
mkdir -p "$dir"
cd "$dir"

die() {
    echo "debian-guest: $*" >&2
    exit 1
}

if [ ! -f vmlinuz ] || [ ! -f busybox ]; then
    dpkg --print-foreign-architectures | grep -qx s390x ||
        die "the s390x architecture is not enabled: run build-aux/install-deps.sh as root"
    sel=linux-image-s390x:s390x
    [ "$suite" = bookworm ] || sel=$sel/$suite
    kpkg=$(apt-cache depends "$sel" 2>/dev/null |
           sed -n 's/^ *Depends: \(linux-image-[0-9][^:]*\).*/\1/p' | head -n 1)
    [ -n "$kpkg" ] || die "no s390x kernel package of $suite in the apt lists (apt-get update?)"
    rm -rf dl && mkdir dl
    (cd dl && apt-get download -q "$kpkg:s390x" "busybox-static:s390x") \
        >download.log 2>&1 || die "apt-get download failed: see $dir/download.log"
    rm -rf x && mkdir x
    for d in dl/*.deb; do
        dpkg-deb -x "$d" x
    done
    cp x/boot/vmlinuz-* vmlinuz.tmp && mv vmlinuz.tmp vmlinuz
    cp x/bin/busybox busybox.tmp && mv busybox.tmp busybox
    basename "$(ls x/boot/vmlinuz-*)" >kernel-version
    if [ "$suite" != bookworm ]; then
        rm -rf modules && mkdir modules
        for m in $MODULES; do
            ko=$(find x/lib/modules -name "$m.ko*" | head -n 1)
            [ -n "$ko" ] || die "$kpkg has no module $m"
            case "$ko" in
            *.xz) xz -dc "$ko" >"modules/$m.ko" ;;
            *) cp "$ko" "modules/$m.ko" ;;
            esac
        done
        echo "$MODULES" >modules/order
    fi
    rm -rf x dl
fi

if [ ! -f initrd.img ] || [ "$0" -nt initrd.img ]; then
    rm -rf root && mkdir -p root/bin root/proc root/sys root/dev
    cp busybox root/bin/busybox
    chmod 755 root/bin/busybox
    cat >root/init <<'EOF'
#!/bin/busybox sh
/bin/busybox mount -t proc proc /proc
/bin/busybox mount -t devtmpfs dev /dev 2>/dev/null
read -r cmdline </proc/cmdline
marker=none
for w in $cmdline; do
    case "$w" in
    guest.marker=*) marker=${w#guest.marker=} ;;
    esac
done
echo "GUEST-USERSPACE-OK initrd=busybox marker=$marker"
echo "kernel: $(/bin/busybox uname -r)"
/bin/busybox poweroff -f
EOF
    chmod 755 root/init
    (cd root && find . | cpio -o -H newc --quiet | gzip -9) >initrd.tmp
    mv initrd.tmp initrd.img
    rm -rf root
fi

echo "$dir/vmlinuz"
echo "$dir/initrd.img"
