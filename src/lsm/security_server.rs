// SPDX-License-Identifier: GPL-2.0

//! The security server: the policy in force, enforcement, the access
//! vector cache in front of the policy, and the audit of decisions.

use core::sync::atomic::{AtomicBool, AtomicU32, AtomicU64, Ordering};

use kernel::prelude::*;

use crate::audit::AuditObject;
use crate::avc::{AccessVectorCache, AvcDecision, AvcKey, AvcSlot, AvcStats, AVD_FLAGS_PERMISSIVE};
use crate::classmap::KernelClass;
use crate::domain::TaskSecurity;
use crate::framework::{
    global::Global, rcu, secid::update_audit_rules, Credentials, CAP_MAC_ADMIN,
};
use crate::last_decision::{DecisionGeneration, Generation, OwnLabelClass};
use crate::percpu_stats::PerCpuStats;
use crate::policy::{InitialSid, PolicyDb};
use crate::policy_store::{LoadError, LoadedPolicy, Sid, SidNameList};
use crate::Carapace;

/// Number of AVC slots (a power of two; 4-way buckets).
const AVC_SLOTS: usize = 1024;

static AVC_MEMORY: [AvcSlot; AVC_SLOTS] = [const { AvcSlot::new() }; AVC_SLOTS];

/// The policy generation of the decisions objects and credentials
/// remember ([`crate::last_decision`]): advanced by a policy load and an
/// enforcing switch (both privileged), never by a label change.
pub(crate) static DECISIONS: DecisionGeneration = DecisionGeneration::new();

/// Makes every remembered decision stale.
fn forget_decisions() {
    static EXHAUSTED: AtomicBool = AtomicBool::new(false);
    if !DECISIONS.advance() && !EXHAUSTED.swap(true, Ordering::Relaxed) {
        pr_warn!("policy generation exhausted: decisions are no longer remembered\n");
    }
}

/// The security server of the running kernel, set at LSM init.
pub(crate) static SERVER: Global<SecurityServer> = Global::new();

/// The security server; `ENODEV` when carapace is not initialised (not
/// in `lsm=`), which no hook can see: they run only after init.
pub(crate) fn server() -> Result<&'static SecurityServer> {
    SERVER.get().ok_or(ENODEV)
}

/// The security server once a policy is loaded; `None` before (then every
/// access is allowed and labels are not computed).
#[inline]
pub(crate) fn server_with_policy() -> Option<&'static SecurityServer> {
    SERVER.get().filter(|server| server.policy_loaded())
}

/// How [`SecurityServer::check`] allowed an access.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Grant {
    /// The policy grants it and does not audit it.
    Clean,
    /// Audited, allowed in permissive mode, or allowed with no policy.
    Other,
}

/// Policy state and decisions.
#[pin_data]
pub(crate) struct SecurityServer {
    /// The policy in force; its writer lock serialises loads and holds
    /// the SID names they extend.
    #[pin]
    policy: rcu::RcuBox<LoadedPolicy, SidNameList>,
    enforcing: AtomicBool,
    /// Sequence number of the latest load (0: none yet).
    seqno: AtomicU32,
    /// The kernel classes (bit `index`) for which the policy in force may
    /// have a `type_transition`: all of them before the first load.
    transition_classes: ClassSet,
    avc: AccessVectorCache<'static, PerCpuStats>,
}

/// A set of kernel classes, read without a lock.
///
/// Who changes it: a policy load only, under the writer lock, which adds
/// the new policy's classes before it publishes the policy and drops the
/// old one's after. A class is therefore absent only while neither
/// policy a reader may be using has a transition for it.
struct ClassSet([AtomicU64; 2]);

const _: () = assert!(KernelClass::ALL.len() <= 128);

impl ClassSet {
    const fn all() -> Self {
        Self([AtomicU64::new(u64::MAX), AtomicU64::new(u64::MAX)])
    }

    /// The words of the set of `policy`'s classes with transitions.
    fn of(policy: &LoadedPolicy) -> [u64; 2] {
        let mut words = [0u64; 2];
        for &class in KernelClass::ALL {
            let index = class.index();
            if let (true, Some(word)) = (
                policy.class_has_transitions(class),
                words.get_mut(index / 64),
            ) {
                *word |= 1 << (index % 64);
            }
        }
        words
    }

    #[inline]
    fn contains(&self, class: KernelClass) -> bool {
        let index = class.index();
        self.0.get(index / 64).map_or(true, |word| {
            word.load(Ordering::Relaxed) & (1 << (index % 64)) != 0
        })
    }

    fn add(&self, words: [u64; 2]) {
        for (word, new) in self.0.iter().zip(words) {
            word.fetch_or(new, Ordering::Relaxed);
        }
    }

    fn set(&self, words: [u64; 2]) {
        for (word, new) in self.0.iter().zip(words) {
            word.store(new, Ordering::Relaxed);
        }
    }
}

impl SecurityServer {
    /// A server with no policy, enforcing as `enforcing` says once one is
    /// loaded.
    pub(crate) fn new(enforcing: bool) -> impl PinInit<Self> {
        pin_init!(Self {
            policy <- rcu::RcuBox::new(SidNameList::new()),
            enforcing: AtomicBool::new(enforcing),
            seqno: AtomicU32::new(0),
            transition_classes: ClassSet::all(),
            avc: AccessVectorCache::new(&AVC_MEMORY, 0, PerCpuStats::new()),
        })
    }

    /// Whether denials are enforced (rather than only logged).
    pub(crate) fn enforcing(&self) -> bool {
        self.enforcing.load(Ordering::Relaxed)
    }

    /// Switches enforcement; returns the previous mode.
    pub(crate) fn set_enforcing(&self, on: bool) -> bool {
        let old = self.enforcing.swap(on, Ordering::Relaxed);
        if old != on {
            // Permissive mode turns cached denials into allows; flush so
            // enforcing again takes effect at once.
            let _writer = self.policy.lock();
            self.avc.reset(self.seqno.load(Ordering::Relaxed));
            // Grants read from entries permissive mode widened are no
            // longer grants.
            forget_decisions();
        }
        old
    }

    /// The sequence number of the policy in force (0: none).
    pub(crate) fn seqno(&self) -> u32 {
        self.seqno.load(Ordering::Acquire)
    }

    /// The access vector cache.
    pub(crate) fn avc(&self) -> &AccessVectorCache<'static, PerCpuStats> {
        &self.avc
    }

    /// Loads `data` as the new policy. All or nothing: if it is rejected,
    /// the policy in force stays.
    pub(crate) fn load(&self, data: VVec<u8>) -> Result<u32, LoadError> {
        let mut writer = self.policy.lock();
        let seqno = self.seqno.load(Ordering::Relaxed).wrapping_add(1).max(1);
        let (previous, names) = writer.get_and_state();
        let policy = LoadedPolicy::new(data, seqno, names, previous)?;
        let policy = KBox::new(policy, GFP_KERNEL).map_err(|_| LoadError::NoMemory)?;
        // Nothing below fails: the SID names may now take this policy's.
        let mut policy = policy;
        policy.commit_names(writer.state());
        // Invalidate the cache, then publish (`reload`): no entry of the
        // old policy is served once the new one is visible.
        // The last decisions objects remember are dropped with the cache,
        // and again once the policy is published: a decision of the old
        // policy recorded in between carries the generation between.
        forget_decisions();
        let transition_classes = ClassSet::of(&policy);
        self.transition_classes.add(transition_classes);
        let old = self.avc.reload(seqno, || writer.replace(policy));
        self.seqno.store(seqno, Ordering::Release);
        self.transition_classes.set(transition_classes);
        forget_decisions();
        // Audit rules on types are read again against this policy, under
        // the writer lock: one load at a time does it.
        // SAFETY: the writer lock is held.
        if let Err(e) = unsafe { update_audit_rules() } {
            pr_warn!("audit rules not updated to the new policy: {:?}\n", e);
        }
        drop(writer);
        drop(old);
        Ok(seqno)
    }

    /// Runs `f` on the policy in force, under the writer lock: `f` may
    /// sleep. `None` when no policy is loaded.
    pub(crate) fn with_policy_locked<R>(
        &self,
        f: impl FnOnce(&LoadedPolicy, &PolicyDb<'_>) -> R,
    ) -> Option<R> {
        let writer = self.policy.lock();
        let policy = writer.get()?;
        Some(f(policy, &policy.db()))
    }

    /// Runs `f` on the policy in force without sleeping. `None` when no
    /// policy is loaded.
    pub(crate) fn with_policy<R>(
        &self,
        f: impl FnOnce(&LoadedPolicy, &PolicyDb<'_>) -> R,
    ) -> Option<R> {
        self.with_loaded_policy(|policy| f(policy, &policy.db()))
    }

    /// [`Self::with_policy`] without the database, for callers that may
    /// answer from the policy's index alone.
    pub(crate) fn with_loaded_policy<R>(&self, f: impl FnOnce(&LoadedPolicy) -> R) -> Option<R> {
        let guard = rcu::ReadGuard::new();
        Some(f(self.policy.get(&guard)?))
    }

    /// The decision for `(ssid, tsid, class)`, from the cache or computed
    /// and cached. `None` when no policy is loaded.
    #[inline(always)]
    fn decision(&self, key: &AvcKey, class: KernelClass) -> Option<AvcDecision> {
        match self.avc.lookup(key) {
            Some(decision) => Some(decision),
            None => self.decide_and_cache(key, class),
        }
    }

    /// The cache miss: computes the decision from the policy and caches it.
    /// Kept out of line so that the hit path stays small.
    #[cold]
    #[inline(never)]
    fn decide_and_cache(&self, key: &AvcKey, class: KernelClass) -> Option<AvcDecision> {
        let decision = self.with_policy(|policy, db| {
            let source = policy.type_of(db, key.ssid);
            let target = policy.type_of(db, key.tsid);
            let av = db.compute_av(source, target, class);
            AvcDecision {
                allowed: av.allowed,
                auditallow: av.auditallow,
                auditdeny: av.auditdeny,
                seqno: policy.seqno(),
                flags: if db.is_permissive(source) {
                    AVD_FLAGS_PERMISSIVE
                } else {
                    0
                },
            }
        })?;
        self.avc.insert(key, &decision);
        Some(decision)
    }

    /// The raw decision, as `access` reports it: allowed, auditallow,
    /// auditdeny, flags and seqno. `None` when no policy is loaded.
    pub(crate) fn compute(&self, ssid: Sid, tsid: Sid, class: KernelClass) -> Option<AvcDecision> {
        self.decision(&AvcKey::new(ssid, tsid, class.index() as u16), class)
    }

    /// Checks that `ssid` has `requested` permissions of `class` on
    /// `tsid`; audits as the policy says unless `audit` is `false`.
    ///
    /// Before a policy is loaded everything is allowed. In permissive mode
    /// (global or the source domain's) a denial is audited once per cache
    /// entry and allowed.
    #[inline(always)]
    pub(crate) fn has_perm(
        &self,
        ssid: Sid,
        tsid: Sid,
        class: KernelClass,
        requested: u32,
        object: AuditObject<'_>,
        audit: bool,
    ) -> Result {
        self.check(ssid, tsid, class, requested, object, audit)
            .map(|_| ())
    }

    /// [`Self::has_perm`], and how it allowed: `Ok(Grant::Clean)` when
    /// the policy grants `requested` without auditing it, the only grant
    /// an object may remember ([`crate::last_decision`]).
    ///
    /// A domain's check on its own label, by a task of that domain, is
    /// answered first by what its credentials remember of the class,
    /// inline; the rest is a call.
    #[inline(always)]
    pub(crate) fn check(
        &self,
        ssid: Sid,
        tsid: Sid,
        class: KernelClass,
        requested: u32,
        object: AuditObject<'_>,
        audit: bool,
    ) -> Result<Grant> {
        let current = Credentials::current();
        if let Some((task, own)) = own_label_check(&current, ssid, tsid, class) {
            if task.granted_own(DECISIONS.current(), own, requested) {
                return Ok(Grant::Clean);
            }
        }
        self.check_checked(ssid, tsid, class, requested, object, audit)
    }

    /// [`Self::check`] when the credentials do not answer: a clean grant
    /// of the cache, the common case, here; the rest out of line
    /// ([`Self::check_uncached`]).
    #[inline(never)]
    fn check_checked(
        &self,
        ssid: Sid,
        tsid: Sid,
        class: KernelClass,
        requested: u32,
        object: AuditObject<'_>,
        audit: bool,
    ) -> Result<Grant> {
        // Read before the decision, as in `check_uncached`.
        let generation = DECISIONS.current();
        let key = AvcKey::new(ssid, tsid, class.index() as u16);
        if let Some(decision) = self.avc.peek(&key) {
            if requested & !(decision.allowed & !decision.auditallow) == 0 {
                self.avc.stats().hit();
                if ssid == tsid {
                    record_own(ssid, class, requested, generation);
                }
                return Ok(Grant::Clean);
            }
        }
        self.check_uncached(ssid, tsid, class, requested, object, audit)
    }

    /// [`Self::check_checked`] when the cache does not grant cleanly: a
    /// miss, a denial or an audited grant.
    #[cold]
    #[inline(never)]
    fn check_uncached(
        &self,
        ssid: Sid,
        tsid: Sid,
        class: KernelClass,
        requested: u32,
        object: AuditObject<'_>,
        audit: bool,
    ) -> Result<Grant> {
        // A domain's clean grant on its own label, to a task of that
        // domain, is recorded in its credentials under the generation
        // read before the decision.
        let generation = DECISIONS.current();
        let key = AvcKey::new(ssid, tsid, class.index() as u16);
        // Read before the decision, so that a grant below cannot outlive
        // a flush or reload that happened since (see `update_allow`).
        let epoch = self.avc.epoch();
        let Some(decision) = self.decision(&key, class) else {
            return Ok(Grant::Other);
        };
        let denied = requested & !decision.allowed;
        let permissive = !self.enforcing() || decision.flags & AVD_FLAGS_PERMISSIVE != 0;
        let audited = if denied != 0 {
            denied & decision.auditdeny
        } else {
            requested & decision.auditallow
        };
        if audit && audited != 0 {
            crate::audit::avc_record(self, &key, class, audited, denied != 0, permissive, object);
        }
        if denied == 0 {
            if requested & decision.auditallow != 0 {
                return Ok(Grant::Other);
            }
            if ssid == tsid {
                record_own(ssid, class, requested, generation);
            }
            return Ok(Grant::Clean);
        }
        if permissive {
            // Logged once: from now on the entry allows these permissions.
            let _ = self.avc.update_allow(&key, denied, epoch);
            return Ok(Grant::Other);
        }
        Err(EACCES)
    }

    /// Checks that `ssid` may do `requested` of class `security` on the
    /// `security` initial label, and holds `CAP_MAC_ADMIN` if
    /// `needs_mac_admin`.
    pub(crate) fn authorize(&self, ssid: Sid, requested: u32, needs_mac_admin: bool) -> Result {
        if needs_mac_admin && !CAP_MAC_ADMIN.current_has() {
            return Err(EPERM);
        }
        let target = self
            .with_policy(|policy, db| policy.initial(db, InitialSid::Security))
            .unwrap_or(0);
        self.has_perm(
            ssid,
            target,
            KernelClass::Security,
            requested,
            AuditObject::None,
            true,
        )
    }

    /// Whether the policy in force may have a `type_transition` for
    /// `class`; false only when it has none (nor had one before the load
    /// in progress, if any), and a policy is loaded.
    #[inline]
    pub(crate) fn may_have_transitions(&self, class: KernelClass) -> bool {
        self.transition_classes.contains(class)
    }

    /// Whether a policy is loaded.
    pub(crate) fn policy_loaded(&self) -> bool {
        self.seqno() != 0
    }

    /// The SID of the type named `name` in the policy in force.
    pub(crate) fn sid_by_name(&self, name: &[u8]) -> Option<Sid> {
        self.with_policy(|policy, db| policy.sid_by_name(db, name))
            .flatten()
    }

    /// Appends the type name of `sid` to `out` (`kernel` before any
    /// policy is loaded).
    pub(crate) fn sid_name(&self, sid: Sid, out: &mut KVec<u8>) -> Result {
        match self.with_policy(|policy, db| {
            out.extend_from_slice(db.type_name(policy.type_of(db, sid)), GFP_ATOMIC)
        }) {
            Some(appended) => appended?,
            None => out.extend_from_slice(b"kernel", GFP_KERNEL)?,
        }
        Ok(())
    }
}

/// Records in the current task's credentials that its domain `ssid` was
/// granted `requested` of `class` cleanly on its own label, under
/// `generation`, read before the decision; nothing unless `ssid` is that
/// domain.
#[inline(always)]
fn record_own(ssid: Sid, class: KernelClass, requested: u32, generation: Generation) {
    let current = Credentials::current();
    if let Some((task, own)) = own_label_check(&current, ssid, ssid, class) {
        task.record_own(generation, own, requested);
    }
}

/// When `ssid` checks its own label (`tsid`) and is the domain of the
/// current task's credentials `current`: those credentials and the
/// class's key in their own-label word.
#[inline(always)]
fn own_label_check(
    current: &Credentials,
    ssid: Sid,
    tsid: Sid,
    class: KernelClass,
) -> Option<(&TaskSecurity, OwnLabelClass)> {
    if ssid != tsid {
        return None;
    }
    let task = current.security::<Carapace>();
    if task.sid() != ssid {
        return None;
    }
    Some((task, OwnLabelClass::of_index(class.index())?))
}
