// SPDX-License-Identifier: GPL-2.0

//! The hook functions: what carapace decides for each mediated operation.
//! Each maps an operation to classmap permissions, as SELinux does.

use kernel::prelude::*;

use crate::classmap::{cap_to_class_perm, perm, KernelClass};
use crate::lsm::{
    BinaryLoad, CapOpts, Capability, Credentials, NewCredentials, ProcAttr, SecurityModule, Task,
    UserNamespace,
};
use crate::policy::InitialSid;
use crate::policy_store::Sid;
use crate::security_server::{AuditObject, SecurityServer, SERVER};
use crate::Carapace;

/// Carapace's part of a task's credentials.
#[derive(Clone, Copy, Zeroable)]
pub(crate) struct TaskSecurity {
    /// The task's domain.
    sid: Sid,
    /// The domain to enter at the next execve (0: none requested).
    exec_sid: Sid,
}

/// Longest label read from a file's `security.carapace` attribute.
const MAX_LABEL: usize = 256;

fn server() -> Result<&'static SecurityServer> {
    // Set in `init` before the hooks can run; `EINVAL` is unreachable.
    SERVER.get().ok_or(EINVAL)
}

/// The domain of the current task.
pub(crate) fn current_sid() -> Sid {
    Credentials::current().security::<Carapace>().sid
}

impl SecurityModule for Carapace {
    type CredSecurity = TaskSecurity;

    fn init() -> Result {
        let server = KBox::pin_init(SecurityServer::new(crate::boot_enforcing()), GFP_KERNEL)?;
        SERVER.set(server)?;
        pr_info!("initialized, no policy loaded: allowing all accesses\n");
        Ok(())
    }

    fn capable(cred: &Credentials, ns: &UserNamespace, cap: Capability, opts: CapOpts) -> Result {
        let Some((class, requested)) = cap_to_class_perm(cap.0, ns.is_initial()) else {
            return Err(EINVAL);
        };
        let sid = cred.security::<Carapace>().sid;
        server()?
            .has_perm(
                sid,
                sid,
                class,
                requested,
                AuditObject::Capability(cap.0),
                !opts.no_audit(),
            )
            .map_err(|_| EPERM)
    }

    fn cred_prepare(new: &mut NewCredentials, old: &Credentials) -> Result {
        *new.security_mut::<Carapace>() = *old.security::<Carapace>();
        Ok(())
    }

    fn bprm_creds_for_exec(bprm: &mut BinaryLoad) -> Result {
        let server = server()?;
        let old = *Credentials::current().security::<Carapace>();
        let mut buf = [0u8; MAX_LABEL];
        let label = bprm.executable_label(&mut buf);
        // The executable's label and the policy's transition for it, in
        // one look at the policy.
        let Some((exec_sid, transition)) = server.with_policy(|policy, db| {
            let exec_sid = label
                .and_then(|l| policy.sid_by_name(db, l))
                .unwrap_or_else(|| policy.initial(db, InitialSid::File));
            let domain = policy.type_of(db, old.sid);
            let transition = db
                .transition(domain, policy.type_of(db, exec_sid))
                .map(|t| policy.sid_of(t));
            (exec_sid, transition)
        }) else {
            // No policy: labels do not change.
            bprm.new_credentials().security_mut::<Carapace>().exec_sid = 0;
            return Ok(());
        };
        let new_sid = match old.exec_sid {
            0 => transition.unwrap_or(old.sid),
            requested => requested,
        };
        let name = AuditObject::None;
        if new_sid == old.sid {
            server.has_perm(
                old.sid,
                exec_sid,
                KernelClass::File,
                perm::FILE_EXECUTE_NO_TRANS,
                name,
                true,
            )?;
        } else {
            server.has_perm(
                old.sid,
                new_sid,
                KernelClass::Process,
                perm::PROCESS_TRANSITION,
                name,
                true,
            )?;
            server.has_perm(
                new_sid,
                exec_sid,
                KernelClass::File,
                perm::FILE_ENTRYPOINT,
                name,
                true,
            )?;
            if bprm.no_new_privs() {
                server.has_perm(
                    old.sid,
                    new_sid,
                    KernelClass::Process2,
                    perm::PROCESS2_NNP_TRANSITION,
                    name,
                    true,
                )?;
            }
            // A new domain must not inherit an environment that could
            // subvert it, unless the policy trusts the old one.
            if server
                .has_perm(
                    old.sid,
                    new_sid,
                    KernelClass::Process,
                    perm::PROCESS_NOATSECURE,
                    name,
                    false,
                )
                .is_err()
            {
                bprm.set_secure_exec();
            }
        }
        let new = bprm.new_credentials().security_mut::<Carapace>();
        new.sid = new_sid;
        new.exec_sid = 0;
        Ok(())
    }

    fn getprocattr(task: &Task, attr: ProcAttr) -> Result<KVec<u8>> {
        let label = task.with_credentials(|cred| *cred.security::<Carapace>());
        let sid = match attr {
            ProcAttr::Current => label.sid,
            ProcAttr::Exec if label.exec_sid == 0 => return Ok(KVec::new()),
            ProcAttr::Exec => label.exec_sid,
        };
        let mut text = KVec::new();
        server()?.sid_name(sid, &mut text)?;
        text.push(b'\n', GFP_KERNEL)?;
        Ok(text)
    }

    fn setprocattr(attr: ProcAttr, value: &[u8]) -> Result {
        if attr != ProcAttr::Exec {
            return Err(EINVAL);
        }
        let server = server()?;
        let name = value.strip_suffix(b"\0").unwrap_or(value);
        let name = name.strip_suffix(b"\n").unwrap_or(name);
        let sid = current_sid();
        server.has_perm(
            sid,
            sid,
            KernelClass::Process,
            perm::PROCESS_SETEXEC,
            AuditObject::None,
            true,
        )?;
        let exec_sid = if name.is_empty() {
            0
        } else {
            server.sid_by_name(name).ok_or(EINVAL)?
        };
        NewCredentials::modify_current(|new| {
            new.security_mut::<Carapace>().exec_sid = exec_sid;
            Ok(())
        })
    }
}
