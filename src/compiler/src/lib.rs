// SPDX-License-Identifier: GPL-2.0

//! The carapace policy compiler: text policy language → binary policy.
//!
//! ```no_run
//! let out = carapace_compiler::compile_paths(&["policy/default/main.cpol"])
//!     .map_err(|e| e.render())
//!     .unwrap();
//! let db = carapace_core::policy::PolicyDb::parse(&out.binary).unwrap();
//! # let _ = db;
//! ```
//!
//! The language is described in Documentation/policy-language.rst.

pub mod encode;
pub mod intern;
pub mod lint;
pub mod model;
mod ordered;
mod pieces;
pub mod render;
pub mod report;
mod sort;
pub mod suggest;
pub mod syntax;
pub mod warning;

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use codespan_reporting::diagnostic::Diagnostic;
use codespan_reporting::files::SimpleFiles;
use codespan_reporting::term;

pub use model::Policy;
use syntax::Stmt;

/// The source files of one compilation (for diagnostics).
pub type Sources = SimpleFiles<String, String>;

/// A successful compilation.
#[derive(Debug)]
pub struct Output {
    /// The resolved policy (what the reference interpreter in the tests
    /// queries).
    pub policy: Policy,
    /// The binary policy.
    pub binary: Vec<u8>,
    /// Warnings about the sources (the policy compiled all the same).
    pub warnings: warning::Warnings,
    /// Source files, which the warnings point into.
    pub files: Sources,
}

impl Output {
    /// The warnings rendered as rustc-style text without colours.
    pub fn render_warnings(&self) -> String {
        let mut w = term::termcolor::NoColor::new(Vec::new());
        self.emit_warnings(&mut w);
        String::from_utf8_lossy(&w.into_inner()).into_owned()
    }

    /// Writes the warnings to `w`.
    pub fn emit_warnings(&self, w: &mut dyn term::termcolor::WriteColor) {
        self.warnings.emit(w, &self.files);
    }
}

/// A failed compilation: the diagnostics and the sources they point into.
pub struct CompileError {
    /// Source files.
    pub files: Sources,
    /// Errors, in source order of discovery.
    pub diagnostics: Vec<Diagnostic<usize>>,
}

impl std::fmt::Debug for CompileError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.render())
    }
}

impl CompileError {
    /// The diagnostics rendered as rustc-style text without colours.
    pub fn render(&self) -> String {
        let mut w = term::termcolor::NoColor::new(Vec::new());
        self.emit(&mut w);
        String::from_utf8_lossy(&w.into_inner()).into_owned()
    }

    /// Writes the diagnostics to `w`.
    pub fn emit(&self, w: &mut dyn term::termcolor::WriteColor) {
        render::emit(w, &self.files, &self.diagnostics);
    }
}

/// Where the statements of a compilation come from.
enum Input<'a> {
    Path(&'a Path),
    Text(&'a str, &'a str),
}

struct Loader {
    /// The files read, by id: name and text. They are made into
    /// [`Sources`] once loaded, which finds their line starts.
    texts: Vec<(String, String)>,
    /// How many files `texts` holds (the next file's id).
    nfiles: usize,
    names: intern::Interner,
    seen: HashSet<PathBuf>,
    /// The statements, in runs, includes inlined.
    stmts: Vec<Vec<Stmt>>,
    errors: Vec<Diagnostic<usize>>,
    /// How many threads the compilation may use.
    threads: usize,
}

impl Loader {
    fn load_text(&mut self, name: String, text: String, dir: Option<PathBuf>) {
        let parsed = pieces::parse(self.nfiles, &text, &mut self.names, self.threads);
        self.texts.push((name, text));
        self.nfiles += 1;
        match parsed {
            Ok(pieces) => {
                for piece in pieces {
                    self.take(piece, dir.as_deref());
                }
            }
            Err(d) => self.errors.push(d),
        }
    }

    /// Takes the statements of `piece` in order, loading the files they
    /// include (relative to `dir`) where they include them. A piece
    /// without includes, nearly every one, is kept as it is: copying the
    /// statements of a large file costs time and memory.
    fn take(&mut self, piece: Vec<Stmt>, dir: Option<&Path>) {
        if !piece.iter().any(|s| matches!(s, Stmt::Include { .. })) {
            self.stmts.push(piece);
            return;
        }
        let mut run = Vec::new();
        for s in piece {
            if let Stmt::Include { path } = s {
                self.stmts.push(std::mem::take(&mut run));
                let text = self.names.text(path.sym);
                let p = match dir {
                    Some(d) => d.join(text),
                    None => PathBuf::from(text),
                };
                self.load_path(&p, Some(&path));
            } else {
                run.push(s);
            }
        }
        self.stmts.push(run);
    }

    fn load_path(&mut self, p: &Path, from: Option<&syntax::Name>) {
        let canon = p.canonicalize().unwrap_or_else(|_| p.to_path_buf());
        if !self.seen.insert(canon) {
            return; // each file is included once
        }
        match std::fs::read_to_string(p) {
            Ok(text) => {
                let dir = p.parent().map(Path::to_path_buf);
                self.load_text(p.display().to_string(), text, dir);
            }
            Err(e) => {
                let mut d =
                    Diagnostic::error().with_message(format!("cannot read `{}`: {e}", p.display()));
                if let Some(n) = from {
                    d = d.with_labels(vec![n.span.primary().with_message("included here")]);
                }
                self.errors.push(d);
            }
        }
    }
}

/// The files `texts` as [`Sources`], their ids in order.
fn sources(texts: Vec<(String, String)>) -> Sources {
    let mut files = SimpleFiles::new();
    for (name, text) in texts {
        files.add(name, text);
    }
    files
}

/// What the compilation of loaded statements gives: the policy, the
/// binary and the warnings, or the errors.
type Checked = Result<(Policy, Vec<u8>, warning::Warnings), Vec<Diagnostic<usize>>>;

fn compile_inputs(inputs: &[Input<'_>], threads: usize) -> Result<Output, CompileError> {
    let mut l = Loader {
        texts: Vec::new(),
        nfiles: 0,
        names: intern::Interner::new(),
        seen: HashSet::new(),
        stmts: Vec::new(),
        errors: Vec::new(),
        threads,
    };
    for i in inputs {
        match i {
            Input::Path(p) => l.load_path(p, None),
            Input::Text(name, text) => l.load_text(name.to_string(), text.to_string(), None),
        }
    }
    let Loader {
        texts,
        names,
        stmts,
        errors,
        ..
    } = l;
    if !errors.is_empty() {
        return Err(CompileError {
            files: sources(texts),
            diagnostics: errors,
        });
    }
    // Only diagnostics need the sources' line starts: on a thread of
    // their own, if there are two, beside the rest.
    let (files, checked) = if threads > 1 {
        std::thread::scope(|s| {
            let files = s.spawn(move || sources(texts));
            let checked = check(stmts, &names, threads);
            let files = files
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            (files, checked)
        })
    } else {
        let checked = check(stmts, &names, threads);
        (sources(texts), checked)
    };
    match checked {
        Ok((policy, binary, mut warnings)) => {
            warnings.set_threads(threads);
            Ok(Output {
                policy,
                binary,
                warnings,
                files,
            })
        }
        Err(diagnostics) => Err(CompileError { files, diagnostics }),
    }
}

/// Resolves `stmts`, searches for redundant rules and encodes the policy.
fn check(stmts: Vec<Vec<Stmt>>, names: &intern::Interner, threads: usize) -> Checked {
    let model::Resolved {
        policy,
        mut warnings,
    } = model::resolve_unlinted(&stmts, names)?;
    // The encoding and the search for redundant rules only read the
    // policy: on two threads, if there are two; and the statements,
    // read no more, are freed beside them.
    let binary = if threads > 1 {
        std::thread::scope(|s| {
            s.spawn(move || drop(stmts));
            let encoding = s.spawn(|| encode::encode(&policy));
            lint::warn_redundant_on(&policy, &mut warnings, threads);
            encoding
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
        })
    } else {
        drop(stmts);
        lint::warn_redundant(&policy, &mut warnings);
        encode::encode(&policy)
    };
    Ok((policy, binary?, warnings))
}

/// Compiles the policy made of the files `paths` (and what they include,
/// relative to the including file).
pub fn compile_paths<P: AsRef<Path>>(paths: &[P]) -> Result<Output, CompileError> {
    let inputs: Vec<Input<'_>> = paths.iter().map(|p| Input::Path(p.as_ref())).collect();
    compile_inputs(&inputs, ordered::available_threads())
}

/// Compiles one in-memory source named `name` (includes are resolved
/// relative to the current directory).
pub fn compile_str(name: &str, text: &str) -> Result<Output, CompileError> {
    compile_inputs(&[Input::Text(name, text)], ordered::available_threads())
}

/// Compiles several in-memory sources `(name, text)` as one policy.
pub fn compile_strs(sources: &[(&str, &str)]) -> Result<Output, CompileError> {
    compile_strs_on(sources, ordered::available_threads())
}

/// [`compile_strs`] on up to `threads` threads (at least one). The output
/// is the same whatever their number.
pub fn compile_strs_on(sources: &[(&str, &str)], threads: usize) -> Result<Output, CompileError> {
    let inputs: Vec<Input<'_>> = sources.iter().map(|(n, t)| Input::Text(n, t)).collect();
    compile_inputs(&inputs, threads.max(1))
}
