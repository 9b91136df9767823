// SPDX-License-Identifier: GPL-2.0

//! The hook functions: what carapace decides for each mediated operation.
//!
//! Each hook maps an operation to classmap permissions, as SELinux does.
//! [`SecurityModule`] is implemented here as a table; the bodies live in
//! one module per family: [`process`] (capabilities, signals, ptrace,
//! fork), [`exec`] (domain transitions and process attributes) and
//! [`file`] (inodes, files and their labels).

mod exec;
mod file;
mod process;

use kernel::prelude::*;

use crate::labels::{InodeLabel, LABEL_XATTR};
use crate::lsm::{
    AccessMask, AttrChange, BinaryLoad, CapOpts, Capability, Credentials, Dentry, Inode, InodeKind,
    IoctlCmd, MapProt, NewCredentials, NewXattrs, OpenFile, Path, ProcAttr, PtraceMode,
    SecurityModule, Signal, Task, UserNamespace,
};
use crate::policy_store::Sid;
use crate::security_server::{server, SecurityServer, SERVER};
use crate::Carapace;

pub(crate) use file::FileSecurity;

/// Carapace's part of a task's credentials.
#[derive(Clone, Copy, Zeroable)]
pub(crate) struct TaskSecurity {
    /// The task's domain.
    sid: Sid,
    /// The domain to enter at the next execve (0: none requested).
    exec_sid: Sid,
}

/// The security server, or `None` when no policy is loaded (then every
/// access is allowed and labels are not computed).
#[inline]
fn enforcing_server() -> Option<&'static SecurityServer> {
    SERVER.get().filter(|server| server.policy_loaded())
}

/// The domain of `cred`.
#[inline]
fn cred_sid(cred: &Credentials) -> Sid {
    cred.security::<Carapace>().sid
}

/// The domain of the current task.
#[inline]
pub(crate) fn current_sid() -> Sid {
    cred_sid(Credentials::current())
}

/// The domain of `task`.
fn task_sid(task: &Task) -> Sid {
    task.with_credentials(cred_sid)
}

impl SecurityModule for Carapace {
    type CredSecurity = TaskSecurity;
    type InodeSecurity = InodeLabel;
    type FileSecurity = FileSecurity;
    const XATTR_NAMES: &'static [u8] = LABEL_XATTR.as_bytes_with_nul();

    fn init() -> Result {
        let server = KBox::pin_init(SecurityServer::new(crate::boot_enforcing()), GFP_KERNEL)?;
        SERVER.set(server)?;
        pr_info!("initialized, no policy loaded: allowing all accesses\n");
        Ok(())
    }

    #[inline]
    fn capable(cred: &Credentials, ns: &UserNamespace, cap: Capability, opts: CapOpts) -> Result {
        process::capable(cred, ns, cap, opts)
    }

    fn cred_prepare(new: &mut NewCredentials, old: &Credentials) -> Result {
        *new.security_mut::<Carapace>() = *old.security::<Carapace>();
        Ok(())
    }

    fn bprm_creds_for_exec(bprm: &mut BinaryLoad) -> Result {
        exec::bprm_creds_for_exec(bprm)
    }

    fn getprocattr(task: &Task, attr: ProcAttr) -> Result<KVec<u8>> {
        exec::getprocattr(task, attr)
    }

    fn setprocattr(attr: ProcAttr, value: &[u8]) -> Result {
        exec::setprocattr(attr, value)
    }

    #[inline]
    fn task_alloc(_task: &Task) -> Result {
        process::task_alloc()
    }

    fn ptrace_access_check(child: &Task, mode: PtraceMode) -> Result {
        process::ptrace_access_check(child, mode)
    }

    fn ptrace_traceme(parent: &Task) -> Result {
        process::ptrace_traceme(parent)
    }

    #[inline]
    fn task_kill(target: &Task, sig: Signal, sender: Option<&Credentials>) -> Result {
        process::task_kill(target, sig, sender)
    }

    fn task_to_inode(task: &Task, inode: &Inode) {
        inode.security::<Carapace>().set_known(task_sid(task));
    }

    fn d_instantiate(dentry: &Dentry, inode: &Inode) {
        file::d_instantiate(dentry, inode)
    }

    fn inode_init_security(inode: &Inode, dir: &Inode, xattrs: Option<NewXattrs<'_>>) -> Result {
        file::inode_init_security(inode, dir, xattrs)
    }

    fn inode_create(dir: &Inode, dentry: &Dentry, kind: InodeKind) -> Result {
        file::inode_create(dir, dentry, kind)
    }

    fn inode_link(old: &Dentry, dir: &Inode, new: &Dentry) -> Result {
        file::inode_link(old, dir, new)
    }

    fn inode_unlink(dir: &Inode, dentry: &Dentry) -> Result {
        file::inode_unlink(dir, dentry)
    }

    fn inode_rename(old_dir: &Inode, old: &Dentry, new_dir: &Inode, new: &Dentry) -> Result {
        file::inode_rename(old_dir, old, new_dir, new)
    }

    #[inline]
    fn inode_follow_link(dentry: &Dentry, inode: &Inode, may_block: bool) -> Result {
        file::inode_follow_link(dentry, inode, may_block)
    }

    #[inline]
    fn inode_permission(inode: &Inode, mask: AccessMask) -> Result {
        file::inode_permission(inode, mask)
    }

    fn inode_setattr(dentry: &Dentry, change: AttrChange) -> Result {
        file::inode_setattr(dentry, change)
    }

    #[inline]
    fn inode_getattr(path: &Path) -> Result {
        file::inode_getattr(path)
    }

    fn inode_xattr_skipcap(name: &CStr) -> bool {
        name.as_bytes() == LABEL_XATTR.as_bytes()
    }

    fn inode_setxattr(dentry: &Dentry, name: &CStr, value: &[u8]) -> Result {
        file::inode_setxattr(dentry, name, value)
    }

    fn inode_post_setxattr(dentry: &Dentry, name: &CStr, value: &[u8]) {
        file::inode_post_setxattr(dentry, name, value)
    }

    fn inode_removexattr(dentry: &Dentry, name: &CStr) -> Result {
        file::inode_removexattr(dentry, name)
    }

    fn inode_getsecurity(inode: &Inode, suffix: &CStr) -> Result<KVec<u8>> {
        file::inode_getsecurity(inode, suffix)
    }

    #[inline]
    fn file_alloc_security(file: &OpenFile) -> Result {
        file.security::<Carapace>().set_opener(current_sid());
        Ok(())
    }

    #[inline]
    fn file_permission(file: &OpenFile, mask: AccessMask) -> Result {
        file::file_permission(file, mask)
    }

    #[inline]
    fn file_open(file: &OpenFile) -> Result {
        file::file_open(file)
    }

    #[inline]
    fn mmap_file(file: Option<&OpenFile>, prot: MapProt) -> Result {
        file::mmap_file(file, prot)
    }

    fn file_ioctl(file: &OpenFile, cmd: IoctlCmd) -> Result {
        file::file_ioctl(file, cmd)
    }

    fn file_mprotect(file: Option<&OpenFile>, prot: MapProt) -> Result {
        file::file_mprotect(file, prot)
    }
}
