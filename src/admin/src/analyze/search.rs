// SPDX-License-Identifier: GPL-2.0

//! `analyze search`: the rules that match a source, target, class and
//! permissions, as sesearch finds them by default: a name stands for its
//! types, so a type matches the rules on its attributes, and an attribute
//! the rules on itself, on its types and on attributes that share a type
//! with it.

use anyhow::Result;

use super::model::{AvKind, IdRef, Model, Rule, Target, TypeSet};

/// What to look for; `None` and empty lists match everything.
#[derive(Clone, Debug, Default)]
pub struct Query {
    /// Source type or attribute.
    pub source: Option<String>,
    /// Target type or attribute.
    pub target: Option<String>,
    /// Class.
    pub class: Option<String>,
    /// Permissions: a rule matches if it has any of them.
    pub perms: Vec<String>,
    /// Kinds of rule.
    pub kinds: Vec<AvKind>,
}

/// A resolved side (source or target) of a query: its types, and which
/// attributes share one of them.
struct Side {
    types: TypeSet,
    attrs: Vec<bool>,
}

impl Side {
    fn new(m: &Model, name: &str) -> Result<Side> {
        let types = m.type_set(m.id(name)?);
        let attrs = m.members.iter().map(|a| a.intersects(&types)).collect();
        Ok(Side { types, attrs })
    }

    /// Whether one of `ids` stands for a type of this side.
    fn hits(&self, ids: &[IdRef]) -> bool {
        ids.iter().any(|&id| match id {
            IdRef::Type(t) => self.types.contains(t),
            IdRef::Attr(a) => self.attrs.get(a as usize).copied().unwrap_or(false),
        })
    }
}

/// The rules of `m` that `q` matches, in policy order.
pub fn search<'m>(m: &'m Model, q: &Query) -> Result<Vec<&'m Rule>> {
    let source = q.source.as_deref().map(|s| Side::new(m, s)).transpose()?;
    let target = q.target.as_deref().map(|t| Side::new(m, t)).transpose()?;
    let class = match &q.class {
        Some(c) => Some(m.class(c)?),
        None => None,
    };
    let perms = match class {
        Some(c) if !q.perms.is_empty() => Some(m.perm_mask(c, &q.perms)?),
        _ => None,
    };
    let wanted = |r: &Rule| {
        if !q.kinds.is_empty() && !q.kinds.contains(&r.kind) {
            return false;
        }
        if class.is_some_and(|c| c != r.class) {
            return false;
        }
        let perms_ok = match perms {
            Some(mask) => r.perms & mask != 0,
            // Permissions without a class: by name, in any class.
            None if !q.perms.is_empty() => m
                .perm_names(r.class, r.perms)
                .iter()
                .any(|p| q.perms.contains(p)),
            None => true,
        };
        if !perms_ok || !source.as_ref().is_none_or(|s| s.hits(&r.sources)) {
            return false;
        }
        let Some(t) = &target else {
            return true;
        };
        r.targets.iter().any(|&x| match x {
            Target::Id(id) => t.hits(&[id]),
            Target::SelfRef => self_hits(m, r, source.as_ref(), t),
        })
    };
    Ok(m.rules.iter().filter(|r| wanted(r)).collect())
}

/// Whether `self` in rule `r` stands for a type of `target` (and of
/// `source`, if given): a source type of the rule in both.
fn self_hits(m: &Model, r: &Rule, source: Option<&Side>, target: &Side) -> bool {
    let mut both = target.types.clone();
    if let Some(s) = source {
        both.intersect_with(&s.types);
    }
    r.sources.iter().any(|&id| m.type_set(id).intersects(&both))
}

/// The matches as text, one rule a line, `file:line: ` before each from
/// sources.
pub fn text(m: &Model, rules: &[&Rule]) -> String {
    let mut out = String::new();
    for r in rules {
        out.push_str(&m.located(m.rule_text(r), r.at));
        out.push('\n');
    }
    out
}

/// The matches as JSON: `policy`, `form` and `rules`, each rule with its
/// kind, sources, targets, class, permissions, text, file and line.
pub fn json(m: &Model, rules: &[&Rule]) -> serde_json::Value {
    let rules: Vec<serde_json::Value> = rules
        .iter()
        .map(|r| {
            let mut v = m.located_json(m.rule_text(r), r.at);
            v["kind"] = r.kind.keyword().into();
            v["sources"] = r.sources.iter().map(|&s| m.id_name(s)).collect();
            v["targets"] = r.targets.iter().map(|&t| m.target_name(t)).collect();
            v["class"] = m.class_name(r.class).into();
            v["perms"] = m.perm_names(r.class, r.perms).into();
            v
        })
        .collect();
    serde_json::json!({ "policy": m.origin, "form": m.form.name(), "rules": rules })
}
