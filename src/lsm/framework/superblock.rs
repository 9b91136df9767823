// SPDX-License-Identifier: GPL-2.0

//! Superblocks and mounts as the hooks see them, and the hooks of the
//! mount family ([`MountHooks`]).

use kernel::{bindings, prelude::*, types::Opaque};

use super::{Dentry, Path, SecurityModule};

/// The hooks on mounting, unmounting and querying filesystems.
///
/// Each has the framework's default behaviour; an `Err` becomes the hook's
/// negative errno.
pub(crate) trait MountHooks: SecurityModule {
    /// `sb_kern_mount`: may the current task make a new mount of `sb`?
    fn sb_kern_mount(_sb: &SuperBlock) -> Result {
        Ok(())
    }

    /// `sb_mount`: `mount()` at `path`: a remount of the filesystem there
    /// (`remount`), else something mounted on it (a new mount, a bind, a
    /// move, a propagation change).
    fn sb_mount(_path: &Path, _remount: bool) -> Result {
        Ok(())
    }

    /// `sb_umount`: may the current task unmount a mount of `sb`?
    fn sb_umount(_sb: &SuperBlock) -> Result {
        Ok(())
    }

    /// `sb_statfs`: may the current task read `sb`'s statistics?
    fn sb_statfs(_sb: &SuperBlock) -> Result {
        Ok(())
    }

    /// `move_mount`: may the current task attach a mount at `to`?
    fn move_mount(_to: &Path) -> Result {
        Ok(())
    }
}

/// A mounted filesystem (`struct super_block`).
///
/// # Invariants
///
/// The wrapped superblock is valid, with its root set up, for as long as
/// the reference lives.
#[repr(transparent)]
pub(crate) struct SuperBlock(Opaque<bindings::super_block>);

impl SuperBlock {
    /// # Safety
    ///
    /// `ptr` must point to a valid superblock alive for `'a`.
    pub(super) unsafe fn from_raw<'a>(ptr: *const bindings::super_block) -> &'a Self {
        // SAFETY: transparent wrapper; the caller guarantees validity.
        unsafe { &*ptr.cast() }
    }

    /// The name of the filesystem type (`tmpfs`, `proc` …).
    pub(crate) fn fs_type(&self) -> &CStr {
        // SAFETY: a superblock's type outlives it; type names are static
        // strings.
        unsafe { CStr::from_char_ptr((*(*self.0.get()).s_type).name) }
    }

    /// The root of the filesystem, once it has one.
    pub(crate) fn root(&self) -> Option<&Dentry> {
        // SAFETY: `s_root` is set before the superblock is mounted and
        // kept until it is shut down.
        let root = unsafe { (*self.0.get()).s_root };
        // SAFETY: see above.
        (!root.is_null()).then(|| unsafe { Dentry::from_raw(root) })
    }
}

/// The `extern "C"` functions the static calls of this family jump to.
pub(crate) mod trampolines {
    use kernel::{
        bindings,
        ffi::{c_char, c_int, c_ulong, c_void},
    };

    use super::{MountHooks, SuperBlock};
    use crate::framework::{to_c, Path};

    /// # Safety
    ///
    /// Called by `do_new_mount()` and `fsmount()` with the new mount's
    /// superblock, set up and referenced.
    pub(crate) unsafe extern "C" fn sb_kern_mount<M: MountHooks>(
        sb: *const bindings::super_block,
    ) -> c_int {
        // SAFETY: as documented above.
        to_c(M::sb_kern_mount(unsafe { SuperBlock::from_raw(sb) }))
    }

    /// # Safety
    ///
    /// Called by `path_mount()` with the mount point, referenced.
    pub(crate) unsafe extern "C" fn sb_mount<M: MountHooks>(
        _dev_name: *const c_char,
        path: *const bindings::path,
        _kind: *const c_char,
        flags: c_ulong,
        _data: *mut c_void,
    ) -> c_int {
        // `MS_REMOUNT` of include/uapi/linux/mount.h.
        const MS_REMOUNT: c_ulong = 32;
        let remount = flags & MS_REMOUNT != 0;
        // SAFETY: as documented above.
        to_c(M::sb_mount(unsafe { Path::from_raw(path) }, remount))
    }

    /// # Safety
    ///
    /// Called by `do_umount()` with a referenced mount.
    pub(crate) unsafe extern "C" fn sb_umount<M: MountHooks>(
        mnt: *mut bindings::vfsmount,
        _flags: c_int,
    ) -> c_int {
        // SAFETY: as documented above; a mount pins its superblock.
        to_c(M::sb_umount(unsafe { SuperBlock::from_raw((*mnt).mnt_sb) }))
    }

    /// # Safety
    ///
    /// Called by `statfs()` and friends with a referenced dentry.
    pub(crate) unsafe extern "C" fn sb_statfs<M: MountHooks>(
        dentry: *mut bindings::dentry,
    ) -> c_int {
        // SAFETY: as documented above; a dentry pins its superblock.
        to_c(M::sb_statfs(unsafe {
            SuperBlock::from_raw((*dentry).d_sb)
        }))
    }

    /// # Safety
    ///
    /// Called by `move_mount()` with both paths referenced.
    pub(crate) unsafe extern "C" fn move_mount<M: MountHooks>(
        _from: *const bindings::path,
        to: *const bindings::path,
    ) -> c_int {
        // SAFETY: as documented above.
        to_c(M::move_mount(unsafe { Path::from_raw(to) }))
    }
}
