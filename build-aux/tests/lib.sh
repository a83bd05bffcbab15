# Helpers for the build-machinery tests (sourced).
# SPDX-License-Identifier: GPL-2.0-or-later

: "${TOP:?}" "${BUILD:?}"
T=$(mktemp -d)
# KEEP=1 keeps the scratch directory, for debugging a failed test
trap '[ -n "${KEEP:-}" ] || rm -rf "$T"' EXIT

fail() {
    echo "FAIL: $*"
    exit 1
}

# expect_error WANT-SUBSTRING CMD...: CMD must exit 1, print nothing on
# stdout and exactly one line on stderr containing WANT-SUBSTRING.
expect_error() {
    want=$1
    shift
    "$@" >"$T/out" 2>"$T/err"
    rc=$?
    [ $rc = 1 ] || fail "'$*' exited $rc, want 1 (stderr: $(cat "$T/err"))"
    [ ! -s "$T/out" ] || fail "'$*' printed on stdout: $(cat "$T/out")"
    lines=$(wc -l <"$T/err")
    [ "$lines" = 1 ] || fail "'$*' printed $lines lines on stderr, want 1: $(cat "$T/err")"
    grep -qF -- "$want" "$T/err" || fail "'$*' said '$(cat "$T/err")', want '$want'"
    echo "ok: $(cat "$T/err")"
}

# no_merged_tree DIR: a failed configure left nothing a make would build.
no_merged_tree() {
    for f in src src.tmp qemu config.stamp config.mak; do
        [ ! -e "$1/$f" ] || fail "$1/$f left behind after a failed configure"
    done
}

# --- Secure Execution images -------------------------------------------

PVIMG=$BUILD/qemu/tools/s390-pvimg
QEMU=$BUILD/qemu/qemu-system-s390x
KEYS=$TOP/tests/data/s390x-pv
TINY=$BUILD/qemu/pc-bios/s390-pv/s390-pv-test-kernel.img

# boot_pv IMAGE KEY [QEMU ARGS...]: boot under TCG with the software
# Ultravisor holding KEY; the console and QEMU's messages go to $T/console,
# QEMU's exit status to $T/status (a failed protected boot ends in a
# disabled wait: -action panic=exit-failure makes that status 1)
boot_pv() {
    img=$1
    key=$2
    shift 2
    timeout 120 "$QEMU" -M s390-ccw-virtio,confidential-guest-support=pv0 \
        -object s390-pv-guest,id=pv0,host-key="$key" -accel tcg -cpu max \
        -m 128 -nographic -nodefaults -serial none \
        -device sclpconsole,chardev=con0 -chardev stdio,id=con0,signal=off \
        -action panic=exit-failure -d guest_errors -kernel "$img" "$@" \
        </dev/null >"$T/console" 2>&1
    echo $? >"$T/status"
}

# host_key_pair KEY CRT: a fresh P-521 host key and its (self-signed)
# host-key document, for the software Ultravisor and s390-pvimg
host_key_pair() {
    openssl ecparam -name secp521r1 -genkey -noout -out "$1" ||
        fail "openssl ecparam"
    openssl req -x509 -new -key "$1" -nodes -days 30 \
        -subj "/CN=s390x PV test host" -out "$2" 2>/dev/null ||
        fail "openssl req"
}

# busybox_root DIR: an initrd tree with Debian's busybox (fetched by
# debian-guest.sh into .cache/guest); the caller adds DIR/init
busybox_root() {
    mkdir -p "$1/bin" "$1/proc" "$1/sys" "$1/dev"
    cp "$TOP/.cache/guest/busybox" "$1/bin/busybox"
    chmod 755 "$1/bin/busybox"
}

# pack_initrd DIR OUT: DIR (with an init) as a gzip'ed cpio initrd
pack_initrd() {
    chmod 755 "$1/init"
    (cd "$1" && find . | cpio -o -H newc --quiet | gzip -1) >"$2"
}

# fixed_keys DIR: the three --x-*-key files
fixed_keys() {
    printf '%064d' 0 | tr 0 C >"$1/comp.key"
    printf '%032d' 0 | tr 0 H >"$1/header.key"
    printf '%032d' 0 | tr 0 M >"$1/comm.key"
}
# qmp CMD...: run QMP commands, print each answer's "return" as JSON
qmp() {
    python3 - "$T/qmp.sock" "$@" <<'PY' || fail "QMP failed"
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
for c in sys.argv[2:]:
    print(json.dumps(cmd(c).get("return")))
PY
}

# --- A Linux guest with a disk and a network ----------------------------

# pv_guest_setup [MODULES-DIR]: the test data (a disk with a known file at
# offset 0, a host file served over HTTP on 127.0.0.1) and an initrd
# ($T/initrd.img) whose init loads the modules of MODULES-DIR (in the order
# of its file "order"), reports /sys/firmware/uv, /dev/uv, the disk's and
# the downloaded file's digests and "GUEST-DONE".  Sets disk_sum, net_sum,
# port and http (the server's pid, stopped at exit).
pv_guest_setup() {
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
mkdir -p "$T/root/lib/modules"
modlist=""
if [ -n "${1:-}" ]; then
    for m in $(cat "$1/order"); do
        cp "$1/$m.ko" "$T/root/lib/modules/" || fail "no module $m in $1"
        modlist="$modlist $m"
    done
fi
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
for m in $modlist; do
    \$bb insmod /lib/modules/\$m.ko || echo "MODULE \$m failed"
done
u=/sys/firmware/uv
echo "UV prot_virt_guest=\$(\$bb cat \$u/prot_virt_guest 2>&1)"
echo "UV facilities=\$(\$bb cat \$u/query/facilities 2>&1 | \$bb tr '\n' ' ')"
echo "UV max_cpus=\$(\$bb cat \$u/query/max_cpus 2>&1)"
echo "UV supp_se_hdr_ver=\$(\$bb cat \$u/query/supp_se_hdr_ver 2>&1)"
for f in \$u/query/*; do
    echo "UVQ \${f##*/}=\$(\$bb cat \$f 2>&1 | \$bb tr '\n' ' ')"
done
[ -c /dev/uv ] && echo "UVDEV present" || echo "UVDEV none"
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
}

# pv_guest_run NAME KERNEL [CPU-MODEL]: pack KERNEL with the initrd, boot
# it protected (-cpu max unless given), wait for GUEST-DONE, keep the
# console in $T/NAME.c and query-s390-pv's answer in $T/NAME.query, quit
pv_guest_run() {
    name=$1
    cpu=${3:-max}
    "$PVIMG" --no-verify -k "$T/host.crt" -i "$2" -r "$T/initrd.img" \
        -p "$T/parmfile" -o "$T/$name.img" >"$T/$name.pvimg" 2>&1 ||
        fail "s390-pvimg: $(cat "$T/$name.pvimg")"
    rm -f "$T/qmp.sock"
    timeout 600 "$QEMU" -M s390-ccw-virtio,confidential-guest-support=pv0 \
        -object s390-pv-guest,id=pv0,host-key="$T/host.key" \
        -accel tcg -cpu "$cpu" -m 512 -nographic -nodefaults \
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
    qmp query-s390-pv quit | head -n 1 >"$T/$name.query"
    wait $qpid
    rc=$?
    echo "--- $name: console (selected) ---"
    tr -d '\r' <"$T/$name.console" >"$T/$name.c"
    grep -E '^(UV|UVQ|UVDEV|DISK|NET|MODULE) |GUEST-DONE|Linux version|wget|Connecting' "$T/$name.c"
    echo "--- $name: QEMU said ---"
    cat "$T/$name.out"
    echo "--- $name: query-s390-pv ---"
    cat "$T/$name.query"
    [ $rc = 0 ] || fail "$name: QEMU exited $rc"
}

# pv_guest_uv_ok NAME: the guest NAME is protected, says so in
# /sys/firmware/uv/prot_virt_guest, and its query/ files are what the
# software Ultravisor's Query answered (query-s390-pv)
pv_guest_uv_ok() {
    c=$T/$1.c
    [ "$(pv_query "$1" protected)" = True ] || fail "$1: not protected"
    grep -q '^UV prot_virt_guest=1$' "$c" ||
        fail "$1: prot_virt_guest is not 1"
    fac=$(python3 -c 'import json, sys
print(" ".join("%x" % v for v in json.load(open(sys.argv[1]))["guest"]["facilities"]))' "$T/$1.query")
    grep -q "^UV facilities=$fac $" "$c" ||
        fail "$1: query/facilities is not what Query said ($fac)"
    grep -q "^UV max_cpus=$(($(pv_query "$1" guest.max-cpu-id) + 1))$" "$c" ||
        fail "$1: query/max_cpus is not Query's max CPU id + 1"
    grep -q "^UV supp_se_hdr_ver=8000000000000000$" "$c" ||
        fail "$1: query/supp_se_hdr_ver"
}

# pv_query NAME KEY.KEY...: a field of $T/NAME.query
pv_query() {
    python3 -c 'import json, sys; d = json.load(open(sys.argv[1]))
for k in sys.argv[2].split("."): d = d[k]
print(d)' "$T/$1.query" "$2"
}

