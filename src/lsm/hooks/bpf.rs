// SPDX-License-Identifier: GPL-2.0

//! BPF maps and programs.
//!
//! As in SELinux: creating a map or loading a program is `bpf {
//! map_create }` or `{ prog_load }` of the domain on itself; a map or a
//! program takes its creator's domain; getting a map's descriptor (by id)
//! needs `map_read` and `map_write` as its mode says, a program's
//! `prog_run`, on that label.

use kernel::prelude::*;

use super::current_has_perm_on_self;
use crate::audit::AuditObject;
use crate::classmap::{perm, KernelClass};
use crate::domain::current_sid;
use crate::framework::{hook_list, BpfHooks, BpfObject};
use crate::kernel_perms::{bpf_command_perms, bpf_map_perms};
use crate::policy::InitialSid;
use crate::security_server::server_with_policy;
use crate::Carapace;

hook_list!(pub(crate) BPF_HOOKS: bpf for Carapace => [
    bpf,
    bpf_map,
    bpf_prog,
    bpf_map_create,
    bpf_prog_load,
]);

impl BpfHooks for Carapace {
    /// `bpf`: `map_create` or `prog_load` on the domain itself.
    fn bpf(cmd: i32) -> Result {
        let requested = bpf_command_perms(cmd);
        if requested == 0 {
            return Ok(());
        }
        current_has_perm_on_self(KernelClass::Bpf, requested)
    }

    /// `bpf_map`: `map_read`, `map_write` on the map.
    fn bpf_map(map: &BpfObject, fmode: u32) -> Result {
        object_has_perm(map, bpf_map_perms(fmode))
    }

    /// `bpf_prog`: `prog_run` on the program.
    fn bpf_prog(prog: &BpfObject) -> Result {
        object_has_perm(prog, perm::BPF_PROG_RUN)
    }

    /// `bpf_map_create`, `bpf_prog_load`: the object takes its creator's
    /// domain.
    fn bpf_object_create(object: &BpfObject) -> Result {
        object.set_label(current_sid());
        Ok(())
    }
}

/// Checks `requested` from the current domain on `object`'s label (the
/// `unlabeled` initial label when another LSM holds the object's
/// pointer).
fn object_has_perm(object: &BpfObject, requested: u32) -> Result {
    if requested == 0 {
        return Ok(());
    }
    let Some(server) = server_with_policy() else {
        return Ok(());
    };
    let target = match object.label() {
        Some(sid) => sid,
        None => server
            .with_policy(|policy, db| policy.initial(db, InitialSid::Unlabeled))
            .unwrap_or(0),
    };
    let class = KernelClass::Bpf;
    server.has_perm(
        current_sid(),
        target,
        class,
        requested,
        AuditObject::None,
        true,
    )
}
