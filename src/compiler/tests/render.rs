// SPDX-License-Identifier: GPL-2.0

//! Property test: the plain-text renderer writes, for any diagnostic,
//! exactly what `codespan_reporting` writes with the default
//! configuration and no colours.

use carapace_compiler::{render, Sources};
use codespan_reporting::diagnostic::{Diagnostic, Label, Severity};
use codespan_reporting::files::SimpleFiles;
use codespan_reporting::term;
use proptest::prelude::*;

/// Source lines: mostly plain ASCII, sometimes a tab, a carriage
/// return, a non-ASCII character or an empty line (which the fast path
/// leaves to `codespan_reporting`).
fn source() -> impl Strategy<Value = String> {
    let line = prop_oneof![
        8 => "[a-z ;{}]{0,12}",
        1 => "[a-z\t]{0,6}",
        1 => "[a-zé]{0,6}\r?",
        1 => Just(String::new()),
    ];
    prop::collection::vec(line, 1..40).prop_map(|v| v.join("\n"))
}

#[derive(Debug, Clone)]
struct Spec {
    sources: Vec<String>,
    severity: u8,
    code: Option<String>,
    message: String,
    labels: Vec<(usize, usize, usize, bool, String)>, // file, start, len, primary, message
    notes: Vec<String>,
}

fn spec() -> impl Strategy<Value = Spec> {
    (
        prop::collection::vec(source(), 1..3),
        0u8..5,
        prop::option::of("[A-Z0-9]{0,3}"),
        "[a-z `]{0,20}",
        prop::collection::vec(
            (
                0usize..2,
                any::<usize>(),
                0usize..8,
                any::<bool>(),
                "[a-z ]{0,8}",
            ),
            0..4,
        ),
        prop::collection::vec("[a-z =]{0,10}(\n[a-z ]{0,6})?", 0..3),
    )
        .prop_map(|(sources, severity, code, message, labels, notes)| Spec {
            sources,
            severity,
            code,
            message,
            labels,
            notes,
        })
}

fn build(spec: &Spec) -> (Sources, Diagnostic<usize>) {
    let mut files = SimpleFiles::new();
    for (i, s) in spec.sources.iter().enumerate() {
        files.add(format!("f{i}.cpol"), s.clone());
    }
    let severity = [
        Severity::Bug,
        Severity::Error,
        Severity::Warning,
        Severity::Note,
        Severity::Help,
    ][spec.severity as usize];
    let labels = spec
        .labels
        .iter()
        .map(|(file, start, len, primary, message)| {
            let file = file % spec.sources.len();
            // On a character boundary, within the source or one past it.
            let text = &spec.sources[file];
            let mut start = start % (text.len() + 1);
            while !text.is_char_boundary(start) {
                start -= 1;
            }
            let mut end = (start + len).min(text.len());
            while !text.is_char_boundary(end) {
                end -= 1;
            }
            let l = if *primary {
                Label::primary(file, start..end)
            } else {
                Label::secondary(file, start..end)
            };
            l.with_message(message.clone())
        })
        .collect();
    let mut d = Diagnostic::new(severity)
        .with_message(spec.message.clone())
        .with_labels(labels)
        .with_notes(spec.notes.clone());
    if let Some(c) = &spec.code {
        d = d.with_code(c.clone());
    }
    (files, d)
}

fn both(files: &Sources, d: &Diagnostic<usize>) -> (String, String) {
    let mut want = term::termcolor::NoColor::new(Vec::new());
    let _ = term::emit(&mut want, &term::Config::default(), files, d);
    let mut got = Vec::new();
    render::emit_plain(&mut got, files, std::slice::from_ref(d));
    (
        String::from_utf8_lossy(&got).into_owned(),
        String::from_utf8_lossy(&want.into_inner()).into_owned(),
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 4096, ..ProptestConfig::default() })]

    #[test]
    fn plain_rendering_is_codespans(spec in spec()) {
        let (files, d) = build(&spec);
        let (got, want) = both(&files, &d);
        prop_assert_eq!(got, want);
    }
}

#[test]
fn the_warnings_of_a_policy_render_as_codespan_renders_them() {
    let src = "attribute d; type a_t, d; type b_t, d; type c_t;\n\
               initial kernel a_t; initial unlabeled a_t; initial file a_t; initial security a_t;\n\
               allow d d : file { read write };\n\
               allow a_t b_t : file read;\n\
               \n\
               allow a_t b_t : file read;\n\
               allow a_t b_t : file { read watch };\n";
    let out = carapace_compiler::compile_str("p.cpol", src).unwrap();
    assert!(out.warnings.len() >= 4, "{}", out.render_warnings());
    for d in &out.warnings {
        let (got, want) = both(&out.files, d);
        assert_eq!(got, want);
    }
}
