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

use std::io;

use codespan_reporting::diagnostic::{Diagnostic, LabelStyle, Severity};
use codespan_reporting::files::Files;
use codespan_reporting::term;
use codespan_reporting::term::termcolor::{NoColor, WriteColor};

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
    buf: Vec<u8>,
    lines: LineCache,
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
            buf: Vec::new(),
            lines: LineCache::default(),
        }
    }

    /// Writes `d` to `w`.
    pub fn emit(&mut self, w: &mut dyn WriteColor, files: &Sources, d: &Diagnostic<usize>) {
        if !self.emit_plain(w, files, &Plain::of(d)) {
            let _ = term::emit(w, &self.config, files, d);
        }
    }

    /// Appends `d` to `out` as [`Renderer::emit`] writes it without
    /// colours.
    pub(crate) fn emit_into(&mut self, out: &mut Vec<u8>, files: &Sources, d: &Diagnostic<usize>) {
        if !self.plain_into(out, files, &Plain::of(d)) {
            let _ = term::emit(&mut NoColor::new(out), &self.config, files, d);
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
        if w.supports_color() {
            return false;
        }
        let mut buf = std::mem::take(&mut self.buf);
        buf.clear();
        let done = self.plain_into(&mut buf, files, d);
        if done {
            let _ = w.write_all(&buf);
        }
        self.buf = buf;
        done
    }

    /// Appends `d` to `out` if it is of the simple kind; whether it did
    /// (if not, `out` is as it was).
    pub(crate) fn plain_into(&mut self, out: &mut Vec<u8>, files: &Sources, d: &Plain<'_>) -> bool {
        let mark = out.len();
        let done = plain(out, files, &mut self.lines, d).is_some();
        if !done {
            out.truncate(mark);
        }
        done
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
fn push_number(out: &mut Vec<u8>, mut n: usize, width: usize) {
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
    push_repeated(out, b' ', width.saturating_sub(number.len()));
    out.extend_from_slice(number);
}

/// `n` times the byte `c`.
fn push_repeated(out: &mut Vec<u8>, c: u8, n: usize) {
    out.resize(out.len() + n, c);
}

/// Whether every byte of `b` is printable ASCII (a space to `~`), eight
/// at a time.
fn printable(b: &[u8]) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = ONES << 7;
    let mut words = b.chunks_exact(8);
    for w in &mut words {
        let mut x = [0u8; 8];
        x.copy_from_slice(w);
        let x = u64::from_le_bytes(x);
        // A byte below 0x20, or one of 0x7f or more (each test exact
        // per byte: no borrow or carry crosses into the next one).
        let low = x.wrapping_sub(ONES * 0x20) & !x & HIGHS;
        let high = (x.wrapping_add(ONES) | x) & HIGHS;
        if low | high != 0 {
            return false;
        }
    }
    words.remainder().iter().all(|b| (0x20..0x7f).contains(b))
}

/// The last line looked up, so that labels on the same line or the next
/// (warnings come mostly in source order) need no search of the line
/// starts.
#[derive(Default)]
struct LineCache {
    /// File, line index, and the line's range (its line end included).
    line: Option<(usize, usize, std::ops::Range<usize>)>,
}

impl LineCache {
    /// The index of the line of `file` that byte `at` is on, and that
    /// line's range, as `files.line_index` and `files.line_range` give
    /// them.
    fn find(
        &mut self,
        files: &Sources,
        file: usize,
        at: usize,
    ) -> Option<(usize, std::ops::Range<usize>)> {
        if let Some((f, index, range)) = self.line.clone() {
            if f == file {
                if range.contains(&at) {
                    return Some((index, range));
                }
                if at >= range.end {
                    // Line starts are strictly increasing: the next line
                    // holds `at` if its range does.
                    let next = files.line_range(file, index + 1).ok();
                    if let Some(next) = next.filter(|r| r.contains(&at)) {
                        self.line = Some((file, index + 1, next.clone()));
                        return Some((index + 1, next));
                    }
                }
            }
        }
        let index = files.line_index(file, at).ok()?;
        let range = files.line_range(file, index).ok()?;
        self.line = Some((file, index, range.clone()));
        Some((index, range))
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

/// The line of `file` whose range is `range`, without its line end, if
/// it is printable ASCII (one column per byte, no tabs).
fn ascii_line(files: &Sources, file: usize, range: std::ops::Range<usize>) -> Option<&str> {
    let text = files.get(file).ok()?.source().get(range)?;
    let kept = text
        .bytes()
        .rposition(|b| !matches!(b, b'\n' | b'\r' | b'\0'))
        .map_or(0, |i| i + 1);
    let text = text.get(..kept)?;
    printable(text.as_bytes()).then_some(text)
}

/// `d` appended to `out` if it is of the simple kind; `None` (and `out`
/// in any state) if it is not.
fn plain(out: &mut Vec<u8>, files: &Sources, cache: &mut LineCache, d: &Plain<'_>) -> Option<()> {
    let mut lines: SmallVec<[Line<'_>; 2]> = SmallVec::new();
    // Where the snippet starts: the first primary label, else the first
    // label, as `codespan_reporting` picks it; with its line number and
    // column (a byte is a column on these lines).
    let mut locus: Option<(LabelStyle, usize, usize, usize)> = None;
    let mut file = None;
    for l in &d.labels {
        if *file.get_or_insert(l.file) != l.file {
            return None;
        }
        let (index, range) = cache.find(files, l.file, l.range.start)?;
        // The end on the same line (`codespan_reporting` draws a label
        // over several lines otherwise).
        if !range.contains(&l.range.end) {
            return None;
        }
        let line_start = range.start;
        let text = ascii_line(files, l.file, range)?;
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

    out.extend_from_slice(match d.severity {
        Severity::Bug => b"bug",
        Severity::Error => b"error",
        Severity::Warning => b"warning",
        Severity::Help => b"help",
        Severity::Note => b"note",
    });
    if let Some(code) = d.code.filter(|c| !c.is_empty()) {
        out.push(b'[');
        out.extend_from_slice(code.as_bytes());
        out.push(b']');
    }
    out.extend_from_slice(b": ");
    out.extend_from_slice(d.message.as_bytes());
    out.push(b'\n');

    let gutter = |out: &mut Vec<u8>| push_repeated(out, b' ', pad + 1);
    if let (Some(file), Some((_, _, line, column))) = (file, locus) {
        let name = files.get(file).ok()?.name();
        gutter(out);
        out.extend_from_slice("┌─ ".as_bytes());
        out.extend_from_slice(name.as_bytes());
        out.push(b':');
        push_number(out, line, 0);
        out.push(b':');
        push_number(out, column, 0);
        out.push(b'\n');
        gutter(out);
        out.extend_from_slice("│\n".as_bytes());
        for (i, l) in lines.iter().enumerate() {
            push_number(out, l.number, pad);
            out.extend_from_slice(" │ ".as_bytes());
            out.extend_from_slice(l.text.as_bytes());
            out.push(b'\n');
            gutter(out);
            out.extend_from_slice("│ ".as_bytes());
            push_repeated(out, b' ', l.start);
            let caret = if l.style == LabelStyle::Primary {
                b'^'
            } else {
                b'-'
            };
            push_repeated(out, caret, l.end - l.start);
            if !l.message.is_empty() {
                out.push(b' ');
                out.extend_from_slice(l.message.as_bytes());
            }
            out.push(b'\n');
            let Some(next) = lines.get(i + 1) else {
                break;
            };
            match next.index - l.index {
                1 => {}
                2 => {
                    // One line between: shown rather than elided.
                    let range = files.line_range(file, l.index + 1).ok()?;
                    let text = ascii_line(files, file, range)?;
                    let number = files.line_number(file, l.index + 1).ok()?;
                    push_number(out, number, pad);
                    out.extend_from_slice(" │ ".as_bytes());
                    out.extend_from_slice(text.as_bytes());
                    out.push(b'\n');
                }
                _ => {
                    gutter(out);
                    out.extend_from_slice("·\n".as_bytes());
                }
            }
        }
        if !d.notes.is_empty() {
            gutter(out);
            out.extend_from_slice("│\n".as_bytes());
        }
    }
    for note in &d.notes {
        for (i, line) in note.lines().enumerate() {
            gutter(out);
            out.extend_from_slice(if i == 0 { b"= " } else { b"  " });
            out.extend_from_slice(line.as_bytes());
            out.push(b'\n');
        }
    }
    out.push(b'\n');
    Some(())
}

#[cfg(test)]
mod tests {
    use super::printable;

    #[test]
    fn printable_is_a_space_to_tilde() {
        for len in [1, 7, 8, 9, 16, 17] {
            for at in 0..len {
                for b in 0..=255u8 {
                    let mut line = vec![b'a'; len];
                    line[at] = b;
                    assert_eq!(
                        printable(&line),
                        (0x20..0x7f).contains(&b),
                        "byte {b:#x} at {at} of {len}"
                    );
                }
            }
        }
    }
}
