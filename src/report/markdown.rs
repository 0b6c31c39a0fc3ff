//! GitHub-flavoured Markdown for pull request comments: a heading with the counts, a table per level.

use super::{Finding, Level, Location, RenderContext, Report, Summary, escape};

pub(super) fn render(report: &Report, ctx: &RenderContext<'_>) -> String {
    let summary = report.summary();
    let mut out = format!(
        "### oaskit {}: {}\n\n",
        ctx.command,
        heading_counts(summary)
    );
    if report.findings().is_empty() {
        out.push_str("No findings.\n");
        return out;
    }
    let sections = [
        (Level::Error, "Errors"),
        (Level::Warning, "Warnings"),
        (Level::Info, "Info"),
    ];
    let mut first = true;
    for (level, title) in sections {
        let rows: Vec<&Finding> = report
            .findings()
            .iter()
            .filter(|f| f.level == level)
            .collect();
        if rows.is_empty() {
            continue;
        }
        if !first {
            out.push('\n');
        }
        first = false;
        out.push_str(&format!("#### {title} ({})\n\n", rows.len()));
        out.push_str("| Rule | Operation | Message | Location |\n| --- | --- | --- | --- |\n");
        for finding in rows {
            out.push_str(&row(finding));
        }
    }
    out
}

/// `2 errors, 1 warning`: only the levels that occur; `no findings` when none does.
fn heading_counts(summary: Summary) -> String {
    let parts: Vec<String> = [
        (summary.error, "error"),
        (summary.warning, "warning"),
        (summary.info, "info"),
    ]
    .into_iter()
    .filter(|(n, _)| *n > 0)
    .map(|(n, noun)| {
        if n == 1 {
            format!("1 {noun}")
        } else {
            format!("{n} {noun}s")
        }
    })
    .collect();
    if parts.is_empty() {
        "no findings".to_string()
    } else {
        parts.join(", ")
    }
}

fn row(finding: &Finding) -> String {
    let operation = finding.operation.as_deref().map_or_else(String::new, code);
    let mut message = escape_text(&finding.message);
    if let Some(help) = &finding.help {
        message.push_str("<br>");
        message.push_str(&escape_text(help));
    }
    let mut location = finding
        .location
        .as_ref()
        .map_or_else(String::new, location_cell);
    if let Some(base) = &finding.base_location {
        if !location.is_empty() {
            location.push_str("<br>");
        }
        location.push_str("base: ");
        location.push_str(&location_cell(base));
    }
    format!(
        "| {} | {operation} | {message} | {location} |\n",
        code(&finding.rule)
    )
}

/// `` `file:line:col` `` and, below it, the pointer.
fn location_cell(location: &Location) -> String {
    let mut cell = code(&location.display_short());
    if !location.pointer.is_empty() {
        cell.push_str("<br>");
        cell.push_str(&code(&format!(
            "#{}",
            location.pointer.trim_start_matches('#')
        )));
    }
    cell
}

/// A code span that survives any content inside a table cell: the fence is longer than any run of
/// backticks inside, pipes are escaped (GFM splits cells before parsing spans), control
/// characters and newlines escaped, tabs flattened.
fn code(text: &str) -> String {
    let flat: String = escape::single_line(text)
        .chars()
        .map(|c| if c == '\t' { ' ' } else { c })
        .collect::<String>()
        .replace('|', "\\|");
    let longest_run = flat.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest_run + 1);
    let pad = if flat.starts_with('`') || flat.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{flat}{pad}{fence}")
}

/// Prose in a table cell: control characters escaped, Markdown and HTML syntax backslash-escaped
/// so it shows literally, and line breaks as `<br>` (a raw newline would end the table row).
fn escape_text(text: &str) -> String {
    let text = escape::controls(text);
    let mut out = String::with_capacity(text.len());
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push_str("<br>");
        }
        for c in line.chars() {
            match c {
                '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '~' | '|' | '&' => {
                    out.push('\\');
                    out.push(c);
                }
                c if c.is_control() => out.push(' '),
                c => out.push(c),
            }
        }
    }
    out
}

/// A diff report as a changelog for a pull request comment: breaking changes first, grouped by
/// operation, each with its rule, where it is, and what it does to generated code; changes to
/// review next; compatible changes folded away.
pub(super) fn render_changelog(report: &Report) -> String {
    let summary = report.summary();
    let mut out = String::from("### API changes\n\n");
    if report.findings().is_empty() {
        out.push_str("No changes that affect clients.\n");
        return out;
    }
    let plural = |n: usize, one: &str, many: &str| {
        if n == 1 {
            format!("1 {one}")
        } else {
            format!("{n} {many}")
        }
    };
    out.push_str(&format!(
        "**{}**, {}, {}.\n\n",
        plural(summary.error, "breaking change", "breaking changes"),
        plural(summary.warning, "change to review", "changes to review"),
        plural(summary.info, "compatible change", "compatible changes"),
    ));
    let sections = [
        (Level::Error, "Breaking changes", false),
        (Level::Warning, "Changes to review", false),
        (Level::Info, "Compatible changes", true),
    ];
    for (level, title, folded) in sections {
        let rows: Vec<&Finding> = report
            .findings()
            .iter()
            .filter(|f| f.level == level)
            .collect();
        if rows.is_empty() {
            continue;
        }
        if folded {
            out.push_str(&format!(
                "<details><summary>{title} ({})</summary>\n\n",
                rows.len()
            ));
        } else {
            out.push_str(&format!("#### {title} ({})\n\n", rows.len()));
        }
        let mut groups: Vec<(Option<&str>, Vec<&Finding>)> = Vec::new();
        for finding in rows {
            let key = finding.operation.as_deref();
            match groups.iter_mut().find(|(k, _)| *k == key) {
                Some((_, list)) => list.push(finding),
                None => groups.push((key, vec![finding])),
            }
        }
        groups.sort_by(|a, b| a.0.cmp(&b.0));
        for (operation, findings) in groups {
            match operation {
                Some(op) => out.push_str(&format!("**{}**\n\n", code(op))),
                None => out.push_str("**The API as a whole**\n\n"),
            }
            for finding in findings {
                out.push_str(&changelog_entry(finding));
            }
            out.push('\n');
        }
        if folded {
            out.push_str("</details>\n");
        }
    }
    out
}

fn changelog_entry(finding: &Finding) -> String {
    let mut entry = format!("- {} ({})", prose(&finding.message), code(&finding.rule));
    let mut places = Vec::new();
    if let Some(location) = &finding.location {
        places.push(code(&location.display_short()));
    }
    if let Some(base) = &finding.base_location {
        places.push(format!("was {}", code(&base.display_short())));
    }
    if !places.is_empty() {
        entry.push_str(" at ");
        entry.push_str(&places.join(", "));
    }
    entry.push('\n');
    if let Some(help) = &finding.help {
        entry.push_str(&format!("  <br>{}\n", prose(help)));
    }
    entry
}

/// Prose that keeps its `code spans` (oaskit's messages quote names that way) and escapes
/// everything else; with unbalanced backticks, everything is escaped.
fn prose(text: &str) -> String {
    let parts: Vec<&str> = text.split('`').collect();
    if parts.len().is_multiple_of(2) {
        return escape_text(text);
    }
    parts
        .iter()
        .enumerate()
        .map(|(i, part)| {
            if i % 2 == 1 {
                code(part)
            } else {
                escape_text(part)
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::NoSources;

    fn ctx() -> RenderContext<'static> {
        RenderContext {
            color: false,
            sources: &NoSources,
            command: "diff",
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

    #[test]
    fn golden() {
        let mut changed = Finding::new(
            "response-property-type-changed",
            Level::Error,
            "price: integer → string",
        )
        .at(loc("v2.yaml", "/paths/~1pets/get", Some(12), Some(7)))
        .with_operation("GET /pets/{id}")
        .with_help("parseInt(price) breaks");
        changed.base_location = Some(loc("v1.yaml", "/paths/~1pets/get", Some(10), None));
        let report = Report::new(vec![
            changed,
            Finding::new("request-param-removed", Level::Error, "a | b\nc"),
            Finding::new("api-deprecated", Level::Warning, "deprecated"),
        ]);
        let want = "\
### oaskit diff: 2 errors, 1 warning

#### Errors (2)

| Rule | Operation | Message | Location |
| --- | --- | --- | --- |
| `request-param-removed` |  | a \\| b<br>c |  |
| `response-property-type-changed` | `GET /pets/{id}` | price: integer → string<br>parseInt(price) breaks | `v2.yaml:12:7`<br>`#/paths/~1pets/get`<br>base: `v1.yaml:10`<br>`#/paths/~1pets/get` |

#### Warnings (1)

| Rule | Operation | Message | Location |
| --- | --- | --- | --- |
| `api-deprecated` |  | deprecated |  |
";
        assert_eq!(render(&report, &ctx()), want);
    }

    #[test]
    fn empty_report() {
        assert_eq!(
            render(&Report::default(), &ctx()),
            "### oaskit diff: no findings\n\nNo findings.\n"
        );
    }

    #[test]
    fn only_info() {
        let report = Report::new(vec![
            Finding::new("x", Level::Info, "a"),
            Finding::new("y", Level::Info, "b"),
        ]);
        let got = render(&report, &ctx());
        assert!(got.starts_with("### oaskit diff: 2 infos\n\n#### Info (2)\n"));
        assert!(!got.contains("Errors"));
    }

    #[test]
    fn cells_never_break_the_table() {
        let hostile = "x|y\r\nz <script> **b** `c` [l](u) ~~s~~ &amp; # h";
        let escaped = escape_text(hostile);
        assert_eq!(
            escaped,
            "x\\|y\\\\u{d}<br>z \\<script\\> \\*\\*b\\*\\* \\`c\\` \\[l\\](u) \\~\\~s\\~\\~ \\&amp; # h"
        );
        assert!(!escaped.contains('\n'));
        let report = Report::new(vec![
            Finding::new("r", Level::Error, hostile)
                .with_operation("GET /a|b\n`x``y`")
                .with_help("h|\nh"),
        ]);
        let got = render(&report, &ctx());
        let table_row = got.lines().find(|l| l.starts_with("| `r`")).unwrap();
        // Unescaped pipes delimit exactly four cells.
        let delimiters = table_row
            .match_indices('|')
            .filter(|(i, _)| !table_row[..*i].ends_with('\\'))
            .count();
        assert_eq!(delimiters, 5, "{table_row}");
    }

    #[test]
    fn code_spans() {
        assert_eq!(code("GET /x"), "`GET /x`");
        assert_eq!(code("a|b"), "`a\\|b`");
        assert_eq!(code("a``b"), "```a``b```");
        assert_eq!(code("`a"), "`` `a ``");
        assert_eq!(code("a\nb\tc"), "`a\\u{a}b c`");
    }

    #[test]
    fn changelog_groups_by_level_and_operation() {
        let mut changed = Finding::new(
            "response-property-type-changed",
            Level::Error,
            "response property `/price` (200, application/json): type changed from integer to string",
        )
        .at(loc("v2.yaml", "/components/schemas/Pet/properties/price/type", Some(314), Some(11)))
        .with_operation("GET /pets/{petId}")
        .with_help("TypeScript client: `price: number` → `price: string`");
        changed.base_location = Some(loc(
            "v1.yaml",
            "/components/schemas/Pet/properties/price/type",
            Some(314),
            Some(11),
        ));
        let report = Report::new(vec![
            changed,
            Finding::new(
                "endpoint-added",
                Level::Info,
                "`GET /pets/{petId}/history` was added",
            )
            .with_operation("GET /pets/{petId}/history"),
            Finding::new(
                "api-schema-renamed",
                Level::Warning,
                "component schema `Pet` renamed to `Animal` (same shape)",
            ),
        ]);
        let got = render_changelog(&report);
        let want = "\
### API changes

**1 breaking change**, 1 change to review, 1 compatible change.

#### Breaking changes (1)

**`GET /pets/{petId}`**

- response property `/price` (200, application/json): type changed from integer to string (`response-property-type-changed`) at `v2.yaml:314:11`, was `v1.yaml:314:11`
  <br>TypeScript client: `price: number` → `price: string`

#### Changes to review (1)

**The API as a whole**

- component schema `Pet` renamed to `Animal` (same shape) (`api-schema-renamed`)

<details><summary>Compatible changes (1)</summary>

**`GET /pets/{petId}/history`**

- `GET /pets/{petId}/history` was added (`endpoint-added`)

</details>
";
        assert_eq!(got, want);
        assert_eq!(
            render_changelog(&Report::default()),
            "### API changes\n\nNo changes that affect clients.\n"
        );
    }
}
