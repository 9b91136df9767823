#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Make the VM root, build/initramfs.cpio.gz: static busybox, the tests
# (C kselftests built against the patched kernel's UAPI headers) and the
# carapace tools. Everything in it is statically linked (but for auditd and
# jq, copied with their libraries for the audit suite): the VM has no
# other libraries.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

ROOT="$BUILD/initramfs"
HDR="$KOUT/usr/include"
SELFTESTS="$KSRC/tools/testing/selftests"
[ -d "$KSRC" ] || die "no kernel tree: run scripts/build-kernel.sh first"
[ -x /bin/busybox ] || die "/bin/busybox missing: run scripts/setup.sh"

# UAPI headers of the patched kernel (LSM_ID_CARAPACE, new syscalls).
"${KMAKE[@]}" -s headers >/dev/null

rm -rf "$ROOT"
mkdir -p "$ROOT"/{bin,sbin,etc,proc,sys,dev,tmp,run,root,tests/bin,tests/suites}
cp /bin/busybox "$ROOT/bin/busybox"
cp "$REPO/tests/vm/init" "$ROOT/init"
cp "$REPO"/tests/vm/*.sh "$ROOT/tests/"
cp "$REPO"/tests/vm/suites/* "$ROOT/tests/suites/"
echo "root:x:0:0:root:/root:/bin/sh" >"$ROOT/etc/passwd"
echo "root:x:0:" >"$ROOT/etc/group"

CFLAGS=(-static -O2 -Wall -Werror -isystem "$HDR" -I "$SELFTESTS")
gcc "${CFLAGS[@]}" -o "$ROOT/bin/exit-vm" "$REPO/tests/vm/exit-vm.c"
gcc "${CFLAGS[@]}" -o "$ROOT/bin/lsm-probe" "$REPO/tests/vm/lsm-probe.c"
for src in "$REPO"/tests/kselftest/*_test.c; do
	gcc "${CFLAGS[@]}" -o "$ROOT/tests/bin/$(basename "$src" .c)" "$src" -lcap
done

# The kernel's own selftests from the same tree, unmodified, static. The
# clone3 ones link tests/vm/libcap-compat.c instead of libcap (see there).
mkdir -p "$BUILD/selftests"
gcc -O2 -Wall -Werror -c -o "$BUILD/selftests/libcap-compat.o" "$REPO/tests/vm/libcap-compat.c"
for t in clone3 pid_namespace; do
	libs=
	[ $t = clone3 ] && libs="$BUILD/selftests/libcap-compat.o"
	mkdir -p "$BUILD/selftests/$t"
	make -s -C "$SELFTESTS/$t" OUTPUT="$BUILD/selftests/$t" CC=gcc LDFLAGS=-static \
		LDLIBS="$libs" KHDR_INCLUDES="-isystem $HDR" -B >/dev/null
	mkdir -p "$ROOT/tests/kselftests/$t"
	find "$BUILD/selftests/$t" -maxdepth 1 -type f -perm -u+x \
		-exec cp {} "$ROOT/tests/kselftests/$t/" \;
done

# Our kselftests again, through the kernel's framework as an upstream
# submission runs them: tools/testing/selftests/carapace (linked by
# build-kernel.sh), built and installed with run_kselftest.sh.
make -s -C "$SELFTESTS" TARGETS=carapace CC=gcc LDFLAGS=-static \
	KHDR_INCLUDES="-isystem $HDR" O="$BUILD/selftests/framework" \
	INSTALL_PATH="$ROOT/tests/kselftest-framework" install >/dev/null

# The admin tool (static) and the default policy, compiled here.
cp "$(bash "$REPO/scripts/build-admin.sh")" "$ROOT/bin/carapacectl"

# carapacectl's man pages and shell completions, made by carapacectl-gen
# (built beside it) from the same clap definitions.
"$(dirname "$(bash "$REPO/scripts/build-admin.sh")")/carapacectl-gen" "$ROOT/usr"
mkdir -p "$ROOT/etc/carapace"
cargo run --quiet --release --manifest-path "$REPO/Cargo.toml" -p carapace-compiler -- \
	-o "$ROOT/etc/carapace/policy.bin" "$REPO/policy/default/main.cpol"
# A test policy: the default with the checkpoint/restore domains' roles
# swapped, for reload tests.
rm -rf "$BUILD/policy-swapped" && cp -r "$REPO/policy/default" "$BUILD/policy-swapped"
sed -i 's/cr_allowed_/cr_TMP_/g; s/cr_denied_/cr_allowed_/g; s/cr_TMP_/cr_denied_/g' \
	"$BUILD/policy-swapped/checkpoint.cpol"
cargo run --quiet --release --manifest-path "$REPO/Cargo.toml" -p carapace-compiler -- \
	-o "$ROOT/etc/carapace/swapped.bin" "$BUILD/policy-swapped/main.cpol"

# The hook tests' policy: the default plus tests/policy/hooks.cpol.
rm -rf "$BUILD/policy-hooks" && cp -r "$REPO/policy/default" "$BUILD/policy-hooks"
cp "$REPO/tests/policy/hooks.cpol" "$BUILD/policy-hooks/"
echo 'include "hooks.cpol";' >>"$BUILD/policy-hooks/main.cpol"
cargo run --quiet --release --manifest-path "$REPO/Cargo.toml" -p carapace-compiler -- \
	-o "$ROOT/etc/carapace/hooks.bin" "$BUILD/policy-hooks/main.cpol"

# Debian's auditd, auditctl, ausearch and aureport (scripts/fetch-auditd.sh)
# with the shared libraries ldd finds for them, the ones of the package
# first; for the audit suite. Also jq, to read carapacectl's --json there.
install_auditd() {
	local src="$BUILD/auditd-root" libpath bin lib
	[ -x "$src/sbin/auditd" ] || bash "$REPO/scripts/fetch-auditd.sh"
	libpath="$src/lib/x86_64-linux-gnu:$src/usr/lib/x86_64-linux-gnu"
	mkdir -p "$ROOT/lib/x86_64-linux-gnu" "$ROOT/lib64" "$ROOT/etc/audit/plugins.d" \
		"$ROOT/var/log/audit" "$ROOT/usr/bin"
	for bin in auditd auditctl ausearch aureport; do
		cp "$src/sbin/$bin" "$ROOT/sbin/"
	done
	cp "$(command -v jq)" "$ROOT/usr/bin/jq"
	for bin in "$ROOT"/sbin/{auditd,auditctl,ausearch,aureport} "$ROOT/usr/bin/jq"; do
		LD_LIBRARY_PATH=$libpath ldd "$bin" | grep -q 'not found' &&
			die "$bin: a library is missing: $(LD_LIBRARY_PATH=$libpath ldd "$bin")"
		LD_LIBRARY_PATH=$libpath ldd "$bin" | awk '$2 == "=>" && $3 ~ /^\// { print $3 }' |
			while read -r lib; do
				cp -L "$lib" "$ROOT/lib/x86_64-linux-gnu/"
			done
	done
	cp -L /lib64/ld-linux-x86-64.so.2 "$ROOT/lib64/"
	# The package's configuration, made fit for a root with no adm group,
	# written synchronously so that ausearch sees a record at once.
	cp "$src"/etc/audit/plugins.d/*.conf "$ROOT/etc/audit/plugins.d/"
	sed -e 's/^log_group = .*/log_group = root/' -e 's/^flush = .*/flush = SYNC/' \
		"$src/etc/audit/auditd.conf" >"$ROOT/etc/audit/auditd.conf"
	chmod 0640 "$ROOT/etc/audit/auditd.conf"
	mkdir -p "$ROOT/var" && ln -sfn /run "$ROOT/var/run"
}
install_auditd

# The default policy's sources, where `carapacectl explain` looks for the
# neverallow rules a suggested rule would break.
cp -r "$REPO/policy/default" "$ROOT/etc/carapace/src"

(cd "$ROOT" && find . -print0 | cpio --null -o -H newc --quiet) | gzip -1 >"$BUILD/initramfs.cpio.gz"
log "ok: $BUILD/initramfs.cpio.gz"
