// SPDX-License-Identifier: GPL-2.0

//! `analyze reach`: the domains that can get a permission, directly or
//! through domain transitions, each with a shortest chain (as sedta).
//!
//! A domain D becomes N (one step) in one of the ways the kernel allows
//! (src/lsm/hooks/exec.rs):
//!
//! - exec by `type_transition D E : process N`, with `allow D N : process
//!   transition`, `allow N E : file entrypoint` and `allow D E : file
//!   execute`;
//! - exec after setting the exec label: the same without the
//!   `type_transition`, with `allow D self : process setexec` (any E);
//! - a dynamic transition: `allow D self : process setcurrent` and `allow
//!   D N : process dyntransition`.
//!
//! The search is breadth first over types, backwards from the domains
//! that hold the permission, over the edges above: each edge is found
//! from the (source, target) pairs of the few rules with those
//! permissions, attributes expanded, so the cost grows with those pairs,
//! not with the policy.

use std::collections::VecDeque;

use anyhow::Result;

use super::model::{IdRef, Model, Target, TypeSet};

/// The question: who can get `perm` of `class` (on `target`, if given).
#[derive(Clone, Debug)]
pub struct Query {
    /// Class name.
    pub class: String,
    /// Permission name.
    pub perm: String,
    /// Target type or attribute (any target if none).
    pub target: Option<String>,
}

/// How one domain becomes another.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum How {
    /// Exec of a file, by a `type_transition`.
    TypeTransition,
    /// Exec of a file after writing the exec label (`setexec`).
    ExecLabel,
    /// `setcurrent` and `dyntransition`, no exec.
    Dyntransition,
}

impl How {
    /// The name in reports.
    pub fn name(self) -> &'static str {
        match self {
            How::TypeTransition => "type_transition",
            How::ExecLabel => "exec_label",
            How::Dyntransition => "dyntransition",
        }
    }
}

/// One step: `from` becomes `to`.
#[derive(Clone, Debug)]
pub struct Step {
    /// The old domain.
    pub from: u32,
    /// The new domain.
    pub to: u32,
    /// How.
    pub how: How,
    /// The executable's type (exec steps).
    pub exec: Option<u32>,
    /// The `type_transition` (index into [`Model::transitions`]).
    pub transition: Option<usize>,
    /// The allow rules the step needs (indexes into [`Model::rules`]).
    pub rules: Vec<usize>,
}

/// A domain that can get the permission, and how.
#[derive(Clone, Debug)]
pub struct Chain {
    /// The domain.
    pub domain: u32,
    /// The transitions, first from `domain`; none if it has the
    /// permission itself.
    pub steps: Vec<Step>,
    /// The rule that grants the permission to the last domain.
    pub grant: usize,
}

/// The answer.
#[derive(Clone, Debug)]
pub struct Reach {
    /// Class index.
    pub class: u32,
    /// Permission bit mask.
    pub perm: u32,
    /// The query.
    pub query: Query,
    /// One shortest chain per domain, by length then name.
    pub chains: Vec<Chain>,
}

/// The (source type, target type) pairs the allow rules grant a
/// permission on, each with the first rule that grants it, sorted.
struct Grants(Vec<(u32, u32, usize)>);

impl Grants {
    /// The pairs for permission `perm` of class `class` (none if the
    /// policy lacks the class or permission).
    fn new(m: &Model, class: &str, perm: &str) -> Grants {
        let Some(c) = m.class_index(class) else {
            return Grants(Vec::new());
        };
        let Ok(mask) = m.perm_mask(c, &[perm.to_string()]) else {
            return Grants(Vec::new());
        };
        let mut pairs = Vec::new();
        for (i, r) in m.rules.iter().enumerate() {
            if r.kind != super::model::AvKind::Allow || r.class != c || r.perms & mask == 0 {
                continue;
            }
            let mut targets = Vec::new();
            let mut to_self = false;
            for &t in &r.targets {
                match t {
                    Target::Id(id) => m.each_type(&[id], |x| targets.push(x)),
                    Target::SelfRef => to_self = true,
                }
            }
            m.each_type(&r.sources, |s| {
                pairs.extend(targets.iter().map(|&t| (s, t, i)));
                if to_self {
                    pairs.push((s, s, i));
                }
            });
        }
        // Stable: the first rule of each pair stays.
        pairs.sort_by_key(|&(s, t, _)| (s, t));
        pairs.dedup_by_key(|&mut (s, t, _)| (s, t));
        Grants(pairs)
    }

    /// The rule granting the pair, if any.
    fn get(&self, s: u32, t: u32) -> Option<usize> {
        self.0
            .binary_search_by_key(&(s, t), |&(a, b, _)| (a, b))
            .ok()
            .and_then(|i| self.0.get(i))
            .map(|&(_, _, r)| r)
    }

    /// The pairs with source `s`.
    fn from(&self, s: u32) -> &[(u32, u32, usize)] {
        let lo = self.0.partition_point(|&(a, _, _)| a < s);
        let hi = self.0.partition_point(|&(a, _, _)| a <= s);
        self.0.get(lo..hi).unwrap_or(&[])
    }
}

/// The `process` type transitions, expanded: (domain, executable type,
/// new domain, transition index), sorted, the first of each pair kept.
fn exec_transitions(m: &Model) -> Vec<(u32, u32, u32, usize)> {
    let Some(process) = m.class_index("process") else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (i, t) in m.transitions.iter().enumerate() {
        if t.class != process {
            continue;
        }
        let mut targets = Vec::new();
        m.each_type(&t.targets, |x| targets.push(x));
        m.each_type(&t.sources, |s| {
            out.extend(targets.iter().map(|&e| (s, e, t.result, i)));
        });
    }
    out.sort_by_key(|&(d, e, _, _)| (d, e));
    out.dedup_by_key(|&mut (d, e, _, _)| (d, e));
    out
}

/// Every step the policy allows, at most one per (from, to): a
/// `type_transition` first, then an exec label, then a dynamic
/// transition; the lowest executable type.
fn steps(m: &Model) -> Vec<Step> {
    let transition = Grants::new(m, "process", "transition");
    let entrypoint = Grants::new(m, "file", "entrypoint");
    let execute = Grants::new(m, "file", "execute");
    let setexec = Grants::new(m, "process", "setexec");
    let setcurrent = Grants::new(m, "process", "setcurrent");
    let dyntransition = Grants::new(m, "process", "dyntransition");
    let mut out = Vec::new();
    for (d, e, n, ti) in exec_transitions(m) {
        if d == n {
            continue;
        }
        let (Some(tr), Some(ep), Some(ex)) = (
            transition.get(d, n),
            entrypoint.get(n, e),
            execute.get(d, e),
        ) else {
            continue;
        };
        out.push(Step {
            from: d,
            to: n,
            how: How::TypeTransition,
            exec: Some(e),
            transition: Some(ti),
            rules: vec![tr, ep, ex],
        });
    }
    for &(d, n, tr) in &transition.0 {
        let Some(se) = setexec.get(d, d).filter(|_| d != n) else {
            continue;
        };
        let exec = entrypoint
            .from(n)
            .iter()
            .find_map(|&(_, e, ep)| execute.get(d, e).map(|ex| (e, ep, ex)));
        if let Some((e, ep, ex)) = exec {
            out.push(Step {
                from: d,
                to: n,
                how: How::ExecLabel,
                exec: Some(e),
                transition: None,
                rules: vec![se, tr, ep, ex],
            });
        }
    }
    for &(d, n, dt) in &dyntransition.0 {
        if let Some(sc) = setcurrent.get(d, d).filter(|_| d != n) {
            out.push(Step {
                from: d,
                to: n,
                how: How::Dyntransition,
                exec: None,
                transition: None,
                rules: vec![sc, dt],
            });
        }
    }
    // Stable: the preferred way of each (from, to) comes first.
    out.sort_by_key(|s| (s.to, s.from));
    out.dedup_by_key(|s| (s.to, s.from));
    out
}

/// The domains that hold the permission directly, each with the first
/// rule granting it.
fn holders(m: &Model, class: u32, mask: u32, target: Option<&TypeSet>) -> Vec<Option<usize>> {
    let mut grant = vec![None; m.types.len()];
    let attr_hit: Vec<bool> = m
        .members
        .iter()
        .map(|a| target.is_none_or(|t| a.intersects(t)))
        .collect();
    for (i, r) in m.rules.iter().enumerate() {
        if r.kind != super::model::AvKind::Allow || r.class != class || r.perms & mask == 0 {
            continue;
        }
        let mut to_self = false;
        let on_target = r.targets.iter().any(|&t| match t {
            Target::Id(IdRef::Type(x)) => target.is_none_or(|s| s.contains(x)),
            Target::Id(IdRef::Attr(a)) => attr_hit.get(a as usize).copied().unwrap_or(false),
            Target::SelfRef => {
                to_self = true;
                false
            }
        });
        m.each_type(&r.sources, |s| {
            let hit = on_target || (to_self && target.is_none_or(|t| t.contains(s)));
            if let Some(g) = grant.get_mut(s as usize).filter(|g| hit && g.is_none()) {
                *g = Some(i);
            }
        });
    }
    grant
}

/// Answers `q` on `m`.
pub fn reach(m: &Model, q: &Query) -> Result<Reach> {
    let class = m.class(&q.class)?;
    let perm = m.perm_mask(class, std::slice::from_ref(&q.perm))?;
    let target = match &q.target {
        Some(t) => Some(m.type_set(m.id(t)?)),
        None => None,
    };
    let grant = holders(m, class, perm, target.as_ref());
    let steps = steps(m);
    // Backwards from the holders: `next[d]` is d's first step on a
    // shortest chain.
    let n = m.types.len();
    let mut seen = vec![false; n];
    let mut next: Vec<Option<usize>> = vec![None; n];
    let mut queue = VecDeque::new();
    let mut order = Vec::new();
    for (t, g) in grant.iter().enumerate() {
        if g.is_some() {
            seen[t] = true;
            queue.push_back(t as u32);
        }
    }
    while let Some(to) = queue.pop_front() {
        order.push(to);
        let lo = steps.partition_point(|s| s.to < to);
        let hi = steps.partition_point(|s| s.to <= to);
        for (i, s) in steps.iter().enumerate().take(hi).skip(lo) {
            if let Some(seen) = seen.get_mut(s.from as usize).filter(|v| !**v) {
                *seen = true;
                next[s.from as usize] = Some(i);
                queue.push_back(s.from);
            }
        }
    }
    let mut chains: Vec<Chain> = order
        .into_iter()
        .filter_map(|d| {
            let mut path = Vec::new();
            let mut at = d;
            while let Some(i) = next.get(at as usize).copied().flatten() {
                let s = steps.get(i)?;
                path.push(s.clone());
                at = s.to;
            }
            let g = grant.get(at as usize).copied().flatten()?;
            Some(Chain {
                domain: d,
                steps: path,
                grant: g,
            })
        })
        .collect();
    chains.sort_by(|a, b| {
        (a.steps.len(), m.type_name(a.domain)).cmp(&(b.steps.len(), m.type_name(b.domain)))
    });
    Ok(Reach {
        class,
        perm,
        query: q.clone(),
        chains,
    })
}

impl Reach {
    fn what(&self, m: &Model) -> String {
        let mut s = format!("{} {{ {} }}", m.class_name(self.class), self.query.perm);
        if let Some(t) = &self.query.target {
            s.push_str(&format!(" on {t}"));
        }
        s
    }

    /// The answer as text: a line per domain with its chain, then the
    /// step lines each with the rules behind it, then the rule that
    /// grants the permission.
    pub fn text(&self, m: &Model) -> String {
        let mut out = format!(
            "{}: {} domain{}\n",
            self.what(m),
            self.chains.len(),
            if self.chains.len() == 1 { "" } else { "s" }
        );
        for c in &self.chains {
            let mut names = vec![m.type_name(c.domain)];
            names.extend(c.steps.iter().map(|s| m.type_name(s.to)));
            out.push_str(&names.join(" -> "));
            out.push('\n');
            for s in &c.steps {
                let via = match s.exec {
                    Some(e) => format!("exec {} ({})", m.type_name(e), s.how.name()),
                    None => s.how.name().to_string(),
                };
                out.push_str(&format!(
                    "  {} -> {}: {via}\n",
                    m.type_name(s.from),
                    m.type_name(s.to)
                ));
                for line in step_rules(m, s) {
                    out.push_str(&format!("    {line}\n"));
                }
            }
            let last = c.steps.last().map_or(c.domain, |s| s.to);
            out.push_str(&format!("  {}: granted\n", m.type_name(last)));
            if let Some(r) = m.rules.get(c.grant) {
                out.push_str(&format!("    {}\n", m.located(m.rule_text(r), r.at)));
            }
        }
        out
    }

    /// The answer as JSON: the query and `domains`, each with its
    /// `chain` of names, its `steps` (from, to, how, exec type, rules)
    /// and the `grant` rule.
    pub fn json(&self, m: &Model) -> serde_json::Value {
        let rule = |i: usize| m.rules.get(i).map(|r| m.located_json(m.rule_text(r), r.at));
        let domains: Vec<serde_json::Value> = self
            .chains
            .iter()
            .map(|c| {
                let mut chain = vec![m.type_name(c.domain)];
                chain.extend(c.steps.iter().map(|s| m.type_name(s.to)));
                let steps: Vec<serde_json::Value> = c
                    .steps
                    .iter()
                    .map(|s| {
                        let mut rules: Vec<serde_json::Value> = Vec::new();
                        if let Some(t) = s.transition.and_then(|t| m.transitions.get(t)) {
                            rules.push(m.located_json(m.transition_text(t), t.at));
                        }
                        rules.extend(s.rules.iter().filter_map(|&r| rule(r)));
                        serde_json::json!({
                            "from": m.type_name(s.from),
                            "to": m.type_name(s.to),
                            "how": s.how.name(),
                            "exec_type": s.exec.map(|e| m.type_name(e)),
                            "rules": rules,
                        })
                    })
                    .collect();
                serde_json::json!({
                    "domain": m.type_name(c.domain),
                    "chain": chain,
                    "steps": steps,
                    "grant": rule(c.grant),
                })
            })
            .collect();
        serde_json::json!({
            "policy": m.origin,
            "class": m.class_name(self.class),
            "perm": self.query.perm,
            "target": self.query.target,
            "domains": domains,
        })
    }
}

/// The rules behind a step, located, the `type_transition` first.
fn step_rules(m: &Model, s: &Step) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(t) = s.transition.and_then(|t| m.transitions.get(t)) {
        out.push(m.located(m.transition_text(t), t.at));
    }
    for r in s.rules.iter().filter_map(|&r| m.rules.get(r)) {
        out.push(m.located(m.rule_text(r), r.at));
    }
    out
}
