//! JUnit XML, the format every CI system (GitLab, Jenkins, Azure) can show as test results.

use super::text::group_by_file;
use super::{Finding, Level, RenderContext, Report};
use std::fmt::Write as _;

pub(super) fn render(report: &Report, ctx: &RenderContext<'_>) -> String {
    let suite_name = format!("oaskit {}", ctx.command);
    let findings = report.findings();
    let failures = findings.iter().filter(|f| is_failure(f)).count();
    let tests = findings.len().max(1);
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        "<testsuites name=\"{}\" tests=\"{tests}\" failures=\"{failures}\" errors=\"0\">",
        escape(&suite_name)
    );
    if findings.is_empty() {
        let _ = writeln!(
            out,
            "  <testsuite name=\"{0}\" tests=\"1\" failures=\"0\" errors=\"0\" skipped=\"0\">\n    \
             <testcase name=\"no findings\" classname=\"{0}\"/>\n  </testsuite>",
            escape(&suite_name)
        );
    }
    for (file, members) in group_by_file(findings) {
        let name = match file {
            Some(file) => format!("{suite_name}: {file}"),
            None => suite_name.clone(),
        };
        let classname = file.unwrap_or(&suite_name);
        push_suite(&mut out, &name, classname, &members);
    }
    out.push_str("</testsuites>\n");
    out
}

fn is_failure(finding: &Finding) -> bool {
    matches!(finding.level, Level::Error | Level::Warning)
}

fn push_suite(out: &mut String, name: &str, classname: &str, members: &[&Finding]) {
    let failures = members.iter().filter(|f| is_failure(f)).count();
    let _ = writeln!(
        out,
        "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{failures}\" errors=\"0\" skipped=\"0\">",
        escape(name),
        members.len()
    );
    for finding in members {
        let _ = write!(
            out,
            "    <testcase name=\"{}\" classname=\"{}\">",
            escape(&testcase_name(finding)),
            escape(classname)
        );
        if is_failure(finding) {
            let _ = write!(
                out,
                "\n      <failure type=\"{}\" message=\"{}\">{}</failure>\n    ",
                escape(&finding.rule),
                escape(&finding.message),
                escape(&details(finding))
            );
        } else {
            let _ = write!(
                out,
                "\n      <system-out>{}</system-out>\n    ",
                escape(&details(finding))
            );
        }
        out.push_str("</testcase>\n");
    }
    out.push_str("  </testsuite>\n");
}

/// `rule at line:column #/pointer`: stable across runs and distinct within a file.
fn testcase_name(finding: &Finding) -> String {
    let mut name = finding.rule.clone();
    if let Some(location) = &finding.location {
        if let Some(line) = location.line {
            let _ = write!(name, " at {line}");
            if let Some(column) = location.column {
                let _ = write!(name, ":{column}");
            }
        }
        if !location.pointer.is_empty() {
            let _ = write!(name, " #{}", location.pointer.trim_start_matches('#'));
        }
    }
    name
}

/// The body of a failure: everything a reader needs without opening another report.
fn details(finding: &Finding) -> String {
    let mut text = format!("{}: {}", finding.level, finding.message);
    if let Some(operation) = &finding.operation {
        let _ = write!(text, "\noperation: {operation}");
    }
    if let Some(location) = &finding.location {
        let _ = write!(
            text,
            "\nlocation: {} #{}",
            location.display_short(),
            location.pointer.trim_start_matches('#')
        );
    }
    if let Some(base) = &finding.base_location {
        let _ = write!(
            text,
            "\nbase: {} #{}",
            base.display_short(),
            base.pointer.trim_start_matches('#')
        );
    }
    if let Some(help) = &finding.help {
        let _ = write!(text, "\nhelp: {help}");
    }
    text
}

/// Escapes for both attribute values and text. Control characters are escaped visibly first
/// (`\u{1b}`); the noncharacters XML 1.0 cannot carry (U+FFFE, U+FFFF) become U+FFFD; whitespace
/// that attribute normalisation would flatten becomes a character reference.
fn escape(text: &str) -> String {
    let text = super::escape::controls(text);
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' => out.push_str("&#10;"),
            '\t' => out.push_str("&#9;"),
            '\u{FFFE}' | '\u{FFFF}' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::{Location, NoSources};

    fn ctx() -> RenderContext<'static> {
        RenderContext {
            color: false,
            sources: &NoSources,
            rules: &crate::report::NoRuleDocs,
            min_level: crate::report::Level::Info,
            command: "validate",
        }
    }

    fn loc(file: &str, line: u32) -> Location {
        Location {
            file: file.into(),
            pointer: "/paths/~1pets/get".into(),
            line: Some(line),
            column: Some(3),
        }
    }

    /// Checks that every element opened is closed in order, and that no raw `&` or `<` hides in
    /// text: a small stand-in for an XML parser.
    fn assert_well_formed(xml: &str) {
        let body = xml
            .strip_prefix("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
            .unwrap();
        let mut stack: Vec<String> = Vec::new();
        let mut rest = body;
        while let Some(open) = rest.find('<') {
            let text = &rest[..open];
            assert!(!text.contains('>'), "stray > in {text:?}");
            for (i, _) in text.match_indices('&') {
                let entity = &text[i..text[i..].find(';').map_or(text.len(), |e| i + e + 1)];
                assert!(
                    [
                        "&amp;", "&lt;", "&gt;", "&quot;", "&apos;", "&#10;", "&#9;", "&#35;",
                        "&#58;"
                    ]
                    .contains(&entity),
                    "bad entity {entity:?}"
                );
            }
            let close = rest[open..].find('>').unwrap() + open;
            let tag = &rest[open + 1..close];
            assert!(!tag.contains('<'), "raw < inside tag {tag:?}");
            assert_eq!(
                tag.matches('"').count() % 2,
                0,
                "unbalanced quotes in {tag:?}"
            );
            if let Some(name) = tag.strip_prefix('/') {
                assert_eq!(stack.pop().as_deref(), Some(name));
            } else if !tag.ends_with('/') {
                stack.push(tag.split_whitespace().next().unwrap().to_string());
            }
            rest = &rest[close + 1..];
        }
        assert!(stack.is_empty(), "unclosed {stack:?}");
        assert!(rest.trim().is_empty());
        assert!(
            !xml.chars().any(|c| c.is_control() && c != '\n'),
            "control character in output"
        );
    }

    #[test]
    fn suites_per_file_with_counts() {
        let report = Report::new(vec![
            Finding::new("example-invalid", Level::Error, "bad").at(loc("a.yaml", 1)),
            Finding::new("style", Level::Warning, "meh").at(loc("a.yaml", 2)),
            Finding::new("note", Level::Info, "fyi").at(loc("b.yaml", 1)),
            Finding::new("fetch", Level::Error, "offline").with_operation("GET /x"),
        ]);
        let xml = render(&report, &ctx());
        assert_well_formed(&xml);
        assert!(xml.contains(
            "<testsuites name=\"oaskit validate\" tests=\"4\" failures=\"3\" errors=\"0\">"
        ));
        assert!(xml.contains(
            "<testsuite name=\"oaskit validate: a.yaml\" tests=\"2\" failures=\"2\" errors=\"0\" skipped=\"0\">"
        ));
        assert!(xml.contains(
            "<testsuite name=\"oaskit validate: b.yaml\" tests=\"1\" failures=\"0\" errors=\"0\" skipped=\"0\">"
        ));
        assert!(xml.contains(
            "<testsuite name=\"oaskit validate\" tests=\"1\" failures=\"1\" errors=\"0\" skipped=\"0\">"
        ));
        assert!(xml.contains(
            "<testcase name=\"example-invalid at 1:3 #/paths/~1pets/get\" classname=\"a.yaml\">\n      \
             <failure type=\"example-invalid\" message=\"bad\">error: bad&#10;location: a.yaml:1:3 #/paths/~1pets/get</failure>"
        ));
        assert!(xml.contains(
            "<system-out>info: fyi&#10;location: b.yaml:1:3 #/paths/~1pets/get</system-out>"
        ));
        assert_eq!(xml.matches("<testcase ").count(), 4);
        assert_eq!(xml.matches("<failure ").count(), 3);
    }

    #[test]
    fn no_findings_is_one_passing_test() {
        let xml = render(&Report::default(), &ctx());
        assert_well_formed(&xml);
        assert_eq!(xml.matches("<testcase ").count(), 1);
        assert!(!xml.contains("<failure"));
        assert!(xml.contains("tests=\"1\" failures=\"0\""));
    }

    #[test]
    fn hostile_text_is_escaped() {
        let report = Report::new(vec![
            Finding::new(
                "r<&>\"'",
                Level::Error,
                "</failure><x a=\"1\">&amp; \u{1b}[31m\u{0}\u{FFFF}\ttab",
            )
            .with_help("]]> <!-- -->")
            .at(Location {
                file: "a&b.yaml".into(),
                pointer: "/a\"b".into(),
                line: None,
                column: None,
            }),
        ]);
        let xml = render(&report, &ctx());
        assert_well_formed(&xml);
        assert!(xml.contains("type=\"r&lt;&amp;&gt;&quot;&apos;\""));
        assert!(xml.contains(
            "&lt;/failure&gt;&lt;x a=&quot;1&quot;&gt;&amp;amp; \\u{1b}[31m\\u{0}\u{FFFD}&#9;tab"
        ));
        assert!(xml.contains("]]&gt; &lt;!-- --&gt;"));
    }

    #[test]
    fn escape_cases() {
        assert_eq!(escape("a<b>&\"'"), "a&lt;b&gt;&amp;&quot;&apos;");
        assert_eq!(
            escape("x\r\n\t\u{7}\u{FFFE}é"),
            "x\\u{d}&#10;&#9;\\u{7}\u{FFFD}é"
        );
    }
}
