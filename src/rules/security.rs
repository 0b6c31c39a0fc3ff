//! Security requirements of operations and of the document, and security schemes.
#![doc = include_str!("../catalogue/docs/security.md")]

use crate::catalogue::Rule;
use crate::catalogue::diff::security::*;
use crate::diff::{Change, ChangeKind, SecurityChange};

use super::{Verdict, impact};

/// The rules of operation-level or document-level requirements: added, removed, tightened,
/// scope added, scope removed.
type RequirementRules = [&'static Rule; 5];

const OPERATION: RequirementRules = [
    &API_SECURITY_ADDED,
    &API_SECURITY_REMOVED,
    &API_SECURITY_TIGHTENED,
    &API_SECURITY_SCOPE_ADDED,
    &API_SECURITY_SCOPE_REMOVED,
];

const GLOBAL: RequirementRules = [
    &API_GLOBAL_SECURITY_ADDED,
    &API_GLOBAL_SECURITY_REMOVED,
    &API_GLOBAL_SECURITY_TIGHTENED,
    &API_GLOBAL_SECURITY_SCOPE_ADDED,
    &API_GLOBAL_SECURITY_SCOPE_REMOVED,
];

fn requirement(
    rules: RequirementRules,
    where_: &str,
    change: &SecurityChange,
    names: Option<&impact::OperationNames>,
) -> Verdict {
    let [added, removed, tightened, scope_added, scope_removed] = rules;
    match change {
        SecurityChange::RequirementAdded { requirement } if requirement == "anonymous" => Verdict::new(
            added,
            format!("{where_}: requests without credentials are now accepted"),
        ),
        SecurityChange::RequirementAdded { requirement } => {
            Verdict::new(added, format!("{where_}: security `{requirement}` is now accepted"))
        }
        SecurityChange::RequirementRemoved { requirement } => Verdict::new(
            removed,
            format!("{where_}: security alternative `{requirement}` removed (its clients are still accepted by another one)"),
        ),
        SecurityChange::RequirementTightened { requirement } if requirement == "anonymous" => Verdict::new(
            tightened,
            format!("{where_}: authentication is now required; requests without credentials were accepted before"),
        )
        .help(Some("Clients built from the old spec send no credentials and get a 401.".to_string())),
        SecurityChange::RequirementTightened { requirement } => Verdict::new(
            tightened,
            format!("{where_}: clients that authenticate with `{requirement}` are no longer accepted"),
        )
        .help(Some(impact::security_tightened(names, requirement))),
        SecurityChange::ScopeAdded { scheme, scope } => Verdict::new(
            scope_added,
            format!("{where_}: `{scheme}` now requires scope `{scope}`"),
        )
        .help(Some("Tokens issued without the new scope get a 403.".to_string())),
        SecurityChange::ScopeRemoved { scheme, scope } => Verdict::new(
            scope_removed,
            format!("{where_}: `{scheme}` no longer requires scope `{scope}`"),
        ),
    }
}

pub(super) fn judge(change: &Change, out: &mut Vec<Verdict>) {
    match &change.kind {
        ChangeKind::Security(s) => out.push(requirement(
            OPERATION,
            "security",
            s,
            impact::operation_names(change).as_ref(),
        )),
        ChangeKind::GlobalSecurity { change, inherited } => out.push(requirement_global(
            GLOBAL,
            if *inherited {
                "document-level security"
            } else {
                "document-level security (no operation inherits it: each declares its own `security`)"
            },
            change,
        )),
        ChangeKind::SecuritySchemeAdded { name } => {
            out.push(Verdict::new(
                &API_SECURITY_COMPONENT_ADDED,
                format!("security scheme `{name}` added"),
            ));
        }
        ChangeKind::SecuritySchemeRemoved { name } => {
            out.push(Verdict::new(
                &API_SECURITY_COMPONENT_REMOVED,
                format!("security scheme `{name}` removed"),
            ));
        }
        ChangeKind::SecuritySchemeTypeChanged { name, from, to } => {
            out.push(Verdict::new(
                &API_SECURITY_COMPONENT_TYPE_CHANGED,
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
                &API_SECURITY_COMPONENT_OAUTH_URL_CHANGED,
                format!(
                    "security scheme `{name}`: `{field}` changed from {} to {}",
                    show(from),
                    show(to)
                ),
            ));
        }
        ChangeKind::SecuritySchemeScopeAdded { name, flow, scope } => {
            out.push(Verdict::new(
                &API_SECURITY_COMPONENT_OAUTH_SCOPE_ADDED,
                format!("security scheme `{name}` ({flow}): scope `{scope}` added"),
            ));
        }
        ChangeKind::SecuritySchemeScopeRemoved { name, flow, scope } => {
            out.push(Verdict::new(
                &API_SECURITY_COMPONENT_OAUTH_SCOPE_REMOVED,
                format!("security scheme `{name}` ({flow}): scope `{scope}` removed"),
            ));
        }
        _ => {}
    }
}

fn requirement_global(rules: RequirementRules, where_: &str, change: &SecurityChange) -> Verdict {
    requirement(rules, where_, change, None)
}
