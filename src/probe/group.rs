//! From observations to findings: one finding per (operation, rule, schema location, kind of
//! violation), naming every request that showed it, with the first one's response (status line,
//! the headers that matter, a body excerpt) and its curl line. Ten bad values of one parameter
//! are one root cause, reported once.

use indexmap::IndexMap;

use super::judge::Observation;
use crate::model::Contract;
use crate::report::Finding;

/// Requests named in one finding's message before the rest are counted.
const LABELS_SHOWN: usize = 6;

pub(crate) fn findings(contract: &Contract, observations: Vec<Observation>) -> Vec<Finding> {
    let mut groups: IndexMap<(usize, &str, String, String), Vec<Observation>> = IndexMap::new();
    for o in observations {
        groups
            .entry((o.operation, o.rule.id, o.loc.pointer.clone(), o.key.clone()))
            .or_default()
            .push(o);
    }
    groups
        .into_values()
        .filter_map(|group| {
            let first = group.first()?;
            let op = &contract.operations[first.operation];
            let mut labels: Vec<&str> = Vec::new();
            for o in &group {
                if !labels.contains(&o.label.as_str()) {
                    labels.push(&o.label);
                }
            }
            let mut message = first.message.clone();
            // The requests built from the examples carry no label; one is named only beside
            // variants.
            if labels.iter().any(|l| !l.is_empty()) {
                let shown: Vec<&str> = labels
                    .iter()
                    .take(LABELS_SHOWN)
                    .map(|l| {
                        if l.is_empty() {
                            "the example values"
                        } else {
                            l
                        }
                    })
                    .collect();
                message.push_str(&format!(" — with {}", shown.join("; ")));
                if labels.len() > LABELS_SHOWN {
                    message.push_str(&format!(" and {} more", labels.len() - LABELS_SHOWN));
                }
            }
            if group.len() > 1 {
                message.push_str(&format!(" ({} requests)", group.len()));
            }
            let help = format!("{}\nreproduce: {}", first.evidence, first.curl);
            Some(
                first
                    .rule
                    .finding(message)
                    .with_operation(op.label())
                    .at(contract.location(&first.loc))
                    .with_help(help),
            )
        })
        .collect()
}
