// SPDX-License-Identifier: GPL-2.0

//! Property test: on random small policies, the neverallow errors are
//! exactly those of the plain pairwise check, which compares every
//! neverallow with every allow rule.
//!
//! The policies are compiled with their neverallow rules written as
//! `auditallow` rules (so that they compile whatever they forbid), which
//! are then made neverallow rules in the resolved policy.

use std::collections::HashMap;

use carapace_compiler::compile_str;
use carapace_compiler::model::{check_neverallow, AvRule, IdRef, Policy, Target};
use carapace_compiler::syntax::AvKind;
use codespan_reporting::diagnostic::{Diagnostic, Label};
use proptest::prelude::*;

mod common;

use common::{Choices, Spec};

fn spec() -> impl Strategy<Value = Spec> {
    common::spec(Choices {
        kinds: vec!["auditallow", "allow", "allow"],
        classes: vec![vec!["file"], vec!["dir"], vec!["file", "dir"]],
        perms: vec!["read", "write", "{ read write }", "*", "~read"],
    })
}

/// A set of types as a bitmap.
#[derive(Clone)]
struct TypeSet(Vec<u64>);

impl TypeSet {
    fn new(n: usize) -> Self {
        TypeSet(vec![0; n.div_ceil(64)])
    }
    fn add(&mut self, t: u32) {
        self.0[(t / 64) as usize] |= 1 << (t % 64);
    }
    fn and(&self, o: &TypeSet) -> TypeSet {
        TypeSet(self.0.iter().zip(&o.0).map(|(a, b)| a & b).collect())
    }
    fn is_empty(&self) -> bool {
        self.0.iter().all(|&w| w == 0)
    }
    fn first(&self) -> Option<u32> {
        self.0
            .iter()
            .enumerate()
            .find(|(_, &w)| w != 0)
            .map(|(i, w)| i as u32 * 64 + w.trailing_zeros())
    }
}

fn set_of(p: &Policy, ids: &[IdRef], cache: &mut HashMap<IdRef, TypeSet>) -> TypeSet {
    let mut s = TypeSet::new(p.types.len());
    for r in ids {
        let m = cache.entry(*r).or_insert_with(|| {
            let mut s = TypeSet::new(p.types.len());
            for t in p.members(*r) {
                s.add(t);
            }
            s
        });
        for (a, b) in s.0.iter_mut().zip(&m.0) {
            *a |= b;
        }
    }
    s
}

fn targets_set(p: &Policy, ts: &[Target], cache: &mut HashMap<IdRef, TypeSet>) -> (TypeSet, bool) {
    let ids: Vec<IdRef> = ts
        .iter()
        .filter_map(|t| match t {
            Target::Id(r) => Some(*r),
            Target::SelfRef => None,
        })
        .collect();
    (set_of(p, &ids, cache), ts.contains(&Target::SelfRef))
}

/// The reference: every neverallow against every allow rule.
fn reference(p: &Policy) -> Vec<Diagnostic<usize>> {
    let mut errors = Vec::new();
    let nevers: Vec<&AvRule> = p
        .rules
        .iter()
        .filter(|r| r.kind == AvKind::NeverAllow)
        .collect();
    if nevers.is_empty() {
        return errors;
    }
    let mut cache = HashMap::new();
    let allows: Vec<&AvRule> = p.rules.iter().filter(|r| r.kind == AvKind::Allow).collect();
    for n in &nevers {
        let ns = set_of(p, &n.sources, &mut cache);
        let (nt, nself) = targets_set(p, &n.targets, &mut cache);
        for a in &allows {
            if a.class != n.class || a.perms & n.perms == 0 {
                continue;
            }
            let both = ns.and(&set_of(p, &a.sources, &mut cache));
            if both.is_empty() {
                continue;
            }
            let (at, aself) = targets_set(p, &a.targets, &mut cache);
            // (source, target) pairs the allow grants that the neverallow
            // forbids.
            let witness = {
                let plain = both.and(&at); // for self-targets of either kind
                let mut w = None;
                if let Some(s) = both.first() {
                    let cross = nt.and(&at);
                    if !cross.is_empty() {
                        w = Some((s, cross.first().unwrap_or(0)));
                    }
                }
                if w.is_none() && aself {
                    // allow x self: (x, x) for x in both; forbidden if x in nt or nself.
                    let x = if nself {
                        both.first()
                    } else {
                        both.and(&nt).first()
                    };
                    w = x.map(|x| (x, x));
                }
                if w.is_none() && nself {
                    w = plain.first().map(|x| (x, x));
                }
                w
            };
            let Some((s, t)) = witness else { continue };
            let class = &p.classes[a.class as usize];
            let bad = a.perms & n.perms;
            let perms: Vec<&str> = (0..32)
                .filter(|b| bad & (1 << b) != 0)
                .filter_map(|b| class.perms.get(b).map(|s| s.as_str()))
                .collect();
            errors.push(
                Diagnostic::error()
                    .with_message("neverallow violated")
                    .with_labels(vec![
                        label(a.span).with_message(format!(
                            "this rule allows `{} {} : {} {{ {} }}`",
                            p.types[s as usize].name,
                            p.types[t as usize].name,
                            class.name,
                            perms.join(" ")
                        )),
                        secondary(n.span).with_message("forbidden by this neverallow"),
                    ]),
            );
        }
    }
    errors
}

fn label(s: carapace_compiler::syntax::Span) -> Label<usize> {
    s.primary()
}

fn secondary(s: carapace_compiler::syntax::Span) -> Label<usize> {
    s.secondary()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2048, ..ProptestConfig::default() })]

    #[test]
    fn neverallow_errors_are_those_of_the_pairwise_check(spec in spec()) {
        let src = spec.source();
        let mut out = match compile_str("n.cpol", &src) {
            Ok(o) => o,
            // A rule whose exclusions leave nothing, or no type at all.
            Err(_) => return Ok(()),
        };
        for r in &mut out.policy.rules {
            if r.kind == AvKind::AuditAllow {
                r.kind = AvKind::NeverAllow;
            }
        }
        let mut got = Vec::new();
        check_neverallow(&out.policy, &mut got);
        prop_assert_eq!(got, reference(&out.policy), "{}", src);
    }
}

#[test]
fn violations_through_attributes_and_self_are_found() {
    let src = "attribute d; type a_t, d; type b_t, d; type c_t;\n\
               initial kernel a_t; initial unlabeled a_t; initial file a_t; initial security a_t;\n\
               allow d c_t : file { read write };\n\
               allow a_t self : dir read;\n\
               allow c_t b_t : file read;\n\
               auditallow b_t c_t : file write;\n\
               auditallow d d : dir *;\n";
    let mut out = compile_str("n.cpol", src).unwrap();
    for r in &mut out.policy.rules {
        if r.kind == AvKind::AuditAllow {
            r.kind = AvKind::NeverAllow;
        }
    }
    let mut got = Vec::new();
    check_neverallow(&out.policy, &mut got);
    assert_eq!(got.len(), 2);
    assert_eq!(got, reference(&out.policy));
}
