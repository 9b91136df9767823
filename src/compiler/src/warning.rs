// SPDX-License-Identifier: GPL-2.0

//! Warnings, kept small until they are written.
//!
//! A large policy can have hundreds of thousands of warnings. Most are of
//! two kinds (a permission no hook checks, a redundant rule), which are
//! kept here as a few numbers and made into a [`Diagnostic`] one at a
//! time as they are written, so that they do not all take memory at once.

use std::sync::OnceLock;

use carapace_core::classmap::KernelClass;
use codespan_reporting::diagnostic::{Diagnostic, Label, LabelStyle, Severity};
use codespan_reporting::term::termcolor::WriteColor;

use crate::syntax::{AvKind, Span};
use smallvec::{smallvec, SmallVec};

use crate::render::{Plain, PlainLabel};
use crate::{ordered, render, Sources};

/// One warning.
#[derive(Clone, Debug)]
pub enum Warning {
    /// Permission `bit` of kernel class `class`, named at `span` in an
    /// `allow` rule, is checked by no hook.
    Unenforced {
        /// The class.
        class: KernelClass,
        /// The permission's bit.
        bit: u8,
        /// The permission as written.
        span: Span,
    },
    /// The rule at `span` of `kind` for class `class` (an index into
    /// [`Warnings::classes`]) is covered by the rule at `by`.
    Redundant {
        /// The rules' kind.
        kind: AvKind,
        /// The class.
        class: u32,
        /// The redundant rule.
        span: Span,
        /// The rule that covers it.
        by: Span,
    },
    /// Any other warning.
    Other(Box<Diagnostic<usize>>),
}

/// The labels of a warning kept as numbers: where, which style, what
/// they say.
type Labels = SmallVec<[(Span, LabelStyle, &'static str); 2]>;

/// The warnings of a compilation. They read as a slice of diagnostics
/// (made on first use); [`Warnings::emit`] writes them without making
/// them all.
#[derive(Debug, Default)]
pub struct Warnings {
    items: Vec<Warning>,
    /// The class names that [`Warning::Redundant`] refers to.
    classes: Vec<String>,
    all: OnceLock<Vec<Diagnostic<usize>>>,
    /// How many threads [`Warnings::emit`] makes the text on.
    threads: usize,
}

/// How many warnings a thread makes into text at a time (a few hundred
/// KiB of it).
const CHUNK: usize = 512;

impl Warnings {
    /// No warnings, about a policy with the classes `classes`.
    pub fn new(classes: Vec<String>) -> Self {
        Warnings {
            items: Vec::new(),
            classes,
            all: OnceLock::new(),
            threads: 1,
        }
    }

    /// Makes [`Warnings::emit`] use up to `threads` threads.
    pub(crate) fn set_threads(&mut self, threads: usize) {
        self.threads = threads;
    }

    /// Adds `w`.
    pub fn push(&mut self, w: Warning) {
        self.all = OnceLock::new();
        self.items.push(w);
    }

    /// Adds the diagnostic `d`.
    pub fn push_diagnostic(&mut self, d: Diagnostic<usize>) {
        self.push(Warning::Other(Box::new(d)));
    }

    /// Sets the class names (as [`Warning::Redundant`] numbers them).
    pub fn set_classes(&mut self, classes: Vec<String>) {
        self.all = OnceLock::new();
        self.classes = classes;
    }

    /// How many there are.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// The warnings as they are kept.
    pub fn items(&self) -> &[Warning] {
        &self.items
    }

    /// Warning `w` as a diagnostic.
    pub fn diagnostic(&self, w: &Warning) -> Diagnostic<usize> {
        if let Warning::Other(d) = w {
            return (**d).clone();
        }
        let mut message = String::new();
        let (labels, notes) = self.parts(w, &mut message);
        Diagnostic::warning()
            .with_message(message)
            .with_labels(
                labels
                    .iter()
                    .map(|&(span, style, text)| {
                        Label::new(style, span.file_id(), span.range()).with_message(text)
                    })
                    .collect(),
            )
            .with_notes(notes.iter().map(|n| n.to_string()).collect())
    }

    /// The parts of a warning kept as numbers: its message (into
    /// `message`), its labels (where, which style, what they say) and its
    /// notes. Nothing for [`Warning::Other`].
    fn parts(&self, w: &Warning, message: &mut String) -> (Labels, &'static [&'static str]) {
        match w {
            Warning::Unenforced { class, bit, span } => {
                let perm = class.perm_names().get(*bit as usize).copied();
                for part in [
                    "permission `",
                    perm.unwrap_or("?"),
                    "` of class `",
                    class.name(),
                    "` is not enforced by carapace yet",
                ] {
                    message.push_str(part);
                }
                (
                    smallvec![(
                        *span,
                        LabelStyle::Primary,
                        "no hook checks it: this grants nothing"
                    )],
                    &["see Documentation/permissions.rst"],
                )
            }
            Warning::Redundant {
                kind,
                class,
                span,
                by,
            } => {
                let class = self
                    .classes
                    .get(*class as usize)
                    .map_or("?", String::as_str);
                for part in [
                    "redundant `",
                    kind.keyword(),
                    "` rule for class `",
                    class,
                    "`",
                ] {
                    message.push_str(part);
                }
                (
                    smallvec![
                        (*span, LabelStyle::Primary, "this rule adds nothing"),
                        (
                            *by,
                            LabelStyle::Secondary,
                            "to this rule, which covers its types and permissions"
                        ),
                    ],
                    &[],
                )
            }
            Warning::Other(_) => (Labels::new(), &[]),
        }
    }

    /// Writes the warnings to `w` as [`render::emit`] does, one at a time.
    /// Without colours they are made into text in chunks, on the threads
    /// [`Warnings::set_threads`] gives (each chunk on one of them), and
    /// written in order: the same bytes.
    pub fn emit(&self, w: &mut dyn WriteColor, files: &Sources) {
        if let Some(all) = self.all.get() {
            render::emit(w, files, all);
            return;
        }
        if w.supports_color() {
            let mut r = render::Renderer::new();
            for item in &self.items {
                match item {
                    Warning::Other(d) => r.emit(w, files, d),
                    _ => r.emit(w, files, &self.diagnostic(item)),
                }
            }
            return;
        }
        let chunks = self.items.len().div_ceil(CHUNK);
        ordered::write_in_order(
            self.threads,
            chunks,
            |c, buf| {
                let items = self.items.get(c * CHUNK..).unwrap_or_default();
                self.render_items(buf, files, items.iter().take(CHUNK));
            },
            |bytes| {
                let _ = w.write_all(bytes);
            },
        );
    }

    /// Appends `items` to `out` as text without colours.
    fn render_items<'a>(
        &self,
        out: &mut Vec<u8>,
        files: &Sources,
        items: impl Iterator<Item = &'a Warning>,
    ) {
        let mut r = render::Renderer::new();
        let mut message = String::new();
        for item in items {
            if let Warning::Other(d) = item {
                r.emit_into(out, files, d);
                continue;
            }
            // Written from its parts, unless it needs the full renderer.
            message.clear();
            let (labels, notes) = self.parts(item, &mut message);
            let plain = Plain {
                severity: Severity::Warning,
                code: None,
                message: &message,
                labels: labels
                    .iter()
                    .map(|&(span, style, message)| PlainLabel {
                        style,
                        file: span.file_id(),
                        range: span.range(),
                        message,
                    })
                    .collect(),
                notes: notes.iter().copied().collect(),
            };
            if !r.plain_into(out, files, &plain) {
                r.emit_into(out, files, &self.diagnostic(item));
            }
        }
    }
}

impl std::ops::Deref for Warnings {
    type Target = [Diagnostic<usize>];

    fn deref(&self) -> &[Diagnostic<usize>] {
        self.all
            .get_or_init(|| self.items.iter().map(|w| self.diagnostic(w)).collect())
    }
}

impl<'a> IntoIterator for &'a Warnings {
    type Item = &'a Diagnostic<usize>;
    type IntoIter = std::slice::Iter<'a, Diagnostic<usize>>;

    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}
