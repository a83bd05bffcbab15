# s390-pvimg verifies host-key documents as genprotimg does, against a test
# PKI of our own with IBM's subject names: root CA -> intermediate CA ->
# IBM Z signing key -> host-key documents, with a CRL from each issuer.
# Every failure is one line, exit status 1 and no output file; the CRL of
# a document's distribution point is fetched from a local HTTP server.
# SPDX-License-Identifier: GPL-2.0-or-later
. "$TOP/build-aux/tests/lib.sh"

P=$T/pki
mkdir -p "$P"
cd "$P" || fail "cd"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

cat >ca.cnf <<EOF
[ ca ]
default_ca = ca_default
[ ca_default ]
dir = \$ENV::CADIR
database = \$dir/index.txt
new_certs_dir = \$dir
serial = \$dir/serial
crlnumber = \$dir/crlnumber
default_md = sha256
policy = pol
preserve = yes
default_days = 365
default_crl_days = 30
unique_subject = no
[ pol ]
countryName = optional
stateOrProvinceName = optional
localityName = optional
organizationName = optional
organizationalUnitName = optional
commonName = supplied
[ req ]
distinguished_name = dn
[ dn ]
[ v3_ca ]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
[ v3_sign ]
keyUsage = critical,digitalSignature
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
[ v3_hkd ]
keyUsage = critical,keyAgreement
authorityKeyIdentifier = keyid:always
[ v3_hkd_cdp ]
keyUsage = critical,keyAgreement
authorityKeyIdentifier = keyid:always
crlDistributionPoints = URI:http://127.0.0.1:$port/signkey.crl
[ crl_ext ]
authorityKeyIdentifier = keyid:always
EOF
for d in root inter sign; do
    mkdir -p "$d"
    : >"$d/index.txt"
    echo 1000 >"$d/serial"
    echo 1000 >"$d/crlnumber"
done
# openssl ca's directory: $CADIR (anything for the other commands)
CADIR=$P/root
export CADIR
o() {
    openssl "$@" >>"$P/openssl.log" 2>&1 || fail "openssl $*: $(tail -n 5 "$P/openssl.log")"
}
# sign CA CSR OUT EXT [openssl ca options]
sign() {
    ca=$1 csr=$2 out=$3 ext=$4
    shift 4
    CADIR=$ca o ca -batch -config ca.cnf -cert "$ca.crt" -keyfile "$ca.key" \
        -extensions "$ext" -preserveDN -notext -in "$csr" -out "$out" "$@"
}
# crl CA OUT
crl() {
    CADIR=$1 o ca -batch -config ca.cnf -cert "$1.crt" -keyfile "$1.key" \
        -gencrl -crlexts crl_ext -out "$2"
}
IBM="/C=US/ST=New York/L=Poughkeepsie/O=International Business Machines Corporation/OU=IBM Z Host Key Signing Service/CN=International Business Machines Corporation"

o req -x509 -new -newkey rsa:3072 -nodes -keyout root.key -sha256 \
    -subj "/CN=s390x PV Test Root CA" -days 3650 -config ca.cnf \
    -extensions v3_ca -out root.crt
o req -new -newkey rsa:3072 -nodes -keyout inter.key \
    -subj "/CN=s390x PV Test Intermediate CA" -config ca.cnf -out inter.csr
sign root inter.csr inter.crt v3_ca -days 3650
o req -new -newkey rsa:3072 -nodes -keyout sign.key -subj "$IBM" \
    -config ca.cnf -out sign.csr
sign inter sign.csr sign.crt v3_sign -days 3650
cp sign.crt signkey.crt
# hkd NAME EXT [options]: a P-521 host-key document by the signing key
hkd() {
    name=$1 ext=$2
    shift 2
    o req -new -newkey ec -pkeyopt ec_paramgen_curve:secp521r1 -nodes \
        -keyout "$name.key" -subj "/CN=IBM Z Host Key $name" -config ca.cnf \
        -out "$name.csr"
    sign sign "$name.csr" "$name.crt" "$ext" -md sha512 "$@"
}
hkd good v3_hkd
hkd cdp v3_hkd_cdp
hkd expired v3_hkd -startdate 20200101000000Z -enddate 20210101000000Z
hkd future v3_hkd -startdate 20990101000000Z -enddate 20991231000000Z
hkd revoked v3_hkd
CADIR=sign o ca -batch -config ca.cnf -cert sign.crt -keyfile sign.key \
    -revoke revoked.crt
# issued by the intermediate, not by the signing key
o req -new -newkey ec -pkeyopt ec_paramgen_curve:secp521r1 -nodes \
    -keyout wrong.key -subj "/CN=IBM Z Host Key wrong" -config ca.cnf \
    -out wrong.csr
sign inter wrong.csr wrong.crt v3_hkd -md sha512
# a bad signature: one bit of the good one's signature flipped
o x509 -in good.crt -outform DER -out good.der
cp good.der badsig.der
len=$(stat -c %s badsig.der)
b=$(od -An -tu1 -j $((len - 10)) -N1 badsig.der | tr -d ' ')
printf "$(printf '\\%03o' $((b ^ 1)))" |
    dd of=badsig.der bs=1 seek=$((len - 10)) conv=notrunc 2>/dev/null
# a P-384 key, properly signed
o req -new -newkey ec -pkeyopt ec_paramgen_curve:secp384r1 -nodes \
    -keyout p384.key -subj "/CN=IBM Z Host Key p384" -config ca.cnf \
    -out p384.csr
sign sign p384.csr p384.crt v3_hkd -md sha512
crl root root.crl
crl inter inter.crl
crl sign signkey.crl
# the signing key revoked by the intermediate: another CRL
cp -r inter inter2
CADIR=inter2 o ca -batch -config ca.cnf -cert inter.crt -keyfile inter.key \
    -revoke sign.crt
CADIR=inter2 o ca -batch -config ca.cnf -cert inter.crt -keyfile inter.key \
    -gencrl -crlexts crl_ext -out inter-revoked.crl
cd "$TOP" || fail "cd"

CHAIN="-C $P/signkey.crt -C $P/inter.crt --root-ca $P/root.crt"
CRLS="--crl $P/root.crl --crl $P/inter.crl --crl $P/signkey.crl"
out=$T/out.img
build() {
    "$PVIMG" -i "$TINY" -o "$out" "$@"
}
bad() {
    want=$1
    shift
    expect_error "$want" build "$@"
    ls "$T"/out.img* 2>/dev/null && fail "an output file was left behind"
    true
}

# the valid chain: accepted, and the image boots with the document's key
# shellcheck disable=SC2086
build -k "$P/good.crt" $CHAIN --offline $CRLS -p /dev/null 2>"$T/err" ||
    fail "a valid chain was refused: $(cat "$T/err")"
[ ! -s "$T/err" ] || fail "a valid chain: stderr $(cat "$T/err")"
boot_pv "$out" "$P/good.key"
grep -q TINY-KERNEL-OK "$T/console" || fail "the verified image does not boot"
rm -f "$out"
echo "ok: valid chain accepted, the image boots"

# shellcheck disable=SC2086
{
bad "'$P/expired.crt': validity period is not valid" \
    -k "$P/expired.crt" $CHAIN --offline $CRLS
bad "'$P/future.crt': validity period is not valid" \
    -k "$P/future.crt" $CHAIN --offline $CRLS
bad "'$P/wrong.crt': no IBM Z signing key that issued this host-key document found" \
    -k "$P/wrong.crt" $CHAIN --offline $CRLS
bad "'$P/badsig.der': no IBM Z signing key that issued this host-key document found" \
    -k "$P/badsig.der" $CHAIN --offline $CRLS
bad "'$P/revoked.crt': certificate revoked" \
    -k "$P/revoked.crt" $CHAIN --offline $CRLS
bad "failed to verify certificate '$IBM': certificate revoked" \
    -k "$P/good.crt" $CHAIN --offline --crl "$P/root.crl" \
    --crl "$P/inter-revoked.crl" --crl "$P/signkey.crl"
bad "IBM Z signing key: no CRL found" \
    -k "$P/good.crt" $CHAIN --offline --crl "$P/root.crl" --crl "$P/inter.crl"
bad "failed to verify certificate '$IBM': unable to get certificate CRL" \
    -k "$P/good.crt" $CHAIN --offline --crl "$P/root.crl" \
    --crl "$P/signkey.crl"
bad "unable to get certificate CRL" \
    -k "$P/good.crt" $CHAIN --offline --crl "$P/inter.crl" \
    --crl "$P/signkey.crl"
bad "host-key document $P/p384.crt: curve secp384r1, need secp521r1" \
    -k "$P/p384.crt" $CHAIN --offline $CRLS
bad "'$P/expired.crt': validity period is not valid" \
    -k "$P/good.crt" -k "$P/expired.crt" -k "$P/cdp.crt" $CHAIN --offline $CRLS
bad "please specify at least one IBM Z signing key" \
    -k "$P/good.crt" -C "$P/inter.crt" --root-ca "$P/root.crt" --offline $CRLS
bad "unable to get local issuer certificate" \
    -k "$P/good.crt" -C "$P/signkey.crt" --root-ca "$P/root.crt" --offline $CRLS
bad "Either specify the IBM Z signing key" -k "$P/good.crt"
}

# s390-pvattest and s390-pvsecret create verify host keys the same way
ATTEST=$BUILD/qemu/tools/s390-pvattest
SECRET=$BUILD/qemu/tools/s390-pvsecret
# shellcheck disable=SC2086
{
"$ATTEST" create -k "$P/good.crt" $CHAIN --offline $CRLS -o "$T/att.req" \
    --arpk "$T/att.arpk" 2>"$T/err" ||
    fail "s390-pvattest create refused a valid chain: $(cat "$T/err")"
expect_error "'$P/revoked.crt': certificate revoked" \
    "$ATTEST" create -k "$P/revoked.crt" $CHAIN --offline $CRLS \
    -o "$T/x.req" --arpk "$T/x.arpk"
[ ! -e "$T/x.req" ] && [ ! -e "$T/x.arpk" ] ||
    fail "s390-pvattest create left output behind after a refusal"
build -k "$P/good.crt" --no-verify -p /dev/null || fail "build"
"$SECRET" create -k "$P/good.crt" $CHAIN --offline $CRLS --hdr "$out" \
    -o "$T/meta.req" meta 2>"$T/err" ||
    fail "s390-pvsecret create refused a valid chain: $(cat "$T/err")"
expect_error "'$P/expired.crt': validity period is not valid" \
    "$SECRET" create -k "$P/expired.crt" $CHAIN --offline $CRLS \
    --hdr "$out" -o "$T/x.req" meta
rm -f "$out"
echo "ok: s390-pvattest and s390-pvsecret create verify host-key documents"
}

# the document's CRL from its distribution point, over HTTP
mkdir "$T/www"
cp "$P/signkey.crl" "$T/www/signkey.crl"
python3 -m http.server --bind 127.0.0.1 --directory "$T/www" "$port" \
    >"$T/http.log" 2>&1 &
http=$!
trap 'kill $http 2>/dev/null; [ -n "${KEEP:-}" ] || rm -rf "$T"' EXIT
i=0
until python3 -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$port/signkey.crl')" 2>/dev/null; do
    i=$((i + 1))
    [ $i -lt 50 ] || fail "the HTTP server did not start"
    sleep 0.1
done
# shellcheck disable=SC2086
build -k "$P/cdp.crt" $CHAIN --crl "$P/root.crl" --crl "$P/inter.crl" \
    -p /dev/null 2>"$T/err" || fail "download: $(cat "$T/err")"
grep -q 'GET /signkey.crl' "$T/http.log" || fail "the CRL was not fetched"
rm -f "$out"
echo "ok: the signing key's CRL fetched from the document's distribution point"
# shellcheck disable=SC2086
bad "IBM Z signing key: no CRL found" -k "$P/cdp.crt" $CHAIN --offline \
    --crl "$P/root.crl" --crl "$P/inter.crl"
