#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Make the VM root, build/initramfs.cpio.gz: static busybox, the tests
# (C kselftests built against the patched kernel's UAPI headers), the
# carapace tools and CRIU (Debian's, and one built with contrib/criu/).
# Everything in it is statically linked but CRIU, which brings its own
# loader and libraries from Debian 13, and auditd and jq, copied with
# their libraries for the audit suite. Then the zdtm suite's,
# build/initramfs-zdtm.cpio.gz (scripts/build-zdtm.sh).
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
printf '%s\n' "root:x:0:0:root:/root:/bin/sh" "user:x:1000:1000:user:/tmp:/bin/sh" >"$ROOT/etc/passwd"
printf '%s\n' "root:x:0:" "user:x:1000:" >"$ROOT/etc/group"

CFLAGS=(-static -O2 -Wall -Werror -isystem "$HDR" -I "$SELFTESTS")
gcc "${CFLAGS[@]}" -o "$ROOT/bin/exit-vm" "$REPO/tests/vm/exit-vm.c"
gcc "${CFLAGS[@]}" -o "$ROOT/bin/lsm-probe" "$REPO/tests/vm/lsm-probe.c"
gcc "${CFLAGS[@]}" -o "$ROOT/bin/net-probe" "$REPO/tests/vm/net-probe.c"
gcc "${CFLAGS[@]}" -o "$ROOT/bin/service-probe" "$REPO/tests/vm/service-probe.c"
gcc "${CFLAGS[@]}" -o "$ROOT/bin/stack-probe" "$REPO/tests/vm/stack-probe.c"
gcc "${CFLAGS[@]}" -o "$ROOT/bin/cr-user" "$REPO/tests/vm/cr-user.c"
gcc "${CFLAGS[@]}" -o "$ROOT/tests/bin/cr-counter" "$REPO/tests/vm/cr-counter.c"
gcc "${CFLAGS[@]}" -o "$ROOT/tests/bin/proc-relabel" "$REPO/tests/vm/proc-relabel.c"
gcc "${CFLAGS[@]}" -o "$ROOT/tests/bin/img-swap" "$REPO/tests/vm/img-swap.c"

# CRIU (scripts/setup.sh unpacked Debian 13's with its libraries into
# build/criu-root): the binary, its loader, and the libraries found by
# following DT_NEEDED from it through that tree.
CRIU_ROOT="$BUILD/criu-root"
LIBDIR=usr/lib/x86_64-linux-gnu
[ -x "$CRIU_ROOT/usr/sbin/criu" ] || die "no $CRIU_ROOT/usr/sbin/criu: run scripts/setup.sh"
mkdir -p "$ROOT/usr/sbin" "$ROOT/$LIBDIR" "$ROOT/lib64"
cp "$CRIU_ROOT/usr/sbin/criu" "$ROOT/usr/sbin/criu"
cp -L "$CRIU_ROOT/$LIBDIR/ld-linux-x86-64.so.2" "$ROOT/$LIBDIR/"
ln -s "../$LIBDIR/ld-linux-x86-64.so.2" "$ROOT/lib64/ld-linux-x86-64.so.2"
# copy_libs BINARY: the libraries BINARY needs, through that tree.
copy_libs() {
	local todo=("$1") obj needed lib
	while [ ${#todo[@]} -gt 0 ]; do
		obj=${todo[0]}
		todo=("${todo[@]:1}")
		needed=$(readelf -d "$obj" | sed -n 's/.*(NEEDED).*\[\(.*\)\]$/\1/p')
		for lib in $needed; do
			[ -e "$ROOT/$LIBDIR/$lib" ] && continue
			[ -e "$CRIU_ROOT/$LIBDIR/$lib" ] ||
				die "$(basename "$1") needs $lib, which is not in $CRIU_ROOT"
			cp -L "$CRIU_ROOT/$LIBDIR/$lib" "$ROOT/$LIBDIR/$lib"
			todo+=("$CRIU_ROOT/$LIBDIR/$lib")
		done
	done
}
copy_libs "$CRIU_ROOT/usr/sbin/criu"
# The same CRIU built with contrib/criu/ (scripts/build-criu.sh), which
# saves and restores carapace domains; its libraries have the sonames of
# Debian 13's.
bash "$REPO/scripts/build-criu.sh" || die "building the patched CRIU failed"
mkdir -p "$ROOT/usr/local/sbin"
cp "$BUILD/criu-carapace/criu" "$ROOT/usr/local/sbin/criu-carapace"
copy_libs "$ROOT/usr/local/sbin/criu-carapace"
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

# The CRIU tests' reload: the default without criu_t's checkpoint_restore.
rm -rf "$BUILD/policy-criu-revoked" && cp -r "$REPO/policy/default" "$BUILD/policy-criu-revoked"
sed -i '/^allow criu_t self : { capability2 cap2_userns } checkpoint_restore;$/d' \
	"$BUILD/policy-criu-revoked/criu.cpol"
! grep -q 'criu_t.*checkpoint_restore' "$BUILD/policy-criu-revoked/criu.cpol" ||
	die "policy-criu-revoked still grants criu_t checkpoint_restore"
cargo run --quiet --release --manifest-path "$REPO/Cargo.toml" -p carapace-compiler -- \
	-o "$ROOT/etc/carapace/criu-revoked.bin" "$BUILD/policy-criu-revoked/main.cpol"

# The refused mount-namespace restore: the default without criu_ns_t's
# filesystem mount.
rm -rf "$BUILD/policy-criu-nomount" && cp -r "$REPO/policy/default" "$BUILD/policy-criu-nomount"
sed -i '/^allow criu_ns_t .* : filesystem mount;$/d' "$BUILD/policy-criu-nomount/criu.cpol"
! grep -q 'criu_ns_t.*filesystem.*[^n]mount' "$BUILD/policy-criu-nomount/criu.cpol" ||
	die "policy-criu-nomount still grants criu_ns_t filesystem mount"
cargo run --quiet --release --manifest-path "$REPO/Cargo.toml" -p carapace-compiler -- \
	-o "$ROOT/etc/carapace/criu-nomount.bin" "$BUILD/policy-criu-nomount/main.cpol"

# The hook tests' policy: the default plus tests/policy/hooks.cpol.
rm -rf "$BUILD/policy-hooks" && cp -r "$REPO/policy/default" "$BUILD/policy-hooks"
cp "$REPO/tests/policy/hooks.cpol" "$REPO/tests/policy/net.cpol" \
	"$REPO/tests/policy/services.cpol" "$BUILD/policy-hooks/"
printf 'include "%s";\n' hooks.cpol net.cpol services.cpol >>"$BUILD/policy-hooks/main.cpol"
cargo run --quiet --release --manifest-path "$REPO/Cargo.toml" -p carapace-compiler -- \
	-o "$ROOT/etc/carapace/hooks.bin" "$BUILD/policy-hooks/main.cpol"

# The stress suite: its program, the hostile policies (malformed variants
# of the default policy and up to 100 of the fuzzer's refused inputs, made
# by the core's hostile_policies example), and two 200,000-type policies
# with disjoint type names (the default plus big{a,b}NNNNNN_t), compiled
# once per version of the default policy.
gcc "${CFLAGS[@]}" -o "$ROOT/tests/bin/stress" "$REPO/tests/vm/stress.c"
cargo run --quiet --release --manifest-path "$REPO/Cargo.toml" -p carapace-core \
	--example hostile_policies -- "$ROOT/etc/carapace/policy.bin" "$ROOT/tests/hostile" \
	100 "$REPO/src/core/fuzz/corpus/parse" >&2
big_stamp=$(cat "$REPO"/policy/default/*.cpol | sha256sum | cut -d' ' -f1)
for v in a b; do
	big="$BUILD/big-$v.bin"
	if [ "$(cat "$big.stamp" 2>/dev/null)" != "$big_stamp" ]; then
		rm -rf "$BUILD/policy-big-$v" && cp -r "$REPO/policy/default" "$BUILD/policy-big-$v"
		awk -v v=$v 'BEGIN { for (i = 0; i < 200000; i++) printf "type big%s%06d_t;\n", v, i }' \
			>"$BUILD/policy-big-$v/big.cpol"
		echo 'include "big.cpol";' >>"$BUILD/policy-big-$v/main.cpol"
		cargo run --quiet --release --manifest-path "$REPO/Cargo.toml" -p carapace-compiler -- \
			-o "$big" "$BUILD/policy-big-$v/main.cpol"
		echo "$big_stamp" >"$big.stamp"
	fi
	cp "$big" "$ROOT/etc/carapace/big-$v.bin"
done
# copy_host_libs BINARY [LIBPATH]: the shared libraries ldd finds for
# BINARY (in LIBPATH first, then the host's), into the VM root.
copy_host_libs() {
	local libs lib
	libs=$(LD_LIBRARY_PATH=${2:-} ldd "$1") || true
	! grep -q 'not found' <<<"$libs" || die "$1: a library is missing: $libs"
	awk '$2 == "=>" && $3 ~ /^\// { print $3 }' <<<"$libs" |
		while read -r lib; do
			# CRIU's newer glibc (and any library it brings) serves
			# these binaries too: keep it.
			[ -e "$ROOT/usr/lib/x86_64-linux-gnu/${lib##*/}" ] ||
				cp -L "$lib" "$ROOT/lib/x86_64-linux-gnu/"
		done
	mkdir -p "$ROOT/lib64"
	[ -e "$ROOT/lib64/ld-linux-x86-64.so.2" ] || cp -L /lib64/ld-linux-x86-64.so.2 "$ROOT/lib64/"
}
# GNU tar, which root CRIU runs to save and give back the contents of a
# tmpfs mounted in a mount namespace it dumps (busybox's tar lacks the
# options it passes). In /bin, where busybox --install leaves it be.
mkdir -p "$ROOT/lib/x86_64-linux-gnu"
cp "$(command -v tar)" "$ROOT/bin/tar"
copy_host_libs "$ROOT/bin/tar"

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
		copy_host_libs "$bin" "$libpath"
	done
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

# The zdtm suite's VM root: this one plus ZDTM and python3.
bash "$REPO/scripts/build-zdtm.sh"
