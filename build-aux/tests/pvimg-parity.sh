# s390-pvimg behaves as genprotimg where users notice: the output mode
# follows the umask, only the components given are added, the parmfile's
# bytes are the command line (newlines and all), a command line longer
# than the kernel takes is refused at build time and by the loader, the
# option spellings of genprotimg 2.16 and pvimg create work, and "info"
# flags a header whose size contradicts its key-slot count.
# SPDX-License-Identifier: GPL-2.0-or-later
. "$TOP/build-aux/tests/lib.sh"

pv() {
    "$PVIMG" --no-verify -k "$KEYS/host.crt" "$@" ||
        fail "s390-pvimg $* failed"
}
comps() {
    "$PVIMG" info "$1" | sed -n 's/^components   //p'
}

# the umask decides the output's mode
for m in 022:644 077:600 002:664; do
    (umask "${m%:*}" && pv -i "$TINY" -o "$T/u.img")
    got=$(stat -c %a "$T/u.img")
    [ "$got" = "${m#*:}" ] || fail "umask ${m%:*}: mode $got, want ${m#*:}"
done
echo "ok: the output mode follows the umask"

# only what is given
pv -i "$TINY" -o "$T/k.img"
[ "$(comps "$T/k.img")" = 2 ] || fail "kernel only: $(comps "$T/k.img") components"
"$PVIMG" info "$T/k.img" | grep -q '^  1: tweak 0x0003' ||
    fail "kernel only: the second component is not stage3b"
echo "a=b" >"$T/parm"
pv -i "$TINY" -p "$T/parm" -o "$T/kp.img"
[ "$(comps "$T/kp.img")" = 3 ] || fail "kernel + parmfile: not 3 components"
head -c 5000 /dev/zero >"$T/initrd"
pv -i "$TINY" -r "$T/initrd" -o "$T/kr.img"
[ "$(comps "$T/kr.img")" = 3 ] || fail "kernel + ramdisk: not 3 components"
"$PVIMG" info "$T/kr.img" | grep -q '^  1: tweak 0x0002' ||
    fail "kernel + ramdisk: the second component is not the initrd"
echo "ok: components as given (2, 3, 3)"

# the command line: the parmfile's bytes; boots with and without one
printf 'first=1\nsecond=2\n' >"$T/parm2"
pv -i "$TINY" -p "$T/parm2" -o "$T/nl.img"
boot_pv "$T/nl.img" "$KEYS/host-sec1.pem"
grep -q 'TINY-KERNEL-OK initrd=0x00000000 cmdline=first=1$' "$T/console" &&
    grep -q '^second=2' "$T/console" ||
    { cat "$T/console"; fail "the newline did not reach the kernel"; }
boot_pv "$T/k.img" "$KEYS/host-sec1.pem"
grep -q 'TINY-KERNEL-OK initrd=0x00000000 cmdline=$' "$T/console" ||
    { cat "$T/console"; fail "no command line: not empty"; }
[ "$(cat "$T/status")" = 0 ] || fail "kernel only: exit $(cat "$T/status")"
echo "ok: the parmfile's newline reaches the kernel; no parmfile boots"

# too long for the kernel (legacy 896 with the terminator)
head -c 895 /dev/zero | tr '\0' a >"$T/p895"
head -c 896 /dev/zero | tr '\0' a >"$T/p896"
pv -i "$TINY" -p "$T/p895" -o "$T/p895.img"
boot_pv "$T/p895.img" "$KEYS/host-sec1.pem"
tr -d '\r\n' <"$T/console" | grep -q 'cmdline=a\{895\}\($\|[^a]\)' ||
    { cat "$T/console"; fail "895 bytes did not arrive whole"; }
expect_error "parmfile $T/p896: the command line has 896 bytes, the kernel takes at most 895" \
    "$PVIMG" --no-verify -k "$KEYS/host.crt" -i "$TINY" -p "$T/p896" \
    -o "$T/p896.img"
[ ! -e "$T/p896.img" ] || fail "an output file was left behind"
# forced through: the loader refuses it rather than cut it
pv --no-component-check -i "$TINY" -p "$T/p896" -o "$T/p896.img"
boot_pv "$T/p896.img" "$KEYS/host-sec1.pem"
grep -q "PSW: 0x0002000180000000 0x0000000000004609" "$T/console" ||
    { cat "$T/console"; fail "stage3b did not refuse 896 bytes"; }
grep -q TINY-KERNEL-OK "$T/console" && fail "the kernel ran with a cut command line"
[ "$(cat "$T/status")" = 1 ] || fail "refused command line: exit $(cat "$T/status")"
echo "ok: 896 bytes refused by the builder, and by stage3b (0x4609)"

# spellings
fixed_keys "$T"
pv -i "$TINY" -o "$T/a1.img" --x-comp-key "$T/comp.key" \
    --x-header-key "$T/header.key" --x-comm-key "$T/comm.key" --x-pcf 200000e0
pv -i "$TINY" -o "$T/a2.img" --x-comp-key "$T/comp.key" \
    --hdr-key "$T/header.key" --comm-key "$T/comm.key" --enable-dump \
    --overwrite
cmp -s "$T/a1.img" "$T/a2.img" || fail "pvimg create spellings differ"
pv -i "$TINY" -o "$T/a3.img" --x-comp-key "$T/comp.key" \
    --hdr-key "$T/header.key" --cck "$T/comm.key" --x-pcf 0x200000e0
cmp -s "$T/a1.img" "$T/a3.img" || fail "--cck differs"
pv -i "$TINY" -o "$T/a4.img" --x-pcf 0x20000000 --disable-dump
"$PVIMG" info "$T/a4.img" | grep -q '^pcf          0x0$' || fail "--disable-dump"
"$PVIMG" --version | grep -q 'genprotimg compatible' || fail "--version"
echo "ok: --comm-key, --cck, --hdr-key, --overwrite, --enable-dump, --disable-dump, hex --x-pcf, --version"

# info: a key-slot count that contradicts the size
cp "$T/k.img" "$T/bad.img"
printf '\002' | dd of="$T/bad.img" bs=1 seek=$((0x14000 + 0x27)) \
    conv=notrunc 2>/dev/null
"$PVIMG" info "$T/k.img" | grep -q '^consistent   yes$' || fail "info: good image"
"$PVIMG" info "$T/bad.img" >"$T/info" 2>"$T/err" && fail "info: exit 0"
grep -q '^consistent   NO: phs 640 bytes, but 2 key slots and sea 128 make 720' "$T/info" ||
    { cat "$T/info"; fail "info: no flag"; }
grep -q "contradicts its key-slot count" "$T/err" || fail "info: no error"
echo "ok: info flags nks 2 in a header of 1 slot"

# info reads pvimg's layout: header and IPL block where its 28-byte
# block at 0xc000 says (IPL block offset at 0xc014), the genprotimg
# places emptied
python3 - "$T/k.img" "$T/pvimg.img" <<'PY' || fail "cannot lay out a pvimg image"
import struct, sys
img = bytearray(open(sys.argv[1], "rb").read())
hdr_len = struct.unpack(">I", img[0x14000 + 0x0c:0x14000 + 0x10])[0]
hdr = bytes(img[0x14000:0x14000 + hdr_len])
iplb_len = struct.unpack(">I", img[0x13000:0x13004])[0]
iplb = bytes(img[0x13000:0x13000 + iplb_len])
img[0x14000:0x14000 + hdr_len] = bytes(hdr_len)
img[0x13000:0x13000 + iplb_len] = bytes(iplb_len)
hdr_off = len(img)
iplb_off = hdr_off + hdr_len
img += hdr + iplb
img[0xc000:0xc000 + 28] = (b"SeImgLnx" + struct.pack(">Q", hdr_off) +
                           struct.pack(">I", 1) + struct.pack(">Q", iplb_off))
open(sys.argv[2], "wb").write(img)
PY
"$PVIMG" info "$T/pvimg.img" >"$T/pinfo" 2>"$T/perr" ||
    fail "info on a pvimg layout: $(cat "$T/perr")"
grep -q "^components   2$" "$T/pinfo" && grep -q '^consistent   yes$' "$T/pinfo" ||
    { cat "$T/pinfo"; fail "info on a pvimg layout"; }
echo "ok: info reads pvimg's layout (IPL block offset at 0xc014)"

# genprotimg 2.35's flags: PCKMO allowed by default (PCF 0xe0), dump
# 0x200000e0, --disable-pckmo clears 0xe0; the CCK extension secret is SCF
# bit 1 and --x-psw the start address (both in the encrypted part: the
# software Ultravisor's trace shows them); and its refusals
pcf() {
    "$PVIMG" info "$1" | sed -n 's/^pcf          //p'
}
pv -i "$TINY" -o "$T/f0.img"
[ "$(pcf "$T/f0.img")" = 0xe0 ] || fail "default pcf $(pcf "$T/f0.img")"
pv -i "$TINY" -o "$T/f1.img" --comm-key "$T/comm.key" --enable-dump
[ "$(pcf "$T/f1.img")" = 0x200000e0 ] || fail "--enable-dump: $(pcf "$T/f1.img")"
pv -i "$TINY" -o "$T/f2.img" --disable-pckmo
[ "$(pcf "$T/f2.img")" = 0x0 ] || fail "--disable-pckmo: $(pcf "$T/f2.img")"
pv -i "$TINY" -o "$T/f3.img" --disable-pckmo --enable-pckmo
[ "$(pcf "$T/f3.img")" = 0xe0 ] || fail "--enable-pckmo: $(pcf "$T/f3.img")"
pv -i "$TINY" -o "$T/f4.img" --x-pcf 0x20 --disable-dump
[ "$(pcf "$T/f4.img")" = 0x20 ] || fail "--x-pcf: $(pcf "$T/f4.img")"
"$PVIMG" create --no-verify -k "$KEYS/host.crt" --kernel "$TINY" \
    -o "$T/f7.img" --enable-pckmo-hmac --enable-backup-keys -q >"$T/q.out" 2>&1 ||
    fail "pvimg create spelling: $(cat "$T/q.out")"
[ ! -s "$T/q.out" ] || fail "-q printed: $(cat "$T/q.out")"
[ "$(pcf "$T/f7.img")" = 0xf2 ] || fail "hmac + backup keys: $(pcf "$T/f7.img")"
pv -i "$TINY" -o "$T/f8.img" --enable-pckmo-hmac --disable-pckmo-hmac \
    --enable-backup-keys --disable-backup-keys
[ "$(pcf "$T/f8.img")" = 0xe0 ] || fail "hmac/backup off: $(pcf "$T/f8.img")"
echo "ok: pcf 0xe0 by default, 0x200000e0 with --enable-dump, 0x0 with --disable-pckmo, 0xf2 with pvimg create --kernel --enable-pckmo-hmac --enable-backup-keys -q"
pv -i "$TINY" -o "$T/f5.img" --enable-cck-extension-secret --x-psw 0x10000
boot_pv "$T/f5.img" "$KEYS/host-sec1.pem" -trace s390_pv_sw_header \
    -trace s390_pv_start
grep -q 'pcf 0xe0 scf 0x4000000000000000' "$T/console" ||
    { cat "$T/console"; fail "--enable-cck-extension-secret: no SCF bit 1"; }
grep -q 'starts at PSW 0x0000000180000000 0x0000000000010000' "$T/console" ||
    { cat "$T/console"; fail "--x-psw 0x10000: not where the guest started"; }
pv -i "$TINY" -o "$T/f6.img" --enable-cck-extension-secret \
    --disable-cck-extension-secret
boot_pv "$T/f6.img" "$KEYS/host-sec1.pem" -trace s390_pv_sw_header
grep -q 'pcf 0xe0 scf 0x0' "$T/console" ||
    { cat "$T/console"; fail "--disable-cck-extension-secret"; }
grep -q TINY-KERNEL-OK "$T/console" || fail "the default image did not boot"
echo "ok: --enable/--disable-cck-extension-secret (SCF), --x-psw (start PSW)"
expect_error "--enable-dump needs --comm-key" \
    "$PVIMG" --no-verify -k "$KEYS/host.crt" -i "$TINY" -o "$T/r1.img" \
    --enable-dump
[ ! -e "$T/r1.img" ] || fail "an output file was left behind"
expect_error "--x-pcf cannot be combined with --enable-pckmo or --disable-pckmo" \
    "$PVIMG" --no-verify -k "$KEYS/host.crt" -i "$TINY" -o "$T/r2.img" \
    --x-pcf 0 --disable-pckmo
for h in --help-all --help-experimental; do
    "$PVIMG" $h | grep -q -- '--enable-cck-extension-secret' ||
        fail "$h: not the whole help"
done
echo "ok: genprotimg's refusals, --help-all, --help-experimental"
