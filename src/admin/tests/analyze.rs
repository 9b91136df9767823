// SPDX-License-Identifier: GPL-2.0

//! `carapacectl analyze` end to end: small policies written here, whose
//! answers are known, and the default policy, as sources and as binaries.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

fn default_policy_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../policy/default")
}

/// Runs `carapacectl analyze ARGS` in `dir`; standard output and the
/// exit code.
fn analyze(dir: &Path, args: &[&str]) -> (String, i32) {
    let o = Command::new(env!("CARGO_BIN_EXE_carapacectl"))
        .current_dir(dir)
        .env("CARAPACE_SECURITYFS", dir.join("no-securityfs"))
        .arg("analyze")
        .args(args)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let code = o.status.code().unwrap();
    assert!(
        code == 0 || code == 3,
        "{args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    (String::from_utf8(o.stdout).unwrap(), code)
}

fn analyze_json(dir: &Path, args: &[&str]) -> serde_json::Value {
    let mut args = args.to_vec();
    args.push("--json");
    serde_json::from_str(&analyze(dir, &args).0).unwrap()
}

/// `reach capability2 checkpoint_restore --policy POLICY --json`.
fn reach_checkpoint_restore(dir: &Path, policy: &str) -> serde_json::Value {
    analyze_json(
        dir,
        &[
            "reach",
            "capability2",
            "checkpoint_restore",
            "--policy",
            policy,
        ],
    )
}

/// The chain of each domain `reach` lists, in its order.
fn reach_chains(dir: &Path, policy: &str) -> Vec<Vec<String>> {
    reach_checkpoint_restore(dir, policy)["domains"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| serde_json::from_value(d["chain"].clone()).unwrap())
        .collect()
}

/// A directory holding `files` (name, text).
fn policy_dir(files: &[(&str, &str)]) -> tempfile::TempDir {
    let d = tempfile::tempdir().unwrap();
    for (name, text) in files {
        fs::write(d.path().join(name), text).unwrap();
    }
    d
}

/// Compiles `dir/src` into `dir/bin`.
fn compile(dir: &Path, src: &str, bin: &str) {
    let out = carapace_compiler::compile_paths(&[dir.join(src)])
        .map_err(|e| e.render())
        .unwrap();
    fs::write(dir.join(bin), out.binary).unwrap();
}

const INITIAL: &str = "initial kernel a_t;\ninitial unlabeled a_t;\n\
                       initial file a_t;\ninitial security a_t;\n";

const CHAIN: &str = "\
attribute domain;
type a_t, domain;
type b_t, domain;
type c_t, domain;
type d_t, domain;
type z_t, domain;
type other_t, domain;
type b_exec_t;
type c_exec_t;
type d_exec_t;
include \"initial.cpol\";
# a_t -> b_t: exec of b_exec_t, by type_transition.
type_transition a_t b_exec_t : process b_t;
allow a_t b_t : process transition;
allow b_t b_exec_t : file entrypoint;
allow a_t b_exec_t : file execute;
# b_t -> c_t: exec of c_exec_t after setting the exec label.
allow b_t self : process setexec;
allow b_t c_t : process transition;
allow c_t c_exec_t : file entrypoint;
allow b_t c_exec_t : file execute;
# c_t -> d_t: a dynamic transition.
allow c_t self : process setcurrent;
allow c_t d_t : process dyntransition;
allow d_t self : capability2 checkpoint_restore;
# z_t reaches d_t in two steps by way of c_t, not four by way of a_t.
allow z_t self : process setcurrent;
allow z_t { a_t c_t } : process dyntransition;
# other_t may not enter d_t: no entrypoint.
type_transition other_t d_exec_t : process d_t;
allow other_t d_t : process transition;
allow other_t d_exec_t : file execute;
";

fn chain_dir() -> tempfile::TempDir {
    policy_dir(&[("chain.cpol", CHAIN), ("initial.cpol", INITIAL)])
}

#[test]
fn reach_follows_a_chain_of_three_transitions_of_each_kind() {
    let d = chain_dir();
    let (out, code) = analyze(
        d.path(),
        &[
            "reach",
            "capability2",
            "checkpoint_restore",
            "--policy",
            "chain.cpol",
        ],
    );
    assert_eq!(code, 0);
    let c = "chain.cpol";
    let step_ab = format!(
        "  a_t -> b_t: exec b_exec_t (type_transition)
    {c}:13: type_transition a_t b_exec_t : process b_t;
    {c}:14: allow a_t b_t : process {{ transition }};
    {c}:15: allow b_t b_exec_t : file {{ entrypoint }};
    {c}:16: allow a_t b_exec_t : file {{ execute }};
"
    );
    let step_bc = format!(
        "  b_t -> c_t: exec c_exec_t (exec_label)
    {c}:18: allow b_t self : process {{ setexec }};
    {c}:19: allow b_t c_t : process {{ transition }};
    {c}:20: allow c_t c_exec_t : file {{ entrypoint }};
    {c}:21: allow b_t c_exec_t : file {{ execute }};
"
    );
    let step_cd = format!(
        "  c_t -> d_t: dyntransition
    {c}:23: allow c_t self : process {{ setcurrent }};
    {c}:24: allow c_t d_t : process {{ dyntransition }};
"
    );
    let granted = format!(
        "  d_t: granted
    {c}:25: allow d_t self : capability2 {{ checkpoint_restore }};
"
    );
    let step_zc = format!(
        "  z_t -> c_t: dyntransition
    {c}:27: allow z_t self : process {{ setcurrent }};
    {c}:28: allow z_t {{ a_t c_t }} : process {{ dyntransition }};
"
    );
    let expected = format!(
        "capability2 {{ checkpoint_restore }}: 5 domains
d_t
{granted}c_t -> d_t
{step_cd}{granted}b_t -> c_t -> d_t
{step_bc}{step_cd}{granted}z_t -> c_t -> d_t
{step_zc}{step_cd}{granted}a_t -> b_t -> c_t -> d_t
{step_ab}{step_bc}{step_cd}{granted}"
    );
    assert_eq!(out, expected);
}

#[test]
fn reach_on_the_binary_finds_the_same_chains() {
    let d = chain_dir();
    compile(d.path(), "chain.cpol", "chain.bin");
    let expected: Vec<Vec<&str>> = vec![
        vec!["d_t"],
        vec!["c_t", "d_t"],
        vec!["b_t", "c_t", "d_t"],
        vec!["z_t", "c_t", "d_t"],
        vec!["a_t", "b_t", "c_t", "d_t"],
    ];
    assert_eq!(reach_chains(d.path(), "chain.cpol"), expected);
    assert_eq!(reach_chains(d.path(), "chain.bin"), expected);
    // The steps say how, and the binary has no lines.
    let v = reach_checkpoint_restore(d.path(), "chain.bin");
    let a = &v["domains"][4];
    let how: Vec<&str> = a["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["how"].as_str().unwrap())
        .collect();
    assert_eq!(how, ["type_transition", "exec_label", "dyntransition"]);
    assert_eq!(a["steps"][0]["exec_type"], "b_exec_t");
    assert_eq!(
        a["steps"][0]["rules"][0]["rule"],
        "type_transition a_t b_exec_t : process b_t;"
    );
    assert_eq!(a["steps"][0]["rules"][0]["line"], serde_json::Value::Null);
}

#[test]
fn reach_with_a_target_and_a_permission_nobody_has() {
    let d = chain_dir();
    // Only d_t holds it, on itself: asking about c_t finds no one.
    let v = analyze_json(
        d.path(),
        &[
            "reach",
            "capability2",
            "checkpoint_restore",
            "--target",
            "c_t",
            "--policy",
            "chain.cpol",
        ],
    );
    assert_eq!(v["domains"], serde_json::json!([]));
    let (out, _) = analyze(
        d.path(),
        &[
            "reach",
            "file",
            "entrypoint",
            "--target",
            "b_exec_t",
            "--policy",
            "chain.cpol",
        ],
    );
    let firsts: Vec<&str> = out.lines().filter(|l| !l.starts_with(' ')).collect();
    assert_eq!(
        firsts,
        [
            "file { entrypoint } on b_exec_t: 3 domains",
            "b_t",
            "a_t -> b_t",
            "z_t -> a_t -> b_t"
        ]
    );
}

const SEARCH_MAIN: &str = "\
attribute domain;
attribute files;
type a_t, domain;
type web_t, domain;
type data_t, files;
type log_t, files;
include \"initial.cpol\";
include \"rules.cpol\";
";

const SEARCH_RULES: &str = "\
allow domain files : file read;
allow a_t data_t : file { read write };
allow web_t log_t : file append;
auditallow a_t data_t : file write;
dontaudit web_t data_t : file read;
neverallow web_t data_t : file write;
allow a_t self : process fork;
";

fn search_dir() -> tempfile::TempDir {
    policy_dir(&[
        ("main.cpol", SEARCH_MAIN),
        ("rules.cpol", SEARCH_RULES),
        ("initial.cpol", INITIAL),
    ])
}

fn search(d: &Path, args: &[&str]) -> String {
    let mut a = vec!["search", "--policy", "main.cpol"];
    a.extend_from_slice(args);
    analyze(d, &a).0
}

#[test]
fn search_expands_attributes_and_gives_file_and_line() {
    let d = search_dir();
    let d = d.path();
    // A type matches the rules on its attributes.
    assert_eq!(
        search(d, &["-s", "a_t", "-c", "file"]),
        "rules.cpol:1: allow domain files : file { read };\n\
         rules.cpol:2: allow a_t data_t : file { read write };\n\
         rules.cpol:4: auditallow a_t data_t : file { write };\n"
    );
    // An attribute matches the rules on its types.
    assert_eq!(
        search(d, &["-s", "domain", "-t", "data_t", "--allow"]),
        "rules.cpol:1: allow domain files : file { read };\n\
         rules.cpol:2: allow a_t data_t : file { read write };\n"
    );
    // Any of the permissions, every kind.
    assert_eq!(
        search(d, &["-t", "files", "-p", "write,append"]),
        "rules.cpol:2: allow a_t data_t : file { read write };\n\
         rules.cpol:3: allow web_t log_t : file { append };\n\
         rules.cpol:4: auditallow a_t data_t : file { write };\n\
         rules.cpol:6: neverallow web_t data_t : file { write };\n"
    );
    assert_eq!(
        search(d, &["--dontaudit", "--neverallow"]),
        "rules.cpol:5: dontaudit web_t data_t : file { read };\n\
         rules.cpol:6: neverallow web_t data_t : file { write };\n"
    );
    // `self` is the source type: a_t is the target of its own rule, web_t
    // of none.
    assert_eq!(
        search(d, &["-t", "a_t"]),
        "rules.cpol:7: allow a_t self : process { fork };\n"
    );
    assert_eq!(search(d, &["-s", "domain", "-t", "web_t"]), "");
    let v = analyze_json(d, &["search", "--policy", "main.cpol", "-p", "fork"]);
    assert_eq!(
        v["rules"],
        serde_json::json!([{
            "kind": "allow", "sources": ["a_t"], "targets": ["self"], "class": "process",
            "perms": ["fork"], "rule": "allow a_t self : process { fork };",
            "file": "rules.cpol", "line": 7,
        }])
    );
}

#[test]
fn search_in_a_binary_prints_its_rules() {
    let d = search_dir();
    compile(d.path(), "main.cpol", "main.bin");
    let (out, _) = analyze(
        d.path(),
        &[
            "search", "--policy", "main.bin", "-s", "a_t", "-t", "data_t",
        ],
    );
    assert_eq!(
        out,
        "allow a_t data_t : file { read write };\n\
         auditallow a_t data_t : file { write };\n\
         allow domain files : file { read };\n"
    );
    // `self` is expanded in the binary; neverallow rules are not kept.
    let (out, _) = analyze(
        d.path(),
        &["search", "--policy", "main.bin", "-c", "process"],
    );
    assert_eq!(out, "allow a_t a_t : process { fork };\n");
    let (out, _) = analyze(
        d.path(),
        &["search", "--policy", "main.bin", "--neverallow"],
    );
    assert_eq!(out, "");
}

const DIFF_OLD: &str = "\
attribute domain;
attribute gone_attr;
type a_t, domain, gone_attr;
type b_t, domain;
type old_t;
type f_t;
type x_exec_t;
permissive b_t;
include \"initial.cpol\";
allow a_t f_t : file { read open };
allow b_t f_t : file read;
allow domain self : process fork;
allow gone_attr old_t : file read;
type_transition a_t x_exec_t : process b_t;
type_transition b_t x_exec_t : process a_t;
";

const DIFF_NEW: &str = "\
attribute domain;
attribute new_attr;
type a_t, domain, new_attr;
type b_t;
type new_t, domain;
type f_t;
type x_exec_t;
permissive a_t;
include \"initial.cpol\";
allow a_t f_t : { file } { read write };
allow domain self : process fork;
allow new_t f_t : file getattr;
allow new_attr f_t : file read;
type_transition a_t x_exec_t : process new_t;
type_transition new_t x_exec_t : process a_t;
";

#[test]
fn diff_reports_each_kind_of_change() {
    let d = policy_dir(&[
        ("old.cpol", DIFF_OLD),
        ("new.cpol", DIFF_NEW),
        ("initial.cpol", INITIAL),
    ]);
    let expected = "\
Types: 1 added, 1 removed
  + new_t
  - old_t
Permissive types: 1 added, 1 removed
  + a_t
  - b_t
Attributes: 1 added, 1 removed
  + new_attr
  - gone_attr
Attribute members: 1 changed
  * domain: +new_t -b_t
Rules: 2 added, 2 removed, 1 changed
  * allow a_t f_t : file { read +write -open };
  - allow b_t f_t : file { read };
  - allow gone_attr old_t : file { read };
  + allow new_attr f_t : file { read };
  + allow new_t f_t : file { getattr };
Type transitions: 1 added, 1 removed, 1 changed
  * type_transition a_t x_exec_t : process b_t -> new_t;
  - type_transition b_t x_exec_t : process a_t;
  + type_transition new_t x_exec_t : process a_t;
";
    let (out, code) = analyze(d.path(), &["diff", "old.cpol", "new.cpol"]);
    assert_eq!((out.as_str(), code), (expected, 3));
    // Binaries: the same changes, and those of `domain self`, which the
    // binary holds per type.
    compile(d.path(), "old.cpol", "old.bin");
    compile(d.path(), "new.cpol", "new.bin");
    let (out, code) = analyze(d.path(), &["diff", "old.bin", "new.bin"]);
    let expected_bin = expected
        .replace("Rules: 2 added, 2 removed", "Rules: 3 added, 3 removed")
        .replace(
            "  - allow b_t f_t",
            "  - allow b_t b_t : process { fork };\n  - allow b_t f_t",
        )
        .replace(
            "{ getattr };\n",
            "{ getattr };\n  + allow new_t new_t : process { fork };\n",
        );
    assert_eq!((out, code), (expected_bin, 3));
    let v = analyze_json(d.path(), &["diff", "old.cpol", "new.cpol"]);
    assert_eq!(
        v["rules"][0],
        serde_json::json!({"kind": "allow", "source": "a_t", "target": "f_t", "class": "file",
                           "kept": ["read"], "added": ["write"], "removed": ["open"]})
    );
    assert_eq!(
        v["transitions"][0],
        serde_json::json!({"source": "a_t", "target": "x_exec_t", "class": "process",
                           "old": "b_t", "new": "new_t"})
    );
    assert_eq!(
        v["members"]["domain"]["removed"],
        serde_json::json!(["b_t"])
    );
    // A policy against itself: nothing, exit 0.
    assert_eq!(analyze(d.path(), &["diff", "old.cpol", "old.bin"]).1, 3);
    assert_eq!(
        analyze(d.path(), &["diff", "new.cpol", "new.cpol"]),
        (String::new(), 0)
    );
}

#[test]
fn default_policy_checkpoint_restore_reach() {
    let dir = default_policy_dir();
    let got = reach_chains(&dir, "main.cpol");
    let domains: BTreeSet<&str> = got.iter().map(|c| c[0].as_str()).collect();
    // criu_t, criu_ns_t (root CRIU) and cr_allowed_t by their own rules,
    // the unconfined domains by theirs, secadm_t by executing a
    // cr_allowed_exec_t file.
    assert_eq!(
        domains,
        BTreeSet::from([
            "cr_allowed_t",
            "criu_ns_t",
            "criu_t",
            "init_t",
            "kernel_t",
            "unconfined_t",
            "secadm_t"
        ])
    );
    let secadm = got.iter().find(|c| c[0] == "secadm_t").unwrap();
    assert_eq!(secadm, &["secadm_t", "cr_allowed_t"]);
    // The binary gives the same answer.
    let bin = tempfile::tempdir().unwrap();
    fs::write(
        bin.path().join("default.bin"),
        carapace_compiler::compile_paths(&[dir.join("main.cpol")])
            .unwrap()
            .binary,
    )
    .unwrap();
    assert_eq!(reach_chains(bin.path(), "default.bin"), got);
    // The text names the rule that grants it.
    let (out, _) = analyze(
        &dir,
        &[
            "reach",
            "capability2",
            "checkpoint_restore",
            "--policy",
            "main.cpol",
        ],
    );
    let line = line_of(
        &dir.join("criu.cpol"),
        "allow criu_t self : { capability2 cap2_userns }",
    );
    assert!(
        out.contains(&format!("criu_t\n  criu_t: granted\n    criu.cpol:{line}: allow criu_t self : capability2 {{ checkpoint_restore }};\n")),
        "{out}"
    );
}

/// The 1-based line of `file` that starts with `text`.
fn line_of(file: &Path, text: &str) -> usize {
    let source = fs::read_to_string(file).unwrap();
    1 + source
        .lines()
        .position(|l| l.trim_start().starts_with(text))
        .unwrap_or_else(|| panic!("{} has no line {text:?}", file.display()))
}

#[test]
fn default_policy_search_and_info() {
    let dir = default_policy_dir();
    let (out, _) = analyze(
        &dir,
        &[
            "search",
            "--policy",
            "main.cpol",
            "-s",
            "criu_denied_t",
            "-c",
            "capability2",
        ],
    );
    let line = line_of(
        &dir.join("criu.cpol"),
        "neverallow criu_denied_t self : { capability2 cap2_userns }",
    );
    assert_eq!(
        out,
        format!("criu.cpol:{line}: neverallow criu_denied_t self : capability2 {{ checkpoint_restore }};\n")
    );
    let out = carapace_compiler::compile_paths(&[dir.join("main.cpol")]).unwrap();
    let v = analyze_json(&dir, &["info", "--policy", "main.cpol"]);
    let allows = out
        .policy
        .rules
        .iter()
        .filter(|r| r.kind == carapace_compiler::syntax::AvKind::Allow)
        .count();
    assert_eq!(v["types"], out.policy.types.len());
    assert_eq!(v["attributes"], out.policy.attributes.len());
    assert_eq!(v["rules"]["allow"], allows);
    assert_eq!(v["type_transition"], out.policy.transitions.len());
    // cr_denied_t's, criu_denied_t's and the CRIU job domains'.
    assert_eq!(v["per_class"]["capability2"]["neverallow"], 3);
    assert_eq!(v["form"], "source");
}

#[test]
fn info_counts_a_small_policy() {
    let d = search_dir();
    let (out, _) = analyze(d.path(), &["info", "--policy", "main.cpol"]);
    // A source policy has the kernel's classes.
    let classes = carapace_core::classmap::KernelClass::ALL;
    let perms: usize = classes.iter().map(|c| c.perm_names().len()).sum();
    assert_eq!(
        out,
        format!(
            "Policy: main.cpol (source)
  Classes:              {:>4}
  Permissions:          {:>4}
  Types:                   4
  Permissive types:        0
  Attributes:              2
  allow:                   4
  auditallow:              1
  dontaudit:               1
  neverallow:              1
  type_transition:         0

  class   perms   allow auditallow dontaudit neverallow type_transition
  file       27       3          1         1          1               0
  process    31       1          0         0          0               0
",
            classes.len(),
            perms
        )
    );
}

#[test]
fn unknown_names_are_errors() {
    let d = search_dir();
    let o = Command::new(env!("CARGO_BIN_EXE_carapacectl"))
        .current_dir(d.path())
        .args(["analyze", "search", "--policy", "main.cpol", "-s", "nope_t"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&o.stderr),
        "carapacectl: error: no type or attribute `nope_t` in main.cpol\n"
    );
}
