// SPDX-License-Identifier: GPL-2.0

//! `carapacectl`: administer the Carapace LSM. See
//! Documentation/carapacectl.rst.

use std::ffi::OsString;
use std::io::{self, IsTerminal, Read, Write};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{anyhow, bail, Context, Result};
use clap::Parser;

use carapace_admin::access::Decision;
use carapace_admin::analyze::{self, model::AvKind, Model};
use carapace_admin::cli::{Analyze, AnalyzePolicy, Cli, Cmd};
use carapace_admin::label::{get_file_label, set_file_label, set_label_error, ProcAttr};
use carapace_admin::neverallow::{Conflict, Sources};
use carapace_admin::securityfs::{Op, SecurityFs};
use carapace_admin::status::Status;
use carapace_admin::{avc, class_by_name, explain, relabel, PolicyBuf};

/// Exit code of `access --perm` when a listed permission is denied.
const EXIT_DENIED: i32 = 3;
/// Exit code of `analyze diff` when the policies differ (as diff's 1
/// would be taken for an error).
const EXIT_DIFFERENT: i32 = 3;
/// Exit code of `exec` when the command cannot be executed (as runcon).
const EXIT_CANNOT_EXEC: i32 = 126;
/// Exit code of `exec` when the command is not found (as runcon).
const EXIT_NOT_FOUND: i32 = 127;

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
        Cmd::Status { check, json } => return status(&sfs, check, json, &mut out),
        Cmd::AvcStats { raw, json } => avc_stats(&sfs, raw, json, &mut out)?,
        Cmd::Access {
            source,
            target,
            class,
            policy,
            raw,
            json,
            perms,
        } => {
            let query = AccessQuery {
                source: &source,
                target: &target,
                class: &class,
                perms: &perms,
            };
            let form = if json {
                Form::Json
            } else if raw {
                Form::Raw
            } else {
                Form::Human
            };
            return access(&sfs, &query, policy.as_deref(), form, &mut out);
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
            json,
        } => match path {
            Some(path) => file_context(&path, no_dereference, json, &mut out)?,
            None => {
                let l = procattr.current(pid).with_context(|| {
                    format!("cannot read {}", procattr.path(pid, "current").display())
                })?;
                if json {
                    let v = serde_json::json!({ "pid": pid, "context": l });
                    writeln!(out, "{v}")?;
                } else {
                    writeln!(out, "{l}")?;
                }
            }
        },
        Cmd::Explain {
            file,
            rules,
            policy_sources,
        } => explain_records(&sfs, file.as_deref(), rules, &policy_sources, &mut out)?,
        Cmd::Analyze { query } => return analyze_policy(&sfs, query, &mut out),
    }
    Ok(0)
}

/// The model of the policy in `file`, or of the loaded one.
fn analyzed(sfs: &SecurityFs, file: Option<&Path>) -> Result<Model> {
    match file {
        Some(f) => analyze::load(f),
        None => Ok(analyze::load::from_binary(&policy_from(sfs, None)?)),
    }
}

/// Writes `json` or `text` as asked.
fn answer(
    out: &mut impl Write,
    p: &AnalyzePolicy,
    json: impl FnOnce() -> serde_json::Value,
    text: impl FnOnce() -> String,
) -> Result<()> {
    if p.json {
        writeln!(out, "{}", json())?;
    } else {
        out.write_all(text().as_bytes())?;
    }
    Ok(())
}

/// `analyze`: the questions about a policy.
fn analyze_policy(sfs: &SecurityFs, query: Analyze, out: &mut impl Write) -> Result<i32> {
    match query {
        Analyze::Search {
            source,
            target,
            class,
            perms,
            allow,
            auditallow,
            dontaudit,
            neverallow,
            policy,
        } => {
            let m = analyzed(sfs, policy.policy.as_deref())?;
            let kinds = [
                (allow, AvKind::Allow),
                (auditallow, AvKind::AuditAllow),
                (dontaudit, AvKind::DontAudit),
                (neverallow, AvKind::NeverAllow),
            ];
            let q = analyze::search::Query {
                source,
                target,
                class,
                perms,
                kinds: kinds.iter().filter(|k| k.0).map(|k| k.1).collect(),
            };
            let rules = analyze::search::search(&m, &q)?;
            answer(
                out,
                &policy,
                || analyze::search::json(&m, &rules),
                || analyze::search::text(&m, &rules),
            )?;
        }
        Analyze::Reach {
            class,
            perm,
            target,
            policy,
        } => {
            let m = analyzed(sfs, policy.policy.as_deref())?;
            let q = analyze::reach::Query {
                class,
                perm,
                target,
            };
            let r = analyze::reach::reach(&m, &q)?;
            answer(out, &policy, || r.json(&m), || r.text(&m))?;
        }
        Analyze::Diff { old, new, json } => {
            // Compiling sources takes most of the time: both at once.
            let (a, b) = std::thread::scope(|s| {
                let a = s.spawn(|| analyze::load(&old));
                let b = analyze::load(&new);
                let a = a
                    .join()
                    .unwrap_or_else(|_| Err(anyhow!("loading {} failed", old.display())));
                (a, b)
            });
            let (a, b) = (a?, b?);
            let d = analyze::diff::diff(&a, &b);
            if json {
                writeln!(out, "{}", d.json())?;
            } else {
                out.write_all(d.text().as_bytes())?;
            }
            return Ok(if d.is_empty() { 0 } else { EXIT_DIFFERENT });
        }
        Analyze::Info { policy } => {
            let m = analyzed(sfs, policy.policy.as_deref())?;
            let i = analyze::info::info(&m);
            answer(out, &policy, || i.json(&m), || i.text(&m))?;
        }
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
fn status(sfs: &SecurityFs, check: bool, json: bool, out: &mut impl Write) -> Result<i32> {
    let text = sfs.read_text("status")?;
    let st = Status::parse(&text);
    if json {
        writeln!(out, "{}", st.to_json())?;
    } else {
        out.write_all(text.as_bytes())?;
    }
    if !check {
        return Ok(0);
    }
    st.check_code().with_context(|| {
        format!(
            "{}: no `enforcing:`/`policy:` lines",
            sfs.path("status").display()
        )
    })
}

/// `avc-stats`: the cache statistics, summed or as the kernel gives them.
fn avc_stats(sfs: &SecurityFs, raw: bool, json: bool, out: &mut impl Write) -> Result<()> {
    let cache = sfs.read_text("avc/cache_stats")?;
    let hash = sfs.read_text("avc/hash_stats")?;
    if raw {
        write!(out, "{cache}{hash}")?;
    } else if json {
        let c = avc::CacheStats::parse(&cache)?;
        writeln!(out, "{}", avc::stats_json(&c, &hash))?;
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

/// How `access` prints its decision.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Form {
    Human,
    Raw,
    Json,
}

/// `access`: the decision for a query, from the kernel or from a policy
/// file; `EXIT_DENIED` when one of the named permissions is not allowed.
fn access(
    sfs: &SecurityFs,
    q: &AccessQuery<'_>,
    policy: Option<&Path>,
    form: Form,
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
    let missing = d.missing(kc, q.perms)?;
    match form {
        Form::Raw => writeln!(out, "{}", d.raw())?,
        Form::Json => writeln!(out, "{}", d.to_json(q.source, q.target, kc, &missing))?,
        Form::Human => out.write_all(d.describe(q.source, q.target, kc).as_bytes())?,
    }
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
fn file_context(path: &Path, no_dereference: bool, json: bool, out: &mut impl Write) -> Result<()> {
    match get_file_label(path, !no_dereference) {
        Ok(Some(l)) if json => {
            let v = serde_json::json!({ "path": path, "context": l });
            writeln!(out, "{v}")?;
        }
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
fn explain_records(
    sfs: &SecurityFs,
    file: Option<&Path>,
    rules: bool,
    policy_sources: &[PathBuf],
    out: &mut impl Write,
) -> Result<()> {
    let sources = Sources::find(policy_sources)?;
    if let Some(src) = &sources {
        // Sources that are not those of the loaded policy may name other
        // neverallows: say so (when the loaded policy can be read).
        if let Ok(Some(loaded)) = sfs.loaded_policy() {
            if loaded.bytes() != src.binary() {
                eprintln!(
                    "carapacectl: warning: {} do not compile to the loaded policy",
                    src.origin
                );
            }
        }
    }
    let conflicts = |g: &explain::Group| -> Vec<Conflict> {
        sources.as_ref().map(|s| s.conflicts(g)).unwrap_or_default()
    };
    let text = read_records(file)?;
    let groups = explain::collect(&text);
    let mut breaking = 0;
    if groups.is_empty() {
        eprintln!("carapacectl: no carapace denials found");
    } else if rules {
        for g in &groups {
            let c = conflicts(g);
            for c in &c {
                writeln!(out, "# breaks neverallow at {c}")?;
            }
            breaking += usize::from(!c.is_empty());
            writeln!(out, "{}", g.allow_rule())?;
        }
    } else {
        let report = explain::report_with_notes(&groups, |g| {
            conflicts(g)
                .iter()
                .map(|c| format!("but it would break the neverallow at {c}"))
                .collect()
        });
        breaking = groups.iter().filter(|g| !conflicts(g).is_empty()).count();
        out.write_all(report.as_bytes())?;
    }
    if breaking > 0 {
        eprintln!(
            "carapacectl: warning: {breaking} suggested rule{} would break a neverallow of {}",
            if breaking == 1 { "" } else { "s" },
            sources.as_ref().map_or("", |s| s.origin.as_str())
        );
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
