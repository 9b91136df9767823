// SPDX-License-Identifier: GPL-2.0

//! BPF maps and programs as the hooks see them, their labels, and the
//! hooks of the BPF family ([`BpfHooks`]).
//!
//! Linux 6.12 gives a map or a program no security blob, only a
//! `security` pointer for whichever LSM takes it. A label is a SID, so
//! carapace keeps it in the pointer itself, tagged so that it cannot be
//! mistaken for an address (nor an address for it), and writes it only
//! into a pointer no other LSM has taken: with SELinux also active and
//! ordered first, a map carries SELinux's pointer and carapace sees it
//! unlabelled; ordered after, SELinux overwrites the label the same way.
//! Nothing is allocated, so nothing is freed.

use kernel::{ffi::c_void, prelude::*, types::Opaque};

use super::SecurityModule;

/// The low half of a label kept in a `security` pointer; odd, so never
/// the address of an allocation.
const LABEL_TAG: usize = 0xca9a_ce01;

/// The `security` pointer value that stands for label `sid`.
fn encode(sid: u32) -> *mut c_void {
    (((sid as usize) << 32) | LABEL_TAG) as *mut c_void
}

/// The label a `security` pointer value stands for, if it is one.
fn decode(value: *mut c_void) -> Option<u32> {
    let value = value as usize;
    (value & 0xffff_ffff == LABEL_TAG).then_some((value >> 32) as u32)
}

/// The hooks on BPF maps and programs.
///
/// Each has the framework's default behaviour; an `Err` becomes the hook's
/// negative errno.
pub(crate) trait BpfHooks: SecurityModule {
    /// `bpf`: may the current task run `bpf()` command `cmd`?
    fn bpf(_cmd: i32) -> Result {
        Ok(())
    }

    /// `bpf_map`: may the current task get a descriptor of `map` with file
    /// mode `fmode` (`FMODE_READ`, `FMODE_WRITE`)?
    fn bpf_map(_map: &BpfObject, _fmode: u32) -> Result {
        Ok(())
    }

    /// `bpf_prog`: may the current task get a descriptor of `prog`?
    fn bpf_prog(_prog: &BpfObject) -> Result {
        Ok(())
    }

    /// `bpf_map_create`, `bpf_prog_load`: the current task made `object`.
    fn bpf_object_create(_object: &BpfObject) -> Result {
        Ok(())
    }
}

/// The `security` pointer of a BPF map (`struct bpf_map`) or program
/// (`struct bpf_prog_aux`): the object's label.
///
/// # Invariants
///
/// The wrapped pointer is the `security` field of a valid map or program,
/// which its creation hook alone writes, before the object is visible.
#[repr(transparent)]
pub(crate) struct BpfObject(Opaque<*mut c_void>);

impl BpfObject {
    /// # Safety
    ///
    /// `ptr` must be the `security` field of a valid map or program alive
    /// for `'a`, written only by the creation hooks.
    unsafe fn from_raw<'a>(ptr: *mut *mut c_void) -> &'a Self {
        // SAFETY: transparent wrapper; the caller guarantees validity.
        unsafe { &*ptr.cast() }
    }

    /// The object's label, if carapace set one.
    pub(crate) fn label(&self) -> Option<u32> {
        // SAFETY: by the type invariant the field is valid; it no longer
        // changes once the object is visible.
        decode(unsafe { *self.0.get() })
    }

    /// Labels the new object `sid`, unless another LSM took the pointer.
    pub(crate) fn set_label(&self, sid: u32) {
        // SAFETY: by the type invariant the field is valid, and the object
        // is not visible yet: only the creating task accesses it.
        unsafe {
            let field = self.0.get();
            if (*field).is_null() {
                *field = encode(sid);
            }
        }
    }
}

/// The `extern "C"` functions the static calls of this family jump to.
pub(crate) mod trampolines {
    use kernel::{
        bindings,
        ffi::{c_int, c_uint},
    };

    use super::{BpfHooks, BpfObject};
    use crate::framework::to_c;

    /// # Safety
    ///
    /// Called by the `bpf()` system call with a command.
    pub(crate) unsafe extern "C" fn bpf<M: BpfHooks>(
        cmd: c_int,
        _attr: *mut bindings::bpf_attr,
        _size: c_uint,
    ) -> c_int {
        to_c(M::bpf(cmd))
    }

    /// # Safety
    ///
    /// Called with a live map.
    pub(crate) unsafe extern "C" fn bpf_map<M: BpfHooks>(
        map: *mut bindings::bpf_map,
        fmode: bindings::fmode_t,
    ) -> c_int {
        // SAFETY: as documented above; `security` is written only by
        // `bpf_map_create`.
        let object = unsafe { BpfObject::from_raw(core::ptr::addr_of_mut!((*map).security)) };
        to_c(M::bpf_map(object, fmode))
    }

    /// # Safety
    ///
    /// Called with a live program.
    pub(crate) unsafe extern "C" fn bpf_prog<M: BpfHooks>(prog: *mut bindings::bpf_prog) -> c_int {
        // SAFETY: as documented above; a program's `aux` lives as long as
        // the program, and its `security` is written only by
        // `bpf_prog_load`.
        let object =
            unsafe { BpfObject::from_raw(core::ptr::addr_of_mut!((*(*prog).aux).security)) };
        to_c(M::bpf_prog(object))
    }

    /// # Safety
    ///
    /// Called by `map_create()` with the new map, not yet visible.
    pub(crate) unsafe extern "C" fn bpf_map_create<M: BpfHooks>(
        map: *mut bindings::bpf_map,
        _attr: *mut bindings::bpf_attr,
        _token: *mut bindings::bpf_token,
    ) -> c_int {
        // SAFETY: as documented above.
        let object = unsafe { BpfObject::from_raw(core::ptr::addr_of_mut!((*map).security)) };
        to_c(M::bpf_object_create(object))
    }

    /// # Safety
    ///
    /// Called by `bpf_prog_load()` with the new program, not yet visible.
    pub(crate) unsafe extern "C" fn bpf_prog_load<M: BpfHooks>(
        prog: *mut bindings::bpf_prog,
        _attr: *mut bindings::bpf_attr,
        _token: *mut bindings::bpf_token,
    ) -> c_int {
        // SAFETY: as documented above.
        let object =
            unsafe { BpfObject::from_raw(core::ptr::addr_of_mut!((*(*prog).aux).security)) };
        to_c(M::bpf_object_create(object))
    }
}
