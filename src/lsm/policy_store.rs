// SPDX-License-Identifier: GPL-2.0

//! The policy in force and the security identifiers that outlive it.
//!
//! A task's or file's label is a security identifier (SID), a number that
//! keeps its meaning across policy loads: SID `n` always names the same
//! type name. Each loaded policy maps SIDs to its own type numbers; a SID
//! whose name the new policy lacks maps to the policy's `unlabeled` type,
//! as SELinux does with contexts a new policy invalidates. SID 0 is a task
//! or object labelled before any policy: it maps to the `kernel` initial
//! label.

use kernel::prelude::*;

use crate::policy::{InitialSid, PolicyDb, PolicyError, TypeId, ValidatedPolicy};

/// A security identifier: an index into [`SidNames`], 0 for "kernel".
pub(crate) type Sid = u32;

/// The type names of all SIDs ever assigned (index = SID - 1).
pub(crate) struct SidNames {
    names: KVec<KVec<u8>>,
}

impl SidNames {
    pub(crate) const fn new() -> Self {
        Self { names: KVec::new() }
    }
}

/// A validated binary policy and its SID mapping, read in place.
pub(crate) struct LoadedPolicy {
    policy: ValidatedPolicy<KVVec<u8>>,
    seqno: u32,
    /// Type of each SID (index = SID), `None` where the policy lacks it.
    sid_types: KVec<Option<TypeId>>,
    /// SID of each type of this policy (index = type number).
    type_sids: KVec<Sid>,
}

impl LoadedPolicy {
    /// Validates `data` and maps every SID in `names` to its types,
    /// assigning SIDs to new type names. On error nothing changes.
    pub(crate) fn new(
        data: KVVec<u8>,
        seqno: u32,
        names: &mut SidNames,
    ) -> Result<Self, LoadError> {
        let policy = ValidatedPolicy::new(data).map_err(LoadError::Invalid)?;
        let db = policy.db();
        let ntypes = usize::try_from(db.type_count()).map_err(|_| LoadError::NoMemory)?;

        let mut type_sids =
            KVec::from_elem(0 as Sid, ntypes, GFP_KERNEL).map_err(|_| LoadError::NoMemory)?;
        let mut sid_types = KVec::with_capacity(names.names.len().saturating_add(1), GFP_KERNEL)
            .map_err(|_| LoadError::NoMemory)?;
        sid_types
            .push(None, GFP_KERNEL)
            .map_err(|_| LoadError::NoMemory)?;
        for (i, name) in names.names.iter().enumerate() {
            let t = db.type_by_name(name);
            if let Some(t) = t {
                if let Some(slot) = type_sids.get_mut(t.0 as usize) {
                    *slot = Sid::try_from(i.saturating_add(1)).unwrap_or(0);
                }
            }
            sid_types
                .push(t, GFP_KERNEL)
                .map_err(|_| LoadError::NoMemory)?;
        }
        // New names get new SIDs; they are kept even if this load fails
        // later, which is harmless (an unused SID).
        for (t, sid) in type_sids.iter_mut().enumerate() {
            if *sid != 0 {
                continue;
            }
            let t = TypeId(u32::try_from(t).map_err(|_| LoadError::NoMemory)?);
            let mut name = KVec::new();
            name.extend_from_slice(db.type_name(t), GFP_KERNEL)
                .map_err(|_| LoadError::NoMemory)?;
            names
                .names
                .push(name, GFP_KERNEL)
                .map_err(|_| LoadError::NoMemory)?;
            *sid = Sid::try_from(names.names.len()).map_err(|_| LoadError::NoMemory)?;
            sid_types
                .push(Some(t), GFP_KERNEL)
                .map_err(|_| LoadError::NoMemory)?;
        }
        Ok(Self {
            policy,
            seqno,
            sid_types,
            type_sids,
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

    /// The policy type of `sid`: `kernel` for SID 0, `unlabeled` for a SID
    /// this policy does not know.
    pub(crate) fn type_of(&self, db: &PolicyDb<'_>, sid: Sid) -> TypeId {
        if sid == 0 {
            return db.initial_sid(InitialSid::Kernel);
        }
        match self.sid_types.get(sid as usize) {
            Some(Some(t)) => *t,
            _ => db.initial_sid(InitialSid::Unlabeled),
        }
    }

    /// The SID of policy type `t`.
    pub(crate) fn sid_of(&self, t: TypeId) -> Sid {
        self.type_sids.get(t.0 as usize).copied().unwrap_or(0)
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
