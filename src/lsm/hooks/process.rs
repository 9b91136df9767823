// SPDX-License-Identifier: GPL-2.0

//! Credentials and capabilities; fork, signals, ptrace and `/proc/PID`
//! labels.

use kernel::prelude::*;

use crate::audit::AuditObject;
use crate::classmap::{cap_to_class_perm, perm, KernelClass};
use crate::domain::{cred_sid, current_sid, task_sid};
use crate::framework::{
    hook_list, CapOpts, Capability, CredHooks, Credentials, Inode, LimitAccess, NewCredentials,
    PtraceMode, Signal, Task, TaskHooks, TaskOperation, UserNamespace,
};
use crate::last_decision::SelfAccess;
use crate::security_server::{server, Grant, DECISIONS};
use crate::Carapace;

hook_list!(pub(crate) CRED_HOOKS: cred for Carapace => [
    capable,
    cred_prepare,
    cred_transfer,
    capget,
    capset,
    userns_create,
]);

hook_list!(pub(crate) TASK_HOOKS: task for Carapace => [
    task_alloc,
    ptrace_access_check,
    ptrace_traceme,
    task_kill,
    task_to_inode,
    task_setpgid,
    task_getpgid,
    task_getsid,
    task_setnice,
    task_setioprio,
    task_getioprio,
    task_setscheduler,
    task_getscheduler,
    task_movememory,
    task_prlimit,
    task_setrlimit,
]);

impl CredHooks for Carapace {
    /// `capable`: `capability`/`capability2` in the initial user
    /// namespace, `cap_userns`/`cap2_userns` in others; source = target =
    /// the domain. Does not sleep. A grant in the initial namespace is
    /// remembered by the credentials ([`SelfAccess`]).
    #[inline]
    fn capable(cred: &Credentials, ns: &UserNamespace, cap: Capability, opts: CapOpts) -> Result {
        let remembered = ns
            .is_initial()
            .then(|| SelfAccess::capability(cap.0))
            .flatten();
        if let Some(access) = remembered {
            let generation = DECISIONS.current();
            if cred.security::<Carapace>().granted_self(generation, access) {
                return Ok(());
            }
        }
        capable_checked(cred, ns, cap, opts, remembered)
    }

    /// `cred_prepare`, `cred_transfer`: the copy keeps the domain.
    fn cred_prepare(new: &mut NewCredentials, old: &Credentials) -> Result {
        new.security_mut::<Carapace>()
            .copy_labels(old.security::<Carapace>());
        Ok(())
    }

    /// `capget`: `process { getcap }` on the target's domain.
    fn capget(target: &Task) -> Result {
        process_perm(current_sid(), task_sid(target), perm::PROCESS_GETCAP)
    }

    /// `capset`: `process { setcap }` on the domain itself.
    fn capset(new: &NewCredentials, old: &Credentials) -> Result {
        let new = new.security::<Carapace>().sid();
        process_perm(cred_sid(old), new, perm::PROCESS_SETCAP)
    }

    /// `userns_create`: `user_namespace { create }` on the domain itself.
    fn userns_create(cred: &Credentials) -> Result {
        let sid = cred_sid(cred);
        server()?.has_perm(
            sid,
            sid,
            KernelClass::UserNamespace,
            perm::USER_NAMESPACE_CREATE,
            AuditObject::None,
            true,
        )
    }
}

impl TaskHooks for Carapace {
    /// `task_alloc`: `process { fork }` on the current domain itself,
    /// remembered by the credentials once granted.
    #[inline]
    fn task_alloc(_task: &Task) -> Result {
        let generation = DECISIONS.current();
        let current = Credentials::current();
        let task = current.security::<Carapace>();
        if task.granted_self(generation, SelfAccess::FORK) {
            return Ok(());
        }
        let sid = task.sid();
        let class = KernelClass::Process;
        let object = AuditObject::None;
        let grant = server()?.check(sid, sid, class, perm::PROCESS_FORK, object, true)?;
        if grant == Grant::Clean {
            task.record_self(generation, SelfAccess::FORK);
        }
        Ok(())
    }

    /// `ptrace_access_check`: attaching needs `process { ptrace }`;
    /// reading the task's state (`/proc/PID` files) needs `file { read }`
    /// on its domain, as in SELinux.
    fn ptrace_access_check(child: &Task, mode: PtraceMode) -> Result {
        let (sid, target) = (current_sid(), task_sid(child));
        if mode.read_only() {
            return server()?.has_perm(
                sid,
                target,
                KernelClass::File,
                perm::FILE_READ,
                AuditObject::None,
                true,
            );
        }
        process_perm(sid, target, perm::PROCESS_PTRACE)
    }

    /// `ptrace_traceme`: the parent needs `process { ptrace }` on the task.
    fn ptrace_traceme(parent: &Task) -> Result {
        process_perm(task_sid(parent), current_sid(), perm::PROCESS_PTRACE)
    }

    /// `task_kill`: `sigkill`, `sigstop`, `sigchld`, `signull` (signal 0)
    /// or `signal` for any other signal.
    #[inline]
    fn task_kill(target: &Task, sig: Signal, sender: Option<&Credentials>) -> Result {
        let source = sender.map_or_else(current_sid, cred_sid);
        process_perm(source, task_sid(target), signal_perm(sig))
    }

    /// `task_to_inode`: a `/proc/PID` entry carries its task's domain.
    fn task_to_inode(task: &Task, inode: &Inode) {
        inode.security::<Carapace>().set_task_label(task_sid(task));
    }

    /// The operations of one task on another: `setpgid`, `getpgid`,
    /// `getsession`, `setsched` (nice, I/O priority, scheduler, memory
    /// placement) and `getsched`, on the target's domain.
    fn task_operation(target: &Task, op: TaskOperation) -> Result {
        let requested = match op {
            TaskOperation::SetPgid => perm::PROCESS_SETPGID,
            TaskOperation::GetPgid => perm::PROCESS_GETPGID,
            TaskOperation::GetSid => perm::PROCESS_GETSESSION,
            TaskOperation::SetNice
            | TaskOperation::SetIoprio
            | TaskOperation::SetScheduler
            | TaskOperation::MoveMemory => perm::PROCESS_SETSCHED,
            TaskOperation::GetIoprio | TaskOperation::GetScheduler => perm::PROCESS_GETSCHED,
        };
        process_perm(current_sid(), task_sid(target), requested)
    }

    /// `task_prlimit`: `getrlimit` and `setrlimit` on the target's domain.
    fn task_prlimit(cred: &Credentials, target: &Credentials, access: LimitAccess) -> Result {
        let mut requested = 0;
        if access.reads() {
            requested |= perm::PROCESS_GETRLIMIT;
        }
        if access.writes() {
            requested |= perm::PROCESS_SETRLIMIT;
        }
        process_perm(cred_sid(cred), cred_sid(target), requested)
    }

    /// `task_setrlimit`: changing a hard limit needs `setrlimit` on the
    /// target's domain; soft limits move freely below it, as in SELinux.
    fn task_setrlimit(target: &Task, hard_changes: bool) -> Result {
        if !hard_changes {
            return Ok(());
        }
        process_perm(current_sid(), task_sid(target), perm::PROCESS_SETRLIMIT)
    }
}

/// The `process` permission that sending `sig` needs: `sigkill`,
/// `sigstop`, `sigchld`, `signull` (signal 0) or `signal`.
pub(super) fn signal_perm(sig: Signal) -> u32 {
    match sig {
        Signal(0) => perm::PROCESS_SIGNULL,
        Signal::KILL => perm::PROCESS_SIGKILL,
        Signal::STOP => perm::PROCESS_SIGSTOP,
        Signal::CHLD => perm::PROCESS_SIGCHLD,
        _ => perm::PROCESS_SIGNAL,
    }
}

/// [`CredHooks::capable`] when the credentials do not remember a grant;
/// records the grant if `remembered` says it may be.
#[inline(never)]
fn capable_checked(
    cred: &Credentials,
    ns: &UserNamespace,
    cap: Capability,
    opts: CapOpts,
    remembered: Option<SelfAccess>,
) -> Result {
    // Before the decision, as for every recorded grant.
    let generation = DECISIONS.current();
    let Some((class, requested)) = cap_to_class_perm(cap.0, ns.is_initial()) else {
        return Err(EINVAL);
    };
    let task = cred.security::<Carapace>();
    let sid = task.sid();
    let server = server()?;
    let object = AuditObject::Capability(cap.0);
    // A clean grant is one whether or not this check is audited.
    let grant = server
        .check(sid, sid, class, requested, object, !opts.no_audit())
        .map_err(|_| EPERM)?;
    if let (Grant::Clean, Some(access)) = (grant, remembered) {
        task.record_self(generation, access);
    }
    Ok(())
}

fn process_perm(source: u32, target: u32, requested: u32) -> Result {
    server()?.has_perm(
        source,
        target,
        KernelClass::Process,
        requested,
        AuditObject::None,
        true,
    )
}
