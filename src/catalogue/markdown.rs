//! The catalogue as Markdown: the tables of `--list-rules` and of docs/rules.md (a test keeps
//! that page's tables equal to these, so the documentation cannot drift from the code).

use super::{Command, FAMILIES, FamilyRules, REQUEST_PREFIXES, RESPONSE_PREFIXES, Rule, all};

/// `--list-rules`: one table per family `oaskit <command>` reports (`check`: every family),
/// one row per id, schema suffixes expanded.
pub fn tables_for(command: Command) -> String {
    let mut out = String::new();
    for entry in FAMILIES {
        if !(command == Command::Check || command.reports(entry.family.command)) {
            continue;
        }
        out.push_str(&format!(
            "### {} (`{}`)\n\n",
            entry.family.title, entry.family.name
        ));
        let rules = all().iter().filter(|r| r.family.name == entry.family.name);
        out.push_str(&table(rules));
        out.push('\n');
    }
    out
}

fn table<'a>(rules: impl Iterator<Item = &'a Rule>) -> String {
    let mut out = String::from(
        "| rule | level | direction | category | what it reports |\n|---|---|---|---|---|\n",
    );
    for rule in rules {
        let level = if rule.enabled {
            rule.level.as_str().to_string()
        } else {
            format!("off ({})", rule.level.as_str())
        };
        out.push_str(&format!(
            "| `{}` | {level} | {} | {} | {} |\n",
            rule.id,
            rule.direction.as_str(),
            rule.category.as_str(),
            cell(rule.summary)
        ));
    }
    out
}

/// The table of a family's plain rules (not its schema suffixes).
pub fn rule_table(entry: &FamilyRules) -> String {
    table(entry.rules.iter().copied())
}

/// One table of every schema suffix of the diff, with its level on each side (`–`: the change
/// breaks no one on that side and is not a separate rule).
pub fn schema_table() -> String {
    let mut out = format!(
        "Ids are a prefix naming where the schema is, then the suffix: {} for data the client sends, {} for data it receives.\n\n",
        list(&REQUEST_PREFIXES),
        list(&RESPONSE_PREFIXES)
    );
    out.push_str(
        "| suffix | request | response | category | what it reports |\n|---|---|---|---|---|\n",
    );
    for entry in FAMILIES {
        for rule in entry.schema {
            let side = |l: Option<crate::report::Level>| l.map_or("–", |l| l.as_str());
            out.push_str(&format!(
                "| `{}` | {} | {} | {} | {} |\n",
                rule.suffix,
                side(rule.request),
                side(rule.response),
                rule.category.as_str(),
                cell(rule.summary)
            ));
        }
    }
    out
}

fn list(prefixes: &[&str]) -> String {
    let quoted: Vec<String> = prefixes.iter().map(|p| format!("`{p}-`")).collect();
    quoted.join(", ")
}

fn cell(text: &str) -> String {
    text.replace('|', "\\|")
}

/// The document (docs/rules.md) with every generated region rewritten from the catalogue. A region is
/// `<!-- rules:NAME -->` ... `<!-- /rules -->`, NAME a family name (its plain rules) or
/// `schema` (the schema suffix table). An unknown NAME or an unclosed region is an error.
pub fn render_regions(text: &str) -> Result<String, String> {
    const OPEN: &str = "<!-- rules:";
    const CLOSE: &str = "<!-- /rules -->";
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find(OPEN) {
        let after_open = &rest[start + OPEN.len()..];
        let name_end = after_open
            .find(" -->")
            .ok_or("a `<!-- rules:` marker is not closed with ` -->`")?;
        let name = &after_open[..name_end];
        let body_start = start + OPEN.len() + name_end + " -->".len();
        let close = rest[body_start..]
            .find(CLOSE)
            .ok_or_else(|| format!("region `{name}` has no `{CLOSE}`"))?;
        let generated = if name == "schema" {
            schema_table()
        } else {
            let entry = FAMILIES
                .iter()
                .find(|e| e.family.name == name)
                .ok_or_else(|| format!("no family `{name}` in the catalogue"))?;
            rule_table(entry)
        };
        out.push_str(&rest[..body_start]);
        out.push_str("\n\n");
        out.push_str(&generated);
        out.push('\n');
        out.push_str(CLOSE);
        rest = &rest[body_start + close + CLOSE.len()..];
    }
    out.push_str(rest);
    Ok(out)
}

/// The families no region of the document shows (each family should have one).
pub fn families_missing_from(text: &str) -> Vec<&'static str> {
    FAMILIES
        .iter()
        .filter(|e| !e.rules.is_empty())
        .map(|e| e.family.name)
        .filter(|name| !text.contains(&format!("<!-- rules:{name} -->")))
        .collect()
}
