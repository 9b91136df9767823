// SPDX-License-Identifier: GPL-2.0

use proptest::prelude::*;

use super::*;

const ALL: [Access; 8] = Access::EACH;

#[test]
fn an_empty_word_grants_nothing() {
    for access in ALL {
        assert!(!grants(0, 0, Generation::nth(0), access));
        assert!(!grants(0, 0, Generation::nth(1), access));
    }
}

#[test]
fn nothing_is_never_granted() {
    let word = record(0, 7, Generation::nth(3), Access::READ.with(Access::OPEN));
    assert!(!grants(word, 7, Generation::nth(3), Access::NONE));
}

#[test]
fn grants_add_up_for_one_subject_and_generation() {
    let word = record(0, 7, Generation::nth(3), Access::READ);
    let word = record(word, 7, Generation::nth(3), Access::OPEN);
    assert!(grants(
        word,
        7,
        Generation::nth(3),
        Access::READ.with(Access::OPEN)
    ));
    assert!(!grants(word, 7, Generation::nth(3), Access::WRITE));
}

#[test]
fn another_subject_or_generation_replaces() {
    let word = record(0, 7, Generation::nth(3), Access::READ);
    let other = record(word, 8, Generation::nth(3), Access::WRITE);
    assert!(!grants(other, 7, Generation::nth(3), Access::READ));
    assert!(grants(other, 8, Generation::nth(3), Access::WRITE));
    let later = record(word, 7, Generation::nth(4), Access::WRITE);
    assert!(!grants(later, 7, Generation::nth(4), Access::READ));
    assert!(!grants(later, 7, Generation::nth(3), Access::WRITE));
}

#[test]
fn may_bits_are_the_kernels() {
    // include/linux/fs.h: MAY_EXEC 1, MAY_WRITE 2, MAY_READ 4, MAY_APPEND 8,
    // MAY_ACCESS 16, MAY_OPEN 32.
    assert_eq!(Access::from_may(0x01), Access::EXEC);
    assert_eq!(Access::from_may(0x02), Access::WRITE);
    assert_eq!(Access::from_may(0x04), Access::READ);
    assert_eq!(Access::from_may(0x08), Access::APPEND);
    assert_eq!(Access::from_may(0x0a), Access::APPEND);
    assert_eq!(
        Access::from_may(0x06).appending(),
        Access::READ.with(Access::APPEND)
    );
    assert_eq!(Access::from_may(0x10 | 0x20 | 0x80), Access::NONE);
}

#[test]
fn class_permissions_one_to_eight_are_one_bit_each() {
    use crate::classmap::perm;
    assert_eq!(Access::of_class_perms(0), None);
    // Sockets: read and write remembered; create, bind … are not.
    let read = Access::of_class_perms(perm::TCP_SOCKET_READ).unwrap();
    let write = Access::of_class_perms(perm::TCP_SOCKET_WRITE).unwrap();
    assert_ne!(read, write);
    assert_eq!(
        Access::of_class_perms(perm::TCP_SOCKET_READ | perm::TCP_SOCKET_WRITE),
        Some(read.with(write))
    );
    assert_eq!(Access::of_class_perms(perm::TCP_SOCKET_IOCTL), None);
    assert_eq!(Access::of_class_perms(perm::TCP_SOCKET_SENDTO), None);
    assert_eq!(
        Access::of_class_perms(perm::TCP_SOCKET_READ | perm::TCP_SOCKET_BIND),
        None
    );
    // IPC objects: destroy to unix_write, not create or shm's lock.
    for p in [
        perm::SHM_DESTROY,
        perm::SHM_READ,
        perm::SHM_WRITE,
        perm::SHM_ASSOCIATE,
        perm::SHM_UNIX_READ,
        perm::SHM_UNIX_WRITE,
    ] {
        assert!(Access::of_class_perms(p).is_some(), "{p:#x}");
    }
    assert_eq!(Access::of_class_perms(perm::SHM_CREATE), None);
    assert_eq!(Access::of_class_perms(perm::SHM_LOCK), None);
}

#[test]
fn generations_advance() {
    let g = DecisionGeneration::new();
    let first = g.current();
    g.advance();
    assert_ne!(g.current(), first);
}

fn any_access() -> impl Strategy<Value = Access> {
    any::<u8>().prop_map(Access)
}

/// The reference model: the set of (subject, generation, access) grants
/// recorded since the word last changed subject or generation.
#[derive(Default)]
struct Model {
    key: Option<(Sid, u32)>,
    granted: u8,
}

proptest! {
    /// A word grants exactly what was recorded for the same subject and
    /// generation since the last record for another: never more.
    #[test]
    fn grants_what_was_recorded_and_nothing_else(
        records in proptest::collection::vec((0u32..4, 0u32..3, any_access()), 0..20),
        probe in (0u32..4, 0u32..3, any_access()),
    ) {
        let mut word = 0u64;
        let mut model = Model::default();
        for (ssid, generation, access) in records {
            word = record(word, ssid, Generation::nth(generation), access);
            if model.key == Some((ssid, generation)) {
                model.granted |= access.0;
            } else {
                model = Model { key: Some((ssid, generation)), granted: access.0 };
            }
        }
        let (ssid, generation, access) = probe;
        let expected = model.key == Some((ssid, generation))
            && model.granted & access.0 == access.0
            && access.0 != 0;
        prop_assert_eq!(grants(word, ssid, Generation::nth(generation), access), expected);
    }

    /// Generations compare in 24 bits; SIDs in all 32. (Generations stop
    /// below 2^22: nothing is recorded under the last one.)
    #[test]
    fn generation_and_subject_bits(ssid in any::<u32>(), other in any::<u32>(), generation in 0u32..(1 << 22) - 1) {
        let nth = Generation::nth;
        let word = record(0, ssid, nth(generation), Access::READ);
        prop_assert!(grants(word, ssid, nth(generation), Access::READ));
        prop_assert!(grants(word, ssid, nth(generation.wrapping_add(1 << 24)), Access::READ));
        prop_assert!(!grants(word, ssid, nth(generation.wrapping_add(1)), Access::READ));
        prop_assert_eq!(grants(word, other, nth(generation), Access::READ), other == ssid);
    }
}

#[test]
fn self_decisions_are_per_access_and_generation() {
    let fork = SelfAccess::FORK;
    let restore = SelfAccess::capability(40).unwrap();
    let chown = SelfAccess::capability(0).unwrap();
    assert_eq!(SelfAccess::capability(41), None);
    assert!(!self_grants(0, Generation::nth(0), fork));
    let word = self_record(0, Generation::nth(5), restore);
    assert!(self_grants(word, Generation::nth(5), restore));
    assert!(!self_grants(word, Generation::nth(5), fork));
    assert!(!self_grants(word, Generation::nth(6), restore));
    let word = self_record(word, Generation::nth(5), fork);
    assert!(
        self_grants(word, Generation::nth(5), fork)
            && self_grants(word, Generation::nth(5), restore)
    );
    let word = self_record(word, Generation::nth(6), chown);
    assert!(self_grants(word, Generation::nth(6), chown));
    assert!(!self_grants(word, Generation::nth(6), fork));
    // Generations compare in 22 bits.
    assert!(self_grants(word, Generation::nth(6 + (1 << 22)), chown));
}

proptest! {
    /// A self-decision word grants exactly what was recorded under the
    /// same generation since the last record under another.
    #[test]
    fn self_words_grant_what_was_recorded(
        records in proptest::collection::vec((0u32..3, 0u32..42), 0..20),
        probe in (0u32..3, 0u32..42),
    ) {
        let access = |n: u32| if n == 41 { SelfAccess::FORK } else { SelfAccess::capability(n).unwrap() };
        let mut word = 0u64;
        let mut model: Option<(u32, u64)> = None;
        for (generation, n) in records {
            word = self_record(word, Generation::nth(generation), access(n));
            model = match model {
                Some((g, set)) if g == generation => Some((g, set | 1 << n)),
                _ => Some((generation, 1 << n)),
            };
        }
        let (generation, n) = probe;
        let expected = matches!(model, Some((g, set)) if g == generation && set & (1 << n) != 0);
        prop_assert_eq!(self_grants(word, Generation::nth(generation), access(n)), expected);
    }
}

#[test]
fn own_label_decisions_are_per_class_and_generation() {
    let socket = OwnLabelClass::of_index(10).unwrap();
    let shm = OwnLabelClass::of_index(0).unwrap();
    assert_eq!(OwnLabelClass::of_index(1023), None);
    assert!(OwnLabelClass::of_index(1022).is_some());
    let (g5, g6) = (Generation::nth(5), Generation::nth(6));
    assert!(!own_grants(0, Generation::nth(0), shm, 1));
    let word = own_record(0, g5, socket, 0b110);
    assert!(own_grants(word, g5, socket, 0b100) && own_grants(word, g5, socket, 0b110));
    assert!(!own_grants(word, g5, socket, 0b111));
    assert!(!own_grants(word, g5, socket, 0), "nothing is never granted");
    assert!(!own_grants(word, g5, shm, 0b100));
    assert!(!own_grants(word, g6, socket, 0b100));
    let word = own_record(word, g5, socket, 1 << 31);
    assert!(own_grants(word, g5, socket, 1 << 31 | 0b10));
    // Another class or generation replaces what was recorded.
    let word = own_record(word, g5, shm, 1);
    assert!(own_grants(word, g5, shm, 1) && !own_grants(word, g5, socket, 0b10));
    let word = own_record(word, g6, shm, 2);
    assert!(own_grants(word, g6, shm, 2) && !own_grants(word, g6, shm, 1));
    // Generations compare in 22 bits.
    assert!(own_grants(word, Generation::nth(6 + (1 << 22)), shm, 2));
    let last = DecisionGeneration::LAST;
    assert_eq!(own_record(0, last, shm, 1), 0);
    assert_eq!(own_record(word, last, shm, 1), word);
}

proptest! {
    /// An own-label word grants exactly the permissions recorded for the
    /// same class and generation since the last record for another.
    #[test]
    fn own_label_words_grant_what_was_recorded(
        records in proptest::collection::vec((0u32..3, 0usize..3, any::<u32>()), 0..20),
        probe in (0u32..3, 0usize..3, any::<u32>()),
        class_base in 0usize..1019,
    ) {
        let class = |n: usize| OwnLabelClass::of_index(class_base + n).unwrap();
        let mut word = 0u64;
        let mut model: Option<(u32, usize, u32)> = None;
        for (generation, c, requested) in records {
            word = own_record(word, Generation::nth(generation), class(c), requested);
            model = match model {
                Some((g, m, set)) if g == generation && m == c => Some((g, m, set | requested)),
                _ => Some((generation, c, requested)),
            };
        }
        let (generation, c, requested) = probe;
        let expected = requested != 0
            && matches!(model, Some((g, m, set)) if g == generation && m == c && set & requested == requested);
        prop_assert_eq!(own_grants(word, Generation::nth(generation), class(c), requested), expected);
    }
}

#[test]
fn the_generation_stops_at_its_last_value() {
    let g = DecisionGeneration::new();
    let mut steps = 1u32;
    while g.advance() {
        steps += 1;
    }
    assert_eq!(steps, (1 << 22) - 1);
    assert_eq!(g.current(), DecisionGeneration::LAST);
    assert!(!g.advance());
    assert_eq!(g.current(), DecisionGeneration::LAST);
}

/// A plain cell for the sequential tests.
struct Cell(core::cell::Cell<u64>);

impl ObjectWord for Cell {
    fn load(&self) -> u64 {
        self.0.get()
    }
    fn store(&self, value: u64) {
        self.0.set(value)
    }
}

fn cell(value: u64) -> Cell {
    Cell(core::cell::Cell::new(value))
}

#[test]
fn nothing_is_recorded_under_the_last_generation() {
    let (label, decision) = (cell(5), cell(0));
    record_checked(
        &label,
        &decision,
        5,
        7,
        DecisionGeneration::LAST,
        Access::READ,
    );
    assert_eq!(decision.load(), 0);
    let last = DecisionGeneration::LAST;
    assert_eq!(record(0, 7, last, Access::READ), 0);
    let restore = SelfAccess::capability(40).unwrap();
    assert_eq!(self_record(0, last, restore), 0);
    assert!(!self_grants(self_record(0, last, restore), last, restore));
}

#[test]
fn a_grant_on_a_label_changed_since_is_not_kept() {
    let (label, decision) = (cell(5), cell(0));
    let g = Generation::nth(3);
    record_checked(&label, &decision, 5, 7, g, Access::READ);
    assert!(grants(decision.load(), 7, g, Access::READ));
    // Decided on label word 5; the object now has 6.
    label.store(6);
    record_checked(&label, &decision, 5, 7, g, Access::WRITE);
    assert_eq!(decision.load(), 0);
}

#[test]
fn forgetting_clears_every_grant() {
    let (label, decision) = (cell(5), cell(0));
    record_checked(&label, &decision, 5, 7, Generation::nth(3), Access::READ);
    label.store(6);
    forget(&decision);
    assert!(!grants(
        decision.load(),
        7,
        Generation::nth(3),
        Access::READ
    ));
}
