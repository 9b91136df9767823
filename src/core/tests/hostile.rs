// SPDX-License-Identifier: GPL-2.0

//! The hostile policy corpus the `stress` VM suite loads
//! (`examples/hostile_policies.rs`): every kind of damage it makes to a
//! valid policy is refused by the validator, without a panic.

#[allow(dead_code)]
#[path = "../examples/hostile_policies.rs"]
mod hostile_policies;

use carapace_core::policy::ValidatedPolicy;

#[test]
fn every_hostile_policy_is_refused() {
    let seed = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/fuzz/corpus/parse/seed-default"
    ))
    .unwrap();
    assert!(ValidatedPolicy::new(seed.as_slice()).is_ok());
    let corpus = hostile_policies::corpus(&seed);
    let refused = corpus
        .iter()
        .filter(|(_, data)| ValidatedPolicy::new(data.as_slice()).is_err())
        .count();
    // A few mutations happen to leave a valid policy (a shorter last
    // section); the generator leaves those out of the VM's corpus.
    assert!(refused > 250, "only {refused} of {} refused", corpus.len());
    for kind in [
        "truncated-",
        "bad-magic",
        "ntypes-huge",
        "-duplicate",
        "-unsorted",
        "-offset-huge",
    ] {
        assert!(
            corpus.iter().any(|(name, data)| name.contains(kind)
                && ValidatedPolicy::new(data.as_slice()).is_err()),
            "no refused {kind} policy"
        );
    }
}
