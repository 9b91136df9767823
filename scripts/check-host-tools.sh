#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The commands the scripts run on this machine are all in
# scripts/host-tools.txt, which scripts/setup.sh installs and
# scripts/preflight.sh checks: looks for the commands named in KNOWN below
# in the host-side files (scripts/*.sh, .ci/run, the kselftest Makefile:
# as words outside comments; the cargo tests and examples: in
# Command::new("...")), and fails, naming the file and the command, for
# each one used there and missing from the list. tests/vm and tests/bench
# run inside the VM and are not looked at. Plain bash and grep.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

LIST="$REPO/scripts/host-tools.txt"

# The commands to look for: those the scripts use and others they could
# come to use (an approximate list, not every program there is).
KNOWN=(
	# Debian's tools and the base system
	apt-get apt-cache dpkg-query dpkg-deb
	bash sh awk gawk sed grep find xargs
	basename cat chmod cp cut date dirname head id install ln mkdir mktemp
	mv nproc paste realpath rm sha256sum sleep sort stat tail tee timeout
	touch wc cmp diff
	tar gzip gunzip zcat xz xzcat bzip2 zstd lz4 cpio bsdtar unzip
	ldd file readelf objdump objcopy nm strip
	setpriv taskset unshare nsenter chroot sudo ip
	systemd-analyze man shellcheck
	# Compilers and the kernel build
	cargo rustc rustfmt bindgen cargo-fuzz
	cc c++ gcc g++ clang clang-19 ld.lld-19 llvm-config
	llvm-ar-19 llvm-nm-19 llvm-objcopy-19 llvm-objdump-19 llvm-readelf-19 llvm-strip-19
	make flex bison bc perl python python3 patch pahole openssl pkg-config
	depmod modprobe insmod
	# The VM root, the VM and the checks
	busybox jq rsync qemu-system-x86_64 qemu-img
	checkpolicy git curl wget docker podman vng virtme-run fakeroot
	debootstrap mkinitramfs update-initramfs strace gdb xxd hexdump
)

# The host-side files; this script's own list of names is not a use.
FILES=()
for f in "$REPO"/scripts/*.sh "$REPO/.ci/run" "$REPO/tests/kselftest/Makefile" \
	"$REPO"/src/*/tests/*.rs "$REPO"/src/*/examples/*.rs; do
	[ -f "$f" ] && [ "$f" != "$REPO/scripts/check-host-tools.sh" ] && FILES+=("$f")
done

# A copy of each file with only what runs, line for line: shell and make
# without comments; Rust, the program names of Command::new("...").
runs() {
	local rust='' line rust_re='Command::new\("([^"]+)"\)'
	case "$1" in *.rs) rust=1 ;; esac
	while IFS= read -r line || [ -n "$line" ]; do
		if [ -n "$rust" ]; then
			if [[ $line =~ $rust_re ]]; then line=${BASH_REMATCH[1]}; else line=; fi
		else
			[[ $line =~ ^[[:space:]]*# ]] && line=
			line=${line%%[[:space:]]#*}
		fi
		printf '%s\n' "$line"
	done <"$1"
}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for f in "${FILES[@]}"; do
	rel=${f#"$REPO"/}
	mkdir -p "$tmp/$(dirname "$rel")"
	runs "$f" >"$tmp/$rel"
done

declare -A listed=()
while read -r cmd _; do
	case "$cmd" in "" | "#"*) continue ;; esac
	listed[$cmd]=1
done <"$LIST"

status=0
for cmd in "${KNOWN[@]}"; do
	[ -n "${listed[$cmd]:-}" ] && continue
	# The name as a word: not part of a longer name, option, variable,
	# file name or assignment; after a / it is a path to the program.
	re=${cmd//./\\.}
	re=${re//+/\\+}
	while IFS=: read -r rel lineno _; do
		echo "${rel#"$tmp"/}:$lineno: $cmd is used but missing from scripts/host-tools.txt"
		status=1
	done < <(grep -rnE -m1 "(^|[^[:alnum:]_.\$-])$re([^[:alnum:]_./=:-]|\$)" "$tmp" || true)
done
[ "$status" = 0 ] || die "commands missing from scripts/host-tools.txt (add them, with their package)"
log "ok: every known command used in ${#FILES[@]} host-side files is in scripts/host-tools.txt"
