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
        if let Some(&sym) = self.map.get(b) {
            return sym;
        }
        let sym = Sym(self.names.len() as u32);
        self.names.push(String::from_utf8_lossy(b).into());
        self.map.insert(b.into(), sym);
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
