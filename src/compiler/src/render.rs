// SPDX-License-Identifier: GPL-2.0

//! Diagnostics as rustc-style text, as `codespan_reporting` writes them,
//! faster for the common case.
//!
//! A large policy can have tens of thousands of warnings, and
//! `codespan_reporting` writes its output a character at a time through
//! the formatting machinery. Without colours, a diagnostic whose labels
//! are each on a line of their own, all in one file, on lines of
//! printable ASCII, is written here directly, byte for byte as
//! `codespan_reporting` writes it with the default configuration. Any
//! other diagnostic, and any with colours, goes to `codespan_reporting`.

use std::fmt::Write as _;
use std::io;

use codespan_reporting::diagnostic::{Diagnostic, LabelStyle, Severity};
use codespan_reporting::files::Files;
use codespan_reporting::term;
use codespan_reporting::term::termcolor::WriteColor;

use smallvec::SmallVec;

use crate::Sources;

/// Writes `diagnostics` to `w` as [`term::emit`] with the default
/// configuration does.
pub fn emit(w: &mut dyn WriteColor, files: &Sources, diagnostics: &[Diagnostic<usize>]) {
    let mut r = Renderer::new();
    for d in diagnostics {
        r.emit(w, files, d);
    }
}

/// Writes diagnostics one at a time as [`emit`] does.
pub struct Renderer {
    config: term::Config,
    buf: String,
}

impl Default for Renderer {
    fn default() -> Self {
        Self::new()
    }
}

impl Renderer {
    /// A renderer with the default configuration.
    pub fn new() -> Self {
        Renderer {
            config: term::Config::default(),
            buf: String::new(),
        }
    }

    /// Writes `d` to `w`.
    pub fn emit(&mut self, w: &mut dyn WriteColor, files: &Sources, d: &Diagnostic<usize>) {
        if !self.emit_plain(w, files, &Plain::of(d)) {
            let _ = term::emit(w, &self.config, files, d);
        }
    }

    /// Writes `d` to `w` if it is of the simple kind and `w` takes no
    /// colours; whether it did.
    pub(crate) fn emit_plain(
        &mut self,
        w: &mut dyn WriteColor,
        files: &Sources,
        d: &Plain<'_>,
    ) -> bool {
        self.buf.clear();
        if !w.supports_color() && plain(&mut self.buf, files, d).is_some() {
            let _ = w.write_all(self.buf.as_bytes());
            true
        } else {
            false
        }
    }
}

/// What the direct rendering needs of a diagnostic, borrowed, so that a
/// warning kept as a few numbers is written without being made into a
/// [`Diagnostic`] first.
pub(crate) struct Plain<'a> {
    pub(crate) severity: Severity,
    pub(crate) code: Option<&'a str>,
    pub(crate) message: &'a str,
    pub(crate) labels: SmallVec<[PlainLabel<'a>; 2]>,
    pub(crate) notes: SmallVec<[&'a str; 1]>,
}

/// A label of a [`Plain`] diagnostic.
pub(crate) struct PlainLabel<'a> {
    pub(crate) style: LabelStyle,
    pub(crate) file: usize,
    pub(crate) range: std::ops::Range<usize>,
    pub(crate) message: &'a str,
}

impl<'a> Plain<'a> {
    fn of(d: &'a Diagnostic<usize>) -> Self {
        Plain {
            severity: d.severity,
            code: d.code.as_deref(),
            message: &d.message,
            labels: d
                .labels
                .iter()
                .map(|l| PlainLabel {
                    style: l.style,
                    file: l.file_id,
                    range: l.range.clone(),
                    message: &l.message,
                })
                .collect(),
            notes: d.notes.iter().map(String::as_str).collect(),
        }
    }
}

/// Writes `diagnostics` to `w` as [`emit`] does, without colours.
pub fn emit_plain(w: &mut dyn io::Write, files: &Sources, diagnostics: &[Diagnostic<usize>]) {
    emit(&mut term::termcolor::NoColor::new(w), files, diagnostics);
}

fn count_digits(mut n: usize) -> usize {
    let mut count = 0;
    while n != 0 {
        count += 1;
        n /= 10;
    }
    count
}

/// `n` right-aligned in `width` columns, as `{n:>width$}` writes it (the
/// formatting machinery costs more than the rest of a line).
fn push_number(out: &mut String, mut n: usize, width: usize) {
    let mut digits = [b'0'; 20];
    let mut first = digits.len();
    while first > 0 {
        first -= 1;
        digits[first] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    let number = digits.get(first..).unwrap_or_default();
    push_repeated(out, ' ', width.saturating_sub(number.len()));
    out.push_str(std::str::from_utf8(number).unwrap_or_default());
}

/// `n` times `c`, in runs of a constant string where there is one (a
/// character at a time is encoded one at a time).
fn push_repeated(out: &mut String, c: char, n: usize) {
    const SPACES: &str = "                                                                ";
    const CARETS: &str = "^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^";
    const DASHES: &str = "----------------------------------------------------------------";
    let run = match c {
        ' ' => SPACES,
        '^' => CARETS,
        '-' => DASHES,
        _ => {
            out.extend(std::iter::repeat_n(c, n));
            return;
        }
    };
    let mut left = n;
    while left > 0 {
        let k = left.min(run.len());
        out.push_str(run.get(..k).unwrap_or_default());
        left -= k;
    }
}

/// One labelled line: its index and number, the text (without its line
/// end), and the label's columns, style and message.
struct Line<'a> {
    index: usize,
    number: usize,
    text: &'a str,
    start: usize,
    end: usize,
    style: LabelStyle,
    message: &'a str,
}

/// The line `index` of `file` without its line end, if it is printable
/// ASCII (one column per byte, no tabs); with its start offset.
fn ascii_line(files: &Sources, file: usize, index: usize) -> Option<(usize, &str)> {
    let range = files.line_range(file, index).ok()?;
    let start = range.start;
    let text = files.get(file).ok()?.source().get(range)?;
    let text = text.trim_end_matches(['\n', '\r', '\0'].as_ref());
    text.bytes()
        .all(|b| (0x20..0x7f).contains(&b))
        .then_some((start, text))
}

/// `d` into `out` if it is of the simple kind; `None` (and `out` in any
/// state) if it is not.
fn plain(out: &mut String, files: &Sources, d: &Plain<'_>) -> Option<()> {
    let mut lines: Vec<Line<'_>> = Vec::with_capacity(d.labels.len());
    // Where the snippet starts: the first primary label, else the first
    // label, as `codespan_reporting` picks it; with its line number and
    // column (a byte is a column on these lines).
    let mut locus: Option<(LabelStyle, usize, usize, usize)> = None;
    let mut file = None;
    for l in &d.labels {
        if *file.get_or_insert(l.file) != l.file {
            return None;
        }
        let index = files.line_index(l.file, l.range.start).ok()?;
        if files.line_index(l.file, l.range.end).ok()? != index {
            return None;
        }
        let (line_start, text) = ascii_line(files, l.file, index)?;
        let start = l.range.start.checked_sub(line_start)?;
        let end = (l.range.end.checked_sub(line_start)?).max(start + 1);
        if end > text.len() || lines.iter().any(|x| x.index == index) {
            return None;
        }
        let number = files.line_number(l.file, index).ok()?;
        locus = match locus {
            Some((style, at, ..))
                if style < l.style || (style == l.style && at <= l.range.start) =>
            {
                locus
            }
            _ => Some((l.style, l.range.start, number, start + 1)),
        };
        lines.push(Line {
            index,
            number,
            text,
            start,
            end,
            style: l.style,
            message: l.message,
        });
    }
    lines.sort_by_key(|l| l.index);
    let pad = lines
        .iter()
        .map(|l| count_digits(l.number))
        .max()
        .unwrap_or(0);

    out.push_str(match d.severity {
        Severity::Bug => "bug",
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Help => "help",
        Severity::Note => "note",
    });
    if let Some(code) = d.code.filter(|c| !c.is_empty()) {
        let _ = write!(out, "[{code}]");
    }
    out.push_str(": ");
    out.push_str(d.message);
    out.push('\n');

    let gutter = |out: &mut String| push_repeated(out, ' ', pad + 1);
    if let (Some(file), Some((_, _, line, column))) = (file, locus) {
        let name = files.get(file).ok()?.name();
        gutter(out);
        out.push_str("┌─ ");
        out.push_str(name);
        out.push(':');
        push_number(out, line, 0);
        out.push(':');
        push_number(out, column, 0);
        out.push('\n');
        gutter(out);
        out.push_str("│\n");
        for (i, l) in lines.iter().enumerate() {
            push_number(out, l.number, pad);
            out.push_str(" │ ");
            out.push_str(l.text);
            out.push('\n');
            gutter(out);
            out.push_str("│ ");
            push_repeated(out, ' ', l.start);
            let caret = if l.style == LabelStyle::Primary {
                '^'
            } else {
                '-'
            };
            push_repeated(out, caret, l.end - l.start);
            if !l.message.is_empty() {
                out.push(' ');
                out.push_str(l.message);
            }
            out.push('\n');
            let Some(next) = lines.get(i + 1) else {
                break;
            };
            match next.index - l.index {
                1 => {}
                2 => {
                    // One line between: shown rather than elided.
                    let (_, text) = ascii_line(files, file, l.index + 1)?;
                    let number = files.line_number(file, l.index + 1).ok()?;
                    push_number(out, number, pad);
                    out.push_str(" │ ");
                    out.push_str(text);
                    out.push('\n');
                }
                _ => {
                    gutter(out);
                    out.push_str("·\n");
                }
            }
        }
        if !d.notes.is_empty() {
            gutter(out);
            out.push_str("│\n");
        }
    }
    for note in &d.notes {
        for (i, line) in note.lines().enumerate() {
            gutter(out);
            out.push_str(if i == 0 { "=" } else { " " });
            let _ = writeln!(out, " {line}");
        }
    }
    out.push('\n');
    Some(())
}
