// SPDX-License-Identifier: GPL-2.0

//! Names as small numbers: every distinct name of a compilation is stored
//! once, and statements and the resolver refer to it by its [`Sym`].
//!
//! The keywords of the language and the names of the kernel's classes and
//! permissions are interned first, so that the parser compares numbers
//! and the resolver finds every kernel name whatever the sources name.

use rustc_hash::FxHashMap;

use carapace_core::classmap::KernelClass;

/// An interned name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Sym(pub u32);

/// The keywords, in the order of their [`Sym`]s (see [`kw`]).
const KEYWORDS: [&str; 20] = [
    "allow",
    "auditallow",
    "dontaudit",
    "neverallow",
    "include",
    "handle_unknown",
    "class",
    "attribute",
    "type",
    "typeattribute",
    "type_transition",
    "permissive",
    "initial",
    "fs_use_xattr",
    "fs_default",
    "filecon",
    "exact",
    "prefix",
    "regex",
    "self",
];

/// The keywords' symbols.
pub mod kw {
    use super::Sym;
    /// `allow`
    pub const ALLOW: Sym = Sym(0);
    /// `auditallow`
    pub const AUDITALLOW: Sym = Sym(1);
    /// `dontaudit`
    pub const DONTAUDIT: Sym = Sym(2);
    /// `neverallow`
    pub const NEVERALLOW: Sym = Sym(3);
    /// `include`
    pub const INCLUDE: Sym = Sym(4);
    /// `handle_unknown`
    pub const HANDLE_UNKNOWN: Sym = Sym(5);
    /// `class`
    pub const CLASS: Sym = Sym(6);
    /// `attribute`
    pub const ATTRIBUTE: Sym = Sym(7);
    /// `type`
    pub const TYPE: Sym = Sym(8);
    /// `typeattribute`
    pub const TYPEATTRIBUTE: Sym = Sym(9);
    /// `type_transition`
    pub const TYPE_TRANSITION: Sym = Sym(10);
    /// `permissive`
    pub const PERMISSIVE: Sym = Sym(11);
    /// `initial`
    pub const INITIAL: Sym = Sym(12);
    /// `fs_use_xattr`
    pub const FS_USE_XATTR: Sym = Sym(13);
    /// `fs_default`
    pub const FS_DEFAULT: Sym = Sym(14);
    /// `filecon`
    pub const FILECON: Sym = Sym(15);
    /// `exact`
    pub const EXACT: Sym = Sym(16);
    /// `prefix`
    pub const PREFIX: Sym = Sym(17);
    /// `regex`
    pub const REGEX: Sym = Sym(18);
    /// `self`
    pub const SELF: Sym = Sym(19);
}

/// The names of one compilation.
#[derive(Clone)]
pub struct Interner {
    /// Names of 1 to [`SHORT`] bytes, nearly every name of a policy, in
    /// an open-addressed table of their bytes as two numbers: found by
    /// comparing numbers rather than by hashing and comparing bytes.
    short: Vec<Slot>,
    /// Names of other lengths.
    long: FxHashMap<Box<[u8]>, Sym>,
    /// The text of each name (lossily converted, so that a stray byte
    /// cannot be lost silently in a message).
    names: Vec<Box<str>>,
    /// The bytes of the names that are not UTF-8 (those of the others
    /// are their text).
    raw: FxHashMap<Sym, Box<[u8]>>,
}

/// The longest name kept in [`Interner::short`].
const SHORT: usize = 16;

/// A slot of [`Interner::short`]: a name's bytes, zero-padded, as two
/// little-endian numbers, its length (0: an empty slot) and its symbol.
#[derive(Clone, Copy, Default)]
struct Slot {
    lo: u64,
    hi: u64,
    len: u32,
    sym: Sym,
}

/// The first `n` bytes (at most 8) of `w` read as little-endian.
fn low_bytes(w: u64, n: usize) -> u64 {
    if n >= 8 {
        w
    } else {
        w & ((1u64 << (8 * n)) - 1)
    }
}

/// The little-endian number of the 8 bytes of `src` at `at`, which are
/// there.
fn word(src: &[u8], at: usize) -> u64 {
    let mut b = [0u8; 8];
    if let Some(s) = src.get(at..at + 8) {
        b.copy_from_slice(s);
    }
    u64::from_le_bytes(b)
}

/// The bytes `src[start..end]` (1 to [`SHORT`] of them) as two numbers,
/// zero-padded; read as whole words where the source has 16 bytes from
/// `start` (the lexer's case: no copy of a variable length).
fn short_words(src: &[u8], start: usize, end: usize) -> (u64, u64) {
    let len = end - start;
    if start + SHORT <= src.len() {
        let lo = low_bytes(word(src, start), len);
        let hi = if len > 8 {
            low_bytes(word(src, start + 8), len - 8)
        } else {
            0
        };
        return (lo, hi);
    }
    let mut b = [0u8; SHORT];
    if let (Some(to), Some(from)) = (b.get_mut(..len), src.get(start..end)) {
        to.copy_from_slice(from);
    }
    (word(&b, 0), word(&b, 8))
}

/// Where a short name's search starts in a table of `mask + 1` slots.
fn short_hash(lo: u64, hi: u64, mask: usize) -> usize {
    let h = (lo ^ hi.rotate_left(32)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    (h >> 32) as usize & mask
}

impl Default for Interner {
    fn default() -> Self {
        Self::new()
    }
}

impl Interner {
    /// An interner that knows the keywords and the kernel's classes and
    /// permissions.
    pub fn new() -> Self {
        let mut i = Interner {
            short: vec![Slot::default(); 1 << 12],
            long: FxHashMap::default(),
            names: Vec::new(),
            raw: FxHashMap::default(),
        };
        for k in KEYWORDS {
            i.intern(k);
        }
        for kc in KernelClass::ALL {
            i.intern(kc.name());
            for p in kc.perm_names() {
                i.intern(p);
            }
        }
        i
    }

    /// The symbol of `s`, interning it if it is new.
    pub fn intern(&mut self, s: &str) -> Sym {
        self.intern_bytes(s.as_bytes())
    }

    /// Interns the name spelled by `b`, which the lexer hands over
    /// without a UTF-8 check: only a new name is converted.
    pub fn intern_bytes(&mut self, b: &[u8]) -> Sym {
        self.intern_in(b, 0, b.len())
    }

    /// Interns the name `src[start..end]`, reading the source around it
    /// as whole words when it can. Inlined into the lexer: a name seen
    /// before, nearly every one, costs a few comparisons.
    #[inline]
    pub(crate) fn intern_in(&mut self, src: &[u8], start: usize, end: usize) -> Sym {
        let len = end.saturating_sub(start);
        if len == 0 || len > SHORT {
            return self.intern_long(src.get(start..end).unwrap_or_default());
        }
        let (lo, hi) = short_words(src, start, end);
        let mask = self.short.len() - 1;
        let mut i = short_hash(lo, hi, mask);
        while let Some(slot) = self.short.get(i) {
            if slot.len == 0 {
                break;
            }
            if slot.lo == lo && slot.hi == hi && slot.len as usize == len {
                return slot.sym;
            }
            i = (i + 1) & mask;
        }
        self.add_short(src.get(start..end).unwrap_or_default(), (lo, hi), i)
    }

    /// Interns `b`, empty or longer than [`SHORT`].
    #[inline(never)]
    fn intern_long(&mut self, b: &[u8]) -> Sym {
        if let Some(&sym) = self.long.get(b) {
            return sym;
        }
        let sym = self.add(b);
        self.long.insert(b.into(), sym);
        sym
    }

    /// Adds the short name `b`, its words `(lo, hi)`, at the empty slot
    /// `i`.
    #[inline(never)]
    fn add_short(&mut self, b: &[u8], (lo, hi): (u64, u64), i: usize) -> Sym {
        let sym = self.add(b);
        if let Some(slot) = self.short.get_mut(i) {
            *slot = Slot {
                lo,
                hi,
                len: b.len() as u32,
                sym,
            };
        }
        // At most half full, so that a search stops soon.
        if 2 * self.names.len() > self.short.len() {
            self.grow();
        }
        sym
    }

    /// A new name spelled `b`.
    fn add(&mut self, b: &[u8]) -> Sym {
        let sym = Sym(self.names.len() as u32);
        let text = String::from_utf8_lossy(b);
        if text.as_bytes() != b {
            self.raw.insert(sym, b.into());
        }
        self.names.push(text.into());
        sym
    }

    /// Doubles [`Interner::short`].
    fn grow(&mut self) {
        let bigger = vec![Slot::default(); 2 * self.short.len()];
        let old = std::mem::replace(&mut self.short, bigger);
        let mask = self.short.len() - 1;
        for slot in old.into_iter().filter(|s| s.len != 0) {
            let mut i = short_hash(slot.lo, slot.hi, mask);
            while self.short[i].len != 0 {
                i = (i + 1) & mask;
            }
            self.short[i] = slot;
        }
    }

    /// The symbol of `s`, if it is interned.
    pub fn get(&self, s: &str) -> Option<Sym> {
        let b = s.as_bytes();
        if b.is_empty() || b.len() > SHORT {
            return self.long.get(b).copied();
        }
        let (lo, hi) = short_words(b, 0, b.len());
        let mask = self.short.len() - 1;
        let mut i = short_hash(lo, hi, mask);
        loop {
            let slot = self.short.get(i)?;
            if slot.len == 0 {
                return None;
            }
            if slot.lo == lo && slot.hi == hi && slot.len as usize == b.len() {
                return Some(slot.sym);
            }
            i = (i + 1) & mask;
        }
    }

    /// The text of `sym`.
    pub fn text(&self, sym: Sym) -> &str {
        self.names.get(sym.0 as usize).map_or("", |s| s)
    }

    /// The bytes `sym` was interned with.
    fn bytes(&self, sym: Sym) -> &[u8] {
        match self.raw.get(&sym) {
            Some(b) => b,
            None => self.text(sym).as_bytes(),
        }
    }

    /// How many names there are (every symbol is below this).
    pub fn len(&self) -> usize {
        self.names.len()
    }

    /// Whether there are none (never: the keywords are there).
    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }

    /// Interns the names `other` has beyond its first `from` (those it
    /// was cloned with), in the order of their symbols there, and returns
    /// their symbols here (the one of `Sym(from + i)` at `i`).
    pub(crate) fn absorb(&mut self, other: &Interner, from: usize) -> Vec<Sym> {
        (from..other.len())
            .map(|s| self.intern_bytes(other.bytes(Sym(s as u32))))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::Interner;

    #[test]
    fn names_short_long_and_with_zero_bytes_are_distinct() {
        let mut i = Interner::new();
        let names: Vec<Vec<u8>> = vec![
            b"a".to_vec(),
            b"a\0".to_vec(),
            b"\0a".to_vec(),
            b"\0".to_vec(),
            b"".to_vec(),
            b"abcdefgh".to_vec(),
            b"abcdefghi".to_vec(),
            b"abcdefg\0".to_vec(),
            b"ty1907".to_vec(),
            b"abcdefghijklmnop".to_vec(),
            b"abcdefghijklmno\0".to_vec(),
            b"abcdefghijklmnopq".to_vec(),
            b"\xff\xfe".to_vec(),
        ];
        // Many more names than slots, so that the table grows.
        let many: Vec<Vec<u8>> = (0..20_000).map(|n| format!("t{n}").into_bytes()).collect();
        let first: Vec<_> = names
            .iter()
            .chain(&many)
            .map(|b| i.intern_bytes(b))
            .collect();
        let again: Vec<_> = names
            .iter()
            .chain(&many)
            .map(|b| i.intern_bytes(b))
            .collect();
        assert_eq!(first, again);
        let mut distinct = first.clone();
        distinct.sort();
        distinct.dedup();
        assert_eq!(distinct.len(), first.len());
        assert_eq!(i.text(first[0]), "a");
        assert_eq!(i.get("abcdefghi"), Some(first[6]));
        assert_eq!(i.get("abcdefghijklmnopq"), Some(first[11]));
        // A name that is not UTF-8 keeps its bytes for another interner.
        let mut other = Interner::new();
        let from = other.len();
        let absorbed = other.absorb(&i, from);
        assert_eq!(absorbed.len(), i.len() - from);
        assert_eq!(other.intern_bytes(b"\xff\xfe"), first[12]);
    }
}
