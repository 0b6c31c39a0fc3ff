//! The one registry of diff rules: every id a family can report, with its default level, the
//! direction of the data it is about, its category and its documentation. Families add their
//! rows here (schema families as a table of suffixes expanded over the request and response
//! prefixes, so request and response rules stay symmetric by construction).

use std::collections::HashMap;
use std::sync::LazyLock;

use serde::Serialize;

use crate::report::Level;

use super::{REQUEST_PREFIXES, RESPONSE_PREFIXES, schema_rule_id};

/// Which data a rule is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum RuleDirection {
    /// Data the client sends: narrowing it breaks.
    Request,
    /// Data the client receives: widening it breaks.
    Response,
    /// Neither (paths, operations, security, components).
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
}

impl Category {
    pub fn as_str(self) -> &'static str {
        match self {
            Category::Wire => "wire",
            Category::Sdk => "sdk",
        }
    }
}

/// One rule of the registry.
#[derive(Debug, Clone, Serialize)]
pub struct Rule {
    pub id: String,
    pub level: Level,
    pub direction: RuleDirection,
    pub category: Category,
    /// One line: what the rule reports.
    pub summary: String,
    /// The family (rule file) the rule belongs to.
    pub family: &'static str,
    /// What breaks, why, and an example (shared by the rules of a family).
    pub doc: &'static str,
}

/// A family of rules: one file in `src/rules`.
pub(crate) struct Family {
    pub name: &'static str,
    pub doc: &'static str,
}

/// A schema rule: a suffix whose id exists for each request prefix (when `request` has a level)
/// and each response prefix (when `response` has one).
pub(crate) struct SchemaRow {
    pub suffix: &'static str,
    pub request: Option<Level>,
    pub response: Option<Level>,
    pub summary: &'static str,
}

pub(crate) const E: Option<Level> = Some(Level::Error);
pub(crate) const W: Option<Level> = Some(Level::Warning);
pub(crate) const I: Option<Level> = Some(Level::Info);

#[derive(Default)]
pub(crate) struct Builder {
    rules: Vec<Rule>,
}

impl Builder {
    pub(crate) fn add(
        &mut self,
        family: &Family,
        id: &str,
        level: Level,
        direction: RuleDirection,
        category: Category,
        summary: &str,
    ) {
        self.rules.push(Rule {
            id: id.to_string(),
            level,
            direction,
            category,
            summary: summary.to_string(),
            family: family.name,
            doc: family.doc,
        });
    }

    pub(crate) fn schema(&mut self, family: &Family, category: Category, rows: &[SchemaRow]) {
        for row in rows {
            self.schema_row(
                family,
                category,
                row.suffix,
                row.request,
                row.response,
                row.summary,
            );
        }
    }

    /// One schema rule suffix, expanded over the prefixes of the sides it has a level for.
    pub(crate) fn schema_row(
        &mut self,
        family: &Family,
        category: Category,
        suffix: &str,
        request: Option<Level>,
        response: Option<Level>,
        summary: &str,
    ) {
        if let Some(level) = request {
            for prefix in REQUEST_PREFIXES {
                let id = schema_rule_id(prefix, suffix);
                self.add(
                    family,
                    &id,
                    level,
                    RuleDirection::Request,
                    category,
                    summary,
                );
            }
        }
        if let Some(level) = response {
            for prefix in RESPONSE_PREFIXES {
                let id = schema_rule_id(prefix, suffix);
                self.add(
                    family,
                    &id,
                    level,
                    RuleDirection::Response,
                    category,
                    summary,
                );
            }
        }
    }
}

struct Registry {
    rules: Vec<Rule>,
    index: HashMap<String, usize>,
}

/// Every row the families add, duplicates included.
pub(crate) fn rows() -> Vec<Rule> {
    let mut b = Builder::default();
    super::endpoints::register(&mut b);
    super::parameters::register(&mut b);
    super::bodies::register(&mut b);
    super::security::register(&mut b);
    super::sdk::register(&mut b);
    super::schema_types::register(&mut b);
    super::schema_values::register(&mut b);
    super::schema_bounds::register(&mut b);
    super::schema_properties::register(&mut b);
    super::schema_composition::register(&mut b);
    super::schema_keywords::register(&mut b);
    super::schema_lifecycle::register(&mut b);
    b.rules
}

static REGISTRY: LazyLock<Registry> = LazyLock::new(|| {
    let all = rows();
    let mut index = HashMap::new();
    let mut rules = Vec::with_capacity(all.len());
    for rule in all {
        // A duplicate id keeps its first row; the registry test reports duplicates.
        if !index.contains_key(&rule.id) {
            index.insert(rule.id.clone(), rules.len());
            rules.push(rule);
        }
    }
    Registry { rules, index }
});

/// Every rule, grouped by family.
pub fn registry() -> &'static [Rule] {
    &REGISTRY.rules
}

/// The rule with this id.
pub fn lookup(id: &str) -> Option<&'static Rule> {
    REGISTRY.index.get(id).map(|i| &REGISTRY.rules[*i])
}
