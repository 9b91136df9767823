// SPDX-License-Identifier: GPL-2.0

//! The `neverallow` rules of policy sources that a suggested `allow` rule
//! would break, found by compiling the sources (for `explain`).

use std::path::{Path, PathBuf};

use anyhow::{bail, Result};
use carapace_compiler::model::{IdRef, Target};
use carapace_compiler::syntax::AvKind;
use carapace_compiler::Output;
use codespan_reporting::files::Files;

use crate::explain::Group;

/// Default policy sources: where the VM root (and an installation like
/// it) keeps the sources of the policy it loads at boot.
pub const POLICY_SOURCE_DEFAULT: &str = "/etc/carapace/src/main.cpol";

/// Compiled policy sources.
pub struct Sources {
    out: Output,
    /// The files given, for messages.
    pub origin: String,
}

/// One neverallow a rule would break.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Conflict {
    /// Source file of the neverallow.
    pub file: String,
    /// Its line, from 1.
    pub line: usize,
    /// The statement as written, on one line.
    pub text: String,
}

impl Sources {
    /// Compiles `paths` as one policy (as carapacec does).
    pub fn compile(paths: &[PathBuf]) -> Result<Sources> {
        let origin = paths
            .iter()
            .map(|p| p.display().to_string())
            .collect::<Vec<_>>()
            .join(" ");
        match carapace_compiler::compile_paths(paths) {
            Ok(out) => Ok(Sources { out, origin }),
            Err(e) => bail!("policy sources {origin} do not compile:\n{}", e.render()),
        }
    }

    /// The sources to use: `given`, else [`POLICY_SOURCE_DEFAULT`] if it
    /// exists, else none.
    pub fn find(given: &[PathBuf]) -> Result<Option<Sources>> {
        if !given.is_empty() {
            return Sources::compile(given).map(Some);
        }
        let default = Path::new(POLICY_SOURCE_DEFAULT);
        if default.exists() {
            return Sources::compile(&[default.to_path_buf()]).map(Some);
        }
        Ok(None)
    }

    /// The binary policy the sources compile to.
    pub fn binary(&self) -> &[u8] {
        &self.out.binary
    }

    /// The neverallow rules that `allow g.scontext g.tcontext : g.tclass
    /// { g.perms }` would break. Types, classes or permissions the
    /// sources do not know break nothing (the rule would not compile for
    /// another reason).
    pub fn conflicts(&self, g: &Group) -> Vec<Conflict> {
        let p = &self.out.policy;
        let ty = |n: &str| p.types.iter().position(|t| t.name == n).map(|i| i as u32);
        let (Some(s), Some(t)) = (ty(&g.scontext), ty(&g.tcontext)) else {
            return Vec::new();
        };
        let Some(class) = p.classes.iter().position(|c| c.name == g.tclass) else {
            return Vec::new();
        };
        let mask = g
            .perms
            .iter()
            .filter_map(|n| p.classes[class].perms.iter().position(|x| x == n))
            .fold(0u32, |m, b| m | 1 << b);
        let in_set = |t: u32, set: &[IdRef]| set.iter().any(|&r| p.type_in(t, r));
        let mut out = Vec::new();
        for r in &p.rules {
            if r.kind != AvKind::NeverAllow || r.class as usize != class || r.perms & mask == 0 {
                continue;
            }
            let target = r.targets.iter().any(|x| match x {
                Target::Id(id) => p.type_in(t, *id),
                Target::SelfRef => s == t,
            });
            if !in_set(s, &r.sources) || !target {
                continue;
            }
            let files = &self.out.files;
            let file = files.name(r.span.file_id()).unwrap_or_default();
            let line = files
                .location(r.span.file_id(), r.span.start as usize)
                .map_or(0, |l| l.line_number);
            let text = files
                .source(r.span.file_id())
                .ok()
                .and_then(|src| src.get(r.span.range()).map(str::to_string))
                .unwrap_or_default()
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ");
            let c = Conflict { file, line, text };
            if !out.contains(&c) {
                out.push(c);
            }
        }
        out
    }
}

impl std::fmt::Display for Conflict {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}: {}", self.file, self.line, self.text)
    }
}
