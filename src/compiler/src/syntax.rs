// SPDX-License-Identifier: GPL-2.0

//! Lexer and parser of the carapace policy language.
//!
//! The grammar is in Documentation/policy-language.rst. Parsing turns one
//! source file into a list of statements with byte spans; `include`
//! statements are resolved by [`crate::Sources`].

use codespan_reporting::diagnostic::{Diagnostic, Label};

use smallvec::{smallvec, SmallVec};

use crate::intern::{kw, Interner, Sym};

/// A byte range in one source file.
///
/// Offsets are 32-bit, so that a name with its span takes 20 bytes: a
/// policy holds millions of them. [`parse`] refuses a file of 4 GiB or
/// more.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default, PartialOrd, Ord)]
pub struct Span {
    /// File id in [`crate::Sources`].
    pub file: u32,
    /// First byte.
    pub start: u32,
    /// One past the last byte.
    pub end: u32,
}

impl Span {
    /// The file id, as [`crate::Sources`] takes it.
    pub fn file_id(self) -> usize {
        self.file as usize
    }

    /// The byte range, as `codespan_reporting` labels take it.
    pub fn range(self) -> std::ops::Range<usize> {
        self.start as usize..self.end as usize
    }

    /// A primary label on this span.
    pub fn primary(self) -> Label<usize> {
        Label::primary(self.file_id(), self.range())
    }

    /// A secondary label on this span.
    pub fn secondary(self) -> Label<usize> {
        Label::secondary(self.file_id(), self.range())
    }

    /// The smallest span covering `self` and `other` (same file).
    pub fn to(self, other: Span) -> Span {
        Span {
            file: self.file,
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }
}

/// The names of a list. Most permission lists have one to three names:
/// kept inline, they cost no allocation each.
pub type Names = SmallVec<[Name; 3]>;

/// The types or classes of a rule: nearly always one name, kept inline
/// (a statement with more inline names would be larger, and a large
/// policy holds hundreds of thousands of them).
pub type Set = SmallVec<[Name; 1]>;

/// A name (or string literal) with where it was written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Name {
    /// The text (for strings: unescaped contents), interned.
    pub sym: Sym,
    /// Where it is.
    pub span: Span,
    /// In the type sets of rules, an exclusion `-name` (its span covers
    /// the `-`).
    pub neg: bool,
}

impl Name {
    /// The name `sym` at `span`.
    pub fn new(sym: Sym, span: Span) -> Self {
        Name {
            sym,
            span,
            neg: false,
        }
    }
}

/// Kind of access vector rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum AvKind {
    /// `allow`
    Allow,
    /// `auditallow`
    AuditAllow,
    /// `dontaudit`
    DontAudit,
    /// `neverallow`
    NeverAllow,
}

impl AvKind {
    /// The keyword.
    pub fn keyword(self) -> &'static str {
        match self {
            AvKind::Allow => "allow",
            AvKind::AuditAllow => "auditallow",
            AvKind::DontAudit => "dontaudit",
            AvKind::NeverAllow => "neverallow",
        }
    }
}

/// A permission list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Perms {
    /// `*`: every permission of the class.
    All(Span),
    /// Named permissions.
    List(Names),
    /// `~{ ... }`: every permission of the class except those named.
    Complement(Names),
}

/// How a file context pattern matches.
pub use carapace_core::policy::FileContextKind;

/// One statement.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Stmt {
    /// `include "path";`
    Include {
        /// The path as written.
        path: Name,
    },
    /// `handle_unknown deny|allow|reject;`
    HandleUnknown {
        /// The value.
        value: Name,
    },
    /// `class NAME { perm... }`
    Class {
        /// Class name.
        name: Name,
        /// Permission names in bit order.
        perms: Names,
    },
    /// `attribute NAME;`
    Attribute {
        /// Attribute name.
        name: Name,
    },
    /// `type NAME [, attr]...;`
    Type {
        /// Type name.
        name: Name,
        /// Attributes it has.
        attrs: Names,
    },
    /// `typeattribute TYPE attr[, attr]...;`
    TypeAttribute {
        /// Type name.
        ty: Name,
        /// Attributes added.
        attrs: Names,
    },
    /// `allow|auditallow|dontaudit|neverallow SRC TGT : CLASSES PERMS;`
    Av {
        /// Rule kind.
        kind: AvKind,
        /// Source types/attributes.
        src: Set,
        /// Target types/attributes/`self`.
        tgt: Set,
        /// Classes.
        classes: Set,
        /// Permissions.
        perms: Perms,
        /// The whole statement.
        span: Span,
    },
    /// `type_transition SRC TGT : CLASSES RESULT;`
    TypeTransition {
        /// Source types/attributes.
        src: Set,
        /// Target (parent or executable) types/attributes.
        tgt: Set,
        /// Classes.
        classes: Set,
        /// New type.
        result: Name,
        /// The whole statement.
        span: Span,
    },
    /// `permissive TYPE;`
    Permissive {
        /// The domain.
        ty: Name,
    },
    /// `initial kernel|unlabeled|file|security TYPE;`
    Initial {
        /// Which initial label.
        which: Name,
        /// Its type.
        ty: Name,
    },
    /// `fs_use_xattr FS TYPE;` or `fs_default FS TYPE;`
    Fs {
        /// Whether xattrs are used.
        xattr: bool,
        /// Filesystem type name.
        fs: Name,
        /// Default type.
        ty: Name,
        /// The whole statement.
        span: Span,
    },
    /// `filecon [exact|prefix|regex] "PATTERN" TYPE;`
    FileCon {
        /// How the pattern matches.
        kind: FileContextKind,
        /// The pattern.
        pattern: Name,
        /// The type.
        ty: Name,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Tok {
    Ident(Sym),
    Str(Sym),
    Punct(u8),
    Eof,
}

struct Lexer<'s> {
    src: &'s [u8],
    pos: usize,
    file: u32,
}

/// What each byte is to the lexer, so that the hot loops test one table
/// entry per byte.
const IDENT: u8 = 1; // may continue an identifier
const IDENT_START: u8 = 2; // may start one
const SPACE: u8 = 4;

const BYTE_CLASS: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut c = 0;
    while c < 256 {
        let b = c as u8;
        if b.is_ascii_alphanumeric() || b == b'_' {
            t[c] = IDENT | IDENT_START;
        } else if b == b'.' || b == b'-' {
            t[c] = IDENT;
        } else if b.is_ascii_whitespace() {
            t[c] = SPACE;
        }
        c += 1;
    }
    t
};

fn is_class(c: u8, class: u8) -> bool {
    BYTE_CLASS[usize::from(c)] & class != 0
}

impl Lexer<'_> {
    fn span(&self, start: usize) -> Span {
        // `parse` checked that every offset fits.
        Span {
            file: self.file,
            start: start as u32,
            end: self.pos as u32,
        }
    }

    fn next(&mut self, names: &mut Interner) -> PResult<(Tok, Span)> {
        let src = self.src;
        let mut pos = self.pos;
        let c = loop {
            let Some(&c) = src.get(pos) else {
                self.pos = pos;
                return Ok((Tok::Eof, self.span(pos)));
            };
            if is_class(c, SPACE) {
                pos += 1;
            } else if c == b'#' {
                let rest = src.get(pos..).unwrap_or_default();
                pos += rest.iter().position(|&c| c == b'\n').unwrap_or(rest.len());
            } else {
                break c;
            }
        };
        let start = pos;
        self.pos = pos;
        if is_class(c, IDENT_START) {
            let mut end = start + 1;
            while src.get(end).is_some_and(|&c| is_class(c, IDENT)) {
                end += 1;
            }
            self.pos = end;
            return Ok((
                Tok::Ident(names.intern_in(src, start, end)),
                self.span(start),
            ));
        }
        if c == b'"' {
            self.pos += 1;
            let mut out = Vec::new();
            loop {
                match self.src.get(self.pos) {
                    None | Some(b'\n') => {
                        return Err(Box::new(
                            Diagnostic::error()
                                .with_message("unterminated string")
                                .with_labels(vec![Label::primary(
                                    self.file as usize,
                                    start..self.pos,
                                )
                                .with_message("string starts here")]),
                        ));
                    }
                    Some(b'"') => {
                        self.pos += 1;
                        break;
                    }
                    Some(b'\\') => {
                        match self.src.get(self.pos + 1) {
                            Some(&e @ (b'"' | b'\\')) => out.push(e),
                            _ => {
                                // Keep other escapes (regexes use them).
                                out.push(b'\\');
                                self.pos += 1;
                                continue;
                            }
                        }
                        self.pos += 2;
                    }
                    Some(&b) => {
                        out.push(b);
                        self.pos += 1;
                    }
                }
            }
            return Ok((Tok::Str(names.intern_bytes(&out)), self.span(start)));
        }
        if matches!(c, b'{' | b'}' | b':' | b';' | b',' | b'*' | b'-' | b'~') {
            self.pos += 1;
            return Ok((Tok::Punct(c), self.span(start)));
        }
        // One whole UTF-8 character for the message.
        let ch = std::str::from_utf8(&self.src[start..])
            .ok()
            .and_then(|s| s.chars().next())
            .unwrap_or(c as char);
        self.pos += ch.len_utf8().max(1);
        Err(Box::new(
            Diagnostic::error()
                .with_message(format!("unexpected character `{}`", ch.escape_debug()))
                .with_labels(vec![Label::primary(self.file as usize, start..self.pos)]),
        ))
    }
}

struct Parser<'s, 'n> {
    lex: Lexer<'s>,
    names: &'n mut Interner,
    tok: Tok,
    span: Span,
}

/// Errors are boxed: a diagnostic is large, and every token passes
/// through a `Result`.
type PResult<T> = Result<T, Box<Diagnostic<usize>>>;

impl Parser<'_, '_> {
    fn describe(&self, t: Tok) -> String {
        match t {
            Tok::Ident(s) => format!("`{}`", self.names.text(s)),
            Tok::Str(s) => format!("string \"{}\"", self.names.text(s)),
            Tok::Punct(c) => format!("`{}`", c as char),
            Tok::Eof => "end of file".into(),
        }
    }

    /// Moves to the next token; the span of the one it was on.
    fn bump(&mut self) -> PResult<Span> {
        let old = self.span;
        let (t, s) = self.lex.next(self.names)?;
        self.tok = t;
        self.span = s;
        Ok(old)
    }

    /// The error of a token that is not the `expected` one. Out of line:
    /// the parser's paths stay short.
    #[cold]
    #[inline(never)]
    fn err<T>(&self, expected: &str) -> PResult<T> {
        Err(Box::new(
            Diagnostic::error()
                .with_message(format!(
                    "expected {expected}, found {}",
                    self.describe(self.tok)
                ))
                .with_labels(vec![Label::primary(self.span.file_id(), self.span.range())
                    .with_message(format!("expected {expected}"))]),
        ))
    }

    #[inline]
    fn ident(&mut self, what: &str) -> PResult<Name> {
        if let Tok::Ident(s) = self.tok {
            let n = Name::new(s, self.span);
            self.bump()?;
            Ok(n)
        } else {
            self.err(what)
        }
    }

    fn string(&mut self, what: &str) -> PResult<Name> {
        if let Tok::Str(s) = self.tok {
            let n = Name::new(s, self.span);
            self.bump()?;
            Ok(n)
        } else {
            self.err(what)
        }
    }

    fn is(&self, c: u8) -> bool {
        self.tok == Tok::Punct(c)
    }

    #[inline]
    fn expect(&mut self, c: u8) -> PResult<Span> {
        if self.is(c) {
            self.bump()
        } else {
            self.err_punct(c)
        }
    }

    /// The error of a token that is not the punctuation `c`.
    #[cold]
    #[inline(never)]
    fn err_punct<T>(&self, c: u8) -> PResult<T> {
        self.err(&format!("`{}`", c as char))
    }

    /// `name` or `{ name... }`.
    fn set<A: smallvec::Array<Item = Name>>(&mut self, what: &str) -> PResult<SmallVec<A>> {
        self.set_ex(what, false)
    }

    /// `name` or `{ name... }`; with `neg`, `-name` inside braces is an
    /// exclusion.
    fn set_ex<A: smallvec::Array<Item = Name>>(
        &mut self,
        what: &str,
        neg: bool,
    ) -> PResult<SmallVec<A>> {
        if self.is(b'{') {
            self.bump()?;
            let mut v = SmallVec::new();
            while !self.is(b'}') {
                if neg && self.is(b'-') {
                    let start = self.bump()?;
                    let mut n = self.ident(what)?;
                    n.neg = true;
                    n.span = start.to(n.span);
                    v.push(n);
                } else {
                    v.push(self.ident(what)?);
                }
            }
            if v.is_empty() {
                return self.err(what);
            }
            self.bump()?;
            Ok(v)
        } else {
            let mut v = SmallVec::new();
            v.push(self.ident(what)?);
            Ok(v)
        }
    }

    /// `name [, name]...`
    fn comma_list(&mut self, what: &str) -> PResult<Names> {
        let mut v = smallvec![self.ident(what)?];
        while self.is(b',') {
            self.bump()?;
            v.push(self.ident(what)?);
        }
        Ok(v)
    }

    /// An `allow`, `auditallow`, `dontaudit` or `neverallow` rule, from its
    /// keyword (at `start`) on, into `out`.
    fn av_stmt(&mut self, kind: AvKind, start: Span, out: &mut Vec<Stmt>) -> PResult<bool> {
        self.bump()?;
        let src = self.set_ex("a source type or attribute", true)?;
        let tgt = self.set_ex("a target type, attribute or `self`", true)?;
        self.expect(b':')?;
        let classes = self.set("a class")?;
        let perms = if self.is(b'*') {
            Perms::All(self.bump()?)
        } else if self.is(b'~') {
            self.bump()?;
            Perms::Complement(self.set("a permission")?)
        } else {
            Perms::List(self.set("a permission")?)
        };
        let end = self.expect(b';')?;
        out.push(Stmt::Av {
            kind,
            src,
            tgt,
            classes,
            perms,
            span: start.to(end),
        });
        Ok(true)
    }

    /// A `filecon` statement, from its keyword on.
    fn filecon_stmt(&mut self) -> PResult<Stmt> {
        self.bump()?;
        let kind = match self.tok {
            Tok::Ident(kw::EXACT) => Some(FileContextKind::Exact),
            Tok::Ident(kw::PREFIX) => Some(FileContextKind::Prefix),
            Tok::Ident(kw::REGEX) => Some(FileContextKind::Regex),
            Tok::Str(_) => None,
            _ => return self.err("`exact`, `prefix`, `regex` or a quoted pattern"),
        };
        if kind.is_some() {
            self.bump()?;
        }
        let pattern = self.string("a quoted pattern")?;
        let ty = self.ident("a type name")?;
        self.expect(b';')?;
        Ok(Stmt::FileCon {
            kind: kind.unwrap_or(FileContextKind::Regex),
            pattern,
            ty,
        })
    }

    /// The statement at the current token into `out`; false at the end.
    /// (Pushed here rather than returned: a statement is large, and
    /// passing it up copies it each time.)
    fn stmt(&mut self, out: &mut Vec<Stmt>) -> PResult<bool> {
        let kw = match self.tok {
            Tok::Eof => return Ok(false),
            Tok::Ident(s) => s,
            _ => return self.err("a statement"),
        };
        let start = self.span;
        let stmt = match kw {
            kw::ALLOW => return self.av_stmt(AvKind::Allow, start, out),
            kw::AUDITALLOW => return self.av_stmt(AvKind::AuditAllow, start, out),
            kw::DONTAUDIT => return self.av_stmt(AvKind::DontAudit, start, out),
            kw::NEVERALLOW => return self.av_stmt(AvKind::NeverAllow, start, out),
            kw::INCLUDE => {
                self.bump()?;
                let path = self.string("a quoted file name")?;
                self.expect(b';')?;
                Stmt::Include { path }
            }
            kw::HANDLE_UNKNOWN => {
                self.bump()?;
                let value = self.ident("`deny`, `allow` or `reject`")?;
                self.expect(b';')?;
                Stmt::HandleUnknown { value }
            }
            kw::CLASS => {
                self.bump()?;
                let name = self.ident("a class name")?;
                self.expect(b'{')?;
                let mut perms = Names::new();
                while !self.is(b'}') {
                    perms.push(self.ident("a permission name or `}`")?);
                }
                self.bump()?;
                Stmt::Class { name, perms }
            }
            kw::ATTRIBUTE => {
                self.bump()?;
                let name = self.ident("an attribute name")?;
                self.expect(b';')?;
                Stmt::Attribute { name }
            }
            kw::TYPE => {
                self.bump()?;
                let name = self.ident("a type name")?;
                let mut attrs = Names::new();
                if self.is(b',') {
                    self.bump()?;
                    attrs = self.comma_list("an attribute name")?;
                }
                self.expect(b';')?;
                Stmt::Type { name, attrs }
            }
            kw::TYPEATTRIBUTE => {
                self.bump()?;
                let ty = self.ident("a type name")?;
                let attrs = self.comma_list("an attribute name")?;
                self.expect(b';')?;
                Stmt::TypeAttribute { ty, attrs }
            }
            kw::TYPE_TRANSITION => {
                self.bump()?;
                let src = self.set_ex("a source type or attribute", true)?;
                let tgt = self.set_ex("a target type or attribute", true)?;
                self.expect(b':')?;
                let classes = self.set("a class")?;
                let result = self.ident("the new type")?;
                let end = self.expect(b';')?;
                Stmt::TypeTransition {
                    src,
                    tgt,
                    classes,
                    result,
                    span: start.to(end),
                }
            }
            kw::PERMISSIVE => {
                self.bump()?;
                let ty = self.ident("a type name")?;
                self.expect(b';')?;
                Stmt::Permissive { ty }
            }
            kw::INITIAL => {
                self.bump()?;
                let which = self.ident("`kernel`, `unlabeled`, `file` or `security`")?;
                let ty = self.ident("a type name")?;
                self.expect(b';')?;
                Stmt::Initial { which, ty }
            }
            kw::FS_USE_XATTR | kw::FS_DEFAULT => {
                self.bump()?;
                let fs = self.ident("a filesystem type name")?;
                let ty = self.ident("a type name")?;
                let end = self.expect(b';')?;
                Stmt::Fs {
                    xattr: kw == kw::FS_USE_XATTR,
                    fs,
                    ty,
                    span: start.to(end),
                }
            }
            kw::FILECON => self.filecon_stmt()?,
            _ => {
                return Err(Box::new(
                    Diagnostic::error()
                        .with_message(format!("unknown statement `{}`", self.names.text(kw)))
                        .with_labels(vec![start
                            .primary()
                            .with_message("expected a statement keyword")]),
                ))
            }
        };
        out.push(stmt);
        Ok(true)
    }
}

/// Parses one file's text, its names into `names`. Stops at the first
/// syntax error.
pub fn parse(file: usize, src: &str, names: &mut Interner) -> Result<Vec<Stmt>, Diagnostic<usize>> {
    let file = file_id(file, src)?;
    parse_piece(file, src, 0, &[], names).map(|(stmts, _)| stmts)
}

/// `file` as spans keep it, if `src` is small enough for their offsets.
pub(crate) fn file_id(file: usize, src: &str) -> Result<u32, Diagnostic<usize>> {
    match (u32::try_from(file), u32::try_from(src.len())) {
        (Ok(file), Ok(_)) => Ok(file),
        _ => Err(Diagnostic::error()
            .with_message("a policy file must be smaller than 4 GiB")
            .with_labels(vec![Label::primary(file, 0..0)])),
    }
}

/// Where the parse of a piece of a file stopped.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum PieceEnd {
    /// At the end of the file.
    Eof,
    /// Before the statement that starts at `boundaries[i]`.
    Boundary(usize),
}

/// Parses `src` (file `file`, checked by [`file_id`]) from byte `start`,
/// which is at the start of a statement or of the file, and stops at the
/// end or before a statement that starts exactly at one of `boundaries`
/// (ascending). Stops at the first syntax error.
pub(crate) fn parse_piece(
    file: u32,
    src: &str,
    start: usize,
    boundaries: &[usize],
    names: &mut Interner,
) -> Result<(Vec<Stmt>, PieceEnd), Diagnostic<usize>> {
    let mut p = Parser {
        lex: Lexer {
            src: src.as_bytes(),
            pos: start,
            file,
        },
        names,
        tok: Tok::Eof,
        span: Span::default(),
    };
    let mut out = Vec::new();
    let mut next = 0;
    let mut run = || -> PResult<PieceEnd> {
        p.bump()?;
        loop {
            let at = p.span.start as usize;
            while boundaries.get(next).is_some_and(|&b| b < at) {
                next += 1;
            }
            if boundaries.get(next) == Some(&at) && p.tok != Tok::Eof {
                return Ok(PieceEnd::Boundary(next));
            }
            if !p.stmt(&mut out)? {
                return Ok(PieceEnd::Eof);
            }
        }
    };
    let end = run().map_err(|e| *e)?;
    Ok((out, end))
}
