// SPDX-License-Identifier: GPL-2.0

//! `carapacectl-gen DIR`: writes carapacectl's man page and shell
//! completions, made from its clap definitions, under DIR as a
//! distribution lays them out:
//!
//! ```text
//! DIR/share/man/man1/carapacectl.1 (and carapacectl-COMMAND.1)
//! DIR/share/bash-completion/completions/carapacectl
//! DIR/share/zsh/vendor-completions/_carapacectl
//! DIR/share/fish/vendor_completions.d/carapacectl.fish
//! ```
//!
//! scripts/build-initramfs.sh runs it with DIR = the VM root's /usr.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};
use carapace_admin::cli::Cli;
use clap::CommandFactory;
use clap_complete::Shell;

/// Writes `carapacectl.1`, and one page per command as git does, into
/// `dir`.
fn man_pages(dir: &Path) -> Result<()> {
    fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    clap_mangen::generate_to(Cli::command(), dir)
        .with_context(|| format!("cannot write the man pages into {}", dir.display()))
}

/// Writes the completion script of `shell` as `dir/name`.
fn completion(shell: Shell, dir: &Path, name: &str) -> Result<()> {
    fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let path = dir.join(name);
    let mut f =
        fs::File::create(&path).with_context(|| format!("cannot write {}", path.display()))?;
    clap_complete::generate(shell, &mut Cli::command(), "carapacectl", &mut f);
    Ok(())
}

fn run(prefix: &Path) -> Result<()> {
    let share = prefix.join("share");
    man_pages(&share.join("man/man1"))?;
    completion(
        Shell::Bash,
        &share.join("bash-completion/completions"),
        "carapacectl",
    )?;
    completion(
        Shell::Zsh,
        &share.join("zsh/vendor-completions"),
        "_carapacectl",
    )?;
    completion(
        Shell::Fish,
        &share.join("fish/vendor_completions.d"),
        "carapacectl.fish",
    )?;
    Ok(())
}

fn main() -> ExitCode {
    let mut args = std::env::args_os().skip(1);
    let (Some(prefix), None) = (args.next(), args.next()) else {
        eprintln!("usage: carapacectl-gen DIR   (writes DIR/share/man, DIR/share/*completion*)");
        return ExitCode::from(2);
    };
    match run(&PathBuf::from(prefix)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("carapacectl-gen: error: {e:#}");
            ExitCode::from(1)
        }
    }
}
