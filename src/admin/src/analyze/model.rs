// SPDX-License-Identifier: GPL-2.0

//! What the analyses read: one policy's classes, types, attributes, rules
//! and type transitions, from sources or from a binary, by index.
//!
//! Classes, types and the names in rules are the compiler's
//! ([`ClassDef`], [`TypeDef`], [`IdRef`], [`Target`]). Rules are kept as
//! written (a rule on an attribute stays one rule); [`TypeSet`]s expand
//! them when a question needs types.

use anyhow::{bail, Result};
pub use carapace_compiler::model::{ClassDef, IdRef, Target, TypeDef};
pub use carapace_compiler::syntax::AvKind;

/// Where a model came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Form {
    /// Policy sources, compiled: rules as written, with file and line.
    Source,
    /// A binary policy: rules merged per (source, target, class), `self`
    /// expanded, no neverallow rules, no lines.
    Binary,
}

impl Form {
    /// The word for it in reports.
    pub fn name(self) -> &'static str {
        match self {
            Form::Source => "source",
            Form::Binary => "binary",
        }
    }
}

/// A file and line of the policy sources.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Location {
    /// Index into [`Model::files`].
    pub file: u32,
    /// Line, from 1.
    pub line: u32,
}

/// An access vector rule for one class.
#[derive(Clone, Debug)]
pub struct Rule {
    /// allow, auditallow, dontaudit or neverallow.
    pub kind: AvKind,
    /// Sources.
    pub sources: Vec<IdRef>,
    /// Targets.
    pub targets: Vec<Target>,
    /// Class index.
    pub class: u32,
    /// Permission bits of the class.
    pub perms: u32,
    /// Where it is written (sources only).
    pub at: Option<Location>,
}

/// A type transition for one class.
#[derive(Clone, Debug)]
pub struct Transition {
    /// Sources.
    pub sources: Vec<IdRef>,
    /// Targets (the executable's type for class `process`).
    pub targets: Vec<IdRef>,
    /// Class index.
    pub class: u32,
    /// The new type.
    pub result: u32,
    /// Where it is written (sources only).
    pub at: Option<Location>,
}

/// A set of types, as a bitmap over type indexes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TypeSet(Vec<u64>);

impl TypeSet {
    /// The empty set over `ntypes` types.
    pub fn new(ntypes: usize) -> TypeSet {
        TypeSet(vec![0; ntypes.div_ceil(64)])
    }

    /// Adds type `t` (ignored if out of range).
    pub fn insert(&mut self, t: u32) {
        if let Some(w) = self.0.get_mut((t / 64) as usize) {
            *w |= 1 << (t % 64);
        }
    }

    /// Whether `t` is in the set.
    pub fn contains(&self, t: u32) -> bool {
        self.0
            .get((t / 64) as usize)
            .is_some_and(|w| w & (1 << (t % 64)) != 0)
    }

    /// Whether the sets share a type.
    pub fn intersects(&self, o: &TypeSet) -> bool {
        self.0.iter().zip(&o.0).any(|(a, b)| a & b != 0)
    }

    /// Adds every type of `o`.
    pub fn union_with(&mut self, o: &TypeSet) {
        for (a, b) in self.0.iter_mut().zip(&o.0) {
            *a |= b;
        }
    }

    /// Keeps only the types of `o` too.
    pub fn intersect_with(&mut self, o: &TypeSet) {
        for (a, b) in self.0.iter_mut().zip(&o.0) {
            *a &= b;
        }
    }

    /// Whether the set has no type.
    pub fn is_empty(&self) -> bool {
        self.0.iter().all(|&w| w == 0)
    }

    /// The types, ascending.
    pub fn iter(&self) -> impl Iterator<Item = u32> + '_ {
        self.0.iter().enumerate().flat_map(|(i, &w)| {
            (0..64u32)
                .filter(move |b| w & (1 << b) != 0)
                .map(move |b| i as u32 * 64 + b)
        })
    }
}

/// A policy as the analyses see it.
pub struct Model {
    /// The file it was read from, for messages.
    pub origin: String,
    /// Source or binary.
    pub form: Form,
    /// Source file names, indexed by [`Location::file`].
    pub files: Vec<String>,
    /// Classes.
    pub classes: Vec<ClassDef>,
    /// Types.
    pub types: Vec<TypeDef>,
    /// Attribute names.
    pub attributes: Vec<String>,
    /// The types of each attribute.
    pub members: Vec<TypeSet>,
    /// Access vector rules, in source (or binary) order.
    pub rules: Vec<Rule>,
    /// Type transitions, in source (or binary) order.
    pub transitions: Vec<Transition>,
}

/// The types of each of `nattrs` attributes, from the types' attributes.
pub fn attribute_members(types: &[TypeDef], nattrs: usize) -> Vec<TypeSet> {
    let mut members = vec![TypeSet::new(types.len()); nattrs];
    for (t, ty) in types.iter().enumerate() {
        for &a in &ty.attrs {
            if let Some(m) = members.get_mut(a as usize) {
                m.insert(t as u32);
            }
        }
    }
    members
}

impl Model {
    /// The type or attribute called `name` (a scan: a query names a few).
    pub fn id(&self, name: &str) -> Result<IdRef> {
        let ty = self.types.iter().position(|t| t.name == name);
        let id = match ty {
            Some(t) => IdRef::Type(t as u32),
            None => match self.attributes.iter().position(|a| a == name) {
                Some(a) => IdRef::Attr(a as u32),
                None => bail!("no type or attribute `{name}` in {}", self.origin),
            },
        };
        Ok(id)
    }

    /// The name of a type or attribute.
    pub fn id_name(&self, id: IdRef) -> &str {
        let name = match id {
            IdRef::Type(t) => self.types.get(t as usize).map(|t| t.name.as_str()),
            IdRef::Attr(a) => self.attributes.get(a as usize).map(String::as_str),
        };
        name.unwrap_or("?")
    }

    /// The name of type `t`.
    pub fn type_name(&self, t: u32) -> &str {
        self.id_name(IdRef::Type(t))
    }

    /// The name of a rule target.
    pub fn target_name(&self, t: Target) -> &str {
        match t {
            Target::Id(id) => self.id_name(id),
            Target::SelfRef => "self",
        }
    }

    /// The class called `name`, if the policy has it.
    pub fn class_index(&self, name: &str) -> Option<u32> {
        self.classes
            .iter()
            .position(|c| c.name == name)
            .map(|i| i as u32)
    }

    /// The class called `name`, or an error.
    pub fn class(&self, name: &str) -> Result<u32> {
        match self.class_index(name) {
            Some(c) => Ok(c),
            None => bail!("no class `{name}` in {}", self.origin),
        }
    }

    /// The name of class `c`.
    pub fn class_name(&self, c: u32) -> &str {
        self.classes
            .get(c as usize)
            .map_or("?", |c| c.name.as_str())
    }

    /// The bits of the permissions `names` of class `c`.
    pub fn perm_mask(&self, c: u32, names: &[String]) -> Result<u32> {
        let mut mask = 0u32;
        let Some(class) = self.classes.get(c as usize) else {
            return Ok(0);
        };
        for n in names {
            match class.perms.iter().position(|p| p == n) {
                Some(bit) => mask |= 1 << bit,
                None => bail!("no permission `{n}` in class `{}`", class.name),
            }
        }
        Ok(mask)
    }

    /// The names of the permissions in `mask` of class `c` (bits the
    /// class does not name as hex).
    pub fn perm_names(&self, c: u32, mask: u32) -> Vec<String> {
        let perms = self.classes.get(c as usize).map(|c| c.perms.as_slice());
        (0..32)
            .filter(|b| mask & (1u32 << b) != 0)
            .map(|b| match perms.and_then(|p| p.get(b)) {
                Some(n) => n.clone(),
                None => format!("{:#x}", 1u32 << b),
            })
            .collect()
    }

    /// All permission bits of class `c`.
    pub fn all_perms(&self, c: u32) -> u32 {
        let n = self.classes.get(c as usize).map_or(0, |c| c.perms.len());
        if n >= 32 {
            u32::MAX
        } else {
            (1u32 << n) - 1
        }
    }

    /// The types `id` stands for.
    pub fn type_set(&self, id: IdRef) -> TypeSet {
        match id {
            IdRef::Type(t) => {
                let mut s = TypeSet::new(self.types.len());
                s.insert(t);
                s
            }
            IdRef::Attr(a) => self
                .members
                .get(a as usize)
                .cloned()
                .unwrap_or_else(|| TypeSet::new(self.types.len())),
        }
    }

    /// Calls `f` with each type `ids` stand for (a type named twice, or
    /// through two attributes, more than once).
    pub fn each_type(&self, ids: &[IdRef], mut f: impl FnMut(u32)) {
        for &id in ids {
            match id {
                IdRef::Type(t) => f(t),
                IdRef::Attr(a) => {
                    if let Some(m) = self.members.get(a as usize) {
                        m.iter().for_each(&mut f);
                    }
                }
            }
        }
    }

    /// `file:line` of a location.
    pub fn location(&self, at: Location) -> String {
        let file = self.files.get(at.file as usize).map_or("?", String::as_str);
        format!("{file}:{}", at.line)
    }

    /// A rule as the policy language writes it, one class.
    pub fn rule_text(&self, r: &Rule) -> String {
        let sources: Vec<&str> = r.sources.iter().map(|&s| self.id_name(s)).collect();
        let targets: Vec<&str> = r.targets.iter().map(|&t| self.target_name(t)).collect();
        let perms = if r.perms == self.all_perms(r.class) {
            "*".to_string()
        } else {
            format!("{{ {} }}", self.perm_names(r.class, r.perms).join(" "))
        };
        format!(
            "{} {} {} : {} {perms};",
            r.kind.keyword(),
            name_set(&sources),
            name_set(&targets),
            self.class_name(r.class)
        )
    }

    /// A type transition as the policy language writes it, one class.
    pub fn transition_text(&self, t: &Transition) -> String {
        let sources: Vec<&str> = t.sources.iter().map(|&s| self.id_name(s)).collect();
        let targets: Vec<&str> = t.targets.iter().map(|&s| self.id_name(s)).collect();
        format!(
            "type_transition {} {} : {} {};",
            name_set(&sources),
            name_set(&targets),
            self.class_name(t.class),
            self.type_name(t.result)
        )
    }

    /// A rule with its location: `file:line: text` from sources, the text
    /// from a binary.
    pub fn located(&self, text: String, at: Option<Location>) -> String {
        match at {
            Some(at) => format!("{}: {text}", self.location(at)),
            None => text,
        }
    }

    /// A rule or transition as a JSON object: its text, file and line
    /// (null from a binary).
    pub fn located_json(&self, text: String, at: Option<Location>) -> serde_json::Value {
        let file = at.and_then(|a| self.files.get(a.file as usize));
        serde_json::json!({
            "rule": text,
            "file": file,
            "line": at.map(|a| a.line),
        })
    }
}

/// One name, or several in braces, as the policy language writes a set.
fn name_set(names: &[&str]) -> String {
    match names {
        [one] => (*one).to_string(),
        _ => format!("{{ {} }}", names.join(" ")),
    }
}
