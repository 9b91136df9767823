// SPDX-License-Identifier: GPL-2.0

//! What a file operation asks of the classmap: the security class of an
//! inode from its mode, and the permissions that an access mask, an open
//! file's mode or a mapping's protection need, as SELinux maps them.
//!
//! The common file permissions have the same bits in every file class
//! (`file`, `dir`, `lnk_file` …), so the `FILE_*` masks serve all of them.

use crate::classmap::{perm, KernelClass};
use crate::last_decision::Access;

/// What kind of object an inode is (`S_IFMT` of its mode).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InodeKind {
    /// A regular file, or an inode whose mode has no type.
    File,
    /// A directory.
    Dir,
    /// A symbolic link.
    Symlink,
    /// A character device.
    CharDevice,
    /// A block device.
    BlockDevice,
    /// A socket.
    Socket,
    /// A named or anonymous pipe.
    Fifo,
}

/// File type bits of a mode (`S_IF*`, uapi/linux/stat.h).
mod mode {
    pub(super) const S_IFMT: u32 = 0o170_000;
    pub(super) const S_IFSOCK: u32 = 0o140_000;
    pub(super) const S_IFLNK: u32 = 0o120_000;
    pub(super) const S_IFBLK: u32 = 0o060_000;
    pub(super) const S_IFDIR: u32 = 0o040_000;
    pub(super) const S_IFCHR: u32 = 0o020_000;
    pub(super) const S_IFIFO: u32 = 0o010_000;
}

impl InodeKind {
    /// The kind of an inode of mode `mode`.
    #[inline]
    pub const fn from_mode(mode: u32) -> Self {
        match mode & mode::S_IFMT {
            mode::S_IFDIR => Self::Dir,
            mode::S_IFLNK => Self::Symlink,
            mode::S_IFCHR => Self::CharDevice,
            mode::S_IFBLK => Self::BlockDevice,
            mode::S_IFSOCK => Self::Socket,
            mode::S_IFIFO => Self::Fifo,
            _ => Self::File,
        }
    }

    /// The security class of an inode of this kind.
    #[inline]
    pub const fn class(self) -> KernelClass {
        match self {
            Self::File => KernelClass::File,
            Self::Dir => KernelClass::Dir,
            Self::Symlink => KernelClass::LnkFile,
            Self::CharDevice => KernelClass::ChrFile,
            Self::BlockDevice => KernelClass::BlkFile,
            Self::Socket => KernelClass::SockFile,
            Self::Fifo => KernelClass::FifoFile,
        }
    }
}

/// The access an `inode_permission` or `file_permission` check asks for
/// (the kernel's `MAY_READ`, `MAY_WRITE`, `MAY_EXEC`, `MAY_APPEND`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct FileAccess {
    /// Read (list, for a directory).
    pub read: bool,
    /// Write.
    pub write: bool,
    /// Execute (search, for a directory).
    pub exec: bool,
    /// Append-only write.
    pub append: bool,
}

impl FileAccess {
    /// The permissions this access needs on an inode of `kind`: `read`,
    /// `write` or `append` (`write` for a directory), `execute` (`search`
    /// for a directory). None for an existence check.
    #[inline]
    pub const fn perms(self, kind: InodeKind) -> u32 {
        let mut perms = 0;
        if self.read {
            perms |= perm::FILE_READ;
        }
        if matches!(kind, InodeKind::Dir) {
            if self.exec {
                perms |= perm::DIR_SEARCH;
            }
            if self.write || self.append {
                perms |= perm::FILE_WRITE;
            }
            return perms;
        }
        if self.exec {
            perms |= perm::FILE_EXECUTE;
        }
        if self.append {
            perms |= perm::FILE_APPEND;
        } else if self.write {
            perms |= perm::FILE_WRITE;
        }
        perms
    }
}

/// The permissions `access` stands for on an inode of `kind`: the bits of
/// [`Access`] as [`FileAccess::perms`] and [`open_mode_perms`] map them
/// (`search` for execute and `write` for append on a directory), plus
/// `open`, `getattr`, `map` and `execute_no_trans`.
#[inline(always)]
pub const fn access_perms(access: Access, kind: InodeKind) -> u32 {
    let dir = matches!(kind, InodeKind::Dir);
    let mut perms = 0;
    if access.contains(Access::READ) {
        perms |= perm::FILE_READ;
    }
    if access.contains(Access::WRITE) {
        perms |= perm::FILE_WRITE;
    }
    if access.contains(Access::APPEND) {
        perms |= if dir {
            perm::FILE_WRITE
        } else {
            perm::FILE_APPEND
        };
    }
    if access.contains(Access::EXEC) {
        perms |= if dir {
            perm::DIR_SEARCH
        } else {
            perm::FILE_EXECUTE
        };
    }
    if access.contains(Access::OPEN) {
        perms |= perm::FILE_OPEN;
    }
    if access.contains(Access::GETATTR) {
        perms |= perm::FILE_GETATTR;
    }
    if access.contains(Access::MAP) {
        perms |= perm::FILE_MAP;
    }
    if access.contains(Access::EXECUTE_NO_TRANS) {
        perms |= perm::FILE_EXECUTE_NO_TRANS;
    }
    perms
}

/// The accesses an open file's access mode implies, as [`open_mode_perms`].
#[inline(always)]
pub const fn open_mode_access(readable: bool, writable: bool, appends: bool) -> Access {
    let mut access = Access::NONE;
    if readable {
        access = access.with(Access::READ);
    }
    if writable {
        access = access.with(if appends {
            Access::APPEND
        } else {
            Access::WRITE
        });
    }
    access
}

/// The permissions an open file's access mode implies: `read`, and
/// `append` for an `O_APPEND` writer, `write` for any other writer.
#[inline]
pub const fn open_mode_perms(readable: bool, writable: bool, appends: bool) -> u32 {
    let mut perms = 0;
    if readable {
        perms |= perm::FILE_READ;
    }
    if writable {
        perms |= if appends {
            perm::FILE_APPEND
        } else {
            perm::FILE_WRITE
        };
    }
    perms
}

/// The protection of a memory mapping of a file, as far as mediation goes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct MapAccess {
    /// The mapping can be read.
    pub read: bool,
    /// Writes through the mapping reach the file (shared and writable).
    pub shared_write: bool,
    /// The mapping is executable.
    pub exec: bool,
}

impl MapAccess {
    /// The accesses the mapping needs on its file, as [`Self::perms`].
    #[inline]
    pub const fn accesses(self) -> Access {
        let mut access = Access::NONE;
        if self.read {
            access = access.with(Access::READ);
        }
        if self.shared_write {
            access = access.with(Access::WRITE);
        }
        if self.exec {
            access = access.with(Access::EXEC);
        }
        access
    }

    /// The permissions the mapping needs on its file: `read`, `write` and
    /// `execute`.
    #[inline]
    pub const fn perms(self) -> u32 {
        let mut perms = 0;
        if self.read {
            perms |= perm::FILE_READ;
        }
        if self.shared_write {
            perms |= perm::FILE_WRITE;
        }
        if self.exec {
            perms |= perm::FILE_EXECUTE;
        }
        perms
    }
}

#[cfg(test)]
mod tests;
