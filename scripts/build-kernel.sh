#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build the carapace test kernel into build/kernel/arch/x86/boot/bzImage.
#
# The source tree is the pristine Debian linux-source-6.12 tarball with the
# patches in scripts/patches applied, and security/carapace a link to this
# repository. It is unpacked again only when the tarball or the patches
# change, and configured again only when the config fragment changes, so a
# rerun rebuilds only what changed. The Rust code is always compiled
# through clippy (CLIPPY=1; the same objects, plus the lints, so a lint
# failure fails the build). Extra arguments go to make.
#
#   build-kernel.sh [--debug] [MAKE ARGS...]
#
# --debug builds the debug kernel instead (KASAN, lockdep, PROVE_RCU,
# UBSAN, KFENCE, ... on SMP: scripts/kernel-debug.config merged after
# scripts/kernel.config) into build/kernel-debug, from the same source tree.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

TARBALL=/usr/src/linux-source-6.12.tar.xz
FRAGMENTS=("$REPO/scripts/kernel.config")
if [ "${1:-}" = --debug ]; then
	shift
	FRAGMENTS+=("$REPO/scripts/kernel-debug.config")
	KOUT="$KOUT_DEBUG"
	KMAKE=("${KMAKE[@]/#O=*/O=$KOUT}")
fi
[ -f "$TARBALL" ] || die "$TARBALL missing: run scripts/setup.sh"
mkdir -p "$BUILD"

src_stamp=$( (stat -c '%s %Y' "$TARBALL"; cat "$REPO"/scripts/patches/*.patch) | sha256sum | cut -d' ' -f1)
if [ "$(cat "$KSRC/.carapace-stamp" 2>/dev/null)" != "$src_stamp" ]; then
	log "unpacking and patching the kernel source"
	rm -rf "$KSRC" "$KSRC.tmp" "$KOUT"
	mkdir -p "$KSRC.tmp"
	tar xf "$TARBALL" -C "$KSRC.tmp" --strip-components=1
	for p in "$REPO"/scripts/patches/*.patch; do
		patch -s -p1 -d "$KSRC.tmp" <"$p" || die "patch $(basename "$p") does not apply"
	done
	echo "$src_stamp" >"$KSRC.tmp/.carapace-stamp"
	mv "$KSRC.tmp" "$KSRC"
fi
ln -sfn "$REPO" "$KSRC/security/carapace"

cfg_stamp=$( { cat "${FRAGMENTS[@]}"; echo "$src_stamp"; } | sha256sum | cut -d' ' -f1)
if [ "$(cat "$KOUT/.carapace-config-stamp" 2>/dev/null)" != "$cfg_stamp" ]; then
	log "configuring (tinyconfig + ${FRAGMENTS[*]##*/})"
	mkdir -p "$KOUT"
	"${KMAKE[@]}" rustavailable >/dev/null ||
		die "the kernel does not accept this Rust toolchain (make rustavailable failed)"
	"${KMAKE[@]}" tinyconfig >/dev/null
	KCONFIG_CONFIG="$KOUT/.config" "$KSRC/scripts/kconfig/merge_config.sh" \
		-m -O "$KOUT" "$KOUT/.config" "${FRAGMENTS[@]}" >/dev/null
	"${KMAKE[@]}" olddefconfig >/dev/null
	# merge_config.sh only warns when a symbol does not stick; we fail.
	# A symbol set by several fragments is checked as the last one sets it.
	declare -A wanted=()
	while IFS= read -r line; do
		case "$line" in CONFIG_*=*) ;; *) continue ;; esac
		wanted[${line%%=*}]=$line
	done < <(cat "${FRAGMENTS[@]}")
	for line in "${wanted[@]}"; do
		want=$line
		[ "${want#*=}" = n ] && want="# ${want%%=*} is not set"
		grep -qxF "$want" "$KOUT/.config" ||
			die "config fragment line '$line' did not stick (missing dependency?)"
	done
	echo "$cfg_stamp" >"$KOUT/.carapace-config-stamp"
fi

log "building bzImage"
"${KMAKE[@]}" CLIPPY=1 "$@" bzImage
log "ok: $KOUT/arch/x86/boot/bzImage"
