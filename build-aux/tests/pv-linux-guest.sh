# A real PV-aware Linux guest under TCG, with isolation on: a kernel built
# from Debian's linux-source-6.1 with CONFIG_PROTECTED_VIRTUALIZATION_GUEST
# (build-aux/pv-kernel.sh, cached in .cache/pv-kernel), packed with a
# busybox initrd by s390-pvimg, boots protected and
#   - reads /sys/firmware/uv: prot_virt_guest 1, query/ as Query said;
#   - reads a known file from a virtio-blk disk and prints its digest;
#   - fetches a file from the host over virtio-net (user networking) and
#     prints its digest;
# then query-s390-pv shows the pages it shared and no refused access.
#
# Then Debian's own kernel (not PV-aware), protected, with the same disk:
# it cannot share, so the device's accesses are refused, QEMU says so
# once per device, nothing crashes, and the guest still reaches its
# userspace (its disk never appears).
# SPDX-License-Identifier: GPL-2.0-or-later
. "$TOP/build-aux/tests/lib.sh"

start=$(date +%s)
bz=$("$TOP/build-aux/pv-kernel.sh" "$TOP/.cache/pv-kernel") ||
    fail "cannot build the PV-aware kernel"
echo "PV-aware kernel: $bz ($(wc -c <"$bz") bytes, built in" \
     "$(cat "$TOP/.cache/pv-kernel/build-seconds") s on $(nproc) cores;" \
     "this run took $(($(date +%s) - start)) s)"
"$TOP/build-aux/debian-guest.sh" "$TOP/.cache/guest" >/dev/null ||
    fail "cannot fetch Debian's s390x kernel and busybox"
g=$TOP/.cache/guest

# the disk: a known file at offset 0; the host file: another one
head -c 65536 /dev/urandom >"$T/disk.img"
disk_sum=$(sha256sum <"$T/disk.img" | cut -d' ' -f1)
mkdir "$T/www"
head -c 200000 /dev/urandom >"$T/www/blob"
net_sum=$(sha256sum <"$T/www/blob" | cut -d' ' -f1)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
python3 -m http.server --bind 127.0.0.1 --directory "$T/www" "$port" \
    >"$T/http.log" 2>&1 &
http=$!
trap 'kill $http 2>/dev/null; [ -n "${KEEP:-}" ] || rm -rf "$T"' EXIT

busybox_root "$T/root"
mkdir -p "$T/root/etc"
# static glibc's resolver crashes without an NSS configuration
echo "hosts: files" >"$T/root/etc/nsswitch.conf"
echo "127.0.0.1 localhost" >"$T/root/etc/hosts"
cat >"$T/root/init" <<EOF
#!/bin/busybox sh
bb=/bin/busybox
\$bb mount -t proc proc /proc
\$bb mount -t sysfs sys /sys
\$bb mount -t devtmpfs dev /dev
u=/sys/firmware/uv
echo "UV prot_virt_guest=\$(\$bb cat \$u/prot_virt_guest 2>&1)"
echo "UV facilities=\$(\$bb cat \$u/query/facilities 2>&1 | \$bb tr '\n' ' ')"
echo "UV max_cpus=\$(\$bb cat \$u/query/max_cpus 2>&1)"
echo "UV supp_se_hdr_ver=\$(\$bb cat \$u/query/supp_se_hdr_ver 2>&1)"
if [ -b /dev/vda ]; then
    echo "DISK sha256=\$(\$bb head -c 65536 /dev/vda | \$bb sha256sum | \$bb cut -d' ' -f1)"
else
    echo "DISK none"
fi
\$bb ifconfig lo 127.0.0.1 up
if \$bb ifconfig eth0 10.0.2.15 netmask 255.255.255.0 up; then
    \$bb route add default gw 10.0.2.2
    \$bb wget -O /blob http://10.0.2.2:$port/blob
    echo "NET sha256=\$(\$bb sha256sum </blob | \$bb cut -d' ' -f1)"
else
    echo "NET none"
fi
echo "GUEST-DONE"
\$bb sleep 600
EOF
pack_initrd "$T/root" "$T/initrd.img"
host_key_pair "$T/host.key" "$T/host.crt"
echo "console=ttysclp0 panic=-1 quiet" >"$T/parmfile"

# run NAME KERNEL: boot it protected, wait for GUEST-DONE, query, quit
run() {
    name=$1
    "$PVIMG" --no-verify -k "$T/host.crt" -i "$2" -r "$T/initrd.img" \
        -p "$T/parmfile" -o "$T/$name.img" >"$T/$name.pvimg" 2>&1 ||
        fail "s390-pvimg: $(cat "$T/$name.pvimg")"
    rm -f "$T/qmp.sock"
    timeout 600 "$QEMU" -M s390-ccw-virtio,confidential-guest-support=pv0 \
        -object s390-pv-guest,id=pv0,host-key="$T/host.key" \
        -accel tcg -cpu max -m 512 -nographic -nodefaults \
        -action panic=exit-failure \
        -serial none -device sclpconsole,chardev=con0 \
        -chardev file,id=con0,path="$T/$name.console" \
        -drive file="$T/disk.img",if=none,id=d0,format=raw,readonly=on \
        -device virtio-blk-ccw,drive=d0,id=disk0 \
        -netdev user,id=n0 -device virtio-net-ccw,netdev=n0,id=net0 \
        -qmp unix:"$T/qmp.sock",server=on,wait=off \
        -kernel "$T/$name.img" </dev/null >"$T/$name.out" 2>&1 &
    qpid=$!
    i=0
    while :; do
        if [ -f "$T/$name.console" ]; then
        tr -d '\r' <"$T/$name.console" >"$T/$name.c"
        grep -q GUEST-DONE "$T/$name.c" && break
    fi
    kill -0 $qpid 2>/dev/null ||
            fail "$name: QEMU ended early: $(cat "$T/$name.out"; tail -n 30 "$T/$name.console")"
        i=$((i + 1))
        [ $i -lt 600 ] || fail "$name: no GUEST-DONE in 300 s: $(tail -n 30 "$T/$name.console")"
        sleep 0.5
    done
    python3 - "$T/qmp.sock" >"$T/$name.query" <<'PY' || fail "$name: QMP failed"
import json, socket, sys
s = socket.socket(socket.AF_UNIX)
s.connect(sys.argv[1])
f = s.makefile("rw")
f.readline()
def cmd(c):
    f.write(json.dumps({"execute": c}) + "\n")
    f.flush()
    while True:
        r = json.loads(f.readline())
        if "return" in r or "error" in r:
            return r
cmd("qmp_capabilities")
print(json.dumps(cmd("query-s390-pv")["return"]))
cmd("quit")
PY
    wait $qpid
    rc=$?
    echo "--- $name: console (selected) ---"
    tr -d '\r' <"$T/$name.console" >"$T/$name.c"
    grep -E '^(UV|DISK|NET) |GUEST-DONE|Linux version|wget|Connecting' "$T/$name.c"
    echo "--- $name: QEMU said ---"
    cat "$T/$name.out"
    echo "--- $name: query-s390-pv ---"
    cat "$T/$name.query"
    [ $rc = 0 ] || fail "$name: QEMU exited $rc"
}

q() {
    python3 -c 'import json, sys; d = json.load(open(sys.argv[1]))
for k in sys.argv[2].split("."): d = d[k]
print(d)' "$T/$1.query" "$2"
}

# --- the PV-aware kernel -------------------------------------------------
run pvaware "$bz"
c=$T/pvaware.c
[ "$(q pvaware protected)" = True ] || fail "pvaware: not protected"
grep -q '^UV prot_virt_guest=1$' "$c" || fail "pvaware: prot_virt_guest is not 1"
fac=$(python3 -c 'import json, sys
print(" ".join("%x" % v for v in json.load(open(sys.argv[1]))["guest"]["facilities"]))' "$T/pvaware.query")
grep -q "^UV facilities=$fac $" "$c" ||
    fail "pvaware: query/facilities is not what Query said ($fac)"
grep -q "^UV max_cpus=$(($(q pvaware guest.max-cpu-id) + 1))$" "$c" ||
    fail "pvaware: query/max_cpus is not Query's max CPU id + 1"
grep -q "^UV supp_se_hdr_ver=8000000000000000$" "$c" ||
    fail "pvaware: query/supp_se_hdr_ver"
grep -q "^DISK sha256=$disk_sum$" "$c" || fail "pvaware: disk digest differs"
grep -q "^NET sha256=$net_sum$" "$c" || fail "pvaware: network digest differs"
shared=$(q pvaware guest.shared-pages)
[ "$shared" -gt 1000 ] ||
    fail "pvaware: only $shared pages shared (SWIOTLB alone shares thousands)"
[ "$(q pvaware isolation.enabled)" = True ] || fail "pvaware: isolation off"
[ "$(q pvaware isolation.refused-accesses)" = 0 ] ||
    fail "pvaware: refused device accesses"
! grep -q 'not shared by the guest' "$T/pvaware.out" ||
    fail "pvaware: QEMU refused accesses"
echo "ok: PV-aware guest: prot_virt_guest=1, disk and network through $shared shared pages"

# --- Debian's kernel, not PV-aware ---------------------------------------
run debian "$g/vmlinuz"
c=$T/debian.c
[ "$(q debian protected)" = True ] || fail "debian: not protected"
grep -q '^UV prot_virt_guest=' "$c" && grep -q '^UV prot_virt_guest=1$' "$c" &&
    fail "debian: a kernel without PV guest support says it is protected"
grep -q '^DISK none$' "$c" || fail "debian: the disk should not work"
[ "$(q debian guest.shared-pages)" = 0 ] || fail "debian: shared pages"
refused=$(q debian isolation.refused-accesses)
[ "$refused" -gt 0 ] || fail "debian: no refused access"
grep -q "virtio-blk-ccw 'disk0': read of guest address 0x[0-9a-f]* not shared by the guest" \
    "$T/debian.out" || fail "debian: no line for the disk"
echo "ok: Debian's kernel: $refused device accesses refused, the guest lives on without its devices"
