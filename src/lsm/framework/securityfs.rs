// SPDX-License-Identifier: GPL-2.0

//! Files in securityfs (`/sys/kernel/security/`), served by safe handlers.
//!
//! Each open file snapshots what it reads on the first read, so a reader
//! sees one consistent content however it splits its reads. A write must
//! come whole, in one call at offset 0 (as SELinux requires for its policy
//! file), and may leave a response that later reads of the same open file
//! return: that makes transaction files like `access`.

use core::ptr;

use kernel::{
    alloc::{
        allocator::{KVmalloc, Vmalloc},
        Allocator,
    },
    bindings,
    ffi::{c_char, c_int, c_void},
    new_mutex,
    prelude::*,
    sync::Mutex,
    uaccess::UserSlice,
};

/// What a securityfs file does.
pub(crate) trait FileHandler: Sync {
    /// The content a read returns.
    fn read(&self) -> Result<KVVec<u8>> {
        Err(EINVAL)
    }

    /// Handles one whole write, handed over; the optional response is
    /// what later reads of the same open file return.
    fn write(&self, _data: KVVec<u8>) -> Result<Option<KVVec<u8>>> {
        Err(EINVAL)
    }

    /// Handles one whole write of a file whose [`Self::max_write`] is
    /// above a page, in a `vmalloc()`ed buffer sized to the write and
    /// handed over, so that a handler may keep it: a `kvmalloc()`ed one
    /// of a few megabytes comes from the page allocator rounded up to a
    /// power of two pages, nearly twice its size.
    fn write_large(&self, _data: VVec<u8>) -> Result<Option<KVVec<u8>>> {
        Err(EINVAL)
    }

    /// The largest write accepted; larger ones fail with `EFBIG`. Files
    /// that accept more than a page get their writes through
    /// [`Self::write_large`].
    fn max_write(&self) -> usize {
        bindings::PAGE_SIZE
    }
}

/// A securityfs file: its name, mode and handler. Lives forever.
pub(crate) struct FileSpec {
    /// The file name.
    pub(crate) name: &'static CStr,
    /// Permission bits (`0o644` …).
    pub(crate) mode: u16,
    /// What reading and writing it does.
    pub(crate) handler: &'static dyn FileHandler,
}

/// A securityfs directory. Carapace's files are never removed.
pub(crate) struct Dir(*mut bindings::dentry);

impl Dir {
    /// Creates directory `name` under `parent` (the securityfs root if
    /// `None`).
    pub(crate) fn create(name: &CStr, parent: Option<&Dir>) -> Result<Dir> {
        let parent = parent.map_or(ptr::null_mut(), |d| d.0);
        // SAFETY: `name` is NUL-terminated; `parent` is null or a directory
        // this module created and never removes.
        let dentry = unsafe { bindings::securityfs_create_dir(name.as_char_ptr(), parent) };
        Ok(Dir(from_err_ptr(dentry)?))
    }

    /// Creates `spec` in this directory.
    pub(crate) fn create_file(&self, spec: &'static FileSpec) -> Result {
        // SAFETY: `spec` lives forever, so `i_private` stays valid; the
        // file operations are static.
        let dentry = unsafe {
            bindings::securityfs_create_file(
                spec.name.as_char_ptr(),
                spec.mode,
                self.0,
                ptr::from_ref(spec).cast_mut().cast(),
                &FILE_OPERATIONS.0,
            )
        };
        from_err_ptr(dentry).map(|_| ())
    }
}

fn from_err_ptr<T>(p: *mut T) -> Result<*mut T> {
    kernel::error::from_err_ptr(p)
}

/// The state of one open file (its `private_data`).
#[pin_data]
struct OpenHandle {
    spec: &'static FileSpec,
    /// What reads return: the write's response, or the read snapshot.
    #[pin]
    content: Mutex<Option<KVVec<u8>>>,
}

/// The file operations of every carapace securityfs file.
#[repr(transparent)]
struct FileOperations(bindings::file_operations);

// SAFETY: immutable, and only read by the VFS.
unsafe impl Sync for FileOperations {}

static FILE_OPERATIONS: FileOperations = FileOperations(bindings::file_operations {
    open: Some(open),
    read: Some(read),
    write: Some(write),
    release: Some(release),
    llseek: Some(bindings::generic_file_llseek),
    // SAFETY: all-zero is a valid `file_operations`: no other operation.
    ..unsafe { core::mem::zeroed() }
});

/// # Safety
///
/// Called by the VFS with a valid inode created by [`Dir::create_file`]
/// and the file being opened.
unsafe extern "C" fn open(inode: *mut bindings::inode, file: *mut bindings::file) -> c_int {
    // SAFETY: `i_private` is the `&'static FileSpec` given at creation.
    let spec: &'static FileSpec = unsafe { &*(*inode).i_private.cast::<FileSpec>() };
    let state = KBox::pin_init(
        pin_init!(OpenHandle { spec, content <- new_mutex!(None) }),
        GFP_KERNEL,
    );
    match state {
        Ok(state) => {
            // SAFETY: the state is never moved out of its box again; it is
            // rebuilt from this pointer only in `release`.
            let raw = KBox::into_raw(unsafe { Pin::into_inner_unchecked(state) });
            // SAFETY: `file` is valid and `private_data` is ours.
            unsafe { (*file).private_data = raw.cast() };
            0
        }
        Err(e) => e.to_errno(),
    }
}

/// # Safety
///
/// `file` must be an open file of ours: its `private_data` set by `open`
/// and not yet released.
unsafe fn open_file<'a>(file: *mut bindings::file) -> &'a OpenHandle {
    // SAFETY: guaranteed by the caller.
    unsafe { &*(*file).private_data.cast::<OpenHandle>() }
}

/// # Safety
///
/// Called by the VFS on an open file of ours with a user buffer of `count`
/// bytes and a valid position.
unsafe extern "C" fn read(
    file: *mut bindings::file,
    buf: *mut c_char,
    count: usize,
    ppos: *mut bindings::loff_t,
) -> isize {
    // SAFETY: see above.
    let (state, pos) = unsafe { (open_file(file), *ppos) };
    let mut content = state.content.lock();
    if content.is_none() {
        match state.spec.handler.read() {
            Ok(data) => *content = Some(data),
            Err(e) => return e.to_errno() as isize,
        }
    }
    let data = content.as_deref().unwrap_or(&[]);
    let Some(rest) = usize::try_from(pos).ok().and_then(|p| data.get(p..)) else {
        return 0;
    };
    let n = rest.len().min(count);
    let mut writer = UserSlice::new(buf as usize, n).writer();
    if let Err(e) = writer.write_slice(rest.get(..n).unwrap_or(&[])) {
        return e.to_errno() as isize;
    }
    // SAFETY: `ppos` is valid (see above).
    unsafe { *ppos = pos.saturating_add(n as bindings::loff_t) };
    n as isize
}

/// # Safety
///
/// As for [`read`], with a user buffer of `count` readable bytes.
unsafe extern "C" fn write(
    file: *mut bindings::file,
    buf: *const c_char,
    count: usize,
    ppos: *mut bindings::loff_t,
) -> isize {
    // SAFETY: see above.
    let (state, pos) = unsafe { (open_file(file), *ppos) };
    if pos != 0 {
        return EINVAL.to_errno() as isize;
    }
    if count > state.spec.handler.max_write() {
        return EFBIG.to_errno() as isize;
    }
    let result = if state.spec.handler.max_write() > bindings::PAGE_SIZE {
        copy_write::<Vmalloc>(buf, count).and_then(|data| state.spec.handler.write_large(data))
    } else {
        copy_write::<KVmalloc>(buf, count).and_then(|data| state.spec.handler.write(data))
    };
    match result {
        Ok(response) => {
            // The position stays at 0, so a read on the same open file
            // returns the response from its start (as libfs's transaction
            // files do).
            *state.content.lock() = response;
            count as isize
        }
        Err(e) => e.to_errno() as isize,
    }
}

/// The `count` bytes of the user buffer `buf`, in a buffer of exactly
/// that capacity from allocator `A`.
fn copy_write<A: Allocator>(buf: *const c_char, count: usize) -> Result<Vec<u8, A>> {
    // Not zeroed first: a policy is megabytes, and the copy fills it all.
    let mut data = Vec::<u8, A>::with_capacity(count, GFP_KERNEL).map_err(|_| ENOMEM)?;
    let spare = data.spare_capacity_mut().get_mut(..count).ok_or(ENOMEM)?;
    UserSlice::new(buf as usize, count)
        .reader()
        .read_raw(spare)?;
    // SAFETY: `read_raw` succeeded, so it initialised all `count` bytes,
    // which are within the capacity.
    unsafe { data.set_len(count) };
    Ok(data)
}

/// # Safety
///
/// Called by the VFS once, when the last reference to an open file of ours
/// goes away.
unsafe extern "C" fn release(_inode: *mut bindings::inode, file: *mut bindings::file) -> c_int {
    // SAFETY: `private_data` came from `KBox::into_raw` in `open`, and this
    // is its only release.
    drop(unsafe { KBox::from_raw((*file).private_data.cast::<OpenHandle>()) });
    // SAFETY: `file` is valid; clear our pointer.
    unsafe { (*file).private_data = ptr::null_mut::<c_void>() };
    0
}

// SAFETY: a `Dir` is only a handle to a dentry that lives forever.
unsafe impl Send for Dir {}
