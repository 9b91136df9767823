// SPDX-License-Identifier: GPL-2.0

//! Security identifiers (SIDs) that keep their meaning across policy loads.
//!
//! A task's or file's label is a SID, and a SID always means the same type
//! name: each loaded policy maps SIDs to its own type numbers and back. A
//! SID whose name the policy lacks maps to the policy's `unlabeled` type,
//! as SELinux does with contexts a new policy invalidates. SID 0 is a task
//! or object labelled before any policy: it maps to the `kernel` initial
//! label.
//!
//! # Slots, generations and reclaim
//!
//! A SID is a slot number (bits 0..24, from 1) and the slot's generation
//! (bits 24..32). Each slot of the table ([`SidNames`]) holds a type name,
//! or nothing once reclaimed. A policy load maps the names of the table to
//! the policy's types and gives a slot to each new name: a free slot, whose
//! generation then goes up by one, or a new one.
//!
//! Labels are not reference counted (neither are SELinux's SIDs), so the
//! table cannot know whether an inode or a credential still holds a SID
//! whose name no policy uses. SELinux never reuses a SID: its table grows
//! for as long as the kernel runs. Here the names no loaded policy uses are
//! reclaimed once they outnumber the names the policy in force uses (and
//! [`RECLAIM_SLACK`]), so the table stays within about twice the largest
//! policy. A reclaimed slot keeps its generation; when it is reused, its
//! generation goes up, so every SID of the old name is a SID of no name:
//! it maps to `unlabeled` under every later policy, never to the slot's new
//! name (fail closed). A slot that reaches the last generation is retired,
//! never reused, so a generation never wraps. Until the names are
//! reclaimed, a type dropped by one policy and brought back by a later one
//! keeps its SID.
//!
//! # All or nothing
//!
//! A load [`plan`]s the mapping without changing the table, reserves room
//! for the new names ([`SidNames::reserve`], which may fail and then changes
//! no name), and only once nothing else can fail does it [`commit`], which
//! does not fail. A rejected policy leaves the table as it was.
//!
//! The table's storage belongs to the caller ([`SidNames`]): the kernel
//! keeps it in vmalloc-capable vectors, the host tests in `Vec`s. This
//! module only decides, and allocates nothing.

use crate::policy::{InitialSid, PolicyDb, TypeId};

/// A security identifier: slot number in bits 0..24, its generation in
/// bits 24..32; 0 is the `kernel` initial label.
pub type Sid = u32;

/// Bits of a SID that number its slot.
pub const SLOT_BITS: u32 = 24;
/// The slot part of a SID.
pub const SLOT_MASK: u32 = (1 << SLOT_BITS) - 1;
/// Most slots the table may have (slot numbers are `1..=MAX_SLOTS`).
pub const MAX_SLOTS: usize = SLOT_MASK as usize;
/// The generation at which a slot is retired.
pub const LAST_GENERATION: u8 = u8::MAX;
/// Unused names below this count are never reclaimed.
pub const RECLAIM_SLACK: usize = 1024;

/// The SID of slot `index` (0-based) at `generation`.
#[inline]
pub const fn sid_of_slot(index: usize, generation: u8) -> Sid {
    ((index as u32).wrapping_add(1) & SLOT_MASK) | ((generation as u32) << SLOT_BITS)
}

/// The slot number (1-based; 0 for SID 0) of `sid`.
#[inline]
pub const fn slot_of(sid: Sid) -> usize {
    (sid & SLOT_MASK) as usize
}

/// The storage of the SID names: slot `i` (0-based) is SID slot number
/// `i + 1`.
pub trait SidNames {
    /// How many slots exist (holding a name or free).
    fn slots(&self) -> usize;
    /// The name in slot `index`; `None` if the slot is free (or past the
    /// end).
    fn name(&self, index: usize) -> Option<&[u8]>;
    /// The generation of slot `index` (0 past the end).
    fn generation(&self, index: usize) -> u8;
    /// Makes room for `slots` more slots and `bytes` more bytes of names,
    /// so that that many [`Self::assign`]s do not allocate. May move or
    /// compact the storage; never changes a name or a generation.
    fn reserve(&mut self, slots: usize, bytes: usize) -> Result<(), OutOfMemory>;
    /// Puts `name` in the free slot `index`, or in a new slot if `index`
    /// is [`Self::slots`], at `generation`. Returns `false` only if it would
    /// need room [`Self::reserve`] did not make.
    fn assign(&mut self, index: usize, name: &[u8], generation: u8) -> bool;
    /// Frees slot `index`; its generation stays.
    fn release(&mut self, index: usize);
}

/// The types of a policy, by number and name.
pub trait PolicyTypes {
    /// Number of types; type numbers are `0..type_count()`.
    fn type_count(&self) -> u32;
    /// The type named `name`.
    fn type_by_name(&self, name: &[u8]) -> Option<TypeId>;
    /// The name of type `t`.
    fn type_name(&self, t: TypeId) -> &[u8];
}

impl PolicyTypes for PolicyDb<'_> {
    fn type_count(&self) -> u32 {
        PolicyDb::type_count(self)
    }
    fn type_by_name(&self, name: &[u8]) -> Option<TypeId> {
        PolicyDb::type_by_name(self, name)
    }
    fn type_name(&self, t: TypeId) -> &[u8] {
        PolicyDb::type_name(self, t)
    }
}

/// The storage of [`SidNames`] could not grow.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OutOfMemory;

/// Why a policy's names cannot be mapped.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SidError {
    /// The mapping's or the table's storage could not grow.
    OutOfMemory,
    /// More slots than [`MAX_SLOTS`] would be needed.
    TooManyNames,
}

impl From<OutOfMemory> for SidError {
    fn from(_: OutOfMemory) -> Self {
        Self::OutOfMemory
    }
}

/// The room a mapping needs: slots for `type_sids` and `sid_types`.
pub fn map_sizes(names: &impl SidNames, types: &impl PolicyTypes) -> (usize, usize) {
    let ntypes = types.type_count() as usize;
    // Slot number 0 (SID 0), every slot, and at most one new slot per type.
    let sids = names.slots().saturating_add(1).saturating_add(ntypes);
    (ntypes, sids)
}

/// What [`plan`] found: the new names to give slots to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Plan {
    /// Types whose name has no slot yet.
    pub new_names: usize,
    /// Bytes of those names.
    pub new_bytes: usize,
    /// New slots to append (new names that no free slot takes).
    pub new_slots: usize,
}

/// Maps every named slot to a type of `types` and back, without changing
/// `names`: `type_sids` gets the SID of every type whose name has a slot
/// (0 for the others), `sid_types` (indexed by slot number) the type of
/// every such slot. Both must have the sizes [`map_sizes`] gives. Fails
/// only if more than [`MAX_SLOTS`] slots would be needed.
pub fn plan(
    types: &impl PolicyTypes,
    names: &impl SidNames,
    type_sids: &mut [Sid],
    sid_types: &mut [Option<TypeId>],
) -> Result<Plan, SidError> {
    plan_with_hints(types, names, type_sids, sid_types, |_| None)
}

/// [`plan`], given the type each slot (by index) had in the policy in
/// force, if any: a slot whose name is that type's in `types` too (a
/// reload of the same or a similar policy) is mapped without a search.
/// Any hint is safe: one whose name differs is ignored.
pub fn plan_with_hints(
    types: &impl PolicyTypes,
    names: &impl SidNames,
    type_sids: &mut [Sid],
    sid_types: &mut [Option<TypeId>],
    hint: impl Fn(usize) -> Option<TypeId>,
) -> Result<Plan, SidError> {
    type_sids.fill(0);
    sid_types.fill(None);
    let mut reusable = 0usize;
    for index in 0..names.slots() {
        let generation = names.generation(index);
        let Some(name) = names.name(index) else {
            if generation < LAST_GENERATION {
                reusable = reusable.saturating_add(1);
            }
            continue;
        };
        let hinted =
            hint(index).filter(|&t| t.0 < types.type_count() && types.type_name(t) == name);
        let Some(t) = hinted.or_else(|| types.type_by_name(name)) else {
            continue;
        };
        if let Some(slot) = type_sids.get_mut(t.0 as usize) {
            *slot = sid_of_slot(index, generation);
        }
        *sid_types
            .get_mut(index.saturating_add(1))
            .ok_or(SidError::OutOfMemory)? = Some(t);
    }
    let mut plan = Plan {
        new_names: 0,
        new_bytes: 0,
        new_slots: 0,
    };
    for (t, sid) in type_sids.iter().enumerate() {
        if *sid != 0 {
            continue;
        }
        let t = TypeId(u32::try_from(t).map_err(|_| SidError::TooManyNames)?);
        plan.new_names = plan.new_names.saturating_add(1);
        plan.new_bytes = plan.new_bytes.saturating_add(types.type_name(t).len());
    }
    plan.new_slots = plan.new_names.saturating_sub(reusable);
    if names.slots().saturating_add(plan.new_slots) > MAX_SLOTS {
        return Err(SidError::TooManyNames);
    }
    Ok(plan)
}

/// Completes what [`plan`] started, after [`SidNames::reserve`] made room
/// for `plan.new_slots` slots and `plan.new_bytes` bytes: first reclaims
/// the names this policy does not use if they outnumber its types (and
/// [`RECLAIM_SLACK`]), then gives a slot to each new name (free slots
/// first, their generation one up) and fills in their SIDs. Does not fail;
/// returns how many names were reclaimed.
///
/// Reclaiming first lets the new names take the freed slots, so the table
/// never holds more than about twice the larger of the policy and the
/// slack. The names of the policy still in force may be reclaimed: it does
/// not read the table, only its own mapping.
///
/// A type whose name could not be stored (only if the room was not
/// reserved) is left with SID 0.
pub fn commit(
    types: &impl PolicyTypes,
    names: &mut impl SidNames,
    type_sids: &mut [Sid],
    sid_types: &mut [Option<TypeId>],
) -> usize {
    let reclaimed = reclaim(names, type_sids.len(), sid_types);
    let mut cursor = 0usize;
    for (t, sid) in type_sids.iter_mut().enumerate() {
        if *sid != 0 {
            continue;
        }
        let Ok(t) = u32::try_from(t).map(TypeId) else {
            break;
        };
        // The next free, not retired slot, else a new one.
        while cursor < names.slots()
            && (names.name(cursor).is_some() || names.generation(cursor) == LAST_GENERATION)
        {
            cursor = cursor.saturating_add(1);
        }
        let generation = if cursor < names.slots() {
            names.generation(cursor).saturating_add(1)
        } else {
            0
        };
        if !names.assign(cursor, types.type_name(t), generation) {
            continue;
        }
        *sid = sid_of_slot(cursor, generation);
        if let Some(entry) = sid_types.get_mut(cursor.saturating_add(1)) {
            *entry = Some(t);
        }
    }
    reclaimed
}

/// Frees the slots whose names the policy of `sid_types` does not use, if
/// they outnumber the `used` ones and [`RECLAIM_SLACK`].
fn reclaim(names: &mut impl SidNames, used: usize, sid_types: &[Option<TypeId>]) -> usize {
    // Slot `index` holds a name (SID `index + 1`) the policy does not map.
    let unused = |names: &dyn Fn(usize) -> bool, index: usize| {
        let mapped = sid_types
            .get(index.saturating_add(1))
            .copied()
            .flatten()
            .is_some();
        names(index) && !mapped
    };
    let count = (0..names.slots())
        .filter(|&index| unused(&|i| names.name(i).is_some(), index))
        .count();
    if count <= used.max(RECLAIM_SLACK) {
        return 0;
    }
    for index in 0..names.slots() {
        if unused(&|i| names.name(i).is_some(), index) {
            names.release(index);
        }
    }
    count
}

/// One policy's view of the SIDs, made by [`map_policy`].
#[derive(Clone, Copy)]
pub struct SidMap<'a> {
    type_sids: &'a [Sid],
    sid_types: &'a [Option<TypeId>],
}

impl<'a> SidMap<'a> {
    /// The mapping [`map_policy`] filled in.
    pub fn new(type_sids: &'a [Sid], sid_types: &'a [Option<TypeId>]) -> Self {
        Self {
            type_sids,
            sid_types,
        }
    }

    /// The policy type of `sid`: `kernel` for SID 0, `unlabeled` for a SID
    /// the policy does not know.
    pub fn type_of(&self, db: &PolicyDb<'_>, sid: Sid) -> TypeId {
        if sid == 0 {
            return db.initial_sid(InitialSid::Kernel);
        }
        match self.known_type(sid) {
            Some(t) => t,
            None => db.initial_sid(InitialSid::Unlabeled),
        }
    }

    /// The type of `sid`, `None` for SID 0 and for a SID the policy does
    /// not know, including one of an earlier generation of its slot (its
    /// name was reclaimed): a type's SID is unique, so the slot's type
    /// must map back to this very SID.
    pub fn known_type(&self, sid: Sid) -> Option<TypeId> {
        let t = self.sid_types.get(slot_of(sid)).copied().flatten()?;
        (sid != 0 && self.sid_of(t) == sid).then_some(t)
    }

    /// The SID of policy type `t` (0 if `t` is not a type of the policy).
    pub fn sid_of(&self, t: TypeId) -> Sid {
        self.type_sids.get(t.0 as usize).copied().unwrap_or(0)
    }
}

#[cfg(test)]
mod tests;
