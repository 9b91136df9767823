// SPDX-License-Identifier: GPL-2.0

//! The kernel classmap: every security class and permission carapace
//! mediates, declared once.
//!
//! A permission's bit in an access vector is its position in its class's
//! list (bit 0 first). Capabilities follow the kernel's numbering:
//! `capability`/`cap_userns` bit = CAP number, `capability2`/`cap2_userns`
//! bit = CAP number − 32, so `checkpoint_restore` (CAP 40) is bit 8 of
//! `capability2`.
//!
//! The binary policy carries its own class and permission names; the kernel
//! and the policy agree by *name* when a policy is loaded (see
//! [`crate::policy::PolicyDb::parse`]), so this list may grow without
//! breaking policies compiled earlier. Permissions must only ever be
//! appended to a class here if kernel-side bit values are persisted
//! anywhere; the policy side does not care.
//!
//! The kernel crate asserts at compile time that `CAP_LAST_CAP` is not
//! greater than [`CAP_LAST_CAP_SUPPORTED`]; when the kernel adds a
//! capability, extend `capability2`/`cap2_userns` here and bump it.

/// The highest capability number this classmap maps to a permission.
pub const CAP_LAST_CAP_SUPPORTED: u32 = 40;

macro_rules! classmap {
    ($( $(#[$cmeta:meta])* $cvar:ident = $cname:literal {
        $( $pconst:ident = $pname:literal ),* $(,)?
    } ),* $(,)?) => {
        /// A security class known to the kernel.
        ///
        /// The discriminant is the kernel's own class index; it is not
        /// the policy's class number (those are matched by name at load).
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        #[repr(u16)]
        pub enum KernelClass {
            $( $(#[$cmeta])* $cvar, )*
        }

        #[allow(non_camel_case_types, clippy::upper_case_acronyms, dead_code)]
        mod bits {
            $(
                #[repr(u32)]
                pub(super) enum $cvar { $( $pconst, )* }
            )*
        }

        /// Permission bit masks, in kernel bit positions, named
        /// `CLASS_PERMISSION`.
        pub mod perm {
            $( $(
                #[doc = concat!("`", $cname, " { ", $pname, " }`")]
                pub const $pconst: u32 =
                    1u32.wrapping_shl(super::bits::$cvar::$pconst as u32);
            )* )*
        }

        impl KernelClass {
            /// Every kernel class, in index order.
            pub const ALL: &'static [KernelClass] = &[ $( KernelClass::$cvar, )* ];

            /// The class name as written in policies and audit records.
            pub const fn name(self) -> &'static str {
                match self { $( KernelClass::$cvar => $cname, )* }
            }

            /// The permission names of this class; index = bit position.
            pub const fn perm_names(self) -> &'static [&'static str] {
                match self { $( KernelClass::$cvar => &[ $( $pname, )* ], )* }
            }
        }
    };
}

classmap! {
    /// `security`: the policy and enforcement interfaces themselves.
    Security = "security" {
        SECURITY_COMPUTE_AV = "compute_av",
        SECURITY_COMPUTE_CREATE = "compute_create",
        SECURITY_LOAD_POLICY = "load_policy",
        SECURITY_READ_POLICY = "read_policy",
        SECURITY_SETENFORCE = "setenforce",
        SECURITY_RELABEL = "relabel",
        SECURITY_SETSECPARAM = "setsecparam",
    },
    /// `process`: operations on tasks.
    Process = "process" {
        PROCESS_FORK = "fork",
        PROCESS_TRANSITION = "transition",
        PROCESS_SIGCHLD = "sigchld",
        PROCESS_SIGKILL = "sigkill",
        PROCESS_SIGSTOP = "sigstop",
        PROCESS_SIGNULL = "signull",
        PROCESS_SIGNAL = "signal",
        PROCESS_PTRACE = "ptrace",
        PROCESS_GETSCHED = "getsched",
        PROCESS_SETSCHED = "setsched",
        PROCESS_GETSESSION = "getsession",
        PROCESS_GETPGID = "getpgid",
        PROCESS_SETPGID = "setpgid",
        PROCESS_GETCAP = "getcap",
        PROCESS_SETCAP = "setcap",
        PROCESS_SHARE = "share",
        PROCESS_GETATTR = "getattr",
        PROCESS_SETEXEC = "setexec",
        PROCESS_SETFSCREATE = "setfscreate",
        PROCESS_NOATSECURE = "noatsecure",
        PROCESS_SIGINH = "siginh",
        PROCESS_SETRLIMIT = "setrlimit",
        PROCESS_RLIMITINH = "rlimitinh",
        PROCESS_DYNTRANSITION = "dyntransition",
        PROCESS_SETCURRENT = "setcurrent",
        PROCESS_EXECMEM = "execmem",
        PROCESS_EXECSTACK = "execstack",
        PROCESS_EXECHEAP = "execheap",
        PROCESS_SETKEYCREATE = "setkeycreate",
        PROCESS_SETSOCKCREATE = "setsockcreate",
        PROCESS_GETRLIMIT = "getrlimit",
    },
    /// `process2`: more operations on tasks.
    Process2 = "process2" {
        PROCESS2_NNP_TRANSITION = "nnp_transition",
        PROCESS2_NOSUID_TRANSITION = "nosuid_transition",
    },
    /// `file`: regular files.
    File = "file" {
        FILE_IOCTL = "ioctl",
        FILE_READ = "read",
        FILE_WRITE = "write",
        FILE_CREATE = "create",
        FILE_GETATTR = "getattr",
        FILE_SETATTR = "setattr",
        FILE_LOCK = "lock",
        FILE_RELABELFROM = "relabelfrom",
        FILE_RELABELTO = "relabelto",
        FILE_APPEND = "append",
        FILE_MAP = "map",
        FILE_UNLINK = "unlink",
        FILE_LINK = "link",
        FILE_RENAME = "rename",
        FILE_EXECUTE = "execute",
        FILE_QUOTAON = "quotaon",
        FILE_MOUNTON = "mounton",
        FILE_AUDIT_ACCESS = "audit_access",
        FILE_OPEN = "open",
        FILE_EXECMOD = "execmod",
        FILE_WATCH = "watch",
        FILE_WATCH_MOUNT = "watch_mount",
        FILE_WATCH_SB = "watch_sb",
        FILE_WATCH_WITH_PERM = "watch_with_perm",
        FILE_WATCH_READS = "watch_reads",
        FILE_EXECUTE_NO_TRANS = "execute_no_trans",
        FILE_ENTRYPOINT = "entrypoint",
    },
    /// `dir`: directories.
    Dir = "dir" {
        DIR_IOCTL = "ioctl",
        DIR_READ = "read",
        DIR_WRITE = "write",
        DIR_CREATE = "create",
        DIR_GETATTR = "getattr",
        DIR_SETATTR = "setattr",
        DIR_LOCK = "lock",
        DIR_RELABELFROM = "relabelfrom",
        DIR_RELABELTO = "relabelto",
        DIR_APPEND = "append",
        DIR_MAP = "map",
        DIR_UNLINK = "unlink",
        DIR_LINK = "link",
        DIR_RENAME = "rename",
        DIR_EXECUTE = "execute",
        DIR_QUOTAON = "quotaon",
        DIR_MOUNTON = "mounton",
        DIR_AUDIT_ACCESS = "audit_access",
        DIR_OPEN = "open",
        DIR_EXECMOD = "execmod",
        DIR_WATCH = "watch",
        DIR_WATCH_MOUNT = "watch_mount",
        DIR_WATCH_SB = "watch_sb",
        DIR_WATCH_WITH_PERM = "watch_with_perm",
        DIR_WATCH_READS = "watch_reads",
        DIR_ADD_NAME = "add_name",
        DIR_REMOVE_NAME = "remove_name",
        DIR_REPARENT = "reparent",
        DIR_SEARCH = "search",
        DIR_RMDIR = "rmdir",
    },
    /// `lnk_file`: symbolic links (and `/proc/PID/map_files` links).
    LnkFile = "lnk_file" {
        LNK_FILE_IOCTL = "ioctl",
        LNK_FILE_READ = "read",
        LNK_FILE_WRITE = "write",
        LNK_FILE_CREATE = "create",
        LNK_FILE_GETATTR = "getattr",
        LNK_FILE_SETATTR = "setattr",
        LNK_FILE_LOCK = "lock",
        LNK_FILE_RELABELFROM = "relabelfrom",
        LNK_FILE_RELABELTO = "relabelto",
        LNK_FILE_APPEND = "append",
        LNK_FILE_MAP = "map",
        LNK_FILE_UNLINK = "unlink",
        LNK_FILE_LINK = "link",
        LNK_FILE_RENAME = "rename",
        LNK_FILE_EXECUTE = "execute",
        LNK_FILE_QUOTAON = "quotaon",
        LNK_FILE_MOUNTON = "mounton",
        LNK_FILE_AUDIT_ACCESS = "audit_access",
        LNK_FILE_OPEN = "open",
        LNK_FILE_EXECMOD = "execmod",
        LNK_FILE_WATCH = "watch",
        LNK_FILE_WATCH_MOUNT = "watch_mount",
        LNK_FILE_WATCH_SB = "watch_sb",
        LNK_FILE_WATCH_WITH_PERM = "watch_with_perm",
        LNK_FILE_WATCH_READS = "watch_reads",
    },
    /// `chr_file`: character devices.
    ChrFile = "chr_file" {
        CHR_FILE_IOCTL = "ioctl",
        CHR_FILE_READ = "read",
        CHR_FILE_WRITE = "write",
        CHR_FILE_CREATE = "create",
        CHR_FILE_GETATTR = "getattr",
        CHR_FILE_SETATTR = "setattr",
        CHR_FILE_LOCK = "lock",
        CHR_FILE_RELABELFROM = "relabelfrom",
        CHR_FILE_RELABELTO = "relabelto",
        CHR_FILE_APPEND = "append",
        CHR_FILE_MAP = "map",
        CHR_FILE_UNLINK = "unlink",
        CHR_FILE_LINK = "link",
        CHR_FILE_RENAME = "rename",
        CHR_FILE_EXECUTE = "execute",
        CHR_FILE_QUOTAON = "quotaon",
        CHR_FILE_MOUNTON = "mounton",
        CHR_FILE_AUDIT_ACCESS = "audit_access",
        CHR_FILE_OPEN = "open",
        CHR_FILE_EXECMOD = "execmod",
        CHR_FILE_WATCH = "watch",
        CHR_FILE_WATCH_MOUNT = "watch_mount",
        CHR_FILE_WATCH_SB = "watch_sb",
        CHR_FILE_WATCH_WITH_PERM = "watch_with_perm",
        CHR_FILE_WATCH_READS = "watch_reads",
    },
    /// `blk_file`: block devices.
    BlkFile = "blk_file" {
        BLK_FILE_IOCTL = "ioctl",
        BLK_FILE_READ = "read",
        BLK_FILE_WRITE = "write",
        BLK_FILE_CREATE = "create",
        BLK_FILE_GETATTR = "getattr",
        BLK_FILE_SETATTR = "setattr",
        BLK_FILE_LOCK = "lock",
        BLK_FILE_RELABELFROM = "relabelfrom",
        BLK_FILE_RELABELTO = "relabelto",
        BLK_FILE_APPEND = "append",
        BLK_FILE_MAP = "map",
        BLK_FILE_UNLINK = "unlink",
        BLK_FILE_LINK = "link",
        BLK_FILE_RENAME = "rename",
        BLK_FILE_EXECUTE = "execute",
        BLK_FILE_QUOTAON = "quotaon",
        BLK_FILE_MOUNTON = "mounton",
        BLK_FILE_AUDIT_ACCESS = "audit_access",
        BLK_FILE_OPEN = "open",
        BLK_FILE_EXECMOD = "execmod",
        BLK_FILE_WATCH = "watch",
        BLK_FILE_WATCH_MOUNT = "watch_mount",
        BLK_FILE_WATCH_SB = "watch_sb",
        BLK_FILE_WATCH_WITH_PERM = "watch_with_perm",
        BLK_FILE_WATCH_READS = "watch_reads",
    },
    /// `sock_file`: Unix sockets and socket inodes.
    SockFile = "sock_file" {
        SOCK_FILE_IOCTL = "ioctl",
        SOCK_FILE_READ = "read",
        SOCK_FILE_WRITE = "write",
        SOCK_FILE_CREATE = "create",
        SOCK_FILE_GETATTR = "getattr",
        SOCK_FILE_SETATTR = "setattr",
        SOCK_FILE_LOCK = "lock",
        SOCK_FILE_RELABELFROM = "relabelfrom",
        SOCK_FILE_RELABELTO = "relabelto",
        SOCK_FILE_APPEND = "append",
        SOCK_FILE_MAP = "map",
        SOCK_FILE_UNLINK = "unlink",
        SOCK_FILE_LINK = "link",
        SOCK_FILE_RENAME = "rename",
        SOCK_FILE_EXECUTE = "execute",
        SOCK_FILE_QUOTAON = "quotaon",
        SOCK_FILE_MOUNTON = "mounton",
        SOCK_FILE_AUDIT_ACCESS = "audit_access",
        SOCK_FILE_OPEN = "open",
        SOCK_FILE_EXECMOD = "execmod",
        SOCK_FILE_WATCH = "watch",
        SOCK_FILE_WATCH_MOUNT = "watch_mount",
        SOCK_FILE_WATCH_SB = "watch_sb",
        SOCK_FILE_WATCH_WITH_PERM = "watch_with_perm",
        SOCK_FILE_WATCH_READS = "watch_reads",
    },
    /// `fifo_file`: named and anonymous pipes.
    FifoFile = "fifo_file" {
        FIFO_FILE_IOCTL = "ioctl",
        FIFO_FILE_READ = "read",
        FIFO_FILE_WRITE = "write",
        FIFO_FILE_CREATE = "create",
        FIFO_FILE_GETATTR = "getattr",
        FIFO_FILE_SETATTR = "setattr",
        FIFO_FILE_LOCK = "lock",
        FIFO_FILE_RELABELFROM = "relabelfrom",
        FIFO_FILE_RELABELTO = "relabelto",
        FIFO_FILE_APPEND = "append",
        FIFO_FILE_MAP = "map",
        FIFO_FILE_UNLINK = "unlink",
        FIFO_FILE_LINK = "link",
        FIFO_FILE_RENAME = "rename",
        FIFO_FILE_EXECUTE = "execute",
        FIFO_FILE_QUOTAON = "quotaon",
        FIFO_FILE_MOUNTON = "mounton",
        FIFO_FILE_AUDIT_ACCESS = "audit_access",
        FIFO_FILE_OPEN = "open",
        FIFO_FILE_EXECMOD = "execmod",
        FIFO_FILE_WATCH = "watch",
        FIFO_FILE_WATCH_MOUNT = "watch_mount",
        FIFO_FILE_WATCH_SB = "watch_sb",
        FIFO_FILE_WATCH_WITH_PERM = "watch_with_perm",
        FIFO_FILE_WATCH_READS = "watch_reads",
    },
    /// `fd`: file descriptors inherited or passed across domains.
    Fd = "fd" {
        FD_USE = "use",
    },
    /// `capability`: capabilities 0–31 in the initial user namespace.
    Capability = "capability" {
        CAPABILITY_CHOWN = "chown",
        CAPABILITY_DAC_OVERRIDE = "dac_override",
        CAPABILITY_DAC_READ_SEARCH = "dac_read_search",
        CAPABILITY_FOWNER = "fowner",
        CAPABILITY_FSETID = "fsetid",
        CAPABILITY_KILL = "kill",
        CAPABILITY_SETGID = "setgid",
        CAPABILITY_SETUID = "setuid",
        CAPABILITY_SETPCAP = "setpcap",
        CAPABILITY_LINUX_IMMUTABLE = "linux_immutable",
        CAPABILITY_NET_BIND_SERVICE = "net_bind_service",
        CAPABILITY_NET_BROADCAST = "net_broadcast",
        CAPABILITY_NET_ADMIN = "net_admin",
        CAPABILITY_NET_RAW = "net_raw",
        CAPABILITY_IPC_LOCK = "ipc_lock",
        CAPABILITY_IPC_OWNER = "ipc_owner",
        CAPABILITY_SYS_MODULE = "sys_module",
        CAPABILITY_SYS_RAWIO = "sys_rawio",
        CAPABILITY_SYS_CHROOT = "sys_chroot",
        CAPABILITY_SYS_PTRACE = "sys_ptrace",
        CAPABILITY_SYS_PACCT = "sys_pacct",
        CAPABILITY_SYS_ADMIN = "sys_admin",
        CAPABILITY_SYS_BOOT = "sys_boot",
        CAPABILITY_SYS_NICE = "sys_nice",
        CAPABILITY_SYS_RESOURCE = "sys_resource",
        CAPABILITY_SYS_TIME = "sys_time",
        CAPABILITY_SYS_TTY_CONFIG = "sys_tty_config",
        CAPABILITY_MKNOD = "mknod",
        CAPABILITY_LEASE = "lease",
        CAPABILITY_AUDIT_WRITE = "audit_write",
        CAPABILITY_AUDIT_CONTROL = "audit_control",
        CAPABILITY_SETFCAP = "setfcap",
    },
    /// `capability2`: capabilities 32–40 in the initial user namespace.
    Capability2 = "capability2" {
        CAPABILITY2_MAC_OVERRIDE = "mac_override",
        CAPABILITY2_MAC_ADMIN = "mac_admin",
        CAPABILITY2_SYSLOG = "syslog",
        CAPABILITY2_WAKE_ALARM = "wake_alarm",
        CAPABILITY2_BLOCK_SUSPEND = "block_suspend",
        CAPABILITY2_AUDIT_READ = "audit_read",
        CAPABILITY2_PERFMON = "perfmon",
        CAPABILITY2_BPF = "bpf",
        CAPABILITY2_CHECKPOINT_RESTORE = "checkpoint_restore",
    },
    /// `cap_userns`: capabilities 0–31 in a non-initial user namespace.
    CapUserns = "cap_userns" {
        CAP_USERNS_CHOWN = "chown",
        CAP_USERNS_DAC_OVERRIDE = "dac_override",
        CAP_USERNS_DAC_READ_SEARCH = "dac_read_search",
        CAP_USERNS_FOWNER = "fowner",
        CAP_USERNS_FSETID = "fsetid",
        CAP_USERNS_KILL = "kill",
        CAP_USERNS_SETGID = "setgid",
        CAP_USERNS_SETUID = "setuid",
        CAP_USERNS_SETPCAP = "setpcap",
        CAP_USERNS_LINUX_IMMUTABLE = "linux_immutable",
        CAP_USERNS_NET_BIND_SERVICE = "net_bind_service",
        CAP_USERNS_NET_BROADCAST = "net_broadcast",
        CAP_USERNS_NET_ADMIN = "net_admin",
        CAP_USERNS_NET_RAW = "net_raw",
        CAP_USERNS_IPC_LOCK = "ipc_lock",
        CAP_USERNS_IPC_OWNER = "ipc_owner",
        CAP_USERNS_SYS_MODULE = "sys_module",
        CAP_USERNS_SYS_RAWIO = "sys_rawio",
        CAP_USERNS_SYS_CHROOT = "sys_chroot",
        CAP_USERNS_SYS_PTRACE = "sys_ptrace",
        CAP_USERNS_SYS_PACCT = "sys_pacct",
        CAP_USERNS_SYS_ADMIN = "sys_admin",
        CAP_USERNS_SYS_BOOT = "sys_boot",
        CAP_USERNS_SYS_NICE = "sys_nice",
        CAP_USERNS_SYS_RESOURCE = "sys_resource",
        CAP_USERNS_SYS_TIME = "sys_time",
        CAP_USERNS_SYS_TTY_CONFIG = "sys_tty_config",
        CAP_USERNS_MKNOD = "mknod",
        CAP_USERNS_LEASE = "lease",
        CAP_USERNS_AUDIT_WRITE = "audit_write",
        CAP_USERNS_AUDIT_CONTROL = "audit_control",
        CAP_USERNS_SETFCAP = "setfcap",
    },
    /// `cap2_userns`: capabilities 32–40 in a non-initial user namespace.
    Cap2Userns = "cap2_userns" {
        CAP2_USERNS_MAC_OVERRIDE = "mac_override",
        CAP2_USERNS_MAC_ADMIN = "mac_admin",
        CAP2_USERNS_SYSLOG = "syslog",
        CAP2_USERNS_WAKE_ALARM = "wake_alarm",
        CAP2_USERNS_BLOCK_SUSPEND = "block_suspend",
        CAP2_USERNS_AUDIT_READ = "audit_read",
        CAP2_USERNS_PERFMON = "perfmon",
        CAP2_USERNS_BPF = "bpf",
        CAP2_USERNS_CHECKPOINT_RESTORE = "checkpoint_restore",
    },
    /// `user_namespace`: user namespaces, the other road to capabilities
    /// (`cap_userns`, `cap2_userns`).
    UserNamespace = "user_namespace" {
        USER_NAMESPACE_CREATE = "create",
    },
    /// `socket`: sockets of families without a class of their own.
    Socket = "socket" {
        SOCKET_IOCTL = "ioctl",
        SOCKET_READ = "read",
        SOCKET_WRITE = "write",
        SOCKET_CREATE = "create",
        SOCKET_GETATTR = "getattr",
        SOCKET_SETATTR = "setattr",
        SOCKET_LOCK = "lock",
        SOCKET_RELABELFROM = "relabelfrom",
        SOCKET_RELABELTO = "relabelto",
        SOCKET_APPEND = "append",
        SOCKET_MAP = "map",
        SOCKET_BIND = "bind",
        SOCKET_CONNECT = "connect",
        SOCKET_LISTEN = "listen",
        SOCKET_ACCEPT = "accept",
        SOCKET_GETOPT = "getopt",
        SOCKET_SETOPT = "setopt",
        SOCKET_SHUTDOWN = "shutdown",
        SOCKET_RECVFROM = "recvfrom",
        SOCKET_SENDTO = "sendto",
        SOCKET_NAME_BIND = "name_bind",
    },
    /// `tcp_socket`: TCP sockets.
    TcpSocket = "tcp_socket" {
        TCP_SOCKET_IOCTL = "ioctl",
        TCP_SOCKET_READ = "read",
        TCP_SOCKET_WRITE = "write",
        TCP_SOCKET_CREATE = "create",
        TCP_SOCKET_GETATTR = "getattr",
        TCP_SOCKET_SETATTR = "setattr",
        TCP_SOCKET_LOCK = "lock",
        TCP_SOCKET_RELABELFROM = "relabelfrom",
        TCP_SOCKET_RELABELTO = "relabelto",
        TCP_SOCKET_APPEND = "append",
        TCP_SOCKET_MAP = "map",
        TCP_SOCKET_BIND = "bind",
        TCP_SOCKET_CONNECT = "connect",
        TCP_SOCKET_LISTEN = "listen",
        TCP_SOCKET_ACCEPT = "accept",
        TCP_SOCKET_GETOPT = "getopt",
        TCP_SOCKET_SETOPT = "setopt",
        TCP_SOCKET_SHUTDOWN = "shutdown",
        TCP_SOCKET_RECVFROM = "recvfrom",
        TCP_SOCKET_SENDTO = "sendto",
        TCP_SOCKET_NAME_BIND = "name_bind",
        TCP_SOCKET_NODE_BIND = "node_bind",
        TCP_SOCKET_NAME_CONNECT = "name_connect",
    },
    /// `udp_socket`: UDP sockets.
    UdpSocket = "udp_socket" {
        UDP_SOCKET_IOCTL = "ioctl",
        UDP_SOCKET_READ = "read",
        UDP_SOCKET_WRITE = "write",
        UDP_SOCKET_CREATE = "create",
        UDP_SOCKET_GETATTR = "getattr",
        UDP_SOCKET_SETATTR = "setattr",
        UDP_SOCKET_LOCK = "lock",
        UDP_SOCKET_RELABELFROM = "relabelfrom",
        UDP_SOCKET_RELABELTO = "relabelto",
        UDP_SOCKET_APPEND = "append",
        UDP_SOCKET_MAP = "map",
        UDP_SOCKET_BIND = "bind",
        UDP_SOCKET_CONNECT = "connect",
        UDP_SOCKET_LISTEN = "listen",
        UDP_SOCKET_ACCEPT = "accept",
        UDP_SOCKET_GETOPT = "getopt",
        UDP_SOCKET_SETOPT = "setopt",
        UDP_SOCKET_SHUTDOWN = "shutdown",
        UDP_SOCKET_RECVFROM = "recvfrom",
        UDP_SOCKET_SENDTO = "sendto",
        UDP_SOCKET_NAME_BIND = "name_bind",
        UDP_SOCKET_NODE_BIND = "node_bind",
    },
    /// `rawip_socket`: raw IP sockets and other IP protocols.
    RawipSocket = "rawip_socket" {
        RAWIP_SOCKET_IOCTL = "ioctl",
        RAWIP_SOCKET_READ = "read",
        RAWIP_SOCKET_WRITE = "write",
        RAWIP_SOCKET_CREATE = "create",
        RAWIP_SOCKET_GETATTR = "getattr",
        RAWIP_SOCKET_SETATTR = "setattr",
        RAWIP_SOCKET_LOCK = "lock",
        RAWIP_SOCKET_RELABELFROM = "relabelfrom",
        RAWIP_SOCKET_RELABELTO = "relabelto",
        RAWIP_SOCKET_APPEND = "append",
        RAWIP_SOCKET_MAP = "map",
        RAWIP_SOCKET_BIND = "bind",
        RAWIP_SOCKET_CONNECT = "connect",
        RAWIP_SOCKET_LISTEN = "listen",
        RAWIP_SOCKET_ACCEPT = "accept",
        RAWIP_SOCKET_GETOPT = "getopt",
        RAWIP_SOCKET_SETOPT = "setopt",
        RAWIP_SOCKET_SHUTDOWN = "shutdown",
        RAWIP_SOCKET_RECVFROM = "recvfrom",
        RAWIP_SOCKET_SENDTO = "sendto",
        RAWIP_SOCKET_NAME_BIND = "name_bind",
        RAWIP_SOCKET_NODE_BIND = "node_bind",
    },
    /// `icmp_socket`: ICMP (ping) datagram sockets.
    IcmpSocket = "icmp_socket" {
        ICMP_SOCKET_IOCTL = "ioctl",
        ICMP_SOCKET_READ = "read",
        ICMP_SOCKET_WRITE = "write",
        ICMP_SOCKET_CREATE = "create",
        ICMP_SOCKET_GETATTR = "getattr",
        ICMP_SOCKET_SETATTR = "setattr",
        ICMP_SOCKET_LOCK = "lock",
        ICMP_SOCKET_RELABELFROM = "relabelfrom",
        ICMP_SOCKET_RELABELTO = "relabelto",
        ICMP_SOCKET_APPEND = "append",
        ICMP_SOCKET_MAP = "map",
        ICMP_SOCKET_BIND = "bind",
        ICMP_SOCKET_CONNECT = "connect",
        ICMP_SOCKET_LISTEN = "listen",
        ICMP_SOCKET_ACCEPT = "accept",
        ICMP_SOCKET_GETOPT = "getopt",
        ICMP_SOCKET_SETOPT = "setopt",
        ICMP_SOCKET_SHUTDOWN = "shutdown",
        ICMP_SOCKET_RECVFROM = "recvfrom",
        ICMP_SOCKET_SENDTO = "sendto",
        ICMP_SOCKET_NAME_BIND = "name_bind",
        ICMP_SOCKET_NODE_BIND = "node_bind",
    },
    /// `packet_socket`: `AF_PACKET` sockets.
    PacketSocket = "packet_socket" {
        PACKET_SOCKET_IOCTL = "ioctl",
        PACKET_SOCKET_READ = "read",
        PACKET_SOCKET_WRITE = "write",
        PACKET_SOCKET_CREATE = "create",
        PACKET_SOCKET_GETATTR = "getattr",
        PACKET_SOCKET_SETATTR = "setattr",
        PACKET_SOCKET_LOCK = "lock",
        PACKET_SOCKET_RELABELFROM = "relabelfrom",
        PACKET_SOCKET_RELABELTO = "relabelto",
        PACKET_SOCKET_APPEND = "append",
        PACKET_SOCKET_MAP = "map",
        PACKET_SOCKET_BIND = "bind",
        PACKET_SOCKET_CONNECT = "connect",
        PACKET_SOCKET_LISTEN = "listen",
        PACKET_SOCKET_ACCEPT = "accept",
        PACKET_SOCKET_GETOPT = "getopt",
        PACKET_SOCKET_SETOPT = "setopt",
        PACKET_SOCKET_SHUTDOWN = "shutdown",
        PACKET_SOCKET_RECVFROM = "recvfrom",
        PACKET_SOCKET_SENDTO = "sendto",
        PACKET_SOCKET_NAME_BIND = "name_bind",
    },
    /// `key_socket`: `AF_KEY` sockets.
    KeySocket = "key_socket" {
        KEY_SOCKET_IOCTL = "ioctl",
        KEY_SOCKET_READ = "read",
        KEY_SOCKET_WRITE = "write",
        KEY_SOCKET_CREATE = "create",
        KEY_SOCKET_GETATTR = "getattr",
        KEY_SOCKET_SETATTR = "setattr",
        KEY_SOCKET_LOCK = "lock",
        KEY_SOCKET_RELABELFROM = "relabelfrom",
        KEY_SOCKET_RELABELTO = "relabelto",
        KEY_SOCKET_APPEND = "append",
        KEY_SOCKET_MAP = "map",
        KEY_SOCKET_BIND = "bind",
        KEY_SOCKET_CONNECT = "connect",
        KEY_SOCKET_LISTEN = "listen",
        KEY_SOCKET_ACCEPT = "accept",
        KEY_SOCKET_GETOPT = "getopt",
        KEY_SOCKET_SETOPT = "setopt",
        KEY_SOCKET_SHUTDOWN = "shutdown",
        KEY_SOCKET_RECVFROM = "recvfrom",
        KEY_SOCKET_SENDTO = "sendto",
        KEY_SOCKET_NAME_BIND = "name_bind",
    },
    /// `unix_stream_socket`: Unix stream and seqpacket sockets.
    UnixStreamSocket = "unix_stream_socket" {
        UNIX_STREAM_SOCKET_IOCTL = "ioctl",
        UNIX_STREAM_SOCKET_READ = "read",
        UNIX_STREAM_SOCKET_WRITE = "write",
        UNIX_STREAM_SOCKET_CREATE = "create",
        UNIX_STREAM_SOCKET_GETATTR = "getattr",
        UNIX_STREAM_SOCKET_SETATTR = "setattr",
        UNIX_STREAM_SOCKET_LOCK = "lock",
        UNIX_STREAM_SOCKET_RELABELFROM = "relabelfrom",
        UNIX_STREAM_SOCKET_RELABELTO = "relabelto",
        UNIX_STREAM_SOCKET_APPEND = "append",
        UNIX_STREAM_SOCKET_MAP = "map",
        UNIX_STREAM_SOCKET_BIND = "bind",
        UNIX_STREAM_SOCKET_CONNECT = "connect",
        UNIX_STREAM_SOCKET_LISTEN = "listen",
        UNIX_STREAM_SOCKET_ACCEPT = "accept",
        UNIX_STREAM_SOCKET_GETOPT = "getopt",
        UNIX_STREAM_SOCKET_SETOPT = "setopt",
        UNIX_STREAM_SOCKET_SHUTDOWN = "shutdown",
        UNIX_STREAM_SOCKET_RECVFROM = "recvfrom",
        UNIX_STREAM_SOCKET_SENDTO = "sendto",
        UNIX_STREAM_SOCKET_NAME_BIND = "name_bind",
        UNIX_STREAM_SOCKET_CONNECTTO = "connectto",
    },
    /// `unix_dgram_socket`: Unix datagram sockets.
    UnixDgramSocket = "unix_dgram_socket" {
        UNIX_DGRAM_SOCKET_IOCTL = "ioctl",
        UNIX_DGRAM_SOCKET_READ = "read",
        UNIX_DGRAM_SOCKET_WRITE = "write",
        UNIX_DGRAM_SOCKET_CREATE = "create",
        UNIX_DGRAM_SOCKET_GETATTR = "getattr",
        UNIX_DGRAM_SOCKET_SETATTR = "setattr",
        UNIX_DGRAM_SOCKET_LOCK = "lock",
        UNIX_DGRAM_SOCKET_RELABELFROM = "relabelfrom",
        UNIX_DGRAM_SOCKET_RELABELTO = "relabelto",
        UNIX_DGRAM_SOCKET_APPEND = "append",
        UNIX_DGRAM_SOCKET_MAP = "map",
        UNIX_DGRAM_SOCKET_BIND = "bind",
        UNIX_DGRAM_SOCKET_CONNECT = "connect",
        UNIX_DGRAM_SOCKET_LISTEN = "listen",
        UNIX_DGRAM_SOCKET_ACCEPT = "accept",
        UNIX_DGRAM_SOCKET_GETOPT = "getopt",
        UNIX_DGRAM_SOCKET_SETOPT = "setopt",
        UNIX_DGRAM_SOCKET_SHUTDOWN = "shutdown",
        UNIX_DGRAM_SOCKET_RECVFROM = "recvfrom",
        UNIX_DGRAM_SOCKET_SENDTO = "sendto",
        UNIX_DGRAM_SOCKET_NAME_BIND = "name_bind",
    },
    /// `netlink_socket`: netlink families without a class of their own.
    NetlinkSocket = "netlink_socket" {
        NETLINK_SOCKET_IOCTL = "ioctl",
        NETLINK_SOCKET_READ = "read",
        NETLINK_SOCKET_WRITE = "write",
        NETLINK_SOCKET_CREATE = "create",
        NETLINK_SOCKET_GETATTR = "getattr",
        NETLINK_SOCKET_SETATTR = "setattr",
        NETLINK_SOCKET_LOCK = "lock",
        NETLINK_SOCKET_RELABELFROM = "relabelfrom",
        NETLINK_SOCKET_RELABELTO = "relabelto",
        NETLINK_SOCKET_APPEND = "append",
        NETLINK_SOCKET_MAP = "map",
        NETLINK_SOCKET_BIND = "bind",
        NETLINK_SOCKET_CONNECT = "connect",
        NETLINK_SOCKET_LISTEN = "listen",
        NETLINK_SOCKET_ACCEPT = "accept",
        NETLINK_SOCKET_GETOPT = "getopt",
        NETLINK_SOCKET_SETOPT = "setopt",
        NETLINK_SOCKET_SHUTDOWN = "shutdown",
        NETLINK_SOCKET_RECVFROM = "recvfrom",
        NETLINK_SOCKET_SENDTO = "sendto",
        NETLINK_SOCKET_NAME_BIND = "name_bind",
    },
    /// `netlink_route_socket`: `NETLINK_ROUTE`.
    NetlinkRouteSocket = "netlink_route_socket" {
        NETLINK_ROUTE_SOCKET_IOCTL = "ioctl",
        NETLINK_ROUTE_SOCKET_READ = "read",
        NETLINK_ROUTE_SOCKET_WRITE = "write",
        NETLINK_ROUTE_SOCKET_CREATE = "create",
        NETLINK_ROUTE_SOCKET_GETATTR = "getattr",
        NETLINK_ROUTE_SOCKET_SETATTR = "setattr",
        NETLINK_ROUTE_SOCKET_LOCK = "lock",
        NETLINK_ROUTE_SOCKET_RELABELFROM = "relabelfrom",
        NETLINK_ROUTE_SOCKET_RELABELTO = "relabelto",
        NETLINK_ROUTE_SOCKET_APPEND = "append",
        NETLINK_ROUTE_SOCKET_MAP = "map",
        NETLINK_ROUTE_SOCKET_BIND = "bind",
        NETLINK_ROUTE_SOCKET_CONNECT = "connect",
        NETLINK_ROUTE_SOCKET_LISTEN = "listen",
        NETLINK_ROUTE_SOCKET_ACCEPT = "accept",
        NETLINK_ROUTE_SOCKET_GETOPT = "getopt",
        NETLINK_ROUTE_SOCKET_SETOPT = "setopt",
        NETLINK_ROUTE_SOCKET_SHUTDOWN = "shutdown",
        NETLINK_ROUTE_SOCKET_RECVFROM = "recvfrom",
        NETLINK_ROUTE_SOCKET_SENDTO = "sendto",
        NETLINK_ROUTE_SOCKET_NAME_BIND = "name_bind",
        NETLINK_ROUTE_SOCKET_NLMSG_READ = "nlmsg_read",
        NETLINK_ROUTE_SOCKET_NLMSG_WRITE = "nlmsg_write",
    },
    /// `netlink_tcpdiag_socket`: `NETLINK_SOCK_DIAG`.
    NetlinkTcpdiagSocket = "netlink_tcpdiag_socket" {
        NETLINK_TCPDIAG_SOCKET_IOCTL = "ioctl",
        NETLINK_TCPDIAG_SOCKET_READ = "read",
        NETLINK_TCPDIAG_SOCKET_WRITE = "write",
        NETLINK_TCPDIAG_SOCKET_CREATE = "create",
        NETLINK_TCPDIAG_SOCKET_GETATTR = "getattr",
        NETLINK_TCPDIAG_SOCKET_SETATTR = "setattr",
        NETLINK_TCPDIAG_SOCKET_LOCK = "lock",
        NETLINK_TCPDIAG_SOCKET_RELABELFROM = "relabelfrom",
        NETLINK_TCPDIAG_SOCKET_RELABELTO = "relabelto",
        NETLINK_TCPDIAG_SOCKET_APPEND = "append",
        NETLINK_TCPDIAG_SOCKET_MAP = "map",
        NETLINK_TCPDIAG_SOCKET_BIND = "bind",
        NETLINK_TCPDIAG_SOCKET_CONNECT = "connect",
        NETLINK_TCPDIAG_SOCKET_LISTEN = "listen",
        NETLINK_TCPDIAG_SOCKET_ACCEPT = "accept",
        NETLINK_TCPDIAG_SOCKET_GETOPT = "getopt",
        NETLINK_TCPDIAG_SOCKET_SETOPT = "setopt",
        NETLINK_TCPDIAG_SOCKET_SHUTDOWN = "shutdown",
        NETLINK_TCPDIAG_SOCKET_RECVFROM = "recvfrom",
        NETLINK_TCPDIAG_SOCKET_SENDTO = "sendto",
        NETLINK_TCPDIAG_SOCKET_NAME_BIND = "name_bind",
        NETLINK_TCPDIAG_SOCKET_NLMSG_READ = "nlmsg_read",
        NETLINK_TCPDIAG_SOCKET_NLMSG_WRITE = "nlmsg_write",
    },
    /// `netlink_nflog_socket`: `NETLINK_NFLOG`.
    NetlinkNflogSocket = "netlink_nflog_socket" {
        NETLINK_NFLOG_SOCKET_IOCTL = "ioctl",
        NETLINK_NFLOG_SOCKET_READ = "read",
        NETLINK_NFLOG_SOCKET_WRITE = "write",
        NETLINK_NFLOG_SOCKET_CREATE = "create",
        NETLINK_NFLOG_SOCKET_GETATTR = "getattr",
        NETLINK_NFLOG_SOCKET_SETATTR = "setattr",
        NETLINK_NFLOG_SOCKET_LOCK = "lock",
        NETLINK_NFLOG_SOCKET_RELABELFROM = "relabelfrom",
        NETLINK_NFLOG_SOCKET_RELABELTO = "relabelto",
        NETLINK_NFLOG_SOCKET_APPEND = "append",
        NETLINK_NFLOG_SOCKET_MAP = "map",
        NETLINK_NFLOG_SOCKET_BIND = "bind",
        NETLINK_NFLOG_SOCKET_CONNECT = "connect",
        NETLINK_NFLOG_SOCKET_LISTEN = "listen",
        NETLINK_NFLOG_SOCKET_ACCEPT = "accept",
        NETLINK_NFLOG_SOCKET_GETOPT = "getopt",
        NETLINK_NFLOG_SOCKET_SETOPT = "setopt",
        NETLINK_NFLOG_SOCKET_SHUTDOWN = "shutdown",
        NETLINK_NFLOG_SOCKET_RECVFROM = "recvfrom",
        NETLINK_NFLOG_SOCKET_SENDTO = "sendto",
        NETLINK_NFLOG_SOCKET_NAME_BIND = "name_bind",
    },
    /// `netlink_xfrm_socket`: `NETLINK_XFRM`.
    NetlinkXfrmSocket = "netlink_xfrm_socket" {
        NETLINK_XFRM_SOCKET_IOCTL = "ioctl",
        NETLINK_XFRM_SOCKET_READ = "read",
        NETLINK_XFRM_SOCKET_WRITE = "write",
        NETLINK_XFRM_SOCKET_CREATE = "create",
        NETLINK_XFRM_SOCKET_GETATTR = "getattr",
        NETLINK_XFRM_SOCKET_SETATTR = "setattr",
        NETLINK_XFRM_SOCKET_LOCK = "lock",
        NETLINK_XFRM_SOCKET_RELABELFROM = "relabelfrom",
        NETLINK_XFRM_SOCKET_RELABELTO = "relabelto",
        NETLINK_XFRM_SOCKET_APPEND = "append",
        NETLINK_XFRM_SOCKET_MAP = "map",
        NETLINK_XFRM_SOCKET_BIND = "bind",
        NETLINK_XFRM_SOCKET_CONNECT = "connect",
        NETLINK_XFRM_SOCKET_LISTEN = "listen",
        NETLINK_XFRM_SOCKET_ACCEPT = "accept",
        NETLINK_XFRM_SOCKET_GETOPT = "getopt",
        NETLINK_XFRM_SOCKET_SETOPT = "setopt",
        NETLINK_XFRM_SOCKET_SHUTDOWN = "shutdown",
        NETLINK_XFRM_SOCKET_RECVFROM = "recvfrom",
        NETLINK_XFRM_SOCKET_SENDTO = "sendto",
        NETLINK_XFRM_SOCKET_NAME_BIND = "name_bind",
        NETLINK_XFRM_SOCKET_NLMSG_READ = "nlmsg_read",
        NETLINK_XFRM_SOCKET_NLMSG_WRITE = "nlmsg_write",
    },
    /// `netlink_selinux_socket`: `NETLINK_SELINUX`.
    NetlinkSelinuxSocket = "netlink_selinux_socket" {
        NETLINK_SELINUX_SOCKET_IOCTL = "ioctl",
        NETLINK_SELINUX_SOCKET_READ = "read",
        NETLINK_SELINUX_SOCKET_WRITE = "write",
        NETLINK_SELINUX_SOCKET_CREATE = "create",
        NETLINK_SELINUX_SOCKET_GETATTR = "getattr",
        NETLINK_SELINUX_SOCKET_SETATTR = "setattr",
        NETLINK_SELINUX_SOCKET_LOCK = "lock",
        NETLINK_SELINUX_SOCKET_RELABELFROM = "relabelfrom",
        NETLINK_SELINUX_SOCKET_RELABELTO = "relabelto",
        NETLINK_SELINUX_SOCKET_APPEND = "append",
        NETLINK_SELINUX_SOCKET_MAP = "map",
        NETLINK_SELINUX_SOCKET_BIND = "bind",
        NETLINK_SELINUX_SOCKET_CONNECT = "connect",
        NETLINK_SELINUX_SOCKET_LISTEN = "listen",
        NETLINK_SELINUX_SOCKET_ACCEPT = "accept",
        NETLINK_SELINUX_SOCKET_GETOPT = "getopt",
        NETLINK_SELINUX_SOCKET_SETOPT = "setopt",
        NETLINK_SELINUX_SOCKET_SHUTDOWN = "shutdown",
        NETLINK_SELINUX_SOCKET_RECVFROM = "recvfrom",
        NETLINK_SELINUX_SOCKET_SENDTO = "sendto",
        NETLINK_SELINUX_SOCKET_NAME_BIND = "name_bind",
    },
    /// `netlink_iscsi_socket`: `NETLINK_ISCSI`.
    NetlinkIscsiSocket = "netlink_iscsi_socket" {
        NETLINK_ISCSI_SOCKET_IOCTL = "ioctl",
        NETLINK_ISCSI_SOCKET_READ = "read",
        NETLINK_ISCSI_SOCKET_WRITE = "write",
        NETLINK_ISCSI_SOCKET_CREATE = "create",
        NETLINK_ISCSI_SOCKET_GETATTR = "getattr",
        NETLINK_ISCSI_SOCKET_SETATTR = "setattr",
        NETLINK_ISCSI_SOCKET_LOCK = "lock",
        NETLINK_ISCSI_SOCKET_RELABELFROM = "relabelfrom",
        NETLINK_ISCSI_SOCKET_RELABELTO = "relabelto",
        NETLINK_ISCSI_SOCKET_APPEND = "append",
        NETLINK_ISCSI_SOCKET_MAP = "map",
        NETLINK_ISCSI_SOCKET_BIND = "bind",
        NETLINK_ISCSI_SOCKET_CONNECT = "connect",
        NETLINK_ISCSI_SOCKET_LISTEN = "listen",
        NETLINK_ISCSI_SOCKET_ACCEPT = "accept",
        NETLINK_ISCSI_SOCKET_GETOPT = "getopt",
        NETLINK_ISCSI_SOCKET_SETOPT = "setopt",
        NETLINK_ISCSI_SOCKET_SHUTDOWN = "shutdown",
        NETLINK_ISCSI_SOCKET_RECVFROM = "recvfrom",
        NETLINK_ISCSI_SOCKET_SENDTO = "sendto",
        NETLINK_ISCSI_SOCKET_NAME_BIND = "name_bind",
    },
    /// `netlink_audit_socket`: `NETLINK_AUDIT`.
    NetlinkAuditSocket = "netlink_audit_socket" {
        NETLINK_AUDIT_SOCKET_IOCTL = "ioctl",
        NETLINK_AUDIT_SOCKET_READ = "read",
        NETLINK_AUDIT_SOCKET_WRITE = "write",
        NETLINK_AUDIT_SOCKET_CREATE = "create",
        NETLINK_AUDIT_SOCKET_GETATTR = "getattr",
        NETLINK_AUDIT_SOCKET_SETATTR = "setattr",
        NETLINK_AUDIT_SOCKET_LOCK = "lock",
        NETLINK_AUDIT_SOCKET_RELABELFROM = "relabelfrom",
        NETLINK_AUDIT_SOCKET_RELABELTO = "relabelto",
        NETLINK_AUDIT_SOCKET_APPEND = "append",
        NETLINK_AUDIT_SOCKET_MAP = "map",
        NETLINK_AUDIT_SOCKET_BIND = "bind",
        NETLINK_AUDIT_SOCKET_CONNECT = "connect",
        NETLINK_AUDIT_SOCKET_LISTEN = "listen",
        NETLINK_AUDIT_SOCKET_ACCEPT = "accept",
        NETLINK_AUDIT_SOCKET_GETOPT = "getopt",
        NETLINK_AUDIT_SOCKET_SETOPT = "setopt",
        NETLINK_AUDIT_SOCKET_SHUTDOWN = "shutdown",
        NETLINK_AUDIT_SOCKET_RECVFROM = "recvfrom",
        NETLINK_AUDIT_SOCKET_SENDTO = "sendto",
        NETLINK_AUDIT_SOCKET_NAME_BIND = "name_bind",
        NETLINK_AUDIT_SOCKET_NLMSG_READ = "nlmsg_read",
        NETLINK_AUDIT_SOCKET_NLMSG_WRITE = "nlmsg_write",
        NETLINK_AUDIT_SOCKET_NLMSG_RELAY = "nlmsg_relay",
        NETLINK_AUDIT_SOCKET_NLMSG_READPRIV = "nlmsg_readpriv",
        NETLINK_AUDIT_SOCKET_NLMSG_TTY_AUDIT = "nlmsg_tty_audit",
    },
    /// `netlink_fib_lookup_socket`: `NETLINK_FIB_LOOKUP`.
    NetlinkFibLookupSocket = "netlink_fib_lookup_socket" {
        NETLINK_FIB_LOOKUP_SOCKET_IOCTL = "ioctl",
        NETLINK_FIB_LOOKUP_SOCKET_READ = "read",
        NETLINK_FIB_LOOKUP_SOCKET_WRITE = "write",
        NETLINK_FIB_LOOKUP_SOCKET_CREATE = "create",
        NETLINK_FIB_LOOKUP_SOCKET_GETATTR = "getattr",
        NETLINK_FIB_LOOKUP_SOCKET_SETATTR = "setattr",
        NETLINK_FIB_LOOKUP_SOCKET_LOCK = "lock",
        NETLINK_FIB_LOOKUP_SOCKET_RELABELFROM = "relabelfrom",
        NETLINK_FIB_LOOKUP_SOCKET_RELABELTO = "relabelto",
        NETLINK_FIB_LOOKUP_SOCKET_APPEND = "append",
        NETLINK_FIB_LOOKUP_SOCKET_MAP = "map",
        NETLINK_FIB_LOOKUP_SOCKET_BIND = "bind",
        NETLINK_FIB_LOOKUP_SOCKET_CONNECT = "connect",
        NETLINK_FIB_LOOKUP_SOCKET_LISTEN = "listen",
        NETLINK_FIB_LOOKUP_SOCKET_ACCEPT = "accept",
        NETLINK_FIB_LOOKUP_SOCKET_GETOPT = "getopt",
        NETLINK_FIB_LOOKUP_SOCKET_SETOPT = "setopt",
        NETLINK_FIB_LOOKUP_SOCKET_SHUTDOWN = "shutdown",
        NETLINK_FIB_LOOKUP_SOCKET_RECVFROM = "recvfrom",
        NETLINK_FIB_LOOKUP_SOCKET_SENDTO = "sendto",
        NETLINK_FIB_LOOKUP_SOCKET_NAME_BIND = "name_bind",
    },
    /// `netlink_connector_socket`: `NETLINK_CONNECTOR`.
    NetlinkConnectorSocket = "netlink_connector_socket" {
        NETLINK_CONNECTOR_SOCKET_IOCTL = "ioctl",
        NETLINK_CONNECTOR_SOCKET_READ = "read",
        NETLINK_CONNECTOR_SOCKET_WRITE = "write",
        NETLINK_CONNECTOR_SOCKET_CREATE = "create",
        NETLINK_CONNECTOR_SOCKET_GETATTR = "getattr",
        NETLINK_CONNECTOR_SOCKET_SETATTR = "setattr",
        NETLINK_CONNECTOR_SOCKET_LOCK = "lock",
        NETLINK_CONNECTOR_SOCKET_RELABELFROM = "relabelfrom",
        NETLINK_CONNECTOR_SOCKET_RELABELTO = "relabelto",
        NETLINK_CONNECTOR_SOCKET_APPEND = "append",
        NETLINK_CONNECTOR_SOCKET_MAP = "map",
        NETLINK_CONNECTOR_SOCKET_BIND = "bind",
        NETLINK_CONNECTOR_SOCKET_CONNECT = "connect",
        NETLINK_CONNECTOR_SOCKET_LISTEN = "listen",
        NETLINK_CONNECTOR_SOCKET_ACCEPT = "accept",
        NETLINK_CONNECTOR_SOCKET_GETOPT = "getopt",
        NETLINK_CONNECTOR_SOCKET_SETOPT = "setopt",
        NETLINK_CONNECTOR_SOCKET_SHUTDOWN = "shutdown",
        NETLINK_CONNECTOR_SOCKET_RECVFROM = "recvfrom",
        NETLINK_CONNECTOR_SOCKET_SENDTO = "sendto",
        NETLINK_CONNECTOR_SOCKET_NAME_BIND = "name_bind",
    },
    /// `netlink_netfilter_socket`: `NETLINK_NETFILTER`.
    NetlinkNetfilterSocket = "netlink_netfilter_socket" {
        NETLINK_NETFILTER_SOCKET_IOCTL = "ioctl",
        NETLINK_NETFILTER_SOCKET_READ = "read",
        NETLINK_NETFILTER_SOCKET_WRITE = "write",
        NETLINK_NETFILTER_SOCKET_CREATE = "create",
        NETLINK_NETFILTER_SOCKET_GETATTR = "getattr",
        NETLINK_NETFILTER_SOCKET_SETATTR = "setattr",
        NETLINK_NETFILTER_SOCKET_LOCK = "lock",
        NETLINK_NETFILTER_SOCKET_RELABELFROM = "relabelfrom",
        NETLINK_NETFILTER_SOCKET_RELABELTO = "relabelto",
        NETLINK_NETFILTER_SOCKET_APPEND = "append",
        NETLINK_NETFILTER_SOCKET_MAP = "map",
        NETLINK_NETFILTER_SOCKET_BIND = "bind",
        NETLINK_NETFILTER_SOCKET_CONNECT = "connect",
        NETLINK_NETFILTER_SOCKET_LISTEN = "listen",
        NETLINK_NETFILTER_SOCKET_ACCEPT = "accept",
        NETLINK_NETFILTER_SOCKET_GETOPT = "getopt",
        NETLINK_NETFILTER_SOCKET_SETOPT = "setopt",
        NETLINK_NETFILTER_SOCKET_SHUTDOWN = "shutdown",
        NETLINK_NETFILTER_SOCKET_RECVFROM = "recvfrom",
        NETLINK_NETFILTER_SOCKET_SENDTO = "sendto",
        NETLINK_NETFILTER_SOCKET_NAME_BIND = "name_bind",
    },
    /// `netlink_dnrt_socket`: `NETLINK_DNRTMSG`.
    NetlinkDnrtSocket = "netlink_dnrt_socket" {
        NETLINK_DNRT_SOCKET_IOCTL = "ioctl",
        NETLINK_DNRT_SOCKET_READ = "read",
        NETLINK_DNRT_SOCKET_WRITE = "write",
        NETLINK_DNRT_SOCKET_CREATE = "create",
        NETLINK_DNRT_SOCKET_GETATTR = "getattr",
        NETLINK_DNRT_SOCKET_SETATTR = "setattr",
        NETLINK_DNRT_SOCKET_LOCK = "lock",
        NETLINK_DNRT_SOCKET_RELABELFROM = "relabelfrom",
        NETLINK_DNRT_SOCKET_RELABELTO = "relabelto",
        NETLINK_DNRT_SOCKET_APPEND = "append",
        NETLINK_DNRT_SOCKET_MAP = "map",
        NETLINK_DNRT_SOCKET_BIND = "bind",
        NETLINK_DNRT_SOCKET_CONNECT = "connect",
        NETLINK_DNRT_SOCKET_LISTEN = "listen",
        NETLINK_DNRT_SOCKET_ACCEPT = "accept",
        NETLINK_DNRT_SOCKET_GETOPT = "getopt",
        NETLINK_DNRT_SOCKET_SETOPT = "setopt",
        NETLINK_DNRT_SOCKET_SHUTDOWN = "shutdown",
        NETLINK_DNRT_SOCKET_RECVFROM = "recvfrom",
        NETLINK_DNRT_SOCKET_SENDTO = "sendto",
        NETLINK_DNRT_SOCKET_NAME_BIND = "name_bind",
    },
    /// `netlink_kobject_uevent_socket`: `NETLINK_KOBJECT_UEVENT`.
    NetlinkKobjectUeventSocket = "netlink_kobject_uevent_socket" {
        NETLINK_KOBJECT_UEVENT_SOCKET_IOCTL = "ioctl",
        NETLINK_KOBJECT_UEVENT_SOCKET_READ = "read",
        NETLINK_KOBJECT_UEVENT_SOCKET_WRITE = "write",
        NETLINK_KOBJECT_UEVENT_SOCKET_CREATE = "create",
        NETLINK_KOBJECT_UEVENT_SOCKET_GETATTR = "getattr",
        NETLINK_KOBJECT_UEVENT_SOCKET_SETATTR = "setattr",
        NETLINK_KOBJECT_UEVENT_SOCKET_LOCK = "lock",
        NETLINK_KOBJECT_UEVENT_SOCKET_RELABELFROM = "relabelfrom",
        NETLINK_KOBJECT_UEVENT_SOCKET_RELABELTO = "relabelto",
        NETLINK_KOBJECT_UEVENT_SOCKET_APPEND = "append",
        NETLINK_KOBJECT_UEVENT_SOCKET_MAP = "map",
        NETLINK_KOBJECT_UEVENT_SOCKET_BIND = "bind",
        NETLINK_KOBJECT_UEVENT_SOCKET_CONNECT = "connect",
        NETLINK_KOBJECT_UEVENT_SOCKET_LISTEN = "listen",
        NETLINK_KOBJECT_UEVENT_SOCKET_ACCEPT = "accept",
        NETLINK_KOBJECT_UEVENT_SOCKET_GETOPT = "getopt",
        NETLINK_KOBJECT_UEVENT_SOCKET_SETOPT = "setopt",
        NETLINK_KOBJECT_UEVENT_SOCKET_SHUTDOWN = "shutdown",
        NETLINK_KOBJECT_UEVENT_SOCKET_RECVFROM = "recvfrom",
        NETLINK_KOBJECT_UEVENT_SOCKET_SENDTO = "sendto",
        NETLINK_KOBJECT_UEVENT_SOCKET_NAME_BIND = "name_bind",
    },
    /// `netlink_generic_socket`: `NETLINK_GENERIC`.
    NetlinkGenericSocket = "netlink_generic_socket" {
        NETLINK_GENERIC_SOCKET_IOCTL = "ioctl",
        NETLINK_GENERIC_SOCKET_READ = "read",
        NETLINK_GENERIC_SOCKET_WRITE = "write",
        NETLINK_GENERIC_SOCKET_CREATE = "create",
        NETLINK_GENERIC_SOCKET_GETATTR = "getattr",
        NETLINK_GENERIC_SOCKET_SETATTR = "setattr",
        NETLINK_GENERIC_SOCKET_LOCK = "lock",
        NETLINK_GENERIC_SOCKET_RELABELFROM = "relabelfrom",
        NETLINK_GENERIC_SOCKET_RELABELTO = "relabelto",
        NETLINK_GENERIC_SOCKET_APPEND = "append",
        NETLINK_GENERIC_SOCKET_MAP = "map",
        NETLINK_GENERIC_SOCKET_BIND = "bind",
        NETLINK_GENERIC_SOCKET_CONNECT = "connect",
        NETLINK_GENERIC_SOCKET_LISTEN = "listen",
        NETLINK_GENERIC_SOCKET_ACCEPT = "accept",
        NETLINK_GENERIC_SOCKET_GETOPT = "getopt",
        NETLINK_GENERIC_SOCKET_SETOPT = "setopt",
        NETLINK_GENERIC_SOCKET_SHUTDOWN = "shutdown",
        NETLINK_GENERIC_SOCKET_RECVFROM = "recvfrom",
        NETLINK_GENERIC_SOCKET_SENDTO = "sendto",
        NETLINK_GENERIC_SOCKET_NAME_BIND = "name_bind",
    },
    /// `netlink_scsitransport_socket`: `NETLINK_SCSITRANSPORT`.
    NetlinkScsitransportSocket = "netlink_scsitransport_socket" {
        NETLINK_SCSITRANSPORT_SOCKET_IOCTL = "ioctl",
        NETLINK_SCSITRANSPORT_SOCKET_READ = "read",
        NETLINK_SCSITRANSPORT_SOCKET_WRITE = "write",
        NETLINK_SCSITRANSPORT_SOCKET_CREATE = "create",
        NETLINK_SCSITRANSPORT_SOCKET_GETATTR = "getattr",
        NETLINK_SCSITRANSPORT_SOCKET_SETATTR = "setattr",
        NETLINK_SCSITRANSPORT_SOCKET_LOCK = "lock",
        NETLINK_SCSITRANSPORT_SOCKET_RELABELFROM = "relabelfrom",
        NETLINK_SCSITRANSPORT_SOCKET_RELABELTO = "relabelto",
        NETLINK_SCSITRANSPORT_SOCKET_APPEND = "append",
        NETLINK_SCSITRANSPORT_SOCKET_MAP = "map",
        NETLINK_SCSITRANSPORT_SOCKET_BIND = "bind",
        NETLINK_SCSITRANSPORT_SOCKET_CONNECT = "connect",
        NETLINK_SCSITRANSPORT_SOCKET_LISTEN = "listen",
        NETLINK_SCSITRANSPORT_SOCKET_ACCEPT = "accept",
        NETLINK_SCSITRANSPORT_SOCKET_GETOPT = "getopt",
        NETLINK_SCSITRANSPORT_SOCKET_SETOPT = "setopt",
        NETLINK_SCSITRANSPORT_SOCKET_SHUTDOWN = "shutdown",
        NETLINK_SCSITRANSPORT_SOCKET_RECVFROM = "recvfrom",
        NETLINK_SCSITRANSPORT_SOCKET_SENDTO = "sendto",
        NETLINK_SCSITRANSPORT_SOCKET_NAME_BIND = "name_bind",
    },
    /// `netlink_rdma_socket`: `NETLINK_RDMA`.
    NetlinkRdmaSocket = "netlink_rdma_socket" {
        NETLINK_RDMA_SOCKET_IOCTL = "ioctl",
        NETLINK_RDMA_SOCKET_READ = "read",
        NETLINK_RDMA_SOCKET_WRITE = "write",
        NETLINK_RDMA_SOCKET_CREATE = "create",
        NETLINK_RDMA_SOCKET_GETATTR = "getattr",
        NETLINK_RDMA_SOCKET_SETATTR = "setattr",
        NETLINK_RDMA_SOCKET_LOCK = "lock",
        NETLINK_RDMA_SOCKET_RELABELFROM = "relabelfrom",
        NETLINK_RDMA_SOCKET_RELABELTO = "relabelto",
        NETLINK_RDMA_SOCKET_APPEND = "append",
        NETLINK_RDMA_SOCKET_MAP = "map",
        NETLINK_RDMA_SOCKET_BIND = "bind",
        NETLINK_RDMA_SOCKET_CONNECT = "connect",
        NETLINK_RDMA_SOCKET_LISTEN = "listen",
        NETLINK_RDMA_SOCKET_ACCEPT = "accept",
        NETLINK_RDMA_SOCKET_GETOPT = "getopt",
        NETLINK_RDMA_SOCKET_SETOPT = "setopt",
        NETLINK_RDMA_SOCKET_SHUTDOWN = "shutdown",
        NETLINK_RDMA_SOCKET_RECVFROM = "recvfrom",
        NETLINK_RDMA_SOCKET_SENDTO = "sendto",
        NETLINK_RDMA_SOCKET_NAME_BIND = "name_bind",
    },
    /// `netlink_crypto_socket`: `NETLINK_CRYPTO`.
    NetlinkCryptoSocket = "netlink_crypto_socket" {
        NETLINK_CRYPTO_SOCKET_IOCTL = "ioctl",
        NETLINK_CRYPTO_SOCKET_READ = "read",
        NETLINK_CRYPTO_SOCKET_WRITE = "write",
        NETLINK_CRYPTO_SOCKET_CREATE = "create",
        NETLINK_CRYPTO_SOCKET_GETATTR = "getattr",
        NETLINK_CRYPTO_SOCKET_SETATTR = "setattr",
        NETLINK_CRYPTO_SOCKET_LOCK = "lock",
        NETLINK_CRYPTO_SOCKET_RELABELFROM = "relabelfrom",
        NETLINK_CRYPTO_SOCKET_RELABELTO = "relabelto",
        NETLINK_CRYPTO_SOCKET_APPEND = "append",
        NETLINK_CRYPTO_SOCKET_MAP = "map",
        NETLINK_CRYPTO_SOCKET_BIND = "bind",
        NETLINK_CRYPTO_SOCKET_CONNECT = "connect",
        NETLINK_CRYPTO_SOCKET_LISTEN = "listen",
        NETLINK_CRYPTO_SOCKET_ACCEPT = "accept",
        NETLINK_CRYPTO_SOCKET_GETOPT = "getopt",
        NETLINK_CRYPTO_SOCKET_SETOPT = "setopt",
        NETLINK_CRYPTO_SOCKET_SHUTDOWN = "shutdown",
        NETLINK_CRYPTO_SOCKET_RECVFROM = "recvfrom",
        NETLINK_CRYPTO_SOCKET_SENDTO = "sendto",
        NETLINK_CRYPTO_SOCKET_NAME_BIND = "name_bind",
    },
    /// `ipc`: System V IPC objects of unknown kind.
    Ipc = "ipc" {
        IPC_CREATE = "create",
        IPC_DESTROY = "destroy",
        IPC_GETATTR = "getattr",
        IPC_SETATTR = "setattr",
        IPC_READ = "read",
        IPC_WRITE = "write",
        IPC_ASSOCIATE = "associate",
        IPC_UNIX_READ = "unix_read",
        IPC_UNIX_WRITE = "unix_write",
    },
    /// `sem`: System V semaphore sets.
    Sem = "sem" {
        SEM_CREATE = "create",
        SEM_DESTROY = "destroy",
        SEM_GETATTR = "getattr",
        SEM_SETATTR = "setattr",
        SEM_READ = "read",
        SEM_WRITE = "write",
        SEM_ASSOCIATE = "associate",
        SEM_UNIX_READ = "unix_read",
        SEM_UNIX_WRITE = "unix_write",
    },
    /// `msgq`: System V message queues.
    Msgq = "msgq" {
        MSGQ_CREATE = "create",
        MSGQ_DESTROY = "destroy",
        MSGQ_GETATTR = "getattr",
        MSGQ_SETATTR = "setattr",
        MSGQ_READ = "read",
        MSGQ_WRITE = "write",
        MSGQ_ASSOCIATE = "associate",
        MSGQ_UNIX_READ = "unix_read",
        MSGQ_UNIX_WRITE = "unix_write",
        MSGQ_ENQUEUE = "enqueue",
    },
    /// `shm`: System V shared memory segments.
    Shm = "shm" {
        SHM_CREATE = "create",
        SHM_DESTROY = "destroy",
        SHM_GETATTR = "getattr",
        SHM_SETATTR = "setattr",
        SHM_READ = "read",
        SHM_WRITE = "write",
        SHM_ASSOCIATE = "associate",
        SHM_UNIX_READ = "unix_read",
        SHM_UNIX_WRITE = "unix_write",
        SHM_LOCK = "lock",
    },
    /// `msg`: messages of System V message queues.
    Msg = "msg" {
        MSG_SEND = "send",
        MSG_RECEIVE = "receive",
    },
    /// `system`: the kernel itself (its log, module loading), checked on
    /// the `kernel` initial label.
    System = "system" {
        SYSTEM_IPC_INFO = "ipc_info",
        SYSTEM_SYSLOG_READ = "syslog_read",
        SYSTEM_SYSLOG_MOD = "syslog_mod",
        SYSTEM_SYSLOG_CONSOLE = "syslog_console",
        SYSTEM_MODULE_REQUEST = "module_request",
        SYSTEM_MODULE_LOAD = "module_load",
    },
    /// `key`: keys and keyrings.
    Key = "key" {
        KEY_VIEW = "view",
        KEY_READ = "read",
        KEY_WRITE = "write",
        KEY_SEARCH = "search",
        KEY_LINK = "link",
        KEY_SETATTR = "setattr",
        KEY_CREATE = "create",
    },
    /// `perf_event`: performance monitoring events.
    PerfEvent = "perf_event" {
        PERF_EVENT_OPEN = "open",
        PERF_EVENT_CPU = "cpu",
        PERF_EVENT_KERNEL = "kernel",
        PERF_EVENT_TRACEPOINT = "tracepoint",
        PERF_EVENT_READ = "read",
        PERF_EVENT_WRITE = "write",
    },
    /// `filesystem`: mounted filesystems (superblocks).
    Filesystem = "filesystem" {
        FILESYSTEM_MOUNT = "mount",
        FILESYSTEM_REMOUNT = "remount",
        FILESYSTEM_UNMOUNT = "unmount",
        FILESYSTEM_GETATTR = "getattr",
        FILESYSTEM_RELABELFROM = "relabelfrom",
        FILESYSTEM_RELABELTO = "relabelto",
        FILESYSTEM_ASSOCIATE = "associate",
        FILESYSTEM_QUOTAMOD = "quotamod",
        FILESYSTEM_QUOTAGET = "quotaget",
        FILESYSTEM_WATCH = "watch",
    },
    /// `bpf`: BPF maps and programs.
    Bpf = "bpf" {
        BPF_MAP_CREATE = "map_create",
        BPF_MAP_READ = "map_read",
        BPF_MAP_WRITE = "map_write",
        BPF_PROG_LOAD = "prog_load",
        BPF_PROG_RUN = "prog_run",
    },
}

/// Number of kernel classes ([`KernelClass::ALL`]`.len()`).
pub const NUM_CLASSES: usize = KernelClass::ALL.len();

impl KernelClass {
    /// The kernel class with index `i`, if any.
    pub fn from_index(i: usize) -> Option<KernelClass> {
        KernelClass::ALL.get(i).copied()
    }

    /// This class's index in [`KernelClass::ALL`].
    pub const fn index(self) -> usize {
        self as usize
    }

    /// The kernel class named `name`, if any.
    pub fn by_name(name: &[u8]) -> Option<KernelClass> {
        KernelClass::ALL
            .iter()
            .copied()
            .find(|c| c.name().as_bytes() == name)
    }

    /// Mask of every permission defined for this class.
    pub const fn all_perms(self) -> u32 {
        let n = self.perm_names().len();
        if n >= 32 {
            u32::MAX
        } else {
            // n < 32 here, so the shift cannot overflow.
            (1u32 << n).wrapping_sub(1)
        }
    }

    /// The name of permission bit `bit` (0..32) of this class, if defined.
    pub fn perm_name(self, bit: u32) -> Option<&'static str> {
        self.perm_names().get(usize::try_from(bit).ok()?).copied()
    }
}

/// The classes of file-like objects. Each starts with the same common
/// permissions (`ioctl` … `watch_reads`) at the same bits, so the `FILE_*`
/// masks of those permissions apply to every one of them.
pub const FILE_CLASSES: [KernelClass; 7] = [
    KernelClass::File,
    KernelClass::Dir,
    KernelClass::LnkFile,
    KernelClass::ChrFile,
    KernelClass::BlkFile,
    KernelClass::SockFile,
    KernelClass::FifoFile,
];

/// Number of common permissions at the start of every file class.
pub const COMMON_FILE_PERMS: usize = 25;

/// The socket classes. Each starts with the same common permissions
/// (`ioctl` … `name_bind`) at the same bits, so the `SOCKET_*` masks apply
/// to every one of them; the first [`COMMON_FILE_SOCK_PERMS`] of those are
/// the file classes' first permissions, at the same bits too.
pub const SOCKET_CLASSES: [KernelClass; 26] = [
    KernelClass::Socket,
    KernelClass::TcpSocket,
    KernelClass::UdpSocket,
    KernelClass::RawipSocket,
    KernelClass::IcmpSocket,
    KernelClass::PacketSocket,
    KernelClass::KeySocket,
    KernelClass::UnixStreamSocket,
    KernelClass::UnixDgramSocket,
    KernelClass::NetlinkSocket,
    KernelClass::NetlinkRouteSocket,
    KernelClass::NetlinkTcpdiagSocket,
    KernelClass::NetlinkNflogSocket,
    KernelClass::NetlinkXfrmSocket,
    KernelClass::NetlinkSelinuxSocket,
    KernelClass::NetlinkIscsiSocket,
    KernelClass::NetlinkAuditSocket,
    KernelClass::NetlinkFibLookupSocket,
    KernelClass::NetlinkConnectorSocket,
    KernelClass::NetlinkNetfilterSocket,
    KernelClass::NetlinkDnrtSocket,
    KernelClass::NetlinkKobjectUeventSocket,
    KernelClass::NetlinkGenericSocket,
    KernelClass::NetlinkScsitransportSocket,
    KernelClass::NetlinkRdmaSocket,
    KernelClass::NetlinkCryptoSocket,
];

/// Number of common permissions at the start of every socket class.
pub const COMMON_SOCKET_PERMS: usize = 21;

/// Number of permissions a socket class shares with the file classes
/// (`ioctl` … `map`): a read or write through a socket's descriptor checks
/// them on the socket's class.
pub const COMMON_FILE_SOCK_PERMS: usize = 11;

/// The System V IPC object classes, which share their first
/// [`COMMON_IPC_PERMS`] permissions (`create` … `unix_write`).
pub const IPC_CLASSES: [KernelClass; 4] = [
    KernelClass::Ipc,
    KernelClass::Sem,
    KernelClass::Msgq,
    KernelClass::Shm,
];

/// Number of common permissions at the start of every IPC class.
pub const COMMON_IPC_PERMS: usize = 9;

impl KernelClass {
    /// Whether this is one of the [`SOCKET_CLASSES`].
    pub fn is_socket(self) -> bool {
        SOCKET_CLASSES.contains(&self)
    }
}

/// Maps a capability check to the class and permission that mediate it.
///
/// `cap` is the kernel's CAP number (0..=[`CAP_LAST_CAP_SUPPORTED`]);
/// `init_user_ns` tells whether the capability is checked against the
/// initial user namespace (`capability`/`capability2`) or a child one
/// (`cap_userns`/`cap2_userns`). Returns the class and a mask with the one
/// permission bit set, or `None` for an unknown capability.
pub fn cap_to_class_perm(cap: u32, init_user_ns: bool) -> Option<(KernelClass, u32)> {
    if cap > CAP_LAST_CAP_SUPPORTED {
        return None;
    }
    let (class, bit) = match (cap < 32, init_user_ns) {
        (true, true) => (KernelClass::Capability, cap),
        (true, false) => (KernelClass::CapUserns, cap),
        (false, true) => (KernelClass::Capability2, cap.checked_sub(32)?),
        (false, false) => (KernelClass::Cap2Userns, cap.checked_sub(32)?),
    };
    let mask = 1u32.checked_shl(bit)?;
    if class.all_perms() & mask == 0 {
        return None;
    }
    Some((class, mask))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The kernel's capability names, index = CAP number
    /// (include/uapi/linux/capability.h).
    const KERNEL_CAPS: [&str; 41] = [
        "chown",
        "dac_override",
        "dac_read_search",
        "fowner",
        "fsetid",
        "kill",
        "setgid",
        "setuid",
        "setpcap",
        "linux_immutable",
        "net_bind_service",
        "net_broadcast",
        "net_admin",
        "net_raw",
        "ipc_lock",
        "ipc_owner",
        "sys_module",
        "sys_rawio",
        "sys_chroot",
        "sys_ptrace",
        "sys_pacct",
        "sys_admin",
        "sys_boot",
        "sys_nice",
        "sys_resource",
        "sys_time",
        "sys_tty_config",
        "mknod",
        "lease",
        "audit_write",
        "audit_control",
        "setfcap",
        "mac_override",
        "mac_admin",
        "syslog",
        "wake_alarm",
        "block_suspend",
        "audit_read",
        "perfmon",
        "bpf",
        "checkpoint_restore",
    ];

    #[test]
    fn every_cap_maps_by_kernel_numbering() {
        for cap in 0..=CAP_LAST_CAP_SUPPORTED {
            for init in [true, false] {
                let (class, mask) = cap_to_class_perm(cap, init).unwrap();
                assert_eq!(mask.count_ones(), 1);
                let bit = mask.trailing_zeros();
                let expect_class = match (cap < 32, init) {
                    (true, true) => KernelClass::Capability,
                    (true, false) => KernelClass::CapUserns,
                    (false, true) => KernelClass::Capability2,
                    (false, false) => KernelClass::Cap2Userns,
                };
                assert_eq!(class, expect_class, "cap {cap}");
                assert_eq!(bit, cap % 32, "cap {cap}");
                assert_eq!(class.perm_name(bit), Some(KERNEL_CAPS[cap as usize]));
            }
        }
        assert_eq!(cap_to_class_perm(41, true), None);
        assert_eq!(cap_to_class_perm(u32::MAX, false), None);
    }

    #[test]
    fn checkpoint_restore_is_capability2_bit_8() {
        assert_eq!(
            cap_to_class_perm(40, true),
            Some((KernelClass::Capability2, 1 << 8))
        );
        assert_eq!(perm::CAPABILITY2_CHECKPOINT_RESTORE, 1 << 8);
        assert_eq!(perm::CAP2_USERNS_CHECKPOINT_RESTORE, 1 << 8);
        assert_eq!(
            cap_to_class_perm(40, false),
            Some((KernelClass::Cap2Userns, 1 << 8))
        );
    }

    #[test]
    fn file_classes_share_common_permissions() {
        let common = &KernelClass::File.perm_names()[..COMMON_FILE_PERMS];
        assert_eq!(common.last(), Some(&"watch_reads"));
        for c in FILE_CLASSES {
            assert_eq!(&c.perm_names()[..COMMON_FILE_PERMS], common, "{}", c.name());
        }
    }

    #[test]
    fn socket_classes_share_common_permissions() {
        let common = &KernelClass::Socket.perm_names()[..COMMON_SOCKET_PERMS];
        assert_eq!(common.last(), Some(&"name_bind"));
        let file = &KernelClass::File.perm_names()[..COMMON_FILE_SOCK_PERMS];
        assert_eq!(&common[..COMMON_FILE_SOCK_PERMS], file);
        for c in SOCKET_CLASSES {
            assert!(c.is_socket());
            assert_eq!(
                &c.perm_names()[..COMMON_SOCKET_PERMS],
                common,
                "{}",
                c.name()
            );
        }
        let socket_classes = KernelClass::ALL
            .iter()
            .filter(|c| c.name().ends_with("_socket") || c.name() == "socket");
        assert_eq!(socket_classes.count(), SOCKET_CLASSES.len());
        assert_eq!(perm::UNIX_STREAM_SOCKET_CONNECTTO, 1 << 21);
        assert_eq!(perm::TCP_SOCKET_NAME_CONNECT, 1 << 22);
    }

    #[test]
    fn ipc_classes_share_common_permissions() {
        let common = &KernelClass::Ipc.perm_names()[..COMMON_IPC_PERMS];
        assert_eq!(common.last(), Some(&"unix_write"));
        for c in IPC_CLASSES {
            assert_eq!(&c.perm_names()[..COMMON_IPC_PERMS], common, "{}", c.name());
        }
    }

    #[test]
    fn classes_are_consistent() {
        assert_eq!(NUM_CLASSES, 52);
        for (i, c) in KernelClass::ALL.iter().enumerate() {
            assert_eq!(c.index(), i);
            assert_eq!(KernelClass::from_index(i), Some(*c));
            assert_eq!(KernelClass::by_name(c.name().as_bytes()), Some(*c));
            let names = c.perm_names();
            assert!(!names.is_empty() && names.len() <= 32);
            for (j, a) in names.iter().enumerate() {
                assert!(!names[..j].contains(a), "{} dup {}", c.name(), a);
            }
        }
        assert_eq!(perm::FILE_READ, 1 << 1);
        assert_eq!(perm::FILE_ENTRYPOINT, 1 << 26);
        assert_eq!(perm::PROCESS_TRANSITION, 1 << 1);
        assert_eq!(perm::DIR_SEARCH, 1 << 28);
        assert_eq!(KernelClass::Capability.all_perms(), u32::MAX);
        assert_eq!(KernelClass::Fd.all_perms(), 1);
    }
}
