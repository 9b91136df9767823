// SPDX-License-Identifier: GPL-2.0

//! A [`Model`] from policy sources (compiled with the compiler's library)
//! or from a binary policy (validated with the core's parser, then read
//! section by section as Documentation/policy-format.rst lays it out).

use std::path::Path;

use anyhow::{bail, Context, Result};
use carapace_core::policy::format::{
    CLASS_SIZE, HDR_NTYPES, HDR_SECTIONS, ID_PERMISSIVE, ID_SIZE, PERM_SIZE, POLICY_MAGIC,
    RULE_SIZE, SEC_ATTRS, SEC_CLASSES, SEC_IDS, SEC_PERMS, SEC_RULEIDX, SEC_RULES, SEC_STRINGS,
    SEC_TRANS, TRANS_SIZE,
};
use codespan_reporting::files::Files;

use super::model::{attribute_members, AvKind, ClassDef, Form, IdRef, Location, Model, Rule};
use super::model::{Target, Transition, TypeDef};
use crate::PolicyBuf;

/// The policy in `path`: a binary policy if it starts with the policy
/// magic, else policy sources (the file and what it includes).
pub fn load(path: &Path) -> Result<Model> {
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    if bytes.starts_with(&POLICY_MAGIC.to_le_bytes()) {
        let buf = PolicyBuf::new(bytes, path.display().to_string())?;
        Ok(from_binary(&buf))
    } else {
        from_sources(path)
    }
}

/// Compiles the sources `path` (as carapacec does) into a model.
pub fn from_sources(path: &Path) -> Result<Model> {
    let origin = path.display().to_string();
    let out = match carapace_compiler::compile_paths(&[path]) {
        Ok(out) => out,
        Err(e) => bail!("policy sources {origin} do not compile:\n{}", e.render()),
    };
    let files = &out.files;
    let names: Vec<String> = (0..).map_while(|i| files.name(i).ok()).collect();
    let p = &out.policy;
    let at = |span: carapace_compiler::syntax::Span| {
        files
            .location(span.file_id(), span.start as usize)
            .ok()
            .map(|l| Location {
                file: span.file,
                line: l.line_number as u32,
            })
    };
    let rules = p
        .rules
        .iter()
        .map(|r| Rule {
            kind: r.kind,
            sources: r.sources.to_vec(),
            targets: r.targets.to_vec(),
            class: r.class,
            perms: r.perms,
            at: at(r.span),
        })
        .collect();
    let transitions = p
        .transitions
        .iter()
        .map(|t| Transition {
            sources: t.sources.to_vec(),
            targets: t.targets.to_vec(),
            class: t.class,
            result: t.result,
            at: at(t.span),
        })
        .collect();
    Ok(Model {
        origin,
        form: Form::Source,
        files: names,
        classes: p
            .classes
            .iter()
            .map(|c| ClassDef {
                name: c.name.clone(),
                perms: c.perms.clone(),
            })
            .collect(),
        members: attribute_members(&p.types, p.attributes.len()),
        types: p.types.clone(),
        attributes: p.attributes.clone(),
        rules,
        transitions,
    })
}

/// One section of a validated binary policy, as entries of `u32` fields.
struct Section<'a> {
    data: &'a [u8],
    entry_size: usize,
}

impl<'a> Section<'a> {
    /// Section `sec` of `data`; entries of `entry_size` bytes.
    fn of(data: &'a [u8], sec: usize, entry_size: usize) -> Section<'a> {
        let dir = HDR_SECTIONS + sec * 8;
        let (off, len) = (word(data, dir) as usize, word(data, dir + 4) as usize);
        Section {
            data: data.get(off..off.saturating_add(len)).unwrap_or(&[]),
            entry_size,
        }
    }

    fn len(&self) -> usize {
        self.data.len() / self.entry_size
    }

    /// Field `f` of entry `i`.
    fn get(&self, i: usize, f: usize) -> u32 {
        word(self.data, i * self.entry_size + f * 4)
    }

    /// The string named by fields `f` (offset) and `f + 1` (length) of
    /// entry `i`.
    fn name(&self, strings: &[u8], i: usize, f: usize) -> String {
        let (off, len) = (self.get(i, f) as usize, self.get(i, f + 1) as usize);
        let bytes = strings.get(off..off.saturating_add(len)).unwrap_or(&[]);
        String::from_utf8_lossy(bytes).into_owned()
    }
}

/// The little-endian `u32` at `off`, 0 past the end (the policy was
/// validated: every offset read here is in range).
fn word(data: &[u8], off: usize) -> u32 {
    match data.get(off..off.saturating_add(4)) {
        Some(&[a, b, c, d]) => u32::from_le_bytes([a, b, c, d]),
        _ => 0,
    }
}

/// The model of a validated binary policy: each entry of the rule table
/// becomes up to three rules (allow, auditallow, dontaudit).
pub fn from_binary(buf: &PolicyBuf) -> Model {
    let data = buf.bytes();
    let strings = Section::of(data, SEC_STRINGS, 4).data;
    let ntypes = word(data, HDR_NTYPES);
    let id_of = |i: u32| {
        if i < ntypes {
            IdRef::Type(i)
        } else {
            IdRef::Attr(i - ntypes)
        }
    };
    let cls = Section::of(data, SEC_CLASSES, CLASS_SIZE);
    let perms = Section::of(data, SEC_PERMS, PERM_SIZE);
    let classes = (0..cls.len())
        .map(|c| {
            let (start, count) = (cls.get(c, 2) as usize, cls.get(c, 3) as usize);
            ClassDef {
                name: cls.name(strings, c, 0),
                perms: (start..start + count)
                    .map(|p| perms.name(strings, p, 0))
                    .collect(),
            }
        })
        .collect();
    let ids = Section::of(data, SEC_IDS, ID_SIZE);
    let attr_lists = Section::of(data, SEC_ATTRS, 4);
    let mut types = Vec::with_capacity(ntypes as usize);
    let mut attributes = Vec::new();
    for i in 0..ids.len() {
        let name = ids.name(strings, i, 0);
        if (i as u32) < ntypes {
            let (start, count) = (ids.get(i, 3) as usize, ids.get(i, 4) as usize);
            types.push(TypeDef {
                name,
                attrs: (start..start + count)
                    .map(|k| attr_lists.get(k, 0).saturating_sub(ntypes))
                    .collect(),
                permissive: ids.get(i, 2) & ID_PERMISSIVE != 0,
            });
        } else {
            attributes.push(name);
        }
    }
    let ruleidx = Section::of(data, SEC_RULEIDX, 4);
    let table = Section::of(data, SEC_RULES, RULE_SIZE);
    let mut rules = Vec::with_capacity(table.len());
    for src in 0..ruleidx.len().saturating_sub(1) {
        let (lo, hi) = (
            ruleidx.get(src, 0) as usize,
            ruleidx.get(src + 1, 0) as usize,
        );
        for r in lo..hi {
            let kinds = [
                (AvKind::Allow, 2),
                (AvKind::AuditAllow, 3),
                (AvKind::DontAudit, 4),
            ];
            for (kind, field) in kinds {
                let perms = table.get(r, field);
                if perms != 0 {
                    rules.push(Rule {
                        kind,
                        sources: vec![id_of(src as u32)],
                        targets: vec![Target::Id(id_of(table.get(r, 0)))],
                        class: table.get(r, 1),
                        perms,
                        at: None,
                    });
                }
            }
        }
    }
    let trans = Section::of(data, SEC_TRANS, TRANS_SIZE);
    let transitions = (0..trans.len())
        .map(|i| Transition {
            sources: vec![IdRef::Type(trans.get(i, 0))],
            targets: vec![IdRef::Type(trans.get(i, 1))],
            class: trans.get(i, 2),
            result: trans.get(i, 3),
            at: None,
        })
        .collect();
    Model {
        origin: buf.origin.clone(),
        form: Form::Binary,
        files: Vec::new(),
        classes,
        members: attribute_members(&types, attributes.len()),
        types,
        attributes,
        rules,
        transitions,
    }
}
