// SPDX-License-Identifier: GPL-2.0

use proptest::prelude::*;

use super::*;

const KINDS: [(u32, InodeKind, KernelClass); 8] = [
    (0o100_644, InodeKind::File, KernelClass::File),
    (0o000_644, InodeKind::File, KernelClass::File),
    (0o040_755, InodeKind::Dir, KernelClass::Dir),
    (0o120_777, InodeKind::Symlink, KernelClass::LnkFile),
    (0o020_666, InodeKind::CharDevice, KernelClass::ChrFile),
    (0o060_660, InodeKind::BlockDevice, KernelClass::BlkFile),
    (0o140_755, InodeKind::Socket, KernelClass::SockFile),
    (0o010_600, InodeKind::Fifo, KernelClass::FifoFile),
];

#[test]
fn mode_gives_kind_and_class() {
    for (mode, kind, class) in KINDS {
        assert_eq!(InodeKind::from_mode(mode), kind, "mode {mode:o}");
        assert_eq!(kind.class(), class);
    }
}

#[test]
fn directory_access_is_list_search_and_write() {
    let dir = InodeKind::Dir;
    let read = FileAccess {
        read: true,
        ..Default::default()
    };
    let search = FileAccess {
        exec: true,
        ..Default::default()
    };
    let append = FileAccess {
        append: true,
        write: true,
        ..Default::default()
    };
    assert_eq!(read.perms(dir), perm::FILE_READ);
    assert_eq!(search.perms(dir), perm::DIR_SEARCH);
    // A directory has no append: any modification is `write`.
    assert_eq!(append.perms(dir), perm::FILE_WRITE);
}

#[test]
fn append_is_asked_instead_of_write() {
    let append = FileAccess {
        write: true,
        append: true,
        ..Default::default()
    };
    assert_eq!(append.perms(InodeKind::File), perm::FILE_APPEND);
    assert_eq!(open_mode_perms(false, true, true), perm::FILE_APPEND);
    assert_eq!(
        open_mode_perms(true, true, false),
        perm::FILE_READ | perm::FILE_WRITE
    );
    assert_eq!(open_mode_perms(false, false, true), 0);
}

#[test]
fn an_existence_check_asks_nothing() {
    for (_, kind, _) in KINDS {
        assert_eq!(FileAccess::default().perms(kind), 0);
    }
    assert_eq!(MapAccess::default().perms(), 0);
}

/// The mapping, written as a table rather than as code.
fn reference(kind: InodeKind, a: FileAccess) -> u32 {
    let dir = kind == InodeKind::Dir;
    [
        (a.read, perm::FILE_READ),
        (a.exec && dir, perm::DIR_SEARCH),
        (a.exec && !dir, perm::FILE_EXECUTE),
        (dir && (a.write || a.append), perm::FILE_WRITE),
        (!dir && a.append, perm::FILE_APPEND),
        (!dir && a.write && !a.append, perm::FILE_WRITE),
    ]
    .iter()
    .filter(|(on, _)| *on)
    .fold(0, |perms, (_, bit)| perms | bit)
}

proptest! {
    #[test]
    fn access_matches_the_reference(mode in any::<u32>(), bits in 0u8..16) {
        let kind = InodeKind::from_mode(mode);
        let access = FileAccess {
            read: bits & 1 != 0,
            write: bits & 2 != 0,
            exec: bits & 4 != 0,
            append: bits & 8 != 0,
        };
        prop_assert_eq!(access.perms(kind), reference(kind, access));
        // Only permissions of the inode's own class are asked.
        let class = kind.class();
        for bit in 0..32 {
            if access.perms(kind) & (1 << bit) != 0 {
                prop_assert!(class.perm_name(bit).is_some());
            }
        }
    }

    #[test]
    fn mappings_never_ask_append(read: bool, shared_write: bool, exec: bool) {
        let perms = MapAccess { read, shared_write, exec }.perms();
        prop_assert_eq!(perms & perm::FILE_APPEND, 0);
        prop_assert_eq!(perms & perm::FILE_WRITE != 0, shared_write);
    }
}

/// The accesses a last decision records stand for exactly the permissions
/// the full check asks for, whatever the mask and the kind of inode, and
/// each bit for one permission (so recording two checks' bits and probing
/// their union asks for nothing neither check was granted).
#[test]
fn access_bits_ask_what_the_full_check_asks() {
    for may in 0u32..16 {
        let access = FileAccess {
            exec: may & 1 != 0,
            write: may & 2 != 0,
            read: may & 4 != 0,
            append: may & 8 != 0,
        };
        for (_, kind, _) in KINDS {
            let bits = Access::from_may(may);
            assert_eq!(
                access_perms(bits, kind),
                access.perms(kind),
                "{may:#x} {kind:?}"
            );
        }
    }
    for (r, w, a) in [
        (true, false, false),
        (false, true, false),
        (true, true, true),
        (false, true, true),
    ] {
        let kind = InodeKind::File;
        assert_eq!(
            access_perms(open_mode_access(r, w, a), kind),
            open_mode_perms(r, w, a)
        );
    }
    let singles = Access::EACH;
    for (_, kind, _) in KINDS {
        for x in singles {
            for y in singles {
                assert_eq!(
                    access_perms(x.with(y), kind),
                    access_perms(x, kind) | access_perms(y, kind)
                );
            }
        }
    }
}
