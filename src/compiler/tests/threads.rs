// SPDX-License-Identifier: GPL-2.0

//! Property test: on random policies large enough to be parsed in
//! pieces, searched for redundant rules in halves and have their
//! warnings written in chunks, a compilation on several threads gives
//! exactly what one on a single thread gives: the same binary and the
//! same warnings, or the same errors.

use std::fmt::Write;

use carapace_compiler::compile_strs_on;
use proptest::prelude::*;

/// A small deterministic generator, so that a seed stands for a policy.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }
}

/// About `rules` rules over 40 types and 8 attributes, in several classes,
/// some written over several lines, some granting permissions no hook
/// checks, many covering others; with `broken`, one statement somewhere
/// is wrong (a syntax error or an unknown type).
fn policy(seed: u64, rules: usize, broken: bool) -> String {
    let mut rng = Rng(seed | 1);
    let mut s = String::new();
    for a in 0..8 {
        writeln!(s, "attribute a{a};").unwrap();
    }
    for t in 0..40 {
        writeln!(s, "type t{t}, a{}, a{};", t % 8, (t * 3) % 8).unwrap();
    }
    for w in ["kernel", "unlabeled", "file", "security"] {
        writeln!(s, "initial {w} t0;").unwrap();
    }
    let kinds = ["allow", "allow", "allow", "auditallow", "dontaudit"];
    let classes = ["file", "dir", "{ file dir }", "process", "fd"];
    let perms = [
        "read",
        "{ read write }",
        "{ read watch }",
        "*",
        "~read",
        "{ getattr watch_sb }",
    ];
    let name = |rng: &mut Rng| {
        if rng.below(5) == 0 {
            format!("a{}", rng.below(8))
        } else {
            format!("t{}", rng.below(40))
        }
    };
    let bad_at = if broken { rng.below(rules) } else { rules };
    for i in 0..rules {
        if i == bad_at {
            s.push_str(
                [
                    "allow t1 t2 : file { read ;\n",
                    "allow t1 nosuch : file read;\n",
                ][rng.below(2)],
            );
        }
        let kind = kinds[rng.below(kinds.len())];
        let (src, tgt) = (name(&mut rng), name(&mut rng));
        let tgt = if rng.below(10) == 0 {
            "self".into()
        } else {
            tgt
        };
        let class = classes[rng.below(classes.len())];
        let mut perm = perms[rng.below(perms.len())];
        if class == "process" {
            perm = "*";
        } else if class == "fd" {
            perm = "use";
        }
        let gap = if rng.below(8) == 0 { "\n" } else { " " };
        writeln!(s, "{kind} {src}{gap}{tgt} : {class} {perm};").unwrap();
    }
    s
}

fn compiled(src: &str, threads: usize) -> Result<(Vec<u8>, String), String> {
    compile_strs_on(&[("p.cpol", src)], threads)
        .map(|o| (o.binary.clone(), o.render_warnings()))
        .map_err(|e| e.render())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(12))]

    #[test]
    fn threads_change_nothing(seed in any::<u64>(), broken in prop::bool::weighted(0.25)) {
        let src = policy(seed, 6000, broken);
        let one = compiled(&src, 1);
        // Most policies compile (the property is about the output).
        prop_assert!(broken || one.is_ok(), "{:?}", one);
        for threads in [2, 3] {
            prop_assert!(compiled(&src, threads) == one, "{} threads", threads);
        }
    }
}

#[test]
fn the_generated_policies_reach_the_parallel_paths() {
    let src = policy(7, 6000, false);
    assert!(
        src.len() > 2 * (64 << 10),
        "parsed in pieces: {} bytes",
        src.len()
    );
    let (_, warnings) = compiled(&src, 2).expect("compiles");
    assert!(
        warnings.matches("\nwarning: ").count() > 1024,
        "several chunks"
    );
    assert!(warnings.contains("redundant `allow` rule for class `file`"));
    assert!(warnings.contains("redundant `dontaudit` rule for class `dir`"));
}
