#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build carapacectl statically linked, for the minimal VM root (no shared
# libraries there). Only the x86_64-unknown-linux-gnu target is installed
# (no musl): static glibc through +crt-static. Prints the binary's path.
set -euo pipefail

REPO="$(cd "$(dirname "$0")/.." && pwd)"
export PATH="$HOME/.cargo/bin:$PATH"
TARGET=x86_64-unknown-linux-gnu
BIN="$REPO/target/$TARGET/release/carapacectl"

cd "$REPO"
RUSTFLAGS="${RUSTFLAGS:+$RUSTFLAGS }-C target-feature=+crt-static" \
	cargo build --release -p carapace-admin --target "$TARGET" >&2

[ -x "$BIN" ] || { echo "build-admin: $BIN not built" >&2; exit 1; }
# A static binary has no program interpreter (PT_INTERP).
if command -v file >/dev/null 2>&1; then
	case "$(file -b "$BIN")" in
	*"statically linked"* | *"static-pie linked"*) ;;
	*) echo "build-admin: $BIN is not statically linked: $(file -b "$BIN")" >&2; exit 1 ;;
	esac
else
	case "$(ldd "$BIN" 2>&1 || true)" in
	*"not a dynamic executable"* | *"statically linked"*) ;;
	*) echo "build-admin: $BIN is dynamically linked" >&2; exit 1 ;;
	esac
fi
echo "$BIN"
