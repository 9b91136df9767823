// SPDX-License-Identifier: GPL-2.0

//! The filesystem index answers as the search by name does, for every
//! name that has a key, on compiled policies.

use std::collections::BTreeMap;

use carapace_compiler::{compile_paths, compile_str};
use carapace_core::policy::fs_index::{fs_index_find, FsIndexEntry, FsKey, FS_KEY_LEN};
use carapace_core::policy::PolicyDb;
use proptest::prelude::*;

fn index_of(db: &PolicyDb<'_>) -> Vec<FsIndexEntry> {
    let mut index = vec![FsIndexEntry::EMPTY; db.fs_index_len()];
    let written = db.fill_fs_index(&mut index).len();
    assert_eq!(written, index.len());
    index
}

/// Checks `name` against the search by name, whatever the hint; the
/// position found, as a hint, finds the same entry.
fn agrees(db: &PolicyDb<'_>, index: &[FsIndexEntry], name: &[u8]) {
    let by_name = db.fs_label(name).map(|label| label.ty);
    let Some(key) = FsKey::of(name) else {
        assert!(name.len() > FS_KEY_LEN, "{name:?} has no key");
        return;
    };
    for hint in [0, 1, index.len() / 2, index.len(), usize::MAX] {
        let found = fs_index_find(index, key, hint);
        assert_eq!(found.map(|(_, ty)| ty), by_name, "{name:?}, hint {hint}");
        if let Some((at, ty)) = found {
            assert_eq!(fs_index_find(index, key, at), Some((at, ty)));
        }
    }
}

#[test]
fn default_policy_index() {
    let root = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../policy/default/main.cpol"
    );
    let bin = compile_paths(&[root]).unwrap().binary;
    let db = PolicyDb::parse(&bin).unwrap();
    let index = index_of(&db);
    assert!(index.len() > 5, "the default policy names filesystems");
    for name in [
        &b"tmpfs"[..],
        b"proc",
        b"sysfs",
        b"ext4",
        b"",
        b"tmpf",
        b"tmpfsx",
        b"no_such_filesystem",
    ] {
        agrees(&db, &index, name);
    }
    assert!(fs_index_find(&index, FsKey::of(b"tmpfs").unwrap(), 0).is_some());
}

#[test]
fn keys_at_the_width() {
    let long = [b'a'; FS_KEY_LEN + 1];
    assert!(FsKey::of(&long).is_none());
    assert!(FsKey::of(&long[..FS_KEY_LEN]).is_some());
    assert!(FsKey::of(b"a\0b").is_none());
    // Zero padding: a name and its prefix differ, and sort as names do.
    let (ab, abc) = (FsKey::of(b"ab").unwrap(), FsKey::of(b"abc").unwrap());
    assert!(ab < abc);
    let mut padded = [0u8; FS_KEY_LEN];
    padded[..3].copy_from_slice(b"abc");
    assert_eq!(FsKey::from_padded(padded), abc);
}

fn fs_name() -> impl Strategy<Value = String> {
    // Lengths around the key's width, from a small alphabet so that
    // names share prefixes.
    "[ab_][ab0-9_]{0,19}"
}

proptest! {
    #[test]
    fn index_agrees_with_search(
        rules in proptest::collection::btree_map(fs_name(), (0usize..3, any::<bool>()), 0..12),
        probes in proptest::collection::vec(fs_name(), 0..12),
    ) {
        let mut src = String::from(
            "type t0_t;\ntype t1_t;\ntype t2_t;\n\
             initial kernel t0_t;\ninitial unlabeled t0_t;\ninitial file t1_t;\n\
             initial security t0_t;\n",
        );
        let rules: BTreeMap<_, _> = rules;
        for (name, (ty, xattr)) in &rules {
            let keyword = if *xattr { "fs_use_xattr" } else { "fs_default" };
            src.push_str(&format!("{keyword} {name} t{ty}_t;\n"));
        }
        let out = compile_str("fs.cpol", &src).unwrap();
        let db = PolicyDb::parse(&out.binary).unwrap();
        let index = index_of(&db);
        let keyed = rules.keys().filter(|name| name.len() <= FS_KEY_LEN).count();
        prop_assert_eq!(index.len(), keyed);
        for name in rules.keys().chain(probes.iter()) {
            agrees(&db, &index, name.as_bytes());
        }
    }
}
