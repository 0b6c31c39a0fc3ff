//! Printing reports and errors the same way for every command.

use std::io::{IsTerminal, Write};
use std::path::Path;

use oaskit::LoadError;
use oaskit::report::{
    Finding, Format, LOAD_ERROR, Level, Location, RenderContext, Report, SourceLines, escape,
};

use super::{ColorChoice, EXIT_ERROR, ReportArgs, workspace};

/// Renders a report to standard output. A closed pipe (`oaskit … | head`) is not an error.
pub fn print_report(report: &Report, args: &ReportArgs, sources: &dyn SourceLines, command: &str) {
    let color = match args.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none()
        }
    };
    let ctx = RenderContext {
        color,
        sources,
        rules: &oaskit::catalogue::CatalogueDocs,
        min_level: args.min_level.unwrap_or(Level::Info),
        command,
    };
    // GitHub places annotations and code-scanning results by paths relative to the
    // repository; the other formats keep the paths as given (text shows source lines by them).
    if matches!(args.format, Format::Github | Format::Sarif)
        && let Ok(cwd) = std::env::current_dir()
        && let Some(root) = workspace::repository_root(&cwd)
    {
        let paths = workspace::RepositoryPaths::new(&cwd, &root);
        let placed = report.with_files_renamed(|file| paths.relative(file));
        write_stdout(&placed, args.format, &ctx);
        if args.format == Format::Github {
            append_job_summary(&placed, &ctx);
        }
        return;
    }
    write_stdout(report, args.format, &ctx);
    if args.format == Format::Github {
        append_job_summary(report, &ctx);
    }
}

/// In GitHub Actions (`$GITHUB_STEP_SUMMARY` names a file), the `github` format also appends
/// the Markdown report to the job summary: a step shows only a few annotations, the summary
/// shows the counts per rule and as many findings as fit. Failing to write it is a warning.
fn append_job_summary(report: &Report, ctx: &RenderContext<'_>) {
    let Some(path) = std::env::var_os("GITHUB_STEP_SUMMARY").filter(|p| !p.is_empty()) else {
        return;
    };
    let markdown = report.render(Format::Markdown, ctx);
    let written = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&path)
        .and_then(|mut file| file.write_all(format!("{markdown}\n").as_bytes()));
    if let Err(error) = written {
        print_stderr(&format!(
            "warning: could not append the job summary to {}: {error}",
            Path::new(&path).display()
        ));
    }
}

/// Writes to standard output. A closed pipe (`oaskit … | head`) is not an error, and not a
/// panic as `print!` would make it.
/// Writes a report to standard output as it is rendered (see [`Report::write`]); a closed pipe
/// ends the writing quietly, as with [`print_stdout`].
fn write_stdout(report: &Report, format: Format, ctx: &RenderContext<'_>) {
    let mut stdout = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
    let _ = report
        .write(format, ctx, &mut stdout)
        .and_then(|()| stdout.flush());
}

pub fn print_stdout(text: &str) {
    let mut stdout = std::io::stdout().lock();
    let _ = stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush());
}

/// Writes a message to standard error, escaped like a report: CI runners read standard error
/// for workflow commands too, and messages quote spec and configuration text.
pub fn print_stderr(text: &str) {
    let text = escape::workflow_safe(escape::controls(text).into_owned(), escape::Syntax::Plain);
    let mut stderr = std::io::stderr().lock();
    let _ = writeln!(stderr, "{text}");
}

/// Says why a spec could not be loaded, on standard error.
pub fn print_load_error(error: &LoadError) {
    let mut message = format!("error: {error}");
    if let Some(location) = error.location()
        && !location.pointer.is_empty()
    {
        message.push_str(&format!("\n  at #{}", location.pointer));
    }
    print_stderr(&message);
}

/// A spec that could not be loaded, as a finding of the report.
pub fn load_error_finding(error: &LoadError) -> Finding {
    let finding = Finding::new(LOAD_ERROR, Level::Error, error.to_string());
    match error.location() {
        Some(location) => finding.at(location.clone()),
        None => finding,
    }
}

/// A configuration or ignore file that could not be read or understood, as a finding.
pub fn config_error_finding(file: &Path, message: &str) -> Finding {
    Finding::new(LOAD_ERROR, Level::Error, message).at(Location {
        file: file.display().to_string(),
        pointer: String::new(),
        line: None,
        column: None,
    })
}

/// Ends a run that could not do its job (the caller has said why on standard error): the
/// failures become `load-error` findings of the report, next to whatever was found before them,
/// in the requested format. Exit 2.
pub fn fail_with_report(
    mut report: Report,
    failures: Vec<Finding>,
    args: &ReportArgs,
    sources: &dyn SourceLines,
    command: &str,
) -> i32 {
    report.extend(failures);
    print_report(&report, args, sources, command);
    EXIT_ERROR
}

/// Combines a collection of sources so one report can show lines from several specs.
pub struct ManySources<'a>(pub Vec<&'a dyn SourceLines>);

impl SourceLines for ManySources<'_> {
    fn source_line(&self, file: &str, line: u32) -> Option<String> {
        self.0.iter().find_map(|s| s.source_line(file, line))
    }
}
