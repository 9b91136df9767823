// SPDX-License-Identifier: GPL-2.0

//! System V IPC: semaphore sets, message queues, shared memory segments
//! and messages.
//!
//! An object takes its creator's domain and its kind's class (`sem`,
//! `msgq`, `shm`), as in SELinux; a message takes the policy's
//! `type_transition` for the sender, the queue and class `msg`, else the
//! queue's label (an object's default, as in SELinux). POSIX message queues are files of the `mqueue`
//! filesystem and are checked as files.

use kernel::prelude::*;

use crate::audit::AuditObject;
use crate::classmap::{perm, KernelClass};
use crate::domain::{current_sid, task_sid};
use crate::framework::{hook_list, IpcHooks, IpcMessage, IpcObject, Task};
use crate::ipc::{control_perms, mode_perms, semop_perms, shmat_perms, IpcKind};
use crate::labels::new_object_sid;
use crate::policy_store::Sid;
use crate::security_server::server_with_policy;
use crate::Carapace;

hook_list!(pub(crate) IPC_HOOKS: ipc for Carapace => [
    ipc_permission,
    ipc_getsecid,
    sem_alloc_security,
    sem_associate,
    sem_semctl,
    sem_semop,
    msg_queue_alloc_security,
    msg_queue_associate,
    msg_queue_msgctl,
    msg_queue_msgsnd,
    msg_queue_msgrcv,
    shm_alloc_security,
    shm_associate,
    shm_shmctl,
    shm_shmat,
]);

impl IpcHooks for Carapace {
    /// Creating an object: it is labelled with the creator's domain, and
    /// the creator needs `create` on it.
    fn ipc_alloc(object: &IpcObject, kind: IpcKind) -> Result {
        let sid = current_sid();
        object.security::<Carapace>().set(sid, kind.class());
        ipc_has_perm_as(sid, object, perm::IPC_CREATE)
    }

    /// Looking an object up by its key: `associate`.
    fn ipc_associate(object: &IpcObject, _kind: IpcKind) -> Result {
        ipc_has_perm(object, perm::IPC_ASSOCIATE)
    }

    /// `semctl()`, `msgctl()`, `shmctl()`: what the command does
    /// ([`control_perms`]).
    fn ipc_control(object: &IpcObject, kind: IpcKind, cmd: u32) -> Result {
        match control_perms(kind, cmd) {
            Some(requested) => ipc_has_perm(object, requested),
            None => Ok(()),
        }
    }

    /// The owner, group and other bits: `unix_read`, `unix_write`.
    #[inline(always)]
    fn ipc_permission(object: &IpcObject, flag: u32) -> Result {
        match mode_perms(flag) {
            0 => Ok(()),
            requested => ipc_has_perm(object, requested),
        }
    }

    fn ipc_getsecid(object: &IpcObject) -> u32 {
        object
            .security::<Carapace>()
            .get()
            .map_or(0, |(sid, _)| sid)
    }

    /// `shmat()`: `read`, and `write` unless read-only.
    #[inline(always)]
    fn shm_shmat(object: &IpcObject, flags: u32) -> Result {
        ipc_has_perm(object, shmat_perms(flags))
    }

    /// `semop()`: `read`, and `write` when it changes a value.
    fn sem_semop(object: &IpcObject, alter: bool) -> Result {
        ipc_has_perm(object, semop_perms(alter))
    }

    /// `msgsnd()`: the sender needs `msgq { write }` on the queue and `msg
    /// { send }` on the message, and the message `msgq { enqueue }` on the
    /// queue.
    fn msg_queue_msgsnd(queue: &IpcObject, message: &IpcMessage) -> Result {
        let Some(server) = server_with_policy() else {
            return Ok(());
        };
        let sid = current_sid();
        let Some((queue_sid, _)) = queue.security::<Carapace>().get() else {
            return Ok(());
        };
        let label = message.security::<Carapace>();
        let message_sid = match label.get() {
            Some((message_sid, _)) => message_sid,
            None => {
                let message_sid =
                    new_object_sid(server, sid, queue_sid, KernelClass::Msg).unwrap_or(queue_sid);
                label.set(message_sid, KernelClass::Msg);
                message_sid
            }
        };
        let object = AuditObject::Ipc(queue.key());
        let msgq = KernelClass::Msgq;
        server.has_perm(sid, queue_sid, msgq, perm::MSGQ_WRITE, object, true)?;
        let send = perm::MSG_SEND;
        server.has_perm(sid, message_sid, KernelClass::Msg, send, object, true)?;
        let enqueue = perm::MSGQ_ENQUEUE;
        server.has_perm(message_sid, queue_sid, msgq, enqueue, object, true)
    }

    /// `msgrcv()`: the receiver needs `msgq { read }` on the queue and
    /// `msg { receive }` on the message.
    fn msg_queue_msgrcv(queue: &IpcObject, message: &IpcMessage, receiver: &Task) -> Result {
        let Some(server) = server_with_policy() else {
            return Ok(());
        };
        let sid = task_sid(receiver);
        let object = AuditObject::Ipc(queue.key());
        if let Some((queue_sid, _)) = queue.security::<Carapace>().get() {
            let read = perm::MSGQ_READ;
            server.has_perm(sid, queue_sid, KernelClass::Msgq, read, object, true)?;
        }
        match message.security::<Carapace>().get() {
            Some((message_sid, _)) => {
                let receive = perm::MSG_RECEIVE;
                server.has_perm(sid, message_sid, KernelClass::Msg, receive, object, true)
            }
            None => Ok(()),
        }
    }
}

/// Checks that the current domain has `requested` on `object`.
#[inline(always)]
fn ipc_has_perm(object: &IpcObject, requested: u32) -> Result {
    ipc_has_perm_as(current_sid(), object, requested)
}

/// Checks that domain `sid` has `requested` (common IPC permissions, or
/// `shm { lock }`) on `object`, of its class. The object's last decision
/// is asked inline, in the hook's trampoline; the rest is a call.
#[inline(always)]
fn ipc_has_perm_as(sid: Sid, object: &IpcObject, requested: u32) -> Result {
    if object.security::<Carapace>().granted(sid, requested) {
        return Ok(());
    }
    ipc_has_perm_checked(sid, object, requested)
}

/// [`ipc_has_perm_as`] when the object's last decision does not answer.
#[inline(never)]
fn ipc_has_perm_checked(sid: Sid, object: &IpcObject, requested: u32) -> Result {
    let Some(server) = server_with_policy() else {
        return Ok(());
    };
    let label = object.security::<Carapace>();
    label.has_perm_checked(server, sid, requested, AuditObject::Ipc(object.key()))
}
