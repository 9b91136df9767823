// SPDX-License-Identifier: GPL-2.0

//! One large file parsed in pieces on several threads, with the result of
//! a parse of the whole file in one go.
//!
//! The file is cut at line starts that look like statement starts (an
//! identifier at the start of a line after a `;` or `}`); each piece is
//! parsed from its cut with its own copy of the interner. A guess can be
//! wrong (a statement written over several lines), so it is only taken
//! when the parse of the piece before stops exactly there, at the start
//! of a statement; else that parse goes on over the next piece, whose
//! own parse is dropped. The pieces' statements then follow one another,
//! and the names each piece interned are added in its order, so that
//! every name has the symbol a parse in one go gives it.

use codespan_reporting::diagnostic::Diagnostic;

use crate::intern::{Interner, Sym};
use crate::syntax::{self, Name, Perms, PieceEnd, Stmt};

/// Files below this size per thread are parsed in one go: a thread and
/// the merge cost more than they save.
const MIN_PIECE: usize = 64 << 10;

/// Parses `src` (file `file`) as [`syntax::parse`] does, the statements
/// in order in one or more vectors, on up to `threads` threads.
pub(crate) fn parse(
    file: usize,
    src: &str,
    names: &mut Interner,
    threads: usize,
) -> Result<Vec<Vec<Stmt>>, Diagnostic<usize>> {
    parse_cut(file, src, names, threads, MIN_PIECE)
}

/// [`parse`] with pieces of at least `min_piece` bytes.
fn parse_cut(
    file: usize,
    src: &str,
    names: &mut Interner,
    threads: usize,
    min_piece: usize,
) -> Result<Vec<Vec<Stmt>>, Diagnostic<usize>> {
    let file = syntax::file_id(file, src)?;
    let pieces = threads.min(src.len() / min_piece.max(1)).max(1);
    let cuts = cuts(src.as_bytes(), pieces);
    if cuts.is_empty() {
        return syntax::parse_piece(file, src, 0, &[], names).map(|(stmts, _)| vec![stmts]);
    }
    let base = names.len();
    let (first, later) = std::thread::scope(|s| {
        let later: Vec<_> = cuts
            .iter()
            .enumerate()
            .map(|(i, &start)| {
                let mut own = names.clone();
                let after = cuts.get(i + 1..).unwrap_or_default();
                s.spawn(move || {
                    let parsed = syntax::parse_piece(file, src, start, after, &mut own);
                    (parsed, own)
                })
            })
            .collect();
        let first = syntax::parse_piece(file, src, 0, &cuts, names);
        let later: Vec<_> = later
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
            .collect();
        (first, later)
    });
    let (stmts, mut end) = first?;
    let mut out = vec![stmts];
    let mut later: Vec<_> = later.into_iter().map(Some).collect();
    // Follow the pieces each parse handed over to, from the first.
    let mut piece = 0;
    while let PieceEnd::Boundary(i) = end {
        piece += i + 1;
        let Some((parsed, own)) = later.get_mut(piece - 1).and_then(Option::take) else {
            break;
        };
        let (mut stmts, e) = parsed?;
        let symbols = names.absorb(&own, base);
        for s in &mut stmts {
            renumber(s, base, &symbols);
        }
        out.push(stmts);
        end = e;
    }
    Ok(out)
}

/// Up to `pieces - 1` cuts of `src`, ascending: line starts where a
/// statement likely starts, near the even shares of the file.
fn cuts(src: &[u8], pieces: usize) -> Vec<usize> {
    let mut out: Vec<usize> = Vec::new();
    for i in 1..pieces {
        let from = (src.len() / pieces * i).max(out.last().map_or(0, |&c| c + 1));
        if let Some(c) = statement_start(src, from) {
            if out.last().is_none_or(|&last| last < c) {
                out.push(c);
            }
        }
    }
    out
}

/// The first line start at or after `from` that begins with an
/// identifier, after a line whose last non-blank byte is `;` or `}`.
fn statement_start(src: &[u8], from: usize) -> Option<usize> {
    let mut at = from;
    loop {
        let line = at + src.get(at..)?.iter().position(|&b| b == b'\n')? + 1;
        at = line;
        let starts_ident = src
            .get(line)
            .is_some_and(|&b| b.is_ascii_alphabetic() || b == b'_');
        let ends_statement = src
            .get(..line)?
            .iter()
            .rev()
            .find(|b| !b.is_ascii_whitespace())
            .is_some_and(|&b| b == b';' || b == b'}');
        if starts_ident && ends_statement {
            return Some(line);
        }
    }
}

/// Gives the names of `s` their symbols in the whole file's interner:
/// a symbol from `base` on is `symbols[sym - base]`.
fn renumber(s: &mut Stmt, base: usize, symbols: &[Sym]) {
    let name = |n: &mut Name| {
        if let Some(&sym) = (n.sym.0 as usize)
            .checked_sub(base)
            .and_then(|i| symbols.get(i))
        {
            n.sym = sym;
        }
    };
    let names = |v: &mut [Name]| v.iter_mut().for_each(name);
    match s {
        Stmt::Include { path: n }
        | Stmt::HandleUnknown { value: n }
        | Stmt::Attribute { name: n }
        | Stmt::Permissive { ty: n } => name(n),
        Stmt::Class { name: n, perms: v }
        | Stmt::Type { name: n, attrs: v }
        | Stmt::TypeAttribute { ty: n, attrs: v } => {
            name(n);
            names(v);
        }
        Stmt::Av {
            src,
            tgt,
            classes,
            perms,
            ..
        } => {
            names(src);
            names(tgt);
            names(classes);
            match perms {
                Perms::All(_) => {}
                Perms::List(v) | Perms::Complement(v) => names(v),
            }
        }
        Stmt::TypeTransition {
            src,
            tgt,
            classes,
            result,
            ..
        } => {
            names(src);
            names(tgt);
            names(classes);
            name(result);
        }
        Stmt::Initial { which: a, ty: b }
        | Stmt::Fs { fs: a, ty: b, .. }
        | Stmt::FileCon {
            pattern: a, ty: b, ..
        } => {
            name(a);
            name(b);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::parse_cut;
    use crate::intern::Interner;
    use crate::syntax::{self, Stmt};

    /// The statements and every symbol's text, or the error's message.
    fn parsed(src: &str, threads: usize) -> Result<(Vec<Stmt>, Vec<String>), String> {
        let mut names = Interner::new();
        let stmts = if threads == 1 {
            syntax::parse(0, src, &mut names)
        } else {
            parse_cut(0, src, &mut names, threads, 16).map(|v| v.concat())
        };
        let stmts = stmts.map_err(|d| format!("{d:?}"))?;
        let texts = (0..names.len())
            .map(|i| names.text(crate::intern::Sym(i as u32)).to_string())
            .collect();
        Ok((stmts, texts))
    }

    #[test]
    fn pieces_parse_as_the_whole() {
        let mut src = String::from("type t0;\nattribute a0;\n");
        for i in 0..300 {
            match i % 7 {
                0 => src.push_str(&format!("type t{i}, a{};\n", i % 5)),
                1 => src.push_str(&format!("allow t{i} n{i} : file {{\nread write }};\n")),
                2 => src.push_str(&format!(
                    "# comment; allow x{i}\nallow t{i} self : dir *;\n"
                )),
                3 => src.push_str(&format!("class c{i} {{\nread\nw{i}\n}}\n")),
                4 => src.push_str(&format!("filecon \"/p{i};\\n\" t{i};\n")),
                5 => src.push_str(&format!(
                    "type_transition {{ t{i} -a1 }} t0 : file new{i};\n"
                )),
                // A line that looks like a statement start but is not.
                6 if i % 2 == 0 => {
                    src.push_str(&format!("allow {{ t{i} a0 }}\nn{i} : file read;\n"))
                }
                _ => src.push_str(&format!("  dontaudit t{i} t{} : file ~read;\n", i / 2)),
            }
        }
        let whole = parsed(&src, 1);
        assert!(whole.is_ok());
        for threads in [2, 3, 5, 16] {
            assert!(parsed(&src, threads) == whole, "{threads} threads");
        }
        let mut names = Interner::new();
        let pieces = parse_cut(0, &src, &mut names, 16, 16).map_or(0, |v| v.len());
        assert!(pieces > 8, "the file was parsed in {pieces} pieces");
        assert!(super::cuts(src.as_bytes(), 16)
            .iter()
            .any(|&c| src[c..].starts_with('n')));
        // An error in any piece is the error of the whole.
        for at in [src.len() / 5, src.len() / 2, src.len() - 3] {
            let mut bad = src.clone();
            bad.insert(at, '@');
            let whole = parsed(&bad, 1);
            assert!(whole.is_err());
            for threads in [2, 3, 5] {
                assert!(
                    parsed(&bad, threads) == whole,
                    "{threads} threads, `@` at {at}"
                );
            }
        }
    }
}
