//! The human report for terminals: findings grouped by file, each with the source line it points at.

use super::{Finding, Level, Location, RenderContext, Report, Summary, escape};

/// Source lines longer than this (minified JSON) are shown as a window around the column.
const MAX_SOURCE_CHARS: usize = 120;

pub(super) fn render(report: &Report, ctx: &RenderContext<'_>) -> String {
    let palette = Palette { enabled: ctx.color };
    let mut out = String::new();
    let shown = report
        .findings()
        .iter()
        .filter(|f| f.level >= ctx.min_level);
    let mut shown_count = 0;
    for (file, findings) in group_by_file(shown) {
        shown_count += findings.len();
        let header = file.map_or_else(|| "(no location)".to_string(), sanitize);
        out.push_str(&palette.bold(&header));
        out.push('\n');
        for finding in findings {
            render_finding(&mut out, finding, ctx, &palette);
        }
        out.push('\n');
    }
    out.push_str(&summary_line(report.summary()));
    let hidden = report.findings().len() - shown_count;
    if hidden > 0 {
        out.push_str(&format!(
            " ({} below {} not shown: --min-level)",
            count(hidden, "finding"),
            ctx.min_level
        ));
    }
    out.push('\n');
    out
}

/// Groups in order of their first finding (the report's order: the files with errors first);
/// findings without a location form one group (`None`). Shared with the JUnit renderer, which
/// makes one test suite per group.
pub(super) fn group_by_file<'a>(
    findings: impl IntoIterator<Item = &'a Finding>,
) -> Vec<(Option<&'a str>, Vec<&'a Finding>)> {
    let mut groups: Vec<(Option<&str>, Vec<&Finding>)> = Vec::new();
    for finding in findings {
        let file = finding.location.as_ref().map(|l| l.file.as_str());
        match groups.iter_mut().find(|(f, _)| *f == file) {
            Some((_, members)) => members.push(finding),
            None => groups.push((file, vec![finding])),
        }
    }
    groups
}

fn render_finding(out: &mut String, finding: &Finding, ctx: &RenderContext<'_>, palette: &Palette) {
    let location = finding.location.as_ref();
    out.push_str("  ");
    if let Some(position) = location.and_then(position) {
        out.push_str(&position);
        out.push_str("  ");
    }
    out.push_str(&palette.level(finding.level, finding.level.as_str()));
    out.push_str("  ");
    out.push_str(&sanitize(&finding.rule));
    out.push_str("  ");
    push_multiline(out, &finding.message);
    let operations = finding.operations_label(super::OPERATIONS_SHOWN);
    let change = finding.change.as_deref().map(|id| format!("[change {id}]"));
    let context: Vec<String> = operations.into_iter().chain(change).collect();
    if !context.is_empty() {
        out.push_str("    ");
        out.push_str(&sanitize(&context.join("  ")));
        out.push('\n');
    }
    if let Some(location) = location {
        push_source(out, location, finding.level, ctx, palette);
    }
    if let Some(help) = &finding.help {
        out.push_str("    help: ");
        push_multiline(out, help);
    }
    if let Some(location) = location.filter(|l| !l.pointer.is_empty()) {
        let at = format!("at {}", pointer_fragment(&location.pointer));
        out.push_str(&format!("    {}\n", palette.dim(&sanitize(&at))));
    }
    if let Some(base) = &finding.base_location {
        let mut was = format!("base: {}", base.display_short());
        if !base.pointer.is_empty() {
            was.push_str(&format!(" at {}", pointer_fragment(&base.pointer)));
        }
        out.push_str(&format!("    {}\n", palette.dim(&sanitize(&was))));
    }
}

/// `line:column`, `line`, or nothing.
fn position(location: &Location) -> Option<String> {
    match (location.line, location.column) {
        (Some(line), Some(column)) => Some(format!("{line}:{column}")),
        (Some(line), None) => Some(line.to_string()),
        _ => None,
    }
}

/// Appends `text` (a message, a help) and a newline; later lines are indented under the finding.
fn push_multiline(out: &mut String, text: &str) {
    let text = escape::controls(text);
    let mut lines = text.split('\n');
    out.push_str(lines.next().unwrap_or(""));
    out.push('\n');
    for line in lines {
        out.push_str("      ");
        out.push_str(line);
        out.push('\n');
    }
}

/// The source line with a gutter, and a caret under the column when it is known.
fn push_source(
    out: &mut String,
    location: &Location,
    level: Level,
    ctx: &RenderContext<'_>,
    palette: &Palette,
) {
    let Some(line_no) = location.line else { return };
    let Some(source) = ctx.sources.source_line(&location.file, line_no) else {
        return;
    };
    let gutter = line_no.to_string();
    let blank_gutter = " ".repeat(gutter.len());
    let column = location.column.map(|c| c.max(1) as usize - 1);
    let (shown, caret_offset) = source_window(&source, column.unwrap_or(0));
    out.push_str(&format!(
        "    {} {shown}\n",
        palette.dim(&format!("{gutter} |"))
    ));
    if column.is_some() {
        let pad: String = shown
            .chars()
            .take(caret_offset)
            .map(|c| if c == '\t' { '\t' } else { ' ' })
            .collect();
        let caret = palette.level(level, "^");
        out.push_str(&format!(
            "    {} {pad}{caret}\n",
            palette.dim(&format!("{blank_gutter} |"))
        ));
    }
}

/// The part of `line` to show (escaped, at most about `MAX_SOURCE_CHARS` characters of the
/// line) and how many characters of it come before the 0-based `column`.
fn source_window(line: &str, column: usize) -> (String, usize) {
    let chars: Vec<char> = line.chars().collect();
    let column = column.min(chars.len());
    let (start, end) = if chars.len() <= MAX_SOURCE_CHARS {
        (0, chars.len())
    } else {
        let start = column.saturating_sub(MAX_SOURCE_CHARS / 2);
        (start, (start + MAX_SOURCE_CHARS).min(chars.len()))
    };
    let mut shown = String::new();
    if start > 0 {
        shown.push('…');
    }
    let mut offset = 0;
    for (i, &c) in chars.iter().enumerate().take(end).skip(start) {
        if i == column {
            offset = shown.chars().count();
        }
        escape::push_char(&mut shown, c);
    }
    if column >= end {
        offset = shown.chars().count();
    }
    if end < chars.len() {
        shown.push('…');
    }
    (shown, offset)
}

/// `3 errors, 1 warning, 0 infos`, or `no findings`.
fn summary_line(summary: Summary) -> String {
    let counts = if summary.error + summary.warning + summary.info == 0 {
        "no findings".to_string()
    } else {
        format!(
            "{}, {}, {}",
            count(summary.error, "error"),
            count(summary.warning, "warning"),
            count(summary.info, "info")
        )
    };
    if summary.waived > 0 {
        format!("{counts} ({} waived)", summary.waived)
    } else {
        counts
    }
}

fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// A pointer as a URI fragment, the way it appears in `$ref`s.
fn pointer_fragment(pointer: &str) -> String {
    if pointer.starts_with('#') {
        pointer.to_string()
    } else {
        format!("#{pointer}")
    }
}

/// Text of one line (a file name, a rule, a pointer, an operation), escaped: spec text can hold
/// escape sequences and line breaks, which would drive the terminal or break the layout.
fn sanitize(text: &str) -> String {
    escape::single_line(text).into_owned()
}

/// ANSI styling that is a no-op unless colours are on.
struct Palette {
    enabled: bool,
}

impl Palette {
    fn paint(&self, code: &str, text: &str) -> String {
        if self.enabled {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }

    fn bold(&self, text: &str) -> String {
        self.paint("1", text)
    }

    fn dim(&self, text: &str) -> String {
        self.paint("2", text)
    }

    fn level(&self, level: Level, text: &str) -> String {
        let code = match level {
            Level::Error => "1;31",
            Level::Warning => "1;33",
            Level::Info => "1;34",
        };
        self.paint(code, text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::{NoSources, SourceLines};

    struct Fixture;

    impl SourceLines for Fixture {
        fn source_line(&self, file: &str, line: u32) -> Option<String> {
            match (file, line) {
                ("petstore.yaml", 12) => Some("      price: \"12.5\"".to_string()),
                ("petstore.yaml", 30) => Some("\tname:\x1b[31m x".to_string()),
                _ => None,
            }
        }
    }

    fn loc(file: &str, pointer: &str, line: Option<u32>, column: Option<u32>) -> Location {
        Location {
            file: file.into(),
            pointer: pointer.into(),
            line,
            column,
        }
    }

    fn fixture() -> Report {
        Report::new(vec![
            Finding::new(
                "example-invalid",
                Level::Error,
                "/price: \"12.5\" is not of type integer",
            )
            .at(loc(
                "petstore.yaml",
                "/paths/~1pets~1{id}/get",
                Some(12),
                Some(14),
            ))
            .with_operation("GET /pets/{id}")
            .with_help("change the example or the schema"),
            Finding::new(
                "missing-description",
                Level::Warning,
                "operation has no description",
            )
            .at(loc(
                "petstore.yaml",
                "/paths/~1pets/post",
                Some(30),
                Some(2),
            )),
            Finding::new("unused-schema", Level::Info, "schema Old is never used").at(loc(
                "other.yaml",
                "/components/schemas/Old",
                None,
                None,
            )),
            Finding::new(
                "spec-unreachable",
                Level::Error,
                "could not fetch\nsecond line",
            ),
        ])
    }

    fn ctx<'a>(color: bool, sources: &'a dyn SourceLines) -> RenderContext<'a> {
        RenderContext {
            color,
            sources,
            rules: &crate::report::NoRuleDocs,
            min_level: crate::report::Level::Info,
            command: "validate",
        }
    }

    #[test]
    fn golden_without_colour() {
        let got = render(&fixture(), &ctx(false, &Fixture));
        let want = "\
(no location)
  error  spec-unreachable  could not fetch
      second line

petstore.yaml
  12:14  error  example-invalid  /price: \"12.5\" is not of type integer
    GET /pets/{id}
    12 |       price: \"12.5\"
       |              ^
    help: change the example or the schema
    at #/paths/~1pets~1{id}/get
  30:2  warning  missing-description  operation has no description
    30 | \tname:\\u{1b}[31m x
       | \t^
    at #/paths/~1pets/post

other.yaml
  info  unused-schema  schema Old is never used
    at #/components/schemas/Old

2 errors, 1 warning, 1 info
";
        assert_eq!(got, want);
    }

    #[test]
    fn min_level_hides_lower_levels_and_says_how_many() {
        let ctx = RenderContext {
            min_level: Level::Warning,
            ..ctx(false, &Fixture)
        };
        let got = render(&fixture(), &ctx);
        assert!(!got.contains("unused-schema"), "{got}");
        assert!(!got.contains("other.yaml"), "{got}");
        assert!(got.contains("missing-description"));
        assert!(got.ends_with(
            "2 errors, 1 warning, 1 info (1 finding below warning not shown: --min-level)\n"
        ));
        let ctx = RenderContext {
            min_level: Level::Error,
            ..ctx
        };
        let got = render(&fixture(), &ctx);
        assert!(!got.contains("missing-description"), "{got}");
        assert!(got.ends_with("(2 findings below error not shown: --min-level)\n"));
    }

    #[test]
    fn no_escape_codes_without_colour() {
        let got = render(&fixture(), &ctx(false, &Fixture));
        assert!(!got.contains('\x1b'));
    }

    #[test]
    fn colours_levels_headers_and_pointers() {
        let got = render(&fixture(), &ctx(true, &Fixture));
        assert!(got.contains("\x1b[1;31merror\x1b[0m"));
        assert!(got.contains("\x1b[1;33mwarning\x1b[0m"));
        assert!(got.contains("\x1b[1;34minfo\x1b[0m"));
        assert!(got.contains("\x1b[1mpetstore.yaml\x1b[0m"));
        assert!(got.contains("\x1b[2mat #/paths/~1pets/post\x1b[0m"));
        // The escape sequence in the source line is neutralised even with colours on.
        assert!(!got.contains("\x1b[31m"));
    }

    #[test]
    fn empty_report() {
        assert_eq!(
            render(&Report::default(), &ctx(false, &NoSources)),
            "no findings\n"
        );
    }

    #[test]
    fn summary_plurals() {
        let s = |error, warning, info| {
            summary_line(Summary {
                error,
                warning,
                info,
                waived: 0,
            })
        };
        assert_eq!(s(3, 1, 0), "3 errors, 1 warning, 0 infos");
        assert_eq!(s(1, 0, 2), "1 error, 0 warnings, 2 infos");
        assert_eq!(s(0, 0, 0), "no findings");
    }

    #[test]
    fn long_source_lines_are_windowed_around_the_column() {
        let line = format!("{}X{}", "a".repeat(500), "b".repeat(500));
        let (shown, offset) = source_window(&line, 500);
        assert!(shown.chars().count() <= MAX_SOURCE_CHARS + 2);
        assert_eq!(shown.chars().nth(offset), Some('X'));
        assert!(shown.starts_with('…') && shown.ends_with('…'));
    }

    #[test]
    fn column_past_end_of_line_puts_caret_after_it() {
        let (shown, offset) = source_window("ab", 10);
        assert_eq!((shown.as_str(), offset), ("ab", 2));
    }

    #[test]
    fn line_without_column_shows_source_without_caret() {
        let report = Report::new(vec![Finding::new("r", Level::Error, "m").at(loc(
            "petstore.yaml",
            "",
            Some(12),
            None,
        ))]);
        let got = render(&report, &ctx(false, &Fixture));
        assert!(got.contains("  12  error  r  m\n    12 |       price: \"12.5\"\n\n"));
        assert!(!got.contains('^'));
    }
}
