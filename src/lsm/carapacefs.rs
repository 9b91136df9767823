// SPDX-License-Identifier: GPL-2.0

//! Carapace's securityfs interface, `/sys/kernel/security/carapace/`.
//!
//! | file | read | write |
//! |---|---|---|
//! | `policy` | the loaded binary policy | a whole binary policy: load it |
//! | `enforce` | `0` or `1` | `0` or `1` |
//! | `status` | `key: value` lines | |
//! | `access` | the decision asked by the last write | `SOURCE TARGET CLASS` |
//! | `avc/cache_stats` | SELinux's format: a row per possible CPU | |
//! | `avc/hash_stats` | SELinux's format | |
//! | `avc/cache_threshold` | the cache capacity | a new capacity (0: off) |
//!
//! Changing anything needs `CAP_MAC_ADMIN` and the matching permission of
//! class `security` on the initial `security` label.

use core::fmt::{self, Write};

use kernel::{c_str, prelude::*};

use crate::avc::{AvcCacheStats, AVD_FLAGS_PERMISSIVE};
use crate::classmap::{perm, KernelClass};
use crate::domain::current_sid;
use crate::framework::audit::AuditRecord;
use crate::framework::securityfs::{Dir, FileHandler, FileSpec};
use crate::policy::format::POLICY_MAX_SIZE;
use crate::policy_store::LoadError;
use crate::security_server::{server, SecurityServer, SERVER};

/// Creates the files; does nothing when carapace is not enabled.
pub(crate) fn init() -> Result {
    if SERVER.get().is_none() {
        return Ok(());
    }
    let root = Dir::create(c_str!("carapace"), None)?;
    for spec in [&POLICY, &ENFORCE, &STATUS, &ACCESS] {
        root.create_file(spec)?;
    }
    let avc = Dir::create(c_str!("avc"), Some(&root))?;
    for spec in [&CACHE_STATS, &HASH_STATS, &CACHE_THRESHOLD] {
        avc.create_file(spec)?;
    }
    Ok(())
}

static POLICY: FileSpec = FileSpec {
    name: c_str!("policy"),
    mode: 0o600,
    handler: &PolicyFile,
};
static ENFORCE: FileSpec = FileSpec {
    name: c_str!("enforce"),
    mode: 0o644,
    handler: &EnforceFile,
};
static STATUS: FileSpec = FileSpec {
    name: c_str!("status"),
    mode: 0o444,
    handler: &StatusFile,
};
static ACCESS: FileSpec = FileSpec {
    name: c_str!("access"),
    mode: 0o666,
    handler: &AccessFile,
};
static CACHE_STATS: FileSpec = FileSpec {
    name: c_str!("cache_stats"),
    mode: 0o444,
    handler: &CacheStatsFile,
};
static HASH_STATS: FileSpec = FileSpec {
    name: c_str!("hash_stats"),
    mode: 0o444,
    handler: &HashStatsFile,
};
static CACHE_THRESHOLD: FileSpec = FileSpec {
    name: c_str!("cache_threshold"),
    mode: 0o644,
    handler: &CacheThresholdFile,
};

/// Checks that the current task may do `requested` (class `security`).
fn authorize(server: &SecurityServer, requested: u32, needs_mac_admin: bool) -> Result {
    server.authorize(current_sid(), requested, needs_mac_admin)
}

/// Text being built for a read.
struct Text(KVVec<u8>);

impl Text {
    fn new() -> Self {
        Self(KVVec::new())
    }
}

impl Write for Text {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        self.0
            .extend_from_slice(s.as_bytes(), GFP_KERNEL)
            .map_err(|_| fmt::Error)
    }
}

fn text(f: impl FnOnce(&mut Text) -> fmt::Result) -> Result<KVVec<u8>> {
    let mut t = Text::new();
    f(&mut t).map_err(|_| ENOMEM)?;
    Ok(t.0)
}

/// Parses a write as trimmed ASCII text.
fn as_text(data: &[u8]) -> Result<&str> {
    core::str::from_utf8(data)
        .map(str::trim)
        .map_err(|_| EINVAL)
}

struct PolicyFile;

impl FileHandler for PolicyFile {
    fn read(&self) -> Result<KVVec<u8>> {
        let server = server()?;
        authorize(server, perm::SECURITY_READ_POLICY, false)?;
        let mut out = KVVec::new();
        server
            .with_policy_locked(|policy, _| out.extend_from_slice(policy.bytes(), GFP_KERNEL))
            .unwrap_or(Ok(()))?;
        Ok(out)
    }

    fn write_large(&self, data: VVec<u8>) -> Result<Option<KVVec<u8>>> {
        let server = server()?;
        authorize(server, perm::SECURITY_LOAD_POLICY, true)?;
        let size = data.len();
        match server.load(data) {
            Ok(seqno) => {
                pr_info!("policy loaded: {size} bytes, seqno {seqno}\n");
                if let Some(mut record) = AuditRecord::policy_load() {
                    let _ = write!(record, "carapace: policy loaded seqno={seqno} size={size}");
                }
                Ok(None)
            }
            Err(LoadError::Invalid(e)) => {
                pr_err!("policy rejected, the policy in force stays: {}\n", e);
                Err(EINVAL)
            }
            Err(LoadError::NoMemory) => {
                pr_err!("policy rejected: out of memory\n");
                Err(ENOMEM)
            }
            Err(LoadError::TooManyNames) => {
                pr_err!("policy rejected: the SID table is full\n");
                Err(ENOSPC)
            }
        }
    }

    fn max_write(&self) -> usize {
        POLICY_MAX_SIZE
    }
}

struct EnforceFile;

impl FileHandler for EnforceFile {
    fn read(&self) -> Result<KVVec<u8>> {
        let on = server()?.enforcing();
        text(|t| writeln!(t, "{}", u8::from(on)))
    }

    fn write(&self, data: KVVec<u8>) -> Result<Option<KVVec<u8>>> {
        let server = server()?;
        let on = match as_text(&data)? {
            "0" => false,
            "1" => true,
            _ => return Err(EINVAL),
        };
        authorize(server, perm::SECURITY_SETENFORCE, true)?;
        let old = server.set_enforcing(on);
        if old != on {
            pr_info!("enforcing={}\n", u8::from(on));
            if let Some(mut record) = AuditRecord::status_change() {
                let _ = write!(
                    record,
                    "carapace: enforcing={} old_enforcing={}",
                    u8::from(on),
                    u8::from(old)
                );
            }
        }
        Ok(None)
    }
}

struct StatusFile;

impl FileHandler for StatusFile {
    fn read(&self) -> Result<KVVec<u8>> {
        let server = server()?;
        let info = server.with_policy_locked(|policy, db| (policy.bytes().len(), db.type_count()));
        let hash = server.avc().hash_stats();
        text(|t| {
            writeln!(t, "enforcing: {}", u8::from(server.enforcing()))?;
            match info {
                Some((size, types)) => {
                    writeln!(t, "policy: loaded")?;
                    writeln!(t, "seqno: {}", server.seqno())?;
                    writeln!(t, "policy_size: {size}")?;
                    writeln!(t, "types: {types}")?;
                }
                None => {
                    writeln!(t, "policy: none (all accesses allowed until one is loaded)")?;
                    writeln!(t, "seqno: 0")?;
                }
            }
            writeln!(t, "avc_entries: {}", hash.entries)
        })
    }
}

struct AccessFile;

impl FileHandler for AccessFile {
    fn write(&self, data: KVVec<u8>) -> Result<Option<KVVec<u8>>> {
        let server = server()?;
        authorize(server, perm::SECURITY_COMPUTE_AV, false)?;
        let mut words = as_text(&data)?.split_ascii_whitespace();
        let (Some(source), Some(target), Some(class), None) =
            (words.next(), words.next(), words.next(), words.next())
        else {
            return Err(EINVAL);
        };
        let class = KernelClass::by_name(class.as_bytes()).ok_or(EINVAL)?;
        let ssid = server.sid_by_name(source.as_bytes()).ok_or(EINVAL)?;
        let tsid = server.sid_by_name(target.as_bytes()).ok_or(EINVAL)?;
        let d = server.compute(ssid, tsid, class).ok_or(ENOENT)?;
        let flags = u32::from(d.flags & AVD_FLAGS_PERMISSIVE);
        Ok(Some(text(|t| {
            writeln!(
                t,
                "allowed={:#x} auditallow={:#x} auditdeny={:#x} flags={:#x} seqno={}",
                d.allowed, d.auditallow, d.auditdeny, flags, d.seqno
            )
        })?))
    }
}

struct CacheStatsFile;

impl FileHandler for CacheStatsFile {
    fn read(&self) -> Result<KVVec<u8>> {
        // One row per possible CPU, as SELinux's.
        let stats = server()?.avc().stats();
        text(|t| {
            t.write_str(AvcCacheStats::HEADER)?;
            stats.per_cpu().try_for_each(|row| write!(t, "{row}"))
        })
    }
}

struct HashStatsFile;

impl FileHandler for HashStatsFile {
    fn read(&self) -> Result<KVVec<u8>> {
        let hash = server()?.avc().hash_stats();
        text(|t| write!(t, "{hash}"))
    }
}

struct CacheThresholdFile;

impl FileHandler for CacheThresholdFile {
    fn read(&self) -> Result<KVVec<u8>> {
        let capacity = server()?.avc().capacity();
        text(|t| writeln!(t, "{capacity}"))
    }

    /// Sets how many decisions the cache keeps (rounded down to whole ways
    /// of its buckets; 0 turns it off) and empties it.
    fn write(&self, data: KVVec<u8>) -> Result<Option<KVVec<u8>>> {
        let server = server()?;
        let entries: usize = as_text(&data)?.parse().map_err(|_| EINVAL)?;
        authorize(server, perm::SECURITY_SETSECPARAM, true)?;
        let capacity = server.avc().set_capacity(entries);
        pr_info!("avc cache threshold {entries}: capacity {capacity}\n");
        Ok(None)
    }
}
