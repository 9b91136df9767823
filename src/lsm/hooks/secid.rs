// SPDX-License-Identifier: GPL-2.0

//! Carapace's labels for the audit subsystem: the secids of tasks,
//! credentials and inodes (a secid is a carapace SID), their text (the
//! type name, as `subj=` and `obj=` in audit records), and audit rules on
//! types, `auditctl -F subj_type=T` and `-F obj_type=T` with `=` or `!=`,
//! as SELinux has them.
//!
//! Carapace has no users, roles or MLS levels: a rule on `subj_user`,
//! `subj_role`, `subj_sen`, `subj_clr`, `obj_user`, `obj_role`,
//! `obj_lev_low` or `obj_lev_high` could never match and is refused
//! (`EOPNOTSUPP`). A rule naming a type the policy lacks is refused too
//! (`ENOENT`; the audit core would keep an `EINVAL` one, inert, with only
//! a kernel log line to show for it). A policy load has the audit core
//! read every rule again: a rule whose type the new policy dropped stays,
//! but no longer matches (as SELinux's, it is kept for a later policy that
//! has the type again, and `auditctl -d` can still delete it); until it
//! is read again, it answers `ESTALE`.

use kernel::prelude::*;

use crate::domain::{cred_sid, current_sid, task_sid};
use crate::framework::secid::{stale_rule, AuditField, AuditOp, RuleLabel, SecidHooks};
use crate::framework::{Credentials, Inode, Task};
use crate::policy::{InitialSid, TypeId};
use crate::policy_store::Sid;
use crate::security_server::server;
use crate::Carapace;

crate::framework::hook_list!(pub(crate) SECID_HOOKS: secid for Carapace => [
    current_getsecid_subj,
    task_getsecid_obj,
    cred_getsecid,
    inode_getsecid,
    secid_to_secctx,
    release_secctx,
    audit_rule_init,
    audit_rule_known,
    audit_rule_match,
    audit_rule_free,
]);

/// The carapace part of an audit rule field: the type it names, in the
/// policy it was read under.
pub(crate) struct TypeRule {
    type_id: TypeId,
    /// The load number of that policy.
    seqno: u32,
}

/// The secid of domain `sid`. A task labelled before the first policy
/// load has SID 0, which the policy reads as the `kernel` initial label:
/// that label's SID, so that its records name it (the audit subsystem
/// leaves `subj=` out for secid 0). 0 while no policy is loaded.
fn domain_secid(sid: Sid) -> u32 {
    if sid != 0 {
        return sid;
    }
    server()
        .ok()
        .and_then(|server| server.with_policy(|policy, db| policy.initial(db, InitialSid::Kernel)))
        .unwrap_or(0)
}

impl SecidHooks for Carapace {
    type AuditRule = TypeRule;

    fn current_secid() -> u32 {
        domain_secid(current_sid())
    }

    fn task_secid(task: &Task) -> u32 {
        domain_secid(task_sid(task))
    }

    fn cred_secid(cred: &Credentials) -> u32 {
        domain_secid(cred_sid(cred))
    }

    /// The label the inode has; `unlabeled` while it has none (as SELinux
    /// reports an inode it has not initialised yet), 0 before any policy.
    fn inode_secid(inode: &Inode) -> u32 {
        if let Some(sid) = inode.security::<Carapace>().last_sid() {
            return sid;
        }
        server()
            .ok()
            .and_then(|server| {
                server.with_policy(|policy, db| policy.initial(db, InitialSid::Unlabeled))
            })
            .unwrap_or(0)
    }

    /// The type name; `kernel` before any policy is loaded.
    fn secid_text<R>(secid: u32, f: impl FnOnce(&[u8]) -> R) -> Result<R> {
        let server = server()?;
        let mut f = Some(f);
        let named = server
            .with_policy(|policy, db| f.take().map(|f| f(db.type_name(policy.type_of(db, secid)))));
        match (named.flatten(), f) {
            (Some(r), _) => Ok(r),
            (None, Some(f)) => Ok(f(b"kernel")),
            (None, None) => Err(EINVAL),
        }
    }

    fn audit_rule_init(field: AuditField, op: AuditOp, text: &[u8]) -> Result<RuleLabel<TypeRule>> {
        if !matches!(field, AuditField::SubjectType | AuditField::ObjectType) {
            pr_info!(
                "audit rule on {} refused: carapace labels have types only\n",
                field.name()
            );
            return Err(EOPNOTSUPP);
        }
        if op == AuditOp::Other {
            // The audit core allows only = and != on these fields.
            return Err(EINVAL);
        }
        let server = server()?;
        let found = server.with_policy(|policy, db| {
            db.type_by_name(text).map(|type_id| TypeRule {
                type_id,
                seqno: policy.seqno(),
            })
        });
        match found {
            Some(Some(rule)) => Ok(RuleLabel::Known(rule)),
            Some(None) => Ok(RuleLabel::Unknown),
            None => {
                pr_info!("audit rule refused: no carapace policy is loaded\n");
                Err(EOPNOTSUPP)
            }
        }
    }

    fn audit_rule_field(field: AuditField) -> bool {
        matches!(field, AuditField::SubjectType | AuditField::ObjectType)
    }

    fn audit_rule_match(
        secid: u32,
        _field: AuditField,
        op: AuditOp,
        rule: &TypeRule,
    ) -> Result<bool> {
        let server = server()?;
        let same = server.with_loaded_policy(|policy| {
            if policy.seqno() != rule.seqno {
                return Err(stale_rule());
            }
            let db = policy.db();
            Ok(policy.type_of(&db, secid) == rule.type_id)
        });
        match (same, op) {
            (Some(Ok(same)), AuditOp::Equal) => Ok(same),
            (Some(Ok(same)), AuditOp::NotEqual) => Ok(!same),
            (Some(Err(e)), _) => Err(e),
            (Some(Ok(_)), AuditOp::Other) | (None, _) => Ok(false),
        }
    }
}
