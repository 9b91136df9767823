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
        parts.push(describe_ipc(d.get("tclass"), key));
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

/// A socket record's object: the socket (its family), the netlink
/// message checked, or the port bound or connected to.
fn describe_socket(d: &Denial, family: &str) -> String {
    if let Some(kind) = d.get("nlmsg_type") {
        let name = kind
            .parse::<u16>()
            .ok()
            .and_then(|t| netlink_type_name(d.get("tclass")?, t))
            .map(|n| format!(" ({n})"))
            .unwrap_or_default();
        return format!("a netlink message of type {kind}{name}");
    }
    let socket = match family {
        "unix" | "netlink" | "packet" | "key" => format!("a {family} socket"),
        "inet" | "inet6" => format!("an {family} socket"),
        // The kernel names the families it gives classes to; others are
        // numbers (`AF_*`).
        _ => {
            let name = family
                .parse::<usize>()
                .ok()
                .and_then(|n| ADDRESS_FAMILIES.get(n))
                .filter(|n| !n.is_empty())
                .map(|n| format!(" ({n})"))
                .unwrap_or_default();
            format!("a socket of address family {family}{name}")
        }
    };
    if let Some(port) = d.get("src") {
        // Port 0 asks the kernel for a free one: only the node is checked.
        let any = if port == "0" { " (any free port)" } else { "" };
        return format!("{socket} binding port {port}{any}");
    }
    if let Some(port) = d.get("dest") {
        return format!("{socket} connecting to port {port}");
    }
    socket
}

/// The address families by number (include/linux/socket.h), for records
/// that give a number.
const ADDRESS_FAMILIES: [&str; 46] = [
    "AF_UNSPEC",
    "AF_UNIX",
    "AF_INET",
    "AF_AX25",
    "AF_IPX",
    "AF_APPLETALK",
    "AF_NETROM",
    "AF_BRIDGE",
    "AF_ATMPVC",
    "AF_X25",
    "AF_INET6",
    "AF_ROSE",
    "",
    "AF_NETBEUI",
    "AF_SECURITY",
    "AF_KEY",
    "AF_NETLINK",
    "AF_PACKET",
    "AF_ASH",
    "AF_ECONET",
    "AF_ATMSVC",
    "AF_RDS",
    "AF_SNA",
    "AF_IRDA",
    "AF_PPPOX",
    "AF_WANPIPE",
    "AF_LLC",
    "AF_IB",
    "AF_MPLS",
    "AF_CAN",
    "AF_TIPC",
    "AF_BLUETOOTH",
    "AF_IUCV",
    "AF_RXRPC",
    "AF_ISDN",
    "AF_PHONET",
    "AF_IEEE802154",
    "AF_CAIF",
    "AF_ALG",
    "AF_NFC",
    "AF_VSOCK",
    "AF_KCM",
    "AF_QIPCRTR",
    "AF_SMC",
    "AF_XDP",
    "AF_MCTP",
];

/// The name of a well-known netlink message type of the family of socket
/// class `class`: those of the families whose messages are checked
/// (include/uapi/linux/rtnetlink.h, sock_diag.h, inet_diag.h, xfrm.h,
/// audit.h).
fn netlink_type_name(class: &str, t: u16) -> Option<&'static str> {
    let table: &[(u16, &str)] = match class {
        "netlink_route_socket" => ROUTE_TYPES,
        "netlink_tcpdiag_socket" => SOCK_DIAG_TYPES,
        "netlink_xfrm_socket" => XFRM_TYPES,
        "netlink_audit_socket" => match t {
            1100..=1199 | 2100..=2999 => return Some("a user-space audit message"),
            _ => AUDIT_TYPES,
        },
        _ => return None,
    };
    table.iter().find(|(n, _)| *n == t).map(|(_, name)| *name)
}

const ROUTE_TYPES: &[(u16, &str)] = &[
    (16, "RTM_NEWLINK"),
    (17, "RTM_DELLINK"),
    (18, "RTM_GETLINK"),
    (19, "RTM_SETLINK"),
    (20, "RTM_NEWADDR"),
    (21, "RTM_DELADDR"),
    (22, "RTM_GETADDR"),
    (24, "RTM_NEWROUTE"),
    (25, "RTM_DELROUTE"),
    (26, "RTM_GETROUTE"),
    (28, "RTM_NEWNEIGH"),
    (29, "RTM_DELNEIGH"),
    (30, "RTM_GETNEIGH"),
    (32, "RTM_NEWRULE"),
    (33, "RTM_DELRULE"),
    (34, "RTM_GETRULE"),
    (36, "RTM_NEWQDISC"),
    (37, "RTM_DELQDISC"),
    (38, "RTM_GETQDISC"),
    (40, "RTM_NEWTCLASS"),
    (41, "RTM_DELTCLASS"),
    (42, "RTM_GETTCLASS"),
    (44, "RTM_NEWTFILTER"),
    (45, "RTM_DELTFILTER"),
    (46, "RTM_GETTFILTER"),
    (48, "RTM_NEWACTION"),
    (49, "RTM_DELACTION"),
    (50, "RTM_GETACTION"),
    (52, "RTM_NEWPREFIX"),
    (58, "RTM_GETMULTICAST"),
    (62, "RTM_GETANYCAST"),
    (64, "RTM_NEWNEIGHTBL"),
    (66, "RTM_GETNEIGHTBL"),
    (67, "RTM_SETNEIGHTBL"),
    (68, "RTM_NEWNDUSEROPT"),
    (72, "RTM_NEWADDRLABEL"),
    (73, "RTM_DELADDRLABEL"),
    (74, "RTM_GETADDRLABEL"),
    (78, "RTM_GETDCB"),
    (79, "RTM_SETDCB"),
    (80, "RTM_NEWNETCONF"),
    (81, "RTM_DELNETCONF"),
    (82, "RTM_GETNETCONF"),
    (84, "RTM_NEWMDB"),
    (85, "RTM_DELMDB"),
    (86, "RTM_GETMDB"),
    (88, "RTM_NEWNSID"),
    (89, "RTM_DELNSID"),
    (90, "RTM_GETNSID"),
    (92, "RTM_NEWSTATS"),
    (94, "RTM_GETSTATS"),
    (95, "RTM_SETSTATS"),
    (96, "RTM_NEWCACHEREPORT"),
    (100, "RTM_NEWCHAIN"),
    (101, "RTM_DELCHAIN"),
    (102, "RTM_GETCHAIN"),
    (104, "RTM_NEWNEXTHOP"),
    (105, "RTM_DELNEXTHOP"),
    (106, "RTM_GETNEXTHOP"),
    (108, "RTM_NEWLINKPROP"),
    (109, "RTM_DELLINKPROP"),
    (110, "RTM_GETLINKPROP"),
    (112, "RTM_NEWVLAN"),
    (113, "RTM_DELVLAN"),
    (114, "RTM_GETVLAN"),
    (116, "RTM_NEWNEXTHOPBUCKET"),
    (117, "RTM_DELNEXTHOPBUCKET"),
    (118, "RTM_GETNEXTHOPBUCKET"),
    (120, "RTM_NEWTUNNEL"),
    (121, "RTM_DELTUNNEL"),
    (122, "RTM_GETTUNNEL"),
];

const SOCK_DIAG_TYPES: &[(u16, &str)] = &[
    (18, "TCPDIAG_GETSOCK"),
    (19, "DCCPDIAG_GETSOCK"),
    (20, "SOCK_DIAG_BY_FAMILY"),
    (21, "SOCK_DESTROY"),
];

const XFRM_TYPES: &[(u16, &str)] = &[
    (16, "XFRM_MSG_NEWSA"),
    (17, "XFRM_MSG_DELSA"),
    (18, "XFRM_MSG_GETSA"),
    (19, "XFRM_MSG_NEWPOLICY"),
    (20, "XFRM_MSG_DELPOLICY"),
    (21, "XFRM_MSG_GETPOLICY"),
    (22, "XFRM_MSG_ALLOCSPI"),
    (23, "XFRM_MSG_ACQUIRE"),
    (24, "XFRM_MSG_EXPIRE"),
    (25, "XFRM_MSG_UPDPOLICY"),
    (26, "XFRM_MSG_UPDSA"),
    (27, "XFRM_MSG_POLEXPIRE"),
    (28, "XFRM_MSG_FLUSHSA"),
    (29, "XFRM_MSG_FLUSHPOLICY"),
    (30, "XFRM_MSG_NEWAE"),
    (31, "XFRM_MSG_GETAE"),
    (32, "XFRM_MSG_REPORT"),
    (33, "XFRM_MSG_MIGRATE"),
    (34, "XFRM_MSG_NEWSADINFO"),
    (35, "XFRM_MSG_GETSADINFO"),
    (36, "XFRM_MSG_NEWSPDINFO"),
    (37, "XFRM_MSG_GETSPDINFO"),
    (38, "XFRM_MSG_MAPPING"),
    (39, "XFRM_MSG_SETDEFAULT"),
    (40, "XFRM_MSG_GETDEFAULT"),
];

const AUDIT_TYPES: &[(u16, &str)] = &[
    (1000, "AUDIT_GET"),
    (1001, "AUDIT_SET"),
    (1002, "AUDIT_LIST"),
    (1003, "AUDIT_ADD"),
    (1004, "AUDIT_DEL"),
    (1005, "AUDIT_USER"),
    (1006, "AUDIT_LOGIN"),
    (1007, "AUDIT_WATCH_INS"),
    (1008, "AUDIT_WATCH_REM"),
    (1009, "AUDIT_WATCH_LIST"),
    (1010, "AUDIT_SIGNAL_INFO"),
    (1011, "AUDIT_ADD_RULE"),
    (1012, "AUDIT_DEL_RULE"),
    (1013, "AUDIT_LIST_RULES"),
    (1014, "AUDIT_TRIM"),
    (1015, "AUDIT_MAKE_EQUIV"),
    (1016, "AUDIT_TTY_GET"),
    (1017, "AUDIT_TTY_SET"),
    (1018, "AUDIT_SET_FEATURE"),
    (1019, "AUDIT_GET_FEATURE"),
];

/// A System V IPC record's object: the kind of object and its key (in
/// hexadecimal too, as `ipcs` shows it).
fn describe_ipc(class: Option<&str>, key: &str) -> String {
    let object = match class {
        Some("sem") => "System V semaphore set",
        Some("msgq") => "System V message queue",
        Some("shm") => "System V shared memory",
        Some("msg") => "a message on System V message queue",
        _ => "System V IPC object",
    };
    let hex = match key.parse::<i32>() {
        Ok(0) => " (IPC_PRIVATE)".to_string(),
        Ok(k) => format!(" ({:#010x})", u32::from_ne_bytes(k.to_ne_bytes())),
        Err(_) => String::new(),
    };
    format!("{object} key {key}{hex}")
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

    /// What the records do not say but the rule depends on.
    pub fn notes(&self) -> Vec<String> {
        let has = |p: &str| self.perms.iter().any(|q| q == p);
        let mut notes = Vec::new();
        let network: Vec<&str> = self
            .perms
            .iter()
            .map(String::as_str)
            .filter(|p| matches!(*p, "name_bind" | "node_bind" | "name_connect"))
            .collect();
        if !network.is_empty() {
            notes.push(format!(
                "ports and nodes have no types yet: the `unlabeled` initial label \
                 ({}) stands for them all, so this rule grants {{ {} }} for every \
                 port and node",
                self.tcontext,
                network.join(" ")
            ));
        }
        if self.tclass == "msgq" && has("enqueue") {
            notes.push(format!(
                "`enqueue` is asked by the message: {} is the message's label (the \
                 queue's, unless a type_transition for class msg names another), \
                 not the sender's domain",
                self.scontext
            ));
        }
        if (self.tclass == "msgq" && has("read")) || (self.tclass == "msg" && has("receive")) {
            notes.push(
                "receiving is checked for the receiving process: a sender handing a \
                 message straight to a waiting receiver logs the receiver's denial \
                 under its own name"
                    .to_string(),
            );
        }
        if self.tclass == "system" && self.perms.iter().any(|p| p.starts_with("syslog_")) {
            notes.push(format!(
                "the kernel log is checked on the kernel's initial label ({}): \
                 the rule names the kernel, not a file",
                self.tcontext
            ));
        }
        if self.tclass == "perf_event" && has("open") {
            notes.push(
                "opening a perf event is checked on the domain itself; watching \
                 another task also needs `file { read }` on its domain (the \
                 kernel's ptrace read check)"
                    .to_string(),
            );
        }
        notes.extend(self.filesystem_notes());
        if self.tclass == "dir" && has("mounton") {
            notes.push(
                "`mounton` is checked on the directory mounted on (a new mount, a \
                 bind or a move); the filesystem itself needs `filesystem { mount }`"
                    .to_string(),
            );
        }
        if self.tclass == "bpf" && (has("map_read") || has("map_write") || has("prog_run")) {
            notes.push(format!(
                "a bpf map or program carries the domain of the process that \
                 created it ({} here): this rule lets {} use every map or program \
                 that domain creates",
                self.tcontext, self.scontext
            ));
        }
        if self.tclass == "key" {
            notes.push(format!(
                "a key takes the domain of the task it was made for ({} here)",
                self.tcontext
            ));
        }
        notes
    }
}

impl Group {
    /// Notes on `filesystem` records: which label each check names.
    fn filesystem_notes(&self) -> Vec<String> {
        if self.tclass != "filesystem" {
            return Vec::new();
        }
        let has = |p: &str| self.perms.iter().any(|q| q == p);
        let mut notes = Vec::new();
        if ["mount", "remount", "unmount", "getattr"]
            .iter()
            .any(|p| has(p))
        {
            notes.push(format!(
                "the target is the filesystem's label ({}), from the policy's \
                 fs_use or genfscon rules or a context= mount option, not the \
                 directory mounted on, which needs `dir {{ mounton }}`",
                self.tcontext
            ));
        }
        if has("relabelfrom") || has("relabelto") {
            notes.push(
                "a context=, fscontext=, defcontext= or rootcontext= mount option: \
                 `relabelfrom` is checked on the label the filesystem would have \
                 had, `relabelto` on the label the option names"
                    .to_string(),
            );
        }
        if has("associate") {
            notes.push(format!(
                "`associate` is asked by the files' label ({}) of the \
                 filesystem's label ({}): write the rule for the file type, not \
                 for a domain",
                self.scontext, self.tcontext
            ));
        }
        notes
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
        for n in g.notes() {
            let _ = writeln!(s, "  note: {n}");
        }
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
            "carapace: denied { nlmsg_read } for pid=80 comm=\"lsm-probe\" family=netlink nlmsg_type=20 scontext=net_denied_t tcontext=net_denied_t tclass=netlink_tcpdiag_socket permissive=0",
            "carapace: denied { name_connect } for pid=81 comm=\"criu\" family=inet dest=35449 scontext=criu_t tcontext=unlabeled_t tclass=tcp_socket permissive=0",
            "carapace: denied { read write } for pid=81 comm=\"lsm-probe\" key=4660 scontext=net_denied_t tcontext=net_server_t tclass=shm permissive=0",
            "carapace: denied { node_bind } for pid=82 comm=\"criu\" family=inet6 src=0 scontext=criu_t tcontext=unlabeled_t tclass=tcp_socket permissive=1",
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
        // The port and node checks of one socket class group together.
        assert_eq!(
            g[2].allow_rule(),
            "allow criu_t unlabeled_t:tcp_socket { name_connect node_bind };"
        );
        assert_eq!(
            g[3].allow_rule(),
            "allow net_denied_t net_server_t:shm { read write };"
        );
        assert_eq!(g[0].objects, ["a unix socket"]);
        assert_eq!(
            g[1].objects,
            ["a netlink message of type 20 (SOCK_DIAG_BY_FAMILY)"]
        );
        assert_eq!(
            g[2].objects,
            [
                "an inet socket connecting to port 35449",
                "an inet6 socket binding port 0 (any free port)"
            ]
        );
        assert_eq!(
            g[3].objects,
            ["System V shared memory key 4660 (0x00001234)"]
        );
        assert!(g[0].notes().is_empty() && g[3].notes().is_empty());
        let r = report(&g);
        assert!(
            r.contains(
                "note: ports and nodes have no types yet: the `unlabeled` initial label \
                 (unlabeled_t) stands for them all, so this rule grants \
                 { name_connect node_bind } for every port and node"
            ),
            "{r}"
        );
        assert!(
            r.contains("1 enforcing (failed), 1 permissive (allowed)"),
            "{r}"
        );
    }

    #[test]
    fn netlink_message_names() {
        let name = netlink_type_name;
        assert_eq!(name("netlink_route_socket", 18), Some("RTM_GETLINK"));
        assert_eq!(name("netlink_route_socket", 24), Some("RTM_NEWROUTE"));
        // No RTM_SETADDR: the address types stop at GET.
        assert_eq!(name("netlink_route_socket", 23), None);
        assert_eq!(name("netlink_route_socket", 90), Some("RTM_GETNSID"));
        assert_eq!(name("netlink_tcpdiag_socket", 21), Some("SOCK_DESTROY"));
        assert_eq!(name("netlink_xfrm_socket", 21), Some("XFRM_MSG_GETPOLICY"));
        assert_eq!(name("netlink_audit_socket", 1013), Some("AUDIT_LIST_RULES"));
        assert_eq!(
            name("netlink_audit_socket", 1107),
            Some("a user-space audit message")
        );
        // Types are per family.
        assert_eq!(name("netlink_generic_socket", 20), None);
        assert_eq!(name("netlink_tcpdiag_socket", 24), None);
    }

    #[test]
    fn socket_families_and_ipc_objects() {
        let object = |fields: &str| {
            let line = format!(
                "carapace: denied {{ create }} for pid=1 comm=\"x\" {fields} scontext=a_t tcontext=a_t permissive=0"
            );
            collect(&line)
                .first()
                .and_then(|g| g.objects.first().cloned())
                .unwrap_or_default()
        };
        assert_eq!(
            object("family=packet tclass=packet_socket"),
            "a packet socket"
        );
        assert_eq!(object("family=key tclass=key_socket"), "a key socket");
        assert_eq!(
            object("family=38 tclass=socket"),
            "a socket of address family 38 (AF_ALG)"
        );
        assert_eq!(
            object("family=99 tclass=socket"),
            "a socket of address family 99"
        );
        assert_eq!(
            object("family=netlink nlmsg_type=1234 tclass=netlink_route_socket"),
            "a netlink message of type 1234"
        );
        assert_eq!(
            object("key=0 tclass=sem"),
            "System V semaphore set key 0 (IPC_PRIVATE)"
        );
        assert_eq!(
            object("key=-1 tclass=msgq"),
            "System V message queue key -1 (0xffffffff)"
        );
        assert_eq!(
            object("key=4660 tclass=msg"),
            "a message on System V message queue key 4660 (0x00001234)"
        );
    }

    #[test]
    fn message_queue_notes() {
        let text = [
            "carapace: denied { enqueue } for pid=5 comm=\"snd\" key=7 scontext=q_t tcontext=q_t tclass=msgq permissive=0",
            "carapace: denied { receive } for pid=5 comm=\"snd\" key=7 scontext=rcv_t tcontext=q_t tclass=msg permissive=0",
        ]
        .join("\n");
        let g = collect(&text);
        assert_eq!(g[0].allow_rule(), "allow q_t self:msgq { enqueue };");
        assert!(g[0].notes()[0].contains("q_t is the message's label"));
        assert!(g[1].notes()[0].contains("receiving process"));
    }

    #[test]
    fn kernel_service_records_have_notes() {
        let text = [
            "carapace: denied { syslog_read } for pid=5 comm=\"dmesg\" scontext=a_t tcontext=kernel_t tclass=system permissive=0",
            "carapace: denied { open } for pid=6 comm=\"perf\" scontext=a_t tcontext=a_t tclass=perf_event permissive=0",
            "carapace: denied { write } for pid=7 comm=\"keyctl\" scontext=a_t tcontext=b_t tclass=key permissive=0",
        ]
        .join("\n");
        let g = collect(&text);
        assert_eq!(g.len(), 3);
        assert!(g[0].notes()[0].contains("kernel's initial label (kernel_t)"));
        assert!(g[1].notes()[0].contains("ptrace read"));
        assert!(g[2].notes()[0].contains("(b_t here)"));
        assert!(!g[0].notes()[0].contains("  "), "{:?}", g[0].notes());
        assert!(!g[1].notes()[0].contains("  "), "{:?}", g[1].notes());
    }

    #[test]
    fn mount_and_bpf_records_have_notes() {
        let text = [
            "carapace: denied { mount } for pid=5 comm=\"mount\" name=\"/\" dev=\"tmpfs\" scontext=a_t tcontext=tmpfs_t tclass=filesystem permissive=0",
            "carapace: denied { relabelfrom } for pid=5 comm=\"mount\" dev=\"tmpfs\" scontext=a_t tcontext=tmpfs_t tclass=filesystem permissive=0",
            "carapace: denied { associate } for pid=5 comm=\"mount\" dev=\"tmpfs\" scontext=ctx_t tcontext=tmpfs_t tclass=filesystem permissive=0",
            "carapace: denied { mounton } for pid=5 comm=\"mount\" path=\"/mnt\" scontext=a_t tcontext=mnt_t tclass=dir permissive=0",
            "carapace: denied { map_read } for pid=9 comm=\"bpftool\" scontext=a_t tcontext=b_t tclass=bpf permissive=0",
            "carapace: denied { map_create } for pid=9 comm=\"bpftool\" scontext=a_t tcontext=a_t tclass=bpf permissive=0",
        ]
        .join("\n");
        let g = collect(&text);
        assert_eq!(g.len(), 5);
        assert!(g[0].notes()[0].contains("filesystem's label (tmpfs_t)"));
        assert!(
            g[0].notes()[1].contains("relabelfrom"),
            "{:?}",
            g[0].notes()
        );
        assert!(g[1].notes()[0].contains("files' label (ctx_t)"));
        assert!(g[2].notes()[0].contains("directory mounted on"));
        assert!(g[3].notes()[0].contains("(b_t here)"));
        assert!(g[4].notes().is_empty(), "{:?}", g[4].notes());
        assert_eq!(g[2].allow_rule(), "allow a_t mnt_t:dir { mounton };");
    }
}
