//! `check`: the contract gate. For every spec in `oaskit.toml`: structural and example
//! validation, the breaking-change diff against its base, and the generators in check mode
//! (generated code must match what is committed). One report, one exit code.

pub mod config;
pub mod config_schema;

use std::path::{Path, PathBuf};

pub use config::{BaseSpec, CheckConfig, GenerateEntry, GeneratorTarget, SpecEntry};

use crate::catalogue::check::{CHECK_GENERATE_SKIPPED, CHECK_NO_BASE, GENERATED_CODE_STALE};
use crate::codegen::{self, FileDiff, GenerateOptions};
use crate::load::git::{GitError, work_tree_of};
use crate::load::{LoadError, LoadOptions, Origin, ReadError};
use crate::model::Contract;
use crate::report::{Finding, Location};
use crate::rules::{self, Date};
use crate::validate::{self, ValidateOptions};

/// What the gate found, and what it needs to render it.
pub struct CheckOutcome {
    pub findings: Vec<Finding>,
    /// How many diff findings accepted breaks took out (the summary counts them).
    pub waived: usize,
    /// Unified diffs of stale generated files (shown after the report).
    pub stale: Vec<(PathBuf, FileDiff)>,
    /// Every contract loaded (revisions and bases), for source lines in the report.
    pub contracts: Vec<Contract>,
}

/// Why the gate could not run (exit code 2).
#[derive(Debug, thiserror::Error)]
pub enum CheckError {
    #[error("{0}")]
    Load(#[from] LoadError),
    #[error("{0}")]
    Other(String),
}

/// Runs the gate. `today` judges waiver expiries and `x-sunset` dates. The generators do not run
/// on a spec with structural errors unless `allow_invalid` (their output would silently lack
/// what the errors break).
pub fn run(
    config: &CheckConfig,
    load: &LoadOptions,
    today: Date,
    allow_invalid: bool,
) -> Result<CheckOutcome, CheckError> {
    let mut outcome = CheckOutcome {
        findings: Vec::new(),
        waived: 0,
        stale: Vec::new(),
        contracts: Vec::new(),
    };
    let load = &config.load_options(load);
    for spec in &config.specs {
        let path = config
            .resolve_input("path", &spec.path)
            .map_err(CheckError::Other)?;
        let revision = Contract::load_origin(Origin::Path(path.clone()), load)?;
        let validate_options = ValidateOptions {
            format_assertions: config.format_assertions,
            rules: config.diff.levels.clone(),
        };
        // Diff findings come with their configured levels (after the draft and alpha caps);
        // the gate's own and validate's get them here.
        let mut own = validate::validate(&revision, &validate_options);

        if let Some(base_spec) = &spec.base {
            match load_base(config, spec, base_spec, &path, load)? {
                Base::Loaded(base) => {
                    let judged = rules::judge_diff(&base, &revision, &config.diff, today);
                    outcome.findings.extend(judged.findings);
                    outcome.waived += judged.waived;
                    outcome.contracts.push(*base);
                }
                Base::Missing(reason) => own.push(
                    CHECK_NO_BASE
                        .finding(format!("not diffed: {reason}"))
                        .at(Location {
                            file: spec.path.clone(),
                            pointer: String::new(),
                            line: None,
                            column: None,
                        }),
                ),
            }
        }

        let structural_errors = own
            .iter()
            .filter(|f| validate::blocks_generation(f))
            .count();
        if structural_errors > 0 && !allow_invalid && !spec.generate.is_empty() {
            let plural = if structural_errors == 1 { "" } else { "s" };
            own.push(
                CHECK_GENERATE_SKIPPED
                    .finding(format!(
                        "generated code not checked: {} has {structural_errors} structural error{plural}, and the generators do not build on them (pass --allow-invalid to check anyway)",
                        spec.path
                    ))
                    .at(Location {
                        file: spec.path.clone(),
                        pointer: String::new(),
                        line: None,
                        column: None,
                    }),
            );
        }
        let generate = structural_errors == 0 || allow_invalid;
        for entry in spec.generate.iter().filter(|_| generate) {
            let generated = generate_entry(config, spec, entry, &revision)?;
            let output = config
                .resolve_output(&entry.output)
                .map_err(CheckError::Other)?;
            for diff in generated.files.check(&output) {
                own.push(stale_finding(spec, entry, &diff));
                outcome.stale.push((output.clone(), diff));
            }
        }
        outcome.findings.extend(config.diff.levels.apply(own));
        outcome.contracts.push(revision);
    }
    Ok(outcome)
}

/// Runs the generator of one `generate` entry of `spec` on its loaded contract: what `check`
/// compares with the committed code and `oaskit generate` (without a target) writes.
pub fn generate_entry(
    config: &CheckConfig,
    spec: &SpecEntry,
    entry: &GenerateEntry,
    contract: &Contract,
) -> Result<codegen::Generated, CheckError> {
    let templates_dir = match &entry.templates {
        Some(t) => Some(
            config
                .resolve_input("templates", t)
                .map_err(CheckError::Other)?,
        ),
        None => None,
    };
    let options = GenerateOptions {
        templates_dir,
        spec_name: codegen::header_spec_name(&config.resolve(&spec.path).display().to_string()),
        package: entry.package.clone(),
        rust_server: entry.rust_server.clone(),
        ..GenerateOptions::default()
    };
    match entry.target {
        GeneratorTarget::TsClient => codegen::typescript::generate(contract, &options),
        GeneratorTarget::RustServer => codegen::rust::generate(contract, &options),
    }
    .map_err(|e| {
        CheckError::Other(format!(
            "generating {} for {}: {e}",
            entry.target.as_str(),
            spec.path
        ))
    })
}

fn stale_finding(spec: &SpecEntry, entry: &GenerateEntry, diff: &FileDiff) -> Finding {
    let file = Path::new(&entry.output)
        .join(diff.path())
        .display()
        .to_string();
    let what = match diff {
        FileDiff::Missing { .. } => "is missing",
        FileDiff::Changed { .. } => "is out of date",
        FileDiff::Stale { .. } => "is no longer generated",
    };
    let message = format!("{file} {what}: generated code does not match {}", spec.path);
    let help = format!(
        "run `oaskit generate {} {} -o {}` and commit the result",
        entry.target.as_str(),
        spec.path,
        entry.output
    );
    GENERATED_CODE_STALE
        .finding(message)
        .at(Location {
            file,
            pointer: String::new(),
            line: None,
            column: None,
        })
        .with_help(help)
}

enum Base {
    Loaded(Box<Contract>),
    /// No base to compare with (a spec new on this branch): said as info.
    Missing(String),
}

/// Loads what `base` names (see [`BaseSpec`]). A path missing at a known revision is a spec new
/// on this branch; a revision that does not exist is an error (a typo, or a shallow clone).
fn load_base(
    config: &CheckConfig,
    spec: &SpecEntry,
    base: &str,
    path: &Path,
    load: &LoadOptions,
) -> Result<Base, CheckError> {
    let parsed = BaseSpec::parse(base)
        .map_err(|e| CheckError::Other(format!("{}: {e}", config.file.display())))?;
    let mut load = load.clone();
    let origin = match parsed {
        BaseSpec::Revision(rev) => Origin::Git {
            rev,
            path: repo_relative(path).map_err(CheckError::Other)?,
        },
        BaseSpec::GitPath { rev, path } => Origin::Git { rev, path },
        BaseSpec::File(file) => Origin::Path(
            config
                .resolve_input("base", &file)
                .map_err(CheckError::Other)?,
        ),
        BaseSpec::Url(url) => {
            // Named by a file of the pull request, not by the user: no private addresses.
            load.trust_root_url = false;
            let parsed = url::Url::parse(&url).map_err(|e| {
                CheckError::Other(format!("{}: base = \"{url}\": {e}", config.file.display()))
            })?;
            Origin::Url(parsed)
        }
    };
    match Contract::load_origin(origin, &load) {
        Ok(contract) => Ok(Base::Loaded(Box::new(contract))),
        Err(LoadError::Read {
            file,
            error: ReadError::Git(GitError::NoSuchPath { .. }),
        }) => Ok(Base::Missing(format!(
            "{} does not exist at {file}",
            spec.path
        ))),
        Err(LoadError::Read {
            error: ReadError::Git(GitError::UnknownRevision { rev }),
            ..
        }) => Err(CheckError::Other(format!(
            "{}: base `{rev}` is not a revision of this repository (in CI, fetch it: `git fetch origin {rev}` or `fetch-depth: 0`; for a file write `./{rev}`)",
            config.file.display()
        ))),
        Err(e) => Err(e.into()),
    }
}

/// The path of a file relative to the top of its git work tree (what `REV:path` needs).
fn repo_relative(path: &Path) -> Result<String, String> {
    let canonical = path
        .canonicalize()
        .map_err(|e| format!("{}: {e}", path.display()))?;
    let top = work_tree_of(&canonical)
        .ok_or_else(|| format!("{} is not in a git work tree", path.display()))?;
    let relative = canonical.strip_prefix(&top).unwrap_or(&canonical);
    Ok(relative.to_string_lossy().replace('\\', "/"))
}
