//! The gate's knobs: per-rule levels and accepted breaks, read from the `[diff]` section of
//! `oaskit.toml` or from an ignore file. Each accepted break needs a reason and may expire; an
//! expired entry stops suppressing and is itself reported, so "temporary" does not become
//! "forever" by accident.
//!
//! ```toml
//! [rules]                             # any rule of the catalogue: validate, diff, probe, check
//! example-invalid = "warning"
//!
//! [diff]
//! deprecation-days = { stable = 180, beta = 30 }
//!
//! [diff.rules]                        # the same, read after `[rules]`
//! response-optional-property-removed = "error"
//! api-tag-removed = "off"
//!
//! [[diff.ignore]]
//! rule = "response-property-type-changed"
//! operation = "GET /pets/{petId}"     # optional
//! contains = "/price"                 # optional: a substring of the message
//! reason = "price is a decimal string from v2 on; all clients migrated (PROJ-123)"
//! expires = "2025-03-31"              # optional
//!
//! [[diff.ignore]]
//! change = "9ac8e79b"                 # the change id shown in text and markdown, all operations
//! reason = "the new enum value is handled by every client (PROJ-124)"
//! ```
//!
//! An ignore file (`--ignore FILE`) has the same content, with or without the `[diff]` header.

use std::collections::HashMap;

use serde::Deserialize;

use crate::catalogue::RuleLevels;
use crate::catalogue::diff::waivers::{DIFF_IGNORE_EXPIRED, DIFF_IGNORE_UNUSED};
use crate::report::{Finding, Level, Location};

use super::{Date, DeprecationPolicy, lookup};

pub use crate::catalogue::parse_level;

/// Levels, accepted breaks and the deprecation policy of a diff.
#[derive(Debug, Clone, Default)]
pub struct DiffConfig {
    /// Levels of rules set by configuration (any rule of the catalogue).
    pub levels: RuleLevels,
    pub ignores: Vec<IgnoreEntry>,
    pub deprecation_days: Option<DeprecationPolicy>,
    /// One finding per operation a change reaches (`--per-operation`), instead of one per
    /// change listing the operations.
    pub per_operation: bool,
    /// `response-growth`: the level of a new enum value or `oneOf`/`anyOf` alternative in a
    /// response (`crate::catalogue::diff::RESPONSE_GROWTH`); `Some(None)` is `off`.
    pub response_growth: Option<Option<Level>>,
}

/// One accepted break.
#[derive(Debug, Clone, PartialEq)]
pub struct IgnoreEntry {
    pub rule: Option<String>,
    pub operation: Option<String>,
    pub contains: Option<String>,
    pub fingerprint: Option<String>,
    /// The id of a change (shown in text and markdown, `change` in JSON).
    pub change: Option<String>,
    pub reason: String,
    pub expires: Option<Date>,
    /// The file the entry was read from, for messages.
    pub source: String,
}

impl IgnoreEntry {
    fn matches(&self, finding: &Finding) -> bool {
        self.fingerprint.as_ref().is_none_or(|fp| {
            finding.fingerprint() == *fp
                || finding.change_fingerprint().as_deref() == Some(fp.as_str())
        }) && self
            .change
            .as_ref()
            .is_none_or(|id| finding.change.as_deref() == Some(id.as_str()))
            && self.rule.as_ref().is_none_or(|rule| finding.rule == *rule)
            && self
                .operation
                .as_ref()
                .is_none_or(|op| finding.operation.as_deref() == Some(op.as_str()))
            && self
                .contains
                .as_ref()
                .is_none_or(|text| finding.message.contains(text.as_str()))
    }

    fn describe(&self) -> String {
        let mut parts = Vec::new();
        if let Some(r) = &self.rule {
            parts.push(format!("rule `{r}`"));
        }
        if let Some(o) = &self.operation {
            parts.push(format!("operation `{o}`"));
        }
        if let Some(c) = &self.contains {
            parts.push(format!("message containing `{c}`"));
        }
        if let Some(f) = &self.fingerprint {
            parts.push(format!("fingerprint `{f}`"));
        }
        if let Some(id) = &self.change {
            parts.push(format!("change `{id}`"));
        }
        parts.join(", ")
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct Section {
    #[serde(default)]
    rules: HashMap<String, String>,
    #[serde(default)]
    ignore: Vec<RawIgnore>,
    deprecation_days: Option<RawPolicy>,
    response_growth: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPolicy {
    #[serde(default)]
    stable: u32,
    #[serde(default)]
    beta: u32,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawIgnore {
    rule: Option<String>,
    operation: Option<String>,
    contains: Option<String>,
    fingerprint: Option<String>,
    change: Option<String>,
    reason: Option<String>,
    expires: Option<toml::Value>,
}

impl DiffConfig {
    /// Reads the `[diff]` section of a TOML document (or the whole document when it has none).
    /// `source` names the file in errors and findings.
    pub fn from_toml(
        text: &str,
        source: &str,
        section_required: bool,
    ) -> Result<Option<DiffConfig>, String> {
        let value: toml::Table = toml::from_str(text).map_err(|e| format!("{source}: {e}"))?;
        let mut config = DiffConfig::default();
        // `[rules]` at the top of `oaskit.toml`: levels of any rule, under `[diff.rules]`.
        if section_required && let Some(rules) = value.get("rules") {
            let toml::Value::Table(rules) = rules else {
                return Err(format!("{source}: `rules` must be a table"));
            };
            for (id, level) in rules {
                let toml::Value::String(level) = level else {
                    return Err(format!("{source}: [rules] `{id}`: a level is a string"));
                };
                config
                    .levels
                    .set(id, level)
                    .map_err(|e| format!("{source}: [rules]: {e}"))?;
            }
        }
        let table = match value.get("diff") {
            Some(toml::Value::Table(t)) => t.clone(),
            Some(_) => return Err(format!("{source}: `diff` must be a table")),
            None if section_required && config.levels.is_empty() => return Ok(None),
            None if section_required => return Ok(Some(config)),
            None => value,
        };
        let section: Section = toml::Value::Table(table)
            .try_into()
            .map_err(|e: toml::de::Error| format!("{source}: [diff]: {e}"))?;
        for (id, level) in section.rules {
            config
                .levels
                .set(&id, &level)
                .map_err(|e| format!("{source}: [diff.rules]: {e}"))?;
        }
        for (i, raw) in section.ignore.into_iter().enumerate() {
            let n = i + 1;
            let reason = raw.reason.filter(|r| !r.trim().is_empty()).ok_or_else(|| {
                format!("{source}: ignore entry {n} has no `reason`: say why the break is accepted")
            })?;
            if raw.rule.is_none() && raw.fingerprint.is_none() && raw.change.is_none() {
                return Err(format!(
                    "{source}: ignore entry {n} needs a `rule`, a `change` or a `fingerprint`"
                ));
            }
            if let Some(rule) = &raw.rule
                && lookup(rule).is_none()
            {
                return Err(format!("{source}: ignore entry {n}: unknown rule `{rule}`"));
            }
            let expires = match raw.expires {
                None => None,
                Some(v) => {
                    let text = match &v {
                        toml::Value::String(s) => s.clone(),
                        other => other.to_string(),
                    };
                    Some(Date::parse(&text).ok_or_else(|| format!("{source}: ignore entry {n}: `expires = {text}` is not a date (YYYY-MM-DD)"))?)
                }
            };
            config.ignores.push(IgnoreEntry {
                rule: raw.rule,
                operation: raw.operation,
                contains: raw.contains,
                fingerprint: raw.fingerprint,
                change: raw.change,
                reason,
                expires,
                source: source.to_string(),
            });
        }
        if let Some(level) = &section.response_growth {
            config.response_growth = Some(
                parse_level(level).map_err(|e| format!("{source}: [diff] response-growth: {e}"))?,
            );
        }
        config.deprecation_days = section.deprecation_days.map(|p| DeprecationPolicy {
            stable: p.stable,
            beta: p.beta,
        });
        Ok(Some(config))
    }

    /// Adds another config on top of this one (its levels win, its ignores add up).
    pub fn merge(&mut self, other: DiffConfig) {
        self.levels.merge(&other.levels);
        self.ignores.extend(other.ignores);
        if other.deprecation_days.is_some() {
            self.deprecation_days = other.deprecation_days;
        }
        self.per_operation |= other.per_operation;
        if other.response_growth.is_some() {
            self.response_growth = other.response_growth;
        }
    }

    /// The level of every rule: the configured ones, then the response growth policy on the
    /// rules it covers that no `[rules]` entry names.
    pub fn effective_levels(&self) -> RuleLevels {
        let mut levels = self.levels.clone();
        if let Some(level) = self.response_growth {
            for rule in crate::catalogue::diff::RESPONSE_GROWTH {
                for expanded in crate::catalogue::response_rules(rule) {
                    levels.set_unless_configured(expanded, level);
                }
            }
        }
        levels
    }

    /// Drops the findings an unexpired entry accepts, and reports each expired entry (once,
    /// `diff-ignore-expired`) and each entry that matched nothing (`diff-ignore-unused`), at
    /// their configured levels.
    pub fn apply_ignores(&self, findings: Vec<Finding>, today: Date) -> Vec<Finding> {
        self.apply_ignores_keeping_waived(findings, today).0
    }

    /// [`Self::apply_ignores`], also giving back the findings it dropped (the summary counts
    /// them).
    pub fn apply_ignores_keeping_waived(
        &self,
        findings: Vec<Finding>,
        today: Date,
    ) -> (Vec<Finding>, Vec<Finding>) {
        let mut filter = self.ignore_filter(today);
        let mut out = Vec::with_capacity(findings.len());
        let mut waived = Vec::new();
        for finding in findings {
            if filter.waives(&finding) {
                waived.push(finding);
            } else {
                out.push(finding);
            }
        }
        out.extend(filter.finish());
        (out, waived)
    }

    /// The accepted breaks applied one finding at a time, for a pipeline that does not hold
    /// every finding at once: [`IgnoreFilter::waives`] for each, then [`IgnoreFilter::finish`].
    pub fn ignore_filter(&self, today: Date) -> IgnoreFilter<'_> {
        IgnoreFilter {
            config: self,
            today,
            used: vec![false; self.ignores.len()],
        }
    }
}

/// What [`DiffConfig::apply_ignores_keeping_waived`] does, a finding at a time.
pub struct IgnoreFilter<'c> {
    config: &'c DiffConfig,
    today: Date,
    /// Which entries matched a finding so far.
    used: Vec<bool>,
}

impl IgnoreFilter<'_> {
    /// Whether an unexpired entry accepts `finding`. An expired entry that matches it is
    /// remembered (and reported by [`Self::finish`]) but waives nothing.
    pub fn waives(&mut self, finding: &Finding) -> bool {
        let mut suppressed = false;
        for (i, entry) in self.config.ignores.iter().enumerate() {
            if entry.matches(finding) {
                self.used[i] = true;
                if entry.expires.is_none_or(|d| self.today <= d) {
                    suppressed = true;
                }
            }
        }
        suppressed
    }

    /// The findings about the entries themselves, after every finding was offered: each
    /// expired entry (`diff-ignore-expired`) and each that matched nothing
    /// (`diff-ignore-unused`), at their configured levels.
    pub fn finish(self) -> Vec<Finding> {
        let IgnoreFilter {
            config: this,
            today,
            used,
        } = self;
        let mut out = Vec::new();
        for (entry, used) in this.ignores.iter().zip(used) {
            let location = Location {
                file: entry.source.clone(),
                pointer: String::new(),
                line: None,
                column: None,
            };
            match entry.expires {
                Some(date) if today > date => {
                    let message = format!(
                        "the accepted break ({}) expired on {date}, so it is reported again; reason given: {}",
                        entry.describe(),
                        entry.reason
                    );
                    let help = "Fix the break, or extend `expires` with a reason that still holds.";
                    if let Some(level) = this.levels.level(&DIFF_IGNORE_EXPIRED) {
                        let mut finding = DIFF_IGNORE_EXPIRED.finding(message).at(location);
                        finding.level = level;
                        out.push(finding.with_help(help));
                    }
                }
                _ if !used => {
                    let message = format!(
                        "the accepted break ({}) matches no finding; remove it",
                        entry.describe()
                    );
                    if let Some(level) = this.levels.level(&DIFF_IGNORE_UNUSED) {
                        let mut finding = DIFF_IGNORE_UNUSED.finding(message).at(location);
                        finding.level = level;
                        out.push(finding);
                    }
                }
                _ => {}
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::Level;

    fn finding(rule: &str, op: &str, message: &str) -> Finding {
        Finding::new(rule, Level::Error, message).with_operation(op)
    }

    #[test]
    fn reads_a_diff_section_and_applies_it() {
        let text = r#"
[check]
other = 1

[diff]
deprecation-days = { stable = 180, beta = 30 }

[diff.rules]
api-tag-removed = "off"
response-optional-property-removed = "error"

[[diff.ignore]]
rule = "response-property-type-changed"
operation = "GET /pets"
contains = "/price"
reason = "migrated"
expires = "2030-01-01"

[[diff.ignore]]
rule = "request-property-type-changed"
reason = "old news"
expires = 2020-01-01

[[diff.ignore]]
rule = "api-tag-added"
reason = "never matches"
"#;
        let config = DiffConfig::from_toml(text, "oaskit.toml", true)
            .unwrap()
            .unwrap();
        assert_eq!(config.levels.configured("api-tag-removed"), Some(None));
        assert_eq!(
            config
                .levels
                .configured("response-optional-property-removed"),
            Some(Some(Level::Error))
        );
        assert_eq!(
            config.deprecation_days,
            Some(DeprecationPolicy {
                stable: 180,
                beta: 30
            })
        );
        let today = Date::parse("2025-06-01").unwrap();
        let findings = vec![
            finding(
                "response-property-type-changed",
                "GET /pets",
                "response property `/price`: type changed",
            ),
            finding(
                "response-property-type-changed",
                "GET /pets",
                "response property `/cost`: type changed",
            ),
            finding(
                "request-property-type-changed",
                "POST /pets",
                "request property `/price`: type changed",
            ),
        ];
        let out = config.apply_ignores(findings, today);
        let rules: Vec<&str> = out.iter().map(|f| f.rule.as_str()).collect();
        assert_eq!(
            rules,
            [
                "response-property-type-changed",
                "request-property-type-changed",
                "diff-ignore-expired",
                "diff-ignore-unused"
            ]
        );
        assert!(out[0].message.contains("/cost"));
        assert!(out[2].message.contains("old news"), "{}", out[2].message);
    }

    #[test]
    fn rejects_entries_without_reason_or_with_unknown_rules() {
        let no_reason = "[[ignore]]\nrule = \"api-tag-added\"\n";
        assert!(
            DiffConfig::from_toml(no_reason, "x.toml", false)
                .unwrap_err()
                .contains("reason")
        );
        let unknown = "[[ignore]]\nrule = \"no-such-rule\"\nreason = \"r\"\n";
        assert!(
            DiffConfig::from_toml(unknown, "x.toml", false)
                .unwrap_err()
                .contains("unknown rule")
        );
        let bad_date = "[[ignore]]\nrule = \"api-tag-added\"\nreason = \"r\"\nexpires = \"soon\"\n";
        assert!(
            DiffConfig::from_toml(bad_date, "x.toml", false)
                .unwrap_err()
                .contains("not a date")
        );
        let bad_level = "[rules]\napi-tag-added = \"fatal\"\n";
        assert!(
            DiffConfig::from_toml(bad_level, "x.toml", false)
                .unwrap_err()
                .contains("unknown level")
        );
        assert!(
            DiffConfig::from_toml("[other]\nx = 1\n", "oaskit.toml", true)
                .unwrap()
                .is_none()
        );
    }
}
