// SPDX-License-Identifier: GPL-2.0

//! System V IPC objects and messages as the hooks see them, and the hooks
//! of the IPC family ([`IpcHooks`]).

use kernel::{bindings, prelude::*, types::Opaque};

use super::{cred::blob, SecurityModule, Task};
use crate::ipc::IpcKind;

/// The hooks on System V semaphore sets, message queues and shared memory
/// segments.
///
/// Each has the framework's default behaviour; an `Err` becomes the hook's
/// negative errno.
pub(crate) trait IpcHooks: SecurityModule {
    /// `sem_alloc_security`, `msg_queue_alloc_security`,
    /// `shm_alloc_security`: the current task creates `object`; an error
    /// refuses the creation.
    fn ipc_alloc(_object: &IpcObject, _kind: IpcKind) -> Result {
        Ok(())
    }

    /// `sem_associate`, `msg_queue_associate`, `shm_associate`: may the
    /// current task look `object` up by its key?
    fn ipc_associate(_object: &IpcObject, _kind: IpcKind) -> Result {
        Ok(())
    }

    /// `semctl()`, `msgctl()`, `shmctl()`: may the current task apply
    /// command `cmd` to `object`?
    fn ipc_control(_object: &IpcObject, _kind: IpcKind, _cmd: u32) -> Result {
        Ok(())
    }

    /// `ipc_permission`: the mode bits `flag` of `object` are checked for
    /// the current task.
    fn ipc_permission(_object: &IpcObject, _flag: u32) -> Result {
        Ok(())
    }

    /// `ipc_getsecid`: `object`'s security identifier (0 for none).
    fn ipc_getsecid(_object: &IpcObject) -> u32 {
        0
    }

    /// `shm_shmat`: may the current task attach `object` with `flags`?
    fn shm_shmat(_object: &IpcObject, _flags: u32) -> Result {
        Ok(())
    }

    /// `sem_semop`: may the current task operate on `object` (`alter`:
    /// change a value)?
    fn sem_semop(_object: &IpcObject, _alter: bool) -> Result {
        Ok(())
    }

    /// `msg_queue_msgsnd`: may the current task put `message` on `queue`?
    fn msg_queue_msgsnd(_queue: &IpcObject, _message: &IpcMessage) -> Result {
        Ok(())
    }

    /// `msg_queue_msgrcv`: may `receiver` take `message` from `queue`?
    fn msg_queue_msgrcv(_queue: &IpcObject, _message: &IpcMessage, _receiver: &Task) -> Result {
        Ok(())
    }
}

/// A System V IPC object (`struct kern_ipc_perm`).
///
/// # Invariants
///
/// The wrapped object is valid, with its security blob allocated by the
/// framework, for as long as the reference lives.
#[repr(transparent)]
pub(crate) struct IpcObject(Opaque<bindings::kern_ipc_perm>);

impl IpcObject {
    /// # Safety
    ///
    /// `ptr` must point to a valid object, with its blob, alive for `'a`.
    unsafe fn from_raw<'a>(ptr: *const bindings::kern_ipc_perm) -> &'a Self {
        // SAFETY: transparent wrapper; the caller guarantees validity.
        unsafe { &*ptr.cast() }
    }

    /// The module's part of the object's security blob.
    pub(crate) fn security<M: SecurityModule>(&self) -> &M::IpcSecurity {
        // SAFETY: every object gets a zeroed blob of the declared size
        // before its alloc hook runs, freed with it; `IpcSecurity` is
        // `Zeroable` and `Sync`.
        unsafe { &*blob::<M::IpcSecurity>((*self.0.get()).security, M::blob_offsets().lbs_ipc) }
    }

    /// The object's key (`IPC_PRIVATE` is 0), for audit records.
    pub(crate) fn key(&self) -> i32 {
        // SAFETY: set before the object is visible, never changed.
        unsafe { (*self.0.get()).key }
    }
}

/// The head of `struct msg_msg` (include/linux/msg.h), which bindgen
/// leaves opaque: the fields up to the security blob, unchanged since
/// Linux 2.6.
#[repr(C)]
struct MessageHead {
    m_list: bindings::list_head,
    m_type: kernel::ffi::c_long,
    m_ts: usize,
    next: *mut core::ffi::c_void,
    security: *mut core::ffi::c_void,
}

/// A message of a System V message queue (`struct msg_msg`).
///
/// # Invariants
///
/// The wrapped message is valid, with its security blob, for as long as
/// the reference lives.
#[repr(transparent)]
pub(crate) struct IpcMessage(Opaque<MessageHead>);

impl IpcMessage {
    /// # Safety
    ///
    /// `ptr` must point to a valid message, with its blob, alive for `'a`.
    unsafe fn from_raw<'a>(ptr: *const bindings::msg_msg) -> &'a Self {
        // SAFETY: transparent wrapper of the message's head; the caller
        // guarantees validity.
        unsafe { &*ptr.cast() }
    }

    /// The module's part of the message's security blob.
    pub(crate) fn security<M: SecurityModule>(&self) -> &M::MessageSecurity {
        // SAFETY: as for `IpcObject::security`, with the `msg_msg` blob.
        unsafe {
            &*blob::<M::MessageSecurity>((*self.0.get()).security, M::blob_offsets().lbs_msg_msg)
        }
    }
}

/// The `extern "C"` functions the static calls of this family jump to.
pub(crate) mod trampolines {
    use kernel::{
        bindings,
        ffi::{c_char, c_int, c_short, c_uint},
    };

    use super::{IpcHooks, IpcKind, IpcMessage, IpcObject};
    use crate::framework::{to_c, Task};

    /// # Safety
    ///
    /// `perm` must be a valid IPC object with its blob.
    unsafe fn object<'a>(perm: *mut bindings::kern_ipc_perm) -> &'a IpcObject {
        // SAFETY: guaranteed by the caller.
        unsafe { IpcObject::from_raw(perm) }
    }

    macro_rules! object_hooks {
        ($kind:expr, $alloc:ident, $associate:ident, $control:ident) => {
            /// # Safety
            ///
            /// Called by the IPC code with a new object.
            pub(crate) unsafe extern "C" fn $alloc<M: IpcHooks>(
                perm: *mut bindings::kern_ipc_perm,
            ) -> c_int {
                // SAFETY: as documented above.
                to_c(M::ipc_alloc(unsafe { object(perm) }, $kind))
            }

            /// # Safety
            ///
            /// Called by the `*get()` system call with the object found.
            pub(crate) unsafe extern "C" fn $associate<M: IpcHooks>(
                perm: *mut bindings::kern_ipc_perm,
                _flags: c_int,
            ) -> c_int {
                // SAFETY: as documented above.
                to_c(M::ipc_associate(unsafe { object(perm) }, $kind))
            }

            /// # Safety
            ///
            /// Called by the `*ctl()` system call with the object (null for
            /// the namespace-wide commands).
            pub(crate) unsafe extern "C" fn $control<M: IpcHooks>(
                perm: *mut bindings::kern_ipc_perm,
                cmd: c_int,
            ) -> c_int {
                if perm.is_null() {
                    return 0;
                }
                // SAFETY: as documented above.
                to_c(M::ipc_control(unsafe { object(perm) }, $kind, cmd as u32))
            }
        };
    }

    object_hooks!(IpcKind::Sem, sem_alloc_security, sem_associate, sem_semctl);
    object_hooks!(
        IpcKind::MessageQueue,
        msg_queue_alloc_security,
        msg_queue_associate,
        msg_queue_msgctl
    );
    object_hooks!(IpcKind::Shm, shm_alloc_security, shm_associate, shm_shmctl);

    /// # Safety
    ///
    /// Called by `ipcperms()` with an object.
    pub(crate) unsafe extern "C" fn ipc_permission<M: IpcHooks>(
        perm: *mut bindings::kern_ipc_perm,
        flag: c_short,
    ) -> c_int {
        // SAFETY: as documented above.
        let object = unsafe { object(perm) };
        to_c(M::ipc_permission(object, flag as u16 as u32))
    }

    /// # Safety
    ///
    /// Called by audit with an object and a place for its identifier.
    pub(crate) unsafe extern "C" fn ipc_getsecid<M: IpcHooks>(
        perm: *mut bindings::kern_ipc_perm,
        secid: *mut u32,
    ) {
        // Another LSM's secids are in use (see `secid`): leave its answer.
        if !crate::framework::secid::owns_secids() {
            return;
        }
        // SAFETY: as documented above.
        let sid = M::ipc_getsecid(unsafe { object(perm) });
        // SAFETY: `secid` is writable.
        unsafe { *secid = sid };
    }

    /// # Safety
    ///
    /// Called by `shmat()` with a segment.
    pub(crate) unsafe extern "C" fn shm_shmat<M: IpcHooks>(
        perm: *mut bindings::kern_ipc_perm,
        _addr: *mut c_char,
        flags: c_int,
    ) -> c_int {
        // SAFETY: as documented above.
        to_c(M::shm_shmat(unsafe { object(perm) }, flags as u32))
    }

    /// # Safety
    ///
    /// Called by `semop()` with a semaphore set.
    pub(crate) unsafe extern "C" fn sem_semop<M: IpcHooks>(
        perm: *mut bindings::kern_ipc_perm,
        _sops: *mut bindings::sembuf,
        _nsops: c_uint,
        alter: c_int,
    ) -> c_int {
        // SAFETY: as documented above.
        to_c(M::sem_semop(unsafe { object(perm) }, alter != 0))
    }

    /// # Safety
    ///
    /// Called by `msgsnd()` with a queue and the new message.
    pub(crate) unsafe extern "C" fn msg_queue_msgsnd<M: IpcHooks>(
        perm: *mut bindings::kern_ipc_perm,
        msg: *mut bindings::msg_msg,
        _flags: c_int,
    ) -> c_int {
        // SAFETY: as documented above.
        let (queue, message) = unsafe { (object(perm), IpcMessage::from_raw(msg)) };
        to_c(M::msg_queue_msgsnd(queue, message))
    }

    /// # Safety
    ///
    /// Called by `msgrcv()` (or a pipelined send) with a queue, a message
    /// and the receiving task.
    pub(crate) unsafe extern "C" fn msg_queue_msgrcv<M: IpcHooks>(
        perm: *mut bindings::kern_ipc_perm,
        msg: *mut bindings::msg_msg,
        target: *mut bindings::task_struct,
        _kind: kernel::ffi::c_long,
        _mode: c_int,
    ) -> c_int {
        // SAFETY: as documented above; the receiver is alive while it
        // waits on the queue.
        let (queue, message, receiver) = unsafe {
            (
                object(perm),
                IpcMessage::from_raw(msg),
                Task::from_raw(target),
            )
        };
        to_c(M::msg_queue_msgrcv(queue, message, receiver))
    }
}
