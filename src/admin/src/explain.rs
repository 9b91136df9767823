// SPDX-License-Identifier: GPL-2.0

//! `explain`: read carapace denial records (`carapace: denied { perms }
//! for key=value ...`, as printed to the kernel log or by auditd) and say
//! who was denied what, on which object, and which `allow` rule would
//! grant it.

use std::fmt::Write as _;

use carapace_core::classmap::cap_to_class_perm;

/// One denial record.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Denial {
    /// Denied permissions, as listed in `{ }`.
    pub perms: Vec<String>,
    /// The `key=value` fields after `for`, in order (quotes removed,
    /// hex-encoded untrusted strings decoded).
    pub fields: Vec<(String, String)>,
}

impl Denial {
    /// The value of field `key`.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// `permissive=1`: logged but allowed.
    pub fn permissive(&self) -> bool {
        self.get("permissive") == Some("1")
    }
}

const MARKER: &str = "carapace: denied";
/// Fields audit writes hex-encoded (unquoted) when they hold spaces or
/// control characters.
const UNTRUSTED: &[&str] = &["comm", "path", "name", "exe", "cmd"];

fn unhex(v: &str) -> Option<String> {
    if v.is_empty() || v.len() % 2 != 0 || !v.bytes().all(|c| c.is_ascii_hexdigit()) {
        return None;
    }
    let bytes: Option<Vec<u8>> = (0..v.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&v[i..i + 2], 16).ok())
        .collect();
    Some(String::from_utf8_lossy(&bytes?).into_owned())
}

/// Parses one line; `None` if it is not a carapace denial record.
pub fn parse_line(line: &str) -> Option<Denial> {
    let rest = &line[line.find(MARKER)? + MARKER.len()..];
    let open = rest.find('{')?;
    let close = rest[open..].find('}')? + open;
    let perms = rest[open + 1..close]
        .split_whitespace()
        .map(String::from)
        .collect();
    let mut s = rest[close + 1..].trim_start();
    s = s.strip_prefix("for").unwrap_or(s);
    let mut fields = Vec::new();
    loop {
        s = s.trim_start();
        if s.is_empty() {
            break;
        }
        let Some(eq) = s.find('=') else { break };
        let key = s[..eq].to_string();
        let after = &s[eq + 1..];
        let (value, next) = if let Some(q) = after.strip_prefix('"') {
            match q.find('"') {
                Some(end) => (q[..end].to_string(), &q[end + 1..]),
                None => (q.to_string(), ""),
            }
        } else {
            let end = after.find(char::is_whitespace).unwrap_or(after.len());
            let raw = &after[..end];
            let v = if UNTRUSTED.contains(&key.as_str()) {
                unhex(raw).unwrap_or_else(|| raw.to_string())
            } else {
                raw.to_string()
            };
            (v, &after[end..])
        };
        if key.contains(char::is_whitespace) {
            break;
        }
        fields.push((key, value));
        s = next;
    }
    Some(Denial { perms, fields })
}

/// Denials grouped by (scontext, tcontext, tclass).
#[derive(Clone, Debug, Default)]
pub struct Group {
    /// Source domain.
    pub scontext: String,
    /// Target type.
    pub tcontext: String,
    /// Class.
    pub tclass: String,
    /// Denied permissions, first-seen order, no duplicates.
    pub perms: Vec<String>,
    /// Number of records.
    pub count: usize,
    /// Records with permissive=1 / permissive=0.
    pub permissive: usize,
    /// `comm (pid N)` of the processes, first-seen order.
    pub who: Vec<String>,
    /// Object descriptions, first-seen order.
    pub objects: Vec<String>,
}

fn push_unique(v: &mut Vec<String>, s: String) {
    if !v.contains(&s) {
        v.push(s);
    }
}

fn describe_object(d: &Denial) -> Option<String> {
    let mut parts = Vec::new();
    if let Some(c) = d.get("capability") {
        let name = c
            .parse::<u32>()
            .ok()
            .and_then(|n| {
                let (class, mask) = cap_to_class_perm(n, true)?;
                class.perm_name(mask.trailing_zeros())
            })
            .map(|n| format!(" (CAP_{})", n.to_ascii_uppercase()))
            .unwrap_or_default();
        parts.push(format!("capability={c}{name}"));
    }
    if let Some(family) = d.get("family") {
        parts.push(describe_socket(d, family));
    }
    if let Some(key) = d.get("key") {
        parts.push(format!("System V IPC key={key}"));
    }
    for k in ["path", "name", "dev", "ino", "signal", "opid", "ocomm"] {
        if let Some(v) = d.get(k) {
            if matches!(k, "path" | "name" | "ocomm") {
                parts.push(format!("{k}=\"{v}\""));
            } else {
                parts.push(format!("{k}={v}"));
            }
        }
    }
    (!parts.is_empty()).then(|| parts.join(" "))
}

/// A socket record's object: its family, and the netlink message type
/// (with its name, for the families whose types are checked) or the port.
fn describe_socket(d: &Denial, family: &str) -> String {
    let mut text = format!("{family} socket");
    if let Some(kind) = d.get("nlmsg_type") {
        let name = kind
            .parse::<u16>()
            .ok()
            .and_then(|t| netlink_type_name(d.get("tclass")?, t))
            .map(|n| format!(" ({n})"))
            .unwrap_or_default();
        text.push_str(&format!(", message type {kind}{name}"));
    }
    if let Some(port) = d.get("src") {
        text.push_str(&format!(", binding port {port}"));
    }
    if let Some(port) = d.get("dest") {
        text.push_str(&format!(", connecting to port {port}"));
    }
    text
}

/// The name of a well-known netlink message type of the family of socket
/// class `class`.
fn netlink_type_name(class: &str, t: u16) -> Option<&'static str> {
    match (class, t) {
        ("netlink_tcpdiag_socket", 18) => Some("TCPDIAG_GETSOCK"),
        ("netlink_tcpdiag_socket", 19) => Some("DCCPDIAG_GETSOCK"),
        ("netlink_tcpdiag_socket", 20) => Some("SOCK_DIAG_BY_FAMILY"),
        ("netlink_tcpdiag_socket", 21) => Some("SOCK_DESTROY"),
        ("netlink_route_socket", 88) => Some("RTM_NEWNSID"),
        ("netlink_route_socket", 89) => Some("RTM_DELNSID"),
        ("netlink_route_socket", 90) => Some("RTM_GETNSID"),
        ("netlink_route_socket", 16..=39) => {
            const NAMES: [&str; 24] = [
                "RTM_NEWLINK",
                "RTM_DELLINK",
                "RTM_GETLINK",
                "RTM_SETLINK",
                "RTM_NEWADDR",
                "RTM_DELADDR",
                "RTM_GETADDR",
                "RTM_SETADDR",
                "RTM_NEWROUTE",
                "RTM_DELROUTE",
                "RTM_GETROUTE",
                "RTM_SETROUTE",
                "RTM_NEWNEIGH",
                "RTM_DELNEIGH",
                "RTM_GETNEIGH",
                "RTM_SETNEIGH",
                "RTM_NEWRULE",
                "RTM_DELRULE",
                "RTM_GETRULE",
                "RTM_SETRULE",
                "RTM_NEWQDISC",
                "RTM_DELQDISC",
                "RTM_GETQDISC",
                "RTM_SETQDISC",
            ];
            NAMES.get(usize::from(t - 16)).copied()
        }
        ("netlink_audit_socket", 1000) => Some("AUDIT_GET"),
        ("netlink_audit_socket", 1001) => Some("AUDIT_SET"),
        ("netlink_audit_socket", 1005) => Some("AUDIT_USER"),
        ("netlink_audit_socket", 1011) => Some("AUDIT_ADD_RULE"),
        ("netlink_audit_socket", 1012) => Some("AUDIT_DEL_RULE"),
        ("netlink_audit_socket", 1013) => Some("AUDIT_LIST_RULES"),
        ("netlink_audit_socket", 1100..=1199 | 2100..=2999) => Some("a user-space audit message"),
        _ => None,
    }
}

/// Groups the denial records found in `text`.
pub fn collect(text: &str) -> Vec<Group> {
    let mut groups: Vec<Group> = Vec::new();
    for d in text.lines().filter_map(parse_line) {
        let s = d.get("scontext").unwrap_or("?").to_string();
        let t = d.get("tcontext").unwrap_or("?").to_string();
        let c = d.get("tclass").unwrap_or("?").to_string();
        let i = match groups
            .iter()
            .position(|g| g.scontext == s && g.tcontext == t && g.tclass == c)
        {
            Some(i) => i,
            None => {
                groups.push(Group {
                    scontext: s,
                    tcontext: t,
                    tclass: c,
                    ..Group::default()
                });
                groups.len() - 1
            }
        };
        let g = &mut groups[i];
        g.count += 1;
        if d.permissive() {
            g.permissive += 1;
        }
        for p in &d.perms {
            push_unique(&mut g.perms, p.clone());
        }
        let comm = d.get("comm").unwrap_or("?");
        let who = match d.get("pid") {
            Some(pid) => format!("{comm} (pid {pid})"),
            None => comm.to_string(),
        };
        push_unique(&mut g.who, who);
        if let Some(o) = describe_object(&d) {
            push_unique(&mut g.objects, o);
        }
    }
    groups
}

impl Group {
    /// The rule that would grant every permission denied in this group.
    pub fn allow_rule(&self) -> String {
        let target = if self.tcontext == self.scontext {
            "self"
        } else {
            &self.tcontext
        };
        format!(
            "allow {} {}:{} {{ {} }};",
            self.scontext,
            target,
            self.tclass,
            self.perms.join(" ")
        )
    }
}

const MAX_LISTED: usize = 5;

fn list(v: &[String]) -> String {
    let mut s = v
        .iter()
        .take(MAX_LISTED)
        .cloned()
        .collect::<Vec<_>>()
        .join(", ");
    if v.len() > MAX_LISTED {
        let _ = write!(s, " and {} more", v.len() - MAX_LISTED);
    }
    s
}

/// The human summary of `groups`.
pub fn report(groups: &[Group]) -> String {
    report_with_notes(groups, |_| Vec::new())
}

/// The human summary of `groups`, each suggested rule followed by the
/// lines `notes` gives for its group (e.g. the neverallow rules it would
/// break).
pub fn report_with_notes(groups: &[Group], notes: impl Fn(&Group) -> Vec<String>) -> String {
    let mut s = String::new();
    for g in groups {
        let _ = writeln!(
            s,
            "{} was denied {{ {} }} on {} (class {})",
            g.scontext,
            g.perms.join(" "),
            g.tcontext,
            g.tclass
        );
        let mode = match (g.permissive, g.count - g.permissive) {
            (0, _) => "enforcing: the access failed".to_string(),
            (_, 0) => "permissive: logged, then allowed".to_string(),
            (p, e) => format!("{e} enforcing (failed), {p} permissive (allowed)"),
        };
        let records = if g.count == 1 { "record" } else { "records" };
        let _ = writeln!(s, "  {} {records}, {mode}", g.count);
        let _ = writeln!(s, "  by:     {}", list(&g.who));
        if !g.objects.is_empty() {
            let _ = writeln!(s, "  object: {}", list(&g.objects));
        }
        let _ = writeln!(s, "  allowed by a rule such as:");
        let _ = writeln!(s, "    {}", g.allow_rule());
        for n in notes(g) {
            let _ = writeln!(s, "  {n}");
        }
        s.push('\n');
    }
    let n: usize = groups.iter().map(|g| g.count).sum();
    let _ = writeln!(
        s,
        "{n} denial record{} in {} group{}",
        if n == 1 { "" } else { "s" },
        groups.len(),
        if groups.len() == 1 { "" } else { "s" }
    );
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "audit: type=1400 audit(1700000000.123:42): carapace: denied { checkpoint_restore } for pid=77 comm=\"clone3_test\" capability=40 scontext=cr_denied_t tcontext=cr_denied_t tclass=capability2 permissive=0";

    #[test]
    fn parses_sample() {
        let d = parse_line(SAMPLE).unwrap();
        assert_eq!(d.perms, vec!["checkpoint_restore"]);
        assert_eq!(d.get("pid"), Some("77"));
        assert_eq!(d.get("comm"), Some("clone3_test"));
        assert_eq!(d.get("capability"), Some("40"));
        assert_eq!(d.get("tclass"), Some("capability2"));
        assert!(!d.permissive());
        assert!(parse_line("audit: type=1400 avc: denied { read }").is_none());
    }

    #[test]
    fn hex_comm_and_quoted_path() {
        let d = parse_line(
            "[ 5.1] carapace: denied { read open } for pid=3 comm=6D7920636F6D6D path=\"/tmp/a b\" dev=\"tmpfs\" ino=12 scontext=a_t tcontext=b_t tclass=file permissive=1",
        )
        .unwrap();
        assert_eq!(d.perms, vec!["read", "open"]);
        assert_eq!(d.get("comm"), Some("my comm"));
        assert_eq!(d.get("path"), Some("/tmp/a b"));
        assert_eq!(d.get("ino"), Some("12"));
        assert!(d.permissive());
    }

    #[test]
    fn groups_and_rules() {
        let text = format!(
            "{SAMPLE}\nnoise\n{}\n{}\n",
            SAMPLE.replace("checkpoint_restore", "bpf").replace("=40", "=39"),
            "carapace: denied { read } for pid=5 comm=\"cat\" path=\"/etc/x\" scontext=a_t tcontext=b_t tclass=file permissive=1",
        );
        let g = collect(&text);
        assert_eq!(g.len(), 2);
        assert_eq!(g[0].count, 2);
        assert_eq!(
            g[0].allow_rule(),
            "allow cr_denied_t self:capability2 { checkpoint_restore bpf };"
        );
        assert_eq!(g[1].allow_rule(), "allow a_t b_t:file { read };");
        let r = report(&g);
        assert!(r.contains("capability=40 (CAP_CHECKPOINT_RESTORE)"), "{r}");
        assert!(r.contains("by:     clone3_test (pid 77)"), "{r}");
        assert!(r.contains("permissive: logged, then allowed"), "{r}");
        assert!(r.contains("3 denial records in 2 groups"), "{r}");
    }

    #[test]
    fn socket_and_ipc_records() {
        let text = [
            "carapace: denied { connectto } for pid=77 comm=\"lsm-probe\" family=unix scontext=net_denied_t tcontext=net_server_t tclass=unix_stream_socket permissive=0",
            "carapace: denied { nlmsg_read } for pid=80 comm=\"ss\" family=netlink nlmsg_type=20 scontext=net_denied_t tcontext=net_denied_t tclass=netlink_tcpdiag_socket permissive=0",
            "carapace: denied { name_connect } for pid=81 comm=\"criu\" family=inet dest=35449 scontext=criu_t tcontext=unlabeled_t tclass=tcp_socket permissive=0",
            "carapace: denied { read write } for pid=82 comm=\"probe\" key=4660 scontext=net_denied_t tcontext=net_server_t tclass=shm permissive=0",
        ]
        .join("\n");
        let g = collect(&text);
        assert_eq!(g.len(), 4);
        assert_eq!(
            g[0].allow_rule(),
            "allow net_denied_t net_server_t:unix_stream_socket { connectto };"
        );
        assert_eq!(
            g[1].allow_rule(),
            "allow net_denied_t self:netlink_tcpdiag_socket { nlmsg_read };"
        );
        assert_eq!(
            g[3].allow_rule(),
            "allow net_denied_t net_server_t:shm { read write };"
        );
        let r = report(&g);
        assert!(r.contains("unix socket"), "{r}");
        assert!(
            r.contains("netlink socket, message type 20 (SOCK_DIAG_BY_FAMILY)"),
            "{r}"
        );
        assert!(r.contains("inet socket, connecting to port 35449"), "{r}");
        assert!(r.contains("System V IPC key=4660"), "{r}");
    }
}
