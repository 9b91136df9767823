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
#   build-kernel.sh [--debug | --base-config FILE] [--config-only] [MAKE ARGS...]
#
# --debug builds the debug kernel instead (KASAN, lockdep, PROVE_RCU,
# UBSAN, KFENCE, ... on SMP: scripts/kernel-debug.config merged after
# scripts/kernel.config) into build/kernel-debug, from the same source tree.
# --base-config FILE starts from a distribution's configuration (e.g.
# Debian's /usr/src/linux-config-6.12/config.amd64_none_amd64.xz; .xz is
# unpacked) instead of tinyconfig, merges scripts/distro.config instead of
# scripts/kernel.config, and builds in build/kernel-distro.
# --config-only stops once the kernel is configured.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

TARBALL=/usr/src/linux-source-6.12.tar.xz
FRAGMENTS=("$REPO/scripts/kernel.config")
BASE_CONFIG=
CONFIG_ONLY=
while [ $# -gt 0 ]; do
	case "$1" in
	--debug)
		FRAGMENTS+=("$REPO/scripts/kernel-debug.config")
		KOUT="$KOUT_DEBUG"
		shift
		;;
	--base-config)
		[ $# -ge 2 ] || die "--base-config needs a FILE"
		BASE_CONFIG=$(realpath "$2") || die "no such file: $2"
		shift 2
		;;
	--config-only) CONFIG_ONLY=1; shift ;;
	*) break ;;
	esac
done
if [ -n "$BASE_CONFIG" ]; then
	[ -f "$BASE_CONFIG" ] || die "no such file: $BASE_CONFIG"
	FRAGMENTS=("$REPO/scripts/distro.config")
	KOUT="$BUILD/kernel-distro"
fi
KMAKE=("${KMAKE[@]/#O=*/O=$KOUT}")
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
# Links made only where missing or wrong: `ln -sf` removes a link before
# making it again, and a build of the other kernel may be reading it.
link() { [ "$(readlink "$2")" = "$1" ] || ln -sfn "$1" "$2"; }
link "$REPO" "$KSRC/security/carapace"
# Our kselftests in the kernel's framework: a directory of links (a link
# to the directory would make its `include ../lib.mk` leave the tree).
mkdir -p "$KSRC/tools/testing/selftests/carapace"
for f in "$REPO"/tests/kselftest/{Makefile,config,settings,*.c}; do
	link "$f" "$KSRC/tools/testing/selftests/carapace/${f##*/}"
done

cfg_stamp=$( { cat "${FRAGMENTS[@]}"; echo "$src_stamp"; [ -z "$BASE_CONFIG" ] || cat "$BASE_CONFIG"; } |
	sha256sum | cut -d' ' -f1)
if [ "$(cat "$KOUT/.carapace-config-stamp" 2>/dev/null)" != "$cfg_stamp" ]; then
	mkdir -p "$KOUT"
	"${KMAKE[@]}" rustavailable >/dev/null ||
		die "the kernel does not accept this Rust toolchain (make rustavailable failed)"
	if [ -n "$BASE_CONFIG" ]; then
		log "configuring ($BASE_CONFIG + ${FRAGMENTS[*]##*/})"
		case "$BASE_CONFIG" in
		*.xz) xzcat "$BASE_CONFIG" >"$KOUT/.config" ;;
		*) cp "$BASE_CONFIG" "$KOUT/.config" ;;
		esac
	else
		log "configuring (tinyconfig + ${FRAGMENTS[*]##*/})"
		"${KMAKE[@]}" tinyconfig >/dev/null
	fi
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
		if [ "${line#*=}" = n ]; then
			# Off, or gone with what it depends on.
			! grep -q "^${line%%=*}=" "$KOUT/.config" ||
				die "config fragment line '$line' did not stick (selected by another?)"
			continue
		fi
		grep -qxF "$line" "$KOUT/.config" ||
			die "config fragment line '$line' did not stick (missing dependency?)"
	done
	echo "$cfg_stamp" >"$KOUT/.carapace-config-stamp"
fi
if [ -n "$CONFIG_ONLY" ]; then
	log "ok: configured $KOUT/.config"
	exit 0
fi

log "building bzImage"
"${KMAKE[@]}" CLIPPY=1 "$@" bzImage
log "ok: $KOUT/arch/x86/boot/bzImage"
