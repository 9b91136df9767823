// SPDX-License-Identifier: GPL-2.0

//! System V IPC: what each operation on a semaphore set, message queue or
//! shared memory segment asks of its class, as in SELinux. The command
//! numbers are the kernel's UAPI values (include/uapi/linux/ipc.h, sem.h,
//! msg.h, shm.h).

use crate::classmap::{perm, KernelClass};

/// The kind of an IPC object.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IpcKind {
    /// A semaphore set.
    Sem,
    /// A message queue.
    MessageQueue,
    /// A shared memory segment.
    Shm,
}

impl IpcKind {
    /// The object's class.
    pub const fn class(self) -> KernelClass {
        match self {
            Self::Sem => KernelClass::Sem,
            Self::MessageQueue => KernelClass::Msgq,
            Self::Shm => KernelClass::Shm,
        }
    }
}

// The common IPC permissions have the same bits in every IPC class.
const GETATTR: u32 = perm::IPC_GETATTR;
const SETATTR: u32 = perm::IPC_SETATTR;
const DESTROY: u32 = perm::IPC_DESTROY;
const ASSOCIATE: u32 = perm::IPC_ASSOCIATE;
const READ: u32 = perm::IPC_READ;
const WRITE: u32 = perm::IPC_WRITE;

/// `IPC_64`, which 64-bit layouts add to a command.
const IPC_64: u32 = 0x100;

/// The permissions a `semctl()`, `msgctl()` or `shmctl()` command `cmd`
/// needs on an object of `kind`; `None` for commands about the whole IPC
/// namespace (`IPC_INFO` …), which check nothing here, and for commands
/// the kernel rejects.
pub fn control_perms(kind: IpcKind, cmd: u32) -> Option<u32> {
    const IPC_RMID: u32 = 0;
    const IPC_SET: u32 = 1;
    const IPC_STAT: u32 = 2;
    let cmd = cmd & !IPC_64;
    let perms = match (kind, cmd) {
        (_, IPC_RMID) => DESTROY,
        (_, IPC_SET) => SETATTR,
        (_, IPC_STAT) => GETATTR | ASSOCIATE,
        // SEM_STAT, SEM_STAT_ANY.
        (IpcKind::Sem, 18 | 20) => GETATTR | ASSOCIATE,
        // GETPID, GETNCNT, GETZCNT.
        (IpcKind::Sem, 11 | 14 | 15) => GETATTR,
        // GETVAL, GETALL.
        (IpcKind::Sem, 12 | 13) => READ,
        // SETVAL, SETALL.
        (IpcKind::Sem, 16 | 17) => WRITE,
        // MSG_STAT, MSG_STAT_ANY.
        (IpcKind::MessageQueue, 11 | 13) => GETATTR | ASSOCIATE,
        // SHM_STAT, SHM_STAT_ANY.
        (IpcKind::Shm, 13 | 15) => GETATTR | ASSOCIATE,
        // SHM_LOCK, SHM_UNLOCK.
        (IpcKind::Shm, 11 | 12) => perm::SHM_LOCK,
        _ => return None,
    };
    Some(perms)
}

/// The permissions `ipc_permission()` checks for the mode bits `flag`
/// asks (`unix_read`, `unix_write`): what the object's owner, group or
/// other bits are checked for.
pub fn mode_perms(flag: u32) -> u32 {
    /// `S_IRUGO`, `S_IWUGO`.
    const READ_BITS: u32 = 0o444;
    const WRITE_BITS: u32 = 0o222;
    let mut perms = 0;
    if flag & READ_BITS != 0 {
        perms |= perm::IPC_UNIX_READ;
    }
    if flag & WRITE_BITS != 0 {
        perms |= perm::IPC_UNIX_WRITE;
    }
    perms
}

/// The permissions `shmat()` with `flags` needs.
pub fn shmat_perms(flags: u32) -> u32 {
    /// `SHM_RDONLY`.
    const SHM_RDONLY: u32 = 0o10000;
    if flags & SHM_RDONLY != 0 {
        READ
    } else {
        READ | WRITE
    }
}

/// The permissions `semop()` needs: `alter` when it changes a value.
pub fn semop_perms(alter: bool) -> u32 {
    if alter {
        READ | WRITE
    } else {
        READ
    }
}

#[cfg(test)]
mod tests;
