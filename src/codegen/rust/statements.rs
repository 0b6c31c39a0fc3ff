//! Formatting with each distinct statement parsed and printed once.
//!
//! The templates write a statement of a function body on a line of its own, and most of those
//! lines repeat from handler to handler (`let errors = &mut runtime::Errors::new();`, the
//! same query parameter of every list operation, ...): two thirds of Microsoft Graph's 80 MB of
//! handler statements are repeats. prettyplease prints a statement of a block on lines of its
//! own, starting at the block's indentation and laid out by that indentation alone, so a chunk
//! is formatted as a skeleton, each such line replaced by a placeholder statement, and each
//! placeholder then by its statement printed at the placeholder's indentation, which is
//! printed once per worker for every (statement, indentation).
//!
//! What is taken for a statement is checked, not assumed: a placeholder must come out of the
//! parser as a statement of a block (not an item of a trait, an impl or a module), and a
//! statement must parse on its own into statements that end their line. Anything else (a
//! template override written otherwise, a chunk that does not parse) formats the chunk whole,
//! as before: the text is the same either way.

use std::collections::HashMap;

use syn::visit_mut::{self, VisitMut};

use super::format_rust;
use crate::codegen::CodegenError;

/// The macro the skeleton stands a statement in with: `__oaskit_statement!(INDEX);`.
const PLACEHOLDER: &str = "__oaskit_statement";

/// Statements printed so far, by indentation and source line; `None` for a line that turned
/// out not to be whole statements.
#[derive(Default)]
pub(super) struct StatementCache {
    printed: HashMap<usize, HashMap<Box<str>, Option<String>>>,
}

impl StatementCache {
    /// `source` (whole top-level items) parsed and printed: the text of `format_rust`.
    pub(super) fn format(&mut self, path: &str, source: &str) -> Result<String, CodegenError> {
        self.format_reusing(source)
            .map_or_else(|| format_rust(path, source), Ok)
    }

    /// The printed text, or `None` when it must be formatted whole.
    fn format_reusing(&mut self, source: &str) -> Option<String> {
        if source.contains(PLACEHOLDER) {
            return None;
        }
        let statements = statement_lines(source);
        if statements.is_empty() {
            return None;
        }
        let mut skeleton = String::with_capacity(source.len() / 2);
        let mut copied = 0;
        for (index, line) in statements.iter().enumerate() {
            let start = line.as_ptr() as usize - source.as_ptr() as usize;
            skeleton.push_str(&source[copied..start]);
            skeleton.push_str(&format!("{PLACEHOLDER}!({index});"));
            copied = start + line.len();
        }
        skeleton.push_str(&source[copied..]);

        let mut file = syn::parse_file(&skeleton).ok()?;
        let mut placeholders = Placeholders::default();
        placeholders.visit_file_mut(&mut file);
        if placeholders.as_statements != statements.len()
            || placeholders.anywhere != statements.len()
        {
            return None;
        }
        let printed = prettyplease::unparse(&file);
        drop(file);

        let mut out = String::with_capacity(source.len() + source.len() / 2);
        let mut next = 0;
        for line in printed.split_inclusive('\n') {
            let code = line.trim_start_matches(' ');
            let Some(index) = code
                .strip_prefix(PLACEHOLDER)
                .and_then(|rest| rest.strip_prefix("!("))
                .and_then(|rest| rest.strip_suffix(");\n"))
            else {
                out.push_str(line);
                continue;
            };
            if index.parse::<usize>().ok()? != next {
                return None;
            }
            let indent = line.len() - code.len();
            let printed = self.printed.entry(indent).or_default();
            let line = statements[next];
            if !printed.contains_key(line) {
                printed.insert(line.into(), print_statement(line, indent));
            }
            out.push_str(printed.get(line)?.as_deref()?);
            next += 1;
        }
        (next == statements.len()).then_some(out)
    }
}

/// Counts the placeholders: all of them, and those that are statements of a block.
#[derive(Default)]
struct Placeholders {
    anywhere: usize,
    as_statements: usize,
}

impl VisitMut for Placeholders {
    fn visit_stmt_mut(&mut self, stmt: &mut syn::Stmt) {
        if let syn::Stmt::Macro(m) = stmt
            && m.attrs.is_empty()
            && m.semi_token.is_some()
            && m.mac.path.is_ident(PLACEHOLDER)
        {
            self.as_statements += 1;
        }
        visit_mut::visit_stmt_mut(self, stmt);
    }

    fn visit_macro_mut(&mut self, mac: &mut syn::Macro) {
        if mac.path.is_ident(PLACEHOLDER) {
            self.anywhere += 1;
        }
        visit_mut::visit_macro_mut(self, mac);
    }
}

/// A line of statements printed as the statements of a block indented by `indent` spaces: in
/// a function, inside blocks up to that indentation. `None` unless it parses into statements
/// that each end their line, and prints inside the blocks as expected.
fn print_statement(line: &str, indent: usize) -> Option<String> {
    if indent < 4 || !indent.is_multiple_of(4) {
        return None;
    }
    let depth = indent / 4;
    let mut wrapped = String::with_capacity(line.len() + 16 + 4 * depth);
    wrapped.push_str("fn f() {\n");
    wrapped.push_str(&"{\n".repeat(depth - 1));
    wrapped.push_str(line);
    wrapped.push('\n');
    wrapped.push_str(&"}\n".repeat(depth));
    let file = syn::parse_file(&wrapped).ok()?;
    let [syn::Item::Fn(function)] = file.items.as_slice() else {
        return None;
    };
    let mut block: &syn::Block = &function.block;
    for _ in 1..depth {
        let [syn::Stmt::Expr(syn::Expr::Block(inner), None)] = block.stmts.as_slice() else {
            return None;
        };
        block = &inner.block;
    }
    let ends_line = |stmt: &syn::Stmt| match stmt {
        syn::Stmt::Local(_) | syn::Stmt::Item(_) => true,
        syn::Stmt::Expr(_, semi) => semi.is_some(),
        syn::Stmt::Macro(m) => m.semi_token.is_some(),
    };
    if block.stmts.is_empty() || !block.stmts.iter().all(ends_line) {
        return None;
    }
    let printed = prettyplease::unparse(&file);
    let lines: Vec<&str> = printed.split_inclusive('\n').collect();
    if lines.len() < 2 * depth + 1 {
        return None;
    }
    let (opening, rest) = lines.split_at(depth);
    let (middle, closing) = rest.split_at(rest.len() - depth);
    let opened = opening.iter().enumerate().all(|(level, line)| {
        let expected = if level == 0 { "fn f() {\n" } else { "{\n" };
        line.strip_prefix(&" ".repeat(4 * level)) == Some(expected)
    });
    let closed = closing
        .iter()
        .enumerate()
        .all(|(i, line)| line.strip_prefix(&" ".repeat(4 * (depth - 1 - i))) == Some("}\n"));
    let indented = middle
        .iter()
        .all(|line| line.len() > indent && line.as_bytes()[..indent].iter().all(|b| *b == b' '))
        && middle[0].as_bytes()[indent] != b' ';
    (opened && closed && indented).then(|| middle.concat())
}

/// The lines of `source` that look like statements of a function's block: at the start of a
/// line in code (not in a string or comment), directly inside braces that a function body opens
/// or that open inside one (and that no `mod`, `impl`, `trait`, ... opens), with balanced
/// brackets, no comment, ending with `;`. Each line without its indentation and line break.
fn statement_lines(source: &str) -> Vec<&str> {
    let mut lexer = Lexer::default();
    let mut lines = Vec::new();
    for line in source.split_inclusive('\n') {
        let starts_statement =
            lexer.in_code() && lexer.in_statement_block() && lexer.after_statement;
        let depth = lexer.depth();
        let verdict = lexer.line(line);
        let code = line.trim();
        if starts_statement
            && verdict.balanced
            && !verdict.comment
            && lexer.in_code()
            && lexer.depth() == depth
            && code.ends_with(';')
            && code.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        {
            let start = line.len() - line.trim_start().len();
            lines.push(&line[start..start + code.len()]);
        }
    }
    lines
}

/// What a line held.
struct LineVerdict {
    /// The brackets it opens it closes, and it closes none opened before it.
    balanced: bool,
    /// It has a comment.
    comment: bool,
}

/// An open bracket: its character, and for a brace whether it is a block of statements.
#[derive(Clone, Copy)]
struct Open {
    bracket: u8,
    /// For `(` and `[`: whether it is inside a function body.
    statements: bool,
}

/// Just enough of Rust's lexical structure to follow brackets across lines: strings (also raw
/// and multi-line), character literals against lifetimes, comments, and the keywords that say
/// what a brace opens.
#[derive(Default)]
struct Lexer {
    open: Vec<Open>,
    /// Inside a string: `Some(hashes)` for a raw string, `Some(usize::MAX)` for a plain one.
    string: Option<usize>,
    /// The nesting of block comments the line starts in.
    block_comment: usize,
    /// Since the last `;`, `{` or `}`: a `fn`, and an item keyword whose braces are not a block.
    after_fn: bool,
    after_item: bool,
    /// The last token was a `;`, `{` or `}`: what follows starts a statement.
    after_statement: bool,
}

const PLAIN_STRING: usize = usize::MAX;

impl Lexer {
    fn in_code(&self) -> bool {
        self.string.is_none() && self.block_comment == 0
    }

    fn depth(&self) -> usize {
        self.open.len()
    }

    fn in_statement_block(&self) -> bool {
        self.open
            .last()
            .is_some_and(|open| open.bracket == b'{' && open.statements)
    }

    fn line(&mut self, line: &str) -> LineVerdict {
        let bytes = line.as_bytes();
        let floor = self.open.len();
        let mut verdict = LineVerdict {
            balanced: true,
            comment: self.block_comment > 0,
        };
        let mut i = 0;
        while i < bytes.len() {
            if let Some(hashes) = self.string {
                i = self.in_string(bytes, i, hashes);
                continue;
            }
            if self.block_comment > 0 {
                if bytes[i..].starts_with(b"*/") {
                    self.block_comment -= 1;
                    i += 2;
                } else if bytes[i..].starts_with(b"/*") {
                    self.block_comment += 1;
                    i += 2;
                } else {
                    i += 1;
                }
                continue;
            }
            let byte = bytes[i];
            if !byte.is_ascii_whitespace() {
                self.after_statement = matches!(byte, b';' | b'{' | b'}');
            }
            match byte {
                b'/' if bytes.get(i + 1) == Some(&b'/') => {
                    verdict.comment = true;
                    break;
                }
                b'/' if bytes.get(i + 1) == Some(&b'*') => {
                    verdict.comment = true;
                    self.block_comment = 1;
                    i += 2;
                }
                b'"' => {
                    self.string = Some(PLAIN_STRING);
                    i += 1;
                }
                b'\'' => i = skip_char_literal(line, i),
                b'(' | b'[' | b'{' => {
                    let inside = self.open.last().is_some_and(|open| open.statements);
                    let statements = if byte == b'{' {
                        self.after_fn || (inside && !self.after_item)
                    } else {
                        inside
                    };
                    self.open.push(Open {
                        bracket: byte,
                        statements,
                    });
                    if byte == b'{' {
                        self.after_fn = false;
                        self.after_item = false;
                    }
                    i += 1;
                }
                b')' | b']' | b'}' => {
                    if self.open.len() <= floor {
                        verdict.balanced = false;
                    }
                    self.open.pop();
                    if byte == b'}' {
                        self.after_fn = false;
                        self.after_item = false;
                    }
                    i += 1;
                }
                b';' => {
                    self.after_fn = false;
                    self.after_item = false;
                    i += 1;
                }
                b if b.is_ascii_alphabetic() || b == b'_' => {
                    let end = bytes[i..]
                        .iter()
                        .position(|b| !(b.is_ascii_alphanumeric() || *b == b'_'))
                        .map_or(bytes.len(), |n| i + n);
                    let word = &bytes[i..end];
                    if let Some(hashes) = raw_string_start(word, &bytes[end..]) {
                        self.string = Some(hashes);
                        i = end + hashes + 1;
                        continue;
                    }
                    if matches!(word, b"b" | b"c") && bytes.get(end) == Some(&b'"') {
                        self.string = Some(PLAIN_STRING);
                        i = end + 1;
                        continue;
                    }
                    if word == b"b" && bytes.get(end) == Some(&b'\'') {
                        i = skip_char_literal(line, end);
                        continue;
                    }
                    match word {
                        b"fn" => self.after_fn = true,
                        b"mod" | b"impl" | b"trait" | b"struct" | b"enum" | b"union"
                        | b"extern" | b"macro_rules" => self.after_item = true,
                        _ => {}
                    }
                    i = end;
                }
                _ => i += 1,
            }
        }
        verdict
    }

    /// Inside a string from `i`: past its end (leaving it) or past the line.
    fn in_string(&mut self, bytes: &[u8], mut i: usize, hashes: usize) -> usize {
        while i < bytes.len() {
            match bytes[i] {
                b'\\' if hashes == PLAIN_STRING => i += 2,
                b'"' => {
                    if hashes == PLAIN_STRING {
                        self.string = None;
                        return i + 1;
                    }
                    let closing = bytes[i + 1..].iter().take_while(|b| **b == b'#').count();
                    if closing >= hashes {
                        self.string = None;
                        return i + 1 + hashes;
                    }
                    i += 1;
                }
                _ => i += 1,
            }
        }
        i
    }
}

/// For a word `r`, `br` or `cr` followed by `#`s and `"`: how many `#`s open the raw string.
fn raw_string_start(word: &[u8], after: &[u8]) -> Option<usize> {
    if !matches!(word, b"r" | b"br" | b"cr") {
        return None;
    }
    let hashes = after.iter().take_while(|b| **b == b'#').count();
    (after.get(hashes) == Some(&b'"')).then_some(hashes)
}

/// Past a character literal starting at the quote `i`, or past the quote of a lifetime.
fn skip_char_literal(line: &str, i: usize) -> usize {
    let bytes = line.as_bytes();
    match bytes.get(i + 1) {
        // An escape (`'\n'`, `'\''`, `'\u{1F600}'`): up to the quote after the escaped character.
        Some(b'\\') => bytes
            .get(i + 3..)
            .and_then(|rest| rest.iter().position(|b| *b == b'\''))
            .map_or(bytes.len(), |n| i + 4 + n),
        // One character (perhaps of several bytes) then a quote, or a lifetime.
        Some(_) => {
            let width = line[i + 1..].chars().next().map_or(1, char::len_utf8);
            if bytes.get(i + 1 + width) == Some(&b'\'') {
                i + 2 + width
            } else {
                i + 1
            }
        }
        None => i + 1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What the cache prints, checked against formatting whole; and whether statements were
    /// reused (formatted through the skeleton).
    fn format_both(source: &str) -> (String, bool) {
        let whole = format_rust("x.rs", source).unwrap_or_else(|e| panic!("{e}"));
        let mut cache = StatementCache::default();
        let reused = cache.format_reusing(source);
        let text = cache
            .format("x.rs", source)
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(text, whole, "{source}");
        (text, reused.is_some())
    }

    /// Shaped like a generated handler: statements on lines of their own, deep in a closure
    /// passed to a method, some too long for their line once indented.
    fn handler(name: &str) -> String {
        format!(
            r##"fn {name}<A: Api>(api_state: &Arc<ApiState<A>>, request: Request) -> impl Future<Output = Response> + use<A> {{
    const OPERATION: &str = "{name}";
    api_state.guard(OPERATION, request, |api_state, request| {{
    let (http_parts, _http_body) = request.into_parts();
    async move {{
    let (handler, response_headers) = {{
    if let Some(response) = runtime::not_acceptable(&http_parts.headers, &["application/json"]) {{ return response; }}
    let errors = &mut runtime::Errors::new();
    let query_string = runtime::QueryString::parse(http_parts.uri.query());
    let top: Option<i64> = {{ let at = &runtime::At::parameter(runtime::Source::Query, "$top"); let value: Option<i64> = runtime::parameter(query_string.value("$top", &runtime::Shape::Integer, runtime::Style::Form, false), false, at, errors); if let Some(value) = &value {{ runtime::check_integer(*value, &runtime::IntegerRule {{ minimum: Some(0), ..Default::default() }}, at, errors); }} value }};
    let name: Option<String> = runtime::parameter(query_string.value("{name}_with_a_long_name", &runtime::Shape::String, runtime::Style::Form, false), false, &runtime::At::parameter(runtime::Source::Query, "name"), errors);
    if let Some(response) = errors.response() {{ return response; }}
    let c = '{{'; let s = r#"}} ;"#; let l: &'static str = "a\"b";
    (Api::{name}(&api_state.api, Request {{ top, name }}), response_headers)
    }};
    response_headers.apply(handler.await.into_response())
    }}
    }})
}}
"##
        )
    }

    #[test]
    fn repeated_statements_are_printed_once_and_the_text_is_unchanged() {
        let source = format!("{}\n{}", handler("list_users"), handler("list_groups"));
        let (_, reused) = format_both(&source);
        assert!(reused, "the statements of a handler are reused");
        let mut cache = StatementCache::default();
        cache.format_reusing(&source).expect("reused");
        let candidates = statement_lines(&source).len();
        // Seven lines of each are statements ending with `;`: two name the operation, five
        // are the same in both.
        assert_eq!(candidates, 2 * 7, "{:#?}", statement_lines(&source));
        let printed: usize = cache.printed.values().map(HashMap::len).sum();
        assert_eq!(printed, 2 * 2 + 5);
    }

    #[test]
    fn what_is_not_a_statement_of_a_block_is_formatted_in_place() {
        let sources = [
            // Items of a trait, an impl, a module and an extern block end with `;` too.
            "pub trait Api {\n    fn a(&self) -> u32;\n    type T;\n    const C: u32;\n}\n",
            "impl X {\n    const C: u32 = 1;\n    fn f() {\n        let a = 1;\n    }\n}\n",
            "fn f() {\n    mod m {\n        use super::*;\n        pub fn g() {\n            let x = 1;\n        }\n    }\n}\n",
            // In a multi-line string, in a comment, after an attribute.
            "fn f() {\n    let s = \"\n    let x = 1;\n\";\n    /* let y = 2;\n    let z = 3; */\n    #[allow(unused)]\n    let w = 4;\n}\n",
            // A line that continues an expression.
            "fn f() -> u32 {\n    let routes = Router::new()\n        .route(1)\n    ;\n    routes\n}\n",
            "fn f() {\n    let r = r##\"\n    let x = 1; \"# }\n\"##;\n    let q = 'x';\n}\n",
        ];
        for source in sources {
            format_both(source);
        }
        // Nothing of a trait is taken for a statement.
        assert!(statement_lines(sources[0]).is_empty());
        assert!(statement_lines(sources[4]).iter().all(|l| *l != ";"));
    }

    #[test]
    fn a_source_naming_the_placeholder_or_not_parsing_is_formatted_whole() {
        let named = format!("fn f() {{\n    let {PLACEHOLDER} = 1;\n}}\n");
        assert_eq!(StatementCache::default().format_reusing(&named), None);
        format_both(&named);
        let broken = "fn f() {\n    let x = ;\n}\n";
        assert!(StatementCache::default().format("x.rs", broken).is_err());
    }
}
