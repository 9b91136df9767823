// SPDX-License-Identifier: GPL-2.0

//! File labels (the `security.carapace` xattr) and process labels
//! (`/proc/<pid>/attr/{current,exec}`).

use std::ffi::CString;
use std::io;
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};

/// The xattr that holds a file's type name.
pub const XATTR_NAME: &str = "security.carapace";

fn cpath(path: &Path) -> io::Result<CString> {
    CString::new(path.as_os_str().as_bytes())
        .map_err(|_| io::Error::new(io::ErrorKind::InvalidInput, "path contains a NUL byte"))
}

fn xattr_name() -> CString {
    CString::new(XATTR_NAME).expect("constant without NUL")
}

/// Strips trailing NULs and whitespace from a label read from the kernel.
pub fn clean_label(raw: &[u8]) -> String {
    let end = raw
        .iter()
        .rposition(|&c| c != 0 && !c.is_ascii_whitespace())
        .map_or(0, |i| i + 1);
    String::from_utf8_lossy(&raw[..end]).into_owned()
}

/// The label of `path` (`follow`: dereference a final symlink), `None`
/// when the file has none (`ENODATA`). Other errors, including
/// `EOPNOTSUPP` (no xattr support), are returned.
pub fn get_file_label(path: &Path, follow: bool) -> io::Result<Option<String>> {
    let p = cpath(path)?;
    let name = xattr_name();
    let mut buf = vec![0u8; 256];
    loop {
        // SAFETY: `p` and `name` are NUL-terminated strings that outlive
        // the call; `buf` is valid for writes of `buf.len()` bytes.
        let n = unsafe {
            if follow {
                libc::getxattr(
                    p.as_ptr(),
                    name.as_ptr(),
                    buf.as_mut_ptr().cast(),
                    buf.len(),
                )
            } else {
                libc::lgetxattr(
                    p.as_ptr(),
                    name.as_ptr(),
                    buf.as_mut_ptr().cast(),
                    buf.len(),
                )
            }
        };
        if n >= 0 {
            buf.truncate(n as usize);
            return Ok(Some(clean_label(&buf)));
        }
        let e = io::Error::last_os_error();
        match e.raw_os_error() {
            Some(libc::ENODATA) => return Ok(None),
            Some(libc::ERANGE) if buf.len() < 65536 => buf.resize(buf.len() * 4, 0),
            _ => return Err(e),
        }
    }
}

/// Sets the label of `path` to `ty` (no trailing NUL).
pub fn set_file_label(path: &Path, ty: &str, follow: bool) -> io::Result<()> {
    let p = cpath(path)?;
    let name = xattr_name();
    // SAFETY: `p` and `name` are NUL-terminated strings that outlive the
    // call; `ty` is valid for reads of `ty.len()` bytes.
    let r = unsafe {
        if follow {
            libc::setxattr(p.as_ptr(), name.as_ptr(), ty.as_ptr().cast(), ty.len(), 0)
        } else {
            libc::lsetxattr(p.as_ptr(), name.as_ptr(), ty.as_ptr().cast(), ty.len(), 0)
        }
    };
    if r == 0 {
        Ok(())
    } else {
        Err(io::Error::last_os_error())
    }
}

/// Explains an error from [`set_file_label`].
pub fn set_label_error(path: &Path, ty: &str, e: &io::Error) -> String {
    let why = match e.raw_os_error() {
        Some(libc::EPERM) | Some(libc::EACCES) => {
            "not permitted: relabelling needs CAP_MAC_ADMIN, `security { relabel }` \
             and relabelfrom/relabelto on the old and new types"
                .to_string()
        }
        Some(libc::EINVAL) => format!("the kernel rejected type `{ty}`: not in the loaded policy?"),
        Some(libc::EOPNOTSUPP) => "the filesystem does not support security xattrs".to_string(),
        _ => String::new(),
    };
    if why.is_empty() {
        format!("cannot label {} as {ty}: {e}", path.display())
    } else {
        format!("cannot label {} as {ty}: {e}: {why}", path.display())
    }
}

/// Process attribute files under a procfs mount.
#[derive(Clone, Debug)]
pub struct ProcAttr {
    procfs: PathBuf,
}

impl ProcAttr {
    /// Procfs mounted at `procfs` (normally `/proc`).
    pub fn new(procfs: impl Into<PathBuf>) -> ProcAttr {
        ProcAttr {
            procfs: procfs.into(),
        }
    }

    /// `<procfs>/<pid or self>/attr/carapace/<name>`, carapace's own
    /// file, where the kernel has it; else the generic
    /// `<procfs>/<pid or self>/attr/<name>`. The generic files belong to
    /// the first LSM of the boot's order that has process attributes: to
    /// AppArmor or SELinux, in a distribution's order, when they are built
    /// in.
    pub fn path(&self, pid: Option<u32>, name: &str) -> PathBuf {
        let who = pid.map_or_else(|| "self".to_string(), |p| p.to_string());
        let attr = self.procfs.join(who).join("attr");
        let own = attr.join("carapace");
        if own.is_dir() {
            own.join(name)
        } else {
            attr.join(name)
        }
    }

    /// The domain of `pid` (or of this process).
    pub fn current(&self, pid: Option<u32>) -> io::Result<String> {
        std::fs::read(self.path(pid, "current")).map(|b| clean_label(&b))
    }

    /// Asks for `domain` at the next execve(2) of this process, in one
    /// write.
    pub fn set_exec(&self, domain: &str) -> io::Result<()> {
        use std::io::Write;
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .open(self.path(None, "exec"))?;
        let n = f.write(domain.as_bytes())?;
        if n != domain.len() {
            return Err(io::Error::new(io::ErrorKind::WriteZero, "short write"));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cleans_labels() {
        assert_eq!(clean_label(b"bin_t\0"), "bin_t");
        assert_eq!(clean_label(b"bin_t\n"), "bin_t");
        assert_eq!(clean_label(b"bin_t"), "bin_t");
        assert_eq!(clean_label(b"\0"), "");
    }

    #[test]
    fn proc_paths() {
        let procfs = std::env::temp_dir().join(format!("carapace-procattr-{}", std::process::id()));
        let p = ProcAttr::new(&procfs);
        std::fs::create_dir_all(procfs.join("7/attr")).unwrap();
        assert_eq!(p.path(Some(7), "current"), procfs.join("7/attr/current"));
        // Carapace's own directory, where the kernel has it.
        std::fs::create_dir_all(procfs.join("self/attr/carapace")).unwrap();
        assert_eq!(p.path(None, "exec"), procfs.join("self/attr/carapace/exec"));
        assert_eq!(p.path(Some(7), "exec"), procfs.join("7/attr/exec"));
        std::fs::remove_dir_all(&procfs).unwrap();
    }
}
