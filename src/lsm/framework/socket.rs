// SPDX-License-Identifier: GPL-2.0

//! Sockets as the hooks see them, and the hooks of the socket family
//! ([`SocketHooks`]): creation, addresses, messages, Unix peers, netlink
//! messages and `SO_PEERSEC`.

use kernel::{bindings, prelude::*, types::Opaque, uaccess::UserSlice};

use super::{cred::blob, Inode, SecurityModule};

/// The hooks on sockets.
///
/// Each has the framework's default behaviour; an `Err` becomes the hook's
/// negative errno.
pub(crate) trait SocketHooks: SecurityModule {
    /// `socket_create`: may the current task create a socket of `kind`
    /// (`kern`: for the kernel's own use)?
    fn socket_create(_kind: SocketKind, _kern: bool) -> Result {
        Ok(())
    }

    /// `socket_post_create`: `sock` was created as `kind`.
    fn socket_post_create(_sock: &Socket, _kind: SocketKind, _kern: bool) -> Result {
        Ok(())
    }

    /// `socket_socketpair`: `a` and `b` were connected to each other.
    fn socket_socketpair(_a: &Socket, _b: &Socket) -> Result {
        Ok(())
    }

    /// `socket_bind`: may the current task bind `sock` to `addr`?
    fn socket_bind(_sock: &Socket, _addr: SockAddr) -> Result {
        Ok(())
    }

    /// `socket_connect`: may the current task connect `sock` to `addr`?
    fn socket_connect(_sock: &Socket, _addr: SockAddr) -> Result {
        Ok(())
    }

    /// `socket_listen`, `socket_sendmsg`, `socket_recvmsg`,
    /// `socket_getsockname`, `socket_getpeername`, `socket_getsockopt`,
    /// `socket_setsockopt`, `socket_shutdown`: may the current task do `op`
    /// on `sock`?
    fn socket_operation(_sock: &Socket, _op: SocketOperation) -> Result {
        Ok(())
    }

    /// `socket_accept`: may the current task accept a connection on `sock`
    /// into `new` (which has no `struct sock` yet)?
    fn socket_accept(_sock: &Socket, _new: &Socket) -> Result {
        Ok(())
    }

    /// `unix_stream_connect`: may `sock` connect to the listening `other`?
    /// `new` is the server side of the connection.
    fn unix_stream_connect(_sock: &Sock, _other: &Sock, _new: &Sock) -> Result {
        Ok(())
    }

    /// `unix_may_send`: may `sock` send a datagram to `other`?
    fn unix_may_send(_sock: &Socket, _other: &Socket) -> Result {
        Ok(())
    }

    /// `sk_clone_security`: `new` is a copy of `sk` (an accepted
    /// connection).
    fn sk_clone_security(_sk: &Sock, _new: &Sock) {}

    /// `sock_graft`: `sk` becomes the `struct sock` of `parent`.
    fn sock_graft(_sk: &Sock, _parent: &Socket) {}

    /// `netlink_send`: may the current task send `messages` on `sk`?
    fn netlink_send(_sk: &Sock, _messages: NetlinkMessages<'_>) -> Result {
        Ok(())
    }

    /// `socket_getpeersec_stream`: the context of `sock`'s peer, for
    /// `SO_PEERSEC` (no NUL; one is added). `ENOPROTOOPT` when there is
    /// none.
    fn socket_getpeersec_stream(_sock: &Socket) -> Result<KVec<u8>> {
        Err(no_peer_label())
    }
}

/// `ENOPROTOOPT`: a socket has no peer label to report.
pub(crate) fn no_peer_label() -> Error {
    Error::from_errno((bindings::ENOPROTOOPT as i32).wrapping_neg())
}

/// What a socket is: its address family, type and protocol.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct SocketKind {
    /// The address family (`AF_*`).
    pub(crate) family: u32,
    /// The type (`SOCK_*`).
    pub(crate) kind: u32,
    /// The protocol.
    pub(crate) protocol: u32,
}

impl SocketKind {
    fn new(family: i32, kind: i32, protocol: i32) -> Self {
        Self {
            family: family as u32,
            kind: kind as u32,
            protocol: protocol as u32,
        }
    }
}

/// An operation on a socket, checked against its label.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum SocketOperation {
    /// `listen()`.
    Listen,
    /// Sending a message.
    Send,
    /// Receiving a message.
    Receive,
    /// `getsockname()`, `getpeername()`.
    GetName,
    /// `getsockopt()`.
    GetOption,
    /// `setsockopt()`.
    SetOption,
    /// `shutdown()`.
    Shutdown,
}

/// A socket address passed to `bind()` or `connect()`: its family and,
/// for IPv4 and IPv6, its port.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct SockAddr {
    /// The address family (`AF_UNSPEC` is 0).
    pub(crate) family: u32,
    /// The port (host order) of an IP address.
    pub(crate) port: Option<u16>,
}

impl SockAddr {
    /// Reads `len` bytes at `addr`, a copy the kernel made of the user's
    /// address. `EINVAL` when too short for its family.
    ///
    /// # Safety
    ///
    /// `addr` must be readable for `len` bytes.
    unsafe fn read(addr: *const bindings::sockaddr, len: i32) -> Result<Self> {
        let len = usize::try_from(len).map_err(|_| EINVAL)?;
        if len < core::mem::size_of::<u16>() {
            return Err(EINVAL);
        }
        // SAFETY: at least the family is readable (checked above and
        // guaranteed by the caller).
        let family = u32::from(unsafe { (*addr).sa_family });
        let full = match family {
            bindings::AF_INET => core::mem::size_of::<bindings::sockaddr_in>(),
            bindings::AF_INET6 => core::mem::size_of::<bindings::sockaddr_in6>(),
            _ => return Ok(Self { family, port: None }),
        };
        if len < full {
            return Err(EINVAL);
        }
        // SAFETY: `sockaddr_in` and `sockaddr_in6` both hold the port,
        // in network order, right after the family; `len` covers it.
        let port = unsafe { (*addr.cast::<bindings::sockaddr_in>()).sin_port };
        Ok(Self {
            family,
            port: Some(u16::from_be(port)),
        })
    }
}

/// A socket (`struct socket`).
///
/// # Invariants
///
/// The wrapped socket is valid for as long as the reference lives; it is
/// embedded in a `struct socket_alloc` beside its inode.
#[repr(transparent)]
pub(crate) struct Socket(Opaque<bindings::socket>);

impl Socket {
    /// # Safety
    ///
    /// `ptr` must point to a valid socket of sockfs (allocated by
    /// `sock_alloc()`), alive for `'a`.
    unsafe fn from_raw<'a>(ptr: *const bindings::socket) -> &'a Self {
        // SAFETY: transparent wrapper; the caller guarantees validity.
        unsafe { &*ptr.cast() }
    }

    /// The socket's inode (`SOCK_INODE()`), which carries its label for
    /// the file hooks.
    pub(crate) fn inode(&self) -> &Inode {
        let offset = core::mem::offset_of!(bindings::socket_alloc, vfs_inode)
            .wrapping_sub(core::mem::offset_of!(bindings::socket_alloc, socket));
        // SAFETY: the socket is the `socket` field of a `socket_alloc`
        // (type invariant), whose `vfs_inode` lives as long as it does.
        unsafe {
            let inode = self.0.get().cast::<u8>().wrapping_add(offset);
            Inode::from_raw(inode.cast())
        }
    }

    /// The network layer's socket, once there is one.
    pub(crate) fn sock(&self) -> Option<&Sock> {
        // SAFETY: `sk` is set by the protocol's `create()` (or `accept()`)
        // and stays until the socket is released, after every hook.
        let sk = unsafe { (*self.0.get()).sk };
        // SAFETY: a non-null `sk` is a valid sock with its blob.
        (!sk.is_null()).then(|| unsafe { Sock::from_raw(sk) })
    }
}

/// A network-layer socket (`struct sock`).
///
/// # Invariants
///
/// The wrapped sock is valid, with its security blob allocated by the
/// framework, for as long as the reference lives.
#[repr(transparent)]
pub(crate) struct Sock(Opaque<bindings::sock>);

impl Sock {
    /// # Safety
    ///
    /// `ptr` must point to a valid sock, with its security blob allocated
    /// by the framework, alive for `'a`.
    unsafe fn from_raw<'a>(ptr: *const bindings::sock) -> &'a Self {
        // SAFETY: transparent wrapper; the caller guarantees validity.
        unsafe { &*ptr.cast() }
    }

    /// The module's part of the sock's security blob.
    #[inline]
    pub(crate) fn security<M: SecurityModule>(&self) -> &M::SockSecurity {
        // SAFETY: every sock gets a zeroed blob of the declared size
        // (`sk_alloc_security`), freed with the sock; `SockSecurity` is
        // `Zeroable` and `Sync`.
        unsafe {
            &*blob::<M::SockSecurity>((*self.0.get()).sk_security, M::blob_offsets().lbs_sock)
        }
    }

    /// Whether binding `port` takes more than an ordinary bind, as the
    /// kernel's network namespace says: a port below
    /// `net.ipv4.ip_unprivileged_port_start`, or outside
    /// `net.ipv4.ip_local_port_range`, where the kernel picks ports itself.
    pub(crate) fn port_is_reserved(&self, port: u16) -> bool {
        // SAFETY: a sock holds a reference to its namespace; the two
        // settings are read once each, as the kernel does (`READ_ONCE`).
        let (range, unprivileged) = unsafe {
            let net = (*self.0.get()).__sk_common.skc_net.net;
            (
                core::ptr::read_volatile(core::ptr::addr_of!((*net).ipv4.ip_local_ports.range)),
                core::ptr::read_volatile(core::ptr::addr_of!((*net).ipv4.sysctl_ip_prot_sock)),
            )
        };
        let (low, high) = (range & 0xffff, range >> 16);
        let port = u32::from(port);
        i64::from(port) < i64::from(unprivileged) || port < low || port > high
    }

    /// The address family.
    pub(crate) fn family(&self) -> u32 {
        // SAFETY: set when the sock is allocated, never changed.
        u32::from(unsafe { (*self.0.get()).__sk_common.skc_family })
    }
}

/// The netlink messages of one `sendmsg()`: their types, in order.
pub(crate) struct NetlinkMessages<'a> {
    data: &'a [u8],
}

impl<'a> NetlinkMessages<'a> {
    /// # Safety
    ///
    /// `skb` must be a valid, linear socket buffer (netlink's are) alive
    /// for `'a`.
    unsafe fn from_raw(skb: *const bindings::sk_buff) -> Self {
        // SAFETY: guaranteed by the caller: `data` holds `len` bytes.
        let data = unsafe {
            let (data, len) = ((*skb).data, (*skb).len);
            if data.is_null() {
                &[][..]
            } else {
                core::slice::from_raw_parts(data, len as usize)
            }
        };
        Self { data }
    }
}

impl Iterator for NetlinkMessages<'_> {
    /// A message's type, or `Err(())` where the messages end: a truncated
    /// header, or a length shorter than the header or past the end.
    type Item = core::result::Result<u16, ()>;

    fn next(&mut self) -> Option<Self::Item> {
        // struct nlmsghdr: u32 len, u16 type, u16 flags, u32 seq, u32 pid.
        const HEADER: usize = 16;
        const ALIGN: usize = 4;
        if self.data.is_empty() {
            return None;
        }
        let Some(header) = self.data.get(..HEADER) else {
            // What the kernel would reject as malformed: nothing follows.
            self.data = &[];
            return Some(Err(()));
        };
        let len = header
            .get(0..4)
            .and_then(|b| <[u8; 4]>::try_from(b).ok())
            .map_or(0, u32::from_ne_bytes) as usize;
        let kind = header
            .get(4..6)
            .and_then(|b| <[u8; 2]>::try_from(b).ok())
            .map_or(0, u16::from_ne_bytes);
        // A length shorter than the header or past the end is no message:
        // the kernel's receivers (`netlink_rcv_skb()`) stop there without
        // acting on it, and so does the walk. (A sender may pass a buffer
        // longer than its message, its tail zeros.)
        if len < HEADER || len > self.data.len() {
            self.data = &[];
            return Some(Err(()));
        }
        // The next message starts after this one, aligned.
        let step = len.checked_add(ALIGN - 1).map(|l| l & !(ALIGN - 1));
        self.data = step.and_then(|s| self.data.get(s..)).unwrap_or(&[]);
        Some(Ok(kind))
    }
}

/// Writes `value` to a socket option buffer (`sockptr_t`).
///
/// # Safety
///
/// `ptr` must be a valid `sockptr_t` whose buffer holds at least
/// `value.len()` bytes (a kernel one) or is a user address.
unsafe fn write_sockptr(ptr: bindings::sockptr_t, value: &[u8]) -> Result {
    if ptr.is_kernel() {
        // SAFETY: guaranteed by the caller.
        unsafe {
            let dst = ptr.__bindgen_anon_1.kernel.cast::<u8>();
            core::ptr::copy_nonoverlapping(value.as_ptr(), dst, value.len());
        }
        Ok(())
    } else {
        // SAFETY: a user address; the copy checks it.
        let user = unsafe { ptr.__bindgen_anon_1.user } as usize;
        UserSlice::new(user, value.len())
            .writer()
            .write_slice(value)
    }
}

/// The `extern "C"` functions the static calls of this family jump to.
pub(crate) mod trampolines {
    use kernel::{
        bindings,
        ffi::{c_int, c_uint},
    };

    use super::{
        write_sockptr, NetlinkMessages, Sock, SockAddr, Socket, SocketHooks, SocketKind,
        SocketOperation,
    };
    use crate::framework::to_c;

    /// # Safety
    ///
    /// Called by `__sock_create()`.
    pub(crate) unsafe extern "C" fn socket_create<M: SocketHooks>(
        family: c_int,
        kind: c_int,
        protocol: c_int,
        kern: c_int,
    ) -> c_int {
        to_c(M::socket_create(
            SocketKind::new(family, kind, protocol),
            kern != 0,
        ))
    }

    /// # Safety
    ///
    /// Called by `__sock_create()` with the new socket.
    pub(crate) unsafe extern "C" fn socket_post_create<M: SocketHooks>(
        sock: *mut bindings::socket,
        family: c_int,
        kind: c_int,
        protocol: c_int,
        kern: c_int,
    ) -> c_int {
        // SAFETY: as documented above.
        let sock = unsafe { Socket::from_raw(sock) };
        let kind = SocketKind::new(family, kind, protocol);
        to_c(M::socket_post_create(sock, kind, kern != 0))
    }

    /// # Safety
    ///
    /// Called by `socketpair()` with two connected sockets.
    pub(crate) unsafe extern "C" fn socket_socketpair<M: SocketHooks>(
        a: *mut bindings::socket,
        b: *mut bindings::socket,
    ) -> c_int {
        // SAFETY: as documented above.
        let (a, b) = unsafe { (Socket::from_raw(a), Socket::from_raw(b)) };
        to_c(M::socket_socketpair(a, b))
    }

    /// # Safety
    ///
    /// Called by `bind()` with a socket and the kernel's copy of the
    /// address, `addrlen` bytes.
    pub(crate) unsafe extern "C" fn socket_bind<M: SocketHooks>(
        sock: *mut bindings::socket,
        addr: *mut bindings::sockaddr,
        addrlen: c_int,
    ) -> c_int {
        // SAFETY: as documented above.
        let (sock, addr) = unsafe { (Socket::from_raw(sock), SockAddr::read(addr, addrlen)) };
        to_c(addr.and_then(|addr| M::socket_bind(sock, addr)))
    }

    /// # Safety
    ///
    /// As for `socket_bind`, from `connect()`.
    pub(crate) unsafe extern "C" fn socket_connect<M: SocketHooks>(
        sock: *mut bindings::socket,
        addr: *mut bindings::sockaddr,
        addrlen: c_int,
    ) -> c_int {
        // SAFETY: as documented above.
        let (sock, addr) = unsafe { (Socket::from_raw(sock), SockAddr::read(addr, addrlen)) };
        to_c(addr.and_then(|addr| M::socket_connect(sock, addr)))
    }

    /// # Safety
    ///
    /// Called by `accept()` with the listening socket and the new one.
    pub(crate) unsafe extern "C" fn socket_accept<M: SocketHooks>(
        sock: *mut bindings::socket,
        new: *mut bindings::socket,
    ) -> c_int {
        // SAFETY: as documented above.
        let (sock, new) = unsafe { (Socket::from_raw(sock), Socket::from_raw(new)) };
        to_c(M::socket_accept(sock, new))
    }

    /// Calls [`SocketHooks::socket_operation`].
    ///
    /// # Safety
    ///
    /// `sock` must be a valid socket.
    #[inline(always)]
    unsafe fn operation<M: SocketHooks>(sock: *mut bindings::socket, op: SocketOperation) -> c_int {
        // SAFETY: guaranteed by the caller.
        to_c(M::socket_operation(unsafe { Socket::from_raw(sock) }, op))
    }

    /// # Safety
    ///
    /// Called by `listen()` with a socket.
    pub(crate) unsafe extern "C" fn socket_listen<M: SocketHooks>(
        sock: *mut bindings::socket,
        _backlog: c_int,
    ) -> c_int {
        // SAFETY: as documented above.
        unsafe { operation::<M>(sock, SocketOperation::Listen) }
    }

    /// # Safety
    ///
    /// Called by `sock_sendmsg()` with a socket.
    pub(crate) unsafe extern "C" fn socket_sendmsg<M: SocketHooks>(
        sock: *mut bindings::socket,
        _msg: *mut bindings::msghdr,
        _size: c_int,
    ) -> c_int {
        // SAFETY: as documented above.
        unsafe { operation::<M>(sock, SocketOperation::Send) }
    }

    /// # Safety
    ///
    /// Called by `sock_recvmsg()` with a socket.
    pub(crate) unsafe extern "C" fn socket_recvmsg<M: SocketHooks>(
        sock: *mut bindings::socket,
        _msg: *mut bindings::msghdr,
        _size: c_int,
        _flags: c_int,
    ) -> c_int {
        // SAFETY: as documented above.
        unsafe { operation::<M>(sock, SocketOperation::Receive) }
    }

    /// # Safety
    ///
    /// Called by `getsockname()` with a socket.
    pub(crate) unsafe extern "C" fn socket_getsockname<M: SocketHooks>(
        sock: *mut bindings::socket,
    ) -> c_int {
        // SAFETY: as documented above.
        unsafe { operation::<M>(sock, SocketOperation::GetName) }
    }

    /// # Safety
    ///
    /// Called by `getpeername()` with a socket.
    pub(crate) unsafe extern "C" fn socket_getpeername<M: SocketHooks>(
        sock: *mut bindings::socket,
    ) -> c_int {
        // SAFETY: as documented above.
        unsafe { operation::<M>(sock, SocketOperation::GetName) }
    }

    /// # Safety
    ///
    /// Called by `getsockopt()` with a socket.
    pub(crate) unsafe extern "C" fn socket_getsockopt<M: SocketHooks>(
        sock: *mut bindings::socket,
        _level: c_int,
        _optname: c_int,
    ) -> c_int {
        // SAFETY: as documented above.
        unsafe { operation::<M>(sock, SocketOperation::GetOption) }
    }

    /// # Safety
    ///
    /// Called by `setsockopt()` with a socket.
    pub(crate) unsafe extern "C" fn socket_setsockopt<M: SocketHooks>(
        sock: *mut bindings::socket,
        _level: c_int,
        _optname: c_int,
    ) -> c_int {
        // SAFETY: as documented above.
        unsafe { operation::<M>(sock, SocketOperation::SetOption) }
    }

    /// # Safety
    ///
    /// Called by `shutdown()` with a socket.
    pub(crate) unsafe extern "C" fn socket_shutdown<M: SocketHooks>(
        sock: *mut bindings::socket,
        _how: c_int,
    ) -> c_int {
        // SAFETY: as documented above.
        unsafe { operation::<M>(sock, SocketOperation::Shutdown) }
    }

    /// # Safety
    ///
    /// Called by `unix_stream_connect()` with the connecting sock, the
    /// listener and the new server-side sock, the listener's state lock
    /// held.
    pub(crate) unsafe extern "C" fn unix_stream_connect<M: SocketHooks>(
        sock: *mut bindings::sock,
        other: *mut bindings::sock,
        new: *mut bindings::sock,
    ) -> c_int {
        // SAFETY: as documented above.
        let (sock, other, new) = unsafe {
            (
                Sock::from_raw(sock),
                Sock::from_raw(other),
                Sock::from_raw(new),
            )
        };
        to_c(M::unix_stream_connect(sock, other, new))
    }

    /// # Safety
    ///
    /// Called by the Unix datagram send paths with both sockets.
    pub(crate) unsafe extern "C" fn unix_may_send<M: SocketHooks>(
        sock: *mut bindings::socket,
        other: *mut bindings::socket,
    ) -> c_int {
        // SAFETY: as documented above.
        let (sock, other) = unsafe { (Socket::from_raw(sock), Socket::from_raw(other)) };
        to_c(M::unix_may_send(sock, other))
    }

    /// # Safety
    ///
    /// Called by `sk_clone_lock()` with the original and its copy.
    pub(crate) unsafe extern "C" fn sk_clone_security<M: SocketHooks>(
        sk: *const bindings::sock,
        new: *mut bindings::sock,
    ) {
        // SAFETY: as documented above.
        let (sk, new) = unsafe { (Sock::from_raw(sk), Sock::from_raw(new)) };
        M::sk_clone_security(sk, new);
    }

    /// # Safety
    ///
    /// Called by `sock_graft()` with a sock and the socket it joins.
    pub(crate) unsafe extern "C" fn sock_graft<M: SocketHooks>(
        sk: *mut bindings::sock,
        parent: *mut bindings::socket,
    ) {
        // SAFETY: as documented above.
        let (sk, parent) = unsafe { (Sock::from_raw(sk), Socket::from_raw(parent)) };
        M::sock_graft(sk, parent);
    }

    /// # Safety
    ///
    /// Called by `netlink_sendmsg()` with the sender's sock and the
    /// message buffer.
    pub(crate) unsafe extern "C" fn netlink_send<M: SocketHooks>(
        sk: *mut bindings::sock,
        skb: *mut bindings::sk_buff,
    ) -> c_int {
        // SAFETY: as documented above.
        let (sk, messages) = unsafe { (Sock::from_raw(sk), NetlinkMessages::from_raw(skb)) };
        to_c(M::netlink_send(sk, messages))
    }

    /// # Safety
    ///
    /// Called by `getsockopt(SO_PEERSEC)` with a socket, the user's buffer
    /// and length pointer, and the buffer's length.
    pub(crate) unsafe extern "C" fn socket_getpeersec_stream<M: SocketHooks>(
        sock: *mut bindings::socket,
        optval: bindings::sockptr_t,
        optlen: bindings::sockptr_t,
        len: c_uint,
    ) -> c_int {
        // SAFETY: as documented above.
        let sock = unsafe { Socket::from_raw(sock) };
        let mut context = match M::socket_getpeersec_stream(sock) {
            Ok(context) => context,
            Err(e) => return e.to_errno(),
        };
        if context.push(0, kernel::alloc::flags::GFP_KERNEL).is_err() {
            return kernel::error::code::ENOMEM.to_errno();
        }
        let Ok(n) = u32::try_from(context.len()) else {
            return kernel::error::code::ERANGE.to_errno();
        };
        let copied = if n > len {
            Err(kernel::error::code::ERANGE)
        } else {
            // SAFETY: `optval` holds `len` >= `n` bytes.
            unsafe { write_sockptr(optval, &context) }
        };
        // The length needed is reported even when the buffer is short.
        // SAFETY: `optlen` holds an `int`.
        let reported = unsafe { write_sockptr(optlen, &n.to_ne_bytes()) };
        to_c(copied.and(reported))
    }
}
