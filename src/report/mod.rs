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

    /// A stable identifier for this finding across runs, independent of line numbers (which move
    /// when unrelated parts of a spec change): rule, operation, pointer and message.
    pub fn fingerprint(&self) -> String {
        let mut hash: u64 = 0xcbf2_9ce4_8422_2325; // FNV-1a: stable across Rust versions, unlike DefaultHasher
        let pointer = self.location.as_ref().map_or("", |l| l.pointer.as_str());
        let op = self.operation.as_deref().unwrap_or("");
        for part in [self.rule.as_str(), op, pointer, self.message.as_str()] {
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
}

impl Report {
    pub fn new(mut findings: Vec<Finding>) -> Self {
        findings.sort_by(compare_findings);
        findings.dedup();
        Report { findings }
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
        let mut s = Summary::default();
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
        Report::new(findings)
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
