// SPDX-License-Identifier: GPL-2.0

//! Sockets.
//!
//! A socket takes its creator's domain, or the policy's `type_transition`
//! for the creator's domain, itself and the socket's class; its `struct
//! sock` and its inode carry that label, so reads and writes through its
//! descriptor are checked on its class (`tcp_socket { write }`) like its
//! socket calls. Sockets the kernel makes for itself, and those labelled
//! with the kernel's initial label (made by kernel threads or before any
//! policy), are not checked, as in SELinux.
//!
//! Ports and nodes have no types of their own yet: `name_bind`,
//! `node_bind` and `name_connect` are checked on the `unlabeled` initial
//! label.

use kernel::prelude::*;

use crate::audit::{AuditObject, PortUse, SocketAudit};
use crate::classmap::{perm, KernelClass};
use crate::domain::current_sid;
use crate::framework::{
    hook_list, socket::no_peer_label, NetlinkMessages, Sock, SockAddr, Socket, SocketHooks,
    SocketKind, SocketOperation,
};
use crate::labels::new_object_sid;
use crate::object_label::SockSecurity;
use crate::policy::{HandleUnknown, InitialSid};
use crate::policy_store::Sid;
use crate::security_server::{server_with_policy, SecurityServer};
use crate::socket::{family, nlmsg_perm, socket_class, NlmsgPerm};
use crate::Carapace;

hook_list!(pub(crate) SOCKET_HOOKS: socket for Carapace => [
    socket_create,
    socket_post_create,
    socket_socketpair,
    socket_bind,
    socket_connect,
    socket_listen,
    socket_accept,
    socket_sendmsg,
    socket_recvmsg,
    socket_getsockname,
    socket_getpeername,
    socket_getsockopt,
    socket_setsockopt,
    socket_shutdown,
    unix_stream_connect,
    unix_may_send,
    sk_clone_security,
    sock_graft,
    netlink_send,
    socket_getpeersec_stream,
]);

/// The SID of the kernel's own sockets: they are not checked.
const KERNEL_SID: Sid = 0;

// The common socket permissions have the same bits in every socket class.
const CREATE: u32 = perm::SOCKET_CREATE;
const BIND: u32 = perm::SOCKET_BIND;
const CONNECT: u32 = perm::SOCKET_CONNECT;
const ACCEPT: u32 = perm::SOCKET_ACCEPT;

impl SocketHooks for Carapace {
    /// `socket_create`: `create` on the label the socket will have.
    fn socket_create(kind: SocketKind, kern: bool) -> Result {
        if kern {
            return Ok(());
        }
        let Some(server) = server_with_policy() else {
            return Ok(());
        };
        let class = socket_class(kind.family, kind.kind, kind.protocol);
        let sid = current_sid();
        let label = new_socket_sid(server, sid, class);
        let object = AuditObject::Socket(SocketAudit {
            family: kind.family,
            ..SocketAudit::default()
        });
        server.has_perm(sid, label, class, CREATE, object, true)
    }

    /// `socket_post_create`: labels the socket and its inode.
    fn socket_post_create(sock: &Socket, kind: SocketKind, kern: bool) -> Result {
        let class = socket_class(kind.family, kind.kind, kind.protocol);
        let sid = if kern {
            KERNEL_SID
        } else {
            let domain = current_sid();
            server_with_policy().map_or(domain, |server| new_socket_sid(server, domain, class))
        };
        sock.inode().security::<Carapace>().set_socket(sid, class);
        if let Some(sk) = sock.sock() {
            sk.security::<Carapace>().label().set(sid, class);
        }
        Ok(())
    }

    /// `socket_socketpair`: each end's peer is the other.
    fn socket_socketpair(a: &Socket, b: &Socket) -> Result {
        if let (Some(a), Some(b)) = (a.sock(), b.sock()) {
            let (a, b) = (a.security::<Carapace>(), b.security::<Carapace>());
            if let (Some((a_sid, _)), Some((b_sid, _))) = (a.label().get(), b.label().get()) {
                a.set_peer(b_sid);
                b.set_peer(a_sid);
            }
        }
        Ok(())
    }

    /// `socket_bind`: `bind`; for an IP socket also `node_bind`, and
    /// `name_bind` for a reserved port.
    fn socket_bind(sock: &Socket, addr: SockAddr) -> Result {
        let audit = SocketAudit {
            family: addr.family,
            port: addr.port.map(|p| (PortUse::Source, p)),
            ..SocketAudit::default()
        };
        sock_has_perm(sock, BIND, || audit)?;
        let (Some(port), Some(sk)) = (addr.port, sock.sock()) else {
            return Ok(());
        };
        let Some((_, class)) = sk.security::<Carapace>().label().get() else {
            return Ok(());
        };
        let (node_bind, name_bind) = match class {
            KernelClass::TcpSocket => (perm::TCP_SOCKET_NODE_BIND, perm::TCP_SOCKET_NAME_BIND),
            KernelClass::UdpSocket => (perm::UDP_SOCKET_NODE_BIND, perm::UDP_SOCKET_NAME_BIND),
            KernelClass::RawipSocket => {
                (perm::RAWIP_SOCKET_NODE_BIND, perm::RAWIP_SOCKET_NAME_BIND)
            }
            KernelClass::IcmpSocket => (perm::ICMP_SOCKET_NODE_BIND, perm::ICMP_SOCKET_NAME_BIND),
            _ => return Ok(()),
        };
        let name_bind = if port != 0 && sk.port_is_reserved(port) {
            name_bind
        } else {
            0
        };
        network_object_perm(sk, class, name_bind | node_bind, audit)
    }

    /// `socket_connect`: `connect`; for TCP also `name_connect`.
    fn socket_connect(sock: &Socket, addr: SockAddr) -> Result {
        let audit = SocketAudit {
            family: addr.family,
            port: addr.port.map(|p| (PortUse::Destination, p)),
            ..SocketAudit::default()
        };
        sock_has_perm(sock, CONNECT, || audit)?;
        match (addr.port, sock.sock()) {
            (Some(_), Some(sk)) if is_tcp(sk) => network_object_perm(
                sk,
                KernelClass::TcpSocket,
                perm::TCP_SOCKET_NAME_CONNECT,
                audit,
            ),
            _ => Ok(()),
        }
    }

    /// The other socket calls: the permission of the same name.
    // Inlined into each operation's trampoline, where `op` is a constant:
    // sending and receiving are the hottest socket hooks.
    #[inline(always)]
    fn socket_operation(sock: &Socket, op: SocketOperation) -> Result {
        let requested = match op {
            SocketOperation::Listen => perm::SOCKET_LISTEN,
            SocketOperation::Send => perm::SOCKET_WRITE,
            SocketOperation::Receive => perm::SOCKET_READ,
            SocketOperation::GetName => perm::SOCKET_GETATTR,
            SocketOperation::GetOption => perm::SOCKET_GETOPT,
            SocketOperation::SetOption => perm::SOCKET_SETOPT,
            SocketOperation::Shutdown => perm::SOCKET_SHUTDOWN,
        };
        sock_has_perm(sock, requested, || socket_audit(sock))
    }

    /// `socket_accept`: `accept`; the new socket gets the listener's label.
    fn socket_accept(sock: &Socket, new: &Socket) -> Result {
        sock_has_perm(sock, ACCEPT, || socket_audit(sock))?;
        if let Some(sk) = sock.sock() {
            if let Some((sid, class)) = sk.security::<Carapace>().label().get() {
                new.inode().security::<Carapace>().set_socket(sid, class);
            }
        }
        Ok(())
    }

    /// `unix_stream_connect`: the connecting socket needs `connectto` on
    /// the listener. The server side of the connection gets the
    /// listener's label; each end's peer is the other's label.
    fn unix_stream_connect(sock: &Sock, other: &Sock, new: &Sock) -> Result {
        let (client, listener) = (sock.security::<Carapace>(), other.security::<Carapace>());
        let (client_sid, listener_label) = (label_sid(client), listener.label().get());
        if let (Some(server), Some((listener_sid, class))) = (server_with_policy(), listener_label)
        {
            if client_sid != KERNEL_SID && listener_sid != KERNEL_SID {
                let object = AuditObject::Socket(SocketAudit {
                    family: family::UNIX,
                    ..SocketAudit::default()
                });
                let requested = perm::UNIX_STREAM_SOCKET_CONNECTTO;
                server.has_perm(client_sid, listener_sid, class, requested, object, true)?;
            }
        }
        let server_side = new.security::<Carapace>();
        server_side.label().copy_from(listener.label());
        server_side.set_peer(client_sid);
        client.set_peer(label_sid(listener));
        Ok(())
    }

    /// `unix_may_send`: the sending socket needs `sendto` on the receiver.
    fn unix_may_send(sock: &Socket, other: &Socket) -> Result {
        let Some(server) = server_with_policy() else {
            return Ok(());
        };
        let (Some(sk), Some(other)) = (sock.sock(), other.sock()) else {
            return Ok(());
        };
        let source = label_sid(sk.security::<Carapace>());
        let Some((target, class)) = other.security::<Carapace>().label().get() else {
            return Ok(());
        };
        if source == KERNEL_SID || target == KERNEL_SID {
            return Ok(());
        }
        let object = AuditObject::Socket(SocketAudit {
            family: family::UNIX,
            ..SocketAudit::default()
        });
        let sendto = perm::UNIX_DGRAM_SOCKET_SENDTO;
        server.has_perm(source, target, class, sendto, object, true)
    }

    /// `sk_clone_security`: an accepted connection's sock is labelled as
    /// its listener.
    fn sk_clone_security(sk: &Sock, new: &Sock) {
        new.security::<Carapace>()
            .copy_from(sk.security::<Carapace>());
    }

    /// `sock_graft`: the socket's inode takes the label of the sock it
    /// gets (an accepted Unix connection's sock has the listener's
    /// label).
    fn sock_graft(sk: &Sock, parent: &Socket) {
        if !matches!(sk.family(), family::UNIX | family::INET | family::INET6) {
            return;
        }
        if let Some((sid, class)) = sk.security::<Carapace>().label().get() {
            parent.inode().security::<Carapace>().set_socket(sid, class);
        }
    }

    /// `netlink_send`: each message needs the permission its type asks of
    /// the family's class; a type the family's table does not know is
    /// refused (`EINVAL`) unless the policy allows unknown permissions,
    /// as in SELinux.
    fn netlink_send(sk: &Sock, messages: NetlinkMessages<'_>) -> Result {
        let Some(server) = server_with_policy() else {
            return Ok(());
        };
        let Some((sid, class)) = sk.security::<Carapace>().label().get() else {
            return Ok(());
        };
        if sid == KERNEL_SID {
            return Ok(());
        }
        for message in messages {
            let Ok(kind) = message else {
                // The kernel acts on nothing from here on.
                break;
            };
            let audit = SocketAudit {
                family: family::NETLINK,
                nlmsg_type: Some(kind),
                ..SocketAudit::default()
            };
            match nlmsg_perm(class, kind) {
                NlmsgPerm::Perm(requested) => {
                    let object = AuditObject::Socket(audit);
                    server.has_perm(current_sid(), sid, class, requested, object, true)?
                }
                NlmsgPerm::Unknown if refuses_unknown(server) => return Err(EINVAL),
                NlmsgPerm::Unknown | NlmsgPerm::NotMediated => {}
            }
        }
        Ok(())
    }

    /// `SO_PEERSEC`: the domain at the other end of a Unix connection or
    /// pair.
    fn socket_getpeersec_stream(sock: &Socket) -> Result<KVec<u8>> {
        let server = server_with_policy().ok_or_else(no_peer_label)?;
        let sk = sock.sock().ok_or_else(no_peer_label)?;
        let peer = sk.security::<Carapace>().peer().ok_or_else(no_peer_label)?;
        let mut name = KVec::new();
        server.sid_name(peer, &mut name)?;
        Ok(name)
    }
}

/// The label of a new socket of `class` made by `domain`: the policy's
/// `type_transition domain domain : class`, else `domain`.
fn new_socket_sid(server: &SecurityServer, domain: Sid, class: KernelClass) -> Sid {
    new_object_sid(server, domain, domain, class).unwrap_or(domain)
}

/// The SID of a sock's label (the kernel's when it has none).
fn label_sid(sk: &SockSecurity) -> Sid {
    sk.label().get().map_or(KERNEL_SID, |(sid, _)| sid)
}

/// Checks that the current domain has `requested` on `sock`'s label
/// (kernel sockets are not checked); `audit` describes it for a record.
#[inline(always)]
fn sock_has_perm(sock: &Socket, requested: u32, audit: impl FnOnce() -> SocketAudit) -> Result {
    let Some(sk) = sock.sock() else {
        return Ok(());
    };
    let label = sk.security::<Carapace>().label();
    // A kernel socket's last decision is never recorded.
    if label.granted(current_sid(), requested) {
        return Ok(());
    }
    let Some(server) = server_with_policy() else {
        return Ok(());
    };
    if !label.get().is_some_and(|(sid, _)| sid != KERNEL_SID) {
        return Ok(());
    }
    let object = AuditObject::Socket(audit());
    label.has_perm_checked(server, current_sid(), requested, object)
}

/// Checks `requested` (`name_bind`, `node_bind`, `name_connect`) of the
/// socket's `class` from `sk`'s label on the ports' and nodes' label.
fn network_object_perm(
    sk: &Sock,
    class: KernelClass,
    requested: u32,
    audit: SocketAudit,
) -> Result {
    let Some(server) = server_with_policy() else {
        return Ok(());
    };
    let sid = label_sid(sk.security::<Carapace>());
    if sid == KERNEL_SID || requested == 0 {
        return Ok(());
    }
    let target = server
        .with_policy(|policy, db| policy.initial(db, InitialSid::Unlabeled))
        .unwrap_or(KERNEL_SID);
    server.has_perm(
        sid,
        target,
        class,
        requested,
        AuditObject::Socket(audit),
        true,
    )
}

/// Whether `sk` is a TCP socket.
fn is_tcp(sk: &Sock) -> bool {
    matches!(
        sk.security::<Carapace>().label().get(),
        Some((_, KernelClass::TcpSocket))
    )
}

/// The audit details of an operation on `sock`: its family.
fn socket_audit(sock: &Socket) -> SocketAudit {
    SocketAudit {
        family: sock.sock().map_or(0, Sock::family),
        ..SocketAudit::default()
    }
}

/// Whether permissions the policy does not know are refused: enforcing,
/// and a policy that does not allow them.
fn refuses_unknown(server: &SecurityServer) -> bool {
    server.enforcing()
        && server.with_policy(|_, db| db.handle_unknown()) != Some(HandleUnknown::Allow)
}
