// SPDX-License-Identifier: GPL-2.0

use super::*;

extern crate std;
use std::{string::String, vec::Vec};

/// Runs `take_options` on `data`, taking the label options; returns what
/// is left and the label options seen, as `name=value`.
fn take_labels(data: &str) -> (String, Vec<String>) {
    let mut buf = Vec::from(data.as_bytes());
    let mut seen = Vec::new();
    let left = take_options(&mut buf, |option| -> Result<bool, ()> {
        match parse_option(option) {
            ParsedOption::Label(which, value) => {
                let mut out = [0u8; 64];
                let value = unquote(value.unwrap_or_default(), &mut out).unwrap();
                seen.push(std::format!(
                    "{}={}",
                    which.name(),
                    String::from_utf8_lossy(value)
                ));
                Ok(true)
            }
            ParsedOption::Other => Ok(false),
        }
    })
    .unwrap();
    buf.truncate(left);
    (String::from_utf8(buf).unwrap(), seen)
}

#[test]
fn label_options_are_taken_out_and_the_rest_kept_in_order() {
    let (left, seen) = take_labels("size=1M,context=mnt_ctx_t,mode=755");
    assert_eq!(left, "size=1M,mode=755");
    assert_eq!(seen, ["context=mnt_ctx_t"]);

    let (left, seen) = take_labels("context=a_t,fscontext=b_t");
    assert_eq!(left, "");
    assert_eq!(seen, ["context=a_t", "fscontext=b_t"]);

    let (left, seen) = take_labels("rootcontext=r_t,uid=0");
    assert_eq!(left, "uid=0");
    assert_eq!(seen, ["rootcontext=r_t"]);

    let (left, seen) = take_labels("uid=0,gid=0");
    assert_eq!(left, "uid=0,gid=0");
    assert!(seen.is_empty());
}

#[test]
fn quotes_protect_commas_and_are_removed_from_values() {
    let (left, seen) = take_labels("defcontext=\"a_t,b\",nr_inodes=4");
    assert_eq!(left, "nr_inodes=4");
    assert_eq!(seen, ["defcontext=a_t,b"]);
}

#[test]
fn prefixes_and_empty_options_are_the_filesystems() {
    let (left, seen) = take_labels("contextx=a,xcontext=b,,context");
    assert_eq!(left, "contextx=a,xcontext=b,");
    assert_eq!(seen, ["context="]);
    assert_eq!(
        parse_option(b"context"),
        ParsedOption::Label(MountLabel::Context, None)
    );
    assert_eq!(parse_option(b"seclabel"), ParsedOption::Other);
}

#[test]
fn an_error_stops_the_walk() {
    let mut buf = Vec::from(&b"a,context=x,b"[..]);
    let mut calls = 0;
    let result = take_options(&mut buf, |option| {
        calls += 1;
        match parse_option(option) {
            ParsedOption::Label(..) => Err("bad"),
            ParsedOption::Other => Ok(false),
        }
    });
    assert_eq!(result, Err("bad"));
    assert_eq!(calls, 2);
}

#[test]
fn every_option_is_found_by_its_name() {
    for which in MountLabel::ALL {
        assert_eq!(MountLabel::from_key(which.name().as_bytes()), Some(which));
    }
    assert_eq!(MountLabel::from_key(b"source"), None);
}

#[test]
fn unquote_refuses_what_does_not_fit() {
    let mut out = [0u8; 3];
    assert_eq!(unquote(b"\"ab\"", &mut out), Some(&b"ab"[..]));
    assert_eq!(unquote(b"abcd", &mut out), None);
}

#[test]
fn an_option_given_twice_or_context_with_defcontext_is_refused() {
    let mut labels = MountLabels::NONE;
    labels.set(MountLabel::Context, 5).unwrap();
    assert_eq!(
        labels.set(MountLabel::Context, 5),
        Err(OptionError::Duplicate)
    );
    assert_eq!(
        labels.set(MountLabel::DefContext, 6),
        Err(OptionError::Duplicate)
    );
    labels.set(MountLabel::FsContext, 7).unwrap();
    assert_eq!(
        labels.set(MountLabel::FsContext, 7),
        Err(OptionError::Duplicate)
    );
    labels.set(MountLabel::RootContext, 8).unwrap();
    assert_eq!(labels.get(MountLabel::Context), Some(5));
    assert_eq!(labels.get(MountLabel::RootContext), Some(8));

    let mut def = MountLabels::NONE;
    def.set(MountLabel::DefContext, 6).unwrap();
    assert_eq!(def.set(MountLabel::Context, 5), Err(OptionError::Duplicate));
}

#[test]
fn a_second_mount_must_name_the_same_labels() {
    let none = MountLabels::NONE;
    let mut ctx = MountLabels::NONE;
    ctx.set(MountLabel::Context, 5).unwrap();
    let mut other = MountLabels::NONE;
    other.set(MountLabel::Context, 6).unwrap();
    let mut fs = MountLabels::NONE;
    fs.set(MountLabel::FsContext, 5).unwrap();

    // Set up without options: only a mount without options.
    assert!(none.admits_mount(None));
    assert!(none.admits_mount(Some(&none)));
    assert!(!none.admits_mount(Some(&ctx)));
    // Set up with context=: the same, not another, not none.
    assert!(ctx.admits_mount(Some(&ctx)));
    assert!(!ctx.admits_mount(Some(&other)));
    assert!(!ctx.admits_mount(Some(&fs)));
    assert!(!ctx.admits_mount(None));
}

#[test]
fn a_remount_may_leave_labels_out_but_not_change_them() {
    let mut ctx = MountLabels::NONE;
    ctx.set(MountLabel::Context, 5).unwrap();
    ctx.set(MountLabel::RootContext, 9).unwrap();
    let mut same = MountLabels::NONE;
    same.set(MountLabel::Context, 5).unwrap();
    let mut other = MountLabels::NONE;
    other.set(MountLabel::Context, 6).unwrap();

    assert!(ctx.admits_remount(None));
    assert!(ctx.admits_remount(Some(&same)));
    assert!(!ctx.admits_remount(Some(&other)));
    assert!(!MountLabels::NONE.admits_remount(Some(&same)));
    assert!(MountLabels::NONE.admits_remount(None));
}

#[test]
fn keys_are_the_names_in_order() {
    for (which, key) in MountLabel::ALL.into_iter().zip(MountLabel::KEYS) {
        assert_eq!(which.name().as_bytes(), key);
        assert_eq!(MountLabel::from_key(key), Some(which));
        assert!(!key.contains(&0));
    }
}
