#!/bin/sh
# Install the Debian 12 packages needed to configure, build and test the
# merged tree.  Run as root; safe to run again.
set -eu

PKGS="build-essential ninja-build pkg-config python3 python3-venv
      libglib2.0-dev libpixman-1-dev zlib1g-dev libfdt-dev flex bison
      dpkg-dev xz-utils ca-certificates gcc-s390x-linux-gnu libc6-dev-s390x-cross
      nettle-dev libgnutls28-dev libgmp-dev
      libslirp-dev cpio perl meson genisoimage openssl
      clang libclang-rt-14-dev libfuzzer-14-dev bc
      libvirt-daemon-system libvirt-daemon-driver-qemu libvirt-clients"

# The PV-aware test kernel is built from Debian's own Linux source.  It is
# the same source package as linux-libc-dev, which apt 2.6 would upgrade
# with it: keep that out.
KPKGS="linux-source-6.1"

if [ "$(id -u)" != 0 ]; then
    echo "install-deps: must run as root (apt-get install)" >&2
    exit 1
fi

export DEBIAN_FRONTEND=noninteractive

# deb-src entries are needed to fetch the base QEMU source package.
if ! grep -rqs '^Types:.*deb-src' /etc/apt/sources.list.d/ &&
   ! grep -qs '^deb-src' /etc/apt/sources.list; then
    for f in /etc/apt/sources.list.d/debian.sources; do
        [ -f "$f" ] || continue
        sed -i 's/^Types: deb$/Types: deb deb-src/' "$f"
    done
    if [ -f /etc/apt/sources.list ] && grep -qs '^deb ' /etc/apt/sources.list; then
        sed -n 's/^deb /deb-src /p' /etc/apt/sources.list \
            > /etc/apt/sources.list.d/qemu-pv-src.list
    fi
fi

# s390x package lists: the demo and test guests use Debian's s390x kernel
# and busybox, fetched with 'apt-get download' (never installed).
dpkg --add-architecture s390x

apt-get update -q
# shellcheck disable=SC2086
apt-get install -y -q --no-install-recommends $PKGS
# shellcheck disable=SC2086
apt-get install -y -q --no-install-recommends \
    -o APT::Get::Upgrade-By-Source-Package=false $KPKGS
