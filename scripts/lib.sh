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

# separate_apt DIR: set APT_OPTS to the apt-get/apt-cache options of the
# apt configuration kept in DIR (scripts/setup.sh makes build/criu-apt, a
# Debian 13 source of its own), apart from the host's: its sources, lists,
# status and cache, amd64 only, without the index files nobody reads.
separate_apt() {
	APT_OPTS=(
		-o "Dir::Etc::SourceList=$1/sources.list"
		-o "Dir::Etc::SourceParts=$1/sources.list.d"
		-o "Dir::Etc::Preferences=$1/preferences"
		-o "Dir::Etc::PreferencesParts=$1/preferences.d"
		-o "Dir::State::Lists=$1/lists"
		-o "Dir::State::Status=$1/status"
		-o "Dir::Cache=$1/cache"
		-o "APT::Architecture=amd64" -o "APT::Architectures::=amd64"
		-o "Acquire::IndexTargets::deb::DEP-11::DefaultEnabled=false"
		-o "Acquire::IndexTargets::deb::DEP-11-icons::DefaultEnabled=false"
		-o "Acquire::IndexTargets::deb::Contents-deb::DefaultEnabled=false"
	)
}
