//! A file that says it is JSON, by its name (`.json`) or its first character (`{`), must be
//! JSON. The loader reads such a file as YAML when JSON refuses it (a YAML flow mapping also
//! starts with `{`), so a trailing comma or a comment would otherwise pass here and break every
//! JSON tool downstream.

use crate::load::{DocFormat, Documents};
use crate::report::{Finding, Level, Location};

use crate::catalogue::validate::structure;

pub fn check(documents: &Documents) -> Vec<Finding> {
    let mut out = Vec::new();
    for (_, file) in documents.files() {
        if file.format != DocFormat::Yaml {
            continue;
        }
        let text = file.text.trim_start_matches('\u{feff}');
        let first = text.trim_start().chars().next();
        let named_json = file.name.to_ascii_lowercase().ends_with(".json");
        if !named_json && first != Some('{') {
            continue;
        }
        let Err(error) = serde_json::from_str::<serde_json::Value>(text) else {
            continue;
        };
        let reason = error.to_string();
        let reason = reason
            .rsplit_once(" at line ")
            .map_or(reason.as_str(), |(r, _)| r);
        let why = if first == Some('{') {
            "it starts with `{`"
        } else {
            "its name ends in `.json`"
        };
        let message = format!(
            "{} is not valid JSON ({reason}), though {why}; it was read as YAML",
            file.name
        );
        let (line, column) = if reason.starts_with("trailing comma") {
            comma_before(text, error.line(), error.column())
        } else {
            (error.line(), error.column())
        };
        let (line, column) = (u32::try_from(line).ok(), u32::try_from(column).ok());
        out.push(
            Finding::new(structure::INVALID_JSON.id, Level::Error, message).at(Location {
                file: file.name.clone(),
                pointer: String::new(),
                line,
                column,
            }),
        );
    }
    out
}

/// serde_json reports a trailing comma at the bracket after it; the mistake is the comma.
/// Returns its 1-based line and column (in characters), or the given position when none is found.
fn comma_before(text: &str, line: usize, column: usize) -> (usize, usize) {
    let line_start: usize = text
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum();
    if line_start > text.len() {
        return (line, column);
    }
    let offset = text[line_start..]
        .char_indices()
        .nth(column.saturating_sub(1))
        .map_or(text.len(), |(i, _)| line_start + i);
    let Some(comma) = text[..offset].rfind(',') else {
        return (line, column);
    };
    if !text[comma + 1..offset].chars().all(char::is_whitespace) {
        return (line, column);
    }
    let before = &text[..comma];
    let comma_line = before.matches('\n').count() + 1;
    let comma_column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (comma_line, comma_column)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_trailing_comma_is_found_where_it_is_written() {
        let text = "{\n  \"a\": [\n    1,\n  ]\n}\n";
        let Err(e) = serde_json::from_str::<serde_json::Value>(text) else {
            panic!("not JSON");
        };
        assert_eq!(comma_before(text, e.line(), e.column()), (3, 6));
    }
}
