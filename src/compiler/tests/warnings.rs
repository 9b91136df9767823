// SPDX-License-Identifier: GPL-2.0

//! Warnings: a policy compiles, and the compiler says what in it grants
//! nothing.

use carapace_compiler::{compile_paths, compile_str};

const BASE: &str = "
type kernel_t; type file_t; type unlabeled_t; type security_t;
initial kernel kernel_t; initial unlabeled unlabeled_t;
initial file file_t; initial security security_t;
";

fn warnings(rules: &str) -> String {
    let out = compile_str("t.cpol", &format!("{BASE}{rules}")).expect("compiles");
    out.render_warnings()
}

#[test]
fn an_unenforced_permission_is_named_where_it_is_granted() {
    let text = warnings("allow kernel_t file_t : file { read watch };\n");
    assert!(
        text.contains(
            "warning: permission `watch` of class `file` is not enforced by carapace yet"
        ),
        "{text}"
    );
    assert!(
        text.contains("t.cpol:5:"),
        "points at the permission: {text}"
    );
    assert!(!text.contains("`read`"), "{text}");
}

#[test]
fn enforced_permissions_wildcards_and_other_rules_do_not_warn() {
    assert_eq!(
        warnings("allow kernel_t file_t : file { read write open };\n"),
        ""
    );
    assert_eq!(warnings("allow kernel_t file_t : file *;\n"), "");
    assert_eq!(warnings("dontaudit kernel_t file_t : file watch;\n"), "");
    assert_eq!(warnings("neverallow kernel_t file_t : file watch;\n"), "");
}

#[test]
fn the_default_policy_grants_nothing_unenforced() {
    let main = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../policy/default/main.cpol"
    );
    let out = compile_paths(&[main]).expect("the default policy compiles");
    let text = out.render_warnings();
    assert!(!text.contains("not enforced"), "{text}");
}

#[test]
fn the_default_policy_has_no_redundant_rules() {
    let main = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../policy/default/main.cpol"
    );
    let out = compile_paths(&[main]).expect("the default policy compiles");
    let text = out.render_warnings();
    assert!(!text.contains("redundant"), "{text}");
}

#[test]
fn a_type_used_only_through_its_attribute_is_used() {
    let text = warnings("attribute d; type u_t, d;\nallow d self : process fork;\n");
    assert_eq!(text, "");
}

#[test]
fn transitions_and_labels_are_uses() {
    let text = warnings(
        "type a_t; type b_t; type c_t;\n\
         type_transition a_t b_t : process c_t;\n",
    );
    assert_eq!(text, "");
}

#[test]
fn rules_of_other_classes_or_kinds_are_not_redundant() {
    let text = warnings(
        "allow kernel_t file_t : file read;\n\
         allow kernel_t file_t : dir read;\n\
         dontaudit kernel_t file_t : file read;\n\
         auditallow kernel_t file_t : file read;\n",
    );
    assert_eq!(text, "");
}
