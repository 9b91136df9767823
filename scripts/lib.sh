# SPDX-License-Identifier: GPL-2.0
# Shared settings of the carapace scripts; sourced, not run.

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD="$REPO/build"
KSRC="$BUILD/linux"		# pristine Debian source + scripts/patches
KOUT="$BUILD/kernel"		# kernel objects (make O=)
KOUT_DEBUG="$BUILD/kernel-debug"	# the debug kernel's (build-kernel.sh --debug)
export PATH="$HOME/.cargo/bin:$PATH"

# The kernel's Rust must be built by the pinned Debian rustc 1.85 (it has the
# library sources), never by the rustup toolchain on PATH.
KMAKE=(make -C "$KSRC" O="$KOUT" LLVM=-19
	RUSTC=/usr/bin/rustc RUSTDOC=/usr/bin/rustdoc HOSTRUSTC=/usr/bin/rustc
	CLIPPY_DRIVER=/usr/bin/clippy-driver
	BINDGEN="$HOME/.cargo/bin/bindgen" RUSTFMT=false
	-j"$(nproc)")

die() { echo "${0##*/}: error: $*" >&2; exit 1; }
log() { echo "${0##*/}: $*" >&2; }
