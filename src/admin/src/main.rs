// SPDX-License-Identifier: GPL-2.0

//! `carapacectl`: administer the Carapace LSM. See
//! Documentation/carapacectl.rst.

use std::ffi::OsString;
use std::io::{self, IsTerminal, Read, Write};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{anyhow, bail, Context, Result};
use clap::{Parser, Subcommand};

use carapace_admin::access::Decision;
use carapace_admin::label::{get_file_label, set_file_label, set_label_error, ProcAttr};
use carapace_admin::securityfs::{Op, SecurityFs};
use carapace_admin::status::Status;
use carapace_admin::{avc, class_by_name, explain, relabel, PolicyBuf};
use carapace_admin::{PROCFS_DEFAULT, SECURITYFS_DEFAULT};

/// Exit code of `access --perm` when a listed permission is denied.
const EXIT_DENIED: i32 = 3;
/// Exit code of `exec` when the command cannot be executed (as runcon).
const EXIT_CANNOT_EXEC: i32 = 126;
/// Exit code of `exec` when the command is not found (as runcon).
const EXIT_NOT_FOUND: i32 = 127;

/// Administer the Carapace type-enforcement LSM: load policy, switch
/// enforcement, query decisions, label files, run commands in a domain
/// and explain denials.
#[derive(Parser, Debug)]
#[command(name = "carapacectl", version, propagate_version = true)]
struct Cli {
    /// The carapace securityfs directory.
    #[arg(long, global = true, value_name = "DIR", env = "CARAPACE_SECURITYFS",
          default_value = SECURITYFS_DEFAULT)]
    securityfs: PathBuf,
    /// Where procfs is mounted (process labels: <DIR>/self/attr/...).
    #[arg(long, global = true, value_name = "DIR", env = "CARAPACE_PROCFS",
          default_value = PROCFS_DEFAULT)]
    procfs: PathBuf,
    #[command(subcommand)]
    cmd: Cmd,
}

#[derive(Subcommand, Debug)]
enum Cmd {
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
    },
    /// Print the access vector cache statistics.
    AvcStats {
        /// Print avc/cache_stats and avc/hash_stats as the kernel wrote them.
        #[arg(long)]
        raw: bool,
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
        #[arg(long)]
        raw: bool,
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
    },
    /// Explain carapace denials from audit records.
    ///
    /// Reads lines containing `carapace: denied` from FILE, from standard
    /// input when it is not a terminal, else from `dmesg`, and prints who
    /// was denied what, on which object, and the allow rule that would
    /// grant it.
    Explain {
        /// File of audit records or kernel log lines (`-`: stdin).
        file: Option<PathBuf>,
        /// Print only the allow rules.
        #[arg(long)]
        rules: bool,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => ExitCode::from(u8::try_from(code).unwrap_or(1)),
        Err(e) => {
            eprintln!("carapacectl: error: {e:#}");
            ExitCode::from(1)
        }
    }
}

/// The policy in `file`, or the loaded one.
fn policy_from(sfs: &SecurityFs, file: Option<&Path>) -> Result<PolicyBuf> {
    match file {
        Some(f) => PolicyBuf::from_file(f),
        None => sfs
            .loaded_policy()?
            .ok_or_else(|| anyhow!("no policy is loaded (load one, or pass --policy FILE)")),
    }
}

fn run(cli: Cli) -> Result<i32> {
    let sfs = SecurityFs::new(&cli.securityfs);
    let procattr = ProcAttr::new(&cli.procfs);
    let mut out = io::stdout().lock();
    match cli.cmd {
        Cmd::Load { file, no_verify } => load(&sfs, &file, no_verify)?,
        Cmd::Enforce => sfs.set_enforce(true)?,
        Cmd::Permissive => sfs.set_enforce(false)?,
        Cmd::Status { check } => return status(&sfs, check, &mut out),
        Cmd::AvcStats { raw } => avc_stats(&sfs, raw, &mut out)?,
        Cmd::Access {
            source,
            target,
            class,
            policy,
            raw,
            perms,
        } => {
            let query = AccessQuery {
                source: &source,
                target: &target,
                class: &class,
                perms: &perms,
            };
            return access(&sfs, &query, policy.as_deref(), raw, &mut out);
        }
        Cmd::Exec { domain, command } => return exec(&procattr, &domain, &command),
        Cmd::Label {
            path,
            ty,
            check,
            policy,
            no_dereference,
        } => {
            if check {
                let p = policy_from(&sfs, policy.as_deref())?;
                if p.db().type_by_name(ty.as_bytes()).is_none() {
                    bail!("type `{ty}` is not defined in {}", p.origin);
                }
            }
            set_file_label(&path, &ty, !no_dereference)
                .map_err(|e| anyhow!(set_label_error(&path, &ty, &e)))?;
        }
        Cmd::Relabel {
            dry_run,
            policy,
            alt_root,
            exclude,
            roots,
        } => {
            let opts = relabel::Options {
                dry_run,
                alt_root,
                exclude,
            };
            return relabel_files(&sfs, policy.as_deref(), roots, opts, &mut out);
        }
        Cmd::Context {
            path,
            pid,
            no_dereference,
        } => match path {
            Some(path) => file_context(&path, no_dereference, &mut out)?,
            None => {
                let l = procattr.current(pid).with_context(|| {
                    format!("cannot read {}", procattr.path(pid, "current").display())
                })?;
                writeln!(out, "{l}")?;
            }
        },
        Cmd::Explain { file, rules } => explain_records(file.as_deref(), rules, &mut out)?,
    }
    Ok(0)
}

/// `load`: verifies the policy (unless told not to) and loads it.
fn load(sfs: &SecurityFs, file: &Path, no_verify: bool) -> Result<()> {
    let origin = file.display().to_string();
    let bytes = if no_verify {
        std::fs::read(file).with_context(|| format!("cannot read {origin}"))?
    } else {
        PolicyBuf::from_file(file)?.bytes().to_vec()
    };
    sfs.load_policy(&bytes, &origin)
}

/// `status`: prints the status file; with `check`, the exit code says
/// whether a policy is loaded and enforced.
fn status(sfs: &SecurityFs, check: bool, out: &mut impl Write) -> Result<i32> {
    let text = sfs.read_text("status")?;
    out.write_all(text.as_bytes())?;
    if !check {
        return Ok(0);
    }
    Status::parse(&text).check_code().with_context(|| {
        format!(
            "{}: no `enforcing:`/`policy:` lines",
            sfs.path("status").display()
        )
    })
}

/// `avc-stats`: the cache statistics, summed or as the kernel gives them.
fn avc_stats(sfs: &SecurityFs, raw: bool, out: &mut impl Write) -> Result<()> {
    let cache = sfs.read_text("avc/cache_stats")?;
    let hash = sfs.read_text("avc/hash_stats")?;
    if raw {
        write!(out, "{cache}{hash}")?;
    } else {
        let c = avc::CacheStats::parse(&cache)?;
        out.write_all(avc::format_stats(&c, &hash).as_bytes())?;
    }
    Ok(())
}

/// What `access` asks.
struct AccessQuery<'a> {
    source: &'a str,
    target: &'a str,
    class: &'a str,
    perms: &'a [String],
}

/// `access`: the decision for a query, from the kernel or from a policy
/// file; `EXIT_DENIED` when one of the named permissions is not allowed.
fn access(
    sfs: &SecurityFs,
    q: &AccessQuery<'_>,
    policy: Option<&Path>,
    raw: bool,
    out: &mut impl Write,
) -> Result<i32> {
    let kc = class_by_name(q.class)?;
    let d = match policy {
        Some(p) => {
            let buf = PolicyBuf::from_file(p)?;
            Decision::compute(&buf.db(), q.source, q.target, kc)?
        }
        None => {
            let query = format!("{} {} {}", q.source, q.target, q.class);
            let answer = sfs.transact("access", query.as_bytes(), Op::ComputeAv)?;
            Decision::parse(&answer)?
        }
    };
    if raw {
        writeln!(out, "{}", d.raw())?;
    } else {
        out.write_all(d.describe(q.source, q.target, kc).as_bytes())?;
    }
    let missing = d.missing(kc, q.perms)?;
    if missing.is_empty() {
        return Ok(0);
    }
    eprintln!(
        "carapacectl: denied: {} {}:{} {{ {} }}",
        q.source,
        q.target,
        q.class,
        missing.join(" ")
    );
    Ok(EXIT_DENIED)
}

/// `relabel`: sets the labels the policy's file contexts give.
fn relabel_files(
    sfs: &SecurityFs,
    policy: Option<&Path>,
    mut roots: Vec<PathBuf>,
    mut opts: relabel::Options,
    out: &mut impl Write,
) -> Result<i32> {
    let p = policy_from(sfs, policy)?;
    let m = relabel::Matcher::from_policy(&p.db())?;
    if m.is_empty() {
        eprintln!("carapacectl: warning: {} has no file contexts", p.origin);
    }
    if roots.is_empty() {
        roots.push(PathBuf::from("/"));
        opts.exclude
            .extend(["/proc", "/sys", "/dev"].map(PathBuf::from));
    }
    let mut err = io::stderr().lock();
    let s = relabel::relabel(&m, &roots, &opts, out, &mut err)?;
    let verb = if opts.dry_run {
        "would change"
    } else {
        "changed"
    };
    writeln!(
        err,
        "carapacectl: relabel: {} {verb}, {} unchanged, {} without a file context, {} errors",
        s.changed, s.unchanged, s.unmatched, s.errors
    )?;
    Ok(if s.errors > 0 { 1 } else { 0 })
}

/// `context PATH`: the file's label.
fn file_context(path: &Path, no_dereference: bool, out: &mut impl Write) -> Result<()> {
    match get_file_label(path, !no_dereference) {
        Ok(Some(l)) => writeln!(out, "{l}")?,
        Ok(None) => bail!(
            "{}: no label (no {} xattr)",
            path.display(),
            carapace_admin::label::XATTR_NAME
        ),
        Err(e) if e.raw_os_error() == Some(libc::EOPNOTSUPP) => {
            bail!(
                "{}: the filesystem does not support labels ({e})",
                path.display()
            )
        }
        Err(e) => bail!("{}: {e}", path.display()),
    }
    Ok(())
}

/// `explain`: what the denials in the audit records mean, or the rules
/// that would allow them.
fn explain_records(file: Option<&Path>, rules: bool, out: &mut impl Write) -> Result<()> {
    let text = read_records(file)?;
    let groups = explain::collect(&text);
    if groups.is_empty() {
        eprintln!("carapacectl: no carapace denials found");
    } else if rules {
        for g in &groups {
            writeln!(out, "{}", g.allow_rule())?;
        }
    } else {
        out.write_all(explain::report(&groups).as_bytes())?;
    }
    Ok(())
}

/// Audit records for `explain`.
fn read_records(file: Option<&Path>) -> Result<String> {
    let mut bytes = Vec::new();
    match file {
        Some(p) if p != Path::new("-") => {
            bytes = std::fs::read(p).with_context(|| format!("cannot read {}", p.display()))?;
        }
        None if io::stdin().is_terminal() => {
            let o = std::process::Command::new("dmesg")
                .output()
                .context("cannot run dmesg (or pipe audit records into `carapacectl explain`)")?;
            if !o.status.success() {
                bail!(
                    "dmesg failed ({}): {}",
                    o.status,
                    String::from_utf8_lossy(&o.stderr).trim()
                );
            }
            bytes = o.stdout;
        }
        _ => {
            io::stdin()
                .read_to_end(&mut bytes)
                .context("cannot read standard input")?;
        }
    }
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// `exec`: set the exec label, then replace this process by `command`.
fn exec(procattr: &ProcAttr, domain: &str, command: &[OsString]) -> Result<i32> {
    let attr = procattr.path(None, "exec");
    if let Err(e) = procattr.set_exec(domain) {
        let why = match e.raw_os_error() {
            Some(libc::EACCES) | Some(libc::EPERM) => format!(
                "policy does not allow a transition to {domain} \
                 (process {{ setexec transition }} from the current domain)"
            ),
            Some(libc::EINVAL) => format!(
                "the kernel rejected domain `{domain}`: not a type in the loaded policy, \
                 or carapace is not the LSM behind {}",
                attr.display()
            ),
            Some(libc::ENOENT) => "is procfs mounted?".to_string(),
            _ => String::new(),
        };
        if why.is_empty() {
            bail!("cannot set the exec label ({}): {e}", attr.display());
        }
        bail!("cannot set the exec label ({}): {e}: {why}", attr.display());
    }
    let (prog, args) = command.split_first().context("no command given")?;
    let e = std::process::Command::new(prog).args(args).exec();
    let name = Path::new(prog).display();
    let (code, why) = match e.raw_os_error() {
        Some(libc::ENOENT) => (EXIT_NOT_FOUND, "command not found".to_string()),
        Some(libc::EACCES) | Some(libc::EPERM) => (
            EXIT_CANNOT_EXEC,
            format!(
                "{e}: the policy may not allow the transition to {domain} \
                 (process {{ transition }}) or {domain}'s entrypoint on the program's type \
                 (file {{ entrypoint }}); `carapacectl explain` shows the denial"
            ),
        ),
        _ => (EXIT_CANNOT_EXEC, e.to_string()),
    };
    eprintln!("carapacectl: error: cannot execute {name} in domain {domain}: {why}");
    Ok(code)
}
