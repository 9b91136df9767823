// SPDX-License-Identifier: GPL-2.0

//! The compiler reports errors, never panics, on arbitrary input: random
//! bytes, and random soups of the language's own tokens.

use carapace_compiler::compile_str;
use proptest::prelude::*;

const TOKENS: &[&str] = &[
    "type",
    "attribute",
    "typeattribute",
    "allow",
    "auditallow",
    "dontaudit",
    "neverallow",
    "type_transition",
    "permissive",
    "initial",
    "kernel",
    "unlabeled",
    "file",
    "security",
    "fs_use_xattr",
    "fs_default",
    "filecon",
    "exact",
    "prefix",
    "regex",
    "class",
    "include",
    "handle_unknown",
    "deny",
    "reject",
    "self",
    "a_t",
    "b_t",
    "dom",
    "process",
    "read",
    "write",
    "capability2",
    "checkpoint_restore",
    "{",
    "}",
    ":",
    ";",
    ",",
    "*",
    "\"/x\"",
    "\"(\"",
    "#c\n",
    "\n",
    "é",
    "\"unterminated",
];

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn token_soup(toks in prop::collection::vec(0..TOKENS.len(), 0..60)) {
        let src: Vec<&str> = toks.iter().map(|&i| TOKENS[i]).collect();
        let src = src.join(" ");
        if let Err(e) = compile_str("soup.cpol", &src) {
            prop_assert!(!e.render().is_empty());
        }
    }

    #[test]
    fn random_text(src in "\\PC{0,200}") {
        let _ = compile_str("random.cpol", &src).map_err(|e| e.render());
    }
}
