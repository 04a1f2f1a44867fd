#!/usr/bin/env bash
# gitleaks for the secret-scanning tests (README, Secret scanning). It is not on npm as a binary and
# GitHub is out of reach, so: Debian trixie's gitleaks 8.16.0 (a static Go binary needing only
# libc6 >= 2.34), fetched once from deb.debian.org, checked against the SHA-256 in trixie's Packages
# index, and unpacked into node_modules/.cache/gitleaks — never installed system-wide.
set -euo pipefail
cd "$(dirname "$0")/.."
DEB=pool/main/g/gitleaks/gitleaks_8.16.0-1+b12_amd64.deb
SHA256=77da749c812cb875e95bcd7a3dd48cd0ac2420a1c88487f15c996197b81cdfa9
DIR=node_modules/.cache/gitleaks

[ -x "$DIR/usr/bin/gitleaks" ] && exit 0
if [ "$(dpkg --print-architecture)" != amd64 ]; then
  echo "error: the gitleaks tests use Debian's amd64 package; this machine is $(dpkg --print-architecture)" >&2
  exit 1
fi
echo "==> fetching gitleaks 8.16.0 from deb.debian.org" >&2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
curl -fsSL --retry 3 -o "$tmp/gitleaks.deb" "https://deb.debian.org/debian/$DEB"
echo "$SHA256  $tmp/gitleaks.deb" | sha256sum --check --quiet
rm -rf "$DIR"
mkdir -p "$DIR"
dpkg-deb -x "$tmp/gitleaks.deb" "$DIR"
