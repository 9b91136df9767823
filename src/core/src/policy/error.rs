// SPDX-License-Identifier: GPL-2.0

//! Why a binary policy was rejected.

use core::fmt;

/// A reason for rejecting a binary policy. The kernel prints it with
/// `pr_err` and fails the load with `-EINVAL`; the policy in force stays.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PolicyError {
    /// Larger than [`super::format::POLICY_MAX_SIZE`].
    TooLarge {
        /// Length of the input.
        len: usize,
    },
    /// Shorter than the header, or than the length the header states.
    Truncated {
        /// Bytes needed.
        need: usize,
        /// Bytes present.
        have: usize,
    },
    /// The first word is not [`super::format::POLICY_MAGIC`].
    BadMagic(u32),
    /// A format version this kernel does not read.
    UnsupportedVersion(u32),
    /// The header's length differs from the input's.
    LengthMismatch {
        /// Length stated in the header.
        header: usize,
        /// Length of the input.
        actual: usize,
    },
    /// The length is not a multiple of 4.
    Misaligned(usize),
    /// The checksum in the header does not match the contents.
    ChecksumMismatch {
        /// Checksum stored in the header.
        stored: u64,
        /// Checksum computed over the contents.
        computed: u64,
    },
    /// Undefined bits set in the header flags or an invalid unknown-class
    /// policy.
    BadFlags(u32),
    /// The header's section count is not the one this version defines.
    BadSectionCount(u32),
    /// A section lies outside the file, is unaligned, overlaps the
    /// previous one or is out of order.
    SectionOutOfRange {
        /// Section name.
        section: &'static str,
    },
    /// A section's size is not a whole number of entries, or its entry
    /// count disagrees with the header or another section.
    SectionSize {
        /// Section name.
        section: &'static str,
    },
    /// A name or pattern is empty, too long, outside the string table or
    /// has disallowed bytes.
    BadName {
        /// Section name.
        section: &'static str,
        /// Entry index.
        index: usize,
    },
    /// An index field points past the table it refers to.
    IndexOutOfRange {
        /// Section name.
        section: &'static str,
        /// Entry index.
        index: usize,
    },
    /// A table that must be strictly ascending is not (also catches
    /// duplicates).
    Unsorted {
        /// Section name.
        section: &'static str,
        /// Entry index.
        index: usize,
    },
    /// A field holds an undefined value (flags, kind, a permission bit
    /// beyond the class, a count over its limit).
    BadField {
        /// Section name.
        section: &'static str,
        /// Entry index.
        index: usize,
    },
    /// The policy asks to reject unknown classes and lacks a kernel class.
    MissingClass {
        /// Kernel class name.
        class: &'static str,
    },
    /// The policy asks to reject unknown permissions and lacks one.
    MissingPermission {
        /// Kernel class name.
        class: &'static str,
        /// Kernel permission name.
        perm: &'static str,
    },
}

impl fmt::Display for PolicyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            PolicyError::TooLarge { len } => write!(
                f,
                "policy too large: {} bytes, limit {}",
                len,
                super::format::POLICY_MAX_SIZE
            ),
            PolicyError::Truncated { need, have } => {
                write!(f, "policy truncated: need {need} bytes, have {have}")
            }
            PolicyError::BadMagic(m) => write!(f, "bad policy magic {m:#010x}"),
            PolicyError::UnsupportedVersion(v) => write!(
                f,
                "unsupported policy version {} (this kernel reads {}: compile the policy again with this release's carapacec)",
                v,
                super::format::POLICY_VERSION
            ),
            PolicyError::LengthMismatch { header, actual } => write!(
                f,
                "policy length mismatch: header says {header} bytes, got {actual}"
            ),
            PolicyError::Misaligned(len) => {
                write!(f, "policy length {len} is not a multiple of 4")
            }
            PolicyError::ChecksumMismatch { stored, computed } => write!(
                f,
                "policy checksum mismatch: stored {stored:#018x}, computed {computed:#018x}"
            ),
            PolicyError::BadFlags(x) => write!(f, "bad policy flags {x:#x}"),
            PolicyError::BadSectionCount(n) => write!(f, "bad policy section count {n}"),
            PolicyError::SectionOutOfRange { section } => {
                write!(f, "policy section '{section}' out of range or misplaced")
            }
            PolicyError::SectionSize { section } => {
                write!(f, "policy section '{section}' has a bad size or entry count")
            }
            PolicyError::BadName { section, index } => {
                write!(f, "policy {section} entry {index}: bad name")
            }
            PolicyError::IndexOutOfRange { section, index } => {
                write!(f, "policy {section} entry {index}: index out of range")
            }
            PolicyError::Unsorted { section, index } => write!(
                f,
                "policy {section} entry {index}: table not sorted or has duplicates"
            ),
            PolicyError::BadField { section, index } => {
                write!(f, "policy {section} entry {index}: invalid field value")
            }
            PolicyError::MissingClass { class } => write!(
                f,
                "policy does not define class '{class}' and rejects unknown classes"
            ),
            PolicyError::MissingPermission { class, perm } => write!(
                f,
                "policy does not define permission '{class} {{ {perm} }}' and rejects unknown permissions"
            ),
        }
    }
}
