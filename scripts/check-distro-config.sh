#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Carapace in a distribution kernel, checked without building it: the
# patch series applies to the pristine linux-source-6.12 tree (the files
# it touches, fresh from the tarball), and Debian's configuration
# (linux-config-6.12) with scripts/distro.config keeps, after `make
# olddefconfig`, CONFIG_SECURITY_CARAPACE=y, CONFIG_RUST=y and carapace in
# CONFIG_LSM. Configures build/kernel-distro (scripts/build-kernel.sh
# --base-config ... --config-only); one more `build-kernel.sh
# --base-config FILE` builds that kernel.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

TARBALL=/usr/src/linux-source-6.12.tar.xz
DEBIAN_CONFIG=${1:-/usr/src/linux-config-6.12/config.amd64_none_amd64.xz}
[ -f "$DEBIAN_CONFIG" ] || die "$DEBIAN_CONFIG missing: run scripts/setup.sh (linux-config-6.12)"

# 1. The patches against the pristine files they touch.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
top=linux-source-6.12
# Files the series changes (new ones, "--- /dev/null", patch creates).
mapfile -t files < <(awk '/^--- / { old = $2 } /^\+\+\+ b\// && old != "/dev/null" { print substr($2, 3) }' \
	"$REPO"/scripts/patches/*.patch | sort -u)
members=("${files[@]/#/$top/}")
tar xf "$TARBALL" -C "$tmp" "${members[@]}"
for p in "$REPO"/scripts/patches/*.patch; do
	patch -s -p1 -d "$tmp/$top" <"$p" || die "$(basename "$p") does not apply to the pristine tree"
done
log "ok: the patch series (${#files[@]} existing files) applies to $(basename "$TARBALL")"

# 2. Debian's config plus carapace, through olddefconfig.
bash "$REPO/scripts/build-kernel.sh" --base-config "$DEBIAN_CONFIG" --config-only
cfg="$BUILD/kernel-distro/.config"
for want in CONFIG_SECURITY_CARAPACE=y CONFIG_RUST=y CONFIG_SECURITY_SELINUX=y \
	CONFIG_SECURITY_APPARMOR=y CONFIG_SECURITY_LANDLOCK=y; do
	grep -qxF "$want" "$cfg" || die "$cfg: no $want"
done
grep -qE '^CONFIG_LSM=".*carapace' "$cfg" || die "$cfg: carapace is not in CONFIG_LSM"
log "ok: $(basename "$DEBIAN_CONFIG") + distro.config keeps carapace and Rust: $(grep '^CONFIG_LSM=' "$cfg")"
