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
    map: FxHashMap<Box<[u8]>, Sym>,
    names: Vec<Box<str>>,
    /// Names of 1 to 8 bytes, none zero, by [`short_key`], in slots
    /// picked by their key, in front of `map`: nearly every name of a
    /// policy is that short, and is found here by comparing one number
    /// rather than by hashing and comparing bytes. A slot holds the last
    /// name that fell in it; key 0 is an empty slot.
    recent: Vec<(u64, Sym)>,
}

/// log2 of the slots of [`Interner::recent`] (64 KiB of them).
const RECENT_BITS: u32 = 12;

/// The bytes of a name of 1 to 8 bytes, none of them zero, as one number
/// (distinct names, distinct numbers, never 0); `None` for any other.
fn short_key(b: &[u8]) -> Option<u64> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    if b.is_empty() || b.len() > 8 {
        return None;
    }
    let mut bytes = [0u8; 8];
    bytes.get_mut(..b.len())?.copy_from_slice(b);
    let key = u64::from_le_bytes(bytes);
    // A zero byte among the name's own (those past it set to 0xff).
    let padded = key | u64::MAX.checked_shl(8 * b.len() as u32).unwrap_or(0);
    let has_zero = padded.wrapping_sub(ONES) & !padded & (ONES << 7) != 0;
    (!has_zero).then_some(key)
}

/// The slot of [`Interner::recent`] for `key`.
fn recent_slot(key: u64) -> usize {
    (key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - RECENT_BITS)) as usize
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
            map: FxHashMap::default(),
            names: Vec::new(),
            recent: vec![(0, Sym(0)); 1 << RECENT_BITS],
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
    /// without a UTF-8 check: only a new name is converted (lossily, so
    /// that a stray byte cannot be lost silently in a message).
    pub fn intern_bytes(&mut self, b: &[u8]) -> Sym {
        let key = short_key(b);
        let slot = key.map(recent_slot);
        if let (Some(key), Some(&(k, sym))) = (key, slot.and_then(|i| self.recent.get(i))) {
            if k == key {
                return sym;
            }
        }
        let sym = match self.map.get(b) {
            Some(&sym) => sym,
            None => {
                let sym = Sym(self.names.len() as u32);
                self.names.push(String::from_utf8_lossy(b).into());
                self.map.insert(b.into(), sym);
                sym
            }
        };
        if let (Some(key), Some(entry)) = (key, slot.and_then(|i| self.recent.get_mut(i))) {
            *entry = (key, sym);
        }
        sym
    }

    pub fn get(&self, s: &str) -> Option<Sym> {
        self.map.get(s.as_bytes()).copied()
    }

    /// The text of `sym`.
    pub fn text(&self, sym: Sym) -> &str {
        self.names.get(sym.0 as usize).map_or("", |s| s)
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
        let mut spelled: Vec<&[u8]> = vec![&[]; other.len().saturating_sub(from)];
        for (bytes, sym) in &other.map {
            let slot = (sym.0 as usize)
                .checked_sub(from)
                .and_then(|i| spelled.get_mut(i));
            if let Some(slot) = slot {
                *slot = bytes;
            }
        }
        spelled.into_iter().map(|b| self.intern_bytes(b)).collect()
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
        ];
        // Many more names than slots, so that slots are taken over.
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
    }
}
