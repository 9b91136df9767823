// SPDX-License-Identifier: GPL-2.0

//! Performance monitoring events.
//!
//! As in SELinux: opening an event is `perf_event { open }` (and `cpu`,
//! `kernel` or `tracepoint` for what it watches) of the domain on itself,
//! an event takes its creator's domain, and reading or changing it later
//! is `read` or `write` on that label. Watching another task also needs
//! the ptrace read access the kernel asks for it (`ptrace_access_check`).

use kernel::prelude::*;

use super::current_has_perm_on_self;
use crate::audit::AuditObject;
use crate::classmap::{perm, KernelClass};
use crate::domain::current_sid;
use crate::framework::{hook_list, PerfEvent, PerfEventHooks};
use crate::kernel_perms::perf_open_perms;
use crate::security_server::server_with_policy;
use crate::Carapace;

hook_list!(pub(crate) PERF_EVENT_HOOKS: perf for Carapace => [
    perf_event_open,
    perf_event_alloc,
    perf_event_read,
    perf_event_write,
]);

impl PerfEventHooks for Carapace {
    /// `perf_event_open`: `open`, `cpu`, `kernel` or `tracepoint` on the
    /// domain itself; a kind this kernel does not define is refused.
    fn perf_event_open(kind: i32) -> Result {
        let requested = perf_open_perms(kind).ok_or(EINVAL)?;
        current_has_perm_on_self(KernelClass::PerfEvent, requested)
    }

    /// `perf_event_alloc`: the event takes its creator's domain.
    fn perf_event_alloc(event: &PerfEvent) -> Result {
        let label = event.security::<Carapace>();
        label.set(current_sid(), KernelClass::PerfEvent);
        Ok(())
    }

    /// `perf_event_read`: `read` on the event.
    fn perf_event_read(event: &PerfEvent) -> Result {
        event_has_perm(event, perm::PERF_EVENT_READ)
    }

    /// `perf_event_write`: `write` on the event.
    fn perf_event_write(event: &PerfEvent) -> Result {
        event_has_perm(event, perm::PERF_EVENT_WRITE)
    }
}

/// Checks `requested` from the current domain on `event`'s label.
fn event_has_perm(event: &PerfEvent, requested: u32) -> Result {
    let label = event.security::<Carapace>();
    let sid = current_sid();
    if label.granted(sid, requested) {
        return Ok(());
    }
    let Some(server) = server_with_policy() else {
        return Ok(());
    };
    label.has_perm(server, sid, requested, || AuditObject::None)
}
