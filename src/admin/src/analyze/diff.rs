// SPDX-License-Identifier: GPL-2.0

//! `analyze diff`: what changed from one policy to another, by name, as
//! sediff reports it: types, permissive types, attributes and their
//! members, rules per (kind, source, target, class) with the permissions
//! added and removed, and type transitions added, removed or given
//! another result.
//!
//! Rules are compared as written: a rule on an attribute is keyed by the
//! attribute, several rules on one key are merged. Compare two sources
//! or two binaries (a binary has `self` expanded and no neverallow).

use std::collections::{BTreeMap, BTreeSet};

use super::model::{IdRef, Model};

/// A rule key: kind, source, target and class names.
type RuleKey<'m> = (&'static str, &'m str, &'m str, &'m str);
/// A transition key: source, target and class names.
type TransKey<'m> = (&'m str, &'m str, &'m str);

/// Names added and removed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Change<'m> {
    /// In the new policy only.
    pub added: Vec<&'m str>,
    /// In the old policy only.
    pub removed: Vec<&'m str>,
}

impl<'m> Change<'m> {
    /// The difference between two sets of names.
    fn of(old: &BTreeSet<&'m str>, new: &BTreeSet<&'m str>) -> Change<'m> {
        Change {
            added: new.difference(old).copied().collect(),
            removed: old.difference(new).copied().collect(),
        }
    }

    fn is_empty(&self) -> bool {
        self.added.is_empty() && self.removed.is_empty()
    }
}

/// A rule in one policy only, or in both with other permissions.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RuleChange<'m> {
    /// Kind, source, target, class.
    pub key: RuleKey<'m>,
    /// Permissions in both.
    pub kept: Vec<&'m str>,
    /// Permissions in the new policy only.
    pub perms: Change<'m>,
}

/// A transition in one policy only, or with another result.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TransChange<'m> {
    /// Source, target, class.
    pub key: TransKey<'m>,
    /// The result in the old policy.
    pub old: Option<&'m str>,
    /// The result in the new policy.
    pub new: Option<&'m str>,
}

/// Everything that differs.
#[derive(Clone, Debug, Default)]
pub struct Diff<'m> {
    /// Types.
    pub types: Change<'m>,
    /// Permissive types.
    pub permissive: Change<'m>,
    /// Attributes.
    pub attributes: Change<'m>,
    /// Members added to and removed from the attributes of both.
    pub members: Vec<(&'m str, Change<'m>)>,
    /// Rules.
    pub rules: Vec<RuleChange<'m>>,
    /// Type transitions.
    pub transitions: Vec<TransChange<'m>>,
}

/// The rules of `m` by key, sorted, with their class and permissions
/// merged.
fn rule_list(m: &Model) -> Vec<(RuleKey<'_>, u32, u32)> {
    let mut v = Vec::with_capacity(m.rules.len());
    for r in &m.rules {
        let class = m.class_name(r.class);
        for &s in &r.sources {
            for &t in &r.targets {
                let key = (r.kind.keyword(), m.id_name(s), m.target_name(t), class);
                v.push((key, r.class, r.perms));
            }
        }
    }
    v.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    let mut merged: Vec<(RuleKey<'_>, u32, u32)> = Vec::with_capacity(v.len());
    for (k, c, p) in v {
        match merged.last_mut() {
            Some(last) if last.0 == k => last.2 |= p,
            _ => merged.push((k, c, p)),
        }
    }
    merged
}

/// The names of the permissions `mask` of class `c` of `m`.
fn perm_set(m: &Model, c: u32, mask: u32) -> BTreeSet<&str> {
    m.classes.get(c as usize).map_or(BTreeSet::new(), |cl| {
        (0..32usize)
            .filter(|b| mask & (1u32 << b) != 0)
            .filter_map(|b| cl.perms.get(b).map(String::as_str))
            .collect()
    })
}

/// The transitions of `m` by key, with their results.
fn transition_map(m: &Model) -> BTreeMap<TransKey<'_>, &str> {
    let mut map = BTreeMap::new();
    for t in &m.transitions {
        for &s in &t.sources {
            for &x in &t.targets {
                let key = (m.id_name(s), m.id_name(x), m.class_name(t.class));
                map.entry(key).or_insert(m.type_name(t.result));
            }
        }
    }
    map
}

fn names<'m>(it: impl Iterator<Item = &'m str>) -> BTreeSet<&'m str> {
    it.collect()
}

/// The types of attribute `a` of `m`, by name.
fn member_names(m: &Model, a: u32) -> BTreeSet<&str> {
    m.type_set(IdRef::Attr(a))
        .iter()
        .map(|t| m.type_name(t))
        .collect()
}

/// Compares `old` with `new`.
pub fn diff<'m>(old: &'m Model, new: &'m Model) -> Diff<'m> {
    let types = |m: &'m Model| names(m.types.iter().map(|t| t.name.as_str()));
    let permissive = |m: &'m Model| {
        names(
            m.types
                .iter()
                .filter(|t| t.permissive)
                .map(|t| t.name.as_str()),
        )
    };
    let attrs = |m: &'m Model| names(m.attributes.iter().map(String::as_str));
    let mut d = Diff {
        types: Change::of(&types(old), &types(new)),
        permissive: Change::of(&permissive(old), &permissive(new)),
        attributes: Change::of(&attrs(old), &attrs(new)),
        ..Diff::default()
    };
    let mut shared: Vec<(&str, u32, u32)> = Vec::new();
    for (a, name) in old.attributes.iter().enumerate() {
        if let Some(b) = new.attributes.iter().position(|n| n == name) {
            shared.push((name.as_str(), a as u32, b as u32));
        }
    }
    shared.sort();
    for (name, a, b) in shared {
        let c = Change::of(&member_names(old, a), &member_names(new, b));
        if !c.is_empty() {
            d.members.push((name, c));
        }
    }
    d.rules = rule_changes(old, new);
    let (ot, nt) = (transition_map(old), transition_map(new));
    let keys: BTreeSet<&TransKey<'m>> = ot.keys().chain(nt.keys()).collect();
    for k in keys {
        let (o, n) = (ot.get(k).copied(), nt.get(k).copied());
        if o != n {
            d.transitions.push(TransChange {
                key: *k,
                old: o,
                new: n,
            });
        }
    }
    d
}

/// The rules that differ, by key: a merge of the two sorted lists,
/// permissions compared by bits where both classes name them alike.
fn rule_changes<'m>(old: &'m Model, new: &'m Model) -> Vec<RuleChange<'m>> {
    let same_perms = |c: u32, d: u32| {
        let perms = |m: &'m Model, c: u32| m.classes.get(c as usize).map(|x| &x.perms);
        perms(old, c) == perms(new, d)
    };
    let (a, b) = (rule_list(old), rule_list(new));
    let (mut i, mut j) = (0, 0);
    let mut out = Vec::new();
    let mut change = |key, o: BTreeSet<&'m str>, n: BTreeSet<&'m str>| {
        if o != n {
            out.push(RuleChange {
                key,
                kept: o.intersection(&n).copied().collect(),
                perms: Change::of(&o, &n),
            });
        }
    };
    loop {
        match (a.get(i), b.get(j)) {
            (Some(&(k, c, p)), Some(&(l, d, q))) if k == l => {
                if !(p == q && same_perms(c, d)) {
                    change(k, perm_set(old, c, p), perm_set(new, d, q));
                }
                i += 1;
                j += 1;
            }
            (Some(&(k, c, p)), Some(&(l, _, _))) if k < l => {
                change(k, perm_set(old, c, p), BTreeSet::new());
                i += 1;
            }
            (Some(&(k, c, p)), None) => {
                change(k, perm_set(old, c, p), BTreeSet::new());
                i += 1;
            }
            (_, Some(&(l, d, q))) => {
                change(l, BTreeSet::new(), perm_set(new, d, q));
                j += 1;
            }
            (None, None) => break,
        }
    }
    out
}

impl RuleChange<'_> {
    /// `+` added, `-` removed, `*` changed.
    fn mark(&self) -> char {
        match (self.kept.is_empty(), &self.perms) {
            (true, p) if p.removed.is_empty() => '+',
            (true, p) if p.added.is_empty() => '-',
            _ => '*',
        }
    }

    /// The rule, with `+`/`-` before the permissions of a changed one.
    fn text(&self) -> String {
        let (kind, s, t, c) = self.key;
        let mut perms: Vec<String> = self.kept.iter().map(|p| p.to_string()).collect();
        let changed = self.mark() == '*';
        let sign = |p: &str, c: char| {
            if changed {
                format!("{c}{p}")
            } else {
                p.to_string()
            }
        };
        perms.extend(self.perms.added.iter().map(|p| sign(p, '+')));
        perms.extend(self.perms.removed.iter().map(|p| sign(p, '-')));
        format!("{kind} {s} {t} : {c} {{ {} }};", perms.join(" "))
    }
}

impl TransChange<'_> {
    fn mark(&self) -> char {
        match (self.old, self.new) {
            (None, _) => '+',
            (_, None) => '-',
            _ => '*',
        }
    }

    fn text(&self) -> String {
        let (s, t, c) = self.key;
        let result = match (self.old, self.new) {
            (Some(o), Some(n)) => format!("{o} -> {n}"),
            (Some(r), None) | (None, Some(r)) => r.to_string(),
            (None, None) => String::new(),
        };
        format!("type_transition {s} {t} : {c} {result};")
    }
}

impl Diff<'_> {
    /// Whether the policies are the same by every measure above.
    pub fn is_empty(&self) -> bool {
        self.types.is_empty()
            && self.permissive.is_empty()
            && self.attributes.is_empty()
            && self.members.is_empty()
            && self.rules.is_empty()
            && self.transitions.is_empty()
    }

    /// The report: a section per kind of change that has any, with its
    /// counts, `+` added, `-` removed, `*` changed.
    pub fn text(&self) -> String {
        let mut out = String::new();
        let names = |out: &mut String, title: &str, c: &Change<'_>| {
            if c.is_empty() {
                return;
            }
            out.push_str(&format!(
                "{title}: {} added, {} removed\n",
                c.added.len(),
                c.removed.len()
            ));
            for n in &c.added {
                out.push_str(&format!("  + {n}\n"));
            }
            for n in &c.removed {
                out.push_str(&format!("  - {n}\n"));
            }
        };
        names(&mut out, "Types", &self.types);
        names(&mut out, "Permissive types", &self.permissive);
        names(&mut out, "Attributes", &self.attributes);
        if !self.members.is_empty() {
            out.push_str(&format!(
                "Attribute members: {} changed\n",
                self.members.len()
            ));
            for (a, c) in &self.members {
                let mut v: Vec<String> = c.added.iter().map(|t| format!("+{t}")).collect();
                v.extend(c.removed.iter().map(|t| format!("-{t}")));
                out.push_str(&format!("  * {a}: {}\n", v.join(" ")));
            }
        }
        let counts = |marks: &[char]| {
            let n = |c: char| marks.iter().filter(|&&m| m == c).count();
            format!("{} added, {} removed, {} changed", n('+'), n('-'), n('*'))
        };
        if !self.rules.is_empty() {
            let marks: Vec<char> = self.rules.iter().map(RuleChange::mark).collect();
            out.push_str(&format!("Rules: {}\n", counts(&marks)));
            for r in &self.rules {
                out.push_str(&format!("  {} {}\n", r.mark(), r.text()));
            }
        }
        if !self.transitions.is_empty() {
            let marks: Vec<char> = self.transitions.iter().map(TransChange::mark).collect();
            out.push_str(&format!("Type transitions: {}\n", counts(&marks)));
            for t in &self.transitions {
                out.push_str(&format!("  {} {}\n", t.mark(), t.text()));
            }
        }
        out
    }

    /// The report as JSON: `types`, `permissive`, `attributes` (each
    /// `added` and `removed`), `members` (per attribute), `rules` (kind,
    /// source, target, class, permissions kept, added and removed) and
    /// `transitions` (source, target, class, old and new result).
    pub fn json(&self) -> serde_json::Value {
        let change = |c: &Change<'_>| serde_json::json!({ "added": c.added, "removed": c.removed });
        let members: serde_json::Map<String, serde_json::Value> = self
            .members
            .iter()
            .map(|(a, c)| (a.to_string(), change(c)))
            .collect();
        let rules: Vec<serde_json::Value> = self
            .rules
            .iter()
            .map(|r| {
                let (kind, s, t, c) = r.key;
                serde_json::json!({
                    "kind": kind, "source": s, "target": t, "class": c,
                    "kept": r.kept, "added": r.perms.added, "removed": r.perms.removed,
                })
            })
            .collect();
        let transitions: Vec<serde_json::Value> = self
            .transitions
            .iter()
            .map(|t| {
                let (s, x, c) = t.key;
                serde_json::json!({
                    "source": s, "target": x, "class": c, "old": t.old, "new": t.new,
                })
            })
            .collect();
        serde_json::json!({
            "types": change(&self.types),
            "permissive": change(&self.permissive),
            "attributes": change(&self.attributes),
            "members": members,
            "rules": rules,
            "transitions": transitions,
        })
    }
}
