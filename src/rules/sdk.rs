//! Names generated code is built from: operationIds, component schema names, tags.
#![doc = include_str!("../catalogue/docs/sdk.md")]

use crate::catalogue::diff::sdk::*;
use crate::diff::{Change, ChangeKind};

use super::{Verdict, impact};

pub(super) fn judge(change: &Change, out: &mut Vec<Verdict>) {
    let label = change.operation.as_ref().map_or("", |o| o.label.as_str());
    match &change.kind {
        ChangeKind::OperationIdChanged {
            from: Some(from),
            to: Some(to),
        } => out.push(
            Verdict::new(
                &API_OPERATION_ID_UPDATED,
                format!("`{label}`: operationId changed from `{from}` to `{to}`"),
            )
            .help(impact::operation_names(change).map(|n| impact::operation_renamed(&n, from))),
        ),
        ChangeKind::OperationIdChanged {
            from: Some(from),
            to: None,
        } => {
            out.push(Verdict::new(
                &API_OPERATION_ID_REMOVED,
                format!("`{label}`: operationId `{from}` removed"),
            ));
        }
        ChangeKind::OperationIdChanged {
            from: None,
            to: Some(to),
        } => {
            out.push(Verdict::new(
                &API_OPERATION_ID_ADDED,
                format!("`{label}`: operationId `{to}` added"),
            ));
        }
        ChangeKind::TagAdded { tag } => out.push(Verdict::new(
            &API_TAG_ADDED,
            format!("`{label}`: tag `{tag}` added"),
        )),
        ChangeKind::TagRemoved { tag } => out.push(Verdict::new(
            &API_TAG_REMOVED,
            format!("`{label}`: tag `{tag}` removed"),
        )),
        ChangeKind::ComponentSchemaRenamed { from, to } => out.push(
            Verdict::new(
                &API_SCHEMA_RENAMED,
                format!("component schema `{from}` renamed to `{to}` (same shape)"),
            )
            .help(Some(impact::component_renamed(from, to))),
        ),
        ChangeKind::ComponentSchemaRemoved { name } => {
            out.push(Verdict::new(
                &API_SCHEMA_REMOVED,
                format!("component schema `{name}` removed"),
            ));
        }
        _ => {}
    }
}
