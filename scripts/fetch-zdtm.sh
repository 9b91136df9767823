#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Fetch what the zdtm VM suite needs and the host does not have, nothing
# of it installed:
#  - CRIU's sources (Debian's criu_4.1.1.orig.tar.xz, pinned by its
#    SHA-256) into build/zdtm-root/src, for ZDTM (test/zdtm.py, test/zdtm/)
#    and pycriu (lib/pycriu), which scripts/build-zdtm.sh builds;
#  - Debian 13's python3.13 with yaml and protobuf, GNU make (zdtm.py
#    starts each test through its Makefile), coreutils (the Makefiles'
#    `rm --one-file-system`, which busybox's rm refuses) and dash (the
#    shell of make's recipes: busybox's sh runs its own rm), unpacked into
#    build/zdtm-root, through the apt configuration scripts/setup.sh made
#    for CRIU (build/criu-apt). Idempotent.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

CRIU_ORIG="criu_4.1.1.orig.tar.xz"
CRIU_ORIG_SHA256="f80a66cb3726bb2116266d4759ce3bcbfab7abdb6b6d430bf20dd41911717afe"
# python3-protobuf at the version of the host's protoc (bookworm's
# 3.21.12), which generates pycriu's modules.
PACKAGES=(
	"python3.13-minimal=3.13.5-2+deb13u5"
	"libpython3.13-minimal=3.13.5-2+deb13u5"
	"libpython3.13-stdlib=3.13.5-2+deb13u5"
	"python3-yaml=6.0.2-1+b2"
	"libyaml-0-2=0.2.5-2"
	"python3-protobuf=3.21.12-11+deb13u1"
	"libprotobuf32t64=3.21.12-11+deb13u1"
	"libexpat1=2.9.0-1~deb13u1"
	"zlib1g=1:1.3.dfsg+really1.3.1-1+deb13u1"
	"libstdc++6=14.2.0-19"
	"make=4.4.1-2"
	"coreutils=9.7-3"
	"dash=0.5.12-12"
)
CRIU_APT="$BUILD/criu-apt"
DEBS="$BUILD/zdtm-debs"
DEST="$BUILD/zdtm-root"

stamp=$(printf '%s\n' "$CRIU_ORIG_SHA256" "${PACKAGES[@]}" | sha256sum | cut -d' ' -f1)
[ "$(cat "$DEST/.stamp" 2>/dev/null)" = "$stamp" ] && exit 0

[ -f "$CRIU_APT/sources.list" ] || die "no $CRIU_APT: run scripts/setup.sh"
# The trixie mirror setup.sh chose: "deb [signed-by=...] URI trixie main".
mirror=$(awk '$1 == "deb" { print $3; exit }' "$CRIU_APT/sources.list")
[ -n "$mirror" ] || die "no mirror in $CRIU_APT/sources.list"
separate_apt "$CRIU_APT"

rm -rf "$DEBS" "$DEST" "$DEST.tmp"
mkdir -p "$DEBS" "$DEST.tmp"
# apt's sandbox user cannot write into a root-owned build directory.
chmod 777 "$DEBS"

log "fetching $CRIU_ORIG from $mirror"
curl -fsSL -o "$DEBS/$CRIU_ORIG" "$mirror/pool/main/c/criu/$CRIU_ORIG" ||
	die "downloading $mirror/pool/main/c/criu/$CRIU_ORIG failed"
echo "$CRIU_ORIG_SHA256  $DEBS/$CRIU_ORIG" | sha256sum -c --quiet - ||
	die "$CRIU_ORIG does not have the SHA-256 pinned in $0: refusing it"

log "fetching ${PACKAGES[*]}"
(cd "$DEBS" && apt-get "${APT_OPTS[@]}" download -qq "${PACKAGES[@]}") ||
	die "apt-get download failed (pinned versions gone from trixie? update $0)"
for deb in "$DEBS"/*.deb; do
	dpkg-deb -x "$deb" "$DEST.tmp" || die "cannot unpack $deb"
done
mkdir -p "$DEST.tmp/src"
tar -xJf "$DEBS/$CRIU_ORIG" -C "$DEST.tmp/src" --strip-components=1 ||
	die "cannot unpack $CRIU_ORIG"
[ -f "$DEST.tmp/src/test/zdtm.py" ] || die "$CRIU_ORIG has no test/zdtm.py"

# The interpreter runs with trixie's loader and libraries (CRIU's, and
# the ones unpacked here).
"$BUILD/criu-root/usr/lib64/ld-linux-x86-64.so.2" \
	--library-path "$DEST.tmp/usr/lib/x86_64-linux-gnu:$BUILD/criu-root/usr/lib/x86_64-linux-gnu" \
	"$DEST.tmp/usr/bin/python3.13" -c 'import sys; print(sys.version)' | grep -q '^3\.13\.' ||
	die "the unpacked python3.13 does not run"
echo "$stamp" >"$DEST.tmp/.stamp"
mv "$DEST.tmp" "$DEST"
log "ok: $DEST"
