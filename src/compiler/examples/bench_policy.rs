// SPDX-License-Identifier: GPL-2.0

//! Policy benchmark: generates a large policy (≈100k allow rules over ≈3k
//! types with attributes), then prints compile time, binary size, validate
//! time and `compute_av` latency on hits and misses, and compiles an
//! equivalent SELinux `policy.conf` with `checkpolicy` side by side.
//!
//! `cargo run --release -p carapace-compiler --example bench_policy -- [OPTIONS] [OUTDIR]`
//! (scripts/bench-policy.sh runs it).
//!
//! Then a scaling table: the same policy with 10k, 100k and 1M rules,
//! wall time and peak memory of `carapacec` and `checkpolicy` as
//! processes, and how each grows from one size to the next. Options:
//! `--no-scaling` leaves the table out, `--skip-1m` its 1M row, and
//! `--skip-checkpolicy-1m` only checkpolicy's run in that row.
//! `--neverallow` adds a neverallow rule per 500 allow rules (none of
//! them violated) to the policies.
//!
//! `... --example bench_policy -- --kernel SELINUX_CLASSES OUTDIR` only writes
//! the policies for loading into the kernel (scripts/bench-kernel.sh
//! --load): `bench.cpol` and its binary `bench.bin`, and `bench-policy.conf`
//! with the kernel's classes and initial SIDs from SELINUX_CLASSES
//! (tests/bench/selinux-classes.conf) in place of carapace's, so that the
//! kernel's SELinux knows every class. Both then also let the loading task
//! (`ty0`, the kernel's initial label) load a policy, so that a reload is
//! not denied.

use std::ffi::OsString;
use std::fmt::Write as _;
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use carapace_compiler::compile_str;
use carapace_core::classmap::KernelClass;
use carapace_core::policy::{PolicyDb, TypeId};

const NTYPES: usize = 3000;
const NATTRS: usize = 300;
const ATTRS_PER_TYPE: usize = 4;
const NRULES: usize = 100_000;
const ATTR_RULE_PERCENT: u64 = 10;
const NTRANS: usize = 2000;
/// With `--neverallow`, one neverallow rule per this many allow rules.
/// Not by default: checkpolicy takes about 4 times as long with them
/// (carapacec a tenth longer), which would make the figures incomparable
/// with those before.
const ALLOWS_PER_NEVERALLOW: usize = 500;

/// Whether the policies have neverallow rules (`--neverallow`).
static NEVERALLOW: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Deterministic xorshift generator.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

const CLASSES: [KernelClass; 6] = [
    KernelClass::File,
    KernelClass::Dir,
    KernelClass::Process,
    KernelClass::LnkFile,
    KernelClass::Capability,
    KernelClass::Fd,
];

struct Generated {
    te: String,                    // type enforcement statements common to both languages
    pairs: Vec<(u32, u32, usize)>, // (source type, target type, class idx) of type rules
}

fn generate() -> Generated {
    generate_n(NRULES)
}

/// The benchmark policy with `nrules` allow rules (the same types,
/// attributes and transitions at every size).
fn generate_n(nrules: usize) -> Generated {
    let mut r = Rng(0x9E37_79B9_7F4A_7C15);
    let mut te = String::with_capacity(8 << 20);
    for a in 0..NATTRS {
        writeln!(te, "attribute at{a};").unwrap();
    }
    let mut type_attrs = Vec::with_capacity(NTYPES);
    for t in 0..NTYPES {
        write!(te, "type ty{t}").unwrap();
        let mut attrs: Vec<usize> = (0..ATTRS_PER_TYPE).map(|_| r.below(NATTRS)).collect();
        attrs.sort();
        attrs.dedup();
        type_attrs.push(attrs.clone());
        for a in attrs {
            write!(te, ", at{a}").unwrap();
        }
        writeln!(te, ";").unwrap();
    }
    let mut pairs = Vec::with_capacity(nrules);
    // What the rules grant, by (source, target, class), types and
    // attributes apart: for neverallow rules that hold.
    let mut granted: std::collections::HashMap<(bool, usize, usize, usize), u32> =
        std::collections::HashMap::new();
    for _ in 0..nrules {
        let ci = r.below(CLASSES.len());
        let c = CLASSES[ci];
        let n = c.perm_names().len();
        let mut perms: Vec<&str> = (0..1 + r.below(3))
            .map(|_| c.perm_names()[r.below(n)])
            .collect();
        perms.sort();
        perms.dedup();
        let mask = perms.iter().fold(0u32, |m, p| {
            m | 1 << c.perm_names().iter().position(|x| x == p).unwrap_or(0)
        });
        let (s, t) = if r.next() % 100 < ATTR_RULE_PERCENT {
            let (s, t) = (r.below(NATTRS), r.below(NATTRS));
            *granted.entry((true, s, t, ci)).or_default() |= mask;
            (format!("at{s}"), format!("at{t}"))
        } else {
            let (s, t) = (r.below(NTYPES), r.below(NTYPES));
            pairs.push((s as u32, t as u32, ci));
            *granted.entry((false, s, t, ci)).or_default() |= mask;
            (format!("ty{s}"), format!("ty{t}"))
        };
        writeln!(
            te,
            "allow {s} {t} : {} {{ {} }};",
            c.name(),
            perms.join(" ")
        )
        .unwrap();
    }
    let mut seen = std::collections::HashSet::new();
    for _ in 0..NTRANS {
        let (s, t) = (r.below(NTYPES), r.below(NTYPES));
        if seen.insert((s, t)) {
            writeln!(
                te,
                "type_transition ty{s} ty{t} : process ty{};",
                r.below(NTYPES)
            )
            .unwrap();
        }
    }
    // Neverallow rules, from a generator of their own (the rest of the
    // policy is as without them): a type and the members of an
    // attribute must not be given one permission of a class that no
    // rule gives them.
    let mut r = Rng(0xC2B2_AE3D_27D4_EB4F);
    let mut written = 0;
    let nevers = if NEVERALLOW.load(std::sync::atomic::Ordering::Relaxed) {
        nrules / ALLOWS_PER_NEVERALLOW
    } else {
        0
    };
    while written < nevers {
        let (s, ta, ci) = (r.below(NTYPES), r.below(NATTRS), r.below(CLASSES.len()));
        let c = CLASSES[ci];
        let bit = r.below(c.perm_names().len());
        if s == 0 {
            continue; // the loading task's rules (`--kernel`) name ty0
        }
        let members: Vec<usize> = (0..NTYPES)
            .filter(|&t| type_attrs[t].contains(&ta))
            .collect();
        let grants = |t: usize| {
            let mut m = granted.get(&(false, s, t, ci)).copied().unwrap_or(0);
            for &a in &type_attrs[s] {
                for &b in &type_attrs[t] {
                    m |= granted.get(&(true, a, b, ci)).copied().unwrap_or(0);
                }
            }
            m
        };
        if members.iter().any(|&t| grants(t) & (1 << bit) != 0) {
            continue;
        }
        writeln!(
            te,
            "neverallow ty{s} at{ta} : {} {};",
            c.name(),
            c.perm_names()[bit]
        )
        .unwrap();
        written += 1;
    }
    Generated { te, pairs }
}

/// What the task that loads the policy in the kernel needs (`--kernel`),
/// in both languages, so that no denial is logged during a reload: open
/// and write the file the policy is written to (labelled `ty0`, the
/// `file` and `unlabeled` initial label), `load_policy`, and
/// `CAP_MAC_ADMIN` (carapace checks it, SELinux does not).
const LOADER_RULES: &str = "allow ty0 ty0 : file { open write };\n\
                            allow ty0 ty0 : security load_policy;\n\
                            allow ty0 self : capability2 mac_admin;\n";

fn carapace_source(g: &Generated) -> String {
    let mut s = String::from("handle_unknown deny;\n");
    for w in ["kernel", "unlabeled", "file", "security"] {
        writeln!(s, "initial {w} ty0;").unwrap();
    }
    s.push_str("fs_use_xattr ext4 ty1;\nfs_default proc ty2;\n");
    s.push_str(&g.te);
    s
}

/// The SELinux `policy.conf`: carapace's classes and initial SIDs, or
/// (`classes`) the kernel's, declared in that text.
fn selinux_source(g: &Generated, classes: Option<&str>) -> String {
    let mut s = String::new();
    let mut sids = vec!["kernel", "security", "unlabeled", "file"];
    match classes {
        None => {
            for c in KernelClass::ALL {
                writeln!(s, "class {}", c.name()).unwrap();
            }
            for sid in &sids {
                writeln!(s, "sid {sid}").unwrap();
            }
            for c in KernelClass::ALL {
                writeln!(s, "class {} {{ {} }}", c.name(), c.perm_names().join(" ")).unwrap();
            }
        }
        Some(classes) => {
            s.push_str(classes);
            sids = classes
                .lines()
                .filter_map(|l| match l.split_whitespace().collect::<Vec<_>>()[..] {
                    ["sid", name] => Some(name),
                    _ => None,
                })
                .collect();
        }
    }
    s.push_str(&g.te);
    s.push_str("role system_r;\n");
    for t in 0..NTYPES {
        writeln!(s, "role system_r types ty{t};").unwrap();
    }
    s.push_str("user system_u roles { system_r };\n");
    for sid in sids {
        writeln!(s, "sid {sid} system_u:system_r:ty0").unwrap();
    }
    s.push_str("fs_use_xattr ext4 system_u:object_r:ty1;\n");
    s.push_str("genfscon proc / system_u:object_r:ty2\n");
    s
}

fn per_op(d: Duration, n: usize) -> f64 {
    d.as_nanos() as f64 / n as f64
}

/// `--kernel SELINUX_CLASSES OUTDIR`: the two policies for the kernel.
fn write_kernel_policies(classes: &Path, outdir: &Path) {
    let classes =
        std::fs::read_to_string(classes).unwrap_or_else(|e| panic!("{}: {e}", classes.display()));
    let mut g = generate();
    g.te.push_str(LOADER_RULES);
    let src = carapace_source(&g);
    std::fs::write(outdir.join("bench.cpol"), &src).unwrap();
    std::fs::write(
        outdir.join("bench-policy.conf"),
        selinux_source(&g, Some(&classes)),
    )
    .unwrap();
    let bin = compile_str("bench.cpol", &src).unwrap().binary;
    std::fs::write(outdir.join("bench.bin"), &bin).unwrap();
    println!(
        "{}: bench.cpol, bench.bin ({} bytes), bench-policy.conf",
        outdir.display(),
        bin.len()
    );
}

/// What the scaling table runs.
struct Scaling {
    enabled: bool,
    skip_1m: bool,
    skip_checkpolicy_1m: bool,
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().is_some_and(|a| a == "--measure") {
        measure(&args[1..]);
    }
    if let [flag, classes, outdir] = &args[..] {
        if flag == "--kernel" {
            std::fs::create_dir_all(outdir).unwrap();
            write_kernel_policies(Path::new(classes), Path::new(outdir));
            return;
        }
    }
    let flag = |f: &str| args.iter().any(|a| a == f);
    NEVERALLOW.store(flag("--neverallow"), std::sync::atomic::Ordering::Relaxed);
    let scaling = Scaling {
        enabled: !flag("--no-scaling"),
        skip_1m: flag("--skip-1m"),
        skip_checkpolicy_1m: flag("--skip-checkpolicy-1m"),
    };
    if let Some(bad) = args.iter().find(|a| {
        a.starts_with("--")
            && ![
                "--no-scaling",
                "--skip-1m",
                "--skip-checkpolicy-1m",
                "--neverallow",
            ]
            .contains(&a.as_str())
    }) {
        eprintln!("bench_policy: unknown option {bad}");
        std::process::exit(2);
    }
    let outdir = args
        .iter()
        .find(|a| !a.starts_with("--"))
        .map(PathBuf::from)
        .unwrap_or_else(std::env::temp_dir);
    std::fs::create_dir_all(&outdir).unwrap();
    let g = generate();
    let src = carapace_source(&g);
    let conf = selinux_source(&g, None);
    let cpol = outdir.join("bench.cpol");
    let pconf = outdir.join("bench-policy.conf");
    std::fs::write(&cpol, &src).unwrap();
    std::fs::write(&pconf, &conf).unwrap();
    println!(
        "generated: {NTYPES} types, {NATTRS} attributes ({ATTRS_PER_TYPE} per type), \
         {NRULES} allow rules ({ATTR_RULE_PERCENT}% on attributes), {} type_transitions, \
         {} neverallow rules",
        src.matches("type_transition").count(),
        src.matches("neverallow").count()
    );

    // Compile (in process, best of 3).
    let mut best = Duration::MAX;
    let mut out = None;
    for _ in 0..3 {
        let t = Instant::now();
        let o = compile_str("bench.cpol", &src).unwrap();
        best = best.min(t.elapsed());
        out = Some(o);
    }
    let out = out.unwrap();
    let bin = out.binary;
    let nrules_bin = bin.len(); // printed below with the db
    println!(
        "carapace compile (in process, best of 3): {:.1} ms",
        best.as_secs_f64() * 1e3
    );
    std::fs::write(outdir.join("bench.bin"), &bin).unwrap();

    let cli = bench_cli(&outdir, &cpol);

    // Validate.
    let n = 50;
    let t = Instant::now();
    for _ in 0..n {
        black_box(PolicyDb::parse(black_box(&bin)).unwrap());
    }
    let validate = t.elapsed() / n;
    let db = PolicyDb::parse(&bin).unwrap();
    println!(
        "binary size: {} bytes ({:.2} MiB)",
        nrules_bin,
        bin.len() as f64 / (1 << 20) as f64
    );
    println!(
        "validate (PolicyDb::parse, mean of {n}): {:.3} ms",
        validate.as_secs_f64() * 1e3
    );

    bench_compute_av(&g, &db);
    bench_checkpolicy(&outdir, &pconf, cli.unwrap_or(best), bin.len());
    if scaling.enabled {
        scaling_table(&outdir, &scaling);
    }
}

/// The `carapacec` binary next to this one, if it is there.
fn carapacec() -> Option<PathBuf> {
    let exe = std::env::current_exe().unwrap();
    exe.parent()
        .and_then(|p| p.parent())
        .map(|p| p.join("carapacec"))
        .filter(|p| p.exists())
}

/// What [`run`] runs for `carapacec` compiling `cpol` into OUTDIR, its
/// warnings (every one there is) written to a file there.
fn carapacec_cmd(carapacec: &Path, outdir: &Path, cpol: &Path) -> Vec<OsString> {
    vec![
        "--stderr".into(),
        outdir.join("bench-cli.warnings").into(),
        carapacec.into(),
        "-o".into(),
        outdir.join("bench-cli.bin").into(),
        cpol.into(),
    ]
}

/// The compile through the CLI, as a process, like checkpolicy (best of 3),
/// if the `carapacec` binary is next to this one.
fn bench_cli(outdir: &Path, cpol: &Path) -> Option<Duration> {
    let carapacec = carapacec()?;
    let mut b = Duration::MAX;
    for _ in 0..3 {
        let run = run(&carapacec_cmd(&carapacec, outdir, cpol));
        assert!(run.ok, "carapacec failed");
        b = b.min(run.wall);
    }
    let warnings = std::fs::read_to_string(outdir.join("bench-cli.warnings")).unwrap_or_default();
    println!(
        "carapacec (process, file to file, best of 3): {:.1} ms, with {} warnings ({} bytes) written to {}",
        b.as_secs_f64() * 1e3,
        warnings.lines().filter(|l| l.starts_with("warning")).count(),
        warnings.len(),
        outdir.join("bench-cli.warnings").display()
    );
    Some(b)
}

/// One process run: wall time, peak resident memory, success.
struct Run {
    wall: Duration,
    maxrss_kib: u64,
    ok: bool,
}

/// Runs `c` and waits for it, for its wall time and peak resident
/// memory. The measuring is done by a fresh copy of this program
/// (`--measure`): a child of this large process would have this
/// process's peak counted as its own (the memory it shares until its
/// `exec`).
fn run(argv: &[OsString]) -> Run {
    let exe = std::env::current_exe().unwrap();
    let out = Command::new(exe).arg("--measure").args(argv).output();
    let parsed = out.ok().and_then(|o| {
        let text = String::from_utf8_lossy(&o.stdout).into_owned();
        let mut f = text.split_whitespace().map(|w| w.parse::<u64>().ok());
        Some((f.next()??, f.next()??, f.next()??))
    });
    match parsed {
        Some((ns, kib, ok)) => Run {
            wall: Duration::from_nanos(ns),
            maxrss_kib: kib,
            ok: ok == 1,
        },
        None => Run {
            wall: Duration::ZERO,
            maxrss_kib: 0,
            ok: false,
        },
    }
}

/// `--measure [--stderr FILE] PROGRAM ARGS...`: runs the program (its
/// standard error to FILE), waits for it with `wait4` and prints its wall
/// time in ns, its peak RSS in KiB and 1 if it succeeded, else 0.
fn measure(args: &[String]) -> ! {
    let (stderr, args) = match args {
        [flag, file, rest @ ..] if flag == "--stderr" => (Some(file), rest),
        _ => (None, args),
    };
    let Some((prog, rest)) = args.split_first() else {
        std::process::exit(2);
    };
    let mut c = Command::new(prog);
    c.args(rest).stdout(std::process::Stdio::null());
    if let Some(f) = stderr {
        c.stderr(std::fs::File::create(f).unwrap());
    }
    let t = Instant::now();
    let Ok(child) = c.spawn() else {
        println!("0 0 0");
        std::process::exit(0);
    };
    let mut status = 0;
    // SAFETY: an all-zero rusage is valid; wait4 writes it.
    let mut ru: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: the pid is our child's, not yet waited for; the pointers
    // are to live locals.
    let r = unsafe { libc::wait4(child.id() as libc::pid_t, &mut status, 0, &mut ru) };
    let wall = t.elapsed();
    let ok = r > 0 && libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0;
    println!("{} {} {}", wall.as_nanos(), ru.ru_maxrss, u8::from(ok));
    std::process::exit(0);
}

/// compute_av on hits and misses.
fn bench_compute_av(g: &Generated, db: &PolicyDb<'_>) {
    // compute_av: hits are (s, t, class) of type rules; misses use a
    // class no rule mentions for the pair... picked as random pairs that
    // no type rule names (attribute rules may still match: that is the
    // realistic miss: full expansion, nothing found at type level).
    let mut r = Rng(42);
    let hits: Vec<(TypeId, TypeId, KernelClass)> = (0..4096)
        .map(|_| {
            let (s, t, c) = g.pairs[r.below(g.pairs.len())];
            (TypeId(s), TypeId(t), CLASSES[c])
        })
        .collect();
    let type_rule: std::collections::HashSet<(u32, u32, usize)> = g.pairs.iter().copied().collect();
    let mut misses = Vec::new();
    while misses.len() < 4096 {
        let (s, t, c) = (
            r.below(NTYPES) as u32,
            r.below(NTYPES) as u32,
            r.below(CLASSES.len()),
        );
        if !type_rule.contains(&(s, t, c)) {
            misses.push((TypeId(s), TypeId(t), CLASSES[c]));
        }
    }
    let mut empty = 0;
    for q in &misses {
        if db.compute_av(q.0, q.1, q.2).allowed == 0 {
            empty += 1;
        }
    }
    let iters = 500_000;
    let bench = |qs: &[(TypeId, TypeId, KernelClass)]| {
        let t = Instant::now();
        let mut acc = 0u32;
        for i in 0..iters {
            let q = qs[i & 4095];
            acc ^= db.compute_av(q.0, q.1, q.2).allowed;
        }
        black_box(acc);
        per_op(t.elapsed(), iters)
    };
    println!(
        "compute_av hit  (type rule exists; 4096 random queries, cache-cold): {:.0} ns/op",
        bench(&hits)
    );
    let hot: Vec<_> = (0..4096).map(|i| hits[i % 16]).collect();
    println!(
        "compute_av hit  (16 queries repeated, cache-hot): {:.0} ns/op",
        bench(&hot)
    );
    println!(
        "compute_av miss (no type rule; {}% get nothing from attributes either): {:.0} ns/op",
        empty * 100 / misses.len(),
        bench(&misses)
    );
}

/// checkpolicy on the same policy, compared with `mine` (the compile time)
/// and `bin_len` (the binary size).
fn bench_checkpolicy(outdir: &Path, pconf: &Path, mine: Duration, bin_len: usize) {
    let selinux_out = outdir.join("bench-policy.selinux");
    let mut best_cp = Duration::MAX;
    let mut ok = false;
    for _ in 0..3 {
        let t = Instant::now();
        match Command::new("checkpolicy")
            .arg("-o")
            .arg(&selinux_out)
            .arg(pconf)
            .stdout(std::process::Stdio::null())
            .output()
        {
            Ok(o) if o.status.success() => {
                ok = true;
                best_cp = best_cp.min(t.elapsed());
            }
            Ok(o) => {
                println!("checkpolicy failed: {}", String::from_utf8_lossy(&o.stderr));
                break;
            }
            Err(e) => {
                println!("checkpolicy not available: {e}");
                break;
            }
        }
    }
    if ok {
        let size = std::fs::metadata(&selinux_out)
            .map(|m| m.len())
            .unwrap_or(0);
        println!(
            "checkpolicy (process, file to file, best of 3): {:.1} ms, binary {} bytes",
            best_cp.as_secs_f64() * 1e3,
            size
        );
        println!(
            "ratio carapacec / checkpolicy compile time: {:.2} (goal: at most 0.20; checkpolicy is {:.1}x slower); \
             binary size ratio carapace / selinux: {:.2}",
            mine.as_secs_f64() / best_cp.as_secs_f64(),
            best_cp.as_secs_f64() / mine.as_secs_f64(),
            bin_len as f64 / size as f64
        );
    }
}

/// Beyond this, checkpolicy's 1M run is said to be long (it still runs
/// unless `--skip-checkpolicy-1m`).
const LONG: Duration = Duration::from_secs(120);

/// The scaling table: 10k, 100k and 1M rules; wall time and peak memory
/// of carapacec and checkpolicy, each run once as a process (best of 3
/// below 1M), and the growth factor from the row before.
fn scaling_table(outdir: &Path, opts: &Scaling) {
    let Some(carapacec) = carapacec() else {
        println!("scaling: carapacec not built next to this example; no table");
        return;
    };
    println!();
    println!(
        "scaling ({NTYPES} types, {NATTRS} attributes, {ATTR_RULE_PERCENT}% attribute rules at every size; \
         wall time best of 3 (1 at 1M), peak RSS from wait4; growth = this row / the row before)"
    );
    println!(
        "{:>9} | {:>10} {:>9} {:>7} {:>7} | {:>10} {:>9} {:>7} {:>7} | {:>6}",
        "rules",
        "carapacec",
        "peak MiB",
        "t grow",
        "m grow",
        "checkpol.",
        "peak MiB",
        "t grow",
        "m grow",
        "ratio"
    );
    let mut prev: Option<(Run, Option<Run>)> = None;
    for n in [10_000usize, 100_000, 1_000_000] {
        if n == 1_000_000 && opts.skip_1m {
            println!("{n:>9} | skipped (--skip-1m)");
            break;
        }
        let g = generate_n(n);
        let cpol = outdir.join(format!("scale-{n}.cpol"));
        let pconf = outdir.join(format!("scale-{n}-policy.conf"));
        std::fs::write(&cpol, carapace_source(&g)).unwrap();
        std::fs::write(&pconf, selinux_source(&g, None)).unwrap();
        drop(g);
        let tries = if n >= 1_000_000 { 1 } else { 3 };
        let best = |argv: &[OsString]| -> Run {
            let mut b: Option<Run> = None;
            for _ in 0..tries {
                let r = run(argv);
                if b.as_ref().is_none_or(|b| r.wall < b.wall) {
                    b = Some(r);
                }
            }
            b.unwrap()
        };
        let mine = best(&carapacec_cmd(&carapacec, outdir, &cpol));
        let cp = if n == 1_000_000 && opts.skip_checkpolicy_1m {
            None
        } else {
            let out = outdir.join("scale.selinux");
            Some(best(&[
                "checkpolicy".into(),
                "-o".into(),
                out.into(),
                pconf.clone().into(),
            ]))
        };
        let ms = |r: &Run| format!("{:.0} ms", r.wall.as_secs_f64() * 1e3);
        let mib = |r: &Run| format!("{:.1}", r.maxrss_kib as f64 / 1024.0);
        let grow = |a: Option<&Run>, b: &Run, time: bool| match a {
            Some(a) if time => format!("{:.1}x", b.wall.as_secs_f64() / a.wall.as_secs_f64()),
            Some(a) => format!("{:.1}x", b.maxrss_kib as f64 / a.maxrss_kib as f64),
            None => "-".to_string(),
        };
        let (pm, pc) = match &prev {
            Some((m, c)) => (Some(m), c.as_ref()),
            None => (None, None),
        };
        let failed = |r: &Run| if r.ok { "" } else { " (failed)" };
        let cp_cols = match &cp {
            Some(c) => format!(
                "{:>10} {:>9} {:>7} {:>7}",
                ms(c) + failed(c),
                mib(c),
                grow(pc, c, true),
                grow(pc, c, false)
            ),
            None => format!("{:>36}", "skipped (--skip-checkpolicy-1m)"),
        };
        let ratio = cp.as_ref().map_or("-".to_string(), |c| {
            format!("{:.2}", mine.wall.as_secs_f64() / c.wall.as_secs_f64())
        });
        println!(
            "{n:>9} | {:>10} {:>9} {:>7} {:>7} | {cp_cols} | {ratio:>6}",
            ms(&mine) + failed(&mine),
            mib(&mine),
            grow(pm, &mine, true),
            grow(pm, &mine, false),
        );
        if let Some(c) = cp.as_ref().filter(|c| c.wall > LONG) {
            println!(
                "          checkpolicy took {:.0} s at {n} rules (over {} s): \
                 --skip-checkpolicy-1m leaves it out",
                c.wall.as_secs_f64(),
                LONG.as_secs()
            );
        }
        let _ = std::fs::remove_file(&cpol);
        let _ = std::fs::remove_file(&pconf);
        prev = Some((mine, cp));
    }
    println!("ratio = carapacec time / checkpolicy time; rules grow 10x from row to row");
}
