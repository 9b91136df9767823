/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * Carapace type enforcement: binary policy constants shared with user space.
 *
 * A policy is written whole to /sys/kernel/security/carapace/policy. It
 * starts with a little-endian header: magic, version, total length, flags,
 * checksum; see Documentation/policy-format.rst. These values mirror
 * src/core/src/policy/format.rs.
 */
#ifndef _UAPI_LINUX_CARAPACE_H
#define _UAPI_LINUX_CARAPACE_H

/* First 32-bit little-endian word of every binary policy. */
#define CARAPACE_POLICY_MAGIC		0xca7a9aceU

/* The binary policy format version this kernel loads. */
#define CARAPACE_POLICY_VERSION		2

/* Largest binary policy accepted, in bytes. */
#define CARAPACE_POLICY_MAX_SIZE	(64U << 20)

#endif /* _UAPI_LINUX_CARAPACE_H */
