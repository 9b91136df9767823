// SPDX-License-Identifier: GPL-2.0

//! The policy in force and the storage of the security identifiers that
//! outlive it; the SID logic itself is [`crate::sid_table`].

use kernel::prelude::*;

use crate::policy::{InitialSid, PolicyDb, PolicyError, TypeId, ValidatedPolicy};
use crate::sid_table::{map_policy, map_sizes, OutOfMemory, SidMap, SidNames};

pub(crate) use crate::sid_table::Sid;

/// The type names of all SIDs ever assigned (index = SID - 1).
pub(crate) struct SidNameList {
    names: KVec<KVec<u8>>,
}

impl SidNameList {
    pub(crate) const fn new() -> Self {
        Self { names: KVec::new() }
    }
}

impl SidNames for SidNameList {
    fn count(&self) -> usize {
        self.names.len()
    }

    fn name(&self, index: usize) -> Option<&[u8]> {
        self.names.get(index).map(|name| &**name)
    }

    fn push(&mut self, name: &[u8]) -> Result<(), OutOfMemory> {
        let mut copy = KVec::new();
        copy.extend_from_slice(name, GFP_KERNEL)
            .map_err(|_| OutOfMemory)?;
        self.names.push(copy, GFP_KERNEL).map_err(|_| OutOfMemory)
    }
}

/// A validated binary policy and its SID mapping, read in place.
pub(crate) struct LoadedPolicy {
    policy: ValidatedPolicy<KVVec<u8>>,
    seqno: u32,
    /// SID of each type of this policy (index = type number).
    type_sids: KVec<Sid>,
    /// Type of each SID (index = SID), `None` where the policy lacks it.
    sid_types: KVec<Option<TypeId>>,
}

impl LoadedPolicy {
    /// Validates `data` and maps every SID in `names` to its types,
    /// assigning SIDs to new type names. On error the policy in force
    /// stays (new names may stay assigned, which is harmless).
    pub(crate) fn new(
        data: KVVec<u8>,
        seqno: u32,
        names: &mut SidNameList,
    ) -> Result<Self, LoadError> {
        let policy = ValidatedPolicy::new(data).map_err(LoadError::Invalid)?;
        let db = policy.db();
        let (ntypes, nsids) = map_sizes(names, &db);
        let mut type_sids = KVec::from_elem(0, ntypes, GFP_KERNEL)?;
        let mut sid_types = KVec::from_elem(None, nsids, GFP_KERNEL)?;
        // Entries past the ones used stay `None`: SIDs assigned later.
        map_policy(&db, names, &mut type_sids, &mut sid_types)?;
        Ok(Self {
            policy,
            seqno,
            type_sids,
            sid_types,
        })
    }

    /// The policy database, read in place.
    pub(crate) fn db(&self) -> PolicyDb<'_> {
        self.policy.db()
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
