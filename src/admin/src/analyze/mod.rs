// SPDX-License-Identifier: GPL-2.0

//! `carapacectl analyze`: questions about a policy, source or binary, as
//! setools asks them of an SELinux policy: which rules match (`search`,
//! sesearch), which domains can get a permission and through which
//! transitions (`reach`, sedta), what changed between two policies
//! (`diff`, sediff) and what a policy holds (`info`, seinfo).
//!
//! Each question reads a [`Model`]: sources are compiled with the
//! compiler's library (rules as written, with file and line), a binary is
//! validated with the core's parser and read as it is.

pub mod diff;
pub mod info;
pub mod load;
pub mod model;
pub mod reach;
pub mod search;

pub use load::load;
pub use model::Model;
