// SPDX-License-Identifier: GPL-2.0

//! The securityfs client: `/sys/kernel/security/carapace/` or the
//! directory given with `--securityfs` / `CARAPACE_SECURITYFS`.

use std::fs::{File, OpenOptions};
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use anyhow::{anyhow, bail, Context, Result};

use crate::PolicyBuf;

/// The carapace directory in securityfs.
#[derive(Clone, Debug)]
pub struct SecurityFs {
    root: PathBuf,
}

/// What an operation needs, named in permission errors.
#[derive(Clone, Copy, Debug)]
pub enum Op {
    /// Writing `policy`.
    LoadPolicy,
    /// Writing `enforce`.
    SetEnforce,
    /// Reading `policy`.
    ReadPolicy,
    /// Querying `access`.
    ComputeAv,
    /// Reading a status or statistics file.
    Read,
}

impl Op {
    fn needs(self) -> &'static str {
        match self {
            Op::LoadPolicy => "CAP_MAC_ADMIN and `security { load_policy }` in the current domain",
            Op::SetEnforce => "CAP_MAC_ADMIN and `security { setenforce }` in the current domain",
            Op::ReadPolicy => "`security { read_policy }` in the current domain",
            Op::ComputeAv => "`security { compute_av }` in the current domain",
            Op::Read => "read access to securityfs",
        }
    }
}

impl SecurityFs {
    /// The carapace securityfs directory at `root`.
    pub fn new(root: impl Into<PathBuf>) -> SecurityFs {
        SecurityFs { root: root.into() }
    }

    /// Path of the file `name` (e.g. `"avc/cache_stats"`).
    pub fn path(&self, name: &str) -> PathBuf {
        self.root.join(name)
    }

    /// Turns an I/O error on `name` into a message that says what to do.
    fn explain_err(&self, name: &str, op: Op, e: io::Error) -> anyhow::Error {
        let path = self.path(name);
        match e.raw_os_error() {
            Some(libc::ENOENT) if !self.root.is_dir() => anyhow!(
                "{}: no such directory: is securityfs mounted (mount -t securityfs none \
                 /sys/kernel/security) and carapace enabled (lsm=...,carapace)?",
                self.root.display()
            ),
            Some(libc::EPERM) | Some(libc::EACCES) => anyhow!(
                "{}: {e}: not permitted (needs {})",
                path.display(),
                op.needs()
            ),
            _ => anyhow!("{}: {e}", path.display()),
        }
    }

    /// Reads the whole file `name`.
    pub fn read(&self, name: &str, op: Op) -> Result<Vec<u8>> {
        let mut buf = Vec::new();
        File::open(self.path(name))
            .and_then(|mut f| f.read_to_end(&mut buf))
            .map_err(|e| self.explain_err(name, op, e))?;
        Ok(buf)
    }

    /// Reads the text file `name`.
    pub fn read_text(&self, name: &str) -> Result<String> {
        let b = self.read(name, Op::Read)?;
        String::from_utf8(b).with_context(|| format!("{}: not UTF-8", self.path(name).display()))
    }

    /// Writes `data` to `name` at offset 0 in exactly one write(2).
    pub fn write_once(&self, name: &str, data: &[u8]) -> io::Result<()> {
        let mut f = OpenOptions::new().write(true).open(self.path(name))?;
        let n = f.write(data)?;
        if n != data.len() {
            return Err(io::Error::new(
                io::ErrorKind::WriteZero,
                format!("short write: {n} of {} bytes", data.len()),
            ));
        }
        Ok(())
    }

    /// Loads (or replaces) the policy in the kernel.
    pub fn load_policy(&self, data: &[u8], origin: &str) -> Result<()> {
        self.write_once("policy", data)
            .map_err(|e| match e.raw_os_error() {
                Some(libc::EINVAL) => anyhow!(
                    "the kernel rejected {origin} as malformed ({e}); the policy in force is \
                 unchanged, `dmesg | grep carapace` says why"
                ),
                Some(libc::EFBIG) => anyhow!(
                    "{origin} is too large for the kernel ({} bytes; {e})",
                    data.len()
                ),
                Some(libc::ENOMEM) => anyhow!(
                    "the kernel could not allocate {} bytes for the policy ({e})",
                    data.len()
                ),
                _ => self.explain_err("policy", Op::LoadPolicy, e),
            })
    }

    /// The loaded policy, or `None` when none is loaded.
    pub fn loaded_policy(&self) -> Result<Option<PolicyBuf>> {
        let bytes = self.read("policy", Op::ReadPolicy)?;
        if bytes.is_empty() {
            return Ok(None);
        }
        let origin = format!("loaded policy ({})", self.path("policy").display());
        PolicyBuf::new(bytes, origin).map(Some)
    }

    /// Sets enforcing (`true`) or permissive mode.
    pub fn set_enforce(&self, enforcing: bool) -> Result<()> {
        let v: &[u8] = if enforcing { b"1" } else { b"0" };
        self.write_once("enforce", v)
            .map_err(|e| self.explain_err("enforce", Op::SetEnforce, e))
    }

    /// Sends `query` to the transaction file `name` and returns the answer
    /// read back from the same descriptor.
    ///
    /// The answer is read from offset 0 of the same open file, as with
    /// SELinux's `access`.
    pub fn transact(&self, name: &str, query: &[u8], op: Op) -> Result<String> {
        let run = || -> io::Result<Vec<u8>> {
            let mut f = OpenOptions::new()
                .read(true)
                .write(true)
                .open(self.path(name))?;
            let n = f.write(query)?;
            if n != query.len() {
                return Err(io::Error::new(io::ErrorKind::WriteZero, "short write"));
            }
            // The answer starts at offset 0 whatever the write did to the
            // file position (SELinux leaves it at 0, a handler that
            // advances it needs the seek); a non-seekable file is read on.
            if let Err(e) = f.seek(SeekFrom::Start(0)) {
                if e.raw_os_error() != Some(libc::ESPIPE) {
                    return Err(e);
                }
            }
            let mut buf = Vec::new();
            f.read_to_end(&mut buf)?;
            Ok(buf)
        };
        let answer = run().map_err(|e| match e.raw_os_error() {
            Some(libc::EINVAL) => anyhow!(
                "{}: the kernel rejected the query `{}` ({e}): unknown type or class?",
                self.path(name).display(),
                String::from_utf8_lossy(query)
            ),
            Some(libc::ENOENT) if self.path(name).exists() => anyhow!(
                "{}: the kernel has no decision for `{}` ({e}): is a policy loaded?",
                self.path(name).display(),
                String::from_utf8_lossy(query)
            ),
            _ => self.explain_err(name, op, e),
        })?;
        let s = String::from_utf8(answer)
            .with_context(|| format!("{}: answer is not UTF-8", self.path(name).display()))?;
        if s.trim().is_empty() {
            bail!("{}: empty answer", self.path(name).display());
        }
        Ok(s)
    }

    /// Root directory.
    pub fn root(&self) -> &Path {
        &self.root
    }
}
