//! Command-line definitions and exit codes. Exit codes: 0 nothing at or above `--fail-on`,
//! 1 findings at or above it, 2 the tool could not do its job. Logic lives in the library.

mod check;
mod config_schema;
mod diff;
mod generate;
mod manuals;
mod output;
mod probe;
mod validate;
mod workspace;

use std::path::PathBuf;

use clap::{Args, CommandFactory, FromArgMatches, Parser, Subcommand};
use oaskit::catalogue::{Command as RuleCommand, RuleLevels};
use oaskit::report::{FailOn, Format};

/// Exit code: no findings at or above the fail-on level.
pub const EXIT_OK: i32 = 0;
/// Exit code: the tool could not do its job (unreadable input, invalid spec, bad flags).
pub const EXIT_ERROR: i32 = 2;

/// `0.1.0 (a1b2c3d4e5f6)`: the version and the commit it was built from (see build.rs).
const VERSION: &str = concat!(env!("CARGO_PKG_VERSION"), " (", env!("OASKIT_COMMIT"), ")");

#[derive(Parser)]
#[command(
    name = "oaskit",
    version = VERSION,
    about = "Contract-first toolchain for OpenAPI 3: validate, diff, generate, gate"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check specs: structure, references, path templates, patterns, and every example and
    /// default against its schema (request- and response-aware).
    Validate(validate::ValidateArgs),
    /// Generate code from a spec: `ts-client` or `rust-server`.
    Generate(generate::GenerateArgs),
    /// Compare two versions of a spec and fail on changes that break clients.
    Diff(diff::DiffArgs),
    /// Check a running server against the spec: statuses, content types, headers, bodies.
    Probe(probe::ProbeArgs),
    /// The contract gate: validate, diff against the base, generated code up to date (oaskit.toml).
    Check(check::CheckArgs),
    /// Print the shell completion script for bash, zsh, fish, elvish or powershell.
    Completions(manuals::CompletionsArgs),
    /// Print oaskit's man page, or write one page per command into a directory.
    Man(manuals::ManArgs),
    /// Print the JSON Schema of oaskit.toml (for editors: completion and checking).
    ConfigSchema,
}

/// Options shared by every command that reports findings.
#[derive(Args, Debug, Clone)]
pub struct ReportArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Exit 1 when a finding is at or above this level.
    #[arg(long, value_enum, default_value_t = FailOn::Error)]
    pub fail_on: FailOn,
    /// `--fail-on` was written, not defaulted (it then beats a config's `fail-on`).
    #[arg(skip)]
    pub fail_on_given: bool,
    /// Text format: show only findings at or above this level (`--min-level warning` hides
    /// infos); the summary line still counts every finding.
    #[arg(long, value_enum, value_name = "LEVEL")]
    pub min_level: Option<oaskit::report::Level>,
    /// Colour the text output: auto (on a terminal), always, never.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// Set a rule's level: `ID=error|warning|info|off` (any rule of `--list-rules`).
    /// Repeatable; wins over `oaskit.toml`.
    #[arg(long = "rule", value_name = "ID=LEVEL")]
    pub rules: Vec<String>,
    /// Print the rules this command can report (id, level, direction, category, summary) as
    /// Markdown tables, then exit.
    #[arg(long)]
    pub list_rules: bool,
}

impl ReportArgs {
    /// The levels of `config` (from `oaskit.toml`), then `--rule` on top.
    pub fn levels(&self, config: &RuleLevels) -> Result<RuleLevels, String> {
        let mut levels = config.clone();
        for arg in &self.rules {
            levels.set_arg(arg)?;
        }
        Ok(levels)
    }
}

/// `[rules]` (and `[diff.rules]`) of `oaskit.toml` in the working directory, if it exists.
fn project_levels() -> Result<RuleLevels, String> {
    let file = std::path::Path::new(oaskit::check::config::CONFIG_FILE);
    if !file.is_file() {
        return Ok(RuleLevels::default());
    }
    let text = oaskit::check::config::read_config_file(file)?;
    Ok(
        oaskit::rules::DiffConfig::from_toml(&text, &file.display().to_string(), true)?
            .map(|c| c.levels)
            .unwrap_or_default(),
    )
}

/// `--list-rules`: the catalogue's tables for one command.
fn list_rules(command: RuleCommand) -> i32 {
    output::print_stdout(&oaskit::catalogue::markdown::tables_for(command));
    EXIT_OK
}

#[derive(clap::ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

/// Options of every command that loads specs: what may be read, and how much (see SECURITY.md).
#[derive(Args, Debug, Clone)]
pub struct LoadArgs {
    /// Follow `$ref`s to http(s) URLs from local files (a spec must not make oaskit fetch
    /// arbitrary addresses unless you say so).
    #[arg(long)]
    pub allow_remote_refs: bool,
    /// Let documents name URLs on loopback, private and link-local addresses (a URL you give
    /// on the command line may always be on any address).
    #[arg(long)]
    pub allow_private_addresses: bool,
    /// The deadline, in seconds, of each document fetched over HTTP: connecting and the whole
    /// body.
    #[arg(long, default_value_t = 30, value_name = "SECONDS")]
    pub http_timeout: u64,
    /// Also let `$ref`s and `externalValue`s read files inside DIR (by default they stay in the
    /// git work tree holding the spec, or the spec's directory). Repeatable.
    #[arg(long = "root", value_name = "DIR")]
    pub roots: Vec<PathBuf>,
    /// Stop reading once the run's documents reach this size in all.
    #[arg(long, default_value = "512MiB", value_name = "SIZE", value_parser = oaskit::load::limits::parse_bytes)]
    pub max_total_bytes: u64,
    /// Stop reading after this many documents in the run.
    #[arg(long, default_value_t = oaskit::load::LoadLimits::DEFAULT.max_documents, value_name = "N")]
    pub max_documents: u64,
}

impl LoadArgs {
    /// The options of one run: every load made with (clones of) them shares one budget.
    pub fn options(&self) -> oaskit::LoadOptions {
        oaskit::LoadOptions {
            allow_remote_refs: self.allow_remote_refs,
            fetch: oaskit::load::FetchOptions {
                timeout: std::time::Duration::from_secs(self.http_timeout.max(1)),
                allow_private_addresses: self.allow_private_addresses,
            },
            roots: self.roots.clone(),
            budget: oaskit::load::Budget::new(oaskit::load::LoadLimits {
                max_total_bytes: self.max_total_bytes,
                max_documents: self.max_documents,
            }),
            trust_root_url: true,
        }
    }
}

/// The whole command-line definition, for completions and man pages.
fn command_definition() -> clap::Command {
    <Cli as clap::CommandFactory>::command()
}

/// Reads a `--today` value: `2025-06-30`.
fn parse_date(text: &str) -> Result<oaskit::rules::Date, String> {
    oaskit::rules::Date::parse(text).ok_or_else(|| format!("`{text}` is not a date (YYYY-MM-DD)"))
}

pub fn run() -> i32 {
    let parsed = Cli::command()
        .try_get_matches()
        .and_then(|matches| Cli::from_arg_matches(&matches).map(|cli| (cli, matches)));
    let (cli, matches) = match parsed {
        Ok(parsed) => parsed,
        Err(e) => {
            let code = if e.use_stderr() { EXIT_ERROR } else { EXIT_OK };
            let _ = e.print();
            return code;
        }
    };
    match cli.command {
        Command::Validate(args) => validate::run(&args),
        Command::Generate(args) => generate::run(&args),
        Command::Diff(args) => diff::run(&args),
        Command::Probe(args) => probe::run(&args),
        Command::Check(mut args) => {
            args.report.fail_on_given = given(&matches, "check", "fail_on");
            check::run(&args)
        }
        Command::Completions(args) => manuals::completions(&args),
        Command::Man(args) => manuals::man(&args),
        Command::ConfigSchema => config_schema::run(),
    }
}

/// Whether the user wrote an option (on the command line or in its environment variable), as
/// opposed to clap filling in its default: an option given explicitly beats `oaskit.toml`.
fn given(matches: &clap::ArgMatches, command: &str, id: &str) -> bool {
    matches
        .subcommand_matches(command)
        .and_then(|m| m.value_source(id))
        .is_some_and(|source| source != clap::parser::ValueSource::DefaultValue)
}
