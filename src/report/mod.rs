//! Findings and how they are rendered. This layer depends on nothing else in oaskit, so every
//! command (validate, diff, check, probe) reports through the same types and renderers.

pub mod escape;
mod github;
mod json;
mod junit;
mod markdown;
mod sarif;
mod text;

use serde::Serialize;
use std::cmp::Ordering;
use std::fmt;

/// The rule of the finding that says an input (a spec, a document it needs, the configuration)
/// could not be loaded. The run exits 2 and its report says why, in its own format: a report
/// that only said "no findings" would pass a gate that reads the report and not the exit code.
pub const LOAD_ERROR: &str = "load-error";

/// How many operations the formats a person reads (text, markdown, annotations, SARIF's message)
/// name for a finding that reaches several, before "and N more"; JSON lists all of them.
pub(crate) const OPERATIONS_SHOWN: usize = 3;

/// How serious a finding is. Ordered: `Info < Warning < Error`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Info,
    Warning,
    Error,
}

impl Level {
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Info => "info",
            Level::Warning => "warning",
            Level::Error => "error",
        }
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where a finding points: a file, a JSON pointer inside it, and (when known) the line and column
/// (both 1-based) where that node is written.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Location {
    pub file: String,
    pub pointer: String,
    pub line: Option<u32>,
    pub column: Option<u32>,
}

impl Location {
    /// `file:line:column` (or `file` alone when the position is unknown), plus the pointer.
    pub fn display_short(&self) -> String {
        match (self.line, self.column) {
            (Some(l), Some(c)) => format!("{}:{}:{}", self.file, l, c),
            (Some(l), None) => format!("{}:{}", self.file, l),
            _ => self.file.clone(),
        }
    }
}

/// One thing a check found. `rule` is a stable kebab-case id.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Finding {
    pub rule: String,
    pub level: Level,
    pub message: String,
    /// e.g. `GET /pets/{id}`; `None` when the finding is not about one operation.
    pub operation: Option<String>,
    pub location: Option<Location>,
    /// For diffs: where the old side of the change is.
    pub base_location: Option<Location>,
    /// Extra advice: what the change does to generated code, how to fix it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
    /// For diffs: the id of the change this finding reports, derived from its rule and its
    /// places in both versions (not from line numbers or operations), which a waiver can name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub change: Option<String>,
    /// For a diff finding that stands for one change reaching several operations: all of them,
    /// in the diff's order (`operation` is the first). Empty otherwise.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub operations: Vec<String>,
}

impl Finding {
    pub fn new(rule: impl Into<String>, level: Level, message: impl Into<String>) -> Self {
        Finding {
            rule: rule.into(),
            level,
            message: message.into(),
            operation: None,
            location: None,
            base_location: None,
            help: None,
            change: None,
            operations: Vec::new(),
        }
    }

    pub fn at(mut self, location: Location) -> Self {
        self.location = Some(location);
        self
    }

    pub fn with_operation(mut self, operation: impl Into<String>) -> Self {
        self.operation = Some(operation.into());
        self
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// How many operations the finding is about: those it lists, else its one operation.
    pub fn operation_count(&self) -> usize {
        if self.operations.is_empty() {
            usize::from(self.operation.is_some())
        } else {
            self.operations.len()
        }
    }

    /// The operations a reader is shown: the only one, or the first `shown` of them and how
    /// many more (`GET /a, GET /b and 372 more operations`). `None` when there is none.
    pub fn operations_label(&self, shown: usize) -> Option<String> {
        if self.operations.len() <= 1 {
            return self.operation.clone();
        }
        let shown = shown.max(1);
        let listed = self.operations[..shown.min(self.operations.len())].join(", ");
        let more = self.operations.len().saturating_sub(shown);
        Some(match more {
            0 => listed,
            1 => format!("{listed} and 1 more operation"),
            n => format!("{listed} and {n} more operations"),
        })
    }

    /// A stable identifier for this finding across runs, independent of line numbers (which move
    /// when unrelated parts of a spec change): rule, operation, pointer and message.
    /// A finding that stands for a change reaching several operations has its change's
    /// fingerprint (see [`Self::change_fingerprint`]).
    pub fn fingerprint(&self) -> String {
        if !self.operations.is_empty()
            && let Some(fingerprint) = self.change_fingerprint()
        {
            return fingerprint;
        }
        let op = self.operation.as_deref().unwrap_or("");
        self.hash_with(op, &self.message)
    }

    /// The fingerprint of the change a diff finding reports, the same for every operation it
    /// reaches (rule, change id, pointer), so a waiver written from a grouped finding's
    /// fingerprint waives the change. `None` outside diffs.
    pub fn change_fingerprint(&self) -> Option<String> {
        let change = self.change.as_deref()?;
        Some(self.hash_with("", change))
    }

    fn hash_with(&self, op: &str, text: &str) -> String {
        let mut hash: u64 = 0xcbf2_9ce4_8422_2325; // FNV-1a: stable across Rust versions, unlike DefaultHasher
        let pointer = self.location.as_ref().map_or("", |l| l.pointer.as_str());
        for part in [self.rule.as_str(), op, pointer, text] {
            for byte in part.bytes().chain(std::iter::once(0u8)) {
                hash ^= u64::from(byte);
                hash = hash.wrapping_mul(0x0100_0000_01b3);
            }
        }
        format!("{hash:016x}")
    }
}

/// Counts per level, as in the JSON output's `summary`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    pub error: usize,
    pub warning: usize,
    pub info: usize,
    /// Findings an accepted break (a waiver) took out of the report: changes, or
    /// per-operation findings with `--per-operation`.
    pub waived: usize,
}

/// The level at or above which findings make the exit code 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum FailOn {
    #[default]
    Error,
    Warning,
    Info,
    Never,
}

impl FailOn {
    pub fn threshold(self) -> Option<Level> {
        match self {
            FailOn::Error => Some(Level::Error),
            FailOn::Warning => Some(Level::Warning),
            FailOn::Info => Some(Level::Info),
            FailOn::Never => None,
        }
    }
}

/// Output formats of every reporting command.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Format {
    #[default]
    Text,
    Json,
    Github,
    Junit,
    Sarif,
    Markdown,
}

/// Gives renderers the text of a source line, to show it under a finding.
pub trait SourceLines {
    /// The 1-based `line` of `file`, without its line terminator.
    fn source_line(&self, file: &str, line: u32) -> Option<String>;
}

/// A `SourceLines` that knows no file.
pub struct NoSources;

impl SourceLines for NoSources {
    fn source_line(&self, _file: &str, _line: u32) -> Option<String> {
        None
    }
}

/// What a report can say about a rule besides its id (SARIF's rule metadata). The rule
/// catalogue provides it; this layer does not depend on the catalogue.
#[derive(Debug, Clone, Copy)]
pub struct RuleDoc {
    /// The level the rule reports at unless configured otherwise.
    pub level: Level,
    /// One line: what the rule reports.
    pub summary: &'static str,
    /// Markdown: what the rule's family reports, why it matters, an example.
    pub help: &'static str,
}

/// Gives renderers the documentation of a rule.
pub trait RuleDocs {
    fn rule_doc(&self, rule: &str) -> Option<RuleDoc>;
}

/// A `RuleDocs` that knows no rule.
pub struct NoRuleDocs;

impl RuleDocs for NoRuleDocs {
    fn rule_doc(&self, _rule: &str) -> Option<RuleDoc> {
        None
    }
}

/// What a renderer needs besides the findings.
pub struct RenderContext<'a> {
    /// ANSI colours (text format only); the CLI turns it on for a terminal.
    pub color: bool,
    pub sources: &'a dyn SourceLines,
    /// Rule descriptions and help (SARIF).
    pub rules: &'a dyn RuleDocs,
    /// The text format shows only findings at or above this level (its summary still counts
    /// all of them); the other formats, read by machines or cut to fit, show every level.
    pub min_level: Level,
    /// The command that produced the report (`validate`, `diff`, ...): titles, tool names.
    pub command: &'a str,
}

/// All findings of one run, kept sorted.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    findings: Vec<Finding>,
    waived: usize,
}

impl Report {
    pub fn new(mut findings: Vec<Finding>) -> Self {
        findings.sort_by(compare_findings);
        findings.dedup();
        Report {
            findings,
            waived: 0,
        }
    }

    /// The same report, saying that `waived` findings were accepted breaks (its summary counts
    /// them; they are not among the findings).
    pub fn with_waived(mut self, waived: usize) -> Self {
        self.waived = waived;
        self
    }

    pub fn findings(&self) -> &[Finding] {
        &self.findings
    }

    pub fn extend(&mut self, more: impl IntoIterator<Item = Finding>) {
        self.findings.extend(more);
        self.findings.sort_by(compare_findings);
        self.findings.dedup();
    }

    pub fn summary(&self) -> Summary {
        let mut s = Summary {
            waived: self.waived,
            ..Summary::default()
        };
        for f in &self.findings {
            match f.level {
                Level::Error => s.error += 1,
                Level::Warning => s.warning += 1,
                Level::Info => s.info += 1,
            }
        }
        s
    }

    /// The same findings with each location's file (and base location's) renamed by `rename`,
    /// kept as it is where `rename` gives `None`; ordered by the new names.
    pub fn with_files_renamed(&self, rename: impl Fn(&str) -> Option<String>) -> Report {
        let rename_in = |location: &mut Option<Location>| {
            if let Some(location) = location
                && let Some(file) = rename(&location.file)
            {
                location.file = file;
            }
        };
        let findings = self
            .findings
            .iter()
            .cloned()
            .map(|mut finding| {
                rename_in(&mut finding.location);
                rename_in(&mut finding.base_location);
                finding
            })
            .collect();
        Report::new(findings).with_waived(self.waived)
    }

    /// Whether an input could not be loaded (the run failed; see [`LOAD_ERROR`]).
    pub fn has_load_errors(&self) -> bool {
        self.findings.iter().any(|f| f.rule == LOAD_ERROR)
    }

    /// 1 when a finding is at or above the threshold, else 0.
    pub fn exit_code(&self, fail_on: FailOn) -> i32 {
        match fail_on.threshold() {
            Some(t) if self.findings.iter().any(|f| f.level >= t) => 1,
            _ => 0,
        }
    }

    /// The report in `format`. Whatever the findings say, no line of it is a CI workflow
    /// command (except the `github` format's own, one per finding) and it carries no raw
    /// control character (see [`escape`]).
    pub fn render(&self, format: Format, ctx: &RenderContext<'_>) -> String {
        use escape::{Syntax, workflow_safe};
        match format {
            Format::Text => workflow_safe(text::render(self, ctx), Syntax::Plain),
            Format::Json => workflow_safe(json::render(self), Syntax::Json),
            Format::Github => github::render(self),
            Format::Junit => workflow_safe(junit::render(self, ctx), Syntax::Xml),
            Format::Sarif => workflow_safe(sarif::render(self, ctx), Syntax::Json),
            // A diff that could not load its specs has no changelog: it has the load errors.
            Format::Markdown if ctx.command == "diff" && !self.has_load_errors() => {
                workflow_safe(markdown::render_changelog(self), Syntax::Plain)
            }
            Format::Markdown => workflow_safe(markdown::render(self, ctx), Syntax::Plain),
        }
    }
}

impl Report {
    /// The report in `format`, written to `out`: the same bytes as [`Report::render`], without
    /// holding the whole text where the format allows (JSON is written one finding at a time,
    /// SARIF one result at a time).
    pub fn write(
        &self,
        format: Format,
        ctx: &RenderContext<'_>,
        out: &mut dyn std::io::Write,
    ) -> std::io::Result<()> {
        match format {
            Format::Json => json::write(self, out),
            Format::Sarif => sarif::write(self, ctx, out),
            _ => out.write_all(self.render(format, ctx).as_bytes()),
        }
    }
}

/// Deterministic order, errors first in every format (a reader, and a surface that shows only
/// the first entries, sees what fails the run before anything else): level, then file, line,
/// column, pointer, rule, message, operation.
fn compare_findings(a: &Finding, b: &Finding) -> Ordering {
    let key = |f: &Finding| {
        f.location.as_ref().map(|l| {
            (
                l.file.clone(),
                l.line.unwrap_or(0),
                l.column.unwrap_or(0),
                l.pointer.clone(),
            )
        })
    };
    b.level
        .cmp(&a.level)
        .then_with(|| key(a).cmp(&key(b)))
        .then_with(|| a.rule.cmp(&b.rule))
        .then_with(|| a.message.cmp(&b.message))
        .then_with(|| a.operation.cmp(&b.operation))
}
