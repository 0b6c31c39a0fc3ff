//! SARIF 2.1.0, for GitHub code scanning and other static-analysis dashboards.

use super::{Finding, Level, Location, RenderContext, Report};
use serde_json::{Value, json};
use std::collections::BTreeSet;

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

pub(super) fn render(report: &Report, ctx: &RenderContext<'_>) -> String {
    let rule_ids: Vec<&str> = report
        .findings()
        .iter()
        .map(|f| f.rule.as_str())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let results: Vec<Value> = report
        .findings()
        .iter()
        .map(|f| result(f, &rule_ids))
        .collect();
    let rules: Vec<Value> = rule_ids.iter().map(|id| json!({ "id": id })).collect();

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
    super::escape::json_strings(&mut document);
    // `{:#}` is serde_json's infallible pretty printer (same output as `to_string_pretty`).
    format!("{document:#}\n")
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
    if let Some(operation) = &finding.operation {
        result["properties"] = json!({ "operation": operation });
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
    let mut text = match &finding.operation {
        Some(operation) => format!("{operation}: {}", finding.message),
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
        let note = &results[0];
        assert_eq!(note["level"], "note");
        assert!(note.get("locations").is_none());

        let warning = &results[2];
        assert_eq!(warning["level"], "warning");
        assert_eq!(
            warning["locations"],
            json!([{"physicalLocation": {"artifactLocation": {"uri": "specs/v2.yaml"}}}])
        );

        let error = &results[3];
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
