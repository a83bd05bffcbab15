# Converting a guest to Secure Execution the way IBM documents it, under
# TCG: a guest that is not protected (Debian's s390x kernel, a busybox
# initrd with Debian's zipl and mkfs.ext4, extracted from their s390x
# packages) makes a file system on its virtio-blk disk, copies in a
# Secure Execution image built on the host by s390-pvimg, runs zipl on
# it and powers off.  QEMU then IPLs the disk through the unmodified
# s390-ccw BIOS, stage3a issues diag 308 8 and 10, and the guest comes up
# protected to its userspace marker.  (The installer runs from -kernel,
# and a -kernel boot loads no BIOS, so QEMU cannot re-IPL from the disk
# in the same run: the test starts QEMU again, as a cold reboot.)
# SPDX-License-Identifier: GPL-2.0-or-later
. "$TOP/build-aux/tests/lib.sh"

g=$TOP/.cache/guest
c=$TOP/.cache/diskboot
"$TOP/build-aux/debian-guest.sh" "$g" >/dev/null ||
    fail "cannot fetch Debian's s390x kernel and busybox"
kver=$(sed 's/^vmlinuz-//' "$g/kernel-version")

# Debian's zipl, mke2fs and their libraries, and the kernel's modules for
# virtio-blk and ext4 (Debian builds both as modules)
if [ ! -f "$c/done" ] || [ "$(cat "$c/done")" != "$kver" ]; then
    rm -rf "$c" && mkdir -p "$c/dl" "$c/x"
    (cd "$c/dl" && apt-get download -q "linux-image-$kver:s390x" \
        s390-tools:s390x e2fsprogs:s390x libext2fs2:s390x \
        libcom-err2:s390x libblkid1:s390x libuuid1:s390x) \
        >"$c/download.log" 2>&1 ||
        fail "apt-get download failed: $(tail -n 3 "$c/download.log")"
    for d in "$c"/dl/*.deb; do
        dpkg-deb -x "$d" "$c/x"
    done
    echo "$kver" >"$c/done"
fi
x=$c/x
m=$x/lib/modules/$kver/kernel
for f in "$x/sbin/zipl" "$x/sbin/mke2fs" "$m/drivers/block/virtio_blk.ko" \
         "$m/fs/ext4/ext4.ko"; do
    [ -f "$f" ] || fail "missing in Debian's packages: $f"
done

# the image to install: Debian's kernel, an initrd that prints the marker
busybox_root "$T/se"
cat >"$T/se/init" <<'EOF2'
#!/bin/busybox sh
/bin/busybox mount -t proc proc /proc
echo "GUEST-USERSPACE-OK disk boot, protected: $(/bin/busybox cat /proc/cmdline)"
/bin/busybox poweroff -f
EOF2
pack_initrd "$T/se" "$T/se.initrd"
host_key_pair "$T/host.pem" "$T/host.crt"
echo "console=ttysclp0 quiet se-from-disk" >"$T/se.parm"
"$PVIMG" --no-verify -k "$T/host.crt" -i "$g/vmlinuz" -r "$T/se.initrd" \
    -p "$T/se.parm" -o "$T/secure.img" || fail "s390-pvimg failed"

# the installer: busybox, zipl, mke2fs, glibc, the modules, the image
r=$T/inst
busybox_root "$r"
mkdir -p "$r/sbin" "$r/lib/s390x-linux-gnu" "$r/mnt" "$r/tmp" "$r/mod" "$r/etc"
cp "$x/sbin/zipl" "$x/sbin/mke2fs" "$r/sbin/"
mkdir -p "$r/lib/s390-tools"
cp "$x"/lib/s390-tools/*.bin "$r/lib/s390-tools/"        # zipl's loaders
cp /usr/s390x-linux-gnu/lib/ld64.so.1 "$r/lib/ld64.so.1"
cp /usr/s390x-linux-gnu/lib/libc.so.6 "$r/lib/s390x-linux-gnu/"
for l in libext2fs.so.2 libcom_err.so.2 libe2p.so.2; do
    cp -L "$x/lib/s390x-linux-gnu/$l" "$r/lib/s390x-linux-gnu/"
done
for l in libblkid.so.1 libuuid.so.1; do
    cp -L "$x/usr/lib/s390x-linux-gnu/$l" "$r/lib/s390x-linux-gnu/"
done
for k in drivers/block/virtio_blk lib/crc16 fs/mbcache fs/jbd2/jbd2 \
         crypto/crc32c_generic fs/ext4/ext4; do
    cp "$m/$k.ko" "$r/mod/"
done
cp "$T/secure.img" "$r/secure.img"
cat >"$r/init" <<'EOF2'
#!/bin/busybox sh
bb=/bin/busybox
$bb mount -t proc proc /proc
$bb mount -t sysfs sys /sys
$bb mount -t devtmpfs dev /dev
$bb mount -t tmpfs tmp /tmp
for k in virtio_blk crc16 mbcache jbd2 crc32c_generic ext4; do
    $bb insmod /mod/$k.ko || echo "INSTALL-FAILED insmod $k"
done
i=0
while [ ! -b /dev/vda ] && [ $i -lt 50 ]; do $bb sleep 0.1; i=$((i + 1)); done
/sbin/mke2fs -t ext4 -F -q /dev/vda || echo "INSTALL-FAILED mkfs"
$bb mount -t ext4 /dev/vda /mnt || echo "INSTALL-FAILED mount"
$bb mkdir -p /mnt/boot
$bb cp /secure.img /mnt/boot/secure.img
/sbin/zipl --target /mnt/boot --image /mnt/boot/secure.img || echo "INSTALL-FAILED zipl"
$bb umount /mnt
echo "INSTALLED; powering off"
$bb poweroff -f
EOF2
chmod 755 "$r/sbin/zipl" "$r/sbin/mke2fs"
pack_initrd "$r" "$T/inst.initrd"

truncate -s 64M "$T/disk.img"
# run NAME [QEMU ARGS...]: console in $T/NAME.c, QEMU's exit status in $rc
run() {
    name=$1
    shift
    timeout 900 "$QEMU" -M s390-ccw-virtio,confidential-guest-support=pv0 \
        -object s390-pv-guest,id=pv0,host-key="$T/host.pem" -accel tcg \
        -cpu max -m 512 -nographic -nodefaults -serial none \
        -device sclpconsole,chardev=con0 \
        -chardev file,id=con0,path="$T/$name.console" \
        -drive file="$T/disk.img",if=none,id=d0,format=raw \
        -action panic=exit-failure "$@" </dev/null >"$T/$name.out" 2>&1
    rc=$?
    tr -d '\r' <"$T/$name.console" >"$T/$name.c"
    echo "--- $name: console (selected) ---"
    grep -E 'INSTALL|Building|Preparing|Done|LOADPARM|Using|ISO|stage3a|GUEST-USERSPACE' "$T/$name.c"
    cat "$T/$name.out"
}

run install -device virtio-blk-ccw,drive=d0,devno=fe.0.0000 \
    -kernel "$g/vmlinuz" -initrd "$T/inst.initrd" \
    -append "console=ttysclp0 quiet"
grep -q INSTALL-FAILED "$T/install.c" &&
    fail "the installer failed: $(grep INSTALL-FAILED "$T/install.c")"
grep -q '^INSTALLED; powering off' "$T/install.c" ||
    fail "the installer did not finish: $(tail -n 20 "$T/install.c")"
[ $rc = 0 ] || fail "installer: QEMU exited $rc"

run disk -device virtio-blk-ccw,drive=d0,devno=fe.0.0000,bootindex=1
grep -q 'Using virtio-blk' "$T/disk.c" || fail "the BIOS did not IPL the disk"
grep -q 'stage3a: PV IPL block accepted, diag 308 subcode 10' "$T/disk.c" ||
    fail "no protected IPL from the disk: $(tail -n 20 "$T/disk.c")"
grep -q 'GUEST-USERSPACE-OK disk boot, protected: console=ttysclp0 quiet se-from-disk' "$T/disk.c" ||
    fail "no userspace marker from the disk"
[ $rc = 0 ] || fail "disk boot: QEMU exited $rc"
echo "ok: installed with zipl, IPLed from the disk through the BIOS, protected"

# the same image as the El Torito boot entry of an ISO-9660 image
mkdir "$T/iso"
cp "$T/secure.img" "$T/iso/secure.img"
genisoimage -quiet -o "$T/se.iso" -b secure.img -no-emul-boot \
    -boot-load-size 4 "$T/iso" || fail "genisoimage failed"
run iso -drive file="$T/se.iso",if=none,id=cd0,format=raw,media=cdrom,readonly=on \
    -device virtio-blk-ccw,drive=cd0,devno=fe.0.0001,bootindex=1
grep -q 'ISO boot image size verified' "$T/iso.c" ||
    fail "the BIOS did not take the ISO's boot entry: $(tail -n 5 "$T/iso.c")"
grep -q 'GUEST-USERSPACE-OK disk boot, protected: console=ttysclp0 quiet se-from-disk' "$T/iso.c" ||
    fail "no protected boot from the ISO: $(tail -n 20 "$T/iso.c")"
[ $rc = 0 ] || fail "ISO boot: QEMU exited $rc"
echo "ok: the same image booted protected from an ISO-9660 El Torito entry"
