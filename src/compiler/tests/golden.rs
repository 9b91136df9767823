// SPDX-License-Identifier: GPL-2.0

//! Golden tests: each `tests/golden/NAME.cpol` must fail to compile with
//! exactly the diagnostics in `NAME.stderr`, and each `tests/golden/ok/NAME.cpol`
//! must compile to a database whose decision dump is `NAME.dump`, and each
//! `tests/golden/warn/NAME.cpol` must compile with exactly the warnings in
//! `NAME.stderr`.
//! Run with `UPDATE_GOLDEN=1` to rewrite the expected files.

use std::fmt::Write;
use std::path::Path;

use carapace_compiler::compile_paths;
use carapace_core::classmap::KernelClass;
use carapace_core::policy::{PolicyDb, TypeId};

fn check(expected: &Path, actual: &str) {
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(expected, actual).unwrap();
        return;
    }
    let want = std::fs::read_to_string(expected)
        .unwrap_or_else(|_| panic!("missing {}; run with UPDATE_GOLDEN=1", expected.display()));
    assert_eq!(actual, want, "golden mismatch for {}", expected.display());
}

fn cases(dir: &str) -> Vec<std::path::PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
    let mut v: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "cpol"))
        .collect();
    v.sort();
    v
}

#[test]
fn diagnostics() {
    // Paths relative to the crate so the rendered file names are stable.
    std::env::set_current_dir(env!("CARGO_MANIFEST_DIR")).unwrap();
    let all = cases("tests/golden");
    assert!(all.len() >= 10);
    for p in all {
        let rel = p.strip_prefix(env!("CARGO_MANIFEST_DIR")).unwrap();
        let err = compile_paths(&[rel]).expect_err(&format!("{} compiled", rel.display()));
        check(&p.with_extension("stderr"), &err.render());
    }
}

#[test]
fn warnings() {
    std::env::set_current_dir(env!("CARGO_MANIFEST_DIR")).unwrap();
    let all = cases("tests/golden/warn");
    assert!(all.len() >= 2);
    for p in all {
        let rel = p.strip_prefix(env!("CARGO_MANIFEST_DIR")).unwrap();
        let out = compile_paths(&[rel]).unwrap_or_else(|e| panic!("{}: {e:?}", rel.display()));
        check(&p.with_extension("stderr"), &out.render_warnings());
    }
}

/// Every decision of a small database, as text.
fn dump(db: &PolicyDb<'_>) -> String {
    let mut s = String::new();
    let n = db.type_count();
    for a in 0..n {
        let an = String::from_utf8_lossy(db.type_name(TypeId(a))).into_owned();
        writeln!(
            s,
            "type {a} {an} permissive={}",
            db.is_permissive(TypeId(a))
        )
        .unwrap();
    }
    for a in 0..n {
        for b in 0..n {
            for c in KernelClass::ALL {
                let d = db.compute_av(TypeId(a), TypeId(b), *c);
                if d.allowed != 0 || d.auditallow != 0 || d.auditdeny != u32::MAX {
                    writeln!(
                        s,
                        "av {a} {b} {}: allowed={:#x} auditallow={:#x} auditdeny={:#x}",
                        c.name(),
                        d.allowed,
                        d.auditallow,
                        d.auditdeny
                    )
                    .unwrap();
                }
                if let Some(t) = db.type_transition(TypeId(a), TypeId(b), *c) {
                    writeln!(s, "tt {a} {b} {}: {}", c.name(), t.0).unwrap();
                }
            }
        }
    }
    for f in db.file_contexts() {
        writeln!(
            s,
            "fc {:?} {} {}",
            f.kind,
            String::from_utf8_lossy(f.pattern),
            f.ty.0
        )
        .unwrap();
    }
    s
}

#[test]
fn outputs() {
    std::env::set_current_dir(env!("CARGO_MANIFEST_DIR")).unwrap();
    for p in cases("tests/golden/ok") {
        let out = compile_paths(&[&p]).unwrap();
        let db = PolicyDb::parse(&out.binary).unwrap();
        check(&p.with_extension("dump"), &dump(&db));
    }
}
