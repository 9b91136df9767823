// SPDX-License-Identifier: GPL-2.0

//! AVC statistics: `avc/cache_stats` (SELinux's format: a header line of
//! names, then one line of numbers per CPU or one in all — rows are
//! summed) and `avc/hash_stats` (`key: value` lines).

use std::fmt::Write as _;

use anyhow::{bail, Context, Result};

/// `avc/cache_stats`, summed over its rows, in header order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CacheStats {
    /// `(name, total)` in header order.
    pub counters: Vec<(String, u64)>,
}

impl CacheStats {
    /// Parses `avc/cache_stats`.
    pub fn parse(text: &str) -> Result<CacheStats> {
        let mut lines = text.lines().filter(|l| !l.trim().is_empty());
        let header: Vec<&str> = lines
            .next()
            .context("avc/cache_stats is empty")?
            .split_whitespace()
            .collect();
        let mut totals = vec![0u64; header.len()];
        for line in lines {
            let nums: Vec<&str> = line.split_whitespace().collect();
            if nums.len() != header.len() {
                bail!(
                    "avc/cache_stats: row `{line}` has {} fields, header has {}",
                    nums.len(),
                    header.len()
                );
            }
            for (t, n) in totals.iter_mut().zip(nums) {
                let v: u64 = n
                    .parse()
                    .with_context(|| format!("avc/cache_stats: `{n}` is not a number"))?;
                *t = t.saturating_add(v);
            }
        }
        Ok(CacheStats {
            counters: header.into_iter().map(String::from).zip(totals).collect(),
        })
    }

    /// The total of counter `name`.
    pub fn get(&self, name: &str) -> Option<u64> {
        self.counters.iter().find(|(k, _)| k == name).map(|c| c.1)
    }
}

/// Formats both files for `avc-stats`: one `name: value` per line, the
/// hit ratio after `hits`.
pub fn format_stats(cache: &CacheStats, hash: &str) -> String {
    let mut s = String::new();
    let width = cache
        .counters
        .iter()
        .map(|(k, _)| k.len())
        .chain(
            hash.lines()
                .filter_map(|l| l.split_once(':'))
                .map(|(k, _)| k.trim().len()),
        )
        .max()
        .unwrap_or(0)
        + 1;
    let lookups = cache.get("lookups").unwrap_or(0);
    for (k, v) in &cache.counters {
        let key = format!("{k}:");
        let _ = write!(s, "{key:<width$} {v}");
        if k == "hits" && lookups > 0 {
            let _ = write!(
                s,
                " ({:.1}% of lookups)",
                *v as f64 * 100.0 / lookups as f64
            );
        }
        s.push('\n');
    }
    for line in hash.lines() {
        match line.split_once(':') {
            Some((k, v)) => {
                let key = format!("{}:", k.trim());
                let _ = writeln!(s, "{key:<width$} {}", v.trim());
            }
            None if !line.trim().is_empty() => {
                let _ = writeln!(s, "{}", line.trim());
            }
            None => {}
        }
    }
    s
}

/// Both files as one JSON object: `cache` (the summed counters), `hash`
/// (`key: value` lines, keys with `_` for spaces, numbers as numbers) and
/// `hit_ratio` (hits / lookups, null before the first lookup).
pub fn stats_json(cache: &CacheStats, hash: &str) -> serde_json::Value {
    use crate::status::{json_key, json_value};
    let counters: serde_json::Map<String, serde_json::Value> = cache
        .counters
        .iter()
        .map(|(k, v)| (k.clone(), (*v).into()))
        .collect();
    let hash: serde_json::Map<String, serde_json::Value> = hash
        .lines()
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (json_key(k), json_value(v.trim())))
        .collect();
    let ratio = match (cache.get("hits"), cache.get("lookups")) {
        (Some(h), Some(l)) if l > 0 => serde_json::json!(h as f64 / l as f64),
        _ => serde_json::Value::Null,
    };
    serde_json::json!({ "cache": counters, "hash": hash, "hit_ratio": ratio })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sums_rows() {
        let c = CacheStats::parse(
            "lookups hits misses allocations reclaims frees\n10 8 2 2 0 0\n5 5 0 0 0 1\n",
        )
        .unwrap();
        assert_eq!(c.get("lookups"), Some(15));
        assert_eq!(c.get("hits"), Some(13));
        assert_eq!(c.get("frees"), Some(1));
        let text = format_stats(&c, "entries: 2\nbuckets used: 2/512\nlongest chain: 1\n");
        assert!(
            text.contains("hits:          13 (86.7% of lookups)"),
            "{text}"
        );
        assert!(text.contains("buckets used:  2/512"), "{text}");
        assert!(text.contains("longest chain: 1"), "{text}");
        let v = stats_json(&c, "entries: 2\nbuckets used: 2/512\n");
        assert_eq!(v["cache"]["hits"], 13);
        assert_eq!(v["hash"]["entries"], 2);
        assert_eq!(v["hash"]["buckets_used"], "2/512");
        assert!((v["hit_ratio"].as_f64().unwrap() - 13.0 / 15.0).abs() < 1e-9);
    }

    #[test]
    fn rejects_garbage() {
        assert!(CacheStats::parse("").is_err());
        assert!(CacheStats::parse("a b\n1\n").is_err());
        assert!(CacheStats::parse("a b\n1 x\n").is_err());
    }
}
