# s390-pvimg info --format json [--key] and s390-pvimg test, as pvimg
# 2.36 has them: the JSON's fields are checked against the image's bytes
# and against values computed here independently (the host-key hash
# from openssl's view of the certificate), the secrets against the keys
# the image was built with; test's answers and exit codes for host-key
# documents and for the Ultravisor's key-hash file; and the builders'
# headers field by field for the same options in genprotimg's and pvimg
# create's spellings.
# SPDX-License-Identifier: GPL-2.0-or-later
. "$TOP/build-aux/tests/lib.sh"

pv() {
    "$PVIMG" --no-verify -k "$KEYS/host.crt" "$@" ||
        fail "s390-pvimg $* failed"
}
# field FILE EXPR: a value of the JSON in FILE (python expression on j)
field() {
    python3 -c 'import json, sys; j = json.load(open(sys.argv[1]));
print(eval(sys.argv[2]))' "$1" "$2" || fail "no $2 in $1: $(cat "$1")"
}

fixed_keys "$T"
pv -i "$TINY" -o "$T/a.img" --x-comp-key "$T/comp.key" \
    --hdr-key "$T/header.key" --comm-key "$T/comm.key" --enable-dump \
    --enable-cck-extension-secret --x-psw 0x10000

# unopened: every field is the image's bytes
"$PVIMG" info --format json "$T/a.img" >"$T/j" 2>"$T/warn" ||
    fail "info --format json: $(cat "$T/warn")"
grep -q "not authenticated" "$T/warn" || fail "no warning without --key"
python3 - "$T/j" "$T/a.img" <<'PY' || fail "the JSON is not the header"
import base64, json, struct, sys
j = json.load(open(sys.argv[1]))
img = open(sys.argv[2], "rb").read()
off = next(o for o in range(0, len(img), 4096)
           if img[o:o + 8] == b"IBMSecEx")
h = img[off:off + struct.unpack(">I", img[off + 12:off + 16])[0]]
q = lambda o: struct.unpack(">Q", h[o:o + 8])[0]
nks, sea = q(0x20), q(0x28)
enc = 0x1a0 + 80 * nks
want = {
    "magic": "49424d5365634578", "version": "V1", "sehs": len(h),
    "iv_hex": h[0x10:0x1c].hex(), "nks": nks, "sea": sea, "nep": q(0x30),
    "pcf_hex": "%016x" % q(0x38),
    "cust_pub_key": {"coord_hex": h[0x40:0xe0].hex()},
    "pld_hex": h[0xe0:0x120].hex(), "ald_hex": h[0x120:0x160].hex(),
    "tld_hex": h[0x160:0x1a0].hex(),
    "keyslots": [{"phkh_hex": h[0x1a0 + 80 * i:0x1c0 + 80 * i].hex(),
                  "wrpk_hex": h[0x1c0 + 80 * i:0x1e0 + 80 * i].hex(),
                  "kst_hex": h[0x1e0 + 80 * i:0x1f0 + 80 * i].hex()}
                 for i in range(nks)],
    "cipher_data_b64": base64.b64encode(h[enc:enc + sea]).decode(),
    "tag_hex": h[-16:].hex(),
}
assert list(j) == list(want), "keys %s, want %s" % (list(j), list(want))
for k in want:
    assert j[k] == want[k], "%s: %r, want %r" % (k, j[k], want[k])
assert j["pcf_hex"] == "00000000200000e0" and j["nks"] == 1
PY
echo "ok: info --format json: every field is the header's (pvimg 2.36's keys, in its order)"

# the host-key hash is SHA-256 of X || Y (80 bytes each), from openssl
openssl x509 -in "$KEYS/host.crt" -noout -pubkey |
    openssl pkey -pubin -outform DER >"$T/pub.der" ||
    fail "openssl cannot read host.crt"
phkh=$(python3 -c 'import hashlib, sys
d = open(sys.argv[1], "rb").read()[-133:]
assert d[0] == 4
print(hashlib.sha256(bytes(14) + d[1:67] + bytes(14) + d[67:]).hexdigest())' \
    "$T/pub.der")
[ "$(field "$T/j" 'j["keyslots"][0]["phkh_hex"]')" = "$phkh" ] ||
    fail "the key slot's hash is not host.crt's ($phkh)"
echo "ok: the key slot holds host.crt's hash, computed from openssl's view"

# opened with the header key: the secrets the image was built with
"$PVIMG" info "$T/a.img" --format=json --key "$T/header.key" >"$T/jk" ||
    fail "info --key"
[ "$(field "$T/jk" 'j["cck_hex"]')" = "$(od -An -v -tx1 "$T/comm.key" |
    tr -d ' \n')" ] || fail "cck_hex is not the --comm-key file"
[ "$(field "$T/jk" 'j["xts_hex"]')" = "$(od -An -v -tx1 "$T/comp.key" |
    tr -d ' \n')" ] || fail "xts_hex is not the --x-comp-key file"
[ "$(field "$T/jk" 'j["psw"]["addr_hex"]')" = 0000000000010000 ] ||
    fail "psw addr is not --x-psw"
[ "$(field "$T/jk" 'j["psw"]["mask_hex"]')" = 0000000180000000 ] ||
    fail "psw mask is not 64-bit mode"
[ "$(field "$T/jk" 'j["scf_hex"]')" = 4000000000000000 ] ||
    fail "scf is not the CCK extension secret flag"
[ "$(field "$T/jk" '"cipher_data_b64" in j')" = False ] ||
    fail "the opened header still has cipher_data_b64"
"$PVIMG" info --hdr-key "$T/header.key" --format json "$T/a.img" |
    cmp -s - "$T/jk" || fail "--hdr-key is not --key"
echo "ok: info --key: cck, xts, psw and scf are what the image was built with"
expect_error "the key given does not open its SE header" \
    "$PVIMG" info --format json --key "$T/comm.key" "$T/a.img"
expect_error "the only format is json" \
    "$PVIMG" info --format yaml "$T/a.img"
head -c $((0x14200)) "$T/a.img" >"$T/cut.img"
expect_error "past the file's end" "$PVIMG" info --format json "$T/cut.img"
expect_error "no Secure Execution header found" \
    "$PVIMG" info --format json "$TINY"

# two host keys: two slots, each one's hash
pv -k "$KEYS/other-host.crt" -i "$TINY" -o "$T/two.img"
"$PVIMG" info --format json "$T/two.img" >"$T/j2" 2>/dev/null
[ "$(field "$T/j2" 'j["nks"]')" = 2 ] || fail "two -k: not 2 key slots"
[ "$(field "$T/j2" 'len(j["keyslots"])')" = 2 ] || fail "two -k: not 2 slots"
[ "$(field "$T/j2" 'j["sehs"]')" = 720 ] || fail "two -k: sehs not 720"

# test -k: is the image for this host?
"$PVIMG" test "$T/a.img" -k "$KEYS/host.crt" >"$T/t" ||
    fail "test -k host.crt: exit $?"
grep -qF " ✓ Host key document '$KEYS/host.crt' is included" "$T/t" ||
    fail "test: $(cat "$T/t")"
"$PVIMG" test "$T/a.img" -k "$KEYS/other-host.crt" >"$T/t"
[ $? = 1 ] || fail "test -k other-host.crt: not exit 1"
grep -qF " ✘ Host key document '$KEYS/other-host.crt' is not included" \
    "$T/t" || fail "test: $(cat "$T/t")"
"$PVIMG" test "$T/a.img" \
    --host-key-document "$KEYS/other-host.crt,$KEYS/host.crt" >"$T/t" ||
    fail "test with one of two keys: not exit 0"
[ "$(wc -l <"$T/t")" = 2 ] || fail "test: $(cat "$T/t")"
"$PVIMG" test "$T/two.img" -k "$KEYS/other-host.crt" >/dev/null ||
    fail "test: the second slot is not found"
echo "ok: test -k: exit 0 with a key of the image, 1 without, comma lists"

# test --key-hashes=FILE: the Ultravisor's 15 hashes, as Linux shows them
zero=$(printf '%064d' 0)
hashes() {
    for l in "$@"; do echo "$l"; done
    i=$#
    while [ $i -lt 15 ]; do echo "$zero"; i=$((i + 1)); done
}
hashes "$phkh" >"$T/keys"
"$PVIMG" test "$T/a.img" --key-hashes="$T/keys" >"$T/t" ||
    fail "test --key-hashes: $(cat "$T/t")"
grep -q "^ ✓ Host key hash $phkh is included" "$T/t" || fail "$(cat "$T/t")"
hashes "$zero" "$phkh" >"$T/keys"
"$PVIMG" test "$T/a.img" --key-hashes="$T/keys" >"$T/t" ||
    fail "test --key-hashes (backup): $(cat "$T/t")"
grep -q "^ ✓ Backup host key hash $phkh is included" "$T/t" ||
    fail "$(cat "$T/t")"
hashes >"$T/keys"
"$PVIMG" test "$T/a.img" --key-hashes="$T/keys" >"$T/t"
[ $? = 1 ] || fail "test --key-hashes without the hash: not exit 1"
grep -q "None of the key hashes is included" "$T/t" || fail "$(cat "$T/t")"
echo "ok: test --key-hashes: host key, backup key, none (exit 0, 0, 1)"
hashes "$phkh" | head -n 3 >"$T/keys"
expect_error "not the Ultravisor's key hashes" \
    "$PVIMG" test "$T/a.img" --key-hashes="$T/keys"
expect_error "cannot be used with --host-key-document" \
    "$PVIMG" test "$T/a.img" --key-hashes="$T/keys" -k "$KEYS/host.crt"
expect_error "give -k/--host-key-document or --key-hashes" \
    "$PVIMG" test "$T/a.img"
if [ ! -e /sys/firmware/uv/keys/all ]; then
    expect_error "this system has no Query Ultravisor Keys call" \
        "$PVIMG" test "$T/a.img" --key-hashes
fi

# the two spellings build the same header fields for the same options
# (genprotimg 2.35's and pvimg 2.36 create's), and the values are the
# ones the spec gives for those options
check_same() {
    want=$1
    shift
    pv -i "$TINY" -o "$T/g.img" --hdr-key "$T/header.key" "$@"
    "$PVIMG" create --no-verify -k "$KEYS/host.crt" --kernel "$TINY" \
        -o "$T/p.img" --hdr-key "$T/header.key" "$@" ||
        fail "pvimg create $*"
    for i in g p; do
        "$PVIMG" info --format json --key "$T/header.key" "$T/$i.img" \
            >"$T/$i.json" || fail "info $i.img"
        got=$(field "$T/$i.json" \
              '"%s %s %d %d" % (j["pcf_hex"], j["scf_hex"], j["nks"], j["nep"])')
        [ "$got" = "$want" ] || fail "$i ($*): pcf scf nks nep $got, want $want"
    done
    [ "$("$PVIMG" info "$T/g.img" | grep -c '^  [0-9]: tweak')" = \
      "$("$PVIMG" info "$T/p.img" | grep -c '^  [0-9]: tweak')" ] ||
        fail "($*): the component tables differ"
}
nep=$(field "$T/j" 'j["nep"]')
check_same "00000000000000e0 0000000000000000 1 $nep"
check_same "00000000200000e0 0000000000000000 1 $nep" --enable-dump \
    --comm-key "$T/comm.key"
check_same "0000000000000000 0000000000000000 1 $nep" --disable-pckmo
check_same "00000000000000f2 4000000000000000 1 $nep" --enable-pckmo-hmac \
    --enable-backup-keys --enable-cck-extension-secret
check_same "0000000000000000 0000000000000000 2 $nep" --x-pcf 0 \
    -k "$KEYS/other-host.crt"
echo "ok: genprotimg and pvimg create spellings give the same pcf, scf, key slots, pages and components"

# -v: genprotimg's --version, pvimg create's --verbose (-vvv too)
"$PVIMG" -v | grep -q 'genprotimg compatible' || fail "-v is not --version"
"$PVIMG" create --no-verify -k "$KEYS/host.crt" --kernel "$TINY" \
    -o "$T/v.img" -vvv >"$T/v.out" 2>&1 || fail "create -vvv: $(cat "$T/v.out")"
grep -q '^kernel   0x00015000' "$T/v.out" || fail "create -vvv: not verbose"
[ -s "$T/v.img" ] || fail "create -vvv: no image"
echo "ok: -v is --version for genprotimg and --verbose after create"
