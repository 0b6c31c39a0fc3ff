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
    out.push_str(&summary_table(report));
    let mut budget = Budget::new(out);
    let sections = [
        (Level::Error, "Errors"),
        (Level::Warning, "Warnings"),
        (Level::Info, "Info"),
    ];
    for (level, title) in sections {
        let rows: Vec<&Finding> = report
            .findings()
            .iter()
            .filter(|f| f.level == level)
            .collect();
        if rows.is_empty() {
            continue;
        }
        let header = format!(
            "\n#### {title} ({})\n\n| Rule | Operation | Message | Location |\n| --- | --- | --- | --- |\n",
            rows.len()
        );
        if !budget.push(&header) {
            budget.skip(rows.len());
            continue;
        }
        for finding in rows {
            if !budget.push(&row(finding)) {
                budget.skip(1);
            }
        }
    }
    budget.finish()
}

/// GitHub refuses a pull request comment (and a job summary shows no more than) 65,536
/// characters; a report of thousands of findings is cut to fit, and says so.
pub(super) const MAX_CHARS: usize = 65_536;

/// Room kept for the closing lines (the "N more" note, a `</details>`), whatever was cut.
const CLOSING_ROOM: usize = 1_024;

/// The report being written under [`MAX_CHARS`]: once an entry does not fit, every later one is
/// counted instead of shown, so the entries shown are a prefix in report order (errors first).
/// Lengths are counted in bytes, never fewer than characters.
struct Budget {
    out: String,
    not_shown: usize,
}

impl Budget {
    fn new(out: String) -> Self {
        Budget { out, not_shown: 0 }
    }

    /// Appends `piece` if it fits (and nothing was cut before it); says whether it did.
    fn push(&mut self, piece: &str) -> bool {
        if self.not_shown > 0 || self.out.len() + piece.len() + CLOSING_ROOM > MAX_CHARS {
            return false;
        }
        self.out.push_str(piece);
        true
    }

    /// Appends text that must be there whatever was cut (it fits in [`CLOSING_ROOM`]).
    fn push_always(&mut self, piece: &str) {
        self.out.push_str(piece);
    }

    /// Counts findings that are not shown.
    fn skip(&mut self, findings: usize) {
        self.not_shown += findings;
    }

    fn finish(mut self) -> String {
        if self.not_shown > 0 {
            let noun = if self.not_shown == 1 {
                "finding"
            } else {
                "findings"
            };
            self.out.push_str(&format!(
                "\n**{} more {noun} not shown** (this report is cut to {MAX_CHARS} characters, \
                 the most a pull request comment takes). For all of them, run with `--format json` \
                 or keep the full report as an artifact file.\n",
                self.not_shown
            ));
        }
        self.out
    }
}

/// Counts per level and per rule, so a cut report still says what it found.
fn summary_table(report: &Report) -> String {
    let mut per_rule: std::collections::BTreeMap<&str, [usize; 3]> =
        std::collections::BTreeMap::new();
    for finding in report.findings() {
        let column = match finding.level {
            Level::Error => 0,
            Level::Warning => 1,
            Level::Info => 2,
        };
        per_rule.entry(finding.rule.as_str()).or_default()[column] += 1;
    }
    let summary = report.summary();
    let mut rules: Vec<(&str, [usize; 3])> = per_rule.into_iter().collect();
    // Rules with the most errors first, then warnings, infos; ties by id.
    rules.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
    let mut table =
        String::from("| Rule | Errors | Warnings | Info |\n| --- | ---: | ---: | ---: |\n");
    table.push_str(&format!(
        "| **all** | {} | {} | {} |\n",
        summary.error, summary.warning, summary.info
    ));
    for (rule, [error, warning, info]) in rules {
        table.push_str(&format!(
            "| {} | {error} | {warning} | {info} |\n",
            code(rule)
        ));
    }
    table
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
    let counts = if parts.is_empty() {
        "no findings".to_string()
    } else {
        parts.join(", ")
    };
    if summary.waived > 0 {
        format!("{counts} ({} waived)", summary.waived)
    } else {
        counts
    }
}

fn row(finding: &Finding) -> String {
    let operation = finding
        .operations_label(super::OPERATIONS_SHOWN)
        .map_or_else(String::new, |label| code(&label));
    let mut message = escape_text(&finding.message);
    if let Some(id) = &finding.change {
        message.push_str(&format!(" (change {})", code(id)));
    }
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
    let waived = if summary.waived > 0 {
        format!(
            " {} accepted in the configuration.",
            plural(summary.waived, "waived change is", "waived changes are")
        )
    } else {
        String::new()
    };
    out.push_str(&format!(
        "**{}**, {}, {}.{waived}\n\n",
        plural(summary.error, "breaking change", "breaking changes"),
        plural(summary.warning, "change to review", "changes to review"),
        plural(summary.info, "compatible change", "compatible changes"),
    ));
    out.push_str(&summary_table(report));
    out.push('\n');
    let mut budget = Budget::new(out);
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
        let header = if folded {
            format!("<details><summary>{title} ({})</summary>\n\n", rows.len())
        } else {
            format!("#### {title} ({})\n\n", rows.len())
        };
        if !budget.push(&header) {
            budget.skip(rows.len());
            continue;
        }
        // One heading per operation; a change that reaches several operations (a shared
        // schema) is listed once, under its own heading, naming them.
        let mut groups: Vec<(ChangelogGroup<'_>, Vec<&Finding>)> = Vec::new();
        for finding in rows {
            let key = match finding.operation.as_deref() {
                _ if finding.operation_count() > 1 => ChangelogGroup::Several,
                Some(operation) => ChangelogGroup::One(operation),
                None => ChangelogGroup::Api,
            };
            match groups.iter_mut().find(|(k, _)| *k == key) {
                Some((_, list)) => list.push(finding),
                None => groups.push((key, vec![finding])),
            }
        }
        groups.sort_by(|a, b| a.0.cmp(&b.0));
        for (group, findings) in groups {
            let heading = match group {
                ChangelogGroup::Several => "**Shared by several operations**\n\n".to_string(),
                ChangelogGroup::One(op) => format!("**{}**\n\n", code(op)),
                ChangelogGroup::Api => "**The API as a whole**\n\n".to_string(),
            };
            if !budget.push(&heading) {
                budget.skip(findings.len());
                continue;
            }
            for finding in findings {
                if !budget.push(&changelog_entry(finding)) {
                    budget.skip(1);
                }
            }
            budget.push_always("\n");
        }
        if folded {
            budget.push_always("</details>\n");
        }
    }
    budget.finish()
}

/// Where a changelog entry is listed: the changes reaching several operations first, then
/// each operation's own, then those of the API as a whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum ChangelogGroup<'a> {
    Several,
    One(&'a str),
    Api,
}

fn changelog_entry(finding: &Finding) -> String {
    let mut entry = format!("- {} ({}", prose(&finding.message), code(&finding.rule));
    if let Some(id) = &finding.change {
        entry.push_str(&format!(", change {}", code(id)));
    }
    entry.push(')');
    if finding.operation_count() > 1
        && let Some(label) = finding.operations_label(super::OPERATIONS_SHOWN)
    {
        entry.push_str(&format!(
            " in {} operations: {}",
            finding.operation_count(),
            code(&label)
        ));
    }
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
            rules: &crate::report::NoRuleDocs,
            min_level: crate::report::Level::Info,
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

| Rule | Errors | Warnings | Info |
| --- | ---: | ---: | ---: |
| **all** | 2 | 1 | 0 |
| `request-param-removed` | 1 | 0 | 0 |
| `response-property-type-changed` | 1 | 0 | 0 |
| `api-deprecated` | 0 | 1 | 0 |

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

    /// `n` errors and as many warnings and infos, each with a long message, the infos first in
    /// the file.
    fn many_findings(n: u32) -> Report {
        let long = "x".repeat(200);
        let mut findings = Vec::new();
        for i in 0..n {
            let at = |line| loc("v2.yaml", "/paths/~1pets/get", Some(line), Some(1));
            findings.push(
                Finding::new(
                    "response-property-type-changed",
                    Level::Error,
                    format!("e{i} {long}"),
                )
                .at(at(10_000 + i))
                .with_operation(format!("GET /pets/{}", i % 37)),
            );
            findings.push(
                Finding::new("api-deprecated", Level::Warning, format!("w{i} {long}")).at(at(i)),
            );
            findings.push(
                Finding::new("endpoint-added", Level::Info, format!("i{i} {long}")).at(at(i)),
            );
        }
        Report::new(findings)
    }

    /// How many findings the "N more" note says are not shown.
    fn not_shown(markdown: &str) -> usize {
        let note = markdown
            .lines()
            .find(|l| l.contains("not shown"))
            .unwrap_or_else(|| panic!("no note in {}", &markdown[markdown.len() - 500..]));
        note.trim_start_matches("**")
            .split(' ')
            .next()
            .unwrap()
            .parse()
            .unwrap()
    }

    #[test]
    fn a_big_report_fits_a_comment_with_counts_first_and_errors_first() {
        let report = many_findings(3_000);
        let got = render(&report, &ctx());
        assert!(got.len() <= MAX_CHARS, "{} bytes", got.len());
        assert!(got.contains(
            "| Rule | Errors | Warnings | Info |\n| --- | ---: | ---: | ---: |\n| **all** | 3000 | 3000 | 3000 |\n| `response-property-type-changed` | 3000 | 0 | 0 |\n"
        ));
        let rows = got
            .lines()
            .filter(|l| l.starts_with("| `response-property"))
            .count()
            - 1;
        assert!(rows > 100, "{rows} rows");
        assert_eq!(rows + not_shown(&got), 9_000);
        assert!(
            got.ends_with(
                "run with `--format json` or keep the full report as an artifact file.\n"
            )
        );
        // The changelog of `diff` too.
        let changelog = render_changelog(&report);
        assert!(changelog.len() <= MAX_CHARS, "{} bytes", changelog.len());
        assert!(changelog.contains("| **all** | 3000 | 3000 | 3000 |"));
        let entries = changelog.lines().filter(|l| l.starts_with("- ")).count();
        assert!(
            changelog
                .lines()
                .filter(|l| l.starts_with("- "))
                .all(|l| l.starts_with("- e"))
        );
        assert_eq!(entries + not_shown(&changelog), 9_000);
        // A small report is whole, with no note.
        let small = many_findings(2);
        assert!(!render(&small, &ctx()).contains("not shown"));
        assert!(!render_changelog(&small).contains("not shown"));
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
        assert!(got.starts_with(
            "### oaskit diff: 2 infos\n\n| Rule | Errors | Warnings | Info |\n| --- | ---: | ---: | ---: |\n| **all** | 0 | 0 | 2 |\n| `x` | 0 | 0 | 1 |\n| `y` | 0 | 0 | 1 |\n\n#### Info (2)\n"
        ));
        assert!(!got.contains("#### Errors"));
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

| Rule | Errors | Warnings | Info |
| --- | ---: | ---: | ---: |
| **all** | 1 | 1 | 1 |
| `response-property-type-changed` | 1 | 0 | 0 |
| `api-schema-renamed` | 0 | 1 | 0 |
| `endpoint-added` | 0 | 0 | 1 |

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
