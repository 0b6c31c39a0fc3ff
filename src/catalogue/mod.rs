//! The one catalogue of rules: every id that `validate`, `diff`, `probe`, `check` and the
//! generators can report, with its default level, direction, category, one-line summary and
//! documentation. Everything that lists or configures rules reads it: `--list-rules`,
//! `--rule ID=LEVEL` and `[rules]` in `oaskit.toml`, SARIF rule metadata, and the rule
//! tables of docs/rules.md (a test keeps that page equal to [`markdown`]'s output).
//!
//! Ids are constants: the code that reports a finding names the same constant the table
//! declares (`structure::UNRESOLVED_REF.id`, `Verdict::new(&endpoints::ENDPOINT_ADDED, ..)`), so a
//! misspelt id is a compile error. This module depends only on `report::Level`, so every command
//! can use it.
//!
//! # Registering a rule
//!
//! One line in the family's `rules!` (or `schema_rules!`) block, in the file of its command:
//! `validate.rs`, `diff.rs`, `probe.rs` or `check.rs`:
//!
//! ```text
//! rules! {
//!     FAMILY;
//!     /// (optional doc)
//!     TAG_UNDECLARED: "tag-undeclared", Warning, "an operation uses a tag that is not declared", off;
//! }
//! ```
//!
//! then report it with `TAG_UNDECLARED.id` (or `TAG_UNDECLARED.finding(message)`). Modifiers after
//! the summary: `request` / `response` (direction), `sdk` / `wire` (category), `off` (not reported
//! unless a configuration sets a level). A new family is a `Family` constant with a doc page under
//! `docs/` (what it checks or breaks, why, an example) and one entry in [`FAMILIES`]. Then
//! `OASKIT_BLESS=1 cargo test --test rule_docs` rewrites docs/rules.md's tables.
//!
//! Schema rules of the diff are suffixes (`type-changed`) whose ids exist once per place the
//! schema can be (`request-property-type-changed`, `response-header-type-changed`, ...): the
//! catalogue expands them over [`REQUEST_PREFIXES`] and [`RESPONSE_PREFIXES`], so request and
//! response rules stay symmetric by construction.

use std::collections::HashMap;
use std::sync::LazyLock;

use serde::Serialize;

use crate::report::{Finding, Level};

/// Which data a rule is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum RuleDirection {
    /// Data the client sends: narrowing it breaks.
    Request,
    /// Data the client receives: widening it breaks.
    Response,
    /// Neither (paths, operations, security, components, the spec itself).
    None,
}

impl RuleDirection {
    pub fn as_str(self) -> &'static str {
        match self {
            RuleDirection::Request => "request",
            RuleDirection::Response => "response",
            RuleDirection::None => "none",
        }
    }
}

/// What a rule protects.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Category {
    /// Clients on the wire: requests they send, responses they parse.
    Wire,
    /// Code generated from the spec: names of methods and types.
    Sdk,
    /// The spec as a document: structure, references, the OpenAPI rules.
    Spec,
    /// Examples and defaults against their schemas.
    Example,
    /// A running server against the spec.
    Server,
    /// The gate itself: configuration, waivers, generated code on disk.
    Gate,
}

impl Category {
    pub fn as_str(self) -> &'static str {
        match self {
            Category::Wire => "wire",
            Category::Sdk => "sdk",
            Category::Spec => "spec",
            Category::Example => "example",
            Category::Server => "server",
            Category::Gate => "gate",
        }
    }
}

/// The command whose job a family of rules is part of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Command {
    Validate,
    Diff,
    Probe,
    Check,
    Generate,
}

impl Command {
    pub fn as_str(self) -> &'static str {
        match self {
            Command::Validate => "validate",
            Command::Diff => "diff",
            Command::Probe => "probe",
            Command::Check => "check",
            Command::Generate => "generate",
        }
    }

    /// Whether `oaskit <self>` can report the rules of a family of `owner`: `check` runs
    /// validate, diff and the generators, and has rules of its own.
    pub fn reports(self, owner: Command) -> bool {
        self == owner
            || (self == Command::Check
                && matches!(owner, Command::Validate | Command::Diff | Command::Generate))
    }
}

/// A family of rules: the rules of one concern, documented together.
#[derive(Debug, Serialize)]
pub struct Family {
    /// Kebab-case name (`schema-types`, `validate-structure`).
    pub name: &'static str,
    /// A heading for tables.
    pub title: &'static str,
    pub command: Command,
    /// Defaults of the family's rules.
    pub category: Category,
    pub direction: RuleDirection,
    /// Markdown: what the rules report, why it matters, and an example.
    #[serde(skip)]
    pub doc: &'static str,
}

/// One rule: an id a finding can carry.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Rule {
    pub id: &'static str,
    /// The level it is reported at unless configured otherwise.
    pub level: Level,
    /// False for opt-in rules: reported only when a configuration gives them a level.
    pub enabled: bool,
    pub direction: RuleDirection,
    pub category: Category,
    /// One line: what the rule reports.
    pub summary: &'static str,
    #[serde(serialize_with = "family_name")]
    pub family: &'static Family,
}

fn family_name<S: serde::Serializer>(f: &&'static Family, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(f.name)
}

impl Rule {
    pub const fn new(
        id: &'static str,
        level: Level,
        family: &'static Family,
        summary: &'static str,
    ) -> Rule {
        Rule {
            id,
            level,
            enabled: true,
            direction: family.direction,
            category: family.category,
            summary,
            family,
        }
    }

    pub const fn request(mut self) -> Rule {
        self.direction = RuleDirection::Request;
        self
    }

    pub const fn response(mut self) -> Rule {
        self.direction = RuleDirection::Response;
        self
    }

    pub const fn sdk(mut self) -> Rule {
        self.category = Category::Sdk;
        self
    }

    pub const fn wire(mut self) -> Rule {
        self.category = Category::Wire;
        self
    }

    /// Opt-in: off unless configured.
    pub const fn off(mut self) -> Rule {
        self.enabled = false;
        self
    }

    /// A finding of this rule at its default level.
    pub fn finding(&self, message: impl Into<String>) -> Finding {
        Finding::new(self.id, self.level, message)
    }

    /// The family documentation: what the rule's family reports, why, and an example.
    pub fn doc(&self) -> &'static str {
        self.family.doc
    }
}

/// A schema rule of the diff: a suffix with a level on each side it exists on (`None`: the
/// change breaks no one on that side and is not a separate rule).
#[derive(Debug, Clone, Copy)]
pub struct SchemaRule {
    pub suffix: &'static str,
    pub request: Option<Level>,
    pub response: Option<Level>,
    pub category: Category,
    pub summary: &'static str,
    pub family: &'static Family,
}

impl SchemaRule {
    pub const fn new(
        suffix: &'static str,
        request: Option<Level>,
        response: Option<Level>,
        family: &'static Family,
        summary: &'static str,
    ) -> SchemaRule {
        SchemaRule {
            suffix,
            request,
            response,
            category: family.category,
            summary,
            family,
        }
    }

    pub const fn sdk(mut self) -> SchemaRule {
        self.category = Category::Sdk;
        self
    }

    pub const fn wire(mut self) -> SchemaRule {
        self.category = Category::Wire;
        self
    }
}

/// Declares rules as constants plus `RULES`, the list of them in order.
macro_rules! rules {
    ($family:ident; $($(#[$meta:meta])* $name:ident: $id:literal, $level:ident, $summary:literal $(, $modifier:ident)*;)*) => {
        $(
            $(#[$meta])*
            pub const $name: $crate::catalogue::Rule = $crate::catalogue::Rule::new(
                $id,
                $crate::report::Level::$level,
                &$family,
                $summary,
            )$(.$modifier())*;
        )*
        /// Every rule of this family, in order.
        pub const RULES: &[&$crate::catalogue::Rule] = &[$(&$name),*];
    };
}

/// A side of a schema rule: a level, or `-` for none.
macro_rules! side {
    (-) => {
        None
    };
    ($level:ident) => {
        Some($crate::report::Level::$level)
    };
}

/// Declares schema rules (suffixes) as constants plus `SCHEMA_RULES`.
macro_rules! schema_rules {
    ($family:ident; $($(#[$meta:meta])* $name:ident: $suffix:literal, $request:tt, $response:tt, $summary:literal $(, $modifier:ident)*;)*) => {
        $(
            $(#[$meta])*
            pub const $name: $crate::catalogue::SchemaRule = $crate::catalogue::SchemaRule::new(
                $suffix,
                $crate::catalogue::side!($request),
                $crate::catalogue::side!($response),
                &$family,
                $summary,
            )$(.$modifier())*;
        )*
        /// Every schema rule of this family, in order.
        pub const SCHEMA_RULES: &[&$crate::catalogue::SchemaRule] = &[$(&$name),*];
    };
}

pub(crate) use side;

pub mod check;
pub mod diff;
pub mod markdown;
pub mod probe;
pub mod validate;

/// A family and its rules, as the catalogue lists them.
pub struct FamilyRules {
    pub family: &'static Family,
    pub rules: &'static [&'static Rule],
    pub schema: &'static [&'static SchemaRule],
}

/// Every family, in the order of `--list-rules` and docs/rules.md.
pub const FAMILIES: &[FamilyRules] = &[
    FamilyRules {
        family: &validate::structure::FAMILY,
        rules: validate::structure::RULES,
        schema: &[],
    },
    FamilyRules {
        family: &validate::lint::FAMILY,
        rules: validate::lint::RULES,
        schema: &[],
    },
    FamilyRules {
        family: &validate::examples::FAMILY,
        rules: validate::examples::RULES,
        schema: &[],
    },
    FamilyRules {
        family: &diff::endpoints::FAMILY,
        rules: diff::endpoints::RULES,
        schema: &[],
    },
    FamilyRules {
        family: &diff::parameters::FAMILY,
        rules: diff::parameters::RULES,
        schema: &[],
    },
    FamilyRules {
        family: &diff::bodies::FAMILY,
        rules: diff::bodies::RULES,
        schema: &[],
    },
    FamilyRules {
        family: &diff::security::FAMILY,
        rules: diff::security::RULES,
        schema: &[],
    },
    FamilyRules {
        family: &diff::sdk::FAMILY,
        rules: diff::sdk::RULES,
        schema: &[],
    },
    FamilyRules {
        family: &diff::schema_properties::FAMILY,
        rules: diff::schema_properties::RULES,
        schema: diff::schema_properties::SCHEMA_RULES,
    },
    FamilyRules {
        family: &diff::schema_types::FAMILY,
        rules: &[],
        schema: diff::schema_types::SCHEMA_RULES,
    },
    FamilyRules {
        family: &diff::schema_values::FAMILY,
        rules: &[],
        schema: diff::schema_values::SCHEMA_RULES,
    },
    FamilyRules {
        family: &diff::schema_bounds::FAMILY,
        rules: &[],
        schema: diff::schema_bounds::SCHEMA_RULES,
    },
    FamilyRules {
        family: &diff::schema_composition::FAMILY,
        rules: &[],
        schema: diff::schema_composition::SCHEMA_RULES,
    },
    FamilyRules {
        family: &diff::schema_keywords::FAMILY,
        rules: &[],
        schema: diff::schema_keywords::SCHEMA_RULES,
    },
    FamilyRules {
        family: &diff::schema_lifecycle::FAMILY,
        rules: &[],
        schema: diff::schema_lifecycle::SCHEMA_RULES,
    },
    FamilyRules {
        family: &diff::waivers::FAMILY,
        rules: diff::waivers::RULES,
        schema: &[],
    },
    FamilyRules {
        family: &probe::FAMILY,
        rules: probe::RULES,
        schema: &[],
    },
    FamilyRules {
        family: &check::FAMILY,
        rules: check::RULES,
        schema: &[],
    },
    FamilyRules {
        family: &check::generate::FAMILY,
        rules: check::generate::RULES,
        schema: &[],
    },
];

/// Prefixes of schema rule ids for data a client sends.
pub const REQUEST_PREFIXES: [&str; 5] = [
    "request-body",
    "request-property",
    "request-parameter",
    "request-parameter-property",
    "request-header-property",
];

/// Prefixes of schema rule ids for data a client receives.
pub const RESPONSE_PREFIXES: [&str; 4] = [
    "response-body",
    "response-property",
    "response-header",
    "response-header-property",
];

/// The rule id of a schema change: prefix and suffix, with oasdiff's spelling where it differs.
pub fn schema_rule_id(prefix: &str, suffix: &str) -> String {
    const LIFECYCLE: [&str; 6] = [
        "deprecated",
        "deprecated-with-sunset",
        "reactivated",
        "deprecated-sunset-invalid",
        "deprecated-sunset-missing",
        "sunset-date-too-small",
    ];
    match (prefix, suffix) {
        ("response-body", "enum-value-removed") => {
            "response-mediatype-enum-value-removed".to_string()
        }
        // The parameter rules own `request-parameter-deprecated` and friends: a `deprecated`
        // inside a parameter's schema is the schema's.
        ("request-parameter" | "response-header", s) if LIFECYCLE.contains(&s) => {
            format!("{prefix}-schema-{suffix}")
        }
        _ => format!("{prefix}-{suffix}"),
    }
}

struct Index {
    rules: Vec<Rule>,
    by_id: HashMap<&'static str, usize>,
    /// (prefix, suffix) of a schema rule → its expanded rule.
    by_schema: HashMap<(&'static str, &'static str), usize>,
    /// Ids declared twice (the catalogue test reports them).
    duplicates: Vec<&'static str>,
}

static INDEX: LazyLock<Index> = LazyLock::new(|| {
    let mut index = Index {
        rules: Vec::new(),
        by_id: HashMap::new(),
        by_schema: HashMap::new(),
        duplicates: Vec::new(),
    };
    for entry in FAMILIES {
        for rule in entry.rules {
            index.push(**rule, None);
        }
        for rule in entry.schema {
            let sides = [
                (rule.request, RuleDirection::Request, &REQUEST_PREFIXES[..]),
                (
                    rule.response,
                    RuleDirection::Response,
                    &RESPONSE_PREFIXES[..],
                ),
            ];
            for (level, direction, prefixes) in sides {
                let Some(level) = level else { continue };
                for prefix in prefixes {
                    // Expanded ids live as long as the program: the catalogue is built once.
                    let id: &'static str =
                        Box::leak(schema_rule_id(prefix, rule.suffix).into_boxed_str());
                    let expanded = Rule {
                        id,
                        level,
                        enabled: true,
                        direction,
                        category: rule.category,
                        summary: rule.summary,
                        family: rule.family,
                    };
                    index.push(expanded, Some((*prefix, rule.suffix)));
                }
            }
        }
    }
    index
});

impl Index {
    fn push(&mut self, rule: Rule, schema: Option<(&'static str, &'static str)>) {
        if self.by_id.contains_key(rule.id) {
            self.duplicates.push(rule.id);
            return;
        }
        let at = self.rules.len();
        self.by_id.insert(rule.id, at);
        if let Some(key) = schema {
            self.by_schema.insert(key, at);
        }
        self.rules.push(rule);
    }
}

/// Every rule, grouped by family, schema suffixes expanded.
pub fn all() -> &'static [Rule] {
    &INDEX.rules
}

/// The rule with this id.
pub fn lookup(id: &str) -> Option<&'static Rule> {
    INDEX.by_id.get(id).map(|i| &INDEX.rules[*i])
}

/// The expanded rule of a schema suffix at a prefix (`request-property` + `type-changed`), if
/// the suffix exists on that side.
pub fn schema_rule(prefix: &str, rule: &SchemaRule) -> Option<&'static Rule> {
    INDEX
        .by_schema
        .get(&(prefix, rule.suffix))
        .map(|i| &INDEX.rules[*i])
}

/// The response-side rules a schema suffix expands to (`response-body-one-of-added`,
/// `response-property-one-of-added`, ...).
pub fn response_rules(rule: &SchemaRule) -> impl Iterator<Item = &'static Rule> + '_ {
    RESPONSE_PREFIXES
        .iter()
        .filter_map(move |prefix| schema_rule(prefix, rule))
}

/// The catalogue as the reports see it: each rule's level, summary and family documentation.
pub struct CatalogueDocs;

impl crate::report::RuleDocs for CatalogueDocs {
    fn rule_doc(&self, rule: &str) -> Option<crate::report::RuleDoc> {
        lookup(rule).map(|r| crate::report::RuleDoc {
            level: r.level,
            summary: r.summary,
            help: r.doc(),
        })
    }
}

/// Ids declared more than once (empty in a correct catalogue).
pub fn duplicates() -> &'static [&'static str] {
    &INDEX.duplicates
}

/// Every rule `oaskit <command>` can report.
pub fn for_command(command: Command) -> impl Iterator<Item = &'static Rule> {
    all()
        .iter()
        .filter(move |r| command.reports(r.family.command))
}

/// A level name as written in a config or on the command line; `None` for `off`.
pub fn parse_level(text: &str) -> Result<Option<Level>, String> {
    match text.to_ascii_lowercase().as_str() {
        "error" => Ok(Some(Level::Error)),
        "warning" | "warn" => Ok(Some(Level::Warning)),
        "info" => Ok(Some(Level::Info)),
        "off" | "none" | "ignore" => Ok(None),
        other => Err(format!(
            "unknown level `{other}` (error, warning, info or off)"
        )),
    }
}

/// Levels set by configuration (`--rule`, `[rules]`, `[diff.rules]`), by rule id; `None`
/// switches a rule off.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RuleLevels(HashMap<&'static str, Option<Level>>);

impl RuleLevels {
    /// Sets a level from `ID` and a level name; an unknown id or level is an error that says so.
    pub fn set(&mut self, id: &str, level: &str) -> Result<(), String> {
        let Some(rule) = lookup(id) else {
            return Err(format!(
                "unknown rule `{id}` (see `oaskit check --list-rules`)"
            ));
        };
        let level = parse_level(level).map_err(|e| format!("`{id}`: {e}"))?;
        self.0.insert(rule.id, level);
        Ok(())
    }

    /// Reads `ID=LEVEL`, as `--rule` takes it.
    pub fn set_arg(&mut self, arg: &str) -> Result<(), String> {
        let Some((id, level)) = arg.split_once('=') else {
            return Err(format!("--rule {arg}: expected ID=LEVEL"));
        };
        self.set(id.trim(), level.trim())
            .map_err(|e| format!("--rule {arg}: {e}"))
    }

    /// Adds `other` on top (its levels win).
    pub fn merge(&mut self, other: &RuleLevels) {
        self.0.extend(other.0.iter().map(|(k, v)| (*k, *v)));
    }

    /// Sets the level of a rule unless one is configured already (a policy under the
    /// per-rule levels).
    pub fn set_unless_configured(&mut self, rule: &'static Rule, level: Option<Level>) {
        self.0.entry(rule.id).or_insert(level);
    }

    /// The configured level of a rule, if any (`Some(None)`: switched off).
    pub fn configured(&self, id: &str) -> Option<Option<Level>> {
        self.0.get(id).copied()
    }

    /// The level `rule` is reported at: configured, else its default; `None` when off.
    pub fn level(&self, rule: &Rule) -> Option<Level> {
        match self.0.get(rule.id) {
            Some(level) => *level,
            None if rule.enabled => Some(rule.level),
            None => None,
        }
    }

    /// Applies the levels to findings reported with the catalogue's default: a configured
    /// level replaces the finding's, `off` (and an opt-in rule nobody switched on) drops it.
    pub fn apply(&self, findings: Vec<Finding>) -> Vec<Finding> {
        findings
            .into_iter()
            .filter_map(|mut finding| {
                match self.0.get(finding.rule.as_str()) {
                    Some(None) => return None,
                    Some(Some(level)) => finding.level = *level,
                    None => {
                        if lookup(&finding.rule).is_some_and(|r| !r.enabled) {
                            return None;
                        }
                    }
                }
                Some(finding)
            })
            .collect()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

#[cfg(test)]
mod tests;
