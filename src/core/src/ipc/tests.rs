// SPDX-License-Identifier: GPL-2.0

use super::*;
use crate::classmap::IPC_CLASSES;

#[test]
fn common_permissions_are_the_same_bits_in_every_class() {
    for class in IPC_CLASSES {
        for (bit, name) in [
            (GETATTR, "getattr"),
            (SETATTR, "setattr"),
            (DESTROY, "destroy"),
            (ASSOCIATE, "associate"),
            (READ, "read"),
            (WRITE, "write"),
            (perm::IPC_UNIX_READ, "unix_read"),
            (perm::IPC_UNIX_WRITE, "unix_write"),
        ] {
            assert_eq!(class.perm_name(bit.trailing_zeros()), Some(name));
        }
    }
    assert_eq!(perm::SHM_LOCK, 1 << 9);
    assert_eq!(perm::MSGQ_ENQUEUE, 1 << 9);
}

#[test]
fn control_commands() {
    use IpcKind::*;
    for kind in [Sem, MessageQueue, Shm] {
        assert_eq!(control_perms(kind, 0), Some(DESTROY));
        assert_eq!(control_perms(kind, 1), Some(SETATTR));
        assert_eq!(control_perms(kind, 2), Some(GETATTR | ASSOCIATE));
        assert_eq!(control_perms(kind, 2 | IPC_64), Some(GETATTR | ASSOCIATE));
        // IPC_INFO: about the namespace, not the object.
        assert_eq!(control_perms(kind, 3), None);
    }
    assert_eq!(control_perms(Sem, 12), Some(READ));
    assert_eq!(control_perms(Sem, 13), Some(READ));
    assert_eq!(control_perms(Sem, 16), Some(WRITE));
    assert_eq!(control_perms(Sem, 17), Some(WRITE));
    assert_eq!(control_perms(Sem, 11), Some(GETATTR));
    assert_eq!(control_perms(Sem, 19), None); // SEM_INFO
    assert_eq!(control_perms(MessageQueue, 11), Some(GETATTR | ASSOCIATE));
    assert_eq!(control_perms(MessageQueue, 12), None); // MSG_INFO
    assert_eq!(control_perms(Shm, 11), Some(perm::SHM_LOCK));
    assert_eq!(control_perms(Shm, 12), Some(perm::SHM_LOCK));
    assert_eq!(control_perms(Shm, 14), None); // SHM_INFO
    assert_eq!(control_perms(Shm, 15), Some(GETATTR | ASSOCIATE));
}

#[test]
fn operations() {
    assert_eq!(shmat_perms(0), READ | WRITE);
    assert_eq!(shmat_perms(0o10000), READ);
    assert_eq!(semop_perms(true), READ | WRITE);
    assert_eq!(semop_perms(false), READ);
    assert_eq!(mode_perms(0o400), perm::IPC_UNIX_READ);
    assert_eq!(mode_perms(0o020), perm::IPC_UNIX_WRITE);
    assert_eq!(
        mode_perms(0o666),
        perm::IPC_UNIX_READ | perm::IPC_UNIX_WRITE
    );
    assert_eq!(mode_perms(0o111), 0);
    assert_eq!(IpcKind::Shm.class(), KernelClass::Shm);
}
