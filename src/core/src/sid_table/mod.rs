// SPDX-License-Identifier: GPL-2.0

//! Security identifiers (SIDs) that keep their meaning across policy loads.
//!
//! A task's or file's label is a SID: SID `n` always names the same type
//! name. The table of names only grows; each loaded policy maps SIDs to
//! its own type numbers and back. A SID whose name the policy lacks maps
//! to the policy's `unlabeled` type, as SELinux does with contexts a new
//! policy invalidates. SID 0 is a task or object labelled before any
//! policy: it maps to the `kernel` initial label.
//!
//! The table's storage belongs to the caller ([`SidNames`]): the kernel
//! keeps it in kernel vectors, the host tests in `Vec`s. This module only
//! decides, and allocates nothing.

use crate::policy::{InitialSid, PolicyDb, TypeId};

/// A security identifier: SID `n` names entry `n - 1` of the
/// [`SidNames`]; 0 is the `kernel` initial label.
pub type Sid = u32;

/// The names of every SID ever assigned (SID `n` is entry `n - 1`).
pub trait SidNames {
    /// How many SIDs have been assigned.
    fn count(&self) -> usize;
    /// The type name of entry `index` (SID `index + 1`).
    fn name(&self, index: usize) -> Option<&[u8]>;
    /// Assigns the next SID to `name`.
    fn push(&mut self, name: &[u8]) -> Result<(), OutOfMemory>;
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

/// The room [`map_policy`] needs: slots for `type_sids` and `sid_types`.
pub fn map_sizes(names: &impl SidNames, types: &impl PolicyTypes) -> (usize, usize) {
    let ntypes = types.type_count() as usize;
    // SID 0, every known SID, and at most one new SID per type.
    let sids = names.count().saturating_add(1).saturating_add(ntypes);
    (ntypes, sids)
}

/// Maps every SID in `names` to a type of `types` and back, assigning new
/// SIDs to type names seen for the first time.
///
/// `type_sids` and `sid_types` must have the sizes [`map_sizes`] gives
/// (any content); returns how many entries of `sid_types` are used. New
/// names stay assigned even if the caller then discards the mapping
/// (an unused SID is harmless).
pub fn map_policy(
    types: &impl PolicyTypes,
    names: &mut impl SidNames,
    type_sids: &mut [Sid],
    sid_types: &mut [Option<TypeId>],
) -> Result<usize, OutOfMemory> {
    type_sids.fill(0);
    sid_types.fill(None);
    let known = names.count();
    for index in 0..known {
        let t = names.name(index).and_then(|name| types.type_by_name(name));
        let sid = Sid::try_from(index.saturating_add(1)).map_err(|_| OutOfMemory)?;
        if let Some(t) = t {
            if let Some(slot) = type_sids.get_mut(t.0 as usize) {
                *slot = sid;
            }
        }
        *sid_types.get_mut(sid as usize).ok_or(OutOfMemory)? = t;
    }
    for (t, sid) in type_sids.iter_mut().enumerate() {
        if *sid != 0 {
            continue;
        }
        let t = TypeId(u32::try_from(t).map_err(|_| OutOfMemory)?);
        names.push(types.type_name(t))?;
        *sid = Sid::try_from(names.count()).map_err(|_| OutOfMemory)?;
        *sid_types.get_mut(*sid as usize).ok_or(OutOfMemory)? = Some(t);
    }
    Ok(names.count().saturating_add(1))
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
        match self.sid_types.get(sid as usize) {
            Some(Some(t)) => *t,
            _ => db.initial_sid(InitialSid::Unlabeled),
        }
    }

    /// The type of `sid`, `None` for SID 0 and for a SID the policy does
    /// not know.
    pub fn known_type(&self, sid: Sid) -> Option<TypeId> {
        self.sid_types.get(sid as usize).copied().flatten()
    }

    /// The SID of policy type `t` (0 if `t` is not a type of the policy).
    pub fn sid_of(&self, t: TypeId) -> Sid {
        self.type_sids.get(t.0 as usize).copied().unwrap_or(0)
    }
}

#[cfg(test)]
mod tests;
