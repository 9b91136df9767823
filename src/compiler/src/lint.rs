// SPDX-License-Identifier: GPL-2.0

//! Warnings about a policy that compiles: rules that add nothing.

use std::collections::BTreeMap;

use crate::model::{IdRef, Policy, Target};
use crate::sort::counting_sort;
use crate::syntax::{AvKind, Span};
use crate::warning::{Warning, Warnings};

/// The permissions of one rule, and the types of its sources and targets,
/// each sorted and without duplicates; `self` is not among the targets.
#[derive(Clone, Copy)]
struct Sets<'a> {
    perms: u32,
    sources: &'a [u32],
    targets: &'a [u32],
    /// Whether `self` is among the targets.
    self_target: bool,
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
fn covers(b: Sets<'_>, s: Sets<'_>) -> bool {
    if s.perms & !b.perms != 0 || !subset(s.sources, b.sources) {
        return false;
    }
    let targets = subset(s.targets, b.targets)
        || (b.self_target
            && s.targets
                .iter()
                .all(|t| b.targets.binary_search(t).is_ok() || s.sources == [*t]));
    let self_target = !s.self_target || b.self_target || subset(s.sources, b.targets);
    targets && self_target
}

fn kind_index(k: AvKind) -> u32 {
    match k {
        AvKind::Allow => 0,
        AvKind::AuditAllow => 1,
        AvKind::DontAudit => 2,
        AvKind::NeverAllow => 3,
    }
}

/// A rule that can be covered or cover: its kind and class (`group`,
/// densely numbered), its statement, its index in [`Policy::rules`],
/// and where its types are in [`Rules::types`].
#[derive(Clone, Copy)]
struct Rule {
    group: u32,
    perms: u32,
    stmt: u32,
    policy: u32,
    sources: (u32, u32),
    targets: (u32, u32),
    self_target: bool,
}

/// The rules of a policy with their types expanded, sorted by group (in
/// policy order within one), and the attributes' members (by attribute
/// index) they were expanded with.
struct Rules {
    rules: Vec<Rule>,
    /// Every rule's sources, then targets, one after the other.
    types: Vec<u32>,
    members: Vec<Vec<u32>>,
}

impl Rules {
    fn new(p: &Policy) -> Self {
        // Once per attribute rather than once per rule that names it.
        let mut members = vec![Vec::new(); p.attributes.len()];
        for (t, d) in p.types.iter().enumerate() {
            for &a in &d.attrs {
                if let Some(m) = members.get_mut(a as usize) {
                    m.push(t as u32);
                }
            }
        }
        let mut all = Rules {
            rules: Vec::with_capacity(p.rules.len()),
            types: Vec::with_capacity(2 * p.rules.len()),
            members,
        };
        let mut groups = Vec::with_capacity(p.rules.len());
        // The rules of a statement are next to each other.
        let mut stmt = 0u32;
        let mut last = None;
        for (i, r) in p.rules.iter().enumerate() {
            if last.is_some_and(|s| s != r.span) {
                stmt += 1;
            }
            last = Some(r.span);
            if r.kind == AvKind::NeverAllow || r.perms == 0 {
                continue;
            }
            let sources = all.expand(r.sources.iter().copied());
            let targets = all.expand(r.targets.iter().filter_map(|t| match t {
                Target::Id(id) => Some(*id),
                Target::SelfRef => None,
            }));
            let self_target = r.targets.contains(&Target::SelfRef);
            if sources.0 == sources.1 || (!self_target && targets.0 == targets.1) {
                all.types.truncate(sources.0 as usize);
                continue;
            }
            groups.push(u64::from(kind_index(r.kind)) << 32 | u64::from(r.class));
            all.rules.push(Rule {
                group: 0,
                perms: r.perms,
                stmt,
                policy: i as u32,
                sources,
                targets,
                self_target,
            });
        }
        let mut distinct = groups.clone();
        distinct.sort_unstable();
        distinct.dedup();
        for (r, g) in all.rules.iter_mut().zip(&groups) {
            r.group = distinct.partition_point(|d| d < g) as u32;
        }
        // Stable: policy order within a group.
        counting_sort(&mut all.rules, |r| r.group);
        all
    }

    /// Appends the types of `ids` to `self.types`, sorted and without
    /// duplicates; their range there.
    fn expand(&mut self, ids: impl Iterator<Item = IdRef>) -> (u32, u32) {
        let start = self.types.len();
        let mut n = 0;
        for id in ids {
            n += 1;
            match id {
                IdRef::Type(t) => self.types.push(t),
                IdRef::Attr(a) => {
                    if let Some(m) = self.members.get(a as usize) {
                        self.types.extend_from_slice(m);
                    }
                }
            }
        }
        if n > 1 {
            // (One type, or one attribute's members: sorted already.)
            self.types[start..].sort_unstable();
            let mut end = start;
            for i in start..self.types.len() {
                if end == start || self.types[i] != self.types[end - 1] {
                    self.types[end] = self.types[i];
                    end += 1;
                }
            }
            self.types.truncate(end);
        }
        (start as u32, self.types.len() as u32)
    }

    fn sets(&self, k: usize) -> Sets<'_> {
        let r = &self.rules[k];
        Sets {
            perms: r.perms,
            sources: &self.types[r.sources.0 as usize..r.sources.1 as usize],
            targets: &self.types[r.targets.0 as usize..r.targets.1 as usize],
            self_target: r.self_target,
        }
    }
}

/// Where a rule may be found by the types of one of its (source, target)
/// pairs: by kind and class (`group`, numbered densely), then by the type
/// or attribute it names as a source (`x`), then by the type or attribute
/// it names as a target (`y`, or [`Index::self_`], or [`Index::any`] for
/// a rule that names too many for each pair of names to be listed).
/// Names are dense: a type is its index, an attribute follows the types.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Entry {
    group: u32,
    x: u32,
    y: u32,
    rule: u32,
}

/// Every rule by the names it is written with. A rule that covers another
/// names, for the covered rule's first source type `s` and first target
/// type `t`, `s` or one of its attributes as a source, and `t`, one of
/// its attributes, or `self` as a target. So the rules that may cover a
/// given one are found by looking up those few names: the cost grows
/// with the rules and the attributes of their types, not with the
/// rules squared.
///
/// The entries are sorted by group first, and the rules are checked one
/// group after the other: the entries looked up for one group are next
/// to each other in memory, and a table of where each source name's
/// entries start in the group (rebuilt per group) finds them directly.
struct Index {
    entries: Vec<Entry>,
    /// The attributes of each type, as dense names: those of type `t` are
    /// `attrs[attr_starts[t]..attr_starts[t + 1]]`, sorted.
    attrs: Vec<u32>,
    attr_starts: Vec<usize>,
    /// Types and attributes.
    names: u32,
}

impl Index {
    /// A rule with more (source, target) name pairs than this is listed
    /// under its sources only, as a candidate for any target.
    const MAX_PAIRS: usize = 16;

    /// The entries of one (group, source name) are read whole if there
    /// are at most this many, else searched by target name (and sorted
    /// by it).
    const SHORT_RUN: usize = 32;

    /// The target name that stands for `self`.
    fn self_(&self) -> u32 {
        self.names
    }

    /// The target name that stands for any target.
    fn any(&self) -> u32 {
        self.names + 1
    }

    fn new(p: &Policy, rules: &Rules) -> Self {
        let ntypes = p.types.len() as u32;
        let names = ntypes.saturating_add(p.attributes.len() as u32);
        let dense = |id: &IdRef| match *id {
            IdRef::Type(t) => t,
            IdRef::Attr(a) => ntypes.saturating_add(a),
        };
        let (self_, any) = (names, names + 1);
        let mut entries = Vec::with_capacity(rules.rules.len());
        for (k, r) in rules.rules.iter().enumerate() {
            let rule = k as u32;
            let group = r.group;
            let r = &p.rules[r.policy as usize];
            if r.sources.len().saturating_mul(r.targets.len()) > Self::MAX_PAIRS {
                entries.extend(r.sources.iter().map(|x| Entry {
                    group,
                    x: dense(x),
                    y: any,
                    rule,
                }));
                continue;
            }
            for x in &r.sources {
                entries.extend(r.targets.iter().map(|t| Entry {
                    group,
                    x: dense(x),
                    y: match t {
                        Target::Id(id) => dense(id),
                        Target::SelfRef => self_,
                    },
                    rule,
                }));
            }
        }
        // Made in the order of the rules, hence by group: each group's
        // entries by source name, counted (there are few names). Then
        // the long runs of one (group, source name), those searched by
        // target name, by target name; a short run is read whole.
        let mut from = 0;
        while let Some(g) = entries.get(from).map(|e| e.group) {
            let len = entries[from..]
                .iter()
                .position(|e| e.group != g)
                .unwrap_or(entries.len() - from);
            counting_sort(&mut entries[from..from + len], |e| e.x);
            from += len;
        }
        let mut run = 0;
        while let Some(&Entry { group, x, .. }) = entries.get(run) {
            let len = entries[run..]
                .iter()
                .position(|e| e.group != group || e.x != x)
                .unwrap_or(entries.len() - run);
            if len > Self::SHORT_RUN {
                entries[run..run + len].sort_unstable();
            }
            run += len;
        }
        let mut attrs = Vec::new();
        let mut attr_starts = Vec::with_capacity(p.types.len() + 1);
        for d in &p.types {
            attr_starts.push(attrs.len());
            attrs.extend(d.attrs.iter().map(|&a| ntypes.saturating_add(a)));
        }
        attr_starts.push(attrs.len());
        Index {
            entries,
            attrs,
            attr_starts,
            names,
        }
    }

    /// The attributes of type `t`, as dense names.
    fn attrs_of(&self, t: u32) -> &[u32] {
        let t = t as usize;
        match (self.attr_starts.get(t), self.attr_starts.get(t + 1)) {
            (Some(&a), Some(&b)) => &self.attrs[a..b],
            _ => &[],
        }
    }
}

/// The lookup of candidates within one group.
struct Lookup<'i> {
    /// The group's entries.
    entries: &'i [Entry],
    /// Where the entries of each source name start in `entries`; one
    /// more at the end.
    starts: Vec<u32>,
    /// `mark[y] == stamp`: `y` is a wanted target name.
    mark: Vec<u32>,
    stamp: u32,
    ys: Vec<u32>,
}

impl<'i> Lookup<'i> {
    fn new(names: u32) -> Self {
        Lookup {
            entries: &[],
            starts: vec![0; names as usize + 1],
            mark: vec![0; names as usize + 2],
            stamp: 0,
            ys: Vec::new(),
        }
    }

    /// Switches to the group whose entries are `entries`.
    fn group(&mut self, entries: &'i [Entry]) {
        self.entries = entries;
        let mut e = 0;
        for (x, s) in self.starts.iter_mut().enumerate() {
            while e < entries.len() && (entries[e].x as usize) < x {
                e += 1;
            }
            *s = e as u32;
        }
    }

    /// Into `out`, the rules that may cover rule `k` (and possibly others,
    /// and some twice): those listed under a name of its first source and
    /// a name of its first target (or of its first source when its only
    /// target is `self`), of `self`, or of any target.
    fn candidates(&mut self, index: &Index, rules: &Rules, k: usize, out: &mut Vec<u32>) {
        let sets = rules.sets(k);
        let Some(&s) = sets.sources.first() else {
            return;
        };
        let t = sets.targets.first().copied().unwrap_or(s);
        self.stamp = self.stamp.wrapping_add(1);
        if self.stamp == 0 {
            self.mark.fill(0);
            self.stamp = 1;
        }
        // Sorted, as a long run of entries is.
        self.ys.clear();
        self.ys.push(t);
        self.ys.extend_from_slice(index.attrs_of(t));
        self.ys.extend([index.self_(), index.any()]);
        for &y in &self.ys {
            if let Some(m) = self.mark.get_mut(y as usize) {
                *m = self.stamp;
            }
        }
        for &x in std::iter::once(&s).chain(index.attrs_of(s)) {
            let (Some(&a), Some(&b)) =
                (self.starts.get(x as usize), self.starts.get(x as usize + 1))
            else {
                continue;
            };
            let e = &self.entries[a as usize..b as usize];
            if e.len() <= Index::SHORT_RUN {
                out.extend(
                    e.iter()
                        .filter(|e| self.mark.get(e.y as usize) == Some(&self.stamp))
                        .map(|e| e.rule),
                );
            } else {
                for &y in &self.ys {
                    let lo = e.partition_point(|e| e.y < y);
                    let hi = lo + e[lo..].partition_point(|e| e.y == y);
                    out.extend(e[lo..hi].iter().map(|e| e.rule));
                }
            }
        }
    }
}

/// Warns about each `allow`, `auditallow` and `dontaudit` rule that
/// another single rule of the same kind already covers: same class, all
/// of its permissions, all of its sources and targets. Of two equal
/// rules the later one is named. Rules covered only by several rules
/// together are not found: this is a hint, not a minimisation.
///
/// The covering rule named is the first in the policy that covers it.
/// The candidates are found through [`Index`] and then checked one by
/// one, in policy order, against the rule itself.
pub fn warn_redundant(p: &Policy, warnings: &mut Warnings) {
    warn_redundant_on(p, warnings, 1);
}

/// (covered statement span, class) -> covering statement span and kind.
type Found = BTreeMap<(Span, u32), (Span, AvKind)>;

/// [`warn_redundant`], with the rules split in two halves searched on
/// two threads when `threads` is more than one. A rule's search only
/// reads what all share, so a half finds what one search finds for its
/// rules (whole groups or not: some groups take much longer than
/// others); of two findings for one statement and class (two of its
/// rules, one in each half) the first half's is kept, as one search in
/// order keeps the first.
pub(crate) fn warn_redundant_on(p: &Policy, warnings: &mut Warnings, threads: usize) {
    let rules = Rules::new(p);
    let index = Index::new(p, &rules);
    let all = rules.rules.len();
    let half = all / 2;
    let found = if threads > 1 && half > 0 && half < all {
        std::thread::scope(|s| {
            let second = s.spawn(|| search(p, &rules, &index, half..all));
            let mut found = search(p, &rules, &index, 0..half);
            let second = second
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            for (covered, by) in second {
                found.entry(covered).or_insert(by);
            }
            found
        })
    } else {
        search(p, &rules, &index, 0..all)
    };
    for ((span, class), (by, kind)) in found {
        warnings.push(Warning::Redundant {
            kind,
            class,
            span,
            by,
        });
    }
}

/// The rules of `range` that are covered, and by what.
fn search(p: &Policy, rules: &Rules, index: &Index, range: std::ops::Range<usize>) -> Found {
    let mut lookup = Lookup::new(index.names);
    let mut found = Found::new();
    let mut candidates = Vec::new();
    let mut entries = &index.entries[..];
    let mut current = None;
    for k in range {
        let r = &rules.rules[k];
        if current != Some(r.group) {
            current = Some(r.group);
            let lo = entries.partition_point(|e| e.group < r.group);
            let hi = lo + entries[lo..].partition_point(|e| e.group == r.group);
            lookup.group(&entries[lo..hi]);
            entries = &entries[hi..];
        }
        let e = rules.sets(k);
        candidates.clear();
        lookup.candidates(index, rules, k, &mut candidates);
        // The first that covers it, in policy order: the least such
        // candidate (some are listed twice), without sorting them.
        let mut first: Option<usize> = None;
        for &c in &candidates {
            let c = c as usize;
            if first.is_some_and(|f| f <= c) {
                continue;
            }
            let ce = rules.sets(c);
            if c == k || rules.rules[c].stmt == r.stmt || !covers(ce, e) {
                continue;
            }
            // Of two rules that cover each other, the first stays (the
            // rules of a group are in policy order).
            if covers(e, ce) && c > k {
                continue;
            }
            first = Some(c);
        }
        if let Some(c) = first {
            // Rules of one statement and class are equal, and so are
            // their coverers.
            let (pr, cr) = (
                &p.rules[r.policy as usize],
                &p.rules[rules.rules[c].policy as usize],
            );
            found
                .entry((pr.span, pr.class))
                .or_insert((cr.span, pr.kind));
        }
    }
    found
}
