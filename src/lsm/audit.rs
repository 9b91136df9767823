// SPDX-License-Identifier: GPL-2.0

//! Carapace's audit records: the AVC record of a decision, in SELinux's
//! shape (`carapace: denied { perms } for pid=… comm=… <object>
//! scontext=… tcontext=… tclass=… permissive=…`).

use core::fmt::Write;

use crate::avc::AvcKey;
use crate::classmap::KernelClass;
use crate::framework::{audit::AuditRecord, current_pid_comm, Dentry, Inode, OpenFile};
use crate::security_server::SecurityServer;

/// What an audit record says about the object of a decision.
#[derive(Clone, Copy)]
pub(crate) enum AuditObject<'a> {
    /// A capability check: `capability=N`.
    Capability(u32),
    /// An inode: `dev="…" ino=N`.
    Inode(&'a Inode),
    /// A directory entry: `name="…"`, and `dev`/`ino` when positive.
    Dentry(&'a Dentry),
    /// An open file: `path="…" dev="…" ino=N`.
    File(&'a OpenFile),
    /// A socket: `family=…`, and what the operation names.
    Socket(SocketAudit),
    /// A System V IPC object: `key=N`.
    Ipc(i32),
    /// Nothing beyond the contexts.
    None,
}

/// What an audit record says about a socket: its address family, and
/// the netlink message type or the port the operation names.
#[derive(Clone, Copy, Default)]
pub(crate) struct SocketAudit {
    /// The address family (`AF_*`).
    pub(crate) family: u32,
    /// The type of the netlink message checked: `nlmsg_type=N`.
    pub(crate) nlmsg_type: Option<u16>,
    /// The port bound to (`src=N`) or connected to (`dest=N`).
    pub(crate) port: Option<(PortUse, u16)>,
}

/// What a port in a socket record is.
#[derive(Clone, Copy)]
pub(crate) enum PortUse {
    /// Bound to.
    Source,
    /// Connected to.
    Destination,
}

/// Writes the audit record of a decision, in SELinux's AVC shape.
/// Out of line: the allowed path does not need its stack frame.
#[cold]
#[inline(never)]
pub(crate) fn avc_record(
    server: &SecurityServer,
    key: &AvcKey,
    class: KernelClass,
    perms: u32,
    denied: bool,
    permissive: bool,
    object: AuditObject<'_>,
) {
    let Some(mut record) = AuditRecord::avc() else {
        return;
    };
    let verdict = if denied { "denied" } else { "granted" };
    let _ = write!(record, "carapace: {verdict} {{");
    for bit in 0..32 {
        if perms & (1 << bit) != 0 {
            let _ = write!(record, " {}", class.perm_name(bit).unwrap_or("?"));
        }
    }
    let (pid, comm) = current_pid_comm();
    let _ = write!(record, " }} for pid={pid} comm=");
    let comm_len = comm.iter().position(|&c| c == 0).unwrap_or(comm.len());
    record.untrusted(comm.get(..comm_len).unwrap_or(&[]));
    match object {
        AuditObject::Capability(cap) => {
            let _ = write!(record, " capability={cap}");
        }
        AuditObject::Inode(inode) => audit_inode(&mut record, inode),
        AuditObject::Dentry(dentry) => {
            let mut buf = [0u8; 64];
            let _ = write!(record, " name=");
            record.untrusted(dentry.name(&mut buf));
            if let Some(inode) = dentry.inode() {
                audit_inode(&mut record, inode);
            }
        }
        AuditObject::File(file) => {
            record.path(file.path());
            audit_inode(&mut record, file.inode());
        }
        AuditObject::Socket(socket) => audit_socket(&mut record, socket),
        AuditObject::Ipc(key) => {
            let _ = write!(record, " key={key}");
        }
        AuditObject::None => {}
    }
    server.with_policy(|policy, db| {
        let name = |sid| as_str(db.type_name(policy.type_of(db, sid)));
        let _ = write!(
            record,
            " scontext={} tcontext={}",
            name(key.ssid),
            name(key.tsid)
        );
    });
    let _ = write!(
        record,
        " tclass={} permissive={}",
        class.name(),
        u8::from(permissive)
    );
}

/// Appends `family=…` and the message type or port of `socket`.
fn audit_socket(record: &mut AuditRecord, socket: SocketAudit) {
    use crate::socket::family;
    let name = match socket.family {
        family::UNIX => "unix",
        family::INET => "inet",
        family::INET6 => "inet6",
        family::NETLINK => "netlink",
        family::PACKET => "packet",
        family::KEY => "key",
        _ => "",
    };
    if name.is_empty() {
        let _ = write!(record, " family={}", socket.family);
    } else {
        let _ = write!(record, " family={name}");
    }
    if let Some(kind) = socket.nlmsg_type {
        let _ = write!(record, " nlmsg_type={kind}");
    }
    match socket.port {
        Some((PortUse::Source, port)) => {
            let _ = write!(record, " src={port}");
        }
        Some((PortUse::Destination, port)) => {
            let _ = write!(record, " dest={port}");
        }
        None => {}
    }
}

/// Appends `dev="…" ino=N` for `inode`.
fn audit_inode(record: &mut AuditRecord, inode: &Inode) {
    let _ = write!(record, " dev=");
    record.untrusted(inode.fs_id());
    let _ = write!(record, " ino={}", inode.ino());
}

/// A validated policy name as text (names are ASCII identifiers).
fn as_str(name: &[u8]) -> &str {
    core::str::from_utf8(name).unwrap_or("?")
}
