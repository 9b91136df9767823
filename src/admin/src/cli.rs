// SPDX-License-Identifier: GPL-2.0

//! The command line of `carapacectl`, as clap definitions: the binary
//! parses it, and `carapacectl-gen` makes the man page and the shell
//! completions from the same definitions, so they cannot drift apart.

use std::ffi::OsString;
use std::path::PathBuf;

use clap::{Parser, Subcommand};

use crate::{PROCFS_DEFAULT, SECURITYFS_DEFAULT};

/// Administer the Carapace type-enforcement LSM: load policy, switch
/// enforcement, query decisions, label files, run commands in a domain,
/// explain denials and analyze policies.
#[derive(Parser, Debug)]
#[command(name = "carapacectl", version, propagate_version = true)]
pub struct Cli {
    /// The carapace securityfs directory.
    #[arg(long, global = true, value_name = "DIR", env = "CARAPACE_SECURITYFS",
          default_value = SECURITYFS_DEFAULT)]
    pub securityfs: PathBuf,
    /// Where procfs is mounted (process labels: <DIR>/self/attr/...).
    #[arg(long, global = true, value_name = "DIR", env = "CARAPACE_PROCFS",
          default_value = PROCFS_DEFAULT)]
    pub procfs: PathBuf,
    #[command(subcommand)]
    pub cmd: Cmd,
}

/// The commands.
#[derive(Subcommand, Debug)]
pub enum Cmd {
    /// Load (or atomically replace) the binary policy FILE.
    ///
    /// The file is validated here first, then written to the kernel in one
    /// write. On failure the policy in force stays in force.
    Load {
        /// Binary policy, as produced by carapacec.
        file: PathBuf,
        /// Send the file to the kernel without validating it here.
        #[arg(long)]
        no_verify: bool,
    },
    /// Switch to enforcing mode: denials fail.
    Enforce,
    /// Switch to permissive mode: denials are logged, not enforced.
    Permissive,
    /// Print the module's status (enforcing, policy, seqno, sizes).
    Status {
        /// Exit with 0 when enforcing with a policy loaded, 3 when
        /// permissive, 4 when no policy is loaded.
        #[arg(long)]
        check: bool,
        /// Print one JSON object: every field, numbers as numbers,
        /// `enforcing` and `policy_loaded` as booleans.
        #[arg(long)]
        json: bool,
    },
    /// Print the access vector cache statistics.
    AvcStats {
        /// Print avc/cache_stats and avc/hash_stats as the kernel wrote them.
        #[arg(long, conflicts_with = "json")]
        raw: bool,
        /// Print one JSON object: `cache` (summed counters), `hash` and
        /// `hit_ratio`.
        #[arg(long)]
        json: bool,
    },
    /// Ask for the decision on SOURCE acting on TARGET in CLASS.
    Access {
        /// Source type (domain).
        source: String,
        /// Target type.
        target: String,
        /// Security class (e.g. file, capability2).
        class: String,
        /// Compute the decision from this binary policy file instead of
        /// asking the kernel.
        #[arg(long, value_name = "FILE")]
        policy: Option<PathBuf>,
        /// Print the kernel's answer line as is.
        #[arg(long, conflicts_with = "json")]
        raw: bool,
        /// Print one JSON object: the query, the permissions allowed,
        /// denied, audited and not audited by name, flags, seqno, and the
        /// PERMs that are missing.
        #[arg(long)]
        json: bool,
        /// Exit with 3 unless PERM is allowed (repeatable).
        #[arg(long = "perm", value_name = "PERM")]
        perms: Vec<String>,
    },
    /// Run COMMAND in DOMAIN: set the exec label, then execute it.
    ///
    /// The kernel applies the label at execve when the policy allows the
    /// transition. Exits with 126 if COMMAND cannot be executed, 127 if
    /// it is not found, else with COMMAND's status.
    Exec {
        /// Domain to run COMMAND in.
        #[arg(long, short)]
        domain: String,
        /// The command and its arguments (after `--`).
        #[arg(last = true, required = true, value_name = "COMMAND")]
        command: Vec<OsString>,
    },
    /// Set the label of PATH to TYPE (the security.carapace xattr).
    Label {
        /// File to label.
        path: PathBuf,
        /// Type name.
        #[arg(value_name = "TYPE")]
        ty: String,
        /// Check first that TYPE is defined in the loaded policy (or the
        /// one given with --policy).
        #[arg(long)]
        check: bool,
        /// Policy file for --check instead of the loaded policy.
        #[arg(long, value_name = "FILE", requires = "check")]
        policy: Option<PathBuf>,
        /// Label a symlink itself rather than what it points to.
        #[arg(long)]
        no_dereference: bool,
    },
    /// Relabel files from the policy's file contexts.
    ///
    /// Walks each ROOT (default: / without /proc, /sys and /dev). Every
    /// file gets the type of the first file context matching its path,
    /// in policy source order (exact: equal; prefix: starts with; regex:
    /// whole path, anchored); files no context matches are left alone,
    /// symlinks are not followed. Prints each change.
    Relabel {
        /// Print what would change; change nothing.
        #[arg(long, short = 'n')]
        dry_run: bool,
        /// Use this binary policy file instead of the loaded policy.
        #[arg(long, value_name = "FILE")]
        policy: Option<PathBuf>,
        /// Treat DIR as / (e.g. a VM root being prepared): ROOTs are paths
        /// inside it and are matched as such.
        #[arg(long, value_name = "DIR")]
        alt_root: Option<PathBuf>,
        /// Skip PATH and everything below it (repeatable).
        #[arg(long, value_name = "PATH")]
        exclude: Vec<PathBuf>,
        /// Directories or files to relabel.
        #[arg(value_name = "ROOT")]
        roots: Vec<PathBuf>,
    },
    /// Print the label of PATH, or the domain of this (or another) process.
    Context {
        /// File whose label to print.
        path: Option<PathBuf>,
        /// Print the domain of process PID.
        #[arg(long, conflicts_with = "path")]
        pid: Option<u32>,
        /// Read a symlink's own label.
        #[arg(long)]
        no_dereference: bool,
        /// Print one JSON object: `path` or `pid` (null for this
        /// process) and `context`.
        #[arg(long)]
        json: bool,
    },
    /// Explain carapace denials from audit records.
    ///
    /// Reads lines containing `carapace: denied` from FILE, from standard
    /// input when it is not a terminal, else from `dmesg`, and prints who
    /// was denied what, on which object, and the allow rule that would
    /// grant it, and which neverallow of the policy sources that rule
    /// would break.
    Explain {
        /// File of audit records or kernel log lines (`-`: stdin).
        file: Option<PathBuf>,
        /// Print only the allow rules.
        #[arg(long)]
        rules: bool,
        /// Policy sources (compiled together, as by carapacec) whose
        /// neverallow rules the suggested rules are checked against;
        /// repeatable. Default: /etc/carapace/src/main.cpol if it exists.
        #[arg(long = "policy-source", value_name = "FILE")]
        policy_sources: Vec<PathBuf>,
    },
    /// Ask questions about a policy, source or binary: rules, reach,
    /// differences, counts.
    ///
    /// A policy FILE that starts with the binary policy magic is read as a
    /// binary policy; any other is compiled as policy sources (the file
    /// and what it includes, as by carapacec), which gives each rule its
    /// file and line.
    Analyze {
        #[command(subcommand)]
        query: Analyze,
    },
}

/// The questions of `analyze`.
#[derive(Subcommand, Debug)]
pub enum Analyze {
    /// Print the rules that match a source, target, class and
    /// permissions (as sesearch).
    ///
    /// A type matches the rules on its attributes; an attribute matches
    /// the rules on itself, on its types, and on attributes that share a
    /// type with it. Without a kind option, every kind is printed.
    Search {
        /// Source type or attribute.
        #[arg(long, short)]
        source: Option<String>,
        /// Target type or attribute.
        #[arg(long, short)]
        target: Option<String>,
        /// Class.
        #[arg(long, short)]
        class: Option<String>,
        /// Permission: rules with any of them match (repeatable, or
        /// comma-separated).
        #[arg(long = "perm", short, value_name = "PERM", value_delimiter = ',')]
        perms: Vec<String>,
        /// allow rules.
        #[arg(long)]
        allow: bool,
        /// auditallow rules.
        #[arg(long)]
        auditallow: bool,
        /// dontaudit rules.
        #[arg(long)]
        dontaudit: bool,
        /// neverallow rules (sources only: a binary has none).
        #[arg(long)]
        neverallow: bool,
        #[command(flatten)]
        policy: AnalyzePolicy,
    },
    /// Print the domains that can get PERM of CLASS, directly or through
    /// domain transitions, each with a shortest chain and the rules
    /// behind each step (as sedta).
    Reach {
        /// Class (e.g. capability2).
        class: String,
        /// Permission (e.g. checkpoint_restore).
        perm: String,
        /// Only PERM on this target type or attribute.
        #[arg(long, short)]
        target: Option<String>,
        #[command(flatten)]
        policy: AnalyzePolicy,
    },
    /// Compare two policies: types, attributes and their members, rules
    /// and type transitions added, removed or changed (as sediff).
    ///
    /// Exits with 0 when they do not differ, 3 when they do.
    Diff {
        /// The old policy (binary or sources).
        old: PathBuf,
        /// The new policy (binary or sources).
        new: PathBuf,
        /// Print one JSON object.
        #[arg(long)]
        json: bool,
    },
    /// Print counts: classes, permissions, types, attributes, rules and
    /// transitions, and the rules per class (as seinfo).
    Info {
        #[command(flatten)]
        policy: AnalyzePolicy,
    },
}

/// The policy an `analyze` question reads, and how it answers.
#[derive(clap::Args, Debug)]
pub struct AnalyzePolicy {
    /// Binary policy or policy sources; default: the loaded policy.
    #[arg(long, value_name = "FILE")]
    pub policy: Option<PathBuf>,
    /// Print one JSON object.
    #[arg(long)]
    pub json: bool,
}
