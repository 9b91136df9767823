// SPDX-License-Identifier: GPL-2.0

//! `carapacec`: compile carapace policy sources into a binary policy.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use codespan_reporting::term::termcolor::{ColorChoice, StandardStream};

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
    /// Policy source files (compiled together, in order).
    #[arg(required = true)]
    files: Vec<PathBuf>,
}

fn main() -> ExitCode {
    let args = Args::parse();
    let out = match carapace_compiler::compile_paths(&args.files) {
        Ok(o) => o,
        Err(e) => {
            let mut w = StandardStream::stderr(ColorChoice::Auto);
            e.emit(&mut w);
            eprintln!(
                "error: could not compile policy due to {} previous error{}",
                e.diagnostics.len(),
                if e.diagnostics.len() == 1 { "" } else { "s" }
            );
            return ExitCode::from(1);
        }
    };
    if !out.warnings.is_empty() {
        let mut w = StandardStream::stderr(ColorChoice::Auto);
        out.emit_warnings(&mut w);
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
    ExitCode::SUCCESS
}
