// SPDX-License-Identifier: GPL-2.0

//! Domain transitions on execve and the process attributes that ask for
//! them (`/proc/PID/attr/{current,exec}`, `lsm_{get,set}_self_attr()`).

use kernel::prelude::*;

use super::file::close_unusable_files;
use super::inode::{inode_check, inode_granted_under};
use crate::audit::AuditObject;
use crate::classmap::{perm, KernelClass};
use crate::domain::{cred_sid, current_sid, task_sid, TaskSecurity};
use crate::framework::{
    exec::reset, hook_list, BinaryLoad, Credentials, ExecHooks, ProcAttr, Task,
};
use crate::labels::inode_label;
use crate::last_decision::Access;
use crate::policy_store::Sid;
use crate::security_server::{server, server_with_policy, SecurityServer, DECISIONS};
use crate::Carapace;

hook_list!(pub(crate) EXEC_HOOKS: exec for Carapace => [
    bprm_creds_for_exec,
    getprocattr,
    setprocattr,
    getselfattr,
    setselfattr,
    bprm_committing_creds,
    bprm_committed_creds,
]);

impl ExecHooks for Carapace {
    /// `bprm_creds_for_exec`: the domain after the exec, from the exec label
    /// the task asked for or the policy's transition for the executable.
    fn bprm_creds_for_exec(bprm: &mut BinaryLoad) -> Result {
        let current = Credentials::current();
        let new_sid = exec_domain(server()?, bprm, current.security::<Carapace>())?;
        bprm.new_credentials()
            .security_mut::<Carapace>()
            .exec_into(new_sid);
        Ok(())
    }

    /// `bprm_committing_creds`: on a domain change, the descriptors the new
    /// domain may not use are replaced, the parent-death signal is
    /// cleared, and the resource limits are reset unless the policy lets
    /// the new domain inherit them (`process { rlimitinh }`).
    fn bprm_committing_creds(bprm: &BinaryLoad) {
        let Some(server) = server_with_policy() else {
            return;
        };
        let (old, new) = (current_sid(), cred_sid(bprm.credentials()));
        if old == new {
            return;
        }
        close_unusable_files(server, bprm.credentials());
        reset::parent_death_signal();
        if process_perm(server, old, new, perm::PROCESS_RLIMITINH).is_err() {
            reset::resource_limits();
        }
    }

    /// `bprm_committed_creds`: on a domain change, pending signals, signal
    /// handlers and interval timers are dropped unless the policy lets the
    /// new domain inherit them (`process { siginh }`); a waiting parent is
    /// woken to check again whether it may wait for the new domain.
    fn bprm_committed_creds(_bprm: &BinaryLoad) {
        let Some(server) = server_with_policy() else {
            return;
        };
        let current = Credentials::current();
        let task = current.security::<Carapace>();
        let (old, new) = (task.prev_sid(), task.sid());
        if old == new {
            return;
        }
        if process_perm(server, old, new, perm::PROCESS_SIGINH).is_err() {
            reset::signals();
        }
        reset::wake_parent();
    }

    /// The label `attr` of `task`: its domain, or the domain it asked to
    /// enter at the next exec (empty if none).
    fn getprocattr(task: &Task, attr: ProcAttr) -> Result<KVec<u8>> {
        let server = server()?;
        if !task.is_current() {
            // Another task's attributes: `process { getattr }`, as SELinux.
            process_perm(server, current_sid(), task_sid(task), perm::PROCESS_GETATTR)?;
        }
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
        server.sid_name(sid, &mut text)?;
        Ok(text)
    }

    /// Sets the current task's exec label (`setexec`), or its current
    /// domain (a dynamic transition).
    fn setprocattr(attr: ProcAttr, name: &[u8]) -> Result {
        match attr {
            ProcAttr::Exec => set_exec_label(name),
            ProcAttr::Current => set_current_domain(name),
        }
    }
}

/// `/proc/self/attr/exec`, `lsm_set_self_attr(LSM_ATTR_EXEC)`: the domain
/// to enter at the next execve (none when `name` is empty); needs
/// `process { setexec }` on the current domain.
fn set_exec_label(name: &[u8]) -> Result {
    let server = server()?;
    let sid = current_sid();
    process_perm(server, sid, sid, perm::PROCESS_SETEXEC)?;
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

/// `/proc/self/attr/current`, `lsm_set_self_attr(LSM_ATTR_CURRENT)`: a
/// dynamic transition of the current task to the domain `name`, as in
/// SELinux: `process { setcurrent }` on the current domain, then
/// `process { dyntransition }` to the new one. Only a single-threaded task
/// may change (carapace has no bounded types; `EPERM` otherwise), and a
/// traced one only if its tracer may trace the new domain (`process {
/// ptrace }`, else `EPERM`).
fn set_current_domain(name: &[u8]) -> Result {
    let server = server()?;
    let sid = current_sid();
    process_perm(server, sid, sid, perm::PROCESS_SETCURRENT)?;
    let new_sid = server.sid_by_name(name).ok_or(EINVAL)?;
    if new_sid == sid {
        return Ok(());
    }
    if !Task::current_is_single_threaded() {
        return Err(EPERM);
    }
    process_perm(server, sid, new_sid, perm::PROCESS_DYNTRANSITION)?;
    if let Some(tracer) = Task::with_current_tracer(task_sid) {
        process_perm(server, tracer, new_sid, perm::PROCESS_PTRACE).map_err(|_| EPERM)?;
    }
    Credentials::current().modify(|new| {
        new.security_mut::<Carapace>().dyntransition_into(new_sid);
        Ok(())
    })
}

/// The domain a task with labels `old` enters by the exec `bprm`, once
/// the checks it needs passed.
fn exec_domain(server: &SecurityServer, bprm: &mut BinaryLoad, old: &TaskSecurity) -> Result<Sid> {
    let old_sid = old.sid();
    if !server.policy_loaded() {
        // No policy: labels do not change.
        return Ok(old_sid);
    }
    // Before the file's label and the transition lookup: a policy load
    // meanwhile leaves what is recorded below under an older generation.
    let generation = DECISIONS.current();
    let file = bprm.file();
    // A domain that ran this file without a transition, under the current
    // generation (same policy) and the same label, runs it so again: the
    // policy has no transition for it (see below).
    let remembered = Access::EXECUTE_NO_TRANS;
    if old.exec_sid() == 0 && inode_granted_under(file.inode(), old_sid, generation, remembered) {
        return Ok(old_sid);
    }
    let label = inode_label(server, file.inode(), true)?;
    let exec_sid = label.sid;
    // `plain`: no transition applies, so the file's last decision may
    // record `execute_no_trans` as the proof used above.
    let (new_sid, plain) = match old.exec_sid() {
        0 => match transition_sid(server, old_sid, exec_sid) {
            None => (old_sid, true),
            Some(new) if new == old_sid => (old_sid, true),
            // Under no_new_privs or from a nosuid mount, a transition the
            // policy does not allow there is not taken: the program runs
            // in the old domain (as in SELinux).
            Some(new) if nnp_nosuid_check(server, bprm, old_sid, new).is_ok() => (new, false),
            Some(_) => (old_sid, false),
        },
        requested => {
            nnp_nosuid_check(server, bprm, old_sid, requested)?;
            (requested, false)
        }
    };
    if new_sid != old_sid {
        check_transition(server, bprm, old_sid, new_sid, exec_sid)?;
    } else if plain {
        // The executable is a regular file (`file` class), and the current
        // domain the subject.
        let object = AuditObject::File(file);
        inode_check(server, file.inode(), label, generation, remembered, object)?;
    } else {
        let requested = perm::FILE_EXECUTE_NO_TRANS;
        let object = AuditObject::File(file);
        server.has_perm(
            old_sid,
            exec_sid,
            KernelClass::File,
            requested,
            object,
            true,
        )?;
    }
    Ok(new_sid)
}

/// The domain the policy's `type_transition` gives `domain` executing a
/// file labelled `exec`.
fn transition_sid(server: &SecurityServer, domain: Sid, exec: Sid) -> Option<Sid> {
    server
        .with_policy(|policy, db| {
            db.transition(policy.type_of(db, domain), policy.type_of(db, exec))
                .map(|t| policy.sid_of(t))
        })
        .flatten()
}

/// A transition from `old` to `new` under `no_new_privs` or from a
/// `nosuid` mount needs `process2 { nnp_transition }` or
/// `{ nosuid_transition }`: else `EPERM` (no_new_privs) or `EACCES`.
fn nnp_nosuid_check(server: &SecurityServer, bprm: &BinaryLoad, old: Sid, new: Sid) -> Result {
    let (nnp, nosuid) = (bprm.no_new_privs(), bprm.nosuid());
    if old == new || !(nnp || nosuid) {
        return Ok(());
    }
    let mut requested = 0;
    if nnp {
        requested |= perm::PROCESS2_NNP_TRANSITION;
    }
    if nosuid {
        requested |= perm::PROCESS2_NOSUID_TRANSITION;
    }
    let file = AuditObject::File(bprm.file());
    server
        .has_perm(old, new, KernelClass::Process2, requested, file, true)
        .map_err(|_| if nnp { EPERM } else { EACCES })
}

/// What a change of domain from `old` to `new` by executing a file
/// labelled `exec` needs: `process { transition }`, `file { entrypoint }`
/// for the new domain, `process { share }` when the task shares state
/// with another, and `process { ptrace }` from the tracer's domain when it
/// is traced (else `EPERM`, as in SELinux). Asks for a secure exec unless
/// `process { noatsecure }` trusts the old domain's environment.
fn check_transition(
    server: &SecurityServer,
    bprm: &mut BinaryLoad,
    old: Sid,
    new: Sid,
    exec: Sid,
) -> Result {
    let file = AuditObject::File(bprm.file());
    let process = KernelClass::Process;
    server.has_perm(old, new, process, perm::PROCESS_TRANSITION, file, true)?;
    server.has_perm(
        new,
        exec,
        KernelClass::File,
        perm::FILE_ENTRYPOINT,
        file,
        true,
    )?;
    if bprm.shares_state() {
        server
            .has_perm(old, new, process, perm::PROCESS_SHARE, file, true)
            .map_err(|_| EPERM)?;
    }
    if bprm.traced() {
        if let Some(tracer) = Task::with_current_tracer(task_sid) {
            server
                .has_perm(tracer, new, process, perm::PROCESS_PTRACE, file, true)
                .map_err(|_| EPERM)?;
        }
    }
    let trusted = server.has_perm(old, new, process, perm::PROCESS_NOATSECURE, file, false);
    if trusted.is_err() {
        bprm.set_secure_exec();
    }
    Ok(())
}

/// `process { requested }` from `source` on `target`, audited.
fn process_perm(server: &SecurityServer, source: Sid, target: Sid, requested: u32) -> Result {
    let process = KernelClass::Process;
    server.has_perm(source, target, process, requested, AuditObject::None, true)
}
