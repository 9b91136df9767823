// SPDX-License-Identifier: GPL-2.0

//! Domain transitions on execve and the process attributes that ask for
//! them (`/proc/PID/attr/{current,exec}`, `lsm_{get,set}_self_attr()`).

use kernel::prelude::*;

use crate::audit::AuditObject;
use crate::classmap::{perm, KernelClass};
use crate::domain::{current_sid, task_sid};
use crate::framework::{hook_list, BinaryLoad, Credentials, ExecHooks, ProcAttr, Task};
use crate::labels::inode_sid;
use crate::security_server::server;
use crate::Carapace;

hook_list!(pub(crate) EXEC_HOOKS: exec for Carapace => [
    bprm_creds_for_exec,
    getprocattr,
    setprocattr,
    getselfattr,
    setselfattr,
]);

impl ExecHooks for Carapace {
    /// `bprm_creds_for_exec`: the domain after the exec, from the exec label
    /// the task asked for or the policy's transition for the executable.
    fn bprm_creds_for_exec(bprm: &mut BinaryLoad) -> Result {
        let server = server()?;
        let old = *Credentials::current().security::<Carapace>();
        let (old_sid, old_exec_sid) = (old.sid(), old.exec_sid());
        if !server.policy_loaded() {
            // No policy: labels do not change.
            bprm.new_credentials()
                .security_mut::<Carapace>()
                .set_exec_sid(0);
            return Ok(());
        }
        let exec_sid = inode_sid(server, bprm.file().inode(), true)?;
        let transition = server
            .with_policy(|policy, db| {
                let domain = policy.type_of(db, old_sid);
                db.transition(domain, policy.type_of(db, exec_sid))
                    .map(|t| policy.sid_of(t))
            })
            .flatten();
        let new_sid = match old_exec_sid {
            0 => transition.unwrap_or(old_sid),
            requested => requested,
        };
        let file = AuditObject::File(bprm.file());
        if new_sid == old_sid {
            server.has_perm(
                old_sid,
                exec_sid,
                KernelClass::File,
                perm::FILE_EXECUTE_NO_TRANS,
                file,
                true,
            )?;
        } else {
            server.has_perm(
                old_sid,
                new_sid,
                KernelClass::Process,
                perm::PROCESS_TRANSITION,
                file,
                true,
            )?;
            server.has_perm(
                new_sid,
                exec_sid,
                KernelClass::File,
                perm::FILE_ENTRYPOINT,
                file,
                true,
            )?;
            if bprm.no_new_privs() {
                server.has_perm(
                    old_sid,
                    new_sid,
                    KernelClass::Process2,
                    perm::PROCESS2_NNP_TRANSITION,
                    file,
                    true,
                )?;
            }
            // A new domain must not inherit an environment that could
            // subvert it, unless the policy trusts the old one.
            if server
                .has_perm(
                    old_sid,
                    new_sid,
                    KernelClass::Process,
                    perm::PROCESS_NOATSECURE,
                    file,
                    false,
                )
                .is_err()
            {
                bprm.set_secure_exec();
            }
        }
        bprm.new_credentials()
            .security_mut::<Carapace>()
            .set_sid(new_sid);
        Ok(())
    }

    /// The label `attr` of `task`: its domain, or the domain it asked to
    /// enter at the next exec (empty if none).
    fn getprocattr(task: &Task, attr: ProcAttr) -> Result<KVec<u8>> {
        let sid = match attr {
            ProcAttr::Current => task_sid(task),
            ProcAttr::Exec => {
                match task.with_credentials(|cred| cred.security::<Carapace>().exec_sid()) {
                    0 => return Ok(KVec::new()),
                    sid => sid,
                }
            }
        };
        let mut text = KVec::new();
        server()?.sid_name(sid, &mut text)?;
        Ok(text)
    }

    /// Sets the current task's exec label (`setexec`); the current domain
    /// changes only by exec.
    fn setprocattr(attr: ProcAttr, name: &[u8]) -> Result {
        if attr != ProcAttr::Exec {
            return Err(EINVAL);
        }
        let server = server()?;
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
        Credentials::current().modify(|new| {
            new.security_mut::<Carapace>().set_exec_sid(exec_sid);
            Ok(())
        })
    }
}
