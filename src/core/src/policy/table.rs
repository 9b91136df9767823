// SPDX-License-Identifier: GPL-2.0

//! The policy's sections as tables of little-endian `u32` fields, and the
//! field indexes within their entries. Every read is checked: out of range
//! gives 0 or an empty name, never a panic.

use super::format::{rd32, NUM_SECTIONS, SECTION_ENTRY_SIZE};

/// A fixed-size table of equal-sized entries of `u32` fields.
#[derive(Clone, Copy, Debug)]
pub(super) struct Table<'a> {
    pub(super) data: &'a [u8],
    esize: usize,
}

impl<'a> Table<'a> {
    #[inline]
    pub(super) fn len(&self) -> usize {
        self.data.len().checked_div(self.esize).unwrap_or(0)
    }

    /// Fields `f` and `f + 1` of entry `i` as one little-endian `u64`
    /// (field `f + 1` in the high half); 0 when out of range.
    #[inline]
    pub(super) fn get64(&self, i: usize, f: usize) -> u64 {
        let off = i.wrapping_mul(self.esize).wrapping_add(f.wrapping_mul(4));
        match self.data.get(off..off.wrapping_add(8)) {
            Some(&[a, b, c, d, e, g, h, k]) => u64::from_le_bytes([a, b, c, d, e, g, h, k]),
            _ => 0,
        }
    }

    /// Field `f` (a `u32` index) of entry `i`; 0 when out of range, which
    /// validation rules out for every access lookups make.
    #[inline]
    pub(super) fn get(&self, i: usize, f: usize) -> u32 {
        rd32(
            self.data,
            i.wrapping_mul(self.esize).wrapping_add(f.wrapping_mul(4)),
        )
    }
}

/// Section `section`'s table of `data`, given the validated byte ranges.
#[inline(always)]
pub(super) fn table_of<'a>(
    data: &'a [u8],
    ranges: &[(usize, usize); NUM_SECTIONS],
    section: usize,
) -> Table<'a> {
    let (start, end) = ranges.get(section).copied().unwrap_or((0, 0));
    let esize = SECTION_ENTRY_SIZE.get(section).copied().unwrap_or(4);
    Table {
        data: data.get(start..end).unwrap_or(&[]),
        esize: if esize == 1 { 4 } else { esize },
    }
}

// Field indexes within entries.
pub(super) const NAME_OFF: usize = 0;
pub(super) const NAME_LEN: usize = 1;
pub(super) const CLASS_PSTART: usize = 2;
pub(super) const CLASS_PCOUNT: usize = 3;
pub(super) const ID_FLAGS: usize = 2;
pub(super) const ID_ASTART: usize = 3;
pub(super) const ID_ACOUNT: usize = 4;
pub(super) const RULE_TARGET: usize = 0;
pub(super) const RULE_CLASS: usize = 1;
pub(super) const RULE_ALLOWED: usize = 2;
pub(super) const RULE_AUDITALLOW: usize = 3;
pub(super) const RULE_DONTAUDIT: usize = 4;
pub(super) const FS_TYPE: usize = 2;
pub(super) const FS_FLAGS: usize = 3;

pub(super) fn us(v: u32) -> usize {
    usize::try_from(v).unwrap_or(usize::MAX)
}

pub(super) fn name_of<'a>(t: &Table<'a>, strings: &'a [u8], i: usize) -> &'a [u8] {
    let off = us(t.get(i, NAME_OFF));
    let n = us(t.get(i, NAME_LEN));
    strings.get(off..off.wrapping_add(n)).unwrap_or(&[])
}
