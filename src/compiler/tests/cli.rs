// SPDX-License-Identifier: GPL-2.0

//! The `carapacec` command line.

use std::process::Command;

use carapace_core::policy::PolicyDb;

const MAIN: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../policy/default/main.cpol"
);

#[test]
fn compiles_default_policy() {
    let out = std::env::temp_dir().join(format!("carapacec-test-{}.bin", std::process::id()));
    let st = Command::new(env!("CARGO_BIN_EXE_carapacec"))
        .arg("-o")
        .arg(&out)
        .arg(MAIN)
        .status()
        .unwrap();
    assert!(st.success());
    let bin = std::fs::read(&out).unwrap();
    std::fs::remove_file(&out).unwrap();
    let db = PolicyDb::parse(&bin).unwrap();
    assert!(db.type_by_name(b"cr_allowed_t").is_some());
}

#[test]
fn reports_errors_with_location() {
    let dir = std::env::temp_dir().join(format!("carapacec-err-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let src = dir.join("bad.cpol");
    std::fs::write(&src, "type a_t;\nallow a_t b_t : file read;\n").unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_carapacec"))
        .arg("--check")
        .arg(&src)
        .output()
        .unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("unknown type or attribute `b_t`"), "{err}");
    assert!(err.contains("bad.cpol:2:11"), "{err}");
    assert!(err.contains("could not compile policy due to"), "{err}");
}
