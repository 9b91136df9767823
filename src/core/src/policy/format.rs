// SPDX-License-Identifier: GPL-2.0

//! Layout of the binary policy, version 2.
//!
//! Everything is little-endian and every field is a `u32`. The file is a
//! fixed header, a section directory and the sections, each 4-byte aligned,
//! in directory order and not overlapping. Documentation/policy-format.rst
//! describes every field; the compiler writes this layout and
//! [`crate::policy::PolicyDb::parse`] validates it.

/// Policy magic, the first four bytes (`CE 9A 7A CA` on disk).
pub const POLICY_MAGIC: u32 = 0xCA7A_9ACE;
/// The only format version this code reads and writes. Version 1 had a
/// 32-bit Fletcher checksum in place of [`checksum`].
pub const POLICY_VERSION: u32 = 2;
/// Largest policy accepted, in bytes (also the securityfs write limit).
pub const POLICY_MAX_SIZE: usize = 64 << 20;

/// Header offset of the magic.
pub const HDR_MAGIC: usize = 0;
/// Header offset of the version.
pub const HDR_VERSION: usize = 4;
/// Header offset of the total length in bytes.
pub const HDR_LENGTH: usize = 8;
/// Header offset of the flags ([`FLAG_HANDLE_UNKNOWN_MASK`]).
pub const HDR_FLAGS: usize = 12;
/// Header offset of the checksum, a little-endian `u64` (see
/// [`checksum`]).
pub const HDR_CHECKSUM: usize = 16;
/// Header offset of the number of types (ids below it are types, ids at
/// or above it are attributes).
pub const HDR_NTYPES: usize = 24;
/// Header offset of the number of sections (must be [`NUM_SECTIONS`]).
pub const HDR_NSECTIONS: usize = 28;
/// Header offset of the section directory: [`NUM_SECTIONS`] pairs of
/// (offset, size in bytes).
pub const HDR_SECTIONS: usize = 32;
/// Size of the header including the section directory.
pub const HEADER_SIZE: usize = HDR_SECTIONS + NUM_SECTIONS * 8;

/// Flags bits 0–1: what to do with kernel classes/permissions the policy
/// does not define (see [`crate::policy::HandleUnknown`]).
pub const FLAG_HANDLE_UNKNOWN_MASK: u32 = 0x3;
/// All defined flag bits.
pub const FLAGS_KNOWN: u32 = FLAG_HANDLE_UNKNOWN_MASK;

/// Section: string bytes, referenced by (offset, length) pairs.
pub const SEC_STRINGS: usize = 0;
/// Section: classes, [`CLASS_SIZE`] bytes each, sorted by name:
/// name_off, name_len, perm_start, perm_count.
pub const SEC_CLASSES: usize = 1;
/// Section: permission names, [`PERM_SIZE`] bytes each: name_off,
/// name_len. A class's permissions are contiguous; index within the class
/// is the policy bit.
pub const SEC_PERMS: usize = 2;
/// Section: types then attributes ("ids"), [`ID_SIZE`] bytes each:
/// name_off, name_len, flags ([`ID_PERMISSIVE`], [`ID_ATTRIBUTE`]),
/// attr_start, attr_count.
pub const SEC_IDS: usize = 3;
/// Section: attribute lists, `u32` attribute ids; each type's slice is
/// strictly ascending.
pub const SEC_ATTRS: usize = 4;
/// Section: type ids sorted by name (strictly ascending), `ntypes` `u32`s.
pub const SEC_NAMEIDX: usize = 5;
/// Section: rule index, `nids + 1` `u32`s: the rules with source id `i`
/// are `rules[idx[i]..idx[i + 1]]`.
pub const SEC_RULEIDX: usize = 6;
/// Section: access vector rules, [`RULE_SIZE`] bytes each: target id,
/// class, allowed, auditallow, dontaudit (policy bit positions), strictly
/// ascending by (class, target) within each source's run — the order of
/// the little-endian `u64` made of the target and class fields.
pub const SEC_RULES: usize = 7;
/// Section: type transitions, [`TRANS_SIZE`] bytes each: source type,
/// target type, class, result type; strictly ascending by
/// (source, target, class).
pub const SEC_TRANS: usize = 8;
/// Section: initial labels, [`NUM_INITIAL`] type ids in
/// [`crate::policy::InitialSid`] order.
pub const SEC_INITIAL: usize = 9;
/// Section: per-filesystem labels, [`FSDEF_SIZE`] bytes each: name_off,
/// name_len, type, flags ([`FS_USE_XATTR`]); strictly ascending by name.
pub const SEC_FSDEF: usize = 10;
/// Section: file contexts, [`FCON_SIZE`] bytes each: pattern_off,
/// pattern_len, type, kind ([`crate::policy::FileContextKind`]); in
/// source order.
pub const SEC_FCON: usize = 11;
/// Number of sections.
pub const NUM_SECTIONS: usize = 12;

/// Names of the sections, for error messages.
pub const SECTION_NAMES: [&str; NUM_SECTIONS] = [
    "strings",
    "classes",
    "permissions",
    "types",
    "attribute lists",
    "type name index",
    "rule index",
    "rules",
    "transitions",
    "initial labels",
    "filesystem labels",
    "file contexts",
];

/// Entry size of each section (1 for the string bytes).
pub const SECTION_ENTRY_SIZE: [usize; NUM_SECTIONS] = [
    1, CLASS_SIZE, PERM_SIZE, ID_SIZE, 4, 4, 4, RULE_SIZE, TRANS_SIZE, 4, FSDEF_SIZE, FCON_SIZE,
];

/// Size of a class entry.
pub const CLASS_SIZE: usize = 16;
/// Size of a permission entry.
pub const PERM_SIZE: usize = 8;
/// Size of a type/attribute entry.
pub const ID_SIZE: usize = 20;
/// Size of a rule entry.
pub const RULE_SIZE: usize = 20;
/// Size of a transition entry.
pub const TRANS_SIZE: usize = 16;
/// Size of a filesystem label entry.
pub const FSDEF_SIZE: usize = 16;
/// Size of a file context entry.
pub const FCON_SIZE: usize = 16;
/// Number of initial labels.
pub const NUM_INITIAL: usize = 4;

/// Id flag: the type is permissive.
pub const ID_PERMISSIVE: u32 = 1;
/// Id flag: the id is an attribute (set exactly for ids >= ntypes).
pub const ID_ATTRIBUTE: u32 = 2;
/// All defined id flags.
pub const ID_FLAGS_KNOWN: u32 = ID_PERMISSIVE | ID_ATTRIBUTE;
/// Filesystem flag: use the `security.carapace` xattr when present, the
/// entry's type when absent; without it every inode gets the type.
pub const FS_USE_XATTR: u32 = 1;

/// Longest type, attribute, class, permission or filesystem name.
pub const MAX_NAME_LEN: usize = 255;
/// Longest file context pattern.
pub const MAX_PATTERN_LEN: usize = 4096;
/// Most attributes one type may have; bounds [`compute_av`] to
/// `(1 + MAX_ATTRS_PER_TYPE)²` binary searches in the worst case.
///
/// [`compute_av`]: crate::policy::PolicyDb::compute_av
pub const MAX_ATTRS_PER_TYPE: usize = 64;
/// Most classes in a policy.
pub const MAX_CLASSES: usize = 256;
/// Most permissions in one class (one `u32` access vector).
pub const MAX_PERMS_PER_CLASS: usize = 32;

/// Reads the little-endian `u32` at byte `off`, or 0 past the end.
#[inline]
pub(crate) fn rd32(b: &[u8], off: usize) -> u32 {
    match b.get(off..off.wrapping_add(4)) {
        Some(&[a, b1, c, d]) => u32::from_le_bytes([a, b1, c, d]),
        _ => 0,
    }
}

/// Odd multiplier of the checksum (2⁶⁴ divided by the golden ratio):
/// multiplying by an odd number is a bijection modulo 2⁶⁴, so no change to
/// one word can cancel out.
pub const CHECKSUM_MULTIPLIER: u64 = 0x9E37_79B9_7F4A_7C15;

/// The policy checksum: a polynomial hash modulo 2⁶⁴ over the
/// little-endian `u64` words of `buf` in four interleaved lanes.
///
/// Word `i` (bytes `8i..8i + 8`; a last word of 4 bytes is zero-extended)
/// goes to lane `i % 4`, which starts at its number plus one and takes
/// each of its words as `h = (h + w) · K` with `K` =
/// [`CHECKSUM_MULTIPLIER`]; the lanes are then folded the same way,
/// `c = (c + h) · K` from lane 0, with `c` starting at 0. Word 2, the
/// checksum field (bytes 16..24), counts as zero. Trailing bytes that do
/// not fill 4 are ignored (the validator rejects such lengths).
///
/// Any change confined to one word alters the result, and so does almost
/// any other: it detects corruption, not tampering (loading needs
/// `CAP_MAC_ADMIN` and `security { load_policy }`). Two instructions per
/// 8 bytes, and the lanes run in parallel on the CPU.
pub fn checksum(buf: &[u8]) -> u64 {
    const K: u64 = CHECKSUM_MULTIPLIER;
    const BLOCK: usize = 64;
    let step = |h: u64, w: u64| h.wrapping_add(w).wrapping_mul(K);
    let mut h = [1u64, 2, 3, 4];
    // The first four words, with the checksum field; then whole blocks
    // of eight words (two per lane, lanes in step with the word index);
    // then the rest word by word.
    let (head, body) = buf.split_at(buf.len().min(32));
    for (i, w) in words(head).enumerate() {
        let w = if i == 2 { 0 } else { w };
        if let Some(lane) = h.get_mut(i % 4) {
            *lane = step(*lane, w);
        }
    }
    let [mut h0, mut h1, mut h2, mut h3] = h;
    let mut blocks = body.chunks_exact(BLOCK);
    for block in blocks.by_ref() {
        // A block of known size: the reads below need no bounds checks.
        let Ok(block) = <&[u8; BLOCK]>::try_from(block) else {
            continue;
        };
        let w = |i: usize| rd64(block, i.wrapping_mul(8));
        h0 = step(h0, w(0));
        h1 = step(h1, w(1));
        h2 = step(h2, w(2));
        h3 = step(h3, w(3));
        h0 = step(h0, w(4));
        h1 = step(h1, w(5));
        h2 = step(h2, w(6));
        h3 = step(h3, w(7));
    }
    let mut h = [h0, h1, h2, h3];
    for (i, w) in words(blocks.remainder()).enumerate() {
        if let Some(lane) = h.get_mut(i % 4) {
            *lane = step(*lane, w);
        }
    }
    h.iter().fold(0, |c, &lane| step(c, lane))
}

/// The little-endian `u64` words of `b`, a last 4 bytes zero-extended.
fn words(b: &[u8]) -> impl Iterator<Item = u64> + '_ {
    b.chunks(8).filter_map(|w| match *w {
        [a, b1, c, d, e, f, g, k] => Some(u64::from_le_bytes([a, b1, c, d, e, f, g, k])),
        [a, b1, c, d, ..] => Some(u64::from(u32::from_le_bytes([a, b1, c, d]))),
        _ => None,
    })
}

/// Reads the little-endian `u64` at byte `off`, or 0 past the end.
#[inline(always)]
pub(crate) fn rd64(b: &[u8], off: usize) -> u64 {
    match b.get(off..off.wrapping_add(8)) {
        Some(&[a, b1, c, d, e, f, g, k]) => u64::from_le_bytes([a, b1, c, d, e, f, g, k]),
        _ => 0,
    }
}

/// Computes [`checksum`] of `buf` and stores it in the header (used by the
/// compiler, tests and the fuzzer). Does nothing if `buf` is shorter than
/// the header.
pub fn seal(buf: &mut [u8]) {
    let sum = checksum(buf);
    if let Some(s) = buf.get_mut(HDR_CHECKSUM..HDR_CHECKSUM.wrapping_add(8)) {
        for (d, v) in s.iter_mut().zip(sum.to_le_bytes()) {
            *d = v;
        }
    }
}

#[cfg(test)]
mod tests {
    extern crate std;

    /// include/uapi/linux/carapace.h mirrors these constants.
    #[test]
    fn uapi_header_agrees() {
        let h = include_str!("../../../../include/uapi/linux/carapace.h");
        let val = |name: &str| -> std::string::String {
            let line = h
                .lines()
                .find(|l| l.starts_with("#define") && l.split_whitespace().nth(1) == Some(name))
                .unwrap();
            line.split_whitespace().skip(2).collect()
        };
        assert_eq!(
            val("CARAPACE_POLICY_MAGIC"),
            std::format!("{:#x}U", super::POLICY_MAGIC)
        );
        assert_eq!(
            val("CARAPACE_POLICY_VERSION"),
            std::format!("{}", super::POLICY_VERSION)
        );
        assert_eq!(val("CARAPACE_POLICY_MAX_SIZE"), "(64U<<20)");
        assert_eq!(super::POLICY_MAX_SIZE, 64 << 20);
    }
}
