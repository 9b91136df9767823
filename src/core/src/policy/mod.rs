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

pub mod error;
pub mod format;

pub use error::PolicyError;

use crate::classmap::{KernelClass, NUM_CLASSES};
use format::*;

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
/// Rule runs up to this long are scanned rather than binary-searched.
const LINEAR_RUN: usize = 32;
const NO_PERM: u8 = u8::MAX;

/// How one kernel class maps onto the policy.
#[derive(Clone, Copy, Debug)]
struct ClassMapping {
    /// Policy class index, or [`NO_CLASS`].
    policy_class: u32,
    /// Policy bit of each kernel permission bit, or [`NO_PERM`].
    perm: [u8; 32],
    /// Kernel permissions granted because the policy lacks them and
    /// allows unknown permissions.
    unknown_allowed: u32,
    /// Every kernel permission has the same bit in the policy (the usual
    /// case): translation is a mask with `kernel_perms`.
    identity: bool,
    /// All permissions of the kernel class.
    kernel_perms: u32,
}

const EMPTY_MAPPING: ClassMapping = ClassMapping {
    policy_class: NO_CLASS,
    perm: [NO_PERM; 32],
    unknown_allowed: 0,
    identity: false,
    kernel_perms: 0,
};

/// A fixed-size table of equal-sized entries of `u32` fields.
#[derive(Clone, Copy, Debug)]
struct Table<'a> {
    data: &'a [u8],
    esize: usize,
}

impl<'a> Table<'a> {
    const EMPTY: Table<'static> = Table {
        data: &[],
        esize: 4,
    };

    #[inline]
    fn len(&self) -> usize {
        self.data.len().checked_div(self.esize).unwrap_or(0)
    }

    /// Fields `f` and `f + 1` of entry `i` as one little-endian `u64`
    /// (field `f + 1` in the high half); 0 when out of range.
    #[inline]
    fn get64(&self, i: usize, f: usize) -> u64 {
        let off = i.wrapping_mul(self.esize).wrapping_add(f.wrapping_mul(4));
        match self.data.get(off..off.wrapping_add(8)) {
            Some(&[a, b, c, d, e, g, h, k]) => u64::from_le_bytes([a, b, c, d, e, g, h, k]),
            _ => 0,
        }
    }

    /// Field `f` (a `u32` index) of entry `i`; 0 when out of range, which
    /// validation rules out for every access lookups make.
    #[inline]
    fn get(&self, i: usize, f: usize) -> u32 {
        rd32(
            self.data,
            i.wrapping_mul(self.esize).wrapping_add(f.wrapping_mul(4)),
        )
    }
}

/// A validated binary policy, read in place.
#[derive(Clone, Debug)]
pub struct PolicyDb<'a> {
    data: &'a [u8],
    handle_unknown: HandleUnknown,
    ntypes: u32,
    strings: &'a [u8],
    classes: Table<'a>,
    perms: Table<'a>,
    ids: Table<'a>,
    attrs: Table<'a>,
    nameidx: Table<'a>,
    ruleidx: Table<'a>,
    rules: Table<'a>,
    trans: Table<'a>,
    initial: Table<'a>,
    fsdef: Table<'a>,
    fcon: Table<'a>,
    map: [ClassMapping; NUM_CLASSES],
    ranges: [(usize, usize); NUM_SECTIONS],
    checksum: (u32, u32),
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
    checksum: (u32, u32),
    ranges: [(usize, usize); NUM_SECTIONS],
    ntypes: u32,
    handle_unknown: HandleUnknown,
    map: [ClassMapping; NUM_CLASSES],
}

impl PolicyIndex {
    /// The database over `data`, which must be the buffer this index was
    /// made from. `None` if its length or stored checksum differ.
    pub fn bind<'a>(&self, data: &'a [u8]) -> Option<PolicyDb<'a>> {
        if data.len() != self.len
            || (rd32(data, HDR_CHECKSUM_A), rd32(data, HDR_CHECKSUM_B)) != self.checksum
        {
            return None;
        }
        Some(self.db_of(data))
    }

    /// The database over `data` without checking that it is the validated
    /// buffer: other bytes give wrong answers, never a panic.
    fn db_of<'a>(&self, data: &'a [u8]) -> PolicyDb<'a> {
        let [strings, classes, perms, ids, attrs, nameidx, ruleidx, rules, trans, initial, fsdef, fcon] =
            tables_of(data, &self.ranges);
        PolicyDb {
            data,
            handle_unknown: self.handle_unknown,
            ntypes: self.ntypes,
            strings: strings.data,
            classes,
            perms,
            ids,
            attrs,
            nameidx,
            ruleidx,
            rules,
            trans,
            initial,
            fsdef,
            fcon,
            map: self.map,
            ranges: self.ranges,
            checksum: self.checksum,
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
}

/// The section tables of `data` given validated byte ranges.
fn tables_of<'a>(
    data: &'a [u8],
    ranges: &[(usize, usize); NUM_SECTIONS],
) -> [Table<'a>; NUM_SECTIONS] {
    let mut tables = [Table::EMPTY; NUM_SECTIONS];
    for ((t, &(start, end)), esize) in tables.iter_mut().zip(ranges).zip(SECTION_ENTRY_SIZE) {
        *t = Table {
            data: data.get(start..end).unwrap_or(&[]),
            esize: if esize == 1 { 4 } else { esize },
        };
    }
    tables
}

// Field indexes within entries.
const NAME_OFF: usize = 0;
const NAME_LEN: usize = 1;
const CLASS_PSTART: usize = 2;
const CLASS_PCOUNT: usize = 3;
const ID_FLAGS: usize = 2;
const ID_ASTART: usize = 3;
const ID_ACOUNT: usize = 4;
const RULE_TARGET: usize = 0;
const RULE_CLASS: usize = 1;
const RULE_ALLOWED: usize = 2;
const RULE_AUDITALLOW: usize = 3;
const RULE_DONTAUDIT: usize = 4;
const FS_TYPE: usize = 2;
const FS_FLAGS: usize = 3;

fn us(v: u32) -> usize {
    usize::try_from(v).unwrap_or(usize::MAX)
}

/// Whether `b` is a valid identifier: `[A-Za-z0-9_.-]`, 1..=255 bytes.
fn valid_ident(b: &[u8]) -> bool {
    !b.is_empty()
        && b.len() <= MAX_NAME_LEN
        && b.iter()
            .all(|&c| c.is_ascii_alphanumeric() || c == b'_' || c == b'.' || c == b'-')
}

impl<'a> PolicyDb<'a> {
    /// Validates `data` as a binary policy and returns the database that
    /// answers queries from it in place.
    ///
    /// One pass over the input; no allocation. Every error says what is
    /// wrong; see [`PolicyError`].
    pub fn parse(data: &'a [u8]) -> Result<PolicyDb<'a>, PolicyError> {
        let len = data.len();
        if len > POLICY_MAX_SIZE {
            return Err(PolicyError::TooLarge { len });
        }
        if len < HEADER_SIZE {
            return Err(PolicyError::Truncated {
                need: HEADER_SIZE,
                have: len,
            });
        }
        let magic = rd32(data, HDR_MAGIC);
        if magic != POLICY_MAGIC {
            return Err(PolicyError::BadMagic(magic));
        }
        let version = rd32(data, HDR_VERSION);
        if version != POLICY_VERSION {
            return Err(PolicyError::UnsupportedVersion(version));
        }
        let hlen = us(rd32(data, HDR_LENGTH));
        if hlen > len {
            return Err(PolicyError::Truncated {
                need: hlen,
                have: len,
            });
        }
        if hlen != len {
            return Err(PolicyError::LengthMismatch {
                header: hlen,
                actual: len,
            });
        }
        if len % 4 != 0 {
            return Err(PolicyError::Misaligned(len));
        }
        let (ca, cb) = checksum(data);
        let (sa, sb) = (rd32(data, HDR_CHECKSUM_A), rd32(data, HDR_CHECKSUM_B));
        if (ca, cb) != (sa, sb) {
            return Err(PolicyError::ChecksumMismatch {
                stored: sa,
                computed: ca,
            });
        }
        let flags = rd32(data, HDR_FLAGS);
        let handle_unknown = match flags & FLAG_HANDLE_UNKNOWN_MASK {
            0 => HandleUnknown::Deny,
            1 => HandleUnknown::Allow,
            2 => HandleUnknown::Reject,
            _ => return Err(PolicyError::BadFlags(flags)),
        };
        if flags & !FLAGS_KNOWN != 0 {
            return Err(PolicyError::BadFlags(flags));
        }
        let nsec = rd32(data, HDR_NSECTIONS);
        if us(nsec) != NUM_SECTIONS {
            return Err(PolicyError::BadSectionCount(nsec));
        }

        // Section directory: aligned, ascending, inside the file.
        let mut ranges = [(0usize, 0usize); NUM_SECTIONS];
        let mut prev_end = HEADER_SIZE;
        for (i, ((r, name), esize)) in ranges
            .iter_mut()
            .zip(SECTION_NAMES)
            .zip(SECTION_ENTRY_SIZE)
            .enumerate()
        {
            let d = HDR_SECTIONS.wrapping_add(i.wrapping_mul(8));
            let off = us(rd32(data, d));
            let size = us(rd32(data, d.wrapping_add(4)));
            let end = off.checked_add(size);
            let range = match end {
                Some(end) if off % 4 == 0 && off >= prev_end && end <= len => off..end,
                _ => return Err(PolicyError::SectionOutOfRange { section: name }),
            };
            prev_end = range.end;
            if size.checked_rem(esize) != Some(0) {
                return Err(PolicyError::SectionSize { section: name });
            }
            *r = (range.start, range.end);
        }
        let tables = tables_of(data, &ranges);
        let [strings, classes, perms, ids, attrs, nameidx, ruleidx, rules, trans, initial, fsdef, fcon] =
            tables;
        let strings = strings.data;

        let ntypes = rd32(data, HDR_NTYPES);
        let nt = us(ntypes);
        let nids = ids.len();
        let sec_err = |s: usize| PolicyError::SectionSize {
            section: SECTION_NAMES.get(s).copied().unwrap_or(""),
        };
        if nt == 0 || nt > nids || u32::try_from(nids).is_err() {
            return Err(sec_err(SEC_IDS));
        }
        if nameidx.len() != nt {
            return Err(sec_err(SEC_NAMEIDX));
        }
        if Some(ruleidx.len()) != nids.checked_add(1) {
            return Err(sec_err(SEC_RULEIDX));
        }
        if initial.len() != NUM_INITIAL {
            return Err(sec_err(SEC_INITIAL));
        }
        if classes.len() > MAX_CLASSES {
            return Err(sec_err(SEC_CLASSES));
        }

        let name_at = |t: &Table<'a>, i: usize| -> Option<&'a [u8]> {
            let off = us(t.get(i, NAME_OFF));
            let n = us(t.get(i, NAME_LEN));
            strings.get(off..off.checked_add(n)?)
        };

        // Classes: sorted by name; permissions contiguous, in order.
        let mut pnext: usize = 0;
        let mut prev_name: &[u8] = &[];
        let sn = SECTION_NAMES;
        for i in 0..classes.len() {
            let name = match name_at(&classes, i) {
                Some(n) if valid_ident(n) => n,
                _ => return Err(bad_name(sn[SEC_CLASSES], i)),
            };
            if i > 0 && name <= prev_name {
                return Err(PolicyError::Unsorted {
                    section: sn[SEC_CLASSES],
                    index: i,
                });
            }
            prev_name = name;
            let ps = us(classes.get(i, CLASS_PSTART));
            let pc = us(classes.get(i, CLASS_PCOUNT));
            if ps != pnext || pc == 0 || pc > MAX_PERMS_PER_CLASS {
                return Err(PolicyError::BadField {
                    section: sn[SEC_CLASSES],
                    index: i,
                });
            }
            pnext = ps.saturating_add(pc);
            if pnext > perms.len() {
                return Err(PolicyError::IndexOutOfRange {
                    section: sn[SEC_CLASSES],
                    index: i,
                });
            }
            let mut names: [&[u8]; MAX_PERMS_PER_CLASS] = [&[]; MAX_PERMS_PER_CLASS];
            for (j, slot) in (ps..pnext).zip(names.iter_mut()) {
                let pname = match name_at(&perms, j) {
                    Some(n) if valid_ident(n) => n,
                    _ => return Err(bad_name(sn[SEC_PERMS], j)),
                };
                *slot = pname;
            }
            // Permission names are unique within a class: at most
            // 32 × 31 / 2 comparisons.
            for (j, a) in names.iter().enumerate().take(pc) {
                if names.iter().take(j).any(|b| b == a) {
                    return Err(PolicyError::Unsorted {
                        section: sn[SEC_PERMS],
                        index: ps.wrapping_add(j),
                    });
                }
            }
        }
        if pnext != perms.len() {
            return Err(sec_err(SEC_PERMS));
        }

        // Types and attributes.
        let nattrs = attrs.len();
        for i in 0..nids {
            match name_at(&ids, i) {
                Some(n) if valid_ident(n) => {}
                _ => return Err(bad_name(sn[SEC_IDS], i)),
            }
            let flags = ids.get(i, ID_FLAGS);
            let is_attr = i >= nt;
            let start = us(ids.get(i, ID_ASTART));
            let count = us(ids.get(i, ID_ACOUNT));
            let bad = flags & !ID_FLAGS_KNOWN != 0
                || (flags & ID_ATTRIBUTE != 0) != is_attr
                || (is_attr && (flags & ID_PERMISSIVE != 0 || count != 0))
                || count > MAX_ATTRS_PER_TYPE;
            if bad {
                return Err(PolicyError::BadField {
                    section: sn[SEC_IDS],
                    index: i,
                });
            }
            match start.checked_add(count) {
                Some(end) if end <= nattrs => {}
                _ => {
                    return Err(PolicyError::IndexOutOfRange {
                        section: sn[SEC_IDS],
                        index: i,
                    })
                }
            }
            let mut prev: Option<usize> = None;
            for k in start..start.wrapping_add(count) {
                let a = us(attrs.get(k, 0));
                if a < nt || a >= nids {
                    return Err(PolicyError::IndexOutOfRange {
                        section: sn[SEC_ATTRS],
                        index: k,
                    });
                }
                if prev.is_some_and(|p| a <= p) {
                    return Err(PolicyError::Unsorted {
                        section: sn[SEC_ATTRS],
                        index: k,
                    });
                }
                prev = Some(a);
            }
        }

        // Type name index: a permutation of the types, by name.
        let mut prev_name: &[u8] = &[];
        for i in 0..nt {
            let t = us(nameidx.get(i, 0));
            if t >= nt {
                return Err(PolicyError::IndexOutOfRange {
                    section: sn[SEC_NAMEIDX],
                    index: i,
                });
            }
            let name = name_at(&ids, t).unwrap_or(&[]);
            if i > 0 && name <= prev_name {
                return Err(PolicyError::Unsorted {
                    section: sn[SEC_NAMEIDX],
                    index: i,
                });
            }
            prev_name = name;
        }

        // Rule index and rules.
        let nrules = rules.len();
        if ruleidx.get(0, 0) != 0 || us(ruleidx.get(nids, 0)) != nrules {
            return Err(sec_err(SEC_RULEIDX));
        }
        for s in 0..nids {
            let lo = us(ruleidx.get(s, 0));
            let hi = us(ruleidx.get(s.wrapping_add(1), 0));
            if lo > hi || hi > nrules {
                return Err(PolicyError::Unsorted {
                    section: sn[SEC_RULEIDX],
                    index: s.wrapping_add(1),
                });
            }
            let mut prev: Option<u64> = None;
            for r in lo..hi {
                // (class, target) order: the little-endian u64 of the
                // target and class fields.
                let key = rules.get64(r, RULE_TARGET);
                let (target, class) = (rules.get(r, RULE_TARGET), rules.get(r, RULE_CLASS));
                if us(target) >= nids || us(class) >= classes.len() {
                    return Err(PolicyError::IndexOutOfRange {
                        section: sn[SEC_RULES],
                        index: r,
                    });
                }
                if prev.is_some_and(|p| key <= p) {
                    return Err(PolicyError::Unsorted {
                        section: sn[SEC_RULES],
                        index: r,
                    });
                }
                prev = Some(key);
                let valid = class_mask(classes.get(us(class), CLASS_PCOUNT));
                let used = rules.get(r, RULE_ALLOWED)
                    | rules.get(r, RULE_AUDITALLOW)
                    | rules.get(r, RULE_DONTAUDIT);
                if used & !valid != 0 {
                    return Err(PolicyError::BadField {
                        section: sn[SEC_RULES],
                        index: r,
                    });
                }
            }
        }

        // Transitions.
        let mut prev: Option<(u32, u32, u32)> = None;
        for i in 0..trans.len() {
            let key = (trans.get(i, 0), trans.get(i, 1), trans.get(i, 2));
            if key.0 >= ntypes
                || key.1 >= ntypes
                || us(key.2) >= classes.len()
                || trans.get(i, 3) >= ntypes
            {
                return Err(PolicyError::IndexOutOfRange {
                    section: sn[SEC_TRANS],
                    index: i,
                });
            }
            if prev.is_some_and(|p| key <= p) {
                return Err(PolicyError::Unsorted {
                    section: sn[SEC_TRANS],
                    index: i,
                });
            }
            prev = Some(key);
        }

        for i in 0..NUM_INITIAL {
            if initial.get(i, 0) >= ntypes {
                return Err(PolicyError::IndexOutOfRange {
                    section: sn[SEC_INITIAL],
                    index: i,
                });
            }
        }

        let mut prev_name: &[u8] = &[];
        for i in 0..fsdef.len() {
            let name = match name_at(&fsdef, i) {
                Some(n) if valid_ident(n) => n,
                _ => return Err(bad_name(sn[SEC_FSDEF], i)),
            };
            if i > 0 && name <= prev_name {
                return Err(PolicyError::Unsorted {
                    section: sn[SEC_FSDEF],
                    index: i,
                });
            }
            prev_name = name;
            if fsdef.get(i, FS_TYPE) >= ntypes {
                return Err(PolicyError::IndexOutOfRange {
                    section: sn[SEC_FSDEF],
                    index: i,
                });
            }
            if fsdef.get(i, FS_FLAGS) & !FS_USE_XATTR != 0 {
                return Err(PolicyError::BadField {
                    section: sn[SEC_FSDEF],
                    index: i,
                });
            }
        }

        for i in 0..fcon.len() {
            match name_at(&fcon, i) {
                Some(p) if !p.is_empty() && p.len() <= MAX_PATTERN_LEN && !p.contains(&0) => {}
                _ => return Err(bad_name(sn[SEC_FCON], i)),
            }
            if fcon.get(i, 2) >= ntypes {
                return Err(PolicyError::IndexOutOfRange {
                    section: sn[SEC_FCON],
                    index: i,
                });
            }
            if fcon.get(i, 3) > FileContextKind::Regex as u32 {
                return Err(PolicyError::BadField {
                    section: sn[SEC_FCON],
                    index: i,
                });
            }
        }

        let mut db = PolicyIndex {
            len: data.len(),
            checksum: (sa, sb),
            ranges,
            ntypes,
            handle_unknown,
            map: [EMPTY_MAPPING; NUM_CLASSES],
        }
        .db_of(data);
        db.map_classes()?;
        Ok(db)
    }

    /// What validation established, without the borrow: store it next to
    /// the policy buffer and get the database back in O(1) with
    /// [`PolicyIndex::bind`] (no self-referential struct needed).
    pub fn index(&self) -> PolicyIndex {
        PolicyIndex {
            len: self.data.len(),
            checksum: self.checksum,
            ranges: self.ranges,
            ntypes: self.ntypes,
            handle_unknown: self.handle_unknown,
            map: self.map,
        }
    }

    /// Builds the kernel→policy class and permission mapping by name.
    fn map_classes(&mut self) -> Result<(), PolicyError> {
        let hu = self.handle_unknown;
        for (kc, m) in KernelClass::ALL.iter().zip(self.map.iter_mut()) {
            let kname = kc.name();
            let pc = find_class(&self.classes, self.strings, kname.as_bytes());
            let Some(pc) = pc else {
                if hu == HandleUnknown::Reject {
                    return Err(PolicyError::MissingClass { class: kname });
                }
                m.policy_class = NO_CLASS;
                m.unknown_allowed = if hu == HandleUnknown::Allow {
                    kc.all_perms()
                } else {
                    0
                };
                continue;
            };
            m.policy_class = u32::try_from(pc).unwrap_or(NO_CLASS);
            m.kernel_perms = kc.all_perms();
            let ps = us(self.classes.get(pc, CLASS_PSTART));
            let pcount = us(self.classes.get(pc, CLASS_PCOUNT));
            let mut names: [&[u8]; MAX_PERMS_PER_CLASS] = [&[]; MAX_PERMS_PER_CLASS];
            for (j, slot) in names.iter_mut().enumerate().take(pcount) {
                *slot = name_of(&self.perms, self.strings, ps.wrapping_add(j));
            }
            let names = names.get(..pcount).unwrap_or(&[]);
            for ((kbit, pname), slot) in kc.perm_names().iter().enumerate().zip(m.perm.iter_mut()) {
                let pname_b = pname.as_bytes();
                // Usually the policy lists permissions in kernel order.
                let found = if names.get(kbit) == Some(&pname_b) {
                    Some(kbit)
                } else {
                    names.iter().position(|n| *n == pname_b)
                };
                match found {
                    Some(j) => *slot = u8::try_from(j).unwrap_or(NO_PERM),
                    None => match hu {
                        HandleUnknown::Reject => {
                            return Err(PolicyError::MissingPermission {
                                class: kname,
                                perm: pname,
                            })
                        }
                        HandleUnknown::Allow => {
                            m.unknown_allowed |= 1u32.checked_shl(kbit as u32).unwrap_or(0)
                        }
                        HandleUnknown::Deny => {}
                    },
                }
            }
            m.identity = m
                .perm
                .iter()
                .take(kc.perm_names().len())
                .enumerate()
                .all(|(k, &p)| usize::from(p) == k);
        }
        Ok(())
    }

    /// The policy bytes as loaded (for reading the policy back).
    pub fn as_bytes(&self) -> &'a [u8] {
        self.data
    }

    /// How the policy handles unknown kernel classes and permissions.
    pub fn handle_unknown(&self) -> HandleUnknown {
        self.handle_unknown
    }

    /// Number of types; valid [`TypeId`]s are `0..type_count()`.
    pub fn type_count(&self) -> u32 {
        self.ntypes
    }

    /// Whether the policy defines kernel class `class` (by name).
    pub fn class_defined(&self, class: KernelClass) -> bool {
        self.map
            .get(class.index())
            .is_some_and(|m| m.policy_class != NO_CLASS)
    }

    /// Replaces an out-of-range id by the unlabeled initial type.
    #[inline]
    fn norm(&self, t: TypeId) -> u32 {
        if t.0 < self.ntypes {
            t.0
        } else {
            self.initial.get(InitialSid::Unlabeled as usize, 0)
        }
    }

    /// The type named `name`, if the policy defines one (attributes are
    /// not types). Binary search.
    pub fn type_by_name(&self, name: &[u8]) -> Option<TypeId> {
        let (mut lo, mut hi) = (0usize, us(self.ntypes));
        while lo < hi {
            let mid = lo.wrapping_add(hi.wrapping_sub(lo) >> 1);
            let t = self.nameidx.get(mid, 0);
            match name_of(&self.ids, self.strings, us(t)).cmp(name) {
                core::cmp::Ordering::Less => lo = mid.wrapping_add(1),
                core::cmp::Ordering::Greater => hi = mid,
                core::cmp::Ordering::Equal => return Some(TypeId(t)),
            }
        }
        None
    }

    /// The name of type `t` (of the unlabeled type if `t` is out of range).
    pub fn type_name(&self, t: TypeId) -> &'a [u8] {
        name_of(&self.ids, self.strings, us(self.norm(t)))
    }

    /// Whether denials in domain `t` are logged but not enforced.
    pub fn is_permissive(&self, t: TypeId) -> bool {
        self.ids.get(us(self.norm(t)), ID_FLAGS) & ID_PERMISSIVE != 0
    }

    /// The type the policy assigns to initial label `sid`.
    pub fn initial_sid(&self, sid: InitialSid) -> TypeId {
        TypeId(self.initial.get(sid as usize, 0))
    }

    /// The ids a type is known by in rules: itself, then its attributes,
    /// ascending.
    #[inline]
    fn ids_of(&self, t: u32) -> impl Iterator<Item = u32> + '_ {
        let i = us(t);
        let start = us(self.ids.get(i, ID_ASTART));
        let count = us(self.ids.get(i, ID_ACOUNT));
        core::iter::once(t)
            .chain((start..start.wrapping_add(count)).map(move |k| self.attrs.get(k, 0)))
    }

    /// The first rule in `lo..hi` whose (class, target) key is at least
    /// `key` (binary search).
    #[inline]
    fn lower_bound(&self, mut lo: usize, mut hi: usize, key: u64) -> usize {
        while lo < hi {
            let mid = lo.wrapping_add(hi.wrapping_sub(lo) >> 1);
            if self.rules.get64(mid, RULE_TARGET) < key {
                lo = mid.wrapping_add(1);
            } else {
                hi = mid;
            }
        }
        lo
    }

    /// Access decision for `source` acting on `target` in `class`, in
    /// kernel permission bits.
    ///
    /// Bounded time: for each of at most `1 + MAX_ATTRS_PER_TYPE` source
    /// ids, one binary search of its rule run, then at most
    /// `1 + MAX_ATTRS_PER_TYPE` steps each of which is either a scan of at
    /// most 32 rules or a binary search.
    pub fn compute_av(&self, source: TypeId, target: TypeId, class: KernelClass) -> AccessDecision {
        let m = self.map.get(class.index()).unwrap_or(&EMPTY_MAPPING);
        let mut d = AccessDecision {
            allowed: m.unknown_allowed,
            auditallow: 0,
            auditdeny: u32::MAX,
        };
        if m.policy_class == NO_CLASS {
            return d;
        }
        let (s, t) = (self.norm(source), self.norm(target));
        let (mut allowed, mut auditallow, mut dontaudit) = (0u32, 0u32, 0u32);
        for si in self.ids_of(s) {
            let lo = us(self.ruleidx.get(us(si), 0));
            let hi = us(self.ruleidx.get(us(si).wrapping_add(1), 0));
            if lo >= hi {
                continue;
            }
            // The run is sorted by (class, target): skip to the class,
            // then merge with the ascending target ids, linearly while
            // few rules remain (fewer cache lines), by binary search
            // otherwise (bounded time).
            let class_key = u64::from(m.policy_class) << 32;
            let mut from = self.lower_bound(lo, hi, class_key);
            for ti in self.ids_of(t) {
                let key = class_key | u64::from(ti);
                if hi.wrapping_sub(from) <= LINEAR_RUN {
                    while from < hi && self.rules.get64(from, RULE_TARGET) < key {
                        from = from.wrapping_add(1);
                    }
                } else {
                    from = self.lower_bound(from, hi, key);
                }
                if from >= hi {
                    break;
                }
                let k = self.rules.get64(from, RULE_TARGET);
                if k == key {
                    allowed |= self.rules.get(from, RULE_ALLOWED);
                    auditallow |= self.rules.get(from, RULE_AUDITALLOW);
                    dontaudit |= self.rules.get(from, RULE_DONTAUDIT);
                    from = from.wrapping_add(1);
                } else if k >> 32 != class_key >> 32 {
                    break; // past this class
                }
            }
        }
        if m.identity {
            d.allowed |= allowed & m.kernel_perms;
            d.auditallow = auditallow & m.kernel_perms;
            d.auditdeny = !(dontaudit & m.kernel_perms);
            return d;
        }
        for (kbit, &pbit) in m.perm.iter().enumerate() {
            if pbit == NO_PERM {
                continue;
            }
            let kmask = 1u32.checked_shl(kbit as u32).unwrap_or(0);
            let pmask = 1u32.checked_shl(u32::from(pbit)).unwrap_or(0);
            if allowed & pmask != 0 {
                d.allowed |= kmask;
            }
            if auditallow & pmask != 0 {
                d.auditallow |= kmask;
            }
            if dontaudit & pmask != 0 {
                d.auditdeny &= !kmask;
            }
        }
        d
    }

    /// Binary search of the transition table.
    fn find_transition(&self, s: u32, t: u32, c: u32) -> Option<TypeId> {
        let key = (s, t, c);
        let (mut lo, mut hi) = (0usize, self.trans.len());
        while lo < hi {
            let mid = lo.wrapping_add(hi.wrapping_sub(lo) >> 1);
            let k = (
                self.trans.get(mid, 0),
                self.trans.get(mid, 1),
                self.trans.get(mid, 2),
            );
            match k.cmp(&key) {
                core::cmp::Ordering::Less => lo = mid.wrapping_add(1),
                core::cmp::Ordering::Greater => hi = mid,
                core::cmp::Ordering::Equal => return Some(TypeId(self.trans.get(mid, 3))),
            }
        }
        None
    }

    /// The type of a new object of class `class` created by `source` in a
    /// parent (directory) of type `parent` — or, for class `process`, the
    /// domain `source` enters when executing a file of type `parent`.
    /// `None` when no `type_transition` applies (the caller then uses its
    /// default: the parent's type for files, the unchanged domain for exec).
    pub fn type_transition(
        &self,
        source: TypeId,
        parent: TypeId,
        class: KernelClass,
    ) -> Option<TypeId> {
        let pc = self.map.get(class.index())?.policy_class;
        if pc == NO_CLASS {
            return None;
        }
        self.find_transition(self.norm(source), self.norm(parent), pc)
    }

    /// The domain a task in `domain` enters by executing a file of type
    /// `exec_type` (`type_transition D E : process N`), if any. The
    /// caller must still check `process { transition }` from `domain` to
    /// the new domain and `file { entrypoint }` from the new domain to
    /// `exec_type` with [`PolicyDb::compute_av`].
    pub fn transition(&self, domain: TypeId, exec_type: TypeId) -> Option<TypeId> {
        self.type_transition(domain, exec_type, KernelClass::Process)
    }

    fn find_fs(&self, fs: &[u8]) -> Option<usize> {
        let (mut lo, mut hi) = (0usize, self.fsdef.len());
        while lo < hi {
            let mid = lo.wrapping_add(hi.wrapping_sub(lo) >> 1);
            match name_of(&self.fsdef, self.strings, mid).cmp(fs) {
                core::cmp::Ordering::Less => lo = mid.wrapping_add(1),
                core::cmp::Ordering::Greater => hi = mid,
                core::cmp::Ordering::Equal => return Some(mid),
            }
        }
        None
    }

    /// How filesystem type `fs_name` (e.g. `b"proc"`) is labelled, if the
    /// policy says.
    pub fn fs_label(&self, fs_name: &[u8]) -> Option<FsLabel> {
        let i = self.find_fs(fs_name)?;
        Some(FsLabel {
            ty: TypeId(self.fsdef.get(i, FS_TYPE)),
            use_xattr: self.fsdef.get(i, FS_FLAGS) & FS_USE_XATTR != 0,
        })
    }

    /// Whether inodes of filesystem type `fs_name` take their label from
    /// the `security.carapace` attribute.
    pub fn fs_uses_xattr(&self, fs_name: &[u8]) -> bool {
        self.fs_label(fs_name).is_some_and(|l| l.use_xattr)
    }

    /// The label of an inode of filesystem type `fs_name` whose label
    /// attribute gave `attr`: the type it names under `fs_use_xattr`, else
    /// the filesystem's type; the `file` initial label for a filesystem the
    /// policy does not name.
    pub fn file_label(&self, fs_name: &[u8], attr: LabelAttr<'_>) -> FileLabel {
        let Some(rule) = self.fs_label(fs_name) else {
            return FileLabel::Final(self.initial_sid(InitialSid::File));
        };
        let unmapped = FileLabel::Unmapped(self.initial_sid(InitialSid::Unlabeled));
        match attr {
            LabelAttr::Value(value) if rule.use_xattr => self
                .type_by_name(label_name(value))
                .map_or(unmapped, FileLabel::Final),
            LabelAttr::Unreadable if rule.use_xattr => unmapped,
            _ => FileLabel::Final(rule.ty),
        }
    }

    /// The default type of filesystem `fs_name`, if the policy gives one.
    pub fn fs_default(&self, fs_name: &[u8]) -> Option<TypeId> {
        self.fs_label(fs_name).map(|l| l.ty)
    }

    /// The file contexts, in source order (first match wins), for the
    /// relabel tool.
    pub fn file_contexts(&self) -> impl Iterator<Item = FileContext<'a>> + '_ {
        (0..self.fcon.len()).map(move |i| FileContext {
            pattern: name_of(&self.fcon, self.strings, i),
            kind: match self.fcon.get(i, 3) {
                0 => FileContextKind::Exact,
                1 => FileContextKind::Prefix,
                _ => FileContextKind::Regex,
            },
            ty: TypeId(self.fcon.get(i, 2)),
        })
    }
}

fn bad_name(section: &'static str, index: usize) -> PolicyError {
    PolicyError::BadName { section, index }
}

/// Mask of the low `count` bits (`count` ≤ 32).
fn class_mask(count: u32) -> u32 {
    1u32.checked_shl(count)
        .map_or(u32::MAX, |v| v.wrapping_sub(1))
}

fn name_of<'a>(t: &Table<'a>, strings: &'a [u8], i: usize) -> &'a [u8] {
    let off = us(t.get(i, NAME_OFF));
    let n = us(t.get(i, NAME_LEN));
    strings.get(off..off.wrapping_add(n)).unwrap_or(&[])
}

fn find_class(classes: &Table<'_>, strings: &[u8], name: &[u8]) -> Option<usize> {
    let (mut lo, mut hi) = (0usize, classes.len());
    while lo < hi {
        let mid = lo.wrapping_add(hi.wrapping_sub(lo) >> 1);
        match name_of(classes, strings, mid).cmp(name) {
            core::cmp::Ordering::Less => lo = mid.wrapping_add(1),
            core::cmp::Ordering::Greater => hi = mid,
            core::cmp::Ordering::Equal => return Some(mid),
        }
    }
    None
}

#[cfg(test)]
mod tests;
