#!/bin/sh
# Move the pinned base to another version of Debian's qemu source package.
#
#   build-aux/pin-base.sh VERSION     e.g. 1:10.0.14+ds-0+deb13u1
#
# Downloads the .dsc from the Debian pool, checks the tarballs it lists
# against the .dsc's own SHA-256 lines (and the .dsc's signature when
# gpgv and debian-keyring are installed), then rewrites build-aux/base.pin.
# Review the diff ('git diff build-aux/base.pin') and run ./configure.
# Only QEMU 10.0.x is accepted: the series is written for it.
#
# SPDX-License-Identifier: GPL-2.0-or-later
set -eu

die() {
    echo "pin-base: $*" >&2
    exit 1
}

[ $# = 1 ] || die "usage: build-aux/pin-base.sh VERSION (e.g. 1:10.0.14+ds-0+deb13u1)"
version=$1
noepoch=${version#*:}
case "$noepoch" in
10.0.*) ;;
*) die "$version is not a QEMU 10.0.x version" ;;
esac

top=$(cd "$(dirname "$0")/.." && pwd)
pin=$top/build-aux/base.pin
pool=$(sed -n 's/^BASE_POOL=//p' "$pin")
[ -n "$pool" ] || die "$pin has no BASE_POOL"
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT

fetch() {
    url="$pool/$(echo "$1" | sed -e 's/+/%2B/g' -e 's/~/%7E/g')"
    code=$(curl -sS -L -o "$t/$1" -w '%{http_code}' "$url" 2>/dev/null) || true
    [ "$code" = 200 ] || die "cannot download $1 (HTTP ${code:-none})"
}

dsc="qemu_$noepoch.dsc"
fetch "$dsc"
if command -v gpgv >/dev/null 2>&1 &&
   [ -f /usr/share/keyrings/debian-maintainers.gpg ]; then
    gpgv --keyring /usr/share/keyrings/debian-maintainers.gpg \
         --keyring /usr/share/keyrings/debian-keyring.gpg "$t/$dsc" \
         >/dev/null 2>&1 || die "$dsc: signature does not verify"
    echo "pin-base: $dsc signature verified"
fi
# The Checksums-Sha256 section: " SHA256 SIZE NAME"
files=$(awk '/^Checksums-Sha256:/ { on = 1; next } /^[^ ]/ { on = 0 }
             on && NF == 3 { print $1 " " $3 }' "$t/$dsc")
[ -n "$files" ] || die "$dsc lists no SHA-256 checksums"
{
    sed -n '/^#/p' "$pin"
    echo "BASE_VERSION=$version"
    echo "BASE_POOL=$pool"
    sha256sum "$t/$dsc" | sed "s# .*#  $dsc#"
    echo "$files" | while read -r sum name; do
        fetch "$name"
        got=$(sha256sum "$t/$name" | cut -d' ' -f1)
        [ "$got" = "$sum" ] || die "$name does not match its .dsc"
        echo "$sum  $name"
    done
} >"$t/pin"
mv "$t/pin" "$pin"
echo "pin-base: build-aux/base.pin now pins qemu $version; review it, then run ./configure"
