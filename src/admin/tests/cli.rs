// SPDX-License-Identifier: GPL-2.0

//! `carapacectl` end to end on the host: a fake securityfs (a temporary
//! directory of regular files), a fake procfs, and policies compiled by
//! the compiler crate.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use carapace_core::classmap::KernelClass;
use carapace_core::policy::PolicyDb;

const SAMPLE: &str = "audit: type=1400 audit(1700000000.123:42): carapace: denied { checkpoint_restore } for pid=77 comm=\"clone3_test\" capability=40 scontext=cr_denied_t tcontext=cr_denied_t tclass=capability2 permissive=0";

fn default_policy_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../policy/default/main.cpol")
}

fn default_policy() -> Vec<u8> {
    carapace_compiler::compile_paths(&[default_policy_path()])
        .map_err(|e| e.render())
        .unwrap()
        .binary
}

/// A fake carapace securityfs.
fn fake_sfs() -> tempfile::TempDir {
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    fs::create_dir(p.join("avc")).unwrap();
    fs::write(p.join("policy"), b"").unwrap();
    fs::write(p.join("enforce"), b"0\n").unwrap();
    fs::write(
        p.join("status"),
        "enforcing: 1\npolicy: loaded\nseqno: 3\npolicy_size: 4096\ntypes: 30\navc_entries: 5\n",
    )
    .unwrap();
    fs::write(
        p.join("avc/cache_stats"),
        "lookups hits misses allocations reclaims frees\n100 90 10 10 0 0\n",
    )
    .unwrap();
    fs::write(
        p.join("avc/hash_stats"),
        "entries: 10\nbuckets used: 9/512\nlongest chain: 2\n",
    )
    .unwrap();
    d
}

fn ctl(sfs: &Path, args: &[&str]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_carapacectl"));
    c.env("CARAPACE_SECURITYFS", sfs)
        .env_remove("CARAPACE_PROCFS")
        .args(args);
    c
}

fn run(sfs: &Path, args: &[&str]) -> Output {
    ctl(sfs, args).stdin(Stdio::null()).output().unwrap()
}

fn run_stdin(sfs: &Path, args: &[&str], input: &str) -> Output {
    let mut child = ctl(sfs, args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // The tool may exit before it reads its input (a usage error): a
    // broken pipe then is not the test's failure.
    match child.stdin.take().unwrap().write_all(input.as_bytes()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {}
        r => r.unwrap(),
    }
    child.wait_with_output().unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn status_prints_and_checks() {
    let d = fake_sfs();
    let o = run(d.path(), &["status"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).contains("avc_entries: 5"));
    assert_eq!(run(d.path(), &["status", "--check"]).status.code(), Some(0));
    fs::write(d.path().join("status"), "enforcing: 0\npolicy: loaded\n").unwrap();
    assert_eq!(run(d.path(), &["status", "--check"]).status.code(), Some(3));
    fs::write(d.path().join("status"), "enforcing: 1\npolicy: none\n").unwrap();
    assert_eq!(run(d.path(), &["status", "--check"]).status.code(), Some(4));
}

#[test]
fn enforce_and_permissive_write_one_byte() {
    let d = fake_sfs();
    let o = run(d.path(), &["enforce"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(fs::read(d.path().join("enforce")).unwrap(), b"1\n");
    let o = run(d.path(), &["permissive"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(fs::read(d.path().join("enforce")).unwrap(), b"0\n");
}

#[test]
fn missing_securityfs_is_explained() {
    let o = run(Path::new("/nonexistent/carapace"), &["status"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("is securityfs mounted"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn avc_stats() {
    let d = fake_sfs();
    let o = run(d.path(), &["avc-stats"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let s = stdout(&o);
    assert!(s.contains("hits:          90 (90.0% of lookups)"), "{s}");
    assert!(s.contains("buckets used:  9/512"), "{s}");
    let o = run(d.path(), &["avc-stats", "--raw"]);
    assert!(stdout(&o).starts_with("lookups hits misses"));
}

/// The fake `access` file holds the expected query, a newline and the
/// answer: writing the query at offset 0 leaves it as it was (so the file
/// still starting with it proves the query was exact), and the answer
/// read back from offset 0 ends with the answer line.
fn fake_access(d: &Path, query: &str, answer: &str) {
    fs::write(d.join("access"), format!("{query}\n{answer}")).unwrap();
}

#[test]
fn access_query_through_securityfs() {
    let d = fake_sfs();
    let q = "cr_allowed_t cr_allowed_t capability2";
    fake_access(
        d.path(),
        q,
        "allowed=0x100 auditallow=0x0 auditdeny=0xffffffff flags=0x0 seqno=3\n",
    );
    let args = ["access", "cr_allowed_t", "cr_allowed_t", "capability2"];
    let o = run(d.path(), &args);
    assert!(o.status.success(), "{}", stderr(&o));
    let s = stdout(&o);
    assert!(s.contains("allowed:    { checkpoint_restore }"), "{s}");
    assert!(s.contains("seqno:      3"), "{s}");
    // The query was written as is.
    assert!(fs::read_to_string(d.path().join("access"))
        .unwrap()
        .starts_with(&format!("{q}\n")));
    let mut a = args.to_vec();
    a.extend(["--perm", "checkpoint_restore"]);
    assert_eq!(run(d.path(), &a).status.code(), Some(0));
    a.extend(["--perm", "bpf"]);
    let o = run(d.path(), &a);
    assert_eq!(o.status.code(), Some(3));
    assert!(stderr(&o).contains("{ bpf }"), "{}", stderr(&o));
    let o = run(d.path(), &["access", "a_t", "b_t", "nosuchclass"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("unknown class `nosuchclass`"));
}

#[test]
fn access_from_policy_file() {
    let d = fake_sfs();
    let pol = d.path().join("policy.bin");
    fs::write(&pol, default_policy()).unwrap();
    let p = pol.to_str().unwrap();
    for (dom, code) in [("cr_allowed_t", 0), ("cr_denied_t", 3)] {
        let o = run(
            d.path(),
            &[
                "access",
                dom,
                dom,
                "capability2",
                "--policy",
                p,
                "--perm",
                "checkpoint_restore",
            ],
        );
        assert_eq!(o.status.code(), Some(code), "{dom}: {}", stderr(&o));
    }
    let o = run(
        d.path(),
        &["access", "nope_t", "cr_denied_t", "file", "--policy", p],
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("type `nope_t` is not defined"));
}

#[test]
fn load_validates_then_writes_once() {
    let d = fake_sfs();
    let bin = default_policy();
    let pol = d.path().join("policy.bin");
    fs::write(&pol, &bin).unwrap();
    let o = run(d.path(), &["load", pol.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(fs::read(d.path().join("policy")).unwrap(), bin);

    // A corrupt policy is refused here, before the kernel sees it.
    fs::write(d.path().join("policy"), b"").unwrap();
    let mut bad = bin.clone();
    let n = bad.len();
    bad[n - 1] ^= 0xff;
    fs::write(&pol, &bad).unwrap();
    let o = run(d.path(), &["load", pol.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("invalid policy"), "{}", stderr(&o));
    assert!(fs::read(d.path().join("policy")).unwrap().is_empty());
    // ... unless told not to check.
    let o = run(d.path(), &["load", "--no-verify", pol.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(fs::read(d.path().join("policy")).unwrap(), bad);
}

#[test]
fn explain_sample_from_stdin_and_file() {
    let d = fake_sfs();
    let o = run_stdin(d.path(), &["explain"], &format!("noise\n{SAMPLE}\n"));
    assert!(o.status.success(), "{}", stderr(&o));
    let s = stdout(&o);
    assert!(
        s.contains(
            "cr_denied_t was denied { checkpoint_restore } on cr_denied_t (class capability2)"
        ),
        "{s}"
    );
    assert!(s.contains("allow cr_denied_t self:capability2 { checkpoint_restore };"));
    assert!(s.contains("clone3_test (pid 77)"));
    assert!(s.contains("CAP_CHECKPOINT_RESTORE"));

    let f = d.path().join("audit.log");
    fs::write(&f, format!("{SAMPLE}\n")).unwrap();
    let o = run(d.path(), &["explain", "--rules", f.to_str().unwrap()]);
    assert_eq!(
        stdout(&o),
        "allow cr_denied_t self:capability2 { checkpoint_restore };\n"
    );
    let o = run_stdin(d.path(), &["explain"], "nothing here\n");
    assert!(o.status.success());
    assert!(stderr(&o).contains("no carapace denials"));
}

/// The rule `explain` suggests is valid policy and grants exactly what
/// was denied (checked on a permission the default policy's neverallows
/// do not forbid; for checkpoint_restore in cr_denied_t the compiler
/// refuses it, as it should).
#[test]
fn explain_rule_compiles_and_grants() {
    let d = fake_sfs();
    let line = SAMPLE
        .replace("checkpoint_restore", "bpf")
        .replace("=40", "=39");
    let o = run_stdin(d.path(), &["explain", "--rules"], &line);
    let rule = stdout(&o);
    assert_eq!(rule, "allow cr_denied_t self:capability2 { bpf };\n");
    let extra = d.path().join("extra.cpol");
    fs::write(&extra, &rule).unwrap();
    let out = carapace_compiler::compile_paths(&[default_policy_path(), extra.clone()])
        .map_err(|e| e.render())
        .unwrap();
    let db = PolicyDb::parse(&out.binary).unwrap();
    let t = db.type_by_name(b"cr_denied_t").unwrap();
    let bpf = KernelClass::Capability2
        .perm_names()
        .iter()
        .position(|p| *p == "bpf")
        .unwrap();
    assert_ne!(
        db.compute_av(t, t, KernelClass::Capability2).allowed & (1 << bpf),
        0
    );

    let o = run_stdin(d.path(), &["explain", "--rules"], SAMPLE);
    fs::write(&extra, stdout(&o)).unwrap();
    let err = carapace_compiler::compile_paths(&[default_policy_path(), extra])
        .unwrap_err()
        .render();
    assert!(err.contains("neverallow"), "{err}");
}

/// Socket and System V IPC records: `explain` describes their objects,
/// and the rules it suggests compile and grant what was denied.
#[test]
fn explain_socket_and_ipc_records() {
    let d = fake_sfs();
    let records = [
        "carapace: denied { connectto } for pid=77 comm=\"lsm-probe\" family=unix scontext=net_denied_t tcontext=net_server_t tclass=unix_stream_socket permissive=0",
        "carapace: denied { nlmsg_read } for pid=80 comm=\"lsm-probe\" family=netlink nlmsg_type=20 scontext=net_denied_t tcontext=net_denied_t tclass=netlink_tcpdiag_socket permissive=0",
        "carapace: denied { read write } for pid=81 comm=\"lsm-probe\" key=4660 scontext=net_denied_t tcontext=net_server_t tclass=shm permissive=0",
        "carapace: denied { node_bind } for pid=82 comm=\"lsm-probe\" family=inet src=8080 scontext=net_denied_t tcontext=unlabeled_t tclass=tcp_socket permissive=0",
    ]
    .join("\n");
    let o = run_stdin(d.path(), &["explain"], &records);
    assert!(o.status.success(), "{}", stderr(&o));
    let s = stdout(&o);
    for object in [
        "object: a unix socket\n",
        "object: a netlink message of type 20 (SOCK_DIAG_BY_FAMILY)\n",
        "object: System V shared memory key 4660 (0x00001234)\n",
        "object: an inet socket binding port 8080\n",
        "note: ports and nodes have no types yet",
    ] {
        assert!(s.contains(object), "{object:?} in {s}");
    }

    let o = run_stdin(d.path(), &["explain", "--rules"], &records);
    let rules = stdout(&o);
    assert_eq!(
        rules,
        "allow net_denied_t net_server_t:unix_stream_socket { connectto };\n\
         allow net_denied_t self:netlink_tcpdiag_socket { nlmsg_read };\n\
         allow net_denied_t net_server_t:shm { read write };\n\
         allow net_denied_t unlabeled_t:tcp_socket { node_bind };\n"
    );
    let extra = d.path().join("extra.cpol");
    fs::write(
        &extra,
        format!("type net_denied_t, domain;\ntype net_server_t, domain;\n{rules}"),
    )
    .unwrap();
    let out = carapace_compiler::compile_paths(&[default_policy_path(), extra])
        .map_err(|e| e.render())
        .unwrap();
    let db = PolicyDb::parse(&out.binary).unwrap();
    let ty = |name: &str| db.type_by_name(name.as_bytes()).unwrap();
    let granted = |source: &str, target: &str, class: KernelClass, perms: &[&str]| {
        let allowed = db.compute_av(ty(source), ty(target), class).allowed;
        perms.iter().all(|p| {
            let bit = class.perm_names().iter().position(|q| q == p).unwrap();
            allowed & (1 << bit) != 0
        })
    };
    assert!(granted(
        "net_denied_t",
        "net_server_t",
        KernelClass::UnixStreamSocket,
        &["connectto"]
    ));
    assert!(granted(
        "net_denied_t",
        "net_denied_t",
        KernelClass::NetlinkTcpdiagSocket,
        &["nlmsg_read"]
    ));
    assert!(granted(
        "net_denied_t",
        "net_server_t",
        KernelClass::Shm,
        &["read", "write"]
    ));
    assert!(granted(
        "net_denied_t",
        "unlabeled_t",
        KernelClass::TcpSocket,
        &["node_bind"]
    ));
}

/// A fake procfs with `self/attr/{exec,current}`.
fn fake_proc() -> tempfile::TempDir {
    let d = tempfile::tempdir().unwrap();
    fs::create_dir_all(d.path().join("self/attr")).unwrap();
    fs::create_dir_all(d.path().join("42/attr")).unwrap();
    fs::write(d.path().join("self/attr/exec"), b"").unwrap();
    fs::write(d.path().join("self/attr/current"), b"secadm_t\0").unwrap();
    fs::write(d.path().join("42/attr/current"), b"cr_allowed_t\n").unwrap();
    d
}

#[test]
fn exec_sets_label_then_runs() {
    let s = fake_sfs();
    let p = fake_proc();
    let pp = p.path().to_str().unwrap();
    let o = run(
        s.path(),
        &[
            "--procfs",
            pp,
            "exec",
            "--domain",
            "cr_allowed_t",
            "--",
            "sh",
            "-c",
            "echo hi; exit 7",
        ],
    );
    assert_eq!(o.status.code(), Some(7), "{}", stderr(&o));
    assert_eq!(stdout(&o), "hi\n");
    assert_eq!(
        fs::read(p.path().join("self/attr/exec")).unwrap(),
        b"cr_allowed_t"
    );
    let o = run(
        s.path(),
        &[
            "--procfs",
            pp,
            "exec",
            "-d",
            "x_t",
            "--",
            "/nonexistent/cmd",
        ],
    );
    assert_eq!(o.status.code(), Some(127));
    assert!(stderr(&o).contains("command not found"));
    // The label write fails: clear error, exit 1, nothing run.
    fs::remove_file(p.path().join("self/attr/exec")).unwrap();
    fs::create_dir(p.path().join("self/attr/exec")).unwrap();
    let o = run(
        s.path(),
        &["--procfs", pp, "exec", "-d", "x_t", "--", "echo", "ran"],
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("cannot set the exec label"),
        "{}",
        stderr(&o)
    );
    assert_eq!(stdout(&o), "");
    // The command must come after `--`.
    assert_eq!(run(s.path(), &["exec", "-d", "x_t"]).status.code(), Some(2));
}

#[test]
fn context_of_processes() {
    let s = fake_sfs();
    let p = fake_proc();
    let pp = p.path().to_str().unwrap();
    let o = run(s.path(), &["--procfs", pp, "context"]);
    assert_eq!(stdout(&o), "secadm_t\n", "{}", stderr(&o));
    let o = run(s.path(), &["--procfs", pp, "context", "--pid", "42"]);
    assert_eq!(stdout(&o), "cr_allowed_t\n");
    let o = run(s.path(), &["--procfs", pp, "context", "--pid", "43"]);
    assert_eq!(o.status.code(), Some(1));
}

#[test]
fn label_check_and_context() {
    let s = fake_sfs();
    let pol = s.path().join("policy.bin");
    fs::write(&pol, default_policy()).unwrap();
    let f = s.path().join("file");
    fs::write(&f, b"x").unwrap();
    let fp = f.to_str().unwrap();
    // No policy loaded (the fake `policy` is empty): --check cannot check.
    let o = run(s.path(), &["label", "--check", fp, "bin_t"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("no policy is loaded"), "{}", stderr(&o));
    fs::copy(&pol, s.path().join("policy")).unwrap();
    let o = run(s.path(), &["label", "--check", fp, "nope_t"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("type `nope_t` is not defined in loaded policy"));
    let o = run(
        s.path(),
        &[
            "label",
            "--check",
            "--policy",
            pol.to_str().unwrap(),
            fp,
            "domain",
        ],
    );
    assert_eq!(o.status.code(), Some(1), "an attribute is not a type");

    // Setting security.* xattrs needs privilege and filesystem support
    // on the host; check the round trip where it works.
    let o = run(s.path(), &["label", "--check", fp, "bin_t"]);
    if !o.status.success() {
        eprintln!("skipping the xattr round trip: {}", stderr(&o));
        return;
    }
    let o = run(s.path(), &["context", fp]);
    assert_eq!(stdout(&o), "bin_t\n", "{}", stderr(&o));
}

/// A small VM-like root.
fn tree() -> tempfile::TempDir {
    let d = tempfile::tempdir().unwrap();
    let r = d.path();
    for dir in [
        "usr/sbin",
        "usr/bin",
        "bin",
        "opt/carapace/cr-allowed",
        "tmp",
        "proc/1",
        "etc",
    ] {
        fs::create_dir_all(r.join(dir)).unwrap();
    }
    for f in [
        "usr/sbin/criu",
        "usr/sbin/carapacectl",
        "usr/bin/env",
        "bin/busybox",
        "opt/carapace/cr-allowed/clone3_test",
        "tmp/x",
        "proc/1/status",
        "etc/passwd",
        "init",
    ] {
        fs::write(r.join(f), b"").unwrap();
    }
    std::os::unix::fs::symlink("busybox", r.join("bin/sh")).unwrap();
    d
}

#[test]
fn relabel_dry_run_on_tree() {
    let s = fake_sfs();
    let t = tree();
    let pol = s.path().join("policy.bin");
    fs::write(&pol, default_policy()).unwrap();
    let root = t.path().to_str().unwrap();
    let o = run(
        s.path(),
        &[
            "relabel",
            "--dry-run",
            "--policy",
            pol.to_str().unwrap(),
            "--alt-root",
            root,
            "--exclude",
            "/proc",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    let expect = [
        ("bin/busybox", "bin_t"),
        ("bin/sh", "bin_t"),
        ("init", "init_exec_t"),
        ("opt/carapace/cr-allowed/clone3_test", "cr_allowed_exec_t"),
        ("tmp/x", "tmpfs_t"),
        ("usr/bin/env", "bin_t"),
        ("usr/sbin/carapacectl", "secadm_exec_t"),
        ("usr/sbin/criu", "criu_exec_t"),
    ];
    let lines: Vec<String> = expect
        .iter()
        .map(|(p, ty)| format!("would relabel {root}/{p}: <none> -> {ty}"))
        .collect();
    for l in &lines {
        assert!(out.lines().any(|x| x == l), "missing `{l}` in:\n{out}");
    }
    assert_eq!(out.lines().count(), lines.len(), "{out}");
    assert!(!out.contains("proc"), "excluded");
    assert!(stderr(&o).contains("8 would change"), "{}", stderr(&o));
    // Dry run: nothing written.
    assert!(
        carapace_admin::label::get_file_label(&t.path().join("init"), false)
            .map_or(true, |l| l.is_none())
    );

    // One ROOT inside the alternate root.
    let o = run(
        s.path(),
        &[
            "relabel",
            "-n",
            "--policy",
            pol.to_str().unwrap(),
            "--alt-root",
            root,
            "/usr/sbin",
        ],
    );
    assert_eq!(
        stdout(&o),
        format!(
            "would relabel {root}/usr/sbin/carapacectl: <none> -> secadm_exec_t\n\
             would relabel {root}/usr/sbin/criu: <none> -> criu_exec_t\n"
        )
    );
}

#[test]
fn relabel_needs_a_policy() {
    let s = fake_sfs();
    let t = tree();
    let o = run(s.path(), &["relabel", "-n", t.path().to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("no policy is loaded"));
}

#[test]
fn usage_errors_exit_2() {
    let s = fake_sfs();
    assert_eq!(run(s.path(), &[]).status.code(), Some(2));
    assert_eq!(run(s.path(), &["frobnicate"]).status.code(), Some(2));
    assert_eq!(run(s.path(), &["access", "a_t"]).status.code(), Some(2));
    let o = run(s.path(), &["relabel", "--help"]);
    assert_eq!(o.status.code(), Some(0));
    assert!(stdout(&o).contains("first file context matching"));
}

#[test]
fn relabel_applies_and_is_idempotent() {
    use carapace_admin::label::{get_file_label, set_file_label};
    let s = fake_sfs();
    let t = tree();
    let r = t.path();
    if let Err(e) = set_file_label(&r.join("init"), "bin_t", false) {
        eprintln!("skipping: security xattrs not settable here: {e}");
        return;
    }
    let pol = s.path().join("policy.bin");
    fs::write(&pol, default_policy()).unwrap();
    let args = [
        "relabel",
        "--policy",
        pol.to_str().unwrap(),
        "--alt-root",
        r.to_str().unwrap(),
        "--exclude",
        "proc",
    ];
    let o = run(s.path(), &args);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(
        out.contains(&format!(
            "relabelled {}/init: bin_t -> init_exec_t",
            r.display()
        )),
        "{out}"
    );
    let label = |p: &str| get_file_label(&r.join(p), false).unwrap();
    assert_eq!(label("init").as_deref(), Some("init_exec_t"));
    assert_eq!(label("usr/sbin/criu").as_deref(), Some("criu_exec_t"));
    // The symlink itself, not its target (which has its own match).
    assert_eq!(label("bin/sh").as_deref(), Some("bin_t"));
    assert_eq!(label("etc/passwd"), None, "no file context: untouched");
    assert_eq!(label("proc/1/status"), None, "excluded");
    let o = run(s.path(), &args);
    assert!(o.status.success());
    assert_eq!(stdout(&o), "", "second run changes nothing");
    assert!(
        stderr(&o).contains("0 changed, 8 unchanged"),
        "{}",
        stderr(&o)
    );
}

fn json(o: &Output) -> serde_json::Value {
    assert!(o.status.code().is_some(), "{}", stderr(o));
    let s = stdout(o);
    assert_eq!(s.lines().count(), 1, "one line of JSON: {s}");
    serde_json::from_str(&s).unwrap_or_else(|e| panic!("{e}: {s}"))
}

#[test]
fn status_json() {
    let d = fake_sfs();
    let o = run(d.path(), &["status", "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v = json(&o);
    assert_eq!(v["enforcing"], true);
    assert_eq!(v["policy_loaded"], true);
    assert_eq!(v["policy"], "loaded");
    assert_eq!(v["seqno"], 3);
    assert_eq!(v["avc_entries"], 5);
    // --check still sets the exit code.
    fs::write(d.path().join("status"), "enforcing: 0\npolicy: loaded\n").unwrap();
    let o = run(d.path(), &["status", "--json", "--check"]);
    assert_eq!(o.status.code(), Some(3));
    assert_eq!(json(&o)["enforcing"], false);
}

#[test]
fn avc_stats_json() {
    let d = fake_sfs();
    let v = json(&run(d.path(), &["avc-stats", "--json"]));
    assert_eq!(v["cache"]["lookups"], 100);
    assert_eq!(v["cache"]["hits"], 90);
    assert_eq!(v["hash"]["entries"], 10);
    assert_eq!(v["hash"]["buckets_used"], "9/512");
    assert_eq!(v["hash"]["longest_chain"], 2);
    assert_eq!(v["hit_ratio"], 0.9);
    let o = run(d.path(), &["avc-stats", "--json", "--raw"]);
    assert_eq!(o.status.code(), Some(2), "--json and --raw conflict");
}

#[test]
fn access_json() {
    let d = fake_sfs();
    let q = "cr_allowed_t cr_allowed_t capability2";
    fake_access(
        d.path(),
        q,
        "allowed=0x100 auditallow=0x0 auditdeny=0xfffffeff flags=0x0 seqno=3\n",
    );
    let args = [
        "access",
        "cr_allowed_t",
        "cr_allowed_t",
        "capability2",
        "--json",
        "--perm",
        "checkpoint_restore",
        "--perm",
        "bpf",
    ];
    let o = run(d.path(), &args);
    assert_eq!(o.status.code(), Some(3));
    let v = json(&o);
    assert_eq!(v["class"], "capability2");
    assert_eq!(v["allowed"], serde_json::json!(["checkpoint_restore"]));
    assert_eq!(v["dontaudit"], serde_json::json!(["checkpoint_restore"]));
    assert!(v["denied"]
        .as_array()
        .unwrap()
        .contains(&serde_json::json!("bpf")));
    assert_eq!(v["missing"], serde_json::json!(["bpf"]));
    assert_eq!(v["seqno"], 3);
    assert_eq!(v["permissive"], false);
    assert_eq!(v["raw"]["allowed"], 0x100);
    // From a policy file: no seqno.
    let pol = d.path().join("policy.bin");
    fs::write(&pol, default_policy()).unwrap();
    let v = json(&run(
        d.path(),
        &[
            "access",
            "cr_denied_t",
            "cr_denied_t",
            "capability2",
            "--json",
            "--policy",
            pol.to_str().unwrap(),
        ],
    ));
    assert_eq!(v["seqno"], serde_json::Value::Null);
    assert_eq!(v["allowed"], serde_json::json!([]));
}

#[test]
fn context_json() {
    let s = fake_sfs();
    let p = fake_proc();
    let pp = p.path().to_str().unwrap();
    let v = json(&run(s.path(), &["--procfs", pp, "context", "--json"]));
    assert_eq!(v, serde_json::json!({ "pid": null, "context": "secadm_t" }));
    let v = json(&run(
        s.path(),
        &["--procfs", pp, "context", "--pid", "42", "--json"],
    ));
    assert_eq!(
        v,
        serde_json::json!({ "pid": 42, "context": "cr_allowed_t" })
    );
}

/// `ausearch -m AVC --raw` prints records as auditd logged them.
const AUSEARCH_RAW: &str = "----\ntype=SYSCALL msg=audit(1700000000.123:42): arch=c000003e syscall=435 success=no exit=-1 a0=7ffd a1=58 items=0 ppid=1 pid=77 auid=4294967295 uid=0 comm=\"clone3_test\" key=\"carapace_test\"\ntype=AVC msg=audit(1700000000.123:42): carapace: denied { checkpoint_restore } for pid=77 comm=\"clone3_test\" capability=40 scontext=cr_denied_t tcontext=cr_denied_t tclass=capability2 permissive=0\n";

#[test]
fn explain_names_the_neverallow_a_rule_would_break() {
    let d = fake_sfs();
    let main = default_policy_path();
    let src = main.to_str().unwrap();
    let o = run_stdin(
        d.path(),
        &["explain", "--rules", "--policy-source", src],
        AUSEARCH_RAW,
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    let mut lines = out.lines();
    let note = lines.next().unwrap();
    assert!(
        note.starts_with("# breaks neverallow at ") && note.contains("checkpoint.cpol:"),
        "{out}"
    );
    assert!(
        note.ends_with(
            "neverallow cr_denied_t self : { capability2 cap2_userns } checkpoint_restore;"
        ),
        "{out}"
    );
    assert_eq!(
        lines.next(),
        Some("allow cr_denied_t self:capability2 { checkpoint_restore };")
    );
    assert!(stderr(&o).contains("1 suggested rule would break a neverallow"));
    // The file and line are those of the statement.
    let (file, rest) = note
        .trim_start_matches("# breaks neverallow at ")
        .split_once(':')
        .unwrap();
    let line: usize = rest.split(':').next().unwrap().parse().unwrap();
    let text = fs::read_to_string(file).unwrap();
    assert!(text
        .lines()
        .nth(line - 1)
        .unwrap()
        .starts_with("neverallow cr_denied_t self"));

    // In the report too.
    let o = run_stdin(d.path(), &["explain", "--policy-source", src], AUSEARCH_RAW);
    assert!(
        stdout(&o).contains("but it would break the neverallow at "),
        "{}",
        stdout(&o)
    );

    // A rule no neverallow forbids: no note.
    let bpf = AUSEARCH_RAW
        .replace("checkpoint_restore", "bpf")
        .replace("=40", "=39");
    let o = run_stdin(
        d.path(),
        &["explain", "--rules", "--policy-source", src],
        &bpf,
    );
    assert_eq!(stdout(&o), "allow cr_denied_t self:capability2 { bpf };\n");
    assert_eq!(stderr(&o), "");

    // Sources that do not compile are an error.
    let o = run_stdin(
        d.path(),
        &["explain", "--rules", "--policy-source", "/nonexistent.cpol"],
        AUSEARCH_RAW,
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("do not compile"), "{}", stderr(&o));
}

#[test]
fn explain_warns_when_sources_are_not_the_loaded_policy() {
    let d = fake_sfs();
    let main = default_policy_path();
    // The fake securityfs's `policy` is the default policy: no warning.
    fs::write(d.path().join("policy"), default_policy()).unwrap();
    let args = [
        "explain",
        "--rules",
        "--policy-source",
        main.to_str().unwrap(),
    ];
    let o = run_stdin(d.path(), &args, "");
    assert!(!stderr(&o).contains("do not compile to the loaded policy"));
    let other = carapace_compiler::compile_str(
        "x.cpol",
        "type k_t; initial kernel k_t; initial unlabeled k_t; initial file k_t; initial security k_t;",
    )
    .unwrap()
    .binary;
    fs::write(d.path().join("policy"), other).unwrap();
    let o = run_stdin(d.path(), &args, "");
    assert!(
        stderr(&o).contains("do not compile to the loaded policy"),
        "{}",
        stderr(&o)
    );
}
