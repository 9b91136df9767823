// SPDX-License-Identifier: GPL-2.0

//! The policy in force and the storage of the security identifiers that
//! outlive it; the SID logic itself is [`crate::sid_table`].

use kernel::prelude::*;

use crate::classmap::KernelClass;
use crate::policy::fs_index::{fs_index_find, FsIndexEntry, FsKey};
use crate::policy::{InitialSid, PolicyDb, PolicyError, TypeId, ValidatedPolicy};
use crate::sid_table::{
    commit, map_sizes, plan_with_hints, OutOfMemory, SidError, SidMap, SidNames,
};

pub(crate) use crate::sid_table::Sid;

/// One slot of [`SidNameList`]: where its name is in the arena.
#[derive(Clone, Copy)]
struct Slot {
    start: u32,
    len: u32,
    generation: u8,
    free: bool,
}

/// The SID names ([`crate::sid_table`]): slots, and their names packed in
/// one arena. Both are vmalloc-capable vectors, so a table of hundreds of
/// thousands of names does not need one huge physically contiguous
/// allocation; reclaimed names leave holes in the arena, squeezed out when
/// they exceed half of it.
pub(crate) struct SidNameList {
    slots: KVVec<Slot>,
    arena: KVVec<u8>,
    /// Bytes of the arena that belong to no slot.
    garbage: usize,
}

impl SidNameList {
    pub(crate) const fn new() -> Self {
        Self {
            slots: KVVec::new(),
            arena: KVVec::new(),
            garbage: 0,
        }
    }

    /// Copies the names into a new arena without the holes, with room for
    /// `more` bytes; changes nothing if that allocation fails.
    fn compact(&mut self, more: usize) -> Result<(), OutOfMemory> {
        let live = self.arena.len().saturating_sub(self.garbage);
        let mut arena =
            KVVec::with_capacity(live.saturating_add(more), GFP_KERNEL).map_err(|_| OutOfMemory)?;
        for slot in self.slots.iter().filter(|slot| !slot.free) {
            let name = self.name_of(slot).unwrap_or(&[]);
            arena
                .extend_from_slice(name, GFP_KERNEL)
                .map_err(|_| OutOfMemory)?;
        }
        let mut start = 0u32;
        for slot in self
            .slots
            .as_mut_slice()
            .iter_mut()
            .filter(|slot| !slot.free)
        {
            slot.start = start;
            start = start.saturating_add(slot.len);
        }
        self.arena = arena;
        self.garbage = 0;
        Ok(())
    }

    fn name_of(&self, slot: &Slot) -> Option<&[u8]> {
        let start = slot.start as usize;
        self.arena
            .get(start..start.saturating_add(slot.len as usize))
    }
}

impl SidNames for SidNameList {
    fn slots(&self) -> usize {
        self.slots.len()
    }

    fn name(&self, index: usize) -> Option<&[u8]> {
        let slot = self.slots.get(index).filter(|slot| !slot.free)?;
        self.name_of(slot)
    }

    fn generation(&self, index: usize) -> u8 {
        self.slots.get(index).map_or(0, |slot| slot.generation)
    }

    fn reserve(&mut self, slots: usize, bytes: usize) -> Result<(), OutOfMemory> {
        if self.garbage > 0 && self.garbage.saturating_mul(2) >= self.arena.len() {
            self.compact(bytes)?;
        }
        if self.arena.len().saturating_add(bytes) > u32::MAX as usize {
            return Err(OutOfMemory);
        }
        self.slots
            .reserve(slots, GFP_KERNEL)
            .map_err(|_| OutOfMemory)?;
        self.arena
            .reserve(bytes, GFP_KERNEL)
            .map_err(|_| OutOfMemory)
    }

    fn assign(&mut self, index: usize, name: &[u8], generation: u8) -> bool {
        let room = self.arena.capacity().saturating_sub(self.arena.len());
        let (Ok(start), Ok(len)) = (u32::try_from(self.arena.len()), u32::try_from(name.len()))
        else {
            return false;
        };
        let appends = index == self.slots.len();
        if room < name.len() || (appends && self.slots.len() >= self.slots.capacity()) {
            return false;
        }
        let slot = Slot {
            start,
            len,
            generation,
            free: false,
        };
        if appends {
            // Within capacity: does not allocate.
            if self.slots.push(slot, GFP_KERNEL).is_err() {
                return false;
            }
        } else {
            match self.slots.as_mut_slice().get_mut(index) {
                Some(old) if old.free => *old = slot,
                _ => return false,
            }
        }
        // Within capacity: does not allocate.
        self.arena.extend_from_slice(name, GFP_KERNEL).is_ok()
    }

    fn release(&mut self, index: usize) {
        if let Some(slot) = self.slots.as_mut_slice().get_mut(index) {
            if !slot.free {
                slot.free = true;
                self.garbage = self.garbage.saturating_add(slot.len as usize);
            }
        }
    }
}

/// A validated binary policy and its SID mapping, read in place.
pub(crate) struct LoadedPolicy {
    /// The policy in the buffer it was written in: `vmalloc()`ed, so it
    /// keeps its size rounded up to a page, not to a power of two pages.
    policy: ValidatedPolicy<VVec<u8>>,
    seqno: u32,
    /// SID of each type of this policy (index = type number).
    type_sids: KVVec<Sid>,
    /// Type of each SID slot (index = slot number), `None` where the
    /// policy lacks it.
    sid_types: KVVec<Option<TypeId>>,
    /// The filesystem rules by the keys of their names.
    fs_index: KVec<FsIndexEntry>,
}

impl LoadedPolicy {
    /// Validates `data` and maps the SIDs in `names` to its types, leaving
    /// `names` as it is: [`Self::commit_names`] gives the new type names
    /// their SIDs once nothing else can fail. On error the policy in force
    /// and the names stay.
    ///
    /// `previous`, the policy in force, speeds up mapping the names it
    /// shares with this one.
    pub(crate) fn new(
        data: VVec<u8>,
        seqno: u32,
        names: &mut SidNameList,
        previous: Option<&LoadedPolicy>,
    ) -> Result<Self, LoadError> {
        let policy = ValidatedPolicy::new(data).map_err(LoadError::Invalid)?;
        let db = policy.db();
        let (ntypes, nsids) = map_sizes(names, &db);
        let mut type_sids = KVVec::from_elem(0, ntypes, GFP_KERNEL)?;
        let mut sid_types = KVVec::from_elem(None, nsids, GFP_KERNEL)?;
        let hint = |index: usize| {
            previous
                .and_then(|p| p.sid_types.get(index.wrapping_add(1)))
                .copied()
                .flatten()
        };
        let plan = plan_with_hints(
            &db,
            names,
            type_sids.as_mut_slice(),
            sid_types.as_mut_slice(),
            hint,
        )?;
        let mut fs_index = KVec::from_elem(FsIndexEntry::EMPTY, db.fs_index_len(), GFP_KERNEL)?;
        db.fill_fs_index(fs_index.as_mut_slice());
        names.reserve(plan.new_slots, plan.new_bytes)?;
        Ok(Self {
            policy,
            seqno,
            type_sids,
            sid_types,
            fs_index,
        })
    }

    /// Gives this policy's new type names their SIDs (and reclaims names
    /// no policy uses); the last step of a load, which cannot fail.
    pub(crate) fn commit_names(&mut self, names: &mut SidNameList) {
        let db = self.policy.db();
        let reclaimed = commit(
            &db,
            names,
            self.type_sids.as_mut_slice(),
            self.sid_types.as_mut_slice(),
        );
        if reclaimed > 0 {
            pr_info!("reclaimed {reclaimed} type names no policy uses\n");
        }
    }

    /// The policy database, read in place.
    pub(crate) fn db(&self) -> PolicyDb<'_> {
        self.policy.db()
    }

    /// Whether the policy has `type_transition` rules for `class` (when
    /// not, a new object of the class takes its default label).
    #[inline]
    pub(crate) fn class_has_transitions(&self, class: KernelClass) -> bool {
        self.policy.class_has_transitions(class)
    }

    /// The load sequence number of this policy.
    pub(crate) fn seqno(&self) -> u32 {
        self.seqno
    }

    /// The binary policy as loaded.
    pub(crate) fn bytes(&self) -> &[u8] {
        self.policy.bytes()
    }

    fn sids(&self) -> SidMap<'_> {
        SidMap::new(&self.type_sids, &self.sid_types)
    }

    /// The policy type of `sid`: `kernel` for SID 0, `unlabeled` for a SID
    /// this policy does not know.
    pub(crate) fn type_of(&self, db: &PolicyDb<'_>, sid: Sid) -> TypeId {
        self.sids().type_of(db, sid)
    }

    /// The SID of policy type `t`.
    pub(crate) fn sid_of(&self, t: TypeId) -> Sid {
        self.sids().sid_of(t)
    }

    /// The SID of the type the policy gives the filesystem whose name has
    /// `key`, and where its rule is, trying the rule at `hint` first
    /// ([`fs_index_find`]); `None` when it has no rule for it.
    #[inline]
    pub(crate) fn fs_type_sid(&self, key: FsKey, hint: usize) -> Option<(usize, Sid)> {
        fs_index_find(&self.fs_index, key, hint).map(|(at, t)| (at, self.sid_of(t)))
    }

    /// The SID of the type named `name`, if this policy has it.
    pub(crate) fn sid_by_name(&self, db: &PolicyDb<'_>, name: &[u8]) -> Option<Sid> {
        db.type_by_name(name).map(|t| self.sid_of(t))
    }

    /// The SID of an initial label.
    pub(crate) fn initial(&self, db: &PolicyDb<'_>, which: InitialSid) -> Sid {
        self.sid_of(db.initial_sid(which))
    }
}

/// Why a policy load failed.
pub(crate) enum LoadError {
    /// The validator rejected the policy.
    Invalid(PolicyError),
    /// Out of memory while building the SID mapping.
    NoMemory,
    /// The SID table would need more than [`crate::sid_table::MAX_SLOTS`]
    /// slots.
    TooManyNames,
}

impl From<SidError> for LoadError {
    fn from(e: SidError) -> Self {
        match e {
            SidError::OutOfMemory => Self::NoMemory,
            SidError::TooManyNames => Self::TooManyNames,
        }
    }
}

impl From<OutOfMemory> for LoadError {
    fn from(_: OutOfMemory) -> Self {
        Self::NoMemory
    }
}

impl From<kernel::alloc::AllocError> for LoadError {
    fn from(_: kernel::alloc::AllocError) -> Self {
        Self::NoMemory
    }
}
