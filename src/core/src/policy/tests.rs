// SPDX-License-Identifier: GPL-2.0

//! Unit tests of the validator and lookups on hand-built policies. The
//! compiler crate's tests cover round trips, property tests, truncations
//! and bit flips on compiled policies.

extern crate std;
use std::vec::Vec;

use super::*;
use crate::classmap::{perm, KernelClass};

/// Builds a policy with one class `file { read write }` (plus `process {
/// transition }`), types t0 t1, attribute a (on t1), rules and a
/// transition.
fn build(mutate: impl FnOnce(&mut [Vec<u8>; NUM_SECTIONS], &mut [u32; 8])) -> Vec<u8> {
    let mut strings: Vec<u8> = Vec::new();
    let mut s = |x: &str| {
        let o = strings.len() as u32;
        strings.extend_from_slice(x.as_bytes());
        [o, x.len() as u32]
    };
    let w = |v: &[u32]| v.iter().flat_map(|x| x.to_le_bytes()).collect::<Vec<u8>>();
    let (file, read, write, process, transition) = (
        s("file"),
        s("read"),
        s("write"),
        s("process"),
        s("transition"),
    );
    let (t0, t1, a, ext4) = (s("t0"), s("t1"), s("a"), s("ext4"));
    let pat = s("/x");
    let mut secs: [Vec<u8>; NUM_SECTIONS] = Default::default();
    secs[SEC_CLASSES] = w(&[file[0], file[1], 0, 2, process[0], process[1], 2, 1]);
    secs[SEC_PERMS] = w(&[
        read[0],
        read[1],
        write[0],
        write[1],
        transition[0],
        transition[1],
    ]);
    secs[SEC_IDS] = w(&[
        t0[0],
        t0[1],
        0,
        0,
        0, //
        t1[0],
        t1[1],
        ID_PERMISSIVE,
        0,
        1, //
        a[0],
        a[1],
        ID_ATTRIBUTE,
        0,
        0,
    ]);
    secs[SEC_ATTRS] = w(&[2]);
    secs[SEC_NAMEIDX] = w(&[0, 1]);
    // t0 -> a : file read (allowed), t0 -> t1 : file write (dontaudit)
    secs[SEC_RULEIDX] = w(&[0, 2, 2, 2]);
    secs[SEC_RULES] = w(&[1, 0, 0, 0, 2, 2, 0, 1, 1, 0]);
    secs[SEC_TRANS] = w(&[0, 1, 1, 1]);
    secs[SEC_INITIAL] = w(&[0, 1, 0, 0]);
    secs[SEC_FSDEF] = w(&[ext4[0], ext4[1], 1, FS_USE_XATTR]);
    secs[SEC_FCON] = w(&[pat[0], pat[1], 1, 1]);
    while strings.len() % 4 != 0 {
        strings.push(0);
    }
    secs[SEC_STRINGS] = strings;
    let mut hdr = [
        POLICY_MAGIC,
        POLICY_VERSION,
        0,
        0,
        0,
        0,
        2,
        NUM_SECTIONS as u32,
    ];
    mutate(&mut secs, &mut hdr);
    let total = HEADER_SIZE + secs.iter().map(|s| s.len()).sum::<usize>();
    if hdr[2] == 0 {
        hdr[2] = total as u32;
    }
    let mut out = w(&hdr);
    let mut off = HEADER_SIZE as u32;
    for s in &secs {
        out.extend(w(&[off, s.len() as u32]));
        off += s.len() as u32;
    }
    for s in &secs {
        out.extend_from_slice(s);
    }
    seal(&mut out);
    out
}

#[test]
fn valid_policy_answers() {
    let bin = build(|_, _| {});
    let db = PolicyDb::parse(&bin).unwrap();
    assert_eq!(db.type_count(), 2);
    assert_eq!(db.type_by_name(b"t1"), Some(TypeId(1)));
    assert_eq!(db.type_by_name(b"a"), None);
    assert_eq!(db.type_name(TypeId(0)), b"t0");
    let d = db.compute_av(TypeId(0), TypeId(1), KernelClass::File);
    assert_eq!(d.allowed, perm::FILE_READ);
    assert_eq!(d.auditdeny, !perm::FILE_WRITE);
    assert_eq!(
        db.compute_av(TypeId(1), TypeId(1), KernelClass::File),
        AccessDecision {
            allowed: 0,
            auditallow: 0,
            auditdeny: u32::MAX
        }
    );
    // Unknown class (handle_unknown deny): nothing allowed.
    assert_eq!(
        db.compute_av(TypeId(0), TypeId(1), KernelClass::Fd).allowed,
        0
    );
    assert!(!db.class_defined(KernelClass::Fd));
    assert_eq!(db.transition(TypeId(0), TypeId(1)), Some(TypeId(1)));
    assert_eq!(db.transition(TypeId(1), TypeId(1)), None);
    assert!(db.is_permissive(TypeId(1)));
    assert!(!db.is_permissive(TypeId(0)));
    assert!(
        db.is_permissive(TypeId(77)),
        "out of range = unlabeled = t1"
    );
    assert_eq!(db.initial_sid(InitialSid::Unlabeled), TypeId(1));
    assert_eq!(
        db.fs_label(b"ext4"),
        Some(FsLabel {
            ty: TypeId(1),
            use_xattr: true
        })
    );
    assert_eq!(db.fs_default(b"ext3"), None);
    assert!(db.fs_uses_xattr(b"ext4") && !db.fs_uses_xattr(b"ext3"));
    let fc: Vec<_> = db.file_contexts().collect();
    assert_eq!(fc.len(), 1);
    assert_eq!(fc[0].kind, FileContextKind::Prefix);
    assert_eq!(db.as_bytes(), &bin[..]);
}

#[test]
fn file_labels() {
    let bin = build(|_, _| {});
    let db = PolicyDb::parse(&bin).unwrap();
    let (t0, t1) = (TypeId(0), TypeId(1));
    let unlabeled = db.initial_sid(InitialSid::Unlabeled);
    for (attr, label) in [
        (LabelAttr::Value(b"t0"), FileLabel::Final(t0)),
        (LabelAttr::Value(b"t0\0"), FileLabel::Final(t0)),
        (LabelAttr::Value(b"t0\0\0"), FileLabel::Unmapped(unlabeled)),
        (LabelAttr::Value(b""), FileLabel::Unmapped(unlabeled)),
        (LabelAttr::Value(b"no_such"), FileLabel::Unmapped(unlabeled)),
        (LabelAttr::Unreadable, FileLabel::Unmapped(unlabeled)),
        (LabelAttr::Absent, FileLabel::Final(t1)),
        (LabelAttr::NotRead, FileLabel::Final(t1)),
    ] {
        assert_eq!(db.file_label(b"ext4", attr), label, "{attr:?}");
    }
    // A filesystem the policy does not name: the `file` initial label,
    // whatever the attribute says.
    let file = FileLabel::Final(db.initial_sid(InitialSid::File));
    assert_eq!(db.file_label(b"ext3", LabelAttr::Value(b"t0")), file);
    assert_eq!(db.file_label(b"ext3", LabelAttr::Unreadable), file);
}

#[test]
fn handle_unknown_allow_and_reject() {
    let bin = build(|_, h| h[3] = 1);
    let db = PolicyDb::parse(&bin).unwrap();
    assert_eq!(
        db.compute_av(TypeId(0), TypeId(0), KernelClass::Fd).allowed,
        perm::FD_USE
    );
    // file has only read/write in this policy: the rest is allowed.
    let d = db.compute_av(TypeId(1), TypeId(1), KernelClass::File);
    assert_eq!(
        d.allowed,
        KernelClass::File.all_perms() & !(perm::FILE_READ | perm::FILE_WRITE)
    );
    let bin = build(|_, h| h[3] = 2);
    assert_eq!(
        PolicyDb::parse(&bin).unwrap_err(),
        PolicyError::MissingClass { class: "security" }
    );
    let bin = build(|_, h| h[3] = 3);
    assert_eq!(PolicyDb::parse(&bin).unwrap_err(), PolicyError::BadFlags(3));
}

#[test]
fn header_errors() {
    let good = build(|_, _| {});
    assert!(matches!(
        PolicyDb::parse(&good[..10]),
        Err(PolicyError::Truncated {
            need: HEADER_SIZE,
            have: 10
        })
    ));
    let mut b = good.clone();
    b[0] ^= 1;
    assert!(matches!(PolicyDb::parse(&b), Err(PolicyError::BadMagic(_))));
    for version in [POLICY_VERSION - 1, POLICY_VERSION + 1] {
        let bin = build(|_, h| h[1] = version);
        assert_eq!(
            PolicyDb::parse(&bin).unwrap_err(),
            PolicyError::UnsupportedVersion(version)
        );
    }
    let n = good.len();
    assert_eq!(
        PolicyDb::parse(&good[..n - 4]).unwrap_err(),
        PolicyError::Truncated {
            need: n,
            have: n - 4
        }
    );
    let mut b = good.clone();
    b.extend_from_slice(&[0; 4]);
    assert_eq!(
        PolicyDb::parse(&b).unwrap_err(),
        PolicyError::LengthMismatch {
            header: n,
            actual: n + 4
        }
    );
    let mut b = good.clone();
    let last = b.len() - 1;
    b[last] ^= 0x80;
    assert!(matches!(
        PolicyDb::parse(&b),
        Err(PolicyError::ChecksumMismatch { .. })
    ));
    let big = std::vec![0u8; POLICY_MAX_SIZE + 1];
    assert!(matches!(
        PolicyDb::parse(&big),
        Err(PolicyError::TooLarge { .. })
    ));
    let bin = build(|_, h| h[7] = 11);
    assert_eq!(
        PolicyDb::parse(&bin).unwrap_err(),
        PolicyError::BadSectionCount(11)
    );
}

#[test]
fn table_errors() {
    fn w(v: &[u32]) -> Vec<u8> {
        v.iter().flat_map(|x| x.to_le_bytes()).collect()
    }
    type Mutate = std::boxed::Box<dyn Fn(&mut [Vec<u8>; NUM_SECTIONS], &mut [u32; 8])>;
    let cases: [(&str, Mutate, PolicyError); 9] = [
        (
            "rule target",
            std::boxed::Box::new(|s, _| s[SEC_RULES][0] = 9),
            PolicyError::IndexOutOfRange {
                section: "rules",
                index: 0,
            },
        ),
        (
            "rule order",
            std::boxed::Box::new(|s, _| s[SEC_RULES][20] = 0),
            PolicyError::Unsorted {
                section: "rules",
                index: 1,
            },
        ),
        (
            "rule perm bit",
            std::boxed::Box::new(|s, _| s[SEC_RULES][8] = 4),
            PolicyError::BadField {
                section: "rules",
                index: 0,
            },
        ),
        (
            "duplicate permission",
            std::boxed::Box::new(|s, _| {
                let read = s[SEC_PERMS][..8].to_vec();
                s[SEC_PERMS][8..16].copy_from_slice(&read);
            }),
            PolicyError::Unsorted {
                section: "permissions",
                index: 1,
            },
        ),
        (
            "name index",
            std::boxed::Box::new(|s, _| s[SEC_NAMEIDX] = w(&[1, 0])),
            PolicyError::Unsorted {
                section: "type name index",
                index: 1,
            },
        ),
        (
            "attr not attr",
            std::boxed::Box::new(|s, _| s[SEC_ATTRS] = w(&[1])),
            PolicyError::IndexOutOfRange {
                section: "attribute lists",
                index: 0,
            },
        ),
        (
            "initial",
            std::boxed::Box::new(|s, _| s[SEC_INITIAL] = w(&[0, 5, 0, 0])),
            PolicyError::IndexOutOfRange {
                section: "initial labels",
                index: 1,
            },
        ),
        (
            "ntypes",
            std::boxed::Box::new(|_, h| h[6] = 4),
            PolicyError::SectionSize { section: "types" },
        ),
        (
            "fcon kind",
            std::boxed::Box::new(|s, _| s[SEC_FCON][12] = 3),
            PolicyError::BadField {
                section: "file contexts",
                index: 0,
            },
        ),
    ];
    for (what, m, want) in cases {
        let bin = build(m);
        assert_eq!(PolicyDb::parse(&bin).unwrap_err(), want, "{what}");
        assert!(!std::format!("{want}").is_empty());
    }
}

#[test]
fn index_rebinds_in_place() {
    let bin = build(|_, _| {});
    let index = PolicyDb::parse(&bin).unwrap().index();
    let db = index.bind(&bin).unwrap();
    assert_eq!(db.type_by_name(b"t1"), Some(TypeId(1)));
    assert_eq!(
        db.compute_av(TypeId(0), TypeId(1), KernelClass::File)
            .allowed,
        perm::FILE_READ
    );
    assert!(index.bind(&bin[..bin.len() - 4]).is_none());
    let other = build(|_, h| h[3] = 1);
    assert!(index.bind(&other).is_none());
}

#[test]
fn validated_policy_owns_its_buffer() {
    let bin = build(|_, _| {});
    let policy = ValidatedPolicy::new(bin.clone()).unwrap();
    assert_eq!(policy.bytes(), &bin[..]);
    let db = policy.db();
    assert_eq!(db.type_by_name(b"t1"), Some(TypeId(1)));
    assert_eq!(
        db.compute_av(TypeId(0), TypeId(1), KernelClass::File)
            .allowed,
        perm::FILE_READ
    );
    let truncated = bin[..bin.len() - 4].to_vec();
    assert!(ValidatedPolicy::new(truncated).is_err());
}

#[test]
fn classes_without_transitions_are_known() {
    let bin = build(|_, _| {});
    let policy = ValidatedPolicy::new(bin).unwrap();
    // The one transition is for process; file is defined but has none,
    // fd is not defined at all.
    assert!(policy.class_has_transitions(KernelClass::Process));
    assert!(!policy.class_has_transitions(KernelClass::File));
    assert!(!policy.class_has_transitions(KernelClass::Fd));
    let db = policy.db();
    for (s, t) in [(0, 0), (0, 1), (1, 0), (1, 1)] {
        assert_eq!(
            db.type_transition(TypeId(s), TypeId(t), KernelClass::File),
            None
        );
    }
}

/// The checksum as the format defines it: a polynomial hash over the
/// little-endian `u64` words in four lanes, word 2 counting as zero.
fn checksum_reference(buf: &[u8]) -> u64 {
    let k = CHECKSUM_MULTIPLIER;
    let mut lanes = [1u64, 2, 3, 4];
    for (i, w) in buf.chunks(8).enumerate() {
        let v = match w.len() {
            _ if i == 2 => 0,
            8 => u64::from_le_bytes(w.try_into().unwrap()),
            4..=7 => u64::from(u32::from_le_bytes(w[..4].try_into().unwrap())),
            _ => continue,
        };
        lanes[i % 4] = lanes[i % 4].wrapping_add(v).wrapping_mul(k);
    }
    lanes
        .iter()
        .fold(0u64, |c, &h| c.wrapping_add(h).wrapping_mul(k))
}

proptest::proptest! {
    /// The blocked checksum the loader computes is the format's.
    #[test]
    fn checksum_matches_its_definition(words in proptest::collection::vec(proptest::prelude::any::<u32>(), 0..200)) {
        let buf: Vec<u8> = words.iter().flat_map(|w| w.to_le_bytes()).collect();
        proptest::prop_assert_eq!(checksum(&buf), checksum_reference(&buf));
    }
}

/// Rule sections for [`fast_rule_check_matches_reference`]: three runs
/// (the sources t0, t1, a) of rules whose fields are mostly in range
/// for the test policy (3 ids, classes file and process), each run
/// sorted or not, and perhaps a damaged rule index entry.
fn rule_sections() -> impl proptest::strategy::Strategy<Value = (Vec<u32>, Vec<u32>)> {
    use proptest::prelude::*;
    let target = prop_oneof![60 => 0u32..3, 1 => 3u32..5, 1 => Just(u32::MAX)];
    let class = prop_oneof![60 => 0u32..2, 1 => Just(2u32), 1 => 256u32..258, 1 => Just(u32::MAX)];
    let perms = prop_oneof![60 => 0u32..2, 1 => 0u32..8, 1 => any::<u32>()];
    let row = (target, class, perms.clone(), perms.clone(), perms);
    let run = (
        proptest::collection::vec(row, 0..6),
        proptest::bool::weighted(0.9),
    );
    (
        proptest::collection::vec(run, 3),
        proptest::option::weighted(0.05, (0usize..4, 0u32..20)),
    )
        .prop_map(|(runs, damage)| {
            let (mut idx, mut rules) = (std::vec![0u32], Vec::new());
            for (mut rows, sorted) in runs {
                if sorted {
                    rows.sort_by_key(|r| (r.1, r.0));
                    rows.dedup_by_key(|r| (r.1, r.0));
                }
                for r in &rows {
                    rules.extend([r.0, r.1, r.2, r.3, r.4]);
                }
                idx.push((rules.len() / 5) as u32);
            }
            if let Some((at, v)) = damage {
                idx[at] = v;
            }
            (idx, rules)
        })
}

/// The rule check accepts exactly the rules the reference model (the
/// rule-by-rule check before version 2) accepts, and reports the same
/// fault; both outcomes are common among the cases.
#[test]
fn fast_rule_check_matches_reference() {
    use proptest::strategy::{Strategy, ValueTree};
    let w = |v: &[u32]| v.iter().flat_map(|x| x.to_le_bytes()).collect::<Vec<u8>>();
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let (mut accepted, mut refused) = (0, 0);
    for _ in 0..20_000 {
        let (idx, rules) = rule_sections().new_tree(&mut runner).unwrap().current();
        let bin = build(|secs, _| {
            secs[SEC_RULEIDX] = w(&idx);
            secs[SEC_RULES] = w(&rules);
        });
        let fast = PolicyDb::parse(&bin).map(|db| db.index().len);
        let reference = PolicyDb::parse_reference(&bin).map(|db| db.index().len);
        assert_eq!(fast, reference, "ruleidx {idx:?} rules {rules:?}");
        if fast.is_ok() {
            accepted += 1;
        } else {
            refused += 1;
        }
    }
    assert!(
        accepted > 2_000 && refused > 2_000,
        "{accepted} accepted, {refused} refused"
    );
}
