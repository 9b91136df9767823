// SPDX-License-Identifier: GPL-2.0

//! `loom` models of the last decisions (`carapace_core::last_decision`):
//! the orders in which a checker records a grant and a label or a policy
//! changes. Run with `scripts/test-loom.sh` (builds with `--cfg loom`);
//! without that cfg this file is empty.
//!
//! In each model a subject may `read` objects labelled [`A`] and nothing
//! labelled [`B`]; a change makes [`B`] the label, and afterwards the word
//! must not grant the read.
#![cfg(loom)]

use carapace_core::label_word::{begin_compute, finish_compute, LabelCell, LabelWord};
use carapace_core::last_decision::{
    forget, grants, record_checked, Access, DecisionGeneration, Generation, ObjectWord,
};
use loom::sync::atomic::{AtomicU64, Ordering};
use loom::thread;

const SUBJECT: u32 = 7;
const A: u32 = 1;
const B: u32 = 2;

/// An object's word (label or last decision), leaked so threads share it.
struct Word(AtomicU64);

impl ObjectWord for Word {
    fn load(&self) -> u64 {
        self.0.load(Ordering::Acquire)
    }
    fn store(&self, value: u64) {
        self.0.store(value, Ordering::Release)
    }
}

impl LabelCell for Word {
    fn load(&self) -> u64 {
        self.0.load(Ordering::Acquire)
    }
    fn compare_exchange(&self, current: u64, new: u64) -> Result<u64, u64> {
        self.0
            .compare_exchange(current, new, Ordering::AcqRel, Ordering::Acquire)
    }
}

fn word(value: u64) -> &'static Word {
    Box::leak(Box::new(Word(AtomicU64::new(value))))
}

/// The policy of these models.
fn may_read(label: LabelWord) -> bool {
    label.valid_under(1) == Some(A)
}

/// A relabel from A to B races a check that read A and records its
/// grant: the grant never survives the relabel.
#[test]
fn a_relabel_is_never_undone_by_a_late_record() {
    loom::model(|| {
        let label = word(LabelWord::known(A).encode());
        let decision = word(0);
        let g = Generation::nth(1);
        let checker = thread::spawn(move || {
            let used = ObjectWord::load(label);
            if may_read(LabelWord::decode(used)) {
                record_checked(label, decision, used, SUBJECT, g, Access::READ);
            }
        });
        // The relabel (`inode_post_setxattr`): the new label, then forget.
        ObjectWord::store(label, LabelWord::known(B).encode());
        forget(decision);
        checker.join().unwrap();
        let word = ObjectWord::load(decision);
        assert!(
            !grants(word, SUBJECT, g, Access::READ),
            "stale grant {word:#x}"
        );
    });
}

/// The first computation of a label (which reads the old attribute, A)
/// races a relabel to B: whatever the order, the grant on A is not kept
/// once the relabel is done.
#[test]
fn a_relabel_racing_a_first_label_computation_leaves_no_grant() {
    loom::model(|| {
        let label = word(0);
        let decision = word(0);
        let g = Generation::nth(1);
        let checker = thread::spawn(move || {
            let pending = begin_compute(label, 0, 9);
            if pending != 0 {
                forget(decision);
            }
            let used = finish_compute(label, pending, LabelWord::known(A), 1);
            if used.stored == Some(LabelWord::known(A).encode()) {
                forget(decision);
            }
            if let (true, Some(stored)) = (may_read(used.label), used.stored) {
                record_checked(label, decision, stored, SUBJECT, g, Access::READ);
            }
            (pending, used)
        });
        // The relabel (`InodeLabel::relabel`): swap in the new label, then
        // forget.
        label.0.swap(LabelWord::known(B).encode(), Ordering::AcqRel);
        forget(decision);
        let seen = checker.join().unwrap();
        assert_eq!(
            LabelWord::decode(ObjectWord::load(label)),
            LabelWord::known(B),
            "{seen:x?}"
        );
        let word = ObjectWord::load(decision);
        assert!(
            !grants(word, SUBJECT, g, Access::READ),
            "stale grant {word:#x}"
        );
    });
}

/// A label used for a check without being stored (`unlabeled` for an
/// inode with no dentry yet) is never recorded: the label stored later
/// does not inherit its grant.
#[test]
fn an_unstored_label_records_nothing() {
    loom::model(|| {
        let label = word(0);
        let decision = word(0);
        let g = Generation::nth(1);
        let checker = thread::spawn(move || {
            // Computed for this check only; the word stays "unknown".
            let used = finish_compute(label, 0, LabelWord::known(A), 1);
            if let (true, Some(stored)) = (may_read(used.label), used.stored) {
                record_checked(label, decision, stored, SUBJECT, g, Access::READ);
            }
        });
        // The label computed once the inode has its dentry.
        let pending = begin_compute(label, 0, 3);
        finish_compute(label, pending, LabelWord::known(B), 1);
        checker.join().unwrap();
        let word = ObjectWord::load(decision);
        assert!(!grants(word, SUBJECT, g, Access::READ), "grant {word:#x}");
    });
}

/// Exec: a policy load that adds a transition for the file races an exec
/// that finds none and records `execute_no_trans`. The generation is read
/// before the policy, so the record never matches the new policy's.
#[test]
fn exec_reads_the_generation_before_the_policy() {
    loom::model(|| {
        let generation: &'static DecisionGeneration =
            Box::leak(Box::new(DecisionGeneration::new()));
        // 0: no transition for the file; 1: a transition.
        let policy = word(0);
        let label = word(LabelWord::known(A).encode());
        let decision = word(0);
        let exec = thread::spawn(move || {
            let g = generation.current();
            let used = ObjectWord::load(label);
            if ObjectWord::load(policy) == 0 {
                let access = Access::EXECUTE_NO_TRANS;
                record_checked(label, decision, used, SUBJECT, g, access);
            }
        });
        // A load: advance, publish, advance (`SecurityServer::load`).
        generation.advance();
        ObjectWord::store(policy, 1);
        generation.advance();
        exec.join().unwrap();
        let word = ObjectWord::load(decision);
        let now = generation.current();
        assert!(
            !grants(word, SUBJECT, now, Access::EXECUTE_NO_TRANS),
            "execute_no_trans kept under the policy with a transition"
        );
    });
}
