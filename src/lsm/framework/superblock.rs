// SPDX-License-Identifier: GPL-2.0

//! Superblocks and mounts as the hooks see them, their security blobs,
//! the mount options of LSMs, and the hooks of the mount family
//! ([`MountHooks`]).
//!
//! # Mount options
//!
//! The kernel keeps one LSM option object per mount (`fc->security`, the
//! `mnt_opts` of the hooks), shared by every LSM: SELinux and Smack each
//! put their own structure there. So only one LSM can use it, and
//! carapace does only when neither of them is active
//! ([`mount_options_owned`]); otherwise its option hooks leave the object
//! alone and its options reach the filesystem, which refuses them. The
//! object is the module's [`MountHooks::MountOptions`] in a [`KBox`],
//! made by the first option the module takes and freed by
//! `sb_free_mnt_opts`.

use core::sync::atomic::{AtomicU8, Ordering};

use kernel::{
    bindings,
    ffi::{c_char, c_void},
    prelude::*,
    types::Opaque,
};

use super::{cred::blob, Dentry, Path, SecurityModule};
use crate::mount_options::take_options;
use crate::policy::fs_index::{FsKey, FS_KEY_LEN};

/// The hooks on mounting, unmounting and querying filesystems, and on the
/// LSM mount options.
///
/// Each has the framework's default behaviour; an `Err` becomes the hook's
/// negative errno.
pub(crate) trait MountHooks: SecurityModule {
    /// What the module keeps of a mount's options, from parsing them
    /// (`sb_eat_lsm_opts`, `fs_context_parse_param`) to applying them
    /// (`sb_set_mnt_opts`).
    type MountOptions: Clone + Send + Sync;

    /// The names of the module's mount options (without `=`, and holding
    /// no NUL): an option of a mount whose key is among them goes to
    /// [`Self::parse_mount_option`], any other to the filesystem.
    const MOUNT_OPTION_KEYS: &'static [&'static [u8]] = &[];

    /// `sb_eat_lsm_opts`, `fs_context_parse_param`: takes the mount option
    /// `key` (with `value`, `None` when it has none) into `options`
    /// (`None` until the module takes its first option). `Ok(false)`: not
    /// the module's option; the filesystem parses it.
    fn parse_mount_option(
        _options: &mut Option<KBox<Self::MountOptions>>,
        _key: &[u8],
        _value: Option<&[u8]>,
    ) -> Result<bool> {
        Ok(false)
    }

    /// `sb_set_mnt_opts`: `sb` is set up (or mounted again) with
    /// `options` (`None`: none of the module's).
    fn sb_set_mnt_opts(_sb: &SuperBlock, _options: Option<&Self::MountOptions>) -> Result {
        Ok(())
    }

    /// `sb_mnt_opts_compat`: may `sb` be shared by a mount with `options`?
    fn sb_mnt_opts_compat(_sb: &SuperBlock, _options: Option<&Self::MountOptions>) -> bool {
        true
    }

    /// `sb_remount`: may `sb` be remounted with `options`?
    fn sb_remount(_sb: &SuperBlock, _options: Option<&Self::MountOptions>) -> Result {
        Ok(())
    }

    /// `sb_clone_mnt_opts`: `new` is a submount of `old` (NFS) and takes
    /// its options.
    fn sb_clone_mnt_opts(_old: &SuperBlock, _new: &SuperBlock) -> Result {
        Ok(())
    }

    /// `fs_context_submount`: the options of an automounted submount of
    /// `reference` (`None`: none).
    fn fs_context_submount(_reference: &SuperBlock) -> Result<Option<KBox<Self::MountOptions>>> {
        Ok(None)
    }

    /// `sb_show_options`: appends the module's options of `sb` to its line
    /// of `/proc/mounts`.
    fn sb_show_options(_sb: &SuperBlock, _out: &mut SeqFile) -> Result {
        Ok(())
    }

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

/// Whether this module owns the LSM mount option objects, once looked:
/// 0 not looked yet, 1 owned, 2 another LSM's.
static OWNED: AtomicU8 = AtomicU8::new(0);

/// Whether this module owns the LSM mount option objects: no other active
/// LSM uses them (see the module documentation).
#[inline]
pub(crate) fn mount_options_owned() -> bool {
    match OWNED.load(Ordering::Relaxed) {
        1 => true,
        2 => false,
        _ => look_for_option_owners(),
    }
}

/// [`mount_options_owned`] the first time.
#[cold]
fn look_for_option_owners() -> bool {
    // SAFETY: the framework fills the list of active LSMs while the LSMs
    // initialise, before any filesystem is mounted, and never changes it
    // afterwards (`__ro_after_init`).
    let (count, list) = unsafe {
        (
            bindings::lsm_active_cnt as usize,
            core::ptr::addr_of!(bindings::lsm_idlist).cast::<*const bindings::lsm_id>(),
        )
    };
    let other = (0..count).any(|i| {
        // SAFETY: `i` is below the count of entries filled; each entry
        // points to an LSM's static identity.
        let id = unsafe { (**list.add(i)).id };
        id == u64::from(bindings::LSM_ID_SELINUX) || id == u64::from(bindings::LSM_ID_SMACK)
    });
    OWNED.store(if other { 2 } else { 1 }, Ordering::Relaxed);
    !other
}

/// The key among `keys` that the C string `key` is. Compared byte by byte
/// up to the first difference, without measuring `key` first: most keys
/// are the filesystem's, and differ from the module's at their first byte.
///
/// # Safety
///
/// `key` is a valid NUL-terminated string.
#[inline]
unsafe fn key_among(key: *const c_char, keys: &[&'static [u8]]) -> Option<&'static [u8]> {
    let key = key.cast::<u8>();
    // SAFETY: a NUL-terminated string has at least its NUL.
    let first = unsafe { key.read() };
    // A loop rather than `find()`, whose closure the compiler leaves out
    // of line: this runs for every option of every mount.
    let mut found = None;
    for &candidate in keys {
        // SAFETY: `key` is a NUL-terminated string.
        if candidate.first() == Some(&first) && unsafe { c_str_is(key, candidate) } {
            found = Some(candidate);
            break;
        }
    }
    found
}

/// Whether the C string `string` is `name`.
///
/// # Safety
///
/// `string` is a valid NUL-terminated string.
unsafe fn c_str_is(string: *const u8, name: &[u8]) -> bool {
    for (i, &want) in name.iter().enumerate() {
        // SAFETY: bytes `0..i` were not NUL (they equalled `name`'s, and
        // a NUL stops the comparison), so byte `i` is within the string,
        // at most its NUL.
        let c = unsafe { string.add(i).read() };
        if c != want || c == 0 {
            return false;
        }
    }
    // SAFETY: as above, with `i` = the length of `name`.
    unsafe { string.add(name.len()).read() == 0 }
}

/// A mount's LSM option object (`void **mnt_opts`), taken out of its slot
/// as the module's options for the time of a hook, and put back after.
struct OptionSlot<'a, T> {
    slot: &'a mut *mut c_void,
    options: Option<KBox<T>>,
}

impl<'a, T> OptionSlot<'a, T> {
    /// # Safety
    ///
    /// `slot` must be valid for the call, and hold null or an object made
    /// by [`OptionSlot::put_back`] of the same `T` (the module owns the
    /// option objects: [`mount_options_owned`]).
    unsafe fn take(slot: *mut *mut c_void) -> Self {
        // SAFETY: valid for the call, as the caller guarantees.
        let slot = unsafe { &mut *slot };
        let options = (!slot.is_null()).then(|| {
            // SAFETY: a `KBox<T>` turned into a raw pointer by `put_back`.
            unsafe { KBox::from_raw((*slot).cast::<T>()) }
        });
        *slot = core::ptr::null_mut();
        Self { slot, options }
    }

    /// Puts the options back into the slot.
    fn put_back(self) {
        *self.slot = self.options.map_or(core::ptr::null_mut(), |options| {
            KBox::into_raw(options).cast()
        });
    }
}

/// Borrows the module's options behind `options` (null: none).
///
/// # Safety
///
/// `options` must be null or an object of the module's made by
/// [`OptionSlot::put_back`], alive for `'a`, when the module owns the
/// option objects.
unsafe fn borrow_options<'a, T>(options: *mut c_void) -> Option<&'a T> {
    if options.is_null() || !mount_options_owned() {
        return None;
    }
    // SAFETY: as the caller guarantees.
    Some(unsafe { &*options.cast::<T>() })
}

/// The superblock a hook is given and the module's options of the mount
/// (see [`borrow_options`]).
///
/// # Safety
///
/// `sb` must be a valid superblock and `options` as [`borrow_options`]
/// requires, both alive for `'a`.
unsafe fn superblock_and_options<'a, T>(
    sb: *mut bindings::super_block,
    options: *mut c_void,
) -> (&'a SuperBlock, Option<&'a T>) {
    // SAFETY: as the caller guarantees.
    unsafe { (SuperBlock::from_raw(sb), borrow_options::<T>(options)) }
}

/// A `/proc/mounts` line being written (`struct seq_file`).
///
/// # Invariants
///
/// The wrapped file is valid, and written only by the current task, for
/// as long as the reference lives.
#[repr(transparent)]
pub(crate) struct SeqFile(Opaque<bindings::seq_file>);

extern "C" {
    // framework/kernel_objects.c
    fn carapace_fs_context_security(fc: *mut bindings::fs_context) -> *mut *mut c_void;
    fn carapace_fs_param_key(param: *const bindings::fs_parameter) -> *const c_char;
    fn carapace_fs_param_string(
        param: *const bindings::fs_parameter,
        len: *mut usize,
    ) -> *const c_char;
    fn carapace_seq_show_mount_label(
        m: *mut c_void,
        name: *const c_char,
        label: *const c_char,
        len: usize,
    );
}

impl SeqFile {
    /// Appends the option `,name=label`, escaping what would end the
    /// option or the line.
    pub(crate) fn mount_option(&mut self, name: &CStr, label: &[u8]) {
        // SAFETY: the file is valid (type invariant); `name` is
        // NUL-terminated and `label` readable for its length.
        unsafe {
            carapace_seq_show_mount_label(
                self.0.get().cast(),
                name.as_char_ptr(),
                label.as_ptr().cast(),
                label.len(),
            )
        };
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

    /// The module's part of the superblock's security blob.
    #[inline]
    pub(crate) fn security<M: SecurityModule>(&self) -> &M::SuperBlockSecurity {
        // SAFETY: every superblock gets a zeroed blob of the declared size
        // when it is allocated, freed with it; `SuperBlockSecurity` is
        // `Zeroable` and `Sync` (shared objects are updated through
        // atomics).
        unsafe {
            &*blob::<M::SuperBlockSecurity>(
                (*self.0.get()).s_security,
                M::blob_offsets().lbs_superblock,
            )
        }
    }

    /// Whether the superblock belongs to the initial user namespace (not
    /// to a namespace's own mount).
    pub(crate) fn in_init_user_ns(&self) -> bool {
        // SAFETY: `s_user_ns` is set when the superblock is allocated and
        // never changes; only its address is compared.
        unsafe {
            core::ptr::eq(
                (*self.0.get()).s_user_ns,
                core::ptr::addr_of_mut!(bindings::init_user_ns),
            )
        }
    }

    /// The filesystem's identifier (`s_id`: a device name, `tmpfs` …).
    pub(crate) fn id(&self) -> &[u8] {
        // SAFETY: `s_id` is a NUL-terminated array set at mount time.
        let id: &[c_char; 32] = unsafe { &(*self.0.get()).s_id };
        // SAFETY: `c_char` is `u8` in the kernel.
        let id: &[u8; 32] = unsafe { &*core::ptr::from_ref(id).cast() };
        let len = id.iter().position(|&c| c == 0).unwrap_or(id.len());
        id.get(..len).unwrap_or(&[])
    }

    /// The name of the filesystem type (`tmpfs`, `proc` …).
    pub(crate) fn fs_type(&self) -> &CStr {
        // SAFETY: a superblock's type outlives it; type names are static
        // strings.
        unsafe { CStr::from_char_ptr((*(*self.0.get()).s_type).name) }
    }

    /// The key of the filesystem type's name, read up to its NUL without
    /// measuring it first; `None` when the name is longer than a key
    /// holds.
    #[inline]
    pub(crate) fn fs_type_key(&self) -> Option<FsKey> {
        // SAFETY: a superblock's type outlives it; its name is a static
        // NUL-terminated string.
        let name = unsafe { (*(*self.0.get()).s_type).name }.cast::<u8>();
        let mut padded = [0u8; FS_KEY_LEN];
        for (i, byte) in padded.iter_mut().enumerate() {
            // SAFETY: bytes `0..i` were not NUL, so byte `i` is within the
            // string (at most its NUL).
            let c = unsafe { name.add(i).read() };
            if c == 0 {
                return Some(FsKey::from_padded(padded));
            }
            *byte = c;
        }
        // SAFETY: as above, with `i` = `FS_KEY_LEN`.
        (unsafe { name.add(FS_KEY_LEN).read() } == 0).then(|| FsKey::from_padded(padded))
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
        prelude::*,
    };

    use super::{
        borrow_options, carapace_fs_context_security, carapace_fs_param_key,
        carapace_fs_param_string, key_among, mount_options_owned, superblock_and_options,
        take_options, MountHooks, OptionSlot, SeqFile, SuperBlock,
    };
    use crate::framework::{to_c, Path};

    /// `ENOPARAM` of include/linux/errno.h: not the LSM's parameter.
    const ENOPARAM: c_int = 519;

    /// # Safety
    ///
    /// Called by the legacy `mount(2)` option parsers with the option
    /// string (NUL-terminated, writable, or null) and the mount's option
    /// object slot.
    pub(crate) unsafe extern "C" fn sb_eat_lsm_opts<M: MountHooks>(
        options: *mut c_char,
        mnt_opts: *mut *mut c_void,
    ) -> c_int {
        if options.is_null() || !mount_options_owned() {
            return 0;
        }
        // SAFETY: a NUL-terminated string, as documented above.
        let len = unsafe { bindings::strlen(options) };
        // SAFETY: writable for `len` bytes and its NUL, as documented
        // above; nothing else uses it during the call.
        let data =
            unsafe { core::slice::from_raw_parts_mut(options.cast::<u8>(), len.saturating_add(1)) };
        let (text, _nul) = data.split_at_mut(len);
        // SAFETY: the slot is valid and, since the module owns the
        // option objects, holds null or the module's.
        let mut slot = unsafe { OptionSlot::<M::MountOptions>::take(mnt_opts) };
        let result = take_options(text, |option| {
            let (key, value) = match option.iter().position(|&b| b == b'=') {
                Some(eq) => (
                    option.get(..eq).unwrap_or(&[]),
                    option.get(eq.saturating_add(1)..),
                ),
                None => (option, None),
            };
            if !M::MOUNT_OPTION_KEYS.contains(&key) {
                return Ok(false);
            }
            M::parse_mount_option(&mut slot.options, key, value)
        });
        match result {
            Ok(left) => {
                if let Some(end) = data.get_mut(left) {
                    *end = 0;
                }
                slot.put_back();
                0
            }
            Err(e) => {
                // As SELinux: on error the options taken so far go too.
                slot.options = None;
                slot.put_back();
                e.to_errno()
            }
        }
    }

    /// # Safety
    ///
    /// Called by `vfs_parse_fs_param()` with a valid context and
    /// parameter.
    pub(crate) unsafe extern "C" fn fs_context_parse_param<M: MountHooks>(
        fc: *mut bindings::fs_context,
        param: *mut bindings::fs_parameter,
    ) -> c_int {
        if !mount_options_owned() {
            return -ENOPARAM;
        }
        // SAFETY: a parameter's key is a NUL-terminated string.
        let Some(key) = (unsafe { key_among(carapace_fs_param_key(param), M::MOUNT_OPTION_KEYS) })
        else {
            return -ENOPARAM;
        };
        let mut len = 0usize;
        // SAFETY: the parameter is valid; its string value, when it has
        // one, is `len` bytes long.
        let value = unsafe {
            let string = carapace_fs_param_string(param, &mut len);
            (!string.is_null()).then(|| core::slice::from_raw_parts(string.cast::<u8>(), len))
        };
        // SAFETY: the context's option slot, which holds null or the
        // module's object since the module owns them.
        let mut slot =
            unsafe { OptionSlot::<M::MountOptions>::take(carapace_fs_context_security(fc)) };
        let result = M::parse_mount_option(&mut slot.options, key, value);
        slot.put_back();
        match result {
            Ok(true) => 0,
            Ok(false) => -ENOPARAM,
            Err(e) => e.to_errno(),
        }
    }

    /// # Safety
    ///
    /// Called by `security_free_mnt_opts()` with a non-null option object,
    /// which is not used afterwards.
    pub(crate) unsafe extern "C" fn sb_free_mnt_opts<M: MountHooks>(mnt_opts: *mut c_void) {
        if !mount_options_owned() {
            return;
        }
        let mut slot = mnt_opts;
        // SAFETY: the module's object (it owns them), given up by the
        // caller; dropped here.
        drop(unsafe { OptionSlot::<M::MountOptions>::take(&mut slot) });
    }

    /// # Safety
    ///
    /// Called by `vfs_dup_fs_context()` with the new context (its option
    /// slot cleared) and the one it copies.
    pub(crate) unsafe extern "C" fn fs_context_dup<M: MountHooks>(
        fc: *mut bindings::fs_context,
        src_fc: *mut bindings::fs_context,
    ) -> c_int {
        // SAFETY: the source's option slot, valid for the call.
        let src = unsafe { *carapace_fs_context_security(src_fc) };
        // SAFETY: the module's object or null.
        let Some(options) = (unsafe { borrow_options::<M::MountOptions>(src) }) else {
            return 0;
        };
        match KBox::new(options.clone(), GFP_KERNEL) {
            Ok(copy) => {
                // SAFETY: the new context's slot, empty.
                unsafe { *carapace_fs_context_security(fc) = KBox::into_raw(copy).cast() };
                0
            }
            Err(_) => ENOMEM.to_errno(),
        }
    }

    /// # Safety
    ///
    /// Called by `fs_context_for_submount()` with the new context (its
    /// option slot empty) and the superblock of the mount it is under.
    pub(crate) unsafe extern "C" fn fs_context_submount<M: MountHooks>(
        fc: *mut bindings::fs_context,
        reference: *mut bindings::super_block,
    ) -> c_int {
        if !mount_options_owned() {
            return 0;
        }
        // SAFETY: a referenced, set up superblock.
        match M::fs_context_submount(unsafe { SuperBlock::from_raw(reference) }) {
            Ok(Some(options)) => {
                // SAFETY: the new context's slot, empty.
                unsafe { *carapace_fs_context_security(fc) = KBox::into_raw(options).cast() };
                0
            }
            Ok(None) => 0,
            Err(e) => e.to_errno(),
        }
    }

    /// # Safety
    ///
    /// Called by `vfs_get_tree()` (and NFS) with the superblock of a new
    /// mount, set up and locked (`s_umount`), and the mount's option
    /// object.
    pub(crate) unsafe extern "C" fn sb_set_mnt_opts<M: MountHooks>(
        sb: *mut bindings::super_block,
        mnt_opts: *mut c_void,
        kern_flags: c_ulong,
        set_kern_flags: *mut c_ulong,
    ) -> c_int {
        // Flags given with nowhere to put the answer (as SELinux).
        if kern_flags != 0 && set_kern_flags.is_null() {
            return EINVAL.to_errno();
        }
        // SAFETY: as documented above; the object is the module's or
        // null when it owns them.
        let (sb, options) = unsafe { superblock_and_options::<M::MountOptions>(sb, mnt_opts) };
        to_c(M::sb_set_mnt_opts(sb, options))
    }

    /// # Safety
    ///
    /// Called by NFS with a superblock it may share and the new mount's
    /// option object.
    pub(crate) unsafe extern "C" fn sb_mnt_opts_compat<M: MountHooks>(
        sb: *mut bindings::super_block,
        mnt_opts: *mut c_void,
    ) -> c_int {
        // SAFETY: as documented above.
        let (sb, options) = unsafe { superblock_and_options::<M::MountOptions>(sb, mnt_opts) };
        c_int::from(!M::sb_mnt_opts_compat(sb, options))
    }

    /// # Safety
    ///
    /// Called by `reconfigure_super()` with the superblock, locked, and
    /// the remount's option object.
    pub(crate) unsafe extern "C" fn sb_remount<M: MountHooks>(
        sb: *mut bindings::super_block,
        mnt_opts: *mut c_void,
    ) -> c_int {
        // SAFETY: as documented above.
        let (sb, options) = unsafe { superblock_and_options::<M::MountOptions>(sb, mnt_opts) };
        to_c(M::sb_remount(sb, options))
    }

    /// # Safety
    ///
    /// Called by NFS with the parent's superblock and a new one (locked)
    /// for a submount.
    pub(crate) unsafe extern "C" fn sb_clone_mnt_opts<M: MountHooks>(
        oldsb: *const bindings::super_block,
        newsb: *mut bindings::super_block,
        kern_flags: c_ulong,
        set_kern_flags: *mut c_ulong,
    ) -> c_int {
        if kern_flags != 0 && set_kern_flags.is_null() {
            return EINVAL.to_errno();
        }
        // SAFETY: as documented above.
        let (old, new) = unsafe { (SuperBlock::from_raw(oldsb), SuperBlock::from_raw(newsb)) };
        to_c(M::sb_clone_mnt_opts(old, new))
    }

    /// # Safety
    ///
    /// Called by `show_vfsmnt()` and `show_mountinfo()` with the line
    /// being written and a mounted superblock.
    pub(crate) unsafe extern "C" fn sb_show_options<M: MountHooks>(
        m: *mut bindings::seq_file,
        sb: *mut bindings::super_block,
    ) -> c_int {
        // SAFETY: as documented above; the file is written by this task
        // only during the call.
        let (out, sb) = unsafe { (&mut *m.cast::<SeqFile>(), SuperBlock::from_raw(sb)) };
        to_c(M::sb_show_options(sb, out))
    }

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
