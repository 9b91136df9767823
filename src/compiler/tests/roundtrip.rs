// SPDX-License-Identifier: GPL-2.0

//! Source → binary → queries, on the default policy and small policies.

use carapace_compiler::{compile_paths, compile_str};
use carapace_core::classmap::{cap_to_class_perm, perm, KernelClass};
use carapace_core::policy::{
    FileContextKind, HandleUnknown, InitialSid, PolicyDb, PolicyError, TypeId,
};

fn default_policy() -> Vec<u8> {
    let root = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../policy/default/main.cpol"
    );
    compile_paths(&[root]).unwrap().binary
}

fn ty(db: &PolicyDb<'_>, n: &str) -> TypeId {
    db.type_by_name(n.as_bytes())
        .unwrap_or_else(|| panic!("no type {n}"))
}

#[test]
fn default_policy_checkpoint_restore() {
    let bin = default_policy();
    let db = PolicyDb::parse(&bin).unwrap();
    let allowed = ty(&db, "cr_allowed_t");
    let denied = ty(&db, "cr_denied_t");
    for init_ns in [true, false] {
        let (class, bit) = cap_to_class_perm(40, init_ns).unwrap();
        let a = db.compute_av(allowed, allowed, class);
        assert_eq!(a.allowed & bit, bit);
        let d = db.compute_av(denied, denied, class);
        assert_eq!(d.allowed & bit, 0);
        assert_eq!(d.auditdeny & bit, bit, "denials are audited");
        // Neither has sys_admin, the fallback of checkpoint_restore_ns_capable.
        let (class, bit) = cap_to_class_perm(21, init_ns).unwrap();
        assert_eq!(db.compute_av(allowed, allowed, class).allowed & bit, 0);
        assert_eq!(db.compute_av(denied, denied, class).allowed & bit, 0);
    }
    // Exec transitions into the domains.
    let unconfined = ty(&db, "unconfined_t");
    let exec = ty(&db, "cr_allowed_exec_t");
    assert_eq!(db.transition(unconfined, exec), Some(allowed));
    assert_eq!(
        db.transition(unconfined, ty(&db, "cr_denied_exec_t")),
        Some(denied)
    );
    assert_eq!(
        db.compute_av(unconfined, allowed, KernelClass::Process)
            .allowed
            & perm::PROCESS_TRANSITION,
        perm::PROCESS_TRANSITION
    );
    assert_ne!(
        db.compute_av(allowed, exec, KernelClass::File).allowed & perm::FILE_ENTRYPOINT,
        0
    );
    assert_eq!(db.transition(allowed, ty(&db, "bin_t")), None);
    // Initial labels and filesystems.
    assert_eq!(
        db.type_name(db.initial_sid(InitialSid::Kernel)),
        b"kernel_t"
    );
    assert_eq!(
        db.type_name(db.initial_sid(InitialSid::Unlabeled)),
        b"unlabeled_t"
    );
    assert_eq!(db.type_name(db.initial_sid(InitialSid::File)), b"file_t");
    assert_eq!(
        db.type_name(db.initial_sid(InitialSid::Security)),
        b"security_t"
    );
    assert_eq!(db.fs_default(b"proc"), Some(ty(&db, "proc_t")));
    let tmp = db.fs_label(b"tmpfs").unwrap();
    assert!(tmp.use_xattr);
    assert_eq!(tmp.ty, ty(&db, "tmpfs_t"));
    assert!(!db.fs_label(b"sysfs").unwrap().use_xattr);
    assert_eq!(db.fs_default(b"nosuchfs"), None);
    // Administration.
    let sec = db.initial_sid(InitialSid::Security);
    let secadm = ty(&db, "secadm_t");
    let load = perm::SECURITY_LOAD_POLICY | perm::SECURITY_SETENFORCE | perm::SECURITY_RELABEL;
    assert_eq!(
        db.compute_av(secadm, sec, KernelClass::Security).allowed & load,
        load
    );
    assert_eq!(
        db.compute_av(unconfined, sec, KernelClass::Security)
            .allowed
            & load,
        0
    );
    assert_eq!(
        db.transition(unconfined, ty(&db, "secadm_exec_t")),
        Some(secadm)
    );
    let fc: Vec<_> = db.file_contexts().collect();
    assert!(fc.iter().any(|f| f.pattern == b"/usr/sbin/criu"
        && f.kind == FileContextKind::Exact
        && f.ty == ty(&db, "criu_exec_t")));
    assert!(fc.iter().any(|f| f.pattern == b"/opt/carapace/cr-allowed/"
        && f.kind == FileContextKind::Prefix
        && f.ty == exec));
    // The CRIU module: criu_t, entered by executing criu, may checkpoint
    // and restore; criu_denied_t may not; neither has sys_admin.
    let (criu, criu_denied) = (ty(&db, "criu_t"), ty(&db, "criu_denied_t"));
    assert_eq!(
        db.transition(unconfined, ty(&db, "criu_exec_t")),
        Some(criu)
    );
    for init_ns in [true, false] {
        let (class, bit) = cap_to_class_perm(40, init_ns).unwrap();
        assert_eq!(db.compute_av(criu, criu, class).allowed & bit, bit);
        assert_eq!(
            db.compute_av(criu_denied, criu_denied, class).allowed & bit,
            0
        );
        let (class, bit) = cap_to_class_perm(21, init_ns).unwrap();
        assert_eq!(db.compute_av(criu, criu, class).allowed & bit, 0);
    }
    // CRIU restores jobs into their own domains: those of
    // criu_restore_domain (job_t, sim_t) and no other (web_t, itself
    // only through setcurrent); the jobs never checkpoint_restore.
    let process = |s, t| db.compute_av(s, t, KernelClass::Process).allowed;
    assert_ne!(process(criu, criu) & perm::PROCESS_SETCURRENT, 0);
    for (domain, restorable) in [("job_t", true), ("sim_t", true), ("web_t", false)] {
        let job = ty(&db, domain);
        let granted = process(criu, job) & perm::PROCESS_DYNTRANSITION != 0;
        assert_eq!(granted, restorable, "criu_t dyntransition to {domain}");
        assert_eq!(process(criu_denied, job) & perm::PROCESS_DYNTRANSITION, 0);
        assert_eq!(process(job, job) & perm::PROCESS_SETCURRENT, 0);
        for init_ns in [true, false] {
            let (class, bit) = cap_to_class_perm(40, init_ns).unwrap();
            assert_eq!(db.compute_av(job, job, class).allowed & bit, 0);
        }
    }
    assert_eq!(db.handle_unknown(), HandleUnknown::Deny);
    assert!(!db.is_permissive(allowed));
    for c in KernelClass::ALL {
        assert!(db.class_defined(*c));
    }
}

const SMALL: &str = r#"
# A small policy exercising every statement.
handle_unknown allow;
class widget { poke prod }
attribute dom;
attribute files;
type a_t, dom;
type b_t, dom;
type f_t, files;
type g_t;
typeattribute g_t files;
initial kernel a_t;
initial unlabeled g_t;
initial file f_t;
initial security g_t;
permissive b_t;
allow dom files : file { read write };
allow a_t g_t : file execute;
auditallow a_t files : file write;
dontaudit b_t files : file { read write open };
allow a_t self : capability2 { checkpoint_restore bpf };
allow dom a_t : widget poke;
type_transition a_t f_t : process b_t;
type_transition dom g_t : file f_t;
fs_default proc g_t;
fs_use_xattr ext4 f_t;
filecon prefix "/srv/" f_t;
filecon "/usr/.*\.so" g_t;
"#;

#[test]
fn small_policy_round_trip() {
    let out = compile_str("small.cpol", SMALL).unwrap();
    let db = PolicyDb::parse(&out.binary).unwrap();
    let (a, b, f, g) = (
        ty(&db, "a_t"),
        ty(&db, "b_t"),
        ty(&db, "f_t"),
        ty(&db, "g_t"),
    );
    assert_eq!((a.0, b.0, f.0, g.0), (0, 1, 2, 3), "declaration order");
    assert_eq!(db.type_count(), 4);
    assert_eq!(db.type_by_name(b"dom"), None, "attributes are not types");
    let d = db.compute_av(a, g, KernelClass::File);
    assert_eq!(
        d.allowed,
        perm::FILE_READ | perm::FILE_WRITE | perm::FILE_EXECUTE
    );
    assert_eq!(d.auditallow, perm::FILE_WRITE);
    assert_eq!(d.auditdeny, u32::MAX);
    let d = db.compute_av(b, f, KernelClass::File);
    assert_eq!(d.allowed, perm::FILE_READ | perm::FILE_WRITE);
    assert_eq!(
        d.auditdeny,
        !(perm::FILE_READ | perm::FILE_WRITE | perm::FILE_OPEN)
    );
    assert_eq!(db.compute_av(g, f, KernelClass::File).allowed, 0);
    let d = db.compute_av(a, a, KernelClass::Capability2);
    assert_eq!(
        d.allowed,
        perm::CAPABILITY2_CHECKPOINT_RESTORE | perm::CAPABILITY2_BPF
    );
    assert_eq!(db.compute_av(a, b, KernelClass::Capability2).allowed, 0);
    assert_eq!(db.transition(a, f), Some(b));
    assert_eq!(db.transition(b, f), None);
    assert_eq!(db.type_transition(b, g, KernelClass::File), Some(f));
    assert_eq!(db.type_transition(b, g, KernelClass::Dir), None);
    assert!(db.is_permissive(b));
    assert!(!db.is_permissive(a));
    assert_eq!(db.handle_unknown(), HandleUnknown::Allow);
    // Out-of-range ids act as the unlabeled type.
    assert_eq!(db.type_name(TypeId(999)), b"g_t");
    assert_eq!(
        db.compute_av(TypeId(999), f, KernelClass::File),
        db.compute_av(g, f, KernelClass::File)
    );
    let fc: Vec<_> = db.file_contexts().collect();
    assert_eq!(fc.len(), 2);
    assert_eq!(fc[1].kind, FileContextKind::Regex);
    assert_eq!(fc[1].pattern, br"/usr/.*\.so");
}

#[test]
fn unknown_classes_and_perms() {
    // A policy that only knows `file { read }`: build it by declaring
    // nothing else is impossible in the language (kernel classes are
    // predeclared), so check the mapping through handle_unknown on a
    // policy-only class and on whole kernel classes instead.
    let src = |hu: &str| {
        format!(
            "handle_unknown {hu};\ntype t;\ninitial kernel t;\ninitial unlabeled t;\n\
             initial file t;\ninitial security t;\nallow t t : file read;\n"
        )
    };
    for (hu, expect) in [
        ("deny", HandleUnknown::Deny),
        ("allow", HandleUnknown::Allow),
        ("reject", HandleUnknown::Reject),
    ] {
        let out = compile_str("hu.cpol", &src(hu)).unwrap();
        let db = PolicyDb::parse(&out.binary).unwrap();
        assert_eq!(db.handle_unknown(), expect);
        let t = TypeId(0);
        assert_eq!(
            db.compute_av(t, t, KernelClass::File).allowed,
            perm::FILE_READ
        );
    }
}

/// Removes kernel classes from a compiled policy by renaming them in the
/// string table (the classes stay sorted if the new name keeps the order),
/// to test the by-name mapping against a policy older than the kernel.
#[test]
fn kernel_class_missing_from_policy() {
    let src = "type t;\ninitial kernel t;\ninitial unlabeled t;\ninitial file t;\n\
               initial security t;\nallow t t : fd use;\nallow t t : file read;\n";
    for (hu, fd_allowed) in [
        ("deny", Some(0)),
        ("allow", Some(perm::FD_USE)),
        ("reject", None),
    ] {
        let out = compile_str("m.cpol", &format!("handle_unknown {hu};\n{src}")).unwrap();
        let mut bin = out.binary.clone();
        // "fd" -> "fc": still sorted between "dir" and "file". The class
        // names are the first strings, in sorted order, each followed by
        // its permissions; none of the earlier ones contains "fd".
        let pos = bin.windows(2).position(|w| w == b"fd").unwrap();
        bin[pos + 1] = b'c';
        carapace_core::policy::format::seal(&mut bin);
        match (PolicyDb::parse(&bin), fd_allowed) {
            (Ok(db), Some(allowed)) => {
                assert!(!db.class_defined(KernelClass::Fd));
                let t = TypeId(0);
                assert_eq!(db.compute_av(t, t, KernelClass::Fd).allowed, allowed);
                assert_eq!(
                    db.compute_av(t, t, KernelClass::File).allowed,
                    perm::FILE_READ
                );
            }
            (Err(e), None) => {
                assert_eq!(e, PolicyError::MissingClass { class: "fd" });
                assert!(e.to_string().contains("'fd'"));
            }
            (r, _) => panic!("{hu}: unexpected {r:?}"),
        }
    }
}
