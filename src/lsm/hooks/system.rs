// SPDX-License-Identifier: GPL-2.0

//! The kernel's own services: its log, and the modules it loads.
//!
//! As in SELinux, each is a `system` permission of the current domain on
//! the `kernel` initial label (the log, `request_module()`), on itself (a
//! module loaded from a buffer) or on the module file's label
//! (`finit_module()`).

use kernel::prelude::*;

use super::current_has_perm_on_self;
use super::file::opener_sid;
use crate::audit::AuditObject;
use crate::classmap::{perm, KernelClass};
use crate::domain::current_sid;
use crate::framework::{hook_list, KernelData, OpenFile, SystemHooks};
use crate::kernel_perms::syslog_perms;
use crate::labels::inode_sid;
use crate::policy::InitialSid;
use crate::security_server::{server_with_policy, SecurityServer};
use crate::Carapace;

hook_list!(pub(crate) SYSTEM_HOOKS: system for Carapace => [
    syslog,
    kernel_module_request,
    kernel_load_data,
    kernel_read_file,
]);

impl SystemHooks for Carapace {
    /// `syslog`: `syslog_read`, `syslog_mod` or `syslog_console` on the
    /// kernel (`dmesg` reads: `syslog_read`).
    fn syslog(action: i32) -> Result {
        kernel_has_perm(syslog_perms(action))
    }

    /// `kernel_module_request`: `module_request` on the kernel.
    fn kernel_module_request() -> Result {
        kernel_has_perm(perm::SYSTEM_MODULE_REQUEST)
    }

    /// `kernel_load_data`: a module from a buffer needs `module_load` on
    /// the loading domain itself.
    fn kernel_load_data(what: KernelData, _contents: bool) -> Result {
        match what {
            KernelData::Module => self_has_perm(perm::SYSTEM_MODULE_LOAD),
            KernelData::Other => Ok(()),
        }
    }

    /// `kernel_read_file`: a module file needs `module_load` on the file's
    /// label (and `fd { use }` of a descriptor another domain opened);
    /// the check before the contents are read is on the domain itself,
    /// as in SELinux.
    fn kernel_read_file(file: &OpenFile, what: KernelData, contents: bool) -> Result {
        if what != KernelData::Module {
            return Ok(());
        }
        if !contents {
            return self_has_perm(perm::SYSTEM_MODULE_LOAD);
        }
        let Some(server) = server_with_policy() else {
            return Ok(());
        };
        let sid = current_sid();
        let object = AuditObject::File(file);
        let opener = opener_sid(file);
        if opener != sid {
            server.has_perm(sid, opener, KernelClass::Fd, perm::FD_USE, object, true)?;
        }
        let isid = inode_sid(server, file.inode(), true)?;
        let requested = perm::SYSTEM_MODULE_LOAD;
        server.has_perm(sid, isid, KernelClass::System, requested, object, true)
    }
}

/// Checks `requested` of class `system` from the current domain on the
/// kernel's initial label.
fn kernel_has_perm(requested: u32) -> Result {
    let Some(server) = server_with_policy() else {
        return Ok(());
    };
    let kernel = kernel_sid(server);
    let class = KernelClass::System;
    server.has_perm(
        current_sid(),
        kernel,
        class,
        requested,
        AuditObject::None,
        true,
    )
}

/// Checks `requested` of class `system` from the current domain on itself.
fn self_has_perm(requested: u32) -> Result {
    current_has_perm_on_self(KernelClass::System, requested)
}

/// The SID of the `kernel` initial label.
fn kernel_sid(server: &SecurityServer) -> u32 {
    server
        .with_policy(|policy, db| policy.initial(db, InitialSid::Kernel))
        .unwrap_or(0)
}
