//! GitHub Actions workflow commands, so findings show up as annotations on the pull request diff.

use super::escape::{workflow_data as escape_data, workflow_property as escape_property};
use super::{Finding, Level, Report};

/// GitHub shows at most 10 annotations of each level (error, warning, notice) per step and 50
/// per job, and drops the rest without a word; beyond that a command is noise in the log.
pub(super) const PER_LEVEL: usize = 10;

/// The findings the step can show, errors first (the report's order), at most [`PER_LEVEL`] of
/// each level; when some are left out, a last notice says how many and where to see them all
/// (one notice is kept free for it).
pub(super) fn render(report: &Report) -> String {
    let mut shown = [0usize; 3];
    let mut left_out = 0usize;
    let mut out = String::new();
    for finding in report.findings() {
        let (slot, room) = match finding.level {
            Level::Error => (0, PER_LEVEL),
            Level::Warning => (1, PER_LEVEL),
            Level::Info => (2, PER_LEVEL - 1),
        };
        if shown[slot] < room {
            shown[slot] += 1;
            out.push_str(&command(finding));
        } else {
            left_out += 1;
        }
    }
    if left_out > 0 {
        let total = report.findings().len();
        out.push_str(&format!(
            "::notice title=oaskit::{left_out} of {total} findings are not annotated \
             (GitHub shows {PER_LEVEL} annotations per level in a step). \
             See the job summary, or run with --format json for all of them.\n"
        ));
    }
    out
}

/// One `::error file=F,line=L,col=C,title=RULE::MESSAGE` line.
fn command(finding: &Finding) -> String {
    let name = match finding.level {
        Level::Error => "error",
        Level::Warning => "warning",
        Level::Info => "notice",
    };
    let mut properties = Vec::new();
    if let Some(location) = &finding.location {
        properties.push(format!("file={}", escape_property(&location.file)));
        if let Some(line) = location.line {
            properties.push(format!("line={line}"));
            if let Some(column) = location.column {
                properties.push(format!("col={column}"));
            }
        }
    }
    properties.push(format!("title={}", escape_property(&finding.rule)));
    format!(
        "::{name} {}::{}\n",
        properties.join(","),
        escape_data(&message(finding))
    )
}

/// The annotation body: operation, message, help and (when there is no line to anchor to) the
/// pointer, one per line.
fn message(finding: &Finding) -> String {
    let mut text = match finding.operations_label(super::OPERATIONS_SHOWN) {
        Some(operations) => format!("{operations}: {}", finding.message),
        None => finding.message.clone(),
    };
    if let Some(help) = &finding.help {
        text.push_str("\nhelp: ");
        text.push_str(help);
    }
    if let Some(location) = finding.location.as_ref().filter(|l| !l.pointer.is_empty()) {
        text.push_str("\nat #");
        text.push_str(location.pointer.trim_start_matches('#'));
    }
    if let Some(id) = &finding.change {
        text.push_str("\nchange ");
        text.push_str(id);
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::Location;

    fn loc(file: &str, line: Option<u32>, column: Option<u32>) -> Location {
        Location {
            file: file.into(),
            pointer: "/paths/~1pets/get".into(),
            line,
            column,
        }
    }

    #[test]
    fn one_command_per_finding_with_levels_mapped() {
        let report = Report::new(vec![
            Finding::new("a-rule", Level::Error, "bad").at(loc("spec.yaml", Some(12), Some(7))),
            Finding::new("b-rule", Level::Warning, "meh").at(loc("spec.yaml", Some(3), None)),
            Finding::new("c-rule", Level::Info, "fyi").at(loc("spec.yaml", None, Some(4))),
            Finding::new("d-rule", Level::Error, "nowhere"),
        ]);
        let got = render(&report);
        let want = "\
::error title=d-rule::nowhere
::error file=spec.yaml,line=12,col=7,title=a-rule::bad%0Aat #/paths/~1pets/get
::warning file=spec.yaml,line=3,title=b-rule::meh%0Aat #/paths/~1pets/get
::notice file=spec.yaml,title=c-rule::fyi%0Aat #/paths/~1pets/get
";
        assert_eq!(got, want);
    }

    #[test]
    fn operation_and_help_go_into_the_message() {
        let finding = Finding::new("r", Level::Error, "price changed")
            .with_operation("GET /pets/{id}")
            .with_help("regenerate the client");
        assert_eq!(
            command(&finding),
            "::error title=r::GET /pets/{id}: price changed%0Ahelp: regenerate the client\n"
        );
    }

    #[test]
    fn escapes_data_and_properties() {
        let finding =
            Finding::new("weird:rule,x", Level::Warning, "50%\n::error::injected").at(Location {
                file: "a,b:c.yaml".into(),
                pointer: String::new(),
                line: Some(1),
                column: Some(1),
            });
        let line = command(&finding);
        assert_eq!(
            line,
            "::warning file=a%2Cb%3Ac.yaml,line=1,col=1,title=weird%3Arule%2Cx::50%25%0A::error::injected\n"
        );
        assert_eq!(line.lines().count(), 1);
    }

    #[test]
    fn thousands_of_findings_fit_what_a_step_shows_errors_first() {
        let at = |line| loc("spec.yaml", Some(line), Some(1));
        let mut findings = Vec::new();
        for i in 0..3_000 {
            // Infos and warnings written before the errors in the file.
            findings.push(Finding::new("i", Level::Info, format!("info {i}")).at(at(i)));
            findings.push(Finding::new("w", Level::Warning, format!("w {i}")).at(at(i)));
            findings.push(Finding::new("e", Level::Error, format!("e {i}")).at(at(10_000 + i)));
        }
        let got = render(&Report::new(findings));
        let lines: Vec<&str> = got.lines().collect();
        assert_eq!(lines.len(), 3 * PER_LEVEL, "{got}");
        assert!(lines[..PER_LEVEL].iter().all(|l| l.starts_with("::error ")));
        assert!(
            lines[PER_LEVEL..2 * PER_LEVEL]
                .iter()
                .all(|l| l.starts_with("::warning "))
        );
        assert!(
            lines[2 * PER_LEVEL..]
                .iter()
                .all(|l| l.starts_with("::notice "))
        );
        assert_eq!(
            lines[lines.len() - 1],
            "::notice title=oaskit::8971 of 9000 findings are not annotated (GitHub shows 10 \
             annotations per level in a step). See the job summary, or run with --format json \
             for all of them."
        );
        // A report that fits is annotated whole, with no closing notice.
        let few: Vec<Finding> = (0..PER_LEVEL)
            .map(|i| Finding::new("e", Level::Error, format!("e {i}")))
            .collect();
        assert_eq!(render(&Report::new(few)).lines().count(), PER_LEVEL);
    }

    #[test]
    fn empty_report_is_empty() {
        assert_eq!(render(&Report::default()), "");
    }
}
