// SPDX-License-Identifier: GPL-2.0

//! Warnings about a policy that compiles: rules that add nothing.

use std::collections::{BTreeMap, HashMap};

use codespan_reporting::diagnostic::{Diagnostic, Label};

use crate::model::{AvRule, Policy, Target};
use crate::syntax::{AvKind, Span};

/// One rule expanded to the types it names.
struct Expanded {
    /// Sorted, without duplicates.
    sources: Vec<u32>,
    /// Sorted, without duplicates; `self` not included.
    targets: Vec<u32>,
    /// Whether `self` is among the targets.
    self_target: bool,
}

fn expand(p: &Policy, r: &AvRule) -> Expanded {
    let mut sources: Vec<u32> = r.sources.iter().flat_map(|&s| p.members(s)).collect();
    sources.sort_unstable();
    sources.dedup();
    let mut targets: Vec<u32> = r
        .targets
        .iter()
        .filter_map(|t| match t {
            Target::Id(id) => Some(p.members(*id)),
            Target::SelfRef => None,
        })
        .flatten()
        .collect();
    targets.sort_unstable();
    targets.dedup();
    Expanded {
        sources,
        targets,
        self_target: r.targets.contains(&Target::SelfRef),
    }
}

/// Whether sorted `a` is a subset of sorted `b`.
fn subset(a: &[u32], b: &[u32]) -> bool {
    let mut b = b.iter();
    a.iter().all(|x| b.any(|y| y == x))
}

/// Whether rule `big` grants (or audits) everything rule `small` does.
/// Both have the same kind and class. `self` is taken for what it
/// means: `allow a self` covers `allow a a`, and `allow a b` covers
/// `allow a self` when `a` is `b`.
fn covers(big: (&AvRule, &Expanded), small: (&AvRule, &Expanded)) -> bool {
    let ((br, b), (sr, s)) = (big, small);
    if sr.perms & !br.perms != 0 || !subset(&s.sources, &b.sources) {
        return false;
    }
    let targets = subset(&s.targets, &b.targets)
        || (b.self_target
            && s.targets
                .iter()
                .all(|t| b.targets.contains(t) || s.sources == [*t]));
    let self_target = !s.self_target || b.self_target || subset(&s.sources, &b.targets);
    targets && self_target
}

fn kind_index(k: AvKind) -> u8 {
    match k {
        AvKind::Allow => 0,
        AvKind::AuditAllow => 1,
        AvKind::DontAudit => 2,
        AvKind::NeverAllow => 3,
    }
}

/// Warns about each `allow`, `auditallow` and `dontaudit` rule that
/// another single rule of the same kind already covers: same class, all
/// of its permissions, all of its sources and targets. Of two equal
/// rules the later one is named. Rules covered only by several rules
/// together are not found: this is a hint, not a minimisation.
///
/// A covering rule must contain every source of the covered one, so the
/// candidates are found through an index by (kind, class, source type)
/// and only the shortest list of them is searched: this keeps a policy
/// of ~100k rules in the same order of time as its compilation.
pub fn warn_redundant(p: &Policy, warnings: &mut Vec<Diagnostic<usize>>) {
    let rules: Vec<(usize, &AvRule, Expanded)> = p
        .rules
        .iter()
        .enumerate()
        .filter(|(_, r)| r.kind != AvKind::NeverAllow && r.perms != 0)
        .map(|(i, r)| (i, r, expand(p, r)))
        .filter(|(_, _, e)| !e.sources.is_empty() && (e.self_target || !e.targets.is_empty()))
        .collect();
    let mut by_source: HashMap<(u8, u32, u32), Vec<usize>> = HashMap::new();
    for (k, (_, r, e)) in rules.iter().enumerate() {
        for &s in &e.sources {
            by_source
                .entry((kind_index(r.kind), r.class, s))
                .or_default()
                .push(k);
        }
    }
    // (covered statement span, class) -> covering statement span.
    let mut found: BTreeMap<(usize, usize, usize, u32), (Span, AvKind)> = BTreeMap::new();
    for (k, (i, r, e)) in rules.iter().enumerate() {
        let key = (r.span.file, r.span.start, r.span.end, r.class);
        if found.contains_key(&key) {
            continue;
        }
        let candidates = e
            .sources
            .iter()
            .filter_map(|&s| by_source.get(&(kind_index(r.kind), r.class, s)))
            .min_by_key(|v| v.len());
        let Some(candidates) = candidates else {
            continue;
        };
        for &c in candidates {
            let (j, cr, ce) = &rules[c];
            if c == k || cr.span == r.span || !covers((cr, ce), (r, e)) {
                continue;
            }
            // Of two rules that cover each other, the first stays.
            if covers((r, e), (cr, ce)) && j > i {
                continue;
            }
            found.insert(key, (cr.span, r.kind));
            break;
        }
    }
    for ((file, start, end, class), (by, kind)) in found {
        let class = p
            .classes
            .get(class as usize)
            .map_or("?", |c| c.name.as_str());
        warnings.push(
            Diagnostic::warning()
                .with_message(format!(
                    "redundant `{}` rule for class `{class}`",
                    kind.keyword()
                ))
                .with_labels(vec![
                    Label::primary(file, start..end).with_message("this rule adds nothing"),
                    Label::secondary(by.file, by.start..by.end)
                        .with_message("to this rule, which covers its types and permissions"),
                ]),
        );
    }
}
