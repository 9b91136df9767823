// SPDX-License-Identifier: GPL-2.0

//! The hook functions: what carapace decides for each mediated operation.
//!
//! Each hook maps an operation to classmap permissions, as SELinux does.
//! One module per family implements that family's trait of the safe layer
//! and declares its hook list: [`process`] (credentials and capabilities;
//! fork, signals, ptrace), [`exec`] (domain transitions and process
//! attributes), [`inode`] (inodes and their labels), [`file`] (open
//! files and mappings), [`socket`] (sockets, netlink messages and Unix
//! peers), [`ipc`] (System V IPC), [`secid`] (labels for the audit
//! subsystem: secids, their text, audit rules on types), [`key`] (keys), [`perf`] (perf
//! events), [`bpf`] (BPF maps and programs), [`system`] (the kernel's
//! log and modules) and [`mount`] (mounting and querying filesystems).

mod bpf;
mod exec;
mod file;
mod inode;
mod ipc;
mod key;
mod mount;
mod perf;
mod process;
mod secid;
mod socket;
mod system;

use kernel::prelude::*;

use crate::audit::AuditObject;
use crate::classmap::KernelClass;
use crate::domain::{current_sid, TaskSecurity};
use crate::framework::SecurityModule;
use crate::fs_labels::SuperBlockLabels;
use crate::labels::{InodeLabel, LABEL_XATTR};
use crate::object_label::{ObjectLabel, SockSecurity};
use crate::security_server::{server_with_policy, SecurityServer, SERVER};
use crate::Carapace;

pub(crate) use bpf::BPF_HOOKS;
pub(crate) use exec::EXEC_HOOKS;
pub(crate) use file::{FileSecurity, FILE_HOOKS};
pub(crate) use inode::INODE_HOOKS;
pub(crate) use ipc::IPC_HOOKS;
pub(crate) use key::KEY_HOOKS;
pub(crate) use mount::MOUNT_HOOKS;
pub(crate) use perf::PERF_EVENT_HOOKS;
pub(crate) use process::{CRED_HOOKS, TASK_HOOKS};
pub(crate) use secid::SECID_HOOKS;
pub(crate) use socket::SOCKET_HOOKS;
pub(crate) use system::SYSTEM_HOOKS;

impl SecurityModule for Carapace {
    const LSM_ID: u64 = kernel::bindings::LSM_ID_CARAPACE as u64;
    type CredSecurity = TaskSecurity;
    type InodeSecurity = InodeLabel;
    type FileSecurity = FileSecurity;
    type SockSecurity = SockSecurity;
    type IpcSecurity = ObjectLabel;
    type MessageSecurity = ObjectLabel;
    type KeySecurity = ObjectLabel;
    type PerfEventSecurity = ObjectLabel;
    type SuperBlockSecurity = SuperBlockLabels;
    const XATTR_NAMES: &'static [u8] = LABEL_XATTR.as_bytes_with_nul();

    fn init() -> Result {
        let server = KBox::pin_init(SecurityServer::new(crate::boot_enforcing()), GFP_KERNEL)?;
        SERVER.set(server)?;
        pr_info!("initialized, no policy loaded: allowing all accesses\n");
        Ok(())
    }
}

/// Checks `requested` of `class` from the current domain on itself: the
/// checks whose object is the caller (`system`, `bpf`, `perf_event`
/// operations that name no other object). Allowed while no policy is
/// loaded.
fn current_has_perm_on_self(class: KernelClass, requested: u32) -> Result {
    let Some(server) = server_with_policy() else {
        return Ok(());
    };
    let sid = current_sid();
    server.has_perm(sid, sid, class, requested, AuditObject::None, true)
}
