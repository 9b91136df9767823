// SPDX-License-Identifier: GPL-2.0

//! Open files and their mappings.
//!
//! An open file is checked against its inode's label, and against the
//! domain that opened it (`fd { use }`) when another domain uses it.

use kernel::prelude::*;

use super::inode::{inode_access, inode_access_checked, inode_granted_to, object_class};
use super::process::signal_perm;
use crate::audit::AuditObject;
use crate::classmap::{perm, KernelClass};
use crate::domain::{cred_sid, current_sid, task_sid};
use crate::file_access::{access_perms, open_mode_access, open_mode_perms};
use crate::framework::{
    exec::reset, hook_list, AccessMask, BlobWord, Credentials, FcntlKind, FileHooks, IoctlCmd,
    IoctlKind, MapProt, MapRegion, OpenFile, ProtChange, Signal, Task,
};
use crate::labels::inode_sid;
use crate::last_decision::Access;
use crate::policy_store::Sid;
use crate::security_server::{server, server_with_policy, SecurityServer};
use crate::Carapace;

hook_list!(pub(crate) FILE_HOOKS: file for Carapace => [
    file_permission,
    file_open,
    mmap_file,
    file_mprotect,
    file_ioctl,
    file_ioctl_compat,
    file_fcntl,
    file_lock,
    file_set_fowner,
    file_send_sigiotask,
    file_receive,
]);

impl FileHooks for Carapace {
    /// `file_open`: `open` and what the access mode implies. The inode
    /// remembers the grant ([`crate::last_decision`]), so the reads and
    /// writes that follow cost a compare.
    fn file_open(file: &OpenFile) -> Result {
        let access = open_mode_access(file.readable(), file.writable(), file.appends());
        inode_access(
            file.inode(),
            access.with(Access::OPEN),
            AuditObject::File(file),
            true,
        )
    }

    /// `file_permission`: a read or write through an open file is checked
    /// again, so that a policy load or a relabel takes effect on open
    /// files too, and so that a domain other than the opener's needs `fd
    /// { use }`. The inode's last decision answers the usual case.
    #[inline]
    fn file_permission(file: &OpenFile, mask: AccessMask) -> Result {
        let mut access = Access::from_may_bits(mask.bits());
        // First, though `file_access` tests it too: read and write masks
        // then skip the append test (this is the hottest hook).
        if access.is_empty() {
            return Ok(());
        }
        if access.contains(Access::WRITE) && file.appends() {
            // A write through an O_APPEND descriptor can only append.
            access = access.appending();
        }
        file_access(file, access)
    }

    /// `file_ioctl`: `ioctl` for a command the file handles itself, `getattr`
    /// or `setattr` for the generic inode commands, only `fd { use }` for the
    /// file's flags, nothing for the descriptor table (as SELinux with its
    /// `ioctl_skip_cloexec` capability).
    fn file_ioctl(file: &OpenFile, cmd: IoctlCmd) -> Result {
        let Some(server) = server_with_policy() else {
            return Ok(());
        };
        let requested = match cmd.kind() {
            IoctlKind::DescriptorOnly => return Ok(()),
            IoctlKind::FileFlags => 0,
            IoctlKind::GetAttr => perm::FILE_GETATTR,
            IoctlKind::SetAttr => perm::FILE_SETATTR,
            IoctlKind::Other => perm::FILE_IOCTL,
        };
        file_has_perm(server, file, requested)
    }

    /// `mmap_file`: `map` and what the protection needs; `process {
    /// execmem }` for executable memory whose content is not a file's.
    #[inline(always)]
    fn mmap_file(file: Option<&OpenFile>, prot: MapProt) -> Result {
        check_execmem(file, prot)?;
        let Some(file) = file else {
            return Ok(());
        };
        // As in `file_access`, a kernel-internal inode its own domain
        // opened is checked by the hooks of what it implements; tested
        // first here, where it is common (`shmat()` maps the segment's).
        if file.inode().is_private() && opener_sid(file) == current_sid() {
            return Ok(());
        }
        file_access(file, prot.access().accesses().with(Access::MAP))
    }

    /// `file_mprotect`: what the new protection needs, so that a mapping
    /// cannot gain `PROT_EXEC` (or shared write) its file does not allow;
    /// making the heap, a stack or a modified file mapping executable
    /// needs `process { execheap }`, `{ execstack }` or `file { execmod }`.
    fn file_mprotect(file: Option<&OpenFile>, change: ProtChange) -> Result {
        if change.makes_exec() {
            let Some(server) = server_with_policy() else {
                return Ok(());
            };
            let sid = current_sid();
            let process = |requested| {
                let class = KernelClass::Process;
                server.has_perm(sid, sid, class, requested, AuditObject::None, true)
            };
            match (change.region, file) {
                (MapRegion::Heap, _) => process(perm::PROCESS_EXECHEAP)?,
                (MapRegion::Stack, _) => process(perm::PROCESS_EXECSTACK)?,
                (MapRegion::ModifiedFile, Some(file)) => {
                    file_has_perm(server, file, perm::FILE_EXECMOD)?
                }
                _ => {}
            }
        }
        check_execmem(file, change.prot)?;
        match file {
            Some(file) => file_access(file, change.prot.access().accesses()),
            None => Ok(()),
        }
    }

    /// `file_fcntl`: clearing `O_APPEND` needs `write`; the file's state
    /// and owner need `fd { use }`; record locks need `lock`.
    fn file_fcntl(file: &OpenFile, cmd: FcntlKind) -> Result {
        let Some(server) = server_with_policy() else {
            return Ok(());
        };
        match cmd {
            FcntlKind::ClearAppend => file_has_perm(server, file, perm::FILE_WRITE),
            FcntlKind::FileState => file_has_perm(server, file, 0),
            FcntlKind::Lock => file_has_perm(server, file, perm::FILE_LOCK),
            FcntlKind::Other => Ok(()),
        }
    }

    /// `file_lock`: `lock` (`flock()`).
    fn file_lock(file: &OpenFile) -> Result {
        match server_with_policy() {
            Some(server) => file_has_perm(server, file, perm::FILE_LOCK),
            None => Ok(()),
        }
    }

    /// `file_set_fowner`: I/O signals are sent with the owner's domain.
    fn file_set_fowner(file: &OpenFile) {
        file.security::<Carapace>()
            .owner
            .store(OWNER_SET | u64::from(current_sid()));
    }

    /// `file_send_sigiotask`: the owner's domain needs the signal's
    /// `process` permission on the target, as for `kill()`.
    fn file_send_sigiotask(target: &Task, file: &OpenFile, sig: Signal) -> Result {
        let owner = file.security::<Carapace>().owner(file);
        let requested = signal_perm(sig);
        server()?.has_perm(
            owner,
            task_sid(target),
            KernelClass::Process,
            requested,
            AuditObject::None,
            true,
        )
    }

    /// `file_receive`: `fd { use }` and what the file's access mode
    /// implies, as if the receiver had opened it.
    fn file_receive(file: &OpenFile) -> Result {
        let Some(server) = server_with_policy() else {
            return Ok(());
        };
        let requested = open_mode_perms(file.readable(), file.writable(), file.appends());
        file_has_perm(server, file, requested)
    }
}

/// `process { execmem }` for an executable mapping whose content is not
/// a file's: anonymous memory, a kernel-internal file, or a private
/// writable mapping of a file.
#[inline(always)]
fn check_execmem(file: Option<&OpenFile>, prot: MapProt) -> Result {
    if !prot.exec() {
        return Ok(());
    }
    check_exec_mapping(file, prot)
}

/// [`check_execmem`] for an executable mapping.
#[inline(never)]
fn check_exec_mapping(file: Option<&OpenFile>, prot: MapProt) -> Result {
    let not_a_file = file.map_or(true, |file| file.inode().is_private());
    let Some(server) = server_with_policy().filter(|_| not_a_file || prot.private_write()) else {
        return Ok(());
    };
    let sid = current_sid();
    let requested = perm::PROCESS_EXECMEM;
    server.has_perm(
        sid,
        sid,
        KernelClass::Process,
        requested,
        AuditObject::None,
        true,
    )
}

/// Carapace's part of an open file's security blob.
#[derive(Zeroable)]
pub(crate) struct FileSecurity {
    /// The domain of the task that last set the file's I/O owner, as
    /// `OWNER_SET | SID`; zero until one does (then the opener's domain
    /// stands for it, as in SELinux).
    owner: BlobWord,
}

/// Marks [`FileSecurity::owner`] as set (SID 0 is a domain too).
const OWNER_SET: u64 = 1 << 32;

impl FileSecurity {
    /// The domain signals for I/O on `file` are sent as.
    fn owner(&self, file: &OpenFile) -> Sid {
        match self.owner.load() {
            0 => opener_sid(file),
            word => word as Sid,
        }
    }
}

/// The domain that opened `file`: that of the credentials it was opened
/// with.
#[inline(always)]
pub(super) fn opener_sid(file: &OpenFile) -> Sid {
    cred_sid(file.credentials())
}

/// Checks that the current domain may use `file` for `access`: `fd { use
/// }` on the opener's domain if that is another, and `access` on the
/// inode, answered by its last decision in the usual case.
#[inline(always)]
fn file_access(file: &OpenFile, access: Access) -> Result {
    if access.is_empty() {
        return Ok(());
    }
    let sid = current_sid();
    if opener_sid(file) == sid {
        // A kernel-internal inode (a shared memory segment's) is not
        // checked as a file, and has no last decision to ask.
        let inode = file.inode();
        if inode_granted_to(inode, sid, access) || inode.is_private() {
            return Ok(());
        }
    }
    file_access_checked(file, access)
}

/// [`file_access`] when the inode's last decision does not answer, or
/// another domain uses the file.
#[inline(never)]
fn file_access_checked(file: &OpenFile, access: Access) -> Result {
    let sid = current_sid();
    if opener_sid(file) == sid {
        return inode_access_checked(file.inode(), access, AuditObject::File(file), true);
    }
    match server_with_policy() {
        Some(server) => file_has_perm(server, file, access_perms(access, file.inode().kind())),
        None => Ok(()),
    }
}

/// Checks `requested` on an open file: `fd { use }` on the opener's
/// domain if another domain uses it, then `requested` on its inode.
fn file_has_perm(server: &SecurityServer, file: &OpenFile, requested: u32) -> Result {
    file_has_perm_as(server, current_sid(), file, requested, true)
}

/// Checks that domain `sid` may use `file` for `requested`: `fd { use }` on
/// the opener's domain if another domain uses it, then `requested` on its
/// inode. Does not sleep unless `may_block`.
fn file_has_perm_as(
    server: &SecurityServer,
    sid: Sid,
    file: &OpenFile,
    requested: u32,
    may_block: bool,
) -> Result {
    let object = AuditObject::File(file);
    let opener = opener_sid(file);
    if sid != opener {
        server.has_perm(sid, opener, KernelClass::Fd, perm::FD_USE, object, true)?;
    }
    let inode = file.inode();
    // The kernel's own inodes (a System V shared memory segment's file …)
    // are checked by the hooks of what they implement, as in SELinux.
    if requested == 0 || inode.is_private() {
        return Ok(());
    }
    let isid = inode_sid(server, inode, may_block)?;
    let (class, requested) = object_class(inode, requested);
    server.has_perm(sid, isid, class, requested, object, true)
}

/// Replaces the current task's descriptors that domain `sid`, which it is
/// about to enter, may not use as they are open by a file that reads as
/// empty and swallows writes (closes them if none can be made), so that a
/// new domain does not work on what the old one opened for it.
pub(super) fn close_unusable_files(server: &SecurityServer, credentials: &Credentials) {
    let sid = cred_sid(credentials);
    let usable = |file: &OpenFile| {
        let requested = open_mode_perms(file.readable(), file.writable(), file.appends());
        // Under the descriptor table's lock: a label not known yet
        // cannot be computed, and the file is replaced.
        file_has_perm_as(server, sid, file, requested, false).is_ok()
    };
    // Opened with the new domain's credentials: the new domain is its
    // opener.
    reset::descriptors(usable, || reset::NullFile::open(credentials));
}
