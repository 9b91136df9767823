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
    fn classes_are_consistent() {
        assert_eq!(NUM_CLASSES, 16);
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
