// SPDX-License-Identifier: GPL-2.0

//! The `status` file: `key: value` lines.

/// What `status` says, parsed (the raw text is printed as is).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Status {
    /// `enforcing: 0|1`.
    pub enforcing: Option<bool>,
    /// `policy: loaded|none`.
    pub policy_loaded: Option<bool>,
    /// Every `key: value` pair, in file order.
    pub fields: Vec<(String, String)>,
}

/// Exit code of `status --check`: enforcing with a policy loaded.
pub const EXIT_ENFORCING: i32 = 0;
/// Exit code of `status --check`: a policy is loaded, permissive mode.
pub const EXIT_PERMISSIVE: i32 = 3;
/// Exit code of `status --check`: no policy loaded (everything allowed).
pub const EXIT_NO_POLICY: i32 = 4;

impl Status {
    /// Parses the `status` file. Unknown keys are kept; lines without a
    /// colon are ignored.
    pub fn parse(text: &str) -> Status {
        let mut st = Status::default();
        for line in text.lines() {
            let Some((k, v)) = line.split_once(':') else {
                continue;
            };
            let (k, v) = (k.trim(), v.trim());
            match k {
                "enforcing" => st.enforcing = parse_bool(v),
                "policy" => {
                    // The first word; the kernel may explain after it.
                    st.policy_loaded = match v.split_whitespace().next().unwrap_or("") {
                        "loaded" => Some(true),
                        "none" => Some(false),
                        _ => None,
                    }
                }
                _ => {}
            }
            st.fields.push((k.to_string(), v.to_string()));
        }
        st
    }

    /// The value of `key`, if present.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// Exit code for `status --check`: [`EXIT_NO_POLICY`] when no policy
    /// is loaded, else [`EXIT_PERMISSIVE`] or [`EXIT_ENFORCING`]. `None`
    /// when the file does not say.
    pub fn check_code(&self) -> Option<i32> {
        match (self.policy_loaded?, self.enforcing?) {
            (false, _) => Some(EXIT_NO_POLICY),
            (true, false) => Some(EXIT_PERMISSIVE),
            (true, true) => Some(EXIT_ENFORCING),
        }
    }
}

/// A `key: value` value as JSON: a number when it is one, else the
/// string.
pub fn json_value(v: &str) -> serde_json::Value {
    match v.parse::<u64>() {
        Ok(n) => n.into(),
        Err(_) => v.into(),
    }
}

/// A `key: value` key as a JSON member name: `buckets used` →
/// `buckets_used`.
pub fn json_key(k: &str) -> String {
    k.split_whitespace().collect::<Vec<_>>().join("_")
}

impl Status {
    /// The status as one JSON object: every field in file order (numbers
    /// as numbers), `enforcing` as a boolean, and `policy_loaded`.
    pub fn to_json(&self) -> serde_json::Value {
        let mut m = serde_json::Map::new();
        for (k, v) in &self.fields {
            m.insert(json_key(k), json_value(v));
        }
        if let Some(e) = self.enforcing {
            m.insert("enforcing".into(), e.into());
        }
        if let Some(p) = self.policy_loaded {
            m.insert("policy_loaded".into(), p.into());
        }
        serde_json::Value::Object(m)
    }
}

/// `0`/`1` → bool.
pub fn parse_bool(v: &str) -> Option<bool> {
    match v.trim() {
        "0" => Some(false),
        "1" => Some(true),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_status() {
        let st = Status::parse(
            "enforcing: 1\npolicy: loaded\nseqno: 4\npolicy_size: 2048\ntypes: 31\navc_entries: 7\n",
        );
        assert_eq!(st.enforcing, Some(true));
        assert_eq!(st.policy_loaded, Some(true));
        assert_eq!(st.get("seqno"), Some("4"));
        assert_eq!(st.get("avc_entries"), Some("7"));
        assert_eq!(st.check_code(), Some(EXIT_ENFORCING));
    }

    #[test]
    fn check_codes() {
        let p = Status::parse("enforcing: 0\npolicy: loaded\n");
        assert_eq!(p.check_code(), Some(EXIT_PERMISSIVE));
        let n = Status::parse(
            "enforcing: 1\npolicy: none (all accesses allowed until one is loaded)\nseqno: 0\n",
        );
        assert_eq!(n.check_code(), Some(EXIT_NO_POLICY));
        let bad = Status::parse("garbage\nenforcing: maybe\n");
        assert_eq!(bad.check_code(), None);
    }

    #[test]
    fn json() {
        let n = Status::parse(
            "enforcing: 1\npolicy: none (all accesses allowed until one is loaded)\nseqno: 0\n",
        );
        let v = n.to_json();
        assert_eq!(v["enforcing"], true);
        assert_eq!(v["policy_loaded"], false);
        assert_eq!(v["seqno"], 0);
        assert_eq!(
            v["policy"],
            "none (all accesses allowed until one is loaded)"
        );
    }
}
