# s390-pvattest's command line as pvattest's: every subcommand takes
# --help (its usage on stdout, exit status 0); a protection key that does
# not open the request is an error, exit status 1 with one line (a
# measurement that does not verify is 2: pv-attest-secrets.sh).
# SPDX-License-Identifier: GPL-2.0-or-later
. "$TOP/build-aux/tests/lib.sh"

ATTEST=$BUILD/qemu/tools/s390-pvattest
for sub in create perform verify check; do
    for h in --help -h; do
        "$ATTEST" $sub $h >"$T/out" 2>"$T/err" ||
            fail "$sub $h: exit $?: $(cat "$T/err")"
        head -n 1 "$T/out" | grep -q "^Usage: s390-pvattest $sub " ||
            fail "$sub $h: $(head -n 1 "$T/out")"
        [ ! -s "$T/err" ] || fail "$sub $h wrote to stderr: $(cat "$T/err")"
    done
done
echo "ok: create, perform, verify and check take --help and -h"

# verify with a protection key that does not open the request
"$ATTEST" create -k "$KEYS/host.crt" --no-verify -o "$T/req" \
    --arpk "$T/arpk" 2>/dev/null || fail "create failed"
python3 - "$T/req" "$T/resp" <<'PY' || fail "cannot make an answer"
import struct, sys
# the exchange file: magic, version, size, reserved, then 5 entries of
# (size, offset) from 0x18; add a measurement and a CUID to the request's entries
buf = bytearray(open(sys.argv[1], "rb").read())
ent = [struct.unpack(">II", buf[0x18 + 8 * i:0x20 + 8 * i]) for i in range(5)]
data = bytearray(buf)
for i, n in ((1, 64), (4, 16)):
    ent[i] = (n, len(data))
    data += b"\x5a" * n
struct.pack_into(">I", data, 0x0c, len(data))
for i, (n, o) in enumerate(ent):
    struct.pack_into(">II", data, 0x18 + 8 * i, n, o)
open(sys.argv[2], "wb").write(data)
PY
head -c 32 /dev/urandom >"$T/other"
"$PVIMG" --no-verify -k "$KEYS/host.crt" -i "$TINY" -o "$T/img" ||
    fail "s390-pvimg failed"
expect_error "does not open the request" \
    "$ATTEST" verify -i "$T/resp" --hdr "$T/img" --arpk "$T/other"
