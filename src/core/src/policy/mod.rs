// SPDX-License-Identifier: GPL-2.0

//! The binary policy database: one validation pass, then infallible,
//! bounded-time lookups read in place.
//!
//! [`PolicyDb::parse`] checks everything a lookup will later rely on (the
//! header, checksum, every section's bounds, every count, index, name and
//! ordering) and builds the kernel↔policy class mapping by name. After
//! that, no lookup can fail, panic or scan all rules:
//!
//! - [`PolicyDb::compute_av`] walks the source's and target's id lists
//!   (the type itself then its attributes, at most
//!   [`format::MAX_ATTRS_PER_TYPE`] each), as SELinux's
//!   `context_struct_compute_av` does with its type→attribute maps: for
//!   each source id it finds the class's rules in that id's run (sorted by
//!   class, then target) and merges them with the target's ids. Rules on
//!   attributes are kept as written, so the binary stays small.
//! - transitions, names and filesystem labels are binary searches.
//!
//! A [`TypeId`] is the security identifier: the index of a type. A
//! [`TypeId`] that is out of range for this policy (for instance one kept
//! from a previous policy) is treated as the policy's `unlabeled` initial
//! type.
//!
//! # Unknown classes and permissions
//!
//! Kernel and policy agree on classes and permissions by name. A kernel
//! class or permission the policy does not define is handled as the policy
//! says ([`HandleUnknown`]): denied, allowed, or the load is rejected.
//! Classes and permissions the policy defines and the kernel does not know
//! are ignored.
//!
//! # Files
//!
//! `validate.rs` holds [`PolicyDb::parse`], one check per section of the
//! binary policy; `lookup.rs` the queries; `table.rs` the reading of a
//! section's entries.

pub mod error;
pub mod format;
pub mod fs_index;
mod lookup;
mod table;
mod validate;

pub use error::PolicyError;

use crate::classmap::{KernelClass, NUM_CLASSES};
use format::*;
use table::{table_of, Table};

/// A security identifier: the index of a type in the loaded policy.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TypeId(pub u32);

/// The outcome of [`PolicyDb::compute_av`], in kernel permission bits.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct AccessDecision {
    /// Permissions granted.
    pub allowed: u32,
    /// Granted permissions to audit when used (`auditallow`).
    pub auditallow: u32,
    /// Permissions to audit when denied: all but `dontaudit` ones.
    pub auditdeny: u32,
}

/// What to do with kernel classes and permissions the policy lacks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HandleUnknown {
    /// Deny them (and audit the denial).
    Deny = 0,
    /// Allow them.
    Allow = 1,
    /// Refuse to load the policy.
    Reject = 2,
}

/// Initial labels, given by the policy for objects that have no other.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InitialSid {
    /// Kernel threads and tasks before any policy transition.
    Kernel = 0,
    /// Objects whose label is missing or invalid.
    Unlabeled = 1,
    /// Files on labelled filesystems without an xattr.
    File = 2,
    /// The security module itself: the target of `security` class checks
    /// (policy load, enforcement, relabel).
    Security = 3,
}

/// How a filesystem's inodes are labelled.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FsLabel {
    /// The filesystem's default type.
    pub ty: TypeId,
    /// Whether the `security.carapace` xattr is honoured when present.
    pub use_xattr: bool,
}

/// What reading an inode's `security.carapace` attribute gave.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LabelAttr<'b> {
    /// Not read (the filesystem keeps no attributes, or its rule ignores
    /// them).
    NotRead,
    /// The inode has no label attribute.
    Absent,
    /// The attribute's value: a type name, perhaps NUL-terminated.
    Value(&'b [u8]),
    /// Reading it failed (too long, I/O error).
    Unreadable,
}

/// The type name in a label attribute's value, which may end in a NUL.
pub fn label_name(value: &[u8]) -> &[u8] {
    value.strip_suffix(b"\0").unwrap_or(value)
}

/// An inode's label under a policy.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileLabel {
    /// The label, for as long as the inode lives.
    Final(TypeId),
    /// `unlabeled`, because the attribute names no type of this policy or
    /// cannot be read; a later policy may know the name.
    Unmapped(TypeId),
}

/// How a file context pattern matches a path.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileContextKind {
    /// The path equals the pattern.
    Exact = 0,
    /// The path starts with the pattern.
    Prefix = 1,
    /// The whole path matches the pattern as a regular expression.
    Regex = 2,
}

/// A file context: which type the relabel tool gives matching paths.
/// The kernel does not use them; they are carried in the policy so the
/// admin tool relabels with the policy in force.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FileContext<'a> {
    /// Pattern bytes.
    pub pattern: &'a [u8],
    /// How the pattern matches.
    pub kind: FileContextKind,
    /// Type for matching paths.
    pub ty: TypeId,
}

const NO_CLASS: u32 = u32::MAX;

/// How one kernel class maps onto the policy.
///
/// Small on purpose: a [`PolicyIndex`] carries the table of every kernel
/// class.
/// When the policy lists a class's permissions in another order than the
/// kernel (no policy from `carapacec` does), each decision on it finds
/// them by name ([`PolicyDb::compute_av`]); the access vector cache keeps
/// that off the hot path.
#[derive(Clone, Copy, Debug)]
struct ClassMapping {
    /// Policy class index, or [`NO_CLASS`].
    policy_class: u32,
    /// Kernel permissions granted because the policy lacks them and
    /// allows unknown permissions.
    unknown_allowed: u32,
    /// Every kernel permission has the same bit in the policy (the usual
    /// case): translation is a mask with `kernel_perms`.
    identity: bool,
    /// The policy has `type_transition` rules for the class: without
    /// them, a new object's label needs no search.
    transitions: bool,
    /// All permissions of the kernel class.
    kernel_perms: u32,
}

const EMPTY_MAPPING: ClassMapping = ClassMapping {
    policy_class: NO_CLASS,
    unknown_allowed: 0,
    identity: false,
    transitions: false,
    kernel_perms: 0,
};

/// What a database reads its tables through: the index it validation
/// builds (owned while validating), or one kept beside the policy buffer
/// (borrowed: rebinding a database at each policy query in the kernel
/// writes a pointer, not the tables).
#[derive(Clone, Debug)]
#[allow(clippy::large_enum_variant)] // `Owned` lives only while validating.
enum IndexRef<'a> {
    Owned(PolicyIndex),
    Borrowed(&'a PolicyIndex),
}

/// A validated binary policy, read in place.
///
/// Its tables are sliced out of the buffer when a query uses them, from
/// the byte ranges validation found ([`PolicyIndex`]).
#[derive(Clone, Debug)]
pub struct PolicyDb<'a> {
    data: &'a [u8],
    index: IndexRef<'a>,
}

impl<'a> PolicyDb<'a> {
    /// What validation established.
    #[inline(always)]
    fn ix(&self) -> &PolicyIndex {
        match &self.index {
            IndexRef::Owned(index) => index,
            IndexRef::Borrowed(index) => index,
        }
    }

    /// Section `section`'s table.
    #[inline(always)]
    fn table(&self, section: usize) -> Table<'a> {
        table_of(self.data, &self.ix().ranges, section)
    }

    #[inline(always)]
    fn strings(&self) -> &'a [u8] {
        self.table(SEC_STRINGS).data
    }
    #[inline(always)]
    fn classes(&self) -> Table<'a> {
        self.table(SEC_CLASSES)
    }
    #[inline(always)]
    fn perms(&self) -> Table<'a> {
        self.table(SEC_PERMS)
    }
    #[inline(always)]
    fn ids(&self) -> Table<'a> {
        self.table(SEC_IDS)
    }
    #[inline(always)]
    fn attrs(&self) -> Table<'a> {
        self.table(SEC_ATTRS)
    }
    #[inline(always)]
    fn nameidx(&self) -> Table<'a> {
        self.table(SEC_NAMEIDX)
    }
    #[inline(always)]
    fn ruleidx(&self) -> Table<'a> {
        self.table(SEC_RULEIDX)
    }
    #[inline(always)]
    fn rules(&self) -> Table<'a> {
        self.table(SEC_RULES)
    }
    #[inline(always)]
    fn trans(&self) -> Table<'a> {
        self.table(SEC_TRANS)
    }
    #[inline(always)]
    fn initial(&self) -> Table<'a> {
        self.table(SEC_INITIAL)
    }
    #[inline(always)]
    fn fsdef(&self) -> Table<'a> {
        self.table(SEC_FSDEF)
    }
    #[inline(always)]
    fn fcon(&self) -> Table<'a> {
        self.table(SEC_FCON)
    }
    #[inline(always)]
    fn ntypes(&self) -> u32 {
        self.ix().ntypes
    }
    #[inline(always)]
    fn map(&self) -> &[ClassMapping; NUM_CLASSES] {
        &self.ix().map
    }
}

/// The result of validating a policy buffer, detached from the buffer.
///
/// Obtained from [`PolicyDb::index`]; [`PolicyIndex::bind`] rebuilds the
/// [`PolicyDb`] over the same bytes in constant time. Binding other bytes
/// of the same length and checksum cannot cause a panic or an
/// out-of-bounds access (every read is checked), only wrong answers.
#[derive(Clone, Copy, Debug)]
pub struct PolicyIndex {
    len: usize,
    checksum: u64,
    ranges: [(usize, usize); NUM_SECTIONS],
    ntypes: u32,
    handle_unknown: HandleUnknown,
    map: [ClassMapping; NUM_CLASSES],
}

impl PolicyIndex {
    /// The database over `data`, which must be the buffer this index was
    /// made from. `None` if its length or stored checksum differ.
    pub fn bind<'a>(&'a self, data: &'a [u8]) -> Option<PolicyDb<'a>> {
        if data.len() != self.len || rd64(data, HDR_CHECKSUM) != self.checksum {
            return None;
        }
        Some(self.db_of(data))
    }

    /// Whether the policy has `type_transition` rules for `class`: when it
    /// has none, [`PolicyDb::type_transition`] is `None` for the class
    /// whatever the types, and a caller may skip the query.
    #[inline]
    pub fn class_has_transitions(&self, class: KernelClass) -> bool {
        self.map.get(class.index()).is_some_and(|m| m.transitions)
    }

    /// The database over `data` without checking that it is the validated
    /// buffer: other bytes give wrong answers, never a panic.
    #[inline]
    fn db_of<'a>(&'a self, data: &'a [u8]) -> PolicyDb<'a> {
        PolicyDb {
            data,
            index: IndexRef::Borrowed(self),
        }
    }
}

/// A validated policy that owns its immutable buffer (a `Vec`, the
/// kernel's `KVVec` …): [`ValidatedPolicy::db`] rebuilds the database from
/// it in constant time and cannot fail, so code that keeps a policy needs
/// neither a self-referential struct nor an impossible error path.
pub struct ValidatedPolicy<B> {
    buf: B,
    index: PolicyIndex,
}

impl<B: core::ops::Deref<Target = [u8]>> ValidatedPolicy<B> {
    /// Validates `buf` (see [`PolicyDb::parse`]) and keeps it.
    pub fn new(buf: B) -> Result<Self, PolicyError> {
        let index = PolicyDb::parse(&buf)?.index();
        Ok(Self { buf, index })
    }

    /// The database, read in place.
    pub fn db(&self) -> PolicyDb<'_> {
        self.index.db_of(&self.buf)
    }

    /// The binary policy.
    pub fn bytes(&self) -> &[u8] {
        &self.buf
    }

    /// See [`PolicyIndex::class_has_transitions`].
    #[inline]
    pub fn class_has_transitions(&self, class: KernelClass) -> bool {
        self.index.class_has_transitions(class)
    }
}

#[cfg(test)]
mod tests;
