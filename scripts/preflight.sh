#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Before any build: every command of scripts/host-tools.txt is on PATH
# (lib.sh's, with the rustup and cargo-installed commands). For each one
# that is not, prints where it comes from, e.g.
#
#   missing: shellcheck (Debian package shellcheck; scripts/setup.sh should install it)
#
# and fails if any is missing.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

missing=0
while read -r cmd src _; do
	case "$cmd" in "" | "#"*) continue ;; esac
	command -v "$cmd" >/dev/null && continue
	case "$src" in
	rustup) from="rustup toolchain, https://rustup.rs; install it before scripts/setup.sh" ;;
	cargo:*) from="cargo install ${src#cargo:}; scripts/setup.sh should install it" ;;
	*) from="Debian package $src; scripts/setup.sh should install it" ;;
	esac
	echo "missing: $cmd ($from)"
	missing=$((missing + 1))
done <"$REPO/scripts/host-tools.txt"
[ "$missing" = 0 ] || die "$missing command(s) of scripts/host-tools.txt missing"
log "ok: every command of scripts/host-tools.txt is on PATH"
