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

/// A scratch directory with `bad.cpol` holding `text`.
struct Scratch(std::path::PathBuf);

impl Scratch {
    fn new(tag: &str, text: &str) -> Self {
        let dir = std::env::temp_dir().join(format!("carapacec-{tag}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("bad.cpol"), text).unwrap();
        Scratch(dir)
    }

    /// Runs carapacec --check on the file with `args` and `env`.
    fn run(&self, args: &[&str], env: &[(&str, &str)]) -> std::process::Output {
        let mut c = Command::new(env!("CARGO_BIN_EXE_carapacec"));
        c.arg("--check").args(args).arg(self.0.join("bad.cpol"));
        c.env_remove("NO_COLOR");
        for (k, v) in env {
            c.env(k, v);
        }
        c.output().unwrap()
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

const BASE: &str = "type kernel_t; type cr_allowed_t;\n\
    initial kernel kernel_t; initial unlabeled kernel_t;\n\
    initial file kernel_t; initial security kernel_t;\n\
    allow cr_allowed_t self : process fork;\n";

fn has_escapes(b: &[u8]) -> bool {
    b.contains(&0x1b)
}

#[test]
fn colour_only_on_a_terminal_or_when_asked() {
    let s = Scratch::new(
        "colour",
        &format!("{BASE}allow cr_alowed_t kernel_t : file read;\n"),
    );
    // Piped (the test's stderr is a pipe): no escape codes, even with a TERM.
    let o = s.run(&[], &[("TERM", "xterm-256color")]);
    assert_eq!(o.status.code(), Some(1));
    assert!(!has_escapes(&o.stderr), "{:?}", o.stderr);
    let o = s.run(&["--color=always"], &[("TERM", "xterm-256color")]);
    assert!(has_escapes(&o.stderr));
    // An explicit --color=always wins over NO_COLOR; auto honours it.
    let o = s.run(&["--color=always"], &[("NO_COLOR", "1"), ("TERM", "xterm")]);
    assert!(has_escapes(&o.stderr));
    let o = s.run(&["--color=never"], &[("TERM", "xterm")]);
    assert!(!has_escapes(&o.stderr));
}

#[test]
fn suggests_the_name_meant() {
    let s = Scratch::new(
        "suggest",
        &format!("{BASE}allow cr_alowed_t kernel_t : file read;\n"),
    );
    let o = s.run(&[], &[]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("help: did you mean `cr_allowed_t`?"), "{err}");
}

#[test]
fn warnings_pass_unless_w_error() {
    let s = Scratch::new("werror", &format!("{BASE}type lonely_t;\n"));
    let o = s.run(&[], &[]);
    assert!(o.status.success());
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("warning: type `lonely_t` is never used"),
        "{err}"
    );
    let o = s.run(&["-W", "error"], &[]);
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("error: type `lonely_t` is never used"),
        "{err}"
    );
    assert!(err.contains("warnings are errors (-W error)"), "{err}");
    assert!(
        err.contains("could not compile policy due to 1 previous error"),
        "{err}"
    );
    // -W error writes nothing.
    let out = s.0.join("out.bin");
    let o = Command::new(env!("CARGO_BIN_EXE_carapacec"))
        .args(["-W", "error", "-o"])
        .arg(&out)
        .arg(s.0.join("bad.cpol"))
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    assert!(!out.exists());
}

#[test]
fn json_diagnostics_one_object_per_line() {
    let s = Scratch::new(
        "json",
        &format!("{BASE}type lonely_t;\nallow cr_alowed_t kernel_t : file read;\n"),
    );
    let o = s.run(&["--format", "json", "--color=always"], &[]);
    assert_eq!(o.status.code(), Some(1));
    assert!(!has_escapes(&o.stderr));
    let text = String::from_utf8(o.stderr).unwrap();
    let v: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(v.len(), 1, "{text}");
    let d = &v[0];
    assert_eq!(d["severity"], "error");
    assert_eq!(d["message"], "unknown type or attribute `cr_alowed_t`");
    let l = &d["labels"][0];
    assert_eq!(l["primary"], true);
    assert!(l["file"].as_str().unwrap().ends_with("bad.cpol"));
    assert_eq!(
        (l["line"].as_u64(), l["column"].as_u64()),
        (Some(6), Some(7))
    );
    assert_eq!(l["end_column"].as_u64(), Some(18));
    assert_eq!(d["notes"][0], "help: did you mean `cr_allowed_t`?");
    // Warnings of a policy that compiles, in JSON too.
    let s = Scratch::new("json-warn", &format!("{BASE}type lonely_t;\n"));
    let o = s.run(&["--format=json"], &[]);
    assert!(o.status.success());
    let d: serde_json::Value =
        serde_json::from_str(String::from_utf8_lossy(&o.stderr).trim()).unwrap();
    assert_eq!(d["severity"], "warning");
    assert_eq!(d["labels"][0]["line"].as_u64(), Some(5));
}
