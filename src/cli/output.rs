//! Printing reports and errors the same way for every command.

use std::io::{IsTerminal, Write};

use oaskit::LoadError;
use oaskit::report::{RenderContext, Report, SourceLines};

use super::{ColorChoice, ReportArgs};

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
        command,
    };
    print_stdout(&report.render(args.format, &ctx));
}

/// Writes to standard output. A closed pipe (`oaskit … | head`) is not an error, and not a
/// panic as `print!` would make it.
pub fn print_stdout(text: &str) {
    let mut stdout = std::io::stdout().lock();
    let _ = stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush());
}

/// Says why a spec could not be loaded, on standard error.
pub fn print_load_error(error: &LoadError) {
    let mut message = format!("error: {error}");
    if let Some(location) = error.location()
        && !location.pointer.is_empty()
    {
        message.push_str(&format!("\n  at #{}", location.pointer));
    }
    eprintln!("{message}");
}

/// Combines a collection of sources so one report can show lines from several specs.
pub struct ManySources<'a>(pub Vec<&'a dyn SourceLines>);

impl SourceLines for ManySources<'_> {
    fn source_line(&self, file: &str, line: u32) -> Option<String> {
        self.0.iter().find_map(|s| s.source_line(file, line))
    }
}
