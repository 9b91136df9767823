// SPDX-License-Identifier: GPL-2.0

use super::*;
use crate::classmap::SOCKET_CLASSES;

#[test]
fn classes_follow_family_type_and_protocol() {
    use KernelClass as C;
    let cases = [
        (family::UNIX, kind::STREAM, 0, C::UnixStreamSocket),
        (family::UNIX, kind::SEQPACKET, 0, C::UnixStreamSocket),
        (family::UNIX, kind::DGRAM, 0, C::UnixDgramSocket),
        (family::INET, kind::STREAM, 0, C::TcpSocket),
        (family::INET6, kind::STREAM, 6, C::TcpSocket),
        (family::INET, kind::STREAM, 132, C::RawipSocket),
        (family::INET, kind::DGRAM, 0, C::UdpSocket),
        (family::INET6, kind::DGRAM, 17, C::UdpSocket),
        (family::INET, kind::DGRAM, 1, C::IcmpSocket),
        (family::INET6, kind::DGRAM, 58, C::IcmpSocket),
        (family::INET, kind::RAW, 1, C::RawipSocket),
        (
            family::NETLINK,
            kind::RAW,
            netlink::ROUTE,
            C::NetlinkRouteSocket,
        ),
        (
            family::NETLINK,
            kind::DGRAM,
            netlink::SOCK_DIAG,
            C::NetlinkTcpdiagSocket,
        ),
        (
            family::NETLINK,
            kind::RAW,
            netlink::AUDIT,
            C::NetlinkAuditSocket,
        ),
        (
            family::NETLINK,
            kind::RAW,
            netlink::KOBJECT_UEVENT,
            C::NetlinkKobjectUeventSocket,
        ),
        (family::NETLINK, kind::RAW, 2, C::NetlinkSocket),
        (family::NETLINK, kind::RAW, 31, C::NetlinkSocket),
        (family::PACKET, kind::RAW, 0, C::PacketSocket),
        (family::KEY, kind::RAW, 2, C::KeySocket),
        (40, kind::STREAM, 0, C::Socket),
    ];
    for (f, k, p, class) in cases {
        assert_eq!(socket_class(f, k, p), class, "{f} {k} {p}");
    }
}

#[test]
fn every_class_is_a_socket_class() {
    for f in 0..48 {
        for k in 0..12 {
            for p in [0, 1, 6, 17, 58, 132, 255, 4096] {
                assert!(socket_class(f, k, p).is_socket());
            }
        }
    }
}

#[test]
fn netlink_families_have_their_classes() {
    // Every family that has a class of its own gets a different one.
    let mut seen = [KernelClass::NetlinkSocket; 32];
    let mut n = 0;
    for p in 0..32 {
        let c = netlink_class(p);
        assert!(SOCKET_CLASSES.contains(&c));
        if c != KernelClass::NetlinkSocket {
            assert!(!seen.contains(&c), "{p}");
            seen[n] = c;
            n += 1;
        }
    }
    assert_eq!(n, 16);
}

#[test]
fn route_messages_get_read_or_write() {
    let read = NlmsgPerm::Perm(perm::NETLINK_ROUTE_SOCKET_NLMSG_READ);
    let write = NlmsgPerm::Perm(perm::NETLINK_ROUTE_SOCKET_NLMSG_WRITE);
    let c = KernelClass::NetlinkRouteSocket;
    // RTM_NEWLINK, RTM_DELLINK, RTM_GETLINK, RTM_SETLINK.
    assert_eq!(nlmsg_perm(c, 16), write);
    assert_eq!(nlmsg_perm(c, 17), write);
    assert_eq!(nlmsg_perm(c, 18), read);
    assert_eq!(nlmsg_perm(c, 19), write);
    // RTM_GETADDR, RTM_GETROUTE, RTM_GETNEIGH, RTM_GETTUNNEL.
    for t in [22, 26, 30, 122] {
        assert_eq!(nlmsg_perm(c, t), read, "{t}");
    }
    // Control messages and types past RTM_MAX are unknown.
    for t in [0, 1, 2, 3, 15, 124, 0xffff] {
        assert_eq!(nlmsg_perm(c, t), NlmsgPerm::Unknown, "{t}");
    }
}

#[test]
fn sock_diag_dumps_read_and_destroy_writes() {
    let c = KernelClass::NetlinkTcpdiagSocket;
    let read = NlmsgPerm::Perm(perm::NETLINK_TCPDIAG_SOCKET_NLMSG_READ);
    for t in [18, 19, 20] {
        assert_eq!(nlmsg_perm(c, t), read);
    }
    assert_eq!(
        nlmsg_perm(c, 21),
        NlmsgPerm::Perm(perm::NETLINK_TCPDIAG_SOCKET_NLMSG_WRITE)
    );
    for t in [0, 16, 17, 22, 1000] {
        assert_eq!(nlmsg_perm(c, t), NlmsgPerm::Unknown);
    }
}

#[test]
fn audit_messages() {
    let c = KernelClass::NetlinkAuditSocket;
    let p = |t| nlmsg_perm(c, t);
    assert_eq!(
        p(1000),
        NlmsgPerm::Perm(perm::NETLINK_AUDIT_SOCKET_NLMSG_READ)
    );
    assert_eq!(
        p(1001),
        NlmsgPerm::Perm(perm::NETLINK_AUDIT_SOCKET_NLMSG_WRITE)
    );
    assert_eq!(
        p(1013),
        NlmsgPerm::Perm(perm::NETLINK_AUDIT_SOCKET_NLMSG_READPRIV)
    );
    assert_eq!(
        p(1017),
        NlmsgPerm::Perm(perm::NETLINK_AUDIT_SOCKET_NLMSG_TTY_AUDIT)
    );
    for t in [1005, 1100, 1199, 2100, 2999] {
        assert_eq!(
            p(t),
            NlmsgPerm::Perm(perm::NETLINK_AUDIT_SOCKET_NLMSG_RELAY)
        );
    }
    for t in [999, 1002, 1099, 1200, 2099, 3000] {
        assert_eq!(p(t), NlmsgPerm::Unknown, "{t}");
    }
}

#[test]
fn families_without_a_table_are_not_mediated() {
    for c in [
        KernelClass::NetlinkSocket,
        KernelClass::NetlinkGenericSocket,
        KernelClass::NetlinkKobjectUeventSocket,
    ] {
        for t in [0, 16, 1000] {
            assert_eq!(nlmsg_perm(c, t), NlmsgPerm::NotMediated);
        }
    }
}

#[test]
fn xfrm_messages() {
    let c = KernelClass::NetlinkXfrmSocket;
    assert_eq!(
        nlmsg_perm(c, 0x10),
        NlmsgPerm::Perm(perm::NETLINK_XFRM_SOCKET_NLMSG_WRITE)
    );
    assert_eq!(
        nlmsg_perm(c, 0x12),
        NlmsgPerm::Perm(perm::NETLINK_XFRM_SOCKET_NLMSG_READ)
    );
    assert_eq!(
        nlmsg_perm(c, 0x28),
        NlmsgPerm::Perm(perm::NETLINK_XFRM_SOCKET_NLMSG_READ)
    );
    assert_eq!(nlmsg_perm(c, 0x29), NlmsgPerm::Unknown);
}
