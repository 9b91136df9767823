// SPDX-License-Identifier: GPL-2.0

//! The table against the kernel crate's sources, and the generated
//! `Documentation/permissions.rst` against the table.

extern crate std;

use std::{
    collections::BTreeSet,
    fmt::Write as _,
    format, fs,
    path::{Path, PathBuf},
    string::{String, ToString},
    vec::Vec,
};

use super::*;
use crate::classmap::IPC_CLASSES;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The text of every `.rs` file of the kernel crate: `src/lsm` and the
/// core's file access mapping it includes.
fn lsm_sources() -> Vec<String> {
    fn walk(dir: &Path, out: &mut Vec<String>) {
        for entry in fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(fs::read_to_string(&path).unwrap());
            }
        }
    }
    let mut out = Vec::new();
    walk(&repo().join("src/lsm"), &mut out);
    walk(&repo().join("src/core/src/file_access"), &mut out);
    walk(&repo().join("src/core/src/socket"), &mut out);
    walk(&repo().join("src/core/src/ipc"), &mut out);
    out.push(fs::read_to_string(repo().join("src/core/src/kernel_perms.rs")).unwrap());
    out
}

/// The hooks the kernel crate registers: the names in its `hook_list!`s.
fn registered_hooks() -> BTreeSet<String> {
    let mut hooks = BTreeSet::new();
    for text in lsm_sources() {
        for list in text.split("hook_list!(").skip(1) {
            let body = &list[list.find('[').unwrap() + 1..list.find(']').unwrap()];
            hooks.extend(
                body.split(',')
                    .map(str::trim)
                    .filter(|h| !h.is_empty())
                    .map(ToString::to_string),
            );
        }
    }
    hooks
}

/// The `perm::NAME` constants the kernel crate uses.
fn checked_constants() -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    for text in lsm_sources() {
        for rest in text.split("perm::").skip(1) {
            let name: String = rest
                .chars()
                .take_while(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || *c == '_')
                .collect();
            if !name.is_empty() {
                names.insert(name);
            }
        }
    }
    names
}

fn constant(class: KernelClass, perm: &str) -> String {
    format!("{}_{}", class.name(), perm).to_uppercase()
}

#[test]
fn every_entry_names_real_permissions_and_hooks() {
    let hooks = registered_hooks();
    assert!(hooks.contains("capable") && hooks.contains("file_open"));
    let securityfs = fs::read_to_string(repo().join("src/lsm/carapacefs.rs")).unwrap();
    for e in ENFORCED {
        let classes: Vec<_> = KernelClass::ALL
            .iter()
            .filter(|c| e.classes.contains(**c))
            .collect();
        assert!(!classes.is_empty());
        for class in classes {
            assert!(
                e.perm == "*" || class.perm_names().contains(&e.perm),
                "{} has no permission {}",
                class.name(),
                e.perm
            );
        }
        for hook in e.hooks {
            match hook.strip_prefix("securityfs:") {
                Some(file) => {
                    let name = file.rsplit('/').next().unwrap();
                    assert!(
                        securityfs.contains(&format!("c_str!(\"{name}\")")),
                        "no securityfs file {file}"
                    );
                }
                None => assert!(hooks.contains(*hook), "{hook} is not registered"),
            }
        }
    }
}

#[test]
fn every_permission_the_kernel_checks_is_in_the_table() {
    for name in checked_constants() {
        let found = KernelClass::ALL.iter().find_map(|class| {
            (0..32)
                .find(|&bit| {
                    class
                        .perm_name(bit)
                        .is_some_and(|p| constant(*class, p) == name)
                })
                .map(|bit| (*class, bit))
        });
        let (class, bit) = found.unwrap_or_else(|| panic!("perm::{name} is not in the classmap"));
        // The hooks name the common IPC permissions as `ipc` ones and check
        // them on each object's own class.
        let class = if class == KernelClass::Ipc {
            KernelClass::Sem
        } else {
            class
        };
        assert!(
            is_enforced(class, bit),
            "perm::{name} is checked but not in ENFORCED"
        );
    }
}

#[test]
fn every_permission_in_the_table_is_checked() {
    let used = checked_constants();
    for e in ENFORCED {
        let checked = match e.classes {
            // The capability hook maps every capability number itself.
            Classes::Capabilities => true,
            // The common file permissions are named as `file` or `dir`
            // ones and apply to every file class.
            Classes::Files => [KernelClass::File, KernelClass::Dir]
                .iter()
                .any(|c| used.contains(&constant(*c, e.perm))),
            // Named as `socket` ones; the permissions shared with files
            // are checked by the file hooks, which name them as `file`
            // ones.
            Classes::Sockets => [KernelClass::Socket, KernelClass::File]
                .iter()
                .any(|c| used.contains(&constant(*c, e.perm))),
            // Named as `ipc` ones: their bits are the same in every class.
            Classes::IpcObjects => used.contains(&constant(KernelClass::Ipc, e.perm)),
            Classes::One(class) if IPC_CLASSES.contains(&class) => {
                used.contains(&constant(class, e.perm))
                    || used.contains(&constant(KernelClass::Ipc, e.perm))
            }
            Classes::One(class) => used.contains(&constant(class, e.perm)),
        };
        assert!(
            checked,
            "{:?} {} is in ENFORCED but no hook names it",
            e.classes, e.perm
        );
    }
}

#[test]
fn capabilities_are_enforced_and_watches_are_not() {
    assert_eq!(
        enforced_mask(KernelClass::Capability2),
        (1 << KernelClass::Capability2.perm_names().len()) - 1
    );
    let watch = KernelClass::File
        .perm_names()
        .iter()
        .position(|p| *p == "watch")
        .unwrap() as u32;
    assert!(!is_enforced(KernelClass::File, watch));
    assert!(hooks_checking(KernelClass::Fd, 0).any(|h| h == "file_receive"));
}

/// The permission table, as `Documentation/permissions.rst` has it.
fn render() -> String {
    let mut out = String::from(
        ".. SPDX-License-Identifier: GPL-2.0\n\n\
         ==========================\n\
         Carapace: permission table\n\
         ==========================\n\n\
         Generated from ``src/core/src/enforcement`` by its tests\n\
         (``CARAPACE_BLESS=1 cargo test -p carapace-core enforcement``): for\n\
         each class of the classmap, the hooks that check each permission.\n\
         A permission marked *not enforced* exists so that policies written\n\
         for SELinux's classes compile, but a rule granting it grants\n\
         nothing yet, and the compiler warns about such rules.\n\n\
         Ports and nodes have no types of their own yet (there is no\n\
         port-type mapping): ``name_bind``, ``node_bind`` and\n\
         ``name_connect`` are checked against the ``unlabeled`` initial\n\
         label.\n\n\
         ``SO_PEERSEC`` reports the peer of a Unix connection or socket\n\
         pair. ``SCM_SECURITY`` (``socket_getpeersec_dgram``) is not\n\
         provided: on Linux 6.12 ``secid_to_secctx`` and ``release_secctx``\n\
         are not per-LSM, and ``release_secctx`` is called for every LSM,\n\
         so that contexts handed out by a second LSM would be freed twice\n\
         when carapace is stacked with SELinux or AppArmor.\n\n\
         A socket's inode is checked on the socket's class, with the\n\
         permissions socket classes share with files (``read()`` on a TCP\n\
         socket asks ``tcp_socket { read }``). A socket cannot be opened:\n\
         ``open()`` of ``/proc/PID/fd/N`` fails with ``ENXIO``, after\n\
         ``inode_permission`` and ``file_open`` have checked it. Setting a\n\
         socket's ``security.carapace`` attribute checks ``relabelfrom``\n\
         and ``relabelto``, then fails with ``EOPNOTSUPP``: a socket keeps\n\
         the label it was created with.\n\n\
         A key takes the domain of the task it is made for: there is no\n\
         ``keycreate`` attribute, so ``key { create }`` is not checked.\n\
         A BPF map or program takes its creator's domain; Linux 6.12 gives\n\
         such objects one ``security`` pointer for every LSM, so with\n\
         SELinux also active one of the two finds them unlabelled\n\
         (carapace: the ``unlabeled`` initial label). BPF tokens are not\n\
         mediated beyond the commands they allow.\n",
    );
    for class in KernelClass::ALL {
        let title = format!("``{}``", class.name());
        let _ = write!(out, "\n{title}\n{}\n\n", "-".repeat(title.len()));
        let rows: Vec<(String, String)> = class
            .perm_names()
            .iter()
            .enumerate()
            .map(|(bit, perm)| {
                let hooks: Vec<_> = hooks_checking(*class, bit as u32)
                    .map(|h| format!("``{h}``"))
                    .collect();
                let hooks = if hooks.is_empty() {
                    "*not enforced*".to_string()
                } else {
                    hooks.join(", ")
                };
                (format!("``{perm}``"), hooks)
            })
            .collect();
        let w0 = rows.iter().map(|r| r.0.len()).chain([10]).max().unwrap();
        let w1 = rows.iter().map(|r| r.1.len()).chain([10]).max().unwrap();
        let rule = format!("{} {}\n", "=".repeat(w0), "=".repeat(w1));
        out.push_str(&rule);
        let _ = writeln!(out, "{:w0$} checked by", "permission");
        out.push_str(&rule);
        for (perm, hooks) in &rows {
            let _ = writeln!(out, "{perm:w0$} {hooks}");
        }
        out.push_str(&rule);
    }
    out
}

#[test]
fn documentation_matches_the_table() {
    let path = repo().join("Documentation/permissions.rst");
    let text = render();
    if std::env::var_os("CARAPACE_BLESS").is_some() {
        fs::write(&path, &text).unwrap();
    }
    let doc = fs::read_to_string(&path).unwrap_or_default();
    assert!(
        doc == text,
        "{} is out of date: run CARAPACE_BLESS=1 cargo test -p carapace-core enforcement",
        path.display()
    );
}
