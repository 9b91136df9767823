// SPDX-License-Identifier: GPL-2.0

//! The filesystem rules keyed by their names as integers, for the lookup
//! every new superblock makes.
//!
//! A filesystem type name of at most [`FS_KEY_LEN`] bytes, zero-padded,
//! read as a big-endian integer, is its [`FsKey`]: two names have the same
//! key only if they are the same name (a name holds no NUL), and keys sort
//! as the names do. The kernel reads a superblock's type name into a key
//! up to its NUL, without measuring it first, and finds the rule among the
//! keys with integer comparisons, where a search by name compares strings.
//! The index holds the rules whose names have a key; a longer name is
//! looked up by name ([`PolicyDb::fs_label`]), so together they answer as
//! [`PolicyDb::fs_label`] does for every name.

use super::table::{name_of, FS_TYPE};
use super::{PolicyDb, TypeId};

/// The longest filesystem type name an [`FsKey`] holds.
pub const FS_KEY_LEN: usize = 16;

/// A filesystem type name of at most [`FS_KEY_LEN`] bytes, as an integer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct FsKey(u128);

impl FsKey {
    /// The key of a name given zero-padded to [`FS_KEY_LEN`] bytes.
    #[inline]
    pub const fn from_padded(bytes: [u8; FS_KEY_LEN]) -> Self {
        Self(u128::from_be_bytes(bytes))
    }

    /// The key of `name`; `None` when it is longer than [`FS_KEY_LEN`]
    /// bytes or holds a NUL (no C string is that name).
    pub fn of(name: &[u8]) -> Option<Self> {
        if name.len() > FS_KEY_LEN || name.contains(&0) {
            return None;
        }
        let mut bytes = [0u8; FS_KEY_LEN];
        bytes.get_mut(..name.len())?.copy_from_slice(name);
        Some(Self::from_padded(bytes))
    }
}

/// One rule of the index: the key of its filesystem's name and the
/// filesystem's type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FsIndexEntry {
    key: FsKey,
    ty: TypeId,
}

impl FsIndexEntry {
    /// An entry to fill a buffer with before [`PolicyDb::fill_fs_index`].
    pub const EMPTY: Self = Self {
        key: FsKey(0),
        ty: TypeId(0),
    };
}

impl PolicyDb<'_> {
    /// How many entries [`Self::fill_fs_index`] writes: the filesystem
    /// rules whose names have a key.
    pub fn fs_index_len(&self) -> usize {
        self.fs_index_entries().count()
    }

    /// Writes the index into `out`, sorted by key, and returns the part
    /// written: all of it when `out` has [`Self::fs_index_len`] entries.
    pub fn fill_fs_index<'o>(&self, out: &'o mut [FsIndexEntry]) -> &'o [FsIndexEntry] {
        let written = out
            .iter_mut()
            .zip(self.fs_index_entries())
            .map(|(slot, entry)| *slot = entry)
            .count();
        // Sorted: the validator checks that the rules are in strictly
        // increasing order of name, and keys sort as names.
        out.get(..written).unwrap_or_default()
    }

    fn fs_index_entries(&self) -> impl Iterator<Item = FsIndexEntry> + '_ {
        let (fsdef, strings) = (self.fsdef(), self.strings());
        (0..fsdef.len()).filter_map(move |i| {
            Some(FsIndexEntry {
                key: FsKey::of(name_of(&fsdef, strings, i))?,
                ty: TypeId(fsdef.get(i, FS_TYPE)),
            })
        })
    }
}

/// The type `index` (from [`PolicyDb::fill_fs_index`]) gives the
/// filesystem whose name has `key`, and the entry's position; `None` when
/// the policy has no rule for it. The entry at `hint` is tried first: most
/// mounts are of the type mounted before, so a caller passes the position
/// found last. Any hint is safe: it is only a guess, checked by its key.
#[inline]
pub fn fs_index_find(index: &[FsIndexEntry], key: FsKey, hint: usize) -> Option<(usize, TypeId)> {
    match index.get(hint) {
        Some(entry) if entry.key == key => Some((hint, entry.ty)),
        _ => search(index, key),
    }
}

/// [`fs_index_find`] without a hint: a binary search.
fn search(index: &[FsIndexEntry], key: FsKey) -> Option<(usize, TypeId)> {
    let (mut lo, mut hi) = (0usize, index.len());
    while lo < hi {
        let mid = lo.wrapping_add(hi.wrapping_sub(lo) >> 1);
        let entry = index.get(mid)?;
        match entry.key.cmp(&key) {
            core::cmp::Ordering::Less => lo = mid.wrapping_add(1),
            core::cmp::Ordering::Greater => hi = mid,
            core::cmp::Ordering::Equal => return Some((mid, entry.ty)),
        }
    }
    None
}
