//! A small Go scanner: just enough structure (package clause, imports,
//! top-level declarations and their signatures, qualified identifiers) to
//! fix up pasted code, detect the exercise and explain wrong signatures,
//! without running the Go toolchain. Pure: text in, data out.

use std::collections::BTreeSet;

/// Kind of token; keywords are identifiers here.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    Ident,
    /// An interpreted or raw string literal.
    Str,
    Rune,
    Number,
    Punct,
}

/// A token: its kind and byte span in the source, and its 1-based line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    pub kind: TokenKind,
    pub start: usize,
    pub end: usize,
    pub line: u32,
}

/// The source could not be scanned (an unterminated literal or comment);
/// the compiler will say more, so callers just skip their fix-ups.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LexError {
    pub line: u32,
    pub message: String,
}

/// Splits Go source into tokens, dropping comments and white space.
///
/// Long on purpose: one loop over the bytes with a branch per kind of
/// token (Go's lexical grammar, in the spec's order), so the whole scanner
/// reads top to bottom; split up, each branch would need the position and
/// line state passed back and forth.
pub fn tokenize(src: &str) -> Result<Vec<Token>, LexError> {
    let bytes = src.as_bytes();
    let mut tokens = Vec::new();
    let mut i = 0;
    let mut line = 1u32;
    while i < bytes.len() {
        let c = bytes[i];
        let start = i;
        let start_line = line;
        match c {
            b'\n' => {
                line += 1;
                i += 1;
                continue;
            }
            b' ' | b'\t' | b'\r' => {
                i += 1;
                continue;
            }
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
                continue;
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                i += 2;
                loop {
                    if i + 1 >= bytes.len() {
                        return Err(LexError {
                            line: start_line,
                            message: "comment not terminated".into(),
                        });
                    }
                    if bytes[i] == b'*' && bytes[i + 1] == b'/' {
                        i += 2;
                        break;
                    }
                    if bytes[i] == b'\n' {
                        line += 1;
                    }
                    i += 1;
                }
                continue;
            }
            b'"' | b'\'' => {
                i += 1;
                loop {
                    match bytes.get(i) {
                        None | Some(b'\n') => {
                            return Err(LexError {
                                line: start_line,
                                message: "literal not terminated".into(),
                            });
                        }
                        Some(b'\\') => i += 2,
                        Some(&q) if q == c => {
                            i += 1;
                            break;
                        }
                        Some(_) => i += 1,
                    }
                }
                let kind = if c == b'"' {
                    TokenKind::Str
                } else {
                    TokenKind::Rune
                };
                tokens.push(Token {
                    kind,
                    start,
                    end: i,
                    line: start_line,
                });
                continue;
            }
            b'`' => {
                i += 1;
                while i < bytes.len() && bytes[i] != b'`' {
                    if bytes[i] == b'\n' {
                        line += 1;
                    }
                    i += 1;
                }
                if i >= bytes.len() {
                    return Err(LexError {
                        line: start_line,
                        message: "raw string not terminated".into(),
                    });
                }
                i += 1;
                tokens.push(Token {
                    kind: TokenKind::Str,
                    start,
                    end: i,
                    line: start_line,
                });
                continue;
            }
            _ => {}
        }
        let kind = if c == b'_' || c.is_ascii_alphabetic() || c >= 0x80 {
            while i < bytes.len()
                && (bytes[i] == b'_' || bytes[i].is_ascii_alphanumeric() || bytes[i] >= 0x80)
            {
                i += 1;
            }
            TokenKind::Ident
        } else if c.is_ascii_digit()
            || (c == b'.' && bytes.get(i + 1).is_some_and(u8::is_ascii_digit))
        {
            while i < bytes.len()
                && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_' || bytes[i] == b'.')
            {
                i += 1;
            }
            TokenKind::Number
        } else {
            let rest = &src[i..];
            let len = ["...", ":=", "<-", "&&", "||", "==", "!="]
                .iter()
                .find(|op| rest.starts_with(**op))
                .map_or_else(
                    || rest.chars().next().map_or(1, char::len_utf8),
                    |op| op.len(),
                );
            i += len;
            TokenKind::Punct
        };
        tokens.push(Token {
            kind,
            start,
            end: i,
            line: start_line,
        });
    }
    Ok(tokens)
}

/// The `package name` clause.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PackageClause {
    pub name: String,
    pub start: usize,
    pub end: usize,
    pub line: u32,
}

/// One import spec: `alias "path"`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportSpec {
    pub alias: Option<String>,
    pub path: String,
    /// The path's literal as written (`"uns\x61fe"`), for messages that
    /// must show what the candidate wrote as well as what Go reads.
    pub literal: String,
    /// Byte span of the spec (alias and path).
    pub start: usize,
    pub end: usize,
    pub line: u32,
    /// Index into `GoFile::import_decls`.
    pub decl: usize,
}

impl ImportSpec {
    /// The name the file uses for the package: the alias, or the last
    /// element of the path (ignoring a `/vN` major version suffix).
    pub fn local_name(&self) -> &str {
        if let Some(alias) = &self.alias {
            return alias;
        }
        let mut parts = self.path.rsplit('/');
        let last = parts.next().unwrap_or(&self.path);
        let is_version = last.len() > 1
            && last.starts_with('v')
            && last[1..].bytes().all(|b| b.is_ascii_digit());
        if is_version {
            parts.next().unwrap_or(last)
        } else {
            last
        }
    }
}

/// One `import` declaration, single or grouped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportDecl {
    pub start: usize,
    pub end: usize,
    pub grouped: bool,
}

/// Kind of a top-level declaration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeclKind {
    Func,
    Method,
    Type,
}

/// A top-level function, method or type declaration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decl {
    pub kind: DeclKind,
    pub name: String,
    /// For methods, the receiver's base type name.
    pub receiver: Option<String>,
    /// The declaration's header with white space collapsed, e.g.
    /// `func Reverse(s []rune) []rune` or `type Counter struct`.
    pub signature: String,
    pub line: u32,
}

/// What the scanner learned about a Go file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GoFile {
    pub package: Option<PackageClause>,
    pub imports: Vec<ImportSpec>,
    pub import_decls: Vec<ImportDecl>,
    pub decls: Vec<Decl>,
    /// Identifiers used as `X.` qualifiers outside import declarations.
    pub qualifiers: BTreeSet<String>,
    /// Identifiers declared with `:=` or `var`, which may shadow packages.
    pub locals: BTreeSet<String>,
    /// Qualifiers that name a package: used as `X.` somewhere X is not a
    /// local of the enclosing function (parameters included) nor a
    /// file-level name. This decides which imports are used or missing.
    pub package_uses: BTreeSet<String>,
}

impl GoFile {
    /// A top-level func or type of this name (not a method).
    pub fn top_level(&self, name: &str) -> Option<&Decl> {
        self.decls
            .iter()
            .find(|d| d.name == name && d.kind != DeclKind::Method)
    }

    /// Whether the name is declared at top level (func or type).
    pub fn declares(&self, name: &str) -> bool {
        self.top_level(name).is_some()
    }

    /// Methods declared on the given type.
    pub fn methods_of<'a>(&'a self, type_name: &'a str) -> impl Iterator<Item = &'a Decl> {
        self.decls
            .iter()
            .filter(move |d| d.kind == DeclKind::Method && d.receiver.as_deref() == Some(type_name))
    }
}

/// A name and the token index it belongs to (where a local comes into
/// scope, or where a qualifier is used).
type NameAt = (String, usize);

/// Scans a Go file for its package clause, imports and declarations.
///
/// Long on purpose: one pass over the tokens tracking brace depth and the
/// declaration in progress; every branch reads and moves that one cursor.
pub fn analyse(src: &str) -> Result<GoFile, LexError> {
    let tokens = tokenize(src)?;
    let text = |t: &Token| &src[t.start..t.end];
    let is = |i: usize, s: &str| tokens.get(i).is_some_and(|t| text(t) == s);
    let mut file = GoFile::default();
    let mut depth = 0i32;
    let mut i = 0;
    // The function being scanned: its last token, its locals (parameters
    // included) with the token from which each hides a package, and the
    // qualifiers used in it with their token.
    let mut function: Option<(usize, Vec<NameAt>, Vec<NameAt>)> = None;
    // The first token after the statement of token `k` (the next line, or
    // after a `;`): where a variable declared there comes into scope
    // (`rand := rand.New(...)` still uses the package in its own statement).
    let next_line = |k: usize| {
        let line = tokens[k].line;
        (k..tokens.len())
            .find_map(|m| {
                if tokens[m].line > line {
                    Some(m)
                } else if text(&tokens[m]) == ";" {
                    Some(m + 1)
                } else {
                    None
                }
            })
            .unwrap_or(tokens.len())
    };
    let package_uses_of = |locals: &[NameAt], uses: Vec<NameAt>| -> Vec<String> {
        uses.into_iter()
            .filter(|(q, at)| !locals.iter().any(|(name, from)| name == q && from <= at))
            .map(|(q, _)| q)
            .collect()
    };
    let mut top_level_uses: Vec<String> = Vec::new();
    let mut top_level_names: BTreeSet<String> = BTreeSet::new();
    while i < tokens.len() {
        if function.as_ref().is_some_and(|(end, _, _)| i > *end) {
            let (_, locals, uses) = function.take().expect("checked");
            file.package_uses.extend(package_uses_of(&locals, uses));
        }
        let tok = &tokens[i];
        let word = text(tok);
        if depth == 0 && tok.kind == TokenKind::Ident {
            match word {
                "package" if file.package.is_none() => {
                    if let Some(name) = tokens.get(i + 1).filter(|t| t.kind == TokenKind::Ident) {
                        file.package = Some(PackageClause {
                            name: text(name).to_owned(),
                            start: tok.start,
                            end: name.end,
                            line: tok.line,
                        });
                        i += 2;
                        continue;
                    }
                }
                "import" => {
                    i = parse_import(src, &tokens, i, &mut file);
                    continue;
                }
                "func" => {
                    // The header is scanned again below, for the qualifiers
                    // in its parameter types (`wg *sync.WaitGroup`).
                    if let Some((decl, body)) = parse_func(src, &tokens, i) {
                        file.decls.push(decl);
                        let end = if is(body, "{") {
                            matching(src, &tokens, body).unwrap_or(tokens.len())
                        } else {
                            body
                        };
                        // Parameters hide packages from the body on; in the
                        // header, `log *log.Logger` still names the package.
                        let params = param_names(src, &tokens, i, body)
                            .into_iter()
                            .map(|p| (p, body))
                            .collect();
                        function = Some((end, params, Vec::new()));
                    }
                }
                "type" => {
                    parse_types(src, &tokens, i, &mut file);
                }
                _ => {}
            }
        }
        match word {
            "{" | "(" | "[" => depth += 1,
            "}" | ")" | "]" => depth -= 1,
            _ => {}
        }
        if tok.kind == TokenKind::Ident {
            let prev_is_dot = i > 0 && is(i - 1, ".");
            if !prev_is_dot
                && is(i + 1, ".")
                && tokens
                    .get(i + 2)
                    .is_some_and(|t| t.kind == TokenKind::Ident)
            {
                file.qualifiers.insert(word.to_owned());
                match &mut function {
                    Some((_, _, uses)) => uses.push((word.to_owned(), i)),
                    None => top_level_uses.push(word.to_owned()),
                }
            }
            let declared_here =
                is(i + 1, ":=") || (i > 0 && (is(i - 1, "var") || is(i - 1, "const")));
            if declared_here {
                file.locals.insert(word.to_owned());
                match &mut function {
                    Some((_, locals, _)) => locals.push((word.to_owned(), next_line(i))),
                    None => {
                        top_level_names.insert(word.to_owned());
                    }
                }
            }
            // `a, b := ...`: every name in the list is declared.
            if is(i + 1, ",") {
                let mut j = i + 1;
                while is(j, ",")
                    && tokens
                        .get(j + 1)
                        .is_some_and(|t| t.kind == TokenKind::Ident)
                {
                    j += 2;
                }
                if is(j, ":=") || (i > 0 && is(i - 1, "var")) {
                    file.locals.insert(word.to_owned());
                    if let Some((_, locals, _)) = &mut function {
                        locals.push((word.to_owned(), next_line(i)));
                    }
                }
            }
        }
        i += 1;
    }
    if let Some((_, locals, uses)) = function.take() {
        file.package_uses.extend(package_uses_of(&locals, uses));
    }
    file.package_uses.extend(top_level_uses);
    // A file-level var, const, func or type of that name is not a package.
    top_level_names.extend(
        file.decls
            .iter()
            .filter(|d| d.kind != DeclKind::Method)
            .map(|d| d.name.clone()),
    );
    file.package_uses.retain(|q| !top_level_names.contains(q));
    Ok(file)
}

/// Names a function header declares: receiver, parameters and named
/// results. In each parenthesised list, a comma-separated part of two or
/// more tokens starting with an identifier (not `pkg.Type`) names it; a
/// lone identifier is a name only when the list has named parts (Go does
/// not mix named and unnamed parameters).
fn param_names(src: &str, tokens: &[Token], func: usize, body: usize) -> BTreeSet<String> {
    let text = |k: usize| tokens.get(k).map(|t| &src[t.start..t.end]).unwrap_or("");
    let mut names = BTreeSet::new();
    let mut k = func + 1;
    while k < body.min(tokens.len()) {
        if text(k) != "(" {
            k += 1;
            continue;
        }
        let Some(close) = matching(src, tokens, k) else {
            break;
        };
        let mut parts: Vec<Vec<usize>> = vec![Vec::new()];
        let mut depth = 0;
        for j in k + 1..close {
            match text(j) {
                "(" | "[" | "{" => depth += 1,
                ")" | "]" | "}" => depth -= 1,
                "," if depth == 0 => {
                    parts.push(Vec::new());
                    continue;
                }
                _ => {}
            }
            if let Some(part) = parts.last_mut() {
                part.push(j);
            }
        }
        let named = |part: &Vec<usize>| {
            part.len() >= 2 && tokens[part[0]].kind == TokenKind::Ident && text(part[1]) != "."
        };
        let any_named = parts.iter().any(named);
        for part in &parts {
            let lone = part.len() == 1 && tokens[part[0]].kind == TokenKind::Ident;
            if named(part) || (any_named && lone) {
                names.insert(text(part[0]).to_owned());
            }
        }
        k = close + 1;
    }
    names
}

/// An import path as Go reads it: a raw string as is, an interpreted one
/// decoded, so `"uns\x61fe"` is `unsafe` to every check after this.
fn unquote(lit: &str) -> String {
    if let Some(raw) = lit.strip_prefix('`').and_then(|l| l.strip_suffix('`')) {
        return raw.to_owned();
    }
    match unquote_go(lit) {
        Some(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
        None => lit.trim_matches('"').to_owned(),
    }
}

/// Decodes a Go double-quoted literal (every escape Go accepts: simple,
/// octal, \x, \u, \U) to bytes; `None` if it is not one.
pub fn unquote_go(literal: &str) -> Option<Vec<u8>> {
    let inner = literal.strip_prefix('"')?.strip_suffix('"')?;
    let mut out = Vec::new();
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            let mut buf = [0u8; 4];
            out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
            continue;
        }
        let esc = chars.next()?;
        let simple = match esc {
            'a' => Some(0x07),
            'b' => Some(0x08),
            'f' => Some(0x0c),
            'n' => Some(b'\n'),
            'r' => Some(b'\r'),
            't' => Some(b'\t'),
            'v' => Some(0x0b),
            '\\' => Some(b'\\'),
            '"' => Some(b'"'),
            '\'' => Some(b'\''),
            _ => None,
        };
        if let Some(b) = simple {
            out.push(b);
            continue;
        }
        if esc.is_digit(8) {
            // \141: three octal digits, one byte.
            let rest: String = chars.by_ref().take(2).collect();
            out.push(u8::from_str_radix(&format!("{esc}{rest}"), 8).ok()?);
            continue;
        }
        let hex_len = match esc {
            'x' => 2,
            'u' => 4,
            'U' => 8,
            _ => return None,
        };
        let hex: String = chars.by_ref().take(hex_len).collect();
        let value = u32::from_str_radix(&hex, 16).ok()?;
        if esc == 'x' {
            out.push(value as u8);
        } else {
            let c = char::from_u32(value)?;
            let mut buf = [0u8; 4];
            out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
        }
    }
    Some(out)
}

/// Parses `import ...` starting at token `i`; returns the index after it.
fn parse_import(src: &str, tokens: &[Token], i: usize, file: &mut GoFile) -> usize {
    let text = |t: &Token| &src[t.start..t.end];
    let decl_index = file.import_decls.len();
    let mut j = i + 1;
    let grouped = tokens.get(j).is_some_and(|t| text(t) == "(");
    let mut specs = Vec::new();
    if grouped {
        j += 1;
        while j < tokens.len() && text(&tokens[j]) != ")" {
            let spec_start = j;
            let mut alias = None;
            if matches!(tokens[j].kind, TokenKind::Ident) || text(&tokens[j]) == "." {
                alias = Some(text(&tokens[j]).to_owned());
                j += 1;
            }
            if let Some(path) = tokens.get(j).filter(|t| t.kind == TokenKind::Str) {
                specs.push(ImportSpec {
                    alias,
                    path: unquote(text(path)),
                    literal: text(path).to_owned(),
                    start: tokens[spec_start].start,
                    end: path.end,
                    line: tokens[spec_start].line,
                    decl: decl_index,
                });
            }
            j += 1;
            if tokens.get(j).is_some_and(|t| text(t) == ";") {
                j += 1;
            }
        }
        let end = tokens.get(j).map_or(src.len(), |t| t.end);
        file.import_decls.push(ImportDecl {
            start: tokens[i].start,
            end,
            grouped: true,
        });
        j += 1;
    } else {
        let mut alias = None;
        if tokens
            .get(j)
            .is_some_and(|t| t.kind == TokenKind::Ident || text(t) == ".")
        {
            alias = Some(text(&tokens[j]).to_owned());
            j += 1;
        }
        if let Some(path) = tokens.get(j).filter(|t| t.kind == TokenKind::Str) {
            specs.push(ImportSpec {
                alias,
                path: unquote(text(path)),
                literal: text(path).to_owned(),
                start: tokens[i + 1].start,
                end: path.end,
                line: tokens[i].line,
                decl: decl_index,
            });
            file.import_decls.push(ImportDecl {
                start: tokens[i].start,
                end: path.end,
                grouped: false,
            });
            j += 1;
        }
    }
    file.imports.extend(specs);
    j
}

/// Index of the token closing the bracket opened at `open`.
fn matching(src: &str, tokens: &[Token], open: usize) -> Option<usize> {
    let mut depth = 0;
    for (k, t) in tokens.iter().enumerate().skip(open) {
        match &src[t.start..t.end] {
            "(" | "[" | "{" => depth += 1,
            ")" | "]" | "}" => {
                depth -= 1;
                if depth == 0 {
                    return Some(k);
                }
            }
            _ => {}
        }
    }
    None
}

fn collapse_whitespace(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Parses a func or method header at token `i`; returns the declaration
/// and the index of the body's opening brace (or the end of the header).
fn parse_func(src: &str, tokens: &[Token], i: usize) -> Option<(Decl, usize)> {
    let text = |k: usize| tokens.get(k).map(|t| &src[t.start..t.end]);
    let mut j = i + 1;
    let mut receiver = None;
    if text(j) == Some("(") {
        let close = matching(src, tokens, j)?;
        let idents: Vec<&str> = tokens[j + 1..close]
            .iter()
            .filter(|t| t.kind == TokenKind::Ident)
            .map(|t| &src[t.start..t.end])
            .collect();
        receiver = match idents.as_slice() {
            [] => None,
            [only] => Some((*only).to_owned()),
            [_, ty, ..] => Some((*ty).to_owned()),
        };
        j = close + 1;
    }
    let name_tok = tokens.get(j).filter(|t| t.kind == TokenKind::Ident)?;
    let name = src[name_tok.start..name_tok.end].to_owned();
    j += 1;
    if text(j) == Some("[") {
        j = matching(src, tokens, j)? + 1;
    }
    if text(j) != Some("(") {
        return None;
    }
    j = matching(src, tokens, j)? + 1;
    // Results run until the body's brace, skipping struct{}/interface{}
    // literals and parenthesised result lists.
    let mut end = tokens.get(j.saturating_sub(1)).map_or(src.len(), |t| t.end);
    while j < tokens.len() {
        match text(j) {
            Some("{") => {
                let after_type_keyword = matches!(text(j - 1), Some("struct" | "interface"));
                if after_type_keyword {
                    j = matching(src, tokens, j)?;
                    end = tokens[j].end;
                    j += 1;
                    continue;
                }
                break;
            }
            Some("(" | "[") => {
                j = matching(src, tokens, j)?;
                end = tokens[j].end;
                j += 1;
            }
            Some(_) if tokens[j].line != name_tok.line && text(j - 1) != Some(",") => {
                // A declaration without a body ends at the line's end.
                break;
            }
            Some(_) => {
                end = tokens[j].end;
                j += 1;
            }
            None => break,
        }
    }
    let kind = if receiver.is_some() {
        DeclKind::Method
    } else {
        DeclKind::Func
    };
    let decl = Decl {
        kind,
        name,
        receiver,
        signature: collapse_whitespace(&src[tokens[i].start..end]),
        line: tokens[i].line,
    };
    Some((decl, j))
}

/// Records the names declared by `type X ...` or `type ( X ...; Y ... )`.
fn parse_types(src: &str, tokens: &[Token], i: usize, file: &mut GoFile) {
    let text = |k: usize| tokens.get(k).map(|t| &src[t.start..t.end]);
    let mut push = |k: usize| {
        let name = text(k).unwrap_or_default().to_owned();
        let kind_word = text(k + 1)
            .filter(|w| *w != "[")
            .map(|w| {
                if w == "=" {
                    text(k + 2).unwrap_or(w)
                } else {
                    w
                }
            })
            .unwrap_or("");
        file.decls.push(Decl {
            kind: DeclKind::Type,
            signature: collapse_whitespace(&format!("type {name} {kind_word}")),
            name,
            receiver: None,
            line: tokens[k].line,
        });
    };
    if text(i + 1) == Some("(") {
        let Some(close) = matching(src, tokens, i + 1) else {
            return;
        };
        let mut depth = 0;
        let mut last_line = 0;
        for (k, token) in tokens.iter().enumerate().take(close).skip(i + 2) {
            match text(k) {
                Some("(" | "[" | "{") => depth += 1,
                Some(")" | "]" | "}") => depth -= 1,
                _ => {}
            }
            if depth == 0 && token.kind == TokenKind::Ident && token.line != last_line {
                push(k);
            }
            last_line = token.line;
        }
    } else if tokens
        .get(i + 1)
        .is_some_and(|t| t.kind == TokenKind::Ident)
    {
        push(i + 1);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_package_imports_and_funcs() {
        let src = "// hi\npackage main\n\nimport (\n\t\"fmt\"\n\tu8 \"unicode/utf8\"\n)\nimport \"strings\"\n\nfunc Reverse(s string) string {\n\treturn strings.ToUpper(fmt.Sprint(s))\n}\nfunc main() { x := 1; _ = x }\n";
        let f = analyse(src).unwrap();
        assert_eq!(f.package.as_ref().unwrap().name, "main");
        let names: Vec<_> = f.imports.iter().map(|i| i.local_name()).collect();
        assert_eq!(names, ["fmt", "u8", "strings"]);
        assert_eq!(f.import_decls.len(), 2);
        assert!(f.import_decls[0].grouped);
        let rev = f.top_level("Reverse").unwrap();
        assert_eq!(rev.signature, "func Reverse(s string) string");
        assert_eq!(rev.line, 10);
        assert!(f.declares("main"));
        assert!(f.qualifiers.contains("strings") && f.qualifiers.contains("fmt"));
        assert!(f.locals.contains("x"));
    }

    #[test]
    fn methods_types_and_odd_results() {
        let src = "type Counter struct {\n mu sync.Mutex\n n int\n}\nfunc (c *Counter) Inc() { c.mu.Lock() }\nfunc (Counter) Value() int { return 0 }\nfunc F() (int, error) { return 0, nil }\nfunc G() interface{ M() } { return nil }\ntype (\n A int\n B struct{ x int }\n)\n";
        let f = analyse(src).unwrap();
        assert!(f.package.is_none());
        assert_eq!(
            f.top_level("Counter").unwrap().signature,
            "type Counter struct"
        );
        let methods: Vec<_> = f.methods_of("Counter").map(|d| d.name.as_str()).collect();
        assert_eq!(methods, ["Inc", "Value"]);
        assert_eq!(f.top_level("F").unwrap().signature, "func F() (int, error)");
        assert_eq!(
            f.top_level("G").unwrap().signature,
            "func G() interface{ M() }"
        );
        assert!(f.declares("A") && f.declares("B"));
        assert!(f.qualifiers.contains("sync"));
        assert!(
            !f.qualifiers.contains("mu"),
            "c.mu.Lock: only the head counts"
        );
        let header = analyse("func worker(wg *sync.WaitGroup) {}\n").unwrap();
        assert!(
            header.qualifiers.contains("sync"),
            "qualifiers in parameter types count"
        );
    }

    #[test]
    fn strings_and_comments_hide_their_contents() {
        let src = "package p\n// strings.Fields in a comment\nvar s = \"fmt.Println\" + `time.Now\n`\n/* os.Exit */ func f() {}\n";
        let f = analyse(src).unwrap();
        assert!(f.qualifiers.is_empty(), "{:?}", f.qualifiers);
        assert_eq!(f.top_level("f").unwrap().line, 5);
    }

    #[test]
    fn a_local_hides_a_package_only_in_its_own_function() {
        let src = "import \"strings\"\nfunc count(s string) int { strings := []string{s}; return len(strings) }\nfunc Reverse(s string) string { var b strings.Builder; return b.String() }\n";
        let f = analyse(src).unwrap();
        assert!(f.package_uses.contains("strings"), "{:?}", f.package_uses);
        let only_local = analyse("func f() {\n\ttime := T{}\n\ttime.X()\n}\n").unwrap();
        assert!(
            only_local.package_uses.is_empty(),
            "{:?}",
            only_local.package_uses
        );
        let same_line =
            analyse("func f() {\n\trand := rand.New(rand.NewSource(1))\n\trand.Intn(3)\n}\n")
                .unwrap();
        assert!(
            same_line.package_uses.contains("rand"),
            "the package is used on the declaring line"
        );
    }

    #[test]
    fn parameters_and_receivers_hide_packages() {
        let src = "func note(log *strings.Builder, s string) { log.WriteString(s) }\nfunc (json *T) M(a, b int) (n int, err error) { json.X(); a.Y() }\n";
        let f = analyse(src).unwrap();
        let uses: Vec<&str> = f.package_uses.iter().map(String::as_str).collect();
        assert_eq!(uses, ["strings"]);
    }

    #[test]
    fn a_file_level_name_is_not_a_package() {
        let f = analyse("var debug = false\nvar errs []error\nfunc f() { debug.X() }\n").unwrap();
        assert!(f.package_uses.is_empty(), "{:?}", f.package_uses);
    }

    #[test]
    fn escaped_import_paths_are_decoded() {
        let f = analyse("package p\nimport (\n_ \"uns\\x61fe\"\n\"sysc\\141ll\"\n`n\\x65t`\n)\n")
            .unwrap();
        let paths: Vec<&str> = f.imports.iter().map(|i| i.path.as_str()).collect();
        assert_eq!(paths, ["unsafe", "syscall", "n\\x65t"]);
    }

    #[test]
    fn versioned_import_path_uses_package_name() {
        let f = analyse("import \"math/rand/v2\"\n").unwrap();
        assert_eq!(f.imports[0].local_name(), "rand");
    }

    #[test]
    fn unterminated_literal_is_an_error() {
        assert!(analyse("var s = \"abc\n").is_err());
    }
}
