// SPDX-License-Identifier: GPL-2.0

//! What the analyses read: one policy's classes, types, attributes, rules
//! and type transitions, from sources or from a binary, by index.
//!
//! Rules are kept as written (a rule on an attribute stays one rule);
//! [`TypeSet`]s expand them when a question needs types.

use std::collections::HashMap;

use anyhow::{bail, Result};
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

/// A class and its permission names (index = bit).
#[derive(Clone, Debug)]
pub struct Class {
    /// Name.
    pub name: String,
    /// Permission names in bit order.
    pub perms: Vec<String>,
}

/// A type.
#[derive(Clone, Debug)]
pub struct TypeInfo {
    /// Name.
    pub name: String,
    /// Its attributes (indexes into [`Model::attributes`]), ascending.
    pub attrs: Vec<u32>,
    /// Declared permissive.
    pub permissive: bool,
}

/// A type or an attribute, as a rule names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Id {
    /// Type index.
    Type(u32),
    /// Attribute index.
    Attr(u32),
}

/// The target of a rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RuleTarget {
    /// A type or an attribute.
    Id(Id),
    /// `self`: each source type acting on itself.
    SelfRef,
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
    pub sources: Vec<Id>,
    /// Targets.
    pub targets: Vec<RuleTarget>,
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
    pub sources: Vec<Id>,
    /// Targets (the executable's type for class `process`).
    pub targets: Vec<Id>,
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
    pub classes: Vec<Class>,
    /// Types.
    pub types: Vec<TypeInfo>,
    /// Attribute names.
    pub attributes: Vec<String>,
    /// The types of each attribute.
    pub members: Vec<TypeSet>,
    /// Access vector rules, in source (or binary) order.
    pub rules: Vec<Rule>,
    /// Type transitions, in source (or binary) order.
    pub transitions: Vec<Transition>,
    names: HashMap<String, Id>,
}

/// What a model is made of; [`Model::new`] derives the rest.
pub struct Parts {
    /// See [`Model::origin`].
    pub origin: String,
    /// See [`Model::form`].
    pub form: Form,
    /// See [`Model::files`].
    pub files: Vec<String>,
    /// See [`Model::classes`].
    pub classes: Vec<Class>,
    /// See [`Model::types`].
    pub types: Vec<TypeInfo>,
    /// See [`Model::attributes`].
    pub attributes: Vec<String>,
    /// See [`Model::rules`].
    pub rules: Vec<Rule>,
    /// See [`Model::transitions`].
    pub transitions: Vec<Transition>,
}

impl Model {
    /// A model of these parts, with the attribute members and the name
    /// index derived from them.
    pub fn new(p: Parts) -> Model {
        let Parts {
            origin,
            form,
            files,
            classes,
            types,
            attributes,
            rules,
            transitions,
        } = p;
        let mut members = vec![TypeSet::new(types.len()); attributes.len()];
        for (t, ty) in types.iter().enumerate() {
            for &a in &ty.attrs {
                if let Some(m) = members.get_mut(a as usize) {
                    m.insert(t as u32);
                }
            }
        }
        let mut names = HashMap::with_capacity(types.len() + attributes.len());
        for (i, t) in types.iter().enumerate() {
            names.insert(t.name.clone(), Id::Type(i as u32));
        }
        for (i, a) in attributes.iter().enumerate() {
            names.insert(a.clone(), Id::Attr(i as u32));
        }
        Model {
            origin,
            form,
            files,
            classes,
            types,
            attributes,
            members,
            rules,
            transitions,
            names,
        }
    }

    /// The type or attribute called `name`.
    pub fn id(&self, name: &str) -> Result<Id> {
        match self.names.get(name) {
            Some(&id) => Ok(id),
            None => bail!("no type or attribute `{name}` in {}", self.origin),
        }
    }

    /// The name of a type or attribute.
    pub fn id_name(&self, id: Id) -> &str {
        let name = match id {
            Id::Type(t) => self.types.get(t as usize).map(|t| t.name.as_str()),
            Id::Attr(a) => self.attributes.get(a as usize).map(String::as_str),
        };
        name.unwrap_or("?")
    }

    /// The name of type `t`.
    pub fn type_name(&self, t: u32) -> &str {
        self.id_name(Id::Type(t))
    }

    /// The name of a rule target.
    pub fn target_name(&self, t: RuleTarget) -> &str {
        match t {
            RuleTarget::Id(id) => self.id_name(id),
            RuleTarget::SelfRef => "self",
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
    pub fn type_set(&self, id: Id) -> TypeSet {
        match id {
            Id::Type(t) => {
                let mut s = TypeSet::new(self.types.len());
                s.insert(t);
                s
            }
            Id::Attr(a) => self
                .members
                .get(a as usize)
                .cloned()
                .unwrap_or_else(|| TypeSet::new(self.types.len())),
        }
    }

    /// Calls `f` with each type `ids` stand for (a type named twice, or
    /// through two attributes, more than once).
    pub fn each_type(&self, ids: &[Id], mut f: impl FnMut(u32)) {
        for &id in ids {
            match id {
                Id::Type(t) => f(t),
                Id::Attr(a) => {
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
