#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Install everything carapace needs to build a kernel, boot it and test it.
# Idempotent: packages already at the pinned version are left alone.
# Fails loudly when a pinned version cannot be had, rather than building
# with something else.
set -euo pipefail

RUST_KERNEL_VERSION="1.85.0+dfsg3-1~deb12u3"
BINDGEN_VERSION="0.69.5"
LINUX_SOURCE="linux-source-6.12"
# CRIU for the VM: Debian 13's (3.18 added --unprivileged; Debian 12 has
# 3.17). Fetched with its libraries into build/criu-root, not installed.
CRIU_VERSION="4.1.1-1"
CRIU_SUITE="trixie"

# The shared settings (separate_apt); setup's own messages below.
. "$(dirname "$0")/lib.sh"
die() { echo "setup: error: $*" >&2; exit 1; }
log() { echo "setup: $*" >&2; }

[ "$(id -u)" = 0 ] || die "must run as root (installs Debian packages)"

export DEBIAN_FRONTEND=noninteractive

PINNED=(
	"rustc-web=$RUST_KERNEL_VERSION"
	"rust-web-src=$RUST_KERNEL_VERSION"
	"libstd-rust-web-dev=$RUST_KERNEL_VERSION"
	"libstd-rust-web-1.85=$RUST_KERNEL_VERSION"
	"rust-web-clippy=$RUST_KERNEL_VERSION"
)
# What no command of scripts/host-tools.txt stands for: libraries,
# headers, the kernel's source and configuration.
PACKAGES=(
	libclang-19-dev libelf-dev libssl-dev libc6-dev libcap-dev
	"$LINUX_SOURCE" kmod
	groff-base		# the carapacectl man page test (man -l)
	linux-config-6.12	# Debian's kernel configuration, for the distribution-kernel check
	libprotobuf-dev		# google/protobuf/descriptor.proto, imported by CRIU's images (pycriu)
	# CRIU built with contrib/criu/ (scripts/build-criu.sh): what its
	# Makefiles require, plus libbsd and GnuTLS as Debian builds it;
	# without nftables (network locking of network namespaces only),
	# the documentation and the tests.
	libprotobuf-c-dev libnl-3-dev libnet1-dev libbsd-dev libgnutls28-dev
)
# The commands the scripts run on this machine, each with where it comes
# from: "COMMAND SOURCE # ...", SOURCE a Debian package, cargo:CRATE or
# rustup. Their Debian packages join PACKAGES (the pinned ones stay in
# PINNED); the cargo ones are installed below.
HOST_TOOLS="$(dirname "$0")/host-tools.txt"
[ -f "$HOST_TOOLS" ] || die "$HOST_TOOLS missing"
declare -A listed=()
for spec in "${PINNED[@]}" "${PACKAGES[@]}"; do listed[${spec%%=*}]=1; done
while read -r cmd src _; do
	case "$cmd" in "" | "#"*) continue ;; esac
	case "$src" in rustup | cargo:*) continue ;; esac
	[ -n "${listed[$src]:-}" ] || PACKAGES+=("$src")
	listed[$src]=1
done <"$HOST_TOOLS"

installed_version() {
	dpkg-query -W -f='${Status} ${Version}\n' "$1" 2>/dev/null |
		awk '$3 == "installed" { print $4 }'
}

need_install=()
for spec in "${PINNED[@]}"; do
	pkg=${spec%%=*} ver=${spec#*=}
	[ "$(installed_version "$pkg")" = "$ver" ] || need_install+=("$spec")
done
for pkg in "${PACKAGES[@]}"; do
	[ -n "$(installed_version "$pkg")" ] || need_install+=("$pkg")
done

if [ ${#need_install[@]} -gt 0 ]; then
	log "installing: ${need_install[*]}"
	apt-get update -qq
	for spec in "${PINNED[@]}"; do
		pkg=${spec%%=*} ver=${spec#*=}
		apt-cache madison "$pkg" | awk -F'|' '{gsub(/ /,"",$2); print $2}' |
			grep -qxF "$ver" ||
			die "$pkg version $ver is no longer in the package archive; update RUST_KERNEL_VERSION in $0 and DESIGN"
	done
	apt-get install -y -qq --no-install-recommends --allow-downgrades \
		"${need_install[@]}" >/dev/null ||
		die "apt-get install failed for: ${need_install[*]}"
fi

for spec in "${PINNED[@]}"; do
	pkg=${spec%%=*} ver=${spec#*=}
	[ "$(installed_version "$pkg")" = "$ver" ] ||
		die "$pkg is not at pinned version $ver"
done
/usr/bin/rustc --version | grep -q '^rustc 1\.85\.' ||
	die "/usr/bin/rustc is not 1.85: $(/usr/bin/rustc --version)"
[ -f /usr/src/$LINUX_SOURCE.tar.xz ] ||
	die "/usr/src/$LINUX_SOURCE.tar.xz missing after installing $LINUX_SOURCE"

# Host toolchain (rustup) builds the host crates; bindgen for the kernel.
export PATH="$HOME/.cargo/bin:$PATH"
command -v cargo >/dev/null || die "cargo (rustup toolchain) not found"
if ! bindgen --version 2>/dev/null | grep -qF "$BINDGEN_VERSION"; then
	log "installing bindgen-cli $BINDGEN_VERSION"
	cargo install --quiet --locked "bindgen-cli@$BINDGEN_VERSION" ||
		die "cargo install bindgen-cli@$BINDGEN_VERSION failed"
fi
# The other commands of the list that cargo installs (cargo-fuzz).
while read -r cmd src _; do
	case "$cmd" in "" | "#"*) continue ;; esac
	case "$src" in cargo:*) ;; *) continue ;; esac
	command -v "$cmd" >/dev/null && continue
	log "installing ${src#cargo:}"
	cargo install --quiet --locked "${src#cargo:}" ||
		die "cargo install ${src#cargo:} failed"
done <"$HOST_TOOLS"

# CRIU from Debian 13, through an apt configuration of its own under
# build/ (sources list, lists, cache and an empty dpkg status), so the
# system's apt setup is untouched. Its one entry is the mirror of this
# machine's bookworm entry with the suite changed; bookworm's
# debian-archive-keyring also holds the trixie keys.
REPO=$(cd "$(dirname "$0")/.." && pwd)
CRIU_APT="$REPO/build/criu-apt"
CRIU_ROOT="$REPO/build/criu-root"
KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg

# The first URI of an enabled "deb" entry for bookworm, from one-line
# (.list) and deb822 (.sources) files.
bookworm_mirror() {
	local f
	for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
		[ -f "$f" ] || continue
		awk '$1 == "deb" {
			i = 2
			if ($i ~ /^\[/) { while (i < NF && $i !~ /\]$/) i++; i++ }
			if ($(i + 1) == "bookworm") { print $i; exit }
		}' "$f"
	done
	for f in /etc/apt/sources.list.d/*.sources; do
		[ -f "$f" ] || continue
		awk 'BEGIN { RS = ""; FS = "\n" }
		{
			types = uris = suites = ""; enabled = "yes"
			for (i = 1; i <= NF; i++) {
				line = $i
				if (line ~ /^#/) continue
				if (sub(/^Types:[ \t]*/, "", line)) types = line
				else if (sub(/^URIs:[ \t]*/, "", line)) uris = line
				else if (sub(/^Suites:[ \t]*/, "", line)) suites = line
				else if (sub(/^Enabled:[ \t]*/, "", line)) enabled = line
			}
			if (enabled != "no" && (" " types " ") ~ / deb / &&
			    (" " suites " ") ~ / bookworm /) {
				split(uris, u, /[ \t]+/); print u[1]; exit
			}
		}' "$f"
	done
}

if [ "$(cat "$CRIU_ROOT/.version" 2>/dev/null)" != "$CRIU_VERSION" ]; then
	mirror=$(bookworm_mirror | head -n1)
	[ -n "$mirror" ] || die "no Debian bookworm entry in /etc/apt/sources.list{,.d}: cannot derive a $CRIU_SUITE mirror"
	[ -f "$KEYRING" ] || die "$KEYRING missing (package debian-archive-keyring)"
	log "fetching criu $CRIU_VERSION from $mirror $CRIU_SUITE"
	rm -rf "$CRIU_APT" "$CRIU_ROOT"
	mkdir -p "$CRIU_APT"/{sources.list.d,preferences.d,lists/partial,cache/archives/partial}
	echo "deb [signed-by=$KEYRING] $mirror $CRIU_SUITE main" >"$CRIU_APT/sources.list"
	: >"$CRIU_APT/status"
	separate_apt "$CRIU_APT"
	apt-get "${APT_OPTS[@]}" -qq update || die "apt-get update for $CRIU_SUITE failed"
	apt-cache "${APT_OPTS[@]}" madison criu | awk -F'|' '{gsub(/ /,"",$2); print $2}' |
		grep -qxF "$CRIU_VERSION" ||
		die "criu version $CRIU_VERSION is no longer in $CRIU_SUITE; update CRIU_VERSION in $0, README and DESIGN"
	# With an empty status, this fetches criu and its whole Depends
	# closure: the libraries it runs with.
	apt-get "${APT_OPTS[@]}" -y -qq --download-only --no-install-recommends \
		install "criu=$CRIU_VERSION" >/dev/null ||
		die "downloading criu $CRIU_VERSION and its dependencies failed"
	mkdir -p "$CRIU_ROOT.tmp"
	for deb in "$CRIU_APT"/cache/archives/*.deb; do
		dpkg-deb -x "$deb" "$CRIU_ROOT.tmp" || die "cannot unpack $deb"
	done
	# It runs with its own loader and libraries, never the host's.
	"$CRIU_ROOT.tmp/usr/lib64/ld-linux-x86-64.so.2" \
		--library-path "$CRIU_ROOT.tmp/usr/lib/x86_64-linux-gnu" \
		"$CRIU_ROOT.tmp/usr/sbin/criu" --version 2>&1 | grep -q "^Version: ${CRIU_VERSION%-*}$" ||
		die "the unpacked criu does not run or is not ${CRIU_VERSION%-*}"
	echo "$CRIU_VERSION" >"$CRIU_ROOT.tmp/.version"
	mv "$CRIU_ROOT.tmp" "$CRIU_ROOT"
fi
# Debian's auditd for the VM's audit suite (fetched, not installed).
bash "$(dirname "$0")/fetch-auditd.sh" || die "fetching auditd failed"
# CRIU's sources (ZDTM), python3 and make for the VM's zdtm suite.
bash "$(dirname "$0")/fetch-zdtm.sh" || die "fetching ZDTM failed"

log "ok"
