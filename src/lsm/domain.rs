// SPDX-License-Identifier: GPL-2.0

//! The domain of a task: carapace's part of its credentials.

use kernel::prelude::*;

use crate::framework::{BlobWord, Credentials, Task};
use crate::last_decision::{
    own_grants, own_record, self_grants, self_record, Generation, OwnLabelClass, SelfAccess,
};
use crate::policy_store::Sid;
use crate::Carapace;

/// Carapace's part of a task's credentials.
#[derive(Zeroable)]
pub(crate) struct TaskSecurity {
    /// The task's domain.
    sid: Sid,
    /// The domain to enter at the next execve (0: none requested).
    exec_sid: Sid,
    /// The domain before the last execve.
    prev_sid: Sid,
    /// What the domain was granted on itself
    /// ([`crate::last_decision::SelfAccess`]); shared by the tasks that
    /// share these credentials, and starting empty in a copy.
    self_granted: BlobWord,
    /// What the domain was granted on objects of its own label, of one
    /// class ([`crate::last_decision::OwnLabelClass`]); shared and copied
    /// as `self_granted`.
    own_granted: BlobWord,
}

impl TaskSecurity {
    /// Copies the domain labels of `other` (not what it was granted:
    /// the copy may change domain before it is used).
    pub(crate) fn copy_labels(&mut self, other: &Self) {
        self.sid = other.sid;
        self.exec_sid = other.exec_sid;
        self.prev_sid = other.prev_sid;
    }

    /// Whether the domain was granted `access` on itself under policy
    /// generation `generation`.
    #[inline(always)]
    pub(crate) fn granted_self(&self, generation: Generation, access: SelfAccess) -> bool {
        self_grants(self.self_granted.load(), generation, access)
    }

    /// Records that the domain was granted `access` on itself under
    /// `generation`.
    pub(crate) fn record_self(&self, generation: Generation, access: SelfAccess) {
        let word = self.self_granted.load();
        let new = self_record(word, generation, access);
        if new != word {
            self.self_granted.store(new);
        }
    }

    /// Whether the domain was granted `requested` of `class` on objects of
    /// its own label under `generation`.
    #[inline(always)]
    pub(crate) fn granted_own(
        &self,
        generation: Generation,
        class: OwnLabelClass,
        requested: u32,
    ) -> bool {
        own_grants(self.own_granted.load(), generation, class, requested)
    }

    /// Records that the domain was granted `requested` of `class` on
    /// objects of its own label under `generation`.
    pub(crate) fn record_own(&self, generation: Generation, class: OwnLabelClass, requested: u32) {
        let word = self.own_granted.load();
        let new = own_record(word, generation, class, requested);
        if new != word {
            self.own_granted.store(new);
        }
    }

    /// The task's domain.
    #[inline]
    pub(crate) fn sid(&self) -> Sid {
        self.sid
    }

    /// The domain the task asked to enter at its next execve (0: none).
    pub(crate) fn exec_sid(&self) -> Sid {
        self.exec_sid
    }

    /// The domain the task had before its last execve.
    pub(crate) fn prev_sid(&self) -> Sid {
        self.prev_sid
    }

    /// Enters domain `sid` by an execve: remembers the previous one and
    /// clears the exec request.
    pub(crate) fn exec_into(&mut self, sid: Sid) {
        self.prev_sid = self.sid;
        self.sid = sid;
        self.exec_sid = 0;
    }

    /// Enters domain `sid` without an execve (a dynamic transition); the
    /// exec request and the previous domain stay.
    pub(crate) fn dyntransition_into(&mut self, sid: Sid) {
        self.sid = sid;
    }

    /// Sets the domain to enter at the next execve (0: none).
    pub(crate) fn set_exec_sid(&mut self, sid: Sid) {
        self.exec_sid = sid;
    }
}

/// The domain of `cred`.
#[inline]
pub(crate) fn cred_sid(cred: &Credentials) -> Sid {
    cred.security::<Carapace>().sid()
}

/// The domain of the current task.
#[inline]
pub(crate) fn current_sid() -> Sid {
    cred_sid(&Credentials::current())
}

/// The domain of `task`.
pub(crate) fn task_sid(task: &Task) -> Sid {
    task.with_credentials(cred_sid)
}
