//! The one place where report text is made safe to print. Findings quote spec text (names,
//! values, paths, file names), and reports land in terminals, CI logs and pull request comments:
//! a raw control character drives the terminal, and the GitHub Actions runner reads a log line
//! as a command when it starts with `::` (after leading whitespace) or contains `##[` anywhere.
//! Every renderer passes field text through [`controls`]; [`workflow_safe`] then neutralises the
//! finished output line by line, in the syntax of its format. The `github` format is the
//! exception by design: its lines are commands, built from text escaped by [`workflow_data`] and
//! [`workflow_property`].

use std::borrow::Cow;

/// Characters shown as an escape (`\u{1b}`) instead of printed: control characters other than
/// line feed and tab (which renderers lay out themselves), the Unicode line and paragraph
/// separators, and the invisible format characters (zero-width spaces and joiners, bidirectional
/// overrides, the byte-order mark, soft hyphens, variation and tag characters) that hide text
/// from a reader, reorder it, or are ignored when the runner compares `::` culture-sensitively.
pub fn needs_escape(c: char) -> bool {
    match c {
        '\n' | '\t' => false,
        c if c.is_control() => true,
        '\u{AD}'
        | '\u{34F}'
        | '\u{61C}'
        | '\u{115F}'..='\u{1160}'
        | '\u{17B4}'..='\u{17B5}'
        | '\u{180B}'..='\u{180F}'
        | '\u{200B}'..='\u{200F}'
        | '\u{2028}'..='\u{202E}'
        | '\u{2060}'..='\u{206F}'
        | '\u{3164}'
        | '\u{FE00}'..='\u{FE0F}'
        | '\u{FEFF}'
        | '\u{FFA0}'
        | '\u{FFF0}'..='\u{FFF8}'
        | '\u{1BCA0}'..='\u{1BCA3}'
        | '\u{1D173}'..='\u{1D17A}'
        | '\u{E0000}'..='\u{E0FFF}' => true,
        _ => false,
    }
}

/// `text` with every character [`needs_escape`] names written as `\u{…}` (hex code point).
/// Line feeds and tabs stay: each renderer decides how a new line looks in its format.
pub fn controls(text: &str) -> Cow<'_, str> {
    if !text.contains(needs_escape) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        push_char(&mut out, c);
    }
    Cow::Owned(out)
}

/// [`controls`] for text that must stay on one line (a file name, a pointer, an operation):
/// line feeds are escaped too.
pub fn single_line(text: &str) -> Cow<'_, str> {
    if !text.contains('\n') {
        return controls(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if c == '\n' {
            out.push_str("\\u{a}");
        } else {
            push_char(&mut out, c);
        }
    }
    Cow::Owned(out)
}

/// Appends `c`, escaped when [`needs_escape`] says so.
pub fn push_char(out: &mut String, c: char) {
    if needs_escape(c) {
        out.push_str(&format!("\\u{{{:x}}}", u32::from(c)));
    } else {
        out.push(c);
    }
}

/// Applies [`controls`] to every string inside a JSON document (JSON would carry control
/// characters as `\u001b` escapes, which a consumer decodes and prints raw).
pub fn json_strings(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::String(text) => {
            if let Cow::Owned(escaped) = controls(text) {
                *text = escaped;
            }
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(json_strings),
        serde_json::Value::Object(members) => members.values_mut().for_each(json_strings),
        _ => {}
    }
}

/// How the output of a format can write `:` and `#` without the characters themselves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Syntax {
    /// Text and Markdown: a backslash, which Markdown renders as nothing (`\:` is `:`).
    Plain,
    /// Inside a JSON string (the only place these characters occur in JSON output).
    Json,
    /// XML character references.
    Xml,
}

impl Syntax {
    fn colon(self) -> &'static str {
        match self {
            Syntax::Plain => "\\:",
            Syntax::Json => "\\u003a",
            Syntax::Xml => "&#58;",
        }
    }

    fn hash(self) -> &'static str {
        match self {
            Syntax::Plain => "\\#",
            Syntax::Json => "\\u0023",
            Syntax::Xml => "&#35;",
        }
    }
}

/// Whether the runner would read `line` as a workflow command.
pub fn is_workflow_command(line: &str) -> bool {
    line.trim_start().starts_with("::") || line.contains("##[")
}

/// The rendered report with no line the runner reads as a command: a line that starts with `::`
/// (after whitespace) has its first colon escaped, and every `##[` becomes `#` + escaped `#` +
/// `[`. Lines that are not commands are returned as they are.
pub fn workflow_safe(rendered: String, syntax: Syntax) -> String {
    if !rendered.split('\n').any(is_workflow_command) {
        return rendered;
    }
    let mut out = String::with_capacity(rendered.len() + 16);
    for (i, line) in rendered.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        if !is_workflow_command(line) {
            out.push_str(line);
            continue;
        }
        let trimmed = line.trim_start();
        let indent = &line[..line.len() - trimmed.len()];
        out.push_str(indent);
        let rest = match trimmed.strip_prefix(':') {
            Some(rest) if rest.starts_with(':') => {
                out.push_str(syntax.colon());
                rest
            }
            _ => trimmed,
        };
        out.push_str(&rest.replace("##[", &format!("#{}[", syntax.hash())));
    }
    out
}

/// The data of a GitHub workflow command (after `::`): exactly the escapes the runner undoes
/// (`%`, CR, LF), then [`controls`] for what is left.
pub fn workflow_data(text: &str) -> String {
    let data = text
        .replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A");
    controls(&data).into_owned()
}

/// A property value of a GitHub workflow command: the data escapes plus its separators `:`
/// and `,`.
pub fn workflow_property(text: &str) -> String {
    workflow_data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_and_invisible_characters_become_visible_escapes() {
        assert_eq!(controls("plain text, é, 宠物, ❤"), "plain text, é, 宠物, ❤");
        assert!(matches!(controls("x\ty\nz"), Cow::Borrowed(_)));
        assert_eq!(controls("a\u{1b}[31mb"), "a\\u{1b}[31mb");
        assert_eq!(controls("cr\r"), "cr\\u{d}");
        assert_eq!(controls("\u{7f}\u{85}\u{9b}"), "\\u{7f}\\u{85}\\u{9b}");
        assert_eq!(controls("\u{2028}\u{2029}"), "\\u{2028}\\u{2029}");
        assert_eq!(controls("a\u{202e}b\u{200b}c"), "a\\u{202e}b\\u{200b}c");
        assert_eq!(controls(":\u{ad}:error::x"), ":\\u{ad}:error::x");
        assert_eq!(controls("\u{feff}\u{e0041}"), "\\u{feff}\\u{e0041}");
        assert_eq!(single_line("/a\n::b\t\u{1b}"), "/a\\u{a}::b\t\\u{1b}");
    }

    #[test]
    fn no_line_is_a_workflow_command_afterwards() {
        let hostile = "ok\n::error title=Forged::x\n   \u{a0}::set-output name=a::b\nsee ##[group]x and ###[y\nno :: here\n";
        let plain = workflow_safe(hostile.to_string(), Syntax::Plain);
        assert_eq!(
            plain,
            "ok\n\\::error title=Forged::x\n   \u{a0}\\::set-output name=a::b\nsee #\\#[group]x and ##\\#[y\nno :: here\n"
        );
        assert!(!plain.split('\n').any(is_workflow_command), "{plain}");
        for syntax in [Syntax::Json, Syntax::Xml] {
            let out = workflow_safe(hostile.to_string(), syntax);
            assert!(!out.split('\n').any(is_workflow_command), "{out}");
        }
        let json = workflow_safe("{\"m\": \"##[x\"}".to_string(), Syntax::Json);
        assert_eq!(json, "{\"m\": \"#\\u0023[x\"}");
        let parsed: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(parsed["m"], "##[x");
        assert_eq!(
            workflow_safe("<a b=\"##[\"/>".to_string(), Syntax::Xml),
            "<a b=\"#&#35;[\"/>"
        );
        let clean = "nothing\nto do\n".to_string();
        assert_eq!(workflow_safe(clean.clone(), Syntax::Plain), clean);
    }

    #[test]
    fn workflow_command_escapes_are_the_runners() {
        assert_eq!(workflow_data("100% a:b,c\r\nd"), "100%25 a:b,c%0D%0Ad");
        assert_eq!(workflow_data("esc\u{1b}"), "esc\\u{1b}");
        assert_eq!(workflow_property("C:\\a,b%\n"), "C%3A\\a%2Cb%25%0A");
    }
}
