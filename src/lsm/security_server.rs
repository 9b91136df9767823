// SPDX-License-Identifier: GPL-2.0

//! The security server: the policy in force, enforcement, the access
//! vector cache in front of the policy, and the audit of decisions.

use core::{
    fmt::Write,
    sync::atomic::{AtomicBool, AtomicU32, Ordering},
};

use kernel::{new_mutex, prelude::*, sync::Mutex};

use crate::avc::{AccessVectorCache, AvcDecision, AvcKey, AvcSlot, AVD_FLAGS_PERMISSIVE};
use crate::classmap::KernelClass;
use crate::lsm::{audit::AuditRecord, global::Global, rcu, Dentry, Inode, OpenFile, CAP_MAC_ADMIN};
use crate::percpu_stats::PerCpuStats;
use crate::policy::{InitialSid, PolicyDb};
use crate::policy_store::{LoadError, LoadedPolicy, Sid, SidNames};

/// Number of AVC slots (a power of two; 4-way buckets).
const AVC_SLOTS: usize = 1024;

static AVC_MEMORY: [AvcSlot; AVC_SLOTS] = [const { AvcSlot::new() }; AVC_SLOTS];

/// The security server of the running kernel, set at LSM init.
pub(crate) static SERVER: Global<SecurityServer> = Global::new();

/// The security server; `ENODEV` when carapace is not initialised (not
/// in `lsm=`), which no hook can see: they run only after init.
pub(crate) fn server() -> Result<&'static SecurityServer> {
    SERVER.get().ok_or(ENODEV)
}

/// What an audit record says about the object of a decision.
#[derive(Clone, Copy)]
pub(crate) enum AuditObject<'a> {
    /// A capability check: `capability=N`.
    Capability(u32),
    /// An inode: `dev="…" ino=N`.
    Inode(&'a Inode),
    /// A directory entry: `name="…"`, and `dev`/`ino` when positive.
    Dentry(&'a Dentry),
    /// An open file: `path="…" dev="…" ino=N`.
    File(&'a OpenFile),
    /// Nothing beyond the contexts.
    None,
}

/// Policy state and decisions.
#[pin_data]
pub(crate) struct SecurityServer {
    /// Serialises policy loads; holds the SID names they extend.
    #[pin]
    writer: Mutex<SidNames>,
    policy: rcu::RcuBox<LoadedPolicy>,
    enforcing: AtomicBool,
    /// Sequence number of the latest load (0: none yet).
    seqno: AtomicU32,
    avc: AccessVectorCache<'static, PerCpuStats>,
}

impl SecurityServer {
    /// A server with no policy, enforcing as `enforcing` says once one is
    /// loaded.
    pub(crate) fn new(enforcing: bool) -> impl PinInit<Self> {
        pin_init!(Self {
            writer <- new_mutex!(SidNames::new()),
            policy: rcu::RcuBox::new(),
            enforcing: AtomicBool::new(enforcing),
            seqno: AtomicU32::new(0),
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
            let _guard = self.writer.lock();
            self.avc.reset(self.seqno.load(Ordering::Relaxed));
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
    pub(crate) fn load(&self, data: KVVec<u8>) -> Result<u32, LoadError> {
        let mut names = self.writer.lock();
        let seqno = self.seqno.load(Ordering::Relaxed).wrapping_add(1).max(1);
        let policy = LoadedPolicy::new(data, seqno, &mut names)?;
        let policy = KBox::new(policy, GFP_KERNEL).map_err(|_| LoadError::NoMemory)?;
        // Publish the policy, then invalidate the cache: a decision
        // computed from the old policy carries the old seqno and can no
        // longer be inserted or returned.
        let old = self.policy.replace(policy);
        self.seqno.store(seqno, Ordering::Release);
        self.avc.reset(seqno);
        drop(names);
        drop(old);
        Ok(seqno)
    }

    /// Runs `f` on the policy in force, under the writer lock: `f` may
    /// sleep. `None` when no policy is loaded.
    pub(crate) fn with_policy_locked<R>(
        &self,
        f: impl FnOnce(&LoadedPolicy, &PolicyDb<'_>) -> R,
    ) -> Option<R> {
        let guard = self.writer.lock();
        let policy = self.policy.get_locked(&guard)?;
        Some(f(policy, &policy.db()))
    }

    /// Runs `f` on the policy in force without sleeping. `None` when no
    /// policy is loaded.
    pub(crate) fn with_policy<R>(
        &self,
        f: impl FnOnce(&LoadedPolicy, &PolicyDb<'_>) -> R,
    ) -> Option<R> {
        let guard = rcu::ReadGuard::new();
        let policy = self.policy.get(&guard)?;
        Some(f(policy, &policy.db()))
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
    pub(crate) fn has_perm(
        &self,
        ssid: Sid,
        tsid: Sid,
        class: KernelClass,
        requested: u32,
        object: AuditObject<'_>,
        audit: bool,
    ) -> Result {
        let key = AvcKey::new(ssid, tsid, class.index() as u16);
        let Some(decision) = self.decision(&key, class) else {
            return Ok(());
        };
        let denied = requested & !decision.allowed;
        let permissive = !self.enforcing() || decision.flags & AVD_FLAGS_PERMISSIVE != 0;
        let audited = if denied != 0 {
            denied & decision.auditdeny
        } else {
            requested & decision.auditallow
        };
        if audit && audited != 0 {
            self.audit(&key, class, audited, denied != 0, permissive, object);
        }
        if denied == 0 {
            return Ok(());
        }
        if permissive {
            // Logged once: from now on the entry allows these permissions.
            let _ = self.avc.update_allow(&key, denied, decision.seqno);
            return Ok(());
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

    /// Whether a policy is loaded.
    pub(crate) fn policy_loaded(&self) -> bool {
        self.seqno() != 0
    }

    /// Writes the audit record of a decision, in SELinux's AVC shape.
    /// Out of line: the allowed path does not need its stack frame.
    #[cold]
    #[inline(never)]
    fn audit(
        &self,
        key: &AvcKey,
        class: KernelClass,
        perms: u32,
        denied: bool,
        permissive: bool,
        object: AuditObject<'_>,
    ) {
        let Some(mut record) = AuditRecord::avc() else {
            return;
        };
        let verdict = if denied { "denied" } else { "granted" };
        let _ = write!(record, "carapace: {verdict} {{");
        for bit in 0..32 {
            if perms & (1 << bit) != 0 {
                let _ = write!(record, " {}", class.perm_name(bit).unwrap_or("?"));
            }
        }
        let (pid, comm) = crate::lsm::current_pid_comm();
        let _ = write!(record, " }} for pid={pid} comm=");
        let comm_len = comm.iter().position(|&c| c == 0).unwrap_or(comm.len());
        record.untrusted(comm.get(..comm_len).unwrap_or(&[]));
        match object {
            AuditObject::Capability(cap) => {
                let _ = write!(record, " capability={cap}");
            }
            AuditObject::Inode(inode) => audit_inode(&mut record, inode),
            AuditObject::Dentry(dentry) => {
                let mut buf = [0u8; 64];
                let _ = write!(record, " name=");
                record.untrusted(dentry.name(&mut buf));
                if let Some(inode) = dentry.inode() {
                    audit_inode(&mut record, inode);
                }
            }
            AuditObject::File(file) => {
                record.path(file.path());
                audit_inode(&mut record, file.inode());
            }
            AuditObject::None => {}
        }
        self.with_policy(|policy, db| {
            let name = |sid| as_str(db.type_name(policy.type_of(db, sid)));
            let _ = write!(
                record,
                " scontext={} tcontext={}",
                name(key.ssid),
                name(key.tsid)
            );
        });
        let _ = write!(
            record,
            " tclass={} permissive={}",
            class.name(),
            u8::from(permissive)
        );
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

/// Appends `dev="…" ino=N` for `inode`.
fn audit_inode(record: &mut AuditRecord, inode: &Inode) {
    let _ = write!(record, " dev=");
    record.untrusted(inode.fs_id());
    let _ = write!(record, " ino={}", inode.ino());
}

/// A validated policy name as text (names are ASCII identifiers).
fn as_str(name: &[u8]) -> &str {
    core::str::from_utf8(name).unwrap_or("?")
}
