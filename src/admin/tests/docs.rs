// SPDX-License-Identifier: GPL-2.0

//! The man page and shell completions `carapacectl-gen` makes from the
//! clap definitions: they render with `man -l` and load in bash, and
//! they know every command.

use std::path::Path;
use std::process::Command;

fn generate() -> tempfile::TempDir {
    let d = tempfile::tempdir().unwrap();
    let st = Command::new(env!("CARGO_BIN_EXE_carapacectl-gen"))
        .arg(d.path().join("usr"))
        .status()
        .unwrap();
    assert!(st.success());
    d
}

fn share(d: &Path) -> std::path::PathBuf {
    d.join("usr/share")
}

#[test]
fn man_page_renders_with_man() {
    let d = generate();
    let page = share(d.path()).join("man/man1/carapacectl.1");
    let o = Command::new("man")
        .arg("-l")
        .arg(&page)
        .env("MANPAGER", "cat")
        .env("PAGER", "cat")
        .env("MANWIDTH", "80")
        .output()
        .expect("man-db is installed (scripts/setup.sh)");
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(text.contains("carapacectl"), "{text}");
    assert!(text.contains("SUBCOMMANDS"), "{text}");
    assert!(text.contains("avc-stats"), "{text}");
    assert!(text.contains("CARAPACE_SECURITYFS"), "{text}");
    // One page per command, with that command's options.
    let o = Command::new("man")
        .arg("-l")
        .arg(share(d.path()).join("man/man1/carapacectl-status.1"))
        .env("MANPAGER", "cat")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(text.contains("--json"), "{text}");
}

/// Runs bash with the completion loaded: `complete -p`, then the
/// candidates for `words` (the last one being completed).
fn complete(d: &Path, words: &[&str]) -> (String, String) {
    let script = share(d).join("bash-completion/completions/carapacectl");
    let words_list = words.join(" ");
    let cword = words.len() - 1;
    let cur = words[cword];
    let prev = if cword > 0 { words[cword - 1] } else { "" };
    let prog = format!(
        "set -e; source '{}'; complete -p carapacectl; \
         COMP_WORDS=({words_list}); COMP_CWORD={cword}; \
         COMP_LINE='{words_list}'; COMP_POINT=${{#COMP_LINE}}; \
         _carapacectl carapacectl '{cur}' '{prev}'; echo \"${{COMPREPLY[*]}}\"",
        script.display()
    );
    let o = Command::new("bash")
        .args(["--norc", "--noprofile", "-c", &prog])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let out = String::from_utf8_lossy(&o.stdout).into_owned();
    let mut lines = out.lines();
    let spec = lines.next().unwrap_or("").to_string();
    (spec, lines.collect::<Vec<_>>().join("\n"))
}

#[test]
fn bash_completion_loads_and_completes() {
    let d = generate();
    let (spec, cands) = complete(d.path(), &["carapacectl", ""]);
    assert!(spec.contains("-F _carapacectl carapacectl"), "{spec}");
    for c in [
        "load",
        "status",
        "avc-stats",
        "access",
        "context",
        "explain",
    ] {
        assert!(cands.split_whitespace().any(|w| w == c), "{c}: {cands}");
    }
    let (_, cands) = complete(d.path(), &["carapacectl", "status", "--"]);
    assert!(cands.split_whitespace().any(|w| w == "--json"), "{cands}");
    let (_, cands) = complete(d.path(), &["carapacectl", "av"]);
    assert_eq!(cands.trim(), "avc-stats");
}

#[test]
fn other_shells_get_completions_too() {
    let d = generate();
    let zsh = std::fs::read_to_string(share(d.path()).join("zsh/vendor-completions/_carapacectl"))
        .unwrap();
    assert!(zsh.starts_with("#compdef carapacectl"), "{zsh}");
    let fish =
        std::fs::read_to_string(share(d.path()).join("fish/vendor_completions.d/carapacectl.fish"))
            .unwrap();
    assert!(fish.contains("avc-stats"));
}

#[test]
fn gen_needs_one_directory() {
    let o = Command::new(env!("CARGO_BIN_EXE_carapacectl-gen"))
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
}
