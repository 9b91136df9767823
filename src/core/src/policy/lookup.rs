// SPDX-License-Identifier: GPL-2.0

//! The queries of a validated policy: infallible, bounded-time, read in
//! place.

use super::format::{FS_USE_XATTR, ID_PERMISSIVE};
use super::table::{
    name_of, us, Table, CLASS_PCOUNT, CLASS_PSTART, FS_FLAGS, FS_TYPE, ID_ACOUNT, ID_ASTART,
    ID_FLAGS, RULE_ALLOWED, RULE_AUDITALLOW, RULE_DONTAUDIT, RULE_TARGET,
};
use super::{
    label_name, AccessDecision, FileContext, FileContextKind, FileLabel, FsLabel, HandleUnknown,
    InitialSid, LabelAttr, PolicyDb, TypeId, EMPTY_MAPPING, NO_CLASS,
};
use crate::classmap::KernelClass;

/// Rule runs up to this long are scanned rather than binary-searched.
const LINEAR_RUN: usize = 32;

impl<'a> PolicyDb<'a> {
    /// The policy bytes as loaded (for reading the policy back).
    pub fn as_bytes(&self) -> &'a [u8] {
        self.data
    }

    /// How the policy handles unknown kernel classes and permissions.
    pub fn handle_unknown(&self) -> HandleUnknown {
        self.ix().handle_unknown
    }

    /// Number of types; valid [`TypeId`]s are `0..type_count()`.
    pub fn type_count(&self) -> u32 {
        self.ntypes()
    }

    /// Whether the policy defines kernel class `class` (by name).
    pub fn class_defined(&self, class: KernelClass) -> bool {
        self.map()
            .get(class.index())
            .is_some_and(|m| m.policy_class != NO_CLASS)
    }

    /// Replaces an out-of-range id by the unlabeled initial type.
    #[inline]
    fn norm(&self, t: TypeId) -> u32 {
        if t.0 < self.ntypes() {
            t.0
        } else {
            self.initial().get(InitialSid::Unlabeled as usize, 0)
        }
    }

    /// The type named `name`, if the policy defines one (attributes are
    /// not types). Binary search.
    pub fn type_by_name(&self, name: &[u8]) -> Option<TypeId> {
        let (nameidx, ids, strings) = (self.nameidx(), self.ids(), self.strings());
        let (mut lo, mut hi) = (0usize, us(self.ntypes()));
        while lo < hi {
            let mid = lo.wrapping_add(hi.wrapping_sub(lo) >> 1);
            let t = nameidx.get(mid, 0);
            match name_of(&ids, strings, us(t)).cmp(name) {
                core::cmp::Ordering::Less => lo = mid.wrapping_add(1),
                core::cmp::Ordering::Greater => hi = mid,
                core::cmp::Ordering::Equal => return Some(TypeId(t)),
            }
        }
        None
    }

    /// The name of type `t` (of the unlabeled type if `t` is out of range).
    pub fn type_name(&self, t: TypeId) -> &'a [u8] {
        name_of(&self.ids(), self.strings(), us(self.norm(t)))
    }

    /// Whether denials in domain `t` are logged but not enforced.
    pub fn is_permissive(&self, t: TypeId) -> bool {
        self.ids().get(us(self.norm(t)), ID_FLAGS) & ID_PERMISSIVE != 0
    }

    /// The type the policy assigns to initial label `sid`.
    pub fn initial_sid(&self, sid: InitialSid) -> TypeId {
        TypeId(self.initial().get(sid as usize, 0))
    }

    /// The ids a type is known by in rules: itself, then its attributes,
    /// ascending.
    #[inline]
    fn ids_of(&self, t: u32) -> impl Iterator<Item = u32> + '_ {
        let i = us(t);
        let ids = self.ids();
        let start = us(ids.get(i, ID_ASTART));
        let count = us(ids.get(i, ID_ACOUNT));
        let attrs = self.attrs();
        core::iter::once(t).chain((start..start.wrapping_add(count)).map(move |k| attrs.get(k, 0)))
    }

    /// The first rule in `lo..hi` whose (class, target) key is at least
    /// `key` (binary search).
    #[inline]
    fn lower_bound(rules: &Table<'a>, mut lo: usize, mut hi: usize, key: u64) -> usize {
        while lo < hi {
            let mid = lo.wrapping_add(hi.wrapping_sub(lo) >> 1);
            if rules.get64(mid, RULE_TARGET) < key {
                lo = mid.wrapping_add(1);
            } else {
                hi = mid;
            }
        }
        lo
    }

    /// Access decision for `source` acting on `target` in `class`, in
    /// kernel permission bits.
    ///
    /// Bounded time: for each of at most `1 + MAX_ATTRS_PER_TYPE` source
    /// ids, one binary search of its rule run, then at most
    /// `1 + MAX_ATTRS_PER_TYPE` steps each of which is either a scan of at
    /// most 32 rules or a binary search.
    pub fn compute_av(&self, source: TypeId, target: TypeId, class: KernelClass) -> AccessDecision {
        let m = self.map().get(class.index()).unwrap_or(&EMPTY_MAPPING);
        let mut d = AccessDecision {
            allowed: m.unknown_allowed,
            auditallow: 0,
            auditdeny: u32::MAX,
        };
        if m.policy_class == NO_CLASS {
            return d;
        }
        let (s, t) = (self.norm(source), self.norm(target));
        let (ruleidx, rules) = (self.ruleidx(), self.rules());
        let (mut allowed, mut auditallow, mut dontaudit) = (0u32, 0u32, 0u32);
        for si in self.ids_of(s) {
            let lo = us(ruleidx.get(us(si), 0));
            let hi = us(ruleidx.get(us(si).wrapping_add(1), 0));
            if lo >= hi {
                continue;
            }
            // The run is sorted by (class, target): skip to the class,
            // then merge with the ascending target ids, linearly while
            // few rules remain (fewer cache lines), by binary search
            // otherwise (bounded time).
            let class_key = u64::from(m.policy_class) << 32;
            let mut from = Self::lower_bound(&rules, lo, hi, class_key);
            for ti in self.ids_of(t) {
                let key = class_key | u64::from(ti);
                if hi.wrapping_sub(from) <= LINEAR_RUN {
                    while from < hi && rules.get64(from, RULE_TARGET) < key {
                        from = from.wrapping_add(1);
                    }
                } else {
                    from = Self::lower_bound(&rules, from, hi, key);
                }
                if from >= hi {
                    break;
                }
                let k = rules.get64(from, RULE_TARGET);
                if k == key {
                    allowed |= rules.get(from, RULE_ALLOWED);
                    auditallow |= rules.get(from, RULE_AUDITALLOW);
                    dontaudit |= rules.get(from, RULE_DONTAUDIT);
                    from = from.wrapping_add(1);
                } else if k >> 32 != class_key >> 32 {
                    break; // past this class
                }
            }
        }
        if m.identity {
            d.allowed |= allowed & m.kernel_perms;
            d.auditallow = auditallow & m.kernel_perms;
            d.auditdeny = !(dontaudit & m.kernel_perms);
            return d;
        }
        // Permissions in another order than the kernel's: found by name.
        let pc = us(m.policy_class);
        let (classes, perms, strings) = (self.classes(), self.perms(), self.strings());
        let start = us(classes.get(pc, CLASS_PSTART));
        let count = us(classes.get(pc, CLASS_PCOUNT));
        for (kbit, kname) in class.perm_names().iter().enumerate() {
            let Some(pbit) = (0..count)
                .find(|&j| name_of(&perms, strings, start.wrapping_add(j)) == kname.as_bytes())
            else {
                continue;
            };
            let kmask = 1u32.checked_shl(kbit as u32).unwrap_or(0);
            let pmask = 1u32.checked_shl(pbit as u32).unwrap_or(0);
            if allowed & pmask != 0 {
                d.allowed |= kmask;
            }
            if auditallow & pmask != 0 {
                d.auditallow |= kmask;
            }
            if dontaudit & pmask != 0 {
                d.auditdeny &= !kmask;
            }
        }
        d
    }

    /// Binary search of the transition table.
    fn find_transition(&self, s: u32, t: u32, c: u32) -> Option<TypeId> {
        let key = (s, t, c);
        let trans = self.trans();
        let (mut lo, mut hi) = (0usize, trans.len());
        while lo < hi {
            let mid = lo.wrapping_add(hi.wrapping_sub(lo) >> 1);
            let k = (trans.get(mid, 0), trans.get(mid, 1), trans.get(mid, 2));
            match k.cmp(&key) {
                core::cmp::Ordering::Less => lo = mid.wrapping_add(1),
                core::cmp::Ordering::Greater => hi = mid,
                core::cmp::Ordering::Equal => return Some(TypeId(trans.get(mid, 3))),
            }
        }
        None
    }

    /// The type of a new object of class `class` created by `source` in a
    /// parent (directory) of type `parent` — or, for class `process`, the
    /// domain `source` enters when executing a file of type `parent`.
    /// `None` when no `type_transition` applies (the caller then uses its
    /// default: the parent's type for files, the unchanged domain for exec).
    pub fn type_transition(
        &self,
        source: TypeId,
        parent: TypeId,
        class: KernelClass,
    ) -> Option<TypeId> {
        let m = self.map().get(class.index())?;
        if m.policy_class == NO_CLASS || !m.transitions {
            return None;
        }
        self.find_transition(self.norm(source), self.norm(parent), m.policy_class)
    }

    /// The domain a task in `domain` enters by executing a file of type
    /// `exec_type` (`type_transition D E : process N`), if any. The
    /// caller must still check `process { transition }` from `domain` to
    /// the new domain and `file { entrypoint }` from the new domain to
    /// `exec_type` with [`PolicyDb::compute_av`].
    pub fn transition(&self, domain: TypeId, exec_type: TypeId) -> Option<TypeId> {
        self.type_transition(domain, exec_type, KernelClass::Process)
    }

    fn find_fs(&self, fs: &[u8]) -> Option<usize> {
        let (fsdef, strings) = (self.fsdef(), self.strings());
        let (mut lo, mut hi) = (0usize, fsdef.len());
        while lo < hi {
            let mid = lo.wrapping_add(hi.wrapping_sub(lo) >> 1);
            match name_of(&fsdef, strings, mid).cmp(fs) {
                core::cmp::Ordering::Less => lo = mid.wrapping_add(1),
                core::cmp::Ordering::Greater => hi = mid,
                core::cmp::Ordering::Equal => return Some(mid),
            }
        }
        None
    }

    /// How filesystem type `fs_name` (e.g. `b"proc"`) is labelled, if the
    /// policy says.
    pub fn fs_label(&self, fs_name: &[u8]) -> Option<FsLabel> {
        self.find_fs(fs_name).map(|i| self.fs_rule(i))
    }

    /// The filesystem rule at index `i` (below the table's length).
    fn fs_rule(&self, i: usize) -> FsLabel {
        let fsdef = self.fsdef();
        FsLabel {
            ty: TypeId(fsdef.get(i, FS_TYPE)),
            use_xattr: fsdef.get(i, FS_FLAGS) & FS_USE_XATTR != 0,
        }
    }

    /// Whether inodes of filesystem type `fs_name` take their label from
    /// the `security.carapace` attribute.
    pub fn fs_uses_xattr(&self, fs_name: &[u8]) -> bool {
        self.fs_label(fs_name).is_some_and(|l| l.use_xattr)
    }

    /// The label of an inode of filesystem type `fs_name` whose label
    /// attribute gave `attr`: the type it names under `fs_use_xattr`, else
    /// the filesystem's type; the `file` initial label for a filesystem the
    /// policy does not name.
    pub fn file_label(&self, fs_name: &[u8], attr: LabelAttr<'_>) -> FileLabel {
        let Some(rule) = self.fs_label(fs_name) else {
            return FileLabel::Final(self.initial_sid(InitialSid::File));
        };
        let unmapped = FileLabel::Unmapped(self.initial_sid(InitialSid::Unlabeled));
        match attr {
            LabelAttr::Value(value) if rule.use_xattr => self
                .type_by_name(label_name(value))
                .map_or(unmapped, FileLabel::Final),
            LabelAttr::Unreadable if rule.use_xattr => unmapped,
            _ => FileLabel::Final(rule.ty),
        }
    }

    /// The default type of filesystem `fs_name`, if the policy gives one.
    pub fn fs_default(&self, fs_name: &[u8]) -> Option<TypeId> {
        self.fs_label(fs_name).map(|l| l.ty)
    }

    /// The file contexts, in source order (first match wins), for the
    /// relabel tool.
    pub fn file_contexts(&self) -> impl Iterator<Item = FileContext<'a>> + '_ {
        (0..self.fcon().len()).map(move |i| FileContext {
            pattern: name_of(&self.fcon(), self.strings(), i),
            kind: match self.fcon().get(i, 3) {
                0 => FileContextKind::Exact,
                1 => FileContextKind::Prefix,
                _ => FileContextKind::Regex,
            },
            ty: TypeId(self.fcon().get(i, 2)),
        })
    }
}
