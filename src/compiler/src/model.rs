// SPDX-License-Identifier: GPL-2.0

//! Name resolution and checking: statements → [`Policy`].
//!
//! Declarations may appear anywhere (two passes). Kernel classes from
//! `carapace_core::classmap` are predeclared; `class` statements add
//! classes the kernel does not (yet) know.

use std::collections::{BTreeSet, HashMap};

use rustc_hash::FxHashMap;
use smallvec::SmallVec;

use carapace_core::classmap::KernelClass;
use carapace_core::enforcement;
use carapace_core::policy::format::{MAX_ATTRS_PER_TYPE, MAX_NAME_LEN, MAX_PERMS_PER_CLASS};
use carapace_core::policy::{FileContextKind, HandleUnknown};
use codespan_reporting::diagnostic::{Diagnostic, Label};

use crate::intern::{kw, Interner, Sym};
use crate::suggest::{closest, did_you_mean};
use crate::syntax::{AvKind, Name, Perms, Span, Stmt};
use crate::warning::{Warning, Warnings};

/// A class: name and permission names (index = policy bit).
#[derive(Clone, Debug)]
pub struct ClassDef {
    /// Name.
    pub name: String,
    /// Permissions, in bit order.
    pub perms: Vec<String>,
}

/// A type.
#[derive(Clone, Debug)]
pub struct TypeDef {
    /// Name.
    pub name: String,
    /// Attribute indexes (into [`Policy::attributes`]).
    pub attrs: BTreeSet<u32>,
    /// Declared `permissive`.
    pub permissive: bool,
}

/// A type or attribute named in a rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum IdRef {
    /// Type index.
    Type(u32),
    /// Attribute index.
    Attr(u32),
}

/// The types and attributes of a rule's side: nearly always one or two,
/// kept inline.
pub type IdRefs = SmallVec<[IdRef; 2]>;

/// A rule target.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Target {
    /// A type or attribute.
    Id(IdRef),
    /// `self`: the source type itself.
    SelfRef,
}

/// An access vector rule for one class, as written (not expanded).
#[derive(Clone, Debug)]
pub struct AvRule {
    /// Kind.
    pub kind: AvKind,
    /// Sources.
    pub sources: IdRefs,
    /// Targets.
    pub targets: SmallVec<[Target; 2]>,
    /// Class index (into [`Policy::classes`]).
    pub class: u32,
    /// Permission mask in policy bits.
    pub perms: u32,
    /// The statement.
    pub span: Span,
}

/// A type transition rule for one class, as written.
#[derive(Clone, Debug)]
pub struct TransRule {
    /// Sources.
    pub sources: IdRefs,
    /// Targets.
    pub targets: IdRefs,
    /// Class index.
    pub class: u32,
    /// New type.
    pub result: u32,
    /// The statement.
    pub span: Span,
}

/// A resolved policy.
#[derive(Clone, Debug)]
pub struct Policy {
    /// Unknown class/permission handling.
    pub handle_unknown: HandleUnknown,
    /// Classes, kernel ones first.
    pub classes: Vec<ClassDef>,
    /// Types in declaration order (index = [`carapace_core::policy::TypeId`]).
    pub types: Vec<TypeDef>,
    /// Attributes in declaration order.
    pub attributes: Vec<String>,
    /// allow/auditallow/dontaudit/neverallow rules.
    pub rules: Vec<AvRule>,
    /// Type transitions.
    pub transitions: Vec<TransRule>,
    /// Initial labels: kernel, unlabeled, file, security.
    pub initial: [u32; 4],
    /// Filesystem labels: (name, type, use xattr).
    pub fs: Vec<(String, u32, bool)>,
    /// File contexts in order.
    pub filecons: Vec<(FileContextKind, String, u32)>,
}

impl Policy {
    /// Whether type `t` is in the set `r` names.
    pub fn type_in(&self, t: u32, r: IdRef) -> bool {
        match r {
            IdRef::Type(x) => x == t,
            IdRef::Attr(a) => self
                .types
                .get(t as usize)
                .is_some_and(|d| d.attrs.contains(&a)),
        }
    }

    /// The types `r` names.
    pub fn members(&self, r: IdRef) -> Vec<u32> {
        match r {
            IdRef::Type(t) => vec![t],
            IdRef::Attr(_) => (0..self.types.len() as u32)
                .filter(|&t| self.type_in(t, r))
                .collect(),
        }
    }
}

fn label(s: Span) -> Label<usize> {
    s.primary()
}

fn secondary(s: Span) -> Label<usize> {
    s.secondary()
}

#[derive(Clone, Copy)]
enum Decl {
    Type(u32),
    Attr(u32),
}

/// The statements that give a policy its contents, as resolved so far.
#[derive(Default)]
struct Contents {
    rules: Vec<AvRule>,
    transitions: Vec<TransRule>,
    initial: [Option<(u32, Span)>; 4],
    fs: Vec<(String, u32, bool)>,
    fs_seen: FxHashMap<Sym, Span>,
    filecons: Vec<(FileContextKind, String, u32)>,
}

struct Resolver<'n> {
    /// The text of the names.
    interner: &'n Interner,
    errors: Vec<Diagnostic<usize>>,
    warnings: Warnings,
    /// What each name declares, by symbol.
    names: Vec<Option<(Decl, Span)>>,
    classes: Vec<ClassDef>,
    /// Each class's permissions, in bit order, by symbol.
    class_perms: Vec<Vec<Sym>>,
    /// Each class's permissions by symbol: the bit plus one, 0 for a
    /// name that is not one of them (a lookup rather than a search of
    /// the list, for each permission of each rule).
    perm_bits: Vec<Vec<u8>>,
    /// Each class's permissions no hook checks (kernel classes only).
    unenforced: Vec<u32>,
    /// Which class each name is, by symbol.
    class_idx: Vec<Option<(u32, Option<Span>)>>,
    /// The names of the types and attributes, by index.
    type_syms: Vec<Sym>,
    attr_syms: Vec<Sym>,
    types: Vec<TypeDef>,
    attributes: Vec<String>,
    handle_unknown: Option<(HandleUnknown, Span)>,
    contents: Contents,
    /// Whether names looked up now count as uses (from pass 3 on: the
    /// declarations and attribute memberships themselves do not).
    counting: bool,
    /// Types named by a rule, transition or label, by index.
    used_types: Vec<bool>,
    /// Attributes named by a rule or transition, by index.
    used_attrs: Vec<bool>,
}

/// The table of [`Resolver::perm_bits`] for a class whose permissions,
/// in bit order, are `perms` (at most 32: a bit fits in a byte).
fn perm_bits(perms: &[Sym]) -> Vec<u8> {
    let len = perms.iter().map(|p| p.0 as usize + 1).max().unwrap_or(0);
    let mut bits = vec![0u8; len];
    for (bit, p) in perms.iter().enumerate().rev() {
        if let Some(b) = bits.get_mut(p.0 as usize) {
            *b = bit as u8 + 1;
        }
    }
    bits
}

/// Whether `n` is `self` (not an exclusion `-self`).
fn is_self(n: &Name) -> bool {
    !n.neg && n.sym == kw::SELF
}

fn valid_name(n: &str) -> bool {
    !n.is_empty()
        && n.len() <= MAX_NAME_LEN
        && n.bytes()
            .all(|c| c.is_ascii_alphanumeric() || c == b'_' || c == b'.' || c == b'-')
}

impl<'n> Resolver<'n> {
    /// The text of `s`.
    fn text(&self, s: Sym) -> &'n str {
        self.interner.text(s)
    }

    /// What `s` declares.
    fn decl(&self, s: Sym) -> Option<(Decl, Span)> {
        self.names.get(s.0 as usize).copied().flatten()
    }

    fn error(&mut self, msg: impl Into<String>, at: Span, note: &str) {
        self.error_suggesting(msg, at, note, None);
    }

    /// An error at `at`, with "did you mean `suggestion`?" when there is
    /// one.
    fn error_suggesting(
        &mut self,
        msg: impl Into<String>,
        at: Span,
        note: &str,
        suggestion: Option<String>,
    ) {
        let mut l = label(at);
        if !note.is_empty() {
            l = l.with_message(note.to_string());
        }
        let d = Diagnostic::error().with_message(msg).with_labels(vec![l]);
        self.errors.push(match suggestion {
            Some(s) => d.with_notes(vec![did_you_mean(&s)]),
            None => d,
        });
    }

    /// The declared type or attribute name closest to `name`, among
    /// types if `types`, among attributes if `attrs`.
    fn closest_name(&self, name: &str, types: bool, attrs: bool) -> Option<String> {
        let candidates = self.names.iter().enumerate().filter_map(|(n, d)| match d {
            Some((Decl::Type(_), _)) if types => Some(self.text(Sym(n as u32))),
            Some((Decl::Attr(_), _)) if attrs => Some(self.text(Sym(n as u32))),
            _ => None,
        });
        closest(name, candidates).map(str::to_string)
    }

    /// Records that `d` is named outside its declaration.
    fn mark_used(&mut self, d: Decl) {
        if !self.counting {
            return;
        }
        let (v, i) = match d {
            Decl::Type(t) => (&mut self.used_types, t),
            Decl::Attr(a) => (&mut self.used_attrs, a),
        };
        if let Some(u) = v.get_mut(i as usize) {
            *u = true;
        }
    }

    /// The value keyword `n` stands for among `values`; an error naming
    /// `what` it is and what is `expected` if it is none of them.
    fn keyword<T: Copy>(
        &mut self,
        n: &Name,
        values: &[(&str, T)],
        what: &str,
        expected: &str,
    ) -> Option<T> {
        let text = self.text(n.sym);
        let v = values.iter().find(|(k, _)| *k == text).map(|&(_, v)| v);
        if v.is_none() {
            self.error(format!("unknown {what} `{text}`"), n.span, expected);
        }
        v
    }

    fn declare(&mut self, n: &Name, d: Decl, what: &str) -> bool {
        if n.sym == kw::SELF {
            self.error(
                format!("`self` is reserved and cannot name a {what}"),
                n.span,
                "reserved name",
            );
            return false;
        }
        if let Some((_, prev)) = self.decl(n.sym) {
            self.errors.push(
                Diagnostic::error()
                    .with_message(format!("duplicate declaration of `{}`", self.text(n.sym)))
                    .with_labels(vec![
                        label(n.span).with_message("declared again here"),
                        secondary(prev).with_message("first declared here"),
                    ]),
            );
            return false;
        }
        self.names[n.sym.0 as usize] = Some((d, n.span));
        true
    }

    fn id(&mut self, n: &Name) -> Option<IdRef> {
        match self.decl(n.sym).map(|(d, _)| d) {
            Some(d @ Decl::Type(t)) => {
                self.mark_used(d);
                Some(IdRef::Type(t))
            }
            Some(d @ Decl::Attr(a)) => {
                self.mark_used(d);
                Some(IdRef::Attr(a))
            }
            None => {
                let s = self.closest_name(self.text(n.sym), true, true);
                self.error_suggesting(
                    format!("unknown type or attribute `{}`", self.text(n.sym)),
                    n.span,
                    "not declared",
                    s,
                );
                None
            }
        }
    }

    fn ty(&mut self, n: &Name) -> Option<u32> {
        match self.decl(n.sym).map(|(d, _)| d) {
            Some(d @ Decl::Type(t)) => {
                self.mark_used(d);
                Some(t)
            }
            Some(Decl::Attr(_)) => {
                self.error(
                    format!(
                        "`{}` is an attribute, a type is needed here",
                        self.text(n.sym)
                    ),
                    n.span,
                    "attribute",
                );
                None
            }
            None => {
                let s = self.closest_name(self.text(n.sym), true, false);
                self.error_suggesting(
                    format!("unknown type `{}`", self.text(n.sym)),
                    n.span,
                    "not declared",
                    s,
                );
                None
            }
        }
    }

    fn attr(&mut self, n: &Name) -> Option<u32> {
        match self.decl(n.sym).map(|(d, _)| d) {
            Some(d @ Decl::Attr(a)) => {
                self.mark_used(d);
                Some(a)
            }
            Some(Decl::Type(_)) => {
                self.error(
                    format!(
                        "`{}` is a type, an attribute is needed here",
                        self.text(n.sym)
                    ),
                    n.span,
                    "type",
                );
                None
            }
            None => {
                let s = self.closest_name(self.text(n.sym), false, true);
                self.error_suggesting(
                    format!("unknown attribute `{}`", self.text(n.sym)),
                    n.span,
                    "not declared",
                    s,
                );
                None
            }
        }
    }

    fn class(&mut self, n: &Name) -> Option<u32> {
        match self.class_idx.get(n.sym.0 as usize).copied().flatten() {
            Some((c, _)) => Some(c),
            None => {
                let text = self.text(n.sym);
                let s = closest(text, self.classes.iter().map(|c| c.name.as_str()));
                self.error_suggesting(
                    format!("unknown class `{text}`"),
                    n.span,
                    "no such class",
                    s.map(str::to_string),
                );
                None
            }
        }
    }

    /// Resolves a type set. Without exclusions the names are kept as
    /// written (attributes stay attributes); with `-name` exclusions the
    /// set is expanded to its types.
    /// With `skip_self`, `self` is left out.
    fn ids(&mut self, v: &[Name], skip_self: bool) -> Option<IdRefs> {
        let mut ok = true;
        let mut pos = IdRefs::new();
        let mut neg = IdRefs::new();
        let mut first = None;
        for n in v.iter().filter(|n| !(skip_self && is_self(n))) {
            first.get_or_insert(n.span);
            let list = if n.neg { &mut neg } else { &mut pos };
            match self.id(n) {
                Some(r) => list.push(r),
                None => ok = false,
            }
        }
        if !ok {
            return None;
        }
        if neg.is_empty() {
            return Some(pos);
        }
        if pos.is_empty() {
            let span = first.unwrap_or_default();
            self.error(
                "a type set needs a type or attribute besides its exclusions",
                span,
                "only exclusions",
            );
            return None;
        }
        let excluded: BTreeSet<u32> = neg.iter().flat_map(|r| self.members(*r)).collect();
        let kept: BTreeSet<u32> = pos
            .iter()
            .flat_map(|r| self.members(*r))
            .filter(|t| !excluded.contains(t))
            .collect();
        Some(kept.into_iter().map(IdRef::Type).collect())
    }

    fn members(&self, r: IdRef) -> Vec<u32> {
        match r {
            IdRef::Type(t) => vec![t],
            IdRef::Attr(a) => (0..self.types.len() as u32)
                .filter(|&t| self.types[t as usize].attrs.contains(&a))
                .collect(),
        }
    }

    fn perm_mask(&mut self, class: u32, perms: &Perms) -> Option<u32> {
        let n = self.class_perms[class as usize].len();
        let all = if n >= 32 { u32::MAX } else { (1u32 << n) - 1 };
        match perms {
            Perms::All(_) => Some(all),
            Perms::Complement(list) => Some(all & !self.perm_list(class, list)?),
            Perms::List(list) => self.perm_list(class, list),
        }
    }

    /// The bit of permission `p` in `class`, if it is one of its
    /// permissions (the first, if it is named twice).
    fn perm_bit(&self, class: u32, p: Sym) -> Option<usize> {
        let bits = self.perm_bits.get(class as usize)?;
        let b = *bits.get(p.0 as usize)?;
        b.checked_sub(1).map(usize::from)
    }

    /// The mask of the permissions `list` of `class`.
    fn perm_list(&mut self, class: u32, list: &[Name]) -> Option<u32> {
        let mut m = 0u32;
        let mut ok = true;
        for p in list {
            match self.perm_bit(class, p.sym) {
                Some(i) => m |= 1 << i,
                None => {
                    let def = &self.classes[class as usize];
                    let text = self.text(p.sym);
                    let s = closest(text, def.perms.iter().map(String::as_str)).map(str::to_string);
                    let cname = def.name.clone();
                    self.error_suggesting(
                        format!("permission `{text}` is not in class `{cname}`"),
                        p.span,
                        &format!("not a `{cname}` permission"),
                        s,
                    );
                    ok = false;
                }
            }
        }
        ok.then_some(m)
    }
}

/// Resolves and checks statements (includes already inlined).
///
/// Declarations may come after their use, hence the passes: declarations,
/// attribute memberships (needed to expand exclusions), then rules and
/// labels; then the policy-wide checks and, on a policy without errors,
/// the neverallow rules.
pub fn resolve(stmts: &[Stmt], names: &Interner) -> Result<Resolved, Vec<Diagnostic<usize>>> {
    let mut resolved = resolve_unlinted(&[stmts], names)?;
    crate::lint::warn_redundant(&resolved.policy, &mut resolved.warnings);
    Ok(resolved)
}

/// [`resolve`] without the search for redundant rules, which the caller
/// runs (beside the encoding), of the statements of `runs` one run after
/// the other (as they were parsed: not copied into one vector).
pub(crate) fn resolve_unlinted<S: AsRef<[Stmt]>>(
    runs: &[S],
    names: &Interner,
) -> Result<Resolved, Vec<Diagnostic<usize>>> {
    let stmts = || runs.iter().flat_map(AsRef::as_ref);
    let mut r = Resolver::new(names);
    r.declarations(stmts());
    r.memberships(stmts());
    r.counting = true;
    r.used_types = vec![false; r.types.len()];
    r.used_attrs = vec![false; r.attributes.len()];
    for s in stmts() {
        r.statement(s);
    }
    r.check_policy();
    r.warn_unused();
    let policy = r.policy();
    let mut errors = r.errors;
    if errors.is_empty() {
        check_neverallow(&policy, &mut errors);
    }
    if errors.is_empty() {
        let mut warnings = r.warnings;
        warnings.set_classes(policy.classes.iter().map(|c| c.name.clone()).collect());
        Ok(Resolved { policy, warnings })
    } else {
        Err(errors)
    }
}

/// A resolved policy and the warnings about its sources.
pub struct Resolved {
    /// The policy.
    pub policy: Policy,
    /// Warnings, in source order of discovery.
    pub warnings: Warnings,
}

/// Pass 1: declarations of classes, attributes and types, and
/// `handle_unknown`.
impl<'n> Resolver<'n> {
    /// A resolver that knows the kernel's classes, for the names of
    /// `interner`.
    fn new(interner: &'n Interner) -> Self {
        let mut r = Resolver {
            interner,
            errors: Vec::new(),
            warnings: Warnings::default(),
            names: vec![None; interner.len()],
            classes: Vec::new(),
            class_perms: Vec::new(),
            perm_bits: Vec::new(),
            unenforced: Vec::new(),
            class_idx: vec![None; interner.len()],
            type_syms: Vec::new(),
            attr_syms: Vec::new(),
            types: Vec::new(),
            attributes: Vec::new(),
            handle_unknown: None,
            contents: Contents::default(),
            counting: false,
            used_types: Vec::new(),
            used_attrs: Vec::new(),
        };
        // The interner knows every kernel class and permission name.
        let sym = |s: &str| interner.get(s).unwrap_or_default();
        for kc in KernelClass::ALL {
            if let Some(slot) = r.class_idx.get_mut(sym(kc.name()).0 as usize) {
                *slot = Some((r.classes.len() as u32, None));
            }
            let perms: Vec<Sym> = kc.perm_names().iter().map(|p| sym(p)).collect();
            r.perm_bits.push(perm_bits(&perms));
            r.class_perms.push(perms);
            r.unenforced
                .push(kc.all_perms() & !enforcement::enforced_mask(*kc));
            r.classes.push(ClassDef {
                name: kc.name().to_string(),
                perms: kc.perm_names().iter().map(|s| s.to_string()).collect(),
            });
        }
        r
    }

    fn declarations<'s>(&mut self, stmts: impl Iterator<Item = &'s Stmt>) {
        for s in stmts {
            match s {
                Stmt::Class { name, perms } => self.declare_class(name, perms),
                Stmt::Attribute { name } => {
                    let a = self.attributes.len() as u32;
                    if self.declare(name, Decl::Attr(a), "attribute") {
                        self.attributes.push(self.text(name.sym).to_string());
                        self.attr_syms.push(name.sym);
                    }
                }
                Stmt::Type { name, .. } => {
                    let t = self.types.len() as u32;
                    if self.declare(name, Decl::Type(t), "type") {
                        self.type_syms.push(name.sym);
                        self.types.push(TypeDef {
                            name: self.text(name.sym).to_string(),
                            attrs: BTreeSet::new(),
                            permissive: false,
                        });
                    }
                }
                Stmt::HandleUnknown { value } => self.set_handle_unknown(value),
                _ => {}
            }
        }
        for (n, d) in self.names.iter().enumerate() {
            let n = self.interner.text(Sym(n as u32));
            if let Some((_, span)) = d.filter(|_| !valid_name(n)) {
                self.errors.push(
                    Diagnostic::error()
                        .with_message(format!("invalid name `{n}`"))
                        .with_labels(vec![label(span)]),
                );
            }
        }
    }

    fn declare_class(&mut self, name: &Name, perms: &[Name]) {
        let text = self.text(name.sym);
        if let Some((_, prev)) = self.class_idx[name.sym.0 as usize] {
            let mut labels = vec![label(name.span).with_message("declared again here")];
            if let Some(p) = prev {
                labels.push(secondary(p).with_message("first declared here"));
            }
            let mut d = Diagnostic::error()
                .with_message(format!("duplicate declaration of class `{text}`"))
                .with_labels(labels);
            if prev.is_none() {
                d = d.with_notes(vec![format!(
                    "`{text}` is a kernel class and is always defined"
                )]);
            }
            self.errors.push(d);
            return;
        }
        if !valid_name(text) {
            self.error("invalid class name", name.span, "");
        }
        if perms.is_empty() || perms.len() > MAX_PERMS_PER_CLASS {
            self.error(
                format!("a class needs 1 to {MAX_PERMS_PER_CLASS} permissions"),
                name.span,
                "",
            );
            return;
        }
        let mut seen: FxHashMap<Sym, Span> = FxHashMap::default();
        for p in perms {
            if let Some(prev) = seen.insert(p.sym, p.span) {
                self.errors.push(
                    Diagnostic::error()
                        .with_message(format!("duplicate permission `{}`", self.text(p.sym)))
                        .with_labels(vec![label(p.span), secondary(prev)]),
                );
            }
        }
        self.class_idx[name.sym.0 as usize] = Some((self.classes.len() as u32, Some(name.span)));
        let syms: Vec<Sym> = perms.iter().map(|p| p.sym).collect();
        self.perm_bits.push(perm_bits(&syms));
        self.class_perms.push(syms);
        self.unenforced.push(0);
        self.classes.push(ClassDef {
            name: text.to_string(),
            perms: perms.iter().map(|p| self.text(p.sym).to_string()).collect(),
        });
    }

    fn set_handle_unknown(&mut self, value: &Name) {
        let values = [
            ("deny", HandleUnknown::Deny),
            ("allow", HandleUnknown::Allow),
            ("reject", HandleUnknown::Reject),
        ];
        let expected = "expected `deny`, `allow` or `reject`";
        let Some(v) = self.keyword(value, &values, "handle_unknown value", expected) else {
            return;
        };
        if let Some((_, prev)) = self.handle_unknown {
            self.errors.push(
                Diagnostic::error()
                    .with_message("duplicate handle_unknown")
                    .with_labels(vec![label(value.span), secondary(prev)]),
            );
        }
        self.handle_unknown = Some((v, value.span));
    }
}

/// Pass 2: attribute memberships, needed to expand exclusions.
impl Resolver<'_> {
    fn memberships<'s>(&mut self, stmts: impl Iterator<Item = &'s Stmt>) {
        for s in stmts {
            let (Stmt::Type { name, attrs } | Stmt::TypeAttribute { ty: name, attrs }) = s else {
                continue;
            };
            let t = if matches!(s, Stmt::Type { .. }) {
                match self.decl(name.sym) {
                    Some((Decl::Type(t), sp)) if sp == name.span => Some(t),
                    _ => None,
                }
            } else {
                self.ty(name)
            };
            let Some(t) = t else { continue };
            for a in attrs {
                if let Some(a) = self.attr(a) {
                    self.types[t as usize].attrs.insert(a);
                }
            }
        }
    }
}

/// Pass 3: rules, transitions and labels.
impl Resolver<'_> {
    fn statement(&mut self, s: &Stmt) {
        match s {
            Stmt::Av {
                kind,
                src,
                tgt,
                classes,
                perms,
                span,
            } => self.av_rule(*kind, src, tgt, classes, perms, *span),
            Stmt::TypeTransition {
                src,
                tgt,
                classes,
                result,
                span,
            } => self.type_transition(src, tgt, classes, result, *span),
            Stmt::Permissive { ty } => {
                if let Some(t) = self.ty(ty) {
                    self.types[t as usize].permissive = true;
                }
            }
            Stmt::Initial { which, ty } => self.initial(which, ty),
            Stmt::Fs {
                xattr,
                fs: name,
                ty,
                span,
            } => self.fs(*xattr, name, ty, *span),
            Stmt::FileCon { kind, pattern, ty } => self.filecon(*kind, pattern, ty),
            _ => {}
        }
    }

    /// Warns about each permission named in an `allow` rule that no hook
    /// of the kernel checks yet: the rule grants nothing there.
    fn warn_unenforced(&mut self, classes: &[Name], perms: &Perms) {
        let Perms::List(list) = perms else {
            return;
        };
        for c in classes {
            // Kernel classes come first, and no other class has their names.
            let Some((ci, None)) = self.class_idx.get(c.sym.0 as usize).copied().flatten() else {
                continue;
            };
            let unenforced = self.unenforced[ci as usize];
            if unenforced == 0 {
                continue;
            }
            for p in list {
                let Some(bit) = self.perm_bit(ci, p.sym) else {
                    continue;
                };
                if unenforced & (1 << bit) != 0 {
                    self.warnings.push(Warning::Unenforced {
                        class: KernelClass::ALL[ci as usize],
                        bit: bit as u8,
                        span: p.span,
                    });
                }
            }
        }
    }

    fn av_rule(
        &mut self,
        kind: AvKind,
        src: &[Name],
        tgt: &[Name],
        classes: &[Name],
        perms: &Perms,
        span: Span,
    ) {
        let sources = self.ids(src, false);
        // `self` is not a type: exclusions do not apply to it.
        let has_self = tgt.iter().any(is_self);
        let targets = if tgt.iter().all(is_self) {
            Some(IdRefs::new())
        } else {
            self.ids(tgt, true)
        };
        let targets = targets.map(|v| {
            // Pushed one at a time: collecting goes through the generic
            // extension of a small vector, which costs more.
            let mut t: SmallVec<[Target; 2]> = SmallVec::new();
            for &r in &v {
                t.push(Target::Id(r));
            }
            if has_self {
                t.push(Target::SelfRef);
            }
            t
        });
        let mut sides = sources.zip(targets);
        for (i, c) in classes.iter().enumerate() {
            let Some(ci) = self.class(c) else { continue };
            let Some(m) = self.perm_mask(ci, perms) else {
                continue;
            };
            let Some((sources, targets)) = &mut sides else {
                continue;
            };
            // The last class's rule takes the sides (nearly always the
            // only one); the others copy them as slices (a clone goes
            // item by item).
            let (sources, targets) = if i + 1 == classes.len() {
                (std::mem::take(sources), std::mem::take(targets))
            } else {
                (SmallVec::from_slice(sources), SmallVec::from_slice(targets))
            };
            self.contents.rules.push(AvRule {
                kind,
                sources,
                targets,
                class: ci,
                perms: m,
                span,
            });
        }
        if kind == AvKind::Allow {
            self.warn_unenforced(classes, perms);
        }
    }

    fn type_transition(
        &mut self,
        src: &[Name],
        tgt: &[Name],
        classes: &[Name],
        result: &Name,
        span: Span,
    ) {
        let sources = self.ids(src, false);
        let targets = self.ids(tgt, false);
        let res = self.ty(result);
        let cls: Vec<u32> = classes.iter().filter_map(|c| self.class(c)).collect();
        if let (Some(sources), Some(targets), Some(result)) = (sources, targets, res) {
            for class in cls {
                self.contents.transitions.push(TransRule {
                    sources: sources.clone(),
                    targets: targets.clone(),
                    class,
                    result,
                    span,
                });
            }
        }
    }

    fn initial(&mut self, which: &Name, ty: &Name) {
        let labels = [
            ("kernel", 0),
            ("unlabeled", 1),
            ("file", 2),
            ("security", 3),
        ];
        let expected = "expected `kernel`, `unlabeled`, `file` or `security`";
        let Some(i) = self.keyword(which, &labels, "initial label", expected) else {
            return;
        };
        if let Some((_, prev)) = self.contents.initial[i] {
            self.errors.push(
                Diagnostic::error()
                    .with_message(format!(
                        "duplicate initial label `{}`",
                        self.text(which.sym)
                    ))
                    .with_labels(vec![label(which.span), secondary(prev)]),
            );
            return;
        }
        if let Some(t) = self.ty(ty) {
            self.contents.initial[i] = Some((t, which.span));
        }
    }

    fn fs(&mut self, xattr: bool, name: &Name, ty: &Name, span: Span) {
        let text = self.text(name.sym);
        if !valid_name(text) {
            self.error("invalid filesystem name", name.span, "");
            return;
        }
        if let Some(prev) = self.contents.fs_seen.get(&name.sym) {
            let prev = *prev;
            self.errors.push(
                Diagnostic::error()
                    .with_message(format!("duplicate label for filesystem `{text}`"))
                    .with_labels(vec![label(span), secondary(prev)]),
            );
            return;
        }
        self.contents.fs_seen.insert(name.sym, span);
        if let Some(t) = self.ty(ty) {
            self.contents.fs.push((text.to_string(), t, xattr));
        }
    }

    fn filecon(&mut self, kind: FileContextKind, pattern: &Name, ty: &Name) {
        let text = self.text(pattern.sym);
        if text.is_empty()
            || text.len() > carapace_core::policy::format::MAX_PATTERN_LEN
            || text.contains('\0')
        {
            self.error("invalid file context pattern", pattern.span, "");
            return;
        }
        if kind == FileContextKind::Regex {
            if let Err(e) = regex::Regex::new(&format!("^(?:{text})$")) {
                let msg = e.to_string();
                let last = msg.lines().last().unwrap_or("").trim();
                let last = last.strip_prefix("error: ").unwrap_or(last).to_string();
                self.error(
                    format!("invalid regular expression: {last}"),
                    pattern.span,
                    "",
                );
                return;
            }
        }
        if let Some(t) = self.ty(ty) {
            self.contents.filecons.push((kind, text.to_string(), t));
        }
    }
}

/// After the passes: the checks on the whole policy, and the policy.
impl Resolver<'_> {
    /// Warns about each attribute no rule or transition names, and each
    /// type that neither a rule, transition or label names nor reaches
    /// through one of its attributes: their declarations do nothing.
    fn warn_unused(&mut self) {
        self.used_types.resize(self.types.len(), false);
        self.used_attrs.resize(self.attributes.len(), false);
        let mut unused: Vec<(Span, String)> = Vec::new();
        for (a, name) in self.attributes.iter().enumerate() {
            if !self.used_attrs[a] {
                unused.push((
                    self.decl(self.attr_syms[a])
                        .map_or_else(Span::default, |d| d.1),
                    format!("attribute `{name}` is never used"),
                ));
            }
        }
        for (t, d) in self.types.iter().enumerate() {
            let reached = d.attrs.iter().any(|&a| self.used_attrs[a as usize]);
            if !self.used_types[t] && !reached {
                let name = &d.name;
                let span = self
                    .decl(self.type_syms[t])
                    .map_or_else(Span::default, |d| d.1);
                unused.push((span, format!("type `{name}` is never used")));
            }
        }
        unused.sort_by_key(|(s, _)| (s.file, s.start));
        for (span, msg) in unused {
            self.warnings.push_diagnostic(
                Diagnostic::warning()
                    .with_message(msg)
                    .with_labels(vec![label(span).with_message("declared here")])
                    .with_notes(vec![
                        "no rule, transition or label names it (or an attribute of it)".to_string(),
                    ]),
            );
        }
    }

    /// Attribute counts, at least one type, every initial label.
    fn check_policy(&mut self) {
        for (t, d) in self.types.iter().enumerate() {
            if d.attrs.len() > MAX_ATTRS_PER_TYPE {
                let span = self
                    .decl(self.type_syms[t])
                    .map_or_else(Span::default, |d| d.1);
                self.errors.push(
                    Diagnostic::error()
                        .with_message(format!(
                            "type `{}` has {} attributes, at most {MAX_ATTRS_PER_TYPE} are allowed",
                            d.name,
                            d.attrs.len()
                        ))
                        .with_labels(vec![label(span)]),
                );
            }
        }
        if self.types.is_empty() && self.errors.is_empty() {
            self.errors
                .push(Diagnostic::error().with_message("the policy declares no types"));
        }
        if !self.errors.is_empty() {
            return;
        }
        for (slot, name) in
            self.contents
                .initial
                .iter()
                .zip(["kernel", "unlabeled", "file", "security"])
        {
            if slot.is_none() {
                self.errors.push(
                    Diagnostic::error()
                        .with_message(format!("no initial label `{name}`"))
                        .with_notes(vec![format!("add `initial {name} TYPE;`")]),
                );
            }
        }
    }

    /// The policy resolved (errors stay in `self.errors`).
    fn policy(&mut self) -> Policy {
        let c = std::mem::take(&mut self.contents);
        Policy {
            handle_unknown: self.handle_unknown.map_or(HandleUnknown::Deny, |h| h.0),
            classes: std::mem::take(&mut self.classes),
            types: std::mem::take(&mut self.types),
            attributes: std::mem::take(&mut self.attributes),
            rules: c.rules,
            transitions: c.transitions,
            initial: c.initial.map(|i| i.map_or(0, |(t, _)| t)),
            fs: c.fs,
            filecons: c.filecons,
        }
    }
}

/// A set of types as a bitmap.
#[derive(Clone)]
struct TypeSet(Vec<u64>);

impl TypeSet {
    fn new(n: usize) -> Self {
        TypeSet(vec![0; n.div_ceil(64)])
    }
    fn add(&mut self, t: u32) {
        self.0[(t / 64) as usize] |= 1 << (t % 64);
    }
    fn and(&self, o: &TypeSet) -> TypeSet {
        TypeSet(self.0.iter().zip(&o.0).map(|(a, b)| a & b).collect())
    }
    fn is_empty(&self) -> bool {
        self.0.iter().all(|&w| w == 0)
    }
    fn first(&self) -> Option<u32> {
        self.0
            .iter()
            .enumerate()
            .find(|(_, &w)| w != 0)
            .map(|(i, w)| i as u32 * 64 + w.trailing_zeros())
    }
}

fn set_of(p: &Policy, ids: &[IdRef], cache: &mut HashMap<IdRef, TypeSet>) -> TypeSet {
    let mut s = TypeSet::new(p.types.len());
    for r in ids {
        let m = cache.entry(*r).or_insert_with(|| {
            let mut s = TypeSet::new(p.types.len());
            for t in p.members(*r) {
                s.add(t);
            }
            s
        });
        for (a, b) in s.0.iter_mut().zip(&m.0) {
            *a |= b;
        }
    }
    s
}

fn targets_set(p: &Policy, ts: &[Target], cache: &mut HashMap<IdRef, TypeSet>) -> (TypeSet, bool) {
    let ids: Vec<IdRef> = ts
        .iter()
        .filter_map(|t| match t {
            Target::Id(r) => Some(*r),
            Target::SelfRef => None,
        })
        .collect();
    (set_of(p, &ids, cache), ts.contains(&Target::SelfRef))
}

/// Checks the allow rules against the neverallow rules: an error for each
/// (neverallow, allow) pair where the allow grants a (source, target)
/// pair a permission the neverallow forbids, neverallow by neverallow and
/// then in policy order.
///
/// The allow rules are indexed by class and source type (their
/// attributes expanded), so that a neverallow is checked only against
/// the allow rules of its class that share a source type with it, not
/// against every allow rule.
pub fn check_neverallow(p: &Policy, errors: &mut Vec<Diagnostic<usize>>) {
    let nevers: Vec<&AvRule> = p
        .rules
        .iter()
        .filter(|r| r.kind == AvKind::NeverAllow)
        .collect();
    if nevers.is_empty() {
        return;
    }
    let mut cache = HashMap::new();
    let allows: Vec<&AvRule> = p.rules.iter().filter(|r| r.kind == AvKind::Allow).collect();
    // Members of each attribute, once.
    let mut members = vec![Vec::new(); p.attributes.len()];
    for (t, d) in p.types.iter().enumerate() {
        for &a in &d.attrs {
            if let Some(m) = members.get_mut(a as usize) {
                m.push(t as u32);
            }
        }
    }
    // The attributes' sets from their members, rather than by testing
    // every type when first needed.
    for (a, m) in members.iter().enumerate() {
        let mut set = TypeSet::new(p.types.len());
        for &t in m {
            set.add(t);
        }
        cache.insert(IdRef::Attr(a as u32), set);
    }
    let types_of = |ids: &[IdRef], out: &mut Vec<u32>| {
        for id in ids {
            match *id {
                IdRef::Type(t) => out.push(t),
                IdRef::Attr(a) => out.extend(members.get(a as usize).into_iter().flatten()),
            }
        }
    };
    // (class, source type, allow rule) of the allow rules whose class a
    // neverallow names.
    let mut classes: Vec<u32> = nevers.iter().map(|n| n.class).collect();
    classes.sort_unstable();
    classes.dedup();
    let mut by_source: Vec<(u32, u32, u32)> = Vec::new();
    let mut types = Vec::new();
    for (i, a) in allows.iter().enumerate() {
        if classes.binary_search(&a.class).is_err() {
            continue;
        }
        types.clear();
        types_of(&a.sources, &mut types);
        by_source.extend(types.iter().map(|&t| (a.class, t, i as u32)));
    }
    by_source.sort_unstable();
    by_source.dedup();
    let mut candidates = Vec::new();
    for n in &nevers {
        types.clear();
        types_of(&n.sources, &mut types);
        types.sort_unstable();
        types.dedup();
        candidates.clear();
        for &t in &types {
            let lo = by_source.partition_point(|e| (e.0, e.1) < (n.class, t));
            let hi = lo + by_source[lo..].partition_point(|e| (e.0, e.1) == (n.class, t));
            candidates.extend(by_source[lo..hi].iter().map(|e| e.2));
        }
        candidates.sort_unstable();
        candidates.dedup();
        if candidates.is_empty() {
            continue;
        }
        let ns = set_of(p, &n.sources, &mut cache);
        let (nt, nself) = targets_set(p, &n.targets, &mut cache);
        for a in candidates.iter().map(|&i| allows[i as usize]) {
            if a.class != n.class || a.perms & n.perms == 0 {
                continue;
            }
            let both = ns.and(&set_of(p, &a.sources, &mut cache));
            if both.is_empty() {
                continue;
            }
            let (at, aself) = targets_set(p, &a.targets, &mut cache);
            // (source, target) pairs the allow grants that the neverallow
            // forbids.
            let witness = {
                let plain = both.and(&at); // for self-targets of either kind
                let mut w = None;
                if let Some(s) = both.first() {
                    let cross = nt.and(&at);
                    if !cross.is_empty() {
                        w = Some((s, cross.first().unwrap_or(0)));
                    }
                }
                if w.is_none() && aself {
                    // allow x self: (x, x) for x in both; forbidden if x in nt or nself.
                    let x = if nself {
                        both.first()
                    } else {
                        both.and(&nt).first()
                    };
                    w = x.map(|x| (x, x));
                }
                if w.is_none() && nself {
                    w = plain.first().map(|x| (x, x));
                }
                w
            };
            let Some((s, t)) = witness else { continue };
            let class = &p.classes[a.class as usize];
            let bad = a.perms & n.perms;
            let perms: Vec<&str> = (0..32)
                .filter(|b| bad & (1 << b) != 0)
                .filter_map(|b| class.perms.get(b).map(|s| s.as_str()))
                .collect();
            errors.push(
                Diagnostic::error()
                    .with_message("neverallow violated")
                    .with_labels(vec![
                        label(a.span).with_message(format!(
                            "this rule allows `{} {} : {} {{ {} }}`",
                            p.types[s as usize].name,
                            p.types[t as usize].name,
                            class.name,
                            perms.join(" ")
                        )),
                        secondary(n.span).with_message("forbidden by this neverallow"),
                    ]),
            );
        }
    }
}
