// SPDX-License-Identifier: GPL-2.0

//! The kernel's own services as the hooks see them: its log, module
//! loading and the files it reads for itself, and the hooks of that
//! family ([`SystemHooks`]).

use kernel::{bindings, prelude::*};

use super::{OpenFile, SecurityModule};

/// What the kernel loads from a file or a buffer
/// (`enum kernel_read_file_id`, `enum kernel_load_data_id`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum KernelData {
    /// A module (`finit_module()`, `init_module()`).
    Module,
    /// Anything else: firmware, a kexec image, an IMA policy.
    Other,
}

impl KernelData {
    fn from_read_id(id: bindings::kernel_read_file_id) -> Self {
        if id == bindings::kernel_read_file_id_READING_MODULE {
            Self::Module
        } else {
            Self::Other
        }
    }

    fn from_load_id(id: bindings::kernel_load_data_id) -> Self {
        if id == bindings::kernel_load_data_id_LOADING_MODULE {
            Self::Module
        } else {
            Self::Other
        }
    }
}

/// The hooks on the kernel's log and on what the kernel loads.
///
/// Each has the framework's default behaviour; an `Err` becomes the hook's
/// negative errno.
pub(crate) trait SystemHooks: SecurityModule {
    /// `syslog`: may the current task perform `syslog()` action `action`
    /// (also asked when `/dev/kmsg` is opened for reading)?
    fn syslog(_action: i32) -> Result {
        Ok(())
    }

    /// `kernel_module_request`: may the current task make the kernel load
    /// a module (`request_module()`)?
    fn kernel_module_request() -> Result {
        Ok(())
    }

    /// `kernel_load_data`: may the current task make the kernel load
    /// `what` from a buffer (`contents`: the whole of it is there)?
    fn kernel_load_data(_what: KernelData, _contents: bool) -> Result {
        Ok(())
    }

    /// `kernel_read_file`: may the current task make the kernel read
    /// `what` from `file` (`contents`: the whole file, else a part)?
    fn kernel_read_file(_file: &OpenFile, _what: KernelData, _contents: bool) -> Result {
        Ok(())
    }
}

/// The `extern "C"` functions the static calls of this family jump to.
pub(crate) mod trampolines {
    use kernel::{
        bindings,
        ffi::{c_char, c_int},
    };

    use super::{KernelData, SystemHooks};
    use crate::framework::{to_c, OpenFile};

    /// # Safety
    ///
    /// Called by `syslog()` and the `/dev/kmsg` and `/proc/kmsg` files.
    pub(crate) unsafe extern "C" fn syslog<M: SystemHooks>(action: c_int) -> c_int {
        to_c(M::syslog(action))
    }

    /// # Safety
    ///
    /// Called by `__request_module()` with the module's name.
    pub(crate) unsafe extern "C" fn kernel_module_request<M: SystemHooks>(
        _name: *mut c_char,
    ) -> c_int {
        to_c(M::kernel_module_request())
    }

    /// # Safety
    ///
    /// Called by the loaders of data that comes without a file.
    pub(crate) unsafe extern "C" fn kernel_load_data<M: SystemHooks>(
        id: bindings::kernel_load_data_id,
        contents: bool,
    ) -> c_int {
        to_c(M::kernel_load_data(KernelData::from_load_id(id), contents))
    }

    /// # Safety
    ///
    /// Called by `kernel_read_file()` with the open file it reads.
    pub(crate) unsafe extern "C" fn kernel_read_file<M: SystemHooks>(
        file: *mut bindings::file,
        id: bindings::kernel_read_file_id,
        contents: bool,
    ) -> c_int {
        // SAFETY: the file is open, and referenced by the reader, during
        // the call.
        let file = unsafe { OpenFile::from_raw(file) };
        to_c(M::kernel_read_file(
            file,
            KernelData::from_read_id(id),
            contents,
        ))
    }
}
