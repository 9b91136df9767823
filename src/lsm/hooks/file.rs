// SPDX-License-Identifier: GPL-2.0

//! Open files and their mappings.
//!
//! An open file is checked against its inode's label, and against the
//! domain that opened it (`fd { use }`) when another domain uses it.

use kernel::prelude::*;

use super::inode::inode_has_perm;
use crate::audit::AuditObject;
use crate::classmap::{perm, KernelClass};
use crate::domain::current_sid;
use crate::file_access::{check_then_stamp, checked_word, open_mode_perms};
use crate::framework::{
    hook_list, AccessMask, BlobWord, FileHooks, IoctlCmd, IoctlKind, MapProt, OpenFile,
};
use crate::labels::inode_sid;
use crate::policy_store::Sid;
use crate::security_server::{server_with_policy, SecurityServer};
use crate::Carapace;

hook_list!(pub(crate) FILE_HOOKS: file for Carapace => [
    file_alloc_security,
    file_permission,
    file_open,
    mmap_file,
    file_mprotect,
    file_ioctl,
    file_ioctl_compat,
]);

impl FileHooks for Carapace {
    /// `file_alloc_security`: remembers the domain that opens the file.
    #[inline]
    fn file_alloc_security(file: &OpenFile) -> Result {
        file.security::<Carapace>().set_opener(current_sid());
        Ok(())
    }

    /// `file_open`: `open` and what the access mode implies; remembered so
    /// that reads and writes need no new check. The remembered policy
    /// number is read before the check ([`check_then_stamp`]), so a reload
    /// racing the open makes reads and writes check again.
    fn file_open(file: &OpenFile) -> Result {
        let Some(server) = server_with_policy() else {
            return Ok(());
        };
        let inode = file.inode();
        let isid = inode_sid(server, inode, true)?;
        let checked = check_then_stamp(
            || server.seqno(),
            isid,
            || {
                server.has_perm(
                    current_sid(),
                    isid,
                    inode.kind().class(),
                    open_mode_perms(file.readable(), file.writable(), file.appends())
                        | perm::FILE_OPEN,
                    AuditObject::File(file),
                    true,
                )
            },
        )?;
        file.security::<Carapace>().checked.store(checked);
        Ok(())
    }

    /// `file_permission`: a read or write through an open file is checked
    /// again when another domain uses the file, or when the file's label or
    /// the policy changed since it was opened.
    fn file_permission(file: &OpenFile, mask: AccessMask) -> Result {
        let inode = file.inode();
        let requested = mask.access().perms(inode.kind());
        if requested == 0 {
            return Ok(());
        }
        let Some(server) = server_with_policy() else {
            return Ok(());
        };
        let fsec = file.security::<Carapace>();
        let isid = inode_sid(server, inode, true)?;
        if fsec.opener() == current_sid()
            && fsec.checked.load() == checked_word(isid, server.seqno())
        {
            return Ok(());
        }
        file_has_perm(server, file, requested)
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

    /// `mmap_file`: `map` and what the protection needs.
    fn mmap_file(file: Option<&OpenFile>, prot: MapProt) -> Result {
        let (Some(file), Some(server)) = (file, server_with_policy()) else {
            return Ok(());
        };
        file_has_perm(server, file, perm::FILE_MAP | prot.access().perms())
    }

    /// `file_mprotect`: what the new protection needs, so that a mapping
    /// cannot gain `PROT_EXEC` (or shared write) its file does not allow.
    fn file_mprotect(file: Option<&OpenFile>, prot: MapProt) -> Result {
        let (Some(file), Some(server)) = (file, server_with_policy()) else {
            return Ok(());
        };
        file_has_perm(server, file, prot.access().perms())
    }
}

/// Carapace's part of an open file's security blob.
#[derive(Zeroable)]
pub(crate) struct FileSecurity {
    /// The domain that opened the file.
    opener: BlobWord,
    /// What `file_open` checked, as `inode SID << 32 | policy seqno` (0:
    /// nothing): reads and writes by the opener need no new check while
    /// both are unchanged.
    checked: BlobWord,
}

impl FileSecurity {
    /// Records the domain that opens the file.
    pub(crate) fn set_opener(&self, sid: Sid) {
        self.opener.store(u64::from(sid));
    }

    #[inline]
    fn opener(&self) -> Sid {
        self.opener.load() as Sid
    }
}

/// Checks `requested` on an open file: `fd { use }` on the opener's
/// domain if another domain uses it, then `requested` on its inode.
fn file_has_perm(server: &SecurityServer, file: &OpenFile, requested: u32) -> Result {
    let (sid, opener) = (current_sid(), file.security::<Carapace>().opener());
    if sid != opener {
        server.has_perm(
            sid,
            opener,
            KernelClass::Fd,
            perm::FD_USE,
            AuditObject::File(file),
            true,
        )?;
    }
    if requested == 0 {
        return Ok(());
    }
    inode_has_perm(
        server,
        file.inode(),
        requested,
        AuditObject::File(file),
        true,
    )
}
