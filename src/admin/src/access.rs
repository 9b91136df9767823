// SPDX-License-Identifier: GPL-2.0

//! Access decisions: the `access` transaction file's answer
//! (`allowed=0xHEX auditallow=0xHEX auditdeny=0xHEX flags=0xHEX seqno=N`),
//! or one computed from a policy file, and their human form.

use std::fmt::Write as _;

use anyhow::{bail, Context, Result};
use carapace_core::classmap::KernelClass;
use carapace_core::policy::PolicyDb;

use crate::perm_set;

/// `flags` bit: the source domain is permissive.
pub const FLAG_PERMISSIVE: u32 = 1;

/// One access decision, in kernel permission bits.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Decision {
    /// Granted permissions.
    pub allowed: u32,
    /// Granted permissions audited when used.
    pub auditallow: u32,
    /// Permissions audited when denied (the rest are `dontaudit`).
    pub auditdeny: u32,
    /// Decision flags ([`FLAG_PERMISSIVE`]).
    pub flags: u32,
    /// Policy sequence number the decision was computed under (`None`
    /// when computed from a policy file).
    pub seqno: Option<u64>,
}

fn hex(v: &str) -> Result<u32> {
    let d = v
        .strip_prefix("0x")
        .or_else(|| v.strip_prefix("0X"))
        .unwrap_or(v);
    u32::from_str_radix(d, 16).with_context(|| format!("bad hex value `{v}`"))
}

impl Decision {
    /// Parses the kernel's answer: the last line with an `allowed=` field
    /// (so an echo of the query before it is skipped). Keys may come in
    /// any order; unknown keys are ignored.
    pub fn parse(text: &str) -> Result<Decision> {
        let text = text
            .lines()
            .rev()
            .find(|l| l.split_whitespace().any(|t| t.starts_with("allowed=")))
            .with_context(|| format!("access answer without `allowed=`: `{}`", text.trim()))?;
        let mut d = Decision {
            auditdeny: u32::MAX,
            ..Decision::default()
        };
        for tok in text.split_whitespace() {
            let Some((k, v)) = tok.split_once('=') else {
                bail!("malformed access answer `{}`", text.trim());
            };
            match k {
                "allowed" => d.allowed = hex(v)?,
                "auditallow" => d.auditallow = hex(v)?,
                "auditdeny" => d.auditdeny = hex(v)?,
                "flags" => d.flags = hex(v)?,
                "seqno" => d.seqno = Some(v.parse().with_context(|| format!("bad seqno `{v}`"))?),
                _ => {}
            }
        }
        Ok(d)
    }

    /// Computes the decision from a policy, as the kernel would.
    pub fn compute(db: &PolicyDb<'_>, src: &str, tgt: &str, class: KernelClass) -> Result<Self> {
        let s = db
            .type_by_name(src.as_bytes())
            .with_context(|| format!("type `{src}` is not defined in the policy"))?;
        let t = db
            .type_by_name(tgt.as_bytes())
            .with_context(|| format!("type `{tgt}` is not defined in the policy"))?;
        let av = db.compute_av(s, t, class);
        Ok(Decision {
            allowed: av.allowed,
            auditallow: av.auditallow,
            auditdeny: av.auditdeny,
            flags: if db.is_permissive(s) {
                FLAG_PERMISSIVE
            } else {
                0
            },
            seqno: None,
        })
    }

    /// The kernel's one-line form.
    pub fn raw(&self) -> String {
        let mut s = format!(
            "allowed={:#x} auditallow={:#x} auditdeny={:#x} flags={:#x}",
            self.allowed, self.auditallow, self.auditdeny, self.flags
        );
        if let Some(n) = self.seqno {
            let _ = write!(s, " seqno={n}");
        }
        s
    }

    /// Human form, permissions by name (only the class's defined bits
    /// are listed as denied / dontaudit).
    pub fn describe(&self, src: &str, tgt: &str, class: KernelClass) -> String {
        let all = class.all_perms();
        let mut s = String::new();
        let _ = writeln!(s, "{src} {tgt} : {}", class.name());
        let _ = writeln!(s, "  allowed:    {}", perm_set(class, self.allowed));
        let _ = writeln!(s, "  denied:     {}", perm_set(class, all & !self.allowed));
        let _ = writeln!(s, "  auditallow: {}", perm_set(class, self.auditallow));
        let _ = writeln!(
            s,
            "  dontaudit:  {}",
            perm_set(class, all & !self.auditdeny)
        );
        let mut tail = format!("  flags:      {:#x}", self.flags);
        if self.flags & FLAG_PERMISSIVE != 0 {
            tail.push_str(" (permissive domain)");
        }
        let _ = writeln!(s, "{tail}");
        if let Some(n) = self.seqno {
            let _ = writeln!(s, "  seqno:      {n}");
        }
        s
    }

    /// The decision as one JSON object, permissions by name (bits the
    /// classmap does not name are left out of the lists but kept in the
    /// numeric fields); `missing` are the asked-for permissions not
    /// allowed.
    pub fn to_json(
        &self,
        src: &str,
        tgt: &str,
        class: KernelClass,
        missing: &[String],
    ) -> serde_json::Value {
        let names = |mask: u32| -> Vec<&'static str> {
            (0..32)
                .filter(|b| mask & (1u32 << b) != 0)
                .filter_map(|b| class.perm_name(b))
                .collect()
        };
        let all = class.all_perms();
        serde_json::json!({
            "source": src,
            "target": tgt,
            "class": class.name(),
            "allowed": names(self.allowed),
            "denied": names(all & !self.allowed),
            "auditallow": names(self.auditallow),
            "dontaudit": names(all & !self.auditdeny),
            "permissive": self.flags & FLAG_PERMISSIVE != 0,
            "raw": {
                "allowed": self.allowed,
                "auditallow": self.auditallow,
                "auditdeny": self.auditdeny,
                "flags": self.flags,
            },
            "seqno": self.seqno,
            "missing": missing,
        })
    }

    /// Permissions in `names` that are not allowed; errors on a name the
    /// class does not have.
    pub fn missing(&self, class: KernelClass, names: &[String]) -> Result<Vec<String>> {
        let mut out = Vec::new();
        for n in names {
            let bit = class
                .perm_names()
                .iter()
                .position(|p| p == n)
                .with_context(|| format!("`{n}` is not a permission of class {}", class.name()))?;
            if self.allowed & (1u32 << bit) == 0 {
                out.push(n.clone());
            }
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_and_describe() {
        let d = Decision::parse(
            "allowed=0x100 auditallow=0x0 auditdeny=0xfffffeff flags=0x0 seqno=3\n",
        )
        .unwrap();
        assert_eq!(d.allowed, 0x100);
        assert_eq!(d.seqno, Some(3));
        let text = d.describe("cr_allowed_t", "cr_allowed_t", KernelClass::Capability2);
        assert!(
            text.contains("allowed:    { checkpoint_restore }"),
            "{text}"
        );
        assert!(
            text.contains("dontaudit:  { checkpoint_restore }"),
            "{text}"
        );
        assert!(
            text.contains("denied:     { mac_override mac_admin"),
            "{text}"
        );
        assert!(text.contains("seqno:      3"), "{text}");
        assert_eq!(
            d.raw(),
            "allowed=0x100 auditallow=0x0 auditdeny=0xfffffeff flags=0x0 seqno=3"
        );
    }

    #[test]
    fn parse_any_order_and_errors() {
        let d = Decision::parse("seqno=9 flags=0x1 allowed=0x3 extra=1").unwrap();
        assert_eq!((d.allowed, d.flags, d.auditdeny), (3, 1, u32::MAX));
        assert!(Decision::parse("").is_err());
        assert!(Decision::parse("allowed=zz").is_err());
        assert!(Decision::parse("hello world").is_err());
        assert!(Decision::parse("allowed=0x1 junk").is_err());
        let d = Decision::parse("a_t b_t file\nallowed=0x2 seqno=1\n").unwrap();
        assert_eq!((d.allowed, d.seqno), (2, Some(1)));
    }

    #[test]
    fn unknown_bits_in_hex() {
        let d = Decision {
            allowed: 0x8000_0100,
            ..Decision::default()
        };
        let text = d.describe("a", "b", KernelClass::Capability2);
        assert!(
            text.contains("allowed:    { checkpoint_restore 0x80000000 }"),
            "{text}"
        );
    }

    #[test]
    fn missing_perms() {
        let d = Decision {
            allowed: 0x100,
            ..Decision::default()
        };
        let c = KernelClass::Capability2;
        let m = d
            .missing(c, &["checkpoint_restore".into(), "bpf".into()])
            .unwrap();
        assert_eq!(m, vec!["bpf".to_string()]);
        assert!(d.missing(c, &["read".into()]).is_err());
    }
}
