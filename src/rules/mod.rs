//! The breaking-change diff, second layer: judgement. Each [`Change`] from `crate::diff` is read
//! by the rule families below (one file each); a family names the rule that applies and writes
//! the message and the impact on generated code. Rule ids, levels, directions and categories
//! come from the one catalogue (`crate::catalogue::diff`), whose constants the families name.
//!
//! Direction is contravariance: data the client sends may widen but not narrow, data it
//! receives may narrow but not widen. Ids follow oasdiff's wherever the meaning is the same.

mod bodies;
mod change_groups;
pub mod config;
mod dates;
mod endpoints;
mod impact;
mod parameters;
mod schema_bounds;
mod schema_composition;
mod schema_keywords;
mod schema_lifecycle;
mod schema_properties;
mod schema_types;
mod schema_values;
mod sdk;
mod security;

pub use crate::catalogue::{Category, Rule, RuleDirection, RuleLevels, lookup};
pub use change_groups::{ChangeGroups, group_by_change};
pub use config::{DiffConfig, IgnoreEntry};
pub use dates::Date;

use crate::catalogue::{self, SchemaRule};
use crate::diff::{Change, ChangeKind, DeclaredIn, SchemaSite, SchemaSubject, Step, Subject};
use crate::model::{Contract, Direction, ParameterLocation};
use crate::report::{Finding, Level};

/// How the rules are applied.
#[derive(Debug, Clone, Default)]
pub struct CheckOptions {
    /// "Today" for `x-sunset` dates; the system date when `None`.
    pub today: Option<Date>,
    /// Minimum days between deprecating something and its sunset, by stability. When set, a
    /// deprecation without an `x-sunset`, or with one too soon, is reported.
    pub deprecation_days: Option<DeprecationPolicy>,
    /// Per-rule levels set by configuration.
    pub levels: RuleLevels,
}

/// Minimum deprecation periods, in days.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DeprecationPolicy {
    pub stable: u32,
    pub beta: u32,
}

/// What a family says about one change: the rule that applies, a message, and advice.
#[derive(Debug, Clone)]
pub(crate) struct Verdict {
    /// `None` when a schema rule does not exist on the side the change is on (a bug the
    /// catalogue test catches).
    pub rule: Option<&'static Rule>,
    pub message: String,
    pub help: Option<String>,
}

impl Verdict {
    pub(crate) fn new(rule: &'static Rule, message: impl Into<String>) -> Verdict {
        Verdict {
            rule: Some(rule),
            message: message.into(),
            help: None,
        }
    }

    /// A verdict of a schema rule, at the id prefix of where the schema is.
    pub(crate) fn schema(prefix: &str, rule: &SchemaRule, message: impl Into<String>) -> Verdict {
        Verdict {
            rule: catalogue::schema_rule(prefix, rule),
            message: message.into(),
            help: None,
        }
    }

    pub(crate) fn help(mut self, help: Option<String>) -> Verdict {
        self.help = help;
        self
    }
}

/// What families can read besides the change.
pub(crate) struct Cx<'a> {
    pub options: &'a CheckOptions,
    pub today: Date,
}

impl Cx<'_> {
    /// The minimum deprecation period for a stability level, if a policy is set.
    pub(crate) fn min_days(&self, stability: Option<&str>) -> Option<u32> {
        let policy = self.options.deprecation_days?;
        match stability.unwrap_or("stable") {
            "stable" => Some(policy.stable),
            "beta" => Some(policy.beta),
            _ => Some(0),
        }
    }
}

/// What the gate reports of a diff.
#[derive(Debug, Clone, Default)]
pub struct Judged {
    /// One per change (or per operation and change with `per_operation`), waivers applied.
    pub findings: Vec<Finding>,
    /// How many findings (changes, or per-operation findings) accepted breaks took out.
    pub waived: usize,
}

/// The one diff-and-judge pipeline of `oaskit diff` and `oaskit check`: diff the contracts,
/// judge the changes at the configured levels and deprecation policy, apply the accepted
/// breaks (an expired one is `diff-ignore-expired` in both commands), then fold the findings
/// into one per change unless the configuration asks for one per operation.
///
/// Each operation's changes are judged, filtered and folded as the diff hands them over, so
/// the per-operation changes and findings of a big diff are never all held at once (the
/// grouped findings are what stays).
pub fn judge_diff(
    base: &Contract,
    revision: &Contract,
    config: &DiffConfig,
    today: Date,
) -> Judged {
    let options = CheckOptions {
        today: Some(today),
        deprecation_days: config.deprecation_days,
        levels: config.effective_levels(),
    };
    let mut ignores = config.ignore_filter(today);
    let mut kept = Kept::new(config.per_operation);
    let mut waived = 0;
    let mut waived_changes = change_groups::ChangeCount::default();
    crate::diff::diff_each(base, revision, &mut |changes| {
        for finding in check(changes, base, revision, &options) {
            if ignores.waives(&finding) {
                waived += 1;
                waived_changes.add(&finding);
            } else {
                kept.push(finding);
            }
        }
    });
    for finding in ignores.finish() {
        kept.push(finding);
    }
    match kept {
        Kept::PerOperation(findings) => Judged { findings, waived },
        Kept::Grouped(groups) => Judged {
            findings: groups.finish(),
            waived: waived_changes.len(),
        },
    }
}

/// The findings [`judge_diff`] keeps, as they come: one per operation, or folded by change.
enum Kept {
    PerOperation(Vec<Finding>),
    Grouped(ChangeGroups),
}

impl Kept {
    fn new(per_operation: bool) -> Kept {
        if per_operation {
            Kept::PerOperation(Vec::new())
        } else {
            Kept::Grouped(ChangeGroups::default())
        }
    }

    fn push(&mut self, finding: Finding) {
        match self {
            Kept::PerOperation(findings) => findings.push(finding),
            Kept::Grouped(groups) => groups.push(finding),
        }
    }
}

/// Turns changes into findings, one per operation a change is met in: `location` on the
/// revision side, `base_location` on the base, `change` the id of the change.
pub fn check(
    changes: &[Change],
    base: &Contract,
    revision: &Contract,
    options: &CheckOptions,
) -> Vec<Finding> {
    let cx = Cx {
        options,
        today: options.today.unwrap_or_else(Date::today),
    };
    let mut findings = Vec::new();
    let mut verdicts = Vec::new();
    for change in changes {
        verdicts.clear();
        judge(change, &cx, &mut verdicts);
        for verdict in verdicts.drain(..) {
            let Some(rule) = verdict.rule else {
                // A schema rule reported on a side it does not exist on: a bug, caught by the
                // catalogue test.
                debug_assert!(false, "no rule for `{}`", verdict.message);
                continue;
            };
            let Some(level) = options.levels.level(rule) else {
                continue;
            };
            let level = capped_level(change, rule, level);
            let location = change
                .revision
                .as_ref()
                .or(change.revision_anchor.as_ref())
                .map(|l| revision.location(l));
            let mut finding = Finding::new(rule.id, level, verdict.message);
            finding.location = location;
            finding.base_location = change.base.as_ref().map(|l| base.location(l));
            finding.operation = change.operation.as_ref().map(|o| o.label.clone());
            finding.help = verdict.help;
            finding.change = Some(change_groups::change_id(&finding));
            findings.push(finding);
        }
    }
    findings
}

/// Breaking changes in `draft` and `alpha` operations are expected: they are reported as info.
/// So is a change of the document-level security that no operation inherits (every one of them
/// declares its own `security`): it reaches no request.
fn capped_level(change: &Change, rule: &Rule, level: Level) -> Level {
    if matches!(
        change.kind,
        ChangeKind::GlobalSecurity {
            inherited: false,
            ..
        }
    ) {
        return level.min(Level::Info);
    }
    let unstable = change
        .operation
        .as_ref()
        .and_then(|o| o.stability.as_deref())
        .is_some_and(|s| s == "draft" || s == "alpha");
    if unstable && !rule.id.contains("stability") {
        level.min(Level::Info)
    } else {
        level
    }
}

fn judge(change: &Change, cx: &Cx<'_>, out: &mut Vec<Verdict>) {
    let start = out.len();
    judge_families(change, cx, out);
    // What the change does to the generated code, where the family did not say: every
    // error and warning explains itself (`every_error_and_warning_has_help`).
    for verdict in &mut out[start..] {
        if verdict.help.is_some() || verdict.rule.is_none_or(|r| r.level < Level::Warning) {
            continue;
        }
        verdict.help = match (&change.kind, &change.subject) {
            (ChangeKind::Schema(schema), Subject::Schema(s)) => match hook_name(s.declared_in) {
                Some(hook) => Some(impact::not_generated(hook)),
                None => impact::schema_default(&subject_name(s), schema, s.direction),
            },
            _ => impact::operation_default(change),
        };
    }
}

fn judge_families(change: &Change, cx: &Cx<'_>, out: &mut Vec<Verdict>) {
    match &change.kind {
        ChangeKind::Schema(schema) => {
            let Subject::Schema(subject) = &change.subject else {
                return;
            };
            schema_types::judge(subject, schema, out);
            schema_values::judge(subject, schema, out);
            schema_bounds::judge(subject, schema, out);
            schema_properties::judge(subject, schema, out);
            schema_composition::judge(subject, schema, out);
            schema_keywords::judge(subject, schema, out);
            schema_lifecycle::judge(subject, schema, cx, out);
        }
        _ => {
            endpoints::judge(change, cx, out);
            parameters::judge(change, cx, out);
            bodies::judge(change, out);
            security::judge(change, out);
            sdk::judge(change, out);
        }
    }
}

// ----- shared wording ---------------------------------------------------------------------------

/// The id prefix of a schema change: where it is and which way the data flows.
pub(crate) fn schema_prefix(subject: &SchemaSubject) -> &'static str {
    let root = subject.is_root();
    // The items of a parameter or header array are its values, not a nested property.
    let value_level = subject.path.0.iter().all(|s| matches!(s, Step::Items));
    match (&subject.site, subject.direction) {
        (SchemaSite::RequestBody { .. } | SchemaSite::Response { .. }, Direction::Request) => {
            if root {
                "request-body"
            } else {
                "request-property"
            }
        }
        (SchemaSite::RequestBody { .. } | SchemaSite::Response { .. }, Direction::Response) => {
            if root {
                "response-body"
            } else {
                "response-property"
            }
        }
        (SchemaSite::Parameter(p), Direction::Request) => {
            if value_level {
                "request-parameter"
            } else if p.location == ParameterLocation::Header {
                "request-header-property"
            } else {
                "request-parameter-property"
            }
        }
        (SchemaSite::ResponseHeader { .. }, Direction::Request) => {
            if value_level {
                "request-parameter"
            } else {
                "request-parameter-property"
            }
        }
        (SchemaSite::Parameter(_) | SchemaSite::ResponseHeader { .. }, Direction::Response) => {
            if value_level {
                "response-header"
            } else {
                "response-header-property"
            }
        }
    }
}

/// `query parameter `limit``, `response property `/items/price` (200, application/json)`.
pub(crate) fn place(subject: &Subject) -> String {
    match subject {
        Subject::Document => "the document".to_string(),
        Subject::Operation => "the operation".to_string(),
        Subject::Parameter(p) => format!("{} parameter `{}`", p.location.as_str(), p.name),
        Subject::RequestBody => "the request body".to_string(),
        Subject::RequestMedia(mt) => format!("the request body `{mt}`"),
        Subject::Response(status) => format!("response {status}"),
        Subject::ResponseMedia(status, mt) => format!("response {status} `{mt}`"),
        Subject::ResponseHeader(status, name) => format!("response header `{name}` ({status})"),
        Subject::Schema(s) => schema_place(s),
    }
}

pub(crate) fn schema_place(s: &SchemaSubject) -> String {
    let side = match s.direction {
        Direction::Request => "request",
        Direction::Response => "response",
    };
    let inside = if s.is_root() {
        None
    } else {
        Some(s.path.to_string())
    };
    let hook = hook_name(s.declared_in);
    match (&s.site, inside) {
        (SchemaSite::RequestBody { media_type }, None) => match hook {
            Some(hook) => format!("the {hook} payload ({media_type})"),
            None => format!("the request body ({media_type})"),
        },
        (SchemaSite::RequestBody { media_type }, Some(path)) => match hook {
            Some(hook) => format!("{hook} payload property `{path}` ({media_type})"),
            None => format!("{side} property `{path}` (request body, {media_type})"),
        },
        (SchemaSite::Response { status, media_type }, None) => match hook {
            Some(hook) => format!("the {hook} response ({status}, {media_type})"),
            None => format!("the response body ({status}, {media_type})"),
        },
        (SchemaSite::Response { status, media_type }, Some(path)) => match hook {
            Some(hook) => format!("{hook} response property `{path}` ({status}, {media_type})"),
            None => format!("{side} property `{path}` ({status}, {media_type})"),
        },
        (SchemaSite::Parameter(p), None) => {
            format!("{} parameter `{}`", p.location.as_str(), p.name)
        }
        (SchemaSite::Parameter(p), Some(path)) => {
            format!(
                "{} parameter `{}`, property `{path}`",
                p.location.as_str(),
                p.name
            )
        }
        (SchemaSite::ResponseHeader { status, name }, None) => {
            format!("response header `{name}` ({status})")
        }
        (SchemaSite::ResponseHeader { status, name }, Some(path)) => {
            format!("response header `{name}` ({status}), property `{path}`")
        }
    }
}

/// What a webhook or a callback is called in messages: the API sends its request (the
/// payload) and the consumer answers it, so "request" and "response" alone would mislead.
fn hook_name(declared_in: DeclaredIn) -> Option<&'static str> {
    match declared_in {
        DeclaredIn::Path => None,
        DeclaredIn::Webhook => Some("webhook"),
        DeclaredIn::Callback => Some("callback"),
    }
}

/// The object a schema belongs to, without the path inside it: `the response body (200,
/// application/json)`, `query parameter `filter``.
pub(crate) fn site_place(s: &SchemaSubject) -> String {
    let hook = hook_name(s.declared_in);
    match &s.site {
        SchemaSite::RequestBody { media_type } => match hook {
            Some(hook) => format!("the {hook} payload ({media_type})"),
            None => format!("the request body ({media_type})"),
        },
        SchemaSite::Response { status, media_type } => match hook {
            Some(hook) => format!("the {hook} response ({status}, {media_type})"),
            None => format!("the response body ({status}, {media_type})"),
        },
        SchemaSite::Parameter(p) => format!("{} parameter `{}`", p.location.as_str(), p.name),
        SchemaSite::ResponseHeader { status, name } => {
            format!("response header `{name}` ({status})")
        }
    }
}

/// The path of a property of the node a change is at: `/category/name`, `/[]/nickname`.
pub(crate) fn property_path(s: &SchemaSubject, name: &str) -> String {
    if s.is_root() {
        format!("/{name}")
    } else {
        format!("{}/{name}", s.path)
    }
}

/// The name a reader knows a schema node by: the property, the parameter, or "the body".
pub(crate) fn subject_name(s: &SchemaSubject) -> String {
    if let Some(p) = s.path.property() {
        return p.to_string();
    }
    match &s.site {
        SchemaSite::Parameter(p) => p.name.clone(),
        SchemaSite::ResponseHeader { name, .. } => name.clone(),
        SchemaSite::RequestBody { .. } => "the request body".to_string(),
        SchemaSite::Response { .. } => "the response body".to_string(),
    }
}

/// A JSON value for a message, shortened.
pub(crate) fn show(value: &serde_json::Value) -> String {
    let text = value.to_string();
    if text.chars().count() > 60 {
        let short: String = text.chars().take(57).collect();
        format!("{short}...")
    } else {
        text
    }
}

pub(crate) fn show_list(values: &[serde_json::Value]) -> String {
    let shown: Vec<String> = values.iter().take(8).map(show).collect();
    let more = values.len().saturating_sub(8);
    if more > 0 {
        format!("{} and {more} more", shown.join(", "))
    } else {
        shown.join(", ")
    }
}

#[cfg(test)]
mod tests;
