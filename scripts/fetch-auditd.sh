#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Fetch Debian bookworm's auditd (auditd, auditctl, ausearch, aureport)
# and the libraries of it the host does not have (libauparse0, libwrap0)
# into build/auditd-root, for the VM root; nothing is installed on the
# host (the package would start a daemon there). The other libraries come
# from the host, found with ldd by scripts/build-initramfs.sh. Idempotent.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

AUDIT_VERSION="1:3.0.9-1"
PACKAGES=("auditd=$AUDIT_VERSION" "libauparse0=$AUDIT_VERSION" "libwrap0=7.6.q-32")
DEBS="$BUILD/auditd-debs"
DEST="$BUILD/auditd-root"

stamp=$(printf '%s\n' "${PACKAGES[@]}" | sha256sum | cut -d' ' -f1)
[ "$(cat "$DEST/.stamp" 2>/dev/null)" = "$stamp" ] && exit 0

log "fetching ${PACKAGES[*]}"
rm -rf "$DEBS" "$DEST" "$DEST.tmp"
mkdir -p "$DEBS" "$DEST.tmp"
# apt's sandbox user cannot write into a root-owned build directory.
chmod 777 "$DEBS"
(cd "$DEBS" && apt-get download -qq "${PACKAGES[@]}") ||
	die "apt-get download ${PACKAGES[*]} failed (pinned versions gone? update $0)"
for deb in "$DEBS"/*.deb; do
	dpkg-deb -x "$deb" "$DEST.tmp"
done
upstream=${AUDIT_VERSION#*:}
upstream=${upstream%-*}
LD_LIBRARY_PATH="$DEST.tmp/lib/x86_64-linux-gnu:$DEST.tmp/usr/lib/x86_64-linux-gnu" \
	"$DEST.tmp/sbin/auditctl" -v 2>&1 | grep -qxF "auditctl version $upstream" ||
	die "the unpacked auditctl does not run or is not $upstream"
echo "$stamp" >"$DEST.tmp/.stamp"
mv "$DEST.tmp" "$DEST"
log "ok: $DEST"
