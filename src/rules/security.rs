//! Security requirements of operations and of the document, and security schemes.
#![doc = include_str!("docs/security.md")]

use crate::diff::{Change, ChangeKind, SecurityChange};
use crate::report::Level;

use super::Verdict;
use super::registry::{Builder, Category, Family, RuleDirection};

const FAMILY: Family = Family {
    name: "security",
    doc: include_str!("docs/security.md"),
};

const RULES: &[(&str, Level, &str)] = &[
    (
        "api-security-added",
        Level::Info,
        "an operation accepts a new security alternative",
    ),
    (
        "api-security-removed",
        Level::Info,
        "a security alternative was removed; its clients can still use another one",
    ),
    (
        "api-security-tightened",
        Level::Error,
        "clients of a security alternative (or anonymous clients) are no longer accepted",
    ),
    (
        "api-security-scope-added",
        Level::Error,
        "a security alternative requires a new scope",
    ),
    (
        "api-security-scope-removed",
        Level::Info,
        "a security alternative requires one scope fewer",
    ),
    (
        "api-global-security-added",
        Level::Info,
        "the document-level security accepts a new alternative",
    ),
    (
        "api-global-security-removed",
        Level::Info,
        "a document-level security alternative was removed; its clients can still use another one",
    ),
    (
        "api-global-security-tightened",
        Level::Error,
        "clients of a document-level security alternative (or anonymous clients) are no longer accepted",
    ),
    (
        "api-global-security-scope-added",
        Level::Error,
        "a document-level security alternative requires a new scope",
    ),
    (
        "api-global-security-scope-removed",
        Level::Info,
        "a document-level security alternative requires one scope fewer",
    ),
    (
        "api-security-component-added",
        Level::Info,
        "a security scheme was added to components",
    ),
    (
        "api-security-component-removed",
        Level::Info,
        "a security scheme was removed from components",
    ),
    (
        "api-security-component-type-changed",
        Level::Error,
        "a security scheme changed type: clients send credentials the old way",
    ),
    (
        "api-security-component-oauth-url-changed",
        Level::Warning,
        "an OAuth flow URL changed",
    ),
    (
        "api-security-component-oauth-scope-added",
        Level::Info,
        "an OAuth flow offers a new scope",
    ),
    (
        "api-security-component-oauth-scope-removed",
        Level::Warning,
        "an OAuth flow no longer offers a scope: token requests for it fail",
    ),
];

pub(super) fn register(b: &mut Builder) {
    for (id, level, summary) in RULES {
        b.add(
            &FAMILY,
            id,
            *level,
            RuleDirection::None,
            Category::Wire,
            summary,
        );
    }
}

fn requirement(prefix: &str, where_: &str, change: &SecurityChange) -> Verdict {
    match change {
        SecurityChange::RequirementAdded { requirement } if requirement == "anonymous" => Verdict::new(
            format!("{prefix}-added"),
            format!("{where_}: requests without credentials are now accepted"),
        ),
        SecurityChange::RequirementAdded { requirement } => {
            Verdict::new(format!("{prefix}-added"), format!("{where_}: security `{requirement}` is now accepted"))
        }
        SecurityChange::RequirementRemoved { requirement } => Verdict::new(
            format!("{prefix}-removed"),
            format!("{where_}: security alternative `{requirement}` removed (its clients are still accepted by another one)"),
        ),
        SecurityChange::RequirementTightened { requirement } if requirement == "anonymous" => Verdict::new(
            format!("{prefix}-tightened"),
            format!("{where_}: authentication is now required; requests without credentials were accepted before"),
        )
        .help(Some("Clients built from the old spec send no credentials and get a 401.".to_string())),
        SecurityChange::RequirementTightened { requirement } => Verdict::new(
            format!("{prefix}-tightened"),
            format!("{where_}: clients that authenticate with `{requirement}` are no longer accepted"),
        ),
        SecurityChange::ScopeAdded { scheme, scope } => Verdict::new(
            format!("{prefix}-scope-added"),
            format!("{where_}: `{scheme}` now requires scope `{scope}`"),
        )
        .help(Some("Tokens issued without the new scope get a 403.".to_string())),
        SecurityChange::ScopeRemoved { scheme, scope } => Verdict::new(
            format!("{prefix}-scope-removed"),
            format!("{where_}: `{scheme}` no longer requires scope `{scope}`"),
        ),
    }
}

pub(super) fn judge(change: &Change, out: &mut Vec<Verdict>) {
    match &change.kind {
        ChangeKind::Security(s) => out.push(requirement("api-security", "security", s)),
        ChangeKind::GlobalSecurity { change, inherited } => out.push(requirement(
            "api-global-security",
            if *inherited {
                "document-level security"
            } else {
                "document-level security (no operation inherits it: each declares its own `security`)"
            },
            change,
        )),
        ChangeKind::SecuritySchemeAdded { name } => {
            out.push(Verdict::new(
                "api-security-component-added",
                format!("security scheme `{name}` added"),
            ));
        }
        ChangeKind::SecuritySchemeRemoved { name } => {
            out.push(Verdict::new(
                "api-security-component-removed",
                format!("security scheme `{name}` removed"),
            ));
        }
        ChangeKind::SecuritySchemeTypeChanged { name, from, to } => {
            out.push(Verdict::new(
                "api-security-component-type-changed",
                format!("security scheme `{name}` changed from {from} to {to}"),
            ));
        }
        ChangeKind::SecuritySchemeUrlChanged {
            name,
            field,
            from,
            to,
        } => {
            let show = |v: &Option<String>| v.clone().unwrap_or_else(|| "none".to_string());
            out.push(Verdict::new(
                "api-security-component-oauth-url-changed",
                format!(
                    "security scheme `{name}`: `{field}` changed from {} to {}",
                    show(from),
                    show(to)
                ),
            ));
        }
        ChangeKind::SecuritySchemeScopeAdded { name, flow, scope } => {
            out.push(Verdict::new(
                "api-security-component-oauth-scope-added",
                format!("security scheme `{name}` ({flow}): scope `{scope}` added"),
            ));
        }
        ChangeKind::SecuritySchemeScopeRemoved { name, flow, scope } => {
            out.push(Verdict::new(
                "api-security-component-oauth-scope-removed",
                format!("security scheme `{name}` ({flow}): scope `{scope}` removed"),
            ));
        }
        _ => {}
    }
}
