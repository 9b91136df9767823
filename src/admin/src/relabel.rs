// SPDX-License-Identifier: GPL-2.0

//! `relabel`: give files the types the policy's file contexts assign.
//!
//! The rule is the policy language's: the file contexts are tried in
//! source order and the **first** matching one wins. `exact` matches a
//! path equal to the pattern, `prefix` a path starting with it (byte-wise:
//! `"/tmp/"` matches `/tmp/x` but not `/tmp` itself), `regex` a path the
//! pattern matches as a whole (implicitly anchored, `^(?:PATTERN)$`).
//! Paths are absolute, without a trailing slash (`/` for the root), and
//! taken as seen from `--alt-root` when given. Files no context matches
//! keep their label. Symlinks are labelled themselves and not followed.

use std::ffi::OsString;
use std::io::{self, Write};
use std::os::unix::ffi::{OsStrExt, OsStringExt};
use std::path::{Component, Path, PathBuf};

use anyhow::{Context, Result};
use carapace_core::policy::{FileContextKind, PolicyDb};
use regex::bytes::Regex;

use crate::label::{get_file_label, set_file_label, set_label_error};

enum Pattern {
    Exact(Vec<u8>),
    Prefix(Vec<u8>),
    Regex(Regex),
}

/// The policy's file contexts, ready to match paths.
pub struct Matcher {
    entries: Vec<(Pattern, String)>,
}

impl Matcher {
    /// Builds the matcher from the policy's file contexts.
    pub fn from_policy(db: &PolicyDb<'_>) -> Result<Matcher> {
        let mut entries = Vec::new();
        for fc in db.file_contexts() {
            let ty = String::from_utf8_lossy(db.type_name(fc.ty)).into_owned();
            let pat = match fc.kind {
                FileContextKind::Exact => Pattern::Exact(fc.pattern.to_vec()),
                FileContextKind::Prefix => Pattern::Prefix(fc.pattern.to_vec()),
                FileContextKind::Regex => {
                    let text = String::from_utf8_lossy(fc.pattern);
                    Pattern::Regex(
                        Regex::new(&format!("^(?:{text})$"))
                            .with_context(|| format!("file context regex `{text}`"))?,
                    )
                }
            };
            entries.push((pat, ty));
        }
        Ok(Matcher { entries })
    }

    /// Number of file contexts.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the policy has no file contexts.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The type for `path`: the first matching context's.
    pub fn lookup(&self, path: &[u8]) -> Option<&str> {
        self.entries.iter().find_map(|(p, ty)| {
            let hit = match p {
                Pattern::Exact(e) => path == e.as_slice(),
                Pattern::Prefix(e) => path.starts_with(e),
                Pattern::Regex(r) => r.is_match(path),
            };
            hit.then_some(ty.as_str())
        })
    }
}

/// Options of one relabel run.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// Only print what would change.
    pub dry_run: bool,
    /// Directory standing for `/`: files are matched by their path
    /// relative to it.
    pub alt_root: Option<PathBuf>,
    /// Paths (as matched) skipped with everything below them.
    pub exclude: Vec<PathBuf>,
}

/// Counts of one relabel run.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    /// Files relabelled (or that would be, in a dry run).
    pub changed: u64,
    /// Files that already had the right label.
    pub unchanged: u64,
    /// Files no file context matches (left alone).
    pub unmatched: u64,
    /// Files that could not be read or labelled.
    pub errors: u64,
}

/// `path` made absolute (against the current directory) with `.` and
/// `..` resolved lexically.
pub fn normalize(path: &Path) -> Result<PathBuf> {
    let abs = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir()
            .context("current directory")?
            .join(path)
    };
    let mut out = PathBuf::from("/");
    for c in abs.components() {
        match c {
            Component::Normal(n) => out.push(n),
            Component::ParentDir => {
                out.pop();
            }
            _ => {}
        }
    }
    Ok(out)
}

fn join_match(parent: &[u8], name: &[u8]) -> Vec<u8> {
    let mut v = parent.to_vec();
    if v != b"/" {
        v.push(b'/');
    }
    v.extend_from_slice(name);
    v
}

struct Walk<'a> {
    m: &'a Matcher,
    opts: &'a Options,
    exclude: Vec<Vec<u8>>,
    out: &'a mut dyn Write,
    err: &'a mut dyn Write,
    sum: Summary,
}

impl Walk<'_> {
    fn visit(&mut self, fs_path: &Path, mpath: &[u8]) {
        if self.exclude.iter().any(|e| e.as_slice() == mpath) {
            return;
        }
        let meta = match std::fs::symlink_metadata(fs_path) {
            Ok(m) => m,
            Err(e) => {
                self.error(fs_path, &e.to_string());
                return;
            }
        };
        self.label(fs_path, mpath);
        if !meta.is_dir() {
            return;
        }
        let rd = match std::fs::read_dir(fs_path) {
            Ok(rd) => rd,
            Err(e) => {
                self.error(fs_path, &e.to_string());
                return;
            }
        };
        let mut names: Vec<OsString> = Vec::new();
        for ent in rd {
            match ent {
                Ok(ent) => names.push(ent.file_name()),
                Err(e) => self.error(fs_path, &e.to_string()),
            }
        }
        names.sort();
        for n in names {
            let child = fs_path.join(&n);
            let cm = join_match(mpath, n.as_bytes());
            self.visit(&child, &cm);
        }
    }

    fn label(&mut self, fs_path: &Path, mpath: &[u8]) {
        let Some(ty) = self.m.lookup(mpath) else {
            self.sum.unmatched += 1;
            return;
        };
        let old = match get_file_label(fs_path, false) {
            Ok(l) => l,
            Err(e) if e.raw_os_error() == Some(libc::EOPNOTSUPP) => None,
            Err(e) => {
                self.error(fs_path, &format!("cannot read label: {e}"));
                return;
            }
        };
        if old.as_deref() == Some(ty) {
            self.sum.unchanged += 1;
            return;
        }
        let old = old.unwrap_or_else(|| "<none>".to_string());
        if !self.opts.dry_run {
            if let Err(e) = set_file_label(fs_path, ty, false) {
                let msg = set_label_error(fs_path, ty, &e);
                self.sum.errors += 1;
                let _ = writeln!(self.err, "carapacectl: {msg}");
                return;
            }
        }
        self.sum.changed += 1;
        let verb = if self.opts.dry_run {
            "would relabel"
        } else {
            "relabelled"
        };
        let _ = writeln!(self.out, "{verb} {}: {old} -> {ty}", fs_path.display());
    }

    fn error(&mut self, p: &Path, msg: &str) {
        self.sum.errors += 1;
        let _ = writeln!(self.err, "carapacectl: {}: {msg}", p.display());
    }
}

/// Walks each of `roots` (paths as seen from the alternate root, if any)
/// and relabels per `m`. Changes go to `out`, per-file errors to `err`.
pub fn relabel(
    m: &Matcher,
    roots: &[PathBuf],
    opts: &Options,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<Summary> {
    let exclude = opts
        .exclude
        .iter()
        .map(|p| {
            let n = if opts.alt_root.is_some() {
                Path::new("/").join(p)
            } else {
                normalize(p)?
            };
            Ok(n.into_os_string().into_vec())
        })
        .collect::<Result<Vec<_>>>()?;
    let mut w = Walk {
        m,
        opts,
        exclude,
        out,
        err,
        sum: Summary::default(),
    };
    for root in roots {
        let (fs_path, mpath) = match &opts.alt_root {
            Some(alt) => {
                // Resolve the operand lexically inside the alternate root.
                let inner = {
                    let mut v = PathBuf::from("/");
                    for c in root.components() {
                        match c {
                            Component::Normal(n) => v.push(n),
                            Component::ParentDir => {
                                v.pop();
                            }
                            _ => {}
                        }
                    }
                    v
                };
                let rel = inner.strip_prefix("/").unwrap_or(&inner);
                let fs = if rel.as_os_str().is_empty() {
                    alt.clone()
                } else {
                    alt.join(rel)
                };
                (fs, inner)
            }
            None => {
                let n = normalize(root)?;
                (n.clone(), n)
            }
        };
        if let Err(e) = std::fs::symlink_metadata(&fs_path) {
            return Err(io::Error::new(e.kind(), format!("{}: {e}", fs_path.display())).into());
        }
        w.visit(&fs_path, mpath.as_os_str().as_bytes());
    }
    Ok(w.sum)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matcher(v: &[(Pattern, &str)]) -> Matcher {
        Matcher {
            entries: v
                .iter()
                .map(|(p, t)| {
                    let p = match p {
                        Pattern::Exact(e) => Pattern::Exact(e.clone()),
                        Pattern::Prefix(e) => Pattern::Prefix(e.clone()),
                        Pattern::Regex(r) => Pattern::Regex(r.clone()),
                    };
                    (p, t.to_string())
                })
                .collect(),
        }
    }

    #[test]
    fn first_match_wins() {
        let m = matcher(&[
            (Pattern::Exact(b"/usr/sbin/criu".to_vec()), "criu_exec_t"),
            (Pattern::Prefix(b"/tmp/".to_vec()), "tmp_t"),
            (
                Pattern::Regex(Regex::new("^(?:/(usr/)?s?bin/.*)$").unwrap()),
                "bin_t",
            ),
        ]);
        assert_eq!(m.lookup(b"/usr/sbin/criu"), Some("criu_exec_t"));
        assert_eq!(m.lookup(b"/usr/sbin/other"), Some("bin_t"));
        assert_eq!(m.lookup(b"/tmp/x"), Some("tmp_t"));
        assert_eq!(m.lookup(b"/tmp"), None);
        assert_eq!(m.lookup(b"/xbin/y"), None);
    }

    #[test]
    fn normalizes() {
        assert_eq!(
            normalize(Path::new("/a/./b/../c/")).unwrap(),
            Path::new("/a/c")
        );
        assert_eq!(normalize(Path::new("/..")).unwrap(), Path::new("/"));
        assert_eq!(join_match(b"/", b"x"), b"/x");
        assert_eq!(join_match(b"/a", b"x"), b"/a/x");
    }
}
