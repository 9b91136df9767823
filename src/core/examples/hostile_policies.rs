// SPDX-License-Identifier: GPL-2.0

//! Writes a corpus of malformed binary policies, made from a valid one,
//! for the `stress` VM suite: every file must be refused by the kernel
//! with an errno and a log line, leaving the policy in force.
//!
//!   cargo run -p carapace-core --example hostile_policies -- \
//!       SEED.bin OUT_DIR [MAX_FUZZ FUZZ_CORPUS_DIR...]
//!
//! The corpus: truncations at every section boundary (with the header's
//! length left alone, and with it matching, checksum resealed so the
//! deeper checks run), wrong magic, version, flags and section count,
//! lengths off by one word and misaligned, a bad checksum, type counts and
//! every section's offset and size off by one entry, huge and out of the
//! file, names and ids out of bounds, duplicate and unsorted entries of
//! every sorted table, and up to MAX_FUZZ of the fuzzer's corpus entries
//! (the ones the validator refuses). Each file is checked against the
//! validator here first: only refused inputs are written. The 64 MiB + 1
//! byte file is made in the VM (it would only bloat the VM image).

use std::{env, fs, path::Path, process::ExitCode};

use carapace_core::policy::{format::*, ValidatedPolicy};

fn rd(b: &[u8], off: usize) -> u32 {
    u32::from_le_bytes(b[off..off + 4].try_into().unwrap())
}

fn wr(b: &mut [u8], off: usize, v: u32) {
    b[off..off + 4].copy_from_slice(&v.to_le_bytes());
}

/// Sets the length field to the buffer's length and reseals.
fn fix(mut b: Vec<u8>) -> Vec<u8> {
    if b.len() >= HEADER_SIZE {
        let len = b.len() as u32;
        wr(&mut b, HDR_LENGTH, len);
        seal(&mut b);
    }
    b
}

fn dir(b: &[u8], s: usize) -> (usize, usize) {
    let at = HDR_SECTIONS + 8 * s;
    (rd(b, at) as usize, rd(b, at + 4) as usize)
}

/// The malformed policies made from `seed`, named.
pub fn corpus(seed: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut out: Vec<(String, Vec<u8>)> = Vec::new();
    let mut add = |name: String, b: Vec<u8>| out.push((name.replace(' ', "-"), b));
    let sealed = |f: &dyn Fn(&mut Vec<u8>)| {
        let mut b = seed.to_vec();
        f(&mut b);
        seal(&mut b);
        b
    };

    // Truncations: inside the header, and at every section's start and end.
    let mut cuts = vec![0, 3, 4, 8, 27, HDR_SECTIONS, HEADER_SIZE - 4, HEADER_SIZE];
    for s in 0..NUM_SECTIONS {
        let (off, size) = dir(seed, s);
        cuts.extend([off, off + size, off + size.saturating_sub(4)]);
    }
    cuts.sort_unstable();
    cuts.dedup();
    for cut in cuts.into_iter().filter(|&c| c < seed.len()) {
        add(format!("truncated-{cut}"), seed[..cut].to_vec());
        if cut >= HEADER_SIZE && cut % 4 == 0 {
            add(
                format!("truncated-{cut}-length-fixed"),
                fix(seed[..cut].to_vec()),
            );
        }
    }

    // The header.
    add(
        "bad-magic".into(),
        sealed(&|b| wr(b, HDR_MAGIC, POLICY_MAGIC ^ 1)),
    );
    add(
        "selinux-magic".into(),
        sealed(&|b| wr(b, HDR_MAGIC, 0xf97c_ff8c)),
    );
    add("version-0".into(), sealed(&|b| wr(b, HDR_VERSION, 0)));
    // The previous version, whose checksum is not this one's.
    add(
        "version-previous".into(),
        sealed(&|b| wr(b, HDR_VERSION, POLICY_VERSION - 1)),
    );
    add(
        "version-next".into(),
        sealed(&|b| wr(b, HDR_VERSION, POLICY_VERSION + 1)),
    );
    add(
        "flags-unknown".into(),
        sealed(&|b| wr(b, HDR_FLAGS, 1 << 7)),
    );
    add(
        "flags-handle-unknown-3".into(),
        sealed(&|b| wr(b, HDR_FLAGS, 3)),
    );
    add("nsections-11".into(), sealed(&|b| wr(b, HDR_NSECTIONS, 11)));
    add("nsections-13".into(), sealed(&|b| wr(b, HDR_NSECTIONS, 13)));
    add(
        "nsections-huge".into(),
        sealed(&|b| wr(b, HDR_NSECTIONS, u32::MAX)),
    );
    let len = seed.len() as u32;
    add(
        "length-plus-4".into(),
        sealed(&|b| wr(b, HDR_LENGTH, len + 4)),
    );
    add(
        "length-minus-4".into(),
        sealed(&|b| wr(b, HDR_LENGTH, len - 4)),
    );
    add(
        "length-huge".into(),
        sealed(&|b| wr(b, HDR_LENGTH, u32::MAX)),
    );
    add("length-zero".into(), sealed(&|b| wr(b, HDR_LENGTH, 0)));
    for extra in 1..4 {
        let mut b = seed.to_vec();
        b.extend(std::iter::repeat_n(0, extra));
        add(format!("misaligned-plus-{extra}"), fix(b));
    }
    add("trailing-word".into(), {
        let mut b = seed.to_vec();
        b.extend([0; 4]);
        seal(&mut b);
        b
    });
    add("checksum-low-bit".into(), {
        let mut b = seed.to_vec();
        b[HDR_CHECKSUM] ^= 1;
        b
    });
    add("checksum-high-bit".into(), {
        let mut b = seed.to_vec();
        b[HDR_CHECKSUM + 7] ^= 0x80;
        b
    });
    add("bit-flip-last-word".into(), {
        let mut b = seed.to_vec();
        let at = b.len() - 1;
        b[at] ^= 0x10;
        b
    });
    let ntypes = rd(seed, HDR_NTYPES);
    for (name, v) in [
        ("0", 0),
        ("minus-1", ntypes - 1),
        ("plus-1", ntypes + 1),
        ("huge", u32::MAX),
        ("half", 0x8000_0000),
    ] {
        add(format!("ntypes-{name}"), sealed(&|b| wr(b, HDR_NTYPES, v)));
    }

    // The section directory.
    for s in 0..NUM_SECTIONS {
        let sec = SECTION_NAMES[s];
        let at = HDR_SECTIONS + 8 * s;
        let (off, size) = dir(seed, s);
        let entry = SECTION_ENTRY_SIZE[s].max(4) as u32;
        let (off, size) = (off as u32, size as u32);
        for (name, o) in [
            ("offset-plus-4", off + 4),
            ("offset-minus-4", off.wrapping_sub(4)),
            ("offset-plus-2", off + 2),
            ("offset-zero", 0),
            ("offset-end", len),
            ("offset-huge", u32::MAX - 3),
        ] {
            add(format!("{sec}-{name}"), sealed(&|b| wr(b, at, o)));
        }
        for (name, z) in [
            ("size-plus-entry", size + entry),
            ("size-minus-entry", size.wrapping_sub(entry)),
            ("size-plus-1", size + 1),
            ("size-huge", u32::MAX - 3),
            ("size-to-end-plus-4", len - off + 4),
        ] {
            add(format!("{sec}-{name}"), sealed(&|b| wr(b, at + 4, z)));
        }
    }

    // Entries: names and ids out of bounds, duplicates, unsorted.
    let entry_at = |s: usize, i: usize| dir(seed, s).0 + i * SECTION_ENTRY_SIZE[s];
    let entries = |s: usize| dir(seed, s).1 / SECTION_ENTRY_SIZE[s].max(1);
    let strings = dir(seed, SEC_STRINGS).1 as u32;
    for s in [SEC_CLASSES, SEC_PERMS, SEC_IDS, SEC_FSDEF] {
        if entries(s) == 0 {
            continue;
        }
        let sec = SECTION_NAMES[s];
        let e = entry_at(s, 0);
        add(
            format!("{sec}-name-offset-out"),
            sealed(&|b| wr(b, e, strings)),
        );
        add(
            format!("{sec}-name-offset-huge"),
            sealed(&|b| wr(b, e, u32::MAX)),
        );
        add(format!("{sec}-name-length-0"), sealed(&|b| wr(b, e + 4, 0)));
        add(
            format!("{sec}-name-length-256"),
            sealed(&|b| wr(b, e + 4, 256)),
        );
        add(
            format!("{sec}-name-length-huge"),
            sealed(&|b| wr(b, e + 4, u32::MAX)),
        );
    }
    // Ids: a rule's target, a transition's result, an initial label, a
    // type's attribute list, a class's permissions.
    let nids = (dir(seed, SEC_IDS).1 / ID_SIZE) as u32;
    let id_fields = [
        (SEC_RULES, 0, "rule-target"),
        (SEC_RULES, 4, "rule-class"),
        (SEC_TRANS, 12, "transition-result"),
        (SEC_TRANS, 0, "transition-source"),
        (SEC_INITIAL, 0, "initial-kernel"),
        (SEC_INITIAL, 4, "initial-unlabeled"),
        (SEC_NAMEIDX, 0, "name-index"),
        (SEC_ATTRS, 0, "attribute-list"),
        (SEC_FSDEF, 8, "fs-label-type"),
        (SEC_IDS, 12, "type-attr-start"),
        (SEC_IDS, 16, "type-attr-count"),
        (SEC_IDS, 8, "type-flags"),
        (SEC_CLASSES, 12, "class-perm-count"),
        (SEC_CLASSES, 8, "class-perm-start"),
        (SEC_RULEIDX, 0, "rule-index-first"),
    ];
    for (s, field, name) in id_fields {
        if entries(s) == 0 {
            continue;
        }
        let e = entry_at(s, 0) + field;
        add(format!("{name}-nids"), sealed(&|b| wr(b, e, nids)));
        add(format!("{name}-huge"), sealed(&|b| wr(b, e, u32::MAX)));
        add(
            format!("{name}-plus-1"),
            sealed(&|b| {
                let v = rd(b, e);
                wr(b, e, v.wrapping_add(1))
            }),
        );
    }
    // Allowed masks with a bit past the class's permissions.
    if entries(SEC_RULES) > 0 {
        let e = entry_at(SEC_RULES, 0);
        add(
            "rule-allowed-all-bits".into(),
            sealed(&|b| wr(b, e + 8, u32::MAX)),
        );
        add(
            "rule-dontaudit-all-bits".into(),
            sealed(&|b| wr(b, e + 16, u32::MAX)),
        );
    }
    // Sorted tables: the first two entries swapped, and the first copied
    // over the second.
    for s in [
        SEC_CLASSES,
        SEC_IDS,
        SEC_NAMEIDX,
        SEC_RULES,
        SEC_TRANS,
        SEC_FSDEF,
        SEC_ATTRS,
        SEC_RULEIDX,
    ] {
        if entries(s) < 2 {
            continue;
        }
        let sec = SECTION_NAMES[s];
        let size = SECTION_ENTRY_SIZE[s];
        let (a, b0) = (entry_at(s, 0), entry_at(s, 1));
        add(
            format!("{sec}-duplicate"),
            sealed(&|b| {
                let first = b[a..a + size].to_vec();
                b[b0..b0 + size].copy_from_slice(&first);
            }),
        );
        add(
            format!("{sec}-unsorted"),
            sealed(&|b| {
                let first = b[a..a + size].to_vec();
                let second = b[b0..b0 + size].to_vec();
                b[a..a + size].copy_from_slice(&second);
                b[b0..b0 + size].copy_from_slice(&first);
            }),
        );
    }
    // A later pair too, where the first entries happen to be special.
    for s in [SEC_NAMEIDX, SEC_RULES, SEC_TRANS] {
        let n = entries(s);
        if n < 4 {
            continue;
        }
        let sec = SECTION_NAMES[s];
        let size = SECTION_ENTRY_SIZE[s];
        let (a, b0) = (entry_at(s, n - 2), entry_at(s, n - 1));
        add(
            format!("{sec}-last-swapped"),
            sealed(&|b| {
                let x = b[a..a + size].to_vec();
                let y = b[b0..b0 + size].to_vec();
                b[a..a + size].copy_from_slice(&y);
                b[b0..b0 + size].copy_from_slice(&x);
            }),
        );
    }
    // Bad bytes in the first name.
    add(
        "name-bad-byte".into(),
        sealed(&|b| {
            let (off, _) = dir(b, SEC_STRINGS);
            b[off] = b'/';
        }),
    );
    add(
        "name-nul-byte".into(),
        sealed(&|b| {
            let (off, _) = dir(b, SEC_STRINGS);
            b[off] = 0;
        }),
    );
    out
}

fn main() -> ExitCode {
    let args: Vec<String> = env::args().skip(1).collect();
    if args.len() < 2 {
        eprintln!("usage: hostile_policies SEED.bin OUT_DIR [MAX_FUZZ FUZZ_CORPUS_DIR...]");
        return ExitCode::from(2);
    }
    let seed = fs::read(&args[0]).expect("seed policy");
    if let Err(e) = ValidatedPolicy::new(seed.as_slice()) {
        eprintln!("hostile_policies: the seed is not a valid policy: {e}");
        return ExitCode::FAILURE;
    }
    let out = Path::new(&args[1]);
    let _ = fs::remove_dir_all(out);
    fs::create_dir_all(out).expect("output directory");
    let mut files = corpus(&seed);
    let max_fuzz: usize = args.get(2).map_or(0, |n| n.parse().expect("MAX_FUZZ"));
    let mut fuzz: Vec<_> = args
        .iter()
        .skip(3)
        .filter_map(|d| fs::read_dir(d).ok())
        .flatten()
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .collect();
    fuzz.sort();
    let mut taken = 0;
    for path in fuzz {
        if taken >= max_fuzz {
            break;
        }
        let Ok(data) = fs::read(&path) else { continue };
        if ValidatedPolicy::new(data.as_slice()).is_err() {
            let name = path.file_name().unwrap().to_string_lossy();
            files.push((format!("fuzz-{name}"), data));
            taken += 1;
        }
    }
    let mut written = 0;
    for (name, data) in &files {
        // Some mutations happen to give a valid policy (a shorter last
        // section, say): not hostile.
        if ValidatedPolicy::new(data.as_slice()).is_err() {
            fs::write(out.join(name), data).expect("write");
            written += 1;
        }
    }
    println!(
        "{written} malformed policies in {} ({taken} from the fuzzer)",
        out.display()
    );
    ExitCode::SUCCESS
}
