// SPDX-License-Identifier: GPL-2.0

//! Random small policies for the property tests that compare an indexed
//! check of the compiler with its plain pairwise model: few types,
//! attributes and permissions, so that rules often meet, through
//! attributes, `self` and exclusions too.

use std::fmt::Write;

use proptest::prelude::*;

/// A rule as written: kind, sources, targets, the exclusions of each,
/// classes and permissions.
#[derive(Clone, Debug)]
pub struct Rule {
    pub kind: &'static str,
    pub src: Vec<String>,
    pub tgt: Vec<String>,
    pub src_neg: Vec<String>,
    pub tgt_neg: Vec<String>,
    pub classes: Vec<&'static str>,
    pub perms: &'static str,
}

/// A policy: which type has which attribute, and the rules.
#[derive(Clone, Debug)]
pub struct Spec {
    pub member: Vec<Vec<bool>>, // [type][attr]
    pub rules: Vec<Rule>,
}

/// What the rules of a [`spec`] are drawn from.
pub struct Choices {
    pub kinds: Vec<&'static str>,
    pub classes: Vec<Vec<&'static str>>,
    pub perms: Vec<&'static str>,
}

/// Up to 5 types, 3 attributes and 13 rules drawn from `choices`.
pub fn spec(choices: Choices) -> impl Strategy<Value = Spec> {
    (1usize..6, 0usize..4).prop_flat_map(move |(nt, na)| {
        let name = move |self_ok: bool| {
            let mut names: Vec<String> = (0..nt).map(|t| format!("t{t}")).collect();
            names.extend((0..na).map(|a| format!("a{a}")));
            if self_ok {
                names.push("self".into());
            }
            prop::sample::select(names)
        };
        let rule = (
            prop::sample::select(choices.kinds.clone()),
            prop::collection::vec(name(false), 1..3),
            prop::collection::vec(name(true), 1..3),
            prop::collection::vec(name(false), 0..2),
            prop::collection::vec(name(false), 0..2),
            prop::sample::select(choices.classes.clone()),
            prop::sample::select(choices.perms.clone()),
        )
            .prop_map(|(kind, src, tgt, src_neg, tgt_neg, classes, perms)| Rule {
                kind,
                src,
                tgt,
                src_neg,
                tgt_neg,
                classes,
                perms,
            });
        (
            prop::collection::vec(prop::collection::vec(prop::bool::weighted(0.5), na), nt),
            prop::collection::vec(rule, 0..14),
        )
            .prop_map(|(member, rules)| Spec { member, rules })
    })
}

fn set(v: &[String], neg: &[String]) -> String {
    let names: Vec<String> = v
        .iter()
        .cloned()
        .chain(neg.iter().map(|n| format!("-{n}")))
        .collect();
    format!("{{ {} }}", names.join(" "))
}

impl Spec {
    /// The policy's source text.
    pub fn source(&self) -> String {
        let na = self.member.first().map_or(0, Vec::len);
        let mut s = String::new();
        for a in 0..na {
            writeln!(s, "attribute a{a};").unwrap();
        }
        for (t, m) in self.member.iter().enumerate() {
            write!(s, "type t{t}").unwrap();
            for (a, &is) in m.iter().enumerate() {
                if is {
                    write!(s, ", a{a}").unwrap();
                }
            }
            writeln!(s, ";").unwrap();
        }
        for w in ["kernel", "unlabeled", "file", "security"] {
            writeln!(s, "initial {w} t0;").unwrap();
        }
        for r in &self.rules {
            // Exclusions only where there is something to exclude from.
            let tgt_neg: &[String] = if r.tgt.iter().any(|t| t != "self") {
                &r.tgt_neg
            } else {
                &[]
            };
            writeln!(
                s,
                "{} {} {} : {{ {} }} {};",
                r.kind,
                set(&r.src, &r.src_neg),
                set(&r.tgt, tgt_neg),
                r.classes.join(" "),
                r.perms
            )
            .unwrap();
        }
        s
    }
}
