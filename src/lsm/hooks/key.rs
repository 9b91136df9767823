// SPDX-License-Identifier: GPL-2.0

//! Keys and keyrings.
//!
//! A key takes the domain of the task it is made for, as in SELinux (no
//! `keycreate` attribute yet); each key operation is the `key` permission
//! of its `key_need_perm` on the key's label. `keyctl_get_security()`
//! shows the label.

use kernel::prelude::*;

use crate::audit::AuditObject;
use crate::classmap::KernelClass;
use crate::domain::cred_sid;
use crate::framework::{hook_list, Credentials, Key, KeyHooks};
use crate::kernel_perms::{key_perms, KeyNeed};
use crate::security_server::{server, server_with_policy};
use crate::Carapace;

hook_list!(pub(crate) KEY_HOOKS: key for Carapace => [
    key_alloc,
    key_permission,
    key_getsecurity,
]);

impl KeyHooks for Carapace {
    /// `key_alloc`: the key takes its owner's domain.
    fn key_alloc(key: &Key, cred: &Credentials) -> Result {
        key.security::<Carapace>()
            .set(cred_sid(cred), KernelClass::Key);
        Ok(())
    }

    /// `key_permission`: `view`, `read`, `write`, `search`, `link`
    /// (also to unlink) or `setattr` on the key; the keys subsystem's own
    /// overrides need nothing; a request this kernel does not define is
    /// refused.
    fn key_permission(key: &Key, cred: &Credentials, need: u32) -> Result {
        let requested = match key_perms(need) {
            KeyNeed::Perms(perms) => perms,
            KeyNeed::Nothing => return Ok(()),
            KeyNeed::Unknown => return Err(EPERM),
        };
        let label = key.security::<Carapace>();
        let sid = cred_sid(cred);
        if label.granted(sid, requested) {
            return Ok(());
        }
        let Some(server) = server_with_policy() else {
            return Ok(());
        };
        label.has_perm(server, sid, requested, || AuditObject::None)
    }

    /// `key_getsecurity`: the key's label, NUL-terminated.
    fn key_getsecurity(key: &Key) -> Result<KVec<u8>> {
        let Some((sid, _)) = key.security::<Carapace>().get() else {
            return Ok(KVec::new());
        };
        let mut name = KVec::new();
        server()?.sid_name(sid, &mut name)?;
        name.push(0, GFP_KERNEL)?;
        Ok(name)
    }
}
