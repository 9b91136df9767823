// SPDX-License-Identifier: GPL-2.0

//! Fuzz the policy validator and every lookup.
//!
//! Each input is parsed as is, then with its length field and checksum
//! fixed up, so that the fuzzer explores the validator rather than the
//! checksum. Whatever validates must answer every query without panicking,
//! and the rule check must give what its reference model, the rule-by-rule
//! check of format version 1, gives.

#![no_main]

use carapace_core::classmap::KernelClass;
use carapace_core::policy::format::{seal, HDR_LENGTH, HEADER_SIZE};
use carapace_core::policy::{FileLabel, InitialSid, LabelAttr, PolicyDb, TypeId};
use libfuzzer_sys::fuzz_target;

fn exercise(db: &PolicyDb<'_>) {
    let n = db.type_count().min(16).saturating_add(1);
    for s in 0..n {
        let name = db.type_name(TypeId(s));
        assert_eq!(
            db.type_by_name(name).map(|t| t.0 < db.type_count()),
            Some(true)
        );
        let _ = db.is_permissive(TypeId(s));
        for t in 0..n {
            for c in KernelClass::ALL {
                let _ = db.compute_av(TypeId(s), TypeId(t), *c);
                let _ = db.type_transition(TypeId(s), TypeId(t), *c);
            }
        }
    }
    for sid in [
        InitialSid::Kernel,
        InitialSid::Unlabeled,
        InitialSid::File,
        InitialSid::Security,
    ] {
        assert!(db.initial_sid(sid).0 < db.type_count());
    }
    let _ = db.fs_label(b"proc");
    // An inode's label, whatever its filesystem and attribute, is a type
    // of the policy.
    for attr in [
        LabelAttr::NotRead,
        LabelAttr::Absent,
        LabelAttr::Unreadable,
        LabelAttr::Value(db.type_name(TypeId(0))),
        LabelAttr::Value(b"\0"),
    ] {
        for fs in [&b"tmpfs"[..], b"proc", b"ext4", b"no-such-fs"] {
            let (FileLabel::Final(t) | FileLabel::Unmapped(t)) = db.file_label(fs, attr);
            assert!(t.0 < db.type_count());
        }
    }
    for fc in db.file_contexts() {
        assert!(!fc.pattern.is_empty());
    }
}

/// Parses `data`, checking the outcome against the reference model.
fn parse(data: &[u8]) -> Option<PolicyDb<'_>> {
    let db = PolicyDb::parse(data);
    assert_eq!(
        db.as_ref().err(),
        PolicyDb::parse_reference(data).as_ref().err()
    );
    db.ok()
}

fuzz_target!(|data: &[u8]| {
    if let Some(db) = parse(data) {
        exercise(&db);
    }
    if data.len() >= HEADER_SIZE {
        let mut buf = data.to_vec();
        let len = (buf.len() as u32).to_le_bytes();
        buf[HDR_LENGTH..HDR_LENGTH + 4].copy_from_slice(&len);
        seal(&mut buf);
        if let Some(db) = parse(&buf) {
            exercise(&db);
        }
    }
});
