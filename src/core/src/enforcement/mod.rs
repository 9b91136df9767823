// SPDX-License-Identifier: GPL-2.0

//! Which hooks check each permission of the classmap.
//!
//! A permission that no hook checks yet is still part of the classmap (so
//! policies written for SELinux's classes compile), but a rule granting it
//! grants nothing: the compiler warns about such grants and
//! `Documentation/permissions.rst`, generated from this table, lists them.
//! The host tests check the table against the hook lists and the
//! permissions the kernel crate names.

use crate::classmap::{KernelClass, FILE_CLASSES, SOCKET_CLASSES};

/// The classes an entry of [`ENFORCED`] covers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Classes {
    /// One class.
    One(KernelClass),
    /// Every file class (`file`, `dir`, `lnk_file` …): the permission is
    /// one of their common ones, checked on an inode of any kind.
    Files,
    /// `capability`, `capability2`, `cap_userns`, `cap2_userns`: every
    /// capability.
    Capabilities,
    /// Every socket class (`socket`, `tcp_socket` …): the permission is one
    /// of their common ones, checked on a socket of any class.
    Sockets,
    /// The System V IPC object classes `sem`, `msgq` and `shm`.
    IpcObjects,
}

impl Classes {
    /// Whether `class` is one of these.
    pub fn contains(self, class: KernelClass) -> bool {
        match self {
            Self::One(c) => c == class,
            Self::Files => FILE_CLASSES.contains(&class),
            Self::Capabilities => matches!(
                class,
                KernelClass::Capability
                    | KernelClass::Capability2
                    | KernelClass::CapUserns
                    | KernelClass::Cap2Userns
            ),
            Self::Sockets => SOCKET_CLASSES.contains(&class),
            Self::IpcObjects => matches!(
                class,
                KernelClass::Sem | KernelClass::Msgq | KernelClass::Shm
            ),
        }
    }
}

/// One permission (every permission of the classes, for `"*"`) and the
/// hooks that check it.
#[derive(Clone, Copy, Debug)]
pub struct Enforced {
    /// The classes.
    pub classes: Classes,
    /// The permission's name, `"*"` for all of them.
    pub perm: &'static str,
    /// The hooks (or securityfs files, as `securityfs:NAME`) that check it.
    pub hooks: &'static [&'static str],
}

const fn files(perm: &'static str, hooks: &'static [&'static str]) -> Enforced {
    Enforced {
        classes: Classes::Files,
        perm,
        hooks,
    }
}

const fn sockets(perm: &'static str, hooks: &'static [&'static str]) -> Enforced {
    Enforced {
        classes: Classes::Sockets,
        perm,
        hooks,
    }
}

const fn ipc(perm: &'static str, hooks: &'static [&'static str]) -> Enforced {
    Enforced {
        classes: Classes::IpcObjects,
        perm,
        hooks,
    }
}

const fn one(class: KernelClass, perm: &'static str, hooks: &'static [&'static str]) -> Enforced {
    Enforced {
        classes: Classes::One(class),
        perm,
        hooks,
    }
}

/// Every permission some hook checks.
pub const ENFORCED: &[Enforced] = &[
    Enforced {
        classes: Classes::Capabilities,
        perm: "*",
        hooks: &["capable"],
    },
    one(KernelClass::Security, "compute_av", &["securityfs:access"]),
    one(KernelClass::Security, "load_policy", &["securityfs:policy"]),
    one(KernelClass::Security, "read_policy", &["securityfs:policy"]),
    one(KernelClass::Security, "setenforce", &["securityfs:enforce"]),
    one(
        KernelClass::Security,
        "setsecparam",
        &["securityfs:avc/cache_threshold"],
    ),
    one(KernelClass::Security, "relabel", &["inode_setxattr"]),
    one(KernelClass::Process, "fork", &["task_alloc"]),
    one(KernelClass::Process, "transition", &["bprm_creds_for_exec"]),
    one(
        KernelClass::Process,
        "sigchld",
        &["task_kill", "file_send_sigiotask"],
    ),
    one(
        KernelClass::Process,
        "sigkill",
        &["task_kill", "file_send_sigiotask"],
    ),
    one(
        KernelClass::Process,
        "sigstop",
        &["task_kill", "file_send_sigiotask"],
    ),
    one(
        KernelClass::Process,
        "signull",
        &["task_kill", "file_send_sigiotask"],
    ),
    one(
        KernelClass::Process,
        "signal",
        &["task_kill", "file_send_sigiotask"],
    ),
    one(
        KernelClass::Process,
        "ptrace",
        &[
            "ptrace_access_check",
            "ptrace_traceme",
            "bprm_creds_for_exec",
            "setprocattr",
            "setselfattr",
        ],
    ),
    one(
        KernelClass::Process,
        "getsched",
        &["task_getscheduler", "task_getioprio"],
    ),
    one(
        KernelClass::Process,
        "setsched",
        &[
            "task_setscheduler",
            "task_setnice",
            "task_setioprio",
            "task_movememory",
        ],
    ),
    one(KernelClass::Process, "getsession", &["task_getsid"]),
    one(KernelClass::Process, "getpgid", &["task_getpgid"]),
    one(KernelClass::Process, "setpgid", &["task_setpgid"]),
    one(KernelClass::Process, "getcap", &["capget"]),
    one(KernelClass::Process, "setcap", &["capset"]),
    one(KernelClass::Process, "share", &["bprm_creds_for_exec"]),
    one(KernelClass::Process, "getattr", &["getprocattr"]),
    one(
        KernelClass::Process,
        "setexec",
        &["setprocattr", "setselfattr"],
    ),
    one(
        KernelClass::Process,
        "setcurrent",
        &["setprocattr", "setselfattr"],
    ),
    one(
        KernelClass::Process,
        "dyntransition",
        &["setprocattr", "setselfattr"],
    ),
    one(KernelClass::Process, "noatsecure", &["bprm_creds_for_exec"]),
    one(KernelClass::Process, "siginh", &["bprm_committed_creds"]),
    one(
        KernelClass::Process,
        "setrlimit",
        &["task_setrlimit", "task_prlimit"],
    ),
    one(
        KernelClass::Process,
        "rlimitinh",
        &["bprm_committing_creds"],
    ),
    one(
        KernelClass::Process,
        "execmem",
        &["mmap_file", "file_mprotect"],
    ),
    one(KernelClass::Process, "execstack", &["file_mprotect"]),
    one(KernelClass::Process, "execheap", &["file_mprotect"]),
    one(KernelClass::Process, "getrlimit", &["task_prlimit"]),
    one(
        KernelClass::Process2,
        "nnp_transition",
        &["bprm_creds_for_exec"],
    ),
    one(
        KernelClass::Process2,
        "nosuid_transition",
        &["bprm_creds_for_exec"],
    ),
    files("ioctl", &["file_ioctl", "file_ioctl_compat"]),
    files(
        "read",
        &[
            "inode_permission",
            "file_open",
            "file_permission",
            "mmap_file",
            "file_mprotect",
            "inode_follow_link",
            "inode_readlink",
            "file_receive",
            "bprm_committing_creds",
            "ptrace_access_check",
        ],
    ),
    files(
        "write",
        &[
            "inode_permission",
            "file_open",
            "file_permission",
            "mmap_file",
            "file_mprotect",
            "inode_setattr",
            "file_fcntl",
            "file_receive",
            "bprm_committing_creds",
        ],
    ),
    files(
        "create",
        &[
            "inode_create",
            "inode_mkdir",
            "inode_mknod",
            "inode_symlink",
        ],
    ),
    files(
        "getattr",
        &[
            "inode_getattr",
            "inode_getxattr",
            "inode_listxattr",
            "file_ioctl",
        ],
    ),
    files(
        "setattr",
        &[
            "inode_setattr",
            "inode_setxattr",
            "inode_removexattr",
            "file_ioctl",
        ],
    ),
    files("lock", &["file_lock", "file_fcntl"]),
    files("relabelfrom", &["inode_setxattr"]),
    files("relabelto", &["inode_setxattr"]),
    files(
        "append",
        &[
            "inode_permission",
            "file_open",
            "file_permission",
            "file_receive",
            "bprm_committing_creds",
        ],
    ),
    files("map", &["mmap_file"]),
    files("unlink", &["inode_unlink", "inode_rename"]),
    files("link", &["inode_link"]),
    files("rename", &["inode_rename"]),
    files(
        "execute",
        &["inode_permission", "mmap_file", "file_mprotect"],
    ),
    files("open", &["file_open"]),
    files("execmod", &["file_mprotect"]),
    one(
        KernelClass::File,
        "execute_no_trans",
        &["bprm_creds_for_exec"],
    ),
    one(KernelClass::File, "entrypoint", &["bprm_creds_for_exec"]),
    one(
        KernelClass::Dir,
        "add_name",
        &["inode_create", "inode_link", "inode_rename"],
    ),
    one(
        KernelClass::Dir,
        "remove_name",
        &["inode_unlink", "inode_rmdir", "inode_rename"],
    ),
    one(KernelClass::Dir, "reparent", &["inode_rename"]),
    one(
        KernelClass::Dir,
        "search",
        &[
            "inode_permission",
            "inode_create",
            "inode_unlink",
            "inode_rename",
        ],
    ),
    one(KernelClass::Dir, "rmdir", &["inode_rmdir", "inode_rename"]),
    one(
        KernelClass::Fd,
        "use",
        &[
            "file_permission",
            "file_ioctl",
            "file_fcntl",
            "file_receive",
            "mmap_file",
            "file_mprotect",
            "bprm_committing_creds",
        ],
    ),
    one(KernelClass::UserNamespace, "create", &["userns_create"]),
    // Sockets: the socket calls, and the file hooks on a socket's inode,
    // which check the permissions socket classes share with files on the
    // socket's class. `inode_permission` and `file_open` see a socket
    // through `access()` and `open()` of `/proc/PID/fd/N` (the open then
    // fails with ENXIO); `inode_setattr` never asks `write` of a socket
    // (it cannot be truncated).
    sockets("ioctl", &["file_ioctl", "file_ioctl_compat"]),
    sockets(
        "read",
        &[
            "socket_recvmsg",
            "inode_permission",
            "file_open",
            "file_permission",
            "mmap_file",
            "file_mprotect",
            "file_receive",
            "bprm_committing_creds",
        ],
    ),
    sockets(
        "write",
        &[
            "socket_sendmsg",
            "inode_permission",
            "file_open",
            "file_permission",
            "mmap_file",
            "file_mprotect",
            "file_fcntl",
            "file_receive",
            "bprm_committing_creds",
        ],
    ),
    sockets("create", &["socket_create"]),
    sockets(
        "getattr",
        &[
            "socket_getsockname",
            "socket_getpeername",
            "inode_getattr",
            "inode_getxattr",
            "inode_listxattr",
            "file_ioctl",
        ],
    ),
    sockets(
        "setattr",
        &[
            "inode_setattr",
            "inode_setxattr",
            "inode_removexattr",
            "file_ioctl",
        ],
    ),
    sockets("lock", &["file_lock", "file_fcntl"]),
    // Checked, though the relabel then fails: sockfs leaves its security
    // attributes to `inode_setsecurity`, which carapace does not provide.
    sockets("relabelfrom", &["inode_setxattr"]),
    sockets("relabelto", &["inode_setxattr"]),
    sockets(
        "append",
        &[
            "inode_permission",
            "file_open",
            "file_permission",
            "file_receive",
            "bprm_committing_creds",
        ],
    ),
    sockets("map", &["mmap_file"]),
    sockets("bind", &["socket_bind"]),
    sockets("connect", &["socket_connect"]),
    sockets("listen", &["socket_listen"]),
    sockets("accept", &["socket_accept"]),
    sockets("getopt", &["socket_getsockopt"]),
    sockets("setopt", &["socket_setsockopt"]),
    sockets("shutdown", &["socket_shutdown"]),
    one(KernelClass::UnixDgramSocket, "sendto", &["unix_may_send"]),
    one(
        KernelClass::UnixStreamSocket,
        "connectto",
        &["unix_stream_connect"],
    ),
    one(KernelClass::TcpSocket, "name_bind", &["socket_bind"]),
    one(KernelClass::UdpSocket, "name_bind", &["socket_bind"]),
    one(KernelClass::RawipSocket, "name_bind", &["socket_bind"]),
    one(KernelClass::IcmpSocket, "name_bind", &["socket_bind"]),
    one(KernelClass::TcpSocket, "node_bind", &["socket_bind"]),
    one(KernelClass::UdpSocket, "node_bind", &["socket_bind"]),
    one(KernelClass::RawipSocket, "node_bind", &["socket_bind"]),
    one(KernelClass::IcmpSocket, "node_bind", &["socket_bind"]),
    one(KernelClass::TcpSocket, "name_connect", &["socket_connect"]),
    one(
        KernelClass::NetlinkRouteSocket,
        "nlmsg_read",
        &["netlink_send"],
    ),
    one(
        KernelClass::NetlinkRouteSocket,
        "nlmsg_write",
        &["netlink_send"],
    ),
    one(
        KernelClass::NetlinkTcpdiagSocket,
        "nlmsg_read",
        &["netlink_send"],
    ),
    one(
        KernelClass::NetlinkTcpdiagSocket,
        "nlmsg_write",
        &["netlink_send"],
    ),
    one(
        KernelClass::NetlinkXfrmSocket,
        "nlmsg_read",
        &["netlink_send"],
    ),
    one(
        KernelClass::NetlinkXfrmSocket,
        "nlmsg_write",
        &["netlink_send"],
    ),
    one(
        KernelClass::NetlinkAuditSocket,
        "nlmsg_read",
        &["netlink_send"],
    ),
    one(
        KernelClass::NetlinkAuditSocket,
        "nlmsg_write",
        &["netlink_send"],
    ),
    one(
        KernelClass::NetlinkAuditSocket,
        "nlmsg_relay",
        &["netlink_send"],
    ),
    one(
        KernelClass::NetlinkAuditSocket,
        "nlmsg_readpriv",
        &["netlink_send"],
    ),
    one(
        KernelClass::NetlinkAuditSocket,
        "nlmsg_tty_audit",
        &["netlink_send"],
    ),
    // System V IPC: each object class has its own hooks, but for the
    // owner, group and other bits.
    ipc("unix_read", &["ipc_permission"]),
    ipc("unix_write", &["ipc_permission"]),
    one(KernelClass::Sem, "create", &["sem_alloc_security"]),
    one(KernelClass::Sem, "destroy", &["sem_semctl"]),
    one(KernelClass::Sem, "getattr", &["sem_semctl"]),
    one(KernelClass::Sem, "setattr", &["sem_semctl"]),
    one(
        KernelClass::Sem,
        "associate",
        &["sem_associate", "sem_semctl"],
    ),
    one(KernelClass::Sem, "read", &["sem_semctl", "sem_semop"]),
    one(KernelClass::Sem, "write", &["sem_semctl", "sem_semop"]),
    one(KernelClass::Msgq, "create", &["msg_queue_alloc_security"]),
    one(KernelClass::Msgq, "destroy", &["msg_queue_msgctl"]),
    one(KernelClass::Msgq, "getattr", &["msg_queue_msgctl"]),
    one(KernelClass::Msgq, "setattr", &["msg_queue_msgctl"]),
    one(
        KernelClass::Msgq,
        "associate",
        &["msg_queue_associate", "msg_queue_msgctl"],
    ),
    one(KernelClass::Msgq, "read", &["msg_queue_msgrcv"]),
    one(KernelClass::Msgq, "write", &["msg_queue_msgsnd"]),
    one(KernelClass::Msgq, "enqueue", &["msg_queue_msgsnd"]),
    one(KernelClass::Msg, "send", &["msg_queue_msgsnd"]),
    one(KernelClass::Msg, "receive", &["msg_queue_msgrcv"]),
    one(KernelClass::Shm, "create", &["shm_alloc_security"]),
    one(KernelClass::Shm, "destroy", &["shm_shmctl"]),
    one(KernelClass::Shm, "getattr", &["shm_shmctl"]),
    one(KernelClass::Shm, "setattr", &["shm_shmctl"]),
    one(
        KernelClass::Shm,
        "associate",
        &["shm_associate", "shm_shmctl"],
    ),
    one(KernelClass::Shm, "read", &["shm_shmat"]),
    one(KernelClass::Shm, "write", &["shm_shmat"]),
    one(KernelClass::Shm, "lock", &["shm_shmctl"]),
    one(KernelClass::System, "syslog_read", &["syslog"]),
    one(KernelClass::System, "syslog_mod", &["syslog"]),
    one(KernelClass::System, "syslog_console", &["syslog"]),
    one(
        KernelClass::System,
        "module_request",
        &["kernel_module_request"],
    ),
    one(
        KernelClass::System,
        "module_load",
        &["kernel_load_data", "kernel_read_file"],
    ),
    one(KernelClass::Key, "view", &["key_permission"]),
    one(KernelClass::Key, "read", &["key_permission"]),
    one(KernelClass::Key, "write", &["key_permission"]),
    one(KernelClass::Key, "search", &["key_permission"]),
    one(KernelClass::Key, "link", &["key_permission"]),
    one(KernelClass::Key, "setattr", &["key_permission"]),
    one(KernelClass::PerfEvent, "open", &["perf_event_open"]),
    one(KernelClass::PerfEvent, "cpu", &["perf_event_open"]),
    one(KernelClass::PerfEvent, "kernel", &["perf_event_open"]),
    one(KernelClass::PerfEvent, "tracepoint", &["perf_event_open"]),
    one(KernelClass::PerfEvent, "read", &["perf_event_read"]),
    one(KernelClass::PerfEvent, "write", &["perf_event_write"]),
    files("mounton", &["sb_mount", "move_mount"]),
    one(KernelClass::Filesystem, "mount", &["sb_kern_mount"]),
    one(KernelClass::Filesystem, "remount", &["sb_mount"]),
    one(KernelClass::Filesystem, "unmount", &["sb_umount"]),
    one(KernelClass::Filesystem, "getattr", &["sb_statfs"]),
    one(KernelClass::Filesystem, "relabelfrom", &["sb_set_mnt_opts"]),
    one(KernelClass::Filesystem, "relabelto", &["sb_set_mnt_opts"]),
    one(
        KernelClass::Filesystem,
        "associate",
        &["sb_set_mnt_opts", "inode_create", "inode_setxattr"],
    ),
    one(KernelClass::Bpf, "map_create", &["bpf"]),
    one(KernelClass::Bpf, "prog_load", &["bpf"]),
    one(KernelClass::Bpf, "map_read", &["bpf_map"]),
    one(KernelClass::Bpf, "map_write", &["bpf_map"]),
    one(KernelClass::Bpf, "prog_run", &["bpf_prog"]),
];

/// The hooks that check permission `bit` of `class` (none: not enforced).
pub fn hooks_checking(class: KernelClass, bit: u32) -> impl Iterator<Item = &'static str> {
    let name = class.perm_name(bit);
    ENFORCED
        .iter()
        .filter(move |e| {
            name.is_some_and(|name| e.classes.contains(class) && (e.perm == "*" || e.perm == name))
        })
        .flat_map(|e| e.hooks.iter().copied())
}

/// Whether some hook checks permission `bit` of `class`.
pub fn is_enforced(class: KernelClass, bit: u32) -> bool {
    hooks_checking(class, bit).next().is_some()
}

/// The permissions of `class` that some hook checks, as a mask.
pub fn enforced_mask(class: KernelClass) -> u32 {
    (0..32u32)
        .filter(|&bit| is_enforced(class, bit))
        .fold(0, |mask, bit| mask | 1u32.wrapping_shl(bit))
}

#[cfg(test)]
mod tests;
