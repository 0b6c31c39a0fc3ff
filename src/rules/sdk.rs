//! Names generated code is built from: operationIds, component schema names, tags.
#![doc = include_str!("docs/sdk.md")]

use crate::diff::{Change, ChangeKind};
use crate::report::Level;

use super::Verdict;
use super::registry::{Builder, Category, Family, RuleDirection};

const FAMILY: Family = Family {
    name: "sdk",
    doc: include_str!("docs/sdk.md"),
};

const RULES: &[(&str, Level, &str)] = &[
    (
        "api-operation-id-updated",
        Level::Warning,
        "an operationId changed: the generated method is renamed",
    ),
    (
        "api-operation-id-removed",
        Level::Warning,
        "an operationId was removed: the generated method gets a derived name",
    ),
    (
        "api-operation-id-added",
        Level::Info,
        "an operationId was added: the generated method may be renamed",
    ),
    ("api-tag-added", Level::Info, "an operation gained a tag"),
    (
        "api-tag-removed",
        Level::Warning,
        "an operation lost a tag: clients grouped by tag move it",
    ),
    (
        "api-schema-renamed",
        Level::Warning,
        "a component schema was renamed (same shape): the generated type is renamed",
    ),
    (
        "api-schema-removed",
        Level::Warning,
        "a component schema was removed: the generated type disappears",
    ),
];

pub(super) fn register(b: &mut Builder) {
    for (id, level, summary) in RULES {
        b.add(
            &FAMILY,
            id,
            *level,
            RuleDirection::None,
            Category::Sdk,
            summary,
        );
    }
}

pub(super) fn judge(change: &Change, out: &mut Vec<Verdict>) {
    let label = change.operation.as_ref().map_or("", |o| o.label.as_str());
    match &change.kind {
        ChangeKind::OperationIdChanged { from: Some(from), to: Some(to) } => out.push(
            Verdict::new("api-operation-id-updated", format!("`{label}`: operationId changed from `{from}` to `{to}`"))
                .help(Some(format!("TypeScript client: `{from}()` becomes `{to}()`; Rust server: the handler is renamed. Callers fail to compile once regenerated."))),
        ),
        ChangeKind::OperationIdChanged { from: Some(from), to: None } => {
            out.push(Verdict::new("api-operation-id-removed", format!("`{label}`: operationId `{from}` removed")));
        }
        ChangeKind::OperationIdChanged { from: None, to: Some(to) } => {
            out.push(Verdict::new("api-operation-id-added", format!("`{label}`: operationId `{to}` added")));
        }
        ChangeKind::TagAdded { tag } => out.push(Verdict::new("api-tag-added", format!("`{label}`: tag `{tag}` added"))),
        ChangeKind::TagRemoved { tag } => out.push(Verdict::new("api-tag-removed", format!("`{label}`: tag `{tag}` removed"))),
        ChangeKind::ComponentSchemaRenamed { from, to } => out.push(
            Verdict::new("api-schema-renamed", format!("component schema `{from}` renamed to `{to}` (same shape)"))
                .help(Some(format!("The wire is the same; generated code imports `{to}` instead of `{from}`."))),
        ),
        ChangeKind::ComponentSchemaRemoved { name } => {
            out.push(Verdict::new("api-schema-removed", format!("component schema `{name}` removed")));
        }
        _ => {}
    }
}
