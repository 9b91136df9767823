// SPDX-License-Identifier: GPL-2.0

//! What the kernel's own services ask of the policy: the `system`
//! permission of a `syslog()` action, the `key` permission of a key
//! operation, the `perf_event` permission of an open, and the `bpf`
//! permission of a `bpf()` command or of a map descriptor's mode, as
//! SELinux maps them.

use crate::classmap::perm;

/// The `system` permission `syslog()` action `action` asks
/// (include/linux/syslog.h): reading the whole log or its size is
/// `syslog_read`, the console switches and level `syslog_console`,
/// everything else (reading destructively, clearing) `syslog_mod`.
pub const fn syslog_perms(action: i32) -> u32 {
    match action {
        // SYSLOG_ACTION_READ_ALL, SYSLOG_ACTION_SIZE_BUFFER
        3 | 10 => perm::SYSTEM_SYSLOG_READ,
        // SYSLOG_ACTION_CONSOLE_OFF, _ON, _LEVEL
        6..=8 => perm::SYSTEM_SYSLOG_CONSOLE,
        _ => perm::SYSTEM_SYSLOG_MOD,
    }
}

/// What a key operation asks (`enum key_need_perm` of
/// include/linux/key.h).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyNeed {
    /// These `key` permissions.
    Perms(u32),
    /// Nothing: the keys subsystem's own overrides (`CAP_SYS_ADMIN`,
    /// possession of an authorisation key) and deferred checks.
    Nothing,
    /// A value this kernel does not define: refused.
    Unknown,
}

/// The `key` permissions of `need`: unlinking a key from a keyring is
/// `link`, as in SELinux.
pub const fn key_perms(need: u32) -> KeyNeed {
    match need {
        1 => KeyNeed::Perms(perm::KEY_VIEW),
        2 => KeyNeed::Perms(perm::KEY_READ),
        3 => KeyNeed::Perms(perm::KEY_WRITE),
        4 => KeyNeed::Perms(perm::KEY_SEARCH),
        5 | 7 => KeyNeed::Perms(perm::KEY_LINK),
        6 => KeyNeed::Perms(perm::KEY_SETATTR),
        8..=10 => KeyNeed::Nothing,
        _ => KeyNeed::Unknown,
    }
}

/// The `perf_event` permission of `perf_event_open()` check `kind`
/// (`PERF_SECURITY_*` of include/linux/perf_event.h), if it is one.
pub const fn perf_open_perms(kind: i32) -> Option<u32> {
    match kind {
        0 => Some(perm::PERF_EVENT_OPEN),
        1 => Some(perm::PERF_EVENT_CPU),
        2 => Some(perm::PERF_EVENT_KERNEL),
        3 => Some(perm::PERF_EVENT_TRACEPOINT),
        _ => None,
    }
}

/// The `bpf` permission `bpf()` command `cmd` asks of the caller on
/// itself: creating a map or loading a program; 0 for the other commands,
/// which reach maps and programs through descriptors or ids (see
/// [`bpf_map_perms`]).
pub const fn bpf_command_perms(cmd: i32) -> u32 {
    match cmd {
        // BPF_MAP_CREATE
        0 => perm::BPF_MAP_CREATE,
        // BPF_PROG_LOAD
        5 => perm::BPF_PROG_LOAD,
        _ => 0,
    }
}

/// The `bpf` permissions of getting a map descriptor with file mode
/// `fmode` (`FMODE_READ` 1, `FMODE_WRITE` 2).
pub const fn bpf_map_perms(fmode: u32) -> u32 {
    let mut perms = 0;
    if fmode & 1 != 0 {
        perms |= perm::BPF_MAP_READ;
    }
    if fmode & 2 != 0 {
        perms |= perm::BPF_MAP_WRITE;
    }
    perms
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn syslog_actions() {
        // dmesg reads the whole log: syslog_read.
        assert_eq!(syslog_perms(3), perm::SYSTEM_SYSLOG_READ);
        assert_eq!(syslog_perms(10), perm::SYSTEM_SYSLOG_READ);
        for console in [6, 7, 8] {
            assert_eq!(syslog_perms(console), perm::SYSTEM_SYSLOG_CONSOLE);
        }
        for modify in [0, 1, 2, 4, 5, 9, 11, -1, i32::MAX] {
            assert_eq!(syslog_perms(modify), perm::SYSTEM_SYSLOG_MOD);
        }
    }

    #[test]
    fn key_needs() {
        assert_eq!(key_perms(1), KeyNeed::Perms(perm::KEY_VIEW));
        assert_eq!(key_perms(2), KeyNeed::Perms(perm::KEY_READ));
        assert_eq!(key_perms(3), KeyNeed::Perms(perm::KEY_WRITE));
        assert_eq!(key_perms(4), KeyNeed::Perms(perm::KEY_SEARCH));
        assert_eq!(key_perms(5), KeyNeed::Perms(perm::KEY_LINK));
        assert_eq!(key_perms(6), KeyNeed::Perms(perm::KEY_SETATTR));
        assert_eq!(key_perms(7), KeyNeed::Perms(perm::KEY_LINK));
        for special in [8, 9, 10] {
            assert_eq!(key_perms(special), KeyNeed::Nothing);
        }
        assert_eq!(key_perms(0), KeyNeed::Unknown);
        assert_eq!(key_perms(11), KeyNeed::Unknown);
    }

    #[test]
    fn perf_and_bpf() {
        assert_eq!(perf_open_perms(0), Some(perm::PERF_EVENT_OPEN));
        assert_eq!(perf_open_perms(3), Some(perm::PERF_EVENT_TRACEPOINT));
        assert_eq!(perf_open_perms(4), None);
        assert_eq!(bpf_command_perms(0), perm::BPF_MAP_CREATE);
        assert_eq!(bpf_command_perms(5), perm::BPF_PROG_LOAD);
        assert_eq!(bpf_command_perms(1), 0);
        assert_eq!(bpf_map_perms(0), 0);
        assert_eq!(bpf_map_perms(3), perm::BPF_MAP_READ | perm::BPF_MAP_WRITE);
    }
}
