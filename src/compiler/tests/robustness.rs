// SPDX-License-Identifier: GPL-2.0

//! Every truncation and every single-bit flip of a valid policy is either
//! rejected or yields a database that validates and answers without
//! panicking. Flips are tried twice: as is (the checksum must catch them)
//! and with the checksum recomputed (so the validator itself is tested).

use carapace_compiler::compile_paths;
use carapace_core::classmap::KernelClass;
use carapace_core::policy::format::{seal, HDR_LENGTH};
use carapace_core::policy::{InitialSid, PolicyDb, TypeId};

fn default_policy() -> Vec<u8> {
    let root = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../policy/default/main.cpol"
    );
    compile_paths(&[root]).unwrap().binary
}

/// Exercises every lookup; must not panic.
fn exercise(db: &PolicyDb<'_>) -> u64 {
    let mut acc = 0u64;
    let n = db.type_count().min(8) + 2; // include out-of-range ids
    for s in 0..n {
        let name = db.type_name(TypeId(s));
        acc += db.type_by_name(name).map_or(0, |t| u64::from(t.0));
        acc += u64::from(db.is_permissive(TypeId(s)));
        for t in 0..n {
            for c in KernelClass::ALL {
                let d = db.compute_av(TypeId(s), TypeId(t), *c);
                acc += u64::from(d.allowed ^ d.auditallow ^ d.auditdeny);
                acc += db
                    .type_transition(TypeId(s), TypeId(t), *c)
                    .map_or(0, |x| u64::from(x.0));
            }
        }
    }
    for sid in [
        InitialSid::Kernel,
        InitialSid::Unlabeled,
        InitialSid::File,
        InitialSid::Security,
    ] {
        acc += u64::from(db.initial_sid(sid).0);
    }
    acc += db.fs_default(b"proc").map_or(0, |t| u64::from(t.0));
    acc += db
        .file_contexts()
        .map(|f| f.pattern.len() as u64)
        .sum::<u64>();
    acc
}

#[test]
fn every_truncation_is_rejected() {
    let bin = default_policy();
    let db = PolicyDb::parse(&bin).unwrap();
    exercise(&db);
    for n in 0..bin.len() {
        assert!(PolicyDb::parse(&bin[..n]).is_err(), "truncated to {n}");
        // Also with the length and checksum fixed up: the validator must
        // notice what is missing.
        if n % 4 == 0 && n >= 12 {
            let mut t = bin[..n].to_vec();
            t[HDR_LENGTH..HDR_LENGTH + 4].copy_from_slice(&(n as u32).to_le_bytes());
            seal(&mut t);
            if let Ok(db) = PolicyDb::parse(&t) {
                exercise(&db);
            }
        }
    }
}

#[test]
fn every_bit_flip_is_rejected_or_harmless() {
    let bin = default_policy();
    let mut valid_after_reseal = 0;
    for byte in 0..bin.len() {
        for bit in 0..8 {
            let mut b = bin.clone();
            b[byte] ^= 1 << bit;
            assert!(PolicyDb::parse(&b).is_err(), "flip {byte}.{bit} not caught");
            seal(&mut b);
            if let Ok(db) = PolicyDb::parse(&b) {
                valid_after_reseal += 1;
                // Cheap check on every surviving flip; full check on some.
                let _ = db.compute_av(TypeId(0), TypeId(1), KernelClass::File);
                if (byte * 8 + bit) % 4 == 0 {
                    exercise(&db);
                }
            }
        }
    }
    // Flips in names, permission masks and type ids often stay valid.
    assert!(valid_after_reseal > 0);
}
