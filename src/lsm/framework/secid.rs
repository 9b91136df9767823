// SPDX-License-Identifier: GPL-2.0

//! Security identifiers shared with the rest of the kernel, the audit
//! subsystem above all: the `*_getsecid` hooks, the text of an identifier
//! (`secid_to_secctx`), and audit rules on labels (`audit_rule_*`, what
//! `auditctl -F subj_type=...` makes), with the hooks of that family
//! ([`SecidHooks`]).
//!
//! In 6.12 these are not stacked: each object has one `u32` secid, which
//! every LSM implementing the getter overwrites, one context string, and
//! one opaque rule pointer per audit field, which every LSM's
//! `audit_rule_match` and `audit_rule_free` receive. That is why SELinux,
//! Smack and AppArmor are `LSM_FLAG_EXCLUSIVE`. Carapace is not, so that it
//! runs beside any of them; instead its hooks of this family answer only
//! when none of those three is active ([`claim_secids`]), and otherwise
//! leave the secid, the context and the rule untouched for the one that
//! is.

use core::sync::atomic::{AtomicBool, AtomicPtr, Ordering};

use kernel::{bindings, new_spinlock, prelude::*, sync::SpinLock};

use super::{global::Global, Credentials, Inode, SecurityModule, Task};

/// Whether this module's secid hooks answer (see the module
/// documentation); set once, at boot, by [`claim_secids`].
static OWNER: AtomicBool = AtomicBool::new(false);

/// The LSMs that keep secids and audit rules of their own.
const SECID_LSMS: [u32; 3] = [
    bindings::LSM_ID_SELINUX,
    bindings::LSM_ID_SMACK,
    bindings::LSM_ID_APPARMOR,
];

/// Makes this module's secid hooks answer if no other LSM that keeps
/// secids is active; returns whether they do. Called once, from the
/// module's `fs_initcall`, when every LSM of `lsm=` is initialised and
/// before user space runs: until then the hooks answer nothing, and no
/// secid of this module exists.
pub(crate) fn claim_secids() -> bool {
    // SAFETY: `lsm_active_cnt` and `lsm_idlist` are written only by
    // `security_add_hooks()` while the LSMs initialise, single threaded,
    // which has finished before any initcall. The array has
    // `MAX_LSM_COUNT` entries (bindgen cannot evaluate that macro and
    // declares it empty), of which the first `lsm_active_cnt` point to the
    // `lsm_id` of a registered LSM, which lives forever.
    let other = unsafe {
        let count = *core::ptr::addr_of!(bindings::lsm_active_cnt) as usize;
        let first = core::ptr::addr_of!(bindings::lsm_idlist).cast::<*const bindings::lsm_id>();
        core::slice::from_raw_parts(first, count)
            .iter()
            .filter_map(|id| id.as_ref())
            .any(|id| SECID_LSMS.iter().any(|&lsm| u64::from(lsm) == id.id))
    };
    if other {
        return false;
    }
    let inert =
        KBox::pin_init(new_spinlock!(KVec::new()), GFP_KERNEL).and_then(|inert| INERT.set(inert));
    if inert.is_err() {
        pr_warn!("audit labels and rules left to none: out of memory\n");
        return false;
    }
    OWNER.store(true, Ordering::Release);
    true
}

/// Whether this module's secid hooks answer.
#[inline]
pub(crate) fn owns_secids() -> bool {
    OWNER.load(Ordering::Acquire)
}

/// The label fields of an audit rule (`AUDIT_SUBJ_USER` ...
/// `AUDIT_OBJ_LEV_HIGH`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum AuditField {
    /// `subj_user`.
    SubjectUser,
    /// `subj_role`.
    SubjectRole,
    /// `subj_type`.
    SubjectType,
    /// `subj_sen`.
    SubjectSensitivity,
    /// `subj_clr`.
    SubjectClearance,
    /// `obj_user`.
    ObjectUser,
    /// `obj_role`.
    ObjectRole,
    /// `obj_type`.
    ObjectType,
    /// `obj_lev_low`.
    ObjectLevelLow,
    /// `obj_lev_high`.
    ObjectLevelHigh,
}

impl AuditField {
    fn from_raw(field: u32) -> Option<Self> {
        Some(match field {
            bindings::AUDIT_SUBJ_USER => Self::SubjectUser,
            bindings::AUDIT_SUBJ_ROLE => Self::SubjectRole,
            bindings::AUDIT_SUBJ_TYPE => Self::SubjectType,
            bindings::AUDIT_SUBJ_SEN => Self::SubjectSensitivity,
            bindings::AUDIT_SUBJ_CLR => Self::SubjectClearance,
            bindings::AUDIT_OBJ_USER => Self::ObjectUser,
            bindings::AUDIT_OBJ_ROLE => Self::ObjectRole,
            bindings::AUDIT_OBJ_TYPE => Self::ObjectType,
            bindings::AUDIT_OBJ_LEV_LOW => Self::ObjectLevelLow,
            bindings::AUDIT_OBJ_LEV_HIGH => Self::ObjectLevelHigh,
            _ => return None,
        })
    }

    /// The field's name in `auditctl -F`.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Self::SubjectUser => "subj_user",
            Self::SubjectRole => "subj_role",
            Self::SubjectType => "subj_type",
            Self::SubjectSensitivity => "subj_sen",
            Self::SubjectClearance => "subj_clr",
            Self::ObjectUser => "obj_user",
            Self::ObjectRole => "obj_role",
            Self::ObjectType => "obj_type",
            Self::ObjectLevelLow => "obj_lev_low",
            Self::ObjectLevelHigh => "obj_lev_high",
        }
    }
}

/// The comparison of an audit rule field.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum AuditOp {
    /// `=`.
    Equal,
    /// `!=`.
    NotEqual,
    /// Any other (`<`, `>`, `&`, ...).
    Other,
}

impl AuditOp {
    fn from_raw(op: u32) -> Self {
        match op {
            bindings::Audit_equal => Self::Equal,
            bindings::Audit_not_equal => Self::NotEqual,
            _ => Self::Other,
        }
    }
}

/// What a module makes of the label an audit rule field names.
pub(crate) enum RuleLabel<R> {
    /// A label of the policy in force: the module's part of the rule.
    Known(R),
    /// A label the policy in force does not have.
    Unknown,
}

/// Why the audit core asks for a rule's label part.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum RuleRequest {
    /// A rule being added or deleted (`auditctl -a`, `-d`), or copied.
    New,
    /// A rule read again after a policy change ([`update_audit_rules`]).
    Revalidation,
}

/// The task running [`update_audit_rules`], if any.
static REVALIDATOR: AtomicPtr<bindings::task_struct> = AtomicPtr::new(core::ptr::null_mut());

/// The rules the last policy change left inert, by [`inert_key`]: the
/// audit core keeps a rule whose label a new policy lacks (it answers
/// `EINVAL` when read again), and deleting it goes through
/// `audit_rule_init` again, which must then accept the label rather than
/// refuse it as unknown. Allocated by [`claim_secids`]; a spinlock, since
/// a rule may be made in atomic context (IMA's copies).
static INERT: Global<SpinLock<KVec<u64>>> = Global::new();

/// The key of a rule field in [`INERT`]: FNV-1a of the field and its
/// text. A collision only lets a rule on an unknown label be added inert.
fn inert_key(field: AuditField, text: &[u8]) -> u64 {
    [field.name().as_bytes(), b"=", text]
        .iter()
        .flat_map(|part| part.iter())
        .fold(0xcbf2_9ce4_8422_2325, |hash, &byte| {
            (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
        })
}

/// Has the audit core read every rule with label fields again
/// (`audit_update_lsm_rules()`), after a policy change: a rule naming a
/// label the new policy lacks stops matching, one naming a label it
/// gained starts. May sleep.
///
/// # Safety
///
/// Must be called with a lock held that serialises the callers (the
/// policy writer's), so that one task at a time is the revalidator.
pub(crate) unsafe fn update_audit_rules() -> Result {
    if !owns_secids() {
        return Ok(());
    }
    if let Some(inert) = INERT.get() {
        // Filled again below, with the rules this policy leaves inert.
        *inert.lock() = KVec::new();
    }
    REVALIDATOR.store(super::task::current_task(), Ordering::Release);
    // SAFETY: called in process context, with no spinlock held (the
    // caller holds a mutex); the audit core takes its own locks.
    let ret = unsafe { bindings::audit_update_lsm_rules() };
    REVALIDATOR.store(core::ptr::null_mut(), Ordering::Release);
    kernel::error::to_result(ret)
}

/// `ESTALE`: an audit rule was read under an earlier policy. The kernel
/// crate does not name it.
pub(crate) fn stale_rule() -> Error {
    Error::from_errno((bindings::ESTALE as i32).wrapping_neg())
}

fn rule_request() -> RuleRequest {
    if core::ptr::eq(
        REVALIDATOR.load(Ordering::Acquire),
        super::task::current_task(),
    ) {
        RuleRequest::Revalidation
    } else {
        RuleRequest::New
    }
}

/// The answer to `audit_rule_init` for a field naming a label the policy
/// lacks. `EINVAL` has the audit core keep the rule, inert (it logs
/// "audit rule for LSM ... is invalid"): for a rule read again after a
/// policy change, kept until a policy has the label again, and for the
/// deletion of such a rule, which must find it. Any other rule is
/// refused (`ENOENT`).
fn unknown_label(field: AuditField, text: &[u8], request: RuleRequest) -> Error {
    let key = inert_key(field, text);
    let name = core::str::from_utf8(text).unwrap_or("(not UTF-8)");
    let Some(inert) = INERT.get() else {
        return ENOENT;
    };
    let mut keys = inert.lock();
    match request {
        RuleRequest::Revalidation => {
            let remembered = keys.contains(&key) || keys.push(key, GFP_ATOMIC).is_ok();
            drop(keys);
            if !remembered {
                pr_warn!(
                    "audit rule {}={} kept inert, but cannot be deleted until a policy has it\n",
                    field.name(),
                    name
                );
            }
            EINVAL
        }
        RuleRequest::New if keys.contains(&key) => EINVAL,
        RuleRequest::New => {
            drop(keys);
            pr_info!(
                "audit rule refused: {}={} names no label of the policy\n",
                field.name(),
                name
            );
            ENOENT
        }
    }
}

/// The hooks that give the audit subsystem a module's labels.
///
/// Each is called only while the module owns the secids
/// ([`owns_secids`]); otherwise the framework's default applies.
pub(crate) trait SecidHooks: SecurityModule {
    /// The module's part of an audit rule field.
    type AuditRule: Send + Sync;

    /// `current_getsecid_subj`: the current task's subjective label.
    fn current_secid() -> u32;

    /// `task_getsecid_obj`: `task`'s objective label.
    fn task_secid(task: &Task) -> u32;

    /// `cred_getsecid`: the label of `cred`.
    fn cred_secid(cred: &Credentials) -> u32;

    /// `inode_getsecid`: the label `inode` has, without computing it (the
    /// caller may not sleep); 0 when it has none yet.
    fn inode_secid(inode: &Inode) -> u32;

    /// `secid_to_secctx`: runs `f` on the text of `secid`, without
    /// sleeping. `Err` when `secid` is not a label of the module.
    fn secid_text<R>(secid: u32, f: impl FnOnce(&[u8]) -> R) -> Result<R>;

    /// `audit_rule_init`: the module's part of an audit rule comparing
    /// `field` with `text` by `op`, or [`RuleLabel::Unknown`] when the
    /// policy lacks the label `text` (the framework refuses the rule, or
    /// keeps it inert after a policy change). `Err(EINVAL)` keeps the rule
    /// without it, inert (the audit core logs "audit rule for LSM ... is
    /// invalid"); any other error refuses the rule.
    fn audit_rule_init(
        field: AuditField,
        op: AuditOp,
        text: &[u8],
    ) -> Result<RuleLabel<Self::AuditRule>>;

    /// `audit_rule_known`: whether the module reads `field`.
    fn audit_rule_field(field: AuditField) -> bool;

    /// `audit_rule_match`: whether label `secid` matches `rule` (made for
    /// `field` and `op`). `Err(ESTALE)` when the rule was made under an
    /// earlier policy and is about to be read again.
    fn audit_rule_match(
        secid: u32,
        field: AuditField,
        op: AuditOp,
        rule: &Self::AuditRule,
    ) -> Result<bool>;
}

/// The `extern "C"` functions the static calls of this family jump to.
pub(crate) mod trampolines {
    use kernel::{
        alloc::{flags, Flags},
        bindings,
        ffi::{c_char, c_int, c_void},
        prelude::*,
    };

    use super::{
        owns_secids, rule_request, unknown_label, AuditField, AuditOp, RuleLabel, SecidHooks,
    };
    use crate::framework::{Credentials, Inode, Task};

    /// # Safety
    ///
    /// Called by `security_current_getsecid_subj()` with a writable secid.
    pub(crate) unsafe extern "C" fn current_getsecid_subj<M: SecidHooks>(secid: *mut u32) {
        if owns_secids() {
            // SAFETY: `secid` is writable.
            unsafe { *secid = M::current_secid() };
        }
    }

    /// # Safety
    ///
    /// Called by `security_task_getsecid_obj()` with a task the caller
    /// holds and a writable secid.
    pub(crate) unsafe extern "C" fn task_getsecid_obj<M: SecidHooks>(
        task: *mut bindings::task_struct,
        secid: *mut u32,
    ) {
        if owns_secids() {
            // SAFETY: the task stays valid during the call.
            let task = unsafe { Task::from_raw(task) };
            // SAFETY: `secid` is writable.
            unsafe { *secid = M::task_secid(task) };
        }
    }

    /// # Safety
    ///
    /// Called by `security_cred_getsecid()` with credentials the caller
    /// holds and a writable secid.
    pub(crate) unsafe extern "C" fn cred_getsecid<M: SecidHooks>(
        cred: *const bindings::cred,
        secid: *mut u32,
    ) {
        if owns_secids() {
            // SAFETY: the credentials stay valid during the call, with the
            // blob the framework gave them.
            let cred = unsafe { Credentials::from_raw(cred) };
            // SAFETY: `secid` is writable.
            unsafe { *secid = M::cred_secid(cred) };
        }
    }

    /// # Safety
    ///
    /// Called by `security_inode_getsecid()` with an inode the caller
    /// holds and a writable secid.
    pub(crate) unsafe extern "C" fn inode_getsecid<M: SecidHooks>(
        inode: *mut bindings::inode,
        secid: *mut u32,
    ) {
        if owns_secids() {
            // SAFETY: the inode stays valid during the call, with its blob.
            let inode = unsafe { Inode::from_raw(inode) };
            // SAFETY: `secid` is writable.
            unsafe { *secid = M::inode_secid(inode) };
        }
    }

    /// # Safety
    ///
    /// Called by `security_secid_to_secctx()`: `secdata`, when not null,
    /// receives a context the caller gives back to `release_secctx`;
    /// `seclen` is writable.
    pub(crate) unsafe extern "C" fn secid_to_secctx<M: SecidHooks>(
        secid: u32,
        secdata: *mut *mut c_char,
        seclen: *mut u32,
    ) -> c_int {
        if !owns_secids() {
            // Another LSM's secid: the hook's default lets the LSMs after
            // this one answer (0 would end the call with no context).
            return EOPNOTSUPP.to_errno();
        }
        let copied = M::secid_text(secid, |text| -> Result<(*mut c_char, u32)> {
            // With its NUL, counted, as SELinux's contexts.
            let len = text.len().checked_add(1).ok_or(EINVAL)?;
            let len32 = u32::try_from(len).map_err(|_| EINVAL)?;
            if secdata.is_null() {
                return Ok((core::ptr::null_mut(), len32));
            }
            let atomic = bindings::GFP_ATOMIC;
            // SAFETY: `krealloc(NULL, ...)` allocates; `GFP_ATOMIC`
            // because audit asks from any context.
            let raw = unsafe { bindings::krealloc_noprof(core::ptr::null(), len, atomic) };
            let buf: *mut u8 = raw.cast();
            if buf.is_null() {
                return Err(ENOMEM);
            }
            // SAFETY: `buf` has `len` bytes, `text` is `len - 1` bytes
            // that do not overlap it.
            unsafe {
                core::ptr::copy_nonoverlapping(text.as_ptr(), buf, text.len());
                buf.add(text.len()).write(0);
            }
            Ok((buf.cast(), len32))
        });
        match copied.and_then(|copied| copied) {
            Ok((buf, len)) => {
                if !secdata.is_null() {
                    // SAFETY: `secdata` is writable when not null.
                    unsafe { *secdata = buf };
                }
                // SAFETY: `seclen` is writable.
                unsafe { *seclen = len };
                0
            }
            Err(e) => e.to_errno(),
        }
    }

    /// # Safety
    ///
    /// Called by `security_release_secctx()` with a context
    /// `secid_to_secctx` gave.
    pub(crate) unsafe extern "C" fn release_secctx<M: SecidHooks>(
        secdata: *mut c_char,
        _seclen: u32,
    ) {
        if owns_secids() {
            // SAFETY: this module made the context (it owns the secids,
            // which does not change after boot) with `krealloc`; `kfree`
            // takes null too.
            unsafe { bindings::kfree(secdata.cast_const().cast()) };
        }
    }

    /// The allocation flags `gfp` asks for: sleeping or not.
    fn alloc_flags(gfp: bindings::gfp_t) -> Flags {
        if gfp & (1 << bindings::___GFP_DIRECT_RECLAIM_BIT) != 0 {
            flags::GFP_KERNEL
        } else {
            flags::GFP_ATOMIC
        }
    }

    /// # Safety
    ///
    /// Called by `security_audit_rule_init()` with a NUL-terminated
    /// `rulestr` and a writable `lsmrule`, which keeps what this function
    /// stores until `audit_rule_free`.
    pub(crate) unsafe extern "C" fn audit_rule_init<M: SecidHooks>(
        field: u32,
        op: u32,
        rulestr: *mut c_char,
        lsmrule: *mut *mut c_void,
        gfp: bindings::gfp_t,
    ) -> c_int {
        if !owns_secids() {
            return 0;
        }
        let Some(field) = AuditField::from_raw(field) else {
            return EINVAL.to_errno();
        };
        // SAFETY: the audit core passes a NUL-terminated string.
        let text = unsafe { crate::framework::c_name(rulestr) }.as_bytes();
        let rule = match M::audit_rule_init(field, AuditOp::from_raw(op), text) {
            Ok(RuleLabel::Known(rule)) => KBox::new(rule, alloc_flags(gfp)).map_err(|_| ENOMEM),
            Ok(RuleLabel::Unknown) => Err(unknown_label(field, text, rule_request())),
            Err(e) => Err(e),
        };
        match rule {
            Ok(rule) => {
                // SAFETY: `lsmrule` is writable; the audit core hands the
                // pointer back to `audit_rule_match` and `audit_rule_free`.
                unsafe { *lsmrule = KBox::into_raw(rule).cast() };
                0
            }
            Err(e) => {
                // SAFETY: as above; null is "no rule".
                unsafe { *lsmrule = core::ptr::null_mut() };
                e.to_errno()
            }
        }
    }

    /// # Safety
    ///
    /// Called by `security_audit_rule_known()` with a rule whose `fields`
    /// array has `field_count` entries.
    pub(crate) unsafe extern "C" fn audit_rule_known<M: SecidHooks>(
        krule: *mut bindings::audit_krule,
    ) -> c_int {
        if !owns_secids() {
            return 0;
        }
        // SAFETY: the audit core holds the rule (under its filter mutex)
        // during the call, with `field_count` fields.
        let fields = unsafe {
            let krule = &*krule;
            if krule.fields.is_null() {
                return 0;
            }
            core::slice::from_raw_parts(krule.fields, krule.field_count as usize)
        };
        let known = fields
            .iter()
            .any(|f| AuditField::from_raw(f.type_).is_some_and(|field| M::audit_rule_field(field)));
        c_int::from(known)
    }

    /// # Safety
    ///
    /// Called by `security_audit_rule_match()` with a rule made by
    /// `audit_rule_init` (or null), valid during the call (freed after an
    /// RCU grace period).
    pub(crate) unsafe extern "C" fn audit_rule_match<M: SecidHooks>(
        secid: u32,
        field: u32,
        op: u32,
        lsmrule: *mut c_void,
    ) -> c_int {
        if !owns_secids() || lsmrule.is_null() {
            return 0;
        }
        let Some(field) = AuditField::from_raw(field) else {
            return 0;
        };
        // SAFETY: while this module owns the secids, no other LSM makes
        // audit rules, so a non-null rule is one `audit_rule_init` made.
        let rule = unsafe { &*lsmrule.cast::<M::AuditRule>() };
        match M::audit_rule_match(secid, field, AuditOp::from_raw(op), rule) {
            Ok(matched) => c_int::from(matched),
            Err(e) => e.to_errno(),
        }
    }

    /// # Safety
    ///
    /// Called by `security_audit_rule_free()` with a rule made by
    /// `audit_rule_init` (or null), which nothing uses any more.
    pub(crate) unsafe extern "C" fn audit_rule_free<M: SecidHooks>(lsmrule: *mut c_void) {
        if owns_secids() && !lsmrule.is_null() {
            // SAFETY: as in `audit_rule_match`, the rule is this module's,
            // made by `KBox::into_raw`, and freed once.
            drop(unsafe { KBox::from_raw(lsmrule.cast::<M::AuditRule>()) });
        }
    }
}
