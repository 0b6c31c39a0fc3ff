//! SARIF 2.1.0, for GitHub code scanning and other static-analysis dashboards.

use super::{Finding, Level, Location, RenderContext, Report};
use serde_json::{Value, json};
use std::collections::BTreeSet;

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// GitHub code scanning rejects a run with more results than this.
pub(super) const MAX_RESULTS: usize = 25_000;

/// The results kept (errors first, so what is cut is the least serious) and the ids of their
/// rules, sorted (a result's `ruleIndex` is its rule's place in them).
fn kept(report: &Report) -> (&[Finding], Vec<&str>) {
    let kept = &report.findings()[..report.findings().len().min(MAX_RESULTS)];
    let rule_ids: Vec<&str> = kept
        .iter()
        .map(|f| f.rule.as_str())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    (kept, rule_ids)
}

pub(super) fn render(report: &Report, ctx: &RenderContext<'_>) -> String {
    let (kept, rule_ids) = kept(report);
    let results: Vec<Value> = kept.iter().map(|f| result(f, &rule_ids)).collect();
    let mut document = document(report, ctx, &rule_ids, kept.len(), results);
    super::escape::json_strings(&mut document);
    // `{:#}` is serde_json's infallible pretty printer (same output as `to_string_pretty`).
    format!("{document:#}\n")
}

/// Stands for the results in the document [`write`] prints around them.
const RESULTS_PLACEHOLDER: &str = "oaskit-sarif-results";

/// The rendered document written to `out` one result at a time: the same bytes as
/// `workflow_safe(render(..))`, without the results' tree or text existing at once (Stripe's
/// pair with `--per-operation` has 25,000 of them). The document is printed with one
/// placeholder result, whose line is replaced by the results, each printed alone and indented
/// to its place (JSON strings carry no raw line breaks, so indenting every line is exact).
pub(super) fn write(
    report: &Report,
    ctx: &RenderContext<'_>,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    use super::escape::{Syntax, workflow_safe};
    let (kept, rule_ids) = kept(report);
    if kept.is_empty() {
        return out.write_all(workflow_safe(render(report, ctx), Syntax::Json).as_bytes());
    }
    let placeholder = vec![Value::from(RESULTS_PLACEHOLDER)];
    let mut document = document(report, ctx, &rule_ids, kept.len(), placeholder);
    super::escape::json_strings(&mut document);
    let text = format!("{document:#}\n");
    let line = format!("\n        \"{RESULTS_PLACEHOLDER}\"\n");
    let Some(at) = text.find(&line) else {
        // Not reached: the placeholder is the only string at that depth.
        return out.write_all(workflow_safe(render(report, ctx), Syntax::Json).as_bytes());
    };
    out.write_all(workflow_safe(text[..=at].to_string(), Syntax::Json).as_bytes())?;
    for (i, finding) in kept.iter().enumerate() {
        let mut value = result(finding, &rule_ids);
        super::escape::json_strings(&mut value);
        let mut chunk = String::new();
        for line in format!("{value:#}").split('\n') {
            if !chunk.is_empty() {
                chunk.push('\n');
            }
            chunk.push_str("        ");
            chunk.push_str(line);
        }
        chunk.push_str(if i + 1 < kept.len() { ",\n" } else { "\n" });
        out.write_all(workflow_safe(chunk, Syntax::Json).as_bytes())?;
    }
    out.write_all(workflow_safe(text[at + line.len()..].to_string(), Syntax::Json).as_bytes())
}

/// The SARIF document around `results`, strings not yet escaped.
fn document(
    report: &Report,
    ctx: &RenderContext<'_>,
    rule_ids: &[&str],
    kept: usize,
    results: Vec<Value>,
) -> Value {
    let dropped = report.findings().len() - kept;
    let rules: Vec<Value> = rule_ids.iter().map(|id| rule(id, ctx)).collect();

    let mut driver = json!({
        "name": "oaskit",
        "version": env!("CARGO_PKG_VERSION"),
        "rules": rules,
    });
    if let Some(uri) = information_uri() {
        driver["informationUri"] = Value::from(uri);
    }
    let mut document = json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": driver },
            "automationDetails": { "description": { "text": format!("oaskit {}", ctx.command) } },
            // Our columns count characters, not the UTF-16 code units SARIF assumes by default.
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    });
    if dropped > 0 {
        let summary = report.summary();
        let run = &mut document["runs"][0];
        run["properties"] = json!({
            "droppedResults": dropped,
            "totalResults": report.findings().len(),
            "errors": summary.error,
            "warnings": summary.warning,
            "notes": summary.info,
        });
        run["invocations"] = json!([{
            "executionSuccessful": true,
            "toolExecutionNotifications": [{
                "level": "warning",
                "descriptor": { "id": "results-dropped" },
                "message": { "text": format!(
                    "{dropped} of {} results were left out (the least serious ones): code scanning takes at most {MAX_RESULTS} per run. Run with --format json for all of them.",
                    report.findings().len()
                ) },
            }],
        }]);
    }
    document
}

/// A rule's id and, when the catalogue knows it, what it reports (shown next to each result)
/// and its documentation (shown when a reader asks for help).
fn rule(id: &str, ctx: &RenderContext<'_>) -> Value {
    let mut rule = json!({ "id": id });
    if let Some(doc) = ctx.rules.rule_doc(id) {
        rule["shortDescription"] = json!({ "text": doc.summary });
        rule["fullDescription"] = json!({ "text": doc.summary });
        rule["defaultConfiguration"] = json!({ "level": sarif_level(doc.level) });
        if !doc.help.is_empty() {
            rule["help"] = json!({ "text": doc.help, "markdown": doc.help });
        }
    }
    rule
}

/// The project's page from Cargo.toml (`repository`, else `homepage`), if it declares one.
fn information_uri() -> Option<&'static str> {
    [env!("CARGO_PKG_REPOSITORY"), env!("CARGO_PKG_HOMEPAGE")]
        .into_iter()
        .find(|uri| !uri.is_empty())
}

fn result(finding: &Finding, rule_ids: &[&str]) -> Value {
    let mut result = json!({
        "ruleId": finding.rule,
        // Always found: `rule_ids` is built from these very findings.
        "ruleIndex": rule_ids.binary_search(&finding.rule.as_str()).ok(),
        "level": sarif_level(finding.level),
        "message": { "text": message_text(finding) },
        "partialFingerprints": { "oaskit/v1": finding.fingerprint() },
    });
    if let Some(location) = &finding.location {
        result["locations"] = json!([location_value(location)]);
    }
    if let Some(base) = &finding.base_location {
        let mut related = location_value(base);
        related["id"] = Value::from(0);
        related["message"] = json!({ "text": "base version" });
        result["relatedLocations"] = json!([related]);
    }
    let mut properties = serde_json::Map::new();
    if let Some(operation) = &finding.operation {
        properties.insert("operation".into(), Value::from(operation.as_str()));
    }
    if !finding.operations.is_empty() {
        properties.insert("operations".into(), Value::from(finding.operations.clone()));
    }
    if let Some(id) = &finding.change {
        properties.insert("change".into(), Value::from(id.as_str()));
    }
    if !properties.is_empty() {
        result["properties"] = Value::Object(properties);
    }
    result
}

fn sarif_level(level: Level) -> &'static str {
    match level {
        Level::Error => "error",
        Level::Warning => "warning",
        Level::Info => "note",
    }
}

/// Operation, message and help: dashboards show only this text.
fn message_text(finding: &Finding) -> String {
    let mut text = match finding.operations_label(super::OPERATIONS_SHOWN) {
        Some(operations) => format!("{operations}: {}", finding.message),
        None => finding.message.clone(),
    };
    if let Some(help) = &finding.help {
        text.push('\n');
        text.push_str(help);
    }
    text
}

fn location_value(location: &Location) -> Value {
    let mut physical = json!({ "artifactLocation": { "uri": artifact_uri(&location.file) } });
    if let Some(line) = location.line {
        let mut region = json!({ "startLine": line });
        if let Some(column) = location.column {
            region["startColumn"] = Value::from(column);
        }
        physical["region"] = region;
    }
    let mut value = json!({ "physicalLocation": physical });
    if !location.pointer.is_empty() {
        value["logicalLocations"] =
            json!([{ "fullyQualifiedName": location.pointer, "kind": "member" }]);
    }
    value
}

/// A file path as the URI reference SARIF wants, still relative when the path is: backslashes
/// become slashes, characters that would change the URI's meaning are percent-encoded, and a
/// Windows drive path becomes a `file:` URI. URLs (specs fetched over http) pass through.
fn artifact_uri(path: &str) -> String {
    if path.contains("://") {
        return path.to_string();
    }
    let path = path.replace('\\', "/");
    let bytes = path.as_bytes();
    if bytes.len() >= 3 && bytes[0].is_ascii_alphabetic() && bytes[1] == b':' && bytes[2] == b'/' {
        return format!("file:///{}:{}", &path[..1], percent_encode(&path[2..]));
    }
    percent_encode(&path)
}

fn percent_encode(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for byte in path.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~/!$&'()*+;=@".contains(&byte) {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::NoSources;

    fn ctx() -> RenderContext<'static> {
        RenderContext {
            color: false,
            sources: &NoSources,
            rules: &crate::report::NoRuleDocs,
            min_level: crate::report::Level::Info,
            command: "diff",
        }
    }

    fn fixture() -> Report {
        let at = Location {
            file: "specs/v2.yaml".into(),
            pointer: "/paths/~1pets/get/responses/200".into(),
            line: Some(40),
            column: Some(9),
        };
        let base = Location {
            file: "specs/v1.yaml".into(),
            pointer: "/paths/~1pets/get".into(),
            line: Some(38),
            column: None,
        };
        let mut changed = Finding::new(
            "response-property-type-changed",
            Level::Error,
            "price: integer → string",
        )
        .at(at)
        .with_operation("GET /pets")
        .with_help("parseInt(price) breaks");
        changed.base_location = Some(base);
        Report::new(vec![
            changed,
            Finding::new("api-title-changed", Level::Info, "title changed"),
            Finding::new("api-title-changed", Level::Info, "title changed again"),
            Finding::new("deprecated-op", Level::Warning, "deprecated").at(Location {
                file: "specs/v2.yaml".into(),
                pointer: String::new(),
                line: None,
                column: None,
            }),
        ])
    }

    #[test]
    fn written_one_result_at_a_time_is_the_rendered_text() {
        let mut many = fixture().findings().to_vec();
        many.push(Finding::new(
            "spec-note",
            Level::Warning,
            "::error::forged\n##[group]x",
        ));
        let over: Vec<Finding> = (0..MAX_RESULTS + 2)
            .map(|i| Finding::new("api-title-changed", Level::Info, format!("change {i}")))
            .collect();
        for report in [
            fixture(),
            Report::default(),
            Report::new(many),
            Report::new(over),
        ] {
            let mut written = Vec::new();
            write(&report, &ctx(), &mut written).unwrap();
            let expected = super::super::escape::workflow_safe(
                render(&report, &ctx()),
                super::super::escape::Syntax::Json,
            );
            assert_eq!(String::from_utf8(written).unwrap(), expected);
        }
    }

    #[test]
    fn document_fields() {
        let report = fixture();
        let text = render(&report, &ctx());
        assert!(text.ends_with("}\n"));
        assert!(
            text.contains("\n  \"version\": \"2.1.0\""),
            "pretty-printed"
        );
        let sarif: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(sarif["$schema"], SCHEMA);
        assert_eq!(sarif["version"], "2.1.0");
        let runs = sarif["runs"].as_array().unwrap();
        assert_eq!(runs.len(), 1);
        let run = &runs[0];
        assert_eq!(run["tool"]["driver"]["name"], "oaskit");
        assert_eq!(run["tool"]["driver"]["version"], env!("CARGO_PKG_VERSION"));
        assert_eq!(run["columnKind"], "unicodeCodePoints");
        assert_eq!(
            run["tool"]["driver"]["rules"],
            json!([{"id": "api-title-changed"}, {"id": "deprecated-op"}, {"id": "response-property-type-changed"}])
        );

        let results = run["results"].as_array().unwrap();
        assert_eq!(results.len(), 4);
        for (result, finding) in results.iter().zip(report.findings()) {
            assert_eq!(result["ruleId"], finding.rule);
            let index = result["ruleIndex"].as_u64().unwrap() as usize;
            assert_eq!(run["tool"]["driver"]["rules"][index]["id"], finding.rule);
            assert_eq!(
                result["partialFingerprints"]["oaskit/v1"],
                finding.fingerprint()
            );
        }
        let note = &results[2];
        assert_eq!(note["level"], "note");
        assert!(note.get("locations").is_none());

        let warning = &results[1];
        assert_eq!(warning["level"], "warning");
        assert_eq!(
            warning["locations"],
            json!([{"physicalLocation": {"artifactLocation": {"uri": "specs/v2.yaml"}}}])
        );

        let error = &results[0];
        assert_eq!(error["level"], "error");
        assert_eq!(
            error["message"]["text"],
            "GET /pets: price: integer → string\nparseInt(price) breaks"
        );
        let location = &error["locations"][0];
        assert_eq!(
            location["physicalLocation"]["artifactLocation"]["uri"],
            "specs/v2.yaml"
        );
        assert_eq!(
            location["physicalLocation"]["region"],
            json!({"startLine": 40, "startColumn": 9})
        );
        assert_eq!(
            location["logicalLocations"][0]["fullyQualifiedName"],
            "/paths/~1pets/get/responses/200"
        );
        let related = &error["relatedLocations"][0];
        assert_eq!(
            related["physicalLocation"]["artifactLocation"]["uri"],
            "specs/v1.yaml"
        );
        assert_eq!(
            related["physicalLocation"]["region"],
            json!({"startLine": 38})
        );
        assert_eq!(error["properties"]["operation"], "GET /pets");
    }

    #[test]
    fn results_beyond_what_code_scanning_takes_are_dropped_least_serious_first() {
        let at = |line| Location {
            file: "v2.yaml".into(),
            pointer: String::new(),
            line: Some(line),
            column: None,
        };
        let mut findings: Vec<Finding> = (0..MAX_RESULTS as u32)
            .map(|i| Finding::new("i", Level::Info, "fyi").at(at(i)))
            .collect();
        // Written after every info in the file, reported before them.
        findings
            .extend((0..7).map(|i| Finding::new("e", Level::Error, "bad").at(at(1_000_000 + i))));
        let sarif: Value = serde_json::from_str(&render(&Report::new(findings), &ctx())).unwrap();
        let run = &sarif["runs"][0];
        let results = run["results"].as_array().unwrap();
        assert_eq!(results.len(), MAX_RESULTS);
        assert!(results[..7].iter().all(|r| r["level"] == "error"));
        assert_eq!(run["properties"]["droppedResults"], 7);
        assert_eq!(run["properties"]["totalResults"], MAX_RESULTS + 7);
        let notification = &run["invocations"][0]["toolExecutionNotifications"][0];
        assert!(
            notification["message"]["text"]
                .as_str()
                .unwrap()
                .starts_with("7 of 25007 results were left out"),
            "{notification}"
        );
        // Under the limit, nothing is said.
        let whole: Value = serde_json::from_str(&render(&fixture(), &ctx())).unwrap();
        assert!(whole["runs"][0].get("properties").is_none());
        assert!(whole["runs"][0].get("invocations").is_none());
    }

    #[test]
    fn rules_carry_the_catalogue_description_and_help() {
        struct Docs;
        impl crate::report::RuleDocs for Docs {
            fn rule_doc(&self, rule: &str) -> Option<crate::report::RuleDoc> {
                (rule == "deprecated-op").then_some(crate::report::RuleDoc {
                    level: Level::Warning,
                    summary: "An operation is deprecated.",
                    help: "Clients should move off it.",
                })
            }
        }
        let ctx = RenderContext {
            rules: &Docs,
            ..ctx()
        };
        let sarif: Value = serde_json::from_str(&render(&fixture(), &ctx)).unwrap();
        let rules = &sarif["runs"][0]["tool"]["driver"]["rules"];
        assert_eq!(
            rules[1],
            json!({
                "id": "deprecated-op",
                "shortDescription": { "text": "An operation is deprecated." },
                "fullDescription": { "text": "An operation is deprecated." },
                "defaultConfiguration": { "level": "warning" },
                "help": { "text": "Clients should move off it.", "markdown": "Clients should move off it." },
            })
        );
        assert_eq!(rules[0], json!({ "id": "api-title-changed" }));
    }

    #[test]
    fn every_catalogue_rule_has_a_description_and_help() {
        for rule in crate::catalogue::all() {
            let doc = crate::report::RuleDocs::rule_doc(&crate::catalogue::CatalogueDocs, rule.id)
                .unwrap();
            assert!(!doc.summary.is_empty(), "{}", rule.id);
            assert!(!doc.help.is_empty(), "{}", rule.id);
        }
    }

    #[test]
    fn empty_report_has_one_run_with_no_results() {
        let sarif: Value = serde_json::from_str(&render(&Report::default(), &ctx())).unwrap();
        assert_eq!(sarif["runs"][0]["results"], json!([]));
        assert_eq!(sarif["runs"][0]["tool"]["driver"]["rules"], json!([]));
    }

    #[test]
    fn artifact_uris() {
        assert_eq!(
            artifact_uri("specs/pet store.yaml"),
            "specs/pet%20store.yaml"
        );
        assert_eq!(artifact_uri("specs\\api#1?.yaml"), "specs/api%231%3F.yaml");
        assert_eq!(artifact_uri("main:specs/api.yaml"), "main%3Aspecs/api.yaml");
        assert_eq!(
            artifact_uri("C:\\work\\api.yaml"),
            "file:///C:/work/api.yaml"
        );
        assert_eq!(artifact_uri("/abs/100%.yaml"), "/abs/100%25.yaml");
        assert_eq!(artifact_uri("specs/é.yaml"), "specs/%C3%A9.yaml");
        assert_eq!(
            artifact_uri("https://example.com/api.yaml"),
            "https://example.com/api.yaml"
        );
    }
}
