// SPDX-License-Identifier: GPL-2.0

//! `carapacec`: compile carapace policy sources into a binary policy.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use carapace_compiler::{render, report, Sources};
use clap::{Parser, ValueEnum};
use codespan_reporting::diagnostic::Diagnostic;
use codespan_reporting::term::termcolor::{BufferedStandardStream, ColorChoice};

/// When to colour diagnostics.
#[derive(Clone, Copy, ValueEnum)]
enum Color {
    /// When standard error is a terminal and `NO_COLOR` is unset or empty.
    Auto,
    /// Always, even into a pipe or with `NO_COLOR` set.
    Always,
    /// Never.
    Never,
}

/// How diagnostics are written.
#[derive(Clone, Copy, ValueEnum)]
enum Format {
    /// rustc-style text with the source lines.
    Human,
    /// One JSON object per diagnostic and line (for editors and CI).
    Json,
}

/// What to do with warnings.
#[derive(Clone, Copy, ValueEnum)]
enum Warnings {
    /// Report them as errors, and fail.
    Error,
}

/// Compile carapace policy sources into a binary policy.
#[derive(Parser)]
#[command(name = "carapacec", version)]
struct Args {
    /// Output file for the binary policy.
    #[arg(short, long, default_value = "policy.bin")]
    output: PathBuf,
    /// Only check the sources; write nothing.
    #[arg(long)]
    check: bool,
    /// Print statistics about the compiled policy.
    #[arg(short, long)]
    verbose: bool,
    /// Colour diagnostics.
    #[arg(long, value_enum, default_value_t = Color::Auto, value_name = "WHEN")]
    color: Color,
    /// Diagnostic format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
    /// `-W error`: treat warnings as errors.
    #[arg(short = 'W', value_enum, value_name = "LEVEL")]
    warnings: Option<Warnings>,
    /// Policy source files (compiled together, in order).
    #[arg(required = true)]
    files: Vec<PathBuf>,
}

impl Args {
    /// The colour choice for standard error: `--color`, else colour only
    /// on a terminal without `NO_COLOR` (https://no-color.org: any
    /// non-empty value disables it).
    fn color_choice(&self) -> ColorChoice {
        match self.color {
            Color::Always => ColorChoice::Always,
            Color::Never => ColorChoice::Never,
            Color::Auto => {
                let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
                if !no_color && std::io::stderr().is_terminal() {
                    ColorChoice::Auto
                } else {
                    ColorChoice::Never
                }
            }
        }
    }

    /// Writes `diagnostics` to standard error in the chosen format.
    /// Buffered: the renderer writes a few bytes at a time, and a large
    /// policy can have tens of thousands of warnings, which unbuffered
    /// would cost a system call each few bytes.
    fn emit(&self, files: &Sources, diagnostics: &[Diagnostic<usize>]) {
        match self.format {
            Format::Human => {
                let mut w = BufferedStandardStream::stderr(self.color_choice());
                render::emit(&mut w, files, diagnostics);
                let _ = w.flush();
            }
            Format::Json => {
                let mut w = std::io::BufWriter::new(std::io::stderr().lock());
                for d in diagnostics {
                    let _ = writeln!(w, "{}", report::to_json(files, d));
                }
                let _ = w.flush();
            }
        }
    }

    /// The closing line of a failed compilation (human format only: JSON
    /// readers count the objects).
    fn summary(&self, errors: usize) {
        if matches!(self.format, Format::Human) {
            eprintln!(
                "error: could not compile policy due to {errors} previous error{}",
                if errors == 1 { "" } else { "s" }
            );
        }
    }
}

fn main() -> ExitCode {
    let args = Args::parse();
    let out = match carapace_compiler::compile_paths(&args.files) {
        Ok(o) => o,
        Err(e) => {
            args.emit(&e.files, &e.diagnostics);
            args.summary(e.diagnostics.len());
            return ExitCode::from(1);
        }
    };
    if matches!(args.warnings, Some(Warnings::Error)) && !out.warnings.is_empty() {
        let errors: Vec<_> = out.warnings.iter().map(report::as_error).collect();
        args.emit(&out.files, &errors);
        args.summary(errors.len());
        return ExitCode::from(1);
    }
    match args.format {
        // One at a time: they need not all be made at once.
        Format::Human => {
            let mut w = BufferedStandardStream::stderr(args.color_choice());
            out.warnings.emit(&mut w, &out.files);
            let _ = w.flush();
        }
        Format::Json => args.emit(&out.files, &out.warnings),
    }
    // Belt and braces: what we write must load.
    if let Err(e) = carapace_core::policy::PolicyDb::parse(&out.binary) {
        eprintln!("error: internal: compiled policy does not validate: {e}");
        return ExitCode::from(2);
    }
    if args.verbose {
        eprintln!(
            "{} types, {} attributes, {} classes, {} rules, {} transitions, {} bytes",
            out.policy.types.len(),
            out.policy.attributes.len(),
            out.policy.classes.len(),
            out.policy.rules.len(),
            out.policy.transitions.len(),
            out.binary.len()
        );
    }
    if !args.check {
        if let Err(e) = std::fs::write(&args.output, &out.binary) {
            eprintln!("error: cannot write `{}`: {e}", args.output.display());
            return ExitCode::from(1);
        }
    }
    // Freeing the resolved policy, rule by rule, takes a tenth of the
    // compile of a large policy; the process is about to exit.
    std::mem::forget(out);
    ExitCode::SUCCESS
}
