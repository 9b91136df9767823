// SPDX-License-Identifier: GPL-2.0

//! `analyze info`: what a policy holds, counted, as seinfo. Rules are
//! counted as the model keeps them: from sources one per statement and
//! class, from a binary one per (source, target, class) and kind.

use super::model::{AvKind, Model};

const KINDS: [AvKind; 4] = [
    AvKind::Allow,
    AvKind::AuditAllow,
    AvKind::DontAudit,
    AvKind::NeverAllow,
];

/// The counts of one class.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ClassCounts {
    /// Class name.
    pub name: String,
    /// Permissions the class has.
    pub perms: usize,
    /// Rules of each kind, in [`KINDS`] order.
    pub rules: [usize; 4],
    /// Type transitions.
    pub transitions: usize,
}

/// The counts of a policy.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Info {
    /// Classes.
    pub classes: usize,
    /// Permissions of all classes.
    pub perms: usize,
    /// Types.
    pub types: usize,
    /// Permissive types.
    pub permissive: usize,
    /// Attributes.
    pub attributes: usize,
    /// Rules of each kind, in [`KINDS`] order.
    pub rules: [usize; 4],
    /// Type transitions.
    pub transitions: usize,
    /// The classes that have rules or transitions, by name.
    pub per_class: Vec<ClassCounts>,
}

/// Counts what `m` holds.
pub fn info(m: &Model) -> Info {
    let mut per_class: Vec<ClassCounts> = m
        .classes
        .iter()
        .map(|c| ClassCounts {
            name: c.name.clone(),
            perms: c.perms.len(),
            ..ClassCounts::default()
        })
        .collect();
    let mut rules = [0; 4];
    for r in &m.rules {
        let k = KINDS.iter().position(|&k| k == r.kind).unwrap_or(0);
        rules[k] += 1;
        if let Some(c) = per_class.get_mut(r.class as usize) {
            c.rules[k] += 1;
        }
    }
    for t in &m.transitions {
        if let Some(c) = per_class.get_mut(t.class as usize) {
            c.transitions += 1;
        }
    }
    per_class.retain(|c| c.transitions > 0 || c.rules.iter().any(|&n| n > 0));
    per_class.sort_by(|a, b| a.name.cmp(&b.name));
    Info {
        classes: m.classes.len(),
        perms: m.classes.iter().map(|c| c.perms.len()).sum(),
        types: m.types.len(),
        permissive: m.types.iter().filter(|t| t.permissive).count(),
        attributes: m.attributes.len(),
        rules,
        transitions: m.transitions.len(),
        per_class,
    }
}

impl Info {
    /// The counts as text: totals, then a table of the classes that have
    /// rules.
    pub fn text(&self, m: &Model) -> String {
        let mut out = format!("Policy: {} ({})\n", m.origin, m.form.name());
        let mut line = |name: &str, n: usize| out.push_str(&format!("  {name:<18}{n:>8}\n"));
        line("Classes:", self.classes);
        line("Permissions:", self.perms);
        line("Types:", self.types);
        line("Permissive types:", self.permissive);
        line("Attributes:", self.attributes);
        for (k, n) in KINDS.iter().zip(self.rules) {
            line(&format!("{}:", k.keyword()), n);
        }
        line("type_transition:", self.transitions);
        let width = self
            .per_class
            .iter()
            .map(|c| c.name.len())
            .max()
            .unwrap_or(0)
            .max(5);
        out.push_str(&format!(
            "\n  {:<width$} {:>5} {:>7} {:>10} {:>9} {:>10} {:>15}\n",
            "class", "perms", "allow", "auditallow", "dontaudit", "neverallow", "type_transition"
        ));
        for c in &self.per_class {
            let [a, aa, da, na] = c.rules;
            out.push_str(&format!(
                "  {:<width$} {:>5} {a:>7} {aa:>10} {da:>9} {na:>10} {:>15}\n",
                c.name, c.perms, c.transitions
            ));
        }
        out
    }

    /// The counts as JSON, `classes` as an object per class name.
    pub fn json(&self, m: &Model) -> serde_json::Value {
        let kinds = |r: &[usize; 4]| {
            let mut o = serde_json::Map::new();
            for (k, n) in KINDS.iter().zip(r) {
                o.insert(k.keyword().to_string(), (*n).into());
            }
            serde_json::Value::Object(o)
        };
        let classes: serde_json::Map<String, serde_json::Value> = self
            .per_class
            .iter()
            .map(|c| {
                let mut v = kinds(&c.rules);
                v["perms"] = c.perms.into();
                v["type_transition"] = c.transitions.into();
                (c.name.clone(), v)
            })
            .collect();
        serde_json::json!({
            "policy": m.origin,
            "form": m.form.name(),
            "classes": self.classes,
            "permissions": self.perms,
            "types": self.types,
            "permissive_types": self.permissive,
            "attributes": self.attributes,
            "rules": kinds(&self.rules),
            "type_transition": self.transitions,
            "per_class": classes,
        })
    }
}
