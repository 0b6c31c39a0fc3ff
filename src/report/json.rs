//! The machine-readable report: one JSON object whose shape is a CLI contract (see DESIGN.md).

use super::{Finding, Location, Report};
use serde_json::{Map, Value, json};

pub(super) fn render(report: &Report) -> String {
    let findings: Vec<Value> = report.findings().iter().map(finding_value).collect();
    let summary = report.summary();
    let mut document = json!({
        "findings": findings,
        "summary": {
            "error": summary.error,
            "warning": summary.warning,
            "info": summary.info,
        },
    });
    if summary.waived > 0 {
        document["summary"]["waived"] = Value::from(summary.waived);
    }
    super::escape::json_strings(&mut document);
    // `{:#}` is serde_json's infallible pretty printer (same output as `to_string_pretty`).
    format!("{document:#}\n")
}

/// The same text as [`render`], written one finding at a time: a report of 77,798 findings
/// (Stripe's pair with `--per-operation`) never exists as one JSON tree or one string. Each
/// finding is printed alone and indented to its place in the document (JSON strings carry no
/// raw line breaks, so indenting every line is exact); the workflow-command guard is per line.
pub(super) fn write(report: &Report, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    use super::escape::{Syntax, workflow_safe};
    let findings = report.findings();
    if findings.is_empty() {
        out.write_all(b"{\n  \"findings\": [],\n")?;
    } else {
        out.write_all(b"{\n  \"findings\": [\n")?;
        for (i, finding) in findings.iter().enumerate() {
            let mut value = finding_value(finding);
            super::escape::json_strings(&mut value);
            let mut text = String::new();
            for (n, line) in format!("{value:#}").split('\n').enumerate() {
                if n > 0 {
                    text.push('\n');
                }
                text.push_str("    ");
                text.push_str(line);
            }
            if i + 1 < findings.len() {
                text.push_str(",\n");
            } else {
                text.push('\n');
            }
            out.write_all(workflow_safe(text, Syntax::Json).as_bytes())?;
        }
        out.write_all(b"  ],\n")?;
    }
    let summary = report.summary();
    let mut counts = json!({
        "error": summary.error,
        "warning": summary.warning,
        "info": summary.info,
    });
    if summary.waived > 0 {
        counts["waived"] = Value::from(summary.waived);
    }
    let counts = format!("{counts:#}").replace('\n', "\n  ");
    out.write_all(format!("  \"summary\": {counts}\n}}\n").as_bytes())
}

fn finding_value(finding: &Finding) -> Value {
    let mut object = Map::new();
    object.insert("rule".into(), Value::from(finding.rule.as_str()));
    object.insert("level".into(), Value::from(finding.level.as_str()));
    object.insert("message".into(), Value::from(finding.message.as_str()));
    object.insert(
        "operation".into(),
        finding
            .operation
            .as_deref()
            .map_or(Value::Null, Value::from),
    );
    object.insert("location".into(), location_value(finding.location.as_ref()));
    object.insert(
        "base_location".into(),
        location_value(finding.base_location.as_ref()),
    );
    if let Some(help) = &finding.help {
        object.insert("help".into(), Value::from(help.as_str()));
    }
    if let Some(id) = &finding.change {
        object.insert("change".into(), Value::from(id.as_str()));
    }
    if !finding.operations.is_empty() {
        object.insert("operations".into(), Value::from(finding.operations.clone()));
    }
    object.insert("fingerprint".into(), Value::from(finding.fingerprint()));
    Value::Object(object)
}

fn location_value(location: Option<&Location>) -> Value {
    let Some(location) = location else {
        return Value::Null;
    };
    json!({
        "file": location.file,
        "pointer": location.pointer,
        "line": location.line,
        "column": location.column,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::Level;

    fn fixture() -> Report {
        let at = Location {
            file: "petstore.yaml".into(),
            pointer: "/paths/~1pets/get".into(),
            line: Some(12),
            column: Some(7),
        };
        let base = Location {
            file: "old.yaml".into(),
            pointer: "/x".into(),
            line: None,
            column: None,
        };
        let mut changed = Finding::new(
            "response-property-type-changed",
            Level::Error,
            "price: integer → string",
        )
        .at(at.clone())
        .with_operation("GET /pets")
        .with_help("parseInt(price) breaks");
        changed.base_location = Some(base);
        Report::new(vec![
            changed,
            Finding::new("spec-note", Level::Info, "quote \" and \\ and\nnewline"),
        ])
    }

    #[test]
    fn shape_matches_the_contract() {
        let report = fixture();
        let text = render(&report);
        assert!(text.ends_with("}\n"));
        let parsed: Value = serde_json::from_str(&text).unwrap();
        let keys: Vec<&str> = parsed
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(keys, ["findings", "summary"]);
        assert_eq!(
            parsed["summary"],
            json!({"error": 1, "warning": 0, "info": 1})
        );

        let findings = parsed["findings"].as_array().unwrap();
        assert_eq!(findings.len(), 2);
        let unlocated = &findings[1];
        assert_eq!(unlocated["rule"], "spec-note");
        assert_eq!(unlocated["level"], "info");
        assert_eq!(unlocated["message"], "quote \" and \\ and\nnewline");
        assert_eq!(unlocated["operation"], Value::Null);
        assert_eq!(unlocated["location"], Value::Null);
        assert_eq!(unlocated["base_location"], Value::Null);
        assert!(unlocated.get("help").is_none());

        let located = &findings[0];
        let keys: Vec<&str> = located
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(
            keys,
            [
                "rule",
                "level",
                "message",
                "operation",
                "location",
                "base_location",
                "help",
                "fingerprint"
            ]
        );
        assert_eq!(located["operation"], "GET /pets");
        assert_eq!(
            located["location"],
            json!({"file": "petstore.yaml", "pointer": "/paths/~1pets/get", "line": 12, "column": 7})
        );
        assert_eq!(
            located["base_location"],
            json!({"file": "old.yaml", "pointer": "/x", "line": null, "column": null})
        );
        assert_eq!(located["help"], "parseInt(price) breaks");
        assert_eq!(located["fingerprint"], report.findings()[0].fingerprint());
    }

    /// The streamed report is the rendered one, byte for byte.
    #[test]
    fn written_one_finding_at_a_time_is_the_rendered_text() {
        let mut commands = fixture().findings().to_vec();
        commands.push(Finding::new(
            "spec-note",
            Level::Warning,
            "::error::forged\n##[group]x",
        ));
        for report in [
            fixture(),
            Report::default(),
            Report::new(commands).with_waived(3),
        ] {
            let mut written = Vec::new();
            write(&report, &mut written).unwrap();
            let expected = super::super::escape::workflow_safe(
                render(&report),
                super::super::escape::Syntax::Json,
            );
            assert_eq!(String::from_utf8(written).unwrap(), expected);
        }
    }

    #[test]
    fn pretty_printed_and_empty_report() {
        let text = render(&Report::default());
        assert_eq!(
            text,
            "{\n  \"findings\": [],\n  \"summary\": {\n    \"error\": 0,\n    \"warning\": 0,\n    \"info\": 0\n  }\n}\n"
        );
    }
}
