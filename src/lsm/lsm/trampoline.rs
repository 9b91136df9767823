// SPDX-License-Identifier: GPL-2.0

//! The `extern "C"` functions the LSM static calls jump to: one per hook,
//! named like it and generic over the module. Each turns the C arguments
//! into the safe wrappers of this layer and the result into an errno.

use kernel::{
    bindings,
    ffi::{c_char, c_int, c_uint, c_ulong, c_void},
    prelude::*,
};

use super::{
    AccessMask, AttrChange, BinaryLoad, CapOpts, Capability, Credentials, Dentry, Inode, InodeKind,
    IoctlCmd, MapProt, NewCredentials, NewXattrs, OpenFile, Path, ProcAttr, PtraceMode,
    SecurityModule, Signal, Task, UserNamespace,
};

/// Converts a hook's result to the C convention.
fn to_c(result: Result) -> c_int {
    match result {
        Ok(()) => 0,
        Err(e) => e.to_errno(),
    }
}

/// An attribute value without the newline or NUL that ends it.
fn trim_attr(value: &[u8]) -> &[u8] {
    let value = value.strip_suffix(b"\0").unwrap_or(value);
    value.strip_suffix(b"\n").unwrap_or(value)
}

/// Borrows a NUL-terminated name the framework passes.
///
/// # Safety
///
/// `name` must be a valid NUL-terminated string that outlives `'a`.
unsafe fn name<'a>(name: *const c_char) -> &'a CStr {
    // SAFETY: guaranteed by the caller.
    unsafe { CStr::from_char_ptr(name) }
}

/// Borrows `size` bytes at `value` (none when `size` is 0).
///
/// # Safety
///
/// `value` must be readable for `size` bytes during `'a` when `size` > 0.
unsafe fn bytes<'a>(value: *const c_void, size: usize) -> &'a [u8] {
    if size == 0 || value.is_null() {
        return &[];
    }
    // SAFETY: guaranteed by the caller.
    unsafe { core::slice::from_raw_parts(value.cast::<u8>(), size) }
}

/// # Safety
///
/// Called by the LSM framework with a valid `cred` and `ns`.
pub(crate) unsafe extern "C" fn capable<M: SecurityModule>(
    cred: *const bindings::cred,
    ns: *mut bindings::user_namespace,
    cap: c_int,
    opts: c_uint,
) -> c_int {
    // SAFETY: the framework passes valid pointers that outlive the call.
    let (cred, ns) = unsafe { (Credentials::from_raw(cred), UserNamespace::from_raw(ns)) };
    let Ok(cap) = u32::try_from(cap) else {
        return EINVAL.to_errno();
    };
    to_c(M::capable(cred, ns, Capability(cap), CapOpts(opts)))
}

/// # Safety
///
/// Called by the LSM framework with `new` freshly allocated (blob
/// zeroed, not shared) and `old` valid.
pub(crate) unsafe extern "C" fn cred_prepare<M: SecurityModule>(
    new: *mut bindings::cred,
    old: *const bindings::cred,
    _gfp: bindings::gfp_t,
) -> c_int {
    // SAFETY: as documented above.
    let (new, old) = unsafe { (NewCredentials::from_raw(new), Credentials::from_raw(old)) };
    to_c(M::cred_prepare(new, old))
}

/// # Safety
///
/// Called by the LSM framework as for `cred_prepare`.
pub(crate) unsafe extern "C" fn cred_transfer<M: SecurityModule>(
    new: *mut bindings::cred,
    old: *const bindings::cred,
) {
    // SAFETY: as for `cred_prepare`. The hook cannot fail: the framework
    // ignores errors here, and copying a blob does not fail.
    let _ = unsafe { cred_prepare::<M>(new, old, 0) };
}

/// # Safety
///
/// Called by the framework during execve with a valid `bprm` whose
/// `cred` is the new, uncommitted credentials.
pub(crate) unsafe extern "C" fn bprm_creds_for_exec<M: SecurityModule>(
    bprm: *mut bindings::linux_binprm,
) -> c_int {
    // SAFETY: as documented above.
    let bprm = unsafe { BinaryLoad::from_raw(bprm) };
    to_c(M::bprm_creds_for_exec(bprm))
}

/// # Safety
///
/// Called by the framework with a valid task, a NUL-terminated name and
/// a place for a `kmalloc`ed value the caller frees.
pub(crate) unsafe extern "C" fn getprocattr<M: SecurityModule>(
    p: *mut bindings::task_struct,
    name: *const c_char,
    value: *mut *mut c_char,
) -> c_int {
    let Some(attr) = ProcAttr::from_name(name) else {
        return EINVAL.to_errno();
    };
    // SAFETY: the framework holds a reference to `p` during the call.
    let task = unsafe { Task::from_raw(p) };
    let mut text = match M::getprocattr(task, attr) {
        Ok(text) => text,
        Err(e) => return e.to_errno(),
    };
    if !text.is_empty() && text.push(b'\n', GFP_KERNEL).is_err() {
        return ENOMEM.to_errno();
    }
    let Ok(len) = c_int::try_from(text.len()) else {
        return EINVAL.to_errno();
    };
    if len == 0 {
        // An empty vector owns no allocation: hand back no buffer.
        // SAFETY: `value` is valid for writes (see above).
        unsafe { *value = core::ptr::null_mut() };
        return 0;
    }
    // The caller frees the value with kfree(): hand over the buffer.
    let (ptr, _, _) = text.into_raw_parts();
    // SAFETY: `value` is valid for writes (see above).
    unsafe { *value = ptr.cast() };
    len
}

/// # Safety
///
/// Called by the framework with a NUL-terminated name and `size` bytes
/// at `value`, in the context of the task writing its own attribute.
pub(crate) unsafe extern "C" fn setprocattr<M: SecurityModule>(
    name: *const c_char,
    value: *mut c_void,
    size: usize,
) -> c_int {
    let Some(attr) = ProcAttr::from_name(name) else {
        return EINVAL.to_errno();
    };
    let value = if size == 0 {
        &[][..]
    } else {
        // SAFETY: the framework passes `size` readable bytes.
        unsafe { core::slice::from_raw_parts(value.cast::<u8>(), size) }
    };
    match M::setprocattr(attr, trim_attr(value)) {
        Ok(()) => c_int::try_from(size).unwrap_or(c_int::MAX),
        Err(e) => e.to_errno(),
    }
}

/// # Safety
///
/// Called by the framework for the current task's new `task`.
pub(crate) unsafe extern "C" fn task_alloc<M: SecurityModule>(
    task: *mut bindings::task_struct,
    _clone_flags: c_ulong,
) -> c_int {
    // SAFETY: the new task is valid during the call.
    to_c(M::task_alloc(unsafe { Task::from_raw(task) }))
}

/// # Safety
///
/// Called by the framework with a task it holds a reference to.
pub(crate) unsafe extern "C" fn ptrace_access_check<M: SecurityModule>(
    child: *mut bindings::task_struct,
    mode: c_uint,
) -> c_int {
    // SAFETY: as documented above.
    let child = unsafe { Task::from_raw(child) };
    to_c(M::ptrace_access_check(child, PtraceMode(mode)))
}

/// # Safety
///
/// Called by the framework with the current task's parent, referenced.
pub(crate) unsafe extern "C" fn ptrace_traceme<M: SecurityModule>(
    parent: *mut bindings::task_struct,
) -> c_int {
    // SAFETY: as documented above.
    to_c(M::ptrace_traceme(unsafe { Task::from_raw(parent) }))
}

/// # Safety
///
/// Called by the framework with a valid target task and, if not null, the
/// sender's credentials.
pub(crate) unsafe extern "C" fn task_kill<M: SecurityModule>(
    p: *mut bindings::task_struct,
    _info: *mut bindings::kernel_siginfo,
    sig: c_int,
    cred: *const bindings::cred,
) -> c_int {
    // SAFETY: as documented above.
    let sender = (!cred.is_null()).then(|| unsafe { Credentials::from_raw(cred) });
    // SAFETY: as documented above.
    let target = unsafe { Task::from_raw(p) };
    to_c(M::task_kill(target, Signal(sig), sender))
}

/// # Safety
///
/// Called by procfs with a valid task and its new or revalidated inode.
pub(crate) unsafe extern "C" fn task_to_inode<M: SecurityModule>(
    p: *mut bindings::task_struct,
    inode: *mut bindings::inode,
) {
    // SAFETY: as documented above.
    let (task, inode) = unsafe { (Task::from_raw(p), Inode::from_raw(inode)) };
    M::task_to_inode(task, inode);
}

/// # Safety
///
/// Called by the VFS with a valid dentry and a valid or null inode.
pub(crate) unsafe extern "C" fn d_instantiate<M: SecurityModule>(
    dentry: *mut bindings::dentry,
    inode: *mut bindings::inode,
) {
    if inode.is_null() {
        return;
    }
    // SAFETY: as documented above.
    let (dentry, inode) = unsafe { (Dentry::from_raw(dentry), Inode::from_raw(inode)) };
    M::d_instantiate(dentry, inode);
}

/// # Safety
///
/// Called by a filesystem creating `inode` in `dir`, with the framework's
/// attribute array (or null) and its counter.
pub(crate) unsafe extern "C" fn inode_init_security<M: SecurityModule>(
    inode: *mut bindings::inode,
    dir: *mut bindings::inode,
    _qstr: *const bindings::qstr,
    xattrs: *mut bindings::xattr,
    xattr_count: *mut c_int,
) -> c_int {
    // SAFETY: as documented above; the framework sized the array for the
    // attribute count every module declared.
    let (inode, dir, xattrs) = unsafe {
        (
            Inode::from_raw(inode),
            Inode::from_raw(dir),
            NewXattrs::from_raw(xattrs, xattr_count),
        )
    };
    to_c(M::inode_init_security(inode, dir, xattrs))
}

/// # Safety
///
/// Called by the VFS with a locked directory and a negative dentry in it.
pub(crate) unsafe extern "C" fn inode_create<M: SecurityModule>(
    dir: *mut bindings::inode,
    dentry: *mut bindings::dentry,
    mode: bindings::umode_t,
) -> c_int {
    // SAFETY: as documented above.
    unsafe {
        create::<M>(
            dir,
            dentry,
            InodeKind::from_mode(u32::from(mode) | bindings::S_IFREG),
        )
    }
}

/// # Safety
///
/// As for `inode_create`.
pub(crate) unsafe extern "C" fn inode_mkdir<M: SecurityModule>(
    dir: *mut bindings::inode,
    dentry: *mut bindings::dentry,
    _mode: bindings::umode_t,
) -> c_int {
    // SAFETY: as documented above.
    unsafe { create::<M>(dir, dentry, InodeKind::Dir) }
}

/// # Safety
///
/// As for `inode_create`.
pub(crate) unsafe extern "C" fn inode_mknod<M: SecurityModule>(
    dir: *mut bindings::inode,
    dentry: *mut bindings::dentry,
    mode: bindings::umode_t,
    _dev: bindings::dev_t,
) -> c_int {
    // SAFETY: as documented above.
    unsafe { create::<M>(dir, dentry, InodeKind::from_mode(u32::from(mode))) }
}

/// # Safety
///
/// As for `inode_create`.
pub(crate) unsafe extern "C" fn inode_symlink<M: SecurityModule>(
    dir: *mut bindings::inode,
    dentry: *mut bindings::dentry,
    _old_name: *const c_char,
) -> c_int {
    // SAFETY: as documented above.
    unsafe { create::<M>(dir, dentry, InodeKind::Symlink) }
}

/// # Safety
///
/// As for `inode_create`.
unsafe fn create<M: SecurityModule>(
    dir: *mut bindings::inode,
    dentry: *mut bindings::dentry,
    kind: InodeKind,
) -> c_int {
    // SAFETY: guaranteed by the caller.
    let (dir, dentry) = unsafe { (Inode::from_raw(dir), Dentry::from_raw(dentry)) };
    to_c(M::inode_create(dir, dentry, kind))
}

/// # Safety
///
/// Called by the VFS with valid dentries and a locked directory.
pub(crate) unsafe extern "C" fn inode_link<M: SecurityModule>(
    old_dentry: *mut bindings::dentry,
    dir: *mut bindings::inode,
    new_dentry: *mut bindings::dentry,
) -> c_int {
    // SAFETY: as documented above.
    let (old, dir, new) = unsafe {
        (
            Dentry::from_raw(old_dentry),
            Inode::from_raw(dir),
            Dentry::from_raw(new_dentry),
        )
    };
    to_c(M::inode_link(old, dir, new))
}

/// # Safety
///
/// Called by the VFS with a locked directory and a positive dentry in it.
pub(crate) unsafe extern "C" fn inode_unlink<M: SecurityModule>(
    dir: *mut bindings::inode,
    dentry: *mut bindings::dentry,
) -> c_int {
    // SAFETY: as documented above.
    let (dir, dentry) = unsafe { (Inode::from_raw(dir), Dentry::from_raw(dentry)) };
    to_c(M::inode_unlink(dir, dentry))
}

/// # Safety
///
/// As for `inode_unlink`.
pub(crate) unsafe extern "C" fn inode_rmdir<M: SecurityModule>(
    dir: *mut bindings::inode,
    dentry: *mut bindings::dentry,
) -> c_int {
    // SAFETY: as documented above.
    unsafe { inode_unlink::<M>(dir, dentry) }
}

/// # Safety
///
/// Called by the VFS with both directories locked and valid dentries.
pub(crate) unsafe extern "C" fn inode_rename<M: SecurityModule>(
    old_dir: *mut bindings::inode,
    old_dentry: *mut bindings::dentry,
    new_dir: *mut bindings::inode,
    new_dentry: *mut bindings::dentry,
) -> c_int {
    // SAFETY: as documented above.
    let (old_dir, old, new_dir, new) = unsafe {
        (
            Inode::from_raw(old_dir),
            Dentry::from_raw(old_dentry),
            Inode::from_raw(new_dir),
            Dentry::from_raw(new_dentry),
        )
    };
    to_c(M::inode_rename(old_dir, old, new_dir, new))
}

/// # Safety
///
/// Called by the VFS with a positive dentry of a symbolic link.
pub(crate) unsafe extern "C" fn inode_readlink<M: SecurityModule>(
    dentry: *mut bindings::dentry,
) -> c_int {
    // SAFETY: as documented above.
    let dentry = unsafe { Dentry::from_raw(dentry) };
    match dentry.inode() {
        Some(inode) => to_c(M::inode_follow_link(dentry, inode, true)),
        None => 0,
    }
}

/// # Safety
///
/// Called by path walk with a valid dentry and inode; in RCU walk when
/// `rcu` is true.
pub(crate) unsafe extern "C" fn inode_follow_link<M: SecurityModule>(
    dentry: *mut bindings::dentry,
    inode: *mut bindings::inode,
    rcu: bool,
) -> c_int {
    // SAFETY: as documented above.
    let (dentry, inode) = unsafe { (Dentry::from_raw(dentry), Inode::from_raw(inode)) };
    to_c(M::inode_follow_link(dentry, inode, !rcu))
}

/// # Safety
///
/// Called by the VFS with a valid inode (RCU-protected in RCU walk).
pub(crate) unsafe extern "C" fn inode_permission<M: SecurityModule>(
    inode: *mut bindings::inode,
    mask: c_int,
) -> c_int {
    // SAFETY: as documented above.
    let inode = unsafe { Inode::from_raw(inode) };
    to_c(M::inode_permission(inode, AccessMask(mask as u32)))
}

/// # Safety
///
/// Called by the VFS with a valid dentry and attribute change.
pub(crate) unsafe extern "C" fn inode_setattr<M: SecurityModule>(
    _idmap: *mut bindings::mnt_idmap,
    dentry: *mut bindings::dentry,
    attr: *mut bindings::iattr,
) -> c_int {
    // SAFETY: as documented above.
    let (dentry, valid) = unsafe { (Dentry::from_raw(dentry), (*attr).ia_valid) };
    to_c(M::inode_setattr(dentry, AttrChange(valid)))
}

/// # Safety
///
/// Called by the VFS with a valid path.
pub(crate) unsafe extern "C" fn inode_getattr<M: SecurityModule>(
    path: *const bindings::path,
) -> c_int {
    // SAFETY: as documented above.
    to_c(M::inode_getattr(unsafe { Path::from_raw(path) }))
}

/// # Safety
///
/// Called by the framework with a NUL-terminated attribute name.
pub(crate) unsafe extern "C" fn inode_xattr_skipcap<M: SecurityModule>(
    name: *const c_char,
) -> c_int {
    // SAFETY: as documented above.
    c_int::from(M::inode_xattr_skipcap(unsafe { self::name(name) }))
}

/// # Safety
///
/// Called by the VFS with a valid dentry, a NUL-terminated name and `size`
/// readable bytes at `value`.
pub(crate) unsafe extern "C" fn inode_setxattr<M: SecurityModule>(
    _idmap: *mut bindings::mnt_idmap,
    dentry: *mut bindings::dentry,
    name: *const c_char,
    value: *const c_void,
    size: usize,
    _flags: c_int,
) -> c_int {
    // SAFETY: as documented above.
    let (dentry, name, value) = unsafe {
        (
            Dentry::from_raw(dentry),
            self::name(name),
            bytes(value, size),
        )
    };
    to_c(M::inode_setxattr(dentry, name, value))
}

/// # Safety
///
/// As for `inode_setxattr`, after the attribute was set.
pub(crate) unsafe extern "C" fn inode_post_setxattr<M: SecurityModule>(
    dentry: *mut bindings::dentry,
    name: *const c_char,
    value: *const c_void,
    size: usize,
    _flags: c_int,
) {
    // SAFETY: as documented above.
    let (dentry, name, value) = unsafe {
        (
            Dentry::from_raw(dentry),
            self::name(name),
            bytes(value, size),
        )
    };
    M::inode_post_setxattr(dentry, name, value);
}

/// # Safety
///
/// Called by the VFS with a valid dentry and a NUL-terminated name.
pub(crate) unsafe extern "C" fn inode_removexattr<M: SecurityModule>(
    _idmap: *mut bindings::mnt_idmap,
    dentry: *mut bindings::dentry,
    name: *const c_char,
) -> c_int {
    // SAFETY: as documented above.
    let (dentry, name) = unsafe { (Dentry::from_raw(dentry), self::name(name)) };
    to_c(M::inode_removexattr(dentry, name))
}

/// # Safety
///
/// Called by the VFS with a valid inode, the attribute name after
/// `security.`, and a place for a `kmalloc`ed value the caller frees.
pub(crate) unsafe extern "C" fn inode_getsecurity<M: SecurityModule>(
    _idmap: *mut bindings::mnt_idmap,
    inode: *mut bindings::inode,
    name: *const c_char,
    buffer: *mut *mut c_void,
    alloc: bool,
) -> c_int {
    // SAFETY: as documented above.
    let (inode, name) = unsafe { (Inode::from_raw(inode), self::name(name)) };
    let value = match M::inode_getsecurity(inode, name) {
        Ok(value) => value,
        Err(e) => return e.to_errno(),
    };
    let Ok(len) = c_int::try_from(value.len()) else {
        return ERANGE.to_errno();
    };
    if alloc && !value.is_empty() {
        let (ptr, _, _) = value.into_raw_parts();
        // SAFETY: `buffer` is writable; the caller frees it with kfree().
        unsafe { *buffer = ptr.cast() };
    }
    len
}

/// # Safety
///
/// Called by the VFS with `buffer_size` writable bytes at `buffer` (or a
/// null buffer to ask for the size).
pub(crate) unsafe extern "C" fn inode_listsecurity<M: SecurityModule>(
    _inode: *mut bindings::inode,
    buffer: *mut c_char,
    buffer_size: usize,
) -> c_int {
    let names = M::XATTR_NAMES;
    if !buffer.is_null() && names.len() <= buffer_size {
        // SAFETY: `buffer` has room for `names` (checked above).
        unsafe { core::ptr::copy_nonoverlapping(names.as_ptr(), buffer.cast(), names.len()) };
    }
    c_int::try_from(names.len()).unwrap_or(0)
}

/// # Safety
///
/// Called by the VFS for a new file, its blob zeroed.
pub(crate) unsafe extern "C" fn file_alloc_security<M: SecurityModule>(
    file: *mut bindings::file,
) -> c_int {
    // SAFETY: as documented above.
    to_c(M::file_alloc_security(unsafe { OpenFile::from_raw(file) }))
}

/// # Safety
///
/// Called by the VFS with an open file.
pub(crate) unsafe extern "C" fn file_permission<M: SecurityModule>(
    file: *mut bindings::file,
    mask: c_int,
) -> c_int {
    // SAFETY: as documented above.
    let file = unsafe { OpenFile::from_raw(file) };
    to_c(M::file_permission(file, AccessMask(mask as u32)))
}

/// # Safety
///
/// Called by the VFS with a file being opened.
pub(crate) unsafe extern "C" fn file_open<M: SecurityModule>(file: *mut bindings::file) -> c_int {
    // SAFETY: as documented above.
    to_c(M::file_open(unsafe { OpenFile::from_raw(file) }))
}

/// # Safety
///
/// Called by mmap and mprotect paths with an open file or null.
pub(crate) unsafe extern "C" fn mmap_file<M: SecurityModule>(
    file: *mut bindings::file,
    _reqprot: c_ulong,
    prot: c_ulong,
    flags: c_ulong,
) -> c_int {
    // SAFETY: as documented above.
    let file = (!file.is_null()).then(|| unsafe { OpenFile::from_raw(file) });
    to_c(M::mmap_file(file, MapProt { prot, flags }))
}

/// # Safety
///
/// Called by ioctl with an open file.
pub(crate) unsafe extern "C" fn file_ioctl<M: SecurityModule>(
    file: *mut bindings::file,
    cmd: c_uint,
    _arg: c_ulong,
) -> c_int {
    // SAFETY: as documented above.
    let file = unsafe { OpenFile::from_raw(file) };
    to_c(M::file_ioctl(file, IoctlCmd(cmd)))
}

/// # Safety
///
/// As for `file_ioctl` (a 32-bit task's ioctl; the commands that differ
/// in layout are mediated like their native forms).
pub(crate) unsafe extern "C" fn file_ioctl_compat<M: SecurityModule>(
    file: *mut bindings::file,
    cmd: c_uint,
    arg: c_ulong,
) -> c_int {
    // SAFETY: as documented above.
    unsafe { file_ioctl::<M>(file, cmd, arg) }
}

/// # Safety
///
/// Called by mprotect with a valid mapping of the current task, its
/// `mmap_lock` held.
pub(crate) unsafe extern "C" fn file_mprotect<M: SecurityModule>(
    vma: *mut bindings::vm_area_struct,
    _reqprot: c_ulong,
    prot: c_ulong,
) -> c_int {
    // SAFETY: as documented above: `vm_file` (null or pinned by the
    // mapping) and `vm_flags` are stable while the lock is held.
    let (file, vm_flags) = unsafe { ((*vma).vm_file, (*vma).__bindgen_anon_2.vm_flags) };
    // SAFETY: see above.
    let file = (!file.is_null()).then(|| unsafe { OpenFile::from_raw(file) });
    to_c(M::file_mprotect(file, MapProt::of_mapping(prot, vm_flags)))
}

/// # Safety
///
/// Called by `lsm_get_self_attr()` with a user buffer of `*size` bytes (or
/// null) for this module's entry.
pub(crate) unsafe extern "C" fn getselfattr<M: SecurityModule>(
    attr: c_uint,
    ctx: *mut bindings::lsm_ctx,
    size: *mut u32,
    _flags: u32,
) -> c_int {
    let Some(attr) = ProcAttr::from_lsm_attr(attr) else {
        return EOPNOTSUPP.to_errno();
    };
    // SAFETY: the current task is valid during the call.
    let task = unsafe { Task::from_raw(bindings::get_current()) };
    let mut value = match M::getprocattr(task, attr) {
        Ok(value) => value,
        Err(e) => return e.to_errno(),
    };
    if value.push(0, GFP_KERNEL).is_err() {
        return ENOMEM.to_errno();
    }
    // SAFETY: `ctx` and `size` are as the caller passed them; the value is
    // readable for its length; `lsm_fill_user_ctx` copies it to user space.
    let rc = unsafe {
        bindings::lsm_fill_user_ctx(
            ctx,
            size,
            value.as_mut_ptr().cast(),
            value.len(),
            u64::from(bindings::LSM_ID_CARAPACE),
            0,
        )
    };
    // One attribute reported.
    if rc == 0 {
        1
    } else {
        rc
    }
}

/// # Safety
///
/// Called by `lsm_set_self_attr()` with a kernel copy of the user's entry,
/// whose `ctx_len` bytes of value the framework checked fit in it.
pub(crate) unsafe extern "C" fn setselfattr<M: SecurityModule>(
    attr: c_uint,
    ctx: *mut bindings::lsm_ctx,
    _size: u32,
    _flags: u32,
) -> c_int {
    let Some(attr) = ProcAttr::from_lsm_attr(attr) else {
        return EOPNOTSUPP.to_errno();
    };
    // SAFETY: as documented above.
    let value = unsafe {
        let Ok(len) = usize::try_from((*ctx).ctx_len) else {
            return EINVAL.to_errno();
        };
        bytes(core::ptr::addr_of!((*ctx).ctx).cast(), len)
    };
    to_c(M::setprocattr(attr, trim_attr(value)))
}
