// SPDX-License-Identifier: GPL-2.0

//! `carapacectl`, the Carapace administration tool, as a library: the
//! securityfs client, the parsers and formatters of what the kernel reports,
//! label handling, the relabel walk, the audit-record explainer and the
//! policy analyses. The binary (`src/main.rs`) is the command line on top
//! of it.
//!
//! Everything that touches the kernel goes through a root directory that
//! tests replace with a temporary one (`--securityfs`, `--procfs`), so the
//! parsing and formatting are tested on the host.

pub mod access;
pub mod analyze;
pub mod avc;
pub mod cli;
pub mod explain;
pub mod label;
pub mod neverallow;
pub mod relabel;
pub mod securityfs;
pub mod status;

use std::path::Path;

use anyhow::{bail, Context, Result};
use carapace_core::classmap::KernelClass;
use carapace_core::policy::PolicyDb;

/// Default securityfs directory of carapace.
pub const SECURITYFS_DEFAULT: &str = "/sys/kernel/security/carapace";
/// Default procfs mount point.
pub const PROCFS_DEFAULT: &str = "/proc";

/// Formats the permissions in `mask` of `class` as `{ a b c }`, bits the
/// classmap does not name as hex (`0x..`).
pub fn perm_set(class: KernelClass, mask: u32) -> String {
    let mut out = String::from("{");
    let mut unknown = 0u32;
    for bit in 0..32 {
        if mask & (1 << bit) == 0 {
            continue;
        }
        match class.perm_name(bit) {
            Some(name) => {
                out.push(' ');
                out.push_str(name);
            }
            None => unknown |= 1 << bit,
        }
    }
    if unknown != 0 {
        out.push_str(&format!(" {unknown:#x}"));
    }
    out.push_str(" }");
    out
}

/// A class by name, or an error listing the known ones.
pub fn class_by_name(name: &str) -> Result<KernelClass> {
    KernelClass::by_name(name.as_bytes()).with_context(|| {
        let known: Vec<&str> = KernelClass::ALL.iter().map(|c| c.name()).collect();
        format!("unknown class `{name}` (known: {})", known.join(", "))
    })
}

/// A binary policy held in memory, validated.
pub struct PolicyBuf {
    bytes: Vec<u8>,
    /// Where it came from, for messages.
    pub origin: String,
}

impl PolicyBuf {
    /// Validates `bytes` (from `origin`) with the core's parser.
    pub fn new(bytes: Vec<u8>, origin: String) -> Result<PolicyBuf> {
        if let Err(e) = PolicyDb::parse(&bytes) {
            bail!("{origin}: invalid policy: {e}");
        }
        Ok(PolicyBuf { bytes, origin })
    }

    /// Reads and validates the policy file `path`.
    pub fn from_file(path: &Path) -> Result<PolicyBuf> {
        let bytes =
            std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
        PolicyBuf::new(bytes, path.display().to_string())
    }

    /// The database (validated in [`PolicyBuf::new`]).
    pub fn db(&self) -> PolicyDb<'_> {
        match PolicyDb::parse(&self.bytes) {
            Ok(db) => db,
            // Checked in new(); the bytes are immutable since.
            Err(e) => unreachable!("policy validated earlier: {e}"),
        }
    }

    /// The raw binary.
    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }
}
