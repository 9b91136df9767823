// SPDX-License-Identifier: GPL-2.0

//! Credentials and capabilities; fork, signals, ptrace and `/proc/PID`
//! labels.

use kernel::prelude::*;

use crate::audit::AuditObject;
use crate::classmap::{cap_to_class_perm, perm, KernelClass};
use crate::domain::{cred_sid, current_sid, task_sid};
use crate::framework::{
    hook_list, CapOpts, Capability, CredHooks, Credentials, Inode, NewCredentials, PtraceMode,
    Signal, Task, TaskHooks, UserNamespace,
};
use crate::security_server::server;
use crate::Carapace;

hook_list!(pub(crate) CRED_HOOKS: cred for Carapace => [capable, cred_prepare, cred_transfer]);

hook_list!(pub(crate) TASK_HOOKS: task for Carapace => [
    task_alloc,
    ptrace_access_check,
    ptrace_traceme,
    task_kill,
    task_to_inode,
]);

impl CredHooks for Carapace {
    /// `capable`: `capability`/`capability2` in the initial user
    /// namespace, `cap_userns`/`cap2_userns` in others; source = target =
    /// the domain. Does not sleep.
    #[inline]
    fn capable(cred: &Credentials, ns: &UserNamespace, cap: Capability, opts: CapOpts) -> Result {
        let Some((class, requested)) = cap_to_class_perm(cap.0, ns.is_initial()) else {
            return Err(EINVAL);
        };
        let sid = cred_sid(cred);
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

    /// `cred_prepare`, `cred_transfer`: the copy keeps the domain.
    fn cred_prepare(new: &mut NewCredentials, old: &Credentials) -> Result {
        *new.security_mut::<Carapace>() = *old.security::<Carapace>();
        Ok(())
    }
}

impl TaskHooks for Carapace {
    /// `task_alloc`: `process { fork }` on the current domain itself.
    #[inline]
    fn task_alloc(_task: &Task) -> Result {
        let sid = current_sid();
        process_perm(sid, sid, perm::PROCESS_FORK)
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
        let requested = match sig {
            Signal(0) => perm::PROCESS_SIGNULL,
            Signal::KILL => perm::PROCESS_SIGKILL,
            Signal::STOP => perm::PROCESS_SIGSTOP,
            Signal::CHLD => perm::PROCESS_SIGCHLD,
            _ => perm::PROCESS_SIGNAL,
        };
        process_perm(source, task_sid(target), requested)
    }

    /// `task_to_inode`: a `/proc/PID` entry carries its task's domain.
    fn task_to_inode(task: &Task, inode: &Inode) {
        inode.security::<Carapace>().set_known(task_sid(task));
    }
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
