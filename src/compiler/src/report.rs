// SPDX-License-Identifier: GPL-2.0

//! Diagnostics for machines: one JSON object per diagnostic.
//!
//! ```json
//! {"severity":"error","message":"unknown type `b_t`",
//!  "labels":[{"primary":true,"file":"x.cpol","line":2,"column":11,
//!             "end_line":2,"end_column":14,"byte_start":20,"byte_end":23,
//!             "message":"not declared"}],
//!  "notes":["help: did you mean `a_t`?"]}
//! ```
//!
//! Lines and columns count from 1; columns are in characters, `end_*`
//! point one past the last character (as rustc's JSON does).

use codespan_reporting::diagnostic::{Diagnostic, LabelStyle, Severity};
use codespan_reporting::files::Files;
use serde_json::{json, Value};

use crate::Sources;

fn severity(s: Severity) -> &'static str {
    match s {
        Severity::Bug => "bug",
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "note",
        Severity::Help => "help",
    }
}

/// `d` as a JSON value, its labels resolved to file, line and column.
pub fn to_json(files: &Sources, d: &Diagnostic<usize>) -> Value {
    let labels: Vec<Value> = d
        .labels
        .iter()
        .map(|l| {
            let name = files.name(l.file_id).unwrap_or_default();
            let loc = |i| {
                files
                    .location(l.file_id, i)
                    .map_or((0, 0), |p| (p.line_number, p.column_number))
            };
            let (line, column) = loc(l.range.start);
            let (end_line, end_column) = loc(l.range.end);
            json!({
                "primary": l.style == LabelStyle::Primary,
                "file": name,
                "line": line,
                "column": column,
                "end_line": end_line,
                "end_column": end_column,
                "byte_start": l.range.start,
                "byte_end": l.range.end,
                "message": l.message,
            })
        })
        .collect();
    json!({
        "severity": severity(d.severity),
        "message": d.message,
        "labels": labels,
        "notes": d.notes,
    })
}

/// `d` as an error: how `-W error` reports a warning.
pub fn as_error(d: &Diagnostic<usize>) -> Diagnostic<usize> {
    let mut e = d.clone();
    if e.severity == Severity::Warning {
        e.severity = Severity::Error;
        e.notes.push("warnings are errors (-W error)".to_string());
    }
    e
}
