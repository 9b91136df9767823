#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The files that load the policy at boot on a real system (contrib/):
# `systemd-analyze verify` accepts the unit, in a root that has
# carapacectl where the unit runs it and its man page where it points,
# with no warning at all; shellcheck accepts the initramfs-tools hook and
# script.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

UNIT=carapace-policy.service
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
ctl=$(bash "$REPO/scripts/build-admin.sh")
mkdir -p "$root/usr/sbin" "$root/etc/systemd/system"
cp "$ctl" "$root/usr/sbin/carapacectl"
"$(dirname "$ctl")/carapacectl-gen" "$root/usr"
cp "$REPO/contrib/systemd/$UNIT" "$root/etc/systemd/system/"
out=$(MANPATH="$root/usr/share/man" systemd-analyze verify --root="$root" "$UNIT" 2>&1) ||
	die "systemd-analyze verify failed: $out"
[ -z "$out" ] || die "systemd-analyze verify warns: $out"
log "ok: systemd-analyze verify $UNIT"

shellcheck "$REPO/contrib/initramfs-tools/hooks/carapace" \
	"$REPO/contrib/initramfs-tools/scripts/init-bottom/carapace"
log "ok: the initramfs-tools hook and script"
