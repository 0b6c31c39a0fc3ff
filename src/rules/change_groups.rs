//! One finding per change. A schema shared by many operations (Stripe's `customer` is reached
//! from 374 of them) changes once, but the diff meets it once per operation that reaches it; a
//! reviewer, a waiver and a pull request surface want the change once, with the operations it
//! reaches. A change is its rule and its places in both versions (the JSON pointers of the
//! findings' locations), and its id is a short hash of them: the same change keeps its id from
//! run to run, whatever the line numbers, file names or operations.

use std::collections::{HashMap, HashSet};

use crate::report::{Finding, Level};

/// The id of the change a per-operation finding of `rule` reports: 8 hex digits of an FNV-1a
/// hash (stable across Rust versions) of the rule and the pointers of both locations. With
/// no location at all, the message stands for the place.
pub(crate) fn change_id(finding: &Finding) -> String {
    let revision = finding.location.as_ref().map(|l| l.pointer.as_str());
    let base = finding.base_location.as_ref().map(|l| l.pointer.as_str());
    let place = match (revision, base) {
        (None, None) => finding.message.as_str(),
        _ => "",
    };
    let mut hash: u32 = 0x811c_9dc5;
    for part in [
        finding.rule.as_str(),
        revision.unwrap_or(""),
        base.unwrap_or(""),
        place,
    ] {
        for byte in part.bytes().chain(std::iter::once(0u8)) {
            hash ^= u32::from(byte);
            hash = hash.wrapping_mul(0x0100_0193);
        }
    }
    format!("{hash:08x}")
}

/// Folds per-operation findings into one per change and level (a change in a draft operation
/// is capped to info, so it can be at two levels), in the order each change is first met. The
/// finding kept is the one with the shortest message (the most direct way to the change, say
/// `/price` rather than `/items/[]/product/price`), with its operation; it lists every
/// operation reached once each (a change reached twice in one operation, say through its 200
/// and its 201, is one change), that operation first and the others in the diff's order. Findings without a change id pass as
/// they are.
pub fn group_by_change(findings: Vec<Finding>) -> Vec<Finding> {
    let mut groups = ChangeGroups::default();
    for finding in findings {
        groups.push(finding);
    }
    groups.finish()
}

/// [`group_by_change`] a finding at a time: the pipeline folds each operation's findings as
/// they come, so memory holds the changes, not every per-operation finding.
#[derive(Default)]
pub struct ChangeGroups {
    grouped: Vec<Finding>,
    index: HashMap<(String, Level), usize>,
    /// (group, operation) pairs already listed: a change of a schema every operation reaches
    /// is met tens of thousands of times, so this is a set, not a search of the list.
    listed: HashSet<(usize, String)>,
}

impl ChangeGroups {
    pub fn push(&mut self, finding: Finding) {
        let ChangeGroups {
            grouped,
            index,
            listed,
        } = self;
        let Some(id) = &finding.change else {
            grouped.push(finding);
            return;
        };
        match index.get(&(id.clone(), finding.level)) {
            None => {
                index.insert((id.clone(), finding.level), grouped.len());
                let mut first = finding;
                first.operations = first.operation.iter().cloned().collect();
                if let Some(operation) = &first.operation {
                    listed.insert((grouped.len(), operation.clone()));
                }
                grouped.push(first);
            }
            Some(&at) => {
                let kept = &mut grouped[at];
                if let Some(operation) = &finding.operation
                    && listed.insert((at, operation.clone()))
                {
                    kept.operations.push(operation.clone());
                }
                if finding.message.len() < kept.message.len() {
                    let operations = std::mem::take(&mut kept.operations);
                    *kept = finding;
                    kept.operations = operations;
                }
            }
        }
    }

    pub fn finish(self) -> Vec<Finding> {
        finish_groups(self.grouped)
    }
}

fn finish_groups(mut grouped: Vec<Finding>) -> Vec<Finding> {
    for finding in &mut grouped {
        // A change met in one operation reads as it always did.
        if finding.operations.len() <= 1 {
            finding.operations.clear();
        } else if let Some(operation) = &finding.operation
            && let Some(at) = finding.operations.iter().position(|o| o == operation)
        {
            // The message describes the change as seen from its own operation: name it first.
            let operation = finding.operations.remove(at);
            finding.operations.insert(0, operation);
        }
    }
    grouped
}

/// How many changes the waived per-operation findings make.
#[cfg(test)]
pub(crate) fn count_changes(findings: &[Finding]) -> usize {
    let mut count = ChangeCount::default();
    for finding in findings {
        count.add(finding);
    }
    count.len()
}

/// How many changes the per-operation findings offered so far make (the waived ones, for the
/// summary), counted as they come.
#[derive(Default)]
pub(crate) struct ChangeCount {
    /// (change id, level, message when there is no id).
    seen: HashSet<(Option<String>, Level, Option<String>)>,
}

impl ChangeCount {
    pub(crate) fn add(&mut self, finding: &Finding) {
        let message = finding.change.is_none().then(|| finding.message.clone());
        self.seen
            .insert((finding.change.clone(), finding.level, message));
    }

    pub(crate) fn len(&self) -> usize {
        self.seen.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::Location;

    fn at(pointer: &str) -> Location {
        Location {
            file: "v2.yaml".into(),
            pointer: pointer.into(),
            line: Some(3),
            column: Some(5),
        }
    }

    fn finding(rule: &str, pointer: &str, operation: &str, message: &str) -> Finding {
        let mut finding = Finding::new(rule, Level::Error, message)
            .at(at(pointer))
            .with_operation(operation);
        finding.change = Some(change_id(&finding));
        finding
    }

    #[test]
    fn ids_depend_on_rule_and_places_not_on_lines_files_or_operations() {
        let a = finding(
            "r",
            "/components/schemas/Pet/properties/price",
            "GET /a",
            "m",
        );
        let mut b = finding(
            "r",
            "/components/schemas/Pet/properties/price",
            "GET /b",
            "n",
        );
        b.location.as_mut().unwrap().line = Some(99);
        b.location.as_mut().unwrap().file = "elsewhere.yaml".into();
        assert_eq!(change_id(&a), change_id(&b));
        assert_eq!(change_id(&a).len(), 8);
        let other_rule = finding(
            "s",
            "/components/schemas/Pet/properties/price",
            "GET /a",
            "m",
        );
        assert_ne!(change_id(&a), change_id(&other_rule));
        let other_place = finding(
            "r",
            "/components/schemas/Pet/properties/name",
            "GET /a",
            "m",
        );
        assert_ne!(change_id(&a), change_id(&other_place));
        // Pinned: a waiver written from today's output keeps matching.
        assert_eq!(change_id(&a), "9ac8e79b");
    }

    #[test]
    fn one_finding_per_change_listing_the_operations() {
        let price = "/components/schemas/Pet/properties/price";
        let findings = vec![
            finding("r", price, "GET /pets", "property `/[]/price` changed"),
            finding("r", "/other", "GET /pets", "other"),
            finding("r", price, "GET /pets/{id}", "property `/price` changed"),
            finding("r", price, "POST /pets", "property `/price` changed too"),
        ];
        let grouped = group_by_change(findings);
        assert_eq!(grouped.len(), 2);
        let price = &grouped[0];
        assert_eq!(price.message, "property `/price` changed");
        assert_eq!(
            price.operations,
            ["GET /pets/{id}", "GET /pets", "POST /pets"]
        );
        assert_eq!(price.operation.as_deref(), Some("GET /pets/{id}"));
        assert_eq!(
            price.operations_label(2).as_deref(),
            Some("GET /pets/{id}, GET /pets and 1 more operation")
        );
        // A grouped finding's fingerprint is its change's, which each member also answers to.
        assert_eq!(Some(price.fingerprint()), price.change_fingerprint());
        assert!(grouped[1].operations.is_empty());
        assert_eq!(grouped[1].operation.as_deref(), Some("GET /pets"));
    }

    #[test]
    fn levels_stay_apart_and_waived_findings_count_as_changes() {
        let mut draft = finding("r", "/x", "GET /draft", "m");
        draft.level = Level::Info;
        let findings = vec![
            finding("r", "/x", "GET /a", "m"),
            draft,
            finding("r", "/x", "GET /b", "m"),
        ];
        assert_eq!(count_changes(&findings), 2);
        let grouped = group_by_change(findings);
        assert_eq!(grouped.len(), 2);
        assert_eq!(grouped[0].operations, ["GET /a", "GET /b"]);
        assert_eq!(grouped[1].level, Level::Info);
    }
}
