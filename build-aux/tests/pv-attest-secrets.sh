# Attestation and secrets end to end, under the software Ultravisor: the
# PV-aware test kernel (its uvdevice with the secret-store ioctls) and
# our static guest tools in its initrd; requests made on the host by
# s390-pvattest / s390-pvsecret create, answers checked on the host.
#
# Boot 1:
#   - attestation: perform in the guest, verify on the host succeeds;
#     verify against another image fails (exit 2), with another
#     protection key it is an error (exit 1); a request made for another
#     host key is refused by the Ultravisor with rc 0x010c;
#   - secrets: an association, a plaintext, an AES and an EC key are
#     added and listed; the plaintext comes back as it was, keys wrapped
#     (PEM: an IBM protected key), the
#     association not at all (rc 0x0111); a request bound to another
#     image is refused (rc 0x010c rrc 0x0001); after lock, add fails
#     (rc 0x0102); the image's SCF bit 1 makes a request without the
#     extension secret derived from its CCK fail (rc 0x010c rrc 0x0003);
#     an attestation then reports the secret-store hash of exactly the
#     requests that were added, and the lock.
# s390-pvattest check then confirms the host keys, the user data and the
# store (requests in order, locked), and fails for another host key, other
# user data, another order or lock state.
# Boot 2 (system_reset of the same VM): the store is empty and the
# configuration unique ID differs.
# SPDX-License-Identifier: GPL-2.0-or-later
. "$TOP/build-aux/tests/lib.sh"

ATTEST=$BUILD/qemu/tools/s390-pvattest
SECRET=$BUILD/qemu/tools/s390-pvsecret
GTOOLS=$BUILD/qemu/pc-bios/s390-pv

bz=$("$TOP/build-aux/pv-kernel.sh" "$TOP/.cache/pv-kernel") ||
    fail "cannot build the PV-aware kernel"
"$TOP/build-aux/debian-guest.sh" "$TOP/.cache/guest" >/dev/null ||
    fail "cannot fetch Debian's busybox"

# --- the guest ---------------------------------------------------------------
busybox_root "$T/root"
cp "$GTOOLS/s390-pvattest.s390x" "$T/root/bin/s390-pvattest"
cp "$GTOOLS/s390-pvsecret.s390x" "$T/root/bin/s390-pvsecret"
cat >"$T/root/init" <<'EOF'
#!/bin/busybox sh
bb=/bin/busybox
export PATH=/bin
$bb mount -t proc proc /proc
$bb mount -t sysfs sys /sys
$bb mount -t devtmpfs dev /dev
$bb mkdir -p /req /out
$bb tar -xf /dev/vda -C /req
cd /req
run() {
    tag=$1
    shift
    "$@" >/out/$tag.stdout 2>/out/$tag.stderr
    echo "STEP $tag rc=$? $($bb head -n 1 /out/$tag.stderr)"
}
if ! $bb tar -tf /dev/vdb 2>/dev/null | $bb grep -q att.resp; then
    echo "BOOT 1"
    run perform s390-pvattest perform /req/att.req /out/att.resp -u /req/user
    run perform-other s390-pvattest perform /req/att-other-host.req /out/x
    run add-assoc s390-pvsecret add /req/assoc.asrcb
    run add-plain s390-pvsecret add /req/plain.asrcb
    run add-aes s390-pvsecret add /req/aes.asrcb
    run add-ec s390-pvsecret add /req/ec.asrcb
    run add-other-image s390-pvsecret add /req/other-image.asrcb
    run add-wrong-ext s390-pvsecret add /req/wrong-ext.asrcb
    run list s390-pvsecret list
    run list-yaml s390-pvsecret list --format yaml
    run list-bin s390-pvsecret list --format bin /out/list.bin
    run retr-plain s390-pvsecret retrieve --inform name plain-secret \
        --outform bin /out/plain.out
    run retr-aes s390-pvsecret retrieve /req/aes-key.yaml --outform bin \
        /out/aes.out
    run retr-ec s390-pvsecret retrieve --inform name ec-key /out/ec.pem
    run retr-assoc s390-pvsecret retrieve --inform hex \
        "$($bb sed -n "s/^id: '*\(0x[0-9a-f]*\)'*$/\1/p" /req/assoc_secret.yaml)" /out/y
    run lock s390-pvsecret lock
    run add-late s390-pvsecret add /req/late.asrcb
    run lock-again s390-pvsecret lock
    run perform-hash s390-pvattest perform /req/att-hash.req /out/hash.resp
    $bb cat /out/list.stdout
    $bb cat /out/list-yaml.stdout
    echo "LIST-BIN $($bb wc -c </out/list.bin) bytes"
    $bb tar -cf /dev/vdb -C /out .
    $bb sync
    echo "GUEST-DONE 1"
else
    echo "BOOT 2"
    run list2 s390-pvsecret list --format yaml
    $bb cat /out/list2.stdout
    run perform2 s390-pvattest perform /req/att.req /out/att2.resp
    run retr2 s390-pvsecret retrieve --inform name plain-secret /out/z
    $bb tar -cf /dev/vdc -C /out .
    $bb sync
    echo "GUEST-DONE 2"
fi
$bb sleep 600
EOF
pack_initrd "$T/root" "$T/initrd.img"
host_key_pair "$T/host.key" "$T/host.crt"
host_key_pair "$T/other.key" "$T/other.crt"
echo "console=ttysclp0 panic=-1 quiet" >"$T/parmfile"
echo "console=ttysclp0 panic=-1" >"$T/parmfile-other"
# SCF bit 1: every add-secret request must carry the extension secret
# derived from this customer communication key
head -c 32 /dev/urandom >"$T/cck.bin"
"$PVIMG" --no-verify -k "$T/host.crt" -i "$bz" -r "$T/initrd.img" \
    -p "$T/parmfile" -o "$T/image" --x-comm-key "$T/cck.bin" \
    --x-scf 0x4000000000000000 >/dev/null 2>&1 || fail "s390-pvimg"
"$PVIMG" --no-verify -k "$T/host.crt" -i "$bz" -r "$T/initrd.img" \
    -p "$T/parmfile-other" -o "$T/image-other" >/dev/null 2>&1 ||
    fail "s390-pvimg (other image)"

# --- the requests, made on the host --------------------------------------------
mkdir "$T/req"
cd "$T/req" || fail "cd"
expect_error "specify the IBM Z signing key" \
    "$ATTEST" create -k "$T/host.crt" -o x --arpk y
expect_error "at least one host-key document" \
    "$ATTEST" create --no-verify -o x --arpk y
expect_error "no command given" "$ATTEST"
expect_error "unknown command 'bogus'" "$SECRET" bogus
expect_error "--add-data: unknown 'phkh'" \
    "$ATTEST" create --no-verify -k "$T/host.crt" -o x --arpk y --add-data phkh
"$ATTEST" create --no-verify -k "$T/host.crt" -o att.req \
    --arpk "$T/att.arpk" --add-data phkh-img --add-data phkh-att ||
    fail "pvattest create"
[ "$(stat -c %a "$T/att.arpk")" = 600 ] || fail "the ARPK is not private"
"$ATTEST" create --no-verify -k "$T/other.crt" -o att-other-host.req \
    --arpk "$T/other.arpk" || fail "pvattest create (other host)"
"$ATTEST" create --no-verify -k "$T/other.crt" -k "$T/host.crt" \
    -o att-hash.req --arpk "$T/hash.arpk" --add-data secret-store-hash ||
    fail "pvattest create (store hash, two host keys)"
head -c 100 /dev/urandom >user
head -c 32 /dev/urandom >"$T/aes.bin"
printf 'the plaintext secret\nof this guest' >"$T/plain.bin"
mk() {
    out=$1
    hdr=$2
    shift 2
    "$SECRET" create --no-verify -k "$T/host.crt" --hdr "$hdr" -o "$out" \
        --cck "$T/cck.bin" "$@" >/dev/null || fail "pvsecret create $out $*"
}
mk assoc.asrcb "$T/image" association "assoc secret"
[ -f "assoc_secret.yaml" ] || fail "create association wrote no NAME.yaml"
# pvsecret's format: a document tagged !Association, the ID unquoted
head -n 1 assoc_secret.yaml | grep -qx '!Association' &&
    grep -qx 'name: assoc secret' assoc_secret.yaml &&
    grep -Eqx 'id: 0x[0-9a-f]{64}' assoc_secret.yaml ||
    fail "NAME.yaml: $(cat assoc_secret.yaml)"
"$SECRET" create --no-verify -k "$T/host.crt" --hdr "$T/image" \
    -o stdout.asrcb --cck "$T/cck.bin" association "to stdout" --stdout \
    >"$T/assoc.out" || fail "pvsecret create --stdout"
head -n 1 "$T/assoc.out" | grep -qx '!Association' &&
    grep -qx 'name: to stdout' "$T/assoc.out" ||
    fail "create association --stdout: $(cat "$T/assoc.out")"
mk plain.asrcb "$T/image" retrievable plain-secret --secret "$T/plain.bin" \
    --type plain
mk aes.asrcb "$T/image" retrievable aes-key --secret "$T/aes.bin" --type aes
openssl ecparam -name prime256v1 -genkey -noout -out "$T/ec.pem" ||
    fail "openssl ecparam"
mk ec.asrcb "$T/image" retrievable ec-key --secret "$T/ec.pem" --type ec
mk other-image.asrcb "$T/image-other" association other --stdout
mk late.asrcb "$T/image" association late --stdout
head -c 32 /dev/urandom >"$T/ext.bin"
"$SECRET" create --no-verify -k "$T/host.crt" --hdr "$T/image" \
    -o wrong-ext.asrcb --extension-secret "$T/ext.bin" association wrong \
    --stdout >/dev/null || fail "pvsecret create --extension-secret"
expect_error "not supported" \
    "$SECRET" create --no-verify -k "$T/host.crt" --hdr "$T/image" -o x \
    update-cck --secret "$T/aes.bin"
expect_error "is no aes key" \
    "$SECRET" create --no-verify -k "$T/host.crt" --hdr "$T/image" -o x \
    retrievable k --secret "$T/plain.bin" --type aes
tar -cf "$T/req.tar" . || fail "tar"
truncate -s 1M "$T/req.tar"
truncate -s 4M "$T/out1.tar"
truncate -s 4M "$T/out2.tar"
cd "$T" || fail "cd"

# --- boot, reset, boot ----------------------------------------------------------
rm -f "$T/qmp.sock"
timeout 600 "$QEMU" -M s390-ccw-virtio,confidential-guest-support=pv0 \
    -object s390-pv-guest,id=pv0,host-key="$T/host.key" \
    -accel tcg -cpu max -m 512 -nographic -nodefaults \
    -action panic=exit-failure \
    -serial none -device sclpconsole,chardev=con0 \
    -chardev file,id=con0,path="$T/console" \
    -drive file="$T/req.tar",if=none,id=d0,format=raw,readonly=on \
    -device virtio-blk-ccw,drive=d0 \
    -drive file="$T/out1.tar",if=none,id=d1,format=raw \
    -device virtio-blk-ccw,drive=d1 \
    -drive file="$T/out2.tar",if=none,id=d2,format=raw \
    -device virtio-blk-ccw,drive=d2 \
    -qmp unix:"$T/qmp.sock",server=on,wait=off \
    -kernel "$T/image" </dev/null >"$T/qemu.out" 2>&1 &
qpid=$!
trap 'kill $qpid 2>/dev/null; [ -n "${KEEP:-}" ] || rm -rf "$T"' EXIT

wait_for() {
    i=0
    while ! tr -d '\r' <"$T/console" 2>/dev/null | grep -q "$1"; do
        kill -0 $qpid 2>/dev/null ||
            fail "QEMU ended early: $(cat "$T/qemu.out"; tail -n 30 "$T/console")"
        i=$((i + 1))
        [ $i -lt 600 ] || fail "no '$1' in 300 s: $(tail -n 30 "$T/console")"
        sleep 0.5
    done
}

wait_for "GUEST-DONE 1"
qmp query-s390-pv >"$T/query1"
qmp system_reset >/dev/null
wait_for "GUEST-DONE 2"
qmp query-s390-pv quit >"$T/query2"
wait $qpid
tr -d '\r' <"$T/console" >"$T/c"
echo "--- console (selected) ---"
grep -E '^(BOOT|STEP|GUEST-DONE|Total|  - index|    type|[0-9]+ [A-Z])' "$T/c"
echo "--- QEMU said ---"
cat "$T/qemu.out"

step() {
    grep -q "^STEP $1 rc=$2" "$T/c" ||
        fail "step $1: expected exit $2 ${3:+and '$3'}: $(grep "^STEP $1 " "$T/c")"
    [ -z "${3:-}" ] || grep "^STEP $1 " "$T/c" | grep -q -- "$3" ||
        fail "step $1: expected '$3': $(grep "^STEP $1 " "$T/c")"
}
step perform 0
step perform-other 1 "rc 0x010c"
step add-assoc 0
step add-plain 0
step add-aes 0
step add-ec 0
step add-other-image 1 "rc 0x010c rrc 0x0001"
step add-wrong-ext 1 "rc 0x010c rrc 0x0003"
step list 0
step retr-plain 0
step retr-aes 0
step retr-ec 0
step retr-assoc 1 "rc 0x0111"
step lock 0
step add-late 1 "rc 0x0102"
step lock-again 1 "rc 0x0102"
step perform-hash 0
step list2 0
step perform2 0
step retr2 1 "no such secret"
grep -q "^Total number of secrets: 4$" "$T/c" || fail "boot 1 lists no 4 secrets"
# pvsecret's list formats: for people, the ID without 0x on the next line
grep -A1 '^1 Association:' "$T/c" | grep -qx "  $(sed -n "s/^id: 0x\([0-9a-f]*\)$/\1/p" req/assoc_secret.yaml)" ||
    fail "the listed association has not the ID create gave it"
grep -q '^Total number of secrets: 4$' "$T/c" && grep -qx -- '- index: 1' "$T/c" &&
    grep -qx '  stype: 2' "$T/c" && grep -qx '  len: 32' "$T/c" ||
    fail "list --format yaml: not pvsecret's keys"
grep -q 'LIST-BIN 208 bytes' "$T/c" ||
    fail "list --format bin: not 16 + 48 * 4 bytes: $(grep LIST-BIN "$T/c")"
grep -q '^secrets: \[\]' "$T/c" || fail "list of an empty store: no 'secrets: []'"
grep -q "^total_num_secrets: 0$" "$T/c" || fail "the store is not empty after the reset"

mkdir out1 out2
tar -xf out1.tar -C out1 || fail "boot 1 wrote no results"
tar -xf out2.tar -C out2 || fail "boot 2 wrote no results"

# attestation: verifies for this image and key only
expect_error "no measurement: a request" \
    "$ATTEST" verify -i req/att.req --hdr image --arpk att.arpk
expect_error "no IBM Secure Execution header found" \
    "$ATTEST" verify -i out1/att.resp --hdr req/user --arpk att.arpk
"$ATTEST" verify -i out1/att.resp --hdr image --arpk att.arpk -o att.yaml \
    -u user.out || fail "verify failed: $(cat att.yaml)"
cat att.yaml
cmp -s user.out req/user || fail "the user data did not come back"
grep -q "image_phkh: '0x$(openssl ec -in host.key -pubout -outform DER 2>/dev/null |
    tail -c 132 | python3 -c 'import sys,hashlib; b=sys.stdin.buffer.read(); print(hashlib.sha256(b[:66].rjust(80,b"\0")+b[66:].rjust(80,b"\0")).hexdigest())')'" att.yaml ||
    fail "the image PHKH is not the host key's"
"$ATTEST" verify -i out1/att.resp --hdr image-other --arpk att.arpk \
    >/dev/null 2>"$T/v2"
rc=$?
[ $rc = 2 ] && grep -q "verification failed" "$T/v2" ||
    fail "verify against another image: exit $rc: $(cat "$T/v2")"
"$ATTEST" verify -i out1/att.resp --hdr image --arpk hash.arpk \
    >/dev/null 2>"$T/v3"
rc=$?
# a decryption failure is an error (1, one line), as pvattest's, not a
# measurement that does not verify (2)
[ $rc = 1 ] && grep -q "does not open" "$T/v3" &&
    [ "$(wc -l <"$T/v3")" = 1 ] ||
    fail "verify with another protection key: exit $rc: $(cat "$T/v3")"
# the store hash: the tags of the four requests that were added, locked
"$ATTEST" verify -i out1/hash.resp --hdr image --arpk hash.arpk \
    -o hash.yaml || fail "verify (store hash) failed"
want=$(python3 - req <<'PY'
import hashlib, sys
h = hashlib.sha512()
for f in ("assoc.asrcb", "plain.asrcb", "aes.asrcb", "ec.asrcb"):
    h.update(open(sys.argv[1] + "/" + f, "rb").read()[-16:])
h.update(b"\x01")
print(h.hexdigest())
PY
)
grep -q "secret_store_hash: '0x$want'" hash.yaml ||
    fail "secret-store hash is not that of the added requests: $(cat hash.yaml)"
# check: the host keys, the user data and the secret store, as expected
chk() {
    want=$1
    shift
    "$ATTEST" check "$@" >"$T/chk.out" 2>"$T/chk.err"
    rc=$?
    [ $rc = "$want" ] ||
        fail "check $*: exit $rc, want $want: $(cat "$T/chk.out" "$T/chk.err")"
}
chk 0 out1/att.resp -k host.crt --host-key-check boot-key-hash \
    --host-key-check att-key-hash -u req/user
grep -q "^boot_key_hash: 'host.crt'" "$T/chk.out" ||
    fail "check names no host key: $(cat "$T/chk.out")"
chk 2 out1/att.resp -k other.crt
chk 2 out1/att.resp -u req/assoc.asrcb
chk 2 out1/hash.resp -k host.crt --host-key-check att-key-hash
chk 0 out1/hash.resp --secret req/assoc.asrcb --secret req/plain.asrcb \
    --secret req/aes.asrcb --secret req/ec.asrcb --secret-store-locked true
chk 2 out1/hash.resp --secret req/assoc.asrcb --secret req/plain.asrcb \
    --secret req/aes.asrcb --secret req/ec.asrcb --secret-store-locked false
chk 2 out1/hash.resp --secret req/plain.asrcb --secret req/assoc.asrcb \
    --secret req/aes.asrcb --secret req/ec.asrcb --secret-store-locked true
chk 2 out1/att.resp --secret-store-locked false
grep -q "no hash in the answer" "$T/chk.out" ||
    fail "check without a store hash: $(cat "$T/chk.out")"
echo "ok: s390-pvattest check passes and fails as it should"

# boot 2: another configuration unique ID
"$ATTEST" verify -i out2/att2.resp --hdr image --arpk att.arpk -o att2.yaml ||
    fail "verify (boot 2) failed"
c1=$(sed -n 's/^cuid: //p' att.yaml)
c2=$(sed -n 's/^cuid: //p' att2.yaml)
[ -n "$c1" ] && [ "$c1" != "$c2" ] || fail "CUID $c1 in both boots"
[ "$c1" = "$(sed -n 's/^cuid: //p' hash.yaml)" ] ||
    fail "the CUID changed within one boot"

# secrets: values
cmp -s out1/plain.out plain.bin || fail "the plaintext secret came back changed"
[ "$(wc -c <out1/aes.out)" = 64 ] || fail "a retrieved AES-256 key is not 64 bytes"
cmp -s -n 32 out1/aes.out aes.bin && fail "the AES key came back in the clear"
head -n 2 out1/ec.pem | grep -qx "kind: EC-SECP256R1-PRIVATE-KEY" ||
    fail "the EC key did not come back as a protected key: $(cat out1/ec.pem)"

# what QEMU shows
python3 - "$T/query1" "$T/query2" "$c1" <<'PY' || fail "query-s390-pv"
import json, sys
q1 = json.loads(open(sys.argv[1]).read().splitlines()[0])["secrets"]
q2 = json.loads(open(sys.argv[2]).read().splitlines()[0])["secrets"]
print("query-s390-pv secrets, boot 1:", q1, "boot 2:", q2)
assert q1["secrets"] == 4 and q1["locked"] and q1["added"] == 4, q1
assert q1["attestations"] == 2, q1
assert "0x" + q1["cuid"] == sys.argv[3].strip("'"), (q1, sys.argv[3])
assert q2["secrets"] == 0 and not q2["locked"] and q2["attestations"] == 1
PY
echo "attestation and secrets: end to end OK"
