// SPDX-License-Identifier: GPL-2.0

//! Sockets: the class of a new socket, and what a netlink message asks.
//!
//! A socket's class follows from its address family, type and protocol
//! as in SELinux (without the extended socket classes: families other
//! than Unix, IP, netlink, packet and key share `socket`). A message sent
//! to a netlink family that carapace knows is checked as `nlmsg_read` or
//! `nlmsg_write` (and, for audit, `nlmsg_relay`, `nlmsg_readpriv` or
//! `nlmsg_tty_audit`) from a table of its message types; the numbers are
//! the kernel's UAPI values.

use crate::classmap::{perm, KernelClass};

/// Address families (`AF_*`, include/linux/socket.h).
pub mod family {
    /// `AF_UNIX`.
    pub const UNIX: u32 = 1;
    /// `AF_INET`.
    pub const INET: u32 = 2;
    /// `AF_INET6`.
    pub const INET6: u32 = 10;
    /// `AF_KEY`.
    pub const KEY: u32 = 15;
    /// `AF_NETLINK`.
    pub const NETLINK: u32 = 16;
    /// `AF_PACKET`.
    pub const PACKET: u32 = 17;
}

/// Socket types (`SOCK_*`, without the `SOCK_NONBLOCK`/`SOCK_CLOEXEC`
/// flags).
pub mod kind {
    /// `SOCK_STREAM`.
    pub const STREAM: u32 = 1;
    /// `SOCK_DGRAM`.
    pub const DGRAM: u32 = 2;
    /// `SOCK_RAW`.
    pub const RAW: u32 = 3;
    /// `SOCK_SEQPACKET`.
    pub const SEQPACKET: u32 = 5;
}

/// IP protocols (`IPPROTO_*`).
mod ipproto {
    pub(super) const IP: u32 = 0;
    pub(super) const ICMP: u32 = 1;
    pub(super) const TCP: u32 = 6;
    pub(super) const UDP: u32 = 17;
    pub(super) const ICMPV6: u32 = 58;
}

/// Netlink families (`NETLINK_*`, include/uapi/linux/netlink.h).
pub mod netlink {
    /// `NETLINK_ROUTE`.
    pub const ROUTE: u32 = 0;
    /// `NETLINK_SOCK_DIAG` (formerly `NETLINK_INET_DIAG`).
    pub const SOCK_DIAG: u32 = 4;
    /// `NETLINK_NFLOG`.
    pub const NFLOG: u32 = 5;
    /// `NETLINK_XFRM`.
    pub const XFRM: u32 = 6;
    /// `NETLINK_SELINUX`.
    pub const SELINUX: u32 = 7;
    /// `NETLINK_ISCSI`.
    pub const ISCSI: u32 = 8;
    /// `NETLINK_AUDIT`.
    pub const AUDIT: u32 = 9;
    /// `NETLINK_FIB_LOOKUP`.
    pub const FIB_LOOKUP: u32 = 10;
    /// `NETLINK_CONNECTOR`.
    pub const CONNECTOR: u32 = 11;
    /// `NETLINK_NETFILTER`.
    pub const NETFILTER: u32 = 12;
    /// `NETLINK_DNRTMSG`.
    pub const DNRTMSG: u32 = 14;
    /// `NETLINK_KOBJECT_UEVENT`.
    pub const KOBJECT_UEVENT: u32 = 15;
    /// `NETLINK_GENERIC`.
    pub const GENERIC: u32 = 16;
    /// `NETLINK_SCSITRANSPORT`.
    pub const SCSITRANSPORT: u32 = 18;
    /// `NETLINK_RDMA`.
    pub const RDMA: u32 = 20;
    /// `NETLINK_CRYPTO`.
    pub const CRYPTO: u32 = 21;
}

/// The class of a socket of `family`, `kind` and `protocol`.
pub fn socket_class(family: u32, kind: u32, protocol: u32) -> KernelClass {
    match family {
        family::UNIX => match kind {
            kind::STREAM | kind::SEQPACKET => KernelClass::UnixStreamSocket,
            _ => KernelClass::UnixDgramSocket,
        },
        family::INET | family::INET6 => match (kind, protocol) {
            (kind::STREAM, ipproto::IP | ipproto::TCP) => KernelClass::TcpSocket,
            (kind::DGRAM, ipproto::IP | ipproto::UDP) => KernelClass::UdpSocket,
            (kind::DGRAM, ipproto::ICMP | ipproto::ICMPV6) => KernelClass::IcmpSocket,
            _ => KernelClass::RawipSocket,
        },
        family::NETLINK => netlink_class(protocol),
        family::PACKET => KernelClass::PacketSocket,
        family::KEY => KernelClass::KeySocket,
        _ => KernelClass::Socket,
    }
}

/// The class of a netlink socket of family `protocol`.
fn netlink_class(protocol: u32) -> KernelClass {
    match protocol {
        netlink::ROUTE => KernelClass::NetlinkRouteSocket,
        netlink::SOCK_DIAG => KernelClass::NetlinkTcpdiagSocket,
        netlink::NFLOG => KernelClass::NetlinkNflogSocket,
        netlink::XFRM => KernelClass::NetlinkXfrmSocket,
        netlink::SELINUX => KernelClass::NetlinkSelinuxSocket,
        netlink::ISCSI => KernelClass::NetlinkIscsiSocket,
        netlink::AUDIT => KernelClass::NetlinkAuditSocket,
        netlink::FIB_LOOKUP => KernelClass::NetlinkFibLookupSocket,
        netlink::CONNECTOR => KernelClass::NetlinkConnectorSocket,
        netlink::NETFILTER => KernelClass::NetlinkNetfilterSocket,
        netlink::DNRTMSG => KernelClass::NetlinkDnrtSocket,
        netlink::KOBJECT_UEVENT => KernelClass::NetlinkKobjectUeventSocket,
        netlink::GENERIC => KernelClass::NetlinkGenericSocket,
        netlink::SCSITRANSPORT => KernelClass::NetlinkScsitransportSocket,
        netlink::RDMA => KernelClass::NetlinkRdmaSocket,
        netlink::CRYPTO => KernelClass::NetlinkCryptoSocket,
        _ => KernelClass::NetlinkSocket,
    }
}

/// What a netlink message asks of its sender's socket.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NlmsgPerm {
    /// These permissions of the socket's class.
    Perm(u32),
    /// A message type the family's table does not know: denied unless
    /// the policy allows unknown permissions (`handle_unknown allow`).
    Unknown,
    /// A family whose messages carapace does not tell apart: only the
    /// socket's `write`, checked when the message is sent.
    NotMediated,
}

/// The permission a message of type `nlmsg_type` needs on a netlink
/// socket of `class`.
pub fn nlmsg_perm(class: KernelClass, nlmsg_type: u16) -> NlmsgPerm {
    match class {
        KernelClass::NetlinkRouteSocket => route_perm(nlmsg_type),
        KernelClass::NetlinkTcpdiagSocket => sock_diag_perm(nlmsg_type),
        KernelClass::NetlinkAuditSocket => audit_perm(nlmsg_type),
        KernelClass::NetlinkXfrmSocket => xfrm_perm(nlmsg_type),
        _ => NlmsgPerm::NotMediated,
    }
}

/// Routing messages (include/uapi/linux/rtnetlink.h): each object has
/// four consecutive types from `RTM_BASE`, NEW, DEL, GET and SET; GET
/// reads and the others write.
fn route_perm(t: u16) -> NlmsgPerm {
    /// `RTM_BASE`.
    const BASE: u16 = 16;
    /// `RTM_MAX` of Linux 6.12 (`RTM_GETTUNNEL` rounded up to its group).
    const MAX: u16 = 123;
    if !(BASE..=MAX).contains(&t) {
        return NlmsgPerm::Unknown;
    }
    // BASE is a multiple of 4: the type's place in its group is t % 4.
    if t & 3 == 2 {
        NlmsgPerm::Perm(perm::NETLINK_ROUTE_SOCKET_NLMSG_READ)
    } else {
        NlmsgPerm::Perm(perm::NETLINK_ROUTE_SOCKET_NLMSG_WRITE)
    }
}

/// Socket diagnostics (include/uapi/linux/sock_diag.h, inet_diag.h):
/// dumping sockets reads, destroying one writes.
fn sock_diag_perm(t: u16) -> NlmsgPerm {
    /// `TCPDIAG_GETSOCK`, `DCCPDIAG_GETSOCK`, `SOCK_DIAG_BY_FAMILY`.
    const READS: [u16; 3] = [18, 19, 20];
    /// `SOCK_DESTROY`.
    const DESTROY: u16 = 21;
    if READS.contains(&t) {
        NlmsgPerm::Perm(perm::NETLINK_TCPDIAG_SOCKET_NLMSG_READ)
    } else if t == DESTROY {
        NlmsgPerm::Perm(perm::NETLINK_TCPDIAG_SOCKET_NLMSG_WRITE)
    } else {
        NlmsgPerm::Unknown
    }
}

/// Audit messages (include/uapi/linux/audit.h).
fn audit_perm(t: u16) -> NlmsgPerm {
    const READ: u32 = perm::NETLINK_AUDIT_SOCKET_NLMSG_READ;
    const WRITE: u32 = perm::NETLINK_AUDIT_SOCKET_NLMSG_WRITE;
    const RELAY: u32 = perm::NETLINK_AUDIT_SOCKET_NLMSG_RELAY;
    const READPRIV: u32 = perm::NETLINK_AUDIT_SOCKET_NLMSG_READPRIV;
    const TTY_AUDIT: u32 = perm::NETLINK_AUDIT_SOCKET_NLMSG_TTY_AUDIT;
    let p = match t {
        // AUDIT_GET, AUDIT_SIGNAL_INFO, AUDIT_TTY_GET, AUDIT_GET_FEATURE.
        1000 | 1010 | 1016 | 1019 => READ,
        // AUDIT_SET, AUDIT_ADD_RULE, AUDIT_DEL_RULE, AUDIT_TRIM,
        // AUDIT_MAKE_EQUIV, AUDIT_SET_FEATURE.
        1001 | 1011 | 1012 | 1014 | 1015 | 1018 => WRITE,
        // AUDIT_LIST_RULES: the rules may name what they watch.
        1013 => READPRIV,
        // AUDIT_TTY_SET.
        1017 => TTY_AUDIT,
        // AUDIT_USER, and the user-space message ranges
        // (AUDIT_FIRST_USER_MSG … AUDIT_LAST_USER_MSG,
        // AUDIT_FIRST_USER_MSG2 … AUDIT_LAST_USER_MSG2).
        1005 | 1100..=1199 | 2100..=2999 => RELAY,
        _ => return NlmsgPerm::Unknown,
    };
    NlmsgPerm::Perm(p)
}

/// IPsec messages (include/uapi/linux/xfrm.h): GET types read, the rest
/// write, up to `XFRM_MSG_MAX` of Linux 6.12.
fn xfrm_perm(t: u16) -> NlmsgPerm {
    /// `XFRM_MSG_BASE`.
    const BASE: u16 = 0x10;
    /// `XFRM_MSG_MAX` (`XFRM_MSG_GETDEFAULT`).
    const MAX: u16 = 0x28;
    /// `XFRM_MSG_GETSA`, `GETPOLICY`, `GETAE`, `GETSADINFO`, `GETSPDINFO`,
    /// `GETDEFAULT`.
    const READS: [u16; 6] = [0x12, 0x15, 0x1f, 0x23, 0x25, 0x28];
    if !(BASE..=MAX).contains(&t) {
        NlmsgPerm::Unknown
    } else if READS.contains(&t) {
        NlmsgPerm::Perm(perm::NETLINK_XFRM_SOCKET_NLMSG_READ)
    } else {
        NlmsgPerm::Perm(perm::NETLINK_XFRM_SOCKET_NLMSG_WRITE)
    }
}

#[cfg(test)]
mod tests;
