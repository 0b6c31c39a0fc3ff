//! What the generated package's README shows besides its fixed text: the API's title and
//! description, and one example call per tag, written from the operations' required parameters
//! so that each example compiles against the generated client (tests/ts_package.rs checks it).

use serde::Serialize;

use super::client::ClientView;
use super::naming::{is_object_prototype_member, property_key, string_literal};
use crate::model::wire::WireContract;
use crate::model::{Contract, InstanceType, Method};

/// At most this many tags get an example (GitHub's spec has 40-odd).
const MAX_EXAMPLES: usize = 60;

#[derive(Debug, Clone, Serialize)]
pub struct ExampleView {
    /// The tag, as one line of Markdown text.
    pub tag: String,
    /// `client.listPets({ limit: 1 })`.
    pub call: String,
    /// The same call of the operation's function: `listPets(options, { limit: 1 })`.
    pub function_call: String,
    /// The function's name and its module's file stem (`listPets`, `pets`).
    pub function: String,
    pub module_file: String,
    /// `GET /pets`: what the call sends.
    pub label: String,
}

/// For each tag (in the order tags first appear), the first operation whose required inputs
/// are all scalar parameters (GET first), called with a placeholder value of each one's type.
pub fn examples(contract: &Contract, wire: &WireContract, client: &ClientView) -> Vec<ExampleView> {
    let mut tags: Vec<&str> = Vec::new();
    for op in &wire.operations {
        for tag in &op.operation.tags {
            if !tags.contains(&tag.as_str()) {
                tags.push(tag);
            }
        }
    }
    if tags.is_empty() {
        tags.push("");
    }
    let mut out = Vec::new();
    for tag in tags {
        let in_tag = wire
            .operations
            .iter()
            .zip(&client.operations)
            .filter(|(op, _)| tag.is_empty() || op.operation.tags.iter().any(|t| t == tag));
        // GET operations read best as a first call; any other kind will do.
        let mut candidates: Vec<_> = in_tag.collect();
        candidates.sort_by_key(|(op, _)| op.operation.method != Method::Get);
        let Some((op, view, args)) = candidates
            .into_iter()
            .find_map(|(op, view)| example_arguments(contract, op).map(|args| (op, view, args)))
        else {
            continue;
        };
        let call = format!("client.{}({args})", view.method);
        let function_call = if args.is_empty() {
            format!("{}(options)", view.function)
        } else {
            format!("{}(options, {args})", view.function)
        };
        out.push(ExampleView {
            tag: if tag.is_empty() {
                "Operations".to_string()
            } else {
                markdown_line(tag)
            },
            call,
            function_call,
            function: view.function.clone(),
            module_file: client
                .modules
                .get(view.module)
                .map(|m| m.file.clone())
                .unwrap_or_default(),
            label: markdown_line(&op.operation.label()),
        });
        if out.len() == MAX_EXAMPLES {
            break;
        }
    }
    out
}

/// `{ petId: 1 }`, `` (nothing required), or `None` when a required input is not a scalar.
fn example_arguments(
    contract: &Contract,
    op: &crate::model::wire::WireOperation<'_>,
) -> Option<String> {
    if op.body.as_ref().is_some_and(|b| b.required) {
        return None;
    }
    // The client renames a parameter whose name is taken (by `body`, another location's
    // parameter or an Object.prototype member); such operations are left to the reference docs.
    let mut seen = std::collections::HashSet::new();
    let renamed = op.parameters.iter().any(|p| {
        is_object_prototype_member(p.name)
            || (op.body.is_some() && p.name == "body")
            || !seen.insert(p.name)
    });
    if renamed {
        return None;
    }
    let mut members = Vec::new();
    for parameter in op.parameters.iter().filter(|p| p.required) {
        let schema = contract.types.get(parameter.schema?);
        let value = match (schema.enum_values.as_deref(), schema.types.as_deref()) {
            (Some([first, ..]), _)
                if first.is_string() || first.is_number() || first.is_boolean() =>
            {
                first.to_string()
            }
            (None, Some([InstanceType::String])) if schema.format.as_deref() != Some("binary") => {
                string_literal(parameter.name)
            }
            (None, Some([InstanceType::Integer | InstanceType::Number])) => {
                let minimum = schema
                    .minimum
                    .as_ref()
                    .and_then(|m| m.as_f64())
                    .unwrap_or(1.0);
                let value = minimum.max(1.0).ceil();
                // A placeholder within the declared bounds where they are small.
                if value < 1e6 {
                    format!("{value}")
                } else {
                    "1".to_string()
                }
            }
            (None, Some([InstanceType::Boolean])) => "true".to_string(),
            _ => return None,
        };
        members.push(format!("{}: {value}", property_key(parameter.name)));
    }
    Some(if members.is_empty() {
        String::new()
    } else {
        format!("{{ {} }}", members.join(", "))
    })
}

/// Spec text on one line of Markdown: line breaks folded, nothing that starts a block.
pub fn markdown_line(text: &str) -> String {
    let line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    line.trim_start_matches(['#', '>', '-', '*', '+', '=', '|', '`'])
        .trim()
        .to_string()
}

/// The spec's description as a Markdown block: as written, with its code fences closed so the
/// README's own sections after it stay outside any code block.
pub fn markdown_block(text: &str) -> String {
    let mut out = text.trim().to_string();
    let fences = out
        .lines()
        .filter(|l| l.trim_start().starts_with("```"))
        .count();
    if fences % 2 == 1 {
        out.push_str("\n```");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spec_text_cannot_open_blocks() {
        assert_eq!(markdown_line("# Pets\n\n> quoted"), "Pets > quoted");
        assert_eq!(
            markdown_block("text\n```js\ncode"),
            "text\n```js\ncode\n```"
        );
        assert_eq!(markdown_block("a\n```\nb\n```"), "a\n```\nb\n```");
    }
}
