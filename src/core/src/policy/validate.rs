// SPDX-License-Identifier: GPL-2.0

//! Validation of a binary policy: one check per section, in file order,
//! then the kernel→policy class mapping. Each check relies only on what
//! the checks before it established.

use super::format::*;
use super::table::{
    name_of, us, Table, CLASS_PCOUNT, CLASS_PSTART, FS_FLAGS, FS_TYPE, ID_ACOUNT, ID_ASTART,
    ID_FLAGS, NAME_LEN, NAME_OFF, RULE_ALLOWED, RULE_AUDITALLOW, RULE_CLASS, RULE_DONTAUDIT,
    RULE_TARGET,
};
use super::{
    FileContextKind, HandleUnknown, IndexRef, PolicyDb, PolicyError, PolicyIndex, EMPTY_MAPPING,
    NO_CLASS,
};
use crate::classmap::{KernelClass, NUM_CLASSES};

impl<'a> PolicyDb<'a> {
    /// Validates `data` as a binary policy and returns the database that
    /// answers queries from it in place.
    ///
    /// One pass over the input; no allocation. Every error says what is
    /// wrong; see [`PolicyError`].
    pub fn parse(data: &'a [u8]) -> Result<PolicyDb<'a>, PolicyError> {
        Self::parse_with(data, Self::check_rules)
    }

    /// [`Self::parse`] with `check_rules` as the check of the rules.
    #[inline(always)]
    fn parse_with(
        data: &'a [u8],
        check_rules: fn(&Self) -> Result<(), PolicyError>,
    ) -> Result<PolicyDb<'a>, PolicyError> {
        let (handle_unknown, checksum) = check_header(data)?;
        let ranges = check_directory(data)?;
        let mut db = PolicyDb {
            data,
            index: IndexRef::Owned(PolicyIndex {
                len: data.len(),
                checksum,
                ranges,
                ntypes: rd32(data, HDR_NTYPES),
                handle_unknown,
                map: [EMPTY_MAPPING; NUM_CLASSES],
            }),
        };
        db.check_counts()?;
        db.check_classes()?;
        db.check_ids()?;
        db.check_nameidx()?;
        check_rules(&db)?;
        db.check_transitions()?;
        db.check_initial()?;
        db.check_fsdef()?;
        db.check_fcon()?;
        db.map_classes()?;
        Ok(db)
    }

    /// What validation established, without the borrow: store it next to
    /// the policy buffer and get the database back in O(1) with
    /// [`PolicyIndex::bind`] (no self-referential struct needed).
    pub fn index(&self) -> PolicyIndex {
        *self.ix()
    }

    /// Name of entry `i` of `t`, if it lies inside the string table.
    fn name_at(&self, t: &Table<'a>, i: usize) -> Option<&'a [u8]> {
        name_in(self.strings(), t, i)
    }

    /// Name of entry `i` of section `sec`: a valid identifier, after
    /// `prev` (the previous entry's name) if `i > 0`.
    fn sorted_ident(
        &self,
        t: &Table<'a>,
        sec: usize,
        i: usize,
        prev: &[u8],
    ) -> Result<&'a [u8], PolicyError> {
        let name = match self.name_at(t, i) {
            Some(n) if valid_ident(n) => n,
            _ => return Err(fault(Fault::BadName, sec, i)),
        };
        if i > 0 && name <= prev {
            return Err(fault(Fault::Unsorted, sec, i));
        }
        Ok(name)
    }

    /// Entry counts that sections must agree on.
    fn check_counts(&self) -> Result<(), PolicyError> {
        let nt = us(self.ntypes());
        let nids = self.ids().len();
        if nt == 0 || nt > nids || u32::try_from(nids).is_err() {
            return Err(sec_size(SEC_IDS));
        }
        if self.nameidx().len() != nt {
            return Err(sec_size(SEC_NAMEIDX));
        }
        if Some(self.ruleidx().len()) != nids.checked_add(1) {
            return Err(sec_size(SEC_RULEIDX));
        }
        if self.initial().len() != NUM_INITIAL {
            return Err(sec_size(SEC_INITIAL));
        }
        if self.classes().len() > MAX_CLASSES {
            return Err(sec_size(SEC_CLASSES));
        }
        Ok(())
    }

    /// Classes: sorted by name; permissions contiguous, in order.
    fn check_classes(&self) -> Result<(), PolicyError> {
        let mut pnext: usize = 0;
        let mut prev_name: &[u8] = &[];
        for i in 0..self.classes().len() {
            prev_name = self.sorted_ident(&self.classes(), SEC_CLASSES, i, prev_name)?;
            let ps = us(self.classes().get(i, CLASS_PSTART));
            let pc = us(self.classes().get(i, CLASS_PCOUNT));
            if ps != pnext || pc == 0 || pc > MAX_PERMS_PER_CLASS {
                return Err(fault(Fault::BadField, SEC_CLASSES, i));
            }
            pnext = ps.saturating_add(pc);
            if pnext > self.perms().len() {
                return Err(fault(Fault::OutOfRange, SEC_CLASSES, i));
            }
            self.check_perms(ps, pc)?;
        }
        if pnext != self.perms().len() {
            return Err(sec_size(SEC_PERMS));
        }
        Ok(())
    }

    /// Permissions `ps..ps + pc` of one class (`pc` ≤ 32, in range): valid
    /// and unique names.
    fn check_perms(&self, ps: usize, pc: usize) -> Result<(), PolicyError> {
        let (strings, perms) = (self.strings(), self.perms());
        let mut names: [&[u8]; MAX_PERMS_PER_CLASS] = [&[]; MAX_PERMS_PER_CLASS];
        let mut prints = [0u64; MAX_PERMS_PER_CLASS];
        for ((j, slot), print) in (ps..ps.saturating_add(pc))
            .zip(names.iter_mut())
            .zip(prints.iter_mut())
        {
            *slot = match name_in(strings, &perms, j) {
                Some(n) if valid_ident(n) => n,
                _ => return Err(fault(Fault::BadName, SEC_PERMS, j)),
            };
            *print = fingerprint(slot);
        }
        // Permission names are unique within a class. A name is compared
        // with the ones before it only when a 64-bit filter of their
        // fingerprints says it may be one of them (equal names have
        // equal fingerprints), then by fingerprint before bytes.
        let mut seen = 0u64;
        for (j, (a, pa)) in names.iter().zip(prints.iter()).enumerate().take(pc) {
            let bit = 1u64 << (pa.wrapping_mul(CHECKSUM_MULTIPLIER) >> 58);
            let same = seen & bit != 0
                && names
                    .iter()
                    .zip(prints.iter())
                    .take(j)
                    .any(|(b, pb)| pb == pa && b == a);
            if same {
                return Err(fault(Fault::Unsorted, SEC_PERMS, ps.wrapping_add(j)));
            }
            seen |= bit;
        }
        Ok(())
    }

    /// Types, then attributes: names, flags and attribute lists.
    fn check_ids(&self) -> Result<(), PolicyError> {
        let nt = us(self.ntypes());
        let (ids, nattrs, strings) = (self.ids(), self.attrs().len(), self.strings());
        for i in 0..ids.len() {
            match name_in(strings, &ids, i) {
                Some(n) if valid_ident(n) => {}
                _ => return Err(fault(Fault::BadName, SEC_IDS, i)),
            }
            let flags = ids.get(i, ID_FLAGS);
            let is_attr = i >= nt;
            let start = us(ids.get(i, ID_ASTART));
            let count = us(ids.get(i, ID_ACOUNT));
            let bad = flags & !ID_FLAGS_KNOWN != 0
                || (flags & ID_ATTRIBUTE != 0) != is_attr
                || (is_attr && (flags & ID_PERMISSIVE != 0 || count != 0))
                || count > MAX_ATTRS_PER_TYPE;
            if bad {
                return Err(fault(Fault::BadField, SEC_IDS, i));
            }
            match start.checked_add(count) {
                Some(end) if end <= nattrs => {}
                _ => return Err(fault(Fault::OutOfRange, SEC_IDS, i)),
            }
            self.check_attr_list(start, count)?;
        }
        Ok(())
    }

    /// Attribute list `start..start + count` of a type (in range):
    /// attributes, ascending.
    fn check_attr_list(&self, start: usize, count: usize) -> Result<(), PolicyError> {
        let (nt, nids, attrs) = (us(self.ntypes()), self.ids().len(), self.attrs());
        let range = start..start.wrapping_add(count);
        // First over the words alone (there are tens of thousands): each
        // at least the smallest allowed, the types' count at first, then
        // one more than the previous; the entry walk below says what is
        // wrong.
        let list = attrs
            .data
            .get(start.wrapping_mul(4)..start.wrapping_add(count).wrapping_mul(4));
        if let Some(list) = list {
            let mut next = nt;
            let ascending = list.chunks_exact(4).all(|a| {
                let a = us(row_u32(a, 0));
                let ok = a >= next && a < nids;
                next = a.wrapping_add(1);
                ok
            });
            if ascending {
                return Ok(());
            }
        }
        check_ascending(SEC_ATTRS, range, |k| {
            let a = us(attrs.get(k, 0));
            (a, a >= nt && a < nids)
        })
    }

    /// Type name index: a permutation of the types, by name.
    fn check_nameidx(&self) -> Result<(), PolicyError> {
        let (nt, nameidx, ids) = (us(self.ntypes()), self.nameidx(), self.ids());
        let strings = self.strings();
        check_ascending(SEC_NAMEIDX, 0..nt, |i| {
            let t = us(nameidx.get(i, 0));
            (name_in(strings, &ids, t).unwrap_or(&[]), t < nt)
        })
    }

    /// Rule index and rules: one run per source id.
    ///
    /// Each run is checked by [`rule_run_valid`], which accepts exactly
    /// the runs [`Self::rule_run_fault`] finds no fault in, with fewer
    /// instructions per rule; the first run it refuses is walked again
    /// rule by rule to say what is wrong.
    fn check_rules(&self) -> Result<(), PolicyError> {
        let nids = self.ids().len();
        let nrules = self.rules().len();
        let ruleidx = self.ruleidx();
        if ruleidx.get(0, 0) != 0 || us(ruleidx.get(nids, 0)) != nrules {
            return Err(sec_size(SEC_RULEIDX));
        }
        let classes = self.classes();
        let mut limits = RuleLimits {
            key_end: [0; MAX_CLASSES],
            invalid: [u32::MAX; MAX_CLASSES],
        };
        let nids64 = u64::try_from(nids).unwrap_or(u64::MAX);
        for (c, (end, invalid)) in limits
            .key_end
            .iter_mut()
            .zip(limits.invalid.iter_mut())
            .enumerate()
            .take(classes.len())
        {
            // (c, nids) fits: nids < 2³² (check_counts), c < 256.
            *end = (u64::try_from(c).unwrap_or(0) << 32) | nids64;
            *invalid = !class_mask(classes.get(c, CLASS_PCOUNT));
        }
        let rules = self.rules().data;
        let mut lo = 0usize;
        for s in 0..nids {
            let hi = us(ruleidx.get(s.wrapping_add(1), 0));
            let rows = rules.get(lo.wrapping_mul(RULE_SIZE)..hi.wrapping_mul(RULE_SIZE));
            if !rows.is_some_and(|rows| rule_run_valid(rows, &limits)) {
                return Err(self.rule_run_fault(s, lo, hi).unwrap_or(fault(
                    Fault::BadField,
                    SEC_RULES,
                    lo,
                )));
            }
            lo = hi;
        }
        Ok(())
    }

    /// The first fault of source `s`'s run, rules `lo..hi` (the rule
    /// index entries `s` and `s + 1`), rule by rule: `None` if it has
    /// none. Validation before version 2 checked every run this way.
    #[cold]
    #[inline(never)]
    fn rule_run_fault(&self, s: usize, lo: usize, hi: usize) -> Option<PolicyError> {
        let nrules = self.rules().len();
        if lo > hi || hi > nrules {
            return Some(fault(Fault::Unsorted, SEC_RULEIDX, s.wrapping_add(1)));
        }
        let rows = self
            .rules()
            .data
            .get(lo.wrapping_mul(RULE_SIZE)..hi.wrapping_mul(RULE_SIZE))?;
        let classes = self.classes();
        let (nids, nclasses) = (self.ids().len(), classes.len());
        let mut prev: Option<u64> = None;
        for (k, row) in rows.chunks_exact(RULE_SIZE).enumerate() {
            let r = lo.wrapping_add(k);
            let field = |f: usize| row_u32(row, f);
            let (target, class) = (field(RULE_TARGET), field(RULE_CLASS));
            if us(target) >= nids || us(class) >= nclasses {
                return Some(fault(Fault::OutOfRange, SEC_RULES, r));
            }
            // (class, target) order: the little-endian u64 of the target
            // and class fields.
            let key = u64::from(target) | (u64::from(class) << 32);
            if prev.is_some_and(|p| key <= p) {
                return Some(fault(Fault::Unsorted, SEC_RULES, r));
            }
            prev = Some(key);
            let valid = class_mask(classes.get(us(class), CLASS_PCOUNT));
            let used = field(RULE_ALLOWED) | field(RULE_AUDITALLOW) | field(RULE_DONTAUDIT);
            if used & !valid != 0 {
                return Some(fault(Fault::BadField, SEC_RULES, r));
            }
        }
        None
    }

    /// Transitions: sorted by (source, target, class), all in range.
    fn check_transitions(&self) -> Result<(), PolicyError> {
        let (trans, ntypes, nclasses) = (self.trans(), self.ntypes(), self.classes().len());
        check_ascending(SEC_TRANS, 0..trans.len(), |i| {
            let key = (trans.get(i, 0), trans.get(i, 1), trans.get(i, 2));
            let in_range = key.0 < ntypes
                && key.1 < ntypes
                && us(key.2) < nclasses
                && trans.get(i, 3) < ntypes;
            (key, in_range)
        })
    }

    /// Initial labels: types.
    fn check_initial(&self) -> Result<(), PolicyError> {
        for i in 0..NUM_INITIAL {
            if self.initial().get(i, 0) >= self.ntypes() {
                return Err(fault(Fault::OutOfRange, SEC_INITIAL, i));
            }
        }
        Ok(())
    }

    /// Filesystem labels: sorted by name, with a type and known flags.
    fn check_fsdef(&self) -> Result<(), PolicyError> {
        let mut prev_name: &[u8] = &[];
        for i in 0..self.fsdef().len() {
            prev_name = self.sorted_ident(&self.fsdef(), SEC_FSDEF, i, prev_name)?;
            if self.fsdef().get(i, FS_TYPE) >= self.ntypes() {
                return Err(fault(Fault::OutOfRange, SEC_FSDEF, i));
            }
            if self.fsdef().get(i, FS_FLAGS) & !FS_USE_XATTR != 0 {
                return Err(fault(Fault::BadField, SEC_FSDEF, i));
            }
        }
        Ok(())
    }

    /// File contexts: patterns, types and kinds.
    fn check_fcon(&self) -> Result<(), PolicyError> {
        for i in 0..self.fcon().len() {
            match self.name_at(&self.fcon(), i) {
                Some(p) if !p.is_empty() && p.len() <= MAX_PATTERN_LEN && !p.contains(&0) => {}
                _ => return Err(fault(Fault::BadName, SEC_FCON, i)),
            }
            if self.fcon().get(i, 2) >= self.ntypes() {
                return Err(fault(Fault::OutOfRange, SEC_FCON, i));
            }
            if self.fcon().get(i, 3) > FileContextKind::Regex as u32 {
                return Err(fault(Fault::BadField, SEC_FCON, i));
            }
        }
        Ok(())
    }

    /// Builds the kernel→policy class and permission mapping by name.
    fn map_classes(&mut self) -> Result<(), PolicyError> {
        let hu = self.ix().handle_unknown;
        // The policy classes with a type_transition rule (validated:
        // below `classes.len()`, at most MAX_CLASSES).
        let mut with_transitions = [0u64; MAX_CLASSES / 64];
        for i in 0..self.trans().len() {
            let c = us(self.trans().get(i, 2));
            if let Some(word) = with_transitions.get_mut(c / 64) {
                *word |= 1u64 << (c % 64);
            }
        }
        let mut map = [EMPTY_MAPPING; NUM_CLASSES];
        for (kc, m) in KernelClass::ALL.iter().zip(map.iter_mut()) {
            let kname = kc.name();
            let pc = find_class(&self.classes(), self.strings(), kname.as_bytes());
            let Some(pc) = pc else {
                if hu == HandleUnknown::Reject {
                    return Err(PolicyError::MissingClass { class: kname });
                }
                m.policy_class = NO_CLASS;
                m.unknown_allowed = if hu == HandleUnknown::Allow {
                    kc.all_perms()
                } else {
                    0
                };
                continue;
            };
            m.policy_class = u32::try_from(pc).unwrap_or(NO_CLASS);
            m.transitions = with_transitions
                .get(pc / 64)
                .is_some_and(|word| word & (1u64 << (pc % 64)) != 0);
            m.kernel_perms = kc.all_perms();
            let ps = us(self.classes().get(pc, CLASS_PSTART));
            let pcount = us(self.classes().get(pc, CLASS_PCOUNT));
            let mut names: [&[u8]; MAX_PERMS_PER_CLASS] = [&[]; MAX_PERMS_PER_CLASS];
            for (j, slot) in names.iter_mut().enumerate().take(pcount) {
                *slot = name_of(&self.perms(), self.strings(), ps.wrapping_add(j));
            }
            let names = names.get(..pcount).unwrap_or(&[]);
            let mut identity = true;
            for (kbit, pname) in kc.perm_names().iter().enumerate() {
                let pname_b = pname.as_bytes();
                // Usually the policy lists permissions in kernel order.
                let found = if names.get(kbit) == Some(&pname_b) {
                    Some(kbit)
                } else {
                    names.iter().position(|n| *n == pname_b)
                };
                identity &= found == Some(kbit);
                if found.is_none() {
                    match hu {
                        HandleUnknown::Reject => {
                            return Err(PolicyError::MissingPermission {
                                class: kname,
                                perm: pname,
                            })
                        }
                        HandleUnknown::Allow => {
                            m.unknown_allowed |= 1u32.checked_shl(kbit as u32).unwrap_or(0)
                        }
                        HandleUnknown::Deny => {}
                    }
                }
            }
            m.identity = identity;
        }
        if let IndexRef::Owned(index) = &mut self.index {
            index.map = map;
        }
        Ok(())
    }
}

/// The reference model of the rule check: the check before version 2,
/// rule by rule, for the tests and the fuzzer, which check that the
/// faster one accepts exactly what it accepts and reports the same fault.
#[cfg(any(test, fuzzing))]
impl<'a> PolicyDb<'a> {
    /// [`PolicyDb::parse`] with the reference rule check (tests and
    /// fuzzing only).
    pub fn parse_reference(data: &'a [u8]) -> Result<PolicyDb<'a>, PolicyError> {
        Self::parse_with(data, Self::check_rules_reference)
    }

    fn check_rules_reference(&self) -> Result<(), PolicyError> {
        let nids = self.ids().len();
        let nrules = self.rules().len();
        let ruleidx = self.ruleidx();
        if ruleidx.get(0, 0) != 0 || us(ruleidx.get(nids, 0)) != nrules {
            return Err(sec_size(SEC_RULEIDX));
        }
        for s in 0..nids {
            let lo = us(ruleidx.get(s, 0));
            let hi = us(ruleidx.get(s + 1, 0));
            if lo > hi || hi > nrules {
                return Err(fault(Fault::Unsorted, SEC_RULEIDX, s + 1));
            }
            let classes = self.classes();
            let mut prev: Option<(u32, u32)> = None;
            for r in lo..hi {
                let rules = self.rules();
                let (target, class) = (rules.get(r, RULE_TARGET), rules.get(r, RULE_CLASS));
                if us(target) >= nids || us(class) >= classes.len() {
                    return Err(fault(Fault::OutOfRange, SEC_RULES, r));
                }
                if prev.is_some_and(|p| (class, target) <= p) {
                    return Err(fault(Fault::Unsorted, SEC_RULES, r));
                }
                prev = Some((class, target));
                let used = rules.get(r, RULE_ALLOWED)
                    | rules.get(r, RULE_AUDITALLOW)
                    | rules.get(r, RULE_DONTAUDIT);
                if used & !class_mask(classes.get(us(class), CLASS_PCOUNT)) != 0 {
                    return Err(fault(Fault::BadField, SEC_RULES, r));
                }
            }
        }
        Ok(())
    }
}

// `rule_run_valid` looks classes up by their low byte.
const _: () = assert!(MAX_CLASSES == 1 << u8::BITS);

/// What the rules of a policy may refer to, for [`rule_run_valid`],
/// indexed by class.
struct RuleLimits {
    /// The end of the class's keys: a rule of class `c` has a key below
    /// `(c << 32) | nids` (and at or above `c << 32`); 0 for the numbers
    /// that are no class.
    key_end: [u64; MAX_CLASSES],
    /// The permission bits the class does not have.
    invalid: [u32; MAX_CLASSES],
}

/// Whether the rule rows `rows` (a whole number of rules) are one valid
/// source's run: keys (class, target) strictly ascending, targets and
/// classes in range, no permission outside the rule's class.
///
/// The policy load spends most of its time here, so the loop reads the
/// rules two by two, each rule's key as one `u64`, and looks its class up
/// by the class's low byte, which needs no bounds check: a key below the
/// end of that class's keys has that class, so a class, and a target
/// below `nids`. Accepts exactly the runs [`PolicyDb::rule_run_fault`]
/// accepts (tested against it).
#[inline]
fn rule_run_valid(rows: &[u8], limits: &RuleLimits) -> bool {
    let (first, rest) = rows.split_at(RULE_SIZE.min(rows.len()));
    if first.is_empty() {
        return true;
    }
    let Some(mut prev) = rule_key(first, 0, limits) else {
        return false;
    };
    let mut pairs = rest.chunks_exact(2 * RULE_SIZE);
    for pair in pairs.by_ref() {
        // Of known size: the reads below need no bounds checks.
        let Ok(pair) = <&[u8; 2 * RULE_SIZE]>::try_from(pair) else {
            return false;
        };
        let Some(a) = rule_key(pair, 0, limits) else {
            return false;
        };
        if a <= prev {
            return false;
        }
        let Some(b) = rule_key(pair, RULE_SIZE, limits) else {
            return false;
        };
        if b <= a {
            return false;
        }
        prev = b;
    }
    for row in pairs.remainder().chunks_exact(RULE_SIZE) {
        match rule_key(row, 0, limits) {
            Some(key) if key > prev => prev = key,
            _ => return false,
        }
    }
    true
}

/// The key (class, target) of the rule at byte `at` of `rows`, the
/// little-endian `u64` of its first two fields, if its class and target
/// are in range and its permissions are its class's (looked up by the
/// class's low byte, see [`rule_run_valid`]); `None` if not.
#[inline(always)]
fn rule_key(rows: &[u8], at: usize, limits: &RuleLimits) -> Option<u64> {
    let field = |f: usize| rd32(rows, at.wrapping_add(f.wrapping_mul(4)));
    let key = rd64(rows, at);
    let class_low = usize::from(rows.get(at.wrapping_add(RULE_CLASS * 4)).copied()?);
    if key >= *limits.key_end.get(class_low)? {
        return None;
    }
    let used = field(RULE_ALLOWED) | field(RULE_AUDITALLOW) | field(RULE_DONTAUDIT);
    if used & limits.invalid.get(class_low)? != 0 {
        return None;
    }
    Some(key)
}

/// The header: size, magic, version, length, checksum, flags and section
/// count. Returns the unknown-class handling and the stored checksum.
fn check_header(data: &[u8]) -> Result<(HandleUnknown, u64), PolicyError> {
    let len = data.len();
    if len > POLICY_MAX_SIZE {
        return Err(PolicyError::TooLarge { len });
    }
    if len < HEADER_SIZE {
        return Err(PolicyError::Truncated {
            need: HEADER_SIZE,
            have: len,
        });
    }
    let magic = rd32(data, HDR_MAGIC);
    if magic != POLICY_MAGIC {
        return Err(PolicyError::BadMagic(magic));
    }
    let version = rd32(data, HDR_VERSION);
    if version != POLICY_VERSION {
        return Err(PolicyError::UnsupportedVersion(version));
    }
    let hlen = us(rd32(data, HDR_LENGTH));
    if hlen > len {
        return Err(PolicyError::Truncated {
            need: hlen,
            have: len,
        });
    }
    if hlen != len {
        return Err(PolicyError::LengthMismatch {
            header: hlen,
            actual: len,
        });
    }
    if len % 4 != 0 {
        return Err(PolicyError::Misaligned(len));
    }
    let computed = checksum(data);
    let stored = rd64(data, HDR_CHECKSUM);
    if computed != stored {
        return Err(PolicyError::ChecksumMismatch { stored, computed });
    }
    let flags = rd32(data, HDR_FLAGS);
    let handle_unknown = match flags & FLAG_HANDLE_UNKNOWN_MASK {
        0 => HandleUnknown::Deny,
        1 => HandleUnknown::Allow,
        2 => HandleUnknown::Reject,
        _ => return Err(PolicyError::BadFlags(flags)),
    };
    if flags & !FLAGS_KNOWN != 0 {
        return Err(PolicyError::BadFlags(flags));
    }
    let nsec = rd32(data, HDR_NSECTIONS);
    if us(nsec) != NUM_SECTIONS {
        return Err(PolicyError::BadSectionCount(nsec));
    }
    Ok((handle_unknown, stored))
}

/// The section directory: aligned, ascending, inside the file, whole
/// entries. Returns each section's byte range.
fn check_directory(data: &[u8]) -> Result<[(usize, usize); NUM_SECTIONS], PolicyError> {
    let mut ranges = [(0usize, 0usize); NUM_SECTIONS];
    let mut prev_end = HEADER_SIZE;
    for (i, ((r, name), esize)) in ranges
        .iter_mut()
        .zip(SECTION_NAMES)
        .zip(SECTION_ENTRY_SIZE)
        .enumerate()
    {
        let d = HDR_SECTIONS.wrapping_add(i.wrapping_mul(8));
        let off = us(rd32(data, d));
        let size = us(rd32(data, d.wrapping_add(4)));
        let end = off.checked_add(size);
        let range = match end {
            Some(end) if off % 4 == 0 && off >= prev_end && end <= data.len() => off..end,
            _ => return Err(PolicyError::SectionOutOfRange { section: name }),
        };
        prev_end = range.end;
        if size.checked_rem(esize) != Some(0) {
            return Err(PolicyError::SectionSize { section: name });
        }
        *r = (range.start, range.end);
    }
    Ok(ranges)
}

/// Entries `range` of section `sec`, where `entry` gives each one's sort
/// key and whether its indexes are in range: in range, keys strictly
/// ascending. The first bad entry is reported.
fn check_ascending<K: PartialOrd + Copy>(
    sec: usize,
    range: core::ops::Range<usize>,
    entry: impl Fn(usize) -> (K, bool),
) -> Result<(), PolicyError> {
    let mut prev: Option<K> = None;
    for i in range {
        let (key, in_range) = entry(i);
        if !in_range {
            return Err(fault(Fault::OutOfRange, sec, i));
        }
        if prev.is_some_and(|p| key <= p) {
            return Err(fault(Fault::Unsorted, sec, i));
        }
        prev = Some(key);
    }
    Ok(())
}

/// Name of entry `i` of `t` in `strings`, if it lies inside.
#[inline(always)]
fn name_in<'a>(strings: &'a [u8], t: &Table<'a>, i: usize) -> Option<&'a [u8]> {
    let off = us(t.get(i, NAME_OFF));
    let n = us(t.get(i, NAME_LEN));
    strings.get(off..off.checked_add(n)?)
}

/// A name's length and first bytes in one word: equal names have equal
/// fingerprints.
fn fingerprint(name: &[u8]) -> u64 {
    name.iter()
        .take(7)
        .fold(name.len() as u64, |print, &b| (print << 8) | u64::from(b))
}

/// Whether `b` is a valid identifier: `[A-Za-z0-9_.-]`, 1..=255 bytes.
fn valid_ident(b: &[u8]) -> bool {
    !b.is_empty()
        && b.len() <= MAX_NAME_LEN
        && b.iter()
            .all(|&c| IDENT_BYTES.get(usize::from(c)).is_some_and(|&ok| ok))
}

/// Whether each byte value may appear in an identifier: one load per
/// byte instead of four range tests.
// Evaluated at compile time: an out-of-range index would fail the build.
#[allow(clippy::indexing_slicing)]
const IDENT_BYTES: [bool; 256] = {
    let mut table = [false; 256];
    let mut i = 0;
    while i < 256 {
        let c = i as u8;
        table[i] = c.is_ascii_alphanumeric() || c == b'_' || c == b'.' || c == b'-';
        i += 1;
    }
    table
};

/// The name of section `sec`.
fn section(sec: usize) -> &'static str {
    SECTION_NAMES.get(sec).copied().unwrap_or("")
}

fn sec_size(sec: usize) -> PolicyError {
    PolicyError::SectionSize {
        section: section(sec),
    }
}

/// What is wrong with one entry of a section.
#[derive(Clone, Copy)]
enum Fault {
    BadName,
    BadField,
    OutOfRange,
    Unsorted,
}

/// The error for entry `index` of section `sec`.
fn fault(kind: Fault, sec: usize, index: usize) -> PolicyError {
    let section = section(sec);
    match kind {
        Fault::BadName => PolicyError::BadName { section, index },
        Fault::BadField => PolicyError::BadField { section, index },
        Fault::OutOfRange => PolicyError::IndexOutOfRange { section, index },
        Fault::Unsorted => PolicyError::Unsorted { section, index },
    }
}

/// Mask of the low `count` bits (`count` ≤ 32).
/// Field `f` (a `u32` index) of a table row; 0 past its end.
#[inline(always)]
fn row_u32(row: &[u8], f: usize) -> u32 {
    let at = f.wrapping_mul(4);
    match row.get(at..at.wrapping_add(4)) {
        Some(&[a, b, c, d]) => u32::from_le_bytes([a, b, c, d]),
        _ => 0,
    }
}

fn class_mask(count: u32) -> u32 {
    1u32.checked_shl(count)
        .map_or(u32::MAX, |v| v.wrapping_sub(1))
}

/// The index of the policy class named `name` (binary search).
fn find_class(classes: &Table<'_>, strings: &[u8], name: &[u8]) -> Option<usize> {
    let (mut lo, mut hi) = (0usize, classes.len());
    while lo < hi {
        let mid = lo.wrapping_add(hi.wrapping_sub(lo) >> 1);
        match name_of(classes, strings, mid).cmp(name) {
            core::cmp::Ordering::Less => lo = mid.wrapping_add(1),
            core::cmp::Ordering::Greater => hi = mid,
            core::cmp::Ordering::Equal => return Some(mid),
        }
    }
    None
}
