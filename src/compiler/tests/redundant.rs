// SPDX-License-Identifier: GPL-2.0

//! Property test: on random small policies, the redundant-rule warnings
//! are exactly those of the plain pairwise search, which compares every
//! rule with every other one.

use std::collections::BTreeMap;

use carapace_compiler::compile_str;
use carapace_compiler::model::{AvRule, Policy, Target};
use carapace_compiler::syntax::{AvKind, Span};
use codespan_reporting::diagnostic::Diagnostic;
use proptest::prelude::*;

mod common;

use common::{Choices, Spec};

fn spec() -> impl Strategy<Value = Spec> {
    common::spec(Choices {
        kinds: vec!["allow", "allow", "auditallow", "dontaudit"],
        classes: vec![
            vec!["file"],
            vec!["file"],
            vec!["dir"],
            vec!["file", "dir"],
            vec!["file", "file"],
        ],
        perms: vec![
            "read",
            "write",
            "{ read write }",
            "{ read write open }",
            "*",
            "~read",
        ],
    })
}

/// One rule expanded to the types it names.
struct Expanded {
    sources: Vec<u32>,
    targets: Vec<u32>,
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

fn subset(a: &[u32], b: &[u32]) -> bool {
    a.iter().all(|x| b.contains(x))
}

/// Whether `big` grants everything `small` does (same kind and class).
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

/// The reference: each rule against every other rule of the policy, in
/// policy order; the first that covers it is named (of two that cover
/// each other, the later one is the redundant one).
fn reference(p: &Policy) -> Vec<Diagnostic<usize>> {
    let rules: Vec<(usize, &AvRule, Expanded)> = p
        .rules
        .iter()
        .enumerate()
        .filter(|(_, r)| r.kind != AvKind::NeverAllow && r.perms != 0)
        .map(|(i, r)| (i, r, expand(p, r)))
        .filter(|(_, _, e)| !e.sources.is_empty() && (e.self_target || !e.targets.is_empty()))
        .collect();
    let mut found: BTreeMap<(u32, u32, u32, u32), (Span, AvKind)> = BTreeMap::new();
    for (i, r, e) in &rules {
        let key = (r.span.file, r.span.start, r.span.end, r.class);
        if found.contains_key(&key) {
            continue;
        }
        for (j, cr, ce) in &rules {
            if j == i
                || cr.kind != r.kind
                || cr.class != r.class
                || cr.span == r.span
                || !covers((cr, ce), (r, e))
            {
                continue;
            }
            if covers((r, e), (cr, ce)) && j > i {
                continue;
            }
            found.insert(key, (cr.span, r.kind));
            break;
        }
    }
    found
        .into_iter()
        .map(|((file, start, end, class), (by, kind))| {
            let class = &p.classes[class as usize].name;
            Diagnostic::warning()
                .with_message(format!(
                    "redundant `{}` rule for class `{class}`",
                    kind.keyword()
                ))
                .with_labels(vec![
                    Span { file, start, end }
                        .primary()
                        .with_message("this rule adds nothing"),
                    by.secondary()
                        .with_message("to this rule, which covers its types and permissions"),
                ])
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2048, ..ProptestConfig::default() })]

    #[test]
    fn redundant_rules_are_those_of_the_pairwise_search(spec in spec()) {
        let src = spec.source();
        let out = match compile_str("r.cpol", &src) {
            Ok(o) => o,
            // A rule whose exclusions leave nothing, or no type at all.
            Err(_) => return Ok(()),
        };
        let got: Vec<Diagnostic<usize>> = out
            .warnings
            .iter()
            .filter(|d| d.message.starts_with("redundant"))
            .cloned()
            .collect();
        prop_assert_eq!(got, reference(&out.policy), "{}", src);
    }
}

#[test]
fn attribute_rules_cover_type_rules_and_self() {
    let src = "attribute d; type a_t, d; type b_t, d;\n\
               initial kernel a_t; initial unlabeled a_t; initial file a_t; initial security a_t;\n\
               allow d d : file { read write };\n\
               allow a_t b_t : file read;\n\
               allow d self : dir read;\n\
               allow b_t b_t : dir read;\n\
               allow a_t { a_t b_t } : dir read;\n\
               allow { a_t b_t } a_t : dir read;\n";
    let out = compile_str("r.cpol", src).unwrap();
    let got: Vec<_> = out
        .warnings
        .iter()
        .filter(|d| d.message.starts_with("redundant"))
        .cloned()
        .collect();
    assert_eq!(got.len(), 2, "{}", out.render_warnings());
    assert_eq!(got, reference(&out.policy));
}
