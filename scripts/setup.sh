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
PACKAGES=(
	clang-19 lld-19 llvm-19 libclang-19-dev
	qemu-system-x86 "$LINUX_SOURCE"
	flex bison bc libelf-dev libssl-dev cpio kmod xz-utils
	busybox-static libc6-dev libcap-dev make gcc
	checkpolicy
	man-db groff-base	# the carapacectl man page test (man -l)
	linux-config-6.12	# Debian's kernel configuration, for the distribution-kernel check
	rsync			# the kselftest framework's install target
)

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
# Debian's auditd for the VM's audit suite (fetched, not installed).
bash "$(dirname "$0")/fetch-auditd.sh" || die "fetching auditd failed"

log "ok"
