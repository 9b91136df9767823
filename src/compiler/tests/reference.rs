// SPDX-License-Identifier: GPL-2.0

//! Property test: random policies, every query; the compiled database
//! answers exactly what a naive interpreter over the generated source
//! answers.

use std::collections::HashMap;
use std::fmt::Write;

use carapace_compiler::compile_str;
use carapace_core::classmap::KernelClass;
use carapace_core::policy::{PolicyDb, TypeId};
use proptest::prelude::*;

const CLASSES: [KernelClass; 5] = [
    KernelClass::File,
    KernelClass::Dir,
    KernelClass::Process,
    KernelClass::Capability2,
    KernelClass::Fd,
];

/// A name in a rule: type `i`, attribute `i`, or `self` (targets only).
#[derive(Clone, Copy, Debug)]
enum Ref {
    Type(usize),
    Attr(usize),
    Itself,
}

#[derive(Clone, Debug)]
struct Rule {
    kind: usize, // 0 allow, 1 auditallow, 2 dontaudit
    src: Vec<Ref>,
    tgt: Vec<Ref>,
    src_neg: Vec<Ref>, // exclusions (`-name`)
    tgt_neg: Vec<Ref>, // used only if tgt has a type or attribute
    class: usize,
    perms: Option<u32>, // None = `*`
}

#[derive(Clone, Debug)]
struct Spec {
    ntypes: usize,
    nattrs: usize,
    member: Vec<Vec<bool>>, // [type][attr]
    permissive: Vec<bool>,
    rules: Vec<Rule>,
    trans: Vec<(usize, usize, usize, usize)>, // src, tgt, class, result
    nevers: Vec<Rule>,                        // kind ignored
}

fn spec() -> impl Strategy<Value = Spec> {
    (1usize..7, 0usize..4).prop_flat_map(|(nt, na)| {
        let rref_src = prop_oneof![
            (0..nt).prop_map(Ref::Type),
            (0..na.max(1)).prop_map(move |a| if na == 0 { Ref::Type(0) } else { Ref::Attr(a) }),
        ];
        let rref_tgt = prop_oneof![
            (0..nt).prop_map(Ref::Type),
            (0..na.max(1)).prop_map(move |a| if na == 0 { Ref::Type(0) } else { Ref::Attr(a) }),
            Just(Ref::Itself),
        ];
        let rule = (
            0usize..3,
            prop::collection::vec(rref_src.clone(), 1..3),
            prop::collection::vec(rref_tgt, 1..3),
            prop::collection::vec(rref_src.clone(), 0..2),
            prop::collection::vec(rref_src, 0..2),
            0..CLASSES.len(),
            prop::option::weighted(0.9, any::<u32>()),
        )
            .prop_map(|(kind, src, tgt, src_neg, tgt_neg, class, perms)| {
                let tgt_neg = if tgt.iter().any(|t| !matches!(t, Ref::Itself)) {
                    tgt_neg
                } else {
                    Vec::new()
                };
                let all = CLASSES[class].all_perms();
                let perms = perms.map(|p| {
                    let p = p & all;
                    if p == 0 {
                        1
                    } else {
                        p
                    }
                });
                Rule {
                    kind,
                    src,
                    tgt,
                    src_neg,
                    tgt_neg,
                    class,
                    perms,
                }
            })
            .boxed();
        (
            prop::collection::vec(prop::collection::vec(any::<bool>(), na), nt),
            prop::collection::vec(prop::bool::weighted(0.2), nt),
            prop::collection::vec(rule.clone(), 0..16),
            prop::collection::vec((0..nt, 0..nt, 0..CLASSES.len(), 0..nt), 0..6),
            prop::collection::vec(rule, 0..3),
        )
            .prop_map(move |(member, permissive, rules, trans, nevers)| Spec {
                ntypes: nt,
                nattrs: na,
                member,
                permissive,
                rules,
                trans,
                nevers,
            })
    })
}

fn name(r: Ref) -> String {
    match r {
        Ref::Type(i) => format!("t{i}"),
        Ref::Attr(i) => format!("a{i}"),
        Ref::Itself => "self".into(),
    }
}

fn set(v: &[Ref], neg: &[Ref]) -> String {
    let names: Vec<String> = v
        .iter()
        .map(|r| name(*r))
        .chain(neg.iter().map(|r| format!("-{}", name(*r))))
        .collect();
    format!("{{ {} }}", names.join(" "))
}

impl Spec {
    /// The dedup'd transitions (first one wins per key), as the source.
    fn transitions(&self) -> HashMap<(usize, usize, usize), usize> {
        let mut m = HashMap::new();
        for &(s, t, c, r) in &self.trans {
            m.entry((s, t, c)).or_insert(r);
        }
        m
    }

    fn source(&self) -> String {
        self.source_with(false)
    }

    fn source_with(&self, nevers: bool) -> String {
        let mut s = String::new();
        for a in 0..self.nattrs {
            writeln!(s, "attribute a{a};").unwrap();
        }
        for t in 0..self.ntypes {
            write!(s, "type t{t}").unwrap();
            for a in 0..self.nattrs {
                if self.member[t][a] {
                    write!(s, ", a{a}").unwrap();
                }
            }
            writeln!(s, ";").unwrap();
            if self.permissive[t] {
                writeln!(s, "permissive t{t};").unwrap();
            }
        }
        for w in ["kernel", "unlabeled", "file", "security"] {
            writeln!(s, "initial {w} t0;").unwrap();
        }
        let never_rules: Vec<Rule> = if nevers {
            self.nevers
                .iter()
                .map(|r| Rule {
                    kind: 3,
                    ..r.clone()
                })
                .collect()
        } else {
            Vec::new()
        };
        for r in self.rules.iter().chain(&never_rules) {
            let kw = ["allow", "auditallow", "dontaudit", "neverallow"][r.kind];
            let class = CLASSES[r.class];
            let perms = match r.perms {
                None => "*".to_string(),
                Some(p) => {
                    let names: Vec<&str> = (0..32)
                        .filter(|b| p & (1 << b) != 0)
                        .map(|b| class.perm_names()[b])
                        .collect();
                    format!("{{ {} }}", names.join(" "))
                }
            };
            writeln!(
                s,
                "{kw} {} {} : {} {perms};",
                set(&r.src, &r.src_neg),
                set(&r.tgt, &r.tgt_neg),
                class.name()
            )
            .unwrap();
        }
        for ((src, t, c), r) in self.transitions() {
            writeln!(
                s,
                "type_transition t{src} t{t} : {} t{r};",
                CLASSES[c].name()
            )
            .unwrap();
        }
        s
    }

    fn has(&self, t: usize, r: Ref) -> bool {
        match r {
            Ref::Type(i) => i == t,
            Ref::Attr(a) => self.member[t][a],
            Ref::Itself => false,
        }
    }

    fn src_has(&self, r: &Rule, s: usize) -> bool {
        r.src.iter().any(|x| self.has(s, *x)) && !r.src_neg.iter().any(|x| self.has(s, *x))
    }

    /// `self` matches t == s; exclusions apply to types and attributes only.
    fn tgt_has(&self, r: &Rule, s: usize, t: usize) -> bool {
        (r.tgt.iter().any(|x| matches!(x, Ref::Itself)) && t == s)
            || (r.tgt.iter().any(|x| self.has(t, *x)) && !r.tgt_neg.iter().any(|x| self.has(t, *x)))
    }

    /// Naive interpretation: scan every rule.
    fn query(&self, s: usize, t: usize, c: usize) -> (u32, u32, u32) {
        let (mut al, mut aa, mut da) = (0, 0, 0);
        for r in &self.rules {
            if r.class != c {
                continue;
            }
            let src_ok = self.src_has(r, s);
            let tgt_ok = self.tgt_has(r, s, t);
            if src_ok && tgt_ok {
                let p = r.perms.unwrap_or(CLASSES[c].all_perms());
                match r.kind {
                    0 => al |= p,
                    1 => aa |= p,
                    _ => da |= p,
                }
            }
        }
        (al, aa, !da)
    }
}

impl Spec {
    /// Whether some allowed access is forbidden by a neverallow.
    fn violates(&self) -> bool {
        self.nevers.iter().any(|n| {
            let perms = n.perms.unwrap_or(CLASSES[n.class].all_perms());
            (0..self.ntypes).any(|s| {
                self.src_has(n, s)
                    && (0..self.ntypes)
                        .any(|t| self.tgt_has(n, s, t) && self.query(s, t, n.class).0 & perms != 0)
            })
        })
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn compiled_matches_reference(spec in spec()) {
        let src = spec.source();
        let out = compile_str("random.cpol", &src).map_err(|e| TestCaseError::fail(e.render()))?;
        let db = PolicyDb::parse(&out.binary).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let trans = spec.transitions();
        for s in 0..spec.ntypes {
            prop_assert_eq!(db.type_by_name(format!("t{s}").as_bytes()), Some(TypeId(s as u32)));
            prop_assert_eq!(db.is_permissive(TypeId(s as u32)), spec.permissive[s]);
            for t in 0..spec.ntypes {
                for (c, class) in CLASSES.iter().enumerate() {
                    let d = db.compute_av(TypeId(s as u32), TypeId(t as u32), *class);
                    let (al, aa, ad) = spec.query(s, t, c);
                    prop_assert_eq!((d.allowed, d.auditallow, d.auditdeny), (al, aa, ad),
                        "query t{} t{} {}\n{}", s, t, class.name(), src);
                    let want = trans.get(&(s, t, c)).map(|r| TypeId(*r as u32));
                    prop_assert_eq!(db.type_transition(TypeId(s as u32), TypeId(t as u32), *class), want);
                }
            }
        }
    }

    #[test]
    fn neverallow_matches_reference(spec in spec()) {
        let src = spec.source_with(true);
        let res = compile_str("random.cpol", &src);
        match (&res, spec.violates()) {
            (Ok(_), false) => {}
            (Err(e), true) => {
                let text = e.render();
                prop_assert!(text.contains("neverallow violated"), "{}", text);
            }
            (Ok(_), true) => prop_assert!(false, "violation not caught:\n{}", src),
            (Err(e), false) => prop_assert!(false, "false violation:\n{}\n{}", e.render(), src),
        }
    }
}
