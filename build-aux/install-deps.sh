#!/bin/sh
# Install the Debian 12 packages needed to configure, build and test the
# merged tree.  Run as root; safe to run again.
set -eu

PKGS="build-essential ninja-build pkg-config python3 python3-venv
      libglib2.0-dev libpixman-1-dev zlib1g-dev libfdt-dev flex bison
      dpkg-dev xz-utils ca-certificates gcc-s390x-linux-gnu libc6-dev-s390x-cross
      nettle-dev libgnutls28-dev libgmp-dev
      libslirp-dev cpio perl genisoimage openssl curl
      clang libclang-rt-14-dev libfuzzer-14-dev bc"

# From bookworm-backports: meson 1.7 (QEMU 10.0 needs 1.5 or later),
# libvirt 11.3 as Debian 13 ships it, and Debian 13's stock
# qemu-system-s390x 10.0, the benchmarks' second anchor; pycotap, which
# QEMU 10.0's configure wants when the tree is not Debian's (--qemu-src).
BPO_PKGS="meson libvirt-daemon-system libvirt-daemon-driver-qemu
          libvirt-clients qemu-system-s390x python3-pycotap"

# The PV-aware test kernel is built from Debian's own Linux source.  It is
# the same source package as linux-libc-dev, which apt 2.6 would upgrade
# with it: keep that out.
KPKGS="linux-source-6.1"

if [ "$(id -u)" != 0 ]; then
    echo "install-deps: must run as root (apt-get install)" >&2
    exit 1
fi

export DEBIAN_FRONTEND=noninteractive

# bookworm-backports: for the packages above, and for the guests' Debian 13
# kernel (linux-image-6.12.*-s390x), fetched with 'apt-get download'.
if ! grep -rqs 'bookworm-backports' /etc/apt/sources.list /etc/apt/sources.list.d/; then
    cat >/etc/apt/sources.list.d/qemu-pv-backports.sources <<'EOF2'
Types: deb
URIs: http://deb.debian.org/debian
Suites: bookworm-backports
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF2
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
# shellcheck disable=SC2086
apt-get install -y -q --no-install-recommends -t bookworm-backports $BPO_PKGS
