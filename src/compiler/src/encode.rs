// SPDX-License-Identifier: GPL-2.0

//! [`Policy`] → binary policy (Documentation/policy-format.rst).

use std::collections::HashMap;

use carapace_core::policy::format::*;
use codespan_reporting::diagnostic::Diagnostic;
use rustc_hash::FxHashMap;

use crate::model::{AvRule, IdRef, Policy, Target};
use crate::syntax::AvKind;

/// The string table: each distinct string once, found by its text (the
/// policy's own, borrowed).
struct Strings<'p> {
    bytes: Vec<u8>,
    seen: FxHashMap<&'p str, u32>,
}

impl<'p> Strings<'p> {
    fn add(&mut self, s: &'p str) -> (u32, u32) {
        let off = *self.seen.entry(s).or_insert_with(|| {
            let off = self.bytes.len() as u32;
            self.bytes.extend_from_slice(s.as_bytes());
            off
        });
        (off, s.len() as u32)
    }
}

fn put(v: &mut Vec<u8>, words: &[u32]) {
    for w in words {
        v.extend_from_slice(&w.to_le_bytes());
    }
}

/// Encodes a checked policy. Fails only on conflicting `type_transition`
/// rules or a policy over the size limit.
pub fn encode(p: &Policy) -> Result<Vec<u8>, Vec<Diagnostic<usize>>> {
    let mut st = Strings {
        bytes: Vec::new(),
        seen: FxHashMap::default(),
    };
    let (classes, perms, cmap) = encode_classes(p, &mut st);
    let (ids, attrs) = encode_ids(p, &mut st);
    let mut nameidx = Vec::new();
    let mut byname: Vec<u32> = (0..p.types.len() as u32).collect();
    byname.sort_by(|&a, &b| p.types[a as usize].name.cmp(&p.types[b as usize].name));
    put(&mut nameidx, &byname);
    let (ruleidx, rules) = encode_rules(p, &cmap);
    let trans = encode_transitions(p, &cmap)?;
    let mut initial = Vec::new();
    put(&mut initial, &p.initial);
    let (fsdef, fcon) = encode_labels(p, &mut st);

    let mut strings = st.bytes;
    while strings.len() % 4 != 0 {
        strings.push(0);
    }
    let sections: [&[u8]; NUM_SECTIONS] = [
        &strings, &classes, &perms, &ids, &attrs, &nameidx, &ruleidx, &rules, &trans, &initial,
        &fsdef, &fcon,
    ];
    assemble(p, &sections)
}

/// Classes sorted by name, and their permissions. Returns the two sections
/// and the new index of each class.
fn encode_classes<'p>(p: &'p Policy, st: &mut Strings<'p>) -> (Vec<u8>, Vec<u8>, Vec<u32>) {
    let mut order: Vec<usize> = (0..p.classes.len()).collect();
    order.sort_by(|&a, &b| p.classes[a].name.cmp(&p.classes[b].name));
    let mut cmap = vec![0u32; p.classes.len()];
    for (new, &old) in order.iter().enumerate() {
        cmap[old] = new as u32;
    }
    let mut classes = Vec::new();
    let mut perms = Vec::new();
    let mut pnext = 0u32;
    for &ci in &order {
        let c = &p.classes[ci];
        let (o, l) = st.add(&c.name);
        put(&mut classes, &[o, l, pnext, c.perms.len() as u32]);
        for pn in &c.perms {
            let (o, l) = st.add(pn);
            put(&mut perms, &[o, l]);
        }
        pnext += c.perms.len() as u32;
    }
    (classes, perms, cmap)
}

/// Types then attributes, and the types' attribute lists.
fn encode_ids<'p>(p: &'p Policy, st: &mut Strings<'p>) -> (Vec<u8>, Vec<u8>) {
    let nt = p.types.len() as u32;
    let mut ids = Vec::new();
    let mut attrs = Vec::new();
    let mut nattr = 0u32;
    for t in &p.types {
        let (o, l) = st.add(&t.name);
        let flags = if t.permissive { ID_PERMISSIVE } else { 0 };
        put(&mut ids, &[o, l, flags, nattr, t.attrs.len() as u32]);
        for a in &t.attrs {
            put(&mut attrs, &[nt + a]);
            nattr += 1;
        }
    }
    for a in &p.attributes {
        let (o, l) = st.add(a);
        put(&mut ids, &[o, l, ID_ATTRIBUTE, 0, 0]);
    }
    (ids, attrs)
}

/// Calls `f` with each (source, target) pair of ids of rule `r`, `self`
/// expanded.
fn pairs(p: &Policy, r: &AvRule, mut f: impl FnMut(u32, u32)) {
    let nt = p.types.len() as u32;
    let id_of = |r: IdRef| match r {
        IdRef::Type(t) => t,
        IdRef::Attr(a) => nt + a,
    };
    for &s in &r.sources {
        for &t in &r.targets {
            match t {
                Target::Id(t) => f(id_of(s), id_of(t)),
                Target::SelfRef => p.members(s).into_iter().for_each(|x| f(x, x)),
            }
        }
    }
}

/// The rules merged by (source id, target id, class), as the rule index
/// and the rules.
fn encode_rules(p: &Policy, cmap: &[u32]) -> (Vec<u8>, Vec<u8>) {
    let nt = p.types.len() as u32;
    let slot = |k: AvKind| match k {
        AvKind::Allow => Some(0),
        AvKind::AuditAllow => Some(1),
        AvKind::DontAudit => Some(2),
        AvKind::NeverAllow => None,
    };
    // (source, class, target), the kind's slot and the permissions, by
    // source: counted, then placed (a source is one of the few types and
    // attributes), rather than sorted by comparisons or copied.
    let nids = nt as usize + p.attributes.len();
    let mut starts = vec![0usize; nids + 1];
    for r in p.rules.iter().filter(|r| slot(r.kind).is_some()) {
        pairs(p, r, |s, _| {
            if let Some(n) = starts.get_mut(s as usize + 1) {
                *n += 1;
            }
        });
    }
    for i in 1..starts.len() {
        starts[i] += starts[i - 1];
    }
    let mut av: Vec<((u32, u32, u32), u8, u32)> = vec![((0, 0, 0), 0, 0); starts[nids]];
    for r in &p.rules {
        let Some(slot) = slot(r.kind) else { continue };
        let class = cmap[r.class as usize];
        pairs(p, r, |s, t| {
            if let Some(at) = starts.get_mut(s as usize) {
                if let Some(e) = av.get_mut(*at) {
                    *e = ((s, class, t), slot, r.perms);
                }
                *at += 1;
            }
        });
    }
    // Each source's few rules by class and target: the rules of one key
    // next to each other, merged into one.
    let mut from = 0;
    while from < av.len() {
        let s = av[from].0 .0;
        let len = av[from..]
            .iter()
            .position(|a| a.0 .0 != s)
            .unwrap_or(av.len() - from);
        av[from..from + len].sort_unstable_by_key(|&(k, _, _)| k);
        from += len;
    }
    let mut rules = Vec::with_capacity(av.len() * RULE_SIZE);
    let mut ruleidx = Vec::with_capacity((nids + 1) * 4);
    let mut written = 0u32;
    let mut next_src = 0u32;
    let mut i = 0;
    while let Some(&(k, _, _)) = av.get(i) {
        let mut m = [0u32; 3];
        while let Some(&(_, slot, perms)) = av.get(i).filter(|a| a.0 == k) {
            m[usize::from(slot)] |= perms;
            i += 1;
        }
        let (s, c, t) = k;
        while next_src <= s {
            put(&mut ruleidx, &[written]);
            next_src += 1;
        }
        put(&mut rules, &[t, c, m[0], m[1], m[2]]);
        written += 1;
    }
    while (next_src as usize) <= nids {
        put(&mut ruleidx, &[written]);
        next_src += 1;
    }
    (ruleidx, rules)
}

/// The transitions with attributes expanded, sorted; an error for each
/// (source, target, class) given two different results.
fn encode_transitions(p: &Policy, cmap: &[u32]) -> Result<Vec<u8>, Vec<Diagnostic<usize>>> {
    let mut tr: HashMap<(u32, u32, u32), (u32, usize)> = HashMap::new();
    let mut errors = Vec::new();
    for (ri, r) in p.transitions.iter().enumerate() {
        let class = cmap[r.class as usize];
        for &s in &r.sources {
            for sx in p.members(s) {
                for &t in &r.targets {
                    for tx in p.members(t) {
                        match tr.get(&(sx, tx, class)) {
                            Some(&(res, prev)) if res != r.result => {
                                errors.push(conflict(p, ri, prev, (sx, tx, res)));
                            }
                            Some(_) => {}
                            None => {
                                tr.insert((sx, tx, class), (r.result, ri));
                            }
                        }
                    }
                }
            }
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let mut tkeys: Vec<_> = tr.into_iter().collect();
    tkeys.sort_unstable_by_key(|(k, _)| *k);
    let mut trans = Vec::new();
    for ((s, t, c), (res, _)) in tkeys {
        put(&mut trans, &[s, t, c, res]);
    }
    Ok(trans)
}

/// Transition `ri` gives `(source, target)` another type than `res`,
/// which transition `prev` gives.
fn conflict(
    p: &Policy,
    ri: usize,
    prev: usize,
    (sx, tx, res): (u32, u32, u32),
) -> Diagnostic<usize> {
    let r = &p.transitions[ri];
    let ps = p.transitions[prev].span;
    Diagnostic::error()
        .with_message(format!(
            "conflicting type_transition for `{} {} : {}`",
            p.types[sx as usize].name, p.types[tx as usize].name, p.classes[r.class as usize].name
        ))
        .with_labels(vec![
            r.span
                .primary()
                .with_message(format!("gives `{}`", p.types[r.result as usize].name)),
            ps.secondary()
                .with_message(format!("gives `{}`", p.types[res as usize].name)),
        ])
}

/// Filesystem labels sorted by name, and file contexts in order.
fn encode_labels<'p>(p: &'p Policy, st: &mut Strings<'p>) -> (Vec<u8>, Vec<u8>) {
    let mut fsv: Vec<&(String, u32, bool)> = p.fs.iter().collect();
    fsv.sort_by(|a, b| a.0.cmp(&b.0));
    let mut fsdef = Vec::new();
    for (name, t, x) in fsv {
        let (o, l) = st.add(name);
        put(&mut fsdef, &[o, l, *t, if *x { FS_USE_XATTR } else { 0 }]);
    }
    let mut fcon = Vec::new();
    for (kind, pat, t) in &p.filecons {
        let (o, l) = st.add(pat);
        put(&mut fcon, &[o, l, *t, *kind as u32]);
    }
    (fsdef, fcon)
}

/// The header, the section directory and the sections, sealed.
fn assemble(
    p: &Policy,
    sections: &[&[u8]; NUM_SECTIONS],
) -> Result<Vec<u8>, Vec<Diagnostic<usize>>> {
    let total: usize = HEADER_SIZE + sections.iter().map(|s| s.len()).sum::<usize>();
    if total > POLICY_MAX_SIZE {
        return Err(vec![Diagnostic::error().with_message(format!(
            "compiled policy is {total} bytes, over the {POLICY_MAX_SIZE}-byte limit"
        ))]);
    }
    let mut out = Vec::with_capacity(total);
    let flags = p.handle_unknown as u32;
    put(
        &mut out,
        &[
            POLICY_MAGIC,
            POLICY_VERSION,
            total as u32,
            flags,
            0,
            0,
            p.types.len() as u32,
            NUM_SECTIONS as u32,
        ],
    );
    let mut off = HEADER_SIZE as u32;
    for s in sections {
        put(&mut out, &[off, s.len() as u32]);
        off += s.len() as u32;
    }
    for s in sections {
        out.extend_from_slice(s);
    }
    debug_assert_eq!(out.len(), total);
    seal(&mut out);
    Ok(out)
}
