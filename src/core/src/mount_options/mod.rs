// SPDX-License-Identifier: GPL-2.0

//! Mount options that name labels, as SELinux has them: `context=`,
//! `fscontext=`, `defcontext=` and `rootcontext=`, each naming a type of
//! the policy.
//!
//! - `fscontext=T` labels the filesystem (its superblock) `T`;
//! - `context=T` labels every file of the filesystem `T`, whatever their
//!   attributes say, and new files too (and the filesystem, unless
//!   `fscontext=` is given);
//! - `defcontext=T` labels the files that have no label attribute `T`
//!   instead of the policy's type for the filesystem;
//! - `rootcontext=T` labels the root directory `T`.
//!
//! `context=` and `defcontext=` exclude each other, and no option may be
//! given twice. A superblock keeps the labels of the mount that set it up:
//! a later mount of the same superblock (or a remount) must name the same
//! labels again, or none at all for a remount.
//!
//! This module finds the options in a mount's option string, takes them
//! out of it, and compares the labels of two mounts; the kernel glue maps
//! the names to SIDs.

use crate::sid_table::Sid;

#[cfg(test)]
mod tests;

/// One of the label options.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MountLabel {
    /// `fscontext=`: the filesystem's label.
    FsContext,
    /// `context=`: the label of every file, and of the filesystem.
    Context,
    /// `defcontext=`: the label of files without a label attribute.
    DefContext,
    /// `rootcontext=`: the root directory's label.
    RootContext,
}

impl MountLabel {
    /// Every option, in the order `/proc/mounts` shows them.
    pub const ALL: [Self; 4] = [
        Self::FsContext,
        Self::Context,
        Self::DefContext,
        Self::RootContext,
    ];

    /// The names of the options, as [`Self::ALL`] orders them.
    pub const KEYS: [&'static [u8]; 4] = [
        Self::FsContext.name().as_bytes(),
        Self::Context.name().as_bytes(),
        Self::DefContext.name().as_bytes(),
        Self::RootContext.name().as_bytes(),
    ];

    /// The option's name, without `=`.
    pub const fn name(self) -> &'static str {
        match self {
            Self::FsContext => "fscontext",
            Self::Context => "context",
            Self::DefContext => "defcontext",
            Self::RootContext => "rootcontext",
        }
    }

    /// The option named `key`, if it is one of these. Only the module's
    /// own options come here: the framework sorts them out first, by
    /// [`Self::KEYS`].
    pub fn from_key(key: &[u8]) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|which| which.name().as_bytes() == key)
    }
}

/// Why a set of options is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OptionError {
    /// The option was given twice, or `context=` with `defcontext=`.
    Duplicate,
}

/// The labels a mount's options name; each `None` when not given.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct MountLabels {
    /// `fscontext=`.
    pub fscontext: Option<Sid>,
    /// `context=`.
    pub context: Option<Sid>,
    /// `defcontext=`.
    pub defcontext: Option<Sid>,
    /// `rootcontext=`.
    pub rootcontext: Option<Sid>,
}

impl MountLabels {
    /// No option given.
    pub const NONE: Self = Self {
        fscontext: None,
        context: None,
        defcontext: None,
        rootcontext: None,
    };

    /// The label option `which` names, if given.
    pub const fn get(&self, which: MountLabel) -> Option<Sid> {
        match which {
            MountLabel::FsContext => self.fscontext,
            MountLabel::Context => self.context,
            MountLabel::DefContext => self.defcontext,
            MountLabel::RootContext => self.rootcontext,
        }
    }

    /// Records option `which` naming `sid`. Refused when `which` was given
    /// already, and for `context=` with `defcontext=` (a filesystem's
    /// files have one label or are labelled by attribute, not both).
    pub fn set(&mut self, which: MountLabel, sid: Sid) -> Result<(), OptionError> {
        let exclusive = match which {
            MountLabel::Context | MountLabel::DefContext => {
                self.context.is_some() || self.defcontext.is_some()
            }
            MountLabel::FsContext => self.fscontext.is_some(),
            MountLabel::RootContext => self.rootcontext.is_some(),
        };
        if exclusive {
            return Err(OptionError::Duplicate);
        }
        let slot = match which {
            MountLabel::FsContext => &mut self.fscontext,
            MountLabel::Context => &mut self.context,
            MountLabel::DefContext => &mut self.defcontext,
            MountLabel::RootContext => &mut self.rootcontext,
        };
        *slot = Some(sid);
        Ok(())
    }

    /// Whether no option was given.
    pub const fn is_empty(&self) -> bool {
        self.fscontext.is_none()
            && self.context.is_none()
            && self.defcontext.is_none()
            && self.rootcontext.is_none()
    }

    /// Whether every option `other` gives names the label this set
    /// gives for it.
    pub fn includes(&self, other: &Self) -> bool {
        MountLabel::ALL
            .into_iter()
            .all(|which| other.get(which).is_none() || other.get(which) == self.get(which))
    }

    /// Whether a new mount of a superblock set up with these options may
    /// name `new` (`None`: no label option): the same labels, or none when
    /// the superblock was set up without any. SELinux's `bad_option()`.
    pub fn admits_mount(&self, new: Option<&Self>) -> bool {
        match new {
            None => self.is_empty(),
            Some(new) => self.includes(new),
        }
    }

    /// Whether a remount of a superblock set up with these options may
    /// name `new`: it may leave options out, but not change them.
    pub fn admits_remount(&self, new: Option<&Self>) -> bool {
        match new {
            None => true,
            Some(new) => self.includes(new),
        }
    }
}

/// What one option of a mount's option string is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ParsedOption<'a> {
    /// A label option and its value (double quotes not yet removed), or
    /// `None` when the option has no `=`.
    Label(MountLabel, Option<&'a [u8]>),
    /// Any other option: the filesystem's.
    Other,
}

/// Classifies one option of a mount's option string (`key[=value]`).
pub fn parse_option(option: &[u8]) -> ParsedOption<'_> {
    let (key, value) = match option.iter().position(|&b| b == b'=') {
        Some(eq) => (
            option.get(..eq).unwrap_or_default(),
            option.get(eq.saturating_add(1)..),
        ),
        None => (option, None),
    };
    match MountLabel::from_key(key) {
        Some(which) => ParsedOption::Label(which, value),
        None => ParsedOption::Other,
    }
}

/// Copies `value` without its double quotes into `out`; `None` when it
/// does not fit.
pub fn unquote<'o>(value: &[u8], out: &'o mut [u8]) -> Option<&'o [u8]> {
    let mut len = 0usize;
    for &b in value.iter().filter(|&&b| b != b'"') {
        *out.get_mut(len)? = b;
        len = len.checked_add(1)?;
    }
    out.get(..len)
}

/// The length of the option starting at `data`: up to the first comma
/// outside double quotes.
fn option_len(data: &[u8]) -> usize {
    let mut quoted = false;
    for (i, &b) in data.iter().enumerate() {
        match b {
            b'"' => quoted = !quoted,
            b',' if !quoted => return i,
            _ => {}
        }
    }
    data.len()
}

/// Takes the options `take` accepts out of the comma-separated option
/// string `data` (a comma inside double quotes separates nothing), moving
/// the others to the front, in order and separated by commas. Returns the
/// length of what is left; `take`'s first error stops the walk (and leaves
/// `data` partly rewritten).
///
/// The legacy `mount(2)` path (`sb_eat_lsm_opts`): the filesystem parses
/// what is left.
pub fn take_options<E>(
    data: &mut [u8],
    mut take: impl FnMut(&[u8]) -> Result<bool, E>,
) -> Result<usize, E> {
    let mut from = 0usize;
    let mut to = 0usize;
    loop {
        let rest = data.get(from..).unwrap_or_default();
        let len = option_len(rest);
        let end = from.saturating_add(len);
        let taken = take(data.get(from..end).unwrap_or_default())?;
        if !taken {
            // Kept with its preceding comma unless it is the first kept.
            let start = if to > 0 { from.saturating_sub(1) } else { from };
            let kept = end.saturating_sub(start);
            if start != to {
                data.copy_within(start..end, to);
            }
            to = to.saturating_add(kept);
        }
        if end >= data.len() {
            return Ok(to);
        }
        from = end.saturating_add(1);
    }
}
