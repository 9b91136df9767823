#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build CRIU 4.1.1 with the patch series of contrib/criu/ (carapace
# domains saved at dump and set again at restore) into
# build/criu-carapace/criu, for the VM root (scripts/build-initramfs.sh
# installs it as /usr/local/sbin/criu-carapace, beside Debian's
# unmodified /usr/sbin/criu). The sources are Debian's
# criu_4.1.1.orig.tar.xz that scripts/fetch-zdtm.sh downloads, checked
# against the SHA-256 pinned there. Only the criu binary is built: no
# documentation, plugins or tests. Built against the host's (Debian 12)
# libraries, whose sonames Debian 13's, in the VM, also have. Built again
# only when the series, the tarball or this script change.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

FETCH="$REPO/scripts/fetch-zdtm.sh"
TARBALL="$BUILD/zdtm-debs/criu_4.1.1.orig.tar.xz"
SERIES="$REPO/contrib/criu"
OUT="$BUILD/criu-carapace"

sha256=$(sed -n 's/^CRIU_ORIG_SHA256="\([0-9a-f]*\)"$/\1/p' "$FETCH")
[ -n "$sha256" ] || die "no CRIU_ORIG_SHA256 in $FETCH"
[ -f "$TARBALL" ] || bash "$FETCH" || die "fetching CRIU's sources failed"
[ -f "$TARBALL" ] || die "no $TARBALL: run scripts/setup.sh"
echo "$sha256  $TARBALL" | sha256sum -c --quiet - ||
	die "$TARBALL does not have the SHA-256 pinned in $FETCH"
mapfile -t PATCHES < <(find "$SERIES" -maxdepth 1 -name '[0-9][0-9][0-9][0-9]-*.patch' | sort)
[ ${#PATCHES[@]} -gt 0 ] || die "no patches in $SERIES"

stamp=$( (echo "$sha256"; cat "${PATCHES[@]}" "$0") | sha256sum | cut -d' ' -f1)
[ "$(cat "$OUT/.stamp" 2>/dev/null)" = "$stamp" ] && [ -x "$OUT/criu" ] && exit 0

log "building CRIU 4.1.1 with ${#PATCHES[@]} patches from contrib/criu"
rm -rf "$OUT"
mkdir -p "$OUT/src"
tar -xJf "$TARBALL" -C "$OUT/src" --strip-components=1 || die "cannot unpack $TARBALL"
for p in "${PATCHES[@]}"; do
	patch -s -p1 -d "$OUT/src" <"$p" || die "$(basename "$p") does not apply"
done
# CRIU's Makefiles test for each optional library; the warnings about
# the ones left out (nftables, amdgpu) go to the log.
make -s -C "$OUT/src" -j"$(nproc)" criu >"$OUT/build.log" 2>&1 ||
	die "building CRIU failed: see $OUT/build.log"
cp "$OUT/src/criu/criu" "$OUT/criu"
# Whole outputs, not pipes into grep -q: it would exit at the first
# match, and criu, still writing, fail on the closed pipe (pipefail).
version=$("$OUT/criu" --version) || die "the built criu does not run"
grep -qx 'Version: 4\.1\.1' <<<"$version" || die "the built criu is not 4.1.1: $version"
help=$("$OUT/criu" --help) || die "the built criu --help failed"
grep -q "'carapace'" <<<"$help" || die "the built criu lacks the carapace patches"
echo "$stamp" >"$OUT/.stamp"
log "ok: $OUT/criu"
